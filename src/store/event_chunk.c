/* event_chunk.c: building, encoding and decoding event column chunks.
 *
 * Blob layout (little-endian), one per column:
 *   u8 version (1) | u8 type | u8 code width (strings: 1, 2 or 4) | u8 0 |
 *   u32 rows | u32 raw length | zstd frame of the raw bytes
 * Raw bytes: time: rows x i64 (first value absolute, then deltas); number: rows x f64;
 * string: u32 n_dict | (n_dict + 1) x u32 offsets | dictionary bytes | rows x code. */
#include "store/event_chunk.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define BLOB_HEADER 12
#define ZSTD_LEVEL 1 /* measured: level 1 compresses the demo data 9x at ~500 MB/s */

void chunk_builder_init(struct chunk_builder *b)
{
    memset(b, 0, sizeof(*b));
}

static void col_release(struct col_builder *c)
{
    free(c->name);
    free(c->codes);
    free(c->nums);
    strdict_release(&c->dict);
}

void chunk_builder_release(struct chunk_builder *b)
{
    for (size_t i = 0; i < b->n_cols; i++)
        col_release(&b->cols[i]);
    free(b->cols);
    free(b->ts);
    free(b->hint);
    memset(b, 0, sizeof(*b));
}

void chunk_builder_reset(struct chunk_builder *b)
{
    for (size_t i = 0; i < b->n_cols; i++)
        col_release(&b->cols[i]);
    b->n_cols = 0;
    b->n = 0;
}

static struct col_builder *add_col(struct chunk_builder *b, const char *name, size_t len)
{
    xgrow((void **)&b->cols, &b->cap_cols, b->n_cols + 1, sizeof(*b->cols));
    struct col_builder *c = &b->cols[b->n_cols++];
    memset(c, 0, sizeof(*c));
    c->name = xstrndup(name, len);
    c->name_len = len;
    c->type = COL_NUMBER; /* until a string arrives; decided by the first value */
    return c;
}

/* Finds (or creates) the column called name; hint is the column this property position used
 * in the previous row, which is right nearly always since producers keep their key order. */
static size_t find_col(struct chunk_builder *b, size_t hint, const char *name, size_t len)
{
    if (hint < b->n_cols && b->cols[hint].name_len == len &&
        memcmp(b->cols[hint].name, name, len) == 0)
        return hint;
    for (size_t i = 0; i < b->n_cols; i++)
        if (b->cols[i].name_len == len && memcmp(b->cols[i].name, name, len) == 0)
            return i;
    add_col(b, name, len);
    return b->n_cols - 1;
}

/* Pads the column with "absent" up to row (exclusive). */
static void col_pad(struct col_builder *c, size_t row)
{
    if (c->type == COL_STRING) {
        xgrow((void **)&c->codes, &c->cap, row + 1, sizeof(*c->codes));
        while (c->n < row)
            c->codes[c->n++] = 0;
    } else {
        xgrow((void **)&c->nums, &c->cap, row + 1, sizeof(*c->nums));
        while (c->n < row)
            c->nums[c->n++] = NAN;
    }
}

/* A number column that meets a string becomes a string column; its numbers keep the text
 * "%.15g" gives them, which is their original text for the usual values (182, 42.1). */
static void col_to_strings(struct col_builder *c)
{
    uint32_t *codes = xmallocarray(c->cap ? c->cap : 1, sizeof(*codes));
    for (size_t i = 0; i < c->n; i++) {
        if (isnan(c->nums[i])) {
            codes[i] = 0;
        } else {
            char tmp[40];
            int len = snprintf(tmp, sizeof(tmp), "%.15g", c->nums[i]);
            codes[i] = strdict_intern(&c->dict, tmp, (size_t)len);
        }
    }
    free(c->nums);
    c->nums = NULL;
    c->codes = codes;
    c->type = COL_STRING;
}

static void col_put(struct col_builder *c, size_t row, const struct event_prop *p)
{
    if (!c->codes && !c->nums) /* a new column takes the type of its first value */
        c->type = p->is_number ? COL_NUMBER : COL_STRING;
    else if (c->type == COL_NUMBER && !p->is_number)
        col_to_strings(c);
    if (c->n > row) /* a name given twice in one event ({"a": 1, "a": 2}): the last wins */
        c->n = row;
    col_pad(c, row);
    if (c->type == COL_STRING)
        c->codes[c->n++] = strdict_intern(&c->dict, p->str, p->str_len);
    else
        c->nums[c->n++] = p->number;
}

