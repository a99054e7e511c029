/* import.c: inserting an exported incident into this store (app/transfer.h, docs/export.md).
 *
 * Everything that can be checked without writing is checked first (the document, the file
 * contents against their hashes); the rest (the key, the people, teams and template this store
 * already has) is checked inside the one transaction that then inserts every part, so a refusal
 * at any step rolls back to the store as it was. */
#include "app/transfer.h"

#include "core/timefmt.h"
#include "core/xalloc.h"
#include "format/record_json.h"
#include "model/template.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- checks before writing ---- */

static bool sha256_matches(const unsigned char *data, size_t len, const char *hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    char mine[2 * EVP_MAX_MD_SIZE + 1];
    if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1)
        return false;
    for (unsigned i = 0; i < md_len; i++)
        snprintf(mine + 2 * i, 3, "%02x", md[i]);
    return strcmp(mine, hex) == 0;
}

/* Each file content carried in the document is the one its SHA-256 names. */
static int check_files(const struct record *r, struct err *e)
{
    for (size_t i = 0; i < r->n_hypotheses; i++) {
        const struct record_hypothesis *h = &r->hypotheses[i];
        for (size_t k = 0; k < h->n_evidence; k++) {
            const struct record_evidence *x = &h->evidence[k];
            if (x->data && x->ev.file_sha256 &&
                !sha256_matches(x->data, x->len, x->ev.file_sha256))
                return err_set(e, ERR_INVALID, "hypotheses[%zu].evidence[%zu].file.data: the "
                               "content does not match its sha256", i, k);
        }
    }
    return ERR_OK;
}

/* ---- people, teams and templates: create when missing, reuse when the same ---- */

static bool same_text(const char *x, const char *y)
{
    return x && y ? strcmp(x, y) == 0 : x == y;
}

static int import_team(struct app *a, const struct record_team *t, const struct team *have,
                       size_t n_have, struct err *e)
{
    for (size_t i = 0; i < n_have; i++) {
        if (strcmp(have[i].name, t->name) != 0)
            continue;
        if (same_text(have[i].lead, t->lead) && same_text(have[i].escalation, t->escalation))
            return ERR_OK;
        return err_set(e, ERR_CONFLICT, "team '%.64s' differs in this store (lead '%.64s', "
                       "escalation '%.64s') from the export's (lead '%.64s', escalation "
                       "'%.64s'); make them agree (hindsight team add) and import again",
                       t->name, have[i].lead, have[i].escalation ? have[i].escalation : "none",
                       t->lead, t->escalation ? t->escalation : "none");
    }
    struct team copy = {t->name, t->lead, t->escalation};
    return store_team_put(a->store, &copy, e);
}

static int import_person(struct app *a, const struct record_person *p, struct err *e)
{
    char *team = NULL;
    int rc = store_person_team(a->store, p->name, &team, e);
    if (rc == ERR_OK && !team)
        rc = store_person_put(a->store, p->name, p->team, e);
    else if (rc == ERR_OK && strcmp(team, p->team) != 0)
        rc = err_set(e, ERR_CONFLICT, "person '%.64s' is in team '%.64s' in this store and in "
                     "'%.64s' in the export; make them agree (hindsight person add) and import "
                     "again", p->name, team, p->team);
    free(team);
    return rc;
}

static int import_template(struct app *a, const struct record_template *t, struct err *e)
{
    char *body = NULL;
    int rc = store_template_get(a->store, t->name, &body, e);
    if (rc == ERR_OK && !body)
        rc = store_template_put(a->store, t->name, t->body, t->created_at, t->actor, e);
    else if (rc == ERR_OK && strcmp(body, t->body) != 0)
        rc = err_set(e, ERR_CONFLICT, "template '%.64s' has another text in this store than in "
                     "the export; rename one of them and import again", t->name);
    free(body);
    return rc;
}

/* The incident's template is the built-in one, comes with the record or is in this store. */
static int check_template_known(struct app *a, const struct record *r, struct err *e)
{
    if (!r->template_name || strcmp(r->template_name, TEMPLATE_DEFAULT_NAME) == 0)
        return ERR_OK;
    char *body = NULL;
    int rc = store_template_get(a->store, r->template_name, &body, e);
    if (rc == ERR_OK && !body)
        rc = err_set(e, ERR_INVALID, "incident.template: unknown template '%.64s' (not in the "
                     "export, nor in this store)", r->template_name);
    free(body);
    return rc;
}

