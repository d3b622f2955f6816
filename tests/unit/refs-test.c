/* refs-test.c — references to acts: a table of act numbers as users type
 * them, a table of texts and the references each must give (with byte
 * ranges), precision and recall over the annotated sentences of
 * tests/refs/annotated.txt (both must be at least 0.95), and hostile
 * inputs under a watchdog.
 *
 * Usage: refs-test [ANNOTATED-FILE]; by default
 * $top_srcdir/tests/refs/annotated.txt. */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "refs.h"

#ifndef URA_SRCDIR
#define URA_SRCDIR "."
#endif

/* ---- ura_lawnum_normalise */

static const struct {
    const char *in;
    const char *want; /* NULL: not an act number */
} lawnums[] = {
    {"03/L-047", "03/L-047"},
    {"03/l-047", "03/L-047"},
    {"03/Л-047", "03/L-047"},            /* Cyrillic capital El */
    {"03/л-047", "03/L-047"},            /* Cyrillic small el */
    {"03/L\xE2\x80\x93" "047", "03/L-047"}, /* en dash */
    {"03/L\xE2\x80\x91" "047", "03/L-047"}, /* non-breaking hyphen */
    {"03/L - 047", "03/L-047"},
    {"  03/L-047\t\n", "03/L-047"},
    {"\xC2\xA0" "03/L-047", "03/L-047"}, /* no-break space */
    {"02/L-37", "02/L-37"},
    {"3/L-47", "3/L-47"},                /* digits as written */
    {"08/L-1234", "08/L-1234"},
    {"01/2020", "01/2020"},
    {"1/1999", "1/1999"},
    {"05/2020 ", "05/2020"},
    {"03/L", NULL},
    {"03/L-", NULL},
    {"03/L-047x", NULL},
    {"03/L-04712", NULL},                /* five digits */
    {"0003/L-047", NULL},
    {"/L-047", NULL},
    {"03L-047", NULL},
    {"03/X-047", NULL},
    {"03/L  -047", NULL},                /* two spaces */
    {"15/02/2023", NULL},
    {"15/2023/1", NULL},
    {"01/1850", NULL},                   /* not a year of an act */
    {"01/20200", NULL},
    {"12/34", NULL},
    {"Nr. 03/L-047", NULL},
    {"03/L-047 dhe", NULL},
    {"", NULL},
    {"   ", NULL},
    {"abc", NULL},
};

static void test_lawnums(void)
{
    for (size_t i = 0; i < sizeof lawnums / sizeof lawnums[0]; i++) {
        char out[24];
        memset(out, 'x', sizeof out);
        int ok = ura_lawnum_normalise(lawnums[i].in, strlen(lawnums[i].in), out);
        if (lawnums[i].want) {
            CHECK(ok == 1, "normalise \"%s\": returned %d, want 1", lawnums[i].in, ok);
            CHECK_STR(out, lawnums[i].want, lawnums[i].in);
        } else {
            CHECK(ok == 0 && out[0] == '\0', "normalise \"%s\": returned %d (\"%.23s\"), want 0",
                  lawnums[i].in, ok, ok ? out : "");
        }
    }
    char out[24];
    CHECK(ura_lawnum_normalise("03/L-047", 5, out) == 0, "a prefix \"03/L-\" is no number");
    CHECK(ura_lawnum_normalise(NULL, 0, out) == 0, "NULL is no number");
}

/* ---- references as strings: "LAW,A,P,T;..." with C for the Constitution
 * and - for the same act, as in annotated.txt. */

typedef struct collected {
    char s[4096];
    size_t n;
    int count;
    const char *text;
    size_t len;
    size_t last_start;
    int order_ok, range_ok;
    int stop_after; /* return non-zero after this many (0: never) */
} collected;

static int collect(void *ctx, const ura_ref *r)
{
    collected *c = ctx;
    if (r->start > r->end || r->end > c->len)
        c->range_ok = 0;
    if (c->count && r->start < c->last_start)
        c->order_ok = 0;
    c->last_start = r->start;
    if (c->n + 64 < sizeof c->s)
        c->n += (size_t)snprintf(c->s + c->n, sizeof c->s - c->n, "%s%s,%d,%d,%d",
                                 c->count ? ";" : "",
                                 r->constitution ? "C" : r->law[0] ? r->law : "-",
                                 r->article, r->paragraph, r->point);
    c->count++;
    return c->stop_after && c->count >= c->stop_after;
}

