/* safezip.c — the ZIP reader, the XML-over-ZIP reader and the structure
 * emitter that the DOCX and ODT plugins share (see safezip.h). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "safezip.h"

/* ---- small helpers ------------------------------------------------------ */

void office_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    err[strcspn(err, "\r\n")] = '\0';
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int office_eq_ci(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == *b;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *office_trim(const char *s, size_t *n)
{
    while (*n > 0 && is_space(s[0]))
        s++, (*n)--;
    while (*n > 0 && is_space(s[*n - 1]))
        (*n)--;
    return s;
}

size_t office_number(char *buf, size_t cap, long n, char fmt)
{
    static const struct { int v; const char *s; } roman[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
        {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"},
    };
    size_t k = 0;
    if (cap < 24) {
        if (cap)
            buf[0] = '\0';
        return 0;
    }
    if ((fmt == 'a' || fmt == 'A') && n >= 1 && n <= 26 * 8) {
        char c = (char)((fmt == 'a' ? 'a' : 'A') + (n - 1) % 26);
        for (long i = 0; i <= (n - 1) / 26; i++)
            buf[k++] = c;
    } else if ((fmt == 'i' || fmt == 'I') && n >= 1 && n < 4000) {
        for (size_t i = 0; i < sizeof roman / sizeof roman[0]; i++)
            for (; n >= roman[i].v; n -= roman[i].v)
                for (const char *p = roman[i].s; *p; p++)
                    buf[k++] = fmt == 'I' ? (char)(*p - 32) : *p;
    } else {
        int w = snprintf(buf, cap, fmt == '0' ? "%02ld" : "%ld", n);
        k = w > 0 ? (size_t)w : 0;
    }
    buf[k] = '\0';
    return k;
}

/* ---- ZIP ------------------------------------------------------------------ */

struct sz_archive {
    zip_t *za;
    uint64_t total; /* inflated bytes handed out so far, all entries */
    int fatal;      /* err is about the archive, not the XML in it    */
    char err[256];
};

struct sz_stream {
    struct sz_archive *z;
    zip_file_t *f;
    uint64_t comp, out;
    char name[96]; /* printable, for messages */
};

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* A name fit for a one-line message: control bytes become '?', long names
 * are cut (at a character boundary) with "...". */
static void printable(char *out, size_t cap, const unsigned char *s, size_t n)
{
    size_t k = 0, keep = cap - 4;
    for (size_t i = 0; i < n && k < cap - 1; i++) {
        if (k >= keep && n - i > cap - 1 - k) {
            while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
                k--; /* drop a continuation run ... */
            if (k > 0 && (unsigned char)out[k - 1] >= 0xC0)
                k--; /* ... and its lead byte */
            memcpy(out + k, "...", 3);
            k += 3;
            break;
        }
        out[k++] = s[i] < 0x20 || s[i] == 0x7F ? '?' : (char)s[i];
    }
    out[k] = '\0';
}

struct cd_entry {
    const unsigned char *name;
    size_t nlen;
    uint64_t start, end; /* the local header and its data */
};

static int cmp_name(const void *a, const void *b)
{
    const struct cd_entry *x = a, *y = b;
    size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = lower(x->name[i]), d = lower(y->name[i]);
        if (c != d)
            return c < d ? -1 : 1;
    }
    return x->nlen < y->nlen ? -1 : x->nlen > y->nlen;
}

static int cmp_start(const void *a, const void *b)
{
    const struct cd_entry *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The central directory an end record at `eocd` describes, as libzip reads
 * it when checking consistency: the comment must reach the end of the file
 * and the directory must end where the end record (or the ZIP64 one)
 * begins.  0 if it does not qualify. */
static int eocd_candidate(const unsigned char *d, size_t len, size_t eocd, uint64_t *count,
                          uint64_t *cd_off, uint64_t *cd_size)
{
    if (eocd + 22 + (size_t)rd16(d + eocd + 20) != len)
        return 0;
    uint64_t n = rd16(d + eocd + 10), size = rd32(d + eocd + 12), off = rd32(d + eocd + 16);
    uint64_t end = eocd;
    if (eocd >= 20 && rd32(d + eocd - 20) == 0x07064b50) { /* ZIP64 locator */
        uint64_t at = rd64(d + eocd - 20 + 8);
        if (at > eocd - 20 || eocd - 20 - at < 56 || rd32(d + at) != 0x06064b50)
            return 0;
        uint64_t n64 = rd64(d + at + 32), size64 = rd64(d + at + 40), off64 = rd64(d + at + 48);
        if ((n != 0xFFFF && n != n64) || (size != 0xFFFFFFFF && size != size64) ||
            (off != 0xFFFFFFFF && off != off64))
            return 0;
        n = n64, size = size64, off = off64, end = at;
    }
    if (off > end || size != end - off)
        return 0;
    *count = n, *cd_off = off, *cd_size = size;
    return 1;
}

/* Our own walk of the central directory, before libzip sees the archive:
 * entry count, duplicate names, entries inside the file and not sharing
 * bytes.  libzip 1.7 exposes no entry offsets, so this is the only place
 * overlap can be checked. */
static int check_directory(const unsigned char *d, size_t len, char *err, size_t errlen)
{
    uint64_t count = 0, cd_off = 0, cd_size = 0;
    int found = 0;
    if (len < 22) {
        office_err(err, errlen, "damaged ZIP: too short for an archive (truncated?)");
        return URA_EFILE;
    }
    size_t lo = len - 22 > 65535 ? len - 22 - 65535 : 0;
    for (size_t i = len - 22 + 1; i-- > lo;) {
        uint64_t c, o, s;
        if (rd32(d + i) == 0x06054b50 && eocd_candidate(d, len, i, &c, &o, &s)) {
            if (found++) {
                office_err(err, errlen, "damaged ZIP: more than one end of central directory");
                return URA_EFILE;
            }
            count = c, cd_off = o, cd_size = s;
        }
    }
    if (!found) {
        office_err(err, errlen, "damaged ZIP: no end of central directory (truncated?)");
        return URA_EFILE;
    }
    if (count > SZ_MAX_ENTRIES) {
        office_err(err, errlen, "too many entries (%llu > %u)", (unsigned long long)count,
                   SZ_MAX_ENTRIES);
        return URA_EFILE;
    }
    if (count == 0) {
        office_err(err, errlen, "empty ZIP archive");
        return URA_EFILE;
    }
    if (count > cd_size / 46) {
        office_err(err, errlen, "damaged ZIP: central directory too small for its %llu entries",
                   (unsigned long long)count);
        return URA_EFILE;
    }

    struct cd_entry *e = calloc((size_t)count, sizeof *e);
    if (!e) {
        office_err(err, errlen, "out of memory");
        return URA_EFILE;
    }
    int rc = URA_OK;
    char name[96], other[96];
    uint64_t p = cd_off, cd_end = cd_off + cd_size;
    for (uint64_t i = 0; i < count && rc == URA_OK; i++) {
        const unsigned char *h = d + p;
        if (cd_end - p < 46 || rd32(h) != 0x02014b50) {
            office_err(err, errlen, "damaged ZIP: central directory entry %llu is broken",
                       (unsigned long long)i + 1);
            rc = URA_EFILE;
            break;
        }
        uint64_t comp = rd32(h + 20), usize = rd32(h + 24), off = rd32(h + 42);
        size_t nlen = rd16(h + 28), xlen = rd16(h + 30), clen = rd16(h + 32);
        if (cd_end - p - 46 < (uint64_t)nlen + xlen + clen) {
            office_err(err, errlen, "damaged ZIP: central directory entry %llu is broken",
                       (unsigned long long)i + 1);
            rc = URA_EFILE;
            break;
        }
        /* ZIP64 extra field: the 64-bit values of the fields set to ~0 */
        const unsigned char *x = h + 46 + nlen, *xend = x + xlen;
        while (xend - x >= 4) {
            size_t id = rd16(x), sz = rd16(x + 2);
            if ((size_t)(xend - x - 4) < sz)
                break;
            if (id == 1) {
                const unsigned char *v = x + 4, *vend = v + sz;
                if (usize == 0xFFFFFFFF && vend - v >= 8)
                    usize = rd64(v), v += 8;
                if (comp == 0xFFFFFFFF && vend - v >= 8)
                    comp = rd64(v), v += 8;
                if (off == 0xFFFFFFFF && vend - v >= 8)
                    off = rd64(v);
            }
            x += 4 + sz;
        }
        printable(name, sizeof name, h + 46, nlen);
        e[i].name = h + 46;
        e[i].nlen = nlen;
        /* the local header, and the data after it */
        if (off > cd_off || cd_off - off < 30 || rd32(d + off) != 0x04034b50) {
            office_err(err, errlen, "damaged ZIP: entry %s has no local header", name);
            rc = URA_EFILE;
            break;
        }
        uint64_t data = off + 30 + rd16(d + off + 26) + rd16(d + off + 28);
        if (data > cd_off || cd_off - data < comp) {
            office_err(err, errlen, "damaged ZIP: entry %s runs past the central directory",
                       name);
            rc = URA_EFILE;
            break;
        }
        e[i].start = off;
        e[i].end = data + comp;
        p += 46 + nlen + xlen + clen;
    }
    if (rc == URA_OK && p != cd_end) {
        office_err(err, errlen, "damaged ZIP: central directory holds more than its entries");
        rc = URA_EFILE;
    }
    if (rc == URA_OK) {
        qsort(e, (size_t)count, sizeof *e, cmp_name);
        for (size_t i = 1; i < count && rc == URA_OK; i++)
            if (cmp_name(&e[i - 1], &e[i]) == 0) {
                printable(name, sizeof name, e[i].name, e[i].nlen);
                office_err(err, errlen, "duplicate entry name %s", name);
                rc = URA_EFILE;
            }
    }
    if (rc == URA_OK) {
        qsort(e, (size_t)count, sizeof *e, cmp_start);
        for (size_t i = 1; i < count && rc == URA_OK; i++)
            if (e[i].start < e[i - 1].end) {
                printable(name, sizeof name, e[i - 1].name, e[i - 1].nlen);
                printable(other, sizeof other, e[i].name, e[i].nlen);
                office_err(err, errlen, "damaged ZIP: entries %s and %s overlap", name, other);
                rc = URA_EFILE;
            }
    }
    free(e);
    return rc;
}

int sz_open(const unsigned char *data, size_t len, struct sz_archive **out, char *err,
            size_t errlen)
{
    *out = NULL;
    if (len == 0) {
        office_err(err, errlen, "empty file");
        return URA_EFILE;
    }
    if (len < 4 || memcmp(data, "PK\3\4", 4) != 0) {
        if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
            office_err(err, errlen, "not a ZIP archive: an OLE compound file (an encrypted "
                                    "document, or a legacy .doc)");
        else
            office_err(err, errlen, "not a ZIP archive");
        return URA_EFILE;
    }
    int rc = check_directory(data, len, err, errlen);
    if (rc != URA_OK)
        return rc;

    struct sz_archive *z = calloc(1, sizeof *z);
    if (!z) {
        office_err(err, errlen, "out of memory");
        return URA_EFILE;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    /* libzip only reads a buffer source opened ZIP_RDONLY: the cast is safe */
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src)
        z->za = zip_open_from_source(src, ZIP_CHECKCONS | ZIP_RDONLY, &ze);
    if (!z->za) {
        if (zip_error_code_zip(&ze) == ZIP_ER_EXISTS)
            office_err(err, errlen, "duplicate entry name");
        else
            office_err(err, errlen, "damaged ZIP: %s", zip_error_strerror(&ze));
        zip_source_free(src); /* NULL-safe; the archive did not take it */
        zip_error_fini(&ze);
        free(z);
        return URA_EFILE;
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 0 || (uint64_t)n > SZ_MAX_ENTRIES) {
        office_err(err, errlen, "too many entries (%lld > %u)", (long long)n, SZ_MAX_ENTRIES);
        sz_close(z);
        return URA_EFILE;
    }
    *out = z;
    return URA_OK;
}

void sz_close(struct sz_archive *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za); /* read-only: nothing to write back */
    free(z);
}

const char *sz_error(const struct sz_archive *z)
{
    return z->err;
}

int sz_fatal(const struct sz_archive *z)
{
    return z->fatal;
}

long sz_find(struct sz_archive *z, const char *name)
{
    zip_int64_t i = zip_name_locate(z->za, name, ZIP_FL_NOCASE | ZIP_FL_ENC_RAW);
    return i < 0 || i > LONG_MAX ? -1 : (long)i;
}

size_t sz_count(const struct sz_archive *z)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    return n > 0 ? (size_t)n : 0;
}

