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

/* Hashes len bytes of data, eight at a time. */
static inline uint64_t hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ (len * UINT64_C(0x100000001b3));
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = hash_mix64(h ^ w) + UINT64_C(0x9e3779b97f4a7c15);
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, len);
    return hash_mix64(h ^ tail ^ ((uint64_t)len << 56));
}

#endif
