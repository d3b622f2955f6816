/* fuzz-pack.c — the structure-aware half of the harnesses fuzz-docx-xml,
 * fuzz-odt-xml and fuzz-pdf-page: the fuzzer's bytes become the parts of
 * a well-formed container, so that mutations reach the plugin's XML
 * readers (or Poppler's content-stream interpreter and the PDF plugin's
 * layout) instead of dying in the ZIP layer or the PDF cross-reference
 * table, as most mutants of a whole file do.
 *
 * The input is split at each PART_SEP ("<<ura-part>>", which neither
 * well-formed XML nor a valid content stream holds).
 *   DOCX, ODT  the pieces fill, in order, the parts listed below.  An empty
 *              or absent piece leaves its part out of the archive.  Every
 *              entry is stored (not compressed), with its CRC, after a
 *              fixed [Content_Types].xml (DOCX) or mimetype entry (ODT;
 *              left out when the manifest piece is there, so that the
 *              type comes from the manifest).
 *   PDF        each piece is the content stream of one page (at most
 *              MAX_PAGES), in a PDF 1.4 with a correct cross-reference
 *              table, A4 pages and the fonts /F1../F4 (standard Type 1
 *              fonts, WinAnsiEncoding).
 * fuzz/run builds the seeds the same way from the XML parts and the
 * content streams of corpora/FMT and tests/plugins/FMT. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "fuzz.h"

#define PART_SEP "<<ura-part>>"
#define MAX_PAGES 16

static const char *const docx_parts[] = {
    "word/document.xml",  "word/styles.xml",  "word/numbering.xml",
    "word/footnotes.xml", "word/endnotes.xml", "docProps/core.xml",
    "word/header1.xml",   "word/footer1.xml", NULL,
};
static const char *const odt_parts[] = {
    "content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml", NULL,
};
static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
static const char odt_mimetype[] = "application/vnd.oasis.opendocument.text";

struct zbuf {
    unsigned char *p;
    size_t n, cap;
};

static void put(struct zbuf *b, const void *s, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        FUZZ_CHECK(b->p != NULL, "out of memory packing the archive");
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void put16(struct zbuf *b, unsigned v)
{
    unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    put(b, c, 2);
}

static void put32(struct zbuf *b, unsigned long v)
{
    put16(b, (unsigned)(v & 0xFFFF));
    put16(b, (unsigned)(v >> 16 & 0xFFFF));
}

struct entry {
    const char *name;
    const unsigned char *data;
    size_t len;
};

/* A stored-entry ZIP of e[0..n): local headers and data, the central
 * directory, the end record.  Returns a malloc'd archive (the caller's to
 * free) of *len bytes. */
static unsigned char *zip_stored(const struct entry *e, size_t n, size_t *len)
{
    struct zbuf b = {0};
    unsigned long off[16], crc[16];
    FUZZ_CHECK(n <= 16, "%zu entries", n);
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(e[i].name);
        off[i] = (unsigned long)b.n;
        crc[i] = crc32(crc32(0L, Z_NULL, 0), e[i].data, (uInt)e[i].len);
        put32(&b, 0x04034b50);
        put16(&b, 20);        /* version needed */
        put16(&b, 0x0800);    /* flags: UTF-8 names */
        put16(&b, 0);         /* stored */
        put16(&b, 0);         /* time */
        put16(&b, 0x21);      /* date: 1980-01-01 */
        put32(&b, crc[i]);
        put32(&b, (unsigned long)e[i].len);
        put32(&b, (unsigned long)e[i].len);
        put16(&b, (unsigned)nl);
        put16(&b, 0);
        put(&b, e[i].name, nl);
        put(&b, e[i].data, e[i].len);
    }
    size_t cd = b.n;
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(e[i].name);
        put32(&b, 0x02014b50);
        put16(&b, 20);        /* made by */
        put16(&b, 20);
        put16(&b, 0x0800);
        put16(&b, 0);
        put16(&b, 0);
        put16(&b, 0x21);
        put32(&b, crc[i]);
        put32(&b, (unsigned long)e[i].len);
        put32(&b, (unsigned long)e[i].len);
        put16(&b, (unsigned)nl);
        put16(&b, 0);         /* extra */
        put16(&b, 0);         /* comment */
        put16(&b, 0);         /* disk */
        put16(&b, 0);         /* internal attributes */
        put32(&b, 0);         /* external attributes */
        put32(&b, off[i]);
        put(&b, e[i].name, nl);
    }
    size_t cdlen = b.n - cd;
    put32(&b, 0x06054b50);
    put16(&b, 0);
    put16(&b, 0);
    put16(&b, (unsigned)n);
    put16(&b, (unsigned)n);
    put32(&b, (unsigned long)cdlen);
    put32(&b, (unsigned long)cd);
    put16(&b, 0);
    *len = b.n;
    return b.p;
}

