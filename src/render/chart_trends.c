/* chart_trends.c: the trend report's charts (render/chart_trends.h): lines across periods and
 * bars stacked by category.
 *
 * Periods are categories, not instants: a month and a quarter have different lengths, and
 * evenly spaced slots let a reader compare neighbours at a glance. Values start from zero on
 * both charts, because a duration or a count drawn from an offset axis exaggerates change.
 * Line markers and bar segments carry a <title> with their period and value (a tooltip, and
 * what a screen reader reads on a focused element); the <desc> says the same in sentences. */
#include "render/chart_trends.h"

#include "core/hash.h"
#include "core/xalloc.h"
#include "render/chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLOT_H 200.0
#define X_AXIS_H 40.0
#define LABEL_GAP 8.0 /* px between neighbouring period labels */
#define DESC_PERIODS_MAX 6 /* periods named in one sentence of the alt text */

/* ======== data ======== */

static void free_strings(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

void chart_trend_release(struct chart_trend *c)
{
    free(c->title);
    free(c->unit);
    free(c->axis);
    free_strings(c->periods, c->n_periods);
    for (size_t i = 0; c->lines && i < c->n_lines; i++) {
        free(c->lines[i].name);
        free(c->lines[i].values);
    }
    free(c->lines);
    memset(c, 0, sizeof(*c));
}

void chart_stack_release(struct chart_stack *c)
{
    free(c->title);
    free(c->unit);
    free(c->axis);
    free_strings(c->periods, c->n_periods);
    free_strings(c->categories, c->n_categories);
    free(c->counts);
    memset(c, 0, sizeof(*c));
}

/* ======== shared layout ======== */

double chart_period_x(const struct chart_style *st, size_t n_periods, size_t i)
{
    double w = chart_width(st), x0 = CHART_MARGIN_LEFT, x1 = w - CHART_MARGIN_RIGHT;
    if (n_periods == 0)
        return x0;
    return x0 + ((double)i + 0.5) * (x1 - x0) / (double)n_periods;
}

struct frame {
    double width, x0, x1, legend_y, top, bottom, height;
};

/* legend_h: the height the legend takes (measured by its drawing function without a sink). */
static struct frame frame_of(const struct chart_style *st, double legend_h)
{
    struct frame f = {.width = chart_width(st), .x0 = CHART_MARGIN_LEFT};
    f.x1 = f.width - CHART_MARGIN_RIGHT;
    f.legend_y = CHART_TOP + 10;
    f.top = f.legend_y + legend_h + 18; /* room for the value axis' caption */
    f.bottom = f.top + PLOT_H;
    f.height = f.bottom + X_AXIS_H + 6;
    return f;
}

/* Period labels under the plot: every one when they fit, else every k-th (always from the
 * first), and the caption "month (UTC)" at the right. */
static void period_axis(struct sink *out, const struct chart_style *st, const struct frame *f,
                        char *const *periods, size_t n, const char *axis)
{
    double widest = 0;
    for (size_t i = 0; i < n; i++)
        widest = fmax(widest, chart_text_width(periods[i] ? periods[i] : "", 10));
    double slot = (f->x1 - f->x0) / (double)(n ? n : 1);
    size_t every = (size_t)ceil((widest + LABEL_GAP) / slot);
    every = every < 1 ? 1 : every;
    svg_line(out, f->x0, f->bottom, f->x1, f->bottom, "stroke=\"" CHART_FRAME "\"");
    for (size_t i = 0; i < n; i++) {
        double x = chart_period_x(st, n, i);
        svg_line(out, x, f->bottom, x, f->bottom + 4, "stroke=\"" CHART_FRAME "\"");
        if (i % every == 0)
            svg_text(out, x, f->bottom + 15,
                     "class=\"x-tick\" text-anchor=\"middle\" font-size=\"10\" fill=\"" CHART_MUTED
                     "\"", periods[i] ? periods[i] : "");
    }
    char caption[64];
    snprintf(caption, sizeof(caption), "%.32s (UTC)", axis && *axis ? axis : "period");
    svg_text(out, f->x1, f->bottom + 32,
             "class=\"x-caption\" text-anchor=\"end\" font-size=\"10\" fill=\"" CHART_MUTED "\"",
             caption);
}

static void value_caption(struct sink *out, const struct frame *f, const char *caption)
{
    svg_text(out, 12, f->top - 8,
             "class=\"y-caption\" font-size=\"10\" fill=\"" CHART_MUTED "\"", caption);
}

static void render_empty(struct sink *out, const struct chart_style *st, const char *kind,
                         const char *title, const char *desc)
{
    double w = chart_width(st);
    chart_begin(out, st, kind, title, desc, w, CHART_EMPTY_HEIGHT);
    chart_no_data(out, 0, CHART_TOP, w, CHART_EMPTY_HEIGHT - CHART_TOP, "no data");
    chart_end(out);
}

/* "2026-01, 2026-02 and 3 more" */
static void desc_period_list(struct buf *b, char *const *periods, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n && i < DESC_PERIODS_MAX; i++)
        buf_printf(b, "%s%s", i ? ", " : "", periods[idx[i]] ? periods[idx[i]] : "");
    if (n > DESC_PERIODS_MAX)
        buf_printf(b, " and %zu more", n - DESC_PERIODS_MAX);
}

