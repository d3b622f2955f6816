/* export.c — citations ready for a report: the citation of one hit in its
 * own language ("Ligji Nr. 03/L-047 për …, neni 4, paragrafi 2, f. 3"),
 * and results exported as CSL-JSON, BibTeX and RIS for Zotero, pandoc
 * and LaTeX.
 *
 * Choices every format shares (docs/ARCHITECTURE.md has the reasons):
 * - The page cited is h->page, the first page of the matching text, not
 *   the passage's whole span (page–page_end): a reader looks the words
 *   up there, and an article running over pages would otherwise be cited
 *   as a range that hides where the words are.
 * - The article travels as "art. 4(2)" (article 4, paragraph 2), the
 *   usual form for European legislation, in CSL's `section`, BibTeX's
 *   `note` (pandoc and biblatex have no section field) and RIS's SE.
 * - Acts are legislation (CSL "legislation", @legislation, STAT);
 *   reports are reports; anything else is a generic document.
 * - Nothing is invented: no gazette, no jurisdiction, no date finer
 *   than the year the index knows. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"

/* ---- text helpers ---- */

/* A field as one clean line: invalid UTF-8 repaired, runs of white space
 * (newlines, tabs) made one space, trimmed.  Malloc'd; NULL when s is
 * NULL or blank. */
static char *clean(const char *s)
{
    if (!s)
        return NULL;
    ura_buf u = {0};
    ura_utf8_clean(&u, s, strlen(s));
    char *p = ura_buf_steal(&u, NULL), *o = p;
    int space = 0;
    for (const char *q = p; *q; q++) {
        if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
            space = o > p;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = 0;
        *o++ = *q;
    }
    *o = '\0';
    if (!*p) {
        free(p);
        return NULL;
    }
    return p;
}

/* Strip trailing spaces and the punctuation that would clash with the
 * ", neni 4" appended after a title. */
static void strip_tail(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && strchr(" .,;:", s[n - 1]))
        s[--n] = '\0';
}

/* The code point at s (valid UTF-8, as clean() leaves it) and its
 * length in *len. */
static uint32_t decode(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = ura_utf8_seq(u, strnlen(s, 4));
    if (k <= 1) {
        *len = 1;
        return u[0];
    }
    uint32_t cp = u[0] & (0xFF >> (k + 1));
    for (size_t i = 1; i < k; i++)
        cp = (cp << 6) | (u[i] & 0x3F);
    *len = k;
    return cp;
}

/* Lower case for the letters of the four languages (ASCII, Latin-1,
 * Latin Extended-A, Cyrillic); with `law`, Cyrillic л is l, since law
 * numbers are written 03/Л-047 as well as 03/L-047. */
static uint32_t fold(uint32_t c, int law)
{
    if (c >= 'A' && c <= 'Z')
        c += 32;
    else if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        c += 32;
    else if (c >= 0x100 && c <= 0x17F) {
        int odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if ((c & 1) == (odd_upper ? 1u : 0u) && c != 0x138 && c != 0x149 && c != 0x178 &&
            c != 0x17F)
            c += 1;
    } else if (c >= 0x400 && c <= 0x40F)
        c += 0x50;
    else if (c >= 0x410 && c <= 0x42F)
        c += 0x20;
    if (law && c == 0x43B)
        c = 'l';
    return c;
}

/* Bytes of s that match all of w, ignoring case; 0 when they do not. */
static size_t match_ci(const char *s, const char *w, int law)
{
    const char *p = s;
    while (*w) {
        if (!*p)
            return 0;
        size_t ls, lw;
        uint32_t a = fold(decode(p, &ls), law), b = fold(decode(w, &lw), law);
        if (a != b)
            return 0;
        p += ls;
        w += lw;
    }
    return (size_t)(p - s);
}

static int contains_ci(const char *s, const char *w, int law)
{
    for (; *s; s++)
        if (match_ci(s, w, law))
            return 1;
    return 0;
}

