/* series_reader.h: one numeric series (one or more dimensions) from a file, for change point
 * detection.
 *
 * SERIES_CSV (format/csv.h: BOM, CRLF, quoting): one number per line, or rows whose first
 * column is a time or label (read as text and ignored) and whose other columns are the
 * dimensions:
 *     time,value            value            1.5
 *     2026-03-04,1.5        1.5              2.25
 *     2026-03-05,           2.25
 * The first row is a header when one of its value cells is neither a number nor missing. An
 * empty cell, "null" or "NaN" (any case, spaces around allowed) is a missing value; every
 * other cell must be a finite decimal number, and every row must have as many fields as the
 * first. Blank lines are skipped.
 *
 * SERIES_TCPD: a data file of the Turing Change Point Dataset:
 *     {"name": "nile", "n_obs": 100, "n_dim": 1, "time": {...},
 *      "series": [{"label": "V1", "type": "float", "raw": [1120, 1160, null, ...]}]}
 *   Each element of "series" is a dimension; its "raw" values are numbers or null (missing);
 *   all have the same length, equal to "n_obs" when that is given. At most SERIES_JSON_MAX
 *   bytes.
 *
 * A file with no value is refused. At most SERIES_MAX_VALUES cells in all. */
#ifndef FORMAT_SERIES_READER_H
#define FORMAT_SERIES_READER_H

#include "core/common.h"
#include "core/err.h"

#include <stdio.h>

#define SERIES_MAX_VALUES ((size_t)50000000)
#define SERIES_JSON_MAX ((size_t)256 << 20) /* 256 MiB */

enum series_format { SERIES_CSV, SERIES_TCPD };

/* A series read from a file. Owns values. */
struct num_series {
    double *values; /* dimension d, observation i: values[d * n + i]; NAN = missing */
    size_t n;       /* observations, >= 1 */
    size_t dims;    /* dimensions, >= 1 */
    size_t missing; /* missing cells */
};

void num_series_release(struct num_series *s);

/* "csv" or "tcpd" (ERR_INVALID otherwise). */
int series_format_parse(const char *name, enum series_format *ret_format);
/* The format a file name suggests: SERIES_TCPD for a name ending in ".json", else SERIES_CSV. */
enum series_format series_format_guess(const char *path);

/* Reads a whole series from f. ERR_INVALID says what is wrong, with e->line set to the line at
 * fault when there is one (a CSV row, a JSON syntax error; 0 for a JSON value in the wrong
 * place); ERR_IO when reading fails. ret is written on success only. */
int series_read(FILE *f, enum series_format format, struct num_series *ret, struct err *e);

/* Opens path and reads it; messages start with "PATH:LINE: " (or "PATH: "). */
int series_read_file(const char *path, enum series_format format, struct num_series *ret,
                     struct err *e);

#endif
