/* docx.c — the DOCX format plugin: WordprocessingML read with libxml2's
 * streaming reader out of a ZIP opened with the shared safe reader.
 *
 * Parts are read in this order, each streamed once: docProps (metadata),
 * styles.xml (which paragraph styles are headings), numbering.xml (list
 * formats), footnotes.xml and endnotes.xml (recorded, to be placed where
 * they are referenced), document.xml (the body), then headers and footers,
 * each as a section at the end.  A footnote follows the paragraph that
 * cites it; endnotes and text boxes are placed as Word prints them: text
 * boxes after their anchoring paragraph, endnotes after the body. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "safezip.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

#define MAX_STYLES 4096
#define MAX_ABSTRACT 1024
#define MAX_NUMS 4096
#define MAX_NOTES 65536
#define MAX_PARTS 64 /* headers, and footers, read */
#define MAX_META 4096
#define ID_LEN 64

/* ---- elements ------------------------------------------------------------- */

enum el {
    E_OTHER, E_SKIP, E_P, E_PPR, E_PSTYLE, E_NUMPR, E_ILVL, E_NUMID, E_OUTLINELVL,
    E_PAGEBREAKBEFORE, E_SECTPR, E_TYPE, E_R, E_T, E_TAB, E_BR, E_CR, E_SYM,
    E_NOBREAKHYPHEN, E_SOFTHYPHEN, E_TBL, E_TR, E_TC, E_BODY, E_TXBX, E_FNREF, E_ENREF,
    E_NOTE, E_HDRFTR, E_LASTPAGEBREAK, E_NOTEMARK,
};

static const struct { const char *name; enum el el; } w_elements[] = {
    {"p", E_P},
    {"pPr", E_PPR},
    {"pStyle", E_PSTYLE},
    {"numPr", E_NUMPR},
    {"ilvl", E_ILVL},
    {"numId", E_NUMID},
    {"outlineLvl", E_OUTLINELVL},
    {"pageBreakBefore", E_PAGEBREAKBEFORE},
    {"sectPr", E_SECTPR},
    {"type", E_TYPE},
    {"r", E_R},
    {"t", E_T},
    {"tab", E_TAB},
    {"br", E_BR},
    {"cr", E_CR},
    {"sym", E_SYM},
    {"noBreakHyphen", E_NOBREAKHYPHEN},
    {"softHyphen", E_SOFTHYPHEN},
    {"tbl", E_TBL},
    {"tr", E_TR},
    {"tc", E_TC},
    {"body", E_BODY},
    {"txbxContent", E_TXBX},
    {"footnoteReference", E_FNREF},
    {"endnoteReference", E_ENREF},
    {"footnote", E_NOTE},
    {"endnote", E_NOTE},
    {"hdr", E_HDRFTR},
    {"ftr", E_HDRFTR},
    {"lastRenderedPageBreak", E_LASTPAGEBREAK},
    {"footnoteRef", E_NOTEMARK},
    {"endnoteRef", E_NOTEMARK},
    /* never text: deleted or moved-away text, field codes, properties */
    {"del", E_SKIP},
    {"moveFrom", E_SKIP},
    {"delText", E_SKIP},
    {"instrText", E_SKIP},
    {"delInstrText", E_SKIP},
    {"rPr", E_SKIP},
    {"tblPr", E_SKIP},
    {"trPr", E_SKIP},
    {"tcPr", E_SKIP},
    {"sdtPr", E_SKIP},
    {"fldData", E_SKIP},
    {"ffData", E_SKIP},
    {"rt", E_SKIP}, /* ruby annotation */
};

static int is_w(const char *ns)
{
    return !strcmp(ns, W_NS) || !strcmp(ns, W_NS_STRICT);
}

static enum el classify(struct sx_reader *x)
{
    const char *ns = sx_ns(x), *local = sx_local(x);
    if (is_w(ns)) {
        for (size_t i = 0; i < sizeof w_elements / sizeof w_elements[0]; i++)
            if (!strcmp(local, w_elements[i].name))
                return w_elements[i].el;
        return E_OTHER;
    }
    /* mc:AlternateContent: the Choice is read, the Fallback repeats it */
    if (!strcmp(ns, MC_NS) && !strcmp(local, "Fallback"))
        return E_SKIP;
    return E_OTHER;
}

/* w:val of the current element, or "" */
static const char *w_val(struct sx_reader *x, char *buf, size_t cap)
{
    if (sx_attr(x, W_NS, "val", buf, cap) < 0)
        sx_attr(x, W_NS_STRICT, "val", buf, cap);
    return buf;
}

static const char *w_attr(struct sx_reader *x, const char *local, char *buf, size_t cap)
{
    if (sx_attr(x, W_NS, local, buf, cap) < 0)
        sx_attr(x, W_NS_STRICT, local, buf, cap);
    return buf;
}