/* The "— "-joined heading path's deepest heading; borrowed. */
static const char *last_heading(const char *h)
{
    const char *last = h, *p;
    while ((p = strstr(last, " — ")) != NULL)
        last = p + strlen(" — ");
    return last;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---- the citation text ---- */

enum { LANG_SQ, LANG_SR_LATN, LANG_SR_CYRL, LANG_EN };

static int lang_of(const char *lang)
{
    if (!lang)
        return LANG_EN;
    if (!strcasecmp(lang, "sq"))
        return LANG_SQ;
    if (!strcasecmp(lang, "sr-cyrl"))
        return LANG_SR_CYRL;
    if (!strcasecmp(lang, "sr-latn") || !strcasecmp(lang, "sr"))
        return LANG_SR_LATN;
    return LANG_EN;
}

/* How each language names the parts of a citation and the kinds of act
 * in an act's title (as the Official Gazette prints them: "Ligji Nr.",
 * "Udhëzim Administrativ Nr.", "Zakon br.", "Law No."). */
static const struct words {
    const char *article, *paragraph, *page, *no, *preamble;
    const char *law, *instruction, *regulation, *decision;
} words[] = {
    [LANG_SQ] = {"neni", "paragrafi", "f.", "Nr.", "preambula",
                 "Ligji", "Udhëzim Administrativ", "Rregullore", "Vendim"},
    [LANG_SR_LATN] = {"član", "stav", "str.", "br.", "preambula",
                      "Zakon", "Administrativno uputstvo", "Uredba", "Odluka"},
    [LANG_SR_CYRL] = {"члан", "став", "стр.", "бр.", "преамбула",
                      "Закон", "Административно упутство", "Уредба", "Одлука"},
    [LANG_EN] = {"Article", "paragraph", "p.", "No.", "preamble",
                 "Law", "Administrative Instruction", "Regulation", "Decision"},
};

/* A number of the Assembly's laws: NN/L-NNN (L may be Cyrillic). */
static int is_law_number(const char *n)
{
    if (!(n[0] >= '0' && n[0] <= '9' && n[1] >= '0' && n[1] <= '9' && n[2] == '/'))
        return 0;
    return match_ci(n + 3, "l-", 1) != 0;
}

/* The word naming the kind of act in a title, or NULL. */
static const char *kind_word(const struct words *w, const char *type, const char *law)
{
    if (!type || !strcmp(type, "other"))
        return is_law_number(law) ? w->law : NULL;
    if (!strcmp(type, "law"))
        return w->law;
    if (!strcmp(type, "instruction"))
        return w->instruction;
    if (!strcmp(type, "regulation"))
        return w->regulation;
    if (!strcmp(type, "decision"))
        return w->decision;
    return NULL;
}

static void sep(ura_buf *b)
{
    if (b->n)
        ura_buf_adds(b, ", ");
}

/* Is s printed in capitals ("LIGJI Nr. 04/L-241 PËR GJUHËT": "Nr." and
 * the like aside)?  For the letters fold() knows. */
static int in_capitals(const char *s)
{
    size_t lower = 0, upper = 0;
    for (const char *p = s; *p;) {
        size_t n;
        uint32_t c = decode(p, &n);
        if (fold(c, 0) != c)
            upper++;
        else if ((c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) ||
                 (c >= 0x100 && c <= 0x17F) || (c >= 0x430 && c <= 0x45F))
            lower++;
        p += n;
    }
    return upper > 3 * lower;
}

/* The act's title for a citation; malloc'd, or NULL.  The act line the
 * segmenter found is often only the kind and number ("LIGJI Nr.
 * 04/L-241": the title page prints the rest on lines of its own) or all
 * in capitals.  Then the document's title, when it names the same act in
 * the hit's language (a trilingual act's title is "sq / en / sr", each
 * part with its own word for "No."), says it in full and in its author's
 * case. */
static char *act_title(const ura_hit *h, const struct words *w, const char *law)
{
    char *act = clean(h->act_title);
    if (act)
        strip_tail(act);
    if (act && !*act) {
        free(act);
        act = NULL;
    }
    char *doc = clean(h->title);
    if (!act || !law || !doc) {
        if (!act)
            return doc;
        free(doc);
        return act;
    }
    size_t an = strlen(act), ln = strlen(law);
    int bare = an >= ln && match_ci(act + an - ln, law, 1) == ln;
    if (!bare && !in_capitals(act)) {
        free(doc);
        return act;
    }
    /* The act line's first word ("RAPORT"), for a document title that
     * names the act without its number ("Raport për …"). */
    size_t kw = strcspn(act, " ");
    char first[64] = "";
    if (kw < sizeof first) {
        memcpy(first, act, kw);
        first[kw] = '\0';
    }
    char *same_kind = NULL;
    size_t same_kw = 0;
    for (char *part = doc; part && *part;) {
        char *end = strstr(part, " / ");
        if (end)
            *end = '\0';
        if (contains_ci(part, law, 1) && contains_ci(part, w->no, 0)) {
            char *r = ura_xstrdup(part);
            strip_tail(r);
            free(doc);
            free(act);
            return r;
        }
        size_t pk = strcspn(part, " ");
        int numbered = 0; /* names an act's number: another act */
        for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
            numbered |= contains_ci(part, words[k].no, 0);
        if (!same_kind && bare && *first && !numbered && part[pk] == ' ' &&
            match_ci(part, first, 0) == pk) {
            same_kind = part;
            same_kw = pk;
        }
        part = end ? end + 3 : NULL;
    }
    if (same_kind) {
        /* "Raport" + " Nr. 05/2022" + " për …" */
        ura_buf r = {0};
        ura_buf_add(&r, same_kind, same_kw);
        ura_buf_adds(&r, act + kw);
        ura_buf_adds(&r, same_kind + same_kw);
        free(act);
        act = ura_buf_steal(&r, NULL);
        strip_tail(act);
    }
    free(doc);
    return act;
}

char *ura_citation_text(const ura_hit *h)
{
    const struct words *w = &words[lang_of(h->lang)];
    char *law = clean(h->law);
    char *title = act_title(h, w, law);
    if (title)
        strip_tail(title);
    if (title && !*title) {
        free(title);
        title = NULL;
    }
    ura_buf b = {0};

    if (law) {
        const char *kw = kind_word(w, h->type, law);
        size_t kn = kw && title ? match_ci(title, kw, 0) : 0;
        if (kn && title[kn] != ' ')
            kn = 0;                    /* "Lawful …" is not "Law …" */
        if (title && contains_ci(title, law, 1)) {
            ura_buf_adds(&b, title);   /* the title already names it */
        } else if (kn) {
            /* "Ligji për …" becomes "Ligji Nr. 03/L-047 për …" */
            ura_buf_add(&b, title, kn);
            ura_buf_printf(&b, " %s %s%s", w->no, law, title + kn);
        } else {
            if (kw)
                ura_buf_printf(&b, "%s ", kw);
            ura_buf_printf(&b, "%s %s", w->no, law);
            if (title)
                ura_buf_printf(&b, ", %s", title);
        }
    } else if (title) {
        ura_buf_adds(&b, title);
    } else if (h->path && *h->path) {
        ura_buf_adds(&b, basename_of(h->path));
    }

    char *article = clean(h->article);
    if (article) {
        sep(&b);
        ura_buf_printf(&b, "%s %s", w->article, article);
        char *para = clean(h->paragraph);
        if (para)
            ura_buf_printf(&b, ", %s %s", w->paragraph, para);
        free(para);
    } else if (h->part && !strcmp(h->part, "preamble")) {
        sep(&b);
        ura_buf_adds(&b, w->preamble);
    } else if (h->part && !strcmp(h->part, "title")) {
        /* the title page: the act and the page say it all */
    } else if (h->heading) {
        /* No article known (a report, or an act the segmenter could not
         * read): the passage's heading says where it is. */
        char *hd = clean(last_heading(h->heading));
        if (hd) {
            strip_tail(hd);
            if (*hd && !(title && !strcmp(hd, title))) {
                sep(&b);
                ura_buf_adds(&b, hd);
            }
        }
        free(hd);
    }
    /* The first page of the matching text (see the top of this file). */
    if (h->page > 0) {
        sep(&b);
        ura_buf_printf(&b, "%s %d", w->page, h->page);
    }
    free(article);
    free(law);
    free(title);
    return ura_buf_steal(&b, NULL);
}

/* ---- shared by the export formats ---- */

enum kind { KIND_LEGISLATION, KIND_REPORT, KIND_DOCUMENT };

static enum kind kind_of(const ura_hit *h)
{
    const char *t = h->type;
    if (t && (!strcmp(t, "law") || !strcmp(t, "constitution") || !strcmp(t, "instruction") ||
              !strcmp(t, "statute") ||
              !strcmp(t, "regulation") || !strcmp(t, "decision")))
        return KIND_LEGISLATION;
    if (t && !strcmp(t, "report"))
        return KIND_REPORT;
    return h->law && *h->law ? KIND_LEGISLATION : KIND_DOCUMENT;
}

/* One hit's fields, cleaned, as every format writes them. */
typedef struct item {
    enum kind kind;
    char *key;
    char *title;      /* the act's title, else the document's, else the file name */
    char *number;     /* the act's number                                         */
    char *section;    /* "art. 4(2)"                                              */
    char *language;   /* BCP 47: sq, sr-Latn, sr-Cyrl, en                         */
    const char *langid; /* babel's name, for biblatex: albanian, serbian, ...     */
    char *url;        /* file:// URL of the file                                  */
    char *citation;   /* the human-readable citation                              */
    int page, year;
} item;

/* BCP 47's conventional case: language lower, script title, region upper
 * ("sr-latn" → "sr-Latn"). */
static char *bcp47(const char *tag)
{
    char *s = clean(tag);
    if (!s)
        return NULL;
    size_t start = 0;
    for (size_t i = 0;; i++) {
        if (s[i] != '-' && s[i] != '_' && s[i])
            continue;
        size_t len = i - start;
        for (size_t k = start; k < i; k++) {
            char c = s[k];
            int up = start > 0 && (len == 2 || (len == 4 && k == start));
            if (up && c >= 'a' && c <= 'z')
                c -= 32;
            else if (!up && c >= 'A' && c <= 'Z')
                c += 32;
            s[k] = c;
        }
        if (!s[i])
            break;
        s[i] = '-';
        start = i + 1;
    }
    return s;
}

static const char *babel_name(const char *lang)
{
    if (!lang)
        return NULL;
    if (!strcasecmp(lang, "sq"))
        return "albanian";
    if (!strcasecmp(lang, "sr-cyrl"))
        return "serbianc";
    if (!strcasecmp(lang, "sr-latn") || !strcasecmp(lang, "sr"))
        return "serbian";
    if (!strcasecmp(lang, "en"))
        return "english";
    return NULL;
}

/* ASCII for a Cyrillic letter (Serbian's alphabet, lower case), so that
 * keys read the same in both scripts: "03/Л-047" and "03/L-047" give
 * "03l047".  NULL for other code points. */
static const char *cyr_ascii(uint32_t c)
{
    static const char *const az[32] = {
        "a", "b", "v", "g", "d", "e", "z", "z", "i", "j", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "h", "c", "c", "s", "s", "", "y", "", "e", "ju", "ja"};
    if (c >= 0x430 && c <= 0x44F)
        return az[c - 0x430];
    switch (c) {
    case 0x452: return "dj";   /* ђ */
    case 0x458: return "j";    /* ј */
    case 0x459: return "lj";   /* љ */
    case 0x45A: return "nj";   /* њ */
    case 0x45B: return "c";    /* ћ */
    case 0x45F: return "dz";   /* џ */
    default: return NULL;
    }
}

/* Append the letters and digits of s as lower-case ASCII (Cyrillic
 * transliterated, other letters dropped); anything else becomes one '-'
 * between them when `dash`, else nothing. */
static void slug(ura_buf *b, const char *s, int dash)
{
    int pending = 0;
    size_t start = b->n;
    while (s && *s) {
        size_t len;
        uint32_t c = fold(decode(s, &len), 0);
        s += len;
        const char *a = NULL;
        char one[2] = {0, 0};
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            one[0] = (char)c;
            a = one;
        } else {
            a = cyr_ascii(c);
        }
        if (a && *a) {
            if (pending && b->n > start)
                ura_buf_addc(b, '-');
            pending = 0;
            ura_buf_adds(b, a);
        } else if (!a && dash) {
            pending = 1;
        }
    }
}

