/* query.h — the query language: parse a user's query into a tree of
 * analysed terms that the index wrapper turns into a Xapian query.
 * Private to libura.
 *
 * Syntax (docs/ARCHITECTURE.md and `ura search --help` describe it):
 *   word word        all words must match (AND); `a AND b` says the same
 *   "a phrase"       the words in this order, adjacent; also “…”, „…“, «…»
 *                    (any of these quote marks closes a phrase any opened)
 *   a OR b           either; OR binds tighter than the implicit AND,
 *                    so `a OR b c` is `(a OR b) AND c`
 *   NOT word, -word  exclude; applies to one word, phrase, field or group.
 *                    An exclusion cannot be a side of OR (`-a OR b` is an
 *                    error: write `-(a OR b)`).  '-' excludes only when
 *                    glued to what follows: `a - b` is two words.
 *   ( ... )          grouping, at most URA_QUERY_MAX_DEPTH deep
 *   prefix*          any term starting with the folded prefix, which must
 *                    be 2 characters or more; a '*' not at the end of a
 *                    word, or after punctuation ("Nr.*"), is punctuation
 *   lang:sq          filter on passage language (sq, sr, sr-latn, sr-cyrl,
 *                    en, or any BCP 47-looking tag; lowercased)
 *   format:html      filter on the format plugin's name (lowercased)
 *   year:2019        filter on the year of the act or document
 *   type:law         filter on the kind of act (law, instruction,
 *                    regulation, decision, report, constitution, other)
 *   cites:03/L-047   passages that cite that act (03/Л-047, 02/2019, or
 *                    constitution)
 * OR, AND and NOT are keywords only in capitals ("or" is a word) and not
 * right after '-' (`-OR` excludes the word "or").
 * Fields filter the AND they stand in: the whole query, or the group they
 * are in.  Several values of one field there are ORed (`lang:sq lang:en`),
 * different fields ANDed; `-lang:en` excludes.  Field names are ASCII
 * letters, case-insensitive; any other `name:value` is an error (unknown
 * field), while a colon after a non-letter or before a space ("12:30",
 * "Neni 5:") is punctuation.
 * A word that the analyser splits into several tokens ("Štrpce-u",
 * "e-mail", "5(1)") becomes a phrase of those tokens; a word with no token
 * (punctuation), "" and () match nothing and are dropped.  Law numbers
 * ("03/L-047", "03/Л-047") are one term, as the analyser makes them.
 *
 * The tree handed out always has this shape, which the index wrapper may
 * rely on:
 *   - TERM, PREFIX and FILTER nodes have a term and no kids; ALL has
 *     neither; every other node has kids and term == NULL.
 *   - PHRASE has two or more TERM kids; AND and OR have two or more kids.
 *   - NOT has one kid and is only ever a kid of AND.
 *   - A "filter OR" is an OR whose kids are all FILTER nodes; no other OR
 *     holds a FILTER.  FILTER and filter ORs are kids of AND (they filter
 *     it) or the kid of a NOT (excluded).
 *   - Every AND has at least one positive kid (one that is not NOT,
 *     FILTER or a filter OR): ALL is put first when nothing else selects,
 *     so `-foo` is (AND (ALL) (NOT foo)) and `lang:sq` is
 *     (AND (ALL) (FILTER XLsq)).  A filter ORed with words becomes
 *     (AND (ALL) filter) inside the OR.
 *   - Groups inside an AND are merged into it; ORs inside an OR too.
 */
#ifndef URA_QUERY_H
#define URA_QUERY_H

#include <stddef.h>

#include "analyse.h"
#include "ura/ura.h"

/* Longest query accepted, in bytes, and deepest nesting of parentheses. */
#define URA_QUERY_MAX 4096
#define URA_QUERY_MAX_DEPTH 32

/* Prefixes of boolean filter terms in the index. */
#define URA_PREFIX_LANG "XL"   /* XLsq, XLsr, XLsr-latn, XLen            */
#define URA_PREFIX_FORMAT "XF" /* XFhtml                                  */
#define URA_PREFIX_YEAR "XY"   /* XY2019                                  */
#define URA_PREFIX_TYPE "XT"   /* XTlaw                                   */
#define URA_PREFIX_LAW "XN"    /* XN03/l-047: the act a passage belongs to */
#define URA_PREFIX_ARTICLE "XA" /* XA3a: the article a passage is          */
#define URA_PREFIX_CITES "XC"  /* XC03/l-047: an act the passage cites     */
#define URA_PREFIX_FILE "XP"   /* XP<path key>: every passage of a file   */
#define URA_PREFIX_UID "Q"     /* Q<path key>:<n>: one passage            */
#define URA_PREFIX_PLACE "XG"  /* XGstrpce: a passage names this place (any
                                  language, any inflected form; gazetteer id) */

enum ura_qop {
    URA_Q_TERM = 1,   /* term: a folded term                               */
    URA_Q_PHRASE,     /* kids: URA_Q_TERM nodes in order                    */
    URA_Q_PREFIX,     /* term: folded prefix; matches terms starting so     */
    URA_Q_AND,        /* kids: all must match; URA_Q_NOT kids are excluded,
                         URA_Q_FILTER kids (or OR nodes of them) filter     */
    URA_Q_OR,         /* kids: any (a "filter OR" when all are FILTERs)     */
    URA_Q_NOT,        /* one kid: excluded (only as a kid of URA_Q_AND)     */
    URA_Q_FILTER,     /* term: a boolean term, e.g. "XLsq"; no weight       */
    URA_Q_ALL,        /* matches every passage (an AND with only NOTs or
                         filters uses it as its positive part)             */
    URA_Q_WORD        /* one query word in all its forms (only from
                         ura_query_expand()): kids are TERM nodes holding
                         index terms, prefix included, each with its
                         weight class, and, for a place name, PHRASE
                         nodes of its other names; for a phrase, the
                         PHRASE and one PHRASE of stems per language
                         (weight class STEM); any kid matches            */
};

