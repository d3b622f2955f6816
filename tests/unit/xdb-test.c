/* xdb-test.c — the Xapian wrapper (core/xdb.h): a small index of five
 * passages, a table of query trees and the passages each must find, then
 * batches, metadata, deletion, locking and the error paths. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* nftw, mkdtemp */
#endif
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"
#include "xdb.h"

/* ---- query trees built by hand (no parser here) ---- */

#define END ((ura_qnode *)NULL)

/* A node with op, term (may be NULL) and the kids that follow, up to END. */
static ura_qnode *qn(enum ura_qop op, const char *term, ...)
{
    ura_qnode *n = ura_xcalloc(1, sizeof *n);
    va_list ap;
    ura_qnode *k;
    n->op = op;
    if (term) {
        n->term = ura_xstrdup(term);
        n->term_len = strlen(term);
    }
    va_start(ap, term);
    while ((k = va_arg(ap, ura_qnode *)) != NULL) {
        n->kids = ura_xrealloc(n->kids, (n->nkids + 1) * sizeof *n->kids);
        n->kids[n->nkids++] = k;
    }
    va_end(ap);
    return n;
}

static void qfree(ura_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        qfree(n->kids[i]);
    free(n->kids);
    free(n->term);
    free(n);
}

#define T(s) qn(URA_Q_TERM, (s), END)
#define PX(s) qn(URA_Q_PREFIX, (s), END)
#define F(s) qn(URA_Q_FILTER, (s), END)
#define ALL() qn(URA_Q_ALL, NULL, END)
#define NOT(k) qn(URA_Q_NOT, NULL, (k), END)
#define PH(...) qn(URA_Q_PHRASE, NULL, __VA_ARGS__, END)
#define AND(...) qn(URA_Q_AND, NULL, __VA_ARGS__, END)
#define OR(...) qn(URA_Q_OR, NULL, __VA_ARGS__, END)

/* ---- the sample index ---- */

typedef struct sample {
    const char *id;   /* data of the passage, and its uid "Q<id>" */
    const char *file; /* path key: collapse value and XP term     */
    const char *lang;
    const char *format;
    const char *text; /* words, given positions 1, 2, ...         */
} sample;

