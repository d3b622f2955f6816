/* stem.h — stems for the index and the query: Serbian and English through
 * Snowball's libstemmer, Albanian through the project's own light
 * stemmer (core/stem-sq.c, rules in docs/STEMMER-SQ.md).  Private to
 * libura.
 *
 * A stem is always folded like a term (ura_analyse's `term`): lowercase,
 * no diacritics, Serbian in Latin.  Each language's stems live under their
 * own prefix in the index (URA_PREFIX_STEM + language), so a Serbian stem
 * never matches an Albanian word that happens to stem alike. */
#ifndef URA_STEM_H
#define URA_STEM_H

#include <stddef.h>

#include "analyse.h"

/* Prefixes of the index's extra terms (query.h has the filter ones). */
#define URA_PREFIX_STEM "Z"    /* Zsq<stem>, Zsr<stem>, Zen<stem>: no positions */
#define URA_PREFIX_EXACT "E"   /* E<exact form>, only where it differs from the
                                  folded term ("Eštrpce", "Ekomunës")         */
#define URA_PREFIX_TITLE "T"   /* T<folded term>: a word of the document title */
#define URA_PREFIX_HEADING "H" /* H<folded term>: a word of the passage heading */

enum ura_stem_lang {
    URA_STEM_NONE = 0,
    URA_STEM_SQ,
    URA_STEM_SR,
    URA_STEM_EN,
    URA_STEM_NLANGS
};

/* The stemming language of a passage's language tag: "sq" → SQ; "sr",
 * "sr-latn", "sr-cyrl", "hr", "bs", "cnr" → SR; "en" → EN; anything else
 * ("und", NULL) → NONE. */
enum ura_stem_lang ura_stem_lang_of(const char *tag);

/* "sq", "sr", "en" ("" for NONE): the suffix of the stem prefix. */
const char *ura_stem_lang_name(enum ura_stem_lang l);

typedef struct ura_stemmer ura_stemmer;

/* Create the stemmers (all languages).  The caller owns *out and frees it
 * with ura_stemmer_free().  Not thread-safe: one per thread.  Returns
 * URA_OK, or URA_ERR_RUNTIME with err filled when libstemmer has no
 * Serbian or English stemmer (a broken installation). */
int ura_stemmer_new(ura_stemmer **out, ura_error *err);
void ura_stemmer_free(ura_stemmer *s);

/* Stem one word token of language l.  exact/term are the token's exact
 * form and folded term (ura_token).  Writes up to 2 distinct stems, each
 * folded and NUL-terminated, into out[0..2) (each URA_TERM_MAX + 1 bytes)
 * and returns how many (0 for NONE, numbers, act numbers, or a word too
 * short to stem).  Serbian gives two when stemming the exact form and the
 * folded form differ (Snowball's rules see č ć š ž đ), so that a query
 * typed without diacritics meets the document's stem either way. */
int ura_stem_token(ura_stemmer *s, enum ura_stem_lang l, const char *exact,
                   size_t exact_len, const char *term, size_t term_len,
                   char out[2][URA_TERM_MAX + 1]);

/* The Albanian stemmer on a folded word (ASCII letters; anything else is
 * returned unchanged): writes the stem, NUL-terminated, to out (n + 1
 * bytes suffice) and returns its length. */
size_t ura_stem_sq(const char *w, size_t n, char *out);

/* Index one token into a document: the folded term (at position pos when
 * pos > 0, else without position), its exact form under
 * URA_PREFIX_EXACT when different, its stems under URA_PREFIX_STEM + l
 * (at pos too: phrases match stems, and a stem with a position is the
 * passage's own word, not its title's), and, for `field` 'T' (title) or 'H' (heading), the folded term again
 * under that prefix.  field 0 is body text.  Used by the indexer so that
 * what is indexed and what the query asks for are made in one place. */
struct ura_terms;
void ura_stem_index_token(ura_stemmer *s, struct ura_terms *d, enum ura_stem_lang l,
                          const ura_token *t, uint32_t pos, char field);

#endif
