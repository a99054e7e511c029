/* record.c: the lifetime of a whole incident record (model/record.h). */
#include "model/record.h"

#include <stdlib.h>
#include <string.h>

void record_init(struct record *r)
{
    memset(r, 0, sizeof(*r));
    incident_init(&r->inc);
}

void record_evidence_release(struct record_evidence *x)
{
    evidence_release(&x->ev);
    free(x->data);
    x->data = NULL;
    x->len = 0;
}

void record_hypothesis_release(struct record_hypothesis *x)
{
    hypothesis_release(&x->h);
    for (size_t i = 0; i < x->n_evidence; i++)
        record_evidence_release(&x->evidence[i]);
    free(x->evidence);
    x->evidence = NULL;
    x->n_evidence = 0;
}

void record_action_release(struct record_action *x)
{
    action_release(&x->a);
    for (size_t i = 0; i < x->n_notes; i++) {
        free(x->notes[i].actor);
        free(x->notes[i].text);
    }
    free(x->notes);
    x->notes = NULL;
    x->n_notes = 0;
}

/* The small lists: each element is released by freeing its strings. */
static void release_small_lists(struct record *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        free(r->findings[i].kind);
        free(r->findings[i].text);
        free(r->findings[i].evidence);
    }
    for (size_t i = 0; i < r->n_sections; i++) {
        free(r->sections[i].section);
        free(r->sections[i].text);
        free(r->sections[i].actor);
    }
    for (size_t i = 0; i < r->n_checklist; i++) {
        free(r->checklist[i].stage);
        free(r->checklist[i].actor);
    }
    for (size_t i = 0; i < r->n_decisions; i++) {
        free(r->decisions[i].actor);
        free(r->decisions[i].text);
    }
    for (size_t i = 0; i < r->n_feedback; i++) {
        free(r->feedback[i].actor);
        free(r->feedback[i].comment);
    }
    for (size_t i = 0; i < r->n_experiments; i++) {
        struct record_experiment *x = &r->experiments[i];
        free(x->text), free(x->metric), free(x->control), free(x->treatment);
        free(x->result), free(x->actor);
    }
}

static void release_directory(struct record *r)
{
    for (size_t i = 0; i < r->n_people; i++) {
        free(r->people[i].name);
        free(r->people[i].team);
    }
    for (size_t i = 0; i < r->n_teams; i++) {
        free(r->teams[i].name);
        free(r->teams[i].lead);
        free(r->teams[i].escalation);
    }
    for (size_t i = 0; i < r->n_templates; i++) {
        free(r->templates[i].name);
        free(r->templates[i].body);
        free(r->templates[i].actor);
    }
}

void record_release(struct record *r)
{
    free(r->exported_by);
    incident_release(&r->inc);
    free(r->template_name);
    timeline_entries_free(r->timeline, r->n_timeline);
    for (size_t i = 0; i < r->n_hypotheses; i++)
        record_hypothesis_release(&r->hypotheses[i]);
    for (size_t i = 0; i < r->n_actions; i++)
        record_action_release(&r->actions[i]);
    audit_entries_free(r->audit, r->n_audit);
    release_small_lists(r);
    release_directory(r);
    free(r->hypotheses), free(r->actions), free(r->findings), free(r->sections);
    free(r->checklist), free(r->decisions), free(r->feedback), free(r->experiments);
    free(r->people), free(r->teams), free(r->templates);
    record_init(r);
}
