/* search.c — `ura search`: parse, match, collapse per file, snippet,
 * citation, and the contract JSON. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "filerec.h"
#include "gazetteer.h"
#include "passage.h"
#include "query.h"
#include "snippet.h"
#include "stem.h"
#include "thesaurus.h"
#include "xdb.h"

/* Fill h from a passage's stored fields (all strings owned by h). */
static void fill_hit(ura_hit *h, const char *data, size_t ndata)
{
    h->id = ura_fields_dup(data, ndata, "id");
    h->path = ura_fields_dup(data, ndata, "path");
    if (!h->path)
        h->path = ura_xstrdup("?");
    h->title = ura_fields_dup(data, ndata, "title");
    h->lang = ura_fields_dup(data, ndata, "lang");
    h->format = ura_fields_dup(data, ndata, "format");
    if (!h->format)
        h->format = ura_xstrdup("");
    h->type = ura_fields_dup(data, ndata, "type");
    h->year = (int)ura_fields_int(data, ndata, "year", 0);
    h->heading = ura_fields_dup(data, ndata, "heading");
    h->page = (int)ura_fields_int(data, ndata, "page", 0);
    h->page_end = (int)ura_fields_int(data, ndata, "page_end", 0);
    h->law = ura_fields_dup(data, ndata, "law");
    h->article = ura_fields_dup(data, ndata, "article");
    h->act_title = ura_fields_dup(data, ndata, "act_title");
    h->part = ura_fields_dup(data, ndata, "part");
}

/* The numbered paragraph that holds text[off]: the number at the start of
 * its line ("2." or "2)"), looking back line by line within the passage.
 * Sub-points "2.1." count as paragraph 2, except where laws number
 * paragraphs after their article ("4.2." in Article 4 is paragraph 2).
 * NULL when there is no numbered line before it.  Malloc'd. */
static char *paragraph_at(const char *text, size_t n, size_t off, const char *article)
{
    if (off > n)
        off = n;
    size_t line = off;
    for (;;) {
        while (line > 0 && text[line - 1] != '\n')
            line--;
        size_t k = line;
        while (k < n && k - line < 4 && text[k] >= '0' && text[k] <= '9')
            k++;
        if (k > line && k < n && (text[k] == '.' || text[k] == ')')) {
            size_t k2 = k + 1;
            while (k2 < n && k2 - k < 5 && text[k2] >= '0' && text[k2] <= '9')
                k2++;
            if (text[k] == '.' && k2 > k + 1 && article && strlen(article) == k - line &&
                memcmp(article, text + line, k - line) == 0)
                return ura_xstrndup(text + k + 1, k2 - k - 1);
            return ura_xstrndup(text + line, k - line);
        }
        if (line == 0)
            return NULL;
        line--; /* the previous line */
    }
}

/* For a query that filters on cites:ACT, where the passage first cites
 * that act (from its stored "cites" list); n when it does not say. */
typedef struct cite_find {
    const char *list;
    size_t nlist, n, best;
} cite_find;

static void on_filter_term(void *ctx, const char *term, size_t len)
{
    cite_find *f = ctx;
    size_t plen = strlen(URA_PREFIX_CITES);
    if (len <= plen || memcmp(term, URA_PREFIX_CITES, plen) != 0)
        return;
    const char *act = term + plen;
    size_t alen = len - plen;
    for (size_t i = 0; i + alen < f->nlist; i++) {
        if ((i == 0 || f->list[i - 1] == ' ') && f->list[i + alen] == '@' &&
            strncasecmp(f->list + i, act, alen) == 0) {
            size_t off = (size_t)strtoull(f->list + i + alen + 1, NULL, 10);
            if (off < f->best)
                f->best = off;
        }
    }
}

static void filter_terms(const ura_qnode *q, void (*fn)(void *, const char *, size_t),
                         void *ctx, int depth)
{
    if (!q || depth > 64)
        return;
    if (q->op == URA_Q_FILTER && q->term)
        fn(ctx, q->term, q->term_len);
    if (q->op == URA_Q_NOT)
        return;
    for (size_t i = 0; i < q->nkids; i++)
        filter_terms(q->kids[i], fn, ctx, depth + 1);
}

/* Where the matching text is: its page (from the passage's page map) and
 * numbered paragraph.  `first` is the offset of the first matched word in
 * the passage's text (n when none: then the passage's first page). */
static void locate_hit(ura_hit *h, const char *data, size_t ndata, const char *text,
                       size_t n, size_t first)
{
    if (first >= n)
        return;
    size_t pn = 0;
    const char *pages = ura_fields_get(data, ndata, "pages", &pn);
    if (pages && h->page) {
        char *map = ura_xstrndup(pages, pn);
        h->page = ura_passage_page_at(map, h->page, first);
        free(map);
    }
    if (h->article)
        h->paragraph = paragraph_at(text, n, first, h->article);
}

