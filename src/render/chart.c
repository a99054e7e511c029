/* chart.c: the parts every chart shares (render/chart_internal.h): the document frame with its
 * accessible name, scales and axes, the legend, label placement and labelled bars. Keeping them
 * here gives the five charts one look and one set of escaping and number rules. */
#include "render/chart_internal.h"

#include "core/hash.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ======== frame ======== */

double chart_width(const struct chart_style *st)
{
    int w = st && st->width > 0 ? st->width : CHART_DEFAULT_WIDTH;
    return w < 320 ? 320 : w > 4000 ? 4000 : w;
}

struct chart_time_scale chart_time_scale_of(const struct chart_style *st, int64_t from,
                                            int64_t to)
{
    double w = chart_width(st);
    return (struct chart_time_scale){from, to, CHART_MARGIN_LEFT, w - CHART_MARGIN_RIGHT};
}

double chart_x_of(const struct chart_time_scale *ts, int64_t t)
{
    struct chart_scale s = chart_time_as_scale(ts);
    return chart_map(&s, (double)t);
}

void chart_id(const struct chart_style *st, const char *kind, const char *title, char out[64])
{
    if (st && st->id && *st->id) {
        size_t i = 0;
        for (const char *p = st->id; *p && i < 63; p++, i++) {
            char c = *p;
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '_';
            out[i] = ok ? c : '-';
        }
        out[i] = '\0';
        return;
    }
    title = title ? title : "";
    uint64_t h = hash_bytes(title, strlen(title));
    snprintf(out, 64, "hs-%.16s-%08x", kind, (unsigned)(h & 0xffffffffu));
}

void chart_begin(struct sink *out, const struct chart_style *st, const char *kind,
                 const char *title, const char *desc, double width, double height)
{
    char id[64], w[SVG_NUM_MAX], h[SVG_NUM_MAX];
    chart_id(st, kind, title, id);
    svg_fmt_num(width, w);
    svg_fmt_num(height, h);
    sink_printf(out,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %s %s\" width=\"%s\" "
                "height=\"%s\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
                "font-family=\"sans-serif\" font-size=\"%d\" fill=\"%s\">\n",
                w, h, w, h, id, id, CHART_FONT, CHART_INK);
    sink_printf(out, "<title id=\"%s-title\">", id);
    svg_escape(out, title && *title ? title : kind);
    sink_printf(out, "</title>\n<desc id=\"%s-desc\">", id);
    svg_escape(out, desc);
    sink_puts(out, "</desc>\n");
    svg_rect(out, 0, 0, width, height, "fill=\"#ffffff\"");
    if (title && *title)
        svg_text(out, 12, 20, "class=\"chart-title\" font-size=\"14\" font-weight=\"bold\"",
                 title);
}

void chart_end(struct sink *out)
{
    sink_puts(out, "</svg>\n");
}

void chart_no_data(struct sink *out, double x, double y, double w, double h, const char *text)
{
    svg_text(out, x + w / 2, y + h / 2 + 4,
             "class=\"no-data\" text-anchor=\"middle\" font-style=\"italic\" fill=\"" CHART_MUTED
             "\"",
             text ? text : "no data");
}

/* ======== scales and axes ======== */

