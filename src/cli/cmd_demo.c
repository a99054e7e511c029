/* cmd_demo.c: hindsight demo generate, which writes a realistic demo data set. */
#include "cli/cli.h"

#include "app/demo_data.h"
#include "app/demo_history.h"
#include "core/num.h"
#include "core/timefmt.h"

#include <stdio.h>

static const struct opt_spec generate_spec[] = {
    {"seed", OPT_VALUE, "N", "random seed, a whole number (default 42)"},
    {"days", OPT_VALUE, "D", "length of the period in days, 1..90 (default 7)"},
    {"scale", OPT_VALUE, "S",
     "size, > 0 and <= 200 (default 1: 20,000 users, ~200,000 events a week)"},
    {"end", OPT_VALUE, "TIME", "end of the period, a whole minute (default 2026-03-09T00:00:00Z)"},
    {"scenario", OPT_VALUE, "N",
     "the incident: 0 android-payments (default), 1 ios-checkout, 2 india-cart, 3 pro-cart"},
    {"history", OPT_VALUE, "MONTHS",
     "months of incident records before the period, 0..36 (default 12)"},
};

static int bad_value(struct err *e, const char *opt, const char *value, const char *expected)
{
    return err_set(e, ERR_INVALID, "--%s: invalid value '%.64s' (expected %s)", opt, value,
                   expected);
}

/* Reads the options over the defaults; ranges are checked again by demo_options_check. */
static int read_options(const struct opts *o, struct demo_options *d, struct err *e)
{
    const char *v;
    int64_t n;
    demo_options_default(d);
    if ((v = opts_value(o, "seed"))) {
        if (num_parse_i64_range(v, 0, INT64_MAX, &n) < 0)
            return bad_value(e, "seed", v, "a whole number from 0 to 9223372036854775807");
        d->seed = (uint64_t)n;
    }
    if ((v = opts_value(o, "days"))) {
        if (num_parse_i64_range(v, 1, DEMO_DAYS_MAX, &n) < 0)
            return bad_value(e, "days", v, "a whole number from 1 to 90");
        d->days = (int)n;
    }
    if ((v = opts_value(o, "scale"))) {
        if (num_parse_double(v, &d->scale) < 0 || !(d->scale > 0 && d->scale <= DEMO_SCALE_MAX))
            return bad_value(e, "scale", v, "a number greater than 0 and at most 200");
    }
    if ((v = opts_value(o, "scenario"))) {
        if (num_parse_i64_range(v, 0, DEMO_SCENARIOS - 1, &n) < 0)
            return bad_value(e, "scenario", v, "a whole number from 0 to 3");
        d->scenario = (int)n;
    }
    if ((v = opts_value(o, "history"))) {
        if (num_parse_i64_range(v, 0, DEMO_HISTORY_MONTHS_MAX, &n) < 0)
            return bad_value(e, "history", v, "a whole number of months from 0 to 36");
        d->history_months = (int)n;
    }
    if ((v = opts_value(o, "end"))) {
        if (time_parse_rfc3339(v, &d->end, e) < 0)
            return err_prefix(e, "--end: ");
        if (d->end % MS_PER_MINUTE != 0)
            return bad_value(e, "end", v, "a whole minute, like 2026-03-09T00:00:00Z");
    }
    return demo_options_check(d, e);
}

static void print_summary(const char *dir, const struct demo_options *d,
                          const struct demo_summary *s)
{
    char a[TIME_STR_MAX], b[TIME_STR_MAX], dur[DURATION_STR_MAX];
    printf("wrote demo data to %s (seed %llu, %d day%s from %s to %s, scale %g, %u users)\n",
           dir, (unsigned long long)d->seed, d->days, d->days == 1 ? "" : "s",
           time_format_rfc3339(s->period_start, a), time_format_rfc3339(s->period_end, b),
           d->scale, s->users);
    static const char *const what[DEMO_FILE_COUNT] = {"events", "rows", "lines", "changes",
                                                      "incident"};
    for (int f = 0; f < DEMO_FILE_COUNT; f++)
        printf("  %-18s %10llu %s\n", demo_file_name(f), (unsigned long long)s->rows[f],
               what[f]);
    printf("incident: %s to %s (%s), %s deploy %s for %s, mitigated by %s\n",
           time_format_rfc3339(s->incident_start, a), time_format_rfc3339(s->incident_end, b),
           time_format_duration(s->incident_end - s->incident_start, dur),
           demo_scenario_service(d->scenario), s->cause_id, demo_scenario_segment(d->scenario),
           s->mitigation_id);
    if (s->history)
        printf("history: %zu incident records of the %d months before, in %s/history/ "
               "(hindsight import %s/history/*.json --new-key)\n",
               s->history, d->history_months, dir, dir);
}

static int demo_generate_cmd(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "demo generate", "demo generate DIR [--seed N] [--days D] "
                       "[--scale S] [--end TIME] [--scenario N] [--history MONTHS]",
                       "Writes a deterministic demo data set into DIR (created when missing): "
                       "events.jsonl,\nmetrics.csv, logs.jsonl, changes.jsonl and "
                       "ground_truth.json, an online shop's week\nwith one injected incident, and "
                       "history/, a year of the organisation's incident\nrecords before it. "
                       "The same options give byte-identical files.\nSee docs/demo-data.md.",
                       generate_spec, ARRAY_SIZE(generate_spec), argc, argv);
    if (rc >= 0)
        return rc;
    if ((rc = cli_want_positional(&o, "demo generate", 1, "the output directory")) >= 0)
        goto done;
    struct err e = ERR_INIT;
    struct demo_options d;
    struct demo_summary s;
    const char *dir = o.positional.items[0];
    if (read_options(&o, &d, &e) < 0 || demo_generate(&d, dir, &s, &e) < 0) {
        rc = cli_fail(&e);
        goto done;
    }
    print_summary(dir, &d, &s);
    rc = EXIT_OK;
done:
    opts_release(&o);
    return rc;
}

static const struct cmd demo_cmds[] = {
    {"generate", demo_generate_cmd, "write a realistic demo data set with one incident"},
};

int cmd_demo(int argc, char **argv)
{
    return cli_dispatch("demo", demo_cmds, ARRAY_SIZE(demo_cmds), argc, argv);
}
