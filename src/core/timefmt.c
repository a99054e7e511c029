/* timefmt.c: RFC 3339 and duration parsing and formatting.
 *
 * timegm() is not POSIX, so civil dates are converted with Howard Hinnant's days_from_civil
 * and civil_from_days algorithms, which are exact for the proleptic Gregorian calendar. */
#include "core/timefmt.h"

#include <stdio.h>
#include <string.h>

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n decimal digits at *p, advancing it. */
static bool digits(const char **p, int n, unsigned *ret)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (unsigned)(c - '0');
    }
    *p += n;
    *ret = v;
    return true;
}

static int bad(struct err *e, const char *s, const char *why)
{
    return err_set(e, ERR_INVALID, "invalid time '%.64s': %s (expected RFC 3339, like "
                   "2026-03-04T12:00:00Z)", s, why);
}

static int parse_offset(const char *s, const char *p, int64_t *ret_offset_ms, struct err *e)
{
    if (*p == 'Z' || *p == 'z') {
        if (p[1])
            return bad(e, s, "unexpected text after 'Z'");
        *ret_offset_ms = 0;
        return ERR_OK;
    }
    if (*p != '+' && *p != '-')
        return bad(e, s, *p ? "unexpected text after the seconds"
                            : "missing time zone offset (add Z for UTC)");
    int sign = *p == '-' ? -1 : 1;
    p++;
    unsigned oh, om;
    if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
        return bad(e, s, "offset must look like +HH:MM");
    if (*p)
        return bad(e, s, "unexpected text after the offset");
    if (oh > 23 || om > 59)
        return bad(e, s, "offset out of range");
    *ret_offset_ms = sign * ((int64_t)oh * MS_PER_HOUR + (int64_t)om * MS_PER_MINUTE);
    return ERR_OK;
}

int time_parse_rfc3339(const char *s, int64_t *ret_ms, struct err *e)
{
    const char *p = s;
    unsigned y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return bad(e, s, "date must look like YYYY-MM-DD");
    if (mo < 1 || mo > 12)
        return bad(e, s, "month out of range");
    if (d < 1 || d > days_in_month(y, mo))
        return bad(e, s, "day out of range");
    int64_t offset = 0;
    if (*p) {
        if (*p != 'T' && *p != 't' && *p != ' ')
            return bad(e, s, "expected 'T' between date and time");
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' ||
            !digits(&p, 2, &sec))
            return bad(e, s, "time must look like HH:MM:SS");
        if (h > 23 || mi > 59 || sec > 60)
            return bad(e, s, "time of day out of range");
        if (*p == '.') {
            p++;
            int n = 0;
            unsigned scale = 100;
            while (*p >= '0' && *p <= '9') {
                if (n < 3) {
                    ms += (unsigned)(*p - '0') * scale;
                    scale /= 10;
                }
                n++, p++;
            }
            if (n == 0 || n > 9)
                return bad(e, s, "fraction of a second must have 1 to 9 digits");
        }
        int rc = parse_offset(s, p, &offset, e);
        if (rc < 0)
            return rc;
    }
    int64_t days = time_days_from_civil(y, mo, d);
    int64_t t = days * MS_PER_DAY + (int64_t)h * MS_PER_HOUR + (int64_t)mi * MS_PER_MINUTE +
                (int64_t)sec * MS_PER_SECOND + ms - offset;
    if (t < TIME_MIN_MS || t > TIME_MAX_MS)
        return bad(e, s, "outside the years 0000 to 9999 in UTC");
    *ret_ms = t;
    return ERR_OK;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

char *time_format_rfc3339(int64_t ms, char out[TIME_STR_MAX])
{
    if (ms == TIME_UNSET) {
        snprintf(out, TIME_STR_MAX, "-");
        return out;
    }
    int64_t days = floor_div(ms, MS_PER_DAY);
    int64_t rem = ms - days * MS_PER_DAY;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned h = (unsigned)(rem / MS_PER_HOUR);
    unsigned mi = (unsigned)(rem / MS_PER_MINUTE % 60);
    unsigned sec = (unsigned)(rem / MS_PER_SECOND % 60);
    unsigned milli = (unsigned)(rem % 1000);
    if (milli)
        snprintf(out, TIME_STR_MAX, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, m, d,
                 h, mi, sec, milli);
    else
        snprintf(out, TIME_STR_MAX, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, m, d, h,
                 mi, sec);
    return out;
}

static const struct {
    const char *name;
    int64_t ms;
} units[] = {
    {"ms", 1}, {"s", MS_PER_SECOND}, {"m", MS_PER_MINUTE}, {"h", MS_PER_HOUR},
    {"d", MS_PER_DAY}, {"w", 7 * MS_PER_DAY},
};

