/* test_timestamp.c: instants in evidence files (RFC 3339 and epoch numbers). */
#include "core/timefmt.h"
#include "format/timestamp.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

static int64_t ok_any(const char *s)
{
    struct err e = ERR_INIT;
    int64_t ms = 12345;
    int rc = ts_parse_any(s, strlen(s), &ms, &e);
    cr_assert_eq(rc, ERR_OK, "'%s' should parse, got: %s", s, e.msg);
    return ms;
}

static void bad_any(const char *s, const char *why)
{
    struct err e = ERR_INIT;
    int64_t ms = 777;
    int rc = ts_parse_any(s, strlen(s), &ms, &e);
    cr_assert_eq(rc, ERR_INVALID, "'%s' should be refused", s);
    cr_assert_eq(ms, 777, "'%s': a refused time must not write the output", s);
    cr_assert(strstr(e.msg, why) != NULL, "'%s': message '%s' should contain '%s'", s, e.msg,
              why);
}

Test(format_timestamp, rfc3339_is_delegated)
{
    cr_assert_eq(ok_any("2026-03-04T12:00:00Z"), T0);
    cr_assert_eq(ok_any("2026-03-04T13:00:00.250+01:00"), T0 + 250);
    cr_assert_eq(ok_any("2026-03-04"), T0 - 12 * MS_PER_HOUR);
    bad_any("2026-13-01", "month out of range");
    bad_any("2026-13-01", "'2026-13-01'");
    bad_any("2026-03-04T12:00:00", "missing time zone offset");
}

Test(format_timestamp, epoch_seconds_and_milliseconds)
{
    cr_assert_eq(ok_any("1772625600"), T0);
    cr_assert_eq(ok_any("1772625600123"), T0 + 123);
    cr_assert_eq(ok_any("0"), 0);
    cr_assert_eq(ok_any("+1"), 1000);
    cr_assert_eq(ok_any("-1"), -1000);
    cr_assert_eq(ok_any("0001772625600"), T0); /* leading zeros do not change the unit */
}

Test(format_timestamp, the_threshold_is_1e11)
{
    /* Below 1e11 seconds, from 1e11 milliseconds, and the same for negative values. */
    cr_assert_eq(ok_any("99999999999"), INT64_C(99999999999000));
    cr_assert_eq(ok_any("100000000000"), INT64_C(100000000000));
    cr_assert_eq(ok_any("-62167219200"), TIME_MIN_MS); /* seconds down to year 0000 */
    bad_any("-99999999999", "out of range");           /* seconds, before year 0000 */
    cr_assert_eq(ok_any("-100000000000"), INT64_C(-100000000000));
    cr_assert_eq(ok_any("99999999999.5"), INT64_C(99999999999500));
}

Test(format_timestamp, decimals_are_exact_and_rounded)
{
    cr_assert_eq(ok_any("1772625600.5"), T0 + 500);
    cr_assert_eq(ok_any("1772625600.123"), T0 + 123);
    cr_assert_eq(ok_any("1772625600.1234"), T0 + 123);
    cr_assert_eq(ok_any("1772625600.1235"), T0 + 124);
    cr_assert_eq(ok_any("1772625600.0005"), T0 + 1);
    cr_assert_eq(ok_any("1772625600.999999999"), T0 + 1000);
    cr_assert_eq(ok_any("1772625600123.4"), T0 + 123);
    cr_assert_eq(ok_any("1772625600123.5"), T0 + 124);
    cr_assert_eq(ok_any("-1.5"), -1500);
    cr_assert_eq(ok_any("-0.0005"), -1);
}

Test(format_timestamp, range_is_years_0000_to_9999)
{
    cr_assert_eq(ok_any("253402300799999"), TIME_MAX_MS);
    cr_assert_eq(ok_any("-62167219200000"), TIME_MIN_MS);
    bad_any("253402300800000", "out of range");
    bad_any("-62167219200001", "out of range");
    bad_any("99999999999999999999999", "out of range");
}

