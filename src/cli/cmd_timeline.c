/* cmd_timeline.c: hindsight timeline add KEY ... | hindsight timeline KEY. */
#include "cli/cli.h"

#include "app/incidents.h"
#include "core/sink.h"
#include "render/incident_json.h"
#include "render/incident_text.h"

#include <stdio.h>
#include <string.h>

static const struct opt_spec add_spec[] = {
    {"at", OPT_VALUE, "TIME", "when it happened (RFC 3339, or now)"},
    {"kind", OPT_VALUE, "KIND", "signal, detection, change, response, communication or note"},
    {"json", OPT_FLAG, NULL, "print the new entry's id as JSON"},
};

static int timeline_add(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "timeline add", "timeline add KEY --at TIME --kind KIND TEXT",
                       "Adds an entry to an incident's timeline.", add_spec,
                       ARRAY_SIZE(add_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    if ((rc = cli_want_positional(&o, "timeline add", 2, "the incident key and the text")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    int64_t id;
    if (app_timeline_add(a, o.positional.items[0], opts_value(&o, "at"), opts_value(&o, "kind"),
                         o.positional.items[1], &id, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json"))
        cli_print_json(json_pack("{s:I}", "id", (json_int_t)id));
    else
        printf("added timeline entry %lld\n", (long long)id);
    rc = EXIT_OK;
done:
    app_close(a);
    opts_release(&o);
    return rc;
}

static const struct opt_spec show_spec[] = {
    {"json", OPT_FLAG, NULL, "print a JSON array"},
};

static int timeline_show(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "timeline", "timeline KEY [--json]",
                       "Shows an incident's timeline in time order.", show_spec,
                       ARRAY_SIZE(show_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    struct incident inc;
    incident_init(&inc);
    struct timeline_entry *tl = NULL;
    size_t n = 0;
    if ((rc = cli_want_positional(&o, "timeline", 1, "the incident key")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    if (app_incident_get(a, o.positional.items[0], &inc, &e) < 0 ||
        store_timeline_list(a->store, inc.id, &tl, &n, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json")) {
        cli_print_json(timeline_to_json(tl, n));
    } else {
        struct sink out = sink_file(stdout);
        render_timeline(&out, tl, n);
    }
    rc = EXIT_OK;
done:
    timeline_entries_free(tl, n);
    incident_release(&inc);
    app_close(a);
    opts_release(&o);
    return rc;
}

int cmd_timeline(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return timeline_add(argc - 1, argv + 1);
    return timeline_show(argc, argv);
}
