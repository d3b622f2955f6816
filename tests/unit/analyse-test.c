/* analyse-test.c — the analyser against tables: input text and the exact
 * terms, offsets and positions it must give; the Serbian table against
 * ICU's own transliterator. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/utf8.h>

#include "analyse.h"
#include "check.h"
#include "util.h"

/* ---- collecting tokens ---- */

#define MAX_TOKENS 64

struct tok {
    char term[URA_TERM_MAX + 1];
    char exact[URA_TERM_MAX + 1];
    size_t start, end;
    uint32_t pos;
    enum ura_token_kind kind;
};

struct toks {
    struct tok t[MAX_TOKENS];
    size_t n;
    int stop_after; /* return 42 after this many tokens (0: never) */
};

static int collect(void *ctx, const ura_token *tk)
{
    struct toks *ts = ctx;
    CHECK(tk->term_len <= URA_TERM_MAX && tk->exact_len <= URA_TERM_MAX,
          "token longer than URA_TERM_MAX: %zu", tk->term_len);
    CHECK(tk->term[tk->term_len] == '\0' && strlen(tk->term) == tk->term_len,
          "term not NUL-terminated at its length");
    if (ts->n < MAX_TOKENS) {
        struct tok *t = &ts->t[ts->n];
        memcpy(t->term, tk->term, tk->term_len);
        t->term[tk->term_len] = '\0';
        memcpy(t->exact, tk->exact, tk->exact_len);
        t->exact[tk->exact_len] = '\0';
        t->start = tk->start;
        t->end = tk->end;
        t->pos = tk->pos;
        t->kind = tk->kind;
    }
    ts->n++;
    if (ts->stop_after && ts->n == (size_t)ts->stop_after)
        return 42;
    return URA_OK;
}

/* The terms of `in`, space-separated, in a static buffer. */
static const char *terms_of(ura_analyser *a, const char *in, size_t len)
{
    static struct toks ts;
    static char out[4096];
    ura_error err = {0};
    memset(&ts, 0, sizeof ts);
    int rc = ura_analyse(a, in, len, 0, NULL, collect, &ts, &err);
    CHECK(rc == URA_OK, "ura_analyse(\"%s\") = %d: %s", in, rc, err.msg);
    out[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < ts.n && i < MAX_TOKENS; i++) {
        int k = snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", ts.t[i].term);
        if (k < 0 || (size_t)k >= sizeof out - o)
            break;
        o += (size_t)k;
    }
    return out;
}

static void check_terms(ura_analyser *a, const char *in, const char *want)
{
    char what[512];
    snprintf(what, sizeof what, "terms of \"%s\"", in);
    CHECK_STR(terms_of(a, in, strlen(in)), want, what);
}

/* ---- tables ---- */

struct row {
    const char *in;
    const char *want;
};

