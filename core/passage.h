/* passage.h — cutting a document into passages, the unit of retrieval.
 * For now a passage is a section under a heading, split when long; the
 * legal-structure segmenter (articles, pages) replaces the cutting rules
 * later, not this interface.  Private to libura. */
#ifndef URA_PASSAGE_H
#define URA_PASSAGE_H

#include <stddef.h>

#include "doc.h"

/* A passage grows to about this many bytes of text before it is split at
 * a block boundary (or, for one huge block, at a space). */
#define URA_PASSAGE_TARGET 3000

typedef struct ura_passage {
    char *heading;   /* owned: its heading(s), " — "-joined; may be NULL   */
    char *text;      /* owned: block texts joined by '\n'                  */
    size_t text_len;
    char lang[16];   /* normalised: sq, sr-latn, sr-cyrl, en, ..., or und  */
    int page;        /* first page, 0 when unknown                         */
} ura_passage;

/* Cut d into passages.  *out (n entries) is owned by the caller and freed
 * with ura_passages_free().  A document without text gives one passage
 * holding its title, if it has one, else none. */
void ura_passages_build(const ura_doc *d, ura_passage **out, size_t *n);
void ura_passages_free(ura_passage *p, size_t n);

/* Normalise a language tag for text z: "sq-AL" → "sq", "sr-Latn" →
 * "sr-latn", "sr"/"bs"/"hr"/"cnr" → "sr-latn" or "sr-cyrl" by the script
 * of z, "en-GB" → "en"; NULL → "sr-cyrl" for mostly Cyrillic text, else
 * "und".  Writes at most 16 bytes including the NUL. */
void ura_lang_normalise(const char *tag, const char *z, size_t n, char out[16]);

#endif
