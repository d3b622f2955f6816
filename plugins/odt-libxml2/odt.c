/* odt.c — the ODT format plugin: OpenDocument text read with libxml2's
 * streaming reader out of a ZIP opened with the shared safe reader.
 *
 * Parts, each streamed: meta.xml (metadata), styles.xml (which styles are
 * titles or break pages, list formats), content.xml (its own automatic
 * styles, then the body), and styles.xml again for the headers and footers
 * of its master pages, each emitted once as a section at the end.  Notes
 * and text boxes sit inside paragraphs in ODF; they are recorded and
 * placed after their paragraph (endnotes after the body), as DOCX does.
 * Tracked changes keep inserted text (it is in the body) and drop deleted
 * text (it lives in text:tracked-changes); comments (office:annotation)
 * are not document text and are skipped. */
#include <stdlib.h>
#include <string.h>

#include "safezip.h"

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
#define NS_XML "http://www.w3.org/XML/1998/namespace"

#define MIME_ODT "application/vnd.oasis.opendocument.text"
#define MAX_STYLES 16384
#define MAX_LIST_STYLES 1024
#define MAX_SAVED_LISTS 64
#define MAX_META 4096
#define MAX_SPACES 256 /* text:s c="..." */
#define NAME_LEN 64

/* ---- elements --------------------------------------------------------------- */

enum el {
    E_OTHER, E_SKIP, E_STYLES, E_BODY_TEXT, E_BODY, E_P, E_H, E_LIST, E_ITEM, E_LIST_HEADER,
    E_TABLE, E_ROW, E_CELL, E_NOTE, E_NOTE_BODY, E_DRAW, E_TEXT_BOX, E_S, E_TAB,
    E_LINE_BREAK, E_SOFT_PAGE_BREAK, E_MASTER_STYLES, E_MASTER_PAGE, E_HDRFTR,
};

static const struct { const char *ns, *name; enum el el; } elements[] = {
    {NS_TEXT, "p", E_P},
    {NS_TEXT, "h", E_H},
    {NS_TEXT, "list", E_LIST},
    {NS_TEXT, "list-item", E_ITEM},
    {NS_TEXT, "list-header", E_LIST_HEADER},
    {NS_TEXT, "note", E_NOTE},
    {NS_TEXT, "note-body", E_NOTE_BODY},
    {NS_TEXT, "s", E_S},
    {NS_TEXT, "tab", E_TAB},
    {NS_TEXT, "line-break", E_LINE_BREAK},
    {NS_TEXT, "soft-page-break", E_SOFT_PAGE_BREAK},
    {NS_TABLE, "table", E_TABLE},
    {NS_TABLE, "table-row", E_ROW},
    {NS_TABLE, "table-cell", E_CELL},
    {NS_DRAW, "text-box", E_TEXT_BOX},
    {NS_OFFICE, "text", E_BODY_TEXT},
    {NS_OFFICE, "body", E_BODY},
    {NS_OFFICE, "styles", E_STYLES},
    {NS_OFFICE, "automatic-styles", E_STYLES},
    {NS_OFFICE, "master-styles", E_MASTER_STYLES},
    {NS_STYLE, "master-page", E_MASTER_PAGE},
    {NS_STYLE, "header", E_HDRFTR},
    {NS_STYLE, "header-left", E_HDRFTR},
    {NS_STYLE, "header-first", E_HDRFTR},
    {NS_STYLE, "footer", E_HDRFTR},
    {NS_STYLE, "footer-left", E_HDRFTR},
    {NS_STYLE, "footer-first", E_HDRFTR},
    /* never document text */
    {NS_TEXT, "tracked-changes", E_SKIP},
    {NS_TEXT, "note-citation", E_SKIP},
    {NS_TEXT, "number", E_SKIP}, /* a cached list label: we make our own */
    {NS_TEXT, "sequence-decls", E_SKIP},
    {NS_TEXT, "variable-decls", E_SKIP},
    {NS_TEXT, "user-field-decls", E_SKIP},
    {NS_TEXT, "dde-connection-decls", E_SKIP},
    {NS_TEXT, "ruby-text", E_SKIP},
    {NS_OFFICE, "annotation", E_SKIP},
    {NS_OFFICE, "forms", E_SKIP},
    {NS_OFFICE, "scripts", E_SKIP},
    {NS_OFFICE, "font-face-decls", E_SKIP},
    {NS_OFFICE, "event-listeners", E_SKIP},
    {NS_TABLE, "covered-table-cell", E_SKIP},
    {NS_TABLE, "table-column", E_SKIP},
    {NS_TABLE, "table-columns", E_SKIP},
    {NS_TABLE, "table-header-columns", E_SKIP},
    {NS_TABLE, "table-column-group", E_SKIP},
    {NS_TABLE, "table-source", E_SKIP},
    {NS_DRAW, "image", E_SKIP},
    {NS_DRAW, "object", E_SKIP},
    {NS_DRAW, "object-ole", E_SKIP},
    {NS_DRAW, "enhanced-geometry", E_SKIP},
    {NS_DRAW, "contour-polygon", E_SKIP},
    {NS_DRAW, "contour-path", E_SKIP},
    {NS_DRAW, "image-map", E_SKIP},
    {NS_SVG, "title", E_SKIP},
    {NS_SVG, "desc", E_SKIP},
};

