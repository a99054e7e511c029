/* ingest.h: bringing evidence files into the store.
 *
 * One file is one transaction: either every good row of it is stored together with a source
 * record (file name, SHA-256 of the content, row count, time range) and an audit entry, or
 * nothing is. A bad line stops the import with "FILE:LINE: reason" unless skip_bad is set, in
 * which case each bad line is reported through on_bad and the good ones are kept. A file whose
 * content was ingested before (same kind, same SHA-256) is refused unless force is set. */
#ifndef APP_INGEST_H
#define APP_INGEST_H

#include "app/app.h"

enum ingest_kind { INGEST_EVENTS, INGEST_METRICS, INGEST_LOGS, INGEST_CHANGES };

const char *ingest_kind_name(enum ingest_kind k);

struct ingest_options {
    enum ingest_kind kind;
    const char *format;      /* NULL: from the file name and content */
    const char *source_name; /* NULL: the file's base name */
    bool skip_bad, force;
    /* Optional callbacks (ctx is passed back). */
    void (*on_progress)(void *ctx, uint64_t done_bytes, uint64_t total_bytes, int64_t rows);
    /* A skipped line: line 0 when the format has no lines (Prometheus JSON). */
    void (*on_bad)(void *ctx, const char *path, unsigned line, const char *reason);
    void *ctx;
};

struct ingest_result {
    int64_t source_id;
    const char *format; /* static name of the format read */
    int64_t rows, bad_rows;
    int64_t min_ts, max_ts;
    uint64_t bytes;
    char sha256[65];
};

int app_ingest_file(struct app *a, const char *path, const struct ingest_options *o,
                    struct ingest_result *ret, struct err *e);

#endif
