/* chart.h: the report's charts as standalone SVG documents (data: model/chart.h).
 *
 * Each renderer writes one complete <svg> element that is valid both inline in HTML and as a
 * .svg file: an accessible name and description (role="img", <title>, <desc> with a sentence
 * saying what the chart shows), generic sans-serif fonts, presentation attributes only (no
 * <style>, which would leak into an HTML page, no scripts, no external references). Any input
 * renders: no series, zero points, NAN everywhere, a constant series or one point give a
 * well-formed chart that says "no data" where data is missing, and no number is ever written
 * as "nan" or "inf". The renderers cannot fail; write errors are the sink's (sink_failed).
 *
 * Elements carry a class naming what they draw ("actual", "baseline", "incident", "change",
 * "changepoint", "cell", "bar-before", ...) for tests and for pages that want to style them;
 * nothing depends on the classes for its look. docs/charts.md describes each chart. */
#ifndef RENDER_CHART_H
#define RENDER_CHART_H

#include "core/sink.h"
#include "model/chart.h"

/* How to draw; NULL stands for CHART_STYLE_INIT. */
struct chart_style {
    int width;         /* px; 0 means CHART_DEFAULT_WIDTH; clamped to 320..4000 */
    int tz_offset_min; /* time labels in UTC + this many minutes; 0 = UTC */
    const char *id;    /* prefix of the element ids (aria-labelledby): give each chart of one HTML
                        * page its own; NULL derives one from the chart kind and title */
};

#define CHART_STYLE_INIT {0, 0, NULL}
#define CHART_DEFAULT_WIDTH 760

/* The plot area of the time charts (panels, heatmap) spans x0..x1 = CHART_MARGIN_LEFT ..
 * width - CHART_MARGIN_RIGHT. */
#define CHART_MARGIN_LEFT 64
#define CHART_MARGIN_RIGHT 24

/* The horizontal scale of a time chart: [from, to] onto [x0, x1]. */
struct chart_time_scale {
    int64_t from, to;
    double x0, x1;
};

/* The time scale the panels (and, with to = from + n_times * bucket_ms, the heatmap) use for
 * this style. */
struct chart_time_scale chart_time_scale_of(const struct chart_style *st, int64_t from,
                                            int64_t to);
/* The x of instant t (linear; not clamped). from == to maps everything to x0. */
double chart_x_of(const struct chart_time_scale *ts, int64_t t);

void render_chart_panels(struct sink *out, const struct chart_panels *p,
                         const struct chart_style *st);
void render_chart_periods(struct sink *out, const struct chart_periods *p,
                          const struct chart_style *st);
void render_chart_heatmap(struct sink *out, const struct chart_heatmap *h,
                          const struct chart_style *st);
void render_chart_funnel(struct sink *out, const struct chart_funnel *f,
                         const struct chart_style *st);
void render_chart_segments(struct sink *out, const struct chart_segments *s,
                           const struct chart_style *st);

#endif