/* ======== trend lines ======== */

static const char *period_label(char *const *periods, size_t i)
{
    return periods[i] ? periods[i] : "";
}

/* Each line differs in colour, dash and marker shape. */
static const struct {
    const char *line, *mark, *swatch;
    int shape; /* 0 circle, 1 square, 2 triangle, 3 diamond */
} line_styles[] = {
    {"class=\"trend\" fill=\"none\" stroke=\"" CHART_BLUE "\" stroke-width=\"2\" "
     "stroke-linejoin=\"round\"",
     "class=\"point\" fill=\"" CHART_BLUE "\"",
     "stroke=\"" CHART_BLUE "\" stroke-width=\"2\"", 0},
    {"class=\"trend\" fill=\"none\" stroke=\"" CHART_VERMILLION "\" stroke-width=\"2\" "
     "stroke-dasharray=\"7 4\" stroke-linejoin=\"round\"",
     "class=\"point\" fill=\"" CHART_VERMILLION "\"",
     "stroke=\"" CHART_VERMILLION "\" stroke-width=\"2\" stroke-dasharray=\"7 4\"", 1},
    {"class=\"trend\" fill=\"none\" stroke=\"" CHART_ORANGE "\" stroke-width=\"2\" "
     "stroke-dasharray=\"2 3\" stroke-linejoin=\"round\"",
     "class=\"point\" fill=\"" CHART_ORANGE "\"",
     "stroke=\"" CHART_ORANGE "\" stroke-width=\"2\" stroke-dasharray=\"2 3\"", 2},
    {"class=\"trend\" fill=\"none\" stroke=\"" CHART_INK "\" stroke-width=\"1.5\" "
     "stroke-dasharray=\"8 3 2 3\" stroke-linejoin=\"round\"",
     "class=\"point\" fill=\"" CHART_INK "\"",
     "stroke=\"" CHART_INK "\" stroke-width=\"1.5\" stroke-dasharray=\"8 3 2 3\"", 3},
};

#define N_LINE_STYLES (sizeof(line_styles) / sizeof(line_styles[0]))

/* A marker of the given shape centred on (x, y), its tooltip in a <title> child. */
static void marker(struct sink *out, int shape, double x, double y, const char *attrs,
                   const char *tip)
{
    char a[SVG_NUM_MAX], b[SVG_NUM_MAX], c[SVG_NUM_MAX], d[SVG_NUM_MAX], e[SVG_NUM_MAX],
        f[SVG_NUM_MAX], g[SVG_NUM_MAX], h[SVG_NUM_MAX];
    const char *close;
    switch (shape) {
    case 0:
        sink_printf(out, "<circle cx=\"%s\" cy=\"%s\" r=\"3.5\" %s>", svg_fmt_num(x, a),
                    svg_fmt_num(y, b), attrs);
        close = "</circle>\n";
        break;
    case 1:
        sink_printf(out, "<rect x=\"%s\" y=\"%s\" width=\"7\" height=\"7\" %s>",
                    svg_fmt_num(x - 3.5, a), svg_fmt_num(y - 3.5, b), attrs);
        close = "</rect>\n";
        break;
    default: /* a triangle pointing up, or a diamond */
        if (shape == 2)
            sink_printf(out, "<polygon points=\"%s,%s %s,%s %s,%s\" %s>", svg_fmt_num(x, a),
                        svg_fmt_num(y - 4.5, b), svg_fmt_num(x + 4.5, c), svg_fmt_num(y + 3.5, d),
                        svg_fmt_num(x - 4.5, e), svg_fmt_num(y + 3.5, f), attrs);
        else
            sink_printf(out, "<polygon points=\"%s,%s %s,%s %s,%s %s,%s\" %s>", svg_fmt_num(x, a),
                        svg_fmt_num(y - 5, b), svg_fmt_num(x + 5, c), svg_fmt_num(y, d),
                        svg_fmt_num(x, e), svg_fmt_num(y + 5, f), svg_fmt_num(x - 5, g),
                        svg_fmt_num(y, h), attrs);
        close = "</polygon>\n";
        break;
    }
    sink_puts(out, "<title>");
    svg_escape(out, tip);
    sink_puts(out, "</title>");
    sink_puts(out, close);
}