/* An on/off property: absent val means on. */
static int w_on(struct sx_reader *x)
{
    char v[8];
    if (sx_attr(x, W_NS, "val", v, sizeof v) < 0 && sx_attr(x, W_NS_STRICT, "val", v, sizeof v) < 0)
        return 1;
    return !(!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off"));
}

static long to_long(const char *s, long dflt)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end == s || v < -1000000000L || v > 1000000000L ? dflt : v;
}

/* ---- styles --------------------------------------------------------------- */

struct style {
    char id[ID_LEN], based[ID_LEN];
    int outline; /* w:outlineLvl, -1 if not set             */
    int named;   /* heading level from the style's name     */
    int num_id;  /* w:numPr: -1 if not set                   */
    int ilvl;
    int heading; /* resolved: 0 or 1..9                      */
    int r_num, r_ilvl;
};

struct styles {
    struct style *s;
    size_t n;
};

static int cmp_style(const void *a, const void *b)
{
    return strcmp(((const struct style *)a)->id, ((const struct style *)b)->id);
}

static const struct style *find_style(const struct styles *st, const char *id)
{
    struct style key;
    if (!st->n || !*id)
        return NULL;
    snprintf(key.id, sizeof key.id, "%s", id);
    return bsearch(&key, st->s, st->n, sizeof *st->s, cmp_style);
}

/* "heading 1", "Heading1", "Title" */
static int level_from_name(const char *name)
{
    if (office_eq_ci(name, "title"))
        return 1;
    if (strlen(name) < 8 || strncasecmp(name, "heading", 7) != 0)
        return 0;
    const char *p = name + 7;
    if (*p == ' ')
        p++;
    return p[0] >= '1' && p[0] <= '9' && !p[1] ? p[0] - '0' : 0;
}

static void resolve_styles(struct styles *st)
{
    if (!st->n)
        return;
    qsort(st->s, st->n, sizeof *st->s, cmp_style);
    for (size_t i = 0; i < st->n; i++) {
        struct style *s = &st->s[i];
        int outline = -1, named = 0, num = -1, ilvl = -1;
        const struct style *c = s;
        for (int hop = 0; c && hop < 16; hop++) { /* basedOn chain, cycles cut */
            if (outline < 0)
                outline = c->outline;
            if (!named)
                named = c->named;
            if (num < 0)
                num = c->num_id;
            if (ilvl < 0)
                ilvl = c->ilvl;
            c = find_style(st, c->based);
        }
        s->heading = outline >= 0 ? (outline <= 8 ? outline + 1 : 0) : named;
        s->r_num = num;
        s->r_ilvl = ilvl;
    }
}

/* ---- numbering -------------------------------------------------------------- */

struct level {
    int start;
    char fmt;      /* office_number() format; 'b' bullet, 'n' none */
    char text[32]; /* w:lvlText, "%1." */
};

struct abstract_num {
    long id;
    struct level lv[9];
    int count[9];
    unsigned char set[9];
};

struct num {
    long id;
    long abstract_id;
    int over[9]; /* startOverride, or -1 */
    int used;
};

struct numbering {
    struct abstract_num *a;
    size_t na;
    struct num *n;
    size_t nn;
};

static char fmt_code(const char *v)
{
    static const struct { const char *name; char code; } fmts[] = {
        {"decimal", '1'},     {"decimalZero", '0'}, {"lowerLetter", 'a'},
        {"upperLetter", 'A'}, {"lowerRoman", 'i'},  {"upperRoman", 'I'},
        {"bullet", 'b'},      {"none", 'n'},
    };
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
        if (!strcmp(v, fmts[i].name))
            return fmts[i].code;
    return '1';
}

static struct num *find_num(struct numbering *nb, long id)
{
    for (size_t i = 0; i < nb->nn; i++)
        if (nb->n[i].id == id)
            return &nb->n[i];
    return NULL;
}

static struct abstract_num *find_abstract(struct numbering *nb, long id)
{
    for (size_t i = 0; i < nb->na; i++)
        if (nb->a[i].id == id)
            return &nb->a[i];
    return NULL;
}

/* Count an item at level l of list num_id; its number (0 for bullets and
 * unnumbered levels) and its label ("" if none). */
