/* hypotheses.c: hypotheses and the evidence for and against them.
 *
 * A query evidence runs its expression now and keeps the result (as JSON) with it, so the
 * record stays true when the data changes later; a file evidence keeps the file's bytes (up to
 * EVIDENCE_FILE_MAX) and its SHA-256. */
#define _POSIX_C_SOURCE 200809L
#include "app/workflow.h"

#include "app/evidence.h"
#include "app/incidents.h"
#include "app/sha256_file.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "render/series.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EVIDENCE_FILE_MAX ((size_t)16 << 20)

int app_hypothesis_add(struct app *a, const char *incident_key, const char *text,
                       const char *owner, const char *likelihood, const char *impact,
                       int64_t *ret_id, struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct hypothesis h = {0};
    h.likelihood = h.impact = 3;
    h.explained_share = NAN;
    int rc = app_incident_get(a, incident_key, &inc, e);
    if (rc == ERR_OK)
        rc = text_check("the hypothesis", text ? text : "", TEXT_MAX, true, e);
    if (rc == ERR_OK && owner)
        rc = text_check("--owner", owner, NAME_MAX_LEN, false, e);
    if (rc == ERR_OK && likelihood)
        rc = rating_parse("--likelihood", likelihood, &h.likelihood, e);
    if (rc == ERR_OK && impact)
        rc = rating_parse("--impact", impact, &h.impact, e);
    if (rc < 0)
        goto done;
    h.incident_id = inc.id;
    h.text = (char *)text;
    h.owner = (char *)owner;
    if ((rc = app_hypothesis_create(a, &h, NULL, NULL, e)) == ERR_OK)
        *ret_id = h.id;
done:
    incident_release(&inc);
    return rc;
}

