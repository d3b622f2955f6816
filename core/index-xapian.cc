/* index-xapian.cc — the index (core/xdb.h) over Xapian: ura's one C++ file.
 * Every entry point catches every exception and turns it into an error code
 * with a message that names the index; nothing thrown ever reaches C. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/types.h>

#include <exception>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

#include <xapian.h>

#include "ura/ura.h"
#include "xdb.h"
extern "C" {
#include "util.h"
}

/* Nesting accepted when turning a query tree into a Xapian query: twice
 * what the parser allows, so only a broken tree can reach it. */
#define QUERY_DEPTH_MAX 64
/* Terms a prefix query expands to at most (the most frequent ones). */
#define WILDCARD_MAX 1000
/* Matches checked beyond the requested page (files when collapsing: a
 * passage that loses to a better one of its file is not counted): the
 * total is exact when no more match, else a lower bound
 * (ura_xhits.total_exact 0).  Checking every match only to count them
 * would keep the matcher from skipping the passages that cannot reach the
 * page, which is most of the work on a large index. */
#define CHECK_EXTRA 100

struct ura_xdb {
    std::string dir;
    ura_xdb_mode mode = URA_XDB_READ;
    Xapian::Database db;          /* every read goes through this handle   */
    Xapian::WritableDatabase wdb; /* the same database, when mode is WRITE */
    bool txn = false;             /* a transaction is open on wdb          */
};

struct ura_xdoc {
    Xapian::Document doc;
    int rc = URA_OK; /* the first failure while building, for replace()    */
    std::string msg;
};

/* A query tree that cannot be turned into a Xapian query. */
struct tree_error {
    int code;
    std::string msg;
};

/* ---- errors ---- */

static std::string describe(const Xapian::Error &e)
{
    std::string s = e.get_msg();
    const char *es = e.get_error_string();
    if (es && *es) {
        s += " (";
        s += es;
        s += ")";
    }
    return s;
}

/* Called from a catch block for Xapian::Error: rethrows to tell the kinds
 * apart (Xapian::Error has no virtual functions, so no dynamic_cast). */
static int xapian_fail(ura_error *err, const std::string &dir)
{
    const char *d = dir.c_str();
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &) {
        return ura_error_set(err, URA_ERR_LOCKED,
                             "%s: index is locked by another process "
                             "(is another `ura index` running?)", d);
    } catch (const Xapian::DatabaseNotFoundError &) {
        return ura_error_set(err, URA_ERR_NOINDEX,
                             "no index at %s: run `ura index` first", d);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return ura_error_set(err, URA_ERR_RUNTIME,
                             "%s: the index is damaged (%s); delete the "
                             "folder and run `ura index` again to rebuild it",
                             d, describe(e).c_str());
    } catch (const Xapian::DatabaseModifiedError &) {
        return ura_error_set(err, URA_ERR_RUNTIME,
                             "%s: the index kept changing while being read "
                             "(another `ura index` is committing); try again",
                             d);
    } catch (const Xapian::DatabaseVersionError &e) {
        return ura_error_set(err, URA_ERR_RUNTIME,
                             "%s: the index was written by an incompatible "
                             "Xapian version (%s); delete the folder and run "
                             "`ura index` again to rebuild it",
                             d, describe(e).c_str());
    } catch (const Xapian::Error &e) {
        return ura_error_set(err, URA_ERR_RUNTIME, "%s: %s", d,
                             describe(e).c_str());
    }
}

/* Runs f() and turns anything it throws into an error code and message. */
template <typename F>
static int guard(const std::string &dir, ura_error *err, F &&f)
{
    try {
        return f();
    } catch (const Xapian::Error &) {
        return xapian_fail(err, dir);
    } catch (const std::bad_alloc &) {
        return ura_error_set(err, URA_ERR_RUNTIME, "%s: out of memory",
                             dir.c_str());
    } catch (const std::exception &e) {
        return ura_error_set(err, URA_ERR_RUNTIME, "%s: %s", dir.c_str(),
                             e.what());
    } catch (...) {
        return ura_error_set(err, URA_ERR_RUNTIME, "%s: unknown error",
                             dir.c_str());
    }
}

/* Runs f(); if a writer replaced the revision a reader was reading, moves
 * the reader to the latest revision and runs f() once more.  A second
 * DatabaseModifiedError propagates. */
template <typename F>
static auto with_reopen(ura_xdb *db, F &&f) -> decltype(f())
{
    try {
        return f();
    } catch (const Xapian::DatabaseModifiedError &) {
        if (db->mode != URA_XDB_READ)
            throw;
        db->db.reopen();
        return f();
    }
}

/* For iterations that resume after the last item handed out: like
 * with_reopen(), but retries for as long as each attempt made progress
 * (`seen` grew), since a slow callback gives a writer time to commit
 * again. */
template <typename F>
static int each_with_reopen(ura_xdb *db, const size_t &seen, F &&f)
{
    size_t seen_at_retry = SIZE_MAX;
    for (;;) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (db->mode != URA_XDB_READ || seen == seen_at_retry)
                throw;
            seen_at_retry = seen;
            db->db.reopen();
        }
    }
}

static int need_writer(ura_xdb *db, ura_error *err, const char *what)
{
    if (db->mode == URA_XDB_WRITE)
        return URA_OK;
    return ura_error_set(err, URA_ERR_USAGE, "%s: cannot %s: index is open "
                         "read-only", db->dir.c_str(), what);
}

/* Every change happens inside a transaction, so that Xapian's automatic
 * flush (every XAPIAN_FLUSH_THRESHOLD documents) cannot make half a batch
 * visible, and so that closing without commit discards the batch. */
static void begin_batch(ura_xdb *db)
{
    if (!db->txn) {
        db->wdb.begin_transaction(true);
        db->txn = true;
    }
}

static int check_key(ura_xdb *db, const char *key, ura_error *err)
{
    size_t n = key ? strlen(key) : 0;
    if (n == 0)
        return ura_error_set(err, URA_ERR_USAGE, "%s: empty metadata key",
                             db->dir.c_str());
    if (n > URA_XDB_KEY_MAX)
        return ura_error_set(err, URA_ERR_USAGE, "%s: metadata key of %zu "
                             "bytes is longer than %d: %.40s...",
                             db->dir.c_str(), n, URA_XDB_KEY_MAX, key);
    return URA_OK;
}

