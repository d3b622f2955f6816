/* ura/plugin.h — the plugin ABI: the only header a format plugin sees.
 *
 * A format plugin turns the bytes of one file into a stream of structure
 * events (pages, headings, paragraphs, list items, tables, footnotes, text
 * runs and metadata).  The core calls the plugin; the plugin calls back into
 * a sink that the core passes in.  Nothing else crosses the boundary.
 *
 * A plugin is a shared object that exports exactly one function,
 * URA_PLUGIN_ENTRY_NAME ("ura_plugin_entry"), returning a pointer to a
 * `static const struct ura_plugin`.  Write it with URA_PLUGIN_DECLARE():
 *
 *     static const struct ura_plugin my_plugin = {
 *         URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin),
 *         "rtf", "0.1", "RTF via librtf", mime_types, extensions,
 *         rtf_probe, NULL, NULL, rtf_extract,
 *     };
 *     URA_PLUGIN_DECLARE(my_plugin)
 *
 * Rules that hold for every function below:
 *   - Plugins link only their format library.  They never link libura and
 *     never allocate anything the core must free; the core never frees what
 *     a plugin allocated.
 *   - Every pointer the core passes to the plugin is borrowed for the
 *     duration of that call only.  Every pointer the plugin passes to the
 *     sink is borrowed for the duration of that sink call only: the core
 *     copies what it keeps.
 *   - Text is UTF-8, passed as pointer plus length, never relying on a NUL.
 *     The core repairs invalid UTF-8 (U+FFFD) but a plugin should not
 *     produce it.
 *   - Limits (output bytes, nesting depth, time, memory) are the core's job.
 *     When one is hit the sink returns non-OK; the plugin must then stop at
 *     once and return that same code.
 *   - The core may call extract() for several files one after another in
 *     the same process, never concurrently from two threads.
 *
 * Fields of struct ura_plugin and struct ura_sink are only ever appended;
 * each struct carries its own size so that either side can tell which
 * fields the other one knows.
 */
#ifndef URA_PLUGIN_H
#define URA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes.  Bumped when fields are appended.  The
 * core refuses a plugin whose abi_version is greater than its own. */
#define URA_PLUGIN_ABI_VERSION 1u

/* The one symbol a plugin exports. */
#define URA_PLUGIN_ENTRY_NAME "ura_plugin_entry"

/* Return codes: the error ladder, shared by plugins and sink.
 *   URA_OK      done, everything extracted.
 *   URA_WARN    partial success: what was emitted is usable (truncated,
 *               damaged but readable); the message says what was lost.
 *   URA_EFILE   this file failed; the message says why ("encrypted",
 *               "not a PDF: ...").  The next file may succeed.
 *   URA_EPLUGIN the plugin itself is unusable (init failed, library
 *               missing); the core stops using it for this run.
 */
enum ura_rc {
    URA_OK = 0,
    URA_WARN = 1,
    URA_EFILE = 2,
    URA_EPLUGIN = 3
};

/* Kinds of structure.  begin()/end() calls nest and must balance. */
enum ura_node {
    URA_NODE_PAGE = 1,      /* level: page number, 1-based, increasing   */
    URA_NODE_HEADING = 2,   /* level: 1 (title, top) .. 9                */
    URA_NODE_PARAGRAPH = 3,
    URA_NODE_LIST = 4,      /* level: nesting depth of lists, from 1     */
    URA_NODE_LIST_ITEM = 5, /* level: item number where known, else 0    */
    URA_NODE_TABLE = 6,
    URA_NODE_ROW = 7,
    URA_NODE_CELL = 8,
    URA_NODE_FOOTNOTE = 9,
    URA_NODE_SECTION = 10   /* a generic container, e.g. a <section>     */
};

/* The sink: how a plugin reports structure.  Filled by the core; the
 * plugin only calls through it.  Every function returns URA_OK to go on;
 * anything else means "stop now and return this code from extract()".
 * `ctx` is the core's and must be passed back unchanged. */
struct ura_sink {
    uint32_t size; /* sizeof(struct ura_sink) as the core compiled it */
    void *ctx;