static const sample samples[] = {
    {"A1", "A", "sq", "html", "ligji per zgjedhjet lokale"},
    {"A2", "A", "sq", "html", "zgjedhjet lokale ne komunen strpce"},
    {"B1", "B", "en", "pdf", "law on local elections"},
    {"C1", "C", "sr", "html", "zakon o lokalnim izborima strpce"},
    {"D1", "D", "en", "html", "local law elections"},
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

static char tmp[64];

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void add_sample(ura_xdb *db, const sample *s)
{
    char buf[256];
    ura_error err = {0};
    ura_xdoc *d = ura_xdoc_new();
    const char *w = s->text;
    uint32_t pos = 1;

    while (*w) {
        size_t n = strcspn(w, " ");
        ura_xdoc_add_posting(d, w, n, pos++);
        w += n;
        w += strspn(w, " ");
    }
    snprintf(buf, sizeof buf, "XL%s", s->lang);
    ura_xdoc_add_boolean(d, buf, strlen(buf));
    snprintf(buf, sizeof buf, "XF%s", s->format);
    ura_xdoc_add_boolean(d, buf, strlen(buf));
    snprintf(buf, sizeof buf, "XP%s", s->file);
    ura_xdoc_add_boolean(d, buf, strlen(buf));
    snprintf(buf, sizeof buf, "Q%s", s->id);
    ura_xdoc_add_boolean(d, buf, strlen(buf));
    ura_xdoc_set_value(d, URA_SLOT_FILE, s->file, strlen(s->file));
    ura_xdoc_set_value(d, URA_SLOT_SEQ, s->id + 1, strlen(s->id + 1));
    ura_xdoc_set_value(d, URA_SLOT_FACET + 0, s->lang, strlen(s->lang));
    snprintf(buf, sizeof buf, "%s\x1f%s\x1f", s->lang, s->format); /* fields */
    ura_xdoc_set_value(d, URA_SLOT_TWIN, buf, strlen(buf));
    ura_xdoc_set_data(d, s->id, strlen(s->id));
    int rc = ura_xdb_replace(db, buf, d, &err);
    CHECK(rc == URA_OK, "replace %s: %d %s", s->id, rc, err.msg);
    ura_xdoc_free(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of the hits of q, sorted, space-separated, in out; "ERR <code>"
 * when the search fails.  Frees q.  With keep, hands over the result set. */
static void found(ura_xdb *db, ura_qnode *q, const ura_xsearch *opt,
                  char *out, size_t cap, ura_xhits **keep)
{
    ura_error err = {0};
    ura_xhits *h = NULL;
    int rc = ura_xdb_search(db, q, opt, &h, &err);
    qfree(q);
    if (rc) {
        snprintf(out, cap, "ERR %d", rc);
        CHECK(h == NULL, "failed search left a result set");
        return;
    }
    char **ids = ura_xcalloc(h->n + 1, sizeof *ids);
    for (size_t i = 0; i < h->n; i++)
        ids[i] = h->hits[i].data;
    qsort(ids, h->n, sizeof *ids, cmp_str);
    out[0] = '\0';
    for (size_t i = 0; i < h->n; i++) {
        if (i)
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, ids[i], cap - strlen(out) - 1);
    }
    free(ids);
    for (size_t i = 1; i < h->n; i++)
        CHECK(h->hits[i - 1].score >= h->hits[i].score,
              "hits not best first at %zu", i);
    if (keep)
        *keep = h;
    else
        ura_xhits_free(h);
}

static void test_queries(ura_xdb *db)
{
    char too_long[301];
    memset(too_long, 'q', 300);
    too_long[300] = '\0';

    struct {
        const char *what;
        ura_qnode *q;
        const char *want;
    } t[] = {
        {"term", T("lokale"), "A1 A2"},
        {"term, two files", T("strpce"), "A2 C1"},
        {"term absent", T("nothing"), ""},
        {"phrase", PH(T("local"), T("elections")), "B1"},
        {"phrase order matters", PH(T("elections"), T("local")), ""},
        {"phrase adjacency", PH(T("local"), T("law"), T("elections")), "D1"},
        {"phrase, two passages", PH(T("zgjedhjet"), T("lokale")), "A1 A2"},
        {"one-word phrase", PH(T("zakon")), "C1"},
        {"prefix", PX("zgjedh"), "A1 A2"},
        {"prefix, several terms", PX("lok"), "A1 A2 C1"},
        {"prefix matches no filter term", PX("x"), ""},
        {"and", AND(T("law"), T("elections")), "B1 D1"},
        {"or", OR(T("law"), T("zakon")), "B1 C1 D1"},
        {"and not", AND(T("strpce"), NOT(T("zakon"))), "A2"},
        {"and filter", AND(T("local"), F("XFhtml")), "D1"},
        {"and or-of-filters", AND(T("strpce"), OR(F("XLsq"), F("XLsr"))),
         "A2 C1"},
        {"and or-of-filters narrows",
         AND(T("strpce"), OR(F("XLsq"), F("XLen"))), "A2"},
        {"filter on a word", AND(T("elections"), F("law")), "B1 D1"},
        {"two filters", AND(T("elections"), F("XLen"), F("XFpdf")), "B1"},
        {"filters only", AND(F("XLen")), "B1 D1"},
        {"not only", AND(NOT(T("strpce"))), "A1 B1 D1"},
        {"filter and not", AND(F("XLsq"), NOT(T("ligji"))), "A2"},
        {"filter alone", F("XLsr"), "C1"},
        {"or of filters alone", OR(F("XLsr"), F("XFpdf")), "B1 C1"},
        {"or with a filter kid", OR(T("zakon"), F("XFpdf")), "B1 C1"},
        {"all", ALL(), "A1 A2 B1 C1 D1"},
        {"not outside and", NOT(T("law")), "A1 A2 C1"},
        {"nested", AND(OR(T("law"), T("zakon")), NOT(F("XFpdf"))), "C1 D1"},
        {"term too long to index", T(too_long), ""},
        {"prefix too long to index", PX(too_long), ""},
    };
    ura_xsearch opt = {0, 100, 0, 0, NULL, 0};
    char got[256];

    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        found(db, t[i].q, &opt, got, sizeof got, NULL);
        CHECK_STR(got, t[i].want, t[i].what);
    }

    /* ura_xdb_select(): the passages of a term whose slots pass the tests,
     * in docid order, each with its values of the wanted slots (here its
     * file and number: its id) */
    const unsigned lang = URA_SLOT_FACET + 0, none = URA_SLOT_ARTICLE_POS, tw = URA_SLOT_TWIN;
    struct {
        const char *what;
        const char *term;
        ura_xslot test[2];
        size_t ntests, max;
        const char *want;
        int exact;
    } a[] = {
        {"no tests", "lokale", {{0}}, 0, 8, "A1 A2", 1},
        {"a slot differs", "strpce", {{lang, -1, "sq", 2, 1}}, 1, 8, "C1", 1},
        {"a slot equals", "elections", {{lang, -1, "en", 2, 0}}, 1, 8, "B1 D1", 1},
        {"two tests", "elections", {{lang, -1, "en", 2, 0}, {URA_SLOT_FILE, -1, "B", 1, 1}}, 2,
         8, "D1", 1},
        {"a value that is a prefix", "elections", {{lang, -1, "e", 1, 0}}, 1, 8, "", 1},
        {"no value: the empty one", "strpce", {{none, -1, "", 0, 0}}, 1, 8, "A2 C1", 1},
        {"no value differs", "strpce", {{none, -1, "x", 1, 1}}, 1, 8, "A2 C1", 1},
        {"first field", "elections", {{tw, 0, "en", 2, 0}}, 1, 8, "B1 D1", 1},
        {"second field", "elections", {{tw, 1, "html", 4, 0}}, 1, 8, "D1", 1},
        {"two fields", "XLsq", {{tw, 0, "sq", 2, 0}, {tw, 1, "pdf", 3, 1}}, 2, 8, "A1 A2", 1},
        {"an empty last field", "local", {{tw, 2, "", 0, 0}}, 1, 8, "B1 D1", 1},
        {"a field past the last", "local", {{tw, 3, "", 0, 0}}, 1, 8, "B1 D1", 1},
        {"a field is not the whole value", "local", {{tw, -1, "en", 2, 0}}, 1, 8, "", 1},
        {"at most max", "XLsq", {{0}}, 0, 1, "A1", 0},
        {"exactly max", "XLsq", {{0}}, 0, 2, "A1 A2", 1},
        {"term absent", "nothing", {{0}}, 0, 8, "", 1},
    };
    const unsigned want[] = {URA_SLOT_FILE, URA_SLOT_SEQ};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) {
        ura_xhits *h = NULL;
        ura_error err = {0};
        int rc = ura_xdb_select(db, a[i].term, a[i].test, a[i].ntests, want, 2, a[i].max, &h,
                                &err);
        CHECK(rc == URA_OK && h, "%s: %d %s", a[i].what, rc, err.msg);
        if (!h)
            continue;
        got[0] = '\0';
        for (size_t k = 0; k < h->n; k++) {
            const char *file = h->hits[k].data, *seq = file + strlen(file) + 1;
            CHECK(h->hits[k].ndata == strlen(file) + strlen(seq) + 2,
                  "%s: hit %zu's values take %zu bytes, want %zu", a[i].what, k,
                  h->hits[k].ndata, strlen(file) + strlen(seq) + 2);
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s%s", k ? " " : "", file,
                     seq);
        }
        CHECK_STR(got, a[i].want, a[i].what);
        CHECK(h->total_exact == a[i].exact, "%s: total_exact %d, want %d", a[i].what,
              h->total_exact, a[i].exact);
        ura_xhits_free(h);
    }
}

