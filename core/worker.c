/* worker.c — extraction in sandboxed worker processes (worker.h).
 *
 * Parent side: a slot per worker (pid, command socket, frame pipe, the
 * file it works on, the document being rebuilt from its frames), poll()
 * over the busy ones, a wall-clock deadline per file, and a reason when a
 * worker dies.  Worker side: limits, the seccomp filter, then a loop of
 * "extract the file whose descriptor came with the command, send it as
 * frames". */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* close_range, sigabbrev_np, si_syscall */
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "frame.h"
#include "util.h"
#include "worker.h"

/* libseccomp's functions, loaded by ura_pool_new() before the first
 * worker forks (ura_dl_load(): only `ura index` loads the library). */
static struct {
    __typeof__(seccomp_init) *init;
    __typeof__(seccomp_rule_add) *rule_add;
    __typeof__(seccomp_load) *load;
    __typeof__(seccomp_release) *release;
    __typeof__(seccomp_syscall_resolve_num_arch) *resolve;
} sc;

static int seccomp_lib_load(ura_error *err)
{
    if (sc.init)
        return URA_OK;
    static const char *const names[] = {"seccomp_init", "seccomp_rule_add", "seccomp_load",
                                        "seccomp_release", "seccomp_syscall_resolve_num_arch"};
    void *f[5];
    if (ura_dl_load(URA_SECCOMP_SONAME, names, f, 5, err) != URA_OK)
        return URA_ERR_RUNTIME;
    sc.rule_add = (__typeof__(sc.rule_add))f[1];
    sc.load = (__typeof__(sc.load))f[2];
    sc.release = (__typeof__(sc.release))f[3];
    sc.resolve = (__typeof__(sc.resolve))f[4];
    sc.init = (__typeof__(sc.init))f[0];
    return URA_OK;
}


/* Descriptors inside a worker. */
#define W_CMD 3
#define W_OUT 4

/* More digest bytes than the largest document the sink accepts can give
 * (its text, and each distinct word of a passage a few times over with
 * its positions): a worker past this is flooding. */
#define OUTPUT_MAX ((size_t)URA_DOC_MAX_TEXT * 6)

/* Sink calls a plugin may make after the sink said stop before the
 * worker gives up on it. */
#define IGNORED_STOPS_MAX 100000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ==================== worker side ==================== */

static size_t g_mem_probe;   /* bytes to try to map in a crash handler    */

