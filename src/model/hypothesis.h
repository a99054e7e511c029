/* hypothesis.h: root-cause hypotheses and the evidence for and against them.
 *
 * Each incident has several hypotheses (H-1, H-2, ...), each with an owner, a qualitative
 * likelihood and impact (1-5), a status, and pieces of evidence that support or refute it.
 * The score (docs/workflow.md) mixes the evidence with the judgement:
 *
 *   prior    = (likelihood / 5) * (impact / 5)                       in (0, 1]
 *   weight   = 1 for a query result, 0.75 for a file, 0.5 for a note
 *   balance  = (supporting - refuting) / (supporting + refuting + 1)  in (-1, 1), weighted
 *   share    = the share of the deviation the hypothesis explains (from the analysis), else 0
 *   score    = 100 * (0.4 * prior + 0.4 * (balance + 1) / 2 + 0.2 * share)
 *
 * so that judgement alone can reach 60, and evidence moves a hypothesis up or down by 40. */
#ifndef MODEL_HYPOTHESIS_H
#define MODEL_HYPOTHESIS_H

#include "core/common.h"
#include "core/err.h"

enum hypo_status { HS_PROPOSED, HS_TESTING, HS_CONFIRMED, HS_REFUTED, HS__COUNT };
enum evidence_kind { EV_QUERY, EV_FILE, EV_NOTE, EV__COUNT };

const char *hypo_status_name(enum hypo_status s);
int hypo_status_parse(const char *s, enum hypo_status *ret, struct err *e);
const char *evidence_kind_name(enum evidence_kind k);
int evidence_kind_parse(const char *s, enum evidence_kind *ret);

struct evidence {
    int64_t id;
    int64_t hypothesis_id;
    enum evidence_kind kind;
    bool supports;       /* false: refutes */
    char *note;          /* EV_NOTE: the note; other kinds: an optional comment */
    char *query;         /* EV_QUERY: the expression */
    int64_t from, to, bucket_ms;
    char *result;        /* EV_QUERY: the series as JSON, as it was when added */
    char *file_name;     /* EV_FILE */
    char *file_sha256;
    int64_t file_bytes;
    char *actor;
    int64_t created_at;
};

void evidence_release(struct evidence *ev);
void evidence_list_free(struct evidence *list, size_t n);

struct hypothesis {
    int64_t id;
    int64_t incident_id;
    char *text;
    char *owner;    /* may be NULL */
    int likelihood; /* 1-5 */
    int impact;     /* 1-5 */
    enum hypo_status status;
    double explained_share; /* 0..1 from the analysis, NAN when not from it */
    int64_t created_at, updated_at;
};

void hypothesis_release(struct hypothesis *h);
void hypotheses_free(struct hypothesis *list, size_t n);

/* The parts of a score, for the listing. */
struct hypo_score {
    double prior, balance, share;
    double supporting, refuting; /* weighted counts */
    double total;                /* 0..100 */
};

/* Scores h from its evidence (ev[0..n), only those with ev->hypothesis_id == h->id count). */
struct hypo_score hypothesis_score(const struct hypothesis *h, const struct evidence *ev,
                                   size_t n);

/* Checks a status change: any status may move to any other, except that refuting needs at
 * least one piece of refuting evidence or a note given with the change. */
int hypothesis_check_status(const struct hypothesis *h, enum hypo_status to,
                            const struct evidence *ev, size_t n, bool with_note,
                            struct err *e);

/* "H-12" */
void hypothesis_key(int64_t id, char out[32]);
/* Accepts "H-12" or "12". */
int hypothesis_key_parse(const char *s, int64_t *ret_id, struct err *e);

/* A 1-5 judgement from text; what names it in the message. */
int rating_parse(const char *what, const char *s, int *ret, struct err *e);

#endif
