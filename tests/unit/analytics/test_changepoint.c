/* test_changepoint.c: PELT and BOCPD on synthetic series with known changes (fixed seeds):
 * a mean shift, a variance change, two shifts, white noise, missing values, two dimensions;
 * the statuses of series with nothing to analyse; the exactness of PELT's pruning against an
 * unpruned optimal partitioning; bad parameters. */
#include "analytics/changepoint.h"
#include "core/rng.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

/* n values: N(mean_i, sd_i^2) with (mean, sd) switching at the given breaks. */
static double *piecewise(size_t n, const size_t *breaks, const double *means, const double *sds,
                         size_t n_seg, uint64_t seed)
{
    struct rng r;
    rng_seed(&r, seed, 1);
    double *x = calloc(n, sizeof(*x));
    cr_assert_not_null(x);
    size_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        while (seg + 1 < n_seg && i >= breaks[seg])
            seg++;
        x[i] = means[seg] + sds[seg] * rng_normal(&r);
    }
    return x;
}

static struct cp_result detect(const double *x, size_t n, size_t dims, enum cp_method m)
{
    struct cp_params p;
    cp_params_default(&p, m);
    struct cp_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(cp_detect(x, n, dims, &p, &r, &e), ERR_OK, "%s", e.msg);
    return r;
}

static void expect_sane(const struct cp_result *r)
{
    for (size_t i = 0; i < r->n_points; i++) {
        cr_assert(r->points[i].confidence >= 0 && r->points[i].confidence <= 1);
        cr_assert(r->points[i].index >= 1 && r->points[i].index < r->n);
        if (i)
            cr_assert_gt(r->points[i].index, r->points[i - 1].index);
    }
}

static void mean_shift_found(enum cp_method m)
{
    size_t br[] = {100};
    double mu[] = {0, 3}, sd[] = {1, 1};
    double *x = piecewise(200, br, mu, sd, 2, 42);
    struct cp_result r = detect(x, 200, 1, m);
    cr_assert_eq(r.status, CP_STATUS_OK);
    cr_assert_eq(r.n_points, 1, "%s found %zu change points", cp_method_name(m), r.n_points);
    cr_assert(r.points[0].index >= 98 && r.points[0].index <= 102, "at %zu",
              r.points[0].index);
    cr_assert_eq(r.points[0].direction, 1);
    cr_assert(fabs(r.points[0].magnitude - 3) < 0.5, "magnitude %g", r.points[0].magnitude);
    cr_assert(fabs(r.points[0].magnitude_sd - 3) < 0.6, "in sd %g", r.points[0].magnitude_sd);
    cr_assert_gt(r.points[0].confidence, 0.9);
    expect_sane(&r);
    cp_result_release(&r);
    free(x);
}

Test(analytics_cp_pelt, mean_shift_at_100_of_200)
{
    mean_shift_found(CP_PELT);
}

Test(analytics_cp_bocpd, mean_shift_at_100_of_200)
{
    mean_shift_found(CP_BOCPD);
}

static void two_shifts_found(enum cp_method m)
{
    size_t br[] = {100, 200};
    double mu[] = {0, 3, -2}, sd[] = {1, 1, 1};
    double *x = piecewise(300, br, mu, sd, 3, 7);
    struct cp_result r = detect(x, 300, 1, m);
    cr_assert_eq(r.n_points, 2, "%s found %zu change points", cp_method_name(m), r.n_points);
    cr_assert(labs((long)r.points[0].index - 100) <= 2);
    cr_assert(labs((long)r.points[1].index - 200) <= 2);
    cr_assert_eq(r.points[0].direction, 1);
    cr_assert_eq(r.points[1].direction, -1);
    cr_assert(fabs(r.points[1].magnitude + 5) < 0.6);
    cp_result_release(&r);
    free(x);
}

Test(analytics_cp_pelt, two_shifts_up_then_down)
{
    two_shifts_found(CP_PELT);
}

