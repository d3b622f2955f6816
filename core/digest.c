/* digest.c — a file's passages analysed, as bytes, and their strict
 * decoding (digest.h). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "gazetteer.h"
#include "legal.h"
#include "passage.h"
#include "query.h"
#include "refs.h"
#include "terms.h"

/* Gap in word positions between a passage's heading and its text, so that
 * a phrase cannot match across them. */
#define HEADING_GAP 8

/* Place names span up to this many words. */
#define PLACE_RUN 4

/* ==================== encoding ==================== */

static void put_var(ura_buf *b, uint64_t v)
{
    unsigned char t[10];
    size_t n = 0;
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        t[n++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
    ura_buf_add(b, t, n);
}

static void put_str(ura_buf *b, const char *z, size_t n)
{
    put_var(b, n);
    ura_buf_add(b, z, n);
}

static void put_strz(ura_buf *b, const char *z)
{
    put_str(b, z ? z : "", z ? strlen(z) : 0);
}

/* An optional string: 0 when absent, else its length + 1. */
static void put_opt(ura_buf *b, const char *z)
{
    if (!z) {
        put_var(b, 0);
        return;
    }
    size_t n = strlen(z);
    put_var(b, (uint64_t)n + 1);
    ura_buf_add(b, z, n);
}

/* ==================== building ==================== */

typedef struct builder {
    ura_analyser *an;
    ura_stemmer *st;
    ura_terms *x;           /* the passage being analysed (reused)         */
    int positions;
    enum ura_stem_lang slang; /* the passage's stemming language           */
    char field;             /* 'H' heading, 'T' title, 0 text               */
    /* The last words seen, for place names (core/gazetteer.c) that span
     * up to PLACE_RUN words: whichever place a run of words starting at
     * place_w[0] names is indexed as URA_PREFIX_PLACE + its id. */
    char place_w[PLACE_RUN][URA_TERM_MAX + 1];
    size_t place_n;
} builder;

/* Matches place names at the front of the window and drops the words
 * used (or the first word when none starts there). */
static void place_front(builder *b)
{
    const char *terms[PLACE_RUN];
    size_t lens[PLACE_RUN];
    for (size_t i = 0; i < b->place_n; i++) {
        terms[i] = b->place_w[i];
        lens[i] = strlen(b->place_w[i]);
    }
    const ura_place *p = NULL;
    size_t took = ura_gazetteer_match(terms, lens, b->place_n, &p);
    if (took && p) {
        ura_buf t = {0};
        ura_buf_printf(&t, "%s%s", URA_PREFIX_PLACE, p->id);
        ura_terms_add(b->x, t.p, t.n, 1);
        ura_buf_free(&t);
    } else {
        took = 1;
    }
    if (took > b->place_n)
        took = b->place_n;
    memmove(b->place_w, b->place_w + took, (b->place_n - took) * sizeof b->place_w[0]);
    b->place_n -= took;
}

/* Ends a run of words: the places in what is left. */
static void place_flush(builder *b)
{
    while (b->place_n)
        place_front(b);
}

static int on_token(void *ctx, const ura_token *t)
{
    builder *b = ctx;
    ura_stem_index_token(b->st, b->x, b->slang, t, b->positions ? t->pos : 0, b->field);
    if (t->kind != URA_TOKEN_WORD || t->term_len > URA_TERM_MAX) {
        place_flush(b);
        return URA_OK;
    }
    if (b->place_n == PLACE_RUN)
        place_front(b);
    memcpy(b->place_w[b->place_n], t->term, t->term_len);
    b->place_w[b->place_n][t->term_len] = '\0';
    b->place_n++;
    return URA_OK;
}

static void add_bool(ura_terms *x, const char *prefix, const char *value)
{
    ura_buf b = {0};
    ura_buf_printf(&b, "%s%s", prefix, value);
    ura_terms_add(x, b.p, b.n, 0);
    ura_buf_free(&b);
}

/* A boolean term with its value lowercased (ASCII), as the query parser
 * lowercases field values. */
static void add_lower(ura_terms *x, const char *prefix, const char *value, size_t n)
{
    ura_buf b = {0};
    ura_buf_adds(&b, prefix);
    ura_buf_add(&b, value, n);
    for (size_t i = strlen(prefix); i < b.n; i++)
        if (b.p[i] >= 'A' && b.p[i] <= 'Z')
            b.p[i] = (char)(b.p[i] + 32);
    ura_terms_add(x, b.p, b.n, 0);
    ura_buf_free(&b);
}

/* The acts a passage cites, once each, with the offset of the first
 * mention: "03/L-047@120 constitution@512". */
typedef struct cited {
    const char *own;   /* the passage's own act number: not a citation */
    ura_buf list;
    size_t n;
} cited;

static int on_ref(void *ctx, const ura_ref *ref)
{
    cited *c = ctx;
    const char *law = ref->constitution ? "constitution" : ref->law;
    if (!*law || strcmp(law, c->own) == 0)
        return 0;
    /* once each: look for " law@" in what we have */
    size_t k = strlen(law);
    for (const char *p = c->list.p; p && (p = strstr(p, law)) != NULL; p += k)
        if ((p == c->list.p || p[-1] == ' ') && p[k] == '@')
            return 0;
    ura_buf_printf(&c->list, "%s%s@%zu", c->list.n ? " " : "", law, ref->start);
    return ++c->n >= 256; /* enough for one passage */
}

/* Encoding the analysed terms of a passage. */
typedef struct term_enc {
    ura_buf *out;
    size_t n;
} term_enc;

static void on_term(void *ctx, const char *t, size_t n, uint32_t wdf, const uint32_t *pos,
                    size_t npos)
{
    term_enc *e = ctx;
    put_str(e->out, t, n);
    put_var(e->out, wdf);
    put_var(e->out, npos);
    uint32_t last = 0;
    for (size_t i = 0; i < npos; i++) {
        put_var(e->out, pos[i] - last);
        last = pos[i];
    }
    e->n++;
}

/* One passage: its fields, then its terms. */
static int build_passage(builder *b, const ura_doc *d, const char *title, const char *type,
                         const char *year, const ura_passage *p, ura_buf *out, ura_error *err)
{
    ura_terms *x = b->x;
    ura_terms_reset(x);
    add_bool(x, URA_PREFIX_LANG, p->lang);
    const char *dash = strchr(p->lang, '-');
    if (dash) {
        char base[16];
        snprintf(base, sizeof base, "%.*s", (int)(dash - p->lang), p->lang);
        add_bool(x, URA_PREFIX_LANG, base);
    }
    add_bool(x, URA_PREFIX_TYPE, type);
    if (*year)
        add_bool(x, URA_PREFIX_YEAR, year);
    if (*p->law)
        add_lower(x, URA_PREFIX_LAW, p->law, strlen(p->law));
    if (*p->article)
        add_lower(x, URA_PREFIX_ARTICLE, p->article, strlen(p->article));
    cited c = {p->law, {0}, 0};
    ura_refs_find(p->text, p->text_len, on_ref, &c);
    for (const char *q = c.list.p; q && *q;) {
        const char *at = strchr(q, '@');
        add_lower(x, URA_PREFIX_CITES, q, (size_t)(at - q));
        q = strchr(at, ' ');
        q = q ? q + 1 : NULL;
    }

    uint32_t pos = 1;
    int rc = URA_OK;
    b->positions = 1;
    b->slang = ura_stem_lang_of(p->lang);
    b->field = 'H';
    b->place_n = 0;
    if (p->heading) {
        rc = ura_analyse(b->an, p->heading, strlen(p->heading), pos, &pos, on_token, b, err);
        place_flush(b);
        pos += HEADING_GAP;
    }
    b->field = 0;
    if (rc == URA_OK)
        rc = ura_analyse(b->an, p->text, p->text_len, pos, &pos, on_token, b, err);
    place_flush(b);
    /* The document's title counts for every passage, without positions. */
    b->positions = 0;
    b->field = 'T';
    if (rc == URA_OK && title)
        rc = ura_analyse(b->an, title, strlen(title), 1, NULL, on_token, b, err);
    place_flush(b);
    (void)d;

    if (rc == URA_OK) {
        put_strz(out, p->lang);
        put_opt(out, p->heading);
        put_var(out, p->page > 0 ? (uint64_t)p->page : 0);
        put_var(out, p->page_end > 0 ? (uint64_t)p->page_end : 0);
        put_opt(out, p->pages);
        put_strz(out, p->article);
        put_strz(out, p->law);
        put_strz(out, p->part);
        put_opt(out, p->act_title);
        put_opt(out, c.list.p);
        put_str(out, p->text ? p->text : "", p->text_len);
        /* the terms, counted first */
        term_enc e = {out, 0};
        put_var(out, ura_terms_count(x));
        ura_terms_each(x, on_term, &e);
    }
    ura_buf_free(&c.list);
    return rc;
}

/* The title to show for a document: its metadata title, else its first
 * heading, else the file's name.  Malloc'd. */
static char *doc_title(const ura_doc *d, const char *path)
{
    const char *t = ura_doc_meta(d, "title");
    if (t && *t)
        return ura_xstrdup(t);
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == URA_NODE_HEADING && d->blocks[i].len) {
            const char *z = d->text.p + d->blocks[i].off;
            size_t n = d->blocks[i].len;
            if (n > 300) /* cut on a character boundary */
                for (n = 300; n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80;)
                    n--;
            return ura_xstrndup(z, n);
        }
    const char *slash = strrchr(path, '/');
    return ura_xstrdup(slash ? slash + 1 : path);
}

