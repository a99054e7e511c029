/* search.h: the full-text search use case (hindsight search, docs/search.md).
 *
 * Reads only. The index is kept by the store (migration 6); this checks the request, runs it,
 * and turns each snippet into one line. */
#ifndef APP_SEARCH_H
#define APP_SEARCH_H

#include "app/app.h"
#include "core/strlist.h"

#define SEARCH_LIMIT_DEFAULT 20
#define SEARCH_LIMIT_MAX 1000

struct search_request {
    const char *query;          /* as typed: words, "phrases", word*, -word, OR */
    const struct strlist *tags; /* NS:VALUE each, all must hold; may be NULL */
    const char *limit;          /* 1..SEARCH_LIMIT_MAX as text, NULL for the default */
};

/* The best matches, best first (*ret_list: free with search_hits_free; NULL when *ret_n is 0).
 * ERR_INVALID for a query with nothing to look for, a malformed tag or limit (the message names
 * the option). Snippets are one line: newlines and tabs become spaces. */
int app_search(struct app *a, const struct search_request *rq, struct search_hit **ret_list,
               size_t *ret_n, struct err *e);

#endif
