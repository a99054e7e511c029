/* test_num.c: strict number parsing. */
#include "core/err.h"
#include "core/num.h"

#include <criterion/criterion.h>

Test(num_i64, accepts_plain_integers)
{
    int64_t v = 0;
    cr_assert_eq(num_parse_i64("0", &v), ERR_OK);
    cr_assert_eq(v, 0);
    cr_assert_eq(num_parse_i64("-5", &v), ERR_OK);
    cr_assert_eq(v, -5);
    cr_assert_eq(num_parse_i64("+12", &v), ERR_OK);
    cr_assert_eq(v, 12);
    cr_assert_eq(num_parse_i64("007", &v), ERR_OK);
    cr_assert_eq(v, 7);
    cr_assert_eq(num_parse_i64("9223372036854775807", &v), ERR_OK);
    cr_assert_eq(v, INT64_MAX);
    cr_assert_eq(num_parse_i64("-9223372036854775808", &v), ERR_OK);
    cr_assert_eq(v, INT64_MIN);
}

Test(num_i64, rejects_junk_and_leaves_output_alone)
{
    static const char *const bad[] = {
        "", " 1", "1 ", "1x", "x1", "0x10", "1.5", "1e3", "-", "+", "--1", "+-1", "1-",
        "inf", "nan", "\t1", "1\n",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999999",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t v = 1234;
        cr_assert_eq(num_parse_i64(bad[i], &v), ERR_INVALID, "'%s' should be refused", bad[i]);
        cr_assert_eq(v, 1234, "'%s' must not write the output", bad[i]);
    }
}

Test(num_i64, rejects_null)
{
    int64_t v = 3;
    cr_assert_eq(num_parse_i64(NULL, &v), ERR_INVALID);
    cr_assert_eq(v, 3);
}

Test(num_i64_range, checks_bounds_inclusively)
{
    int64_t v = 99;
    cr_assert_eq(num_parse_i64_range("1", 1, 4, &v), ERR_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(num_parse_i64_range("4", 1, 4, &v), ERR_OK);
    cr_assert_eq(v, 4);
    v = 99;
    cr_assert_eq(num_parse_i64_range("0", 1, 4, &v), ERR_INVALID);
    cr_assert_eq(num_parse_i64_range("5", 1, 4, &v), ERR_INVALID);
    cr_assert_eq(num_parse_i64_range("-1", 0, INT64_MAX, &v), ERR_INVALID);
    cr_assert_eq(num_parse_i64_range("2x", 1, 4, &v), ERR_INVALID);
    cr_assert_eq(v, 99);
}

Test(num_double, accepts_decimal_forms)
{
    double v = 0;
    cr_assert_eq(num_parse_double("-5", &v), ERR_OK);
    cr_assert_eq(v, -5.0);
    cr_assert_eq(num_parse_double("3.25", &v), ERR_OK);
    cr_assert_eq(v, 3.25);
    cr_assert_eq(num_parse_double("1e3", &v), ERR_OK);
    cr_assert_eq(v, 1000.0);
    cr_assert_eq(num_parse_double("1E-2", &v), ERR_OK);
    cr_assert_float_eq(v, 0.01, 1e-15);
    cr_assert_eq(num_parse_double("2.5e+2", &v), ERR_OK);
    cr_assert_eq(v, 250.0);
    cr_assert_eq(num_parse_double(".5", &v), ERR_OK);
    cr_assert_eq(v, 0.5);
    cr_assert_eq(num_parse_double("7.", &v), ERR_OK);
    cr_assert_eq(v, 7.0);
    cr_assert_eq(num_parse_double("+0", &v), ERR_OK);
    cr_assert_eq(v, 0.0);
    cr_assert_eq(num_parse_double("1e-400", &v), ERR_OK, "underflow to zero is accepted");
    cr_assert(v >= 0.0 && v < 1e-300);
}

Test(num_double, rejects_non_decimal_and_overflow)
{
    static const char *const bad[] = {
        "", " 1", "1 ", "1x", "inf", "-inf", "INF", "infinity", "nan", "NaN", "0x10", "0x1p3",
        ".", "-", "+", "e3", "1e", "1e+", "1.2.3", "1e3.5", "--1", "1,5", "1e400", "-1e400",
        "\n1",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        double v = 42.0;
        cr_assert_eq(num_parse_double(bad[i], &v), ERR_INVALID, "'%s' should be refused", bad[i]);
        cr_assert_eq(v, 42.0, "'%s' must not write the output", bad[i]);
    }
    double v = 1.0;
    cr_assert_eq(num_parse_double(NULL, &v), ERR_INVALID);
}
