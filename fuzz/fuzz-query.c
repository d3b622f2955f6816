/* fuzz-query.c — libFuzzer harness for the query parser (core/query.c)
 * and the Xapian query built from its tree (core/index-xapian.cc).
 *
 * The input is parsed as a query.  A syntax error must come with a
 * one-line message and no tree; a tree must have the shape query.h
 * promises (which the index wrapper relies on), describe itself, hand out
 * its terms, and run as a search against a small index of three passages
 * made once in a temporary folder: every tree the parser makes must be
 * one the index accepts. */
#define _GNU_SOURCE 1 /* nftw, mkdtemp */
#include "config.h"

#include <ftw.h>
#include <string.h>
#include <unistd.h>

#include "analyse.h"
#include "fuzz.h"
#include "query.h"
#include "xdb.h"

static ura_analyser *analyser;
static ura_xdb *db;
static char dir[] = "/tmp/ura-fuzz-query-XXXXXX";

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    ura_xdb_close(db);
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void add_passage(const char *id, const char *words, const char *lang)
{
    ura_error err = {0};
    ura_xdoc *d = ura_xdoc_new();
    uint32_t pos = 1;
    char buf[64];
    for (const char *w = words; *w;) {
        size_t n = strcspn(w, " ");
        ura_xdoc_add_posting(d, w, n, pos++);
        w += n;
        w += strspn(w, " ");
    }
    snprintf(buf, sizeof buf, "XL%s", lang);
    ura_xdoc_add_boolean(d, buf, strlen(buf));
    ura_xdoc_add_boolean(d, "XFhtml", 6);
    ura_xdoc_add_boolean(d, "XN03/l-047", 10);
    ura_xdoc_add_boolean(d, "XA4", 3);
    ura_xdoc_add_boolean(d, "XCconstitution", 14);
    ura_xdoc_set_value(d, URA_SLOT_FILE, id, 1);
    ura_xdoc_set_value(d, URA_SLOT_SEQ, id, strlen(id));
    ura_xdoc_set_value(d, URA_SLOT_FACET, lang, strlen(lang));
    ura_xdoc_set_data(d, id, strlen(id));
    snprintf(buf, sizeof buf, "Q%s", id);
    ura_xdoc_add_boolean(d, buf, strlen(buf));
    FUZZ_CHECK(ura_xdb_replace(db, buf, d, &err) == URA_OK, "replace: %s", err.msg);
    ura_xdoc_free(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ura_error err = {0};
    FUZZ_CHECK(ura_analyser_new(&analyser, &err) == URA_OK, "analyser: %s", err.msg);
    FUZZ_CHECK(mkdtemp(dir) != NULL, "mkdtemp %s", dir);
    FUZZ_CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s", err.msg);
    atexit(cleanup);
    add_passage("a1", "ligji 03/l-047 per mbrojtjen e komuniteteve neni 4 strpce", "sq");
    add_passage("b2", "zakon o zastiti prava zajednica clan 4 strpce opstina", "sr-latn");
    add_passage("c3", "law on the protection of communities article 4 e mail", "en");
    FUZZ_CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);
    return 0;
}

static int is_filterish(const ura_qnode *n)
{
    if (n->op == URA_Q_FILTER)
        return 1;
    if (n->op != URA_Q_OR)
        return 0;
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->op != URA_Q_FILTER)
            return 0;
    return 1;
}