    /* Open a structure node.  `lang` is a BCP 47 tag for the node's
     * language (from a lang attribute, xml:lang, ...) or NULL to inherit
     * the enclosing node's; borrowed for this call. */
    int (*begin)(void *ctx, enum ura_node kind, int level, const char *lang);

    /* Close the innermost open node; `kind` must match its begin(). */
    int (*end)(void *ctx, enum ura_node kind);

    /* A run of text inside the innermost open node (or at top level).
     * Consecutive runs are concatenated as given: a plugin emits the
     * spaces and newlines it wants between words. */
    int (*text)(void *ctx, const char *z, size_t n);

    /* A metadata pair.  Keys in use: "title", "author", "subject",
     * "keywords", "description", "date", "created", "modified",
     * "language", "pages".  Unknown keys are kept as they are.  A key
     * given again replaces the earlier value. */
    int (*meta)(void *ctx, const char *key, const char *z, size_t n);
};

/* One input file, as the core hands it over.  All fields are borrowed for
 * the duration of extract(). */
struct ura_input {
    uint32_t size;             /* sizeof(struct ura_input)                */
    const char *path;          /* for messages only; do not open it       */
    const unsigned char *data; /* the whole file, read-only               */
    size_t len;
    int fd;                    /* the same file, open read-only, or -1    */
};

/* The descriptor.  Must be `static const`: the core reads it for as long
 * as the plugin is loaded and never writes or frees it. */
struct ura_plugin {
    uint32_t abi_version; /* URA_PLUGIN_ABI_VERSION the plugin was built with */
    uint32_t size;        /* sizeof(struct ura_plugin) the plugin was built with */

    const char *name;        /* short unique format name: "html", "pdf"   */
    const char *version;     /* the plugin's own version                   */
    const char *description; /* one line: format and library               */
    const char *const *mime_types; /* NULL-terminated list, may be NULL    */
    const char *const *extensions; /* NULL-terminated, lowercase, no dot   */

    /* Score how likely `head` (the first `len` bytes of a file, len may be
     * 0) is a file this plugin reads: 0 = no, 100 = certain.  Must be
     * cheap, must not keep `head`.  The core adds its own weight for a
     * matching file extension. */
    int (*probe)(const unsigned char *head, size_t len);

    /* Optional (may be NULL).  Called once after loading, before any
     * extract().  On failure return URA_EPLUGIN and write a message of at
     * most errlen-1 bytes into err (always NUL-terminated). */
    int (*init)(char *err, size_t errlen);

    /* Optional (may be NULL).  Called once before unloading, only if
     * init() succeeded or was NULL. */
    void (*shutdown)(void);

    /* Extract one file into the sink.  Returns a code from enum ura_rc.
     * For anything but URA_OK, write a one-line reason (no file name: the
     * core adds it) of at most errlen-1 bytes into err, NUL-terminated.
     * When a sink call returns non-OK, return that code at once; the core
     * has already set the message.  Open nodes need not be closed after an
     * error.  Must not keep any pointer from `in` or `sink` past return. */
    int (*extract)(const struct ura_input *in, const struct ura_sink *sink,
                   char *err, size_t errlen);
};

/* The smallest descriptor the core accepts: one that reaches `extract`. */
#define URA_PLUGIN_MIN_SIZE \
    (offsetof(struct ura_plugin, extract) + sizeof(void (*)(void)))

typedef const struct ura_plugin *(*ura_plugin_entry_fn)(void);

#if defined(__GNUC__)
#define URA_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define URA_PLUGIN_EXPORT
#endif

/* Defines the entry point returning `desc` (a static const descriptor). */
#define URA_PLUGIN_DECLARE(desc)                                   \
    URA_PLUGIN_EXPORT const struct ura_plugin *ura_plugin_entry(void); \
    URA_PLUGIN_EXPORT const struct ura_plugin *ura_plugin_entry(void)  \
    {                                                              \
        return &(desc);                                            \
    }

#ifdef __cplusplus
}
#endif

#endif /* URA_PLUGIN_H */
