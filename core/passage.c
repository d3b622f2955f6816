/* passage.c — the segmenter: blocks to passages.
 *
 * Blocks are read in order.  An article heading (a heading, or a short
 * line, that starts "Neni 5", "Article 5", "Član 5", "Члан 5") starts a
 * passage; so does any other heading, and headings with no text of their
 * own (chapters, the act's title) are carried into the next passage's
 * heading.  A heading or title line naming an act with its number
 * ("Ligji Nr. 03/L-047 për ...") becomes the current act, so that each
 * language part of a trilingual act knows its own title.  Without
 * headings, a new page starts a new passage.  Long passages are split.
 * Each block gets a language first (see "language per block" below); a
 * block clearly in another language than the passage so far starts a new
 * passage, and a passage's language is that of most of its bytes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "legal.h"
#include "passage.h"
#include "refs.h"

/* Count Cyrillic (U+0400–U+04FF) and Latin letters in the first 4 KiB. */
static int mostly_cyrillic(const char *z, size_t n)
{
    size_t cyr = 0, lat = 0;
    const unsigned char *s = (const unsigned char *)z;
    if (n > 4096)
        n = 4096;
    for (size_t i = 0; i < n; i++) {
        if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
            lat++;
        else if ((s[i] == 0xD0 || s[i] == 0xD1) && i + 1 < n)
            cyr++, i++;
    }
    return cyr > lat;
}

void ura_lang_normalise(const char *tag, const char *z, size_t n, char out[16])
{
    char t[36] = "";
    size_t k = 0;
    for (const char *p = tag; p && *p && k < sizeof t - 1; p++)
        t[k++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : (*p == '_' ? '-' : *p));
    t[k] = '\0';
    char primary[9] = "";
    size_t pl = strcspn(t, "-");
    if (pl > 0 && pl < sizeof primary)
        memcpy(primary, t, pl), primary[pl] = '\0';
    const char *script = strstr(t, "-cyrl") ? "cyrl" : strstr(t, "-latn") ? "latn" : NULL;

    if (!*primary || !strcmp(primary, "und") || !strcmp(primary, "mul")) {
        snprintf(out, 16, "%s", mostly_cyrillic(z, n) ? "sr-cyrl" : "und");
        return;
    }
    if (!strcmp(primary, "sr") || !strcmp(primary, "sh") || !strcmp(primary, "hr") ||
        !strcmp(primary, "bs") || !strcmp(primary, "cnr")) {
        if (!script)
            script = mostly_cyrillic(z, n) ? "cyrl" : "latn";
        snprintf(out, 16, "sr-%s", script);
        return;
    }
    if (!strcmp(primary, "alb") || !strcmp(primary, "sqi"))
        snprintf(out, 16, "sq");
    else
        snprintf(out, 16, "%s", primary);
}

/* ---- reading the first words of a block ---- */

#define HEAD_TOKENS 8

typedef struct head {
    size_t n;
    struct {
        char term[32];
        char exact[32];
        enum ura_token_kind kind;
        size_t start;     /* byte offset in the block */
    } t[HEAD_TOKENS];
    const char *z;        /* the block's text, borrowed */
    size_t len;
} head;

static int on_head_token(void *ctx, const ura_token *tok)
{
    head *h = ctx;
    if (h->n >= HEAD_TOKENS)
        return URA_WARN;
    snprintf(h->t[h->n].term, sizeof h->t[0].term, "%.*s", (int)tok->term_len, tok->term);
    snprintf(h->t[h->n].exact, sizeof h->t[0].exact, "%.*s", (int)tok->exact_len, tok->exact);
    h->t[h->n].kind = tok->kind;
    h->t[h->n].start = tok->start;
    h->n++;
    return h->n >= HEAD_TOKENS ? URA_WARN : URA_OK;
}

static void read_head(ura_analyser *a, const char *z, size_t n, head *h)
{
    h->n = 0;
    h->z = z;
    h->len = n;
    if (a)
        ura_analyse(a, z, n < 512 ? n : 512, 1, NULL, on_head_token, h, NULL);
}

static int is_word(const head *h, size_t i, const char *const *words)
{
    if (i >= h->n)
        return 0;
    for (; *words; words++)
        if (strcmp(h->t[i].term, *words) == 0)
            return 1;
    return 0;
}

/* "Neni 5", "Article 3a", "Član 12", "Члан 4": the article's number as
 * written, or 0 when the block does not open an article. */
