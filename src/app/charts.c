/* charts.c: the data behind an incident's charts (charts.h). */
#include "app/charts.h"

#include "analytics/changepoint.h"
#include "app/analyze.h"
#include "app/incidents.h"
#include "app/series_baseline.h"
#include "core/buf.h"
#include "core/strlist.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "query/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_MARGIN_MS (3 * MS_PER_HOUR)
#define HEATMAP_MAX_BANDS 10
#define HEATMAP_TARGET_TIMES 96 /* heatmap cells stay wide enough to see */

int64_t charts_bucket_for(int64_t span, size_t target)
{
    static const int64_t steps[] = {
        MS_PER_MINUTE,      2 * MS_PER_MINUTE, 5 * MS_PER_MINUTE, 10 * MS_PER_MINUTE,
        15 * MS_PER_MINUTE, 30 * MS_PER_MINUTE, MS_PER_HOUR,      2 * MS_PER_HOUR,
        3 * MS_PER_HOUR,    6 * MS_PER_HOUR,    12 * MS_PER_HOUR, MS_PER_DAY,
    };
    for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
        if (span / steps[i] <= (int64_t)target)
            return steps[i];
    return MS_PER_DAY;
}

static void add_note(struct chart_set *c, const char *fmt, const char *arg)
{
    char text[600];
    snprintf(text, sizeof(text), fmt, arg);
    c->notes = xreallocarray(c->notes, c->n_notes + 1, sizeof(*c->notes));
    c->notes[c->n_notes++] = xstrdup(text);
}

/* What the user named: an ingested metric's bare name reads as metric('name'). */
static char *series_expr(const struct strlist *metrics, const char *name)
{
    for (size_t i = 0; i < metrics->n; i++)
        if (!strcmp(metrics->items[i], name) && !strchr(name, '\'')) {
            size_t n = strlen(name) + 16;
            char *expr = xmalloc(n);
            snprintf(expr, n, "metric('%s')", name);
            return expr;
        }
    return xstrdup(name);
}

static const char *unit_of(const char *name)
{
    size_t n = strlen(name);
    if (n > 3 && !strcmp(name + n - 3, "_ms"))
        return "ms";
    if (n > 2 && !strcmp(name + n - 2, "_s"))
        return "s";
    return "";
}

/* Reads expr over [from, to) with SERIES_BASELINE_DAYS days of history before it, and fills s with
 * the window's values and their seasonal baseline. A series the query refuses becomes a note
 * (ERR_OK, s->n 0); scale multiplies every value (100 for a conversion drawn in %). */
static int read_series(struct app *a, struct chart_set *c, const char *name, const char *expr,
                       const char *unit, double scale, int64_t from, int64_t to,
                       int64_t bucket, struct chart_series *s, struct err *e)
{
    struct baselined bs;
    int rc = series_baselined(a, expr, from, to, bucket, 0, &bs, e);
    if (rc == ERR_INVALID) {
        char text[600];
        snprintf(text, sizeof(text), "%s: %s", name, e->msg);
        add_note(c, "%s", text);
        *e = (struct err)ERR_INIT;
        return ERR_OK;
    }
    if (rc < 0 || bs.n == 0)
        return rc;
    s->name = xstrdup(name);
    s->unit = xstrdup(unit);
    s->n = bs.n - bs.skip;
    s->from = bs.from;
    s->bucket_ms = bs.bucket_ms;
    s->values = xcalloc(s->n, sizeof(*s->values));
    s->baseline = xcalloc(s->n, sizeof(*s->baseline));
    for (size_t i = 0; i < s->n; i++) {
        s->values[i] = bs.values[bs.skip + i] * scale;
        s->baseline[i] = bs.expected[bs.skip + i] * scale;
    }
    baselined_release(&bs);
    return ERR_OK;
}

/* Change points of the drawn series (BOCPD, the diagnosis's default), as markers. */
static void mark_change_points(struct chart_panels *p, const struct chart_series *s)
{
    struct cp_params cp;
    cp_params_default(&cp, CP_BOCPD);
    struct cp_result cr;
    struct err e = ERR_INIT;
    if (cp_detect(s->values, s->n, 1, &cp, &cr, &e) < 0)
        return;
    for (size_t i = 0; i < cr.n_points; i++) {
        p->markers = xreallocarray(p->markers, p->n_markers + 1, sizeof(*p->markers));
        struct chart_marker *m = &p->markers[p->n_markers++];
        m->kind = MARK_CHANGEPOINT;
        m->at = s->from + (int64_t)cr.points[i].index * s->bucket_ms;
        m->label = xstrdup(cr.points[i].direction > 0   ? "rise"
                           : cr.points[i].direction < 0 ? "drop"
                                                        : "change");
        m->series = xstrdup(s->name);
    }
    cp_result_release(&cr);
}

