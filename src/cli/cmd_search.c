/* cmd_search.c: hindsight search QUERY (full text over every incident) and hindsight similar
 * KEY (past incidents like this one, and fixes that did not hold). docs/search.md. */
#include "cli/cli.h"

#include "app/search.h"
#include "app/similar.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "model/action.h"
#include "model/incident.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *time_json(int64_t ms)
{
    char t[TIME_STR_MAX];
    return json_string(time_format_rfc3339(ms, t));
}

/* The length of the UTF-8 sequence at p, 0 when it is not one (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = 0;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4;
    unsigned char lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
    if (n && (p[1] < lo || p[1] > hi))
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

/* s as a JSON string. A record may hold bytes that are not UTF-8 (nothing refuses them on the
 * way in); they become U+FFFD here, so that no match is dropped from the output. */
static json_t *text_json(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    struct buf b = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n) {
            buf_append(&b, p, n);
            p += n;
        } else {
            buf_puts(&b, "\xef\xbf\xbd");
            p++;
        }
    }
    v = json_string(buf_str(&b));
    buf_release(&b);
    return v ? v : json_string("");
}

/* Scores to 4 significant digits: enough to rank, the same bytes on every machine, and still
 * visible when bm25 is tiny (a store of a few incidents: every word is in most of them). */
static json_t *score_json(double v)
{
    if (isnan(v))
        return json_null();
    char text[32];
    double r;
    snprintf(text, sizeof(text), "%.4g", v);
    return json_real(num_parse_double(text, &r) == 0 ? r : v);
}

/* "2026-03-04" of a time. */
static const char *day(int64_t ms, char out[TIME_STR_MAX])
{
    time_format_rfc3339(ms, out);
    out[10] = '\0';
    return out;
}

/* ---- search ---- */

static const struct opt_spec search_spec[] = {
    {"tag", OPT_LIST, "NS:VALUE", "only incidents with this tag (repeatable: all must hold)"},
    {"limit", OPT_VALUE, "N", "at most N matches (default 20)"},
    {"json", OPT_FLAG, NULL, "print JSON"},
};

static json_t *search_json(const char *query, const struct search_hit *hits, size_t n)
{
    json_t *results = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct search_hit *h = &hits[i];
        char key[INCIDENT_KEY_MAX];
        incident_key(h->seq, key);
        json_array_append_new(results, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "key", key,
                                                 "kind", h->kind, "ref", text_json(h->ref),
                                                 "title", text_json(h->title), "snippet",
                                                 text_json(h->snippet), "score",
                                                 score_json(h->score)));
    }
    return json_pack("{s:o, s:o}", "query", text_json(query), "results", results);
}

/* Grouped by incident, the incidents in the order of their best match. */
static void print_search(const char *query, const struct search_hit *hits, size_t n)
{
    if (!n) {
        printf("no match for '%s'\n", query);
        return;
    }
    bool *done = xcalloc(n, sizeof(*done));
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++)
            if (hits[j].seq == hits[i].seq) {
                groups += j == i;
                break;
            }
    printf("%zu match%s for '%s' in %zu incident%s, best first\n", n, n == 1 ? "" : "es", query,
           groups, groups == 1 ? "" : "s");
    char key[INCIDENT_KEY_MAX], d[TIME_STR_MAX];
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        incident_key(hits[i].seq, key);
        printf("\n%s  %s  %s\n", key, day(hits[i].started_at, d), hits[i].title);
        for (size_t j = i; j < n; j++) {
            if (hits[j].seq != hits[i].seq)
                continue;
            done[j] = true;
            printf("  %-11s %-14s %8.3g  %s\n", hits[j].kind, hits[j].ref, hits[j].score,
                   hits[j].snippet);
        }
    }
    free(done);
}

int cmd_search(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "search", "search QUERY... [--tag NS:VALUE]... [--limit N] [--json]",
                       "Searches the text of every incident: titles, summaries, postmortem "
                       "sections,\ntimeline entries, hypotheses, evidence notes, actions and "
                       "their notes, decisions.\nRanked by bm25 (a title weighs ten bodies). "
                       "QUERY: words (all must occur),\n\"a phrase\", pay* (a prefix), -word "
                       "(excluded), a OR b. Put a query that starts\nwith '-' after '--'. "
                       "docs/search.md.", search_spec, ARRAY_SIZE(search_spec), argc, argv,
                       CLI_ONE_OR_MORE, "the query", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    char *query = strlist_join(&o.positional, " ");
    const struct strlist *tags = opts_list(&o, "tag");
    struct search_request rq = {query, tags && tags->n ? tags : NULL, opts_value(&o, "limit")};
    struct search_hit *hits = NULL;
    size_t n = 0;
    if (app_search(a, &rq, &hits, &n, &e) < 0) {
        free(query);
        return cli_finish(&o, a, cli_fail(&e));
    }
    if (opts_flag(&o, "json"))
        cli_print_json(search_json(query, hits, n));
    else
        print_search(query, hits, n);
    search_hits_free(hits, n);
    free(query);
    return cli_finish(&o, a, EXIT_OK);
}

/* ---- similar ---- */

