/* analyse.h — the one analyser: text to search terms, for documents,
 * queries and highlighting alike.  Private to libura.
 *
 * Pipeline (DESIGN.md, "Analysis"): ICU word breaking over UTF-16 with a
 * map back to byte offsets; NFKC + case folding; Serbian Cyrillic to Latin
 * by a fixed table; look-alike letters of the other script inside a word
 * repaired by the word's majority script; diacritics folded (č ć→c, š→s, ž→z, đ→dj, ë→e, ç→c, and any
 * other combining mark removed).  Law numbers such as "03/L-047",
 * "03/Л-047", "02/L-37", "UA 01/2020"-style "01/2020" stay one token.
 * Two shortcuts give the same tokens for less: a run of letters and
 * digits between white space (perhaps with one mark like , . ; : after
 * it) is one word without asking the word breaker, and a word of
 * letters up to U+017F or of Serbian Cyrillic is folded letter by letter
 * from each letter's fold, found through ICU the first time.
 *
 * What comes out, for code that builds on it:
 *   - Every term is lowercase; pure ASCII tokens are only lowercased.
 *   - A word's internal apostrophe stays, unified to ' ("t'i", "don't");
 *     other punctuation ICU keeps inside a word stays too ("u.s.a",
 *     "a_b").  Hyphens separate: "e-mail" is "e", "mail".
 *   - Numbers keep their inner separators: "12.5", "1,000"; a trailing
 *     full stop is not part of them ("2019." is "2019"); "12:30" is two.
 *   - Act numbers: 1-3 digits, "/", then L or Л (either case), a hyphen
 *     (- or a Unicode hyphen/dash), 1-4 digits; or 1-3 digits, "/", 4
 *     digits.  No spaces, and no letter or digit right after.  The term
 *     (and exact form) is lowercase Latin with ASCII "-": "03/l-047",
 *     "02/l-37", "01/2020".  Its pieces are not emitted on their own.
 *   - Mixed-script words are repaired by majority script: in a mostly
 *     Latin word Cyrillic look-alikes read as Latin ("Рrishtina" with a
 *     Cyrillic Р is "prishtina"), in a mostly Cyrillic word Latin
 *     look-alikes read as Cyrillic ("Cрбија" with a Latin C is "srbija").
 *   - Cyrillic letters outside Serbian's alphabet stay Cyrillic, except
 *     that the term folds those with a mark to their base (ѓ→g, й→i).
 *   - Text runs of 64 KB without an ASCII space are broken in pieces;
 *     tokens at the cuts are re-broken, so this shows only for a word
 *     of that length, which is dropped as too long anyway. */
#ifndef URA_ANALYSE_H
#define URA_ANALYSE_H

#include <stddef.h>
#include <stdint.h>

#include "ura/ura.h"

/* Bumped whenever the terms or the passages' fields produced for some
 * input change: an index built with another version must be rebuilt.
 * 4: passages before an act's first article know their part (title page,
 * preamble).  5: stems of heading and text words have positions.  6: the
 * Albanian stemmer cuts a participle left after nominal endings.  7: an
 * article's passage holds the position of its number (a value slot).
 * 8: an article's passage holds its act and article, and what its twins
 * show, in value slots. */
#define URA_ANALYSER_VERSION "8"

/* Terms longer than this many bytes are dropped (Xapian's limit is 245
 * bytes for a whole term, prefix included). */
#define URA_TERM_MAX 200

typedef struct ura_analyser ura_analyser;

enum ura_token_kind {
    URA_TOKEN_WORD = 1,   /* letters (and digits mixed in)            */
    URA_TOKEN_NUMBER = 2, /* digits and separators, no letter: "2019",
                             "12.5", "1,000" ("a1" is a WORD)          */
    URA_TOKEN_LAWNUM = 3  /* an act number: term like "03/l-047"       */
};

/* One token.  All pointers are borrowed for the duration of the callback. */
typedef struct ura_token {
    const char *term;  /* folded search term: lowercase ASCII-ish Latin,
                          no diacritics ("strpce", "djakovica", "03/l-047") */
    size_t term_len;
    const char *exact; /* case-folded NFKC form in Latin script with its
                          diacritics kept ("štrpce", "đakovica") */
    size_t exact_len;
    size_t start;      /* byte offset of the token in the input           */
    size_t end;        /* byte offset just past it                         */
    uint32_t pos;      /* word position: first_pos, first_pos+1, ...       */
    enum ura_token_kind kind;
} ura_token;

/* Returns URA_OK to continue; anything else stops ura_analyse(), which
 * returns that value. */
typedef int (*ura_token_fn)(void *ctx, const ura_token *tok);

/* Create an analyser.  The caller owns *out and frees it with
 * ura_analyser_free().  Not thread-safe: one analyser per thread.  Not
 * re-entrant either: a token callback must not call ura_analyse() or
 * ura_fold_word() on the analyser that called it (the token's strings
 * live in its buffers).  Opening costs microseconds (no transliterator).
 * Returns URA_OK, or an error code with err filled (ICU failed to load). */
int ura_analyser_new(ura_analyser **out, ura_error *err);
void ura_analyser_free(ura_analyser *a);

/* Tokenise text[0..len) (UTF-8; each invalid byte is a separator, and
 * offsets stay those of the original bytes; NUL is a separator too) and
 * call fn for each token in order.  Positions start at first_pos.
 * *next_pos (may be NULL) receives the position after the last token.
 * A token whose term or exact form is longer than URA_TERM_MAX bytes is
 * dropped, not an error; positions still advance for it (one position
 * however long).  A token of more than 4 * URA_TERM_MAX UTF-16 units is
 * dropped without being normalised, so a megabyte "word" costs little.
 * Memory use does not grow with len.  Returns URA_OK, fn's non-OK value,
 * or an error code with err filled (ICU failed; not expected). */
int ura_analyse(ura_analyser *a, const char *text, size_t len,
                uint32_t first_pos, uint32_t *next_pos,
                ura_token_fn fn, void *ctx, ura_error *err);

/* Fold one word the way ura_analyse folds a token's term, without word
 * breaking and without act number detection (used for wildcard prefixes:
 * "opšt" → "opst", "Опш" → "ops", "03/Л-0" → "03/l-0").  Returns a
 * malloc'd, NUL-terminated string owned by the caller, its length in
 * *out_len (may be NULL); "" when z folds to nothing; NULL when z is not
 * valid UTF-8, folds to more than URA_TERM_MAX bytes (no term could start
 * with it), or ICU fails. */
char *ura_fold_word(ura_analyser *a, const char *z, size_t n, size_t *out_len);

/* Whether the analyser takes the two shortcuts above (on, the default)
 * or breaks and folds every word through ICU (off).  Both give the same
 * tokens; the switch is for the tests that compare them. */
void ura_analyser_set_fast(ura_analyser *a, int on);

/* Serbian Cyrillic to Latin (Gaj) for one code point: writes up to 2 UTF-16
 * units to out and returns how many, or 0 if c is not Serbian Cyrillic.
 * Exposed for the test that checks the table against ICU. */
int ura_cyr_to_lat(uint32_t c, uint16_t out[2]);

#endif