/* mkdir -p for the folders above dir (Xapian creates dir itself). */
static int make_parents(const std::string &dir, ura_error *err)
{
    std::string p = dir;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    size_t slash = p.rfind('/');
    if (slash == std::string::npos || slash == 0)
        return URA_OK;
    p.resize(slash);
    for (size_t i = 1; i <= p.size(); i++) {
        if (i < p.size() && p[i] != '/')
            continue;
        std::string part = p.substr(0, i);
        if (mkdir(part.c_str(), 0777) == 0 || errno == EEXIST)
            continue;
        int e = errno;
        struct stat st;
        if (stat(part.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            continue; /* e.g. EACCES on a folder that is there */
        return ura_error_set(err, URA_ERR_RUNTIME, "%s: cannot create "
                             "folder %s: %s", dir.c_str(), part.c_str(),
                             strerror(e));
    }
    return URA_OK;
}

/* A folder where a writer was killed while Xapian created the database
 * holds some of its tables but not yet "iamglass", the file that makes
 * it a database: Xapian then refuses to open or create it.  Nothing was
 * ever committed there, so those partial tables are removed and the
 * database is created afresh.  Only Xapian's own file names are touched. */
static void drop_unfinished_create(const std::string &d)
{
    struct stat st;
    if (stat((d + "/iamglass").c_str(), &st) == 0 || errno != ENOENT)
        return;
    static const char *const tables[] = {"postlist", "termlist", "position",
                                         "docdata", "spelling", "synonym"};
    static const char *const exts[] = {".glass", ".baseA", ".baseB", ".tmp"};
    for (const char *t : tables)
        for (const char *e : exts)
            unlink((d + "/" + t + e).c_str());
}

/* ---- opening and committing ---- */

extern "C" int ura_xdb_open(const char *dir, enum ura_xdb_mode mode,
                            ura_xdb **out, ura_error *err)
{
    *out = NULL;
    if (!dir || !*dir)
        return ura_error_set(err, URA_ERR_USAGE, "no index folder given");
    std::string d = dir;
    return guard(d, err, [&]() -> int {
        std::unique_ptr<ura_xdb> x(new ura_xdb);
        x->dir = d;
        x->mode = mode;
        if (mode == URA_XDB_WRITE) {
            int rc = make_parents(d, err);
            if (rc)
                return rc;
            drop_unfinished_create(d);
            x->wdb = Xapian::WritableDatabase(d, Xapian::DB_CREATE_OR_OPEN);
            x->db = x->wdb;
        } else {
            struct stat st;
            if (stat(dir, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
                return ura_error_set(err, URA_ERR_NOINDEX,
                                     "no index at %s: run `ura index` first",
                                     dir);
            x->db = Xapian::Database(d);
        }
        *out = x.release();
        return URA_OK;
    });
}

extern "C" void ura_xdb_close(ura_xdb *db)
{
    if (!db)
        return;
    try {
        if (db->txn) {
            db->txn = false;
            db->wdb.cancel_transaction();
        }
    } catch (...) {
        /* cancelled anyway (Xapian's contract); nothing to report to */
    }
    try {
        db->wdb.close();
        db->db.close();
    } catch (...) {
    }
    delete db;
}

extern "C" int ura_xdb_commit(ura_xdb *db, ura_error *err)
{
    int rc = need_writer(db, err, "commit");
    if (rc)
        return rc;
    return guard(db->dir, err, [&]() -> int {
        if (db->txn) {
            /* on failure the batch is gone and no transaction is open */
            db->txn = false;
            db->wdb.commit_transaction();
        } else {
            db->wdb.commit();
        }
        return URA_OK;
    });
}

extern "C" uint32_t ura_xdb_doccount(ura_xdb *db)
{
    try {
        return with_reopen(db, [&] { return db->db.get_doccount(); });
    } catch (...) {
        return 0;
    }
}

/* ---- metadata ---- */

extern "C" int ura_xdb_meta_get(ura_xdb *db, const char *key, char **val,
                                size_t *n, ura_error *err)
{
    *val = NULL;
    *n = 0;
    int rc = check_key(db, key, err);
    if (rc)
        return rc;
    return guard(db->dir, err, [&]() -> int {
        std::string v = with_reopen(db, [&] { return db->db.get_metadata(key); });
        if (v.empty())
            return URA_OK;
        char *p = static_cast<char *>(malloc(v.size() + 1));
        if (!p)
            throw std::bad_alloc();
        memcpy(p, v.data(), v.size());
        p[v.size()] = '\0';
        *val = p;
        *n = v.size();
        return URA_OK;
    });
}

extern "C" int ura_xdb_meta_set(ura_xdb *db, const char *key, const char *val,
                                size_t n, ura_error *err)
{
    int rc = need_writer(db, err, "write metadata");
    if (!rc)
        rc = check_key(db, key, err);
    if (rc)
        return rc;
    return guard(db->dir, err, [&]() -> int {
        begin_batch(db);
        db->wdb.set_metadata(key, n ? std::string(val, n) : std::string());
        return URA_OK;
    });
}

extern "C" int ura_xdb_meta_each(ura_xdb *db, const char *prefix,
                                 int (*fn)(void *ctx, const char *key,
                                           const char *val, size_t n),
                                 void *ctx, ura_error *err)
{
    std::string pfx = prefix ? prefix : "";
    std::string last; /* the last key handed to fn: a retry resumes after it */
    size_t seen = 0;
    return guard(db->dir, err, [&]() -> int {
        return each_with_reopen(db, seen, [&]() -> int {
            /* Xapian 1.4's glass backend leaks a cursor (~16 KB) when
             * metadata_keys_begin() itself throws DatabaseModifiedError:
             * rare (a reader two commits behind) and bounded. */
            Xapian::TermIterator it = db->db.metadata_keys_begin(pfx);
            Xapian::TermIterator end = db->db.metadata_keys_end(pfx);
            if (seen) {
                it.skip_to(last);
                if (it != end && *it == last)
                    ++it;
            }
            for (; it != end; ++it) {
                std::string key = *it;
                std::string val = db->db.get_metadata(key);
                last = key;
                seen++;
                int r = fn(ctx, key.c_str(), val.c_str(), val.size());
                if (r)
                    return r;
            }
            return URA_OK;
        });
    });
}

/* ---- documents ---- */

/* Records the first failure while building d; replace() reports it. */
template <typename F>
static void build(ura_xdoc *d, F &&f)
{
    if (!d || d->rc)
        return;
    try {
        f();
    } catch (const Xapian::Error &e) {
        d->rc = URA_ERR_RUNTIME;
        d->msg = describe(e);
    } catch (const std::bad_alloc &) {
        d->rc = URA_ERR_RUNTIME;
        d->msg = "out of memory";
    } catch (const std::exception &e) {
        d->rc = URA_ERR_RUNTIME;
        d->msg = e.what();
    } catch (...) {
        d->rc = URA_ERR_RUNTIME;
        d->msg = "unknown error";
    }
}

/* Whether Xapian can store the term.  Glass escapes each NUL byte as two
 * bytes in its keys, and a key that ends up too long is only refused at
 * commit time, losing the whole batch: so count NULs twice. */
extern "C" int ura_xdb_term_ok(const char *term, size_t n)
{
    if (!term || n == 0 || n > URA_XDB_TERM_MAX)
        return 0;
    size_t stored = n;
    for (const char *p = term; (p = static_cast<const char *>(
                                    memchr(p, '\0', term + n - p))) != NULL;
         p++)
        if (++stored > URA_XDB_TERM_MAX)
            return 0;
    return 1;
}

static bool term_ok(const char *term, size_t n)
{
    return ura_xdb_term_ok(term, n) != 0;
}

extern "C" ura_xdoc *ura_xdoc_new(void)
{
    try {
        return new ura_xdoc;
    } catch (...) {
        fputs("ura: out of memory (allocating a document)\n", stderr);
        abort();
    }
}

extern "C" void ura_xdoc_free(ura_xdoc *d)
{
    delete d;
}

extern "C" void ura_xdoc_add_posting(ura_xdoc *d, const char *term, size_t n,
                                     uint32_t pos)
{
    if (ura_xdb_term_ok(term, n))
        build(d, [&] { d->doc.add_posting(std::string(term, n), pos); });
}

extern "C" void ura_xdoc_add_term(ura_xdoc *d, const char *term, size_t n,
                                  uint32_t wdf_inc)
{
    if (ura_xdb_term_ok(term, n))
        build(d, [&] { d->doc.add_term(std::string(term, n), wdf_inc); });
}

extern "C" void ura_xdoc_add_boolean(ura_xdoc *d, const char *term, size_t n)
{
    if (ura_xdb_term_ok(term, n))
        build(d, [&] { d->doc.add_boolean_term(std::string(term, n)); });
}

extern "C" void ura_xdoc_set_value(ura_xdoc *d, unsigned slot, const char *v,
                                   size_t n)
{
    build(d, [&] {
        d->doc.add_value(slot, n ? std::string(v, n) : std::string());
    });
}

extern "C" void ura_xdoc_set_data(ura_xdoc *d, const char *data, size_t n)
{
    build(d, [&] { d->doc.set_data(n ? std::string(data, n) : std::string()); });
}

extern "C" void ura_xdoc_add_full(ura_xdoc *d, const char *term, size_t n,
                                  uint32_t wdf, const uint32_t *pos, size_t npos)
{
    if (ura_xdb_term_ok(term, n))
        build(d, [&] {
            std::string t(term, n);
            if (wdf == 0 && npos == 0) {
                d->doc.add_boolean_term(t);
                return;
            }
            /* add_posting() makes the term: add_term() only for wdf
             * beyond the positions (each call is a lookup) */
            if (wdf > npos || npos == 0)
                d->doc.add_term(t, wdf - static_cast<Xapian::termcount>(npos));
            for (size_t i = 0; i < npos; i++)
                d->doc.add_posting(t, pos[i], 1);
        });
}

extern "C" int ura_xdoc_each_term(const ura_xdoc *d,
                                  void (*fn)(void *ctx, const char *term, size_t n,
                                             uint32_t wdf, const uint32_t *pos,
                                             size_t npos),
                                  void *ctx, ura_error *err)
{
    if (d->rc)
        return ura_error_set(err, d->rc, "cannot build a document: %s", d->msg.c_str());
    try {
        std::vector<uint32_t> pos;
        for (auto t = d->doc.termlist_begin(); t != d->doc.termlist_end(); ++t) {
            const std::string &name = *t;
            pos.clear();
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
                pos.push_back(*p);
            fn(ctx, name.data(), name.size(), t.get_wdf(), pos.data(), pos.size());
        }
        return URA_OK;
    } catch (const Xapian::Error &e) {
        return ura_error_set(err, URA_ERR_RUNTIME, "reading a document: %s",
                             describe(e).c_str());
    } catch (const std::bad_alloc &) {
        return ura_error_set(err, URA_ERR_RUNTIME, "out of memory");
    }
}

extern "C" int ura_xdb_replace(ura_xdb *db, const char *uid_term, ura_xdoc *d,
                               ura_error *err)
{
    int rc = need_writer(db, err, "add a document");
    if (rc)
        return rc;
    if (d->rc)
        return ura_error_set(err, d->rc, "%s: cannot build document %s: %s",
                             db->dir.c_str(), uid_term, d->msg.c_str());
    return guard(db->dir, err, [&]() -> int {
        begin_batch(db);
        db->wdb.replace_document(uid_term, d->doc);
        return URA_OK;
    });
}

extern "C" int ura_xdb_add(ura_xdb *db, ura_xdoc *d, ura_error *err)
{
    int rc = need_writer(db, err, "add a document");
    if (rc)
        return rc;
    if (d->rc)
        return ura_error_set(err, d->rc, "%s: cannot build a document: %s", db->dir.c_str(),
                             d->msg.c_str());
    return guard(db->dir, err, [&]() -> int {
        begin_batch(db);
        db->wdb.add_document(d->doc);
        return URA_OK;
    });
}

extern "C" int ura_xdb_delete_term(ura_xdb *db, const char *term, ura_error *err)
{
    int rc = need_writer(db, err, "delete documents");
    if (rc)
        return rc;
    return guard(db->dir, err, [&]() -> int {
        begin_batch(db);
        db->wdb.delete_document(term);
        return URA_OK;
    });
}

/* ---- search ---- */

[[noreturn]] static void malformed(const char *why)
{
    throw tree_error{URA_ERR_RUNTIME, std::string("malformed query tree: ") + why};
}

static void check_depth(int depth)
{
    if (depth > QUERY_DEPTH_MAX)
        throw tree_error{URA_ERR_USAGE, "query nested more than " +
                         std::to_string(QUERY_DEPTH_MAX) + " levels deep"};
}

/* A term no document can hold (too long to index) matches nothing. */
static Xapian::Query term_query(const ura_qnode *n)
{
    if (!n->term || n->term_len == 0)
        malformed("empty term"); /* Query("") would match everything */
    if (!term_ok(n->term, n->term_len))
        return Xapian::Query();
    return Xapian::Query(std::string(n->term, n->term_len));
}

static Xapian::Query unweighted(const Xapian::Query &q)
{
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0.0);
}

/* A FILTER, or an OR or AND whose kids are all filters: it selects
 * passages and adds no weight. */
static bool is_filter(const ura_qnode *n, int depth)
{
    check_depth(depth);
    if (!n)
        malformed("null node");
    if (n->op == URA_Q_FILTER)
        return true;
    if ((n->op != URA_Q_OR && n->op != URA_Q_AND) || n->nkids == 0)
        return false;
    for (size_t i = 0; i < n->nkids; i++)
        if (!is_filter(n->kids[i], depth + 1))
            return false;
    return true;
}

/* The boolean query of a node for which is_filter() holds. */
static Xapian::Query filter_query(const ura_qnode *n, int depth)
{
    check_depth(depth);
    if (n->op == URA_Q_FILTER)
        return term_query(n);
    std::vector<Xapian::Query> kids;
    for (size_t i = 0; i < n->nkids; i++)
        kids.push_back(filter_query(n->kids[i], depth + 1));
    return Xapian::Query(n->op == URA_Q_OR ? Xapian::Query::OP_OR
                                           : Xapian::Query::OP_AND,
                         kids.begin(), kids.end());
}

static Xapian::Query to_query(const ura_qnode *n, int depth);

/* The ranking of the search being built (set by ura_xdb_search; handles
 * are one per thread). */
static thread_local const ura_xrank *cur_rank;

extern "C" void ura_xrank_defaults(ura_xrank *r)
{
    r->k1 = 1.2;
    r->k2 = 0.0;
    r->k3 = 1.0;
    r->b = 0.5;
    r->min_normlen = 0.5;
    r->w[URA_W_FOLDED] = 1.0;
    r->w[URA_W_EXACT] = 1.0;
    r->w[URA_W_STEM] = 0.5;
    r->w[URA_W_TITLE] = 0.5;
    r->w[URA_W_HEADING] = 0.5;
}

/* A WORD: each kid scaled by its class's weight; classes weighted 0 are
 * left out.  Nothing left (all zero): the folded term unscaled. */
static Xapian::Query word_query(const ura_qnode *n, int depth)
{
    std::vector<Xapian::Query> kids;
    const ura_qnode *folded = NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const ura_qnode *k = n->kids[i];
        if (!k)
            malformed("null node");
        unsigned cls = k->op == URA_Q_TERM || k->op == URA_Q_PHRASE
                           ? static_cast<unsigned>(k->weight)
                           : static_cast<unsigned>(URA_W_FOLDED);
        if (cls >= URA_W_NCLASSES)
            malformed("bad weight class");
        if (k->op == URA_Q_TERM && cls == URA_W_FOLDED && !folded)
            folded = k;
        double w = cur_rank->w[cls];
        if (w <= 0.0)
            continue;
        Xapian::Query q = to_query(k, depth + 1);
        kids.push_back(w == 1.0 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, w));
    }
    if (kids.empty())
        return folded ? term_query(folded) : Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end());
}

