/* incident_json.h: incidents, timelines and audit entries as JSON values (jansson).
 *
 * Times are RFC 3339 UTC strings or null; durations are seconds (numbers) or null. The keys
 * are documented in docs/json.md and are a stable interface: add keys, never rename them.
 * Every function returns a new reference owned by the caller. */
#ifndef RENDER_INCIDENT_JSON_H
#define RENDER_INCIDENT_JSON_H

#include "core/sink.h"
#include "model/cadence.h"
#include "model/incident.h"
#include "model/timeline.h"

#include <jansson.h>

json_t *incident_to_json(const struct incident *inc, const struct cadence_policy *p,
                         int64_t now_ms);
json_t *timeline_to_json(const struct timeline_entry *list, size_t n);
json_t *audit_to_json(const struct audit_entry *list, size_t n);

/* Writes v, indented, followed by a newline. Steals nothing: v stays the caller's. */
void json_write(struct sink *out, const json_t *v);

#endif
