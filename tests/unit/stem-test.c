/* stem-test.c — the stemmers.  The Albanian stemmer is scored on
 * tests/stem/sq-forms.txt, a list written by another engineer than the
 * stemmer's author (issue 4): join rate (forms whose stem is their lemma's
 * stem) must be >= 0.95, wrong-join rate (groups whose lemma stem, or a
 * form's stem, is another group's lemma stem) <= 0.02.  Forms are folded
 * with the analyser, as queries and documents are.  Then tables for the
 * rules, the Snowball stemmers, and the language tags. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "check.h"
#include "stem.h"
#include "util.h"

#ifndef URA_SRCDIR
#define URA_SRCDIR "."
#endif

#define MAX_GROUPS 512
#define MAX_FORMS 64

typedef struct group {
    char *lemma;            /* folded */
    char *lemma_stem;
    char *forms[MAX_FORMS]; /* folded */
    size_t nforms;
    int line;
} group;

static char *fold(ura_analyser *a, const char *z, size_t n)
{
    size_t len;
    char *f = ura_fold_word(a, z, n, &len);
    return f ? f : ura_xstrndup(z, n);
}

static char *stem_sq(const char *w)
{
    size_t n = strlen(w);
    char *out = ura_xmalloc(n + 1);
    ura_stem_sq(w, n, out);
    return out;
}

/* Reads the list; returns the number of groups, or -1 when it cannot be
 * read or a line is malformed (reported). */
static int load(ura_analyser *a, const char *path, group *g)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "FAIL cannot open %s\n", path);
        return -1;
    }
    char line[4096];
    int n = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *colon = strchr(p, ':');
        if (!colon || n == MAX_GROUPS) {
            fprintf(stderr, "FAIL %s:%d: not 'lemma: forms...' (or too many groups)\n", path,
                    lineno);
            fclose(f);
            return -1;
        }
        group *gr = &g[n++];
        memset(gr, 0, sizeof *gr);
        gr->line = lineno;
        gr->lemma = fold(a, p, (size_t)(colon - p));
        gr->lemma_stem = stem_sq(gr->lemma);
        for (char *t = strtok(colon + 1, " \t"); t; t = strtok(NULL, " \t"))
            if (gr->nforms < MAX_FORMS)
                gr->forms[gr->nforms++] = fold(a, t, strlen(t));
    }
    fclose(f);
    return n;
}

static void score_list(ura_analyser *a)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/stem/sq-forms.txt", top && *top ? top : URA_SRCDIR);
    static group g[MAX_GROUPS];
    int ng = load(a, path, g);
    CHECK(ng > 0, "no lemma groups read from %s", path);
    if (ng <= 0)
        return;

    size_t forms = 0, joined = 0, wrong = 0;
    for (int i = 0; i < ng; i++) {
        int bad = 0;
        for (int j = 0; j < ng; j++)
            if (j != i && strcmp(g[i].lemma_stem, g[j].lemma_stem) == 0) {
                fprintf(stderr, "  wrong join (line %d): lemma %s and lemma %s both stem to %s\n",
                        g[i].line, g[i].lemma, g[j].lemma, g[i].lemma_stem);
                bad = 1;
            }
        for (size_t k = 0; k < g[i].nforms; k++) {
            char *s = stem_sq(g[i].forms[k]);
            forms++;
            if (strcmp(s, g[i].lemma_stem) == 0)
                joined++;
            else
                fprintf(stderr, "  not joined (line %d): %s -> %s, lemma %s -> %s\n", g[i].line,
                        g[i].forms[k], s, g[i].lemma, g[i].lemma_stem);
            for (int j = 0; j < ng; j++)
                if (j != i && strcmp(s, g[j].lemma_stem) == 0) {
                    fprintf(stderr, "  wrong join (line %d): %s -> %s, the stem of lemma %s\n",
                            g[i].line, g[i].forms[k], s, g[j].lemma);
                    bad = 1;
                }
            free(s);
        }
        wrong += (size_t)bad;
    }
    double join = (double)joined / (double)forms;
    double wrong_rate = (double)wrong / (double)ng;
    printf("sq-forms: %d groups, %zu forms; join rate %.4f (%zu/%zu), wrong-join rate %.4f "
           "(%zu/%d)\n",
           ng, forms, join, joined, forms, wrong_rate, wrong, ng);
    CHECK(forms >= 300, "the list has %zu forms, issue 4 asks for at least 300", forms);
    CHECK(join >= 0.95, "join rate %.4f < 0.95 (failing forms above)", join);
    CHECK(wrong_rate <= 0.02, "wrong-join rate %.4f > 0.02 (wrong joins above)", wrong_rate);

    for (int i = 0; i < ng; i++) {
        for (size_t k = 0; k < g[i].nforms; k++)
            free(g[i].forms[k]);
        free(g[i].lemma);
        free(g[i].lemma_stem);
    }
}

