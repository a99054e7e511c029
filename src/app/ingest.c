/* ingest.c: one evidence file into the store, in one transaction.
 *
 * The file is read by the format layer's streaming readers (memory stays bounded by the
 * longest line), while a second thread hashes it; rows go to the store as they come (events
 * through the column-chunk builder). Nothing is committed until the whole file was read, the
 * hash was checked against earlier sources, and the source record and audit entry are written. */
#define _POSIX_C_SOURCE 200809L
#include "app/ingest.h"

#include "app/ingest_internal.h"
#include "app/sha256_file.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "format/change_reader.h"
#include "format/log_reader.h"
#include "format/metric_reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>


const char *ingest_kind_name(enum ingest_kind k)
{
    static const char *const names[] = {"events", "metrics", "logs", "changes"};
    return (unsigned)k < 4 ? names[k] : "?";
}

void ingest__saw(struct run *r, int64_t ts)
{
    if (r->min_ts == TIME_UNSET || ts < r->min_ts)
        r->min_ts = ts;
    if (r->max_ts == TIME_UNSET || ts > r->max_ts)
        r->max_ts = ts;
    r->rows++;
}

void ingest__progress(struct run *r, uint64_t done)
{
    if (r->o->on_progress && (r->rows + r->bad) % PROGRESS_EVERY == 0)
        r->o->on_progress(r->o->ctx, done, r->total, r->rows);
}

/* A bad line: skipped and reported with skip_bad, else the import's error, as FILE:LINE. */
int ingest__bad_line(struct run *r, struct err *e)
{
    if (!r->o->skip_bad)
        return ingest__fatal_at(r, e);
    r->bad++;
    if (r->o->on_bad)
        r->o->on_bad(r->o->ctx, r->path, e->line, e->msg);
    e->code = ERR_OK;
    e->line = 0;
    return ERR_OK;
}