/* The shape of query.h, node by node; parent is NULL at the root. */
static void check_node(const ura_qnode *n, const ura_qnode *parent, int depth)
{
    FUZZ_CHECK(depth <= 2 * URA_QUERY_MAX_DEPTH + 8, "tree %d deep", depth);
    switch (n->op) {
    case URA_Q_TERM:
    case URA_Q_PREFIX:
    case URA_Q_FILTER:
        FUZZ_CHECK(n->term && n->term_len > 0 && strlen(n->term) == n->term_len,
                   "op %d: bad term", (int)n->op);
        FUZZ_CHECK(n->nkids == 0, "op %d with kids", (int)n->op);
        break;
    case URA_Q_ALL:
        FUZZ_CHECK(!n->term && n->nkids == 0, "ALL with a term or kids");
        break;
    case URA_Q_PHRASE:
    case URA_Q_AND:
    case URA_Q_OR:
        FUZZ_CHECK(!n->term && n->nkids >= 2, "op %d: term or %zu kids", (int)n->op,
                   n->nkids);
        break;
    case URA_Q_NOT:
        FUZZ_CHECK(!n->term && n->nkids == 1, "NOT: term or %zu kids", n->nkids);
        FUZZ_CHECK(parent && parent->op == URA_Q_AND, "NOT outside an AND");
        break;
    default:
        FUZZ_CHECK(0, "unknown op %d", (int)n->op);
    }
    if (n->op == URA_Q_PHRASE)
        for (size_t i = 0; i < n->nkids; i++)
            FUZZ_CHECK(n->kids[i]->op == URA_Q_TERM, "PHRASE kid of op %d",
                       (int)n->kids[i]->op);
    if (n->op == URA_Q_OR && !is_filterish(n))
        for (size_t i = 0; i < n->nkids; i++)
            FUZZ_CHECK(n->kids[i]->op != URA_Q_FILTER, "FILTER in an OR of words");
    if (is_filterish(n) && !(n->op == URA_Q_FILTER && parent && parent->op == URA_Q_OR))
        FUZZ_CHECK(parent && (parent->op == URA_Q_AND || parent->op == URA_Q_NOT),
                   "filter under op %d", parent ? (int)parent->op : 0);
    if (n->op == URA_Q_AND) {
        int positive = 0;
        for (size_t i = 0; i < n->nkids; i++) {
            const ura_qnode *k = n->kids[i];
            if (k->op != URA_Q_NOT && !is_filterish(k))
                positive = 1;
            FUZZ_CHECK(k->op != URA_Q_AND, "AND inside an AND");
        }
        FUZZ_CHECK(positive, "AND without a positive kid");
    }
    if (n->op == URA_Q_OR)
        for (size_t i = 0; i < n->nkids; i++)
            FUZZ_CHECK(n->kids[i]->op != URA_Q_OR, "OR inside an OR");
    for (size_t i = 0; i < n->nkids; i++) {
        FUZZ_CHECK(n->kids[i], "NULL kid");
        check_node(n->kids[i], n, depth + 1);
    }
}

static void on_term(void *ctx, const char *term, size_t len, int is_prefix)
{
    (void)is_prefix;
    FUZZ_CHECK(len > 0 && strlen(term) == len, "highlight term of %zu bytes", len);
    ++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ura_qnode *q = (ura_qnode *)1;
    ura_error err = {0};
    int rc = ura_query_parse(analyser, (const char *)data, size, &q, &err);
    if (rc != URA_OK) {
        FUZZ_CHECK(rc == URA_ERR_USAGE, "parse returned %d: %s", rc, err.msg);
        FUZZ_CHECK(q == NULL, "a tree after an error");
        FUZZ_CHECK(err.msg[0] && !strchr(err.msg, '\n'), "error message: '%s'", err.msg);
        return 0;
    }
    FUZZ_CHECK(q != NULL, "no tree and no error");
    check_node(q, NULL, 0);
    char *desc = ura_qnode_describe(q);
    FUZZ_CHECK(desc && desc[0], "describe gave nothing");
    free(desc);
    size_t nterms = 0;
    ura_qnode_terms(q, on_term, &nterms);

    ura_xsearch opt = {0, 10, 1, 1, NULL, 0};
    ura_xhits *h = NULL;
    rc = ura_xdb_search(db, q, &opt, &h, &err);
    FUZZ_CHECK(rc == URA_OK, "search of a parsed tree: %d %s", rc, err.msg);
    FUZZ_CHECK(h && h->n <= 3, "%zu hits from 3 passages", h ? h->n : 0);
    ura_xhits_free(h);
    ura_qnode_free(q);
    return 0;
}
