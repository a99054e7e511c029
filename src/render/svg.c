/* svg.c: the SVG writer under every chart (render/svg.h): locale-free numbers, XML escaping of
 * user text, element helpers, and the tick arithmetic of value and time axes. */
#include "render/svg.h"

#include "core/timefmt.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ======== numbers ======== */

static const double pow10_tab[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

char *svg_fmt_fixed(double v, int decimals, char out[SVG_NUM_MAX])
{
    if (!isfinite(v))
        v = 0;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    v = fmax(-1e12, fmin(1e12, v));
    /* Scale to an integer and print that: %llu never depends on the locale, and at most
     * 1e12 * 1e6 < 2^63 so llround cannot overflow. */
    unsigned long long scaled = (unsigned long long)llround(fabs(v) * pow10_tab[decimals]);
    unsigned long long p = (unsigned long long)pow10_tab[decimals];
    const char *sign = (v < 0 && scaled != 0) ? "-" : "";
    if (decimals == 0)
        snprintf(out, SVG_NUM_MAX, "%s%llu", sign, scaled);
    else
        snprintf(out, SVG_NUM_MAX, "%s%llu.%0*llu", sign, scaled / p, decimals, scaled % p);
    return out;
}

static char *trim_zeros(char *s)
{
    if (!strchr(s, '.'))
        return s;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
    return s;
}

char *svg_fmt_num(double v, char out[SVG_NUM_MAX])
{
    return trim_zeros(svg_fmt_fixed(v, 2, out));
}

/* Decimals that give about three significant digits for a magnitude a >= 0. */
static int sig3_decimals(double a)
{
    if (a >= 100 || a == 0)
        return 0;
    if (a >= 10)
        return 1;
    if (a >= 1)
        return 2;
    int d = 2 - (int)floor(log10(a));
    return d > 6 ? 6 : d;
}

char *svg_fmt_value(double v, char out[SVG_NUM_MAX])
{
    if (!isfinite(v)) {
        snprintf(out, SVG_NUM_MAX, "%s", "n/a");
        return out;
    }
    /* "k" only from 10 000: four digits read fine and "1.23k" would lose one. */
    static const struct {
        double at, scale;
        const char *suffix;
    } big[] = {{1e9, 1e9, "G"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"}};
    double a = fabs(v), scale = 1;
    const char *suffix = "";
    for (size_t i = 0; i < ARRAY_SIZE(big); i++) {
        if (a >= big[i].at) {
            scale = big[i].scale;
            suffix = big[i].suffix;
            break;
        }
    }
    char num[SVG_NUM_MAX];
    trim_zeros(svg_fmt_fixed(v / scale, sig3_decimals(a / scale), num));
    snprintf(out, SVG_NUM_MAX, "%.30s%s", num, suffix);
    return out;
}

char *svg_fmt_value_unit(double v, const char *unit, char out[SVG_LABEL_MAX])
{
    char num[SVG_NUM_MAX];
    svg_fmt_value(v, num);
    if (!unit || !*unit || !isfinite(v))
        snprintf(out, SVG_LABEL_MAX, "%s", num);
    else if (strcmp(unit, "%") == 0)
        snprintf(out, SVG_LABEL_MAX, "%s%%", num);
    else
        snprintf(out, SVG_LABEL_MAX, "%s %.48s", num, unit);
    return out;
}

/* ======== text ======== */

/* Decodes one UTF-8 sequence at p (NUL-terminated). Returns the bytes consumed (at least 1)
 * and the code point, U+FFFD for an invalid, overlong or surrogate sequence. */
static size_t utf8_decode(const unsigned char *p, uint32_t *ret_cp)
{
    unsigned char c = p[0];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80) {
        *ret_cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        *ret_cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *ret_cp = 0xFFFD;
            return 1;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    bool bad = cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF);
    *ret_cp = bad ? 0xFFFD : cp;
    return bad ? 1 : len;
}

/* What to write instead of code point cp: NULL to copy its bytes, "" to drop it. */
static const char *xml_replacement(uint32_t cp)
{
    switch (cp) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    case '\t': case '\n': case '\r': return " ";
    case 0xFFFE: case 0xFFFF: case 0xFFFD: return "\xEF\xBF\xBD";
    default: break;
    }
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return "";
    return NULL;
}

void svg_escape(struct sink *out, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s, *run = p;
    while (*p) {
        uint32_t cp;
        size_t len = utf8_decode(p, &cp);
        const char *rep = xml_replacement(cp);
        if (rep) {
            /* Flush the clean run before p, then the replacement. */
            sink_write(out, (const char *)run, (size_t)(p - run));
            sink_puts(out, rep);
            run = p + len;
        }
        p += len;
    }
    sink_write(out, (const char *)run, (size_t)(p - run));
}

static bool is_lead(unsigned char c) { return (c & 0xC0) != 0x80; }

size_t svg_text_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        n += is_lead(*p);
    return n;
}