static enum el classify(struct sx_reader *x)
{
    const char *ns = sx_ns(x), *local = sx_local(x);
    for (size_t i = 0; i < sizeof elements / sizeof elements[0]; i++)
        if (!strcmp(local, elements[i].name) && !strcmp(ns, elements[i].ns))
            return elements[i].el;
    if (!strcmp(ns, NS_TEXT)) { /* index templates repeat headings */
        size_t n = strlen(local);
        if (n > 7 && !strcmp(local + n - 7, "-source"))
            return E_SKIP;
    }
    if (!strcmp(ns, NS_DRAW))
        return E_DRAW; /* frames and shapes: their text is a text box */
    return E_OTHER;
}

static long to_long(const char *s, long dflt)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end == s || v < -1000000000L || v > 1000000000L ? dflt : v;
}

/* ---- styles ------------------------------------------------------------------ */

/* Where a style was defined: automatic styles are private to their file. */
enum origin { O_COMMON, O_AUTO_STYLES, O_AUTO_CONTENT };

struct style {
    char name[NAME_LEN], parent[NAME_LEN];
    unsigned char origin;
    signed char brk_before, brk_after; /* -1 unset, 0 no, 1 page */
    unsigned char title;               /* named "Title"          */
    signed char r_before, r_after;     /* resolved               */
    unsigned char r_title;
};

struct list_level {
    char numbered, fmt;
    char prefix[8], suffix[8];
    int display, start;
};

struct list_style {
    char name[NAME_LEN];
    unsigned char origin;
    struct list_level lv[11]; /* 1..10 */
};

struct saved_list {
    char id[32];
    int count[11];
    unsigned char set[11];
};

static int cmp_style(const void *a, const void *b)
{
    const struct style *x = a, *y = b;
    if (x->origin != y->origin)
        return x->origin - y->origin;
    return strcmp(x->name, y->name);
}

/* ---- the walk ----------------------------------------------------------------- */

enum mode { M_STYLES, M_BODY, M_HDRFTR };

struct frame {
    unsigned char el, entered, item_pending, break_after, endnote;
    unsigned char absorbed;  /* list item: its first paragraph was read */
    int start_value;         /* list item: text:start-value, or -1       */
    unsigned char has_text, space; /* a paragraph's whitespace state */
    int base;       /* em depth to return to at the end                 */
    int para;       /* the innermost paragraph frame, or -1             */
    int chain;      /* the frame of the outermost list, or -1           */
    int list_level; /* lists open around this frame (in its container)  */
    int list_style; /* the list style in force, or -1                   */
    /* the outermost list's counters */
    int count[11];
    unsigned char set[11];
    char xml_id[32];
};

struct odt {
    struct sz_archive *zip;
    struct em em;
    struct style *styles;
    size_t nstyles;
    int sorted;
    struct list_style *lists;
    size_t nlists;
    struct saved_list last, saved[MAX_SAVED_LISTS];
    int have_last;
    size_t nsaved;
    char label[64]; /* a list label waiting for its paragraph */
    char warn[256];
    /* the walk of one part */
    struct sx_reader x;
    enum mode mode;
    enum origin origin;   /* of the automatic styles being read */
    struct frame fr[SX_MAX_DEPTH + 1];
    int skip;             /* depth whose subtree is skipped, or -1 */
    int style_depth;      /* depth of office:styles being read, or -1 */
    struct style *cur;    /* the style being read */
    struct list_style *cur_list;
};

static const struct style *find_style(const struct odt *o, const char *name, int origin)
{
    struct style key;
    if (!*name || !o->sorted)
        return NULL;
    snprintf(key.name, sizeof key.name, "%s", name);
    key.origin = (unsigned char)origin;
    const struct style *s = bsearch(&key, o->styles, o->nstyles, sizeof key, cmp_style);
    if (!s && origin != O_COMMON) {
        key.origin = O_COMMON;
        s = bsearch(&key, o->styles, o->nstyles, sizeof key, cmp_style);
    }
    return s;
}

static void resolve_styles(struct odt *o)
{
    if (o->sorted)
        return;
    if (o->nstyles)
        qsort(o->styles, o->nstyles, sizeof *o->styles, cmp_style);
    o->sorted = 1;
    for (size_t i = 0; i < o->nstyles; i++) {
        struct style *s = &o->styles[i];
        const struct style *c = s;
        int before = -1, after = -1, title = 0;
        for (int hop = 0; c && hop < 16; hop++) { /* parents are common styles */
            if (before < 0)
                before = c->brk_before;
            if (after < 0)
                after = c->brk_after;
            title |= c->title;
            c = find_style(o, c->parent, O_COMMON);
        }
        s->r_before = (signed char)(before > 0);
        s->r_after = (signed char)(after > 0);
        s->r_title = (unsigned char)title;
    }
}

