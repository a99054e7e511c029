/* fuzz_events.c: libFuzzer target for the JSON Lines event parser (format/event_reader.h) and
 * the event column chunks it feeds (store/event_chunk.h).
 *
 * The input is one line, handed to event_parse_json_line with the scratch space of a reader
 * opened once on an empty stream. An accepted event is then built into a one-row chunk,
 * encoded and decoded again.
 *
 * Properties checked (abort() on failure):
 *   - the parser returns ERR_OK, or ERR_INVALID with a message;
 *   - an accepted event has a non-empty name, a time within TIME_MIN_MS..TIME_MAX_MS, a
 *     distinct_id that is NULL or has its bytes, and properties with non-empty names free of
 *     NUL bytes, and finite numbers;
 *   - the chunk encodes; every column decodes to one row; the time column holds the event's
 *     time, and the event column's value equals the event name byte for byte. */
#define _POSIX_C_SOURCE 200809L
#include "core/timefmt.h"
#include "format/event_reader.h"
#include "store/event_chunk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_events: %s\n", what);
    abort();
}

/* One reader for the whole run: opening allocates a 4 MiB block buffer, too slow per input. */
static struct event_reader *reader(void)
{
    static char empty[1];
    static FILE *f;
    static struct event_reader r;
    if (!f) {
        struct err e = ERR_INIT;
        f = fmemopen(empty, 0, "r");
        if (!f || event_reader_open(&r, f, EF_JSONL, &e) != ERR_OK)
            fail("cannot open a reader on an empty stream");
    }
    return &r;
}

static void check_record(const struct event_record *rec)
{
    if (!rec->event || rec->event_len == 0)
        fail("an event without a name");
    if (rec->ts_ms < TIME_MIN_MS || rec->ts_ms > TIME_MAX_MS)
        fail("an event with a time out of range");
    if (!rec->distinct_id && rec->distinct_id_len)
        fail("a NULL distinct_id with a length");
    for (size_t i = 0; i < rec->n_props; i++) {
        const struct event_prop *p = &rec->props[i];
        if (!p->name || p->name_len == 0)
            fail("a property without a name");
        if (memchr(p->name, '\0', p->name_len))
            fail("a property name with a NUL byte");
        if (!p->str && p->str_len)
            fail("a property value NULL with a length");
        if (p->is_number && !isfinite(p->number))
            fail("a property number that is not finite");
    }
}

static void check_chunk(const struct event_record *rec)
{
    struct chunk_builder b;
    chunk_builder_init(&b);
    chunk_builder_add(&b, rec);
    struct encoded_chunk c;
    struct err e = ERR_INIT;
    if (event_chunk_encode(&b, &c, &e) != ERR_OK)
        fail("encoding failed");
    if (c.rows != 1 || c.min_ts != rec->ts_ms || c.max_ts != rec->ts_ms)
        fail("wrong chunk rows or time range");
    bool saw_event = false;
    for (size_t i = 0; i < c.n_cols; i++) {
        struct col_data d;
        e = (struct err)ERR_INIT;
        if (event_col_decode(c.cols[i].blob, c.cols[i].len, &d, &e) != ERR_OK)
            fail("a column of a fresh chunk does not decode");
        if (d.n != 1 || d.type != c.cols[i].type)
            fail("a decoded column with the wrong rows or type");
        if (d.type == COL_TIME && d.ts[0] != rec->ts_ms)
            fail("the time column differs from the event's time");
        if (strcmp(c.cols[i].name, EVENT_COL_EVENT) == 0) {
            saw_event = true;
            size_t len;
            if (d.type != COL_STRING || d.codes[0] < 1 || d.codes[0] > d.n_dict)
                fail("the event column has no value");
            const char *s = col_dict_str(&d, d.codes[0], &len);
            if (len != rec->event_len || memcmp(s, rec->event, len) != 0)
                fail("the event column differs from the event's name");
        }
        col_data_release(&d);
    }
    if (!saw_event)
        fail("no event column");
    encoded_chunk_release(&c);
    chunk_builder_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct event_reader *r = reader();
    struct event_record rec;
    struct err e = ERR_INIT;
    int rc = event_parse_json_line(r, (const char *)data, size, &rec, &e);
    if (rc == ERR_INVALID) {
        if (!e.msg[0])
            fail("a refusal without a message");
        return 0;
    }
    if (rc != ERR_OK)
        fail("unexpected return code");
    check_record(&rec);
    check_chunk(&rec);
    return 0;
}
