/* test_hypothesis.c: the hypothesis score, the refuting rule, statuses, kinds and keys. */
#include "model/hypothesis.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define EPS 1e-9

/* A hypothesis with id, likelihood and impact, not from the analysis (share NAN). */
static struct hypothesis make_hypo(int64_t id, int likelihood, int impact)
{
    struct hypothesis h;
    memset(&h, 0, sizeof(h));
    h.id = id;
    h.incident_id = 1;
    h.likelihood = likelihood;
    h.impact = impact;
    h.status = HS_PROPOSED;
    h.explained_share = NAN;
    return h;
}

static struct evidence make_ev(int64_t hypothesis_id, enum evidence_kind kind, bool supports)
{
    struct evidence ev;
    memset(&ev, 0, sizeof(ev));
    ev.hypothesis_id = hypothesis_id;
    ev.kind = kind;
    ev.supports = supports;
    return ev;
}

static void assert_contains(const char *msg, const char *part)
{
    cr_assert(strstr(msg, part) != NULL, "message '%s' should contain '%s'", msg, part);
}

/* ---- score ---- */

Test(model_hypothesis, score_one_supporting_query)
{
    struct hypothesis h = make_hypo(1, 5, 5);
    struct evidence ev[] = {make_ev(1, EV_QUERY, true)};
    struct hypo_score s = hypothesis_score(&h, ev, 1);
    cr_assert_float_eq(s.prior, 1.0, EPS);
    cr_assert_float_eq(s.supporting, 1.0, EPS);
    cr_assert_float_eq(s.refuting, 0.0, EPS);
    cr_assert_float_eq(s.balance, 0.5, EPS);
    cr_assert_float_eq(s.share, 0.0, EPS);
    cr_assert_float_eq(s.total, 70.0, EPS);
}

Test(model_hypothesis, score_no_evidence)
{
    struct hypothesis h = make_hypo(1, 3, 3);
    struct hypo_score s = hypothesis_score(&h, NULL, 0);
    cr_assert_float_eq(s.prior, 0.36, EPS);
    cr_assert_float_eq(s.balance, 0.0, EPS);
    cr_assert_float_eq(s.supporting, 0.0, EPS);
    cr_assert_float_eq(s.refuting, 0.0, EPS);
    cr_assert_float_eq(s.share, 0.0, EPS);
    cr_assert_float_eq(s.total, 0.4 * 0.36 * 100 + 20, EPS);
    cr_assert_float_eq(s.total, 34.4, EPS);
}

Test(model_hypothesis, score_ignores_other_hypotheses)
{
    struct hypothesis h = make_hypo(2, 5, 5);
    struct evidence ev[] = {
        make_ev(1, EV_QUERY, true),
        make_ev(3, EV_QUERY, false),
        make_ev(2, EV_QUERY, true),
        make_ev(1, EV_FILE, false),
    };
    struct hypo_score s = hypothesis_score(&h, ev, sizeof(ev) / sizeof(ev[0]));
    cr_assert_float_eq(s.supporting, 1.0, EPS);
    cr_assert_float_eq(s.refuting, 0.0, EPS);
    cr_assert_float_eq(s.balance, 0.5, EPS);
    cr_assert_float_eq(s.total, 70.0, EPS);

    /* Only evidence of other hypotheses: the same as none. */
    struct hypothesis lone = make_hypo(9, 3, 3);
    s = hypothesis_score(&lone, ev, sizeof(ev) / sizeof(ev[0]));
    cr_assert_float_eq(s.supporting, 0.0, EPS);
    cr_assert_float_eq(s.refuting, 0.0, EPS);
    cr_assert_float_eq(s.total, 34.4, EPS);
}

Test(model_hypothesis, score_explained_share)
{
    struct hypothesis h = make_hypo(1, 3, 3);
    h.explained_share = 0.5;
    struct hypo_score s = hypothesis_score(&h, NULL, 0);
    cr_assert_float_eq(s.share, 0.5, EPS);
    cr_assert_float_eq(s.total, 34.4 + 20 * 0.5, EPS);

    h.explained_share = 1.0;
    s = hypothesis_score(&h, NULL, 0);
    cr_assert_float_eq(s.share, 1.0, EPS);
    cr_assert_float_eq(s.total, 54.4, EPS);

    h.explained_share = 0.0;
    s = hypothesis_score(&h, NULL, 0);
    cr_assert_float_eq(s.share, 0.0, EPS);
    cr_assert_float_eq(s.total, 34.4, EPS);
}