static int write_all(int fd, const void *p, size_t n)
{
    const char *z = p;
    while (n) {
        ssize_t k = write(fd, z, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        z += k;
        n -= (size_t)k;
    }
    return 0;
}

/* SECCOMP_RET_TRAP lands here: say which call it was, then go. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    unsigned char fr[URA_FRAME_HEAD + 5];
    size_t n = ura_frame_fatal(fr, URA_FATAL_SECCOMP, si->si_syscall);
    (void)!write(W_OUT, fr, n);
    _exit(97);
}

/* A crash or an abort.  Libraries abort when malloc fails, so a crash
 * near the address-space limit is most likely that limit: if a quarter
 * of the limit cannot be mapped any more, say so before dying.  (A real
 * crash in a worker that holds more than three quarters of its limit is
 * then reported as the memory limit; both cost the file alone.) */
static void on_crash(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    if (g_mem_probe) {
        void *m = mmap(NULL, g_mem_probe, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            unsigned char fr[URA_FRAME_HEAD + 5];
            size_t n = ura_frame_fatal(fr, URA_FATAL_MEMORY, 0);
            (void)!write(W_OUT, fr, n);
        } else {
            munmap(m, g_mem_probe);
        }
    }
    raise(sig); /* SA_RESETHAND: the default action once this returns */
}

static size_t vm_size(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* The seccomp filter.  A deny list over a default of "allow", because
 * what must not happen is short and exact (network, exec, new processes,
 * writes anywhere but the frame pipe, changes to the file system), while
 * what poppler-glib, GLib, libxml2, libzip and the C library call to read
 * a document (mmap, futex, brk, openat read-only for fontconfig and
 * locale data, clock_gettime, ...) differs between versions of each: an
 * allow list would kill good documents after a library update.
 * Network, exec and process creation trap (SIGSYS: the worker reports
 * the call and exits); writes and file-system changes fail with EPERM,
 * which libraries handle (GLib's warnings to stderr among them). */
static int install_filter(void)
{
    scmp_filter_ctx f = sc.init(SCMP_ACT_ALLOW);
    if (!f)
        return -1;
    static const int trap[] = {
        SCMP_SYS(socket),  SCMP_SYS(socketpair), SCMP_SYS(connect),  SCMP_SYS(bind),
        SCMP_SYS(listen),  SCMP_SYS(accept),     SCMP_SYS(accept4),  SCMP_SYS(sendto),
        SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg),   SCMP_SYS(execve),   SCMP_SYS(execveat),
        SCMP_SYS(fork),    SCMP_SYS(vfork),      SCMP_SYS(ptrace),   SCMP_SYS(process_vm_writev),
        SCMP_SYS(process_vm_readv),
    };
    static const int eperm[] = {
        SCMP_SYS(creat),      SCMP_SYS(mkdir),      SCMP_SYS(mkdirat),   SCMP_SYS(rmdir),
        SCMP_SYS(unlink),     SCMP_SYS(unlinkat),   SCMP_SYS(rename),    SCMP_SYS(renameat),
        SCMP_SYS(renameat2),  SCMP_SYS(link),       SCMP_SYS(linkat),    SCMP_SYS(symlink),
        SCMP_SYS(symlinkat),  SCMP_SYS(chmod),      SCMP_SYS(fchmod),    SCMP_SYS(fchmodat),
        SCMP_SYS(chown),      SCMP_SYS(fchown),     SCMP_SYS(fchownat),  SCMP_SYS(lchown),
        SCMP_SYS(truncate),   SCMP_SYS(ftruncate),  SCMP_SYS(utime),     SCMP_SYS(utimes),
        SCMP_SYS(utimensat),  SCMP_SYS(futimesat),  SCMP_SYS(mknod),     SCMP_SYS(mknodat),
        SCMP_SYS(setxattr),   SCMP_SYS(lsetxattr),  SCMP_SYS(fsetxattr), SCMP_SYS(removexattr),
        SCMP_SYS(lremovexattr), SCMP_SYS(fremovexattr), SCMP_SYS(mount), SCMP_SYS(umount2),
        SCMP_SYS(chroot),     SCMP_SYS(pivot_root), SCMP_SYS(sendfile),  SCMP_SYS(splice),
        SCMP_SYS(tee),        SCMP_SYS(vmsplice),   SCMP_SYS(copy_file_range),
        SCMP_SYS(open_by_handle_at), SCMP_SYS(name_to_handle_at), SCMP_SYS(bpf),
        SCMP_SYS(perf_event_open), SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
        SCMP_SYS(fanotify_init), SCMP_SYS(inotify_init), SCMP_SYS(inotify_init1),
    };
    static const int writes[] = {SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(pwrite64),
                                 SCMP_SYS(pwritev), SCMP_SYS(pwritev2)};
    static const unsigned wflags[] = {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND};
    pid_t self = getpid();
    int rc = 0;
    for (size_t i = 0; i < sizeof trap / sizeof *trap && !rc; i++)
        rc = sc.rule_add(f, SCMP_ACT_TRAP, trap[i], 0);
    for (size_t i = 0; i < sizeof eperm / sizeof *eperm && !rc; i++)
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(EPERM), eperm[i], 0);
    /* Writes only to the frame pipe. */
    for (size_t i = 0; i < sizeof writes / sizeof *writes && !rc; i++)
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(EPERM), writes[i], 1,
                              SCMP_A0(SCMP_CMP_NE, W_OUT));
    /* Files open for reading only. */
    for (size_t i = 0; i < sizeof wflags / sizeof *wflags && !rc; i++) {
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(open), 1,
                              SCMP_A1(SCMP_CMP_MASKED_EQ, wflags[i], wflags[i]));
        if (!rc)
            rc = sc.rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(openat), 1,
                                  SCMP_A2(SCMP_CMP_MASKED_EQ, wflags[i], wflags[i]));
    }
    /* openat2 and clone3 pass their flags in memory the filter cannot
     * read: ENOSYS makes the C library fall back to openat and clone. */
    if (!rc)
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0);
    if (!rc)
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (!rc)
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(io_uring_setup), 0);
    /* Threads yes (CLONE_THREAD), processes no. */
    if (!rc)
        rc = sc.rule_add(f, SCMP_ACT_TRAP, SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    /* Signals only to itself. */
    if (!rc)
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), 1,
                              SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)self));
    if (!rc)
        rc = sc.rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tgkill), 1,
                              SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)self));
    if (!rc)
        rc = sc.load(f);
    sc.release(f);
    return rc;
}

