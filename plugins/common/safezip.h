/* safezip.h — what the office plugins (DOCX, ODT) share, compiled into each:
 * a ZIP reader for untrusted archives, an XML reader over one of its
 * entries, and the structure emitter both formats write through.
 *
 * Nothing here is ura's core: the plugins never link libura.  All three
 * parts hold their limits themselves, so a hostile file costs bounded time
 * and memory whatever it claims:
 *
 *   ZIP   libzip, opened from memory with consistency checks, after our own
 *         walk of the central directory refuses more than SZ_MAX_ENTRIES
 *         entries, duplicate names (ignoring ASCII case, as OPC does) and
 *         entries whose data overlap.  Entries are streamed in chunks and
 *         their inflated bytes counted against a per-entry cap, a total
 *         cap and a compression-ratio cap.
 *   XML   libxml2's streaming reader fed from that stream, through a byte
 *         lexer that refuses what would make libxml2 work out of
 *         proportion: a DOCTYPE (so no entities, internal or external),
 *         floods of attributes, comments or distinct names.  No entity
 *         substitution, no network, at most SX_MAX_DEPTH nested elements;
 *         UTF-16 parts are read as UTF-8.
 *   OUT   a logical stack of structure nodes that opens nodes lazily (an
 *         empty paragraph never reaches the sink), splits every open node
 *         around a page break so that pages stay outermost, and can record
 *         events for later (notes and text boxes, placed after the
 *         paragraph that anchors them).
 *
 * Errors: every function that can fail leaves a one-line message in the
 * archive (sz_error()), without the file name; the plugin copies it into
 * its err buffer. */
#ifndef URA_SAFEZIP_H
#define URA_SAFEZIP_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlreader.h>

#include "ura/plugin.h"

/* ---- ZIP ---------------------------------------------------------------- */

#define SZ_MAX_ENTRIES 10000u
#define SZ_MAX_ENTRY_BYTES (64u << 20)  /* inflated bytes of one entry    */
#define SZ_MAX_TOTAL_BYTES (256u << 20) /* inflated bytes of all reads    */
#define SZ_MAX_RATIO 100u               /* inflated : compressed ...      */
#define SZ_RATIO_FLOOR (1u << 20)       /* ... checked once past this     */

struct sz_archive;
struct sz_stream;

/* Open the archive in data[0..len) (borrowed: it must outlive the
 * archive).  Returns URA_OK with *out set, or URA_EFILE with *out NULL and
 * the reason in err.  The archive is the caller's: sz_close() it. */
int sz_open(const unsigned char *data, size_t len, struct sz_archive **out, char *err,
            size_t errlen);
void sz_close(struct sz_archive *z);

/* The last error ("" if none); owned by the archive. */
const char *sz_error(const struct sz_archive *z);
/* Was that error the archive's own (damage, a cap, encryption), as
 * opposed to the XML inside an entry?  The former ends the file. */
int sz_fatal(const struct sz_archive *z);

/* Entry lookup, ignoring ASCII case.  -1 if there is no such entry. */
long sz_find(struct sz_archive *z, const char *name);
size_t sz_count(const struct sz_archive *z);
/* The name of entry i, owned by the archive, or NULL. */
const char *sz_name(struct sz_archive *z, size_t i);

/* Stream entry `name`.  NULL if it does not exist (sz_error() "") or
 * cannot be read (sz_error() says why).  Close with sz_stream_close(). */
struct sz_stream *sz_stream_open(struct sz_archive *z, const char *name);
/* Up to n inflated bytes into buf: the count, 0 at the end, -1 on error
 * (damage, or a cap reached: sz_error() says which). */
long sz_stream_read(struct sz_stream *s, void *buf, size_t n);
void sz_stream_close(struct sz_stream *s);

/* A whole small entry into buf (at most cap bytes; longer is an error).
 * Returns URA_OK, or URA_EFILE (sz_error() set, "" if it is missing). */
int sz_read_small(struct sz_archive *z, const char *name, char *buf, size_t cap,
                  size_t *n);

/* ---- XML over one entry --------------------------------------------------- */

#define SX_MAX_DEPTH 256   /* element nesting, as libxml2's own default      */
#define SX_MAX_ATTRS 256   /* attributes of one element                     */
#define SX_MAX_MARKS 10000 /* comments and processing instructions a part    */
#define SX_MAX_NAMES 10000 /* distinct names and namespace URIs a part       */

/* One XML part being read.  Fields are private to safezip.c. */
struct sx_reader {
    xmlTextReaderPtr r;
    struct sz_archive *zip;
    struct sz_stream *in;
    char part[128];   /* the entry name, for messages */
    char xmlerr[256]; /* libxml2's first error        */
    int refused;      /* why the guard stopped the part, or 0 */
    /* the encoding, from the first bytes */
    int enc;
    unsigned char head[4], carry[2], pend[16];
    size_t nhead, ihead, ncarry, npend, ipend;
    uint32_t high; /* a UTF-16 high surrogate waiting for its pair */
    /* the byte guard's lexer */
    int lx, lx_i, attrs, ns_i, is_ns;
    unsigned char quote;
    uint64_t h;
    unsigned long marks;
    uint64_t *names; /* SX_NAME_SLOTS hashes */
    size_t nnames;
};

/* Open part `name` of z.  Returns 1 when open, 0 when there is no such
 * part, -1 on error (sz_error() says why).  Close with sx_close() either
 * way. */
int sx_open(struct sx_reader *x, struct sz_archive *z, const char *name);
/* The next node: 1, or 0 at the end of the part, or -1 on error: the
 * message is in sz_error(), prefixed by the part's name where it is
 * about the XML. */
