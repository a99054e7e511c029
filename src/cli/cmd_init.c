/* cmd_init.c: hindsight init, which creates a store. */
#include "cli/cli.h"

#include <stdio.h>

static const struct opt_spec spec[] = {
    {"json", OPT_FLAG, NULL, "print the result as JSON"},
};

int cmd_init(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "init", "init [--db PATH]",
                       "Creates the store, a single SQLite file holding incidents, evidence and "
                       "the audit log.\nRunning it on an existing store only checks it (and "
                       "upgrades its schema when this hindsight is newer).",
                       spec, ARRAY_SIZE(spec), argc, argv);
    if (rc >= 0)
        return rc;
    if ((rc = cli_want_positional(&o, "init", 0, "")) >= 0)
        goto done;
    struct err e = ERR_INIT;
    struct app *a = NULL;
    bool created = false;
    const char *path = app_db_path(o.db);
    if (app_open(path, STORE_OPEN_CREATE, &a, &created, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json"))
        cli_print_json(json_pack("{s:s, s:b, s:i}", "path", path, "created", created,
                                 "schema_version", store_schema_version(a->store)));
    else if (created)
        printf("created store %s (schema version %d)\n", path, store_schema_version(a->store));
    else
        printf("store %s already exists (schema version %d)\n", path,
               store_schema_version(a->store));
    app_close(a);
    rc = EXIT_OK;
done:
    opts_release(&o);
    return rc;
}
