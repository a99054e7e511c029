/* event_chunk.h: product events as compressed column chunks.
 *
 * Events are stored in chunks of up to CHUNK_ROWS rows, sorted by time inside the chunk. Each
 * chunk keeps one blob per column: the time column (delta-encoded), and for every other column
 * (event, distinct_id, each property) either a string column (a chunk-local dictionary and one
 * code per row, 0 meaning absent) or a number column (doubles, NaN meaning absent). Blobs are
 * compressed with zstd. A query reads only the chunks overlapping its window and only the
 * columns it names, which is what makes scans of millions of events fast (docs/store.md has
 * the measurements and the byte layout).
 *
 * The builder collects rows in memory; event_chunk_encode turns it into blobs. */
#ifndef STORE_EVENT_CHUNK_H
#define STORE_EVENT_CHUNK_H

#include "core/common.h"
#include "core/err.h"
#include "core/strdict.h"
#include "model/event.h"

#define CHUNK_ROWS 65536

enum col_type { COL_TIME = 0, COL_STRING = 1, COL_NUMBER = 2 };

struct col_builder {
    char *name;
    size_t name_len;
    enum col_type type;
    size_t n; /* rows filled so far (padded with "absent" up to the row being added) */
    size_t cap;
    uint32_t *codes; /* COL_STRING */
    struct strdict dict;
    double *nums; /* COL_NUMBER */
};

struct chunk_builder {
    int64_t *ts;
    size_t n, cap;
    struct col_builder *cols;
    size_t n_cols, cap_cols;
    size_t *hint; /* property position -> column index of the previous row */
    size_t cap_hint;
};

void chunk_builder_init(struct chunk_builder *b);
void chunk_builder_release(struct chunk_builder *b);
/* Empties the builder for the next chunk (columns are forgotten too). */
void chunk_builder_reset(struct chunk_builder *b);
/* Adds one event; its strings are copied. */
void chunk_builder_add(struct chunk_builder *b, const struct event_record *rec);

/* One encoded column, ready to store. */
struct encoded_col {
    char *name; /* owned: the chunk outlives the builder when another thread stores it */
    enum col_type type;
    unsigned char *blob; /* owned */
    size_t len;
    size_t raw_len;      /* before compression */
};

struct encoded_chunk {
    int64_t min_ts, max_ts;
    size_t rows;
    struct encoded_col *cols; /* cols[0] is the time column */
    size_t n_cols;
};

/* Sorts the builder's rows by time and encodes every column. */
int event_chunk_encode(struct chunk_builder *b, struct encoded_chunk *ret, struct err *e);
void encoded_chunk_release(struct encoded_chunk *c);

/* A decoded column, as queries read it. */
struct col_data {
    enum col_type type;
    size_t n;
    int64_t *ts;     /* COL_TIME */
    double *nums;    /* COL_NUMBER */
    uint32_t *codes; /* COL_STRING: 0 absent, else 1..n_dict */
    uint32_t n_dict;
    const uint32_t *dict_off; /* n_dict + 1 offsets into dict_bytes */
    const char *dict_bytes;
    void *mem; /* owns everything above */
};

/* Decodes a blob. ERR_STORE when it is damaged. */
int event_col_decode(const void *blob, size_t len, struct col_data *ret, struct err *e);
void col_data_release(struct col_data *c);

static inline const char *col_dict_str(const struct col_data *c, uint32_t code, size_t *ret_len)
{
    *ret_len = c->dict_off[code] - c->dict_off[code - 1];
    return c->dict_bytes + c->dict_off[code - 1];
}

#endif
