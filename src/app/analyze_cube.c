/* analyze_cube.c: the cube of leaves that "where" builds from grouped series (analyze.h). */
#include "app/analyze.h"

#include "analytics/localize.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void an_cube_init(struct an_cube *c, size_t n_dims)
{
    memset(c, 0, sizeof(*c));
    c->leaves = (struct strdict)STRDICT_INIT;
    c->n_dims = n_dims;
    c->values = xcalloc(n_dims ? n_dims : 1, sizeof(*c->values));
    for (size_t d = 0; d < n_dims; d++)
        c->values[d] = (struct strdict)STRDICT_INIT;
}

void an_cube_release(struct an_cube *c)
{
    strdict_release(&c->leaves);
    for (size_t d = 0; c->values && d < c->n_dims; d++)
        strdict_release(&c->values[d]);
    free(c->values);
    free(c->codes);
    for (int m = 0; m < AN_CUBE_MEASURES; m++)
        free(c->m[m]);
    free(c->key);
    memset(c, 0, sizeof(*c));
}

uint32_t an_cube_leaf(struct an_cube *c, const struct series_result *r, size_t g)
{
    size_t len = 0;
    for (size_t d = 0; d < c->n_dims; d++) {
        const char *val = r->group_keys[g * r->n_by + d] ? r->group_keys[g * r->n_by + d] : "";
        size_t l = strlen(val);
        xgrow((void **)&c->key, &c->key_cap, len + l + 2, 1);
        memcpy(c->key + len, val, l);
        len += l;
        c->key[len++] = '\x1f';
    }
    size_t before = c->leaves.n;
    uint32_t leaf = strdict_intern(&c->leaves, c->key ? c->key : "", len) - 1;
    if (c->leaves.n > before) {
        if (c->leaves.n > c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 64;
            c->codes = xreallocarray(c->codes, cap * (c->n_dims ? c->n_dims : 1),
                                     sizeof(*c->codes));
            for (int m = 0; m < AN_CUBE_MEASURES; m++)
                c->m[m] = xreallocarray(c->m[m], cap, sizeof(double));
            c->cap = cap;
        }
        for (int m = 0; m < AN_CUBE_MEASURES; m++)
            c->m[m][leaf] = 0;
        for (size_t d = 0; d < c->n_dims; d++) {
            const char *val = r->group_keys[g * r->n_by + d] ? r->group_keys[g * r->n_by + d]
                                                             : "";
            c->codes[leaf * c->n_dims + d] = strdict_intern(&c->values[d], val, strlen(val)) - 1;
        }
    }
    return leaf;
}

void an_cube_add_implied(const struct an_cube *cb, const bool *active, uint32_t *fixed)
{
    size_t n_dims = cb->n_dims;
    for (size_t d = 0; d < n_dims; d++) {
        if (fixed[d] != LOC_ANY)
            continue;
        uint32_t seen = LOC_ANY;
        bool same = true;
        for (size_t i = 0; i < cb->leaves.n && same; i++) {
            bool under = active[i];
            for (size_t k = 0; k < n_dims && under; k++)
                under = fixed[k] == LOC_ANY || cb->codes[i * n_dims + k] == fixed[k];
            if (!under)
                continue;
            if (seen == LOC_ANY)
                seen = cb->codes[i * n_dims + d];
            same = seen == cb->codes[i * n_dims + d];
        }
        if (same && seen != LOC_ANY)
            fixed[d] = seen;
    }
}

void an_cube_push_segment(const struct an_cube *cb, const struct strlist *dims,
                          const uint32_t *fixed, struct strlist *keys, struct strlist *values)
{
    for (size_t d = 0; d < cb->n_dims && d < dims->n; d++) {
        if (fixed[d] == LOC_ANY)
            continue;
        size_t len;
        const char *v = strdict_str(&cb->values[d], fixed[d] + 1, &len);
        char *val = xstrndup(v, len);
        strlist_push(keys, dims->items[d]);
        strlist_push(values, val);
        free(val);
    }
}