static int article_of(const head *h, char out[16])
{
    static const char *const words[] = {"neni", "article", "clan", "cl", "art", NULL};
    if (!is_word(h, 0, words) || h->n < 2)
        return 0;
    const char *num = h->t[1].exact;
    if (num[0] < '0' || num[0] > '9')
        return 0;
    snprintf(out, 16, "%.15s", num);
    return 1;
}

static int is_chapter(const head *h)
{
    static const char *const words[] = {"kapitulli", "chapter", "poglavlje", "pjesa",
                                        "part", "deo", "dio", "glava", NULL};
    return is_word(h, 0, words) && h->n >= 2;
}

/* A word of the act's kind in a title: an act word ("UDHËZIM
 * ADMINISTRATIV", "Monitoring Report") or the issuer in brackets
 * ("(MAPL)", "(КП)"). */
static int title_word(const head *h, size_t i)
{
    const char *t = h->t[i].term;
    return ura_act_word(t, strlen(t)) ||
           (h->t[i].start > 0 && h->z[h->t[i].start - 1] == '(');
}

/* A line naming an act with its number: an act word among the first two
 * words and the act's own number close after it ("Ligji Nr. 03/L-047",
 * "UDHËZIM ADMINISTRATIV (MAPL) Nr. 02/2021", "Raport i Politikave Nr.
 * 03/2023").  A number after another act word that follows other words is
 * that act's ("LAW ON AMENDING LAW No. 03/L-040" names the amended act).
 * Fills law; *word is the index of the act word. */
#define ACT_NR_WITHIN 4 /* tokens from the act word to "Nr." or the number */
static int act_of(const head *h, char law[24], size_t *word)
{
    size_t w;
    if (h->n > 0 && ura_act_word(h->t[0].term, strlen(h->t[0].term)))
        w = 0;
    else if (h->n > 1 && ura_act_word(h->t[1].term, strlen(h->t[1].term)))
        w = 1;
    else
        return 0;
    *word = w;
    static const char *const nr[] = {"nr", "no", "br", NULL};
    int in_kind = 1; /* still in the title's run of act words */
    for (size_t i = w + 1; i < h->n && i <= w + ACT_NR_WITHIN; i++) {
        if (h->t[i].kind == URA_TOKEN_LAWNUM) {
            /* "Ligji 03/L-047": the same form references are given in */
            snprintf(law, 24, "%.23s", h->t[i].term);
            char norm[24];
            if (ura_lawnum_normalise(law, strlen(law), norm))
                snprintf(law, 24, "%s", norm); /* 03/l-047 → 03/L-047 */
            return 1;
        }
        if (is_word(h, i, nr) && i + 1 < h->n && h->t[i + 1].term[0] >= '0' &&
            h->t[i + 1].term[0] <= '9') {
            /* The number as written after "Nr." / "No." / "Br." / "Бр.",
             * up to the next space ("016-27/2022"), with a Cyrillic Л as
             * L. */
            const char *p = h->z + h->t[i + 1].start, *end = h->z + h->len;
            size_t k = 0;
            while (p < end && *p != ' ' && *p != '\n' && *p != '\t' && k < 23) {
                if ((unsigned char)p[0] == 0xD0 && p + 1 < end &&
                    ((unsigned char)p[1] == 0x9B || (unsigned char)p[1] == 0xBB)) {
                    law[k++] = 'L';
                    p += 2;
                } else if ((unsigned char)*p >= 0x80) {
                    break;
                } else {
                    law[k++] = *p++;
                }
            }
            while (k > 0 && strchr(".,;:)", law[k - 1]))
                k--;
            law[k] = '\0';
            char norm[24];
            if (k > 0 && ura_lawnum_normalise(law, k, norm))
                snprintf(law, 24, "%s", norm);
            return k > 0;
        }
        if (!title_word(h, i))
            in_kind = 0;
        else if (!in_kind && ura_act_word(h->t[i].term, strlen(h->t[i].term)))
            return 0; /* another act named in the title */
    }
    return 0;
}

