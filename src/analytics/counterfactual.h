/* counterfactual.h: "did the fix work?": what a series would have done without the incident
 * and without the fix, and how far the observed series is from it (docs/verify.md).
 *
 * The method is RC-BB, a regression counterfactual with a moving-block bootstrap, a
 * frequentist stand-in for Google's CausalImpact:
 *
 *   y_t ~ a + c (t - mean t) + s_slot(t) + sum_j b_j x_tj          fitted on the baseline B only
 *
 * the level a, an optional linear trend c, optional seasonal slot means s (hour of the day),
 * and a ridge regression on control series x (standardised; penalty on b only). For a window
 * W (the incident, the weeks after the fix) the effect is y - y_hat per bucket, averaged and
 * summed. Its null distribution is simulated: R moving-block bootstrap paths of the baseline
 * residuals give the noise in W and, through the fit's linear weights, the error of the fitted
 * coefficients; intervals are basic bootstrap intervals, p-values tail counts. A placebo run
 * puts K pseudo-interventions inside B and reports how often the same test finds an effect
 * where there is none.
 *
 * Pure: arrays in, results out; no clock, no I/O. Every random draw comes from core/rng.h with
 * a fixed seed and one stream per window, so the same input gives the same output, bit for
 * bit, run after run. */
#ifndef ANALYTICS_COUNTERFACTUAL_H
#define ANALYTICS_COUNTERFACTUAL_H

#include "core/common.h"
#include "core/err.h"

/* At most this many control series (more only adds variance: the notes cap k near 10). */
#define CF_MAX_CONTROLS 8
/* The fewest baseline buckets with a value the model is fitted on. */
#define CF_MIN_BASELINE 24
/* The largest share of empty baseline buckets accepted. */
#define CF_MAX_EMPTY_SHARE 0.2

/* The series and where the baseline is. Index i is the i-th time bucket. */
struct cf_input {
    const double *y;        /* n values; NAN = empty bucket (no data, or 0/0) */
    const double *const *x; /* k control series of n values each; NULL when k is 0 */
    size_t n, k;
    const int *slot;        /* n seasonal slots in [0, n_slots), or NULL: no seasonal terms */
    size_t n_slots;
    size_t period;          /* buckets per season (a day); the slots are used only when the
                             * baseline covers at least 2 seasons */
    size_t trend_min;       /* the trend is used only when the baseline has at least this many
                             * buckets (0: never) */
    size_t b_from, b_to;    /* the baseline: buckets [b_from, b_to) */
};

struct cf_params {
    double alpha;      /* two-sided level of the intervals and tests (0.05) */
    size_t replicates; /* bootstrap paths for an effect (1999) */
    size_t placebos;   /* pseudo-interventions in the baseline (20; 0 for none) */
    size_t placebo_replicates; /* bootstrap paths per placebo test (499) */
    uint64_t seed;     /* CF_SEED unless a test wants another */
};

#define CF_SEED UINT64_C(0x5eed2026)

/* The defaults above. */
void cf_params_default(struct cf_params *p);

/* A fitted model; cf_model_release frees it. */
struct cf_model {
    size_t p;               /* columns of the design */
    double *coef;           /* p coefficients */
    double *cov;            /* p x p: (X'X + ridge)^-1 */
    double *center, *scale; /* k control standardisations */
    double t_mean, t_scale; /* the trend column: (t - t_mean) / t_scale */
    int *slot_col;          /* n_slots: the column of a slot, -1 for none (the reference) */
    size_t n_slots;
    bool seasonal, trend;
    size_t k;
    /* the baseline as fitted */
    size_t n_obs;     /* baseline buckets with a value */
    size_t *obs;      /* n_obs bucket indexes */
    double *resid;    /* n_obs residuals, rescaled by sqrt(n_obs / (n_obs - p)) */
    double *design;   /* n_obs x p rows of the fitted buckets (for the coefficient error) */
    double r2;        /* 1 - SS_res / SS_tot on B */
    double mad;       /* median absolute deviation of the residuals (their median removed) */
    double sd;        /* the residuals' overall scale (root mean square) */
    double *slot_sd;  /* n_slots scales, one per seasonal slot (shrunk toward sd) */
    double *z;        /* n_obs residuals divided by their slot's scale */
    double phi;       /* lag-1 autocorrelation of z (the pre-whitening filter) */
    double *innov;    /* n_innov = n_obs - 1 innovations z_i - phi z_(i-1), centred */
    size_t n_innov;
    size_t block;     /* bootstrap block length: max(2, ceil(1.75 n_innov^(1/3))) */
    double *acov;     /* block + 1 autocovariances of z at lags 0..block */
    double *fit_bias; /* block + 1: what the fit took from them (docs/verify.md) */
};

