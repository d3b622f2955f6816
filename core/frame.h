/* frame.h — the framed pipe from an extraction worker to the indexer.
 *
 * A frame is a type byte, a 32-bit little-endian payload length and the
 * payload.  The worker sends one document as BEGIN/END/TEXT/META frames
 * then a DONE frame with the extraction's verdict; a worker that dies on
 * purpose (forbidden system call, memory) sends FATAL first when it can.
 * The reader checks every frame strictly: an unknown type, a length over
 * URA_FRAME_MAX or one that does not fit its type is malformed, and so is
 * anything after DONE.  Private to libura. */
#ifndef URA_FRAME_H
#define URA_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum ura_frame_type {
    URA_FR_BEGIN = 1, /* u8 kind, i32 level, language tag (may be empty)  */
    URA_FR_END,       /* u8 kind                                         */
    URA_FR_TEXT,      /* 1..URA_FRAME_MAX bytes of UTF-8                 */
    URA_FR_META,      /* u8 key length, key, value                       */
    URA_FR_DONE,      /* i32 result code (URA_OK, URA_WARN, URA_ERR_*), message */
    URA_FR_FATAL      /* u8 enum ura_fatal, i32 value (syscall number)    */
};

enum ura_fatal {
    URA_FATAL_SECCOMP = 1, /* value: the forbidden system call's number  */
    URA_FATAL_MEMORY,      /* the address-space limit was reached        */
    URA_FATAL_OUTPUT       /* the plugin went on after the sink said stop */
};

#define URA_FRAME_HEAD 5
#define URA_FRAME_MAX (1u << 20)   /* payload bytes                     */
#define URA_FRAME_MSG_MAX 1024     /* message bytes in DONE             */
#define URA_FRAME_LANG_MAX 64      /* language tag bytes in BEGIN       */

/* Append one frame to b. */
void ura_frame_put(ura_buf *b, int type, const void *payload, size_t n);
void ura_frame_begin(ura_buf *b, int kind, int level, const char *lang);
void ura_frame_end(ura_buf *b, int kind);
/* Text longer than URA_FRAME_MAX goes as several frames, cut between
 * UTF-8 characters. */
void ura_frame_text(ura_buf *b, const char *z, size_t n);
void ura_frame_meta(ura_buf *b, const char *key, const char *z, size_t n);
void ura_frame_done(ura_buf *b, int32_t code, const char *msg);
/* Fill out[] (at least URA_FRAME_HEAD + 5 bytes) with a FATAL frame;
 * returns its length.  Async-signal-safe. */
size_t ura_frame_fatal(unsigned char *out, int code, int32_t value);

/* One decoded frame; pointers borrow from the bytes given to
 * ura_frame_next(). */
typedef struct ura_frame {
    int type;
    int kind, level;           /* BEGIN, END                           */
    int32_t code;              /* DONE: result code; FATAL: enum ura_fatal */
    int32_t value;             /* FATAL                                */
    const char *a, *b;         /* BEGIN lang; TEXT; META key, value; DONE message */
    size_t alen, blen;
} ura_frame;

/* Decode the frame at p[0..n).  Returns the bytes it took (> 0), 0 when
 * more bytes are needed, or -1 when malformed (why[] says what). */
long ura_frame_next(const unsigned char *p, size_t n, ura_frame *f, char *why, size_t whylen);

#endif
