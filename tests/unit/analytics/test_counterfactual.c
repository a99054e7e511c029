/* The counterfactual kernel (RC-BB) on generated series with known answers: an injected step
 * is covered by its 95% interval about 95% of the time, no effect is found about 5% of the
 * time (in the window and in the placebo run), the output is deterministic, bad input is
 * refused with a clear message. */
#include "analytics/counterfactual.h"

#include "core/rng.h"
#include "core/xalloc.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ten days of hourly buckets as the baseline, then a window of one day. */
#define PERIOD 24
#define N_BASE (10 * PERIOD)
#define N_WIN 24
#define N_ALL (N_BASE + N_WIN)

struct gen {
    double y[N_ALL], x[N_ALL];
    int slot[N_ALL];
    const double *xs[1];
    struct cf_input in;
};

/* y = 20 + a daily wave + 0.8 x a slow common factor (seen by the control x) + AR(1) noise
 * (phi 0.5, sd 1) + step in the window. */
static void generate(struct gen *g, uint64_t seed, double step, bool with_control)
{
    struct rng r;
    rng_seed(&r, seed, 7);
    double noise = 0, factor = 0, phi = 0.5;
    for (size_t i = 0; i < N_ALL; i++) {
        noise = phi * noise + sqrt(1 - phi * phi) * rng_normal(&r);
        factor = 0.9 * factor + sqrt(1 - 0.81) * 2 * rng_normal(&r);
        g->slot[i] = (int)(i % PERIOD);
        double wave = 3 * sin(2 * 3.14159265358979 * (double)(i % PERIOD) / PERIOD);
        g->x[i] = 50 + factor + 0.3 * rng_normal(&r);
        g->y[i] = 20 + wave + (with_control ? 0.8 * factor : 0) + noise +
                  (i >= N_BASE ? step : 0);
    }
    g->xs[0] = g->x;
    g->in = (struct cf_input){g->y, with_control ? g->xs : NULL, N_ALL, with_control ? 1 : 0,
                              g->slot, PERIOD, PERIOD, PERIOD, 0, N_BASE};
}

static struct cf_params test_params(size_t replicates, size_t placebos)
{
    struct cf_params p;
    cf_params_default(&p);
    p.replicates = replicates;
    p.placebos = placebos;
    p.placebo_replicates = 199;
    return p;
}

static void window_effect(struct gen *g, const struct cf_params *p, struct cf_effect *f)
{
    struct cf_model m;
    struct err e = ERR_INIT;
    cr_assert_eq(cf_fit(&g->in, &m, &e), ERR_OK, "fit: %s", e.msg);
    cr_assert_eq(cf_effect(&m, &g->in, p, N_BASE, N_ALL, 1, f, &e), ERR_OK, "%s", e.msg);
    cf_model_release(&m);
}

Test(counterfactual, model_terms_and_fit)
{
    struct gen g;
    generate(&g, 1, 0, true);
    struct cf_model m;
    struct err e = ERR_INIT;
    cr_assert_eq(cf_fit(&g.in, &m, &e), ERR_OK, "%s", e.msg);
    cr_expect(m.seasonal && m.trend, "ten days of hours: slots and trend");
    /* level + trend + 23 slots + 1 control */
    cr_expect_eq(m.p, 26);
    cr_expect_eq(m.n_obs, N_BASE);
    cr_expect(m.r2 > 0.8, "the wave and the control explain most of B: R^2 %g", m.r2);
    cr_expect_eq(m.block, (size_t)ceil(1.75 * cbrt(N_BASE)));
    cr_expect(m.coef[m.p - 1] > 1.0, "the control's (standardised) coefficient: %g",
              m.coef[m.p - 1]);
    cf_model_release(&m);
}

/* 400 series: every other one with a step of 2 (2 noise sd) in the window, the others with
 * none. 499 bootstrap paths keep the run short; the coverage and rate need no more. */