static int find_list_style(const struct odt *o, const char *name, int origin)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < o->nlists; i++)
            if (o->lists[i].origin == (pass ? O_COMMON : origin) &&
                !strcmp(o->lists[i].name, name))
                return (int)i;
    return -1;
}

/* One node inside office:styles or office:automatic-styles. */
static void style_node(struct odt *o, int type, int depth, enum origin origin)
{
    struct sx_reader *x = &o->x;
    char v[NAME_LEN];
    if (type != XML_READER_TYPE_ELEMENT)
        return;
    const char *ns = sx_ns(x), *local = sx_local(x);
    int rel = depth - o->style_depth; /* 1 for the styles themselves */
    if (rel == 1) {
        o->cur = NULL, o->cur_list = NULL;
        if (!strcmp(ns, NS_STYLE) && !strcmp(local, "style") && o->nstyles < MAX_STYLES) {
            struct style *s = o->cur = &o->styles[o->nstyles++];
            memset(s, 0, sizeof *s);
            sx_attr(x, NS_STYLE, "name", s->name, sizeof s->name);
            sx_attr(x, NS_STYLE, "parent-style-name", s->parent, sizeof s->parent);
            s->origin = (unsigned char)origin;
            s->brk_before = s->brk_after = -1;
            s->title = !strcmp(s->name, "Title");
            if (sx_attr(x, NS_STYLE, "display-name", v, sizeof v) >= 0 && !strcmp(v, "Title"))
                s->title = 1;
            o->sorted = 0;
        } else if (!strcmp(ns, NS_TEXT) && !strcmp(local, "list-style") &&
                   o->nlists < MAX_LIST_STYLES) {
            struct list_style *l = o->cur_list = &o->lists[o->nlists++];
            memset(l, 0, sizeof *l);
            sx_attr(x, NS_STYLE, "name", l->name, sizeof l->name);
            l->origin = (unsigned char)origin;
        }
    } else if (rel == 2 && o->cur && !strcmp(ns, NS_STYLE) &&
               (!strcmp(local, "paragraph-properties") || !strcmp(local, "table-properties"))) {
        if (sx_attr(x, NS_FO, "break-before", v, sizeof v) >= 0)
            o->cur->brk_before = (signed char)!strcmp(v, "page");
        if (sx_attr(x, NS_FO, "break-after", v, sizeof v) >= 0)
            o->cur->brk_after = (signed char)!strcmp(v, "page");
    } else if (rel == 2 && o->cur_list && !strcmp(ns, NS_TEXT) &&
               !strncmp(local, "list-level-style-", 17)) {
        long level = to_long(sx_attr(x, NS_TEXT, "level", v, sizeof v) >= 0 ? v : "", 0);
        if (level < 1 || level > 10)
            return;
        struct list_level *lv = &o->cur_list->lv[level];
        memset(lv, 0, sizeof *lv);
        lv->start = 1;
        lv->display = 1;
        if (strcmp(local + 17, "number") != 0)
            return; /* bullet or image */
        sx_attr(x, NS_STYLE, "num-format", v, sizeof v);
        lv->numbered = v[0] != '\0';
        lv->fmt = strchr("1aAiI", v[0]) ? v[0] : '1';
        sx_attr(x, NS_STYLE, "num-prefix", lv->prefix, sizeof lv->prefix);
        sx_attr(x, NS_STYLE, "num-suffix", lv->suffix, sizeof lv->suffix);
        if (sx_attr(x, NS_TEXT, "display-levels", v, sizeof v) >= 0)
            lv->display = (int)to_long(v, 1);
        if (sx_attr(x, NS_TEXT, "start-value", v, sizeof v) >= 0)
            lv->start = (int)to_long(v, 1);
    }
}

/* ---- lists --------------------------------------------------------------------- */

static const struct list_level *list_level_of(const struct odt *o, int style, int level)
{
    static const struct list_level bullet = {0, '1', "", "", 1, 1};
    if (style < 0 || level < 1 || level > 10)
        return &bullet;
    return &o->lists[style].lv[level];
}

/* Count the item of `f` (a text:list-item) and push its node; its label
 * waits in o->label for the first paragraph. */
