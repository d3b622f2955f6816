/* A plugin built for a future ABI: the loader must refuse it. */
#include "ura/plugin.h"

static int probe(const unsigned char *head, size_t len)
{
    (void)head;
    (void)len;
    return 0;
}

static int extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                   size_t errlen)
{
    (void)in;
    (void)sink;
    (void)err;
    (void)errlen;
    return URA_OK;
}

static const struct ura_plugin desc = {
    URA_PLUGIN_ABI_VERSION + 1, sizeof(struct ura_plugin), "newer", "9.9", "from the future",
    NULL, NULL, probe, NULL, NULL, extract,
};
URA_PLUGIN_DECLARE(desc)
