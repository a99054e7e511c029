/* buf.h: a growable byte buffer, always NUL-terminated, with a hard cap and a sticky error.
 *
 * Writers append freely and check buf_failed() once at the end: when an append would grow the
 * buffer past its cap, the append is dropped and the buffer is marked failed; later appends are
 * ignored. This keeps renderers free of per-call error checks while bounding memory on hostile
 * input. Invariant: data is NULL (empty, never appended) or points at len bytes plus a NUL. */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include "core/common.h"

#include <stdarg.h>

#define BUF_DEFAULT_CAP ((size_t)256 << 20) /* 256 MiB */

struct buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap;  /* maximum len; 0 means BUF_DEFAULT_CAP */
    bool failed; /* an append hit the cap */
};

#define BUF_INIT {NULL, 0, 0, 0, false}

void buf_release(struct buf *b);
/* Empties the buffer, keeping its memory and clearing the failed flag. */
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The contents as a C string; "" for an empty buffer (never NULL). */
const char *buf_str(const struct buf *b);
/* Hands the contents to the caller (free() them) and leaves b empty. Never NULL. */
char *buf_detach(struct buf *b);
/* A new heap string, printf-style (free() it). Never NULL. */
char *buf_format(const char *fmt, ...) PRINTF_LIKE(1, 2);
static inline bool buf_failed(const struct buf *b) { return b->failed; }

#endif
