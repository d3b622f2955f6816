/* stem.c — the stemmers of stem.h: Snowball for Serbian and English
 * (libstemmer's two generated stemmers, snowball.h), stem-sq.c for
 * Albanian, and the one function that turns a token into index terms. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snowball.h"
#include "stem.h"
#include "terms.h"
#include "util.h"
#include "xdb.h"

/* One Snowball stemmer: its state and its function. */
typedef struct snowball_stemmer {
    struct SN_env *z;
    int (*stem)(struct SN_env *z);
} snowball_stemmer;

struct ura_stemmer {
    snowball_stemmer sr; /* Snowball "serbian": Latin with č ć š ž đ (it
                            reads Cyrillic too, and "dj" as đ)        */
    snowball_stemmer en; /* Snowball "english" (Porter 2)              */
};

enum ura_stem_lang ura_stem_lang_of(const char *tag)
{
    if (!tag)
        return URA_STEM_NONE;
    size_t n = strcspn(tag, "-_");
    if (n == 2 && strncmp(tag, "sq", 2) == 0)
        return URA_STEM_SQ;
    if ((n == 2 && (strncmp(tag, "sr", 2) == 0 || strncmp(tag, "hr", 2) == 0 ||
                    strncmp(tag, "bs", 2) == 0)) ||
        (n == 3 && strncmp(tag, "cnr", 3) == 0))
        return URA_STEM_SR;
    if (n == 2 && strncmp(tag, "en", 2) == 0)
        return URA_STEM_EN;
    return URA_STEM_NONE;
}

const char *ura_stem_lang_name(enum ura_stem_lang l)
{
    switch (l) {
    case URA_STEM_SQ: return "sq";
    case URA_STEM_SR: return "sr";
    case URA_STEM_EN: return "en";
    default: return "";
    }
}

int ura_stemmer_new(ura_stemmer **out, ura_error *err)
{
    *out = NULL;
    struct SN_env *sr = serbian_UTF_8_create_env();
    struct SN_env *en = english_UTF_8_create_env();
    if (!sr || !en) {
        if (sr)
            serbian_UTF_8_close_env(sr);
        if (en)
            english_UTF_8_close_env(en);
        return ura_error_set(err, URA_ERR_RUNTIME, "out of memory creating the stemmers");
    }
    ura_stemmer *s = ura_xcalloc(1, sizeof *s);
    s->sr = (snowball_stemmer){sr, serbian_UTF_8_stem};
    s->en = (snowball_stemmer){en, english_UTF_8_stem};
    *out = s;
    return URA_OK;
}

void ura_stemmer_free(ura_stemmer *s)
{
    if (!s)
        return;
    serbian_UTF_8_close_env(s->sr.z);
    english_UTF_8_close_env(s->en.z);
    free(s);
}

/* Snowball's stem of z[0..n) and its length in *rn (what libstemmer's
 * sb_stemmer_stem() and sb_stemmer_length() give); NULL when none.  The
 * stem lives in the stemmer until its next call. */
static const unsigned char *snowball_stem(const snowball_stemmer *sb, const char *z, size_t n,
                                          size_t *rn)
{
    if (n > (size_t)INT_MAX || SN_set_current(sb->z, (int)n, (const unsigned char *)z) != 0 ||
        sb->stem(sb->z) < 0 || sb->z->l < 0)
        return NULL;
    *rn = (size_t)sb->z->l;
    return sb->z->p;
}

/* Folds a Snowball stem of Latin text the way the analyser folds a term
 * (č ć→c, š→s, ž→z, đ→dj, ë→e, ç→c).  Returns the length, or 0 when the
 * stem holds another non-ASCII letter (the caller then keeps only the
 * stem of the folded form) or does not fit. */
static size_t fold_stem(const unsigned char *z, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        const char *rep = NULL;
        char one[2] = {0, 0};
        if (z[i] < 0x80) {
            one[0] = (char)z[i];
            rep = one;
            i++;
        } else if (i + 1 < n && (z[i] & 0xE0) == 0xC0) {
            unsigned c = ((unsigned)(z[i] & 0x1F) << 6) | (z[i + 1] & 0x3F);
            switch (c) {
            case 0x010D: case 0x0107: case 0x00E7: rep = "c"; break;
            case 0x0161: rep = "s"; break;
            case 0x017E: rep = "z"; break;
            case 0x0111: rep = "dj"; break;
            case 0x00EB: rep = "e"; break;
            default: return 0;
            }
            i += 2;
        } else {
            return 0;
        }
        size_t r = strlen(rep);
        if (k + r > URA_TERM_MAX)
            return 0;
        memcpy(out + k, rep, r);
        k += r;
    }
    out[k] = '\0';
    return k;
}

