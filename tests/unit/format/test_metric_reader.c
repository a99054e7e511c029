/* test_metric_reader.c: metric points from Prometheus JSON, long CSV and Grafana wide CSV. */
#define _POSIX_C_SOURCE 200809L
#include "format/metric_reader.h"

#include <criterion/criterion.h>
#include <string.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

static FILE *text(const char *s)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    size_t len = strlen(s);
    cr_assert_eq(fwrite(s, 1, len, f), len);
    rewind(f);
    return f;
}

/* Opens s in format fmt, asserting success. */
static FILE *open_ok(struct metric_reader *r, const char *s, enum metric_format fmt)
{
    FILE *f = text(s);
    struct err e = ERR_INIT;
    int rc = metric_reader_open(r, f, fmt, &e);
    cr_assert_eq(rc, ERR_OK, "open failed: %s", e.msg);
    return f;
}

/* Opens s in format fmt, asserting ERR_INVALID at line with a message containing why. */
static void open_bad(const char *s, enum metric_format fmt, unsigned line, const char *why)
{
    FILE *f = text(s);
    struct err e = ERR_INIT;
    struct metric_reader r;
    int rc = metric_reader_open(&r, f, fmt, &e);
    cr_assert_eq(rc, ERR_INVALID, "open should fail with '%s'", why);
    cr_assert_eq(e.line, line, "line %u, expected %u (%s)", e.line, line, e.msg);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
    metric_reader_release(&r); /* harmless after a failed open */
    fclose(f);
}

static void expect_point(struct metric_reader *r, const char *name, const char *labels,
                         int64_t ts, double value)
{
    struct err e = ERR_INIT;
    struct metric_point p;
    int rc = metric_reader_next(r, &p, &e);
    cr_assert_eq(rc, 1, "expected %s{%s}, got %d (%s)", name, labels, rc, e.msg);
    cr_assert_str_eq(p.name, name);
    cr_assert_str_eq(p.labels, labels);
    cr_assert_eq(p.ts_ms, ts, "ts %lld, expected %lld", (long long)p.ts_ms, (long long)ts);
    cr_assert_eq(p.value, value, "value %g, expected %g", p.value, value);
}

static void expect_bad(struct metric_reader *r, unsigned line, const char *why)
{
    struct err e = ERR_INIT;
    struct metric_point p;
    int rc = metric_reader_next(r, &p, &e);
    cr_assert_eq(rc, ERR_INVALID, "expected a refusal containing '%s', got %d", why, rc);
    cr_assert_eq(e.line, line, "line %u, expected %u (%s)", e.line, line, e.msg);
    cr_assert(strstr(e.msg, why) != NULL, "message '%s' should contain '%s'", e.msg, why);
}

static void expect_end(struct metric_reader *r)
{
    struct err e = ERR_INIT;
    struct metric_point p;
    cr_assert_eq(metric_reader_next(r, &p, &e), 0, "expected the end (%s)", e.msg);
    cr_assert_eq(metric_reader_next(r, &p, &e), 0);
}

/* ---- Prometheus ---- */

