/* changepoint.c: PELT and BOCPD change point detection over plain arrays.
 *
 * The series first goes through one preparation (rows with a missing value dropped, each
 * dimension z-scored, constant dimensions left out); then a method returns change points as
 * indices into the prepared rows; last, each change point is described (direction, magnitude,
 * confidence) and mapped back to the input's indices.
 *
 * PELT minimises F(t) = min over s of F(s) + C(s, t) + beta over the last change s before t,
 * with C the Gaussian cost of a segment [s, t) and beta the BIC penalty times the dependence
 * factor (see dependence_factor). The cost is the
 * minimum over a mean and a variance v >= floor of the negative log-likelihood (times 2, less
 * constants): len * log(v*) + len * var / v* with v* = max(var, floor). Being a true minimum of
 * a likelihood it satisfies C(s, t) + C(t, u) <= C(s, u), so the pruning rule of the paper
 * (drop s once F(s) + C(s, t) > F(t)) with K = 0 is exact. With a minimum segment length m a
 * pruned s is only certain to lose from t + m on (t is not yet a valid last change before
 * then), so it is kept, marked, until that time.
 *
 * BOCPD keeps the posterior of the current run length, one Normal-Gamma posterior per run and
 * dimension. The predictive of a run is a Student-t; a new run starts with probability
 * 1/lambda at each step. Runs whose posterior falls below prune_below are dropped, and at most
 * max_runs are kept (the least probable go first), so a step costs O(max_runs * dims). */
#include "analytics/changepoint.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CP_PI 3.14159265358979323846

/* BOCPD confidence: the posterior mass of runs starting within CONF_WIDTH of a change point,
 * CONF_DELAY observations after it (or at the end of the series). */
#define CONF_WIDTH 2
#define CONF_DELAY 5

void cp_params_default(struct cp_params *p, enum cp_method method)
{
    memset(p, 0, sizeof(*p));
    p->method = method;
    p->min_segment = 3;
    p->min_confidence = 0.5;
    p->penalty_scale = 1;
    p->var_floor = 0.1;
    p->rho_max = 0.9;
    p->lambda = 100;
    p->prior_kappa = 1;
    p->prior_alpha = 1;
    p->prior_beta = 1;
    p->max_runs = 500;
    p->prune_below = 1e-8;
}

void cp_result_release(struct cp_result *r)
{
    free(r->points);
    r->points = NULL;
    r->n_points = 0;
}

const char *cp_status_name(enum cp_status s)
{
    switch (s) {
    case CP_STATUS_OK: return "ok";
    case CP_STATUS_EMPTY: return "empty";
    case CP_STATUS_ALL_MISSING: return "all-missing";
    case CP_STATUS_TOO_SHORT: return "too-short";
    case CP_STATUS_CONSTANT: return "constant";
    }
    return "?";
}

const char *cp_status_reason(enum cp_status s)
{
    switch (s) {
    case CP_STATUS_OK: return "analysed";
    case CP_STATUS_EMPTY: return "the series is empty";
    case CP_STATUS_ALL_MISSING: return "every value of the series is missing";
    case CP_STATUS_TOO_SHORT: return "the series is too short to hold a change";
    case CP_STATUS_CONSTANT: return "the series is constant";
    }
    return "?";
}

const char *cp_method_name(enum cp_method m)
{
    return m == CP_BOCPD ? "bocpd" : "pelt";
}

int cp_method_parse(const char *s, enum cp_method *ret_method)
{
    if (strcmp(s, "pelt") == 0)
        *ret_method = CP_PELT;
    else if (strcmp(s, "bocpd") == 0)
        *ret_method = CP_BOCPD;
    else
        return ERR_INVALID;
    return ERR_OK;
}

/* ---- preparation ---- */

struct prep {
    size_t m;      /* present rows */
    size_t dims;   /* dimensions of the input */
    size_t active; /* dimensions that are not constant */
    size_t *idx;   /* idx[k]: input index of present row k */
    double *raw;   /* raw[d * m + k]: the input's values of present rows */
    double *z;     /* z[a * m + k]: z-scored values of active dimension a */
    size_t *zdim;  /* zdim[d]: the active dimension of input dimension d, SIZE_MAX if constant */
};

static void prep_release(struct prep *p)
{
    free(p->idx);
    free(p->raw);
    free(p->z);
    free(p->zdim);
}

