/* trends.c: the incident trends as text, Markdown, JSON and one HTML page (render/trends.h).
 *
 * Every rendering shows every period, also those without incidents, so a trend line never skips
 * a month. An undefined figure (NAN) is "-" in text and Markdown and null in JSON. */
#include "render/trends.h"

#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "render/chart_trends.h"
#include "render/html_doc.h"
#include "render/report_md.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======== names ======== */

const char *trend_by_name(enum trend_by by)
{
    return by == TREND_QUARTER ? "quarter" : "month";
}

int trend_by_parse(const char *s, enum trend_by *ret, struct err *e)
{
    if (s && strcmp(s, "month") == 0)
        *ret = TREND_MONTH;
    else if (s && strcmp(s, "quarter") == 0)
        *ret = TREND_QUARTER;
    else
        return err_set(e, ERR_INVALID, "--by: '%.40s' is not one of month, quarter",
                       s ? s : "");
    return ERR_OK;
}

static const struct {
    const char *key, *name;
} durations[TD__COUNT] = {
    {"ttd", "time to detect"},
    {"tta", "time to acknowledge"},
    {"ttm", "time to mitigate"},
    {"ttr", "time to resolve"},
    {"ttp", "time to postmortem"},
};

const char *trend_duration_key(enum trend_duration d)
{
    return d < TD__COUNT ? durations[d].key : "";
}

const char *trend_duration_name(enum trend_duration d)
{
    return d < TD__COUNT ? durations[d].name : "";
}

void trends_release(struct trends *t)
{
    for (size_t i = 0; t->periods && i < t->n; i++) {
        struct trend_period *p = &t->periods[i];
        for (size_t k = 0; k < p->n_services; k++)
            free(p->services[k].name);
        for (size_t k = 0; k < p->n_modes; k++)
            free(p->modes[k].name);
        free(p->services);
        free(p->modes);
    }
    free(t->periods);
    memset(t, 0, sizeof(*t));
}

/* ======== formatting ======== */

/* "3h 20m", or "-" when undefined. */
static const char *fmt_duration(double seconds, char out[DURATION_STR_MAX])
{
    if (!isfinite(seconds)) {
        snprintf(out, DURATION_STR_MAX, "-");
        return out;
    }
    return time_format_duration((int64_t)llround(seconds * 1000.0), out);
}

/* "28.6%", or "-". */
static const char *fmt_pct(double rate, char out[32])
{
    if (!isfinite(rate))
        snprintf(out, 32, "-");
    else
        snprintf(out, 32, "%.1f%%", rate * 100.0);
    return out;
}

/* "3.8", or "-". */
static const char *fmt_mean(double v, char out[32])
{
    if (!isfinite(v))
        snprintf(out, 32, "-");
    else
        snprintf(out, 32, "%.1f", v);
    return out;
}

/* "payments 3, checkout 2", or "-". */
static void counts_text(struct buf *b, const struct trend_count *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s %zu", i ? ", " : "", c[i].name, c[i].n);
    if (n == 0)
        buf_puts(b, "-");
}

static void range_text(struct buf *b, const struct trends *t)
{
    if (t->n == 0) {
        buf_puts(b, "no period");
        return;
    }
    buf_printf(b, "%s to %s (UTC)", t->periods[0].label, t->periods[t->n - 1].label);
    char s[TIME_STR_MAX];
    if (t->since != TIME_UNSET)
        buf_printf(b, ", incidents started from %s", time_format_rfc3339(t->since, s));
    if (t->until != TIME_UNSET)
        buf_printf(b, "%s before %s", t->since != TIME_UNSET ? "" : ", incidents started",
                   time_format_rfc3339(t->until, s));
}

static size_t total_incidents(const struct trends *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->periods[i].incidents;
    return n;
}

/* ======== text ======== */

