/* pdf.c — the PDF format plugin: Poppler's glib frontend reads the file from
 * memory, and the text of each page, in Poppler's reading order, is grouped
 * into paragraphs and headings by the geometry of its lines.
 *
 * Two passes over the pages.  The first reads every page's lines and counts
 * the lines at the top and bottom edges, to find the running headers and
 * footers; the second groups and emits the lines.  The first pass keeps the
 * pages it read while they fit in CACHE_BYTES, so a short document is laid
 * out once, and a long one costs a second layout per page, not memory. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "ura/plugin.h"

#define MAX_PAGES 10000        /* pages read; the rest are dropped with a warning */
#define MAX_PAGE_CHARS 200000  /* characters of one page's text that are used */
#define CACHE_BYTES (32u << 20) /* pages kept between the two passes          */
#define TEXT_CHUNK 65536       /* largest text run handed to the sink           */
#define MAX_META 4096          /* longest metadata value, in bytes              */
#define HEAD_LEN 1024          /* where "%PDF-" may start, as in Acrobat        */
#define EDGE 2                 /* lines at each edge that may run on every page */
#define HEIGHTS 512            /* line heights counted, in half points          */
#define PITCHES 64             /* line steps counted, in twentieths of a height */

/* Flags of a line. */
#define L_SOFT 1u    /* ended in a soft hyphen: a word continues on the next  */
#define L_RUNNING 2u /* a running header or footer                            */

/* edge_lines() marks the line numbers of a page's top edge with this bit
 * (a page has at most MAX_PAGE_CHARS + 1 lines). */
#define TOP_EDGE ((size_t)1 << 30)

struct line {
    size_t off, len;          /* the normalised text, in page.text            */
    double x1, x2, top, bottom; /* box of the visible characters              */
    double h;                 /* the tallest glyph box                        */
    double word1;             /* width of the first word                      */
    unsigned flags;
};

struct page {
    char *text; /* normalised lines, each followed by '\n' */
    size_t ntext;
    struct line *lines;
    size_t nlines, caplines;
    double height;
    int geometry; /* the layout matched the text: boxes can be trusted */
    int cut;      /* the text was cut at MAX_PAGE_CHARS                 */
};

/* A line at a page's edge, as a hash of its text with digits folded. */
struct edge {
    uint64_t key;
    int page;
};

struct pdf {
    PopplerDocument *doc;
    const struct ura_sink *sink;
    int npages;             /* pages read: at most MAX_PAGES */
    struct page **cache;    /* pages kept from the first pass, or NULL */
    size_t cached;          /* their bytes */
    struct edge *edges;     /* the first pass's edge lines */
    size_t nedges;
    uint64_t *running;      /* keys of running headers and footers, sorted */
    size_t nrunning;
    double body_h;          /* the commonest line height: body text */
    double pitch;           /* line step over line height inside a paragraph */
    unsigned heights[HEIGHTS];
    unsigned pitches[PITCHES];
    char *buf;              /* a paragraph as it is emitted */
    size_t bufcap;
    char warning[256];      /* the first thing that went wrong, for URA_WARN */
    int nwarnings;
};

static void warn(struct pdf *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct pdf *p, const char *fmt, ...)
{
    if (p->nwarnings++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->warning, sizeof p->warning, fmt, ap);
        va_end(ap);
    }
}

/* ---- text ---- */

static double dabs(double x) /* fabs without libm */
{
    return x < 0 ? -x : x;
}

/* The code point at s (n > 0 bytes) and its length in *k; a bad byte is
 * U+FFFD, one byte long. */
static gunichar next_char(const char *s, size_t n, size_t *k)
{
    gunichar c = g_utf8_get_char_validated(s, (gssize)n);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
        *k = 1;
        return 0xFFFD;
    }
    *k = (size_t)g_utf8_skip[(unsigned char)*s];
    return c;
}

/* The code point that ends s[0..n), or 0. */
static gunichar last_char(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    const char *p = g_utf8_find_prev_char(s, s + n);
    size_t k;
    return p ? next_char(p, (size_t)(s + n - p), &k) : 0;
}

static int is_space(gunichar c)
{
    return c == ' ' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c < 0x20 || c == 0x7F || c == 0x85;
}

/* Append c to o as PDF text should be read: presentation forms spelt out,
 * odd spaces made plain, invisible characters dropped.  Returns the bytes
 * written (at most the bytes c took in the input, which keeps the
 * normalised page no longer than Poppler's). */
