/* test_event_chunk.c: event column chunks: building from records, the time sort with its
 * permutation of every column, column types (and a number column turning into text), absent
 * values, reserved names, dictionary code widths, and decoding refusing damaged blobs. */
#include "core/timefmt.h"
#include "store/event_chunk.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

/* ---- building records ---- */

static struct event_prop num_prop(const char *name, double v, const char *text)
{
    return (struct event_prop){name, strlen(name), true, v, text, strlen(text)};
}

static struct event_prop str_prop(const char *name, const char *v)
{
    return (struct event_prop){name, strlen(name), false, 0, v, strlen(v)};
}

static struct event_record record(int64_t ts, const char *event, const char *id,
                                  const struct event_prop *props, size_t n_props)
{
    return (struct event_record){ts, event, strlen(event), id, id ? strlen(id) : 0, props, n_props};
}

/* ---- reading a chunk back ---- */

static const struct encoded_col *find_col(const struct encoded_chunk *c, const char *name)
{
    for (size_t i = 0; i < c->n_cols; i++)
        if (strcmp(c->cols[i].name, name) == 0)
            return &c->cols[i];
    return NULL;
}

/* Decodes column name of c into *out, checking its type and row count. */
static void decode(const struct encoded_chunk *c, const char *name, enum col_type type,
                   struct col_data *out)
{
    const struct encoded_col *col = find_col(c, name);
    cr_assert_not_null(col, "no column '%s'", name);
    cr_assert_eq(col->type, type, "column '%s': type %d, expected %d", name, col->type, type);
    struct err e = ERR_INIT;
    int rc = event_col_decode(col->blob, col->len, out, &e);
    cr_assert_eq(rc, ERR_OK, "column '%s': %s", name, e.msg);
    cr_assert_eq(out->type, type);
    cr_assert_eq(out->n, c->rows, "column '%s': %zu rows, expected %zu", name, out->n, c->rows);
}

/* Checks a string column at row: want NULL means absent (code 0). */
static void expect_str(const struct col_data *d, size_t row, const char *want)
{
    uint32_t code = d->codes[row];
    if (!want) {
        cr_assert_eq(code, 0, "row %zu: expected absent, got code %u", row, code);
        return;
    }
    cr_assert(code >= 1 && code <= d->n_dict, "row %zu: code %u outside 1..%u", row, code,
              d->n_dict);
    size_t len;
    const char *s = col_dict_str(d, code, &len);
    cr_assert(len == strlen(want) && memcmp(s, want, len) == 0, "row %zu: '%.*s', expected '%s'",
              row, (int)len, s, want);
}

static void expect_num(const struct col_data *d, size_t row, double want)
{
    if (isnan(want))
        cr_assert(isnan(d->nums[row]), "row %zu: expected absent, got %g", row, d->nums[row]);
    else
        cr_assert_eq(d->nums[row], want, "row %zu: %g, expected %g", row, d->nums[row], want);
}

static void encode(struct chunk_builder *b, struct encoded_chunk *c)
{
    struct err e = ERR_INIT;
    cr_assert_eq(event_chunk_encode(b, c, &e), ERR_OK, "%s", e.msg);
}

/* ---- tests ---- */

