/* ingest_events.c: product events into column chunks, using both cores for JSON Lines.
 *
 * A JSON Lines file is cut into byte ranges at line starts; each worker thread parses the lines
 * that start in its range, builds chunks and encodes them; the calling thread, which owns the
 * SQLite connection, stores the encoded chunks as they arrive through a small bounded queue.
 * Chunks of different workers overlap in time, which queries handle (each chunk is sorted).
 *
 * Errors keep their file order: a worker that fails stops the workers after it (their ranges
 * come later in the file) but not the ones before, so the error reported is the first in the
 * file. Line numbers are relative to a worker's range until all workers are done, then made
 * absolute from the line counts of the ranges before. CSV files are read by one thread, since
 * a quoted field may hold a line end and ranges cannot be cut safely. */
#define _POSIX_C_SOURCE 200809L
#include "app/ingest_internal.h"

#include "core/timefmt.h"
#include "core/xalloc.h"
#include "format/event_reader.h"
#include "store/event_chunk.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKERS 2
#define QUEUE_CAP 4
#define PARALLEL_MIN_BYTES ((uint64_t)16 << 20) /* smaller files are not worth a thread */
#define MAX_KEPT_BAD 10000                       /* bad-line reports kept per worker */

struct bad_report {
    uint64_t line; /* relative to the worker's range until made absolute */
    char *msg;
};

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    struct encoded_chunk *items[QUEUE_CAP];
    size_t head, n;
    int producers;
    bool abort; /* the consumer failed: producers stop */
};

struct worker {
    struct run *r;
    struct queue *q;
    int index;
    uint64_t start, end;
    pthread_t thread;
    bool started;
    atomic_bool stop;          /* set by an earlier worker's error, or the consumer */
    atomic_uint_fast64_t done; /* bytes read, for progress */
    uint64_t lines;            /* lines of this range read (after the skipped partial one) */
    bool skipped_partial;
    int64_t rows, bad, min_ts, max_ts;
    struct bad_report *bads;
    size_t n_bads, cap_bads;
    uint64_t bads_dropped;
    int rc;
    uint64_t err_line;
    struct err e;
    struct worker *all;
    int n_all;
};

/* ---- the queue ---- */

static bool queue_push(struct queue *q, struct encoded_chunk *c)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == QUEUE_CAP && !q->abort)
        pthread_cond_wait(&q->changed, &q->mu);
    bool ok = !q->abort;
    if (ok) {
        q->items[(q->head + q->n) % QUEUE_CAP] = c;
        q->n++;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->mu);
    return ok;
}

/* Returns the next chunk, or NULL when every producer is done and the queue is empty. */
static struct encoded_chunk *queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && q->producers > 0)
        pthread_cond_wait(&q->changed, &q->mu);
    struct encoded_chunk *c = NULL;
    if (q->n) {
        c = q->items[q->head];
        q->head = (q->head + 1) % QUEUE_CAP;
        q->n--;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->mu);
    return c;
}

static void queue_producer_done(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->producers--;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->mu);
}

static void free_chunk(struct encoded_chunk *c)
{
    if (c) {
        encoded_chunk_release(c);
        free(c);
    }
}

/* ---- a worker ---- */

static void worker_fail(struct worker *w, int rc, uint64_t line, const struct err *e)
{
    w->rc = rc;
    w->err_line = line;
    w->e = *e;
    for (int k = w->index + 1; k < w->n_all; k++) /* later ranges: their errors come after */
        atomic_store(&w->all[k].stop, true);
}

static void keep_bad(struct worker *w, uint64_t line, const char *msg)
{
    w->bad++;
    if (w->n_bads == MAX_KEPT_BAD) {
        w->bads_dropped++;
        return;
    }
    xgrow((void **)&w->bads, &w->cap_bads, w->n_bads + 1, sizeof(*w->bads));
    w->bads[w->n_bads++] = (struct bad_report){line, xstrdup(msg)};
}

static void seen(struct worker *w, int64_t ts)
{
    if (w->rows == 0 || ts < w->min_ts)
        w->min_ts = ts;
    if (w->rows == 0 || ts > w->max_ts)
        w->max_ts = ts;
    w->rows++;
}

