/* filerec.h — records kept in the index: a field codec for stored data,
 * and the per-file record (path, size, mtime, content hash, plugin,
 * status) that lets a second `ura index` skip unchanged files.
 * Private to libura. */
#ifndef URA_FILEREC_H
#define URA_FILEREC_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"
#include "xdb.h"

/* Fields: a sequence of `key:len:bytes\n`, binary-safe.  Keys are short
 * ASCII names without ':'. */
void ura_fields_add(ura_buf *b, const char *key, const char *val, size_t n);
void ura_fields_adds(ura_buf *b, const char *key, const char *val); /* NULL: skipped */
void ura_fields_addi(ura_buf *b, const char *key, long long v);
/* Borrowed pointer into data to the value of key (not NUL-terminated),
 * with its length in *n; NULL when absent or data is malformed. */
const char *ura_fields_get(const char *data, size_t ndata, const char *key, size_t *n);
/* Malloc'd copy of the value (caller frees), or NULL when absent. */
char *ura_fields_dup(const char *data, size_t ndata, const char *key);
long long ura_fields_int(const char *data, size_t ndata, const char *key, long long dflt);

enum ura_file_status { URA_FILE_INDEXED = 0, URA_FILE_FAILED = 1 };

typedef struct ura_filerec {
    char *path;          /* owned, absolute                                */
    long long size;
    long long mtime_ns;
    long long ctime_ns;  /* inode change time: chmod and the like          */
    uint64_t hash;       /* of the content                                 */
    char *plugin;        /* owned: plugin name                             */
    char *plugin_version;/* owned                                          */
    int status;          /* enum ura_file_status                           */
    char *reason;        /* owned: why it failed, or the warning; may be NULL */
    long long passages;
    char *title;         /* owned, may be NULL                             */
    char *analyser;      /* owned: analyser version that made its terms    */
} ura_filerec;

/* Metadata key prefix of file records: "file:" + ura_path_key(path). */
#define URA_FILEREC_PREFIX "file:"

/* Fetch the record of path: 1 found (rec filled, caller owns its strings,
 * ura_filerec_clear()), 0 not found, negative on error (err set). */
int ura_filerec_get(ura_xdb *db, const char *path, ura_filerec *rec, ura_error *err);
int ura_filerec_put(ura_xdb *db, const ura_filerec *rec, ura_error *err);
int ura_filerec_delete(ura_xdb *db, const char *path, ura_error *err);
/* Decode a stored record (as ura_xdb_meta_each gives it): 0 ok, -1 bad. */
int ura_filerec_decode(const char *val, size_t n, ura_filerec *rec);
void ura_filerec_clear(ura_filerec *rec);

#endif
