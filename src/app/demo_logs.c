/* demo_logs.c: service log lines, derived from the events as they are written.
 *
 * About one event in 20 leaves a templated info or warn line in the service that handled it,
 * with variable ids and numbers inside (so that templates can be mined later), stamped with the
 * event's time; the logs therefore follow traffic and come out in time order for free. Every
 * payment lost to the incident leaves an error line with a template seen nowhere else. */
#include "app/demo_internal.h"

#include <stdio.h>

#define LOG_SHARE 0.05
#define WARN_SHARE 0.08
#define SEARCH_SHARE 0.3 /* of product views, logged by search rather than catalog */

static void write_line(struct demo_run *run, struct demo_out *o, struct rng *r, int64_t ts,
                       const char *level, int svc, const char *msg)
{
    OUT_LIT(o, "{\"timestamp\":\"");
    demo_out_time(o, ts, true);
    OUT_LIT(o, "\",\"level\":\"");
    demo_out_str(o, level);
    OUT_LIT(o, "\",\"service\":\"");
    demo_out_str(o, demo_service_name[svc]);
    OUT_LIT(o, "\",\"message\":\"");
    demo_out_str(o, msg);
    OUT_LIT(o, "\",\"trace_id\":\"");
    demo_out_trace_id(o, r);
    OUT_LIT(o, "\"}\n");
    run->rows[DEMO_LOGS]++;
}

static unsigned between(struct rng *r, unsigned lo, unsigned hi)
{
    return lo + (unsigned)rng_below(r, (uint64_t)(hi - lo + 1));
}

/* Writes the message for a product view into msg; returns the service. */
static int view_message(struct rng *r, const struct demo_event *ev, bool warn, char *msg,
                        size_t size)
{
    if (rng_chance(r, SEARCH_SHARE)) {
        if (warn)
            snprintf(msg, size, "search index lag seconds=%u", between(r, 30, 300));
        else
            snprintf(msg, size, "search served query_len=%u results=%u ms=%u", between(r, 3, 30),
                     between(r, 0, 120), ev->latency / 2u + 1u);
        return SVC_SEARCH;
    }
    if (warn)
        snprintf(msg, size, "slow query table=products ms=%u", between(r, 800, 3000));
    else
        snprintf(msg, size, "product page rendered product=%u ms=%u", between(r, 1000, 9999),
                 ev->latency * 3u / 5u + 1u);
    return SVC_CATALOG;
}

static int funnel_message(struct rng *r, const struct demo_event *ev, bool warn, char *msg,
                          size_t size)
{
    static const char *const methods[] = {"card", "paypal", "apple_pay", "google_pay"};
    static const char *const reasons[] = {"card_declined", "insufficient_funds", "expired_card"};
    unsigned id = DEMO_SESSION_ID_BASE + ev->session;
    switch (ev->type) {
    case EV_CART:
        if (warn)
            snprintf(msg, size, "inventory reservation retry cart=%u attempt=%u", id,
                     between(r, 1, 3));
        else
            snprintf(msg, size, "cart updated cart=%u items=%u", id, between(r, 1, 6));
        return SVC_CHECKOUT;
    case EV_CHECKOUT:
        if (warn)
            snprintf(msg, size, "address validation slow cart=%u ms=%u", id,
                     between(r, 900, 4000));
        else
            snprintf(msg, size, "checkout session created cart=%u", id);
        return SVC_CHECKOUT;
    case EV_PAYMENT:
        if (warn)
            snprintf(msg, size, "payment declined order=%u reason=%s", id,
                     reasons[rng_below(r, ARRAY_SIZE(reasons))]);
        else
            snprintf(msg, size, "payment submitted order=%u method=%s", id,
                     methods[rng_below(r, ARRAY_SIZE(methods))]);
        return SVC_PAYMENTS;
    default:
        if (warn)
            snprintf(msg, size, "payment settlement delayed order=%u seconds=%u", id,
                     between(r, 30, 600));
        else
            snprintf(msg, size, "payment authorized order=%u amount=%u.%02u", id,
                     ev->cents / 100u, ev->cents % 100u);
        return SVC_PAYMENTS;
    }
}

void demo_log_event(struct demo_run *run, struct demo_out *logs, struct rng *r,
                    const struct demo_event *ev)
{
    char msg[160];
    if (ev->flags & EVF_PROVIDER_ERROR) {
        snprintf(msg, sizeof(msg), "%s %s=%u", run->sc->error_log, run->sc->error_key,
                 (unsigned)(DEMO_SESSION_ID_BASE + ev->session));
        write_line(run, logs, r, ev->ts, "error", run->sc->service, msg);
    }
    if (!rng_chance(r, LOG_SHARE))
        return;
    bool warn = rng_chance(r, WARN_SHARE);
    int svc = ev->type == EV_VIEW ? view_message(r, ev, warn, msg, sizeof(msg))
                                  : funnel_message(r, ev, warn, msg, sizeof(msg));
    write_line(run, logs, r, ev->ts, warn ? "warn" : "info", svc, msg);
}
