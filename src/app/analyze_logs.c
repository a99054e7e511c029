/* analyze_logs.c: what the logs say. The log lines of [from, end) are grouped into templates
 * (analytics/logtemplate.h, Drain); per template, service and level, the lines before the
 * incident and during it are compared as per-hour rates with the exact conditional Poisson
 * test; the new and spiking ones are ranked, and each is aligned with its nearest change
 * point. Also the templates' part of the findings. docs/diagnosis.md has the formulas. */
#include "app/analyze.h"

#include "analytics/logtemplate.h"
#include "core/strdict.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A window holds at most this many lines; beyond, the diagnosis says it read only the first. */
#define MAX_LINES 2000000
#define MAX_EVIDENCE_TEMPLATES 2
#define LOG_FINDING_WEIGHT 0.25 /* a log finding weighs a quarter of a step drop */
#define LOG_FINDING_CAP 0.5     /* and at most half the best change finding */

/* The lines of one (template, service, level). */
struct tally {
    uint32_t tmpl;
    const char *service, *level; /* borrowed from the rows */
    size_t before, during;
    int64_t first_seen;
    double ratio, p;
    int tier; /* 0 new error, 1 new, 2 spiking; -1 not reported */
};

void an_templates_free(struct an_template *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].text);
        free(list[i].service);
        free(list[i].level);
    }
    free(list);
}

static bool is_error_level(const char *level)
{
    static const char *const errors[] = {"error", "err", "fatal", "critical", "crit", "alert",
                                         "emerg", "panic"};
    for (size_t i = 0; level && i < ARRAY_SIZE(errors); i++)
        if (!strcmp(level, errors[i]))
            return true;
    return false;
}

/* Groups the rows by (template, service, level); *ret_key[i] is row i's tally. */
static struct tally *tally_rows(const struct analysis *an, const struct log_row *rows, size_t n,
                                const uint32_t *of, size_t *ret_n, uint32_t **ret_key)
{
    struct strdict keys = STRDICT_INIT;
    struct tally *t = NULL;
    size_t cap = 0;
    uint32_t *key = xmallocarray(n ? n : 1, sizeof(*key));
    char buf[512];
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof(buf), "%u\x1f%s\x1f%s", of[i],
                           rows[i].service ? rows[i].service : "",
                           rows[i].level ? rows[i].level : "");
        size_t before = keys.n;
        uint32_t k = strdict_intern(&keys, buf, len < (int)sizeof(buf) ? (size_t)len
                                                                         : sizeof(buf) - 1) - 1;
        if (keys.n > before) {
            xgrow((void **)&t, &cap, keys.n, sizeof(*t));
            t[k] = (struct tally){of[i], rows[i].service, rows[i].level, 0, 0, rows[i].ts,
                                  NAN, 1, -1};
        }
        if (rows[i].ts < an->started)
            t[k].before++;
        else
            t[k].during++;
        key[i] = k;
    }
    *ret_n = keys.n;
    *ret_key = key;
    strdict_release(&keys);
    return t;
}

static int by_rank(const void *pa, const void *pb)
{
    const struct tally *x = *(const struct tally *const *)pa, *y = *(const struct tally *const *)pb;
    if (x->tier != y->tier)
        return x->tier < y->tier ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    if (x->during != y->during)
        return x->during > y->during ? -1 : 1;
    return x->first_seen < y->first_seen ? -1 : x->first_seen > y->first_seen;
}

/* Where a template's excess over its rate before begins: among its lines t_1 < .. < t_k of
 * [started - ANALYZE_LEAD_MS, end), the t_j that maximises (k - j + 1) - rate x (end - t_j),
 * the lines from t_j on minus those its rate before expects (the first line when new). */
static int64_t onset_of(const struct analysis *an, const struct log_row *rows, size_t n,
                        const uint32_t *key, uint32_t k, double rate_per_ms)
{
    int64_t lo = an->started - ANALYZE_LEAD_MS > an->from ? an->started - ANALYZE_LEAD_MS
                                                           : an->from;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += key[i] == k && rows[i].ts >= lo;
    int64_t best_at = an->started;
    double best = -INFINITY;
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (key[i] != k || rows[i].ts < lo)
            continue;
        double excess = (double)(total - seen) - rate_per_ms * (double)(an->end - rows[i].ts);
        if (excess > best) {
            best = excess;
            best_at = rows[i].ts;
        }
        seen++;
    }
    return best_at;
}

