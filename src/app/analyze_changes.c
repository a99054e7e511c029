/* analyze_changes.c: which change: the changes made shortly before the first move, scored by
 * nearness in time and overlap with the localised segments; and the findings (ranked
 * hypotheses) built from the funnel, the segments and the changes. */
#include "app/analyze.h"

#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGE_FINDINGS 5
#define SEGMENT_WEIGHT 0.5 /* a segment finding without a change weighs half */
#define NO_SHARE 0.5       /* the share used when nothing was localised */

static int by_score(const void *pa, const void *pb)
{
    const struct an_change *x = pa, *y = pb;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->at < y->at ? -1 : x->at > y->at;
}

int analyze_changes(struct app *a, struct analysis *an, struct err *e)
{
    int64_t ref = an->first >= 0 ? an->cps[an->first].at : an->started;
    int64_t upto = (ref > an->started ? ref : an->started) + ANALYZE_CONV_BUCKET_MS;
    struct change_info *list = NULL;
    size_t n = 0;
    int rc = store_changes_between(a->store, ref - ANALYZE_LOOKBACK_MS, upto, &list, &n, e);
    if (rc < 0)
        return rc;
    an->changes = xcalloc(n ? n : 1, sizeof(*an->changes));
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(list[i].kind, "incident-response"))
            continue;
        struct an_change *c = &an->changes[an->n_changes++];
        c->id = list[i].id;
        c->kind = list[i].kind;
        c->service = list[i].service;
        c->description = list[i].description;
        c->segment = list[i].segment;
        list[i].id = list[i].kind = list[i].service = list[i].description = NULL;
        list[i].segment = NULL;
        c->at = list[i].ts;
        c->nearness = analyze_nearness(c->at, ref, ANALYZE_HALF_LIFE_MS);
        c->overlap = analyze_overlap(c->segment, an->causes, an->n_causes);
        c->score = c->nearness * c->overlap;
    }
    change_infos_free(list, n);
    qsort(an->changes, an->n_changes, sizeof(*an->changes), by_score);
    if (!an->n_changes)
        strlist_push(&an->notes, "changes: none recorded in the 2 hours before the first move");
    return ERR_OK;
}

/* ---- findings ---- */

static json_t *segment_json(const struct an_cause *c)
{
    json_t *o = json_object();
    for (size_t k = 0; c && k < c->keys.n; k++)
        json_object_set_new(o, c->keys.items[k], json_string(c->values.items[k]));
    return o;
}

static char *segment_text(const struct an_cause *c)
{
    struct buf b = BUF_INIT;
    for (size_t k = 0; k < c->keys.n; k++)
        buf_printf(&b, "%s%s=%s", k ? "," : "", c->keys.items[k], c->values.items[k]);
    return b.len ? buf_detach(&b) : (buf_release(&b), xstrdup(""));
}

/* The cause a change's segment overlaps most (the largest share among the best overlaps). */
static const struct an_cause *best_cause(const struct analysis *an, const char *segment)
{
    const struct an_cause *best = NULL;
    double best_o = -1;
    for (size_t i = 0; i < an->n_causes; i++) {
        double o = analyze_overlap(segment, &an->causes[i], 1);
        if (o > best_o) {
            best_o = o;
            best = &an->causes[i];
        }
    }
    return best;
}

static void add_finding(struct analysis *an, const char *kind, const char *text, double score,
                        double share, json_t *ev)
{
    an->findings = xreallocarray(an->findings, an->n_findings + 1, sizeof(*an->findings));
    struct an_finding *f = &an->findings[an->n_findings++];
    f->kind = xstrdup(kind);
    f->text = xstrdup(text);
    f->score = score;
    f->share = share;
    json_object_set_new(ev, "explained_share", isnan(share) ? json_null() : json_real(share));
    char *js = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
    f->evidence = js ? xstrdup(js) : xstrdup("{}");
    free(js);
    json_decref(ev);
}