static size_t put_char(char *o, gunichar c)
{
    static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    if (c >= 0xFB00 && c <= 0xFB06) {
        size_t n = strlen(lig[c - 0xFB00]);
        memcpy(o, lig[c - 0xFB00], n);
        return n;
    }
    if (c == 0xAD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF)
        return 0;
    if (is_space(c)) {
        *o = ' ';
        return 1;
    }
    if (c == 0x2010 || c == 0x2011)
        c = '-';
    return (size_t)g_unichar_to_utf8(c, o);
}

/* ---- reading a page ---- */

static void page_free(struct page *pg)
{
    if (pg) {
        free(pg->text);
        free(pg->lines);
        free(pg);
    }
}

static size_t page_bytes(const struct page *pg)
{
    return sizeof *pg + pg->caplines * sizeof *pg->lines + pg->ntext;
}

/* Are two characters that Poppler put side by side without a space far
 * enough apart to be two words?  Poppler glues table cells in one row
 * ("KomunaGjuhët"), a cell's second line to the next cell, and a raised
 * footnote number to its text ("1Ligji"). */
static int apart(const PopplerRectangle *a, const PopplerRectangle *b)
{
    double ha = a->y2 - a->y1, hb = b->y2 - b->y1, h = MAX(ha, hb);
    if (!(h > 0))
        return 0;
    if (b->x1 - a->x2 > 0.4 * h) /* a gap */
        return 1;
    if (a->x1 - b->x1 > 2 * h) /* back to the left: another line */
        return 1;
    return dabs(b->y2 - a->y2) > 0.25 * h; /* raised or lowered */
}

/* Split Poppler's text (valid UTF-8) into normalised lines with their
 * boxes.  `r` holds one box per character of `raw` when `geometry` is set.
 * Normalising never lengthens a character, but a space may be put before
 * each one, so the text fits in 2n + 1. */
static struct page *page_build(const char *raw, const PopplerRectangle *r, int geometry,
                               double height)
{
    size_t n = strlen(raw), nlines = 1;
    for (size_t i = 0; i < n; i++)
        nlines += raw[i] == '\n';
    struct page *pg = calloc(1, sizeof *pg);
    if (!pg || !(pg->text = malloc(2 * n + 1)) || !(pg->lines = calloc(nlines, sizeof *pg->lines))) {
        page_free(pg);
        return NULL;
    }
    pg->caplines = nlines;
    pg->height = height;
    pg->geometry = geometry;
    size_t o = 0, ci = 0, i = 0;
    while (i < n || pg->nlines == 0) {
        struct line *l = &pg->lines[pg->nlines++];
        int in_word = 0, word_done = 0;
        double wx1 = 0;
        const PopplerRectangle *pb = NULL; /* the last visible character */
        gunichar last = 0;
        l->off = o;
        l->x1 = l->top = 1e30;
        l->x2 = l->bottom = -1e30;
        for (; i < n && raw[i] != '\n'; ci++) {
            size_t k;
            gunichar c = next_char(raw + i, n - i, &k);
            i += k;
            if (ci >= MAX_PAGE_CHARS) {
                pg->cut = 1;
                continue;
            }
            int space = is_space(c);
            char tmp[8];
            size_t m = put_char(tmp, c);
            if (c == 0xAD || (m > 0 && !space)) /* the last thing seen */
                last = c;
            const PopplerRectangle *b = geometry && !space && m ? &r[ci] : NULL;
            if (b && pb && o > l->off && pg->text[o - 1] != ' ' && apart(pb, b))
                pg->text[o++] = ' ';
            if (m == 1 && tmp[0] == ' ') { /* collapse and trim spaces */
                if (o > l->off && pg->text[o - 1] != ' ')
                    pg->text[o++] = ' ';
            } else {
                memcpy(pg->text + o, tmp, m);
                o += m;
            }
            if (space && in_word)
                in_word = 0, word_done = 1;
            if (!b)
                continue;
            pb = b;
            l->x1 = MIN(l->x1, b->x1);
            l->x2 = MAX(l->x2, b->x2);
            l->top = MIN(l->top, b->y1);
            l->bottom = MAX(l->bottom, b->y2);
            l->h = MAX(l->h, b->y2 - b->y1);
            if (!in_word && !word_done)
                in_word = 1, wx1 = b->x1;
            if (in_word)
                l->word1 = b->x2 - wx1;
        }
        if (i < n) { /* the '\n', which has a box of its own */
            i++;
            ci++;
        }
        while (o > l->off && pg->text[o - 1] == ' ')
            o--;
        l->len = o - l->off;
        if (last == 0xAD)
            l->flags |= L_SOFT;
        if (l->x1 > l->x2) /* nothing visible */
            l->x1 = l->x2 = l->top = l->bottom = 0;
        pg->text[o++] = '\n';
    }
    pg->ntext = o;
    return pg;
}

