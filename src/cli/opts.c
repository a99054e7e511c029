/* opts.c: option parsing against a command's table. */
#include "cli/opts.h"

#include <assert.h>
#include <string.h>

static int find(const struct opt_spec *spec, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(spec[i].name) == len && strncmp(spec[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

int opts_parse(struct opts *o, const char *cmd, const struct opt_spec *spec, size_t n_spec,
               int argc, char **argv, struct err *e)
{
    assert(n_spec <= OPTS_MAX);
    memset(o, 0, sizeof(*o));
    o->spec = spec;
    o->n_spec = n_spec;
    bool only_positional = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            strlist_push(&o->positional, arg);
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            o->help = true;
            continue;
        }
        if (arg[1] != '-')
            return err_set(e, ERR_INVALID, "%s: unknown option '%s' (see 'hindsight %s --help')",
                           cmd, arg, cmd);
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const char *value = eq ? eq + 1 : NULL;
        bool is_db = len == 2 && strncmp(name, "db", 2) == 0;
        int k = is_db ? -1 : find(spec, n_spec, name, len);
        if (!is_db && k < 0)
            return err_set(e, ERR_INVALID, "%s: unknown option '--%.*s' (see 'hindsight %s "
                           "--help')", cmd, (int)len, name, cmd);
        bool wants_value = is_db || spec[k].kind != OPT_FLAG;
        if (!wants_value) {
            if (value)
                return err_set(e, ERR_INVALID, "%s: option '--%s' takes no value", cmd,
                               spec[k].name);
            o->given[k] = true;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc)
                return err_set(e, ERR_INVALID, "%s: option '--%.*s' needs a value%s%s", cmd,
                               (int)len, name, is_db ? "" : " ", is_db ? "" : spec[k].metavar);
            value = argv[++i];
        }
        if (is_db) {
            o->db = value;
        } else {
            o->given[k] = true;
            o->value[k] = value;
            if (spec[k].kind == OPT_LIST)
                strlist_push(&o->list[k], value);
        }
    }
    return ERR_OK;
}

void opts_release(struct opts *o)
{
    for (size_t i = 0; i < OPTS_MAX; i++)
        strlist_release(&o->list[i]);
    strlist_release(&o->positional);
}

static int index_of(const struct opts *o, const char *name)
{
    int k = find(o->spec, o->n_spec, name, strlen(name));
    assert(k >= 0 && "option not in the command's table");
    return k;
}

bool opts_flag(const struct opts *o, const char *name)
{
    return o->given[index_of(o, name)];
}

const char *opts_value(const struct opts *o, const char *name)
{
    return o->value[index_of(o, name)];
}

const struct strlist *opts_list(const struct opts *o, const char *name)
{
    return &o->list[index_of(o, name)];
}

void opts_print_help(FILE *out, const char *usage, const char *about,
                     const struct opt_spec *spec, size_t n_spec)
{
    fprintf(out, "usage: hindsight %s\n\n%s\n\noptions:\n", usage, about);
    for (size_t i = 0; i < n_spec; i++) {
        char left[64];
        snprintf(left, sizeof(left), "--%s%s%s", spec[i].name, spec[i].metavar ? " " : "",
                 spec[i].metavar ? spec[i].metavar : "");
        fprintf(out, "  %-26s %s%s\n", left, spec[i].help,
                spec[i].kind == OPT_LIST ? " (repeatable)" : "");
    }
    fprintf(out, "  %-26s %s\n", "--db PATH", "the store (default: $HINDSIGHT_DB or ./hindsight.db)");
}
