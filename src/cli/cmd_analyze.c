/* cmd_analyze.c: hindsight analyze KEY: the automatic diagnosis (docs/diagnosis.md). */
#include "cli/cli.h"

#include "app/analyze.h"
#include "core/num.h"
#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_spec analyze_spec[] = {
    {"window-before", OPT_VALUE, "DURATION", "evidence read before the start (default 24h)"},
    {"window-after", OPT_VALUE, "DURATION", "evidence read after the end (default 24h)"},
    {"bucket", OPT_VALUE, "DURATION", "bucket of the metric series (default 1m)"},
    {"history", OPT_VALUE, "DAYS", "history read for the baselines, 1d..35d (default 4d; from "
                                  "14d the same time on previous weeks comes first)"},
    {"json", OPT_FLAG, NULL, "print JSON"},
};

static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *time_json(int64_t ms)
{
    char t[TIME_STR_MAX];
    return json_string(time_format_rfc3339(ms, t));
}

/* ---- what the logs say, replays ---- */

static json_t *templates_json(const struct analysis *an)
{
    json_t *list = json_array();
    for (size_t i = 0; i < an->n_templates; i++) {
        const struct an_template *t = &an->templates[i];
        json_t *cp = json_null();
        if (t->cp >= 0)
            cp = json_pack("{s:s, s:o, s:I}", "series", an->cps[t->cp].series, "at",
                           time_json(an->cps[t->cp].at), "lead_s",
                           (json_int_t)((t->onset - an->cps[t->cp].at) / 1000));
        json_array_append_new(
            list, json_pack("{s:s, s:s?, s:s?, s:I, s:I, s:o, s:f, s:b, s:o, s:o, s:o}",
                            "template", t->text, "service", t->service, "level", t->level,
                            "before", (json_int_t)t->before, "during", (json_int_t)t->during,
                            "rate_ratio", isinf(t->rate_ratio) ? json_null()
                                                               : num_or_null(t->rate_ratio),
                            "p_value", t->p_value, "new", t->is_new, "first_seen",
                            time_json(t->first_seen), "onset", time_json(t->onset),
                            "nearest_change_point", cp));
    }
    return list;
}

static json_t *replay_event_json(const struct an_replay_event *ev)
{
    json_t *o = json_pack("{s:o, s:s}", "at", time_json(ev->at), "event", ev->event);
    for (size_t k = 0; k < ev->keys.n; k++) {
        const char *key = ev->keys.items[k], *v = ev->values.items[k];
        if (!strcmp(key, "at") || !strcmp(key, "event"))
            continue;
        double num;
        bool numeric = k < 64 && (ev->numeric >> k & 1) && num_parse_double(v, &num) == 0;
        json_object_set_new(o, key, numeric ? json_real(num) : json_string(v));
    }
    return o;
}

static json_t *replays_json(const struct analysis *an)
{
    json_t *list = json_array();
    for (size_t i = 0; i < an->n_replays; i++) {
        const struct an_replay *r = &an->replays[i];
        json_t *seg = json_object(), *events = json_array();
        for (size_t k = 0; k < r->seg_keys.n; k++)
            json_object_set_new(seg, r->seg_keys.items[k], json_string(r->seg_values.items[k]));
        for (size_t j = 0; j < r->n_events; j++)
            json_array_append_new(events, replay_event_json(&r->events[j]));
        json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:o}", "user", r->user,
                                              "segment", seg, "failed_at",
                                              time_json(r->failed_at), "events", events));
    }
    return list;
}

static void print_templates(const struct analysis *an)
{
    char t1[TIME_STR_MAX];
    printf("\nWhat the logs say (%zu lines in %zu templates; new or spiking during the "
           "incident)\n", an->n_log_lines, an->n_log_templates);
    if (!an->n_templates)
        printf("  (nothing new or spiking)\n");
    for (size_t i = 0; i < an->n_templates; i++) {
        const struct an_template *t = &an->templates[i];
        char ratio[32] = "new";
        if (!t->is_new)
            snprintf(ratio, sizeof(ratio), "x%.1f", t->rate_ratio);
        printf("  %-5s %-10s %-5s %4zu before, %4zu during  %s\n", ratio,
               t->service ? t->service : "-", t->level ? t->level : "-", t->before, t->during,
               t->text);
        printf("        from %s", time_format_rfc3339(t->onset, t1));
        if (t->cp >= 0) {
            int64_t lead = t->onset - an->cps[t->cp].at;
            char d[DURATION_STR_MAX];
            printf(", %s %s change point of %s", time_format_duration(lead < 0 ? -lead : lead, d),
                   lead < 0 ? "before the" : "after the", an->cps[t->cp].series);
        }
        printf("\n");
    }
}