/* The legend: each line's dash and marker beside its name, laid out left to right from x and
 * wrapped at max_x (drawn when out is not NULL). Returns the height it takes. */
static double line_legend(struct sink *out, const struct chart_trend *c, double x, double y,
                          double max_x)
{
    const double row_h = 18, swatch_w = 30, gap = 16;
    double cx = x, cy = y;
    if (out && c->n_lines)
        sink_puts(out, "<g class=\"legend\">\n");
    for (size_t k = 0; k < c->n_lines; k++) {
        const char *name = c->lines[k].name ? c->lines[k].name : "";
        double w = swatch_w + chart_text_width(name, 10);
        if (cx > x && cx + w > max_x)
            cx = x, cy += row_h;
        if (out) {
            size_t style = k % N_LINE_STYLES;
            svg_line(out, cx, cy - 4, cx + 24, cy - 4, line_styles[style].swatch);
            marker(out, line_styles[style].shape, cx + 12, cy - 4, line_styles[style].mark, name);
            svg_text(out, cx + swatch_w, cy, "class=\"legend\" font-size=\"10\"", name);
        }
        cx += w + gap;
    }
    if (out && c->n_lines)
        sink_puts(out, "</g>\n");
    return c->n_lines ? cy - y + row_h : 0;
}

static void draw_line(struct sink *out, const struct chart_trend *c, size_t k,
                      const struct chart_style *st, const struct chart_scale *ys)
{
    const double *v = c->lines[k].values;
    size_t n = c->n_periods, style = k % N_LINE_STYLES;
    sink_puts(out, "<g class=\"series\">\n");
    for (size_t i = 0; v && i < n;) { /* runs of defined values; an undefined one breaks it */
        if (!isfinite(v[i])) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && isfinite(v[j]))
            j++;
        if (j - i > 1) {
            svg_polyline_begin(out, line_styles[style].line);
            for (size_t p = i; p < j; p++)
                svg_point(out, chart_period_x(st, n, p), chart_map(ys, v[p]));
            svg_polyline_end(out);
        }
        i = j;
    }
    for (size_t i = 0; v && i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        char tip[512], value[SVG_LABEL_MAX];
        snprintf(tip, sizeof(tip), "%.200s, %.32s: %s", c->lines[k].name ? c->lines[k].name : "",
                 c->periods[i] ? c->periods[i] : "", svg_fmt_value_unit(v[i], c->unit, value));
        marker(out, line_styles[style].shape, chart_period_x(st, n, i), chart_map(ys, v[i]),
               line_styles[style].mark, tip);
    }
    sink_puts(out, "</g>\n");
}

static void desc_line(struct buf *b, const struct chart_trend *c, const struct chart_trend_line *l)
{
    const double *v = l->values;
    size_t lo = SIZE_MAX, hi = SIZE_MAX, last = SIZE_MAX;
    for (size_t i = 0; v && i < c->n_periods; i++) {
        if (!isfinite(v[i]))
            continue;
        if (lo == SIZE_MAX || v[i] < v[lo])
            lo = i;
        if (hi == SIZE_MAX || v[i] > v[hi])
            hi = i;
        last = i;
    }
    buf_printf(b, " %s: ", l->name ? l->name : "");
    if (last == SIZE_MAX) {
        buf_puts(b, "no value in any period.");
        return;
    }
    char x[SVG_LABEL_MAX], y[SVG_LABEL_MAX], z[SVG_LABEL_MAX];
    if (lo == hi) {
        buf_printf(b, "%s in every period with a value, the latest %s.",
                   svg_fmt_value_unit(v[lo], c->unit, x), period_label(c->periods, last));
        return;
    }
    buf_printf(b, "lowest %s (%s), highest %s (%s), latest %s (%s).",
               svg_fmt_value_unit(v[lo], c->unit, x), period_label(c->periods, lo),
               svg_fmt_value_unit(v[hi], c->unit, y), period_label(c->periods, hi),
               svg_fmt_value_unit(v[last], c->unit, z), period_label(c->periods, last));
}

