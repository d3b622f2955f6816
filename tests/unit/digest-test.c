/* digest-test.c — a file's digest (core/digest.c): what the builder puts
 * in it, that the indexer's decoder gives back exactly those terms, and
 * that the decoder refuses, without reading out of bounds, every cut and
 * every changed byte it cannot trust, and terms with the indexer's own
 * prefixes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "check.h"
#include "digest.h"
#include "doc.h"
#include "stem.h"
#include "xdb.h"

/* Terms as lines "term wdf pos,pos,", in order. */
static void on_term(void *ctx, const char *t, size_t n, uint32_t wdf, const uint32_t *pos,
                    size_t npos)
{
    ura_buf *b = ctx;
    ura_buf_printf(b, "%.*s %u ", (int)n, t, wdf);
    for (size_t i = 0; i < npos; i++)
        ura_buf_printf(b, "%u,", pos[i]);
    ura_buf_addc(b, '\n');
}

static ura_doc *make_doc(void)
{
    ura_doc *d = ura_doc_new("/tmp/ligji.html", "html", "1.0");
    ura_doc_sink s;
    ura_doc_sink_init(&s, d);
    const struct ura_sink *k = &s.sink;
    static const char title[] = "Ligji Nr. 03/L-047 për mbrojtjen e komuniteteve";
    k->meta(k->ctx, "title", title, strlen(title));
    static const struct {
        enum ura_node kind;
        const char *text;
    } bl[] = {
        {URA_NODE_HEADING, "Neni 1"},
        {URA_NODE_PARAGRAPH, "Komuna e Dragashit siguron shkollimin në gjuhën e komunitetit."},
        {URA_NODE_HEADING, "Neni 2"},
        {URA_NODE_PARAGRAPH, "Sipas Ligjit Nr. 02/L-037 dhe Kushtetutës, Komuna e Prizrenit."},
    };
    k->begin(k->ctx, URA_NODE_PAGE, 1, NULL);
    for (size_t i = 0; i < sizeof bl / sizeof *bl; i++) {
        k->begin(k->ctx, bl[i].kind, 1, "sq");
        k->text(k->ctx, bl[i].text, strlen(bl[i].text));
        k->end(k->ctx, bl[i].kind);
    }
    k->end(k->ctx, URA_NODE_PAGE);
    ura_doc_sink_finish(&s);
    return d;
}

static int has_line(const ura_buf *b, const char *prefix)
{
    size_t k = strlen(prefix);
    for (const char *p = b->p; p && p < b->p + b->n;) {
        if (strncmp(p, prefix, k) == 0)
            return 1;
        p = memchr(p, '\n', (size_t)(b->p + b->n - p));
        p = p ? p + 1 : NULL;
    }
    return 0;
}

static void test_round_trip(ura_analyser *an, ura_stemmer *st, ura_buf *dg)
{
    ura_doc *d = make_doc();
    ura_error err = {0};
    int rc = ura_digest_build(an, NULL, st, d, dg, &err);
    CHECK(rc == URA_OK, "build: %d %s", rc, err.msg);
    ura_doc_free(d);

    char why[200] = "";
    CHECK(ura_digest_check(dg->p, dg->n, why, sizeof why) == 0, "check: %s", why);
    ura_digest_reader r;
    ura_digest_file f;
    ura_digest_passage ps;
    CHECK(ura_digest_open(&r, dg->p, dg->n, &f, why, sizeof why) == 0, "open: %s", why);
    CHECK(f.title.n == strlen("Ligji Nr. 03/L-047 për mbrojtjen e komuniteteve") &&
              memcmp(f.title.p, "Ligji", 5) == 0,
          "title: %.*s", (int)f.title.n, f.title.p);
    CHECK_STR(f.type, "law", "type");
    CHECK(f.npassages == 2, "passages: %zu, want 2", f.npassages);
    size_t n = 0;
    int k;
    while ((k = ura_digest_next(&r, &ps, NULL, why, sizeof why)) == 1) {
        n++;
        CHECK_STR(ps.lang, "sq", "language");
        CHECK_STR(ps.article, n == 1 ? "1" : "2", "article");
        CHECK_STR(ps.law, "", "act number (no act line in the text)");
        CHECK(ps.article_pos == 2, "passage %zu: article number at %u, want 2 (\"Neni %zu\")", n,
              (unsigned)ps.article_pos, n);
        /* the terms the indexer adds are those the builder analysed */
        ura_xdoc *x = ura_xdoc_new();
        ura_digest_add_terms(&ps, x);
        ura_buf lines = {0};
        CHECK(ura_xdoc_each_term(x, on_term, &lines, &err) == URA_OK, "each_term: %s", err.msg);
        CHECK(has_line(&lines, "XLsq 0 \n"), "passage %zu: no XLsq:\n%s", n, lines.p);
        CHECK(has_line(&lines, n == 1 ? "XA1 0 \n" : "XA2 0 \n"),
              "passage %zu: no article term:\n%s", n, lines.p);
        CHECK(!has_line(&lines, "XN"), "passage %zu: an act term:\n%s", n, lines.p);
        CHECK(has_line(&lines, "Tligji 1 \n"), "passage %zu: no title term:\n%s", n, lines.p);
        CHECK(has_line(&lines, "Hneni 1 \n"), "passage %zu: no heading term:\n%s", n, lines.p);
        CHECK(has_line(&lines, "neni 1 1,\n"), "passage %zu: heading word not at 1:\n%s", n,
              lines.p);
        if (n == 1) {
            CHECK(has_line(&lines, "XGdragash 1 \n"), "no place term:\n%s", lines.p);
            CHECK(has_line(&lines, "komuna 1 11,\n"), "text not after the heading gap:\n%s",
                  lines.p);
        } else {
            CHECK(has_line(&lines, "XC02/l-037 0"), "no citation term:\n%s", lines.p);
            CHECK(has_line(&lines, "XCconstitution 0"), "no constitution term:\n%s", lines.p);
            CHECK(ps.cites.p && memcmp(ps.cites.p, "02/L-037@", 9) == 0, "cites: %.*s",
                  (int)ps.cites.n, ps.cites.p ? ps.cites.p : "");
        }
        ura_buf_free(&lines);
        ura_xdoc_free(x);
    }
    CHECK(k == 0 && n == 2, "next: %d after %zu passages: %s", k, n, why);
}

