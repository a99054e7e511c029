/* record_json.h: reads the JSON document of `hindsight export` (docs/export.md) into a whole
 * incident record (model/record.h), checking everything a store would refuse.
 *
 * The reader is strict, because the document is written by a program: every key of the
 * version must be present (those that may be empty hold null), no other key is accepted,
 * values have exactly their documented JSON type, names of kinds and statuses are the
 * canonical lowercase ones, and references ("H1", "A2") must name an element of the record.
 * The version is checked before anything else, so that a document of another version is
 * refused for that reason and no other.
 *
 * Errors (ERR_INVALID) say where: a JSON syntax error sets e->line and e->column ("invalid
 * JSON: ..."); any other message starts with the JSON path of the value
 * ("actions[2].due_at: expected an RFC 3339 time, got a number"). The caller adds the file
 * name. The input is read whole (json_loadb) and may hold NUL bytes, which are refused. */
#ifndef FORMAT_RECORD_JSON_H
#define FORMAT_RECORD_JSON_H

#include "core/common.h"
#include "core/err.h"
#include "model/record.h"

/* The largest document read (evidence files are carried inside it). */
#define RECORD_JSON_MAX ((size_t)256 << 20)

/* Parses text[0..len) into *ret (initialised by the caller with record_init; on success it is
 * released first and then filled, on failure it is left untouched). */
int record_json_parse(const char *text, size_t len, struct record *ret, struct err *e);

#endif