static int import_directory(struct app *a, const struct record *r, struct err *e)
{
    struct team *have = NULL;
    size_t n_have = 0;
    int rc = store_team_list(a->store, &have, &n_have, e);
    for (size_t i = 0; i < r->n_teams && rc == ERR_OK; i++)
        rc = import_team(a, &r->teams[i], have, n_have, e);
    teams_free(have, n_have);
    for (size_t i = 0; i < r->n_people && rc == ERR_OK; i++)
        rc = import_person(a, &r->people[i], e);
    for (size_t i = 0; i < r->n_templates && rc == ERR_OK; i++)
        rc = import_template(a, &r->templates[i], e);
    return rc == ERR_OK ? check_template_known(a, r, e) : rc;
}

/* ---- the incident and its parts ---- */

static int insert_incident(struct app *a, struct record *r, bool new_key, struct err *e)
{
    int64_t seq = r->inc.seq;
    char key[INCIDENT_KEY_MAX];
    incident_key(seq, key);
    struct incident existing;
    incident_init(&existing);
    int rc = new_key ? ERR_NOT_FOUND : store_incident_get(a->store, seq, &existing, NULL);
    incident_release(&existing);
    if (rc == ERR_OK)
        return err_set(e, ERR_CONFLICT, "this store already has an incident %s (import with "
                       "--new-key to give it the next free key)", key);
    r->inc.id = 0;
    if ((rc = store_incident_insert(a->store, &r->inc, e)) < 0)
        return rc;
    if (!new_key && (rc = store_incident_set_seq(a->store, r->inc.id, seq, e)) < 0)
        return rc;
    if (!new_key)
        r->inc.seq = seq;
    return r->template_name
               ? store_incident_set_template(a->store, r->inc.id, r->template_name, e) : ERR_OK;
}

static int insert_hypotheses(struct app *a, struct record *r, struct err *e)
{
    int rc = ERR_OK;
    for (size_t i = 0; i < r->n_hypotheses && rc == ERR_OK; i++) {
        struct record_hypothesis *x = &r->hypotheses[i];
        x->h.incident_id = r->inc.id;
        rc = store_hypothesis_insert(a->store, &x->h, e);
        for (size_t k = 0; k < x->n_evidence && rc == ERR_OK; k++) {
            struct record_evidence *ev = &x->evidence[k];
            ev->ev.hypothesis_id = x->h.id;
            rc = store_evidence_insert(a->store, &ev->ev, ev->data, ev->len, e);
        }
    }
    return rc;
}

/* Actions first without their dependencies (which may point forward), then the dependencies,
 * once every action has its row id. */
static int insert_actions(struct app *a, struct record *r, struct err *e)
{
    int rc = ERR_OK;
    for (size_t i = 0; i < r->n_actions && rc == ERR_OK; i++) {
        struct action *act = &r->actions[i].a;
        size_t n_depends = act->n_depends;
        act->incident_id = r->inc.id;
        if (act->mitigates > 0)
            act->mitigates = r->hypotheses[act->mitigates - 1].h.id;
        act->n_depends = 0;
        rc = store_action_insert(a->store, act, e);
        act->n_depends = n_depends;
        for (size_t k = 0; k < r->actions[i].n_notes && rc == ERR_OK; k++) {
            const struct record_note *n = &r->actions[i].notes[k];
            rc = store_action_note_add(a->store, act->id, n->at, n->actor, n->text, e);
        }
    }
    for (size_t i = 0; i < r->n_actions && rc == ERR_OK; i++) {
        struct action *act = &r->actions[i].a;
        for (size_t k = 0; k < act->n_depends; k++)
            act->depends_on[k] = r->actions[act->depends_on[k] - 1].a.id;
        if (act->n_depends)
            rc = store_action_save(a->store, act, e);
    }
    return rc;
}

static int insert_records(struct app *a, const struct record *r, struct err *e)
{
    int64_t id = r->inc.id, row;
    int rc = ERR_OK;
    for (size_t i = 0; i < r->n_sections && rc == ERR_OK; i++) {
        const struct record_section *s = &r->sections[i];
        rc = store_section_put(a->store, id, s->section, s->text, s->updated_at, s->actor, e);
    }
    for (size_t i = 0; i < r->n_checklist && rc == ERR_OK; i++) {
        const struct record_check *c = &r->checklist[i];
        rc = store_checklist_mark(a->store, id, c->stage, c->done_at, c->actor, e);
    }
    for (size_t i = 0; i < r->n_decisions && rc == ERR_OK; i++) {
        const struct record_decision *d = &r->decisions[i];
        rc = store_decision_add(a->store, id, d->at, d->actor, d->text, &row, e);
    }
    for (size_t i = 0; i < r->n_feedback && rc == ERR_OK; i++) {
        const struct record_feedback *f = &r->feedback[i];
        rc = store_feedback_add(a->store, id, f->at, f->actor, f->ratings, f->comment, &row, e);
    }
    for (size_t i = 0; i < r->n_experiments && rc == ERR_OK; i++) {
        const struct record_experiment *x = &r->experiments[i];
        struct experiment_row in = {x->text, x->metric, x->control, x->treatment, x->result,
                                    x->from, x->to};
        rc = store_experiment_add(a->store, id, &in, x->created_at, x->actor, &row, e);
    }
    return rc;
}

