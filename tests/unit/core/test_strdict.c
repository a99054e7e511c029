/* test_strdict.c: string interning: dense codes in order of first sight, lookups, embedded
 * NUL bytes and empty strings, growth through many rehashes, reset. */
#include "core/strdict.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static uint32_t intern_s(struct strdict *d, const char *s)
{
    return strdict_intern(d, s, strlen(s));
}

static uint32_t find_s(const struct strdict *d, const char *s)
{
    return strdict_find(d, s, strlen(s));
}

/* Checks that code holds exactly the len bytes of s. */
static void expect_str(const struct strdict *d, uint32_t code, const char *s, size_t len)
{
    size_t got_len;
    const char *got = strdict_str(d, code, &got_len);
    cr_assert_eq(got_len, len, "code %u: length %zu, expected %zu", code, got_len, len);
    cr_assert_eq(memcmp(got, s, len), 0, "code %u: wrong bytes", code);
}

Test(core_strdict, codes_dense_in_order_of_first_sight)
{
    struct strdict d = STRDICT_INIT;
    cr_assert_eq(intern_s(&d, "ios"), 1);
    cr_assert_eq(intern_s(&d, "android"), 2);
    cr_assert_eq(intern_s(&d, "ios"), 1);
    cr_assert_eq(intern_s(&d, "web"), 3);
    cr_assert_eq(intern_s(&d, "android"), 2);
    cr_assert_eq(d.n, 3);
    expect_str(&d, 1, "ios", 3);
    expect_str(&d, 2, "android", 7);
    expect_str(&d, 3, "web", 3);
    strdict_release(&d);
}

Test(core_strdict, equal_bytes_from_different_buffers_share_a_code)
{
    struct strdict d = STRDICT_INIT;
    char a[16], b[16];
    strcpy(a, "checkout");
    strcpy(b, "checkout");
    uint32_t ca = strdict_intern(&d, a, 8);
    a[0] = 'X'; /* the dictionary keeps its own copy */
    uint32_t cb = strdict_intern(&d, b, 8);
    cr_assert_eq(ca, cb);
    cr_assert_eq(d.n, 1);
    expect_str(&d, ca, "checkout", 8);
    /* A prefix is a different string. */
    cr_assert_eq(strdict_intern(&d, b, 5), 2);
    expect_str(&d, 2, "check", 5);
    strdict_release(&d);
}

Test(core_strdict, find_unknown_is_zero)
{
    struct strdict d = STRDICT_INIT;
    cr_assert_eq(find_s(&d, "anything"), 0, "an empty, never used dictionary finds nothing");
    cr_assert_eq(strdict_find(&d, NULL, 0), 0);
    intern_s(&d, "a");
    intern_s(&d, "b");
    cr_assert_eq(find_s(&d, "a"), 1);
    cr_assert_eq(find_s(&d, "b"), 2);
    cr_assert_eq(find_s(&d, "c"), 0);
    cr_assert_eq(find_s(&d, "ab"), 0);
    cr_assert_eq(find_s(&d, ""), 0);
    cr_assert_eq(d.n, 2, "find never adds");
    strdict_release(&d);
}

Test(core_strdict, embedded_nul_and_empty_strings)
{
    struct strdict d = STRDICT_INIT;
    uint32_t empty = strdict_intern(&d, "", 0);
    cr_assert_eq(empty, 1);
    cr_assert_eq(strdict_intern(&d, NULL, 0), empty, "NULL with length 0 is the empty string");
    uint32_t a0b = strdict_intern(&d, "a\0b", 3);
    uint32_t a0c = strdict_intern(&d, "a\0c", 3);
    uint32_t a = strdict_intern(&d, "a", 1);
    uint32_t nul = strdict_intern(&d, "\0", 1);
    uint32_t nul2 = strdict_intern(&d, "\0\0", 2);
    cr_assert_eq(a0b, 2);
    cr_assert_eq(a0c, 3);
    cr_assert_eq(a, 4);
    cr_assert_eq(nul, 5);
    cr_assert_eq(nul2, 6);
    cr_assert_eq(strdict_find(&d, "a\0b", 3), a0b);
    cr_assert_eq(strdict_find(&d, "a\0c", 3), a0c);
    cr_assert_eq(strdict_find(&d, "a\0d", 3), 0);
    cr_assert_eq(strdict_find(&d, "\0", 1), nul);
    cr_assert_eq(strdict_find(&d, "", 0), empty);
    expect_str(&d, a0b, "a\0b", 3);
    expect_str(&d, a0c, "a\0c", 3);
    expect_str(&d, nul2, "\0\0", 2);
    expect_str(&d, empty, "", 0);
    strdict_release(&d);
}

#define MANY 100000

static size_t key_of(char *out, size_t i)
{
    /* Keys of varied lengths (some over 8 bytes, to exercise the word loop of the hash). */
    return (size_t)snprintf(out, 64, i % 3 ? "user-%zu" : "k%zu.device.model.x", i);
}

Test(core_strdict, many_keys_survive_rehashing)
{
    struct strdict d = STRDICT_INIT;
    char key[64];
    for (size_t i = 0; i < MANY; i++) {
        size_t len = key_of(key, i);
        cr_assert_eq(strdict_intern(&d, key, len), (uint32_t)(i + 1), "key %zu", i);
    }
    cr_assert_eq(d.n, MANY);
    cr_assert(d.n_slots >= 2 * d.n, "load factor at most 1/2");
    cr_assert_eq(d.n_slots & (d.n_slots - 1), 0, "slots a power of two");
    for (size_t i = 0; i < MANY; i++) {
        size_t len = key_of(key, i);
        uint32_t code = (uint32_t)(i + 1);
        cr_assert_eq(strdict_find(&d, key, len), code, "key %zu", i);
        cr_assert_eq(strdict_intern(&d, key, len), code, "key %zu interned again", i);
        expect_str(&d, code, key, len);
    }
    cr_assert_eq(d.n, MANY, "interning known keys adds nothing");
    cr_assert_eq(find_s(&d, "user-100000"), 0);
    cr_assert_eq(find_s(&d, "user-"), 0);
    strdict_release(&d);
    cr_assert_null(d.slots);
    cr_assert_eq(d.n, 0);
}

Test(core_strdict, reset_forgets_everything_and_restarts_codes)
{
    struct strdict d = STRDICT_INIT;
    char key[64];
    for (size_t i = 0; i < 1000; i++)
        strdict_intern(&d, key, key_of(key, i));
    size_t slots = d.n_slots;
    strdict_reset(&d);
    cr_assert_eq(d.n, 0);
    cr_assert_eq(d.n_slots, slots, "memory is kept");
    for (size_t i = 0; i < 1000; i++)
        cr_assert_eq(strdict_find(&d, key, key_of(key, i)), 0, "key %zu after reset", i);
    cr_assert_eq(intern_s(&d, "zeta"), 1);
    cr_assert_eq(intern_s(&d, "alpha"), 2);
    cr_assert_eq(intern_s(&d, "zeta"), 1);
    expect_str(&d, 1, "zeta", 4);
    expect_str(&d, 2, "alpha", 5);
    cr_assert_eq(strdict_find(&d, key, key_of(key, 5)), 0);
    /* Reset of a dictionary that never allocated is fine too. */
    struct strdict e = STRDICT_INIT;
    strdict_reset(&e);
    cr_assert_eq(intern_s(&e, "x"), 1);
    strdict_release(&e);
    strdict_release(&d);
}
