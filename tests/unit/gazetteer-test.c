/* gazetteer-test.c — the gazetteer against the real analyser and tables:
 * every name, written with diacritics and (for Serbian) in Cyrillic, is
 * found after the analyser folds it; inflected forms find their place;
 * near-miss words find none; the data has the 38 municipalities. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "check.h"
#include "gazetteer.h"

#define MAX_WORDS 16

struct words {
    char buf[MAX_WORDS][URA_TERM_MAX + 1];
    const char *t[MAX_WORDS];
    size_t len[MAX_WORDS];
    size_t n;
};

static int collect(void *ctx, const ura_token *tk)
{
    struct words *w = ctx;
    if (w->n < MAX_WORDS) {
        memcpy(w->buf[w->n], tk->term, tk->term_len);
        w->buf[w->n][tk->term_len] = 0;
        w->t[w->n] = w->buf[w->n];
        w->len[w->n] = tk->term_len;
    }
    w->n++;
    return URA_OK;
}

/* The analyser's terms for text. */
static void analyse(ura_analyser *a, const char *text, struct words *w)
{
    ura_error err = {0};
    memset(w, 0, sizeof *w);
    int rc = ura_analyse(a, text, strlen(text), 0, NULL, collect, w, &err);
    CHECK(rc == URA_OK, "ura_analyse(\"%s\") = %d: %s", text, rc, err.msg);
    CHECK(w->n <= MAX_WORDS, "\"%s\": %zu words", text, w->n);
    if (w->n > MAX_WORDS)
        w->n = MAX_WORDS;
}

/* Words separated by spaces, already folded, as a query would give them. */
static void split(const char *s, struct words *w)
{
    memset(w, 0, sizeof *w);
    while (*s && w->n < MAX_WORDS) {
        size_t k = strcspn(s, " ");
        if (k) {
            memcpy(w->buf[w->n], s, k);
            w->t[w->n] = w->buf[w->n];
            w->len[w->n] = k;
            w->n++;
        }
        s += k;
        while (*s == ' ')
            s++;
    }
}

/* Serbian Latin (Gaj) to Cyrillic, for the names of the data: digraphs
 * first.  Returns a static buffer. */
