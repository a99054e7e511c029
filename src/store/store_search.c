/* store_search.c: the full-text index (migration 6, docs/search.md): turning what a person
 * typed into a safe FTS5 query, and running it, ranked by bm25, with marked snippets.
 *
 * The index itself is kept in step with the records by SQLite triggers, so nothing here writes. */
#include "store/store_impl.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SEARCH_QUERY_MAX 1000 /* bytes of a query as typed */
#define SEARCH_TERMS_MAX 32   /* words and phrases of a query */

/* bm25 weights of the index's columns (title, body): a word of an incident's title counts ten
 * times one of a body text (summary, section, timeline, hypothesis, evidence, action, note,
 * decision). */
#define SEARCH_RANK "bm25(search_index, 10.0, 1.0)"

void search_hits_free(struct search_hit *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].kind);
        free(list[i].ref);
        free(list[i].title);
        free(list[i].snippet);
    }
    free(list);
}

/* ---- the index's own tokenizer, to know whether a word has anything to search for ---- */

struct word_tokenizer {
    fts5_tokenizer api;
    Fts5Tokenizer *tok;
};

/* The unicode61 tokenizer with the index's options (porter only stems what unicode61 gives, so
 * it does not change whether a text has tokens). */
static int tokenizer_open(struct store *s, struct word_tokenizer *ret, struct err *e)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT fts5(?1)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    static const char *const args[] = {"remove_diacritics", "2"};
    void *ctx = NULL;
    if (!api || api->xFindTokenizer(api, "unicode61", &ctx, &ret->api) != SQLITE_OK ||
        ret->api.xCreate(ctx, (const char **)args, 2, &ret->tok) != SQLITE_OK)
        return err_set(e, ERR_INTERNAL, "the SQLite library has no FTS5 unicode61 tokenizer");
    return ERR_OK;
}

static int count_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)flags, (void)token, (void)len, (void)start, (void)end;
    (*(size_t *)ctx)++;
    return SQLITE_OK;
}

static size_t tokens_in(struct word_tokenizer *t, const char *text, size_t len)
{
    size_t n = 0;
    t->api.xTokenize(t->tok, &n, FTS5_TOKENIZE_QUERY, text, (int)len, count_token);
    return n;
}

/* ---- what a person typed -> an FTS5 expression ---- */

struct compile {
    struct word_tokenizer *tok;
    struct buf groups; /* "(a AND b) OR (c)", the groups flushed so far */
    struct buf group;  /* the terms of the group being read */
    struct buf neg;    /* "a OR b", the excluded terms */
    size_t n_groups, n_terms, n_neg;
    bool or_pending;
};

static void flush_group(struct compile *c)
{
    if (!c->group.len)
        return;
    buf_printf(&c->groups, "%s(%s)", c->n_groups ? " OR " : "", buf_str(&c->group));
    buf_reset(&c->group);
    c->n_groups++;
}

/* Adds one word or phrase as an FTS5 string: quoted (a quote doubled), so that no character a
 * person types is FTS5 syntax; a term without any token (punctuation) is dropped, since FTS5
 * would match nothing for it and so nothing for the whole query. */
static int add_term(struct compile *c, const char *text, size_t len, bool prefix, bool negative,
                    struct err *e)
{
    if (!len || tokens_in(c->tok, text, len) == 0)
        return ERR_OK;
    if (++c->n_terms > SEARCH_TERMS_MAX)
        return err_set(e, ERR_INVALID, "search query has more than %d words or phrases",
                       SEARCH_TERMS_MAX);
    struct buf *b = &c->group;
    if (negative) {
        b = &c->neg;
        if (c->n_neg++)
            buf_puts(b, " OR ");
    } else {
        if (c->or_pending)
            flush_group(c);
        if (b->len)
            buf_puts(b, " AND ");
        c->or_pending = false;
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, text[i]);
    }
    buf_puts(b, prefix ? "\"*" : "\"");
    return ERR_OK;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static bool word_is(const char *w, size_t len, const char *op)
{
    return len == strlen(op) && memcmp(w, op, len) == 0;
}

/* Reads the terms of q: "a phrase", word, word*, -word (or NOT word), OR between terms; AND is
 * what juxtaposition means already. */
