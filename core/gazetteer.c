/* gazetteer.c — place names as query-time synonyms (see gazetteer.h).
 *
 * A name matches a run of query words when each of its words matches the
 * query word in the same place, with an ending allowed by the name's
 * language.  The rules, on the folded word w of the name:
 *
 * Albanian (sq)
 *   e, i, së, të       the linking article: any of the four ("Mitrovicë e
 *                      Jugut", "Mitrovicës së Jugut", "Hanit të Elezit")
 *   …ë / …e            feminine: root + ë a ja ës ën (Shtërpcë: shterpca,
 *                      shterpces, shterpcen; Shtime: shtimja, shtimes)
 *   …i before "i"      a masculine definite noun before its article:
 *                      w, w+t, w+n (Hani i Elezit: hanit, hanin)
 *   …i                 feminine in -i: w, w+a, w+së, w+në (Vushtrri:
 *                      vushtrria, vushtrrise, vushtrrine)
 *   …j                 w, w+i, w+t, w+n (Ferizaj: ferizaji, ferizajt)
 *   …k, …g, …h         w, w+u, w+ut, w+un (Istog: istogu, istogut), but
 *                      not the h of sh, zh, xh, th, dh (Dragash: below)
 *   other consonant    w, w+i, w+it, w+in (Prizren: prizreni, prizrenit)
 * Serbian (sr)
 *   …a                 root + a e i u o om oj ama; k, g, h before i turn
 *                      to c, z, s (Đakovica: djakovice, djakovici,
 *                      djakovicu, djakovicom; Suva Reka: suvoj reci)
 *   …o, …e             neuter nouns and adjectives: root + o e a u om em
 *                      og oga ome ima (Štrpce: strpca, strpcu, strpcem;
 *                      Novo Brdo: novog brda, novom brdu)
 *   …i                 plural: root + i a e ima (Dečani: decana, decanima)
 *   consonant          w + ∅ a u om em e i og oga ome (Prizren: prizrena,
 *                      prizrenu, prizrenom; Zubin Potok: zubinog potoka),
 *                      and with the fleeting a of -ac dropped: root + a u
 *                      om em e i (Uroševac: urosevca, urosevcu)
 * English (en)         the word as written.
 *
 * These are endings only: a word is root + one of them, exactly, so
 * derived words ("prizrenas", "prizrenski") and words that merely start
 * with a name ("pecat", "klinika") do not match. */
#include "gazetteer.h"

#include <pthread.h>
#include <string.h>

enum { GZ_SQ, GZ_SR, GZ_EN };

struct gz_place {
    ura_place pub;             /* first: a ura_place * is a gz_place *   */
    const char *const *text;   /* names as written                       */
    const unsigned char *lang; /* GZ_SQ, GZ_SR, GZ_EN per name            */
    const char *kind;
    const char *muni;
};

#include "gazetteer-data.h"

#define NPLACES (sizeof gz_places / sizeof gz_places[0])

