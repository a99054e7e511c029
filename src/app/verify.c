/* verify.c: did the fix work? (verify.h; docs/verify.md)
 *
 * For each action: its success criterion evaluated as one value over [done_at, done_at +
 * WINDOW); then the criterion's expression read in buckets from a healthy baseline before the
 * incident to the end of the window after the fix, with control series (the same expression
 * for the part of the traffic the incident did not touch), and the counterfactual kernel's
 * effects for the incident and after the fix, its diagnostics and the verdict. --apply moves
 * the actions that passed to verified, with the figures in the audit log, in one
 * transaction. */
#include "app/verify.h"
#include "app/verify_internal.h"

#include "analytics/counterfactual.h"
#include "app/incidents.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "model/action.h"
#include "query/ast.h"
#include "query/series.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BASELINE_MAX_MS (7 * MS_PER_DAY)
/* The buckets tried when none is given, finest first, and the largest share of empty
 * baseline buckets that makes one acceptable. */
static const int64_t auto_buckets[] = {5 * MS_PER_MINUTE, 15 * MS_PER_MINUTE, MS_PER_HOUR};
#define AUTO_MAX_EMPTY 0.05
/* The most buckets one series may have (the bootstrap's cost grows with it). */
#define MAX_BUCKETS 20000

/* ---- results ---- */

/* Replaces the reason for the verdict (the last one found explains best). */
static void set_reason(struct verify_result *r, char *text)
{
    free(r->verdict_reason);
    r->verdict_reason = text;
}

void verify_note(struct verify_result *r, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    strlist_push(&r->notes, buf_str(&b));
    buf_release(&b);
}

/* ---- options and data ---- */

static int parse_options(struct app *a, const struct verify_request *rq, struct verify_ctx *c,
                         struct err *e)
{
    memset(c, 0, sizeof(*c));
    c->a = a;
    cf_params_default(&c->params);
    c->delta = NAN;
    if (rq->alpha && (num_parse_double(rq->alpha, &c->params.alpha) < 0 ||
                      !(c->params.alpha > 0 && c->params.alpha <= 0.2)))
        return err_set(e, ERR_INVALID, "--alpha: '%.40s' is not a level between 0 and 0.2 "
                       "(like 0.05)", rq->alpha);
    if (rq->delta && (num_parse_double(rq->delta, &c->delta) < 0 || !(c->delta > 0) ||
                      !isfinite(c->delta)))
        return err_set(e, ERR_INVALID, "--delta: '%.40s' is not a positive number (the "
                       "tolerance per bucket, in the metric's units)", rq->delta);
    if (rq->bucket) {
        if (time_parse_duration(rq->bucket, &c->bucket, e) < 0)
            return err_prefix(e, "--bucket: ");
        if (c->bucket < MS_PER_MINUTE)
            return err_set(e, ERR_INVALID, "--bucket: '%.40s' is shorter than a minute",
                           rq->bucket);
    }
    return ERR_OK;
}

/* The time range the ingested events and metrics cover. */
static int data_extent(struct verify_ctx *c, struct err *e)
{
    struct source_info *src = NULL;
    size_t n = 0;
    int rc = store_source_list(c->a->store, &src, &n, e);
    if (rc < 0)
        return rc;
    c->data_from = c->data_to = TIME_UNSET;
    for (size_t i = 0; i < n; i++) {
        if (src[i].min_ts == TIME_UNSET ||
            (strcmp(src[i].kind, "events") != 0 && strcmp(src[i].kind, "metrics") != 0))
            continue;
        if (c->data_from == TIME_UNSET || src[i].min_ts < c->data_from)
            c->data_from = src[i].min_ts;
        if (c->data_to == TIME_UNSET || src[i].max_ts + 1 > c->data_to)
            c->data_to = src[i].max_ts + 1;
    }
    source_infos_free(src, n);
    return ERR_OK;
}

/* The end of what can be measured now: the data's end or now, whichever comes first. */
static int64_t measurable_end(const struct verify_ctx *c)
{
    if (c->data_to == TIME_UNSET)
        return TIME_UNSET;
    return c->data_to < c->a->now ? c->data_to : c->a->now;
}

/* ---- the criterion ---- */

