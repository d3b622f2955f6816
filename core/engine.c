/* engine.c — the engine object, plugin listing and extraction of one file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "passage.h"
#include "util.h"

const char *ura_version(void)
{
    return PACKAGE_VERSION;
}

int ura_engine_new(ura_engine **out, ura_error *err)
{
    (void)err;
    ura_engine *e = ura_xcalloc(1, sizeof *e);
    e->reg = ura_registry_load();
    *out = e;
    return URA_OK;
}

void ura_engine_free(ura_engine *e)
{
    if (!e)
        return;
    ura_analyser_free(e->an);
    ura_langid_free(e->lid);
    ura_stemmer_free(e->st);
    ura_registry_free(e->reg);
    free(e);
}

ura_analyser *ura_engine_analyser(ura_engine *e, ura_error *err)
{
    if (!e->an && ura_analyser_new(&e->an, err) != URA_OK)
        e->an = NULL;
    return e->an;
}

ura_stemmer *ura_engine_stemmer(ura_engine *e, ura_error *err)
{
    if (!e->st && ura_stemmer_new(&e->st, err) != URA_OK)
        e->st = NULL;
    return e->st;
}

ura_langid *ura_engine_langid(ura_engine *e)
{
    if (!e->lid_tried) {
        e->lid_tried = 1;
        e->lid = ura_langid_new();
    }
    return e->lid;
}

size_t ura_engine_plugins(ura_engine *e, const ura_plugin_info **list)
{
    return ura_registry_list(e->reg, list);
}

int ura_map_file(const char *path, const unsigned char **data, size_t *len,
                 int *fd, ura_error *err)
{
    *data = NULL;
    *len = 0;
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (*fd < 0)
        return ura_error_set(err, URA_ERR_FILE, "%s: %s", path, strerror(errno));
    struct stat st;
    const char *why = NULL;
    int e = 0;
    if (fstat(*fd, &st) != 0)
        e = errno;
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if ((unsigned long long)st.st_size > URA_MAX_FILE_SIZE)
        why = "file too large";
    if (e || why) {
        close(*fd);
        *fd = -1;
        if (why && !strcmp(why, "file too large"))
            return ura_error_set(err, URA_ERR_FILE, "%s: file too large (%lld bytes, limit %zu)",
                                 path, (long long)st.st_size, URA_MAX_FILE_SIZE);
        return ura_error_set(err, URA_ERR_FILE, "%s: %s", path, why ? why : strerror(e));
    }
    int rc = ura_read_fd(*fd, path, (size_t)st.st_size, data, len, err);
    if (rc != URA_OK) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}

int ura_read_fd(int fd, const char *path, size_t size, const unsigned char **data,
                size_t *len, ura_error *err)
{
    *data = NULL;
    *len = 0;
    size_t cap = size;
    if (cap == 0)
        return URA_OK;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return ura_error_set(err, URA_ERR_FILE, "%s: out of memory reading %zu bytes", path, cap);
    size_t got = 0;
    while (got < cap) {
        ssize_t k = pread(fd, buf + got, cap - got, (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            free(buf);
            return ura_error_set(err, URA_ERR_FILE, "%s: %s", path, strerror(e));
        }
        if (k == 0)
            break; /* truncated while we read: index what is there */
        got += (size_t)k;
    }
    *data = buf;
    *len = got;
    return URA_OK;
}

void ura_unmap_file(const unsigned char *data, size_t len, int fd)
{
    (void)len;
    free((void *)data);
    if (fd >= 0)
        close(fd);
}

int ura_extract_data(ura_engine *e, const char *path, const unsigned char *data,
                     size_t len, int fd, ura_doc **out, ura_error *err)
{
    *out = NULL;
    const struct ura_plugin *p =
        ura_registry_pick(e->reg, path, data, len < 4096 ? len : 4096);
    if (!p)
        return ura_error_set(err, URA_ERR_USAGE, "%s: no plugin reads this format", path);
    return ura_extract_with(p, path, data, len, fd, out, err);
}

int ura_extract_with(const struct ura_plugin *p, const char *path, const unsigned char *data,
                     size_t len, int fd, ura_doc **out, ura_error *err)
{
    *out = NULL;
    ura_doc *d = ura_doc_new(path, p->name, p->version);
    ura_doc_sink s;
    ura_doc_sink_init(&s, d);
    struct ura_input in = {sizeof in, path, data, len, fd};
    char msg[512] = "";
    int rc = p->extract(&in, &s.sink, msg, sizeof msg);
    rc = ura_extract_result(p, path, d, &s, rc, msg, err);
    if (rc == URA_OK || rc == URA_WARN)
        *out = d;
    return rc;
}

