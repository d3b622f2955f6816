/* html.c — the HTML format plugin: libxml2's forgiving HTML parser builds a
 * tree, and one iterative walk turns it into ura structure events.
 *
 * libxml2 only ever sees clean UTF-8: the plugin decodes the bytes itself
 * (byte-order mark, else a <meta> charset, else UTF-8), because libxml2
 * guesses Latin-1 on bad UTF-8 and stops at the first byte its converter
 * rejects, writing to stderr as it does. */
#include <errno.h>
#include <stdarg.h>
#include <iconv.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ura/plugin.h"

#define MAX_OPEN 64      /* structure nodes open at once; deeper ones flatten */
#define TEXT_CHUNK 65536 /* largest text run handed to the sink              */
#define SNIFF_LEN 4096   /* bytes searched for a <meta> charset              */
#define MAX_LANG 35      /* longest language tag taken from a lang attribute */
#define MAX_META 4096    /* longest metadata value, in bytes                 */
#define MAX_ATTRS 256    /* attributes of one tag that libxml2 gets to see   */

/* No network, no entities, no doctype invented, no error printing, and no
 * XML_PARSE_HUGE: libxml2's depth limit (256) is what keeps its end-tag
 * matching from going quadratic on hostile nesting. */
#define PARSE_OPTIONS                                                        \
    (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |            \
     HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD |    \
     HTML_PARSE_COMPACT)

static int is_ws(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned lower(unsigned c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alpha(unsigned c)
{
    return lower(c) >= 'a' && lower(c) <= 'z';
}

/* Does s (n bytes) start with the lowercase ASCII p, ignoring case? */
static int starts_ci(const unsigned char *s, size_t n, const char *p)
{
    for (size_t i = 0; p[i]; i++)
        if (i >= n || lower(s[i]) != (unsigned char)p[i])
            return 0;
    return 1;
}

static int eq_ci(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == *b;
}

/* The first pat in s[0..n), or NULL (memmem is not in C11). */
static const unsigned char *find(const unsigned char *s, size_t n, const char *pat)
{
    size_t m = strlen(pat);
    for (size_t i = 0; i + m <= n; i++)
        if (s[i] == (unsigned char)pat[0] && memcmp(s + i, pat, m) == 0)
            return s + i;
    return NULL;
}

/* Drop a character cut in half at the end of s[0..n). */
static size_t utf8_trim(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return n;
    unsigned c = (unsigned char)s[i - 1];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return n - (i - 1) < need ? i - 1 : n;
}

/* ---- probe ---- */

static int html_probe(const unsigned char *head, size_t len)
{
    unsigned char a[512]; /* the head as one byte per character */
    size_t n = 0, i = 0, step = 1, lo = 0, p = 0;
    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    else if (len >= 2 && head[0] == 0xFF && head[1] == 0xFE)
        i = 2, step = 2;
    else if (len >= 2 && head[0] == 0xFE && head[1] == 0xFF)
        i = 2, step = 2, lo = 1;
    for (; i + step <= len && n < sizeof a; i += step)
        a[n++] = step == 2 && head[i + 1 - lo] ? 0x80 : head[i + lo];

    for (;;) { /* blanks, comments and <?xml ...?> may come first */
        while (p < n && is_ws(a[p]))
            p++;
        const char *close = starts_ci(a + p, n - p, "<!--") ? "-->"
                            : starts_ci(a + p, n - p, "<?") ? ">" : NULL;
        if (!close)
            break;
        const unsigned char *e = find(a + p + 2, n - p - 2, close);
        if (!e)
            return 10;
        p = (size_t)(e - a) + strlen(close);
    }
    static const struct { const char *tag; int score; } strong[] = {
        {"<!doctype html", 100}, {"<html", 95}, {"<head", 90},
        {"<body", 90},           {"<meta", 90}, {"<title", 90},
    };
    for (size_t k = 0; k < sizeof strong / sizeof strong[0]; k++) {
        size_t t = strlen(strong[k].tag);
        if (starts_ci(a + p, n - p, strong[k].tag) &&
            (p + t == n || is_ws(a[p + t]) || a[p + t] == '>' || a[p + t] == '/'))
            return strong[k].score;
    }
    if (p + 1 < n && a[p] == '<' && (is_alpha(a[p + 1]) || a[p + 1] == '!'))
        return 10; /* some markup, maybe HTML, maybe XML */
    return 0;
}

/* ---- decoding to clean UTF-8 ---- */

/* Append code point c.  C0 controls and DEL become spaces (libxml2 drops
 * them, gluing the words either side); surrogates and U+FFFE/U+FFFF, which
 * it also drops, become U+FFFD. */
static unsigned char *put_cp(unsigned char *o, uint32_t c)
{
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
        c = ' ';
    else if (c == 0xFFFE || c == 0xFFFF || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        c = 0xFFFD;
    if (c < 0x80) {
        *o++ = (unsigned char)c;
    } else if (c < 0x800) {
        *o++ = (unsigned char)(0xC0 | c >> 6);
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *o++ = (unsigned char)(0xE0 | c >> 12);
        *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | c >> 18);
        *o++ = (unsigned char)(0x80 | (c >> 12 & 0x3F));
        *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (c & 0x3F));
    }
    return o;
}

/* The code point at s (n > 0 bytes left) and its length in *k; an invalid
 * byte gives U+FFFD with *k = 1. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *k)
{
    unsigned c = s[0];
    uint32_t cp, min;
    size_t len;
    *k = 1;
    if (c < 0x80)
        return c;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0xFFFD;
    if (n < len)
        return 0xFFFD;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    *k = len;
    return cp;
}

/* Would put_cp() change anything in s? */
static int utf8_needs_repair(const unsigned char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k) {
        if (s[i] >= 0x20 && s[i] < 0x7F) {
            k = 1;
            continue;
        }
        uint32_t c = utf8_next(s + i, n - i, &k);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
            c == 0xFFFE || c == 0xFFFF || (c == 0xFFFD && k == 1))
            return 1;
    }
    return 0;
}