const char *sz_name(struct sz_archive *z, size_t i)
{
    return zip_get_name(z->za, i, ZIP_FL_ENC_RAW);
}

struct sz_stream *sz_stream_open(struct sz_archive *z, const char *name)
{
    zip_stat_t st;
    char pname[96];
    long i = sz_find(z, name);
    z->err[0] = '\0';
    z->fatal = 0;
    if (i < 0)
        return NULL;
    z->fatal = 1; /* until it opens, every error below is the archive's */
    printable(pname, sizeof pname, (const unsigned char *)name, strlen(name));
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0 ||
        (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD)) !=
            (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD)) {
        office_err(z->err, sizeof z->err, "damaged ZIP: entry %s: %s", pname,
                   zip_error_strerror(zip_get_error(z->za)));
        return NULL;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        office_err(z->err, sizeof z->err, "entry %s is encrypted (password-protected files "
                   "are not supported)", pname);
        return NULL;
    }
    /* Office files only ever store or deflate; other methods are attack
     * surface we do not need. */
    if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
        office_err(z->err, sizeof z->err, "damaged ZIP: entry %s uses compression method %u",
                   pname, (unsigned)st.comp_method);
        return NULL;
    }
    /* What the directory claims may already say too much; what it does
     * not say is counted while reading. */
    if (st.size > SZ_RATIO_FLOOR && st.size / SZ_MAX_RATIO > st.comp_size) {
        office_err(z->err, sizeof z->err, "zip bomb: entry %s expands beyond %u:1", pname,
                   SZ_MAX_RATIO);
        return NULL;
    }
    if (st.size > SZ_MAX_ENTRY_BYTES) {
        office_err(z->err, sizeof z->err, "zip bomb: entry %s expands beyond %u MiB", pname,
                   SZ_MAX_ENTRY_BYTES >> 20);
        return NULL;
    }
    struct sz_stream *s = calloc(1, sizeof *s);
    if (!s) {
        office_err(z->err, sizeof z->err, "out of memory");
        return NULL;
    }
    s->z = z;
    s->comp = st.comp_size;
    memcpy(s->name, pname, sizeof s->name);
    s->f = zip_fopen_index(z->za, (zip_uint64_t)i, 0);
    if (!s->f) {
        office_err(z->err, sizeof z->err, "damaged ZIP: entry %s: %s", pname,
                   zip_error_strerror(zip_get_error(z->za)));
        free(s);
        return NULL;
    }
    z->fatal = 0;
    return s;
}

