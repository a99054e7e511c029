/* counterfactual.c: RC-BB, the regression counterfactual with a moving-block bootstrap
 * (counterfactual.h; the formulas are in docs/verify.md). */
#include "analytics/counterfactual.h"

#include "analytics/baseline.h"
#include "core/rng.h"
#include "core/xalloc.h"

#include <gsl/gsl_multifit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The ridge penalty on the standardised controls, as a share of trace(X'X) / k (about n). */
#define RIDGE_SHARE 1e-3
/* The stream numbers of the placebo runs start here (the caller's windows use small ones). */
#define PLACEBO_STREAM UINT64_C(1000)
#define HOLDOUT_SHARE 0.8
/* The weight, in buckets, of the overall residual scale in each slot's scale. */
#define SD_PRIOR 10.0

void cf_params_default(struct cf_params *p)
{
    p->alpha = 0.05;
    p->replicates = 1999;
    p->placebos = 20;
    p->placebo_replicates = 499;
    p->seed = CF_SEED;
}

void cf_model_release(struct cf_model *m)
{
    free(m->coef);
    free(m->cov);
    free(m->center);
    free(m->scale);
    free(m->slot_col);
    free(m->obs);
    free(m->resid);
    free(m->z);
    free(m->slot_sd);
    free(m->innov);
    free(m->acov);
    free(m->fit_bias);
    free(m->design);
    memset(m, 0, sizeof(*m));
}

/* ---- the design ---- */

/* Writes the design row of bucket i into row (m->p values); false when a control is empty
 * there. */
static bool design_row(const struct cf_model *m, const struct cf_input *in, size_t i,
                       double *row)
{
    size_t c = 0;
    row[c++] = 1.0;
    if (m->trend)
        row[c++] = ((double)i - m->t_mean) / m->t_scale;
    for (size_t s = 0; s < m->n_slots; s++)
        if (m->slot_col[s] >= 0)
            row[c++] = 0.0;
    if (m->seasonal && in->slot[i] >= 0 && (size_t)in->slot[i] < m->n_slots &&
        m->slot_col[in->slot[i]] >= 0)
        row[m->slot_col[in->slot[i]]] = 1.0;
    for (size_t j = 0; j < m->k; j++) {
        double v = in->x[j][i];
        if (!isfinite(v))
            return false;
        row[c++] = (v - m->center[j]) / m->scale[j];
    }
    return true;
}

double cf_predict(const struct cf_model *m, const struct cf_input *in, size_t i)
{
    double *row = xcalloc(m->p, sizeof(*row));
    double v = NAN;
    if (design_row(m, in, i, row)) {
        v = 0;
        for (size_t c = 0; c < m->p; c++)
            v += row[c] * m->coef[c];
    }
    free(row);
    return v;
}

/* ---- fitting ---- */

static bool bucket_usable(const struct cf_input *in, size_t i)
{
    if (!isfinite(in->y[i]))
        return false;
    for (size_t j = 0; j < in->k; j++)
        if (!isfinite(in->x[j][i]))
            return false;
    return true;
}

static int check_input(const struct cf_input *in, struct err *e)
{
    if (in->n == 0 || !in->y)
        return err_set(e, ERR_INVALID, "the series is empty");
    if (in->b_from >= in->b_to || in->b_to > in->n)
        return err_set(e, ERR_INVALID, "the baseline is empty (buckets %zu to %zu of %zu)",
                       in->b_from, in->b_to, in->n);
    if (in->k > CF_MAX_CONTROLS)
        return err_set(e, ERR_INVALID, "%zu control series; at most %d are used", in->k,
                       CF_MAX_CONTROLS);
    if (in->slot && in->n_slots == 0)
        return err_set(e, ERR_INVALID, "seasonal slots given without their number");
    for (size_t i = 0; i < in->n; i++) {
        if (isinf(in->y[i]))
            return err_set(e, ERR_INVALID, "bucket %zu of the series is infinite", i);
        for (size_t j = 0; j < in->k; j++)
            if (isinf(in->x[j][i]))
                return err_set(e, ERR_INVALID, "bucket %zu of control %zu is infinite", i,
                               j + 1);
    }
    return ERR_OK;
}

/* Lists the usable baseline buckets and refuses a baseline too short, too gappy or
 * constant. */
