/* serve.c — `ura serve`: HTTP for the search page and the JSON API, on
 * libmicrohttpd.  This file holds what is about HTTP: options, the
 * daemon and its limits, the checks every request passes (method, Host,
 * no body, known parameters), the page served from memory, and the
 * headers every reply carries.  The endpoints themselves are in api.c.
 *
 * One thread answers every request (the engine is not thread-safe, and a
 * search takes milliseconds); the main thread waits for SIGINT/SIGTERM. */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "serve.h"
#include "ura/ura.h"
#include "web-assets.h"

enum { EXIT_USAGE = 1, EXIT_RUNTIME = 2 };

#define MAX_HOSTS 16
#define MEMORY_PER_CONNECTION (32 * 1024) /* request line and headers    */

/* Every reply from the page's origin: scripts and styles only from
 * files of this server, no inline script or handlers, no framing. */
#define CSP_PAGE                                                              \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " \
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

typedef struct server {
    ura_api_ctx api;
    struct MHD_Daemon *daemon;
    unsigned port;
    char *hosts[MAX_HOSTS]; /* accepted Host names, lowercase, no port     */
    size_t nhosts;
    int log;
    char etags[sizeof ura_assets / sizeof ura_assets[0]][24];
} server;

/* Per request: when it started and how it was answered, for the log. */
typedef struct req_state {
    struct timespec t0;
    unsigned status;
    char what[72]; /* "GET /api/search" */
} req_state;

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) {
        fputs("ura serve: out of memory\n", stderr);
        abort();
    }
    return d;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* ---- the Host check (DNS rebinding: a page elsewhere must not reach
 * the API through a name that resolves to this machine) ---- */

static int host_ok(const server *s, const char *host)
{
    char name[256];
    const char *port = NULL;
    size_t n;
    if (host[0] == '[') {
        const char *end = strchr(host, ']');
        if (!end)
            return 0;
        n = (size_t)(end - host) + 1;
        if (end[1] == ':')
            port = end + 2;
        else if (end[1])
            return 0;
    } else {
        const char *colon = strchr(host, ':');
        n = colon ? (size_t)(colon - host) : strlen(host);
        if (colon)
            port = colon + 1;
    }
    if (n == 0 || n >= sizeof name)
        return 0;
    if (port) {
        unsigned p = 0;
        if (!*port || strlen(port) > 5)
            return 0;
        for (const char *c = port; *c; c++) {
            if (*c < '0' || *c > '9')
                return 0;
            p = p * 10 + (unsigned)(*c - '0');
        }
        if (p != s->port)
            return 0;
    } else if (s->port != 80) {
        return 0;
    }
    memcpy(name, host, n);
    name[n] = '\0';
    lower(name);
    for (size_t i = 0; i < s->nhosts; i++)
        if (!strcmp(name, s->hosts[i]))
            return 1;
    return 0;
}

/* ---- replies ---- */

static void common_headers(struct MHD_Response *r, const char *csp, const char *cache)
{
    MHD_add_response_header(r, "Content-Security-Policy", csp ? csp : CSP_PAGE);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Cache-Control", cache);
}

/* Queue an API reply (consumed: its body or fd passes to MHD). */
static enum MHD_Result send_reply(struct MHD_Connection *c, req_state *st, ura_api_reply *rep,
                                  const char *allow)
{
    struct MHD_Response *r;
    if (rep->fd >= 0) {
        r = MHD_create_response_from_fd64(rep->size, rep->fd);
        if (r)
            rep->fd = -1;
    } else {
        r = MHD_create_response_from_buffer(rep->len, rep->body, MHD_RESPMEM_MUST_FREE);
        if (r)
            rep->body = NULL;
    }
    if (!r) {
        ura_api_reply_clear(rep);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rep->ctype);
    if (rep->disposition)
        MHD_add_response_header(r, "Content-Disposition", rep->disposition);
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    common_headers(r, rep->csp, rep->disposition ? "no-cache" : "no-store");
    st->status = rep->status;
    enum MHD_Result ok = MHD_queue_response(c, rep->status, r);
    MHD_destroy_response(r);
    ura_api_reply_clear(rep);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, req_state *st, unsigned status,
                                  const char *allow, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static enum MHD_Result send_error(struct MHD_Connection *c, req_state *st, unsigned status,
                                  const char *allow, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ura_api_reply rep;
    ura_api_reply_init(&rep);
    ura_api_error(&rep, status, "%s", msg);
    return send_reply(c, st, &rep, allow);
}

/* ---- the page, from memory ---- */

static uint64_t fnv1a(const unsigned char *z, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ z[i]) * 0x100000001b3ull;
    return h;
}