static const char *to_cyrillic(const char *s)
{
    static const struct {
        const char *lat, *cyr;
    } t[] = {
        {"Lj", "Љ"}, {"lj", "љ"}, {"Nj", "Њ"}, {"nj", "њ"}, {"Dž", "Џ"},
        {"dž", "џ"}, {"A", "А"}, {"a", "а"}, {"B", "Б"}, {"b", "б"},
        {"V", "В"}, {"v", "в"}, {"G", "Г"}, {"g", "г"}, {"D", "Д"},
        {"d", "д"}, {"Đ", "Ђ"}, {"đ", "ђ"}, {"E", "Е"}, {"e", "е"},
        {"Ž", "Ж"}, {"ž", "ж"}, {"Z", "З"}, {"z", "з"}, {"I", "И"},
        {"i", "и"}, {"J", "Ј"}, {"j", "ј"}, {"K", "К"}, {"k", "к"},
        {"L", "Л"}, {"l", "л"}, {"M", "М"}, {"m", "м"}, {"N", "Н"},
        {"n", "н"}, {"O", "О"}, {"o", "о"}, {"P", "П"}, {"p", "п"},
        {"R", "Р"}, {"r", "р"}, {"S", "С"}, {"s", "с"}, {"T", "Т"},
        {"t", "т"}, {"Ć", "Ћ"}, {"ć", "ћ"}, {"U", "У"}, {"u", "у"},
        {"F", "Ф"}, {"f", "ф"}, {"H", "Х"}, {"h", "х"}, {"C", "Ц"},
        {"c", "ц"}, {"Č", "Ч"}, {"č", "ч"}, {"Š", "Ш"}, {"š", "ш"},
    };
    static char out[512];
    size_t o = 0;
    while (*s && o + 8 < sizeof out) {
        size_t i, k = 0;
        for (i = 0; i < sizeof t / sizeof t[0]; i++) {
            k = strlen(t[i].lat);
            if (!strncmp(s, t[i].lat, k))
                break;
        }
        if (i < sizeof t / sizeof t[0]) {
            size_t c = strlen(t[i].cyr);
            memcpy(out + o, t[i].cyr, c);
            o += c;
            s += k;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = 0;
    return out;
}

static size_t match(const struct words *w, const ura_place **p)
{
    return ura_gazetteer_match(w->t, w->len, w->n, p);
}

/* Every name as written, and every Serbian one in Cyrillic, analysed by
 * the real analyser, finds its own place with all its words; the folded
 * name stored is the analyser's (except the đ→d variant, which has its own
 * check). */
static void test_names_through_analyser(ura_analyser *a)
{
    size_t nnames = 0;
    for (size_t i = 0; i < ura_gazetteer_count(); i++) {
        const ura_place *p = ura_gazetteer_place(i), *got;
        for (size_t j = 0; j < p->nnames; j++) {
            const char *text = ura_place_name_text(p, j);
            const char *lang = ura_place_name_lang(p, j);
            struct words w;
            analyse(a, text, &w);
            size_t k = match(&w, &got);
            CHECK(k == w.n && got == p,
                  "\"%s\" (%s) took %zu of %zu words, place %s, want %s", text,
                  lang, k, w.n, got ? got->id : "none", p->id);
            nnames++;

            char joined[512] = "";
            for (size_t m = 0; m < w.n; m++) {
                strcat(joined, m ? " " : "");
                strncat(joined, w.t[m], 100);
            }
            int d_variant = strstr(text, "đ") || strstr(text, "Đ");
            if (!d_variant || strstr(p->names[j], "dj"))
                CHECK(!strcmp(joined, p->names[j]),
                      "\"%s\": the analyser folds it to \"%s\", the table has "
                      "\"%s\"",
                      text, joined, p->names[j]);
            else
                CHECK(strstr(joined, "dj") != NULL,
                      "\"%s\": the analyser gives \"%s\", no dj for đ", text,
                      joined);

            if (!strcmp(lang, "sr")) {
                const char *cyr = to_cyrillic(text);
                analyse(a, cyr, &w);
                k = match(&w, &got);
                CHECK(k == w.n && got == p,
                      "Cyrillic \"%s\" took %zu of %zu words, place %s, want %s",
                      cyr, k, w.n, got ? got->id : "none", p->id);
            }
        }
        CHECK(p->nnames >= 2, "%s has %zu names, want Albanian and Serbian",
              p->id, p->nnames);
        int sq = 0, sr = 0;
        for (size_t j = 0; j < p->nnames; j++) {
            sq |= !strcmp(ura_place_name_lang(p, j), "sq");
            sr |= !strcmp(ura_place_name_lang(p, j), "sr");
        }
        CHECK(sq && sr, "%s lacks an Albanian or a Serbian name", p->id);
    }
    CHECK(nnames >= 130, "only %zu names", nnames);
}

/* Query words (folded, as typed without diacritics or as the analyser
 * gives them) → the place and how many words it takes. */
static const struct {
    const char *words, *id;
    size_t took;
} finds[] = {
    /* Albanian inflection */
    {"shterpce", "shterpce", 1},
    {"shterpces", "shterpce", 1},
    {"shterpcen", "shterpce", 1},
    {"shterpca", "shterpce", 1},
    {"prizreni", "prizren", 1},
    {"prizrenit", "prizren", 1},
    {"prizrenin", "prizren", 1},
    {"gjakova", "gjakove", 1},
    {"gjakoves", "gjakove", 1},
    {"gjakoven", "gjakove", 1},
    {"gracanices", "gracanice", 1},
    {"istogut", "istog", 1},
    {"dragashit", "dragash", 1},
    {"dragashi", "dragash", 1},
    {"dragashin", "dragash", 1},
    {"kacaniku", "kacanik", 1},
    {"ferizajt", "ferizaj", 1},
    {"skenderajn", "skenderaj", 1},
    {"vushtrrise", "vushtrri", 1},
    {"vitise", "viti", 1},
    {"shtimes", "shtime", 1},
    {"shtimja", "shtime", 1},
    {"pejes", "peje", 1},
    {"prishtina", "prishtine", 1},
    {"fushe kosoves", "fushe-kosove", 2},
    {"fushe kosova", "fushe-kosove", 2},
    {"mitrovica e jugut", "mitrovice-e-jugut", 3},
    {"mitrovices se jugut", "mitrovice-e-jugut", 3},
    {"mitrovicen e veriut", "mitrovice-e-veriut", 3},
    {"hani i elezit", "hani-i-elezit", 3},
    {"hanit te elezit", "hani-i-elezit", 3},
    {"hoces se madhe", "hoce-e-madhe", 3},
    {"novoberdes", "novoberde", 1},
    {"artanes", "novoberde", 1},
    {"gllogocit", "drenas", 1},
    {"brezovices", "brezovice", 1},
    {"llapllasella", "llapllaselle", 1},
    /* Serbian inflection */
    {"strpce", "shterpce", 1},
    {"strpca", "shterpce", 1},
    {"strpcu", "shterpce", 1},
    {"strpcem", "shterpce", 1},
    {"djakovica", "gjakove", 1},
    {"djakovice", "gjakove", 1},
    {"djakovici", "gjakove", 1},
    {"djakovicu", "gjakove", 1},
    {"djakovicom", "gjakove", 1},
    {"dakovica", "gjakove", 1},
    {"prizrena", "prizren", 1},
    {"prizrenu", "prizren", 1},
    {"prizrenom", "prizren", 1},
    {"urosevca", "ferizaj", 1},
    {"urosevcu", "ferizaj", 1},
    {"orahovcu", "rahovec", 1},
    {"decana", "decan", 1},
    {"decanima", "decan", 1},
    {"pristini", "prishtine", 1},
    {"peci", "peje", 1},
    {"obilicu", "obiliq", 1},
    {"gnjilanu", "gjilan", 1},
    {"kosovu polju", "fushe-kosove", 2},
    {"novom brdu", "novoberde", 2},
    {"novog brda", "novoberde", 2},
    {"suvoj reci", "suhareke", 2},
    {"suve reke", "suhareke", 2},
    {"zubinom potoku", "zubin-potok", 2},
    {"juznoj mitrovici", "mitrovice-e-jugut", 2},
    {"severne mitrovice", "mitrovice-e-veriut", 2},
    {"kosovskoj mitrovici", "mitrovice", 2},
    {"velikoj hoci", "hoce-e-madhe", 2},
    {"lapljem selu", "llapllaselle", 2},
    {"babinom mostu", "babimoc", 2},
    {"gorazdevcu", "gorazhdec", 1},
    {"caglavici", "cagllavice", 1},
    {"elez hanu", "hani-i-elezit", 2},
    /* English */
    {"north mitrovica", "mitrovice-e-veriut", 2},
    {"south mitrovica", "mitrovice-e-jugut", 2},
    /* the longest name wins; words after it do not matter */
    {"mitrovica", "mitrovice", 1},
    {"mitrovica e", "mitrovice", 1},
    {"mitrovica ligji", "mitrovice", 1},
    {"prizrenit neni 5", "prizren", 1},
};

/* Words that look like a name but are not one. */
static const char *const misses[] = {
    "prizrenas", "dragashu", "prizrenski", "prizrenasit", "pecat", "pecati", "pejsazh",
    "klinika", "klinike", "vitet", "vitit", "vitin", "shtimet", "komuna",
    "komunes", "kosovo", "kosova", "novo", "novo selo", "brdo", "mitrovicki",
    "djakovicki", "gracanicki", "gjilpere", "prishtinas", "ligji", "neni",
    "fushe", "fushe e", "suva", "suva voda", "reka", "hani", "hani i",
    "elezit", "zubin", "mitrovicas", "jugut", "e jugut", "velika", "hoca",
    "babin", "istocni", "pejan", "ura", "juzna", "north", "south mitrovicas",
    "",
};

static void test_tables(void)
{
    for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++) {
        struct words w;
        const ura_place *p;
        split(finds[i].words, &w);
        size_t k = match(&w, &p);
        CHECK(k == finds[i].took && p && !strcmp(p->id, finds[i].id),
              "\"%s\": took %zu words, place %s; want %zu, %s", finds[i].words,
              k, p ? p->id : "none", finds[i].took, finds[i].id);
    }
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        struct words w;
        const ura_place *p = (const ura_place *)1;
        split(misses[i], &w);
        size_t k = match(&w, &p);
        CHECK(k == 0 && p == NULL, "\"%s\" matched %s (%zu words)", misses[i],
              k ? p->id : "?", k);
    }
    /* Words not NUL-terminated: lengths are what counts. */
    const char *t[] = {"prizrenitXYZ"};
    size_t len[] = {9};
    const ura_place *p;
    CHECK(ura_gazetteer_match(t, len, 1, &p) == 1 && p &&
              !strcmp(p->id, "prizren"),
          "a term given by length");
    CHECK(ura_gazetteer_match(NULL, NULL, 0, &p) == 0 && !p, "no terms");
}

