/* doc.c — the sink a plugin writes into, and the document it builds.
 *
 * The sink is the trust boundary: it checks that begin/end balance, that
 * nesting and output stay inside the limits of doc.h, and repairs invalid
 * UTF-8, so nothing after it has to distrust a plugin's output. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"

static const char *const node_names[] = {
    [URA_NODE_PAGE] = "page",         [URA_NODE_HEADING] = "heading",
    [URA_NODE_PARAGRAPH] = "paragraph", [URA_NODE_LIST] = "list",
    [URA_NODE_LIST_ITEM] = "item",    [URA_NODE_TABLE] = "table",
    [URA_NODE_ROW] = "row",           [URA_NODE_CELL] = "cell",
    [URA_NODE_FOOTNOTE] = "footnote", [URA_NODE_SECTION] = "section",
};

const char *ura_node_name(enum ura_node kind)
{
    if ((size_t)kind < sizeof node_names / sizeof node_names[0] && node_names[kind])
        return node_names[kind];
    return "unknown";
}

static int node_valid(int kind)
{
    return kind >= URA_NODE_PAGE && kind <= URA_NODE_SECTION;
}

/* Nodes whose text forms a block of its own. */
static int node_is_block(enum ura_node kind)
{
    return kind == URA_NODE_HEADING || kind == URA_NODE_PARAGRAPH ||
           kind == URA_NODE_LIST_ITEM || kind == URA_NODE_CELL ||
           kind == URA_NODE_FOOTNOTE;
}

ura_doc *ura_doc_new(const char *path, const char *plugin, const char *version)
{
    ura_doc *d = ura_xcalloc(1, sizeof *d);
    d->path = ura_xstrdup(path);
    d->plugin = ura_xstrdup(plugin ? plugin : "");
    d->plugin_version = ura_xstrdup(version ? version : "");
    return d;
}

void ura_doc_free(ura_doc *d)
{
    if (!d)
        return;
    free(d->path);
    free(d->plugin);
    free(d->plugin_version);
    free(d->warning);
    ura_buf_free(&d->text);
    free(d->events);
    free(d->blocks);
    for (size_t i = 0; i < d->nmeta; i++) {
        free(d->meta[i].key);
        free(d->meta[i].value);
    }
    free(d->meta);
    for (size_t i = 0; i < d->nlangs; i++)
        free(d->langs[i]);
    free(d->langs);
    free(d);
}

const char *ura_doc_meta(const ura_doc *d, const char *key)
{
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].key, key) == 0)
            return d->meta[i].value;
    return NULL;
}

const char *ura_doc_lang(const ura_doc *d, int lang)
{
    return lang >= 0 && (size_t)lang < d->nlangs ? d->langs[lang] : NULL;
}

/* ---- the sink ---- */

static int sink_fail(ura_doc_sink *s, int rc, const char *msg)
{
    if (!s->blocked) {
        s->blocked = rc;
        snprintf(s->err, sizeof s->err, "%s", msg);
    }
    return s->blocked;
}

static ura_event *push_event(ura_doc_sink *s)
{
    ura_doc *d = s->doc;
    if (d->nevents == d->capevents) {
        d->capevents = d->capevents ? d->capevents * 2 : 256;
        d->events = ura_xrealloc(d->events, d->capevents * sizeof *d->events);
    }
    ura_event *e = &d->events[d->nevents++];
    memset(e, 0, sizeof *e);
    e->lang = -1;
    return e;
}

/* Intern a language tag (kept as given, at most 35 bytes of [A-Za-z0-9-]). */
static int intern_lang(ura_doc *d, const char *lang)
{
    char tag[36];
    size_t n = 0;
    for (const char *p = lang; *p && n < sizeof tag - 1; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_')
            tag[n++] = c == '_' ? '-' : c;
        else
            break;
    }
    tag[n] = '\0';
    if (n == 0)
        return -1;
    for (size_t i = 0; i < d->nlangs; i++)
        if (strcmp(d->langs[i], tag) == 0)
            return (int)i;
    if (d->nlangs >= 1024)
        return -1;
    d->langs = ura_xrealloc(d->langs, (d->nlangs + 1) * sizeof *d->langs);
    d->langs[d->nlangs] = ura_xstrdup(tag);
    return (int)d->nlangs++;
}

static int limit_events(ura_doc_sink *s)
{
    if (s->doc->nevents >= URA_DOC_MAX_EVENTS)
        return sink_fail(s, URA_WARN, "output truncated: too many structure events");
    return URA_OK;
}

