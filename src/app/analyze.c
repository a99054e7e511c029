/* analyze.c: the diagnosis's frame (window, funnel, change points), storing the findings, and
 * accepting one as a hypothesis. Where is in analyze_where.c, which change in
 * analyze_changes.c; docs/diagnosis.md has the formulas. */
#include "app/analyze.h"
#include "app/series_baseline.h"

#include "analytics/changepoint.h"
#include "app/incidents.h"
#include "app/workflow.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "model/hypothesis.h"
#include "query/series.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const analyze_funnel[ANALYZE_FUNNEL_LEN] = {
    "product_viewed", "add_to_cart", "checkout_started", "payment_submitted",
    "purchase_completed",
};

void analysis_release(struct analysis *an)
{
    for (size_t i = 0; i < an->n_cps; i++)
        free(an->cps[i].series);
    free(an->cps);
    for (size_t i = 0; i < an->n_causes; i++) {
        free(an->causes[i].metric);
        strlist_release(&an->causes[i].keys);
        strlist_release(&an->causes[i].values);
    }
    free(an->causes);
    for (size_t i = 0; i < an->n_metric_causes; i++) {
        free(an->metric_causes[i].metric);
        strlist_release(&an->metric_causes[i].keys);
        strlist_release(&an->metric_causes[i].values);
    }
    free(an->metric_causes);
    for (size_t i = 0; i < an->n_changes; i++) {
        struct an_change *c = &an->changes[i];
        free(c->id);
        free(c->kind);
        free(c->service);
        free(c->description);
        free(c->segment);
    }
    free(an->changes);
    for (size_t i = 0; i < an->n_findings; i++) {
        free(an->findings[i].kind);
        free(an->findings[i].text);
        free(an->findings[i].evidence);
    }
    free(an->findings);
    for (size_t i = 0; i < an->n_baselines; i++)
        free(an->baselines[i].series);
    free(an->baselines);
    an_templates_free(an->templates, an->n_templates);
    an_replays_free(an->replays, an->n_replays);
    strlist_release(&an->notes);
    memset(an, 0, sizeof(*an));
}

/* ---- pure scoring ---- */

void analyze_step_drop(struct an_step *s)
{
    s->before = s->prev_before > 0 ? s->next_before / s->prev_before : NAN;
    s->during = s->prev_during > 0 ? s->next_during / s->prev_during : NAN;
    s->drop = NAN;
    s->z = 0;
    if (isnan(s->before) || isnan(s->during) || s->before <= 0)
        return;
    s->drop = (s->before - s->during) / s->before;
    double p = (s->next_before + s->next_during) / (s->prev_before + s->prev_during);
    double var = p * (1 - p) * (1 / s->prev_before + 1 / s->prev_during);
    if (var > 0)
        s->z = (s->before - s->during) / sqrt(var);
}

double analyze_nearness(int64_t at, int64_t ref, int64_t half_life)
{
    double d = fabs((double)(ref - at));
    return exp(-log(2.0) * d / (double)half_life);
}

double analyze_overlap(const char *segment, const struct an_cause *causes, size_t n)
{
    if (!segment || !*segment || n == 0)
        return 0.2;
    double best = 0.1;
    for (size_t c = 0; c < n; c++) {
        size_t pairs = 0, matched = 0;
        const char *p = segment;
        while (*p) {
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            const char *eq = memchr(p, '=', len);
            pairs++;
            for (size_t k = 0; eq && k < causes[c].keys.n; k++) {
                const char *ck = causes[c].keys.items[k], *cv = causes[c].values.items[k];
                size_t kl = (size_t)(eq - p), vl = len - kl - 1;
                if (strlen(ck) == kl && !memcmp(ck, p, kl) && strlen(cv) == vl &&
                    !memcmp(cv, eq + 1, vl)) {
                    matched++;
                    break;
                }
            }
            p += len;
            if (*p == ',')
                p++;
        }
        double o = pairs && matched == pairs ? 1.0 : matched ? 0.5 : 0.1;
        if (o > best)
            best = o;
    }
    return best;
}

int analyze_likelihood(double score)
{
    if (!(score > 0))
        return 1;
    int l = 1 + (int)lround(4 * (score > 1 ? 1 : score));
    return l > 5 ? 5 : l;
}

/* ---- the funnel ---- */

void analyze_note(struct analysis *an, const char *fmt, const char *arg)
{
    char text[1024];
    snprintf(text, sizeof(text), fmt, arg);
    strlist_push(&an->notes, text);
}