static void start_item(struct odt *o, struct frame *f, int numbered_child)
{
    struct frame *c = f->chain >= 0 ? &o->fr[f->chain] : NULL;
    int l = f->list_level, number = 0;
    const struct list_level *lv = list_level_of(o, f->list_style, l);
    o->label[0] = '\0';
    f->item_pending = 0;
    if (c && numbered_child && l >= 1 && l <= 10) {
        if (f->start_value >= 0) {
            c->count[l] = f->start_value;
        } else if (c->set[l]) {
            c->count[l]++;
        } else {
            c->count[l] = lv->start;
        }
        c->set[l] = 1;
        for (int i = l + 1; i <= 10; i++)
            c->set[i] = 0;
        if (lv->numbered) {
            size_t k = (size_t)snprintf(o->label, sizeof o->label, "%s", lv->prefix);
            int from = l - (lv->display > 1 ? lv->display : 1) + 1;
            for (int i = from < 1 ? 1 : from; i <= l && k + 24 < sizeof o->label; i++) {
                const struct list_level *li = list_level_of(o, f->list_style, i);
                int v = c->set[i] ? c->count[i] : li->start;
                if (i > from && i > 1)
                    o->label[k++] = '.';
                k += office_number(o->label + k, sizeof o->label - k, v,
                                   li->numbered ? li->fmt : '1');
            }
            snprintf(o->label + k, sizeof o->label - k, "%s", lv->suffix);
            number = c->count[l];
        }
    }
    em_push(&o->em, URA_NODE_LIST_ITEM, number);
}

static void give_label(struct odt *o)
{
    if (o->label[0]) {
        em_text(&o->em, o->label, strlen(o->label));
        em_text(&o->em, " ", 1);
        o->label[0] = '\0';
    }
}

static void start_list(struct odt *o, int depth, struct frame *f, const struct frame *up)
{
    char v[NAME_LEN];
    f->list_level = (up ? up->list_level : 0) + 1;
    if (sx_attr(&o->x, NS_TEXT, "style-name", v, sizeof v) > 0)
        f->list_style = find_list_style(o, v, o->mode == M_BODY ? O_AUTO_CONTENT : O_AUTO_STYLES);
    if (f->list_level == 1) { /* a new list, or one continued */
        f->chain = depth;
        memset(f->count, 0, sizeof f->count);
        memset(f->set, 0, sizeof f->set);
        sx_attr(&o->x, NS_XML, "id", f->xml_id, sizeof f->xml_id);
        const struct saved_list *from = NULL;
        if (sx_attr(&o->x, NS_TEXT, "continue-list", v, sizeof v) > 0) {
            for (size_t i = 0; i < o->nsaved; i++)
                if (!strcmp(o->saved[i].id, v))
                    from = &o->saved[i];
        } else if (sx_attr(&o->x, NS_TEXT, "continue-numbering", v, sizeof v) > 0 &&
                   !strcmp(v, "true") && o->have_last) {
            from = &o->last;
        }
        if (from) {
            memcpy(f->count, from->count, sizeof f->count);
            memcpy(f->set, from->set, sizeof f->set);
        }
    }
    em_push(&o->em, URA_NODE_LIST, f->list_level);
}

static void end_list(struct odt *o, struct frame *f, int depth)
{
    if (f->chain != depth)
        return;
    struct saved_list *s = &o->last;
    memcpy(s->count, f->count, sizeof s->count);
    memcpy(s->set, f->set, sizeof s->set);
    o->have_last = 1;
    if (!f->xml_id[0])
        return;
    size_t i = 0;
    while (i < o->nsaved && strcmp(o->saved[i].id, f->xml_id) != 0)
        i++;
    if (i == o->nsaved) {
        if (o->nsaved == MAX_SAVED_LISTS)
            return;
        o->nsaved++;
    }
    o->saved[i] = *s;
    memcpy(o->saved[i].id, f->xml_id, sizeof o->saved[i].id); /* both NUL-terminated [32] */
}

/* ---- text ------------------------------------------------------------------------ */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ODF collapses runs of white space in a paragraph to one space and drops
 * it at the start and end; text:s, text:tab and text:line-break are the
 * ways to write more. */
static void para_text(struct odt *o, struct frame *p, const char *s)
{
    size_t i = 0, n = strlen(s);
    while (i < n && !o->em.rc) {
        if (is_ws(s[i])) {
            p->space |= p->has_text;
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && !is_ws(s[j]))
            j++;
        if (p->space)
            em_text(&o->em, " ", 1);
        em_text(&o->em, s + i, j - i);
        p->space = 0;
        p->has_text = 1;
        i = j;
    }
}

static void para_special(struct odt *o, struct frame *p, enum el el)
{
    char v[16];
    if (p->space)
        em_text(&o->em, " ", 1);
    p->space = 0;
    p->has_text = 1;
    if (el == E_S) {
        static const char spaces[] = "                ";
        long c = sx_attr(&o->x, NS_TEXT, "c", v, sizeof v) >= 0 ? to_long(v, 1) : 1;
        if (c > MAX_SPACES)
            c = MAX_SPACES;
        for (; c > 0; c -= 16)
            em_text(&o->em, spaces, c < 16 ? (size_t)c : 16);
    } else if (el == E_TAB) {
        em_text(&o->em, "\t", 1);
    } else {
        em_text(&o->em, "\n", 1);
        p->has_text = 0; /* as at the start of a paragraph */
    }
}

