/* cites.c — the citation graph: which acts cite which, from the XC terms
 * passages carry for the acts they cite. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "filerec.h"
#include "query.h"
#include "xdb.h"

typedef struct edge {
    char *from, *to; /* citing act (its number, else its title), cited act */
    size_t n;        /* passages that cite it                             */
} edge;

typedef struct graph {
    ura_xdb *db;
    edge *v;
    size_t n, cap;
    int rc;
    ura_error *err;
} graph;

static void add_edge(graph *g, const char *from, const char *to)
{
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->v[i].from, from) && !strcmp(g->v[i].to, to)) {
            g->v[i].n++;
            return;
        }
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 32;
        g->v = ura_xrealloc(g->v, g->cap * sizeof *g->v);
    }
    g->v[g->n++] = (edge){ura_xstrdup(from), ura_xstrdup(to), 1};
}

static int on_cited(void *ctx, const char *term, uint32_t freq)
{
    graph *g = ctx;
    (void)freq;
    /* The indexed form is lowercase ("03/l-047"); show "03/L-047". */
    char to[64];
    snprintf(to, sizeof to, "%s", term + strlen(URA_PREFIX_CITES));
    for (char *p = to; *p; p++)
        if (*p == 'l')
            *p = 'L';
    if (!strcmp(to, "constitution"))
        snprintf(to, sizeof to, "Constitution");
    ura_qnode q = {.op = URA_Q_FILTER, .term = (char *)term, .term_len = strlen(term)};
    ura_xsearch xs = {0, 100000, 0, 0, NULL, 0};
    ura_xhits *xh = NULL;
    g->rc = ura_xdb_search(g->db, &q, &xs, &xh, g->err);
    if (g->rc != URA_OK)
        return 1;
    for (size_t i = 0; i < xh->n; i++) {
        char *from = ura_fields_dup(xh->hits[i].data, xh->hits[i].ndata, "law");
        if (!from)
            from = ura_fields_dup(xh->hits[i].data, xh->hits[i].ndata, "title");
        if (!from)
            from = ura_fields_dup(xh->hits[i].data, xh->hits[i].ndata, "path");
        if (from && strcmp(from, to) != 0)
            add_edge(g, from, to);
        free(from);
    }
    ura_xhits_free(xh);
    return 0;
}

static void dot_str(ura_buf *b, const char *s)
{
    ura_buf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            ura_buf_addc(b, '\\');
        ura_buf_addc(b, *s == '\n' ? ' ' : *s);
    }
    ura_buf_addc(b, '"');
}

int ura_cites_graph(const char *dir, char **dot, ura_error *err)
{
    *dot = NULL;
    graph g = {0};
    g.err = err;
    int rc = ura_xdb_open(dir, URA_XDB_READ, &g.db, err);
    if (rc != URA_OK)
        return rc;
    rc = ura_xdb_terms_each(g.db, URA_PREFIX_CITES, on_cited, &g, err);
    if (g.rc != URA_OK)
        rc = g.rc;
    ura_xdb_close(g.db);
    if (rc == URA_OK) {
        ura_buf b = {0};
        ura_buf_adds(&b, "digraph cites {\n  rankdir=LR;\n");
        for (size_t i = 0; i < g.n; i++) {
            ura_buf_adds(&b, "  ");
            dot_str(&b, g.v[i].from);
            ura_buf_adds(&b, " -> ");
            dot_str(&b, g.v[i].to);
            ura_buf_printf(&b, " [label=\"%zu\"];\n", g.v[i].n);
        }
        ura_buf_adds(&b, "}\n");
        *dot = ura_buf_steal(&b, NULL);
    }
    for (size_t i = 0; i < g.n; i++) {
        free(g.v[i].from);
        free(g.v[i].to);
    }
    free(g.v);
    return rc;
}
