/* evidence.h: use cases over the evidence store: metric series, saved metrics, sources and
 * the fields of the event store. */
#ifndef APP_EVIDENCE_H
#define APP_EVIDENCE_H

#include "app/app.h"
#include "model/evidence.h"
#include "model/series.h"

struct series_query {
    const char *expr;
    const char *from, *to; /* RFC 3339, a date, or now */
    const char *bucket;    /* a duration; NULL: 1m */
    const char *const *by;
    size_t n_by;
};

/* Evaluates a metric expression over a window. Errors name the option or the expression's
 * column (e->column) at fault. */
int app_series(struct app *a, const struct series_query *q, struct series_result *ret,
               struct err *e);

/* Saves (or replaces) a named metric after checking that its expression parses and that every
 * saved metric it uses exists. Audited. */
int app_metric_define(struct app *a, const char *name, const char *expr, const char *unit,
                      const char *description, bool *ret_replaced, struct err *e);
int app_metric_list(struct app *a, struct saved_metric **ret_list, size_t *ret_n,
                    struct err *e);

int app_sources(struct app *a, struct source_info **ret_list, size_t *ret_n, struct err *e);
/* Removes one ingested source and all its rows, in one audited transaction. */
int app_source_remove(struct app *a, const char *id, struct err *e);

int app_fields(struct app *a, struct field_info **ret_list, size_t *ret_n, struct err *e);

#endif
