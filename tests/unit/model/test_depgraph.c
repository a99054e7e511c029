/* test_depgraph.c: cycle checks, blocking and the critical path of action dependencies. */
#include "model/depgraph.h"

#include <criterion/criterion.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static struct dep_node node(int64_t id, bool closed, int effort, const int64_t *deps,
                            size_t n_deps)
{
    struct dep_node d = {id, closed, effort, deps, n_deps};
    return d;
}

static void assert_path(const int64_t *got, size_t n_got, const int64_t *want, size_t n_want)
{
    cr_assert_eq(n_got, n_want, "path length %zu, expected %zu", n_got, n_want);
    for (size_t i = 0; i < n_want; i++)
        cr_assert_eq(got[i], want[i], "path[%zu] is A-%lld, expected A-%lld", i,
                     (long long)got[i], (long long)want[i]);
}

/* ---- cycles ---- */

Test(model_depgraph, self_dependency_is_refused)
{
    static const int64_t d1[] = {2};
    struct dep_node nodes[] = {node(1, false, 1, d1, 1), node(2, false, 1, NULL, 0)};
    struct err e = ERR_INIT;
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 2, 2, &e), ERR_CONFLICT);
    cr_assert_eq(e.code, ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "A-2 cannot depend on itself");
    /* Even for an id that is not in the graph. */
    struct err e2 = ERR_INIT;
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 9, 9, &e2), ERR_CONFLICT);
    cr_assert_str_eq(e2.msg, "A-9 cannot depend on itself");
}

Test(model_depgraph, three_cycle_is_refused_and_named_in_order)
{
    /* A-3 depends on A-5 (a dead end) and A-2; A-2 depends on A-1. A-1 -> A-3 closes
     * A-1 -> A-3 -> A-2 -> A-1 (the dead end through A-5 is not part of it). */
    static const int64_t d3[] = {5, 2};
    static const int64_t d2[] = {1};
    struct dep_node nodes[] = {
        node(1, false, 1, NULL, 0),
        node(2, false, 1, d2, N_OF(d2)),
        node(3, false, 1, d3, N_OF(d3)),
        node(5, false, 1, NULL, 0),
    };
    struct err e = ERR_INIT;
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 1, 3, &e), ERR_CONFLICT);
    cr_assert_eq(e.code, ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "A-1 cannot depend on A-3: that would close the cycle "
                            "A-1 -> A-3 -> A-2 -> A-1");

    /* A two-cycle: A-1 -> A-2 while A-2 depends on A-1. */
    struct err e2 = ERR_INIT;
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 1, 2, &e2), ERR_CONFLICT);
    cr_assert_str_eq(e2.msg, "A-1 cannot depend on A-2: that would close the cycle "
                             "A-1 -> A-2 -> A-1");
}

Test(model_depgraph, dag_edges_are_accepted)
{
    static const int64_t d3[] = {2};
    static const int64_t d2[] = {1};
    struct dep_node nodes[] = {
        node(1, false, 1, NULL, 0),
        node(2, false, 1, d2, N_OF(d2)),
        node(3, false, 1, d3, N_OF(d3)),
        node(4, false, 1, NULL, 0),
    };
    struct err e = ERR_INIT;
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 3, 1, &e), ERR_OK); /* a shortcut */
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 4, 3, &e), ERR_OK);
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 1, 4, &e), ERR_OK);
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 3, 2, &e), ERR_OK); /* existing */
    cr_assert_eq(e.code, ERR_OK);
}

Test(model_depgraph, closed_nodes_still_count_for_cycles)
{
    static const int64_t d2[] = {1};
    struct dep_node nodes[] = {node(1, false, 1, NULL, 0), node(2, true, 1, d2, 1)};
    struct err e = ERR_INIT;
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 1, 2, &e), ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "A-1 cannot depend on A-2: that would close the cycle "
                            "A-1 -> A-2 -> A-1");
}

Test(model_depgraph, unknown_ids_are_ignored)
{
    static const int64_t d1[] = {77, 2};
    static const int64_t d2[] = {88};
    struct dep_node nodes[] = {node(1, false, 1, d1, N_OF(d1)), node(2, false, 1, d2, 1)};
    struct err e = ERR_INIT;
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 1, 99, &e), ERR_OK);
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 99, 1, &e), ERR_OK);
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 2, 77, &e), ERR_OK);
    cr_assert_eq(depgraph_check_edge(NULL, 0, 1, 2, &e), ERR_OK);
    cr_assert_eq(e.code, ERR_OK);
    /* The unknown ids in deps do not hide a real cycle. */
    cr_assert_eq(depgraph_check_edge(nodes, N_OF(nodes), 2, 1, &e), ERR_CONFLICT);
    cr_assert_str_eq(e.msg, "A-2 cannot depend on A-1: that would close the cycle "
                            "A-2 -> A-1 -> A-2");
}

/* ---- blocking ---- */

