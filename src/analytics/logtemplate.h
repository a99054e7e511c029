/* logtemplate.h: log messages grouped into templates, and the test that says whether a
 * template's rate rose.
 *
 * The miner follows Drain (P. He, J. Zhu, Z. Zheng, M. R. Lyu, "Drain: An Online Log Parsing
 * Approach with Fixed Depth Tree", ICWS 2017; docs/diagnosis.md):
 *
 *  - a message is split on white space into tokens; a token that contains a digit is masked
 *    (to "<*>", or "key=<*>" / "key:<*>" when a digit-free key precedes '=' or ':');
 *  - a fixed-depth tree routes the message by its token count, then by its first `depth`
 *    tokens (a masked token, or a new token under a node that already has `max_children`
 *    children, goes to the "<*>" child);
 *  - in the leaf reached, the message joins the group whose template is most similar:
 *    simSeq = (positions where the template's token equals the message's masked token) / n,
 *    when simSeq >= sim_threshold (the earliest group wins ties); otherwise it starts a group;
 *  - a template position whose masked tokens differ between the group's messages becomes
 *    "<*>". A masked position keeps its original token when every message of the group (at
 *    least two) has the very same one ("sdk=5.2 code=504" stays, "order=<*>" varies).
 *
 * Pure and deterministic: the same messages in the same order give the same templates. No
 * I/O. Time O(total tokens x groups per leaf); memory O(groups x tokens). */
#ifndef ANALYTICS_LOGTEMPLATE_H
#define ANALYTICS_LOGTEMPLATE_H

#include "core/common.h"
#include "core/err.h"

/* A message with more tokens keeps the first LT_MAX_TOKENS - 1 and one last token holding the
 * rest of the line. */
#define LT_MAX_TOKENS 256
#define LT_WILDCARD "<*>"

struct lt_params {
    double sim_threshold; /* in [0, 1]; Drain's st (0.4 by default, as in Drain3) */
    size_t depth;         /* leading tokens in the tree, 1..8 (2: Drain's depth 4) */
    size_t max_children;  /* children per tree node before new tokens go to "<*>" (>= 2) */
};

/* The defaults above. Cannot fail. */
void lt_params_default(struct lt_params *p);

struct lt_template {
    char *text;      /* owned: the tokens joined by single spaces */
    size_t n_tokens;
    size_t count;    /* messages in the group */
    size_t first;    /* index of its first message */
};

struct lt_result {
    struct lt_template *templates; /* in order of first appearance */
    size_t n;
    uint32_t *of; /* of[i]: the template of message i (n_messages entries) */
};

/* Groups messages[0 .. n) (NUL-terminated, borrowed; NULL counts as "") into templates.
 * ERR_INVALID when a parameter is out of range (nothing is written). On success *ret owns its
 * memory (free with lt_result_release). */
int lt_mine(const char *const *messages, size_t n, const struct lt_params *p,
            struct lt_result *ret, struct err *e);
void lt_result_release(struct lt_result *r);

/* Masks one token as the miner does, into out (size >= 1): "504" -> "<*>", "order=17" ->
 * "order=<*>", "checkout" -> "checkout" (truncated to size - 1 bytes). Returns true when the
 * token had a digit. */
bool lt_mask_token(const char *tok, size_t len, char *out, size_t size);

/* Did a count rise? `before` events in t_before and `during` events in t_during (same unit,
 * both > 0). Conditional on the total, `during` is Binomial(before + during, t_during /
 * (t_before + t_during)) when the rate did not change (the exact conditional test of two
 * Poisson rates); *ret_p is the one-sided p-value P(X >= during), *ret_ratio the rate ratio
 * (during / t_during) / (before / t_before), INFINITY when before is 0 (NAN when both are). */
void lt_rate_test(double before, double t_before, double during, double t_during,
                  double *ret_ratio, double *ret_p);

#endif
