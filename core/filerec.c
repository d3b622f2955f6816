/* filerec.c — the field codec and per-file records. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "filerec.h"

void ura_fields_add(ura_buf *b, const char *key, const char *val, size_t n)
{
    ura_buf_printf(b, "%s:%zu:", key, n);
    ura_buf_add(b, val, n);
    ura_buf_addc(b, '\n');
}

void ura_fields_adds(ura_buf *b, const char *key, const char *val)
{
    if (val)
        ura_fields_add(b, key, val, strlen(val));
}

void ura_fields_addi(ura_buf *b, const char *key, long long v)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%lld", v);
    ura_fields_add(b, key, num, (size_t)n);
}

const char *ura_fields_get(const char *data, size_t ndata, const char *key, size_t *n)
{
    size_t klen = strlen(key), i = 0;
    while (i < ndata) {
        const char *colon = memchr(data + i, ':', ndata - i);
        if (!colon)
            return NULL;
        size_t kl = (size_t)(colon - (data + i));
        size_t j = (size_t)(colon - data) + 1, len = 0;
        if (j >= ndata || data[j] < '0' || data[j] > '9')
            return NULL;
        while (j < ndata && data[j] >= '0' && data[j] <= '9') {
            if (len > ndata)
                return NULL;
            len = len * 10 + (size_t)(data[j++] - '0');
        }
        if (j >= ndata || data[j] != ':' || len > ndata - j - 1)
            return NULL;
        j++;
        if (kl == klen && memcmp(data + i, key, klen) == 0) {
            *n = len;
            return data + j;
        }
        i = j + len + 1; /* skip the value and its '\n' */
    }
    return NULL;
}

char *ura_fields_dup(const char *data, size_t ndata, const char *key)
{
    size_t n;
    const char *v = ura_fields_get(data, ndata, key, &n);
    return v ? ura_xstrndup(v, n) : NULL;
}

long long ura_fields_int(const char *data, size_t ndata, const char *key, long long dflt)
{
    size_t n;
    const char *v = ura_fields_get(data, ndata, key, &n);
    if (!v || n == 0 || n > 24)
        return dflt;
    char num[25];
    memcpy(num, v, n);
    num[n] = '\0';
    char *end;
    long long x = strtoll(num, &end, 10);
    return *end ? dflt : x;
}

static void rec_key(const char *path, char key[64])
{
    char hex[33];
    ura_path_key(path, hex);
    snprintf(key, 64, URA_FILEREC_PREFIX "%s", hex);
}

int ura_filerec_decode(const char *val, size_t n, ura_filerec *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->path = ura_fields_dup(val, n, "path");
    if (!rec->path)
        return -1;
    rec->size = ura_fields_int(val, n, "size", -1);
    rec->mtime_ns = ura_fields_int(val, n, "mtime", -1);
    rec->ctime_ns = ura_fields_int(val, n, "ctime", -1);
    char *h = ura_fields_dup(val, n, "hash");
    rec->hash = h ? strtoull(h, NULL, 16) : 0;
    free(h);
    rec->plugin = ura_fields_dup(val, n, "plugin");
    rec->plugin_version = ura_fields_dup(val, n, "plugin_version");
    rec->status = (int)ura_fields_int(val, n, "status", URA_FILE_FAILED);
    rec->reason = ura_fields_dup(val, n, "reason");
    rec->passages = ura_fields_int(val, n, "passages", 0);
    rec->title = ura_fields_dup(val, n, "title");
    rec->analyser = ura_fields_dup(val, n, "analyser");
    return 0;
}

int ura_filerec_get(ura_xdb *db, const char *path, ura_filerec *rec, ura_error *err)
{
    char key[64];
    rec_key(path, key);
    char *val = NULL;
    size_t n = 0;
    memset(rec, 0, sizeof *rec);
    if (ura_xdb_meta_get(db, key, &val, &n, err) != URA_OK)
        return -1;
    if (!val)
        return 0;
    int ok = ura_filerec_decode(val, n, rec) == 0 && strcmp(rec->path, path) == 0;
    free(val);
    if (!ok) {
        /* A damaged record, or (never seen) a key collision: treat as new. */
        ura_filerec_clear(rec);
        return 0;
    }
    return 1;
}

int ura_filerec_put(ura_xdb *db, const ura_filerec *rec, ura_error *err)
{
    char key[64], hex[17];
    rec_key(rec->path, key);
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)rec->hash);
    ura_buf b = {0};
    ura_fields_adds(&b, "path", rec->path);
    ura_fields_addi(&b, "size", rec->size);
    ura_fields_addi(&b, "mtime", rec->mtime_ns);
    ura_fields_addi(&b, "ctime", rec->ctime_ns);
    ura_fields_adds(&b, "hash", hex);
    ura_fields_adds(&b, "plugin", rec->plugin);
    ura_fields_adds(&b, "plugin_version", rec->plugin_version);
    ura_fields_addi(&b, "status", rec->status);
    ura_fields_adds(&b, "reason", rec->reason);
    ura_fields_addi(&b, "passages", rec->passages);
    ura_fields_adds(&b, "title", rec->title);
    ura_fields_adds(&b, "analyser", rec->analyser);
    int rc = ura_xdb_meta_set(db, key, b.p, b.n, err);
    ura_buf_free(&b);
    return rc;
}

int ura_filerec_delete(ura_xdb *db, const char *path, ura_error *err)
{
    char key[64];
    rec_key(path, key);
    return ura_xdb_meta_set(db, key, "", 0, err);
}

void ura_filerec_clear(ura_filerec *rec)
{
    free(rec->path);
    free(rec->plugin);
    free(rec->plugin_version);
    free(rec->reason);
    free(rec->title);
    free(rec->analyser);
    memset(rec, 0, sizeof *rec);
}
