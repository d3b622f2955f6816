/* terms.h — a passage's terms as the analysis finds them: each term's
 * wdf and positions, added token by token, then read back in byte order.
 * It holds what a Xapian::Document's term list would (the same terms,
 * wdf, positions and order, the same terms skipped), without building
 * one: the digest (digest.c) only encodes the list.  Private to libura;
 * not thread-safe (one per builder). */
#ifndef URA_TERMS_H
#define URA_TERMS_H

#include <stddef.h>
#include <stdint.h>

typedef struct ura_terms ura_terms;

/* A new, empty list: owned by the caller, freed with ura_terms_free()
 * (NULL is ok).  Never NULL (aborts when memory is exhausted, like
 * ura_xmalloc). */
ura_terms *ura_terms_new(void);
void ura_terms_free(ura_terms *t);
/* Empties the list, keeping its memory for the next passage. */
void ura_terms_reset(ura_terms *t);

/* Terms are raw bytes (prefix included by the caller); one Xapian could
 * not store (ura_xdb_term_ok()) is skipped, as ura_xdoc_* skip it. */
/* A term at word position pos (pos >= 1; a position already there is
 * kept once), wdf + 1. */
void ura_terms_add_posting(ura_terms *t, const char *term, size_t n, uint32_t pos);
/* A term without position, wdf + wdf_inc (0: a boolean term, wdf 0 if
 * it is new). */
void ura_terms_add(ura_terms *t, const char *term, size_t n, uint32_t wdf_inc);

/* How many terms the list holds. */
size_t ura_terms_count(const ura_terms *t);

/* Calls fn for every term in byte order (shorter first on a common
 * prefix), with its wdf and its positions (increasing; borrowed for the
 * call).  The list may not change during the walk. */
void ura_terms_each(ura_terms *t,
                    void (*fn)(void *ctx, const char *term, size_t n, uint32_t wdf,
                               const uint32_t *pos, size_t npos),
                    void *ctx);

#endif