/* One read, counted against the caps. */
static long read_counted(struct sz_stream *s, void *buf, size_t n)
{
    struct sz_archive *z = s->z;
    if (n > (1u << 20))
        n = 1u << 20;
    zip_int64_t got = zip_fread(s->f, buf, n);
    if (got < 0) {
        office_err(z->err, sizeof z->err, "damaged ZIP: entry %s: %s", s->name,
                   zip_error_strerror(zip_file_get_error(s->f)));
        return -1;
    }
    s->out += (uint64_t)got;
    z->total += (uint64_t)got;
    if (s->out > SZ_MAX_ENTRY_BYTES) {
        office_err(z->err, sizeof z->err, "zip bomb: entry %s expands beyond %u MiB", s->name,
                   SZ_MAX_ENTRY_BYTES >> 20);
        return -1;
    }
    if (s->out > SZ_RATIO_FLOOR && s->out / SZ_MAX_RATIO > s->comp) {
        office_err(z->err, sizeof z->err, "zip bomb: entry %s expands beyond %u:1", s->name,
                   SZ_MAX_RATIO);
        return -1;
    }
    if (z->total > SZ_MAX_TOTAL_BYTES) {
        office_err(z->err, sizeof z->err, "zip bomb: entries expand beyond %u MiB in all",
                   SZ_MAX_TOTAL_BYTES >> 20);
        return -1;
    }
    return (long)got;
}

long sz_stream_read(struct sz_stream *s, void *buf, size_t n)
{
    struct sz_archive *z = s->z;
    long got = read_counted(s, buf, n);
    if (got < 0)
        z->fatal = 1;
    return got;
}

void sz_stream_close(struct sz_stream *s)
{
    if (!s)
        return;
    zip_fclose(s->f);
    free(s);
}

int sz_read_small(struct sz_archive *z, const char *name, char *buf, size_t cap, size_t *n)
{
    struct sz_stream *s = sz_stream_open(z, name);
    long got = 0;
    *n = 0;
    if (!s)
        return URA_EFILE;
    while (*n < cap && (got = sz_stream_read(s, buf + *n, cap - *n)) > 0)
        *n += (size_t)got;
    if (got >= 0 && *n == cap) {
        char extra;
        if ((got = sz_stream_read(s, &extra, 1)) > 0) {
            office_err(z->err, sizeof z->err, "entry %s is too long", s->name);
            got = -1;
        }
    }
    sz_stream_close(s);
    return got < 0 ? URA_EFILE : URA_OK;
}

/* ---- XML over one entry ------------------------------------------------------ */

static int sx_fail(struct sx_reader *x, const char *why);
#define SX_STR_(n) #n
#define SX_STR(n) SX_STR_(n)

/* No DTD loading or validation, no entity substitution (XML_PARSE_NOENT
 * would substitute), no XInclude, no network, and no XML_PARSE_HUGE, so
 * libxml2's own limits (depth 256, 10 MB text nodes) stay on. */