/* The kids of n, each turned into a query, ORed. */
static Xapian::Query or_kids(const ura_qnode *n, int depth)
{
    std::vector<Xapian::Query> kids;
    for (size_t i = 0; i < n->nkids; i++)
        kids.push_back(to_query(n->kids[i], depth + 1));
    return Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end());
}

static Xapian::Query and_query(const ura_qnode *n, int depth)
{
    std::vector<Xapian::Query> pos, filters, nots;
    for (size_t i = 0; i < n->nkids; i++) {
        const ura_qnode *k = n->kids[i];
        if (!k)
            malformed("null node");
        if (k->op == URA_Q_NOT) {
            if (k->nkids == 0)
                malformed("NOT without a kid");
            nots.push_back(or_kids(k, depth + 1));
        } else if (is_filter(k, depth + 1)) {
            filters.push_back(filter_query(k, depth + 1));
        } else {
            pos.push_back(to_query(k, depth + 1));
        }
    }
    Xapian::Query q;
    if (!pos.empty()) {
        q = Xapian::Query(Xapian::Query::OP_AND, pos.begin(), pos.end());
        if (!filters.empty()) {
            filters.insert(filters.begin(), q);
            q = Xapian::Query(Xapian::Query::OP_FILTER, filters.begin(),
                              filters.end());
        }
    } else if (!filters.empty()) {
        q = unweighted(Xapian::Query(Xapian::Query::OP_AND, filters.begin(),
                                     filters.end()));
    } else {
        q = Xapian::Query::MatchAll;
    }
    if (!nots.empty())
        q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                          Xapian::Query(Xapian::Query::OP_OR, nots.begin(),
                                        nots.end()));
    return q;
}

static Xapian::Query to_query(const ura_qnode *n, int depth)
{
    check_depth(depth);
    if (!n)
        malformed("null node");
    switch (n->op) {
    case URA_Q_TERM:
        return term_query(n);
    case URA_Q_PHRASE: {
        if (n->nkids == 0)
            malformed("PHRASE without terms");
        std::vector<Xapian::Query> kids;
        for (size_t i = 0; i < n->nkids; i++) {
            const ura_qnode *k = n->kids[i];
            if (!k || k->op != URA_Q_TERM)
                malformed("PHRASE with a kid that is not a TERM");
            if (k->term && !term_ok(k->term, k->term_len))
                return Xapian::Query();
            kids.push_back(term_query(k));
        }
        return Xapian::Query(Xapian::Query::OP_PHRASE, kids.begin(), kids.end(),
                             static_cast<Xapian::termcount>(kids.size()));
    }
    case URA_Q_PREFIX:
        /* an empty prefix would expand to every term, filters included */
        if (!n->term || n->term_len == 0)
            malformed("empty PREFIX");
        if (n->term_len > URA_XDB_TERM_MAX)
            return Xapian::Query();
        return Xapian::Query(Xapian::Query::OP_WILDCARD,
                             std::string(n->term, n->term_len), WILDCARD_MAX,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    case URA_Q_AND:
        if (n->nkids == 0)
            malformed("AND without kids");
        return and_query(n, depth);
    case URA_Q_OR:
        if (n->nkids == 0)
            malformed("OR without kids");
        if (is_filter(n, depth))
            return unweighted(filter_query(n, depth));
        return or_kids(n, depth);
    case URA_Q_NOT:
        /* outside an AND: everything but the kid */
        if (n->nkids == 0)
            malformed("NOT without a kid");
        return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                             or_kids(n, depth));
    case URA_Q_FILTER:
        return unweighted(term_query(n));
    case URA_Q_ALL:
        return Xapian::Query::MatchAll; /* weight 0 for every document */
    case URA_Q_WORD:
        if (n->nkids == 0)
            malformed("WORD without kids");
        return word_query(n, depth);
    }
    malformed("unknown operator");
}

static Xapian::doccount clamp_count(size_t n)
{
    const Xapian::doccount max = static_cast<Xapian::doccount>(-1);
    return n > max ? max : static_cast<Xapian::doccount>(n);
}

struct hits_free {
    void operator()(ura_xhits *h) const { ura_xhits_free(h); }
};

/* Counts each facet slot's values over every match the matcher sees:
 * distinct files per value when `per_file`, else passages. */