static int count_item(struct numbering *nb, long num_id, int l, char *label, size_t cap)
{
    struct num *n = find_num(nb, num_id);
    struct abstract_num *a = n ? find_abstract(nb, n->abstract_id) : NULL;
    label[0] = '\0';
    if (!a || l < 0 || l > 8)
        return 0;
    if (!n->used) { /* a list restarted by an override */
        n->used = 1;
        for (int i = 0; i < 9; i++)
            if (n->over[i] >= 0) {
                a->count[i] = n->over[i];
                a->set[i] = 2; /* the next item takes this value */
            }
    }
    if (a->set[l] == 1)
        a->count[l]++;
    else if (a->set[l] == 0)
        a->count[l] = a->lv[l].start;
    a->set[l] = 1;
    for (int i = l + 1; i < 9; i++)
        a->set[i] = 0;
    char f = a->lv[l].fmt;
    if (f == 'b' || f == 'n')
        return 0;
    size_t k = 0;
    for (const char *p = a->lv[l].text; *p && k + 24 < cap; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int i = p[1] - '1';
            int v = a->set[i] ? a->count[i] : a->lv[i].start;
            char fi = a->lv[i].fmt == 'b' || a->lv[i].fmt == 'n' ? '1' : a->lv[i].fmt;
            k += office_number(label + k, cap - k, v, i == l ? f : fi);
            p++;
        } else {
            label[k++] = *p;
        }
    }
    label[k] = '\0';
    return a->count[l];
}

/* ---- notes -------------------------------------------------------------------- */

struct note {
    int end; /* 1 for an endnote */
    long id;
    size_t from, to; /* events in the store */
};