static void text_period(struct sink *out, const struct trend_period *p)
{
    char a[DURATION_STR_MAX], b[DURATION_STR_MAX], x[32], y[32], z[32];
    struct buf line = BUF_INIT;
    sink_printf(out, "\n%s: %zu incident%s\n", p->label, p->incidents,
                p->incidents == 1 ? "" : "s");
    sink_printf(out, "  %-20s SEV1 %zu, SEV2 %zu, SEV3 %zu, SEV4 %zu\n", "by severity",
                p->by_severity[SEV1], p->by_severity[SEV2], p->by_severity[SEV3],
                p->by_severity[SEV4]);
    counts_text(&line, p->services, p->n_services);
    sink_printf(out, "  %-20s %s\n", "by service", buf_str(&line));
    buf_reset(&line);
    counts_text(&line, p->modes, p->n_modes);
    if (p->without_mode && p->n_modes)
        buf_printf(&line, " (%zu without)", p->without_mode);
    sink_printf(out, "  %-20s %s\n", "by failure mode", buf_str(&line));
    buf_release(&line);
    for (int k = 0; k < TD__COUNT; k++)
        sink_printf(out, "  %-20s median %s, p90 %s (%zu measured)\n", durations[k].name,
                    fmt_duration(p->median_s[k], a), fmt_duration(p->p90_s[k], b),
                    p->n_measured[k]);
    sink_printf(out, "  %-20s %zu opened, %zu done (%zu on time), %zu overdue\n", "actions",
                p->actions_opened, p->actions_done, p->actions_on_time, p->actions_overdue);
    sink_printf(out, "  %-20s %s (%zu of %zu incidents)\n", "recurrence",
                fmt_pct(p->recurrence_rate, x), p->recurrent, p->incidents);
    sink_printf(out, "  %-20s %s (%zu of %zu fixed failure modes did not recur)\n",
                "fix efficacy", fmt_pct(p->fix_efficacy, y), p->held_modes, p->fixed_modes);
    if (p->feedback_count)
        sink_printf(out, "  %-20s %zu rating%s: clarity %s, usefulness %s, time efficiency %s\n",
                    "feedback", p->feedback_count, p->feedback_count == 1 ? "" : "s",
                    fmt_mean(p->feedback[0], x), fmt_mean(p->feedback[1], y),
                    fmt_mean(p->feedback[2], z));
    else
        sink_printf(out, "  %-20s none\n", "feedback");
}

void render_trends_text(struct sink *out, const struct trends *t)
{
    struct buf b = BUF_INIT;
    range_text(&b, t);
    sink_printf(out, "Incident trends by %s: %zu incident%s, %s.\n", trend_by_name(t->by),
                total_incidents(t), total_incidents(t) == 1 ? "" : "s", buf_str(&b));
    buf_release(&b);
    for (size_t i = 0; i < t->n; i++)
        text_period(out, &t->periods[i]);
}

/* ======== Markdown ======== */

static void md_figure(struct sink *out, bool figures, const char *alt, const char *file)
{
    if (figures)
        sink_printf(out, "\n![%s](%s)\n", alt, file);
}

static void md_incidents(struct sink *out, const struct trends *t, bool figures)
{
    char x[32], y[32];
    sink_puts(out, "\n## Incidents\n\n| period | incidents | SEV1 | SEV2 | SEV3 | SEV4 | "
                   "recurrence | fix efficacy |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: "
                   "| ---: |\n");
    for (size_t i = 0; i < t->n; i++) {
        const struct trend_period *p = &t->periods[i];
        sink_printf(out, "| %s | %zu | %zu | %zu | %zu | %zu | %s | %s |\n", p->label,
                    p->incidents, p->by_severity[SEV1], p->by_severity[SEV2],
                    p->by_severity[SEV3], p->by_severity[SEV4], fmt_pct(p->recurrence_rate, x),
                    fmt_pct(p->fix_efficacy, y));
    }
    md_figure(out, figures, "Incidents by severity", "trends-severity.svg");
    md_figure(out, figures, "Incidents by failure mode", "trends-modes.svg");
    md_figure(out, figures, "Recurrence rate and fix efficacy", "trends-rates.svg");
}