void cf_model_release(struct cf_model *m);

/* Fits the model on the baseline of in. Errors (ERR_INVALID, the message says what is wrong
 * and how much there is): an empty series or baseline, a value that is infinite, fewer than
 * CF_MIN_BASELINE baseline buckets with a value, more than CF_MAX_EMPTY_SHARE of them empty,
 * a baseline where the series is constant, more than CF_MAX_CONTROLS controls. A control
 * that is empty where y has a value makes that bucket count as empty. */
int cf_fit(const struct cf_input *in, struct cf_model *ret, struct err *e);

/* The model's expectation for bucket i (NAN when a control is empty there). */
double cf_predict(const struct cf_model *m, const struct cf_input *in, size_t i);

/* The effect over one window. Every figure is NAN when the window has no bucket with a value
 * (m == 0). Averages and their intervals are per bucket; cumulative figures are over the m
 * buckets with a value. */
struct cf_effect {
    size_t m;                      /* buckets of the window with a value */
    double actual, predicted;      /* mean of y and of y_hat over them */
    double point, ci_low, ci_high; /* average effect and its 1 - alpha interval */
    double ci90_low, ci90_high;    /* its 1 - 2 alpha interval (the TOST interval) */
    double cumulative, cum_low, cum_high;
    double relative, rel_low, rel_high; /* the average effect over the predicted mean */
    double p_two_sided;  /* (1 + #{|d_r| >= |point|}) / (R + 1) */
    double p_one_sided;  /* CausalImpact's tail area: (1 + min(#{d_r >= point},
                          * #{d_r <= point})) / (R + 1) */
    double sd;           /* standard deviation of the simulated null d_r */
    double mde;          /* minimum detectable average effect: 2.8 sd */
};

/* The effect over the buckets [w_from, w_to) (which may overlap the baseline). stream makes
 * the draws of one window independent of the others'. */
int cf_effect(const struct cf_model *m, const struct cf_input *in, const struct cf_params *p,
              size_t w_from, size_t w_to, uint64_t stream, struct cf_effect *ret,
              struct err *e);

/* Diagnostics on the baseline. */
struct cf_diagnostics {
    double holdout_coverage; /* refit on the first 80% of B: the share of the last 20% inside
                              * the 1 - alpha band; NAN when B is too short to split */
    size_t holdout_n;
    size_t placebos;         /* pseudo-interventions run (0 when B is too short for them) */
    size_t placebo_hits;     /* of which found an effect at alpha (two-sided) */
    double placebo_rate;     /* hits / placebos, NAN when none ran */
    size_t placebo_len;      /* buckets of each pseudo-window */
};

/* Holdout coverage and the placebo-in-time run. window_len is the length (in buckets) of the
 * windows the caller tests; the pseudo-windows take min(window_len, |B| / 4) buckets. The
 * pseudo-interventions are spread evenly over the part of B whose prefix supports the same
 * model (two seasons when seasonal, at least CF_MIN_BASELINE and 3 blocks). */
void cf_diagnose(const struct cf_model *m, const struct cf_input *in, const struct cf_params *p,
                 size_t window_len, struct cf_diagnostics *ret);

/* The verdict on the window after the fix (docs/verify.md, "Verdict"). degraded is the
 * direction of harm: -1 when lower is worse, +1 when higher is worse, 0 when either is. */
enum cf_verdict { CF_INCONCLUSIVE, CF_RECOVERED, CF_NOT_RECOVERED };

/* RECOVERED when [ci90_low, ci90_high] lies inside [-delta, delta] (TOST equivalence at
 * alpha); else NOT_RECOVERED when the 1 - alpha interval excludes 0 on the degraded side;
 * else INCONCLUSIVE. */
enum cf_verdict cf_verdict(const struct cf_effect *post, double delta, int degraded);
const char *cf_verdict_name(enum cf_verdict v);

#endif
