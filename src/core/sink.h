/* sink.h: where renderers write: a FILE* or a memory buffer.
 *
 * Renderers take a struct sink so that the CLI streams to stdout while tests (and later the
 * HTTP server) render into memory. Writes never fail from the writer's point of view; a
 * FILE sink remembers an error, a buffer sink uses the buffer's sticky failure. */
#ifndef CORE_SINK_H
#define CORE_SINK_H

#include "core/buf.h"

#include <stdio.h>

struct sink {
    FILE *file;      /* when not NULL, writes go here */
    struct buf *buf; /* otherwise here */
    bool failed;
};

static inline struct sink sink_file(FILE *f) { return (struct sink){f, NULL, false}; }
static inline struct sink sink_buf(struct buf *b) { return (struct sink){NULL, b, false}; }

void sink_write(struct sink *s, const char *data, size_t len);
void sink_puts(struct sink *s, const char *str);
void sink_printf(struct sink *s, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* True when any write failed (disk full, closed pipe, buffer cap). */
bool sink_failed(const struct sink *s);

#endif