/* An Assembly law's number, NN/L-NNN (L may be Cyrillic): unique across
 * Kosovo's acts, unlike a ministry's or a municipality's "02/2021". */
static int assembly_number(const char *n)
{
    if (!(n[0] >= '0' && n[0] <= '9' && n[1] >= '0' && n[1] <= '9' && n[2] == '/'))
        return 0;
    const char *p = n + 3;
    if (*p == 'L' || *p == 'l')
        p++;
    else if (!strncmp(p, "\xD0\x9B", 2) || !strncmp(p, "\xD0\xBB", 2)) /* Л л */
        p += 2;
    else
        return 0;
    return *p == '-';
}

/* The same article of the same act in other languages: of any file for
 * an Assembly law, else of the same file (a multilingual document's
 * parts), since other acts' numbers repeat from issuer to issuer.  Found
 * among the passages of that act or file by their twin slot (xdb.h),
 * which also gives what a twin shows: no passage's data is read. */
static void find_twins(ura_xdb *db, ura_hit *h)
{
    if (!h->law || !h->article || !h->lang || !h->id)
        return;
    ura_buf list = {0}, law = {0}, art = {0};
    ura_buf_printf(&law, "%s", h->law); /* as the indexer's XN and XA terms */
    ura_buf_printf(&art, "%s", h->article);
    for (ura_buf *b = &law; b; b = b == &law ? &art : NULL)
        for (size_t i = 0; i < b->n; i++)
            if (b->p[i] >= 'A' && b->p[i] <= 'Z')
                b->p[i] = (char)(b->p[i] + 32);
    if (assembly_number(h->law))
        ura_buf_printf(&list, URA_PREFIX_LAW "%s", law.p);
    else
        ura_buf_printf(&list, URA_PREFIX_FILE "%s", h->id);
    const ura_xslot test[] = {
        {URA_SLOT_TWIN, 0, law.p, law.n, 0},
        {URA_SLOT_TWIN, 1, art.p, art.n, 0},
        {URA_SLOT_TWIN, 2, h->lang, strlen(h->lang), 1},
    };
    const unsigned want[] = {URA_SLOT_TWIN};
    ura_xhits *xh = NULL;
    if (ura_xdb_select(db, list.p, test, 3, want, 1, 8, &xh, NULL) == URA_OK && xh->n) {
        h->twins = ura_xcalloc(xh->n, sizeof *h->twins);
        for (size_t i = 0; i < xh->n; i++) {
            /* act, article, lang, page, key, article as written, path */
            const char *f[URA_TWIN_FIELDS], *v = xh->hits[i].data;
            size_t nf = 0;
            f[nf++] = v; /* the path, last, runs to the end */
            for (const char *q = v; *q && nf < URA_TWIN_FIELDS; q++)
                if (*q == '\x1f')
                    f[nf++] = q + 1;
            if (nf < URA_TWIN_FIELDS)
                continue; /* not a twin slot the indexer wrote */
            ura_twin *t = &h->twins[h->ntwins++];
            t->lang = ura_xstrndup(f[2], (size_t)(f[3] - f[2] - 1));
            t->page = (int)strtoll(f[3], NULL, 10);
            t->id = ura_xstrndup(f[4], (size_t)(f[5] - f[4] - 1));
            t->article = ura_xstrndup(f[5], (size_t)(f[6] - f[5] - 1));
            t->path = ura_xstrdup(f[6]);
        }
    }
    ura_xhits_free(xh);
    ura_buf_free(&list);
    ura_buf_free(&law);
    ura_buf_free(&art);
}

/* The gazetteer as ura_query_expand() asks for places. */
static size_t gazetteer_places(const char *const *terms, const size_t *lens, size_t n,
                               const char *const **names, size_t *nnames, const char **id)
{
    const ura_place *p = NULL;
    size_t k = ura_gazetteer_match(terms, lens, n, &p);
    if (!k || !p)
        return 0;
    *names = p->names;
    *nnames = p->nnames;
    *id = p->id;
    return k;
}

/* Reads up to max numbers from environment variable `name` into v; an
 * unset or empty variable leaves v as it is.  For tuning only. */
static int env_numbers(const char *name, double *v, size_t max, ura_error *err)
{
    const char *z = getenv(name);
    if (!z || !*z)
        return URA_OK;
    double tmp[8];
    size_t n = 0;
    for (const char *p = z;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        char *end;
        double d = strtod(p, &end);
        if (end == p || n == max || !(d >= 0.0) || d > 1e6)
            return ura_error_set(err, URA_ERR_USAGE,
                                 "%s=\"%s\": want %zu numbers >= 0 separated by spaces",
                                 name, z, max);
        tmp[n++] = d;
        p = end;
    }
    if (n != max)
        return ura_error_set(err, URA_ERR_USAGE,
                             "%s=\"%s\": want %zu numbers >= 0 separated by spaces", name, z,
                             max);
    memcpy(v, tmp, n * sizeof *v);
    return URA_OK;
}

