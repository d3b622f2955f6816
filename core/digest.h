/* digest.h — a file's passages as the index stores them: the one place
 * that turns an extracted document into each passage's terms (folded
 * words with positions, exact forms, stems, title and heading terms,
 * place names, language, act, article, citations, type, year) and the
 * fields of its data.  It runs the segmenter (passage.c), references
 * (refs.c), the analyser and stemmers (analyse.c, stem.c) and the
 * gazetteer.
 *
 * The digest is built where the document was extracted: in the worker
 * (worker.c), or in the indexer itself with --in-process, by the same
 * function, and travels as bytes.  The indexer decodes them strictly: a
 * worker may have been taken over by a hostile file, so every length and
 * count is bounded, strings are valid UTF-8 without NUL, terms are sorted
 * and unique, at most URA_XDB_TERM_MAX bytes, positions increase, and no
 * term may carry a prefix the indexer adds itself (the passage's unique
 * `Q` term, the file term `XP`, the format `XF`): what a worker sends can
 * only ever describe its own file's passages.  Private to libura.
 *
 * Encoding (integers are unsigned LEB128 varints; str = length, bytes;
 * opt = 0 for none, else length + 1, bytes):
 *   file:    str title, str type, year, npassages, passages
 *   passage: str lang, opt heading, page, page_end, opt pages,
 *            str article, str law, str part ("", "title" or "preamble"),
 *            opt act_title, opt cites, str text,
 *            nterms, terms (in byte order)
 *   term:    str term, wdf, npos, npos position deltas (the first from 0) */
#ifndef URA_DIGEST_H
#define URA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "analyse.h"
#include "doc.h"
#include "langid.h"
#include "stem.h"
#include "util.h"
#include "xdb.h"

/* Bounds the decoder enforces (beyond the total a worker may send). */
#define URA_DIGEST_MAX_PASSAGES (1u << 20)
#define URA_DIGEST_MAX_TERMS (1u << 22)   /* distinct terms in one passage */
#define URA_DIGEST_MAX_STR URA_DOC_MAX_TEXT /* bytes of text, heading, ... */
#define URA_DIGEST_MAX_TITLE 4096
#define URA_DIGEST_MAX_TAG 31             /* lang, article, law, type      */

/* Analyse d (extracted from d->path) into its digest, appended to out.
 * an, st are the caller's (not thread-safe: one per process), lid may be
 * NULL.  Returns URA_OK, or an error with err filled (the analyser
 * failed); out then holds a partial digest to be discarded. */
int ura_digest_build(ura_analyser *an, ura_langid *lid, ura_stemmer *st, const ura_doc *d,
                     ura_buf *out, ura_error *err);

/* A string inside a digest: not NUL-terminated; p NULL when absent. */
typedef struct ura_dstr {
    const char *p;
    size_t n;
} ura_dstr;

/* What all passages of the file share. */
typedef struct ura_digest_file {
    ura_dstr title;
    char type[URA_DIGEST_MAX_TAG + 1];
    char year[8];            /* "" when unknown */
    size_t npassages;
} ura_digest_file;

typedef struct ura_digest_passage {
    char lang[URA_DIGEST_MAX_TAG + 1];
    char article[URA_DIGEST_MAX_TAG + 1];
    char law[URA_DIGEST_MAX_TAG + 1];
    char part[URA_DIGEST_MAX_TAG + 1];
    ura_dstr heading, pages, act_title, cites, text;
    long long page, page_end;
    uint32_t article_pos; /* the first position of the article number's term
                             (lowercased article): 0 when none */
    size_t nterms;
    const unsigned char *terms; /* the encoded terms, checked */
    size_t terms_len;
} ura_digest_passage;

/* Reading a digest: p[0..n) borrowed for the reader's life. */
typedef struct ura_digest_reader {
    const unsigned char *p, *end;
    size_t left;             /* passages still to read */
} ura_digest_reader;

/* Decode the file part.  0 on success, -1 when malformed (why[] says
 * how, without a file name). */
int ura_digest_open(ura_digest_reader *r, const void *p, size_t n, ura_digest_file *f,
                    char *why, size_t wn);
/* The next passage: 1 with *ps filled (its terms checked, and added to x
 * in the same pass unless x is NULL), 0 at the end (nothing may follow
 * the last passage), -1 when malformed (x then holds part of the terms:
 * discard it). */
int ura_digest_next(ura_digest_reader *r, ura_digest_passage *ps, ura_xdoc *x, char *why,
                    size_t wn);
/* Add a passage's terms (checked by ura_digest_next) to x. */
void ura_digest_add_terms(const ura_digest_passage *ps, ura_xdoc *x);
/* The whole digest checked: 0 or -1 (why[] filled). */
int ura_digest_check(const void *p, size_t n, char *why, size_t wn);

/* Whether a worker may send this term: not one of the prefixes the
 * indexer adds itself, nor an unknown upper-case prefix. */
int ura_digest_term_allowed(const char *t, size_t n);

#endif