/* ---- the walk, element by element ---------------------------------------------------- */

/* Pages break in the body only: a header's paragraph style may say
 * "break before" without meaning anything for the document. */
static void page_break(struct odt *o)
{
    if (o->mode == M_BODY)
        em_page_break(&o->em);
}

static int style_origin(const struct odt *o)
{
    return o->mode == M_BODY ? O_AUTO_CONTENT : O_AUTO_STYLES;
}

static void start_paragraph(struct odt *o, struct frame *f, struct frame *up, int depth,
                            enum el el)
{
    char v[NAME_LEN];
    int level = 0;
    sx_attr(&o->x, NS_TEXT, "style-name", v, sizeof v);
    const struct style *s = find_style(o, v, style_origin(o));
    if (el == E_H) {
        level = sx_attr(&o->x, NS_TEXT, "outline-level", v, sizeof v) >= 0 ? (int)to_long(v, 1) : 1;
        level = level < 1 ? 1 : level > 9 ? 9 : level;
    } else if (s && s->r_title) {
        level = 1;
    }
    if (s && s->r_before)
        page_break(o);
    f->break_after = s && s->r_after;
    f->base = em_depth(&o->em);
    /* the first paragraph of a list item is the item's own text */
    int item = up && (up->el == E_ITEM || up->el == E_LIST_HEADER) && !up->absorbed;
    if (item)
        up->absorbed = 1;
    if (level || !item)
        em_push(&o->em, level ? URA_NODE_HEADING : URA_NODE_PARAGRAPH, level);
    f->para = depth;
    f->has_text = f->space = 0;
    give_label(o);
}

/* A scope recorded for later (a note body, a text box), or read in place
 * when already recording. */
static void enter_scope(struct odt *o, struct frame *f, enum em_target t)
{
    if (t == EM_AT_END || em_current(&o->em) == EM_LIVE) {
        em_enter(&o->em, t);
        f->entered = 1;
    }
    f->base = em_depth(&o->em);
}

static void start_element(struct odt *o, int depth, enum el el, int empty)
{
    struct frame *f = &o->fr[depth], *up = depth ? &o->fr[depth - 1] : NULL;
    char v[NAME_LEN];
    memset(f, 0, sizeof *f);
    f->el = (unsigned char)el;
    f->para = up ? up->para : -1;
    f->chain = up ? up->chain : -1;
    f->list_level = up ? up->list_level : 0;
    f->list_style = up ? up->list_style : -1;
    if (up && up->item_pending)
        start_item(o, up, el != E_LIST); /* an item holding only a list has no number */
    f->base = em_depth(&o->em);

    switch (el) {
    case E_SKIP:
        if (!empty)
            o->skip = depth;
        break;
    case E_STYLES:
        if (o->mode == M_HDRFTR) {
            if (!empty)
                o->skip = depth;
        } else if (!empty) {
            o->style_depth = depth;
        }
        break;
    case E_MASTER_STYLES:
        if (o->mode != M_HDRFTR && !empty)
            o->skip = depth;
        break;
    case E_BODY:
        if (o->mode != M_BODY && !empty)
            o->skip = depth;
        resolve_styles(o);
        break;
    case E_BODY_TEXT:
        f->list_level = 0, f->chain = -1, f->list_style = -1;
        break;
    case E_P:
    case E_H:
        start_paragraph(o, f, up, depth, el);
        break;
    case E_LIST:
        start_list(o, depth, f, up);
        break;
    case E_ITEM:
        f->item_pending = 1;
        f->start_value = sx_attr(&o->x, NS_TEXT, "start-value", v, sizeof v) > 0
                             ? (int)to_long(v, -1) : -1;
        break;
    case E_LIST_HEADER:
        o->label[0] = '\0';
        em_push(&o->em, URA_NODE_LIST_ITEM, 0);
        break;
    case E_TABLE:
        if (sx_attr(&o->x, NS_TABLE, "style-name", v, sizeof v) > 0) {
            const struct style *s = find_style(o, v, style_origin(o));
            if (s && s->r_before)
                page_break(o);
            f->break_after = s && s->r_after;
        }
        f->para = -1;
        em_push(&o->em, URA_NODE_TABLE, 0);
        break;
    case E_ROW:
        em_push(&o->em, URA_NODE_ROW, 0);
        break;
    case E_CELL:
        em_push(&o->em, URA_NODE_CELL, 0);
        f->list_level = 0, f->chain = -1, f->list_style = -1;
        break;
    case E_NOTE:
        sx_attr(&o->x, NS_TEXT, "note-class", v, sizeof v);
        f->endnote = !strcmp(v, "endnote");
        break;
    case E_NOTE_BODY:
        enter_scope(o, f, up && up->el == E_NOTE && up->endnote ? EM_AT_END : EM_AFTER);
        em_push(&o->em, URA_NODE_FOOTNOTE, 0);
        f->para = -1, f->list_level = 0, f->chain = -1, f->list_style = -1;
        break;
    case E_DRAW:
        if (up && up->el != E_DRAW) { /* the outermost shape is the scope */
            if (f->para >= 0)
                enter_scope(o, f, EM_AFTER);
            em_push(&o->em, URA_NODE_SECTION, 0);
        }
        f->para = -1, f->list_level = 0, f->chain = -1, f->list_style = -1;
        break;
    case E_HDRFTR:
        if (o->mode == M_HDRFTR && up && up->el == E_MASTER_PAGE) {
            em_push(&o->em, URA_NODE_SECTION, 0);
        } else if (!empty) {
            o->skip = depth;
        }
        break;
    case E_MASTER_PAGE:
        break;
    case E_S:
    case E_TAB:
    case E_LINE_BREAK:
        if (f->para >= 0)
            para_special(o, &o->fr[f->para], el);
        break;
    case E_SOFT_PAGE_BREAK:
        page_break(o);
        if (f->para >= 0) /* the paragraph goes on as if it began here */
            o->fr[f->para].has_text = o->fr[f->para].space = 0;
        break;
    default:
        if (depth == 1 && o->mode == M_HDRFTR) /* only the master styles */
            if (!empty && el != E_MASTER_STYLES)
                o->skip = depth;
        break;
    }
}

