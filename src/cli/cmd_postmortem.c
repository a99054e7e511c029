/* cmd_postmortem.c: hindsight template | postmortem | checklist | due | decide | feedback. */
#include "cli/cli.h"

#include "app/experiment.h"
#include "app/postmortem.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static const struct opt_spec json_spec[] = {
    {"json", OPT_FLAG, NULL, "print JSON"},
};

/* ---- templates ---- */

static int template_add(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "template add", "template add FILE",
                   "Stores a postmortem template (format in docs/workflow.md).", NULL, 0, argc,
                   argv, 1, "the template file", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    char *name = NULL;
    if (app_template_add(a, o.positional.items[0], &name, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("template %s stored\n", name);
    free(name);
    return cli_finish(&o, a, EXIT_OK);
}

static int template_list(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "template list", "template list", "Lists the postmortem templates.",
                   NULL, 0, argc, argv, 0, "", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    char **names = NULL;
    size_t n = 0;
    if (app_template_names(a, &names, &n, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    for (size_t i = 0; i < n; i++) {
        struct template t;
        if (app_template_get(a, names[i], &t, &e) == ERR_OK) {
            printf("%-16s %zu sections  %s\n", t.name, t.n, t.description);
            template_release(&t);
        }
        free(names[i]);
    }
    free(names);
    return cli_finish(&o, a, EXIT_OK);
}

static int template_show(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "template show", "template show NAME",
                   "Prints a template in its file format.", NULL, 0, argc, argv, 1,
                   "the template's name", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct template t;
    if (app_template_get(a, o.positional.items[0], &t, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    char *text = template_to_text(&t);
    fputs(text, stdout);
    free(text);
    template_release(&t);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct cmd template_cmds[] = {
    {"add", template_add, "store a template file"},
    {"list", template_list, "list the templates"},
    {"show", template_show, "print a template"},
};

int cmd_template(int argc, char **argv)
{
    return cli_dispatch("template", template_cmds, ARRAY_SIZE(template_cmds), argc, argv);
}

/* ---- the postmortem document ---- */

static const struct opt_spec edit_spec[] = {
    {"text", OPT_VALUE, "TEXT", "the section's text"},
    {"file", OPT_VALUE, "FILE", "read the section's text from a file"},
};

static void print_doc(const struct postmortem_doc *d, const char *key, bool json)
{
    if (json) {
        json_t *secs = json_array();
        for (size_t i = 0; i < d->tmpl.n; i++) {
            const struct template_section *s = &d->tmpl.sections[i];
            char t[TIME_STR_MAX];
            json_array_append_new(secs, json_pack(
                "{s:s, s:s, s:b, s:s, s:s?, s:s?, s:s?}", "id", s->id, "title", s->title,
                "required", s->required, "asks", s->prompt, "text", d->texts[i], "author",
                d->authors[i], "updated_at",
                d->updated[i] == TIME_UNSET ? NULL : time_format_rfc3339(d->updated[i], t)));
        }
        cli_print_json(json_pack("{s:s, s:s, s:o}", "key", key, "template", d->tmpl.name,
                                 "sections", secs));
        return;
    }
    printf("# Postmortem of %s (template %s)\n", key, d->tmpl.name);
    for (size_t i = 0; i < d->tmpl.n; i++) {
        const struct template_section *s = &d->tmpl.sections[i];
        printf("\n## %s%s\n\n", s->title, s->required && !d->texts[i] ? " (required)" : "");
        if (d->texts[i])
            printf("%s\n", d->texts[i]);
        else
            printf("_Not written yet. %s_\n", s->prompt);
    }
}

static int postmortem_cmd(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "edit") && strcmp(argv[1], "show") &&
                     strcmp(argv[1], "use"))) {
        if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
            printf("usage: hindsight postmortem KEY show [--json]\n"
                   "       hindsight postmortem KEY edit SECTION (--text T | --file F)\n"
                   "       hindsight postmortem KEY use TEMPLATE\n");
            return EXIT_OK;
        }
        fprintf(stderr, "hindsight: postmortem: expected KEY show | edit SECTION | use TEMPLATE "
                        "(see 'hindsight postmortem --help')\n");
        return EXIT_FAIL;
    }
    const char *key = argv[0], *verb = argv[1];
    struct opts o;
    struct app *a = NULL;
    struct err e = ERR_INIT;
    int rc;
    if (strcmp(verb, "edit") == 0) {
        rc = cli_start(&o, "postmortem edit", "postmortem KEY edit SECTION (--text T | --file F)",
                   "Writes one section of the postmortem.", edit_spec, ARRAY_SIZE(edit_spec),
                   argc - 2, argv + 2, 1, "the section", &a);
        if (rc >= 0)
            return rc;
        if (app_postmortem_edit(a, key, o.positional.items[0], opts_value(&o, "text"),
                                opts_value(&o, "file"), &e) < 0)
            return cli_finish(&o, a, cli_fail(&e));
        printf("%s: section %s written\n", key, o.positional.items[0]);
        return cli_finish(&o, a, EXIT_OK);
    }
    if (strcmp(verb, "use") == 0) {
        rc = cli_start(&o, "postmortem use", "postmortem KEY use TEMPLATE",
                   "Chooses the template of the postmortem.", NULL, 0, argc - 2, argv + 2, 1,
                   "the template's name", &a);
        if (rc >= 0)
            return rc;
        if (app_postmortem_use(a, key, o.positional.items[0], &e) < 0)
            return cli_finish(&o, a, cli_fail(&e));
        printf("%s uses template %s\n", key, o.positional.items[0]);
        return cli_finish(&o, a, EXIT_OK);
    }
    rc = cli_start(&o, "postmortem show", "postmortem KEY show [--json]",
               "Shows the postmortem in its template's sections, saying what each must answer "
               "while unwritten.", json_spec, ARRAY_SIZE(json_spec), argc - 2, argv + 2, 0, "",
               &a);
    if (rc >= 0)
        return rc;
    struct postmortem_doc d;
    if (app_postmortem_get(a, key, &d, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    print_doc(&d, key, opts_flag(&o, "json"));
    postmortem_doc_release(&d);
    return cli_finish(&o, a, EXIT_OK);
}

int cmd_postmortem(int argc, char **argv)
{
    return postmortem_cmd(argc, argv);
}

/* ---- checklist ---- */

int cmd_checklist(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_parse(&o, "checklist", "checklist KEY [done STAGE] [--json]",
                       "Shows the postmortem checklist (data-access, hypothesis-validation, "
                       "implementation,\nmonitoring, post-implementation-review), or marks a "
                       "stage done when its condition holds.", json_spec, ARRAY_SIZE(json_spec),
                       argc, argv);
    if (rc >= 0)
        return rc;
    const struct strlist *p = &o.positional;
    bool done = p->n == 3 && strcmp(p->items[1], "done") == 0;
    if (p->n != 1 && !done) {
        fprintf(stderr, "hindsight: checklist: expected KEY or KEY done STAGE\n");
        return cli_finish(&o, NULL, EXIT_FAIL);
    }
    if (!(a = cli_open(&o)))
        return cli_finish(&o, NULL, EXIT_FAIL);
    struct err e = ERR_INIT;
    if (done) {
        if (app_checklist_done(a, p->items[0], p->items[2], &e) < 0)
            return cli_finish(&o, a, cli_fail(&e));
        printf("%s: %s done\n", p->items[0], p->items[2]);
        return cli_finish(&o, a, EXIT_OK);
    }
    struct checklist_item items[STAGE__COUNT];
    if (app_checklist(a, p->items[0], items, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    json_t *arr = opts_flag(&o, "json") ? json_array() : NULL;
    for (int s = 0; s < STAGE__COUNT; s++) {
        const struct checklist_item *it = &items[s];
        char t[TIME_STR_MAX];
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s, s:b, s:b, s:s?, s:s?, s:s}", "stage",
                                                 stage_name(it->stage), "done", it->done,
                                                 "ready", it->holds, "done_at",
                                                 it->done ? time_format_rfc3339(it->done_at, t)
                                                          : NULL,
                                                 "done_by", it->done_by, "missing",
                                                 it->missing));
        } else {
            printf("[%s] %-27s %s%s\n", it->done ? "x" : " ", stage_name(it->stage),
                   it->done ? "done" : it->holds ? "ready to be marked done" : "missing: ",
                   it->done || it->holds ? "" : it->missing);
        }
    }
    if (arr)
        cli_print_json(arr);
    checklist_items_release(items);
    return cli_finish(&o, a, EXIT_OK);
}

/* ---- due ---- */

static const struct opt_spec due_spec[] = {
    {"within", OPT_VALUE, "DURATION", "how far ahead to look (default 7d)"},
    {"json", OPT_FLAG, NULL, "print a JSON array"},
};

int cmd_due(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "due", "due [--within 7d] [--json]",
                   "Lists postmortems and follow-up reviews that are overdue or due soon.",
                   due_spec, ARRAY_SIZE(due_spec), argc, argv, 0, "", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    int64_t within = 7 * MS_PER_DAY;
    const char *w = opts_value(&o, "within");
    if (w && time_parse_duration(w, &within, &e) < 0) {
        err_prefix(&e, "--within: ");
        return cli_finish(&o, a, cli_fail(&e));
    }
    struct due_item *list = NULL;
    size_t n = 0;
    if (app_due(a, within, &list, &n, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    json_t *arr = opts_flag(&o, "json") ? json_array() : NULL;
    if (!arr && n == 0)
        printf("nothing due\n");
    for (size_t i = 0; i < n; i++) {
        char t[TIME_STR_MAX], d[DURATION_STR_MAX];
        const struct due_item *it = &list[i];
        time_format_rfc3339(it->due_at, t);
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?}", "key",
                                                 it->key, "title", it->title, "what", it->what,
                                                 "due_at", t, "overdue", it->overdue, "owner",
                                                 it->owner));
            continue;
        }
        time_format_duration(it->overdue ? a->now - it->due_at : it->due_at - a->now, d);
        printf("%-8s %-17s due %s (%s %s)%s%s  %s\n", it->key, it->what, t,
               it->overdue ? "overdue by" : "in", d, it->owner ? "  owner " : "",
               it->owner ? it->owner : "", it->title);
    }
    if (arr)
        cli_print_json(arr);
    due_items_free(list, n);
    return cli_finish(&o, a, EXIT_OK);
}

/* ---- decisions and feedback ---- */

int cmd_decide(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "decide", "decide KEY TEXT",
                   "Records a decision in the incident's decision log (hindsight log KEY).",
                   NULL, 0, argc, argv, 2, "the incident key and the decision", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    int64_t id;
    if (app_decide(a, o.positional.items[0], o.positional.items[1], &id, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("decision %lld recorded\n", (long long)id);
    return cli_finish(&o, a, EXIT_OK);
}

static const struct opt_spec feedback_spec[] = {
    {"clarity", OPT_VALUE, "1-5", "how clear the process was"},
    {"usefulness", OPT_VALUE, "1-5", "how useful the postmortem was"},
    {"time-efficiency", OPT_VALUE, "1-5", "how well it used people's time"},
    {"comment", OPT_VALUE, "TEXT", "anything else"},
};

int cmd_feedback(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "feedback", "feedback KEY --clarity 1-5 --usefulness 1-5 "
                   "--time-efficiency 1-5 [--comment T]",
                   "Rates the postmortem process itself.", feedback_spec,
                   ARRAY_SIZE(feedback_spec), argc, argv, 1, "the incident key", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    int64_t id;
    if (app_feedback(a, o.positional.items[0], opts_value(&o, "clarity"),
                     opts_value(&o, "usefulness"), opts_value(&o, "time-efficiency"),
                     opts_value(&o, "comment"), &id, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    printf("feedback %lld recorded\n", (long long)id);
    return cli_finish(&o, a, EXIT_OK);
}

/* ---- experiments ---- */

static const struct opt_spec exp_spec[] = {
    {"metric", OPT_VALUE, "EXPR", "a rate (count / count) or an average (avg(F))"},
    {"control", OPT_VALUE, "COND", "the control group, like \"app_version = '5.1'\""},
    {"treatment", OPT_VALUE, "COND", "the treatment group"},
    {"from", OPT_VALUE, "TIME", "start of the window"},
    {"to", OPT_VALUE, "TIME", "end of the window"},
    {"json", OPT_FLAG, NULL, "print the result as JSON"},
};

static void print_result(const json_t *r)
{
    json_t *c = json_object_get(r, "control"), *t = json_object_get(r, "treatment");
    bool rate = strcmp(json_string_value(json_object_get(r, "kind")), "rate") == 0;
    if (rate)
        printf("control    %.4f (%g of %g)\ntreatment  %.4f (%g of %g)\n",
               json_number_value(json_object_get(c, "value")),
               json_number_value(json_object_get(c, "successes")),
               json_number_value(json_object_get(c, "trials")),
               json_number_value(json_object_get(t, "value")),
               json_number_value(json_object_get(t, "successes")),
               json_number_value(json_object_get(t, "trials")));
    else
        printf("control    mean %.4g (sd %.4g, n %g)\ntreatment  mean %.4g (sd %.4g, n %g)\n",
               json_number_value(json_object_get(c, "mean")),
               json_number_value(json_object_get(c, "stddev")),
               json_number_value(json_object_get(c, "n")),
               json_number_value(json_object_get(t, "mean")),
               json_number_value(json_object_get(t, "stddev")),
               json_number_value(json_object_get(t, "n")));
    json_t *ci = json_object_get(r, "ci95");
    printf("effect     %+.4g (95%% CI %+.4g to %+.4g)\n",
           json_number_value(json_object_get(r, "effect")),
           json_number_value(json_array_get(ci, 0)), json_number_value(json_array_get(ci, 1)));
    if (json_is_true(json_object_get(r, "valid")))
        printf("%s: p = %.4g, %s at 5%%\n", json_string_value(json_object_get(r, "test")),
               json_number_value(json_object_get(r, "p_value")),
               json_is_true(json_object_get(r, "significant")) ? "significant"
                                                               : "not significant");
    else
        printf("%s: not enough data for a test\n",
               json_string_value(json_object_get(r, "test")));
}

static int experiment_add(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "experiment add", "experiment add KEY TEXT --metric EXPR --control 'COND' "
                   "--treatment 'COND' --from T --to T [--json]",
                   "Compares a metric between a control and a treatment group: the effect, its "
                   "95% interval,\nand a two-proportion z-test (rates) or Welch's t-test "
                   "(averages).", exp_spec, ARRAY_SIZE(exp_spec), argc, argv, 2,
                   "the incident key and what the experiment tests", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct experiment_input in = {o.positional.items[1], opts_value(&o, "metric"),
                                  opts_value(&o, "control"), opts_value(&o, "treatment"),
                                  opts_value(&o, "from"), opts_value(&o, "to")};
    int64_t id;
    json_t *result = NULL;
    if (app_experiment_add(a, o.positional.items[0], &in, &id, &result, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (opts_flag(&o, "json")) {
        json_object_set_new(result, "id", json_integer(id));
        cli_print_json(result);
    } else {
        printf("experiment %lld: %s\n", (long long)id, o.positional.items[1]);
        print_result(result);
        json_decref(result);
    }
    return cli_finish(&o, a, EXIT_OK);
}

static int experiment_list(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "experiment list", "experiment list KEY [--json]",
                   "Lists an incident's experiments with their results.", json_spec,
                   ARRAY_SIZE(json_spec), argc, argv, 1, "the incident key", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    json_t *arr = NULL;
    if (app_experiment_list(a, o.positional.items[0], &arr, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (opts_flag(&o, "json")) {
        cli_print_json(arr);
    } else {
        size_t i;
        json_t *x;
        if (json_array_size(arr) == 0)
            printf("no experiments\n");
        json_array_foreach(arr, i, x) {
            printf("%sexperiment %lld: %s\n", i ? "\n" : "",
                   (long long)json_integer_value(json_object_get(x, "id")),
                   json_string_value(json_object_get(x, "text")));
            print_result(json_object_get(x, "result"));
        }
        json_decref(arr);
    }
    return cli_finish(&o, a, EXIT_OK);
}

static const struct cmd experiment_cmds[] = {
    {"add", experiment_add, "run and record an experiment"},
    {"list", experiment_list, "list an incident's experiments"},
};

int cmd_experiment(int argc, char **argv)
{
    return cli_dispatch("experiment", experiment_cmds, ARRAY_SIZE(experiment_cmds), argc, argv);
}