static size_t utf8_repair(unsigned char *o, const unsigned char *s, size_t n)
{
    unsigned char *start = o;
    for (size_t i = 0, k; i < n; i += k)
        o = put_cp(o, utf8_next(s + i, n - i, &k));
    return (size_t)(o - start);
}

/* put_cp()'s repairs in place, for UTF-8 that iconv made (valid, but it
 * may hold control characters): each repair keeps the length. */
static void utf8_tidy(unsigned char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k) {
        uint32_t c = utf8_next(s + i, n - i, &k);
        if (k == 1 && (c >= 0x80 || c < 0x20 || c == 0x7F))
            put_cp(s + i, c == '\t' || c == '\n' || c == '\r' ? c : ' ');
        else if (c == 0xFFFE || c == 0xFFFF)
            put_cp(s + i, 0xFFFD);
    }
}

static size_t utf16_decode(unsigned char *o, const unsigned char *s, size_t n, int be)
{
    unsigned char *start = o;
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        uint32_t u = be ? (uint32_t)s[i] << 8 | s[i + 1] : (uint32_t)s[i + 1] << 8 | s[i];
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t v = be ? (uint32_t)s[i + 2] << 8 | s[i + 3]
                            : (uint32_t)s[i + 3] << 8 | s[i + 2];
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            }
        }
        o = put_cp(o, u); /* a lone surrogate comes out as U+FFFD */
    }
    if (i < n)
        o = put_cp(o, 0xFFFD);
    return (size_t)(o - start);
}

/* Legacy charsets through iconv, U+FFFD for each byte it rejects.  NULL if
 * iconv does not know the charset. */
static unsigned char *legacy_decode(const char *charset, const unsigned char *s, size_t n,
                                    size_t cap, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return NULL;
    unsigned char *buf = malloc(cap);
    char *in = (char *)s, *out = (char *)buf;
    size_t inleft = n, outleft = cap;
    while (buf && inleft > 0) {
        if (iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1)
            break;
        if ((errno != EILSEQ && errno != EINVAL) || outleft < 3)
            break; /* E2BIG: cannot happen within 3x; keep what fits */
        memcpy(out, "\xEF\xBF\xBD", 3);
        out += 3, outleft -= 3, in++, inleft--;
    }
    if (buf)
        iconv(cd, NULL, NULL, &out, &outleft);
    iconv_close(cd);
    if (!buf)
        return NULL;
    *outlen = (size_t)((unsigned char *)out - buf);
    utf8_tidy(buf, *outlen);
    return buf;
}

/* One attribute of a tag at s[*i], name lowercased, both bounded.  0 at the
 * tag's end. */
static int next_attr(const unsigned char *s, size_t n, size_t *i, char *name, size_t ncap,
                     char *val, size_t vcap)
{
    size_t p = *i, k = 0;
    while (p < n && (is_ws(s[p]) || s[p] == '/'))
        p++;
    if (p >= n || s[p] == '>') {
        *i = p;
        return 0;
    }
    do {
        if (k + 1 < ncap)
            name[k++] = (char)lower(s[p]);
        p++;
    } while (p < n && !is_ws(s[p]) && s[p] != '/' && s[p] != '>' && s[p] != '=');
    name[k] = '\0';
    k = 0;
    while (p < n && is_ws(s[p]))
        p++;
    if (p < n && s[p] == '=') {
        for (p++; p < n && is_ws(s[p]); p++)
            ;
        unsigned char q = p < n && (s[p] == '"' || s[p] == '\'') ? s[p++] : 0;
        for (; p < n && (q ? s[p] != q : !is_ws(s[p]) && s[p] != '>'); p++)
            if (k + 1 < vcap)
                val[k++] = (char)s[p];
        if (q && p < n)
            p++;
    }
    val[k] = '\0';
    *i = p;
    return 1;
}

/* The charset in a Content-Type value ("text/html; charset=windows-1250"). */
static int charset_from_content(const char *z, char *out, size_t cap)
{
    for (const char *p = z; *p; p++) {
        if (!starts_ci((const unsigned char *)p, strlen(p), "charset"))
            continue;
        const char *q = p + 7;
        while (is_ws((unsigned char)*q))
            q++;
        if (*q != '=')
            continue;
        for (q++; is_ws((unsigned char)*q); q++)
            ;
        char quote = *q == '"' || *q == '\'' ? *q++ : 0;
        size_t k = 0;
        for (; *q && (quote ? *q != quote : !is_ws((unsigned char)*q) && *q != ';'); q++)
            if (k + 1 < cap)
                out[k++] = *q;
        out[k] = '\0';
        return k > 0;
    }
    return 0;
}

/* A <meta> charset among the first SNIFF_LEN bytes, found roughly as the
 * HTML standard's prescan does: comments and the attributes of other tags
 * are stepped over, so a "<meta" inside them cannot fool it. */
