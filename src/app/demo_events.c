/* demo_events.c: the shop's sessions, written as events.jsonl (and logs.jsonl alongside).
 *
 * Time advances a minute at a time. Each minute gets a Poisson number of new sessions whose
 * mean follows demo_traffic(); each session is simulated at once (a walk down the funnel with
 * gaps of seconds to minutes) and its events go into a min-heap. Sessions starting later than
 * the minute cannot produce earlier events, so everything in the heap before the minute's end
 * is final and is written in (time, session) order. The heap holds only the events of the last
 * hour or so, whatever the length of the period. Events after the period's end are cut, as an
 * export window would cut them. */
#include "app/demo_internal.h"

#include "core/timefmt.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846
/* Tuned so that scale 1 gives about 200,000 events in 7 days. */
#define SESSIONS_PER_USER_DAY 0.53
#define REPEAT_VIEW 0.35 /* chance of one more product_viewed */
#define MAX_VIEWS 6
#define MAX_SESSION_EVENTS (MAX_VIEWS + EV_COUNT)
#define GAP_CAP_MS (15 * MS_PER_MINUTE)
#define LATENCY_CAP_MS 60000

/* Step conversion per platform: view->cart, cart->checkout, checkout->payment,
 * payment->purchase. */
static const double funnel[PLAT_COUNT][EV_COUNT - 1] = {
    {0.45, 0.55, 0.80, 0.85},
    {0.47, 0.57, 0.82, 0.86},
    {0.43, 0.53, 0.78, DEMO_CONV_BASELINE},
};
/* The pause before an event of each type (before a repeated view for product_viewed): a
 * lognormal median in ms and its log deviation. A purchase waits for the payment's answer. */
static const double gap_median[EV_COUNT] = {20000, 30000, 45000, 60000, 4000};
static const double gap_sigma[EV_COUNT] = {0.8, 0.8, 0.7, 0.6, 0.5};
static const double latency_median[EV_COUNT] = {110, 140, 180, 320, 250};
static const double platform_latency[PLAT_COUNT] = {1.0, 0.9, 1.35};
/* Backend requests one event causes in each service (checkout, payments, search, catalog). */
static const double fanout[EV_COUNT][SVC_COUNT] = {
    {0, 0, 2, 5}, {3, 0, 0, 1}, {4, 0, 0, 0}, {1, 3, 0, 0}, {1, 2, 0, 0},
};

double demo_traffic(int64_t t)
{
    int64_t day = demo_floor_div(t, MS_PER_DAY);
    double h = (double)(t - day * MS_PER_DAY) / (double)MS_PER_HOUR;
    if (h < 4)
        h += 24;
    /* Half-cosines rise over 15 hours and fall over 9, so the wave's daily mean is 2.5. */
    double wave = h < 19 ? 1 + 1.5 * (1 - cos(PI * (h - 4) / 15))
                         : 4 - 1.5 * (1 - cos(PI * (h - 19) / 9));
    int64_t weekday = (day % 7 + 7 + 4) % 7; /* 0 is Sunday; 1970-01-01 was a Thursday */
    double week = (weekday == 0 || weekday == 6) ? 1.15 : 1.0;
    return wave / 2.5 * week;
}

/* ---- a min-heap of events by (ts, session) ---- */

struct heap {
    struct demo_event *items;
    size_t n, cap;
};

static bool before(const struct demo_event *a, const struct demo_event *b)
{
    return a->ts < b->ts || (a->ts == b->ts && a->session < b->session);
}

