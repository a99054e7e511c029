/* app.c: opening a run's context. */
#define _POSIX_C_SOURCE 200809L
#include "app/app.h"

#include "app/config.h"
#include "core/clock.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *app_db_path(const char *explicit_path)
{
    if (explicit_path && *explicit_path)
        return explicit_path;
    const char *env = getenv("HINDSIGHT_DB");
    return env && *env ? env : "hindsight.db";
}

char *app_actor(void)
{
    const char *env = getenv("HINDSIGHT_USER");
    if (env && *env)
        return xstrdup(env);
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return xstrdup(pw->pw_name);
    char buf[32];
    snprintf(buf, sizeof(buf), "uid:%u", (unsigned)geteuid());
    return xstrdup(buf);
}

int app_open(const char *db_path, enum store_open_mode mode, struct app **ret_app,
             bool *ret_created, struct err *e)
{
    struct store *s = NULL;
    int rc = store_open(db_path, mode, &s, ret_created, e);
    if (rc < 0)
        return rc;
    struct app *a = xcalloc(1, sizeof(*a));
    a->store = s;
    a->now = clock_now_ms();
    a->actor = app_actor();
    if ((rc = config_load_policy(s, &a->policies, e)) < 0) {
        app_close(a);
        return rc;
    }
    *ret_app = a;
    return ERR_OK;
}

void app_close(struct app *a)
{
    if (!a)
        return;
    store_close(a->store);
    free(a->actor);
    free(a);
}

int app_parse_time(const struct app *a, const char *field, const char *s, int64_t *ret_ms,
                   struct err *e)
{
    if (strcmp(s, "now") == 0) {
        *ret_ms = a->now;
        return ERR_OK;
    }
    int rc = time_parse_rfc3339(s, ret_ms, e);
    if (rc < 0)
        err_prefix(e, "%s: ", field);
    return rc;
}

int app_audit(struct app *a, int64_t incident_id, const char *record, const char *action,
              const char *field, const char *old_value, const char *new_value, struct err *e)
{
    struct audit_entry entry = {
        .at = a->now,
        .actor = a->actor,
        .record = (char *)record,
        .action = (char *)action,
        .field = (char *)field,
        .old_value = (char *)old_value,
        .new_value = (char *)new_value,
    };
    return store_audit_append(a->store, incident_id, &entry, e);
}

int app_audit_field(struct app *a, int64_t incident_id, const char *record, const char *action,
                    const char *field, const char *old_value, const char *new_value,
                    struct err *e)
{
    return app_audit(a, incident_id, record, action, field,
                     old_value && *old_value ? old_value : NULL,
                     new_value && *new_value ? new_value : NULL, e);
}
