/* stats.c — `ura stats`: what the index holds, from its records. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "filerec.h"
#include "query.h"
#include "xdb.h"

typedef struct counts {
    ura_count *v;
    size_t n;
} counts;

static void count_add(ura_count **v, size_t *n, const char *name, uint64_t k)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].name, name) == 0) {
            (*v)[i].n += k;
            return;
        }
    *v = ura_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[*n].name = ura_xstrdup(name);
    (*v)[*n].n = k;
    (*n)++;
}

static int on_record(void *ctx, const char *key, const char *val, size_t n)
{
    ura_stats *s = ctx;
    (void)key;
    ura_filerec rec;
    if (ura_filerec_decode(val, n, &rec) != 0)
        return 0;
    s->files++;
    if (rec.status == URA_FILE_FAILED) {
        s->failed++;
        s->failures = ura_xrealloc(s->failures, (s->nfailures + 1) * sizeof *s->failures);
        s->failures[s->nfailures].path = rec.path;
        s->failures[s->nfailures].reason = rec.reason ? rec.reason : ura_xstrdup("?");
        s->nfailures++;
        rec.path = rec.reason = NULL;
    } else {
        count_add(&s->formats, &s->nformats, rec.plugin ? rec.plugin : "?", 1);
    }
    ura_filerec_clear(&rec);
    return 0;
}

static int on_lang(void *ctx, const char *term, uint32_t freq)
{
    ura_stats *s = ctx;
    const char *tag = term + strlen(URA_PREFIX_LANG);
    /* "sr" is also indexed for sr-latn and sr-cyrl passages, for the
     * lang:sr filter; counting it too would count them twice. */
    if (strcmp(tag, "sr") == 0)
        return 0;
    count_add(&s->langs, &s->nlangs, tag, freq);
    return 0;
}

/* Failures grouped: by reason, then by path. */
static int cmp_failure(const void *a, const void *b)
{
    const ura_failure *x = a, *y = b;
    int c = strcmp(x->reason, y->reason);
    return c ? c : strcmp(x->path, y->path);
}

int ura_stats_get(const char *dir, ura_stats **out, ura_error *err)
{
    *out = NULL;
    ura_xdb *db;
    int rc = ura_xdb_open(dir, URA_XDB_READ, &db, err);
    if (rc != URA_OK)
        return rc;
    ura_stats *s = ura_xcalloc(1, sizeof *s);
    s->dir = ura_xstrdup(dir);
    size_t n;
    if (ura_xdb_meta_get(db, "analyser", &s->analyser, &n, err) == URA_OK &&
        ura_xdb_meta_each(db, URA_FILEREC_PREFIX, on_record, s, err) == URA_OK &&
        ura_xdb_terms_each(db, URA_PREFIX_LANG, on_lang, s, err) == URA_OK) {
        s->passages = ura_xdb_doccount(db);
        if (s->nfailures)
            qsort(s->failures, s->nfailures, sizeof *s->failures, cmp_failure);
        *out = s;
    } else {
        rc = err && err->code ? err->code : URA_ERR_RUNTIME;
        ura_stats_free(s);
    }
    ura_xdb_close(db);
    return rc;
}

void ura_stats_free(ura_stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nlangs; i++)
        free(s->langs[i].name);
    for (size_t i = 0; i < s->nformats; i++)
        free(s->formats[i].name);
    for (size_t i = 0; i < s->nfailures; i++) {
        free(s->failures[i].path);
        free(s->failures[i].reason);
    }
    free(s->langs);
    free(s->formats);
    free(s->failures);
    free(s->analyser);
    free(s->dir);
    free(s);
}
