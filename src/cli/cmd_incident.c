/* cmd_incident.c: hindsight incident new | update | show | list. */
#include "cli/cli.h"

#include "app/incidents.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "render/incident_json.h"
#include "render/incident_text.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define FIELD_OPTS                                                                             \
    {"title", OPT_VALUE, "T", "one-line title"},                                               \
    {"summary", OPT_VALUE, "S", "what happened, in a few sentences"},                          \
    {"severity", OPT_VALUE, "SEV", "SEV1 (worst) .. SEV4"},                                    \
    {"started", OPT_VALUE, "TIME", "when it began (RFC 3339, or now)"},                        \
    {"detected", OPT_VALUE, "TIME", "when it was detected"},                                   \
    {"acknowledged", OPT_VALUE, "TIME", "when a responder acknowledged it"},                   \
    {"mitigated", OPT_VALUE, "TIME", "when the impact stopped (moves open to mitigated)"},     \
    {"resolved", OPT_VALUE, "TIME", "when it was resolved (moves mitigated to resolved)"},     \
    {"owner", OPT_VALUE, "WHO", "the postmortem owner"},                                       \
    {"service", OPT_LIST, "NAME", "a service involved"},                                       \
    {"tag", OPT_LIST, "NS:VALUE", "a tag, like failure-mode:bad-deploy"},                      \
    {"segment", OPT_LIST, "KEY=VALUE", "an affected segment, like platform=android"},          \
    {"signal", OPT_LIST, "NAME@TIME", "a warning signal that fired"},                          \
    {"affected-users", OPT_VALUE, "N", "how many users were affected"},                        \
    {"revenue-lost", OPT_VALUE, "AMOUNT", "revenue lost"},                                     \
    {"support-tickets", OPT_VALUE, "N", "support tickets raised"},                             \
    {"json", OPT_FLAG, NULL, "print the incident as JSON"}

static const struct opt_spec new_spec[] = {FIELD_OPTS};

static const struct opt_spec update_spec[] = {
    FIELD_OPTS,
    {"status", OPT_VALUE, "STATUS", "move to open|mitigated|resolved|postmortem|review|complete"},
    {"remove-service", OPT_LIST, "NAME", "remove a service"},
    {"remove-tag", OPT_LIST, "NS:VALUE", "remove a tag"},
    {"remove-segment", OPT_LIST, "KEY=VALUE", "remove a segment"},
    {"remove-signal", OPT_LIST, "NAME", "remove a signal"},
    {"clear", OPT_LIST, "FIELD", "unset summary, owner, detected, acknowledged, ... "},
};

/* Where each option lands in struct incident_change. */
static const struct {
    const char *opt;
    size_t offset;
    bool is_list;
} change_map[] = {
    {"title", offsetof(struct incident_change, title), false},
    {"summary", offsetof(struct incident_change, summary), false},
    {"severity", offsetof(struct incident_change, severity), false},
    {"status", offsetof(struct incident_change, status), false},
    {"owner", offsetof(struct incident_change, owner), false},
    {"started", offsetof(struct incident_change, times) + T_STARTED * sizeof(char *), false},
    {"detected", offsetof(struct incident_change, times) + T_DETECTED * sizeof(char *), false},
    {"acknowledged", offsetof(struct incident_change, times) + T_ACKNOWLEDGED * sizeof(char *),
     false},
    {"mitigated", offsetof(struct incident_change, times) + T_MITIGATED * sizeof(char *), false},
    {"resolved", offsetof(struct incident_change, times) + T_RESOLVED * sizeof(char *), false},
    {"affected-users", offsetof(struct incident_change, affected_users), false},
    {"revenue-lost", offsetof(struct incident_change, revenue_lost), false},
    {"support-tickets", offsetof(struct incident_change, support_tickets), false},
    {"service", offsetof(struct incident_change, add_services), true},
    {"remove-service", offsetof(struct incident_change, remove_services), true},
    {"tag", offsetof(struct incident_change, add_tags), true},
    {"remove-tag", offsetof(struct incident_change, remove_tags), true},
    {"segment", offsetof(struct incident_change, add_segments), true},
    {"remove-segment", offsetof(struct incident_change, remove_segments), true},
    {"signal", offsetof(struct incident_change, add_signals), true},
    {"remove-signal", offsetof(struct incident_change, remove_signals), true},
    {"clear", offsetof(struct incident_change, clear), true},
};

