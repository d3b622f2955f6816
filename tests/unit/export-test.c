/* export-test.c — citations for reports: a table of hits and the citation
 * text each must give in its language, the BibTeX escaper and file URLs
 * row by row, and the exact CSL-JSON, BibTeX and RIS of hand-built hits
 * (quotes, braces, %, &, newlines, Cyrillic, a lone "{", repeated keys). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"
#include "util.h"

#define SQ_TITLE "Ligji Nr. 03/L-047 për Mbrojtjen dhe Promovimin e të Drejtave të Komuniteteve"
#define SR_TITLE "Zakon br. 03/L-047 o zaštiti i promovisanju prava zajednica"
#define CY_TITLE "Закон бр. 03/Л-047 о заштити и промовисању права заједница"
#define EN_TITLE "Law No. 03/L-047 on the Protection and Promotion of the Rights of Communities"

/* The fields a citation is built from; NULL and 0 are "unknown". */
typedef struct row {
    const char *lang, *act_title, *title, *law, *type, *article, *paragraph;
    int page;
    const char *path, *heading;
    const char *want;
    const char *part; /* "title", "preamble" or NULL */
} row;

#define TRI_TITLE "Ligji Nr. 04/L-241 për gjuhët në gjykata / Law No. 04/L-241 on " \
                  "languages in courts / Закон бр. 04/L-241 о језицима у судовима"