static char *describe_trend(const struct chart_trend *c)
{
    struct buf b = BUF_INIT;
    const char *axis = c->axis && *c->axis ? c->axis : "period";
    buf_printf(&b, "%s: %zu line%s over %zu %s%s from %s to %s (UTC)", c->title ? c->title : "",
               c->n_lines, c->n_lines == 1 ? "" : "s", c->n_periods, axis,
               c->n_periods == 1 ? "" : "s", c->periods[0] ? c->periods[0] : "",
               c->periods[c->n_periods - 1] ? c->periods[c->n_periods - 1] : "");
    if (c->unit && *c->unit)
        buf_printf(&b, ", values in %s", strcmp(c->unit, "%") == 0 ? "percent" : c->unit);
    buf_puts(&b, ".");
    for (size_t k = 0; k < c->n_lines && k < 4; k++)
        desc_line(&b, c, &c->lines[k]);
    if (c->n_lines > 4)
        buf_printf(&b, " And %zu more lines.", c->n_lines - 4);
    return buf_detach(&b);
}

void render_chart_trend(struct sink *out, const struct chart_trend *c,
                        const struct chart_style *st)
{
    double lo = 0, hi = 0;
    bool any = false;
    for (size_t k = 0; c->periods && k < c->n_lines; k++) {
        double a, b;
        if (chart_range(c->lines[k].values, c->lines[k].values ? c->n_periods : 0, &a, &b)) {
            lo = any ? fmin(lo, a) : a;
            hi = any ? fmax(hi, b) : b;
            any = true;
        }
    }
    if (!any || c->n_periods == 0 || !c->periods) {
        char desc[300];
        snprintf(desc, sizeof(desc), "%.200s: no value in any period.", c->title ? c->title : "");
        render_empty(out, st, "trend", c->title, desc);
        return;
    }
    struct frame f = frame_of(st, 0);
    f = frame_of(st, line_legend(NULL, c, f.x0, f.legend_y, f.x1));
    char *desc = describe_trend(c);
    chart_begin(out, st, "trend", c->title, desc, f.width, f.height);
    free(desc);
    line_legend(out, c, f.x0, f.legend_y, f.x1);

    struct svg_ticks t;
    svg_nice_ticks(fmin(lo, 0), fmax(hi, 0), 5, &t);
    struct chart_scale ys = {t.v[0], t.v[t.n - 1], f.bottom, f.top};
    chart_y_axis(out, &t, &ys, f.x0, f.x1, c->unit);
    if (c->unit && *c->unit && strcmp(c->unit, "%") != 0)
        value_caption(out, &f, c->unit);
    svg_rect(out, f.x0, f.top, f.x1 - f.x0, PLOT_H,
             "class=\"frame\" fill=\"none\" stroke=\"" CHART_FRAME "\"");
    period_axis(out, st, &f, c->periods, c->n_periods, c->axis);
    for (size_t k = 0; k < c->n_lines; k++)
        draw_line(out, c, k, st, &ys);
    chart_end(out);
}

/* ======== stacked bars ======== */

/* Okabe-Ito hues; every category also gets its own fill pattern. */
static const char *const stack_colours[] = {
    CHART_VERMILLION, CHART_ORANGE, CHART_BLUE, "#009E73", "#CC79A7", "#56B4E9", "#F0E442",
};
#define N_COLOURS (sizeof(stack_colours) / sizeof(stack_colours[0]))
#define N_PATTERNS 5 /* solid, rising hatch, horizontal lines, falling hatch, dots */

/* One <pattern> per category: its colour under white strokes of its own pattern. Colour and
 * pattern cycle with different periods, so the first 35 categories all look different. */