static int nearest_cp(const struct analysis *an, int64_t at)
{
    int best = -1;
    for (size_t i = 0; i < an->n_cps; i++) {
        int64_t d = llabs(an->cps[i].at - at);
        if (best < 0 || d < llabs(an->cps[best].at - at) ||
            (d == llabs(an->cps[best].at - at) && an->cps[i].at < an->cps[best].at))
            best = (int)i;
    }
    return best;
}

/* Tests every tally seen during the incident and keeps the new or spiking ones. */
static size_t pick(const struct analysis *an, struct tally *t, size_t n, struct tally **ret)
{
    double hours_b = (double)(an->started - an->from) / MS_PER_HOUR,
           hours_d = (double)(an->end - an->started) / MS_PER_HOUR;
    size_t tested = 0, n_pick = 0;
    for (size_t i = 0; i < n; i++)
        tested += t[i].during > 0;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].during)
            continue;
        lt_rate_test((double)t[i].before, hours_b, (double)t[i].during, hours_d, &t[i].ratio,
                     &t[i].p);
        if (t[i].p > ANALYZE_LOG_ALPHA / (double)tested ||
            !(t[i].before == 0 || t[i].ratio >= ANALYZE_LOG_MIN_RATIO))
            continue;
        t[i].tier = t[i].before ? 2 : is_error_level(t[i].level) ? 0 : 1;
        ret[n_pick++] = &t[i];
    }
    qsort(ret, n_pick, sizeof(*ret), by_rank);
    return n_pick;
}

static void report(struct analysis *an, const struct log_row *rows, size_t n,
                   const struct lt_result *lt, const uint32_t *key, struct tally *const *top,
                   size_t n_top, const struct tally *base)
{
    double hours_b = (double)(an->started - an->from) / MS_PER_HOUR;
    an->templates = xcalloc(n_top ? n_top : 1, sizeof(*an->templates));
    for (size_t i = 0; i < n_top; i++) {
        const struct tally *t = top[i];
        struct an_template *at = &an->templates[an->n_templates++];
        at->text = xstrdup(lt->templates[t->tmpl].text);
        at->service = t->service ? xstrdup(t->service) : NULL;
        at->level = t->level ? xstrdup(t->level) : NULL;
        at->before = t->before;
        at->during = t->during;
        at->rate_ratio = t->ratio;
        at->p_value = t->p;
        at->is_new = t->before == 0;
        at->first_seen = t->first_seen;
        at->onset = onset_of(an, rows, n, key, (uint32_t)(t - base),
                             (double)t->before / hours_b / MS_PER_HOUR);
        at->cp = nearest_cp(an, at->onset);
    }
}

static void note(struct analysis *an, const char *text)
{
    strlist_push(&an->notes, text);
}

int analyze_logs(struct app *a, struct analysis *an, struct err *e)
{
    struct log_row *rows = NULL;
    size_t n = 0, n_tally = 0;
    bool more = false, any = false;
    struct lt_result lt;
    memset(&lt, 0, sizeof(lt));
    struct tally *tallies = NULL, **top = NULL;
    uint32_t *key = NULL;
    const char **msgs = NULL;
    int rc = store_logs_between(a->store, an->from, an->end, MAX_LINES, &rows, &n, &more, e);
    if (rc < 0)
        goto done;
    an->n_log_lines = n;
    if (n == 0) {
        if ((rc = store_logs_any(a->store, &any, e)) < 0)
            goto done;
        note(an, any ? "logs: no log line in the incident's window"
                     : "logs: none ingested (hindsight ingest logs FILE)");
        goto done;
    }
    if (more)
        note(an, "logs: more than 2000000 lines in the window; only the first were read");
    if (rows[0].ts >= an->started) {
        note(an, "logs: no log line before the incident's start, nothing to compare with");
        goto done;
    }
    if (rows[n - 1].ts < an->started) {
        note(an, "logs: no log line during the incident");
        goto done;
    }
    msgs = xmallocarray(n, sizeof(*msgs));
    for (size_t i = 0; i < n; i++)
        msgs[i] = rows[i].message;
    struct lt_params p;
    lt_params_default(&p);
    if ((rc = lt_mine(msgs, n, &p, &lt, e)) < 0)
        goto done;
    an->n_log_templates = lt.n;
    tallies = tally_rows(an, rows, n, lt.of, &n_tally, &key);
    top = xmallocarray(n_tally ? n_tally : 1, sizeof(*top));
    size_t n_top = pick(an, tallies, n_tally, top);
    if (n_top > ANALYZE_MAX_TEMPLATES)
        n_top = ANALYZE_MAX_TEMPLATES;
    report(an, rows, n, &lt, key, top, n_top, tallies);
    if (!n_top)
        note(an, "logs: no template is new or spiking during the incident");
done:
    free(msgs);
    free(top);
    free(tallies);
    free(key);
    lt_result_release(&lt);
    log_rows_free(rows, n);
    return rc;
}

