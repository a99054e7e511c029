/* test_similarity.c: Jaccard, words of a text, TF-IDF cosine and the weighted incident score
 * on inputs whose answers are worked out by hand. */
#include "analytics/similarity.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#define EPS 1e-12

/* A list of the given strings (NULL-terminated). */
static struct strlist list(const char *first, ...)
{
    struct strlist l = STRLIST_INIT;
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        strlist_push(&l, s);
    va_end(ap);
    return l;
}

Test(similarity, jaccard_known_sets)
{
    struct strlist a = list("a", "b", "c", NULL), b = list("b", "c", "d", NULL);
    cr_assert_float_eq(similarity_jaccard(&a, &b), 2.0 / 4.0, EPS);
    cr_assert_float_eq(similarity_jaccard(&a, &a), 1.0, EPS);
    struct strlist c = list("x", NULL);
    cr_assert_float_eq(similarity_jaccard(&a, &c), 0.0, EPS);
    strlist_release(&a);
    strlist_release(&b);
    strlist_release(&c);
}

Test(similarity, jaccard_counts_duplicates_once_and_empty_is_zero)
{
    struct strlist a = list("a", "a", "b", NULL), b = list("a", NULL), empty = STRLIST_INIT;
    cr_assert_float_eq(similarity_jaccard(&a, &b), 1.0 / 2.0, EPS);
    cr_assert_float_eq(similarity_jaccard(&b, &a), 1.0 / 2.0, EPS);
    cr_assert_float_eq(similarity_jaccard(&empty, &empty), 0.0, EPS);
    cr_assert_float_eq(similarity_jaccard(&a, &empty), 0.0, EPS);
    strlist_release(&a);
    strlist_release(&b);
}

Test(similarity, tokenize_lowercases_and_drops_short_and_common_words)
{
    struct strlist w = STRLIST_INIT;
    similarity_tokenize("The Checkout SDK failed, at 5.2 on Android! Zürich 504", &w);
    const char *want[] = {"checkout", "sdk", "failed", "android", "zürich", "504"};
    cr_assert_eq(w.n, 6, "got %zu words", w.n);
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(w.items[i], want[i]);
    strlist_release(&w);
    similarity_tokenize(NULL, &w);
    similarity_tokenize("a I ... to", &w);
    cr_assert_eq(w.n, 0);
}

/* Three documents: d0 = {x, y}, d1 = {x, z}, d2 = {w, w}. N = 3; df(x) = 2, the others 1. */
Test(similarity, tfidf_cosine_known_value)
{
    struct strlist docs[3] = {list("x", "y", NULL), list("x", "z", NULL),
                              list("w", "w", NULL)};
    struct tfidf t = TFIDF_INIT;
    tfidf_build(&t, docs, 3);
    double idf_x = 1 + log(4.0 / 3.0), idf_1 = 1 + log(4.0 / 2.0);
    double want = idf_x * idf_x / (idf_x * idf_x + idf_1 * idf_1);
    cr_assert_float_eq(tfidf_cosine(&t, 0, 1), want, 1e-12);
    cr_assert_float_eq(tfidf_cosine(&t, 1, 0), want, 1e-12);
    cr_assert_float_eq(tfidf_cosine(&t, 0, 2), 0.0, EPS);
    cr_assert_float_eq(tfidf_cosine(&t, 2, 2), 1.0, 1e-12);
    /* sublinear tf: w appears twice, weight (1 + ln 2) x idf */
    cr_assert_eq(t.docs[2].n, 1);
    cr_assert_float_eq(t.docs[2].terms[0].w, (1 + log(2.0)) * idf_1, 1e-12);
    tfidf_release(&t);
    for (int i = 0; i < 3; i++)
        strlist_release(&docs[i]);
}

Test(similarity, tfidf_empty_document_is_zero)
{
    struct strlist docs[2] = {STRLIST_INIT, list("a", NULL)};
    struct tfidf t = TFIDF_INIT;
    tfidf_build(&t, docs, 2);
    cr_assert_float_eq(tfidf_cosine(&t, 0, 1), 0.0, EPS);
    cr_assert_float_eq(tfidf_cosine(&t, 0, 0), 0.0, EPS);
    tfidf_release(&t);
    strlist_release(&docs[1]);
}

/* The shared words come heaviest first: a rare word outweighs one every document has. */
Test(similarity, tfidf_shared_words_by_weight)
{
    struct strlist docs[3] = {list("checkout", "sdk", "payments", "outage", NULL),
                              list("checkout", "sdk", "payments", NULL),
                              list("payments", "search", NULL)};
    struct tfidf t = TFIDF_INIT;
    tfidf_build(&t, docs, 3);
    struct strlist shared = STRLIST_INIT;
    tfidf_shared_words(&t, 0, 1, 2, &shared);
    cr_assert_eq(shared.n, 2);
    cr_assert_str_eq(shared.items[0], "checkout"); /* df 2, ties with sdk: by word */
    cr_assert_str_eq(shared.items[1], "sdk");
    strlist_release(&shared);
    tfidf_shared_words(&t, 0, 1, 10, &shared);
    cr_assert_eq(shared.n, 3);
    cr_assert_str_eq(shared.items[2], "payments"); /* in every document: lightest */
    strlist_release(&shared);
    tfidf_shared_words(&t, 1, 2, 10, &shared);
    cr_assert_eq(shared.n, 1);
    strlist_release(&shared);
    tfidf_release(&t);
    for (int i = 0; i < 3; i++)
        strlist_release(&docs[i]);
}

Test(similarity, weights_sum_to_one_and_failure_mode_weighs_most)
{
    double sum = 0;
    for (int i = 0; i < SIM__COUNT; i++) {
        sum += similarity_weights[i];
        if (i != SIM_FAILURE_MODE)
            cr_assert_lt(similarity_weights[i], similarity_weights[SIM_FAILURE_MODE]);
    }
    cr_assert_float_eq(sum, 1.0, 1e-12);
}

Test(similarity, combine_renormalises_over_available_parts)
{
    double part[SIM__COUNT] = {0};
    bool all[SIM__COUNT], some[SIM__COUNT] = {0};
    for (int i = 0; i < SIM__COUNT; i++) {
        part[i] = 1;
        all[i] = true;
    }
    cr_assert_float_eq(similarity_combine(part, all), 1.0, 1e-12);
    part[SIM_TEXT] = 0.5;
    part[SIM_STEP] = 0;
    cr_assert_float_eq(similarity_combine(part, all),
                       1 - similarity_weights[SIM_STEP] - 0.5 * similarity_weights[SIM_TEXT],
                       1e-12);
    /* only failure mode and text available: (0.30 x 1 + 0.15 x 0.5) / 0.45 */
    some[SIM_FAILURE_MODE] = some[SIM_TEXT] = true;
    cr_assert_float_eq(similarity_combine(part, some), (0.30 + 0.15 * 0.5) / 0.45, 1e-12);
    bool none[SIM__COUNT] = {0};
    cr_assert_float_eq(similarity_combine(part, none), 0.0, EPS);
    part[SIM_FAILURE_MODE] = 7; /* clamped */
    part[SIM_TEXT] = -1;
    cr_assert_float_eq(similarity_combine(part, some), 0.30 / 0.45, 1e-12);
}