static int cmp_note(const void *a, const void *b)
{
    const struct note *x = a, *y = b;
    if (x->end != y->end)
        return x->end - y->end;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* ---- the walk ------------------------------------------------------------------- */

enum mode { M_BODY, M_NOTES, M_HDRFTR };

struct frame {
    unsigned char el;
    unsigned char decided; /* w:p: its kind is known and its node pushed */
    unsigned char entered; /* w:txbxContent: em_enter() done            */
    unsigned char sect_break; /* w:p: a section (and page) ends with it */
    unsigned char endnote;    /* w:endnote                              */
    int base;              /* em depth to return to at the end          */
    int cont;              /* the frame holding this one's lists        */
    /* containers: open list levels, and the em depth before each */
    int levels;
    long list_num;
    int list_base[9];
    /* notes */
    long note_id;
    size_t note_from;
};

struct pprops { /* the w:pPr of the paragraph being read */
    char style[ID_LEN];
    int ilvl, outline, break_before, sect_break;
    long num_id;
};

struct docx {
    struct sz_archive *zip;
    struct em em;
    struct styles styles;
    struct numbering num;
    struct note *notes;
    size_t nnotes;
    int notes_full;
    char warn[256]; /* the first problem that did not stop extraction */
    /* the walk of one part */
    struct sx_reader x;
    enum mode mode;
    struct frame fr[SX_MAX_DEPTH + 1];
    int skip; /* depth of the element whose subtree is skipped, or -1 */
    struct pprops pp;
    int trim; /* drop the white space that follows a note's own mark */
};

/* Pages break in the body only, never in notes, headers or footers. */
static void page_break(struct docx *d)
{
    if (d->mode == M_BODY)
        em_page_break(&d->em);
}

static void close_lists(struct docx *d, int cont)
{
    struct frame *c = &d->fr[cont];
    if (c->levels > 0)
        em_pop_to(&d->em, c->list_base[0]);
    c->levels = 0;
}

/* Open the list levels for an item at level `want` (1-based) of list
 * `num` inside container `cont`, and the item itself. */
static void list_item(struct docx *d, int cont, long num, int want, int number)
{
    struct frame *c = &d->fr[cont];
    if (c->levels > 0 && c->list_num != num)
        close_lists(d, cont);
    c->list_num = num;
    if (c->levels >= want) {
        em_pop_to(&d->em, c->list_base[want - 1] + 1); /* keep the list, end its item */
        c->levels = want;
    }
    while (c->levels < want) {
        c->list_base[c->levels] = em_depth(&d->em);
        em_push(&d->em, URA_NODE_LIST, c->levels + 1);
        if (++c->levels < want)
            em_push(&d->em, URA_NODE_LIST_ITEM, 0);
    }
    em_push(&d->em, URA_NODE_LIST_ITEM, number);
}

/* The w:pPr is read (or there was none): open the paragraph's nodes. */
static void decide_paragraph(struct docx *d, int depth)
{
    struct frame *f = &d->fr[depth];
    const struct style *s = find_style(&d->styles, d->pp.style);
    char label[64] = "";
    int number = 0;
    if (f->decided)
        return;
    f->decided = 1;

    int heading = s ? s->heading : 0;
    if (d->pp.outline >= 0)
        heading = d->pp.outline <= 8 ? d->pp.outline + 1 : 0;
    long num = d->pp.num_id >= 0 ? d->pp.num_id : s ? s->r_num : -1;
    int ilvl = d->pp.ilvl >= 0 ? d->pp.ilvl : s && s->r_ilvl >= 0 ? s->r_ilvl : 0;
    if (ilvl > 8)
        ilvl = 8;
    if (num > 0)
        number = count_item(&d->num, num, ilvl, label, sizeof label);

    f->sect_break = (unsigned char)d->pp.sect_break;
    if (d->pp.break_before)
        page_break(d);
    if (heading || num <= 0 || f->cont < 0) {
        if (f->cont >= 0)
            close_lists(d, f->cont);
        f->base = em_depth(&d->em);
        em_push(&d->em, heading ? URA_NODE_HEADING : URA_NODE_PARAGRAPH, heading);
    } else {
        list_item(d, f->cont, num, ilvl + 1, number);
        f->base = em_depth(&d->em); /* the item outlives the paragraph */
    }
    if (label[0]) {
        em_text(&d->em, label, strlen(label));
        em_text(&d->em, " ", 1);
    }
}

static const struct note *find_note(const struct docx *d, int end, long id)
{
    struct note key = {end, id, 0, 0};
    return d->nnotes ? bsearch(&key, d->notes, d->nnotes, sizeof *d->notes, cmp_note) : NULL;
}

/* A run-level element: tab, break, symbol, hyphen. */
static void run_content(struct docx *d, enum el el)
{
    char v[16];
    switch (el) {
    case E_TAB:
        em_text(&d->em, "\t", 1);
        break;
    case E_CR:
        em_text(&d->em, "\n", 1);
        break;
    case E_BR:
        if (!strcmp(w_attr(&d->x, "type", v, sizeof v), "page"))
            page_break(d);
        else
            em_text(&d->em, "\n", 1);
        break;
    case E_NOBREAKHYPHEN: /* the characters ODT and PDF carry for them */
        em_text(&d->em, "\u2011", 3);
        break;
    case E_SOFTHYPHEN:
        em_text(&d->em, "\u00AD", 2);
        break;
    case E_SYM: { /* a symbol-font character: kept unless private use */
        unsigned long c = strtoul(w_attr(&d->x, "char", v, sizeof v), NULL, 16);
        char u[4];
        if (c < 0x20 || (c >= 0xD800 && c <= 0xF8FF) || c > 0xFFFD)
            break;
        if (c < 0x80) {
            u[0] = (char)c;
            em_text(&d->em, u, 1);
        } else if (c < 0x800) {
            u[0] = (char)(0xC0 | c >> 6);
            u[1] = (char)(0x80 | (c & 0x3F));
            em_text(&d->em, u, 2);
        } else {
            u[0] = (char)(0xE0 | c >> 12);
            u[1] = (char)(0x80 | (c >> 6 & 0x3F));
            u[2] = (char)(0x80 | (c & 0x3F));
            em_text(&d->em, u, 3);
        }
        break;
    }
    default:
        break;
    }
}

static void start_element(struct docx *d, int depth, enum el el, int empty)
{
    struct frame *f = &d->fr[depth], *up = depth ? &d->fr[depth - 1] : NULL;
    char v[ID_LEN];
    memset(f, 0, sizeof *f);
    f->el = (unsigned char)el;
    f->cont = up ? up->cont : -1;
    f->base = em_depth(&d->em);
    if (up && up->el == E_P && !up->decided && el != E_PPR)
        decide_paragraph(d, depth - 1);
    f->base = em_depth(&d->em);
    if (depth == 0)
        f->cont = 0; /* the root holds lists that are in no container */

    switch (el) {
    case E_SKIP:
        if (!empty)
            d->skip = depth;
        break;
    case E_BODY:
        f->cont = depth;
        break;
    case E_P:
        memset(&d->pp, 0, sizeof d->pp);
        d->pp.ilvl = d->pp.outline = -1;
        d->pp.num_id = -1;
        break;
    case E_PSTYLE:
        if (up && up->el == E_PPR)
            snprintf(d->pp.style, sizeof d->pp.style, "%s", w_val(&d->x, v, sizeof v));
        break;
    case E_ILVL:
        if (up && up->el == E_NUMPR)
            d->pp.ilvl = (int)to_long(w_val(&d->x, v, sizeof v), 0);
        break;
    case E_NUMID:
        if (up && up->el == E_NUMPR)
            d->pp.num_id = to_long(w_val(&d->x, v, sizeof v), 0);
        break;
    case E_OUTLINELVL:
        if (up && up->el == E_PPR)
            d->pp.outline = (int)to_long(w_val(&d->x, v, sizeof v), 9);
        break;
    case E_PAGEBREAKBEFORE:
        if (up && up->el == E_PPR)
            d->pp.break_before = w_on(&d->x);
        break;
    case E_SECTPR:
        if (up && up->el == E_PPR) /* a section ends with this paragraph */
            d->pp.sect_break = 1;
        else if (!empty)
            d->skip = depth; /* the body's last section: nothing to read */
        break;
    case E_TYPE:
        if (up && up->el == E_SECTPR && !strcmp(w_val(&d->x, v, sizeof v), "continuous"))
            d->pp.sect_break = 0;
        break;
    case E_TBL:
        if (f->cont >= 0)
            close_lists(d, f->cont);
        f->base = em_depth(&d->em);
        em_push(&d->em, URA_NODE_TABLE, 0);
        break;
    case E_TR:
        em_push(&d->em, URA_NODE_ROW, 0);
        break;
    case E_TC:
        em_push(&d->em, URA_NODE_CELL, 0);
        f->cont = depth;
        break;
    case E_TXBX: {
        int in_p = 0;
        for (int i = 0; i < depth; i++)
            in_p |= d->fr[i].el == E_P;
        if (in_p && em_current(&d->em) == EM_LIVE) { /* after its paragraph */
            em_enter(&d->em, EM_AFTER);
            f->entered = 1;
            f->base = em_depth(&d->em);
        }
        em_push(&d->em, URA_NODE_SECTION, 0);
        f->cont = depth;
        break;
    }
    case E_HDRFTR:
        em_push(&d->em, URA_NODE_SECTION, 0);
        f->cont = depth;
        break;
    case E_NOTE:
        if (d->mode != M_NOTES || depth != 1) {
            if (!empty)
                d->skip = depth;
            break;
        }
        w_attr(&d->x, "type", v, sizeof v);
        if (v[0] && strcmp(v, "normal") != 0) { /* separators */
            if (!empty)
                d->skip = depth;
            break;
        }
        f->note_id = to_long(w_attr(&d->x, "id", v, sizeof v), -1);
        f->endnote = !strcmp(sx_local(&d->x), "endnote");
        f->note_from = em_store_pos(&d->em);
        em_push(&d->em, URA_NODE_FOOTNOTE, 0);
        f->cont = depth;
        break;
    case E_FNREF:
    case E_ENREF: {
        if (d->mode == M_NOTES)
            break;
        const struct note *n = find_note(d, el == E_ENREF, to_long(w_attr(&d->x, "id", v, sizeof v), -1));
        if (n) {
            em_enter(&d->em, el == E_ENREF ? EM_AT_END : EM_AFTER);
            em_replay(&d->em, n->from, n->to);
            em_leave(&d->em);
        }
        break;
    }
    case E_LASTPAGEBREAK:
        page_break(d);
        break;
    case E_NOTEMARK:
        d->trim = 1;
        break;
    case E_TAB:
    case E_BR:
    case E_CR:
    case E_SYM:
    case E_NOBREAKHYPHEN:
    case E_SOFTHYPHEN:
        if (up && up->el == E_R)
            run_content(d, el);
        break;
    default:
        break;
    }
}

static void end_element(struct docx *d, int depth)
{
    struct frame *f = &d->fr[depth];
    switch ((enum el)f->el) {
    case E_PPR:
        if (depth > 0 && d->fr[depth - 1].el == E_P)
            decide_paragraph(d, depth - 1);
        break;
    case E_P:
        decide_paragraph(d, depth);
        d->trim = 0;
        em_pop_to(&d->em, f->base);
        if (f->sect_break)
            page_break(d);
        em_flush(&d->em, EM_AFTER); /* notes and text boxes it anchors */
        break;
    case E_BODY:
    case E_TBL:
    case E_TR:
    case E_TC:
    case E_HDRFTR:
        em_pop_to(&d->em, f->base);
        break;
    case E_TXBX:
        em_pop_to(&d->em, f->base);
        if (f->entered)
            em_leave(&d->em);
        break;
    case E_NOTE:
        em_pop_to(&d->em, f->base);
        if (d->nnotes < MAX_NOTES) {
            struct note *n = &d->notes[d->nnotes++];
            n->end = f->endnote;
            n->id = f->note_id;
            n->from = f->note_from;
            n->to = em_store_pos(&d->em);
        } else {
            d->notes_full = 1;
        }
        break;
    default:
        if (depth == 0)
            em_pop_to(&d->em, f->base);
        break;
    }
}

/* Stream one part through the walk.  Returns URA_OK, 0 when the part is
 * missing (as URA_OK), or an error code with sz_error() set. */
static int walk_part(struct docx *d, const char *part, enum mode mode, int *missing)
{
    int rc = sx_open(&d->x, d->zip, part);
    *missing = rc == 0;
    if (rc <= 0) {
        sx_close(&d->x);
        return rc == 0 ? URA_OK : URA_EFILE;
    }
    struct em_mark mark = em_mark(&d->em);
    d->mode = mode;
    d->skip = -1;
    d->trim = 0;
    while ((rc = sx_next(&d->x)) == 1 && !d->em.rc) {
        int type = sx_type(&d->x), depth = sx_depth(&d->x);
        if (d->skip >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && depth == d->skip)
                d->skip = -1;
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = sx_empty(&d->x);
            start_element(d, depth, classify(&d->x), empty);
            if (empty && d->skip < 0)
                end_element(d, depth);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            end_element(d, depth);
        } else if (sx_is_text(type) && depth > 0 && d->fr[depth - 1].el == E_T) {
            const char *s = sx_value(&d->x);
            if (d->trim) { /* leading white space only */
                s += strspn(s, " \t\r\n");
                d->trim = !*s;
            }
            em_text(&d->em, s, strlen(s));
        }
    }
    sx_close(&d->x);
    em_restore(&d->em, mark); /* as the part left it, had it ended well */
    if (d->em.rc)
        return d->em.rc;
    return rc < 0 ? URA_EFILE : URA_OK;
}

