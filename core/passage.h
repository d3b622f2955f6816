/* passage.h — the segmenter: a document's blocks cut into passages, the
 * unit of retrieval.  A passage is an article wherever the document has
 * articles (Neni / Article / Član / Члан N), else a section under a
 * heading, else a page; long ones are split.  Each passage knows the act
 * it belongs to (title and number, per language section, so that the three
 * parts of a trilingual act are three acts' worth of passages), its
 * article, and the pages it spans.  Private to libura. */
#ifndef URA_PASSAGE_H
#define URA_PASSAGE_H

#include <stddef.h>

#include "analyse.h"
#include "doc.h"
#include "langid.h"

/* A passage grows to about this many bytes of text before it is split at
 * a block boundary (or, for one huge block, at a space). */
#define URA_PASSAGE_TARGET 3000

typedef struct ura_passage {
    char *heading;   /* owned: its heading(s), " — "-joined; may be NULL   */
    char *text;      /* owned: block texts joined by '\n'; list items with
                        a number start "N. "                               */
    size_t text_len;
    char lang[16];   /* normalised: sq, sr-latn, sr-cyrl, en, ..., or und  */
    int page;        /* first page, 0 when unknown                         */
    int page_end;    /* last page, 0 when unknown                          */
    char *pages;     /* owned: where the page changes inside text, as
                        "offset:page offset:page ..." (the first entry is
                        0:page); NULL when the format has no pages        */
    char article[16];/* the article's number as written ("4", "3a"), or "" */
    char *act_title; /* owned: the act's title line in this section, e.g.
                        "Ligji Nr. 03/L-047 për ...", or NULL             */
    char law[24];    /* the act's number ("03/L-047", "02/2019"), or ""   */
    char part[12];   /* what precedes an act's first article: "title" (its
                        title page) or "preamble"; "" for everything else */
} ura_passage;

/* Cut d into passages, using the analyser to read headings and, for text
 * whose format gave no language, the language identifier (may be NULL).
 * *out (n entries) is owned by the caller and freed with
 * ura_passages_free().  A document without text gives one passage holding
 * its title, if it has one, else none. */
void ura_passages_build(const ura_doc *d, ura_analyser *a, ura_langid *lid,
                        ura_passage **out, size_t *n);
void ura_passages_free(ura_passage *p, size_t n);

/* The page at byte offset `off` of a passage's text, from its `pages` map
 * (0 when unknown). */
int ura_passage_page_at(const char *pages, int first_page, size_t off);

/* Normalise a language tag for text z: "sq-AL" → "sq", "sr-Latn" →
 * "sr-latn", "sr"/"bs"/"hr"/"cnr" → "sr-latn" or "sr-cyrl" by the script
 * of z, "en-GB" → "en"; NULL → "sr-cyrl" for mostly Cyrillic text, else
 * "und".  Writes at most 16 bytes including the NUL. */
void ura_lang_normalise(const char *tag, const char *z, size_t n, char out[16]);

#endif