static int sniff_charset(const unsigned char *s, size_t n, char *label, size_t cap)
{
    char name[16], val[512], charset[64], content[512];
    if (n > SNIFF_LEN)
        n = SNIFF_LEN;
    for (size_t i = 0; i < n;) {
        const unsigned char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - s);
        if (starts_ci(s + i, n - i, "<!--")) {
            const unsigned char *e = find(s + i + 2, n - i - 2, "-->");
            if (!e)
                break;
            i = (size_t)(e - s) + 3;
        } else if (starts_ci(s + i, n - i, "<meta") && i + 5 < n &&
                   (is_ws(s[i + 5]) || s[i + 5] == '/')) {
            int pragma = 0;
            charset[0] = content[0] = '\0';
            for (i += 5; next_attr(s, n, &i, name, sizeof name, val, sizeof val);) {
                if (!strcmp(name, "charset") && !charset[0])
                    snprintf(charset, sizeof charset, "%.63s", val);
                else if (!strcmp(name, "http-equiv"))
                    pragma |= eq_ci(val, "content-type");
                else if (!strcmp(name, "content") && !content[0])
                    snprintf(content, sizeof content, "%s", val);
            }
            if (charset[0] && snprintf(label, cap, "%s", charset) > 0)
                return 1;
            if (pragma && charset_from_content(content, label, cap))
                return 1;
        } else if (i + 2 < n && (is_alpha(s[i + 1]) || (s[i + 1] == '/' && is_alpha(s[i + 2])))) {
            for (i++; i < n && !is_ws(s[i]) && s[i] != '>'; i++)
                ;
            while (next_attr(s, n, &i, name, sizeof name, val, sizeof val))
                ;
        } else if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
            const unsigned char *gt = memchr(s + i, '>', n - i);
            if (!gt)
                break;
            i = (size_t)(gt - s) + 1;
        } else {
            i++;
        }
    }
    return 0;
}

/* Map a charset label to an iconv name; "" for UTF-8.  As the HTML standard
 * asks, a <meta> that claims UTF-16 means UTF-8, and Latin-1 and ASCII mean
 * windows-1252. */
static void charset_name(const char *label, char *out, size_t cap)
{
    static const char *const utf8[] = {"utf-8", "utf8", "unicode-1-1-utf-8", "utf-16",
                                       "utf-16le", "utf-16be", "unicode", "ucs-2", NULL};
    static const char *const cp1252[] = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
                                         "l1", "us-ascii", "ascii", "cp819", "x-cp1252", NULL};
    char l[48];
    size_t k = 0;
    while (is_ws((unsigned char)*label))
        label++;
    for (; *label && !is_ws((unsigned char)*label) && k + 1 < sizeof l; label++) {
        unsigned c = lower((unsigned char)*label);
        if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':')) {
            k = 0; /* "//TRANSLIT" and friends are not charsets */
            break;
        }
        l[k++] = (char)c;
    }
    l[k] = '\0';
    out[0] = '\0';
    for (int i = 0; utf8[i]; i++)
        if (!strcmp(l, utf8[i]))
            return;
    for (int i = 0; cp1252[i]; i++)
        if (!strcmp(l, cp1252[i])) {
            snprintf(out, cap, "windows-1252");
            return;
        }
    if (!strcmp(l, "x-cp1250") || !strcmp(l, "x-cp1251"))
        snprintf(out, cap, "windows-125%c", l[7]);
    else
        snprintf(out, cap, "%s", l);
}

/* The document as clean UTF-8: *out is the input itself when nothing needs
 * changing, else *owned, a malloc'ed copy of at most 3x the input.
 * -1: out of memory. */
static int decode(const unsigned char *s, size_t n, unsigned char **owned,
                  const unsigned char **out, size_t *outlen)
{
    char label[64], charset[48] = "";
    int utf16 = 0;
    *owned = NULL;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, n -= 3;
    else if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        utf16 = s[0] == 0xFF ? 1 : 2, s += 2, n -= 2;
    else if (sniff_charset(s, n, label, sizeof label))
        charset_name(label, charset, sizeof charset);

    if (n > (SIZE_MAX - 16) / 3)
        return -1;
    size_t cap = 3 * n + 16;
    if (utf16) {
        if (!(*owned = malloc(cap)))
            return -1;
        *outlen = utf16_decode(*owned, s, n, utf16 == 2);
    } else if (charset[0] && (*owned = legacy_decode(charset, s, n, cap, outlen)) != NULL) {
        ; /* an unknown charset falls through to UTF-8 */
    } else if (utf8_needs_repair(s, n)) {
        if (!(*owned = malloc(cap)))
            return -1;
        *outlen = utf8_repair(*owned, s, n);
    } else {
        *out = s;
        *outlen = n;
        return 0;
    }
    *out = *owned;
    return 0;
}

/* The next tag at or after *pos with more than MAX_ATTRS attributes: the
 * bytes [*from, *to) hold the ones past the limit.  libxml2 compares each
 * attribute of a tag with all before it, so one tag with 200,000 of them
 * takes minutes.  Tags are found as libxml2 finds them; script and style
 * are raw text up to their end tag. */
static int excess_attrs(const unsigned char *s, size_t n, size_t *pos, size_t *from,
                        size_t *to)
{
    char name[16], val[1];
    for (size_t i = *pos, j; i < n;) {
        const unsigned char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - s);
        if (starts_ci(s + i, n - i, "<!--")) {
            const unsigned char *e = find(s + i + 4, n - i - 4, "-->");
            i = e ? (size_t)(e - s) + 3 : n;
            continue;
        }
        if (i + 1 >= n || !is_alpha(s[i + 1])) {
            i++;
            continue;
        }
        for (j = i + 1; j < n && !is_ws(s[j]) && s[j] != '>' && s[j] != '/'; j++)
            ;
        const char *raw = j - i == 7 && starts_ci(s + i + 1, 6, "script") ? "</script"
                          : j - i == 6 && starts_ci(s + i + 1, 5, "style") ? "</style" : NULL;
        size_t count = 0, cut = 0;
        for (size_t a = j; next_attr(s, n, &j, name, sizeof name, val, sizeof val); a = j)
            if (++count == MAX_ATTRS + 1)
                cut = a;
        if (cut) {
            *from = cut, *to = *pos = j;
            return 1;
        }
        for (i = j; raw && i < n && !starts_ci(s + i, n - i, raw); i++)
            ;
    }
    *pos = n;
    return 0;
}