double chart_map(const struct chart_scale *s, double v)
{
    if (!isfinite(v) || s->d1 == s->d0)
        return s->r0;
    return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

struct chart_scale chart_time_as_scale(const struct chart_time_scale *ts)
{
    return (struct chart_scale){(double)ts->from, (double)ts->to, ts->x0, ts->x1};
}

bool chart_range(const double *v, size_t n, double *lo, double *hi)
{
    bool any = false;
    for (size_t i = 0; v && i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (!any || v[i] < *lo)
            *lo = v[i];
        if (!any || v[i] > *hi)
            *hi = v[i];
        any = true;
    }
    return any;
}

void chart_y_axis(struct sink *out, const struct svg_ticks *t, const struct chart_scale *ys,
                  double x0, double x1, const char *unit)
{
    for (size_t i = 0; i < t->n; i++) {
        double y = chart_map(ys, t->v[i]);
        char label[SVG_LABEL_MAX];
        svg_line(out, x0, y, x1, y, "class=\"grid\" stroke=\"" CHART_GRID "\"");
        svg_text(out, x0 - 6, y + 3.5,
                 "class=\"y-tick\" text-anchor=\"end\" font-size=\"10\" fill=\"" CHART_MUTED "\"",
                 svg_tick_label(t, t->v[i], unit, label));
    }
}

void chart_time_grid(struct sink *out, const struct svg_time_ticks *tt,
                     const struct chart_time_scale *ts, double y0, double y1)
{
    for (size_t i = 0; i < tt->n; i++) {
        double x = chart_x_of(ts, tt->tick[i].t);
        svg_line(out, x, y0, x, y1, "class=\"grid\" stroke=\"" CHART_GRID "\"");
    }
}

void chart_time_axis(struct sink *out, const struct svg_time_ticks *tt,
                     const struct chart_time_scale *ts, double y, int tz_offset_min)
{
    static const char tick_attrs[] =
        "class=\"x-tick\" text-anchor=\"middle\" font-size=\"10\" fill=\"" CHART_MUTED "\"";
    svg_line(out, ts->x0, y, ts->x1, y, "stroke=\"" CHART_FRAME "\"");
    for (size_t i = 0; i < tt->n; i++) {
        double x = chart_x_of(ts, tt->tick[i].t);
        svg_line(out, x, y, x, y + 4, "stroke=\"" CHART_FRAME "\"");
        svg_text(out, x, y + 15, tick_attrs, tt->tick[i].label);
        if (tt->tick[i].date[0])
            svg_text(out, x, y + 27, tick_attrs, tt->tick[i].date);
    }
    char tz[16], caption[32];
    snprintf(caption, sizeof(caption), "time (%s)", svg_fmt_tz(tz_offset_min, tz));
    svg_text(out, ts->x1, y + 40,
             "class=\"x-caption\" text-anchor=\"end\" font-size=\"10\" fill=\"" CHART_MUTED "\"",
             caption);
}

/* ======== legend ======== */

static void legend_swatch(struct sink *out, const struct chart_legend_item *it, double x,
                          double y)
{
    switch (it->kind) {
    case SWATCH_LINE:
        svg_line(out, x, y - 4, x + 22, y - 4, it->attrs);
        break;
    case SWATCH_VLINE:
        svg_line(out, x + 11, y - 11, x + 11, y + 3, it->attrs);
        break;
    case SWATCH_BOX:
        svg_rect(out, x + 4, y - 10, 14, 12, it->attrs);
        break;
    }
}

double chart_legend(struct sink *out, double x, double y, double max_x,
                    const struct chart_legend_item *items, size_t n)
{
    const double row_h = 18, swatch_w = 26, gap = 16;
    double cx = x, cy = y;
    if (out && n)
        sink_puts(out, "<g class=\"legend\">\n");
    for (size_t i = 0; i < n; i++) {
        double w = swatch_w + chart_text_width(items[i].label, 10);
        if (cx > x && cx + w > max_x)
            cx = x, cy += row_h;
        if (out) {
            legend_swatch(out, &items[i], cx, cy);
            svg_text(out, cx + swatch_w, cy, "class=\"legend\" font-size=\"10\"", items[i].label);
        }
        cx += w + gap;
    }
    if (out && n)
        sink_puts(out, "</g>\n");
    return n ? cy - y + row_h : 0;
}

/* ======== labels ======== */

double chart_text_width(const char *s, double font_size)
{
    return (double)svg_text_len(s) * font_size * 0.56;
}

size_t chart_chars_fitting(double px, double font_size)
{
    double n = floor(px / (font_size * 0.62));
    return n < 2 ? 2 : (size_t)n;
}

size_t chart_place_labels(const double *left, const double *width, size_t n, size_t max_rows,
                          size_t *ret_row)
{
    enum { ROWS_MAX = 8 };
    double right[ROWS_MAX];
    size_t used = 0;
    max_rows = max_rows < 1 ? 1 : max_rows > ROWS_MAX ? ROWS_MAX : max_rows;
    for (size_t i = 0; i < n; i++) {
        size_t best = 0;
        for (size_t r = 0; r < max_rows; r++) {
            if (r == used || right[r] + 4 <= left[i]) { /* a free row, or one with room */
                best = r;
                break;
            }
            if (right[r] < right[best]) /* all full so far: remember the least overlap */
                best = r;
        }
        if (best == used)
            used++;
        right[best] = left[i] + width[i];
        ret_row[i] = best;
    }
    return used;
}

void chart_label(struct sink *out, double x, double y, const char *attrs, const char *text,
                 size_t max_chars)
{
    char shown[4 * CHART_LABEL_CHARS * 4];
    if (max_chars < 2)
        max_chars = 2;
    if (max_chars > 4 * CHART_LABEL_CHARS)
        max_chars = 4 * CHART_LABEL_CHARS;
    svg_truncate(text ? text : "", max_chars, shown, sizeof(shown));
    svg_text_titled(out, x, y, attrs, shown, text);
}

/* ======== bars ======== */

struct chart_scale chart_bar_scale(const double *v, size_t n, double x0, double x1)
{
    double lo = 0, hi = 0;
    if (chart_range(v, n, &lo, &hi)) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    if (hi - lo <= 0)
        hi = 1;
    return (struct chart_scale){lo, hi, x0, x1};
}

void chart_bar_row(struct sink *out, const struct chart_scale *xs, double label_right, double y,
                   double h, const struct chart_bar *b)
{
    double base = chart_map(xs, 0), text_y = y + h / 2 + 4;
    if (b->label) /* truncated to the room left of label_right, the full text kept */
        chart_label(out, label_right, text_y, "class=\"bar-label\" text-anchor=\"end\"",
                    b->label, chart_chars_fitting(label_right - 8, CHART_FONT));
    if (!isfinite(b->value)) {
        svg_text(out, base + 4, text_y,
                 "class=\"no-data\" font-style=\"italic\" fill=\"" CHART_MUTED "\"",
                 b->value_text);
        return;
    }
    double end = chart_map(xs, b->value);
    svg_rect(out, fmin(base, end), y, fmax(fabs(end - base), 1), h, b->attrs);
    /* Right of the bar, or of the zero line for a negative one: left of it is the label. */
    svg_text(out, fmax(end, base + 1) + 4, text_y, "class=\"value\"", b->value_text);
}

/* ======== alt text ======== */

char *chart_fmt_pct(double v, char out[SVG_LABEL_MAX])
{
    char num[SVG_NUM_MAX];
    if (!isfinite(v))
        snprintf(out, SVG_LABEL_MAX, "%s", "n/a");
    else
        snprintf(out, SVG_LABEL_MAX, "%s%%", svg_fmt_fixed(v * 100, 1, num));
    return out;
}

void chart_desc_time(struct buf *b, int64_t t, int tz_offset_min)
{
    char s[SVG_TIME_MAX];
    buf_puts(b, svg_fmt_time(t, tz_offset_min, s));
}
