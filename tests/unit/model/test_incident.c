/* test_incident.c: the incident record's pure rules. */
#define _POSIX_C_SOURCE 200809L
#include "core/timefmt.h"
#include "model/incident.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1772625600000) /* 2026-03-04T12:00:00Z */

static void assert_contains(const char *msg, const char *part)
{
    cr_assert(strstr(msg, part) != NULL, "message '%s' should contain '%s'", msg, part);
}

static void set_times(int64_t times[T__COUNT], int64_t s, int64_t d, int64_t a, int64_t m,
                      int64_t r)
{
    times[T_STARTED] = s;
    times[T_DETECTED] = d;
    times[T_ACKNOWLEDGED] = a;
    times[T_MITIGATED] = m;
    times[T_RESOLVED] = r;
}

/* An incident with every field set. */
static void make_full(struct incident *inc)
{
    incident_init(inc);
    inc->id = 4;
    inc->seq = 12;
    inc->title = strdup("Checkout errors");
    inc->summary = strdup("Payments failed.\nRolled back.");
    inc->owner = strdup("alice");
    inc->severity = SEV2;
    inc->status = ST_RESOLVED;
    set_times(inc->times, T0, T0 + 5 * MS_PER_MINUTE, T0 + 7 * MS_PER_MINUTE,
              T0 + 30 * MS_PER_MINUTE, T0 + 2 * MS_PER_HOUR);
    inc->affected_users = 1500;
    inc->revenue_lost = 1234.5;
    inc->support_tickets = 42;
    inc->reopen_count = 1;
    strlist_push(&inc->services, "checkout");
    strlist_push(&inc->services, "payments");
    strlist_push(&inc->segments, "platform=android");
    strlist_push(&inc->tags, "failure-mode:bad-deploy");
    strlist_push(&inc->tags, "team:payments");
    incident_add_signal(inc, "checkout-errors", T0 + 2 * MS_PER_MINUTE);
    incident_add_signal(inc, "latency", T0 + 3 * MS_PER_MINUTE + 250);
}

static void assert_field(const struct incident *inc, enum incident_field f, const char *want)
{
    char *got = incident_field_text(inc, f);
    cr_assert_str_eq(got, want, "field %s", incident_field_name(f));
    free(got);
}

/* ---- init / release / copy ---- */

Test(incident, init_marks_everything_unknown)
{
    struct incident inc;
    memset(&inc, 0xab, sizeof(inc));
    incident_init(&inc);
    cr_assert_null(inc.title);
    cr_assert_null(inc.summary);
    cr_assert_null(inc.owner);
    cr_assert_eq(inc.severity, SEV_NONE);
    cr_assert_eq(inc.status, ST_OPEN);
    for (int t = 0; t < T__COUNT; t++)
        cr_assert_eq(inc.times[t], TIME_UNSET);
    cr_assert_eq(inc.affected_users, -1);
    cr_assert_eq(inc.support_tickets, -1);
    cr_assert(isnan(inc.revenue_lost));
    cr_assert_eq(inc.services.n, 0);
    cr_assert_eq(inc.n_signals, 0);
    cr_assert_eq(inc.id, 0);
    cr_assert_eq(inc.seq, 0);
    incident_release(&inc);
}

Test(incident, release_resets)
{
    struct incident inc;
    make_full(&inc);
    incident_release(&inc);
    cr_assert_null(inc.title);
    cr_assert_eq(inc.n_signals, 0);
    cr_assert_null(inc.signals);
    cr_assert_eq(inc.tags.n, 0);
    cr_assert_eq(inc.times[T_STARTED], TIME_UNSET);
    incident_release(&inc); /* twice is harmless */
}

