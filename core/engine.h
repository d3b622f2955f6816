/* engine.h — the engine object shared by indexing, searching and
 * extraction: the plugin registry and one analyser.  Private to libura. */
#ifndef URA_ENGINE_H
#define URA_ENGINE_H

#include <stddef.h>

#include "analyse.h"
#include "doc.h"
#include "loader.h"
#include "ura/ura.h"

/* Files larger than this are refused without being read. */
#define URA_MAX_FILE_SIZE ((size_t)1 << 30)

struct ura_engine {
    ura_registry *reg;    /* owned */
    ura_analyser *an;     /* owned; created on first use */
};

/* The engine's analyser, created on first use; borrowed from e.  NULL with
 * err filled when ICU could not be set up. */
ura_analyser *ura_engine_analyser(ura_engine *e, ura_error *err);

/* Extract data[0..len) (the file at path) with the plugin that claims it.
 * *out as for ura_extract().  Returns URA_OK, URA_WARN (doc usable, err
 * says what was lost), URA_ERR_FILE (err names the file and the reason),
 * or URA_ERR_USAGE with code URA_ERR_USAGE when no plugin reads it:
 * err->code tells "unsupported" (URA_ERR_USAGE) from "failed". */
int ura_extract_data(ura_engine *e, const char *path, const unsigned char *data,
                     size_t len, int fd, ura_doc **out, ura_error *err);

/* Map a whole file read-only.  *data is NULL for an empty file.  Release
 * with ura_unmap_file().  Errors name the file. */
int ura_map_file(const char *path, const unsigned char **data, size_t *len,
                 int *fd, ura_error *err);
void ura_unmap_file(const unsigned char *data, size_t len, int fd);

#endif
