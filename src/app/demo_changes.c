/* demo_changes.c: changes.jsonl, the deploys, flag flips and config edits of the period.
 *
 * Each day gets 3 to 6 innocent changes during working hours, spread over the services; none
 * falls near the incident except one deliberate distractor (a search config change shortly
 * before the causing deploy), as real change logs rarely point at one suspect. The incident
 * adds its deploy, the incident-response notes and the mitigating flag. Changes are sorted by
 * time and numbered chg-1, chg-2, ... in that order; deploy versions count up per service. */
#include "app/demo_internal.h"

#include "core/timefmt.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_DEPLOY, K_FLAG, K_CONFIG, K_RESPONSE };
static const char *const kind_name[] = {"deploy", "flag", "config", "incident-response"};

enum role { ROLE_NONE, ROLE_CAUSE, ROLE_DECLARED, ROLE_MITIGATION, ROLE_RESOLVED,
            ROLE_DISTRACTOR };

struct change {
    int64_t at;
    uint32_t order; /* insertion order, to break ties in time */
    uint8_t kind, svc, role;
    uint8_t what;            /* the flag or config entry, for those kinds */
    const char *description; /* fixed text, or NULL: written from text */
    const char *segment;     /* NULL when the change applies to everyone */
    char version[32];
    char text[96];
};

struct change_list {
    struct change *items;
    size_t n, cap;
};

/* Flags roll out in stages (0% -> 10% -> 25% -> 50% -> 100%, and back to 50% after a full
 * rollout, as a cautious rollback); configs step a value up or down. Both are worded in time
 * order, after sorting, so that each change starts where the previous one left off. */
static const struct {
    uint8_t svc;
    const char *name;
    const char *segment;
} flags[] = {
    {SVC_CHECKOUT, "checkout.express_pay", "plan=pro"},
    {SVC_CHECKOUT, "checkout.saved_addresses", NULL},
    {SVC_SEARCH, "search.typo_tolerance", NULL},
    {SVC_SEARCH, "search.personalized_ranking", "country=DE"},
    {SVC_CATALOG, "catalog.new_gallery", "platform=ios"},
    {SVC_CATALOG, "catalog.recently_viewed", NULL},
    {SVC_PAYMENTS, "payments.3ds_challenge", "country=GB"},
    {SVC_PAYMENTS, "payments.wallet_first", NULL},
};
static const unsigned rollout_stage[] = {0, 10, 25, 50, 100};

static const struct {
    uint8_t svc;
    const char *key;
    unsigned initial, step;
} configs[] = {
    {SVC_SEARCH, "search.timeout_ms", 800, 100},
    {SVC_CATALOG, "catalog.cache_ttl_s", 300, 60},
    {SVC_CHECKOUT, "checkout.max_cart_items", 50, 10},
    {SVC_PAYMENTS, "payments.retry_limit", 2, 1},
    {SVC_CHECKOUT, "checkout.session_ttl_m", 30, 5},
    {SVC_CATALOG, "catalog.image_quality", 80, 5},
};

static const double kind_share[] = {0.55, 0.25, 0.20}; /* deploy, flag, config */
/* Deploy versions "<line>-build<n>" per service; payments moves to 5.2 with the incident. */
static const char *const version_line[SVC_COUNT] = {"3.8", "5.1", "2.14", "4.3"};
static const unsigned first_build[SVC_COUNT] = {112, 30, 57, 88};

static struct change *add(struct change_list *l, int64_t at, int kind, int svc, int role,
                          const char *description, const char *segment)
{
    xgrow((void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items));
    struct change *c = &l->items[l->n];
    memset(c, 0, sizeof(*c));
    c->at = at;
    c->order = (uint32_t)l->n++;
    c->kind = (uint8_t)kind;
    c->svc = (uint8_t)svc;
    c->role = (uint8_t)role;
    c->description = description;
    c->segment = segment;
    return c;
}

/* One innocent change at a working-hours time of day (07:00-19:00 UTC). The draws happen
 * whether or not the change is kept, so the other days do not depend on the incident. */
static void add_innocent(struct change_list *l, struct rng *r, const struct demo_run *run,
                         int64_t day)
{
    int64_t at = day * MS_PER_DAY + 7 * MS_PER_HOUR +
                 (int64_t)rng_below(r, 12 * 3600) * MS_PER_SECOND;
    int kind = (int)rng_weighted(r, kind_share, ARRAY_SIZE(kind_share));
    size_t what = kind == K_FLAG     ? rng_below(r, ARRAY_SIZE(flags))
                  : kind == K_CONFIG ? rng_below(r, ARRAY_SIZE(configs))
                                     : rng_below(r, SVC_COUNT);
    int svc = kind == K_FLAG ? flags[what].svc : kind == K_CONFIG ? configs[what].svc : (int)what;
    bool quiet = at >= run->inc.deploy_at - 45 * MS_PER_MINUTE &&
                 at < run->inc.resolved_at + 30 * MS_PER_MINUTE;
    if (at < run->start || at >= run->end || quiet)
        return;
    struct change *c = add(l, at, kind, svc, ROLE_NONE, NULL,
                           kind == K_FLAG ? flags[what].segment : NULL);
    c->what = (uint8_t)what;
}

