/* A plugin that fails in the ways a worker must survive, for
 * `ura plugin-check` to catch, chosen by the input:
 *   "URACRASH\n..."  fine: one paragraph, OK (its own format)
 *   "EXIT..."        calls exit()
 *   "SEGV..."        writes through a null pointer (SIGSEGV)
 *   empty            loops forever
 *   16 bytes         returns EFILE without writing a message
 *   up to 4 KiB      returns 7, which is no code of the ladder
 *   longer           reads one byte past the end of the input
 * and probe() scores an empty head -1 and claims zero bytes. */
#include <stdlib.h>
#include <string.h>

#include "ura/plugin.h"

static const char *const extensions[] = {"uracrash", NULL};

static int probe(const unsigned char *head, size_t len)
{
    if (len == 0)
        return -1;
    if (len >= 9 && memcmp(head, "URACRASH\n", 9) == 0)
        return 100;
    return head[0] == 0 ? 60 : 0;
}

/* A real SIGSEGV, also in a sanitizer build (where UBSan would stop the
 * null store first and end the process without a signal). */
__attribute__((noinline, no_sanitize("undefined"))) static void segv(void)
{
    volatile int *volatile null = NULL;
    *null = 1;
}

static int extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                   size_t errlen)
{
    const char *z = (const char *)in->data;
    int rc;
    (void)errlen;
    if (in->len >= 9 && memcmp(z, "URACRASH\n", 9) == 0) {
        const char *nl = memchr(z + 9, '\n', in->len - 9);
        size_t n = nl ? (size_t)(nl - z) - 9 : in->len - 9;
        if ((rc = sink->begin(sink->ctx, URA_NODE_PARAGRAPH, 0, NULL)) != URA_OK ||
            (rc = sink->text(sink->ctx, z + 9, n)) != URA_OK)
            return rc;
        return sink->end(sink->ctx, URA_NODE_PARAGRAPH);
    }
    if (in->len >= 4 && memcmp(z, "EXIT", 4) == 0)
        exit(3);
    if (in->len >= 4 && memcmp(z, "SEGV", 4) == 0)
        segv();
    if (in->len == 0)
        for (;;) {
            volatile int spin = 0;
            (void)spin;
        }
    if (in->len == 16) {
        err[0] = 'x'; /* and no NUL */
        return URA_EFILE;
    }
    if (in->len <= 4096)
        return 7;
    volatile unsigned char past = in->data[in->len];
    return past ? URA_OK : URA_EFILE;
}

static const struct ura_plugin desc = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin), "uracrash", "1.0",
    "crashes, hangs and exits, for plugin-check", NULL, extensions, probe, NULL, NULL,
    extract,
};
URA_PLUGIN_DECLARE(desc)