void ura_export_key(ura_buf *b, const ura_hit *h)
{
    ura_buf_adds(b, "ura");
    size_t mark = b->n;
    ura_buf_addc(b, '-');
    slug(b, h->law, 0);
    if (b->n == mark + 1)
        b->n = mark;                          /* no number */
    if (h->article && *h->article) {
        ura_buf_adds(b, "-art");
        slug(b, h->article, 1);
        if (h->paragraph && *h->paragraph) {
            ura_buf_addc(b, '-');
            slug(b, h->paragraph, 1);
        }
    } else {
        /* no article: where the passage is, by page and heading */
        if (h->page > 0)
            ura_buf_printf(b, "-p%d", h->page);
        if (h->heading && *h->heading)
            ura_buf_printf(b, "-h%06llx", (unsigned long long)(ura_hash64(h->heading,
                                                                          strlen(h->heading), 0) &
                                                               0xFFFFFF));
    }
    if (h->lang && *h->lang) {
        ura_buf_addc(b, '-');
        slug(b, h->lang, 1);
    }
    char key[33];
    const char *id = h->id;
    if (!id || strlen(id) < 8) {
        ura_path_key(h->path ? h->path : "", key);
        id = key;
    }
    char id8[9];
    memcpy(id8, id, 8);
    id8[8] = '\0';
    ura_buf_addc(b, '-');
    slug(b, id8, 0);
}