Test(store_chunk, rows_sorted_by_time_with_columns_permuted)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    struct event_prop p0[] = {num_prop("latency_ms", 300, "300"), str_prop("platform", "ios")};
    struct event_prop p1[] = {num_prop("latency_ms", 100, "100"), str_prop("platform", "web")};
    struct event_prop p2[] = {str_prop("platform", "android"), num_prop("latency_ms", 200, "200")};
    struct event_prop p3[] = {num_prop("latency_ms", 101, "101")};
    chunk_builder_add(&b, &(struct event_record){0});
    chunk_builder_reset(&b); /* forgets the row above */
    struct event_record r0 = record(T0 + 300, "c", "u0", p0, 2);
    struct event_record r1 = record(T0 + 100, "a", "u1", p1, 2);
    struct event_record r2 = record(T0 + 200, "b", NULL, p2, 2);
    struct event_record r3 = record(T0 + 100, "a2", "u3", p3, 1);
    chunk_builder_add(&b, &r0);
    chunk_builder_add(&b, &r1);
    chunk_builder_add(&b, &r2);
    chunk_builder_add(&b, &r3);
    struct encoded_chunk c;
    encode(&b, &c);
    cr_assert_eq(c.rows, 4);
    cr_assert_eq(c.min_ts, T0 + 100);
    cr_assert_eq(c.max_ts, T0 + 300);
    cr_assert_eq(c.n_cols, 5, "time, event, distinct_id, latency_ms, platform");
    cr_assert_str_eq(c.cols[0].name, EVENT_COL_TIME);
    cr_assert_eq(c.cols[0].type, COL_TIME);

    /* Stable sort: rows 1 and 3 share a time and keep their order. */
    struct col_data ts, ev, id, lat, plat;
    decode(&c, EVENT_COL_TIME, COL_TIME, &ts);
    decode(&c, EVENT_COL_EVENT, COL_STRING, &ev);
    decode(&c, EVENT_COL_DISTINCT_ID, COL_STRING, &id);
    decode(&c, "latency_ms", COL_NUMBER, &lat);
    decode(&c, "platform", COL_STRING, &plat);
    static const int64_t want_ts[] = {T0 + 100, T0 + 100, T0 + 200, T0 + 300};
    static const char *const want_ev[] = {"a", "a2", "b", "c"};
    static const char *const want_id[] = {"u1", "u3", NULL, "u0"};
    static const double want_lat[] = {100, 101, 200, 300};
    static const char *const want_plat[] = {"web", NULL, "android", "ios"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(ts.ts[i], want_ts[i], "row %zu time", i);
        expect_str(&ev, i, want_ev[i]);
        expect_str(&id, i, want_id[i]);
        expect_num(&lat, i, want_lat[i]);
        expect_str(&plat, i, want_plat[i]);
    }
    cr_assert_eq(ev.n_dict, 4);
    cr_assert_eq(plat.n_dict, 3);
    col_data_release(&ts);
    col_data_release(&ev);
    col_data_release(&id);
    col_data_release(&lat);
    col_data_release(&plat);
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
}

Test(store_chunk, already_sorted_and_extreme_times)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    static const int64_t times[] = {TIME_MIN_MS, -1, 0, 0, T0, TIME_MAX_MS};
    for (size_t i = 0; i < ARRAY_SIZE(times); i++) {
        struct event_record r = record(times[i], "e", NULL, NULL, 0);
        chunk_builder_add(&b, &r);
    }
    struct encoded_chunk c;
    encode(&b, &c);
    cr_assert_eq(c.min_ts, TIME_MIN_MS);
    cr_assert_eq(c.max_ts, TIME_MAX_MS);
    cr_assert_eq(c.n_cols, 2, "no distinct_id column when no row has one");
    cr_assert_null(find_col(&c, EVENT_COL_DISTINCT_ID));
    struct col_data ts;
    decode(&c, EVENT_COL_TIME, COL_TIME, &ts);
    for (size_t i = 0; i < ARRAY_SIZE(times); i++)
        cr_assert_eq(ts.ts[i], times[i], "row %zu", i);
    col_data_release(&ts);
    encoded_chunk_release(&c);

    /* The builder can be reused after a reset; an empty builder encodes to nothing. */
    chunk_builder_reset(&b);
    encode(&b, &c);
    cr_assert_eq(c.rows, 0);
    cr_assert_eq(c.n_cols, 0);
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
}

Test(store_chunk, number_column_meeting_text_becomes_text)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    struct event_prop a[] = {num_prop("v", 182, "182")};
    struct event_prop bb[] = {num_prop("v", 42.1, "42.1")};
    struct event_prop d[] = {num_prop("v", 1e20, "1e20")};
    struct event_prop s[] = {str_prop("v", "n/a")};
    struct event_prop e2[] = {num_prop("v", 182, "182.0")};
    struct event_record rows[] = {
        record(T0 + 0, "x", NULL, a, 1),  record(T0 + 1, "x", NULL, NULL, 0),
        record(T0 + 2, "x", NULL, bb, 1), record(T0 + 3, "x", NULL, d, 1),
        record(T0 + 4, "x", NULL, s, 1),  record(T0 + 5, "x", NULL, e2, 1),
        record(T0 + 6, "x", NULL, NULL, 0),
    };
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        chunk_builder_add(&b, &rows[i]);
    struct encoded_chunk c;
    encode(&b, &c);
    struct col_data v;
    decode(&c, "v", COL_STRING, &v);
    expect_str(&v, 0, "182");
    expect_str(&v, 1, NULL);
    expect_str(&v, 2, "42.1");
    expect_str(&v, 3, "1e+20");
    expect_str(&v, 4, "n/a");
    expect_str(&v, 5, "182.0"); /* numbers after the switch keep their own text */
    expect_str(&v, 6, NULL);
    cr_assert_eq(v.codes[0] == v.codes[5], false, "'182' and '182.0' are different texts");
    col_data_release(&v);
    encoded_chunk_release(&c);

    /* A text column stays text when numbers follow; the numbers keep their literal text. */
    chunk_builder_reset(&b);
    struct event_prop t1[] = {str_prop("w", "abc")};
    struct event_prop t2[] = {num_prop("w", 7, "7")};
    struct event_record r1 = record(T0, "x", NULL, t1, 1);
    struct event_record r2 = record(T0 + 1, "x", NULL, t2, 1);
    chunk_builder_add(&b, &r1);
    chunk_builder_add(&b, &r2);
    encode(&b, &c);
    decode(&c, "w", COL_STRING, &v);
    expect_str(&v, 0, "abc");
    expect_str(&v, 1, "7");
    col_data_release(&v);
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
}

