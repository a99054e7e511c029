/* cmd_verify.c: hindsight verify A-ID|KEY: did the fix work? (docs/verify.md). */
#include "cli/cli.h"

#include "app/verify.h"
#include "core/sink.h"

#include <stdio.h>

static const struct opt_spec verify_spec[] = {
    {"bucket", OPT_VALUE, "DURATION", "bucket of the series (default: the finest of 5m, 15m, 1h "
                                      "the baseline fills)"},
    {"alpha", OPT_VALUE, "A", "level of the tests and intervals (default 0.05)"},
    {"delta", OPT_VALUE, "D", "tolerance per bucket for \"recovered\" (default: the baseline's "
                              "median absolute deviation)"},
    {"apply", OPT_FLAG, NULL, "move actions whose criterion is met and that recovered to "
                              "verified (audited)"},
    {"json", OPT_FLAG, NULL, "print JSON"},
};

int cmd_verify(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "verify", "verify A-ID|KEY [--json] [--apply] [--bucket D] "
                       "[--alpha A] [--delta D]",
                       "Did the fix work? Measures an action's success criterion after it was "
                       "done, and the\nincident's effect and the residual after the fix against "
                       "a counterfactual fitted on\nthe days before the incident (a regression "
                       "with a block bootstrap, CausalImpact-style).\nWith an incident key: "
                       "every action of it that has a success criterion.", verify_spec,
                       ARRAY_SIZE(verify_spec), argc, argv, 1, "the action id or incident key",
                       &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct verify_request rq = {o.positional.items[0], opts_value(&o, "bucket"),
                                opts_value(&o, "alpha"), opts_value(&o, "delta"),
                                opts_flag(&o, "apply")};
    struct verify_result *list = NULL;
    size_t n = 0;
    if (app_verify(a, &rq, &list, &n, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (opts_flag(&o, "json")) {
        cli_print_json(verify_to_json(list, n));
    } else {
        struct sink out = sink_file(stdout);
        render_verify(&out, list, n);
    }
    verify_results_free(list, n);
    return cli_finish(&o, a, EXIT_OK);
}
