/* similarity.h: how alike two incidents are, from plain lists and texts (hindsight similar,
 * docs/search.md).
 *
 * Pure functions: strings in, numbers out. Sets are given as string lists; duplicates inside a
 * list count once. Texts are compared by TF-IDF cosine over their words. */
#ifndef ANALYTICS_SIMILARITY_H
#define ANALYTICS_SIMILARITY_H

#include "core/common.h"
#include "core/strdict.h"
#include "core/strlist.h"

/* |A and B| / |A or B| (intersection over union) of the two lists as sets; 0 when both are
 * empty. In [0, 1]. */
double similarity_jaccard(const struct strlist *a, const struct strlist *b);

/* Appends the words of text to ret: runs of ASCII letters and digits and of non-ASCII bytes
 * (UTF-8 letters), ASCII lowercased, at least 2 bytes long, common English words left out. */
void similarity_tokenize(const char *text, struct strlist *ret);

/* TF-IDF vectors of a corpus of documents (word lists):
 *   tf(t, d) = 1 + ln(count of t in d)            (sublinear: repeating a word helps less)
 *   idf(t)   = 1 + ln((1 + N) / (1 + df(t)))      (smoothed: never 0, so a shared word counts)
 *   w(t, d)  = tf x idf;  cosine(a, b) = w_a . w_b / (|w_a| |w_b|)
 * N is the number of documents, df(t) how many contain t. */
struct tfidf_term {
    uint32_t code; /* the word's code in terms */
    double w;
};

struct tfidf_doc {
    struct tfidf_term *terms; /* sorted by code */
    size_t n;
    double norm;
};

struct tfidf {
    struct strdict words; /* word -> code 1..n */
    double *idf;          /* idf[code - 1] */
    struct tfidf_doc *docs;
    size_t n_docs;
};

#define TFIDF_INIT {STRDICT_INIT, NULL, NULL, 0}

/* Builds the vectors of docs[0..n_docs) into t (initialised with TFIDF_INIT; release with
 * tfidf_release). */
void tfidf_build(struct tfidf *t, const struct strlist *docs, size_t n_docs);
void tfidf_release(struct tfidf *t);
/* The cosine of documents a and b, in [0, 1]; 0 when either has no word. */
double tfidf_cosine(const struct tfidf *t, size_t a, size_t b);
/* Appends to ret the (at most) k words a and b share that weigh most in their dot product
 * (w_a x w_b), heaviest first, ties by word. */
void tfidf_shared_words(const struct tfidf *t, size_t a, size_t b, size_t k, struct strlist *ret);

/* The parts of the similarity of two incidents and their weights (similarity_weights). */
enum sim_part {
    SIM_FAILURE_MODE, /* Jaccard of the failure-mode:* tags */
    SIM_TAGS,         /* Jaccard of the other tags */
    SIM_SERVICES,     /* Jaccard of the services */
    SIM_SEGMENTS,     /* Jaccard of the segments (recorded and localised) */
    SIM_STEP,         /* 1 when the same funnel step broke */
    SIM_CHANGE,       /* 1 when the same kind of change was behind them */
    SIM_TEXT,         /* TF-IDF cosine of title, summary and postmortem */
    SIM__COUNT
};

extern const double similarity_weights[SIM__COUNT];

/* The weighted score in [0, 1]: sum of weight x part over the parts, divided by the sum of the
 * weights of the parts that are available (the incident compared has something there to
 * share). 0 when none is. Parts are clamped to [0, 1]. */
double similarity_combine(const double part[SIM__COUNT], const bool available[SIM__COUNT]);

#endif
