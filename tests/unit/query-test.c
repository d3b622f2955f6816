/* query-test.c — the query parser: a table of queries and the trees they
 * must give (as ura_qnode_describe() strings), a table of bad queries and
 * the error each must give, hostile inputs, and tree invariants. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "query.h"
#include "stem.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

static const struct {
    const char *q;
    const char *want;
} good[] = {
    /* words and folding: one analyser for documents and queries */
    { "strpce", "strpce" },
    { "Štrpce", "strpce" },
    { "Штрпце", "strpce" },
    { "ŠTRPCE", "strpce" },
    { "opština", "opstina" },
    { "ОПШТИНА", "opstina" },
    { "Đakovica", "djakovica" },
    { "Ђаковица", "djakovica" },
    { "gjuhë zyrtare", "(AND gjuhe zyrtare)" },
    { "Штрпце службени језик", "(AND strpce sluzbeni jezik)" },
    { "  strpce\t\n", "strpce" },
    { "a\xC2\xA0" "b", "(AND a b)" },               /* no-break space */
    /* a word the analyser splits is a phrase; punctuation is nothing */
    { "e-mail", "(PHRASE e mail)" },
    { "Štrpce-u", "(PHRASE strpce u)" },
    { ", a .", "a" },
    { "a - b", "(AND a b)" },
    { "neni 5(1)", "(AND neni (PHRASE 5 1))" },
    { "(neni 5(1))", "(AND neni (PHRASE 5 1))" },
    /* a colon that is not a field */
    { "Neni 5:", "(AND neni 5)" },
    { "Neni: 5", "(AND neni 5)" },
    { "12:30", "(PHRASE 12 30)" },
    /* law numbers are one term */
    { "03/L-047", "03/l-047" },
    { "03/Л-047", "03/l-047" },
    { "Ligji Nr. 03/L-047", "(AND ligji nr 03/l-047)" },
    /* phrases, with every kind of quote */
    { "\"gjuhë zyrtare\"", "(PHRASE gjuhe zyrtare)" },
    { "\xE2\x80\x9C" "službeni jezik" "\xE2\x80\x9D", "(PHRASE sluzbeni jezik)" },   /* “…” */
    { "\xE2\x80\x9E" "službeni jezik" "\xE2\x80\x9C", "(PHRASE sluzbeni jezik)" },   /* „…“ */
    { "\xC2\xAB" "gjuha zyrtare" "\xC2\xBB", "(PHRASE gjuha zyrtare)" },             /* «…» */
    { "\"Штрпце\"", "strpce" },
    { "\"\" a", "a" },
    { "\"...\" a", "a" },
    { "a\"b c\"d", "(AND a (PHRASE b c) d)" },
    /* OR binds tighter than the implicit AND */
    { "a OR b", "(OR a b)" },
    { "a OR b c", "(AND (OR a b) c)" },
    { "c a OR b", "(AND c (OR a b))" },
    { "a OR b OR c", "(OR a b c)" },
    { "(a OR b) OR c", "(OR a b c)" },
    { "a or b", "(AND a or b)" },
    { "a Or b", "(AND a or b)" },
    { "a OR b -c", "(AND (OR a b) (NOT c))" },
    { "\"a b\" OR cd*", "(OR (PHRASE a b) cd*)" },
    { "a OR(b c)", "(OR a (AND b c))" },
    /* AND written out is the implicit AND */
    { "a AND b", "(AND a b)" },
    { "a AND b OR c", "(AND a (OR b c))" },
    { "a and b", "(AND a and b)" },
    /* exclusion */
    { "-foo", "(AND (ALL) (NOT foo))" },
    { "NOT foo", "(AND (ALL) (NOT foo))" },
    { "NOT foo bar", "(AND (NOT foo) bar)" },
    { "bar NOT foo", "(AND bar (NOT foo))" },
    { "bar -foo -baz", "(AND bar (NOT foo) (NOT baz))" },
    { "-\"a b\" c", "(AND (NOT (PHRASE a b)) c)" },
    { "-(a b) c", "(AND (NOT (AND a b)) c)" },
    { "NOT(a b) c", "(AND (NOT (AND a b)) c)" },
    { "-(a OR b) c", "(AND (NOT (OR a b)) c)" },
    { "-OR", "(AND (ALL) (NOT or))" },
    { "x-y", "(PHRASE x y)" },
    /* groups */
    { "(a b)", "(AND a b)" },
    { "((a))", "a" },
    { "a () b", "(AND a b)" },
    { "(a OR b) (c OR d)", "(AND (OR a b) (OR c d))" },
    { "(a (b OR (c d)))", "(AND a (OR b (AND c d)))" },
    { "(-a)", "(AND (ALL) (NOT a))" },
    { "b OR (-a)", "(OR b (AND (ALL) (NOT a)))" },
    { "-(-a) b", "(AND (NOT (AND (ALL) (NOT a))) b)" },
    { "((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))", "a" }, /* 32 */
    /* prefixes */
    { "opšt*", "opst*" },
    { "Opšt* zyrt*", "(AND opst* zyrt*)" },
    { "ОПШТ*", "opst*" },
    { "Ђа*", "dja*" },
    { "ab**", "ab*" },
    { "a*b", "(PHRASE a b)" },
    { "e-mai*", "(AND e mai*)" },
    { "x -e-mai*", "(AND x (NOT (AND e mai*)))" },
    { "Nr.*", "nr" },
    { "\"opšt* zyrt\"", "(PHRASE opst zyrt)" },
    { "-opšt* x", "(AND (NOT opst*) x)" },
    /* fields */
    { "lang:sq", "(AND (ALL) (FILTER XLsq))" },
    { "strpce lang:sq", "(AND strpce (FILTER XLsq))" },
    { "LANG:SQ strpce", "(AND (FILTER XLsq) strpce)" },
    { "strpce lang:sq lang:sr-Latn", "(AND strpce (OR (FILTER XLsq) (FILTER XLsr-latn)))" },
    { "lang:sr -lang:en", "(AND (ALL) (FILTER XLsr) (NOT (FILTER XLen)))" },
    { "strpce year:2019 type:Law", "(AND strpce (FILTER XY2019) (FILTER XTlaw))" },
    { "year:2019 year:2020", "(AND (ALL) (OR (FILTER XY2019) (FILTER XY2020)))" },
    { "cites:03/L-047", "(AND (ALL) (FILTER XC03/l-047))" },
    { "komunat cites:03/Л-047", "(AND komunat (FILTER XC03/l-047))" },
    { "cites:02/2019", "(AND (ALL) (FILTER XC02/2019))" },
    { "cites:Kushtetuta", "(AND (ALL) (FILTER XCconstitution))" },
    { "-lang:en strpce", "(AND (NOT (FILTER XLen)) strpce)" },
    { "-lang:en -lang:sr x", "(AND (NOT (FILTER XLen)) (NOT (FILTER XLsr)) x)" },
    { "strpce format:HTML lang:sq", "(AND strpce (FILTER XFhtml) (FILTER XLsq))" },
    { "lang:sq strpce lang:en format:pdf",
      "(AND (OR (FILTER XLsq) (FILTER XLen)) strpce (FILTER XFpdf))" },
    { "lang:sq lang:sq a lang:sq", "(AND (FILTER XLsq) a)" },
    { "lang:sq lang:en lang:sq a", "(AND (OR (FILTER XLsq) (FILTER XLen)) a)" },
    { "lang:sr-Cyrl lang:zh-Hant-TW", "(AND (ALL) (OR (FILTER XLsr-cyrl) (FILTER XLzh-hant-tw)))" },
    { "lang:sq OR lang:en", "(AND (ALL) (OR (FILTER XLsq) (FILTER XLen)))" },
    { "lang:sq OR strpce", "(OR (AND (ALL) (FILTER XLsq)) strpce)" },
    { "(lang:sq a) OR (lang:en b)", "(OR (AND (FILTER XLsq) a) (AND (FILTER XLen) b))" },
    { "-(lang:sq OR lang:en) x", "(AND (NOT (OR (FILTER XLsq) (FILTER XLen))) x)" },
    { "x (lang:sq)", "(AND x (FILTER XLsq))" },
    { "format:docx", "(AND (ALL) (FILTER XFdocx))" },
    { "\"lang:sq\"", "(PHRASE lang sq)" },
    /* everything at once */
    { "Штрпце OR Shtërpcë \"službeni jezik\" -Ђаковица opšt* lang:sr",
      "(AND (OR strpce shterpce) (PHRASE sluzbeni jezik) (NOT djakovica) opst* (FILTER XLsr))" },
};

