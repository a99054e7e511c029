/* fuzz_metrics.c: libFuzzer target for the metric reader (format/metric_reader.h).
 *
 * The first byte picks the format (its value modulo 3: 0 Prometheus JSON, 1 long CSV, 2 wide
 * CSV; the digits '0', '1' and '2' do just that); the rest is the file, read through fmemopen.
 * Every point is pulled until the end, going on after ERR_INVALID.
 *
 * Properties checked (abort() on failure):
 *   - open and next return only the documented codes, and a refusal carries a message (and,
 *     for CSV rows, a line of at least 1);
 *   - every call makes progress: for CSV at most (input size + 1) calls;
 *   - a point has a non-empty name, a finite value and a time within TIME_MIN_MS..TIME_MAX_MS;
 *   - its labels are canonical: "k=v" pairs split at unescaped commas, keys non-empty, valid
 *     and strictly increasing, values non-empty, escapes only before ',' and a backslash. */
#define _POSIX_C_SOURCE 200809L
#include "core/timefmt.h"
#include "format/metric_reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const struct metric_point *p)
{
    fprintf(stderr, "fuzz_metrics: %s", what);
    if (p)
        fprintf(stderr, " (name '%s', labels '%s')", p->name, p->labels);
    fputc('\n', stderr);
    abort();
}

static void check_labels(const struct metric_point *p)
{
    const char *s = p->labels, *prev = NULL;
    size_t prev_len = 0;
    while (*s) {
        const char *k = s;
        while (*s && *s != '=') {
            unsigned char c = (unsigned char)*s;
            if (c <= ' ' || c == 0x7f || c == ',' || c == '\\')
                fail("a label key holds a forbidden byte", p);
            s++;
        }
        if (*s != '=' || s == k)
            fail("a label without key=value", p);
        size_t klen = (size_t)(s - k);
        if (prev) {
            int c = memcmp(prev, k, prev_len < klen ? prev_len : klen);
            if (c > 0 || (c == 0 && prev_len >= klen))
                fail("label keys not strictly increasing", p);
        }
        prev = k;
        prev_len = klen;
        s++;
        const char *v = s;
        while (*s && *s != ',') {
            if (*s == '\\') {
                if (s[1] != ',' && s[1] != '\\')
                    fail("a backslash escapes something else", p);
                s++;
            }
            s++;
        }
        if (s == v)
            fail("an empty label value", p);
        if (*s == ',') {
            s++;
            if (!*s)
                fail("a trailing comma in labels", p);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    enum metric_format fmt = (enum metric_format)(data[0] % 3);
    data++, size--;
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
    if (!f)
        return 0;
    struct metric_reader r;
    struct err e = ERR_INIT;
    int rc = metric_reader_open(&r, f, fmt, &e);
    if (rc < 0) {
        if (rc != ERR_INVALID || !e.msg[0])
            fail("open failed without a message or with a strange code", NULL);
        metric_reader_release(&r);
        fclose(f);
        return 0;
    }
    for (size_t calls = 0;; calls++) {
        if (fmt != MF_PROM && calls > size + 2)
            fail("no progress: more calls than input bytes", NULL);
        struct metric_point p;
        e = (struct err)ERR_INIT;
        rc = metric_reader_next(&r, &p, &e);
        if (rc == 0)
            break;
        if (rc == ERR_INVALID) {
            if (!e.msg[0])
                fail("a refusal without a message", NULL);
            if (fmt != MF_PROM && e.line < 1)
                fail("a CSV refusal without a line", NULL);
            if (fmt == MF_PROM && e.line != 0)
                fail("a JSON point refusal with a line", NULL);
            continue;
        }
        if (rc != 1)
            fail("unexpected return code", NULL);
        if (!p.name || !p.name[0] || !p.labels)
            fail("a point without a name or labels", NULL);
        if (!isfinite(p.value))
            fail("a point with a value that is not finite", &p);
        if (p.ts_ms < TIME_MIN_MS || p.ts_ms > TIME_MAX_MS)
            fail("a point with a time out of range", &p);
        check_labels(&p);
    }
    metric_reader_release(&r);
    fclose(f);
    return 0;
}