static void put_named(struct chunk_builder *b, size_t pos, const char *name, size_t len,
                      const struct event_prop *p)
{
    if (pos >= b->cap_hint) {
        size_t old = b->cap_hint;
        xgrow((void **)&b->hint, &b->cap_hint, pos + 1, sizeof(*b->hint));
        for (size_t k = old; k < b->cap_hint; k++)
            b->hint[k] = SIZE_MAX;
    }
    size_t i = find_col(b, b->hint[pos], name, len);
    b->hint[pos] = i;
    col_put(&b->cols[i], b->n - 1, p);
}

static bool reserved(const char *name, size_t len)
{
    return (len == 9 && memcmp(name, EVENT_COL_TIME, 9) == 0) ||
           (len == 5 && memcmp(name, EVENT_COL_EVENT, 5) == 0) ||
           (len == 11 && memcmp(name, EVENT_COL_DISTINCT_ID, 11) == 0);
}

void chunk_builder_add(struct chunk_builder *b, const struct event_record *rec)
{
    xgrow((void **)&b->ts, &b->cap, b->n + 1, sizeof(*b->ts));
    b->ts[b->n++] = rec->ts_ms;
    struct event_prop ev = {EVENT_COL_EVENT, 5, false, 0, rec->event, rec->event_len};
    put_named(b, 0, EVENT_COL_EVENT, 5, &ev);
    if (rec->distinct_id) {
        struct event_prop id = {EVENT_COL_DISTINCT_ID, 11, false, 0, rec->distinct_id,
                                rec->distinct_id_len};
        put_named(b, 1, EVENT_COL_DISTINCT_ID, 11, &id);
    }
    for (size_t i = 0; i < rec->n_props; i++) {
        const struct event_prop *p = &rec->props[i];
        if (reserved(p->name, p->name_len)) {
            char tmp[32];
            int len = snprintf(tmp, sizeof(tmp), "properties.%.*s", (int)p->name_len, p->name);
            put_named(b, i + 2, tmp, (size_t)len, p);
        } else {
            put_named(b, i + 2, p->name, p->name_len, p);
        }
    }
}

/* ---- encoding ---- */

static bool sorted(const int64_t *ts, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (ts[i] < ts[i - 1])
            return false;
    return true;
}

static const int64_t *sort_ts;

static int cmp_rows(const void *a, const void *b)
{
    int64_t x = sort_ts[*(const uint32_t *)a], y = sort_ts[*(const uint32_t *)b];
    if (x != y)
        return (x > y) - (x < y);
    return (*(const uint32_t *)a > *(const uint32_t *)b) - (*(const uint32_t *)a <
                                                             *(const uint32_t *)b);
}

