/* incident_text.c: terminal renderings of incidents.
 *
 * Text is for people: aligned columns, durations in words ("1h 20m"), times in UTC. Anything
 * meant for programs uses --json instead, so this layout may change. Control characters never
 * reach the terminal: records refuse them on the way in. */
#include "render/incident_text.h"

#include "core/buf.h"
#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void render_postmortem_state(char *out, size_t size, const struct incident *inc,
                             const struct cadence_policy *p, int64_t now_ms)
{
    int64_t due = cadence_postmortem_due(p, inc);
    char d[DURATION_STR_MAX];
    if (due == TIME_UNSET || inc->status == ST_REVIEW || inc->status == ST_COMPLETE)
        snprintf(out, size, "%s", inc->status >= ST_REVIEW ? "written" : "-");
    else if (cadence_postmortem_overdue(p, inc, now_ms))
        snprintf(out, size, "overdue by %s", time_format_duration(now_ms - due, d));
    else
        snprintf(out, size, "due in %s", time_format_duration(due - now_ms, d));
}

void render_incident_list(struct sink *out, const struct incident *list, size_t n,
                          const struct cadence_policy *p, int64_t now_ms)
{
    if (n == 0) {
        sink_puts(out, "no incidents\n");
        return;
    }
    sink_printf(out, "%-8s %-4s %-10s %-20s %-10s %-18s %s\n", "KEY", "SEV", "STATUS", "STARTED",
                "RESOLVE", "POSTMORTEM", "TITLE");
    for (size_t i = 0; i < n; i++) {
        const struct incident *inc = &list[i];
        char key[INCIDENT_KEY_MAX], t[TIME_STR_MAX], d[DURATION_STR_MAX], pm[64];
        incident_key(inc->seq, key);
        render_postmortem_state(pm, sizeof(pm), inc, p, now_ms);
        sink_printf(out, "%-8s %-4s %-10s %-20s %-10s %-18s %s\n", key,
                    severity_name(inc->severity), status_name(inc->status),
                    time_format_rfc3339(inc->times[T_STARTED], t),
                    time_format_duration(incident_time_to_resolve(inc), d), pm, inc->title);
    }
}

static void field(struct sink *out, const char *name, const char *value)
{
    sink_printf(out, "%-14s%s\n", name, value);
}

static void time_field(struct sink *out, const struct incident *inc, enum incident_time t,
                       const char *span_name, int64_t span)
{
    if (inc->times[t] == TIME_UNSET)
        return;
    char ts[TIME_STR_MAX], d[DURATION_STR_MAX], line[160];
    if (span_name && span != TIME_UNSET)
        snprintf(line, sizeof(line), "%-22s (%s %s)", time_format_rfc3339(inc->times[t], ts),
                 span_name, time_format_duration(span, d));
    else
        snprintf(line, sizeof(line), "%s", time_format_rfc3339(inc->times[t], ts));
    field(out, incident_time_name(t), line);
}

static void list_field(struct sink *out, const char *name, const struct strlist *l)
{
    if (l->n == 0)
        return;
    char *s = strlist_join(l, ", ");
    field(out, name, s);
    free(s);
}

void render_impact(struct buf *b, const struct incident *inc)
{
    if (inc->affected_users >= 0)
        buf_printf(b, "%lld users affected", (long long)inc->affected_users);
    if (!isnan(inc->revenue_lost))
        buf_printf(b, "%s%.2f revenue lost", b->len ? "; " : "", inc->revenue_lost);
    if (inc->support_tickets >= 0)
        buf_printf(b, "%s%lld support tickets", b->len ? "; " : "",
                   (long long)inc->support_tickets);
}

static void impact_field(struct sink *out, const struct incident *inc)
{
    struct buf b = BUF_INIT;
    render_impact(&b, inc);
    if (b.len)
        field(out, "impact", buf_str(&b));
    buf_release(&b);
    list_field(out, "segments", &inc->segments);
}

