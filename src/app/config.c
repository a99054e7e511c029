/* config.c: known settings, validation and the cadence policy. */
#include "app/config.h"

#include "app/app.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define CADENCE(field) offsetof(struct policies, cadence) + offsetof(struct cadence_policy, field)
#define ACTIONS(field) offsetof(struct policies, actions) + offsetof(struct action_policy, field)

/* All current keys are durations; the table says which policy field each one sets. */
static const struct config_key keys[] = {
    {"postmortem.due.sev1", "time from resolution to the SEV1 postmortem's due date", "24h",
     CADENCE(postmortem_after_ms) + SEV1 * sizeof(int64_t)},
    {"postmortem.due.sev2", "time from resolution to the SEV2 postmortem's due date", "48h",
     CADENCE(postmortem_after_ms) + SEV2 * sizeof(int64_t)},
    {"postmortem.due.sev3", "time from resolution to the SEV3 postmortem's due date", "72h",
     CADENCE(postmortem_after_ms) + SEV3 * sizeof(int64_t)},
    {"postmortem.due.sev4", "time from resolution to the SEV4 postmortem's due date", "72h",
     CADENCE(postmortem_after_ms) + SEV4 * sizeof(int64_t)},
    {"review.after", "time from the postmortem's due date to its follow-up review", "30d",
     CADENCE(review_after_ms)},
    {"actions.stalled_after", "an open action with no update for this long is stalled", "14d",
     ACTIONS(stalled_after_ms)},
    {"actions.escalate_after", "overdue this long: escalated to the owner's team lead", "7d",
     ACTIONS(escalate_after_ms)},
    {"actions.escalate_again_after", "overdue this long: escalated to the team's escalation "
     "contact", "21d", ACTIONS(escalate_again_ms)},
};

const struct config_key *config_keys(size_t *ret_n)
{
    *ret_n = sizeof(keys) / sizeof(keys[0]);
    return keys;
}

static const struct config_key *find_key(const char *name, struct err *e)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    err_set(e, ERR_INVALID, "unknown setting '%.64s' (see 'hindsight config list')", name);
    return NULL;
}

static int64_t *policy_slot(struct policies *p, const struct config_key *k)
{
    return (int64_t *)(void *)((char *)p + k->offset);
}

static int check_value(const struct config_key *k, const char *value, int64_t *ret_ms,
                       struct err *e)
{
    int rc = time_parse_duration(value, ret_ms, e);
    if (rc < 0)
        return err_prefix(e, "%s: ", k->name);
    if (*ret_ms <= 0)
        return err_set(e, ERR_INVALID, "%s: must be longer than zero", k->name);
    return ERR_OK;
}

int config_load_policy(struct store *s, struct policies *p, struct err *e)
{
    cadence_policy_default(&p->cadence);
    action_policy_default(&p->actions);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char *value = NULL;
        int rc = store_setting_get(s, keys[i].name, &value, e);
        if (rc < 0)
            return rc;
        if (value) {
            int64_t ms;
            rc = check_value(&keys[i], value, &ms, e);
            free(value);
            if (rc < 0)
                return err_prefix(e, "stored setting is damaged: ");
            *policy_slot(p, &keys[i]) = ms;
        }
    }
    return ERR_OK;
}

int config_get(struct app *a, const char *key, char **ret_value, bool *ret_is_default,
               struct err *e)
{
    const struct config_key *k = find_key(key, e);
    if (!k)
        return ERR_INVALID;
    char *value = NULL;
    int rc = store_setting_get(a->store, key, &value, e);
    if (rc < 0)
        return rc;
    *ret_is_default = value == NULL;
    *ret_value = value ? value : xstrdup(k->default_value);
    return ERR_OK;
}

int config_set(struct app *a, const char *key, const char *value, struct err *e)
{
    const struct config_key *k = find_key(key, e);
    if (!k)
        return ERR_INVALID;
    char canonical[DURATION_STR_MAX];
    if (value) {
        int64_t ms;
        int rc = check_value(k, value, &ms, e);
        if (rc < 0)
            return rc;
        time_format_duration_exact(ms, canonical);
        value = canonical;
    }
    char *old = NULL;
    bool was_default;
    int rc = config_get(a, key, &old, &was_default, e);
    if (rc < 0)
        return rc;
    const char *shown_new = value ? value : k->default_value;
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    rc = store_setting_set(a->store, key, value, e);
    if (rc == ERR_OK)
        rc = app_audit(a, 0, "config", value ? "set" : "unset", key, old, shown_new, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    else
        rc = config_load_policy(a->store, &a->policies, e);
done:
    free(old);
    return rc;
}