static void print_replays(const struct analysis *an)
{
    char t1[TIME_STR_MAX];
    printf("\nReplays (users of the segment who failed the broken step)\n");
    if (!an->n_replays)
        printf("  (none)\n");
    for (size_t i = 0; i < an->n_replays; i++) {
        const struct an_replay *r = &an->replays[i];
        printf("  %s, failed at %s\n", r->user, time_format_rfc3339(r->failed_at, t1));
        for (size_t j = 0; j < r->n_events; j++) {
            const struct an_replay_event *ev = &r->events[j];
            printf("    %s  %-20s", time_format_rfc3339(ev->at, t1), ev->event);
            for (size_t k = 0; k < ev->keys.n; k++)
                printf(" %s=%s", ev->keys.items[k], ev->values.items[k]);
            printf("%s\n", ev->at == r->failed_at ? "  <- failed here" : "");
        }
    }
}

static json_t *analysis_json(const struct analysis *an)
{
    json_t *o = json_object();
    json_object_set_new(o, "incident", json_string(an->key));
    json_object_set_new(o, "window", json_pack("{s:o, s:o}", "from", time_json(an->from), "to",
                                               time_json(an->to)));
    json_t *steps = json_array();
    for (size_t i = 0; i < an->n_steps; i++) {
        const struct an_step *s = &an->steps[i];
        json_array_append_new(steps, json_pack("{s:s, s:s, s:o, s:o, s:o}", "from", s->from,
                                               "to", s->to, "before", num_or_null(s->before),
                                               "during", num_or_null(s->during), "drop",
                                               num_or_null(s->drop)));
    }
    json_t *broken = json_null();
    if (an->broken >= 0) {
        broken = json_pack("{s:s, s:s, s:s}", "from", an->steps[an->broken].from, "to",
                           an->steps[an->broken].to, "test", an->broken_by);
        if (!strcmp(an->broken_by, "segment")) {
            json_object_set_new(broken, "segment", json_pack("{s:s}", an->broken_dim,
                                                             an->broken_value));
            json_object_set_new(broken, "z", json_real(an->broken_z));
            json_object_set_new(broken, "z_critical", json_real(an->broken_z_crit));
        }
    }
    json_object_set_new(o, "funnel", json_pack("{s:o, s:o}", "steps", steps, "broken_step",
                                               broken));
    json_t *cps = json_array();
    for (size_t i = 0; i < an->n_cps; i++) {
        const struct an_cp *c = &an->cps[i];
        json_array_append_new(cps, json_pack("{s:s, s:o, s:s, s:f, s:f, s:s}", "series",
                                             c->series, "at", time_json(c->at), "direction",
                                             c->direction > 0 ? "up" : c->direction < 0
                                                 ? "down" : "none", "magnitude", c->magnitude,
                                             "confidence", c->confidence, "method", c->method));
    }
    json_object_set_new(o, "change_points", cps);
    json_t *baselines = json_array();
    for (size_t i = 0; i < an->n_baselines; i++) {
        const struct an_baseline *b = &an->baselines[i];
        json_array_append_new(baselines, json_pack(
            "{s:s, s:o, s:o, s:o, s:o, s:s}", "series", b->series, "observed",
            num_or_null(b->observed), "expected", num_or_null(b->expected), "z_max",
            num_or_null(b->z_max), "at_max",
            b->at_max == TIME_UNSET ? json_null() : time_json(b->at_max), "baseline",
            b->seasonal ? "previous days" : "local"));
    }
    json_object_set_new(o, "baselines", baselines);
    json_object_set_new(o, "first_moved",
                        an->first < 0 ? json_null()
                                      : json_pack("{s:s, s:o}", "series",
                                                  an->cps[an->first].series, "at",
                                                  time_json(an->cps[an->first].at)));
    json_t *causes = json_array();
    for (size_t i = 0; i < an->n_causes + an->n_metric_causes; i++) {
        const struct an_cause *c = i < an->n_causes ? &an->causes[i]
                                                    : &an->metric_causes[i - an->n_causes];
        json_t *seg = json_object();
        for (size_t k = 0; k < c->keys.n; k++)
            json_object_set_new(seg, c->keys.items[k], json_string(c->values.items[k]));
        json_t *o_cause = json_pack("{s:s, s:o, s:f}", "metric", c->metric, "segment", seg,
                                    "explained_share", c->share);
        if (c->direction)
            json_object_set_new(o_cause, "direction", json_string(c->direction > 0 ? "up"
                                                                                  : "down"));
        json_array_append_new(causes, o_cause);
    }
    json_object_set_new(o, "root_causes", causes);
    json_t *changes = json_array();
    for (size_t i = 0; i < an->n_changes; i++) {
        const struct an_change *c = &an->changes[i];
        json_array_append_new(changes, json_pack("{s:s, s:o, s:s, s:s?, s:s?, s:f, s:f, s:f}",
                                                 "id", c->id, "at", time_json(c->at), "kind",
                                                 c->kind, "service", c->service, "segment",
                                                 c->segment, "nearness", c->nearness,
                                                 "overlap", c->overlap, "score", c->score));
    }
    json_object_set_new(o, "changes", changes);
    json_t *hyps = json_array();
    for (size_t i = 0; i < an->n_findings; i++) {
        const struct an_finding *f = &an->findings[i];
        char id[32];
        snprintf(id, sizeof(id), "F-%zu", i + 1);
        json_t *ev = json_loads(f->evidence, 0, NULL);
        json_array_append_new(hyps, json_pack("{s:s, s:s, s:s, s:f, s:o}", "id", id, "kind",
                                              f->kind, "text", f->text, "score", f->score,
                                              "evidence", ev ? ev : json_object()));
    }
    json_object_set_new(o, "hypotheses", hyps);
    json_t *notes = json_array();
    for (size_t i = 0; i < an->notes.n; i++)
        json_array_append_new(notes, json_string(an->notes.items[i]));
    json_object_set_new(o, "log_templates", templates_json(an));
    json_object_set_new(o, "replays", replays_json(an));
    json_object_set_new(o, "not_analysed", notes);
    return o;
}