/* ---- elements ---- */

enum {
    T_INLINE = 1, /* text-level: no word boundary at its edges        */
    T_SKIP = 2,   /* not shown: the whole subtree is ignored          */
    T_PRE = 4,    /* white space kept as written                      */
    T_HEAD = 8,
    T_TITLE = 16,
    T_META = 32,
    T_BR = 64,
    T_ROOT = 128,
    T_APART = 256 /* inline, but its edges part words: footnote marks */
};

struct tag {
    const char *name;
    unsigned flags;
    enum ura_node kind; /* 0: none of its own */
    int level;
};

/* Sorted by name (strcmp).  Elements not listed are block-level. */
static const struct tag tags[] = {
    {"a", T_INLINE, 0, 0},        {"abbr", T_INLINE, 0, 0},     {"acronym", T_INLINE, 0, 0},
    {"applet", T_SKIP, 0, 0},     {"audio", T_SKIP, 0, 0},      {"b", T_INLINE, 0, 0},
    {"base", T_SKIP, 0, 0},       {"basefont", T_INLINE, 0, 0}, {"bdi", T_INLINE, 0, 0},
    {"bdo", T_INLINE, 0, 0},      {"big", T_INLINE, 0, 0},      {"blink", T_INLINE, 0, 0},
    {"br", T_BR, 0, 0},           {"button", T_INLINE, 0, 0},   {"canvas", T_SKIP, 0, 0},
    {"cite", T_INLINE, 0, 0},     {"code", T_INLINE, 0, 0},     {"data", T_INLINE, 0, 0},
    {"datalist", T_SKIP, 0, 0},   {"del", T_INLINE, 0, 0},      {"dfn", T_INLINE, 0, 0},
    {"dir", 0, URA_NODE_LIST, 0}, {"em", T_INLINE, 0, 0},       {"embed", T_SKIP, 0, 0},
    {"font", T_INLINE, 0, 0},     {"h1", 0, URA_NODE_HEADING, 1},
    {"h2", 0, URA_NODE_HEADING, 2}, {"h3", 0, URA_NODE_HEADING, 3},
    {"h4", 0, URA_NODE_HEADING, 4}, {"h5", 0, URA_NODE_HEADING, 5},
    {"h6", 0, URA_NODE_HEADING, 6}, {"head", T_HEAD, 0, 0},     {"html", T_ROOT, 0, 0},
    {"i", T_INLINE, 0, 0},        {"iframe", T_SKIP, 0, 0},     {"img", T_INLINE, 0, 0},
    {"input", T_INLINE, 0, 0},    {"ins", T_INLINE, 0, 0},      {"kbd", T_INLINE, 0, 0},
    {"label", T_INLINE, 0, 0},    {"li", 0, URA_NODE_LIST_ITEM, 0},
    {"link", T_SKIP, 0, 0},       {"listing", T_PRE, 0, 0},     {"map", T_INLINE, 0, 0},
    {"mark", T_INLINE, 0, 0},     {"math", T_SKIP, 0, 0},       {"menu", 0, URA_NODE_LIST, 0},
    {"meta", T_META, 0, 0},       {"meter", T_INLINE, 0, 0},    {"nobr", T_INLINE, 0, 0},
    {"noembed", T_SKIP, 0, 0},    {"noscript", T_SKIP, 0, 0},   {"object", T_SKIP, 0, 0},
    {"ol", 0, URA_NODE_LIST, 0},  {"output", T_INLINE, 0, 0},   {"p", 0, URA_NODE_PARAGRAPH, 0},
    {"param", T_SKIP, 0, 0},      {"picture", T_INLINE, 0, 0},  {"plaintext", T_PRE, 0, 0},
    {"pre", T_PRE, 0, 0},         {"progress", T_INLINE, 0, 0}, {"q", T_INLINE, 0, 0},
    {"rp", T_INLINE, 0, 0},       {"rt", T_INLINE, 0, 0},       {"ruby", T_INLINE, 0, 0},
    {"s", T_INLINE, 0, 0},        {"samp", T_INLINE, 0, 0},     {"script", T_SKIP, 0, 0},
    {"select", T_SKIP, 0, 0},     {"small", T_INLINE, 0, 0},    {"source", T_SKIP, 0, 0},
    {"span", T_INLINE, 0, 0},     {"strike", T_INLINE, 0, 0},   {"strong", T_INLINE, 0, 0},
    {"style", T_SKIP, 0, 0},      {"sub", T_INLINE | T_APART, 0, 0},
    {"sup", T_INLINE | T_APART, 0, 0},
    {"svg", T_SKIP, 0, 0},        {"table", 0, URA_NODE_TABLE, 0},
    {"td", 0, URA_NODE_CELL, 0},  {"template", T_SKIP, 0, 0},   {"textarea", T_SKIP, 0, 0},
    {"th", 0, URA_NODE_CELL, 0},  {"time", T_INLINE, 0, 0},     {"title", T_TITLE, 0, 0},
    {"tr", 0, URA_NODE_ROW, 0},   {"track", T_SKIP, 0, 0},      {"tt", T_INLINE, 0, 0},
    {"u", T_INLINE, 0, 0},        {"ul", 0, URA_NODE_LIST, 0},  {"var", T_INLINE, 0, 0},
    {"video", T_SKIP, 0, 0},      {"wbr", T_INLINE, 0, 0},      {"xmp", T_PRE, 0, 0},
};

static int tag_cmp(const void *key, const void *t)
{
    return strcmp(key, ((const struct tag *)t)->name);
}

