/* export.c: gathering one incident with everything that belongs to it (app/transfer.h).
 *
 * Each part is read with the store's everyday listing and moved into the record; the store's
 * row ids are turned into the record's local numbers (hypothesis and action numbers in the
 * order of creation), so that the record means the same thing in any store. */
#include "app/transfer.h"

#include "app/incidents.h"
#include "core/xalloc.h"
#include "model/checklist.h"
#include "render/export_json.h"

#include <stdlib.h>
#include <string.h>

/* Takes the string out of *p, leaving NULL, so that the list it came from can be freed. */
static char *take(char **p)
{
    char *s = *p;
    *p = NULL;
    return s;
}

/* ---- postmortem records: sections, checklist, decisions, feedback ---- */

/* The store's listings of these records all return struct pm_row. */
typedef int (*pm_list_fn)(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                          size_t *ret_n, struct err *e);
/* Moves what a record keeps of row into item. */
typedef void (*pm_move_fn)(struct pm_row *row, void *item);

/* Lists the incident's rows with list and moves each into a new array of elem-byte items. */
static int gather_rows(struct app *a, int64_t id, pm_list_fn list, pm_move_fn move,
                       size_t elem, void **ret_items, size_t *ret_n, struct err *e)
{
    struct pm_row *rows = NULL;
    size_t n = 0;
    int rc = list(a->store, id, &rows, &n, e);
    if (rc < 0)
        return rc;
    char *items = n ? xcalloc(n, elem) : NULL;
    for (size_t i = 0; i < n; i++)
        move(&rows[i], items + i * elem);
    pm_rows_free(rows, n);
    *ret_items = items;
    *ret_n = n;
    return ERR_OK;
}

static void move_section(struct pm_row *row, void *item)
{
    *(struct record_section *)item =
        (struct record_section){take(&row->key), take(&row->text), take(&row->actor), row->at};
}

static void move_check(struct pm_row *row, void *item)
{
    *(struct record_check *)item =
        (struct record_check){take(&row->key), take(&row->actor), row->at};
}

static void move_decision(struct pm_row *row, void *item)
{
    *(struct record_decision *)item =
        (struct record_decision){row->at, take(&row->actor), take(&row->text)};
}

static void move_feedback(struct pm_row *row, void *item)
{
    struct record_feedback *f = item;
    *f = (struct record_feedback){row->at, take(&row->actor), {0, 0, 0}, take(&row->text)};
    memcpy(f->ratings, row->ratings, sizeof(f->ratings));
}

static int cmp_check(const void *x, const void *y)
{
    enum stage a = STAGE__COUNT, b = STAGE__COUNT;
    stage_parse(((const struct record_check *)x)->stage, &a, NULL);
    stage_parse(((const struct record_check *)y)->stage, &b, NULL);
    return (a > b) - (a < b);
}

static int gather_postmortem(struct app *a, int64_t id, struct record *r, struct err *e)
{
    void *sections = NULL, *checklist = NULL, *decisions = NULL, *feedback = NULL;
    int rc = gather_rows(a, id, store_sections, move_section, sizeof(*r->sections), &sections,
                         &r->n_sections, e);
    r->sections = sections;
    if (rc == ERR_OK)
        rc = gather_rows(a, id, store_checklist, move_check, sizeof(*r->checklist), &checklist,
                         &r->n_checklist, e);
    r->checklist = checklist;
    if (rc == ERR_OK)
        rc = gather_rows(a, id, store_decisions, move_decision, sizeof(*r->decisions),
                         &decisions, &r->n_decisions, e);
    r->decisions = decisions;
    if (rc == ERR_OK)
        rc = gather_rows(a, id, store_feedback, move_feedback, sizeof(*r->feedback), &feedback,
                         &r->n_feedback, e);
    r->feedback = feedback;
    /* The store keeps no order among stages: give them the checklist's. */
    if (r->n_checklist > 1)
        qsort(r->checklist, r->n_checklist, sizeof(*r->checklist), cmp_check);
    return rc;
}

/* ---- findings and experiments ---- */

static int gather_findings(struct app *a, int64_t id, struct record *r, struct err *e)
{
    struct finding *list = NULL;
    size_t n = 0;
    int rc = store_findings_list(a->store, id, &list, &n, e);
    if (rc < 0)
        return rc;
    r->findings = n ? xcalloc(n, sizeof(*r->findings)) : NULL;
    r->n_findings = n;
    for (size_t i = 0; i < n; i++)
        r->findings[i] = (struct record_finding){take(&list[i].kind), take(&list[i].text),
                                                 take(&list[i].evidence), list[i].score,
                                                 list[i].created_at};
    findings_free(list, n);
    return ERR_OK;
}

