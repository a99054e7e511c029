/* demo_truth.c: ground_truth.json, what was injected and what the files ended up showing.
 *
 * Written by hand rather than through a JSON library: every string in it is one of ours
 * (times, names, ids), none needs escaping, and the layout stays fixed for byte comparisons. */
#include "app/demo_internal.h"

#include "core/buf.h"
#include "core/timefmt.h"

#include <string.h>

static double ratio(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : 0;
}

static void put_time(struct buf *b, const char *key, int64_t ms, const char *after)
{
    char text[TIME_STR_MAX];
    buf_printf(b, "\"%s\": \"%s\"%s", key, time_format_rfc3339(ms, text), after);
}

static void put_observed(struct buf *b, const struct demo_run *run, int seg, int inside,
                         const char *after)
{
    const struct demo_observed *s = &run->seen;
    buf_printf(b, "{\"%s\": %llu, \"%s\": %llu, \"conversion\": %.4f}%s",
               demo_event_name[run->sc->step - 1], (unsigned long long)s->paid[seg][inside],
               demo_event_name[run->sc->step],
               (unsigned long long)s->bought[seg][inside],
               ratio(s->bought[seg][inside], s->paid[seg][inside]), after);
}

static void put_options(struct buf *b, const struct demo_run *run)
{
    const struct demo_options *o = run->opt;
    char end[TIME_STR_MAX];
    buf_printf(b, "  \"options\": {\"seed\": %llu, \"days\": %d, \"scale\": %.15g, "
                  "\"end\": \"%s\", \"scenario\": %d, \"history\": %d},\n",
               (unsigned long long)o->seed, o->days, o->scale,
               time_format_rfc3339(o->end, end), o->scenario, o->history_months);
    buf_puts(b, "  \"period\": {");
    put_time(b, "start", run->start, ", ");
    put_time(b, "end", run->end, "},\n");
    buf_printf(b, "  \"users\": %u,\n", run->pop.n);
}

static void put_changes(struct buf *b, const struct demo_run *run)
{
    buf_printf(b, "    \"cause_change_id\": \"%s\",\n", run->cause_id);
    buf_printf(b, "    \"mitigation_change_id\": \"%s\",\n", run->mitigation_id);
    buf_printf(b, "    \"response_change_ids\": [\"%s\", \"%s\"],\n", run->declared_id,
               run->resolved_id);
    if (run->distractor_id[0])
        buf_printf(b, "    \"distractor_change_ids\": [\"%s\"],\n", run->distractor_id);
    else
        buf_puts(b, "    \"distractor_change_ids\": [],\n");
}

static void put_metrics(struct buf *b, const struct demo_run *run)
{
    const struct demo_incident *inc = &run->inc;
    const struct demo_scenario *sc = run->sc;
    const char *svc = demo_service_name[sc->service];
    buf_puts(b, "    \"affected_metrics\": [\n");
    buf_printf(b, "      {\"service\": \"%s\", \"metric\": \"http_error_rate\", "
                  "\"regions\": [\"us-east\", \"eu-west\"], \"baseline\": %.4f, "
                  "\"during\": [%.4f, %.4f]},\n",
               svc, demo_error_base[sc->service], inc->error_rate[REGION_US_EAST],
               inc->error_rate[REGION_EU_WEST]);
    buf_printf(b, "      {\"service\": \"%s\", \"metric\": \"latency_p99_ms\", "
                  "\"regions\": [\"us-east\", \"eu-west\"], \"baseline\": %.1f, "
                  "\"factor\": %.2f}\n    ],\n",
               svc, demo_p99_base[sc->service], inc->p99_factor);
    buf_printf(b, "    \"error_log\": {\"service\": \"%s\", \"level\": \"error\", "
                  "\"template\": \"%s %s=<*>\"},\n",
               svc, sc->error_log, sc->error_key);
    buf_printf(b, "    \"event_latency_factor\": {\"events\": [\"%s\", \"%s\"], \"min\": 3, "
                  "\"max\": 5},\n",
               demo_event_name[sc->step - 1], demo_event_name[sc->step]);
}

/* The step's conversion before and at full impact: for a segment of one platform, that
 * platform's; else null (each platform has its own). */
static void put_expected(struct buf *b, const struct demo_scenario *sc)
{
    if (sc->platform < 0) {
        buf_puts(b, "null");
        return;
    }
    double base = demo_step_conversion(sc->platform, sc->step);
    double during = sc->during > 0 ? sc->during : base * sc->during_factor;
    buf_printf(b, "{\"baseline\": %.2f, \"during\": %.2f}", base, during);
}

static void put_conversion(struct buf *b, const struct demo_run *run)
{
    const struct demo_scenario *sc = run->sc;
    buf_printf(b, "    \"conversion\": {\n      \"step\": \"%s -> %s\",\n      \"expected\": ",
               demo_event_name[sc->step - 1], demo_event_name[sc->step]);
    put_expected(b, sc);
    buf_puts(b, ",\n      \"segment_inside\": ");
    put_observed(b, run, 1, 1, ",\n      \"segment_outside\": ");
    put_observed(b, run, 1, 0, ",\n      \"others_inside\": ");
    put_observed(b, run, 0, 1, ",\n      \"others_outside\": ");
    put_observed(b, run, 0, 0, "\n    }\n");
}

/* The segment as a JSON object, from "key=value,key=value". */
static void put_segment(struct buf *b, const char *segment)
{
    buf_puts(b, "{");
    for (const char *p = segment; *p;) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        size_t vlen = comma ? (size_t)(comma - eq - 1) : strlen(eq + 1);
        buf_printf(b, "%s\"%.*s\": \"%.*s\"", p == segment ? "" : ", ", (int)(eq - p), p,
                   (int)vlen, eq + 1);
        p = comma ? comma + 1 : eq + 1 + vlen;
    }
    buf_puts(b, "}");
}

static void put_incident(struct buf *b, const struct demo_run *run)
{
    const struct demo_incident *inc = &run->inc;
    const struct demo_scenario *sc = run->sc;
    buf_puts(b, "  \"incident\": {\n    ");
    put_time(b, "start", inc->start, ",\n    ");
    put_time(b, "end", inc->end, ",\n    ");
    put_time(b, "deploy_at", inc->deploy_at, ",\n    ");
    put_time(b, "recovered_at", inc->recovered, ",\n");
    buf_printf(b, "    \"scenario\": \"%s\",\n    \"service\": \"%s\",\n    \"segment\": ",
               sc->name, demo_service_name[sc->service]);
    put_segment(b, sc->segment);
    buf_printf(b, ",\n    \"funnel_step\": \"%s -> %s\",\n", demo_event_name[sc->step - 1],
               demo_event_name[sc->step]);
    put_changes(b, run);
    put_metrics(b, run);
    put_conversion(b, run);
    buf_puts(b, "  },\n");
}

void demo_write_truth(struct demo_run *run, struct demo_out *out)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\n  \"generator\": \"hindsight demo generate\",\n");
    put_options(&b, run);
    put_incident(&b, run);
    buf_printf(&b, "  \"rows\": {\"events.jsonl\": %llu, \"metrics.csv\": %llu, "
                   "\"logs.jsonl\": %llu, \"changes.jsonl\": %llu}\n}\n",
               (unsigned long long)run->rows[DEMO_EVENTS],
               (unsigned long long)run->rows[DEMO_METRICS],
               (unsigned long long)run->rows[DEMO_LOGS],
               (unsigned long long)run->rows[DEMO_CHANGES]);
    demo_out_write(out, buf_str(&b), b.len);
    buf_release(&b);
    run->rows[DEMO_TRUTH] = 1;
}
