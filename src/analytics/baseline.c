/* baseline.c: seasonal medians with a local fallback (baseline.h). */
#include "analytics/baseline.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double median_inplace(double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[m++] = v[i];
    if (m == 0)
        return NAN;
    qsort(v, m, sizeof(*v), cmp_double);
    return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
}

/* The values at the same bucket 1 .. seasons periods before i, into tmp; how many. */
static size_t same_bucket_before(const double *values, size_t i, size_t period, size_t seasons,
                                 double *tmp)
{
    size_t k = 0;
    for (size_t s = 1; period && s <= seasons && s * period <= i; s++)
        if (!isnan(values[i - s * period]))
            tmp[k++] = values[i - s * period];
    return k;
}

void baseline_expected(const double *values, size_t n, const struct baseline_params *p,
                       double *expected)
{
    size_t cap = p->seasons > p->local ? p->seasons : p->local;
    cap = p->weeks > cap ? p->weeks : cap;
    double *tmp = xcalloc(cap ? cap : 1, sizeof(*tmp));
    for (size_t i = 0; i < n; i++) {
        size_t k = same_bucket_before(values, i, p->week_period, p->weeks, tmp);
        if (k >= 2) {
            expected[i] = median_inplace(tmp, k);
            continue;
        }
        k = 0;
        for (size_t s = 1; p->period && s <= p->seasons && s * p->period <= i; s++)
            if (!isnan(values[i - s * p->period]))
                tmp[k++] = values[i - s * p->period];
        if (k >= 2) {
            expected[i] = median_inplace(tmp, k);
            continue;
        }
        k = 0;
        for (size_t j = i > p->local ? i - p->local : 0; j < i; j++)
            tmp[k++] = values[j];
        expected[i] = median_inplace(tmp, k);
    }
    free(tmp);
}

double baseline_scale(const double *values, const double *expected, size_t eval_from)
{
    double *r = xcalloc(eval_from ? eval_from : 1, sizeof(*r));
    size_t m = 0;
    for (size_t i = 0; i < eval_from; i++)
        if (!isnan(values[i]) && !isnan(expected[i]))
            r[m++] = fabs(values[i] - expected[i]);
    double s = m >= 3 ? 1.4826 * median_inplace(r, m) : NAN;
    free(r);
    return s;
}
