/* chart_panels.c: time-aligned metric panels (render_chart_panels).
 *
 * One panel per series, stacked, sharing one time axis at the bottom so that "what moved first"
 * reads straight down. Values are drawn at the middle of their bucket, since value i covers
 * [from + i * bucket_ms, from + (i + 1) * bucket_ms). Changes (deploys, flags) cross every
 * panel; a change point stays in the panel of its series. Marker labels sit in rows above the
 * panels (changes, the incident) or at the top of their panel (change points), staggered so
 * that close markers do not print over each other. */
#include "render/chart_internal.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLOT_H 92.0
#define HEADER_H 18.0 /* the panel title above each plot */
#define PANEL_GAP 12.0
#define BAND_ROW_H 13.0
#define BAND_ROWS_MAX 4
#define PANEL_ROWS_MAX 3

#define A_ACTUAL "class=\"actual\" fill=\"none\" stroke=\"" CHART_BLUE "\" stroke-width=\"2\" " \
                 "stroke-linejoin=\"round\""
#define A_ACTUAL_DOT "class=\"actual\" fill=\"" CHART_BLUE "\""
#define A_BASELINE "class=\"baseline\" fill=\"none\" stroke=\"" CHART_ORANGE "\" " \
                   "stroke-width=\"1.5\" stroke-dasharray=\"6 4\""
#define A_BASELINE_DOT "class=\"baseline\" fill=\"" CHART_ORANGE "\""
#define A_CHANGE "class=\"change\" stroke=\"" CHART_INK "\" stroke-width=\"1.5\""
#define A_CHANGEPOINT "class=\"changepoint\" stroke=\"" CHART_VERMILLION "\" " \
                      "stroke-width=\"1.5\" stroke-dasharray=\"3 3\""
#define A_INCIDENT "class=\"incident\" fill=\"" CHART_VERMILLION "\" fill-opacity=\"0.12\""
#define A_LABEL "font-size=\"10\" " CHART_HALO

/* A marker label (or the incident's) waiting for its row. */
struct mlabel {
    double x, left, width;
    bool anchor_end, centred;
    const char *text, *attrs;
    const char *line_attrs; /* the marker's line across the panels; NULL for "incident" */
    size_t row;
};

struct layout {
    double width, height;
    struct chart_time_scale ts;
    double legend_y, band_bottom, first_top, axis_y;
    size_t band_rows;
};

static double plot_top(const struct layout *l, size_t panel)
{
    return l->first_top + (double)panel * (HEADER_H + PLOT_H + PANEL_GAP);
}

static bool shade_visible(const struct chart_panels *p)
{
    return p->shade_from < p->shade_to && p->shade_to > p->from && p->shade_from < p->to;
}

static bool marker_visible(const struct chart_panels *p, const struct chart_marker *m)
{
    return m->at >= p->from && m->at <= p->to;
}

/* The panel a change point belongs to, or -1: drawn across every panel. */
static long marker_panel(const struct chart_panels *p, const struct chart_marker *m)
{
    if (m->kind != MARK_CHANGEPOINT || !m->series)
        return -1;
    for (size_t i = 0; i < p->n_series; i++)
        if (p->series[i].name && strcmp(p->series[i].name, m->series) == 0)
            return (long)i;
    return -1;
}

/* ======== labels ======== */

static struct mlabel marker_label(const struct layout *l, const char *text, double x,
                                  const char *attrs)
{
    struct mlabel m = {.x = x, .text = text, .attrs = attrs};
    m.width = chart_text_width(text, 10);
    if (svg_text_len(text) > CHART_LABEL_CHARS)
        m.width = chart_text_width("x", 10) * CHART_LABEL_CHARS;
    /* Beside the line, on its left when it would run off the right edge. */
    m.anchor_end = x + 3 + m.width > l->width - 4;
    m.left = m.anchor_end ? x - 3 - m.width : x + 3;
    return m;
}

static int cmp_left(const void *a, const void *b)
{
    double x = ((const struct mlabel *)a)->left, y = ((const struct mlabel *)b)->left;
    return (x > y) - (x < y);
}