static const row cites[] = {
    /* the four languages, everything known */
    {"sq", SQ_TITLE, NULL, "03/L-047", "law", "4", "2", 3, NULL, NULL,
     SQ_TITLE ", neni 4, paragrafi 2, f. 3", NULL},
    {"sr-latn", SR_TITLE, NULL, "03/L-047", "law", "4", "2", 3, NULL, NULL,
     SR_TITLE ", član 4, stav 2, str. 3", NULL},
    {"sr-cyrl", CY_TITLE, NULL, "03/L-047", "law", "4", "2", 3, NULL, NULL,
     CY_TITLE ", члан 4, став 2, стр. 3", NULL},
    {"en", EN_TITLE, NULL, "03/L-047", "law", "4", "2", 3, NULL, NULL,
     EN_TITLE ", Article 4, paragraph 2, p. 3", NULL},
    /* language tags in another case, Serbian without script, others */
    {"SR-Latn", SR_TITLE, NULL, "03/L-047", "law", "4", NULL, 0, NULL, NULL,
     SR_TITLE ", član 4", NULL},
    {"sr", SR_TITLE, NULL, "03/L-047", "law", "4", NULL, 0, NULL, NULL, SR_TITLE ", član 4", NULL},
    {"de", SQ_TITLE, NULL, "03/L-047", "law", "4", NULL, 5, NULL, NULL,
     SQ_TITLE ", Article 4, p. 5", NULL},
    {NULL, EN_TITLE, NULL, "03/L-047", "law", NULL, NULL, 5, NULL, NULL, EN_TITLE ", p. 5", NULL},
    /* the number is in the title: not repeated, whatever the script of Л */
    {"sr-cyrl", "Закон бр. 03/L-047 о заштити", NULL, "03/L-047", "law", "1", NULL, 0, NULL, NULL,
     "Закон бр. 03/L-047 о заштити, члан 1", NULL},
    {"sq", "Ligji nr. 03/l-047 për komunitetet", NULL, "03/L-047", "law", "1", NULL, 0, NULL, NULL,
     "Ligji nr. 03/l-047 për komunitetet, neni 1", NULL},
    /* a title that names the kind of act but not its number gets it */
    {"en", "Law on the Use of Languages", NULL, "02/L-37", "law", "2", NULL, 0, NULL, NULL,
     "Law No. 02/L-37 on the Use of Languages, Article 2", NULL},
    {"sq", "LIGJI PËR ARSIMIN NË KOMUNAT", NULL, "03/L-068", "law", "3", NULL, 0, NULL, NULL,
     "LIGJI Nr. 03/L-068 PËR ARSIMIN NË KOMUNAT, neni 3", NULL},
    {"sr-cyrl", "ЗАКОН О ЛОКАЛНОЈ САМОУПРАВИ", NULL, "03/L-040", "law", "12", "1", 0, NULL,
     NULL, "ЗАКОН бр. 03/L-040 О ЛОКАЛНОЈ САМОУПРАВИ, члан 12, став 1", NULL},
    {"sq", "Udhëzim Administrativ për përdorimin e gjuhëve", NULL, "02/2019", "instruction",
     "7", NULL, 0, NULL, NULL,
     "Udhëzim Administrativ Nr. 02/2019 për përdorimin e gjuhëve, neni 7", NULL},
    {"sr-latn", "Odluka o osnivanju kancelarije", NULL, "15/2021", "decision", NULL, NULL, 2,
     NULL, NULL, "Odluka br. 15/2021 o osnivanju kancelarije, str. 2", NULL},
    /* ... and a title that does not name it is prefixed */
    {"sq", NULL, "Mbrojtja e komuniteteve", "03/L-047", "law", "4", NULL, 0, NULL, NULL,
     "Ligji Nr. 03/L-047, Mbrojtja e komuniteteve, neni 4", NULL},
    {"en", "Lawful residence", NULL, "03/L-099", "law", NULL, NULL, 0, NULL, NULL,
     "Law No. 03/L-099, Lawful residence", NULL},
    {"en", "Rights of Communities", NULL, "03/L-047", NULL, "4", NULL, 0, NULL, NULL,
     "Law No. 03/L-047, Rights of Communities, Article 4", NULL},
    {"sq", "Raport vjetor", NULL, "03/2023", "report", NULL, NULL, 0, NULL, NULL,
     "Nr. 03/2023, Raport vjetor", NULL},
    {"sr-cyrl", NULL, NULL, "03/L-047", "law", "5", NULL, 0, NULL, NULL,
     "Закон бр. 03/L-047, члан 5", NULL},
    /* act_title wins over the document's title */
    {"en", EN_TITLE, "Official Gazette No. 3", "03/L-047", "law", "4", NULL, 0, NULL, NULL,
     EN_TITLE ", Article 4", NULL},
    /* an act line that is only the kind and number, or in capitals: the
     * document's title names the act in full, in the hit's language */
    {"sr-cyrl", "ЗАКОН бр. 04/L-241", TRI_TITLE, "04/L-241", "law", "2", NULL, 8, NULL, NULL,
     "Закон бр. 04/L-241 о језицима у судовима, члан 2, стр. 8", NULL},
    {"en", "LAW No. 04/L-241", TRI_TITLE, "04/L-241", "law", "2", NULL, 5, NULL, NULL,
     "Law No. 04/L-241 on languages in courts, Article 2, p. 5", NULL},
    {"sq", "LIGJI Nr. 04/L-241 PËR GJUHËT", TRI_TITLE, "04/L-241", "law", "2", NULL, 2, NULL,
     NULL, "Ligji Nr. 04/L-241 për gjuhët në gjykata, neni 2, f. 2", NULL},
    {"sq", "RAPORT Nr. 05/2022", "Raport për kuvendet komunale", "05/2022", "report", NULL,
     NULL, 2, NULL, "3. Nënkryesuesi", "Raport Nr. 05/2022 për kuvendet komunale, 3. Nënkryesuesi, f. 2",
     NULL},
    /* ... not when it names another act or not in the hit's language */
    {"sr-latn", "Zakon br. 04/L-241", TRI_TITLE, "04/L-241", "law", "2", NULL, 0, NULL, NULL,
     "Zakon br. 04/L-241, član 2", NULL},
    {"sq", "Ligji Nr. 04/L-241", "Ligji Nr. 03/L-047 për komunitetet", "04/L-241", "law", "2",
     NULL, 0, NULL, NULL, "Ligji Nr. 04/L-241, neni 2", NULL},
    /* before the first article: the preamble is named, a title page is
     * the act and its page, not the masthead read as its heading */
    {"sq", SQ_TITLE, NULL, "03/L-047", "law", NULL, NULL, 1, NULL, "REPUBLIKA E KOSOVËS",
     SQ_TITLE ", preambula, f. 1", "preamble"},
    {"sr-cyrl", CY_TITLE, NULL, "03/L-047", "law", NULL, NULL, 1, NULL, "СКУПШТИНА",
     CY_TITLE ", преамбула, стр. 1", "preamble"},
    {"en", EN_TITLE, NULL, "03/L-047", "law", NULL, NULL, 4, NULL,
     "OFFICIAL GAZETTE — No. 7 / 14 April 2022", EN_TITLE ", p. 4", "title"},
    /* no article: the passage's heading says where; no title: the file */
    {"sq", NULL, NULL, NULL, "report", NULL, NULL, 7, "/x/y/raporti.pdf",
     "Kapitulli II — Të dhënat", "raporti.pdf, Të dhënat, f. 7", NULL},
    {"en", NULL, "Annual report", NULL, "report", NULL, NULL, 0, "/x/r.pdf",
     "Annual report", "Annual report", NULL},
    {"en", NULL, "Annual report", NULL, "report", "3", NULL, 0, "/x/r.pdf", "Article 3 — Data",
     "Annual report, Article 3", NULL},
    /* white space, trailing punctuation, paragraph without article */
    {"en", "  Law on Local\n\tSelf-Government. ", NULL, "03/L-040", "law", "12", NULL, 0, NULL,
     NULL, "Law No. 03/L-040 on Local Self-Government, Article 12", NULL},
    {"en", "Law on X;", NULL, NULL, "law", NULL, "2", 0, NULL, NULL, "Law on X", NULL},
    {"en", " ", NULL, NULL, NULL, NULL, NULL, 4, NULL, NULL, "p. 4", NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, "", NULL},
};