int ura_digest_build(ura_analyser *an, ura_langid *lid, ura_stemmer *st, const ura_doc *d,
                     ura_buf *out, ura_error *err)
{
    ura_passage *ps;
    size_t np;
    ura_passages_build(d, an, lid, &ps, &np);
    char *title = doc_title(d, d->path);
    const char *type = ura_act_type(an, title);
    const char *date = ura_doc_meta(d, "date");
    int y = ura_act_year(date ? date : ura_doc_meta(d, "created"), title);
    char year[8] = "";
    if (y > 0 && y < 10000)
        snprintf(year, sizeof year, "%d", y);
    /* a title from metadata may be long: the record and every passage
     * hold it, cut on a character boundary */
    size_t tn = strlen(title);
    if (tn > URA_DIGEST_MAX_TITLE) {
        for (tn = URA_DIGEST_MAX_TITLE; tn > 0 && ((unsigned char)title[tn] & 0xC0) == 0x80;)
            tn--;
        title[tn] = '\0';
    }
    put_str(out, title, tn);
    put_strz(out, type);
    put_var(out, (uint64_t)y * (*year != 0));
    put_var(out, np);
    builder b = {an, st, ura_terms_new(), 0, URA_STEM_NONE, 0, {{0}}, 0};
    int rc = URA_OK;
    for (size_t i = 0; i < np && rc == URA_OK; i++)
        rc = build_passage(&b, d, title, type, year, &ps[i], out, err);
    ura_terms_free(b.x);
    free(title);
    ura_passages_free(ps, np);
    return rc;
}

