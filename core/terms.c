/* terms.c — a passage's term list without a Xapian::Document (terms.h).
 *
 * An open-addressing hash table of entries; term bytes in one buffer;
 * each entry keeps its positions in an array of its own that stays
 * allocated across ura_terms_reset(), so a builder reused passage after
 * passage stops allocating once it has seen its largest passage. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "terms.h"
#include "util.h"
#include "xdb.h"

typedef struct entry {
    size_t off;       /* term bytes in t->bytes          */
    uint32_t len;
    uint32_t wdf;
    uint32_t *pos;    /* kept across resets               */
    size_t npos, cap;
} entry;

struct ura_terms {
    ura_buf bytes;
    entry *e;
    size_t n, ecap;   /* entries in use, allocated        */
    uint32_t *slot;   /* entry index + 1, 0 = empty       */
    size_t nslot;     /* a power of two                   */
};

ura_terms *ura_terms_new(void)
{
    ura_terms *t = ura_xcalloc(1, sizeof *t);
    t->nslot = 1024;
    t->slot = ura_xcalloc(t->nslot, sizeof *t->slot);
    return t;
}

void ura_terms_free(ura_terms *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ecap; i++)
        free(t->e[i].pos);
    free(t->e);
    free(t->slot);
    ura_buf_free(&t->bytes);
    free(t);
}

void ura_terms_reset(ura_terms *t)
{
    if (t->n)
        memset(t->slot, 0, t->nslot * sizeof *t->slot);
    t->n = 0;
    t->bytes.n = 0;
}

static uint64_t hash(const char *z, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)z[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static void grow(ura_terms *t)
{
    size_t ns = t->nslot * 2;
    uint32_t *s = ura_xcalloc(ns, sizeof *s);
    for (size_t i = 0; i < t->n; i++) {
        const entry *e = &t->e[i];
        size_t k = hash(t->bytes.p + e->off, e->len) & (ns - 1);
        while (s[k])
            k = (k + 1) & (ns - 1);
        s[k] = (uint32_t)(i + 1);
    }
    free(t->slot);
    t->slot = s;
    t->nslot = ns;
}

/* The entry of term[0..n), made (wdf 0, no positions) when new. */
static entry *find(ura_terms *t, const char *term, size_t n)
{
    size_t k = hash(term, n) & (t->nslot - 1);
    for (uint32_t s; (s = t->slot[k]) != 0; k = (k + 1) & (t->nslot - 1)) {
        entry *e = &t->e[s - 1];
        if (e->len == n && memcmp(t->bytes.p + e->off, term, n) == 0)
            return e;
    }
    if (t->n == t->ecap) {
        size_t nc = t->ecap ? t->ecap * 2 : 256;
        t->e = ura_xrealloc(t->e, nc * sizeof *t->e);
        memset(t->e + t->ecap, 0, (nc - t->ecap) * sizeof *t->e);
        t->ecap = nc;
    }
    entry *e = &t->e[t->n++];
    e->off = t->bytes.n;
    e->len = (uint32_t)n;
    e->wdf = 0;
    e->npos = 0;
    ura_buf_add(&t->bytes, term, n);
    t->slot[k] = (uint32_t)t->n;
    if (t->n * 2 > t->nslot)
        grow(t);
    return &t->e[t->n - 1];
}

void ura_terms_add_posting(ura_terms *t, const char *term, size_t n, uint32_t pos)
{
    if (!ura_xdb_term_ok(term, n))
        return;
    entry *e = find(t, term, n);
    e->wdf++;
    if (e->npos && e->pos[e->npos - 1] >= pos) {
        /* out of order (not from the analyser): in its place, once */
        size_t lo = 0, hi = e->npos;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (e->pos[mid] < pos)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (e->pos[lo] == pos)
            return;
        if (e->npos == e->cap) {
            e->cap *= 2;
            e->pos = ura_xrealloc(e->pos, e->cap * sizeof *e->pos);
        }
        memmove(e->pos + lo + 1, e->pos + lo, (e->npos - lo) * sizeof *e->pos);
        e->pos[lo] = pos;
        e->npos++;
        return;
    }
    if (e->npos == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 4;
        e->pos = ura_xrealloc(e->pos, e->cap * sizeof *e->pos);
    }
    e->pos[e->npos++] = pos;
}

void ura_terms_add(ura_terms *t, const char *term, size_t n, uint32_t wdf_inc)
{
    if (!ura_xdb_term_ok(term, n))
        return;
    find(t, term, n)->wdf += wdf_inc;
}

size_t ura_terms_count(const ura_terms *t)
{
    return t->n;
}

typedef struct key {
    const char *p;
    uint32_t len, i;
} key;

static int by_bytes(const void *a, const void *b)
{
    const key *x = a, *y = b;
    size_t k = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, k);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

void ura_terms_each(ura_terms *t,
                    void (*fn)(void *ctx, const char *term, size_t n, uint32_t wdf,
                               const uint32_t *pos, size_t npos),
                    void *ctx)
{
    key *order = ura_xmalloc((t->n ? t->n : 1) * sizeof *order);
    for (size_t i = 0; i < t->n; i++) {
        order[i].p = t->bytes.p + t->e[i].off;
        order[i].len = t->e[i].len;
        order[i].i = (uint32_t)i;
    }
    qsort(order, t->n, sizeof *order, by_bytes);
    for (size_t i = 0; i < t->n; i++) {
        const entry *e = &t->e[order[i].i];
        fn(ctx, order[i].p, e->len, e->wdf, e->pos, e->npos);
    }
    free(order);
}