static const struct tag *find_tag(const xmlNode *e)
{
    static const struct tag none = {"", 0, 0, 0};
    const struct tag *t = e->name ? bsearch(e->name, tags, sizeof tags / sizeof tags[0],
                                            sizeof tags[0], tag_cmp)
                                  : NULL;
    return t ? t : &none;
}

/* A bounded copy with white space collapsed and trimmed: never more than
 * cap bytes, cut at a character boundary. */
struct span {
    char *p;
    size_t n, cap;
    int space, full;
};

static void span_add(struct span *s, const char *z)
{
    for (; z && *z && !s->full; z++) {
        if (is_ws((unsigned char)*z)) {
            s->space = s->n > 0;
        } else if (s->n + 1 + (size_t)s->space > s->cap) {
            s->full = 1;
        } else {
            if (s->space)
                s->p[s->n++] = ' ';
            s->space = 0;
            s->p[s->n++] = *z;
        }
    }
}

static size_t span_end(struct span *s)
{
    if (s->full)
        s->n = utf8_trim(s->p, s->n);
    s->p[s->n] = '\0';
    return s->n;
}

/* Attribute `name` of e into buf (cap bytes plus a NUL).  HTML attribute
 * values are a list of text nodes; only what fits is read. */
static size_t attr_read(const xmlNode *e, const char *name, char *buf, size_t cap)
{
    struct span s = {buf, 0, cap, 0, 0};
    for (const xmlAttr *a = e->properties; a; a = a->next)
        if (a->name && !strcmp((const char *)a->name, name)) {
            for (const xmlNode *t = a->children; t && !s.full; t = t->next)
                span_add(&s, (const char *)t->content);
            break;
        }
    return span_end(&s);
}

/* A language tag from lang= (else xml:lang=) if it looks like BCP 47. */
static const char *read_lang(const xmlNode *e, char buf[MAX_LANG + 2])
{
    size_t n = attr_read(e, "lang", buf, MAX_LANG + 1);
    if (n == 0)
        n = attr_read(e, "xml:lang", buf, MAX_LANG + 1);
    if (n == 0 || n > MAX_LANG || !is_alpha((unsigned char)buf[0]))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)buf[i];
        if (c == '_')
            buf[i] = '-';
        else if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '-')
            return NULL;
    }
    return buf;
}

/* A footnote: role="doc-footnote|doc-endnote", or a block whose class
 * names a footnote.  Inline elements with such a class are the reference
 * marks in the text ("footnote-ref", "MsoFootnoteReference"), not notes. */
static int is_footnote(const xmlNode *e, int inl)
{
    char b[1025];
    if (attr_read(e, "role", b, 256)) /* space-separated tokens */
        for (char *t = b, *sp; t; t = sp ? sp + 1 : NULL) {
            if ((sp = strchr(t, ' ')) != NULL)
                *sp = '\0';
            if (eq_ci(t, "doc-footnote") || eq_ci(t, "doc-endnote"))
                return 1;
        }
    if (inl || !attr_read(e, "class", b, 1024))
        return 0;
    for (char *p = b; *p; p++)
        if (starts_ci((const unsigned char *)p, strlen(p), "footnote"))
            return 1;
    return 0;
}

/* ---- the walk ---- */

enum { K_TITLE, K_AUTHOR, K_DESCRIPTION, K_KEYWORDS, K_DATE, K_CREATED, K_MODIFIED, K_LANGUAGE };
static const char *const meta_keys[] = {"title", "author", "description", "keywords",
                                        "date", "created", "modified", "language"};

struct open_node {
    enum ura_node kind;
    const xmlNode *owner; /* the element that opened it; NULL: implicit <p> */
    int text_ok;          /* text may go straight into it                  */
    int is_inline;        /* opened by a text-level element                */
    int ordered;          /* a list from <ol>                              */
    long next;            /* a list: the number of its next item           */
};

struct walk {
    const struct ura_sink *sink;
    struct open_node open[MAX_OPEN + 1]; /* the last slot: implicit <p> */
    int depth;
    char *buf;     /* text not yet given to the sink */
    size_t nbuf;
    int started;   /* the current block has text           */
    int space;     /* a space is due before the next word  */
    int breaks;    /* newlines due (<br>), at most 2       */
    int pre;       /* inside <pre> and its kin             */
    int head;      /* inside <head>                        */
    unsigned done; /* metadata keys already given          */
};

static int flush(struct walk *w)
{
    if (w->nbuf == 0)
        return URA_OK;
    size_t n = w->nbuf;
    w->nbuf = 0;
    return w->sink->text(w->sink->ctx, w->buf, n);
}

/* Buffer text; the sink gets it in runs of at most TEXT_CHUNK bytes, each
 * ending on a character boundary. */
static int put(struct walk *w, const char *z, size_t n)
{
    while (n > TEXT_CHUNK - w->nbuf) {
        size_t k = TEXT_CHUNK - w->nbuf;
        while (k > 0 && ((unsigned char)z[k] & 0xC0) == 0x80)
            k--;
        memcpy(w->buf + w->nbuf, z, k);
        w->nbuf += k, z += k, n -= k;
        int rc = flush(w);
        if (rc != URA_OK)
            return rc;
    }
    memcpy(w->buf + w->nbuf, z, n);
    w->nbuf += n;
    return URA_OK;
}

/* The separator due before more text in the current block. */
static int separate(struct walk *w)
{
    int rc = URA_OK;
    if (w->started && w->breaks)
        rc = put(w, "\n\n", (size_t)w->breaks);
    else if (w->started && w->space)
        rc = put(w, " ", 1);
    w->space = w->breaks = 0;
    return rc;
}