Test(incident, copy_is_deep)
{
    struct incident src, dst;
    make_full(&src);
    incident_init(&dst);
    dst.title = strdup("to be replaced");
    strlist_push(&dst.tags, "old:tag");
    incident_copy(&dst, &src);
    for (int f = 0; f < F__COUNT; f++) {
        char *a = incident_field_text(&src, (enum incident_field)f);
        char *b = incident_field_text(&dst, (enum incident_field)f);
        cr_assert_str_eq(a, b, "field %s", incident_field_name((enum incident_field)f));
        free(a);
        free(b);
    }
    cr_assert_eq(dst.id, 4);
    cr_assert_eq(dst.seq, 12);
    cr_assert_neq(dst.title, src.title);
    cr_assert_neq(dst.services.items, src.services.items);
    cr_assert_neq(dst.signals, src.signals);

    /* modify the copy: the original is unchanged */
    dst.title[0] = 'X';
    strlist_push(&dst.services, "search");
    strlist_remove(&dst.tags, "team:payments");
    dst.signals[0].name[0] = 'Z';
    incident_add_signal(&dst, "extra", T0);
    dst.times[T_RESOLVED] = TIME_UNSET;
    dst.affected_users = 1;

    assert_field(&src, F_TITLE, "Checkout errors");
    assert_field(&src, F_SERVICES, "checkout, payments");
    assert_field(&src, F_TAGS, "failure-mode:bad-deploy, team:payments");
    assert_field(&src, F_SIGNALS, "checkout-errors@2026-03-04T12:02:00Z, "
                                  "latency@2026-03-04T12:03:00.250Z");
    assert_field(&src, F_RESOLVED, "2026-03-04T14:00:00Z");
    assert_field(&src, F_AFFECTED_USERS, "1500");
    assert_field(&dst, F_TITLE, "Xheckout errors");
    assert_field(&dst, F_SERVICES, "checkout, payments, search");
    assert_field(&dst, F_SIGNALS, "Zheckout-errors@2026-03-04T12:02:00Z, "
                                  "latency@2026-03-04T12:03:00.250Z, extra@2026-03-04T12:00:00Z");
    incident_release(&src);
    incident_release(&dst);
}

Test(incident, copy_of_null_strings)
{
    struct incident src, dst;
    incident_init(&src);
    incident_init(&dst);
    src.title = strdup("t");
    incident_copy(&dst, &src);
    cr_assert_str_eq(dst.title, "t");
    cr_assert_null(dst.summary);
    cr_assert_null(dst.owner);
    cr_assert_null(dst.signals);
    incident_release(&src);
    incident_release(&dst);
}

/* ---- keys and severities ---- */

Test(incident_key, format)
{
    char key[INCIDENT_KEY_MAX];
    incident_key(12, key);
    cr_assert_str_eq(key, "INC-12");
    incident_key(1, key);
    cr_assert_str_eq(key, "INC-1");
}

Test(incident_key, parse_accepts)
{
    struct err e = ERR_INIT;
    int64_t seq = 0;
    cr_assert_eq(incident_key_parse("INC-12", &seq, &e), ERR_OK);
    cr_assert_eq(seq, 12);
    seq = 0;
    cr_assert_eq(incident_key_parse("inc-12", &seq, &e), ERR_OK);
    cr_assert_eq(seq, 12);
    seq = 0;
    cr_assert_eq(incident_key_parse("Inc-7", &seq, &e), ERR_OK);
    cr_assert_eq(seq, 7);
    seq = 0;
    cr_assert_eq(incident_key_parse("12", &seq, &e), ERR_OK);
    cr_assert_eq(seq, 12);
}