static void md_breakdowns(struct sink *out, const struct trends *t)
{
    sink_puts(out, "\n## Services and failure modes\n\n| period | by service | by failure mode "
                   "|\n| --- | --- | --- |\n");
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < t->n; i++) {
        const struct trend_period *p = &t->periods[i];
        sink_printf(out, "| %s | ", p->label);
        buf_reset(&b);
        counts_text(&b, p->services, p->n_services);
        md_inline(out, buf_str(&b));
        sink_puts(out, " | ");
        buf_reset(&b);
        counts_text(&b, p->modes, p->n_modes);
        md_inline(out, buf_str(&b));
        sink_puts(out, " |\n");
    }
    buf_release(&b);
}

static void md_durations(struct sink *out, const struct trends *t, bool figures)
{
    sink_puts(out, "\n## Response times\n\nMedian and 90th percentile over the incidents that "
                   "have both times.\n\n| period |");
    for (int k = 0; k < TD__COUNT; k++)
        sink_printf(out, " %s median | p90 |", durations[k].name);
    sink_puts(out, "\n| --- |");
    for (int k = 0; k < TD__COUNT; k++)
        sink_puts(out, " ---: | ---: |");
    sink_puts(out, "\n");
    for (size_t i = 0; i < t->n; i++) {
        const struct trend_period *p = &t->periods[i];
        char a[DURATION_STR_MAX], b[DURATION_STR_MAX];
        sink_printf(out, "| %s |", p->label);
        for (int k = 0; k < TD__COUNT; k++)
            sink_printf(out, " %s | %s |", fmt_duration(p->median_s[k], a),
                        fmt_duration(p->p90_s[k], b));
        sink_puts(out, "\n");
    }
    md_figure(out, figures, "Median time to detect, mitigate and resolve", "trends-durations.svg");
}

static void md_actions_feedback(struct sink *out, const struct trends *t)
{
    sink_puts(out, "\n## Actions\n\n| period | opened | done | done on time | overdue at the end "
                   "|\n| --- | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < t->n; i++) {
        const struct trend_period *p = &t->periods[i];
        sink_printf(out, "| %s | %zu | %zu | %zu | %zu |\n", p->label, p->actions_opened,
                    p->actions_done, p->actions_on_time, p->actions_overdue);
    }
    sink_puts(out, "\n## Participants' feedback\n\nMeans of the 1-5 ratings given on the "
                   "period's incidents.\n\n| period | ratings | clarity | usefulness | time "
                   "efficiency |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < t->n; i++) {
        const struct trend_period *p = &t->periods[i];
        char x[32], y[32], z[32];
        sink_printf(out, "| %s | %zu | %s | %s | %s |\n", p->label, p->feedback_count,
                    fmt_mean(p->feedback[0], x), fmt_mean(p->feedback[1], y),
                    fmt_mean(p->feedback[2], z));
    }
}

void render_trends_md(struct sink *out, const struct trends *t, bool figures)
{
    struct buf b = BUF_INIT;
    range_text(&b, t);
    sink_printf(out, "# Incident trends by %s\n\n%zu incident%s, %s. Durations are medians and "
                "90th percentiles; a recurrence is a failure mode seen on another incident in "
                "the 90 days before; fix efficacy is the share of failure modes with a verified "
                "fix that did not come back. \"-\" marks a figure without data.\n",
                trend_by_name(t->by), total_incidents(t), total_incidents(t) == 1 ? "" : "s",
                buf_str(&b));
    buf_release(&b);
    if (t->n == 0)
        return;
    md_incidents(out, t, figures);
    md_durations(out, t, figures);
    md_breakdowns(out, t);
    md_actions_feedback(out, t);
}

/* ======== JSON ======== */

/* A whole number as an integer, a fraction as a real, NAN as null. */
static json_t *json_number(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *json_counts(const struct trend_count *c, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, c[i].name, json_integer((json_int_t)c[i].n));
    return o;
}