static void stack_patterns(struct sink *out, const char *id, size_t n)
{
    sink_puts(out, "<defs>\n");
    for (size_t k = 0; k < n; k++) {
        size_t kind = k % N_PATTERNS;
        const char *rotate = kind == 1 ? " patternTransform=\"rotate(45)\"" :
                             kind == 3 ? " patternTransform=\"rotate(-45)\"" : "";
        sink_printf(out, "<pattern id=\"%s-pat-%zu\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
                    "height=\"6\"%s>\n<rect width=\"6\" height=\"6\" fill=\"%s\"/>\n",
                    id, k, rotate, stack_colours[k % N_COLOURS]);
        if (kind == 1 || kind == 3)
            sink_puts(out, "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" "
                           "stroke-width=\"2\"/>\n");
        else if (kind == 2)
            sink_puts(out, "<line x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\" stroke=\"#ffffff\" "
                           "stroke-width=\"1.5\"/>\n");
        else if (kind == 4)
            sink_puts(out, "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"#ffffff\"/>\n");
        sink_puts(out, "</pattern>\n");
    }
    sink_puts(out, "</defs>\n");
}

static double count_at(const struct chart_stack *c, size_t p, size_t k)
{
    double v = c->counts ? c->counts[p * c->n_categories + k] : 0;
    return isfinite(v) && v > 0 ? v : 0;
}

static double total_at(const struct chart_stack *c, size_t p)
{
    double t = 0;
    for (size_t k = 0; k < c->n_categories; k++)
        t += count_at(c, p, k);
    return t;
}

/* "2026-01: 7 incidents (SEV1 1, SEV2 3, SEV3 3)" */
static void bar_summary(struct buf *b, const struct chart_stack *c, size_t p)
{
    char v[SVG_NUM_MAX];
    buf_printf(b, "%s: %s %s", c->periods[p] ? c->periods[p] : "",
               svg_fmt_value(total_at(c, p), v), c->unit && *c->unit ? c->unit : "in all");
    size_t shown = 0;
    for (size_t k = 0; k < c->n_categories; k++) {
        if (count_at(c, p, k) <= 0)
            continue;
        buf_printf(b, "%s%s %s", shown++ ? ", " : " (", c->categories[k] ? c->categories[k] : "",
                   svg_fmt_value(count_at(c, p, k), v));
    }
    if (shown)
        buf_puts(b, ")");
}

static void draw_bar(struct sink *out, const struct chart_stack *c, size_t p,
                     const struct chart_style *st, const struct frame *f,
                     const struct chart_scale *ys, const char *id)
{
    double slot = (f->x1 - f->x0) / (double)c->n_periods;
    double bw = fmin(slot * 0.64, 56), x = chart_period_x(st, c->n_periods, p) - bw / 2;
    struct buf tip = BUF_INIT;
    bar_summary(&tip, c, p);
    sink_puts(out, "<g class=\"bar\"><title>");
    svg_escape(out, buf_str(&tip));
    sink_puts(out, "</title>\n");
    buf_release(&tip);
    double cum = 0;
    char attrs[160], v[SVG_NUM_MAX];
    size_t segments = 0;
    for (size_t k = 0; k < c->n_categories; k++)
        segments += count_at(c, p, k) > 0;
    for (size_t k = 0; k < c->n_categories; k++) {
        double n = count_at(c, p, k);
        if (n <= 0)
            continue;
        double top = chart_map(ys, cum + n), base = chart_map(ys, cum);
        snprintf(attrs, sizeof(attrs),
                 "class=\"seg\" fill=\"url(#%s-pat-%zu)\" stroke=\"#ffffff\" stroke-width=\"0.5\"",
                 id, k);
        svg_rect(out, x, top, bw, base - top, attrs);
        /* A count inside its segment, when it fits and the bar has more than one segment
         * (a lone segment's count is the total above the bar). */
        if (segments > 1 && base - top >= 13 &&
            chart_text_width(svg_fmt_value(n, v), 10) + 4 <= bw)
            svg_text(out, x + bw / 2, (top + base) / 2 + 3.5,
                     "class=\"seg-label\" text-anchor=\"middle\" font-size=\"10\" " CHART_HALO,
                     svg_fmt_value(n, v));
        cum += n;
    }
    svg_text(out, x + bw / 2, chart_map(ys, cum) - 4,
             "class=\"total\" text-anchor=\"middle\" font-size=\"10\" font-weight=\"bold\"",
             svg_fmt_value(cum, v));
    sink_puts(out, "</g>\n");
}

static char *describe_stack(const struct chart_stack *c)
{
    struct buf b = BUF_INIT;
    char v[SVG_NUM_MAX];
    const char *axis = c->axis && *c->axis ? c->axis : "period";
    double all = 0;
    size_t most = 0, *empty = xcalloc(c->n_periods, sizeof(size_t)), n_empty = 0;
    for (size_t p = 0; p < c->n_periods; p++) {
        double t = total_at(c, p);
        all += t;
        if (t > total_at(c, most))
            most = p;
        if (t <= 0)
            empty[n_empty++] = p;
    }
    buf_printf(&b, "%s: one bar per %s for %zu %s%s from %s to %s (UTC), %s %s in all, each bar "
               "stacked from the bottom by", c->title ? c->title : "", axis, c->n_periods, axis,
               c->n_periods == 1 ? "" : "s", c->periods[0] ? c->periods[0] : "",
               c->periods[c->n_periods - 1] ? c->periods[c->n_periods - 1] : "",
               svg_fmt_value(all, v), c->unit && *c->unit ? c->unit : "counted");
    for (size_t k = 0; k < c->n_categories; k++) {
        double sum = 0;
        for (size_t p = 0; p < c->n_periods; p++)
            sum += count_at(c, p, k);
        buf_printf(&b, "%s %s (%s in all)", k ? "," : "", c->categories[k] ? c->categories[k] : "",
                   svg_fmt_value(sum, v));
    }
    buf_puts(&b, ".");
    if (all > 0) {
        buf_puts(&b, " The most in ");
        bar_summary(&b, c, most);
        buf_puts(&b, ".");
    }
    if (n_empty) {
        buf_puts(&b, " None in ");
        desc_period_list(&b, c->periods, empty, n_empty);
        buf_puts(&b, ".");
    }
    free(empty);
    return buf_detach(&b);
}

void render_chart_stack(struct sink *out, const struct chart_stack *c,
                        const struct chart_style *st)
{
    if (c->n_periods == 0 || !c->periods || c->n_categories == 0 || !c->categories) {
        char desc[300];
        snprintf(desc, sizeof(desc), "%.200s: no data.", c->title ? c->title : "");
        render_empty(out, st, "stack", c->title, desc);
        return;
    }
    char id[64];
    chart_id(st, "stack", c->title, id);
    char (*attrs)[160] = xcalloc(c->n_categories, sizeof(*attrs));
    struct chart_legend_item *legend = xcalloc(c->n_categories, sizeof(*legend));
    for (size_t k = 0; k < c->n_categories; k++) {
        snprintf(attrs[k], sizeof(attrs[k]), "fill=\"url(#%s-pat-%zu)\" stroke=\"" CHART_MUTED
                 "\" stroke-width=\"0.5\"", id, k);
        legend[k] = (struct chart_legend_item){SWATCH_BOX, attrs[k],
                                               c->categories[k] ? c->categories[k] : ""};
    }
    struct frame f = frame_of(st, 0);
    f = frame_of(st, chart_legend(NULL, f.x0, f.legend_y, f.x1, legend, c->n_categories));
    char *desc = describe_stack(c);
    chart_begin(out, st, "stack", c->title, desc, f.width, f.height);
    free(desc);
    stack_patterns(out, id, c->n_categories);
    chart_legend(out, f.x0, f.legend_y, f.x1, legend, c->n_categories);
    free(legend);
    free(attrs);

    double hi = 0;
    for (size_t p = 0; p < c->n_periods; p++)
        hi = fmax(hi, total_at(c, p));
    struct svg_ticks t;
    svg_nice_ticks(0, fmax(hi, 4), 5, &t); /* at least 0..4, so steps are whole counts */
    struct chart_scale ys = {t.v[0], t.v[t.n - 1], f.bottom, f.top};
    chart_y_axis(out, &t, &ys, f.x0, f.x1, NULL);
    if (c->unit && *c->unit)
        value_caption(out, &f, c->unit);
    period_axis(out, st, &f, c->periods, c->n_periods, c->axis);
    for (size_t p = 0; p < c->n_periods; p++)
        draw_bar(out, c, p, st, &f, &ys, id);
    chart_end(out);
}