static int is_block_kind(enum ura_node k)
{
    return k == URA_NODE_HEADING || k == URA_NODE_PARAGRAPH || k == URA_NODE_LIST_ITEM ||
           k == URA_NODE_CELL || k == URA_NODE_FOOTNOTE;
}

/* Open a node; beyond MAX_OPEN it is silently not opened (NULL). */
static struct open_node *push(struct walk *w, int *rc, enum ura_node kind, int level,
                              const char *lang, const xmlNode *owner, int inl)
{
    if (w->depth >= MAX_OPEN + (owner == NULL))
        return NULL;
    const struct open_node *up = w->depth ? &w->open[w->depth - 1] : NULL;
    if (inl && (*rc = separate(w)) != URA_OK)
        return NULL;
    if ((*rc = flush(w)) != URA_OK ||
        (*rc = w->sink->begin(w->sink->ctx, kind, level, lang)) != URA_OK)
        return NULL;
    struct open_node *o = &w->open[w->depth++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->owner = owner;
    o->is_inline = inl;
    o->text_ok = is_block_kind(kind) || (inl && up && up->text_ok);
    if (!inl)
        w->started = w->space = w->breaks = 0;
    return o;
}

static int pop(struct walk *w)
{
    int rc = flush(w);
    const struct open_node *o = &w->open[--w->depth];
    if (rc == URA_OK)
        rc = w->sink->end(w->sink->ctx, o->kind);
    if (!o->is_inline)
        w->started = w->space = w->breaks = 0;
    return rc;
}

/* A block edge: it ends an implicit paragraph, and keeps words apart. */
static int boundary(struct walk *w)
{
    if (w->depth && !w->open[w->depth - 1].owner)
        return pop(w);
    w->space = 1;
    return URA_OK;
}

/* Make sure text has a block to go into: loose text gets a paragraph. */
static int lead(struct walk *w)
{
    int rc = URA_OK;
    if (!w->depth || !w->open[w->depth - 1].text_ok)
        push(w, &rc, URA_NODE_PARAGRAPH, 0, NULL, NULL, 0);
    if (rc == URA_OK)
        rc = separate(w);
    w->started = 1;
    return rc;
}

static int give_meta(struct walk *w, int key, const char *z, size_t n)
{
    if (n == 0 || (w->done & 1u << key))
        return URA_OK;
    w->done |= 1u << key;
    return w->sink->meta(w->sink->ctx, meta_keys[key], z, n);
}

static int text_node(struct walk *w, const xmlNode *t)
{
    const char *s = (const char *)t->content;
    int rc = URA_OK;
    if (!s || w->head)
        return URA_OK;
    size_t n = strlen(s), i = 0;
    if (!w->pre) {
        while (i < n && rc == URA_OK) {
            if (is_ws((unsigned char)s[i])) {
                w->space = 1;
                i++;
                continue;
            }
            size_t j = i;
            while (j < n && !is_ws((unsigned char)s[j]))
                j++;
            if ((rc = lead(w)) == URA_OK)
                rc = put(w, s + i, j - i);
            i = j;
        }
        return rc;
    }
    /* <pre>: as written, but for the newline right after the start tag
     * and with CR LF and lone CR made LF. */
    if (!t->prev && t->parent && (find_tag(t->parent)->flags & T_PRE))
        i = s[0] == '\r' ? (s[1] == '\n' ? 2 : 1) : s[0] == '\n';
    while (i < n && !w->started && is_ws((unsigned char)s[i]) && s[i] != ' ' && s[i] != '\t')
        i++; /* no block starts with line breaks */
    if (i >= n)
        return URA_OK;
    if ((rc = lead(w)) != URA_OK)
        return rc;
    while (i < n && rc == URA_OK) {
        const char *cr = memchr(s + i, '\r', n - i);
        size_t j = cr ? (size_t)(cr - s) : n;
        rc = put(w, s + i, j - i);
        if (cr && rc == URA_OK)
            rc = put(w, "\n", 1);
        i = j + (cr ? (s[j + 1] == '\n' ? 2 : 1) : 0);
    }
    return rc;
}

/* <title>: the first one anywhere names the document. */
static int title(struct walk *w, const xmlNode *e)
{
    char buf[MAX_META + 1];
    struct span s = {buf, 0, MAX_META, 0, 0};
    if (w->done & 1u << K_TITLE)
        return URA_OK;
    for (const xmlNode *n = e->children; n && !s.full;) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            span_add(&s, (const char *)n->content);
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n != e && !n->next)
            n = n->parent;
        n = n == e ? NULL : n->next;
    }
    return give_meta(w, K_TITLE, buf, span_end(&s));
}

static int meta(struct walk *w, const xmlNode *e)
{
    static const struct { const char *name; int key; } names[] = {
        {"author", K_AUTHOR},           {"dc.creator", K_AUTHOR},
        {"dcterms.creator", K_AUTHOR},  {"description", K_DESCRIPTION},
        {"dc.description", K_DESCRIPTION}, {"dcterms.description", K_DESCRIPTION},
        {"dcterms.abstract", K_DESCRIPTION}, {"keywords", K_KEYWORDS},
        {"dc.subject", K_KEYWORDS},     {"dcterms.subject", K_KEYWORDS},
        {"date", K_DATE},               {"dc.date", K_DATE},
        {"dcterms.date", K_DATE},       {"dc.date.issued", K_DATE},
        {"dcterms.issued", K_DATE},     {"dc.date.created", K_CREATED},
        {"dcterms.created", K_CREATED}, {"dc.date.modified", K_MODIFIED},
        {"dcterms.modified", K_MODIFIED}, {"dc.language", K_LANGUAGE},
        {"dcterms.language", K_LANGUAGE}, {"language", K_LANGUAGE},
    };
    char name[64], val[MAX_META + 1];
    int key = -1;
    if (attr_read(e, "name", name, sizeof name - 1)) {
        for (size_t i = 0; i < sizeof names / sizeof names[0] && key < 0; i++)
            if (eq_ci(name, names[i].name))
                key = names[i].key;
    } else if (attr_read(e, "http-equiv", name, sizeof name - 1) &&
               eq_ci(name, "content-language")) {
        key = K_LANGUAGE;
    }
    if (key < 0 || (w->done & 1u << key))
        return URA_OK;
    size_t n = attr_read(e, "content", val, MAX_META);
    if (key == K_LANGUAGE) { /* "sq, sr": the first, if it is a tag */
        n = strcspn(val, ", ");
        if (n > MAX_LANG)
            return URA_OK;
        for (size_t i = 0; i < n; i++)
            if (!is_alpha((unsigned char)val[i]) && val[i] != '-' &&
                !(val[i] >= '0' && val[i] <= '9'))
                return URA_OK;
    }
    return give_meta(w, key, val, n);
}

