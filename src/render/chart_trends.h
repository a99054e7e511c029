/* chart_trends.h: the two charts of the trend report (hindsight trends --format html), drawn as
 * accessible SVG like the report's charts (render/chart.h, docs/charts.md):
 *
 *  - a trend: one line per figure across the periods ("2026-01", "2026-02", ...), e.g. the
 *    median time to detect and to resolve, or the recurrence rate and the fix efficacy;
 *  - a stack: one bar per period, its segments the counts of each category stacked from the
 *    bottom in the given order (incidents by severity, by failure mode).
 *
 * Periods are categories on the x axis, evenly spaced: period i of n sits at the middle of its
 * slot, chart_period_x(st, n, i). Every line differs in colour, dash pattern and marker shape;
 * every stacked category in colour and fill pattern, so colour is never the only signal.
 * Plain data: each struct owns every pointer in it; the *_release functions free them. NAN marks
 * a value that is undefined for a period (a median of nothing): the line breaks there. */
#ifndef RENDER_CHART_TRENDS_H
#define RENDER_CHART_TRENDS_H

#include "render/chart.h"

struct chart_trend_line {
    char *name;     /* "median time to detect" */
    double *values; /* n_periods values, NAN where undefined */
};

struct chart_trend {
    char *title;
    char *unit;     /* of the values: "h", "min", "%" (values 0..100); "" when none */
    char *axis;     /* what a period is, for the x caption: "month", "quarter" */
    char **periods; /* n_periods labels */
    size_t n_periods;
    struct chart_trend_line *lines;
    size_t n_lines;
};

struct chart_stack {
    char *title;
    char *unit;       /* what is counted, for the y caption: "incidents" */
    char *axis;       /* "month", "quarter" */
    char **periods;   /* n_periods labels */
    size_t n_periods;
    char **categories; /* n_categories names, stacked bottom up in this order */
    size_t n_categories;
    double *counts; /* n_periods * n_categories, counts[p * n_categories + c]; NAN counts 0 */
};

void chart_trend_release(struct chart_trend *c);
void chart_stack_release(struct chart_stack *c);

/* The plot area of both charts spans CHART_MARGIN_LEFT .. width - CHART_MARGIN_RIGHT; period i
 * of n is drawn at the middle of the i-th of n equal slots. */
double chart_period_x(const struct chart_style *st, size_t n_periods, size_t i);

void render_chart_trend(struct sink *out, const struct chart_trend *c,
                        const struct chart_style *st);
void render_chart_stack(struct sink *out, const struct chart_stack *c,
                        const struct chart_style *st);

#endif
