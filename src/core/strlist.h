/* strlist.h: an owned, ordered list of strings (services, tags, segments).
 *
 * Invariant: items[0..n) are heap strings owned by the list. */
#ifndef CORE_STRLIST_H
#define CORE_STRLIST_H

#include "core/common.h"

struct strlist {
    char **items;
    size_t n, cap;
};

#define STRLIST_INIT {NULL, 0, 0}

void strlist_release(struct strlist *l);
/* Appends a copy of s. */
void strlist_push(struct strlist *l, const char *s);
/* Appends a copy of s unless an equal string is already there; returns true when added. */
bool strlist_add_unique(struct strlist *l, const char *s);
/* Removes every item equal to s; returns true when one was removed. */
bool strlist_remove(struct strlist *l, const char *s);
bool strlist_contains(const struct strlist *l, const char *s);
/* Replaces dst's contents by a copy of src's. */
void strlist_copy(struct strlist *dst, const struct strlist *src);
/* Sorts the items bytewise. */
void strlist_sort(struct strlist *l);
/* Joins the items with sep into a new heap string ("" for an empty list). */
char *strlist_join(const struct strlist *l, const char *sep);

#endif
