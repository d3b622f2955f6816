/* util.h — small helpers every part of libura uses: errors, growable
 * buffers, UTF-8 checks, hashing.  Private to libura. */
#ifndef URA_UTIL_H
#define URA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ura/ura.h"

/* UNDER_ASAN: 1 when built with AddressSanitizer (gcc or clang), which
 * cannot run under an address-space limit. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#if defined(__GNUC__)
#define URA_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define URA_PRINTF(a, b)
#endif

/* Set `err` (may be NULL) to `code` and a formatted message; returns code. */
int ura_error_set(ura_error *err, int code, const char *fmt, ...) URA_PRINTF(3, 4);

/* Allocation that aborts with a message on exhaustion: callers own the
 * result and free it with free(). */
void *ura_xmalloc(size_t n);
void *ura_xcalloc(size_t n, size_t size);
void *ura_xrealloc(void *p, size_t n);
char *ura_xstrdup(const char *s);
char *ura_xstrndup(const char *s, size_t n);

/* A growable byte buffer.  `p` is owned by the buffer and always
 * NUL-terminated once anything was added; free with ura_buf_free(). */
typedef struct ura_buf {
    char *p;
    size_t n;
    size_t cap;
} ura_buf;

void ura_buf_add(ura_buf *b, const void *z, size_t n);
void ura_buf_adds(ura_buf *b, const char *s);
void ura_buf_addc(ura_buf *b, char c);
void ura_buf_printf(ura_buf *b, const char *fmt, ...) URA_PRINTF(2, 3);
void ura_buf_reset(ura_buf *b);
void ura_buf_free(ura_buf *b);
/* Hands the bytes to the caller (who frees them) and empties the buffer. */
char *ura_buf_steal(ura_buf *b, size_t *n);

/* Append `z` as a JSON string literal (with quotes) to `b`. */
void ura_json_str(ura_buf *b, const char *z, size_t n);

/* Length of the valid UTF-8 sequence at z[0..n), or 0 if invalid. */
size_t ura_utf8_seq(const unsigned char *z, size_t n);

/* Append `z` to `b` with invalid UTF-8 replaced by U+FFFD and C0 control
 * characters other than \t and \n replaced by a space.  Returns the
 * number of bytes replaced by U+FFFD (0 when `z` was valid UTF-8). */
size_t ura_utf8_clean(ura_buf *b, const char *z, size_t n);

/* 64-bit FNV-1a; `seed` 0 gives the standard offset basis. */
uint64_t ura_hash64(const void *z, size_t n, uint64_t seed);

/* Hex name of a path: 32 hex digits from two independent hashes. */
void ura_path_key(const char *path, char out[33]);

/* A library that only some commands call (libexttextcat for the
 * segmenter, libseccomp for the workers) is not linked into ura: each
 * library a process loads costs every `ura search` about a millisecond
 * of mapping and relocation.  ura_dl_load() dlopen()s `soname` (the
 * name the linker would have recorded, from configure) and stores the
 * address of names[i] in fns[i] for i < n.  Returns URA_OK, or
 * URA_ERR_RUNTIME with err (may be NULL) naming the library or the
 * missing symbol; fns is then untouched.  The library stays loaded for
 * the life of the process, so the addresses stay valid: nothing to
 * free. */
int ura_dl_load(const char *soname, const char *const *names, void **fns, size_t n,
                ura_error *err);

#endif