bool svg_truncate(const char *s, size_t max_chars, char *out, size_t size)
{
    static const char ellipsis[] = "\xE2\x80\xA6";
    assert(size > sizeof(ellipsis));
    if (!s)
        s = "";
    size_t len = strlen(s);
    if (svg_text_len(s) <= max_chars && len < size) {
        memcpy(out, s, len + 1);
        return false;
    }
    /* Keep max_chars - 1 code points that fit before the ellipsis, cut at a lead byte. */
    size_t room = size - sizeof(ellipsis), keep = max_chars ? max_chars - 1 : 0;
    size_t i = 0, chars = 0;
    while (s[i] && chars < keep) {
        size_t j = i + 1;
        while (s[j] && !is_lead((unsigned char)s[j]))
            j++;
        if (j > room)
            break;
        i = j;
        chars++;
    }
    while (i > 0 && s[i - 1] == ' ')
        i--;
    memcpy(out, s, i);
    memcpy(out + i, ellipsis, sizeof(ellipsis));
    return true;
}

/* ======== elements ======== */

static void attr_num(struct sink *out, const char *name, double v)
{
    char num[SVG_NUM_MAX];
    sink_printf(out, " %s=\"%s\"", name, svg_fmt_num(v, num));
}

static void attrs_tail(struct sink *out, const char *attrs)
{
    if (attrs && *attrs) {
        sink_puts(out, " ");
        sink_puts(out, attrs);
    }
}

void svg_line(struct sink *out, double x1, double y1, double x2, double y2, const char *attrs)
{
    sink_puts(out, "<line");
    attr_num(out, "x1", x1);
    attr_num(out, "y1", y1);
    attr_num(out, "x2", x2);
    attr_num(out, "y2", y2);
    attrs_tail(out, attrs);
    sink_puts(out, "/>\n");
}

void svg_rect(struct sink *out, double x, double y, double w, double h, const char *attrs)
{
    sink_puts(out, "<rect");
    attr_num(out, "x", x);
    attr_num(out, "y", y);
    attr_num(out, "width", fmax(0, w));
    attr_num(out, "height", fmax(0, h));
    attrs_tail(out, attrs);
    sink_puts(out, "/>\n");
}

void svg_circle(struct sink *out, double cx, double cy, double r, const char *attrs)
{
    sink_puts(out, "<circle");
    attr_num(out, "cx", cx);
    attr_num(out, "cy", cy);
    attr_num(out, "r", r);
    attrs_tail(out, attrs);
    sink_puts(out, "/>\n");
}

static void text_element(struct sink *out, double x, double y, const char *attrs,
                         const char *text)
{
    sink_puts(out, "<text");
    attr_num(out, "x", x);
    attr_num(out, "y", y);
    attrs_tail(out, attrs);
    sink_puts(out, ">");
    svg_escape(out, text);
    sink_puts(out, "</text>\n");
}

void svg_text(struct sink *out, double x, double y, const char *attrs, const char *text)
{
    text_element(out, x, y, attrs, text);
}

void svg_text_titled(struct sink *out, double x, double y, const char *attrs, const char *shown,
                     const char *full)
{
    if (!full || strcmp(shown, full) == 0) {
        text_element(out, x, y, attrs, shown);
        return;
    }
    sink_puts(out, "<g><title>");
    svg_escape(out, full);
    sink_puts(out, "</title>");
    text_element(out, x, y, attrs, shown);
    sink_puts(out, "</g>\n");
}

