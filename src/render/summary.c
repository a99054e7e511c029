/* summary.c: the stakeholder summary (summary.h). */
#include "render/summary.h"

#include "core/buf.h"
#include "core/timefmt.h"
#include "render/incident_text.h"
#include "render/report_md.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int audience_parse(const char *s, enum audience *ret, struct err *e)
{
    if (!strcmp(s, "exec"))
        *ret = AUD_EXEC;
    else if (!strcmp(s, "customer"))
        *ret = AUD_CUSTOMER;
    else
        return err_set(e, ERR_INVALID, "--audience: '%.40s' is not one of exec, customer", s);
    return ERR_OK;
}

const char *summary_failure_mode_phrase(const char *mode)
{
    static const struct { const char *mode, *phrase; } phrases[] = {
        {"bad-deploy", "a faulty software update"},
        {"config", "a configuration change"},
        {"config-change", "a configuration change"},
        {"capacity", "a lack of capacity during high demand"},
        {"dependency", "a problem with one of our providers"},
        {"third-party", "a problem with one of our providers"},
        {"data", "a problem with stored data"},
        {"network", "a network problem"},
        {"expired-certificate", "an expired security certificate"},
    };
    for (size_t i = 0; mode && i < ARRAY_SIZE(phrases); i++)
        if (!strcmp(mode, phrases[i].mode))
            return phrases[i].phrase;
    return NULL;
}

/* "March 6, 2026" and "14:05" from an instant, in UTC. */
static void human_date(int64_t ms, char *date, size_t dsize, char *clock, size_t csize)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    char ts[TIME_STR_MAX];
    time_format_rfc3339(ms, ts);
    int y = 0, mo = 1, d = 1, h = 0, mi = 0;
    if (sscanf(ts, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 || mo > 12)
        mo = 1;
    snprintf(date, dsize, "%s %d, %d", months[mo - 1], d, y);
    snprintf(clock, csize, "%02d:%02d", h, mi);
}

/* The value after the namespace of the first tag in namespace ns ("failure-mode"). */
static const char *tag_value(const struct incident *inc, const char *ns)
{
    size_t n = strlen(ns);
    for (size_t i = 0; i < inc->tags.n; i++)
        if (!strncmp(inc->tags.items[i], ns, n) && inc->tags.items[i][n] == ':')
            return inc->tags.items[i] + n + 1;
    return NULL;
}

/* Segments as a customer reads them: "app version 5.2" from "app_version=5.2"; platform names
 * alone ("android"). */
static void customer_segments(struct sink *out, const struct strlist *segs)
{
    for (size_t i = 0; i < segs->n; i++) {
        const char *s = segs->items[i], *eq = strchr(s, '=');
        sink_puts(out, i == 0 ? "" : i + 1 == segs->n ? " and " : ", ");
        if (!eq || !strncmp(s, "platform=", 9) || !strncmp(s, "country=", 8)) {
            md_inline(out, eq ? eq + 1 : s);
            continue;
        }
        for (const char *p = s; p < eq; p++)
            sink_write(out, *p == '_' ? " " : p, 1);
        sink_puts(out, " ");
        md_inline(out, eq + 1);
    }
}

static const char *section_text(const struct report *r, const char *id)
{
    for (size_t i = 0; i < r->n_sections; i++)
        if (!strcmp(r->sections[i].id, id))
            return r->sections[i].text;
    return NULL;
}

static void what_happened(struct sink *out, const struct report *r, enum audience aud)
{
    const struct incident *inc = &r->inc;
    int64_t start = inc->times[T_STARTED];
    int64_t end = inc->times[T_MITIGATED] != TIME_UNSET ? inc->times[T_MITIGATED]
                                                        : inc->times[T_RESOLVED];
    char date[40], t0[8], date1[40], t1[8], dur[DURATION_STR_MAX];
    human_date(start, date, sizeof(date), t0, sizeof(t0));
    sink_puts(out, "## What happened\n\n");
    if (end != TIME_UNSET) {
        human_date(end, date1, sizeof(date1), t1, sizeof(t1));
        sink_printf(out, "On %s, from %s to %s%s%s UTC (%s), ", date, t0,
                    strcmp(date, date1) ? date1 : "", strcmp(date, date1) ? " " : "", t1,
                    time_format_duration(end - start, dur));
    } else {
        sink_printf(out, "Since %s at %s UTC, ", date, t0);
    }
    if (aud == AUD_CUSTOMER) {
        sink_puts(out, "some of our customers were affected by a problem: ");
        md_inline(out, inc->title);
        sink_puts(out, ".\n\n");
        return;
    }
    sink_printf(out, "a %s incident: ", severity_name(inc->severity));
    md_inline(out, inc->title);
    sink_puts(out, ".");
    const char *summary = section_text(r, "summary");
    if (!summary)
        summary = inc->summary;
    if (summary) {
        sink_puts(out, " ");
        md_inline(out, summary);
    }
    sink_puts(out, "\n\n");
}