Test(model_depgraph, blocked)
{
    static const int64_t on2[] = {2};
    static const int64_t on4[] = {4};
    static const int64_t on4_2[] = {4, 2};
    static const int64_t on_unknown[] = {99};
    struct dep_node nodes[] = {
        node(1, false, 1, on2, 1),        /* 0: open, depends on open A-2: blocked */
        node(2, false, 1, NULL, 0),       /* 1: no dependencies */
        node(3, false, 1, on4, 1),        /* 2: depends on closed A-4 only */
        node(4, true, 1, NULL, 0),        /* 3: closed */
        node(5, true, 1, on2, 1),         /* 4: closed, with an open dependency */
        node(6, false, 1, on4_2, 2),      /* 5: a closed and an open dependency */
        node(7, false, 1, on_unknown, 1), /* 6: an unknown dependency */
    };
    size_t n = N_OF(nodes);
    cr_assert(depgraph_blocked(nodes, n, 0));
    cr_assert_not(depgraph_blocked(nodes, n, 1));
    cr_assert_not(depgraph_blocked(nodes, n, 2));
    cr_assert_not(depgraph_blocked(nodes, n, 3));
    cr_assert_not(depgraph_blocked(nodes, n, 4));
    cr_assert(depgraph_blocked(nodes, n, 5));
    cr_assert_not(depgraph_blocked(nodes, n, 6));
}

/* ---- critical path ---- */

Test(model_depgraph, critical_path_diamond)
{
    /* A-1 depends on, both depend on A-4; A-3 is the heavier branch. */
    static const int64_t d1[] = {2, 3};
    static const int64_t d23[] = {4};
    struct dep_node nodes[] = {
        node(1, false, 1, d1, N_OF(d1)),
        node(2, false, 2, d23, 1),
        node(3, false, 4, d23, 1),
        node(4, false, 5, NULL, 0),
    };
    int64_t path[N_OF(nodes)];
    int effort = -1;
    size_t len = depgraph_critical_path(nodes, N_OF(nodes), path, &effort);
    static const int64_t want[] = {4, 3, 1};
    assert_path(path, len, want, N_OF(want));
    cr_assert_eq(effort, 5 + 4 + 1);

    /* The other branch becomes heavier. */
    nodes[1].effort = 5;
    len = depgraph_critical_path(nodes, N_OF(nodes), path, &effort);
    static const int64_t want2[] = {4, 2, 1};
    assert_path(path, len, want2, N_OF(want2));
    cr_assert_eq(effort, 5 + 5 + 1);
}

Test(model_depgraph, critical_path_chain_with_closed_nodes)
{
    /* A-1 -> A-2 -> A-3 -> A-4 -> A-5 (each depends on the next); A-3 is closed, so the chain
     * breaks there: A-2, A-1 (effort 2 + 3 by default = 5) against A-5, A-4 (1 + 1 = 2). */
    static const int64_t d1[] = {2}, d2[] = {3}, d3[] = {4}, d4[] = {5};
    struct dep_node nodes[] = {
        node(1, false, 0, d1, 1),
        node(2, false, 2, d2, 1),
        node(3, true, 5, d3, 1),
        node(4, false, 1, d4, 1),
        node(5, false, 1, NULL, 0),
    };
    int64_t path[N_OF(nodes)];
    int effort = -1;
    size_t len = depgraph_critical_path(nodes, N_OF(nodes), path, &effort);
    static const int64_t want[] = {2, 1};
    assert_path(path, len, want, N_OF(want));
    cr_assert_eq(effort, 5);

    /* Heavier work below the closed node wins. */
    nodes[3].effort = 4;
    nodes[4].effort = 4;
    len = depgraph_critical_path(nodes, N_OF(nodes), path, &effort);
    static const int64_t want2[] = {5, 4};
    assert_path(path, len, want2, N_OF(want2));
    cr_assert_eq(effort, 8);

    /* Everything open: the whole chain, the closed node's effort now counted. */
    nodes[2].closed = false;
    len = depgraph_critical_path(nodes, N_OF(nodes), path, &effort);
    static const int64_t want3[] = {5, 4, 3, 2, 1};
    assert_path(path, len, want3, N_OF(want3));
    cr_assert_eq(effort, 4 + 4 + 5 + 2 + 3);
}

Test(model_depgraph, critical_path_default_effort)
{
    /* All efforts unset: each counts 3. */
    static const int64_t d1[] = {2}, d2[] = {3};
    struct dep_node nodes[] = {
        node(1, false, 0, d1, 1),
        node(2, false, 0, d2, 1),
        node(3, false, 0, NULL, 0),
    };
    int64_t path[N_OF(nodes)];
    int effort = -1;
    size_t len = depgraph_critical_path(nodes, N_OF(nodes), path, &effort);
    static const int64_t want[] = {3, 2, 1};
    assert_path(path, len, want, N_OF(want));
    cr_assert_eq(effort, 9);
}

Test(model_depgraph, critical_path_single_and_unknown_deps)
{
    static const int64_t d1[] = {42};
    struct dep_node nodes[] = {node(1, false, 2, d1, 1), node(2, true, 5, NULL, 0)};
    int64_t path[N_OF(nodes)];
    int effort = -1;
    size_t len = depgraph_critical_path(nodes, N_OF(nodes), path, &effort);
    static const int64_t want[] = {1};
    assert_path(path, len, want, N_OF(want));
    cr_assert_eq(effort, 2);
}

Test(model_depgraph, critical_path_empty)
{
    int64_t path[1] = {-1};
    int effort = -1;
    cr_assert_eq(depgraph_critical_path(NULL, 0, path, &effort), 0);
    cr_assert_eq(effort, 0);

    /* Only closed nodes: nothing left to do. */
    static const int64_t d1[] = {2};
    struct dep_node nodes[] = {node(1, true, 3, d1, 1), node(2, true, 4, NULL, 0)};
    int64_t path2[N_OF(nodes)];
    effort = -1;
    cr_assert_eq(depgraph_critical_path(nodes, N_OF(nodes), path2, &effort), 0);
    cr_assert_eq(effort, 0);
}