static int sink_begin(void *ctx, enum ura_node kind, int level, const char *lang)
{
    ura_doc_sink *s = ctx;
    if (s->blocked)
        return s->blocked;
    if (!node_valid((int)kind))
        return sink_fail(s, URA_EFILE, "plugin error: begin() of an unknown node kind");
    if (s->depth >= URA_DOC_MAX_DEPTH)
        return sink_fail(s, URA_EFILE, "structure nested deeper than 256 levels");
    if (limit_events(s))
        return s->blocked;
    int parent_lang = s->depth ? s->stack_lang[s->depth - 1] : -1;
    int parent_page = s->depth ? s->stack_page[s->depth - 1] : 0;
    int l = lang && *lang ? intern_lang(s->doc, lang) : -1;
    if (kind == URA_NODE_HEADING)
        level = level < 1 ? 1 : level > 9 ? 9 : level;
    else if (level < 0)
        level = 0;
    if (kind == URA_NODE_PAGE) {
        if (s->last_page >= 1000000)
            return sink_fail(s, URA_EFILE, "more than 1000000 pages");
        if (level <= s->last_page || level > 1000000)
            level = s->last_page + 1; /* pages only go forward */
        s->last_page = level;
        parent_page = level;
    }
    ura_event *e = push_event(s);
    e->type = URA_EV_BEGIN;
    e->kind = kind;
    e->level = level;
    e->lang = l;
    s->stack[s->depth] = kind;
    s->stack_lang[s->depth] = l >= 0 ? l : parent_lang;
    s->stack_page[s->depth] = parent_page;
    s->depth++;
    s->cur_block = -1;
    return URA_OK;
}

static int sink_end(void *ctx, enum ura_node kind)
{
    ura_doc_sink *s = ctx;
    if (s->blocked)
        return s->blocked;
    if (s->depth == 0 || s->stack[s->depth - 1] != kind) {
        char msg[128];
        snprintf(msg, sizeof msg, "plugin error: end(%s) does not match begin(%s)",
                 ura_node_name(kind),
                 s->depth ? ura_node_name(s->stack[s->depth - 1]) : "nothing");
        return sink_fail(s, URA_EFILE, msg);
    }
    if (limit_events(s))
        return s->blocked;
    ura_event *e = push_event(s);
    e->type = URA_EV_END;
    e->kind = kind;
    s->depth--;
    s->cur_block = -1;
    return URA_OK;
}

static int sink_text(void *ctx, const char *z, size_t n)
{
    ura_doc_sink *s = ctx;
    ura_doc *d = s->doc;
    if (s->blocked)
        return s->blocked;
    if (n == 0)
        return URA_OK;
    if (d->text.n >= URA_DOC_MAX_TEXT)
        return sink_fail(s, URA_WARN, "output truncated at 64 MiB of text");
    int truncated = 0;
    if (n > URA_DOC_MAX_TEXT - d->text.n) {
        n = URA_DOC_MAX_TEXT - d->text.n;
        while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80)
            n--; /* cut at a character boundary */
        truncated = 1;
    }
    size_t off = d->text.n;
    s->utf8_repairs += ura_utf8_clean(&d->text, z, n);
    size_t len = d->text.n - off;

    ura_event *last = d->nevents ? &d->events[d->nevents - 1] : NULL;
    if (last && last->type == URA_EV_TEXT && last->off + last->len == off) {
        last->len += len;
    } else {
        if (limit_events(s))
            return s->blocked;
        ura_event *e = push_event(s);
        e->type = URA_EV_TEXT;
        e->off = off;
        e->len = len;
    }

    if (s->cur_block < 0) {
        enum ura_node kind = URA_NODE_PARAGRAPH;
        int level = 0;
        /* The innermost block decides, except that anything inside a
         * footnote is footnote text. */
        int found = 0;
        for (size_t i = s->depth; i-- > 0;) {
            if (s->stack[i] == URA_NODE_FOOTNOTE) {
                kind = URA_NODE_FOOTNOTE;
                break;
            }
            if (!found && node_is_block(s->stack[i])) {
                kind = s->stack[i];
                found = 1;
            }
        }
        if (kind == URA_NODE_HEADING) {
            for (size_t i = d->nevents; i-- > 0;)
                if (d->events[i].type == URA_EV_BEGIN &&
                    d->events[i].kind == URA_NODE_HEADING) {
                    level = d->events[i].level;
                    break;
                }
        }
        if (d->nblocks == d->capblocks) {
            d->capblocks = d->capblocks ? d->capblocks * 2 : 64;
            d->blocks = ura_xrealloc(d->blocks, d->capblocks * sizeof *d->blocks);
        }
        ura_block *b = &d->blocks[d->nblocks];
        b->kind = kind;
        b->level = level;
        b->lang = s->depth ? s->stack_lang[s->depth - 1] : -1;
        b->page = s->depth ? s->stack_page[s->depth - 1] : s->last_page;
        b->off = off;
        b->len = 0;
        s->cur_block = (long)d->nblocks++;
    }
    d->blocks[s->cur_block].len += len;
    if (truncated)
        return sink_fail(s, URA_WARN, "output truncated at 64 MiB of text");
    return URA_OK;
}

