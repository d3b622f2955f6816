/* indexer.c — `ura index`: walk the paths, have what changed extracted
 * and analysed (in the workers, or here with --in-process: digest.h),
 * write the passages, keep the per-file records, and forget files that
 * are gone.  Each file's changes (old passages deleted,
 * new ones added, its record) land in the same commit, and commits happen
 * in batches, so an interrupted run leaves a consistent index. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "engine.h"
#include "filerec.h"
#include "lock.h"
#include "query.h"
#include "worker.h"
#include "xdb.h"

/* Commit after this many changed files or bytes of text, whichever first.
 * Xapian keeps a batch's postings in per-term maps until the commit, and
 * adding a passage walks them, while a commit rewrites the blocks of
 * every posting list the batch touched, more of them as the index grows.
 * With commits in a thread of their own (below), on the bench corpora
 * 100 files took 12% less wall time than 50 at 10,000 files and the same
 * at 1,000 (200: no faster, peak RSS 160 MB; 10: slower, the fsyncs);
 * the indexer's peak RSS is then 78 MB at 1,000 files, 98 MB at 10,000. */
#define BATCH_FILES 100
#define BATCH_BYTES (32u << 20)

/* Index layout version: bumped when what is stored changes shape. */
#define URA_SCHEMA_VERSION "1"

typedef struct pathlist {
    char **v;
    size_t n, cap;
} pathlist;

static void pathlist_add(pathlist *l, const char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = ura_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = ura_xstrdup(p);
}