static int by_finding(const void *pa, const void *pb)
{
    const struct an_finding *x = pa, *y = pb;
    return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

static json_t *change_json(const struct an_change *c)
{
    char at[TIME_STR_MAX];
    return json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s, s:f}", "id", c->id, "kind", c->kind,
                     "service", c->service, "description", c->description, "segment",
                     c->segment, "at", time_format_rfc3339(c->at, at), "score", c->score);
}

void analyze_findings(struct analysis *an)
{
    if (an->broken < 0)
        return;
    const struct an_step *s = &an->steps[an->broken];
    char series[128], hhmm[16], at[TIME_STR_MAX];
    snprintf(series, sizeof(series), "%s -> %s", s->from, s->to);
    int64_t when = an->started;
    for (size_t i = 0; i < an->n_cps; i++)
        if (!strcmp(an->cps[i].series, series) && an->cps[i].at >= an->started - ANALYZE_LEAD_MS &&
            an->cps[i].at < an->end) {
            when = an->cps[i].at;
            break;
        }
    time_format_rfc3339(when, at);
    snprintf(hhmm, sizeof(hhmm), "%.5s", at + 11);
    double drop = s->drop > 0 ? s->drop : 0;
    for (size_t i = 0; i < an->n_changes && i < MAX_CHANGE_FINDINGS; i++) {
        const struct an_change *c = &an->changes[i];
        const struct an_cause *cause = best_cause(an, c->segment);
        double share = cause ? cause->share : NO_SHARE;
        char *seg = xstrdup(c->segment ? c->segment : "");
        char what[300], text[700];
        if (c->description && *c->description)
            snprintf(what, sizeof(what), "%s", c->description);
        else
            snprintf(what, sizeof(what), "The %s of %s", c->kind, c->service ? c->service : "?");
        snprintf(text, sizeof(text), "%s (%s)%s%s broke %s at %s", what, c->id,
                 *seg ? " for " : "", seg, series, hhmm);
        json_t *ev = json_pack("{s:s, s:o, s:o, s:f}", "series", series, "segment",
                               segment_json(cause), "change", change_json(c), "step_drop", drop);
        analyze_evidence_logs(an, ev, c->service, c->overlap >= 0.5 ? cause : NULL);
        add_finding(an, "change", text, c->score * share * drop, cause ? share : NAN, ev);
        free(seg);
    }
    for (size_t i = 0; i < an->n_causes; i++) {
        const struct an_cause *cause = &an->causes[i];
        char *seg = segment_text(cause);
        char text[700];
        snprintf(text, sizeof(text), "%s conversion fell from %.0f%% to %.0f%% during the "
                 "incident; %s explains %.0f%% of the drop", series, 100 * s->before,
                 100 * s->during, *seg ? seg : "the whole population", 100 * cause->share);
        json_t *ev = json_pack("{s:s, s:o, s:n, s:f}", "series", series, "segment",
                               segment_json(cause), "change", "step_drop", drop);
        analyze_evidence_logs(an, ev, NULL, cause);
        add_finding(an, "segment", text, SEGMENT_WEIGHT * cause->share * drop, cause->share, ev);
        free(seg);
    }
    if (an->n_findings == 0) {
        char text[400];
        snprintf(text, sizeof(text), "%s conversion fell from %.0f%% to %.0f%% at %s", series,
                 100 * s->before, 100 * s->during, hhmm);
        json_t *ev = json_pack("{s:s, s:n, s:n, s:f}", "series", series, "segment", "change",
                               "step_drop", drop);
        add_finding(an, "step", text, SEGMENT_WEIGHT * NO_SHARE * drop, NAN, ev);
    }
    char log_text[700];
    double log_score;
    json_t *log_ev;
    if (analyze_log_finding(an, drop, log_text, sizeof(log_text), &log_score, &log_ev))
        add_finding(an, "log", log_text, log_score, NAN, log_ev);
    qsort(an->findings, an->n_findings, sizeof(*an->findings), by_finding);
}