/* Why the window [from, to) cannot be judged yet, or NULL when it can. */
static char *not_yet(const struct verify_ctx *c, int64_t to)
{
    char t1[TIME_STR_MAX], t2[TIME_STR_MAX];
    if (c->data_to != TIME_UNSET && c->data_to < to && c->data_to <= c->a->now)
        return buf_format("not enough data yet: the window runs to %s and the ingested data ends "
                      "at %s", time_format_rfc3339(to, t1), time_format_rfc3339(c->data_to, t2));
    if (c->a->now < to)
        return buf_format("not enough data yet: the window runs to %s (now is %s)",
                      time_format_rfc3339(to, t1), time_format_rfc3339(c->a->now, t2));
    return NULL;
}

static int measure_criterion(struct verify_ctx *c, const struct action *act,
                             struct verify_result *r, struct err *e)
{
    const struct success *s = &act->success;
    char t[TIME_STR_MAX];
    if (act->done_at == TIME_UNSET) {
        r->criterion_reason = buf_format("%s is not done yet (%s): the criterion is measured on the "
                                     "data after the fix", r->id,
                                     action_status_name(act->status));
        return ERR_OK;
    }
    r->crit_from = act->done_at;
    r->crit_to = act->done_at + s->window_ms;
    int64_t end = measurable_end(c);
    if (end == TIME_UNSET || end <= act->done_at) {
        r->criterion_reason = end == TIME_UNSET
            ? xstrdup("no events or metrics are ingested")
            : buf_format("no data after the fix yet: the ingested data ends at %s",
                     time_format_rfc3339(c->data_to, t));
        /* Still evaluate once, so that an unknown field is reported now, not later. */
        double ignored;
        return query_value(c->a->store, s->expr, act->done_at, act->done_at + 1, &ignored, e);
    }
    int64_t to = r->crit_to < end ? r->crit_to : end;
    int rc = query_value(c->a->store, s->expr, act->done_at, to, &r->criterion_value, e);
    if (rc < 0)
        return rc;
    r->criterion_reason = not_yet(c, r->crit_to);
    if (isnan(r->criterion_value)) {
        free(r->criterion_reason);
        r->criterion_reason = xstrdup("no value in the window: nothing matched the expression "
                                      "after the fix");
    } else if (!r->criterion_reason) {
        r->met = cmp_holds(s->op, r->criterion_value, s->value) ? MET_YES : MET_NO;
    }
    return ERR_OK;
}

/* ---- the series ---- */



void series_data_release(struct series_data *s)
{
    free(s->y);
    memset(s, 0, sizeof(*s));
}

int fetch(struct app *a, const char *expr, int64_t from, int64_t to, int64_t bucket,
                 struct series_data *ret, struct err *e)
{
    if ((to - from) / bucket + 2 > MAX_BUCKETS) {
        char d[DURATION_STR_MAX];
        return err_set(e, ERR_INVALID, "--bucket: %s gives %lld buckets from the baseline to the "
                       "end of the window; at most %d (use a larger bucket)",
                       time_format_duration_exact(bucket, d), (long long)((to - from) / bucket),
                       MAX_BUCKETS);
    }
    struct series_request rq = {expr, from, to, bucket, NULL, 0, false};
    struct series_result r;
    memset(&r, 0, sizeof(r));
    int rc = query_series(a->store, &rq, &r, e);
    if (rc == ERR_OK) {
        ret->n = r.n_groups ? r.n_buckets : 0;
        ret->y = xcalloc(ret->n ? ret->n : 1, sizeof(double));
        if (ret->n)
            memcpy(ret->y, r.values, ret->n * sizeof(double));
        ret->from = r.from;
        ret->bucket = r.bucket_ms;
    }
    series_result_release(&r);
    return rc;
}

/* The buckets whose middle lies in [from, to): [*ret_from, *ret_to). */
void window_range(const struct series_data *s, int64_t from, int64_t to, size_t *ret_from,
                         size_t *ret_to)
{
    int64_t half = s->bucket / 2;
    int64_t i0 = from - s->from - half, i1 = to - s->from - half;
    /* ceil division for possibly negative numerators */
    i0 = i0 <= 0 ? 0 : (i0 + s->bucket - 1) / s->bucket;
    i1 = i1 <= 0 ? 0 : (i1 + s->bucket - 1) / s->bucket;
    *ret_from = (size_t)(i0 < (int64_t)s->n ? i0 : (int64_t)s->n);
    *ret_to = (size_t)(i1 < (int64_t)s->n ? i1 : (int64_t)s->n);
    if (*ret_to < *ret_from)
        *ret_to = *ret_from;
}