/* Wrapping the document sink: a plugin that goes on calling it long after
 * it said stop is flooding; the worker reports that and exits. */
typedef struct guard {
    struct ura_sink front;
    const struct ura_sink *back;
    size_t ignored;
} guard;

static int guarded(guard *g, int rc)
{
    if (rc != URA_OK && ++g->ignored > IGNORED_STOPS_MAX) {
        unsigned char fr[URA_FRAME_HEAD + 5];
        size_t n = ura_frame_fatal(fr, URA_FATAL_OUTPUT, 0);
        (void)!write(W_OUT, fr, n);
        _exit(98);
    }
    return rc;
}

static int g_begin(void *ctx, enum ura_node kind, int level, const char *lang)
{
    guard *g = ctx;
    return guarded(g, g->back->begin(g->back->ctx, kind, level, lang));
}

static int g_end(void *ctx, enum ura_node kind)
{
    guard *g = ctx;
    return guarded(g, g->back->end(g->back->ctx, kind));
}

static int g_text(void *ctx, const char *z, size_t n)
{
    guard *g = ctx;
    return guarded(g, g->back->text(g->back->ctx, z, n));
}

static int g_meta(void *ctx, const char *key, const char *z, size_t n)
{
    guard *g = ctx;
    return guarded(g, g->back->meta(g->back->ctx, key, z, n));
}

/* Send what is buffered once it is large enough (or always, at the end). */
static void flush(ura_buf *b, int force)
{
    if (b->n && (force || b->n >= (256u << 10))) {
        if (write_all(W_OUT, b->p, b->n) != 0)
            _exit(99); /* the parent is gone */
        ura_buf_reset(b);
    }
}

/* The file's digest and the verdict. */
static void send_digest(const ura_buf *dg, int code, const char *warning)
{
    ura_buf b = {0};
    for (size_t at = 0; at < dg->n;) {
        size_t k = dg->n - at < (256u << 10) ? dg->n - at : (256u << 10);
        ura_frame_digest(&b, dg->p + at, k);
        flush(&b, 1);
        at += k;
    }
    ura_frame_done(&b, code, warning);
    flush(&b, 1);
    ura_buf_free(&b);
}

static void set_cpu_limit(double cpu)
{
    struct rusage ru;
    struct rlimit rl;
    if (cpu <= 0 || getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &rl) != 0)
        return;
    rlim_t used = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec + 1;
    rlim_t want = used + (rlim_t)(cpu + 0.999);
    if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
        want = rl.rlim_max;
    rl.rlim_cur = want;
    setrlimit(RLIMIT_CPU, &rl);
}

/* The analysis of a document gets its own budget once extraction is
 * over: the time limits again, plus a second per ANALYSE_RATE bytes of
 * text (a 64 MiB text is analysed in about a minute; the parent's wall
 * deadline moves the same way when the EXTRACTED frame comes). */
static double analysis_budget(double limit, size_t text)
{
    return limit + (double)text / URA_ANALYSE_RATE;
}