/* Poppler ends a line at a wide gap, which a loosely justified line has
 * between every word: put together lines that follow on one baseline.
 * Lines are stored one after the other, so a's '\n' just becomes ' '. */
static void page_join_baselines(struct page *pg)
{
    size_t k = 0;
    for (size_t i = 0; i < pg->nlines; i++) {
        struct line *a = k ? &pg->lines[k - 1] : NULL, *b = &pg->lines[i];
        double h = a ? MAX(a->h, b->h) : 0;
        if (a && a->len && b->len && h > 0 && dabs(a->h - b->h) < 0.2 * h &&
            dabs(a->bottom - b->bottom) < 0.2 * h && b->x1 >= a->x2 - 0.25 * h) {
            pg->text[a->off + a->len] = ' ';
            a->len = b->off + b->len - a->off;
            a->x2 = b->x2;
            a->top = MIN(a->top, b->top);
            a->bottom = MAX(a->bottom, b->bottom);
            a->h = h;
            a->flags = b->flags;
            continue;
        }
        pg->lines[k++] = *b;
    }
    pg->nlines = k;
}

/* The page's text and layout from Poppler.  NULL with *missing set when
 * Poppler cannot give the page, NULL alone when memory ran out. */
static struct page *page_read(PopplerDocument *doc, int index, int *missing)
{
    PopplerPage *page = poppler_document_get_page(doc, index);
    *missing = page == NULL;
    if (!page)
        return NULL;
    double w, h;
    poppler_page_get_size(page, &w, &h);
    char *raw = poppler_page_get_text(page);
    PopplerRectangle *r = NULL;
    guint nr = 0;
    if (raw && !poppler_page_get_text_layout(page, &r, &nr))
        nr = 0;
    g_object_unref(page);
    /* Poppler builds the text and the boxes in two ways that agree on
     * ordinary pages; when they do not, the boxes are not used.  Text that
     * is not UTF-8 is mended first: page_build() needs it valid. */
    int geometry = 0;
    if (raw && g_utf8_validate(raw, -1, NULL))
        geometry = r && (glong)nr == g_utf8_strlen(raw, -1);
    else if (raw) {
        char *valid = g_utf8_make_valid(raw, -1);
        g_free(raw);
        raw = valid;
    }
    struct page *pg = page_build(raw ? raw : "", r, geometry, h);
    if (pg && geometry)
        page_join_baselines(pg);
    g_free(raw);
    g_free(r);
    return pg;
}

/* ---- the first pass: edges, heights, line pitch ---- */

static int heading_level(const char *s, size_t n);

/* The lines that may be a running header (the EDGE topmost, in the top
 * fifth of the page) or footer (the EDGE lowest, in the bottom fifth);
 * without boxes, the first and last lines.  Writes at most 2*EDGE line
 * numbers to idx, the top ones marked with TOP_EDGE. */
static size_t edge_lines(const struct page *pg, size_t *idx)
{
    size_t top[EDGE], bot[EDGE], nt = 0, nb = 0, k = 0;
    for (size_t i = 0; i < pg->nlines; i++) {
        const struct line *l = &pg->lines[i];
        if (l->len == 0)
            continue;
        if (!pg->geometry) {
            if (nt < EDGE)
                top[nt++] = i;
            continue;
        }
        if (l->top < pg->height * 0.2) {
            size_t j = nt < EDGE ? nt++ : EDGE;
            for (; j > 0 && pg->lines[top[j - 1]].top > l->top; j--)
                if (j < EDGE)
                    top[j] = top[j - 1];
            if (j < EDGE)
                top[j] = i;
        }
        if (l->bottom > pg->height * 0.8) {
            size_t j = nb < EDGE ? nb++ : EDGE;
            for (; j > 0 && pg->lines[bot[j - 1]].bottom < l->bottom; j--)
                if (j < EDGE)
                    bot[j] = bot[j - 1];
            if (j < EDGE)
                bot[j] = i;
        }
    }
    if (!pg->geometry)
        for (size_t i = pg->nlines; i-- > 0 && nb < EDGE;)
            if (pg->lines[i].len && (nt < 1 || i > top[nt - 1]))
                bot[nb++] = i;
    for (size_t i = 0; i < nt; i++)
        idx[k++] = top[i] | TOP_EDGE;
    for (size_t i = 0; i < nb; i++)
        if (nt == 0 || (bot[i] != top[0] && (nt < 2 || bot[i] != top[1])))
            idx[k++] = bot[i];
    return k;
}