class FacetSpy : public Xapian::MatchSpy {
  public:
    explicit FacetSpy(bool per_file) : per_file_(per_file) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        std::string file = per_file_ ? doc.get_value(URA_SLOT_FILE) : std::string();
        for (unsigned i = 0; i < URA_NFACETS; i++) {
            std::string v = doc.get_value(URA_SLOT_FACET + i);
            if (v.empty())
                continue;
            if (per_file_)
                files_[i][v].insert(file);
            else
                counts_[i][v]++;
        }
    }
    void fill(ura_xfacet *out) const
    {
        for (unsigned i = 0; i < URA_NFACETS; i++) {
            std::vector<std::pair<std::string, uint64_t>> v;
            if (per_file_)
                for (const auto &kv : files_[i])
                    v.emplace_back(kv.first, kv.second.size());
            else
                for (const auto &kv : counts_[i])
                    v.emplace_back(kv.first, kv.second);
            std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
                return a.second != b.second ? a.second > b.second : a.first < b.first;
            });
            ura_xfacet *f = &out[i];
            if (v.empty())
                continue;
            f->values = static_cast<char **>(calloc(v.size(), sizeof(char *)));
            f->counts = static_cast<uint64_t *>(calloc(v.size(), sizeof(uint64_t)));
            if (!f->values || !f->counts)
                throw std::bad_alloc();
            for (const auto &kv : v) {
                f->values[f->n] = strdup(kv.first.c_str());
                if (!f->values[f->n])
                    throw std::bad_alloc();
                f->counts[f->n++] = kv.second;
            }
        }
    }

  private:
    bool per_file_;
    std::map<std::string, std::set<std::string>> files_[URA_NFACETS];
    std::map<std::string, uint64_t> counts_[URA_NFACETS];
};

/* Tells whether a collapsing match saw every matching passage.  Xapian's
 * matcher counts a passage when it is its file's first or beats the best
 * so far (Collapser NEW or REPLACED), and only once that count reaches
 * check_at_least does it skip passages that cannot reach the page.  This
 * spy, which the matcher calls for each passage it weighs, counts the same
 * passages (some twice: a replaced passage still in the page is counted
 * once by Xapian); while its count stays below check_at_least the matcher
 * skipped nothing, so the files it saw are all of them. */
class SeenSpy : public Xapian::MatchSpy {
  public:
    explicit SeenSpy(Xapian::doccount limit) : limit_(limit) {}
    void operator()(const Xapian::Document &doc, double wt) override
    {
        if (counted_ >= limit_)
            return; /* skipping may have begun: nothing more to learn */
        std::string key = doc.get_value(URA_SLOT_FILE);
        if (key.empty()) {
            counted_++;
            return;
        }
        auto it = best_.find(key);
        if (it == best_.end()) {
            best_.emplace(std::move(key), wt);
            counted_++;
        } else if (wt > it->second) {
            it->second = wt; /* equal weights: the earlier docid wins */
            counted_++;
        }
    }
    bool saw_all() const { return counted_ < limit_; }

  private:
    Xapian::doccount limit_;
    Xapian::doccount counted_ = 0;
    std::unordered_map<std::string, double> best_;
};

/* How many passages of each file of ms (a collapsed MSet; files by
 * their key) match q, into counts: one boolean match of q over those
 * files' passages, each counted by its file's key. */
static void count_in_files(ura_xdb *db, const Xapian::Query &q, const Xapian::MSet &ms,
                           std::unordered_map<std::string, Xapian::doccount> &counts)
{
    std::vector<Xapian::Query> files;
    for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
        std::string key = it.get_collapse_key();
        if (!key.empty() && counts.emplace(key, 0).second)
            files.push_back(Xapian::Query(URA_PREFIX_FILE + key));
    }
    if (files.empty())
        return;
    class KeySpy : public Xapian::MatchSpy {
      public:
        explicit KeySpy(std::unordered_map<std::string, Xapian::doccount> &c) : c_(c) {}
        void operator()(const Xapian::Document &doc, double) override
        {
            auto f = c_.find(doc.get_value(URA_SLOT_FILE));
            if (f != c_.end())
                f->second++;
        }

      private:
        std::unordered_map<std::string, Xapian::doccount> &c_;
    } spy(counts);
    Xapian::Enquire fe(db->db);
    fe.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q,
                               Xapian::Query(Xapian::Query::OP_OR, files.begin(), files.end())));
    fe.set_weighting_scheme(Xapian::BoolWeight());
    fe.add_matchspy(&spy);
    (void)fe.get_mset(0, 0, db->db.get_doccount());
}

/* The hit's data: a copy of data, NUL-terminated. */
static void set_data(ura_xhit *x, const std::string &data)
{
    char *d = static_cast<char *>(malloc(data.size() + 1));
    if (!d)
        throw std::bad_alloc();
    memcpy(d, data.data(), data.size());
    d[data.size()] = '\0';
    free(x->data);
    x->data = d;
    x->ndata = data.size();
}

static int run_search(ura_xdb *db, const Xapian::Query &q,
                      const ura_xsearch *opt, ura_xhits **out)
{
    Xapian::Enquire enq(db->db);
    enq.set_query(q);
    const ura_xrank *r = cur_rank;
    enq.set_weighting_scheme(Xapian::BM25Weight(r->k1, r->k2, r->k3, r->b, r->min_normlen));
    if (opt->collapse_files)
        enq.set_collapse_key(URA_SLOT_FILE);
    size_t want = opt->offset + opt->limit;
    if (want < opt->offset)
        want = SIZE_MAX;
    size_t check = want + CHECK_EXTRA;
    if (check < want)
        check = SIZE_MAX;
    FacetSpy spy(opt->collapse_files != 0);
    SeenSpy seen(clamp_count(check));
    if (opt->facets) {
        /* The spy must see every match for the counts to be exact. */
        enq.add_matchspy(&spy);
        check = SIZE_MAX;
    } else if (opt->collapse_files) {
        enq.add_matchspy(&seen);
    }
    Xapian::MSet ms = enq.get_mset(clamp_count(opt->offset),
                                   clamp_count(opt->limit), clamp_count(check));

    std::unique_ptr<ura_xhits, hits_free> h(
        static_cast<ura_xhits *>(calloc(1, sizeof(ura_xhits))));
    if (!h)
        throw std::bad_alloc();
    bool saw_all = opt->collapse_files && (opt->facets ? check == SIZE_MAX : seen.saw_all());
    if (ms.get_matches_lower_bound() == ms.get_matches_upper_bound()) {
        h->total = ms.get_matches_lower_bound();
        h->total_exact = 1;
    } else if (saw_all) {
        /* The matcher saw every matching passage: the files it saw (its
         * lower bound) are all there are.  Xapian's estimate scales by the
         * rate of duplicates and is rounded, even then. */
        h->total = ms.get_matches_lower_bound();
        h->total_exact = 1;
    } else {
        /* More matched than were checked: the matches the matcher saw, a
         * lower bound.  (Xapian's estimate, tried, was 2 to 3 times too
         * high on the benchmark's corpus: it scales an upper-bound-like
         * count of passages by the rate of new files among the first
         * ones.) */
        h->total = ms.get_matches_lower_bound();
        h->total_exact = 0;
    }
    if (ms.size() > 0) {
        h->hits = static_cast<ura_xhit *>(calloc(ms.size(), sizeof(ura_xhit)));
        if (!h->hits)
            throw std::bad_alloc();
    }
    /* The matcher stopped counting a file's other passages when it began
     * to skip: count the shown files' passages, all files at once (the
     * files' few passages drive the match, and the query's posting lists
     * are opened once, not once per file). */
    std::unordered_map<std::string, Xapian::doccount> in_file;
    if (opt->collapse_files && !saw_all)
        count_in_files(db, q, ms, in_file);
    for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
        ura_xhit *x = &h->hits[h->n];
        x->docid = *it;
        x->score = it.get_weight();
        x->percent = it.get_percent();
        x->collapsed = 0;
        if (opt->collapse_files && saw_all) {
            x->collapsed = it.get_collapse_count();
        } else if (opt->collapse_files && !it.get_collapse_key().empty()) {
            auto c = in_file.find(it.get_collapse_key());
            x->collapsed = c != in_file.end() && c->second > 0 ? c->second - 1 : 0;
        }
        if (!opt->lazy_data)
            set_data(x, it.get_document().get_data());
        h->n++;
    }
    if (opt->facets)
        spy.fill(h->facets);
    *out = h.release();
    return URA_OK;
}

/* A value stream of one slot, read forward: the value of passage did
 * (empty when it has none), for dids asked in increasing order; the
 * stream is opened at the first look-up. */
class SlotReader {
  public:
    SlotReader(Xapian::Database &db, Xapian::valueno slot) : db_(db), slot_(slot) {}
    const std::string &at(Xapian::docid did)
    {
        if (did != did_) {
            if (!open_) {
                v_ = db_.valuestream_begin(slot_);
                end_ = db_.valuestream_end(slot_);
                open_ = true;
            }
            if (v_ != end_ && v_.get_docid() < did)
                v_.skip_to(did);
            val_ = v_ != end_ && v_.get_docid() == did ? *v_ : std::string();
            did_ = did;
        }
        return val_;
    }
    Xapian::valueno slot() const { return slot_; }