Test(counterfactual, step_covered_and_no_step_rarely_found)
{
    struct cf_params p = test_params(499, 0);
    size_t runs = 400, covered = 0, found = 0, false_pos = 0;
    double step = 2.0;
    for (size_t s = 0; s < runs; s++) {
        bool with_step = s % 2 == 0;
        struct gen g;
        generate(&g, 100 + s, with_step ? step : 0, s % 4 < 2);
        struct cf_effect f;
        window_effect(&g, &p, &f);
        cr_assert_eq(f.m, N_WIN);
        cr_assert_float_eq(f.cumulative, f.point * N_WIN, 1e-9);
        cr_assert(f.cum_low <= f.cumulative && f.cumulative <= f.cum_high);
        if (with_step) {
            covered += f.ci_low <= step && step <= f.ci_high;
            found += f.p_two_sided < 0.05 && f.ci_low > 0;
        } else {
            false_pos += f.p_two_sided < 0.05;
        }
    }
    double half = (double)runs / 2, share = (double)covered / half, fp = (double)false_pos / half;
    printf("counterfactual: the 95%% interval covered a step of %.1f in %zu of %.0f series "
           "(%.1f%%), found it in %zu; p < 0.05 without a step in %zu of %.0f (%.1f%%)\n", step,
           covered, half, 100 * share, found, false_pos, half, 100 * fp);
    cr_expect(share >= 0.88 && share <= 0.99, "coverage %.3f", share);
    cr_expect(found >= runs / 2 * 9 / 10, "a 2-sd step is found: %zu", found);
    cr_expect(fp >= 0.01 && fp <= 0.12, "false-positive rate %.3f", fp);
}

Test(counterfactual, placebo_rate_near_alpha)
{
    struct cf_params p = test_params(499, 20);
    size_t hits = 0, total = 0, runs = 30;
    double cover = 0;
    for (size_t s = 0; s < runs; s++) {
        struct gen g;
        generate(&g, 9000 + s, 0, s % 2 == 0);
        struct cf_model m;
        cr_assert_eq(cf_fit(&g.in, &m, NULL), ERR_OK);
        struct cf_diagnostics d;
        cf_diagnose(&m, &g.in, &p, N_WIN, &d);
        cr_assert_eq(d.placebo_len, N_WIN);
        hits += d.placebo_hits;
        total += d.placebos;
        cover += d.holdout_coverage;
        cf_model_release(&m);
    }
    double rate = (double)hits / (double)total;
    printf("counterfactual: placebo rate %.1f%% over %zu pseudo-interventions; mean holdout "
           "coverage %.1f%%\n", 100 * rate, total, 100 * cover / (double)runs);
    cr_expect_eq(total, runs * 20, "every placebo ran: %zu", total);
    cr_expect(rate >= 0.01 && rate <= 0.12, "placebo rate %.3f", rate);
    cr_expect(cover / (double)runs > 0.8, "holdout coverage %.3f", cover / (double)runs);
}

/* A rate from counts, like the demo's conversion: 15-minute buckets, hour-of-day slots, a
 * Poisson number of trials that follows the day (4am quiet, evening busy), a binomial number
 * of successes; 4.6 days of baseline and one day after. The noise is heteroscedastic and the
 * slot means make neighbouring residuals negatively correlated: both must be allowed for. */
#define R_PERIOD 96
#define R_BASE 441
#define R_WIN 96

static void generate_rate(double *y, int *slot, uint64_t seed, double p_after)
{
    struct rng r;
    rng_seed(&r, seed, 11);
    for (size_t i = 0; i < R_BASE + R_WIN; i++) {
        double hour = (double)(i % R_PERIOD) / 4.0;
        double trials = 10 * (0.4 + 0.6 * (1 - cos(2 * 3.14159265358979 * (hour - 4) / 24)));
        uint64_t n = rng_poisson(&r, trials), k = 0;
        for (uint64_t j = 0; j < n; j++)
            k += rng_chance(&r, i >= R_BASE ? p_after : 0.85);
        y[i] = n ? (double)k / (double)n : NAN;
        slot[i] = (int)hour;
    }
}