static size_t place(struct mlabel *labels, size_t n, size_t max_rows)
{
    if (n == 0)
        return 0;
    qsort(labels, n, sizeof(*labels), cmp_left);
    double *left = xmallocarray(n, sizeof(double)), *width = xmallocarray(n, sizeof(double));
    size_t *row = xmallocarray(n, sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        left[i] = labels[i].left, width[i] = labels[i].width;
    size_t used = chart_place_labels(left, width, n, max_rows, row);
    for (size_t i = 0; i < n; i++)
        labels[i].row = row[i];
    free(left);
    free(width);
    free(row);
    return used;
}

static void draw_label(struct sink *out, const struct mlabel *m, double y)
{
    char attrs[256];
    const char *anchor = m->centred ? "text-anchor=\"middle\" " :
                         m->anchor_end ? "text-anchor=\"end\" " : "";
    snprintf(attrs, sizeof(attrs), "%s%s", anchor, m->attrs);
    double x = m->centred ? m->left + m->width / 2 : m->anchor_end ? m->x - 3 : m->x + 3;
    chart_label(out, x, y, attrs, m->text, CHART_LABEL_CHARS);
}

/* The labels of the band above the panels: changes, change points of no panel, "incident". */
static size_t band_labels(const struct chart_panels *p, const struct layout *l,
                          struct mlabel *ret)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_markers; i++) {
        const struct chart_marker *m = &p->markers[i];
        if (!marker_visible(p, m) || marker_panel(p, m) >= 0)
            continue;
        bool change = m->kind == MARK_CHANGE;
        const char *attrs = change ?
            "class=\"change-label\" " A_LABEL :
            "class=\"changepoint-label\" fill=\"" CHART_VERMILLION "\" " A_LABEL;
        ret[n] = marker_label(l, m->label ? m->label : "", chart_x_of(&l->ts, m->at), attrs);
        ret[n++].line_attrs = change ? A_CHANGE : A_CHANGEPOINT;
    }
    if (shade_visible(p)) {
        double a = fmax(l->ts.x0, chart_x_of(&l->ts, p->shade_from));
        double b = fmin(l->ts.x1, chart_x_of(&l->ts, p->shade_to));
        struct mlabel m = {.x = (a + b) / 2, .text = "incident", .centred = true,
                           .attrs = "class=\"incident-label\" fill=\"" CHART_VERMILLION "\" "
                                    "font-style=\"italic\" " A_LABEL};
        m.width = chart_text_width(m.text, 10);
        m.left = m.x - m.width / 2;
        ret[n++] = m;
    }
    return n;
}

/* ======== layout ======== */

static struct layout layout_of(const struct chart_panels *p, const struct chart_style *st,
                               const struct chart_legend_item *legend, size_t n_legend)
{
    struct layout l = {.width = chart_width(st)};
    l.ts = chart_time_scale_of(st, p->from, p->to);
    l.legend_y = CHART_TOP + 10;
    double legend_h = chart_legend(NULL, l.ts.x0, l.legend_y, l.ts.x1, legend, n_legend);
    struct mlabel *labels = xmallocarray(p->n_markers + 1, sizeof(*labels));
    l.band_rows = place(labels, band_labels(p, &l, labels), BAND_ROWS_MAX);
    free(labels);
    l.band_bottom = l.legend_y + legend_h + (double)l.band_rows * BAND_ROW_H;
    l.first_top = l.band_bottom + HEADER_H + 4;
    l.axis_y = plot_top(&l, p->n_series - 1) + PLOT_H;
    l.height = l.axis_y + CHART_TIME_AXIS_H + 6;
    return l;
}