static void test_sentences(ura_analyser *a)
{
    static const struct row rows[] = {
        {"Ligji Nr. 03/L-047 për Komunat e Shtërpcës",
         "ligji nr 03/l-047 per komunat e shterpces"},
        {"Zakon br. 03/L-047 o zaštiti i promociji prava zajednica",
         "zakon br 03/l-047 o zastiti i promociji prava zajednica"},
        {"Закон бр. 03/Л-047 о заштити права заједница",
         "zakon br 03/l-047 o zastiti prava zajednica"},
        {"Law No. 02/L-37 on the Use of Languages",
         "law no 02/l-37 on the use of languages"},
        {"Neni 58, paragrafi 1, pika 1.2", "neni 58 paragrafi 1 pika 1.2"},
        {"Član 62 stav 3 tačka (a)", "clan 62 stav 3 tacka a"},
        {"Kapitulli III — Kushtetuta", "kapitulli iii kushtetuta"},
        {"Gjakovë / Đakovica; Prishtinë / Priština",
         "gjakove djakovica prishtine pristina"},
        {"Mitrovicë e Veriut, Severna Mitrovica",
         "mitrovice e veriut severna mitrovica"},
        /* numbers: the trailing full stop is not part of it, the decimal
         * separator and the thousands comma are */
        {"12.5 2019. 1,000 3.5% 12:30", "12.5 2019 1,000 3.5 12 30"},
        /* apostrophes inside a word stay, unified to ' */
        {"t'i don’t", "t'i don't"},
        /* a hyphen separates */
        {"e-mail Hani-i-Elezit", "e mail hani i elezit"},
        /* other punctuation ICU keeps inside a word stays */
        {"U.S.A a_b", "u.s.a a_b"},
        /* a soft hyphen (PDF line breaks) disappears with NFKC_Casefold */
        {"Opš\xC2\xADtina", "opstina"},
        /* compatibility forms and digraph code points */
        {"ＯＰＳＴＩＮＡ \xC7\x84" "amija ﬁnal", "opstina dzamija final"},
        {"Straße Łódź Øresund Istanbul Iğdır",
         "strasse lodz oresund istanbul igdir"},
        /* non-Serbian Cyrillic letters with marks fold to the Serbian base */
        {"Ѓорѓе Ќерка Мой", "gorge kerka moi"},
        {"", ""},
        {" \t\n,.;—", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_terms(a, rows[i].in, rows[i].want);
}

/* DESIGN.md, "Analysis": every one of these is one term. */
static void test_design_table(ura_analyser *a)
{
    static const struct row rows[] = {
        {"Opština", "opstina"}, {"opstina", "opstina"},
        {"ОПШТИНА", "opstina"}, {"Општина", "opstina"},
        {"Đakovica", "djakovica"}, {"Djakovica", "djakovica"},
        {"Ђаковица", "djakovica"},
        {"Shtërpcë", "shterpce"}, {"shterpce", "shterpce"},
        {"Graçanicë", "gracanice"}, {"Gracanice", "gracanice"},
        {"Љубљана", "ljubljana"}, {"Ljubljana", "ljubljana"},
        {"LJUBLJANA", "ljubljana"},
        {"Štrpce", "strpce"}, {"Strpce", "strpce"}, {"Штрпце", "strpce"},
        {"ЏЕП Џеп džep", "dzep dzep dzep"},
        {"Ћуприја Ćuprija", "cuprija cuprija"},
        {"Њива Nјiva", "njiva njiva"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_terms(a, rows[i].in, rows[i].want);
}

/* Letters of the other script that look the same, inside a word. */
static void test_lookalikes(ura_analyser *a)
{
    static const struct row rows[] = {
        /* mostly Latin: Cyrillic letters taken by their look */
        {"Prishtin\xD0\xB0", "prishtina"},         /* Cyrillic а */
        {"\xD0\x9Epština", "opstina"},             /* Cyrillic О */
        {"\xD0\xA0rishtina", "prishtina"},         /* Р, not "rrishtina" */
        {"Gra\xD1\x81" "anica", "gracanica"},         /* с, not "grasanica" */
        {"\xD0\x92" "eograd", "beograd"},          /* В, not "veograd" */
        {"\xD0\x9D" "ani i Elezit", "hani i elezit"}, /* Н, not "nani" */
        {"Lu\xD1\x85" "embourg", "luxembourg"},       /* х, not "luhembourg" */
        {"\xD0\xA3lli", "ylli"},                 /* У → Y, not "ulli" */
        {"Sht\xD1\x91rpc\xD1\x91", "shterpce"},    /* ё as Albanian ë */
        /* mostly Cyrillic: Latin letters taken by their look */
        {"Cрбија", "srbija"},                      /* Latin C, not "crbija" */
        {"Сpбија", "srbija"},                      /* Latin p, not "spbija" */
        {"Hиш", "nis"},                            /* Latin H, not "his" */
        {"Bарварин", "varvarin"},                  /* Latin B */
        {"yлица", "ulica"},                        /* Latin y */
        {"Xум", "hum"},                            /* Latin X */
        {"Општинa", "opstina"},                    /* Latin a */
        /* a single letter of one script is left alone */
        {"с c", "s c"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_terms(a, rows[i].in, rows[i].want);

    /* The exact form keeps the diacritics of the repaired word. */
    struct toks ts = {0};
    ura_error err = {0};
    const char *in = "Sht\xD1\x91rpc\xD1\x91";
    CHECK(ura_analyse(a, in, strlen(in), 0, NULL, collect, &ts, &err) == URA_OK
          && ts.n == 1, "look-alike ë: %s", err.msg);
    CHECK_STR(ts.t[0].exact, "shtërpcë", "exact of Shtёrpcё");
}

static void test_lawnums(ura_analyser *a)
{
    static const struct row rows[] = {
        {"03/L-047", "03/l-047"},
        {"02/L-37", "02/l-37"},
        {"03/Л-047", "03/l-047"},   /* Cyrillic Л */
        {"03/л-047", "03/l-047"},
        {"08/L-123", "08/l-123"},
        {"04/L-220", "04/l-220"},
        {"05/l-021", "05/l-021"},
        {"03/L\xE2\x80\x93" "047", "03/l-047"}, /* en dash */
        {"03/L\xE2\x80\x91" "047", "03/l-047"}, /* non-breaking hyphen */
        {"UA Nr. 01/2020", "ua nr 01/2020"},
        {"(Nr.03/L-047)", "nr 03/l-047"},
        {"03/L-047, 03/L-040 dhe 03/L-041.", "03/l-047 03/l-040 dhe 03/l-041"},
        {"03/L-047/2008", "03/l-047 2008"},
        /* not act numbers: the parts come out as words */
        {"03 / L-047", "03 l 047"},
        {"03/ L-047", "03 l 047"},
        {"1234/L-047", "1234 l 047"},
        {"03/L-04712", "03 l 04712"},
        {"03/L047", "03 l047"},
        {"03/L-047a neni 5", "03 l 047a neni 5"},
        {"01/2020x 5", "01 2020x 5"},
        {"03/X-047", "03 x 047"},
        {"01/20201", "01 20201"},
        {"01/202", "01 202"},
        {"1.5/2020", "1.5 2020"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_terms(a, rows[i].in, rows[i].want);

    /* One token over the whole number, kind LAWNUM. */
    struct toks ts = {0};
    ura_error err = {0};
    uint32_t next = 0;
    const char *in = "Закон бр. 03/Л-047.";
    int rc = ura_analyse(a, in, strlen(in), 5, &next, collect, &ts, &err);
    CHECK(rc == URA_OK && ts.n == 3, "law number sentence: rc %d, %zu tokens", rc, ts.n);
    if (ts.n == 3) {
        CHECK_STR(ts.t[2].term, "03/l-047", "term");
        CHECK_STR(ts.t[2].exact, "03/l-047", "exact");
        CHECK(ts.t[2].kind == URA_TOKEN_LAWNUM, "kind %d", (int)ts.t[2].kind);
        CHECK(ts.t[2].start == 17 && ts.t[2].end == 26,
              "offsets %zu..%zu, want 17..26", ts.t[2].start, ts.t[2].end);
        CHECK(ts.t[2].pos == 7, "pos %u, want 7", (unsigned)ts.t[2].pos);
        CHECK(next == 8, "next_pos %u, want 8", (unsigned)next);
    }
}

/* Offsets are bytes of the original UTF-8; positions count tokens. */
static void test_offsets(ura_analyser *a)
{
    static const struct {
        const char *term, *exact, *text;
        enum ura_token_kind kind;
    } want[] = {
        {"opstina", "opština", "Opština", URA_TOKEN_WORD},
        {"strpce", "štrpce", "Štrpce", URA_TOKEN_WORD},
        {"opstina", "opština", "Општина", URA_TOKEN_WORD},
        {"03/l-047", "03/l-047", "03/L-047", URA_TOKEN_LAWNUM},
        {"neni", "neni", "neni", URA_TOKEN_WORD},
        {"12.5", "12.5", "12.5", URA_TOKEN_NUMBER},
        {"2019", "2019", "2019", URA_TOKEN_NUMBER},
        {"a1", "a1", "a1", URA_TOKEN_WORD},
        {"djakovica", "đakovica", "Ђаковица", URA_TOKEN_WORD},
    };
    const char *in = "Opština Štrpce (Општина), 03/L-047 — neni 12.5 2019. a1 Ђаковица";
    struct toks ts = {0};
    ura_error err = {0};
    uint32_t next = 0;
    int rc = ura_analyse(a, in, strlen(in), 10, &next, collect, &ts, &err);
    size_t nwant = sizeof want / sizeof want[0];
    CHECK(rc == URA_OK, "rc %d: %s", rc, err.msg);
    CHECK(ts.n == nwant, "%zu tokens, want %zu", ts.n, nwant);
    for (size_t i = 0; i < ts.n && i < nwant; i++) {
        struct tok *t = &ts.t[i];
        CHECK_STR(t->term, want[i].term, "term");
        CHECK_STR(t->exact, want[i].exact, "exact");
        char got[128] = "";
        if (t->end > t->start && t->end <= strlen(in) && t->end - t->start < sizeof got)
            memcpy(got, in + t->start, t->end - t->start);
        CHECK_STR(got, want[i].text, "text at the token's offsets");
        CHECK(t->pos == 10 + i, "%s: pos %u, want %zu", t->term, (unsigned)t->pos, 10 + i);
        CHECK(t->kind == want[i].kind, "%s: kind %d, want %d", t->term, (int)t->kind,
              (int)want[i].kind);
    }
    CHECK(next == 10 + nwant, "next_pos %u, want %zu", (unsigned)next, 10 + nwant);

    /* Empty input: no token, next_pos is first_pos. */
    memset(&ts, 0, sizeof ts);
    rc = ura_analyse(a, NULL, 0, 7, &next, collect, &ts, &err);
    CHECK(rc == URA_OK && ts.n == 0 && next == 7, "empty input: rc %d, %zu tokens, next %u",
          rc, ts.n, (unsigned)next);
}

/* Over-long terms are dropped and still take their position. */
static void test_long(ura_analyser *a)
{
    ura_error err = {0};
    struct toks ts;
    uint32_t next;
    char *in = malloc(4096);

    /* exactly URA_TERM_MAX bytes is kept, one more is dropped */
    for (size_t extra = 0; extra < 2; extra++) {
        size_t n = 0, w = URA_TERM_MAX + extra;
        n += (size_t)sprintf(in, "a ");
        memset(in + n, 'X', w);
        n += w;
        n += (size_t)sprintf(in + n, " b");
        memset(&ts, 0, sizeof ts);
        int rc = ura_analyse(a, in, n, 0, &next, collect, &ts, &err);
        CHECK(rc == URA_OK && ts.n == (extra ? 2u : 3u) && next == 3,
              "term of %zu bytes: rc %d, %zu tokens, next %u", w, rc, ts.n, (unsigned)next);
        if (ts.n == 2 && extra) {
            CHECK_STR(ts.t[1].term, "b", "after the dropped term");
            CHECK(ts.t[1].pos == 2, "pos after a dropped term: %u", (unsigned)ts.t[1].pos);
        }
    }

    /* non-ASCII: 150 š are 300 bytes */
    size_t n = (size_t)sprintf(in, "prije ");
    for (int i = 0; i < 150; i++)
        n += (size_t)sprintf(in + n, "š");
    n += (size_t)sprintf(in + n, " poslije");
    memset(&ts, 0, sizeof ts);
    int rc = ura_analyse(a, in, n, 0, &next, collect, &ts, &err);
    CHECK(rc == URA_OK && ts.n == 2 && next == 3 && ts.t[1].pos == 2,
          "long non-ASCII term: rc %d, %zu tokens, next %u", rc, ts.n, (unsigned)next);
    free(in);

    /* A 1 MB "word", ASCII and Cyrillic: dropped, one position. */
    for (int cyr = 0; cyr < 2; cyr++) {
        size_t big = 1 << 20;
        char *s = malloc(big + 64);
        n = (size_t)sprintf(s, "start ");
        for (size_t i = 0; i < big; i += cyr ? 2 : 1) {
            if (cyr)
                memcpy(s + n + i, "ш", 2);
            else
                s[n + i] = 'x';
        }
        n += big;
        n += (size_t)sprintf(s + n, " end");
        memset(&ts, 0, sizeof ts);
        rc = ura_analyse(a, s, n, 0, &next, collect, &ts, &err);
        CHECK(rc == URA_OK && ts.n == 2 && next == 3, "1 MB word (%s): rc %d, %zu tokens, next %u",
              cyr ? "Cyrillic" : "ASCII", rc, ts.n, (unsigned)next);
        if (ts.n == 2) {
            CHECK_STR(ts.t[1].term, "end", "after a 1 MB word");
            CHECK(ts.t[1].pos == 2 && ts.t[1].start == n - 3,
                  "after a 1 MB word: pos %u start %zu", (unsigned)ts.t[1].pos, ts.t[1].start);
        }
        free(s);
    }
}

/* Long texts are broken in pieces; no token may notice. */
struct counter {
    const char *text;
    size_t n, bad;
    uint32_t last_pos;
    const char *const *want; /* expected terms, cycling */
    size_t nwant;
};

static int count(void *ctx, const ura_token *tk)
{
    struct counter *c = ctx;
    const char *w = c->want[c->n % c->nwant];
    if (tk->term_len != strlen(w) || memcmp(tk->term, w, tk->term_len) != 0 ||
        tk->pos != c->n) {
        if (c->bad++ < 5)
            fprintf(stderr, "token %zu: \"%.*s\" at pos %u bytes %zu..%zu, want \"%s\"\n",
                    c->n, (int)tk->term_len, tk->term, (unsigned)tk->pos, tk->start,
                    tk->end, w);
    }
    c->n++;
    c->last_pos = tk->pos;
    return URA_OK;
}

static void test_big(ura_analyser *a)
{
    ura_error err = {0};
    uint32_t next;

    /* Ten megabytes of sentences: every token intact across chunks. */
    static const char unit[] = "Opština Štrpce 03/L-047 Ђаковица, neni 12.\n";
    static const char *const want1[] = {"opstina", "strpce", "03/l-047", "djakovica",
                                        "neni", "12"};
    size_t reps = (10u << 20) / (sizeof unit - 1);
    size_t len = reps * (sizeof unit - 1);
    char *s = malloc(len);
    for (size_t i = 0; i < reps; i++)
        memcpy(s + i * (sizeof unit - 1), unit, sizeof unit - 1);
    struct counter c = {s, 0, 0, 0, want1, 6};
    int rc = ura_analyse(a, s, len, 0, &next, count, &c, &err);
    CHECK(rc == URA_OK && c.bad == 0 && c.n == reps * 6 && next == reps * 6,
          "10 MB: rc %d, %zu tokens (want %zu), %zu wrong", rc, c.n, reps * 6, c.bad);
    free(s);

    /* 200 KB without a space, cut at every offset of the pattern: the
     * pieces are cut inside the run, the words at the cuts still come out
     * whole, even where a word depends on the character after ("12." is
     * "12" only if no digit follows). */
    static const char unit2[] = "12.5;ćx.ab;";
    static const char *const want2[] = {"12.5", "cx.ab"};
    size_t ulen = sizeof unit2 - 1;
    reps = (200u << 10) / ulen;
    s = malloc(ulen + reps * ulen);
    for (size_t pad = 0; pad < ulen; pad++) {
        memset(s, ';', pad);
        for (size_t i = 0; i < reps; i++)
            memcpy(s + pad + i * ulen, unit2, ulen);
        struct counter c2 = {s, 0, 0, 0, want2, 2};
        rc = ura_analyse(a, s, pad + reps * ulen, 0, &next, count, &c2, &err);
        CHECK(rc == URA_OK && c2.bad == 0 && c2.n == reps * 2,
              "200 KB without spaces, %zu bytes in: rc %d, %zu tokens (want %zu), %zu wrong",
              pad, rc, c2.n, reps * 2, c2.bad);
    }
    free(s);
}

/* Invalid UTF-8 separates words and leaves the offsets right. */
static void test_invalid_utf8(ura_analyser *a)
{
    static const struct row rows[] = {
        {"Pri\xFFshtina", "pri shtina"},
        {"\xC3 Opština \xE2\x82", "opstina"},
        {"a\xC3\x28z", "a z"},                 /* bad continuation */
        {"\xED\xA0\x80sur\xC0\xAFrogate", "sur rogate"}, /* surrogate, overlong */
        {"end\xF0\x9F\x98", "end"},            /* truncated at the end */
        {"\xF8\x88\x80\x80\x80", ""},
        {"emoji\xF0\x9F\x98\x80ok", "emoji ok"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_terms(a, rows[i].in, rows[i].want);

    const char *in = "Pri\xFFshtin\xC3\xAB \xF0\x9F\x98\x80 Opština";
    struct toks ts = {0};
    ura_error err = {0};
    int rc = ura_analyse(a, in, strlen(in), 0, NULL, collect, &ts, &err);
    CHECK(rc == URA_OK && ts.n == 3, "rc %d, %zu tokens", rc, ts.n);
    if (ts.n == 3) {
        CHECK(ts.t[0].start == 0 && ts.t[0].end == 3, "pri at %zu..%zu", ts.t[0].start,
              ts.t[0].end);
        CHECK(ts.t[1].start == 4 && ts.t[1].end == 11, "shtinë at %zu..%zu", ts.t[1].start,
              ts.t[1].end);
        CHECK(ts.t[2].start == 17 && ts.t[2].end == 25, "opština at %zu..%zu",
              ts.t[2].start, ts.t[2].end);
    }
    /* A NUL byte is a separator, not the end. */
    CHECK_STR(terms_of(a, "ab\0cd", 5), "ab cd", "terms of \"ab\\0cd\"");
}

static void test_callback_stop(ura_analyser *a)
{
    struct toks ts = {0};
    ura_error err = {0};
    uint32_t next = 0;
    ts.stop_after = 2;
    int rc = ura_analyse(a, "one two three", 13, 0, &next, collect, &ts, &err);
    CHECK(rc == 42 && ts.n == 2, "stop: rc %d, %zu tokens", rc, ts.n);
}

static void test_fold_word(ura_analyser *a)
{
    static const struct row rows[] = {
        {"opšt", "opst"}, {"OPŠT", "opst"}, {"Опш", "ops"}, {"Ђак", "djak"},
        {"Shtërp", "shterp"}, {"Prishtin\xD0\xB0", "prishtina"}, {"Сpб", "srb"},
        {"03/Л-0", "03/l-0"}, {"Ligji", "ligji"}, {"", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n = 12345;
        char *f = ura_fold_word(a, rows[i].in, strlen(rows[i].in), &n);
        CHECK(f != NULL, "ura_fold_word(\"%s\") failed", rows[i].in);
        if (f) {
            CHECK_STR(f, rows[i].want, rows[i].in);
            CHECK(n == strlen(rows[i].want), "%s: length %zu", rows[i].in, n);
        }
        free(f);
    }
    CHECK(ura_fold_word(a, "a\xFF", 2, NULL) == NULL, "invalid UTF-8 folded");
    char big[URA_TERM_MAX + 1];
    memset(big, 'a', sizeof big);
    CHECK(ura_fold_word(a, big, sizeof big, NULL) == NULL, "over-long word folded");
}

/* ---- the Serbian table against ICU ---- */

static void utf16_to_8(const UChar *u, int32_t n, char *out, int32_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;
    u_strToUTF8(out, cap, &len, u, n, &st);
    if (U_FAILURE(st))
        snprintf(out, (size_t)cap, "<%s>", u_errorName(st));
}

/* ICU's output for `in` (UTF-16), as UTF-8 in out.  ICU writes Ć and ć
 * decomposed (C + U+0301), the table precomposed: compare in NFC. */
static void icu_translit(UTransliterator *t, const UChar *in, int32_t n, char *out,
                         int32_t cap)
{
    UChar buf[16], nfc[16];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = n, limit = n;
    u_memcpy(buf, in, n);
    utrans_transUChars(t, buf, &len, 16, 0, &limit, &st);
    const UNormalizer2 *norm = unorm2_getNFCInstance(&st);
    if (U_SUCCESS(st))
        len = unorm2_normalize(norm, buf, len, nfc, 16, &st);
    if (U_FAILURE(st)) {
        snprintf(out, (size_t)cap, "<%s>", u_errorName(st));
        return;
    }
    utf16_to_8(nfc, len, out, cap);
}

static void test_icu_crosscheck(void)
{
    /* The 30 letters of Vuk's alphabet, capitals (lower case is +0x20
     * for the block 0x410..0x42F and +0x50 for 0x402..0x40F). */
    static const UChar caps[30] = {
        0x410, 0x411, 0x412, 0x413, 0x414, 0x402, 0x415, 0x416, 0x417, 0x418,
        0x408, 0x41A, 0x41B, 0x409, 0x41C, 0x41D, 0x40A, 0x41E, 0x41F, 0x420,
        0x421, 0x422, 0x40B, 0x423, 0x424, 0x425, 0x426, 0x427, 0x40F, 0x428,
    };
    UErrorCode st = U_ZERO_ERROR;
    const char *id = "Serbian-Latin/BGN";
    UChar uid[32];
    u_uastrcpy(uid, id);
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        /* Older ICU data: the generic rules agree on Serbian's letters. */
        st = U_ZERO_ERROR;
        id = "Cyrillic-Latin";
        u_uastrcpy(uid, id);
        t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    }
    CHECK(U_SUCCESS(st), "no ICU transliterator for Serbian: %s", u_errorName(st));
    if (U_FAILURE(st))
        return;
    printf("checking the Serbian table against ICU's %s\n", id);

    for (int lower = 0; lower < 2; lower++) {
        for (int i = 0; i < 30; i++) {
            UChar c = caps[i];
            if (lower)
                c = (UChar)(c + (c >= 0x410 ? 0x20 : 0x50));
            uint16_t o[2];
            int k = ura_cyr_to_lat(c, o);
            CHECK(k == 1 || k == 2, "U+%04X: not in the table", (unsigned)c);
            if (k < 1)
                continue;
            UChar ours16[2] = {o[0], o[1]};
            char ours[16], icu[32], what[64];
            utf16_to_8(ours16, k, ours, sizeof ours);
            icu_translit(t, &c, 1, icu, sizeof icu);
            snprintf(what, sizeof what, "U+%04X alone", (unsigned)c);
            if (k == 2 && !lower) {
                /* Known convention difference: for Љ Њ Џ on their own
                 * ICU writes LJ NJ DŽ (it takes a lone capital for an
                 * all-caps word); the table writes Lj Nj Dž, the form at
                 * the start of a capitalised word.  Terms are case folded
                 * first, so this never shows in a term.  Check ICU's
                 * upper case form, then the letter in a word ("Љa"). */
                UChar up[2] = {o[0], o[1] == 0x017E ? 0x017D : (UChar)(o[1] - 0x20)};
                char ours_up[16];
                utf16_to_8(up, 2, ours_up, sizeof ours_up);
                CHECK_STR(icu, ours_up, what);
                UChar word[2] = {c, 0x0430};
                UChar wours[3] = {o[0], o[1], 'a'};
                char want[16];
                utf16_to_8(wours, 3, want, sizeof want);
                icu_translit(t, word, 2, icu, sizeof icu);
                snprintf(what, sizeof what, "U+%04X followed by а", (unsigned)c);
                CHECK_STR(icu, want, what);
            } else {
                CHECK_STR(icu, ours, what);
            }
        }
    }
    utrans_close(t);

    /* Not Serbian: no mapping. */
    uint16_t o[2];
    CHECK(ura_cyr_to_lat(0x0419, o) == 0, "Й mapped");
    CHECK(ura_cyr_to_lat(0x044B, o) == 0, "ы mapped");
    CHECK(ura_cyr_to_lat('a', o) == 0, "Latin a mapped");
    CHECK(ura_cyr_to_lat(0x1F600, o) == 0, "emoji mapped");
}

/* ---- the fast fold against ICU ---- */

/* Every token of a text, flattened: "start end pos kind term exact\n". */
static int flatten(void *ctx, const ura_token *tk)
{
    ura_buf *b = ctx;
    ura_buf_printf(b, "%zu %zu %u %d ", tk->start, tk->end, tk->pos, (int)tk->kind);
    ura_buf_add(b, tk->term, tk->term_len);
    ura_buf_addc(b, ' ');
    ura_buf_add(b, tk->exact, tk->exact_len);
    ura_buf_addc(b, '\n');
    return URA_OK;
}

/* The tokens of text[0..n) from the fast analyser f and the ICU-only
 * analyser s must be byte-identical; prints the first difference. */
static int same_tokens(ura_analyser *f, ura_analyser *s, const char *text, size_t n,
                       const char *what)
{
    ura_buf bf = {0}, bs = {0};
    ura_error err = {0};
    int rf = ura_analyse(f, text, n, 0, NULL, flatten, &bf, &err);
    int rs = ura_analyse(s, text, n, 0, NULL, flatten, &bs, &err);
    int same = rf == rs && bf.n == bs.n && (!bf.n || !memcmp(bf.p, bs.p, bf.n));
    if (same) {
        CHECK(1, "%s", what);
    } else {
        size_t i = 0;
        while (i < bf.n && i < bs.n && bf.p[i] == bs.p[i])
            i++;
        size_t ls = i;
        while (ls > 0 && bf.p[ls - 1] != '\n')
            ls--;
        size_t ef = ls, es = ls;
        while (ef < bf.n && bf.p[ef] != '\n')
            ef++;
        while (es < bs.n && bs.p[es] != '\n')
            es++;
        CHECK(0, "%s: fast fold gives \"%.*s\" (rc %d), ICU \"%.*s\" (rc %d)", what,
              (int)(ef - ls), bf.p ? bf.p + ls : "", rf, (int)(es - ls),
              bs.p ? bs.p + ls : "", rs);
    }
    ura_buf_free(&bf);
    ura_buf_free(&bs);
    return same;
}

/* Appends code point c as UTF-8. */
static void add_cp(ura_buf *b, uint32_t c)
{
    char u[U8_MAX_LENGTH];
    size_t k = 0;
    U8_APPEND_UNSAFE(u, k, (UChar32)c);
    ura_buf_add(b, u, k);
}

/* The characters the fast fold has slots for, and neighbours that must
 * send a word to ICU: marks, ignorables, other scripts, look-alikes. */
static size_t fast_alphabet(uint32_t *cs)
{
    size_t n = 0;
    for (uint32_t c = 0x21; c < 0x180; c++)
        if (c != 0x7F && (c < 0x80 || c >= 0xA0))
            cs[n++] = c;
    for (uint32_t c = 0x400; c < 0x460; c++)
        cs[n++] = c;
    static const uint32_t more[] = {
        0x00A0, 0x00AD, 0x0300, 0x0301, 0x0308, 0x030C, 0x0327, 0x0483, 0x0180,
        0x01C6, 0x0130, 0x0460, 0x04C0, 0x0501, 0x2010, 0x2011, 0x2019, 0x2018,
        0x02BC, 0x200B, 0x200D, 0xFEFF, 0xFB01, 0xFF21, 0x1E9E, 0x0391, 0x03C2,
        0x05D0, 0x0627, 0x4E00, 0x1F600, 0x2160, 0x00B2, 0x2070, 0x0149,
    };
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        cs[n++] = more[i];
    return n;
}

/* Every pair of those characters as a word, some triples at random, and
 * words with a letter before and after the pair: the fast fold and ICU
 * give the same tokens. */
static void test_fast_pairs(ura_analyser *f, ura_analyser *s)
{
    static uint32_t cs[600];
    size_t n = fast_alphabet(cs);
    ura_buf b = {0};
    char what[64];
    for (size_t i = 0; i < n; i++) {
        b.n = 0;
        for (size_t j = 0; j < n; j++) {
            add_cp(&b, cs[i]);
            add_cp(&b, cs[j]);
            ura_buf_addc(&b, ' ');
            ura_buf_addc(&b, 'k');
            add_cp(&b, cs[j]);
            add_cp(&b, cs[i]);
            ura_buf_addc(&b, 'a');
            ura_buf_addc(&b, ' ');
        }
        snprintf(what, sizeof what, "pairs with U+%04X", (unsigned)cs[i]);
        if (!same_tokens(f, s, b.p, b.n, what))
            break;
    }
    /* Between words: white space of every kind, alone or after an end
     * punctuation mark, or nothing. */
    static const char *const sep[] = {" ", "  ", "\n", "\r\n", "\t", "\f", "\v", ", ",
                                      ".\n", ") ", "' ", "\" ", ": ", "; ", "! ", "? ", "",
                                      "\xC2\xA0", " \xCC\x88", "- ", " -", "/ "};
    uint64_t r = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 300; round++) {
        b.n = 0;
        for (int w = 0; w < 500; w++) {
            r = r * 6364136223846793005u + 1442695040888963407u;
            int len = 1 + (int)((r >> 60) % 6);
            /* Half the words only of ASCII letters and digits. */
            int plain = (r >> 40) & 1;
            for (int k = 0; k < len; k++) {
                r = r * 6364136223846793005u + 1442695040888963407u;
                uint32_t c = cs[(r >> 33) % n];
                if (plain)
                    c = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        [(r >> 33) % 62];
                add_cp(&b, c);
            }
            r = r * 6364136223846793005u + 1442695040888963407u;
            ura_buf_adds(&b, sep[(r >> 33) % (sizeof sep / sizeof *sep)]);
        }
        snprintf(what, sizeof what, "random words, round %d", round);
        if (!same_tokens(f, s, b.p, b.n, what))
            break;
    }
    ura_buf_free(&b);
}

static void test_fast_strings(ura_analyser *f, ura_analyser *s)
{
    static const char *const cases[] = {
        "Ligji Nr. 03/L-047 për Mbrojtjen dhe Promovimin e të Drejtave të Komuniteteve",
        "Zakon br. 03/Л-047 o zaštiti; Закон бр. 03/L-047, члан 4, став 2",
        "t'i, t\xE2\x80\x99i, don\xCA\xBCt, \xE2\x80\x98quoted\xE2\x80\x99 rock'n'roll",
        "e-mail, e\xE2\x80\x90mail, 12.5, 1,000, 2019., 12:30, a1, 1a, 3D, H2O, x_y, u.s.a.",
        "p\xC3\xABr\xC2\xA0t\xC3\xAB, \xC3\xABsht\xC3\xAB\xC2\xA0 ne\xC2\xADni, so\xC2\xAD" "ft",
        "\xC3\x8BSHT\xC3\x8B \xC3\x87\xC3\x87 \xC3\x87ka \xC5\xA0TRPCE \xC4\x90" "akovica \xC4\x91" "ak",
        "Pri\xC5\xA1tina Рrishtina Prishtinа Cрбија \xD0\x8F" "ep \xD0\x89ubav \xD0\x8A\xD0\xB5\xD0\xB3\xD0\xBE\xD1\x88",
        "e\xCC\x88 c\xCC\x8C s\xCC\x8C ne\xCC\x88 \xC3\xAB\xCC\x81 a\xCC\x8A\xCC\x88 i\xCC\x87",
        "\xC3\x9F STRASSE Stra\xC3\x9F" "e \xC4\xB0stanbul \xC4\xB1\xC4\xB0 \xC5\x89 \xC4\xB3 \xC5\xBF \xC2\xB5 \xC2\xAA\xC2\xBA",
        "\xD1\x93 \xD0\x83 \xD0\xB9 \xD0\x99 \xD1\x91\xD0\xB6 \xD1\x9E \xD1\x97 \xD1\x96 \xD0\x85",
        "\xEF\xBC\xA1\xEF\xBC\xA2 \xEF\xAC\x81nal \xE2\x85\xA0\xE2\x85\xA1 x\xC2\xB2 \xE2\x80\x8Bzw\xE2\x80\x8Bsp",
        "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80x",
        "UA 01/2020, 02/L-37, 04/L\xE2\x80\x93" "241, 03/\xD0\xBB-047x, 1234/L-1",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        same_tokens(f, s, cases[i], strlen(cases[i]), cases[i]);
}

/* Whole files: the corpora's HTML and the repository's text data. */
static void test_fast_files(ura_analyser *f, ura_analyser *s, int argc, char **argv)
{
    const char *top = getenv("top_srcdir");
    if (!top || !*top)
        top = URA_SRCDIR;
    static const char *const rel[] = {
        "tests/refs/annotated.txt", "tests/stem/sq-forms.txt", "data/gazetteer.tsv",
        "data/thesaurus.tsv", "corpora/queries.tsv", "fuzz/seeds/queries.txt",
        "corpora/html/en-law-03-L-047-rights-of-communities.html",
        "corpora/html/sq-ligji-03-L-047-komunitetet.html",
        "corpora/html/sr-cyrl-izvestaj-opstina-strpce-povratak-2023.html",
        "corpora/html/sq-ua-02-2019-perdorimi-i-gjuheve-ne-komuna.html",
    };
    size_t nrel = sizeof rel / sizeof *rel;
    for (size_t i = 0; i < nrel + (size_t)(argc > 1 ? argc - 1 : 0); i++) {
        char path[4096];
        if (i < nrel)
            snprintf(path, sizeof path, "%s/%s", top, rel[i]);
        else
            snprintf(path, sizeof path, "%s", argv[1 + i - nrel]);
        FILE *fp = fopen(path, "rb");
        CHECK(fp != NULL, "cannot open %s", path);
        if (!fp)
            continue;
        ura_buf b = {0};
        char chunk[65536];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
            ura_buf_add(&b, chunk, k);
        fclose(fp);
        CHECK(b.n > 0, "%s is empty", path);
        same_tokens(f, s, b.p ? b.p : "", b.n, path);
        ura_buf_free(&b);
    }
}

int main(int argc, char **argv)
{
    ura_analyser *a = NULL;
    ura_error err = {0};
    int rc = ura_analyser_new(&a, &err);
    CHECK(rc == URA_OK && a, "ura_analyser_new: %s", err.msg);
    if (!a)
        return check_finish("analyse");

    test_sentences(a);
    test_design_table(a);
    test_lookalikes(a);
    test_lawnums(a);
    test_offsets(a);
    test_long(a);
    test_big(a);
    test_invalid_utf8(a);
    test_callback_stop(a);
    test_fold_word(a);
    test_icu_crosscheck();

    /* The same analyser with the fast fold off: every token compared. */
    ura_analyser *slow = NULL;
    rc = ura_analyser_new(&slow, &err);
    CHECK(rc == URA_OK && slow, "ura_analyser_new: %s", err.msg);
    if (slow) {
        ura_analyser_set_fast(slow, 0);
        test_fast_strings(a, slow);
        test_fast_pairs(a, slow);
        test_fast_files(a, slow, argc, argv);
        ura_analyser_free(slow);
    }

    ura_analyser_free(a);
    /* ICU keeps process-wide caches (the transliterator registry above);
     * freeing them lets valgrind tell real leaks from caches. */
    u_cleanup();
    return check_finish("analyse");
}