/* ---- language per block ----
 *
 * Before passages are cut, each block gets a language:
 *   - the format's tag for it (HTML lang=, else the document's language
 *     metadata: DOCX/ODT dc:language, PDF XMP) is a hint;
 *   - a block of LANG_JUDGE bytes or more (LANG_SURE with a hint, since
 *     only a sure answer could change it) is identified by libexttextcat
 *     from its first LANG_READ bytes; the answer is sure when the block
 *     has LANG_SURE bytes and libexttextcat names one language (hr, bs and
 *     sh count as sr);
 *   - a sure answer in one of ura's languages (sq, sr, en) that is not the
 *     hint's language wins over the hint (an English page with a Serbian
 *     paragraph); otherwise the hint stands; a block without a hint takes
 *     the answer if it is sure or one of ura's languages;
 *   - a hint that the sure blocks it covers mostly contradict is wrong for
 *     the whole document and is dropped;
 *   - hr, bs, cnr and sh are sr, and Serbian's script is the block's own;
 *   - a block still without a language reads an article or chapter word
 *     ("Neni", "Article", "Član", "Члан", ...) as one, else is in its
 *     neighbours' language: a heading or short line the next block's, any
 *     other block the previous one's. */
#define LANG_JUDGE 60
#define LANG_SURE 200
/* Bytes of a block libexttextcat reads: past LANG_SURE an answer is
 * already sure, and each byte costs n-grams (a call is ~20 us plus
 * ~0.06 us a byte); 300 rather than 600 gave the same language to all
 * 15,980 passages of the bench corpus and corpora/ and cut 6% of
 * indexing CPU. */
#define LANG_READ 300
#define MAX_TAGS 16

typedef struct blang {
    int tag;            /* index into the builder's tags, -1 unknown        */
    unsigned char sure; /* clear evidence: may start a new passage          */
} blang;

static void trim(const char **z, size_t *len)
{
    while (*len && (**z == ' ' || **z == '\n' || **z == '\t'))
        (*z)++, (*len)--;
    while (*len && ((*z)[*len - 1] == ' ' || (*z)[*len - 1] == '\n' ||
                    (*z)[*len - 1] == '\t'))
        (*len)--;
}

static int same_family(const char *a, const char *b)
{
    size_t ka = strcspn(a, "-"), kb = strcspn(b, "-");
    return ka == kb && memcmp(a, b, ka) == 0;
}

static int is_ours(const char *t)
{
    return !strcmp(t, "sq") || !strcmp(t, "en") || !strncmp(t, "sr-", 3);
}

/* The language an opening structure word gives away, or NULL. */
static const char *lang_of_head(const head *h)
{
    static const char *const words[][2] = {
        {"neni", "sq"},      {"kapitulli", "sq"}, {"pjesa", "sq"},
        {"ligji", "sq"},     {"article", "en"},   {"chapter", "en"},
        {"part", "en"},      {"law", "en"},       {"section", "en"},
        {"clan", "sr"},      {"poglavlje", "sr"}, {"deo", "sr"},
        {"glava", "sr"},     {"zakon", "sr"},
    };
    if (h->n == 0)
        return NULL;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(h->t[0].term, words[i][0]))
            return words[i][1];
    return NULL;
}

/* The language family ("sq", "sr", "en") an act or article word is
 * written in, or NULL: a title and the article 1 after it are in one
 * language part. */