Test(store_chunk, properties_in_some_rows_absent_elsewhere)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    struct event_prop only2[] = {str_prop("plan", "pro"), num_prop("n", 5, "5")};
    struct event_prop only4[] = {num_prop("n", -1.5, "-1.5"), str_prop("empty", "")};
    struct event_record rows[] = {
        record(T0, "e", "u", NULL, 0),    record(T0, "e", "u", NULL, 0),
        record(T0, "e", "u", only2, 2),   record(T0, "e", "u", NULL, 0),
        record(T0, "e", "u", only4, 2),   record(T0, "e", "u", NULL, 0),
    };
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        chunk_builder_add(&b, &rows[i]);
    struct encoded_chunk c;
    encode(&b, &c);
    struct col_data plan, n, empty;
    decode(&c, "plan", COL_STRING, &plan);
    decode(&c, "n", COL_NUMBER, &n);
    decode(&c, "empty", COL_STRING, &empty);
    for (size_t i = 0; i < 6; i++) {
        expect_str(&plan, i, i == 2 ? "pro" : NULL);
        expect_num(&n, i, i == 2 ? 5 : i == 4 ? -1.5 : NAN);
        expect_str(&empty, i, i == 4 ? "" : NULL); /* an empty text is a value, not absent */
    }
    col_data_release(&plan);
    col_data_release(&n);
    col_data_release(&empty);
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
}

Test(store_chunk, reserved_property_names_prefixed)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    struct event_prop p[] = {str_prop("event", "inner"), num_prop("timestamp", 12, "12"),
                             str_prop("distinct_id", "other"), str_prop("events", "plain")};
    struct event_record r = record(T0, "outer", "user", p, 4);
    chunk_builder_add(&b, &r);
    struct encoded_chunk c;
    encode(&b, &c);
    cr_assert_eq(c.n_cols, 7);
    struct col_data ev, pev, pts, pid, evs;
    decode(&c, "event", COL_STRING, &ev);
    decode(&c, "properties.event", COL_STRING, &pev);
    decode(&c, "properties.timestamp", COL_NUMBER, &pts);
    decode(&c, "properties.distinct_id", COL_STRING, &pid);
    decode(&c, "events", COL_STRING, &evs);
    expect_str(&ev, 0, "outer");
    expect_str(&pev, 0, "inner");
    expect_num(&pts, 0, 12);
    expect_str(&pid, 0, "other");
    expect_str(&evs, 0, "plain");
    struct col_data id;
    decode(&c, "distinct_id", COL_STRING, &id);
    expect_str(&id, 0, "user");
    col_data_release(&id);
    col_data_release(&ev);
    col_data_release(&pev);
    col_data_release(&pts);
    col_data_release(&pid);
    col_data_release(&evs);
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
}

