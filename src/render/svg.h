/* svg.h: a tiny SVG writer over a sink, plus the axis arithmetic every chart shares.
 *
 * Everything here is pure and locale-free: numbers are formatted from integers (never "%f",
 * whose decimal point follows LC_NUMERIC), a non-finite number is never written (coordinates
 * become 0, values become the caller's "no data" text), and every piece of user text goes
 * through svg_escape, so a name with markup, quotes, control characters or broken UTF-8 still
 * yields well-formed XML. Element helpers take `attrs`, a string of extra presentation
 * attributes: it is written as is, so it must be a constant of the code, never user data. */
#ifndef RENDER_SVG_H
#define RENDER_SVG_H

#include "core/sink.h"

/* ---- numbers ---- */

#define SVG_NUM_MAX 40

/* v with exactly `decimals` (0..6) digits after the point: "12.50". Non-finite -> "0";
 * |v| is clamped to 1e12. Never "-0". Returns out. */
char *svg_fmt_fixed(double v, int decimals, char out[SVG_NUM_MAX]);
/* A coordinate: at most two decimals, trailing zeros trimmed ("12.5", "3", "-0.25"). */
char *svg_fmt_num(double v, char out[SVG_NUM_MAX]);
/* A value for people: about three significant digits, trailing zeros trimmed, "k" from
 * 10 000, "M" from 1e6, "G" from 1e9 ("0.00123", "92.3", "1234", "12.3k", "2.5M").
 * Non-finite -> "n/a". */
char *svg_fmt_value(double v, char out[SVG_NUM_MAX]);
/* svg_fmt_value plus the unit: "92.3%" for "%", "250 ms" for "ms", "12" for "" or NULL. */
#define SVG_LABEL_MAX 96
char *svg_fmt_value_unit(double v, const char *unit, char out[SVG_LABEL_MAX]);

/* ---- text ---- */

/* Writes s escaped for both text content and attribute values: & < > " ' become entities;
 * tab, CR and LF become spaces; other control characters (C0, DEL, C1) are dropped; invalid
 * UTF-8 and code points XML forbids become U+FFFD. NULL writes nothing. */
void svg_escape(struct sink *out, const char *s);
/* Copies at most max_chars code points of s into out (size bytes, NUL-terminated), ending with
 * "…" when s was longer. Returns true when it truncated. Counts UTF-8 lead bytes only, so it
 * never cuts a multi-byte character in two. */
bool svg_truncate(const char *s, size_t max_chars, char *out, size_t size);
/* The number of code points of s (for width estimates); 0 for NULL. */
size_t svg_text_len(const char *s);

/* ---- elements ---- */

void svg_line(struct sink *out, double x1, double y1, double x2, double y2, const char *attrs);
void svg_rect(struct sink *out, double x, double y, double w, double h, const char *attrs);
void svg_circle(struct sink *out, double cx, double cy, double r, const char *attrs);
/* <text x y attrs>escaped text</text> */
void svg_text(struct sink *out, double x, double y, const char *attrs, const char *text);
/* Shows `shown` and keeps `full` in a <title> (a tooltip, read by screen readers) when the two
 * differ, e.g. a truncated label. */
void svg_text_titled(struct sink *out, double x, double y, const char *attrs, const char *shown,
                     const char *full);
/* A polyline: begin, one svg_point per vertex, end. */
void svg_polyline_begin(struct sink *out, const char *attrs);
void svg_point(struct sink *out, double x, double y);
void svg_polyline_end(struct sink *out);

/* ---- numeric ticks ---- */

#define SVG_TICKS_MAX 16

/* "Nice" ticks: step is 1, 2 or 5 times a power of ten; lo <= v[0] and v[n-1] >= hi so the
 * ticks cover the data. `decimals` is what a label needs to tell neighbouring ticks apart. */
struct svg_ticks {
    double v[SVG_TICKS_MAX];
    size_t n;
    double step;
    int decimals;
};

/* About `target` (2..10) ticks covering [lo, hi]. lo == hi is widened around the value; a
 * non-finite bound gives the ticks of [0, 1]. Always at least two ticks. */
void svg_nice_ticks(double lo, double hi, size_t target, struct svg_ticks *ret);
/* The label of tick value v: the tick's decimals, "k"/"M" when the ticks reach 10 000, and the
 * unit when unit is "%" (units that are words go on the axis title instead). */
char *svg_tick_label(const struct svg_ticks *t, double v, const char *unit,
                     char out[SVG_LABEL_MAX]);

/* ---- time ticks ---- */

#define SVG_TIME_TICKS_MAX 16

/* A time tick: label is "14:00" or "Mar 06" (for steps of a day or more); date is "Mar 06" on
 * the first tick and wherever the day changes under an hourly label, "" otherwise, so a
 * renderer can write the date on a second line. */
struct svg_time_tick {
    int64_t t;
    char label[16];
    char date[16];
};

struct svg_time_ticks {
    struct svg_time_tick tick[SVG_TIME_TICKS_MAX];
    size_t n;
    int64_t step; /* ms */
};

/* Ticks in [from, to] (epoch ms) at local time (UTC + tz_offset_min minutes) multiples of a
 * step chosen among 1m 5m 10m 15m 30m 1h 2h 3h 6h 12h 1d 2d 7d (then multiples of 7d) so that
 * there are at most 8 and usually 4 or more. Weekly ticks fall on Mondays. from >= to, or
 * times outside years 0000..9999, give no ticks. */
void svg_time_ticks(int64_t from, int64_t to, int tz_offset_min, struct svg_time_ticks *ret);
/* "UTC" or "UTC+02:00" / "UTC-05:30". */
char *svg_fmt_tz(int tz_offset_min, char out[16]);
/* "Mar 06 14:00" in local time, for alt text and tooltips. */
#define SVG_TIME_MAX 32
char *svg_fmt_time(int64_t t, int tz_offset_min, char out[SVG_TIME_MAX]);

#endif
