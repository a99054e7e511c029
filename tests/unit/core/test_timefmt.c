/* test_timefmt.c: RFC 3339 timestamps and durations. */
#include "core/err.h"
#include "core/timefmt.h"

#include <criterion/criterion.h>
#include <string.h>

/* Parses s, asserting success, and returns the instant. */
static int64_t parse_ok(const char *s)
{
    struct err e = ERR_INIT;
    int64_t ms = 12345;
    int rc = time_parse_rfc3339(s, &ms, &e);
    cr_assert_eq(rc, ERR_OK, "'%s' should parse, got: %s", s, e.msg);
    return ms;
}

/* Asserts that s is refused with ERR_INVALID and a message containing why; the output is left
 * alone. */
static void parse_bad(const char *s, const char *why)
{
    struct err e = ERR_INIT;
    int64_t ms = 777;
    int rc = time_parse_rfc3339(s, &ms, &e);
    cr_assert_eq(rc, ERR_INVALID, "'%s' should be refused", s);
    cr_assert_eq(e.code, ERR_INVALID);
    cr_assert_eq(ms, 777, "'%s': a refused time must not write the output", s);
    cr_assert(strstr(e.msg, why) != NULL, "'%s': message '%s' should contain '%s'", s, e.msg,
              why);
}

static int64_t duration_ok(const char *s)
{
    struct err e = ERR_INIT;
    int64_t ms = -1;
    int rc = time_parse_duration(s, &ms, &e);
    cr_assert_eq(rc, ERR_OK, "duration '%s' should parse, got: %s", s, e.msg);
    return ms;
}

static void duration_bad(const char *s, const char *why)
{
    struct err e = ERR_INIT;
    int64_t ms = 555;
    int rc = time_parse_duration(s, &ms, &e);
    cr_assert_eq(rc, ERR_INVALID, "duration '%s' should be refused", s);
    cr_assert_eq(ms, 555, "duration '%s': output must not be written", s);
    cr_assert(strstr(e.msg, why) != NULL, "duration '%s': message '%s' should contain '%s'", s,
              e.msg, why);
}

/* ---- known instants ---- */

Test(time_parse, epoch_is_zero)
{
    cr_assert_eq(parse_ok("1970-01-01T00:00:00Z"), 0);
    cr_assert_eq(parse_ok("1970-01-01"), 0);
    cr_assert_eq(parse_ok("1970-01-01T01:00:00+01:00"), 0);
}

Test(time_parse, known_values)
{
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.250Z"), INT64_C(1772625601250));
    cr_assert_eq(parse_ok("2026-03-04T12:00:01Z"), INT64_C(1772625601000));
    cr_assert_eq(parse_ok("2026-03-04"), INT64_C(1772582400000));
    cr_assert_eq(parse_ok("2000-02-29T23:59:59.999Z"), INT64_C(951868799999));
    cr_assert_eq(parse_ok("1969-12-31T23:59:59Z"), -1000);
    cr_assert_eq(parse_ok("0000-01-01T00:00:00Z"), TIME_MIN_MS);
    cr_assert_eq(parse_ok("9999-12-31T23:59:59.999Z"), TIME_MAX_MS);
}

Test(time_parse, offsets)
{
    int64_t utc = INT64_C(1772625601250);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.250+01:00"), utc - MS_PER_HOUR);
    cr_assert_eq(parse_ok("2026-03-04T13:00:01.250+01:00"), utc);
    cr_assert_eq(parse_ok("2026-03-04T12:00:00-05:30"), INT64_C(1772645400000));
    cr_assert_eq(parse_ok("2026-03-04T06:30:01.250-05:30"), utc);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.250+00:00"), utc);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.250-00:00"), utc);
    /* an offset can move the instant across a day boundary */
    cr_assert_eq(parse_ok("2026-03-05T00:30:00+23:59"),
                 parse_ok("2026-03-04T00:31:00Z"));
}

Test(time_parse, lowercase_and_space_separators)
{
    int64_t want = INT64_C(1772625601250);
    cr_assert_eq(parse_ok("2026-03-04t12:00:01.250z"), want);
    cr_assert_eq(parse_ok("2026-03-04 12:00:01.250Z"), want);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.250z"), want);
    cr_assert_eq(parse_ok("2026-03-04t12:00:01.250Z"), want);
}

