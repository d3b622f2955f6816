/* analyse.c — the analyser: UTF-8 text to search terms with byte offsets
 * and positions, one pipeline for documents and queries alike (DESIGN.md,
 * "Analysis").  ICU breaks words and does NFKC case folding; Serbian
 * transliteration, look-alike repair and diacritic folding are tables,
 * because ICU's transliterator costs ~10 ms to open. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "analyse.h"
#include "util.h"

/* Text is broken in chunks of at most this many bytes so that memory stays
 * bounded however long the input: a chunk's UTF-16 copy and offset map
 * are allocated once per analyser. */
#define CHUNK (64 * 1024)

/* A token with more UTF-16 units than this is dropped before any
 * normalisation: its term would be longer than URA_TERM_MAX bytes unless
 * nearly all of it were marks or ignorables (zalgo), which is not worth
 * normalising a megabyte "word" to find out. */
#define SRC_MAX (4 * URA_TERM_MAX)

/* UTF-16 capacities of the per-token stages.  After NFKC case folding each
 * UTF-16 unit becomes at least one UTF-8 byte of the exact form, so more
 * than URA_TERM_MAX units means the token is too long (no growth needed);
 * transliteration at most doubles it; NFD expands it a few times. */
#define NF_CAP (URA_TERM_MAX + 1)
#define EX_CAP (2 * NF_CAP)
#define ND_CAP (4 * EX_CAP)

/* One character's fold, found by running the whole pipeline on that
 * character alone the first time it is met.  A token whose characters
 * all have one folds to the concatenation of their folds (fold_fast). */
struct fold1 {
    uint8_t state; /* 0 not yet known, 1 usable, 2 not usable */
    uint8_t wb;    /* word break class ALetter: 0 not yet known, 1 yes, 2 no */
    uint8_t elen, tlen;
    char exact[7], term[7];
};

/* Characters with a fold1 slot: U+0000-U+017F (ASCII, Latin-1, Latin
 * Extended-A) and U+0400-U+045F (Serbian's Cyrillic block). */
#define FOLD1_LATIN 0x180
#define FOLD1_N (FOLD1_LATIN + 0x60)

struct ura_analyser {
    UBreakIterator *bi;          /* owned; re-aimed at each chunk        */
    const UNormalizer2 *nfkc_cf; /* ICU singletons: never closed         */
    const UNormalizer2 *nfd;
    UChar *u16;                  /* the current chunk in UTF-16 (CHUNK)  */
    uint32_t *map;               /* map[i]: byte offset in the chunk of
                                    u16[i]; map[n] is the chunk length   */
    /* Per-token scratch, reused; tokens handed to callbacks point into
     * term and exact, which is why nothing may re-enter the analyser
     * from a callback. */
    UChar la[SRC_MAX];           /* the token with look-alikes replaced  */
    UChar nf[NF_CAP];            /* NFKC case folded                     */
    UChar ex[EX_CAP];            /* transliterated: exact form, UTF-16   */
    UChar nd[ND_CAP];            /* exact form in NFD                    */
    char exact[URA_TERM_MAX + 1];
    char term[URA_TERM_MAX + 1];
    /* Each character's own fold, for the fast path (fold_fast). */
    struct fold1 fold1[FOLD1_N];
    int slow_only;               /* ura_analyser_set_fast(a, 0)         */
};

int ura_analyser_new(ura_analyser **out, ura_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    *out = NULL;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st))
        return ura_error_set(err, URA_ERR_RUNTIME,
                             "ICU: cannot load the NFKC case folding data: %s",
                             u_errorName(st));
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st))
        return ura_error_set(err, URA_ERR_RUNTIME,
                             "ICU: cannot load the NFD data: %s", u_errorName(st));
    /* The root locale: the texts mix Albanian, Serbian and English, and
     * none of them has word break tailorings. */
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_FAILURE(st))
        return ura_error_set(err, URA_ERR_RUNTIME,
                             "ICU: cannot open the word break iterator: %s",
                             u_errorName(st));
    ura_analyser *a = ura_xcalloc(1, sizeof *a);
    a->bi = bi;
    a->nfkc_cf = nfkc_cf;
    a->nfd = nfd;
    a->u16 = ura_xmalloc(CHUNK * sizeof *a->u16);
    a->map = ura_xmalloc((CHUNK + 1) * sizeof *a->map);
    /* ASCII letters and digits fold to themselves in lower case; the
     * other slots are filled on first use (fold1_fill). */
    for (int c = '0'; c <= 'z'; c++) {
        char l = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        if ((l >= '0' && l <= '9') || (l >= 'a' && l <= 'z'))
            a->fold1[c] = (struct fold1){1, 0, 1, 1, {l}, {l}};
    }
    *out = a;
    return URA_OK;
}

