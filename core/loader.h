/* loader.h — finding, checking and loading format plugins, and choosing
 * one for a file.  Private to libura. */
#ifndef URA_LOADER_H
#define URA_LOADER_H

#include <stddef.h>

#include "ura/plugin.h"
#include "ura/ura.h"

typedef struct ura_registry ura_registry;

/* Scan $URA_PLUGIN_PATH (colon-separated folders), then the build tree's
 * plugin folder when this program runs from the build tree, else the
 * installed plugin folder.  Every *.so found is loaded or refused with a
 * reason; nothing here is an error.  The folders are scanned on the first
 * call of any ura_registry_*() function below, not here: a program that
 * never needs a plugin loads none (call ura_registry_count() before
 * fork()ing workers that must inherit the plugins).  The caller owns the
 * result (ura_registry_free(), which calls each plugin's shutdown()). */
ura_registry *ura_registry_load(void);
void ura_registry_free(ura_registry *r);

/* Load the one plugin file `file` on its own, with the same checks as
 * ura_registry_load() (init() included), searching no folder.  The result
 * (owned by the caller, ura_registry_free()) always holds exactly one
 * entry: ura_registry_list() gives its info, with `refused` set to the
 * reason when it was refused. */
ura_registry *ura_registry_load_file(const char *file);

/* The descriptor of entry i of ura_registry_list(), or NULL when that
 * plugin was refused.  A zero-extended copy of the plugin's own (its
 * `size` field is as the plugin declared it); borrowed from r. */
const struct ura_plugin *ura_registry_get(const ura_registry *r, size_t i);

/* Everything seen, loaded or refused, in search order; borrowed from r. */
size_t ura_registry_list(const ura_registry *r, const ura_plugin_info **list);

/* The folders searched, in order, joined by ':' (borrowed from r). */
const char *ura_registry_path(const ura_registry *r);

/* Whether the file name `path` ends in one of p's extensions (any case). */
int ura_plugin_has_extension(const struct ura_plugin *p, const char *path);

/* The loaded plugin named `name`, or NULL; borrowed from r. */
const struct ura_plugin *ura_registry_find(const ura_registry *r, const char *name);

/* Number of plugins loaded (not refused). */
size_t ura_registry_count(const ura_registry *r);

/* The plugin that scores `head` (the first bytes of the file at `path`)
 * highest, counting a matching file extension; NULL when none claims it.
 * The descriptor is borrowed from r. */
const struct ura_plugin *ura_registry_pick(const ura_registry *r,
                                           const char *path,
                                           const unsigned char *head,
                                           size_t len);

#endif
