/* fuzz_logs.c: libFuzzer target for the JSON Lines log reader (format/log_reader.h).
 *
 * The input is the file, read through fmemopen. Every record is pulled until the end, going
 * on after ERR_INVALID.
 *
 * Properties checked (abort() on failure):
 *   - next returns only 1, 0 or ERR_INVALID, and a refusal carries a message and the line
 *     number the reader reports, between 1 and the number of lines in the input;
 *   - line numbers only grow, so every call makes progress;
 *   - a record has a message, a time within TIME_MIN_MS..TIME_MAX_MS, a level without
 *     uppercase ASCII, and optional fields that are either NULL or non-empty. */
#define _POSIX_C_SOURCE 200809L
#include "core/timefmt.h"
#include "format/log_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_logs: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
    if (!f)
        return 0;
    struct log_reader r;
    struct err e = ERR_INIT;
    if (log_reader_open(&r, f, &e) != ERR_OK)
        fail("open failed");
    unsigned last = 0;
    for (;;) {
        struct log_record l;
        e = (struct err)ERR_INIT;
        int rc = log_reader_next(&r, &l, &e);
        if (rc == 0)
            break;
        unsigned line = log_reader_line(&r);
        if (line <= last || line > lines)
            fail("line numbers must grow and stay within the input");
        last = line;
        if (rc == ERR_INVALID) {
            if (!e.msg[0] || e.line != line)
                fail("a refusal without a message or with the wrong line");
            continue;
        }
        if (rc != 1)
            fail("unexpected return code");
        if (!l.message)
            fail("a record without a message");
        if (l.ts_ms < TIME_MIN_MS || l.ts_ms > TIME_MAX_MS)
            fail("a record with a time out of range");
        if (l.level) {
            if (!l.level[0])
                fail("an empty level instead of NULL");
            for (const char *p = l.level; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    fail("a level with uppercase letters");
        }
        if ((l.service && !l.service[0]) || (l.trace_id && !l.trace_id[0]))
            fail("an empty optional field instead of NULL");
    }
    log_reader_release(&r);
    fclose(f);
    return 0;
}
