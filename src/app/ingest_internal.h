/* ingest_internal.h: what the importer's files share (not for use outside src/app/). */
#ifndef APP_INGEST_INTERNAL_H
#define APP_INGEST_INTERNAL_H

#include "app/ingest.h"

#include <stdio.h>

#define PROGRESS_EVERY 65536

/* One file's import. */
struct run {
    struct app *a;
    const char *path;
    const struct ingest_options *o;
    FILE *f;
    uint64_t total;
    int64_t source_id;
    int64_t rows, bad;
    int64_t min_ts, max_ts;
};

/* Counts a stored row and widens the time range. */
void ingest__saw(struct run *r, int64_t ts);
/* Reports progress every PROGRESS_EVERY rows. */
void ingest__progress(struct run *r, uint64_t done);
/* A bad line (e->line set, 0 if unknown): skipped and reported through on_bad (path, line,
 * reason) when skip_bad, else the import's error as "FILE:LINE: reason". Returns ERR_OK when
 * skipped. */
int ingest__bad_line(struct run *r, struct err *e);
/* Prefixes e with "FILE:LINE: " and returns its code (for errors that stop the import). */
int ingest__fatal_at(struct run *r, struct err *e);

/* Events: JSON Lines split between worker threads, CSV read in order (ingest_events.c). */
int ingest__events(struct run *r, const char *format, struct err *e);

#endif
