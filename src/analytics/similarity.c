/* similarity.c: set overlap (Jaccard), words of a text, TF-IDF cosine, and the weighted score
 * of two incidents (docs/search.md has the formula and why the weights are what they are). */
#include "analytics/similarity.h"

#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Failure modes weigh most: the same way of failing is what makes an incident a repeat. Then
 * where it happened (services, segments) and what the words say; the funnel step and the kind
 * of change are single values that many unrelated incidents share. */
const double similarity_weights[SIM__COUNT] = {
    [SIM_FAILURE_MODE] = 0.30, [SIM_TAGS] = 0.10, [SIM_SERVICES] = 0.15,
    [SIM_SEGMENTS] = 0.15,     [SIM_STEP] = 0.10, [SIM_CHANGE] = 0.05,
    [SIM_TEXT] = 0.15,
};

static bool seen_before(const struct strlist *l, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(l->items[j], l->items[i]) == 0)
            return true;
    return false;
}

/* The number of distinct items of l. */
static size_t distinct(const struct strlist *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += !seen_before(l, i);
    return n;
}

double similarity_jaccard(const struct strlist *a, const struct strlist *b)
{
    size_t na = distinct(a), nb = distinct(b), both = 0;
    for (size_t i = 0; i < a->n; i++)
        if (!seen_before(a, i) && strlist_contains(b, a->items[i]))
            both++;
    size_t any = na + nb - both;
    return any ? (double)both / (double)any : 0.0;
}

/* ---- words ---- */

static const char *const stopwords[] = {
    "a", "about", "after", "all", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "but", "by", "can", "could", "did", "do", "does", "during", "for", "from", "had", "has",
    "have", "how", "in", "into", "is", "it", "its", "no", "not", "of", "on", "or", "our", "out",
    "over", "so", "some", "than", "that", "the", "their", "then", "there", "they", "this", "to",
    "up", "was", "we", "were", "what", "when", "which", "while", "who", "will", "with", "would",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_stopword(const char *w)
{
    return bsearch(&w, stopwords, sizeof(stopwords) / sizeof(stopwords[0]), sizeof(stopwords[0]),
                   cmp_str) != NULL;
}

static bool word_byte(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch >= 0x80;
}

void similarity_tokenize(const char *text, struct strlist *ret)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    while (*p) {
        while (*p && !word_byte(*p))
            p++;
        const unsigned char *w = p;
        while (*p && word_byte(*p))
            p++;
        size_t len = (size_t)(p - w);
        if (len < 2)
            continue;
        char *word = xstrndup((const char *)w, len);
        for (size_t i = 0; i < len; i++)
            if (word[i] >= 'A' && word[i] <= 'Z')
                word[i] = (char)(word[i] - 'A' + 'a');
        if (!is_stopword(word))
            strlist_push(ret, word);
        free(word);
    }
}

/* ---- TF-IDF ---- */

static int by_code(const void *pa, const void *pb)
{
    const struct tfidf_term *a = pa, *b = pb;
    return a->code < b->code ? -1 : a->code > b->code;
}

/* The document's distinct words (codes, sorted) with their counts in w, and its df share. */
static void count_words(struct tfidf *t, const struct strlist *words, struct tfidf_doc *d)
{
    d->terms = xcalloc(words->n ? words->n : 1, sizeof(*d->terms));
    for (size_t i = 0; i < words->n; i++) {
        d->terms[i].code = strdict_intern(&t->words, words->items[i], strlen(words->items[i]));
        d->terms[i].w = 1;
    }
    qsort(d->terms, words->n, sizeof(*d->terms), by_code);
    size_t n = 0;
    for (size_t i = 0; i < words->n; i++) {
        if (n && d->terms[n - 1].code == d->terms[i].code)
            d->terms[n - 1].w += 1;
        else
            d->terms[n++] = d->terms[i];
    }
    d->n = n;
}

