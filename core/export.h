/* export.h — citations for reports: the helpers behind ura_citation_text()
 * and ura_results_export() (declared in ura.h), shared with the unit
 * tests.  Private to libura. */
#ifndef URA_EXPORT_H
#define URA_EXPORT_H

#include <stddef.h>

#include "util.h"

/* Append z[0..n) as the text of a BibTeX field (without the delimiting
 * braces): LaTeX's special characters escaped (\% \& \# \$ \_ \{ \},
 * \textbackslash{}, \textasciitilde{}, ...), the ligatures -- '' << >> ,,
 * ?` !` broken with {}, a brace without its partner written as
 * \textbraceleft{} or \textbraceright{} so that BibTeX, biber and pandoc,
 * which all count braces, still read the file.  UTF-8 is kept. */
void ura_bibtex_text(ura_buf *b, const char *z, size_t n);

/* Append the file:// URL of an absolute path (RFC 8089), every byte but
 * [A-Za-z0-9/._-] percent-encoded.  Appends nothing for a relative path. */
void ura_file_url(ura_buf *b, const char *path);

/* Append the stable key of a hit, the same in every format: ASCII
 * [a-z0-9-], "ura-" then the act's number, the article (or page), the
 * language and the first 8 hex digits of the file's id:
 * "ura-03l047-art4-2-sq-1a2b3c4d"; without an article, the page and a
 * hash of the heading: "ura-p7-h3fa9c1-en-1a2b3c4d".  Unique across
 * files, languages and articles; two passages of one article need a
 * suffix (the exporter adds "-2", "-3"). */
void ura_export_key(ura_buf *b, const ura_hit *h);

#endif
