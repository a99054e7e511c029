/* changepoint.h: offline change point detection in a numeric series (docs/changepoints.md).
 *
 * Two methods, one configuration for every series (cp_params_default):
 *  - PELT (Killick, Fearnhead and Eckley 2012): the exact minimiser of the sum of segment costs
 *    plus a penalty per change, with the exact pruning of the paper. The segment cost is the
 *    Gaussian negative log-likelihood for a change in mean and variance (from prefix sums of x
 *    and x^2), summed over dimensions, with the variance held above a floor; the penalty is
 *    BIC, (2 dims + 1) log n per change, times the long-run variance factor (1 + rho) /
 *    (1 - rho) of a robust lag-1 autocorrelation estimate (Chakar et al. 2017), since the iid
 *    likelihood overstates the evidence of autocorrelated series; segments are at least
 *    min_segment long. Confidence: the BIC approximation of the posterior of each change.
 *  - BOCPD (Adams and MacKay 2007): Bayesian online detection with a Normal-Gamma model
 *    (Student-t predictive) per dimension and a constant hazard; change points are where the
 *    maximum a posteriori run length drops, traced back from the end of the series (the MAP
 *    run after the last row started at s; before it, the MAP run after row s - 1; ...).
 *    Confidence: the posterior mass of runs starting within 2 rows of the change, 5 rows
 *    after it. Run lengths are pruned, so the cost is O(n * max_runs).
 *  Both drop change points whose confidence is below min_confidence (0.5).
 *
 * Input preparation, the same for both: rows with a missing value (NaN) in any dimension are
 * dropped and indices mapped back to the input; each dimension is z-scored with its sample
 * standard deviation (ddof 1), as TCPDBench does; a constant dimension is left out.
 *
 * Every change point comes with its direction and magnitude (the difference of the means of
 * the segments on either side, in the input's units and in pooled standard deviations) and a
 * confidence in [0, 1]. Pure: arrays in, results out; no I/O. */
#ifndef ANALYTICS_CHANGEPOINT_H
#define ANALYTICS_CHANGEPOINT_H

#include "core/common.h"
#include "core/err.h"

enum cp_method { CP_PELT, CP_BOCPD };

/* Why a series was (or was not) analysed. Anything but CP_STATUS_OK comes with no change
 * points; none of them is an error. */
enum cp_status {
    CP_STATUS_OK,          /* analysed (there may still be no change point) */
    CP_STATUS_EMPTY,       /* no observations at all */
    CP_STATUS_ALL_MISSING, /* every observation has a missing value */
    CP_STATUS_TOO_SHORT,   /* fewer present observations than two minimum segments */
    CP_STATUS_CONSTANT,    /* every dimension holds a single value */
};

struct cp_params {
    enum cp_method method;
    size_t min_segment;    /* shortest segment, both methods (>= 2) */
    double min_confidence; /* change points less confident than this are dropped */
    /* PELT */
    double penalty_scale; /* multiplies the penalty (1: BIC, (2 dims + 1) log n per change) */
    double var_floor;     /* smallest variance of a segment, in units of the series' variance */
    double rho_max;       /* cap of the serial correlation estimate (0: no correction) */
    /* BOCPD */
    double lambda;                               /* expected run length (hazard 1 / lambda) */
    double prior_kappa, prior_alpha, prior_beta; /* Normal-Gamma prior, mean 0 */
    size_t max_runs;                             /* run lengths kept at most (r_max) */
    double prune_below;                          /* run lengths below this posterior go */
};

/* The default configuration of a method (docs/changepoints.md says how it was chosen). */
void cp_params_default(struct cp_params *p, enum cp_method method);

struct cp_point {
    size_t index;        /* 0-based index in the input of the first point of the new regime */
    int direction;       /* +1: the mean went up, -1: down, 0: unchanged (a variance change) */
    size_t dim;          /* the dimension whose mean moved most, in pooled deviations */
    double magnitude;    /* mean after - mean before, in the input's units, of dimension dim */
    double magnitude_sd; /* the same in pooled within-segment standard deviations */
    double confidence;   /* in [0, 1] */
};

/* The outcome of cp_detect. Owns points. */
struct cp_result {
    enum cp_status status;
    size_t n;         /* observations in the input */
    size_t n_present; /* observations without a missing value */
    struct cp_point *points; /* ascending index */
    size_t n_points;
};

void cp_result_release(struct cp_result *r);

/* Detects the change points of a series of n observations in dims dimensions, stored by
 * dimension: dimension d is x[d * n .. d * n + n), NaN (or an infinity) marks a missing value.
 * Never fails on the data: an empty, all-missing, too short or constant series gives a result
 * with its status and no change point. Returns ERR_INVALID (with a message) only for bad
 * parameters (dims 0, min_segment < 2, min_confidence outside [0, 1], a negative penalty scale,
 * a floor <= 0, rho_max outside [0, 1), lambda <= 1, a prior <= 0, max_runs < 1). ret is
 * written on success only. */
int cp_detect(const double *x, size_t n, size_t dims, const struct cp_params *p,
              struct cp_result *ret, struct err *e);

/* "ok", "empty", "all-missing", "too-short" or "constant". */
const char *cp_status_name(enum cp_status s);
/* A short explanation for a status other than CP_STATUS_OK ("the series is constant"). */
const char *cp_status_reason(enum cp_status s);
/* "pelt" or "bocpd"; cp_method_parse returns ERR_INVALID for anything else. */
const char *cp_method_name(enum cp_method m);
int cp_method_parse(const char *s, enum cp_method *ret_method);

#endif
