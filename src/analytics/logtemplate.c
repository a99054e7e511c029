/* logtemplate.c: Drain's fixed-depth parse tree over masked tokens (logtemplate.h has the
 * method), and the exact conditional test of two Poisson rates.
 *
 * The tree is kept flat: every node is its path ("token count" then the routed tokens, each
 * NUL-terminated) interned in a strdict, with per-node arrays for the number of children and
 * the first group of a leaf. Groups of one leaf are chained through `next`. */
#include "analytics/logtemplate.h"

#include "core/buf.h"
#include "core/strdict.h"
#include "core/xalloc.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_GROUP SIZE_MAX

struct group {
    size_t n_tok;
    char **masked; /* NULL at a position whose masked tokens differ */
    char **raw;    /* NULL at a position whose original tokens differ */
    size_t count, first;
    size_t next;   /* next group of the same leaf, NO_GROUP at the end */
};

/* One message split into tokens: raw views and their masked forms (in one buffer). */
struct tokens {
    const char *raw[LT_MAX_TOKENS];
    size_t raw_len[LT_MAX_TOKENS];
    size_t mask_off[LT_MAX_TOKENS], mask_len[LT_MAX_TOKENS];
    bool digit[LT_MAX_TOKENS];
    size_t n;
    struct buf masked;
};

struct miner {
    const struct lt_params *p;
    struct strdict nodes;
    uint32_t *children; /* per node code - 1 */
    size_t *leaf_first; /* per node code - 1 */
    size_t cap_nodes;
    struct group *groups;
    size_t n_groups, cap_groups;
    struct buf path;
};

void lt_params_default(struct lt_params *p)
{
    p->sim_threshold = 0.4;
    p->depth = 2;
    p->max_children = 100;
}

/* ---- tokens ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

/* The length of the kept key ("order=" of "order=17"), 0 when the whole token is masked. */
static size_t key_len(const char *tok, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (tok[i] == '=' || tok[i] == ':')
            return i > 0 ? i + 1 : 0;
        if (tok[i] >= '0' && tok[i] <= '9')
            return 0;
    }
    return 0;
}

bool lt_mask_token(const char *tok, size_t len, char *out, size_t size)
{
    assert(size >= 1);
    bool digit = has_digit(tok, len);
    struct buf b = BUF_INIT;
    if (digit) {
        buf_append(&b, tok, key_len(tok, len));
        buf_puts(&b, LT_WILDCARD);
    } else {
        buf_append(&b, tok, len);
    }
    size_t n = b.len < size - 1 ? b.len : size - 1;
    memcpy(out, buf_str(&b), n);
    out[n] = '\0';
    buf_release(&b);
    return digit;
}

static void tokenize(const char *msg, struct tokens *t)
{
    t->n = 0;
    buf_reset(&t->masked);
    const char *p = msg ? msg : "";
    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        const char *start = p;
        if (t->n == LT_MAX_TOKENS - 1) {
            p += strlen(p); /* the rest of the line, without trailing white space */
            while (p > start && is_space(p[-1]))
                p--;
        } else {
            while (*p && !is_space(*p))
                p++;
        }
        size_t i = t->n++, len = (size_t)(p - start);
        t->raw[i] = start;
        t->raw_len[i] = len;
        t->digit[i] = has_digit(start, len);
        t->mask_off[i] = t->masked.len;
        if (t->digit[i]) {
            buf_append(&t->masked, start, key_len(start, len));
            buf_puts(&t->masked, LT_WILDCARD);
        } else {
            buf_append(&t->masked, start, len);
        }
        t->mask_len[i] = t->masked.len - t->mask_off[i];
        if (t->n == LT_MAX_TOKENS)
            break;
    }
}

static const char *masked_tok(const struct tokens *t, size_t i)
{
    return buf_str(&t->masked) + t->mask_off[i];
}

static bool same(const char *s, const char *tok, size_t len)
{
    return strlen(s) == len && memcmp(s, tok, len) == 0;
}

/* ---- the tree ---- */

