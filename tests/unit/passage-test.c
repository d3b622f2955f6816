/* passage-test.c — the segmenter on documents built through the core's
 * sink, as a plugin would emit them: pages and page maps of passages,
 * including the cases the fuzzer (fuzz/fuzz-segment.c) found. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "check.h"
#include "doc.h"
#include "passage.h"

static ura_analyser *analyser;

/* One block of a test document: page 0 keeps the current page. */
typedef struct tblock {
    int page;
    enum ura_node kind;
    const char *text;
} tblock;

static ura_passage *build(const tblock *bl, size_t nbl, size_t *np)
{
    ura_doc *d = ura_doc_new("test", "test", "0");
    ura_doc_sink s;
    ura_doc_sink_init(&s, d);
    const struct ura_sink *k = &s.sink;
    int page = 0;
    for (size_t i = 0; i < nbl; i++) {
        if (bl[i].page) {
            if (page)
                k->end(k->ctx, URA_NODE_PAGE);
            page = bl[i].page;
            k->begin(k->ctx, URA_NODE_PAGE, page, NULL);
        }
        k->begin(k->ctx, bl[i].kind, 1, "sq");
        k->text(k->ctx, bl[i].text, strlen(bl[i].text));
        k->end(k->ctx, bl[i].kind);
    }
    ura_doc_sink_finish(&s);
    ura_passage *p = NULL;
    ura_passages_build(d, analyser, NULL, &p, np);
    ura_doc_free(d);
    return p;
}

/* A passage's pages as "page-page_end [map]". */
static void pages_of(const ura_passage *p, char *out, size_t n)
{
    snprintf(out, n, "%d-%d [%s]", p->page, p->page_end, p->pages ? p->pages : "");
}

static void test_pages(void)
{
    static const struct {
        const char *what;
        tblock blocks[4];
        size_t nblocks;
        const char *want; /* pages of each passage, "; "-joined */
    } cases[] = {
        {"an article over a page break",
         {{1, URA_NODE_HEADING, "Neni 1"},
          {0, URA_NODE_PARAGRAPH, "Komuna ka zyrë."},
          {2, URA_NODE_PARAGRAPH, "Zyra raporton."}},
         3, "1-2 [0:1 17:2]"},
        /* fuzz-segment: headings with no text after them, kept as the
         * passage's text, gave page 4 and page_end 0 */
        {"a document that ends in headings",
         {{3, URA_NODE_HEADING, "Neni 1"},
          {0, URA_NODE_PARAGRAPH, "Teksti."},
          {4, URA_NODE_HEADING, "Neni 2"}},
         3, "3-3 [0:3]; 4-4 []"},
        {"headings only, on one page",
         {{4, URA_NODE_HEADING, "Neni 1"}}, 1, "4-4 []"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t np = 0;
        ura_passage *p = build(cases[c].blocks, cases[c].nblocks, &np);
        char got[512] = "", one[128];
        for (size_t i = 0; i < np; i++) {
            pages_of(&p[i], one, sizeof one);
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "; " : "",
                     one);
        }
        CHECK_STR(got, cases[c].want, cases[c].what);
        ura_passages_free(p, np);
    }
}

int main(void)
{
    ura_error err = {0};
    if (ura_analyser_new(&analyser, &err) != URA_OK) {
        fprintf(stderr, "analyser: %s\n", err.msg);
        return 1;
    }
    test_pages();
    ura_analyser_free(analyser);
    return check_finish("passage-test");
}
