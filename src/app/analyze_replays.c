/* analyze_replays.c: replays, evidence a person can read. A few users of the top cause's
 * segment who reached the broken step's first event during the incident and not its next one
 * within ANALYZE_REPLAY_SPAN_MS, the first ones by time, with their events from
 * ANALYZE_REPLAY_SPAN_MS before to ANALYZE_REPLAY_SPAN_MS after that failure.
 *
 * Two passes over the event chunks: the first, over the incident (plus the span), reads the
 * time, event, user and segment columns to find the users; the second, over the users'
 * windows only, reads every column of the chunks where one of them appears. */
#include "app/analyze.h"

#include "core/strdict.h"
#include "core/xalloc.h"
#include "store/event_chunk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 8 /* segment keys looked at */

struct cand {
    int64_t ts;
    char *user;
};

struct completion {
    uint32_t user; /* code in the users dictionary */
    int64_t ts;
};

struct finder {
    const char *from, *to;
    const struct an_cause *cause;
    struct cand *cands;
    size_t n_cands, cap_cands;
    struct strdict users;
    struct completion *done;
    size_t n_done, cap_done;
};

void an_replays_free(struct an_replay *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < list[i].n_events; j++) {
            free(list[i].events[j].event);
            strlist_release(&list[i].events[j].keys);
            strlist_release(&list[i].events[j].values);
        }
        free(list[i].events);
        free(list[i].user);
        strlist_release(&list[i].seg_keys);
        strlist_release(&list[i].seg_values);
    }
    free(list);
}

/* The code of s in a string column's dictionary, 0 when absent. */
static uint32_t dict_code(const struct col_data *c, const char *s)
{
    size_t len = strlen(s), l;
    for (uint32_t code = 1; c && c->type == COL_STRING && code <= c->n_dict; code++) {
        const char *v = col_dict_str(c, code, &l);
        if (l == len && !memcmp(v, s, len))
            return code;
    }
    return 0;
}

static const char *row_str(const struct col_data *c, size_t row, size_t *ret_len)
{
    *ret_len = 0;
    if (!c || c->type != COL_STRING || row >= c->n || !c->codes[row])
        return NULL;
    return col_dict_str(c, c->codes[row], ret_len);
}

/* Decodes a column of a chunk; *ret_ok false (and nothing to release) when it is absent. */
static int load(struct app *a, int64_t chunk, const char *name, struct col_data *col,
                bool *ret_ok, struct err *e)
{
    *ret_ok = false;
    return store_event_column(a->store, chunk, name, col, ret_ok, e);
}

/* The time, event and user columns of a chunk; ok false when one is absent. */
struct base_cols {
    struct col_data ts, ev, id;
    bool has_ts, has_ev, has_id, ok;
};

static int load_base(struct app *a, int64_t chunk, struct base_cols *b, struct err *e)
{
    memset(b, 0, sizeof(*b));
    int rc;
    if ((rc = load(a, chunk, EVENT_COL_TIME, &b->ts, &b->has_ts, e)) < 0 || !b->has_ts ||
        (rc = load(a, chunk, EVENT_COL_EVENT, &b->ev, &b->has_ev, e)) < 0 || !b->has_ev ||
        (rc = load(a, chunk, EVENT_COL_DISTINCT_ID, &b->id, &b->has_id, e)) < 0 || !b->has_id)
        return rc;
    b->ok = b->ts.type == COL_TIME && b->ev.type == COL_STRING && b->id.type == COL_STRING;
    return ERR_OK;
}

static void release_base(struct base_cols *b)
{
    if (b->has_ts)
        col_data_release(&b->ts);
    if (b->has_ev)
        col_data_release(&b->ev);
    if (b->has_id)
        col_data_release(&b->id);
}

/* ---- pass 1: who failed ---- */

static int scan_chunk(struct app *a, const struct analysis *an, struct finder *f, int64_t chunk,
                      struct err *e)
{
    struct base_cols b;
    struct col_data seg[MAX_KEYS];
    bool has_seg[MAX_KEYS] = {false};
    size_t n_keys = f->cause->keys.n < MAX_KEYS ? f->cause->keys.n : MAX_KEYS;
    int rc = load_base(a, chunk, &b, e);
    if (rc < 0 || !b.ok)
        goto done;
    uint32_t want[MAX_KEYS];
    for (size_t k = 0; k < n_keys; k++) {
        if ((rc = load(a, chunk, f->cause->keys.items[k], &seg[k], &has_seg[k], e)) < 0)
            goto done;
        want[k] = has_seg[k] ? dict_code(&seg[k], f->cause->values.items[k]) : 0;
    }
    uint32_t from = dict_code(&b.ev, f->from), to = dict_code(&b.ev, f->to);
    for (size_t r = 0; r < b.ts.n && r < b.ev.n; r++) {
        uint32_t code = b.ev.codes[r];
        int64_t t = b.ts.ts[r];
        size_t len;
        const char *user = row_str(&b.id, r, &len);
        if (!user || !code || (code != from && code != to))
            continue;
        if (code == to && t >= an->started) {
            xgrow((void **)&f->done, &f->cap_done, f->n_done + 1, sizeof(*f->done));
            f->done[f->n_done++] = (struct completion){strdict_intern(&f->users, user, len), t};
            continue;
        }
        if (code != from || t < an->started || t >= an->end)
            continue;
        bool in = true;
        for (size_t k = 0; k < n_keys && in; k++)
            in = want[k] && r < seg[k].n && seg[k].codes[r] == want[k];
        if (!in)
            continue;
        xgrow((void **)&f->cands, &f->cap_cands, f->n_cands + 1, sizeof(*f->cands));
        f->cands[f->n_cands++] = (struct cand){t, xstrndup(user, len)};
    }
done:
    release_base(&b);
    for (size_t k = 0; k < n_keys; k++)
        if (has_seg[k])
            col_data_release(&seg[k]);
    return rc;
}