static const struct {
    const char *q;
    const char *want; /* a substring of the message */
} bad[] = {
    { "", "empty query" },
    { " \t ", "empty query" },
    { ",.;", "no searchable words" },
    { "-", "no searchable words" },
    { "*", "no searchable words" },
    { "***", "no searchable words" },
    { "()", "no searchable words" },
    { "\"\"", "no searchable words" },
    { "\"", "unbalanced quote at column 1" },
    { "a \"b c", "unbalanced quote at column 3" },
    { "Štrpce \xE2\x80\x9C" "a b", "unbalanced quote at column 8" },   /* column counts characters */
    { "\xC2\xAB", "unbalanced quote at column 1" },
    { "(", "unbalanced parenthesis at column 1: '(' is never closed" },
    { "a (b (c)", "unbalanced parenthesis at column 3" },
    { "a)", "unbalanced parenthesis at column 2: ')' without '('" },
    { "(a))", "unbalanced parenthesis at column 4" },
    { "OR", "OR at column 1 has nothing before it" },
    { "OR a", "OR at column 1 has nothing before it" },
    { "a OR", "OR at column 3 has nothing after it" },
    { "a OR OR b", "OR at column 3 has nothing after it" },
    { "(OR a)", "OR at column 2 has nothing before it" },
    { "a (b OR) c", "OR at column 6 has nothing after it" },
    { ", OR a", "OR at column 3 has no searchable word before it" },
    { "a OR ,", "OR at column 3 has no searchable word after it" },
    { "a OR ()", "OR at column 3 has no searchable word after it" },
    { "NOT", "NOT at column 1 has nothing after it" },
    { "a NOT", "NOT at column 3 has nothing after it" },
    { "(a NOT)", "NOT at column 4 has nothing after it" },
    { "NOT OR a", "NOT at column 1 has nothing after it" },
    { "-,", "'-' at column 1 has no searchable word after it" },
    { "a -()", "'-' at column 3 has no searchable word after it" },
    { "NOT NOT a", "double exclusion at column 5" },
    { "--a", "double exclusion at column 2" },
    { "-a OR b", "OR at column 4 cannot join an excluded '-a'" },
    { "NOT a OR b", "OR at column 7 cannot join an excluded 'NOT a'" },
    /* fuzz-query: the quoted part of the query kept its line break, and
     * the message was two lines */
    { "NOT(a\n b) OR c", "OR at column 11 cannot join an excluded 'NOT(a  b)'" },
    { "a OR -b", "OR at column 3 cannot join an exclusion" },
    { "a OR NOT b", "OR at column 3 cannot join an exclusion" },
    { "AND a", "AND at column 1 has nothing before it" },
    { "a AND", "AND at column 3 has nothing after it" },
    { "a AND OR b", "AND at column 3 has nothing after it" },
    { "a*", "prefix too short: 'a*' at column 1" },
    { "x Š*", "prefix too short: 'Š*' at column 3" },
    { "x e-m*", "prefix too short: 'e-m*' at column 3" },
    { "lang:", "field 'lang:' at column 1 needs a value" },
    { "x format: y", "field 'format:' at column 3 needs a value" },
    { "lang:\"sq\"", "field 'lang:' at column 1 needs a value" },
    { "foo:bar", "unknown field 'foo:' at column 1 (known fields: lang, format, year, type, cites)" },
    { "year:19", "bad value for year: '19' at column 6 (a year such as 2019)" },
    { "type:", "field 'type:' at column 1 needs a value (e.g. type:law)" },
    { "cites:03/L", "bad value for cites: '03/L' at column 7" },
    { "cites:15/02/2023", "bad value for cites: '15/02/2023' at column 7" },
    { "x -Title:y", "unknown field 'Title:' at column 4" },
    { "lang:x", "bad value for lang: 'x' at column 6" },
    { "lang:12", "bad value for lang: '12'" },
    { "lang:sr_Latn", "bad value for lang: 'sr_Latn'" },
    { "lang:sr--latn", "bad value for lang" },
    { "lang:sr-", "bad value for lang" },
    { "lang:abcdefgh-ijklmnop", "bad value for lang" },
    { "lang:шр", "bad value for lang: 'шр'" },
    { "format:a/b", "bad value for format: 'a/b' at column 8" },
    { "a \xFF b", "invalid UTF-8 in the query at byte 3" },
    { "\xC5", "invalid UTF-8 in the query at byte 1" },
    { "\xC0\xAF", "invalid UTF-8 in the query at byte 1" },     /* overlong '/' */
    { "\xED\xA0\x80", "invalid UTF-8 in the query at byte 1" }, /* a surrogate */
    { "((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))",
      "parentheses nested too deeply at column 33 (at most 32 levels)" },
};

