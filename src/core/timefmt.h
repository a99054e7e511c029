/* timefmt.h: RFC 3339 timestamps and durations.
 *
 * hindsight keeps every instant as int64 milliseconds since the Unix epoch, UTC. Input accepts
 * RFC 3339 with any offset ("2026-03-04T12:00:01.250+01:00", "...Z", 't'/'z' and a space for
 * 'T' allowed), or a bare date ("2026-03-04", midnight UTC). Output is always UTC with a 'Z',
 * with milliseconds only when they are not zero. */
#ifndef CORE_TIMEFMT_H
#define CORE_TIMEFMT_H

#include "core/common.h"
#include "core/err.h"

/* The value meaning "no time set". */
#define TIME_UNSET INT64_MIN

#define MS_PER_SECOND INT64_C(1000)
#define MS_PER_MINUTE (60 * MS_PER_SECOND)
#define MS_PER_HOUR (60 * MS_PER_MINUTE)
#define MS_PER_DAY (24 * MS_PER_HOUR)

/* Years 0000..9999 only. */
#define TIME_MIN_MS INT64_C(-62167219200000) /* 0000-01-01T00:00:00Z */
#define TIME_MAX_MS INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z */

/* Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Parses an RFC 3339 timestamp or a bare date. On failure returns ERR_INVALID with a reason in
 * e ("month 13 out of range", "missing time zone offset (add Z for UTC)"). */
int time_parse_rfc3339(const char *s, int64_t *ret_ms, struct err *e);

/* Writes "2026-03-04T12:00:01Z" (or "...01.250Z") into out, which must hold TIME_STR_MAX bytes.
 * Returns out. TIME_UNSET is written as "-". */
#define TIME_STR_MAX 80 /* room for any int width, so format checks pass */
char *time_format_rfc3339(int64_t ms, char out[TIME_STR_MAX]);

/* Parses a duration: one or more <number><unit> parts, unit ms, s, m, h, d or w
 * ("90s", "1h30m", "2d"). Negative durations are refused. */
int time_parse_duration(const char *s, int64_t *ret_ms, struct err *e);

/* Writes a short human duration: "45s", "12m 5s", "3h 20m", "2d 4h"; at most two units, the
 * rest rounded down. Negative values get a leading '-'. TIME_UNSET is written as "-". */
#define DURATION_STR_MAX 48
char *time_format_duration(int64_t ms, char out[DURATION_STR_MAX]);

/* Writes a canonical duration that time_parse_duration reads back, in the largest unit that
 * divides it exactly: "36h", "2d", "90m", "0s". */
char *time_format_duration_exact(int64_t ms, char out[DURATION_STR_MAX]);

/* Parses a fixed offset from UTC for displayed times: "UTC", "Z", "+02:00", "-0530", "+2"
 * (hours up to 14). The result is in minutes east of UTC. */
int time_parse_tz_offset(const char *s, int *ret_minutes, struct err *e);

#endif
