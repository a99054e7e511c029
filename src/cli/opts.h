/* opts.h: table-driven option parsing for the commands.
 *
 * Each command declares a table of options; opts_parse() reads argv against it, accepting
 * "--name value", "--name=value", repeated list options, and "--" to end options. Every
 * command also accepts --db PATH and -h/--help. Errors name the option and the command. */
#ifndef CLI_OPTS_H
#define CLI_OPTS_H

#include "core/err.h"
#include "core/strlist.h"

#include <stdio.h>

enum opt_kind {
    OPT_FLAG,  /* --json */
    OPT_VALUE, /* --title T (the last one given wins) */
    OPT_LIST,  /* --tag T, repeatable */
};

struct opt_spec {
    const char *name; /* without the leading "--" */
    enum opt_kind kind;
    const char *metavar; /* "TIME", shown in help */
    const char *help;
};

#define OPTS_MAX 48

struct opts {
    const struct opt_spec *spec;
    size_t n_spec;
    bool given[OPTS_MAX];
    const char *value[OPTS_MAX];
    struct strlist list[OPTS_MAX];
    struct strlist positional;
    const char *db;
    bool help;
};

/* Parses argv[0..argc) (argv[0] is the first argument after the command words). cmd names the
 * command in messages ("incident new"). */
int opts_parse(struct opts *o, const char *cmd, const struct opt_spec *spec, size_t n_spec,
               int argc, char **argv, struct err *e);
void opts_release(struct opts *o);

bool opts_flag(const struct opts *o, const char *name);
const char *opts_value(const struct opts *o, const char *name); /* NULL when not given */
const struct strlist *opts_list(const struct opts *o, const char *name);

/* Prints usage and the option table of a command to out. */
void opts_print_help(FILE *out, const char *usage, const char *about,
                     const struct opt_spec *spec, size_t n_spec);

#endif
