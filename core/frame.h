/* frame.h — the framed pipe from an extraction worker to the indexer.
 *
 * A frame is a type byte, a 32-bit little-endian payload length and the
 * payload.  The worker sends one file as its digest (digest.h: the
 * passages analysed) cut into DIGEST frames after an EXTRACTED frame
 * (the plugin is done), then a DONE frame with the
 * extraction's verdict; a worker that dies on purpose (forbidden system
 * call, memory) sends FATAL first when it can.  The reader checks every
 * frame strictly: an unknown type, a length over URA_FRAME_MAX or one
 * that does not fit its type is malformed, and so is anything after DONE
 * (the digest itself is checked by digest.c).  Private to libura. */
#ifndef URA_FRAME_H
#define URA_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum ura_frame_type {
    URA_FR_DIGEST = 1, /* 1..URA_FRAME_MAX bytes of the file's digest     */
    URA_FR_EXTRACTED,  /* u32 bytes of text: extraction is over, analysis
                          begins (the deadline moves: worker.c)           */
    URA_FR_DONE,       /* i32 result code (URA_OK, URA_WARN, URA_ERR_*), message */
    URA_FR_FATAL       /* u8 enum ura_fatal, i32 value (syscall number)    */
};

enum ura_fatal {
    URA_FATAL_SECCOMP = 1, /* value: the forbidden system call's number  */
    URA_FATAL_MEMORY,      /* the address-space limit was reached        */
    URA_FATAL_OUTPUT       /* the plugin went on after the sink said stop */
};

#define URA_FRAME_HEAD 5
#define URA_FRAME_MAX (1u << 20)   /* payload bytes                     */
#define URA_FRAME_MSG_MAX 1024     /* message bytes in DONE             */
#define URA_ANALYSE_RATE (128.0 * 1024) /* text bytes a second of analysis
                                           budget adds (worker.c)          */

/* Append one frame to b. */
void ura_frame_put(ura_buf *b, int type, const void *payload, size_t n);
void ura_frame_extracted(ura_buf *b, size_t text_bytes);
/* Bytes of a digest as DIGEST frames of at most URA_FRAME_MAX bytes. */
void ura_frame_digest(ura_buf *b, const char *z, size_t n);
void ura_frame_done(ura_buf *b, int32_t code, const char *msg);
/* Fill out[] (at least URA_FRAME_HEAD + 5 bytes) with a FATAL frame;
 * returns its length.  Async-signal-safe. */
size_t ura_frame_fatal(unsigned char *out, int code, int32_t value);

/* One decoded frame; pointers borrow from the bytes given to
 * ura_frame_next(). */
typedef struct ura_frame {
    int type;
    int32_t code;              /* DONE: result code; FATAL: enum ura_fatal */
    int32_t value;             /* FATAL; EXTRACTED: bytes of text      */
    const char *b;             /* DIGEST bytes; DONE message           */
    size_t blen;
} ura_frame;

/* Decode the frame at p[0..n).  Returns the bytes it took (> 0), 0 when
 * more bytes are needed, or -1 when malformed (why[] says what). */
long ura_frame_next(const unsigned char *p, size_t n, ura_frame *f, char *why, size_t whylen);

#endif
