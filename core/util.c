/* util.c — errors, allocation, buffers, UTF-8 repair, hashing. */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int ura_error_set(ura_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

static void oom(size_t n)
{
    fprintf(stderr, "ura: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void *ura_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *ura_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *ura_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *ura_xstrndup(const char *s, size_t n)
{
    char *p = ura_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ura_xstrdup(const char *s)
{
    return s ? ura_xstrndup(s, strlen(s)) : NULL;
}

static void buf_reserve(ura_buf *b, size_t extra)
{
    if (b->n + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra + 1) {
        if (cap > ((size_t)-1) / 2)
            oom(b->n + extra + 1);
        cap *= 2;
    }
    b->p = ura_xrealloc(b->p, cap);
    b->cap = cap;
}

void ura_buf_add(ura_buf *b, const void *z, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->n, z, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void ura_buf_adds(ura_buf *b, const char *s)
{
    ura_buf_add(b, s, strlen(s));
}

void ura_buf_addc(ura_buf *b, char c)
{
    ura_buf_add(b, &c, 1);
}

void ura_buf_printf(ura_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void ura_buf_reset(ura_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}

void ura_buf_free(ura_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

char *ura_buf_steal(ura_buf *b, size_t *n)
{
    if (!b->p)
        ura_buf_add(b, "", 0);
    char *p = b->p;
    if (n)
        *n = b->n;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

void ura_json_str(ura_buf *b, const char *z, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)z;
    ura_buf_addc(b, '"');
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned char c = s[i];
        const char *esc = NULL;
        char u[7];
        size_t k = 1;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
                u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
                esc = u;
            } else if (c >= 0x80) {
                /* JSON is UTF-8: a byte that is not is replaced, so that
                 * a file name or a damaged value cannot break it. */
                k = ura_utf8_seq(s + i, n - i);
                if (k == 0) {
                    esc = "\xEF\xBF\xBD";
                    k = 1;
                }
            }
        }
        if (esc) {
            ura_buf_add(b, z + run, i - run);
            ura_buf_adds(b, esc);
            run = i + k;
        }
        i += k;
    }
    ura_buf_add(b, z + run, n - run);
    ura_buf_addc(b, '"');
}

size_t ura_utf8_seq(const unsigned char *z, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = z[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t min, cp;
    if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; cp = c & 0x07; }
    else return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((z[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (z[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

size_t ura_utf8_clean(ura_buf *b, const char *z, size_t n)
{
    const unsigned char *s = (const unsigned char *)z;
    size_t i = 0, run = 0, bad = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        size_t k = ura_utf8_seq(s + i, n - i);
        if (k > 1 || c == '\t' || c == '\n' || c == 0x7F) {
            i += k ? k : 1;
            continue;
        }
        ura_buf_add(b, z + run, i - run);
        if (k == 1)
            ura_buf_addc(b, ' ');             /* a control character */
        else {
            ura_buf_add(b, "\xEF\xBF\xBD", 3); /* U+FFFD */
            bad++;
        }
        i++;
        run = i;
    }
    ura_buf_add(b, z + run, n - run);
    return bad;
}

uint64_t ura_hash64(const void *z, size_t n, uint64_t seed)
{
    const unsigned char *p = z;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void ura_path_key(const char *path, char out[33])
{
    size_t n = strlen(path);
    snprintf(out, 33, "%016llx%016llx",
             (unsigned long long)ura_hash64(path, n, 0),
             (unsigned long long)ura_hash64(path, n, 0x9e3779b97f4a7c15ULL));
}

int ura_dl_load(const char *soname, const char *const *names, void **fns, size_t n,
                ura_error *err)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return ura_error_set(err, URA_ERR_RUNTIME, "cannot load %s: %s", soname,
                             why ? why : "dlopen failed");
    }
    void *got[16];
    if (n > sizeof got / sizeof *got)
        return ura_error_set(err, URA_ERR_RUNTIME, "%s: too many symbols asked for", soname);
    for (size_t i = 0; i < n; i++) {
        got[i] = dlsym(h, names[i]);
        if (!got[i])
            return ura_error_set(err, URA_ERR_RUNTIME, "%s has no %s", soname, names[i]);
    }
    memcpy(fns, got, n * sizeof *got);
    return URA_OK;
}