static void putf(struct zbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct zbuf *b, const char *fmt, ...)
{
    char s[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s, sizeof s, fmt, ap);
    va_end(ap);
    FUZZ_CHECK(n >= 0 && (size_t)n < sizeof s, "putf: %d bytes", n);
    put(b, s, (size_t)n);
}

/* A PDF whose pages have the content streams pg[0..n) (n >= 1). */
static unsigned char *pdf_pages(const struct entry *pg, size_t n, size_t *len)
{
    static const char *const fonts[] = {"Helvetica", "Helvetica-Bold", "Times-Roman",
                                        "Courier"};
    struct zbuf b = {0};
    size_t nobj = 8 + 2 * n, off[8 + 2 * MAX_PAGES];
    FUZZ_CHECK(n >= 1 && n <= MAX_PAGES, "%zu pages", n);
    put(&b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 15);
    off[1] = b.n;
    putf(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = b.n;
    putf(&b, "2 0 obj\n<< /Type /Pages /MediaBox [0 0 595 842] /Resources 3 0 R /Kids [");
    for (size_t i = 0; i < n; i++)
        putf(&b, " %zu 0 R", 8 + 2 * i);
    putf(&b, " ] /Count %zu >>\nendobj\n", n);
    off[3] = b.n;
    putf(&b, "3 0 obj\n<< /Font << /F1 4 0 R /F2 5 0 R /F3 6 0 R /F4 7 0 R >> >>\nendobj\n");
    for (size_t i = 0; i < 4; i++) {
        off[4 + i] = b.n;
        putf(&b, "%zu 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /%s "
                 "/Encoding /WinAnsiEncoding >>\nendobj\n", 4 + i, fonts[i]);
    }
    for (size_t i = 0; i < n; i++) {
        off[8 + 2 * i] = b.n;
        putf(&b, "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /Contents %zu 0 R >>\nendobj\n",
             8 + 2 * i, 9 + 2 * i);
        off[9 + 2 * i] = b.n;
        putf(&b, "%zu 0 obj\n<< /Length %zu >>\nstream\n", 9 + 2 * i, pg[i].len);
        put(&b, pg[i].data, pg[i].len);
        putf(&b, "\nendstream\nendobj\n");
    }
    size_t xref = b.n;
    putf(&b, "xref\n0 %zu\n0000000000 65535 f \n", nobj);
    for (size_t i = 1; i < nobj; i++)
        putf(&b, "%010zu 00000 n \n", off[i]);
    putf(&b, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", nobj, xref);
    *len = b.n;
    return b.p;
}

/* The pieces of data[0..size) between separators, at most max of them,
 * into e[0..): returns the count (empty pieces included). */
static size_t split(const uint8_t *data, size_t size, struct entry *e, size_t max)
{
    const uint8_t *p = data, *end = data + size;
    const size_t sl = sizeof PART_SEP - 1;
    size_t n = 0;
    while (p && n < max) {
        const uint8_t *q = p;
        while (q < end && !((size_t)(end - q) >= sl && !memcmp(q, PART_SEP, sl)))
            q++;
        e[n++] = (struct entry){NULL, p, (size_t)(q - p)};
        p = q < end ? q + sl : NULL; /* no separator: that was the last piece */
    }
    return n;
}

/* Declared in fuzz-plugin.c's FUZZ_PACK build: the file for plugin
 * `format` ("docx", "odt" or "pdf") whose parts are the pieces of
 * data[0..size); malloc'd, the caller's to free. */
unsigned char *fuzz_pack(const char *format, const uint8_t *data, size_t size, size_t *len);

unsigned char *fuzz_pack(const char *format, const uint8_t *data, size_t size, size_t *len)
{
    struct entry piece[MAX_PAGES], e[16];
    if (!strcmp(format, "pdf"))
        return pdf_pages(piece, split(data, size, piece, MAX_PAGES), len);
    int odt = !strcmp(format, "odt");
    FUZZ_CHECK(odt || !strcmp(format, "docx"), "no packing for plugin %s", format);
    const char *const *names = odt ? odt_parts : docx_parts;
    size_t n = 0, npieces = split(data, size, piece, MAX_PAGES);
    if (odt)
        e[n++] = (struct entry){"mimetype", (const unsigned char *)odt_mimetype,
                                sizeof odt_mimetype - 1};
    else
        e[n++] = (struct entry){"[Content_Types].xml", (const unsigned char *)content_types,
                                sizeof content_types - 1};
    for (size_t k = 0; names[k] && k < npieces; k++)
        if (piece[k].len) {
            e[n++] = (struct entry){names[k], piece[k].data, piece[k].len};
            if (odt && !strcmp(names[k], "META-INF/manifest.xml"))
                e[0] = e[--n]; /* the type from the manifest, not a mimetype */
        }
    return zip_stored(e, n, len);
}