/* Is t[0..tl) root[0..rl) followed by one of the endings? */
static int ends_with_one(const char *t, size_t tl, const char *root, size_t rl,
                         const char *const *endings)
{
    if (tl < rl || memcmp(t, root, rl))
        return 0;
    for (size_t i = 0; endings[i]; i++) {
        size_t el = strlen(endings[i]);
        if (tl == rl + el && !memcmp(t + rl, endings[i], el))
            return 1;
    }
    return 0;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int word_sq(const char *w, size_t wl, int before_i, const char *t,
                   size_t tl)
{
    static const char *const art[] = {"e", "i", "se", "te", NULL};
    static const char *const fem_e[] = {"e", "a", "ja", "es", "en", NULL};
    static const char *const masc_def[] = {"", "t", "n", NULL};
    static const char *const fem_i[] = {"", "a", "se", "ne", NULL};
    static const char *const after_j[] = {"", "i", "t", "n", NULL};
    static const char *const velar[] = {"", "u", "ut", "un", NULL};
    static const char *const cons[] = {"", "i", "it", "in", NULL};
    static const char *const none[] = {"", NULL};
    char last = w[wl - 1];
    for (size_t i = 0; art[i]; i++)
        if (wl == strlen(art[i]) && !memcmp(w, art[i], wl))
            return ends_with_one(t, tl, "", 0, art);
    if (last == 'e')
        return ends_with_one(t, tl, w, wl - 1, fem_e);
    if (last == 'i')
        return ends_with_one(t, tl, w, wl, before_i ? masc_def : fem_i);
    if (last == 'j')
        return ends_with_one(t, tl, w, wl, after_j);
    /* h after s, z, x, t, d is half of a digraph (sh, zh, xh, th, dh):
     * Dragash takes the consonant endings (Dragashi, Dragashit). */
    int digraph = last == 'h' && wl >= 2 && strchr("szxtd", w[wl - 2]);
    if ((last == 'k' || last == 'g' || last == 'h') && !digraph)
        return ends_with_one(t, tl, w, wl, velar);
    if (!is_vowel(last))
        return ends_with_one(t, tl, w, wl, cons);
    return ends_with_one(t, tl, w, wl, none);
}

static int word_sr(const char *w, size_t wl, const char *t, size_t tl)
{
    static const char *const fem_a[] = {"a", "e", "i", "u", "o", "om",
                                        "oj", "ama", NULL};
    static const char *const neut[] = {"o", "e", "a", "u", "om", "em",
                                       "og", "oga", "ome", "ima", NULL};
    static const char *const plur[] = {"i", "a", "e", "ima", NULL};
    static const char *const cons[] = {"", "a", "u", "om", "em", "e",
                                       "i", "og", "oga", "ome", NULL};
    static const char *const fleeting[] = {"a", "u", "om", "em", "e", "i",
                                           NULL};
    static const char *const dat[] = {"i", NULL};
    char last = w[wl - 1];
    if (last == 'a') {
        if (ends_with_one(t, tl, w, wl - 1, fem_a))
            return 1;
        /* Sibilarisation: Reka → (u) Reci, noga → nozi, snaha → snasi. */
        if (wl >= 3) {
            char k = w[wl - 2];
            char soft = k == 'k' ? 'c' : k == 'g' ? 'z' : k == 'h' ? 's' : 0;
            if (soft && tl == wl && !memcmp(t, w, wl - 2) &&
                t[wl - 2] == soft)
                return ends_with_one(t + wl - 1, 1, "", 0, dat);
        }
        return 0;
    }
    if (last == 'o' || last == 'e')
        return ends_with_one(t, tl, w, wl - 1, neut);
    if (last == 'i')
        return ends_with_one(t, tl, w, wl - 1, plur);
    if (is_vowel(last))
        return tl == wl && !memcmp(t, w, wl);
    if (ends_with_one(t, tl, w, wl, cons))
        return 1;
    if (wl >= 3 && w[wl - 2] == 'a' && last == 'c') {
        /* Uroševac → Uroševca: root "urosevc". */
        char root[64];
        if (wl - 1 > sizeof root)
            return 0;
        memcpy(root, w, wl - 2);
        root[wl - 2] = 'c';
        return ends_with_one(t, tl, root, wl - 1, fleeting);
    }
    return 0;
}

/* Does name (folded, words separated by one space) in language lang start
 * the query words?  Returns the number of words it took, or 0. */
static size_t name_match(const char *name, int lang, const char *const *terms,
                         const size_t *lens, size_t n)
{
    size_t k = 0;
    const char *w = name;
    while (*w) {
        const char *e = strchr(w, ' ');
        size_t wl = e ? (size_t)(e - w) : strlen(w);
        if (k == n || !wl || !terms[k])
            return 0;
        int ok;
        if (lang == GZ_SQ) {
            int before_i = e && e[1] == 'i' && (e[2] == ' ' || !e[2]);
            ok = word_sq(w, wl, before_i, terms[k], lens[k]);
        } else if (lang == GZ_SR) {
            ok = word_sr(w, wl, terms[k], lens[k]);
        } else {
            ok = lens[k] == wl && !memcmp(terms[k], w, wl);
        }
        if (!ok)
            return 0;
        k++;
        w = e ? e + 1 : w + wl;
    }
    return k;
}

/* Every rule keeps at least the first byte of a name's word of three or
 * more bytes (its root is the word less at most two bytes), so such a
 * name can only match a first word that starts with its byte.  The names
 * are indexed by that byte once (the indexer asks for every word it
 * indexes); names whose first word is shorter are tried for every word.
 * An entry is place * GZ_MAX_NAMES + name; a table with a place of more
 * names is not indexed (gz_scan_all: every name is tried). */
#define GZ_MAX_NAMES 16
_Static_assert(NPLACES * GZ_MAX_NAMES <= 65535, "gazetteer entries must fit unsigned short");
static unsigned short gz_by_byte[257 + 1];  /* start of each byte's entries */
static unsigned short *gz_entries;          /* then the short-worded ones    */
static int gz_scan_all;
static pthread_once_t gz_once = PTHREAD_ONCE_INIT;

static int first_word_short(const char *nm)
{
    return !nm[0] || !nm[1] || nm[1] == ' ' || !nm[2] || nm[2] == ' ';
}

static void gz_index(void)
{
    static unsigned short all[NPLACES * GZ_MAX_NAMES];
    size_t n = 0;
    for (size_t i = 0; i < NPLACES; i++)
        if (gz_places[i].pub.nnames > GZ_MAX_NAMES)
            gz_scan_all = 1;
    if (gz_scan_all)
        return;
    for (unsigned c = 0; c < 256; c++) {
        gz_by_byte[c] = (unsigned short)n;
        for (size_t i = 0; i < NPLACES; i++)
            for (size_t j = 0; j < gz_places[i].pub.nnames; j++) {
                const char *nm = gz_places[i].pub.names[j];
                if (!first_word_short(nm) && (unsigned char)nm[0] == c)
                    all[n++] = (unsigned short)(i * GZ_MAX_NAMES + j);
            }
    }
    gz_by_byte[256] = (unsigned short)n;
    for (size_t i = 0; i < NPLACES; i++)
        for (size_t j = 0; j < gz_places[i].pub.nnames; j++)
            if (first_word_short(gz_places[i].pub.names[j]))
                all[n++] = (unsigned short)(i * GZ_MAX_NAMES + j);
    gz_by_byte[257] = (unsigned short)n;
    gz_entries = all;
}

size_t ura_gazetteer_match(const char *const *terms, const size_t *lens,
                           size_t n, const ura_place **place)
{
    size_t best = 0, best_i = 0;
    const ura_place *found = NULL;
    if (place)
        *place = NULL;
    if (!terms || !lens || !n || !terms[0])
        return 0; /* every name has a first word to match */
    pthread_once(&gz_once, gz_index);
    if (gz_scan_all) {
        for (size_t i = 0; i < NPLACES; i++)
            for (size_t j = 0; j < gz_places[i].pub.nnames; j++) {
                const struct gz_place *p = &gz_places[i];
                size_t k = name_match(p->pub.names[j], p->lang[j], terms, lens, n);
                if (k > best) {
                    best = k;
                    found = &p->pub;
                }
            }
        if (place)
            *place = found;
        return best;
    }
    /* the names starting with the first word's byte, then the short ones;
     * of the longest matches, the first place in the table's order */
    size_t from = 0, to = 0;
    if (lens[0]) {
        unsigned char c0 = (unsigned char)terms[0][0];
        from = gz_by_byte[c0];
        to = gz_by_byte[c0 + 1];
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t e = from; e < to; e++) {
            size_t i = gz_entries[e] / GZ_MAX_NAMES, j = gz_entries[e] % GZ_MAX_NAMES;
            const struct gz_place *p = &gz_places[i];
            size_t k = name_match(p->pub.names[j], p->lang[j], terms, lens, n);
            if (k > best || (k && k == best && i < best_i)) {
                best = k;
                best_i = i;
                found = &p->pub;
            }
        }
        from = gz_by_byte[256];
        to = gz_by_byte[257];
    }
    if (place)
        *place = found;
    return best;
}

size_t ura_gazetteer_count(void)
{
    return NPLACES;
}

const ura_place *ura_gazetteer_place(size_t i)
{
    return i < NPLACES ? &gz_places[i].pub : NULL;
}

static const struct gz_place *of(const ura_place *p)
{
    for (size_t i = 0; p && i < NPLACES; i++)
        if (p == &gz_places[i].pub)
            return &gz_places[i];
    return NULL;
}

const char *ura_place_name_text(const ura_place *p, size_t i)
{
    const struct gz_place *g = of(p);
    return g && i < g->pub.nnames ? g->text[i] : NULL;
}

const char *ura_place_name_lang(const ura_place *p, size_t i)
{
    static const char *const names[] = {"sq", "sr", "en"};
    const struct gz_place *g = of(p);
    return g && i < g->pub.nnames ? names[g->lang[i]] : NULL;
}

const char *ura_place_kind(const ura_place *p)
{
    const struct gz_place *g = of(p);
    return g ? g->kind : NULL;
}

const char *ura_place_municipality(const ura_place *p)
{
    const struct gz_place *g = of(p);
    return g ? g->muni : NULL;
}
