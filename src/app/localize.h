/* localize.h: the root-cause localisation use case: read a cube (format/cube_reader.h), run the
 * kernel (analytics/localize.h), name the segments; and the scorer of the benchmarks.
 *
 * Needs no store. A segment is written in the benchmarks' notation: attribute=value pairs
 * sorted by attribute name and joined by '&' ("a=a1&b=b3"); a set joins segments with ';'. */
#ifndef APP_LOCALIZE_H
#define APP_LOCALIZE_H

#include "core/common.h"
#include "core/err.h"

/* What to read. With time_column NULL the file is a cube (one row per leaf, real and predict
 * columns); otherwise a history, explained at `at` (RFC 3339 or an epoch number, as in the
 * time column), with the measure ratio "NUM/DEN" or a single summed column "NUM". */
struct localize_request {
    const char *path;
    const char *time_column;
    const char *at;
    const char *ratio;
};

struct localize_segment {
    char *name;      /* "a=a1&b=b3"; owned */
    double share;    /* part of the deviation it explains, 0..1 */
    double real, expected;
    size_t leaves;
};

struct localize_answer {
    const char *status;               /* "found", "no_deviation", "no_explanation" (static) */
    struct localize_segment *segments; /* largest share first; owned */
    size_t n;
    double real, expected;            /* totals of the cube */
    double explained;                 /* part of the deviation the set explains */
    double noise;                     /* estimated noise of the deviation scores */
    size_t leaves, rows, attrs;
};

/* Reads the file and localises its deviation. ERR_INVALID for bad options or a bad file (the
 * message says FILE:LINE and why), ERR_IO when the file cannot be opened or read. */
int app_localize(const struct localize_request *q, struct localize_answer *ret, struct err *e);

void localize_answer_release(struct localize_answer *a);

/* The answer's set in the notation ("a=a1&b=b3;c=c2", "" when empty); a heap string. */
char *localize_answer_set(const struct localize_answer *a);

/* Exact-match counts summed over cases (Squeeze's and RiskLoc's scoring). */
struct localize_score {
    size_t cases, tp, fp, fn;
};

/* Scores one case: truth and pred are sets in the notation. Segments are compared after
 * sorting their pairs by attribute and writing numeric values canonically ("2000.0" is
 * "2000"); a repeated segment counts once. Adds TP = |pred and truth|, FP = |pred| - TP and
 * FN = |truth| - TP to *acc. ERR_INVALID when a segment is malformed (a pair without '=',
 * an attribute twice). */
int localize_score_case(const char *truth, const char *pred, struct localize_score *acc,
                        struct err *e);

/* Scores a file of cases, one per line: the true set, a tab, the predicted set (either may be
 * empty; lines starting with '#' are skipped). */
int app_localize_score(const char *path, struct localize_score *ret, struct err *e);

/* Micro precision, recall and F1 of the counts (0 when undefined). */
void localize_score_rates(const struct localize_score *s, double *ret_precision,
                          double *ret_recall, double *ret_f1);

#endif