static bool row_present(const double *x, size_t n, size_t dims, size_t i)
{
    for (size_t d = 0; d < dims; d++)
        if (!isfinite(x[d * n + i]))
            return false;
    return true;
}

/* Keeps the rows without a missing value: fills p->m, p->idx and p->raw. */
static void prep_rows(struct prep *p, const double *x, size_t n, size_t dims)
{
    p->dims = dims;
    p->idx = xmallocarray(n ? n : 1, sizeof(*p->idx));
    p->m = 0;
    for (size_t i = 0; i < n; i++)
        if (row_present(x, n, dims, i))
            p->idx[p->m++] = i;
    p->raw = xmallocarray(p->m * dims + 1, sizeof(*p->raw));
    for (size_t d = 0; d < dims; d++)
        for (size_t k = 0; k < p->m; k++)
            p->raw[d * p->m + k] = x[d * n + p->idx[k]];
}

/* The mean and sample standard deviation (ddof 1) of v[0..m), m >= 2. */
static void mean_sd(const double *v, size_t m, double *ret_mean, double *ret_sd)
{
    double mean = 0, ss = 0;
    for (size_t k = 0; k < m; k++)
        mean += v[k];
    mean /= (double)m;
    for (size_t k = 0; k < m; k++)
        ss += (v[k] - mean) * (v[k] - mean);
    *ret_mean = mean;
    *ret_sd = sqrt(ss / (double)(m - 1));
}

static bool all_equal(const double *v, size_t m)
{
    for (size_t k = 1; k < m; k++)
        if (v[k] != v[0])
            return false;
    return true;
}

/* z-scores v[0..m) into out (m >= 2, not all equal). When the sums overflow (values near the
 * largest double), the scores are computed on v divided by its largest magnitude, which gives
 * the same z-scores. */
static void zscore(const double *v, size_t m, double *out)
{
    double mean, sd, scale;
    mean_sd(v, m, &mean, &sd);
    if (!isfinite(mean) || !isfinite(sd)) {
        scale = 0;
        for (size_t k = 0; k < m; k++)
            scale = fabs(v[k]) > scale ? fabs(v[k]) : scale;
        for (size_t k = 0; k < m; k++)
            out[k] = v[k] / scale;
        mean_sd(out, m, &mean, &sd);
        v = out;
    }
    for (size_t k = 0; k < m; k++)
        out[k] = (v[k] - mean) / sd;
}

/* z-scores every non-constant dimension into p->z (p->m >= 2). */
static void prep_zscore(struct prep *p)
{
    p->zdim = xmallocarray(p->dims, sizeof(*p->zdim));
    p->z = xmallocarray(p->m * p->dims + 1, sizeof(*p->z));
    p->active = 0;
    for (size_t d = 0; d < p->dims; d++) {
        const double *v = p->raw + d * p->m;
        p->zdim[d] = SIZE_MAX;
        if (all_equal(v, p->m))
            continue;
        zscore(v, p->m, p->z + p->active * p->m);
        p->zdim[d] = p->active++;
    }
}

/* ---- PELT ---- */

/* Keeps change points at least min_seg apart and from the ends, and confident enough; of two
 * too close, the more confident stays. Compacts cps and conf; returns the new count. */
static size_t enforce_spacing(size_t *cps, double *conf, size_t n, size_t m, size_t min_seg,
                              double min_conf)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(conf[i] >= min_conf) || cps[i] < min_seg || cps[i] + min_seg > m)
            continue;
        if (k > 0 && cps[i] - cps[k - 1] < min_seg) {
            if (conf[i] > conf[k - 1])
                cps[k - 1] = cps[i], conf[k - 1] = conf[i];
            continue;
        }
        cps[k] = cps[i];
        conf[k++] = conf[i];
    }
    return k;
}


struct seg_sums {
    size_t m, dims;
    double *s1, *s2; /* prefix sums of x and x^2 per dimension, m + 1 each */
    double floor;
};

static void sums_init(struct seg_sums *c, const double *z, size_t m, size_t dims, double floor)
{
    c->m = m;
    c->dims = dims;
    c->floor = floor;
    c->s1 = xmallocarray((m + 1) * dims, sizeof(double));
    c->s2 = xmallocarray((m + 1) * dims, sizeof(double));
    for (size_t d = 0; d < dims; d++) {
        double *a = c->s1 + d * (m + 1), *b = c->s2 + d * (m + 1);
        a[0] = b[0] = 0;
        for (size_t k = 0; k < m; k++) {
            double v = z[d * m + k];
            a[k + 1] = a[k] + v;
            b[k + 1] = b[k] + v * v;
        }
    }
}

