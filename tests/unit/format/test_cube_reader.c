/* test_cube_reader.c: both cube layouts from memory: columns in any order, repeated leaves
 * summed, the expected value of a history (pooled ratio without the extreme minutes, shrunk
 * towards the common ratio; the median of a plain sum), and every refusal with its line. */
#define _POSIX_C_SOURCE 200809L
#include "format/cube_reader.h"

#include <criterion/criterion.h>
#include <string.h>

static int read_text(const char *text, struct cube *c, struct err *e)
{
    FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
    cr_assert_not_null(f);
    int rc = cube_read(f, "t.csv", c, e);
    fclose(f);
    return rc;
}

static int read_history(const char *text, const char *num, const char *den, int64_t at_s,
                        struct cube *c, struct err *e)
{
    FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
    cr_assert_not_null(f);
    struct cube_history h = {"min", at_s * 1000, num, den};
    int rc = cube_read_history(f, "h.csv", &h, c, e);
    fclose(f);
    return rc;
}

/* The leaf whose attribute values are the given texts (in attribute order); -1 when none. */
static long find_leaf(const struct cube *c, const char *const *values)
{
    for (size_t i = 0; i < c->n_leaves; i++) {
        bool ok = true;
        for (size_t a = 0; a < c->n_attrs && ok; a++) {
            size_t len;
            const char *s = cube_value(c, a, c->codes[i * c->n_attrs + a], &len);
            ok = len == strlen(values[a]) && memcmp(s, values[a], len) == 0;
        }
        if (ok)
            return (long)i;
    }
    return -1;
}