/* Counts per event name over [from, to): counts[i] for analyze_funnel[i]. */
static int funnel_counts(struct app *a, int64_t from, int64_t to, double counts[], bool *ret_ok,
                         struct err *e)
{
    static const char *const by[] = {"event"};
    struct series_request rq = {"count()", from, to, MS_PER_MINUTE, by, 1, true};
    struct series_result r;
    memset(&r, 0, sizeof(r));
    for (size_t i = 0; i < ANALYZE_FUNNEL_LEN; i++)
        counts[i] = 0;
    *ret_ok = false;
    int rc = query_series(a->store, &rq, &r, e);
    if (rc == ERR_INVALID) {
        *e = (struct err)ERR_INIT;
        return ERR_OK;
    }
    if (rc < 0)
        return rc;
    for (size_t g = 0; g < r.n_groups && r.n_by == 1; g++)
        for (size_t i = 0; i < ANALYZE_FUNNEL_LEN; i++)
            if (r.group_keys[g] && !strcmp(r.group_keys[g], analyze_funnel[i]) &&
                r.n_buckets > 0 && !isnan(series_value(&r, g, 0)))
                counts[i] = series_value(&r, g, 0);
    *ret_ok = true;
    series_result_release(&r);
    return ERR_OK;
}

static int analyze_funnel_steps(struct app *a, struct analysis *an, struct err *e)
{
    double before[ANALYZE_FUNNEL_LEN], during[ANALYZE_FUNNEL_LEN];
    bool ok1, ok2;
    int rc;
    an->broken = -1;
    if ((rc = funnel_counts(a, an->from, an->started, before, &ok1, e)) < 0 ||
        (rc = funnel_counts(a, an->started, an->end, during, &ok2, e)) < 0)
        return rc;
    int present[ANALYZE_FUNNEL_LEN];
    size_t n_present = 0;
    for (size_t i = 0; i < ANALYZE_FUNNEL_LEN; i++)
        if (before[i] + during[i] > 0)
            present[n_present++] = (int)i;
    if (n_present < 2) {
        analyze_note(an, "funnel: %s",
                     n_present ? "only one funnel event occurs in the window"
                               : "no funnel events (product_viewed .. purchase_completed) in "
                                 "the window");
        return ERR_OK;
    }
    double best = 0;
    for (size_t k = 0; k + 1 < n_present; k++) {
        struct an_step *s = &an->steps[an->n_steps++];
        s->from = analyze_funnel[present[k]];
        s->to = analyze_funnel[present[k + 1]];
        s->prev_before = before[present[k]];
        s->next_before = before[present[k + 1]];
        s->prev_during = during[present[k]];
        s->next_during = during[present[k + 1]];
        analyze_step_drop(s);
        if (!isnan(s->drop) && s->z >= ANALYZE_MIN_Z && s->drop > best) {
            best = s->drop;
            an->broken = (int)k;
        }
    }
    if (an->broken >= 0) {
        an->broken_by = "overall";
        return ERR_OK;
    }
    int rc2 = analyze_segment_steps(a, an, e);
    if (rc2 < 0)
        return rc2;
    if (an->broken < 0)
        analyze_note(an, "funnel: %s", "no step's conversion dropped significantly (z >= 3) "
                                       "during the incident, in total or in any one segment");
    return ERR_OK;
}

/* ---- storing the findings ---- */