static void test_weights(ura_xdb *db)
{
    ura_xsearch opt = {0, 10, 0, 0, NULL, 0};
    ura_xhits *plain = NULL, *filtered = NULL, *only = NULL;
    char got[256];

    /* a filter selects and adds no weight */
    found(db, T("local"), &opt, got, sizeof got, &plain);
    found(db, AND(T("local"), F("XFhtml")), &opt, got, sizeof got, &filtered);
    found(db, F("XLen"), &opt, got, sizeof got, &only);
    if (plain && filtered && filtered->n == 1) {
        double want = 0;
        for (size_t i = 0; i < plain->n; i++)
            if (strcmp(plain->hits[i].data, "D1") == 0)
                want = plain->hits[i].score;
        CHECK(want > 0 && filtered->hits[0].score == want,
              "filter changed the weight: %g, want %g",
              filtered->hits[0].score, want);
        CHECK(filtered->hits[0].ndata == 2 && filtered->hits[0].docid == 5,
              "hit: ndata %zu docid %u", filtered->hits[0].ndata,
              (unsigned)filtered->hits[0].docid);
    }
    ura_xhits_free(plain);
    ura_xhits_free(filtered);
    plain = filtered = NULL;

    /* even a filter on a word with a wdf weighs nothing */
    found(db, T("elections"), &opt, got, sizeof got, &plain);
    found(db, AND(T("elections"), F("law")), &opt, got, sizeof got, &filtered);
    if (plain && filtered) {
        CHECK(plain->n == 2 && filtered->n == 2, "elections: %zu, %zu hits",
              plain->n, filtered->n);
        for (size_t i = 0; i < plain->n && i < filtered->n; i++)
            CHECK(plain->hits[i].docid == filtered->hits[i].docid &&
                      plain->hits[i].score == filtered->hits[i].score,
                  "filter weighs: %g vs %g", filtered->hits[i].score,
                  plain->hits[i].score);
    }
    if (only)
        for (size_t i = 0; i < only->n; i++)
            CHECK(only->hits[i].score == 0, "filter alone weighs %g",
                  only->hits[i].score);
    ura_xhits_free(plain);
    ura_xhits_free(filtered);
    ura_xhits_free(only);
}

static void test_paging(ura_xdb *db)
{
    char got[256];
    ura_xhits *h = NULL;
    struct {
        const char *what;
        ura_xsearch opt;
        size_t n;
        uint64_t total;
    } t[] = {
        {"first page", {0, 2, 0, 0, NULL, 0}, 2, 5},
        {"second page", {2, 2, 0, 0, NULL, 0}, 2, 5},
        {"last page", {4, 2, 0, 0, NULL, 0}, 1, 5},
        {"past the end", {10, 2, 0, 0, NULL, 0}, 0, 5},
        {"count only", {0, 0, 0, 0, NULL, 0}, 0, 5},
        {"count only, collapsed", {0, 0, 1, 0, NULL, 0}, 0, 4},
        {"collapsed", {0, 10, 1, 0, NULL, 0}, 4, 4},
        {"no limit", {0, SIZE_MAX, 0, 0, NULL, 0}, 5, 5},
        {"no limit past the end", {SIZE_MAX, SIZE_MAX, 0, 0, NULL, 0}, 0, 5},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        h = NULL;
        found(db, ALL(), &t[i].opt, got, sizeof got, &h);
        if (!h)
            continue;
        CHECK(h->n == t[i].n && h->total == t[i].total,
              "%s: %zu hits of %llu, want %zu of %llu", t[i].what, h->n,
              (unsigned long long)h->total, t[i].n,
              (unsigned long long)t[i].total);
        ura_xhits_free(h);
    }

    /* pages do not overlap: ALL ties are in docid order */
    ura_xsearch p1 = {0, 3, 0, 0, NULL, 0}, p2 = {3, 3, 0, 0, NULL, 0};
    char a[256], b[256];
    found(db, ALL(), &p1, a, sizeof a, NULL);
    found(db, ALL(), &p2, b, sizeof b, NULL);
    CHECK_STR(a, "A1 A2 B1", "page 1");
    CHECK_STR(b, "C1 D1", "page 2");

    /* lazy data: the same hits without their data, filled afterwards */
    ura_xsearch lz = {0, 3, 0, 0, NULL, 1};
    ura_xhits *lh = NULL;
    ura_error lerr = {0};
    ura_qnode *lq = ALL();
    CHECK(ura_xdb_search(db, lq, &lz, &lh, &lerr) == URA_OK, "lazy search: %s", lerr.msg);
    qfree(lq);
    if (lh) {
        int none = 1;
        for (size_t i = 0; i < lh->n; i++)
            none &= lh->hits[i].data == NULL;
        CHECK(lh->n == 3 && none, "lazy search: %zu hits, data %s", lh->n,
              none ? "none" : "filled");
        CHECK(ura_xdb_fetch_data(db, lh, &lerr) == URA_OK, "fetch data: %s", lerr.msg);
        char lazy[256] = "";
        for (size_t i = 0; i < lh->n; i++) {
            if (i)
                strcat(lazy, " ");
            strncat(lazy, lh->hits[i].data ? lh->hits[i].data : "(null)",
                    sizeof lazy - strlen(lazy) - 1);
        }
        CHECK_STR(lazy, "A1 A2 B1", "lazy page 1 once fetched");
        ura_xhits_free(lh);
    }

    /* two passages of one file: one hit, the other counted as collapsed */
    ura_xsearch c = {0, 10, 1, 0, NULL, 0};
    h = NULL;
    found(db, T("lokale"), &c, got, sizeof got, &h);
    if (h) {
        CHECK(h->n == 1 && h->total == 1 && h->hits[0].collapsed == 1,
              "collapse: %zu hits, total %llu, collapsed %u", h->n,
              (unsigned long long)h->total,
              h->n ? (unsigned)h->hits[0].collapsed : 0u);
        ura_xhits_free(h);
    }
    h = NULL;
    found(db, T("strpce"), &c, got, sizeof got, &h);
    CHECK_STR(got, "A2 C1", "collapse keeps other files");
    if (h) {
        CHECK(h->total == 2 && h->hits[0].collapsed == 0,
              "collapse of distinct files: total %llu",
              (unsigned long long)h->total);
        ura_xhits_free(h);
    }

    /* NULL options: the defaults */
    found(db, ALL(), NULL, got, sizeof got, NULL);
    CHECK_STR(got, "A1 A2 B1 C1 D1", "default options");
}