Test(model_hypothesis, score_weights_refuting_note_and_file)
{
    struct hypothesis h = make_hypo(1, 5, 5);

    /* A refuting note weighs 0.5: balance -0.5 / 1.5. */
    struct evidence note[] = {make_ev(1, EV_NOTE, false)};
    struct hypo_score s = hypothesis_score(&h, note, 1);
    cr_assert_float_eq(s.refuting, 0.5, EPS);
    cr_assert_float_eq(s.supporting, 0.0, EPS);
    cr_assert_float_eq(s.balance, -0.5 / 1.5, EPS);
    cr_assert_float_eq(s.total, 100 * (0.4 + 0.4 * (1 - 0.5 / 1.5) / 2), EPS);

    /* A refuting file weighs 0.75: balance -0.75 / 1.75. */
    struct evidence file[] = {make_ev(1, EV_FILE, false)};
    s = hypothesis_score(&h, file, 1);
    cr_assert_float_eq(s.refuting, 0.75, EPS);
    cr_assert_float_eq(s.balance, -0.75 / 1.75, EPS);
    cr_assert_float_eq(s.total, 100 * (0.4 + 0.4 * (1 - 0.75 / 1.75) / 2), EPS);

    /* Supporting file and query against a refuting note: (1.75 - 0.5) / (2.25 + 1). */
    struct evidence mixed[] = {
        make_ev(1, EV_FILE, true),
        make_ev(1, EV_QUERY, true),
        make_ev(1, EV_NOTE, false),
    };
    s = hypothesis_score(&h, mixed, 3);
    cr_assert_float_eq(s.supporting, 1.75, EPS);
    cr_assert_float_eq(s.refuting, 0.5, EPS);
    cr_assert_float_eq(s.balance, 1.25 / 3.25, EPS);
    cr_assert_float_eq(s.total, 100 * (0.4 + 0.4 * (1 + 1.25 / 3.25) / 2), EPS);
}

Test(model_hypothesis, score_bounds)
{
    /* Judgement alone: 1/5 * 1/5 prior, no evidence. */
    struct hypothesis h = make_hypo(1, 1, 1);
    struct hypo_score s = hypothesis_score(&h, NULL, 0);
    cr_assert_float_eq(s.prior, 0.04, EPS);
    cr_assert_float_eq(s.total, 100 * (0.4 * 0.04 + 0.2), EPS);
    /* 5/5 without evidence reaches 60. */
    h = make_hypo(1, 5, 5);
    s = hypothesis_score(&h, NULL, 0);
    cr_assert_float_eq(s.total, 60.0, EPS);
}

/* ---- status changes ---- */

Test(model_hypothesis, refute_without_evidence_or_note_is_refused)
{
    struct hypothesis h = make_hypo(4, 3, 3);
    struct err e = ERR_INIT;
    cr_assert_eq(hypothesis_check_status(&h, HS_REFUTED, NULL, 0, false, &e), ERR_CONFLICT);
    cr_assert_eq(e.code, ERR_CONFLICT);
    assert_contains(e.msg, "H-4");

    /* Supporting evidence, or refuting evidence of another hypothesis, is not enough. */
    struct evidence ev[] = {
        make_ev(4, EV_QUERY, true),
        make_ev(5, EV_QUERY, false),
        make_ev(3, EV_NOTE, false),
    };
    struct err e2 = ERR_INIT;
    cr_assert_eq(hypothesis_check_status(&h, HS_REFUTED, ev, 3, false, &e2), ERR_CONFLICT);
    cr_assert_eq(e2.code, ERR_CONFLICT);
    assert_contains(e2.msg, "H-4");
}

Test(model_hypothesis, refute_with_note_is_allowed)
{
    struct hypothesis h = make_hypo(4, 3, 3);
    struct err e = ERR_INIT;
    cr_assert_eq(hypothesis_check_status(&h, HS_REFUTED, NULL, 0, true, &e), ERR_OK);
    struct evidence ev[] = {make_ev(4, EV_QUERY, true)};
    cr_assert_eq(hypothesis_check_status(&h, HS_REFUTED, ev, 1, true, &e), ERR_OK);
}

Test(model_hypothesis, refute_with_refuting_evidence_is_allowed)
{
    struct hypothesis h = make_hypo(4, 3, 3);
    struct err e = ERR_INIT;
    for (int k = 0; k < EV__COUNT; k++) {
        struct evidence ev[] = {
            make_ev(7, EV_QUERY, false),
            make_ev(4, EV_QUERY, true),
            make_ev(4, (enum evidence_kind)k, false),
        };
        cr_assert_eq(hypothesis_check_status(&h, HS_REFUTED, ev, 3, false, &e), ERR_OK,
                     "kind %s", evidence_kind_name((enum evidence_kind)k));
    }
}

Test(model_hypothesis, other_moves_are_allowed)
{
    for (int from = 0; from < HS__COUNT; from++) {
        for (int to = 0; to < HS__COUNT; to++) {
            if (to == HS_REFUTED)
                continue;
            struct hypothesis h = make_hypo(2, 3, 3);
            h.status = (enum hypo_status)from;
            struct err e = ERR_INIT;
            cr_assert_eq(hypothesis_check_status(&h, (enum hypo_status)to, NULL, 0, false, &e),
                         ERR_OK, "%s -> %s", hypo_status_name((enum hypo_status)from),
                         hypo_status_name((enum hypo_status)to));
        }
    }
}

