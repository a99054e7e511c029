/* analyze_segstep.c: a funnel step can break for a segment too small to move the step's total
 * conversion (one app version of one platform, a country): then no step passes the overall
 * test, and without a broken step nothing is localised. This looks inside: the counts of every
 * funnel event by every "where" dimension, before and during the incident (two grouped queries),
 * give each (step, dimension=value) pair its conversion before and during and the z of its
 * drop; the most significant pair breaks the step when its z reaches the Bonferroni threshold
 * for all the pairs tested at a family-wise level of 0.00135 (the one-sided 3-sigma level of
 * the overall test). docs/diagnosis.md, step 1. */
#include "app/analyze.h"

#include "analytics/stats.h"
#include "core/strdict.h"
#include "core/xalloc.h"
#include "query/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAMILY_ALPHA 0.00135 /* one-sided P(Z >= 3) */
#define MIN_TRIALS 10        /* a segment needs this many trials during the incident */

/* Counts of one period: per (event, dim, value) summed over the other dims. */
struct seg_counts {
    struct strdict keys; /* "event\x1f" "dim\x1f" "value" -> code; its count is n[code - 1] */
    double *n;
};

static void seg_add(struct seg_counts *c, const char *event, const char *dim, const char *value,
                    double v)
{
    char key[600];
    snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", event, dim, value);
    size_t before = c->keys.n;
    uint32_t code = strdict_intern(&c->keys, key, strlen(key));
    if (c->keys.n > before) {
        c->n = xreallocarray(c->n, c->keys.n, sizeof(*c->n));
        c->n[code - 1] = 0;
    }
    c->n[code - 1] += v;
}

static double seg_get(const struct seg_counts *c, const char *event, const char *dim,
                      const char *value)
{
    char key[600];
    snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", event, dim, value);
    uint32_t code = strdict_find(&c->keys, key, strlen(key));
    return code ? c->n[code - 1] : 0;
}

static int count_period(struct app *a, const struct strlist *dims, int64_t from, int64_t to,
                        struct seg_counts *c, struct err *e)
{
    const char *by[1 + ANALYZE_MAX_DIMS];
    by[0] = "event";
    for (size_t d = 0; d < dims->n; d++)
        by[1 + d] = dims->items[d];
    struct series_request rq = {"count()", from, to, 0, by, 1 + dims->n, true};
    struct series_result r;
    memset(&r, 0, sizeof(r));
    int rc = query_series(a->store, &rq, &r, e);
    if (rc < 0)
        return rc;
    for (size_t g = 0; g < r.n_groups; g++) {
        double v = r.n_buckets ? series_value(&r, g, 0) : 0;
        const char *event = r.group_keys[g * r.n_by];
        if (!event || isnan(v) || v == 0)
            continue;
        for (size_t d = 0; d < dims->n; d++) {
            const char *value = r.group_keys[g * r.n_by + 1 + d];
            if (value)
                seg_add(c, event, dims->items[d], value, v);
        }
    }
    series_result_release(&r);
    return ERR_OK;
}

int analyze_segment_steps(struct app *a, struct analysis *an, struct err *e)
{
    struct strlist dims = {0};
    struct seg_counts before = {STRDICT_INIT, NULL}, during = {STRDICT_INIT, NULL};
    int rc = analyze_pick_dims(a, an, &dims, e);
    if (rc < 0 || dims.n == 0)
        goto done;
    if ((rc = count_period(a, &dims, an->from, an->started, &before, e)) < 0 ||
        (rc = count_period(a, &dims, an->started, an->end, &during, e)) < 0)
        goto done;
    /* Every (step, dim, value) with enough trials during the incident is one test; the key
     * set of "during" lists every value seen. */
    size_t m = 0;
    double best = 0;
    int best_step = -1;
    char best_dim[128] = "", best_value[128] = "";
    for (size_t k = 0; k < an->n_steps; k++) {
        for (uint32_t code = 1; code <= during.keys.n; code++) {
            size_t len;
            const char *bytes = strdict_str(&during.keys, code, &len);
            char key[600];
            snprintf(key, sizeof(key), "%.*s", (int)len, bytes);
            const char *sep1 = strchr(key, '\x1f'), *sep2 = sep1 ? strchr(sep1 + 1, '\x1f') : NULL;
            if (!sep2 || (size_t)(sep1 - key) != strlen(an->steps[k].from) ||
                strncmp(key, an->steps[k].from, (size_t)(sep1 - key)) != 0)
                continue;
            char dim[128], value[128];
            snprintf(dim, sizeof(dim), "%.*s", (int)(sep2 - sep1 - 1), sep1 + 1);
            snprintf(value, sizeof(value), "%s", sep2 + 1);
            struct an_step s = an->steps[k];
            s.prev_before = seg_get(&before, s.from, dim, value);
            s.next_before = seg_get(&before, s.to, dim, value);
            s.prev_during = during.n[code - 1];
            s.next_during = seg_get(&during, s.to, dim, value);
            if (s.prev_during < MIN_TRIALS || s.prev_before < MIN_TRIALS)
                continue;
            analyze_step_drop(&s);
            m++;
            if (!isnan(s.z) && s.drop > 0 && s.z > best) {
                best = s.z;
                best_step = (int)k;
                snprintf(best_dim, sizeof(best_dim), "%s", dim);
                snprintf(best_value, sizeof(best_value), "%s", value);
            }
        }
    }
    double crit = z_critical_bonferroni(FAMILY_ALPHA, m);
    if (best_step >= 0 && best >= crit) {
        an->broken = best_step;
        an->broken_by = "segment";
        snprintf(an->broken_dim, sizeof(an->broken_dim), "%s", best_dim);
        snprintf(an->broken_value, sizeof(an->broken_value), "%s", best_value);
        an->broken_z = best;
        an->broken_z_crit = crit;
    }
done:
    strlist_release(&dims);
    strdict_release(&before.keys);
    strdict_release(&during.keys);
    free(before.n);
    free(during.n);
    return rc;
}