void ura_analyser_free(ura_analyser *a)
{
    if (!a)
        return;
    ubrk_close(a->bi);
    free(a->u16);
    free(a->map);
    free(a);
}

/* ---- tables ---- */

/* Serbian Cyrillic (Vuk's alphabet) to Gaj's Latin, indexed by c - 0x400.
 * Capital digraph letters are title case (Љ→Lj) as at the start of a
 * capitalised word; terms are case folded before this is used anyway. */
static const uint16_t cyr_lat[0x60][2] = {
    [0x02] = {0x0110},      /* Ђ Đ */
    [0x08] = {'J'},         /* Ј */
    [0x09] = {'L', 'j'},    /* Љ */
    [0x0A] = {'N', 'j'},    /* Њ */
    [0x0B] = {0x0106},      /* Ћ Ć */
    [0x0F] = {'D', 0x017E}, /* Џ Dž */
    [0x10] = {'A'}, [0x11] = {'B'}, [0x12] = {'V'}, [0x13] = {'G'},
    [0x14] = {'D'}, [0x15] = {'E'}, [0x16] = {0x017D}, [0x17] = {'Z'},
    [0x18] = {'I'}, [0x1A] = {'K'}, [0x1B] = {'L'}, [0x1C] = {'M'},
    [0x1D] = {'N'}, [0x1E] = {'O'}, [0x1F] = {'P'}, [0x20] = {'R'},
    [0x21] = {'S'}, [0x22] = {'T'}, [0x23] = {'U'}, [0x24] = {'F'},
    [0x25] = {'H'}, [0x26] = {'C'}, [0x27] = {0x010C}, [0x28] = {0x0160},
    [0x30] = {'a'}, [0x31] = {'b'}, [0x32] = {'v'}, [0x33] = {'g'},
    [0x34] = {'d'}, [0x35] = {'e'}, [0x36] = {0x017E}, [0x37] = {'z'},
    [0x38] = {'i'}, [0x3A] = {'k'}, [0x3B] = {'l'}, [0x3C] = {'m'},
    [0x3D] = {'n'}, [0x3E] = {'o'}, [0x3F] = {'p'}, [0x40] = {'r'},
    [0x41] = {'s'}, [0x42] = {'t'}, [0x43] = {'u'}, [0x44] = {'f'},
    [0x45] = {'h'}, [0x46] = {'c'}, [0x47] = {0x010D}, [0x48] = {0x0161},
    [0x52] = {0x0111},      /* ђ đ */
    [0x58] = {'j'},         /* ј */
    [0x59] = {'l', 'j'},    /* љ */
    [0x5A] = {'n', 'j'},    /* њ */
    [0x5B] = {0x0107},      /* ћ ć */
    [0x5F] = {'d', 0x017E}, /* џ dž */
};

int ura_cyr_to_lat(uint32_t c, uint16_t out[2])
{
    if (c < 0x400 || c >= 0x460 || !cyr_lat[c - 0x400][0])
        return 0;
    out[0] = cyr_lat[c - 0x400][0];
    out[1] = cyr_lat[c - 0x400][1];
    return out[1] ? 2 : 1;
}

/* The Cyrillic letter a Latin letter is mistaken for, in a word that is
 * mostly Cyrillic ("Cрбија" with a Latin C).  Only targets in Serbian's
 * alphabet: only those get transliterated back.  Case matters: B and H
 * look like В and Н, b and h look like nothing. */
static UChar latin_lookalike(UChar c)
{
    switch (c) {
    case 'A': return 0x0410; case 'a': return 0x0430;
    case 'B': return 0x0412;
    case 'C': return 0x0421; case 'c': return 0x0441;
    case 'E': return 0x0415; case 'e': return 0x0435;
    case 'H': return 0x041D;
    case 'J': return 0x0408; case 'j': return 0x0458;
    case 'K': return 0x041A; case 'k': return 0x043A;
    case 'M': return 0x041C;
    case 'O': return 0x041E; case 'o': return 0x043E;
    case 'P': return 0x0420; case 'p': return 0x0440;
    case 'T': return 0x0422;
    case 'X': return 0x0425; case 'x': return 0x0445;
    case 'Y': return 0x0423; case 'y': return 0x0443;
    default: return 0;
    }
}

/* The Latin letter a Cyrillic letter is mistaken for, in a word that is
 * mostly Latin ("Prishtinа" with a Cyrillic а).  Only shapes that really
 * look alike in the given case: uppercase В is B but lowercase в is not
 * b; ё passes for Albanian ë. */