static json_t *json_time(int64_t ms)
{
    char s[TIME_STR_MAX];
    return ms == TIME_UNSET ? json_null() : json_string(time_format_rfc3339(ms, s));
}

static json_t *period_json(const struct trend_period *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "period", json_string(p->label));
    json_object_set_new(o, "from", json_time(p->from));
    json_object_set_new(o, "to", json_time(p->to));
    json_object_set_new(o, "incidents", json_integer((json_int_t)p->incidents));
    json_t *sev = json_object();
    for (int s = SEV1; s <= SEV_MAX; s++)
        json_object_set_new(sev, severity_name((enum severity)s),
                            json_integer((json_int_t)p->by_severity[s]));
    json_object_set_new(o, "by_severity", sev);
    json_object_set_new(o, "by_service", json_counts(p->services, p->n_services));
    json_object_set_new(o, "by_failure_mode", json_counts(p->modes, p->n_modes));
    json_object_set_new(o, "without_failure_mode", json_integer((json_int_t)p->without_mode));
    for (int k = 0; k < TD__COUNT; k++) {
        char key[32];
        snprintf(key, sizeof(key), "%s_median_s", durations[k].key);
        json_object_set_new(o, key, json_number(p->median_s[k]));
        snprintf(key, sizeof(key), "%s_p90_s", durations[k].key);
        json_object_set_new(o, key, json_number(p->p90_s[k]));
        snprintf(key, sizeof(key), "%s_n", durations[k].key);
        json_object_set_new(o, key, json_integer((json_int_t)p->n_measured[k]));
    }
    json_object_set_new(o, "actions_opened", json_integer((json_int_t)p->actions_opened));
    json_object_set_new(o, "actions_done", json_integer((json_int_t)p->actions_done));
    json_object_set_new(o, "actions_on_time", json_integer((json_int_t)p->actions_on_time));
    json_object_set_new(o, "actions_overdue", json_integer((json_int_t)p->actions_overdue));
    json_object_set_new(o, "recurrent", json_integer((json_int_t)p->recurrent));
    json_object_set_new(o, "recurrence_rate", json_number(p->recurrence_rate));
    json_object_set_new(o, "fixed_failure_modes", json_integer((json_int_t)p->fixed_modes));
    json_object_set_new(o, "fixes_held", json_integer((json_int_t)p->held_modes));
    json_object_set_new(o, "fix_efficacy", json_number(p->fix_efficacy));
    json_t *fb = json_object();
    json_object_set_new(fb, "count", json_integer((json_int_t)p->feedback_count));
    json_object_set_new(fb, "clarity", json_number(p->feedback[0]));
    json_object_set_new(fb, "usefulness", json_number(p->feedback[1]));
    json_object_set_new(fb, "time_efficiency", json_number(p->feedback[2]));
    json_object_set_new(o, "feedback", fb);
    return o;
}

json_t *trends_to_json(const struct trends *t)
{
    json_t *o = json_object(), *arr = json_array();
    json_object_set_new(o, "by", json_string(trend_by_name(t->by)));
    json_object_set_new(o, "since", json_time(t->since));
    json_object_set_new(o, "until", json_time(t->until));
    json_object_set_new(o, "now", json_time(t->now));
    for (size_t i = 0; i < t->n; i++)
        json_array_append_new(arr, period_json(&t->periods[i]));
    json_object_set_new(o, "periods", arr);
    return o;
}

/* ======== the charts ======== */

static char **period_labels(const struct trends *t)
{
    char **l = xcalloc(t->n ? t->n : 1, sizeof(char *));
    for (size_t i = 0; i < t->n; i++)
        l[i] = xstrdup(t->periods[i].label);
    return l;
}