static void sums_release(struct seg_sums *c)
{
    free(c->s1);
    free(c->s2);
}

/* The Gaussian cost of rows [s, t), summed over dimensions. */
static double seg_cost(const struct seg_sums *c, size_t s, size_t t)
{
    double len = (double)(t - s), cost = 0;
    for (size_t d = 0; d < c->dims; d++) {
        const double *a = c->s1 + d * (c->m + 1), *b = c->s2 + d * (c->m + 1);
        double mean = (a[t] - a[s]) / len;
        double var = (b[t] - b[s]) / len - mean * mean;
        if (var < 0)
            var = 0;
        double v = var > c->floor ? var : c->floor;
        cost += len * log(v) + len * var / v;
    }
    return cost;
}

struct cand {
    size_t s;
    size_t dead_at; /* SIZE_MAX while s may still be optimal */
};

/* One PELT step at t: F[t], last[t], then pruning. Returns the new number of candidates. */
static size_t pelt_step(const struct seg_sums *c, struct cand *cd, size_t nc, double *val,
                        double *F, size_t *last, size_t t, size_t min_seg, double beta)
{
    double best = INFINITY;
    size_t arg = 0;
    for (size_t i = 0; i < nc; i++) {
        if (cd[i].dead_at <= t)
            continue;
        val[i] = F[cd[i].s] + seg_cost(c, cd[i].s, t);
        if (val[i] + beta < best) {
            best = val[i] + beta;
            arg = cd[i].s;
        }
    }
    F[t] = best;
    last[t] = arg;
    size_t k = 0;
    for (size_t i = 0; i < nc; i++) {
        if (cd[i].dead_at <= t)
            continue;
        if (cd[i].dead_at == SIZE_MAX && val[i] > best)
            cd[i].dead_at = t + min_seg;
        cd[k++] = cd[i];
    }
    return k;
}

/* PELT over the prefix sums; returns the change points (row indices, ascending) and their
 * count. m >= 2 * min_seg. */
static size_t *pelt(const struct seg_sums *c, size_t min_seg, double beta, size_t *ret_n)
{
    size_t m = c->m;
    double *F = xmallocarray(m + 1, sizeof(*F));
    size_t *last = xcalloc(m + 1, sizeof(*last));
    struct cand *cd = xmallocarray(m + 1, sizeof(*cd));
    double *val = xmallocarray(m + 1, sizeof(*val));
    F[0] = -beta;
    for (size_t t = 1; t <= m; t++)
        F[t] = INFINITY;
    size_t nc = 1;
    cd[0] = (struct cand){0, SIZE_MAX};
    for (size_t t = min_seg; t <= m; t++) {
        nc = pelt_step(c, cd, nc, val, F, last, t, min_seg, beta);
        size_t s_new = t - min_seg + 1; /* a valid last change from t + 1 on */
        if (isfinite(F[s_new]))
            cd[nc++] = (struct cand){s_new, SIZE_MAX};
    }
    size_t n = 0;
    for (size_t t = m; t > 0; t = last[t])
        n += last[t] > 0;
    size_t *cps = xmallocarray(n + 1, sizeof(*cps));
    size_t k = n;
    for (size_t t = m; t > 0; t = last[t])
        if (last[t] > 0)
            cps[--k] = last[t];
    free(F);
    free(last);
    free(cd);
    free(val);
    *ret_n = n;
    return cps;
}

/* PELT's confidence of each change: the BIC approximation of the posterior probability of
 * "a change at c" against "no change" between its neighbours a and b, the evidence deflated
 * by the dependence factor tau: 1 / (1 + exp(-(gain / tau - bic) / 2)), where
 * gain = C(a, b) - C(a, c) - C(c, b) is twice the log-likelihood ratio. */