size_t count_empty(const double *v, size_t from, size_t to)
{
    size_t k = 0;
    for (size_t i = from; i < to; i++)
        k += !isfinite(v[i]);
    return k;
}

/* ---- the model's inputs ---- */



/* Reads the target with the given bucket or, when none is given, the finest of
 * auto_buckets whose baseline is at most AUTO_MAX_EMPTY empty (else the coarsest). */
static int read_target(struct verify_ctx *c, const char *expr, struct windows *w,
                       struct series_data *ret, struct err *e)
{
    size_t n_try = c->bucket ? 1 : ARRAY_SIZE(auto_buckets);
    int64_t inc_len = w->i_from != TIME_UNSET ? w->i_to - w->i_from : 0;
    int rc = ERR_OK;
    for (size_t k = 0; k < n_try; k++) {
        int64_t bucket = c->bucket ? c->bucket : auto_buckets[k];
        /* A bucket longer than the incident would blur it (5 minutes always allowed). */
        if (!c->bucket && k > 0 && bucket > inc_len && inc_len > 0)
            break;
        struct series_data s = {0};
        if ((rc = fetch(c->a, expr, w->span_from, w->span_to, bucket, &s, e)) < 0)
            return rc;
        size_t b0, b1;
        window_range(&s, w->b_from, w->b_to, &b0, &b1);
        bool good = b1 > b0 && (double)count_empty(s.y, b0, b1) <= AUTO_MAX_EMPTY *
                                                                      (double)(b1 - b0);
        series_data_release(ret);
        *ret = s;
        if (good)
            break;
    }
    return ERR_OK;
}

static void fill_ranges(const struct series_data *s, struct windows *w)
{
    window_range(s, w->b_from, w->b_to, &w->b0, &w->b1);
    w->i0 = w->i1 = w->p0 = w->p1 = 0;
    if (w->i_from != TIME_UNSET)
        window_range(s, w->i_from, w->i_to, &w->i0, &w->i1);
    if (w->p_from != TIME_UNSET)
        window_range(s, w->p_from, w->p_to, &w->p0, &w->p1);
}

/* Seasonal slots: the hour of the day (UTC) for buckets of up to an hour that divide it, else
 * the bucket of the day when the bucket divides a day, else none. */
