/* similar.c: hindsight similar: gathers what each incident is (its profile: tags, services,
 * segments, the diagnosis's step and change, its words), scores the past incidents against
 * the one asked about (analytics/similarity.c), and finds the failure modes that came back
 * after their fixes were verified. docs/search.md has the rules. */
#include "app/similar.h"

#include "analytics/similarity.h"
#include "app/incidents.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "model/action.h"
#include "model/action_history.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(SIMILAR_PARTS == SIM__COUNT, "similar_part_names follows enum sim_part");

const char *const similar_part_names[SIMILAR_PARTS] = {
    "failure_mode", "tags", "services", "segments", "step", "change", "text",
};

#define FAILURE_MODE_PREFIX "failure-mode:"
#define SHARED_WORDS 3 /* words named in "text: ..." */

void similar_report_release(struct similar_report *r)
{
    free(r->title);
    for (size_t i = 0; i < r->n_matches; i++) {
        free(r->matches[i].title);
        strlist_release(&r->matches[i].shared);
    }
    free(r->matches);
    for (size_t i = 0; i < r->n_fixes; i++) {
        struct similar_fix *f = &r->fixes[i];
        free(f->title);
        free(f->failure_mode);
        for (size_t k = 0; k < f->n_actions; k++)
            free(f->actions[k].text);
        free(f->actions);
    }
    free(r->fixes);
    memset(r, 0, sizeof(*r));
}

/* ---- what an incident is ---- */

struct profile {
    struct strlist modes, tags, services, segments, words;
    char *step, *change; /* the broken funnel step, the kind of change behind it; may be NULL */
};

static void profile_release(struct profile *p)
{
    strlist_release(&p->modes);
    strlist_release(&p->tags);
    strlist_release(&p->services);
    strlist_release(&p->segments);
    strlist_release(&p->words);
    free(p->step);
    free(p->change);
    memset(p, 0, sizeof(*p));
}

/* The localised segment, the series of the broken step and the kind of change of one
 * finding's evidence (JSON written by hindsight analyze; anything else is ignored). Findings
 * come best first, so the first step and change seen are the diagnosis's best. */
static void add_finding(const char *evidence, struct profile *p)
{
    json_t *ev = json_loads(evidence ? evidence : "", 0, NULL);
    if (!json_is_object(ev)) {
        json_decref(ev);
        return;
    }
    json_t *seg = json_object_get(ev, "segment"), *v;
    const char *k;
    json_object_foreach(seg, k, v) {
        if (!json_is_string(v))
            continue;
        struct buf b = BUF_INIT;
        buf_printf(&b, "%s=%s", k, json_string_value(v));
        strlist_add_unique(&p->segments, buf_str(&b));
        buf_release(&b);
    }
    json_t *series = json_object_get(ev, "series");
    if (!p->step && json_is_string(series))
        p->step = xstrdup(json_string_value(series));
    json_t *kind = json_object_get(json_object_get(ev, "change"), "kind");
    if (!p->change && json_is_string(kind))
        p->change = xstrdup(json_string_value(kind));
    json_decref(ev);
}

static int profile_load(struct app *a, const struct incident *inc, struct profile *p,
                        struct err *e)
{
    for (size_t i = 0; i < inc->tags.n; i++) {
        const char *t = inc->tags.items[i];
        bool mode = strncmp(t, FAILURE_MODE_PREFIX, strlen(FAILURE_MODE_PREFIX)) == 0;
        strlist_add_unique(mode ? &p->modes : &p->tags, t);
    }
    strlist_copy(&p->services, &inc->services);
    strlist_copy(&p->segments, &inc->segments);
    similarity_tokenize(inc->title, &p->words);
    similarity_tokenize(inc->summary, &p->words);
    struct finding *findings = NULL;
    struct pm_row *sections = NULL;
    size_t n_findings = 0, n_sections = 0;
    int rc = store_findings_list(a->store, inc->id, &findings, &n_findings, e);
    if (rc == ERR_OK)
        rc = store_sections(a->store, inc->id, &sections, &n_sections, e);
    for (size_t i = 0; rc == ERR_OK && i < n_findings; i++)
        add_finding(findings[i].evidence, p);
    for (size_t i = 0; rc == ERR_OK && i < n_sections; i++)
        similarity_tokenize(sections[i].text, &p->words);
    findings_free(findings, n_findings);
    pm_rows_free(sections, n_sections);
    return rc;
}

/* ---- comparing ---- */

/* The items of l that are in other, each pushed as prefix + item. */
static void push_shared(struct strlist *ret, const char *prefix, const struct strlist *l,
                        const struct strlist *other)
{
    for (size_t i = 0; i < l->n; i++) {
        if (!strlist_contains(other, l->items[i]))
            continue;
        struct buf b = BUF_INIT;
        buf_printf(&b, "%s%s", prefix, l->items[i]);
        strlist_add_unique(ret, buf_str(&b));
        buf_release(&b);
    }
}