void svg_polyline_begin(struct sink *out, const char *attrs)
{
    sink_puts(out, "<polyline");
    attrs_tail(out, attrs);
    sink_puts(out, " points=\"");
}

void svg_point(struct sink *out, double x, double y)
{
    char a[SVG_NUM_MAX], b[SVG_NUM_MAX];
    sink_printf(out, "%s,%s ", svg_fmt_num(x, a), svg_fmt_num(y, b));
}

void svg_polyline_end(struct sink *out)
{
    sink_puts(out, "\"/>\n");
}

/* ======== numeric ticks ======== */

static int decimals_for_step(double step)
{
    int d = -(int)floor(log10(step) + 1e-9);
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

/* The 1-2-5 step nearest raw on a log scale (the thresholds are the geometric means of
 * neighbouring steps), so the tick count lands near the target from either side. */
static double nice_step(double raw)
{
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    double m = norm >= 7.0710678 ? 10 : norm >= 3.1622777 ? 5 : norm >= 1.4142136 ? 2 : 1;
    return m * mag;
}

void svg_nice_ticks(double lo, double hi, size_t target, struct svg_ticks *ret)
{
    if (!isfinite(lo) || !isfinite(hi))
        lo = 0, hi = 1;
    lo = fmax(-1e12, fmin(1e12, lo));
    hi = fmax(-1e12, fmin(1e12, hi));
    if (lo > hi) {
        double t = lo;
        lo = hi, hi = t;
    }
    if (hi - lo <= fmax(fabs(hi), fabs(lo)) * 1e-9) { /* constant: widen around it */
        double pad = lo == 0 ? 1 : fabs(lo) * 0.1;
        lo -= pad, hi += pad;
    }
    target = target < 2 ? 2 : target > 10 ? 10 : target;
    double step = nice_step((hi - lo) / (double)(target - 1));
    double first, last;
    size_t n;
    for (;;) {
        first = floor(lo / step + 1e-9) * step;
        last = ceil(hi / step - 1e-9) * step;
        n = (size_t)llround((last - first) / step) + 1;
        if (n <= target + 3) /* alignment adds up to two ticks to the target's */
            break;
        step = nice_step(step * 2.1); /* the next 1-2-5 step up */
    }
    if (n < 2)
        n = 2;
    for (size_t i = 0; i < n; i++) {
        double v = first + (double)i * step;
        ret->v[i] = fabs(v) < step * 1e-9 ? 0 : v; /* no "-0" from rounding */
    }
    ret->n = n;
    ret->step = step;
    ret->decimals = decimals_for_step(step);
}

char *svg_tick_label(const struct svg_ticks *t, double v, const char *unit,
                     char out[SVG_LABEL_MAX])
{
    double m = fmax(fabs(t->v[0]), fabs(t->v[t->n - 1])), scale = 1;
    const char *suffix = "";
    if (m >= 1e10)
        scale = 1e9, suffix = "G";
    else if (m >= 1e7)
        scale = 1e6, suffix = "M";
    else if (m >= 1e4)
        scale = 1e3, suffix = "k";
    char num[SVG_NUM_MAX];
    svg_fmt_fixed(v / scale, decimals_for_step(t->step / scale), num);
    bool pct = unit && strcmp(unit, "%") == 0;
    snprintf(out, SVG_LABEL_MAX, "%s%s%s", num, suffix, pct ? "%" : "");
    return out;
}

/* ======== time ticks ======== */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian). */
static void civil_from_days(int64_t z, int *ret_y, unsigned *ret_m, unsigned *ret_d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    unsigned d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    unsigned m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *ret_y = (int)(yoe + era * 400 + (m <= 2));
    *ret_m = m;
    *ret_d = d;
}

static int clamp_tz(int tz_offset_min)
{
    return tz_offset_min < -1439 ? -1439 : tz_offset_min > 1439 ? 1439 : tz_offset_min;
}

static bool time_in_range(int64_t t)
{
    return t >= TIME_MIN_MS && t <= TIME_MAX_MS;
}

struct local_time {
    int64_t day; /* days since 1970-01-01, local */
    unsigned month, mday, hour, minute;
};

