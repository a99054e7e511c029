/* fuzz_record_fields.c: libFuzzer target for the validators and parsers of incident fields.
 *
 * The input is split at its first NUL or newline into two parts (the first part and the rest;
 * the rest ends at its own first NUL, if any). Each part goes through tag_check,
 * segment_check, signal_parse, severity_parse, status_parse, incident_key_parse,
 * timeline_kind_parse and text_check (single-line and multiline); the whole input up to its
 * first NUL also goes through the multiline text_check so that embedded newlines are seen.
 *
 * Properties checked (abort() on failure):
 *   - incident_key_parse: the seq is positive, and incident_key(seq) parses back to it;
 *   - severity_parse, status_parse, timeline_kind_parse: the name of the value parses back to
 *     the same value;
 *   - signal_parse: the name passes the signal-name text_check and the time is in range
 *     (the name is freed);
 *   - a failed call leaves a non-empty error message. */
#include "core/timefmt.h"
#include "model/incident.h"
#include "model/lifecycle.h"
#include "model/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_MAX 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *s)
{
    fprintf(stderr, "fuzz_record_fields: %s (input '%s')\n", what, s);
    abort();
}

/* A failed call must say why. */
static void check_err(int rc, const struct err *e, const char *what, const char *s)
{
    if (rc != ERR_OK && e->msg[0] == '\0')
        fail(what, s);
}

static void check_part(const char *s)
{
    struct err e = ERR_INIT;
    int rc;

    rc = tag_check(s, &e);
    check_err(rc, &e, "tag_check failed without a message", s);

    e = (struct err)ERR_INIT;
    rc = segment_check(s, &e);
    check_err(rc, &e, "segment_check failed without a message", s);

    e = (struct err)ERR_INIT;
    struct signal sig = {NULL, TIME_UNSET};
    rc = signal_parse(s, &sig, &e);
    check_err(rc, &e, "signal_parse failed without a message", s);
    if (rc == ERR_OK) {
        struct err e2 = ERR_INIT;
        if (!sig.name || text_check("signal name", sig.name, NAME_MAX_LEN, false, &e2) != ERR_OK)
            fail("signal_parse accepted a bad name", s);
        if (sig.at < TIME_MIN_MS || sig.at > TIME_MAX_MS)
            fail("signal_parse returned a time out of range", s);
        free(sig.name);
    }

    e = (struct err)ERR_INIT;
    enum severity sev;
    rc = severity_parse(s, &sev, &e);
    check_err(rc, &e, "severity_parse failed without a message", s);
    if (rc == ERR_OK) {
        enum severity back;
        if (sev < SEV1 || sev > SEV_MAX ||
            severity_parse(severity_name(sev), &back, NULL) != ERR_OK || back != sev)
            fail("severity does not round-trip", s);
    }

    e = (struct err)ERR_INIT;
    enum incident_status st;
    rc = status_parse(s, &st, &e);
    check_err(rc, &e, "status_parse failed without a message", s);
    if (rc == ERR_OK) {
        enum incident_status back;
        if ((unsigned)st >= ST__COUNT || status_parse(status_name(st), &back, NULL) != ERR_OK ||
            back != st)
            fail("status does not round-trip", s);
    }

    e = (struct err)ERR_INIT;
    int64_t seq;
    rc = incident_key_parse(s, &seq, &e);
    check_err(rc, &e, "incident_key_parse failed without a message", s);
    if (rc == ERR_OK) {
        if (seq < 1)
            fail("incident_key_parse returned a seq below 1", s);
        char key[INCIDENT_KEY_MAX];
        incident_key(seq, key);
        int64_t back;
        struct err e2 = ERR_INIT;
        if (incident_key_parse(key, &back, &e2) != ERR_OK || back != seq) {
            fprintf(stderr, "fuzz_record_fields: seq %lld -> '%s' does not parse back\n",
                    (long long)seq, key);
            fail("incident key does not round-trip", s);
        }
    }

    e = (struct err)ERR_INIT;
    enum timeline_kind k;
    rc = timeline_kind_parse(s, &k, &e);
    check_err(rc, &e, "timeline_kind_parse failed without a message", s);
    if (rc == ERR_OK) {
        enum timeline_kind back;
        if ((unsigned)k >= TL__COUNT ||
            timeline_kind_parse(timeline_kind_name(k), &back, NULL) != ERR_OK || back != k)
            fail("timeline kind does not round-trip", s);
    }

    e = (struct err)ERR_INIT;
    rc = text_check("field", s, NAME_MAX_LEN, false, &e);
    check_err(rc, &e, "text_check failed without a message", s);
    e = (struct err)ERR_INIT;
    rc = text_check("field", s, TITLE_MAX, true, &e);
    check_err(rc, &e, "multiline text_check failed without a message", s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_MAX)
        return 0;
    char buf[INPUT_MAX + 1];
    memcpy(buf, data, size);
    buf[size] = '\0';

    /* The whole input (to its first NUL) as multiline text: it may hold newlines. */
    struct err e = ERR_INIT;
    int rc = text_check("summary", buf, TEXT_MAX, true, &e);
    check_err(rc, &e, "multiline text_check failed without a message", buf);

    size_t cut = 0;
    while (cut < size && buf[cut] != '\0' && buf[cut] != '\n')
        cut++;
    const char *rest = cut < size ? buf + cut + 1 : buf + size; /* "" when no separator */
    buf[cut] = '\0';

    check_part(buf);
    check_part(rest);
    return 0;
}