static int baseline_buckets(const struct cf_input *in, size_t **ret_obs, size_t *ret_n,
                            struct err *e)
{
    size_t len = in->b_to - in->b_from, n = 0;
    size_t *obs = xcalloc(len, sizeof(*obs));
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = in->b_from; i < in->b_to; i++)
        if (bucket_usable(in, i)) {
            obs[n++] = i;
            lo = fmin(lo, in->y[i]);
            hi = fmax(hi, in->y[i]);
        }
    int rc = ERR_OK;
    if (n < CF_MIN_BASELINE)
        rc = err_set(e, ERR_INVALID, "the baseline has %zu buckets with a value; at least %d "
                     "are needed", n, CF_MIN_BASELINE);
    else if ((double)(len - n) > CF_MAX_EMPTY_SHARE * (double)len)
        rc = err_set(e, ERR_INVALID, "%zu of the baseline's %zu buckets are empty (gaps); at "
                     "most %.0f%% may be", len - n, len, 100 * CF_MAX_EMPTY_SHARE);
    else if (hi - lo <= 1e-12 * fmax(1.0, fabs(hi)))
        rc = err_set(e, ERR_INVALID, "the series is constant over the baseline (every value "
                     "is %g): there is no variation to model", hi);
    if (rc < 0) {
        free(obs);
        return rc;
    }
    *ret_obs = obs;
    *ret_n = n;
    return ERR_OK;
}

/* Chooses the columns: the level, the trend, one column per seasonal slot seen in B except
 * the most frequent (the reference), the controls. */
static void choose_columns(struct cf_model *m, const struct cf_input *in, bool seasonal)
{
    size_t len = in->b_to - in->b_from;
    m->k = in->k;
    m->trend = in->trend_min > 0 && len >= in->trend_min;
    m->seasonal = seasonal && in->slot && in->period > 0 && len >= 2 * in->period;
    m->n_slots = m->seasonal ? in->n_slots : 0;
    m->slot_col = xcalloc(m->n_slots ? m->n_slots : 1, sizeof(*m->slot_col));
    size_t c = 1 + (m->trend ? 1 : 0);
    if (m->seasonal) {
        size_t *count = xcalloc(m->n_slots, sizeof(*count)), ref = 0;
        for (size_t i = 0; i < m->n_obs; i++) {
            int s = in->slot[m->obs[i]];
            if (s >= 0 && (size_t)s < m->n_slots)
                count[s]++;
        }
        for (size_t s = 1; s < m->n_slots; s++)
            if (count[s] > count[ref])
                ref = s;
        for (size_t s = 0; s < m->n_slots; s++)
            m->slot_col[s] = s != ref && count[s] > 0 ? (int)c++ : -1;
        free(count);
    }
    m->p = c + m->k;
    double t_sum = 0, t_sq = 0;
    for (size_t i = 0; i < m->n_obs; i++)
        t_sum += (double)m->obs[i];
    m->t_mean = t_sum / (double)m->n_obs;
    for (size_t i = 0; i < m->n_obs; i++)
        t_sq += ((double)m->obs[i] - m->t_mean) * ((double)m->obs[i] - m->t_mean);
    m->t_scale = t_sq > 0 ? sqrt(t_sq / (double)m->n_obs) : 1.0;
    m->center = xcalloc(m->k ? m->k : 1, sizeof(double));
    m->scale = xcalloc(m->k ? m->k : 1, sizeof(double));
    for (size_t j = 0; j < m->k; j++) {
        double s = 0, sq = 0;
        for (size_t i = 0; i < m->n_obs; i++)
            s += in->x[j][m->obs[i]];
        m->center[j] = s / (double)m->n_obs;
        for (size_t i = 0; i < m->n_obs; i++)
            sq += pow(in->x[j][m->obs[i]] - m->center[j], 2);
        /* A control constant over B has no information: scale 1 keeps it finite, and the
         * least squares give it no weight. */
        m->scale[j] = sq > 0 ? sqrt(sq / (double)m->n_obs) : 1.0;
    }
}

/* Ridge least squares by SVD (gsl_multifit_wlinear): the penalty lambda |b|^2 on the control
 * coefficients is k extra rows sqrt(lambda) e_j with target 0, so the returned covariance
 * (unit weights) is (X'X + Lambda)^-1. SVD rather than Cholesky: collinear columns (a slot
 * seen once, two controls alike) are truncated instead of failing. */
