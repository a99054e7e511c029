/* strdict.c: string interning with open addressing. */
#include "core/strdict.h"

#include "core/hash.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void strdict_release(struct strdict *d)
{
    free(d->slots);
    free(d->entries);
    free(d->bytes);
    memset(d, 0, sizeof(*d));
}

void strdict_reset(struct strdict *d)
{
    if (d->slots)
        memset(d->slots, 0, d->n_slots * sizeof(*d->slots));
    d->n = 0;
    d->bytes_len = 0;
}

/* A slot holds the code in its low half and the hash's high half above it, so that a probe
 * rejects most other keys without touching the entry array. */
static uint64_t slot_of(uint64_t h, uint32_t code)
{
    return (h & UINT64_C(0xffffffff00000000)) | code;
}

static void rehash(struct strdict *d, size_t n_slots)
{
    free(d->slots);
    d->slots = xcalloc(n_slots, sizeof(*d->slots));
    d->n_slots = n_slots;
    for (size_t i = 0; i < d->n; i++) {
        size_t at = d->entries[i].hash & (n_slots - 1);
        while (d->slots[at])
            at = (at + 1) & (n_slots - 1);
        d->slots[at] = slot_of(d->entries[i].hash, (uint32_t)(i + 1));
    }
}

static bool same(const struct strdict *d, uint64_t slot, uint64_t h, const char *s, size_t len)
{
    if ((slot ^ h) >> 32)
        return false;
    const struct strdict_entry *en = &d->entries[(uint32_t)slot - 1];
    if (en->hash != h || en->len != len)
        return false;
    const char *b = d->bytes + en->off;
    if (len <= 16 && len >= 8) { /* two overlapping words instead of a call to memcmp */
        uint64_t x1, x2, y1, y2;
        memcpy(&x1, b, 8), memcpy(&x2, b + len - 8, 8);
        memcpy(&y1, s, 8), memcpy(&y2, s + len - 8, 8);
        return x1 == y1 && x2 == y2;
    }
    return memcmp(b, s, len) == 0;
}

uint32_t strdict_find(const struct strdict *d, const char *s, size_t len)
{
    if (!s)
        s = "";
    if (!d->n_slots)
        return 0;
    uint64_t h = hash_bytes(s, len);
    size_t at = h & (d->n_slots - 1);
    for (uint64_t slot; (slot = d->slots[at]) != 0; at = (at + 1) & (d->n_slots - 1))
        if (same(d, slot, h, s, len))
            return (uint32_t)slot;
    return 0;
}

uint32_t strdict_intern(struct strdict *d, const char *s, size_t len)
{
    if (!s)
        s = ""; /* memcpy and hashing of a NULL pointer are undefined even for 0 bytes */
    if ((d->n + 1) * 2 > d->n_slots)
        rehash(d, d->n_slots ? d->n_slots * 2 : 64);
    uint64_t h = hash_bytes(s, len);
    size_t at = h & (d->n_slots - 1);
    for (uint64_t slot; (slot = d->slots[at]) != 0; at = (at + 1) & (d->n_slots - 1))
        if (same(d, slot, h, s, len))
            return (uint32_t)slot;
    xgrow((void **)&d->entries, &d->cap, d->n + 1, sizeof(*d->entries));
    xgrow((void **)&d->bytes, &d->bytes_cap, d->bytes_len + len + 1, 1);
    memcpy(d->bytes + d->bytes_len, s, len);
    d->entries[d->n] = (struct strdict_entry){h, (uint32_t)d->bytes_len, (uint32_t)len};
    d->bytes_len += len;
    d->n++;
    d->slots[at] = slot_of(h, (uint32_t)d->n);
    return (uint32_t)d->n;
}