Test(analytics_cp_bocpd, two_shifts_up_then_down)
{
    two_shifts_found(CP_BOCPD);
}

static void variance_change_found(enum cp_method m)
{
    size_t br[] = {150};
    double mu[] = {5, 5}, sd[] = {1, 5};
    double *x = piecewise(300, br, mu, sd, 2, 11);
    struct cp_result r = detect(x, 300, 1, m);
    cr_assert_geq(r.n_points, 1);
    bool near = false;
    for (size_t i = 0; i < r.n_points; i++)
        near |= labs((long)r.points[i].index - 150) <= 5;
    cr_assert(near, "%s: no change point within 5 of 150 (first at %zu)", cp_method_name(m),
              r.points[0].index);
    cr_assert_leq(r.n_points, 2);
    cp_result_release(&r);
    free(x);
}

Test(analytics_cp_pelt, variance_change)
{
    variance_change_found(CP_PELT);
}

Test(analytics_cp_bocpd, variance_change)
{
    variance_change_found(CP_BOCPD);
}

static void white_noise_quiet(enum cp_method m)
{
    size_t br[] = {0};
    double mu[] = {10}, sd[] = {2};
    for (uint64_t seed = 1; seed <= 5; seed++) {
        double *x = piecewise(500, br, mu, sd, 1, seed);
        struct cp_result r = detect(x, 500, 1, m);
        cr_assert_leq(r.n_points, 1, "%s, seed %llu: %zu change points in white noise",
                      cp_method_name(m), (unsigned long long)seed, r.n_points);
        cp_result_release(&r);
        free(x);
    }
}

Test(analytics_cp_pelt, white_noise_has_few_or_none)
{
    white_noise_quiet(CP_PELT);
}

Test(analytics_cp_bocpd, white_noise_has_few_or_none)
{
    white_noise_quiet(CP_BOCPD);
}

static void expect_status(const double *x, size_t n, enum cp_status want)
{
    for (int m = CP_PELT; m <= CP_BOCPD; m++) {
        struct cp_result r = detect(x, n, 1, (enum cp_method)m);
        cr_assert_eq(r.status, want, "%s: status %s, expected %s", cp_method_name(m),
                     cp_status_name(r.status), cp_status_name(want));
        cr_assert_eq(r.n_points, 0);
        cr_assert_eq(r.n, n);
        cp_result_release(&r);
    }
}

Test(analytics_cp_input, constant_series)
{
    double x[100];
    for (size_t i = 0; i < 100; i++)
        x[i] = 0.1;
    expect_status(x, 100, CP_STATUS_CONSTANT);
    x[50] = NAN; /* still constant where present */
    expect_status(x, 100, CP_STATUS_CONSTANT);
}

Test(analytics_cp_input, empty_and_short_series)
{
    double x[] = {1, 5, 9, 2, 8};
    expect_status(NULL, 0, CP_STATUS_EMPTY);
    expect_status(x, 1, CP_STATUS_TOO_SHORT);
    expect_status(x, 2, CP_STATUS_TOO_SHORT);
    expect_status(x, 5, CP_STATUS_TOO_SHORT); /* fewer than two segments of 3 */
}

Test(analytics_cp_input, all_missing)
{
    double x[] = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    expect_status(x, 8, CP_STATUS_ALL_MISSING);
    double y[] = {NAN, 1, NAN, NAN, 2, NAN, NAN, NAN};
    expect_status(y, 8, CP_STATUS_TOO_SHORT);
    double inf[] = {INFINITY, -INFINITY, NAN, INFINITY};
    expect_status(inf, 4, CP_STATUS_ALL_MISSING); /* infinities count as missing */
}