void ura_file_url(ura_buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!path || path[0] != '/')
        return;
    ura_buf_adds(b, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '/' || c == '.' || c == '_' || c == '-') {
            ura_buf_addc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            ura_buf_add(b, e, 3);
        }
    }
}

static int key_used(char *const *keys, size_t n, const char *k)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(keys[i], k))
            return 1;
    return 0;
}

static void item_init(item *it, const ura_hit *h, char *const *keys, size_t nkeys)
{
    memset(it, 0, sizeof *it);
    it->kind = kind_of(h);

    ura_buf k = {0};
    ura_export_key(&k, h);
    size_t base = k.n;
    for (int i = 2; key_used(keys, nkeys, k.p); i++) {
        k.n = base;
        ura_buf_printf(&k, "-%d", i);
    }
    it->key = ura_buf_steal(&k, NULL);

    char *law = clean(h->law);
    it->title = act_title(h, &words[lang_of(h->lang)], law);
    free(law);
    if (!it->title && h->path)
        it->title = clean(basename_of(h->path));
    it->number = clean(h->law);

    char *art = clean(h->article);
    if (art) {
        ura_buf s = {0};
        ura_buf_printf(&s, "art. %s", art);
        char *para = clean(h->paragraph);
        if (para)
            ura_buf_printf(&s, "(%s)", para);
        free(para);
        it->section = ura_buf_steal(&s, NULL);
        free(art);
    }
    it->language = bcp47(h->lang);
    it->langid = babel_name(h->lang);
    ura_buf u = {0};
    ura_file_url(&u, h->path);
    it->url = u.n ? ura_buf_steal(&u, NULL) : NULL;
    ura_buf_free(&u);
    it->citation = h->citation ? clean(h->citation) : NULL;
    if (!it->citation) {
        char *c = ura_citation_text(h);
        it->citation = clean(c);
        free(c);
    }
    it->page = h->page > 0 ? h->page : 0;
    it->year = h->year > 0 ? h->year : 0;
}