static void heap_push(struct heap *h, const struct demo_event *ev)
{
    xgrow((void **)&h->items, &h->cap, h->n + 1, sizeof(*h->items));
    size_t i = h->n++;
    while (i > 0 && before(ev, &h->items[(i - 1) / 2])) {
        h->items[i] = h->items[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->items[i] = *ev;
}

static struct demo_event heap_pop(struct heap *h)
{
    struct demo_event top = h->items[0], last = h->items[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && before(&h->items[c + 1], &h->items[c]))
            c++;
        if (!before(&h->items[c], &last))
            break;
        h->items[i] = h->items[c];
        i = c;
    }
    if (h->n)
        h->items[i] = last;
    return top;
}

/* ---- one session ---- */

/* Inside the incident window from its start to the mitigation (the ground truth's window). */
static int inside_window(const struct demo_run *run, int64_t t)
{
    return t >= run->inc.start && t < run->inc.end;
}

struct sim {
    struct demo_run *run;
    struct rng r;
    struct heap heap;
    uint32_t next_session;
};

static int64_t draw_gap(struct rng *r, int type)
{
    double g = rng_lognormal(r, gap_median[type], gap_sigma[type]);
    if (g > (double)GAP_CAP_MS)
        g = (double)GAP_CAP_MS;
    return g < 1 ? 1 : (int64_t)g;
}

/* Client-seen API latency; the calls of the broken step (its two events) of the segment slow
 * down 3-5x under the incident. */
static uint16_t draw_latency(struct sim *s, const struct demo_user *u, int type, int64_t ts)
{
    double ms = rng_lognormal(&s->r, latency_median[type], 0.45) *
                platform_latency[u->platform] * demo_country_latency[u->country];
    const struct demo_scenario *sc = s->run->sc;
    if ((type == sc->step - 1 || type == sc->step) && demo_in_segment(sc, u)) {
        double f = demo_impact(&s->run->inc, ts);
        if (f > 0)
            ms *= 1 + f * (rng_range(&s->r, 3, 5) - 1);
    }
    if (ms < 1)
        ms = 1;
    return (uint16_t)(ms > LATENCY_CAP_MS ? LATENCY_CAP_MS : ms);
}

static struct demo_event make_event(struct sim *s, uint32_t user, uint32_t session, int type,
                                    int64_t ts)
{
    const struct demo_user *u = &s->run->pop.users[user];
    struct demo_event ev = {ts, session, user, 0, 0, (uint8_t)type, 0};
    ev.latency = draw_latency(s, u, type, ts);
    if (type == EV_PURCHASE) {
        double cents = rng_lognormal(&s->r, 3800, 0.7) * (u->plan == PLAN_PRO ? 1.3 : 1.0);
        ev.cents = (uint32_t)(cents < 199 ? 199 : cents > 200000 ? 200000 : cents);
    }
    return ev;
}

double demo_step_conversion(int platform, int type)
{
    return funnel[platform][type - 1];
}

/* The chance that the broken step completes at t; sets *lost to the share of failures that
 * the incident causes (0 outside it). */
static double step_chance(struct sim *s, const struct demo_user *u, int type, int64_t t,
                          double *lost)
{
    const struct demo_scenario *sc = s->run->sc;
    double base = funnel[u->platform][type - 1];
    double f = demo_in_segment(sc, u) ? demo_impact(&s->run->inc, t) : 0;
    double during = sc->during > 0 ? sc->during : base * sc->during_factor;
    double p = base * (1 - f) + during * f;
    *lost = f > 0 ? (base - p) / (1 - p) : 0;
    return p;
}

static void simulate_session(struct sim *s, int64_t t, uint32_t user)
{
    const struct demo_user *u = &s->run->pop.users[user];
    uint32_t session = s->next_session++;
    struct demo_event ev[MAX_SESSION_EVENTS];
    size_t n = 0;
    ev[n++] = make_event(s, user, session, EV_VIEW, t);
    while (n < MAX_VIEWS && rng_chance(&s->r, REPEAT_VIEW)) {
        t += draw_gap(&s->r, EV_VIEW);
        ev[n++] = make_event(s, user, session, EV_VIEW, t);
    }
    for (int type = EV_CART; type < EV_COUNT; type++) {
        double lost = 0;
        double p = type == s->run->sc->step ? step_chance(s, u, type, t, &lost)
                                            : funnel[u->platform][type - 1];
        if (!rng_chance(&s->r, p)) {
            if (lost > 0 && rng_chance(&s->r, lost))
                ev[n - 1].flags |= EVF_PROVIDER_ERROR;
            break;
        }
        int64_t gap = draw_gap(&s->r, type);
        if (type == EV_PURCHASE)
            gap += ev[n - 1].latency; /* the purchase waits for the payment's answer */
        bool paid_inside = type == s->run->sc->step && inside_window(s->run, t);
        t += gap;
        ev[n] = make_event(s, user, session, type, t);
        ev[n++].flags = paid_inside ? EVF_PAID_INSIDE : 0;
    }
    for (size_t i = 0; i < n; i++)
        heap_push(&s->heap, &ev[i]);
}

/* ---- writing ---- */

static void write_event(struct demo_out *o, const struct demo_user *u,
                        const struct demo_event *ev)
{
    OUT_LIT(o, "{\"event\":\"");
    demo_out_str(o, demo_event_name[ev->type]);
    OUT_LIT(o, "\",\"timestamp\":\"");
    demo_out_time(o, ev->ts, true);
    OUT_LIT(o, "\",\"distinct_id\":\"u");
    demo_out_u64(o, DEMO_USER_ID_BASE + (uint64_t)ev->user);
    OUT_LIT(o, "\",\"properties\":{\"$session_id\":\"s");
    demo_out_u64(o, DEMO_SESSION_ID_BASE + (uint64_t)ev->session);
    OUT_LIT(o, "\",\"platform\":\"");
    demo_out_str(o, demo_platform_name[u->platform]);
    OUT_LIT(o, "\",\"app_version\":\"");
    demo_out_str(o, demo_version_name[u->version]);
    OUT_LIT(o, "\",\"country\":\"");
    demo_out_str(o, demo_country_name[u->country]);
    OUT_LIT(o, "\",\"plan\":\"");
    demo_out_str(o, demo_plan_name[u->plan]);
    OUT_LIT(o, "\",\"latency_ms\":");
    demo_out_u64(o, ev->latency);
    OUT_LIT(o, ",\"revenue\":");
    if (ev->type == EV_PURCHASE)
        demo_out_fixed(o, ev->cents / 100.0, 2);
    else
        OUT_LIT(o, "0");
    OUT_LIT(o, "}}\n");
}

/* What the metrics and the ground truth need from each written event. */
static void account(struct demo_run *run, const struct demo_user *u, const struct demo_event *ev)
{
    size_t minute = (size_t)((ev->ts - run->start) / MS_PER_MINUTE);
    int region = demo_country_region[u->country];
    for (int svc = 0; svc < SVC_COUNT; svc++)
        *demo_load_at(run, minute, svc, region) += fanout[ev->type][svc];
    /* Purchases are counted by their payment's time, as a funnel analysis would. */
    bool in = demo_in_segment(run->sc, u);
    if (ev->type == run->sc->step - 1)
        run->seen.paid[in][inside_window(run, ev->ts)]++;
    if (ev->type == run->sc->step)
        run->seen.bought[in][(ev->flags & EVF_PAID_INSIDE) != 0]++;
    run->rows[DEMO_EVENTS]++;
}

static void drain(struct sim *s, int64_t limit, struct demo_out *events, struct demo_out *logs,
                  struct rng *log_rng)
{
    while (s->heap.n && s->heap.items[0].ts < limit) {
        struct demo_event ev = heap_pop(&s->heap);
        const struct demo_user *u = &s->run->pop.users[ev.user];
        write_event(events, u, &ev);
        account(s->run, u, &ev);
        demo_log_event(s->run, logs, log_rng, &ev);
    }
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void demo_write_events(struct demo_run *run, struct demo_out *events, struct demo_out *logs)
{
    struct sim s = {run, {{0}, 0, false}, {NULL, 0, 0}, 0};
    rng_seed(&s.r, run->opt->seed, STREAM_SESSIONS);
    struct rng log_rng;
    rng_seed(&log_rng, run->opt->seed, STREAM_LOGS);
    double per_minute = run->pop.n * SESSIONS_PER_USER_DAY / 1440.0;
    int64_t *starts = NULL;
    size_t cap = 0;
    for (size_t m = 0; m < run->n_minutes; m++) {
        int64_t t0 = run->start + (int64_t)m * MS_PER_MINUTE;
        size_t n = (size_t)rng_poisson(&s.r, per_minute * demo_traffic(t0 + 30 * MS_PER_SECOND));
        xgrow((void **)&starts, &cap, n, sizeof(*starts));
        for (size_t i = 0; i < n; i++)
            starts[i] = t0 + (int64_t)rng_below(&s.r, (uint64_t)MS_PER_MINUTE);
        if (n > 1) /* session ids follow arrival order */
            qsort(starts, n, sizeof(*starts), compare_i64);
        for (size_t i = 0; i < n; i++)
            simulate_session(&s, starts[i], demo_population_pick(&run->pop, &s.r));
        drain(&s, t0 + MS_PER_MINUTE, events, logs, &log_rng);
    }
    free(starts);
    free(s.heap.items);
}