static bool flush(struct worker *w, struct chunk_builder *b)
{
    struct encoded_chunk *c = xmalloc(sizeof(*c));
    struct err e = ERR_INIT;
    int rc = event_chunk_encode(b, c, &e);
    chunk_builder_reset(b);
    if (rc < 0) {
        free(c);
        worker_fail(w, rc, 0, &e);
        return false;
    }
    if (c->rows == 0) {
        free_chunk(c);
        return true;
    }
    if (!queue_push(w->q, c)) {
        free_chunk(c);
        return false;
    }
    return true;
}

/* Opens the file at the worker's range and skips the line that began in the previous range. */
static FILE *open_range(struct worker *w, struct event_reader *rd, struct err *e)
{
    FILE *f = fopen(w->r->path, "rb");
    if (!f) {
        err_set(e, ERR_IO, "cannot open '%s': %s", w->r->path, strerror(errno));
        return NULL;
    }
    bool at_line_start = true;
    if (w->start > 0) {
        fseeko(f, (off_t)w->start - 1, SEEK_SET);
        at_line_start = fgetc(f) == '\n';
    }
    event_reader_open(rd, f, EF_JSONL, e);
    event_reader_set_range(rd, w->start, w->end);
    if (!at_line_start) {
        const char *line;
        size_t len;
        line_reader_next(&rd->lines, &line, &len, e); /* the previous range's last line */
        w->skipped_partial = true;
    }
    return f;
}

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    struct event_reader rd;
    struct chunk_builder b;
    chunk_builder_init(&b);
    struct err e = ERR_INIT;
    memset(&rd, 0, sizeof(rd));
    FILE *f = open_range(w, &rd, &e);
    if (!f) {
        worker_fail(w, ERR_IO, 0, &e);
        goto done;
    }
    for (uint64_t n = 0;; n++) {
        if ((n & 1023) == 0 && atomic_load(&w->stop))
            break;
        struct event_record rec;
        int rc = event_reader_next(&rd, &rec, &e);
        if (rc == 0)
            break;
        uint64_t line = rd.lines.line_no - (w->skipped_partial ? 1 : 0);
        if (rc == ERR_INVALID && w->r->o->skip_bad) {
            keep_bad(w, line, e.msg);
            continue;
        }
        if (rc < 0) {
            worker_fail(w, rc, rc == ERR_INVALID ? line : 0, &e);
            break;
        }
        chunk_builder_add(&b, &rec);
        seen(w, rec.ts_ms);
        if ((n & 4095) == 0)
            atomic_store(&w->done, rd.lines.bytes);
        if (b.n >= CHUNK_ROWS && !flush(w, &b))
            break;
    }
    if (w->rc == ERR_OK && !atomic_load(&w->stop))
        flush(w, &b);
    w->lines = rd.lines.line_no - (w->skipped_partial ? 1 : 0);
    atomic_store(&w->done, rd.lines.bytes);
done:
    event_reader_release(&rd);
    chunk_builder_release(&b);
    if (f)
        fclose(f);
    queue_producer_done(w->q);
    return NULL;
}

/* ---- the coordinator ---- */

static uint64_t bytes_done(struct worker *w, int n)
{
    uint64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += atomic_load(&w[i].done);
    return sum;
}

/* Stores chunks as they come; on a store error, asks the workers to stop and drains. */
static int consume(struct run *r, struct queue *q, struct worker *w, int n, struct err *e)
{
    int rc = ERR_OK;
    int64_t stored = 0;
    struct encoded_chunk *c;
    while ((c = queue_pop(q)) != NULL) {
        stored += (int64_t)c->rows;
        if (rc == ERR_OK) {
            rc = store_event_chunk_add(r->a->store, r->source_id, c, e);
            if (rc < 0) {
                pthread_mutex_lock(&q->mu);
                q->abort = true;
                pthread_cond_broadcast(&q->changed);
                pthread_mutex_unlock(&q->mu);
                for (int i = 0; i < n; i++)
                    atomic_store(&w[i].stop, true);
            }
        }
        free_chunk(c);
        if (rc == ERR_OK && r->o->on_progress)
            r->o->on_progress(r->o->ctx, bytes_done(w, n), r->total, stored);
    }
    return rc;
}

