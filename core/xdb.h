/* xdb.h — the C interface to the Xapian index (core/index-xapian.cc, the
 * only C++ file).  Opaque handles; every function catches Xapian's
 * exceptions and returns an error code with the message in `err`: no
 * exception ever crosses into C.  Private to libura.
 *
 * Errors: URA_ERR_USAGE for a call the handle cannot serve (a write on a
 * read-only handle, a bad metadata key), URA_ERR_NOINDEX, URA_ERR_LOCKED,
 * and URA_ERR_RUNTIME for everything else.  Messages name the index
 * folder; a damaged index or one from an incompatible Xapian says to
 * delete the folder and run `ura index` again.  A read-only handle that
 * finds the index replaced under it by a writer (Xapian's
 * DatabaseModifiedError) moves to the latest revision and retries once.
 * Handles are not thread-safe: one per thread. */
#ifndef URA_XDB_H
#define URA_XDB_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "ura/ura.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ura_xdb ura_xdb;
typedef struct ura_xdoc ura_xdoc;

enum ura_xdb_mode {
    URA_XDB_READ = 0,  /* open an existing index read-only                */
    URA_XDB_WRITE = 1  /* open or create, read-write (takes Xapian's lock) */
};

/* Value slots on passage documents. */
#define URA_SLOT_FILE 0 /* path key: collapse key for one hit per file     */
#define URA_SLOT_SEQ 1  /* passage number within its file, 8 hex digits    */
/* Facet slots: URA_SLOT_FACET + i holds the value of facet field i. */
#define URA_SLOT_FACET 2
#define URA_NFACETS 4   /* lang, format, year, type                        */
/* An article's passage: the position of its number in its heading
 * (decimal; "0" when the number is not a term of the passage), the words
 * after it being the article's own title (passage choice).  None on other
 * passages. */
#define URA_SLOT_ARTICLE_POS (URA_SLOT_FACET + URA_NFACETS)
/* A passage of an act's article: what finds and shows its twins, fields
 * separated by 0x1F: the act and the article, ASCII letters in lower case
 * as in its XN and XA terms; its language; its page; its file's path key;
 * the article as written; the path (the rest of the value).  None on
 * other passages. */
#define URA_SLOT_TWIN (URA_SLOT_ARTICLE_POS + 1)
#define URA_TWIN_FIELDS 7

/* Longest term the index holds (Xapian's glass limit), and longest
 * metadata key accepted. */
#define URA_XDB_TERM_MAX 245
#define URA_XDB_KEY_MAX 200

/* Open the index in directory `dir`.  *out is owned by the caller, closed
 * with ura_xdb_close(); it is NULL after an error.  WRITE creates dir, and
 * the folders above it, if missing.  Errors: URA_ERR_NOINDEX when READ and
 * there is no index at dir; URA_ERR_LOCKED when WRITE and another writer
 * (another process, or another handle in this one) holds it;
 * URA_ERR_RUNTIME otherwise.  Messages name the directory. */
int ura_xdb_open(const char *dir, enum ura_xdb_mode mode, ura_xdb **out,
                 ura_error *err);
/* Closes; for a writer, everything since the last ura_xdb_commit() is
 * discarded.  NULL is ok. */
void ura_xdb_close(ura_xdb *db);

/* Make everything written since the last commit (documents, deletions,
 * metadata) durable and visible to readers as one atomic step.  Until
 * then a batch is held in memory (Xapian never flushes part of it), so
 * callers bound its size.  If the commit fails the whole batch is lost
 * and the index stays as it was.  A read-only handle: URA_ERR_USAGE. */
int ura_xdb_commit(ura_xdb *db, ura_error *err);

/* Number of passage documents (a writer counts its uncommitted batch);
 * 0 on error. */
uint32_t ura_xdb_doccount(ura_xdb *db);

/* Metadata (user metadata in Xapian): keys of 1 to URA_XDB_KEY_MAX bytes,
 * else URA_ERR_USAGE.  get: *val is malloc'd, NUL-terminated after its n
 * bytes and owned by the caller, NULL (and *n = 0) if the key is unset.
 * set with n == 0 deletes the key; it needs a writer and belongs to the
 * current batch like any other write. */