/* The ranking: defaults, then URA_BM25="k1 k2 k3 b min_normlen" and
 * URA_WEIGHTS="exact folded stem title heading" from the environment. */
static int rank_from_env(ura_xrank *r, ura_error *err)
{
    ura_xrank_defaults(r);
    double bm[5] = {r->k1, r->k2, r->k3, r->b, r->min_normlen};
    double w[5] = {r->w[URA_W_EXACT], r->w[URA_W_FOLDED], r->w[URA_W_STEM],
                   r->w[URA_W_TITLE], r->w[URA_W_HEADING]};
    int rc = env_numbers("URA_BM25", bm, 5, err);
    if (rc == URA_OK)
        rc = env_numbers("URA_WEIGHTS", w, 5, err);
    if (rc != URA_OK)
        return rc;
    if (bm[3] > 1.0)
        return ura_error_set(err, URA_ERR_USAGE, "URA_BM25: b must be between 0 and 1");
    r->k1 = bm[0], r->k2 = bm[1], r->k3 = bm[2], r->b = bm[3], r->min_normlen = bm[4];
    r->w[URA_W_EXACT] = w[0], r->w[URA_W_FOLDED] = w[1], r->w[URA_W_STEM] = w[2];
    r->w[URA_W_TITLE] = w[3], r->w[URA_W_HEADING] = w[4];
    return URA_OK;
}

static const char *const facet_fields[URA_NFACETS] = {"lang", "format", "year", "type"};

/* Whether kid k of an AND adds weight (a word, phrase, prefix, or an OR
 * of such), as opposed to a filter or an exclusion. */
