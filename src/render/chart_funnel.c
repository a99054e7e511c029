/* chart_funnel.c: the funnel's step conversion before vs during (render_chart_funnel).
 *
 * One block per step ("a -> b"), with a "before" and a "during" bar on a shared 0-100 % scale
 * (conversion is a rate, so the blocks compare directly). The broken step is boxed with a thick
 * outline and marked "broken step" in words, on top of its colour. */
#include "render/chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define HEADER_H 20.0
#define BAR_H 14.0
#define BAR_GAP 5.0
#define BLOCK_H (HEADER_H + 2 * (BAR_H + BAR_GAP) + 12)
#define LABEL_RIGHT 60.0
#define VALUE_ROOM 64.0
#define AXIS_H 22.0

#define A_BEFORE "class=\"bar-before\" fill=\"" CHART_GREY "\""
#define A_DURING "class=\"bar-during\" fill=\"" CHART_BLUE "\""
#define A_DURING_BROKEN "class=\"bar-during\" fill=\"" CHART_VERMILLION "\""

static bool is_broken(const struct chart_funnel *f, size_t i)
{
    return f->broken >= 0 && (size_t)f->broken == i;
}

static const char *name_at(const struct chart_funnel *f, size_t i)
{
    return f->names && f->names[i] ? f->names[i] : "?";
}

static void draw_step(struct sink *out, const struct chart_funnel *f, size_t i,
                      const struct chart_scale *xs, double width, double top)
{
    bool broken = is_broken(f, i);
    if (broken)
        svg_rect(out, 6, top, width - 12, BLOCK_H - 6,
                 "class=\"broken\" fill=\"" CHART_VERMILLION "\" fill-opacity=\"0.07\" "
                 "stroke=\"" CHART_VERMILLION "\" stroke-width=\"2.5\"");
    char title[512];
    snprintf(title, sizeof(title), "%.240s \xE2\x86\x92 %.240s", name_at(f, i),
             name_at(f, i + 1));
    double mark_w = broken ? chart_text_width("  broken step", 12) : 0;
    chart_label(out, 12, top + 15, "class=\"step-title\" font-size=\"12\" font-weight=\"bold\"",
                title, chart_chars_fitting(width - 24 - mark_w, 12));
    if (broken)
        svg_text(out, width - 14, top + 15,
                 "class=\"broken-mark\" text-anchor=\"end\" font-size=\"12\" font-weight=\"bold\" "
                 "fill=\"" CHART_VERMILLION "\"",
                 "\xE2\x96\xB2 broken step");
    double v[2] = {f->before ? f->before[i] : NAN, f->during ? f->during[i] : NAN};
    const char *attrs[2] = {A_BEFORE, broken ? A_DURING_BROKEN : A_DURING};
    const char *labels[2] = {"before", "during"};
    double y = top + HEADER_H;
    for (size_t k = 0; k < 2; k++, y += BAR_H + BAR_GAP) {
        char text[SVG_LABEL_MAX];
        /* Bars stay inside the 0-100 % scale; the label keeps the true value. */
        struct chart_bar bar = {labels[k], isfinite(v[k]) ? fmax(0, fmin(1, v[k])) : NAN,
                                chart_fmt_pct(v[k], text), attrs[k]};
        chart_bar_row(out, xs, LABEL_RIGHT, y, BAR_H, &bar);
    }
}

/* Gridlines at 0, 25, ..., 100 % through every block and their labels at the bottom. */
static void draw_axis(struct sink *out, const struct chart_scale *xs, double top, double bottom)
{
    for (int k = 0; k <= 4; k++) {
        char label[16];
        double x = chart_map(xs, k / 4.0);
        svg_line(out, x, top, x, bottom, "class=\"grid\" stroke=\"" CHART_GRID "\"");
        snprintf(label, sizeof(label), "%d%%", k * 25);
        svg_text(out, x, bottom + 14,
                 "class=\"x-tick\" text-anchor=\"middle\" font-size=\"10\" fill=\"" CHART_MUTED
                 "\"",
                 label);
    }
}

/* The step to describe: the broken one, else the largest drop; -1 when no step has data. */
static long step_to_describe(const struct chart_funnel *f)
{
    if (f->broken >= 0 && (size_t)f->broken < f->n_steps)
        return f->broken;
    long best = -1;
    double best_drop = -INFINITY;
    for (size_t i = 0; f->before && f->during && i < f->n_steps; i++) {
        double drop = f->before[i] - f->during[i];
        if (isfinite(drop) && drop > best_drop)
            best = (long)i, best_drop = drop;
    }
    return best;
}

static char *describe(const struct chart_funnel *f)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "Conversion of %zu funnel step%s before and during the incident.", f->n_steps,
               f->n_steps == 1 ? "" : "s");
    long i = step_to_describe(f);
    if (i >= 0) {
        char a[SVG_LABEL_MAX], c[SVG_LABEL_MAX];
        double before = f->before ? f->before[i] : NAN, during = f->during ? f->during[i] : NAN;
        buf_printf(&b, " %s step %s to %s: %s before, %s during the incident.",
                   is_broken(f, (size_t)i) ? "The broken" : "The largest drop is at the",
                   name_at(f, (size_t)i), name_at(f, (size_t)i + 1),
                   chart_fmt_pct(before, a), chart_fmt_pct(during, c));
    }
    return buf_detach(&b);
}

void render_chart_funnel(struct sink *out, const struct chart_funnel *f,
                         const struct chart_style *st)
{
    double width = chart_width(st);
    if (f->n_steps == 0 || !f->names) {
        chart_begin(out, st, "funnel", f->title, "Funnel: no data.", width, CHART_EMPTY_HEIGHT);
        chart_no_data(out, 0, CHART_TOP, width, CHART_EMPTY_HEIGHT - CHART_TOP, "no data");
        chart_end(out);
        return;
    }
    double top = CHART_TOP + 4, bottom = top + (double)f->n_steps * BLOCK_H;
    struct chart_scale xs = {0, 1, LABEL_RIGHT + 8, width - VALUE_ROOM};
    char *desc = describe(f);
    chart_begin(out, st, "funnel", f->title, desc, width, bottom + AXIS_H);
    free(desc);
    draw_axis(out, &xs, top, bottom - 6);
    for (size_t i = 0; i < f->n_steps; i++)
        draw_step(out, f, i, &xs, width, top + (double)i * BLOCK_H);
    chart_end(out);
}