/* How much a kid of a WORD weighs (scales set at search time, xdb.h):
 * the folded term, the exact form (E), a stem (Z<lang>), the folded
 * term in the document title (T) or the passage heading (H). */
enum ura_qweight {
    URA_W_FOLDED = 0,
    URA_W_EXACT,
    URA_W_STEM,
    URA_W_TITLE,
    URA_W_HEADING,
    URA_W_NCLASSES
};

typedef struct ura_qnode ura_qnode;
struct ura_qnode {
    enum ura_qop op;
    char *term;        /* owned by the node; NUL-terminated; NULL for
                          nodes with kids and for ALL                    */
    size_t term_len;
    ura_qnode **kids;  /* owned by the node                               */
    size_t nkids;
    /* TERM nodes made by the parser from a word: the exact form (Latin,
     * diacritics kept) when it differs from term, else NULL; owned. */
    char *exact;
    size_t exact_len;
    int is_word;       /* TERM of a word token (not a number or act number):
                          ura_query_expand() may stem it               */
    enum ura_qweight weight; /* kids of WORD (TERM, PHRASE): their weight
                                class                                   */
};

/* Parse `q` (UTF-8, q_len bytes; control characters, NUL included,
 * count as spaces).  `a` is borrowed for the call.  On success *out is a
 * tree the caller owns and frees with ura_qnode_free(), and URA_OK is
 * returned.  On a syntax error, returns URA_ERR_USAGE with a one-line
 * message in err that says what and where ("unbalanced quote at column
 * 7"); *out is NULL.  Columns count characters (code points) from 1,
 * except for invalid UTF-8, which is reported by byte ("at byte 5").
 * Errors: empty query, no searchable word (only punctuation), longer than
 * URA_QUERY_MAX bytes, invalid UTF-8, unbalanced quote or parenthesis,
 * nesting deeper than URA_QUERY_MAX_DEPTH, OR/AND/NOT with nothing on a
 * side, an exclusion as a side of OR, a double exclusion, a prefix
 * shorter than 2 characters, an unknown field, a field without a value or
 * with a bad one.  If the analyser fails, its code and message are passed
 * on.  Parsing recurses only per parenthesis, so hostile input cannot
 * exhaust the stack. */
int ura_query_parse(ura_analyser *a, const char *q, size_t q_len,
                    ura_qnode **out, ura_error *err);

/* Places for ura_query_expand(): does the run of folded query words
 * terms[0..n) start with a place name?  Returns how many words it took
 * (0: none) and sets *names to the place's names in every language
 * (folded, words separated by single spaces), *nnames to their count,
 * and *id to the place's id (the indexer's URA_PREFIX_PLACE term); all
 * borrowed (static).  core/gazetteer.c provides one. */
typedef size_t (*ura_place_fn)(const char *const *terms, const size_t *lens, size_t n,
                               const char *const **names, size_t *nnames, const char **id);

struct ura_stemmer;

/* Expands a parsed tree in place for searching: every TERM of a word
 * outside a phrase becomes a WORD of its folded term, its exact form,
 * its stems in each language (each under its language's prefix, so it
 * matches only passages in that language) and its title and heading
 * terms.  Where `places` (may be NULL) finds a place name in a run of
 * words of one AND (or in a phrase, or one word of an OR), those words
 * become one WORD holding the typed words' forms and every name of the
 * place: one-word names as folded term and stems, longer ones as a
 * phrase.  A phrase of two or more words becomes a WORD of the phrase
 * and, per language, the phrase of its words' stems (so it matches
 * inflected forms; a word without a stem in a language, such as a number,
 * leaves that language out).  Excluded words (NOT, -) expand the same
 * way, so an exclusion drops every passage the word would have found.
 * Prefixes, numbers and act numbers stay as they are. */
void ura_query_expand(ura_qnode *tree, struct ura_stemmer *st, ura_place_fn places);

/* Adds TERM prefix + z[0..n) of weight class `weight` to WORD w, unless
 * w holds it already (the translations of a mixed query's words: stems
 * under another language's prefix).  Nothing happens when w is not a
 * WORD or n is 0. */
void ura_query_word_add(ura_qnode *w, const char *prefix, const char *z, size_t n,
                        enum ura_qweight weight);

/* Frees n and everything under it; NULL is fine.  Does not recurse, so
 * trees built by hand may be of any depth. */
void ura_qnode_free(ura_qnode *n);

/* Returns a readable form of the tree in a malloc'd string the caller
 * frees: (AND strpce (OR a b) (NOT c) (FILTER XLsq) (PHRASE x y) p*).
 * A TERM is its term, a PREFIX its term and '*', ALL is (ALL); a NULL
 * tree is "?".  Used by tests and `ura search --explain`. */
char *ura_qnode_describe(const ura_qnode *n);

/* Calls fn for each positive term and prefix in the tree (not under NOT,
 * not filters), in query order, for highlighting.  is_prefix is 0 for a
 * folded term, 1 for a prefix, 2 for a stem of a WORD (term is then the
 * index term, "Zsq" + stem); exact forms and title and heading terms are
 * not passed.  term is borrowed for the call. */
void ura_qnode_terms(const ura_qnode *n,
                     void (*fn)(void *ctx, const char *term, size_t len, int is_prefix),
                     void *ctx);

#endif
