/* lock.h — the writer's lock of an index: `<index>/ura.lock`, held with
 * flock() by the one `ura index` that writes, with its PID written in the
 * file so that a second writer can say who holds it.  The kernel drops
 * the lock when its holder dies (kill -9 included), so a lock file left
 * behind never blocks the next run.  Xapian's own lock stays the inner
 * guard.  Private to libura. */
#ifndef URA_LOCK_H
#define URA_LOCK_H

#include "util.h"

typedef struct ura_lock ura_lock;

/* Takes the lock of the index folder dir, creating dir (and the folders
 * above it) and the lock file when missing.  On success *out is the held
 * lock, owned by the caller: release it with ura_lock_release().  When
 * another process holds it: URA_ERR_LOCKED, "index DIR is locked by PID N
 * (another ura index is running)"; other failures URA_ERR_RUNTIME.  Never
 * waits. */
int ura_lock_take(const char *dir, ura_lock **out, ura_error *err);

/* Releases and frees the lock (NULL is fine).  The file stays: removing
 * it would race with a process that has just opened it. */
void ura_lock_release(ura_lock *lock);

#endif
