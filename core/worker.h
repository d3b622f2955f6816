/* worker.h — extraction in sandboxed worker processes.
 *
 * A pool of forked workers, each holding the engine's loaded plugins.
 * Before it reads any document a worker closes every descriptor but its
 * command socket and its frame pipe, sets its limits (address space, no
 * core files, no file writes) and installs a seccomp filter (no network,
 * no exec, no new processes, no writes except to its pipe).  The indexer
 * hands it one file at a time (the open descriptor travels with
 * SCM_RIGHTS, so the worker opens nothing); the worker extracts it with
 * the chosen plugin under a CPU limit, cuts it into passages and
 * analyses them (digest.h), and sends the digest back as frames
 * (frame.h), which the parent checks strictly before taking it.  The parent enforces the wall-clock deadline.  A worker that
 * crashes, hangs, exceeds a limit, sends malformed frames or stops
 * without its end frame costs that one file, with a reason; it is then
 * replaced.  Private to libura. */
#ifndef URA_WORKER_H
#define URA_WORKER_H

#include <stddef.h>

#include "engine.h"

typedef struct ura_pool ura_pool;

typedef struct ura_pool_limits {
    unsigned jobs;       /* workers, >= 1                                  */
    double timeout;      /* wall seconds per file                          */
    double cpu;          /* CPU seconds per file                           */
    size_t memory;       /* bytes of address space per worker beyond what
                            it holds after fork; 0: no limit               */
} ura_pool_limits;

/* Start the workers, after loading the engine's analyser, stemmers and
 * language identifier (the workers use them).  The pool (owned by the
 * caller, ura_pool_free()) borrows e, which must outlive it.  NULL with err set when not even
 * one worker could be started. */
ura_pool *ura_pool_new(ura_engine *e, const ura_pool_limits *lim, ura_error *err);
void ura_pool_free(ura_pool *p);

/* The number of workers. */
unsigned ura_pool_jobs(const ura_pool *p);

/* Whether a worker is free to take a file. */
int ura_pool_idle(const ura_pool *p);

/* Give the file at path (open as fd, which the caller keeps and may close
 * after this call) to a free worker, to extract with plugin `plugin`.
 * `job` is the caller's, given back by ura_pool_wait().  Returns URA_OK,
 * or an error when no worker is free or none could be started. */
int ura_pool_submit(ura_pool *p, void *job, const struct ura_plugin *plugin,
                    const char *path, int fd, ura_error *err);

/* One finished file. */
typedef struct ura_pool_result {
    void *job;
    int rc;       /* as ura_extract_data(): URA_OK, URA_WARN, URA_ERR_FILE,
                     URA_ERR_RUNTIME, URA_ERR_USAGE                      */
    ura_buf digest; /* on URA_OK and URA_WARN: the file's digest, checked
                       (digest.h); owned by the caller (ura_buf_free)      */
    char *warning;  /* URA_WARN: the reason without the path, malloc'd,
                       owned by the caller; else NULL                      */
    ura_error err;  /* on anything but URA_OK: "path: reason"             */
} ura_pool_result;

/* Wait for the next file to finish.  Returns 1 with *res filled, 0 when
 * no file is being extracted.  With block 0, only takes what the workers
 * sent already: 0 when no file is finished yet.  Blocking, it also
 * returns 0 as soon as the descriptor `wake` (-1: none) is readable, and
 * leaves it so. */
int ura_pool_wait(ura_pool *p, ura_pool_result *res, int block, int wake);

/* fn(ctx) runs before each fork() of a worker (the first ones excepted:
 * they start in ura_pool_new()), so that a caller with a thread of its
 * own can have it stop first: a child forked while another thread holds
 * a lock would find it held forever.  fn may be NULL. */
void ura_pool_set_fork_hook(ura_pool *p, void (*fn)(void *ctx), void *ctx);

#endif
