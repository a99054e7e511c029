/* chart_segments.c: the segments that explain a deviation (render_chart_segments).
 *
 * One bar per segment, in the order given (the analysis ranks them), its length the segment's
 * share of the deviation and its percentage written after it. Bars are scaled to the largest
 * share so that small segments stay visible; the percentages carry the absolute values. A
 * negative share (a segment that moved against the deviation) is drawn left of zero. */
#include "render/chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define ROW_H 22.0
#define BAR_H 14.0
#define VALUE_ROOM 64.0

static char *describe(const struct chart_segments *s)
{
    struct buf b = BUF_INIT;
    const char *metric = s->metric && *s->metric ? s->metric : "the metric";
    buf_printf(&b, "Share of the deviation in %s explained by each of %zu segment%s", metric,
               s->n, s->n == 1 ? "" : "s");
    for (size_t i = 0; i < s->n && i < 5; i++) {
        char v[SVG_LABEL_MAX];
        buf_printf(&b, "%s %s %s", i ? "," : ":", s->labels[i] ? s->labels[i] : "",
                   chart_fmt_pct(s->shares ? s->shares[i] : NAN, v));
    }
    if (s->n > 5)
        buf_printf(&b, " and %zu more", s->n - 5);
    buf_puts(&b, ".");
    return buf_detach(&b);
}

void render_chart_segments(struct sink *out, const struct chart_segments *s,
                           const struct chart_style *st)
{
    double width = chart_width(st);
    if (s->n == 0 || !s->labels || !s->shares) {
        chart_begin(out, st, "segments", s->title, "Segments: no data.", width,
                    CHART_EMPTY_HEIGHT);
        chart_no_data(out, 0, CHART_TOP, width, CHART_EMPTY_HEIGHT - CHART_TOP, "no data");
        chart_end(out);
        return;
    }
    /* The label column takes up to 40 % of the width; longer labels are cut with a tooltip. */
    double label_right = 12 + fmin(300, width * 0.4);
    double top = CHART_TOP + 24, height = top + (double)s->n * ROW_H + 10;
    struct chart_scale xs = chart_bar_scale(s->shares, s->n, label_right + 8, width - VALUE_ROOM);
    char *desc = describe(s);
    chart_begin(out, st, "segments", s->title, desc, width, height);
    free(desc);
    char caption[512];
    snprintf(caption, sizeof(caption), "share of the deviation in %.400s",
             s->metric && *s->metric ? s->metric : "the metric");
    chart_label(out, 12, CHART_TOP + 8, "class=\"caption\" fill=\"" CHART_MUTED "\"", caption,
                chart_chars_fitting(width - 24, CHART_FONT));
    for (size_t i = 0; i < s->n; i++) {
        char text[SVG_LABEL_MAX];
        struct chart_bar bar = {s->labels[i] ? s->labels[i] : "", s->shares[i],
                                chart_fmt_pct(s->shares[i], text),
                                "class=\"bar-share\" fill=\"" CHART_BLUE "\""};
        chart_bar_row(out, &xs, label_right, top + (double)i * ROW_H, BAR_H, &bar);
    }
    double zero = chart_map(&xs, 0);
    svg_line(out, zero, top - 3, zero, top + (double)s->n * ROW_H - 5,
             "class=\"zero\" stroke=\"" CHART_MUTED "\"");
    chart_end(out);
}
