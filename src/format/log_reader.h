/* log_reader.h: log records from JSON Lines files, one record per call.
 *
 * Each line is an object (see format/jsonl.h for lines, blank lines and the 1 MiB limit)
 * with these fields; where several names are listed the first one present (and not null)
 * is used:
 *   timestamp | time | ts | @timestamp   required; RFC 3339 or an epoch number, as a string
 *                                        or a JSON number (format/timestamp.h)
 *   message | msg                        required string (may be empty)
 *   level | severity                     optional string, lowercased ("ERROR" -> "error")
 *   service                              optional string
 *   trace_id | traceId                   optional string
 * Optional fields that are null or "" count as absent. Other fields are ignored. */
#ifndef FORMAT_LOG_READER_H
#define FORMAT_LOG_READER_H

#include "core/common.h"
#include "core/err.h"
#include "format/jsonl.h"

#include <stdio.h>

/* One record. The strings belong to the reader and stay valid until the next call to
 * log_reader_next or log_reader_release; optional ones are NULL when absent. */
struct log_record {
    int64_t ts_ms;
    const char *level, *service, *message, *trace_id;
};

/* Caller-allocated; all fields private. */
struct log_reader {
    struct jsonl_reader lines;
    char *level; /* the lowercased level of the current record */
    size_t level_alloc;
};

/* Prepares r to read f (borrowed: the caller closes it after log_reader_release). Always
 * returns ERR_OK (the signature matches the other readers). */
int log_reader_open(struct log_reader *r, FILE *f, struct err *e);

/* Reads the next record: 1 with *ret filled, 0 at the end of the file, ERR_INVALID for a bad
 * line (e->line is its line number; the message names the field and the fault, like
 * "missing field 'message' (or 'msg')"; the next call reads on after it), ERR_IO when
 * reading fails (stop then). */
int log_reader_next(struct log_reader *r, struct log_record *ret, struct err *e);

/* The line number of the record last returned or refused. */
unsigned log_reader_line(const struct log_reader *r);

/* Frees what the reader holds (not the file). */
void log_reader_release(struct log_reader *r);

#endif