Test(store_chunk, repeated_property_name_in_one_event)
{
    /* JSON allows a key twice ({"a": 1, "a": 2}) and flattening can produce one name twice
     * ({"d.x": 1, "d": {"x": 2}}): the last value wins and the column stays aligned. 20 rows
     * cross the builder's growth steps, where a second value once wrote past the end. */
    struct chunk_builder b;
    chunk_builder_init(&b);
    char texts[20][16];
    struct event_prop props[20][3];
    for (size_t i = 0; i < 20; i++) {
        snprintf(texts[i], sizeof(texts[i]), "v%zu", i);
        props[i][0] = num_prop("a", (double)i, "i");
        props[i][1] = str_prop("s", "first");
        props[i][2] = i % 2 ? num_prop("a", (double)(100 + i), "x") : str_prop("s", texts[i]);
        struct event_record r = record(T0 + (int64_t)i, "e", NULL, props[i], 3);
        chunk_builder_add(&b, &r);
    }
    struct encoded_chunk c;
    encode(&b, &c);
    struct col_data a, s;
    decode(&c, "a", COL_NUMBER, &a);
    decode(&c, "s", COL_STRING, &s);
    for (size_t i = 0; i < 20; i++) {
        expect_num(&a, i, i % 2 ? (double)(100 + i) : (double)i);
        expect_str(&s, i, i % 2 ? "first" : texts[i]);
    }
    col_data_release(&a);
    col_data_release(&s);
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
}

/* A chunk of rows events whose names are n distinct values (cycled). */
static void chunk_with_dict(size_t rows, size_t n, struct encoded_chunk *c)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    char name[32];
    for (size_t i = 0; i < rows; i++) {
        snprintf(name, sizeof(name), "ev%zu", i % n);
        struct event_record r = record(T0 + (int64_t)(rows - i), name, NULL, NULL, 0);
        chunk_builder_add(&b, &r);
    }
    encode(&b, c);
    chunk_builder_release(&b);
}

/* Checks the code width of a dictionary of n entries (width 0: any width that holds n). */
static void check_dict_width(size_t rows, size_t n, unsigned width)
{
    struct encoded_chunk c;
    chunk_with_dict(rows, n, &c);
    const struct encoded_col *col = find_col(&c, EVENT_COL_EVENT);
    cr_assert_not_null(col);
    unsigned got = col->blob[2];
    if (width)
        cr_assert_eq(got, width, "%zu entries: width %u, expected %u", n, got, width);
    cr_assert(got == 1 || got == 2 || got == 4, "width %u", got);
    cr_assert(got == 4 || n < ((size_t)1 << (8 * got)), "%zu entries in %u bytes", n, got);
    struct col_data d;
    decode(&c, EVENT_COL_EVENT, COL_STRING, &d);
    cr_assert_eq(d.n_dict, n);
    char name[32];
    /* Rows were added in decreasing time: row i of the chunk is added row rows-1-i. */
    for (size_t i = 0; i < rows; i++) {
        snprintf(name, sizeof(name), "ev%zu", (rows - 1 - i) % n);
        expect_str(&d, i, name);
    }
    col_data_release(&d);
    encoded_chunk_release(&c);
}

Test(store_chunk, dictionary_code_widths)
{
    check_dict_width(600, 1, 1);
    check_dict_width(600, 200, 1);
    check_dict_width(600, 255, 0);
    check_dict_width(600, 256, 2);
    check_dict_width(600, 300, 2);
    check_dict_width(65000, 65000, 2);
    check_dict_width(CHUNK_ROWS, 65535, 0);
    check_dict_width(CHUNK_ROWS, CHUNK_ROWS, 4);
}

/* ---- damaged blobs ---- */

static unsigned char *blob_of(enum col_type type, unsigned width, uint32_t rows, const void *raw,
                              size_t raw_len, size_t *ret_len)
{
    size_t bound = ZSTD_compressBound(raw_len);
    unsigned char *b = malloc(12 + bound);
    cr_assert_not_null(b);
    size_t z = ZSTD_compress(b + 12, bound, raw, raw_len, 1);
    cr_assert(!ZSTD_isError(z));
    b[0] = 1;
    b[1] = (unsigned char)type;
    b[2] = (unsigned char)width;
    b[3] = 0;
    for (int i = 0; i < 4; i++) {
        b[4 + i] = (unsigned char)(rows >> (8 * i));
        b[8 + i] = (unsigned char)((uint32_t)raw_len >> (8 * i));
    }
    *ret_len = 12 + z;
    return b;
}

