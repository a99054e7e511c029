/* change_reader.h: changes (deploys, flag flips, config pushes, incident responses) from
 * JSON Lines or CSV files, one record per call.
 *
 * Fields, by name (JSON keys exactly; CSV header cells in any case):
 *   id           required, non-empty
 *   timestamp    required; RFC 3339 or an epoch number (format/timestamp.h); in JSON also a
 *                JSON number
 *   kind         required; deploy, flag, config or incident-response (any case; returned
 *                lowercase)
 *   service, version, description    optional
 *   segment      optional; comma-separated key=value pairs, "platform=android,app_version=5.2",
 *                each key non-empty and without spaces (a value may be empty)
 * In JSON every field but timestamp must be a string; null or "" means absent. In CSV the
 * first row is the header; columns other than these are ignored; an empty cell means absent.
 * JSON Lines follow format/jsonl.h, CSV format/csv.h (limits, blank lines, skipping). */
#ifndef FORMAT_CHANGE_READER_H
#define FORMAT_CHANGE_READER_H

#include "core/common.h"
#include "core/err.h"
#include "format/csv.h"
#include "format/jsonl.h"

#include <stdio.h>

enum change_format { CF_JSONL, CF_CSV };

/* One change. The strings belong to the reader and stay valid until the next call to
 * change_reader_next or change_reader_release; optional ones are NULL when absent; kind is
 * one of the four names above. */
struct change_record {
    const char *id, *kind, *service, *version, *description, *segment;
    int64_t ts_ms;
};

enum change_column { CC_ID, CC_TIMESTAMP, CC_KIND, CC_SERVICE, CC_VERSION, CC_DESCRIPTION,
                     CC_SEGMENT, CC__COUNT };

/* Caller-allocated; all fields private. */
struct change_reader {
    enum change_format fmt;
    struct jsonl_reader lines;         /* CF_JSONL */
    struct csv_reader csv;             /* CF_CSV */
    size_t col[CC__COUNT];             /* CF_CSV: index of each column, SIZE_MAX when absent */
    size_t n_cols;                     /* CF_CSV: cells in the header */
};

/* Prepares r to read f (borrowed: the caller closes it after change_reader_release). For
 * CF_CSV reads the header row: ERR_INVALID when it is missing, malformed, lacks a required
 * column or names one twice (e->line set), ERR_IO on a read error. On failure r holds nothing
 * and need not be released (releasing it is harmless). */
int change_reader_open(struct change_reader *r, FILE *f, enum change_format fmt,
                       struct err *e);

/* Reads the next change: 1 with *ret filled, 0 at the end of the file, ERR_INVALID for a bad
 * line or row (e->line is its first line; the message names the field or column and the
 * fault, like "field 'kind': unknown kind 'rollout' (expected deploy, flag, config or
 * incident-response)"; the next call reads on after it), ERR_IO (stop then). */
int change_reader_next(struct change_reader *r, struct change_record *ret, struct err *e);

/* The (first) line number of the record last returned or refused. */
unsigned change_reader_line(const struct change_reader *r);

/* Frees what the reader holds (not the file). */
void change_reader_release(struct change_reader *r);

/* Checks a segment string as described above; what names the field in the message. */
int change_segment_check(const char *what, const char *segment, struct err *e);

#endif
