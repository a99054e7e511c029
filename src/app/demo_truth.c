/* demo_truth.c: ground_truth.json, what was injected and what the files ended up showing.
 *
 * Written by hand rather than through a JSON library: every string in it is one of ours
 * (times, names, ids), none needs escaping, and the layout stays fixed for byte comparisons. */
#include "app/demo_internal.h"

#include "core/buf.h"
#include "core/timefmt.h"

static double ratio(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : 0;
}

static void put_time(struct buf *b, const char *key, int64_t ms, const char *after)
{
    char text[TIME_STR_MAX];
    buf_printf(b, "\"%s\": \"%s\"%s", key, time_format_rfc3339(ms, text), after);
}

static void put_observed(struct buf *b, const struct demo_observed *s, int seg, int inside,
                         const char *after)
{
    buf_printf(b, "{\"payment_submitted\": %llu, \"purchase_completed\": %llu, "
                  "\"conversion\": %.4f}%s",
               (unsigned long long)s->paid[seg][inside],
               (unsigned long long)s->bought[seg][inside],
               ratio(s->bought[seg][inside], s->paid[seg][inside]), after);
}

static void put_options(struct buf *b, const struct demo_run *run)
{
    const struct demo_options *o = run->opt;
    char end[TIME_STR_MAX];
    buf_printf(b, "  \"options\": {\"seed\": %llu, \"days\": %d, \"scale\": %.15g, "
                  "\"end\": \"%s\"},\n",
               (unsigned long long)o->seed, o->days, o->scale,
               time_format_rfc3339(o->end, end));
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
    buf_puts(b, "    \"affected_metrics\": [\n");
    buf_printf(b, "      {\"service\": \"payments\", \"metric\": \"http_error_rate\", "
                  "\"regions\": [\"us-east\", \"eu-west\"], \"baseline\": %.4f, "
                  "\"during\": [%.4f, %.4f]},\n",
               DEMO_PAYMENTS_ERROR_RATE, inc->error_rate[REGION_US_EAST],
               inc->error_rate[REGION_EU_WEST]);
    buf_printf(b, "      {\"service\": \"payments\", \"metric\": \"latency_p99_ms\", "
                  "\"regions\": [\"us-east\", \"eu-west\"], \"baseline\": %.1f, "
                  "\"factor\": %.2f}\n    ],\n",
               DEMO_PAYMENTS_P99_MS, inc->p99_factor);
    buf_puts(b, "    \"error_log\": {\"service\": \"payments\", \"level\": \"error\", "
                "\"template\": \"payment provider timeout sdk=5.2 code=504 order=<*>\"},\n");
    buf_puts(b, "    \"event_latency_factor\": {\"events\": [\"payment_submitted\", "
                "\"purchase_completed\"], \"min\": 3, \"max\": 5},\n");
}

static void put_conversion(struct buf *b, const struct demo_run *run)
{
    const struct demo_observed *s = &run->seen;
    buf_printf(b, "    \"conversion\": {\n      \"step\": \"payment_submitted -> "
                  "purchase_completed\",\n      \"expected\": {\"baseline\": %.2f, "
                  "\"during\": %.2f},\n",
               DEMO_CONV_BASELINE, DEMO_CONV_DURING);
    buf_puts(b, "      \"segment_inside\": ");
    put_observed(b, s, 1, 1, ",\n      \"segment_outside\": ");
    put_observed(b, s, 1, 0, ",\n      \"others_inside\": ");
    put_observed(b, s, 0, 1, ",\n      \"others_outside\": ");
    put_observed(b, s, 0, 0, "\n    }\n");
}

static void put_incident(struct buf *b, const struct demo_run *run)
{
    const struct demo_incident *inc = &run->inc;
    buf_puts(b, "  \"incident\": {\n    ");
    put_time(b, "start", inc->start, ",\n    ");
    put_time(b, "end", inc->end, ",\n    ");
    put_time(b, "deploy_at", inc->deploy_at, ",\n    ");
    put_time(b, "recovered_at", inc->recovered, ",\n");
    buf_puts(b, "    \"service\": \"payments\",\n"
                "    \"segment\": {\"platform\": \"android\", \"app_version\": \"5.2\"},\n"
                "    \"funnel_step\": \"payment_submitted -> purchase_completed\",\n");
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