static void test_bad_trees(ura_xdb *db)
{
    char got[64];
    ura_xsearch opt = {0, 10, 0, 0, NULL, 0};
    ura_error err = {0};
    ura_xhits *h = (ura_xhits *)&err; /* must be reset to NULL on error */

    /* nested deeper than any parser would: refused, not a stack overflow */
    ura_qnode *deep = T("law");
    for (int i = 0; i < 70; i++)
        deep = AND(deep);
    CHECK(ura_xdb_search(db, deep, &opt, &h, &err) == URA_ERR_USAGE,
          "deep tree accepted");
    CHECK(h == NULL, "result set after an error");
    CHECK(strstr(err.msg, "64") != NULL, "depth message: %s", err.msg);
    qfree(deep);

    deep = T("law");
    for (int i = 0; i < 40; i++)
        deep = AND(deep);
    found(db, deep, &opt, got, sizeof got, NULL);
    CHECK_STR(got, "B1 D1", "40 levels");

    struct {
        const char *what;
        ura_qnode *q;
    } t[] = {
        {"empty term", T("")},
        {"empty prefix", PX("")},
        {"phrase of a prefix", PH(T("local"), PX("el"))},
        {"and without kids", qn(URA_Q_AND, NULL, END)},
        {"null tree", NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        found(db, t[i].q, &opt, got, sizeof got, NULL);
        CHECK_STR(got, "ERR 11", t[i].what);
    }
}

struct seen {
    char buf[256];
    int stop_at; /* stop after this many calls (0: never) */
    int calls;
};

static int meta_cb(void *ctx, const char *key, const char *val, size_t n)
{
    struct seen *s = ctx;
    size_t len = strlen(s->buf);
    snprintf(s->buf + len, sizeof s->buf - len, "%s%s=%.*s", len ? " " : "",
             key, (int)n, val);
    CHECK(val[n] == '\0', "value of %s not NUL-terminated", key);
    return ++s->calls == s->stop_at ? 42 : 0;
}

static int term_cb(void *ctx, const char *term, uint32_t freq)
{
    struct seen *s = ctx;
    size_t len = strlen(s->buf);
    snprintf(s->buf + len, sizeof s->buf - len, "%s%s:%u", len ? " " : "",
             term, (unsigned)freq);
    return ++s->calls == s->stop_at ? 7 : 0;
}

static void meta_is(ura_xdb *db, const char *key, const char *want)
{
    ura_error err = {0};
    char *v = (char *)&err;
    size_t n = 99;
    int rc = ura_xdb_meta_get(db, key, &v, &n, &err);
    CHECK(rc == URA_OK, "meta_get %s: %s", key, err.msg);
    if (!want) {
        CHECK(v == NULL && n == 0, "meta %s: got \"%s\", want unset", key,
              v ? v : "");
    } else {
        CHECK(v && n == strlen(want) && strcmp(v, want) == 0,
              "meta %s: got \"%s\", want \"%s\"", key, v ? v : "(unset)", want);
    }
    if (rc == URA_OK)
        free(v);
}

static void test_meta(const char *dir)
{
    ura_error err = {0};
    ura_xdb *db = NULL;
    char key[URA_XDB_KEY_MAX + 2];

    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    CHECK(ura_xdb_meta_set(db, "file:b", "22", 2, &err) == URA_OK, "set: %s",
          err.msg);
    CHECK(ura_xdb_meta_set(db, "file:a", "1", 1, &err) == URA_OK, "set: %s",
          err.msg);
    CHECK(ura_xdb_meta_set(db, "other", "x", 1, &err) == URA_OK, "set: %s",
          err.msg);
    CHECK(ura_xdb_meta_set(db, "file:c", "gone", 4, &err) == URA_OK, "set: %s",
          err.msg);
    CHECK(ura_xdb_meta_set(db, "file:c", NULL, 0, &err) == URA_OK,
          "delete: %s", err.msg);
    memset(key, 'k', URA_XDB_KEY_MAX);
    key[URA_XDB_KEY_MAX] = '\0';
    CHECK(ura_xdb_meta_set(db, key, "v", 1, &err) == URA_OK,
          "longest key: %s", err.msg);
    meta_is(db, key, "v");
    key[URA_XDB_KEY_MAX] = 'k';
    key[URA_XDB_KEY_MAX + 1] = '\0';
    CHECK(ura_xdb_meta_set(db, key, "v", 1, &err) == URA_ERR_USAGE,
          "key too long accepted");
    CHECK(ura_xdb_meta_set(db, "", "v", 1, &err) == URA_ERR_USAGE,
          "empty key accepted");
    meta_is(db, "file:a", "1"); /* a writer sees its batch */
    CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);
    ura_xdb_close(db);

    db = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    meta_is(db, "file:a", "1");
    meta_is(db, "file:b", "22");
    meta_is(db, "file:c", NULL);
    meta_is(db, "nothing", NULL);
    key[URA_XDB_KEY_MAX] = '\0';
    meta_is(db, key, "v");

    struct seen s = {"", 0, 0};
    CHECK(ura_xdb_meta_each(db, "file:", meta_cb, &s, &err) == URA_OK,
          "each: %s", err.msg);
    CHECK_STR(s.buf, "file:a=1 file:b=22", "meta_each file:");
    struct seen stop = {"", 1, 0};
    CHECK(ura_xdb_meta_each(db, NULL, meta_cb, &stop, &err) == 42,
          "meta_each did not pass the stop value up");
    CHECK_STR(stop.buf, "file:a=1", "meta_each stops");
    CHECK(ura_xdb_meta_set(db, "file:a", "2", 1, &err) == URA_ERR_USAGE,
          "read-only handle wrote metadata");
    ura_xdb_close(db);
}