Test(counterfactual, rate_in_short_buckets_interval_and_false_positives)
{
    struct cf_params p = test_params(499, 0);
    size_t runs = 200, covered = 0, false_pos = 0;
    double y[R_BASE + R_WIN];
    int slot[R_BASE + R_WIN];
    for (size_t s = 0; s < runs; s++) {
        bool shifted = s % 2 == 1;
        generate_rate(y, slot, 700 + s, shifted ? 0.75 : 0.85);
        struct cf_input in = {y, NULL, R_BASE + R_WIN, 0, slot, 24, R_PERIOD, R_PERIOD, 0,
                              R_BASE};
        struct cf_model m;
        struct cf_effect f;
        cr_assert_eq(cf_fit(&in, &m, NULL), ERR_OK);
        cr_assert_eq(cf_effect(&m, &in, &p, R_BASE, R_BASE + R_WIN, 1, &f, NULL), ERR_OK);
        cf_model_release(&m);
        if (shifted)
            covered += f.ci_low <= -0.1 && -0.1 <= f.ci_high;
        else
            false_pos += f.p_two_sided < 0.05;
    }
    double half = (double)(runs / 2);
    double cover = (double)covered / half, fp = (double)false_pos / half;
    printf("counterfactual: rate in 15m buckets: a drop of 0.1 covered in %.1f%%, p < 0.05 "
           "without a drop in %.1f%%\n", 100 * cover, 100 * fp);
    cr_expect(cover >= 0.88 && cover <= 0.99, "coverage %.3f", cover);
    cr_expect(fp >= 0.01 && fp <= 0.12, "false-positive rate %.3f", fp);
}

Test(counterfactual, deterministic)
{
    struct gen g;
    generate(&g, 42, -1.5, true);
    struct cf_params p = test_params(1999, 20);
    struct cf_effect a, b;
    struct cf_diagnostics da, db;
    struct cf_model m;
    cr_assert_eq(cf_fit(&g.in, &m, NULL), ERR_OK);
    cf_effect(&m, &g.in, &p, N_BASE, N_ALL, 2, &a, NULL);
    cf_diagnose(&m, &g.in, &p, N_WIN, &da);
    cf_model_release(&m);
    cr_assert_eq(cf_fit(&g.in, &m, NULL), ERR_OK);
    cf_effect(&m, &g.in, &p, N_BASE, N_ALL, 2, &b, NULL);
    cf_diagnose(&m, &g.in, &p, N_WIN, &db);
    cf_model_release(&m);
    cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "same input, same effect");
    cr_expect(memcmp(&da, &db, sizeof(da)) == 0, "same input, same diagnostics");
    /* Another stream gives other draws (but the same point estimate). */
    cr_assert_eq(cf_fit(&g.in, &m, NULL), ERR_OK);
    cf_effect(&m, &g.in, &p, N_BASE, N_ALL, 3, &b, NULL);
    cf_model_release(&m);
    cr_expect_eq(a.point, b.point);
    cr_expect_neq(a.ci_low, b.ci_low);
}

Test(counterfactual, verdicts)
{
    struct cf_effect f = {0};
    f.m = 10;
    f.point = 0.01, f.ci_low = -0.03, f.ci_high = 0.05, f.ci90_low = -0.02, f.ci90_high = 0.04;
    cr_expect_eq(cf_verdict(&f, 0.05, -1), CF_RECOVERED);
    cr_expect_eq(cf_verdict(&f, 0.03, -1), CF_INCONCLUSIVE, "the 90%% interval leaves +-0.03");
    f.point = -0.2, f.ci_low = -0.3, f.ci_high = -0.1, f.ci90_low = -0.28, f.ci90_high = -0.12;
    cr_expect_eq(cf_verdict(&f, 0.05, -1), CF_NOT_RECOVERED);
    cr_expect_eq(cf_verdict(&f, 0.05, 0), CF_NOT_RECOVERED);
    cr_expect_eq(cf_verdict(&f, 0.05, +1), CF_INCONCLUSIVE, "lower is not worse here");
    f.m = 0;
    cr_expect_eq(cf_verdict(&f, 0.05, -1), CF_INCONCLUSIVE);
    cr_expect_str_eq(cf_verdict_name(CF_NOT_RECOVERED), "not_recovered");
}