static struct local_time local_time_of(int64_t t, int tz_offset_min)
{
    int64_t local = t + (int64_t)clamp_tz(tz_offset_min) * MS_PER_MINUTE;
    struct local_time lt;
    lt.day = floor_div(local, MS_PER_DAY);
    int64_t ms = local - lt.day * MS_PER_DAY;
    int y;
    civil_from_days(lt.day, &y, &lt.month, &lt.mday);
    lt.hour = (unsigned)(ms / MS_PER_HOUR);
    lt.minute = (unsigned)(ms % MS_PER_HOUR / MS_PER_MINUTE);
    return lt;
}

static void fmt_date(const struct local_time *lt, char *out, size_t size)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(out, size, "%s %02u", months[(lt->month - 1) % 12], lt->mday % 100);
}

static void fmt_clock(const struct local_time *lt, char *out, size_t size)
{
    snprintf(out, size, "%02u:%02u", lt->hour % 100, lt->minute % 100);
}

char *svg_fmt_time(int64_t t, int tz_offset_min, char out[SVG_TIME_MAX])
{
    if (!time_in_range(t)) {
        snprintf(out, SVG_TIME_MAX, "%s", "?");
        return out;
    }
    struct local_time lt = local_time_of(t, tz_offset_min);
    char date[16], clock[16];
    fmt_date(&lt, date, sizeof(date));
    fmt_clock(&lt, clock, sizeof(clock));
    snprintf(out, SVG_TIME_MAX, "%s %s", date, clock);
    return out;
}

char *svg_fmt_tz(int tz_offset_min, char out[16])
{
    int tz = clamp_tz(tz_offset_min);
    if (tz == 0)
        snprintf(out, 16, "%s", "UTC");
    else
        snprintf(out, 16, "UTC%c%02d:%02d", tz < 0 ? '-' : '+', (tz < 0 ? -tz : tz) / 60,
                 (tz < 0 ? -tz : tz) % 60);
    return out;
}

/* The smallest listed step that gives fewer than 8 intervals over span; beyond a week,
 * multiples of a week. */
static int64_t time_step_for(int64_t span)
{
    static const int64_t steps[] = {
        1 * MS_PER_MINUTE, 5 * MS_PER_MINUTE, 10 * MS_PER_MINUTE, 15 * MS_PER_MINUTE,
        30 * MS_PER_MINUTE, 1 * MS_PER_HOUR,  2 * MS_PER_HOUR,    3 * MS_PER_HOUR,
        6 * MS_PER_HOUR,    12 * MS_PER_HOUR, 1 * MS_PER_DAY,     2 * MS_PER_DAY,
        7 * MS_PER_DAY};
    for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
        if (span / steps[i] < 8)
            return steps[i];
    int64_t week = 7 * MS_PER_DAY;
    return week * (span / (8 * week) + 1);
}

void svg_time_ticks(int64_t from, int64_t to, int tz_offset_min, struct svg_time_ticks *ret)
{
    ret->n = 0;
    ret->step = 0;
    if (!time_in_range(from) || !time_in_range(to) || from >= to)
        return;
    int64_t step = time_step_for(to - from);
    int64_t off = (int64_t)clamp_tz(tz_offset_min) * MS_PER_MINUTE;
    /* Weekly ticks count from Monday 1970-01-05 (day 4), the others from local midnight. */
    int64_t anchor = step % (7 * MS_PER_DAY) == 0 ? 4 * MS_PER_DAY : 0;
    int64_t local = from + off - anchor;
    int64_t first = (floor_div(local, step) + (local % step != 0)) * step + anchor - off;
    ret->step = step;
    int64_t prev_day = INT64_MIN;
    for (int64_t t = first; t <= to && ret->n < SVG_TIME_TICKS_MAX; t += step) {
        struct svg_time_tick *k = &ret->tick[ret->n++];
        struct local_time lt = local_time_of(t, tz_offset_min);
        k->t = t;
        k->date[0] = '\0';
        if (step >= MS_PER_DAY) {
            fmt_date(&lt, k->label, sizeof(k->label));
        } else {
            fmt_clock(&lt, k->label, sizeof(k->label));
            if (lt.day != prev_day)
                fmt_date(&lt, k->date, sizeof(k->date));
        }
        prev_day = lt.day;
    }
}