/* Rules one by one (docs/STEMMER-SQ.md), words not taken from the list. */
static void rules(void)
{
    static const struct { const char *in, *want; } t[] = {
        {"shkolle", "shkoll"},       /* 3: final vowel           */
        {"fushat", "fush"},          /* 2d: -t after a           */
        {"tokes", "tok"},            /* 2d: -s after e           */
        {"shtepise", "shtep"},       /* 2a: -se after i          */
        {"qendrave", "qendr"},       /* 2b: -ve                  */
        {"qytetesh", "qyt"},         /* 2b: -sh, 4a: -t          */
        {"mjekut", "mjek"},          /* 2c: -ut                  */
        {"interesi", "intr"},        /* 3, 4a, 6                 */
        {"personat", "pers"},        /* 2d, 3, 4b: -on           */
        {"regjioni", "regjion"},     /* not -oni after i         */
        {"krijojne", "krij"},        /* 1a                       */
        {"krijuar", "krij"},         /* 1a                       */
        {"punon", "pun"},            /* 1b                       */
        {"shpallni", "shpall"},      /* 1c: -ni after consonant  */
        {"gjilani", "gjil"},         /* not 1c after a vowel: 3, 4a */
        {"gjilan", "gjil"},          /* 2d, 3                    */
        {"numer", "numr"},           /* 6                        */
        {"numri", "numr"},           /* 3                        */
        {"nje", "nje"},              /* too short                */
        {"te", "te"},
        {"03", "03"},                /* not letters: unchanged   */
        {"t'i", "t'i"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[64];
        ura_stem_sq(t[i].in, strlen(t[i].in), out);
        CHECK_STR(out, t[i].want, t[i].in);
    }
}

/* Snowball through ura_stem_token: what the index and the query get. */
static void snowball(void)
{
    ura_stemmer *s;
    ura_error err = {0};
    CHECK(ura_stemmer_new(&s, &err) == URA_OK, "stemmer: %s", err.msg);
    static const struct {
        enum ura_stem_lang l;
        const char *exact, *term;
        int n;
        const char *s0, *s1;
    } t[] = {
        {URA_STEM_SR, "opštinama", "opstinama", 2, "opstin", "opstin"},
        {URA_STEM_SR, "opštini", "opstini", 1, "opstin", NULL},
        {URA_STEM_SR, "zakonom", "zakonom", 1, "zakon", NULL},
        {URA_STEM_SR, "đakovici", "djakovici", 1, "djakovic", NULL},
        {URA_STEM_SR, "jezicima", "jezicima", 1, "jezik", NULL},
        /* the repairs of Snowball (docs/STEMMER-SQ.md, "Serbian"): a final
         * -s is kept, so natpis meets natpisi; -an after a consonant loses
         * its n, so pojačanim meets pojačane; short stems stay */
        {URA_STEM_SR, "natpis", "natpis", 1, "natpis", NULL},
        {URA_STEM_SR, "natpisi", "natpisi", 1, "natpis", NULL},
        {URA_STEM_SR, "interes", "interes", 1, "interes", NULL},
        {URA_STEM_SR, "pojačanim", "pojacanim", 2, "pojaca", "pojaca"},
        {URA_STEM_SR, "pojačane", "pojacane", 2, "pojaca", "pojaca"},
        {URA_STEM_SR, "izabrao", "izabrao", 1, "izabra", NULL},
        {URA_STEM_SR, "izabrana", "izabrana", 1, "izabra", NULL},
        {URA_STEM_SR, "organa", "organa", 1, "organ", NULL},
        {URA_STEM_EN, "communities", "communities", 1, "communiti", NULL},
        {URA_STEM_EN, "languages", "languages", 1, "languag", NULL},
        {URA_STEM_SQ, "komunës", "komunes", 1, "komun", NULL},
        {URA_STEM_NONE, "komunës", "komunes", 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[2][URA_TERM_MAX + 1];
        int k = ura_stem_token(s, t[i].l, t[i].exact, strlen(t[i].exact), t[i].term,
                               strlen(t[i].term), out);
        /* Serbian may give one stem where exact and folded agree */
        int want = t[i].n == 2 && t[i].s1 && strcmp(t[i].s0, t[i].s1) == 0 ? 1 : t[i].n;
        CHECK(k == want, "%s: %d stems, want %d", t[i].term, k, want);
        if (k >= 1 && t[i].s0)
            CHECK_STR(out[0], t[i].s0, t[i].term);
    }
    ura_stemmer_free(s);

    CHECK(ura_stem_lang_of("sq") == URA_STEM_SQ, "sq");
    CHECK(ura_stem_lang_of("sr-cyrl") == URA_STEM_SR, "sr-cyrl");
    CHECK(ura_stem_lang_of("sr-latn") == URA_STEM_SR, "sr-latn");
    CHECK(ura_stem_lang_of("hr") == URA_STEM_SR, "hr");
    CHECK(ura_stem_lang_of("en") == URA_STEM_EN, "en");
    CHECK(ura_stem_lang_of("und") == URA_STEM_NONE, "und");
    CHECK(ura_stem_lang_of("english") == URA_STEM_NONE, "english");
    CHECK(ura_stem_lang_of(NULL) == URA_STEM_NONE, "NULL");
}

int main(void)
{
    ura_analyser *a;
    ura_error err = {0};
    if (ura_analyser_new(&a, &err) != URA_OK) {
        fprintf(stderr, "analyser: %s\n", err.msg);
        return 1;
    }
    score_list(a);
    rules();
    snowball();
    ura_analyser_free(a);
    return check_finish("stem-test");
}