static void test_citations(void)
{
    for (size_t i = 0; i < sizeof cites / sizeof cites[0]; i++) {
        const row *c = &cites[i];
        ura_hit h = {0};
        h.lang = (char *)c->lang;
        h.act_title = (char *)c->act_title;
        h.title = (char *)c->title;
        h.law = (char *)c->law;
        h.type = (char *)c->type;
        h.article = (char *)c->article;
        h.paragraph = (char *)c->paragraph;
        h.page = c->page;
        h.page_end = c->page ? c->page + 2 : 0;   /* the span is not cited */
        h.path = (char *)c->path;
        h.heading = (char *)c->heading;
        h.part = (char *)c->part;
        char *got = ura_citation_text(&h);
        char what[64];
        snprintf(what, sizeof what, "citation row %zu", i);
        CHECK_STR(got, c->want, what);
        free(got);
    }
}

static void test_bibtex_text(void)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"plain Ligji për", "plain Ligji për"},
        {"50% & #1 $2 a_b", "50\\% \\& \\#1 \\$2 a\\_b"},
        {"~^\\`", "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}`"},
        {"?`x' !`", "?{}`x' !{}`"},
        {"{balanced {nested}}", "\\{balanced \\{nested\\}\\}"},
        {"lone { here", "lone \\textbraceleft{} here"},
        {"} first {", "\\textbraceright{} first \\textbraceleft{}"},
        {"a}{b", "a\\textbraceright{}\\textbraceleft{}b"},
        {"{x}}", "\\{x\\}\\textbraceright{}"},
        {"2008--2010 ---", "2008-{}-2010 -{}-{}-"},
        {"''q'' <<x>> ,,y", "'{}'q'{}' <{}<x>{}> ,{},y"},
        {"\"quoted\" Закон «x»", "\"quoted\" Закон «x»"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ura_buf b = {0};
        ura_bibtex_text(&b, rows[i].in, strlen(rows[i].in));
        char *got = ura_buf_steal(&b, NULL);
        CHECK_STR(got, rows[i].want, rows[i].in);
        free(got);
    }
}