/* ---- the templates in the findings ---- */

static bool aligned(const struct analysis *an, const struct an_template *t)
{
    return t->cp >= 0 && llabs(an->cps[t->cp].at - t->onset) <= ANALYZE_HALF_LIFE_MS;
}

void analyze_evidence_logs(const struct analysis *an, struct json_t *ev, const char *service,
                           const struct an_cause *cause)
{
    json_t *texts = json_array();
    for (size_t i = 0; i < an->n_templates && json_array_size(texts) < MAX_EVIDENCE_TEMPLATES;
         i++) {
        const struct an_template *t = &an->templates[i];
        if (service ? t->service && !strcmp(service, t->service) : aligned(an, t))
            json_array_append_new(texts, json_string(t->text));
    }
    if (json_array_size(texts))
        json_object_set_new(ev, "templates", texts);
    else
        json_decref(texts);
    if (!cause || !an->n_replays || cause != &an->causes[0])
        return;
    json_t *users = json_array();
    for (size_t i = 0; i < an->n_replays; i++)
        json_array_append_new(users, json_string(an->replays[i].user));
    json_object_set_new(ev, "replays", users);
}

bool analyze_log_finding(const struct analysis *an, double drop, char *text, size_t size,
                         double *ret_score, struct json_t **ret_ev)
{
    if (an->first < 0)
        return false;
    const struct an_cp *first = &an->cps[an->first];
    for (size_t i = 0; i < an->n_templates; i++) {
        const struct an_template *t = &an->templates[i];
        if (!t->is_new || !is_error_level(t->level) ||
            llabs(t->onset - first->at) > ANALYZE_HALF_LIFE_MS)
            continue;
        char at[TIME_STR_MAX], lag[DURATION_STR_MAX];
        time_format_rfc3339(t->onset, at);
        time_format_duration(llabs(t->onset - first->at), lag);
        snprintf(text, size, "New %s log \"%s\"%s%s%s from %.5s, %s %s %s moved (%zu lines)",
                 t->level, t->text, t->service ? " (" : "", t->service ? t->service : "",
                 t->service ? ")" : "", at + 11, lag,
                 t->onset >= first->at ? "after" : "before", first->series, t->during);
        /* Below every change finding: the template is a symptom the change explains. */
        double score = LOG_FINDING_WEIGHT * analyze_nearness(t->onset, first->at,
                                                             ANALYZE_HALF_LIFE_MS) * drop;
        double best_change = -1;
        for (size_t f = 0; f < an->n_findings; f++)
            if (!strcmp(an->findings[f].kind, "change") && an->findings[f].score > best_change)
                best_change = an->findings[f].score;
        *ret_score = best_change >= 0 && score > LOG_FINDING_CAP * best_change
                         ? LOG_FINDING_CAP * best_change : score;
        char first_at[TIME_STR_MAX];
        *ret_ev = json_pack("{s:s, s:s?, s:s?, s:i, s:s, s:{s:s, s:s}}", "template", t->text,
                            "service", t->service, "level", t->level, "during",
                            (json_int_t)t->during, "onset", at, "first_moved", "series",
                            first->series, "at", time_format_rfc3339(first->at, first_at));
        return *ret_ev != NULL;
    }
    return false;
}
