/* fuzz_cube.c: libFuzzer target for the cube reader (format/cube_reader.h) and the
 * localisation kernel (analytics/localize.h) on what it accepts.
 *
 * The first byte picks the layout: even, a cube (real, predict and attribute columns); odd, a
 * history with time column "min", measure value/cnt, explained at epoch 600 (when the byte is
 * also a multiple of 3, the plain measure "value"). The rest is the file, read through
 * fmemopen.
 *
 * Properties checked (abort() on failure):
 *   - the reader returns ERR_OK or ERR_INVALID (fmemopen cannot fail to read);
 *   - a refusal carries a message that starts with the file's name;
 *   - an accepted cube has 1..CUBE_MAX_ATTRS attributes, at most as many leaves as data rows,
 *     codes below each attribute's cardinality, values finite and >= 0, and every value code
 *     names a text (cube_value);
 *   - localize() on an accepted cube returns ERR_OK with a known status, causes only when
 *     found, at most 16 of them, each fixing 1..n_attrs attributes to codes below their
 *     cardinality (layer = the number fixed), shares in [0, 1] sorted largest first, and an
 *     explained part in [0, 1]. */
#define _POSIX_C_SOURCE 200809L
#include "format/cube_reader.h"

#include "analytics/localize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_cube: %s\n", what);
    abort();
}

static void check(const struct cube *c)
{
    if (c->n_attrs < 1 || c->n_attrs > CUBE_MAX_ATTRS)
        fail("attribute count out of range");
    if (c->n_leaves > c->rows)
        fail("more leaves than rows");
    for (size_t i = 0; i < c->n_leaves; i++) {
        if (!isfinite(c->real[i]) || !isfinite(c->expected[i]) || c->real[i] < 0 ||
            c->expected[i] < 0)
            fail("a value is negative or not finite");
        for (size_t a = 0; a < c->n_attrs; a++) {
            uint32_t code = c->codes[i * c->n_attrs + a];
            if (code >= c->card[a])
                fail("a code beyond its attribute's cardinality");
            size_t len;
            const char *s = cube_value(c, a, code, &len);
            if (len && memchr(s, '\0', len))
                fail("a value holds a NUL");
        }
    }
}

static void check_localize(const struct cube *c)
{
    struct loc_cube lc = {c->n_leaves, c->n_attrs, c->codes, c->card, c->real, c->expected};
    struct loc_result r;
    struct err e = ERR_INIT;
    if (localize(&lc, NULL, &r, &e) != ERR_OK)
        fail("localize refused a cube the reader accepted");
    if (r.status != LOC_FOUND && r.status != LOC_NO_DEVIATION && r.status != LOC_NO_EXPLANATION)
        fail("unknown status");
    if ((r.status == LOC_FOUND) != (r.n > 0) || r.n > 16)
        fail("cause count does not match the status");
    if (!(r.explained >= 0 && r.explained <= 1))
        fail("explained part out of [0, 1]");
    for (size_t k = 0; k < r.n; k++) {
        const struct loc_cause *lk = &r.causes[k];
        unsigned fixed = 0;
        for (size_t a = 0; a < c->n_attrs; a++) {
            if (lk->values[a] == LOC_ANY)
                continue;
            if (lk->values[a] >= c->card[a])
                fail("a cause's code beyond its attribute's cardinality");
            fixed++;
        }
        if (fixed == 0 || fixed != lk->layer)
            fail("a cause's layer is not the number of attributes it fixes");
        if (!(lk->share >= 0 && lk->share <= 1) || (k && lk->share > r.causes[k - 1].share))
            fail("shares out of [0, 1] or not sorted");
    }
    loc_result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned mode = data[0];
    FILE *f = fmemopen((void *)(uintptr_t)(data + 1), size - 1, "r");
    if (!f)
        return 0;
    struct cube c;
    struct err e = ERR_INIT;
    int rc;
    if (mode % 2 == 0) {
        rc = cube_read(f, "fuzz.csv", &c, &e);
    } else {
        struct cube_history h = {"min", 600000, "value", mode % 3 == 0 ? NULL : "cnt"};
        rc = cube_read_history(f, "fuzz.csv", &h, &c, &e);
    }
    fclose(f);
    if (rc == ERR_OK) {
        check(&c);
        check_localize(&c);
        cube_release(&c);
    } else if (rc != ERR_INVALID) {
        fail("unexpected return code");
    } else if (strncmp(e.msg, "fuzz.csv", 8) != 0) {
        fail("a refusal without the file's name");
    }
    return 0;
}
