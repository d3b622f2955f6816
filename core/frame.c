/* frame.c — encoding and strict decoding of worker frames (frame.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "frame.h"
#include "ura/plugin.h"

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void ura_frame_put(ura_buf *b, int type, const void *payload, size_t n)
{
    unsigned char h[URA_FRAME_HEAD];
    h[0] = (unsigned char)type;
    put_u32(h + 1, (uint32_t)n);
    ura_buf_add(b, h, sizeof h);
    if (n)
        ura_buf_add(b, payload, n);
}

void ura_frame_extracted(ura_buf *b, size_t text_bytes)
{
    unsigned char p[4];
    put_u32(p, (uint32_t)(text_bytes > UINT32_MAX ? UINT32_MAX : text_bytes));
    ura_frame_put(b, URA_FR_EXTRACTED, p, 4);
}

void ura_frame_digest(ura_buf *b, const char *z, size_t n)
{
    while (n) {
        size_t k = n < URA_FRAME_MAX ? n : URA_FRAME_MAX;
        ura_frame_put(b, URA_FR_DIGEST, z, k);
        z += k;
        n -= k;
    }
}

void ura_frame_done(ura_buf *b, int32_t code, const char *msg)
{
    unsigned char p[4 + URA_FRAME_MSG_MAX];
    size_t ml = msg ? strnlen(msg, URA_FRAME_MSG_MAX) : 0;
    put_u32(p, (uint32_t)code);
    if (ml)
        memcpy(p + 4, msg, ml);
    ura_frame_put(b, URA_FR_DONE, p, 4 + ml);
}

size_t ura_frame_fatal(unsigned char *out, int code, int32_t value)
{
    out[0] = URA_FR_FATAL;
    put_u32(out + 1, 5);
    out[5] = (unsigned char)code;
    put_u32(out + 6, (uint32_t)value);
    return URA_FRAME_HEAD + 5;
}

static int valid_code(int32_t c)
{
    return c == URA_OK || c == URA_WARN || c == URA_ERR_FILE || c == URA_ERR_RUNTIME ||
           c == URA_ERR_USAGE;
}

long ura_frame_next(const unsigned char *p, size_t n, ura_frame *f, char *why, size_t whylen)
{
    if (n < URA_FRAME_HEAD)
        return 0;
    int type = p[0];
    uint32_t len = get_u32(p + 1);
    memset(f, 0, sizeof *f);
    f->type = type;
    if (type < URA_FR_DIGEST || type > URA_FR_FATAL) {
        snprintf(why, whylen, "unknown frame type %d", type);
        return -1;
    }
    if (len > URA_FRAME_MAX) {
        snprintf(why, whylen, "frame of %u bytes (limit %u)", len, URA_FRAME_MAX);
        return -1;
    }
    const unsigned char *q = p + URA_FRAME_HEAD;
    int bad = 0;
    switch (type) {
    case URA_FR_DIGEST: bad = len == 0; break;
    case URA_FR_EXTRACTED: bad = len != 4; break;
    case URA_FR_DONE: bad = len < 4 || len > 4 + URA_FRAME_MSG_MAX; break;
    case URA_FR_FATAL: bad = len != 5; break;
    }
    if (bad) {
        snprintf(why, whylen, "frame of type %d with a payload of %u bytes", type, len);
        return -1;
    }
    if (n - URA_FRAME_HEAD < len)
        return 0;
    switch (type) {
    case URA_FR_EXTRACTED:
        f->value = (int32_t)(get_u32(q) > URA_DOC_MAX_TEXT ? URA_DOC_MAX_TEXT : get_u32(q));
        break;
    case URA_FR_DIGEST:
        f->b = (const char *)q;
        f->blen = len;
        break;
    case URA_FR_DONE:
        f->code = (int32_t)get_u32(q);
        f->b = (const char *)q + 4;
        f->blen = len - 4;
        if (!valid_code(f->code)) {
            snprintf(why, whylen, "end frame with unknown result code %d", (int)f->code);
            return -1;
        }
        break;
    case URA_FR_FATAL:
        f->code = q[0];
        f->value = (int32_t)get_u32(q + 1);
        if (f->code < URA_FATAL_SECCOMP || f->code > URA_FATAL_OUTPUT) {
            snprintf(why, whylen, "fatal frame with unknown code %d", (int)f->code);
            return -1;
        }
        break;
    }
    return (long)(URA_FRAME_HEAD + len);
}