/* Fills c from the options of o that map to a field. The strings stay owned by o. */
static void change_from_opts(const struct opts *o, struct incident_change *c)
{
    for (size_t i = 0; i < o->n_spec; i++) {
        if (!o->given[i])
            continue;
        for (size_t m = 0; m < ARRAY_SIZE(change_map); m++) {
            if (strcmp(change_map[m].opt, o->spec[i].name) != 0)
                continue;
            char *slot = (char *)c + change_map[m].offset;
            if (change_map[m].is_list)
                strlist_copy((struct strlist *)(void *)slot, &o->list[i]);
            else
                *(const char **)(void *)slot = o->value[i];
        }
    }
}

static int show_one(struct app *a, const char *key, bool json)
{
    struct err e = ERR_INIT;
    struct incident inc;
    incident_init(&inc);
    struct timeline_entry *tl = NULL;
    size_t n_tl = 0;
    int rc = app_incident_get(a, key, &inc, &e);
    if (rc == ERR_OK)
        rc = store_timeline_list(a->store, inc.id, &tl, &n_tl, &e);
    if (rc < 0) {
        incident_release(&inc);
        return cli_fail(&e);
    }
    if (json) {
        json_t *v = incident_to_json(&inc, &a->policies.cadence, a->now);
        json_object_set_new(v, "timeline", timeline_to_json(tl, n_tl));
        cli_print_json(v);
    } else {
        struct sink out = sink_file(stdout);
        render_incident_show(&out, &inc, tl, n_tl, &a->policies.cadence, a->now);
    }
    timeline_entries_free(tl, n_tl);
    incident_release(&inc);
    return EXIT_OK;
}