int ura_xdb_meta_get(ura_xdb *db, const char *key, char **val, size_t *n,
                     ura_error *err);
int ura_xdb_meta_set(ura_xdb *db, const char *key, const char *val, size_t n,
                     ura_error *err);
/* Calls fn for every key starting with prefix ("" or NULL: all), in key
 * order; key and val (NUL-terminated after its n bytes) are borrowed for
 * the call.  fn returns 0 to go on, non-zero to stop (that value is
 * returned).  Each key is seen once even if the reader is reopened. */
int ura_xdb_meta_each(ura_xdb *db, const char *prefix,
                      int (*fn)(void *ctx, const char *key, const char *val,
                                size_t n),
                      void *ctx, ura_error *err);

/* Whether Xapian can store the term: 1 to URA_XDB_TERM_MAX bytes, each
 * NUL counted twice (glass escapes it in its keys).  The ura_xdoc_* and
 * ura_terms_* functions skip any other term. */
int ura_xdb_term_ok(const char *term, size_t n);

/* A document being built.  Owned by the caller, freed with
 * ura_xdoc_free() (NULL is ok); never NULL (aborts when memory is
 * exhausted, like ura_xmalloc).  Terms are raw bytes (prefix included by
 * the caller).  Empty terms and terms longer than URA_XDB_TERM_MAX bytes
 * are silently skipped: Xapian could not store them.  These functions
 * cannot fail: any other failure is remembered in the document and
 * reported by ura_xdb_replace(). */
ura_xdoc *ura_xdoc_new(void);
void ura_xdoc_free(ura_xdoc *d);
/* A term at word position pos (pos >= 1), wdf +1. */
void ura_xdoc_add_posting(ura_xdoc *d, const char *term, size_t n, uint32_t pos);
/* A term without position, wdf + wdf_inc. */
void ura_xdoc_add_term(ura_xdoc *d, const char *term, size_t n, uint32_t wdf_inc);
/* A boolean (filter) term: no wdf, no position. */
void ura_xdoc_add_boolean(ura_xdoc *d, const char *term, size_t n);
/* Value in `slot` (a URA_SLOT_*); n == 0 removes it. */
void ura_xdoc_set_value(ura_xdoc *d, unsigned slot, const char *v, size_t n);
/* The bytes a search hit returns (ura_xhit.data). */
void ura_xdoc_set_data(ura_xdoc *d, const char *data, size_t n);
/* A term with its final wdf and its positions (increasing, npos <= wdf)
 * at once: what ura_xdoc_each_term() gave for it.  wdf 0 without
 * positions is a boolean term. */
void ura_xdoc_add_full(ura_xdoc *d, const char *term, size_t n, uint32_t wdf,
                       const uint32_t *pos, size_t npos);
/* Calls fn for every term of d in byte order, with its wdf and its
 * positions (increasing; borrowed for the call).  Returns URA_OK, or
 * URA_ERR_RUNTIME with err filled when d could not be built or read. */
int ura_xdoc_each_term(const ura_xdoc *d,
                       void (*fn)(void *ctx, const char *term, size_t n, uint32_t wdf,
                                  const uint32_t *pos, size_t npos),
                       void *ctx, ura_error *err);

/* Add or replace the document whose unique term is uid_term (a URA_PREFIX_UID
 * term the caller also added to d).  d stays the caller's.  Part of the
 * current batch. */
int ura_xdb_replace(ura_xdb *db, const char *uid_term, ura_xdoc *d,
                    ura_error *err);
/* Add d as a new document, without looking for one to replace: for a
 * caller that deleted the old ones already (cheaper than a replace per
 * document).  d stays the caller's.  Part of the current batch. */
int ura_xdb_add(ura_xdb *db, ura_xdoc *d, ura_error *err);
/* Delete every document indexed by `term` (e.g. all passages of a file).
 * Part of the current batch. */
int ura_xdb_delete_term(ura_xdb *db, const char *term, ura_error *err);

/* Search. */

