/* api.c — the endpoints of `ura serve`'s JSON API: checked parameters in,
 * one engine call, JSON (or an indexed file) out.  The contract is in
 * docs/ARCHITECTURE.md ("ura serve"). */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"

#define CT_JSON "application/json; charset=utf-8"
#define CT_TEXT "text/plain; charset=utf-8"

/* ---- a growable reply buffer (allocation failure ends the process, as
 * in libura) ---- */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void buf_add(buf *b, const char *z, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            fputs("ura serve: out of memory\n", stderr);
            abort();
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, z, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void buf_adds(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if ((size_t)k < sizeof small) {
        buf_add(b, small, (size_t)k);
        return;
    }
    char *big = malloc((size_t)k + 1);
    if (!big) {
        fputs("ura serve: out of memory\n", stderr);
        abort();
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)k + 1, fmt, ap);
    va_end(ap);
    buf_add(b, big, (size_t)k);
    free(big);
}

/* Length of the valid UTF-8 sequence at z[0..n), or 0 if it is not one
 * (overlong forms, surrogates and code points past U+10FFFF are not). */
static size_t utf8_seq(const unsigned char *z, size_t n)
{
    unsigned c = z[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    unsigned cp = c & (0x3fu >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((z[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (z[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

int ura_api_utf8_valid(const char *s, size_t n)
{
    const unsigned char *z = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(z + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* A JSON string literal; invalid UTF-8 (an error message cut short)
 * becomes U+FFFD so that the reply always parses. */
static void json_str(buf *b, const char *s)
{
    const unsigned char *z = (const unsigned char *)s;
    size_t n = strlen(s), run = 0, i = 0;
    buf_add(b, "\"", 1);
    while (i < n) {
        unsigned c = z[i];
        char esc[8];
        const char *e = NULL;
        size_t k = 1;
        if (c == '"')
            e = "\\\"";
        else if (c == '\\')
            e = "\\\\";
        else if (c == '\n')
            e = "\\n";
        else if (c == '\t')
            e = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            e = esc;
        } else if (c >= 0x80 && !(k = utf8_seq(z + i, n - i))) {
            e = "\xef\xbf\xbd";
            k = 1;
        }
        if (e) {
            buf_add(b, s + run, i - run);
            buf_adds(b, e);
            run = i + k;
        }
        i += k;
    }
    buf_add(b, s + run, n - run);
    buf_add(b, "\"", 1);
}

static void json_str_or_null(buf *b, const char *s)
{
    if (s)
        json_str(b, s);
    else
        buf_adds(b, "null");
}

/* ---- replies ---- */

void ura_api_reply_init(ura_api_reply *r)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
}

void ura_api_reply_clear(ura_api_reply *r)
{
    free(r->body);
    free(r->disposition);
    if (r->fd >= 0)
        close(r->fd);
    ura_api_reply_init(r);
}

static void reply_body(ura_api_reply *out, unsigned status, const char *ctype, char *body,
                       size_t len)
{
    free(out->body);
    out->status = status;
    out->ctype = ctype;
    out->body = body;
    out->len = len;
}

static void reply_buf(ura_api_reply *out, unsigned status, const char *ctype, buf *b)
{
    if (!b->p)
        buf_add(b, "", 0);
    reply_body(out, status, ctype, b->p, b->n);
    b->p = NULL;
}

void ura_api_error(ura_api_reply *out, unsigned status, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf b = {0};
    buf_adds(&b, "{\"error\": ");
    json_str(&b, msg);
    buf_printf(&b, ", \"status\": %u}\n", status);
    reply_buf(out, status, CT_JSON, &b);
}

/* The HTTP status for an engine error.  `lookup`: the request named a
 * file, so "not there" is 404 rather than a missing index (503). */
static unsigned status_of(int rc, int lookup)
{
    switch (rc) {
    case URA_ERR_USAGE: return 400;
    case URA_ERR_NOINDEX: return lookup ? 404 : 503;
    case URA_ERR_LOCKED: return 503;
    default: return 500;
    }
}

/* ---- parameters ---- */

static const char *param(const ura_api_req *req, const char *key)
{
    for (size_t i = 0; i < req->n; i++)
        if (!strcmp(req->p[i].key, key))
            return req->p[i].val;
    return NULL;
}

/* A whole number from min to max; `def` when absent or empty. */
static int param_num(const ura_api_req *req, const char *key, size_t def, size_t min,
                     size_t max, size_t *v, ura_api_reply *out)
{
    const char *s = param(req, key);
    if (!s || !*s) {
        *v = def;
        return 0;
    }
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || n > max) {
            n = max + 1;
            break;
        }
        n = n * 10 + (size_t)(*p - '0');
    }
    if (n < min || n > max) {
        ura_api_error(out, 400, "%s must be a whole number from %zu to %zu", key, min, max);
        return -1;
    }
    *v = n;
    return 0;
}

/* 0 or 1 ("", "0", "false", "no" / "1", "true", "yes"); -1 on error. */
static int param_flag(const ura_api_req *req, const char *key, ura_api_reply *out)
{
    const char *s = param(req, key);
    if (!s || !*s || !strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "no"))
        return 0;
    if (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes"))
        return 1;
    ura_api_error(out, 400, "%s must be 1 or 0", key);
    return -1;
}

static int valid_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 32;
}

/* The id parameter, checked; NULL after an error reply. */
static const char *param_id(const ura_api_req *req, ura_api_reply *out)
{
    const char *id = param(req, "id");
    if (!id || !*id) {
        ura_api_error(out, 400, "id is missing: give the \"id\" of a hit");
        return NULL;
    }
    if (!valid_id(id)) {
        ura_api_error(out, 400, "id must be 32 lowercase hex digits (the \"id\" of a hit)");
        return NULL;
    }
    return id;
}

/* Filters that the request may give as parameters: each becomes a
 * `field:value` term of the query. */
static const char *const filter_fields[] = {"lang", "format", "year", "type"};
#define NFILTERS (sizeof filter_fields / sizeof filter_fields[0])

static int valid_filter(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
    }
    return n >= 1 && n <= URA_API_FILTER_MAX;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The query to run: q, with the filter parameters appended.  q is put in
 * parentheses first, so that a trailing operator in q ("a OR", "NOT")
 * cannot take a filter as its operand.  NULL after an error reply. */
static char *build_query(const ura_api_req *req, ura_api_reply *out)
{
    const char *q = param(req, "q");
    if (!q)
        q = "";
    size_t qn = strlen(q);
    if (qn > URA_API_QUERY_MAX) {
        ura_api_error(out, 400, "q is too long: %zu bytes (at most %d)", qn, URA_API_QUERY_MAX);
        return NULL;
    }
    buf f = {0};
    for (size_t i = 0; i < NFILTERS; i++) {
        const char *v = param(req, filter_fields[i]);
        if (!v || !*v)
            continue;
        if (!valid_filter(v)) {
            free(f.p);
            ura_api_error(out, 400, "%s must be 1 to %d letters, digits or '-'",
                          filter_fields[i], URA_API_FILTER_MAX);
            return NULL;
        }
        buf_printf(&f, " %s:%s", filter_fields[i], v);
    }
    if (blank(q) && !f.n) {
        ura_api_error(out, 400, "q is missing: give words to search for, or a filter");
        return NULL;
    }
    buf b = {0};
    if (!f.n)
        buf_adds(&b, q);
    else if (blank(q))
        buf_adds(&b, f.p + 1);
    else
        buf_printf(&b, "(%s)%s", q, f.p);
    free(f.p);
    return b.p;
}

/* Run the search that the /api/search parameters describe; NULL after an
 * error reply. */
static ura_results *run_search(const ura_api_ctx *ctx, const ura_api_req *req, int facets_ok,
                               ura_api_reply *out)
{
    ura_search_opts so = {0};
    int passages = param_flag(req, "passages", out);
    int facets = facets_ok ? param_flag(req, "facets", out) : 0;
    if (passages < 0 || facets < 0 ||
        param_num(req, "limit", 10, 1, URA_API_LIMIT_MAX, &so.limit, out) ||
        param_num(req, "offset", 0, 0, URA_API_OFFSET_MAX, &so.offset, out))
        return NULL;
    so.passages = passages;
    so.facets = facets;
    char *q = build_query(req, out);
    if (!q)
        return NULL;
    ura_results *r = NULL;
    ura_error err = {0};
    int rc = ura_search(ctx->engine, ctx->dir, q, &so, &r, &err);
    free(q);
    if (rc != URA_OK) {
        ura_api_error(out, status_of(rc, 0), "%s", err.msg);
        return NULL;
    }
    return r;
}

static void reply_results(ura_api_reply *out, ura_results *r)
{
    char *json = ura_results_json(r);
    reply_body(out, 200, CT_JSON, json, strlen(json));
    ura_results_free(r);
}

/* ---- /api/search, /api/doc ---- */

static void ep_search(const ura_api_ctx *ctx, const ura_api_req *req, ura_api_reply *out)
{
    ura_results *r = run_search(ctx, req, 1, out);
    if (r)
        reply_results(out, r);
}

static void ep_doc(const ura_api_ctx *ctx, const ura_api_req *req, ura_api_reply *out)
{
    const char *id = param_id(req, out);
    if (!id)
        return;
    ura_results *r = NULL;
    ura_error err = {0};
    int rc = ura_file_passages(ctx->engine, ctx->dir, id, &r, &err);
    if (rc != URA_OK)
        ura_api_error(out, status_of(rc, 1), "%s", err.msg);
    else
        reply_results(out, r);
}

/* ---- /api/cite ---- */

/* The citation formats: "text" is each hit's citation, one a line; the
 * others are the engine's bibliography exports (ura_results_export). */
static const struct {
    const char *as;
    const char *ctype;
} cite_formats[] = {
    {"csl-json", "application/vnd.citationstyles.csl+json; charset=utf-8"},
    {"bibtex", "application/x-bibtex; charset=utf-8"},
    {"ris", "application/x-research-info-systems; charset=utf-8"},
    {"text", CT_TEXT},
};

static void ep_cite(const ura_api_ctx *ctx, const ura_api_req *req, ura_api_reply *out)
{
    const char *as = param(req, "as");
    size_t f = 0, nf = sizeof cite_formats / sizeof cite_formats[0];
    if (as && *as) {
        while (f < nf && strcmp(as, cite_formats[f].as))
            f++;
        if (f == nf) {
            ura_api_error(out, 400, "as must be csl-json, bibtex, ris or text");
            return;
        }
    }
    int searching = 0;
    for (size_t i = 0; i < req->n; i++)
        if (strcmp(req->p[i].key, "as") && strcmp(req->p[i].key, "id") &&
            strcmp(req->p[i].key, "passage"))
            searching = 1;
    const char *id = param(req, "id");
    if (id && searching) {
        ura_api_error(out, 400, "give either id (and passage) or search parameters, not both");
        return;
    }
    if (!id && param(req, "passage")) {
        ura_api_error(out, 400, "passage needs an id");
        return;
    }

    /* The hits to cite: a search's, a file's passages, or one of them. */
    ura_results *r = NULL;
    ura_results view;
    if (id) {
        size_t passage;
        if (!param_id(req, out) ||
            param_num(req, "passage", 0, 1, SIZE_MAX / 16, &passage, out))
            return;
        ura_error err = {0};
        int rc = ura_file_passages(ctx->engine, ctx->dir, id, &r, &err);
        if (rc != URA_OK) {
            ura_api_error(out, status_of(rc, 1), "%s", err.msg);
            return;
        }
        view = *r;
        if (passage) {
            if (passage > r->n) {
                ura_api_error(out, 404, "file %s has %zu passages, not %zu", id, r->n, passage);
                ura_results_free(r);
                return;
            }
            view.hits = r->hits + passage - 1;
            view.n = 1;
        }
    } else {
        if (!(r = run_search(ctx, req, 0, out)))
            return;
        view = *r;
    }

    if (!strcmp(cite_formats[f].as, "text")) {
        buf b = {0};
        for (size_t i = 0; i < view.n; i++) {
            size_t start = b.n;
            buf_adds(&b, view.hits[i].citation ? view.hits[i].citation : "");
            for (size_t k = start; k < b.n; k++)
                if (b.p[k] == '\n' || b.p[k] == '\r')
                    b.p[k] = ' ';
            buf_adds(&b, "\n");
        }
        reply_buf(out, 200, CT_TEXT, &b);
    } else {
        char *text = NULL;
        ura_error err = {0};
        int rc = ura_results_export(&view, cite_formats[f].as, &text, &err);
        if (rc != URA_OK)
            ura_api_error(out, status_of(rc, 0), "%s", err.msg);
        else
            reply_body(out, 200, cite_formats[f].ctype, text, strlen(text));
    }
    ura_results_free(r);
}

/* ---- /api/stats, /api/health ---- */

static void counts_json(buf *b, const ura_count *v, size_t n)
{
    buf_adds(b, "{");
    for (size_t i = 0; i < n; i++) {
        buf_adds(b, i ? ", " : "");
        json_str(b, v[i].name);
        buf_printf(b, ": %llu", (unsigned long long)v[i].n);
    }
    buf_adds(b, "}");
}

static void ep_stats(const ura_api_ctx *ctx, const ura_api_req *req, ura_api_reply *out)
{
    (void)req;
    ura_stats *s = NULL;
    ura_error err = {0};
    int rc = ura_stats_get(ctx->dir, &s, &err);
    if (rc != URA_OK) {
        ura_api_error(out, status_of(rc, 0), "%s", err.msg);
        return;
    }
    buf b = {0};
    buf_adds(&b, "{\"index\": ");
    json_str(&b, s->dir);
    buf_adds(&b, ", \"analyser\": ");
    json_str_or_null(&b, s->analyser);
    buf_printf(&b, ", \"files\": %llu, \"failed\": %llu, \"passages\": %llu",
               (unsigned long long)s->files, (unsigned long long)s->failed,
               (unsigned long long)s->passages);
    buf_adds(&b, ", \"languages\": ");
    counts_json(&b, s->langs, s->nlangs);
    buf_adds(&b, ", \"formats\": ");
    counts_json(&b, s->formats, s->nformats);
    buf_adds(&b, ", \"failures\": [");
    for (size_t i = 0; i < s->nfailures; i++) {
        buf_adds(&b, i ? ", {\"path\": " : "{\"path\": ");
        json_str(&b, s->failures[i].path);
        buf_adds(&b, ", \"reason\": ");
        json_str(&b, s->failures[i].reason);
        buf_adds(&b, "}");
    }
    buf_adds(&b, "]}\n");
    ura_stats_free(s);
    reply_buf(out, 200, CT_JSON, &b);
}

static void ep_health(const ura_api_ctx *ctx, const ura_api_req *req, ura_api_reply *out)
{
    (void)req;
    ura_stats *s = NULL;
    ura_error err = {0};
    buf b = {0};
    if (ura_stats_get(ctx->dir, &s, &err) != URA_OK) {
        buf_adds(&b, "{\"status\": \"unavailable\", \"error\": ");
        json_str(&b, err.msg);
        buf_adds(&b, "}\n");
        reply_buf(out, 503, CT_JSON, &b);
        return;
    }
    buf_adds(&b, "{\"status\": \"ok\", \"version\": ");
    json_str(&b, ura_version());
    buf_printf(&b, ", \"files\": %llu, \"passages\": %llu}\n", (unsigned long long)s->files,
               (unsigned long long)s->passages);
    ura_stats_free(s);
    reply_buf(out, 200, CT_JSON, &b);
}

/* ---- /api/file ---- */

/* An indexed HTML file is untrusted: it is shown sandboxed (no script,
 * an origin of its own).  Chromium's PDF viewer does not run in a
 * sandboxed document, and PDF script cannot reach the page's origin, so
 * a PDF only may not be framed. */
#define CSP_SANDBOX \
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
#define CSP_PDF "frame-ancestors 'none'"

static const struct {
    const char *format; /* the plugin's name */
    const char *ctype;
    int inline_;        /* shown in the browser, or downloaded */
    const char *csp;
} file_types[] = {
    {"html", "text/html", 1, CSP_SANDBOX},
    {"pdf", "application/pdf", 1, CSP_PDF},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0,
     CSP_SANDBOX},
    {"odt", "application/vnd.oasis.opendocument.text", 0, CSP_SANDBOX},
};

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Content-Disposition with the file's base name, percent-encoded
 * (RFC 6266 filename*), so no byte of the name can end the header. */
static char *disposition(int inline_, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    buf b = {0};
    buf_adds(&b, inline_ ? "inline; filename*=UTF-8''" : "attachment; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)base_name(path); *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_') {
            buf_add(&b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_add(&b, e, 3);
        }
    }
    return b.p;
}

static void ep_file(const ura_api_ctx *ctx, const ura_api_req *req, ura_api_reply *out)
{
    const char *id = param_id(req, out);
    if (!id)
        return;
    char *path = NULL, *format = NULL;
    ura_error err = {0};
    int rc = ura_file_lookup(ctx->dir, id, &path, &format, &err);
    if (rc != URA_OK) {
        ura_api_error(out, status_of(rc, 1), "%s", err.msg);
        return;
    }
    /* O_NONBLOCK: a FIFO put where the file was must not hang the server;
     * only a regular file is served. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        ura_api_error(out, 404, "%s: the indexed file is gone or not a regular file: "
                                "run `ura index` again", path);
        free(path);
        free(format);
        return;
    }
    const char *ctype = "application/octet-stream", *csp = CSP_SANDBOX;
    int inline_ = 0;
    for (size_t i = 0; i < sizeof file_types / sizeof file_types[0]; i++)
        if (!strcmp(format, file_types[i].format)) {
            ctype = file_types[i].ctype;
            inline_ = file_types[i].inline_;
            csp = file_types[i].csp;
        }
    free(out->body);
    out->body = NULL;
    out->status = 200;
    out->ctype = ctype;
    out->csp = csp;
    out->fd = fd;
    out->size = (uint64_t)st.st_size;
    out->disposition = disposition(inline_, path);
    free(path);
    free(format);
}

/* ---- the table ---- */

static const char *const search_params[] = {"q",    "limit",  "offset", "passages", "facets",
                                            "lang", "format", "year",   "type",     NULL};
static const char *const cite_params[] = {"as",     "id",   "passage", "q",    "limit",
                                          "offset", "passages", "lang", "format", "year",
                                          "type",   NULL};
static const char *const id_params[] = {"id", NULL};
static const char *const no_params[] = {NULL};

static const ura_api_endpoint endpoints[] = {
    {"/api/search", search_params, ep_search}, {"/api/doc", id_params, ep_doc},
    {"/api/cite", cite_params, ep_cite},       {"/api/stats", no_params, ep_stats},
    {"/api/health", no_params, ep_health},     {"/api/file", id_params, ep_file},
};

const ura_api_endpoint *ura_api_find(const char *path)
{
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        if (!strcmp(path, endpoints[i].path))
            return &endpoints[i];
    return NULL;
}

int ura_api_accepts(const ura_api_endpoint *ep, const char *key)
{
    for (const char *const *p = ep->params; *p; p++)
        if (!strcmp(*p, key))
            return 1;
    return 0;
}