static UChar cyrillic_lookalike(UChar c)
{
    switch (c) {
    case 0x0410: return 'A'; case 0x0430: return 'a';
    case 0x0412: return 'B';
    case 0x0415: return 'E'; case 0x0435: return 'e';
    case 0x0401: return 0x00CB; case 0x0451: return 0x00EB; /* Ё ё: Ë ë */
    case 0x0405: return 'S'; case 0x0455: return 's';       /* Ѕ ѕ */
    case 0x0406: return 'I'; case 0x0456: return 'i';       /* І і */
    case 0x0407: return 0x00CF; case 0x0457: return 0x00EF; /* Ї ї: Ï ï */
    case 0x04C0: return 'I';                                /* Ӏ */
    case 0x0408: return 'J'; case 0x0458: return 'j';
    case 0x041A: return 'K'; case 0x043A: return 'k';
    case 0x041C: return 'M';
    case 0x041D: return 'H';
    case 0x041E: return 'O'; case 0x043E: return 'o';
    case 0x0420: return 'P'; case 0x0440: return 'p';
    case 0x0421: return 'C'; case 0x0441: return 'c';
    case 0x0422: return 'T';
    case 0x0425: return 'X'; case 0x0445: return 'x';
    case 0x0423: return 'Y'; case 0x0443: return 'y';
    case 0x04AE: return 'Y';                                /* Ү */
    case 0x04BA: return 'H'; case 0x04BB: return 'h';       /* Һ һ */
    case 0x0501: return 'd';                                /* ԁ */
    case 0x051A: return 'Q'; case 0x051B: return 'q';       /* Ԛ ԛ */
    case 0x051C: return 'W'; case 0x051D: return 'w';       /* Ԝ ԝ */
    default: return 0;
    }
}

static int is_latin_letter(UChar c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7) ||
           (c >= 0x1E00 && c <= 0x1EFF);
}

static int is_cyrillic_letter(UChar c)
{
    return c >= 0x0400 && c <= 0x052F && !(c >= 0x0482 && c <= 0x0489);
}

/* ---- folding one token ---- */

/* Appends c as UTF-8 to buf, which holds URA_TERM_MAX bytes; 0 when it
 * does not fit. */
static int put8(char *buf, size_t *len, UChar32 c)
{
    if (*len + (size_t)U8_LENGTH(c) > URA_TERM_MAX)
        return 0;
    U8_APPEND_UNSAFE(buf, *len, c);
    return 1;
}

/* Appends one code point of the exact form to the term, without its
 * diacritic.  Marks were split off by NFD; these letters carry theirs
 * inside and NFD leaves them whole.  č ć š ž come only from the second
 * transliteration pass (Ӂ is Ж with a breve). */
static int put_folded(char *buf, size_t *len, UChar32 c)
{
    switch (c) {
    case 0x0111: return put8(buf, len, 'd') && put8(buf, len, 'j'); /* đ */
    case 0x0142: c = 'l'; break;                                    /* ł */
    case 0x00F8: c = 'o'; break;                                    /* ø */
    case 0x0131: c = 'i'; break;                                    /* ı */
    case 0x010D: case 0x0107: c = 'c'; break;                       /* č ć */
    case 0x0161: c = 's'; break;                                    /* š */
    case 0x017E: c = 'z'; break;                                    /* ž */
    }
    return put8(buf, len, c);
}

static int is_mark(UChar32 c)
{
    if (c < 0x0300)
        return 0;
    if (c <= 0x036F)
        return 1;
    if (c < 0x0483)
        return 0;
    int8_t t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK;
}

static int is_apostrophe(UChar32 c)
{
    return c == 0x2019 || c == 0x2018 || c == 0x02BC;
}

enum fold_rc { FOLD_OK, FOLD_LONG, FOLD_EMPTY, FOLD_FAIL, FOLD_SLOW };

/* Mixed-script repair, decided per word by majority: the minority
 * script's look-alikes become the majority's letters.  Returns s itself
 * or a->la. */
static const UChar *fix_lookalikes(ura_analyser *a, const UChar *s, int32_t n)
{
    int32_t lat = 0, cyr = 0;
    for (int32_t i = 0; i < n; i++) {
        if (is_latin_letter(s[i]))
            lat++;
        else if (is_cyrillic_letter(s[i]))
            cyr++;
    }
    if (!lat || !cyr || lat == cyr)
        return s;
    UChar (*look)(UChar) = lat > cyr ? cyrillic_lookalike : latin_lookalike;
    for (int32_t i = 0; i < n; i++) {
        UChar m = look(s[i]);
        a->la[i] = m ? m : s[i];
    }
    return a->la;
}

