/* test_demo_data.c: the demo data generator on small data sets (one day, small scales):
 * determinism, the shape of every file, and that the injected incident is in the data where
 * the ground truth says, and nowhere else. */
#define _POSIX_C_SOURCE 200809L
#include "app/demo_data.h"
#include "core/timefmt.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *ent;
    char child[512];
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        snprintf(child, sizeof(child), "%s/%s", path, ent->d_name);
        remove_tree(child);
    }
    closedir(d);
    rmdir(path);
}

static void setup(void)
{
    snprintf(root, sizeof(root), "/tmp/hindsight-demo-XXXXXX");
    cr_assert_not_null(mkdtemp(root));
}

static void teardown(void)
{
    remove_tree(root);
}

TestSuite(demo_data, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static const char *in_root(const char *name)
{
    static char path[4][256];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 256, "%s/%s", root, name);
    return p;
}

static char *read_file(const char *dir, const char *name, size_t *ret_len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    cr_assert_eq(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    if (ret_len)
        *ret_len = (size_t)n;
    return data;
}

/* Splits data into lines in place (every line ends with '\n'); returns how many. */
static size_t split_lines(char *data, char ***ret_lines)
{
    size_t n = 0, cap = 1024;
    char **lines = malloc(cap * sizeof(*lines));
    for (char *p = data; *p;) {
        char *nl = strchr(p, '\n');
        cr_assert_not_null(nl, "the last line has no newline");
        *nl = '\0';
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof(*lines));
        lines[n++] = p;
        p = nl + 1;
    }
    *ret_lines = lines;
    return n;
}

static void generate(uint64_t seed, int days, double scale, const char *dir,
                     struct demo_summary *ret)
{
    struct demo_options o;
    demo_options_default(&o);
    o.seed = seed;
    o.days = days;
    o.scale = scale;
    struct err e = ERR_INIT;
    struct demo_summary s;
    cr_assert_eq(demo_generate(&o, dir, ret ? ret : &s, &e), ERR_OK, "%s", e.msg);
}

static int64_t parse_time(const char *s)
{
    int64_t ms;
    struct err e = ERR_INIT;
    cr_assert_eq(time_parse_rfc3339(s, &ms, &e), ERR_OK, "%s: %s", s, e.msg);
    return ms;
}

static json_t *parse_json(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    cr_assert_not_null(v, "not JSON (%s): %.200s", jerr.text, text);
    return v;
}

static const char *str_at(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    cr_assert_not_null(s, "no string '%s'", key);
    return s;
}

static json_t *load_truth(const char *dir)
{
    char *text = read_file(dir, "ground_truth.json", NULL);
    json_t *v = parse_json(text);
    free(text);
    return v;
}

static bool same_file(const char *a, const char *b, const char *name)
{
    size_t la, lb;
    char *x = read_file(a, name, &la), *y = read_file(b, name, &lb);
    bool same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

/* ---- determinism ---- */

Test(demo_data, same_options_give_identical_files)
{
    const char *a = in_root("a"), *b = in_root("b"), *c = in_root("c");
    generate(7, 1, 0.3, a, NULL);
    generate(7, 1, 0.3, b, NULL);
    generate(8, 1, 0.3, c, NULL);
    for (int f = 0; f < DEMO_FILE_COUNT; f++) {
        cr_assert(same_file(a, b, demo_file_name(f)), "%s differs", demo_file_name(f));
        cr_assert(!same_file(a, c, demo_file_name(f)), "%s is the same for another seed",
                  demo_file_name(f));
    }
}

Test(demo_data, no_temporary_files_remain)
{
    const char *dir = in_root("out");
    generate(1, 1, 0.05, dir, NULL);
    DIR *d = opendir(dir);
    struct dirent *ent;
    int files = 0;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            cr_assert(strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0,
                      "left over: %s", ent->d_name);
        else
            files++;
    }
    closedir(d);
    cr_assert_eq(files, DEMO_FILE_COUNT + 1, "the five files and history/");
    char hist[300];
    snprintf(hist, sizeof(hist), "%s/history", dir);
    cr_assert_not_null(d = opendir(hist));
    while ((ent = readdir(d)) != NULL)
        cr_assert(ent->d_name[0] == '.' || strstr(ent->d_name, ".tmp") == NULL, "left over: %s",
                  ent->d_name);
    closedir(d);
}

