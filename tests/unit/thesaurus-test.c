/* thesaurus-test.c — data/thesaurus.tsv against the real analyser and
 * stemmers: every word is one token with a stem in its language; no stem
 * stands for two concepts in one language (a query word must not reach
 * two meanings); expansion reaches the other languages' stems and only
 * those asked for. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "check.h"
#include "stem.h"
#include "thesaurus.h"

#define MAX_STEMS 2048

struct seen {
    char stem[MAX_STEMS][URA_TERM_MAX + 1];
    size_t concept[MAX_STEMS];
    char word[MAX_STEMS][64];
    size_t n;
};

struct got {
    char stems[64][URA_TERM_MAX + 1];
    enum ura_stem_lang lang[64];
    size_t n;
};

static void collect(void *ctx, enum ura_stem_lang l, const char *stem)
{
    struct got *g = ctx;
    if (g->n < 64) {
        snprintf(g->stems[g->n], sizeof g->stems[g->n], "%s", stem);
        g->lang[g->n++] = l;
    }
}

static int has(const struct got *g, enum ura_stem_lang l, const char *stem)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->lang[i] == l && strcmp(g->stems[i], stem) == 0)
            return 1;
    return 0;
}

/* The stem of word w (its first) in language l, into out. */
static void stem_of(ura_analyser *a, ura_stemmer *st, enum ura_stem_lang l, const char *w,
                    char out[URA_TERM_MAX + 1])
{
    char s[2][URA_TERM_MAX + 1];
    ura_error err = {0};
    int k = ura_thesaurus_stem(a, st, l, w, strlen(w), s, &err);
    CHECK(k > 0, "\"%s\" (%s) has no stem (%d: %s)", w, ura_stem_lang_name(l), k, err.msg);
    snprintf(out, URA_TERM_MAX + 1, "%s", k > 0 ? s[0] : "");
}