/* Folds the token s[0..n) into a->exact and a->term (both NUL-terminated)
 * through ICU.  On FOLD_FAIL *st says what ICU did not like. */
static enum fold_rc fold_icu(ura_analyser *a, const UChar *s, int32_t n,
                             size_t *exact_len, size_t *term_len, UErrorCode *st)
{
    s = fix_lookalikes(a, s, n);

    *st = U_ZERO_ERROR;
    int32_t nn = unorm2_normalize(a->nfkc_cf, s, n, a->nf, NF_CAP, st);
    if (*st == U_BUFFER_OVERFLOW_ERROR)
        return FOLD_LONG;
    if (U_FAILURE(*st))
        return FOLD_FAIL;
    *st = U_ZERO_ERROR; /* U_STRING_NOT_TERMINATED_WARNING is fine */

    /* Exact form: Serbian Cyrillic to Latin, apostrophes unified. */
    size_t elen = 0;
    int32_t ne = 0;
    int ascii = 1;
    for (int32_t i = 0; i < nn;) {
        UChar32 c;
        uint16_t o[2];
        int k = 0;
        U16_NEXT(a->nf, i, nn, c);
        if (c >= 0x0400 && c < 0x0460)
            k = ura_cyr_to_lat((uint32_t)c, o);
        if (!k && is_apostrophe(c)) {
            o[0] = '\'';
            k = 1;
        }
        if (k) {
            for (int j = 0; j < k; j++) {
                a->ex[ne++] = o[j];
                ascii &= o[j] < 0x80;
                if (!put8(a->exact, &elen, o[j]))
                    return FOLD_LONG;
            }
        } else {
            U16_APPEND_UNSAFE(a->ex, ne, c);
            ascii &= c < 0x80;
            if (!put8(a->exact, &elen, c))
                return FOLD_LONG;
        }
    }

    /* Term: the exact form without diacritics. */
    size_t tlen = 0;
    if (ascii) {
        memcpy(a->term, a->exact, elen);
        tlen = elen;
    } else {
        int32_t nd = unorm2_normalize(a->nfd, a->ex, ne, a->nd, ND_CAP, st);
        if (*st == U_BUFFER_OVERFLOW_ERROR)
            return FOLD_LONG;
        if (U_FAILURE(*st))
            return FOLD_FAIL;
        *st = U_ZERO_ERROR;
        for (int32_t i = 0; i < nd;) {
            UChar32 c;
            uint16_t o[2];
            int k, ok = 1;
            U16_NEXT(a->nd, i, nd, c);
            if (c < 0x80)
                ok = put8(a->term, &tlen, c);
            else if (is_mark(c))
                continue;
            else if ((k = ura_cyr_to_lat((uint32_t)c, o)) != 0)
                /* A Cyrillic base NFD uncovered (ѓ = г + ◌́). */
                for (int j = 0; j < k && ok; j++)
                    ok = put_folded(a->term, &tlen, o[j]);
            else
                ok = put_folded(a->term, &tlen, c);
            if (!ok)
                return FOLD_LONG;
        }
    }
    if (!tlen)
        return FOLD_EMPTY;
    a->exact[elen] = '\0';
    a->term[tlen] = '\0';
    *exact_len = elen;
    *term_len = tlen;
    return FOLD_OK;
}

/* The fold1 slot of UTF-16 unit c, or NULL when it has none. */
static struct fold1 *fold1_slot(ura_analyser *a, UChar c)
{
    if (c < FOLD1_LATIN)
        return &a->fold1[c];
    if (c >= 0x0400 && c < 0x0460)
        return &a->fold1[FOLD1_LATIN + (c - 0x0400)];
    return NULL;
}

/* Fills f, the slot of c, from fold_icu() on c alone.  Usable when:
 *   - NFKC case folding has a boundary before c (unorm2_hasBoundaryBefore:
 *     c never combines with what precedes it), so a token of such
 *     characters normalises character by character;
 *   - NFD of c's exact form has no non-starter other than a mark: NFD of
 *     a string is the characters' decompositions put together, then the
 *     non-starters reordered; the term drops marks, so it is the
 *     characters' terms put together;
 *   - it folds to a term, and both forms fit the slot.
 * Nothing else of the pipeline looks beyond one character but look-alike
 * repair, which fold_fast() leaves to the ICU path. */
