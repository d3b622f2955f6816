/* fuzz-segment.c — libFuzzer harness for the segmenter (core/passage.c)
 * and the reference finder (core/refs.c).
 *
 * The input is read as lines of a small document, fed through the core's
 * sink (core/doc.c) the way a plugin would:
 *   "\f"       at the start of a line: a new page
 *   "#", "##"  a heading of that level        "- "  a list item
 *   "^"        a footnote                     "|"   a table cell
 *   "@TAG "    the block's language (e.g. "@sr-Cyrl ")
 *   "title:"   the document's title
 *   else       a paragraph.
 * The document is cut into passages (with the analyser and the language
 * identifier), and ura_refs_find runs over the whole input and over each
 * passage.  Checked: passages carry valid, bounded fields and pages in
 * order; references lie inside the text, in order, with sane numbers. */
#include "config.h"

#include <string.h>

#include "analyse.h"
#include "doc.h"
#include "fuzz.h"
#include "langid.h"
#include "passage.h"
#include "refs.h"
#include "util.h"

static ura_analyser *analyser;
static ura_langid *langid;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ura_error err = {0};
    FUZZ_CHECK(ura_analyser_new(&analyser, &err) == URA_OK, "analyser: %s", err.msg);
    langid = ura_langid_new(); /* NULL is allowed: the segmenter goes without */
    return 0;
}

struct refs_state {
    size_t n, last_start, count;
};

static int on_ref(void *ctx, const ura_ref *r)
{
    struct refs_state *st = ctx;
    FUZZ_CHECK(r->start <= r->end && r->end <= st->n, "reference at %zu..%zu of %zu",
               r->start, r->end, st->n);
    FUZZ_CHECK(r->start >= st->last_start, "reference at %zu after one at %zu", r->start,
               st->last_start);
    FUZZ_CHECK(memchr(r->law, '\0', sizeof r->law), "law not NUL-terminated");
    FUZZ_CHECK(r->article >= 0 && r->paragraph >= 0 && r->point >= 0,
               "negative number: %d %d %d", r->article, r->paragraph, r->point);
    st->last_start = r->start;
    st->count++;
    return 0;
}

static void find_refs(const char *z, size_t n)
{
    struct refs_state st = {n, 0, 0};
    ura_refs_find(z, n, on_ref, &st);
}

/* Feed the lines of data into the sink s. */
static void feed(ura_doc_sink *s, const char *z, size_t n)
{
    const struct ura_sink *k = &s->sink;
    int page = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(z + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - z) : n;
        const char *l = z + i;
        size_t len = e - i;
        i = e + 1;
        if (len && l[0] == '\f') {
            if (page)
                k->end(k->ctx, URA_NODE_PAGE);
            k->begin(k->ctx, URA_NODE_PAGE, ++page, NULL);
            l++, len--;
        }
        char lang[24] = "";
        if (len && l[0] == '@') {
            size_t t = 1;
            while (t < len && t < sizeof lang && l[t] != ' ')
                t++;
            memcpy(lang, l + 1, t - 1);
            lang[t - 1] = '\0';
            if (t < len && l[t] == ' ')
                t++;
            l += t, len -= t;
        }
        if (len >= 6 && memcmp(l, "title:", 6) == 0) {
            k->meta(k->ctx, "title", l + 6, len - 6);
            continue;
        }
        enum ura_node kind = URA_NODE_PARAGRAPH;
        int level = 0;
        if (len && l[0] == '#') {
            kind = URA_NODE_HEADING;
            while (len && l[0] == '#')
                level++, l++, len--;
        } else if (len >= 2 && l[0] == '-' && l[1] == ' ') {
            kind = URA_NODE_LIST_ITEM;
            l += 2, len -= 2;
        } else if (len && l[0] == '^') {
            kind = URA_NODE_FOOTNOTE;
            l++, len--;
        } else if (len && l[0] == '|') {
            kind = URA_NODE_CELL;
            l++, len--;
        }
        if (kind == URA_NODE_LIST_ITEM)
            k->begin(k->ctx, URA_NODE_LIST, 1, NULL);
        k->begin(k->ctx, kind, level, *lang ? lang : NULL);
        k->text(k->ctx, l, len);
        k->end(k->ctx, kind);
        if (kind == URA_NODE_LIST_ITEM)
            k->end(k->ctx, URA_NODE_LIST);
    }
}

static void check_passage(const ura_passage *p)
{
    FUZZ_CHECK(p->text || p->text_len == 0, "no text but a length");
    if (p->text) {
        FUZZ_CHECK(strlen(p->text) <= p->text_len, "text longer than text_len");
        for (size_t i = 0; i < p->text_len;) {
            size_t k = ura_utf8_seq((const unsigned char *)p->text + i, p->text_len - i);
            FUZZ_CHECK(k > 0, "passage text not valid UTF-8 at %zu", i);
            i += k;
        }
    }
    FUZZ_CHECK(memchr(p->lang, '\0', sizeof p->lang) && p->lang[0], "lang");
    FUZZ_CHECK(memchr(p->article, '\0', sizeof p->article), "article");
    FUZZ_CHECK(memchr(p->law, '\0', sizeof p->law), "law");
    FUZZ_CHECK(p->page >= 0 && p->page_end >= p->page, "pages %d..%d", p->page,
               p->page_end);
    if (p->pages && p->text) {
        int first = ura_passage_page_at(p->pages, p->page, 0);
        int last = ura_passage_page_at(p->pages, p->page, p->text_len);
        FUZZ_CHECK(first == p->page && last >= first && last <= p->page_end,
                   "page map '%s' gives %d..%d for pages %d..%d", p->pages, first, last,
                   p->page, p->page_end);
    }
    if (p->text)
        find_refs(p->text, p->text_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *z = (const char *)data;
    find_refs(z, size);

    ura_doc *d = ura_doc_new("fuzz-input", "fuzz", "0");
    ura_doc_sink s;
    ura_doc_sink_init(&s, d);
    feed(&s, z, size);
    ura_doc_sink_finish(&s);

    ura_passage *ps = NULL;
    size_t np = 0;
    ura_passages_build(d, analyser, langid, &ps, &np);
    for (size_t i = 0; i < np; i++)
        check_passage(&ps[i]);
    ura_passages_free(ps, np);
    ura_doc_free(d);
    return 0;
}