static bool same(const char *x, const char *y)
{
    return x && y && strcmp(x, y) == 0;
}

/* Scores past (document d of t) against key (document 0) into m. */
static void compare(const struct profile *key, const struct profile *past, const struct tfidf *t,
                    size_t d, struct similar_match *m)
{
    double part[SIM__COUNT];
    bool avail[SIM__COUNT];
    part[SIM_FAILURE_MODE] = similarity_jaccard(&key->modes, &past->modes);
    part[SIM_TAGS] = similarity_jaccard(&key->tags, &past->tags);
    part[SIM_SERVICES] = similarity_jaccard(&key->services, &past->services);
    part[SIM_SEGMENTS] = similarity_jaccard(&key->segments, &past->segments);
    part[SIM_STEP] = same(key->step, past->step);
    part[SIM_CHANGE] = same(key->change, past->change);
    part[SIM_TEXT] = tfidf_cosine(t, 0, d);
    avail[SIM_FAILURE_MODE] = key->modes.n > 0;
    avail[SIM_TAGS] = key->tags.n > 0;
    avail[SIM_SERVICES] = key->services.n > 0;
    avail[SIM_SEGMENTS] = key->segments.n > 0;
    avail[SIM_STEP] = key->step != NULL;
    avail[SIM_CHANGE] = key->change != NULL;
    avail[SIM_TEXT] = key->words.n > 0;
    m->score = similarity_combine(part, avail);
    for (int i = 0; i < SIM__COUNT; i++)
        m->parts[i] = avail[i] ? part[i] : NAN;

    push_shared(&m->shared, "", &key->modes, &past->modes);
    push_shared(&m->shared, "", &key->tags, &past->tags);
    push_shared(&m->shared, "service ", &key->services, &past->services);
    push_shared(&m->shared, "segment ", &key->segments, &past->segments);
    struct buf b = BUF_INIT;
    if (part[SIM_STEP] > 0) {
        buf_printf(&b, "step %s", key->step);
        strlist_push(&m->shared, buf_str(&b));
    }
    if (part[SIM_CHANGE] > 0) {
        buf_reset(&b);
        buf_printf(&b, "change kind %s", key->change);
        strlist_push(&m->shared, buf_str(&b));
    }
    struct strlist words = STRLIST_INIT;
    tfidf_shared_words(t, 0, d, SHARED_WORDS, &words);
    if (words.n) {
        char *joined = strlist_join(&words, ", ");
        buf_reset(&b);
        buf_printf(&b, "text: %s", joined);
        strlist_push(&m->shared, buf_str(&b));
        free(joined);
    }
    strlist_release(&words);
    buf_release(&b);
}

static int by_score(const void *pa, const void *pb)
{
    const struct similar_match *x = pa, *y = pb;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->started_at != y->started_at)
        return x->started_at < y->started_at ? 1 : -1; /* the more recent first */
    return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* ---- fixes that did not hold ---- */