Test(time_parse, fractions_are_truncated_to_milliseconds)
{
    int64_t base = INT64_C(1772625601000);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.2Z"), base + 200);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.25Z"), base + 250);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.250Z"), base + 250);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.2509Z"), base + 250);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.999999999Z"), base + 999, "not rounded up");
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.000000001Z"), base);
    cr_assert_eq(parse_ok("2026-03-04T12:00:01.007+01:00"), base + 7 - MS_PER_HOUR);
    parse_bad("2026-03-04T12:00:01.1234567891Z", "1 to 9 digits");
    parse_bad("2026-03-04T12:00:01.Z", "1 to 9 digits");
}

Test(time_parse, bare_date_is_midnight_utc)
{
    cr_assert_eq(parse_ok("2026-03-04"), parse_ok("2026-03-04T00:00:00Z"));
    cr_assert_eq(parse_ok("2024-02-29"), INT64_C(1709164800000));
}

Test(time_parse, leap_years)
{
    cr_assert_eq(parse_ok("2024-02-29T00:00:00Z"), INT64_C(1709164800000));
    parse_ok("2000-02-29");
    parse_bad("2026-02-29T00:00:00Z", "day out of range");
    parse_bad("2026-02-29", "day out of range");
    parse_bad("1900-02-29", "day out of range"); /* divisible by 100, not by 400 */
    parse_bad("2024-02-30", "day out of range");
}

Test(time_parse, out_of_range_fields)
{
    parse_bad("2026-13-01T00:00:00Z", "month out of range");
    parse_bad("2026-00-01T00:00:00Z", "month out of range");
    parse_bad("2026-01-00T00:00:00Z", "day out of range");
    parse_bad("2026-01-32T00:00:00Z", "day out of range");
    parse_bad("2026-04-31T00:00:00Z", "day out of range");
    parse_bad("2026-03-04T24:00:00Z", "time of day out of range");
    parse_bad("2026-03-04T23:60:00Z", "time of day out of range");
    parse_bad("2026-03-04T23:59:61Z", "time of day out of range");
    parse_bad("2026-03-04T12:00:00+24:00", "offset out of range");
    parse_bad("2026-03-04T12:00:00+01:60", "offset out of range");
    parse_bad("0000-01-01T00:00:00+00:01", "outside the years 0000 to 9999");
    parse_bad("9999-12-31T23:59:59-00:01", "outside the years 0000 to 9999");
}

Test(time_parse, malformed_text)
{
    parse_bad("2026-03-04T12:00:00", "missing time zone offset");
    parse_bad("2026-03-04T12:00:00.5", "missing time zone offset (add Z for UTC)");
    parse_bad("", "date must look like YYYY-MM-DD");
    parse_bad("2026", "date must look like YYYY-MM-DD");
    parse_bad("2026-3-04", "date must look like YYYY-MM-DD");
    parse_bad("26-03-04", "date must look like YYYY-MM-DD");
    parse_bad("2026/03/04", "date must look like YYYY-MM-DD");
    parse_bad(" 2026-03-04", "date must look like YYYY-MM-DD");
    parse_bad("2026-03-04X12:00:00Z", "expected 'T' between date and time");
    parse_bad("2026-03-04T", "time must look like HH:MM:SS");
    parse_bad("2026-03-04T12:00Z", "time must look like HH:MM:SS");
    parse_bad("2026-03-04T1:00:00Z", "time must look like HH:MM:SS");
    parse_bad("2026-03-04T12:00:00ZZ", "unexpected text after 'Z'");
    parse_bad("2026-03-04T12:00:00Z ", "unexpected text after 'Z'");
    parse_bad("2026-03-04T12:00:00 Z", "unexpected text after the seconds");
    parse_bad("2026-03-04T12:00:00+0100", "offset must look like +HH:MM");
    parse_bad("2026-03-04T12:00:00+01", "offset must look like +HH:MM");
    parse_bad("2026-03-04T12:00:00+01:00:00", "unexpected text after the offset");
    parse_bad("now", "date must look like YYYY-MM-DD");
}

