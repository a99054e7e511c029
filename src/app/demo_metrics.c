/* demo_metrics.c: metrics.csv, one row per minute, metric, service and region.
 *
 * Request counts follow the traffic events.jsonl shows (each event implies a few backend
 * requests, see demo_events.c) plus a steady background of health checks and crawlers, with
 * Poisson noise. Error rates and p99 latencies are per-service baselines with noise; p99 also
 * rises a little with load. Under the incident, payments' error rate and p99 climb in both
 * regions and fade back with the impact after the mitigation. */
#include "app/demo_internal.h"

#include "core/timefmt.h"

#define BACKGROUND_PER_MINUTE 6.0

const double demo_error_base[SVC_COUNT] = {0.0035, DEMO_PAYMENTS_ERROR_RATE, 0.0025, 0.0020};
const double demo_p99_base[SVC_COUNT] = {420, DEMO_PAYMENTS_P99_MS, 240, 160};

static void write_row(struct demo_out *o, int64_t t, const char *metric, double value,
                      unsigned decimals, int svc, int region)
{
    demo_out_time(o, t, false);
    OUT_LIT(o, ",");
    demo_out_str(o, metric);
    OUT_LIT(o, ",");
    demo_out_fixed(o, value, decimals);
    OUT_LIT(o, ",");
    demo_out_str(o, demo_service_name[svc]);
    OUT_LIT(o, ",");
    demo_out_str(o, demo_region_name[region]);
    OUT_LIT(o, "\n");
}

static double error_rate(const struct demo_run *run, struct rng *r, int svc, int region,
                         double impact)
{
    double rate = demo_error_base[svc] * rng_lognormal(r, 1.0, 0.25);
    if (svc == run->sc->service && impact > 0)
        rate = rate * (1 - impact) +
               impact * run->inc.error_rate[region] * rng_lognormal(r, 1.0, 0.08);
    return rate > 1 ? 1 : rate;
}

static double latency_p99(const struct demo_run *run, struct rng *r, int svc, double traffic,
                          double impact)
{
    double ms = demo_p99_base[svc] * (1 + 0.15 * (traffic - 1)) * rng_lognormal(r, 1.0, 0.07);
    if (svc == run->sc->service)
        ms *= 1 + impact * (run->inc.p99_factor - 1);
    return ms;
}

static void write_minute(struct demo_run *run, struct demo_out *o, struct rng *r, size_t m)
{
    int64_t t = run->start + (int64_t)m * MS_PER_MINUTE;
    int64_t mid = t + 30 * MS_PER_SECOND;
    double impact = demo_impact(&run->inc, mid), traffic = demo_traffic(mid);
    for (int s = 0; s < SVC_COUNT; s++)
        for (int g = 0; g < REGION_COUNT; g++) {
            double mean = *demo_load_at(run, m, s, g) + BACKGROUND_PER_MINUTE;
            write_row(o, t, "http_requests_total", (double)rng_poisson(r, mean), 0, s, g);
        }
    for (int s = 0; s < SVC_COUNT; s++)
        for (int g = 0; g < REGION_COUNT; g++)
            write_row(o, t, "http_error_rate", error_rate(run, r, s, g, impact), 4, s, g);
    for (int s = 0; s < SVC_COUNT; s++)
        for (int g = 0; g < REGION_COUNT; g++)
            write_row(o, t, "latency_p99_ms", latency_p99(run, r, s, traffic, impact), 1, s, g);
    run->rows[DEMO_METRICS] += 3 * SVC_COUNT * REGION_COUNT;
}

void demo_write_metrics(struct demo_run *run, struct demo_out *out)
{
    struct rng r;
    rng_seed(&r, run->opt->seed, STREAM_METRICS);
    OUT_LIT(out, "timestamp,metric,value,service,region\n");
    for (size_t m = 0; m < run->n_minutes; m++)
        write_minute(run, out, &r, m);
}