static void cadence_fields(struct sink *out, const struct incident *inc,
                           const struct cadence_policy *p, int64_t now_ms)
{
    int64_t due = cadence_postmortem_due(p, inc);
    if (due == TIME_UNSET)
        return;
    char ts[TIME_STR_MAX], state[64], line[160];
    render_postmortem_state(state, sizeof(state), inc, p, now_ms);
    snprintf(line, sizeof(line), "due %s (%s)", time_format_rfc3339(due, ts), state);
    field(out, "postmortem", line);
    snprintf(line, sizeof(line), "due %s", time_format_rfc3339(cadence_review_due(p, inc), ts));
    field(out, "review", line);
}

void render_incident_show(struct sink *out, const struct incident *inc,
                          const struct timeline_entry *timeline, size_t n_timeline,
                          const struct cadence_policy *p, int64_t now_ms)
{
    char key[INCIDENT_KEY_MAX], line[64];
    incident_key(inc->seq, key);
    sink_printf(out, "%s  %s\n\n", key, inc->title);
    field(out, "severity", severity_name(inc->severity));
    if (inc->reopen_count > 0) {
        snprintf(line, sizeof(line), "%s (reopened %lld time%s)", status_name(inc->status),
                 (long long)inc->reopen_count, inc->reopen_count == 1 ? "" : "s");
        field(out, "status", line);
    } else {
        field(out, "status", status_name(inc->status));
    }
    if (inc->owner)
        field(out, "owner", inc->owner);
    list_field(out, "services", &inc->services);
    list_field(out, "tags", &inc->tags);
    time_field(out, inc, T_STARTED, NULL, TIME_UNSET);
    time_field(out, inc, T_DETECTED, "time to detect", incident_time_to_detect(inc));
    time_field(out, inc, T_ACKNOWLEDGED, "time to acknowledge",
               incident_time_to_acknowledge(inc));
    time_field(out, inc, T_MITIGATED, "time to mitigate", incident_time_to_mitigate(inc));
    time_field(out, inc, T_RESOLVED, "time to resolve", incident_time_to_resolve(inc));
    cadence_fields(out, inc, p, now_ms);
    impact_field(out, inc);
    for (size_t i = 0; i < inc->n_signals; i++) {
        char ts[TIME_STR_MAX], sig[200];
        snprintf(sig, sizeof(sig), "%s fired %s", inc->signals[i].name,
                 time_format_rfc3339(inc->signals[i].at, ts));
        field(out, i == 0 ? "signals" : "", sig);
    }
    if (inc->summary)
        sink_printf(out, "\nsummary\n  %s\n", inc->summary);
    if (n_timeline) {
        sink_puts(out, "\ntimeline\n");
        render_timeline(out, timeline, n_timeline);
    }
}

/* Writes text with every line after the first indented by indent spaces. */
static void indented(struct sink *out, const char *text, int indent)
{
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        sink_write(out, p, len);
        sink_puts(out, "\n");
        if (!nl)
            break;
        p = nl + 1;
        sink_printf(out, "%*s", indent, "");
    }
}

void render_timeline(struct sink *out, const struct timeline_entry *list, size_t n)
{
    if (n == 0) {
        sink_puts(out, "no timeline entries\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char ts[TIME_STR_MAX];
        sink_printf(out, "  %-22s %-13s ", time_format_rfc3339(list[i].at, ts),
                    timeline_kind_name(list[i].kind));
        indented(out, list[i].text, 39);
    }
}

void render_audit(struct sink *out, const struct audit_entry *list, size_t n)
{
    if (n == 0) {
        sink_puts(out, "no entries\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct audit_entry *a = &list[i];
        char ts[TIME_STR_MAX];
        sink_printf(out, "%-21s %-10s %-18s %-7s", time_format_rfc3339(a->at, ts), a->actor,
                    a->record, a->action);
        if (a->field) {
            if (a->old_value && a->new_value)
                sink_printf(out, " %s: %s -> %s\n", a->field, a->old_value, a->new_value);
            else if (a->new_value)
                sink_printf(out, " %s: %s\n", a->field, a->new_value);
            else
                sink_printf(out, " %s: %s -> (unset)\n", a->field, a->old_value ? a->old_value
                                                                                 : "");
        } else {
            sink_puts(out, "\n");
        }
    }
}