static void end_element(struct odt *o, int depth)
{
    struct frame *f = &o->fr[depth];
    switch ((enum el)f->el) {
    case E_P:
    case E_H:
        em_pop_to(&o->em, f->base);
        if (f->break_after)
            page_break(o);
        em_flush(&o->em, EM_AFTER); /* the notes and boxes it anchors */
        break;
    case E_LIST:
        em_pop_to(&o->em, f->base);
        end_list(o, f, depth);
        break;
    case E_TABLE:
        em_pop_to(&o->em, f->base);
        if (f->break_after)
            page_break(o);
        em_flush(&o->em, EM_AFTER);
        break;
    case E_ITEM:
    case E_LIST_HEADER:
        o->label[0] = '\0'; /* an item with no paragraph */
        em_pop_to(&o->em, f->base);
        break;
    case E_ROW:
    case E_CELL:
    case E_HDRFTR:
    case E_DRAW:
    case E_NOTE_BODY:
        em_pop_to(&o->em, f->base);
        if (f->entered)
            em_leave(&o->em);
        break;
    case E_STYLES:
        o->style_depth = -1;
        o->cur = NULL, o->cur_list = NULL;
        break;
    default:
        break;
    }
}

/* Stream one part.  *missing is set when it does not exist. */
static int walk_part(struct odt *o, const char *part, enum mode mode, int *missing)
{
    int rc = sx_open(&o->x, o->zip, part);
    *missing = rc == 0;
    if (rc <= 0) {
        sx_close(&o->x);
        return rc == 0 ? URA_OK : URA_EFILE;
    }
    struct em_mark mark = em_mark(&o->em);
    o->mode = mode;
    o->skip = o->style_depth = -1;
    o->label[0] = '\0';
    while ((rc = sx_next(&o->x)) == 1 && !o->em.rc) {
        int type = sx_type(&o->x), depth = sx_depth(&o->x);
        if (o->skip >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && depth == o->skip)
                o->skip = -1;
            continue;
        }
        if (o->style_depth >= 0 && depth > o->style_depth) {
            style_node(o, type, depth, mode == M_BODY ? O_AUTO_CONTENT : o->origin);
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = sx_empty(&o->x);
            enum el el = classify(&o->x);
            if (el == E_STYLES && mode == M_STYLES)
                o->origin = !strcmp(sx_local(&o->x), "styles") ? O_COMMON : O_AUTO_STYLES;
            start_element(o, depth, el, empty);
            if (empty && o->skip < 0) {
                if (o->fr[depth].item_pending) /* an empty item: still an item */
                    start_item(o, &o->fr[depth], 0);
                end_element(o, depth);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (o->fr[depth].item_pending)
                start_item(o, &o->fr[depth], 0);
            end_element(o, depth);
        } else if (sx_is_text(type) && depth > 0 && o->fr[depth - 1].para >= 0) {
            para_text(o, &o->fr[o->fr[depth - 1].para], sx_value(&o->x));
        }
    }
    sx_close(&o->x);
    em_restore(&o->em, mark); /* as the part left it, had it ended well */
    if (o->em.rc)
        return o->em.rc;
    return rc < 0 ? URA_EFILE : URA_OK;
}

/* Broken XML in an optional part costs that part and a warning; a broken
 * archive or a hostile part, the file. */
static int optional(struct odt *o, int rc)
{
    if (rc == URA_EFILE && !sz_fatal(o->zip) && !sx_hostile(&o->x)) {
        if (!o->warn[0])
            snprintf(o->warn, sizeof o->warn, "%s", sz_error(o->zip));
        return URA_OK;
    }
    return rc;
}

