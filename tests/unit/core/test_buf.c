/* test_buf.c: the growable buffer: appends, printf, the cap and its sticky failure, detach,
 * reset. */
#include "core/buf.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

Test(buf, empty_buffer_reads_as_empty_string)
{
    struct buf b = BUF_INIT;
    cr_assert_null(b.data);
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(b.len, 0);
    cr_assert(!buf_failed(&b));
    buf_release(&b);
}

Test(buf, appends_accumulate_in_order)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "hello");
    buf_putc(&b, ',');
    buf_putc(&b, ' ');
    buf_append(&b, "world!!!", 5);
    cr_assert_str_eq(buf_str(&b), "hello, world");
    cr_assert_eq(b.len, 12);
    cr_assert_eq(b.data[b.len], '\0');
    cr_assert(!buf_failed(&b));
    buf_release(&b);
    cr_assert_null(b.data);
    cr_assert_eq(b.len, 0);
}

Test(buf, append_keeps_embedded_nul_bytes)
{
    struct buf b = BUF_INIT;
    buf_append(&b, "a\0b", 3);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.data, "a\0b", 4), 0);
    buf_release(&b);
}

Test(buf, empty_append_gives_a_string)
{
    struct buf b = BUF_INIT;
    buf_append(&b, "", 0);
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(b.len, 0);
    cr_assert(!buf_failed(&b));
    buf_release(&b);
}

Test(buf, printf_formats_and_appends)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "x=");
    buf_printf(&b, "%d, s=%s, %05.1f", 42, "abc", 3.5);
    buf_printf(&b, "%s", "");
    cr_assert_str_eq(buf_str(&b), "x=42, s=abc, 003.5");
    cr_assert_eq(b.len, strlen("x=42, s=abc, 003.5"));
    buf_release(&b);
}

Test(buf, grows_across_many_appends)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < 10000; i++)
        buf_printf(&b, "%d;", i % 10);
    cr_assert_eq(b.len, 20000);
    cr_assert_eq(strlen(buf_str(&b)), 20000);
    cr_assert_eq(strncmp(buf_str(&b), "0;1;2;3;", 8), 0);
    cr_assert_str_eq(buf_str(&b) + 19996, "8;9;");
    cr_assert(!buf_failed(&b));
    buf_release(&b);
}

Test(buf, cap_allows_exactly_cap_bytes)
{
    struct buf b = BUF_INIT;
    b.cap = 8;
    buf_puts(&b, "12345678");
    cr_assert(!buf_failed(&b));
    cr_assert_str_eq(buf_str(&b), "12345678");
    buf_putc(&b, '9');
    cr_assert(buf_failed(&b));
    cr_assert_str_eq(buf_str(&b), "12345678", "the refused append must leave the contents");
    buf_release(&b);
}

Test(buf, failure_is_sticky)
{
    struct buf b = BUF_INIT;
    b.cap = 8;
    buf_puts(&b, "abc");
    buf_puts(&b, "defghijkl"); /* 3 + 9 > 8: refused */
    cr_assert(buf_failed(&b));
    cr_assert_str_eq(buf_str(&b), "abc");
    buf_puts(&b, "d"); /* would fit, but the buffer has failed */
    buf_printf(&b, "%d", 1);
    buf_append(&b, "x", 1);
    cr_assert(buf_failed(&b));
    cr_assert_str_eq(buf_str(&b), "abc");
    cr_assert_eq(b.len, 3);
    buf_release(&b);
}

Test(buf, printf_respects_cap)
{
    struct buf b = BUF_INIT;
    b.cap = 10;
    buf_printf(&b, "%s", "0123456789abc");
    cr_assert(buf_failed(&b));
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(b.len, 0);
    buf_release(&b);
}

Test(buf, reset_empties_and_clears_failure)
{
    struct buf b = BUF_INIT;
    b.cap = 4;
    buf_puts(&b, "abcd");
    buf_puts(&b, "e");
    cr_assert(buf_failed(&b));
    buf_reset(&b);
    cr_assert(!buf_failed(&b));
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(b.len, 0);
    cr_assert_eq(b.cap, 4, "reset keeps the cap");
    buf_puts(&b, "wxyz");
    cr_assert(!buf_failed(&b));
    cr_assert_str_eq(buf_str(&b), "wxyz");
    buf_puts(&b, "!");
    cr_assert(buf_failed(&b), "the cap still applies after a reset");
    buf_release(&b);
}

Test(buf, reset_of_never_used_buffer)
{
    struct buf b = BUF_INIT;
    buf_reset(&b);
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert(!buf_failed(&b));
    buf_release(&b);
}

Test(buf, detach_hands_over_contents)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "INC-%d", 7);
    char *s = buf_detach(&b);
    cr_assert_str_eq(s, "INC-7");
    cr_assert_null(b.data);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(buf_str(&b), "");
    /* the buffer is reusable after detaching */
    buf_puts(&b, "again");
    cr_assert_str_eq(buf_str(&b), "again");
    cr_assert_str_eq(s, "INC-7");
    free(s);
    buf_release(&b);
}

Test(buf, detach_of_empty_buffer_is_empty_string)
{
    struct buf b = BUF_INIT;
    char *s = buf_detach(&b);
    cr_assert_not_null(s);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(buf, detach_clears_failure)
{
    struct buf b = BUF_INIT;
    b.cap = 2;
    buf_puts(&b, "ab");
    buf_puts(&b, "c");
    cr_assert(buf_failed(&b));
    char *s = buf_detach(&b);
    cr_assert_str_eq(s, "ab");
    cr_assert(!buf_failed(&b));
    free(s);
}
