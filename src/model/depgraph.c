/* depgraph.c: cycle checks, blocking and the critical path of action dependencies. */
#include "model/depgraph.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <stdlib.h>

static size_t index_of(const struct dep_node *nodes, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (nodes[i].id == id)
            return i;
    return SIZE_MAX;
}

/* Depth-first search for a path from cur to target; on success the path (from cur) is in
 * path[0..*len). */
static bool reach(const struct dep_node *nodes, size_t n, size_t cur, size_t target,
                  uint8_t *seen, size_t *path, size_t *len)
{
    path[(*len)++] = cur;
    if (cur == target)
        return true;
    seen[cur] = 1;
    for (size_t k = 0; k < nodes[cur].n_deps; k++) {
        size_t next = index_of(nodes, n, nodes[cur].deps[k]);
        if (next != SIZE_MAX && !seen[next] && reach(nodes, n, next, target, seen, path, len))
            return true;
    }
    (*len)--;
    return false;
}

int depgraph_check_edge(const struct dep_node *nodes, size_t n, int64_t from, int64_t to,
                        struct err *e)
{
    if (from == to)
        return err_set(e, ERR_CONFLICT, "A-%lld cannot depend on itself", (long long)from);
    size_t f = index_of(nodes, n, from), t = index_of(nodes, n, to);
    if (f == SIZE_MAX || t == SIZE_MAX)
        return ERR_OK;
    uint8_t *seen = xcalloc(n, 1);
    size_t *path = xmallocarray(n + 1, sizeof(*path));
    size_t len = 0;
    int rc = ERR_OK;
    if (reach(nodes, n, t, f, seen, path, &len)) {
        struct buf b = BUF_INIT;
        buf_printf(&b, "A-%lld", (long long)from);
        for (size_t i = 0; i < len; i++)
            buf_printf(&b, " -> A-%lld", (long long)nodes[path[i]].id);
        rc = err_set(e, ERR_CONFLICT, "A-%lld cannot depend on A-%lld: that would close the "
                     "cycle %s", (long long)from, (long long)to, buf_str(&b));
        buf_release(&b);
    }
    free(seen);
    free(path);
    return rc;
}

bool depgraph_blocked(const struct dep_node *nodes, size_t n, size_t i)
{
    if (nodes[i].closed)
        return false;
    for (size_t k = 0; k < nodes[i].n_deps; k++) {
        size_t d = index_of(nodes, n, nodes[i].deps[k]);
        if (d != SIZE_MAX && !nodes[d].closed)
            return true;
    }
    return false;
}

/* The largest effort of a chain ending at i (i last), memoised in best[], with the previous
 * node of the chain in prev[]. */
static int chain(const struct dep_node *nodes, size_t n, size_t i, int *best, size_t *prev)
{
    if (best[i] >= 0)
        return best[i];
    int top = 0;
    prev[i] = SIZE_MAX;
    best[i] = 0; /* a cycle (which check_edge prevents) cannot recurse forever */
    for (size_t k = 0; k < nodes[i].n_deps; k++) {
        size_t d = index_of(nodes, n, nodes[i].deps[k]);
        if (d == SIZE_MAX || nodes[d].closed)
            continue;
        int c = chain(nodes, n, d, best, prev);
        if (c > top) {
            top = c;
            prev[i] = d;
        }
    }
    best[i] = top + (nodes[i].effort > 0 ? nodes[i].effort : 3);
    return best[i];
}

size_t depgraph_critical_path(const struct dep_node *nodes, size_t n, int64_t *ret_path,
                              int *ret_effort)
{
    *ret_effort = 0;
    if (n == 0)
        return 0;
    int *best = xmallocarray(n, sizeof(*best));
    size_t *prev = xmallocarray(n, sizeof(*prev));
    for (size_t i = 0; i < n; i++)
        best[i] = -1, prev[i] = SIZE_MAX;
    size_t end = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (nodes[i].closed)
            continue;
        int c = chain(nodes, n, i, best, prev);
        if (end == SIZE_MAX || c > best[end])
            end = i;
    }
    size_t len = 0;
    if (end != SIZE_MAX) {
        *ret_effort = best[end];
        for (size_t i = end; i != SIZE_MAX && len < n; i = prev[i])
            ret_path[len++] = nodes[i].id;
        for (size_t a = 0, b = len - 1; a < b; a++, b--) { /* first to do first */
            int64_t t = ret_path[a];
            ret_path[a] = ret_path[b];
            ret_path[b] = t;
        }
    }
    free(best);
    free(prev);
    return len;
}