Test(format_metrics, prom_matrix)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n"
        " {\"metric\":{\"service\":\"payments\",\"__name__\":\"http_errors\",\"az\":\"b\"},\n"
        "  \"values\":[[1772625600,\"0.5\"],[1772625660.5,\"1e3\"]]},\n"
        " {\"metric\":{},\"values\":[[1772625600123,\"-2\"]]},\n"
        " {\"metric\":{\"__name__\":\"up\"},\"values\":[]},\n"
        " {\"metric\":{\"__name__\":\"up\",\"job\":\"a,b\\\\c\",\"empty\":\"\"},"
        "\"values\":[[\"2026-03-04T12:00:00Z\",7]]}\n"
        "]}}", MF_PROM);
    expect_point(&r, "http_errors", "az=b,service=payments", T0, 0.5);
    expect_point(&r, "http_errors", "az=b,service=payments", T0 + 60500, 1000.0);
    expect_point(&r, "value", "", T0 + 123, -2.0);
    expect_point(&r, "up", "job=a\\,b\\\\c", T0, 7.0);
    expect_end(&r);
    cr_assert_eq(metric_reader_line(&r), 0);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, prom_vector)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        "{\"metric\":{\"__name__\":\"a\"},\"value\":[1772625600,\"1\"]},"
        "{\"metric\":{\"__name__\":\"b\",\"x\":\"y\"},\"value\":[1772625601,\"2\"]}]}}",
        MF_PROM);
    expect_point(&r, "a", "", T0, 1.0);
    expect_point(&r, "b", "x=y", T0 + 1000, 2.0);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, prom_bad_points_are_skipped_one_by_one)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        "{\"metric\":{\"__name__\":\"m\",\"s\":\"p\"},\"values\":["
        "[1772625600,\"NaN\"],[1772625601,\"+Inf\"],[1772625602,\"3\"],[1772625603],"
        "[1772625604,\"abc\"],[true,\"1\"],[253402300800000,\"1\"],[1772625605,\"5\"]]}]}}",
        MF_PROM);
    expect_bad(&r, 0, "data.result[0].values[0] (series 'm{s=p}'): value 'NaN' is not a "
               "finite number");
    expect_bad(&r, 0, "data.result[0].values[1] (series 'm{s=p}'): value '+Inf'");
    expect_point(&r, "m", "s=p", T0 + 2000, 3.0);
    expect_bad(&r, 0, "values[3] (series 'm{s=p}'): expected a [time, \"value\"] pair");
    expect_bad(&r, 0, "values[4] (series 'm{s=p}'): value 'abc' is not a finite number");
    expect_bad(&r, 0, "values[5] (series 'm{s=p}'): time: expected a number, got a boolean");
    expect_bad(&r, 0, "values[6] (series 'm{s=p}'): time: invalid time");
    expect_point(&r, "m", "s=p", T0 + 5000, 5.0);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, prom_bad_series_are_skipped_whole)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        "{\"metric\":{\"__name__\":\"a\"}},"
        "{\"metric\":{\"__name__\":\"b\",\"k\":1},\"values\":[[1772625600,\"1\"]]},"
        "{\"metric\":{\"__name__\":\"c\",\"bad key\":\"v\"},\"values\":[[1772625600,\"1\"]]},"
        "[],"
        "{\"metric\":[],\"values\":[]},"
        "{\"metric\":{\"__name__\":\"\"},\"values\":[]},"
        "{\"metric\":{\"__name__\":\"d\"},\"values\":[[1772625600,\"4\"]]}]}}", MF_PROM);
    expect_bad(&r, 0, "data.result[0]: missing field 'values'");
    expect_bad(&r, 0, "data.result[1]: metric label 'k': expected a string, got a number");
    expect_bad(&r, 0, "data.result[2]: field 'metric': label name 'bad key'");
    expect_bad(&r, 0, "data.result[3]: expected an object, got an array");
    expect_bad(&r, 0, "data.result[4]: field 'metric': expected an object");
    expect_bad(&r, 0, "data.result[5]: metric label '__name__': empty");
    expect_point(&r, "d", "", T0, 4.0);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, prom_refused_files)
{
    open_bad("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char "
             "4\"}", MF_PROM, 0, "the query failed with status 'error': bad_data: parse error "
             "at char 4");
    open_bad("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}",
             MF_PROM, 0, "field 'data.resultType': 'scalar' is not supported");
    open_bad("{\"data\":{}}", MF_PROM, 0, "missing field 'status'");
    open_bad("{\"status\":\"success\"}", MF_PROM, 0, "missing field 'data'");
    open_bad("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}", MF_PROM, 0,
             "missing field 'data.result'");
    open_bad("{\"status\":\"success\",\"data\":{\"result\":[]}}", MF_PROM, 0,
             "missing field 'data.resultType'");
    open_bad("[1,2]", MF_PROM, 0, "expected a Prometheus API answer");
    open_bad("{\"status\":\"success\",\n\"data\": {,}}", MF_PROM, 2, "invalid JSON");
    open_bad("{\"a\":1,\"a\":2}", MF_PROM, 1, "duplicate");
    open_bad("", MF_PROM, 1, "invalid JSON");
}

