/* timestamp.c: reading the instants of evidence files (RFC 3339 or epoch numbers).
 *
 * Files exported by monitoring and deploy tools write times in whatever form their authors
 * chose; this module turns each into UTC milliseconds with one rule for all readers, so that
 * a metric CSV and a change log written in different forms still line up. Epoch numbers are
 * decoded exactly (integer part and the first fraction digits separately, no floating point),
 * RFC 3339 goes to core/timefmt.h. */
#include "format/timestamp.h"

#include "core/num.h"
#include "core/timefmt.h"

#include <math.h>
#include <string.h>

#define THRESHOLD_I64 INT64_C(100000000000) /* TS_EPOCH_MS_THRESHOLD as an integer */

static int out_of_range(struct err *e, const char *s)
{
    return err_set(e, ERR_INVALID, "invalid time '%s': epoch number out of range (the years "
                   "0000 to 9999)", s);
}

static int in_range(int64_t ms, int64_t *ret_ms)
{
    if (ms < TIME_MIN_MS || ms > TIME_MAX_MS)
        return ERR_INVALID;
    *ret_ms = ms;
    return ERR_OK;
}

int ts_from_epoch_i64(int64_t v, int64_t *ret_ms, struct err *e)
{
    int64_t ms;
    if (v >= THRESHOLD_I64 || v <= -THRESHOLD_I64)
        ms = v;
    else
        ms = v * MS_PER_SECOND;
    if (in_range(ms, ret_ms) < 0)
        return err_set(e, ERR_INVALID, "invalid time %lld: epoch number out of range (the years "
                       "0000 to 9999)", (long long)v);
    return ERR_OK;
}

int ts_from_epoch_double(double v, int64_t *ret_ms, struct err *e)
{
    if (!isfinite(v))
        return err_set(e, ERR_INVALID, "invalid time: epoch number is not finite");
    double ms = fabs(v) >= TS_EPOCH_MS_THRESHOLD ? v : v * 1000.0;
    /* Checked as a double first: converting an out-of-range double to int64 is undefined. */
    if (ms < (double)TIME_MIN_MS - 1.0 || ms > (double)TIME_MAX_MS + 1.0)
        return err_set(e, ERR_INVALID, "invalid time %.17g: epoch number out of range (the "
                       "years 0000 to 9999)", v);
    if (in_range((int64_t)llround(ms), ret_ms) < 0)
        return err_set(e, ERR_INVALID, "invalid time %.17g: epoch number out of range (the "
                       "years 0000 to 9999)", v);
    return ERR_OK;
}

/* An optional sign, digits, optionally '.' and digits: the epoch number syntax. */
static bool epoch_syntax(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* Decodes an epoch number s (already checked by epoch_syntax) exactly. */
static int parse_epoch(const char *s, int64_t *ret_ms, struct err *e)
{
    bool neg = s[0] == '-';
    const char *digits = s + (s[0] == '-' || s[0] == '+');
    const char *dot = strchr(digits, '.');
    char whole[TS_TEXT_MAX + 1];
    size_t wlen = dot ? (size_t)(dot - digits) : strlen(digits);
    memcpy(whole, digits, wlen);
    whole[wlen] = '\0';
    int64_t w;
    /* Larger than any instant in range either way; also keeps the arithmetic below exact. */
    if (num_parse_i64_range(whole, 0, TIME_MAX_MS, &w) < 0)
        return out_of_range(e, s);
    bool in_ms = w >= THRESHOLD_I64;
    /* The fraction as 4 digits (padded with zeros): 3 for the milliseconds of a seconds value
     * and 1 to round with, or 1 to round a milliseconds value with. */
    char frac[5] = "0000";
    if (dot)
        for (size_t i = 0; i < 4 && dot[1 + i]; i++)
            frac[i] = dot[1 + i];
    int64_t f;
    if (num_parse_i64(frac, &f) < 0)
        return out_of_range(e, s); /* cannot happen: four digits */
    int64_t mag = in_ms ? w + (f >= 5000) : w * MS_PER_SECOND + f / 10 + (f % 10 >= 5);
    if (in_range(neg ? -mag : mag, ret_ms) < 0)
        return out_of_range(e, s);
    return ERR_OK;
}

/* True when s starts like an RFC 3339 date ("YYYY-"), so its parse error is worth showing. */
static bool looks_like_date(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[4] == '-';
}

static int parse(const char *s, size_t len, bool assume_utc, int64_t *ret_ms, struct err *e)
{
    if (len > TS_TEXT_MAX)
        return err_set(e, ERR_INVALID, "invalid time '%.*s...': too long (more than %d bytes)",
                       24, s, TS_TEXT_MAX);
    if (memchr(s, '\0', len))
        return err_set(e, ERR_INVALID, "invalid time: contains a NUL byte");
    if (len == 0)
        return err_set(e, ERR_INVALID, "invalid time '': empty");
    char copy[TS_TEXT_MAX + 2]; /* room for an appended 'Z' */
    memcpy(copy, s, len);
    copy[len] = '\0';
    if (epoch_syntax(copy))
        return parse_epoch(copy, ret_ms, e);
    if (!looks_like_date(copy))
        return err_set(e, ERR_INVALID, "invalid time '%s': expected RFC 3339 (like "
                       "2026-03-04T12:00:00Z) or epoch seconds or milliseconds", copy);
    int64_t ms;
    struct err first = ERR_INIT;
    int rc = time_parse_rfc3339(copy, &ms, &first);
    if (rc < 0 && assume_utc && len > 10 && copy[len - 1] >= '0' && copy[len - 1] <= '9') {
        /* No offset: try again as UTC, keeping the first error if that fails too. */
        copy[len] = 'Z';
        copy[len + 1] = '\0';
        if (time_parse_rfc3339(copy, &ms, NULL) == ERR_OK)
            rc = ERR_OK;
    }
    if (rc < 0)
        return err_set(e, rc, "%s", first.msg);
    *ret_ms = ms;
    return ERR_OK;
}

int ts_parse_any(const char *s, size_t len, int64_t *ret_ms, struct err *e)
{
    return parse(s, len, false, ret_ms, e);
}

int ts_parse_any_utc(const char *s, size_t len, int64_t *ret_ms, struct err *e)
{
    return parse(s, len, true, ret_ms, e);
}