/* Checks the shape the Xapian wrapper relies on (query.h): returns NULL
 * or what is wrong.  Recursion is fine: the parser bounds the depth. */
static const char *check_tree(const ura_qnode *n, const ura_qnode *parent)
{
    if (!n)
        return "NULL node";
    int has_term = n->op == URA_Q_TERM || n->op == URA_Q_PREFIX || n->op == URA_Q_FILTER;
    if (has_term != (n->term != NULL))
        return "term set on the wrong kind of node";
    if (has_term && (n->term_len == 0 || strlen(n->term) != n->term_len))
        return "bad term length";
    if (has_term || n->op == URA_Q_ALL) {
        if (n->nkids)
            return "leaf with kids";
        if (n->op == URA_Q_FILTER && !(parent && (parent->op == URA_Q_AND ||
                                                  parent->op == URA_Q_NOT ||
                                                  parent->op == URA_Q_OR)))
            return "FILTER outside AND, NOT or a filter OR";
        return NULL;
    }
    size_t nfilter = 0, npositive = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const ura_qnode *k = n->kids[i];
        if (!k)
            return "NULL kid";
        nfilter += k->op == URA_Q_FILTER;
        npositive += k->op != URA_Q_FILTER && k->op != URA_Q_NOT &&
                     !(k->op == URA_Q_OR && k->nkids && k->kids[0]->op == URA_Q_FILTER);
        if (n->op == URA_Q_PHRASE && k->op != URA_Q_TERM)
            return "PHRASE with a kid that is not a TERM";
        if (k->op == URA_Q_NOT && n->op != URA_Q_AND)
            return "NOT outside AND";
        const char *why = check_tree(k, n);
        if (why)
            return why;
    }
    switch (n->op) {
    case URA_Q_NOT:
        return n->nkids == 1 ? NULL : "NOT without exactly one kid";
    case URA_Q_AND:
        if (n->nkids < 2)
            return "AND with fewer than 2 kids";
        return npositive ? NULL : "AND with no positive kid";
    case URA_Q_OR:
        if (n->nkids < 2)
            return "OR with fewer than 2 kids";
        if (nfilter && nfilter != n->nkids)
            return "OR mixing FILTERs and other kids";
        if (nfilter && parent && parent->op != URA_Q_AND && parent->op != URA_Q_NOT)
            return "filter OR outside AND or NOT";
        return NULL;
    case URA_Q_PHRASE:
        return n->nkids >= 2 ? NULL : "PHRASE with fewer than 2 terms";
    default:
        return "unknown op";
    }
}