#define SX_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)
#define SX_NAME_SLOTS 16384 /* the distinct-names set: a power of 2 */

/* ---- the byte guard ----
 * libxml2 only ever sees bytes this lexer has passed, and it stops the
 * part (x->refused) before libxml2 would do work out of proportion to
 * them.  libxml2 2.9's reader keeps every comment and processing
 * instruction until the part ends (nine times their size), checks
 * attributes for duplicates pairwise, and slows down as its dictionary of
 * names grows (a million names: half a minute); and a DOCTYPE is where
 * entities are declared.  So: no DOCTYPE, at most SX_MAX_ATTRS attributes
 * an element, SX_MAX_MARKS comments and PIs, SX_MAX_NAMES distinct
 * element and attribute names and namespace URIs (as 64-bit hashes).  The
 * lexer reads any ASCII-compatible encoding; UTF-16 is made UTF-8 first,
 * UCS-4 and EBCDIC are refused. */
enum { R_NONE, R_DOCTYPE, R_ATTRS, R_MARKS, R_NAMES, R_ENCODING, R_DEPTH };
enum { ENC_BYTES, ENC_UTF16LE, ENC_UTF16BE };
enum {
    LX_TEXT, LX_LT, LX_NAME, LX_TAG, LX_ATTR, LX_PRE_EQ, LX_EQ, LX_VALUE, LX_ENDTAG,
    LX_BANG, LX_BANG_DASH, LX_DOCTYPE, LX_CDATA_OPEN, LX_COMMENT, LX_PI, LX_CDATA,
};

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static int lx_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Count a distinct name (by hash); 0 when there are too many. */
static int add_name(struct sx_reader *x, uint64_t h)
{
    size_t i = (size_t)(h ^ h >> 32) & (SX_NAME_SLOTS - 1);
    h = h ? h : 1; /* 0 marks a free slot */
    while (x->names[i] && x->names[i] != h)
        i = (i + 1) & (SX_NAME_SLOTS - 1);
    if (x->names[i])
        return 1;
    if (++x->nnames > SX_MAX_NAMES)
        return 0;
    x->names[i] = h;
    return 1;
}

static int refuse(struct sx_reader *x, int why)
{
    x->refused = why;
    return 1;
}

/* Lex n bytes; 1 when the part must be refused (x->refused says why). */
static int lex(struct sx_reader *x, const unsigned char *p, size_t n)
{
    static const char doctype[] = "DOCTYPE", cdata[] = "[CDATA[";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        switch (x->lx) {
        case LX_TEXT:
            if (c == '<')
                x->lx = LX_LT;
            break;
        case LX_LT:
            x->lx_i = 0;
            if (c == '?') {
                x->lx = LX_PI;
                if (++x->marks > SX_MAX_MARKS)
                    return refuse(x, R_MARKS);
            } else if (c == '!') {
                x->lx = LX_BANG;
            } else if (c == '/') {
                x->lx = LX_ENDTAG;
            } else {
                x->lx = LX_NAME;
                x->attrs = 0;
                x->h = (FNV_BASIS ^ c) * FNV_PRIME;
            }
            break;
        case LX_NAME: /* the element's name */
            if (lx_space(c) || c == '/' || c == '>') {
                if (!add_name(x, x->h))
                    return refuse(x, R_NAMES);
                x->lx = c == '>' ? LX_TEXT : LX_TAG;
            } else {
                x->h = (x->h ^ c) * FNV_PRIME;
            }
            break;
        case LX_TAG: /* between attributes */
            if (c == '>') {
                x->lx = LX_TEXT;
            } else if (c == '"' || c == '\'') { /* not well-formed: libxml2 says so */
                x->quote = c;
                x->is_ns = 0;
                x->lx = LX_VALUE;
            } else if (!lx_space(c) && c != '/' && c != '=') {
                x->lx = LX_ATTR;
                x->h = (FNV_BASIS ^ c) * FNV_PRIME;
                x->ns_i = c == 'x' ? 1 : -1;
            }
            break;
        case LX_ATTR: /* an attribute's name; "xmlns" or "xmlns:..." declares */
            if (lx_space(c) || c == '=') {
                if (!add_name(x, x->h))
                    return refuse(x, R_NAMES);
                x->is_ns = x->ns_i == 5 || x->ns_i == 6;
                x->lx = c == '=' ? LX_EQ : LX_PRE_EQ;
                if (c == '=' && ++x->attrs > SX_MAX_ATTRS)
                    return refuse(x, R_ATTRS);
            } else if (c == '>' || c == '/') {
                x->lx = c == '>' ? LX_TEXT : LX_TAG;
            } else {
                x->h = (x->h ^ c) * FNV_PRIME;
                if (x->ns_i >= 1 && x->ns_i < 5 && c == (unsigned char)"xmlns"[x->ns_i])
                    x->ns_i++;
                else if (x->ns_i == 5 && c == ':')
                    x->ns_i = 6;
                else if (x->ns_i != 6)
                    x->ns_i = -1;
            }
            break;
        case LX_PRE_EQ:
            if (c == '=') {
                x->lx = LX_EQ;
                if (++x->attrs > SX_MAX_ATTRS)
                    return refuse(x, R_ATTRS);
            } else if (!lx_space(c)) {
                x->lx = LX_TAG;
                i--; /* not well-formed; read c again between attributes */
            }
            break;
        case LX_EQ:
            if (c == '"' || c == '\'') {
                x->quote = c;
                x->lx = LX_VALUE;
                x->h = FNV_PRIME; /* namespace URIs apart from names */
            } else if (!lx_space(c)) {
                x->lx = LX_TAG;
                i--;
            }
            break;
        case LX_VALUE: /* '>' may stand in a value */
            if (c == x->quote) {
                if (x->is_ns && !add_name(x, x->h))
                    return refuse(x, R_NAMES);
                x->lx = LX_TAG;
            } else if (x->is_ns) {
                x->h = (x->h ^ c) * FNV_PRIME;
            }
            break;
        case LX_ENDTAG:
            if (c == '>')
                x->lx = LX_TEXT;
            break;
        case LX_BANG: /* "<!--", "<![CDATA[" or "<!DOCTYPE" */
            if (c == '-') {
                x->lx = LX_BANG_DASH;
            } else if (c == '[') {
                x->lx = LX_CDATA_OPEN;
                x->lx_i = 1;
            } else if (c == 'D') {
                x->lx = LX_DOCTYPE;
                x->lx_i = 1;
            } else {
                x->lx = LX_TAG; /* not well-formed: libxml2 says so */
            }
            break;
        case LX_BANG_DASH:
            x->lx = c == '-' ? LX_COMMENT : LX_TAG;
            x->lx_i = 0;
            if (c == '-' && ++x->marks > SX_MAX_MARKS)
                return refuse(x, R_MARKS);
            break;
        case LX_DOCTYPE:
            if (c != (unsigned char)doctype[x->lx_i])
                x->lx = LX_TAG;
            else if (++x->lx_i == 7)
                return refuse(x, R_DOCTYPE);
            break;
        case LX_CDATA_OPEN:
            if (c != (unsigned char)cdata[x->lx_i])
                x->lx = LX_TAG;
            else if (++x->lx_i == 7)
                x->lx = LX_CDATA, x->lx_i = 0;
            break;
        case LX_COMMENT: /* lx_i: dashes in a row */
            if (c == '>' && x->lx_i >= 2)
                x->lx = LX_TEXT;
            x->lx_i = c == '-' ? x->lx_i + 1 : 0;
            break;
        case LX_PI: /* lx_i: the last byte was '?' */
            if (c == '>' && x->lx_i)
                x->lx = LX_TEXT;
            x->lx_i = c == '?';
            break;
        case LX_CDATA: /* lx_i: ']' in a row */
            if (c == '>' && x->lx_i >= 2)
                x->lx = LX_TEXT;
            x->lx_i = c == ']' ? x->lx_i + 1 : 0;
            break;
        }
    }
    return 0;
}