/* A part that may be missing or broken without losing the document: its
 * broken XML becomes a warning; the archive's damage or a hostile part
 * ends the file. */
static int walk_optional(struct docx *d, const char *part, enum mode mode)
{
    int missing, rc = walk_part(d, part, mode, &missing);
    if (rc == URA_EFILE && !sz_fatal(d->zip) && !sx_hostile(&d->x)) {
        if (!d->warn[0])
            snprintf(d->warn, sizeof d->warn, "%s", sz_error(d->zip));
        return URA_OK;
    }
    return rc;
}

/* ---- the parts read before the body -------------------------------------------- */

static int read_styles(struct docx *d)
{
    struct sx_reader *x = &d->x;
    struct style *cur = NULL;
    char v[ID_LEN];
    int rc = sx_open(x, d->zip, "word/styles.xml");
    if (rc > 0 && !(d->styles.s = calloc(MAX_STYLES, sizeof *d->styles.s)))
        rc = -1;
    while (rc > 0 && (rc = sx_next(x)) == 1) {
        int type = sx_type(x), depth = sx_depth(x);
        if (type == XML_READER_TYPE_END_ELEMENT && depth == 1)
            cur = NULL;
        if (type != XML_READER_TYPE_ELEMENT || !is_w(sx_ns(x)))
            continue;
        const char *local = sx_local(x);
        if (depth == 1 && !strcmp(local, "style")) {
            cur = NULL;
            if (d->styles.n < MAX_STYLES && !strcmp(w_attr(x, "type", v, sizeof v), "paragraph")) {
                cur = &d->styles.s[d->styles.n++];
                w_attr(x, "styleId", cur->id, sizeof cur->id);
                cur->outline = cur->num_id = cur->ilvl = -1;
                cur->named = level_from_name(cur->id);
            }
        } else if (cur && depth == 2 && !strcmp(local, "name")) {
            int l = level_from_name(w_val(x, v, sizeof v));
            if (l)
                cur->named = l;
        } else if (cur && depth == 2 && !strcmp(local, "basedOn")) {
            w_val(x, cur->based, sizeof cur->based);
        } else if (cur && depth == 3 && !strcmp(local, "outlineLvl")) {
            cur->outline = (int)to_long(w_val(x, v, sizeof v), 9);
        } else if (cur && depth == 4 && !strcmp(local, "numId")) {
            cur->num_id = to_long(w_val(x, v, sizeof v), 0);
        } else if (cur && depth == 4 && !strcmp(local, "ilvl")) {
            cur->ilvl = (int)to_long(w_val(x, v, sizeof v), 0);
        }
    }
    sx_close(x);
    resolve_styles(&d->styles);
    return rc < 0 ? URA_EFILE : URA_OK;
}