static const char *word_family(const char *term)
{
    static const char *const words[][2] = {
        {"neni", "sq"},         {"ligji", "sq"},       {"ligj", "sq"},
        {"rregullore", "sq"},   {"rregullorja", "sq"}, {"udhezim", "sq"},
        {"udhezimi", "sq"},     {"ua", "sq"},          {"vendim", "sq"},
        {"vendimi", "sq"},      {"raport", "sq"},      {"raporti", "sq"},
        {"kushtetuta", "sq"},   {"article", "en"},     {"art", "en"},
        {"law", "en"},          {"regulation", "en"},  {"instruction", "en"},
        {"administrative", "en"}, {"ai", "en"},        {"decision", "en"},
        {"report", "en"},       {"policy", "en"},      {"constitution", "en"},
        {"clan", "sr"},         {"cl", "sr"},          {"zakon", "sr"},
        {"uredba", "sr"},       {"pravilnik", "sr"},   {"odluka", "sr"},
        {"uputstvo", "sr"},     {"administrativno", "sr"}, {"au", "sr"},
        {"izvestaj", "sr"},     {"izvjestaj", "sr"},   {"ustav", "sr"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(term, words[i][0]))
            return words[i][1];
    return NULL;
}

/* Index of tag in tags (added when new); -1 when the table is full. */
static int intern_tag(char (*tags)[16], size_t *ntags, const char *tag)
{
    for (size_t i = 0; i < *ntags; i++)
        if (!strcmp(tags[i], tag))
            return (int)i;
    if (*ntags == MAX_TAGS)
        return -1;
    snprintf(tags[*ntags], 16, "%s", tag);
    return (int)(*ntags)++;
}

/* What one block says about itself, before neighbours are asked. */
typedef struct bfacts {
    char hint[16];  /* the format's tag, normalised, or ""                 */
    char guess[16]; /* libexttextcat's answer, normalised, or ""           */
    unsigned char sure, heading;
    size_t len;
} bfacts;

/* The language of each block of d (an array of d->nblocks, owned by the
 * caller), tags interned in tags[MAX_TAGS]. */
static blang *block_langs(const ura_doc *d, ura_analyser *a, ura_langid *lid,
                          char (*tags)[16], size_t *ntags)
{
    size_t nb = d->nblocks;
    blang *v = ura_xcalloc(nb ? nb : 1, sizeof *v);
    bfacts *f = ura_xcalloc(nb ? nb : 1, sizeof *f);
    const char *doc_tag = ura_doc_meta(d, "language");
    head h;
    for (size_t i = 0; i < nb; i++) {
        const ura_block *bl = &d->blocks[i];
        const char *z = d->text.p + bl->off;
        size_t len = bl->len;
        trim(&z, &len);
        f[i].len = len;
        f[i].heading = bl->kind == URA_NODE_HEADING || len < 160;
        const char *hint = ura_doc_lang(d, bl->lang);
        if (!hint)
            hint = doc_tag;
        if (hint && *hint)
            ura_lang_normalise(hint, z, len, f[i].hint);
        if (!strcmp(f[i].hint, "und"))
            f[i].hint[0] = '\0';
        /* libexttextcat is nearly all of this pass's cost. */
        int single = 0;
        size_t need = f[i].hint[0] ? LANG_SURE : LANG_JUDGE, take = len;
        if (take > LANG_READ) /* on a character boundary */
            for (take = LANG_READ; take > 0 && ((unsigned char)z[take] & 0xC0) == 0x80;)
                take--;
        const char *g = len >= need ? ura_langid_classify(lid, z, take, &single) : NULL;
        if (g) {
            /* Serbian in the block's own script. */
            ura_lang_normalise(!strncmp(g, "sr-", 3) ? "sr" : g, z, len, f[i].guess);
            f[i].sure = single && len >= LANG_SURE;
        }
    }
    /* Hints the sure evidence mostly contradicts are dropped. */
    struct {
        char hint[16];
        size_t agree, against;
    } hs[MAX_TAGS];
    size_t nhs = 0;
    for (size_t i = 0; i < nb; i++) {
        if (!f[i].hint[0])
            continue;
        size_t k = 0;
        while (k < nhs && strcmp(hs[k].hint, f[i].hint))
            k++;
        if (k == nhs) {
            if (nhs == MAX_TAGS)
                continue;
            memcpy(hs[nhs].hint, f[i].hint, sizeof hs[nhs].hint);
            hs[nhs].agree = hs[nhs].against = 0;
            nhs++;
        }
        if (f[i].sure && is_ours(f[i].guess)) {
            if (same_family(f[i].guess, f[i].hint))
                hs[k].agree += f[i].len;
            else
                hs[k].against += f[i].len;
        }
    }
    for (size_t k = 0; k < nhs; k++)
        if (hs[k].against > hs[k].agree)
            for (size_t i = 0; i < nb; i++)
                if (!strcmp(f[i].hint, hs[k].hint))
                    f[i].hint[0] = '\0';
    for (size_t i = 0; i < nb; i++) {
        const char *tag = NULL;
        bfacts *x = &f[i];
        if (x->sure && is_ours(x->guess) && (!x->hint[0] || !same_family(x->guess, x->hint))) {
            tag = x->guess;
            v[i].sure = 1;
        } else if (x->hint[0]) {
            tag = x->hint;
            v[i].sure = x->sure && same_family(x->guess, x->hint);
        } else if (x->guess[0] && (x->sure || is_ours(x->guess))) {
            /* A weak answer outside sq, sr, en is more likely noise (an
             * upper-case or multilingual heading) than a fourth language. */
            tag = x->guess;
            v[i].sure = x->sure;
        } else if (x->len > 0 && x->len < LANG_JUDGE && x->heading) {
            const ura_block *bl = &d->blocks[i];
            const char *z = d->text.p + bl->off;
            size_t len = bl->len;
            trim(&z, &len);
            read_head(a, z, len, &h);
            const char *w = lang_of_head(&h);
            if (w) {
                ura_lang_normalise(w, z, len, x->guess);
                tag = x->guess;
            }
        }
        v[i].tag = tag ? intern_tag(tags, ntags, tag) : -1;
    }
    /* Neighbours: headings look ahead, other blocks back. */
    int last = -1;
    int *next = ura_xcalloc(nb ? nb : 1, sizeof *next);
    for (size_t k = nb; k-- > 0;) {
        next[k] = last;
        if (v[k].tag >= 0 && f[k].len)
            last = v[k].tag;
    }
    last = -1;
    for (size_t i = 0; i < nb; i++) {
        if (v[i].tag < 0 && f[i].len) {
            int first = f[i].heading ? next[i] : last;
            v[i].tag = first >= 0 ? first : f[i].heading ? last : next[i];
        }
        if (v[i].tag >= 0 && f[i].len)
            last = v[i].tag;
    }
    free(next);
    free(f);
    return v;
}

/* ---- building passages ---- */

typedef struct builder {
    const ura_doc *d;
    ura_analyser *a;
    ura_langid *lid;
    ura_passage *v;
    size_t n, cap;
    ura_buf heading;      /* headings waiting for text                      */
    ura_buf text;
    ura_buf pages;        /* page map of the current passage                */
    int page, page_end, last_page;
    char article[16];     /* article of the current passage                 */
    char *act_title;      /* current act, owned                             */
    char law[24];
    int before_art;       /* in an act whose articles are still to come     */
    int title_page;       /* the passage being flushed is the title page    */
    size_t lang_bytes[8]; /* text bytes per language of the current passage */
    size_t head_bytes[8]; /* heading bytes per language                     */
    int lang_id[8];       /* index into tags, or -1 (unknown)               */
    size_t nlang;
    char (*tags)[16];     /* the blocks' languages, interned (borrowed)     */
} builder;

static void count_lang(builder *b, int lang, size_t bytes, int is_heading)
{
    size_t i = 0;
    while (i < b->nlang && b->lang_id[i] != lang)
        i++;
    if (i == b->nlang) {
        if (b->nlang == 8)
            return;
        b->lang_id[i] = lang;
        b->lang_bytes[i] = b->head_bytes[i] = 0;
        b->nlang++;
    }
    if (is_heading)
        b->head_bytes[i] += bytes;
    else
        b->lang_bytes[i] += bytes;
}

/* The language of most text bytes of the current passage so far (of its
 * headings when its text has none known): an index into b->tags, or -1.
 * Headings are a weak witness: a masthead mixes three languages. */
static int majority_lang(const builder *b)
{
    int best = -1;
    size_t most = 0;
    for (size_t i = 0; i < b->nlang; i++)
        if (b->lang_id[i] >= 0 && b->lang_bytes[i] > most)
            most = b->lang_bytes[i], best = b->lang_id[i];
    for (size_t i = 0; best < 0 && i < b->nlang; i++)
        if (b->lang_id[i] >= 0 && b->head_bytes[i] > most)
            most = b->head_bytes[i], best = b->lang_id[i];
    return best;
}

static void flush(builder *b, int keep_heading)
{
    if (b->text.n == 0)
        return;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->v = ura_xrealloc(b->v, b->cap * sizeof *b->v);
    }
    ura_passage *p = &b->v[b->n++];
    memset(p, 0, sizeof *p);
    p->heading = b->heading.n ? ura_xstrndup(b->heading.p, b->heading.n) : NULL;
    p->text = ura_buf_steal(&b->text, &p->text_len);
    p->page = b->page;
    /* headings alone (kept as the text) set the page but no page_end */
    p->page_end = b->page_end ? b->page_end : b->page;
    p->pages = b->pages.n ? ura_buf_steal(&b->pages, NULL) : NULL;
    ura_buf_reset(&b->pages);
    snprintf(p->article, sizeof p->article, "%s", b->article);
    p->act_title = b->act_title ? ura_xstrdup(b->act_title) : NULL;
    snprintf(p->law, sizeof p->law, "%s", b->law);
    if (b->before_art && !p->article[0] && p->act_title)
        snprintf(p->part, sizeof p->part, "%s", b->title_page ? "title" : "preamble");
    int best = majority_lang(b);
    if (best >= 0) {
        memcpy(p->lang, b->tags[best], sizeof p->lang);
    } else {
        /* No block could tell: the passage's text as a whole, else its
         * script. */
        const char *tag = ura_langid_guess(b->lid, p->text, p->text_len);
        ura_lang_normalise(tag, p->text, p->text_len, p->lang);
    }
    b->nlang = 0;
    b->page = b->page_end = 0;
    if (!keep_heading) {
        ura_buf_reset(&b->heading);
        b->article[0] = '\0';
    }
}