void tfidf_build(struct tfidf *t, const struct strlist *docs, size_t n_docs)
{
    t->docs = xcalloc(n_docs ? n_docs : 1, sizeof(*t->docs));
    t->n_docs = n_docs;
    for (size_t i = 0; i < n_docs; i++)
        count_words(t, &docs[i], &t->docs[i]);
    size_t n_words = t->words.n;
    double *df = xcalloc(n_words ? n_words : 1, sizeof(*df));
    for (size_t i = 0; i < n_docs; i++)
        for (size_t k = 0; k < t->docs[i].n; k++)
            df[t->docs[i].terms[k].code - 1] += 1;
    t->idf = xcalloc(n_words ? n_words : 1, sizeof(*t->idf));
    for (size_t c = 0; c < n_words; c++)
        t->idf[c] = 1 + log((1 + (double)n_docs) / (1 + df[c]));
    free(df);
    for (size_t i = 0; i < n_docs; i++) {
        struct tfidf_doc *d = &t->docs[i];
        double sum = 0;
        for (size_t k = 0; k < d->n; k++) {
            d->terms[k].w = (1 + log(d->terms[k].w)) * t->idf[d->terms[k].code - 1];
            sum += d->terms[k].w * d->terms[k].w;
        }
        d->norm = sqrt(sum);
    }
}

void tfidf_release(struct tfidf *t)
{
    for (size_t i = 0; i < t->n_docs; i++)
        free(t->docs[i].terms);
    free(t->docs);
    free(t->idf);
    strdict_release(&t->words);
    *t = (struct tfidf)TFIDF_INIT;
}

double tfidf_cosine(const struct tfidf *t, size_t a, size_t b)
{
    const struct tfidf_doc *x = &t->docs[a], *y = &t->docs[b];
    if (x->norm <= 0 || y->norm <= 0)
        return 0;
    double dot = 0;
    for (size_t i = 0, j = 0; i < x->n && j < y->n;) {
        if (x->terms[i].code < y->terms[j].code)
            i++;
        else if (x->terms[i].code > y->terms[j].code)
            j++;
        else
            dot += x->terms[i++].w * y->terms[j++].w;
    }
    double c = dot / (x->norm * y->norm);
    return c > 1 ? 1 : c; /* rounding may pass 1 for identical documents */
}

struct shared_word {
    const char *word;
    size_t len;
    double w;
};

static int by_weight(const void *pa, const void *pb)
{
    const struct shared_word *a = pa, *b = pb;
    if (a->w != b->w)
        return a->w < b->w ? 1 : -1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->word, b->word, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

void tfidf_shared_words(const struct tfidf *t, size_t a, size_t b, size_t k, struct strlist *ret)
{
    const struct tfidf_doc *x = &t->docs[a], *y = &t->docs[b];
    struct shared_word *list = xcalloc(x->n ? x->n : 1, sizeof(*list));
    size_t n = 0;
    for (size_t i = 0, j = 0; i < x->n && j < y->n;) {
        if (x->terms[i].code < y->terms[j].code) {
            i++;
        } else if (x->terms[i].code > y->terms[j].code) {
            j++;
        } else {
            list[n].word = strdict_str(&t->words, x->terms[i].code, &list[n].len);
            list[n++].w = x->terms[i++].w * y->terms[j++].w;
        }
    }
    qsort(list, n, sizeof(*list), by_weight);
    for (size_t i = 0; i < n && i < k; i++) {
        char *w = xstrndup(list[i].word, list[i].len);
        strlist_push(ret, w);
        free(w);
    }
    free(list);
}

/* ---- the score ---- */

double similarity_combine(const double part[SIM__COUNT], const bool available[SIM__COUNT])
{
    double sum = 0, weights = 0;
    for (int i = 0; i < SIM__COUNT; i++) {
        if (!available[i])
            continue;
        double p = part[i] < 0 ? 0 : part[i] > 1 ? 1 : part[i];
        sum += similarity_weights[i] * p;
        weights += similarity_weights[i];
    }
    return weights > 0 ? sum / weights : 0;
}