/* Merges the workers' results in file order: counts, time range, bad lines, first error. */
static int merge(struct run *r, struct worker *w, int n, struct err *e)
{
    uint64_t lines_before = 0;
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < w[i].n_bads; k++) {
            if (r->o->on_bad)
                r->o->on_bad(r->o->ctx, r->path, (unsigned)(lines_before + w[i].bads[k].line),
                             w[i].bads[k].msg);
        }
        if (w[i].rc < 0) {
            *e = w[i].e;
            e->line = w[i].err_line ? (unsigned)(lines_before + w[i].err_line) : 0;
            return ingest__fatal_at(r, e);
        }
        r->bad += w[i].bad;
        if (w[i].rows) {
            if (r->min_ts == TIME_UNSET || w[i].min_ts < r->min_ts)
                r->min_ts = w[i].min_ts;
            if (r->max_ts == TIME_UNSET || w[i].max_ts > r->max_ts)
                r->max_ts = w[i].max_ts;
        }
        r->rows += w[i].rows;
        lines_before += w[i].lines;
    }
    return ERR_OK;
}

static int events_parallel(struct run *r, struct err *e)
{
    int n = r->total >= PARALLEL_MIN_BYTES ? MAX_WORKERS : 1;
    struct worker w[MAX_WORKERS];
    struct queue q;
    memset(w, 0, sizeof(w));
    memset(&q, 0, sizeof(q));
    pthread_mutex_init(&q.mu, NULL);
    pthread_cond_init(&q.changed, NULL);
    q.producers = n;
    for (int i = 0; i < n; i++) {
        w[i].r = r;
        w[i].q = &q;
        w[i].index = i;
        w[i].all = w;
        w[i].n_all = n;
        w[i].start = r->total * (uint64_t)i / (uint64_t)n;
        w[i].end = i == n - 1 ? UINT64_MAX : r->total * (uint64_t)(i + 1) / (uint64_t)n;
        atomic_init(&w[i].stop, false);
        atomic_init(&w[i].done, 0);
    }
    for (int i = 0; i < n; i++) {
        w[i].started = pthread_create(&w[i].thread, NULL, worker_run, &w[i]) == 0;
        if (!w[i].started) {
            struct err te = ERR_INIT;
            err_set(&te, ERR_INTERNAL, "cannot start a worker thread: %s", strerror(errno));
            worker_fail(&w[i], ERR_INTERNAL, 0, &te);
            queue_producer_done(&q);
        }
    }
    int rc = consume(r, &q, w, n, e);
    for (int i = 0; i < n; i++)
        if (w[i].started)
            pthread_join(w[i].thread, NULL);
    if (rc == ERR_OK)
        rc = merge(r, w, n, e);
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < w[i].n_bads; k++)
            free(w[i].bads[k].msg);
        free(w[i].bads);
    }
    struct encoded_chunk *c;
    while ((c = queue_pop(&q)) != NULL) /* chunks left after an abort */
        free_chunk(c);
    pthread_mutex_destroy(&q.mu);
    pthread_cond_destroy(&q.changed);
    return rc;
}

/* ---- CSV, in order ---- */

static int flush_sequential(struct run *r, struct chunk_builder *b, struct err *e)
{
    struct encoded_chunk c;
    int rc = event_chunk_encode(b, &c, e);
    if (rc == ERR_OK && c.rows)
        rc = store_event_chunk_add(r->a->store, r->source_id, &c, e);
    encoded_chunk_release(&c);
    chunk_builder_reset(b);
    return rc;
}

static int events_sequential(struct run *r, enum event_format fmt, struct err *e)
{
    struct event_reader rd;
    struct chunk_builder b;
    chunk_builder_init(&b);
    int rc = event_reader_open(&rd, r->f, fmt, e);
    if (rc < 0) {
        event_reader_release(&rd);
        chunk_builder_release(&b);
        return ingest__fatal_at(r, e);
    }
    for (;;) {
        struct event_record rec;
        rc = event_reader_next(&rd, &rec, e);
        if (rc == 0)
            break;
        if (rc == ERR_INVALID) {
            if ((rc = ingest__bad_line(r, e)) < 0)
                break;
            continue;
        }
        if (rc < 0) {
            ingest__fatal_at(r, e);
            break;
        }
        chunk_builder_add(&b, &rec);
        ingest__saw(r, rec.ts_ms);
        ingest__progress(r, event_reader_bytes(&rd));
        if (b.n >= CHUNK_ROWS && (rc = flush_sequential(r, &b, e)) < 0)
            break;
    }
    if (rc >= 0)
        rc = flush_sequential(r, &b, e);
    event_reader_release(&rd);
    chunk_builder_release(&b);
    return rc < 0 ? rc : ERR_OK;
}

int ingest__events(struct run *r, const char *format, struct err *e)
{
    if (strcmp(format, "csv") == 0)
        return events_sequential(r, EF_CSV, e);
    return events_parallel(r, e);
}