static void extract_one(ura_engine *e, const ura_pool_limits *lim, const char *name,
                        const char *path, int fd)
{
    ura_error err = {0};
    ura_doc *d = NULL;
    int rc;
    const struct ura_plugin *p = ura_registry_find(e->reg, name);
    struct stat st;
    const unsigned char *data = NULL;
    size_t len = 0;
    if (!p)
        rc = ura_error_set(&err, URA_ERR_RUNTIME, "%s: plugin '%s' is not loaded in the worker",
                           path, name);
    else if (fstat(fd, &st) != 0)
        rc = ura_error_set(&err, URA_ERR_FILE, "%s: %s", path, strerror(errno));
    else
        rc = ura_read_fd(fd, path, (size_t)st.st_size, &data, &len, &err);
    if (rc == URA_OK) {
        d = ura_doc_new(path, p->name, p->version);
        ura_doc_sink s;
        ura_doc_sink_init(&s, d);
        guard g = {{sizeof g.front, &g, g_begin, g_end, g_text, g_meta}, &s.sink, 0};
        struct ura_input in = {sizeof in, path, data, len, fd};
        char msg[512] = "";
        int prc = p->extract(&in, &g.front, msg, sizeof msg);
        rc = ura_extract_result(p, path, d, &s, prc, msg, &err);
        if (rc != URA_OK && rc != URA_WARN)
            d = NULL; /* freed by ura_extract_result() */
    }
    free((void *)data);
    close(fd);
    if (d) {
        /* the passages analysed here: the parent only writes them */
        ura_buf dg = {0};
        {
            ura_frame_extracted(&dg, d->text.n);
            flush(&dg, 1);
            set_cpu_limit(analysis_budget(lim->cpu, d->text.n));
        }
        ura_stemmer *stem = ura_engine_stemmer(e, &err);
        int brc = stem ? ura_digest_build(ura_engine_analyser(e, &err), ura_engine_langid(e), stem,
                                        d, &dg, &err)
                     : URA_ERR_RUNTIME;
        if (brc == URA_OK) {
            send_digest(&dg, rc, d->warning);
        } else {
            ura_buf b = {0};
            ura_frame_done(&b, URA_ERR_FILE, err.msg);
            flush(&b, 1);
            ura_buf_free(&b);
        }
        ura_buf_free(&dg);
        ura_doc_free(d);
    } else {
        ura_buf b = {0};
        ura_frame_done(&b, rc == URA_OK || rc == URA_WARN ? URA_ERR_FILE : rc, err.msg);
        flush(&b, 1);
        ura_buf_free(&b);
    }
}

static char g_altstack[1 << 16];

