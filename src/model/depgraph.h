/* depgraph.h: the dependency graph of an incident's actions.
 *
 * Nodes are actions (by id); an edge a -> b means "a depends on b" (b must be closed first).
 * The graph must stay acyclic: a new edge that would close a cycle is refused, and the error
 * names the cycle ("A-3 -> A-1 -> A-2 -> A-3"). An open action is blocked while one of its
 * dependencies is open. The critical path is the chain of open actions, following
 * dependencies, with the largest total effort: the least work before everything is done. */
#ifndef MODEL_DEPGRAPH_H
#define MODEL_DEPGRAPH_H

#include "core/common.h"
#include "core/err.h"

struct dep_node {
    int64_t id;
    bool closed;
    int effort;             /* 1-5 */
    const int64_t *deps;    /* ids this node depends on */
    size_t n_deps;
};

/* Refuses the edge from -> to when to already reaches from (or from == to); the message names
 * the cycle. Unknown ids in deps are ignored. */
int depgraph_check_edge(const struct dep_node *nodes, size_t n, int64_t from, int64_t to,
                        struct err *e);

/* True when node i is open and one of its dependencies is open. */
bool depgraph_blocked(const struct dep_node *nodes, size_t n, size_t i);

/* The critical path among open nodes, written into ret_path (at most n ids, the first is the
 * one to do first); returns its length and sets *ret_effort. The graph must be acyclic. */
size_t depgraph_critical_path(const struct dep_node *nodes, size_t n, int64_t *ret_path,
                              int *ret_effort);

#endif