static int read_numbering(struct docx *d)
{
    struct sx_reader *x = &d->x;
    struct numbering *nb = &d->num;
    struct abstract_num *a = NULL;
    struct num *n = NULL;
    int l = -1, over = -1;
    char v[40];
    int rc = sx_open(x, d->zip, "word/numbering.xml");
    if (rc > 0 && (!(nb->a = calloc(MAX_ABSTRACT, sizeof *nb->a)) ||
                   !(nb->n = calloc(MAX_NUMS, sizeof *nb->n))))
        rc = -1;
    while (rc > 0 && (rc = sx_next(x)) == 1) {
        int type = sx_type(x), depth = sx_depth(x);
        if (type == XML_READER_TYPE_END_ELEMENT && depth == 1)
            a = NULL, n = NULL;
        if (type != XML_READER_TYPE_ELEMENT || !is_w(sx_ns(x)))
            continue;
        const char *local = sx_local(x);
        if (depth == 1) {
            a = NULL, n = NULL;
            if (!strcmp(local, "abstractNum") && nb->na < MAX_ABSTRACT) {
                a = &nb->a[nb->na++];
                a->id = to_long(w_attr(x, "abstractNumId", v, sizeof v), -1);
                for (int i = 0; i < 9; i++)
                    a->lv[i] = (struct level){1, '1', ""};
            } else if (!strcmp(local, "num") && nb->nn < MAX_NUMS) {
                n = &nb->n[nb->nn++];
                n->id = to_long(w_attr(x, "numId", v, sizeof v), -1);
                n->abstract_id = -1;
                for (int i = 0; i < 9; i++)
                    n->over[i] = -1;
            }
        } else if (a && depth == 2 && !strcmp(local, "lvl")) {
            l = (int)to_long(w_attr(x, "ilvl", v, sizeof v), -1);
        } else if (a && depth == 3 && l >= 0 && l <= 8) {
            if (!strcmp(local, "start"))
                a->lv[l].start = (int)to_long(w_val(x, v, sizeof v), 1);
            else if (!strcmp(local, "numFmt"))
                a->lv[l].fmt = fmt_code(w_val(x, v, sizeof v));
            else if (!strcmp(local, "lvlText"))
                w_val(x, a->lv[l].text, sizeof a->lv[l].text);
        } else if (n && depth == 2 && !strcmp(local, "abstractNumId")) {
            n->abstract_id = to_long(w_val(x, v, sizeof v), -1);
        } else if (n && depth == 2 && !strcmp(local, "lvlOverride")) {
            over = (int)to_long(w_attr(x, "ilvl", v, sizeof v), -1);
        } else if (n && depth == 3 && !strcmp(local, "startOverride") && over >= 0 &&
                   over <= 8) {
            n->over[over] = (int)to_long(w_val(x, v, sizeof v), 1);
        }
    }
    sx_close(x);
    return rc < 0 ? URA_EFILE : URA_OK;
}