/* An error that stops the import whatever skip_bad says (a bad header, a read error). */
int ingest__fatal_at(struct run *r, struct err *e)
{
    if (e->line)
        err_prefix(e, "%s:%u: ", r->path, e->line);
    else
        err_prefix(e, "%s: ", r->path);
    return e->code;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* ---- metrics ---- */

/* Guesses a CSV metrics file's shape from its header: long CSV names "metric" and "value"
 * columns, anything else is Grafana's wide export. */
static const char *sniff_metrics_csv(FILE *f)
{
    char line[4096];
    const char *fmt = "wide-csv";
    if (fgets(line, sizeof(line), f)) {
        for (char *p = line; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        if (strstr(line, "metric") && strstr(line, "value"))
            fmt = "csv";
    }
    rewind(f);
    return fmt;
}

static int ingest_metrics(struct run *r, const char *format, struct err *e)
{
    enum metric_format fmt = strcmp(format, "prom") == 0 ? MF_PROM
                             : strcmp(format, "csv") == 0 ? MF_LONG_CSV : MF_WIDE_CSV;
    struct metric_reader rd;
    int rc = metric_reader_open(&rd, r->f, fmt, e);
    if (rc < 0) {
        metric_reader_release(&rd);
        return ingest__fatal_at(r, e);
    }
    for (;;) {
        struct metric_point p;
        rc = metric_reader_next(&rd, &p, e);
        if (rc == 0)
            break;
        if (rc == ERR_INVALID) {
            if ((rc = ingest__bad_line(r, e)) < 0)
                break;
            continue;
        }
        if (rc < 0)
            break;
        if ((rc = store_metric_point_add(r->a->store, r->source_id, p.name, p.labels, p.ts_ms,
                                         p.value, e)) < 0)
            break;
        ingest__saw(r, p.ts_ms);
        ingest__progress(r, (uint64_t)ftello(r->f));
    }
    metric_reader_release(&rd);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- logs ---- */

static int ingest_logs(struct run *r, struct err *e)
{
    struct log_reader rd;
    int rc = log_reader_open(&rd, r->f, e);
    for (; rc >= 0;) {
        struct log_record l;
        rc = log_reader_next(&rd, &l, e);
        if (rc == 0)
            break;
        if (rc == ERR_INVALID) {
            rc = ingest__bad_line(r, e);
            continue;
        }
        if (rc < 0)
            break;
        if ((rc = store_log_add(r->a->store, r->source_id, l.ts_ms, l.level, l.service,
                                l.message, l.trace_id, e)) < 0)
            break;
        ingest__saw(r, l.ts_ms);
        ingest__progress(r, (uint64_t)ftello(r->f));
    }
    log_reader_release(&rd);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- changes ---- */

static int ingest_changes(struct run *r, const char *format, struct err *e)
{
    struct change_reader rd;
    int rc = change_reader_open(&rd, r->f, strcmp(format, "csv") == 0 ? CF_CSV : CF_JSONL, e);
    if (rc < 0) {
        change_reader_release(&rd);
        return ingest__fatal_at(r, e);
    }
    for (;;) {
        struct change_record c;
        rc = change_reader_next(&rd, &c, e);
        if (rc == 0)
            break;
        if (rc == ERR_INVALID) {
            if ((rc = ingest__bad_line(r, e)) < 0)
                break;
            continue;
        }
        if (rc < 0)
            break;
        struct change_row row = {c.id, c.kind, c.service, c.version, c.description, c.segment,
                                 c.ts_ms};
        if ((rc = store_change_add(r->a->store, r->source_id, &row, e)) < 0)
            break;
        ingest__saw(r, c.ts_ms);
        ingest__progress(r, (uint64_t)ftello(r->f));
    }
    change_reader_release(&rd);
    return rc < 0 ? rc : ERR_OK;
}

/* ---- the driver ---- */

/* The format to read: the option when given (checked), else from the name and content. */
static int pick_format(struct run *r, const char **ret, struct err *e)
{
    static const char *const allowed[][4] = {
        {"jsonl", "csv", NULL, NULL},           /* events */
        {"prom", "csv", "wide-csv", NULL},      /* metrics */
        {"jsonl", NULL, NULL, NULL},            /* logs */
        {"jsonl", "csv", NULL, NULL},           /* changes */
    };
    const char *want = r->o->format;
    const char *const *ok = allowed[r->o->kind];
    if (want) {
        for (int i = 0; i < 4 && ok[i]; i++)
            if (strcmp(want, ok[i]) == 0) {
                *ret = ok[i];
                return ERR_OK;
            }
        return err_set(e, ERR_INVALID, "unknown format '%.32s' for %s (expected %s%s%s%s%s)",
                       want, ingest_kind_name(r->o->kind), ok[0], ok[1] ? ", " : "",
                       ok[1] ? ok[1] : "", ok[2] ? ", " : "", ok[2] ? ok[2] : "");
    }
    if (r->o->kind == INGEST_METRICS)
        *ret = has_suffix(r->path, ".json") ? "prom" : sniff_metrics_csv(r->f);
    else if (r->o->kind != INGEST_LOGS && has_suffix(r->path, ".csv"))
        *ret = "csv";
    else
        *ret = "jsonl";
    return ERR_OK;
}

static int open_input(struct run *r, struct err *e)
{
    r->f = fopen(r->path, "rb");
    if (!r->f)
        return err_set(e, ERR_IO, "cannot open '%s': %s", r->path, strerror(errno));
    struct stat st;
    if (fstat(fileno(r->f), &st) != 0 || !S_ISREG(st.st_mode))
        return err_set(e, ERR_IO, "cannot read '%s': not a regular file", r->path);
    if (st.st_size == 0)
        return err_set(e, ERR_INVALID, "%s: the file is empty, nothing to ingest", r->path);
    r->total = (uint64_t)st.st_size;
    return ERR_OK;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int read_rows(struct run *r, const char *format, struct err *e)
{
    switch (r->o->kind) {
    case INGEST_EVENTS: return ingest__events(r, format, e);
    case INGEST_METRICS: return ingest_metrics(r, format, e);
    case INGEST_LOGS: return ingest_logs(r, e);
    case INGEST_CHANGES: return ingest_changes(r, format, e);
    }
    return err_set(e, ERR_INTERNAL, "unknown ingest kind");
}

/* Refuses content ingested before (unless forced), then records the source's figures and the
 * audit entry. Runs inside the import's transaction. */
static int finish(struct run *r, const char *format, const char *sha, struct err *e)
{
    int64_t earlier = 0;
    int rc = store_source_find_hash(r->a->store, ingest_kind_name(r->o->kind), sha, &earlier, e);
    if (rc < 0)
        return rc;
    if (earlier && earlier != r->source_id && !r->o->force)
        return err_set(e, ERR_CONFLICT, "%s: this content was already ingested as source %lld "
                       "(use --force to ingest it again)", r->path, (long long)earlier);
    if (r->rows == 0)
        return err_set(e, ERR_INVALID, "%s: no valid rows, nothing ingested", r->path);
    if ((rc = store_source_finish(r->a->store, r->source_id, sha, r->rows, r->bad, r->min_ts,
                                  r->max_ts, e)) < 0)
        return rc;
    char record[48], summary[512];
    snprintf(record, sizeof(record), "source %lld", (long long)r->source_id);
    snprintf(summary, sizeof(summary), "%s %s (%s, %lld rows, %lld bad, sha256 %.12s)",
             ingest_kind_name(r->o->kind), r->path, format, (long long)r->rows,
             (long long)r->bad, sha);
    return app_audit(r->a, 0, record, "ingest", "source", NULL, summary, e);
}

int app_ingest_file(struct app *a, const char *path, const struct ingest_options *o,
                    struct ingest_result *ret, struct err *e)
{
    struct run r = {a, path, o, NULL, 0, 0, 0, 0, TIME_UNSET, TIME_UNSET};
    struct sha256_job hash;
    bool hashing = false;
    const char *format = NULL;
    int rc = open_input(&r, e);
    if (rc == ERR_OK)
        rc = pick_format(&r, &format, e);
    if (rc < 0)
        goto done;
    sha256_file_start(&hash, path);
    hashing = true;
    struct source_info info = {0};
    info.kind = (char *)ingest_kind_name(o->kind);
    info.name = (char *)(o->source_name ? o->source_name : base_name(path));
    info.path = (char *)path;
    info.sha256 = (char *)"";
    info.format = (char *)format;
    info.bytes = (int64_t)r.total;
    info.ingested_at = a->now;
    info.actor = a->actor;
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    rc = store_source_add(a->store, &info, &r.source_id, e);
    if (rc == ERR_OK)
        rc = read_rows(&r, format, e);
    int herr = sha256_file_wait(&hash);
    hashing = false;
    if (rc == ERR_OK && herr)
        rc = err_set(e, ERR_IO, "cannot read '%s': %s", path, strerror(herr));
    if (rc == ERR_OK)
        rc = finish(&r, format, hash.hex, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0) {
        store_rollback(a->store);
        goto done;
    }
    *ret = (struct ingest_result){r.source_id, format, r.rows, r.bad, r.min_ts, r.max_ts,
                                  r.total, {0}};
    memcpy(ret->sha256, hash.hex, sizeof(ret->sha256));
done:
    if (hashing)
        sha256_file_wait(&hash);
    if (r.f)
        fclose(r.f);
    return rc;
}
