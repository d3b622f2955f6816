/* lock.c — the writer's lock of an index (see lock.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "ura/ura.h"

struct ura_lock {
    int fd;
};

/* mkdir -p dir. */
static int make_dirs(const char *dir, ura_error *err)
{
    ura_buf p = {0};
    ura_buf_adds(&p, dir);
    int rc = URA_OK;
    for (size_t i = 1; i <= p.n && rc == URA_OK; i++) {
        if (i < p.n && p.p[i] != '/')
            continue;
        char c = p.p[i];
        p.p[i] = '\0';
        struct stat st;
        if (mkdir(p.p, 0777) != 0 && errno != EEXIST &&
            !(stat(p.p, &st) == 0 && S_ISDIR(st.st_mode)))
            rc = ura_error_set(err, URA_ERR_RUNTIME, "%s: cannot create folder %s: %s",
                               dir, p.p, strerror(errno));
        p.p[i] = c;
    }
    ura_buf_free(&p);
    return rc;
}

/* The PID the holder wrote, or 0 when unreadable.  The holder writes it
 * right after taking the lock, so an empty file is read again for a
 * while. */
static long holder_pid(int fd)
{
    for (int tries = 0; tries < 50; tries++) {
        char buf[32];
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        if (n > 0) {
            buf[n] = '\0';
            char *end;
            long pid = strtol(buf, &end, 10);
            if (pid > 0 && *end == '\n')
                return pid;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

int ura_lock_take(const char *dir, ura_lock **out, ura_error *err)
{
    *out = NULL;
    if (!dir || !*dir)
        return ura_error_set(err, URA_ERR_USAGE, "no index folder given");
    int rc = make_dirs(dir, err);
    if (rc != URA_OK)
        return rc;
    ura_buf path = {0};
    ura_buf_printf(&path, "%s/ura.lock", dir);
    int fd = open(path.p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
    if (fd < 0) {
        rc = ura_error_set(err, URA_ERR_RUNTIME, "%s: %s", path.p, strerror(errno));
        ura_buf_free(&path);
        return rc;
    }
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK) {
            long pid = holder_pid(fd);
            if (pid)
                rc = ura_error_set(err, URA_ERR_LOCKED,
                                   "index %s is locked by PID %ld (another ura index is running)",
                                   dir, pid);
            else
                rc = ura_error_set(err, URA_ERR_LOCKED,
                                   "index %s is locked by another process (another ura index "
                                   "is running)",
                                   dir);
        } else {
            rc = ura_error_set(err, URA_ERR_RUNTIME, "%s: cannot lock: %s", path.p,
                               strerror(errno));
        }
        close(fd);
        ura_buf_free(&path);
        return rc;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        rc = ura_error_set(err, URA_ERR_RUNTIME, "%s: cannot write: %s", path.p,
                           strerror(errno));
        close(fd);
        ura_buf_free(&path);
        return rc;
    }
    ura_buf_free(&path);
    ura_lock *l = ura_xcalloc(1, sizeof *l);
    l->fd = fd;
    *out = l;
    return URA_OK;
}

void ura_lock_release(ura_lock *lock)
{
    if (!lock)
        return;
    close(lock->fd); /* drops the flock */
    free(lock);
}