static int save_findings(struct app *a, struct analysis *an, struct err *e)
{
    size_t old = 0;
    int rc = store_begin(a->store, e);
    if (rc < 0)
        return rc;
    rc = store_findings_clear(a->store, an->incident_id, &old, e);
    for (size_t i = 0; rc == ERR_OK && i < an->n_findings; i++) {
        struct finding f = {0, an->incident_id, an->findings[i].kind, an->findings[i].text,
                            an->findings[i].evidence, an->findings[i].score, a->now};
        rc = store_finding_insert(a->store, &f, e);
    }
    char oldn[32], newn[32];
    snprintf(oldn, sizeof(oldn), "%zu findings", old);
    snprintf(newn, sizeof(newn), "%zu findings", an->n_findings);
    if (rc == ERR_OK)
        rc = app_audit(a, an->incident_id, an->key, "analyze", "findings", oldn, newn, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    return rc;
}

int app_analyze(struct app *a, const struct analyze_request *rq, struct analysis *ret,
                struct err *e)
{
    struct analysis an;
    memset(&an, 0, sizeof(an));
    an.broken = an.first = -1;
    struct incident inc;
    incident_init(&inc);
    int64_t wb = 24 * MS_PER_HOUR, wa = 24 * MS_PER_HOUR, bucket = MS_PER_MINUTE;
    int rc = app_incident_get(a, rq->key, &inc, e);
    if (rc < 0)
        goto done;
    if (rq->window_before && (rc = time_parse_duration(rq->window_before, &wb, e)) < 0) {
        rc = err_prefix(e, "--window-before: ");
        goto done;
    }
    if (rq->window_after && (rc = time_parse_duration(rq->window_after, &wa, e)) < 0) {
        rc = err_prefix(e, "--window-after: ");
        goto done;
    }
    if (rq->bucket && (rc = time_parse_duration(rq->bucket, &bucket, e)) < 0) {
        rc = err_prefix(e, "--bucket: ");
        goto done;
    }
    if (bucket <= 0) {
        rc = err_set(e, ERR_INVALID, "--bucket: must be longer than 0");
        goto done;
    }
    if (rq->history) {
        int64_t h;
        if ((rc = time_parse_duration(rq->history, &h, e)) < 0) {
            rc = err_prefix(e, "--history: ");
            goto done;
        }
        if (h % MS_PER_DAY != 0 || h < MS_PER_DAY || h > SERIES_BASELINE_MAX_DAYS * MS_PER_DAY) {
            rc = err_set(e, ERR_INVALID, "--history: '%.40s' is not a whole number of days from "
                         "1d to %dd", rq->history, SERIES_BASELINE_MAX_DAYS);
            goto done;
        }
        an.history_days = (size_t)(h / MS_PER_DAY);
    }
    an.incident_id = inc.id;
    incident_key(inc.seq, an.key);
    an.started = inc.times[T_STARTED];
    int64_t resolved = inc.times[T_RESOLVED] != TIME_UNSET ? inc.times[T_RESOLVED] : a->now;
    an.end = incident_impact_end(&inc, a->now);
    an.from = an.started - wb;
    an.to = (resolved > an.end ? resolved : an.end) + wa;
    if ((rc = analyze_funnel_steps(a, &an, e)) < 0 ||
        (rc = analyze_changepoints(a, &an, bucket, e)) < 0 || (rc = analyze_where(a, &an, e)) < 0 ||
        (rc = analyze_metric_where(a, &an, bucket, e)) < 0 ||
        (rc = analyze_saved_where(a, &an, e)) < 0 ||
        (rc = analyze_changes(a, &an, e)) < 0 || (rc = analyze_logs(a, &an, e)) < 0 ||
        (rc = analyze_replays(a, &an, e)) < 0)
        goto done;
    analyze_findings(&an);
    if (!rq->dry_run && (rc = save_findings(a, &an, e)) < 0)
        goto done;
    *ret = an;
    memset(&an, 0, sizeof(an));
done:
    analysis_release(&an);
    incident_release(&inc);
    return rc;
}

/* ---- accepting a finding ---- */

int app_finding_accept(struct app *a, const char *key, const char *finding_id, int64_t *ret_hid,
                       struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct finding *list = NULL;
    size_t n = 0;
    json_t *ev = NULL;
    int64_t num = 0;
    int rc = app_incident_get(a, key, &inc, e);
    if (rc < 0)
        goto done;
    if (!finding_id || (finding_id[0] != 'F' && finding_id[0] != 'f') || finding_id[1] != '-' ||
        num_parse_i64(finding_id + 2, &num) < 0 || num < 1) {
        rc = err_set(e, ERR_INVALID, "invalid finding id '%.40s' (expected F-<n>, as analyze "
                     "prints)", finding_id ? finding_id : "");
        goto done;
    }
    if ((rc = store_findings_list(a->store, inc.id, &list, &n, e)) < 0)
        goto done;
    char ikey[32];
    incident_key(inc.seq, ikey);
    if ((size_t)num > n) {
        rc = err_set(e, ERR_NOT_FOUND, "unknown finding '%s' of %s (it has %zu; run hindsight "
                     "analyze %s)", finding_id, ikey, n, ikey);
        goto done;
    }
    const struct finding *f = &list[num - 1];
    ev = json_loads(f->evidence, 0, NULL);
    json_t *share = ev ? json_object_get(ev, "explained_share") : NULL;
    struct hypothesis h = {0};
    h.incident_id = inc.id;
    h.text = f->text;
    h.likelihood = analyze_likelihood(f->score);
    h.impact = 3;
    h.explained_share = json_is_number(share) ? json_number_value(share) : NAN;
    char fkey[32];
    snprintf(fkey, sizeof(fkey), "F-%lld", (long long)num);
    if ((rc = app_hypothesis_create(a, &h, "finding", fkey, e)) == ERR_OK)
        *ret_hid = h.id;
done:
    json_decref(ev);
    findings_free(list, n);
    incident_release(&inc);
    return rc;
}

int app_findings_list(struct app *a, const char *key, struct finding **ret_list, size_t *ret_n,
                      struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = store_findings_list(a->store, inc.id, ret_list, ret_n, e);
    incident_release(&inc);
    return rc;
}
