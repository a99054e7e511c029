/* fuzz_duration.c: libFuzzer target for time_parse_duration.
 *
 * Properties checked on every input the parser accepts:
 *   - the value is not negative;
 *   - time_format_duration_exact of it parses back to the same value;
 *   - time_format_duration stays within its fixed DURATION_STR_MAX buffer (the buffer is
 *     heap-allocated at exactly that size, so AddressSanitizer reports any overflow) and is
 *     NUL-terminated. */
#include "core/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_MAX 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_MAX)
        return 0;
    char s[INPUT_MAX + 1];
    memcpy(s, data, size);
    s[size] = '\0';

    struct err e = ERR_INIT;
    int64_t ms;
    if (time_parse_duration(s, &ms, &e) != ERR_OK)
        return 0;
    if (ms < 0) {
        fprintf(stderr, "fuzz_duration: '%s' parsed to negative %lld\n", s, (long long)ms);
        abort();
    }

    /* Exactly DURATION_STR_MAX bytes on the heap: one byte past is an ASan report. */
    char *out = malloc(DURATION_STR_MAX);
    if (!out)
        abort();

    time_format_duration_exact(ms, out);
    if (!memchr(out, '\0', DURATION_STR_MAX)) {
        fprintf(stderr, "fuzz_duration: exact form of %lld is not terminated\n", (long long)ms);
        abort();
    }
    struct err e2 = ERR_INIT;
    int64_t back;
    if (time_parse_duration(out, &back, &e2) != ERR_OK) {
        fprintf(stderr, "fuzz_duration: '%s' -> %lld -> '%s' does not parse back: %s\n", s,
                (long long)ms, out, e2.msg);
        abort();
    }
    if (back != ms) {
        fprintf(stderr, "fuzz_duration: '%s' -> %lld -> '%s' -> %lld\n", s, (long long)ms, out,
                (long long)back);
        abort();
    }

    time_format_duration(ms, out);
    if (!memchr(out, '\0', DURATION_STR_MAX)) {
        fprintf(stderr, "fuzz_duration: short form of %lld is not terminated\n", (long long)ms);
        abort();
    }
    free(out);
    return 0;
}
