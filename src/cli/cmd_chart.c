/* cmd_chart.c: hindsight chart KEY SERIES... [--out FILE.svg] [--tz OFFSET]: time-aligned
 * panels of the named series around an incident, as one SVG (render/chart.h). */
#include "cli/cli.h"

#include "app/charts.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "render/chart.h"

#include <stdio.h>
#include <string.h>

static const struct opt_spec chart_spec[] = {
    {"out", OPT_VALUE, "FILE.svg", "write the SVG to FILE (atomically) instead of stdout"},
    {"tz", OPT_VALUE, "OFFSET", "times on the axis in UTC+OFFSET (+02:00, -0530); default UTC"},
    {"width", OPT_VALUE, "PX", "the width in pixels (320 to 4000; default 760)"},
};

int cmd_chart(int argc, char **argv)
{
    struct opts o;
    int rc = cli_parse(&o, "chart", "chart KEY SERIES... [--out FILE.svg] [--tz OFFSET] [--width PX]",
                  "Draws time-aligned panels of one or more series around an incident, on one "
                  "time axis, with\nthe incident shaded, the changes made before it and each "
                  "series' change points marked,\nand the baseline (the median of the same time "
                  "on the previous days) beside each series.\nA SERIES is an ingested metric's "
                  "name, a saved metric or an expression (docs/query.md).",
                  chart_spec, ARRAY_SIZE(chart_spec), argc, argv);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    if (o.positional.n < 2) {
        err_set(&e, ERR_INVALID, "chart needs an incident key and at least one series "
                                 "(hindsight chart INC-1 'count()')");
        return cli_finish(&o, NULL, cli_fail(&e));
    }
    struct chart_style st = CHART_STYLE_INIT;
    const char *tz = opts_value(&o, "tz"), *width = opts_value(&o, "width");
    if (tz && time_parse_tz_offset(tz, &st.tz_offset_min, &e) < 0) {
        err_prefix(&e, "--tz: ");
        return cli_finish(&o, NULL, cli_fail(&e));
    }
    if (width) {
        int64_t w = 0;
        if (num_parse_i64_range(width, 320, 4000, &w) < 0) {
            err_set(&e, ERR_INVALID, "--width: '%.40s' is not a number of pixels from 320 to "
                                     "4000", width);
            return cli_finish(&o, NULL, cli_fail(&e));
        }
        st.width = (int)w;
    }
    struct app *a = cli_open(&o);
    if (!a)
        return cli_finish(&o, NULL, EXIT_FAIL);
    struct chart_set c;
    if (app_charts_gather(a, o.positional.items[0], (const char *const *)o.positional.items + 1,
                          o.positional.n - 1, &c, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (c.panels.n_series == 0) {
        /* nothing to draw: the first note says why (an unknown metric, no data) */
        err_set(&e, ERR_INVALID, "nothing to draw: %s", c.n_notes ? c.notes[0] : "no data");
        chart_set_release(&c);
        return cli_finish(&o, a, cli_fail(&e));
    }
    for (size_t i = 0; i < c.n_notes; i++)
        fprintf(stderr, "hindsight: note: %s\n", c.notes[i]);
    struct buf b = BUF_INIT;
    struct sink out = sink_buf(&b);
    render_chart_panels(&out, &c.panels, &st);
    chart_set_release(&c);
    const char *path = opts_value(&o, "out");
    rc = ERR_OK;
    if (sink_failed(&out))
        rc = err_set(&e, ERR_INTERNAL, "cannot draw the chart (out of memory)");
    else
        rc = cli_emit(path, &b, "chart", &e);
    buf_release(&b);
    return cli_finish(&o, a, rc < 0 ? cli_fail(&e) : EXIT_OK);
}