static int solve(struct cf_model *m, const struct cf_input *in, struct err *e)
{
    size_t rows = m->n_obs + m->k, p = m->p;
    gsl_matrix *X = gsl_matrix_calloc(rows, p), *cov = gsl_matrix_alloc(p, p);
    gsl_vector *y = gsl_vector_calloc(rows), *w = gsl_vector_alloc(rows);
    gsl_vector *c = gsl_vector_alloc(p);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(rows, p);
    gsl_vector_set_all(w, 1.0);
    m->design = xmallocarray(m->n_obs * p, sizeof(double));
    for (size_t i = 0; i < m->n_obs; i++) {
        design_row(m, in, m->obs[i], m->design + i * p);
        for (size_t col = 0; col < p; col++)
            gsl_matrix_set(X, i, col, m->design[i * p + col]);
        gsl_vector_set(y, i, in->y[m->obs[i]]);
    }
    double lambda = RIDGE_SHARE * (double)m->n_obs;
    for (size_t j = 0; j < m->k; j++)
        gsl_matrix_set(X, m->n_obs + j, p - m->k + j, sqrt(lambda));
    double chisq;
    int status = gsl_multifit_wlinear(X, w, y, c, cov, &chisq, ws);
    int rc = ERR_OK;
    if (status != 0) {
        rc = err_set(e, ERR_INTERNAL, "the baseline regression failed (%d)", status);
    } else {
        m->coef = xmallocarray(p, sizeof(double));
        m->cov = xmallocarray(p * p, sizeof(double));
        for (size_t a = 0; a < p; a++) {
            m->coef[a] = gsl_vector_get(c, a);
            for (size_t b = 0; b < p; b++)
                m->cov[a * p + b] = gsl_matrix_get(cov, a, b);
        }
    }
    gsl_multifit_linear_free(ws);
    gsl_vector_free(c);
    gsl_vector_free(w);
    gsl_vector_free(y);
    gsl_matrix_free(cov);
    gsl_matrix_free(X);
    return rc;
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* The noise scale of bucket i: its slot's when the model is seasonal, else the overall one. */
static double noise_sd(const struct cf_model *m, const struct cf_input *in, size_t i)
{
    if (m->seasonal && in->slot[i] >= 0 && (size_t)in->slot[i] < m->n_slots)
        return m->slot_sd[in->slot[i]];
    return m->sd;
}

/* The residuals' scale per seasonal slot, shrunk toward the overall scale with the weight of
 * SD_PRIOR buckets (a slot seen a few times keeps near the overall value), and the residuals
 * divided by it. Most product metrics are noisier when traffic is low (a ratio of 3 payments
 * at 4am against one of 40 at 7pm): one scale for all would make the night look calm and the
 * evening wild. */
static void standardise(struct cf_model *m, const struct cf_input *in)
{
    double ss = 0;
    for (size_t i = 0; i < m->n_obs; i++)
        ss += m->resid[i] * m->resid[i];
    double var = ss / (double)m->n_obs;
    m->sd = sqrt(var);
    m->slot_sd = xcalloc(m->n_slots ? m->n_slots : 1, sizeof(double));
    if (m->seasonal) {
        double *sum = xcalloc(m->n_slots, sizeof(double)), *cnt = xcalloc(m->n_slots,
                                                                          sizeof(double));
        for (size_t i = 0; i < m->n_obs; i++) {
            int sl = in->slot[m->obs[i]];
            if (sl >= 0 && (size_t)sl < m->n_slots)
                sum[sl] += m->resid[i] * m->resid[i], cnt[sl]++;
        }
        for (size_t k = 0; k < m->n_slots; k++)
            m->slot_sd[k] = sqrt((sum[k] + SD_PRIOR * var) / (cnt[k] + SD_PRIOR));
        free(sum);
        free(cnt);
    }
    m->z = xcalloc(m->n_obs, sizeof(double));
    for (size_t i = 0; i < m->n_obs; i++) {
        double sd = noise_sd(m, in, m->obs[i]);
        m->z[i] = sd > 0 ? m->resid[i] / sd : 0;
    }
}

/* Splits the standardised residuals into an AR(1) part and its innovations. A moving-block
 * bootstrap loses the correlation across the joins of its blocks (its variance is low by
 * about 2 sum(k rho_k) / l); resampling the innovations, which are nearly uncorrelated, and
 * filtering them back keeps the short-range correlation whole (pre-whitening, Davison and
 * Hinkley 1997, section 8.2.3). phi is kept inside [-0.9, 0.95]: a residual near a random walk
 * means the model misses a level shift, and the placebo run is the place to see that. */
static void prewhiten(struct cf_model *m)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < m->n_obs; i++) {
        den += m->z[i] * m->z[i];
        if (i)
            num += m->z[i] * m->z[i - 1];
    }
    m->phi = den > 0 ? fmax(-0.9, fmin(0.95, num / den)) : 0;
    m->n_innov = m->n_obs - 1;
    m->innov = xcalloc(m->n_innov, sizeof(double));
    double mean = 0;
    for (size_t i = 1; i < m->n_obs; i++)
        mean += m->innov[i - 1] = m->z[i] - m->phi * m->z[i - 1];
    mean /= (double)m->n_innov;
    for (size_t i = 0; i < m->n_innov; i++)
        m->innov[i] -= mean;
}