static int gather_experiments(struct app *a, int64_t id, struct record *r, struct err *e)
{
    struct experiment_record *list = NULL;
    size_t n = 0;
    int rc = store_experiment_records(a->store, id, &list, &n, e);
    if (rc < 0)
        return rc;
    r->experiments = n ? xcalloc(n, sizeof(*r->experiments)) : NULL;
    r->n_experiments = n;
    for (size_t i = 0; i < n; i++) {
        struct experiment_record *x = &list[i];
        r->experiments[i] = (struct record_experiment){
            take(&x->text), take(&x->metric), take(&x->control), take(&x->treatment),
            take(&x->result), x->from, x->to, x->created_at, take(&x->actor)};
    }
    experiment_records_free(list, n);
    return ERR_OK;
}

/* ---- hypotheses with their evidence, actions with their notes ---- */

/* The local number (from 1) of the hypothesis with store id, 0 when it is not the record's. */
static int64_t hypothesis_number(const struct record *r, const int64_t *ids, int64_t id)
{
    for (size_t i = 0; i < r->n_hypotheses; i++)
        if (ids[i] == id)
            return (int64_t)i + 1;
    return 0;
}

/* Appends ev (moved) to its hypothesis, with the file content kept for it. */
static int attach_evidence(struct app *a, struct record_hypothesis *h, struct evidence *ev,
                           struct err *e)
{
    struct record_evidence x = {*ev, NULL, 0};
    memset(ev, 0, sizeof(*ev));
    void *data = NULL;
    int rc = x.ev.kind == EV_FILE
                 ? store_evidence_file_data(a->store, x.ev.id, &data, &x.len, e) : ERR_OK;
    x.data = data;
    h->evidence = xreallocarray(h->evidence, h->n_evidence + 1, sizeof(*h->evidence));
    h->evidence[h->n_evidence++] = x;
    return rc;
}

static int gather_hypotheses(struct app *a, int64_t id, struct record *r, int64_t **ret_ids,
                             struct err *e)
{
    struct hypothesis *list = NULL;
    struct evidence *ev = NULL;
    size_t n = 0, n_ev = 0;
    int rc = store_hypothesis_list(a->store, id, &list, &n, e);
    if (rc == ERR_OK)
        rc = store_evidence_list(a->store, id, &ev, &n_ev, e);
    int64_t *ids = xcalloc(n + 1, sizeof(*ids));
    r->hypotheses = n ? xcalloc(n, sizeof(*r->hypotheses)) : NULL;
    r->n_hypotheses = n;
    for (size_t i = 0; i < n; i++) {
        ids[i] = list[i].id;
        r->hypotheses[i].h = list[i];
        memset(&list[i], 0, sizeof(list[i]));
    }
    for (size_t i = 0; i < n_ev && rc == ERR_OK; i++) {
        int64_t h = hypothesis_number(r, ids, ev[i].hypothesis_id);
        if (h > 0)
            rc = attach_evidence(a, &r->hypotheses[h - 1], &ev[i], e);
    }
    hypotheses_free(list, n);
    evidence_list_free(ev, n_ev);
    *ret_ids = ids;
    return rc;
}

/* Moves the notes of action id into x. */
static int gather_notes(struct app *a, int64_t id, struct record_action *x, struct err *e)
{
    struct action_note *notes = NULL;
    size_t n = 0;
    int rc = store_action_notes(a->store, id, &notes, &n, e);
    if (rc < 0)
        return rc;
    x->notes = n ? xcalloc(n, sizeof(*x->notes)) : NULL;
    x->n_notes = n;
    for (size_t i = 0; i < n; i++)
        x->notes[i] = (struct record_note){notes[i].at, take(&notes[i].actor),
                                           take(&notes[i].text)};
    action_notes_free(notes, n);
    return ERR_OK;
}

/* Rewrites a's references from store ids to local numbers; references outside the record
 * (which the workflow does not create) are dropped. */
static void localise_refs(struct action *a, const struct action *all, size_t n,
                          const struct record *r, const int64_t *hypothesis_ids)
{
    a->mitigates = a->mitigates ? hypothesis_number(r, hypothesis_ids, a->mitigates) : 0;
    size_t kept = 0;
    for (size_t k = 0; k < a->n_depends; k++)
        for (size_t i = 0; i < n; i++)
            if (all[i].id == a->depends_on[k])
                a->depends_on[kept++] = (int64_t)i + 1;
    a->n_depends = kept;
}

static int gather_actions(struct app *a, int64_t id, struct record *r,
                          const int64_t *hypothesis_ids, struct err *e)
{
    struct action *list = NULL;
    size_t n = 0;
    int rc = store_action_list(a->store, id, NULL, &list, &n, e);
    if (rc < 0)
        return rc;
    r->actions = n ? xcalloc(n, sizeof(*r->actions)) : NULL;
    r->n_actions = n;
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = gather_notes(a, list[i].id, &r->actions[i], e);
    for (size_t i = 0; i < n; i++)
        localise_refs(&list[i], list, n, r, hypothesis_ids);
    for (size_t i = 0; i < n; i++) {
        r->actions[i].a = list[i];
        memset(&list[i], 0, sizeof(list[i]));
    }
    actions_free(list, n);
    return rc;
}

/* ---- the people, teams and template the record refers to ---- */

