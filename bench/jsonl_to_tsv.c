/*
 * jsonl_to_tsv: turns hindsight demo events.jsonl into one tab-separated file for the peers of
 * bench/bench_evidence.sh (sqlite3 `.mode tabs` + `.import`, ClickHouse FORMAT TabSeparated).
 *
 *   jsonl_to_tsv events.jsonl events.tsv
 *
 * Columns, no header:
 *   ts (UTC ms), event, distinct_id, session_id, platform, app_version, country, plan,
 *   latency_ms, revenue
 *
 * jansson takes about 8 us a line here (80 s for the 10 million lines of a scale-50 run), so each
 * line is first scanned by a small flat scanner that only finds the ten values (numbers are
 * copied as their JSON text); a line it does not handle (a string with an escape, anything
 * unexpected) goes to jansson. The scanner does not validate what it skips, which is good
 * enough for the generated data this is for. A missing text property is written empty, a
 * missing or non-numeric number as 0 (and counted). Tabs, newlines, backslashes and double quotes inside a
 * value would be read differently by the two peers, so they are replaced by '_' (and counted).
 * A line that is not a JSON object with an event and a timestamp is skipped (and counted).
 * Prints one summary line on stderr. Build: cc -O2 jsonl_to_tsv.c -ljansson
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long n_missing, n_altered;

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* RFC 3339: YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM) -> UTC milliseconds. */
static int parse_ts(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, se;
    if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &se))
        return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return 0;
    const char *p = s + 19;
    int frac = 0, scale = 100;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            frac += (*p - '0') * scale;
            scale /= 10;
        }
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
            return 0;
        off = (oh * 60 + om) * 60000LL * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return 0;
    }
    if (*p)
        return 0;
    *ms = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se) * 1000 +
           frac) - off;
    return 1;
}

/* The ten output values of one line. A value is text (the bytes to write) or absent; numbers
 * are written as their JSON text on the fast path and formatted on the jansson path. */
enum { F_EVENT, F_TS, F_DISTINCT, F_SESSION, F_PLATFORM, F_APPVER, F_COUNTRY, F_PLAN, F_LATENCY,
       F_REVENUE, N_FIELDS };
struct rec {
    const char *s[N_FIELDS];
    size_t n[N_FIELDS];
    int is_num[N_FIELDS]; /* 1 when the value was a JSON number */
};

static const char *top_names[] = {"event", "timestamp", "distinct_id"};
static const int top_fields[] = {F_EVENT, F_TS, F_DISTINCT};
static const char *prop_names[] = {"$session_id", "platform", "app_version", "country", "plan",
                                   "latency_ms", "revenue"};
static const int prop_fields[] = {F_SESSION, F_PLATFORM, F_APPVER, F_COUNTRY, F_PLAN, F_LATENCY,
                                  F_REVENUE};

static int field_of(const char *k, size_t n, int depth)
{
    const char **names = depth == 0 ? top_names : prop_names;
    const int *fields = depth == 0 ? top_fields : prop_fields;
    size_t count = depth == 0 ? 3 : 7;
    for (size_t i = 0; i < count; i++)
        if (strlen(names[i]) == n && memcmp(names[i], k, n) == 0)
            return fields[i];
    return -1;
}

static const char *ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* Skips any JSON value (only well-formed enough to find its end). NULL when malformed. */
static const char *skip_value(const char *p, const char *e)
{
    int depth = 0;
    do {
        p = ws(p, e);
        if (p >= e)
            return NULL;
        if (*p == '"') {
            for (p++; p < e && *p != '"'; p++)
                if (*p == '\\')
                    p++;
            if (p >= e)
                return NULL;
            p++;
        } else if (*p == '{' || *p == '[') {
            depth++;
            p++;
        } else if (*p == '}' || *p == ']') {
            depth--;
            p++;
        } else if (*p == ',' || *p == ':') {
            p++;
        } else {
            while (p < e && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
                   *p != '\r' && *p != '\n')
                p++;
        }
    } while (depth > 0);
    return p;
}

/* Fast path: a flat scan of the object and its "properties" object. Returns 0 when the line
 * needs the jansson path (an escape in a string, anything unexpected). */
static int scan_object(const char **pp, const char *e, int depth, struct rec *r)
{
    const char *p = ws(*pp, e);
    if (p >= e || *p != '{')
        return 0;
    p = ws(p + 1, e);
    if (p < e && *p == '}') {
        *pp = p + 1;
        return 1;
    }
    for (;;) {
        if (p >= e || *p != '"')
            return 0;
        const char *k = ++p;
        while (p < e && *p != '"' && *p != '\\')
            p++;
        if (p >= e || *p == '\\')
            return 0;
        size_t kn = (size_t)(p - k);
        p = ws(p + 1, e);
        if (p >= e || *p != ':')
            return 0;
        p = ws(p + 1, e);
        if (p >= e)
            return 0;
        int f = field_of(k, kn, depth);
        if (depth == 0 && kn == 10 && memcmp(k, "properties", 10) == 0 && *p == '{') {
            if (!scan_object(&p, e, 1, r))
                return 0;
        } else if (*p == '"') {
            const char *s = ++p;
            while (p < e && *p != '"' && *p != '\\')
                p++;
            if (p >= e || *p == '\\')
                return 0;
            if (f >= 0) {
                r->s[f] = s;
                r->n[f] = (size_t)(p - s);
                r->is_num[f] = 0;
            }
            p++;
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            const char *s = p;
            while (p < e && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' ||
                             *p == 'e' || *p == 'E'))
                p++;
            if (f >= 0) {
                r->s[f] = s;
                r->n[f] = (size_t)(p - s);
                r->is_num[f] = 1;
            }
        } else {
            if (f >= 0)
                r->s[f] = NULL; /* true, false, null, object, array: not a usable value */
            p = skip_value(p, e);
            if (!p)
                return 0;
        }
        p = ws(p, e);
        if (p < e && *p == ',') {
            p = ws(p + 1, e);
            continue;
        }
        if (p < e && *p == '}') {
            *pp = p + 1;
            return 1;
        }
        return 0;
    }
}