/* Parses q; returns the description (malloc'd) or NULL with err set. */
static char *parse_describe(ura_analyser *a, const char *q, size_t n, ura_error *err)
{
    ura_qnode *root = (ura_qnode *)&root; /* must be overwritten */
    memset(err, 0, sizeof *err);
    int rc = ura_query_parse(a, q, n, &root, err);
    if (rc != URA_OK) {
        CHECK(rc == URA_ERR_USAGE, "%s: rc %d, want URA_ERR_USAGE", q, rc);
        CHECK(root == NULL, "%s: *out not NULL after an error", q);
        CHECK(err->msg[0] && !strchr(err->msg, '\n'), "%s: message not one line: '%s'", q, err->msg);
        return NULL;
    }
    CHECK(root != NULL, "%s: OK but no tree", q);
    if (!root)
        return NULL;
    const char *why = check_tree(root, NULL);
    char *d = ura_qnode_describe(root);
    CHECK(why == NULL, "%s: malformed tree %s: %s", q, d, why ? why : "");
    ura_qnode_free(root);
    return d;
}

static void test_tables(ura_analyser *a)
{
    ura_error err;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char *d = parse_describe(a, good[i].q, strlen(good[i].q), &err);
        if (!good[i].want) {
            CHECK(d == NULL, "'%s': parsed as %s, want an error", good[i].q, d);
        } else if (!d) {
            CHECK(0, "'%s': error '%s', want %s", good[i].q, err.msg, good[i].want);
        } else {
            CHECK(strcmp(d, good[i].want) == 0, "'%s': got %s, want %s", good[i].q, d,
                  good[i].want);
        }
        free(d);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *d = parse_describe(a, bad[i].q, strlen(bad[i].q), &err);
        CHECK(d == NULL, "'%s': parsed as %s, want error '%s'", bad[i].q, d ? d : "", bad[i].want);
        if (!d)
            CHECK(strstr(err.msg, bad[i].want) != NULL, "'%s': error '%s', want '%s'",
                  bad[i].q, err.msg, bad[i].want);
        free(d);
    }
}