static size_t legend_items(const struct chart_panels *p, struct chart_legend_item *ret)
{
    bool baseline = false, change = false, cp = false;
    for (size_t i = 0; i < p->n_series; i++)
        baseline |= p->series[i].baseline != NULL;
    for (size_t i = 0; i < p->n_markers; i++) {
        change |= p->markers[i].kind == MARK_CHANGE && marker_visible(p, &p->markers[i]);
        cp |= p->markers[i].kind == MARK_CHANGEPOINT && marker_visible(p, &p->markers[i]);
    }
    size_t n = 0;
    ret[n++] = (struct chart_legend_item){SWATCH_LINE, A_ACTUAL, "actual"};
    if (baseline)
        ret[n++] = (struct chart_legend_item){SWATCH_LINE, A_BASELINE, "baseline (expected)"};
    if (change)
        ret[n++] = (struct chart_legend_item){SWATCH_VLINE, A_CHANGE, "change"};
    if (cp)
        ret[n++] = (struct chart_legend_item){SWATCH_VLINE, A_CHANGEPOINT, "change point"};
    if (shade_visible(p))
        ret[n++] = (struct chart_legend_item){SWATCH_BOX, A_INCIDENT, "incident window"};
    return n;
}

/* ======== one panel ======== */

/* The x of value i's bucket middle, or NAN when it falls outside the axis. */
static double point_x(const struct layout *l, const struct chart_series *s, size_t i)
{
    double t = (double)s->from + ((double)i + 0.5) * (double)s->bucket_ms;
    if (t < (double)l->ts.from || t > (double)l->ts.to)
        return NAN;
    struct chart_scale xs = chart_time_as_scale(&l->ts);
    return chart_map(&xs, t);
}

/* Draws the runs of finite values as polylines; a NAN breaks the line, and a run of one point
 * (no line to draw) becomes a dot. */
static void draw_line(struct sink *out, const struct layout *l, const struct chart_series *s,
                      const double *v, const struct chart_scale *ys, const char *line_attrs,
                      const char *dot_attrs)
{
    size_t i = 0;
    while (i < s->n) {
        if (!isfinite(v[i]) || isnan(point_x(l, s, i))) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < s->n && isfinite(v[j]) && !isnan(point_x(l, s, j)))
            j++;
        if (j - i == 1) {
            svg_circle(out, point_x(l, s, i), chart_map(ys, v[i]), 2.5, dot_attrs);
        } else {
            svg_polyline_begin(out, line_attrs);
            for (size_t k = i; k < j; k++)
                svg_point(out, point_x(l, s, k), chart_map(ys, v[k]));
            svg_polyline_end(out);
        }
        i = j;
    }
}

static void draw_shade(struct sink *out, const struct chart_panels *p, const struct layout *l,
                       double top)
{
    if (!shade_visible(p))
        return;
    double a = fmax(l->ts.x0, chart_x_of(&l->ts, p->shade_from));
    double b = fmin(l->ts.x1, chart_x_of(&l->ts, p->shade_to));
    svg_rect(out, a, top, b - a, PLOT_H, A_INCIDENT);
}

static void panel_title(struct sink *out, const struct chart_series *s, const struct layout *l,
                        double top)
{
    char title[512];
    const char *name = s->name ? s->name : "";
    if (s->unit && *s->unit)
        snprintf(title, sizeof(title), "%.400s (%.48s)", name, s->unit);
    else
        snprintf(title, sizeof(title), "%.400s", name);
    size_t max_chars = chart_chars_fitting(l->ts.x1 - l->ts.x0, 12);
    chart_label(out, l->ts.x0, top - 6,
                "class=\"panel-title\" font-size=\"12\" font-weight=\"bold\" " CHART_HALO, title,
                max_chars);
}

/* Change points of this panel: dashed lines within it, labels staggered at its top. */
static void panel_markers(struct sink *out, const struct chart_panels *p,
                          const struct layout *l, size_t panel, double top)
{
    struct mlabel *labels = xmallocarray(p->n_markers + 1, sizeof(*labels));
    size_t n = 0;
    for (size_t i = 0; i < p->n_markers; i++) {
        const struct chart_marker *m = &p->markers[i];
        if (!marker_visible(p, m) || marker_panel(p, m) != (long)panel)
            continue;
        double x = chart_x_of(&l->ts, m->at);
        svg_line(out, x, top, x, top + PLOT_H, A_CHANGEPOINT);
        labels[n++] = marker_label(l, m->label ? m->label : "", x,
                                   "class=\"changepoint-label\" fill=\"" CHART_VERMILLION
                                   "\" " A_LABEL);
    }
    place(labels, n, PANEL_ROWS_MAX);
    for (size_t i = 0; i < n; i++)
        draw_label(out, &labels[i], top + 11 + (double)labels[i].row * 12);
    free(labels);
}