static void add_change_marker(struct chart_panels *p, const char *id, const char *kind,
                              int64_t at)
{
    char label[160];
    snprintf(label, sizeof(label), "%s %s", id, kind);
    p->markers = xreallocarray(p->markers, p->n_markers + 1, sizeof(*p->markers));
    p->markers[p->n_markers++] = (struct chart_marker){MARK_CHANGE, at, xstrdup(label), NULL};
}

/* The diagnosis's best-ranked changes that fall in the window. */
static void mark_ranked_changes(struct chart_panels *p, const struct analysis *an)
{
    for (size_t i = 0, k = 0; i < an->n_changes && k < CHARTS_MAX_CHANGES; i++) {
        const struct an_change *ch = &an->changes[i];
        if (ch->at >= p->from && ch->at < p->to) {
            add_change_marker(p, ch->id, ch->kind, ch->at);
            k++;
        }
    }
}

/* Without a diagnosis (chart KEY SERIES...): the changes of the look-back window before the
 * incident up to its end, the latest first, as the diagnosis considers them. */
static int mark_recent_changes(struct app *a, struct chart_panels *p, struct err *e)
{
    struct change_info *list = NULL;
    size_t n = 0;
    int rc = store_changes_between(a->store, p->shade_from - ANALYZE_LOOKBACK_MS, p->shade_to,
                                   &list, &n, e);
    for (size_t i = n, k = 0; rc == ERR_OK && i-- > 0 && k < CHARTS_MAX_CHANGES;)
        if (strcmp(list[i].kind, "incident-response") != 0 && list[i].ts >= p->from) {
            add_change_marker(p, list[i].id, list[i].kind, list[i].ts);
            k++;
        }
    change_infos_free(list, n);
    return rc;
}

static int add_panel(struct app *a, struct chart_set *c, const char *name, const char *expr,
                     const char *unit, double scale, int64_t bucket, struct err *e)
{
    struct chart_panels *p = &c->panels;
    struct chart_series s;
    memset(&s, 0, sizeof(s));
    int rc = read_series(a, c, name, expr, unit, scale, p->from, p->to, bucket, &s, e);
    if (rc < 0 || s.n == 0)
        return rc;
    mark_change_points(p, &s);
    p->series = xreallocarray(p->series, p->n_series + 1, sizeof(*p->series));
    p->series[p->n_series++] = s;
    return ERR_OK;
}

/* The default panels: the broken step's conversion in %, then ingested and saved metrics. */
static int default_panels(struct app *a, struct chart_set *c, const struct analysis *an,
                          const struct strlist *metrics, int64_t bucket, struct err *e)
{
    int rc = ERR_OK;
    if (an->broken >= 0) {
        const struct an_step *st = &an->steps[an->broken];
        char name[128], expr[256];
        snprintf(name, sizeof(name), "%s -> %s", st->from, st->to);
        snprintf(expr, sizeof(expr), "(count() where event = '%s') / (count() where event = "
                 "'%s')", st->to, st->from);
        /* Conversion is noisy per minute; ten-minute buckets at least keep it readable. */
        int64_t b = bucket < 10 * MS_PER_MINUTE ? 10 * MS_PER_MINUTE : bucket;
        if ((rc = add_panel(a, c, name, expr, "%", 100, b, e)) < 0)
            return rc;
    }
    for (size_t i = 0; i < metrics->n && c->panels.n_series < CHARTS_MAX_PANELS; i++) {
        char *expr = series_expr(metrics, metrics->items[i]);
        rc = add_panel(a, c, metrics->items[i], expr, unit_of(metrics->items[i]), 1, bucket, e);
        free(expr);
        if (rc < 0)
            return rc;
    }
    struct saved_metric *saved = NULL;
    size_t n_saved = 0;
    if ((rc = store_saved_metric_list(a->store, &saved, &n_saved, e)) < 0)
        return rc;
    for (size_t i = 0; i < n_saved && c->panels.n_series < CHARTS_MAX_PANELS; i++) {
        int64_t b = bucket < 10 * MS_PER_MINUTE ? 10 * MS_PER_MINUTE : bucket;
        if ((rc = add_panel(a, c, saved[i].name, saved[i].name,
                            saved[i].unit ? saved[i].unit : "", 1, b, e)) < 0)
            break;
    }
    saved_metrics_free(saved, n_saved);
    return rc;
}