static uint32_t node_intern(struct miner *m, bool *ret_new)
{
    size_t before = m->nodes.n;
    uint32_t code = strdict_intern(&m->nodes, m->path.data, m->path.len);
    *ret_new = m->nodes.n > before;
    if (*ret_new) {
        if (m->nodes.n > m->cap_nodes) {
            size_t cap = m->cap_nodes ? 2 * m->cap_nodes : 64;
            m->children = xreallocarray(m->children, cap, sizeof(*m->children));
            m->leaf_first = xreallocarray(m->leaf_first, cap, sizeof(*m->leaf_first));
            m->cap_nodes = cap;
        }
        m->children[code - 1] = 0;
        m->leaf_first[code - 1] = NO_GROUP;
    }
    return code;
}

/* The leaf of a message: token count, then its first depth tokens as routed. */
static uint32_t route(struct miner *m, const struct tokens *t)
{
    buf_reset(&m->path);
    uint32_t n32 = (uint32_t)t->n;
    buf_append(&m->path, &n32, sizeof(n32));
    bool fresh;
    uint32_t node = node_intern(m, &fresh);
    for (size_t i = 0; i < t->n && i < m->p->depth; i++) {
        size_t parent_len = m->path.len;
        bool wild = t->digit[i];
        if (!wild) {
            buf_append(&m->path, t->raw[i], t->raw_len[i]);
            buf_putc(&m->path, '\0');
            bool known = strdict_find(&m->nodes, m->path.data, m->path.len) != 0;
            if (!known && m->children[node - 1] + 1 >= m->p->max_children) {
                m->path.len = parent_len; /* full: the token goes to the "<*>" child */
                wild = true;
            }
        }
        if (wild) {
            buf_puts(&m->path, LT_WILDCARD);
            buf_putc(&m->path, '\0');
        }
        uint32_t child = node_intern(m, &fresh);
        if (fresh)
            m->children[node - 1]++;
        node = child;
    }
    return node;
}

/* simSeq of a group's template and a message of the same token count. */
static double similarity(const struct group *g, const struct tokens *t)
{
    if (g->n_tok == 0)
        return 1.0;
    size_t eq = 0;
    for (size_t i = 0; i < g->n_tok; i++)
        if (g->masked[i] && same(g->masked[i], masked_tok(t, i), t->mask_len[i]))
            eq++;
    return (double)eq / (double)g->n_tok;
}

static size_t group_new(struct miner *m, const struct tokens *t, size_t index, uint32_t leaf)
{
    xgrow((void **)&m->groups, &m->cap_groups, m->n_groups + 1, sizeof(*m->groups));
    size_t id = m->n_groups++;
    struct group *g = &m->groups[id];
    g->n_tok = t->n;
    g->masked = xcalloc(t->n ? t->n : 1, sizeof(char *));
    g->raw = xcalloc(t->n ? t->n : 1, sizeof(char *));
    for (size_t i = 0; i < t->n; i++) {
        g->masked[i] = xstrndup(masked_tok(t, i), t->mask_len[i]);
        g->raw[i] = xstrndup(t->raw[i], t->raw_len[i]);
    }
    g->count = 1;
    g->first = index;
    g->next = NO_GROUP;
    /* Appended at the end of the leaf's chain, so that the earliest group wins ties. */
    size_t *link = &m->leaf_first[leaf - 1];
    while (*link != NO_GROUP)
        link = &m->groups[*link].next;
    *link = id;
    return id;
}

/* A position whose tokens differ keeps their common key: "method=card" and "method=paypal"
 * give "method=<*>" (which, like "<*>", no longer counts in simSeq unless a message's own
 * masked token is "method=<*>"). */
static char *generalise(const char *old, const char *tok, size_t len)
{
    size_t k = key_len(old, strlen(old));
    if (!k || k > len || memcmp(old, tok, k) != 0 || has_digit(old, k))
        return NULL;
    char *s = xmalloc(k + sizeof(LT_WILDCARD));
    memcpy(s, old, k);
    memcpy(s + k, LT_WILDCARD, sizeof(LT_WILDCARD));
    return s;
}

static void group_join(struct group *g, const struct tokens *t)
{
    g->count++;
    for (size_t i = 0; i < g->n_tok; i++) {
        if (g->masked[i] && !same(g->masked[i], masked_tok(t, i), t->mask_len[i])) {
            char *general = generalise(g->masked[i], masked_tok(t, i), t->mask_len[i]);
            free(g->masked[i]);
            g->masked[i] = general;
        }
        if (g->raw[i] && !same(g->raw[i], t->raw[i], t->raw_len[i])) {
            free(g->raw[i]);
            g->raw[i] = NULL;
        }
    }
}