Test(time_parse, message_quotes_the_input)
{
    struct err e = ERR_INIT;
    int64_t ms;
    cr_assert_eq(time_parse_rfc3339("2026-13-01", &ms, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "invalid time '2026-13-01': month out of range (expected RFC 3339, "
                            "like 2026-03-04T12:00:00Z)");
}

Test(time_parse, null_err_is_allowed)
{
    int64_t ms = 5;
    cr_assert_eq(time_parse_rfc3339("bogus", &ms, NULL), ERR_INVALID);
    cr_assert_eq(ms, 5);
}

/* ---- formatting ---- */

Test(time_format, known_values)
{
    char out[TIME_STR_MAX];
    cr_assert_str_eq(time_format_rfc3339(0, out), "1970-01-01T00:00:00Z");
    cr_assert_str_eq(time_format_rfc3339(INT64_C(1772625601250), out),
                     "2026-03-04T12:00:01.250Z");
    cr_assert_str_eq(time_format_rfc3339(INT64_C(1772625601000), out), "2026-03-04T12:00:01Z");
    cr_assert_str_eq(time_format_rfc3339(INT64_C(1772625601007), out),
                     "2026-03-04T12:00:01.007Z");
    cr_assert_str_eq(time_format_rfc3339(-1000, out), "1969-12-31T23:59:59Z");
    cr_assert_str_eq(time_format_rfc3339(-1, out), "1969-12-31T23:59:59.999Z");
    cr_assert_str_eq(time_format_rfc3339(TIME_MIN_MS, out), "0000-01-01T00:00:00Z");
    cr_assert_str_eq(time_format_rfc3339(TIME_MAX_MS, out), "9999-12-31T23:59:59.999Z");
    cr_assert_str_eq(time_format_rfc3339(TIME_UNSET, out), "-");
}

Test(time_format, returns_its_buffer)
{
    char out[TIME_STR_MAX];
    cr_assert_eq(time_format_rfc3339(0, out), out);
    char d[DURATION_STR_MAX];
    cr_assert_eq(time_format_duration(0, d), d);
    cr_assert_eq(time_format_duration_exact(0, d), d);
}

Test(time_format, round_trips_through_parse)
{
    static const char *const inputs[] = {
        "1970-01-01T00:00:00Z",     "2026-03-04T12:00:01.250Z", "2026-03-04T12:00:01Z",
        "2024-02-29T23:59:59.999Z", "1969-07-20T20:17:40Z",     "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z", "2000-01-01T00:00:00.001Z", "1600-03-01T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        char out[TIME_STR_MAX];
        cr_assert_str_eq(time_format_rfc3339(parse_ok(inputs[i]), out), inputs[i]);
    }
    /* inputs in other forms come back canonical */
    char out[TIME_STR_MAX];
    cr_assert_str_eq(time_format_rfc3339(parse_ok("2026-03-04T13:00:01.25+01:00"), out),
                     "2026-03-04T12:00:01.250Z");
    cr_assert_str_eq(time_format_rfc3339(parse_ok("2026-03-04"), out), "2026-03-04T00:00:00Z");
    cr_assert_str_eq(time_format_rfc3339(parse_ok("2026-03-03 20:00:00-05:00"), out),
                     "2026-03-04T01:00:00Z");
}

Test(time_format, round_trips_every_day_of_some_years)
{
    /* format then parse is the identity, across leap years and century boundaries */
    for (int64_t day = time_days_from_civil(1899, 12, 25); day < time_days_from_civil(1901, 1, 5);
         day++) {
        int64_t ms = day * MS_PER_DAY + 12 * MS_PER_HOUR + 34 * MS_PER_MINUTE + 56789;
        char out[TIME_STR_MAX];
        time_format_rfc3339(ms, out);
        cr_assert_eq(parse_ok(out), ms, "%s", out);
    }
    for (int64_t day = time_days_from_civil(1999, 12, 25); day < time_days_from_civil(2001, 1, 5);
         day++) {
        int64_t ms = day * MS_PER_DAY;
        char out[TIME_STR_MAX];
        time_format_rfc3339(ms, out);
        cr_assert_eq(parse_ok(out), ms, "%s", out);
    }
}

/* ---- civil dates ---- */

Test(time_civil, known_values)
{
    cr_assert_eq(time_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(time_days_from_civil(1970, 1, 2), 1);
    cr_assert_eq(time_days_from_civil(1969, 12, 31), -1);
    cr_assert_eq(time_days_from_civil(2000, 3, 1), 11017);
    cr_assert_eq(time_days_from_civil(2024, 2, 29), 19782);
    cr_assert_eq(time_days_from_civil(2024, 3, 1), 19783);
    cr_assert_eq(time_days_from_civil(2026, 3, 4), INT64_C(1772582400000) / MS_PER_DAY);
    cr_assert_eq(time_days_from_civil(1, 1, 1), -719162);
    cr_assert_eq(time_days_from_civil(0, 1, 1), TIME_MIN_MS / MS_PER_DAY);
    cr_assert_eq(time_days_from_civil(9999, 12, 31), 2932896);
}

Test(time_civil, consecutive_dates_are_consecutive_days)
{
    cr_assert_eq(time_days_from_civil(2023, 3, 1) - time_days_from_civil(2023, 2, 28), 1);
    cr_assert_eq(time_days_from_civil(2024, 3, 1) - time_days_from_civil(2024, 2, 28), 2);
    cr_assert_eq(time_days_from_civil(2025, 1, 1) - time_days_from_civil(2024, 1, 1), 366);
    cr_assert_eq(time_days_from_civil(2101, 1, 1) - time_days_from_civil(2100, 1, 1), 365);
    cr_assert_eq(time_days_from_civil(2001, 1, 1) - time_days_from_civil(2000, 1, 1), 366);
}

/* ---- durations ---- */

Test(duration_parse, single_units)
{
    cr_assert_eq(duration_ok("90s"), 90 * MS_PER_SECOND);
    cr_assert_eq(duration_ok("5ms"), 5);
    cr_assert_eq(duration_ok("15m"), 15 * MS_PER_MINUTE);
    cr_assert_eq(duration_ok("24h"), 24 * MS_PER_HOUR);
    cr_assert_eq(duration_ok("2d"), 2 * MS_PER_DAY);
    cr_assert_eq(duration_ok("1w"), 7 * MS_PER_DAY);
    cr_assert_eq(duration_ok("0s"), 0);
}

Test(duration_parse, combined_units)
{
    cr_assert_eq(duration_ok("1h30m"), 90 * MS_PER_MINUTE);
    cr_assert_eq(duration_ok("1d12h"), 36 * MS_PER_HOUR);
    cr_assert_eq(duration_ok("1m5ms"), MS_PER_MINUTE + 5);
    cr_assert_eq(duration_ok("1w1d1h1m1s1ms"),
                 8 * MS_PER_DAY + MS_PER_HOUR + MS_PER_MINUTE + MS_PER_SECOND + 1);
    cr_assert_eq(duration_ok("30m1h"), 90 * MS_PER_MINUTE, "order is free");
}

Test(duration_parse, refusals)
{
    duration_bad("", "empty");
    duration_bad("h", "expected a number");
    duration_bad("-5m", "expected a number");
    duration_bad("-1h", "invalid duration '-1h'");
    duration_bad(" 5m", "expected a number");
    duration_bad("5", "unknown unit");
    duration_bad("5mo", "unknown unit");
    duration_bad("5y", "unknown unit");
    duration_bad("5H", "unknown unit");
    duration_bad("5m ", "expected a number");
    duration_bad("5 m", "unknown unit");
    duration_bad("1.5h", "unknown unit");
    duration_bad("1h30", "unknown unit");
    duration_bad("99999999999999999999s", "too large");
    duration_bad("9999999999999w", "too large");
    duration_bad("9000000000000000000ms9000000000000000000ms", "too large");
}

Test(duration_parse, limits)
{
    /* every value up to INT64_MAX milliseconds is readable, one more is not */
    cr_assert_eq(duration_ok("9223372036854775807ms"), INT64_MAX);
    cr_assert_eq(duration_ok("9223372036854775800ms"), INT64_MAX - 7);
    cr_assert_eq(duration_ok("9223372036854775000ms807ms"), INT64_MAX);
    cr_assert_eq(duration_ok("106751991167d"), INT64_C(106751991167) * MS_PER_DAY);
    duration_bad("9223372036854775808ms", "too large");
    duration_bad("9223372036854775807ms1ms", "too large");
    duration_bad("106751991168d", "too large");
}

Test(duration_format, short_human_form)
{
    char out[DURATION_STR_MAX];
    cr_assert_str_eq(time_format_duration(0, out), "0s");
    cr_assert_str_eq(time_format_duration(999, out), "0s");
    cr_assert_str_eq(time_format_duration(45 * MS_PER_SECOND, out), "45s");
    cr_assert_str_eq(time_format_duration(12 * MS_PER_MINUTE + 5 * MS_PER_SECOND, out), "12m 5s");
    cr_assert_str_eq(time_format_duration(12 * MS_PER_MINUTE, out), "12m");
    cr_assert_str_eq(time_format_duration(80 * MS_PER_MINUTE, out), "1h 20m");
    cr_assert_str_eq(time_format_duration(3 * MS_PER_HOUR + 20 * MS_PER_MINUTE + 59999, out),
                     "3h 20m", "the rest is rounded down");
    cr_assert_str_eq(time_format_duration(2 * MS_PER_HOUR, out), "2h");
    cr_assert_str_eq(time_format_duration(52 * MS_PER_HOUR + 59 * MS_PER_MINUTE, out), "2d 4h");
    cr_assert_str_eq(time_format_duration(2 * MS_PER_DAY, out), "2d");
    cr_assert_str_eq(time_format_duration(-45 * MS_PER_SECOND, out), "-45s");
    cr_assert_str_eq(time_format_duration(-(80 * MS_PER_MINUTE), out), "-1h 20m");
    cr_assert_str_eq(time_format_duration(TIME_UNSET, out), "-");
}

Test(duration_format, exact_form)
{
    /* the largest unit that divides the value exactly, never weeks */
    char out[DURATION_STR_MAX];
    cr_assert_str_eq(time_format_duration_exact(0, out), "0s");
    cr_assert_str_eq(time_format_duration_exact(-5, out), "0s");
    cr_assert_str_eq(time_format_duration_exact(36 * MS_PER_HOUR, out), "36h");
    cr_assert_str_eq(time_format_duration_exact(48 * MS_PER_HOUR, out), "2d");
    cr_assert_str_eq(time_format_duration_exact(90 * MS_PER_MINUTE, out), "90m");
    cr_assert_str_eq(time_format_duration_exact(60 * MS_PER_MINUTE, out), "1h");
    cr_assert_str_eq(time_format_duration_exact(30 * MS_PER_DAY, out), "30d");
    cr_assert_str_eq(time_format_duration_exact(14 * MS_PER_DAY, out), "14d", "no weeks");
    cr_assert_str_eq(time_format_duration_exact(90 * MS_PER_SECOND, out), "90s");
    cr_assert_str_eq(time_format_duration_exact(1, out), "1ms");
    cr_assert_str_eq(time_format_duration_exact(1500, out), "1500ms");
    cr_assert_str_eq(time_format_duration_exact(MS_PER_DAY + 1, out), "86400001ms");
    cr_assert_str_eq(time_format_duration_exact(INT64_MAX, out), "9223372036854775807ms");
}

Test(duration_format, exact_round_trips)
{
    static const int64_t values[] = {
        1, 999, 1000, 1001, 59999, 60000, 90 * MS_PER_MINUTE, 24 * MS_PER_HOUR,
        48 * MS_PER_HOUR, 72 * MS_PER_HOUR, 30 * MS_PER_DAY, 7 * MS_PER_DAY + 3,
        MS_PER_DAY + MS_PER_HOUR + MS_PER_MINUTE + MS_PER_SECOND + 1,
        INT64_C(123456789012), INT64_MAX,
    };
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char out[DURATION_STR_MAX];
        time_format_duration_exact(values[i], out);
        cr_assert_eq(duration_ok(out), values[i], "'%s'", out);
    }
    /* and parsing any accepted text then formatting gives the canonical text */
    char out[DURATION_STR_MAX];
    cr_assert_str_eq(time_format_duration_exact(duration_ok("1h30m"), out), "90m");
    cr_assert_str_eq(time_format_duration_exact(duration_ok("2w"), out), "14d");
    cr_assert_str_eq(time_format_duration_exact(duration_ok("1d12h"), out), "36h");
    cr_assert_str_eq(time_format_duration_exact(duration_ok("1s500ms"), out), "1500ms");
    cr_assert_str_eq(time_format_duration_exact(duration_ok("120m"), out), "2h");
}

Test(time_tz_offset, accepted_and_refused)
{
    struct {
        const char *in;
        int minutes;
    } ok[] = {{"UTC", 0}, {"Z", 0}, {"+02:00", 120}, {"-0530", -330}, {"+2", 120},
              {"-14", -840}, {"+05:45", 345}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct err e = ERR_INIT;
        int m = 999;
        cr_expect_eq(time_parse_tz_offset(ok[i].in, &m, &e), ERR_OK, "%s: %s", ok[i].in, e.msg);
        cr_expect_eq(m, ok[i].minutes, "%s: %d", ok[i].in, m);
    }
    const char *bad[] = {"", "2", "+", "+123", "+15", "+02:60", "+14:30", "+02:00x", "CET",
                         "+0:00"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err e = ERR_INIT;
        int m = 0;
        cr_expect_eq(time_parse_tz_offset(bad[i], &m, &e), ERR_INVALID, "'%s' accepted", bad[i]);
        cr_expect(strstr(e.msg, "UTC offset") != NULL, "%s", e.msg);
    }
}