/* The autocovariances of z at lags 0..block, and what the fit took from them. Residuals of a
 * regression are correlated even when the noise is not: E[e_i e_j] = -sigma^2 H_ij for i != j
 * (H the hat matrix X (X'X + Lambda)^-1 X'). Hour-of-day slots put each bucket and its next
 * few neighbours in the same slot, so the residuals are negatively correlated at short lags
 * and a bootstrap of them alone is too calm (by about 10% in sd for 15-minute buckets).
 * fit_bias[k] = (n / (n - p)) gamma_0 sum_i H_(i,i-k) / (n - k) is added back when the
 * simulated noise is sized (kappa). */
static void fit_correlation(struct cf_model *m)
{
    size_t L = m->block, n = m->n_obs, p = m->p;
    m->acov = xcalloc(L + 1, sizeof(double));
    m->fit_bias = xcalloc(L + 1, sizeof(double));
    double *cx = xcalloc(p, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        for (size_t a = 0; a < p; a++)
            cx[a] = dot(m->cov + a * p, m->design + i * p, p);
        for (size_t k = 0; k <= L && k <= i; k++) {
            m->acov[k] += m->z[i] * m->z[i - k];
            if (k)
                m->fit_bias[k] += dot(m->design + (i - k) * p, cx, p);
        }
    }
    double inflate = (double)n / (double)(n - p);
    for (size_t k = 0; k <= L; k++) {
        m->acov[k] /= (double)(n - k);
        m->fit_bias[k] *= inflate * m->acov[0] / (double)(n - k);
    }
    free(cx);
}

/* The factor that widens the simulated noise of a sum over len consecutive buckets from the
 * residuals' correlation to the noise's: sqrt(V_noise(len) / V_resid(len)) with
 * V(len) = gamma_0 + 2 sum_(k < len, k <= block) (1 - k / len) gamma_k, kept within
 * [1/1.5, 1.5]. */
static double kappa(const struct cf_model *m, size_t len)
{
    double raw = m->acov[0], fixed = m->acov[0];
    for (size_t k = 1; k <= m->block && k < len; k++) {
        double w = 2.0 * (1.0 - (double)k / (double)len);
        raw += w * m->acov[k];
        fixed += w * (m->acov[k] + m->fit_bias[k]);
    }
    if (!(raw > 0) || !(fixed > 0))
        return 1.0;
    return fmin(1.5, fmax(1.0 / 1.5, sqrt(fixed / raw)));
}

