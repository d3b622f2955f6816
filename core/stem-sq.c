/* stem-sq.c — a light Albanian stemmer on folded words (ë→e, ç→c), since
 * Snowball has none and queries are typed without ë and ç.  It strips
 * inflection (definiteness, case, number, common verb endings), never
 * derivation (-im, -or, -tar, -ues stay), so that komunë and komunitet,
 * ligj and ligjor, vend and vendim keep apart.  Each step is one rule of
 * docs/STEMMER-SQ.md, which gives examples; the step numbers match. */
#include "config.h"

#include <string.h>

#include "stem.h"

/* A stem keeps at least this many letters. */
#define MIN_STEM 3

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int has_vowel(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_vowel(w[i]))
            return 1;
    return 0;
}

static int ends_with(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* Whether a nominal ending may be cut leaving w[0..n): enough letters and
 * a vowel among them ("fsh" of fshat is no stem). */
static int nominal_ok(const char *w, size_t n)
{
    return n >= MIN_STEM && has_vowel(w, n);
}

/* Rule 1: verb endings of the -oj class and of consonant stems.  Returns
 * the new length, or n when none applies. */
static size_t verb_rule(const char *w, size_t n)
{
    /* 1a: -oj verbs: present, passive, aorist, participle, imperfect,
     * subjunctive; the -jt- past stem of mbroj-like verbs. */
    static const char *const oj[] = {
        "ojtur", "ojten", "ojti", "ojme", "ojne", "ohet", "ohen", "ohej",
        "onte", "uara", "uan", "uar", "oni", "oje", "oi", "oj", NULL,
    };
    for (const char *const *s = oj; *s; s++) {
        size_t k = strlen(*s);
        /* -oni, -on... after i is a noun in -ion (komisioni) */
        if (ends_with(w, n, *s) && n - k >= MIN_STEM && !((*s)[0] == 'o' && w[n - k - 1] == 'i'))
            return n - k;
    }
    /* 1b: -on (3rd person singular) but not -ion (institucion), which
     * rule 5 treats as a noun ending. */
    if (ends_with(w, n, "on") && n - 2 >= MIN_STEM && w[n - 3] != 'i')
        return n - 2;
    /* 1c: consonant-stem verbs: -nin (imperfect 3pl), -ni (2pl), -ej
     * (imperfect 3sg), -ur (participle), only right after a consonant, so
     * that Gjilani, organin and komisioni are not verbs. */
    static const char *const cons[] = {"nin", "ni", "ej", "ur", NULL};
    for (const char *const *s = cons; *s; s++) {
        size_t k = strlen(*s);
        if (ends_with(w, n, *s) && n - k >= MIN_STEM + 1 && !is_vowel(w[n - k - 1]) &&
            nominal_ok(w, n - k))
            return n - k;
    }
    return n;
}

/* Rules 2 and 4: one case or definite ending.  full: the first pass (all
 * endings); else the second pass, which only takes a consonant left
 * after a vowel (-t, -n, -s) so that stems ending in -et, -es, -en and
 * -on meet their inflected forms. */
static size_t case_rule(const char *w, size_t n, int full)
{
    if (full) {
        /* 2a: -së, -në after stressed -i (lirisë, lirinë).  Not -të: it
         * would cut dispozitë like liritë, and dispozitë is the commoner. */
        if (n >= 3 && w[n - 3] == 'i' && (ends_with(w, n, "se") || ends_with(w, n, "ne")) &&
            nominal_ok(w, n - 2))
            return n - 2;
        /* 2b: -ve (genitive/dative plural: komunave, ligjeve, mësuesve),
         * -sh after a vowel (ablative plural: komunash, ligjesh) */
        if (ends_with(w, n, "ve") && nominal_ok(w, n - 2))
            return n - 2;
        if (ends_with(w, n, "sh") && n >= 3 && (w[n - 3] == 'e' || w[n - 3] == 'a') &&
            nominal_ok(w, n - 2))
            return n - 2;
        /* 2c: masculine definite -it, -in, -ut, -un (ligjit, ligjin,
         * dialogut, dialogun) */
        static const char *const masc[] = {"it", "in", "ut", "un", NULL};
        for (const char *const *s = masc; *s; s++)
            if (ends_with(w, n, *s) && nominal_ok(w, n - 2))
                return n - 2;
    } else {
        /* 4b: -on of nouns (person, personi), not -ion */
        if (ends_with(w, n, "on") && n >= 3 && w[n - 3] != 'i' && nominal_ok(w, n - 2))
            return n - 2;
    }
    /* 2d / 4a: -t, -n, -s after e or a (komunat, gjuhët, komunën,
     * komunës; and qytet, Prizren, interes in the second pass) */
    if (n >= 2 && (w[n - 1] == 't' || w[n - 1] == 'n' || w[n - 1] == 's') &&
        (w[n - 2] == 'e' || w[n - 2] == 'a') && nominal_ok(w, n - 1))
        return n - 1;
    return n;
}

/* Rules 3 and 5: one final a, e, i or u (komuna, komunë, ligji,
 * dialogu), and an i before a or e with it (liria, shtëpie).  Only one:
 * perfaqësues must not lose its u as well as its e. */
static size_t vowel_rule(const char *w, size_t n)
{
    if (n > 0 && (w[n - 1] == 'a' || w[n - 1] == 'e' || w[n - 1] == 'i' || w[n - 1] == 'u') &&
        nominal_ok(w, n - 1)) {
        n--;
        if ((w[n] == 'a' || w[n] == 'e') && n > 0 && w[n - 1] == 'i' && nominal_ok(w, n - 1))
            n--;
    }
    return n;
}

size_t ura_stem_sq(const char *w, size_t n, char *out)
{
    memcpy(out, w, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return n; /* digits, apostrophes, other scripts: as they are */
    if (n <= MIN_STEM)
        return n;

    size_t m = verb_rule(out, n);
    if (m == n) {
        m = case_rule(out, m, 1); /* 2 */
        m = vowel_rule(out, m);   /* 3 */
        size_t before = m;
        m = case_rule(out, m, 0); /* 4 */
        if (m != before)
            m = vowel_rule(out, m); /* 5: only what rule 4 uncovered */
        /* 6: the ë of a last syllable -ër drops before endings (emër,
         * emri): a consonant + "er" at the end becomes consonant + "r". */
        if (m >= 4 && out[m - 1] == 'r' && out[m - 2] == 'e' && !is_vowel(out[m - 3]) &&
            has_vowel(out, m - 2)) {
            out[m - 2] = 'r';
            m--;
        }
        /* 7: a participle used as an adjective or noun takes nominal
         * endings (e mbrojtura, të caktuarat, të përdorurit): once they
         * are cut, a participle ending left is cut as rule 1 cuts it. */
        if (m < n && (ends_with(out, m, "ur") || ends_with(out, m, "uar"))) {
            size_t v = verb_rule(out, m);
            if (v < m)
                m = v;
        }
    }
    out[m] = '\0';
    return m;
}