static void want_error(ura_analyser *a, const char *what, const char *q, size_t n,
                       const char *want)
{
    ura_error err;
    char *d = parse_describe(a, q, n, &err);
    CHECK(d == NULL, "%s: parsed (%.60s...), want error '%s'", what, d ? d : "", want);
    if (!d)
        CHECK(strstr(err.msg, want) != NULL, "%s: error '%s', want '%s'", what, err.msg, want);
    free(d);
}

static char *repeat(const char *unit, size_t times, const char *tail, size_t *len)
{
    ura_buf b = { 0 };
    for (size_t i = 0; i < times; i++)
        ura_buf_adds(&b, unit);
    ura_buf_adds(&b, tail);
    return ura_buf_steal(&b, len);
}

static void test_hostile(ura_analyser *a)
{
    size_t n;
    char *q;

    q = repeat("(", 10000, "", &n);
    want_error(a, "10000 '('", q, n, "query too long: 10000 bytes (at most 4096)");
    want_error(a, "4000 '('", q, 4000, "parentheses nested too deeply at column 33");
    free(q);
    q = repeat(")", 4000, "", &n);
    want_error(a, "4000 ')'", q, n, "unbalanced parenthesis at column 1");
    free(q);
    q = repeat("x", 5000, "", &n);
    want_error(a, "5000 bytes", q, n, "query too long: 5000 bytes");
    free(q);
    q = repeat("a OR ", 800, "", &n);
    want_error(a, "'a OR ' x 800", q, n, "OR at column 3998 has nothing after it");
    free(q);
    q = repeat("\"", 4095, "", &n);
    want_error(a, "4095 quotes", q, n, "unbalanced quote at column 4095");
    free(q);
    q = repeat("\"", 4096, "", &n);
    want_error(a, "4096 quotes", q, n, "no searchable words");
    free(q);
    q = repeat("-", 4096, "", &n);
    want_error(a, "4096 '-'", q, n, "double exclusion at column 2");
    free(q);
    q = repeat("NOT ", 1000, "a", &n);
    want_error(a, "NOT x 1000", q, n, "double exclusion at column 5");
    free(q);
    want_error(a, "a NUL byte only", "\0", 1, "empty query");

    /* Big but valid: one wide OR, many exclusions, many filters. */
    ura_error err;
    char *d;
    q = repeat("a OR ", 818, "b", &n);
    CHECK(n <= URA_QUERY_MAX, "test query too long");
    d = parse_describe(a, q, n, &err);
    CHECK(d && strncmp(d, "(OR a a a", 9) == 0 && strstr(d, " a b)"), "wide OR: %.40s", d ? d : err.msg);
    free(d);
    free(q);
    q = repeat("-a ", 1365, "", &n);
    d = parse_describe(a, q, n, &err);
    CHECK(d && strncmp(d, "(AND (ALL) (NOT a) (NOT a)", 26) == 0, "many NOTs: %.40s", d ? d : err.msg);
    free(d);
    free(q);
    q = repeat("lang:sq lang:en ", 255, "x", &n);
    d = parse_describe(a, q, n, &err);
    CHECK(d && strcmp(d, "(AND (OR (FILTER XLsq) (FILTER XLen)) x)") == 0, "many filters: %s",
          d ? d : err.msg);
    free(d);
    free(q);
    q = repeat("(a ", 32, "", &n);
    char *closing = repeat(")", 32, "", NULL);
    ura_buf b = { 0 };
    ura_buf_add(&b, q, n);
    ura_buf_adds(&b, closing);
    d = parse_describe(a, b.p, b.n, &err);
    CHECK(d && strcmp(d, "(AND a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a)") == 0,
          "32 nested groups: %s", d ? d : err.msg);
    free(d);
    free(q);
    free(closing);
    ura_buf_free(&b);
    q = repeat("é", 2048, "", &n); /* one 4096-byte word: dropped by the analyser */
    d = parse_describe(a, q, n, &err);
    CHECK(d == NULL, "one huge word: parsed as %s", d ? d : "");
    free(d);
    free(q);

    /* Random soup of the syntax's pieces: whatever the parser says, it
     * says it cleanly (checked by parse_describe and the sanitizers). */
    static const char *const bits[] = {
        "(", ")", "\"", "OR", "NOT", "AND", "-", "a", "bc", "*", "lang:", "lang:sq",
        "format:pdf", "\xE2\x80\x9C", "\xC2\xBB", " ", " ", " ", "é", ":", "foo:x",
        "03/L-047", "Штрпце", "e-mail", "x*", ",", "5(1)",
    };
    uint32_t seed = 12345;
    size_t ok = 0, errs = 0;
    for (int round = 0; round < 20000; round++) {
        b.n = 0;
        int parts = 1 + (int)((seed >> 8) % 24);
        for (int i = 0; i < parts; i++) {
            seed = seed * 1103515245u + 12345u;
            ura_buf_adds(&b, bits[(seed >> 16) % (sizeof bits / sizeof bits[0])]);
        }
        d = parse_describe(a, b.p, b.n, &err);
        if (d)
            ok++;
        else
            errs++;
        free(d);
    }
    ura_buf_free(&b);
    CHECK(ok > 1000 && errs > 1000, "random soup: %zu parsed, %zu refused", ok, errs);
}

