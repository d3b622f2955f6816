/* doc.h — the document model: what the sink collects from a plugin's
 * events.  The sink checks the event stream (balance, depth, UTF-8, size)
 * and keeps both the events (for `ura extract --json`) and the text
 * blocks that passages are built from.  Private to libura. */
#ifndef URA_DOC_H
#define URA_DOC_H

#include <stddef.h>

#include "ura/plugin.h"
#include "ura/ura.h"
#include "util.h"

/* Limits the sink enforces on every plugin. */
#define URA_DOC_MAX_DEPTH 256             /* nested begin() calls          */
#define URA_DOC_MAX_TEXT (64u << 20)      /* bytes of text kept            */
#define URA_DOC_MAX_EVENTS (8u << 20)     /* begin/end/text events         */
#define URA_DOC_MAX_META 4096             /* bytes of one metadata value   */

enum ura_ev_type { URA_EV_BEGIN = 1, URA_EV_END, URA_EV_TEXT };

typedef struct ura_event {
    enum ura_ev_type type;
    enum ura_node kind; /* BEGIN, END                                     */
    int level;          /* BEGIN                                          */
    int lang;           /* BEGIN: index into doc->langs, or -1            */
    size_t off, len;    /* TEXT: bytes in doc->text                       */
} ura_event;

/* A text-bearing block, in document order. */
typedef struct ura_block {
    enum ura_node kind; /* HEADING, PARAGRAPH, LIST_ITEM, CELL, FOOTNOTE  */
    int level;          /* heading level                                  */
    int lang;           /* effective language: index into doc->langs, -1  */
    int page;           /* page number, 0 when the format has none        */
    size_t off, len;    /* its text in doc->text                          */
} ura_block;

typedef struct ura_meta {
    char *key, *value; /* owned by the doc */
} ura_meta;

struct ura_doc {
    char *path;           /* owned                                         */
    char *plugin;         /* owned: the plugin's name                      */
    char *plugin_version; /* owned                                         */
    int status;           /* URA_OK or URA_WARN after extraction           */
    char *warning;        /* owned, NULL unless status is URA_WARN         */
    ura_buf text;         /* all text; events and blocks point into it     */
    ura_event *events;
    size_t nevents, capevents;
    ura_block *blocks;
    size_t nblocks, capblocks;
    ura_meta *meta;
    size_t nmeta;
    char **langs;         /* interned language tags as given, owned        */
    size_t nlangs;
};

/* Collecting state while a plugin runs; lives on the caller's stack. */
typedef struct ura_doc_sink {
    struct ura_sink sink; /* what the plugin gets: ctx points here          */
    ura_doc *doc;
    enum ura_node stack[URA_DOC_MAX_DEPTH];
    int stack_lang[URA_DOC_MAX_DEPTH];
    int stack_page[URA_DOC_MAX_DEPTH];
    size_t depth;
    int last_page;
    long cur_block;       /* block that text goes to, or -1          */
    int blocked;          /* a limit was hit: the code to keep returning     */
    size_t utf8_repairs;  /* invalid UTF-8 bytes replaced by U+FFFD in text
                             and metadata (`ura plugin-check` reports them) */
    char err[256];        /* the sink's own reason when it returned non-OK   */
} ura_doc_sink;

/* Make an empty doc (owned by the caller, ura_doc_free()) and a sink that
 * fills it. */
ura_doc *ura_doc_new(const char *path, const char *plugin, const char *version);
void ura_doc_sink_init(ura_doc_sink *s, ura_doc *d);
/* After extract() returned: close what the plugin left open and build the
 * blocks.  Call once. */
void ura_doc_sink_finish(ura_doc_sink *s);

/* Borrowed value of a metadata key, or NULL. */
const char *ura_doc_meta(const ura_doc *d, const char *key);
/* Borrowed language tag for an index from a block or event, or NULL. */
const char *ura_doc_lang(const ura_doc *d, int lang);

const char *ura_node_name(enum ura_node kind);

#endif
