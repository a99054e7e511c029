/* demo_history.c: a generated year of an organisation's incident records (docs/demo-data.md,
 * "The history"), one `hindsight export` document per incident in DIR/history/, so that
 * `hindsight import` brings them into a store and trends, similar incidents, the process audit
 * and search have a past to work on.
 *
 * The organisation has six services owned by four teams and seven failure modes, each with its
 * own rate per month. A failure mode's corrective action is verified after its second
 * occurrence; from then on a fix that works stops the failure mode (its rate falls to a twentieth)
 * and a fix that does not leaves the rate as it was, so the record shows failed fixes. The
 * response gets faster over the year (detection and mitigation times shrink by up to 40%) and the
 * postmortems thinner sections fewer, so trends have something to show. Everything comes from one
 * random stream of the seed: the same options give the same documents. */
#define _POSIX_C_SOURCE 200809L
#include "app/demo_history.h"
#include "app/demo_internal.h"

#include "core/buf.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "model/checklist.h"
#include "model/record.h"
#include "render/export_json.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STREAM_HISTORY 7
#define DAYS_PER_MONTH 30

struct team_spec {
    const char *name, *lead, *escalation;
    const char *members[2];
};

static const struct team_spec teams[] = {
    {"payments", "lena", "cto-office", {"tomas", "ines"}},
    {"discovery", "priya", "cto-office", {"jon", "mei"}},
    {"platform", "ken", "cto-office", {"oskar", "ada"}},
    {"identity", "sara", "cto-office", {"leo", "nora"}},
};

struct mode_spec {
    const char *name;        /* failure-mode:<name> */
    const char *service;     /* the service it hits */
    int team;                /* index into teams */
    double per_month;        /* incidents per month before a fix */
    bool fix_works;          /* does the verified fix stop it */
    const char *segment;     /* "key=value", or NULL */
    const char *change_kind; /* the change behind it (deploy, config, flag), or NULL */
    const char *change_what; /* its description */
    const char *step;        /* the funnel step that broke, or NULL */
    const char *titles[3];   /* "%s" is the segment's value or the service */
    const char *cause;       /* the root cause, one sentence */
    const char *fix;         /* the corrective action */
    const char *success;     /* its success criterion */
    double sev_weights[4];   /* SEV1..SEV4 */
};

static const struct mode_spec modes[] = {
    {"bad-deploy", "payments", 0, 1.2, false, "platform=android", "deploy",
     "Release of the payments SDK", "payment_submitted -> purchase_completed",
     {"Android users cannot complete checkout after payments release",
      "Payment errors for Android app users after SDK rollout",
      "Checkout conversion drop on Android after payments deploy"},
     "a payments SDK release broke payment submission for Android clients",
     "Canary every payments release per platform before full rollout",
     "payment_conversion where platform = 'android' >= 0.8 over 7d", {0.1, 0.5, 0.3, 0.1}},
    {"config-change", "search", 1, 1.0, true, "region=eu-west", "config",
     "search ranking config push", NULL,
     {"Search latency p99 above 2 s in eu-west", "Search returns empty results in eu-west",
      "Slow search after ranking config change"},
     "a ranking configuration pushed without validation overloaded the search cluster",
     "Validate search configs against a replay of production queries before push",
     "metric('latency_p99_ms') where service = 'search' < 900 over 14d", {0.0, 0.2, 0.5, 0.3}},
    {"capacity", "notifications", 2, 1.2, true, NULL, NULL, NULL, NULL,
     {"Push notifications delayed by up to %d minutes", "Notification queue backlog",
      "Email and push delivery delayed"},
     "the notification workers did not scale with the evening peak",
     "Autoscale notification workers on queue depth",
     "metric('queue_delay_s') where service = 'notifications' < 60 over 14d",
     {0.0, 0.1, 0.4, 0.5}},
    {"failover", "payments-db", 2, 0.6, false, "region=us-east", NULL, NULL, NULL,
     {"Payments API returns 5xx after database failover", "Payments database failover stalls writes",
      "Checkout errors during payments-db primary switch"},
     "connection pools kept connections to the old primary after a failover",
     "Make payments connection pools follow a failover within 30 s",
     "metric('http_error_rate') where service = 'payments' < 0.01 over 14d",
     {0.4, 0.4, 0.2, 0.0}},
    {"certificate-expiry", "auth", 3, 0.4, true, NULL, NULL, NULL, NULL,
     {"Login fails: expired TLS certificate on auth", "Mobile logins fail after certificate expiry",
      "auth API certificate expired"},
     "a certificate renewed by hand was forgotten",
     "Renew every certificate automatically and alert 21 days before expiry",
     "metric('http_error_rate') where service = 'auth' < 0.005 over 30d", {0.3, 0.5, 0.2, 0.0}},
    {"dependency", "checkout", 0, 1.0, false, "country=BR", NULL, NULL,
     "checkout_started -> payment_submitted",
     {"Card payments fail in Brazil: provider outage", "Checkout errors from the payment provider",
      "Payment provider timeouts in %s"},
     "the external payment provider timed out and checkout had no fallback",
     "Fail over to the second payment provider on timeouts",
     "(count() where event = 'payment_submitted') / (count() where event = 'checkout_started') "
     ">= 0.7 over 14d",
     {0.1, 0.4, 0.4, 0.1}},
    {"flag-misconfig", "checkout", 0, 0.7, true, "platform=ios", "flag",
     "checkout.express_pay flag turned on", "checkout_started -> payment_submitted",
     {"iOS checkout button does nothing after flag change", "Express pay breaks checkout on iOS",
      "iOS users stuck at checkout"},
     "a feature flag was turned on for every platform before the iOS client supported it",
     "Flags that change checkout need a per-platform rollout plan",
     "(count() where event = 'payment_submitted' and platform = 'ios') / "
     "(count() where event = 'checkout_started' and platform = 'ios') >= 0.7 over 7d",
     {0.0, 0.4, 0.5, 0.1}},
};

