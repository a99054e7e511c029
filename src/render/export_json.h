/* export_json.h: a whole incident record (model/record.h) as the versioned JSON document of
 * `hindsight export` (docs/export.md; format/record_json.h reads it back).
 *
 * Keys come in a fixed order, so that two exports of the same record are the same bytes.
 * Times are RFC 3339 UTC strings (milliseconds kept when not zero) or null; unknown counts and
 * amounts are null. Cross references use the record's local refs ("H1", "A2"). */
#ifndef RENDER_EXPORT_JSON_H
#define RENDER_EXPORT_JSON_H

#include "core/sink.h"
#include "model/record.h"

#include <jansson.h>

#define EXPORT_WHERE_MAX 64

/* The document for r, a new reference owned by the caller. Returns NULL when a text of the
 * record cannot be carried by JSON (it is not valid UTF-8); ret_where then names the part
 * ("incident", "timeline[3]", "hypotheses[0]"). */
json_t *record_to_json(const struct record *r, char ret_where[EXPORT_WHERE_MAX]);

/* Writes the document indented by two spaces, followed by a newline. Numbers with a fraction
 * get the fewest significant digits (15 to 17) that read back as the very same doubles in
 * every number of the document, so that an export loses nothing and stays readable. */
void export_json_write(struct sink *out, const json_t *doc);

#endif
