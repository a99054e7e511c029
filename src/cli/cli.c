/* cli.c: shared helpers of the command implementations. */
#include "cli/cli.h"

#include "core/sink.h"
#include "render/incident_json.h"

#include <stdio.h>
#include <string.h>

int cli_exit_code(int err_code)
{
    switch (err_code) {
    case ERR_OK: return EXIT_OK;
    case ERR_INTERNAL: return EXIT_INTERNAL;
    default: return EXIT_FAIL;
    }
}

int cli_fail(const struct err *e)
{
    fprintf(stderr, "hindsight: %s\n", e->msg[0] ? e->msg : err_code_name(e->code));
    return cli_exit_code(e->code ? e->code : ERR_INTERNAL);
}

int cli_parse(struct opts *o, const char *cmd, const char *usage, const char *about,
              const struct opt_spec *spec, size_t n_spec, int argc, char **argv)
{
    struct err e = ERR_INIT;
    if (opts_parse(o, cmd, spec, n_spec, argc, argv, &e) < 0) {
        opts_release(o);
        return cli_fail(&e);
    }
    if (o->help) {
        opts_print_help(stdout, usage, about, spec, n_spec);
        opts_release(o);
        return EXIT_OK;
    }
    return -1;
}

int cli_start(struct opts *o, const char *cmd, const char *usage, const char *about,
              const struct opt_spec *spec, size_t n_spec, int argc, char **argv, size_t n_pos,
              const char *what, struct app **ret_app)
{
    int rc = cli_parse(o, cmd, usage, about, spec, n_spec, argc, argv);
    if (rc >= 0)
        return rc;
    if ((rc = cli_want_positional(o, cmd, n_pos, what)) >= 0) {
        opts_release(o);
        return rc;
    }
    if (!(*ret_app = cli_open(o))) {
        opts_release(o);
        return EXIT_FAIL;
    }
    return -1;
}

int cli_finish(struct opts *o, struct app *a, int rc)
{
    app_close(a);
    opts_release(o);
    return rc;
}

struct app *cli_open(const struct opts *o)
{
    struct err e = ERR_INIT;
    struct app *a = NULL;
    if (app_open(app_db_path(o->db), STORE_OPEN_EXISTING, &a, NULL, &e) < 0) {
        cli_fail(&e);
        return NULL;
    }
    return a;
}

void cli_print_json(json_t *v)
{
    struct sink out = sink_file(stdout);
    json_write(&out, v);
    json_decref(v);
}

int cli_want_positional(const struct opts *o, const char *cmd, size_t n, const char *what)
{
    if (o->positional.n == n || (n == CLI_ONE_OR_MORE && o->positional.n > 0))
        return -1;
    if (o->positional.n < n)
        fprintf(stderr, "hindsight: %s: missing %s (see 'hindsight %s --help')\n", cmd, what,
                cmd);
    else
        fprintf(stderr, "hindsight: %s: unexpected argument '%s' (see 'hindsight %s --help')\n",
                cmd, o->positional.items[n], cmd);
    return EXIT_FAIL;
}

int cli_dispatch(const char *group, const struct cmd *cmds, size_t n, int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        FILE *out = argc < 1 ? stderr : stdout;
        fprintf(out, "usage: hindsight %s <command> [options]\n\ncommands:\n", group);
        for (size_t i = 0; i < n; i++)
            fprintf(out, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
        return argc < 1 ? EXIT_FAIL : EXIT_OK;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[0], cmds[i].name) == 0)
            return cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "hindsight: %s: unknown command '%s' (see 'hindsight %s --help')\n", group,
            argv[0], group);
    return EXIT_FAIL;
}