static void expect_damaged(const void *blob, size_t len, const char *why)
{
    struct col_data d;
    struct err e = ERR_INIT;
    int rc = event_col_decode(blob, len, &d, &e);
    cr_assert_eq(rc, ERR_STORE, "expected ERR_STORE ('%s'), got %d", why, rc);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
    cr_assert_null(d.mem, "nothing is handed out on failure");
    cr_assert_null(d.codes);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The raw bytes of a string column: offs (n + 1 of them), the bytes, then 1-byte codes. */
static size_t string_raw(unsigned char *raw, uint32_t n, const uint32_t *offs, const char *bytes,
                         size_t bytes_len, const unsigned char *codes, size_t rows)
{
    put32(raw, n);
    for (uint32_t k = 0; k <= n; k++)
        put32(raw + 4 + 4 * k, offs[k]);
    size_t at = 4 + 4 * ((size_t)n + 1);
    memcpy(raw + at, bytes, bytes_len);
    memcpy(raw + at + bytes_len, codes, rows);
    return at + bytes_len + rows;
}

Test(store_chunk, handmade_string_blob_decodes)
{
    unsigned char raw[128];
    static const uint32_t offs[] = {0, 3, 6};
    static const unsigned char codes[] = {1, 0, 2, 2};
    size_t raw_len = string_raw(raw, 2, offs, "iosweb", 6, codes, 4);
    size_t len;
    unsigned char *blob = blob_of(COL_STRING, 1, 4, raw, raw_len, &len);
    struct col_data d;
    struct err e = ERR_INIT;
    cr_assert_eq(event_col_decode(blob, len, &d, &e), ERR_OK, "%s", e.msg);
    expect_str(&d, 0, "ios");
    expect_str(&d, 1, NULL);
    expect_str(&d, 2, "web");
    expect_str(&d, 3, "web");
    col_data_release(&d);
    free(blob);
}

Test(store_chunk, damaged_string_blobs_refused)
{
    unsigned char raw[128];
    size_t len, raw_len;
    unsigned char *blob;
    static const unsigned char codes[] = {1, 0, 2, 2};

    static const uint32_t disorder[] = {0, 3, 2};
    raw_len = string_raw(raw, 2, disorder, "abc", 2, codes, 4);
    blob = blob_of(COL_STRING, 1, 4, raw, raw_len, &len);
    expect_damaged(blob, len, "dictionary offsets");
    free(blob);

    static const uint32_t disorder2[] = {0, 2, 1, 3};
    raw_len = string_raw(raw, 3, disorder2, "abc", 3, codes, 4);
    blob = blob_of(COL_STRING, 1, 4, raw, raw_len, &len);
    expect_damaged(blob, len, "dictionary offsets");
    free(blob);

    static const uint32_t first_not_zero[] = {1, 2, 3};
    raw_len = string_raw(raw, 2, first_not_zero, "abc", 3, codes, 4);
    blob = blob_of(COL_STRING, 1, 4, raw, raw_len, &len);
    struct col_data d;
    struct err e = ERR_INIT;
    /* Offsets are relative to the dictionary bytes: a first offset above 0 only skips bytes,
     * which is not a safety problem; whatever the answer, nothing may be read out of range. */
    if (event_col_decode(blob, len, &d, &e) == ERR_OK)
        col_data_release(&d);
    free(blob);

    static const uint32_t offs[] = {0, 1, 3};
    static const unsigned char beyond[] = {1, 3, 2, 0};
    raw_len = string_raw(raw, 2, offs, "abc", 3, beyond, 4);
    blob = blob_of(COL_STRING, 1, 4, raw, raw_len, &len);
    expect_damaged(blob, len, "code out of range");
    free(blob);

    /* Wider codes: code 0x0100 with a two-entry dictionary. */
    unsigned char wide[] = {1, 0, 0, 1, 2, 0, 0, 0};
    raw_len = string_raw(raw, 2, offs, "abc", 3, wide, 8);
    blob = blob_of(COL_STRING, 2, 4, raw, raw_len, &len);
    expect_damaged(blob, len, "code out of range");
    free(blob);

    /* The rows in the header disagree with the codes present. */
    raw_len = string_raw(raw, 2, offs, "abc", 3, codes, 4);
    blob = blob_of(COL_STRING, 1, 5, raw, raw_len, &len);
    expect_damaged(blob, len, "string column length");
    free(blob);

    /* A dictionary size larger than the payload. */
    raw_len = string_raw(raw, 2, offs, "abc", 3, codes, 4);
    put32(raw, 1000000);
    blob = blob_of(COL_STRING, 1, 4, raw, raw_len, &len);
    expect_damaged(blob, len, "dictionary size");
    free(blob);

    /* Too short for a dictionary at all. */
    blob = blob_of(COL_STRING, 1, 0, raw, 4, &len);
    expect_damaged(blob, len, "short dictionary");
    free(blob);

    /* A code width that is not 1, 2 or 4. */
    raw_len = string_raw(raw, 2, offs, "abc", 3, codes, 4);
    blob = blob_of(COL_STRING, 3, 4, raw, raw_len, &len);
    expect_damaged(blob, len, "sizes");
    free(blob);
}

/* A real chunk's blob for column name (a copy, to damage). */
static unsigned char *real_blob(const char *name, size_t *ret_len)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    char v[32];
    for (int i = 0; i < 50; i++) {
        snprintf(v, sizeof(v), "value-%d", i % 7);
        struct event_prop p[] = {str_prop("s", v), num_prop("n", i * 1.5, "x")};
        struct event_record r = record(T0 + 50 - i, v, "u", p, 2);
        chunk_builder_add(&b, &r);
    }
    struct encoded_chunk c;
    encode(&b, &c);
    const struct encoded_col *col = find_col(&c, name);
    cr_assert_not_null(col);
    unsigned char *copy = malloc(col->len);
    cr_assert_not_null(copy);
    memcpy(copy, col->blob, col->len);
    *ret_len = col->len;
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
    return copy;
}