static enum MHD_Result send_asset(server *s, struct MHD_Connection *c, req_state *st,
                                  const char *url)
{
    if (!strcmp(url, "/"))
        url = "/index.html";
    for (size_t i = 0; i < ura_nassets; i++) {
        const ura_asset *a = &ura_assets[i];
        if (strcmp(url, a->path))
            continue;
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_IF_NONE_MATCH);
        int same = inm && !strcmp(inm, s->etags[i]);
        struct MHD_Response *r = MHD_create_response_from_buffer(
            same ? 0 : a->len, same ? NULL : (void *)a->data, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->ctype);
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, s->etags[i]);
        common_headers(r, NULL, "no-cache");
        st->status = same ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
        enum MHD_Result ok = MHD_queue_response(c, st->status, r);
        MHD_destroy_response(r);
        return ok;
    }
    return send_error(c, st, MHD_HTTP_NOT_FOUND, NULL, "no page at %s", url);
}

/* ---- API parameters: checked here for shape, by api.c for meaning ---- */

typedef struct arg_check {
    const ura_api_endpoint *ep;
    ura_api_req *req;
    char error[200];
} arg_check;

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                              size_t key_size, const char *value, size_t value_size)
{
    arg_check *ac = cls;
    (void)kind;
    if (!value) {
        value = "";
        value_size = 0;
    }
    if (strlen(key) != key_size || !ura_api_accepts(ac->ep, key)) {
        snprintf(ac->error, sizeof ac->error, "unknown parameter '%.40s' for %s", key,
                 ac->ep->path);
        return MHD_NO;
    }
    for (size_t i = 0; i < ac->req->n; i++)
        if (!strcmp(ac->req->p[i].key, key)) {
            snprintf(ac->error, sizeof ac->error, "parameter '%s' given twice", key);
            return MHD_NO;
        }
    if (strlen(value) != value_size) {
        snprintf(ac->error, sizeof ac->error, "parameter '%s' holds a NUL byte", key);
        return MHD_NO;
    }
    if (!ura_api_utf8_valid(value, value_size)) {
        snprintf(ac->error, sizeof ac->error, "parameter '%s' is not valid UTF-8 text", key);
        return MHD_NO;
    }
    if (ac->req->n == URA_API_MAX_PARAMS) {
        snprintf(ac->error, sizeof ac->error, "too many parameters (at most %d)",
                 URA_API_MAX_PARAMS);
        return MHD_NO;
    }
    ac->req->p[ac->req->n].key = key;
    ac->req->p[ac->req->n].val = value;
    ac->req->n++;
    return MHD_YES;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 32);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* application/x-www-form-urlencoded: '+' is a space, %XX a byte.  A '%'
 * not followed by two hex digits stays as it is. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (const char *r = s; *r; r++) {
        int hi, lo;
        if (*r == '+') {
            *w++ = ' ';
        } else if (*r == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0) {
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* ---- the request handler ---- */

/* Answer a request that passed the checks: the page or an endpoint. */
static enum MHD_Result answer(server *s, struct MHD_Connection *c, req_state *st,
                              const char *url)
{
    if (strncmp(url, "/api/", 5))
        return send_asset(s, c, st, url);
    const ura_api_endpoint *ep = ura_api_find(url);
    if (!ep)
        return send_error(c, st, MHD_HTTP_NOT_FOUND, NULL, "no API endpoint %.64s", url);
    ura_api_req req = {0};
    arg_check ac = {ep, &req, ""};
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, on_arg, &ac);
    if (ac.error[0])
        return send_error(c, st, MHD_HTTP_BAD_REQUEST, NULL, "%s", ac.error);
    ura_api_reply rep;
    ura_api_reply_init(&rep);
    ep->fn(&s->api, &req, &rep);
    return send_reply(c, st, &rep, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    server *s = cls;
    (void)version;
    (void)upload_data;
    req_state *st = *con_cls;
    if (st && st->status) {
        /* answered already; a body still arriving is dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    if (st) {
        /* The second call: the request is complete (it has no body). */
        *upload_size = 0;
        return answer(s, c, st, url);
    }
    st = calloc(1, sizeof *st);
    if (!st)
        return MHD_NO;
    clock_gettime(CLOCK_MONOTONIC, &st->t0);
    snprintf(st->what, sizeof st->what, "%.8s %s", method, url);
    for (char *p = st->what; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    *con_cls = st;

    /* The first call, with the headers only.  A request that fails a
     * check is answered now, which also closes its connection (MHD will
     * not read what follows); a good one is answered on the next call,
     * which keeps the connection open for the next request. */
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return send_error(c, st, MHD_HTTP_METHOD_NOT_ALLOWED, "GET, HEAD",
                          "method %.16s is not allowed: only GET and HEAD", method);
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host)
        return send_error(c, st, MHD_HTTP_BAD_REQUEST, NULL, "the Host header is missing");
    if (!host_ok(s, host))
        return send_error(c, st, MHD_HTTP_MISDIRECTED_REQUEST, NULL,
                          "this server does not answer for host '%.64s' "
                          "(see --allow-host)",
                          host);
    const char *clen =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if ((clen && strcmp(clen, "0")) ||
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
        return send_error(c, st, 413, NULL, "requests with a body are not accepted");
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    server *s = cls;
    req_state *st = *con_cls;
    (void)c;
    if (!st)
        return;
    if (s->log) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - st->t0.tv_sec) * 1e3 +
                    (double)(t1.tv_nsec - st->t0.tv_nsec) / 1e6;
        fprintf(stderr, "ura serve: %s %u %.1f ms%s\n", st->what, st->status, ms,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
    }
    free(st);
    *con_cls = NULL;
}

/* ---- options ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: ura serve [--index DIR] [--bind ADDR] [--port N] [OPTIONS]\n"
            "Serve the search page and its JSON API over HTTP.  By default only\n"
            "this machine can connect: http://127.0.0.1:8080/\n"
            "\n"
            "  -i, --index DIR          the index (default $URA_INDEX, else\n"
            "                           $XDG_DATA_HOME/ura/index)\n"
            "  -b, --bind ADDR          IP address to listen on (default 127.0.0.1;\n"
            "                           ::1 for IPv6).  Any other address opens the\n"
            "                           index to that network, with no login and no TLS\n"
            "  -p, --port N             port (default 8080; 0 picks a free one)\n"
            "      --allow-host NAME    also answer requests for this host name (the\n"
            "                           default: localhost, 127.0.0.1, [::1] and ADDR);\n"
            "                           may be repeated\n"
            "      --max-connections N  connections at once (default 64, at most 1024)\n"
            "      --timeout SECONDS    close a connection idle this long (default 15)\n"
            "      --log                one line per request on stderr: status and time\n"
            "                           (never the query)\n"
            "  -h, --help               show this help\n"
            "\n"
            "The page is at /.  The API (JSON; docs/ARCHITECTURE.md has the details):\n"
            "  /api/search?q=WORDS[&limit=N&offset=N&passages=1&facets=1\n"
            "              &lang=L&format=F&year=Y&type=T]  the JSON of `ura search --json`\n"
            "  /api/doc?id=ID               every passage of one file\n"
            "  /api/cite?id=ID[&passage=N]  or the /api/search parameters, &as=csl-json|text\n"
            "  /api/file?id=ID              the indexed file itself\n"
            "  /api/stats, /api/health\n"
            "\n"
            "Exit status: 0 stopped by SIGINT or SIGTERM, 1 usage error, 2 runtime\n"
            "error (no index, address in use).\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("ura serve: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry `ura serve --help`.\n", stderr);
    return EXIT_USAGE;
}

static int parse_uint(const char *what, const char *s, unsigned min, unsigned max,
                      unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || s[0] == '-' || s[0] == '+' || v < min || v > max) {
        usage_error("%s must be a number from %u to %u, not '%s'", what, min, max, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static void add_host(server *s, const char *h)
{
    if (s->nhosts < MAX_HOSTS) {
        s->hosts[s->nhosts] = xstrdup(h);
        lower(s->hosts[s->nhosts++]);
    }
}

/* A host name as it may stand in a Host header: letters, digits, '-',
 * '.', or an IPv6 address in brackets. */
static int valid_host_name(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 253)
        return 0;
    if (h[0] == '[') {
        if (h[n - 1] != ']')
            return 0;
        for (size_t i = 1; i + 1 < n; i++)
            if (!strchr("0123456789abcdefABCDEF:.", h[i]))
                return 0;
        return n > 2;
    }
    for (size_t i = 0; i < n; i++)
        if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
              (h[i] >= '0' && h[i] <= '9') || h[i] == '-' || h[i] == '.'))
            return 0;
    return 1;
}