int sx_next(struct sx_reader *x);
void sx_close(struct sx_reader *x);
/* Did the part fail for looking hostile (a DOCTYPE, nesting too deep, a
 * flood of attributes, comments or names), rather than for being broken? */
int sx_hostile(const struct sx_reader *x);

/* The current node, valid until the next sx_next(). */
int sx_type(struct sx_reader *x);  /* XML_READER_TYPE_*                 */
int sx_depth(struct sx_reader *x); /* 0 for the root element            */
int sx_empty(struct sx_reader *x); /* an element written <a/>            */
const char *sx_local(struct sx_reader *x);
const char *sx_ns(struct sx_reader *x); /* "" without a namespace       */
const char *sx_value(struct sx_reader *x); /* text of a text node       */
/* The attribute {ns}local copied into buf (cap > 0, NUL-terminated, cut
 * at cap-1 bytes); returns its length, or -1 when absent. */
long sx_attr(struct sx_reader *x, const char *ns, const char *local, char *buf,
             size_t cap);
/* Is text a text-bearing node type (text, CDATA, whitespace)? */
int sx_is_text(int type);

/* ---- Structure out -------------------------------------------------------- */

#define EM_MAX_DEPTH 200               /* logical nodes kept open        */
#define EM_MAX_RECORD_TEXT (16u << 20) /* bytes one recording may hold   */
#define EM_MAX_RECORD_EVENTS (1u << 20)

/* Where events go.  EM_LIVE is the sink; the others record for later:
 * EM_AFTER    replayed after the paragraph being read (em_flush_after()),
 * EM_AT_END   replayed at the end of the body (em_flush_end()),
 * EM_STORE    kept for em_replay() (DOCX notes, read before the body). */
enum em_target { EM_LIVE = 0, EM_AFTER, EM_AT_END, EM_STORE, EM_NTARGETS };

struct em_event { /* a recorded begin, end, text or replay */
    uint32_t type : 3, kind : 5;
    int32_t level;
    uint32_t off, len; /* text: bytes in the recording; replay: store events */
};

struct em_node {
    enum ura_node kind;
    int level;
};

/* A logical stack: nodes past EM_MAX_DEPTH are only counted (`over`). */
struct em_stack {
    struct em_node n[EM_MAX_DEPTH];
    int depth, over;
};

struct em_recording {
    struct em_event *ev;
    size_t nev, capev;
    char *text;
    size_t ntext, captext;
    struct em_stack st; /* kept even when events no longer fit */
    int lost;           /* something did not fit                   */
};

struct em {
    const struct ura_sink *sink;
    int rc; /* sticky: the first non-OK sink return */
    /* the live stack; its first `open` nodes have been begun at the sink */
    struct em_stack live;
    int open;
    int page, page_open, break_pending;
    /* recordings (rec[EM_LIVE] unused), and the targets entered */
    struct em_recording rec[EM_NTARGETS];
    enum em_target target[16];
    int enter_depth[16];
    int ntarget, target_over;
    int lost; /* some recorded content was dropped: worth a warning */
};

void em_init(struct em *e, const struct ura_sink *sink);
void em_free(struct em *e);

/* Push a node.  Paragraph-like nodes (heading, paragraph, list, item,
 * footnote, section) reach the sink only when text arrives inside them;
 * tables, rows and cells at once.  Returns e->rc, as every call does. */
int em_push(struct em *e, enum ura_node kind, int level);
int em_pop(struct em *e);
/* Pop until `depth` nodes are left. */
int em_pop_to(struct em *e, int depth);
/* The depth of the current target's stack. */
int em_depth(const struct em *e);
int em_text(struct em *e, const char *z, size_t n);
/* A page ends here: taken at the next text or table, so that a break
 * with nothing after it (or a second break straight after) adds no page.
 * Ignored while recording, and before anything was written. */
void em_page_break(struct em *e);
/* Forget a pending break (the body ended right after it). */
void em_cancel_break(struct em *e);

/* Send what follows to target t until em_leave().  Entering EM_LIVE is
 * not allowed; entering while already recording records into t all the
 * same (an endnote inside a text box goes to the end). */
void em_enter(struct em *e, enum em_target t);
void em_leave(struct em *e);
enum em_target em_current(const struct em *e);
/* In the store: the number of events so far (a position). */
size_t em_store_pos(const struct em *e);
/* Record, into the current target, a replay of store events [from, to). */
int em_replay(struct em *e, size_t from, size_t to);
/* Replay and empty a recording at the current position of the live
 * stack. */
int em_flush(struct em *e, enum em_target t);

/* Where output stands (depth, targets entered), to come back to after a
 * part that stopped half-way, wherever it stopped. */
struct em_mark {
    int depth, targets;
};
struct em_mark em_mark(const struct em *e);
void em_restore(struct em *e, struct em_mark m);

/* Leave every target, close every node and the page: the end of output.
 * Returns e->rc. */
int em_finish(struct em *e);

/* ---- Small helpers ---------------------------------------------------------- */

/* snprintf into err (may be NULL), cut at the first newline. */
void office_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ASCII case-insensitive equality. */
int office_eq_ci(const char *a, const char *b);
/* Trim ASCII whitespace from both ends of s[0..*n); returns the start. */
const char *office_trim(const char *s, size_t *n);

/* Write n in list-label format fmt into buf (cap >= 24): '1' decimal,
 * '0' decimal padded to two digits, 'a'/'A' letters (a..z, aa..zz, ...),
 * 'i'/'I' roman numerals (decimal past 3999).  Returns the length. */
size_t office_number(char *buf, size_t cap, long n, char fmt);

#endif /* URA_SAFEZIP_H */