static void fill_periods(struct chart_set *c, int64_t started, int64_t end)
{
    int64_t len = end - started;
    c->periods.title = xstrdup("Before, during and after the incident");
    c->periods.rows = xcalloc(c->panels.n_series ? c->panels.n_series : 1,
                              sizeof(*c->periods.rows));
    for (size_t i = 0; i < c->panels.n_series; i++) {
        const struct chart_series *s = &c->panels.series[i];
        struct chart_period_row *row = &c->periods.rows[c->periods.n_rows++];
        row->name = xstrdup(s->name);
        row->unit = xstrdup(s->unit);
        row->before = chart_series_mean(s, started - len, started);
        row->during = chart_series_mean(s, started, end);
        row->after = chart_series_mean(s, end, end + len);
    }
}

/* A 1-2-5 number at least x. */
static double nice_at_least(double x)
{
    double p = pow(10, floor(log10(x)));
    for (int k = 0; k < 4; k++) {
        const double m[] = {1, 2, 5, 10};
        if (m[k] * p >= x)
            return m[k] * p;
    }
    return 10 * p;
}

/* The first numeric event field named like a latency or a duration; NULL when none. */
static int latency_field(struct app *a, char **ret, struct err *e)
{
    struct field_info *fields = NULL;
    size_t n = 0;
    *ret = NULL;
    int rc = store_event_fields(a->store, &fields, &n, e);
    for (size_t i = 0; rc == ERR_OK && i < n && !*ret; i++)
        if (fields[i].type == 2 && !strchr(fields[i].name, '`') &&
            (strstr(fields[i].name, "latency") || strstr(fields[i].name, "duration")))
            *ret = xstrdup(fields[i].name);
    field_infos_free(fields, n);
    return rc;
}

/* Bands double from a round base up to the largest latency in the window: 0, b, 2b, 4b, ... so
 * that both the usual requests and the slow tail get rows of their own. */
static int fill_heatmap(struct app *a, struct chart_set *c, int64_t started, int64_t end,
                        struct err *e)
{
    struct chart_heatmap *h = &c->heatmap;
    char *field = NULL, expr[512];
    int rc = latency_field(a, &field, e);
    if (rc < 0 || !field) {
        if (rc == ERR_OK)
            add_note(c, "latency heatmap: %s", "no numeric event field named like a latency");
        return rc;
    }
    double top = NAN;
    snprintf(expr, sizeof(expr), "max(`%s`)", field);
    if ((rc = query_value(a->store, expr, c->panels.from, c->panels.to, &top, e)) < 0)
        goto done;
    if (!(top > 0)) {
        add_note(c, "latency heatmap: no positive `%s` in the window", field);
        goto done;
    }
    double base = nice_at_least(top / pow(2, HEATMAP_MAX_BANDS - 1));
    size_t bands = 1;
    while (base * pow(2, (double)bands - 1) < top && bands < HEATMAP_MAX_BANDS)
        bands++;
    h->title = xstrdup("Latency");
    h->unit = xstrdup(unit_of(field)[0] ? unit_of(field) : "");
    h->bucket_ms = charts_bucket_for(c->panels.to - c->panels.from, HEATMAP_TARGET_TIMES);
    h->from = c->panels.from / h->bucket_ms * h->bucket_ms;
    h->shade_from = started;
    h->shade_to = end;
    h->n_bands = bands;
    h->bounds = xcalloc(bands + 1, sizeof(*h->bounds));
    for (size_t j = 1; j <= bands; j++)
        h->bounds[j] = base * pow(2, (double)j - 1);
    for (size_t j = 0; j < bands; j++) {
        /* the top band is open so that the slowest requests are counted too */
        if (j + 1 < bands)
            snprintf(expr, sizeof(expr), "count() where `%s` >= %.17g and `%s` < %.17g", field,
                     h->bounds[j], field, h->bounds[j + 1]);
        else
            snprintf(expr, sizeof(expr), "count() where `%s` >= %.17g", field, h->bounds[j]);
        struct series_request rq = {expr, h->from, c->panels.to, h->bucket_ms, NULL, 0, false};
        struct series_result r;
        memset(&r, 0, sizeof(r));
        if ((rc = query_series(a->store, &rq, &r, e)) < 0)
            goto done;
        if (!h->counts) {
            h->n_times = r.n_buckets;
            h->counts = xcalloc(h->n_times ? h->n_times * bands : 1, sizeof(double));
        }
        for (size_t t = 0; t < h->n_times && t < r.n_buckets; t++)
            h->counts[t * bands + j] = series_value(&r, 0, t);
        series_result_release(&r);
    }
done:
    free(field);
    return rc;
}

