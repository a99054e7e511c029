/* jsonl.h: a JSON Lines reader: one JSON object per line, parsed with jansson.
 *
 * Shared by the log and change readers. Lines end with LF (a CR before it is ignored); a
 * UTF-8 byte order mark at the start of the file is skipped; a blank line (only spaces, tabs
 * and CR) is skipped; the last line may lack its LF. Each line is parsed on its own with
 * json_loadb and must be an object; duplicate keys are refused.
 *
 * Memory: at most one line of JSONL_LINE_MAX bytes and its parsed object are held. A longer
 * line is never read into memory whole: its bytes are discarded up to the end of the line. */
#ifndef FORMAT_JSONL_H
#define FORMAT_JSONL_H

#include "core/common.h"
#include "core/err.h"

#include <jansson.h>
#include <stdio.h>

#define JSONL_LINE_MAX ((size_t)1 << 20) /* 1 MiB, the LF not counted (a CR before it is) */

/* Caller-allocated; all fields private. */
struct jsonl_reader {
    FILE *f;       /* borrowed: the caller opens and closes it */
    char *line;    /* the current line's bytes */
    size_t len, alloc;
    unsigned line_no; /* physical line of the last line read, from 1 */
    json_t *obj;   /* the last object returned, owned */
    bool started, eof;
};

/* Prepares r to read f from its current position. Allocates nothing yet. */
void jsonl_reader_init(struct jsonl_reader *r, FILE *f);
/* Frees the current object and the line buffer (not f). */
void jsonl_reader_release(struct jsonl_reader *r);

/* Reads the next non-blank line. Returns 1 with *ret_obj set to the line's object (owned by
 * the reader and valid until the next call or jsonl_reader_release; do not decref it), 0 at
 * the end of the file, ERR_INVALID for a line that is too long, is not valid JSON or not an
 * object (e->line is its line number, the message says why; the next call reads the line
 * after it), ERR_IO when reading fails (stop then). */
int jsonl_next(struct jsonl_reader *r, json_t **ret_obj, struct err *e);

/* The physical line (from 1) of the line last returned or refused; 0 before any. */
unsigned jsonl_line(const struct jsonl_reader *r);

/* The JSON type of v for messages: "a string", "a number", "an object", "null", ... */
const char *jsonl_type_name(const json_t *v);

/* Field helpers for the readers built on this one. names is a NULL-terminated list of the
 * accepted names of one field, the preferred first; the first name present in obj with a
 * non-null value is used. Messages name the field as found ("field 'msg': expected a
 * string, got a number") or, when it is missing, every accepted name ("missing field
 * 'message' (or 'msg')"). They leave e->line alone: the caller sets it. */

/* A string field. *ret_s is borrowed from obj. When the field is missing: ERR_INVALID if
 * required, else ERR_OK with *ret_s NULL. An optional "" also gives NULL; a required one
 * gives "" (the caller decides). */
int jsonl_string(json_t *obj, const char *const names[], bool required, const char **ret_s,
                 struct err *e);

/* A required time field: a string (format/timestamp.h, ts_parse_any) or a JSON number (epoch
 * seconds or milliseconds by the same rule). */
int jsonl_time(json_t *obj, const char *const names[], int64_t *ret_ms, struct err *e);

#endif