int app_hypothesis_create(struct app *a, struct hypothesis *h, const char *link_field,
                          const char *link_value, struct err *e)
{
    h->status = HS_PROPOSED;
    h->created_at = h->updated_at = a->now;
    int rc = store_begin(a->store, e);
    if (rc < 0)
        return rc;
    rc = store_hypothesis_insert(a->store, h, e);
    char key[32], rating[64];
    hypothesis_key(h->id, key);
    snprintf(rating, sizeof(rating), "likelihood %d, impact %d", h->likelihood, h->impact);
    if (rc == ERR_OK)
        rc = app_audit_field(a, h->incident_id, key, "create", "hypothesis", NULL, h->text, e);
    if (rc == ERR_OK && h->owner)
        rc = app_audit_field(a, h->incident_id, key, "create", "owner", NULL, h->owner, e);
    if (rc == ERR_OK)
        rc = app_audit_field(a, h->incident_id, key, "create", "rating", NULL, rating, e);
    if (rc == ERR_OK && link_field)
        rc = app_audit_field(a, h->incident_id, key, "accept", link_field, NULL, link_value, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    return rc;
}

static int load_hypothesis(struct app *a, const char *hid, struct hypothesis *h, struct err *e)
{
    int64_t id;
    int rc = hypothesis_key_parse(hid, &id, e);
    return rc < 0 ? rc : store_hypothesis_get(a->store, id, h, e);
}

static int add_note_evidence(struct app *a, const struct hypothesis *h, const char *note,
                             bool supports, struct err *e)
{
    struct evidence ev = {0};
    ev.hypothesis_id = h->id;
    ev.kind = EV_NOTE;
    ev.supports = supports;
    ev.note = (char *)note;
    ev.actor = a->actor;
    ev.created_at = a->now;
    return store_evidence_insert(a->store, &ev, NULL, 0, e);
}

/* Applies c to h (a copy of the stored one); records each changed field in the audit log. */
static int apply_hypothesis_change(struct app *a, struct hypothesis *h,
                                   const struct hypothesis_change *c, size_t *changed,
                                   struct err *e)
{
    char key[32], old[32], new[32];
    hypothesis_key(h->id, key);
    int rc = ERR_OK;
    if (c->text && strcmp(c->text, h->text) != 0) {
        if ((rc = text_check("--text", c->text, TEXT_MAX, true, e)) < 0 ||
            (rc = app_audit_field(a, h->incident_id, key, "update", "text", h->text, c->text, e)) < 0)
            return rc;
        free(h->text);
        h->text = xstrdup(c->text);
        (*changed)++;
    }
    if (c->owner && (!h->owner || strcmp(c->owner, h->owner) != 0)) {
        if ((rc = text_check("--owner", c->owner, NAME_MAX_LEN, false, e)) < 0 ||
            (rc = app_audit_field(a, h->incident_id, key, "update", "owner", h->owner, c->owner,
                              e)) < 0)
            return rc;
        free(h->owner);
        h->owner = xstrdup(c->owner);
        (*changed)++;
    }
    const char *names[2] = {"likelihood", "impact"};
    const char *values[2] = {c->likelihood, c->impact};
    int *slots[2] = {&h->likelihood, &h->impact};
    for (int i = 0; i < 2; i++) {
        int v;
        char option[32];
        snprintf(option, sizeof(option), "--%s", names[i]);
        if (!values[i])
            continue;
        if ((rc = rating_parse(option, values[i], &v, e)) < 0)
            return rc;
        if (v == *slots[i])
            continue;
        snprintf(old, sizeof(old), "%d", *slots[i]);
        snprintf(new, sizeof(new), "%d", v);
        if ((rc = app_audit_field(a, h->incident_id, key, "update", names[i], old, new, e)) < 0)
            return rc;
        *slots[i] = v;
        (*changed)++;
    }
    return ERR_OK;
}

static int apply_status(struct app *a, struct hypothesis *h, const struct hypothesis_change *c,
                        size_t *changed, struct err *e)
{
    char key[32];
    hypothesis_key(h->id, key);
    enum hypo_status to;
    int rc = hypo_status_parse(c->status, &to, e);
    if (rc < 0 || to == h->status)
        return rc;
    struct evidence *ev = NULL;
    size_t n = 0;
    if ((rc = store_evidence_list(a->store, h->incident_id, &ev, &n, e)) < 0)
        return rc;
    rc = hypothesis_check_status(h, to, ev, n, c->note != NULL, e);
    evidence_list_free(ev, n);
    if (rc < 0)
        return rc;
    if ((rc = app_audit_field(a, h->incident_id, key, to == HS_REFUTED ? "refute"
                          : to == HS_CONFIRMED ? "confirm" : "status", "status",
                          hypo_status_name(h->status), hypo_status_name(to), e)) < 0)
        return rc;
    h->status = to;
    (*changed)++;
    return ERR_OK;
}

int app_hypothesis_update(struct app *a, const char *hid, const struct hypothesis_change *c,
                          size_t *ret_changed, struct err *e)
{
    struct hypothesis h = {0};
    size_t changed = 0;
    int rc = load_hypothesis(a, hid, &h, e);
    if (rc < 0)
        return rc;
    if (c->note && (rc = text_check("--note", c->note, TEXT_MAX, true, e)) < 0)
        goto done;
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    rc = apply_hypothesis_change(a, &h, c, &changed, e);
    if (rc == ERR_OK && c->status)
        rc = apply_status(a, &h, c, &changed, e);
    if (rc == ERR_OK && c->note) {
        /* The note explains the change: it refutes when the hypothesis is refuted, else it is
         * supporting context. */
        char key[32];
        hypothesis_key(h.id, key);
        rc = add_note_evidence(a, &h, c->note, h.status != HS_REFUTED, e);
        if (rc == ERR_OK)
            rc = app_audit_field(a, h.incident_id, key, "add", "note", NULL, c->note, e);
        changed++;
    }
    if (rc == ERR_OK && changed) {
        h.updated_at = a->now;
        rc = store_hypothesis_save(a->store, &h, e);
    }
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    else
        *ret_changed = changed;
done:
    hypothesis_release(&h);
    return rc;
}

/* Runs the query evidence now and keeps its result as JSON. */
static int query_snapshot(struct app *a, const struct evidence_input *in, struct evidence *ev,
                          struct err *e)
{
    struct series_query q = {in->query, in->from, in->to, in->bucket ? in->bucket : "1h", NULL,
                             0};
    struct series_result r = {0};
    int rc = app_series(a, &q, &r, e);
    if (rc < 0)
        return err_prefix(e, "--query: ");
    json_t *v = series_to_json(&r);
    ev->result = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(v);
    ev->query = xstrdup(in->query);
    ev->from = r.from;
    ev->to = r.from + (int64_t)r.n_buckets * r.bucket_ms;
    ev->bucket_ms = r.bucket_ms;
    series_result_release(&r);
    return ev->result ? ERR_OK : err_set(e, ERR_INTERNAL, "cannot encode the query result");
}

/* Reads the evidence file whole (up to the cap). */
static int read_file(const char *path, void **ret, size_t *ret_len, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "--file: cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    int rc = ERR_OK;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        rc = err_set(e, ERR_IO, "--file: '%s' is not a regular file", path);
    else if ((size_t)st.st_size > EVIDENCE_FILE_MAX)
        rc = err_set(e, ERR_INVALID, "--file: '%s' is larger than %zu MB", path,
                     EVIDENCE_FILE_MAX >> 20);
    if (rc == ERR_OK) {
        size_t len = (size_t)st.st_size;
        void *data = xmalloc(len ? len : 1);
        if (len && fread(data, 1, len, f) != len) {
            free(data);
            rc = err_set(e, ERR_IO, "--file: cannot read '%s'", path);
        } else {
            *ret = data;
            *ret_len = len;
        }
    }
    fclose(f);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int check_evidence_input(const struct evidence_input *in, struct err *e)
{
    int kinds = (in->query != NULL) + (in->file != NULL);
    if (kinds > 1)
        return err_set(e, ERR_INVALID, "give one of --query, --note or --file");
    if (kinds == 0 && !in->note)
        return err_set(e, ERR_INVALID, "give the evidence: --query EXPR --from T --to T, "
                       "--note TEXT or --file PATH");
    if (in->supports == in->refutes)
        return err_set(e, ERR_INVALID, "say whether it --supports or --refutes the hypothesis");
    if (in->note)
        return text_check("--note", in->note, TEXT_MAX, true, e);
    return ERR_OK;
}

int app_evidence_add(struct app *a, const char *hid, const struct evidence_input *in,
                     int64_t *ret_id, struct err *e)
{
    struct hypothesis h = {0};
    struct evidence ev = {0};
    void *data = NULL;
    size_t len = 0;
    int rc = check_evidence_input(in, e);
    if (rc == ERR_OK)
        rc = load_hypothesis(a, hid, &h, e);
    if (rc < 0)
        goto done;
    ev.hypothesis_id = h.id;
    ev.supports = in->supports;
    ev.kind = in->query ? EV_QUERY : in->file ? EV_FILE : EV_NOTE;
    ev.note = xstrdup(in->note);
    ev.actor = xstrdup(a->actor);
    ev.created_at = a->now;
    if (in->query && (rc = query_snapshot(a, in, &ev, e)) < 0)
        goto done;
    if (in->file) {
        struct sha256_job job;
        if ((rc = read_file(in->file, &data, &len, e)) < 0)
            goto done;
        sha256_file_start(&job, in->file);
        if (sha256_file_wait(&job) != 0) {
            rc = err_set(e, ERR_IO, "--file: cannot read '%s'", in->file);
            goto done;
        }
        ev.file_name = xstrdup(base_name(in->file));
        ev.file_sha256 = xstrdup(job.hex);
        ev.file_bytes = (int64_t)len;
    }
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    rc = store_evidence_insert(a->store, &ev, data, len, e);
    char key[32], what[600];
    hypothesis_key(h.id, key);
    snprintf(what, sizeof(what), "%s %s: %.500s", evidence_kind_name(ev.kind),
             ev.supports ? "supports" : "refutes",
             ev.query ? ev.query : ev.file_name ? ev.file_name : ev.note);
    if (rc == ERR_OK)
        rc = app_audit_field(a, h.incident_id, key, "add", "evidence", NULL, what, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    else
        *ret_id = ev.id;
done:
    free(data);
    evidence_release(&ev);
    hypothesis_release(&h);
    return rc;
}

/* Ranking: refuted last, then by score, then by id. */
static const struct evidence *rank_ev;
static size_t rank_n;

static int cmp_ranked(const void *pa, const void *pb)
{
    const struct hypothesis *x = pa, *y = pb;
    bool rx = x->status == HS_REFUTED, ry = y->status == HS_REFUTED;
    if (rx != ry)
        return rx ? 1 : -1;
    double sx = hypothesis_score(x, rank_ev, rank_n).total;
    double sy = hypothesis_score(y, rank_ev, rank_n).total;
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

int app_hypothesis_list(struct app *a, const char *incident_key, struct hypothesis **ret_list,
                        size_t *ret_n, struct evidence **ret_evidence, size_t *ret_n_evidence,
                        struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct hypothesis *list = NULL;
    size_t n = 0, n_ev = 0;
    struct evidence *ev = NULL;
    int rc = app_incident_get(a, incident_key, &inc, e);
    if (rc == ERR_OK)
        rc = store_hypothesis_list(a->store, inc.id, &list, &n, e);
    if (rc == ERR_OK)
        rc = store_evidence_list(a->store, inc.id, &ev, &n_ev, e);
    incident_release(&inc);
    if (rc < 0) {
        hypotheses_free(list, n);
        return rc;
    }
    rank_ev = ev;
    rank_n = n_ev;
    if (n > 1)
        qsort(list, n, sizeof(*list), cmp_ranked);
    rank_ev = NULL;
    *ret_list = list;
    *ret_n = n;
    *ret_evidence = ev;
    *ret_n_evidence = n_ev;
    return ERR_OK;
}