static void test_data(void)
{
    size_t muni = 0, settl = 0;
    for (size_t i = 0; i < ura_gazetteer_count(); i++) {
        const ura_place *p = ura_gazetteer_place(i);
        const char *kind = ura_place_kind(p), *m = ura_place_municipality(p);
        if (!strcmp(kind, "municipality")) {
            muni++;
            CHECK(!strcmp(m, p->id), "municipality %s lies in %s", p->id, m);
        } else {
            settl++;
        }
    }
    CHECK(muni == 38, "%zu municipalities, Kosovo has 38", muni);
    CHECK(settl >= 20, "%zu settlements", settl);
    CHECK(ura_gazetteer_place(ura_gazetteer_count()) == NULL, "past the end");
    CHECK(ura_place_kind(NULL) == NULL, "kind of NULL");
    const ura_place *p = ura_gazetteer_place(0);
    CHECK(ura_place_name_text(p, p->nnames) == NULL, "name past the end");
}

int main(void)
{
    ura_analyser *a = NULL;
    ura_error err = {0};
    if (ura_analyser_new(&a, &err) != URA_OK) {
        fprintf(stderr, "gazetteer-test: analyser: %s\n", err.msg);
        return 1;
    }
    test_names_through_analyser(a);
    test_tables();
    test_data();
    ura_analyser_free(a);
    return check_finish("gazetteer-test");
}