static void test_file_url(void)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"/a/b.pdf", "file:///a/b.pdf"},
        {"/a b/c&d%e~f.html", "file:///a%20b/c%26d%25e%7Ef.html"},
        {"/ligji/Štrpce.pdf", "file:///ligji/%C5%A0trpce.pdf"},
        {"relative/x.pdf", ""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ura_buf b = {0};
        ura_file_url(&b, rows[i].in);
        char *got = ura_buf_steal(&b, NULL);
        CHECK_STR(got, rows[i].want, rows[i].in);
        free(got);
    }
}

/* Four hits: a plain Albanian article, a Cyrillic one whose title holds
 * every character that needs escaping (and a newline, and a lone "{"),
 * a report with no number, article or id, and the first one again. */
static ura_hit hits[4];

static void make_hits(void)
{
    ura_hit *h = &hits[0];
    h->id = "f2b0da94a005680b4fc6bb3c76a46c26";
    h->path = "/corpora/pdf/ligji 03-L-047.pdf";
    h->lang = "sq";
    h->type = "law";
    h->year = 2008;
    h->act_title = SQ_TITLE;
    h->title = "Gazeta Zyrtare";
    h->law = "03/L-047";
    h->article = "4";
    h->paragraph = "2";
    h->page = 3;
    h->page_end = 4;

    h = &hits[1];
    h->id = "9f4852462df180cd26024897edde30e0";
    h->path = "corpora/relative.html";
    h->lang = "sr-cyrl";
    h->type = "law";
    h->act_title = "Закон бр. 03/Л-047 о \"заштити\" {права} 50% & ~ \\ # $ _ ^\nзаједница {x";
    h->law = "03/L-047";
    h->article = "5";

    h = &hits[2];
    h->path = "/r/a b&c.pdf";
    h->lang = "en";
    h->type = "report";
    h->year = 2022;
    h->title = "Report -- on `quotes' and ''ligatures'' <<x>>";
    h->heading = "Summary";
    h->page = 7;

    hits[3] = hits[0];
}

static const char want_csl[] =
    "[\n"
    "  {\"id\": \"ura-03l047-art4-2-sq-f2b0da94\", \"type\": \"legislation\", \"title\": \""
    SQ_TITLE "\", \"number\": \"03/L-047\", \"section\": \"art. 4(2)\", \"page\": \"3\", "
    "\"language\": \"sq\", \"issued\": {\"date-parts\": [[2008]]}, "
    "\"URL\": \"file:///corpora/pdf/ligji%2003-L-047.pdf\"},\n"
    "  {\"id\": \"ura-03l047-art5-sr-cyrl-9f485246\", \"type\": \"legislation\", "
    "\"title\": \"Закон бр. 03/Л-047 о \\\"заштити\\\" {права} 50% & ~ \\\\ # $ _ ^ "
    "заједница {x\", \"number\": \"03/L-047\", \"section\": \"art. 5\", "
    "\"language\": \"sr-Cyrl\"},\n"
    "  {\"id\": \"ura-p7-h668d73-en-KEY\", \"type\": \"report\", "
    "\"title\": \"Report -- on `quotes' and ''ligatures'' <<x>>\", \"page\": \"7\", "
    "\"language\": \"en\", \"issued\": {\"date-parts\": [[2022]]}, "
    "\"URL\": \"file:///r/a%20b%26c.pdf\"},\n"
    "  {\"id\": \"ura-03l047-art4-2-sq-f2b0da94-2\", \"type\": \"legislation\", \"title\": \""
    SQ_TITLE "\", \"number\": \"03/L-047\", \"section\": \"art. 4(2)\", \"page\": \"3\", "
    "\"language\": \"sq\", \"issued\": {\"date-parts\": [[2008]]}, "
    "\"URL\": \"file:///corpora/pdf/ligji%2003-L-047.pdf\"}\n"
    "]\n";