static void handle(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void worker_main(ura_engine *e, const ura_pool_limits *lim, int cmd, int out)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Descriptors: the command socket as 3, the frame pipe as 4,
     * /dev/null as 0-2, nothing else. */
    int a = fcntl(cmd, F_DUPFD, 10), b = fcntl(out, F_DUPFD, 10);
    int null = open("/dev/null", O_RDWR);
    if (a < 0 || b < 0 || null < 0 || dup2(a, W_CMD) < 0 || dup2(b, W_OUT) < 0)
        _exit(120);
    for (int fd = 0; fd < 3; fd++)
        dup2(null, fd);
    close_range(W_OUT + 1, ~0u, 0);

    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    stack_t ss = {.ss_sp = g_altstack, .ss_size = sizeof g_altstack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    handle(SIGSYS, on_sigsys, 0);
    static const int crash[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof crash / sizeof *crash; i++)
        handle(crash[i], on_crash, SA_RESETHAND);

    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    setrlimit(RLIMIT_FSIZE, &rl);
    if (!UNDER_ASAN && lim->memory) {
        rl.rlim_cur = rl.rlim_max = (rlim_t)(vm_size() + lim->memory);
        setrlimit(RLIMIT_AS, &rl);
        g_mem_probe = lim->memory / 4;
    }
    if (install_filter() != 0)
        _exit(121);

    char buf[PATH_MAX + 512];
    for (;;) {
        union {
            struct cmsghdr h;
            char space[CMSG_SPACE(sizeof(int))];
        } ctl;
        struct iovec iov = {buf, sizeof buf - 1};
        struct msghdr mh = {0};
        mh.msg_iov = &iov;
        mh.msg_iovlen = 1;
        mh.msg_control = ctl.space;
        mh.msg_controllen = sizeof ctl.space;
        ssize_t n = recvmsg(W_CMD, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(0); /* the parent closed the socket: done */
        buf[n] = '\0';
        int fd = -1;
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
        const char *name = buf, *path = memchr(buf, '\0', (size_t)n);
        if (fd < 0 || !path || path + 1 >= buf + n)
            _exit(122);
        path++;
        set_cpu_limit(lim->cpu);
        extract_one(e, lim, name, path, fd);
    }
}

/* ==================== parent side ==================== */

typedef struct slot {
    pid_t pid;               /* 0: no worker                              */
    int cmd, out;            /* the parent's ends                          */
    void *job;               /* NULL: idle                                 */
    char *path;              /* owned, while busy                          */
    double deadline;
    ura_buf in;              /* received, not yet decoded                  */
    size_t got;              /* bytes received for this file               */
    int fatal, fatal_value;  /* a FATAL frame arrived                      */
    int extracted;           /* the EXTRACTED frame arrived                */
    ura_buf dg;              /* the file's digest so far                   */
} slot;

struct ura_pool {
    ura_engine *e;
    ura_pool_limits lim;
    slot *s;
    unsigned n;
    double away;             /* when the parent last stopped listening     */
    void (*before_fork)(void *ctx); /* ura_pool_set_fork_hook(), or NULL */
    void *fork_ctx;
};

void ura_pool_set_fork_hook(ura_pool *p, void (*fn)(void *ctx), void *ctx)
{
    p->before_fork = fn;
    p->fork_ctx = ctx;
}

static void slot_close(slot *s)
{
    if (s->cmd >= 0)
        close(s->cmd);
    if (s->out >= 0)
        close(s->out);
    s->cmd = s->out = -1;
    s->pid = 0;
    ura_buf_reset(&s->in);
}

/* Kill (if asked) and reap the worker; *status as from waitpid(). */
static void slot_reap(slot *s, int kill_it, int *status)
{
    *status = 0;
    if (s->pid > 0) {
        if (kill_it)
            kill(s->pid, SIGKILL);
        while (waitpid(s->pid, status, 0) < 0 && errno == EINTR)
            ;
    }
    slot_close(s);
}

static int spawn(ura_pool *p, slot *s, ura_error *err)
{
    int sv[2], pp[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return ura_error_set(err, URA_ERR_RUNTIME, "worker: socketpair: %s", strerror(errno));
    if (pipe2(pp, O_CLOEXEC) != 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        return ura_error_set(err, URA_ERR_RUNTIME, "worker: pipe: %s", strerror(e));
    }
    if (p->before_fork)
        p->before_fork(p->fork_ctx);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        worker_main(p->e, &p->lim, sv[1], pp[1]);
        _exit(0);
    }
    int e = errno;
    close(sv[1]);
    close(pp[1]);
    if (pid < 0) {
        close(sv[0]);
        close(pp[0]);
        return ura_error_set(err, URA_ERR_RUNTIME, "worker: fork: %s", strerror(e));
    }
    fcntl(pp[0], F_SETFL, O_NONBLOCK);
    /* Room for a whole small document while the parent is busy. */
    (void)fcntl(pp[0], F_SETPIPE_SZ, 1 << 20);
    s->pid = pid;
    s->cmd = sv[0];
    s->out = pp[0];
    return URA_OK;
}

ura_pool *ura_pool_new(ura_engine *e, const ura_pool_limits *lim, ura_error *err)
{
    /* Everything the analysis needs is loaded before the workers start:
     * once a worker's filter is in place it opens no file. */
    if (!ura_engine_analyser(e, err) || !ura_engine_stemmer(e, err) ||
        seccomp_lib_load(err) != URA_OK)
        return NULL;
    (void)ura_engine_langid(e);
    ura_pool *p = ura_xcalloc(1, sizeof *p);
    p->e = e;
    p->lim = *lim;
    p->n = lim->jobs ? lim->jobs : 1;
    p->s = ura_xcalloc(p->n, sizeof *p->s);
    for (unsigned i = 0; i < p->n; i++)
        p->s[i].cmd = p->s[i].out = -1;
    /* A worker that dies at once (seccomp not supported) shows here. */
    for (unsigned i = 0; i < p->n; i++)
        if (spawn(p, &p->s[i], err) != URA_OK) {
            ura_pool_free(p);
            return NULL;
        }
    return p;
}

void ura_pool_free(ura_pool *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < p->n; i++) {
        slot *s = &p->s[i];
        int st;
        /* Closing the command socket tells an idle worker to exit; a busy
         * one is killed. */
        if (s->cmd >= 0)
            close(s->cmd);
        s->cmd = -1;
        slot_reap(s, s->job != NULL, &st);
        ura_buf_free(&s->in);
        ura_buf_free(&s->dg);
        free(s->path);
    }
    free(p->s);
    free(p);
}

unsigned ura_pool_jobs(const ura_pool *p)
{
    return p->n;
}

int ura_pool_idle(const ura_pool *p)
{
    for (unsigned i = 0; i < p->n; i++)
        if (!p->s[i].job)
            return 1;
    return 0;
}

/* Whether an idle worker is still sound: nothing to read (a frame from
 * an idle worker is one too many), not gone. */
static int idle_sound(slot *s)
{
    char c;
    ssize_t k = read(s->out, &c, 1);
    return k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

static int send_cmd(slot *s, const char *name, const char *path, int fd)
{
    ura_buf m = {0};
    ura_buf_add(&m, name, strlen(name) + 1);
    ura_buf_add(&m, path, strlen(path) + 1);
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec iov = {m.p, m.n};
    struct msghdr mh = {0};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = ctl.space;
    mh.msg_controllen = sizeof ctl.space;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    ssize_t k;
    do
        k = sendmsg(s->cmd, &mh, MSG_NOSIGNAL);
    while (k < 0 && errno == EINTR);
    ura_buf_free(&m);
    return k < 0 ? -1 : 0;
}

int ura_pool_submit(ura_pool *p, void *job, const struct ura_plugin *plugin,
                    const char *path, int fd, ura_error *err)
{
    slot *s = NULL;
    for (unsigned i = 0; i < p->n && !s; i++)
        if (!p->s[i].job)
            s = &p->s[i];
    if (!s)
        return ura_error_set(err, URA_ERR_RUNTIME, "worker: none free");
    for (int attempt = 0;; attempt++) {
        int st;
        if (s->pid && !idle_sound(s))
            slot_reap(s, 1, &st);
        if (!s->pid && spawn(p, s, err) != URA_OK)
            return err->code;
        if (send_cmd(s, plugin->name, path, fd) == 0)
            break;
        slot_reap(s, 1, &st);
        if (attempt == 1)
            return ura_error_set(err, URA_ERR_RUNTIME, "worker: cannot send it a file: %s",
                                 strerror(errno));
    }
    s->job = job;
    s->path = ura_xstrdup(path);
    s->deadline = now_s() + p->lim.timeout;
    s->got = 0;
    s->fatal = s->fatal_value = 0;
    ura_buf_reset(&s->dg);
    s->extracted = 0;
    return URA_OK;
}

/* The file is finished one way or another: hand back the job. */
static void slot_done(slot *s, ura_pool_result *res)
{
    res->job = s->job;
    s->job = NULL;
    free(s->path);
    s->path = NULL;
    ura_buf_reset(&s->in);
    if (res->rc == URA_OK || res->rc == URA_WARN) {
        res->digest = s->dg; /* the caller's now */
        memset(&s->dg, 0, sizeof s->dg);
    } else {
        ura_buf_free(&s->dg); /* a flood's bytes are not kept */
    }
}

/* The worker failed on this file: kill it (it is replaced on the next
 * submit) and say why.  `why` has no file name. */
static void slot_fail(slot *s, ura_pool_result *res, const char *why)
{
    int st;
    slot_reap(s, 1, &st);
    res->rc = ura_error_set(&res->err, URA_ERR_FILE, "%s: %s", s->path, why);
    slot_done(s, res);
}

static const char *sig_name(int sig, char *buf, size_t n)
{
    const char *a = sigabbrev_np(sig);
    if (a)
        snprintf(buf, n, "SIG%s", a);
    else
        snprintf(buf, n, "signal %d", sig);
    return buf;
}

/* The worker closed its pipe before its end frame: why. */
static void slot_died(ura_pool *p, slot *s, ura_pool_result *res)
{
    int st;
    slot_reap(s, 0, &st);
    char why[256], sn[32];
    if (s->fatal == URA_FATAL_SECCOMP) {
        char *name = sc.resolve(SCMP_ARCH_NATIVE, s->fatal_value);
        snprintf(why, sizeof why, "seccomp: forbidden system call %d (%s)", s->fatal_value,
                 name ? name : "?");
        free(name);
    } else if (s->fatal == URA_FATAL_MEMORY) {
        snprintf(why, sizeof why, "memory limit (%zu MiB of address space)",
                 p->lim.memory >> 20);
    } else if (s->fatal == URA_FATAL_OUTPUT) {
        snprintf(why, sizeof why, "output limit: the plugin went on emitting after the "
                                  "sink said stop");
    } else if (WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        if (sig == SIGXCPU)
            snprintf(why, sizeof why, "cpu limit (%g s)", p->lim.cpu);
        else if (sig == SIGSYS)
            snprintf(why, sizeof why, "seccomp: forbidden system call");
        else if (sig == SIGABRT)
            snprintf(why, sizeof why, "abort (SIGABRT)");
        else
            snprintf(why, sizeof why, "crash (%s)", sig_name(sig, sn, sizeof sn));
    } else {
        snprintf(why, sizeof why, "no end event: the worker exited with status %d",
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    res->rc = ura_error_set(&res->err, URA_ERR_FILE, "%s: %s", s->path, why);
    slot_done(s, res);
}

/* The message of a DONE frame, from an untrusted worker: one line of
 * valid UTF-8, naming the file. */
static void done_message(slot *s, const ura_frame *f, ura_error *err, int code)
{
    ura_buf m = {0};
    ura_utf8_clean(&m, f->b, f->blen);
    for (size_t i = 0; i < m.n; i++)
        if (m.p[i] == '\n' || m.p[i] == '\t')
            m.p[i] = ' ';
    size_t pl = strlen(s->path);
    const char *why = m.p ? m.p : "";
    if (strncmp(why, s->path, pl) == 0 && why[pl] == ':')
        why += pl + 1 + (why[pl + 1] == ' ');
    ura_error_set(err, code, "%s: %s", s->path, *why ? why : "no reason given");
    ura_buf_free(&m);
}

/* Take one frame.  1: the file is finished (*res filled), 0: go on, -1:
 * malformed (why[] says how). */
static int take(ura_pool *p, slot *s, const ura_frame *f, ura_pool_result *res, char *why,
                size_t wn)
{
    switch (f->type) {
    case URA_FR_EXTRACTED:
        if (s->extracted || s->dg.n) {
            snprintf(why, wn, "a second extracted frame, or one after the digest");
            return -1;
        }
        s->extracted = 1;
        s->deadline = now_s() + analysis_budget(p->lim.timeout, (size_t)f->value);
        return 0;
    case URA_FR_DIGEST:
        ura_buf_add(&s->dg, f->b, f->blen);
        return 0;
    case URA_FR_FATAL:
        s->fatal = f->code;
        s->fatal_value = f->value;
        return 0;
    case URA_FR_DONE:
        break;
    }
    int code = f->code;
    if (code == URA_OK || code == URA_WARN) {
        /* The passages of this file and nothing else: checked here,
         * while the worker can still be blamed (and replaced). */
        if (ura_digest_check(s->dg.p, s->dg.n, why, wn) != 0)
            return -1;
        if (code == URA_WARN) {
            ura_error e = {0};
            if (f->blen)
                done_message(s, f, &e, URA_WARN);
            else
                ura_error_set(&e, URA_WARN, "%s: %s", s->path, "partly extracted");
            res->warning = ura_xstrdup(e.msg + strlen(s->path) + 2);
            res->err = e;
        }
        res->rc = code;
    } else {
        done_message(s, f, &res->err, code == URA_ERR_USAGE ? URA_ERR_RUNTIME : code);
        res->rc = res->err.code;
    }
    slot_done(s, res);
    return 1;
}

/* Read what the worker sent and decode it.  1: the file is finished. */
static int pump(ura_pool *p, slot *s, ura_pool_result *res)
{
    char tmp[1 << 16];
    for (;;) {
        ssize_t k = read(s->out, tmp, sizeof tmp);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (k <= 0) {
            slot_died(p, s, res);
            return 1;
        }
        s->got += (size_t)k;
        if (s->got > OUTPUT_MAX) {
            char why[128];
            snprintf(why, sizeof why, "output limit (more than %zu MiB of frames)",
                     OUTPUT_MAX >> 20);
            slot_fail(s, res, why);
            return 1;
        }
        ura_buf_add(&s->in, tmp, (size_t)k);
        size_t at = 0;
        for (;;) {
            ura_frame f;
            char why[200];
            long used = ura_frame_next((const unsigned char *)s->in.p + at, s->in.n - at, &f,
                                       why, sizeof why);
            if (used == 0)
                break;
            int r = used < 0 ? -1 : take(p, s, &f, res, why, sizeof why);
            if (r == 1 && at + (size_t)used < s->in.n) {
                /* bytes after the end frame: the worker is not to be
                 * trusted with another file */
                int st;
                slot_reap(s, 1, &st);
                return 1;
            }
            if (r == 1)
                return 1;
            if (r < 0) {
                char msg[256];
                snprintf(msg, sizeof msg, "malformed frame: %s", why);
                slot_fail(s, res, msg);
                return 1;
            }
            at += (size_t)used;
        }
        if (at) {
            memmove(s->in.p, s->in.p + at, s->in.n - at);
            s->in.n -= at;
        }
    }
}

int ura_pool_wait(ura_pool *p, ura_pool_result *res, int block, int wake)
{
    memset(res, 0, sizeof *res);
    /* Deadlines run while the parent listens: the time it spent on other
     * work (analysing and writing the previous file) is not the worker's,
     * which may have been blocked on a full pipe all along.  A worker that
     * spins meanwhile still meets its CPU limit. */
    double back = now_s();
    for (unsigned i = 0; p->away > 0 && i < p->n; i++)
        if (p->s[i].job)
            p->s[i].deadline += back - p->away;
    struct pollfd *pf = ura_xcalloc(p->n + 1, sizeof *pf);
    slot **who = ura_xcalloc(p->n, sizeof *who);
    int found = 0;
    for (;;) {
        nfds_t n = 0;
        double t = now_s(), next = 0;
        for (unsigned i = 0; i < p->n; i++) {
            slot *s = &p->s[i];
            if (!s->job)
                continue;
            if (t >= s->deadline) {
                /* what it sent before the deadline counts */
                if (!pump(p, s, res)) {
                    char why[64];
                    snprintf(why, sizeof why, "timeout (wall %g s)", p->lim.timeout);
                    slot_fail(s, res, why);
                }
                found = 1;
                goto out;
            }
            if (!n || s->deadline < next)
                next = s->deadline;
            pf[n].fd = s->out;
            pf[n].events = POLLIN;
            pf[n].revents = 0;
            who[n++] = s;
        }
        if (!n)
            goto out;
        int ms = block ? (int)((next - t) * 1000) + 1 : 0;
        nfds_t nw = n;
        if (block && wake >= 0) {
            pf[nw].fd = wake;
            pf[nw].events = POLLIN;
            pf[nw++].revents = 0;
        }
        int k = poll(pf, nw, ms);
        if (k < 0 && errno != EINTR)
            goto out;
        for (nfds_t i = 0; k > 0 && i < n; i++)
            if (pf[i].revents && pump(p, who[i], res)) {
                found = 1;
                goto out;
            }
        if (!block || (nw > n && pf[n].revents))
            goto out;
    }
out:
    free(pf);
    free(who);
    p->away = now_s();
    return found;
}