/* Ranking: Xapian's BM25 parameters and the scale of each weight class of
 * a WORD's kids (query.h).  A class scaled by 0 is left out of the query
 * (not matched at all).  Defaults: ura_xrank_defaults(). */
typedef struct ura_xrank {
    double k1, k2, k3, b, min_normlen;
    double w[URA_W_NCLASSES]; /* folded, exact, stem, title, heading     */
} ura_xrank;

/* The defaults: BM25 k1 1.2, k2 0, k3 1, b 0.5, min_normlen 0.5 (Xapian's
 * own), weights folded 1, exact 1, stem 0.5, title 0.5, heading 0.5 (a
 * WORD's kids add up: an exact match gets folded + exact + stem). */
void ura_xrank_defaults(ura_xrank *r);

typedef struct ura_xsearch {
    size_t offset;       /* hits to skip                                   */
    size_t limit;        /* hits to return (0 = none: only count)           */
    int collapse_files;  /* 1: at most one hit (the best passage) per file  */
    int facets;          /* 1: count facet values over all matches          */
    const ura_xrank *rank; /* NULL: ura_xrank_defaults()                    */
    int lazy_data;       /* 1: the hits' data left NULL, for
                            ura_xdb_fetch_data() once the passages shown
                            are chosen                                    */
} ura_xsearch;

/* One facet's values and counts, most frequent first (ties by value).
 * Counts are distinct files when collapsing, else passages. */
typedef struct ura_xfacet {
    size_t n;
    char **values;       /* owned by the result set                        */
    uint64_t *counts;
} ura_xfacet;

typedef struct ura_xhit {
    uint32_t docid;
    double score;     /* BM25 weight                                       */
    int percent;      /* Xapian's percentage                               */
    char *data;       /* the document's data, NUL-terminated after its
                         ndata bytes, owned by the result set              */
    size_t ndata;
    uint32_t collapsed; /* other passages of the same file that matched
                           (counted for the hit's file when the matcher
                           stopped counting early); 0 when not collapsing */
} ura_xhit;

typedef struct ura_xhits {
    uint64_t total;   /* number of matches (files when collapsed)          */
    int total_exact;  /* 1: total is exact (few matches beyond the page,
                         or facets asked for); 0: a lower bound           */
    size_t n;
    ura_xhit *hits;   /* n hits, best first, owned by the result set       */
    ura_xfacet facets[URA_NFACETS]; /* filled when opt->facets              */
} ura_xhits;

/* Run query q, ranked by BM25; opt NULL means offset 0, limit 10, no
 * collapsing.  *out is owned by the caller, freed with ura_xhits_free();
 * NULL after an error.  The tree maps to Xapian as: TERM a term; PHRASE
 * its TERM kids adjacent and in order; PREFIX the 1000 most frequent terms
 * starting with it (a wider prefix is not an error); WORD any of its kids,
 * each scaled by its weight class (opt->rank); AND its positive kids
 * all, less its NOT kids, filtered without weight by its FILTER kids and
 * by kids that are ORs or ANDs of filters only (with no positive kid:
 * every passage); OR any kid; NOT outside an AND: every passage but its
 * kid; FILTER alone or ALL: a match of weight 0.  Terms longer than
 * URA_XDB_TERM_MAX match nothing.  Errors: URA_ERR_USAGE when nested more
 * than 64 deep; URA_ERR_RUNTIME for a malformed tree (empty term or
 * prefix, node without kids, PHRASE kid that is not a TERM) or a Xapian
 * failure. */
int ura_xdb_search(ura_xdb *db, const ura_qnode *q, const ura_xsearch *opt,
                   ura_xhits **out, ura_error *err);
void ura_xhits_free(ura_xhits *h);
/* Fills the data of h's hits that have none (a search with lazy_data).
 * URA_OK, or URA_ERR_RUNTIME with err filled on a Xapian failure. */
int ura_xdb_fetch_data(ura_xdb *db, ura_xhits *h, ura_error *err);
/* A test of a passage's value in a slot for ura_xdb_select(): of the
 * whole value, or of one of its fields (separated by 0x1F).  A passage
 * without a value there, or without that field, has the empty one. */
