/* A small working plugin for files named *.uratest: each line becomes a
 * paragraph.  The loader test loads it twice (two copies) to check that a
 * second plugin with the same name is refused, and extracts with it to
 * check that plugins from $URA_PLUGIN_PATH are used. */
#include <string.h>

#include "ura/plugin.h"

static const char *const extensions[] = {"uratest", NULL};

static int probe(const unsigned char *head, size_t len)
{
    return len >= 8 && memcmp(head, "URATEST\n", 8) == 0 ? 100 : 0;
}

static int extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                   size_t errlen)
{
    const char *z = (const char *)in->data;
    size_t n = in->len, i = 0;
    int rc;
    (void)err;
    (void)errlen;
    while (i < n) {
        const char *nl = memchr(z + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - z) : n;
        if (end > i) {
            if ((rc = sink->begin(sink->ctx, URA_NODE_PARAGRAPH, 0, NULL)) != URA_OK ||
                (rc = sink->text(sink->ctx, z + i, end - i)) != URA_OK ||
                (rc = sink->end(sink->ctx, URA_NODE_PARAGRAPH)) != URA_OK)
                return rc;
        }
        i = end + 1;
    }
    return URA_OK;
}

static const struct ura_plugin desc = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin), "uratest", "1.0",
    "line-per-paragraph test format", NULL, extensions, probe, NULL, NULL, extract,
};
URA_PLUGIN_DECLARE(desc)