static int read_terms(struct compile *c, const char *q, struct err *e)
{
    bool not_next = false;
    int rc = ERR_OK;
    const char *p = q;
    while (rc == ERR_OK) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        bool negative = not_next;
        not_next = false;
        if (*p == '-' && p[1] && !is_space(p[1])) {
            negative = true;
            p++;
        }
        const char *w = p;
        size_t len;
        bool prefix = false;
        if (*p == '"') {
            w = ++p;
            while (*p && *p != '"')
                p++;
            len = (size_t)(p - w);
            if (*p == '"')
                p++;
            if (*p == '*') {
                prefix = true;
                p++;
            }
        } else {
            while (*p && !is_space(*p))
                p++;
            len = (size_t)(p - w);
            if (!negative && word_is(w, len, "OR")) {
                c->or_pending = c->group.len > 0;
                continue;
            }
            if (!negative && (word_is(w, len, "AND") || word_is(w, len, "NOT"))) {
                not_next = word_is(w, len, "NOT");
                continue;
            }
            while (len && w[len - 1] == '*') {
                len--;
                prefix = true;
            }
        }
        rc = add_term(c, w, len, prefix, negative, e);
    }
    return rc;
}

int store_search_match(struct store *s, const char *query, char **ret_match, struct err *e)
{
    size_t qlen = strlen(query);
    if (qlen > SEARCH_QUERY_MAX)
        return err_set(e, ERR_INVALID, "search query is longer than %d bytes", SEARCH_QUERY_MAX);
    const char *p = query;
    while (is_space(*p))
        p++;
    if (!*p)
        return err_set(e, ERR_INVALID, "empty search query: give one or more words to look for");
    struct word_tokenizer tok = {0};
    int rc = tokenizer_open(s, &tok, e);
    if (rc < 0)
        return rc;
    struct compile c = {&tok, BUF_INIT, BUF_INIT, BUF_INIT, 0, 0, 0, false};
    rc = read_terms(&c, query, e);
    tok.api.xDelete(tok.tok);
    flush_group(&c);
    if (rc == ERR_OK && !c.n_groups)
        rc = err_set(e, ERR_INVALID, "search query '%.100s' has no word to look for%s", query,
                     c.n_neg ? " (it only excludes words)" : " (only punctuation or operators)");
    if (rc == ERR_OK) {
        struct buf out = BUF_INIT;
        if (c.n_neg)
            buf_printf(&out, "(%s) NOT (%s)", buf_str(&c.groups), buf_str(&c.neg));
        else
            buf_puts(&out, buf_str(&c.groups));
        *ret_match = buf_detach(&out);
    }
    buf_release(&c.groups);
    buf_release(&c.group);
    buf_release(&c.neg);
    return rc;
}

/* ---- running it ---- */

static void read_hit(sqlite3_stmt *st, struct search_hit *h)
{
    h->kind = store__column_strdup(st, 0);
    h->ref = store__column_strdup(st, 1);
    h->seq = sqlite3_column_int64(st, 2);
    h->title = store__column_strdup(st, 3);
    h->started_at = sqlite3_column_int64(st, 4);
    h->snippet = store__column_strdup(st, 5);
    if (!h->snippet)
        h->snippet = xstrdup("");
    h->score = -sqlite3_column_double(st, 6); /* bm25 is lower for better matches */
}

int store_search(struct store *s, const char *query, const struct strlist *tags, size_t limit,
                 struct search_hit **ret_list, size_t *ret_n, struct err *e)
{
    char *match = NULL;
    int rc = store_search_match(s, query, &match, e);
    if (rc < 0)
        return rc;
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT search_index.kind, coalesce(search_index.ref, 'INC-' || i.seq), "
                   "i.seq, i.title, i.started_at, "
                   "snippet(search_index, -1, '" SEARCH_MARK_OPEN "', '" SEARCH_MARK_CLOSE
                   "', '...', 12), " SEARCH_RANK " FROM search_index "
                   "JOIN incidents i ON i.id = search_index.incident_id "
                   "WHERE search_index MATCH ?1");
    size_t n_tags = tags ? tags->n : 0;
    for (size_t k = 0; k < n_tags; k++)
        buf_printf(&sql, " AND EXISTS (SELECT 1 FROM incident_tags t WHERE t.incident_id = i.id "
                         "AND t.tag = ?%zu)", k + 3);
    buf_puts(&sql, " ORDER BY " SEARCH_RANK ", i.seq DESC, search_index.rowid LIMIT ?2");
    sqlite3_stmt *st = NULL;
    struct search_hit *list = NULL;
    size_t n = 0, cap = 0;
    if ((rc = store__prepare(s, buf_str(&sql), &st, e)) < 0)
        goto done;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    for (size_t k = 0; k < n_tags; k++)
        sqlite3_bind_text(st, (int)k + 3, tags->items[k], -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        read_hit(st, &list[n++]);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "search the index");
done:
    sqlite3_finalize(st);
    buf_release(&sql);
    free(match);
    if (rc < 0) {
        search_hits_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}