/* docProps/core.xml and app.xml: simple elements under the root. */
static int read_props(struct docx *d, const char *part)
{
    static const struct { const char *ns, *local, *key; } map[] = {
        {"http://purl.org/dc/elements/1.1/", "title", "title"},
        {"http://purl.org/dc/elements/1.1/", "creator", "author"},
        {"http://purl.org/dc/elements/1.1/", "subject", "subject"},
        {"http://purl.org/dc/elements/1.1/", "description", "description"},
        {"http://purl.org/dc/elements/1.1/", "language", "language"},
        {"http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
         "keywords", "keywords"},
        {"http://purl.org/dc/terms/", "created", "created"},
        {"http://purl.org/dc/terms/", "modified", "modified"},
        {"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
         "Pages", "pages"},
    };
    struct sx_reader *x = &d->x;
    const char *key = NULL;
    char *buf = malloc(MAX_META + 1);
    size_t n = 0;
    int rc = buf ? sx_open(x, d->zip, part) : -1;
    while (rc > 0 && (rc = sx_next(x)) == 1 && !d->em.rc) {
        int type = sx_type(x), depth = sx_depth(x);
        if (type == XML_READER_TYPE_ELEMENT && depth == 1) {
            key = NULL, n = 0;
            for (size_t i = 0; i < sizeof map / sizeof map[0] && !sx_empty(x); i++)
                if (!strcmp(sx_local(x), map[i].local) && !strcmp(sx_ns(x), map[i].ns))
                    key = map[i].key;
        } else if (type == XML_READER_TYPE_END_ELEMENT && depth == 1 && key) {
            const char *s = office_trim(buf, &n);
            int r = n ? d->em.sink->meta(d->em.sink->ctx, key, s, n) : URA_OK;
            if (r != URA_OK)
                d->em.rc = r;
            key = NULL;
        } else if (key && sx_is_text(type) && depth == 2) {
            const char *s = sx_value(x);
            size_t k = strlen(s);
            if (k > MAX_META - n)
                k = MAX_META - n;
            memcpy(buf + n, s, k);
            n += k;
        }
    }
    sx_close(x);
    free(buf);
    return rc < 0 ? URA_EFILE : URA_OK;
}

/* An optional part read by one of the functions above: broken XML costs
 * that part and a warning; a broken archive or a hostile part, the file. */