static int by_verified(const void *pa, const void *pb)
{
    const struct similar_fix_action *x = pa, *y = pb;
    if (x->verified_at != y->verified_at)
        return x->verified_at < y->verified_at ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The actions of past that were verified just before `before` (their status then, by the
 * rule of model/action_history.h, with the time they reached it) into f; f->n_actions 0 when
 * none. */
static int find_fix(struct app *a, const struct incident *past, int64_t before,
                    struct similar_fix *f, struct err *e)
{
    struct action *acts = NULL;
    struct audit_entry *audit = NULL;
    size_t n_acts = 0, n_audit = 0;
    int rc = store_action_list(a->store, past->id, NULL, &acts, &n_acts, e);
    if (rc == ERR_OK)
        rc = store_audit_list(a->store, past->id, &audit, &n_audit, e);
    struct action_history *hs = xcalloc(n_acts ? n_acts : 1, sizeof(*hs));
    struct action_history **ptrs = xcalloc(n_acts ? n_acts : 1, sizeof(*ptrs));
    for (size_t i = 0; i < n_acts; i++) {
        hs[i].act = &acts[i];
        ptrs[i] = &hs[i];
    }
    if (rc == ERR_OK)
        action_histories_read(audit, n_audit, ptrs, n_acts);
    for (size_t i = 0; rc == ERR_OK && i < n_acts; i++) {
        int64_t at = TIME_UNSET;
        if (action_status_at(&hs[i], before - 1, &at) != AS_VERIFIED)
            continue;
        f->actions = xreallocarray(f->actions, f->n_actions + 1, sizeof(*f->actions));
        f->actions[f->n_actions++] = (struct similar_fix_action){acts[i].id,
                                                                 xstrdup(acts[i].text), at};
        if (f->n_actions == 1 || at > f->verified_at)
            f->verified_at = at;
    }
    if (f->n_actions)
        qsort(f->actions, f->n_actions, sizeof(*f->actions), by_verified);
    for (size_t i = 0; i < n_acts; i++)
        action_history_release(&hs[i]);
    free(hs);
    free(ptrs);
    actions_free(acts, n_acts);
    audit_entries_free(audit, n_audit);
    return rc;
}

static int by_fix_time(const void *pa, const void *pb)
{
    const struct similar_fix *x = pa, *y = pb;
    if (x->verified_at != y->verified_at)
        return x->verified_at < y->verified_at ? 1 : -1;
    return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* Adds a failed-fix notice for past when it shares a failure mode with key and had verified
 * actions before the incident compared started. */
static int check_fix(struct app *a, struct similar_report *r, const struct profile *key,
                     const struct incident *past, const struct profile *pp, struct err *e)
{
    const char *mode = NULL;
    for (size_t i = 0; i < key->modes.n && !mode; i++)
        if (strlist_contains(&pp->modes, key->modes.items[i]))
            mode = key->modes.items[i];
    if (!mode)
        return ERR_OK;
    struct similar_fix f = {past->seq, NULL, NULL, TIME_UNSET, NULL, 0};
    int rc = find_fix(a, past, r->started_at, &f, e);
    if (rc < 0 || !f.n_actions) {
        for (size_t k = 0; k < f.n_actions; k++)
            free(f.actions[k].text);
        free(f.actions);
        return rc;
    }
    f.title = xstrdup(past->title);
    f.failure_mode = xstrdup(mode);
    r->fixes = xreallocarray(r->fixes, r->n_fixes + 1, sizeof(*r->fixes));
    r->fixes[r->n_fixes++] = f;
    return ERR_OK;
}

/* ---- the use case ---- */

/* Scores every past incident (profiles[1..n]) against profiles[0] and keeps the best. */
static void rank(struct similar_report *r, const struct incident *past, size_t n,
                 struct profile *profiles, size_t limit)
{
    struct strlist *docs = xcalloc(n + 1, sizeof(*docs));
    for (size_t i = 0; i <= n; i++)
        docs[i] = profiles[i].words;
    struct tfidf t = TFIDF_INIT;
    tfidf_build(&t, docs, n + 1);
    free(docs); /* the lists themselves stay the profiles' */
    r->matches = xcalloc(n ? n : 1, sizeof(*r->matches));
    for (size_t i = 0; i < n; i++) {
        struct similar_match m = {past[i].seq, NULL, past[i].times[T_STARTED], 0, {0},
                                  STRLIST_INIT};
        compare(&profiles[0], &profiles[i + 1], &t, i + 1, &m);
        if (m.score <= 0) {
            strlist_release(&m.shared);
            continue;
        }
        m.title = xstrdup(past[i].title);
        r->matches[r->n_matches++] = m;
    }
    tfidf_release(&t);
    qsort(r->matches, r->n_matches, sizeof(*r->matches), by_score);
    for (size_t i = limit; i < r->n_matches; i++) {
        free(r->matches[i].title);
        strlist_release(&r->matches[i].shared);
    }
    if (r->n_matches > limit)
        r->n_matches = limit;
}

int app_similar(struct app *a, const char *key, const char *limit, struct similar_report *ret,
                struct err *e)
{
    int64_t max = SIMILAR_LIMIT_DEFAULT;
    if (limit && num_parse_i64_range(limit, 1, SIMILAR_LIMIT_MAX, &max) < 0)
        return err_set(e, ERR_INVALID, "--limit: '%.32s' is not a whole number from 1 to %d",
                       limit, SIMILAR_LIMIT_MAX);
    struct incident inc;
    incident_init(&inc);
    struct incident *past = NULL;
    size_t n = 0;
    struct profile *profiles = NULL;
    struct similar_report r = {0};
    int rc = app_incident_get(a, key, &inc, e);
    if (rc < 0)
        goto done;
    r.seq = inc.seq;
    r.title = xstrdup(inc.title);
    r.started_at = inc.times[T_STARTED];
    struct incident_filter f = INCIDENT_FILTER_INIT;
    f.until = r.started_at;
    if ((rc = store_incident_list(a->store, &f, &past, &n, e)) < 0)
        goto done;
    r.n_past = n;
    profiles = xcalloc(n + 1, sizeof(*profiles));
    rc = profile_load(a, &inc, &profiles[0], e);
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        if ((rc = profile_load(a, &past[i], &profiles[i + 1], e)) == ERR_OK)
            rc = check_fix(a, &r, &profiles[0], &past[i], &profiles[i + 1], e);
    if (rc < 0)
        goto done;
    if (r.n_fixes)
        qsort(r.fixes, r.n_fixes, sizeof(*r.fixes), by_fix_time);
    rank(&r, past, n, profiles, (size_t)max);
done:
    for (size_t i = 0; profiles && i <= n; i++)
        profile_release(&profiles[i]);
    free(profiles);
    incidents_free(past, n);
    incident_release(&inc);
    if (rc < 0) {
        similar_report_release(&r);
        return rc;
    }
    *ret = r;
    return ERR_OK;
}