/* Residuals, R^2, MAD and the block length. */
static void residuals(struct cf_model *m, const struct cf_input *in)
{
    m->resid = xcalloc(m->n_obs, sizeof(double));
    double mean = 0, ss_tot = 0, ss_res = 0;
    for (size_t i = 0; i < m->n_obs; i++)
        mean += in->y[m->obs[i]];
    mean /= (double)m->n_obs;
    for (size_t i = 0; i < m->n_obs; i++) {
        double y = in->y[m->obs[i]];
        m->resid[i] = y - dot(m->design + i * m->p, m->coef, m->p);
        ss_tot += (y - mean) * (y - mean);
        ss_res += m->resid[i] * m->resid[i];
    }
    m->r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : NAN;
    double *tmp = xcalloc(m->n_obs, sizeof(double));
    memcpy(tmp, m->resid, m->n_obs * sizeof(double));
    double med = median_inplace(tmp, m->n_obs);
    for (size_t i = 0; i < m->n_obs; i++)
        tmp[i] = fabs(m->resid[i] - med);
    m->mad = median_inplace(tmp, m->n_obs);
    free(tmp);
    /* Fitted residuals are smaller than the noise by (n - p) / n in variance. */
    double inflate = sqrt((double)m->n_obs / (double)(m->n_obs - m->p));
    for (size_t i = 0; i < m->n_obs; i++)
        m->resid[i] *= inflate;
    standardise(m, in);
    prewhiten(m);
    m->block = (size_t)ceil(1.75 * cbrt((double)m->n_innov));
    if (m->block < 2)
        m->block = 2;
    if (m->block > m->n_innov / 2)
        m->block = m->n_innov / 2;
    fit_correlation(m);
}

int cf_fit(const struct cf_input *in, struct cf_model *ret, struct err *e)
{
    struct cf_model m;
    memset(&m, 0, sizeof(m));
    int rc = check_input(in, e);
    if (rc == ERR_OK)
        rc = baseline_buckets(in, &m.obs, &m.n_obs, e);
    if (rc < 0)
        return rc;
    choose_columns(&m, in, true);
    /* Two residual degrees of freedom per column at least, or the fit only echoes B: a
     * baseline of two days in hours has too few for 24 slots, so it goes without them. */
    if (m.n_obs < 2 * m.p && m.seasonal) {
        free(m.slot_col);
        free(m.center);
        free(m.scale);
        choose_columns(&m, in, false);
    }
    if (m.n_obs < 2 * m.p) {
        rc = err_set(e, ERR_INVALID, "the baseline has %zu buckets with a value, too few for a "
                     "model of %zu terms (at least %zu are needed)", m.n_obs, m.p, 2 * m.p);
        goto done;
    }
    if ((rc = solve(&m, in, e)) < 0)
        goto done;
    residuals(&m, in);
    *ret = m;
    return ERR_OK;
done:
    cf_model_release(&m);
    return rc;
}

/* ---- effects ---- */

/* The sum of weight[0..len) times one simulated path of standardised noise: the baseline's
 * AR(1) filter run on a moving-block bootstrap of its innovations, started from a residual
 * drawn at random (a stationary start). The weights carry each bucket's noise scale. */
static double block_path(struct rng *r, const struct cf_model *m, const double *weight,
                         size_t len)
{
    double s = 0, prev = m->z[rng_below(r, m->n_obs)];
    size_t filled = 0, starts = m->n_innov - m->block + 1;
    while (filled < len) {
        size_t start = (size_t)rng_below(r, starts);
        size_t take = len - filled < m->block ? len - filled : m->block;
        for (size_t j = 0; j < take; j++) {
            prev = m->phi * prev + m->innov[start + j];
            s += weight[filled + j] * prev;
        }
        filled += take;
    }
    return s;
}

static double quantile_sorted(const double *v, size_t n, double f)
{
    return gsl_stats_quantile_from_sorted_data(v, 1, n, f);
}

static void effect_nan(struct cf_effect *f)
{
    double nan = NAN;
    f->m = 0;
    f->actual = f->predicted = f->point = f->ci_low = f->ci_high = nan;
    f->ci90_low = f->ci90_high = f->cumulative = f->cum_low = f->cum_high = nan;
    f->relative = f->rel_low = f->rel_high = f->p_two_sided = f->p_one_sided = nan;
    f->sd = f->mde = nan;
}

