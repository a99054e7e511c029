/* test_strlist.c: owned, ordered string lists. */
#include "core/strlist.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(strlist, push_copies_and_keeps_order)
{
    struct strlist l = STRLIST_INIT;
    char word[8] = "alpha";
    strlist_push(&l, word);
    strcpy(word, "beta");
    strlist_push(&l, word);
    strlist_push(&l, "alpha"); /* push does not deduplicate */
    cr_assert_eq(l.n, 3);
    cr_assert_str_eq(l.items[0], "alpha", "push must copy the string");
    cr_assert_str_eq(l.items[1], "beta");
    cr_assert_str_eq(l.items[2], "alpha");
    cr_assert_neq(l.items[1], word);
    strlist_release(&l);
    cr_assert_eq(l.n, 0);
    cr_assert_null(l.items);
}

Test(strlist, grows_past_initial_capacity)
{
    struct strlist l = STRLIST_INIT;
    char s[16];
    for (int i = 0; i < 100; i++) {
        snprintf(s, sizeof(s), "item%d", i);
        strlist_push(&l, s);
    }
    cr_assert_eq(l.n, 100);
    cr_assert(l.cap >= 100);
    cr_assert_str_eq(l.items[0], "item0");
    cr_assert_str_eq(l.items[57], "item57");
    cr_assert_str_eq(l.items[99], "item99");
    strlist_release(&l);
}

Test(strlist, add_unique)
{
    struct strlist l = STRLIST_INIT;
    cr_assert(strlist_add_unique(&l, "checkout"));
    cr_assert(strlist_add_unique(&l, "payments"));
    cr_assert(!strlist_add_unique(&l, "checkout"));
    cr_assert(strlist_add_unique(&l, "Checkout"), "comparison is case-sensitive");
    cr_assert_eq(l.n, 3);
    cr_assert_str_eq(l.items[0], "checkout");
    cr_assert_str_eq(l.items[1], "payments");
    cr_assert_str_eq(l.items[2], "Checkout");
    strlist_release(&l);
}

Test(strlist, contains)
{
    struct strlist l = STRLIST_INIT;
    cr_assert(!strlist_contains(&l, "a"));
    strlist_push(&l, "a");
    strlist_push(&l, "bc");
    cr_assert(strlist_contains(&l, "a"));
    cr_assert(strlist_contains(&l, "bc"));
    cr_assert(!strlist_contains(&l, "b"), "no prefix matches");
    cr_assert(!strlist_contains(&l, "bcd"));
    cr_assert(!strlist_contains(&l, ""));
    strlist_release(&l);
}

Test(strlist, remove_drops_every_equal_item)
{
    struct strlist l = STRLIST_INIT;
    strlist_push(&l, "x");
    strlist_push(&l, "y");
    strlist_push(&l, "x");
    strlist_push(&l, "z");
    cr_assert(strlist_remove(&l, "x"));
    cr_assert_eq(l.n, 2);
    cr_assert_str_eq(l.items[0], "y");
    cr_assert_str_eq(l.items[1], "z");
    cr_assert(!strlist_remove(&l, "x"));
    cr_assert(!strlist_remove(&l, "nope"));
    cr_assert_eq(l.n, 2);
    cr_assert(strlist_remove(&l, "z"));
    cr_assert(strlist_remove(&l, "y"));
    cr_assert_eq(l.n, 0);
    cr_assert(!strlist_remove(&l, "y"));
    strlist_release(&l);
}

Test(strlist, remove_from_empty_list)
{
    struct strlist l = STRLIST_INIT;
    cr_assert(!strlist_remove(&l, "a"));
    cr_assert_eq(l.n, 0);
    strlist_release(&l);
}

Test(strlist, copy_is_deep_and_replaces)
{
    struct strlist src = STRLIST_INIT, dst = STRLIST_INIT;
    strlist_push(&src, "one");
    strlist_push(&src, "two");
    strlist_push(&dst, "old1");
    strlist_push(&dst, "old2");
    strlist_push(&dst, "old3");
    strlist_copy(&dst, &src);
    cr_assert_eq(dst.n, 2);
    cr_assert_str_eq(dst.items[0], "one");
    cr_assert_str_eq(dst.items[1], "two");
    cr_assert_neq(dst.items[0], src.items[0], "items must be copies");
    /* changing the source leaves the copy alone */
    src.items[0][0] = 'O';
    strlist_remove(&src, "two");
    cr_assert_str_eq(dst.items[0], "one");
    cr_assert_eq(dst.n, 2);
    /* copying an empty list empties the destination */
    struct strlist empty = STRLIST_INIT;
    strlist_copy(&dst, &empty);
    cr_assert_eq(dst.n, 0);
    strlist_release(&src);
    strlist_release(&dst);
}

Test(strlist, sort_is_bytewise)
{
    struct strlist l = STRLIST_INIT;
    strlist_push(&l, "beta");
    strlist_push(&l, "Zed");
    strlist_push(&l, "alpha");
    strlist_push(&l, "alp");
    strlist_push(&l, "10");
    strlist_push(&l, "9");
    strlist_sort(&l);
    static const char *const want[] = {"10", "9", "Zed", "alp", "alpha", "beta"};
    cr_assert_eq(l.n, 6);
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(l.items[i], want[i], "item %zu", i);
    strlist_release(&l);
}

Test(strlist, sort_of_empty_and_single)
{
    struct strlist l = STRLIST_INIT;
    strlist_sort(&l);
    cr_assert_eq(l.n, 0);
    strlist_push(&l, "only");
    strlist_sort(&l);
    cr_assert_str_eq(l.items[0], "only");
    strlist_release(&l);
}

Test(strlist, join)
{
    struct strlist l = STRLIST_INIT;
    char *s = strlist_join(&l, ", ");
    cr_assert_str_eq(s, "");
    free(s);
    strlist_push(&l, "a");
    s = strlist_join(&l, ", ");
    cr_assert_str_eq(s, "a");
    free(s);
    strlist_push(&l, "b");
    strlist_push(&l, "c");
    s = strlist_join(&l, ", ");
    cr_assert_str_eq(s, "a, b, c");
    free(s);
    s = strlist_join(&l, "");
    cr_assert_str_eq(s, "abc");
    free(s);
    strlist_release(&l);
}