static int sink_meta(void *ctx, const char *key, const char *z, size_t n)
{
    ura_doc_sink *s = ctx;
    ura_doc *d = s->doc;
    if (s->blocked)
        return s->blocked;
    if (!key || !*key)
        return URA_OK;
    if (d->nmeta >= 256)
        return URA_OK; /* ignore a flood of metadata */
    if (n > URA_DOC_MAX_META) {
        n = URA_DOC_MAX_META;
        while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80)
            n--; /* cut at a character boundary */
    }
    ura_buf v = {0};
    s->utf8_repairs += ura_utf8_clean(&v, z, n);
    char *val = ura_buf_steal(&v, NULL);
    /* Keys: at most 64 bytes, cleaned like values. */
    size_t kn = strnlen(key, 64);
    while (kn > 0 && key[kn] && ((unsigned char)key[kn] & 0xC0) == 0x80)
        kn--;
    ura_buf kb = {0};
    s->utf8_repairs += ura_utf8_clean(&kb, key, kn);
    char *k = ura_buf_steal(&kb, NULL);
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].key, k) == 0) {
            free(d->meta[i].value);
            d->meta[i].value = val;
            free(k);
            return URA_OK;
        }
    d->meta = ura_xrealloc(d->meta, (d->nmeta + 1) * sizeof *d->meta);
    d->meta[d->nmeta].key = k;
    d->meta[d->nmeta].value = val;
    d->nmeta++;
    return URA_OK;
}

void ura_doc_sink_init(ura_doc_sink *s, ura_doc *d)
{
    memset(s, 0, sizeof *s);
    s->doc = d;
    s->cur_block = -1;
    s->sink.size = sizeof s->sink;
    s->sink.ctx = s;
    s->sink.begin = sink_begin;
    s->sink.end = sink_end;
    s->sink.text = sink_text;
    s->sink.meta = sink_meta;
}

void ura_doc_sink_finish(ura_doc_sink *s)
{
    /* Close what the plugin left open, so the event stream balances. */
    while (s->depth > 0) {
        ura_event *e = push_event(s);
        e->type = URA_EV_END;
        e->kind = s->stack[--s->depth];
    }
    s->cur_block = -1;
}

/* ---- output ---- */

char *ura_doc_text(const ura_doc *d)
{
    ura_buf b = {0};
    const char *title = ura_doc_meta(d, "title");
    int page = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const ura_block *bl = &d->blocks[i];
        if (bl->page != page) {
            page = bl->page;
            if (page)
                ura_buf_printf(&b, "[page %d]\n\n", page);
        }
        if (bl->kind == URA_NODE_HEADING) {
            for (int k = 0; k < (bl->level > 0 ? bl->level : 1) && k < 6; k++)
                ura_buf_addc(&b, '#');
            ura_buf_addc(&b, ' ');
        } else if (bl->kind == URA_NODE_LIST_ITEM) {
            ura_buf_adds(&b, "- ");
        }
        ura_buf_add(&b, d->text.p + bl->off, bl->len);
        ura_buf_adds(&b, "\n\n");
    }
    if (b.n == 0 && title)
        ura_buf_printf(&b, "# %s\n", title);
    return ura_buf_steal(&b, NULL);
}

char *ura_doc_json(const ura_doc *d)
{
    ura_buf b = {0};
    ura_buf_adds(&b, "{\"path\": ");
    ura_json_str(&b, d->path, strlen(d->path));
    ura_buf_adds(&b, ", \"plugin\": ");
    ura_json_str(&b, d->plugin, strlen(d->plugin));
    ura_buf_printf(&b, ", \"status\": \"%s\"", d->status == URA_WARN ? "warn" : "ok");
    if (d->warning) {
        ura_buf_adds(&b, ", \"warning\": ");
        ura_json_str(&b, d->warning, strlen(d->warning));
    }
    ura_buf_adds(&b, ",\n \"meta\": {");
    for (size_t i = 0; i < d->nmeta; i++) {
        ura_buf_adds(&b, i ? ", " : "");
        ura_json_str(&b, d->meta[i].key, strlen(d->meta[i].key));
        ura_buf_adds(&b, ": ");
        ura_json_str(&b, d->meta[i].value, strlen(d->meta[i].value));
    }
    ura_buf_adds(&b, "},\n \"events\": [");
    for (size_t i = 0; i < d->nevents; i++) {
        const ura_event *e = &d->events[i];
        ura_buf_adds(&b, i ? ",\n  " : "\n  ");
        switch (e->type) {
        case URA_EV_BEGIN:
            ura_buf_printf(&b, "{\"begin\": \"%s\"", ura_node_name(e->kind));
            if (e->level)
                ura_buf_printf(&b, ", \"level\": %d", e->level);
            if (e->lang >= 0) {
                ura_buf_adds(&b, ", \"lang\": ");
                ura_json_str(&b, d->langs[e->lang], strlen(d->langs[e->lang]));
            }
            ura_buf_addc(&b, '}');
            break;
        case URA_EV_END:
            ura_buf_printf(&b, "{\"end\": \"%s\"}", ura_node_name(e->kind));
            break;
        case URA_EV_TEXT:
            ura_buf_adds(&b, "{\"text\": ");
            ura_json_str(&b, d->text.p + e->off, e->len);
            ura_buf_addc(&b, '}');
            break;
        }
    }
    ura_buf_adds(&b, "\n ]}\n");
    return ura_buf_steal(&b, NULL);
}