static void find(const char *text, size_t len, collected *c)
{
    memset(c, 0, sizeof *c);
    c->text = text;
    c->len = len;
    c->order_ok = c->range_ok = 1;
    ura_refs_find(text, len, collect, c);
}

static const struct {
    const char *text;
    const char *want; /* "" for none */
} cases[] = {
    /* act numbers, with and without their type word */
    {"në përputhje me Ligjin Nr. 03/L-047", "03/L-047,0,0,0"},
    {"Law No.03/L-047", "03/L-047,0,0,0"},
    {"Закон бр. 03/Л-047", "03/L-047,0,0,0"},
    {"ЗАКОН БР. 03/Л-047", "03/L-047,0,0,0"},
    {"the Law on Local Self-Government (Law No. 03/L-040)", "03/L-040,0,0,0"},
    {"03/L-047", "03/L-047,0,0,0"},
    {"03/L-047x 03/L 03/L- 1203/L-047", ""},
    {"Ligji nr. 03/L \xE2\x80\x93 047", "03/L-047,0,0,0"},
    /* NN/YYYY only after an act word and Nr. */
    {"UA Nr. 02/2019", "02/2019,0,0,0"},
    {"AU br. 05/2020", "05/2020,0,0,0"},
    {"АУ бр. 05/2020", "05/2020,0,0,0"},
    {"Udhëzimi Administrativ (MAPL) Nr. 02/2019", "02/2019,0,0,0"},
    {"Rregullores Nr. 01/2021", "01/2021,0,0,0"},
    {"Nr. 02/2019", ""},
    {"më 15/2023 dhe 02/2019", ""},
    {"Ligji u botua në Gazetën Zyrtare Nr. 15/2008", ""},
    {"Raporti Nr. 07/2021", ""},
    /* structure */
    {"neni 5 paragrafi 2 i Ligjit Nr. 03/L-047", "03/L-047,5,2,0"},
    {"nenin 5.2", "-,5,2,0"},
    {"nenin 5.2.3", "-,5,2,3"},
    {"član 5 stav 2 Zakona br. 03/L-047", "03/L-047,5,2,0"},
    {"člana 5. stav 2. tačka 3", "-,5,2,3"},
    {"члан 5 став 2", "-,5,2,0"},
    {"Article 5(2)", "-,5,2,0"},
    {"Article 6(3)(b) of this Law", "-,6,3,2"},
    {"point (a) of paragraph 2 of Article 4", "-,4,2,1"},
    {"тачка в) става 1 члана 3", "-,3,1,3"},
    {"paragrafi 1 pika 3 i këtij neni", "-,0,1,3"},
    {"neni 58 i Kushtetutës", "C,58,0,0"},
    {"član 58 Ustava", "C,58,0,0"},
    {"Article 58 of the Constitution", "C,58,0,0"},
    {"sipas nenit 5 te Kushtetutes", "C,5,0,0"},
    {"Articles 57\xE2\x80\x93" "59 of the Constitution", "C,57,0,0;C,58,0,0;C,59,0,0"},
    {"nenet 1-40", "-,1,0,0;-,40,0,0"},      /* more than 20: the two ends */
    {"članovi 9 do 7", "-,9,0,0;-,7,0,0"},    /* reversed: the two ends */
    {"od člana 3 do člana 5", "-,3,0,0;-,4,0,0;-,5,0,0"},
    {"neni 5 dhe neni 7 i Ligjit Nr. 03/L-039", "03/L-039,5,0,0;03/L-039,7,0,0"},
    {"sipas nenit 5, 12 komuna", "-,5,0,0"},  /* singular: no comma list */
    {"čl. 4 i 5", "-,4,0,0;-,5,0,0"},
    {"cl 4", ""},                             /* abbreviation without its stop */
    /* an internal reference, and headings that are not */
    {"siç parashihet në nenin 5.", "-,5,0,0"},
    {"Neni 5", ""},
    {"Neni 5\nKomuna siguron", ""},
    {"NENI 5\nQËLLIMI", ""},
    {"Neni 5.\nKomuna siguron", ""},
    {"Neni 5 - Qëllimi", ""},
    {"Član 5: Predmet", ""},
    {"Article 5 Purpose", ""},
    {"Tekst.\nNeni 5\nKomuna", ""},
    {"Neni 9 përcakton afatet.", "-,9,0,0"},   /* a sentence, not a heading */
    {"Komuna, sipas\nnenit 9, vepron", "-,9,0,0"},
    {"Article 58 of the Constitution guarantees", "C,58,0,0"},
    /* near misses */
    {"15/02/2023 15.02.2023 tel. 038/200-123 Nr. 5 faqe 12 03/L", ""},
    {"nën 6 vjeç", ""},
    {"Članovi zajednica i član komisije", ""},
    {"neni neni neni", ""},
    {"Article 5a applies", ""},
    {"Gjykata Kushtetuese dhe Ustavni sud", ""},
    {"the constitution of the committee", ""},
    {"Article 14 of the European Convention", ""},
    {"neni 12 i Ligjit për Vetëqeverisjen Lokale", ""},
    {"Kapitulli III", ""},
    /* the Constitution alone; an article given after an act */
    {"në pajtim me Kushtetutën", "C,0,0,0"},
    {"(Ligji Nr. 03/L-040, neni 23)", "03/L-040,23,0,0"},
    {"Ligji Nr. 03/L-047, neni 5 i këtij ligji", "03/L-047,0,0,0;-,5,0,0"},
    {"Chapter III of the Constitution (Articles 57 to 58)", "C,57,0,0;C,58,0,0"},
    {"Kapitulli III i Kushtetutës", "C,0,0,0"},
    /* scripts mixed inside a word, diacritics dropped */
    {"Према члaну 4 Устава", "C,4,0,0"},            /* Latin a in члaну */
    {"sipas nenit 4 t\xC3\xAB Ligjit Nr. 03/L-047", "03/L-047,4,0,0"},
    {"sipas nenit 4 te\xCC\x88 Ligjit Nr. 03/L-047", "03/L-047,4,0,0"}, /* e + U+0308 */
    {"prema clanu 5 stav 2 zakona br 03/L-047", "03/L-047,5,2,0"},
};