/* The jansson path: any valid JSON line. Values point into *keep (freed by the caller). */
static int load_jansson(const char *line, size_t len, struct rec *r, json_t **keep,
                        char numbuf[2][40])
{
    json_error_t err;
    json_t *o = json_loadb(line, len, 0, &err);
    *keep = o;
    if (!json_is_object(o))
        return 0;
    json_t *p = json_object_get(o, "properties");
    if (!json_is_object(p))
        p = NULL;
    for (int f = 0; f < N_FIELDS; f++) {
        json_t *v = NULL;
        for (int i = 0; i < 3; i++)
            if (top_fields[i] == f)
                v = json_object_get(o, top_names[i]);
        for (int i = 0; i < 7 && p; i++)
            if (prop_fields[i] == f)
                v = json_object_get(p, prop_names[i]);
        r->s[f] = NULL;
        r->is_num[f] = 0;
        if (json_is_string(v)) {
            r->s[f] = json_string_value(v);
            r->n[f] = json_string_length(v);
        } else if (json_is_number(v) && (f == F_LATENCY || f == F_REVENUE)) {
            char *b = numbuf[f == F_REVENUE];
            double x = json_number_value(v);
            if (json_is_integer(v))
                snprintf(b, 40, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            else if (x == floor(x) && fabs(x) < 1e15)
                snprintf(b, 40, "%lld", (long long)x);
            else
                for (int prec = 15; prec <= 17; prec++) {
                    snprintf(b, 40, "%.*g", prec, x);
                    if (strtod(b, NULL) == x)
                        break;
                }
            r->s[f] = b;
            r->n[f] = strlen(b);
            r->is_num[f] = 1;
        }
    }
    return 1;
}

static void put_text(FILE *out, const struct rec *r, int f)
{
    if (!r->s[f] || r->is_num[f]) {
        n_missing++;
        return;
    }
    const char *s = r->s[f];
    for (size_t i = 0; i < r->n[f]; i++) {
        char c = s[i];
        if (c == '\t' || c == '\n' || c == '\r' || c == '\\' || c == '"' || c == '\0') {
            c = '_';
            n_altered++;
        }
        putc_unlocked(c, out);
    }
}

static void put_number(FILE *out, const struct rec *r, int f)
{
    if (!r->s[f] || !r->is_num[f]) {
        n_missing++;
        putc_unlocked('0', out);
        return;
    }
    fwrite(r->s[f], 1, r->n[f], out);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: jsonl_to_tsv events.jsonl out.tsv\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    FILE *out = fopen(argv[2], "w");
    if (!in || !out) {
        perror(!in ? argv[1] : argv[2]);
        return 1;
    }
    setvbuf(in, NULL, _IOFBF, 1 << 20);
    setvbuf(out, NULL, _IOFBF, 1 << 20);

    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long long n_in = 0, n_out = 0, n_bad = 0, n_slow = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        n_in++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        struct rec r;
        memset(&r, 0, sizeof(r));
        json_t *keep = NULL;
        char numbuf[2][40];
        const char *p = line;
        int ok = scan_object(&p, line + len, 0, &r) && ws(p, line + len) == line + len;
        if (!ok) {
            memset(&r, 0, sizeof(r));
            ok = load_jansson(line, (size_t)len, &r, &keep, numbuf);
            n_slow++;
        }
        char tsbuf[64];
        int64_t ts;
        if (!ok || !r.s[F_EVENT] || r.is_num[F_EVENT] || !r.s[F_TS] || r.is_num[F_TS] ||
            r.n[F_TS] >= sizeof(tsbuf)) {
            n_bad++;
            json_decref(keep);
            continue;
        }
        memcpy(tsbuf, r.s[F_TS], r.n[F_TS]);
        tsbuf[r.n[F_TS]] = '\0';
        if (!parse_ts(tsbuf, &ts)) {
            n_bad++;
            json_decref(keep);
            continue;
        }
        fprintf(out, "%lld", (long long)ts);
        for (int f = F_EVENT; f < N_FIELDS; f++) {
            if (f == F_TS)
                continue;
            putc_unlocked('\t', out);
            if (f == F_LATENCY || f == F_REVENUE)
                put_number(out, &r, f);
            else
                put_text(out, &r, f);
        }
        putc_unlocked('\n', out);
        n_out++;
        json_decref(keep);
    }
    free(line);
    if (ferror(in) || fclose(out) != 0) {
        perror("jsonl_to_tsv");
        return 1;
    }
    fclose(in);
    fprintf(stderr, "jsonl_to_tsv: %lld lines, %lld rows written, %lld bad lines skipped, "
                    "%lld missing values, %lld characters replaced, %lld lines parsed by jansson\n",
            n_in, n_out, n_bad, n_missing, n_altered, n_slow);
    return 0;
}