Test(format_timestamp, refused_forms)
{
    bad_any("", "empty");
    bad_any("abc", "expected RFC 3339");
    bad_any("abc", "epoch seconds or milliseconds");
    bad_any("1e9", "expected RFC 3339");
    bad_any(" 1772625600", "expected RFC 3339");
    bad_any("1772625600 ", "expected RFC 3339");
    bad_any("1.", "expected RFC 3339");
    bad_any(".5", "expected RFC 3339");
    bad_any("0x10", "expected RFC 3339");
    bad_any("NaN", "expected RFC 3339");
    bad_any("--1", "expected RFC 3339");
    char long_text[80];
    memset(long_text, '1', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    bad_any(long_text, "too long");
}

Test(format_timestamp, length_bounds_the_text)
{
    struct err e = ERR_INIT;
    int64_t ms = 0;
    /* Not NUL-terminated: only the first len bytes count. */
    cr_assert_eq(ts_parse_any("1772625600XYZ", 10, &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0);
    cr_assert_eq(ts_parse_any("2026-03-04T12:00:00Z,rest", 20, &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0);
    /* An embedded NUL is refused rather than cutting the text short. */
    cr_assert_eq(ts_parse_any("17\0" "72", 5, &ms, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "NUL") != NULL);
    /* 64 bytes are fine, 65 are not. */
    char s[65];
    memset(s, '0', sizeof(s));
    cr_assert_eq(ts_parse_any(s, 64, &ms, &e), ERR_OK);
    cr_assert_eq(ms, 0);
    cr_assert_eq(ts_parse_any(s, 65, &ms, &e), ERR_INVALID);
}

Test(format_timestamp, utc_variant_reads_times_without_offset)
{
    struct err e = ERR_INIT;
    int64_t ms = 0;
    const char *s = "2026-03-04 12:00:00";
    cr_assert_eq(ts_parse_any(s, strlen(s), &ms, &e), ERR_INVALID);
    cr_assert_eq(ts_parse_any_utc(s, strlen(s), &ms, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(ms, T0);
    s = "2026-03-04T12:00:00.250";
    cr_assert_eq(ts_parse_any_utc(s, strlen(s), &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0 + 250);
    s = "2026-03-04T13:00:00+01:00"; /* an offset still counts */
    cr_assert_eq(ts_parse_any_utc(s, strlen(s), &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0);
    s = "1772625600";
    cr_assert_eq(ts_parse_any_utc(s, strlen(s), &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0);
    /* The first error is kept when the retry fails too. */
    e = (struct err)ERR_INIT;
    s = "2026-03-04 25:00:00";
    ms = 5;
    cr_assert_eq(ts_parse_any_utc(s, strlen(s), &ms, &e), ERR_INVALID);
    cr_assert_eq(ms, 5);
    cr_assert(strstr(e.msg, "time of day out of range") != NULL, "%s", e.msg);
    s = "2026-03-04 12:00";
    cr_assert_eq(ts_parse_any_utc(s, strlen(s), &ms, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "HH:MM:SS") != NULL, "%s", e.msg);
}

Test(format_timestamp, decoded_numbers)
{
    struct err e = ERR_INIT;
    int64_t ms = 0;
    cr_assert_eq(ts_from_epoch_i64(1772625600, &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0);
    cr_assert_eq(ts_from_epoch_i64(1772625600123, &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0 + 123);
    cr_assert_eq(ts_from_epoch_i64(INT64_MIN, &ms, &e), ERR_INVALID);
    cr_assert_eq(ts_from_epoch_i64(INT64_MAX, &ms, &e), ERR_INVALID);
    cr_assert_eq(ts_from_epoch_double(1772625600.25, &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0 + 250);
    cr_assert_eq(ts_from_epoch_double(1772625600123.0, &ms, &e), ERR_OK);
    cr_assert_eq(ms, T0 + 123);
    ms = 9;
    cr_assert_eq(ts_from_epoch_double(NAN, &ms, &e), ERR_INVALID);
    cr_assert_eq(ts_from_epoch_double(INFINITY, &ms, &e), ERR_INVALID);
    cr_assert_eq(ts_from_epoch_double(1e300, &ms, &e), ERR_INVALID);
    cr_assert_eq(ts_from_epoch_double(-1e300, &ms, &e), ERR_INVALID);
    cr_assert_eq(ms, 9);
    cr_assert(strstr(e.msg, "out of range") != NULL);
}
