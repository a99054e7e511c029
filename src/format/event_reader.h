/* event_reader.h: product events from a file, one record at a time.
 *
 * Formats:
 *  - JSON Lines in the PostHog/Segment shape: "event", "timestamp" (RFC 3339, or epoch seconds
 *    or milliseconds as a number), "distinct_id" (or Segment "userId" / "anonymousId"), and a
 *    "properties" object whose members become the event's properties (nested objects are
 *    flattened with dots; arrays are kept as their JSON text; null means absent).
 *  - CSV with a header row: columns "event", "timestamp" and "distinct_id" (or "user_id"), and
 *    any other column a property; a cell that is a number is a numeric property; an empty cell
 *    is absent.
 *
 * The reader streams: memory is bounded by the longest line (at most 1 MiB), not the file.
 * After a bad line (ERR_INVALID, with e->line) the reader is positioned on the next one, so a
 * caller may skip it and go on. */
#ifndef FORMAT_EVENT_READER_H
#define FORMAT_EVENT_READER_H

#include "core/buf.h"
#include "core/err.h"
#include "format/line_reader.h"
#include "model/event.h"

#include <stdio.h>

enum event_format { EF_JSONL, EF_CSV };

struct csv_reader;

struct event_reader {
    enum event_format format;
    struct line_reader lines;
    struct csv_reader *csv;  /* EF_CSV */
    char *scratch;           /* decoded strings of the current line */
    size_t scratch_cap;
    struct buf names;        /* flattened property names of the current line */
    struct event_prop *props;
    size_t n_props, cap_props;
    /* EF_CSV: which column holds what (-1: none) */
    int col_event, col_ts, col_id;
    struct buf header;       /* the header's column names, NUL-separated */
    const char **col_names;
    size_t n_cols;
    /* EF_JSONL: the file offset where reading started, and where to stop: lines that start at
     * or after limit are left to whoever reads from there (parallel import of one file). */
    uint64_t base, limit;
};

/* Starts reading f (not owned; the caller closes it). For EF_CSV this reads the header. */
int event_reader_open(struct event_reader *r, FILE *f, enum event_format format, struct err *e);
void event_reader_release(struct event_reader *r);

/* Limits a JSON Lines reader to the lines starting in [base, limit), where base is the file
 * offset the FILE was at when the reader was opened. */
void event_reader_set_range(struct event_reader *r, uint64_t base, uint64_t limit);

/* Reads the next event: 1 with *ret filled (views valid until the next call), 0 at the end,
 * ERR_INVALID for a bad line (e->line set, reason in e->msg, reader on the next line), ERR_IO
 * for a read error. Blank lines are skipped. */
int event_reader_next(struct event_reader *r, struct event_record *ret, struct err *e);

/* Bytes consumed so far (for progress). */
uint64_t event_reader_bytes(const struct event_reader *r);

/* Parses one JSON line into *ret using r's scratch space (exposed for tests and fuzzing). */
int event_parse_json_line(struct event_reader *r, const char *line, size_t len,
                          struct event_record *ret, struct err *e);

#endif