static void test_cases(void)
{
    collected c;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        find(cases[i].text, strlen(cases[i].text), &c);
        CHECK(strcmp(c.s, cases[i].want) == 0, "\"%s\": got \"%s\", want \"%s\"",
              cases[i].text, c.s, cases[i].want);
        CHECK(c.order_ok && c.range_ok, "\"%s\": references out of order or range",
              cases[i].text);
    }
}

/* Byte ranges: the text each reference covers. */
static const struct {
    const char *text;
    const char *span; /* of the first reference */
} spans[] = {
    {"në përputhje me Ligjin Nr. 03/L-047 për", "Ligjin Nr. 03/L-047"},
    {"sipas Nr. 03/L-047", "Nr. 03/L-047"},
    {"ligjet 03/L-047 dhe", "ligjet 03/L-047"},
    {"sipas nenit 5 paragrafi 2 i Ligjit Nr. 03/L-047, komunat",
     "nenit 5 paragrafi 2 i Ligjit Nr. 03/L-047"},
    {"sipas nenit 12 të këtij ligji.", "nenit 12 të këtij ligji"},
    {"predviđeni članom 9.", "članom 9"},
    {"under Article 6(3) of", "Article 6(3)"},
    {"(Law No. 02/L-37, Article 4)", "Law No. 02/L-37, Article 4"},
    {"të drejtat e Kushtetutës", "Kushtetutës"},
    {"чланом 58 Устава.", "чланом 58 Устава"},
};

typedef struct first_ref {
    ura_ref r;
    int n;
} first_ref;

static int keep_first(void *ctx, const ura_ref *r)
{
    first_ref *f = ctx;
    if (f->n++ == 0)
        f->r = *r;
    return 0;
}

static void test_spans(void)
{
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
        const char *t = spans[i].text;
        first_ref f;
        memset(&f, 0, sizeof f);
        ura_refs_find(t, strlen(t), keep_first, &f);
        char got[256] = "";
        if (f.n && f.r.end - f.r.start < sizeof got)
            memcpy(got, t + f.r.start, f.r.end - f.r.start), got[f.r.end - f.r.start] = '\0';
        CHECK(f.n && strcmp(got, spans[i].span) == 0, "\"%s\": span \"%s\", want \"%s\"", t,
              got, spans[i].span);
    }
}

/* ---- the annotated sentences */

typedef struct tuple {
    char law[24];
    int constitution, article, paragraph, point;
} tuple;

#define MAXT 64