  private:
    Xapian::Database &db_;
    Xapian::valueno slot_;
    bool open_ = false;
    Xapian::ValueIterator v_, end_;
    Xapian::docid did_ = 0;
    std::string val_;
};

/* Field `field` of value v (fields separated by 0x1F; -1: the whole). */
static std::pair<const char *, size_t> value_field(const std::string &v, int field)
{
    if (field < 0)
        return {v.data(), v.size()};
    size_t from = 0;
    for (int i = 0; i < field; i++) {
        size_t sep = v.find('\x1f', from);
        if (sep == std::string::npos)
            return {"", 0};
        from = sep + 1;
    }
    size_t to = v.find('\x1f', from);
    return {v.data() + from, (to == std::string::npos ? v.size() : to) - from};
}

extern "C" int ura_xdb_select(ura_xdb *db, const char *term, const ura_xslot *test,
                              size_t ntests, const unsigned *want, size_t nwant, size_t max,
                              ura_xhits **out, ura_error *err)
{
    *out = NULL;
    return guard(db->dir, err, [&]() -> int {
        return with_reopen(db, [&] {
            std::unique_ptr<ura_xhits, hits_free> h(
                static_cast<ura_xhits *>(calloc(1, sizeof(ura_xhits))));
            if (!h)
                throw std::bad_alloc();
            h->total_exact = 1;
            if (!term || !term_ok(term, strlen(term)) || max == 0) {
                *out = h.release();
                return URA_OK;
            }
            /* one reader per slot, for the tests and the values wanted */
            std::vector<SlotReader> readers;
            readers.reserve(ntests + nwant);
            auto reader = [&](Xapian::valueno slot) -> SlotReader & {
                for (SlotReader &r : readers)
                    if (r.slot() == slot)
                        return r;
                readers.emplace_back(db->db, slot);
                return readers.back();
            };
            for (size_t i = 0; i < ntests; i++)
                reader(test[i].slot);
            for (size_t i = 0; i < nwant; i++)
                reader(want[i]);
            std::vector<std::pair<Xapian::docid, std::string>> got;
            bool more = false;
            size_t seen = 0;
            for (auto p = db->db.postlist_begin(term); p != db->db.postlist_end(term); ++p) {
                if (++seen > URA_XDB_SELECT_SCAN) {
                    more = true; /* a bound on the work, whatever the index holds */
                    break;
                }
                bool pass = true;
                for (size_t i = 0; i < ntests && pass; i++) {
                    auto f = value_field(reader(test[i].slot).at(*p), test[i].field);
                    bool same = f.second == test[i].n &&
                                (f.second == 0 || memcmp(f.first, test[i].value, f.second) == 0);
                    pass = same != (test[i].differ != 0);
                }
                if (!pass)
                    continue;
                if (got.size() == max) {
                    more = true;
                    break;
                }
                std::string vals;
                for (size_t i = 0; i < nwant; i++) {
                    vals += reader(want[i]).at(*p);
                    vals += '\0';
                }
                got.emplace_back(*p, std::move(vals));
            }
            if (!got.empty()) {
                h->hits = static_cast<ura_xhit *>(calloc(got.size(), sizeof(ura_xhit)));
                if (!h->hits)
                    throw std::bad_alloc();
            }
            for (const auto &g : got) {
                ura_xhit *x = &h->hits[h->n++];
                x->docid = g.first;
                set_data(x, g.second);
            }
            h->total = got.size();
            h->total_exact = !more;
            *out = h.release();
            return URA_OK;
        });
    });
}

extern "C" int ura_xdb_fetch_data(ura_xdb *db, ura_xhits *h, ura_error *err)
{
    return guard(db->dir, err, [&]() -> int {
        return with_reopen(db, [&] {
            for (size_t i = 0; h && i < h->n; i++)
                if (!h->hits[i].data)
                    set_data(&h->hits[i], db->db.get_document(h->hits[i].docid).get_data());
            return URA_OK;
        });
    });
}

extern "C" int ura_xdb_search(ura_xdb *db, const ura_qnode *q,
                              const ura_xsearch *opt, ura_xhits **out,
                              ura_error *err)
{
    *out = NULL;
    static const ura_xsearch defaults = {0, 10, 0, 0, NULL, 0};
    if (!opt)
        opt = &defaults;
    return guard(db->dir, err, [&]() -> int {
        ura_xrank defaults_rank;
        ura_xrank_defaults(&defaults_rank);
        cur_rank = opt->rank ? opt->rank : &defaults_rank;
        Xapian::Query xq;
        try {
            xq = to_query(q, 0);
        } catch (const tree_error &e) {
            return ura_error_set(err, e.code, "%s", e.msg.c_str());
        }
        return with_reopen(db, [&] { return run_search(db, xq, opt, out); });
    });
}

/* ---- passage choice ---- */

/* Passages of one file looked at when choosing its passage. */
#define CHOOSE_MAX 32
/* What a query word that every passage of the file has counts (its title's) */
#define EVERYWHERE_SCALE 0.2
/* What a query word in the passage heading adds (its IDF times this) */
#define HEAD_BONUS 0.5
/* Two query words side by side, in the query's order, add this share of
 * their IDFs. */
#define PAIR_BONUS 0.25

/* The positions of term in passage did into pos (increasing): how often
 * the term occurs in the passage's own heading and text, and where
 * (own_count(), in_own_heading()).  Each call is a look-up in the
 * position table with a cursor of its own (Glass reads the blocks again),
 * which is why passage choice reads as few as it can. */
static void read_positions(Xapian::Database &db, Xapian::docid did, const std::string &term,
                           std::vector<Xapian::termpos> &pos)
{
    pos.clear();
    for (auto q = db.positionlist_begin(did, term); q != db.positionlist_end(did, term); ++q)
        pos.push_back(*q);
}

/* How often a query term occurs in a passage's own heading and text (its
 * positions pos), and whether it occurs at all (*any: also the document's
 * title, which every passage of the file carries without positions).
 * A place term, which has no positions, counts once. */
static Xapian::termcount own_count(const std::vector<Xapian::termpos> &pos,
                                   const std::string &term, bool *any)
{
    *any = true;
    /* a place term has no positions: it counts once (a title's place is
     * in every passage: "everywhere"); its names' terms count the rest */
    if (term.compare(0, 2, URA_PREFIX_PLACE) == 0)
        return 1;
    return static_cast<Xapian::termcount>(pos.size());
}

/* Words of an article's own heading after its number ("Neni 5 —
 * Mbledhjet"): the text starts at least 9 positions after the heading
 * (core/indexer.c's HEADING_GAP is 8). */
#define OWN_HEADING_MAX 8

/* Calls fn(i) for each dids[i] (sorted, increasing) that posting list p
 * holds, p then standing at it: a merge of the two lists, where a
 * skip_to() that lands past several of dids passes over them all
 * (posting lists of article numbers hold one passage per file, so most
 * candidates are passed over, not looked up). */
template <typename F>
static void each_posted(Xapian::PostingIterator &p, const Xapian::PostingIterator &pend,
                        const std::vector<Xapian::docid> &dids, F &&fn)
{
    for (size_t i = 0; i < dids.size();) {
        p.skip_to(dids[i]);
        if (p == pend)
            return;
        Xapian::docid at = *p;
        while (i < dids.size() && dids[i] < at)
            i++;
        if (i < dids.size() && dids[i] == at)
            fn(i++);
    }
}

/* Calls fn(did, value) for each passage of dids (sorted, increasing)
 * with a value in slot: one walk of the slot's value stream. */
template <typename F>
static void each_value(Xapian::Database &db, Xapian::valueno slot,
                       const std::vector<Xapian::docid> &dids, F &&fn)
{
    Xapian::ValueIterator v = db.valuestream_begin(slot);
    Xapian::ValueIterator vend = db.valuestream_end(slot);
    for (Xapian::docid did : dids) {
        if (v == vend)
            return;
        v.skip_to(did);
        if (v == vend)
            return;
        if (v.get_docid() == did)
            fn(did, *v);
    }
}

/* Whether a term at positions pos (increasing) stands in the article's
 * own heading: right after the article number at apos. */
static bool in_own_heading(const std::vector<Xapian::termpos> &pos, Xapian::termpos apos)
{
    for (Xapian::termpos q : pos) {
        if (q > apos + OWN_HEADING_MAX)
            break;
        if (q > apos)
            return true;
    }
    return false;
}

/* The parts of query word n that passage choice looks for: its terms
 * (TERM nodes; not title or exact-form terms, nor filters but place
 * terms) and its PHRASE nodes, which are matched as phrases (a quoted
 * phrase and its stem phrases, a place's names of several words). */
