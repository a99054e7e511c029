/* chart_heatmap.c: the latency heatmap (render_chart_heatmap).
 *
 * Time runs across, latency bands up (the fastest band at the bottom); each cell's colour is its
 * count on a seven-step light-to-dark blue scale. The scale is logarithmic because latency
 * counts span orders of magnitude: on a linear one the slow tail, which is what an incident
 * moves, would vanish into the lightest step. Empty cells keep the light grey background, which
 * no count uses, so "nothing" and "a little" differ. */
#include "render/chart_internal.h"

#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LEVELS 7
#define BAND_H_MIN 8.0
#define PLOT_H_MIN 120.0
#define PLOT_H_MAX 300.0

/* ColorBrewer "Blues" without its two lightest steps (kept apart from the empty grey). Single
 * hue with falling lightness: readable in greyscale and under colour-vision deficiencies. */
static const char *const palette[LEVELS] = {"#c6dbef", "#9ecae1", "#6baed6", "#4292c6",
                                            "#2171b5", "#08519c", "#08306b"};
#define EMPTY_FILL "#f2f2f2"

struct layout {
    double width, height, legend_y, top, plot_h, band_h;
    struct chart_time_scale ts;
    int64_t to;
};

static double count_at(const struct chart_heatmap *h, size_t t, size_t j)
{
    double c = h->counts[t * h->n_bands + j];
    return isfinite(c) && c > 0 ? c : 0;
}

static double max_count(const struct chart_heatmap *h)
{
    double m = 0;
    for (size_t t = 0; t < h->n_times; t++)
        for (size_t j = 0; j < h->n_bands; j++)
            m = fmax(m, count_at(h, t, j));
    return m;
}

/* 1..LEVELS for a positive count, log-scaled so that 1 is the lightest and max the darkest. */
static int level_of(double c, double max)
{
    if (max <= 1)
        return LEVELS;
    int k = (int)ceil(log1p(c) / log1p(max) * LEVELS);
    return k < 1 ? 1 : k > LEVELS ? LEVELS : k;
}

/* Whether the data can be drawn: sizes set, and the time range representable. */
static bool usable(const struct chart_heatmap *h, int64_t *ret_to)
{
    if (!h->n_times || !h->n_bands || !h->bounds || !h->counts || h->bucket_ms <= 0 ||
        h->from < TIME_MIN_MS || h->from > TIME_MAX_MS)
        return false;
    if (h->n_times > (uint64_t)((TIME_MAX_MS - h->from) / h->bucket_ms))
        return false;
    *ret_to = h->from + (int64_t)h->n_times * h->bucket_ms;
    return true;
}

static struct layout layout_of(const struct chart_heatmap *h, const struct chart_style *st,
                               int64_t to)
{
    struct layout l = {.width = chart_width(st), .to = to};
    l.ts = chart_time_scale_of(st, h->from, to);
    l.legend_y = CHART_TOP + 10;
    l.top = l.legend_y + 18 + 16; /* the legend, then the "incident" label */
    l.plot_h = fmin(PLOT_H_MAX, fmax(PLOT_H_MIN, (double)h->n_bands * 18));
    l.band_h = l.plot_h / (double)h->n_bands;
    l.height = l.top + l.plot_h + CHART_TIME_AXIS_H + 6;
    return l;
}

static void draw_cells(struct sink *out, const struct chart_heatmap *h, const struct layout *l,
                       double max)
{
    double bottom = l->top + l->plot_h;
    svg_rect(out, l->ts.x0, l->top, l->ts.x1 - l->ts.x0, l->plot_h,
             "class=\"empty\" fill=\"" EMPTY_FILL "\"");
    sink_puts(out, "<g shape-rendering=\"crispEdges\">\n");
    for (size_t t = 0; t < h->n_times; t++) {
        double xa = chart_x_of(&l->ts, h->from + (int64_t)t * h->bucket_ms);
        double xb = chart_x_of(&l->ts, h->from + (int64_t)(t + 1) * h->bucket_ms);
        for (size_t j = 0; j < h->n_bands; j++) {
            double c = count_at(h, t, j);
            if (c <= 0)
                continue;
            char attrs[64];
            snprintf(attrs, sizeof(attrs), "class=\"cell\" fill=\"%s\"",
                     palette[level_of(c, max) - 1]);
            svg_rect(out, xa, bottom - (double)(j + 1) * l->band_h, xb - xa, l->band_h, attrs);
        }
    }
    sink_puts(out, "</g>\n");
}