/* Missing values are dropped and indices map back to the input. */
static void missing_values_mapped(enum cp_method m)
{
    size_t br[] = {100};
    double mu[] = {0, 3}, sd[] = {1, 1};
    double *x = piecewise(200, br, mu, sd, 2, 42);
    size_t missing = 0;
    for (size_t i = 0; i < 200; i += 7, missing++)
        x[i] = NAN;
    for (size_t i = 95; i < 100; i++, missing++) /* a gap just before the change */
        x[i] = NAN;
    missing -= 1; /* 98 is in both */
    struct cp_result r = detect(x, 200, 1, m);
    cr_assert_eq(r.n_present, 200 - missing);
    cr_assert_eq(r.n_points, 1, "%s found %zu", cp_method_name(m), r.n_points);
    cr_assert(r.points[0].index >= 100 && r.points[0].index <= 102, "at %zu",
              r.points[0].index);
    cr_assert(!isnan(x[r.points[0].index]), "the index is an observed point");
    cp_result_release(&r);
    free(x);
}

Test(analytics_cp_input, missing_values_pelt)
{
    missing_values_mapped(CP_PELT);
}

Test(analytics_cp_input, missing_values_bocpd)
{
    missing_values_mapped(CP_BOCPD);
}

/* Two dimensions: a shift in the second only; the cost is summed over dimensions. */
static void second_dimension_shift(enum cp_method m)
{
    size_t br[] = {120};
    double mu0[] = {0, 0}, mu1[] = {10, 14}, sd[] = {1, 1};
    double *a = piecewise(240, br, mu0, sd, 2, 3), *b = piecewise(240, br, mu1, sd, 2, 4);
    double *x = calloc(480, sizeof(*x));
    cr_assert_not_null(x);
    for (size_t i = 0; i < 240; i++)
        x[i] = a[i], x[240 + i] = b[i];
    struct cp_result r = detect(x, 240, 2, m);
    cr_assert_eq(r.n_points, 1, "%s found %zu", cp_method_name(m), r.n_points);
    cr_assert(labs((long)r.points[0].index - 120) <= 2);
    cr_assert_eq(r.points[0].dim, 1);
    cr_assert(fabs(r.points[0].magnitude - 4) < 0.6);
    cp_result_release(&r);
    free(a);
    free(b);
    free(x);
}

Test(analytics_cp_input, two_dimensions_pelt)
{
    second_dimension_shift(CP_PELT);
}

Test(analytics_cp_input, two_dimensions_bocpd)
{
    second_dimension_shift(CP_BOCPD);
}

Test(analytics_cp_input, bad_parameters)
{
    double x[] = {1, 2, 3, 4, 5, 6};
    struct cp_params p;
    struct cp_result r;
    struct err e = ERR_INIT;
    cp_params_default(&p, CP_PELT);
    cr_assert_eq(cp_detect(x, 6, 0, &p, &r, &e), ERR_INVALID);
    p.min_segment = 1;
    cr_assert_eq(cp_detect(x, 6, 1, &p, &r, &e), ERR_INVALID);
    cr_assert_str_not_empty(e.msg);
    cp_params_default(&p, CP_BOCPD);
    p.lambda = 0;
    cr_assert_eq(cp_detect(x, 6, 1, &p, &r, &e), ERR_INVALID);
    cp_params_default(&p, CP_BOCPD);
    p.max_runs = 0;
    cr_assert_eq(cp_detect(x, 6, 1, &p, &r, &e), ERR_INVALID);
}

Test(analytics_cp_input, names)
{
    enum cp_method m;
    cr_assert_eq(cp_method_parse("bocpd", &m), ERR_OK);
    cr_assert_eq(m, CP_BOCPD);
    cr_assert_eq(cp_method_parse("PELT", &m), ERR_INVALID);
    cr_assert_str_eq(cp_status_name(CP_STATUS_TOO_SHORT), "too-short");
    cr_assert_str_eq(cp_status_reason(CP_STATUS_CONSTANT), "the series is constant");
}

/* ---- PELT's pruning is exact: the same segmentation as unpruned optimal partitioning ---- */