Test(incident_key, parse_refuses)
{
    static const char *const bad[] = {
        "INC-", "INC-x", "INC--1", "0", "INC-0", "-1", "+3", "INC-+3", "", "INC 12", "INC12",
        "12 ", " 12", "INC-1x", "X-12", "99999999999999999999",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err e = ERR_INIT;
        int64_t seq = 77;
        cr_assert_eq(incident_key_parse(bad[i], &seq, &e), ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(seq, 77, "'%s' must not write the output", bad[i]);
        assert_contains(e.msg, "invalid incident key");
        assert_contains(e.msg, "expected INC-<number>");
    }
    struct err e = ERR_INIT;
    int64_t seq;
    incident_key_parse("INC-x", &seq, &e);
    cr_assert_str_eq(e.msg, "invalid incident key 'INC-x' (expected INC-<number>)");
}

Test(severity, names)
{
    cr_assert_str_eq(severity_name(SEV1), "SEV1");
    cr_assert_str_eq(severity_name(SEV4), "SEV4");
    cr_assert_str_eq(severity_name(SEV_NONE), "-");
    cr_assert_str_eq(severity_name((enum severity)9), "?");
}

Test(severity, parse_accepts)
{
    static const struct {
        const char *s;
        enum severity want;
    } ok[] = {{"SEV2", SEV2}, {"sev2", SEV2}, {"Sev2", SEV2}, {"2", SEV2},
              {"SEV1", SEV1}, {"4", SEV4},    {"sev3", SEV3}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct err e = ERR_INIT;
        enum severity got = SEV_NONE;
        cr_assert_eq(severity_parse(ok[i].s, &got, &e), ERR_OK, "'%s'", ok[i].s);
        cr_assert_eq(got, ok[i].want, "'%s'", ok[i].s);
    }
}

Test(severity, parse_refuses)
{
    static const char *const bad[] = {"SEV5", "", "SEV0", "0", "5", "SEV", "SEV22", "SEV 2",
                                      "S2", "2 ", "sev-1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err e = ERR_INIT;
        enum severity got = SEV3;
        cr_assert_eq(severity_parse(bad[i], &got, &e), ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(got, SEV3);
        assert_contains(e.msg, "unknown severity");
    }
    struct err e = ERR_INIT;
    enum severity got;
    severity_parse("SEV5", &got, &e);
    cr_assert_str_eq(e.msg, "unknown severity 'SEV5' (expected SEV1, SEV2, SEV3 or SEV4)");
}

/* ---- times ---- */

Test(incident_times, names)
{
    cr_assert_str_eq(incident_time_name(T_STARTED), "started");
    cr_assert_str_eq(incident_time_name(T_DETECTED), "detected");
    cr_assert_str_eq(incident_time_name(T_ACKNOWLEDGED), "acknowledged");
    cr_assert_str_eq(incident_time_name(T_MITIGATED), "mitigated");
    cr_assert_str_eq(incident_time_name(T_RESOLVED), "resolved");
}

Test(incident_times, started_is_required)
{
    int64_t times[T__COUNT];
    set_times(times, TIME_UNSET, TIME_UNSET, TIME_UNSET, TIME_UNSET, TIME_UNSET);
    struct err e = ERR_INIT;
    cr_assert_eq(incident_check_times(times, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "the started time is required");
    set_times(times, TIME_UNSET, T0, TIME_UNSET, TIME_UNSET, TIME_UNSET);
    cr_assert_eq(incident_check_times(times, NULL), ERR_INVALID);
}

Test(incident_times, ordered_and_equal_times_pass)
{
    int64_t times[T__COUNT];
    struct err e = ERR_INIT;
    set_times(times, T0, TIME_UNSET, TIME_UNSET, TIME_UNSET, TIME_UNSET);
    cr_assert_eq(incident_check_times(times, &e), ERR_OK);
    set_times(times, T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4);
    cr_assert_eq(incident_check_times(times, &e), ERR_OK);
    set_times(times, T0, T0, T0, T0, T0);
    cr_assert_eq(incident_check_times(times, &e), ERR_OK, "equal times are ordered");
}

Test(incident_times, detected_before_started)
{
    int64_t times[T__COUNT];
    set_times(times, T0, T0 - 1000, TIME_UNSET, TIME_UNSET, TIME_UNSET);
    struct err e = ERR_INIT;
    cr_assert_eq(incident_check_times(times, &e), ERR_INVALID);
    cr_assert_eq(e.code, ERR_INVALID);
    assert_contains(e.msg, "detected time 2026-03-04T11:59:59Z is before started time "
                           "2026-03-04T12:00:00Z");
    assert_contains(e.msg, "started <= detected <= acknowledged <= mitigated <= resolved");
}

Test(incident_times, unset_times_are_skipped)
{
    int64_t times[T__COUNT];
    struct err e = ERR_INIT;
    /* resolved after started, the ones between unset: fine */
    set_times(times, T0, TIME_UNSET, TIME_UNSET, TIME_UNSET, T0 + MS_PER_HOUR);
    cr_assert_eq(incident_check_times(times, &e), ERR_OK);
    /* resolved is compared with the last set time (acknowledged), not with the unset mitigated */
    set_times(times, T0, TIME_UNSET, T0 + 10 * MS_PER_MINUTE, TIME_UNSET, T0 + 5 * MS_PER_MINUTE);
    cr_assert_eq(incident_check_times(times, &e), ERR_INVALID);
    assert_contains(e.msg, "resolved time 2026-03-04T12:05:00Z is before acknowledged time "
                           "2026-03-04T12:10:00Z");
}

Test(incident_times, mitigated_before_acknowledged)
{
    int64_t times[T__COUNT];
    set_times(times, T0, T0 + 1000, T0 + 3000, T0 + 2000, T0 + 4000);
    struct err e = ERR_INIT;
    cr_assert_eq(incident_check_times(times, &e), ERR_INVALID);
    assert_contains(e.msg, "mitigated time 2026-03-04T12:00:02Z is before acknowledged time "
                           "2026-03-04T12:00:03Z");
}

Test(incident_times, derived_durations)
{
    struct incident inc;
    make_full(&inc);
    cr_assert_eq(incident_time_to_detect(&inc), 5 * MS_PER_MINUTE);
    cr_assert_eq(incident_time_to_acknowledge(&inc), 2 * MS_PER_MINUTE);
    cr_assert_eq(incident_time_to_mitigate(&inc), 30 * MS_PER_MINUTE);
    cr_assert_eq(incident_time_to_resolve(&inc), 2 * MS_PER_HOUR);
    inc.times[T_DETECTED] = TIME_UNSET;
    cr_assert_eq(incident_time_to_detect(&inc), TIME_UNSET);
    cr_assert_eq(incident_time_to_acknowledge(&inc), TIME_UNSET);
    cr_assert_eq(incident_time_to_mitigate(&inc), 30 * MS_PER_MINUTE);
    inc.times[T_STARTED] = TIME_UNSET;
    cr_assert_eq(incident_time_to_mitigate(&inc), TIME_UNSET);
    cr_assert_eq(incident_time_to_resolve(&inc), TIME_UNSET);
    incident_release(&inc);
}

/* ---- text, tags, segments ---- */

Test(text_check, rules)
{
    struct err e = ERR_INIT;
    cr_assert_eq(text_check("title", "ok", 10, false, &e), ERR_OK);
    cr_assert_eq(text_check("title", "0123456789", 10, false, &e), ERR_OK);
    cr_assert_eq(text_check("title", "01234567890", 10, false, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "title is too long (11 bytes, at most 10)");
    cr_assert_eq(text_check("title", "", 10, false, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "title must not be empty");
    cr_assert_eq(text_check("title", "a\tb", 10, false, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "title contains a control character (byte 0x09 at offset 1)");
    cr_assert_eq(text_check("summary", "a\tb\nc", 10, true, &e), ERR_OK);
    cr_assert_eq(text_check("summary", "a\rb", 10, true, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "summary contains a control character (byte 0x0d at offset 1)");
    cr_assert_eq(text_check("summary", "ab\x7f", 10, true, &e), ERR_INVALID);
    assert_contains(e.msg, "byte 0x7f at offset 2");
    cr_assert_eq(text_check("title", "caf\xc3\xa9", 10, false, &e), ERR_OK, "UTF-8 is fine");
}

Test(tags, accepted)
{
    static const char *const ok[] = {
        "service:checkout", "segment:platform=android", "failure-mode:bad-deploy", "a:b",
        "team.x_y-9:Value With Spaces", "0ns:v", "ns:a:b",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct err e = ERR_INIT;
        cr_assert_eq(tag_check(ok[i], &e), ERR_OK, "'%s': %s", ok[i], e.msg);
    }
}

Test(tags, refused)
{
    static const struct {
        const char *tag, *why;
    } bad[] = {
        {"Service:x", "must start with a lowercase letter or digit"},
        {"nocolon", "expected namespace:value"},
        {":x", "expected namespace:value"},
        {"x:", "expected namespace:value"},
        {"", "expected namespace:value"},
        {"-x:y", "must start with a lowercase letter or digit"},
        {"sErvice:x", "may hold only a-z, 0-9"},
        {"ser vice:x", "may hold only a-z, 0-9"},
        {"se\x01rvice:x", "may hold only a-z, 0-9"},
        {"service:a\x01", "contains a control character"},
        {"service:a\nb", "contains a control character"},
        {"service:a\x7f", "contains a control character"},
        {"platform=android", "expected namespace:value"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err e = ERR_INIT;
        cr_assert_eq(tag_check(bad[i].tag, &e), ERR_INVALID, "tag #%zu", i);
        assert_contains(e.msg, bad[i].why);
    }
    struct err e = ERR_INIT;
    tag_check("nocolon", &e);
    cr_assert_str_eq(e.msg, "invalid tag 'nocolon' (expected namespace:value, like "
                            "service:checkout)");
}

Test(tags, value_length_is_bounded)
{
    char tag[NAME_MAX_LEN + 8];
    memcpy(tag, "ns:", 3);
    memset(tag + 3, 'v', NAME_MAX_LEN);
    tag[3 + NAME_MAX_LEN] = '\0';
    struct err e = ERR_INIT;
    cr_assert_eq(tag_check(tag, &e), ERR_OK);
    tag[3 + NAME_MAX_LEN] = 'v';
    tag[4 + NAME_MAX_LEN] = '\0';
    cr_assert_eq(tag_check(tag, &e), ERR_INVALID);
    assert_contains(e.msg, "is too long");
}

Test(segments, accepted_and_refused)
{
    struct err e = ERR_INIT;
    cr_assert_eq(segment_check("platform=android", &e), ERR_OK);
    cr_assert_eq(segment_check("region=eu-west-1", &e), ERR_OK);
    cr_assert_eq(segment_check("a=b=c", &e), ERR_OK);
    static const char *const bad[] = {
        "platform:android", "Platform=android", "=android", "platform=", "noequals",
        "platform=and\x01roid", "plat form=android",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err e2 = ERR_INIT;
        cr_assert_eq(segment_check(bad[i], &e2), ERR_INVALID, "'%s'", bad[i]);
        assert_contains(e2.msg, "segment");
    }
    segment_check("noequals", &e);
    cr_assert_str_eq(e.msg, "invalid segment 'noequals' (expected key=value, like "
                            "platform=android)");
}

/* ---- signals ---- */

Test(signals, parse)
{
    struct err e = ERR_INIT;
    struct signal sig = {NULL, 0};
    cr_assert_eq(signal_parse("checkout-errors@2026-03-04T14:07:00Z", &sig, &e), ERR_OK);
    cr_assert_str_eq(sig.name, "checkout-errors");
    cr_assert_eq(sig.at, INT64_C(1772633220000));
    free(sig.name);
    /* the last '@' splits */
    cr_assert_eq(signal_parse("alert@host@2026-03-04", &sig, &e), ERR_OK);
    cr_assert_str_eq(sig.name, "alert@host");
    cr_assert_eq(sig.at, INT64_C(1772582400000));
    free(sig.name);
}

Test(signals, parse_errors)
{
    static const char *const shape[] = {"nosign", "@2026-03-04T14:07:00Z", "name@", ""};
    for (size_t i = 0; i < sizeof(shape) / sizeof(shape[0]); i++) {
        struct err e = ERR_INIT;
        struct signal sig = {NULL, 0};
        cr_assert_eq(signal_parse(shape[i], &sig, &e), ERR_INVALID, "'%s'", shape[i]);
        cr_assert_null(sig.name);
        assert_contains(e.msg, "expected NAME@TIME");
    }
    struct err e = ERR_INIT;
    struct signal sig = {NULL, 0};
    cr_assert_eq(signal_parse("name@2026-03-04T14:07:00", &sig, &e), ERR_INVALID);
    cr_assert_null(sig.name);
    assert_contains(e.msg, "missing time zone offset");
    cr_assert_eq(signal_parse("na\x01me@2026-03-04T14:07:00Z", &sig, &e), ERR_INVALID);
    cr_assert_null(sig.name);
    assert_contains(e.msg, "signal name contains a control character");
}

Test(signals, add_and_remove)
{
    struct incident inc;
    incident_init(&inc);
    for (int i = 0; i < 20; i++)
        incident_add_signal(&inc, i % 2 ? "odd" : "even", T0 + i);
    cr_assert_eq(inc.n_signals, 20);
    cr_assert(incident_remove_signal(&inc, "odd"));
    cr_assert_eq(inc.n_signals, 10);
    for (size_t i = 0; i < inc.n_signals; i++) {
        cr_assert_str_eq(inc.signals[i].name, "even");
        cr_assert_eq(inc.signals[i].at, T0 + 2 * (int64_t)i, "order kept");
    }
    cr_assert(!incident_remove_signal(&inc, "odd"));
    cr_assert(!incident_remove_signal(&inc, "ev"));
    cr_assert_eq(inc.n_signals, 10);
    incident_release(&inc);
}

/* ---- validation ---- */

Test(incident_validate, full_record_is_valid)
{
    struct incident inc;
    make_full(&inc);
    struct err e = ERR_INIT;
    cr_assert_eq(incident_validate(&inc, &e), ERR_OK, "%s", e.msg);
    incident_release(&inc);
}

Test(incident_validate, refusals)
{
    struct incident inc;
    struct err e = ERR_INIT;

    make_full(&inc);
    free(inc.title);
    inc.title = NULL;
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "a title is required");
    incident_release(&inc);

    make_full(&inc);
    inc.title[3] = '\x1b';
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "title contains a control character (byte 0x1b at offset 3)");
    incident_release(&inc);

    make_full(&inc);
    inc.title[3] = '\n';
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID, "no newline in a title");
    assert_contains(e.msg, "title contains a control character");
    incident_release(&inc);

    make_full(&inc);
    free(inc.title);
    inc.title = malloc(TITLE_MAX + 2);
    memset(inc.title, 't', TITLE_MAX + 1);
    inc.title[TITLE_MAX + 1] = '\0';
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    assert_contains(e.msg, "title is too long");
    incident_release(&inc);

    make_full(&inc);
    inc.severity = SEV_NONE;
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    assert_contains(e.msg, "a severity is required");
    incident_release(&inc);

    make_full(&inc);
    strlist_push(&inc.tags, "Bad:tag");
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    assert_contains(e.msg, "invalid tag 'Bad:tag'");
    incident_release(&inc);

    make_full(&inc);
    strlist_push(&inc.segments, "nokey");
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    assert_contains(e.msg, "invalid segment 'nokey'");
    incident_release(&inc);

    make_full(&inc);
    strlist_push(&inc.services, "bad\tservice");
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    assert_contains(e.msg, "service contains a control character");
    incident_release(&inc);

    make_full(&inc);
    inc.affected_users = -2;
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "counts must not be negative");
    incident_release(&inc);

    make_full(&inc);
    inc.revenue_lost = -0.5;
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    cr_assert_str_eq(e.msg, "revenue lost must be a number >= 0");
    incident_release(&inc);

    make_full(&inc);
    inc.revenue_lost = INFINITY;
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    incident_release(&inc);

    make_full(&inc);
    inc.times[T_RESOLVED] = T0 - 1;
    cr_assert_eq(incident_validate(&inc, &e), ERR_INVALID);
    assert_contains(e.msg, "resolved time");
    incident_release(&inc);
}

Test(incident_validate, unknowns_are_valid)
{
    struct incident inc;
    incident_init(&inc);
    inc.title = strdup("Minimal");
    inc.severity = SEV4;
    inc.times[T_STARTED] = T0;
    struct err e = ERR_INIT;
    cr_assert_eq(incident_validate(&inc, &e), ERR_OK, "%s", e.msg);
    incident_release(&inc);
}

/* ---- field text ---- */

Test(incident_field, names)
{
    cr_assert_str_eq(incident_field_name(F_TITLE), "title");
    cr_assert_str_eq(incident_field_name(F_STARTED), "started");
    cr_assert_str_eq(incident_field_name(F_RESOLVED), "resolved");
    cr_assert_str_eq(incident_field_name(F_AFFECTED_USERS), "affected_users");
    cr_assert_str_eq(incident_field_name(F_REOPEN_COUNT), "reopen_count");
    cr_assert_str_eq(incident_field_name(F__COUNT), "?");
}

Test(incident_field, text_of_full_record)
{
    struct incident inc;
    make_full(&inc);
    assert_field(&inc, F_TITLE, "Checkout errors");
    assert_field(&inc, F_SUMMARY, "Payments failed.\nRolled back.");
    assert_field(&inc, F_SEVERITY, "SEV2");
    assert_field(&inc, F_STATUS, "resolved");
    assert_field(&inc, F_STARTED, "2026-03-04T12:00:00Z");
    assert_field(&inc, F_DETECTED, "2026-03-04T12:05:00Z");
    assert_field(&inc, F_ACKNOWLEDGED, "2026-03-04T12:07:00Z");
    assert_field(&inc, F_MITIGATED, "2026-03-04T12:30:00Z");
    assert_field(&inc, F_RESOLVED, "2026-03-04T14:00:00Z");
    assert_field(&inc, F_OWNER, "alice");
    assert_field(&inc, F_SERVICES, "checkout, payments");
    assert_field(&inc, F_SEGMENTS, "platform=android");
    assert_field(&inc, F_TAGS, "failure-mode:bad-deploy, team:payments");
    assert_field(&inc, F_SIGNALS, "checkout-errors@2026-03-04T12:02:00Z, "
                                  "latency@2026-03-04T12:03:00.250Z");
    assert_field(&inc, F_AFFECTED_USERS, "1500");
    assert_field(&inc, F_REVENUE_LOST, "1234.50");
    assert_field(&inc, F_SUPPORT_TICKETS, "42");
    assert_field(&inc, F_REOPEN_COUNT, "1");
    incident_release(&inc);
}

Test(incident_field, text_of_unknowns)
{
    struct incident inc;
    incident_init(&inc);
    for (int f = 0; f < F__COUNT; f++) {
        enum incident_field fld = (enum incident_field)f;
        const char *want = fld == F_STATUS ? "open" : fld == F_REOPEN_COUNT ? "0" : "";
        assert_field(&inc, fld, want);
    }
    /* zero is a known value, different from unknown */
    inc.affected_users = 0;
    inc.support_tickets = 0;
    inc.revenue_lost = 0;
    assert_field(&inc, F_AFFECTED_USERS, "0");
    assert_field(&inc, F_SUPPORT_TICKETS, "0");
    assert_field(&inc, F_REVENUE_LOST, "0.00");
    char *s = incident_field_text(&inc, F__COUNT);
    cr_assert_str_eq(s, "");
    free(s);
    incident_release(&inc);
}

Test(incident, impact_ends_at_mitigation_else_resolution_else_now)
{
    struct incident inc;
    incident_init(&inc);
    int64_t t0 = 1772805900000; /* 2026-03-06T14:05:00Z */
    inc.times[T_STARTED] = t0;
    cr_assert_eq(incident_impact_end(&inc, t0 + 90 * MS_PER_MINUTE), t0 + 90 * MS_PER_MINUTE);
    inc.times[T_RESOLVED] = t0 + 120 * MS_PER_MINUTE;
    cr_assert_eq(incident_impact_end(&inc, t0 + 900 * MS_PER_MINUTE), t0 + 120 * MS_PER_MINUTE);
    inc.times[T_MITIGATED] = t0 + 86 * MS_PER_MINUTE;
    cr_assert_eq(incident_impact_end(&inc, t0), t0 + 86 * MS_PER_MINUTE);
    /* a clock before the start (a pinned past "now"): still a minute of impact */
    inc.times[T_MITIGATED] = inc.times[T_RESOLVED] = TIME_UNSET;
    cr_assert_eq(incident_impact_end(&inc, t0 - MS_PER_HOUR), t0 + MS_PER_MINUTE);
    incident_release(&inc);
}