static void expect_refused(const struct cf_input *in, const char *text)
{
    struct cf_model m;
    struct err e = ERR_INIT;
    cr_expect_eq(cf_fit(in, &m, &e), ERR_INVALID, "refused: %s", text);
    cr_expect(strstr(e.msg, text) != NULL, "message '%s' lacks '%s'", e.msg, text);
}

Test(counterfactual, bad_input)
{
    struct gen g;
    generate(&g, 3, 0, false);
    struct cf_input in = g.in;
    in.n = 0;
    expect_refused(&in, "the series is empty");

    in = g.in;
    in.b_to = 0;
    expect_refused(&in, "the baseline is empty");

    in = g.in;
    in.b_from = N_BASE - 10;
    expect_refused(&in, "the baseline has 10 buckets with a value; at least 24 are needed");

    double flat[N_ALL];
    for (size_t i = 0; i < N_ALL; i++)
        flat[i] = 0.85;
    in = g.in;
    in.y = flat;
    expect_refused(&in, "constant over the baseline (every value is 0.85)");

    double gaps[N_ALL];
    memcpy(gaps, g.y, sizeof(gaps));
    for (size_t i = 0; i < N_BASE; i += 3)
        gaps[i] = NAN;
    in = g.in;
    in.y = gaps;
    expect_refused(&in, "80 of the baseline's 240 buckets are empty");

    double inf[N_ALL];
    memcpy(inf, g.y, sizeof(inf));
    inf[5] = INFINITY;
    in = g.in;
    in.y = inf;
    expect_refused(&in, "bucket 5 of the series is infinite");

}

Test(counterfactual, slots_dropped_when_the_baseline_is_too_short_for_them)
{
    /* 30 buckets cover "two seasons" of 12, but 24 slots would need 2 x 25 buckets. */
    struct gen g;
    generate(&g, 3, 0, false);
    struct cf_input in = g.in;
    in.b_to = 30;
    in.period = 12;
    struct cf_model m;
    struct err e = ERR_INIT;
    cr_assert_eq(cf_fit(&in, &m, &e), ERR_OK, "%s", e.msg);
    cr_expect(!m.seasonal && m.trend);
    cr_expect_eq(m.p, 2);
    cf_model_release(&m);
}

Test(counterfactual, a_few_gaps_are_skipped_and_an_empty_window_has_no_figures)
{
    struct gen g;
    generate(&g, 4, 0, false);
    for (size_t i = 0; i < N_BASE; i += 20)
        g.y[i] = NAN; /* 5%: accepted */
    for (size_t i = N_BASE; i < N_ALL; i++)
        g.y[i] = NAN;
    struct cf_model m;
    struct err e = ERR_INIT;
    cr_assert_eq(cf_fit(&g.in, &m, &e), ERR_OK, "%s", e.msg);
    cr_expect_eq(m.n_obs, N_BASE - N_BASE / 20);
    struct cf_params p = test_params(199, 0);
    struct cf_effect f;
    cr_assert_eq(cf_effect(&m, &g.in, &p, N_BASE, N_ALL, 1, &f, &e), ERR_OK);
    cr_expect_eq(f.m, 0);
    cr_expect(isnan(f.point) && isnan(f.ci_low) && isnan(f.p_two_sided));
    cr_expect_eq(cf_effect(&m, &g.in, &p, N_BASE, N_ALL + 1, 1, &f, &e), ERR_INVALID);
    cf_model_release(&m);
}