typedef struct tuples {
    tuple t[MAXT];
    int n;
} tuples;

static int add_tuple(void *ctx, const ura_ref *r)
{
    tuples *ts = ctx;
    if (ts->n < MAXT) {
        tuple *t = &ts->t[ts->n++];
        memcpy(t->law, r->law, sizeof t->law);
        t->constitution = r->constitution;
        t->article = r->article;
        t->paragraph = r->paragraph;
        t->point = r->point;
    }
    return 0;
}

/* "LAW,A,P,T;..." or "none" into ts; returns 0 on a malformed field. */
static int parse_want(char *s, tuples *ts)
{
    ts->n = 0;
    if (strcmp(s, "none") == 0)
        return 1;
    for (char *save = NULL, *f = strtok_r(s, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
        tuple t;
        char law[24];
        memset(&t, 0, sizeof t);
        while (*f == ' ')
            f++;
        if (ts->n >= MAXT ||
            sscanf(f, "%23[^,],%d,%d,%d", law, &t.article, &t.paragraph, &t.point) != 4)
            return 0;
        if (strcmp(law, "C") == 0)
            t.constitution = 1;
        else if (strcmp(law, "-") != 0)
            memcpy(t.law, law, sizeof t.law);
        ts->t[ts->n++] = t;
    }
    return 1;
}

static int same(const tuple *a, const tuple *b)
{
    return strcmp(a->law, b->law) == 0 && a->constitution == b->constitution &&
           a->article == b->article && a->paragraph == b->paragraph;
}

static void show(const tuple *t, char *buf, size_t n)
{
    snprintf(buf, n, "%s,%d,%d,%d", t->constitution ? "C" : t->law[0] ? t->law : "-",
             t->article, t->paragraph, t->point);
}

enum { LANG_SQ, LANG_SR_LATN, LANG_SR_CYRL, LANG_EN, NLANG };
static const char *const lang_names[NLANG] = {"sq", "sr-Latn", "sr-Cyrl", "en"};

typedef struct score {
    int tp, fp, fn, sentences, points_ok, points;
} score;

#define MAXSECT 8

static void add_score(score *to, const score *from)
{
    to->tp += from->tp;
    to->fp += from->fp;
    to->fn += from->fn;
    to->sentences += from->sentences;
    to->points += from->points;
    to->points_ok += from->points_ok;
}

/* Prints one line of figures; returns precision and recall. */
static void report(const char *name, const score *s, double *p, double *r)
{
    *p = s->tp + s->fp ? (double)s->tp / (s->tp + s->fp) : 1.0;
    *r = s->tp + s->fn ? (double)s->tp / (s->tp + s->fn) : 1.0;
    printf("%-10s %3d sentences  %3d refs  tp %3d  fp %2d  fn %2d  "
           "precision %.3f  recall %.3f  points right %d/%d\n",
           name, s->sentences, s->tp + s->fn, s->tp, s->fp, s->fn, *p, *r, s->points_ok,
           s->points);
}

/* Scores every record of the file: per section ("#@ NAME" lines start
 * one; the records before the first are "main") and language. */
static void test_annotated(const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "cannot open %s", path);
    if (!f)
        return;
    score by[MAXSECT][NLANG];
    char sections[MAXSECT][128] = {"main"};
    int nsect = 1;
    memset(by, 0, sizeof by);
    char line[8192];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (strncmp(line, "#@", 2) == 0 && nsect < MAXSECT) {
            snprintf(sections[nsect++], sizeof sections[0], "%s", line + 2 + strspn(line + 2, " "));
            continue;
        }
        if (!len || line[0] == '#')
            continue;
        char *bar1 = strchr(line, '|'), *bar2 = strrchr(line, '|');
        CHECK(bar1 && bar2 && bar1 != bar2, "%s:%d: want LANG|SENTENCE|REFS", path, lineno);
        if (!bar1 || bar1 == bar2)
            continue;
        *bar1 = *bar2 = '\0';
        int lang = -1;
        for (int i = 0; i < NLANG; i++)
            if (strcmp(line, lang_names[i]) == 0)
                lang = i;
        CHECK(lang >= 0, "%s:%d: unknown language \"%s\"", path, lineno, line);
        if (lang < 0)
            continue;
        /* the sentence, with "\n" for a line break */
        char text[8192];
        size_t n = 0;
        for (const char *p = bar1 + 1; *p; p++) {
            if (p[0] == '\\' && p[1] == 'n') {
                text[n++] = '\n';
                p++;
            } else
                text[n++] = *p;
        }
        text[n] = '\0';
        tuples want, got;
        int ok = parse_want(bar2 + 1, &want);
        CHECK(ok, "%s:%d: malformed references", path, lineno);
        if (!ok)
            continue;
        got.n = 0;
        ura_refs_find(text, n, add_tuple, &got);
        score *sc = &by[nsect - 1][lang];
        int used[MAXT] = {0};
        int tp = 0;
        for (int g = 0; g < got.n; g++) {
            int hit = -1;
            for (int w = 0; w < want.n && hit < 0; w++)
                if (!used[w] && same(&got.t[g], &want.t[w]))
                    hit = w;
            char buf[64];
            show(&got.t[g], buf, sizeof buf);
            if (hit < 0) {
                printf("  false hit  line %d [%s] %s: \"%s\"\n", lineno, lang_names[lang], buf,
                       text);
                continue;
            }
            used[hit] = 1;
            tp++;
            sc->points++;
            sc->points_ok += got.t[g].point == want.t[hit].point;
        }
        for (int w = 0; w < want.n; w++)
            if (!used[w]) {
                char buf[64];
                show(&want.t[w], buf, sizeof buf);
                printf("  miss       line %d [%s] %s: \"%s\"\n", lineno, lang_names[lang], buf,
                       text);
            }
        sc->tp += tp;
        sc->fp += got.n - tp;
        sc->fn += want.n - tp;
        sc->sentences++;
    }
    fclose(f);
    double p, r;
    score all;
    memset(&all, 0, sizeof all);
    for (int s = 0; s < nsect; s++) {
        score sect;
        memset(&sect, 0, sizeof sect);
        printf("-- %s\n", sections[s]);
        for (int i = 0; i < NLANG; i++) {
            report(lang_names[i], &by[s][i], &p, &r);
            add_score(&sect, &by[s][i]);
        }
        report("section", &sect, &p, &r);
        add_score(&all, &sect);
    }
    printf("-- whole set, by language\n");
    for (int i = 0; i < NLANG; i++) {
        score lang;
        memset(&lang, 0, sizeof lang);
        for (int s = 0; s < nsect; s++)
            add_score(&lang, &by[s][i]);
        report(lang_names[i], &lang, &p, &r);
    }
    report("all", &all, &p, &r);
    CHECK(all.sentences >= 150, "only %d annotated sentences", all.sentences);
    CHECK(p >= 0.95, "precision %.3f < 0.95", p);
    CHECK(r >= 0.95, "recall %.3f < 0.95", r);
}