Test(format_metrics, prom_from_a_memory_stream)
{
    static char data[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                         "\"result\":[{\"metric\":{\"__name__\":\"a\"},"
                         "\"value\":[1772625600,\"1\"]}]}}";
    FILE *f = fmemopen(data, strlen(data), "r");
    cr_assert_not_null(f);
    struct metric_reader r;
    struct err e = ERR_INIT;
    cr_assert_eq(metric_reader_open(&r, f, MF_PROM, &e), ERR_OK, "%s", e.msg);
    expect_point(&r, "a", "", T0, 1.0);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

/* ---- long CSV ---- */

Test(format_metrics, long_csv)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "region,VALUE,Metric,service,Timestamp\r\n"
        "eu,0.5,http_errors,payments,2026-03-04T12:00:00Z\r\n"
        ",1,http_errors,\"pay,ments\",1772625660\r\n"
        ",2,latency,,1772625600000\r\n", MF_LONG_CSV);
    expect_point(&r, "http_errors", "region=eu,service=payments", T0, 0.5);
    cr_assert_eq(metric_reader_line(&r), 2);
    expect_point(&r, "http_errors", "service=pay\\,ments", T0 + 60000, 1.0);
    expect_point(&r, "latency", "", T0, 2.0);
    cr_assert_eq(metric_reader_line(&r), 4);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, long_csv_bad_rows_name_the_column)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "timestamp,metric,value,service\n"
        "1772625600,m,abc,a\n"
        "2026-13-01,m,1,a\n"
        "1772625600,,1,a\n"
        "1772625600,m,1\n"
        "1772625600,m,NaN,a\n"
        "1772625600,m,\"1\n2\",a\n"
        "1772625600,m,\"x\"y,a\n"
        "1772625600,m,3,a\n"
        "1772625600,m,,a\n", MF_LONG_CSV);
    expect_bad(&r, 2, "column 'value': expected a number, got 'abc'");
    expect_bad(&r, 3, "column 'timestamp': invalid time '2026-13-01': month out of range");
    expect_bad(&r, 4, "column 'metric': empty");
    expect_bad(&r, 5, "expected 4 columns like the header, got 3");
    expect_bad(&r, 6, "column 'value': expected a number, got 'NaN'");
    expect_bad(&r, 7, "column 'value': expected a number, got '1\n2'");
    expect_bad(&r, 9, "field 3: unexpected 'y' after the closing quote");
    expect_point(&r, "m", "service=a", T0, 3.0);
    expect_bad(&r, 11, "column 'value': expected a number, got ''");
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, long_csv_bad_headers)
{
    open_bad("", MF_LONG_CSV, 1, "empty file: expected a header row");
    open_bad("timestamp,metric\n", MF_LONG_CSV, 1, "header: missing column 'value'");
    open_bad("\n\ntimestamp,value\n", MF_LONG_CSV, 3, "header: missing column 'metric'");
    open_bad("timestamp,metric,value,Value\n", MF_LONG_CSV, 1,
             "header: column 'value' appears twice (columns 3 and 4)");
    open_bad("timestamp,metric,value,svc,svc\n", MF_LONG_CSV, 1,
             "header: column 'svc' appears twice");
    open_bad("timestamp,metric,value,\n", MF_LONG_CSV, 1, "header: column 4: label name ''");
    open_bad("timestamp,metric,value,a b\n", MF_LONG_CSV, 1, "label name 'a b'");
    open_bad("timestamp,metric,\"va\"lue\n", MF_LONG_CSV, 1, "header: field 3: unexpected");
}

/* ---- wide CSV ---- */