/* Record that the text from here on is on `page`. */
static void mark_page(builder *b, int page)
{
    if (page <= 0)
        return;
    if (b->text.n == 0 || b->page == 0)
        b->page = page;
    if (page != b->page_end)
        ura_buf_printf(&b->pages, "%s%zu:%d", b->pages.n ? " " : "", b->text.n, page);
    b->page_end = page;
}

/* Add a block's text to the current passage, splitting when it grows too
 * long.  `prefix` (may be NULL) goes before the text: a list item number. */
static void add_text(builder *b, const char *prefix, const char *z, size_t n, int page,
                     int lang)
{
    /* A sentence a page break cut in two (the text so far stops without
     * closing punctuation, this block starts in lower case on the next
     * page) runs on with a space. */
    int runs_on = 0;
    if (!prefix && b->text.n && page > 0 && b->page_end > 0 && page != b->page_end &&
        !strchr(".:;!?", b->text.p[b->text.n - 1])) {
        UChar32 c;
        int32_t at = 0;
        U8_NEXT((const uint8_t *)z, at, (int32_t)(n < 8 ? n : 8), c);
        runs_on = c > 0 && u_islower(c);
    }
    while (n > 0) {
        if (b->text.n >= URA_PASSAGE_TARGET)
            flush(b, 1);
        if (b->text.n)
            ura_buf_addc(&b->text, runs_on ? ' ' : '\n');
        runs_on = 0;
        mark_page(b, page);
        if (prefix) {
            ura_buf_adds(&b->text, prefix);
            prefix = NULL;
        }
        size_t room = URA_PASSAGE_TARGET + URA_PASSAGE_TARGET / 2;
        size_t take = n;
        if (n > room) {
            /* Cut one huge block at a space before `room`, on a character
             * boundary in any case. */
            take = room;
            while (take > room / 2 && z[take] != ' ' && z[take] != '\n')
                take--;
            if (take <= room / 2)
                for (take = room; take > 0 && ((unsigned char)z[take] & 0xC0) == 0x80;)
                    take--;
        }
        ura_buf_add(&b->text, z, take);
        count_lang(b, lang, take, 0);
        z += take;
        n -= take;
        if (n > 0)
            flush(b, 1);
    }
}