static void free_server(server *s)
{
    for (size_t i = 0; i < s->nhosts; i++)
        free(s->hosts[i]);
    ura_engine_free(s->api.engine);
    free((char *)s->api.dir);
}

int ura_serve_main(int argc, char **argv)
{
    static const struct option opts[] = {{"index", required_argument, 0, 'i'},
                                         {"bind", required_argument, 0, 'b'},
                                         {"port", required_argument, 0, 'p'},
                                         {"allow-host", required_argument, 0, 'H'},
                                         {"max-connections", required_argument, 0, 'c'},
                                         {"timeout", required_argument, 0, 't'},
                                         {"log", no_argument, 0, 'l'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *dir_opt = NULL, *bind_opt = "127.0.0.1";
    const char *extra[MAX_HOSTS];
    size_t nextra = 0;
    unsigned port = 8080, maxconn = 64, timeout = 15;
    int log = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":i:b:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'b': bind_opt = optarg; break;
        case 'p':
            if (parse_uint("--port", optarg, 0, 65535, &port))
                return EXIT_USAGE;
            break;
        case 'H':
            if (!valid_host_name(optarg))
                return usage_error("--allow-host takes a host name or [IPv6], not '%s'",
                                   optarg);
            if (nextra == MAX_HOSTS - 4)
                return usage_error("--allow-host given too often (at most %d)",
                                   MAX_HOSTS - 4);
            extra[nextra++] = optarg;
            break;
        case 'c':
            if (parse_uint("--max-connections", optarg, 1, 1024, &maxconn))
                return EXIT_USAGE;
            break;
        case 't':
            if (parse_uint("--timeout", optarg, 1, 3600, &timeout))
                return EXIT_USAGE;
            break;
        case 'l': log = 1; break;
        case 'h': usage(stdout); return 0;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt)
                return usage_error("unknown option '-%c'", optopt);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return usage_error("unexpected argument '%s'", argv[optind]);

    /* The address: numeric only, so that what is bound is what was said. */
    struct sockaddr_in sin = {0};
    struct sockaddr_in6 sin6 = {0};
    const struct sockaddr *sa;
    int v6 = 0;
    if (!strcmp(bind_opt, "localhost"))
        bind_opt = "127.0.0.1";
    if (inet_pton(AF_INET, bind_opt, &sin.sin_addr) == 1) {
        sin.sin_family = AF_INET;
        sin.sin_port = htons((uint16_t)port);
        sa = (const struct sockaddr *)&sin;
    } else if (inet_pton(AF_INET6, bind_opt, &sin6.sin6_addr) == 1) {
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons((uint16_t)port);
        sa = (const struct sockaddr *)&sin6;
        v6 = 1;
    } else {
        return usage_error("--bind takes an IPv4 or IPv6 address, not '%s'", bind_opt);
    }

    server s = {0};
    s.log = log;
    add_host(&s, "localhost");
    add_host(&s, "127.0.0.1");
    add_host(&s, "[::1]");
    char bound[INET6_ADDRSTRLEN + 2];
    if (v6) {
        char a[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &sin6.sin6_addr, a, sizeof a);
        snprintf(bound, sizeof bound, "[%s]", a);
    } else {
        inet_ntop(AF_INET, &sin.sin_addr, bound, sizeof bound);
    }
    add_host(&s, bound);
    for (size_t i = 0; i < nextra; i++)
        add_host(&s, extra[i]);
    for (size_t i = 0; i < ura_nassets; i++)
        snprintf(s.etags[i], sizeof s.etags[i], "\"%016llx\"",
                 (unsigned long long)fnv1a(ura_assets[i].data, ura_assets[i].len));

    /* The signals that stop the server are taken by sigwait() below.
     * They are blocked before any thread starts (the engine's libraries,
     * the daemon's), so that every thread inherits the mask and none is
     * killed by them. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    signal(SIGPIPE, SIG_IGN);

    char *dir = dir_opt ? xstrdup(dir_opt) : ura_default_index_dir();
    s.api.dir = dir;
    ura_error err = {0};
    ura_stats *stats = NULL;
    if (ura_stats_get(dir, &stats, &err) != URA_OK) {
        fprintf(stderr, "ura serve: %s\n", err.msg);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        free_server(&s);
        return EXIT_RUNTIME;
    }
    if (ura_engine_new(&s.api.engine, &err) != URA_OK) {
        fprintf(stderr, "ura serve: %s\n", err.msg);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        ura_stats_free(stats);
        free_server(&s);
        return EXIT_RUNTIME;
    }

    s.daemon = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
        (uint16_t)port, NULL, NULL, on_request, &s, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_CONNECTION_LIMIT, maxconn, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_PER_CONNECTION,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 64u, MHD_OPTION_STRICT_FOR_CLIENT, 1,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &s, MHD_OPTION_END);
    if (!s.daemon) {
        fprintf(stderr, "ura serve: cannot listen on %s port %u (in use, or not an address "
                        "of this machine?)\n",
                bound, port);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        ura_stats_free(stats);
        free_server(&s);
        return EXIT_RUNTIME;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s.daemon, MHD_DAEMON_INFO_BIND_PORT);
    s.port = di ? di->port : port;
    fprintf(stderr, "ura serve: http://%s:%u/ (%s: %llu files, %llu passages); "
                    "Ctrl-C stops\n",
            bound, s.port, s.api.dir, (unsigned long long)stats->files,
            (unsigned long long)stats->passages);
    if (strcmp(bound, "127.0.0.1") && strcmp(bound, "[::1]"))
        fprintf(stderr, "ura serve: warning: listening on %s: anyone who can reach this "
                        "address can search the index and read its files\n",
                bound);
    ura_stats_free(stats);

    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "ura serve: stopping (%s)\n", strsignal(sig));
    MHD_stop_daemon(s.daemon);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free_server(&s);
    return 0;
}
