/* fuzz_changes.c: libFuzzer target for the change reader (format/change_reader.h).
 *
 * The first byte picks the format (even: JSON Lines, odd: CSV; the digits '0' and '1' do just
 * that); the rest is the file, read through fmemopen. Every record is pulled until the end,
 * going on after ERR_INVALID.
 *
 * Properties checked (abort() on failure):
 *   - open and next return only the documented codes, and a refusal carries a message and a
 *     line of at least 1;
 *   - every call makes progress: at most (input size + 1) calls;
 *   - a record has a non-empty id, a kind from the four allowed, a time within
 *     TIME_MIN_MS..TIME_MAX_MS, optional fields either NULL or non-empty, and a segment that
 *     change_segment_check accepts. */
#define _POSIX_C_SOURCE 200809L
#include "core/timefmt.h"
#include "format/change_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_changes: %s\n", what);
    abort();
}

static bool empty(const char *s)
{
    return s && !s[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    enum change_format fmt = data[0] % 2 ? CF_CSV : CF_JSONL;
    data++, size--;
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
    if (!f)
        return 0;
    struct change_reader r;
    struct err e = ERR_INIT;
    int rc = change_reader_open(&r, f, fmt, &e);
    if (rc < 0) {
        if (rc != ERR_INVALID || !e.msg[0] || e.line < 1)
            fail("open failed without a message or a line");
        change_reader_release(&r);
        fclose(f);
        return 0;
    }
    for (size_t calls = 0;; calls++) {
        if (calls > size + 2)
            fail("no progress: more calls than input bytes");
        struct change_record c;
        e = (struct err)ERR_INIT;
        rc = change_reader_next(&r, &c, &e);
        if (rc == 0)
            break;
        if (rc == ERR_INVALID) {
            if (!e.msg[0] || e.line < 1 || e.line != change_reader_line(&r))
                fail("a refusal without a message or with the wrong line");
            continue;
        }
        if (rc != 1)
            fail("unexpected return code");
        if (!c.id || !c.id[0])
            fail("a record without an id");
        if (!c.kind || (strcmp(c.kind, "deploy") && strcmp(c.kind, "flag") &&
                        strcmp(c.kind, "config") && strcmp(c.kind, "incident-response")))
            fail("a record with a kind outside the four");
        if (c.ts_ms < TIME_MIN_MS || c.ts_ms > TIME_MAX_MS)
            fail("a record with a time out of range");
        if (empty(c.service) || empty(c.version) || empty(c.description) || empty(c.segment))
            fail("an empty optional field instead of NULL");
        if (c.segment && change_segment_check("segment", c.segment, NULL) != ERR_OK)
            fail("a record with a bad segment");
    }
    change_reader_release(&r);
    fclose(f);
    return 0;
}