static void print_analysis(const struct analysis *an)
{
    char t1[TIME_STR_MAX], t2[TIME_STR_MAX];
    printf("Diagnosis of %s, evidence from %s to %s\n", an->key, time_format_rfc3339(an->from, t1),
           time_format_rfc3339(an->to, t2));
    printf("\nFunnel (conversion before -> during the incident)\n");
    if (!an->n_steps)
        printf("  (no funnel)\n");
    for (size_t i = 0; i < an->n_steps; i++) {
        const struct an_step *s = &an->steps[i];
        char before[16] = "     -", during[16] = "     -";
        if (!isnan(s->before))
            snprintf(before, sizeof(before), "%6.1f%%", 100 * s->before);
        if (!isnan(s->during))
            snprintf(during, sizeof(during), "%6.1f%%", 100 * s->during);
        printf("  %-20s -> %-20s %s -> %s%s", s->from, s->to, before, during,
               (int)i == an->broken ? "   <- broken" : "");
        if ((int)i == an->broken && !strcmp(an->broken_by, "segment"))
            printf(" in %s=%s (z %.1f >= %.1f, corrected for every segment tested)",
                   an->broken_dim, an->broken_value, an->broken_z, an->broken_z_crit);
        printf("\n");
    }
    int64_t lo = an->started - ANALYZE_LEAD_MS;
    printf("\nChange points near the incident (%zu in the whole window)\n", an->n_cps);
    for (size_t i = 0; i < an->n_cps; i++) {
        const struct an_cp *c = &an->cps[i];
        if (c->at < lo || c->at >= an->end)
            continue;
        char lead[DURATION_STR_MAX] = "", width[DURATION_STR_MAX + 16] = "";
        int64_t d = an->first >= 0 ? c->at - an->cps[an->first].at : 0;
        if (an->first >= 0 && (int)i != an->first)
            time_format_duration(d < 0 ? -d : d, lead);
        if (c->width > MS_PER_MINUTE) { /* its time is the start of a coarser bucket */
            char w[DURATION_STR_MAX];
            snprintf(width, sizeof(width), ", %s buckets", time_format_duration(c->width, w));
        }
        printf("  %s  %-40s %-4s %+.4g (confidence %.2f, %s%s)%s%s%s\n",
               time_format_rfc3339(c->at, t1), c->series, c->direction > 0 ? "up" : "down",
               c->magnitude, c->confidence, c->method, width,
               (int)i == an->first ? "  <- moved first" : "", *lead ? (d < 0 ? "  -" : "  +") : "",
               lead);
    }
    printf("\nAgainst the baseline during the incident (mean observed vs expected)\n");
    if (!an->n_baselines)
        printf("  (no series)\n");
    for (size_t i = 0; i < an->n_baselines; i++) {
        const struct an_baseline *b = &an->baselines[i];
        char obs[32] = "-", exp[32] = "-";
        if (!isnan(b->observed))
            snprintf(obs, sizeof(obs), "%.4g", b->observed);
        if (!isnan(b->expected))
            snprintf(exp, sizeof(exp), "%.4g", b->expected);
        printf("  %-40s %10s vs %-10s", b->series, obs, exp);
        if (!isnan(b->z_max))
            printf(" largest deviation %+.1f sd at %s", b->z_max,
                   time_format_rfc3339(b->at_max, t1));
        printf(" (%s)\n", b->seasonal ? "previous days" : "local fit");
    }
    printf("\nWhere\n");
    if (!an->n_causes && !an->n_metric_causes)
        printf("  (not localised)\n");
    for (size_t i = 0; i < an->n_causes; i++) {
        const struct an_cause *c = &an->causes[i];
        printf("  ");
        for (size_t k = 0; k < c->keys.n; k++)
            printf("%s%s=%s", k ? "," : "", c->keys.items[k], c->values.items[k]);
        printf("  explains %.0f%% of the drop of %s\n", 100 * c->share, c->metric);
    }
    for (size_t i = 0; i < an->n_metric_causes; i++) {
        const struct an_cause *c = &an->metric_causes[i];
        printf("  ");
        for (size_t k = 0; k < c->keys.n; k++)
            printf("%s%s=%s", k ? "," : "", c->keys.items[k], c->values.items[k]);
        printf("  explains %.0f%% of the %s of %s\n", 100 * c->share,
               c->direction > 0 ? "rise" : "fall", c->metric);
    }
    printf("\nChanges before the first move, best first\n");
    if (!an->n_changes)
        printf("  (none)\n");
    for (size_t i = 0; i < an->n_changes; i++) {
        const struct an_change *c = &an->changes[i];
        printf("  %-8s %s  %-8s %-10s score %.3f  %s\n", c->id, time_format_rfc3339(c->at, t1),
               c->kind, c->service ? c->service : "-", c->score,
               c->description ? c->description : "");
    }
    print_templates(an);
    print_replays(an);
    printf("\nHypotheses (hindsight hypothesis accept %s F-N)\n", an->key);
    if (!an->n_findings)
        printf("  (none)\n");
    for (size_t i = 0; i < an->n_findings; i++)
        printf("  F-%zu  %.3f  %s\n", i + 1, an->findings[i].score, an->findings[i].text);
    if (an->notes.n) {
        printf("\nNot analysed\n");
        for (size_t i = 0; i < an->notes.n; i++)
            printf("  %s\n", an->notes.items[i]);
    }
}

int cmd_analyze(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "analyze", "analyze KEY [--window-before 24h] [--window-after 24h] "
                       "[--bucket 1m] [--history 4d] [--json]",
                       "Diagnoses an incident from the evidence: the funnel step that broke, "
                       "change points\nand what moved first, the segments that explain the "
                       "drop, the changes made\nbefore it, and ranked hypotheses (stored as "
                       "findings F-1, F-2, ...).", analyze_spec,
                       ARRAY_SIZE(analyze_spec), argc, argv, 1, "the incident key", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct analyze_request rq = {o.positional.items[0], opts_value(&o, "window-before"),
                                 opts_value(&o, "window-after"), opts_value(&o, "bucket"),
                                 opts_value(&o, "history"), false};
    struct analysis an;
    if (app_analyze(a, &rq, &an, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (opts_flag(&o, "json"))
        cli_print_json(analysis_json(&an));
    else
        print_analysis(&an);
    analysis_release(&an);
    return cli_finish(&o, a, EXIT_OK);
}