/* ---- the incident in the events ---- */

struct funnel_count {
    uint64_t paid[2][2], bought[2][2]; /* [in segment][payment inside the window] */
};

struct session_seen {
    bool seg, inside, paid;
};

/* Walks events.jsonl: every line parses, time never goes back, revenue only on purchases;
 * counts payment -> purchase per segment and window. */
static void scan_events(const char *dir, int64_t start, int64_t end, int64_t from, int64_t to,
                        struct funnel_count *ret)
{
    char *data = read_file(dir, "events.jsonl", NULL);
    char **lines;
    size_t n = split_lines(data, &lines);
    cr_assert_gt(n, 1000);
    struct session_seen *sessions = calloc(n, sizeof(*sessions));
    memset(ret, 0, sizeof(*ret));
    int64_t last = start;
    for (size_t i = 0; i < n; i++) {
        json_t *ev = parse_json(lines[i]);
        json_t *props = json_object_get(ev, "properties");
        const char *name = str_at(ev, "event");
        int64_t ts = parse_time(str_at(ev, "timestamp"));
        cr_assert(ts >= last && ts < end, "line %zu out of order or period", i + 1);
        last = ts;
        cr_assert_eq(str_at(ev, "distinct_id")[0], 'u');
        long sid = strtol(str_at(props, "$session_id") + 1, NULL, 10) - 100000;
        cr_assert(sid >= 0 && (size_t)sid < n);
        struct session_seen *s = &sessions[sid];
        bool seg = strcmp(str_at(props, "platform"), "android") == 0 &&
                   strcmp(str_at(props, "app_version"), "5.2") == 0;
        cr_assert(json_integer_value(json_object_get(props, "latency_ms")) > 0);
        double revenue = json_number_value(json_object_get(props, "revenue"));
        if (strcmp(name, "payment_submitted") == 0) {
            *s = (struct session_seen){seg, ts >= from && ts < to, true};
            ret->paid[seg][s->inside]++;
        } else if (strcmp(name, "purchase_completed") == 0) {
            cr_assert(s->paid, "a purchase without a payment");
            cr_assert_gt(revenue, 0);
            ret->bought[s->seg][s->inside]++;
        } else {
            cr_assert_eq(revenue, 0);
        }
        json_decref(ev);
    }
    free(sessions);
    free(lines);
    free(data);
}

static double rate(const struct funnel_count *c, int seg, int inside)
{
    return c->paid[seg][inside] ? (double)c->bought[seg][inside] / c->paid[seg][inside] : 0;
}

static void assert_observed(json_t *conv, const char *key, uint64_t paid, uint64_t bought)
{
    json_t *o = json_object_get(conv, key);
    cr_assert_eq(json_integer_value(json_object_get(o, "payment_submitted")), (json_int_t)paid,
                 "%s", key);
    cr_assert_eq(json_integer_value(json_object_get(o, "purchase_completed")),
                 (json_int_t)bought, "%s", key);
}

Test(demo_data, conversion_drops_only_in_the_segment_during_the_incident, .timeout = 120)
{
    const char *dir = in_root("conv");
    struct demo_summary s;
    generate(42, 1, 2, dir, &s);
    struct funnel_count c;
    scan_events(dir, s.period_start, s.period_end, s.incident_start, s.incident_end, &c);
    cr_assert_geq(c.paid[1][1], 10, "too few payments in the segment during the incident");
    cr_assert_lt(rate(&c, 1, 1), 0.45, "segment inside %.3f", rate(&c, 1, 1));
    cr_assert_gt(rate(&c, 1, 0), 0.75, "segment outside %.3f", rate(&c, 1, 0));
    cr_assert_gt(rate(&c, 0, 1), 0.75, "others inside %.3f", rate(&c, 0, 1));
    cr_assert_gt(rate(&c, 0, 0), 0.75, "others outside %.3f", rate(&c, 0, 0));

    json_t *truth = load_truth(dir);
    json_t *conv = json_object_get(json_object_get(truth, "incident"), "conversion");
    assert_observed(conv, "segment_inside", c.paid[1][1], c.bought[1][1]);
    assert_observed(conv, "segment_outside", c.paid[1][0], c.bought[1][0]);
    assert_observed(conv, "others_inside", c.paid[0][1], c.bought[0][1]);
    assert_observed(conv, "others_outside", c.paid[0][0], c.bought[0][0]);
    json_decref(truth);
}