/* The handles that own something in the record, sorted, each once. */
static void owners(const struct record *r, struct strlist *ret)
{
    if (r->inc.owner)
        strlist_add_unique(ret, r->inc.owner);
    for (size_t i = 0; i < r->n_hypotheses; i++)
        if (r->hypotheses[i].h.owner)
            strlist_add_unique(ret, r->hypotheses[i].h.owner);
    for (size_t i = 0; i < r->n_actions; i++)
        strlist_add_unique(ret, r->actions[i].a.owner);
    strlist_sort(ret);
}

static void add_team(struct record *r, const struct team *t)
{
    for (size_t i = 0; i < r->n_teams; i++)
        if (strcmp(r->teams[i].name, t->name) == 0)
            return;
    r->teams = xreallocarray(r->teams, r->n_teams + 1, sizeof(*r->teams));
    r->teams[r->n_teams++] = (struct record_team){xstrdup(t->name), xstrdup(t->lead),
                                                  t->escalation ? xstrdup(t->escalation) : NULL};
}

static int gather_people(struct app *a, struct record *r, struct err *e)
{
    struct strlist handles = STRLIST_INIT;
    struct team *teams = NULL;
    size_t n_teams = 0;
    owners(r, &handles);
    int rc = store_team_list(a->store, &teams, &n_teams, e);
    for (size_t i = 0; i < handles.n && rc == ERR_OK; i++) {
        char *team = NULL;
        if ((rc = store_person_team(a->store, handles.items[i], &team, e)) < 0 || !team)
            continue;
        r->people = xreallocarray(r->people, r->n_people + 1, sizeof(*r->people));
        r->people[r->n_people++] = (struct record_person){xstrdup(handles.items[i]), team};
        for (size_t k = 0; k < n_teams; k++)
            if (strcmp(teams[k].name, team) == 0)
                add_team(r, &teams[k]);
    }
    teams_free(teams, n_teams);
    strlist_release(&handles);
    return rc;
}

static int gather_template(struct app *a, struct record *r, struct err *e)
{
    struct pm_row *rows = NULL;
    size_t n = 0;
    if (!r->template_name)
        return ERR_OK;
    int rc = store_template_list(a->store, &rows, &n, e);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        if (strcmp(rows[i].key, r->template_name) != 0)
            continue;
        r->templates = xcalloc(1, sizeof(*r->templates));
        r->templates[0] = (struct record_template){take(&rows[i].key), take(&rows[i].text),
                                                   take(&rows[i].actor), rows[i].at};
        r->n_templates = 1;
        break;
    }
    pm_rows_free(rows, n);
    return rc;
}

/* ---- the whole record ---- */

static int gather_parts(struct app *a, struct record *r, struct err *e)
{
    int64_t id = r->inc.id, *hypothesis_ids = NULL;
    int rc = store_incident_template(a->store, id, &r->template_name, e);
    if (rc == ERR_OK)
        rc = store_timeline_list(a->store, id, &r->timeline, &r->n_timeline, e);
    if (rc == ERR_OK)
        rc = gather_postmortem(a, id, r, e);
    if (rc == ERR_OK)
        rc = gather_findings(a, id, r, e);
    if (rc == ERR_OK)
        rc = gather_hypotheses(a, id, r, &hypothesis_ids, e);
    if (rc == ERR_OK)
        rc = gather_actions(a, id, r, hypothesis_ids, e);
    free(hypothesis_ids);
    if (rc == ERR_OK)
        rc = gather_experiments(a, id, r, e);
    if (rc == ERR_OK)
        rc = store_audit_list(a->store, id, &r->audit, &r->n_audit, e);
    if (rc == ERR_OK)
        rc = gather_people(a, r, e);
    if (rc == ERR_OK)
        rc = gather_template(a, r, e);
    return rc;
}

int app_export_gather(struct app *a, const char *key, struct record *ret, struct err *e)
{
    struct record r;
    record_init(&r);
    int rc = app_incident_get(a, key, &r.inc, e);
    if (rc == ERR_OK)
        rc = gather_parts(a, &r, e);
    if (rc < 0) {
        record_release(&r);
        return rc;
    }
    r.exported_at = a->now;
    r.exported_by = xstrdup(a->actor);
    record_release(ret);
    *ret = r;
    return ERR_OK;
}

int app_export_json(struct app *a, const char *key, json_t **ret, struct err *e)
{
    struct record r;
    record_init(&r);
    int rc = app_export_gather(a, key, &r, e);
    if (rc < 0)
        return rc;
    char where[EXPORT_WHERE_MAX] = "";
    json_t *doc = record_to_json(&r, where);
    char k[INCIDENT_KEY_MAX];
    incident_key(r.inc.seq, k);
    record_release(&r);
    if (!doc)
        return err_set(e, ERR_INVALID, "cannot export %s: a text in %s is not valid UTF-8 (JSON "
                       "carries UTF-8 text only)", k, where);
    *ret = doc;
    return ERR_OK;
}