/* FNV-1a over the line with each run of digits read as one '#': "- 3 -" and
 * "- 12 -", "Faqe 3 nga 10" and "Faqe 10 nga 10" are the same line. */
static uint64_t edge_key(const char *s, size_t n, int top)
{
    uint64_t h = 14695981039346656037u ^ (uint64_t)top;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
                i++;
            c = '#';
        }
        h = (h ^ c) * 1099511628211u;
    }
    return h;
}

static int cmp_edge(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key ? 1 : x->page - y->page;
}

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void survey(struct pdf *p, const struct page *pg, int index)
{
    size_t idx[2 * EDGE], k = edge_lines(pg, idx);
    for (size_t i = 0; i < k; i++) {
        const struct line *l = &pg->lines[idx[i] & ~TOP_EDGE];
        if (heading_level(pg->text + l->off, l->len)) /* "Neni 3" tops many pages */
            continue;
        p->edges[p->nedges].key = edge_key(pg->text + l->off, l->len, (idx[i] & TOP_EDGE) != 0);
        p->edges[p->nedges++].page = index;
    }
    if (!pg->geometry)
        return;
    for (size_t i = 0; i < pg->nlines; i++) {
        const struct line *l = &pg->lines[i], *m = i ? &pg->lines[i - 1] : NULL;
        if (!l->len || !(l->h > 0 && l->h < (HEIGHTS - 1) / 2.0)) /* NaN too */
            continue;
        p->heights[(size_t)(l->h * 2 + 0.5)] += (unsigned)l->len;
        if (!m || !m->len || dabs(m->h - l->h) > 0.05 * l->h)
            continue;
        double ratio = (l->bottom - m->bottom) / l->h;
        if (ratio > 0.5 && ratio < (PITCHES - 1) / 20.0)
            p->pitches[(size_t)(ratio * 20 + 0.5)]++;
    }
}

/* Which edge lines run on at least 60% of the pages, and on three or more;
 * or, for headers that differ on odd and even pages, on 60% of the pages
 * of one parity. */
static int find_running(struct pdf *p)
{
    if (p->nedges)
        qsort(p->edges, p->nedges, sizeof *p->edges, cmp_edge);
    if (p->nedges && !(p->running = malloc(p->nedges * sizeof *p->running)))
        return -1;
    int half[2] = {p->npages / 2, p->npages - p->npages / 2}; /* even, odd index */
    for (size_t i = 0, j; i < p->nedges; i = j) {
        int all = 0, par[2] = {0, 0}, last = -1;
        for (j = i; j < p->nedges && p->edges[j].key == p->edges[i].key; j++) {
            if (p->edges[j].page == last)
                continue;
            last = p->edges[j].page;
            all++;
            par[last & 1]++;
        }
        int ok = all >= 3 && all * 10 >= p->npages * 6;
        for (int q = 0; q < 2; q++)
            ok |= par[q] >= 3 && par[q] * 10 >= half[q] * 6;
        if (ok)
            p->running[p->nrunning++] = p->edges[i].key;
    }
    /* Already sorted: the keys came in order. */
    size_t mode = 0;
    for (size_t i = 1; i < HEIGHTS; i++)
        if (p->heights[i] > p->heights[mode])
            mode = i;
    p->body_h = mode ? mode / 2.0 : 0;
    mode = 0;
    for (size_t i = 1; i < PITCHES; i++)
        if (p->pitches[i] > p->pitches[mode])
            mode = i;
    p->pitch = mode && p->pitches[mode] >= 3 ? mode / 20.0 : 1.0;
    return 0;
}

static void mark_running(const struct pdf *p, struct page *pg)
{
    size_t idx[2 * EDGE], k = edge_lines(pg, idx);
    for (size_t i = 0; i < k; i++) {
        struct line *l = &pg->lines[idx[i] & ~TOP_EDGE];
        uint64_t key = edge_key(pg->text + l->off, l->len, (idx[i] & TOP_EDGE) != 0);
        if (p->nrunning && !heading_level(pg->text + l->off, l->len) &&
            bsearch(&key, p->running, p->nrunning, sizeof key, cmp_key))
            l->flags |= L_RUNNING;
    }
}

/* ---- headings ---- */

/* Does s start with word w followed by a space?  Returns w's length. */
static size_t word_is(const char *s, size_t n, const char *w)
{
    size_t m = strlen(w);
    return n > m && memcmp(s, w, m) == 0 && s[m] == ' ' ? m : 0;
}

/* "Neni 12", "Article 3.", "Član 4", "Члан 5" (level 3) or "KAPITULLI IV",
 * "CHAPTER 2", "POGLAVLJE II", "ПОГЛАВЉЕ III" (level 2), alone on a line;
 * else 0. */