static int incident_new(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "incident new",
                       "incident new --title T --severity SEV --started TIME [options]",
                       "Records a new incident and prints its key (INC-1, INC-2, ...).",
                       new_spec, ARRAY_SIZE(new_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct incident_change c;
    incident_change_init(&c);
    struct app *a = NULL;
    if ((rc = cli_want_positional(&o, "incident new", 0, "")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    change_from_opts(&o, &c);
    struct err e = ERR_INIT;
    int64_t seq;
    if (app_incident_new(a, &c, &seq, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    char key[INCIDENT_KEY_MAX];
    incident_key(seq, key);
    if (opts_flag(&o, "json"))
        rc = show_one(a, key, true);
    else
        rc = (printf("%s\n", key), EXIT_OK);
done:
    app_close(a);
    incident_change_release(&c);
    opts_release(&o);
    return rc;
}

static int incident_update(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "incident update", "incident update KEY [options]",
                       "Changes an incident. Every change is recorded in its log (hindsight log "
                       "KEY).\nStatus moves: open -> mitigated -> resolved -> postmortem -> "
                       "review -> complete,\nand back to open (a reopen) from any later status.",
                       update_spec, ARRAY_SIZE(update_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct incident_change c;
    incident_change_init(&c);
    struct app *a = NULL;
    if ((rc = cli_want_positional(&o, "incident update", 1, "the incident key")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    change_from_opts(&o, &c);
    struct err e = ERR_INIT;
    size_t changed = 0;
    const char *key = o.positional.items[0];
    if (app_incident_update(a, key, &c, &changed, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json")) {
        rc = show_one(a, key, true);
    } else {
        struct incident inc;
        incident_init(&inc);
        rc = app_incident_get(a, key, &inc, &e) < 0 ? cli_fail(&e) : EXIT_OK;
        if (rc == EXIT_OK) {
            char k[INCIDENT_KEY_MAX];
            incident_key(inc.seq, k);
            if (changed)
                printf("%s updated (%zu field%s changed; status %s)\n", k, changed,
                       changed == 1 ? "" : "s", status_name(inc.status));
            else
                printf("%s unchanged\n", k);
        }
        incident_release(&inc);
    }
done:
    app_close(a);
    incident_change_release(&c);
    opts_release(&o);
    return rc;
}

static const struct opt_spec show_spec[] = {
    {"json", OPT_FLAG, NULL, "print the incident (with its timeline) as JSON"},
};

static int incident_show(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "incident show", "incident show KEY [--json]",
                       "Shows an incident: its fields, derived figures (time to detect, "
                       "mitigate, resolve;\npostmortem due date) and its timeline.",
                       show_spec, ARRAY_SIZE(show_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    if ((rc = cli_want_positional(&o, "incident show", 1, "the incident key")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    rc = show_one(a, o.positional.items[0], opts_flag(&o, "json"));
done:
    app_close(a);
    opts_release(&o);
    return rc;
}

static const struct opt_spec list_spec[] = {
    {"status", OPT_VALUE, "STATUS", "only incidents in this status"},
    {"severity", OPT_VALUE, "SEV", "only incidents of this severity"},
    {"tag", OPT_VALUE, "NS:VALUE", "only incidents with this tag"},
    {"service", OPT_VALUE, "NAME", "only incidents involving this service"},
    {"since", OPT_VALUE, "TIME", "only incidents started at or after TIME"},
    {"until", OPT_VALUE, "TIME", "only incidents started before TIME"},
    {"search", OPT_VALUE, "TEXT", "only incidents whose key, title or summary contain TEXT"},
    {"overdue", OPT_FLAG, NULL, "only incidents whose postmortem is overdue"},
    {"json", OPT_FLAG, NULL, "print a JSON array"},
};

/* Turns the list options into a filter; the strings stay owned by o. */
static int filter_from_opts(struct app *a, const struct opts *o, struct incident_filter *f,
                            struct err *e)
{
    const char *v;
    int rc = ERR_OK;
    if ((v = opts_value(o, "status"))) {
        enum incident_status st;
        if ((rc = status_parse(v, &st, e)) < 0)
            return rc;
        f->status = (int)st;
    }
    if ((v = opts_value(o, "severity"))) {
        enum severity sev;
        if ((rc = severity_parse(v, &sev, e)) < 0)
            return rc;
        f->severity = (int)sev;
    }
    if ((v = opts_value(o, "tag")) && (rc = tag_check(v, e)) < 0)
        return rc;
    f->tag = v;
    f->service = opts_value(o, "service");
    f->search = opts_value(o, "search");
    if ((v = opts_value(o, "since")) && (rc = app_parse_time(a, "--since", v, &f->since, e)) < 0)
        return rc;
    if ((v = opts_value(o, "until")) && (rc = app_parse_time(a, "--until", v, &f->until, e)) < 0)
        return rc;
    return ERR_OK;
}

static int incident_list(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "incident list", "incident list [filters] [--json]",
                       "Lists incidents, newest first, with their postmortem state.", list_spec,
                       ARRAY_SIZE(list_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    struct incident *list = NULL;
    size_t n = 0;
    if ((rc = cli_want_positional(&o, "incident list", 0, "")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    struct incident_filter f = INCIDENT_FILTER_INIT;
    if (filter_from_opts(a, &o, &f, &e) < 0 ||
        app_incident_list(a, &f, opts_flag(&o, "overdue"), &list, &n, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    if (opts_flag(&o, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, incident_to_json(&list[i], &a->policies.cadence, a->now));
        cli_print_json(arr);
    } else {
        struct sink out = sink_file(stdout);
        render_incident_list(&out, list, n, &a->policies.cadence, a->now);
    }
    rc = EXIT_OK;
done:
    incidents_free(list, n);
    app_close(a);
    opts_release(&o);
    return rc;
}

static const struct cmd incident_cmds[] = {
    {"new", incident_new, "record a new incident"},
    {"update", incident_update, "change an incident (fields, times, status)"},
    {"show", incident_show, "show one incident with its timeline"},
    {"list", incident_list, "list incidents"},
};

int cmd_incident(int argc, char **argv)
{
    return cli_dispatch("incident", incident_cmds, ARRAY_SIZE(incident_cmds), argc, argv);
}