static void test_stats(ura_xdb *db)
{
    ura_error err = {0};
    struct seen s = {"", 0, 0};
    CHECK(ura_xdb_terms_each(db, "XL", term_cb, &s, &err) == URA_OK,
          "terms_each: %s", err.msg);
    CHECK_STR(s.buf, "XLen:2 XLsq:2 XLsr:1", "terms_each XL");
    struct seen stop = {"", 2, 0};
    CHECK(ura_xdb_terms_each(db, "XF", term_cb, &stop, &err) == 7,
          "terms_each did not pass the stop value up");
    CHECK_STR(stop.buf, "XFhtml:4 XFpdf:1", "terms_each stops");
    CHECK(ura_xdb_termfreq(db, "XLsq") == 2, "termfreq XLsq");
    CHECK(ura_xdb_termfreq(db, "XLxx") == 0, "termfreq XLxx");
    CHECK(ura_xdb_doccount(db) == NSAMPLES, "doccount %u",
          (unsigned)ura_xdb_doccount(db));
}

/* Terms Xapian cannot store are skipped; the document still goes in. */
static void test_long_terms(const char *dir)
{
    ura_error err = {0};
    ura_xdb *db = NULL;
    char got[64];
    char t245[URA_XDB_TERM_MAX + 1], t246[URA_XDB_TERM_MAX + 2];
    memset(t245, 'a', URA_XDB_TERM_MAX);
    t245[URA_XDB_TERM_MAX] = '\0';
    memset(t246, 'b', URA_XDB_TERM_MAX + 1);
    t246[URA_XDB_TERM_MAX + 1] = '\0';

    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    ura_xdoc *d = ura_xdoc_new();
    ura_xdoc_add_posting(d, "long", 4, 1);
    ura_xdoc_add_posting(d, t246, strlen(t246), 2);
    ura_xdoc_add_posting(d, t245, strlen(t245), 3);
    ura_xdoc_add_term(d, t246, strlen(t246), 1);
    ura_xdoc_add_boolean(d, t246, strlen(t246));
    ura_xdoc_add_posting(d, "", 0, 4);
    ura_xdoc_add_boolean(d, "QL1", 3);
    ura_xdoc_set_data(d, "L1", 2);
    CHECK(ura_xdb_replace(db, "QL1", d, &err) == URA_OK,
          "over-long term not skipped: %s", err.msg);
    ura_xdoc_free(d);
    /* Xapian stores a NUL byte as two: such terms are measured so */
    char nuls[124];
    memset(nuls, 0, sizeof nuls);
    d = ura_xdoc_new();
    ura_xdoc_add_boolean(d, "QL2", 3);
    ura_xdoc_add_posting(d, "nuls", 4, 1);
    ura_xdoc_add_posting(d, nuls, 123, 2); /* 246 stored bytes: skipped */
    ura_xdoc_add_posting(d, nuls, 122, 3); /* 244: kept */
    ura_xdoc_set_data(d, "L2", 2);
    CHECK(ura_xdb_replace(db, "QL2", d, &err) == URA_OK, "replace: %s",
          err.msg);
    ura_xdoc_free(d);
    CHECK(ura_xdb_commit(db, &err) == URA_OK, "NUL term broke the batch: %s",
          err.msg);
    CHECK(ura_xdb_termfreq(db, "nuls") == 1, "document with NUL terms lost");
    ura_qnode *q = T("");
    q->term = ura_xrealloc(q->term, 123); /* 122 NULs, NUL-terminated */
    memset(q->term, 0, 123);
    q->term_len = 122;
    found(db, q, NULL, got, sizeof got, NULL);
    CHECK_STR(got, "L2", "122 NULs found");
    CHECK(ura_xdb_termfreq(db, t245) == 1, "245-byte term missing");
    CHECK(ura_xdb_termfreq(db, t246) == 0, "246-byte term stored");
    found(db, T(t245), NULL, got, sizeof got, NULL);
    CHECK_STR(got, "L1", "245-byte term found");
    ura_xdb_close(db);
}

/* A batch is all or nothing: closing without commit discards it, even
 * past Xapian's own flush threshold. */
static void test_batches(const char *dir)
{
    ura_error err = {0};
    ura_xdb *db = NULL;

    /* a fresh index never committed: exists, holds nothing */
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    add_sample(db, &samples[0]);
    ura_xdb_meta_set(db, "k", "v", 1, &err);
    CHECK(ura_xdb_doccount(db) == 1, "writer does not see its batch");
    ura_xdb_close(db);
    db = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (db) {
        CHECK(ura_xdb_doccount(db) == 0, "uncommitted docs kept: %u",
              (unsigned)ura_xdb_doccount(db));
        meta_is(db, "k", NULL);
        ura_xdb_close(db);
    }

    /* committed state survives an abandoned second batch, however big */
    db = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    add_sample(db, &samples[0]);
    CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);
    for (int i = 0; i < 150; i++) {
        char uid[32];
        ura_xdoc *d = ura_xdoc_new();
        snprintf(uid, sizeof uid, "Qbig%d", i);
        ura_xdoc_add_posting(d, "big", 3, 1);
        ura_xdoc_add_boolean(d, uid, strlen(uid));
        CHECK(ura_xdb_replace(db, uid, d, &err) == URA_OK, "replace: %s",
              err.msg);
        ura_xdoc_free(d);
    }
    ura_xdb_delete_term(db, "XPA", &err);
    ura_xdb_close(db);
    db = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (db) {
        CHECK(ura_xdb_doccount(db) == 1, "abandoned batch leaked: %u docs",
              (unsigned)ura_xdb_doccount(db));
        CHECK(ura_xdb_termfreq(db, "big") == 0, "abandoned batch leaked");
        ura_xdb_close(db);
    }
}

/* The same, with Xapian told to flush every 10 documents: the transaction
 * must still hold the batch back. */