static void add_heading(builder *b, const char *z, size_t len, int page, int lang)
{
    if (b->heading.n) {
        if (b->heading.n > 1024)
            ura_buf_reset(&b->heading); /* a run of empty headings */
        else
            ura_buf_adds(&b->heading, " — ");
    }
    size_t at = b->heading.n, take = len;
    if (take > 512) /* a "heading" this long is text; keep its start */
        for (take = 512; take > 0 && ((unsigned char)z[take] & 0xC0) == 0x80;)
            take--;
    ura_buf_add(&b->heading, z, take);
    for (size_t k = at; k < b->heading.n; k++) /* headings are one line */
        if (b->heading.p[k] == '\n' || b->heading.p[k] == '\t')
            b->heading.p[k] = ' ';
    if (!b->page)
        b->page = page;
    count_lang(b, lang, len, 1);
}

static void set_act(builder *b, const char *z, size_t len, const char *law)
{
    free(b->act_title);
    b->act_title = ura_xstrndup(z, len < 512 ? len : 512);
    for (char *p = b->act_title; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    snprintf(b->law, sizeof b->law, "%s", law);
}

/* What the first words of a block make of it. */
typedef struct bhead {
    unsigned char heading;  /* a heading, or a short line read as one      */
    unsigned char act;      /* names an act with its number (a candidate)  */
    unsigned char act_start;/* ... and is the act's title: see act_lines() */
    unsigned char only_act; /* a short line read as a heading for its act  */
    unsigned char region;   /* the act named at block `act_at` starts here */
    size_t act_at;
    char article[16];       /* "" unless it opens an article               */
    char law[24];
    const char *family;     /* language of its act or article word, or NULL */
} bhead;

/* Which act candidates start an act, and where.  A line naming an act
 * with its number is the act's title when the next article after it is
 * its article 1 in the same language (by the act and article words), or,
 * when no article follows, when it is the document's first act line or in
 * another language than the act before it.  So a signature ("Zakon br.
 * 03/L-068 / 21. maja 2008") after the last article, or a sentence inside
 * an article that starts with a reference ("Law No. 2002/2 ... is
 * repealed"), is not an act.  The act then holds from the start of its
 * part: back over the preamble and title page before its title line, up to
 * the previous article heading or act title, or a block in another
 * language than the act's text (and then from the title's page, or the
 * next heading, not inside the text before it). */
static void act_lines(const ura_doc *d, const blang *bls, bhead *bh)
{
    size_t nb = d->nblocks;
    const char *last_family = NULL;
    int any_act = 0;
    size_t prev_start = 0, have_prev = 0;
    for (size_t i = 0; i < nb; i++) {
        if (!bh[i].act)
            continue;
        size_t j = i + 1;
        while (j < nb && !bh[j].article[0])
            j++;
        int ok;
        if (j < nb)
            ok = !strcmp(bh[j].article, "1") &&
                 !(bh[i].family && bh[j].family && strcmp(bh[i].family, bh[j].family));
        else
            ok = !any_act || (bh[i].family && last_family &&
                              strcmp(bh[i].family, last_family));
        /* an article already read since the last act: the title comes first */
        for (size_t k = have_prev ? prev_start : 0; ok && j == nb && k < i; k++)
            if (bh[k].article[0])
                ok = 0;
        if (!ok) {
            if (bh[i].only_act) /* a line of text after all */
                bh[i].heading = 0;
            continue;
        }
        bh[i].act_start = 1;
        any_act = 1;
        last_family = bh[i].family;
        /* The act's language: its first sure block from the title on. */
        int lang = bls[i].tag;
        for (size_t k = i; k < nb; k++)
            if (bls[k].sure && bls[k].tag >= 0) {
                lang = bls[k].tag;
                break;
            }
        size_t s = i;
        while (s > 0 && !bh[s - 1].article[0] && !bh[s - 1].act_start &&
               !(have_prev && s - 1 < prev_start) &&
               !(bls[s - 1].tag >= 0 && bls[s - 1].tag != lang))
            s--;
        /* Stopped inside the text before it (the last article's, a
         * signature): the part begins on the title's page, else at the
         * next heading. */
        if (s > 0 && !bh[s - 1].heading) {
            size_t t = i;
            while (t > s && d->blocks[t].page > 0 && d->blocks[t].page == d->blocks[t - 1].page)
                t--;
            if (t == s || d->blocks[t].page <= 0)
                for (t = s; t < i && !bh[t].heading;)
                    t++;
            s = t;
        }
        bh[s].region = 1;
        bh[s].act_at = i;
        prev_start = i;
        have_prev = 1;
    }
}

void ura_passages_build(const ura_doc *d, ura_analyser *a, ura_langid *lid,
                        ura_passage **out, size_t *n)
{
    builder b = {0};
    b.d = d;
    b.a = a;
    b.lid = lid;
    char tags[MAX_TAGS][16];
    size_t ntags = 0;
    b.tags = tags;
    blang *bls = block_langs(d, a, lid, tags, &ntags);
    bhead *bh = ura_xcalloc(d->nblocks ? d->nblocks : 1, sizeof *bh);
    head h;
    for (size_t i = 0; i < d->nblocks; i++) {
        const ura_block *bl = &d->blocks[i];
        const char *z = d->text.p + bl->off;
        size_t len = bl->len;
        trim(&z, &len);
        if (len == 0)
            continue;
        int heading = bl->kind == URA_NODE_HEADING;
        /* Short lines are read as possible headings too: formats without
         * heading styles (PDF) give "Neni 5" as a paragraph. */
        int shortline = !heading && len < 160 && bl->kind == URA_NODE_PARAGRAPH;
        if (!heading && !shortline)
            continue;
        read_head(a, z, len, &h);
        size_t w = 0;
        int is_article = article_of(&h, bh[i].article) && (heading || len < 100);
        if (!is_article)
            bh[i].article[0] = '\0';
        int is_act = !is_article && act_of(&h, bh[i].law, &w) &&
                     (heading || z[len - 1] != '.');
        if (shortline && !is_article && !is_act && !is_chapter(&h))
            shortline = 0; /* an ordinary short paragraph */
        bh[i].heading = heading || shortline;
        bh[i].act = is_act;
        bh[i].only_act = !heading && is_act && !is_chapter(&h);
        if (is_article || is_act)
            bh[i].family = word_family(h.t[is_article ? 0 : w].term);
    }
    act_lines(d, bls, bh);
    int any_heading = 0, title_waiting = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const ura_block *bl = &d->blocks[i];
        const char *z = d->text.p + bl->off;
        size_t len = bl->len;
        /* Trim; skip blocks with nothing but spaces. */
        trim(&z, &len);
        if (len == 0)
            continue;
        if (bh[i].region) {
            /* A new act's part begins (its preamble or title page). */
            flush(&b, 0);
            const ura_block *tb = &d->blocks[bh[i].act_at];
            const char *tz = d->text.p + tb->off;
            size_t tlen = tb->len;
            trim(&tz, &tlen);
            set_act(&b, tz, tlen, bh[bh[i].act_at].law);
            /* Before its article 1 (act_lines() made sure it follows):
             * title page and preamble. */
            b.before_art = 0;
            for (size_t k = i; k < d->nblocks && !b.before_art; k++)
                if (bh[k].article[0])
                    b.before_art = 1;
                else if (k > i && bh[k].region)
                    break;
        }
        if (bh[i].heading) {
            flush(&b, 0);
            any_heading = 1;
            /* A title page (the act's title line among the headings still
             * waiting for text) is a passage of its own when the next
             * heading is on a later page: the first section or article
             * does not take the title page's lines as its heading. */
            if (title_waiting && b.heading.n && bl->page > 0 && b.page > 0 &&
                bl->page > b.page) {
                ura_buf_add(&b.text, b.heading.p, b.heading.n);
                ura_buf_reset(&b.heading);
                b.page_end = b.page;
                b.title_page = 1;
                flush(&b, 0);
                b.title_page = 0;
            }
            title_waiting = title_waiting || bh[i].act_start;
            if (bh[i].article[0]) {
                b.before_art = 0;
                snprintf(b.article, sizeof b.article, "%s", bh[i].article);
                /* The chapter and act headings before it stay in the
                 * heading path; a previous article's do not. */
            }
            add_heading(&b, z, len, bl->page, bls[i].tag);
            continue;
        }
        /* Clearly another language than the passage so far: a new passage
         * (the parts of a trilingual act run on without a heading). */
        if (b.text.n && bls[i].sure && bls[i].tag >= 0) {
            int cur = majority_lang(&b);
            if (cur >= 0 && cur != bls[i].tag)
                flush(&b, 0);
        }
        /* Without headings, pages are the passages. */
        if (!any_heading && b.text.n && bl->page && bl->page != b.page_end)
            flush(&b, 0);
        char num[24], *prefix = NULL;
        if (bl->kind == URA_NODE_LIST_ITEM && bl->level > 0) {
            snprintf(num, sizeof num, "%d. ", bl->level);
            prefix = num;
        }
        add_text(&b, prefix, z, len, bl->page, bls[i].tag);
        title_waiting = 0;
    }
    free(bls);
    free(bh);
    flush(&b, 0);
    if (b.heading.n) {
        /* Headings with no text after them (the document's last ones, or
         * all it has): keep them as the text, so they can be found. */
        ura_buf_add(&b.text, b.heading.p, b.heading.n);
        ura_buf_reset(&b.heading);
        flush(&b, 0);
    }
    if (b.n == 0) {
        const char *title = ura_doc_meta(d, "title");
        if (title && *title) {
            ura_buf_adds(&b.text, title);
            flush(&b, 0);
        }
    }
    /* A passage too short to tell ("KAPITULLI I") is in the language of
     * its neighbours: the one before it, else the one after. */
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < b.n; k++) {
            size_t i = pass ? b.n - 1 - k : k;
            size_t j = pass ? i + 1 : i - 1;
            if (strcmp(b.v[i].lang, "und") == 0 && (pass ? i + 1 < b.n : i > 0) &&
                strcmp(b.v[j].lang, "und") != 0)
                memcpy(b.v[i].lang, b.v[j].lang, sizeof b.v[i].lang);
        }
    ura_buf_free(&b.heading);
    ura_buf_free(&b.text);
    ura_buf_free(&b.pages);
    free(b.act_title);
    *out = b.v;
    *n = b.n;
}

void ura_passages_free(ura_passage *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].heading);
        free(p[i].text);
        free(p[i].pages);
        free(p[i].act_title);
    }
    free(p);
}

int ura_passage_page_at(const char *pages, int first_page, size_t off)
{
    int page = first_page;
    for (const char *p = pages; p && *p;) {
        char *end;
        unsigned long long at = strtoull(p, &end, 10);
        if (*end != ':')
            break;
        long pg = strtol(end + 1, &end, 10);
        if (at > off)
            break;
        page = (int)pg;
        p = *end ? end + 1 : end;
    }
    return page;
}