/* ---- metadata --------------------------------------------------------------------- */

enum { K_TITLE, K_AUTHOR, K_INITIAL, K_SUBJECT, K_DESCRIPTION, K_KEYWORDS, K_LANGUAGE,
       K_CREATED, K_MODIFIED, K_PAGES, NKEYS };

static int read_meta(struct odt *o)
{
    static const struct { const char *ns, *local; int key; } map[] = {
        {NS_DC, "title", K_TITLE},          {NS_DC, "creator", K_AUTHOR},
        {NS_META, "initial-creator", K_INITIAL}, {NS_DC, "subject", K_SUBJECT},
        {NS_DC, "description", K_DESCRIPTION}, {NS_META, "keyword", K_KEYWORDS},
        {NS_DC, "language", K_LANGUAGE},    {NS_META, "creation-date", K_CREATED},
        {NS_DC, "date", K_MODIFIED},
    };
    static const char *const names[NKEYS] = {"title", "author", "author", "subject",
                                             "description", "keywords", "language",
                                             "created", "modified", "pages"};
    struct sx_reader *x = &o->x;
    char *val[NKEYS] = {0};
    size_t len[NKEYS] = {0};
    int key = -1, rc = 1;
    for (int k = 0; k < NKEYS && rc > 0; k++)
        if (!(val[k] = malloc(MAX_META)))
            rc = -1;
    if (rc > 0)
        rc = sx_open(x, o->zip, "meta.xml");
    while (rc > 0 && (rc = sx_next(x)) == 1) {
        int type = sx_type(x), depth = sx_depth(x);
        if (type == XML_READER_TYPE_ELEMENT && depth == 2) {
            key = -1;
            for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
                if (!strcmp(sx_local(x), map[i].local) && !strcmp(sx_ns(x), map[i].ns))
                    key = map[i].key;
            if (key == K_KEYWORDS && len[key] && len[key] + 2 < MAX_META) {
                memcpy(val[key] + len[key], ", ", 2);
                len[key] += 2;
            } else if (key >= 0 && key != K_KEYWORDS) {
                len[key] = 0; /* the last one counts */
            }
            if (!strcmp(sx_local(x), "document-statistic") && !strcmp(sx_ns(x), NS_META)) {
                long n = sx_attr(x, NS_META, "page-count", val[K_PAGES], 16);
                len[K_PAGES] = n > 0 ? (size_t)n : 0;
            }
            if (sx_empty(x))
                key = -1;
        } else if (type == XML_READER_TYPE_END_ELEMENT && depth == 2) {
            key = -1;
        } else if (key >= 0 && sx_is_text(type) && depth == 3) {
            const char *s = sx_value(x);
            size_t k = strlen(s);
            if (k > MAX_META - len[key])
                k = MAX_META - len[key];
            memcpy(val[key] + len[key], s, k);
            len[key] += k;
        }
    }
    sx_close(x);
    for (int k = 0; k < NKEYS && rc >= 0 && !o->em.rc; k++) {
        size_t n = len[k];
        const char *s = val[k] ? office_trim(val[k], &n) : NULL;
        if (k == K_AUTHOR && len[K_INITIAL])
            continue; /* the initial creator is the author; dc:creator edited last */
        if (n) {
            int r = o->em.sink->meta(o->em.sink->ctx, names[k], s, n);
            if (r != URA_OK)
                o->em.rc = r;
        }
    }
    for (int k = 0; k < NKEYS; k++)
        free(val[k]);
    return rc < 0 ? URA_EFILE : URA_OK;
}

/* The document's type: the mimetype entry, or the manifest's root entry. */
static int check_type(struct odt *o, char *err, size_t errlen)
{
    char type[128] = "";
    size_t n = 0;
    if (sz_read_small(o->zip, "mimetype", type, sizeof type - 1, &n) != URA_OK) {
        if (*sz_error(o->zip)) {
            office_err(err, errlen, "%s", sz_error(o->zip));
            return URA_EFILE;
        }
        struct sx_reader *x = &o->x; /* no mimetype: ask the manifest */
        int rc = sx_open(x, o->zip, "META-INF/manifest.xml");
        char path[8];
        while (rc > 0 && !type[0] && (rc = sx_next(x)) == 1)
            if (sx_type(x) == XML_READER_TYPE_ELEMENT && !strcmp(sx_local(x), "file-entry") &&
                sx_attr(x, NS_MANIFEST, "full-path", path, sizeof path) == 1 && path[0] == '/')
                sx_attr(x, NS_MANIFEST, "media-type", type, sizeof type);
        sx_close(x);
        if (rc < 0 && (sz_fatal(o->zip) || sx_hostile(x))) {
            office_err(err, errlen, "%s", sz_error(o->zip));
            return URA_EFILE;
        }
        n = strlen(type);
        if (!n) {
            office_err(err, errlen, "not an ODT document: no mimetype entry");
            return URA_EFILE;
        }
    }
    type[n] = '\0';
    const char *t = office_trim(type, &n);
    static const char *const text_types[] = {MIME_ODT, MIME_ODT "-template", MIME_ODT "-master"};
    for (size_t i = 0; i < sizeof text_types / sizeof text_types[0]; i++)
        if (n == strlen(text_types[i]) && !memcmp(t, text_types[i], n))
            return URA_OK;
    char shown[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof shown - 1; i++)
        shown[k++] = t[i] >= 0x20 && t[i] < 0x7F ? t[i] : '?';
    shown[k] = '\0';
    office_err(err, errlen, "not an ODT text document: its type is %s", shown);
    return URA_EFILE;
}