static void word_parts(const ura_qnode *n, std::vector<std::string> &terms,
                       std::vector<const ura_qnode *> &phrases, int depth)
{
    check_depth(depth);
    if (!n)
        return;
    switch (n->op) {
    case URA_Q_TERM:
        if (n->term && n->term_len && n->term[0] != 'T' && n->term[0] != 'E' &&
            (n->term[0] != 'X' || (n->term_len > 2 && n->term[1] == 'G')) &&
            term_ok(n->term, n->term_len))
            terms.push_back(std::string(n->term, n->term_len));
        return;
    case URA_Q_PHRASE:
        phrases.push_back(n);
        return;
    case URA_Q_WORD:
    case URA_Q_OR:
    case URA_Q_AND:
        for (size_t i = 0; i < n->nkids; i++)
            word_parts(n->kids[i], terms, phrases, depth + 1);
        return;
    default:
        return; /* NOT, FILTER, PREFIX, ALL */
    }
}

/* The stemming languages of ura_xdb_choose_passages()'s per-language
 * IDF, by their stem prefix; a passage's language tag ("sr-cyrl") maps to
 * one by its first two letters. */
static const char *const idf_langs[] = {"sq", "sr", "en"};
enum { NIDF_LANGS = 3 };

static int idf_lang_of(const std::string &tag)
{
    for (int l = 0; l < NIDF_LANGS; l++)
        if (tag.compare(0, 2, idf_langs[l]) == 0)
            return l;
    return -1;
}

static int choose(ura_xdb *db, const Xapian::Query &cand,
                  const std::vector<std::vector<std::string>> &wterms,
                  const std::vector<double> &widf,
                  const std::vector<std::array<double, NIDF_LANGS>> &lidf,
                  const std::vector<Xapian::Query> &phrases, ura_xhits *h)
{
    std::vector<Xapian::Query> files;
    std::map<std::string, size_t> hit_of; /* path key -> index in h */
    for (size_t i = 0; i < h->n; i++) {
        std::string key = db->db.get_document(h->hits[i].docid).get_value(URA_SLOT_FILE);
        if (key.empty() || hit_of.count(key))
            continue;
        hit_of[key] = i;
        files.push_back(Xapian::Query(URA_PREFIX_FILE + key));
    }
    if (files.empty())
        return URA_OK;
    Xapian::Enquire enq(db->db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, cand,
                                Xapian::Query(Xapian::Query::OP_OR, files.begin(),
                                              files.end())));
    const ura_xrank *r = cur_rank;
    enq.set_weighting_scheme(Xapian::BM25Weight(r->k1, r->k2, r->k3, r->b, r->min_normlen));
    enq.set_collapse_key(URA_SLOT_FILE, CHOOSE_MAX);
    Xapian::MSet ms = enq.get_mset(0, clamp_count(files.size() * CHOOSE_MAX));
    Xapian::Query in_files(Xapian::Query::OP_OR, files.begin(), files.end());
    /* the candidates each phrase word matches, as a phrase */
    std::vector<std::set<Xapian::docid>> phrase_hits(wterms.size());
    for (size_t w = 0; w < wterms.size(); w++) {
        if (phrases[w].empty())
            continue;
        Xapian::Enquire pe(db->db);
        pe.set_query(Xapian::Query(Xapian::Query::OP_FILTER, phrases[w], in_files));
        pe.set_weighting_scheme(Xapian::BoolWeight());
        Xapian::MSet pm = pe.get_mset(0, clamp_count(files.size() * CHOOSE_MAX));
        for (Xapian::MSetIterator it = pm.begin(); it != pm.end(); ++it)
            phrase_hits[w].insert(*it);
    }
    /* query words next to each other (w, w + 1), neither a phrase: the
     * candidates where they stand side by side in that order, in any form
     * (folded terms and stems have positions; "dy gjuhët" in "në të dy
     * gjuhët zyrtare") */
    std::vector<std::set<Xapian::docid>> pair_hits(wterms.size());
    for (size_t w = 0; w + 1 < wterms.size(); w++) {
        if (!phrases[w].empty() || !phrases[w + 1].empty())
            continue;
        std::vector<Xapian::Query> sides;
        for (size_t k = w; k <= w + 1; k++) {
            std::vector<Xapian::Query> forms;
            for (const auto &t : wterms[k])
                if (!(t[0] >= 'A' && t[0] <= 'Z') || t[0] == 'Z')
                    forms.push_back(Xapian::Query(t));
            if (forms.empty())
                break;
            sides.push_back(Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end()));
        }
        if (sides.size() != 2)
            continue;
        Xapian::Enquire pe(db->db);
        pe.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                   Xapian::Query(Xapian::Query::OP_PHRASE, sides.begin(),
                                                 sides.end(), 2),
                                   in_files));
        pe.set_weighting_scheme(Xapian::BoolWeight());
        Xapian::MSet pm = pe.get_mset(0, clamp_count(files.size() * CHOOSE_MAX));
        for (Xapian::MSetIterator it = pm.begin(); it != pm.end(); ++it)
            pair_hits[w].insert(*it);
    }
    /* every query term, in byte order, with the words it belongs to */
    std::vector<std::pair<std::string, std::vector<size_t>>> terms;
    {
        std::map<std::string, std::vector<size_t>> words_of;
        for (size_t w = 0; w < wterms.size(); w++)
            for (const auto &t : wterms[w])
                words_of[t].push_back(w);
        terms.assign(words_of.begin(), words_of.end());
    }
    const size_t nw = wterms.size();
    /* A candidate passage.  How often each word is in its heading and
     * text needs the words' positions (the title's occurrences have none),
     * one B-tree look-up each; the posting lists give, for nothing, an
     * upper bound (the wdf, which also counts the title's) and whether
     * the word is there at all.  So every candidate gets a bound of its
     * coverage, and the positions are read only for the candidates whose
     * bound can still beat the best coverage found. */
    struct cand_t {
        size_t hit;
        Xapian::docid did;
        std::vector<Xapian::termcount> most; /* per word: at least its count here */
        std::vector<char> any, hterm; /* per word: here at all (also in the
                                         title); an H term here */
        std::vector<size_t> posted;   /* indices in terms of the terms here */
        bool article;
        Xapian::termpos apos; /* its article number's position, 0: unknown */
        int lang;             /* index in idf_langs, -1 for none */
        double bound;
    };
    std::vector<cand_t> cands;
    for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
        /* the collapse key is the file slot's value, kept in the MSet:
         * no document is opened for it */
        auto f = hit_of.find(it.get_collapse_key());
        if (f == hit_of.end())
            continue;
        cands.push_back(cand_t{f->second, *it, std::vector<Xapian::termcount>(nw, 0),
                               std::vector<char>(nw, 0), std::vector<char>(nw, 0),
                               std::vector<size_t>(), false, 0, -1, 0.0});
    }
    /* the candidates in docid order, to walk posting lists once */
    std::vector<Xapian::docid> dids;
    std::map<Xapian::docid, std::vector<size_t>> cand_of;
    for (size_t i = 0; i < cands.size(); i++) {
        if (!cand_of.count(cands[i].did))
            dids.push_back(cands[i].did);
        cand_of[cands[i].did].push_back(i);
    }
    std::sort(dids.begin(), dids.end());
    /* each candidate's language, from the lang facet's value stream, and
     * whether it is an article's passage, with the position of the
     * article's number in its heading: the heading words before it are a
     * chapter's title, which the segmenter puts on the chapter's first
     * article only */
    each_value(db->db, URA_SLOT_FACET, dids, [&](Xapian::docid did, const std::string &v) {
        int l = idf_lang_of(v);
        for (size_t ci : cand_of[did])
            cands[ci].lang = l;
    });
    each_value(db->db, URA_SLOT_ARTICLE_POS, dids, [&](Xapian::docid did, const std::string &v) {
        for (size_t ci : cand_of[did]) {
            cands[ci].article = true;
            cands[ci].apos = static_cast<Xapian::termpos>(strtoul(v.c_str(), NULL, 10));
        }
    });
    for (size_t ti = 0; ti < terms.size(); ti++) {
        const std::string &term = terms[ti].first;
        bool hterm = term[0] == 'H';
        bool place = term.compare(0, 2, URA_PREFIX_PLACE) == 0;
        Xapian::PostingIterator p = db->db.postlist_begin(term);
        each_posted(p, db->db.postlist_end(term), dids, [&](size_t i) {
            /* own_count(): a place term counts once, an H term (no
             * positions) not at all, others at most their wdf */
            Xapian::termcount most = place ? 1 : hterm ? 0 : p.get_wdf();
            for (size_t ci : cand_of[dids[i]]) {
                cand_t &c = cands[ci];
                c.posted.push_back(ti);
                for (size_t w : terms[ti].second) {
                    c.most[w] = std::max(c.most[w], most);
                    c.any[w] = 1;
                    c.hterm[w] |= hterm;
                }
            }
        });
    }
    /* per hit, the words every one of its candidates has (the title's,
     * or a place the whole file is about); a phrase has positions: never
     * the title's */
    std::vector<std::vector<char>> everywhere(h->n, std::vector<char>(nw, 1));
    for (cand_t &c : cands)
        for (size_t w = 0; w < nw; w++) {
            if (!phrases[w].empty() && phrase_hits[w].count(c.did)) {
                c.any[w] = 1;
                c.most[w] = std::max<Xapian::termcount>(c.most[w], 1);
            }
            if (!c.any[w])
                everywhere[c.hit][w] = 0;
        }
    /* A word in the heading or text counts its IDF, more when it comes
     * again (2n/(n+1): 1, 1.33, 1.5, ... < 2) and half again in the
     * heading; a word that every passage of the file has (its title's)
     * tells them apart far less: a fifth of that.  A passage outside the
     * articles (title page, preamble) of a file whose articles match too
     * counts half: the answer is an article.  n and head are a word's
     * count and heading, or their bounds: the sum is computed the same
     * way for both, so a bound is never below the coverage. */
    auto coverage = [&](const cand_t &c, const std::vector<Xapian::termcount> &n,
                        const std::vector<char> &head) {
        auto idf = [&](size_t w) {
            return c.lang >= 0 && lidf[w][c.lang] >= 0.0 ? lidf[w][c.lang] : widf[w];
        };
        double cov = 0.0;
        for (size_t w = 0; w + 1 < nw; w++)
            if (pair_hits[w].count(c.did))
                cov += PAIR_BONUS * (idf(w) + idf(w + 1));
        for (size_t w = 0; w < nw; w++)
            if (n[w])
                cov += idf(w) * (2.0 * n[w] / (n[w] + 1.0) + (head[w] ? HEAD_BONUS : 0.0)) *
                       (everywhere[c.hit][w] ? EVERYWHERE_SCALE : 1.0);
        if (!c.article)
            cov *= 0.5;
        return cov;
    };
    /* the exact coverage: the positions of the candidate's terms */
    std::vector<Xapian::termpos> pos;
    auto exact = [&](const cand_t &c) {
        std::vector<Xapian::termcount> n(nw, 0);
        std::vector<char> head(nw, 0);
        Xapian::termpos apos = c.apos;
        for (size_t ti : c.posted) {
            const std::string &term = terms[ti].first;
            if (term[0] == 'H' || term.compare(0, 2, URA_PREFIX_PLACE) == 0)
                pos.clear(); /* no positions */
            else
                read_positions(db->db, c.did, term, pos);
            bool any = false;
            Xapian::termcount k = own_count(pos, term, &any);
            for (size_t w : terms[ti].second) {
                n[w] = std::max(n[w], k);
                /* the heading: an H term, but in an article whose number
                 * is found only the words after it (its own title) */
                if (apos ? term[0] != 'H' && in_own_heading(pos, apos) : term[0] == 'H')
                    head[w] = 1;
            }
        }
        for (size_t w = 0; w < nw; w++)
            if (!phrases[w].empty() && phrase_hits[w].count(c.did) && n[w] == 0)
                n[w] = 1;
        return coverage(c, n, head);
    };
    /* per hit, its candidates in BM25 order */
    std::vector<std::vector<size_t>> of_hit(h->n);
    for (size_t i = 0; i < cands.size(); i++) {
        cand_t &c = cands[i];
        std::vector<char> head(nw, 0);
        for (size_t w = 0; w < nw; w++)
            head[w] = c.hterm[w] || (c.article && c.most[w] > 0);
        c.bound = coverage(c, c.most, head);
        of_hit[c.hit].push_back(i);
    }
    /* Per hit, the candidate of highest coverage, of the best BM25 weight
     * on a tie (candidates are in BM25 order): exact coverages, highest
     * bound first, only of candidates whose bound could beat or tie the
     * leader. */
    std::vector<Xapian::docid> pick(h->n, 0);
    for (size_t hi = 0; hi < h->n; hi++) {
        std::vector<size_t> order(of_hit[hi]);
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return cands[a].bound > cands[b].bound; });
        size_t lead = 0;
        double top = -1.0;
        for (size_t ci : order) {
            if (pick[hi] && cands[ci].bound < top - 1e-9)
                break;
            if (pick[hi] && cands[ci].bound <= top + 1e-9 && ci > lead)
                continue; /* at best a tie, with a lower BM25 weight */
            double cov = exact(cands[ci]);
            if (!pick[hi] || cov > top + 1e-9 || (cov >= top - 1e-9 && ci < lead)) {
                lead = ci;
                top = cov;
                pick[hi] = cands[ci].did;
            }
        }
    }
    for (size_t i = 0; i < h->n; i++) {
        ura_xhit *x = &h->hits[i];
        if (!pick[i] || pick[i] == x->docid)
            continue;
        x->docid = pick[i];
        if (x->data) /* else fetched once chosen (lazy_data) */
            set_data(x, db->db.get_document(pick[i]).get_data());
    }
    return URA_OK;
}

