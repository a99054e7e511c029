/* fuzz_series.c: libFuzzer target for the series reader (format/series_reader.h), and the
 * change point detector (analytics/changepoint.h) on whatever the reader accepts.
 *
 * The first byte picks the format (even: CSV, odd: TCPD JSON; the digits '0' and '1' do just
 * that); the rest is the file, read through fmemopen.
 *
 * Properties checked (abort() on failure):
 *   - series_read returns ERR_OK or ERR_INVALID only, and a refusal carries a message and a
 *     line within the input (0 when no line applies);
 *   - an accepted series has n >= 1 and dims >= 1, at most SERIES_MAX_VALUES cells, every
 *     cell finite or NaN, and exactly `missing` NaN cells;
 *   - both methods accept it (ERR_OK) and return change points inside the series, strictly
 *     ascending, at observed rows, with a confidence in [0, 1], and none at all unless the
 *     status is "ok". */
#define _POSIX_C_SOURCE 200809L
#include "analytics/changepoint.h"
#include "format/series_reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_series: %s\n", what);
    abort();
}

static unsigned count_lines(const uint8_t *data, size_t size)
{
    unsigned n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n;
}

static void check_series(const struct num_series *s)
{
    if (s->n < 1 || s->dims < 1 || s->n * s->dims > SERIES_MAX_VALUES)
        fail("a series with no cell or too many");
    size_t nan = 0;
    for (size_t i = 0; i < s->n * s->dims; i++) {
        if (isnan(s->values[i]))
            nan++;
        else if (!isfinite(s->values[i]))
            fail("an infinite value");
    }
    if (nan != s->missing)
        fail("missing does not count the NaN cells");
}

static void check_detect(const struct num_series *s, enum cp_method m)
{
    struct cp_params p;
    cp_params_default(&p, m);
    struct cp_result r;
    struct err e = ERR_INIT;
    if (cp_detect(s->values, s->n, s->dims, &p, &r, &e) != ERR_OK)
        fail("the detector refused a series the reader accepted");
    if (r.status != CP_STATUS_OK && r.n_points)
        fail("change points with a status other than ok");
    for (size_t i = 0; i < r.n_points; i++) {
        const struct cp_point *pt = &r.points[i];
        if (pt->index < 1 || pt->index >= s->n || (i && pt->index <= r.points[i - 1].index))
            fail("a change point out of the series or out of order");
        if (!(pt->confidence >= 0 && pt->confidence <= 1))
            fail("a confidence outside [0, 1]");
        for (size_t d = 0; d < s->dims; d++)
            if (isnan(s->values[d * s->n + pt->index]))
                fail("a change point at a missing row");
    }
    cp_result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum series_format fmt = data[0] % 2 ? SERIES_TCPD : SERIES_CSV;
    data++, size--;
    static char one[1];
    /* fmemopen may refuse a size of 0: an empty file is a one-byte buffer read past. */
    FILE *f = size ? fmemopen((void *)(uintptr_t)data, size, "r") : fmemopen(one, 1, "r");
    if (!f)
        return 0;
    if (size == 0)
        fgetc(f);
    struct num_series s;
    struct err e = ERR_INIT;
    int rc = series_read(f, fmt, &s, &e);
    fclose(f);
    if (rc == ERR_INVALID) {
        if (!e.msg[0] || e.line > count_lines(data, size))
            fail("a refusal without a message or with a line past the input");
        return 0;
    }
    if (rc != ERR_OK)
        fail("unexpected return code");
    check_series(&s);
    check_detect(&s, CP_PELT);
    check_detect(&s, CP_BOCPD);
    num_series_release(&s);
    return 0;
}