static void fold1_fill(ura_analyser *a, UChar c, struct fold1 *f)
{
    size_t elen, tlen;
    UErrorCode st = U_ZERO_ERROR;
    f->state = 2;
    if (!unorm2_hasBoundaryBefore(a->nfkc_cf, c))
        return;
    if (fold_icu(a, &c, 1, &elen, &tlen, &st) != FOLD_OK || elen > sizeof f->exact ||
        tlen > sizeof f->term)
        return;
    UChar u[sizeof f->exact], d[4 * sizeof f->exact];
    int32_t nu = 0;
    st = U_ZERO_ERROR;
    u_strFromUTF8(u, (int32_t)(sizeof u / sizeof *u), &nu, a->exact, (int32_t)elen, &st);
    if (U_FAILURE(st))
        return;
    st = U_ZERO_ERROR;
    int32_t nd = unorm2_normalize(a->nfd, u, nu, d, (int32_t)(sizeof d / sizeof *d), &st);
    if (U_FAILURE(st))
        return;
    for (int32_t i = 0; i < nd;) {
        UChar32 x;
        U16_NEXT(d, i, nd, x);
        if (u_getCombiningClass(x) != 0 && !is_mark(x))
            return;
    }
    memcpy(f->exact, a->exact, elen);
    memcpy(f->term, a->term, tlen);
    f->elen = (uint8_t)elen;
    f->tlen = (uint8_t)tlen;
    f->state = 1;
}

/* The token s[0..n) folded as its characters' folds put together, when
 * every character has a usable fold1 slot and the word does not mix
 * Latin and Cyrillic letters; FOLD_SLOW when not.  Gives what fold_icu()
 * would (tests/unit/analyse-test.c compares the two), without ICU for
 * the words of the corpora's languages. */
static enum fold_rc fold_fast(ura_analyser *a, const UChar *s, int32_t n,
                              size_t *exact_len, size_t *term_len)
{
    int lat = 0, cyr = 0, lng = 0;
    size_t elen = 0, tlen = 0;
    for (int32_t i = 0; i < n; i++) {
        struct fold1 *f = fold1_slot(a, s[i]);
        if (!f)
            return FOLD_SLOW;
        if (!f->state) {
            /* fold1_fill() uses a->exact and a->term: start again. */
            fold1_fill(a, s[i], f);
            lat = cyr = lng = 0;
            elen = tlen = 0;
            i = -1;
            continue;
        }
        if (f->state != 1)
            return FOLD_SLOW;
        lat |= is_latin_letter(s[i]);
        cyr |= is_cyrillic_letter(s[i]);
        if (lng || elen + f->elen > URA_TERM_MAX || tlen + f->tlen > URA_TERM_MAX) {
            lng = 1; /* still to see whether every character has a fold */
            continue;
        }
        for (int k = 0; k < f->elen; k++)
            a->exact[elen++] = f->exact[k];
        for (int k = 0; k < f->tlen; k++)
            a->term[tlen++] = f->term[k];
    }
    if (lat && cyr)
        return FOLD_SLOW; /* look-alike repair */
    if (lng)
        return FOLD_LONG;
    a->exact[elen] = '\0';
    a->term[tlen] = '\0';
    *exact_len = elen;
    *term_len = tlen;
    return FOLD_OK;
}

/* Folds the non-ASCII token s[0..n) into a->exact and a->term (both
 * NUL-terminated): by its characters' folds when it can, else by ICU.
 * On FOLD_FAIL *st says what ICU did not like. */
static enum fold_rc fold_token(ura_analyser *a, const UChar *s, int32_t n,
                               size_t *exact_len, size_t *term_len, UErrorCode *st)
{
    if (n > SRC_MAX)
        return FOLD_LONG;
    if (!a->slow_only) {
        enum fold_rc rc = fold_fast(a, s, n, exact_len, term_len);
        if (rc != FOLD_SLOW)
            return rc;
    }
    return fold_icu(a, s, n, exact_len, term_len, st);
}

void ura_analyser_set_fast(ura_analyser *a, int on)
{
    a->slow_only = !on;
}

/* Pure ASCII needs no ICU: NFKC case folding of ASCII is lowercasing.
 * The caller has checked n <= URA_TERM_MAX.  Returns whether a letter was
 * seen. */
static int fold_ascii(char *out, const char *z, size_t n)
{
    int alpha = 0;
    for (size_t i = 0; i < n; i++) {
        char c = z[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c | 0x20);
        alpha |= c >= 'a' && c <= 'z';
        out[i] = c;
    }
    out[n] = '\0';
    return alpha;
}

/* ---- breaking ---- */

/* Converts z[0..n) to UTF-16 in a->u16 with the offset map; invalid
 * bytes become U+FFFD, one per byte, which the word breaker treats as a
 * separator.  n <= CHUNK and z never ends inside a valid sequence. */
