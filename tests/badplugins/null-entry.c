/* An entry point that returns no descriptor. */
#include "ura/plugin.h"

URA_PLUGIN_EXPORT const struct ura_plugin *ura_plugin_entry(void);
URA_PLUGIN_EXPORT const struct ura_plugin *ura_plugin_entry(void)
{
    return NULL;
}