/* What the phrases ph of a query word (their query pq) add to the word's
 * document frequency, whose terms give df: a whole phrase match over the
 * index, so counted only when it can change what the IDF decides.  The
 * count when it can exceed df: not when every phrase's rarest term is too
 * rare together (at most df passages can hold the phrases).  A lone word
 * (`alone`) scales every candidate's coverage alike: only whether its IDF
 * is above 0 counts, so 1 when df is 0 and a phrase matches. */
static Xapian::doccount phrase_df(Xapian::Database &db, const std::vector<const ura_qnode *> &ph,
                                  const Xapian::Query &pq, Xapian::doccount df, bool alone)
{
    Xapian::Enquire pe(db);
    pe.set_query(pq);
    pe.set_weighting_scheme(Xapian::BoolWeight());
    if (alone)
        return df ? 0 : static_cast<Xapian::doccount>(pe.get_mset(0, 1).size());
    uint64_t most = 0;
    for (const ura_qnode *k : ph) {
        Xapian::doccount rarest = db.get_doccount();
        for (size_t j = 0; j < k->nkids; j++)
            rarest = std::min(rarest, db.get_termfreq(std::string(k->kids[j]->term,
                                                                  k->kids[j]->term_len)));
        most += rarest;
    }
    if (most <= df)
        return 0;
    return pe.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

extern "C" int ura_xdb_choose_passages(ura_xdb *db, const ura_qnode *cand,
                                       const ura_qnode *const *words, size_t nwords,
                                       const ura_xrank *rank, ura_xhits *h,
                                       ura_error *err)
{
    if (!h || h->n == 0 || nwords == 0 || !cand)
        return URA_OK;
    return guard(db->dir, err, [&]() -> int {
        ura_xrank defaults_rank;
        ura_xrank_defaults(&defaults_rank);
        cur_rank = rank ? rank : &defaults_rank;
        Xapian::Query cq;
        try {
            cq = to_query(cand, 0);
            for (size_t i = 0; i < nwords; i++)
                (void)to_query(words[i], 0); /* checks the words' trees */
        } catch (const tree_error &e) {
            return ura_error_set(err, e.code, "%s", e.msg.c_str());
        }
        return with_reopen(db, [&] {
            /* each word's terms (not title or exact-form terms: a folded
             * match covers the exact form; place terms only to tell where
             * the word is) and its phrases (a quoted phrase, a place's
             * names of several words: matched as phrases, not word by
             * word), and its IDF, from the most frequent of its folded
             * terms and stems, or of its phrases */
            double n = db->db.get_doccount();
            std::vector<std::vector<std::string>> wterms(nwords);
            std::vector<double> widf(nwords, 0.0);
            std::vector<Xapian::Query> phrases(nwords);
            for (size_t i = 0; i < nwords; i++) {
                std::vector<const ura_qnode *> ph;
                word_parts(words[i], wterms[i], ph, 0);

                Xapian::doccount df = 0;
                for (const auto &term : wterms[i])
                    if (term[0] != 'H' && term[0] != 'X')
                        df = std::max(df, db->db.get_termfreq(term));
                if (!ph.empty()) {
                    std::vector<Xapian::Query> pq;
                    for (const ura_qnode *k : ph)
                        pq.push_back(to_query(k, 0));
                    phrases[i] = Xapian::Query(Xapian::Query::OP_OR, pq.begin(), pq.end());
                    df = std::max(df, phrase_df(db->db, ph, phrases[i], df, nwords == 1));
                }
                if (df)
                    widf[i] = std::max(log((n + 0.5) / (df + 0.5)), 0.01);
            }
            /* and per passage language, the IDF among that language's
             * passages of the word's stems there: "të" is in a third of
             * all passages but in nearly every Albanian one, so it tells
             * Albanian passages apart hardly at all (-1: no stem there) */
            std::vector<std::array<double, NIDF_LANGS>> lidf(nwords);
            for (int l = 0; l < NIDF_LANGS; l++) {
                double nl = db->db.get_termfreq(std::string("XL") + idf_langs[l]);
                std::string zl = std::string("Z") + idf_langs[l]; /* stem.h's prefix */
                for (size_t i = 0; i < nwords; i++) {
                    Xapian::doccount df = 0;
                    bool any = false;
                    for (const auto &term : wterms[i])
                        if (term.compare(0, zl.size(), zl) == 0) {
                            any = true;
                            df = std::max(df, db->db.get_termfreq(term));
                        }
                    lidf[i][l] = any && nl > 0 && phrases[i].empty()
                                     ? std::max(log((nl + 0.5) / (df + 0.5)), 0.01)
                                     : -1.0;
                }
            }
            return choose(db, cq, wterms, widf, lidf, phrases, h);
        });
    });
}

/* The languages ("Zsq", "Zsr", "Zen") of a word's query wq: those where
 * the share of the language's passages that hold one of its stems is at
 * least a quarter of its highest share (a Serbian text quoting an
 * Albanian name does not make the name Serbian).  neutral: the word is a
 * place or has no stem (a number), so it belongs to every language. */
static void word_langs(Xapian::Database &db, const Xapian::Query &wq,
                       std::set<std::string> &langs, bool &neutral)
{
    std::map<std::string, double> lshare;
    bool place = false;
    neutral = true;
    for (auto t = wq.get_unique_terms_begin(); t != wq.get_unique_terms_end(); ++t) {
        std::string term = *t;
        if (term.empty())
            continue;
        if (term.compare(0, 2, "XG") == 0)
            place = true;
        if (term[0] == 'Z' && term.size() > 3) {
            neutral = false;
            std::string zl = term.substr(0, 3);
            double nl = db.get_termfreq("XL" + zl.substr(1));
            double share = nl > 0 ? db.get_termfreq(term) / nl : 0.0;
            if (share > 0.0)
                lshare[zl] = std::max(lshare[zl], share);
        }
    }
    if (place)
        neutral = true;
    double top = 0.0;
    for (const auto &kv : lshare)
        top = std::max(top, kv.second);
    for (const auto &kv : lshare)
        if (kv.second >= 0.25 * top)
            langs.insert(kv.first);
}

extern "C" int ura_xdb_word_langs(ura_xdb *db, const ura_qnode *word, unsigned *langs,
                                  ura_error *err)
{
    *langs = 0;
    return guard(db->dir, err, [&]() -> int {
        ura_xrank defaults_rank;
        ura_xrank_defaults(&defaults_rank);
        cur_rank = &defaults_rank;
        Xapian::Query wq;
        try {
            wq = to_query(word, 0);
        } catch (const tree_error &e) {
            return ura_error_set(err, e.code, "%s", e.msg.c_str());
        }
        return with_reopen(db, [&] {
            std::set<std::string> ls;
            bool neutral = true;
            word_langs(db->db, wq, ls, neutral);
            if (!neutral)
                *langs = (ls.count("Zsq") ? URA_XLANG_SQ : 0u) |
                         (ls.count("Zsr") ? URA_XLANG_SR : 0u) |
                         (ls.count("Zen") ? URA_XLANG_EN : 0u);
            return URA_OK;
        });
    });
}

/* The stem prefix of a passage's language ("Zsq", "Zsr", "Zen"), from
 * its first stem term; empty when it has none. */
static std::string stem_prefix(Xapian::Database &db, Xapian::docid did)
{
    Xapian::TermIterator t = db.termlist_begin(did);
    t.skip_to("Z");
    if (t == db.termlist_end(did))
        return std::string();
    std::string z = *t;
    return z.size() > 3 && z[0] == 'Z' ? z.substr(0, 3) : std::string();
}

extern "C" int ura_xdb_rank_partial(ura_xdb *db, const ura_qnode *const *words,
                                    size_t nwords, const unsigned *typed, ura_xhits *h,
                                    ura_error *err)
{
    if (!h || h->n < 2 || nwords == 0)
        return URA_OK;
    return guard(db->dir, err, [&]() -> int {
        ura_xrank defaults_rank;
        ura_xrank_defaults(&defaults_rank);
        cur_rank = &defaults_rank;
        std::vector<Xapian::Query> wq;
        try {
            for (size_t i = 0; i < nwords; i++)
                wq.push_back(to_query(words[i], 0));
        } catch (const tree_error &e) {
            return ura_error_set(err, e.code, "%s", e.msg.c_str());
        }
        return with_reopen(db, [&] {
            double n = db->db.get_doccount();
            std::map<std::string, std::vector<size_t>> words_of;
            std::vector<double> widf(nwords, 0.0);
            std::vector<bool> neutral(nwords, true);
            std::vector<std::set<std::string>> langs(nwords);
            for (size_t i = 0; i < nwords; i++) {
                Xapian::doccount df = 0;
                for (auto t = wq[i].get_unique_terms_begin(); t != wq[i].get_unique_terms_end(); ++t) {
                    std::string term = *t;
                    if (term.empty())
                        continue;
                    words_of[term].push_back(i);
                    if (term[0] != 'H' && term[0] != 'X' && term[0] != 'T' && term[0] != 'E')
                        df = std::max(df, db->db.get_termfreq(term));
                }
                bool nt = true;
                word_langs(db->db, wq[i], langs[i], nt);
                neutral[i] = nt;
                if (df)
                    widf[i] = std::max(log((n + 0.5) / (df + 0.5)), 0.01);
            }
            /* the query's languages */
            std::set<std::string> involved;
            for (size_t i = 0; i < nwords; i++) {
                if (!neutral[i])
                    involved.insert(langs[i].begin(), langs[i].end());
                unsigned b = typed ? typed[i] : 0;
                if (b & URA_XLANG_SQ)
                    involved.insert("Zsq");
                if (b & URA_XLANG_SR)
                    involved.insert("Zsr");
                if (b & URA_XLANG_EN)
                    involved.insert("Zen");
            }
            std::vector<double> cov(h->n, 0.0);
            for (size_t k = 0; k < h->n; k++) {
                Xapian::docid did = h->hits[k].docid;
                std::string zl = stem_prefix(db->db, did);
                std::vector<char> has(nwords, 0);
                Xapian::TermIterator t = db->db.termlist_begin(did);
                Xapian::TermIterator tend = db->db.termlist_end(did);
                for (const auto &kv : words_of) {
                    t.skip_to(kv.first);
                    if (t == tend)
                        break;
                    if (*t == kv.first)
                        for (size_t w : kv.second)
                            has[w] = 1;
                }
                double got = 0.0, could = 0.0;
                for (size_t w = 0; w < nwords; w++) {
                    if (has[w] || neutral[w] || langs[w].count(zl) || !involved.count(zl))
                        could += widf[w];
                    if (has[w])
                        got += widf[w];
                }
                cov[k] = could > 0.0 ? got / could : 0.0;
            }
            std::vector<size_t> order(h->n);
            for (size_t k = 0; k < h->n; k++)
                order[k] = k;
            std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
                return cov[a] > cov[b] + 1e-9;
            });
            std::vector<ura_xhit> sorted;
            for (size_t k : order)
                sorted.push_back(h->hits[k]);
            std::copy(sorted.begin(), sorted.end(), h->hits);
            return URA_OK;
        });
    });
}