static void who_was_affected(struct sink *out, const struct report *r, enum audience aud)
{
    const struct incident *inc = &r->inc;
    sink_puts(out, "## Who was affected\n\n");
    if (aud == AUD_CUSTOMER) {
        if (inc->affected_users >= 0)
            sink_printf(out, "About %lld customers were affected", (long long)inc->affected_users);
        else
            sink_puts(out, "Some customers were affected");
        if (inc->segments.n) {
            sink_puts(out, ", those using ");
            customer_segments(out, &inc->segments);
        }
        sink_puts(out, ". Others could use the service as usual.\n\n");
        return;
    }
    struct buf b = BUF_INIT;
    render_impact(&b, inc);
    if (b.len) {
        md_inline(out, buf_str(&b));
        sink_puts(out, ".");
    } else {
        sink_puts(out, "The impact has not been measured yet.");
    }
    buf_release(&b);
    if (inc->segments.n) {
        char *s = strlist_join(&inc->segments, ", ");
        sink_puts(out, " Affected segments: ");
        md_inline(out, s);
        sink_puts(out, ".");
        free(s);
    }
    if (inc->services.n) {
        char *s = strlist_join(&inc->services, ", ");
        sink_puts(out, " Services: ");
        md_inline(out, s);
        sink_puts(out, ".");
        free(s);
    }
    sink_puts(out, "\n\n");
}

static const struct hypothesis *confirmed(const struct report *r)
{
    for (size_t i = 0; i < r->n_hypotheses; i++)
        if (r->hypotheses[i].status == HS_CONFIRMED)
            return &r->hypotheses[i];
    return NULL;
}

static void what_was_done(struct sink *out, const struct report *r, enum audience aud)
{
    const struct incident *inc = &r->inc;
    char dur[DURATION_STR_MAX], date[40], clock[8];
    sink_puts(out, "## What was done\n\n");
    if (inc->times[T_DETECTED] != TIME_UNSET && aud == AUD_EXEC)
        sink_printf(out, "It was detected after %s. ",
                    time_format_duration(incident_time_to_detect(inc), dur));
    if (inc->times[T_MITIGATED] != TIME_UNSET) {
        human_date(inc->times[T_MITIGATED], date, sizeof(date), clock, sizeof(clock));
        sink_printf(out, "%s at %s UTC. ", aud == AUD_CUSTOMER
                    ? "We restored normal service" : "The impact was stopped", clock);
    } else {
        sink_puts(out, aud == AUD_CUSTOMER ? "We are still working on it. "
                                           : "The impact has not been stopped yet. ");
    }
    const struct hypothesis *h = confirmed(r);
    const char *phrase = summary_failure_mode_phrase(tag_value(inc, "failure-mode"));
    if (aud == AUD_CUSTOMER) {
        sink_printf(out, "The cause was %s.\n\n", phrase ? phrase : "a problem in our systems");
        return;
    }
    if (h) {
        sink_puts(out, "Root cause (confirmed): ");
        md_inline(out, h->text);
        sink_puts(out, ".");
    } else if (r->n_hypotheses) {
        sink_puts(out, "The root cause is not confirmed yet; the leading hypothesis: ");
        md_inline(out, r->hypotheses[0].text);
        sink_puts(out, ".");
    } else {
        sink_puts(out, "The root cause has not been established yet.");
    }
    const char *resolution = section_text(r, "resolution");
    if (resolution) {
        sink_puts(out, " ");
        md_inline(out, resolution);
    }
    sink_puts(out, "\n\n");
}

static void what_prevents_it(struct sink *out, const struct report *r, enum audience aud)
{
    size_t total = 0, closed = 0;
    for (size_t i = 0; i < r->n_actions; i++) {
        const struct action *a = &r->actions[i].action;
        if (a->status == AS_WONTFIX)
            continue;
        total++;
        closed += action_status_closed(a->status);
    }
    sink_puts(out, "## What will prevent it\n\n");
    if (total == 0) {
        sink_puts(out, aud == AUD_CUSTOMER
                           ? "We are reviewing what happened to prevent it from happening "
                             "again.\n"
                           : "No corrective actions have been agreed yet.\n");
        return;
    }
    if (aud == AUD_CUSTOMER) {
        sink_printf(out, "We have planned %zu improvement%s to prevent this from happening "
                         "again; %zu %s already in place.\n", total, total == 1 ? "" : "s",
                    closed, closed == 1 ? "is" : "are");
        return;
    }
    sink_printf(out, "%zu corrective action%s, %zu done:\n\n", total, total == 1 ? "" : "s",
                closed);
    for (size_t i = 0; i < r->n_actions; i++) {
        const struct action *a = &r->actions[i].action;
        char ts[TIME_STR_MAX];
        if (a->status == AS_WONTFIX)
            continue;
        sink_puts(out, "- ");
        md_inline(out, a->text);
        sink_puts(out, " (");
        md_inline(out, a->owner ? a->owner : "no owner");
        if (a->due_at != TIME_UNSET)
            sink_printf(out, ", due %.10s", time_format_rfc3339(a->due_at, ts));
        sink_printf(out, ", %s%s)\n", action_status_name(a->status),
                    r->actions[i].overdue ? ", overdue" : "");
    }
}

void render_summary_md(struct sink *out, const struct report *r, enum audience aud)
{
    if (aud == AUD_CUSTOMER) {
        sink_puts(out, "# Incident summary: ");
    } else {
        sink_printf(out, "# %s: ", r->key);
    }
    md_inline(out, r->inc.title);
    sink_puts(out, "\n\n");
    what_happened(out, r, aud);
    who_was_affected(out, r, aud);
    what_was_done(out, r, aud);
    what_prevents_it(out, r, aud);
}