Test(format_metrics, wide_csv)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "Time,\"http_errors{service=\"\"payments\"\"}\","
        "\"latency{region=\"\"eu\"\", az=\"\"b\"\"}\","
        "plain name,\"{job=\"\"x\"\"}\",rate{5m}\n"
        "2026-03-04 12:00:00,0.5,,1,2,3\n"
        "1772625660000,,7,,,\n"
        "2026-03-04T12:02:00Z,,,,,\n", MF_WIDE_CSV);
    expect_point(&r, "http_errors", "service=payments", T0, 0.5);
    expect_point(&r, "plain name", "", T0, 1.0);
    expect_point(&r, "value", "job=x", T0, 2.0);
    expect_point(&r, "rate{5m}", "", T0, 3.0);
    cr_assert_eq(metric_reader_line(&r), 2);
    expect_point(&r, "latency", "az=b,region=eu", T0 + 60000, 7.0);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, wide_csv_header_escapes)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "time,\"m {a=\"\"q\\\"\"x\\\\y\"\",b=\"\"\"\",}\"\n"
        "1772625600,1\n", MF_WIDE_CSV);
    /* name "m" (trailing space dropped), a = q"x\y (escaped), b empty (absent). */
    expect_point(&r, "m", "a=q\"x\\\\y", T0, 1.0);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, wide_csv_bad_cells_and_rows)
{
    struct metric_reader r;
    FILE *f = open_ok(&r,
        "Time,a,b\n"
        "2026-03-04 12:00:00,x,2\n"
        "yesterday,1,2\n"
        "2026-03-04 12:00:01,1\n"
        "2026-03-04 12:00:02,inf,5\n", MF_WIDE_CSV);
    expect_bad(&r, 2, "column 'a': expected a number, got 'x'");
    expect_point(&r, "b", "", T0, 2.0); /* the rest of the row still counts */
    expect_bad(&r, 3, "column 'Time': invalid time 'yesterday'");
    expect_bad(&r, 4, "expected 3 columns like the header, got 2");
    expect_bad(&r, 5, "column 'a': expected a number, got 'inf'");
    expect_point(&r, "b", "", T0 + 2000, 5.0);
    expect_end(&r);
    metric_reader_release(&r);
    fclose(f);
}

Test(format_metrics, wide_csv_bad_headers)
{
    open_bad("Date,a\n", MF_WIDE_CSV, 1, "header: column 1 must be the time, named 'Time' "
             "(got 'Date')");
    open_bad("Time\n", MF_WIDE_CSV, 1, "header: no series columns after 'Time'");
    open_bad("Time,a,,b\n", MF_WIDE_CSV, 1, "header: column 3 has no name");
    open_bad("Time,\"a{x=\"\"1\"\"}\",b,\"a {x=\"\"1\"\"}\"\n", MF_WIDE_CSV, 1,
             "header: columns 2 and 4 are the same series 'a {x=\"1\"}'");
    open_bad("Time,\"a{x=\"\"1\"\",x=\"\"2\"\"}\"\n", MF_WIDE_CSV, 1,
             "header: column 2 'a{x=\"1\",x=\"2\"}': label 'x' appears twice");
    open_bad("Time,\"a{k\\\\=\"\"1\"\"}\"\n", MF_WIDE_CSV, 1, "label name 'k\\\\'");
    open_bad("", MF_WIDE_CSV, 1, "empty file");
}

Test(format_metrics, read_errors_are_err_io)
{
    for (int fmt = MF_PROM; fmt <= MF_WIDE_CSV; fmt++) {
        FILE *f = fopen("/", "r"); /* a directory: reading fails with EISDIR */
        cr_assert_not_null(f);
        struct metric_reader r;
        struct err e = ERR_INIT;
        cr_assert_eq(metric_reader_open(&r, f, (enum metric_format)fmt, &e), ERR_IO,
                     "format %d: %s", fmt, e.msg);
        metric_reader_release(&r);
        fclose(f);
    }
}