static void test_flush_threshold(const char *dir)
{
    ura_error err = {0};
    ura_xdb *db = NULL;
    setenv("XAPIAN_FLUSH_THRESHOLD", "10", 1);
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s",
          err.msg);
    unsetenv("XAPIAN_FLUSH_THRESHOLD");
    if (!db)
        return;
    for (int i = 0; i < 55; i++) {
        char uid[32];
        ura_xdoc *d = ura_xdoc_new();
        snprintf(uid, sizeof uid, "Qf%d", i);
        ura_xdoc_add_posting(d, "flushed", 7, 1);
        ura_xdoc_add_boolean(d, uid, strlen(uid));
        ura_xdb_replace(db, uid, d, &err);
        ura_xdoc_free(d);
        if (i == 29) {
            /* a reader now must not see any part of the batch */
            ura_xdb *r = NULL;
            CHECK(ura_xdb_open(dir, URA_XDB_READ, &r, &err) == URA_OK,
                  "open reader: %s", err.msg);
            CHECK(r && ura_xdb_termfreq(r, "flushed") == 0,
                  "half a batch visible to a reader");
            ura_xdb_close(r);
        }
    }
    CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);
    ura_xdb *r = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &r, &err) == URA_OK, "open: %s",
          err.msg);
    CHECK(r && ura_xdb_termfreq(r, "flushed") == 55, "committed batch: %u",
          r ? (unsigned)ura_xdb_termfreq(r, "flushed") : 0u);
    ura_xdb_close(r);
    ura_xdb_close(db);
}

static void test_delete(const char *dir)
{
    ura_error err = {0};
    ura_xdb *db = NULL;
    char got[64];
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    CHECK(ura_xdb_delete_term(db, "XPA", &err) == URA_OK, "delete: %s",
          err.msg);
    CHECK(ura_xdb_delete_term(db, "XPnone", &err) == URA_OK,
          "delete of nothing: %s", err.msg);
    CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);
    ura_xdb_close(db);

    db = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    CHECK(ura_xdb_doccount(db) == NSAMPLES - 2, "doccount after delete %u",
          (unsigned)ura_xdb_doccount(db));
    found(db, T("lokale"), NULL, got, sizeof got, NULL);
    CHECK_STR(got, "", "deleted passages");
    found(db, T("strpce"), NULL, got, sizeof got, NULL);
    CHECK_STR(got, "C1", "other files kept");
    ura_xdb_close(db);
}

/* replace() with an existing uid replaces, not adds. */
static void test_replace(const char *dir)
{
    ura_error err = {0};
    ura_xdb *db = NULL;
    char got[64];
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open: %s",
          err.msg);
    if (!db)
        return;
    uint32_t before = ura_xdb_doccount(db);
    ura_xdoc *d = ura_xdoc_new();
    ura_xdoc_add_posting(d, "replaced", 8, 1);
    ura_xdoc_add_boolean(d, "QB1", 3);
    ura_xdoc_set_data(d, "B1", 2);
    CHECK(ura_xdb_replace(db, "QB1", d, &err) == URA_OK, "replace: %s",
          err.msg);
    ura_xdoc_free(d);
    CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);
    CHECK(ura_xdb_doccount(db) == before, "replace added a document");
    found(db, T("elections"), NULL, got, sizeof got, NULL);
    CHECK_STR(got, "D1", "old text gone");
    found(db, T("replaced"), NULL, got, sizeof got, NULL);
    CHECK_STR(got, "B1", "new text found");
    ura_xdb_close(db);
}

static void test_lock(const char *dir)
{
    ura_error err = {0};
    ura_xdb *w1 = NULL, *w2 = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &w1, &err) == URA_OK, "open: %s",
          err.msg);
    if (!w1)
        return;
    int rc = ura_xdb_open(dir, URA_XDB_WRITE, &w2, &err);
    CHECK(rc == URA_ERR_LOCKED && w2 == NULL, "second writer: %d", rc);
    CHECK(strstr(err.msg, dir) && strstr(err.msg, "locked"),
          "lock message: %s", err.msg);
    ura_xdb_close(w2);

    /* and from another process */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        ura_xdb *w = NULL;
        ura_error e = {0};
        int r = ura_xdb_open(dir, URA_XDB_WRITE, &w, &e);
        ura_xdb_close(w);
        _exit(r);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == URA_ERR_LOCKED,
          "writer in another process: status %d", status);

    /* readers are not locked out */
    ura_xdb *r = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &r, &err) == URA_OK,
          "reader while writing: %s", err.msg);
    ura_xdb_close(r);
    ura_xdb_close(w1);

    w2 = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &w2, &err) == URA_OK,
          "lock not released on close: %s", err.msg);
    ura_xdb_close(w2);
}

/* A reader whose revision a writer has overwritten (two commits that
 * rewrite a thousand passages are enough) moves to the new revision and
 * retries; iterations resume after the last key they handed out. */
#define CHURN_DOCS 1000

static void churn(ura_xdb *w, int round)
{
    ura_error err = {0};
    char uid[32], word[32], val[64];
    for (int i = 0; i < CHURN_DOCS; i++) {
        ura_xdoc *d = ura_xdoc_new();
        snprintf(uid, sizeof uid, "Qm%04d", i);
        snprintf(word, sizeof word, "t%04d", i);
        ura_xdoc_add_posting(d, "common", 6, 1);
        ura_xdoc_add_posting(d, word, strlen(word), 2);
        snprintf(word, sizeof word, "r%d", round);
        ura_xdoc_add_posting(d, word, strlen(word), 3);
        ura_xdoc_add_boolean(d, uid, strlen(uid));
        snprintf(val, sizeof val, "%s round %d padding padding padding", uid,
                 round);
        ura_xdoc_set_data(d, val, strlen(val));
        ura_xdb_replace(w, uid, d, &err);
        ura_xdoc_free(d);
        snprintf(word, sizeof word, "m%04d", i);
        ura_xdb_meta_set(w, word, val, strlen(val), &err);
    }
    CHECK(ura_xdb_commit(w, &err) == URA_OK, "commit: %s", err.msg);
}

struct churner {
    ura_xdb *w;
    int round;
    int calls, disorder;
    char last[32];
};

static void churn_twice(struct churner *c)
{
    churn(c->w, ++c->round);
    churn(c->w, ++c->round);
}

static void saw(struct churner *c, const char *key)
{
    if (c->calls++ == 0)
        churn_twice(c);
    else if (strcmp(key, c->last) <= 0)
        c->disorder++;
    snprintf(c->last, sizeof c->last, "%s", key);
}

static int churn_term_cb(void *ctx, const char *term, uint32_t freq)
{
    (void)freq;
    saw(ctx, term);
    return 0;
}