static void item_clear(item *it)
{
    free(it->key);
    free(it->title);
    free(it->number);
    free(it->section);
    free(it->language);
    free(it->url);
    free(it->citation);
}

/* ---- CSL-JSON: an array of items (CSL 1.0.2 input data) ---- */

static void json_field(ura_buf *b, const char *name, const char *v)
{
    if (!v)
        return;
    ura_buf_printf(b, ", \"%s\": ", name);
    ura_json_str(b, v, strlen(v));
}

static void csl_item(ura_buf *b, const item *it)
{
    static const char *const type[] = {"legislation", "report", "document"};
    ura_buf_adds(b, "{\"id\": ");
    ura_json_str(b, it->key, strlen(it->key));
    ura_buf_printf(b, ", \"type\": \"%s\"", type[it->kind]);
    json_field(b, "title", it->title);
    json_field(b, "number", it->number);
    json_field(b, "section", it->section);
    if (it->page)
        ura_buf_printf(b, ", \"page\": \"%d\"", it->page);
    json_field(b, "language", it->language);
    if (it->year)
        ura_buf_printf(b, ", \"issued\": {\"date-parts\": [[%d]]}", it->year);
    json_field(b, "URL", it->url);
    ura_buf_addc(b, '}');
}

/* ---- BibTeX (biblatex's entry types, which pandoc and Zotero read) ---- */