static const char want_bib[] =
    "@legislation{ura-03l047-art4-2-sq-f2b0da94,\n"
    "  title = {{" SQ_TITLE "}},\n"
    "  number = {03/L-047},\n"
    "  note = {art. 4(2)},\n"
    "  pages = {3},\n"
    "  year = {2008},\n"
    "  langid = {albanian},\n"
    "  url = {file:///corpora/pdf/ligji%2003-L-047.pdf},\n"
    "}\n"
    "\n"
    "@legislation{ura-03l047-art5-sr-cyrl-9f485246,\n"
    "  title = {{Закон бр. 03/Л-047 о \"заштити\" \\{права\\} 50\\% \\& \\textasciitilde{} "
    "\\textbackslash{} \\# \\$ \\_ \\textasciicircum{} заједница \\textbraceleft{}x}},\n"
    "  number = {03/L-047},\n"
    "  note = {art. 5},\n"
    "  langid = {serbianc},\n"
    "}\n"
    "\n"
    "@report{ura-p7-h668d73-en-KEY,\n"
    "  title = {{Report -{}- on `quotes' and '{}'ligatures'{}' <{}<x>{}>}},\n"
    "  pages = {7},\n"
    "  year = {2022},\n"
    "  langid = {english},\n"
    "  url = {file:///r/a%20b%26c.pdf},\n"
    "}\n"
    "\n"
    "@legislation{ura-03l047-art4-2-sq-f2b0da94-2,\n"
    "  title = {{" SQ_TITLE "}},\n"
    "  number = {03/L-047},\n"
    "  note = {art. 4(2)},\n"
    "  pages = {3},\n"
    "  year = {2008},\n"
    "  langid = {albanian},\n"
    "  url = {file:///corpora/pdf/ligji%2003-L-047.pdf},\n"
    "}\n";

static const char want_ris[] =
    "TY  - STAT\r\n"
    "ID  - ura-03l047-art4-2-sq-f2b0da94\r\n"
    "TI  - " SQ_TITLE "\r\n"
    "M1  - 03/L-047\r\n"
    "SE  - art. 4(2)\r\n"
    "SP  - 3\r\n"
    "PY  - 2008\r\n"
    "LA  - sq\r\n"
    "UR  - file:///corpora/pdf/ligji%2003-L-047.pdf\r\n"
    "N1  - " SQ_TITLE ", neni 4, paragrafi 2, f. 3\r\n"
    "ER  - \r\n"
    "\r\n"
    "TY  - STAT\r\n"
    "ID  - ura-03l047-art5-sr-cyrl-9f485246\r\n"
    "TI  - Закон бр. 03/Л-047 о \"заштити\" {права} 50% & ~ \\ # $ _ ^ заједница {x\r\n"
    "M1  - 03/L-047\r\n"
    "SE  - art. 5\r\n"
    "LA  - sr-Cyrl\r\n"
    "N1  - Закон бр. 03/Л-047 о \"заштити\" {права} 50% & ~ \\ # $ _ ^ заједница {x, "
    "члан 5\r\n"
    "ER  - \r\n"
    "\r\n"
    "TY  - RPRT\r\n"
    "ID  - ura-p7-h668d73-en-KEY\r\n"
    "TI  - Report -- on `quotes' and ''ligatures'' <<x>>\r\n"
    "SP  - 7\r\n"
    "PY  - 2022\r\n"
    "LA  - en\r\n"
    "UR  - file:///r/a%20b%26c.pdf\r\n"
    "N1  - Report -- on `quotes' and ''ligatures'' <<x>>, Summary, p. 7\r\n"
    "ER  - \r\n"
    "\r\n"
    "TY  - STAT\r\n"
    "ID  - ura-03l047-art4-2-sq-f2b0da94-2\r\n"
    "TI  - " SQ_TITLE "\r\n"
    "M1  - 03/L-047\r\n"
    "SE  - art. 4(2)\r\n"
    "SP  - 3\r\n"
    "PY  - 2008\r\n"
    "LA  - sq\r\n"
    "UR  - file:///corpora/pdf/ligji%2003-L-047.pdf\r\n"
    "N1  - " SQ_TITLE ", neni 4, paragrafi 2, f. 3\r\n"
    "ER  - \r\n";