int ura_extract_result(const struct ura_plugin *p, const char *path, ura_doc *d,
                       ura_doc_sink *s, int rc, char msg[512], ura_error *err)
{
    msg[511] = '\0';
    ura_doc_sink_finish(s);

    /* The sink's own verdict wins: a plugin that ignores a stop is not
     * believed when it then says OK. */
    if (s->blocked && (rc == URA_OK || rc == s->blocked)) {
        rc = s->blocked;
        snprintf(msg, 512, "%s", s->err);
    }
    switch (rc) {
    case URA_OK:
        d->status = URA_OK;
        return URA_OK;
    case URA_WARN:
        d->status = URA_WARN;
        d->warning = ura_xstrdup(*msg ? msg : "partly extracted");
        ura_error_set(err, URA_WARN, "%s: %s", path, d->warning);
        return URA_WARN;
    case URA_EPLUGIN:
        ura_doc_free(d);
        return ura_error_set(err, URA_ERR_RUNTIME, "%s: plugin '%s' failed: %s", path, p->name,
                             *msg ? msg : "no reason given");
    case URA_EFILE:
        ura_doc_free(d);
        return ura_error_set(err, URA_ERR_FILE, "%s: %s", path, *msg ? msg : "unreadable");
    default:
        ura_doc_free(d);
        return ura_error_set(err, URA_ERR_FILE, "%s: plugin '%s' returned invalid code %d",
                             path, p->name, rc);
    }
}

int ura_extract(ura_engine *e, const char *path, ura_doc **out, ura_error *err)
{
    const unsigned char *data;
    size_t len;
    int fd;
    *out = NULL;
    int rc = ura_map_file(path, &data, &len, &fd, err);
    if (rc != URA_OK)
        return rc;
    rc = ura_extract_data(e, path, data, len, fd, out, err);
    ura_unmap_file(data, len, fd);
    return rc;
}

char *ura_default_index_dir(void)
{
    const char *env = getenv("URA_INDEX");
    if (env && *env)
        return ura_xstrdup(env);
    ura_buf b = {0};
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/')
        ura_buf_printf(&b, "%s/ura/index", xdg);
    else
        ura_buf_printf(&b, "%s/.local/share/ura/index", home && *home ? home : ".");
    return ura_buf_steal(&b, NULL);
}

static void json_opt(ura_buf *b, const char *key, const char *v)
{
    ura_buf_printf(b, ", \"%s\": ", key);
    if (v && *v)
        ura_json_str(b, v, strlen(v));
    else
        ura_buf_adds(b, "null");
}

char *ura_doc_passages_json(ura_engine *e, const ura_doc *d, ura_error *err)
{
    ura_analyser *an = ura_engine_analyser(e, err);
    if (!an)
        return NULL;
    ura_passage *ps;
    size_t n;
    ura_passages_build(d, an, ura_engine_langid(e), &ps, &n);
    ura_buf b = {0};
    ura_buf_adds(&b, "{\"path\": ");
    ura_json_str(&b, d->path, strlen(d->path));
    ura_buf_adds(&b, ", \"passages\": [");
    for (size_t i = 0; i < n; i++) {
        const ura_passage *p = &ps[i];
        ura_buf_printf(&b, "%s\n  {\"lang\": \"%s\"", i ? "," : "", p->lang);
        json_opt(&b, "law", p->law);
        json_opt(&b, "act_title", p->act_title);
        json_opt(&b, "part", p->part);
        json_opt(&b, "article", p->article);
        json_opt(&b, "heading", p->heading);
        if (p->page)
            ura_buf_printf(&b, ", \"page\": %d, \"page_end\": %d", p->page, p->page_end);
        else
            ura_buf_adds(&b, ", \"page\": null, \"page_end\": null");
        ura_buf_adds(&b, ",\n   \"text\": ");
        ura_json_str(&b, p->text, p->text_len);
        ura_buf_addc(&b, '}');
    }
    ura_buf_adds(&b, n ? "\n]}\n" : "]}\n");
    ura_passages_free(ps, n);
    return ura_buf_steal(&b, NULL);
}