void ura_bibtex_text(ura_buf *b, const char *z, size_t n)
{
    /* Which braces have a partner: those can be \{ \}, which every
     * reader counts as a pair; a lone one would unbalance the entry. */
    unsigned char *paired = ura_xcalloc(n ? n : 1, 1);
    size_t *stack = ura_xmalloc((n ? n : 1) * sizeof *stack), depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (z[i] == '{')
            stack[depth++] = i;
        else if (z[i] == '}' && depth)
            paired[i] = paired[stack[--depth]] = 1;
    }
    free(stack);

    for (size_t i = 0; i < n; i++) {
        char c = z[i], next = i + 1 < n ? z[i + 1] : '\0';
        switch (c) {
        case '\\': ura_buf_adds(b, "\\textbackslash{}"); break;
        case '{': ura_buf_adds(b, paired[i] ? "\\{" : "\\textbraceleft{}"); break;
        case '}': ura_buf_adds(b, paired[i] ? "\\}" : "\\textbraceright{}"); break;
        case '#': case '$': case '%': case '&': case '_':
            ura_buf_addc(b, '\\');
            ura_buf_addc(b, c);
            break;
        case '~': ura_buf_adds(b, "\\textasciitilde{}"); break;
        case '^': ura_buf_adds(b, "\\textasciicircum{}"); break;
        case '`':
            /* kept (TeX and pandoc print an opening quote, as the writer
             * most likely meant) but not joined into ?` ¿ or !` ¡ */
            if (i > 0 && (z[i - 1] == '?' || z[i - 1] == '!'))
                ura_buf_adds(b, "{}");
            ura_buf_addc(b, c);
            break;
        case '-': case '\'': case '<': case '>': case ',':
            /* -- --- '' << >> ,, are ligatures in TeX: keep them apart */
            ura_buf_addc(b, c);
            if (next == c)
                ura_buf_adds(b, "{}");
            break;
        default: ura_buf_addc(b, c);
        }
    }
    free(paired);
}

