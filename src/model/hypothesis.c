/* hypothesis.c: hypothesis statuses, keys and the score. */
#include "model/hypothesis.h"

#include "core/num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const status_names[HS__COUNT] = {"proposed", "testing", "confirmed",
                                                    "refuted"};
static const char *const kind_names[EV__COUNT] = {"query", "file", "note"};

const char *hypo_status_name(enum hypo_status s)
{
    return (unsigned)s < HS__COUNT ? status_names[s] : "?";
}

int hypo_status_parse(const char *s, enum hypo_status *ret, struct err *e)
{
    for (int i = 0; i < HS__COUNT; i++) {
        if (strcasecmp(s, status_names[i]) == 0) {
            *ret = (enum hypo_status)i;
            return ERR_OK;
        }
    }
    return err_set(e, ERR_INVALID, "unknown hypothesis status '%.32s' (expected proposed, "
                   "testing, confirmed or refuted)", s);
}

const char *evidence_kind_name(enum evidence_kind k)
{
    return (unsigned)k < EV__COUNT ? kind_names[k] : "?";
}

int evidence_kind_parse(const char *s, enum evidence_kind *ret)
{
    for (int i = 0; i < EV__COUNT; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *ret = (enum evidence_kind)i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

void evidence_release(struct evidence *ev)
{
    free(ev->note);
    free(ev->query);
    free(ev->result);
    free(ev->file_name);
    free(ev->file_sha256);
    free(ev->actor);
    memset(ev, 0, sizeof(*ev));
}

void evidence_list_free(struct evidence *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        evidence_release(&list[i]);
    free(list);
}

void hypothesis_release(struct hypothesis *h)
{
    free(h->text);
    free(h->owner);
    memset(h, 0, sizeof(*h));
}

void hypotheses_free(struct hypothesis *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hypothesis_release(&list[i]);
    free(list);
}

static double weight(enum evidence_kind k)
{
    return k == EV_QUERY ? 1.0 : k == EV_FILE ? 0.75 : 0.5;
}

struct hypo_score hypothesis_score(const struct hypothesis *h, const struct evidence *ev,
                                   size_t n)
{
    struct hypo_score s = {0};
    s.prior = (h->likelihood / 5.0) * (h->impact / 5.0);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].hypothesis_id != h->id)
            continue;
        if (ev[i].supports)
            s.supporting += weight(ev[i].kind);
        else
            s.refuting += weight(ev[i].kind);
    }
    s.balance = (s.supporting - s.refuting) / (s.supporting + s.refuting + 1.0);
    s.share = isnan(h->explained_share) ? 0.0 : h->explained_share;
    s.total = 100.0 * (0.4 * s.prior + 0.4 * (s.balance + 1.0) / 2.0 + 0.2 * s.share);
    return s;
}

int hypothesis_check_status(const struct hypothesis *h, enum hypo_status to,
                            const struct evidence *ev, size_t n, bool with_note,
                            struct err *e)
{
    if (to != HS_REFUTED || with_note)
        return ERR_OK;
    for (size_t i = 0; i < n; i++)
        if (ev[i].hypothesis_id == h->id && !ev[i].supports)
            return ERR_OK;
    char key[32];
    hypothesis_key(h->id, key);
    return err_set(e, ERR_CONFLICT, "cannot refute %s without refuting evidence or a note "
                   "(hindsight evidence add %s ... --refutes, or --note TEXT)", key, key);
}

void hypothesis_key(int64_t id, char out[32])
{
    snprintf(out, 32, "H-%lld", (long long)id);
}

int hypothesis_key_parse(const char *s, int64_t *ret_id, struct err *e)
{
    const char *num = strncasecmp(s, "H-", 2) == 0 ? s + 2 : s;
    if (num[0] < '1' || num[0] > '9' || num_parse_i64_range(num, 1, INT64_MAX / 2, ret_id) < 0)
        return err_set(e, ERR_INVALID, "invalid hypothesis id '%.32s' (expected H-<number>)", s);
    return ERR_OK;
}

int rating_parse(const char *what, const char *s, int *ret, struct err *e)
{
    int64_t v;
    if (num_parse_i64_range(s, 1, 5, &v) < 0)
        return err_set(e, ERR_INVALID, "%s: expected a whole number from 1 to 5, got '%.32s'",
                       what, s);
    *ret = (int)v;
    return ERR_OK;
}
