/* query.c — the query language (query.h): a hand-written lexer and a
 * recursive-descent parser whose only recursion is one level per
 * parenthesis, bounded by URA_QUERY_MAX_DEPTH.  Words and phrases go
 * through the same analyser as the documents. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"

#include "legal.h"
#include "stem.h"
#include "util.h"

/* ---- nodes ---- */

static ura_qnode *node_new(enum ura_qop op, const char *term, size_t len)
{
    ura_qnode *n = ura_xcalloc(1, sizeof *n);
    n->op = op;
    if (term) {
        n->term = ura_xstrndup(term, len);
        n->term_len = len;
    }
    return n;
}

/* Kids arrays carry no capacity: they grow to 4, 8, 16, ... kids, so a
 * reallocation is due exactly when nkids is 0 or a power of two >= 4. */
static void node_add(ura_qnode *n, ura_qnode *kid)
{
    size_t k = n->nkids;
    if (k == 0 || (k >= 4 && (k & (k - 1)) == 0))
        n->kids = ura_xrealloc(n->kids, (k ? 2 * k : 4) * sizeof *n->kids);
    n->kids[n->nkids++] = kid;
}

static ura_qnode *node_pair(enum ura_qop op, ura_qnode *a, ura_qnode *b)
{
    ura_qnode *n = node_new(op, NULL, 0);
    node_add(n, a);
    node_add(n, b);
    return n;
}

/* Frees one node whose kids have been taken or freed. */
static void node_free_shallow(ura_qnode *n)
{
    free(n->term);
    free(n->exact);
    free(n->kids);
    free(n);
}

/* A growable stack of nodes with a cursor, for walking trees without
 * recursion (trees built by hand need not respect the parser's bound). */
struct walk {
    struct frame {
        const ura_qnode *n;
        size_t i;
    } *v;
    size_t n, cap;
};

static void walk_push(struct walk *w, const ura_qnode *n)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 32;
        w->v = ura_xrealloc(w->v, w->cap * sizeof *w->v);
    }
    w->v[w->n].n = n;
    w->v[w->n].i = 0;
    w->n++;
}

void ura_qnode_free(ura_qnode *n)
{
    if (!n)
        return;
    struct walk w = { 0 };
    walk_push(&w, n);
    while (w.n) {
        ura_qnode *top = (ura_qnode *)w.v[--w.n].n;
        for (size_t i = 0; i < top->nkids; i++)
            if (top->kids[i])
                walk_push(&w, top->kids[i]);
        node_free_shallow(top);
    }
    free(w.v);
}

static const char *op_name(enum ura_qop op)
{
    switch (op) {
    case URA_Q_TERM: return "TERM";
    case URA_Q_PHRASE: return "PHRASE";
    case URA_Q_PREFIX: return "PREFIX";
    case URA_Q_AND: return "AND";
    case URA_Q_OR: return "OR";
    case URA_Q_NOT: return "NOT";
    case URA_Q_FILTER: return "FILTER";
    case URA_Q_ALL: return "ALL";
    case URA_Q_WORD: return "WORD";
    }
    return "?";
}

/* Writes a node; returns 1 when it opened a list whose kids follow. */
static int describe_open(ura_buf *b, const ura_qnode *n)
{
    if (!n) {
        ura_buf_adds(b, "?");
        return 0;
    }
    switch (n->op) {
    case URA_Q_TERM:
    case URA_Q_PREFIX:
        if (n->term)
            ura_buf_add(b, n->term, n->term_len);
        if (n->op == URA_Q_PREFIX)
            ura_buf_addc(b, '*');
        if (n->op == URA_Q_TERM && n->weight != URA_W_FOLDED) {
            static const char *const cls[] = {"", "exact", "stem", "title", "heading"};
            ura_buf_addc(b, '^');
            ura_buf_adds(b, n->weight < URA_W_NCLASSES ? cls[n->weight] : "?");
        }
        return 0;
    case URA_Q_FILTER:
        ura_buf_adds(b, "(FILTER ");
        if (n->term)
            ura_buf_add(b, n->term, n->term_len);
        ura_buf_addc(b, ')');
        return 0;
    default:
        ura_buf_addc(b, '(');
        ura_buf_adds(b, op_name(n->op));
        return 1;
    }
}

char *ura_qnode_describe(const ura_qnode *n)
{
    ura_buf b = { 0 };
    struct walk w = { 0 };
    if (describe_open(&b, n))
        walk_push(&w, n);
    while (w.n) {
        struct frame *f = &w.v[w.n - 1];
        if (f->i == f->n->nkids) {
            ura_buf_addc(&b, ')');
            w.n--;
            continue;
        }
        const ura_qnode *kid = f->n->kids[f->i++];
        ura_buf_addc(&b, ' ');
        if (describe_open(&b, kid))
            walk_push(&w, kid); /* may move w.v: f is not used again */
    }
    free(w.v);
    return ura_buf_steal(&b, NULL);
}

void ura_qnode_terms(const ura_qnode *n,
                     void (*fn)(void *ctx, const char *term, size_t len, int is_prefix),
                     void *ctx)
{
    if (!n)
        return;
    struct walk w = { 0 };
    walk_push(&w, n);
    while (w.n) {
        const ura_qnode *top = w.v[--w.n].n;
        if (!top || top->op == URA_Q_NOT || top->op == URA_Q_FILTER)
            continue;
        /* kids of a WORD other than its folded term are index terms
         * with a prefix (stems, exact forms, title and heading terms) */
        if ((top->op == URA_Q_TERM || top->op == URA_Q_PREFIX) && top->term &&
            (top->weight == URA_W_FOLDED || top->weight == URA_W_STEM))
            fn(ctx, top->term, top->term_len,
               top->weight == URA_W_STEM ? 2 : top->op == URA_Q_PREFIX);
        /* pushed last to first, so that terms come out in query order */
        for (size_t i = top->nkids; i > 0; i--)
            walk_push(&w, top->kids[i - 1]);
    }
    free(w.v);
}

/* A positive kid of an AND is one that selects passages (with weight), as
 * opposed to excluding (NOT) or filtering them (FILTER, or an OR of
 * FILTERs). */
static int is_filterish(const ura_qnode *n)
{
    if (n->op == URA_Q_FILTER)
        return 1;
    if (n->op != URA_Q_OR)
        return 0;
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->op != URA_Q_FILTER)
            return 0;
    return 1;
}

static int is_positive(const ura_qnode *n)
{
    return n->op != URA_Q_NOT && !is_filterish(n);
}