static int insert_history(struct app *a, struct record *r, struct err *e)
{
    int rc = ERR_OK;
    for (size_t i = 0; i < r->n_timeline && rc == ERR_OK; i++) {
        r->timeline[i].incident_id = r->inc.id;
        rc = store_timeline_add(a->store, &r->timeline[i], NULL, e);
    }
    for (size_t i = 0; i < r->n_findings && rc == ERR_OK; i++) {
        const struct record_finding *x = &r->findings[i];
        struct finding f = {0, r->inc.id, x->kind, x->text, x->evidence, x->score,
                            x->created_at};
        rc = store_finding_insert(a->store, &f, e);
    }
    for (size_t i = 0; i < r->n_audit && rc == ERR_OK; i++)
        rc = store_audit_append(a->store, r->inc.id, &r->audit[i], e);
    return rc;
}

/* The audit entry that says where the record came from. */
static int audit_import(struct app *a, const struct record *r, int64_t source_seq,
                        struct err *e)
{
    char key[INCIDENT_KEY_MAX], from[INCIDENT_KEY_MAX], at[TIME_STR_MAX], what[300];
    incident_key(r->inc.seq, key);
    incident_key(source_seq, from);
    snprintf(what, sizeof(what), "%s exported %s by %.120s", from,
             time_format_rfc3339(r->exported_at, at), r->exported_by);
    return app_audit(a, r->inc.id, key, "import", "from", NULL, what, e);
}

static int insert_all(struct app *a, struct record *r, bool new_key, struct err *e)
{
    int64_t source_seq = r->inc.seq;
    int rc = import_directory(a, r, e);
    if (rc == ERR_OK)
        rc = insert_incident(a, r, new_key, e);
    if (rc == ERR_OK)
        rc = insert_hypotheses(a, r, e);
    if (rc == ERR_OK)
        rc = insert_actions(a, r, e);
    if (rc == ERR_OK)
        rc = insert_records(a, r, e);
    if (rc == ERR_OK)
        rc = insert_history(a, r, e);
    if (rc == ERR_OK)
        rc = audit_import(a, r, source_seq, e);
    return rc;
}

/* Parses one document and checks its files; on failure the message starts with path (and
 * line:column for a syntax error). */
static int parse_document(const char *path, const char *text, size_t len, struct record *r,
                          struct err *e)
{
    int rc = record_json_parse(text, len, r, e);
    if (rc == ERR_OK)
        rc = check_files(r, e);
    if (rc < 0) {
        if (e && e->line)
            err_prefix(e, "%s:%u:%u: ", path, e->line, e->column);
        else
            err_prefix(e, "%s: ", path);
    }
    return rc;
}

int app_import_many(struct app *a, size_t n, const char *const *paths, const char *const *texts,
                    const size_t *lens, bool new_key, struct import_result *ret, struct err *e)
{
    struct record *r = xcalloc(n ? n : 1, sizeof(*r));
    struct import_result *result = xcalloc(n ? n : 1, sizeof(*result));
    int rc = ERR_OK;
    for (size_t i = 0; i < n; i++)
        record_init(&r[i]);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = parse_document(paths[i], texts[i], lens[i], &r[i], e);
        if (rc == ERR_OK) {
            incident_key(r[i].inc.seq, result[i].source_key);
            result[i].exported_at = r[i].exported_at;
        }
    }
    if (rc == ERR_OK && (rc = store_begin(a->store, e)) == ERR_OK) {
        for (size_t i = 0; i < n && rc == ERR_OK; i++) {
            if ((rc = insert_all(a, &r[i], new_key, e)) == ERR_OK)
                incident_key(r[i].inc.seq, result[i].key);
            else
                err_prefix(e, "%s: ", paths[i]);
        }
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    if (rc == ERR_OK)
        memcpy(ret, result, n * sizeof(*result));
    for (size_t i = 0; i < n; i++)
        record_release(&r[i]);
    free(r);
    free(result);
    return rc;
}

int app_import_json(struct app *a, const char *path_for_messages, const char *text, size_t len,
                    bool new_key, struct import_result *ret, struct err *e)
{
    return app_import_many(a, 1, &path_for_messages, &text, &len, new_key, ret, e);
}
