/* snippet.c — choose the densest window of matched words and mark them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snippet.h"
#include "util.h"

typedef struct qterm {
    const char *term;
    size_t len;
    int prefix; /* 0 term, 1 prefix, 2 stem (term without its Z<lang>) */
} qterm;

/* One word seen before: whether one of its stems is a stem of the query.
 * Its key, at keys.p + key, is the lang byte, term, NUL, exact. */
typedef struct seen_word {
    uint64_t hash;
    size_t key;
    size_t klen; /* 0: empty slot (a key has at least 2 bytes) */
    int match;
} seen_word;

struct ura_snip_cache {
    seen_word *v;
    size_t n, cap; /* cap is 0 or a power of two */
    ura_buf keys;  /* every word's key, one after the other */
};

ura_snip_cache *ura_snip_cache_new(void)
{
    return ura_xcalloc(1, sizeof(ura_snip_cache));
}

void ura_snip_cache_free(ura_snip_cache *sc)
{
    if (!sc)
        return;
    ura_buf_free(&sc->keys);
    free(sc->v);
    free(sc);
}

/* A word's hash: its term and exact form taken eight bytes at a time. */
static uint64_t hash_bytes(uint64_t h, const char *z, size_t n)
{
    const uint64_t k = 0x9E3779B97F4A7C15u;
    for (; n >= 8; z += 8, n -= 8) {
        uint64_t v;
        memcpy(&v, z, 8);
        h = (h ^ v) * k;
        h ^= h >> 31;
    }
    uint64_t v = n;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | (unsigned char)z[i];
    h = (h ^ v) * k;
    return h ^ (h >> 29);
}

static uint64_t hash_word(enum ura_stem_lang lang, const ura_token *t)
{
    uint64_t h = hash_bytes((uint64_t)lang + 1, t->term, t->term_len);
    h = hash_bytes(h, t->exact, t->exact_len);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDu;
    return h ^ (h >> 33);
}

/* The slot of the word (lang, t) in sc: its own or the empty one where it
 * belongs.  A key is the lang byte, the term, NUL, the exact form. */
static seen_word *cache_slot(ura_snip_cache *sc, enum ura_stem_lang lang, const ura_token *t,
                             uint64_t h)
{
    size_t tl = t->term_len, klen = 2 + tl + t->exact_len;
    for (size_t i = (size_t)h & (sc->cap - 1);; i = (i + 1) & (sc->cap - 1)) {
        seen_word *w = &sc->v[i];
        if (!w->klen)
            return w;
        const char *key = sc->keys.p + w->key;
        if (w->hash == h && w->klen == klen && key[0] == (char)lang &&
            !memcmp(key + 1, t->term, tl) && key[1 + tl] == '\0' &&
            !memcmp(key + 2 + tl, t->exact, t->exact_len))
            return w;
    }
}

static void cache_grow(ura_snip_cache *sc)
{
    size_t old = sc->cap;
    seen_word *ov = sc->v;
    sc->cap = old ? old * 2 : 256;
    sc->v = ura_xcalloc(sc->cap, sizeof *sc->v);
    for (size_t i = 0; i < old; i++) {
        if (!ov[i].klen)
            continue;
        size_t j = (size_t)ov[i].hash & (sc->cap - 1);
        while (sc->v[j].klen)
            j = (j + 1) & (sc->cap - 1);
        sc->v[j] = ov[i];
    }
    free(ov);
}

typedef struct collect {
    ura_stemmer *st;
    enum ura_stem_lang lang;
    char stem_prefix[8]; /* "Zsq": the stems that apply to this passage  */
    int nstems;          /* query stems in this passage's language      */
    qterm *terms;
    size_t nterms, cap;
    size_t (*hits)[2]; /* matched token byte ranges in the text */
    size_t nhits, caphits;
    ura_snip_cache *cache; /* may be NULL */
} collect;

static void add_qterm(void *ctx, const char *term, size_t len, int is_prefix)
{
    collect *c = ctx;
    if (is_prefix == 2) {
        size_t k = strlen(c->stem_prefix);
        if (c->lang == URA_STEM_NONE || len <= k || memcmp(term, c->stem_prefix, k) != 0)
            return;
        term += k;
        len -= k;
        c->nstems++;
    }
    if (c->nterms == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->terms = ura_xrealloc(c->terms, c->cap * sizeof *c->terms);
    }
    c->terms[c->nterms++] = (qterm){term, len, is_prefix};
}

/* Whether one of the token's stems in the passage's language is one of
 * the query's (the stem terms of c->terms). */
static int stem_match(collect *c, const ura_token *t)
{
    char stems[2][URA_TERM_MAX + 1];
    int nst = ura_stem_token(c->st, c->lang, t->exact, t->exact_len, t->term, t->term_len,
                             stems);
    for (int k = 0; k < nst; k++) {
        size_t sl = strlen(stems[k]);
        for (size_t i = 0; i < c->nterms; i++) {
            const qterm *q = &c->terms[i];
            if (q->prefix == 2 && sl == q->len && !memcmp(stems[k], q->term, q->len))
                return 1;
        }
    }
    return 0;
}

/* stem_match(), remembered per word for the whole query: a word comes
 * back often, in a passage and in the next hits' passages. */