static int churn_meta_cb(void *ctx, const char *key, const char *val, size_t n)
{
    (void)val, (void)n;
    saw(ctx, key);
    return 0;
}

static void test_modified(const char *dir)
{
    ura_error err = {0};
    ura_xdb *r = NULL, *w = NULL;
    ura_xhits *h = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &w, &err) == URA_OK, "open: %s",
          err.msg);
    if (!w)
        return;
    churn(w, 0);
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &r, &err) == URA_OK, "open: %s",
          err.msg);
    if (!r) {
        ura_xdb_close(w);
        return;
    }
    struct churner c = {w, 0, 0, 0, ""};

    churn_twice(&c);
    ura_qnode *q = T("common");
    int rc = ura_xdb_search(r, q, &(ura_xsearch){0, 10, 0, 0, NULL, 0}, &h, &err);
    qfree(q);
    CHECK(rc == URA_OK, "search on a reader left behind: %s", err.msg);
    if (h) {
        CHECK(h->total == CHURN_DOCS && h->n == 10 &&
                  strstr(h->hits[0].data, "round 2"),
              "reader not moved on: %llu hits, %s",
              (unsigned long long)h->total, h->n ? h->hits[0].data : "");
        ura_xhits_free(h);
    }

    /* fresh readers, so that the writer overtakes them mid-iteration */
    ura_xdb_close(r);
    r = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &r, &err) == URA_OK, "open: %s",
          err.msg);
    if (!r)
        goto out;
    c.calls = 0;
    rc = ura_xdb_terms_each(r, "t", churn_term_cb, &c, &err);
    CHECK(rc == URA_OK, "terms_each on a reader left behind: %s", err.msg);
    CHECK(c.calls == CHURN_DOCS && c.disorder == 0,
          "terms_each: %d terms, %d out of order", c.calls, c.disorder);

    ura_xdb_close(r);
    r = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_READ, &r, &err) == URA_OK, "open: %s",
          err.msg);
    if (!r)
        goto out;
    c.calls = 0;
    c.last[0] = '\0';
    rc = ura_xdb_meta_each(r, "m", churn_meta_cb, &c, &err);
    CHECK(rc == URA_OK, "meta_each on a reader left behind: %s", err.msg);
    CHECK(c.calls == CHURN_DOCS && c.disorder == 0,
          "meta_each: %d keys, %d out of order", c.calls, c.disorder);

    CHECK(ura_xdb_doccount(r) == CHURN_DOCS, "doccount");
out:
    ura_xdb_close(r);
    ura_xdb_close(w);
}

static void test_errors(void)
{
    ura_error err = {0};
    ura_xdb *db = (ura_xdb *)&err;
    char path[128];

    snprintf(path, sizeof path, "%s/nothing", tmp);
    CHECK(ura_xdb_open(path, URA_XDB_READ, &db, &err) == URA_ERR_NOINDEX,
          "missing index: %s", err.msg);
    CHECK(db == NULL, "handle after an error");
    CHECK(strstr(err.msg, "no index at") && strstr(err.msg, path),
          "message: %s", err.msg);

    snprintf(path, sizeof path, "%s/empty", tmp);
    mkdir(path, 0700);
    CHECK(ura_xdb_open(path, URA_XDB_READ, &db, &err) == URA_ERR_NOINDEX,
          "empty folder: %s", err.msg);

    snprintf(path, sizeof path, "%s/file", tmp);
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/file/index", tmp);
    CHECK(ura_xdb_open(path, URA_XDB_READ, &db, &err) == URA_ERR_NOINDEX,
          "index under a file: %s", err.msg);
    int rc = ura_xdb_open(path, URA_XDB_WRITE, &db, &err);
    CHECK(rc == URA_ERR_RUNTIME && strstr(err.msg, path),
          "writer under a file: %d %s", rc, err.msg);

    CHECK(ura_xdb_open("", URA_XDB_READ, &db, &err) == URA_ERR_USAGE,
          "empty path");

    /* a damaged index says how to rebuild it */
    snprintf(path, sizeof path, "%s/damaged", tmp);
    db = NULL;
    if (ura_xdb_open(path, URA_XDB_WRITE, &db, &err) == URA_OK) {
        add_sample(db, &samples[0]);
        ura_xdb_commit(db, &err);
        ura_xdb_close(db);
        char t[160];
        snprintf(t, sizeof t, "%s/postlist.glass", path);
        int fd = open(t, O_WRONLY);
        if (fd >= 0) {
            char junk[8192];
            memset(junk, 0x5a, sizeof junk);
            CHECK(pwrite(fd, junk, sizeof junk, 0) == (ssize_t)sizeof junk,
                  "damage");
            close(fd);
        }
        db = NULL;
        rc = ura_xdb_open(path, URA_XDB_READ, &db, &err);
        if (rc == URA_OK) {
            ura_xhits *h = NULL;
            ura_qnode *q = T("ligji");
            rc = ura_xdb_search(db, q, NULL, &h, &err);
            qfree(q);
            ura_xhits_free(h);
            ura_xdb_close(db);
        }
        CHECK(rc == URA_ERR_RUNTIME && strstr(err.msg, "damaged") &&
                  strstr(err.msg, "ura index"),
              "damaged index: %d %s", rc, err.msg);
    }
}

/* A WORD: its kids add up, each scaled by its class; exact above folded
 * above stemmed; a class weighted 0 is left out; BM25 parameters apply. */