/* ---- the plugin ------------------------------------------------------------------------- */

static int odt_probe(const unsigned char *head, size_t len)
{
    static const char odf[] = "application/vnd.oasis.opendocument.";
    if (len < 4 || memcmp(head, "PK\3\4", 4) != 0)
        return 0;
    if (len >= 38 + sizeof MIME_ODT - 1 && !memcmp(head + 30, "mimetype", 8)) {
        if (!memcmp(head + 38, MIME_ODT, sizeof MIME_ODT - 1))
            return 100;
        if (!memcmp(head + 38, odf, sizeof odf - 1))
            return 0; /* a spreadsheet, a presentation: not ours */
    }
    return 10;
}

static int odt_init(char *err, size_t errlen)
{
    (void)err, (void)errlen;
    xmlInitParser();
    return URA_OK;
}

static int odt_extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                       size_t errlen)
{
    if (!in || in->size < offsetof(struct ura_input, len) + sizeof in->len || !sink ||
        sink->size < offsetof(struct ura_sink, meta) + sizeof sink->meta) {
        office_err(err, errlen, "caller's ABI structures are too small");
        return URA_EPLUGIN;
    }
    struct odt *o = calloc(1, sizeof *o);
    if (!o) {
        office_err(err, errlen, "out of memory");
        return URA_EFILE;
    }
    int rc = sz_open(in->data, in->len, &o->zip, err, errlen), missing;
    if (rc != URA_OK) {
        free(o);
        return rc;
    }
    em_init(&o->em, sink);
    if ((rc = check_type(o, err, errlen)) != URA_OK)
        goto out;
    if (sz_find(o->zip, "content.xml") < 0) {
        office_err(err, errlen, "not an ODT document: no content.xml");
        rc = URA_EFILE;
        goto out;
    }
    if (!(o->styles = calloc(MAX_STYLES, sizeof *o->styles)) ||
        !(o->lists = calloc(MAX_LIST_STYLES, sizeof *o->lists))) {
        office_err(err, errlen, "out of memory");
        rc = URA_EFILE;
        goto out;
    }
    rc = optional(o, read_meta(o));
    if (rc == URA_OK)
        rc = optional(o, walk_part(o, "styles.xml", M_STYLES, &missing));
    if (rc == URA_OK) {
        rc = walk_part(o, "content.xml", M_BODY, &missing);
        if (rc == URA_EFILE && !sz_fatal(o->zip) && !sx_hostile(&o->x) && o->em.page_open) {
            snprintf(o->warn, sizeof o->warn, "%s; the rest of the document was dropped",
                     sz_error(o->zip));
            rc = URA_OK;
        }
    }
    if (rc == URA_OK) {
        em_pop_to(&o->em, 0);
        em_flush(&o->em, EM_AFTER);
        em_flush(&o->em, EM_AT_END);
        em_cancel_break(&o->em); /* a break after the last paragraph ends nothing */
        resolve_styles(o);
        rc = optional(o, walk_part(o, "styles.xml", M_HDRFTR, &missing));
    }
    if (rc == URA_OK)
        rc = em_finish(&o->em);
    if (o->em.rc) {
        rc = o->em.rc;
    } else if (rc != URA_OK) {
        office_err(err, errlen, "%s", *sz_error(o->zip) ? sz_error(o->zip) : "out of memory");
    } else if (o->warn[0]) {
        office_err(err, errlen, "%s", o->warn);
        rc = URA_WARN;
    } else if (o->em.lost) {
        office_err(err, errlen, "notes or text boxes too large: some of their text was dropped");
        rc = URA_WARN;
    }
out:
    em_free(&o->em);
    sz_close(o->zip);
    free(o->styles);
    free(o->lists);
    free(o);
    return rc;
}

static const char *const odt_mime_types[] = {MIME_ODT, NULL};
static const char *const odt_extensions[] = {"odt", NULL};

static const struct ura_plugin odt_plugin = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin),
    "odt", "1.0", "ODT via libxml2 over libzip",
    odt_mime_types, odt_extensions,
    odt_probe, odt_init, NULL, odt_extract,
};

URA_PLUGIN_DECLARE(odt_plugin)
