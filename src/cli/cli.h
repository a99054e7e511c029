/* cli.h: what the command implementations share: the command signature, exit codes, error
 * printing and opening the store. Only cli/ prints to the terminal or decides exit statuses. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include "app/app.h"
#include "cli/opts.h"
#include "core/err.h"

#include <jansson.h>

enum exit_code {
    EXIT_OK = 0,
    EXIT_FAIL = 1,     /* bad input, unknown record, refused move, unusable store */
    EXIT_INTERNAL = 2, /* a bug or an unexpected library failure */
};

/* A command gets the arguments after its name(s); it returns an exit code. */
typedef int (*cmd_fn)(int argc, char **argv);

struct cmd {
    const char *name;
    cmd_fn run;
    const char *summary;
};

/* Prints "hindsight: <message>" for e and returns the exit code its code maps to. */
int cli_fail(const struct err *e);
/* Maps an error code to an exit code. */
int cli_exit_code(int err_code);

/* Parses options or prints help: returns -1 to go on, or the exit code to return now. */
int cli_parse(struct opts *o, const char *cmd, const char *usage, const char *about,
              const struct opt_spec *spec, size_t n_spec, int argc, char **argv);

/* The common start of a command: parses options (or prints help), requires n_pos positional
 * arguments (what names them in the message) and opens the store. Returns -1 when the command
 * should go on with *ret_app open and o parsed, else the exit code to return (o released). */
int cli_start(struct opts *o, const char *cmd, const char *usage, const char *about,
              const struct opt_spec *spec, size_t n_spec, int argc, char **argv, size_t n_pos,
              const char *what, struct app **ret_app);
/* Closes a (may be NULL), releases o and returns rc. */
int cli_finish(struct opts *o, struct app *a, int rc);

/* Opens the store named by --db / $HINDSIGHT_DB; on failure prints and returns NULL. */
struct app *cli_open(const struct opts *o);

/* Writes v to stdout (indented JSON) and drops the reference. */
void cli_print_json(json_t *v);

/* n for "one or more positional arguments". */
#define CLI_ONE_OR_MORE SIZE_MAX

/* Exactly n positional arguments are required (at least one for CLI_ONE_OR_MORE); prints usage
 * when not. Returns -1 when fine. */
int cli_want_positional(const struct opts *o, const char *cmd, size_t n, const char *what);

/* Dispatches argv[0] to the matching entry of a sub-command table (for "incident new" ...). */
int cli_dispatch(const char *group, const struct cmd *cmds, size_t n, int argc, char **argv);

/* Writes data to path through a temporary file in the same folder, then renames it; messages
 * name the path. */
int cli_write_atomic(const char *path, const char *data, size_t len, struct err *e);
struct buf;
/* Writes doc to path (cli_write_atomic) or, when path is NULL, to stdout; what names the
 * document in messages ("report"). */
int cli_emit(const char *path, const struct buf *doc, const char *what, struct err *e);
/* True when --out names a folder: it ends with '/' or is an existing directory. */
bool cli_out_is_dir(const char *path);
/* Creates the folder path unless it exists. */
int cli_make_dir(const char *path, struct err *e);

/* The commands. */
int cmd_init(int argc, char **argv);
int cmd_incident(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_sources(int argc, char **argv);
int cmd_series(int argc, char **argv);
int cmd_metric(int argc, char **argv);
int cmd_fields(int argc, char **argv);
int cmd_changepoints(int argc, char **argv);
int cmd_localize(int argc, char **argv);
int cmd_hypothesis(int argc, char **argv);
int cmd_evidence(int argc, char **argv);
int cmd_action(int argc, char **argv);
int cmd_team(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_escalations(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_postmortem(int argc, char **argv);
int cmd_checklist(int argc, char **argv);
int cmd_due(int argc, char **argv);
int cmd_decide(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_feedback(int argc, char **argv);
int cmd_experiment(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_trends(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_similar(int argc, char **argv);

#endif