/* Snowball stem of z[0..n), folded into out; 0 when none. */
static size_t snowball(const snowball_stemmer *sb, const char *z, size_t n, char *out)
{
    size_t rn;
    const unsigned char *r = snowball_stem(sb, z, n, &rn);
    if (!r)
        return 0;
    return fold_stem(r, rn, out);
}

static int is_vowel_sr(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Snowball "serbian" with two repairs, so that its stems of one word's
 * forms meet (docs/STEMMER-SQ.md, "Serbian"):
 * 1. a final -s it cuts from the bare form is kept: natpis, interes,
 *    proces stay as they are, like natpisi, interesa, procesa → natpis,
 *    interes, proces (Serbian has no case ending -s);
 * 2. a stem of 6 letters or more ending in consonant + "an" drops the n:
 *    the passive participle and its adjective keep -an- in some forms
 *    and lose it in others (pojačanim → pojačan, pojačane → pojača;
 *    izabran, izabrao → izabra). */
static size_t snowball_sr(const snowball_stemmer *sb, const char *z, size_t n, char *out)
{
    size_t rn;
    const unsigned char *r = snowball_stem(sb, z, n, &rn);
    if (!r)
        return 0;
    if (n >= 2 && rn == n - 1 && z[n - 1] == 's' && memcmp(r, z, rn) == 0)
        rn = n; /* 1 */
    size_t k = fold_stem(rn == n ? (const unsigned char *)z : r, rn, out);
    if (k >= 6 && out[k - 1] == 'n' && out[k - 2] == 'a' && !is_vowel_sr(out[k - 3]))
        out[--k] = '\0'; /* 2 */
    return k;
}

int ura_stem_token(ura_stemmer *s, enum ura_stem_lang l, const char *exact,
                   size_t exact_len, const char *term, size_t term_len,
                   char out[2][URA_TERM_MAX + 1])
{
    if (!s || l == URA_STEM_NONE || term_len < 2 || term_len > URA_TERM_MAX ||
        exact_len > URA_TERM_MAX)
        return 0;
    switch (l) {
    case URA_STEM_SQ:
        ura_stem_sq(term, term_len, out[0]);
        return 1;
    case URA_STEM_EN:
        return snowball(&s->en, term, term_len, out[0]) ? 1 : 0;
    case URA_STEM_SR: {
        int k = 0;
        if (exact_len != term_len || memcmp(exact, term, term_len) != 0)
            k += snowball_sr(&s->sr, exact, exact_len, out[k]) ? 1 : 0;
        if (snowball_sr(&s->sr, term, term_len, out[k]) &&
            (k == 0 || strcmp(out[0], out[1]) != 0))
            k++;
        return k;
    }
    default:
        return 0;
    }
}

/* prefix + z as a term, at position pos (0: without position). */
static void add_prefixed(ura_terms *d, const char *prefix, const char *z, size_t n,
                         uint32_t pos)
{
    char buf[URA_XDB_TERM_MAX + 1];
    size_t p = strlen(prefix);
    if (p + n > URA_XDB_TERM_MAX)
        return;
    memcpy(buf, prefix, p);
    memcpy(buf + p, z, n);
    if (pos)
        ura_terms_add_posting(d, buf, p + n, pos);
    else
        ura_terms_add(d, buf, p + n, 1);
}

void ura_stem_index_token(ura_stemmer *s, ura_terms *d, enum ura_stem_lang l,
                          const ura_token *t, uint32_t pos, char field)
{
    if (pos)
        ura_terms_add_posting(d, t->term, t->term_len, pos);
    else
        ura_terms_add(d, t->term, t->term_len, 1);
    if (t->kind != URA_TOKEN_WORD)
        return;
    if (t->exact_len != t->term_len || memcmp(t->exact, t->term, t->term_len) != 0)
        add_prefixed(d, URA_PREFIX_EXACT, t->exact, t->exact_len, 0);
    if (field == 'T' || field == 'H')
        add_prefixed(d, field == 'T' ? URA_PREFIX_TITLE : URA_PREFIX_HEADING, t->term,
                     t->term_len, 0);
    char stems[2][URA_TERM_MAX + 1];
    int k = ura_stem_token(s, l, t->exact, t->exact_len, t->term, t->term_len, stems);
    char prefix[8];
    snprintf(prefix, sizeof prefix, URA_PREFIX_STEM "%s", ura_stem_lang_name(l));
    /* Stems of heading and text words at the word's position: phrases
     * match inflected forms through them, and a passage's own words are
     * told from its document title's (which have none). */
    for (int i = 0; i < k; i++)
        add_prefixed(d, prefix, stems[i], strlen(stems[i]), pos);
}