static void add_incident(struct change_list *l, struct rng *r, const struct demo_run *run)
{
    const struct demo_incident *inc = &run->inc;
    int64_t distractor = inc->deploy_at - (20 * 60 + (int64_t)rng_below(r, 15 * 60)) * 1000;
    if (distractor >= run->start)
        add(l, distractor, K_CONFIG, SVC_SEARCH, ROLE_DISTRACTOR, "search.ranking_model v7 -> v8",
            NULL);
    const struct demo_scenario *sc = run->sc;
    struct change *c = add(l, inc->deploy_at, K_DEPLOY, sc->service, ROLE_CAUSE, NULL,
                           sc->segment);
    snprintf(c->version, sizeof(c->version), "%s", sc->release);
    add(l, inc->declared_at, K_RESPONSE, sc->service, ROLE_DECLARED, sc->declared, NULL);
    add(l, inc->end, K_FLAG, sc->service, ROLE_MITIGATION, sc->mitigation,
        sc->mitigation_segment);
    add(l, inc->resolved_at, K_RESPONSE, sc->service, ROLE_RESOLVED, sc->resolved, NULL);
}

static int compare_changes(const void *a, const void *b)
{
    const struct change *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Names deploys in time order; the broken service's deploys after the incident's are builds of
 * its new line (5.2 for payments in the classic scenario). */
static void name_deploy(struct change *c, unsigned *build, unsigned *build_new,
                        const struct demo_run *run)
{
    if (c->svc == run->sc->service && c->at > run->inc.deploy_at)
        snprintf(c->version, sizeof(c->version), "%s-build%u", run->sc->release_line,
                 (*build_new)++);
    else
        snprintf(c->version, sizeof(c->version), "%s-build%u", version_line[c->svc],
                 build[c->svc]++);
}

static void word_flag(struct change *c, unsigned *stage)
{
    unsigned from = rollout_stage[*stage];
    *stage = *stage + 1 < ARRAY_SIZE(rollout_stage) ? *stage + 1 : ARRAY_SIZE(rollout_stage) - 2;
    snprintf(c->text, sizeof(c->text), "%s rollout %u%% -> %u%%%s%s", flags[c->what].name, from,
             rollout_stage[*stage], c->segment ? " for " : "", c->segment ? c->segment : "");
}

static void word_config(struct change *c, struct rng *r, unsigned *value)
{
    unsigned from = *value, step = configs[c->what].step;
    *value = rng_chance(r, 0.5) || from <= step ? from + step : from - step;
    snprintf(c->text, sizeof(c->text), "%s %u -> %u", configs[c->what].key, from, *value);
}

/* Gives the innocent changes their versions and wording, in time order. */
static void word_changes(struct change_list *l, struct rng *r, const struct demo_run *run)
{
    unsigned build[SVC_COUNT], build_new = run->sc->next_build, stage[ARRAY_SIZE(flags)] = {0};
    unsigned value[ARRAY_SIZE(configs)];
    memcpy(build, first_build, sizeof(build));
    for (size_t i = 0; i < ARRAY_SIZE(configs); i++)
        value[i] = configs[i].initial;
    for (size_t i = 0; i < l->n; i++) {
        struct change *c = &l->items[i];
        if (c->role != ROLE_NONE)
            continue;
        if (c->kind == K_DEPLOY)
            name_deploy(c, build, &build_new, run);
        else if (c->kind == K_FLAG)
            word_flag(c, &stage[c->what]);
        else
            word_config(c, r, &value[c->what]);
    }
}

static void write_change(struct demo_out *o, const struct change *c, const char *id)
{
    OUT_LIT(o, "{\"id\":\"");
    demo_out_str(o, id);
    OUT_LIT(o, "\",\"timestamp\":\"");
    demo_out_time(o, c->at, false);
    OUT_LIT(o, "\",\"kind\":\"");
    demo_out_str(o, kind_name[c->kind]);
    OUT_LIT(o, "\",\"service\":\"");
    demo_out_str(o, demo_service_name[c->svc]);
    if (c->kind == K_DEPLOY) {
        OUT_LIT(o, "\",\"version\":\"");
        demo_out_str(o, c->version);
        OUT_LIT(o, "\",\"description\":\"Release ");
        demo_out_str(o, c->version);
        OUT_LIT(o, " of ");
        demo_out_str(o, demo_service_name[c->svc]);
    } else {
        OUT_LIT(o, "\",\"description\":\"");
        demo_out_str(o, c->description ? c->description : c->text);
    }
    if (c->segment) {
        OUT_LIT(o, "\",\"segment\":\"");
        demo_out_str(o, c->segment);
    }
    OUT_LIT(o, "\"}\n");
}

static void remember_id(struct demo_run *run, int role, const char *id)
{
    char *slot = role == ROLE_CAUSE        ? run->cause_id
                 : role == ROLE_DECLARED   ? run->declared_id
                 : role == ROLE_MITIGATION ? run->mitigation_id
                 : role == ROLE_RESOLVED   ? run->resolved_id
                 : role == ROLE_DISTRACTOR ? run->distractor_id
                                           : NULL;
    if (slot)
        snprintf(slot, DEMO_CHANGE_ID_MAX, "%s", id);
}

void demo_write_changes(struct demo_run *run, struct demo_out *out)
{
    struct rng r;
    rng_seed(&r, run->opt->seed, STREAM_CHANGES);
    struct change_list l = {NULL, 0, 0};
    int64_t last_day = demo_floor_div(run->end - 1, MS_PER_DAY);
    for (int64_t day = demo_floor_div(run->start, MS_PER_DAY); day <= last_day; day++) {
        uint64_t n = 3 + rng_below(&r, 4);
        for (uint64_t i = 0; i < n; i++)
            add_innocent(&l, &r, run, day);
    }
    add_incident(&l, &r, run);
    qsort(l.items, l.n, sizeof(*l.items), compare_changes);
    word_changes(&l, &r, run);
    for (size_t i = 0; i < l.n; i++) {
        char id[DEMO_CHANGE_ID_MAX];
        snprintf(id, sizeof(id), "chg-%zu", i + 1);
        write_change(out, &l.items[i], id);
        remember_id(run, l.items[i].role, id);
    }
    run->rows[DEMO_CHANGES] = l.n;
    free(l.items);
}
