/* engine.h — the engine object shared by indexing, searching and
 * extraction: the plugin registry and one analyser.  Private to libura. */
#ifndef URA_ENGINE_H
#define URA_ENGINE_H

#include <stddef.h>

#include "analyse.h"
#include "doc.h"
#include "langid.h"
#include "loader.h"
#include "stem.h"
#include "ura/ura.h"

/* Files larger than this are refused without being read. */
#define URA_MAX_FILE_SIZE ((size_t)1 << 30)

struct ura_engine {
    ura_registry *reg;    /* owned */
    ura_analyser *an;     /* owned; created on first use */
    ura_langid *lid;      /* owned; created on first use, NULL if unusable */
    int lid_tried;
    ura_stemmer *st;      /* owned; created on first use */
};

/* The engine's language identifier, loaded on first use; NULL when
 * libexttextcat's data is missing (languages then come from the formats'
 * metadata and the script alone).  Borrowed from e. */
ura_langid *ura_engine_langid(ura_engine *e);

/* The engine's stemmers, created on first use; borrowed from e.  NULL
 * with err filled when libstemmer lacks a language. */
ura_stemmer *ura_engine_stemmer(ura_engine *e, ura_error *err);

/* The engine's analyser, created on first use; borrowed from e.  NULL with
 * err filled when ICU could not be set up. */
ura_analyser *ura_engine_analyser(ura_engine *e, ura_error *err);

/* Extract data[0..len) (the file at path) with the plugin that claims it.
 * *out as for ura_extract().  Returns URA_OK, URA_WARN (doc usable, err
 * says what was lost), URA_ERR_FILE (this file failed: err names it and
 * says why), URA_ERR_RUNTIME (the plugin itself is unusable: the file is
 * not to blame), or URA_ERR_USAGE when no plugin reads the format. */
int ura_extract_data(ura_engine *e, const char *path, const unsigned char *data,
                     size_t len, int fd, ura_doc **out, ura_error *err);

/* ura_extract_data() with the plugin p (chosen by the caller). */
int ura_extract_with(const struct ura_plugin *p, const char *path, const unsigned char *data,
                     size_t len, int fd, ura_doc **out, ura_error *err);

/* The verdict on an extraction: p->extract() returned rc with msg[] (512
 * bytes, modified) after filling d through s.  Finishes the sink; the
 * sink's own verdict wins over the plugin's.  Returns as
 * ura_extract_data(); on anything but URA_OK and URA_WARN d is freed,
 * else d->status (and d->warning) are set and d stays the caller's. */
int ura_extract_result(const struct ura_plugin *p, const char *path, ura_doc *d,
                       ura_doc_sink *s, int rc, char msg[512], ura_error *err);

/* Read up to `size` bytes of the open file fd from offset 0 (pread: the
 * file offset is not used, so a descriptor shared with another process
 * works).  *data as for ura_map_file(); the fd stays open. */
int ura_read_fd(int fd, const char *path, size_t size, const unsigned char **data,
                size_t *len, ura_error *err);

/* Read a whole regular file into memory (read(), not mmap(), so that a
 * file truncated under us is a short read, not SIGBUS; opened without
 * blocking, so a FIFO is refused instead of waited on).  *data is
 * malloc'd (NULL for an empty file) and owned by the caller, who frees it
 * with ura_unmap_file() (which also closes *fd).  Errors name the file. */
int ura_map_file(const char *path, const unsigned char **data, size_t *len,
                 int *fd, ura_error *err);
void ura_unmap_file(const unsigned char *data, size_t len, int fd);

#endif