static int32_t to_utf16(ura_analyser *a, const char *z, size_t n)
{
    const unsigned char *s = (const unsigned char *)z;
    int32_t u = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            a->map[u] = (uint32_t)i;
            a->u16[u++] = c;
            i++;
            continue;
        }
        size_t k = ura_utf8_seq(s + i, n - i);
        if (!k) {
            a->map[u] = (uint32_t)i;
            a->u16[u++] = 0xFFFD;
            i++;
            continue;
        }
        UChar32 cp = c & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
        for (size_t j = 1; j < k; j++)
            cp = (cp << 6) | (s[i + j] & 0x3F);
        if (cp >= 0x10000) {
            a->map[u] = a->map[u + 1] = (uint32_t)i;
            a->u16[u++] = U16_LEAD(cp);
            a->u16[u++] = U16_TRAIL(cp);
        } else {
            a->map[u] = (uint32_t)i;
            a->u16[u++] = (UChar)cp;
        }
        i += k;
    }
    a->map[u] = (uint32_t)n;
    return u;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* How many bytes of z[0..n) to break next.  Preferably up to just after
 * an ASCII white space followed by an ASCII byte: no word break rule
 * reaches across that, so the chunks break exactly like the whole text.
 * Failing that (64 KB without a space) the cut is at a character start
 * and *forced is set: the caller re-breaks the last two segments with the
 * next chunk. */
static size_t chunk_len(const char *z, size_t n, int *forced)
{
    const unsigned char *s = (const unsigned char *)z;
    *forced = 0;
    if (n <= CHUNK)
        return n;
    for (size_t i = CHUNK; i > 0; i--)
        if (is_space(s[i - 1]) && s[i] < 0x80)
            return i;
    *forced = 1;
    /* A continuation byte is part of a sequence only with at most three
     * of them before it. */
    for (size_t i = CHUNK; i > CHUNK - 4; i--)
        if ((s[i] & 0xC0) != 0x80)
            return i;
    return CHUNK;
}

/* One ura_analyse() call. */
struct run {
    ura_analyser *a;
    const char *text;
    ura_token_fn fn;
    void *ctx;
    ura_error *err;
    uint32_t pos;
};

static int is_hyphen(UChar c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2013) || c == 0x2212;
}

static int is_digit(UChar c)
{
    return c >= '0' && c <= '9';
}

/* If u[us..ue) (1-3 digits) starts an act number — NN/L-NNN with a
 * Latin or Cyrillic L, or NN/YYYY — returns where it ends, else -1. */
static int32_t lawnum_end(const UChar *u, int32_t us, int32_t ue, int32_t n)
{
    if (ue - us > 3 || ue >= n || u[ue] != '/')
        return -1;
    for (int32_t i = us; i < ue; i++)
        if (!is_digit(u[i]))
            return -1;
    int32_t i = ue + 1, d;
    if (i + 2 < n && (u[i] == 'L' || u[i] == 'l' || u[i] == 0x041B || u[i] == 0x043B) &&
        is_hyphen(u[i + 1])) {
        i += 2;
        for (d = 0; i < n && is_digit(u[i]); i++, d++)
            ;
        return d >= 1 && d <= 4 ? i : -1;
    }
    for (d = 0; i < n && is_digit(u[i]); i++, d++)
        ;
    return d == 4 ? i : -1;
}

static int emit(struct run *r, size_t tlen, const char *exact, size_t elen,
                size_t start, size_t end, uint32_t pos, enum ura_token_kind kind)
{
    ura_token t = {
        .term = r->a->term, .term_len = tlen,
        .exact = exact, .exact_len = elen,
        .start = start, .end = end, .pos = pos, .kind = kind,
    };
    return r->fn(r->ctx, &t);
}

static int emit_lawnum(struct run *r, size_t base, int32_t us, int32_t ue)
{
    ura_analyser *a = r->a;
    size_t n = 0;
    for (int32_t i = us; i < ue; i++) {
        UChar c = a->u16[i];
        a->term[n++] = is_digit(c) || c == '/' ? (char)c : is_hyphen(c) ? '-' : 'l';
    }
    a->term[n] = '\0';
    return emit(r, n, a->term, n, base + a->map[us], base + a->map[ue], r->pos++,
                URA_TOKEN_LAWNUM);
}

