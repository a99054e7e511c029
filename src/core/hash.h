/* hash.h: a fast 64-bit hash for short byte strings (dictionary keys, distinct values).
 *
 * Not cryptographic. Used for hash tables and for uniq() counting, where a collision of two
 * different values would merge them: with 64 bits, the chance among a billion distinct values
 * is about 3e-2 %, which docs/query.md states as uniq's error bound. */
#ifndef CORE_HASH_H
#define CORE_HASH_H

#include "core/common.h"

#include <string.h>

static inline uint64_t hash_mix64(uint64_t x)
{
    x ^= x >> 32;
    x *= UINT64_C(0xd6e8feb86659fd93);
    x ^= x >> 32;
    x *= UINT64_C(0xd6e8feb86659fd93);
    x ^= x >> 32;
    return x;
}

/* Hashes len bytes of data. Short strings (the common case: property values, ids) take one
 * or two unaligned loads and a single mix; longer ones are folded eight bytes at a time. */
static inline uint64_t hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t a = 0, b = 0;
    if (len >= 8) {
        size_t n = len;
        uint64_t acc = UINT64_C(0x9e3779b97f4a7c15);
        while (n > 16) {
            uint64_t w;
            memcpy(&w, p, 8);
            acc = (acc ^ w) * UINT64_C(0xbf58476d1ce4e5b9);
            acc ^= acc >> 29;
            p += 8;
            n -= 8;
        }
        memcpy(&a, p, 8);
        memcpy(&b, p + n - 8, 8); /* overlaps a when n < 16: still a function of the bytes */
        a ^= acc;
    } else if (len >= 4) {
        uint32_t x, y;
        memcpy(&x, p, 4);
        memcpy(&y, p + len - 4, 4);
        a = x;
        b = y;
    } else if (len > 0) {
        a = (uint64_t)p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16;
    }
    return hash_mix64(a * UINT64_C(0x9e3779b97f4a7c15) ^ b ^ ((uint64_t)len << 58) ^ (b >> 7));
}

#endif