static int heading_level(const char *s, size_t n)
{
    static const struct { const char *word; int level; } words[] = {
        {"Neni", 3},       {"NENI", 3},      {"Article", 3},   {"ARTICLE", 3},
        {"Član", 3},       {"ČLAN", 3},      {"Clan", 3},      {"CLAN", 3},
        {"Члан", 3},       {"ЧЛАН", 3},      {"KAPITULLI", 2}, {"Kapitulli", 2},
        {"CHAPTER", 2},    {"Chapter", 2},   {"POGLAVLJE", 2}, {"Poglavlje", 2},
        {"ПОГЛАВЉЕ", 2},   {"Поглавље", 2},
    };
    if (n > 40)
        return 0;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t i = word_is(s, n, words[w].word);
        if (!i)
            continue;
        size_t j = ++i;
        if (words[w].level == 3) {
            while (j < n && j - i < 4 && s[j] >= '0' && s[j] <= '9')
                j++;
        } else {
            while (j < n && j - i < 8 && strchr("IVXLC", s[j]))
                j++;
            if (j == i)
                while (j < n && j - i < 3 && s[j] >= '0' && s[j] <= '9')
                    j++;
        }
        if (j > i && (j == n || (j + 1 == n && s[j] == '.')))
            return words[w].level;
        return 0;
    }
    return 0;
}

/* ---- grouping lines ---- */

static int ends_sentence(const struct page *pg, const struct line *l)
{
    size_t n = l->len;
    const char *s = pg->text + l->off;
    while (n > 0 && strchr("\")]'", s[n - 1])) /* "... law." */
        n--;
    return n > 0 && strchr(".:;!?", s[n - 1]);
}

/* Does line b start a new paragraph after line a?  [left, right] spans
 * the lines of a's paragraph so far.  Only the geometry is asked here. */
static int gap_between(const struct pdf *p, const struct page *pg, const struct line *a,
                       const struct line *b, double left, double right)
{
    if (!pg->geometry || a->h <= 0 || b->h <= 0)
        return 0;
    double h = MAX(a->h, b->h), step = b->bottom - a->bottom, em = h * 0.5;
    if (h > 1.2 * MIN(a->h, b->h)) /* another font size */
        return 1;
    if (step < 0.3 * h || step > p->pitch * h * 1.3) /* up: a new column; down: a gap */
        return 1;
    if (b->x1 > a->x2 || b->x2 < a->x1) /* side by side */
        return 1;
    /* A line ends early only where a paragraph ends: b's first word would
     * have fit on it.  Trusted after a sentence, or after a centred line;
     * an indent or outdent after a sentence counts too. */
    left = MIN(left, b->x1);
    right = MAX(right, b->x2);
    int fits = (right - left) - (a->x2 - a->x1) > b->word1 + 2 * em;
    if (ends_sentence(pg, a))
        return fits || dabs(b->x1 - a->x1) > 1.5 * em;
    if (a->x1 > left + 1.5 * em && a->x2 < right - 1.5 * em)
        return fits;
    return 0;
}

/* ---- emitting ---- */

static int emit_text(const struct pdf *p, const char *s, size_t n)
{
    while (n > 0) {
        size_t k = n;
        if (k > TEXT_CHUNK) {
            k = TEXT_CHUNK;
            while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
        }
        int rc = p->sink->text(p->sink->ctx, s, k);
        if (rc != URA_OK)
            return rc;
        s += k, n -= k;
    }
    return URA_OK;
}

static int emit_block(const struct pdf *p, enum ura_node kind, int level, size_t n)
{
    int rc = p->sink->begin(p->sink->ctx, kind, level, NULL);
    if (rc == URA_OK)
        rc = emit_text(p, p->buf, n);
    if (rc == URA_OK)
        rc = p->sink->end(p->sink->ctx, kind);
    return rc;
}

/* How line a joins the text that follows, b: 0 with a space, 1 straight on
 * (a hard hyphen: "03/L-" "047"), 2 dropping a's hyphen ("komuni-"
 * "teteve"). */
static int join_kind(const char *a, size_t na, unsigned flags, const char *b, size_t nb)
{
    size_t k;
    gunichar first = nb ? next_char(b, nb, &k) : 0;
    if (flags & L_SOFT)
        return nb ? 1 : 0;
    if (na < 2 || a[na - 1] != '-' || !first)
        return 0;
    gunichar before = last_char(a, na - 1);
    if (!g_unichar_isalnum(before))
        return 0;
    return g_unichar_isalpha(before) && g_unichar_islower(first) ? 2 : 1;
}