/* The expected text with KEY replaced by the report's key, which comes
 * from a hash of its path (it has no id). */
static char *expected(const char *tmpl)
{
    char key[33];
    ura_path_key(hits[2].path, key);
    key[8] = '\0';
    ura_buf b = {0};
    const char *p = tmpl, *q;
    while ((q = strstr(p, "KEY")) != NULL) {
        ura_buf_add(&b, p, (size_t)(q - p));
        ura_buf_adds(&b, key);
        p = q + 3;
    }
    ura_buf_adds(&b, p);
    return ura_buf_steal(&b, NULL);
}

static void check_export(const ura_results *r, const char *format, const char *want)
{
    char *got = NULL;
    ura_error err = {0};
    int rc = ura_results_export(r, format, &got, &err);
    CHECK(rc == URA_OK, "%s: rc %d (%s)", format, rc, err.msg);
    if (!got)
        return;
    if (strcmp(got, want)) {
        /* say where they part, not only that they do */
        size_t i = 0;
        while (got[i] && got[i] == want[i])
            i++;
        CHECK(0, "%s differs at byte %zu:\n--- got\n%s\n--- want\n%s", format, i, got, want);
    } else {
        CHECK(1, "%s", format);
    }
    free(got);
}

static void test_exports(void)
{
    make_hits();
    ura_results r = {0};
    r.query = "x";
    r.hits = hits;
    r.n = 4;
    r.total = 4;
    const struct {
        const char *format, *tmpl;
    } rows[] = {{"csl-json", want_csl}, {"bibtex", want_bib}, {"ris", want_ris}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *want = expected(rows[i].tmpl);
        check_export(&r, rows[i].format, want);
        free(want);
    }

    /* no hits: an empty array, and empty files */
    ura_results none = {0};
    none.query = "x";
    check_export(&none, "csl-json", "[]\n");
    check_export(&none, "bibtex", "");
    check_export(&none, "ris", "");

    /* another format is the caller's mistake, and says what there is */
    const char *bad[] = {"json", "text", "BibTeX", "", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = (char *)"untouched";
        ura_error err = {0};
        int rc = ura_results_export(&r, bad[i], &out, &err);
        CHECK(rc == URA_ERR_USAGE, "format %s: rc %d, want URA_ERR_USAGE", bad[i] ? bad[i] : "NULL",
              rc);
        CHECK(out == NULL, "format %s: out not NULL", bad[i] ? bad[i] : "NULL");
        CHECK(strstr(err.msg, "csl-json, bibtex or ris") != NULL, "message: %s", err.msg);
    }
}

/* Keys are ASCII [a-z0-9-] whatever the fields hold. */
static void test_keys(void)
{
    ura_hit h = {0};
    h.id = "0123456789abcdef0123456789abcdef";
    h.law = "03/Л-047";
    h.article = "4а (bis)";     /* a Cyrillic а */
    h.paragraph = "2.1";
    h.lang = "sr-Cyrl";
    ura_buf b = {0};
    ura_export_key(&b, &h);
    char *got = ura_buf_steal(&b, NULL);
    CHECK_STR(got, "ura-03l047-art4a-bis-2-1-sr-cyrl-01234567", "key");
    for (const char *p = got; *p; p++)
        CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-',
              "key character '%c' in %s", *p, got);
    free(got);
}

int main(void)
{
    test_citations();
    test_bibtex_text();
    test_file_url();
    test_keys();
    test_exports();
    return check_finish("export");
}
