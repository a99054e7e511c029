/* cmd_log.c: hindsight log [KEY], the audit and decision log. */
#include "cli/cli.h"

#include "app/incidents.h"
#include "core/sink.h"
#include "render/incident_json.h"
#include "render/incident_text.h"

#include <stdio.h>

static const struct opt_spec spec[] = {
    {"json", OPT_FLAG, NULL, "print a JSON array"},
};

int cmd_log(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "log", "log [KEY] [--json]",
                       "Shows who changed what, when, from what to what: for one incident, or "
                       "for the whole store\n(settings included) without KEY.",
                       spec, ARRAY_SIZE(spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    struct incident inc;
    incident_init(&inc);
    struct audit_entry *list = NULL;
    size_t n = 0;
    if (o.positional.n > 1) {
        rc = cli_want_positional(&o, "log", 1, "");
        goto done;
    }
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    if ((o.positional.n == 1 && app_incident_get(a, o.positional.items[0], &inc, &e) < 0) ||
        store_audit_list(a->store, o.positional.n == 1 ? inc.id : 0, &list, &n, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json")) {
        cli_print_json(audit_to_json(list, n));
    } else {
        struct sink out = sink_file(stdout);
        render_audit(&out, list, n);
    }
    rc = EXIT_OK;
done:
    audit_entries_free(list, n);
    incident_release(&inc);
    app_close(a);
    opts_release(&o);
    return rc;
}
