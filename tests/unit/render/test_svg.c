/* The SVG writer's rules: locale-free numbers that are never "nan" or "inf", escaping that keeps
 * any user text well-formed XML, nice 1-2-5 value ticks and time ticks on round local times. */
#include "render/svg.h"

#include "core/buf.h"
#include "core/timefmt.h"

#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#define MINUTE MS_PER_MINUTE
#define HOUR MS_PER_HOUR
#define DAY MS_PER_DAY

static int64_t at(int y, unsigned mo, unsigned d, unsigned h, unsigned mi)
{
    return time_days_from_civil(y, mo, d) * DAY + (int64_t)h * HOUR + (int64_t)mi * MINUTE;
}

static void check_fixed(double v, int decimals, const char *want)
{
    char out[SVG_NUM_MAX];
    cr_assert_str_eq(svg_fmt_fixed(v, decimals, out), want, "%g with %d decimals", v, decimals);
}

static void check_value(double v, const char *want)
{
    char out[SVG_NUM_MAX];
    cr_assert_str_eq(svg_fmt_value(v, out), want, "value %g", v);
}

Test(chart_svg, numbers_are_fixed_rounded_and_never_nan)
{
    check_fixed(12.5, 2, "12.50");
    check_fixed(-0.004, 2, "0.00");
    check_fixed(2.675, 0, "3");
    check_fixed(-1.5, 1, "-1.5");
    check_fixed(NAN, 2, "0.00");
    check_fixed(INFINITY, 0, "0");
    check_fixed(-INFINITY, 0, "0");
    check_fixed(5e15, 0, "1000000000000"); /* clamped */

    char out[SVG_NUM_MAX];
    cr_assert_str_eq(svg_fmt_num(265.6, out), "265.6");
    cr_assert_str_eq(svg_fmt_num(64, out), "64");
    cr_assert_str_eq(svg_fmt_num(-0.001, out), "0");
    cr_assert_str_eq(svg_fmt_num(NAN, out), "0");
    cr_assert_str_eq(svg_fmt_num(1.005, out), "1"); /* 1.005 is 1.00499... in binary */
}

Test(chart_svg, values_have_three_significant_digits_and_suffixes)
{
    check_value(0, "0");
    check_value(0.9234, "0.923");
    check_value(0.00123, "0.00123");
    check_value(92.345, "92.3");
    check_value(1234, "1234");
    check_value(12345, "12.3k");
    check_value(-2500000, "-2.5M");
    check_value(3.2e10, "32G");
    check_value(NAN, "n/a");
    check_value(-INFINITY, "n/a");

    char out[SVG_LABEL_MAX];
    cr_assert_str_eq(svg_fmt_value_unit(92.3, "%", out), "92.3%");
    cr_assert_str_eq(svg_fmt_value_unit(250, "ms", out), "250 ms");
    cr_assert_str_eq(svg_fmt_value_unit(3, "", out), "3");
    cr_assert_str_eq(svg_fmt_value_unit(3, NULL, out), "3");
    cr_assert_str_eq(svg_fmt_value_unit(NAN, "ms", out), "n/a");
}

Test(chart_svg, numbers_ignore_the_locale)
{
    /* A German or French LC_NUMERIC would print "12,5" through "%f"; ours never does. */
    const char *old = setlocale(LC_NUMERIC, NULL);
    char saved[64];
    snprintf(saved, sizeof(saved), "%s", old ? old : "C");
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        cr_skip_test("no locale with a decimal comma installed");
    char out[SVG_NUM_MAX];
    cr_expect_str_eq(svg_fmt_num(12.5, out), "12.5");
    cr_expect_str_eq(svg_fmt_value(0.923, out), "0.923");
    setlocale(LC_NUMERIC, saved);
}

static char *escaped(const char *in)
{
    static char out[512];
    struct buf b = BUF_INIT;
    struct sink s = sink_buf(&b);
    svg_escape(&s, in);
    snprintf(out, sizeof(out), "%s", buf_str(&b));
    buf_release(&b);
    return out;
}

Test(chart_svg, escaping_covers_markup_quotes_and_control_characters)
{
    cr_assert_str_eq(escaped("<script>&\"'\x01x"), "&lt;script&gt;&amp;&quot;&#39;x");
    cr_assert_str_eq(escaped("a\tb\nc\r"), "a b c ");
    cr_assert_str_eq(escaped("del\x7f" "c1\xC2\x85!"), "delc1!");
    cr_assert_str_eq(escaped("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\xA5"),
                     "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\xA5");
    cr_assert_str_eq(escaped(""), "");
    cr_assert_str_eq(escaped(NULL), "");
}

