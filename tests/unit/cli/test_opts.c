/* test_opts.c: table-driven option parsing. */
#include "cli/opts.h"

#include <criterion/criterion.h>
#include <string.h>

static const struct opt_spec spec[] = {
    {"title", OPT_VALUE, "TITLE", "the title"},
    {"tag", OPT_LIST, "NS:VALUE", "a tag"},
    {"json", OPT_FLAG, NULL, "print JSON"},
    {"severity", OPT_VALUE, "SEV", "the severity"},
    {"dry-run", OPT_FLAG, NULL, "do not write"},
};
#define N_SPEC (sizeof(spec) / sizeof(spec[0]))

/* Parses the NULL-terminated argument list args against spec. */
static int parse(struct opts *o, struct err *e, const char *const *args)
{
    int argc = 0;
    while (args[argc])
        argc++;
    return opts_parse(o, "incident new", spec, N_SPEC, argc, (char **)args, e);
}

static void assert_contains(const char *msg, const char *part)
{
    cr_assert(strstr(msg, part) != NULL, "message '%s' should contain '%s'", msg, part);
}

Test(opts, nothing_given)
{
    static const char *const args[] = {NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK);
    cr_assert(!opts_flag(&o, "json"));
    cr_assert_null(opts_value(&o, "title"));
    cr_assert_eq(opts_list(&o, "tag")->n, 0);
    cr_assert_eq(o.positional.n, 0);
    cr_assert_null(o.db);
    cr_assert(!o.help);
    opts_release(&o);
}

