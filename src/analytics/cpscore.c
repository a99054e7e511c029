/* cpscore.c: TCPDBench's F1 (with margin) and covering of change points.
 *
 * Sets are kept as sorted arrays without duplicates. The matching of true positives walks the
 * annotations in ascending order and, for each, takes the unused prediction within the margin
 * that minimises (distance, index), exactly the rule of metrics.py. Sums and divisions follow
 * the reference's order of operations (sum starting at 0 in annotator order, 1 / K times the
 * sum, P R / (0.5 R + 0.5 P), C / n), so the results are bit-identical whenever the set order
 * does not matter. */
#include "analytics/cpscore.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts v[0..n) and removes duplicates in place; returns the new length. */
static size_t sort_unique(int64_t *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_i64);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[m - 1])
            v[m++] = v[i];
    return m;
}

size_t cp_clean(const int64_t *raw, size_t n, size_t n_obs, int64_t *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t x = raw[i];
        if (x >= 1 && n_obs >= 2 && x <= (int64_t)n_obs - 2)
            out[m++] = x;
    }
    return sort_unique(out, m);
}

/* A copy of s plus the point 0, sorted and unique; *ret_n gets its length. */
static int64_t *with_zero(const int64_t *v, size_t n, size_t *ret_n)
{
    int64_t *c = xmallocarray(n + 1, sizeof(*c));
    if (n)
        memcpy(c, v, n * sizeof(*c));
    c[n] = 0;
    *ret_n = sort_unique(c, n + 1);
    return c;
}

/* The number of true positives of the sorted set t against the sorted set x (TCPDBench's
 * true_positives with ascending iteration over t). */
static size_t true_positives(const int64_t *t, size_t nt, const int64_t *x, size_t nx,
                             int64_t margin)
{
    bool *used = xcalloc(nx ? nx : 1, sizeof(*used));
    size_t hits = 0, lo = 0;
    for (size_t i = 0; i < nt; i++) {
        while (lo < nx && x[lo] < t[i] - margin)
            lo++;
        size_t best = nx;
        int64_t best_d = 0;
        for (size_t j = lo; j < nx && x[j] <= t[i] + margin; j++) {
            int64_t d = x[j] > t[i] ? x[j] - t[i] : t[i] - x[j];
            if (!used[j] && (best == nx || d < best_d)) /* ascending x: ties keep the smaller */
                best = j, best_d = d;
        }
        if (best < nx) {
            used[best] = true;
            hits++;
        }
    }
    free(used);
    return hits;
}

/* The union of every annotator's set and 0, sorted and unique. */
static int64_t *union_of(const struct cp_set *a, size_t k, size_t *ret_n)
{
    size_t total = 1;
    for (size_t i = 0; i < k; i++)
        total += a[i].n;
    int64_t *u = xmallocarray(total, sizeof(*u));
    size_t m = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < a[i].n; j++)
            u[m++] = a[i].v[j];
    u[m++] = 0;
    *ret_n = sort_unique(u, m);
    return u;
}

double cp_f1(const struct cp_set *annotators, size_t k, const int64_t *pred, size_t n_pred,
             int64_t margin, double *ret_precision, double *ret_recall)
{
    if (k == 0)
        return NAN;
    size_t nx, nu;
    int64_t *x = with_zero(pred, n_pred, &nx);
    int64_t *u = union_of(annotators, k, &nu);
    double p = (double)true_positives(u, nu, x, nx, margin) / (double)nx;
    double sum = 0;
    for (size_t i = 0; i < k; i++) {
        size_t nt;
        int64_t *t = with_zero(annotators[i].v, annotators[i].n, &nt);
        sum += (double)true_positives(t, nt, x, nx, margin) / (double)nt;
        free(t);
    }
    double r = 1.0 / (double)k * sum;
    free(x);
    free(u);
    if (ret_precision)
        *ret_precision = p;
    if (ret_recall)
        *ret_recall = r;
    return p * r / (0.5 * r + 0.5 * p);
}

/* The segment starts of the partition of [0, n) by cps: 0, then every distinct point of cps
 * in 1 .. n - 1, ascending. Returns the starts (caller frees) and their count in *ret_n. */
static size_t *segment_starts(const int64_t *cps, size_t n_cps, size_t n, size_t *ret_n)
{
    int64_t *c = xmallocarray(n_cps + 1, sizeof(*c));
    size_t m = 0;
    for (size_t i = 0; i < n_cps; i++)
        if (cps[i] >= 1 && cps[i] < (int64_t)n)
            c[m++] = cps[i];
    m = sort_unique(c, m);
    size_t *s = xmallocarray(m + 1, sizeof(*s));
    s[0] = 0;
    for (size_t i = 0; i < m; i++)
        s[i + 1] = (size_t)c[i];
    free(c);
    *ret_n = m + 1;
    return s;
}

/* Covering of the partition a (segment starts) by the partition b, both of [0, n). */
static double cover_single(const size_t *b, size_t nb, const size_t *a, size_t na, size_t n)
{
    double c = 0;
    size_t j = 0;
    for (size_t i = 0; i < na; i++) {
        size_t s = a[i], e = i + 1 < na ? a[i + 1] : n;
        while (j + 1 < nb && b[j + 1] <= s)
            j++;
        double best = 0;
        for (size_t q = j; q < nb && b[q] < e; q++) {
            size_t s2 = b[q], e2 = q + 1 < nb ? b[q + 1] : n;
            size_t lo = s > s2 ? s : s2, hi = e < e2 ? e : e2;
            size_t inter = hi > lo ? hi - lo : 0;
            double ov = (double)inter / (double)((e - s) + (e2 - s2) - inter);
            if (ov > best)
                best = ov;
        }
        c += (double)(e - s) * best;
    }
    return c / (double)n;
}

double cp_cover(const struct cp_set *annotators, size_t k, const int64_t *pred, size_t n_pred,
                size_t n_obs)
{
    if (k == 0 || n_obs == 0)
        return NAN;
    size_t nb;
    size_t *b = segment_starts(pred, n_pred, n_obs, &nb);
    double sum = 0;
    for (size_t i = 0; i < k; i++) {
        size_t na;
        size_t *a = segment_starts(annotators[i].v, annotators[i].n, n_obs, &na);
        sum += cover_single(b, nb, a, na, n_obs);
        free(a);
    }
    free(b);
    return sum / (double)k;
}
