/* cmd_workflow.c: hindsight hypothesis | evidence | action | team | person | escalations. */
#include "cli/cli.h"

#include "app/analyze.h"
#include "app/workflow.h"
#include "core/sink.h"
#include "core/xalloc.h"
#include "render/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* ---- hypotheses ---- */

static const struct opt_spec hadd_spec[] = {
    {"owner", OPT_VALUE, "WHO", "who tests it"},
    {"likelihood", OPT_VALUE, "1-5", "how likely it is the cause (default 3)"},
    {"impact", OPT_VALUE, "1-5", "how much of the incident it would explain (default 3)"},
};

static int hypothesis_add(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "hypothesis add", "hypothesis add KEY TEXT [--owner WHO] [--likelihood "
                   "1-5] [--impact 1-5]", "Proposes a root-cause hypothesis for an incident.",
                   hadd_spec, ARRAY_SIZE(hadd_spec), argc, argv, 2,
                   "the incident key and the hypothesis", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    int64_t id;
    if (app_hypothesis_add(a, o.positional.items[0], o.positional.items[1],
                           opts_value(&o, "owner"), opts_value(&o, "likelihood"),
                           opts_value(&o, "impact"), &id, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("H-%lld\n", (long long)id);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct opt_spec hupd_spec[] = {
    {"status", OPT_VALUE, "STATUS", "proposed, testing, confirmed or refuted"},
    {"owner", OPT_VALUE, "WHO", "who tests it"},
    {"likelihood", OPT_VALUE, "1-5", "how likely it is the cause"},
    {"impact", OPT_VALUE, "1-5", "how much of the incident it would explain"},
    {"text", OPT_VALUE, "TEXT", "the hypothesis"},
    {"note", OPT_VALUE, "TEXT", "why (kept as evidence; refuting needs evidence or a note)"},
};

static int hypothesis_update(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "hypothesis update", "hypothesis update H-ID [options]",
                   "Changes a hypothesis. Confirming one does not close the others; refuting "
                   "needs\nrefuting evidence or a --note.", hupd_spec, ARRAY_SIZE(hupd_spec),
                   argc, argv, 1, "the hypothesis id", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct hypothesis_change c = {opts_value(&o, "text"), opts_value(&o, "owner"),
                                  opts_value(&o, "likelihood"), opts_value(&o, "impact"),
                                  opts_value(&o, "status"), opts_value(&o, "note")};
    size_t changed = 0;
    if (app_hypothesis_update(a, o.positional.items[0], &c, &changed, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (changed)
        printf("%s updated (%zu change%s)\n", o.positional.items[0], changed,
               changed == 1 ? "" : "s");
    else
        printf("%s unchanged\n", o.positional.items[0]);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct opt_spec json_spec[] = {
    {"json", OPT_FLAG, NULL, "print JSON"},
};

static int hypothesis_list(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "hypothesis list", "hypothesis list KEY [--json]",
                   "Lists an incident's hypotheses, ranked by score, with the score's parts and "
                   "the evidence.", json_spec, ARRAY_SIZE(json_spec), argc, argv, 1,
                   "the incident key", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct hypothesis *list = NULL;
    struct evidence *ev = NULL;
    size_t n = 0, n_ev = 0;
    if (app_hypothesis_list(a, o.positional.items[0], &list, &n, &ev, &n_ev, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (opts_flag(&o, "json")) {
        cli_print_json(hypotheses_to_json(list, n, ev, n_ev));
    } else {
        struct sink out = sink_file(stdout);
        render_hypotheses(&out, list, n, ev, n_ev);
    }
    hypotheses_free(list, n);
    evidence_list_free(ev, n_ev);
    return cli_finish(&o, a, EXIT_OK);
}

static int hypothesis_accept(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "hypothesis accept", "hypothesis accept KEY FINDING-ID",
                   "Turns a finding of hindsight analyze (F-1 is the best) into a hypothesis.",
                   NULL, 0, argc, argv, 2, "the incident key and the finding id", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    int64_t id;
    if (app_finding_accept(a, o.positional.items[0], o.positional.items[1], &id, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("H-%lld\n", (long long)id);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct cmd hypothesis_cmds[] = {
    {"add", hypothesis_add, "propose a hypothesis"},
    {"update", hypothesis_update, "change status, owner, ratings or text"},
    {"list", hypothesis_list, "list an incident's hypotheses, ranked"},
    {"accept", hypothesis_accept, "turn a finding of analyze into a hypothesis"},
};

int cmd_hypothesis(int argc, char **argv)
{
    return cli_dispatch("hypothesis", hypothesis_cmds, ARRAY_SIZE(hypothesis_cmds), argc, argv);
}

static const struct opt_spec evidence_spec[] = {
    {"query", OPT_VALUE, "EXPR", "a metric expression, run now and kept with its result"},
    {"from", OPT_VALUE, "TIME", "the query's window start"},
    {"to", OPT_VALUE, "TIME", "the query's window end"},
    {"bucket", OPT_VALUE, "DURATION", "the query's bucket (default 1h)"},
    {"note", OPT_VALUE, "TEXT", "a note (or a comment on a query or file)"},
    {"file", OPT_VALUE, "PATH", "a file to keep (at most 16 MB)"},
    {"supports", OPT_FLAG, NULL, "the evidence supports the hypothesis"},
    {"refutes", OPT_FLAG, NULL, "the evidence refutes the hypothesis"},
};

static int evidence_add(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "evidence add", "evidence add H-ID (--query EXPR --from T --to T | --note "
                   "TEXT | --file PATH) --supports|--refutes",
                   "Adds evidence to a hypothesis. A query is run now and its result kept, so the "
                   "record\nstays true when the data changes later.", evidence_spec,
                   ARRAY_SIZE(evidence_spec), argc, argv, 1, "the hypothesis id", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct evidence_input in = {opts_value(&o, "query"), opts_value(&o, "from"),
                                opts_value(&o, "to"), opts_value(&o, "bucket"),
                                opts_value(&o, "note"), opts_value(&o, "file"),
                                opts_flag(&o, "supports"), opts_flag(&o, "refutes")};
    int64_t id;
    if (app_evidence_add(a, o.positional.items[0], &in, &id, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("E-%lld added to %s\n", (long long)id, o.positional.items[0]);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct cmd evidence_cmds[] = {
    {"add", evidence_add, "add evidence for or against a hypothesis"},
};

int cmd_evidence(int argc, char **argv)
{
    return cli_dispatch("evidence", evidence_cmds, ARRAY_SIZE(evidence_cmds), argc, argv);
}

/* ---- actions ---- */

static const struct opt_spec aadd_spec[] = {
    {"kind", OPT_VALUE, "KIND", "process, architecture, monitoring or policy"},
    {"owner", OPT_VALUE, "WHO", "who does it"},
    {"due", OPT_VALUE, "TIME", "when it is due (in the future)"},
    {"mitigates", OPT_VALUE, "H-ID", "the hypothesis (cause) it mitigates"},
    {"success", OPT_VALUE, "CRITERION", "\"EXPR <op> VALUE over WINDOW\", measured after"},
    {"no-success", OPT_VALUE, "REASON", "why no metric can measure it"},
    {"recurrence", OPT_VALUE, "1-5", "likelihood the failure recurs without it (default 3)"},
    {"severity", OPT_VALUE, "1-5", "severity of the disruption (default from the incident)"},
    {"effort", OPT_VALUE, "1-5", "effort of the remedy (default 3)"},
    {"depends-on", OPT_LIST, "A-ID", "an action that must be done first"},
};

static int action_add(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "action add", "action add KEY TEXT --kind K --owner WHO --due TIME "
                   "(--success C | --no-success R) [options]",
                   "Adds a corrective or preventive action. Priority = recurrence x severity / "
                   "effort.", aadd_spec, ARRAY_SIZE(aadd_spec), argc, argv, 2,
                   "the incident key and the action", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct action_input in = {o.positional.items[1], opts_value(&o, "kind"),
                              opts_value(&o, "owner"), opts_value(&o, "due"),
                              opts_value(&o, "mitigates"), opts_value(&o, "success"),
                              opts_value(&o, "no-success"), opts_value(&o, "recurrence"),
                              opts_value(&o, "severity"), opts_value(&o, "effort"),
                              opts_list(&o, "depends-on")};
    int64_t id;
    if (app_action_add(a, o.positional.items[0], &in, &id, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("A-%lld\n", (long long)id);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct opt_spec aupd_spec[] = {
    {"status", OPT_VALUE, "STATUS", "todo, doing, blocked, done, verified or wontfix"},
    {"note", OPT_VALUE, "TEXT", "a progress note"},
    {"reason", OPT_VALUE, "TEXT", "why (with --status wontfix)"},
    {"text", OPT_VALUE, "TEXT", "the action"},
    {"kind", OPT_VALUE, "KIND", "process, architecture, monitoring or policy"},
    {"owner", OPT_VALUE, "WHO", "who does it"},
    {"due", OPT_VALUE, "TIME", "when it is due"},
    {"mitigates", OPT_VALUE, "H-ID", "the hypothesis it mitigates"},
    {"success", OPT_VALUE, "CRITERION", "\"EXPR <op> VALUE over WINDOW\""},
    {"no-success", OPT_VALUE, "REASON", "why no metric can measure it"},
    {"recurrence", OPT_VALUE, "1-5", "likelihood of recurrence"},
    {"severity", OPT_VALUE, "1-5", "severity of the disruption"},
    {"effort", OPT_VALUE, "1-5", "effort of the remedy"},
    {"depends-on", OPT_LIST, "A-ID", "add a dependency"},
    {"remove-depends-on", OPT_LIST, "A-ID", "remove a dependency"},
};

static int action_update(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "action update", "action update A-ID [options]",
                   "Changes an action or records progress. done needs its dependencies closed; "
                   "verified\nneeds done first; wontfix needs --reason.", aupd_spec,
                   ARRAY_SIZE(aupd_spec), argc, argv, 1, "the action id", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct action_change c = {opts_value(&o, "text"), opts_value(&o, "kind"),
                              opts_value(&o, "owner"), opts_value(&o, "due"),
                              opts_value(&o, "status"), opts_value(&o, "note"),
                              opts_value(&o, "reason"), opts_value(&o, "success"),
                              opts_value(&o, "no-success"), opts_value(&o, "recurrence"),
                              opts_value(&o, "severity"), opts_value(&o, "effort"),
                              opts_value(&o, "mitigates"), opts_list(&o, "depends-on"),
                              opts_list(&o, "remove-depends-on")};
    size_t changed = 0;
    if (app_action_update(a, o.positional.items[0], &c, &changed, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (changed)
        printf("%s updated (%zu change%s)\n", o.positional.items[0], changed,
               changed == 1 ? "" : "s");
    else
        printf("%s unchanged\n", o.positional.items[0]);
    return cli_finish(&o, a, EXIT_OK);
}

static void facts_of(const struct action_view *v, struct action_facts *f)
{
    *f = (struct action_facts){v->incident_key, v->priority, v->blocked, v->overdue, v->stalled,
                               v->escalation_level, v->escalated_to};
}

static void print_views(const struct action_view *views, size_t n, bool json, int64_t now)
{
    const struct action **acts = xcalloc(n ? n : 1, sizeof(*acts));
    struct action_facts *facts = xcalloc(n ? n : 1, sizeof(*facts));
    json_t *arr = json ? json_array() : NULL;
    for (size_t i = 0; acts && facts && i < n; i++) {
        acts[i] = &views[i].action;
        facts_of(&views[i], &facts[i]);
        if (arr)
            json_array_append_new(arr, action_to_json(acts[i], &facts[i]));
    }
    if (arr) {
        cli_print_json(arr);
    } else if (acts && facts) {
        struct sink out = sink_file(stdout);
        render_actions(&out, acts, facts, n, now);
    }
    free(acts);
    free(facts);
}

static const struct opt_spec alist_spec[] = {
    {"owner", OPT_VALUE, "WHO", "only this owner's actions"},
    {"overdue", OPT_FLAG, NULL, "only overdue actions"},
    {"stalled", OPT_FLAG, NULL, "only stalled actions"},
    {"json", OPT_FLAG, NULL, "print a JSON array"},
};

static int action_list(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_parse(&o, "action list", "action list [KEY] [--owner WHO] [--overdue] "
                       "[--stalled] [--json]", "Lists actions by priority, with what blocks "
                       "them and whether they are overdue, stalled or escalated.", alist_spec,
                       ARRAY_SIZE(alist_spec), argc, argv);
    if (rc >= 0)
        return rc;
    if (o.positional.n > 1)
        return cli_finish(&o, NULL, cli_want_positional(&o, "action list", 1, ""));
    if (!(a = cli_open(&o)))
        return cli_finish(&o, NULL, EXIT_FAIL);
    struct err e = ERR_INIT;
    struct action_filter f = {o.positional.n ? o.positional.items[0] : NULL,
                              opts_value(&o, "owner"), opts_flag(&o, "overdue"),
                              opts_flag(&o, "stalled"), false};
    struct action_view *views = NULL;
    size_t n = 0;
    if (app_action_list(a, &f, &views, &n, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    print_views(views, n, opts_flag(&o, "json"), a->now);
    action_views_free(views, n);
    return cli_finish(&o, a, EXIT_OK);
}

static int action_graph(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "action graph", "action graph KEY [--json]",
                   "Shows the dependencies of an incident's actions, what is blocked, and the "
                   "critical path\n(the chain of open actions with the most effort).",
                   json_spec, ARRAY_SIZE(json_spec), argc, argv, 1, "the incident key", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct action_graph g;
    if (app_action_graph(a, o.positional.items[0], &g, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    const struct action **acts = xcalloc(g.n ? g.n : 1, sizeof(*acts));
    struct action_facts *facts = xcalloc(g.n ? g.n : 1, sizeof(*facts));
    for (size_t i = 0; acts && facts && i < g.n; i++) {
        acts[i] = &g.actions[i].action;
        facts_of(&g.actions[i], &facts[i]);
    }
    if (opts_flag(&o, "json")) {
        json_t *arr = json_array(), *path = json_array();
        for (size_t i = 0; i < g.n; i++)
            json_array_append_new(arr, action_to_json(acts[i], &facts[i]));
        for (size_t i = 0; i < g.n_critical; i++) {
            char k[32];
            action_key(g.critical[i], k);
            json_array_append_new(path, json_string(k));
        }
        cli_print_json(json_pack("{s:o, s:{s:o, s:i}}", "actions", arr, "critical_path",
                                 "actions", path, "effort", g.critical_effort));
    } else if (acts && facts) {
        struct sink out = sink_file(stdout);
        render_action_graph(&out, acts, facts, g.n, g.critical, g.n_critical,
                            g.critical_effort);
    }
    free(acts);
    free(facts);
    action_graph_release(&g);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct cmd action_cmds[] = {
    {"add", action_add, "add a corrective or preventive action"},
    {"update", action_update, "change an action or record progress"},
    {"list", action_list, "list actions by priority"},
    {"graph", action_graph, "show dependencies and the critical path"},
};

int cmd_action(int argc, char **argv)
{
    return cli_dispatch("action", action_cmds, ARRAY_SIZE(action_cmds), argc, argv);
}

/* ---- teams, people, escalations ---- */

static const struct opt_spec team_spec[] = {
    {"lead", OPT_VALUE, "WHO", "the team lead (first escalation)"},
    {"escalation", OPT_VALUE, "WHO", "the second escalation (default: the incident's owner)"},
};

static int team_add(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "team add", "team add NAME --lead WHO [--escalation WHO]",
                   "Adds (or changes) a team: its lead and escalation contact.", team_spec,
                   ARRAY_SIZE(team_spec), argc, argv, 1, "the team's name", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    if (app_team_add(a, o.positional.items[0], opts_value(&o, "lead"),
                     opts_value(&o, "escalation"), &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("team %s: lead %s\n", o.positional.items[0], opts_value(&o, "lead"));
    return cli_finish(&o, a, EXIT_OK);
}

static const struct cmd team_cmds[] = {
    {"add", team_add, "add or change a team"},
};

int cmd_team(int argc, char **argv)
{
    return cli_dispatch("team", team_cmds, ARRAY_SIZE(team_cmds), argc, argv);
}

static const struct opt_spec person_spec[] = {
    {"team", OPT_VALUE, "NAME", "the person's team"},
};

static int person_add(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "person add", "person add WHO --team NAME",
                   "Puts a person in a team (escalations go to the team's lead).", person_spec,
                   ARRAY_SIZE(person_spec), argc, argv, 1, "the person", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    if (app_person_add(a, o.positional.items[0], opts_value(&o, "team"), &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("%s is in team %s\n", o.positional.items[0], opts_value(&o, "team"));
    return cli_finish(&o, a, EXIT_OK);
}

static const struct cmd person_cmds[] = {
    {"add", person_add, "put a person in a team"},
};

int cmd_person(int argc, char **argv)
{
    return cli_dispatch("person", person_cmds, ARRAY_SIZE(person_cmds), argc, argv);
}

int cmd_escalations(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "escalations", "escalations [--json]",
                   "Lists the overdue actions that are escalated, to whom, and why.", json_spec,
                   ARRAY_SIZE(json_spec), argc, argv, 0, "", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct action_filter f = {NULL, NULL, false, false, true};
    struct action_view *views = NULL;
    size_t n = 0;
    if (app_action_list(a, &f, &views, &n, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    print_views(views, n, opts_flag(&o, "json"), a->now);
    action_views_free(views, n);
    return cli_finish(&o, a, EXIT_OK);
}