static void draw_panel(struct sink *out, const struct chart_panels *p, const struct layout *l,
                       size_t panel, const struct svg_time_ticks *tt)
{
    const struct chart_series *s = &p->series[panel];
    double top = plot_top(l, panel), lo = 0, hi = 0;
    bool any = chart_range(s->values, s->n, &lo, &hi);
    double blo = 0, bhi = 0;
    if (chart_range(s->baseline, s->baseline ? s->n : 0, &blo, &bhi)) {
        lo = any ? fmin(lo, blo) : blo;
        hi = any ? fmax(hi, bhi) : bhi;
        any = true;
    }
    draw_shade(out, p, l, top);
    chart_time_grid(out, tt, &l->ts, top, top + PLOT_H);
    if (any && s->values) {
        struct svg_ticks t;
        svg_nice_ticks(lo, hi, 4, &t);
        struct chart_scale ys = {t.v[0], t.v[t.n - 1], top + PLOT_H, top};
        chart_y_axis(out, &t, &ys, l->ts.x0, l->ts.x1, s->unit);
        if (s->baseline)
            draw_line(out, l, s, s->baseline, &ys, A_BASELINE, A_BASELINE_DOT);
        draw_line(out, l, s, s->values, &ys, A_ACTUAL, A_ACTUAL_DOT);
    } else {
        chart_no_data(out, l->ts.x0, top, l->ts.x1 - l->ts.x0, PLOT_H, "no data");
    }
    svg_rect(out, l->ts.x0, top, l->ts.x1 - l->ts.x0, PLOT_H,
             "class=\"frame\" fill=\"none\" stroke=\"" CHART_FRAME "\"");
    panel_markers(out, p, l, panel, top);
    panel_title(out, s, l, top);
}

/* Changes (and change points of no panel) cross every panel from their label down: lines
 * (lines = true, drawn under the panels' data) or labels (drawn last, over everything). */
static void draw_band(struct sink *out, const struct chart_panels *p, const struct layout *l,
                      bool lines)
{
    struct mlabel *labels = xmallocarray(p->n_markers + 1, sizeof(*labels));
    size_t n = band_labels(p, l, labels);
    place(labels, n, BAND_ROWS_MAX);
    double bottom = plot_top(l, p->n_series - 1) + PLOT_H;
    for (size_t i = 0; i < n; i++) {
        double y = l->band_bottom - (double)labels[i].row * BAND_ROW_H - 3;
        if (!lines)
            draw_label(out, &labels[i], y);
        else if (labels[i].line_attrs)
            svg_line(out, labels[i].x, y + 3, labels[i].x, bottom, labels[i].line_attrs);
    }
    free(labels);
}

/* ======== alt text ======== */

/* Mean of the finite values whose bucket middle lies in [a, b). */
static double mean_in(const struct chart_series *s, double a, double b)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; s->values && i < s->n; i++) {
        double t = (double)s->from + ((double)i + 0.5) * (double)s->bucket_ms;
        if (t >= a && t < b && isfinite(s->values[i]))
            sum += s->values[i], n++;
    }
    return n ? sum / (double)n : NAN;
}

