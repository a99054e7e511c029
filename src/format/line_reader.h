/* line_reader.h: lines of a file, read in large blocks, with a cap on line length.
 *
 * Lines are handed out as views into the reader's buffer, valid until the next call, without
 * the trailing "\n" or "\r\n". A line longer than the cap is not kept in memory: the reader
 * reports it (LINE_TOO_LONG) and skips to the next line, so memory stays bounded by the cap
 * whatever the file. */
#ifndef FORMAT_LINE_READER_H
#define FORMAT_LINE_READER_H

#include "core/common.h"
#include "core/err.h"

#include <stdio.h>

#define LINE_MAX_BYTES ((size_t)1 << 20) /* 1 MiB */

struct line_reader {
    FILE *f;
    char *buf;        /* block buffer */
    size_t cap, pos, len;
    char *line;       /* assembles a line that spans blocks */
    size_t line_cap;
    uint64_t line_no; /* of the last line returned */
    uint64_t bytes;   /* consumed so far */
    bool eof, error;
};

void line_reader_init(struct line_reader *r, FILE *f);
void line_reader_release(struct line_reader *r);

enum line_result { LINE_EOF = 0, LINE_OK = 1, LINE_TOO_LONG = 2 };

/* Reads the next line into *ret_line / *ret_len. Returns LINE_OK, LINE_EOF, LINE_TOO_LONG (the
 * line was skipped; r->line_no names it) or ERR_IO (with e filled). */
int line_reader_next(struct line_reader *r, const char **ret_line, size_t *ret_len,
                     struct err *e);

#endif