/* Summarises the sorted null draws d[0..R) for an observed average effect. */
static void effect_from_draws(struct cf_effect *f, const double *d, size_t R, double alpha)
{
    double hi = quantile_sorted(d, R, 1 - alpha / 2), lo = quantile_sorted(d, R, alpha / 2);
    f->ci_low = f->point - hi;
    f->ci_high = f->point - lo;
    f->ci90_low = f->point - quantile_sorted(d, R, 1 - alpha);
    f->ci90_high = f->point - quantile_sorted(d, R, alpha);
    double m = (double)f->m;
    f->cumulative = m * f->point;
    f->cum_low = m * f->ci_low;
    f->cum_high = m * f->ci_high;
    bool rel = f->predicted != 0 && isfinite(f->predicted);
    f->relative = rel ? f->point / fabs(f->predicted) : NAN;
    f->rel_low = rel ? f->ci_low / fabs(f->predicted) : NAN;
    f->rel_high = rel ? f->ci_high / fabs(f->predicted) : NAN;
    size_t above = 0, below = 0, beyond = 0;
    for (size_t r = 0; r < R; r++) {
        above += d[r] >= f->point;
        below += d[r] <= f->point;
        beyond += fabs(d[r]) >= fabs(f->point);
    }
    f->p_two_sided = (1.0 + (double)beyond) / ((double)R + 1);
    f->p_one_sided = (1.0 + (double)(above < below ? above : below)) / ((double)R + 1);
    f->sd = gsl_stats_sd(d, 1, R);
    f->mde = 2.8 * f->sd;
}

int cf_effect(const struct cf_model *m, const struct cf_input *in, const struct cf_params *p,
              size_t w_from, size_t w_to, uint64_t stream, struct cf_effect *ret,
              struct err *e)
{
    if (w_from > w_to || w_to > in->n)
        return err_set(e, ERR_INVALID, "the window (buckets %zu to %zu) is outside the series "
                       "(%zu buckets)", w_from, w_to, in->n);
    if (p->replicates < 19 || !(p->alpha > 0 && p->alpha < 0.5))
        return err_set(e, ERR_INVALID, "bad bootstrap parameters (%zu paths, alpha %g)",
                       p->replicates, p->alpha);
    struct cf_effect f;
    effect_nan(&f);
    double *row = xcalloc(m->p, sizeof(double)), *xbar = xcalloc(m->p, sizeof(double));
    double *w_noise = xcalloc(w_to > w_from ? w_to - w_from : 1, sizeof(double));
    double sum_y = 0, sum_hat = 0;
    for (size_t i = w_from; i < w_to; i++) {
        if (!isfinite(in->y[i]) || !design_row(m, in, i, row))
            continue;
        double hat = dot(row, m->coef, m->p);
        sum_y += in->y[i];
        sum_hat += hat;
        for (size_t c = 0; c < m->p; c++)
            xbar[c] += row[c];
        w_noise[f.m++] = noise_sd(m, in, i);
    }
    if (f.m == 0)
        goto done;
    double widen = kappa(m, f.m);
    for (size_t k = 0; k < f.m; k++)
        w_noise[k] *= widen / (double)f.m;
    f.actual = sum_y / (double)f.m;
    f.predicted = sum_hat / (double)f.m;
    f.point = f.actual - f.predicted;
    for (size_t c = 0; c < m->p; c++)
        xbar[c] /= (double)f.m;
    /* The error of the window's mean prediction from the coefficients is
     * xbar' (X'X + Lambda)^-1 X' eps_B = weight . eps_B over the baseline. */
    double *v = xcalloc(m->p, sizeof(double)), *weight = xcalloc(m->n_obs, sizeof(double));
    for (size_t a = 0; a < m->p; a++)
        v[a] = dot(m->cov + a * m->p, xbar, m->p);
    double widen_b = kappa(m, m->n_obs);
    for (size_t i = 0; i < m->n_obs; i++)
        weight[i] = dot(m->design + i * m->p, v, m->p) * noise_sd(m, in, m->obs[i]) *
                    widen_b;
    double *d = xcalloc(p->replicates, sizeof(double));
    struct rng r;
    rng_seed(&r, p->seed, stream);
    for (size_t k = 0; k < p->replicates; k++)
        d[k] = block_path(&r, m, w_noise, f.m) - block_path(&r, m, weight, m->n_obs);
    gsl_sort(d, 1, p->replicates);
    effect_from_draws(&f, d, p->replicates, p->alpha);
    free(d);
    free(weight);
    free(v);
done:
    free(w_noise);
    free(row);
    free(xbar);
    *ret = f;
    return ERR_OK;
}

/* ---- diagnostics ---- */