static size_t append_line(char *o, size_t n, const char *s, size_t len, int join)
{
    if (n > 0 && join == 0)
        o[n++] = ' ';
    else if (join == 2)
        n--;
    memcpy(o + n, s, len);
    return n + len;
}

/* The first body line of a page, or NULL. */
static struct line *first_body(struct page *pg)
{
    for (size_t i = 0; i < pg->nlines; i++)
        if (pg->lines[i].len && !(pg->lines[i].flags & L_RUNNING))
            return &pg->lines[i];
    return NULL;
}

/* The start of the next page's first line when it ends a word that this
 * page's last line hyphenated ("ma-" | "jority ..."): its length, taken
 * off that line, which then begins after it.  0 when there is none. */
static size_t take_carry(const char *buf, size_t n, const struct line *last, struct page *next,
                         const char **word)
{
    struct line *l = next ? first_body(next) : NULL;
    if (!l || !last)
        return 0;
    const char *s = next->text + l->off;
    size_t k, w = strcspn(s, " \n");
    if (!g_unichar_islower(next_char(s, l->len, &k)) ||
        join_kind(buf, n, last->flags, s, l->len) == 0)
        return 0;
    *word = s;
    k = w < l->len ? w + 1 : w; /* and the space after it */
    l->off += k;
    l->len -= k;
    return w;
}

static int close_block(struct pdf *p, int level, int big, size_t nlines, size_t n)
{
    if (!level && big && nlines <= 6 && n <= 400)
        level = 1; /* a few lines in a clearly larger font: a title */
    return emit_block(p, level ? URA_NODE_HEADING : URA_NODE_PARAGRAPH, level, n);
}

static int emit_page(struct pdf *p, struct page *pg, struct page *next)
{
    size_t need = pg->ntext + 1;
    struct line *first = next ? first_body(next) : NULL;
    if (first)
        need += first->len;
    if (need > p->bufcap) {
        free(p->buf);
        p->bufcap = 0;
        if (!(p->buf = malloc(need)))
            return -1;
        p->bufcap = need;
    }
    size_t n = 0, nlines = 0;
    int rc = URA_OK, level = 0, big = 0;
    double left = 0, right = 0;
    const struct line *prev = NULL;
    for (size_t i = 0; i < pg->nlines && rc == URA_OK; i++) {
        const struct line *l = &pg->lines[i];
        if (l->flags & L_RUNNING)
            continue;
        int breaks = !l->len || !prev || level || gap_between(p, pg, prev, l, left, right);
        if (breaks && nlines) {
            rc = close_block(p, level, big, nlines, n);
            n = nlines = 0;
        }
        if (!l->len) { /* a blank line ends a paragraph */
            prev = NULL;
            continue;
        }
        if (breaks) {
            level = heading_level(pg->text + l->off, l->len); /* only alone in a block */
            left = l->x1;
            right = l->x2;
            big = p->body_h > 0 && l->h >= 1.3 * p->body_h;
        } else {
            big &= p->body_h > 0 && l->h >= 1.3 * p->body_h;
        }
        int join = nlines ? join_kind(p->buf, n, prev->flags, pg->text + l->off, l->len) : 0;
        n = append_line(p->buf, n, pg->text + l->off, l->len, nlines ? join : 1);
        nlines++;
        left = MIN(left, l->x1);
        right = MAX(right, l->x2);
        prev = l;
    }
    if (rc == URA_OK && nlines) {
        const char *word = NULL;
        size_t w = level ? 0 : take_carry(p->buf, n, prev, next, &word);
        if (w)
            n = append_line(p->buf, n, word, w, join_kind(p->buf, n, prev->flags, word, w));
        rc = close_block(p, level, big, nlines, n);
    }
    return rc;
}

/* ---- metadata ---- */

