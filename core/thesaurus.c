/* thesaurus.c — data/thesaurus.tsv's concepts, matched by stem (see
 * thesaurus.h).  Each word is analysed and stemmed when a mixed query
 * asks, once per query word: about 0.6 M instructions per word (3.4 M
 * for a six-word query, some 1 ms), paid only by queries of two
 * languages; a cache per engine would remove it. */
#include "config.h"

#include "thesaurus.h"

#include <string.h>

#include "thesaurus-data.h"

size_t ura_thesaurus_count(void)
{
    return URA_THESAURUS_N;
}

const char *ura_thesaurus_words(size_t i, enum ura_stem_lang l)
{
    if (i >= URA_THESAURUS_N || l <= URA_STEM_NONE || l >= URA_STEM_NLANGS)
        return NULL;
    return ura_thesaurus_data[i][l - URA_STEM_SQ];
}

/* The one token of a word, copied out of the analyser's buffers. */
struct one {
    char term[URA_TERM_MAX + 1], exact[URA_TERM_MAX + 1];
    size_t term_len, exact_len;
    int n;
    int word;
};

static int one_token(void *ctx, const ura_token *t)
{
    struct one *o = ctx;
    if (o->n++ == 0 && t->kind == URA_TOKEN_WORD) {
        memcpy(o->term, t->term, t->term_len);
        o->term[t->term_len] = '\0';
        o->term_len = t->term_len;
        memcpy(o->exact, t->exact, t->exact_len);
        o->exact[t->exact_len] = '\0';
        o->exact_len = t->exact_len;
        o->word = 1;
    }
    return URA_OK;
}

int ura_thesaurus_stem(ura_analyser *a, ura_stemmer *st, enum ura_stem_lang l,
                       const char *w, size_t wn, char out[2][URA_TERM_MAX + 1],
                       ura_error *err)
{
    struct one o = {.n = 0};
    if (ura_analyse(a, w, wn, 1, NULL, one_token, &o, err) != URA_OK)
        return -1;
    if (o.n != 1 || !o.word)
        return 0;
    return ura_stem_token(st, l, o.exact, o.exact_len, o.term, o.term_len, out);
}

/* Calls fn with the stems of each word of list z ("a;b;c") in language l.
 * Returns -1 when the analyser fails, else 0. */
static int each_stem(ura_analyser *a, ura_stemmer *st, enum ura_stem_lang l, const char *z,
                     ura_thesaurus_fn fn, void *ctx, ura_error *err)
{
    for (const char *p = z; *p;) {
        size_t k = strcspn(p, ";");
        char stems[2][URA_TERM_MAX + 1];
        int ns = ura_thesaurus_stem(a, st, l, p, k, stems, err);
        if (ns < 0)
            return -1;
        for (int i = 0; i < ns; i++)
            fn(ctx, l, stems[i]);
        p += k;
        p += *p == ';';
    }
    return 0;
}

/* Whether a word of list z in language l stems to one of stems[0..n):
 * each_stem() with a callback that looks the stem up. */
struct lookup {
    const char *const *stems;
    size_t n;
    int found;
};

static void look_up(void *ctx, enum ura_stem_lang l, const char *stem)
{
    struct lookup *lk = ctx;
    (void)l;
    for (size_t j = 0; j < lk->n && !lk->found; j++)
        lk->found = strcmp(stem, lk->stems[j]) == 0;
}

static int list_has(ura_analyser *a, ura_stemmer *st, enum ura_stem_lang l, const char *z,
                    const char *const *stems, size_t n, ura_error *err)
{
    struct lookup lk = {stems, n, 0};
    if (each_stem(a, st, l, z, look_up, &lk, err) < 0)
        return -1;
    return lk.found;
}

int ura_thesaurus_expand(ura_analyser *a, ura_stemmer *st, enum ura_stem_lang from,
                         const char *const *stems, size_t n, unsigned to,
                         ura_thesaurus_fn fn, void *ctx, ura_error *err)
{
    if (from <= URA_STEM_NONE || from >= URA_STEM_NLANGS || n == 0)
        return 0;
    int found = 0;
    for (size_t i = 0; i < URA_THESAURUS_N; i++) {
        int has = list_has(a, st, from, ura_thesaurus_words(i, from), stems, n, err);
        if (has < 0)
            return -1;
        if (!has)
            continue;
        found++;
        for (int l = URA_STEM_SQ; l < URA_STEM_NLANGS; l++)
            if ((to & (1u << l)) &&
                each_stem(a, st, (enum ura_stem_lang)l, ura_thesaurus_words(i, l), fn, ctx,
                          err) < 0)
                return -1;
    }
    return found;
}