/* ---- the lexer ---- */

enum tok_type {
    T_EOF,
    T_WORD,   /* v: the word as typed                           */
    T_PHRASE, /* v: between the quotes                          */
    T_FIELD,  /* v: the value after "name:"; field: which name  */
    T_LPAREN,
    T_RPAREN,
    T_OR,
    T_AND,
    T_NOT,
    T_NEG     /* '-' glued to what follows                       */
};

struct tok {
    enum tok_type type;
    size_t start, end;   /* the whole token, in bytes */
    size_t vstart, vend; /* its value, in bytes       */
    int field;
};

static int valid_lang(const char *z, size_t n);
static int valid_format(const char *z, size_t n);
static int valid_year(const char *z, size_t n);
static int valid_act(const char *z, size_t n);
static size_t norm_act(const char *z, size_t n, char out[32]);

static const struct field {
    const char *name;
    const char *prefix;
    int (*valid)(const char *z, size_t n);
    const char *example; /* for "needs a value (e.g. ...)"        */
    const char *what;    /* for "bad value for ...: ... (what)"   */
    /* How the value becomes the term's suffix (NULL: ASCII lowercase). */
    size_t (*norm)(const char *z, size_t n, char out[32]);
} fields[] = {
    { "lang", URA_PREFIX_LANG, valid_lang, "lang:sq",
      "a language tag such as sq, sr, sr-latn, sr-cyrl or en", NULL },
    { "format", URA_PREFIX_FORMAT, valid_format, "format:pdf",
      "a format name such as pdf, docx or html", NULL },
    { "year", URA_PREFIX_YEAR, valid_year, "year:2019", "a year such as 2019", NULL },
    { "type", URA_PREFIX_TYPE, valid_format, "type:law",
      "a kind of act: law, instruction, regulation, decision, report, constitution, other",
      NULL },
    { "cites", URA_PREFIX_CITES, valid_act, "cites:03/L-047",
      "an act number such as 03/L-047 or 02/2019, or constitution", norm_act },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

struct parser {
    ura_analyser *a;
    const char *q;
    size_t n;
    size_t pos;       /* where the lexer goes on                       */
    int after_neg;    /* the last token was '-': no keyword may follow */
    int have_peek;
    struct tok peek;
    size_t last_end;  /* end of the last token taken with next()       */
    unsigned depth;   /* parentheses open                              */
    ura_error *err;
};

/* The query is checked for valid UTF-8 before lexing starts. */
static uint32_t cp_at(const struct parser *p, size_t i, size_t *len)
{
    const unsigned char *s = (const unsigned char *)p->q + i;
    size_t k = ura_utf8_seq(s, p->n - i);
    if (k <= 1) {
        *len = 1;
        return s[0];
    }
    *len = k;
    uint32_t c = s[0] & (0xFF >> (k + 1));
    for (size_t j = 1; j < k; j++)
        c = (c << 6) | (s[j] & 0x3F);
    return c;
}

/* Control characters count as spaces, as do the Unicode spaces that
 * arrive when a query is pasted from a PDF or a web page. */
static int is_space(uint32_t c)
{
    return c <= 0x20 || c == 0x7F || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* " and the typographic quotes of English (“…”), Serbian and Albanian
 * („…“, «…»).  Any of them closes a phrase that any of them opened, so
 * that mismatched pairs pasted from a word processor still work. */
static int is_quote(uint32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E ||
           c == 0xAB || c == 0xBB;
}

/* Ends a word, a keyword or a field value. */
static int is_delim(uint32_t c)
{
    return is_space(c) || is_quote(c) || c == '(' || c == ')';
}

/* 1-based column, counting characters (code points), of byte offset at. */
static size_t col(const struct parser *p, size_t at)
{
    size_t c = 1;
    for (size_t i = 0; i < at && i < p->n; i++)
        if (((unsigned char)p->q[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* q[start, end) for a message, cut at 40 bytes on a character boundary. */
static const char *snip(const struct parser *p, size_t start, size_t end,
                        char *buf, size_t size)
{
    size_t n = end - start, max = 40 < size - 4 ? 40 : size - 4;
    int cut = n > max;
    if (cut) {
        n = max;
        while (n > 0 && ((unsigned char)p->q[start + n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, p->q + start, n);
    for (size_t i = 0; i < n; i++) /* control characters are spaces here too:
                                      a message is one line */
        if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
            buf[i] = ' ';
    if (cut)
        memcpy(buf + n, "...", 3), n += 3;
    buf[n] = '\0';
    return buf;
}

static int keyword_at(const struct parser *p, size_t i, const char *kw)
{
    size_t k = strlen(kw), len;
    if (p->n - i < k || memcmp(p->q + i, kw, k) != 0)
        return 0;
    return i + k == p->n || is_delim(cp_at(p, i + k, &len));
}

/* Skips spaces and reads the next token into *t. */
static int lex(struct parser *p, struct tok *t)
{
    size_t len;
    int after_neg = p->after_neg;
    p->after_neg = 0;
    while (p->pos < p->n && is_space(cp_at(p, p->pos, &len)))
        p->pos += len;
    memset(t, 0, sizeof *t);
    t->start = t->vstart = p->pos;
    if (p->pos >= p->n) {
        t->type = T_EOF;
        t->end = t->vend = p->n;
        return URA_OK;
    }

    size_t i = p->pos;
    uint32_t c = cp_at(p, i, &len);
    if (c == '(' || c == ')') {
        t->type = c == '(' ? T_LPAREN : T_RPAREN;
        p->pos = t->end = t->vend = i + 1;
        return URA_OK;
    }
    if (is_quote(c)) {
        t->type = T_PHRASE;
        t->vstart = i + len;
        for (size_t j = t->vstart; j < p->n; j += len) {
            if (is_quote(cp_at(p, j, &len))) {
                t->vend = j;
                p->pos = t->end = j + len;
                return URA_OK;
            }
        }
        return ura_error_set(p->err, URA_ERR_USAGE,
                             "unbalanced quote at column %zu: the phrase is never closed",
                             col(p, i));
    }
    /* '-' excludes only when glued to what follows: "a - b" and "5 -" are
     * punctuation, "-b", "-(a b)" and "-\"a b\"" exclude. */
    if (c == '-' && i + 1 < p->n) {
        uint32_t next = cp_at(p, i + 1, &len);
        if (!is_space(next) && next != ')') {
            t->type = T_NEG;
            p->pos = t->end = t->vend = i + 1;
            p->after_neg = 1;
            return URA_OK;
        }
    }
    if (!after_neg) {
        static const struct { const char *kw; enum tok_type type; } kws[] = {
            { "OR", T_OR }, { "AND", T_AND }, { "NOT", T_NOT },
        };
        for (size_t k = 0; k < sizeof kws / sizeof kws[0]; k++) {
            if (keyword_at(p, i, kws[k].kw)) {
                t->type = kws[k].type;
                p->pos = t->end = t->vend = i + strlen(kws[k].kw);
                return URA_OK;
            }
        }
    }

    /* name:value, where name is ASCII letters.  "name:" followed by a
     * space is a word ("Neni:"), unless the name is a field's. */
    size_t j = i;
    while (j < p->n && ((p->q[j] | 0x20) >= 'a' && (p->q[j] | 0x20) <= 'z'))
        j++;
    if (j > i && j < p->n && p->q[j] == ':') {
        int field = -1;
        for (size_t k = 0; k < NFIELDS; k++)
            if (strlen(fields[k].name) == j - i &&
                strncasecmp(fields[k].name, p->q + i, j - i) == 0)
                field = (int)k;
        char buf[64];
        int has_value = j + 1 < p->n && !is_delim(cp_at(p, j + 1, &len));
        if (has_value && field < 0)
            return ura_error_set(p->err, URA_ERR_USAGE,
                                 "unknown field '%s' at column %zu (known fields: lang, format, year, type, cites)",
                                 snip(p, i, j + 1, buf, sizeof buf), col(p, i));
        if (!has_value && field >= 0)
            return ura_error_set(p->err, URA_ERR_USAGE,
                                 "field '%s' at column %zu needs a value (e.g. %s)",
                                 snip(p, i, j + 1, buf, sizeof buf), col(p, i),
                                 fields[field].example);
        if (has_value) {
            t->type = T_FIELD;
            t->field = field;
            t->vstart = j + 1;
            for (j = t->vstart; j < p->n; j += len)
                if (is_delim(cp_at(p, j, &len)))
                    break;
            p->pos = t->end = t->vend = j;
            return URA_OK;
        }
    }

    /* A word runs to a space or a quote.  A '(' inside it is kept with
     * its ')' ("5(1)"); a ')' with no '(' in the word closes a group. */
    t->type = T_WORD;
    int open = 0;
    for (j = i; j < p->n; j += len) {
        c = cp_at(p, j, &len);
        if (is_space(c) || is_quote(c))
            break;
        if (c == '(')
            open++;
        else if (c == ')' && open-- == 0)
            break;
    }
    p->pos = t->end = t->vend = j;
    return URA_OK;
}

static int next(struct parser *p, struct tok *t)
{
    int rc = URA_OK;
    if (p->have_peek) {
        *t = p->peek;
        p->have_peek = 0;
    } else {
        rc = lex(p, t);
    }
    if (rc == URA_OK)
        p->last_end = t->end;
    return rc;
}

static int peek(struct parser *p, const struct tok **t)
{
    if (!p->have_peek) {
        int rc = lex(p, &p->peek);
        if (rc)
            return rc;
        p->have_peek = 1;
    }
    *t = &p->peek;
    return URA_OK;
}

/* ---- analysed terms ---- */

struct terms {
    struct term {
        char *z;
        size_t n;
        size_t start, end; /* bytes in the analysed text */
        char *ex;          /* exact form when it differs from z, else NULL */
        size_t exn;
        int word;          /* a word token (not a number, act number)     */
    } *v;
    size_t n, cap;
};

static int collect(void *ctx, const ura_token *tok)
{
    struct terms *tv = ctx;
    if (tv->n == tv->cap) {
        tv->cap = tv->cap ? 2 * tv->cap : 8;
        tv->v = ura_xrealloc(tv->v, tv->cap * sizeof *tv->v);
    }
    struct term *t = &tv->v[tv->n++];
    t->z = ura_xstrndup(tok->term, tok->term_len);
    t->n = tok->term_len;
    t->start = tok->start;
    t->end = tok->end;
    t->word = tok->kind == URA_TOKEN_WORD;
    int same = tok->exact_len == tok->term_len && !memcmp(tok->exact, tok->term, tok->term_len);
    t->ex = same ? NULL : ura_xstrndup(tok->exact, tok->exact_len);
    t->exn = same ? 0 : tok->exact_len;
    return URA_OK;
}

static void terms_free(struct terms *tv)
{
    for (size_t i = 0; i < tv->n; i++) {
        free(tv->v[i].z);
        free(tv->v[i].ex);
    }
    free(tv->v);
}

static int analyse(struct parser *p, size_t start, size_t end, struct terms *tv)
{
    memset(tv, 0, sizeof *tv);
    int rc = ura_analyse(p->a, p->q + start, end - start, 0, NULL, collect, tv, p->err);
    if (rc) {
        terms_free(tv);
        if (p->err && p->err->code != rc)
            ura_error_set(p->err, rc, "query analysis failed (error %d)", rc);
    }
    return rc;
}

/* Terms from..to as one node (taking their strings): NULL for none, a
 * TERM for one, a PHRASE for more. */
static ura_qnode *terms_node(struct terms *tv, size_t from, size_t to)
{
    if (from >= to)
        return NULL;
    ura_qnode *ph = to - from > 1 ? node_new(URA_Q_PHRASE, NULL, 0) : NULL;
    ura_qnode *t = NULL;
    for (size_t i = from; i < to; i++) {
        t = ura_xcalloc(1, sizeof *t);
        t->op = URA_Q_TERM;
        t->term = tv->v[i].z;
        t->term_len = tv->v[i].n;
        t->exact = tv->v[i].ex;
        t->exact_len = tv->v[i].exn;
        t->is_word = tv->v[i].word;
        tv->v[i].z = NULL;
        tv->v[i].ex = NULL;
        if (ph)
            node_add(ph, t);
    }
    return ph ? ph : t;
}

/* ---- the parser ---- */

/* What a word, phrase, field or group turned out to be. */
struct operand {
    ura_qnode *node; /* NULL: nothing searchable (",", "\"\"", "()")     */
    int raw;         /* node is an AND to splice into the enclosing
                        one, or to finish with finish_and()           */
    int field;       /* >= 0: node is this field's bare FILTER        */
};

enum { CTX_TOP, CTX_OR, CTX_NOT };

/* Turns the kids gathered for one AND into the node that stands for it:
 * NULL if there are none, the lone kid if there is one, and an ALL
 * in front when nothing selects (only exclusions or filters).  Under OR
 * or NOT a lone filter stays bare: the OR, or the NOT's AND, decides. */
static ura_qnode *finish_and(ura_qnode *and, int ctx)
{
    if (and->nkids == 0) {
        node_free_shallow(and);
        return NULL;
    }
    int positive = 0;
    for (size_t i = 0; i < and->nkids; i++)
        positive |= is_positive(and->kids[i]);
    if (!positive && !(ctx != CTX_TOP && and->nkids == 1 && is_filterish(and->kids[0]))) {
        node_add(and, NULL);
        memmove(and->kids + 1, and->kids, (and->nkids - 1) * sizeof *and->kids);
        and->kids[0] = node_new(URA_Q_ALL, NULL, 0);
    }
    if (and->nkids == 1) {
        ura_qnode *kid = and->kids[0];
        node_free_shallow(and);
        return kid;
    }
    return and;
}

static int word_operand(struct parser *p, const struct tok *t, struct operand *op)
{
    size_t stem_end = t->vend;
    while (stem_end > t->vstart && p->q[stem_end - 1] == '*')
        stem_end--;
    struct terms tv;
    int rc = analyse(p, t->vstart, stem_end, &tv);
    if (rc)
        return rc;

    /* A trailing '*' makes the last token a prefix when it is glued to
     * it; after punctuation ("Nr.*") it is punctuation too. */
    size_t stem_len = stem_end - t->vstart;
    if (stem_end < t->vend && tv.n > 0 && tv.v[tv.n - 1].end == stem_len) {
        struct term *last = &tv.v[tv.n - 1];
        size_t flen = 0;
        char *fold = ura_fold_word(p->a, p->q + t->vstart + last->start,
                                   stem_len - last->start, &flen);
        if (!fold) {
            terms_free(&tv);
            return ura_error_set(p->err, URA_ERR_RUNTIME,
                                 "could not fold the prefix at column %zu", col(p, t->start));
        }
        size_t chars = 0;
        for (size_t i = 0; i < flen; i++)
            chars += ((unsigned char)fold[i] & 0xC0) != 0x80;
        if (chars < 2) {
            char buf[64];
            free(fold);
            terms_free(&tv);
            return ura_error_set(p->err, URA_ERR_USAGE,
                                 "prefix too short: '%s' at column %zu (at least 2 letters before '*')",
                                 snip(p, t->vstart, t->vend, buf, sizeof buf),
                                 col(p, t->start));
        }
        ura_qnode *pre = ura_xcalloc(1, sizeof *pre);
        pre->op = URA_Q_PREFIX;
        pre->term = fold;
        pre->term_len = flen;
        ura_qnode *head = terms_node(&tv, 0, tv.n - 1);
        if (head) {
            /* "e-mai*": a phrase can hold no prefix, so AND them */
            op->node = node_pair(URA_Q_AND, head, pre);
            op->raw = 1;
        } else {
            op->node = pre;
        }
    } else {
        op->node = terms_node(&tv, 0, tv.n);
    }
    terms_free(&tv);
    return URA_OK;
}

/* BCP 47-looking: subtags of 1-8 letters or digits joined by '-', the
 * first of 2-8 letters; 2-16 bytes in all. */
static int valid_lang(const char *z, size_t n)
{
    if (n < 2 || n > 16)
        return 0;
    size_t sub = 0, first = 1;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || z[i] == '-') {
            if (sub == 0 || sub > 8 || (first && sub < 2))
                return 0;
            sub = 0;
            first = 0;
            continue;
        }
        unsigned char c = (unsigned char)z[i];
        int letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        if (!letter && !(c >= '0' && c <= '9' && !first))
            return 0;
        sub++;
    }
    return 1;
}

/* Four digits. */
static int valid_year(const char *z, size_t n)
{
    if (n != 4)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (z[i] < '0' || z[i] > '9')
            return 0;
    return 1;
}

/* An act number as indexed: "03/l-047" (L or Cyrillic Л, any case),
 * "02/2019", or the Constitution by any of its names.  Returns the
 * normalised length, 0 when z is not one. */
static size_t norm_act(const char *z, size_t n, char out[32])
{
    static const char *const constitution[] = {"constitution", "kushtetuta", "kushtetutes",
                                               "ustav", "ustava", NULL};
    for (const char *const *c = constitution; *c; c++)
        if (strlen(*c) == n && strncasecmp(*c, z, n) == 0)
            return (size_t)snprintf(out, 32, "constitution");
    size_t i = 0, k = 0, d = 0;
    while (i < n && z[i] >= '0' && z[i] <= '9' && d < 3)
        out[k++] = z[i++], d++;
    if (d == 0 || i >= n || z[i] != '/')
        return 0;
    out[k++] = z[i++];
    if (i + 1 < n && (unsigned char)z[i] == 0xD0 &&
        ((unsigned char)z[i + 1] == 0x9B || (unsigned char)z[i + 1] == 0xBB))
        i += 2, out[k++] = 'l'; /* Cyrillic Л/л */
    else if (i < n && (z[i] == 'L' || z[i] == 'l'))
        i++, out[k++] = 'l';
    if (k > 0 && out[k - 1] == 'l') {
        if (i >= n || z[i] != '-')
            return 0;
        out[k++] = z[i++];
        for (d = 0; i < n && z[i] >= '0' && z[i] <= '9' && d < 4; d++)
            out[k++] = z[i++];
    } else {
        for (d = 0; i < n && z[i] >= '0' && z[i] <= '9' && d < 4; d++)
            out[k++] = z[i++];
        if (d != 4)
            return 0;
    }
    if (d == 0 || i != n)
        return 0;
    out[k] = '\0';
    return k;
}

static int valid_act(const char *z, size_t n)
{
    char tmp[32];
    return n < 32 && norm_act(z, n, tmp) > 0;
}

/* A format plugin's name: letters, digits, '-', '_', '.', 1-32 bytes. */
static int valid_format(const char *z, size_t n)
{
    if (n < 1 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)z[i];
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9') &&
            c != '-' && c != '_' && c != '.')
            return 0;
    }
    return 1;
}

static int field_operand(struct parser *p, const struct tok *t, struct operand *op)
{
    const struct field *f = &fields[t->field];
    const char *v = p->q + t->vstart;
    size_t n = t->vend - t->vstart;
    if (!f->valid(v, n)) {
        char buf[64];
        return ura_error_set(p->err, URA_ERR_USAGE,
                             "bad value for %s: '%s' at column %zu (%s)", f->name,
                             snip(p, t->vstart, t->vend, buf, sizeof buf), col(p, t->vstart),
                             f->what);
    }
    char normed[32];
    if (f->norm) {
        n = f->norm(v, n, normed);
        v = normed;
    }
    size_t plen = strlen(f->prefix);
    ura_qnode *filt = ura_xcalloc(1, sizeof *filt);
    filt->op = URA_Q_FILTER;
    filt->term = ura_xmalloc(plen + n + 1);
    memcpy(filt->term, f->prefix, plen);
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        filt->term[plen + i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    filt->term[plen + n] = '\0';
    filt->term_len = plen + n;
    op->node = filt;
    op->field = t->field;
    return URA_OK;
}

static int parse_list(struct parser *p, int in_group, size_t open_at, ura_qnode **out);

/* A word, phrase, field or group, starting with token t. */
static int parse_primary(struct parser *p, const struct tok *t, struct operand *op)
{
    memset(op, 0, sizeof *op);
    op->field = -1;
    switch (t->type) {
    case T_WORD:
        return word_operand(p, t, op);
    case T_PHRASE: {
        struct terms tv;
        int rc = analyse(p, t->vstart, t->vend, &tv);
        if (rc)
            return rc;
        op->node = terms_node(&tv, 0, tv.n);
        terms_free(&tv);
        /* one quoted word is that word as written: not inflected, no
         * other forms (a phrase of several never is) */
        if (op->node && op->node->op == URA_Q_TERM)
            op->node->is_word = 0;
        return URA_OK;
    }
    case T_FIELD:
        return field_operand(p, t, op);
    case T_LPAREN: {
        if (p->depth >= URA_QUERY_MAX_DEPTH)
            return ura_error_set(p->err, URA_ERR_USAGE,
                                 "parentheses nested too deeply at column %zu (at most %d levels)",
                                 col(p, t->start), URA_QUERY_MAX_DEPTH);
        p->depth++;
        int rc = parse_list(p, 1, t->start, &op->node);
        p->depth--;
        if (rc == URA_OK && op->node->nkids == 0) {
            node_free_shallow(op->node);
            op->node = NULL;
        }
        op->raw = op->node != NULL;
        return rc;
    }
    default:
        /* callers only pass tokens that start an operand */
        return ura_error_set(p->err, URA_ERR_RUNTIME,
                             "query parser: unexpected token at column %zu", col(p, t->start));
    }
}

static int starts_operand(enum tok_type type)
{
    return type == T_WORD || type == T_PHRASE || type == T_FIELD || type == T_LPAREN;
}

static void operand_free(struct operand *op)
{
    ura_qnode_free(op->node);
    op->node = NULL;
}

/* An operand with its NOT or '-': *neg_at is where the exclusion was
 * written, or (size_t)-1. */
static int parse_operand(struct parser *p, const struct tok *t, struct operand *op,
                         size_t *neg_at)
{
    struct tok t2;
    *neg_at = (size_t)-1;
    if (t->type == T_NOT || t->type == T_NEG) {
        const char *what = t->type == T_NOT ? "NOT" : "'-'";
        *neg_at = t->start;
        int rc = next(p, &t2);
        if (rc)
            return rc;
        if (t2.type == T_NOT || t2.type == T_NEG)
            return ura_error_set(p->err, URA_ERR_USAGE,
                                 "double exclusion at column %zu: %s followed by %s",
                                 col(p, t2.start), what, t2.type == T_NOT ? "NOT" : "'-'");
        if (!starts_operand(t2.type))
            return ura_error_set(p->err, URA_ERR_USAGE,
                                 "%s at column %zu has nothing after it", what, col(p, t->start));
        t = &t2;
    }
    int rc = parse_primary(p, t, op);
    if (rc)
        operand_free(op);
    return rc;
}

/* The items of one AND, with a slot per field where its bare values
 * are gathered (lang:sq lang:en -> (OR (FILTER XLsq) (FILTER XLen))). */
struct list {
    ura_qnode *and;
    size_t slot[NFIELDS]; /* index in and->kids, or (size_t)-1 */
};

static void list_add_field(struct list *l, int field, ura_qnode *filt)
{
    size_t s = l->slot[field];
    if (s == (size_t)-1) {
        l->slot[field] = l->and->nkids;
        node_add(l->and, filt);
        return;
    }
    ura_qnode *have = l->and->kids[s];
    if (have->op == URA_Q_FILTER) {
        if (strcmp(have->term, filt->term) == 0) {
            ura_qnode_free(filt);
            return;
        }
        l->and->kids[s] = node_pair(URA_Q_OR, have, filt);
        return;
    }
    for (size_t i = 0; i < have->nkids; i++) {
        if (strcmp(have->kids[i]->term, filt->term) == 0) {
            ura_qnode_free(filt);
            return;
        }
    }
    node_add(have, filt);
}

/* Adds an OR operand's node to the OR, flattening nested ORs. */
static void or_add(ura_qnode *or, ura_qnode *n)
{
    if (n->op != URA_Q_OR) {
        node_add(or, n);
        return;
    }
    for (size_t i = 0; i < n->nkids; i++)
        node_add(or, n->kids[i]);
    node_free_shallow(n);
}

/* One item of an AND: an operand, an excluded operand, or a chain of
 * operands joined by OR.  First token t is already read. */
static int parse_item(struct parser *p, const struct tok *t, struct list *l)
{
    struct operand op;
    size_t neg_at;
    int rc = parse_operand(p, t, &op, &neg_at);
    if (rc)
        return rc;

    const struct tok *pk;
    ura_qnode *or = NULL;
    char buf[64];
    for (;;) {
        if ((rc = peek(p, &pk)) != URA_OK)
            goto fail;
        if (pk->type != T_OR)
            break;
        size_t or_at = pk->start;
        if (neg_at != (size_t)-1) {
            rc = ura_error_set(p->err, URA_ERR_USAGE,
                               "OR at column %zu cannot join an excluded '%s': "
                               "exclude a group instead, e.g. -(a OR b)",
                               col(p, or_at), snip(p, neg_at, p->last_end, buf, sizeof buf));
            goto fail;
        }
        if (!or && !op.node) {
            rc = ura_error_set(p->err, URA_ERR_USAGE,
                               "OR at column %zu has no searchable word before it",
                               col(p, or_at));
            goto fail;
        }
        if (!or) {
            or = node_new(URA_Q_OR, NULL, 0);
            or_add(or, op.raw ? finish_and(op.node, CTX_OR) : op.node);
        }
        op.node = NULL;
        struct tok t2;
        if ((rc = next(p, &t2)) != URA_OK || /* the OR, already peeked */
            (rc = next(p, &t2)) != URA_OK)
            goto fail;
        if (t2.type == T_NOT || t2.type == T_NEG) {
            rc = ura_error_set(p->err, URA_ERR_USAGE,
                               "OR at column %zu cannot join an exclusion: "
                               "exclude a group instead, e.g. -(a OR b)",
                               col(p, or_at));
            goto fail;
        }
        if (!starts_operand(t2.type)) {
            rc = ura_error_set(p->err, URA_ERR_USAGE,
                               "OR at column %zu has nothing after it", col(p, or_at));
            goto fail;
        }
        if ((rc = parse_primary(p, &t2, &op)) != URA_OK)
            goto fail;
        if (!op.node) {
            rc = ura_error_set(p->err, URA_ERR_USAGE,
                               "OR at column %zu has no searchable word after it",
                               col(p, or_at));
            goto fail;
        }
        or_add(or, op.raw ? finish_and(op.node, CTX_OR) : op.node);
        op.node = NULL;
    }

    if (or) {
        /* Filters ORed with words ("lang:sq OR strpce") select every
         * passage in that language: each becomes (AND (ALL) filter), so
         * that FILTER nodes only ever stand beside positive kids. */
        int mixed = 0;
        for (size_t i = 0; i < or->nkids; i++)
            mixed |= or->kids[i]->op != URA_Q_FILTER;
        for (size_t i = 0; mixed && i < or->nkids; i++)
            if (or->kids[i]->op == URA_Q_FILTER)
                or->kids[i] = node_pair(URA_Q_AND, node_new(URA_Q_ALL, NULL, 0), or->kids[i]);
        node_add(l->and, or);
        return URA_OK;
    }
    if (neg_at != (size_t)-1) {
        ura_qnode *n = op.raw ? finish_and(op.node, CTX_NOT) : op.node;
        if (!n)
            return ura_error_set(p->err, URA_ERR_USAGE,
                                 "%s at column %zu has no searchable word after it",
                                 p->q[neg_at] == '-' ? "'-'" : "NOT", col(p, neg_at));
        ura_qnode *not = node_new(URA_Q_NOT, NULL, 0);
        node_add(not, n);
        node_add(l->and, not);
        return URA_OK;
    }
    if (!op.node)
        return URA_OK; /* punctuation, "" or (): nothing to match */
    if (op.raw) {
        /* a group inside an AND adds its kids to it */
        for (size_t i = 0; i < op.node->nkids; i++)
            node_add(l->and, op.node->kids[i]);
        node_free_shallow(op.node);
    } else if (op.field >= 0) {
        list_add_field(l, op.field, op.node);
    } else {
        node_add(l->and, op.node);
    }
    return URA_OK;

fail:
    operand_free(&op);
    ura_qnode_free(or);
    return rc;
}

/* The items up to the end of the query, or up to the ')' that closes
 * the group opened at byte open_at.  *out is a bare AND of them, with
 * no ALL and no simplification yet (finish_and() does that). */
static int parse_list(struct parser *p, int in_group, size_t open_at, ura_qnode **out)
{
    struct list l;
    l.and = node_new(URA_Q_AND, NULL, 0);
    for (size_t k = 0; k < NFIELDS; k++)
        l.slot[k] = (size_t)-1;
    *out = NULL;

    size_t items = 0;
    int rc = URA_OK;
    for (;;) {
        struct tok t;
        const struct tok *pk;
        if ((rc = next(p, &t)) != URA_OK)
            break;
        if (t.type == T_EOF) {
            if (in_group)
                rc = ura_error_set(p->err, URA_ERR_USAGE,
                                   "unbalanced parenthesis at column %zu: '(' is never closed",
                                   col(p, open_at));
            break;
        }
        if (t.type == T_RPAREN) {
            if (!in_group)
                rc = ura_error_set(p->err, URA_ERR_USAGE,
                                   "unbalanced parenthesis at column %zu: ')' without '('",
                                   col(p, t.start));
            break;
        }
        if (t.type == T_OR) {
            rc = ura_error_set(p->err, URA_ERR_USAGE,
                               "OR at column %zu has nothing before it", col(p, t.start));
            break;
        }
        if (t.type == T_AND) {
            /* AND is the implicit AND written out: only checked */
            if (items == 0) {
                rc = ura_error_set(p->err, URA_ERR_USAGE,
                                   "AND at column %zu has nothing before it", col(p, t.start));
                break;
            }
            if ((rc = peek(p, &pk)) != URA_OK)
                break;
            if (!starts_operand(pk->type) && pk->type != T_NOT && pk->type != T_NEG) {
                rc = ura_error_set(p->err, URA_ERR_USAGE,
                                   "AND at column %zu has nothing after it", col(p, t.start));
                break;
            }
            continue;
        }
        if ((rc = parse_item(p, &t, &l)) != URA_OK)
            break;
        items++;
    }
    if (rc) {
        ura_qnode_free(l.and);
        return rc;
    }
    *out = l.and;
    return URA_OK;
}

int ura_query_parse(ura_analyser *a, const char *q, size_t q_len,
                    ura_qnode **out, ura_error *err)
{
    *out = NULL;
    if (q_len > URA_QUERY_MAX)
        return ura_error_set(err, URA_ERR_USAGE, "query too long: %zu bytes (at most %d)",
                             q_len, URA_QUERY_MAX);
    if (!q)
        q = "";
    for (size_t i = 0; i < q_len;) {
        size_t k = ura_utf8_seq((const unsigned char *)q + i, q_len - i);
        if (k == 0)
            return ura_error_set(err, URA_ERR_USAGE,
                                 "invalid UTF-8 in the query at byte %zu", i + 1);
        i += k;
    }

    struct parser p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.q = q;
    p.n = q_len;
    p.err = err;

    size_t len, i = 0;
    while (i < q_len && is_space(cp_at(&p, i, &len)))
        i += len;
    if (i == q_len)
        return ura_error_set(err, URA_ERR_USAGE, "empty query");

    ura_qnode *and;
    int rc = parse_list(&p, 0, 0, &and);
    if (rc)
        return rc;
    *out = finish_and(and, CTX_TOP);
    if (!*out)
        return ura_error_set(err, URA_ERR_USAGE,
                             "no searchable words in the query (only punctuation?)");
    return URA_OK;
}

/* ---- expansion for searching ---- */

/* A TERM kid of a WORD: prefix + z, of weight class w. */
static ura_qnode *kid_term(const char *prefix, const char *z, size_t n, enum ura_qweight w)
{
    size_t p = strlen(prefix);
    ura_qnode *t = ura_xcalloc(1, sizeof *t);
    t->op = URA_Q_TERM;
    t->term = ura_xmalloc(p + n + 1);
    memcpy(t->term, prefix, p);
    memcpy(t->term + p, z, n);
    t->term[p + n] = '\0';
    t->term_len = p + n;
    t->weight = w;
    return t;
}

/* Whether a and b (TERMs, or PHRASEs of TERMs) match the same. */
static int same_node(const ura_qnode *a, const ura_qnode *b)
{
    if (a->op != b->op || a->nkids != b->nkids)
        return 0;
    if (a->op == URA_Q_TERM)
        return a->term_len == b->term_len && memcmp(a->term, b->term, a->term_len) == 0;
    if (a->op != URA_Q_PHRASE)
        return 0;
    for (size_t i = 0; i < a->nkids; i++)
        if (!same_node(a->kids[i], b->kids[i]))
            return 0;
    return 1;
}

/* Adds kid to WORD w unless w holds the same already. */
static void word_add(ura_qnode *w, ura_qnode *kid)
{
    for (size_t i = 0; i < w->nkids; i++) {
        if (same_node(w->kids[i], kid)) {
            ura_qnode_free(kid);
            return;
        }
    }
    node_add(w, kid);
}

/* The forms of one word into WORD w: folded term z, exact form ex (NULL
 * when the same), stems in every language, title and heading terms. */
static void word_forms(ura_qnode *w, ura_stemmer *st, const char *z, size_t n,
                       const char *ex, size_t exn)
{
    word_add(w, kid_term("", z, n, URA_W_FOLDED));
    if (ex)
        word_add(w, kid_term(URA_PREFIX_EXACT, ex, exn, URA_W_EXACT));
    for (int l = URA_STEM_SQ; l < URA_STEM_NLANGS; l++) {
        char stems[2][URA_TERM_MAX + 1], prefix[8];
        int k = ura_stem_token(st, (enum ura_stem_lang)l, ex ? ex : z, ex ? exn : n, z, n,
                               stems);
        snprintf(prefix, sizeof prefix, URA_PREFIX_STEM "%s",
                 ura_stem_lang_name((enum ura_stem_lang)l));
        for (int i = 0; i < k; i++)
            word_add(w, kid_term(prefix, stems[i], strlen(stems[i]), URA_W_STEM));
    }
    word_add(w, kid_term(URA_PREFIX_TITLE, z, n, URA_W_TITLE));
    word_add(w, kid_term(URA_PREFIX_HEADING, z, n, URA_W_HEADING));
}

/* A place's names into WORD w: one word as its forms, more as a phrase. */
static void place_names(ura_qnode *w, ura_stemmer *st, const char *const *names, size_t nn,
                        const char *id)
{
    /* the place itself, as the indexer marked it wherever a name of it
     * stands in any inflected form (stems of names can disagree:
     * "dragash" and "dragashit") */
    if (id && *id)
        word_add(w, kid_term(URA_PREFIX_PLACE, id, strlen(id), URA_W_FOLDED));
    for (size_t i = 0; i < nn; i++) {
        const char *z = names[i];
        if (!z || !*z)
            continue;
        if (!strchr(z, ' ')) {
            word_forms(w, st, z, strlen(z), NULL, 0);
            continue;
        }
        ura_qnode *ph = node_new(URA_Q_PHRASE, NULL, 0);
        for (const char *p = z; *p;) {
            size_t k = strcspn(p, " ");
            if (k)
                node_add(ph, kid_term("", p, k, URA_W_FOLDED));
            p += k;
            p += *p == ' ';
        }
        if (ph->nkids >= 2)
            word_add(w, ph);
        else
            ura_qnode_free(ph);
    }
}

/* Moves n's contents into a new node and leaves n empty (op unchanged). */
static ura_qnode *node_move(ura_qnode *n)
{
    ura_qnode *m = ura_xmalloc(sizeof *m);
    *m = *n;
    n->term = n->exact = NULL;
    n->kids = NULL;
    n->nkids = 0;
    return m;
}

/* Turns TERM t into a WORD of its forms, in place. */
static void term_to_word(ura_qnode *t, ura_stemmer *st)
{
    ura_qnode *old = node_move(t);
    t->op = URA_Q_WORD;
    t->term_len = t->exact_len = 0;
    t->is_word = 0;
    word_forms(t, st, old->term, old->term_len, old->exact, old->exact_len);
    ura_qnode_free(old);
}

#define PLACE_WORDS_MAX 8

/* A phrase of two or more words becomes a WORD: the phrase itself
 * (folded terms) and, for each stemming language, the phrase of its
 * words' stems (stems of heading and text words have positions), weighted
 * as stems: "Komitet za zajednice" finds "Komiteta za zajednice", the
 * phrase as typed ranking first.  A phrase with a word that has no stem
 * in a language (a number) has no stem phrase in it. */
static void phrase_forms(ura_qnode *n, ura_stemmer *st)
{
    if (n->nkids < 2 || !st)
        return;
    ura_qnode *sps[URA_STEM_NLANGS];
    size_t nsp = 0;
    for (int l = URA_STEM_SQ; l < URA_STEM_NLANGS; l++) {
        char prefix[8];
        snprintf(prefix, sizeof prefix, URA_PREFIX_STEM "%s",
                 ura_stem_lang_name((enum ura_stem_lang)l));
        ura_qnode *sp = node_new(URA_Q_PHRASE, NULL, 0);
        sp->weight = URA_W_STEM;
        for (size_t i = 0; i < n->nkids && sp; i++) {
            const ura_qnode *k = n->kids[i];
            char stems[2][URA_TERM_MAX + 1];
            int got = k->op == URA_Q_TERM && k->is_word
                          ? ura_stem_token(st, (enum ura_stem_lang)l,
                                           k->exact ? k->exact : k->term,
                                           k->exact ? k->exact_len : k->term_len, k->term,
                                           k->term_len, stems)
                          : 0;
            if (got == 0) {
                ura_qnode_free(sp);
                sp = NULL;
                break;
            }
            node_add(sp, kid_term(prefix, stems[0], strlen(stems[0]), URA_W_STEM));
        }
        if (sp)
            sps[nsp++] = sp;
    }
    if (nsp == 0)
        return;
    ura_qnode *ph = node_move(n);
    n->op = URA_Q_WORD;
    node_add(n, ph);
    for (size_t i = 0; i < nsp; i++)
        word_add(n, sps[i]);
}

/* Asks places about the words kids[0..n) (all TERMs); returns how many
 * it took and the names. */
static size_t ask_places(ura_place_fn places, ura_qnode *const *kids, size_t n,
                         const char *const **names, size_t *nn, const char **id)
{
    const char *terms[PLACE_WORDS_MAX];
    size_t lens[PLACE_WORDS_MAX];
    if (!places || n == 0)
        return 0;
    if (n > PLACE_WORDS_MAX)
        n = PLACE_WORDS_MAX;
    for (size_t i = 0; i < n; i++) {
        terms[i] = kids[i]->term;
        lens[i] = kids[i]->term_len;
    }
    *names = NULL;
    *nn = 0;
    *id = NULL;
    size_t took = places(terms, lens, n, names, nn, id);
    return took <= n && *names ? took : 0;
}

static void expand(ura_qnode *n, ura_stemmer *st, ura_place_fn places);

/* The kids of AND, OR or NOT n.  In an AND a place name may span several
 * word kids in a row; elsewhere one word is one operand. */
/* Whether TERM k is an act number ("03/l-047", "01/2020"). */
static int is_actnum(const ura_qnode *k)
{
    return k->op == URA_Q_TERM && !k->is_word && k->term && memchr(k->term, '/', k->term_len);
}

/* Whether TERM k is a word among ws (NULL-terminated). */
static int is_one_of(const ura_qnode *k, const char *const *ws)
{
    if (k->op != URA_Q_TERM || !k->is_word)
        return 0;
    for (size_t i = 0; ws[i]; i++)
        if (k->term_len == strlen(ws[i]) && memcmp(k->term, ws[i], k->term_len) == 0)
            return 1;
    return 0;
}

/* In an AND, the words that only name an act number ("Ligji Nr.",
 * "Zakon br.", "Закон бр.", "Law No." right before "03/L-047") are
 * dropped: the number names the act in every language, and its texts in
 * the other languages say "Ligji", "Zakon" or "Law" instead. */
static void drop_act_words(ura_qnode *n)
{
    static const char *const signs[] = {"nr", "br", "no", NULL};
    for (size_t i = 0; i < n->nkids; i++) {
        if (!is_actnum(n->kids[i]))
            continue;
        size_t from = i;
        if (from > 0 && is_one_of(n->kids[from - 1], signs))
            from--;
        if (from > 0 && n->kids[from - 1]->op == URA_Q_TERM && n->kids[from - 1]->is_word &&
            ura_act_word(n->kids[from - 1]->term, n->kids[from - 1]->term_len))
            from--;
        if (from == i || n->nkids - (i - from) < 1)
            continue;
        for (size_t j = from; j < i; j++)
            ura_qnode_free(n->kids[j]);
        memmove(n->kids + from, n->kids + i, (n->nkids - i) * sizeof *n->kids);
        n->nkids -= i - from;
        i = from;
    }
}

static void expand_kids(ura_qnode *n, ura_stemmer *st, ura_place_fn places)
{
    if (n->op == URA_Q_AND)
        drop_act_words(n);
    for (size_t i = 0; i < n->nkids; i++) {
        ura_qnode *k = n->kids[i];
        if (k->op == URA_Q_TERM && k->is_word) {
            size_t run = 1;
            while (n->op == URA_Q_AND && i + run < n->nkids &&
                   n->kids[i + run]->op == URA_Q_TERM && n->kids[i + run]->is_word)
                run++;
            const char *const *names;
            const char *id;
            size_t nn, took = ask_places(places, n->kids + i, run, &names, &nn, &id);
            if (took == 0) {
                term_to_word(k, st);
                continue;
            }
            ura_qnode *w = node_new(URA_Q_WORD, NULL, 0);
            if (took == 1) {
                word_forms(w, st, k->term, k->term_len, k->exact, k->exact_len);
                ura_qnode_free(k);
            } else {
                ura_qnode *ph = node_new(URA_Q_PHRASE, NULL, 0);
                for (size_t j = 0; j < took; j++) {
                    n->kids[i + j]->is_word = 0;
                    node_add(ph, n->kids[i + j]);
                }
                node_add(w, ph);
            }
            place_names(w, st, names, nn, id);
            n->kids[i] = w;
            memmove(n->kids + i + 1, n->kids + i + took,
                    (n->nkids - i - took) * sizeof *n->kids);
            n->nkids -= took - 1;
        } else {
            expand(k, st, places);
        }
    }
}

static void expand(ura_qnode *n, ura_stemmer *st, ura_place_fn places)
{
    const char *const *names;
    const char *id;
    size_t nn;
    switch (n->op) {
    case URA_Q_TERM:
        if (!n->is_word)
            return;
        if (ask_places(places, &n, 1, &names, &nn, &id) == 1) {
            ura_qnode *old = node_move(n);
            n->op = URA_Q_WORD;
            n->term_len = n->exact_len = 0;
            n->is_word = 0;
            word_forms(n, st, old->term, old->term_len, old->exact, old->exact_len);
            ura_qnode_free(old);
            place_names(n, st, names, nn, id);
        } else {
            term_to_word(n, st);
        }
        return;
    case URA_Q_PHRASE:
        /* a quoted place name ("Novo Brdo") or one the analyser split
         * ("Fushë-Kosovë") */
        if (ask_places(places, n->kids, n->nkids, &names, &nn, &id) == n->nkids &&
            n->nkids <= PLACE_WORDS_MAX) {
            ura_qnode *ph = node_move(n);
            n->op = URA_Q_WORD;
            node_add(n, ph);
            place_names(n, st, names, nn, id);
        } else {
            phrase_forms(n, st);
        }
        return;
    case URA_Q_AND:
    case URA_Q_OR:
    case URA_Q_NOT:
        expand_kids(n, st, places);
        return;
    default:
        return;
    }
}

void ura_query_expand(ura_qnode *tree, ura_stemmer *st, ura_place_fn places)
{
    if (tree)
        expand(tree, st, places);
}

void ura_query_word_add(ura_qnode *w, const char *prefix, const char *z, size_t n,
                        enum ura_qweight weight)
{
    if (w && w->op == URA_Q_WORD && z && n)
        word_add(w, kid_term(prefix ? prefix : "", z, n, weight));
}