/* A metadata value, one line of clean text.  Takes s (g_free'd here). */
static int give_meta(const struct pdf *p, const char *key, char *s)
{
    if (!s)
        return URA_OK;
    char out[MAX_META + 8];
    size_t n = 0, len = strlen(s);
    for (size_t i = 0, k; i < len && n < MAX_META; i += k) {
        size_t m = put_char(out + n, next_char(s + i, len - i, &k));
        if (m == 1 && out[n] == ' ' && (n == 0 || out[n - 1] == ' '))
            continue;
        n += m;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    g_free(s);
    return n ? p->sink->meta(p->sink->ctx, key, out, n) : URA_OK;
}

/* ISO 8601 with the offset as "+01:00", or "Z" for UTC. */
static int give_date(const struct pdf *p, const char *key, GDateTime *t)
{
    if (!t)
        return URA_OK;
    const char *fmt = g_date_time_get_utc_offset(t) == 0 ? "%Y-%m-%dT%H:%M:%SZ"
                                                          : "%Y-%m-%dT%H:%M:%S%:z";
    return give_meta(p, key, g_date_time_format(t, fmt));
}

/* dc:language from the XMP packet: the first <rdf:li> after <dc:language>. */
static char *xmp_language(PopplerDocument *doc)
{
    char *xmp = poppler_document_get_metadata(doc), *lang = NULL;
    const char *s = xmp ? strstr(xmp, "<dc:language") : NULL;
    const char *end = s ? strstr(s, "</dc:language>") : NULL;
    const char *li = s && end ? g_strstr_len(s, end - s, "<rdf:li") : NULL;
    const char *v = li ? strchr(li, '>') : NULL;
    if (v && v < end) {
        size_t n = strspn(++v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
        if (n >= 2 && n <= 35 && v[n] == '<')
            lang = g_strndup(v, n);
    }
    g_free(xmp);
    return lang;
}

static int give_metadata(const struct pdf *p, int total)
{
    PopplerDocument *d = p->doc;
    char pages[16];
    GDateTime *created = poppler_document_get_creation_date_time(d);
    GDateTime *modified = poppler_document_get_modification_date_time(d);
    int rc = give_meta(p, "title", poppler_document_get_title(d));
    if (rc == URA_OK)
        rc = give_meta(p, "author", poppler_document_get_author(d));
    if (rc == URA_OK)
        rc = give_meta(p, "subject", poppler_document_get_subject(d));
    if (rc == URA_OK)
        rc = give_meta(p, "keywords", poppler_document_get_keywords(d));
    if (rc == URA_OK)
        rc = give_date(p, "created", created);
    if (rc == URA_OK)
        rc = give_date(p, "modified", modified);
    if (rc == URA_OK)
        rc = give_meta(p, "language", xmp_language(d));
    snprintf(pages, sizeof pages, "%d", total);
    if (rc == URA_OK)
        rc = give_meta(p, "pages", g_strdup(pages));
    if (created)
        g_date_time_unref(created);
    if (modified)
        g_date_time_unref(modified);
    return rc;
}

/* ---- extract ---- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    err[strcspn(err, "\r\n")] = '\0';
}

static const unsigned char *find_bytes(const unsigned char *s, size_t n, const char *pat)
{
    size_t m = strlen(pat);
    for (size_t i = 0; i + m <= n; i++)
        if (s[i] == (unsigned char)pat[0] && memcmp(s + i, pat, m) == 0)
            return s + i;
    return NULL;
}

static int pdf_probe(const unsigned char *head, size_t len)
{
    return find_bytes(head, len < HEAD_LEN ? len : HEAD_LEN, "%PDF-") ? 100 : 0;
}

/* Page i for the second pass, its running lines marked: from the cache
 * (which gives it up) or read again.  *pg is NULL for a page Poppler cannot
 * give.  Returns -1 when memory ran out. */
static int load_page(struct pdf *p, int i, struct page **pg)
{
    int missing = 0;
    *pg = p->cache[i] ? p->cache[i] : page_read(p->doc, i, &missing);
    p->cache[i] = NULL;
    if (*pg)
        mark_running(p, *pg);
    else if (missing)
        warn(p, "page %d could not be read", i + 1);
    return *pg || missing ? 0 : -1;
}

/* Both passes; returns a ura_rc, or -1 when memory ran out. */
static int read_pages(struct pdf *p)
{
    for (int i = 0; i < p->npages; i++) {
        int missing;
        struct page *pg = page_read(p->doc, i, &missing);
        if (!pg && !missing)
            return -1;
        if (!pg)
            continue;
        survey(p, pg, i);
        size_t b = page_bytes(pg);
        if (p->cached + b <= CACHE_BYTES) {
            p->cache[i] = pg;
            p->cached += b;
        } else {
            page_free(pg);
        }
    }
    if (find_running(p) != 0)
        return -1;

    /* The next page is read before this one is emitted, so that a word
     * hyphenated over the page break can be made whole. */
    struct page *pg = NULL, *next = NULL;
    int rc = p->npages > 0 ? load_page(p, 0, &next) : URA_OK;
    for (int i = 0; i < p->npages && rc == URA_OK; i++) {
        pg = next;
        next = NULL;
        if (i + 1 < p->npages && load_page(p, i + 1, &next) != 0)
            rc = -1;
        if (rc == URA_OK)
            rc = p->sink->begin(p->sink->ctx, URA_NODE_PAGE, i + 1, NULL);
        if (rc == URA_OK && pg) {
            if (pg->cut)
                warn(p, "page %d has more than %d characters; the rest was dropped", i + 1,
                     MAX_PAGE_CHARS);
            rc = emit_page(p, pg, next);
        }
        if (rc == URA_OK)
            rc = p->sink->end(p->sink->ctx, URA_NODE_PAGE);
        page_free(pg);
    }
    page_free(next);
    return rc;
}

static int pdf_extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                       size_t errlen)
{
    if (!in || in->size < offsetof(struct ura_input, len) + sizeof in->len || !sink ||
        sink->size < offsetof(struct ura_sink, meta) + sizeof sink->meta) {
        set_err(err, errlen, "caller's ABI structures are too small");
        return URA_EPLUGIN;
    }
    if (in->len == 0) {
        set_err(err, errlen, "empty file");
        return URA_EFILE;
    }
    if (!pdf_probe(in->data, in->len)) {
        set_err(err, errlen, "not a PDF: no %%PDF- header in the first %d bytes", HEAD_LEN);
        return URA_EFILE;
    }
    /* Borrowed, not copied: every Poppler object is gone before return. */
    GBytes *bytes = g_bytes_new_static(in->data, in->len);
    GError *gerr = NULL;
    struct pdf p = {.sink = sink};
    p.doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (!p.doc) {
        if (gerr && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
            set_err(err, errlen, "encrypted: a password is needed");
        else
            set_err(err, errlen, "%s", gerr && gerr->message ? gerr->message
                                                              : "Poppler cannot read it");
        g_clear_error(&gerr);
        return URA_EFILE;
    }
    int total = poppler_document_get_n_pages(p.doc), rc;
    p.npages = total < 0 ? 0 : total > MAX_PAGES ? MAX_PAGES : total;
    size_t tail = in->len < HEAD_LEN ? in->len : HEAD_LEN;
    if (!find_bytes(in->data + in->len - tail, tail, "%%EOF"))
        warn(&p, "truncated: no %%%%EOF at the end; only what Poppler recovered was read");
    if (total > MAX_PAGES)
        warn(&p, "only the first %d of %d pages were read", MAX_PAGES, total);
    if ((p.npages && !(p.cache = calloc((size_t)p.npages, sizeof *p.cache))) ||
        (p.npages && !(p.edges = malloc((size_t)p.npages * 2 * EDGE * sizeof *p.edges)))) {
        rc = -1;
    } else if ((rc = give_metadata(&p, total)) == URA_OK) {
        rc = read_pages(&p);
    }
    for (int i = 0; p.cache && i < p.npages; i++)
        page_free(p.cache[i]);
    free(p.cache);
    free(p.edges);
    free(p.running);
    free(p.buf);
    g_object_unref(p.doc);
    if (rc == -1) {
        set_err(err, errlen, "out of memory");
        return URA_EFILE;
    }
    if (rc == URA_OK && p.nwarnings) {
        if (p.nwarnings > 1)
            set_err(err, errlen, "%s (and %d more problems)", p.warning, p.nwarnings - 1);
        else
            set_err(err, errlen, "%s", p.warning);
        return URA_WARN;
    }
    return rc;
}

/* poppler-glib says what it thinks of a file's contents with g_warning()
 * (a creation date with a time zone it does not know: "unexpected tz val
 * 'T'"), which GLib prints to stderr naming no file.  Such remarks are
 * dropped while the plugin is loaded; criticals (a misuse of the API:
 * our bug) and errors still print. */
#define POPPLER_REMARKS \
    (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)
static guint remarks_handler;

static void drop_remark(const gchar *domain, GLogLevelFlags level, const gchar *message,
                        gpointer data)
{
    (void)domain, (void)level, (void)message, (void)data;
}

static int pdf_init(char *err, size_t errlen)
{
    (void)err, (void)errlen;
    remarks_handler = g_log_set_handler("Poppler", POPPLER_REMARKS, drop_remark, NULL);
    return URA_OK;
}

/* The handler is this plugin's code: gone before the plugin is unloaded. */
static void pdf_shutdown(void)
{
    if (remarks_handler)
        g_log_remove_handler("Poppler", remarks_handler);
    remarks_handler = 0;
}

static const char *const pdf_mime_types[] = {"application/pdf", NULL};
static const char *const pdf_extensions[] = {"pdf", NULL};

static const struct ura_plugin pdf_plugin = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin),
    "pdf", "1.0", "PDF via Poppler (poppler-glib)",
    pdf_mime_types, pdf_extensions,
    pdf_probe, pdf_init, pdf_shutdown, pdf_extract,
};

URA_PLUGIN_DECLARE(pdf_plugin)