/* Raw bytes: the ones read ahead to tell the encoding, then the stream. */
static long raw_read(struct sx_reader *x, unsigned char *buf, size_t n)
{
    size_t k = 0;
    while (k < n && x->ihead < x->nhead)
        buf[k++] = x->head[x->ihead++];
    if (k == n)
        return (long)k;
    long got = sz_stream_read(x->in, buf + k, n - k);
    return got < 0 ? -1 : (long)k + got;
}

static size_t put_utf8(unsigned char *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | c >> 6);
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | c >> 12);
        o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | c >> 18);
    o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* UTF-16 to UTF-8 into out (cap >= 16): at most cap bytes, 0 only at the
 * end; a lone surrogate or an odd last byte becomes U+FFFD. */
static long utf16_read(struct sx_reader *x, unsigned char *out, size_t cap)
{
    unsigned char raw[4096];
    size_t k = 0;
    while (k == 0) {
        size_t want = (cap - 8) / 3 * 2; /* 2 bytes in, at most 3 out (4 for a pair) */
        if (want > sizeof raw - 2)
            want = sizeof raw - 2;
        memcpy(raw, x->carry, x->ncarry);
        long got = raw_read(x, raw + x->ncarry, want - x->ncarry);
        if (got < 0)
            return -1;
        size_t n = x->ncarry + (size_t)got, i = 0;
        int end = got == 0;
        for (; i + 1 < n; i += 2) {
            uint32_t u = x->enc == ENC_UTF16LE ? (uint32_t)raw[i] | (uint32_t)raw[i + 1] << 8
                                               : (uint32_t)raw[i] << 8 | raw[i + 1];
            if (x->high) {
                uint32_t h = x->high;
                x->high = 0;
                if (u >= 0xDC00 && u <= 0xDFFF) {
                    k += put_utf8(out + k, 0x10000 + ((h - 0xD800) << 10) + (u - 0xDC00));
                    continue;
                }
                k += put_utf8(out + k, 0xFFFD);
            }
            if (u >= 0xD800 && u <= 0xDBFF)
                x->high = u;
            else
                k += put_utf8(out + k, u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : u);
        }
        x->ncarry = n - i; /* 0 or 1 */
        memcpy(x->carry, raw + i, x->ncarry);
        if (end) {
            if (x->high || x->ncarry)
                k += put_utf8(out + k, 0xFFFD);
            x->high = 0;
            x->ncarry = 0;
            break;
        }
    }
    return (long)k;
}

static int sx_read_cb(void *ctx, char *buf, int len)
{
    struct sx_reader *x = ctx;
    unsigned char *out = (unsigned char *)buf;
    size_t k = 0, cap = len > 0 ? (size_t)len : 0;
    long n;
    if (x->refused)
        return -1;
    while (k < cap && x->ipend < x->npend) /* transcoded bytes left over */
        out[k++] = x->pend[x->ipend++];
    if (k == 0 && cap > 0) {
        if (x->enc == ENC_BYTES) {
            n = raw_read(x, out, cap);
        } else if (cap >= 16) {
            n = utf16_read(x, out, cap);
        } else { /* too small a buffer to transcode into */
            n = utf16_read(x, x->pend, sizeof x->pend);
            x->npend = n > 0 ? (size_t)n : 0;
            x->ipend = 0;
            while (n > 0 && k < cap && x->ipend < x->npend)
                out[k++] = x->pend[x->ipend++];
            n = n < 0 ? -1 : (long)k;
            k = 0;
        }
        if (n < 0)
            return -1;
        k = (size_t)n;
    }
    if (k > 0 && lex(x, out, k)) /* each byte lexed once, as libxml2 gets it */
        return -1;
    return (int)k;
}

static void sx_error_cb(void *ctx, xmlErrorPtr e)
{
    struct sx_reader *x = ctx;
    if (!e || e->level < XML_ERR_ERROR || x->xmlerr[0] || x->refused)
        return;
    if (e->code == XML_ERR_ENTITY_LOOP) /* past the guard, somehow: still refused */
        x->refused = R_DOCTYPE;
    else if (e->message && !strncmp(e->message, "Excessive depth", 15))
        x->refused = R_DEPTH;
    else if (e->line > 0)
        office_err(x->xmlerr, sizeof x->xmlerr, "line %d: %s", e->line,
                   e->message ? e->message : "error");
    else /* raised without a parser context: no line to give */
        office_err(x->xmlerr, sizeof x->xmlerr, "%s", e->message ? e->message : "error");
}

