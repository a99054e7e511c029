/* strdict.h: interning of byte strings to dense codes 1..n (0 is kept for "missing").
 *
 * Used by the event store's column dictionaries and by queries to number group values. The
 * dictionary owns copies of the strings. Lookups are open addressing on a 64-bit hash
 * (core/hash.h) with the full bytes compared, so distinct strings never share a code. */
#ifndef CORE_STRDICT_H
#define CORE_STRDICT_H

#include "core/common.h"

struct strdict_entry {
    uint64_t hash;
    uint32_t off, len; /* into bytes */
};

struct strdict {
    uint64_t *slots; /* 0 = empty, else code | high 32 bits of the hash (checked first) */
    size_t n_slots;  /* a power of two */
    struct strdict_entry *entries; /* entries[code - 1] */
    size_t n, cap;
    char *bytes;
    size_t bytes_len, bytes_cap;
};

#define STRDICT_INIT {NULL, 0, NULL, 0, 0, NULL, 0, 0}

void strdict_release(struct strdict *d);
/* Empties the dictionary, keeping its memory. */
void strdict_reset(struct strdict *d);
/* The code of s (adding it when new). Codes are 1-based and dense, in order of first sight. */
uint32_t strdict_intern(struct strdict *d, const char *s, size_t len);
/* The code of s, or 0 when it is not in the dictionary. */
uint32_t strdict_find(const struct strdict *d, const char *s, size_t len);
/* The bytes of code (1..n); not NUL-terminated. */
static inline const char *strdict_str(const struct strdict *d, uint32_t code, size_t *ret_len)
{
    *ret_len = d->entries[code - 1].len;
    return d->bytes + d->entries[code - 1].off;
}

#endif
