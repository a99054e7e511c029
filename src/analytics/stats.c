/* stats.c: two-proportion z-test and Welch's t-test on GSL's distributions. */
#include "analytics/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

struct test_result two_proportion_test(double x_c, double n_c, double x_t, double n_t)
{
    struct test_result r;
    memset(&r, 0, sizeof(r));
    if (n_c <= 0 || n_t <= 0)
        return r;
    double p_c = x_c / n_c, p_t = x_t / n_t;
    double pooled = (x_c + x_t) / (n_c + n_t);
    r.control = p_c;
    r.treatment = p_t;
    r.effect = p_t - p_c;
    double se_pooled = sqrt(pooled * (1 - pooled) * (1 / n_c + 1 / n_t));
    double se = sqrt(p_c * (1 - p_c) / n_c + p_t * (1 - p_t) / n_t);
    double z95 = gsl_cdf_ugaussian_Pinv(0.975);
    r.ci_low = r.effect - z95 * se;
    r.ci_high = r.effect + z95 * se;
    if (!(se_pooled > 0))
        return r;
    r.statistic = r.effect / se_pooled;
    r.p_value = 2 * gsl_cdf_ugaussian_Q(fabs(r.statistic));
    r.valid = true;
    return r;
}

struct test_result welch_test(double mean_c, double sd_c, double n_c, double mean_t, double sd_t,
                              double n_t)
{
    struct test_result r;
    memset(&r, 0, sizeof(r));
    r.control = mean_c;
    r.treatment = mean_t;
    r.effect = mean_t - mean_c;
    if (n_c < 2 || n_t < 2)
        return r;
    double v_c = sd_c * sd_c / n_c, v_t = sd_t * sd_t / n_t;
    double se = sqrt(v_c + v_t);
    if (!(se > 0))
        return r;
    r.df = (v_c + v_t) * (v_c + v_t) / (v_c * v_c / (n_c - 1) + v_t * v_t / (n_t - 1));
    r.statistic = r.effect / se;
    r.p_value = 2 * gsl_cdf_tdist_Q(fabs(r.statistic), r.df);
    double t95 = gsl_cdf_tdist_Pinv(0.975, r.df);
    r.ci_low = r.effect - t95 * se;
    r.ci_high = r.effect + t95 * se;
    r.valid = true;
    return r;
}

double z_critical_bonferroni(double alpha, size_t m)
{
    return gsl_cdf_ugaussian_Qinv(alpha / (double)(m ? m : 1));
}