/* ---- hostile inputs: each must finish (the watchdog kills a hang) with
 * sane references; timings are printed, not asserted. */

static char *repeat(const char *unit, size_t total, size_t *n)
{
    size_t u = strlen(unit);
    char *s = malloc(total + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < total; i++)
        s[i] = unit[i % u];
    s[total] = '\0';
    *n = total;
    return s;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct counter {
    long n;
    size_t len, last_start;
    int bad;
} counter;

static int count_ref(void *ctx, const ura_ref *r)
{
    counter *c = ctx;
    if (r->start > r->end || r->end > c->len || (c->n && r->start < c->last_start))
        c->bad = 1;
    if (r->law[23] != '\0' || r->article < 0 || r->paragraph < 0 || r->point < 0)
        c->bad = 1;
    c->last_start = r->start;
    c->n++;
    return 0;
}

static long hostile(const char *what, const char *s, size_t n)
{
    counter c = {0, n, 0, 0};
    double t0 = now();
    ura_refs_find(s, n, count_ref, &c);
    double dt = now() - t0;
    printf("  hostile %-34s %8zu bytes  %7ld refs  %6.1f ms  %6.1f MB/s\n", what, n, c.n,
           dt * 1e3, n / (dt > 0 ? dt : 1e-9) / 1e6);
    CHECK(!c.bad, "hostile %s: a reference out of range or order", what);
    return c.n;
}

static void test_hostile(void)
{
    static const struct {
        const char *what, *unit;
        size_t size;
        long want; /* references expected, -1: any */
    } units[] = {
        {"\"neni \" x 10 MB", "neni ", 10 << 20, 0},
        {"\"neni 5 \" x 10 MB", "neni 5 ", 10 << 20, -1},
        {"digits, 1 MB", "1234567890", 1 << 20, 0},
        {"\"5.\" x 1 MB", "5.", 1 << 20, 0},
        {"\"03/L-04\" x 1 MB", "03/L-04", 1 << 20, 0},
        {"\"03/L-047 \" x 1 MB", "03/L-047 ", 1 << 20, -1},
        {"\"Ligji \" x 1 MB", "Ligji ", 1 << 20, 0},
        {"\"Nr. \" x 1 MB", "Nr. ", 1 << 20, 0},
        {"\"UA Nr. \" x 1 MB", "UA Nr. ", 1 << 20, 0},
        {"\"neni 1, \" x 1 MB", "neni 1, ", 1 << 20, -1},
        {"\"nenet 1, 2, \" x 1 MB", "nenet 1, 2, ", 1 << 20, -1},
        {"\"1 dhe \" x 1 MB", "1 dhe ", 1 << 20, 0},
        {"\"neni 5 i \" x 1 MB", "neni 5 i ", 1 << 20, -1},
        {"\"neni 5 i Ligjit a \" x 1 MB", "neni 5 i Ligjit a a a a a a a a ", 1 << 20, -1},
        {"\"(\" x 1 MB", "(", 1 << 20, 0},
        {"\"Article 5(\" x 1 MB", "Article 5(", 1 << 20, -1},
        {"letters, one word, 1 MB", "a", 1 << 20, 0},
        {"Cyrillic, one word, 1 MB", "\xD0\xB6", 1 << 20, 0},
        {"newlines, 1 MB", "\n", 1 << 20, 0},
        {"\"Neni 5\\n\" x 1 MB", "Neni 5\n", 1 << 20, 0},
        {"\"Kushtetuta \" x 1 MB", "Kushtetuta ", 1 << 20, -1},
        {"invalid UTF-8, 1 MB", "\xFF\xC3(\xE2\x82", 1 << 20, 0},
        {"marks, 1 MB", "\xCC\x88", 1 << 20, 0},
    };
    size_t n;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        char *s = repeat(units[i].unit, units[i].size, &n);
        long got = hostile(units[i].what, s, n);
        if (units[i].want >= 0)
            CHECK(got == units[i].want, "hostile %s: %ld references, want %ld", units[i].what,
                  got, units[i].want);
        free(s);
    }

    /* a long list and a huge range after one structure word */
    char *s = malloc(8 << 20);
    if (!s)
        abort();
    n = (size_t)sprintf(s, "nenet ");
    for (int i = 1; n < (7u << 20); i++)
        n += (size_t)sprintf(s + n, "%d, ", i);
    CHECK(hostile("a list of a million numbers", s, n) >= 20,
          "a long list gives at least its first 20");
    n = (size_t)sprintf(s, "nenet 1-999999999999 dhe 2 deri 9999");
    hostile("huge ranges", s, n);

    /* NUL bytes are separators */
    static const char nul[] = "Ligji Nr.\0 03/L-047\0neni\0 5";
    hostile("NUL bytes", nul, sizeof nul - 1);
    free(s);

    /* fn's non-zero return stops the search */
    collected c;
    char *k = repeat("Kushtetuta ", 1 << 16, &n);
    memset(&c, 0, sizeof c);
    c.len = n;
    c.order_ok = c.range_ok = 1;
    c.stop_after = 3;
    ura_refs_find(k, n, collect, &c);
    CHECK(c.count == 3, "stop after 3: got %d references", c.count);
    free(k);

    /* nothing at all */
    find("", 0, &c);
    CHECK(c.count == 0, "empty text");
    ura_refs_find(NULL, 5, collect, &c);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL refs-test: watchdog: took more than 120 s\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    _exit(1);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* figures and failures in order */
    signal(SIGALRM, on_alarm);
    alarm(120);

    CHECK(ura_refs_vocab_sorted(), "the vocabulary table in core/refs.c is not sorted");
    test_lawnums();
    test_cases();
    test_spans();

    char path[4096];
    const char *top = getenv("top_srcdir");
    if (argc > 1)
        snprintf(path, sizeof path, "%s", argv[1]);
    else
        snprintf(path, sizeof path, "%s/tests/refs/annotated.txt",
                 top && *top ? top : URA_SRCDIR);
    test_annotated(path);
    test_hostile();
    return check_finish("refs-test");
}