static int scoring(const ura_qnode *k)
{
    switch (k->op) {
    case URA_Q_TERM:
    case URA_Q_PHRASE:
    case URA_Q_PREFIX:
    case URA_Q_WORD:
        return 1;
    case URA_Q_OR:
        for (size_t i = 0; i < k->nkids; i++)
            if (scoring(k->kids[i]))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* For a WORD made from a place name, the languages (URA_XLANG_* bits) of
 * the name as typed: the names of the place that share the longest start
 * with the typed word (so "strpcu" is Serbian, "shterpces" Albanian,
 * "prizren" both).  0 for any other node. */
static unsigned typed_place_langs(const ura_qnode *w)
{
    if (w->op != URA_Q_WORD || w->nkids == 0)
        return 0;
    const char *id = NULL;
    size_t idn = 0, pl = strlen(URA_PREFIX_PLACE);
    for (size_t i = 0; i < w->nkids; i++) {
        const ura_qnode *k = w->kids[i];
        if (k->op == URA_Q_TERM && k->term_len > pl && memcmp(k->term, URA_PREFIX_PLACE, pl) == 0) {
            id = k->term + pl;
            idn = k->term_len - pl;
        }
    }
    /* the typed word: the first folded term (a phrase's first word) */
    const ura_qnode *t = NULL;
    for (size_t i = 0; i < w->nkids && !t; i++) {
        const ura_qnode *k = w->kids[i];
        if (k->op == URA_Q_PHRASE && k->nkids)
            k = k->kids[0];
        if (k->op == URA_Q_TERM && k->weight == URA_W_FOLDED && k->term_len && k->term &&
            !(k->term[0] >= 'A' && k->term[0] <= 'Z'))
            t = k;
    }
    if (!id || !t)
        return 0;
    const ura_place *p = NULL;
    for (size_t i = 0; (p = ura_gazetteer_place(i)) != NULL; i++)
        if (strlen(p->id) == idn && memcmp(p->id, id, idn) == 0)
            break;
    if (!p)
        return 0;
    size_t best = 0;
    unsigned langs = 0;
    for (size_t i = 0; i < p->nnames; i++) {
        const char *z = p->names[i];
        size_t c = 0;
        while (c < t->term_len && z[c] && z[c] == t->term[c])
            c++;
        const char *l = ura_place_name_lang(p, i);
        unsigned bit = !l ? 0 : !strcmp(l, "sq") ? URA_XLANG_SQ : !strcmp(l, "sr") ? URA_XLANG_SR
                                 : !strcmp(l, "en") ? URA_XLANG_EN : 0;
        if (c > best) {
            best = c;
            langs = bit;
        } else if (c == best && c > 0) {
            langs |= bit;
        }
    }
    return langs;
}

/* URA_XLANG_* bit <-> stemming language. */
static enum ura_stem_lang xlang_stem(unsigned bit)
{
    return bit == URA_XLANG_SQ ? URA_STEM_SQ : bit == URA_XLANG_SR ? URA_STEM_SR
         : bit == URA_XLANG_EN ? URA_STEM_EN : URA_STEM_NONE;
}

static int one_bit(unsigned b)
{
    return b && !(b & (b - 1));
}

static void add_translation(void *ctx, enum ura_stem_lang l, const char *stem)
{
    char prefix[8];
    snprintf(prefix, sizeof prefix, URA_PREFIX_STEM "%s", ura_stem_lang_name(l));
    ura_query_word_add(ctx, prefix, stem, strlen(stem), URA_W_STEM);
}

/* A query that mixes languages: the words of a top-level AND q (or q, a
 * lone word, which cannot mix) show two or more languages, each shown by
 * a word of only that language in the index (ura_xdb_word_langs()) or a
 * place name typed in only that language (`Štrpce` Serbian, `Shtërpcë`
 * Albanian, `Prizren` neither).  Then each word of one language that the
 * thesaurus knows (core/thesaurus.h) also finds, weighted as a stem, its
 * concept's words in every language the query shows: in `Štrpce komuna
 * gjuhët`, "gjuhët" finds "jezik" and "komuna" "opština", so a Serbian
 * article on languages in Štrpce holds the whole query.  A query of one
 * language is left alone: ura does not translate. */
static int translate_mixed(ura_xdb *db, ura_analyser *an, ura_stemmer *st, ura_qnode *q,
                           ura_error *err)
{
    if (q->op != URA_Q_AND || q->nkids < 2)
        return URA_OK;
    unsigned *langs = ura_xcalloc(q->nkids, sizeof *langs);
    unsigned shown = 0;
    int rc = URA_OK;
    for (size_t i = 0; i < q->nkids && rc == URA_OK; i++) {
        ura_qnode *k = q->kids[i];
        if (k->op != URA_Q_WORD)
            continue;
        unsigned typed = typed_place_langs(k);
        if (typed) {
            shown |= one_bit(typed) ? typed : 0;
            continue;
        }
        rc = ura_xdb_word_langs(db, k, &langs[i], err);
        if (rc == URA_OK && one_bit(langs[i]))
            shown |= langs[i];
    }
    if (rc != URA_OK || one_bit(shown) || !shown) {
        free(langs);
        return rc;
    }
    unsigned to = 0;
    for (unsigned b = URA_XLANG_SQ; b <= URA_XLANG_EN; b <<= 1)
        if (shown & b)
            to |= 1u << xlang_stem(b);
    for (size_t i = 0; i < q->nkids; i++) {
        ura_qnode *k = q->kids[i];
        if (!one_bit(langs[i]))
            continue;
        enum ura_stem_lang from = xlang_stem(langs[i]);
        char prefix[8];
        snprintf(prefix, sizeof prefix, URA_PREFIX_STEM "%s", ura_stem_lang_name(from));
        size_t pl = strlen(prefix), ns = 0;
        const char *stems[8];
        for (size_t j = 0; j < k->nkids && ns < 8; j++) {
            const ura_qnode *t = k->kids[j];
            if (t->op == URA_Q_TERM && t->term_len > pl && memcmp(t->term, prefix, pl) == 0)
                stems[ns++] = t->term + pl;
        }
        if (ura_thesaurus_expand(an, st, from, stems, ns, to, add_translation, k, err) < 0) {
            rc = URA_ERR_RUNTIME;
            break;
        }
    }
    free(langs);
    return rc;
}

/* Keeps in h (partial hits) only those a page shows: not files with all
 * the words (percent -1), past the first `skip`, at most `room`; the
 * others' data is freed. */
static void keep_shown(ura_xhits *h, size_t room, size_t skip)
{
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (h->hits[i].percent >= 0 && k < room && !(skip && skip--)) {
            h->hits[k++] = h->hits[i];
            continue;
        }
        free(h->hits[i].data);
    }
    h->n = k;
}

/* Shells for an AND q that borrow its kids: *any the OR of its scoring
 * kids (the words), *rel AND(*any, the others: filters, exclusions).
 * Returns how many scoring kids there are.  The kids arrays are malloc'd
 * and the caller's to free (not the kids themselves). */
static size_t split_scoring(const ura_qnode *q, ura_qnode *any, ura_qnode *rel)
{
    size_t ns = 0;
    for (size_t i = 0; i < q->nkids; i++)
        ns += scoring(q->kids[i]) != 0;
    memset(any, 0, sizeof *any);
    memset(rel, 0, sizeof *rel);
    any->op = URA_Q_OR;
    any->kids = ura_xcalloc(ns ? ns : 1, sizeof *any->kids);
    rel->op = URA_Q_AND;
    rel->kids = ura_xcalloc(q->nkids - ns + 1, sizeof *rel->kids);
    rel->kids[rel->nkids++] = any;
    for (size_t i = 0; i < q->nkids; i++) {
        if (scoring(q->kids[i]))
            any->kids[any->nkids++] = q->kids[i];
        else
            rel->kids[rel->nkids++] = q->kids[i];
    }
    return ns;
}

/* Partial files looked at beyond a page, to reorder by coverage. */
#define PARTIAL_POOL 50

/* The partial hits of query q (an AND of two or more scoring kids) when
 * the files with every word, xh (searched with xs), are fewer than
 * xs->offset + xs->limit: files with any of the words, under the same
 * filters and exclusions, best first.  *out gets them with the files
 * that have every word marked percent -1 (the caller skips those), and
 * *skip how many partial files the page's offset passes over; *out stays
 * NULL when there are none to show.  *out is the caller's (ura_xhits_free). */
static int partial_hits(ura_xdb *db, ura_qnode *q, const ura_xsearch *xs,
                        const ura_xhits *xh, ura_xhits **out, size_t *skip, ura_error *err)
{
    *out = NULL;
    *skip = 0;
    if (q->op != URA_Q_AND || !xh->total_exact || xh->total >= xs->offset + xs->limit)
        return URA_OK;
    ura_qnode any, rel;
    if (split_scoring(q, &any, &rel) < 2) {
        free(any.kids);
        free(rel.kids);
        return URA_OK;
    }
    /* Every file with all the words (there are fewer than a page's end),
     * so that they are not listed twice. */
    size_t nall = (size_t)xh->total;
    ura_xhits *all = NULL;
    ura_xsearch xa = *xs;
    xa.offset = 0;
    xa.limit = nall ? nall : 1;
    xa.facets = 0;
    xa.lazy_data = 0;
    int rc = ura_xdb_search(db, q, &xa, &all, err);
    ura_xhits *part = NULL;
    if (rc == URA_OK) {
        ura_xsearch xr = xa;
        size_t before = xs->offset > nall ? xs->offset - nall : 0;
        /* more than the page: they are reordered by coverage below */
        xr.limit = nall + before + xs->limit + PARTIAL_POOL;
        rc = ura_xdb_search(db, &rel, &xr, &part, err);
        if (rc == URA_OK) {
            unsigned *typed = ura_xcalloc(any.nkids, sizeof *typed);
            for (size_t i = 0; i < any.nkids; i++)
                typed[i] = typed_place_langs(any.kids[i]);
            rc = ura_xdb_rank_partial(db, (const ura_qnode *const *)any.kids, any.nkids, typed,
                                      part, err);
            free(typed);
        }
        *skip = before;
    }
    if (rc == URA_OK) {
        size_t dup = 0;
        for (size_t i = 0; i < part->n; i++) {
            size_t kn = 0;
            const char *k = ura_fields_get(part->hits[i].data, part->hits[i].ndata, "id", &kn);
            for (size_t j = 0; k && j < all->n; j++) {
                size_t an = 0;
                const char *a = ura_fields_get(all->hits[j].data, all->hits[j].ndata, "id", &an);
                if (a && an == kn && memcmp(a, k, kn) == 0) {
                    part->hits[i].percent = -1;
                    dup++;
                    break;
                }
            }
        }
        if (dup == part->n) {
            ura_xhits_free(part);
            part = NULL;
        }
    }
    ura_xhits_free(all);
    free(any.kids);
    free(rel.kids);
    *out = part;
    return rc;
}

/* Re-choose the passage shown for each file hit in h: the one whose own
 * heading and text hold the most of the query's words, weighted by IDF
 * (ura_xdb_choose_passages()).  The words are the scoring kids of a
 * top-level AND (else the query itself, when it scores), and the
 * passages looked at those with any of them, under the same filters and
 * exclusions. */
static int choose_passages(ura_xdb *db, ura_qnode *q, const ura_xrank *rank, ura_xhits *h,
                           ura_error *err)
{
    if (!h || h->n == 0)
        return URA_OK;
    if (q->op != URA_Q_AND) {
        if (!scoring(q))
            return URA_OK;
        const ura_qnode *one[] = {q};
        return ura_xdb_choose_passages(db, q, one, 1, rank, h, err);
    }
    ura_qnode any, rel;
    size_t ns = split_scoring(q, &any, &rel);
    int rc = ns ? ura_xdb_choose_passages(db, &rel, (const ura_qnode *const *)any.kids, ns,
                                          rank, h, err)
                : URA_OK;
    free(any.kids);
    free(rel.kids);
    return rc;
}

int ura_search(ura_engine *e, const char *dir, const char *query,
               const ura_search_opts *opts_in, ura_results **out, ura_error *err)
{
    ura_search_opts opts = opts_in ? *opts_in : (ura_search_opts){0, 10, 0, 0};
    if (opts.limit == 0)
        opts.limit = 10;
    *out = NULL;
    ura_analyser *an = ura_engine_analyser(e, err);
    if (!an)
        return URA_ERR_RUNTIME;
    ura_xrank rank;
    int rc = rank_from_env(&rank, err);
    if (rc != URA_OK)
        return rc;
    ura_qnode *q = NULL;
    rc = ura_query_parse(an, query, strlen(query), &q, err);
    if (rc != URA_OK)
        return rc;
    ura_stemmer *st = NULL;
    rc = ura_stemmer_new(&st, err);
    if (rc != URA_OK) {
        ura_qnode_free(q);
        return rc;
    }
    ura_query_expand(q, st, gazetteer_places);
    ura_xdb *db = NULL;
    rc = ura_xdb_open(dir, URA_XDB_READ, &db, err);
    if (rc != URA_OK) {
        ura_stemmer_free(st);
        ura_qnode_free(q);
        return rc;
    }

    ura_results *r = ura_xcalloc(1, sizeof *r);
    r->query = ura_xstrdup(query);
    char *ver = NULL;
    size_t vn = 0;
    if (ura_xdb_meta_get(db, "analyser", &ver, &vn, NULL) == URA_OK && ver &&
        (vn != strlen(URA_ANALYSER_VERSION) || memcmp(ver, URA_ANALYSER_VERSION, vn))) {
        ura_buf w = {0};
        ura_buf_printf(&w, "the index was built by analyser %.*s, this ura uses %s: "
                           "run `ura index` on the same paths to rebuild it",
                       (int)vn, ver, URA_ANALYSER_VERSION);
        r->warning = ura_buf_steal(&w, NULL);
    }
    free(ver);

    /* file hits: their data once their passages are chosen */
    ura_xsearch xs = {opts.offset, opts.limit, !opts.passages, opts.facets, &rank,
                      !opts.passages};
    ura_xhits *xh = NULL;
    rc = translate_mixed(db, an, st, q, err);
    if (rc == URA_OK)
        rc = ura_xdb_search(db, q, &xs, &xh, err);
    if (rc != URA_OK) {
        ura_results_free(r);
        ura_stemmer_free(st);
        ura_qnode_free(q);
        ura_xdb_close(db);
        return rc;
    }
    r->total = xh->total;
    r->total_exact = xh->total_exact;
    /* Partial hits: with fewer files than asked for, files with some of
     * the words follow those with all (mixed-language queries, words that
     * fall in two passages).  Only for hits that are files. */
    ura_xhits *xp = NULL;
    size_t p_skip = 0;
    if (!opts.passages)
        rc = partial_hits(db, q, &xs, xh, &xp, &p_skip, err);
    /* Each file's passage: the one with most of the query's words. */
    if (rc == URA_OK && !opts.passages)
        rc = choose_passages(db, q, &rank, xh, err);
    if (rc == URA_OK && !opts.passages && xp) {
        keep_shown(xp, opts.limit > xh->n ? opts.limit - xh->n : 0, p_skip);
        p_skip = 0;
        rc = choose_passages(db, q, &rank, xp, err);
    }
    if (rc == URA_OK)
        rc = ura_xdb_fetch_data(db, xh, err);
    if (rc != URA_OK) {
        ura_xhits_free(xp);
        ura_xhits_free(xh);
        ura_results_free(r);
        ura_stemmer_free(st);
        ura_qnode_free(q);
        ura_xdb_close(db);
        return rc;
    }
    size_t np = 0;
    const ura_xhit **pl = NULL;
    if (xp) {
        pl = ura_xcalloc(xp->n ? xp->n : 1, sizeof *pl);
        size_t room = opts.limit > xh->n ? opts.limit - xh->n : 0;
        for (size_t i = 0; i < xp->n && np < room; i++) {
            if (xp->hits[i].percent < 0)
                continue; /* a file that has all the words */
            if (p_skip) {
                p_skip--;
                continue;
            }
            pl[np++] = &xp->hits[i];
        }
    }
    r->hits = ura_xcalloc(xh->n + np ? xh->n + np : 1, sizeof *r->hits);
    ura_snip_cache *sc = ura_snip_cache_new();
    for (size_t i = 0; i < xh->n + np; i++) {
        const ura_xhit *x = i < xh->n ? &xh->hits[i] : pl[i - xh->n];
        ura_hit *h = &r->hits[r->n++];
        h->rank = (int)(opts.offset + i + 1);
        h->score = x->score;
        h->also = x->collapsed;
        h->partial = i >= xh->n;
        fill_hit(h, x->data, x->ndata);
        size_t tn = 0;
        const char *text = ura_fields_get(x->data, x->ndata, "text", &tn);
        size_t first = 0;
        ura_snippet(an, st, h->lang, q, text ? text : "", text ? tn : 0, sc, &h->snippet,
                    &h->marks, &h->nmarks, &first);
        if (text && first >= tn) {
            cite_find cf = {NULL, 0, tn, tn};
            cf.list = ura_fields_get(x->data, x->ndata, "cites", &cf.nlist);
            if (cf.list)
                filter_terms(q, on_filter_term, &cf, 0);
            first = cf.best;
        }
        locate_hit(h, x->data, x->ndata, text ? text : "", text ? tn : 0, first);
        find_twins(db, h);
        h->citation = ura_citation_text(h);
    }
    if (opts.facets) {
        r->nfacets = URA_NFACETS;
        r->facets = ura_xcalloc(URA_NFACETS, sizeof *r->facets);
        for (size_t f = 0; f < URA_NFACETS; f++) {
            r->facets[f].field = facet_fields[f];
            r->facets[f].n = xh->facets[f].n;
            r->facets[f].values = ura_xcalloc(xh->facets[f].n ? xh->facets[f].n : 1,
                                              sizeof *r->facets[f].values);
            for (size_t k = 0; k < xh->facets[f].n; k++) {
                r->facets[f].values[k].name = ura_xstrdup(xh->facets[f].values[k]);
                r->facets[f].values[k].n = xh->facets[f].counts[k];
            }
        }
    }
    ura_snip_cache_free(sc);
    free(pl);
    ura_xhits_free(xp);
    ura_xhits_free(xh);
    ura_stemmer_free(st);
    ura_qnode_free(q);
    ura_xdb_close(db);
    *out = r;
    return URA_OK;
}

static int valid_id(const char *id)
{
    if (!id || strlen(id) != 32)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

static int cmp_seq(const void *a, const void *b)
{
    const ura_hit *x = a, *y = b;
    return (x->also > y->also) - (x->also < y->also);
}

int ura_file_passages(ura_engine *e, const char *dir, const char *id,
                      ura_results **out, ura_error *err)
{
    (void)e;
    *out = NULL;
    if (!valid_id(id))
        return ura_error_set(err, URA_ERR_USAGE, "bad file id: 32 hex digits expected");
    ura_xdb *db = NULL;
    int rc = ura_xdb_open(dir, URA_XDB_READ, &db, err);
    if (rc != URA_OK)
        return rc;
    char term[64];
    snprintf(term, sizeof term, URA_PREFIX_FILE "%s", id);
    ura_qnode q = {.op = URA_Q_FILTER, .term = term, .term_len = strlen(term)};
    ura_xsearch xs = {0, 100000, 0, 0, NULL, 0};
    ura_xhits *xh = NULL;
    rc = ura_xdb_search(db, &q, &xs, &xh, err);
    ura_xdb_close(db);
    if (rc != URA_OK)
        return rc;
    if (xh->n == 0) {
        ura_xhits_free(xh);
        return ura_error_set(err, URA_ERR_NOINDEX, "no indexed file has id %s", id);
    }
    ura_results *r = ura_xcalloc(1, sizeof *r);
    r->query = ura_xstrdup("");
    r->total = xh->n;
    r->total_exact = 1;
    r->hits = ura_xcalloc(xh->n, sizeof *r->hits);
    for (size_t i = 0; i < xh->n; i++) {
        ura_hit *h = &r->hits[r->n++];
        fill_hit(h, xh->hits[i].data, xh->hits[i].ndata);
        /* sort key: the passage number, kept in `also` until sorted */
        h->also = (uint32_t)ura_fields_int(xh->hits[i].data, xh->hits[i].ndata, "seq", 0);
        size_t tn = 0;
        const char *text = ura_fields_get(xh->hits[i].data, xh->hits[i].ndata, "text", &tn);
        h->snippet = ura_xstrndup(text ? text : "", text ? tn : 0);
        h->citation = ura_citation_text(h);
    }
    qsort(r->hits, r->n, sizeof *r->hits, cmp_seq);
    for (size_t i = 0; i < r->n; i++) {
        r->hits[i].rank = (int)i + 1;
        r->hits[i].also = 0;
    }
    ura_xhits_free(xh);
    *out = r;
    return URA_OK;
}

int ura_file_lookup(const char *dir, const char *id, char **path, char **format,
                    ura_error *err)
{
    *path = *format = NULL;
    if (!valid_id(id))
        return ura_error_set(err, URA_ERR_USAGE, "bad file id: 32 hex digits expected");
    ura_xdb *db = NULL;
    int rc = ura_xdb_open(dir, URA_XDB_READ, &db, err);
    if (rc != URA_OK)
        return rc;
    char key[64];
    snprintf(key, sizeof key, URA_FILEREC_PREFIX "%s", id);
    char *val = NULL;
    size_t n = 0;
    rc = ura_xdb_meta_get(db, key, &val, &n, err);
    ura_xdb_close(db);
    if (rc != URA_OK)
        return rc;
    ura_filerec rec;
    if (!val || ura_filerec_decode(val, n, &rec) != 0) {
        free(val);
        return ura_error_set(err, URA_ERR_NOINDEX, "no indexed file has id %s", id);
    }
    free(val);
    if (rec.status != URA_FILE_INDEXED) {
        ura_filerec_clear(&rec);
        return ura_error_set(err, URA_ERR_NOINDEX, "no indexed file has id %s", id);
    }
    *path = rec.path;
    *format = rec.plugin ? rec.plugin : ura_xstrdup("");
    rec.path = rec.plugin = NULL;
    ura_filerec_clear(&rec);
    return URA_OK;
}

void ura_results_free(ura_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        ura_hit *h = &r->hits[i];
        free(h->id);
        free(h->type);
        free(h->path);
        free(h->title);
        free(h->lang);
        free(h->format);
        free(h->heading);
        free(h->article);
        free(h->law);
        free(h->paragraph);
        free(h->act_title);
        free(h->part);
        for (size_t k = 0; k < h->ntwins; k++) {
            free(h->twins[k].id);
            free(h->twins[k].path);
            free(h->twins[k].lang);
            free(h->twins[k].article);
        }
        free(h->twins);
        free(h->snippet);
        free(h->marks);
        free(h->citation);
    }
    for (size_t f = 0; f < r->nfacets; f++) {
        for (size_t k = 0; k < r->facets[f].n; k++)
            free(r->facets[f].values[k].name);
        free(r->facets[f].values);
    }
    free(r->facets);
    free(r->hits);
    free(r->query);
    free(r->warning);
    free(r);
}

static void json_str_or_null(ura_buf *b, const char *s)
{
    if (s)
        ura_json_str(b, s, strlen(s));
    else
        ura_buf_adds(b, "null");
}

/* ", \"key\": value" with a string or null. */
static void field_str(ura_buf *b, const char *key, const char *v)
{
    ura_buf_printf(b, ", \"%s\": ", key);
    json_str_or_null(b, v);
}

/* ", \"key\": n", or null for 0 (unknown page, year). */
static void field_int(ura_buf *b, const char *key, int v)
{
    if (v)
        ura_buf_printf(b, ", \"%s\": %d", key, v);
    else
        ura_buf_printf(b, ", \"%s\": null", key);
}

char *ura_results_json(const ura_results *r)
{
    ura_buf b = {0};
    ura_buf_adds(&b, "{\"query\": ");
    ura_json_str(&b, r->query, strlen(r->query));
    ura_buf_printf(&b, ", \"total\": %llu, \"total_exact\": %s", (unsigned long long)r->total,
                   r->total_exact ? "true" : "false");
    if (r->warning) {
        ura_buf_adds(&b, ", \"warning\": ");
        ura_json_str(&b, r->warning, strlen(r->warning));
    }
    if (r->nfacets) {
        ura_buf_adds(&b, ", \"facets\": {");
        for (size_t f = 0; f < r->nfacets; f++) {
            ura_buf_printf(&b, "%s\"%s\": {", f ? ", " : "", r->facets[f].field);
            for (size_t k = 0; k < r->facets[f].n; k++) {
                ura_buf_adds(&b, k ? ", " : "");
                ura_json_str(&b, r->facets[f].values[k].name, strlen(r->facets[f].values[k].name));
                ura_buf_printf(&b, ": %llu", (unsigned long long)r->facets[f].values[k].n);
            }
            ura_buf_addc(&b, '}');
        }
        ura_buf_addc(&b, '}');
    }
    ura_buf_adds(&b, ", \"hits\": [");
    for (size_t i = 0; i < r->n; i++) {
        const ura_hit *h = &r->hits[i];
        ura_buf_printf(&b, "%s\n  {\"rank\": %d, \"score\": %.4f", i ? "," : "", h->rank,
                       h->score);
        field_str(&b, "id", h->id);
        field_str(&b, "path", h->path);
        field_str(&b, "title", h->title);
        field_str(&b, "lang", h->lang);
        field_str(&b, "format", h->format);
        field_int(&b, "page", h->page);
        field_str(&b, "article", h->article);
        field_str(&b, "law", h->law);
        field_str(&b, "paragraph", h->paragraph);
        field_int(&b, "page_end", h->page_end);
        field_str(&b, "act_title", h->act_title);
        field_str(&b, "part", h->part);
        ura_buf_adds(&b, ",\n   \"twins\": [");
        for (size_t k = 0; k < h->ntwins; k++) {
            const ura_twin *t = &h->twins[k];
            ura_buf_adds(&b, k ? ", {" : "{");
            ura_buf_adds(&b, "\"id\": ");
            json_str_or_null(&b, t->id);
            field_str(&b, "path", t->path);
            field_str(&b, "lang", t->lang);
            field_str(&b, "article", t->article);
            field_int(&b, "page", t->page);
            ura_buf_addc(&b, '}');
        }
        ura_buf_addc(&b, ']');
        field_str(&b, "heading", h->heading);
        field_str(&b, "type", h->type);
        field_int(&b, "year", h->year);
        ura_buf_adds(&b, ",\n   \"snippet\": ");
        json_str_or_null(&b, h->snippet);
        ura_buf_adds(&b, ", \"highlights\": [");
        for (size_t k = 0; k < h->nmarks; k++)
            ura_buf_printf(&b, "%s[%zu, %zu]", k ? ", " : "", h->marks[k][0], h->marks[k][1]);
        ura_buf_printf(&b, "], \"also\": %u", h->also);
        if (h->partial)
            ura_buf_adds(&b, ", \"partial\": true");
        ura_buf_adds(&b, ",\n   \"citation\": ");
        json_str_or_null(&b, h->citation);
        ura_buf_addc(&b, '}');
    }
    ura_buf_adds(&b, r->n ? "\n]}\n" : "]}\n");
    return ura_buf_steal(&b, NULL);
}