/* ==================== decoding ==================== */

typedef struct cur {
    const unsigned char *p, *end;
    char *why;
    size_t wn;
    int bad;
} cur;

static int fail(cur *c, const char *what)
{
    if (!c->bad)
        snprintf(c->why, c->wn, "digest: %s", what);
    c->bad = 1;
    c->p = c->end;
    return -1;
}

static uint64_t get_var(cur *c, uint64_t max, const char *what)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (c->p >= c->end) {
            fail(c, "cut short");
            return 0;
        }
        unsigned char b = *c->p++;
        if (shift == 63 && b > 1) {
            fail(c, "number too large");
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
        if (shift == 63) {
            fail(c, "number too long");
            return 0;
        }
    }
    if (v > max) {
        char m[96];
        snprintf(m, sizeof m, "%s %llu over the limit %llu", what, (unsigned long long)v,
                 (unsigned long long)max);
        fail(c, m);
        return 0;
    }
    return v;
}

/* Valid UTF-8 without NUL. */
static int text_ok(const char *z, size_t n)
{
    const unsigned char *u = (const unsigned char *)z;
    for (size_t i = 0; i < n;) {
        if (u[i] && u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = u[i] ? ura_utf8_seq(u + i, n - i) : 0;
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* A string of at most max bytes (absent when opt and its length is 0). */
static ura_dstr get_str(cur *c, size_t max, int opt, const char *what)
{
    ura_dstr s = {NULL, 0};
    uint64_t n = get_var(c, (uint64_t)max + (opt != 0), what);
    if (c->bad)
        return s;
    if (opt) {
        if (n == 0)
            return s;
        n--;
    }
    if (n > (uint64_t)(c->end - c->p)) {
        fail(c, "cut short");
        return s;
    }
    s.p = (const char *)c->p;
    s.n = (size_t)n;
    c->p += n;
    if (!text_ok(s.p, s.n)) {
        char m[80];
        snprintf(m, sizeof m, "%s is not valid UTF-8 without NUL", what);
        fail(c, m);
        s.p = NULL;
        s.n = 0;
    }
    return s;
}

/* A short field (language, article, act number, type) into out
 * (URA_DIGEST_MAX_TAG + 1 bytes). */
static void get_tag(cur *c, char *out, const char *what)
{
    ura_dstr s = get_str(c, URA_DIGEST_MAX_TAG, 0, what);
    out[0] = '\0';
    if (c->bad)
        return;
    memcpy(out, s.p, s.n);
    out[s.n] = '\0';
}

int ura_digest_term_allowed(const char *t, size_t n)
{
    if (n == 0 || n > URA_XDB_TERM_MAX)
        return 0;
    unsigned char c0 = (unsigned char)t[0];
    if (c0 < 'A' || c0 > 'Z')
        return 1; /* a folded word, a number, an act number */
    if (c0 == 'E' || c0 == 'Z' || c0 == 'T' || c0 == 'H')
        return 1; /* exact form, stem, title word, heading word */
    static const char *const x[] = {URA_PREFIX_PLACE, URA_PREFIX_LANG, URA_PREFIX_TYPE,
                                    URA_PREFIX_YEAR,  URA_PREFIX_LAW,  URA_PREFIX_ARTICLE,
                                    URA_PREFIX_CITES};
    for (size_t i = 0; i < sizeof x / sizeof *x; i++)
        if (n >= 2 && memcmp(t, x[i], 2) == 0)
            return 1;
    return 0; /* Q, XP, XF (the indexer's) and anything unknown */
}

/* Walk nterms encoded terms, checking each; with x, add them to it.
 * With anum (a lowercased article number), *apos gets the first position
 * of the term anum (0 when it has none).  Returns 0 or -1. */
static int walk_terms(cur *c, size_t nterms, ura_xdoc *x, const char *anum, uint32_t *apos)
{
    size_t anum_len = anum ? strlen(anum) : 0;
    const char *prev = NULL;
    size_t prevn = 0;
    uint32_t *pos = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < nterms && !c->bad; i++) {
        uint64_t n = get_var(c, URA_XDB_TERM_MAX, "term length");
        if (c->bad)
            break;
        if (n == 0 || n > (uint64_t)(c->end - c->p)) {
            fail(c, n ? "cut short" : "empty term");
            break;
        }
        const char *t = (const char *)c->p;
        c->p += n;
        if (!ura_digest_term_allowed(t, (size_t)n)) {
            char m[96];
            snprintf(m, sizeof m, "term with a reserved prefix (\"%.*s\")",
                     (int)(n > 24 ? 24 : n), t);
            for (char *q = m; *q; q++)
                if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
                    *q = '?';
            fail(c, m);
            break;
        }
        if (prev) {
            size_t k = prevn < n ? prevn : (size_t)n;
            int cmp = memcmp(prev, t, k);
            if (cmp > 0 || (cmp == 0 && prevn >= n)) {
                fail(c, "terms not sorted or repeated");
                break;
            }
        }
        prev = t;
        prevn = (size_t)n;
        uint64_t wdf = get_var(c, UINT32_MAX, "wdf");
        uint64_t npos = get_var(c, wdf, "positions beyond the wdf");
        if (c->bad)
            break;
        if (npos > (uint64_t)(c->end - c->p)) { /* at least a byte each */
            fail(c, "cut short");
            break;
        }
        if (x && npos > cap) {
            cap = (size_t)npos;
            pos = ura_xrealloc(pos, cap * sizeof *pos);
        }
        uint64_t at = 0;
        for (size_t k = 0; k < npos && !c->bad; k++) {
            uint64_t d = get_var(c, UINT32_MAX, "position step");
            if (!c->bad && d == 0)
                fail(c, "positions not increasing");
            at += d;
            if (!c->bad && at > UINT32_MAX)
                fail(c, "position too large");
            if (x && !c->bad)
                pos[k] = (uint32_t)at;
            if (k == 0 && anum_len && !c->bad && n == anum_len && memcmp(t, anum, n) == 0)
                *apos = (uint32_t)at;
        }
        if (x && !c->bad)
            ura_xdoc_add_full(x, t, (size_t)n, (uint32_t)wdf, pos, (size_t)npos);
    }
    free(pos);
    return c->bad ? -1 : 0;
}

int ura_digest_open(ura_digest_reader *r, const void *p, size_t n, ura_digest_file *f,
                    char *why, size_t wn)
{
    cur c = {p, (const unsigned char *)p + n, why, wn, 0};
    memset(f, 0, sizeof *f);
    f->title = get_str(&c, URA_DIGEST_MAX_TITLE, 0, "title");
    get_tag(&c, f->type, "type");
    uint64_t y = get_var(&c, 9999, "year");
    if (!c.bad && y)
        snprintf(f->year, sizeof f->year, "%u", (unsigned)y);
    f->npassages = (size_t)get_var(&c, URA_DIGEST_MAX_PASSAGES, "passage count");
    r->p = c.p;
    r->end = c.end;
    r->left = f->npassages;
    return c.bad ? -1 : 0;
}

int ura_digest_next(ura_digest_reader *r, ura_digest_passage *ps, ura_xdoc *x, char *why,
                    size_t wn)
{
    cur c = {r->p, r->end, why, wn, 0};
    memset(ps, 0, sizeof *ps);
    if (!r->left) {
        if (r->p != r->end) {
            fail(&c, "bytes after the last passage");
            return -1;
        }
        return 0;
    }
    get_tag(&c, ps->lang, "language");
    if (!c.bad && !ps->lang[0])
        fail(&c, "passage without a language");
    ps->heading = get_str(&c, URA_DIGEST_MAX_STR, 1, "heading");
    ps->page = (long long)get_var(&c, INT_MAX, "page");
    ps->page_end = (long long)get_var(&c, INT_MAX, "last page");
    ps->pages = get_str(&c, URA_DIGEST_MAX_STR, 1, "page map");
    get_tag(&c, ps->article, "article");
    get_tag(&c, ps->law, "act number");
    get_tag(&c, ps->part, "part");
    if (!c.bad && ps->part[0] && strcmp(ps->part, "title") && strcmp(ps->part, "preamble"))
        fail(&c, "unknown part");
    ps->act_title = get_str(&c, URA_DIGEST_MAX_STR, 1, "act title");
    ps->cites = get_str(&c, URA_DIGEST_MAX_STR, 1, "citations");
    ps->text = get_str(&c, URA_DIGEST_MAX_STR, 0, "text");
    ps->nterms = (size_t)get_var(&c, URA_DIGEST_MAX_TERMS, "term count");
    ps->terms = c.p;
    char anum[URA_DIGEST_MAX_TAG + 1];
    size_t an = strlen(ps->article);
    for (size_t i = 0; i <= an; i++)
        anum[i] = ps->article[i] >= 'A' && ps->article[i] <= 'Z' ? (char)(ps->article[i] + 32)
                                                                : ps->article[i];
    if (!c.bad)
        walk_terms(&c, ps->nterms, x, anum, &ps->article_pos);
    ps->terms_len = (size_t)(c.p - ps->terms);
    if (c.bad) {
        r->p = r->end;
        return -1;
    }
    r->p = c.p;
    r->left--;
    return 1;
}

void ura_digest_add_terms(const ura_digest_passage *ps, ura_xdoc *x)
{
    char why[8];
    cur c = {ps->terms, ps->terms + ps->terms_len, why, sizeof why, 0};
    walk_terms(&c, ps->nterms, x, NULL, NULL);
}

int ura_digest_check(const void *p, size_t n, char *why, size_t wn)
{
    ura_digest_reader r;
    ura_digest_file f;
    ura_digest_passage ps;
    if (ura_digest_open(&r, p, n, &f, why, wn) != 0)
        return -1;
    int k;
    while ((k = ura_digest_next(&r, &ps, NULL, why, wn)) == 1)
        ;
    return k;
}