#define N_MODES ARRAY_SIZE(modes)

static const char *const section_ids[] = {"summary",    "impact",       "timeline",
                                          "root-causes", "detection",   "resolution",
                                          "action-items", "lessons-learned"};
/* Sections most often left thin in practice (the process audit should find them). */
static const double thin_chance[] = {0.05, 0.15, 0.1, 0.35, 0.3, 0.1, 0.1, 0.45};

static const char *const feedback_comments[] = {
    "Rebuilding the timeline from chat took an hour.",
    "Good meeting, clear owners for every action.",
    "We spent too long arguing about severity.",
    "The diagnosis pointed at the right deploy in minutes.",
    "Nobody from the owning team could attend.",
    NULL,
};

struct planned {
    int mode;
    int64_t start;
    bool verify_fix; /* this incident's fix action gets verified */
};

static int cmp_planned(const void *a, const void *b)
{
    const struct planned *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* ---- filling a record ---- */

static void add_audit(struct record *r, int64_t at, const char *actor, const char *rec,
                      const char *action, const char *field, const char *old_v,
                      const char *new_v)
{
    r->audit = xrealloc(r->audit, (r->n_audit + 1) * sizeof(*r->audit));
    struct audit_entry *a = &r->audit[r->n_audit++];
    memset(a, 0, sizeof(*a));
    a->at = at;
    a->actor = xstrdup(actor);
    a->record = xstrdup(rec);
    a->action = xstrdup(action);
    a->field = field ? xstrdup(field) : NULL;
    a->old_value = old_v ? xstrdup(old_v) : NULL;
    a->new_value = new_v ? xstrdup(new_v) : NULL;
}

static void add_timeline(struct record *r, int64_t at, enum timeline_kind kind, const char *text,
                         const char *author)
{
    r->timeline = xrealloc(r->timeline, (r->n_timeline + 1) * sizeof(*r->timeline));
    struct timeline_entry *t = &r->timeline[r->n_timeline++];
    memset(t, 0, sizeof(*t));
    t->at = at;
    t->kind = kind;
    t->text = xstrdup(text);
    t->author = xstrdup(author);
    t->created_at = at;
}

static void add_person(struct record *r, const char *name, int team)
{
    for (size_t i = 0; i < r->n_people; i++)
        if (strcmp(r->people[i].name, name) == 0)
            return;
    r->people = xrealloc(r->people, (r->n_people + 1) * sizeof(*r->people));
    r->people[r->n_people].name = xstrdup(name);
    r->people[r->n_people++].team = xstrdup(teams[team].name);
    for (size_t i = 0; i < r->n_teams; i++)
        if (strcmp(r->teams[i].name, teams[team].name) == 0)
            return;
    r->teams = xrealloc(r->teams, (r->n_teams + 1) * sizeof(*r->teams));
    struct record_team *t = &r->teams[r->n_teams++];
    t->name = xstrdup(teams[team].name);
    t->lead = xstrdup(teams[team].lead);
    t->escalation = xstrdup(teams[team].escalation);
}

static int64_t minutes(struct rng *g, double median, double sigma)
{
    double m = rng_lognormal(g, median, sigma);
    return (int64_t)(m < 1 ? 1 : m > 24 * 60 ? 24 * 60 : m) * MS_PER_MINUTE;
}

static void segment_value(const char *segment, char out[64])
{
    const char *eq = segment ? strchr(segment, '=') : NULL;
    snprintf(out, 64, "%s", eq ? eq + 1 : "");
}

/* The diagnosis's finding in the shape `hindsight analyze` stores (app/analyze.c). */
static void add_finding(struct record *r, const struct mode_spec *m, int64_t start,
                        int change_no, struct rng *g)
{
    char at[TIME_STR_MAX], segkey[64] = "", segval[64] = "";
    if (m->segment) {
        const char *eq = strchr(m->segment, '=');
        snprintf(segkey, sizeof(segkey), "%.*s", (int)(eq - m->segment), m->segment);
        segment_value(m->segment, segval);
    }
    double share = rng_range(g, 0.7, 1.0), drop = rng_range(g, 0.1, 0.5);
    struct buf ev = BUF_INIT, text = BUF_INIT;
    buf_puts(&ev, "{\"change\":");
    if (m->change_kind) {
        buf_printf(&ev, "{\"at\":\"%s\",\"description\":\"%s\",\"id\":\"chg-%d\",\"kind\":\"%s\","
                        "\"score\":%.3f,\"segment\":%s%s%s,\"service\":\"%s\"}",
                   time_format_rfc3339(start - minutes(g, 8, 0.5), at), m->change_what,
                   change_no, m->change_kind, rng_range(g, 0.5, 0.9), m->segment ? "\"" : "",
                   m->segment ? m->segment : "null", m->segment ? "\"" : "", m->service);
        buf_printf(&text, "%s (chg-%d)%s%s broke %s", m->change_what, change_no,
                   m->segment ? " for " : "", m->segment ? m->segment : "",
                   m->step ? m->step : m->service);
    } else {
        buf_puts(&ev, "null");
        buf_printf(&text, "%s%s%s explains %.0f%% of the deviation", m->step ? m->step : m->service,
                   m->segment ? ": " : "", m->segment ? m->segment : "", share * 100);
    }
    buf_printf(&ev, ",\"explained_share\":%.3f,\"segment\":", share);
    if (m->segment)
        buf_printf(&ev, "{\"%s\":\"%s\"}", segkey, segval);
    else
        buf_puts(&ev, "null");
    buf_printf(&ev, ",\"series\":\"%s\",\"step_drop\":%.3f}", m->step ? m->step : m->service,
               drop);
    r->findings = xcalloc(1, sizeof(*r->findings));
    r->n_findings = 1;
    r->findings[0].kind = xstrdup(m->change_kind ? "change" : "segment");
    r->findings[0].text = buf_detach(&text);
    r->findings[0].evidence = buf_detach(&ev);
    r->findings[0].score = share * drop;
    r->findings[0].created_at = start + 2 * MS_PER_DAY;
}

/* The record's actions: the fix (with its success criterion), a monitoring action, and now and
 * then one left without a criterion or without an update. */
static void add_actions(struct record *r, const struct mode_spec *m, const struct planned *p,
                        int64_t resolved, int64_t end, const char *lead, struct rng *g)
{
    const struct team_spec *t = &teams[m->team];
    const char *owner = t->members[rng_below(g, 2)];
    add_person(r, owner, m->team);
    size_t n = 2;
    r->actions = xcalloc(n, sizeof(*r->actions));
    r->n_actions = n;
    for (size_t i = 0; i < n; i++) {
        struct action *a = &r->actions[i].a;
        char ref[16], due[TIME_STR_MAX];
        snprintf(ref, sizeof(ref), "A-%zu", i + 1);
        a->owner = xstrdup(i == 0 ? owner : t->members[1 - (owner == t->members[1])]);
        add_person(r, a->owner, m->team);
        a->created_at = resolved + MS_PER_DAY;
        a->due_at = a->created_at + (int64_t)(i == 0 ? 14 : 21) * MS_PER_DAY;
        a->recurrence = m->fix_works ? 3 : 4;
        a->severity = 4;
        a->effort = 2 + (int)i;
        a->mitigates = 1;
        a->done_at = TIME_UNSET;
        a->kind = i == 0 ? AK_ARCHITECTURE : AK_MONITORING;
        if (i == 0) {
            a->text = xstrdup(m->fix);
            struct err e = ERR_INIT;
            if (success_parse(m->success, &a->success, &e) < 0)
                abort(); /* the table above is fixed: a bad criterion is a bug */
        } else {
            a->text = buf_format("Alert on %s errors per %s", m->service,
                               m->segment ? "segment" : "region");
            /* Most teams give a monitoring action a measure; some say why it has none. */
            if (rng_chance(g, 0.7)) {
                char *crit = buf_format("metric('http_error_rate') where service = '%s' < 0.02 "
                                      "over 30d", m->service);
                struct err e = ERR_INIT;
                if (success_parse(crit, &a->success, &e) < 0)
                    abort(); /* built from the fixed table: a bad criterion is a bug */
                free(crit);
            } else {
                a->no_success_reason = xstrdup("its value shows in the detection time of the "
                                               "next incident");
            }
        }
        a->status = AS_TODO;
        /* Done on time mostly, late sometimes, not at all when the due date is near the end. */
        int64_t took = (int64_t)(rng_range(g, 0.4, 1.5) * (double)(a->due_at - a->created_at));
        took -= took % MS_PER_MINUTE; /* people record whole minutes */
        bool the_fix = i == 0 && p->verify_fix; /* the one that gets verified is done */
        if (a->created_at + took < end - 7 * MS_PER_DAY && (rng_chance(g, 0.85) || the_fix)) {
            a->done_at = a->created_at + took;
            a->status = AS_DONE;
        }
        a->last_update = a->done_at != TIME_UNSET ? a->done_at : a->created_at;
        a->updated_at = a->last_update;
        add_audit(r, a->created_at, lead, ref, "create", "action", NULL, a->text);
        add_audit(r, a->created_at, lead, ref, "create", "owner", NULL, a->owner);
        add_audit(r, a->created_at, lead, ref, "create", "due", NULL,
                  time_format_rfc3339(a->due_at, due));
        if (a->done_at != TIME_UNSET)
            add_audit(r, a->done_at, a->owner, ref, "update", "status", "todo", "done");
        if (i == 0 && p->verify_fix && a->done_at != TIME_UNSET) {
            int64_t at = a->done_at + (a->success.window_ms > 0 ? a->success.window_ms : 0) +
                         MS_PER_DAY;
            if (at < end) {
                a->status = AS_VERIFIED;
                a->updated_at = a->last_update = at;
                add_audit(r, at, a->owner, ref, "update", "status", "done", "verified");
            }
        }
    }
}

static void add_sections(struct record *r, const struct mode_spec *m, int64_t at,
                         const char *lead, double thin_scale, struct rng *g)
{
    size_t n = ARRAY_SIZE(section_ids);
    r->sections = xcalloc(n, sizeof(*r->sections));
    for (size_t i = 0; i < n; i++) {
        struct record_section *s = &r->sections[r->n_sections++];
        s->section = xstrdup(section_ids[i]);
        s->actor = xstrdup(lead);
        s->updated_at = at;
        if (rng_chance(g, thin_chance[i] * thin_scale)) {
            s->text = xstrdup("TBD.");
            continue;
        }
        s->text = buf_format("%s: %s. The %s team traced it through the timeline, the diagnosis "
                           "and the evidence attached to the confirmed hypothesis, agreed on the "
                           "corrective actions below and on how their success will be measured "
                           "on the same data once they ship.",
                           section_ids[i], m->cause, teams[m->team].name);
    }
}

static void add_feedback(struct record *r, int64_t at, struct rng *g)
{
    size_t n = 1 + rng_below(g, 2);
    r->feedback = xcalloc(n, sizeof(*r->feedback));
    for (size_t i = 0; i < n; i++) {
        struct record_feedback *f = &r->feedback[r->n_feedback++];
        const struct team_spec *t = &teams[rng_below(g, ARRAY_SIZE(teams))];
        f->at = at + (int64_t)i * MS_PER_HOUR;
        f->actor = xstrdup(t->lead);
        for (int k = 0; k < 3; k++)
            f->ratings[k] = 2 + (int)rng_below(g, 4);
        const char *c = feedback_comments[rng_below(g, ARRAY_SIZE(feedback_comments))];
        f->comment = c ? xstrdup(c) : NULL;
    }
}

/* The checklist as far as the incident got: data access and hypotheses validated for the
 * postmortem meeting, implementation and monitoring by the review, and the post-implementation
 * review about a month after the incident, mostly on time (due 30 days after the postmortem's
 * due date), a few late, none when the month is not over yet. */
static void add_checklist(struct record *r, const int64_t stage_at[4], int reached,
                          int64_t resolved, int64_t end, const char *lead, struct rng *g)
{
    r->checklist = xcalloc(STAGE__COUNT, sizeof(*r->checklist));
    int64_t review = resolved + (int64_t)(24 + rng_below(g, 14)) * MS_PER_DAY;
    for (int st = 0; st < STAGE__COUNT; st++) {
        int64_t at = st < STAGE_IMPLEMENTATION ? stage_at[1]
                     : st < STAGE_REVIEW       ? (reached >= 2 ? stage_at[2] : TIME_UNSET)
                     : (reached >= 3 && review < end ? review : TIME_UNSET);
        if (at == TIME_UNSET)
            continue;
        struct record_check *c = &r->checklist[r->n_checklist++];
        c->stage = xstrdup(stage_name((enum stage)st));
        c->actor = xstrdup(lead);
        c->done_at = at;
    }
}

/* One incident of failure mode p->mode, number seq, from the history's random stream. */
static void build_record(struct record *r, const struct planned *p, int64_t seq, int64_t end,
                         double progress, int change_no, struct rng *g)
{
    const struct mode_spec *m = &modes[p->mode];
    const struct team_spec *t = &teams[m->team];
    const char *lead = t->lead;
    struct incident *inc = &r->inc;
    char value[64], rec[INCIDENT_KEY_MAX];
    segment_value(m->segment, value);
    incident_key(seq, rec);
    inc->seq = seq;
    const char *title = m->titles[rng_below(g, 3)];
    if (strstr(title, "%d"))
        inc->title = buf_format(title, 20 + (int)rng_below(g, 40));
    else if (strstr(title, "%s"))
        inc->title = buf_format(title, m->segment ? value : m->service);
    else
        inc->title = xstrdup(title);
    inc->summary = buf_format("%s; %s.", inc->title, m->cause);
    inc->owner = xstrdup(lead);
    inc->severity = (enum severity)(1 + rng_weighted(g, m->sev_weights, 4));
    /* Faster response over the year: up to 40% off detection and mitigation. */
    double faster = 1.0 - 0.4 * progress;
    int64_t *tm = inc->times;
    tm[T_STARTED] = p->start;
    tm[T_DETECTED] = tm[T_STARTED] + minutes(g, 14 * faster, 0.7);
    tm[T_ACKNOWLEDGED] = tm[T_DETECTED] + minutes(g, 5, 0.6);
    tm[T_MITIGATED] = tm[T_ACKNOWLEDGED] + minutes(g, 45 * faster, 0.6);
    tm[T_RESOLVED] = tm[T_MITIGATED] + minutes(g, 60, 0.9);
    inc->affected_users = (int64_t)rng_lognormal(g, 1500.0 / inc->severity, 0.8);
    inc->revenue_lost = round(rng_lognormal(g, 20000.0 / inc->severity, 0.9));
    inc->support_tickets = (int64_t)rng_lognormal(g, 40.0 / inc->severity, 0.7);
    strlist_push(&inc->services, m->service);
    char fm_tag[80], svc_tag[80];
    snprintf(fm_tag, sizeof(fm_tag), "failure-mode:%s", m->name);
    strlist_push(&inc->tags, fm_tag);
    snprintf(svc_tag, sizeof(svc_tag), "service:%s", m->service);
    strlist_push(&inc->tags, svc_tag);
    if (m->segment)
        strlist_push(&inc->segments, m->segment);
    inc->created_at = tm[T_DETECTED] + 2 * MS_PER_MINUTE;
    add_person(r, lead, m->team);

    /* The lifecycle: resolved, then postmortem, review and complete as time allows. */
    static const char *const stages[] = {"resolved", "postmortem", "review", "complete"};
    int64_t stage_at[4];
    stage_at[0] = tm[T_RESOLVED];
    stage_at[1] = stage_at[0] + (int64_t)(1 + rng_below(g, 3)) * MS_PER_DAY;
    stage_at[2] = stage_at[1] + (int64_t)(2 + rng_below(g, 10)) * MS_PER_DAY;
    stage_at[3] = stage_at[2] + (int64_t)(1 + rng_below(g, 7)) * MS_PER_DAY;
    int reached = 0;
    while (reached < 3 && stage_at[reached + 1] < end)
        reached++;
    /* A few old postmortems never got past the meeting (the audit finds them overdue). */
    if (reached == 3 && rng_chance(g, 0.08))
        reached = 1;
    inc->status = reached == 0 ? ST_RESOLVED : reached == 1 ? ST_POSTMORTEM
                : reached == 2 ? ST_REVIEW : ST_COMPLETE;
    inc->updated_at = stage_at[reached];

    add_audit(r, inc->created_at, lead, rec, "create", "incident", NULL, inc->title);
    add_audit(r, inc->created_at, lead, rec, "create", "tags", NULL, inc->tags.items[0]);
    add_audit(r, tm[T_MITIGATED], lead, rec, "status", "status", "open", "mitigated");
    add_audit(r, tm[T_RESOLVED], lead, rec, "status", "status", "mitigated", "resolved");
    for (int s = 1; s <= reached; s++)
        add_audit(r, stage_at[s], lead, rec, "status", "status", stages[s - 1], stages[s]);

    char line[300];
    add_timeline(r, tm[T_STARTED], TL_SIGNAL, "Error rate and conversion alerts fired", lead);
    snprintf(line, sizeof(line), "On-call for %s paged", m->service);
    add_timeline(r, tm[T_DETECTED], TL_DETECTION, line, lead);
    snprintf(line, sizeof(line), "Incident channel opened; %s is incident lead", lead);
    add_timeline(r, tm[T_ACKNOWLEDGED], TL_RESPONSE, line, lead);
    snprintf(line, sizeof(line), "Mitigated: %s", m->change_kind ? "the change was rolled back"
                                                                 : "traffic moved and capacity added");
    add_timeline(r, tm[T_MITIGATED], TL_RESPONSE, line, lead);

    add_finding(r, m, p->start, change_no, g);
    r->hypotheses = xcalloc(1, sizeof(*r->hypotheses));
    r->n_hypotheses = 1;
    struct hypothesis *h = &r->hypotheses[0].h;
    h->text = buf_format("%c%s", m->cause[0] - 'a' + 'A', m->cause + 1);
    h->owner = xstrdup(lead);
    h->likelihood = 4;
    h->impact = 5 - (inc->severity > 3 ? 1 : 0);
    h->status = HS_CONFIRMED;
    h->explained_share = NAN;
    h->created_at = tm[T_RESOLVED];
    h->updated_at = stage_at[reached > 0 ? 1 : 0];

    if (reached >= 1) {
        add_actions(r, m, p, tm[T_RESOLVED], end, lead, g);
        add_sections(r, m, stage_at[1] + MS_PER_DAY < end ? stage_at[1] + MS_PER_DAY
                                                         : stage_at[1],
                     lead, 1.0 - 0.6 * progress, g);
        char pm[INCIDENT_KEY_MAX + 16];
        snprintf(pm, sizeof(pm), "%s postmortem", rec);
        for (size_t i = 0; i < r->n_sections; i++)
            add_audit(r, r->sections[i].updated_at, lead, pm, "write", r->sections[i].section,
                      NULL, r->sections[i].text);
    }
    if (reached >= 1)
        add_checklist(r, stage_at, reached, tm[T_RESOLVED], end, lead, g);
    if (reached >= 2) {
        add_feedback(r, stage_at[2], g);
        r->decisions = xcalloc(1, sizeof(*r->decisions));
        r->n_decisions = 1;
        r->decisions[0].at = stage_at[2];
        r->decisions[0].actor = xstrdup(lead);
        r->decisions[0].text = buf_format("Track %s as a recurring failure mode: %s",
                                        m->name, m->fix);
    }
    r->exported_at = end;
    r->exported_by = xstrdup(lead);
}

/* ---- the plan and the files ---- */

/* Draws the incidents of months months ending at end: per failure mode a Poisson number per
 * month, until its fix is verified (after its second occurrence), then a twentieth of it when
 * the fix works. */
static size_t plan(struct rng *g, int months, int64_t end, struct planned **ret)
{
    struct planned *list = NULL;
    size_t n = 0, cap = 0;
    int64_t start = end - (int64_t)months * DAYS_PER_MONTH * MS_PER_DAY;
    for (size_t m = 0; m < N_MODES; m++) {
        int seen = 0;
        int64_t fixed_at = INT64_MAX;
        for (int month = 0; month < months; month++) {
            int64_t from = start + (int64_t)month * DAYS_PER_MONTH * MS_PER_DAY;
            double rate = modes[m].per_month;
            if (from >= fixed_at && modes[m].fix_works)
                rate /= 20;
            uint64_t k = rng_poisson(g, rate);
            for (uint64_t i = 0; i < k; i++) {
                int64_t at = from + (int64_t)rng_below(g, DAYS_PER_MONTH * 24 * 60) *
                                        MS_PER_MINUTE;
                if (at >= end - 2 * MS_PER_DAY)
                    continue;
                if (n == cap) {
                    cap = cap ? cap * 2 : 64;
                    list = xrealloc(list, cap * sizeof(*list));
                }
                /* The second occurrence's fix is the one verified. */
                seen++;
                list[n++] = (struct planned){(int)m, at, seen == 2};
                if (seen == 2)
                    fixed_at = at + 45 * MS_PER_DAY; /* done and verified about then */
            }
        }
    }
    if (n > 1)
        qsort(list, n, sizeof(*list), cmp_planned);
    *ret = list;
    return n;
}

static int write_document(const char *path, const struct record *r, struct err *e)
{
    char where[EXPORT_WHERE_MAX];
    json_t *doc = record_to_json(r, where);
    if (!doc)
        return err_set(e, ERR_INTERNAL, "history: cannot encode %s", where);
    struct buf text = BUF_INIT;
    struct sink s = sink_buf(&text);
    export_json_write(&s, doc);
    json_decref(doc);
    char *tmp = buf_format("%s.tmp", path);
    int rc = ERR_OK;
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(text.data, 1, text.len, f) != text.len || fclose(f) != 0) {
        rc = err_set(e, ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        unlink(tmp);
    } else if (rename(tmp, path) != 0) {
        rc = err_set(e, ERR_IO, "cannot rename '%s': %s", tmp, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    buf_release(&text);
    return rc;
}

/* Removes the documents of an earlier run (incident-*.json), so that a shorter history does
 * not leave old ones behind. */
static int clear_documents(const char *dir, struct err *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return err_set(e, ERR_IO, "cannot open '%s': %s", dir, strerror(errno));
    int rc = ERR_OK;
    struct dirent *de;
    while (rc == ERR_OK && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "incident-", 9) != 0 || len < 5 ||
            strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char *path = buf_format("%s/%s", dir, de->d_name);
        if (unlink(path) != 0)
            rc = err_set(e, ERR_IO, "cannot remove '%s': %s", path, strerror(errno));
        free(path);
    }
    closedir(d);
    return rc;
}

int demo_history_write(uint64_t seed, int months, int64_t end, const char *dir,
                       size_t *ret_count, struct err *e)
{
    if (months < 0 || months > DEMO_HISTORY_MONTHS_MAX)
        return err_set(e, ERR_INVALID, "history must be from 0 to %d months, not %d",
                       DEMO_HISTORY_MONTHS_MAX, months);
    char *hdir = buf_format("%s/history", dir);
    int rc = ERR_OK;
    if (mkdir(hdir, 0777) != 0 && errno != EEXIST)
        rc = err_set(e, ERR_IO, "cannot create directory '%s': %s", hdir, strerror(errno));
    if (rc == ERR_OK)
        rc = clear_documents(hdir, e);
    struct rng g;
    rng_seed(&g, seed, STREAM_HISTORY);
    struct planned *list = NULL;
    size_t n = rc == ERR_OK ? plan(&g, months, end, &list) : 0;
    int64_t span = (int64_t)months * DAYS_PER_MONTH * MS_PER_DAY;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct record r;
        record_init(&r);
        double progress = span > 0 ? 1.0 - (double)(end - list[i].start) / (double)span : 1;
        build_record(&r, &list[i], (int64_t)i + 1, end, progress, 1000 + (int)i, &g);
        char *path = buf_format("%s/incident-%03zu.json", hdir, i + 1);
        rc = write_document(path, &r, e);
        free(path);
        record_release(&r);
    }
    free(list);
    free(hdir);
    if (rc == ERR_OK && ret_count)
        *ret_count = n;
    return rc;
}