static size_t add_message(struct miner *m, const char *msg, size_t index, struct tokens *t)
{
    tokenize(msg, t);
    uint32_t leaf = route(m, t);
    size_t best = NO_GROUP;
    double best_sim = -1;
    for (size_t g = m->leaf_first[leaf - 1]; g != NO_GROUP; g = m->groups[g].next) {
        double s = similarity(&m->groups[g], t);
        if (s > best_sim) {
            best_sim = s;
            best = g;
        }
    }
    if (best != NO_GROUP && best_sim >= m->p->sim_threshold) {
        group_join(&m->groups[best], t);
        return best;
    }
    return group_new(m, t, index, leaf);
}

/* The template text: a position's original token when the group's messages (two or more)
 * agree on it, else its masked token when they agree on that, else "<*>". */
static char *group_text(const struct group *g)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < g->n_tok; i++) {
        if (i)
            buf_putc(&b, ' ');
        if (g->raw[i] && (g->count >= 2 || !g->masked[i] || !strcmp(g->raw[i], g->masked[i])))
            buf_puts(&b, g->raw[i]);
        else
            buf_puts(&b, g->masked[i] ? g->masked[i] : LT_WILDCARD);
    }
    char *s = b.len ? buf_detach(&b) : (buf_release(&b), xstrdup(""));
    return s;
}

static void group_release(struct group *g)
{
    for (size_t i = 0; i < g->n_tok; i++) {
        free(g->masked[i]);
        free(g->raw[i]);
    }
    free(g->masked);
    free(g->raw);
}

int lt_mine(const char *const *messages, size_t n, const struct lt_params *p,
            struct lt_result *ret, struct err *e)
{
    if (!(p->sim_threshold >= 0 && p->sim_threshold <= 1) || p->depth < 1 || p->depth > 8 ||
        p->max_children < 2)
        return err_set(e, ERR_INVALID, "log templates: sim_threshold must be in [0, 1], depth "
                       "in 1..8 and max_children >= 2");
    struct miner m;
    memset(&m, 0, sizeof(m));
    m.p = p;
    m.nodes = (struct strdict)STRDICT_INIT;
    m.path = (struct buf)BUF_INIT;
    struct tokens *t = xcalloc(1, sizeof(*t));
    t->masked = (struct buf)BUF_INIT;
    uint32_t *of = xmallocarray(n ? n : 1, sizeof(*of));
    for (size_t i = 0; i < n; i++) {
        size_t g = add_message(&m, messages[i], i, t);
        assert(g < UINT32_MAX);
        of[i] = (uint32_t)g;
    }
    struct lt_result r = {xcalloc(m.n_groups ? m.n_groups : 1, sizeof(*r.templates)),
                          m.n_groups, of};
    for (size_t g = 0; g < m.n_groups; g++) {
        r.templates[g].text = group_text(&m.groups[g]);
        r.templates[g].n_tokens = m.groups[g].n_tok;
        r.templates[g].count = m.groups[g].count;
        r.templates[g].first = m.groups[g].first;
        group_release(&m.groups[g]);
    }
    free(m.groups);
    free(m.children);
    free(m.leaf_first);
    strdict_release(&m.nodes);
    buf_release(&m.path);
    buf_release(&t->masked);
    free(t);
    *ret = r;
    return ERR_OK;
}

void lt_result_release(struct lt_result *r)
{
    for (size_t i = 0; r->templates && i < r->n; i++)
        free(r->templates[i].text);
    free(r->templates);
    free(r->of);
    memset(r, 0, sizeof(*r));
}

/* ---- did the rate rise ---- */

void lt_rate_test(double before, double t_before, double during, double t_during,
                  double *ret_ratio, double *ret_p)
{
    assert(t_before > 0 && t_during > 0 && before >= 0 && during >= 0);
    if (before == 0)
        *ret_ratio = during > 0 ? INFINITY : NAN;
    else
        *ret_ratio = (during / t_during) / (before / t_before);
    unsigned total = (unsigned)lround(before + during), k = (unsigned)lround(during);
    if (k == 0) {
        *ret_p = 1.0;
        return;
    }
    /* P(X >= k) = Q(k - 1), X ~ Binomial(total, t_during / (t_before + t_during)). */
    *ret_p = gsl_cdf_binomial_Q(k - 1, t_during / (t_before + t_during), total);
}