static void add_term(void *ctx, const char *term, size_t len, int is_prefix)
{
    ura_buf *b = ctx;
    if (b->n)
        ura_buf_addc(b, ' ');
    ura_buf_add(b, term, len);
    if (is_prefix)
        ura_buf_addc(b, '*');
}

static void test_terms(ura_analyser *a)
{
    static const struct {
        const char *q, *want;
    } cases[] = {
        { "Štrpce -foo \"službeni jezik\" opšt* lang:sq (x OR y) -lang:en NOT (z wv*)",
          "strpce sluzbeni jezik opst* x y" },
        { "-foo", "" },
        { "e-mai*", "e mai*" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ura_qnode *root = NULL;
        ura_error err;
        int rc = ura_query_parse(a, cases[i].q, strlen(cases[i].q), &root, &err);
        CHECK(rc == URA_OK, "terms '%s': %s", cases[i].q, err.msg);
        ura_buf b = { 0 };
        ura_buf_adds(&b, "");
        ura_qnode_terms(root, add_term, &b);
        CHECK_STR(b.p, cases[i].want, cases[i].q);
        ura_buf_free(&b);
        ura_qnode_free(root);
    }
    ura_qnode_terms(NULL, add_term, NULL); /* nothing to do, no crash */
}

/* Trees built by hand need not respect the parser's depth bound: free,
 * describe and terms must not recurse. */
static void test_deep_tree(void)
{
    enum { DEEP = 200000 };
    ura_qnode *n = ura_xcalloc(1, sizeof *n);
    n->op = URA_Q_TERM;
    n->term = ura_xstrdup("x");
    n->term_len = 1;
    for (int i = 0; i < DEEP; i++) {
        ura_qnode *up = ura_xcalloc(1, sizeof *up);
        up->op = URA_Q_AND;
        up->kids = ura_xmalloc(sizeof *up->kids);
        up->kids[0] = n;
        up->nkids = 1;
        n = up;
    }
    char *d = ura_qnode_describe(n);
    CHECK(strlen(d) == (size_t)DEEP * 6 + 1, "deep describe: %zu bytes", strlen(d));
    CHECK(strncmp(d, "(AND (AND", 9) == 0 && strstr(d, " x)))"), "deep describe: %.20s", d);
    free(d);
    ura_buf b = { 0 };
    ura_qnode_terms(n, add_term, &b);
    CHECK(b.p && strcmp(b.p, "x") == 0, "deep terms: %s", b.p ? b.p : "(none)");
    ura_buf_free(&b);
    ura_qnode_free(n);
    ura_qnode_free(NULL);

    d = ura_qnode_describe(NULL);
    CHECK_STR(d, "?", "describe(NULL)");
    free(d);
}

/* A tiny gazetteer of the test's own: Štrpce/Shtërpcë (one word each)
 * and Novo Brdo/Novobërdë, matched on their folded forms only. */
static size_t test_places(const char *const *terms, const size_t *lens, size_t n,
                          const char *const **names, size_t *nnames, const char **id)
{
    static const char *const strpce[] = {"shterpce", "strpce"};
    static const char *const novo[] = {"novo brdo", "novoberde"};
#define IS(i, w) (lens[i] == strlen(w) && memcmp(terms[i], w, lens[i]) == 0)
    if (n >= 1 && (IS(0, "strpce") || IS(0, "shterpce"))) {
        *names = strpce;
        *nnames = 2;
        *id = "shterpce";
        return 1;
    }
    if (n >= 1 && IS(0, "novoberde")) {
        *names = novo;
        *nnames = 2;
        *id = "novoberde";
        return 1;
    }
    if (n >= 2 && IS(0, "novo") && IS(1, "brdo")) {
        *names = novo;
        *nnames = 2;
        *id = "novoberde";
        return 2;
    }
#undef IS
    return 0;
}

/* ura_query_expand(): the trees a search runs. */
static void test_expand(ura_analyser *a)
{
    ura_stemmer *st = NULL;
    ura_error err;
    CHECK(ura_stemmer_new(&st, &err) == URA_OK, "stemmer: %s", err.msg);
    static const struct {
        int stem, places;
        const char *q, *want;
    } cases[] = {
        /* a word: folded, exact form when it differs, stems per language,
         * title and heading terms */
        { 0, 0, "Komunës",
          "(WORD komunes Ekomunës^exact Tkomunes^title Hkomunes^heading)" },
        { 1, 0, "komunave",
          "(WORD komunave Zsqkomun^stem Zsrkomunav^stem Zenkomunav^stem "
          "Tkomunave^title Hkomunave^heading)" },
        { 1, 0, "opštinama",
          "(WORD opstinama Eopštinama^exact Zsqopstinam^stem Zsropstin^stem "
          "Zenopstinama^stem Topstinama^title Hopstinama^heading)" },
        /* exclusions expand alike: -x drops whatever x would find */
        { 0, 0, "-opština",
          "(AND (ALL) (NOT (WORD opstina Eopština^exact Topstina^title Hopstina^heading)))" },
        /* phrases, prefixes, numbers and act numbers stay */
        /* a phrase also matches its words' inflected forms, in order:
         * the phrase of their stems in each language, weighted as stems */
        { 1, 0, "\"gjuhë zyrtare\" opšt* 2019 03/L-047",
          "(AND (WORD (PHRASE gjuhe zyrtare) (PHRASE Zsqgjuh^stem Zsqzyrtar^stem) "
          "(PHRASE Zsrgjuhe^stem Zsrzyrtar^stem) (PHRASE Zengjuhe^stem Zenzyrtar^stem)) "
          "opst* 2019 03/l-047)" },
        /* a phrase with a number has no stem phrase (numbers have no stem) */
        { 1, 0, "\"neni 5\"", "(PHRASE neni 5)" },
        /* act words right before an act number are dropped: the number
         * names the act in every language */
        { 0, 0, "Zakon br. 03/L-047", "(AND 03/l-047)" },
        { 0, 0, "Law No. 03/L-047 gjuhe",
          "(AND 03/l-047 (WORD gjuhe Tgjuhe^title Hgjuhe^heading))" },
        { 0, 0, "ligji gjuhe",
          "(AND (WORD ligji Tligji^title Hligji^heading) (WORD gjuhe Tgjuhe^title Hgjuhe^heading))" },
        /* places: either language's name, typed words first; XG<id> is
         * the place as the indexer marks it in any inflected form */
        { 0, 1, "Štrpce",
          "(WORD strpce Eštrpce^exact Tstrpce^title Hstrpce^heading XGshterpce shterpce "
          "Tshterpce^title Hshterpce^heading)" },
        { 0, 1, "novo brdo zakon",
          "(AND (WORD (PHRASE novo brdo) XGnovoberde novoberde Tnovoberde^title Hnovoberde^heading) "
          "(WORD zakon Tzakon^title Hzakon^heading))" },
        { 0, 1, "\"Novo Brdo\"",
          "(WORD (PHRASE novo brdo) XGnovoberde novoberde Tnovoberde^title Hnovoberde^heading)" },
        { 0, 1, "Novobërdë",
          "(WORD novoberde Enovobërdë^exact Tnovoberde^title Hnovoberde^heading "
          "XGnovoberde (PHRASE novo brdo))" },
        /* in an OR each side is one operand: "novo OR brdo" is no place */
        { 0, 1, "novo OR brdo",
          "(OR (WORD novo Tnovo^title Hnovo^heading) (WORD brdo Tbrdo^title Hbrdo^heading))" },
        { 0, 1, "kthim -Shtërpcë",
          "(AND (WORD kthim Tkthim^title Hkthim^heading) (NOT (WORD shterpce "
          "Eshtërpcë^exact Tshterpce^title Hshterpce^heading XGshterpce strpce Tstrpce^title "
          "Hstrpce^heading)))" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ura_qnode *root = NULL;
        int rc = ura_query_parse(a, cases[i].q, strlen(cases[i].q), &root, &err);
        CHECK(rc == URA_OK, "expand '%s': %s", cases[i].q, err.msg);
        if (rc != URA_OK)
            continue;
        ura_query_expand(root, cases[i].stem ? st : NULL, cases[i].places ? test_places : NULL);
        char *d = ura_qnode_describe(root);
        CHECK_STR(d, cases[i].want, cases[i].q);
        free(d);
        ura_qnode_free(root);
    }
    /* highlighting sees folded terms and stems, never E/T/H terms */
    ura_qnode *root = NULL;
    if (ura_query_parse(a, "Komunave", 8, &root, &err) == URA_OK) {
        ura_query_expand(root, st, NULL);
        ura_buf b = { 0 };
        ura_buf_adds(&b, "");
        ura_qnode_terms(root, add_term, &b);
        CHECK_STR(b.p, "komunave Zsqkomun* Zsrkomunav* Zenkomunav*", "terms of an expanded word");
        ura_buf_free(&b);
        ura_qnode_free(root);
    }
    ura_query_expand(NULL, st, NULL); /* nothing to do, no crash */
    ura_stemmer_free(st);
}

int main(void)
{
    ura_analyser *a = NULL;
    ura_error err;
    if (ura_analyser_new(&a, &err) != URA_OK) {
        fprintf(stderr, "query-test: no analyser: %s\n", err.msg);
        return 1;
    }
    test_tables(a);
    test_hostile(a);
    test_terms(a);
    test_deep_tree();
    test_expand(a);
    ura_analyser_free(a);
#ifdef HAVE_LSAN
    CHECK(__lsan_do_recoverable_leak_check() == 0, "memory leaked (LeakSanitizer report above)");
#endif
    return check_finish("query");
}
