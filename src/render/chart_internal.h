/* chart_internal.h: what the chart_*.c renderers share (render/chart.c): the palette, the
 * document frame, value scales, axes, the legend, label placement and labelled bars. Not for use
 * outside render/chart*.c. */
#ifndef RENDER_CHART_INTERNAL_H
#define RENDER_CHART_INTERNAL_H

#include "core/buf.h"
#include "render/chart.h"
#include "render/svg.h"

/* ---- palette ----
 * Okabe-Ito hues, which stay distinct under the common colour-vision deficiencies, and every
 * series kind also differs in dash pattern or shape, so colour is never the only signal. */
#define CHART_INK "#222222"
#define CHART_MUTED "#666666"
#define CHART_GRID "#e6e6e6"
#define CHART_FRAME "#bbbbbb"
#define CHART_BLUE "#0072B2"
#define CHART_ORANGE "#E69F00"
#define CHART_VERMILLION "#D55E00"
#define CHART_GREY "#8c8c8c"

/* Text with a white halo, so a label stays legible where it crosses a line. */
#define CHART_HALO "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\""

#define CHART_FONT 11 /* px, the base size */
#define CHART_LABEL_CHARS 24 /* longest marker / bar label before an ellipsis */

/* ---- frame ---- */

/* The chart's width for a style (default, clamped). */
double chart_width(const struct chart_style *st);
/* The id a chart's elements share: st->id made safe in XML and in an HTML aria-labelledby list
 * (letters, digits, '-' and '_'), else "hs-KIND-<hash of the title>"; so that the ids and fill
 * patterns of two charts on one page do not collide. */
void chart_id(const struct chart_style *st, const char *kind, const char *title, char out[64]);
/* Opens the document: the root <svg> of width x height, its <title> and <desc> (alt text), a
 * white background and the visible title. kind ("panels", "heatmap") names the chart in the
 * default id. */
void chart_begin(struct sink *out, const struct chart_style *st, const char *kind,
                 const char *title, const char *desc, double width, double height);
void chart_end(struct sink *out);
/* "no data" centred in the box. */
void chart_no_data(struct sink *out, double x, double y, double w, double h, const char *text);
/* The height a chart with no drawable data takes: the title and one line. */
#define CHART_EMPTY_HEIGHT 80.0
/* The y of the first line below the title. */
#define CHART_TOP 34.0

/* ---- scales and axes ---- */

/* A linear map of [d0, d1] onto [r0, r1]; d0 == d1 maps everything to r0. */
struct chart_scale {
    double d0, d1, r0, r1;
};

double chart_map(const struct chart_scale *s, double v);
struct chart_scale chart_time_as_scale(const struct chart_time_scale *ts);
/* Finite min and max of n values (skipping NAN); false when there is none. */
bool chart_range(const double *v, size_t n, double *lo, double *hi);

/* Horizontal grid lines and labels of a value axis at ticks t, left of x0. */
void chart_y_axis(struct sink *out, const struct svg_ticks *t, const struct chart_scale *ys,
                  double x0, double x1, const char *unit);
/* Vertical grid lines at the time ticks between y0 and y1. */
void chart_time_grid(struct sink *out, const struct svg_time_ticks *tt,
                     const struct chart_time_scale *ts, double y0, double y1);
/* Tick marks and labels below y (time on one line, the date under it where it changes) and
 * the caption "time (UTC)" at the right. Takes CHART_TIME_AXIS_H px. */
#define CHART_TIME_AXIS_H 44.0
void chart_time_axis(struct sink *out, const struct svg_time_ticks *tt,
                     const struct chart_time_scale *ts, double y, int tz_offset_min);

/* ---- legend ---- */

enum chart_swatch { SWATCH_LINE, SWATCH_VLINE, SWATCH_BOX };

struct chart_legend_item {
    enum chart_swatch kind;
    const char *attrs; /* stroke/fill/dash of the swatch */
    const char *label;
};

/* Lays the items out left to right from x, wrapping at max_x; draws them when out is not NULL.
 * Returns the height used. */
double chart_legend(struct sink *out, double x, double y, double max_x,
                    const struct chart_legend_item *items, size_t n);

/* ---- labels ---- */

/* Estimated width of text at a font size. No font metrics here: 0.56 em per character, a
 * little above the average of common sans-serif faces, so that estimates err wide. */
double chart_text_width(const char *s, double font_size);
/* How many characters surely fit in px at a font size (reckoned wider than chart_text_width,
 * since titles are bold); at least 2. */
size_t chart_chars_fitting(double px, double font_size);
/* Places n labels (each spanning [left[i], left[i] + width[i]], in x order) on rows so that
 * labels of one row keep 4 px apart; row 0 is tried first. When every one of max_rows rows is
 * taken, the label goes where it overlaps least. Writes ret_row[i]; returns the rows used. */
size_t chart_place_labels(const double *left, const double *width, size_t n, size_t max_rows,
                          size_t *ret_row);
/* Text truncated to max_chars with an ellipsis, the full text in a tooltip. */
void chart_label(struct sink *out, double x, double y, const char *attrs, const char *text,
                 size_t max_chars);

/* ---- bars ---- */

/* One labelled horizontal bar: the label right-aligned before label_right, the bar from the
 * scale's 0 to value, value_text after its end. A NAN value draws no bar and shows value_text
 * ("no data", "n/a") in italics. */
struct chart_bar {
    const char *label;
    double value;
    const char *value_text;
    const char *attrs; /* fill, stroke, class */
};

void chart_bar_row(struct sink *out, const struct chart_scale *xs, double label_right, double y,
                   double h, const struct chart_bar *b);
/* The scale of bars for these values onto [x0, x1]: it always includes 0. */
struct chart_scale chart_bar_scale(const double *v, size_t n, double x0, double x1);

/* ---- alt text ---- */

/* A rate 0..1 as a percentage with one decimal, "92.3%"; "n/a" when not finite. */
char *chart_fmt_pct(double v, char out[SVG_LABEL_MAX]);

/* Appends "Mar 06 14:00" (local time) to b. */
void chart_desc_time(struct buf *b, int64_t t, int tz_offset_min);

#endif
