/* fuzz_query.c: libFuzzer target for the metric expression parser and printer (query/ast.h).
 *
 * The input, up to its first NUL byte, is the expression.
 *
 * Properties checked (abort() on failure):
 *   - a refusal is ERR_INVALID with a message and a column within 1..length + 1;
 *   - an accepted expression prints to a text that parses again, and that text prints
 *     identically (the printed form is a fixed point);
 *   - a deep copy of the tree prints identically too. */
#include "query/ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "fuzz_query: %s\n  first:  %s\n  second: %s\n", what, a ? a : "",
            b ? b : "");
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct err e = ERR_INIT;
    struct qnode *n = query_parse(text, &e);
    if (!n) {
        if (e.code != ERR_INVALID || !e.msg[0])
            fail("a refusal without ERR_INVALID or a message", text, e.msg);
        if (e.column < 1 || e.column > strlen(text) + 1)
            fail("a refusal with a column outside the text", text, e.msg);
        free(text);
        return 0;
    }
    char *t1 = query_to_text(n);
    e = (struct err)ERR_INIT;
    struct qnode *again = query_parse(t1, &e);
    if (!again)
        fail("the printed form is refused", t1, e.msg);
    char *t2 = query_to_text(again);
    if (strcmp(t1, t2) != 0)
        fail("printing is not a fixed point", t1, t2);
    struct qnode *copy = query_copy(n);
    char *t3 = query_to_text(copy);
    if (strcmp(t1, t3) != 0)
        fail("a copy prints differently", t1, t3);
    free(t3);
    query_free(copy);
    free(t2);
    query_free(again);
    free(t1);
    query_free(n);
    free(text);
    return 0;
}