static int by_time(const void *pa, const void *pb)
{
    const struct cand *x = pa, *y = pb;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return strcmp(x->user, y->user);
}

static int by_user_time(const void *pa, const void *pb)
{
    const struct completion *x = pa, *y = pb;
    if (x->user != y->user)
        return x->user < y->user ? -1 : 1;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* Whether user completed the step in [t, t + ANALYZE_REPLAY_SPAN_MS). */
static bool completed(const struct finder *f, const char *user, int64_t t)
{
    uint32_t code = strdict_find(&f->users, user, strlen(user));
    if (!code)
        return false;
    size_t lo = 0, hi = f->n_done;
    while (lo < hi) { /* the first completion >= (code, t) */
        size_t mid = lo + (hi - lo) / 2;
        const struct completion *c = &f->done[mid];
        if (c->user < code || (c->user == code && c->ts < t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->n_done && f->done[lo].user == code &&
           f->done[lo].ts < t + ANALYZE_REPLAY_SPAN_MS;
}

static void pick_users(struct analysis *an, struct finder *f)
{
    qsort(f->cands, f->n_cands, sizeof(*f->cands), by_time);
    qsort(f->done, f->n_done, sizeof(*f->done), by_user_time);
    an->replays = xcalloc(ANALYZE_REPLAY_USERS, sizeof(*an->replays));
    for (size_t i = 0; i < f->n_cands && an->n_replays < ANALYZE_REPLAY_USERS; i++) {
        bool seen = false;
        for (size_t j = 0; j < an->n_replays && !seen; j++)
            seen = !strcmp(an->replays[j].user, f->cands[i].user);
        if (seen || completed(f, f->cands[i].user, f->cands[i].ts))
            continue;
        struct an_replay *r = &an->replays[an->n_replays++];
        r->user = xstrdup(f->cands[i].user);
        r->failed_at = f->cands[i].ts;
        strlist_copy(&r->seg_keys, &f->cause->keys);
        strlist_copy(&r->seg_values, &f->cause->values);
    }
}

/* ---- pass 2: their events ---- */

static void add_event(struct an_replay *r, int64_t at, const char *event, size_t len,
                      const struct field_info *fields, const struct col_data *cols,
                      const bool *has, size_t n_fields, size_t row)
{
    r->events = xreallocarray(r->events, r->n_events + 1, sizeof(*r->events));
    struct an_replay_event *ev = &r->events[r->n_events++];
    memset(ev, 0, sizeof(*ev));
    ev->at = at;
    ev->event = xstrndup(event, len);
    for (size_t c = 0; c < n_fields; c++) {
        if (!has[c] || row >= cols[c].n)
            continue;
        char text[64];
        size_t l;
        const char *v = row_str(&cols[c], row, &l);
        char *copy = NULL;
        if (cols[c].type == COL_NUMBER && !isnan(cols[c].nums[row])) {
            snprintf(text, sizeof(text), "%.15g", cols[c].nums[row]);
            if (ev->keys.n < 64)
                ev->numeric |= (uint64_t)1 << ev->keys.n;
        } else if (v) {
            copy = xstrndup(v, l);
        } else {
            continue;
        }
        strlist_push(&ev->keys, fields[c].name);
        strlist_push(&ev->values, copy ? copy : text);
        free(copy);
    }
}

static bool is_base_column(const char *name)
{
    return !strcmp(name, EVENT_COL_TIME) || !strcmp(name, EVENT_COL_EVENT) ||
           !strcmp(name, EVENT_COL_DISTINCT_ID);
}

static int replay_chunk(struct app *a, struct analysis *an, int64_t chunk,
                        const struct field_info *fields, size_t n_fields, struct err *e)
{
    struct base_cols b;
    struct col_data *cols = xcalloc(n_fields ? n_fields : 1, sizeof(*cols));
    bool *has = xcalloc(n_fields ? n_fields : 1, sizeof(*has));
    uint32_t code[ANALYZE_REPLAY_USERS] = {0};
    bool any = false;
    int rc = load_base(a, chunk, &b, e);
    if (rc < 0 || !b.ok)
        goto done;
    for (size_t u = 0; u < an->n_replays; u++)
        any |= (code[u] = dict_code(&b.id, an->replays[u].user)) != 0;
    for (size_t c = 0; any && c < n_fields; c++)
        if (!is_base_column(fields[c].name) &&
            (rc = load(a, chunk, fields[c].name, &cols[c], &has[c], e)) < 0)
            goto done;
    for (size_t r = 0; any && r < b.ts.n && r < b.id.n; r++) {
        for (size_t u = 0; u < an->n_replays; u++) {
            struct an_replay *rp = &an->replays[u];
            if (!code[u] || b.id.codes[r] != code[u] ||
                llabs(b.ts.ts[r] - rp->failed_at) > ANALYZE_REPLAY_SPAN_MS)
                continue;
            size_t len;
            const char *name = row_str(&b.ev, r, &len);
            add_event(rp, b.ts.ts[r], name ? name : "", len, fields, cols, has, n_fields, r);
        }
    }
done:
    release_base(&b);
    for (size_t c = 0; c < n_fields; c++)
        if (has[c])
            col_data_release(&cols[c]);
    free(cols);
    free(has);
    return rc;
}

static int by_event_time(const void *pa, const void *pb)
{
    const struct an_replay_event *x = pa, *y = pb;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return strcmp(x->event, y->event);
}

/* Keeps at most ANALYZE_REPLAY_EVENTS events: up to 9 before the failure, it, and after. */
static void trim(struct an_replay *r)
{
    qsort(r->events, r->n_events, sizeof(*r->events), by_event_time);
    if (r->n_events <= ANALYZE_REPLAY_EVENTS)
        return;
    size_t f = 0;
    while (f < r->n_events && r->events[f].at < r->failed_at)
        f++;
    size_t start = f > 9 ? f - 9 : 0;
    if (start + ANALYZE_REPLAY_EVENTS > r->n_events)
        start = r->n_events - ANALYZE_REPLAY_EVENTS;
    for (size_t i = 0; i < r->n_events; i++) {
        if (i >= start && i < start + ANALYZE_REPLAY_EVENTS)
            continue;
        free(r->events[i].event);
        strlist_release(&r->events[i].keys);
        strlist_release(&r->events[i].values);
    }
    memmove(r->events, r->events + start, ANALYZE_REPLAY_EVENTS * sizeof(*r->events));
    r->n_events = ANALYZE_REPLAY_EVENTS;
}

static int replay_events(struct app *a, struct analysis *an, struct err *e)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t u = 0; u < an->n_replays; u++) {
        if (an->replays[u].failed_at - ANALYZE_REPLAY_SPAN_MS < lo)
            lo = an->replays[u].failed_at - ANALYZE_REPLAY_SPAN_MS;
        if (an->replays[u].failed_at + ANALYZE_REPLAY_SPAN_MS > hi)
            hi = an->replays[u].failed_at + ANALYZE_REPLAY_SPAN_MS;
    }
    struct field_info *fields = NULL;
    size_t n_fields = 0, n_chunks = 0;
    struct chunk_ref *chunks = NULL;
    int rc = store_event_fields(a->store, &fields, &n_fields, e);
    if (rc == ERR_OK)
        rc = store_event_chunks(a->store, lo, hi + 1, &chunks, &n_chunks, e);
    for (size_t i = 0; rc == ERR_OK && i < n_chunks; i++)
        rc = replay_chunk(a, an, chunks[i].id, fields, n_fields, e);
    for (size_t u = 0; rc == ERR_OK && u < an->n_replays; u++)
        trim(&an->replays[u]);
    free(chunks);
    field_infos_free(fields, n_fields);
    return rc;
}

int analyze_replays(struct app *a, struct analysis *an, struct err *e)
{
    if (an->broken < 0 || an->n_causes == 0) {
        strlist_push(&an->notes, "replays: none (no broken step localised to a segment)");
        return ERR_OK;
    }
    struct finder f;
    memset(&f, 0, sizeof(f));
    f.from = an->steps[an->broken].from;
    f.to = an->steps[an->broken].to;
    f.cause = &an->causes[0];
    f.users = (struct strdict)STRDICT_INIT;
    struct chunk_ref *chunks = NULL;
    size_t n = 0;
    int rc = store_event_chunks(a->store, an->started, an->end + ANALYZE_REPLAY_SPAN_MS,
                                &chunks, &n, e);
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        rc = scan_chunk(a, an, &f, chunks[i].id, e);
    if (rc == ERR_OK) {
        pick_users(an, &f);
        if (an->n_replays)
            rc = replay_events(a, an, e);
        else
            strlist_push(&an->notes, "replays: no user of the segment failed the broken step");
    }
    for (size_t i = 0; i < f.n_cands; i++)
        free(f.cands[i].user);
    free(f.cands);
    free(f.done);
    strdict_release(&f.users);
    free(chunks);
    return rc;
}
