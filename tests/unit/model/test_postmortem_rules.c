/* test_postmortem_rules.c: the template file format and the checklist's stage conditions. */
#include "model/checklist.h"
#include "model/template.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

Test(model_template, default_has_the_standard_sections)
{
    struct template t;
    template_default(&t);
    cr_assert_str_eq(t.name, "default");
    cr_assert_eq(t.n, 13);
    const char *required[] = {"summary", "impact", "timeline", "root-causes", "detection",
                              "resolution", "action-items", "lessons-learned"};
    size_t n_required = 0;
    for (size_t i = 0; i < t.n; i++)
        n_required += t.sections[i].required;
    cr_assert_eq(n_required, 8);
    for (size_t i = 0; i < 8; i++) {
        const struct template_section *s = template_section(&t, required[i]);
        cr_assert_not_null(s, "%s", required[i]);
        cr_assert(s->required);
        cr_assert(strlen(s->prompt) > 10, "every section says what it must answer");
    }
    cr_assert_not_null(template_section(&t, "lucky"));
    cr_assert_null(template_section(&t, "nope"));
    template_release(&t);
}

Test(model_template, parse_and_round_trip)
{
    const char *text = "# comment\nname: short\ndescription: Three questions\n\n"
                       "[what] What happened (required)\nIn one paragraph.\nWith detail.\n\n"
                       "  [why] Why\n# a comment inside\nThe cause.\n";
    struct template t;
    struct err e = ERR_INIT;
    cr_assert_eq(template_parse(text, &t, &e), ERR_OK, "%s", e.msg);
    cr_assert_str_eq(t.name, "short");
    cr_assert_str_eq(t.description, "Three questions");
    cr_assert_eq(t.n, 2);
    cr_assert_str_eq(t.sections[0].id, "what");
    cr_assert_str_eq(t.sections[0].title, "What happened");
    cr_assert(t.sections[0].required);
    cr_assert_str_eq(t.sections[0].prompt, "In one paragraph.\nWith detail.");
    cr_assert_str_eq(t.sections[1].title, "Why");
    cr_assert(!t.sections[1].required);
    char *again = template_to_text(&t);
    struct template u;
    cr_assert_eq(template_parse(again, &u, &e), ERR_OK, "%s", e.msg);
    char *third = template_to_text(&u);
    cr_assert_str_eq(again, third, "printing is stable");
    free(again);
    free(third);
    template_release(&u);
    template_release(&t);
}

static void refused(const char *text, unsigned line, const char *part)
{
    struct template t;
    struct err e = ERR_INIT;
    cr_assert_eq(template_parse(text, &t, &e), ERR_INVALID, "%s", text);
    cr_assert_eq(e.line, line, "line %u for %s", e.line, text);
    cr_assert(strstr(e.msg, part), "'%s' lacks '%s'", e.msg, part);
}

Test(model_template, refusals)
{
    refused("name: ok\n[a] A\n[a] B\n", 3, "defined twice");
    refused("name: Bad Name\n[a] A\n", 1, "only a-z");
    refused("title: x\n[a] A\n", 1, "unknown header");
    refused("name: x\n[A b] A\n", 2, "a section starts with [id]");
    refused("name: x\n[a]\n", 2, "has no title");
    refused("name: x\n", 0, "no sections");
    refused("[a] A\n", 0, "missing 'name");
    refused("just text\n", 1, "expected 'name");
    refused("name: x\n[a] A\x01\n", 2, "control character");
}

static struct checklist_facts facts(void)
{
    struct checklist_facts f;
    memset(&f, 0, sizeof(f));
    return f;
}

static bool check(enum stage s, const struct checklist_facts *f, const char *want)
{
    struct buf missing = BUF_INIT;
    bool holds = checklist_condition(s, f, &missing);
    if (want)
        cr_assert(strstr(buf_str(&missing), want), "'%s' lacks '%s'", buf_str(&missing), want);
    else
        cr_assert_str_eq(buf_str(&missing), "");
    buf_release(&missing);
    return holds;
}

Test(model_checklist, conditions)
{
    struct checklist_facts f = facts();
    cr_assert(!check(STAGE_DATA_ACCESS, &f, "no evidence for the incident's window"));
    f.query_evidence = true;
    cr_assert(check(STAGE_DATA_ACCESS, &f, NULL));
    cr_assert(!check(STAGE_HYPOTHESIS_VALIDATION, &f, "no confirmed hypothesis"));
    f.confirmed_with_support = true;
    cr_assert(check(STAGE_HYPOTHESIS_VALIDATION, &f, NULL));
    cr_assert(!check(STAGE_IMPLEMENTATION, &f, "no corrective actions"));
    f.actions = 2;
    f.actions_closed = 1;
    buf_puts(&f.open_actions, "A-2 (doing)");
    cr_assert(!check(STAGE_IMPLEMENTATION, &f, "actions not done: A-2 (doing)"));
    f.actions_closed = 2;
    cr_assert(check(STAGE_IMPLEMENTATION, &f, NULL));
    cr_assert(!check(STAGE_MONITORING, &f, "no done action measures success"));
    f.measured_or_monitoring = true;
    cr_assert(check(STAGE_MONITORING, &f, NULL));
    cr_assert(!check(STAGE_REVIEW, &f, "no action with success criteria"));
    f.success_actions = 1;
    buf_puts(&f.unverified, "A-1 (done)");
    cr_assert(!check(STAGE_REVIEW, &f, "success not verified for: A-1 (done)"));
    f.success_verified = 1;
    cr_assert(check(STAGE_REVIEW, &f, NULL));
    buf_release(&f.open_actions);
    buf_release(&f.unverified);
}

Test(model_checklist, names)
{
    enum stage s;
    struct err e = ERR_INIT;
    for (int i = 0; i < STAGE__COUNT; i++) {
        cr_assert_eq(stage_parse(stage_name((enum stage)i), &s, &e), ERR_OK);
        cr_assert_eq(s, (enum stage)i);
    }
    cr_assert_eq(stage_parse("Post-Implementation-Review", &s, &e), ERR_OK);
    cr_assert_eq(s, STAGE_REVIEW);
    cr_assert_eq(stage_parse("review", &s, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "unknown checklist stage 'review'"));
}
