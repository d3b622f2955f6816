/* api.h — the JSON API of `ura serve`, apart from HTTP: each endpoint
 * takes parameters that serve.c has already checked for shape (known
 * names, no duplicates, valid UTF-8, no NUL) and fills a reply.  Only
 * include/ura/ura.h is used to reach the engine.
 *
 * Endpoints (docs/ARCHITECTURE.md has the full contract):
 *   /api/search  q limit offset passages facets lang format year type
 *   /api/doc     id
 *   /api/cite    as, and either the /api/search parameters or id [passage]
 *   /api/stats   (none)
 *   /api/health  (none)
 *   /api/file    id */
#ifndef URA_WEB_API_H
#define URA_WEB_API_H

#include <stddef.h>
#include <stdint.h>

#include "ura/ura.h"

#define URA_API_MAX_PARAMS 16   /* parameters in one request              */
#define URA_API_QUERY_MAX 1024  /* bytes of q                             */
#define URA_API_LIMIT_MAX 100   /* hits in one page                       */
#define URA_API_OFFSET_MAX 10000
#define URA_API_FILTER_MAX 16   /* bytes of a lang/format/year/type value */

/* One query-string parameter; both strings borrowed for the request. */
typedef struct ura_api_param {
    const char *key;
    const char *val;
} ura_api_param;

typedef struct ura_api_req {
    size_t n;
    ura_api_param p[URA_API_MAX_PARAMS];
} ura_api_req;

/* What to answer.  Exactly one of body (malloc'd, len bytes) or fd (an
 * open regular file of `size` bytes) is set; both belong to the reply
 * until handed to HTTP, and ura_api_reply_clear() frees what is left. */
typedef struct ura_api_reply {
    unsigned status;
    const char *ctype;       /* static                                  */
    char *body;
    size_t len;
    int fd;                  /* -1 when there is a body                 */
    uint64_t size;
    const char *csp;         /* static; NULL: the page's default policy */
    char *disposition;       /* Content-Disposition, malloc'd, or NULL  */
} ura_api_reply;

/* The engine is not thread-safe: serve.c calls endpoints from one thread. */
typedef struct ura_api_ctx {
    ura_engine *engine;
    const char *dir;         /* the index                               */
} ura_api_ctx;

typedef void (*ura_api_fn)(const ura_api_ctx *ctx, const ura_api_req *req,
                           ura_api_reply *out);

typedef struct ura_api_endpoint {
    const char *path;        /* "/api/search"                           */
    const char *const *params; /* names it accepts, NULL-terminated     */
    ura_api_fn fn;
} ura_api_endpoint;

/* The endpoint at this exact path, or NULL. */
const ura_api_endpoint *ura_api_find(const char *path);
/* 1 when the endpoint accepts a parameter of this name. */
int ura_api_accepts(const ura_api_endpoint *ep, const char *key);

/* Fill `out` with {"error": msg, "status": status} (out->body malloc'd). */
void ura_api_error(ura_api_reply *out, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ura_api_reply_init(ura_api_reply *r);
/* 1 when s[0..n) is valid UTF-8 (no overlong forms, no surrogates). */
int ura_api_utf8_valid(const char *s, size_t n);
void ura_api_reply_clear(ura_api_reply *r);

#endif