static void pathlist_free(pathlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect regular files under root, depth first without recursion.  Hidden
 * entries (".name") are skipped; symbolic links to files are followed,
 * links to folders are not (no loops). */
static void walk(const char *root, pathlist *files, ura_index_opts const *opts,
                 ura_index_report *rep)
{
    pathlist stack = {0};
    pathlist_add(&stack, root);
    while (stack.n) {
        char *dir = stack.v[--stack.n];
        DIR *dh = opendir(dir);
        if (!dh) {
            rep->failed++; /* its files are kept in the index as they were */
            if (opts->file_error) {
                char msg[PATH_MAX + 128];
                snprintf(msg, sizeof msg, "%s: cannot read folder: %s", dir, strerror(errno));
                opts->file_error(opts->ctx, dir, msg);
            }
            free(dir);
            continue;
        }
        struct dirent *de;
        ura_buf p = {0};
        while ((de = readdir(dh)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            ura_buf_reset(&p);
            ura_buf_printf(&p, "%s/%s", strcmp(dir, "/") ? dir : "", de->d_name);
            struct stat st;
            if (lstat(p.p, &st) != 0)
                continue;
            if (S_ISDIR(st.st_mode))
                pathlist_add(&stack, p.p);
            else if (S_ISREG(st.st_mode) ||
                     (S_ISLNK(st.st_mode) && stat(p.p, &st) == 0 && S_ISREG(st.st_mode)))
                pathlist_add(files, p.p);
        }
        ura_buf_free(&p);
        closedir(dh);
        free(dir);
    }
    pathlist_free(&stack);
}

typedef struct run {
    const char *dir;        /* the index folder                             */
    ura_engine *e;
    ura_analyser *an;
    ura_stemmer *st;
    ura_xdb *db;
    const ura_index_opts *opts;
    ura_index_report *rep;
    int stale;              /* the index was built by another analyser       */
    size_t batch_files;
    size_t batch_bytes;
    /* With workers, a commit runs in a thread of its own while this one
     * goes on feeding the workers the files already prepared; nothing
     * touches the index until it is joined (commit_join()). */
    int commit_fd;          /* eventfd, readable once the commit is done;
                               -1: commits run here, synchronously        */
    int committing;         /* a commit thread is running                   */
    pthread_t committer;
    int commit_rc;          /* the last joined commit's result (a failure
                               stays: the run stops on it)                 */
    ura_error commit_err;
} run;

static void *commit_main(void *arg)
{
    run *r = arg;
    r->commit_rc = ura_xdb_commit(r->db, &r->commit_err);
    uint64_t one = 1;
    ssize_t k = write(r->commit_fd, &one, sizeof one);
    (void)k; /* an eventfd takes it; commit_join() does not depend on it */
    return NULL;
}

/* Waits for the commit thread, if one runs; the result of the commits so
 * far (err filled, when not NULL, on a failure). */
static int commit_join(run *r, ura_error *err)
{
    if (r->committing) {
        pthread_join(r->committer, NULL);
        r->committing = 0;
        uint64_t v;
        ssize_t k = read(r->commit_fd, &v, sizeof v);
        (void)k;
    }
    if (r->commit_rc != URA_OK && err)
        *err = r->commit_err;
    return r->commit_rc;
}

/* Whether the commit thread is done (or none runs). */
static int commit_done(const run *r)
{
    struct pollfd pf = {r->commit_fd, POLLIN, 0};
    return !r->committing || poll(&pf, 1, 0) > 0;
}

/* Before a worker is forked: no other thread may be inside Xapian. */
static void commit_before_fork(void *ctx)
{
    commit_join(ctx, NULL);
}

/* Commit the batch: in a thread when there are workers to keep busy
 * meanwhile, else here. */
static int commit_start(run *r, ura_error *err)
{
    int rc = commit_join(r, err);
    if (rc != URA_OK)
        return rc;
    if (r->commit_fd < 0)
        return ura_xdb_commit(r->db, err);
    memset(&r->commit_err, 0, sizeof r->commit_err);
    if (pthread_create(&r->committer, NULL, commit_main, r) != 0)
        return ura_xdb_commit(r->db, err);
    r->committing = 1;
    return URA_OK;
}

static void add_bool(ura_xdoc *x, const char *prefix, const char *value)
{
    ura_buf b = {0};
    ura_buf_printf(&b, "%s%s", prefix, value);
    ura_xdoc_add_boolean(x, b.p, b.n);
    ura_buf_free(&b);
}

static void fields_addd(ura_buf *b, const char *key, ura_dstr s)
{
    if (s.p)
        ura_fields_add(b, key, s.p, s.n);
}

/* The slot an article's twins are found and shown by (xdb.h): only where
 * the passage has the act's XN and the article's XA term (core/digest.c
 * makes them the same way: ASCII letters in lower case) and neither holds
 * the fields' separator. */
static void set_twin_slot(ura_xdoc *x, const char *path, const char *key,
                          const ura_digest_passage *p)
{
    if (!*p->law || !*p->article || strchr(p->law, '\x1f') || strchr(p->article, '\x1f'))
        return;
    ura_buf b = {0};
    ura_buf_printf(&b, URA_PREFIX_LAW "%s", p->law);
    int ok = ura_xdb_term_ok(b.p, b.n);
    b.n = 0;
    ura_buf_printf(&b, URA_PREFIX_ARTICLE "%s", p->article);
    ok = ok && ura_xdb_term_ok(b.p, b.n);
    if (ok) {
        b.n = 0;
        ura_buf_printf(&b, "%s\x1f%s", p->law, p->article);
        for (size_t i = 0; i < b.n; i++)
            if (b.p[i] >= 'A' && b.p[i] <= 'Z')
                b.p[i] = (char)(b.p[i] + 32);
        ura_buf_printf(&b, "\x1f%s\x1f%lld\x1f%s\x1f%s\x1f%s", p->lang, p->page, key,
                       p->article, path);
        ura_xdoc_set_value(x, URA_SLOT_TWIN, b.p, b.n);
    }
    ura_buf_free(&b);
}

/* One passage of a file's digest into the index, with what only the
 * indexer adds: the passage's unique term, the file's term and format,
 * the path key and number slots, and the data. */
static int add_passage(run *r, ura_xdoc *x, const char *path, const char *key,
                       const char *format, const ura_digest_file *f,
                       const ura_digest_passage *p, size_t seq, ura_error *err)
{
    char uid[64], seqhex[17];
    snprintf(uid, sizeof uid, URA_PREFIX_UID "%s:%zu", key, seq);
    snprintf(seqhex, sizeof seqhex, "%08zx", seq & 0xffffffffu);
    ura_xdoc_add_boolean(x, uid, strlen(uid));
    add_bool(x, URA_PREFIX_FILE, key);
    add_bool(x, URA_PREFIX_FORMAT, format);
    ura_xdoc_set_value(x, URA_SLOT_FILE, key, strlen(key));
    ura_xdoc_set_value(x, URA_SLOT_SEQ, seqhex, 8);
    /* Facet slots, in the order of ura_results.facets. */
    ura_xdoc_set_value(x, URA_SLOT_FACET + 0, p->lang, strlen(p->lang));
    ura_xdoc_set_value(x, URA_SLOT_FACET + 1, format, strlen(format));
    ura_xdoc_set_value(x, URA_SLOT_FACET + 2, f->year, strlen(f->year));
    ura_xdoc_set_value(x, URA_SLOT_FACET + 3, f->type, strlen(f->type));
    if (*p->article) {
        char apos[16];
        snprintf(apos, sizeof apos, "%u", (unsigned)p->article_pos);
        ura_xdoc_set_value(x, URA_SLOT_ARTICLE_POS, apos, strlen(apos));
    }
    set_twin_slot(x, path, key, p);

    ura_buf data = {0};
    ura_fields_adds(&data, "path", path);
    fields_addd(&data, "title", f->title);
    ura_fields_adds(&data, "lang", p->lang);
    ura_fields_adds(&data, "format", format);
    ura_fields_adds(&data, "type", f->type);
    ura_fields_adds(&data, "year", *f->year ? f->year : NULL);
    ura_fields_adds(&data, "id", key);
    fields_addd(&data, "heading", p->heading);
    ura_fields_addi(&data, "page", p->page);
    ura_fields_addi(&data, "page_end", p->page_end);
    fields_addd(&data, "pages", p->pages);
    ura_fields_adds(&data, "article", *p->article ? p->article : NULL);
    ura_fields_adds(&data, "law", *p->law ? p->law : NULL);
    fields_addd(&data, "act_title", p->act_title);
    ura_fields_adds(&data, "part", *p->part ? p->part : NULL);
    fields_addd(&data, "cites", p->cites);
    ura_fields_addi(&data, "seq", (long long)seq);
    ura_fields_add(&data, "text", p->text.p, p->text.n);
    ura_xdoc_set_data(x, data.p, data.n);
    ura_buf_free(&data);
    return ura_xdb_add(r->db, x, err); /* the file's old passages are gone */
}

static int drop_passages(run *r, const char *key, ura_error *err)
{
    ura_buf t = {0};
    ura_buf_printf(&t, URA_PREFIX_FILE "%s", key);
    int rc = ura_xdb_delete_term(r->db, t.p, err);
    ura_buf_free(&t);
    return rc;
}

static int maybe_commit(run *r, size_t bytes, ura_error *err)
{
    r->batch_files++;
    r->batch_bytes += bytes;
    if (r->batch_files < BATCH_FILES && r->batch_bytes < BATCH_BYTES)
        return URA_OK;
    r->batch_files = r->batch_bytes = 0;
    return commit_start(r, err);
}

static void report_failure(run *r, const char *path, const char *reason)
{
    r->rep->failed++;
    if (r->opts->file_error)
        r->opts->file_error(r->opts->ctx, path, reason);
}

/* Is this record out of date for reasons other than the file itself: made
 * by another analyser, or by another version of its plugin? */
static int record_stale(run *r, const ura_filerec *rec)
{
    if (r->stale || !rec->analyser || strcmp(rec->analyser, URA_ANALYSER_VERSION) != 0)
        return 1;
    if (rec->status != URA_FILE_INDEXED || !rec->plugin)
        return 0;
    const struct ura_plugin *p = ura_registry_find(r->e->reg, rec->plugin);
    return p && strcmp(p->version ? p->version : "", rec->plugin_version ? rec->plugin_version : "");
}

static long long ns(struct timespec t)
{
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The crash marker: the file being extracted, so that a run that dies in
 * a plugin (extraction runs in this process) names that file next time
 * instead of dying on it again and again.  Only a death in the plugin
 * counts: a fault signal or exit() during extraction appends "\ncrashed"
 * to the marker.  A marker without it means the run was killed from
 * outside (kill -9, power loss) while extracting: the file is tried again. */
#define MARKER_CRASHED "\ncrashed\n"
static volatile sig_atomic_t marker_fd = -1;
static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define NFAULT (sizeof fault_signals / sizeof *fault_signals)
static struct sigaction fault_old[NFAULT];

static void marker_flag(void)
{
    int fd = marker_fd;
    if (fd >= 0 && write(fd, MARKER_CRASHED, sizeof MARKER_CRASHED - 1) > 0)
        marker_fd = -1;
}

/* Flags the marker, puts back the handler there was (the default, or a
 * sanitizer's) and returns: the fault happens again and that one runs. */
static void on_fault(int sig)
{
    marker_flag();
    for (size_t i = 0; i < NFAULT; i++)
        if (fault_signals[i] == sig)
            sigaction(sig, &fault_old[i], NULL);
}

static void marker_path(const char *dir, ura_buf *b)
{
    ura_buf_printf(b, "%s/extracting", dir);
}

static void marker_set(run *r, const char *path)
{
    static int at_exit;
    if (!at_exit)
        at_exit = atexit(marker_flag) == 0;
    ura_buf m = {0};
    marker_path(r->dir, &m);
    int fd = open(m.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    ura_buf_free(&m);
    if (fd < 0)
        return;
    if (write(fd, path, strlen(path)) != (ssize_t)strlen(path)) {
        close(fd);
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NFAULT; i++)
        sigaction(fault_signals[i], &sa, &fault_old[i]);
    marker_fd = fd;
}

static void marker_clear(run *r)
{
    int fd = marker_fd;
    marker_fd = -1;
    if (fd >= 0) {
        for (size_t i = 0; i < NFAULT; i++)
            sigaction(fault_signals[i], &fault_old[i], NULL);
        close(fd);
    }
    ura_buf m = {0};
    marker_path(r->dir, &m);
    unlink(m.p);
    ura_buf_free(&m);
}

/* One file on its way through the run.  Files are finished in the order
 * of the walk, whichever worker finishes first, so that the index does
 * not depend on the number of workers. */
enum { J_DONE, J_EXTRACT, J_QUEUED, J_RUNNING, J_EXTRACTED };

typedef struct job {
    const char *path;       /* borrowed from the run's file list          */
    int state;
    struct stat st;
    long long mtime, ctime;
    char key[33];
    ura_filerec rec;        /* the file's record, when found               */
    int found, stale;
    uint64_t hash;
    const struct ura_plugin *plugin; /* NULL: no plugin reads it        */
    const unsigned char *data; /* the file, until extracted             */
    size_t len;
    int fd;
    ura_buf digest;         /* extraction's result: the passages analysed */
    char *warning;          /* what extraction lost, or NULL               */
    int rc;
    ura_error ferr;
} job;

static void job_release(job *j)
{
    if (j->data || j->fd >= 0)
        ura_unmap_file(j->data, j->len, j->fd);
    j->data = NULL;
    j->fd = -1;
    if (j->found)
        ura_filerec_clear(&j->rec);
    j->found = 0;
    ura_buf_free(&j->digest);
    free(j->warning);
    j->warning = NULL;
}

/* First half of a file: is there anything to extract?  Errors about the
 * file are recorded and reported, not returned: only an index failure
 * (disk full, ...) stops the run.  J_DONE when nothing is left to do,
 * else J_EXTRACT with the file read and its plugin chosen. */
static int file_prepare(run *r, job *j, ura_error *err)
{
    const char *path = j->path;
    j->state = J_DONE;
    j->fd = -1;
    if (stat(path, &j->st) != 0)
        return URA_OK; /* gone since the walk; the next run forgets it */
    j->mtime = ns(j->st.st_mtim);
    j->ctime = ns(j->st.st_ctim);
    ura_path_key(path, j->key);

    int found = ura_filerec_get(r->db, path, &j->rec, err);
    if (found < 0)
        return err->code;
    j->found = found;
    j->stale = found && record_stale(r, &j->rec);
    ura_filerec *rec = &j->rec;
    if (found && !j->stale && rec->size == (long long)j->st.st_size && rec->mtime_ns == j->mtime &&
        rec->ctime_ns == j->ctime) {
        int failed = rec->status == URA_FILE_FAILED;
        if (!failed || !r->opts->retry_failed) {
            /* failed and unchanged: quarantined until it changes */
            if (failed)
                r->rep->still_failed++;
            else
                r->rep->unchanged++;
            return URA_OK;
        }
    }

    ura_error ferr = {0};
    int rc = ura_map_file(path, &j->data, &j->len, &j->fd, &ferr);
    if (rc != URA_OK) {
        /* Not readable now (permissions, I/O): that says nothing about
         * its content, so what the index has of it stays as it is. */
        report_failure(r, path, ferr.msg);
        return URA_OK;
    }
    j->hash = ura_hash64(j->data, j->len, 0);

    /* Touched but not changed: only the record's times move. */
    if (found && !j->stale && rec->status == URA_FILE_INDEXED && rec->hash == j->hash &&
        rec->size == (long long)j->len) {
        rec->mtime_ns = j->mtime;
        rec->ctime_ns = j->ctime;
        r->rep->unchanged++;
        rc = ura_filerec_put(r->db, rec, err);
        return rc == URA_OK ? maybe_commit(r, 0, err) : rc;
    }
    j->plugin = ura_registry_pick(r->e->reg, path, j->data, j->len < 4096 ? j->len : 4096);
    if (!j->plugin) {
        j->rc = ura_error_set(&j->ferr, URA_ERR_USAGE, "%s: no plugin reads this format", path);
        j->state = J_EXTRACTED;
    } else {
        j->state = J_EXTRACT;
    }
    return URA_OK;
}

/* Extraction in this process (--jobs 0), with the crash marker set. */
static void file_extract_here(run *r, job *j)
{
    marker_set(r, j->path);
    ura_doc *d = NULL;
    j->rc = ura_extract_with(j->plugin, j->path, j->data, j->len, j->fd, &d, &j->ferr);
    marker_clear(r);
    j->state = J_EXTRACTED;
    if (!d)
        return;
    /* the same analysis as in a worker (worker.c) */
    if (ura_digest_build(r->an, ura_engine_langid(r->e), r->st, d, &j->digest, &j->ferr) !=
        URA_OK) {
        j->rc = URA_ERR_FILE;
        ura_buf_free(&j->digest);
    } else if (d->warning) {
        j->warning = ura_xstrdup(d->warning);
    }
    ura_doc_free(d);
}

/* Second half: record what extraction gave. */
static int file_finish(run *r, job *j, ura_error *err)
{
    const char *path = j->path;
    int rc = j->rc, found = j->found;
    ura_filerec *rec = &j->rec;
    ura_error *ferr = &j->ferr;
    if (j->data || j->fd >= 0)
        ura_unmap_file(j->data, j->len, j->fd);
    j->data = NULL;
    j->fd = -1;

    if (rc == URA_ERR_RUNTIME || (rc == URA_ERR_USAGE && found &&
                                  rec->status == URA_FILE_INDEXED && rec->plugin &&
                                  !ura_registry_find(r->e->reg, rec->plugin))) {
        /* The plugin is at fault, or the one that indexed the file is not
         * loaded now: keep what the index has. */
        if (rc == URA_ERR_USAGE)
            snprintf(ferr->msg, sizeof ferr->msg,
                     "%s: plugin '%s' that indexed it is not loaded; kept as it was", path,
                     rec->plugin);
        report_failure(r, path, ferr->msg);
        return URA_OK;
    }

    /* The file's old passages go first, record or not (a passage without
     * a record cannot stay behind): its new ones are then only added. */
    int ixrc = drop_passages(r, j->key, err);
    ura_filerec nrec = {0};
    nrec.path = (char *)path;
    nrec.size = (long long)j->st.st_size;
    nrec.mtime_ns = j->mtime;
    nrec.ctime_ns = j->ctime;
    nrec.hash = j->hash;
    nrec.analyser = (char *)URA_ANALYSER_VERSION;
    size_t bytes = 0;

    if (ixrc == URA_OK && rc == URA_ERR_USAGE) {
        /* No plugin reads it: not a failure, and nothing to keep. */
        r->rep->unsupported++;
        if (found)
            ixrc = ura_filerec_delete(r->db, path, err);
    } else if (ixrc == URA_OK && rc != URA_OK && rc != URA_WARN) {
        nrec.status = URA_FILE_FAILED;
        nrec.plugin = j->plugin ? (char *)j->plugin->name : NULL;
        nrec.plugin_version = j->plugin ? (char *)j->plugin->version : NULL;
        /* The reason without the path the message starts with. */
        size_t pl = strlen(path);
        nrec.reason = strncmp(ferr->msg, path, pl) == 0 && ferr->msg[pl] == ':'
                          ? ferr->msg + pl + 1 + (ferr->msg[pl + 1] == ' ')
                          : ferr->msg;
        report_failure(r, path, ferr->msg);
        ixrc = ura_filerec_put(r->db, &nrec, err);
    } else if (ixrc == URA_OK) {
        /* Decoded strictly (a worker's digest again: it was checked when
         * it came; an in-process one here only), each passage's terms
         * going into its document in the same pass. */
        ura_digest_reader dr;
        ura_digest_file f;
        ura_digest_passage ps;
        char why[200];
        size_t np = 0;
        int k = ura_digest_open(&dr, j->digest.p, j->digest.n, &f, why, sizeof why);
        char *title = k == 0 ? ura_xstrndup(f.title.p, f.title.n) : NULL;
        for (int more = k == 0; more && ixrc == URA_OK;) {
            /* the passage's terms go into x as they are checked */
            ura_xdoc *x = ura_xdoc_new();
            k = ura_digest_next(&dr, &ps, x, why, sizeof why);
            more = k == 1;
            if (more) {
                ixrc = add_passage(r, x, path, j->key, j->plugin->name, &f, &ps, np++, err);
                bytes += ps.text.n;
                k = 0;
            }
            ura_xdoc_free(x);
        }
        if (ixrc == URA_OK && k < 0) {
            /* what was added of it goes again */
            ixrc = drop_passages(r, j->key, err);
            nrec.status = URA_FILE_FAILED;
            nrec.plugin = (char *)j->plugin->name;
            nrec.plugin_version = (char *)j->plugin->version;
            ura_error e = {0};
            ura_error_set(&e, URA_ERR_FILE, "%s: malformed frame: %s", path, why);
            nrec.reason = e.msg + strlen(path) + 2;
            report_failure(r, path, e.msg);
            if (ixrc == URA_OK)
                ixrc = ura_filerec_put(r->db, &nrec, err);
        } else if (ixrc == URA_OK) {
            nrec.status = URA_FILE_INDEXED;
            nrec.plugin = (char *)j->plugin->name;
            nrec.plugin_version = (char *)j->plugin->version;
            nrec.reason = j->warning;
            nrec.passages = (long long)np;
            nrec.title = title;
            ixrc = ura_filerec_put(r->db, &nrec, err);
            r->rep->indexed++;
            r->rep->passages += np;
            if (j->warning) {
                ura_buf w = {0};
                ura_buf_printf(&w, "%s: warning: %s", path, j->warning);
                if (r->opts->file_error)
                    r->opts->file_error(r->opts->ctx, path, w.p);
                ura_buf_free(&w);
            }
        }
        free(title);
    }
    return ixrc == URA_OK ? maybe_commit(r, bytes, err) : ixrc;
}

/* A worker's result into its job. */
static void job_take(ura_pool_result *res)
{
    job *j = res->job;
    j->rc = res->rc;
    j->digest = res->digest;
    j->warning = res->warning;
    j->ferr = res->err;
    j->state = J_EXTRACTED;
}

/* Files prepared ahead per worker: while a commit runs (0.3 s at 10,000
 * bench files), the workers take them.  At most WINDOW_MAX in all, or
 * two a worker when that is more (each holds its file open: the usual
 * limit is 1,024 descriptors), and at most WINDOW_BYTES of digests wait
 * to be written. */
#define WINDOW_PER_JOB 32
#define WINDOW_MAX 256
#define WINDOW_BYTES (64u << 20)

/* Take the files in order through a window of jobs: prepare each (in this
 * process), hand those to extract to free workers (or extract here when
 * there is no pool), and finish them in order as their results come.
 * While a commit runs, only the workers are fed. */
static int index_files(run *r, ura_pool *pool, pathlist *files, double t0, ura_error *err)
{
    const ura_index_opts *opts = r->opts;
    size_t win = pool ? WINDOW_PER_JOB * (size_t)ura_pool_jobs(pool) + 2 : 1;
    if (pool && win > WINDOW_MAX) /* yet two files a worker, as before */
        win = WINDOW_MAX > 2 * (size_t)ura_pool_jobs(pool) + 2
                  ? WINDOW_MAX
                  : 2 * (size_t)ura_pool_jobs(pool) + 2;
    job *ring = ura_xcalloc(win, sizeof *ring);
    size_t head = 0, tail = 0, next = 0; /* jobs [head, tail) are open */
    size_t held = 0;                     /* bytes of digests not written */
    int rc = URA_OK;
    ura_progress pr = {0};
    pr.total = files->n;
    while (rc == URA_OK && (next < files->n || head < tail)) {
        /* a commit that is done (or failed) lets the index be touched */
        if (commit_done(r))
            rc = commit_join(r, err);
        int busy = r->committing;
        /* fill the window */
        while (rc == URA_OK && !busy && tail - head < win && next < files->n) {
            job *j = &ring[tail % win];
            memset(j, 0, sizeof *j);
            j->path = files->v[next++];
            rc = file_prepare(r, j, err);
            tail++;
            if (rc == URA_OK && j->state == J_EXTRACT) {
                if (pool) {
                    /* a worker reads the file from its descriptor: the
                     * window holds descriptors, not contents */
                    free((void *)j->data);
                    j->data = NULL;
                    j->state = J_QUEUED;
                } else {
                    file_extract_here(r, j);
                }
            }
        }
        /* take what the workers finished meanwhile, so that they are
         * given new files before this process writes the next one */
        ura_pool_result res;
        while (pool && rc == URA_OK && ura_pool_wait(pool, &res, 0, -1)) {
            held += res.digest.n;
            job_take(&res);
        }
        /* hand out work, oldest first */
        for (size_t k = head; pool && rc == URA_OK && k < tail && held < WINDOW_BYTES &&
                              ura_pool_idle(pool);
             k++) {
            job *j = &ring[k % win];
            if (j->state != J_QUEUED)
                continue;
            rc = ura_pool_submit(pool, j, j->plugin, j->path, j->fd, err);
            if (rc == URA_OK) {
                /* the worker has its own copy of the descriptor */
                close(j->fd);
                j->fd = -1;
                j->state = J_RUNNING;
            }
        }
        /* finish what is ready, in order, one file at a time (then back
         * to the workers) */
        int moved = 0;
        while (rc == URA_OK && !busy && head < tail && !moved) {
            job *j = &ring[head % win];
            if (j->state == J_EXTRACTED)
                rc = file_finish(r, j, err);
            else if (j->state != J_DONE)
                break;
            held -= pool ? j->digest.n : 0;
            job_release(j);
            head++;
            moved = 1;
            if (opts->progress) {
                pr.done = head;
                pr.indexed = r->rep->indexed;
                pr.failed = r->rep->failed;
                pr.elapsed = now_s() - t0;
                pr.path = j->path;
                opts->progress(opts->ctx, &pr);
            }
        }
        if (rc != URA_OK || moved || (head == tail && !busy))
            continue;
        /* nothing to do here: wait for a worker, or for the commit */
        if (pool && ura_pool_wait(pool, &res, 1, busy ? r->commit_fd : -1)) {
            held += res.digest.n;
            job_take(&res);
        } else if (busy) {
            rc = commit_join(r, err);
        } else {
            rc = ura_error_set(err, URA_ERR_RUNTIME, "indexing: a file waits for a worker "
                                                     "that has none");
        }
    }
    /* no commit runs past here, and a failed one is the run's error */
    if (rc == URA_OK)
        rc = commit_join(r, err);
    else
        commit_join(r, NULL);
    for (size_t k = head; k < tail; k++)
        job_release(&ring[k % win]);
    free(ring);
    return rc;
}

/* Records of files under one of the roots that the walk did not see. */
typedef struct forget_ctx {
    char **roots;
    size_t nroots;
    pathlist *seen;
    pathlist gone;
    size_t stale;  /* records left with terms of another analyser */
} forget_ctx;

static int under_root(const char *path, char **roots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(roots[i]);
        if (strncmp(path, roots[i], k) == 0 &&
            (path[k] == '\0' || path[k] == '/' || (k == 1 && roots[i][0] == '/')))
            return 1;
    }
    return 0;
}

static int collect_gone(void *ctx, const char *key, const char *val, size_t n)
{
    forget_ctx *f = ctx;
    (void)key;
    ura_filerec rec;
    if (ura_filerec_decode(val, n, &rec) != 0)
        return 0;
    const char *p = rec.path;
    struct stat st;
    /* Forget only what is really gone: a file the walk did not list
     * because its folder could not be read, or that was indexed by name
     * inside a hidden folder, is still there. */
    if (under_root(p, f->roots, f->nroots) &&
        !bsearch(&p, f->seen->v, f->seen->n, sizeof *f->seen->v, cmp_path) &&
        lstat(p, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
        pathlist_add(&f->gone, p);
    else if (rec.status == URA_FILE_INDEXED &&
             (!rec.analyser || strcmp(rec.analyser, URA_ANALYSER_VERSION) != 0))
        f->stale++;
    ura_filerec_clear(&rec);
    return 0;
}

/* A previous run that died inside a plugin left the crash marker, flagged:
 * record that file as failed, so that this run does not stop on it too.
 * Unflagged (the run was killed from outside), the file is simply indexed
 * again by this run. */
static void recover_crash(run *r)
{
    ura_buf m = {0};
    marker_path(r->dir, &m);
    FILE *f = fopen(m.p, "r");
    char path[PATH_MAX + sizeof MARKER_CRASHED];
    size_t n = f ? fread(path, 1, sizeof path - 1, f) : 0;
    if (f)
        fclose(f);
    ura_buf_free(&m);
    if (n == 0)
        return;
    path[n] = '\0';
    char *flag = strstr(path, MARKER_CRASHED);
    if (!flag) {
        marker_clear(r);
        return;
    }
    *flag = '\0';
    struct stat st;
    if (stat(path, &st) == 0) {
        ura_filerec rec = {0};
        char key[33];
        ura_path_key(path, key);
        char msg[PATH_MAX + 200];
        snprintf(msg, sizeof msg,
                 "%s: ura died while extracting it (the plugin crashed or exited); "
                 "`ura index --retry-failed` tries it again",
                 path);
        rec.path = path;
        rec.size = (long long)st.st_size;
        rec.mtime_ns = ns(st.st_mtim);
        rec.ctime_ns = ns(st.st_ctim);
        rec.status = URA_FILE_FAILED;
        rec.reason = msg + strlen(path) + 2;
        rec.analyser = (char *)URA_ANALYSER_VERSION;
        /* Committed at once: a crash later in this run must not take
         * the record with it (else two crashing files take turns). */
        if (drop_passages(r, key, NULL) == URA_OK && ura_filerec_put(r->db, &rec, NULL) == URA_OK &&
            ura_xdb_commit(r->db, NULL) == URA_OK)
            report_failure(r, path, msg);
    }
    marker_clear(r);
}

int ura_index_paths(ura_engine *e, const char *dir, const char *const *paths,
                    size_t npaths, const ura_index_opts *opts_in,
                    ura_index_report *rep, ura_error *err)
{
    static const ura_index_opts no_opts;
    const ura_index_opts *opts = opts_in ? opts_in : &no_opts;
    ura_error local = {0};
    if (!err)
        err = &local;
    memset(rep, 0, sizeof *rep);
    double t0 = now_s();

    char **roots = ura_xcalloc(npaths, sizeof *roots);
    int rc = URA_OK;
    for (size_t i = 0; i < npaths && rc == URA_OK; i++) {
        roots[i] = realpath(paths[i], NULL);
        if (!roots[i])
            rc = ura_error_set(err, URA_ERR_USAGE, "%s: %s", paths[i], strerror(errno));
    }
    if (rc == URA_OK && ura_registry_count(e->reg) == 0)
        rc = ura_error_set(err, URA_ERR_RUNTIME,
                           "no format plugins loaded (searched %s): nothing can be "
                           "indexed; see `ura plugins`",
                           ura_registry_path(e->reg));
    ura_analyser *an = rc == URA_OK ? ura_engine_analyser(e, err) : NULL;
    if (rc == URA_OK && !an)
        rc = URA_ERR_RUNTIME;
    ura_stemmer *stem = rc == URA_OK ? ura_engine_stemmer(e, err) : NULL;
    if (rc == URA_OK && !stem)
        rc = URA_ERR_RUNTIME;
    /* Without libexttextcat (loaded at run time) or its fingerprints the
     * run goes on, each passage taking its document's declared language:
     * said once, since it touches every file. */
    if (rc == URA_OK && !ura_engine_langid(e) && opts->file_error)
        opts->file_error(opts->ctx, "",
                         "warning: no language identification (libexttextcat or its "
                         "fingerprints could not be loaded): passages keep their "
                         "document's declared language");
    /* Workers are started before the index is opened: they hold nothing
     * of it. */
    ura_pool *pool = NULL;
    if (rc == URA_OK && !opts->in_process) {
        ura_pool_limits lim = {opts->jobs, opts->timeout, opts->cpu, opts->memory};
        if (!lim.jobs) {
            long n = sysconf(_SC_NPROCESSORS_ONLN);
            lim.jobs = n > 0 ? (unsigned)n : 1;
        }
        if (lim.timeout <= 0)
            lim.timeout = 60;
        if (lim.cpu <= 0)
            lim.cpu = lim.timeout;
        if (!lim.memory)
            lim.memory = (size_t)1 << 30;
        else if (lim.memory == SIZE_MAX)
            lim.memory = 0;
        pool = ura_pool_new(e, &lim, err);
        if (!pool)
            rc = err->code;
    }
    ura_xdb *db = NULL;
    ura_lock *lock = NULL; /* one writer: a second run says who holds it */
    if (rc == URA_OK)
        rc = ura_lock_take(dir, &lock, err);
    if (rc == URA_OK)
        rc = ura_xdb_open(dir, URA_XDB_WRITE, &db, err);
    if (rc != URA_OK) {
        ura_lock_release(lock);
        ura_pool_free(pool);
        for (size_t i = 0; i < npaths; i++)
            free(roots[i]);
        free(roots);
        return rc;
    }

    run r = {.dir = dir, .e = e, .an = an, .st = stem, .db = db, .opts = opts, .rep = rep,
             .commit_fd = -1, .commit_rc = URA_OK};
    if (pool) {
        r.commit_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        ura_pool_set_fork_hook(pool, commit_before_fork, &r);
    }
    char *ver = NULL;
    size_t vn = 0;
    rc = ura_xdb_meta_get(db, "analyser", &ver, &vn, err);
    if (rc != URA_OK)
        goto done;
    r.stale = ver && (vn != strlen(URA_ANALYSER_VERSION) ||
                      memcmp(ver, URA_ANALYSER_VERSION, vn) != 0);
    free(ver);

    size_t stale_left = 0;
    recover_crash(&r);
    pathlist files = {0};
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(roots[i], &st) == 0 && S_ISDIR(st.st_mode))
            walk(roots[i], &files, opts, rep);
        else
            pathlist_add(&files, roots[i]);
    }
    qsort(files.v, files.n, sizeof *files.v, cmp_path);
    size_t w = 0; /* drop duplicates from overlapping paths */
    for (size_t i = 0; i < files.n; i++) {
        if (w && strcmp(files.v[w - 1], files.v[i]) == 0)
            free(files.v[i]);
        else
            files.v[w++] = files.v[i];
    }
    files.n = w;
    rep->files = files.n;

    rc = index_files(&r, pool, &files, t0, err);

    if (rc == URA_OK) {
        forget_ctx f = {roots, npaths, &files, {0}, 0};
        rc = ura_xdb_meta_each(db, URA_FILEREC_PREFIX, collect_gone, &f, err);
        stale_left = f.stale;
        for (size_t i = 0; i < f.gone.n && rc == URA_OK; i++) {
            char key[33];
            ura_path_key(f.gone.v[i], key);
            rc = drop_passages(&r, key, err);
            if (rc == URA_OK)
                rc = ura_filerec_delete(db, f.gone.v[i], err);
            rep->removed++;
        }
        pathlist_free(&f.gone);
    }
    /* The index as a whole is current only when no file is left with
     * terms of another analyser (a run over part of the paths). */
    if (rc == URA_OK && !stale_left)
        rc = ura_xdb_meta_set(db, "analyser", URA_ANALYSER_VERSION,
                              strlen(URA_ANALYSER_VERSION), err);
    if (rc == URA_OK)
        rc = ura_xdb_meta_set(db, "schema", URA_SCHEMA_VERSION,
                              strlen(URA_SCHEMA_VERSION), err);
    if (rc == URA_OK)
        rc = ura_xdb_commit(db, err);
    pathlist_free(&files);
done:
    commit_join(&r, NULL);
    ura_pool_free(pool);
    if (r.commit_fd >= 0)
        close(r.commit_fd);
    ura_xdb_close(db);
    ura_lock_release(lock);
    for (size_t i = 0; i < npaths; i++)
        free(roots[i]);
    free(roots);
    rep->seconds = now_s() - t0;
    return rc;
}