static int *make_slots(const struct series_data *s, size_t *ret_n_slots, size_t *ret_period)
{
    int64_t b = s->bucket, slot_len;
    if (b <= MS_PER_HOUR && MS_PER_HOUR % b == 0)
        slot_len = MS_PER_HOUR;
    else if (MS_PER_DAY % b == 0)
        slot_len = b;
    else
        return NULL;
    *ret_n_slots = (size_t)(MS_PER_DAY / slot_len);
    *ret_period = (size_t)(MS_PER_DAY / b);
    int *slot = xcalloc(s->n ? s->n : 1, sizeof(int));
    for (size_t i = 0; i < s->n; i++) {
        int64_t t = s->from + (int64_t)i * b;
        int64_t in_day = ((t % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
        slot[i] = (int)(in_day / slot_len);
    }
    return slot;
}

/* ---- effects ---- */

static void copy_effect(struct verify_effect *v, const struct cf_effect *f, int64_t from,
                        int64_t to)
{
    *v = (struct verify_effect){true, from, to, f->m, f->actual, f->predicted, f->point,
                                f->ci_low, f->ci_high, f->ci90_low, f->ci90_high, f->cumulative,
                                f->cum_low, f->cum_high, f->relative, f->rel_low, f->rel_high,
                                f->p_two_sided, f->p_one_sided, f->mde};
}

/* Lower is worse (-1), higher is worse (+1) or either (0): the direction of the incident's
 * measured impact, else what the criterion asks for. */
static int degraded_side(const struct verify_result *r, enum cmp_kind op)
{
    const struct verify_effect *ie = &r->incident;
    if (ie->valid && ie->buckets && (ie->ci_high < 0 || ie->ci_low > 0))
        return ie->point < 0 ? -1 : 1;
    switch (op) {
    case CMP_GT:
    case CMP_GE: return -1;
    case CMP_LT:
    case CMP_LE: return 1;
    default: return 0;
    }
}

static void explain_verdict(struct verify_result *r, enum cf_verdict v)
{
    const struct verify_effect *p = &r->post;
    int pct = (int)lround(100 * (1 - r->alpha)), pct90 = (int)lround(100 * (1 - 2 * r->alpha));
    const char *side = r->degraded < 0 ? "below 0 (lower is worse)"
                       : r->degraded > 0 ? "above 0 (higher is worse)" : "away from 0";
    if (v == CF_RECOVERED)
        set_reason(r, buf_format("the %d%% interval of the average effect after the fix, "
                             "[%.4g, %.4g], lies within the tolerance +-%.4g", pct90,
                             p->tost_low, p->tost_high, r->delta));
    else if (v == CF_NOT_RECOVERED)
        set_reason(r, buf_format("the %d%% interval of the average effect after the fix, "
                             "[%.4g, %.4g], lies %s", pct, p->ci_low, p->ci_high, side));
    else
        set_reason(r, buf_format("the %d%% interval [%.4g, %.4g] is neither within the "
                             "tolerance +-%.4g nor clear of 0 on the degraded side; with "
                             "%zu buckets after the fix the smallest effect that can be "
                             "told from noise is about %.3g: wait for more data",
                             pct90, p->tost_low, p->tost_high, r->delta, p->buckets,
                             p->mde));
}

static void baseline_too_short(struct verify_result *r, const struct windows *w,
                               const struct series_data *s)
{
    char d1[DURATION_STR_MAX], d2[DURATION_STR_MAX], d3[DURATION_STR_MAX], t[TIME_STR_MAX];
    size_t have = w->b1 - w->b0;
    set_reason(r, buf_format("too short a baseline: %s of data before the incident (%zu "
                         "buckets of %s from %s, %zu with a value); at least %s (%d "
                         "buckets with a value) are needed",
                         time_format_duration((int64_t)have * s->bucket, d1), have,
                         time_format_duration_exact(s->bucket, d2),
                         time_format_rfc3339(w->b_from, t), r->base_buckets,
                         time_format_duration((int64_t)CF_MIN_BASELINE * s->bucket, d3),
                         CF_MIN_BASELINE));
}

static void run_model(struct verify_ctx *c, const struct cf_input *in, const struct windows *w,
                      const struct series_data *s, enum cmp_kind op, struct verify_result *r)
{
    struct cf_model m;
    struct err e = ERR_INIT;
    if (cf_fit(in, &m, &e) < 0) {
        char d[DURATION_STR_MAX];
        set_reason(r, buf_format("%s: %s (buckets of %s)", strstr(e.msg, "buckets with a value")
                             ? "too short a baseline" : "the baseline cannot be modelled",
                             e.msg, time_format_duration_exact(s->bucket, d)));
        return;
    }
    r->seasonal = m.seasonal;
    r->trend = m.trend;
    r->r2 = m.r2;
    struct cf_effect f;
    if (w->i1 > w->i0 && cf_effect(&m, in, &c->params, w->i0, w->i1, STREAM_INCIDENT, &f,
                                   NULL) == ERR_OK && f.m)
        copy_effect(&r->incident, &f, w->i_from, w->i_to);
    if (w->p1 > w->p0 && cf_effect(&m, in, &c->params, w->p0, w->p1, STREAM_POST, &f,
                                   NULL) == ERR_OK && f.m)
        copy_effect(&r->post, &f, w->p_from, w->p_to);
    struct cf_diagnostics d;
    size_t len = r->post.valid ? w->p1 - w->p0 : w->i1 - w->i0;
    cf_diagnose(&m, in, &c->params, len ? len : 1, &d);
    r->holdout_coverage = d.holdout_coverage;
    r->placebos = d.placebos;
    r->placebo_hits = d.placebo_hits;
    r->placebo_rate = d.placebo_rate;
    if (!d.placebos)
        verify_note(r, "no placebo run: the baseline is too short to hold pseudo-interventions");
    r->degraded = degraded_side(r, op);
    r->delta = c->delta;
    if (isnan(r->delta))
        r->delta = m.mad > 0 ? m.mad : 0.01 * fabs(r->post.valid ? r->post.predicted : 0);
    if (!r->post.valid) {
        if (!r->verdict_reason)
            set_reason(r, xstrdup("no bucket with a value after the fix"));
    } else {
        enum cf_verdict v = cf_verdict(&(struct cf_effect){
            .m = r->post.buckets, .point = r->post.point, .ci_low = r->post.ci_low,
            .ci_high = r->post.ci_high, .ci90_low = r->post.tost_low,
            .ci90_high = r->post.tost_high}, r->delta, r->degraded);
        r->verdict = cf_verdict_name(v);
        explain_verdict(r, v);
    }
    cf_model_release(&m);
}

/* The windows: the baseline (up to 7 days before the start, what the data has), the incident
 * [started, mitigated or resolved), after the fix [done, min(done + WINDOW, data end, now)). */
static bool plan_windows(const struct verify_ctx *c, const struct incident *inc,
                         const struct action *act, struct windows *w, struct verify_result *r)
{
    char t[TIME_STR_MAX];
    int64_t started = inc->times[T_STARTED];
    int64_t end = inc->times[T_MITIGATED] != TIME_UNSET ? inc->times[T_MITIGATED]
                                                          : inc->times[T_RESOLVED];
    *w = (struct windows){TIME_UNSET, TIME_UNSET, TIME_UNSET, TIME_UNSET, TIME_UNSET,
                          TIME_UNSET, 0, 0, 0, 0, 0, 0, 0, 0};
    if (c->data_from == TIME_UNSET) {
        set_reason(r, xstrdup("no events or metrics are ingested"));
        return false;
    }
    w->b_to = started;
    w->b_from = started - BASELINE_MAX_MS > c->data_from ? started - BASELINE_MAX_MS
                                                         : c->data_from;
    if (w->b_from >= w->b_to) {
        set_reason(r, buf_format("too short a baseline: the ingested data starts at %s, "
                             "after the incident started",
                             time_format_rfc3339(c->data_from, t)));
        return false;
    }
    if (end != TIME_UNSET && end > started) {
        w->i_from = started;
        w->i_to = end;
    } else {
        verify_note(r, "the incident has no mitigated or resolved time: its impact is not measured");
    }
    int64_t avail = measurable_end(c);
    if (act->done_at != TIME_UNSET) {
        int64_t to = act->done_at + act->success.window_ms;
        if (avail < to)
            to = avail;
        if (to > act->done_at) {
            w->p_from = act->done_at;
            w->p_to = to;
        } else {
            set_reason(r, buf_format("no data after the fix yet: the ingested data ends at "
                                 "%s", time_format_rfc3339(c->data_to, t)));
        }
    } else {
        set_reason(r, buf_format("%s is not done yet: there is no after-the-fix window", r->id));
    }
    w->span_from = w->b_from;
    w->span_to = w->b_to;
    if (w->i_to != TIME_UNSET && w->i_to > w->span_to)
        w->span_to = w->i_to;
    if (w->p_to != TIME_UNSET && w->p_to > w->span_to)
        w->span_to = w->p_to;
    return true;
}

static int measure_effects(struct verify_ctx *c, const struct incident *inc,
                           const struct action *act, struct verify_result *r, struct err *e)
{
    struct windows w;
    if (!plan_windows(c, inc, act, &w, r))
        return ERR_OK;
    struct series_data s = {0};
    struct controls cs = {0};
    int *slot = NULL;
    int rc = read_target(c, act->success.expr, &w, &s, e);
    if (rc < 0)
        goto done;
    fill_ranges(&s, &w);
    r->bucket_ms = s.bucket;
    r->base_from = s.from + (int64_t)w.b0 * s.bucket;
    r->base_to = s.from + (int64_t)w.b1 * s.bucket;
    r->base_buckets = w.b1 - w.b0 - count_empty(s.y, w.b0, w.b1);
    r->post.from = w.p_from, r->post.to = w.p_to;
    r->incident.from = w.i_from, r->incident.to = w.i_to;
    size_t n_slots = 0, period = 0;
    slot = make_slots(&s, &n_slots, &period);
    struct cf_input in = {s.y, NULL, s.n, 0, slot, n_slots, period,
                          MS_PER_DAY % s.bucket == 0 ? (size_t)(MS_PER_DAY / s.bucket) : 0,
                          w.b0, w.b1};
    if (r->base_buckets < CF_MIN_BASELINE) {
        baseline_too_short(r, &w, &s);
        goto done;
    }
    if ((rc = read_controls(c, inc, act->success.expr, &in, &w, &s, &cs, r, e)) < 0)
        goto done;
    in.x = (const double *const *)cs.x;
    in.k = cs.k;
    run_model(c, &in, &w, &s, act->success.op, r);
done:
    free(slot);
    controls_release(&cs);
    series_data_release(&s);
    return rc;
}

/* ---- one action ---- */

static int verify_action(struct verify_ctx *c, const struct incident *inc,
                         const struct action *act, struct verify_result *r, struct err *e)
{
    action_key(act->id, r->id);
    r->text = xstrdup(act->text);
    r->status = action_status_name(act->status);
    r->alpha = c->params.alpha;
    if (!act->success.expr) {
        r->criterion_reason = buf_format("%s has no success criterion: %s", r->id,
                                     act->no_success_reason ? act->no_success_reason
                                                            : "no reason given");
        set_reason(r, xstrdup("nothing to verify without a success criterion"));
        return ERR_OK;
    }
    r->criterion = success_text(&act->success);
    int rc = measure_criterion(c, act, r, e);
    if (rc == ERR_OK)
        rc = measure_effects(c, inc, act, r, e);
    if (rc < 0)
        err_prefix(e, "%s: ", r->id);
    return rc;
}

/* ---- the use case ---- */

/* The actions to verify: one by id, or an incident's actions that have a criterion (and are
 * not wontfix). *ret_single tells which. */
static int load_actions(struct app *a, const char *target, struct incident *inc,
                        struct action **ret, size_t *ret_n, bool *ret_single, struct err *e)
{
    int rc;
    if (strncasecmp(target, "A-", 2) == 0) {
        int64_t id;
        struct action *one = xcalloc(1, sizeof(*one));
        if ((rc = action_key_parse(target, &id, e)) == ERR_OK &&
            (rc = store_action_get(a->store, id, one, e)) == ERR_OK)
            rc = store_incident_get_by_id(a->store, one->incident_id, inc, e);
        if (rc < 0) {
            actions_free(one, 1);
            return rc;
        }
        *ret = one, *ret_n = 1, *ret_single = true;
        return ERR_OK;
    }
    struct action *all = NULL;
    size_t n = 0, kept = 0;
    if ((rc = app_incident_get(a, target, inc, e)) < 0 ||
        (rc = store_action_list(a->store, inc->id, NULL, &all, &n, e)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (all[i].success.expr && all[i].status != AS_WONTFIX)
            all[kept++] = all[i];
        else
            action_release(&all[i]);
    }
    *ret = all, *ret_n = kept, *ret_single = false;
    return ERR_OK;
}

int app_verify(struct app *a, const struct verify_request *rq, struct verify_result **ret_list,
               size_t *ret_n, struct err *e)
{
    struct verify_ctx c;
    struct incident inc;
    incident_init(&inc);
    struct action *acts = NULL;
    struct verify_result *res = NULL;
    size_t n = 0;
    bool single = false;
    int rc = parse_options(a, rq, &c, e);
    if (rc == ERR_OK)
        rc = load_actions(a, rq->target, &inc, &acts, &n, &single, e);
    if (rc == ERR_OK)
        rc = data_extent(&c, e);
    if (rc < 0)
        goto done;
    res = xcalloc(n ? n : 1, sizeof(*res));
    for (size_t i = 0; i < n; i++) {
        verify_result_init(&res[i]);
        struct err ae = ERR_INIT;
        if ((rc = verify_action(&c, &inc, &acts[i], &res[i], &ae)) == ERR_OK)
            continue;
        /* A refused query is that action's problem; for an incident the others go on. */
        if (single || rc != ERR_INVALID) {
            *e = ae;
            goto done;
        }
        res[i].error = xstrdup(ae.msg);
        rc = ERR_OK;
    }
    if (rq->apply && (rc = verify_apply(a, acts, res, n, e)) < 0)
        goto done;
    *ret_list = res;
    *ret_n = n;
    res = NULL;
done:
    verify_results_free(res, n);
    actions_free(acts, n);
    incident_release(&inc);
    return rc;
}
