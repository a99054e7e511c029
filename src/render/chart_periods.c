/* chart_periods.c: before / during / after (render_chart_periods).
 *
 * One small block per metric, each with its own scale: latency in ms and conversion in % cannot
 * share an axis, and a shared one would flatten the smaller metric. Every bar says which period
 * it is in text and carries its value, so neither colour nor bar length must be decoded. */
#include "render/chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define ROW_HEADER_H 20.0
#define BAR_H 14.0
#define BAR_GAP 5.0
#define ROW_GAP 12.0
#define ROW_H (ROW_HEADER_H + 3 * (BAR_H + BAR_GAP) + ROW_GAP)
#define LABEL_RIGHT 60.0 /* "before" right-aligned here */
#define VALUE_ROOM 110.0 /* right of the bars, for "12.3k events/min" */

static const struct {
    const char *label, *attrs;
} periods[3] = {
    {"before", "class=\"bar-before\" fill=\"" CHART_GREY "\""},
    {"during", "class=\"bar-during\" fill=\"" CHART_VERMILLION "\""},
    {"after", "class=\"bar-after\" fill=\"" CHART_BLUE "\""},
};

static void row_values(const struct chart_period_row *r, double v[3])
{
    v[0] = r->before, v[1] = r->during, v[2] = r->after;
}

static void draw_row(struct sink *out, const struct chart_period_row *r, double width, double top)
{
    char title[512];
    if (r->unit && *r->unit)
        snprintf(title, sizeof(title), "%.400s (%.48s)", r->name ? r->name : "", r->unit);
    else
        snprintf(title, sizeof(title), "%.400s", r->name ? r->name : "");
    chart_label(out, 12, top + 14, "class=\"row-title\" font-size=\"12\" font-weight=\"bold\"",
                title, chart_chars_fitting(width - 24, 12));

    double v[3];
    row_values(r, v);
    double x0 = LABEL_RIGHT + 8, x1 = width - VALUE_ROOM;
    struct chart_scale xs = chart_bar_scale(v, 3, x0, x1);
    double y = top + ROW_HEADER_H;
    for (size_t i = 0; i < 3; i++, y += BAR_H + BAR_GAP) {
        char text[SVG_LABEL_MAX];
        struct chart_bar bar = {periods[i].label, v[i], NULL, periods[i].attrs};
        bar.value_text = isfinite(v[i]) ? svg_fmt_value_unit(v[i], r->unit, text) : "no data";
        chart_bar_row(out, &xs, LABEL_RIGHT, y, BAR_H, &bar);
    }
    double zero = chart_map(&xs, 0);
    svg_line(out, zero, top + ROW_HEADER_H - 2, zero, y - BAR_GAP + 2,
             "class=\"zero\" stroke=\"" CHART_MUTED "\"");
}

static char *describe(const struct chart_periods *p)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "Mean of %zu metric%s before, during and after the incident, each on its own "
               "scale.", p->n_rows, p->n_rows == 1 ? "" : "s");
    for (size_t i = 0; i < p->n_rows && i < 5; i++) {
        const struct chart_period_row *r = &p->rows[i];
        double v[3];
        row_values(r, v);
        buf_printf(&b, " %s:", r->name ? r->name : "");
        for (size_t k = 0; k < 3; k++) {
            char text[SVG_LABEL_MAX];
            buf_printf(&b, "%s %s %s", k ? "," : "",
                       isfinite(v[k]) ? svg_fmt_value_unit(v[k], r->unit, text) : "no data",
                       periods[k].label);
        }
        buf_puts(&b, ".");
    }
    if (p->n_rows > 5)
        buf_printf(&b, " And %zu more.", p->n_rows - 5);
    return buf_detach(&b);
}

void render_chart_periods(struct sink *out, const struct chart_periods *p,
                          const struct chart_style *st)
{
    double width = chart_width(st);
    if (p->n_rows == 0 || !p->rows) {
        chart_begin(out, st, "periods", p->title, "Before, during and after: no data.", width,
                    CHART_EMPTY_HEIGHT);
        chart_no_data(out, 0, CHART_TOP, width, CHART_EMPTY_HEIGHT - CHART_TOP, "no data");
        chart_end(out);
        return;
    }
    double height = CHART_TOP + 4 + (double)p->n_rows * ROW_H;
    char *desc = describe(p);
    chart_begin(out, st, "periods", p->title, desc, width, height);
    free(desc);
    for (size_t i = 0; i < p->n_rows; i++)
        draw_row(out, &p->rows[i], width, CHART_TOP + 4 + (double)i * ROW_H);
    chart_end(out);
}