/* ---- names and parsing ---- */

Test(model_hypothesis, status_names_and_parse)
{
    static const char *const names[HS__COUNT] = {"proposed", "testing", "confirmed", "refuted"};
    for (int i = 0; i < HS__COUNT; i++) {
        cr_assert_str_eq(hypo_status_name((enum hypo_status)i), names[i]);
        enum hypo_status s = HS__COUNT;
        struct err e = ERR_INIT;
        cr_assert_eq(hypo_status_parse(names[i], &s, &e), ERR_OK);
        cr_assert_eq(s, (enum hypo_status)i);
    }
    enum hypo_status s = HS_PROPOSED;
    struct err e = ERR_INIT;
    cr_assert_eq(hypo_status_parse("Confirmed", &s, &e), ERR_OK);
    cr_assert_eq(s, HS_CONFIRMED);
    cr_assert_eq(hypo_status_parse("REFUTED", &s, &e), ERR_OK);
    cr_assert_eq(s, HS_REFUTED);

    s = HS_TESTING;
    cr_assert_eq(hypo_status_parse("rejected", &s, &e), ERR_INVALID);
    cr_assert_eq(e.code, ERR_INVALID);
    assert_contains(e.msg, "rejected");
    cr_assert_eq(s, HS_TESTING);
    struct err e2 = ERR_INIT;
    cr_assert_eq(hypo_status_parse("", &s, &e2), ERR_INVALID);
    cr_assert_str_eq(hypo_status_name(HS__COUNT), "?");
}

Test(model_hypothesis, evidence_kind_names_and_parse)
{
    static const char *const names[EV__COUNT] = {"query", "file", "note"};
    for (int i = 0; i < EV__COUNT; i++) {
        cr_assert_str_eq(evidence_kind_name((enum evidence_kind)i), names[i]);
        enum evidence_kind k = EV__COUNT;
        cr_assert_eq(evidence_kind_parse(names[i], &k), ERR_OK);
        cr_assert_eq(k, (enum evidence_kind)i);
    }
    enum evidence_kind k = EV_FILE;
    cr_assert_eq(evidence_kind_parse("image", &k), ERR_INVALID);
    cr_assert_eq(evidence_kind_parse("", &k), ERR_INVALID);
    cr_assert_eq(k, EV_FILE);
    cr_assert_str_eq(evidence_kind_name(EV__COUNT), "?");
}

Test(model_hypothesis, key_format)
{
    char key[32];
    hypothesis_key(3, key);
    cr_assert_str_eq(key, "H-3");
    hypothesis_key(1234567, key);
    cr_assert_str_eq(key, "H-1234567");
}

Test(model_hypothesis, key_parse_accepts)
{
    static const struct {
        const char *text;
        int64_t id;
    } ok[] = {{"H-3", 3}, {"h-3", 3}, {"3", 3}, {"H-12", 12}, {"42", 42}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int64_t id = -1;
        struct err e = ERR_INIT;
        cr_assert_eq(hypothesis_key_parse(ok[i].text, &id, &e), ERR_OK, "'%s'", ok[i].text);
        cr_assert_eq(id, ok[i].id, "'%s'", ok[i].text);
    }
}

Test(model_hypothesis, key_parse_refuses)
{
    static const char *const bad[] = {"H-0", "H-", "X-3", "H-3x", "", "0", "-3", "H--3",
                                      "H-03", "H 3", "A-3"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t id = -1;
        struct err e = ERR_INIT;
        cr_assert_eq(hypothesis_key_parse(bad[i], &id, &e), ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(e.code, ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(id, -1, "'%s' wrote the id", bad[i]);
        assert_contains(e.msg, bad[i]);
    }
}

Test(model_hypothesis, rating_parse_range)
{
    for (int v = 1; v <= 5; v++) {
        char text[8];
        snprintf(text, sizeof(text), "%d", v);
        int r = 0;
        struct err e = ERR_INIT;
        cr_assert_eq(rating_parse("likelihood", text, &r, &e), ERR_OK, "'%s'", text);
        cr_assert_eq(r, v);
    }
    static const char *const bad[] = {"0", "6", "-1", "", "3.5", "x", " 3", "3 ", "10"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int r = 42;
        struct err e = ERR_INIT;
        cr_assert_eq(rating_parse("impact", bad[i], &r, &e), ERR_INVALID, "'%s'", bad[i]);
        cr_assert_eq(e.code, ERR_INVALID);
        cr_assert_eq(r, 42, "'%s' wrote the rating", bad[i]);
        assert_contains(e.msg, "impact");
    }
}
