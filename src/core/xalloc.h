/* xalloc.h: allocation that never returns NULL.
 *
 * hindsight is an application, not a library: running out of memory is not an error we can
 * recover from meaningfully, so every allocation goes through these wrappers, which print one
 * line and abort. Size arithmetic is overflow-checked (xmallocarray, xreallocarray). */
#ifndef CORE_XALLOC_H
#define CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* n * size bytes, aborting when the product overflows size_t. */
void *xmallocarray(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
/* A copy of s (which may be NULL: then NULL is returned). */
char *xstrdup(const char *s);
/* A NUL-terminated copy of the first len bytes of s. */
char *xstrndup(const char *s, size_t len);

/* Grows *items (of *cap elements of size elem) so it holds at least need elements.
 * Capacity doubles so that appending n items costs O(n). */
void xgrow(void **items, size_t *cap, size_t need, size_t elem);

#endif