static void test_word(const char *dir)
{
    static const struct {
        const char *id;
        const char *terms[4];
    } docs[] = {
        {"X1", {"komunes", "Ekomunës", "Zsqkomun", "a"}},  /* exact form   */
        {"X2", {"komunes", "Zsqkomun", "a", "b"}},         /* folded only  */
        {"X3", {"komuna", "Zsqkomun", "a", "b"}},          /* stem only    */
        {"Y1", {"a", "b", "c", "d"}}, {"Y2", {"a", "b", "c", "d"}},
        {"Y3", {"a", "b", "c", "d"}}, {"Y4", {"a", "b", "c", "d"}},
        {"Y5", {"a", "b", "c", "d"}},
    };
    ura_error err = {0};
    ura_xdb *db = NULL;
    CHECK(ura_xdb_open(dir, URA_XDB_WRITE, &db, &err) == URA_OK, "open %s: %s", dir, err.msg);
    if (!db)
        return;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        ura_xdoc *d = ura_xdoc_new();
        for (int k = 0; k < 4; k++)
            ura_xdoc_add_term(d, docs[i].terms[k], strlen(docs[i].terms[k]), 1);
        char uid[16];
        snprintf(uid, sizeof uid, "Q%s", docs[i].id);
        ura_xdoc_add_boolean(d, uid, strlen(uid));
        ura_xdoc_set_data(d, docs[i].id, strlen(docs[i].id));
        CHECK(ura_xdb_replace(db, uid, d, &err) == URA_OK, "replace: %s", err.msg);
        ura_xdoc_free(d);
    }
    CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);

    ura_qnode *ex = qn(URA_Q_TERM, "Ekomunës", END), *stem = qn(URA_Q_TERM, "Zsqkomun", END);
    ex->weight = URA_W_EXACT;
    stem->weight = URA_W_STEM;
    ura_qnode *w = qn(URA_Q_WORD, NULL, T("komunes"), ex, stem, END);
    ura_xsearch opt = {0, 10, 0, 0, NULL, 0};
    ura_xhits *h = NULL;
    CHECK(ura_xdb_search(db, w, &opt, &h, &err) == URA_OK, "word: %s", err.msg);
    if (h) {
        CHECK(h->n == 3, "word: %zu hits, want 3 (X1 X2 X3)", h->n);
        const char *want[] = {"X1", "X2", "X3"};
        for (size_t i = 0; i < h->n && i < 3; i++)
            CHECK(strcmp(h->hits[i].data, want[i]) == 0, "word: hit %zu is %s, want %s "
                  "(exact > folded > stem)", i + 1, h->hits[i].data, want[i]);
        ura_xhits_free(h);
        h = NULL;
    }

    /* stems weighted 0: left out, so X3 is not found */
    ura_xrank r;
    ura_xrank_defaults(&r);
    r.w[URA_W_STEM] = 0;
    opt.rank = &r;
    char got[256];
    ura_qnode *w2 = qn(URA_Q_WORD, NULL, T("komunes"), stem = qn(URA_Q_TERM, "Zsqkomun", END),
                       END);
    stem->weight = URA_W_STEM;
    found(db, w2, &opt, got, sizeof got, NULL);
    CHECK_STR(got, "X1 X2", "word without stems");

    /* BM25 parameters reach Xapian: the same hit weighs otherwise with
     * k1 = 0 and b = 1 than with the defaults */
    ura_xhits *h0 = NULL;
    opt.rank = NULL;
    found(db, T("komunes"), &opt, got, sizeof got, &h0);
    ura_xrank_defaults(&r);
    r.k1 = 0;
    r.b = 1;
    opt.rank = &r;
    found(db, T("komunes"), &opt, got, sizeof got, &h);
    if (h && h0) {
        CHECK(h->n == 2 && h0->n == 2 && h->hits[0].score != h0->hits[0].score,
              "k1 = 0: score %g, defaults %g", h->n ? h->hits[0].score : 0.0,
              h0->n ? h0->hits[0].score : 0.0);
    }
    ura_xhits_free(h);
    ura_xhits_free(h0);
    /* a WORD without kids is a malformed tree */
    ura_qnode *empty = qn(URA_Q_WORD, NULL, END);
    found(db, empty, &opt, got, sizeof got, NULL);
    CHECK(strncmp(got, "ERR", 3) == 0, "empty WORD: %s", got);
    qfree(w);
    ura_xdb_close(db);
}

int main(void)
{
    ura_error err = {0};
    ura_xdb *db = NULL;
    char dir[128], path[128];

    unsetenv("XAPIAN_FLUSH_THRESHOLD");
    snprintf(tmp, sizeof tmp, "/tmp/ura-xdb-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    /* WRITE creates the folders above the index too */
    snprintf(dir, sizeof dir, "%s/a/b/index", tmp);

    int rc = ura_xdb_open(dir, URA_XDB_WRITE, &db, &err);
    CHECK(rc == URA_OK, "create %s: %d %s", dir, rc, err.msg);
    if (db) {
        for (size_t i = 0; i < NSAMPLES; i++)
            add_sample(db, &samples[i]);
        CHECK(ura_xdb_commit(db, &err) == URA_OK, "commit: %s", err.msg);
        CHECK(ura_xdb_commit(db, &err) == URA_OK, "empty commit: %s",
              err.msg);
        ura_xdb_close(db);
    }

    db = NULL;
    rc = ura_xdb_open(dir, URA_XDB_READ, &db, &err);
    CHECK(rc == URA_OK, "reopen %s: %d %s", dir, rc, err.msg);
    if (db) {
        test_queries(db);
        test_weights(db);
        test_paging(db);
        test_bad_trees(db);
        test_stats(db);
        CHECK(ura_xdb_commit(db, &err) == URA_ERR_USAGE,
              "commit on a reader");
        ura_xdoc *d = ura_xdoc_new();
        CHECK(ura_xdb_replace(db, "Qx", d, &err) == URA_ERR_USAGE,
              "replace on a reader");
        CHECK(ura_xdb_delete_term(db, "XPA", &err) == URA_ERR_USAGE,
              "delete on a reader");
        ura_xdoc_free(d);
        ura_xdb_close(db);
    }

    test_meta(dir);
    test_replace(dir);
    test_delete(dir);
    test_lock(dir);

    snprintf(path, sizeof path, "%s/modified", tmp);
    test_modified(path);
    snprintf(path, sizeof path, "%s/long", tmp);
    test_long_terms(path);
    snprintf(path, sizeof path, "%s/batch", tmp);
    test_batches(path);
    snprintf(path, sizeof path, "%s/flush", tmp);
    test_flush_threshold(path);
    snprintf(path, sizeof path, "%s/word", tmp);
    test_word(path);
    test_errors();
    ura_xdb_close(NULL);
    ura_xdoc_free(NULL);

    nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return check_finish("xdb");
}