/* What libxml2 prints with xmlGenericError() itself ("xmlParseChunk:
 * encoder error"), kept as the part's error when it is the first. */
static void sx_generic_cb(void *ctx, const char *fmt, ...)
{
    struct sx_reader *x = ctx;
    if (x->xmlerr[0] || x->refused)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->xmlerr, sizeof x->xmlerr, fmt, ap);
    va_end(ap);
    x->xmlerr[strcspn(x->xmlerr, "\r\n")] = '\0';
}

/* libxml2 reports some errors to the thread's handlers only, not to the
 * reader's: a conversion from the declared encoding that fails (raised
 * with no parser context) and xmlParseChunk's "encoder error".  Left to
 * the defaults they go to stderr, naming no file, and the part fails as
 * "unreadable XML".  So while libxml2 parses for a reader (creating it,
 * reading a node), the thread's handlers are the reader's, and are put
 * back afterwards. */
struct sx_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
};

static void sx_handlers_take(struct sx_reader *x, struct sx_handlers *was)
{
    was->generic = xmlGenericError;
    was->generic_ctx = xmlGenericErrorContext;
    was->structured = xmlStructuredError;
    was->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(x, sx_generic_cb);
    xmlSetStructuredErrorFunc(x, sx_error_cb);
}

static void sx_handlers_give_back(const struct sx_handlers *was)
{
    xmlSetGenericErrorFunc(was->generic_ctx, was->generic);
    xmlSetStructuredErrorFunc(was->structured_ctx, was->structured);
}

/* Read the first bytes and tell the encoding, as libxml2 would. */
static int sniff_encoding(struct sx_reader *x)
{
    const unsigned char *b = x->head;
    while (x->nhead < 4) {
        long got = sz_stream_read(x->in, x->head + x->nhead, 4 - x->nhead);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        x->nhead += (size_t)got;
    }
    if (x->nhead < 4)
        return 0; /* too short to be anything but bytes */
    uint32_t w = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    if (w == 0x0000FEFF || w == 0xFFFE0000 || w == 0x0000003C || w == 0x3C000000 ||
        w == 0x00003C00 || w == 0x003C0000 || w == 0x4C6FA794) {
        x->refused = R_ENCODING;
        return -1;
    }
    if (b[0] == 0xFF && b[1] == 0xFE)
        x->enc = ENC_UTF16LE, x->ihead = 2;
    else if (b[0] == 0xFE && b[1] == 0xFF)
        x->enc = ENC_UTF16BE, x->ihead = 2;
    else if (w == 0x3C003F00)
        x->enc = ENC_UTF16LE;
    else if (w == 0x003C003F)
        x->enc = ENC_UTF16BE;
    return 0;
}

int sx_open(struct sx_reader *x, struct sz_archive *z, const char *name)
{
    memset(x, 0, sizeof *x);
    x->zip = z;
    printable(x->part, sizeof x->part, (const unsigned char *)name, strlen(name));
    x->in = sz_stream_open(z, name);
    if (!x->in)
        return z->err[0] ? -1 : 0;
    if (!(x->names = calloc(SX_NAME_SLOTS, sizeof *x->names))) {
        office_err(z->err, sizeof z->err, "out of memory");
        return -1;
    }
    if (sniff_encoding(x) < 0)
        return sx_fail(x, NULL);
    /* UTF-16 reaches libxml2 as UTF-8, whatever the declaration says */
    struct sx_handlers was;
    sx_handlers_take(x, &was);
    x->r = x->enc == ENC_BYTES
               ? xmlReaderForIO(sx_read_cb, NULL, x, NULL, NULL, SX_OPTIONS)
               : xmlReaderForIO(sx_read_cb, NULL, x, NULL, "UTF-8",
                                SX_OPTIONS | XML_PARSE_IGNORE_ENC);
    sx_handlers_give_back(&was);
    if (!x->r)
        return sx_fail(x, x->refused ? NULL : "cannot start the XML reader");
    xmlTextReaderSetStructuredErrorHandler(x->r, sx_error_cb, x);
    return 1;
}

static int sx_fail(struct sx_reader *x, const char *why)
{
    static const char *const reasons[] = {
        [R_DOCTYPE] = "DOCTYPE refused (entity declarations are not allowed)",
        [R_ATTRS] = "an element has more than " SX_STR(SX_MAX_ATTRS) " attributes",
        [R_MARKS] = "more than " SX_STR(SX_MAX_MARKS) " XML comments and processing instructions",
        [R_NAMES] = "more than " SX_STR(SX_MAX_NAMES) " distinct XML names",
        [R_ENCODING] = "XML in UCS-4 or EBCDIC is not supported",
        [R_DEPTH] = "XML nested deeper than " SX_STR(SX_MAX_DEPTH) " elements",
    };
    struct sz_archive *z = x->zip;
    if (z->err[0]) /* the ZIP said it first: a bomb, damage */
        return -1;
    if (why)
        office_err(z->err, sizeof z->err, "%s: %s", x->part, why);
    else if (x->refused)
        office_err(z->err, sizeof z->err, "%s: %s", x->part, reasons[x->refused]);
    else if (x->xmlerr[0])
        office_err(z->err, sizeof z->err, "%s: not well-formed XML (%s)", x->part, x->xmlerr);
    else
        office_err(z->err, sizeof z->err, "%s: unreadable XML", x->part);
    return -1;
}

