/* test_logtemplate.c: the log template miner (Drain) on known messages, and the rate test
 * against binomial tails computed by hand. */
#include "analytics/logtemplate.h"

#include "core/xalloc.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEAR(a, b, tol) cr_assert(fabs((a) - (b)) < (tol), "%.12g vs %.12g", (double)(a), (double)(b))

static struct lt_result mine(const char *const *msgs, size_t n)
{
    struct lt_params p;
    lt_params_default(&p);
    struct lt_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(lt_mine(msgs, n, &p, &r, &e), ERR_OK, "%s", e.msg);
    return r;
}

Test(logtemplate, numbers_and_ids_give_one_template)
{
    const char *msgs[] = {"user 17 logged in from 10.0.0.1", "user 42 logged in from 10.0.0.7",
                          "user 9 logged in from 192.168.1.1"};
    struct lt_result r = mine(msgs, 3);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.templates[0].text, "user <*> logged in from <*>");
    cr_assert_eq(r.templates[0].count, 3);
    cr_assert_eq(r.templates[0].first, 0);
    cr_assert_eq(r.templates[0].n_tokens, 6);
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(r.of[i], 0);
    lt_result_release(&r);
}

Test(logtemplate, constant_values_stay_varying_ones_are_masked)
{
    const char *msgs[] = {"payment provider timeout sdk=5.2 code=504 order=1929",
                          "payment provider timeout sdk=5.2 code=504 order=1930",
                          "payment provider timeout sdk=5.2 code=504 order=1944"};
    struct lt_result r = mine(msgs, 3);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.templates[0].text, "payment provider timeout sdk=5.2 code=504 order=<*>");
    lt_result_release(&r);
}

Test(logtemplate, differing_values_keep_their_key)
{
    const char *msgs[] = {"payment submitted order=1 method=card",
                          "payment submitted order=2 method=paypal",
                          "payment submitted order=3 method=apple_pay"};
    struct lt_result r = mine(msgs, 3);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.templates[0].text, "payment submitted order=<*> method=<*>");
    lt_result_release(&r);
}

Test(logtemplate, a_single_message_shows_its_numbers_masked)
{
    const char *msgs[] = {"retry 3 of order=55 ms:120 took 2s"};
    struct lt_result r = mine(msgs, 1);
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.templates[0].text, "retry <*> of order=<*> ms:<*> took <*>");
    lt_result_release(&r);
}

Test(logtemplate, different_messages_give_different_templates)
{
    const char *msgs[] = {"cart updated cart=100 items=2", "checkout session created cart=101",
                          "cart updated cart=102 items=5", "disk full",
                          "search index lag seconds=40", "checkout session created cart=103",
                          "slow query table=products ms=900"};
    struct lt_result r = mine(msgs, 7);
    cr_assert_eq(r.n, 5);
    cr_assert_str_eq(r.templates[0].text, "cart updated cart=<*> items=<*>");
    cr_assert_str_eq(r.templates[1].text, "checkout session created cart=<*>");
    cr_assert_str_eq(r.templates[2].text, "disk full");
    cr_assert_str_eq(r.templates[3].text, "search index lag seconds=<*>");
    cr_assert_str_eq(r.templates[4].text, "slow query table=products ms=<*>");
    cr_assert_eq(r.of[2], 0);
    cr_assert_eq(r.of[5], 1);
    cr_assert_eq(r.templates[1].count, 2);
    cr_assert_eq(r.templates[4].first, 6);
    lt_result_release(&r);
}

Test(logtemplate, similarity_threshold)
{
    const char *msgs[] = {"connection reset by peer alpha", "connection reset by server beta"};
    struct lt_result r = mine(msgs, 2); /* simSeq 3/5 >= 0.4: one group */
    cr_assert_eq(r.n, 1);
    cr_assert_str_eq(r.templates[0].text, "connection reset by <*> <*>");
    lt_result_release(&r);
    struct lt_params p;
    lt_params_default(&p);
    p.sim_threshold = 0.9;
    struct err e = ERR_INIT;
    cr_assert_eq(lt_mine(msgs, 2, &p, &r, &e), ERR_OK);
    cr_assert_eq(r.n, 2);
    cr_assert_str_eq(r.templates[1].text, "connection reset by server beta");
    lt_result_release(&r);
}

Test(logtemplate, token_count_separates)
{
    const char *msgs[] = {"job done", "job done in 5s"};
    struct lt_result r = mine(msgs, 2);
    cr_assert_eq(r.n, 2);
    lt_result_release(&r);
}

Test(logtemplate, max_children_sends_new_tokens_to_the_wildcard)
{
    const char *msgs[] = {"alpha x", "beta x", "gamma x"};
    struct lt_params p;
    lt_params_default(&p);
    p.max_children = 2;
    struct lt_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(lt_mine(msgs, 3, &p, &r, &e), ERR_OK);
    cr_assert_eq(r.n, 2);
    cr_assert_str_eq(r.templates[0].text, "alpha x");
    cr_assert_str_eq(r.templates[1].text, "<*> x");
    lt_result_release(&r);
}

