/* loader.c — plugin discovery and checks.
 *
 * A plugin is refused, with its reason kept for `ura plugins`, when it
 * cannot be dlopen()ed, exports no entry point, was built for a newer ABI,
 * has a descriptor too small or incomplete, repeats a name already loaded,
 * or fails init().  The descriptor is copied into a zeroed struct of our
 * own size, so fields an older plugin does not have read as NULL/0. */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "loader.h"
#include "util.h"

typedef struct loaded {
    ura_plugin_info info;  /* strings below are owned by this entry */
    char *file, *refused, *extensions;
    void *dl;              /* NULL when refused */
    struct ura_plugin desc; /* a zero-extended copy of the descriptor */
    int inited;
} loaded;

struct ura_registry {
    loaded *v;
    size_t n, cap;
    ura_plugin_info *infos;
    char *path;
    int pending;           /* ura_registry_load() done, folders not scanned */
};

static loaded *add_entry(ura_registry *r, const char *file)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->v = ura_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    loaded *l = &r->v[r->n++];
    memset(l, 0, sizeof *l);
    l->file = ura_xstrdup(file);
    return l;
}

static void refuse(loaded *l, const char *fmt, ...) URA_PRINTF(2, 3);
static void refuse(loaded *l, const char *fmt, ...)
{
    char msg[PATH_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    l->refused = ura_xstrdup(msg);
    if (l->dl) {
        dlclose(l->dl);
        l->dl = NULL;
    }
}

static const loaded *find_name(const ura_registry *r, const loaded *self,
                               const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (&r->v[i] != self && r->v[i].dl && strcmp(r->v[i].desc.name, name) == 0)
            return &r->v[i];
    return NULL;
}

static void load_one(ura_registry *r, const char *file)
{
    loaded *l = add_entry(r, file);
    l->dl = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!l->dl) {
        const char *why = dlerror();
        refuse(l, "not a loadable shared object: %s", why ? why : "dlopen failed");
        return;
    }
    ura_plugin_entry_fn entry;
    void *sym = dlsym(l->dl, URA_PLUGIN_ENTRY_NAME);
    if (!sym) {
        refuse(l, "not a ura plugin: it exports no %s()", URA_PLUGIN_ENTRY_NAME);
        return;
    }
    memcpy(&entry, &sym, sizeof entry); /* object to function pointer */
    const struct ura_plugin *p = entry();
    if (!p) {
        refuse(l, "%s() returned no descriptor", URA_PLUGIN_ENTRY_NAME);
        return;
    }
    if (p->abi_version == 0) {
        refuse(l, "invalid descriptor: ABI version 0");
        return;
    }
    if (p->abi_version > URA_PLUGIN_ABI_VERSION) {
        refuse(l, "built for plugin ABI %lu, newer than this ura's ABI %lu: "
                  "upgrade ura or rebuild the plugin",
               (unsigned long)p->abi_version, (unsigned long)URA_PLUGIN_ABI_VERSION);
        return;
    }
    if (p->size < URA_PLUGIN_MIN_SIZE) {
        refuse(l, "descriptor too small: %lu bytes, at least %lu needed",
               (unsigned long)p->size, (unsigned long)URA_PLUGIN_MIN_SIZE);
        return;
    }
    memset(&l->desc, 0, sizeof l->desc);
    memcpy(&l->desc, p, p->size < sizeof l->desc ? p->size : sizeof l->desc);
    const struct ura_plugin *d = &l->desc;
    if (!d->name || !*d->name || strlen(d->name) > 32) {
        refuse(l, "descriptor incomplete: no valid name");
        return;
    }
    if (!d->extract || !d->probe) {
        refuse(l, "descriptor of '%s' incomplete: probe() and extract() are required",
               d->name);
        return;
    }
    const loaded *dup = find_name(r, l, d->name);
    if (dup) {
        refuse(l, "duplicate plugin name '%s': already loaded from %s", d->name,
               dup->file);
        return;
    }
    if (d->init) {
        char err[256] = "";
        int rc = d->init(err, sizeof err);
        if (rc != URA_OK) {
            err[sizeof err - 1] = '\0';
            refuse(l, "init failed: %s", *err ? err : "no reason given");
            return;
        }
    }
    l->inited = 1;
    ura_buf ext = {0};
    for (const char *const *e = d->extensions; e && *e; e++) {
        if (ext.n)
            ura_buf_addc(&ext, ' ');
        ura_buf_adds(&ext, *e);
    }
    l->extensions = ura_buf_steal(&ext, NULL);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void scan_dir(ura_registry *r, const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.' || !ends_with(de->d_name, ".so"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = ura_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = ura_xstrdup(de->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        ura_buf f = {0};
        ura_buf_printf(&f, "%s/%s", dir, names[i]);
        load_one(r, f.p);
        ura_buf_free(&f);
        free(names[i]);
    }
    free(names);
}