static void desc_series(struct buf *b, const struct chart_panels *p, const struct chart_series *s)
{
    char v1[SVG_LABEL_MAX], v2[SVG_LABEL_MAX];
    double lo = 0, hi = 0;
    buf_printf(b, " %s: ", s->name ? s->name : "");
    if (!chart_range(s->values, s->n, &lo, &hi)) {
        buf_puts(b, "no data.");
    } else if (shade_visible(p) &&
               isfinite(mean_in(s, (double)p->from, (double)p->shade_from)) &&
               isfinite(mean_in(s, (double)p->shade_from, (double)p->shade_to))) {
        buf_printf(b, "%s before, %s during the incident (means).",
                   svg_fmt_value_unit(mean_in(s, (double)p->from, (double)p->shade_from),
                                      s->unit, v1),
                   svg_fmt_value_unit(mean_in(s, (double)p->shade_from, (double)p->shade_to),
                                      s->unit, v2));
    } else if (lo == hi) {
        buf_printf(b, "constant at %s.", svg_fmt_value_unit(lo, s->unit, v1));
    } else {
        buf_printf(b, "from %s to %s.", svg_fmt_value_unit(lo, s->unit, v1),
                   svg_fmt_value_unit(hi, s->unit, v2));
    }
}

/* " Marked: change chg-22 at Mar 06 14:02, change point at ..." for the first four. */
static void desc_markers(struct buf *b, const struct chart_panels *p, int tz)
{
    size_t shown = 0;
    for (size_t i = 0; i < p->n_markers && shown < 4; i++) {
        if (!marker_visible(p, &p->markers[i]))
            continue;
        const char *label = p->markers[i].label ? p->markers[i].label : "";
        buf_printf(b, "%s %s%s%s at ", shown++ ? "," : " Marked:",
                   p->markers[i].kind == MARK_CHANGE ? "change" : "change point",
                   *label ? " " : "", label);
        chart_desc_time(b, p->markers[i].at, tz);
    }
    if (shown)
        buf_puts(b, ".");
}

static char *describe(const struct chart_panels *p, const struct chart_style *st)
{
    struct buf b = BUF_INIT;
    int tz = st ? st->tz_offset_min : 0;
    char tzs[16];
    buf_printf(&b, "%zu time-aligned metric panel%s from ", p->n_series,
               p->n_series == 1 ? "" : "s");
    chart_desc_time(&b, p->from, tz);
    buf_puts(&b, " to ");
    chart_desc_time(&b, p->to, tz);
    buf_printf(&b, " (%s)", svg_fmt_tz(tz, tzs));
    if (shade_visible(p)) {
        buf_puts(&b, ", the incident window from ");
        chart_desc_time(&b, p->shade_from, tz);
        buf_puts(&b, " to ");
        chart_desc_time(&b, p->shade_to, tz);
        buf_puts(&b, " shaded");
    }
    buf_puts(&b, ".");
    for (size_t i = 0; i < p->n_series && i < 4; i++)
        desc_series(&b, p, &p->series[i]);
    desc_markers(&b, p, tz);
    return buf_detach(&b);
}

/* ======== the chart ======== */

static void render_empty(struct sink *out, const struct chart_panels *p,
                         const struct chart_style *st)
{
    double w = chart_width(st);
    chart_begin(out, st, "panels", p->title, "Metric panels: no data.", w, CHART_EMPTY_HEIGHT);
    chart_no_data(out, 0, CHART_TOP, w, CHART_EMPTY_HEIGHT - CHART_TOP, "no data");
    chart_end(out);
}

void render_chart_panels(struct sink *out, const struct chart_panels *p,
                         const struct chart_style *st)
{
    struct svg_time_ticks tt;
    svg_time_ticks(p->from, p->to, st ? st->tz_offset_min : 0, &tt);
    if (p->n_series == 0 || !p->series || tt.n == 0) { /* tt.n == 0: an unusable time range */
        render_empty(out, p, st);
        return;
    }
    struct chart_legend_item legend[5];
    size_t n_legend = legend_items(p, legend);
    struct layout l = layout_of(p, st, legend, n_legend);
    char *desc = describe(p, st);
    chart_begin(out, st, "panels", p->title, desc, l.width, l.height);
    free(desc);
    chart_legend(out, l.ts.x0, l.legend_y, l.ts.x1, legend, n_legend);
    draw_band(out, p, &l, true);
    for (size_t i = 0; i < p->n_series; i++)
        draw_panel(out, p, &l, i, &tt);
    draw_band(out, p, &l, false);
    chart_time_axis(out, &tt, &l.ts, l.axis_y, st ? st->tz_offset_min : 0);
    chart_end(out);
}
