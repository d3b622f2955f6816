/* thesaurus.h — words of law and public administration in Albanian,
 * Serbian and English (data/thesaurus.tsv), for queries that mix
 * languages: in `Štrpce komuna gjuhët` the Albanian "gjuhët" also finds
 * Serbian "jezik"/"језика" and "komuna" finds "opština".  Private to
 * libura.
 *
 * A concept is one line of the file: words per language, in dictionary
 * form.  Words are matched by stem, each language by its own stemmer
 * (core/stem.c), after the analyser folds them as it folds any term, so
 * the file is written with diacritics and matched without them.
 *
 * The table is static (core/thesaurus-data.h, generated); the functions
 * allocate nothing the caller keeps. */
#ifndef URA_THESAURUS_H
#define URA_THESAURUS_H

#include <stddef.h>

#include "analyse.h"
#include "stem.h"

/* How many concepts there are. */
size_t ura_thesaurus_count(void);

/* The words of concept i in language l as written (UTF-8, separated by
 * ";"; "" when the language has none): static, never freed; NULL for a
 * bad i or l. */
const char *ura_thesaurus_words(size_t i, enum ura_stem_lang l);

/* Receives one stem (folded, NUL-terminated, borrowed for the call) of a
 * concept's word in language l. */
typedef void (*ura_thesaurus_fn)(void *ctx, enum ura_stem_lang l, const char *stem);

/* For a query word of language `from` whose stems in that language are
 * stems[0..n), finds every concept where a word of `from` has one of
 * those stems, and calls fn with the stems of that concept's words in
 * each language l whose bit (1u << l) is set in `to` (the same stem may
 * come more than once).  a and st are borrowed for the call.  Returns how
 * many concepts matched, or -1 with err filled when the analyser fails. */
int ura_thesaurus_expand(ura_analyser *a, ura_stemmer *st, enum ura_stem_lang from,
                         const char *const *stems, size_t n, unsigned to,
                         ura_thesaurus_fn fn, void *ctx, ura_error *err);

/* The stems of one word w (UTF-8, wn bytes) of language l, as the
 * expansion computes them: writes up to 2 into out and returns how many
 * (0 when w is not one word token or has no stem), or -1 with err filled
 * when the analyser fails.  For tests. */
int ura_thesaurus_stem(ura_analyser *a, ura_stemmer *st, enum ura_stem_lang l,
                       const char *w, size_t wn, char out[2][URA_TERM_MAX + 1],
                       ura_error *err);

#endif