static void pelt_confidence(const struct seg_sums *c, const size_t *cps, size_t n, double tau,
                            double bic, double *conf)
{
    for (size_t i = 0; i < n; i++) {
        size_t a = i ? cps[i - 1] : 0, b = i + 1 < n ? cps[i + 1] : c->m;
        double gain = seg_cost(c, a, b) - seg_cost(c, a, cps[i]) - seg_cost(c, cps[i], b);
        conf[i] = 1 / (1 + exp(-(gain / tau - bic) / 2));
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of |v[k + lag] - v[k]| over k (m > lag). */
static double med_abs_diff(const double *v, size_t m, size_t lag)
{
    size_t n = m - lag;
    double *d = xmallocarray(n, sizeof(*d));
    for (size_t k = 0; k < n; k++)
        d[k] = fabs(v[k + lag] - v[k]);
    qsort(d, n, sizeof(*d), cmp_double);
    double med = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
    free(d);
    return med;
}

/* How much serial dependence inflates the evidence of the iid likelihood: the long-run
 * variance factor (1 + rho) / (1 - rho) of an AR(1) noise, with rho estimated robustly from
 * the medians of lag-1 and lag-2 differences (Chakar et al. 2017: for AR(1),
 * var(x[t+2] - x[t]) / var(x[t+1] - x[t]) = 1 + rho; medians resist the few differences that
 * straddle a change). rho is clamped to [0, rho_max]; the largest factor over the dimensions
 * is used. 1 when rho_max is 0. */
static double dependence_factor(const struct prep *pp, double rho_max)
{
    double worst = 1;
    for (size_t a = 0; a < pp->active && rho_max > 0; a++) {
        const double *v = pp->z + a * pp->m;
        double d1 = med_abs_diff(v, pp->m, 1), d2 = med_abs_diff(v, pp->m, 2);
        double rho = d1 > 0 ? (d2 / d1) * (d2 / d1) - 1 : rho_max;
        rho = rho < 0 ? 0 : rho > rho_max ? rho_max : rho;
        double f = (1 + rho) / (1 - rho);
        if (f > worst)
            worst = f;
    }
    return worst;
}

static size_t *run_pelt(const struct prep *pp, const struct cp_params *p, size_t *ret_n,
                        double **ret_conf)
{
    struct seg_sums c;
    sums_init(&c, pp->z, pp->m, pp->active, p->var_floor);
    double tau = dependence_factor(pp, p->rho_max);
    double bic = p->penalty_scale * (double)(2 * pp->active + 1) * log((double)pp->m);
    size_t *cps = pelt(&c, p->min_segment, tau * bic, ret_n);
    *ret_conf = xmallocarray(*ret_n + 1, sizeof(double));
    pelt_confidence(&c, cps, *ret_n, tau, bic, *ret_conf);
    sums_release(&c);
    *ret_n = enforce_spacing(cps, *ret_conf, *ret_n, pp->m, p->min_segment, p->min_confidence);
    return cps;
}

/* ---- BOCPD ---- */

struct bocpd {
    size_t dims, n, cap;
    size_t *start;       /* first row of each run, ascending */
    double *p;           /* posterior of each run */
    double *mu, *beta;   /* Normal-Gamma parameters, [r * dims + d] */
    double *lp;          /* scratch: log predictive of each run */
    double kappa0, alpha0, beta0, h, prune;
};

static void bocpd_init(struct bocpd *b, size_t dims, const struct cp_params *p)
{
    memset(b, 0, sizeof(*b));
    b->dims = dims;
    b->cap = p->max_runs;
    b->start = xmallocarray(b->cap + 1, sizeof(*b->start));
    b->p = xmallocarray(b->cap + 1, sizeof(*b->p));
    b->lp = xmallocarray(b->cap + 1, sizeof(*b->lp));
    b->mu = xmallocarray((b->cap + 1) * dims, sizeof(*b->mu));
    b->beta = xmallocarray((b->cap + 1) * dims, sizeof(*b->beta));
    b->kappa0 = p->prior_kappa;
    b->alpha0 = p->prior_alpha;
    b->beta0 = p->prior_beta;
    b->h = 1 / p->lambda;
    b->prune = p->prune_below;
}

static void bocpd_release(struct bocpd *b)
{
    free(b->start);
    free(b->p);
    free(b->lp);
    free(b->mu);
    free(b->beta);
}

/* log of the Student-t predictive of x under Normal-Gamma (mu, kappa, alpha, beta). */
static double log_student(double x, double mu, double kappa, double alpha, double beta)
{
    double nu = 2 * alpha, s2 = beta * (kappa + 1) / (alpha * kappa), d = x - mu;
    return lgamma(alpha + 0.5) - lgamma(alpha) - 0.5 * log(nu * CP_PI * s2) -
           (alpha + 0.5) * log1p(d * d / (nu * s2));
}

/* The log predictive of row x (one value per dimension) for run r, or the prior when r is
 * b->n. A run starting at s has seen t - s rows before row t. */
static double run_logpred(const struct bocpd *b, size_t r, const double *x, size_t t)
{
    double len = r < b->n ? (double)(t - b->start[r]) : 0, lp = 0;
    double kappa = b->kappa0 + len, alpha = b->alpha0 + len / 2;
    for (size_t d = 0; d < b->dims; d++) {
        double mu = r < b->n ? b->mu[r * b->dims + d] : 0;
        double beta = r < b->n ? b->beta[r * b->dims + d] : b->beta0;
        lp += log_student(x[d], mu, kappa, alpha, beta);
    }
    return lp;
}

/* Adds row x to the Normal-Gamma posterior of run r (which has seen len rows). */
static void run_update(struct bocpd *b, size_t r, const double *x, double len)
{
    double kappa = b->kappa0 + len;
    for (size_t d = 0; d < b->dims; d++) {
        double *mu = &b->mu[r * b->dims + d], *beta = &b->beta[r * b->dims + d];
        double dx = x[d] - *mu;
        *beta += kappa * dx * dx / (2 * (kappa + 1));
        *mu += dx / (kappa + 1);
    }
}

static void normalise(double *p, size_t n)
{
    double total = 0;
    for (size_t r = 0; r < n; r++)
        total += p[r];
    for (size_t r = 0; r < n; r++)
        p[r] /= total;
}

/* Drops runs below the pruning threshold (never the most probable), then the least probable
 * ones while there are more than cap. */
static void bocpd_prune(struct bocpd *b)
{
    size_t best = 0, k = 0;
    for (size_t r = 1; r < b->n; r++)
        if (b->p[r] > b->p[best])
            best = r;
    for (size_t r = 0; r < b->n; r++) {
        if (r != best && b->p[r] < b->prune)
            continue;
        b->start[k] = b->start[r];
        b->p[k] = b->p[r];
        memmove(&b->mu[k * b->dims], &b->mu[r * b->dims], b->dims * sizeof(double));
        memmove(&b->beta[k * b->dims], &b->beta[r * b->dims], b->dims * sizeof(double));
        k++;
    }
    b->n = k;
    while (b->n > b->cap) {
        size_t lo = 0;
        for (size_t r = 1; r < b->n; r++)
            if (b->p[r] < b->p[lo])
                lo = r;
        size_t tail = b->n - lo - 1;
        memmove(&b->start[lo], &b->start[lo + 1], tail * sizeof(*b->start));
        memmove(&b->p[lo], &b->p[lo + 1], tail * sizeof(double));
        memmove(&b->mu[lo * b->dims], &b->mu[(lo + 1) * b->dims], tail * b->dims * sizeof(double));
        memmove(&b->beta[lo * b->dims], &b->beta[(lo + 1) * b->dims],
                tail * b->dims * sizeof(double));
        b->n--;
    }
    normalise(b->p, b->n);
}

/* Observes row t (values x): the run-length posterior moves one step. */
static void bocpd_step(struct bocpd *b, const double *x, size_t t)
{
    double lp0 = run_logpred(b, b->n, x, t), top = lp0;
    for (size_t r = 0; r < b->n; r++) {
        b->lp[r] = run_logpred(b, r, x, t);
        if (b->lp[r] > top)
            top = b->lp[r];
    }
    for (size_t r = 0; r < b->n; r++) {
        b->p[r] *= exp(b->lp[r] - top) * (1 - b->h);
        run_update(b, r, x, (double)(t - b->start[r]));
    }
    size_t r = b->n++;
    b->start[r] = t;
    b->p[r] = (t == 0 ? 1 : b->h) * exp(lp0 - top);
    for (size_t d = 0; d < b->dims; d++) {
        b->mu[r * b->dims + d] = 0;
        b->beta[r * b->dims + d] = b->beta0;
    }
    run_update(b, r, x, 0);
    normalise(b->p, b->n);
    bocpd_prune(b);
}

static size_t bocpd_map_start(const struct bocpd *b)
{
    size_t best = 0;
    for (size_t r = 1; r < b->n; r++)
        if (b->p[r] > b->p[best])
            best = r;
    return b->start[best];
}

/* The posterior mass of runs that started within CONF_WIDTH rows of c. */
static double bocpd_mass_near(const struct bocpd *b, size_t c)
{
    double mass = 0;
    for (size_t r = 0; r < b->n; r++) {
        size_t s = b->start[r];
        if (s + CONF_WIDTH >= c && s <= c + CONF_WIDTH)
            mass += b->p[r];
    }
    return mass > 1 ? 1 : mass;
}

/* Runs the filter over every row; fills map[t] (the start of the MAP run after row t) and
 * near[c] (the confidence mass for a change at c, CONF_DELAY rows later or at the end). */
static void bocpd_filter(const struct prep *pp, const struct cp_params *p, size_t *map,
                         double *near)
{
    struct bocpd b;
    bocpd_init(&b, pp->active, p);
    double *x = xmallocarray(pp->active + 1, sizeof(*x));
    for (size_t t = 0; t < pp->m; t++) {
        for (size_t a = 0; a < pp->active; a++)
            x[a] = pp->z[a * pp->m + t];
        bocpd_step(&b, x, t);
        map[t] = bocpd_map_start(&b);
        if (t >= CONF_DELAY)
            near[t - CONF_DELAY] = bocpd_mass_near(&b, t - CONF_DELAY);
    }
    size_t from = pp->m > CONF_DELAY ? pp->m - CONF_DELAY : 0;
    for (size_t c = from; c < pp->m; c++)
        near[c] = bocpd_mass_near(&b, c);
    free(x);
    bocpd_release(&b);
}

/* The change points of the MAP path, traced back from the end: the MAP run after the last row
 * started at s (a change when s > 0); before it, the MAP run after row s - 1; and so on. Each
 * is a place where the MAP run length dropped and the MAP never went back to the older run. */
static size_t trace_back(const size_t *map, size_t m, size_t *cps)
{
    size_t n = 0;
    for (size_t s = map[m - 1]; s > 0; s = map[s - 1])
        cps[n++] = s;
    for (size_t i = 0; i < n / 2; i++) {
        size_t t = cps[i];
        cps[i] = cps[n - 1 - i];
        cps[n - 1 - i] = t;
    }
    return n;
}

static size_t *run_bocpd(const struct prep *pp, const struct cp_params *p, size_t *ret_n,
                         double **ret_conf)
{
    size_t *map = xmallocarray(pp->m, sizeof(*map));
    double *near = xmallocarray(pp->m, sizeof(*near));
    bocpd_filter(pp, p, map, near);
    size_t *cps = xmallocarray(pp->m, sizeof(*cps));
    size_t n = trace_back(map, pp->m, cps);
    double *conf = xmallocarray(n + 1, sizeof(*conf));
    for (size_t i = 0; i < n; i++)
        conf[i] = near[cps[i]];
    *ret_n = enforce_spacing(cps, conf, n, pp->m, p->min_segment, p->min_confidence);
    *ret_conf = conf;
    free(map);
    free(near);
    return cps;
}

/* ---- description ---- */

/* Mean and sum of squared deviations of v[a..b). The mean is a running one, so that it does
 * not overflow where the sum would. */
static void seg_moments(const double *v, size_t a, size_t b, double *ret_mean, double *ret_ss)
{
    double mean = 0, ss = 0;
    for (size_t k = a; k < b; k++)
        mean += (v[k] - mean) / (double)(k - a + 1);
    for (size_t k = a; k < b; k++)
        ss += (v[k] - mean) * (v[k] - mean);
    *ret_mean = mean;
    *ret_ss = ss;
}

/* Describes the change at rows [a, c) | [c, b) in dimension d: the shift of the mean in the
 * input's units, and in pooled within-segment standard deviations (the series' deviation when
 * the pooled one is 0; 0 for a constant dimension). The latter is a ratio that z-scoring does
 * not change, so it is computed on the z-scores, where nothing overflows. */
static void shift(const struct prep *pp, size_t d, size_t a, size_t c, size_t b,
                  double *ret_delta, double *ret_sd)
{
    double m1, ss1, m2, ss2;
    seg_moments(pp->raw + d * pp->m, a, c, &m1, &ss1);
    seg_moments(pp->raw + d * pp->m, c, b, &m2, &ss2);
    *ret_delta = m2 - m1;
    *ret_sd = 0;
    if (pp->zdim[d] == SIZE_MAX)
        return;
    const double *z = pp->z + pp->zdim[d] * pp->m;
    seg_moments(z, a, c, &m1, &ss1);
    seg_moments(z, c, b, &m2, &ss2);
    double pooled = b - a > 2 ? sqrt((ss1 + ss2) / (double)(b - a - 2)) : 0;
    *ret_sd = (m2 - m1) / (pooled > 0 ? pooled : 1); /* z-scores have a deviation of 1 */
}

static void describe(const struct prep *pp, const size_t *cps, const double *conf, size_t n,
                     struct cp_point *out)
{
    for (size_t i = 0; i < n; i++) {
        size_t a = i ? cps[i - 1] : 0, b = i + 1 < n ? cps[i + 1] : pp->m;
        struct cp_point pt = {pp->idx[cps[i]], 0, 0, 0, 0, conf[i]};
        for (size_t d = 0; d < pp->dims; d++) {
            double delta, sd;
            shift(pp, d, a, cps[i], b, &delta, &sd);
            if (d == 0 || fabs(sd) > fabs(pt.magnitude_sd))
                pt.dim = d, pt.magnitude = delta, pt.magnitude_sd = sd;
        }
        pt.direction = pt.magnitude > 0 ? 1 : pt.magnitude < 0 ? -1 : 0;
        if (!(pt.confidence >= 0))
            pt.confidence = 0;
        else if (pt.confidence > 1)
            pt.confidence = 1;
        out[i] = pt;
    }
}

/* ---- the entry point ---- */

static int check_params(size_t dims, const struct cp_params *p, struct err *e)
{
    if (dims == 0)
        return err_set(e, ERR_INVALID, "a series needs at least one dimension");
    if (p->min_segment < 2)
        return err_set(e, ERR_INVALID, "the minimum segment length must be at least 2");
    if (!(p->min_confidence >= 0 && p->min_confidence <= 1))
        return err_set(e, ERR_INVALID, "the minimum confidence must be within [0, 1]");
    if (p->method == CP_PELT &&
        !(p->penalty_scale >= 0 && p->var_floor > 0 && p->rho_max >= 0 && p->rho_max < 1))
        return err_set(e, ERR_INVALID, "the penalty scale must be >= 0, the variance floor > 0 "
                       "and rho_max within [0, 1)");
    if (p->method == CP_BOCPD &&
        !(p->lambda > 1 && p->prior_kappa > 0 && p->prior_alpha > 0 && p->prior_beta > 0 &&
          p->max_runs >= 1 && p->prune_below >= 0 && p->prune_below < 1))
        return err_set(e, ERR_INVALID, "lambda must be > 1, the priors > 0, max_runs >= 1");
    return ERR_OK;
}

/* The status of a prepared series, before any detection. */
static enum cp_status prep_status(const struct prep *pp, size_t n, size_t min_seg)
{
    if (n == 0)
        return CP_STATUS_EMPTY;
    if (pp->m == 0)
        return CP_STATUS_ALL_MISSING;
    if (pp->m < 2 * min_seg)
        return CP_STATUS_TOO_SHORT;
    return CP_STATUS_OK;
}

int cp_detect(const double *x, size_t n, size_t dims, const struct cp_params *p,
              struct cp_result *ret, struct err *e)
{
    int rc = check_params(dims, p, e);
    if (rc < 0)
        return rc;
    struct prep pp = {0};
    struct cp_result r = {CP_STATUS_OK, n, 0, NULL, 0};
    prep_rows(&pp, x, n, dims);
    r.n_present = pp.m;
    r.status = prep_status(&pp, n, p->min_segment);
    if (r.status == CP_STATUS_OK) {
        prep_zscore(&pp);
        if (pp.active == 0)
            r.status = CP_STATUS_CONSTANT;
    }
    if (r.status == CP_STATUS_OK) {
        double *conf = NULL;
        size_t k = 0;
        size_t *cps = p->method == CP_BOCPD ? run_bocpd(&pp, p, &k, &conf)
                                            : run_pelt(&pp, p, &k, &conf);
        r.points = xmallocarray(k + 1, sizeof(*r.points));
        r.n_points = k;
        describe(&pp, cps, conf, k, r.points);
        free(cps);
        free(conf);
    }
    prep_release(&pp);
    *ret = r;
    return ERR_OK;
}