static void trend_init(struct chart_trend *c, const struct trends *t, const char *title,
                       const char *unit, size_t n_lines)
{
    memset(c, 0, sizeof(*c));
    c->title = xstrdup(title);
    c->unit = xstrdup(unit);
    c->axis = xstrdup(trend_by_name(t->by));
    c->periods = period_labels(t);
    c->n_periods = t->n;
    c->lines = xcalloc(n_lines, sizeof(*c->lines));
    c->n_lines = n_lines;
    for (size_t k = 0; k < n_lines; k++)
        c->lines[k].values = xcalloc(t->n ? t->n : 1, sizeof(double));
}

/* Median times to detect, mitigate and resolve, in the unit that suits the largest. */
static void durations_chart(const struct trends *t, struct chart_trend *c)
{
    static const enum trend_duration shown[] = {TD_DETECT, TD_MITIGATE, TD_RESOLVE};
    double hi = 0;
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < ARRAY_SIZE(shown); k++)
            if (isfinite(t->periods[i].median_s[shown[k]]))
                hi = fmax(hi, t->periods[i].median_s[shown[k]]);
    const char *unit = hi < 2 * 3600.0 ? "minutes" : hi < 72 * 3600.0 ? "hours" : "days";
    double div = hi < 2 * 3600.0 ? 60.0 : hi < 72 * 3600.0 ? 3600.0 : 86400.0;
    char title[96];
    snprintf(title, sizeof(title), "Median time to detect, mitigate and resolve per %s",
             trend_by_name(t->by));
    trend_init(c, t, title, unit, ARRAY_SIZE(shown));
    for (size_t k = 0; k < ARRAY_SIZE(shown); k++) {
        char name[64];
        snprintf(name, sizeof(name), "median %s", durations[shown[k]].name);
        c->lines[k].name = xstrdup(name);
        for (size_t i = 0; i < t->n; i++)
            c->lines[k].values[i] = t->periods[i].median_s[shown[k]] / div;
    }
}

static void rates_chart(const struct trends *t, struct chart_trend *c)
{
    char title[96];
    snprintf(title, sizeof(title), "Recurrence rate and fix efficacy per %s",
             trend_by_name(t->by));
    trend_init(c, t, title, "%", 2);
    c->lines[0].name = xstrdup("recurrence rate");
    c->lines[1].name = xstrdup("fix efficacy");
    for (size_t i = 0; i < t->n; i++) {
        c->lines[0].values[i] = t->periods[i].recurrence_rate * 100.0;
        c->lines[1].values[i] = t->periods[i].fix_efficacy * 100.0;
    }
}

static void stack_init(struct chart_stack *c, const struct trends *t, const char *title,
                       size_t n_categories)
{
    memset(c, 0, sizeof(*c));
    c->title = xstrdup(title);
    c->unit = xstrdup("incidents");
    c->axis = xstrdup(trend_by_name(t->by));
    c->periods = period_labels(t);
    c->n_periods = t->n;
    c->categories = xcalloc(n_categories ? n_categories : 1, sizeof(char *));
    c->n_categories = n_categories;
    c->counts = xcalloc(t->n * n_categories + 1, sizeof(double));
}

static void severity_chart(const struct trends *t, struct chart_stack *c)
{
    char title[96];
    snprintf(title, sizeof(title), "Incidents per %s by severity", trend_by_name(t->by));
    stack_init(c, t, title, SEV_MAX);
    for (int s = SEV1; s <= SEV_MAX; s++)
        c->categories[s - 1] = xstrdup(severity_name((enum severity)s));
    for (size_t i = 0; i < t->n; i++)
        for (int s = SEV1; s <= SEV_MAX; s++)
            c->counts[i * SEV_MAX + (size_t)(s - 1)] = (double)t->periods[i].by_severity[s];
}

#define MODES_SHOWN 6 /* the most frequent failure modes get a segment; the rest are "other" */