/* The structure an element opens: its own kind, a footnote, or a section
 * for a lang attribute on an element that has neither. */
static int open_element(struct walk *w, const xmlNode *e, const struct tag *tag,
                        const char *lang)
{
    enum ura_node own = tag->kind, outer = own, inner = 0;
    int inl = (tag->flags & T_INLINE) != 0, rc = URA_OK, level = tag->level, in_note = 0;
    for (int i = 0; i < w->depth; i++)
        in_note |= w->open[i].kind == URA_NODE_FOOTNOTE;
    if (!in_note && is_footnote(e, inl)) {
        if (!own || own == URA_NODE_PARAGRAPH)
            own = outer = URA_NODE_FOOTNOTE;
        else if (own == URA_NODE_LIST || own == URA_NODE_TABLE || own == URA_NODE_ROW)
            outer = URA_NODE_FOOTNOTE, inner = own;
        else
            inner = URA_NODE_FOOTNOTE;
    }
    if (!outer && lang)
        own = outer = URA_NODE_SECTION;
    if (!outer)
        return URA_OK;
    if (!inl) { /* a paragraph holds no block structure: end it, as HTML5 does */
        int i = w->depth - 1;
        while (i >= 0 && w->open[i].is_inline)
            i--;
        while (i >= 0 && w->open[i].kind == URA_NODE_PARAGRAPH && rc == URA_OK &&
               w->depth > i)
            rc = pop(w);
        if (rc != URA_OK)
            return rc;
    }
    struct open_node *list = NULL, *up = w->depth ? &w->open[w->depth - 1] : NULL;
    if (own == URA_NODE_LIST) {
        level = 1;
        for (int i = 0; i < w->depth; i++)
            level += w->open[i].kind == URA_NODE_LIST;
    } else if (own == URA_NODE_LIST_ITEM && up && up->kind == URA_NODE_LIST &&
               up->owner == e->parent && up->ordered) {
        char num[17];
        if (attr_read(e, "value", num, 16))
            up->next = strtol(num, NULL, 10);
        level = up->next > 0 && up->next <= INT_MAX ? (int)up->next : 0;
        if (up->next < INT_MAX && up->next > -INT_MAX)
            up->next++;
    }
    struct open_node *o = push(w, &rc, outer, outer == own ? level : 0, lang, e, inl);
    if (o && outer == own)
        list = o;
    if (o && inner) {
        struct open_node *o2 = push(w, &rc, inner, inner == own ? level : 0, NULL, e, inl);
        if (o2 && inner == own)
            list = o2;
    }
    if (list && own == URA_NODE_LIST && !strcmp((const char *)e->name, "ol")) {
        char num[17];
        list->ordered = 1;
        list->next = attr_read(e, "start", num, 16) ? strtol(num, NULL, 10) : 1;
    }
    return rc;
}

static int enter(struct walk *w, const xmlNode *e, int *descend)
{
    const struct tag *tag = find_tag(e);
    char lang[MAX_LANG + 2];
    int rc;
    *descend = 0;
    if ((tag->flags & T_SKIP) || (w->head && !(tag->flags & (T_TITLE | T_META))))
        return URA_OK;
    if (tag->flags & T_TITLE)
        return title(w, e);
    if (tag->flags & T_META)
        return meta(w, e);
    if (tag->flags & T_BR) {
        if (w->pre)
            return w->started ? put(w, "\n", 1) : URA_OK;
        w->breaks += w->breaks < 2;
        return URA_OK;
    }
    *descend = 1;
    w->space |= (tag->flags & T_APART) != 0;
    if (tag->flags & T_HEAD) {
        w->head++;
        return URA_OK;
    }
    if (!(tag->flags & T_INLINE) && (rc = boundary(w)) != URA_OK)
        return rc;
    const char *l = read_lang(e, lang);
    if (tag->flags & T_ROOT)
        return l ? give_meta(w, K_LANGUAGE, l, strlen(l)) : URA_OK;
    w->pre += (tag->flags & T_PRE) != 0;
    return open_element(w, e, tag, l);
}

static int leave(struct walk *w, const xmlNode *e)
{
    const struct tag *tag = find_tag(e);
    int i, rc = URA_OK;
    if (tag->flags & T_HEAD) {
        w->head--;
        return URA_OK;
    }
    w->pre -= (tag->flags & T_PRE) != 0;
    w->space |= (tag->flags & T_APART) != 0;
    /* Close what e opened, and any implicit paragraph begun inside it. */
    for (i = w->depth - 1; i >= 0 && !w->open[i].owner; i--)
        ;
    if (i >= 0 && w->open[i].owner == e) {
        while (rc == URA_OK && w->depth > i + 1)
            rc = pop(w);
        while (rc == URA_OK && w->depth > 0 && w->open[w->depth - 1].owner == e)
            rc = pop(w);
    }
    if (rc == URA_OK && !(tag->flags & T_INLINE))
        rc = boundary(w);
    return rc;
}