int sx_next(struct sx_reader *x)
{
    if (!x->r)
        return -1;
    if (x->zip->err[0])
        return -1;
    struct sx_handlers was;
    sx_handlers_take(x, &was);
    int rc = xmlTextReaderRead(x->r);
    sx_handlers_give_back(&was);
    if (rc == 0)
        return x->xmlerr[0] || x->refused ? sx_fail(x, NULL) : 0;
    if (rc < 0)
        return sx_fail(x, NULL);
    switch (xmlTextReaderNodeType(x->r)) {
    case XML_READER_TYPE_DOCUMENT_TYPE: /* the guard let none through */
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
        x->refused = R_DOCTYPE;
        return sx_fail(x, NULL);
    case XML_READER_TYPE_ELEMENT:
        if (xmlTextReaderDepth(x->r) >= SX_MAX_DEPTH) {
            x->refused = R_DEPTH;
            return sx_fail(x, NULL);
        }
        break;
    default:
        break;
    }
    return 1;
}

int sx_hostile(const struct sx_reader *x)
{
    return x->refused != R_NONE;
}

void sx_close(struct sx_reader *x)
{
    if (x->r)
        xmlFreeTextReader(x->r);
    sz_stream_close(x->in);
    free(x->names);
    x->r = NULL;
    x->in = NULL;
    x->names = NULL;
}

int sx_type(struct sx_reader *x)
{
    return xmlTextReaderNodeType(x->r);
}

int sx_depth(struct sx_reader *x)
{
    return xmlTextReaderDepth(x->r);
}

int sx_empty(struct sx_reader *x)
{
    return xmlTextReaderIsEmptyElement(x->r) == 1;
}

const char *sx_local(struct sx_reader *x)
{
    const xmlChar *s = xmlTextReaderConstLocalName(x->r);
    return s ? (const char *)s : "";
}

const char *sx_ns(struct sx_reader *x)
{
    const xmlChar *s = xmlTextReaderConstNamespaceUri(x->r);
    return s ? (const char *)s : "";
}

const char *sx_value(struct sx_reader *x)
{
    const xmlChar *s = xmlTextReaderConstValue(x->r);
    return s ? (const char *)s : "";
}

long sx_attr(struct sx_reader *x, const char *ns, const char *local, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (xmlTextReaderMoveToAttributeNs(x->r, (const xmlChar *)local, (const xmlChar *)ns) != 1)
        return -1;
    const xmlChar *v = xmlTextReaderConstValue(x->r);
    size_t n = v ? strlen((const char *)v) : 0;
    if (n > cap - 1) {
        n = cap - 1;
        while (n > 0 && (v[n] & 0xC0) == 0x80)
            n--; /* cut at a character boundary */
    }
    if (n)
        memcpy(buf, v, n);
    buf[n] = '\0';
    xmlTextReaderMoveToElement(x->r);
    return (long)n;
}

int sx_is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* ---- Structure out ------------------------------------------------------------ */

enum { EV_BEGIN = 1, EV_END, EV_TEXT, EV_REPLAY };

void em_init(struct em *e, const struct ura_sink *sink)
{
    memset(e, 0, sizeof *e);
    e->sink = sink;
    e->page = 1;
}

void em_free(struct em *e)
{
    for (int t = 0; t < EM_NTARGETS; t++) {
        free(e->rec[t].ev);
        free(e->rec[t].text);
        e->rec[t].ev = NULL;
        e->rec[t].text = NULL;
    }
}

static int lazy(enum ura_node k)
{
    return k != URA_NODE_TABLE && k != URA_NODE_ROW && k != URA_NODE_CELL;
}

static int sink_rc(struct em *e, int rc)
{
    if (rc != URA_OK && !e->rc)
        e->rc = rc;
    return e->rc;
}

enum em_target em_current(const struct em *e)
{
    return e->ntarget ? e->target[e->ntarget - 1] : EM_LIVE;
}

static struct em_stack *cur_stack(struct em *e)
{
    enum em_target t = em_current(e);
    return t == EM_LIVE ? &e->live : &e->rec[t].st;
}

/* Begin every pushed node at the sink, taking a pending page break first:
 * everything open is ended, the page too, and all of it begun again. */
static int materialize(struct em *e)
{
    const struct ura_sink *s = e->sink;
    if (e->rc)
        return e->rc;
    if (e->break_pending) {
        e->break_pending = 0;
        if (e->page_open) {
            while (e->open > 0 && !e->rc)
                sink_rc(e, s->end(s->ctx, e->live.n[--e->open].kind));
            if (!e->rc)
                sink_rc(e, s->end(s->ctx, URA_NODE_PAGE));
            e->page_open = 0;
            e->page++;
        }
    }
    if (!e->page_open && !e->rc) {
        sink_rc(e, s->begin(s->ctx, URA_NODE_PAGE, e->page, NULL));
        e->page_open = 1;
    }
    while (e->open < e->live.depth && !e->rc) {
        const struct em_node *n = &e->live.n[e->open++];
        sink_rc(e, s->begin(s->ctx, n->kind, n->level, NULL));
    }
    return e->rc;
}

static struct em_event *rec_add(struct em *e, struct em_recording *r, int type)
{
    if (r->lost)
        return NULL;
    if (r->nev == r->capev) {
        size_t cap = r->capev ? r->capev * 2 : 256;
        struct em_event *ev = cap <= EM_MAX_RECORD_EVENTS ? realloc(r->ev, cap * sizeof *ev)
                                                          : NULL;
        if (!ev) {
            r->lost = e->lost = 1;
            return NULL;
        }
        r->ev = ev;
        r->capev = cap;
    }
    struct em_event *ev = &r->ev[r->nev++];
    memset(ev, 0, sizeof *ev);
    ev->type = (uint32_t)type;
    return ev;
}

int em_push(struct em *e, enum ura_node kind, int level)
{
    enum em_target t = em_current(e);
    struct em_stack *st = cur_stack(e);
    if (e->rc)
        return e->rc;
    if (st->depth >= EM_MAX_DEPTH || st->over) {
        st->over++;
        return URA_OK;
    }
    st->n[st->depth++] = (struct em_node){kind, level};
    if (t != EM_LIVE) {
        struct em_event *ev = rec_add(e, &e->rec[t], EV_BEGIN);
        if (ev) {
            ev->kind = (uint32_t)kind;
            ev->level = level;
        }
        return URA_OK;
    }
    return lazy(kind) ? URA_OK : materialize(e);
}