Test(store_chunk, damaged_headers_and_frames_refused)
{
    static const char *const names[] = {EVENT_COL_TIME, "s", "n"};
    for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
        size_t len;
        unsigned char *blob = real_blob(names[k], &len);
        struct col_data d;
        struct err e = ERR_INIT;
        cr_assert_eq(event_col_decode(blob, len, &d, &e), ERR_OK, "%s", e.msg);
        col_data_release(&d);

        /* Truncated: inside the header, and inside the frame. */
        for (size_t cut = 0; cut < 12; cut++)
            expect_damaged(blob, cut, "unknown header");
        expect_damaged(blob, len - 1, "compressed data");
        expect_damaged(blob, 13, "compressed data");
        expect_damaged(blob, 12, "compressed data");

        /* Wrong version, unknown type. */
        blob[0] = 2;
        expect_damaged(blob, len, "unknown header");
        blob[0] = 0;
        expect_damaged(blob, len, "unknown header");
        blob[0] = 1;
        unsigned char type = blob[1];
        blob[1] = 3;
        expect_damaged(blob, len, "unknown header");
        blob[1] = type;

        /* The frame's magic number damaged. */
        blob[12] ^= 0x55;
        expect_damaged(blob, len, "compressed data");
        blob[12] ^= 0x55;

        /* A raw length that does not match the frame's content (rows too for fixed widths). */
        uint32_t rows = (uint32_t)blob[4] | (uint32_t)blob[5] << 8;
        blob[8] ^= 8;
        expect_damaged(blob, len, type == COL_STRING ? "compressed data" : "sizes");
        blob[8] ^= 8;
        if (type != COL_STRING) {
            put32(blob + 4, rows + 1);
            put32(blob + 8, (rows + 1) * 8);
            expect_damaged(blob, len, "compressed data");
            put32(blob + 4, rows);
            put32(blob + 8, rows * 8);
        }
        /* A header claiming about 4 GiB from a few bytes is refused before allocating it. */
        uint32_t raw_len = (uint32_t)blob[8] | (uint32_t)blob[9] << 8 | (uint32_t)blob[10] << 16;
        put32(blob + 4, type == COL_STRING ? rows : 0x1fffffff);
        put32(blob + 8, type == COL_STRING ? 0xfffffff0u : 0xfffffff8u);
        expect_damaged(blob, len, "sizes");
        put32(blob + 4, rows);
        put32(blob + 8, raw_len);
        cr_assert_eq(event_col_decode(blob, len, &d, &e), ERR_OK, "restored: %s", e.msg);
        col_data_release(&d);

        /* Every single damaged bit: an error or a well-formed column, never a crash. */
        for (size_t i = 0; i < len; i++) {
            for (unsigned flip = 1; flip < 256; flip <<= 1) {
                blob[i] ^= (unsigned char)flip;
                e = (struct err)ERR_INIT;
                int rc = event_col_decode(blob, len, &d, &e);
                if (rc == ERR_OK) {
                    if (d.type == COL_STRING)
                        for (size_t r = 0; r < d.n; r++)
                            cr_assert(d.codes[r] <= d.n_dict);
                    col_data_release(&d);
                } else {
                    cr_assert_eq(rc, ERR_STORE);
                    cr_assert(e.msg[0]);
                }
                blob[i] ^= (unsigned char)flip;
            }
        }
        free(blob);
    }
}
