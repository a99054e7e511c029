/* json_scan.h: a small, non-allocating JSON scanner for one line of JSON Lines.
 *
 * The event importer reads millions of lines; a general JSON library builds a tree and
 * allocates per value, which measured about 4x slower than scanning (bench/README.md). This
 * scanner walks the text in place: strings without escapes are returned as views into the
 * line; strings with escapes are decoded into a caller-provided scratch area that is at least
 * as long as the line (decoding never grows a string), so views stay valid for the whole line.
 * Numbers are validated against the JSON grammar and returned as their text. Nesting is
 * limited to JSON_MAX_DEPTH. Invalid UTF-8 in strings is refused. */
#ifndef FORMAT_JSON_SCAN_H
#define FORMAT_JSON_SCAN_H

#include "core/common.h"

#define JSON_MAX_DEPTH 32

enum json_kind { JK_STRING, JK_NUMBER, JK_TRUE, JK_FALSE, JK_NULL, JK_OBJECT, JK_ARRAY };

struct json_scan {
    const char *p, *end, *begin;
    char *scratch;         /* decoded strings go here */
    const char *error;     /* reason of the first error, NULL while fine */
    size_t error_offset;   /* byte offset of the error in the line */
    bool first;            /* no member read yet in the object being scanned */
};

/* Starts scanning [line, line+len); scratch must hold len bytes. */
void json_scan_init(struct json_scan *s, const char *line, size_t len, char *scratch);

struct json_value {
    enum json_kind kind;
    const char *text; /* string: decoded value; number: literal; object/array: raw text */
    size_t len;
};

/* Skips whitespace and reports whether only whitespace is left. */
bool json_scan_at_end(struct json_scan *s);
/* Expects '{' and positions before the first member. */
bool json_scan_object_begin(struct json_scan *s);
/* Reads the next member's key of the current object: returns true with the key, or false at
 * the closing '}' (consumed) or on error (s->error set). Call json_scan_value (or
 * json_scan_object_begin for a nested object) before the next json_scan_member. */
bool json_scan_member(struct json_scan *s, const char **ret_key, size_t *ret_key_len);
/* Reads a value; objects and arrays are skipped over and returned as raw text. */
bool json_scan_value(struct json_scan *s, struct json_value *ret);
/* Looks at the next value's kind without consuming it (after whitespace). */
bool json_scan_peek_object(struct json_scan *s);

#endif