int em_pop(struct em *e)
{
    enum em_target t = em_current(e);
    struct em_stack *st = cur_stack(e);
    if (e->rc)
        return e->rc;
    if (st->over) {
        st->over--;
        return URA_OK;
    }
    if (!st->depth)
        return URA_OK;
    enum ura_node kind = st->n[--st->depth].kind;
    if (t != EM_LIVE) {
        struct em_event *ev = rec_add(e, &e->rec[t], EV_END);
        if (ev)
            ev->kind = (uint32_t)kind;
    } else if (st->depth < e->open) {
        e->open--;
        sink_rc(e, e->sink->end(e->sink->ctx, kind));
    }
    return e->rc;
}

int em_depth(const struct em *e)
{
    enum em_target t = em_current(e);
    const struct em_stack *st = t == EM_LIVE ? &e->live : &e->rec[t].st;
    return st->depth + st->over;
}

int em_pop_to(struct em *e, int depth)
{
    while (em_depth(e) > depth && !e->rc)
        em_pop(e);
    return e->rc;
}

static void rec_text(struct em *e, struct em_recording *r, const char *z, size_t n)
{
    if (r->lost)
        return;
    if (n > EM_MAX_RECORD_TEXT - r->ntext) {
        r->lost = e->lost = 1;
        return;
    }
    if (r->ntext + n > r->captext) {
        size_t cap = r->captext ? r->captext : 4096;
        while (cap < r->ntext + n)
            cap *= 2;
        char *p = realloc(r->text, cap);
        if (!p) {
            r->lost = e->lost = 1;
            return;
        }
        r->text = p;
        r->captext = cap;
    }
    struct em_event *last = r->nev ? &r->ev[r->nev - 1] : NULL;
    if (!(last && last->type == EV_TEXT && last->off + last->len == r->ntext)) {
        if (!(last = rec_add(e, r, EV_TEXT)))
            return;
        last->off = (uint32_t)r->ntext;
    }
    memcpy(r->text + r->ntext, z, n);
    r->ntext += n;
    last->len += (uint32_t)n;
}

int em_text(struct em *e, const char *z, size_t n)
{
    enum em_target t = em_current(e);
    if (e->rc || n == 0)
        return e->rc;
    if (t != EM_LIVE) {
        rec_text(e, &e->rec[t], z, n);
        return URA_OK;
    }
    if (materialize(e) != URA_OK)
        return e->rc;
    return sink_rc(e, e->sink->text(e->sink->ctx, z, n));
}

void em_page_break(struct em *e)
{
    if (em_current(e) == EM_LIVE && e->page_open)
        e->break_pending = 1;
}

void em_cancel_break(struct em *e)
{
    e->break_pending = 0;
}

void em_enter(struct em *e, enum em_target t)
{
    if (t == EM_LIVE || t >= EM_NTARGETS ||
        e->ntarget >= (int)(sizeof e->target / sizeof e->target[0])) {
        e->target_over++;
        return;
    }
    e->enter_depth[e->ntarget] = e->rec[t].st.depth + e->rec[t].st.over;
    e->target[e->ntarget++] = t;
}

void em_leave(struct em *e)
{
    if (e->target_over) {
        e->target_over--;
        return;
    }
    if (!e->ntarget)
        return;
    em_pop_to(e, e->enter_depth[e->ntarget - 1]); /* what the scope left open */
    e->ntarget--;
}

size_t em_store_pos(const struct em *e)
{
    return e->rec[EM_STORE].nev;
}

/* Replay events [from, to) of r through the current (live) stack; whatever
 * the range leaves open is closed, and ends it did not begin are dropped. */
static void replay(struct em *e, const struct em_recording *r, size_t from, size_t to,
                   int nested)
{
    int base = em_depth(e);
    for (size_t i = from; i < to && i < r->nev && !e->rc; i++) {
        const struct em_event *ev = &r->ev[i];
        switch (ev->type) {
        case EV_BEGIN:
            em_push(e, (enum ura_node)ev->kind, ev->level);
            break;
        case EV_END:
            if (em_depth(e) > base)
                em_pop(e);
            break;
        case EV_TEXT:
            em_text(e, r->text + ev->off, ev->len);
            break;
        case EV_REPLAY:
            if (!nested)
                replay(e, &e->rec[EM_STORE], ev->off, (size_t)ev->off + ev->len, 1);
            break;
        }
    }
    em_pop_to(e, base);
}

int em_replay(struct em *e, size_t from, size_t to)
{
    enum em_target t = em_current(e);
    if (e->rc || t == EM_STORE || to <= from || to > UINT32_MAX)
        return e->rc;
    if (t == EM_LIVE) {
        replay(e, &e->rec[EM_STORE], from, to, 1);
        return e->rc;
    }
    struct em_event *ev = rec_add(e, &e->rec[t], EV_REPLAY);
    if (ev) {
        ev->off = (uint32_t)from;
        ev->len = (uint32_t)(to - from);
    }
    return URA_OK;
}

int em_flush(struct em *e, enum em_target t)
{
    if (e->rc || em_current(e) != EM_LIVE || t == EM_LIVE || t == EM_STORE)
        return e->rc;
    struct em_recording *r = &e->rec[t];
    if (r->nev) {
        /* Empty it first: replay may not append to what it reads. */
        size_t n = r->nev;
        replay(e, r, 0, n, 0);
    }
    r->nev = r->ntext = 0;
    r->lost = 0;
    r->st.depth = r->st.over = 0;
    return e->rc;
}

struct em_mark em_mark(const struct em *e)
{
    struct em_mark m = {em_depth(e), e->ntarget + e->target_over};
    return m;
}

void em_restore(struct em *e, struct em_mark m)
{
    while (e->ntarget + e->target_over > m.targets)
        em_leave(e);
    em_pop_to(e, m.depth);
}

int em_finish(struct em *e)
{
    while (e->ntarget || e->target_over)
        em_leave(e);
    em_pop_to(e, 0);
    if (e->page_open && !e->rc) {
        sink_rc(e, e->sink->end(e->sink->ctx, URA_NODE_PAGE));
        e->page_open = 0;
    }
    return e->rc;
}