Test(opts, value_as_next_argument_and_with_equals)
{
    static const char *const args[] = {"--title", "Checkout down", "--severity=SEV2", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(opts_value(&o, "title"), "Checkout down");
    cr_assert_str_eq(opts_value(&o, "severity"), "SEV2");
    cr_assert(o.given[0]);
    cr_assert(o.given[3]);
    cr_assert(!o.given[1]);
    opts_release(&o);
}

Test(opts, values_may_look_like_anything)
{
    static const char *const args[] = {"--title", "--json", "--severity=", "--tag", "-",
                                       "--tag=a=b", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(opts_value(&o, "title"), "--json", "the next argument is the value");
    cr_assert(!opts_flag(&o, "json"));
    cr_assert_str_eq(opts_value(&o, "severity"), "", "--name= gives an empty value");
    cr_assert_eq(opts_list(&o, "tag")->n, 2);
    cr_assert_str_eq(opts_list(&o, "tag")->items[0], "-");
    cr_assert_str_eq(opts_list(&o, "tag")->items[1], "a=b", "only the first '=' splits");
    opts_release(&o);
}

Test(opts, last_value_wins)
{
    static const char *const args[] = {"--title", "first", "--title=second", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK);
    cr_assert_str_eq(opts_value(&o, "title"), "second");
    opts_release(&o);
}

Test(opts, list_options_repeat)
{
    static const char *const args[] = {"--tag", "team:a", "--tag=cause:b", "--title", "t",
                                       "--tag", "team:a", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK);
    const struct strlist *tags = opts_list(&o, "tag");
    cr_assert_eq(tags->n, 3, "every occurrence is kept, in order");
    cr_assert_str_eq(tags->items[0], "team:a");
    cr_assert_str_eq(tags->items[1], "cause:b");
    cr_assert_str_eq(tags->items[2], "team:a");
    cr_assert(opts_flag(&o, "tag"), "a list option given counts as given");
    opts_release(&o);
}

Test(opts, flags)
{
    static const char *const args[] = {"--json", "--dry-run", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK);
    cr_assert(opts_flag(&o, "json"));
    cr_assert(opts_flag(&o, "dry-run"));
    cr_assert_null(opts_value(&o, "json"));
    opts_release(&o);
}

Test(opts, positional_arguments_mix_with_options)
{
    static const char *const args[] = {"INC-3", "--json", "extra", "-", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK);
    cr_assert_eq(o.positional.n, 3);
    cr_assert_str_eq(o.positional.items[0], "INC-3");
    cr_assert_str_eq(o.positional.items[1], "extra");
    cr_assert_str_eq(o.positional.items[2], "-", "a lone dash is positional");
    cr_assert(opts_flag(&o, "json"));
    opts_release(&o);
}

Test(opts, double_dash_ends_options)
{
    static const char *const args[] = {"--json", "--", "--title", "-x", "--", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK, "%s", e.msg);
    cr_assert(opts_flag(&o, "json"));
    cr_assert_null(opts_value(&o, "title"));
    cr_assert_eq(o.positional.n, 3);
    cr_assert_str_eq(o.positional.items[0], "--title");
    cr_assert_str_eq(o.positional.items[1], "-x");
    cr_assert_str_eq(o.positional.items[2], "--");
    opts_release(&o);
}

Test(opts, db_is_captured)
{
    static const char *const args[] = {"--db", "/tmp/a.db", "--json", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(o.db, "/tmp/a.db");
    cr_assert(opts_flag(&o, "json"));
    cr_assert_eq(o.positional.n, 0);
    opts_release(&o);

    static const char *const args2[] = {"--db=x.db", "--db", "y.db", NULL};
    cr_assert_eq(parse(&o, &e, args2), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(o.db, "y.db", "the last --db wins");
    opts_release(&o);
}

Test(opts, help)
{
    static const char *const args[] = {"-h", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK);
    cr_assert(o.help);
    opts_release(&o);
    static const char *const args2[] = {"--title", "t", "--help", NULL};
    cr_assert_eq(parse(&o, &e, args2), ERR_OK);
    cr_assert(o.help);
    cr_assert_str_eq(opts_value(&o, "title"), "t");
    opts_release(&o);
}

Test(opts, unknown_option)
{
    static const char *const args[] = {"--title", "t", "--colour", "red", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_INVALID);
    cr_assert_eq(e.code, ERR_INVALID);
    cr_assert_str_eq(e.msg, "incident new: unknown option '--colour' (see 'hindsight incident "
                            "new --help')");
    opts_release(&o);

    static const char *const args2[] = {"--colour=red", NULL};
    cr_assert_eq(parse(&o, &e, args2), ERR_INVALID);
    assert_contains(e.msg, "unknown option '--colour'");
    opts_release(&o);

    static const char *const args3[] = {"-x", NULL};
    cr_assert_eq(parse(&o, &e, args3), ERR_INVALID);
    assert_contains(e.msg, "unknown option '-x'");
    opts_release(&o);

    /* a prefix of a known option is not that option */
    static const char *const args4[] = {"--tit", "x", NULL};
    cr_assert_eq(parse(&o, &e, args4), ERR_INVALID);
    assert_contains(e.msg, "unknown option '--tit'");
    opts_release(&o);
}

Test(opts, missing_value)
{
    static const char *const args[] = {"--json", "--title", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_INVALID);
    cr_assert_str_eq(e.msg, "incident new: option '--title' needs a value TITLE");
    opts_release(&o);

    static const char *const args2[] = {"--tag", NULL};
    cr_assert_eq(parse(&o, &e, args2), ERR_INVALID);
    cr_assert_str_eq(e.msg, "incident new: option '--tag' needs a value NS:VALUE");
    opts_release(&o);

    static const char *const args3[] = {"--db", NULL};
    cr_assert_eq(parse(&o, &e, args3), ERR_INVALID);
    cr_assert_str_eq(e.msg, "incident new: option '--db' needs a value");
    opts_release(&o);
}

Test(opts, flag_given_a_value)
{
    static const char *const args[] = {"--json=yes", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_INVALID);
    cr_assert_str_eq(e.msg, "incident new: option '--json' takes no value");
    opts_release(&o);

    static const char *const args2[] = {"--dry-run=", NULL};
    cr_assert_eq(parse(&o, &e, args2), ERR_INVALID);
    assert_contains(e.msg, "option '--dry-run' takes no value");
    opts_release(&o);
}

Test(opts, reparse_starts_fresh)
{
    static const char *const args[] = {"--json", "--tag", "a:b", "pos", NULL};
    struct opts o;
    struct err e = ERR_INIT;
    cr_assert_eq(parse(&o, &e, args), ERR_OK);
    opts_release(&o);
    static const char *const args2[] = {"--title", "t", NULL};
    cr_assert_eq(parse(&o, &e, args2), ERR_OK);
    cr_assert(!opts_flag(&o, "json"));
    cr_assert_eq(opts_list(&o, "tag")->n, 0);
    cr_assert_eq(o.positional.n, 0);
    opts_release(&o);
}