/* A stable permutation that sorts rows by time, or NULL when they already are. */
static uint32_t *sort_order(const struct chunk_builder *b)
{
    if (sorted(b->ts, b->n))
        return NULL;
    uint32_t *perm = xmallocarray(b->n, sizeof(*perm));
    for (size_t i = 0; i < b->n; i++)
        perm[i] = (uint32_t)i;
    sort_ts = b->ts; /* qsort has no context argument in C11 */
    qsort(perm, b->n, sizeof(*perm), cmp_rows);
    sort_ts = NULL;
    return perm;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int compress(enum col_type type, unsigned width, size_t rows, const void *raw,
                    size_t raw_len, struct encoded_col *out, struct err *e)
{
    size_t bound = ZSTD_compressBound(raw_len);
    unsigned char *blob = xmalloc(BLOB_HEADER + bound);
    size_t z = ZSTD_compress(blob + BLOB_HEADER, bound, raw, raw_len, ZSTD_LEVEL);
    if (ZSTD_isError(z)) {
        free(blob);
        return err_set(e, ERR_INTERNAL, "compression failed: %s", ZSTD_getErrorName(z));
    }
    blob[0] = 1;
    blob[1] = (unsigned char)type;
    blob[2] = (unsigned char)width;
    blob[3] = 0;
    put_u32(blob + 4, (uint32_t)rows);
    put_u32(blob + 8, (uint32_t)raw_len);
    out->type = type;
    out->blob = blob;
    out->len = BLOB_HEADER + z;
    out->raw_len = raw_len;
    return ERR_OK;
}

static int encode_time(const struct chunk_builder *b, const uint32_t *perm,
                       struct encoded_col *out, struct err *e)
{
    int64_t *raw = xmallocarray(b->n, sizeof(*raw));
    int64_t prev = 0;
    for (size_t i = 0; i < b->n; i++) {
        int64_t v = b->ts[perm ? perm[i] : i];
        raw[i] = i ? v - prev : v;
        prev = v;
    }
    out->name = xstrdup(EVENT_COL_TIME);
    int rc = compress(COL_TIME, 8, b->n, raw, b->n * sizeof(*raw), out, e);
    free(raw);
    return rc;
}

static int encode_numbers(const struct col_builder *c, size_t rows, const uint32_t *perm,
                          struct encoded_col *out, struct err *e)
{
    double *raw = xmallocarray(rows, sizeof(*raw));
    for (size_t i = 0; i < rows; i++)
        raw[i] = c->nums[perm ? perm[i] : i];
    int rc = compress(COL_NUMBER, 8, rows, raw, rows * sizeof(*raw), out, e);
    free(raw);
    return rc;
}

static int encode_strings(const struct col_builder *c, size_t rows, const uint32_t *perm,
                          struct encoded_col *out, struct err *e)
{
    const struct strdict *d = &c->dict;
    unsigned width = d->n < 0xff ? 1 : d->n < 0xffff ? 2 : 4;
    size_t raw_len = 4 + (d->n + 1) * 4 + d->bytes_len + rows * width;
    unsigned char *raw = xmalloc(raw_len);
    unsigned char *p = raw;
    put_u32(p, (uint32_t)d->n);
    p += 4;
    uint32_t off = 0;
    put_u32(p, 0);
    p += 4;
    unsigned char *bytes = raw + 4 + (d->n + 1) * 4;
    for (size_t k = 0; k < d->n; k++) {
        memcpy(bytes + off, d->bytes + d->entries[k].off, d->entries[k].len);
        off += d->entries[k].len;
        put_u32(p, off);
        p += 4;
    }
    p = bytes + off;
    for (size_t i = 0; i < rows; i++) {
        uint32_t code = c->codes[perm ? perm[i] : i];
        for (unsigned k = 0; k < width; k++)
            *p++ = (unsigned char)(code >> (8 * k));
    }
    int rc = compress(COL_STRING, width, rows, raw, raw_len, out, e);
    free(raw);
    return rc;
}

int event_chunk_encode(struct chunk_builder *b, struct encoded_chunk *ret, struct err *e)
{
    memset(ret, 0, sizeof(*ret));
    if (b->n == 0)
        return ERR_OK;
    for (size_t i = 0; i < b->n_cols; i++)
        col_pad(&b->cols[i], b->n);
    uint32_t *perm = sort_order(b);
    ret->rows = b->n;
    ret->min_ts = b->ts[perm ? perm[0] : 0];
    ret->max_ts = b->ts[perm ? perm[b->n - 1] : b->n - 1];
    ret->cols = xcalloc(b->n_cols + 1, sizeof(*ret->cols));
    int rc = encode_time(b, perm, &ret->cols[0], e);
    ret->n_cols = 1;
    for (size_t i = 0; i < b->n_cols && rc == ERR_OK; i++) {
        const struct col_builder *c = &b->cols[i];
        struct encoded_col *out = &ret->cols[ret->n_cols++];
        out->name = xstrdup(c->name);
        rc = c->type == COL_STRING ? encode_strings(c, b->n, perm, out, e)
                                   : encode_numbers(c, b->n, perm, out, e);
    }
    free(perm);
    if (rc < 0)
        encoded_chunk_release(ret);
    return rc;
}

void encoded_chunk_release(struct encoded_chunk *c)
{
    for (size_t i = 0; i < c->n_cols; i++) {
        free(c->cols[i].blob);
        free(c->cols[i].name);
    }
    free(c->cols);
    memset(c, 0, sizeof(*c));
}

/* ---- decoding ---- */

static int damaged(struct err *e, const char *why)
{
    return err_set(e, ERR_STORE, "event column damaged: %s", why);
}

static int decode_strings(struct col_data *c, const unsigned char *raw, size_t raw_len,
                          unsigned width, struct err *e)
{
    if (raw_len < 8)
        return damaged(e, "short dictionary");
    uint32_t n_dict = get_u32(raw);
    if ((size_t)n_dict > (raw_len - 8) / 4)
        return damaged(e, "dictionary size");
    const unsigned char *offs = raw + 4;
    size_t bytes_at = 4 + ((size_t)n_dict + 1) * 4;
    uint32_t total = get_u32(offs + (size_t)n_dict * 4);
    if (bytes_at + total + c->n * width != raw_len)
        return damaged(e, "string column length");
    /* Offsets are copied out to aligned memory and checked to be non-decreasing, so that every
     * dictionary entry lies inside the dictionary bytes. */
    uint32_t *dict_off = xmallocarray((size_t)n_dict + 1, sizeof(*dict_off));
    uint32_t prev = 0;
    for (size_t k = 0; k <= n_dict; k++) {
        dict_off[k] = get_u32(offs + k * 4);
        if (dict_off[k] < prev || dict_off[k] > total) {
            free(dict_off);
            return damaged(e, "dictionary offsets");
        }
        prev = dict_off[k];
    }
    uint32_t *codes = xmallocarray(c->n ? c->n : 1, sizeof(*codes));
    const unsigned char *p = raw + bytes_at + total;
    for (size_t i = 0; i < c->n; i++) {
        uint32_t v = 0;
        for (unsigned k = 0; k < width; k++)
            v |= (uint32_t)p[i * width + k] << (8 * k);
        if (v > n_dict) {
            free(codes);
            free(dict_off);
            return damaged(e, "code out of range");
        }
        codes[i] = v;
    }
    c->codes = codes;
    c->n_dict = n_dict;
    c->dict_off = dict_off;
    c->dict_bytes = (const char *)raw + bytes_at;
    return ERR_OK;
}

int event_col_decode(const void *blob, size_t len, struct col_data *ret, struct err *e)
{
    const unsigned char *b = blob;
    memset(ret, 0, sizeof(*ret));
    if (len < BLOB_HEADER || b[0] != 1 || b[1] > COL_NUMBER)
        return damaged(e, "unknown header");
    size_t rows = get_u32(b + 4), raw_len = get_u32(b + 8);
    unsigned width = b[2];
    enum col_type type = (enum col_type)b[1];
    size_t expect = type == COL_STRING ? 0 : rows * 8;
    if ((type != COL_STRING && raw_len != expect) ||
        (type == COL_STRING && width != 1 && width != 2 && width != 4))
        return damaged(e, "sizes");
    /* A zstd block yields at most ZSTD_BLOCKSIZE_MAX bytes from at least 3 bytes of input, so
     * a damaged raw length cannot make us allocate far more than the frame can hold. */
    if (raw_len / ZSTD_BLOCKSIZE_MAX > (len - BLOB_HEADER) / 3 + 1)
        return damaged(e, "sizes");
    unsigned char *raw = xmalloc(raw_len ? raw_len : 1);
    size_t got = ZSTD_decompress(raw, raw_len, b + BLOB_HEADER, len - BLOB_HEADER);
    if (ZSTD_isError(got) || got != raw_len) {
        free(raw);
        return damaged(e, "compressed data");
    }
    ret->type = type;
    ret->n = rows;
    ret->mem = raw;
    int rc = ERR_OK;
    if (type == COL_TIME) {
        int64_t *ts = (int64_t *)(void *)raw; /* malloc memory is suitably aligned */
        for (size_t i = 1; i < rows; i++) /* unsigned: damaged deltas must not overflow */
            ts[i] = (int64_t)((uint64_t)ts[i] + (uint64_t)ts[i - 1]);
        ret->ts = ts;
    } else if (type == COL_NUMBER) {
        ret->nums = (double *)(void *)raw;
    } else {
        rc = decode_strings(ret, raw, raw_len, width, e);
    }
    if (rc < 0)
        col_data_release(ret);
    return rc;
}

void col_data_release(struct col_data *c)
{
    free(c->mem);
    free(c->codes);
    free((void *)c->dict_off);
    memset(c, 0, sizeof(*c));
}
