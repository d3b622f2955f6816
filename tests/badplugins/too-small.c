/* A descriptor that claims to end before extract(): must be refused. */
#include "ura/plugin.h"

static const struct ura_plugin desc = {
    URA_PLUGIN_ABI_VERSION, 16, "small", "1", "too small", NULL, NULL, NULL, NULL, NULL, NULL,
};
URA_PLUGIN_DECLARE(desc)