extern "C" void ura_xhits_free(ura_xhits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->hits[i].data);
    free(h->hits);
    for (unsigned i = 0; i < URA_NFACETS; i++) {
        for (size_t k = 0; k < h->facets[i].n; k++)
            free(h->facets[i].values[k]);
        free(h->facets[i].values);
        free(h->facets[i].counts);
    }
    free(h);
}

/* ---- statistics ---- */

extern "C" uint32_t ura_xdb_termfreq(ura_xdb *db, const char *term)
{
    if (!term || !*term || strlen(term) > URA_XDB_TERM_MAX)
        return 0;
    try {
        return with_reopen(db, [&] { return db->db.get_termfreq(term); });
    } catch (...) {
        return 0;
    }
}

extern "C" int ura_xdb_terms_each(ura_xdb *db, const char *prefix,
                                  int (*fn)(void *ctx, const char *term,
                                            uint32_t freq),
                                  void *ctx, ura_error *err)
{
    std::string pfx = prefix ? prefix : "";
    std::string last; /* the last term handed to fn: a retry resumes after it */
    size_t seen = 0;
    return guard(db->dir, err, [&]() -> int {
        return each_with_reopen(db, seen, [&]() -> int {
            Xapian::TermIterator it = db->db.allterms_begin(pfx);
            Xapian::TermIterator end = db->db.allterms_end(pfx);
            if (seen) {
                it.skip_to(last);
                if (it != end && *it == last)
                    ++it;
            }
            for (; it != end; ++it) {
                std::string term = *it;
                Xapian::doccount freq = it.get_termfreq();
                last = term;
                seen++;
                int r = fn(ctx, term.c_str(), freq);
                if (r)
                    return r;
            }
            return URA_OK;
        });
    });
}