Test(format_cube, squeeze_layout_any_column_order)
{
    struct cube c;
    struct err e = ERR_INIT;
    cr_assert_eq(read_text("a,real,b,predict\r\nx1,1.5,y1,2\r\nx2,0,y1,0\r\nx1,3,y2,4\r\n"
                           "x1,1,y1,1\r\n", &c, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(c.n_attrs, 2);
    cr_assert_str_eq(c.attrs[0], "a");
    cr_assert_str_eq(c.attrs[1], "b");
    cr_assert_eq(c.n_leaves, 3);
    cr_assert_eq(c.rows, 4);
    cr_assert_eq(c.card[0], 2);
    cr_assert_eq(c.card[1], 2);
    long l = find_leaf(&c, (const char *const[]){"x1", "y1"});
    cr_assert_geq(l, 0);
    cr_assert_float_eq(c.real[l], 2.5, 1e-12); /* repeated rows are summed */
    cr_assert_float_eq(c.expected[l], 3, 1e-12);
    cube_release(&c);
}

Test(format_cube, unicode_and_empty_values)
{
    struct cube c;
    struct err e = ERR_INIT;
    cr_assert_eq(read_text("real,expected,isp\n1,1,联通\n2,2,\n", &c, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(c.n_leaves, 2);
    cr_assert_geq(find_leaf(&c, (const char *const[]){"联通"}), 0);
    cr_assert_geq(find_leaf(&c, (const char *const[]){""}), 0);
    cube_release(&c);
}

Test(format_cube, refusals_name_the_line)
{
    struct cube c;
    struct err e = ERR_INIT;
    cr_assert_eq(read_text("", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "t.csv: empty file"), "%s", e.msg);
    cr_assert_eq(read_text("real,a\n1,x\n", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "t.csv:1: missing column 'predict'"), "%s", e.msg);
    cr_assert_eq(read_text("real,predict\n1,2\n", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "no attribute columns"), "%s", e.msg);
    cr_assert_eq(read_text("real,predict,a\n1,2,x\n1,abc,y\n", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "t.csv:3: column 'predict': expected a number >= 0, got 'abc'"),
              "%s", e.msg);
    cr_assert_eq(e.line, 3);
    cr_assert_eq(read_text("real,predict,a\n-1,2,x\n", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "t.csv:2:"), "%s", e.msg);
    cr_assert_eq(read_text("real,predict,a\n1,2\n", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "t.csv:2: expected 3 cells"), "%s", e.msg);
    cr_assert_eq(read_text("real,predict,a,a\n1,2,x,y\n", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "appears twice"), "%s", e.msg);
    cr_assert_eq(read_text("real,predict,a\n1,2,\"x\n", &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "t.csv:2:"), "%s", e.msg);
}

/* A history of two leaves over six minutes; the anomalous minute is 600. */
static const char HISTORY[] =
    "min,value,cnt,cdn\n"
    "0,2,100,c1\n60,2,100,c1\n120,2,100,c1\n180,2,100,c1\n240,2,100,c1\n300,50,100,c1\n"
    "0,1,50,c2\n60,1,50,c2\n120,1,50,c2\n180,1,50,c2\n240,1,50,c2\n300,1,50,c2\n"
    "600,30,100,c1\n600,1,50,c2\n900,99,99,c1\n";

Test(format_cube, history_ratio)
{
    struct cube c;
    struct err e = ERR_INIT;
    cr_assert_eq(read_history(HISTORY, "value", "cnt", 600, &c, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(c.n_attrs, 1);
    cr_assert_str_eq(c.attrs[0], "cdn");
    long c1 = find_leaf(&c, (const char *const[]){"c1"});
    long c2 = find_leaf(&c, (const char *const[]){"c2"});
    cr_assert_float_eq(c.real[c1], 30, 1e-12);
    cr_assert_float_eq(c.real[c2], 1, 1e-12);
    /* c1: the 50/100 minute and one 2/100 minute are trimmed, pooled 8/400 = 0.02; the prior
     * pulls it a little towards the common ratio (66/900) with 10 units of weight */
    double r_all = 66.0 / 900.0;
    cr_assert_float_eq(c.expected[c1], 100 * (8 + 10 * r_all) / (400 + 10), 1e-9);
    cr_assert_float_eq(c.expected[c2], 50 * (4 + 10 * r_all) / (200 + 10), 1e-9);
    cube_release(&c);
}

Test(format_cube, history_plain_sum_is_a_median)
{
    struct cube c;
    struct err e = ERR_INIT;
    cr_assert_eq(read_history(HISTORY, "value", NULL, 600, &c, &e), ERR_OK, "%s", e.msg);
    cr_assert_eq(c.n_attrs, 2); /* cnt is an attribute now */
    cube_release(&c);
    const char *h = "min,value,cdn\n0,5,c1\n60,7,c1\n120,100,c1\n180,6,c1\n240,9,c2\n"
                    "300,4,c1\n";
    cr_assert_eq(read_history(h, "value", NULL, 300, &c, &e), ERR_OK, "%s", e.msg);
    long c1 = find_leaf(&c, (const char *const[]){"c1"});
    long c2 = find_leaf(&c, (const char *const[]){"c2"});
    cr_assert_float_eq(c.real[c1], 4, 1e-12);
    cr_assert_float_eq(c.expected[c1], 6, 1e-12); /* median of 5, 7, 100, 6, 0 */
    cr_assert_float_eq(c.real[c2], 0, 1e-12);     /* gone at 300 */
    cr_assert_float_eq(c.expected[c2], 0, 1e-12); /* median of 0, 0, 0, 0, 9 */
    cube_release(&c);
}

Test(format_cube, history_refusals)
{
    struct cube c;
    struct err e = ERR_INIT;
    cr_assert_eq(read_history(HISTORY, "value", "cnt", 555, &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "no row at the instant"), "%s", e.msg);
    cr_assert_eq(read_history(HISTORY, "stalls", "cnt", 600, &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "h.csv:1: missing column 'stalls'"), "%s", e.msg);
    cr_assert_eq(read_history("min,value,cnt,cdn\n0,1,2,c1\nnope,1,2,c1\n", "value", "cnt",
                              0, &c, &e), ERR_INVALID);
    cr_assert(strstr(e.msg, "h.csv:3: column 'min'"), "%s", e.msg);
    cr_assert_eq(read_history("min,value,cnt,cdn\n0,1,x,c1\n", "value", "cnt", 0, &c, &e),
                 ERR_INVALID);
    cr_assert(strstr(e.msg, "h.csv:2: column 'cnt'"), "%s", e.msg);
}
