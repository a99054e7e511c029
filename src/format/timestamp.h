/* timestamp.h: the instants found in evidence files, in any of the forms exports use.
 *
 * An instant is either RFC 3339 (core/timefmt.h: "2026-03-04T12:00:00Z", any offset, or a bare
 * date meaning midnight UTC) or an epoch number: an optional sign, digits, and optionally a
 * '.' and more digits ("1772625600", "1772625600.25", "1772625600250"); no exponent, no
 * spaces.
 *
 * The epoch unit rule: a number whose absolute value is >= 1e11 (TS_EPOCH_MS_THRESHOLD) is
 * milliseconds, a smaller one is seconds. 1e11 seconds is the year 5138, 1e11 milliseconds is
 * 1973-03-03, so every real timestamp since 1973 is read right in either unit. Fractions
 * below a millisecond are rounded to the nearest millisecond (halves away from zero).
 *
 * Every accepted instant lies within TIME_MIN_MS..TIME_MAX_MS (years 0000 to 9999 UTC). On
 * failure the functions return ERR_INVALID with a reason in e that quotes the input and leave
 * *ret_ms alone. Nothing is allocated. */
#ifndef FORMAT_TIMESTAMP_H
#define FORMAT_TIMESTAMP_H

#include "core/common.h"
#include "core/err.h"

#define TS_EPOCH_MS_THRESHOLD 1e11
/* Longest text accepted; longer input is refused ("too long"). */
#define TS_TEXT_MAX 64

/* Parses s[0..len) (no NUL needed; an embedded NUL is refused) as RFC 3339 or an epoch
 * number, as described above. */
int ts_parse_any(const char *s, size_t len, int64_t *ret_ms, struct err *e);

/* Like ts_parse_any, but a date and time without an offset ("2026-03-04 12:00:00",
 * "2026-03-04T12:00:00.5") is read as UTC instead of refused. For exports whose times carry no
 * zone, like Grafana's CSV. */
int ts_parse_any_utc(const char *s, size_t len, int64_t *ret_ms, struct err *e);

/* Converts an epoch number already decoded (a JSON integer, say) by the unit rule above. */
int ts_from_epoch_i64(int64_t v, int64_t *ret_ms, struct err *e);
/* The same for a JSON real; refuses NaN and infinities. */
int ts_from_epoch_double(double v, int64_t *ret_ms, struct err *e);

#endif
