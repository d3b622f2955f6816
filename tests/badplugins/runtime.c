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
 *            what happened as its error
 *   forge    plays a worker taken over by its file: writes a digest of
 *            its own making and an end frame straight to the frame pipe
 *            (descriptor 4 in a worker, core/worker.c), then waits to be
 *            killed.  The file's first word says what is wrong with the
 *            digest (core/digest.h): "uid", "file", "format" a term with
 *            the indexer's own prefix (Q,
 *            XP, XF) naming another file; "long" a term of 300 bytes;
 *            "count" 2^21 passages; "order" terms out of order; "utf8"
 *            text that is not UTF-8; "tail" bytes after the last
 *            passage */
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

/* ---- forge: the digest encoding of core/digest.h, written by hand ---- */
#define W_OUT 4

typedef struct fbuf {
    unsigned char p[4096];
    size_t n;
} fbuf;

static void f_var(fbuf *b, unsigned long long v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        b->p[b->n++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
}

static void f_str(fbuf *b, const char *z, size_t n)
{
    f_var(b, n);
    memcpy(b->p + b->n, z, n);
    b->n += n;
}

static void f_term(fbuf *b, const char *t, unsigned wdf, unsigned pos)
{
    f_str(b, t, strlen(t));
    f_var(b, wdf);
    f_var(b, pos ? 1 : 0);
    if (pos)
        f_var(b, pos);
}

static void f_frame(int type, const void *p, size_t n)
{
    unsigned char h[5] = {(unsigned char)type, (unsigned char)n, (unsigned char)(n >> 8),
                          (unsigned char)(n >> 16), (unsigned char)(n >> 24)};
    (void)!write(W_OUT, h, sizeof h);
    (void)!write(W_OUT, p, n);
}

static void forge(const char *what)
{
    fbuf b = {{0}, 0};
    char longterm[301];
    memset(longterm, 'a', 300);
    longterm[300] = '\0';
    f_str(&b, "Forged", 6);                       /* title           */
    f_str(&b, "law", 3);                          /* type            */
    f_var(&b, 2020);                              /* year            */
    f_var(&b, !strcmp(what, "count") ? 1u << 21 : 1); /* passages    */
    f_str(&b, "en", 2);                           /* lang            */
    f_var(&b, 0);                                 /* no heading      */
    f_var(&b, 1);                                 /* page            */
    f_var(&b, 1);                                 /* last page       */
    f_var(&b, 0);                                 /* no page map     */
    f_str(&b, "", 0);                             /* article         */
    f_str(&b, "", 0);                             /* act number      */
    if (!strcmp(what, "part"))
        f_str(&b, "annex", 5);                    /* not a part      */
    else
        f_str(&b, "", 0);                         /* part            */
    f_var(&b, 0);                                 /* no act title    */
    f_var(&b, 0);                                 /* no citations    */
    if (!strcmp(what, "utf8"))
        f_str(&b, "bad \xff\xfe text", sizeof "bad \xff\xfe text" - 1);
    else
        f_str(&b, "forged passage text", 19);
    static const char *const reserved[][2] = {{"uid", "Q00000000000000000000000000000000:0"},
                                              {"file", "XP00000000000000000000000000000000"},
                                              {"format", "XFpdf"}};
    const char *bad = !strcmp(what, "long") ? longterm : NULL;
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (!strcmp(what, reserved[i][0]))
            bad = reserved[i][1];
    if (bad) {
        f_var(&b, 2);
        f_term(&b, bad, 0, 0);
        f_term(&b, "forged", 1, 1);
    } else if (!strcmp(what, "order")) {
        f_var(&b, 2);
        f_term(&b, "text", 1, 3);
        f_term(&b, "forged", 1, 1);
    } else {
        f_var(&b, 3);
        f_term(&b, "forged", 1, 1);
        f_term(&b, "passage", 1, 2);
        f_term(&b, "text", 1, 3);
    }
    if (!strcmp(what, "tail"))
        f_var(&b, 7);
    f_frame(1, b.p, b.n);                         /* DIGEST          */
    unsigned char done[4] = {0, 0, 0, 0};         /* DONE, URA_OK    */
    f_frame(3, done, sizeof done);
    for (;;) /* the parent decides on these frames alone */
        pause();
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
    } else if (!strcmp(kind, "forge")) {
        char what[16] = "";
        size_t n = 0;
        while (n < in->len && n < sizeof what - 1 && in->data[n] > ' ')
            n++;
        memcpy(what, in->data, n);
        what[n] = '\0';
        forge(what);
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