/* Depth-first over the tree with parent pointers: no recursion, so no
 * nesting can run the stack out. */
static int walk_tree(struct walk *w, const xmlDoc *doc)
{
    const xmlNode *n = doc->children;
    int rc = URA_OK;
    while (n && rc == URA_OK) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE)
            rc = enter(w, n, &descend);
        else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            rc = text_node(w, n);
        if (rc != URA_OK)
            break;
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        if (descend)
            rc = leave(w, n);
        while (rc == URA_OK && n && !n->next) {
            n = n->parent; /* the document node ends the walk */
            if (n && n->type == XML_ELEMENT_NODE)
                rc = leave(w, n);
            else
                n = NULL;
        }
        if (n)
            n = n->next;
    }
    while (rc == URA_OK && w->depth > 0)
        rc = pop(w);
    return rc == URA_OK ? flush(w) : rc;
}

/* Build only the attributes the walk reads into the tree: libxml2 spends
 * some 150 bytes on each, so 40 MB of attributes would cost 1.7 GB. */
static void start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    static const char *const wanted[] = {"lang", "xml:lang", "class", "role", "name",
                                         "http-equiv", "content", "start", "value"};
    const size_t nwanted = sizeof wanted / sizeof wanted[0];
    const xmlChar *keep[2 * (sizeof wanted / sizeof wanted[0]) + 1];
    size_t k = 0;
    for (size_t i = 0; atts && atts[i] && k < 2 * nwanted; i += 2) /* no duplicates */
        for (size_t j = 0; j < nwanted; j++)
            if (!strcmp((const char *)atts[i], wanted[j])) {
                keep[k++] = atts[i];
                keep[k++] = atts[i + 1];
                break;
            }
    keep[k] = NULL;
    xmlSAX2StartElement(ctx, name, keep);
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
    err[strcspn(err, "\n")] = '\0'; /* libxml2's messages end in one */
}

static int html_init(char *err, size_t errlen)
{
    (void)err, (void)errlen;
    xmlInitParser();
    return URA_OK;
}

static int html_extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                        size_t errlen)
{
    unsigned char *owned = NULL;
    const unsigned char *text;
    size_t len;
    int rc;
    if (!in || in->size < offsetof(struct ura_input, len) + sizeof in->len || !sink ||
        sink->size < offsetof(struct ura_sink, meta) + sizeof sink->meta) {
        set_err(err, errlen, "caller's ABI structures are too small");
        return URA_EPLUGIN;
    }
    if (in->len == 0) {
        set_err(err, errlen, "empty file");
        return URA_EFILE;
    }
    if (decode(in->data, in->len, &owned, &text, &len) != 0) {
        set_err(err, errlen, "out of memory decoding the file");
        return URA_EFILE;
    }
    if (len > INT_MAX) { /* libxml2 takes an int */
        free(owned);
        set_err(err, errlen, "file too large for the HTML parser (over 2 GiB)");
        return URA_EFILE;
    }

    size_t pos = 0, from, to;
    while (excess_attrs(text, len, &pos, &from, &to)) {
        if (!owned && (owned = malloc(len)) != NULL)
            text = memcpy(owned, text, len);
        if (!owned) {
            set_err(err, errlen, "out of memory");
            return URA_EFILE;
        }
        memset(owned + from, ' ', to - from);
    }

    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (ctxt && ctxt->sax) /* the context's own copy of the handlers */
        ctxt->sax->startElement = start_element;
    htmlDocPtr doc = ctxt ? htmlCtxtReadMemory(ctxt, (const char *)text, (int)len, NULL,
                                               "UTF-8", PARSE_OPTIONS)
                          : NULL;
    free(owned);
    const char *why = ctxt && ctxt->lastError.message ? ctxt->lastError.message : NULL;
    struct walk w = {.sink = sink};
    if (!doc || !xmlDocGetRootElement(doc)) {
        /* libxml2 gives no error for a document of comments alone */
        set_err(err, errlen, "not readable as HTML: %s",
                why    ? why
                : doc  ? "no element, only comments or processing instructions"
                : ctxt ? "the parser returned no document"
                       : "out of memory");
        rc = URA_EFILE;
    } else if (!(w.buf = malloc(TEXT_CHUNK))) {
        set_err(err, errlen, "out of memory");
        rc = URA_EFILE;
    } else if ((rc = walk_tree(&w, doc)) == URA_OK && ctxt->disableSAX) {
        /* libxml2 halted: nesting too deep, a text run over 10 MB, memory. */
        rc = URA_WARN;
        if (why && !strncmp(why, "Excessive depth in document: ", 29))
            set_err(err, errlen, "elements nested deeper than %d levels; the rest of "
                    "the document was dropped", atoi(why + 29));
        else
            set_err(err, errlen, "HTML parser stopped early (%s); the rest of the "
                    "document was dropped", why ? why : "no reason given");
    }
    free(w.buf);
    xmlFreeDoc(doc);
    htmlFreeParserCtxt(ctxt);
    return rc;
}

static const char *const html_mime_types[] = {"text/html", "application/xhtml+xml", NULL};
static const char *const html_extensions[] = {"html", "htm", "xhtml", NULL};

static const struct ura_plugin html_plugin = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin),
    "html", "1.0", "HTML via libxml2's HTML parser",
    html_mime_types, html_extensions,
    html_probe, html_init, NULL, html_extract,
};

URA_PLUGIN_DECLARE(html_plugin)