int time_parse_duration(const char *s, int64_t *ret_ms, struct err *e)
{
    const char *p = s;
    int64_t total = 0;
    if (!*p)
        return err_set(e, ERR_INVALID, "invalid duration '': empty");
    while (*p) {
        int64_t n = 0;
        int nd = 0;
        for (; *p >= '0' && *p <= '9'; p++, nd++) {
            if (n > (INT64_MAX - (*p - '0')) / 10)
                return err_set(e, ERR_INVALID, "invalid duration '%.64s': too large", s);
            n = n * 10 + (*p - '0');
        }
        if (!nd)
            return err_set(e, ERR_INVALID, "invalid duration '%.64s': expected a number, like "
                           "24h, 90m or 1h30m", s);
        int64_t unit = 0;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            size_t len = strlen(units[i].name);
            /* "ms" comes before "m" in the table; a unit must not be followed by a letter, so
             * that "5mo" is refused instead of read as five minutes and junk. */
            if (strncmp(p, units[i].name, len) == 0 &&
                !(p[len] >= 'a' && p[len] <= 'z')) {
                unit = units[i].ms;
                p += len;
                break;
            }
        }
        if (!unit)
            return err_set(e, ERR_INVALID, "invalid duration '%.64s': unknown unit (use ms, s, "
                           "m, h, d or w)", s);
        if (n > (INT64_MAX - total) / unit)
            return err_set(e, ERR_INVALID, "invalid duration '%.64s': too large", s);
        total += n * unit;
    }
    *ret_ms = total;
    return ERR_OK;
}

char *time_format_duration(int64_t ms, char out[DURATION_STR_MAX])
{
    if (ms == TIME_UNSET) {
        snprintf(out, DURATION_STR_MAX, "-");
        return out;
    }
    const char *sign = ms < 0 ? "-" : "";
    uint64_t v = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
    uint64_t d = v / MS_PER_DAY, h = v / MS_PER_HOUR % 24, m = v / MS_PER_MINUTE % 60,
             s = v / MS_PER_SECOND % 60;
    if (d)
        snprintf(out, DURATION_STR_MAX, h ? "%s%llud %lluh" : "%s%llud", sign,
                 (unsigned long long)d, (unsigned long long)h);
    else if (h)
        snprintf(out, DURATION_STR_MAX, m ? "%s%lluh %llum" : "%s%lluh", sign,
                 (unsigned long long)h, (unsigned long long)m);
    else if (m)
        snprintf(out, DURATION_STR_MAX, s ? "%s%llum %llus" : "%s%llum", sign,
                 (unsigned long long)m, (unsigned long long)s);
    else
        snprintf(out, DURATION_STR_MAX, "%s%llus", sign, (unsigned long long)s);
    return out;
}

char *time_format_duration_exact(int64_t ms, char out[DURATION_STR_MAX])
{
    if (ms <= 0) {
        snprintf(out, DURATION_STR_MAX, "0s");
        return out;
    }
    /* The largest unit that divides the value exactly: 36h stays "36h", 30 days is "30d". */
    for (size_t i = sizeof(units) / sizeof(units[0]); i-- > 0;) {
        if (units[i].ms == 7 * MS_PER_DAY)
            continue; /* days read better than weeks in settings */
        if (ms % units[i].ms == 0) {
            snprintf(out, DURATION_STR_MAX, "%lld%s", (long long)(ms / units[i].ms),
                     units[i].name);
            break;
        }
    }
    return out;
}

int time_parse_tz_offset(const char *s, int *ret_minutes, struct err *e)
{
    if (!strcmp(s, "UTC") || !strcmp(s, "utc") || !strcmp(s, "Z") || !strcmp(s, "z")) {
        *ret_minutes = 0;
        return ERR_OK;
    }
    int sign = s[0] == '+' ? 1 : s[0] == '-' ? -1 : 0;
    const char *p = s + 1;
    int digits[4], n = 0;
    for (; sign && *p && n < 4; p++) {
        if (*p == ':' && n == 2)
            continue;
        if (*p < '0' || *p > '9')
            break;
        digits[n++] = *p - '0';
    }
    int h = n == 1 ? digits[0] : n >= 2 ? digits[0] * 10 + digits[1] : -1;
    int m = n == 4 ? digits[2] * 10 + digits[3] : 0;
    if (!sign || *p || (n != 1 && n != 2 && n != 4) || h > 14 || m > 59 || (h == 14 && m))
        return err_set(e, ERR_INVALID, "'%.40s' is not a UTC offset (UTC, +02:00, -0530)", s);
    *ret_minutes = sign * (h * 60 + m);
    return ERR_OK;
}