/* The word segment u16[us..ue) of the chunk at byte `base`. */
static int emit_word(struct run *r, size_t base, int32_t us, int32_t ue, int32_t status)
{
    ura_analyser *a = r->a;
    const char *z = r->text + base;
    size_t bs = a->map[us], be = a->map[ue];
    size_t tlen, elen;
    int alpha = 0;
    uint32_t pos = r->pos++; /* dropped tokens keep their position */

    size_t i = bs;
    while (i < be && (unsigned char)z[i] < 0x80)
        i++;
    if (i == be) {
        if (be - bs > URA_TERM_MAX)
            return URA_OK;
        alpha = fold_ascii(a->term, z + bs, be - bs);
        tlen = elen = be - bs;
        memcpy(a->exact, a->term, tlen + 1);
    } else {
        UErrorCode st = U_ZERO_ERROR;
        switch (fold_token(a, a->u16 + us, ue - us, &elen, &tlen, &st)) {
        case FOLD_OK:
            break;
        case FOLD_LONG:
            return URA_OK;
        case FOLD_EMPTY: /* only ignorables: no word after all */
            r->pos--;
            return URA_OK;
        case FOLD_FAIL:
        default:
            return ura_error_set(r->err, URA_ERR_RUNTIME,
                                 "ICU normalisation failed at byte %zu: %s",
                                 base + bs, u_errorName(st));
        }
        for (i = 0; i < tlen && !alpha; i++) {
            unsigned char c = (unsigned char)a->term[i];
            alpha = c >= 0x80 || (c >= 'a' && c <= 'z');
        }
    }
    /* ICU calls "a1" a number; a NUMBER token holds no letter. */
    enum ura_token_kind kind =
        status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT && !alpha
            ? URA_TOKEN_NUMBER : URA_TOKEN_WORD;
    return emit(r, tlen, a->exact, elen, base + bs, base + be, pos, kind);
}

/* Breaks u16[rs..re) of the chunk at byte `off` with ICU and emits its
 * words.  forced (only for the whole chunk, rs 0): the chunk was cut
 * inside a long run without spaces, and *next is set to where the next
 * chunk starts; *tail: the last chunk ended inside an over-long word. */
static int break_icu(struct run *r, size_t off, int32_t rs, int32_t re, int forced,
                     int *tail, size_t *next)
{
    ura_analyser *a = r->a;
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(a->bi, a->u16 + rs, re - rs, &st);
    if (U_FAILURE(st))
        return ura_error_set(r->err, URA_ERR_RUNTIME, "ICU word breaking failed: %s",
                             u_errorName(st));
    /* After a forced cut the last segment may go on in the next chunk,
     * and the one before it may depend on the next character ("12."
     * then "5"): both are broken again with the next chunk. */
    int32_t limit = re;
    if (forced) {
        ubrk_last(a->bi);
        int32_t p1 = ubrk_previous(a->bi);
        int32_t p2 = p1 > 0 ? ubrk_previous(a->bi) : p1;
        limit = rs + (p2 > 0 ? p2 : p1 > 0 ? p1 : 0);
        ubrk_first(a->bi);
    }
    int rc = URA_OK;
    int32_t prev = rs, b;
    while ((b = ubrk_next(a->bi)) != UBRK_DONE) {
        b += rs;
        int32_t status = ubrk_getRuleStatus(a->bi);
        int word = status >= UBRK_WORD_NONE_LIMIT;
        if (b > limit) {
            if (limit > rs) {
                *next = off + a->map[limit];
                break;
            }
            /* One word fills the chunk: far too long, dropped, one
             * position however many chunks it spans. */
            if (word && !*tail)
                r->pos++;
            *tail = word;
            break;
        }
        if (*tail) {
            *tail = 0;
            if (word && prev == rs) {
                prev = b;
                continue;
            }
        }
        if (word && status < UBRK_WORD_NUMBER_LIMIT) {
            int32_t e = lawnum_end(a->u16, prev, b, re);
            if (e > limit && prev > rs) {
                /* An act number across the re-broken tail. */
                *next = off + a->map[prev];
                break;
            }
            if (e > 0 && e <= limit) {
                /* "03/L-047x" is no act number; isBoundary moves the
                 * iterator, following() puts it back. */
                if (ubrk_isBoundary(a->bi, e - rs)) {
                    rc = emit_lawnum(r, off, prev, e);
                    b = e;
                    word = 0;
                } else {
                    ubrk_following(a->bi, prev - rs);
                }
            }
        }
        if (word)
            rc = emit_word(r, off, prev, b, status);
        if (rc != URA_OK)
            break;
        prev = b;
    }
    return rc;
}