static const struct opt_spec similar_spec[] = {
    {"limit", OPT_VALUE, "N", "at most N past incidents (default 10)"},
    {"json", OPT_FLAG, NULL, "print JSON"},
};

static json_t *strings_json(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, text_json(l->items[i]));
    return a;
}

static json_t *match_json(const struct similar_match *m)
{
    char key[INCIDENT_KEY_MAX];
    incident_key(m->seq, key);
    json_t *parts = json_object();
    for (int p = 0; p < SIMILAR_PARTS; p++)
        json_object_set_new(parts, similar_part_names[p], score_json(m->parts[p]));
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "key", key, "score", score_json(m->score),
                     "shared", strings_json(&m->shared), "started_at", time_json(m->started_at),
                     "title", text_json(m->title), "parts", parts);
}

static json_t *fix_json(const struct similar_fix *f)
{
    char key[INCIDENT_KEY_MAX], ak[32];
    incident_key(f->seq, key);
    json_t *ids = json_array(), *detail = json_array();
    for (size_t k = 0; k < f->n_actions; k++) {
        action_key(f->actions[k].id, ak);
        json_array_append_new(ids, json_string(ak));
        json_array_append_new(detail, json_pack("{s:s, s:o, s:o}", "action", ak, "text",
                                                text_json(f->actions[k].text), "verified_at",
                                                time_json(f->actions[k].verified_at)));
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "key", key, "title", text_json(f->title),
                     "actions", ids, "failure_mode", text_json(f->failure_mode), "verified_at",
                     time_json(f->verified_at), "verified", detail);
}

static json_t *similar_json(const struct similar_report *r)
{
    char key[INCIDENT_KEY_MAX];
    incident_key(r->seq, key);
    json_t *results = json_array(), *fixes = json_array();
    for (size_t i = 0; i < r->n_matches; i++)
        json_array_append_new(results, match_json(&r->matches[i]));
    for (size_t i = 0; i < r->n_fixes; i++)
        json_array_append_new(fixes, fix_json(&r->fixes[i]));
    return json_pack("{s:s, s:o, s:o, s:I, s:o, s:o}", "key", key, "title", text_json(r->title),
                     "started_at", time_json(r->started_at), "compared", (json_int_t)r->n_past,
                     "results", results, "failed_fixes", fixes);
}

static void print_fixes(const struct similar_report *r)
{
    char key[INCIDENT_KEY_MAX], ak[32], t[TIME_STR_MAX];
    for (size_t i = 0; i < r->n_fixes; i++) {
        const struct similar_fix *f = &r->fixes[i];
        incident_key(f->seq, key);
        printf("\nFailed fix: %s is back. %s (%s) had it, and its action%s verified before this "
               "incident:\n", f->failure_mode, key, f->title, f->n_actions == 1 ? " was" : "s were");
        for (size_t k = 0; k < f->n_actions; k++) {
            action_key(f->actions[k].id, ak);
            printf("  %-6s verified %s  %s\n", ak, time_format_rfc3339(f->actions[k].verified_at,
                                                                         t), f->actions[k].text);
        }
    }
}

static void print_similar(const struct similar_report *r)
{
    char key[INCIDENT_KEY_MAX], other[INCIDENT_KEY_MAX], t[TIME_STR_MAX];
    incident_key(r->seq, key);
    if (!r->n_past) {
        printf("%s (%s) is the earliest incident in this store: there is no past incident to "
               "compare it with\n", key, r->title);
        return;
    }
    if (!r->n_matches) {
        printf("no incident before %s (%s) shares anything with it (%zu compared)\n", key,
               r->title, r->n_past);
    } else {
        printf("Past incidents like %s (%s, started %s), best first (%zu compared)\n", key,
               r->title, time_format_rfc3339(r->started_at, t), r->n_past);
        for (size_t i = 0; i < r->n_matches; i++) {
            const struct similar_match *m = &r->matches[i];
            incident_key(m->seq, other);
            char *shared = strlist_join(&m->shared, "; ");
            printf("\n  %-7s %.2f  %s  %s\n          shares: %s\n", other, m->score,
                   day(m->started_at, t), m->title, shared);
            free(shared);
        }
    }
    print_fixes(r);
}

int cmd_similar(int argc, char **argv)
{
    struct opts o;
    struct app *a = NULL;
    int rc = cli_start(&o, "similar", "similar KEY [--limit N] [--json]",
                       "Lists the incidents that started before KEY, most alike first: shared "
                       "failure modes,\ntags, services, segments, broken funnel step, kind of "
                       "change, and words (score\nin [0, 1]). Says when a failure mode whose "
                       "actions were verified has come back.\ndocs/search.md.", similar_spec,
                       ARRAY_SIZE(similar_spec), argc, argv, 1, "the incident key", &a);
    if (rc >= 0)
        return rc;
    struct err e = ERR_INIT;
    struct similar_report r;
    if (app_similar(a, o.positional.items[0], opts_value(&o, "limit"), &r, &e) < 0)
        return cli_finish(&o, a, cli_fail(&e));
    if (opts_flag(&o, "json"))
        cli_print_json(similar_json(&r));
    else
        print_similar(&r);
    similar_report_release(&r);
    return cli_finish(&o, a, EXIT_OK);
}