/* The build tree's plugin folder when this program was started from the
 * build tree (tests, or a user trying ura before `make install`). */
static int running_in_build_tree(void)
{
    char exe[PATH_MAX], build[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || !realpath(URA_BUILD_DIR, build))
        return 0;
    exe[n] = '\0';
    size_t k = strlen(build);
    return strncmp(exe, build, k) == 0 && exe[k] == '/';
}

/* The ura_plugin_info list, once all entries are loaded or refused. */
static void make_infos(ura_registry *r)
{
    r->infos = ura_xcalloc(r->n ? r->n : 1, sizeof *r->infos);
    for (size_t i = 0; i < r->n; i++) {
        loaded *l = &r->v[i];
        ura_plugin_info *in = &r->infos[i];
        in->file = l->file;
        in->refused = l->refused;
        if (l->dl) {
            in->name = l->desc.name;
            in->version = l->desc.version ? l->desc.version : "";
            in->description = l->desc.description ? l->desc.description : "";
            in->extensions = l->extensions;
        }
    }
}

/* Scan the folders of a registry made by ura_registry_load() on its first
 * use: a program that never looks at the plugins (`ura search`) does not
 * pay for dlopen()ing them and their libraries (Poppler, GLib, cairo, ...).
 * The registry is filled in place, so a const pointer to it is cast back:
 * every registry is allocated non-const by this file. */
static ura_registry *ready(const ura_registry *cr)
{
    ura_registry *r = (ura_registry *)cr;
    if (!r->pending)
        return r;
    r->pending = 0;
    ura_buf path = {0};
    const char *env = getenv("URA_PLUGIN_PATH");
    if (env && *env) {
        char *copy = ura_xstrdup(env), *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
            scan_dir(r, dir);
            ura_buf_printf(&path, "%s%s", path.n ? ":" : "", dir);
        }
        free(copy);
    }
    const char *dir = running_in_build_tree() ? URA_BUILD_DIR "/plugins/.libs"
                                              : URA_PLUGIN_DIR;
    scan_dir(r, dir);
    ura_buf_printf(&path, "%s%s", path.n ? ":" : "", dir);
    r->path = ura_buf_steal(&path, NULL);
    make_infos(r);
    return r;
}

ura_registry *ura_registry_load(void)
{
    ura_registry *r = ura_xcalloc(1, sizeof *r);
    r->pending = 1;
    return r;
}

ura_registry *ura_registry_load_file(const char *file)
{
    ura_registry *r = ura_xcalloc(1, sizeof *r);
    load_one(r, file);
    r->path = ura_xstrdup(file);
    make_infos(r);
    return r;
}

const struct ura_plugin *ura_registry_get(const ura_registry *cr, size_t i)
{
    const ura_registry *r = ready(cr);
    return i < r->n && r->v[i].dl ? &r->v[i].desc : NULL;
}

void ura_registry_free(ura_registry *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        loaded *l = &r->v[i];
        if (l->dl) {
            if (l->inited && l->desc.shutdown)
                l->desc.shutdown();
            dlclose(l->dl);
        }
        free(l->file);
        free(l->refused);
        free(l->extensions);
    }
    free(r->v);
    free(r->infos);
    free(r->path);
    free(r);
}

size_t ura_registry_list(const ura_registry *cr, const ura_plugin_info **list)
{
    const ura_registry *r = ready(cr);
    *list = r->infos;
    return r->n;
}

const char *ura_registry_path(const ura_registry *r)
{
    return ready(r)->path;
}

int ura_plugin_has_extension(const struct ura_plugin *p, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (!dot || !dot[1])
        return 0;
    for (const char *const *e = p->extensions; e && *e; e++)
        if (strcasecmp(dot + 1, *e) == 0)
            return 1;
    return 0;
}

const struct ura_plugin *ura_registry_pick(const ura_registry *cr, const char *path,
                                           const unsigned char *head, size_t len)
{
    const ura_registry *r = ready(cr);
    const struct ura_plugin *best = NULL;
    int best_score = 30; /* below this, nothing claims the file */
    for (size_t i = 0; i < r->n; i++) {
        const loaded *l = &r->v[i];
        if (!l->dl)
            continue;
        int score = l->desc.probe(head, len);
        if (score < 0)
            score = 0;
        if (score > 100)
            score = 100;
        if (ura_plugin_has_extension(&l->desc, path))
            score += 50;
        if (score > best_score) {
            best_score = score;
            best = &l->desc;
        }
    }
    return best;
}

const struct ura_plugin *ura_registry_find(const ura_registry *r, const char *name)
{
    const loaded *l = name ? find_name(ready(r), NULL, name) : NULL;
    return l ? &l->desc : NULL;
}

size_t ura_registry_count(const ura_registry *cr)
{
    const ura_registry *r = ready(cr);
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->v[i].dl != NULL;
    return n;
}