static int is_space16(UChar c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A letter or digit that word breaking always keeps with the letters and
 * digits around it (UAX #29 ALetter or Numeric): ASCII ones, and the
 * ALetter characters of Latin-1, Latin Extended-A and Serbian's Cyrillic
 * block. */
static int is_word_char(ura_analyser *a, UChar c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c);
    struct fold1 *f = fold1_slot(a, c);
    if (!f || c < 0xC0)
        return 0;
    if (!f->wb)
        f->wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_ALETTER ? 1 : 2;
    return f->wb == 1;
}

/* Punctuation that ends a word before white space: no rule joins it to
 * the letters or digits before it when white space follows. */
static int is_end_punct(UChar c)
{
    return c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' ||
           c == ')' || c == '"' || c == '\'';
}

/* Whether there is a word boundary before u[p] that no rule reaches
 * across: u[p-1] is ASCII white space and u[p] an ASCII character or a
 * word character (no Extend, Format or space joins it to what precedes,
 * and nothing before white space looks beyond it).  ura_analyse() cuts
 * chunks at such places too. */
static int is_cut(ura_analyser *a, const UChar *u, int32_t p)
{
    return is_space16(u[p - 1]) && !is_space16(u[p]) &&
           (u[p] < 0x80 || is_word_char(a, u[p]));
}

/* Breaks the chunk u16[0..nu) at byte `off`: a piece between two cuts
 * (is_cut) that is one run of word characters, perhaps one end
 * punctuation mark, then white space (or the chunk's end) is that one
 * word, without ICU; the pieces between such words go to ICU's word
 * breaker (break_icu()) together.  Gives what breaking the whole chunk
 * with ICU gives (tests/unit/analyse-test.c compares the two). */
static int break_pieces(struct run *r, size_t off, int32_t nu, size_t *next)
{
    const UChar *u = r->a->u16;
    int32_t rs = 0, p = 0;
    int rc = URA_OK, tail = 0;
    while (p < nu && rc == URA_OK) {
        int32_t i = p, digits = 1;
        for (; i < nu && is_word_char(r->a, u[i]); i++)
            digits &= is_digit(u[i]);
        int32_t we = i;
        if (we > p && i < nu && is_end_punct(u[i]))
            i++;
        int32_t j = i;
        while (j < nu && is_space16(u[j]))
            j++;
        if (we > p && (j == nu || (j > i && is_cut(r->a, u, j)))) {
            if (rs < p)
                rc = break_icu(r, off, rs, p, 0, &tail, next);
            if (rc == URA_OK)
                rc = emit_word(r, off, p, we, digits ? UBRK_WORD_NUMBER : UBRK_WORD_LETTER);
            rs = p = j;
            continue;
        }
        for (p = j > p ? j : p + 1; p < nu && !is_cut(r->a, u, p); p++)
            ;
    }
    if (rc == URA_OK && rs < nu)
        rc = break_icu(r, off, rs, nu, 0, &tail, next);
    return rc;
}

int ura_analyse(ura_analyser *a, const char *text, size_t len,
                uint32_t first_pos, uint32_t *next_pos,
                ura_token_fn fn, void *ctx, ura_error *err)
{
    if (!a || !fn || (!text && len))
        return ura_error_set(err, URA_ERR_USAGE, "ura_analyse: no analyser, callback or text");
    struct run r = { .a = a, .text = text, .fn = fn, .ctx = ctx, .err = err,
                     .pos = first_pos };
    int rc = URA_OK;
    int tail = 0; /* the last chunk ended inside an over-long word */
    size_t off = 0;

    while (off < len && rc == URA_OK) {
        int forced;
        size_t n = chunk_len(text + off, len - off, &forced);
        int32_t nu = to_utf16(a, text + off, n);
        size_t next = off + n;
        if (forced || tail || a->slow_only)
            rc = break_icu(&r, off, 0, nu, forced, &tail, &next);
        else
            rc = break_pieces(&r, off, nu, &next);
        off = next;
    }
    if (next_pos)
        *next_pos = r.pos;
    return rc;
}

char *ura_fold_word(ura_analyser *a, const char *z, size_t n, size_t *out_len)
{
    if (!a || (!z && n))
        return NULL;
    const unsigned char *s = (const unsigned char *)z;
    size_t i = 0, len;
    while (i < n && s[i] < 0x80)
        i++;
    if (i == n) {
        if (n > URA_TERM_MAX)
            return NULL;
        fold_ascii(a->term, z, n);
        len = n;
    } else {
        /* Each byte gives at most one UTF-16 unit. */
        if (n > CHUNK)
            return NULL;
        for (i = 0; i < n;) {
            size_t k = ura_utf8_seq(s + i, n - i);
            if (!k)
                return NULL;
            i += k;
        }
        int32_t nu = to_utf16(a, z, n);
        size_t elen;
        UErrorCode st = U_ZERO_ERROR;
        switch (fold_token(a, a->u16, nu, &elen, &len, &st)) {
        case FOLD_OK:
            break;
        case FOLD_EMPTY:
            len = 0;
            break;
        default:
            return NULL;
        }
    }
    if (out_len)
        *out_len = len;
    return ura_xstrndup(a->term, len);
}
