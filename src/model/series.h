/* series.h: the result of a metric query: one value per (group, time bucket).
 *
 * Groups are the combinations of --by dimension values, sorted; without --by there is one
 * group with no key. Buckets start at from + k * bucket_ms. A value is NAN when the bucket is
 * empty for an aggregate that has no value there (avg, min, max, quantile, a division by 0). */
#ifndef MODEL_SERIES_H
#define MODEL_SERIES_H

#include "core/common.h"

struct series_result {
    int64_t from, bucket_ms;
    size_t n_buckets;
    size_t n_by;
    char **by;          /* dimension names */
    size_t n_groups;    /* at least 1 */
    char **group_keys;  /* group g, dimension d: group_keys[g * n_by + d] */
    double *values;     /* group g, bucket b: values[g * n_buckets + b]; NAN = empty */
    char *expr_text;    /* the expression as evaluated (saved metrics expanded) */
    int64_t rows_scanned;
};

void series_result_release(struct series_result *r);

/* The value of group g in bucket b. */
static inline double series_value(const struct series_result *r, size_t g, size_t b)
{
    return r->values[g * r->n_buckets + b];
}

#endif
