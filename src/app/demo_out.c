/* demo_out.c: the demo generator's buffered writer.
 *
 * A large data set is gigabytes of short lines; formatting them with printf and writing them
 * with one stdio call each costs more than simulating them. Lines are assembled in a 1 MiB
 * buffer with hand-written integer and time formatting, and the buffer goes out in one fwrite
 * when full. A timestamp reuses the text of its minute, which the time-ordered files rarely
 * leave. */
#include "app/demo_internal.h"

#include "core/timefmt.h"
#include "core/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX_LEN 17 /* "2026-03-04T12:00:" */

int demo_out_open(struct demo_out *o, const char *path, struct err *e)
{
    memset(o, 0, sizeof(*o));
    o->f = fopen(path, "wb");
    if (!o->f)
        return err_set(e, ERR_IO, "cannot create '%s': %s", path, strerror(errno));
    o->path = xstrdup(path);
    o->buf = xmalloc(DEMO_OUT_CAP);
    o->minute = INT64_MIN;
    return ERR_OK;
}

static void flush(struct demo_out *o)
{
    if (o->len && !o->error && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->error = errno ? errno : EIO;
    o->len = 0;
}

int demo_out_close(struct demo_out *o, struct err *e)
{
    int rc = ERR_OK;
    if (o->f) {
        flush(o);
        if (fclose(o->f) != 0 && !o->error)
            o->error = errno ? errno : EIO;
        if (o->error)
            rc = err_set(e, ERR_IO, "cannot write '%s': %s", o->path, strerror(o->error));
    }
    free(o->buf);
    free(o->path);
    memset(o, 0, sizeof(*o));
    return rc;
}

void demo_out_write_slow(struct demo_out *o, const char *s, size_t n)
{
    flush(o);
    if (n > DEMO_OUT_CAP) { /* never for a line, but stay correct */
        if (!o->error && fwrite(s, 1, n, o->f) != n)
            o->error = errno ? errno : EIO;
        return;
    }
    memcpy(o->buf, s, n);
    o->len = n;
}

void demo_out_str(struct demo_out *o, const char *s)
{
    demo_out_write(o, s, strlen(s));
}

void demo_out_u64(struct demo_out *o, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    demo_out_write(o, tmp + i, sizeof(tmp) - i);
}

/* Writes v as exactly width digits (v < 10^width). */
static void put_digits(struct demo_out *o, uint64_t v, unsigned width)
{
    char tmp[24];
    if (width > sizeof(tmp))
        width = sizeof(tmp);
    for (unsigned i = width; i-- > 0;) {
        tmp[i] = (char)('0' + v % 10);
        v /= 10;
    }
    demo_out_write(o, tmp, width);
}

void demo_out_fixed(struct demo_out *o, double v, unsigned decimals)
{
    static const double pow10[] = {1, 10, 100, 1000, 1e4, 1e5, 1e6};
    if (decimals >= ARRAY_SIZE(pow10))
        decimals = ARRAY_SIZE(pow10) - 1;
    double scaled = round(fabs(v) * pow10[decimals]);
    if (!(scaled < 9e18)) /* NaN or out of range: the generator never makes these */
        scaled = 0;
    uint64_t n = (uint64_t)scaled, unit = (uint64_t)pow10[decimals];
    if (v < 0 && n)
        OUT_LIT(o, "-");
    demo_out_u64(o, n / unit);
    if (decimals) {
        OUT_LIT(o, ".");
        put_digits(o, n % unit, decimals);
    }
}

void demo_out_time(struct demo_out *o, int64_t ms, bool millis)
{
    int64_t minute = demo_floor_div(ms, MS_PER_MINUTE);
    if (minute != o->minute) {
        char text[TIME_STR_MAX];
        time_format_rfc3339(minute * MS_PER_MINUTE, text);
        memcpy(o->prefix, text, PREFIX_LEN);
        o->minute = minute;
    }
    int64_t rest = ms - minute * MS_PER_MINUTE;
    demo_out_write(o, o->prefix, PREFIX_LEN);
    put_digits(o, (uint64_t)(rest / 1000), 2);
    if (millis) {
        OUT_LIT(o, ".");
        put_digits(o, (uint64_t)(rest % 1000), 3);
    }
    OUT_LIT(o, "Z");
}

void demo_out_trace_id(struct demo_out *o, struct rng *r)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[32];
    for (int half = 0; half < 2; half++) {
        uint64_t x = rng_u64(r);
        for (int i = 0; i < 16; i++, x >>= 4)
            tmp[half * 16 + i] = hex[x & 15];
    }
    demo_out_write(o, tmp, sizeof(tmp));
}