/* The model fitted on [b_from, b_to) of in instead of in's own baseline. */
static int fit_prefix(const struct cf_input *in, size_t b_to, struct cf_model *ret)
{
    struct cf_input sub = *in;
    sub.b_to = b_to;
    return cf_fit(&sub, ret, NULL);
}

/* Refits on the first HOLDOUT_SHARE of B and counts the rest inside the 1 - alpha band of the
 * standardised residuals (each bucket's band scaled by its slot's noise). */
static double holdout(const struct cf_input *in, double alpha, size_t *ret_n)
{
    size_t len = in->b_to - in->b_from;
    size_t cut = in->b_from + (size_t)floor(HOLDOUT_SHARE * (double)len);
    *ret_n = 0;
    struct cf_model m;
    if (cut >= in->b_to || fit_prefix(in, cut, &m) < 0)
        return NAN;
    double *q = xcalloc(m.n_obs, sizeof(double));
    memcpy(q, m.z, m.n_obs * sizeof(double));
    gsl_sort(q, 1, m.n_obs);
    double lo = quantile_sorted(q, m.n_obs, alpha / 2);
    double hi = quantile_sorted(q, m.n_obs, 1 - alpha / 2);
    size_t inside = 0, n = 0;
    for (size_t i = cut; i < in->b_to; i++) {
        double hat = cf_predict(&m, in, i), sd = noise_sd(&m, in, i);
        if (!isfinite(in->y[i]) || !isfinite(hat) || !(sd > 0))
            continue;
        n++;
        double z = (in->y[i] - hat) / sd;
        inside += z >= lo && z <= hi;
    }
    free(q);
    cf_model_release(&m);
    *ret_n = n;
    return n ? (double)inside / (double)n : NAN;
}

void cf_diagnose(const struct cf_model *m, const struct cf_input *in, const struct cf_params *p,
                 size_t window_len, struct cf_diagnostics *ret)
{
    struct cf_diagnostics d = {NAN, 0, 0, 0, NAN, 0};
    d.holdout_coverage = holdout(in, p->alpha, &d.holdout_n);
    size_t len = in->b_to - in->b_from;
    size_t L = window_len < len / 4 ? window_len : len / 4;
    /* Each pseudo-intervention keeps a prefix that supports the same model. */
    size_t pre = CF_MIN_BASELINE > 3 * m->block ? CF_MIN_BASELINE : 3 * m->block;
    if (m->seasonal && pre < 2 * in->period)
        pre = 2 * in->period;
    if (m->trend && pre < in->trend_min)
        pre = in->trend_min;
    d.placebo_len = L;
    if (L >= 1 && p->placebos > 0 && pre + L <= len) {
        size_t lo = in->b_from + pre, span = len - pre - L + 1;
        struct cf_params pp = *p;
        pp.replicates = p->placebo_replicates;
        for (size_t k = 0; k < p->placebos; k++) {
            size_t at = lo + (size_t)(((double)k + 0.5) * (double)span / (double)p->placebos);
            struct cf_model pm;
            struct cf_effect f;
            if (fit_prefix(in, at, &pm) < 0)
                continue;
            if (cf_effect(&pm, in, &pp, at, at + L, PLACEBO_STREAM + k, &f, NULL) == ERR_OK &&
                f.m > 0) {
                d.placebos++;
                d.placebo_hits += f.p_two_sided < p->alpha;
            }
            cf_model_release(&pm);
        }
    }
    d.placebo_rate = d.placebos ? (double)d.placebo_hits / (double)d.placebos : NAN;
    *ret = d;
}

/* ---- verdict ---- */

enum cf_verdict cf_verdict(const struct cf_effect *post, double delta, int degraded)
{
    if (post->m == 0 || !isfinite(post->point))
        return CF_INCONCLUSIVE;
    if (delta > 0 && post->ci90_low >= -delta && post->ci90_high <= delta)
        return CF_RECOVERED;
    bool below = post->ci_high < 0, above = post->ci_low > 0;
    if ((degraded < 0 && below) || (degraded > 0 && above) || (degraded == 0 && (below || above)))
        return CF_NOT_RECOVERED;
    return CF_INCONCLUSIVE;
}

const char *cf_verdict_name(enum cf_verdict v)
{
    switch (v) {
    case CF_RECOVERED: return "recovered";
    case CF_NOT_RECOVERED: return "not_recovered";
    default: return "inconclusive";
    }
}
