/* search.c — `ura search`: parse, match, collapse per file, snippet,
 * citation, and the contract JSON. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "filerec.h"
#include "query.h"
#include "snippet.h"
#include "xdb.h"

/* The deepest heading of a " — "-joined heading path; borrowed. */
static const char *last_heading(const char *h)
{
    const char *last = h, *p;
    while ((p = strstr(last, " — ")) != NULL)
        last = p + strlen(" — ");
    return last;
}

/* A readable citation until the legal-structure segmenter knows articles:
 * the document's title and the passage's heading. */
static char *make_citation(const ura_hit *h)
{
    ura_buf b = {0};
    ura_buf_adds(&b, h->title && *h->title ? h->title : h->path);
    if (h->heading)
        ura_buf_printf(&b, ", %s", last_heading(h->heading));
    if (h->page)
        ura_buf_printf(&b, ", p. %d", h->page);
    return ura_buf_steal(&b, NULL);
}

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
}

static const char *const facet_fields[URA_NFACETS] = {"lang", "format", "year", "type"};

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
    ura_qnode *q = NULL;
    int rc = ura_query_parse(an, query, strlen(query), &q, err);
    if (rc != URA_OK)
        return rc;
    ura_xdb *db = NULL;
    rc = ura_xdb_open(dir, URA_XDB_READ, &db, err);
    if (rc != URA_OK) {
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

    ura_xsearch xs = {opts.offset, opts.limit, !opts.passages, opts.facets};
    ura_xhits *xh = NULL;
    rc = ura_xdb_search(db, q, &xs, &xh, err);
    if (rc != URA_OK) {
        ura_results_free(r);
        ura_qnode_free(q);
        ura_xdb_close(db);
        return rc;
    }
    r->total = xh->total;
    r->hits = ura_xcalloc(xh->n ? xh->n : 1, sizeof *r->hits);
    for (size_t i = 0; i < xh->n; i++) {
        const ura_xhit *x = &xh->hits[i];
        ura_hit *h = &r->hits[r->n++];
        h->rank = (int)(opts.offset + i + 1);
        h->score = x->score;
        h->also = x->collapsed;
        fill_hit(h, x->data, x->ndata);
        size_t tn = 0;
        const char *text = ura_fields_get(x->data, x->ndata, "text", &tn);
        ura_snippet(an, q, text ? text : "", text ? tn : 0, &h->snippet, &h->marks,
                    &h->nmarks);
        h->citation = make_citation(h);
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
    ura_xhits_free(xh);
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
    ura_qnode q = {URA_Q_FILTER, term, strlen(term), NULL, 0};
    ura_xsearch xs = {0, 100000, 0, 0};
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
    r->hits = ura_xcalloc(xh->n, sizeof *r->hits);
    for (size_t i = 0; i < xh->n; i++) {
        ura_hit *h = &r->hits[r->n++];
        fill_hit(h, xh->hits[i].data, xh->hits[i].ndata);
        /* sort key: the passage number, kept in `also` until sorted */
        h->also = (uint32_t)ura_fields_int(xh->hits[i].data, xh->hits[i].ndata, "seq", 0);
        size_t tn = 0;
        const char *text = ura_fields_get(xh->hits[i].data, xh->hits[i].ndata, "text", &tn);
        h->snippet = ura_xstrndup(text ? text : "", text ? tn : 0);
        h->citation = make_citation(h);
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

char *ura_results_json(const ura_results *r)
{
    ura_buf b = {0};
    ura_buf_adds(&b, "{\"query\": ");
    ura_json_str(&b, r->query, strlen(r->query));
    ura_buf_printf(&b, ", \"total\": %llu", (unsigned long long)r->total);
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
        ura_buf_printf(&b, "%s\n  {\"rank\": %d, \"score\": %.4f, \"id\": ", i ? "," : "",
                       h->rank, h->score);
        json_str_or_null(&b, h->id);
        ura_buf_adds(&b, ", \"path\": ");
        json_str_or_null(&b, h->path);
        ura_buf_adds(&b, ", \"title\": ");
        json_str_or_null(&b, h->title);
        ura_buf_adds(&b, ", \"lang\": ");
        json_str_or_null(&b, h->lang);
        ura_buf_adds(&b, ", \"format\": ");
        json_str_or_null(&b, h->format);
        if (h->page)
            ura_buf_printf(&b, ", \"page\": %d", h->page);
        else
            ura_buf_adds(&b, ", \"page\": null");
        ura_buf_adds(&b, ", \"article\": ");
        json_str_or_null(&b, h->article);
        ura_buf_adds(&b, ", \"law\": ");
        json_str_or_null(&b, h->law);
        ura_buf_adds(&b, ", \"heading\": ");
        json_str_or_null(&b, h->heading);
        ura_buf_adds(&b, ", \"type\": ");
        json_str_or_null(&b, h->type);
        if (h->year)
            ura_buf_printf(&b, ", \"year\": %d", h->year);
        else
            ura_buf_adds(&b, ", \"year\": null");
        ura_buf_adds(&b, ",\n   \"snippet\": ");
        json_str_or_null(&b, h->snippet);
        ura_buf_adds(&b, ", \"highlights\": [");
        for (size_t k = 0; k < h->nmarks; k++)
            ura_buf_printf(&b, "%s[%zu, %zu]", k ? ", " : "", h->marks[k][0], h->marks[k][1]);
        ura_buf_printf(&b, "], \"also\": %u", h->also);
        ura_buf_adds(&b, ",\n   \"citation\": ");
        json_str_or_null(&b, h->citation);
        ura_buf_addc(&b, '}');
    }
    ura_buf_adds(&b, r->n ? "\n]}\n" : "]}\n");
    return ura_buf_steal(&b, NULL);
}
