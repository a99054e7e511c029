/* demo_users.c: the shop's user population and the names of everything the files mention.
 *
 * Each user has a stable platform, app version, country and plan, drawn once from fixed
 * shares, and an activity weight (lognormal: most users visit rarely, a few very often) that
 * decides how often a new session is theirs. */
#include "app/demo_internal.h"

#include "core/xalloc.h"

#include <stdlib.h>

const char *const demo_platform_name[PLAT_COUNT] = {"web", "ios", "android"};
const char *const demo_version_name[VER_COUNT] = {"web", "7.0", "7.1", "7.2", "5.0", "5.1", "5.2"};
const char *const demo_country_name[COUNTRY_COUNT] = {"US", "DE", "GB", "FR", "IN", "BR"};
const char *const demo_plan_name[PLAN_COUNT] = {"free", "pro"};
const char *const demo_event_name[EV_COUNT] = {
    "product_viewed", "add_to_cart", "checkout_started", "payment_submitted",
    "purchase_completed"};
const char *const demo_service_name[SVC_COUNT] = {"checkout", "payments", "search", "catalog"};
const char *const demo_region_name[REGION_COUNT] = {"us-east", "eu-west"};

const double demo_country_latency[COUNTRY_COUNT] = {1.0, 1.05, 1.0, 1.1, 1.9, 1.6};
const uint8_t demo_country_region[COUNTRY_COUNT] = {
    REGION_US_EAST, REGION_EU_WEST, REGION_EU_WEST, REGION_EU_WEST, REGION_EU_WEST,
    REGION_US_EAST};

static const double platform_share[PLAT_COUNT] = {0.50, 0.25, 0.25};
static const double country_share[COUNTRY_COUNT] = {0.38, 0.13, 0.13, 0.09, 0.17, 0.10};
static const double pro_share = 0.20;
/* Version adoption within each platform: 5.2 is the newest Android release, on ~40%. */
static const double ios_share[3] = {0.20, 0.30, 0.50};
static const double android_share[3] = {0.25, 0.35, 0.40};

static struct demo_user draw_user(struct rng *r)
{
    struct demo_user u;
    u.platform = (uint8_t)rng_weighted(r, platform_share, PLAT_COUNT);
    if (u.platform == PLAT_IOS)
        u.version = (uint8_t)(VER_IOS_7_0 + rng_weighted(r, ios_share, 3));
    else if (u.platform == PLAT_ANDROID)
        u.version = (uint8_t)(VER_AND_5_0 + rng_weighted(r, android_share, 3));
    else
        u.version = VER_WEB;
    u.country = (uint8_t)rng_weighted(r, country_share, COUNTRY_COUNT);
    u.plan = rng_chance(r, pro_share) ? PLAN_PRO : PLAN_FREE;
    return u;
}

static uint32_t to_threshold(double p)
{
    double x = p * 4294967296.0;
    return x >= 4294967295.0 ? UINT32_MAX : x <= 0 ? 0 : (uint32_t)x;
}

/* Vose's alias method over weights w (sum total): slots whose scaled weight is under 1 are
 * topped up from one above 1, which becomes their alias. */
static void build_alias(struct demo_population *p, const double *w, double total)
{
    uint32_t n = p->n;
    double *scaled = xmallocarray(n, sizeof(*scaled));
    uint32_t *small = xmallocarray(n, sizeof(*small)), *large = xmallocarray(n, sizeof(*large));
    size_t n_small = 0, n_large = 0;
    for (uint32_t i = 0; i < n; i++) {
        scaled[i] = w[i] * n / total;
        if (scaled[i] < 1)
            small[n_small++] = i;
        else
            large[n_large++] = i;
    }
    while (n_small && n_large) {
        uint32_t s = small[--n_small], l = large[--n_large];
        p->slots[s] = (struct demo_slot){to_threshold(scaled[s]), l};
        scaled[l] = (scaled[l] + scaled[s]) - 1;
        if (scaled[l] < 1)
            small[n_small++] = l;
        else
            large[n_large++] = l;
    }
    /* What remains is (up to rounding) exactly 1: always kept. */
    while (n_large) {
        uint32_t l = large[--n_large];
        p->slots[l] = (struct demo_slot){UINT32_MAX, l};
    }
    while (n_small) {
        uint32_t s = small[--n_small];
        p->slots[s] = (struct demo_slot){UINT32_MAX, s};
    }
    free(scaled);
    free(small);
    free(large);
}

void demo_population_build(struct demo_population *p, uint32_t n, uint64_t seed)
{
    struct rng r;
    rng_seed(&r, seed, STREAM_USERS);
    p->n = n;
    p->users = xmallocarray(n, sizeof(*p->users));
    p->slots = xmallocarray(n, sizeof(*p->slots));
    double *weight = xmallocarray(n, sizeof(*weight)), total = 0;
    for (uint32_t i = 0; i < n; i++) {
        p->users[i] = draw_user(&r);
        /* Capped so that one user cannot dominate a small population. */
        double w = rng_lognormal(&r, 1.0, 0.9);
        weight[i] = w < 20 ? w : 20;
        total += weight[i];
    }
    build_alias(p, weight, total);
    free(weight);
}

void demo_population_release(struct demo_population *p)
{
    free(p->users);
    free(p->slots);
    p->users = NULL;
    p->slots = NULL;
    p->n = 0;
}

uint32_t demo_population_pick(const struct demo_population *p, struct rng *r)
{
    uint32_t i = (uint32_t)rng_below(r, p->n);
    uint32_t coin = (uint32_t)(rng_u64(r) >> 32);
    return coin < p->slots[i].keep ? i : p->slots[i].alias;
}
