/* Plugins that misbehave at run time, for tests/integration/hostile.sh:
 * the same source built once per kind (BAD_KIND), each claiming files
 * with its own extension (".segv", ".abort", ...).  An indexing run must
 * lose only those files, each with its reason, and go on.
 *   segv     writes to a page it may not write (a real SIGSEGV, which
 *            UBSan's null-pointer check would not let happen)
 *   abort    calls abort()
 *   spin     loops forever on the CPU
 *   hang     sleeps forever, using no CPU
 *   alloc    allocates memory until malloc fails (touching one byte of
 *            each block: address space, not RAM), then aborts, as GLib's
 *            g_malloc does
 *   flood    emits text forever, ignoring the sink's stop
 *   exec     runs /bin/sh
 *   net      opens a TCP connection to 127.0.0.1
 *   noend    emits a paragraph, then exits the process
 *   garbage  writes bytes to every descriptor it can guess (the frame
 *            pipe among them), then returns a paragraph
 *   write    tries to create a file and to write to stderr, and returns
 *            what happened as its error */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ura/plugin.h"

#define STR2(x) #x
#define STR(x) STR2(x)

static const char *const extensions[] = {STR(BAD_KIND), NULL};

static int probe(const unsigned char *head, size_t len)
{
    (void)head;
    (void)len;
    return 0; /* by extension alone */
}

static int para(const struct ura_sink *sink, const char *z)
{
    int rc;
    if ((rc = sink->begin(sink->ctx, URA_NODE_PARAGRAPH, 0, NULL)) != URA_OK ||
        (rc = sink->text(sink->ctx, z, strlen(z))) != URA_OK)
        return rc;
    return sink->end(sink->ctx, URA_NODE_PARAGRAPH);
}

static int extract(const struct ura_input *in, const struct ura_sink *sink, char *err,
                   size_t errlen)
{
    const char *kind = STR(BAD_KIND);
    (void)in;
    if (!strcmp(kind, "segv")) {
        volatile int *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED)
            *p = 1;
        raise(SIGSEGV);
    } else if (!strcmp(kind, "abort")) {
        abort();
    } else if (!strcmp(kind, "spin")) {
        for (volatile unsigned long i = 0;; i++)
            ;
    } else if (!strcmp(kind, "hang")) {
        for (;;)
            pause();
    } else if (!strcmp(kind, "alloc")) {
        for (;;) {
            volatile char *p = malloc((size_t)64 << 20);
            if (!p)
                abort();
            p[0] = 1;
        }
    } else if (!strcmp(kind, "flood")) {
        static char run[1 << 20];
        memset(run, 'a', sizeof run - 1);
        run[sizeof run - 1] = ' ';
        (void)sink->begin(sink->ctx, URA_NODE_PARAGRAPH, 0, NULL);
        for (;;)
            (void)sink->text(sink->ctx, run, sizeof run);
    } else if (!strcmp(kind, "exec")) {
        execl("/bin/sh", "sh", "-c", "echo pwned", (char *)NULL);
        snprintf(err, errlen, "exec failed: %s", strerror(errno));
        return URA_EFILE;
    } else if (!strcmp(kind, "net")) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(9);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int c = s >= 0 ? connect(s, (struct sockaddr *)&a, sizeof a) : -1;
        snprintf(err, errlen, "network: socket %d connect %d: %s", s, c, strerror(errno));
        return URA_EFILE;
    } else if (!strcmp(kind, "noend")) {
        (void)para(sink, "started and never ended ");
        _exit(0);
    } else if (!strcmp(kind, "garbage")) {
        static const char junk[] = "\x42garbage from a plugin\xff\xff\xff\xff";
        for (int fd = 3; fd < 64; fd++)
            (void)!write(fd, junk, sizeof junk);
        return para(sink, "garbage written");
    } else if (!strcmp(kind, "write")) {
        char path[4096];
        snprintf(path, sizeof path, "%s.written", in->path);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e1 = errno;
        ssize_t k = write(2, "from a plugin\n", 14);
        int e2 = errno;
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "create %s, stderr %s", fd >= 0 ? "worked" : strerror(e1),
                 k >= 0 ? "worked" : strerror(e2));
        return URA_EFILE;
    }
    snprintf(err, errlen, "unknown kind %s", kind);
    return URA_EFILE;
}

static const struct ura_plugin desc = {
    URA_PLUGIN_ABI_VERSION, sizeof(struct ura_plugin), "bad-" STR(BAD_KIND), "1.0",
    "misbehaves at run time, for the hostile-input test", NULL, extensions, probe, NULL, NULL,
    extract,
};
URA_PLUGIN_DECLARE(desc)