typedef struct ura_xslot {
    unsigned slot;
    int field;         /* -1: the whole value; else the field's index   */
    const char *value; /* n bytes */
    size_t n;
    int differ; /* 0: the value must be this one; 1: must not */
} ura_xslot;

/* The passages that hold `term` and pass every test[0..ntests), first max
 * in docid order, into *out (owned by the caller: ura_xhits_free()).  A
 * hit's data is not the passage's data but its values in the slots
 * want[0..nwant), each followed by a NUL byte (ndata counts them all).  A
 * walk of the term's posting list and of the slots' value streams, without
 * the matcher and without reading the passages' data: for look-ups in
 * short posting lists, such as an article's twins among the passages of
 * its file or act.  At most URA_XDB_SELECT_SCAN passages of the term are
 * looked at; total_exact is 0 when more were left.  Scores are 0.  URA_OK,
 * or URA_ERR_RUNTIME with err filled on a Xapian failure (*out NULL). */
#define URA_XDB_SELECT_SCAN 65536
int ura_xdb_select(ura_xdb *db, const char *term, const ura_xslot *test, size_t ntests,
                   const unsigned *want, size_t nwant, size_t max, ura_xhits **out,
                   ura_error *err);
/* Languages of the query, for ura_xdb_rank_partial(). */
#define URA_XLANG_SQ 1u
#define URA_XLANG_SR 2u
#define URA_XLANG_EN 4u

/* The languages (URA_XLANG_* bits) of a query word (a WORD node): those
 * where the share of the language's passages holding one of its stems is
 * at least a quarter of its highest share.  *langs is 0 for a word that
 * belongs to every language (a place name, a number: no stem) and for
 * one no passage holds.  Errors as for ura_xdb_search(). */
int ura_xdb_word_langs(ura_xdb *db, const ura_qnode *word, unsigned *langs, ura_error *err);

/* Reorder the hits of h (files that have only some of `words`, a search
 * that collapsed them) by how much of the query each one's passage holds
 * of what its language could: the IDF of the words it has over the IDF of
 * the words it has or that its language could hold, ties keeping their
 * order.  A passage in a language of the query is excused the words of
 * the other languages: a word belongs to the languages where at least a
 * quarter of its highest share of passages holds its stem; place names and
 * numbers to every language.  The query's languages are those of its
 * words but places, and typed[i] (URA_XLANG_* bits) for a place word
 * words[i]: the language of the name as typed (0 for other words).  So a
 * Serbian act on Leposavić comes before English texts on committees for
 * `Leposavić committee for communities`, but an English text naming
 * Štrpce does not count as answering `Shtërpcë prevodilačka služba`.
 * Errors as for ura_xdb_search(). */
int ura_xdb_rank_partial(ura_xdb *db, const ura_qnode *const *words, size_t nwords,
                         const unsigned *typed, ura_xhits *h, ura_error *err);

/* Re-choose the passage of each hit in h (hits that stand for files, from
 * a search that collapsed them): among the passages of the hit's file
 * that match `cand` (the CHOOSE_MAX best by BM25), the one whose own
 * heading and text (not the document title every passage carries) hold
 * the most of `words` (nwords query words, typically the scoring kids of
 * an AND), each counted by its IDF; a tie keeps the better BM25.  Only
 * the hits' docid and data change (score and order stay).  Errors as for
 * ura_xdb_search(). */
int ura_xdb_choose_passages(ura_xdb *db, const ura_qnode *cand,
                            const ura_qnode *const *words, size_t nwords,
                            const ura_xrank *rank, ura_xhits *h, ura_error *err);


/* Number of passages matching a boolean term, e.g. "XLsq" (for stats);
 * 0 on error. */
uint32_t ura_xdb_termfreq(ura_xdb *db, const char *term);

/* Calls fn for every term with the given prefix and its frequency, in
 * order (for stats: languages, formats); term is borrowed for the call.
 * fn returns 0 to go on, non-zero to stop (that value is returned). */
int ura_xdb_terms_each(ura_xdb *db, const char *prefix,
                       int (*fn)(void *ctx, const char *term, uint32_t freq),
                       void *ctx, ura_error *err);

#ifdef __cplusplus
}
#endif

#endif
