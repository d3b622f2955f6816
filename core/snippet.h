/* snippet.h — a window of a passage's text around the words a query
 * matched, with those words marked.  Uses the same analyser as indexing,
 * so what is highlighted is exactly what matched.  Private to libura. */
#ifndef URA_SNIPPET_H
#define URA_SNIPPET_H

#include <stddef.h>

#include "analyse.h"
#include "query.h"
#include "stem.h"

/* Bytes of text in a snippet, roughly. */
#define URA_SNIPPET_BYTES 240

/* What ura_snippet() learnt about words for one query (whether a word's
 * stems are the query's), kept from one passage to the next: owned by the
 * caller, freed with ura_snip_cache_free() (NULL is ok); never NULL.  A
 * cache serves one query tree and one stemmer only. */
typedef struct ura_snip_cache ura_snip_cache;
ura_snip_cache *ura_snip_cache_new(void);
void ura_snip_cache_free(ura_snip_cache *sc);

/* Build a snippet of text[0..n), a passage in language `lang` (may be
 * NULL), for query q.  With a stemmer (st, may be NULL) a word whose stem
 * is one of the query's stems in that language is marked too.  cache (may
 * be NULL) is the query's ura_snip_cache.  *snippet is malloc'd (caller
 * frees); *marks is a malloc'd array of *nmarks [start, end) byte ranges in
 * the snippet (caller frees; NULL when there are none).  *first (may be
 * NULL) receives the offset in text of the first word marked, or n when
 * none is. */
void ura_snippet(ura_analyser *a, ura_stemmer *st, const char *lang, const ura_qnode *q,
                 const char *text, size_t n, ura_snip_cache *cache, char **snippet,
                 size_t (**marks)[2], size_t *nmarks, size_t *first);

#endif
