/* workflow.h: hypotheses (with their scores and evidence) and actions (with priority,
 * blocking, overdue, stalled and escalation flags) as text for a terminal and as JSON. */
#ifndef RENDER_WORKFLOW_H
#define RENDER_WORKFLOW_H

#include "core/sink.h"
#include "model/action.h"
#include "model/hypothesis.h"

#include <jansson.h>

/* What the renderers need of an action beyond the record (computed by app/). */
struct action_facts {
    const char *incident_key;
    double priority;
    bool blocked, overdue, stalled;
    int escalation_level;
    const char *escalated_to;
};

void render_hypotheses(struct sink *out, const struct hypothesis *list, size_t n,
                       const struct evidence *ev, size_t n_ev);
json_t *hypotheses_to_json(const struct hypothesis *list, size_t n, const struct evidence *ev,
                           size_t n_ev);

void render_actions(struct sink *out, const struct action *const *acts,
                    const struct action_facts *facts, size_t n, int64_t now);
json_t *action_to_json(const struct action *a, const struct action_facts *f);

/* The dependency graph: each action with what it waits for, then the critical path. */
void render_action_graph(struct sink *out, const struct action *const *acts,
                         const struct action_facts *facts, size_t n, const int64_t *critical,
                         size_t n_critical, int critical_effort);

#endif
