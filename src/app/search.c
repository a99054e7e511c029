/* search.c: hindsight search: checks the options, asks the store's full-text index, and makes
 * every snippet one line. */
#include "app/search.h"

#include "core/num.h"
#include "model/incident.h"

#include <string.h>

/* Newlines, tabs and other control bytes become spaces, runs of spaces one space, so a
 * snippet of a multi-line section prints on one line (and cannot move the cursor). */
static void one_line(char *s)
{
    size_t out = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned char ch = (unsigned char)s[i];
        char c = ch < 0x20 || ch == 0x7f ? ' ' : s[i];
        if (c == ' ' && (out == 0 || s[out - 1] == ' '))
            continue;
        s[out++] = c;
    }
    while (out && s[out - 1] == ' ')
        out--;
    s[out] = '\0';
}

int app_search(struct app *a, const struct search_request *rq, struct search_hit **ret_list,
               size_t *ret_n, struct err *e)
{
    int64_t limit = SEARCH_LIMIT_DEFAULT;
    if (rq->limit && num_parse_i64_range(rq->limit, 1, SEARCH_LIMIT_MAX, &limit) < 0)
        return err_set(e, ERR_INVALID, "--limit: '%.32s' is not a whole number from 1 to %d",
                       rq->limit, SEARCH_LIMIT_MAX);
    for (size_t i = 0; rq->tags && i < rq->tags->n; i++) {
        int rc = tag_check(rq->tags->items[i], e);
        if (rc < 0)
            return err_prefix(e, "--tag: ");
    }
    struct search_hit *list = NULL;
    size_t n = 0;
    int rc = store_search(a->store, rq->query, rq->tags, (size_t)limit, &list, &n, e);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        one_line(list[i].snippet);
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}
