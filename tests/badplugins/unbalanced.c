/* A plugin that breaks the event rules of plugin.h on every input, for
 * `ura plugin-check` to catch: invalid UTF-8 in metadata and text, pages
 * going backwards, an end() that does not match its begin(), sink calls
 * after the sink said stop, and OK returned where the sink's code was
 * due.  An input starting with "OPEN" instead leaves two nodes open and
 * returns OK. */
#include <string.h>

#include "ura/plugin.h"

static const char *const extensions[] = {"unbalanced", NULL};

static int probe(const unsigned char *head, size_t len)
{
    return len >= 8 && memcmp(head, "URAUNBAL", 8) == 0 ? 100 : 0;
}

static int extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                   size_t errlen)
{
    void *c = sink->ctx;
    (void)err;
    (void)errlen;
    /* Every return code of the sink is ignored: that is the point. */
    if (in->len >= 4 && memcmp(in->data, "OPEN", 4) == 0) {
        sink->begin(c, URA_NODE_SECTION, 0, NULL);
        sink->begin(c, URA_NODE_PARAGRAPH, 0, NULL);
        sink->text(c, "left open", 9);
        return URA_OK;
    }
    sink->meta(c, "title", "\xff bad title", 11);
    sink->begin(c, URA_NODE_PAGE, 2, NULL);
    sink->begin(c, URA_NODE_PARAGRAPH, 0, NULL);
    sink->text(c, "caf\xe9 au lait", 12); /* Latin-1, not UTF-8 */
    sink->end(c, URA_NODE_PARAGRAPH);
    sink->end(c, URA_NODE_PAGE);
    sink->begin(c, URA_NODE_PAGE, 1, NULL); /* backwards */
    sink->begin(c, URA_NODE_HEADING, 1, NULL);
    sink->text(c, "Title", 5);
    sink->end(c, URA_NODE_PARAGRAPH); /* the sink says stop here */
    sink->begin(c, URA_NODE_PARAGRAPH, 0, NULL);
    sink->text(c, "more", 4);
    return URA_OK;
}

static const struct ura_plugin desc = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin), "unbalanced", "1.0",
    "breaks the event rules, for plugin-check", NULL, extensions, probe, NULL, NULL, extract,
};
URA_PLUGIN_DECLARE(desc)
