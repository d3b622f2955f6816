/* fuzz-plugin.c — libFuzzer harness for one format plugin's extract().
 *
 * Built once per plugin (fuzz/run): the plugin's own sources are compiled
 * into the harness, so ura_plugin_entry() is that plugin's, instrumented
 * for coverage like the rest.  Each input is handed over the way the
 * engine does it (core/engine.c: a struct ura_input with the whole file,
 * fd -1 as for data that is not a file) and extracted into the core's sink
 * (core/doc.c).  Checked afterwards: the plugin's return code is on the
 * ladder and follows a stop from the sink; a failure has a one-line
 * reason; what the sink kept is balanced, in bounds and valid UTF-8; and
 * no library printed by itself, to a stderr where the line names no file:
 * libxml2's thread-wide generic handler and GLib's default log handler
 * (poppler-glib's g_warning(), g_critical()) are failed checks here, set
 * after the plugin's init() (a plugin catches its own: safezip.c,
 * html.c, pdf.c).  libxml2's thread-wide structured handler is left
 * unset, as in ura: set, it would take the errors a parser context with
 * NOERROR keeps silent.
 *
 * Built with -DFUZZ_PACK (fuzz-docx-xml, fuzz-odt-xml), the input is first
 * packed by fuzz-pack.c into the XML parts of a valid ZIP, and that archive
 * is what the plugin gets. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>
#include <libxml/globals.h>

#include "doc.h"
#include "fuzz.h"
#include "util.h"

const struct ura_plugin *ura_plugin_entry(void);

static const struct ura_plugin *plugin;

__attribute__((format(printf, 2, 3))) static void libxml2_generic(void *ctx,
                                                                    const char *fmt, ...)
{
    (void)ctx;
    char m[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    FUZZ_CHECK(0, "libxml2 printed by itself (stderr, no file named): %s", m);
}

static void glib_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                     gpointer data)
{
    (void)data;
    if (level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
        return; /* GLib prints these only when asked (G_MESSAGES_DEBUG) */
    FUZZ_CHECK(0, "GLib log (stderr, no file named), domain %s, level %d: %s",
               domain ? domain : "(none)", (int)(level & G_LOG_LEVEL_MASK),
               message ? message : "");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    plugin = ura_plugin_entry();
    FUZZ_CHECK(plugin && plugin->extract, "plugin has no extract()");
    if (plugin->init) {
        char err[256] = "";
        FUZZ_CHECK(plugin->init(err, sizeof err) == URA_OK, "init: %s", err);
    }
    /* after init(), which may initialise libxml2 or set a log handler */
    xmlSetGenericErrorFunc(NULL, libxml2_generic);
    g_log_set_default_handler(glib_log, NULL);
    return 0;
}

static void check_doc(const ura_doc *d)
{
    const unsigned char *t = (const unsigned char *)d->text.p;
    for (size_t i = 0; i < d->text.n;) {
        size_t k = ura_utf8_seq(t + i, d->text.n - i);
        FUZZ_CHECK(k > 0, "invalid UTF-8 kept at byte %zu of the text", i);
        i += k;
    }
    size_t depth = 0;
    for (size_t i = 0; i < d->nevents; i++) {
        const ura_event *e = &d->events[i];
        if (e->type == URA_EV_BEGIN)
            depth++;
        else if (e->type == URA_EV_END)
            FUZZ_CHECK(depth-- > 0, "event %zu: end() with nothing open", i);
        else
            FUZZ_CHECK(e->off <= d->text.n && e->len <= d->text.n - e->off,
                       "event %zu: text out of bounds", i);
    }
    FUZZ_CHECK(depth == 0, "%zu nodes left open after finish", depth);
    for (size_t i = 0; i < d->nblocks; i++) {
        const ura_block *b = &d->blocks[i];
        FUZZ_CHECK(b->off <= d->text.n && b->len <= d->text.n - b->off,
                   "block %zu out of bounds", i);
        FUZZ_CHECK(b->lang == -1 || (b->lang >= 0 && (size_t)b->lang < d->nlangs),
                   "block %zu: language index %d of %zu", i, b->lang, d->nlangs);
    }
    for (size_t i = 0; i < d->nmeta; i++)
        FUZZ_CHECK(strlen(d->meta[i].value) <= URA_DOC_MAX_META,
                   "metadata %s longer than the limit", d->meta[i].key);
}

#ifdef FUZZ_PACK
unsigned char *fuzz_pack(const char *format, const uint8_t *data, size_t size, size_t *len);
#endif

static void extract_one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_PACK
    size_t len;
    unsigned char *zip = fuzz_pack(plugin->name, data, size, &len);
    extract_one(zip, len);
    free(zip);
#else
    extract_one(data, size);
#endif
    return 0;
}

static void extract_one(const uint8_t *data, size_t size)
{
    /* probe() sees the head, as in ura_registry_pick(). */
    int score = plugin->probe ? plugin->probe(data, size < 4096 ? size : 4096) : 0;
    FUZZ_CHECK(score >= 0 && score <= 100, "probe() scored %d", score);

    ura_doc *d = ura_doc_new("fuzz-input", plugin->name, plugin->version);
    ura_doc_sink s;
    ura_doc_sink_init(&s, d);
    struct ura_input in = {sizeof in, "fuzz-input", data, size, -1};
    char msg[512];
    memset(msg, 'x', sizeof msg);
    msg[0] = '\0';
    int rc = plugin->extract(&in, &s.sink, msg, sizeof msg);
    ura_doc_sink_finish(&s);

    FUZZ_CHECK(rc >= URA_OK && rc <= URA_EPLUGIN, "extract() returned %d", rc);
    FUZZ_CHECK(rc != URA_EPLUGIN, "extract() says the plugin is unusable: %.200s", msg);
    if (s.blocked)
        FUZZ_CHECK(rc == s.blocked, "sink said %d, extract() went on and returned %d",
                   s.blocked, rc);
    if (rc != URA_OK && !s.blocked) {
        FUZZ_CHECK(memchr(msg, '\0', sizeof msg) != NULL, "reason not NUL-terminated");
        FUZZ_CHECK(msg[0] != '\0', "extract() returned %d without a reason", rc);
        FUZZ_CHECK(strchr(msg, '\n') == NULL, "reason of more than one line: %s", msg);
    }
    check_doc(d);
    /* What `ura extract` prints is built from the doc as well. */
    free(ura_doc_json(d));
    free(ura_doc_text(d));
    ura_doc_free(d);
}