static char *bound_label(double v, char out[SVG_NUM_MAX])
{
    if (isinf(v) && v > 0) {
        snprintf(out, SVG_NUM_MAX, "%s", "\xE2\x88\x9E"); /* an open top band: "∞" */
        return out;
    }
    return svg_fmt_value(v, out);
}

/* The band bounds up the left side, thinned so that labels keep 12 px apart. */
static void draw_band_axis(struct sink *out, const struct chart_heatmap *h,
                           const struct layout *l)
{
    size_t every = (size_t)ceil(12 / l->band_h);
    double bottom = l->top + l->plot_h;
    for (size_t j = 0; j <= h->n_bands; j += every) {
        char label[SVG_NUM_MAX];
        double y = bottom - (double)j * l->band_h;
        svg_line(out, l->ts.x0 - 4, y, l->ts.x0, y, "stroke=\"" CHART_FRAME "\"");
        svg_text(out, l->ts.x0 - 6, y + 3.5,
                 "class=\"y-tick\" text-anchor=\"end\" font-size=\"10\" fill=\"" CHART_MUTED "\"",
                 bound_label(h->bounds[j], label));
    }
    svg_text(out, l->ts.x0 - 6, l->top - 6,
             "class=\"y-unit\" text-anchor=\"end\" font-size=\"10\" fill=\"" CHART_MUTED "\"",
             h->unit && *h->unit ? h->unit : "band");
}

static void draw_incident(struct sink *out, const struct chart_heatmap *h,
                          const struct layout *l)
{
    if (!(h->shade_from < h->shade_to && h->shade_to > h->from && h->shade_from < l->to))
        return;
    double a = fmax(l->ts.x0, chart_x_of(&l->ts, h->shade_from));
    double b = fmin(l->ts.x1, chart_x_of(&l->ts, h->shade_to));
    svg_rect(out, a, l->top - 1, b - a, l->plot_h + 2,
             "class=\"incident\" fill=\"none\" stroke=\"" CHART_VERMILLION "\" "
             "stroke-width=\"2\" stroke-dasharray=\"6 3\"");
    svg_text(out, (a + b) / 2, l->top - 5,
             "class=\"incident-label\" text-anchor=\"middle\" font-size=\"10\" "
             "font-style=\"italic\" fill=\"" CHART_VERMILLION "\"",
             "incident");
}

/* "count per cell  [ ] 0   1 [7 steps] max  (log scale)" */
static void draw_colour_legend(struct sink *out, const struct layout *l, double max)
{
    static const char text_attrs[] = "class=\"legend\" font-size=\"10\"";
    double x = l->ts.x0, y = l->legend_y;
    svg_text(out, x, y, text_attrs, "count per cell:");
    x += chart_text_width("count per cell:", 10) + 8;
    svg_rect(out, x, y - 10, 14, 12,
             "class=\"legend-empty\" fill=\"" EMPTY_FILL "\" stroke=\"" CHART_FRAME "\"");
    svg_text(out, x + 18, y, text_attrs, "0 (empty)");
    x += 18 + chart_text_width("0 (empty)", 10) + 16;
    if (max <= 0)
        return;
    char num[SVG_NUM_MAX];
    svg_text(out, x, y, text_attrs, "1");
    x += chart_text_width("1", 10) + 4;
    for (size_t k = 0; k < LEVELS; k++) {
        char attrs[64];
        snprintf(attrs, sizeof(attrs), "class=\"legend-step\" fill=\"%s\"", palette[k]);
        svg_rect(out, x + (double)k * 16, y - 10, 16, 12, attrs);
    }
    x += LEVELS * 16 + 4;
    svg_text(out, x, y, text_attrs, svg_fmt_value(max, num));
    x += chart_text_width(num, 10) + 8;
    svg_text(out, x, y, "class=\"legend\" font-size=\"10\" fill=\"" CHART_MUTED "\"",
             "(log scale)");
}

