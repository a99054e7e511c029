/* evidence.h: descriptions of the evidence kept in the store: ingested sources, the fields
 * (properties) of the event store, and saved metric definitions. Each list owns its strings;
 * the _free functions release a list and its contents. */
#ifndef MODEL_EVIDENCE_H
#define MODEL_EVIDENCE_H

#include "core/common.h"

struct source_info {
    int64_t id;
    char *kind, *name, *path, *sha256, *format, *actor;
    int64_t bytes, rows, bad_rows;
    int64_t min_ts, max_ts; /* TIME_UNSET when the source has no rows */
    int64_t ingested_at;
};

void source_infos_free(struct source_info *list, size_t n);

struct field_info {
    char *name;
    int type; /* 1 text, 2 number, 0 time, -1 when it differs between chunks */
    int64_t chunks;
};
void field_infos_free(struct field_info *list, size_t n);

struct saved_metric {
    char *name, *expr, *unit, *description, *actor;
    int64_t created_at;
};
void saved_metric_release(struct saved_metric *m);
void saved_metrics_free(struct saved_metric *list, size_t n);

#endif