static double op_cost(const double *s1, const double *s2, size_t s, size_t t, double floor)
{
    double len = (double)(t - s), mean = (s1[t] - s1[s]) / len;
    double var = (s2[t] - s2[s]) / len - mean * mean;
    var = var < 0 ? 0 : var;
    double v = var > floor ? var : floor;
    return len * log(v) + len * var / v;
}

#define OP_MAX 200

/* Optimal partitioning (Jackson et al. 2005) over z-scored x (n <= OP_MAX), every s tried. */
static size_t optimal_partitioning(const double *x, size_t n, size_t min_seg, double beta,
                                   double floor, size_t *cps)
{
    double mean = 0, ss = 0, s1[OP_MAX + 1], s2[OP_MAX + 1], F[OP_MAX + 1];
    size_t last[OP_MAX + 1] = {0};
    cr_assert_leq(n, OP_MAX);
    for (size_t i = 0; i < n; i++)
        mean += x[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double sd = sqrt(ss / (double)(n - 1));
    s1[0] = s2[0] = 0;
    for (size_t i = 0; i < n; i++) {
        double z = (x[i] - mean) / sd;
        s1[i + 1] = s1[i] + z;
        s2[i + 1] = s2[i] + z * z;
    }
    F[0] = -beta;
    for (size_t t = 1; t <= n; t++) {
        F[t] = INFINITY;
        for (size_t s = 0; s + min_seg <= t; s++) {
            if (s != 0 && s < min_seg)
                continue;
            double v = F[s] + op_cost(s1, s2, s, t, floor) + beta;
            if (v < F[t])
                F[t] = v, last[t] = s;
        }
    }
    size_t k = 0;
    for (size_t t = n; t > 0; t = last[t])
        if (last[t] > 0)
            cps[k++] = last[t];
    for (size_t i = 0; i < k / 2; i++) {
        size_t tmp = cps[i];
        cps[i] = cps[k - 1 - i];
        cps[k - 1 - i] = tmp;
    }
    return k;
}

Test(analytics_cp_pelt, pruning_is_exact)
{
    size_t br[] = {40, 90, 130, 170};
    double mu[] = {0, 2, 1, -1, 1.5}, sd[] = {1, 0.5, 2, 1, 0.3};
    for (uint64_t seed = 1; seed <= 6; seed++) {
        for (size_t min_seg = 2; min_seg <= 5; min_seg += 3) {
            double *x = piecewise(200, br, mu, sd, 5, seed);
            struct cp_params p;
            cp_params_default(&p, CP_PELT);
            p.rho_max = 0;         /* no dependence correction: beta is (2 + 1) log n */
            p.min_confidence = 0;  /* keep every change of the optimum */
            p.penalty_scale = 0.5; /* many changes, so that pruning matters */
            p.min_segment = min_seg;
            struct cp_result r;
            struct err e = ERR_INIT;
            cr_assert_eq(cp_detect(x, 200, 1, &p, &r, &e), ERR_OK);
            size_t want[200];
            size_t k = optimal_partitioning(x, 200, min_seg, 0.5 * 3 * log(200.0), p.var_floor,
                                            want);
            cr_assert_eq(r.n_points, k, "seed %llu, min_seg %zu: %zu vs %zu",
                         (unsigned long long)seed, min_seg, r.n_points, k);
            for (size_t i = 0; i < k; i++)
                cr_assert_eq(r.points[i].index, want[i]);
            cp_result_release(&r);
            free(x);
        }
    }
}

Test(analytics_cp_bocpd, few_run_lengths_still_find_the_shift)
{
    size_t br[] = {100};
    double mu[] = {0, 3}, sd[] = {1, 1};
    double *x = piecewise(200, br, mu, sd, 2, 42);
    struct cp_params p;
    cp_params_default(&p, CP_BOCPD);
    p.max_runs = 10;
    struct cp_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(cp_detect(x, 200, 1, &p, &r, &e), ERR_OK);
    cr_assert_eq(r.n_points, 1);
    cr_assert(labs((long)r.points[0].index - 100) <= 2);
    cp_result_release(&r);
    free(x);
}
