/* cmd_config.c: hindsight config list | get KEY | set KEY VALUE | unset KEY. */
#include "cli/cli.h"

#include "app/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_spec spec[] = {
    {"json", OPT_FLAG, NULL, "print as JSON"},
};

static int list(struct app *a, bool json)
{
    size_t n;
    const struct config_key *keys = config_keys(&n);
    json_t *arr = json ? json_array() : NULL;
    struct err e = ERR_INIT;
    for (size_t i = 0; i < n; i++) {
        char *value = NULL;
        bool is_default;
        if (config_get(a, keys[i].name, &value, &is_default, &e) < 0) {
            json_decref(arr);
            return cli_fail(&e);
        }
        if (json)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:b, s:s}", "key", keys[i].name,
                                                 "value", value, "default", is_default, "help",
                                                 keys[i].help));
        else
            printf("%-22s %-8s %s%s\n", keys[i].name, value, keys[i].help,
                   is_default ? "" : " (set)");
        free(value);
    }
    if (json)
        cli_print_json(arr);
    return EXIT_OK;
}

int cmd_config(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "config", "config list | get KEY | set KEY VALUE | unset KEY",
                       "Shows and changes the store's settings (shared by everyone using the "
                       "store; changes are\naudited). Durations are like 24h, 90m, 2d.",
                       spec, ARRAY_SIZE(spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct app *a = NULL;
    const struct strlist *p = &o.positional;
    const char *verb = p->n ? p->items[0] : "list";
    size_t want = strcmp(verb, "set") == 0 ? 3 : strcmp(verb, "list") == 0 ? (p->n ? 1 : 0) : 2;
    if (strcmp(verb, "list") && strcmp(verb, "get") && strcmp(verb, "set") &&
        strcmp(verb, "unset")) {
        fprintf(stderr, "hindsight: config: unknown action '%s' (list, get, set or unset)\n",
                verb);
        rc = EXIT_FAIL;
        goto done;
    }
    if ((rc = cli_want_positional(&o, "config", want, "the setting's name (and value)")) >= 0)
        goto done;
    if (!(a = cli_open(&o))) {
        rc = EXIT_FAIL;
        goto done;
    }
    struct err e = ERR_INIT;
    if (strcmp(verb, "list") == 0) {
        rc = list(a, opts_flag(&o, "json"));
    } else if (strcmp(verb, "get") == 0) {
        char *value = NULL;
        bool is_default;
        if (config_get(a, p->items[1], &value, &is_default, &e) < 0) {
            rc = cli_fail(&e);
            goto done;
        }
        printf("%s\n", value);
        free(value);
        rc = EXIT_OK;
    } else {
        const char *value = strcmp(verb, "set") == 0 ? p->items[2] : NULL;
        if (config_set(a, p->items[1], value, &e) < 0) {
            rc = cli_fail(&e);
            goto done;
        }
        char *now = NULL;
        bool is_default;
        if (config_get(a, p->items[1], &now, &is_default, &e) < 0) {
            rc = cli_fail(&e);
            goto done;
        }
        printf("%s = %s%s\n", p->items[1], now, is_default ? " (default)" : "");
        free(now);
        rc = EXIT_OK;
    }
done:
    app_close(a);
    opts_release(&o);
    return rc;
}