static int stem_match_cached(collect *c, const ura_token *t)
{
    ura_snip_cache *sc = c->cache;
    if (!sc)
        return stem_match(c, t);
    uint64_t h = hash_word(c->lang, t);
    if (sc->cap) {
        seen_word *w = cache_slot(sc, c->lang, t, h);
        if (w->klen)
            return w->match;
    }
    int m = stem_match(c, t);
    if (2 * (sc->n + 1) > sc->cap)
        cache_grow(sc);
    seen_word *w = cache_slot(sc, c->lang, t, h);
    w->key = sc->keys.n;
    ura_buf_addc(&sc->keys, (char)c->lang);
    ura_buf_add(&sc->keys, t->term, t->term_len);
    ura_buf_addc(&sc->keys, '\0');
    ura_buf_add(&sc->keys, t->exact, t->exact_len);
    w->klen = sc->keys.n - w->key;
    w->hash = h;
    w->match = m;
    sc->n++;
    return m;
}

static int on_token(void *ctx, const ura_token *t)
{
    collect *c = ctx;
    /* The query's words and prefixes first; a token matches when any of
     * the query's terms does, so the order of the tests does not matter. */
    int match = 0;
    for (size_t i = 0; i < c->nterms && !match; i++) {
        const qterm *q = &c->terms[i];
        if (q->prefix == 1)
            match = t->term_len >= q->len && !memcmp(t->term, q->term, q->len);
        else if (q->prefix == 0)
            match = t->term_len == q->len && !memcmp(t->term, q->term, q->len);
    }
    if (!match && c->nstems)
        match = stem_match_cached(c, t);
    if (match) {
        if (c->nhits == c->caphits) {
            c->caphits = c->caphits ? c->caphits * 2 : 16;
            c->hits = ura_xrealloc(c->hits, c->caphits * sizeof *c->hits);
        }
        c->hits[c->nhits][0] = t->start;
        c->hits[c->nhits][1] = t->end;
        c->nhits++;
    }
    return c->nhits >= 4096 ? URA_WARN : URA_OK; /* enough to choose from */
}

/* Move i back to the start of a UTF-8 character. */
static size_t char_start(const char *z, size_t i)
{
    while (i > 0 && ((unsigned char)z[i] & 0xC0) == 0x80)
        i--;
    return i;
}

void ura_snippet(ura_analyser *a, ura_stemmer *st, const char *lang, const ura_qnode *q,
                 const char *text, size_t n, ura_snip_cache *cache, char **snippet,
                 size_t (**marks)[2], size_t *nmarks, size_t *first)
{
    collect c = {0};
    c.st = st;
    c.cache = cache;
    c.lang = st ? ura_stem_lang_of(lang) : URA_STEM_NONE;
    snprintf(c.stem_prefix, sizeof c.stem_prefix, URA_PREFIX_STEM "%s",
             ura_stem_lang_name(c.lang));
    if (q)
        ura_qnode_terms(q, add_qterm, &c);
    if (c.nterms && a)
        ura_analyse(a, text, n, 1, NULL, on_token, &c, NULL);

    /* The window that holds the most matches, starting a little before the
     * first of them. */
    size_t best = 0, best_count = 0;
    for (size_t i = 0, j = 0; i < c.nhits; i++) {
        while (j < c.nhits && c.hits[j][1] <= c.hits[i][0] + URA_SNIPPET_BYTES)
            j++;
        if (j - i > best_count)
            best_count = j - i, best = i;
    }
    size_t ws = 0;
    if (best_count) {
        size_t start = c.hits[best][0];
        ws = start > URA_SNIPPET_BYTES / 4 ? start - URA_SNIPPET_BYTES / 4 : 0;
        /* Start just after a space; at worst at the match itself. */
        while (ws > 0 && ws < start && text[ws - 1] != ' ' && text[ws - 1] != '\n')
            ws++;
    }
    size_t we = ws + URA_SNIPPET_BYTES < n ? ws + URA_SNIPPET_BYTES : n;
    if (we < n) {
        size_t k = we;
        while (k > ws + URA_SNIPPET_BYTES / 2 && text[k] != ' ' && text[k] != '\n')
            k--;
        we = (text[k] == ' ' || text[k] == '\n') ? k : char_start(text, we);
    }

    ura_buf b = {0};
    size_t (*mk)[2] = NULL;
    size_t nm = 0;
    if (ws > 0)
        ura_buf_adds(&b, "…");
    size_t h = 0;
    for (size_t i = ws; i < we;) {
        while (h < c.nhits && c.hits[h][0] < i)
            h++;
        if (h < c.nhits && c.hits[h][0] == i && c.hits[h][1] <= we) {
            mk = ura_xrealloc(mk, (nm + 1) * sizeof *mk);
            mk[nm][0] = b.n;
            ura_buf_add(&b, text + i, c.hits[h][1] - i);
            mk[nm][1] = b.n;
            nm++;
            i = c.hits[h][1];
            continue;
        }
        char ch = text[i];
        ura_buf_addc(&b, ch == '\n' || ch == '\t' ? ' ' : ch);
        i++;
    }
    if (we < n)
        ura_buf_adds(&b, "…");
    if (first)
        *first = best_count ? c.hits[best][0] : n;
    free(c.terms);
    free(c.hits);
    *snippet = ura_buf_steal(&b, NULL);
    *marks = mk;
    *nmarks = nm;
}