static void fill_funnel(struct chart_set *c, const struct analysis *an)
{
    struct chart_funnel *f = &c->funnel;
    if (an->n_steps == 0)
        return;
    f->title = xstrdup("Funnel conversion before and during the incident");
    f->n_steps = an->n_steps;
    f->names = xcalloc(an->n_steps + 1, sizeof(*f->names));
    f->before = xcalloc(an->n_steps, sizeof(*f->before));
    f->during = xcalloc(an->n_steps, sizeof(*f->during));
    f->names[0] = xstrdup(an->steps[0].from);
    for (size_t i = 0; i < an->n_steps; i++) {
        f->names[i + 1] = xstrdup(an->steps[i].to);
        f->before[i] = an->steps[i].before;
        f->during[i] = an->steps[i].during;
    }
    f->broken = an->broken;
}

static void fill_segments(struct chart_set *c, const struct analysis *an)
{
    struct chart_segments *s = &c->segments;
    if (an->n_causes == 0)
        return;
    s->title = xstrdup("Segments that explain the drop");
    s->metric = xstrdup(an->causes[0].metric);
    s->labels = xcalloc(an->n_causes, sizeof(*s->labels));
    s->shares = xcalloc(an->n_causes, sizeof(*s->shares));
    for (size_t i = 0; i < an->n_causes; i++) {
        const struct an_cause *k = &an->causes[i];
        struct buf b = BUF_INIT;
        for (size_t d = 0; d < k->keys.n; d++)
            buf_printf(&b, "%s%s=%s", d ? "&" : "", k->keys.items[d], k->values.items[d]);
        s->labels[s->n] = xstrdup(b.data ? b.data : "");
        s->shares[s->n++] = k->share;
        buf_release(&b);
    }
}

/* The incident's [started, end) (incident_impact_end, as analyze). */
static int incident_span(struct app *a, const char *key, int64_t *ret_started, int64_t *ret_end,
                         struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK) {
        *ret_started = inc.times[T_STARTED];
        *ret_end = incident_impact_end(&inc, a->now);
    }
    incident_release(&inc);
    return rc;
}

int app_charts_gather(struct app *a, const char *key, const char *const *exprs, size_t n_exprs,
                      struct chart_set *ret, struct err *e)
{
    struct chart_set c;
    memset(&c, 0, sizeof(c));
    struct analysis an;
    memset(&an, 0, sizeof(an));
    struct strlist metrics = {0};
    int64_t started = 0, end = 0;
    int rc = incident_span(a, key, &started, &end, e);
    /* The whole diagnosis only for the report's charts: `chart` needs none of it. */
    struct analyze_request rq = {key, NULL, NULL, NULL, NULL, true};
    if (rc < 0 || (!exprs && (rc = app_analyze(a, &rq, &an, e)) < 0))
        return rc;
    if ((rc = store_metric_names(a->store, &metrics, e)) < 0)
        goto done;
    int64_t margin = 2 * (end - started);
    if (margin < MIN_MARGIN_MS)
        margin = MIN_MARGIN_MS;
    int64_t bucket = charts_bucket_for(end - started + 2 * margin, CHARTS_TARGET_BUCKETS);
    struct chart_panels *p = &c.panels;
    p->title = xstrdup(exprs ? "Series around the incident" : "Key metrics around the incident");
    /* On a whole hour (or bucket), so that every series and the heatmap, whatever their
     * bucket, start on the axis's first tick. */
    int64_t align = bucket > MS_PER_HOUR ? bucket : MS_PER_HOUR;
    p->from = (started - margin) / align * align;
    p->to = end + margin;
    p->shade_from = started;
    p->shade_to = end;
    if (exprs) {
        for (size_t i = 0; i < n_exprs; i++) {
            char *expr = series_expr(&metrics, exprs[i]);
            rc = add_panel(a, &c, exprs[i], expr, unit_of(exprs[i]), 1, bucket, e);
            free(expr);
            if (rc < 0)
                goto done;
        }
        if ((rc = mark_recent_changes(a, p, e)) < 0)
            goto done;
    } else {
        if ((rc = default_panels(a, &c, &an, &metrics, bucket, e)) < 0)
            goto done;
        fill_periods(&c, started, end);
        if ((rc = fill_heatmap(a, &c, started, end, e)) < 0)
            goto done;
        fill_funnel(&c, &an);
        fill_segments(&c, &an);
        for (size_t i = 0; i < an.notes.n; i++)
            add_note(&c, "%s", an.notes.items[i]);
        mark_ranked_changes(p, &an);
    }
    if (p->n_series == 0)
        add_note(&c, "time panels: %s", "no series with data in the window");
    *ret = c;
    memset(&c, 0, sizeof(c));
done:
    chart_set_release(&c);
    analysis_release(&an);
    strlist_release(&metrics);
    return rc;
}
