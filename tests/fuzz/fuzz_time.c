/* fuzz_time.c: libFuzzer target for time_parse_rfc3339.
 *
 * Properties checked on every input the parser accepts:
 *   - the value lies within TIME_MIN_MS..TIME_MAX_MS;
 *   - time_format_rfc3339 of it parses back, to exactly the same milliseconds.
 * A property failure calls abort(), which libFuzzer reports as a crash. */
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
    if (time_parse_rfc3339(s, &ms, &e) != ERR_OK)
        return 0;
    if (ms < TIME_MIN_MS || ms > TIME_MAX_MS) {
        fprintf(stderr, "fuzz_time: '%s' parsed to %lld, outside the range\n", s, (long long)ms);
        abort();
    }

    char out[TIME_STR_MAX];
    time_format_rfc3339(ms, out);
    struct err e2 = ERR_INIT;
    int64_t back;
    if (time_parse_rfc3339(out, &back, &e2) != ERR_OK) {
        fprintf(stderr, "fuzz_time: '%s' -> %lld -> '%s' does not parse back: %s\n", s,
                (long long)ms, out, e2.msg);
        abort();
    }
    if (back != ms) {
        fprintf(stderr, "fuzz_time: '%s' -> %lld -> '%s' -> %lld\n", s, (long long)ms, out,
                (long long)back);
        abort();
    }
    return 0;
}