/* ======== alt text ======== */

/* The band holding most counts among buckets whose middle lies in [a, b); -1 when none. */
static long mode_band(const struct chart_heatmap *h, double a, double b)
{
    long best = -1;
    double best_sum = 0;
    for (size_t j = 0; j < h->n_bands; j++) {
        double sum = 0;
        for (size_t t = 0; t < h->n_times; t++) {
            double mid = (double)h->from + ((double)t + 0.5) * (double)h->bucket_ms;
            if (mid >= a && mid < b)
                sum += count_at(h, t, j);
        }
        if (sum > best_sum)
            best = (long)j, best_sum = sum;
    }
    return best;
}

static void desc_band(struct buf *b, const struct chart_heatmap *h, long j)
{
    char lo[SVG_NUM_MAX], hi[SVG_NUM_MAX];
    buf_printf(b, "%s-%s%s%s", bound_label(h->bounds[j], lo), bound_label(h->bounds[j + 1], hi),
               h->unit && *h->unit ? " " : "", h->unit ? h->unit : "");
}

static char *describe(const struct chart_heatmap *h, const struct layout *l, int tz)
{
    struct buf b = BUF_INIT;
    char dur[DURATION_STR_MAX];
    buf_printf(&b, "Heatmap of counts in %zu latency bands per %s bucket from ", h->n_bands,
               time_format_duration(h->bucket_ms, dur));
    chart_desc_time(&b, h->from, tz);
    buf_puts(&b, " to ");
    chart_desc_time(&b, l->to, tz);
    buf_puts(&b, "; darker cells hold more.");
    long during = mode_band(h, (double)h->shade_from, (double)h->shade_to);
    long before = mode_band(h, (double)h->from, (double)h->shade_from);
    if (h->shade_from < h->shade_to && during >= 0) {
        buf_puts(&b, " During the outlined incident window most counts fell in the ");
        desc_band(&b, h, during);
        buf_puts(&b, " band");
        if (before >= 0) {
            buf_puts(&b, " (before it: ");
            desc_band(&b, h, before);
            buf_puts(&b, ")");
        }
        buf_puts(&b, ".");
    }
    return buf_detach(&b);
}

/* ======== the chart ======== */

void render_chart_heatmap(struct sink *out, const struct chart_heatmap *h,
                          const struct chart_style *st)
{
    int tz = st ? st->tz_offset_min : 0;
    int64_t to = 0;
    struct svg_time_ticks tt = {.n = 0};
    if (usable(h, &to))
        svg_time_ticks(h->from, to, tz, &tt);
    if (tt.n == 0) {
        double w = chart_width(st);
        chart_begin(out, st, "heatmap", h->title, "Latency heatmap: no data.", w,
                    CHART_EMPTY_HEIGHT);
        chart_no_data(out, 0, CHART_TOP, w, CHART_EMPTY_HEIGHT - CHART_TOP, "no data");
        chart_end(out);
        return;
    }
    struct layout l = layout_of(h, st, to);
    double max = max_count(h);
    char *desc = describe(h, &l, tz);
    chart_begin(out, st, "heatmap", h->title, desc, l.width, l.height);
    free(desc);
    draw_colour_legend(out, &l, max);
    draw_cells(out, h, &l, max);
    if (max <= 0)
        chart_no_data(out, l.ts.x0, l.top, l.ts.x1 - l.ts.x0, l.plot_h, "no data");
    svg_rect(out, l.ts.x0, l.top, l.ts.x1 - l.ts.x0, l.plot_h,
             "class=\"frame\" fill=\"none\" stroke=\"" CHART_FRAME "\"");
    draw_band_axis(out, h, &l);
    draw_incident(out, h, &l);
    chart_time_axis(out, &tt, &l.ts, l.top + l.plot_h, tz);
    chart_end(out);
}
