/* series.h: a metric query's result as CSV, JSON or an aligned text table.
 *
 * Rows are sorted by time, then by group; times are the bucket starts in RFC 3339 UTC. CSV:
 * a header "time,<dim>...,value", empty cells for empty values (docs/query.md). */
#ifndef RENDER_SERIES_H
#define RENDER_SERIES_H

#include "core/sink.h"
#include "model/series.h"

#include <jansson.h>

void render_series_csv(struct sink *out, const struct series_result *r);
void render_series_text(struct sink *out, const struct series_result *r);
json_t *series_to_json(const struct series_result *r);

/* A value as CSV and text show it: integers without decimals, else up to 10 significant
 * digits; "" for NAN. out holds at least 32 bytes. */
void render_number(char *out, size_t size, double v);

#endif
