/* cube_reader.h: the leaves of a cube for root-cause localisation, from CSV, in two layouts.
 *
 * CUBE (the Squeeze layout): one row per leaf, a column `real` (the observed value), a column
 * `predict` (the forecast; `expected` and `forecast` are accepted too) and one column per
 * attribute, in any order:
 *     real,predict,a,b,c,d
 *     0.0,0.0,a5,b17,c5,d1
 *
 * HISTORY (the RS layout): rows of (time, measure columns, attributes), several times per leaf:
 *     min,value,cnt,cdn,bitrate,p2p
 *     1566397200,116,3603,1,2000,1
 *   Given the time column, the instant `at`, and the measure (the ratio of two summed columns
 *   NUM/DEN, or one summed column), a leaf's real value at `at` and its expected value come
 *   from its own rows:
 *   - ratio: real = NUM at `at`; expected = DEN at `at` x the leaf's expected ratio, so the
 *     cube is in the numerator's units (stalls, errors) and a deviation means the ratio moved,
 *     not the traffic. The expected ratio is the leaf's pooled ratio (sum NUM / sum DEN) over
 *     its instants among the file's last CUBE_HISTORY_WINDOW before `at`, leaving out the
 *     instants of highest and lowest ratio when it has at least CUBE_TRIM_MIN (so a first
 *     anomalous minute just before `at` does not leak in; a median would be biased low for
 *     small counts), shrunk towards the whole cube's pooled ratio of those instants with a
 *     weight of CUBE_PRIOR_DEN denominator units: (N + m r_all) / (D + m), so that a leaf with
 *     little or no history gets the common ratio;
 *   - single column: real = the value at `at`; expected = the median of its values at the last
 *     CUBE_HISTORY_WINDOW instants before `at` (an instant without a row counts as 0 once the
 *     leaf has appeared).
 *   Rows after `at` are ignored. Times are RFC 3339 or epoch numbers (format/timestamp.h).
 *
 * Every other column is an attribute; its cells are values as text (empty is a value too).
 * Rows with the same attribute values are summed into one leaf. Numbers are finite and >= 0.
 *
 * Errors stop the read and say where: "FILE:LINE: column 'real': expected a number >= 0, got
 * 'abc'", "FILE:1: missing column 'predict'", "FILE: empty file". Memory is bounded: at most
 * CUBE_MAX_LEAVES leaves (CUBE_MAX_HISTORY_LEAVES in the history layout, which keeps
 * CUBE_HISTORY_WINDOW points per leaf) and CUBE_MAX_ATTRS attributes; the CSV reader holds one
 * record at a time (format/csv.h). */
#ifndef FORMAT_CUBE_READER_H
#define FORMAT_CUBE_READER_H

#include "core/common.h"
#include "core/err.h"
#include "core/strdict.h"

#include <stdio.h>

#define CUBE_MAX_ATTRS 24
#define CUBE_MAX_LEAVES ((size_t)1 << 21)
#define CUBE_MAX_HISTORY_LEAVES ((size_t)1 << 18)
#define CUBE_HISTORY_WINDOW 10
#define CUBE_PRIOR_DEN 10.0
#define CUBE_TRIM_MIN 5

/* A cube: leaves with their attribute value codes and two values. Owns everything. */
struct cube {
    size_t n_attrs;
    char **attrs;            /* attribute names, as in the header */
    struct strdict *values;  /* per attribute: value text -> code + 1 */
    uint32_t *card;          /* per attribute: number of distinct values */
    size_t n_leaves;
    uint32_t *codes;         /* n_leaves x n_attrs, codes from 0 */
    double *real, *expected; /* per leaf */
    size_t rows;             /* data rows read */
};

/* What the history layout needs. */
struct cube_history {
    const char *time_column;
    int64_t at_ms;           /* the instant to explain */
    const char *num;         /* the measure's column (the numerator of a ratio) */
    const char *den;         /* the denominator's column, or NULL for a plain sum */
};

/* Reads the cube layout from f (borrowed); name is used in messages. On success *ret is
 * filled (cube_release it); on failure it holds nothing. */
int cube_read(FILE *f, const char *name, struct cube *ret, struct err *e);

/* Reads the history layout from f (borrowed), as described above. */
int cube_read_history(FILE *f, const char *name, const struct cube_history *h,
                      struct cube *ret, struct err *e);

void cube_release(struct cube *c);

/* The text of value code (from 0) of attribute a: *ret_len bytes, not NUL-terminated. */
const char *cube_value(const struct cube *c, size_t a, uint32_t code, size_t *ret_len);

#endif