/* ---- the ground truth ---- */

static size_t count_lines(const char *dir, const char *name)
{
    char *data = read_file(dir, name, NULL);
    size_t n = 0;
    for (char *p = data; *p; p++)
        n += *p == '\n';
    free(data);
    return n;
}

Test(demo_data, ground_truth_matches_the_files)
{
    const char *dir = in_root("truth");
    struct demo_summary s;
    generate(42, 1, 0.2, dir, &s);
    json_t *truth = load_truth(dir);
    json_t *inc = json_object_get(truth, "incident");
    int64_t start = parse_time(str_at(inc, "start")), end = parse_time(str_at(inc, "end"));
    int64_t period_start = parse_time(str_at(json_object_get(truth, "period"), "start"));
    int64_t period_end = parse_time(str_at(json_object_get(truth, "period"), "end"));
    cr_assert_eq(period_end, parse_time("2026-03-09T00:00:00Z"));
    cr_assert_eq(period_end - period_start, MS_PER_DAY);
    cr_assert(start > period_start && end < period_end);
    cr_assert_eq(start, parse_time("2026-03-08T14:05:00Z"));
    cr_assert(end - start >= 45 * MS_PER_MINUTE && end - start <= 90 * MS_PER_MINUTE);
    cr_assert_eq(start, s.incident_start);
    cr_assert_eq(end, s.incident_end);
    int64_t lead = start - parse_time(str_at(inc, "deploy_at"));
    cr_assert(lead >= 5 * MS_PER_MINUTE && lead <= 10 * MS_PER_MINUTE);
    json_t *seg = json_object_get(inc, "segment");
    cr_assert_str_eq(str_at(seg, "platform"), "android");
    cr_assert_str_eq(str_at(seg, "app_version"), "5.2");
    cr_assert_str_eq(str_at(inc, "funnel_step"), "payment_submitted -> purchase_completed");
    cr_assert_str_eq(str_at(inc, "cause_change_id"), s.cause_id);
    cr_assert_str_eq(str_at(inc, "mitigation_change_id"), s.mitigation_id);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(truth, "options"), "seed")),
                 42);
    json_t *rows = json_object_get(truth, "rows");
    cr_assert_eq(json_integer_value(json_object_get(rows, "events.jsonl")),
                 (json_int_t)count_lines(dir, "events.jsonl"));
    cr_assert_eq(json_integer_value(json_object_get(rows, "metrics.csv")),
                 (json_int_t)count_lines(dir, "metrics.csv") - 1);
    cr_assert_eq(json_integer_value(json_object_get(rows, "logs.jsonl")),
                 (json_int_t)count_lines(dir, "logs.jsonl"));
    cr_assert_eq(json_integer_value(json_object_get(rows, "changes.jsonl")),
                 (json_int_t)count_lines(dir, "changes.jsonl"));
    cr_assert_eq(s.rows[DEMO_EVENTS], count_lines(dir, "events.jsonl"));
    json_decref(truth);
}

/* ---- changes ---- */

static json_t *find_change(json_t **changes, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(str_at(changes[i], "id"), id) == 0)
            return changes[i];
    cr_assert_fail("no change %s", id);
    return NULL;
}