/* Every cut and every byte set to a few values: refused or read in
 * bounds (the ASan build checks the bounds), never taken with a
 * reserved term. */
static void test_damage(const ura_buf *dg)
{
    char why[200];
    size_t cut_ok = 0;
    for (size_t n = 0; n < dg->n; n++)
        cut_ok += ura_digest_check(dg->p, n, why, sizeof why) == 0;
    CHECK(cut_ok == 0, "%zu cuts of the digest were taken", cut_ok);
    ura_buf more = {0};
    ura_buf_add(&more, dg->p, dg->n);
    ura_buf_addc(&more, 0);
    CHECK(ura_digest_check(more.p, more.n, why, sizeof why) != 0, "a byte after the end taken");
    static const unsigned char vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 'Q', 'X', 'P'};
    size_t taken = 0, refused = 0;
    for (size_t i = 0; i < dg->n; i++)
        for (size_t v = 0; v < sizeof vals; v++) {
            char keep = more.p[i];
            more.p[i] = (char)vals[v];
            int k = ura_digest_check(more.p, dg->n, why, sizeof why);
            if (k == 0) {
                taken++;
                /* taken: then every term must be allowed */
                ura_digest_reader r;
                ura_digest_file f;
                ura_digest_passage ps;
                ura_digest_open(&r, more.p, dg->n, &f, why, sizeof why);
                while (ura_digest_next(&r, &ps, NULL, why, sizeof why) == 1) {
                    ura_xdoc *x = ura_xdoc_new();
                    ura_digest_add_terms(&ps, x);
                    ura_xdoc_free(x);
                }
            } else {
                refused++;
                CHECK(strncmp(why, "digest: ", 8) == 0, "reason without its prefix: %s", why);
            }
            more.p[i] = keep;
        }
    CHECK(refused > 0, "no changed byte was refused");
    ura_buf_free(&more);
}

static void test_prefixes(void)
{
    static const struct {
        const char *term;
        int ok;
    } t[] = {
        {"ligji", 1},       {"03/l-047", 1},   {"2019", 1},         {"Eštrpce", 1},
        {"Zsqligj", 1},     {"Tligji", 1},     {"Hneni", 1},        {"XGdragash", 1},
        {"XLsq", 1},        {"XTlaw", 1},      {"XY2019", 1},       {"XN03/l-047", 1},
        {"XA3a", 1},        {"XCconstitution", 1},
        {"Q0123:0", 0},     {"XP0123", 0},     {"XFpdf", 0},        {"Xfoo", 0},
        {"Kfoo", 0},        {"X", 0},          {"", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        CHECK(ura_digest_term_allowed(t[i].term, strlen(t[i].term)) == t[i].ok,
              "term \"%s\": allowed %d, want %d", t[i].term, !t[i].ok, t[i].ok);
    char big[URA_XDB_TERM_MAX + 2];
    memset(big, 'a', sizeof big);
    CHECK(ura_digest_term_allowed(big, URA_XDB_TERM_MAX), "a term of the longest length refused");
    CHECK(!ura_digest_term_allowed(big, URA_XDB_TERM_MAX + 1), "a term too long allowed");
}

int main(void)
{
    ura_analyser *an = NULL;
    ura_stemmer *st = NULL;
    ura_error err = {0};
    if (ura_analyser_new(&an, &err) != URA_OK || ura_stemmer_new(&st, &err) != URA_OK) {
        fprintf(stderr, "digest-test: %s\n", err.msg);
        return 1;
    }
    ura_buf dg = {0};
    test_round_trip(an, st, &dg);
    test_damage(&dg);
    test_prefixes();
    ura_buf_free(&dg);
    ura_stemmer_free(st);
    ura_analyser_free(an);
    return check_finish("digest-test");
}
