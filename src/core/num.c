/* num.c: strict number parsing over strtoll/strtod. */
#include "core/num.h"

#include "core/err.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int num_parse_i64(const char *s, int64_t *ret_value)
{
    if (!s || !*s)
        return ERR_INVALID;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (*p < '0' || *p > '9')
        return ERR_INVALID; /* rejects " 1", "+", "0x" forms and empty digits */
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return ERR_INVALID;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE)
        return ERR_INVALID;
    *ret_value = (int64_t)v;
    return ERR_OK;
}

int num_parse_i64_range(const char *s, int64_t min, int64_t max, int64_t *ret_value)
{
    int64_t v;
    if (num_parse_i64(s, &v) < 0 || v < min || v > max)
        return ERR_INVALID;
    *ret_value = v;
    return ERR_OK;
}

int num_parse_double(const char *s, double *ret_value)
{
    if (!s || !*s)
        return ERR_INVALID;
    /* Only plain decimal syntax: digits, one dot, optional exponent. strtod alone would also
     * take "inf", "nan", hex floats and leading spaces, and honours the locale's decimal point
     * (we never call setlocale, so it stays '.'). */
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    bool digits = false, dot = false;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p >= '0' && *p <= '9')
            digits = true;
        else if (*p == '.' && !dot)
            dot = true;
        else
            return ERR_INVALID;
    }
    if (!digits)
        return ERR_INVALID;
    if (*p) { /* exponent */
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!*p)
            return ERR_INVALID;
        for (; *p; p++)
            if (*p < '0' || *p > '9')
                return ERR_INVALID;
    }
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE && fabs(v) > 1.0)
        return ERR_INVALID; /* overflow; underflow to 0 is fine */
    if (!isfinite(v))
        return ERR_INVALID;
    *ret_value = v;
    return ERR_OK;
}