int main(void)
{
    ura_analyser *a = NULL;
    ura_stemmer *st = NULL;
    ura_error err = {0};
    if (ura_analyser_new(&a, &err) != URA_OK || ura_stemmer_new(&st, &err) != URA_OK) {
        fprintf(stderr, "thesaurus-test: %s\n", err.msg);
        return 1;
    }
    size_t nc = ura_thesaurus_count();
    CHECK(nc >= 80, "the thesaurus has %zu concepts, want at least 80", nc);
    CHECK(ura_thesaurus_words(nc, URA_STEM_SQ) == NULL, "past the end gives NULL");
    CHECK(ura_thesaurus_words(0, URA_STEM_NONE) == NULL, "language NONE gives NULL");

    /* every word: one token, stems; no stem in two concepts */
    static struct seen seen[URA_STEM_NLANGS];
    for (size_t i = 0; i < nc; i++) {
        size_t nl = 0;
        for (int l = URA_STEM_SQ; l < URA_STEM_NLANGS; l++) {
            const char *z = ura_thesaurus_words(i, (enum ura_stem_lang)l);
            nl += z && *z;
        }
        CHECK(nl >= 2, "concept %zu (%s) has words in %zu languages, want 2 or more", i,
              ura_thesaurus_words(i, URA_STEM_SQ), nl);
        for (int l = URA_STEM_SQ; l < URA_STEM_NLANGS; l++) {
            const char *z = ura_thesaurus_words(i, (enum ura_stem_lang)l);
            CHECK(z != NULL, "concept %zu has no %s column", i, ura_stem_lang_name(l));
            for (const char *p = z; p && *p;) {
                size_t k = strcspn(p, ";");
                char w[64];
                snprintf(w, sizeof w, "%.*s", (int)k, p);
                char s[2][URA_TERM_MAX + 1];
                int ns = ura_thesaurus_stem(a, st, (enum ura_stem_lang)l, w, strlen(w), s, &err);
                CHECK(ns > 0, "concept %zu: %s word \"%s\" is not one stemmable word (%d)", i,
                      ura_stem_lang_name(l), w, ns);
                struct seen *sn = &seen[l];
                for (int j = 0; j < ns; j++) {
                    for (size_t q = 0; q < sn->n; q++)
                        CHECK(strcmp(sn->stem[q], s[j]) != 0 || sn->concept[q] == i,
                              "%s stem \"%s\": \"%s\" (concept %zu: %s) and \"%s\" (concept "
                              "%zu: %s) mean different things",
                              ura_stem_lang_name(l), s[j], w, i,
                              ura_thesaurus_words(i, URA_STEM_EN), sn->word[q], sn->concept[q],
                              ura_thesaurus_words(sn->concept[q], URA_STEM_EN));
                    if (sn->n < MAX_STEMS) {
                        memcpy(sn->stem[sn->n], s[j], sizeof s[j]);
                        snprintf(sn->word[sn->n], sizeof sn->word[sn->n], "%s", w);
                        sn->concept[sn->n++] = i;
                    }
                }
                p += k;
                p += *p == ';';
            }
        }
    }

    /* expansion: an inflected Albanian word reaches Serbian and English */
    char gjuh[URA_TERM_MAX + 1], jezik[URA_TERM_MAX + 1], lang[URA_TERM_MAX + 1],
        opstin[URA_TERM_MAX + 1];
    stem_of(a, st, URA_STEM_SQ, "gjuhët", gjuh);
    stem_of(a, st, URA_STEM_SR, "jezika", jezik);
    stem_of(a, st, URA_STEM_EN, "languages", lang);
    stem_of(a, st, URA_STEM_SR, "opštini", opstin);
    const char *from[] = {gjuh};
    struct got g = {.n = 0};
    int k = ura_thesaurus_expand(a, st, URA_STEM_SQ, from, 1,
                                 (1u << URA_STEM_SR) | (1u << URA_STEM_EN), collect, &g, &err);
    CHECK(k == 1, "gjuhët matches %d concepts, want 1", k);
    CHECK(has(&g, URA_STEM_SR, jezik), "gjuhët does not reach Serbian \"%s\" (jezika)", jezik);
    CHECK(has(&g, URA_STEM_EN, lang), "gjuhët does not reach English \"%s\" (languages)", lang);
    CHECK(!has(&g, URA_STEM_SQ, gjuh), "Albanian stems came back unasked");

    /* Cyrillic: the Serbian column is Latin, the analyser transliterates */
    char cyr[URA_TERM_MAX + 1];
    stem_of(a, st, URA_STEM_SR, "општини", cyr);
    CHECK_STR(cyr, opstin, "општини and opštini stem alike");
    const char *from_sr[] = {cyr};
    struct got g2 = {.n = 0};
    char komun[URA_TERM_MAX + 1];
    stem_of(a, st, URA_STEM_SQ, "komunës", komun);
    k = ura_thesaurus_expand(a, st, URA_STEM_SR, from_sr, 1, 1u << URA_STEM_SQ, collect, &g2,
                             &err);
    CHECK(k == 1 && has(&g2, URA_STEM_SQ, komun), "општини reaches komunë (\"%s\"): %d", komun,
          k);

    /* a word no concept has, and derivation kept apart */
    char x[URA_TERM_MAX + 1];
    stem_of(a, st, URA_STEM_SQ, "pesëmbëdhjetë", x);
    const char *from_x[] = {x};
    struct got g3 = {.n = 0};
    k = ura_thesaurus_expand(a, st, URA_STEM_SQ, from_x, 1, 1u << URA_STEM_SR, collect, &g3,
                             &err);
    CHECK(k == 0 && g3.n == 0, "pesëmbëdhjetë matched %d concepts", k);
    stem_of(a, st, URA_STEM_SQ, "komuniteti", x);
    struct got g4 = {.n = 0};
    k = ura_thesaurus_expand(a, st, URA_STEM_SQ, from_x, 1, 1u << URA_STEM_SR, collect, &g4,
                             &err);
    CHECK(k == 1 && !has(&g4, URA_STEM_SR, opstin),
          "komuniteti (community) reaches opština (municipality)");

    ura_stemmer_free(st);
    ura_analyser_free(a);
    return check_finish("thesaurus-test");
}
