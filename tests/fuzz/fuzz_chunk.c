/* fuzz_chunk.c: libFuzzer target for decoding event column blobs (store/event_chunk.h).
 *
 * The input is the blob, as a damaged store would hand it over.
 *
 * Properties checked (abort() on failure):
 *   - event_col_decode returns ERR_OK, or ERR_STORE with a message and nothing to free;
 *   - a decoded string column has non-decreasing dictionary offsets and codes within
 *     0..n_dict, and every entry can be read (ASan checks the bytes are in bounds). */
#include "store/event_chunk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_chunk: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct col_data d;
    struct err e = ERR_INIT;
    int rc = event_col_decode(data, size, &d, &e);
    if (rc != ERR_OK) {
        if (rc != ERR_STORE || !e.msg[0])
            fail("a refusal without ERR_STORE or a message");
        if (d.mem || d.codes || d.dict_off)
            fail("memory handed out with a refusal");
        return 0;
    }
    if (d.type == COL_STRING) {
        for (uint32_t k = 1; k <= d.n_dict; k++)
            if (d.dict_off[k] < d.dict_off[k - 1])
                fail("dictionary offsets go backwards");
        volatile unsigned char sink = 0;
        for (uint32_t k = 1; k <= d.n_dict; k++) {
            size_t len;
            const char *s = col_dict_str(&d, k, &len);
            for (size_t i = 0; i < len; i++)
                sink ^= (unsigned char)s[i];
        }
        for (size_t i = 0; i < d.n; i++)
            if (d.codes[i] > d.n_dict)
                fail("a code beyond the dictionary");
        (void)sink;
    } else if (d.type == COL_TIME) {
        if (d.n && !d.ts)
            fail("a time column without values");
    } else if (d.n && !d.nums) {
        fail("a number column without values");
    }
    col_data_release(&d);
    return 0;
}