static int cmp_total(const void *pa, const void *pb)
{
    const struct trend_count *x = pa, *y = pb;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Incidents per period by failure mode: the most frequent modes over the whole range, then
 * "other" and "none" (no failure-mode tag) when they occur. An incident with two modes counts
 * in both. */
static void modes_chart(const struct trends *t, struct chart_stack *c)
{
    struct trend_count *tot = NULL;
    size_t n = 0, cap = 0, without = 0;
    for (size_t i = 0; i < t->n; i++) {
        without += t->periods[i].without_mode;
        for (size_t k = 0; k < t->periods[i].n_modes; k++) {
            const struct trend_count *m = &t->periods[i].modes[k];
            size_t j = 0;
            while (j < n && strcmp(tot[j].name, m->name) != 0)
                j++;
            if (j == n) {
                xgrow((void **)&tot, &cap, n + 1, sizeof(*tot));
                tot[n++] = (struct trend_count){m->name, 0};
            }
            tot[j].n += m->n;
        }
    }
    if (n > 1)
        qsort(tot, n, sizeof(*tot), cmp_total);
    size_t shown = n < MODES_SHOWN ? n : MODES_SHOWN;
    bool other = n > shown;
    size_t n_cat = shown + other + (without > 0);
    char title[96];
    snprintf(title, sizeof(title), "Incidents per %s by failure mode", trend_by_name(t->by));
    stack_init(c, t, title, n_cat);
    for (size_t k = 0; k < shown; k++)
        c->categories[k] = xstrdup(tot[k].name);
    if (other)
        c->categories[shown] = xstrdup("other");
    if (without)
        c->categories[n_cat - 1] = xstrdup("none");
    for (size_t i = 0; i < t->n; i++) {
        const struct trend_period *p = &t->periods[i];
        for (size_t k = 0; k < p->n_modes; k++) {
            size_t j = 0;
            while (j < shown && strcmp(tot[j].name, p->modes[k].name) != 0)
                j++;
            c->counts[i * n_cat + (j < shown ? j : shown)] += (double)p->modes[k].n;
        }
        if (without)
            c->counts[i * n_cat + n_cat - 1] = (double)p->without_mode;
    }
    free(tot);
}

/* ======== HTML ======== */

typedef void (*draw_fn)(struct sink *, const void *, const struct chart_style *);

static void draw_trend(struct sink *o, const void *c, const struct chart_style *st)
{
    render_chart_trend(o, c, st);
}

static void draw_stack(struct sink *o, const void *c, const struct chart_style *st)
{
    render_chart_stack(o, c, st);
}

static char *draw(const char *id, const void *chart, draw_fn fn)
{
    struct buf b = BUF_INIT;
    struct sink s = sink_buf(&b);
    struct chart_style st = {0, 0, id};
    fn(&s, chart, &st);
    return buf_detach(&b);
}

int render_trends_html(struct sink *out, const struct trends *t, struct err *e)
{
    struct chart_trend dur, rates;
    struct chart_stack sev, modes;
    durations_chart(t, &dur);
    rates_chart(t, &rates);
    severity_chart(t, &sev);
    modes_chart(t, &modes);
    char *svg[4] = {draw("trends-severity", &sev, draw_stack),
                    draw("trends-modes", &modes, draw_stack),
                    draw("trends-rates", &rates, draw_trend),
                    draw("trends-durations", &dur, draw_trend)};
    struct html_figure figs[4] = {{"trends-severity.svg", svg[0]},
                                  {"trends-modes.svg", svg[1]},
                                  {"trends-rates.svg", svg[2]},
                                  {"trends-durations.svg", svg[3]}};
    struct buf md = BUF_INIT;
    struct sink ms = sink_buf(&md);
    render_trends_md(&ms, t, true);
    char title[64];
    snprintf(title, sizeof(title), "Incident trends by %s", trend_by_name(t->by));
    int rc = sink_failed(&ms) ? err_set(e, ERR_INTERNAL, "cannot render the trends (out of "
                                                          "memory)")
                              : html_doc_render(out, title, buf_str(&md), figs, 4, e);
    buf_release(&md);
    for (int i = 0; i < 4; i++)
        free(svg[i]);
    chart_trend_release(&dur);
    chart_trend_release(&rates);
    chart_stack_release(&sev);
    chart_stack_release(&modes);
    return rc;
}
