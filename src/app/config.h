/* config.h: the store's settings, from one table of known keys.
 *
 * Settings live in the store (so that everyone using it shares them) and every change is
 * audited. Each key has a type and a default; unknown keys and bad values are refused. */
#ifndef APP_CONFIG_H
#define APP_CONFIG_H

#include "core/err.h"
#include "model/action.h"
#include "model/cadence.h"
#include "store/store.h"

struct app;

struct config_key {
    const char *name;
    const char *help;
    const char *default_value;
    size_t offset; /* of the int64_t milliseconds it sets in struct policies */
};

/* Everything the settings decide. */
struct policies {
    struct cadence_policy cadence;
    struct action_policy actions;
};

/* The known keys, in display order; *ret_n is set to their count. */
const struct config_key *config_keys(size_t *ret_n);

/* Reads the settings from the store into p (defaults where unset). */
int config_load_policy(struct store *s, struct policies *p, struct err *e);

/* The current value of key (the stored one or the default), as a heap string. */
int config_get(struct app *a, const char *key, char **ret_value, bool *ret_is_default,
               struct err *e);
/* Validates and stores value (NULL restores the default), in one audited transaction. */
int config_set(struct app *a, const char *key, const char *value, struct err *e);

#endif