Test(chart_svg, broken_utf8_becomes_replacement_characters)
{
    const char *fffd = "\xEF\xBF\xBD";
    char want[64];
    snprintf(want, sizeof(want), "a%sb", fffd);
    cr_assert_str_eq(escaped("a\xFF" "b"), want);           /* never valid */
    cr_assert_str_eq(escaped("a\xC0\xAF" "b"), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b"); /* overlong */
    cr_assert_str_eq(escaped("a\xED\xA0\x80" "b"),
                     "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b"); /* a surrogate */
    snprintf(want, sizeof(want), "x%s%s", fffd, fffd);
    cr_assert_str_eq(escaped("x\xE2\x86"), want); /* cut short: one per byte */
    cr_assert_str_eq(escaped("\xEF\xBF\xBE"), fffd); /* U+FFFE is not allowed in XML */
}

Test(chart_svg, every_byte_string_escapes_to_well_formed_xml)
{
    /* All 255 non-NUL bytes, in order and reversed: whatever the parser gets must parse and
     * give back the same text when the input was plain. */
    char in[512];
    size_t n = 0;
    for (int c = 1; c < 256; c++)
        in[n++] = (char)c;
    for (int c = 255; c >= 1; c--)
        in[n++] = (char)c;
    in[n] = '\0';
    struct buf b = BUF_INIT;
    struct sink s = sink_buf(&b);
    sink_puts(&s, "<t a=\"");
    svg_escape(&s, in);
    sink_puts(&s, "\">");
    svg_escape(&s, in);
    sink_puts(&s, "</t>");
    xmlDocPtr doc = xmlReadMemory(buf_str(&b), (int)b.len, "t.xml", "UTF-8", XML_PARSE_NONET);
    cr_assert_not_null(doc, "not well-formed: %s", buf_str(&b));
    xmlFreeDoc(doc);
    buf_release(&b);
}

Test(chart_svg, truncation_keeps_whole_characters_and_adds_an_ellipsis)
{
    char out[64];
    cr_assert_not(svg_truncate("short", 10, out, sizeof(out)));
    cr_assert_str_eq(out, "short");
    cr_assert(svg_truncate("chg-22 deploy of payments", 10, out, sizeof(out)));
    cr_assert_str_eq(out, "chg-22 de\xE2\x80\xA6");
    cr_assert(svg_truncate("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3, out, sizeof(out)));
    cr_assert_str_eq(out, "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
    cr_assert(svg_truncate("ab cdef", 4, out, sizeof(out))); /* no space before the ellipsis */
    cr_assert_str_eq(out, "ab\xE2\x80\xA6");
    /* A small buffer cuts too, at a character boundary. */
    char small[6];
    cr_assert(svg_truncate("\xC3\xA9\xC3\xA9\xC3\xA9", 10, small, sizeof(small)));
    cr_assert_str_eq(small, "\xC3\xA9\xE2\x80\xA6");
    cr_assert_eq(svg_text_len("\xC3\xA9t\xE2\x80\xA6"), 3);
}

/* step = m * 10^k with m in {1, 2, 5} */
static bool is_nice(double step)
{
    double m = step / pow(10, floor(log10(step) + 1e-9));
    return fabs(m - 1) < 1e-6 || fabs(m - 2) < 1e-6 || fabs(m - 5) < 1e-6;
}

static void check_ticks(double lo, double hi)
{
    struct svg_ticks t;
    svg_nice_ticks(lo, hi, 5, &t);
    cr_assert(t.n >= 2 && t.n <= SVG_TICKS_MAX, "[%g, %g]: %zu ticks", lo, hi, t.n);
    cr_assert(is_nice(t.step), "[%g, %g]: step %g", lo, hi, t.step);
    if (isfinite(lo) && isfinite(hi) && lo < hi && fabs(lo) <= 1e12 && fabs(hi) <= 1e12) {
        cr_assert(t.v[0] <= lo + 1e-9 * t.step && t.v[t.n - 1] >= hi - 1e-9 * t.step,
                  "[%g, %g] not covered by [%g, %g]", lo, hi, t.v[0], t.v[t.n - 1]);
        cr_assert(t.n <= 8, "[%g, %g]: %zu ticks", lo, hi, t.n);
    }
    for (size_t i = 0; i < t.n; i++) {
        cr_assert(isfinite(t.v[i]));
        double k = t.v[i] / t.step;
        cr_assert(fabs(k - round(k)) < 1e-4, "tick %g is not a multiple of %g", t.v[i], t.step);
    }
}

Test(chart_svg, value_ticks_are_nice_and_cover_the_data)
{
    struct svg_ticks t;
    svg_nice_ticks(0, 97, 5, &t);
    cr_assert_eq(t.step, 20);
    cr_assert_eq(t.n, 6);
    cr_assert_eq(t.v[0], 0);
    cr_assert_eq(t.v[5], 100);

    double cases[][2] = {{0, 1},        {0.0012, 0.0047}, {-3.2, 7.9},   {998, 1003},
                         {61.2, 92.4},  {1e6, 4.5e6},     {-1e-9, 1e-9}, {5, 5},
                         {0, 0},        {-7, -7},         {NAN, 3},      {2, INFINITY},
                         {1e300, 1e301}, {42.42, 42.4200001}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_ticks(cases[i][0], cases[i][1]);
    unsigned seed = 7;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 1103515245 + 12345;
        double a = ((double)(seed >> 8) / (1 << 23) - 1) * pow(10, (int)(seed % 13) - 6);
        seed = seed * 1103515245 + 12345;
        double b = a + (double)(seed >> 8) / (1 << 24) * pow(10, (int)(seed % 13) - 6);
        check_ticks(a, b);
    }
}

Test(chart_svg, constant_and_missing_ranges_are_widened)
{
    struct svg_ticks t;
    svg_nice_ticks(5, 5, 4, &t);
    cr_assert(t.v[0] < 5 && t.v[t.n - 1] > 5);
    svg_nice_ticks(0, 0, 4, &t);
    cr_assert(t.v[0] < 0 && t.v[t.n - 1] > 0);
    svg_nice_ticks(NAN, NAN, 4, &t);
    cr_assert_eq(t.v[0], 0);
    cr_assert_eq(t.v[t.n - 1], 1);
}

Test(chart_svg, tick_labels_use_the_step_decimals_suffixes_and_percent)
{
    struct svg_ticks t;
    char out[SVG_LABEL_MAX];
    svg_nice_ticks(0, 1, 5, &t); /* step 0.2 */
    cr_assert_str_eq(svg_tick_label(&t, t.v[1], "ms", out), "0.2");
    cr_assert_str_eq(svg_tick_label(&t, t.v[0], "ms", out), "0.0");
    svg_nice_ticks(0, 45000, 5, &t); /* step 10000 */
    cr_assert_str_eq(svg_tick_label(&t, 20000, "", out), "20k");
    svg_nice_ticks(60, 95, 5, &t);
    cr_assert_str_eq(svg_tick_label(&t, 80, "%", out), "80%");
    svg_nice_ticks(0, 2.5e7, 5, &t);
    cr_assert_str_eq(svg_tick_label(&t, 1.5e7, NULL, out), "15M");
}

Test(chart_svg, time_ticks_pick_a_round_step_with_four_to_eight_ticks)
{
    struct {
        int64_t span, step;
    } cases[] = {
        {5 * MINUTE, MINUTE},      {30 * MINUTE, 5 * MINUTE}, {1 * HOUR, 10 * MINUTE},
        {2 * HOUR, 30 * MINUTE},  {6 * HOUR, HOUR},          {12 * HOUR, 2 * HOUR},
        {24 * HOUR, 6 * HOUR},    {3 * DAY, 12 * HOUR},      {7 * DAY, DAY},
        {10 * DAY, 2 * DAY},      {40 * DAY, 7 * DAY},       {120 * DAY, 21 * DAY},
    };
    int64_t from = at(2026, 3, 6, 0, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct svg_time_ticks tt;
        svg_time_ticks(from, from + cases[i].span, 0, &tt);
        cr_assert_eq(tt.step, cases[i].step, "span %lld: step %lld", (long long)cases[i].span,
                     (long long)tt.step);
        cr_assert(tt.n >= 3 && tt.n <= 8, "span %lld: %zu ticks", (long long)cases[i].span,
                  tt.n);
        for (size_t k = 0; k < tt.n; k++)
            cr_assert(tt.tick[k].t >= from && tt.tick[k].t <= from + cases[i].span);
    }
}

Test(chart_svg, time_labels_show_the_clock_and_the_date_where_it_changes)
{
    struct svg_time_ticks tt;
    svg_time_ticks(at(2026, 3, 6, 12, 7), at(2026, 3, 6, 18, 0), 0, &tt);
    cr_assert_eq(tt.step, HOUR);
    cr_assert_str_eq(tt.tick[0].label, "13:00");
    cr_assert_str_eq(tt.tick[0].date, "Mar 06");
    cr_assert_str_eq(tt.tick[1].label, "14:00");
    cr_assert_str_eq(tt.tick[1].date, "");
    cr_assert_str_eq(tt.tick[tt.n - 1].label, "18:00");

    svg_time_ticks(at(2026, 3, 6, 0, 0), at(2026, 3, 8, 0, 0), 0, &tt); /* 12h steps */
    cr_assert_eq(tt.step, 12 * HOUR);
    cr_assert_str_eq(tt.tick[2].label, "00:00");
    cr_assert_str_eq(tt.tick[2].date, "Mar 07");
    cr_assert_str_eq(tt.tick[3].label, "12:00");
    cr_assert_str_eq(tt.tick[3].date, "");

    svg_time_ticks(at(2026, 2, 27, 0, 0), at(2026, 3, 5, 0, 0), 0, &tt); /* daily */
    cr_assert_str_eq(tt.tick[2].label, "Mar 01");
    cr_assert_str_eq(tt.tick[2].date, "");
}

Test(chart_svg, time_ticks_follow_the_offset_and_weeks_start_on_monday)
{
    struct svg_time_ticks tt;
    /* 00:00Z is 02:00 at UTC+02:00; 6-hour ticks fall on local 00, 06, 12, 18. */
    svg_time_ticks(at(2026, 3, 6, 0, 0), at(2026, 3, 7, 0, 0), 120, &tt);
    cr_assert_str_eq(tt.tick[0].label, "06:00");
    cr_assert_eq(tt.tick[0].t, at(2026, 3, 6, 4, 0));
    svg_time_ticks(at(2026, 3, 6, 0, 0), at(2026, 3, 7, 0, 0), -330, &tt);
    cr_assert_str_eq(tt.tick[0].label, "00:00");
    cr_assert_str_eq(tt.tick[0].date, "Mar 06");
    cr_assert_eq(tt.tick[0].t, at(2026, 3, 6, 5, 30));

    svg_time_ticks(at(2026, 3, 1, 0, 0), at(2026, 4, 10, 0, 0), 0, &tt);
    cr_assert_eq(tt.step, 7 * DAY);
    for (size_t k = 0; k < tt.n; k++) /* 1970-01-01 was a Thursday: Mondays are day 4 mod 7 */
        cr_assert_eq(((tt.tick[k].t / DAY) % 7 + 7) % 7, 4);
    cr_assert_str_eq(tt.tick[0].label, "Mar 02");

    char tz[16];
    cr_assert_str_eq(svg_fmt_tz(0, tz), "UTC");
    cr_assert_str_eq(svg_fmt_tz(120, tz), "UTC+02:00");
    cr_assert_str_eq(svg_fmt_tz(-330, tz), "UTC-05:30");
    char when[SVG_TIME_MAX];
    cr_assert_str_eq(svg_fmt_time(at(2026, 3, 6, 23, 30), 60, when), "Mar 07 00:30");
}

Test(chart_svg, unusable_time_ranges_give_no_ticks)
{
    struct svg_time_ticks tt;
    svg_time_ticks(10, 10, 0, &tt);
    cr_assert_eq(tt.n, 0);
    svg_time_ticks(10, 5, 0, &tt);
    cr_assert_eq(tt.n, 0);
    svg_time_ticks(TIME_UNSET, 5, 0, &tt);
    cr_assert_eq(tt.n, 0);
    svg_time_ticks(0, INT64_MAX, 0, &tt);
    cr_assert_eq(tt.n, 0);
    svg_time_ticks(TIME_MIN_MS, TIME_MAX_MS, 0, &tt); /* the widest span still works */
    cr_assert(tt.n >= 2 && tt.n <= 8);
}

Test(chart_svg, elements_write_attributes_in_order)
{
    struct buf b = BUF_INIT;
    struct sink s = sink_buf(&b);
    svg_line(&s, 1, 2.5, NAN, -0.001, "stroke=\"#000\"");
    svg_rect(&s, 0, 0, -5, 3, NULL);
    svg_text_titled(&s, 1, 2, NULL, "ab\xE2\x80\xA6", "abc<d>");
    svg_polyline_begin(&s, "class=\"actual\"");
    svg_point(&s, 1, 2);
    svg_point(&s, 3.25, 4);
    svg_polyline_end(&s);
    cr_assert_str_eq(buf_str(&b),
                     "<line x1=\"1\" y1=\"2.5\" x2=\"0\" y2=\"0\" stroke=\"#000\"/>\n"
                     "<rect x=\"0\" y=\"0\" width=\"0\" height=\"3\"/>\n"
                     "<g><title>abc&lt;d&gt;</title><text x=\"1\" y=\"2\">ab\xE2\x80\xA6</text>\n"
                     "</g>\n"
                     "<polyline class=\"actual\" points=\"1,2 3.25,4 \"/>\n");
    buf_release(&b);
}