static void bib_field(ura_buf *b, const char *name, const char *v, int protect)
{
    if (!v)
        return;
    ura_buf_printf(b, "  %s = {%s", name, protect ? "{" : "");
    ura_bibtex_text(b, v, strlen(v));
    ura_buf_adds(b, protect ? "}},\n" : "},\n");
}

static void bib_item(ura_buf *b, const item *it)
{
    static const char *const type[] = {"legislation", "report", "misc"};
    ura_buf_printf(b, "@%s{%s,\n", type[it->kind], it->key);
    /* Double braces keep the title's capitals: titles of acts are proper
     * names, never to be sentence-cased by a style. */
    bib_field(b, "title", it->title, 1);
    bib_field(b, "number", it->number, 0);
    bib_field(b, "note", it->section, 0);
    if (it->page)
        ura_buf_printf(b, "  pages = {%d},\n", it->page);
    if (it->year)
        ura_buf_printf(b, "  year = {%d},\n", it->year);
    if (it->langid)
        ura_buf_printf(b, "  langid = {%s},\n", it->langid);
    /* url is verbatim in biblatex and pandoc: it holds only [A-Za-z0-9/._-%:] */
    if (it->url)
        ura_buf_printf(b, "  url = {%s},\n", it->url);
    ura_buf_adds(b, "}\n");
}

/* ---- RIS (the tags Zotero maps for a statute) ---- */

static void ris_tag(ura_buf *b, const char *tag, const char *v)
{
    if (v)
        ura_buf_printf(b, "%s  - %s\r\n", tag, v);
}

static void ris_item(ura_buf *b, const item *it)
{
    static const char *const type[] = {"STAT", "RPRT", "GEN"};
    ris_tag(b, "TY", type[it->kind]);
    ris_tag(b, "ID", it->key);
    ris_tag(b, "TI", it->title);
    /* M1 is a statute's public law number; a report's number is SN. */
    ris_tag(b, it->kind == KIND_REPORT ? "SN" : "M1", it->number);
    ris_tag(b, "SE", it->section);
    if (it->page)
        ura_buf_printf(b, "SP  - %d\r\n", it->page);
    if (it->year)
        ura_buf_printf(b, "PY  - %d\r\n", it->year);
    ris_tag(b, "LA", it->language);
    ris_tag(b, "UR", it->url);
    ris_tag(b, "N1", it->citation);
    ura_buf_adds(b, "ER  - \r\n");
}

int ura_results_export(const ura_results *r, const char *format, char **out, ura_error *err)
{
    enum { CSL, BIB, RIS } f;
    *out = NULL;
    if (format && !strcmp(format, "csl-json"))
        f = CSL;
    else if (format && !strcmp(format, "bibtex"))
        f = BIB;
    else if (format && !strcmp(format, "ris"))
        f = RIS;
    else
        return ura_error_set(err, URA_ERR_USAGE,
                             "unknown export format '%s': csl-json, bibtex or ris",
                             format ? format : "");

    ura_buf b = {0};
    char **keys = ura_xcalloc(r->n ? r->n : 1, sizeof *keys);
    if (f == CSL)
        ura_buf_adds(&b, "[");
    for (size_t i = 0; i < r->n; i++) {
        item it;
        item_init(&it, &r->hits[i], keys, i);
        switch (f) {
        case CSL:
            ura_buf_adds(&b, i ? ",\n  " : "\n  ");
            csl_item(&b, &it);
            break;
        case BIB:
            if (i)
                ura_buf_addc(&b, '\n');
            bib_item(&b, &it);
            break;
        case RIS:
            if (i)
                ura_buf_adds(&b, "\r\n");
            ris_item(&b, &it);
            break;
        }
        keys[i] = it.key;
        it.key = NULL;
        item_clear(&it);
    }
    if (f == CSL)
        ura_buf_adds(&b, r->n ? "\n]\n" : "]\n");
    for (size_t i = 0; i < r->n; i++)
        free(keys[i]);
    free(keys);
    *out = ura_buf_steal(&b, NULL);
    return URA_OK;
}
