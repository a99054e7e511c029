/* app.h: the context of one hindsight run, shared by the command line and (later) the server.
 *
 * An app holds the open store, the clock reading for the whole run (so that every answer of
 * one command uses the same "now"), who is acting (for the audit log), and the settings read
 * from the store (the postmortem cadence). */
#ifndef APP_APP_H
#define APP_APP_H

#include "core/common.h"
#include "core/err.h"
#include "app/config.h"
#include "model/cadence.h"
#include "store/store.h"

struct app {
    struct store *store;
    int64_t now;
    char *actor;
    struct policies policies;
};

/* The store path: explicit when not NULL, else $HINDSIGHT_DB, else "hindsight.db". */
const char *app_db_path(const char *explicit_path);

/* Who is acting: $HINDSIGHT_USER, else the login name, else "uid:<n>". Heap string. */
char *app_actor(void);

/* Opens the store (see store_open for mode) and loads the settings. */
int app_open(const char *db_path, enum store_open_mode mode, struct app **ret_app,
             bool *ret_created, struct err *e);
void app_close(struct app *a);

/* Parses a time given for field (an option name, used in the message): RFC 3339, a bare date,
 * or "now" (the run's clock). */
int app_parse_time(const struct app *a, const char *field, const char *s, int64_t *ret_ms,
                   struct err *e);

/* Like app_audit, with empty old or new values recorded as unset (NULL). */
int app_audit_field(struct app *a, int64_t incident_id, const char *record, const char *action,
                    const char *field, const char *old_value, const char *new_value,
                    struct err *e);

/* Appends one audit entry stamped with the run's time and actor. */
int app_audit(struct app *a, int64_t incident_id, const char *record, const char *action,
              const char *field, const char *old_value, const char *new_value, struct err *e);

#endif
