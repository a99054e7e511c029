/* strlist.c: owned string lists. */
#include "core/strlist.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void strlist_release(struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

void strlist_push(struct strlist *l, const char *s)
{
    xgrow((void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items));
    l->items[l->n++] = xstrdup(s);
}

bool strlist_contains(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

bool strlist_add_unique(struct strlist *l, const char *s)
{
    if (strlist_contains(l, s))
        return false;
    strlist_push(l, s);
    return true;
}

bool strlist_remove(struct strlist *l, const char *s)
{
    size_t out = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i], s) == 0)
            free(l->items[i]);
        else
            l->items[out++] = l->items[i];
    }
    bool removed = out != l->n;
    l->n = out;
    return removed;
}

void strlist_copy(struct strlist *dst, const struct strlist *src)
{
    strlist_release(dst);
    for (size_t i = 0; i < src->n; i++)
        strlist_push(dst, src->items[i]);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof(*l->items), cmp_str);
}

char *strlist_join(const struct strlist *l, const char *sep)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            buf_puts(&b, sep);
        buf_puts(&b, l->items[i]);
    }
    return buf_detach(&b);
}
