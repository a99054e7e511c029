/* stats.h: significance tests for preventive experiments (docs/workflow.md).
 *
 * Two groups, control (c) and treatment (t). The effect is treatment minus control, with a
 * two-sided 95% confidence interval and a two-sided p-value. Distribution functions come from
 * GSL. */
#ifndef ANALYTICS_STATS_H
#define ANALYTICS_STATS_H

#include "core/common.h"

struct test_result {
    double control, treatment; /* the two rates or means */
    double effect;             /* treatment - control */
    double ci_low, ci_high;    /* 95% interval of the effect */
    double statistic;          /* z or t */
    double df;                 /* Welch's degrees of freedom; 0 for the z-test */
    double p_value;            /* two-sided */
    bool valid;                /* false when a group is too small or has no variance */
};

/* Two-proportion z-test: x successes of n trials per group. The test uses the pooled
 * proportion; the interval uses the unpooled standard error (Wald). Invalid when a group has
 * no trials or the pooled proportion is 0 or 1. */
struct test_result two_proportion_test(double x_c, double n_c, double x_t, double n_t);

/* Welch's t-test from each group's mean, sample standard deviation and size, with the
 * Welch-Satterthwaite degrees of freedom. Invalid when a group has fewer than 2 values or both
 * standard deviations are 0. */
struct test_result welch_test(double mean_c, double sd_c, double n_c, double mean_t, double sd_t,
                              double n_t);

/* The one-sided z threshold that keeps the family-wise error rate at alpha over m tests
 * (Bonferroni): the upper alpha / m quantile of N(0, 1). */
double z_critical_bonferroni(double alpha, size_t m);

#endif