Test(logtemplate, empty_messages)
{
    const char *msgs[] = {"", "   \t ", NULL, "x"};
    struct lt_result r = mine(msgs, 4);
    cr_assert_eq(r.n, 2);
    cr_assert_str_eq(r.templates[0].text, "");
    cr_assert_eq(r.templates[0].n_tokens, 0);
    cr_assert_eq(r.templates[0].count, 3);
    cr_assert_str_eq(r.templates[1].text, "x");
    lt_result_release(&r);
    r = mine(NULL, 0);
    cr_assert_eq(r.n, 0);
    lt_result_release(&r);
}

Test(logtemplate, very_long_messages)
{
    size_t words = 1000;
    char *a = xmalloc(words * 4 + 1), *b = xmalloc(words * 4 + 1);
    for (size_t i = 0; i < words; i++)
        memcpy(a + 4 * i, "abc ", 4);
    a[words * 4 - 1] = '\0';
    memcpy(b, a, words * 4);
    b[words * 4 - 2] = 'z'; /* the last word differs: inside the rest-of-line token */
    size_t big = 200000;
    char *c = xmalloc(big + 1);
    memset(c, 'q', big);
    c[big] = '\0';
    const char *msgs[] = {a, b, c};
    struct lt_result r = mine(msgs, 3);
    cr_assert_eq(r.n, 2);
    cr_assert_eq(r.templates[0].n_tokens, LT_MAX_TOKENS);
    cr_assert_eq(r.templates[0].count, 2);
    size_t len = strlen(r.templates[0].text);
    cr_assert_eq(len, (LT_MAX_TOKENS - 1) * 4 + 3, "%zu", len);
    cr_assert(strstr(r.templates[0].text, "abc abc <*>"));
    cr_assert_eq(strlen(r.templates[1].text), big);
    lt_result_release(&r);
    free(a);
    free(b);
    free(c);
}

Test(logtemplate, deterministic)
{
    const char *msgs[] = {"a 1 b", "a 2 b", "c d", "a 3 c", "c e", "x=1 y", "x=2 y"};
    struct lt_result r1 = mine(msgs, 7), r2 = mine(msgs, 7);
    cr_assert_eq(r1.n, r2.n);
    for (size_t i = 0; i < r1.n; i++)
        cr_assert_str_eq(r1.templates[i].text, r2.templates[i].text);
    cr_assert(!memcmp(r1.of, r2.of, 7 * sizeof(*r1.of)));
    lt_result_release(&r1);
    lt_result_release(&r2);
}

Test(logtemplate, bad_parameters)
{
    struct lt_params p;
    lt_params_default(&p);
    p.sim_threshold = 1.5;
    struct lt_result r;
    struct err e = ERR_INIT;
    cr_assert_eq(lt_mine(NULL, 0, &p, &r, &e), ERR_INVALID);
    lt_params_default(&p);
    p.depth = 0;
    cr_assert_eq(lt_mine(NULL, 0, &p, &r, &e), ERR_INVALID);
    lt_params_default(&p);
    p.max_children = 1;
    cr_assert_eq(lt_mine(NULL, 0, &p, &r, &e), ERR_INVALID);
}

Test(logtemplate, mask_token)
{
    char out[32];
    cr_assert(lt_mask_token("504", 3, out, sizeof(out)));
    cr_assert_str_eq(out, "<*>");
    cr_assert(lt_mask_token("order=17", 8, out, sizeof(out)));
    cr_assert_str_eq(out, "order=<*>");
    cr_assert(lt_mask_token("v2=x", 4, out, sizeof(out)));
    cr_assert_str_eq(out, "<*>", "a key with a digit is masked whole");
    cr_assert(!lt_mask_token("checkout", 8, out, sizeof(out)));
    cr_assert_str_eq(out, "checkout");
    cr_assert(!lt_mask_token("checkout", 8, out, 4));
    cr_assert_str_eq(out, "che");
}

Test(logtemplate, rate_test)
{
    double ratio, p;
    /* new: 0 in 24 h, 3 in 1.5 h: p = (1.5 / 25.5)^3 */
    lt_rate_test(0, 24, 3, 1.5, &ratio, &p);
    cr_assert(isinf(ratio));
    NEAR(p, 0.0002035416242621616, 1e-12);
    /* same rate: 10 in 10 h, 1 in 1 h: P(X >= 1), X ~ B(11, 1/11) */
    lt_rate_test(10, 10, 1, 1, &ratio, &p);
    NEAR(ratio, 1.0, 1e-12);
    NEAR(p, 0.6495061005186072, 1e-9);
    /* 10 vs 30 in equal times: P(X >= 30), X ~ B(40, 0.5) */
    lt_rate_test(10, 2, 30, 2, &ratio, &p);
    NEAR(ratio, 3.0, 1e-12);
    NEAR(p, 0.0011107168866146822, 1e-9);
    lt_rate_test(5, 1, 0, 1, &ratio, &p);
    NEAR(ratio, 0, 1e-12);
    NEAR(p, 1.0, 1e-12);
    lt_rate_test(0, 1, 0, 1, &ratio, &p);
    cr_assert(isnan(ratio));
}
