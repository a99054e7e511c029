/* main.c: hindsight's entry point and command table. */
#include "cli/cli.h"

#include "core/clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef HINDSIGHT_VERSION
#define HINDSIGHT_VERSION "0.1.0"
#endif

static int cmd_version(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("hindsight %s (store schema %d)\n", HINDSIGHT_VERSION,
           store_schema_version_supported());
    return EXIT_OK;
}

static int cmd_help(int argc, char **argv);

static const struct cmd commands[] = {
    {"init", cmd_init, "create a store (a single SQLite file)"},
    {"incident", cmd_incident, "create, change, show and list incidents"},
    {"timeline", cmd_timeline, "add to or show an incident's timeline"},
    {"log", cmd_log, "show an incident's audit and decision log"},
    {"hypothesis", cmd_hypothesis, "propose, test and rank root-cause hypotheses"},
    {"evidence", cmd_evidence, "add evidence for or against a hypothesis"},
    {"action", cmd_action, "corrective actions: owners, due dates, priority, dependencies"},
    {"team", cmd_team, "teams and their escalation path"},
    {"person", cmd_person, "put people in teams"},
    {"escalations", cmd_escalations, "overdue actions escalated, to whom and why"},
    {"postmortem", cmd_postmortem, "write and show the postmortem document"},
    {"template", cmd_template, "postmortem templates"},
    {"checklist", cmd_checklist, "the postmortem checklist, stage by stage"},
    {"due", cmd_due, "postmortems and follow-up reviews due soon or overdue"},
    {"decide", cmd_decide, "record a decision in the decision log"},
    {"feedback", cmd_feedback, "rate the postmortem process"},
    {"experiment", cmd_experiment, "compare a metric between control and treatment"},
    {"verify", cmd_verify, "did the fix work? criterion and counterfactual effect"},
    {"report", cmd_report, "the postmortem report: Markdown, HTML with charts, or JSON"},
    {"summary", cmd_summary, "a short summary for executives or customers"},
    {"trends", cmd_trends, "figures across incidents per month or quarter, with charts"},
    {"audit", cmd_audit, "findings about the postmortem process itself"},
    {"chart", cmd_chart, "draw series around an incident as SVG panels"},
    {"export", cmd_export, "write an incident and all that belongs to it as JSON"},
    {"import", cmd_import, "read exported incidents into this store (one transaction)"},
    {"ingest", cmd_ingest, "bring in events, metrics, logs or changes from files"},
    {"sources", cmd_sources, "list (or remove) what was ingested"},
    {"series", cmd_series, "compute a metric expression over time"},
    {"metric", cmd_metric, "save and list named metric expressions"},
    {"fields", cmd_fields, "list the fields of the ingested events"},
    {"changepoints", cmd_changepoints, "find where the regime of a series changes"},
    {"analyze", cmd_analyze, "diagnose an incident: what broke, where, which change"},
    {"localize", cmd_localize, "find the segments that explain a deviation (root causes)"},
    {"search", cmd_search, "search the text of every incident (ranked, with snippets)"},
    {"similar", cmd_similar, "past incidents like this one, and fixes that did not hold"},
    {"config", cmd_config, "show and change the store's settings"},
    {"demo", cmd_demo, "generate a realistic demo data set"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "show this help"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: hindsight <command> [options]   (hindsight <command> --help for more)\n"
                 "\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nenvironment:\n"
                 "  HINDSIGHT_DB    the store, when --db is not given (default ./hindsight.db)\n"
                 "  HINDSIGHT_USER  who is acting, for the audit log (default: login name)\n"
                 "  HINDSIGHT_NOW   pin the current time (RFC 3339), for scripts and tests\n");
}

static int cmd_help(int argc, char **argv)
{
    (void)argc, (void)argv;
    usage(stdout);
    return EXIT_OK;
}

/* Makes sure what was written to stdout really arrived (a full disk or closed pipe is an
 * error, not a silent truncation). */
static int finish_stdout(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "hindsight: cannot write output: %s\n", strerror(errno));
        return code ? code : EXIT_FAIL;
    }
    return code;
}

int main(int argc, char **argv)
{
    struct err e = ERR_INIT;
    if (clock_init(&e) < 0)
        return cli_fail(&e);
    if (argc < 2) {
        usage(stderr);
        return EXIT_FAIL;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        name = "help";
    if (strcmp(name, "--version") == 0)
        name = "version";
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(name, commands[i].name) == 0)
            return finish_stdout(commands[i].run(argc - 2, argv + 2));
    fprintf(stderr, "hindsight: unknown command '%s' (see 'hindsight help')\n", name);
    return EXIT_FAIL;
}