static int optional(struct docx *d, int rc)
{
    if (rc == URA_EFILE && !sz_fatal(d->zip) && !sx_hostile(&d->x)) {
        if (!d->warn[0])
            snprintf(d->warn, sizeof d->warn, "%s", sz_error(d->zip));
        return URA_OK;
    }
    return rc;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* word/header1.xml ... then word/footer1.xml ..., in number order */
static int read_headers_footers(struct docx *d)
{
    static const char *const kinds[] = {"header", "footer"};
    int rc = URA_OK;
    for (size_t k = 0; k < 2 && rc == URA_OK && !d->em.rc; k++) {
        long nums[MAX_PARTS];
        size_t n = 0, plen = strlen(kinds[k]);
        for (size_t i = 0; i < sz_count(d->zip) && n < MAX_PARTS; i++) {
            const char *name = sz_name(d->zip, i);
            char *end;
            if (!name || strncasecmp(name, "word/", 5) || strncasecmp(name + 5, kinds[k], plen))
                continue;
            long v = strtol(name + 5 + plen, &end, 10);
            if (end != name + 5 + plen && v >= 0 && office_eq_ci(end, ".xml"))
                nums[n++] = v;
        }
        qsort(nums, n, sizeof *nums, cmp_long);
        for (size_t i = 0; i < n && rc == URA_OK && !d->em.rc; i++) {
            char part[48];
            snprintf(part, sizeof part, "word/%s%ld.xml", kinds[k], nums[i]);
            rc = walk_optional(d, part, M_HDRFTR);
        }
    }
    return rc;
}

/* ---- the plugin ------------------------------------------------------------------ */

static int docx_probe(const unsigned char *head, size_t len)
{
    static const char *const marks[] = {"[Content_Types].xml", "word/"};
    if (len < 4 || memcmp(head, "PK\3\4", 4) != 0)
        return 0;
    for (size_t m = 0; m < 2; m++) {
        size_t k = strlen(marks[m]);
        for (size_t i = 0; i + k <= len; i++)
            if (head[i] == (unsigned char)marks[m][0] && !memcmp(head + i, marks[m], k))
                return 90;
    }
    return 10;
}

static int docx_init(char *err, size_t errlen)
{
    (void)err, (void)errlen;
    xmlInitParser();
    return URA_OK;
}

static int docx_extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                        size_t errlen)
{
    if (!in || in->size < offsetof(struct ura_input, len) + sizeof in->len || !sink ||
        sink->size < offsetof(struct ura_sink, meta) + sizeof sink->meta) {
        office_err(err, errlen, "caller's ABI structures are too small");
        return URA_EPLUGIN;
    }
    struct docx *d = calloc(1, sizeof *d);
    if (!d) {
        office_err(err, errlen, "out of memory");
        return URA_EFILE;
    }
    int rc = sz_open(in->data, in->len, &d->zip, err, errlen);
    if (rc != URA_OK) {
        free(d);
        return rc;
    }
    em_init(&d->em, sink);
    if (sz_find(d->zip, "word/document.xml") < 0) {
        office_err(err, errlen, "not a DOCX document: no word/document.xml");
        rc = URA_EFILE;
        goto out;
    }
    rc = optional(d, read_props(d, "docProps/core.xml"));
    if (rc == URA_OK)
        rc = optional(d, read_props(d, "docProps/app.xml"));
    if (rc == URA_OK)
        rc = optional(d, read_styles(d));
    if (rc == URA_OK)
        rc = optional(d, read_numbering(d));
    if (rc == URA_OK && !(d->notes = calloc(MAX_NOTES, sizeof *d->notes)))
        rc = URA_EFILE;
    if (rc == URA_OK) {
        em_enter(&d->em, EM_STORE);
        rc = walk_optional(d, "word/footnotes.xml", M_NOTES);
        if (rc == URA_OK)
            rc = walk_optional(d, "word/endnotes.xml", M_NOTES);
        em_leave(&d->em);
        if (d->nnotes)
            qsort(d->notes, d->nnotes, sizeof *d->notes, cmp_note);
    }
    if (rc == URA_OK) {
        int missing;
        rc = walk_part(d, "word/document.xml", M_BODY, &missing);
        if (rc == URA_EFILE && !sz_fatal(d->zip) && !sx_hostile(&d->x) &&
            d->em.page_open) { /* broken XML after some text: keep what came */
            snprintf(d->warn, sizeof d->warn, "%s; the rest of the document was dropped",
                     sz_error(d->zip));
            rc = URA_OK;
        }
    }
    if (rc == URA_OK) {
        em_pop_to(&d->em, 0);
        em_flush(&d->em, EM_AFTER);
        em_flush(&d->em, EM_AT_END);
        em_cancel_break(&d->em); /* a break after the last paragraph ends nothing */
        rc = read_headers_footers(d);
    }
    if (rc == URA_OK)
        rc = em_finish(&d->em);
    if (d->em.rc) {
        rc = d->em.rc; /* the sink has set the message */
    } else if (rc != URA_OK) {
        office_err(err, errlen, "%s", *sz_error(d->zip) ? sz_error(d->zip) : "out of memory");
    } else if (d->warn[0]) {
        office_err(err, errlen, "%s", d->warn);
        rc = URA_WARN;
    } else if (d->em.lost || d->notes_full) {
        office_err(err, errlen, "notes or text boxes too large: some of their text was dropped");
        rc = URA_WARN;
    }
out:
    em_free(&d->em);
    sz_close(d->zip);
    free(d->styles.s);
    free(d->num.a);
    free(d->num.n);
    free(d->notes);
    free(d);
    return rc;
}

static const char *const docx_mime_types[] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL};
static const char *const docx_extensions[] = {"docx", NULL};

static const struct ura_plugin docx_plugin = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin),
    "docx", "1.0", "DOCX via libxml2 over libzip",
    docx_mime_types, docx_extensions,
    docx_probe, docx_init, NULL, docx_extract,
};

URA_PLUGIN_DECLARE(docx_plugin)