Test(demo_data, changes_hold_the_cause_and_the_mitigation)
{
    const char *dir = in_root("chg");
    struct demo_summary s;
    generate(42, 3, 0.05, dir, &s);
    char *data = read_file(dir, "changes.jsonl", NULL);
    char **lines;
    size_t n = split_lines(data, &lines);
    cr_assert(n >= 8 && n <= 3 * 6 + 5, "%zu changes in 3 days", n);
    json_t **changes = calloc(n, sizeof(*changes));
    int64_t last = s.period_start;
    for (size_t i = 0; i < n; i++) {
        changes[i] = parse_json(lines[i]);
        char id[32];
        snprintf(id, sizeof(id), "chg-%zu", i + 1);
        cr_assert_str_eq(str_at(changes[i], "id"), id);
        int64_t ts = parse_time(str_at(changes[i], "timestamp"));
        cr_assert(ts >= last && ts < s.period_end);
        last = ts;
        const char *kind = str_at(changes[i], "kind");
        cr_assert(strcmp(kind, "deploy") == 0 || strcmp(kind, "flag") == 0 ||
                  strcmp(kind, "config") == 0 || strcmp(kind, "incident-response") == 0);
        str_at(changes[i], "service");
        str_at(changes[i], "description");
    }
    json_t *cause = find_change(changes, n, s.cause_id);
    cr_assert_str_eq(str_at(cause, "kind"), "deploy");
    cr_assert_str_eq(str_at(cause, "service"), "payments");
    cr_assert_str_eq(str_at(cause, "version"), "5.2-build41");
    cr_assert_str_eq(str_at(cause, "segment"), "platform=android,app_version=5.2");
    cr_assert_eq(parse_time(str_at(cause, "timestamp")), s.deploy_at);
    json_t *fix = find_change(changes, n, s.mitigation_id);
    cr_assert_str_eq(str_at(fix, "kind"), "flag");
    cr_assert_str_eq(str_at(fix, "description"), "payments.new_sdk off for platform=android");
    cr_assert_eq(parse_time(str_at(fix, "timestamp")), s.incident_end);
    for (size_t i = 0; i < n; i++)
        json_decref(changes[i]);
    free(changes);
    free(lines);
    free(data);
}

/* ---- logs ---- */

Test(demo_data, logs_parse_and_errors_appear_only_with_the_incident)
{
    const char *dir = in_root("logs");
    struct demo_summary s;
    generate(42, 1, 1, dir, &s);
    char *data = read_file(dir, "logs.jsonl", NULL);
    char **lines;
    size_t n = split_lines(data, &lines), errors = 0;
    cr_assert(n * 30 > s.rows[DEMO_EVENTS] && n * 12 < s.rows[DEMO_EVENTS],
              "%zu log lines for %llu events", n, (unsigned long long)s.rows[DEMO_EVENTS]);
    int64_t last = s.period_start;
    for (size_t i = 0; i < n; i++) {
        json_t *line = parse_json(lines[i]);
        int64_t ts = parse_time(str_at(line, "timestamp"));
        cr_assert(ts >= last);
        last = ts;
        const char *level = str_at(line, "level"), *msg = str_at(line, "message");
        cr_assert_eq(strlen(str_at(line, "trace_id")), 32);
        str_at(line, "service");
        bool timeout = strncmp(msg, "payment provider timeout sdk=5.2 code=504 order=", 48) == 0;
        cr_assert_eq(strcmp(level, "error") == 0, timeout, "%s", lines[i]);
        if (timeout) {
            cr_assert(ts >= s.incident_start && ts < s.recovered_at);
            cr_assert_str_eq(str_at(line, "service"), "payments");
            errors++;
        } else {
            cr_assert(strcmp(level, "info") == 0 || strcmp(level, "warn") == 0);
        }
        json_decref(line);
    }
    cr_assert_gt(errors, 0);
    free(lines);
    free(data);
}

/* ---- metrics ---- */

static int decimals_of(const char *value)
{
    const char *dot = strchr(value, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

Test(demo_data, metrics_have_a_header_and_every_minute)
{
    const char *dir = in_root("metrics");
    struct demo_summary s;
    generate(3, 1, 0.1, dir, &s);
    char *data = read_file(dir, "metrics.csv", NULL);
    char **lines;
    size_t n = split_lines(data, &lines);
    cr_assert_str_eq(lines[0], "timestamp,metric,value,service,region");
    const size_t per_minute = 3 * 4 * 2;
    cr_assert_eq(n, 1 + 1440 * per_minute);
    double payments_error[2] = {0, 1}; /* max before/after, min during the incident */
    for (size_t i = 1; i < n; i++) {
        char ts[32], metric[32], value[32], service[32], region[32];
        cr_assert_eq(sscanf(lines[i], "%31[^,],%31[^,],%31[^,],%31[^,],%31s", ts, metric, value,
                            service, region), 5, "%s", lines[i]);
        int64_t t = parse_time(ts);
        cr_assert_eq(t, s.period_start + (int64_t)((i - 1) / per_minute) * MS_PER_MINUTE);
        cr_assert_leq(decimals_of(value), 4, "%s", lines[i]);
        cr_assert(strcmp(region, "us-east") == 0 || strcmp(region, "eu-west") == 0);
        if (strcmp(metric, "http_error_rate") == 0 && strcmp(service, "payments") == 0) {
            double v = strtod(value, NULL);
            if (t >= s.incident_start && t + MS_PER_MINUTE <= s.incident_end)
                payments_error[1] = v < payments_error[1] ? v : payments_error[1];
            else if (t + MS_PER_MINUTE <= s.incident_start || t >= s.recovered_at)
                payments_error[0] = v > payments_error[0] ? v : payments_error[0];
        }
    }
    cr_assert_lt(payments_error[0], 0.02, "baseline reaches %.4f", payments_error[0]);
    cr_assert_gt(payments_error[1], 0.03, "incident falls to %.4f", payments_error[1]);
    free(lines);
    free(data);
}

/* ---- options and failures ---- */

Test(demo_data, options_are_checked)
{
    struct demo_options o;
    struct err e = ERR_INIT;
    demo_options_default(&o);
    cr_assert_eq(demo_options_check(&o, &e), ERR_OK);
    o.days = 0;
    cr_assert_eq(demo_options_check(&o, &e), ERR_INVALID);
    o.days = 91;
    cr_assert_eq(demo_options_check(&o, &e), ERR_INVALID);
    o.days = 90;
    o.scale = 0;
    cr_assert_eq(demo_options_check(&o, &e), ERR_INVALID);
    o.scale = 200.5;
    cr_assert_eq(demo_options_check(&o, &e), ERR_INVALID);
    o.scale = 200;
    o.end += 1000;
    cr_assert_eq(demo_options_check(&o, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "the end of the period must be a whole minute");
    o.end -= 1000;
    cr_assert_eq(demo_options_check(&o, &e), ERR_OK);
    o.days = 0;
    cr_assert_eq(demo_generate(&o, in_root("never"), NULL, &e), ERR_INVALID);
    struct stat st;
    cr_assert_neq(stat(in_root("never"), &st), 0, "an invalid run created its directory");
}

Test(demo_data, creates_missing_parents)
{
    generate(1, 1, 0.01, in_root("x/y/z"), NULL);
    struct stat st;
    cr_assert_eq(stat(in_root("x/y/z/events.jsonl"), &st), 0);
}

Test(demo_data, a_file_in_the_way_is_an_io_error)
{
    const char *path = in_root("file");
    FILE *f = fopen(path, "w");
    fclose(f);
    struct demo_options o;
    demo_options_default(&o);
    o.days = 1;
    o.scale = 0.01;
    struct err e = ERR_INIT;
    cr_assert_eq(demo_generate(&o, path, NULL, &e), ERR_IO);
    cr_assert_eq(demo_generate(&o, in_root("file/sub"), NULL, &e), ERR_IO);
    cr_assert(strstr(e.msg, "file/sub") != NULL, "%s", e.msg);
}

Test(demo_data, the_incident_moves_into_short_odd_periods)
{
    struct demo_options o;
    demo_options_default(&o);
    o.days = 1;
    o.scale = 0.01;
    o.end = parse_time("2026-03-09T15:00:00Z"); /* 14:05 fits on neither calendar day */
    struct err e = ERR_INIT;
    struct demo_summary s;
    cr_assert_eq(demo_generate(&o, in_root("odd"), &s, &e), ERR_OK, "%s", e.msg);
    cr_assert(s.deploy_at > s.period_start && s.recovered_at < s.period_end);
}

/* ---- the history (app/demo_history.c) ---- */

#include "app/demo_history.h"
#include "format/record_json.h"
#include "model/record.h"

/* Reads dir/history/incident-<i>.json into r; false when the file does not exist. */
static bool read_history(int i, struct record *r)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/history/incident-%03d.json", root, i);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof(text), f);
    fclose(f);
    struct err e = ERR_INIT;
    record_init(r);
    int rc = record_json_parse(text, len, r, &e);
    cr_assert_eq(rc, 0, "%s: %s", path, e.msg);
    return true;
}

Test(demo_data, history_documents_read_back_and_tell_a_year)
{
    size_t n = 0;
    struct err e = ERR_INIT;
    int64_t end = 1772409600000; /* 2026-03-02T00:00:00Z */
    cr_assert_eq(demo_history_write(42, 12, end, root, &n, &e), 0, "%s", e.msg);
    cr_assert_geq(n, 20);
    int64_t prev = 0;
    size_t verified = 0, thin = 0, sections = 0, no_criterion = 0;
    for (int i = 1; i <= (int)n; i++) {
        struct record r;
        cr_assert(read_history(i, &r), "incident-%03d.json missing", i);
        cr_assert_eq(r.inc.seq, i);
        cr_assert_geq(r.inc.times[T_STARTED], prev, "not in start order");
        cr_assert_lt(r.inc.times[T_STARTED], end);
        cr_assert_gt(r.inc.times[T_STARTED], end - 12 * 30 * MS_PER_DAY);
        prev = r.inc.times[T_STARTED];
        bool has_mode = false;
        for (size_t t = 0; t < r.inc.tags.n; t++)
            has_mode |= strncmp(r.inc.tags.items[t], "failure-mode:", 13) == 0;
        cr_assert(has_mode, "incident %d has no failure-mode tag", i);
        cr_assert_eq(r.n_findings, 1);
        json_error_t je;
        json_t *ev = json_loads(r.findings[0].evidence, 0, &je);
        cr_assert_not_null(ev, "finding evidence is not JSON: %s", je.text);
        cr_assert_not_null(json_object_get(ev, "series"));
        json_decref(ev);
        for (size_t k = 0; k < r.n_actions; k++) {
            verified += r.actions[k].a.status == AS_VERIFIED;
            no_criterion += r.actions[k].a.success.expr == NULL;
        }
        for (size_t k = 0; k < r.n_sections; k++, sections++)
            thin += strlen(r.sections[k].text) < 20;
        record_release(&r);
    }
    cr_assert(!read_history((int)n + 1, &(struct record){0}), "more files than reported");
    cr_assert_geq(verified, 3, "verified actions: %zu", verified);
    cr_assert_geq(no_criterion, 1);
    cr_assert(thin > 0 && thin < sections / 2, "thin sections %zu of %zu", thin, sections);
}

Test(demo_data, history_is_deterministic_and_replaces_an_earlier_run)
{
    size_t n12 = 0, n2 = 0, again = 0;
    struct err e = ERR_INIT;
    int64_t end = 1772409600000;
    cr_assert_eq(demo_history_write(7, 12, end, root, &n12, &e), 0, "%s", e.msg);
    char path[256], first[1 << 16], second[1 << 16];
    snprintf(path, sizeof(path), "%s/history/incident-001.json", root);
    FILE *f = fopen(path, "rb");
    size_t len1 = fread(first, 1, sizeof(first), f);
    fclose(f);
    cr_assert_eq(demo_history_write(7, 12, end, root, &again, &e), 0, "%s", e.msg);
    cr_assert_eq(again, n12);
    f = fopen(path, "rb");
    size_t len2 = fread(second, 1, sizeof(second), f);
    fclose(f);
    cr_assert(len1 == len2 && memcmp(first, second, len1) == 0, "two runs differ");
    cr_assert_eq(demo_history_write(7, 2, end, root, &n2, &e), 0, "%s", e.msg);
    cr_assert_lt(n2, n12);
    struct record r;
    cr_assert(!read_history((int)n2 + 1, &r), "a document of the longer run was left behind");
    cr_assert_eq(demo_history_write(7, 37, end, root, &n2, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "from 0 to 36"), "%s", e.msg);
}
