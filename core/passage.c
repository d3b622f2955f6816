/* passage.c — blocks to passages: a new passage at each heading, headings
 * with no text of their own carried into the next passage, long sections
 * split near URA_PASSAGE_TARGET bytes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "passage.h"

/* Count Cyrillic (U+0400–U+04FF) and Latin letters in the first 4 KiB. */
static int mostly_cyrillic(const char *z, size_t n)
{
    size_t cyr = 0, lat = 0;
    const unsigned char *s = (const unsigned char *)z;
    if (n > 4096)
        n = 4096;
    for (size_t i = 0; i < n; i++) {
        if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
            lat++;
        else if ((s[i] == 0xD0 || s[i] == 0xD1) && i + 1 < n)
            cyr++, i++;
    }
    return cyr > lat;
}

void ura_lang_normalise(const char *tag, const char *z, size_t n, char out[16])
{
    char t[36] = "";
    size_t k = 0;
    for (const char *p = tag; p && *p && k < sizeof t - 1; p++)
        t[k++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : (*p == '_' ? '-' : *p));
    t[k] = '\0';
    char primary[9] = "";
    size_t pl = strcspn(t, "-");
    if (pl > 0 && pl < sizeof primary)
        memcpy(primary, t, pl), primary[pl] = '\0';
    const char *script = strstr(t, "-cyrl") ? "cyrl" : strstr(t, "-latn") ? "latn" : NULL;

    if (!*primary || !strcmp(primary, "und") || !strcmp(primary, "mul")) {
        snprintf(out, 16, "%s", mostly_cyrillic(z, n) ? "sr-cyrl" : "und");
        return;
    }
    if (!strcmp(primary, "sr") || !strcmp(primary, "sh") || !strcmp(primary, "hr") ||
        !strcmp(primary, "bs") || !strcmp(primary, "cnr")) {
        if (!script)
            script = mostly_cyrillic(z, n) ? "cyrl" : "latn";
        snprintf(out, 16, "sr-%s", script);
        return;
    }
    if (!strcmp(primary, "alb") || !strcmp(primary, "sqi"))
        snprintf(out, 16, "sq");
    else
        snprintf(out, 16, "%s", primary);
}

typedef struct builder {
    const ura_doc *d;
    ura_passage *v;
    size_t n, cap;
    ura_buf heading;      /* headings waiting for text                      */
    ura_buf text;
    int page;
    size_t lang_bytes[8]; /* bytes per language of the current passage      */
    int lang_id[8];
    size_t nlang;
} builder;

static void count_lang(builder *b, int lang, size_t bytes)
{
    for (size_t i = 0; i < b->nlang; i++)
        if (b->lang_id[i] == lang) {
            b->lang_bytes[i] += bytes;
            return;
        }
    if (b->nlang < 8) {
        b->lang_id[b->nlang] = lang;
        b->lang_bytes[b->nlang++] = bytes;
    }
}

static void flush(builder *b, int keep_heading)
{
    if (b->text.n == 0)
        return;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->v = ura_xrealloc(b->v, b->cap * sizeof *b->v);
    }
    ura_passage *p = &b->v[b->n++];
    memset(p, 0, sizeof *p);
    p->heading = b->heading.n ? ura_xstrndup(b->heading.p, b->heading.n) : NULL;
    p->text = ura_buf_steal(&b->text, &p->text_len);
    p->page = b->page;
    int best = -1;
    size_t most = 0;
    for (size_t i = 0; i < b->nlang; i++)
        if (b->lang_bytes[i] > most)
            most = b->lang_bytes[i], best = b->lang_id[i];
    const char *tag = ura_doc_lang(b->d, best);
    if (!tag)
        tag = ura_doc_meta(b->d, "language");
    ura_lang_normalise(tag, p->text, p->text_len, p->lang);
    b->nlang = 0;
    b->page = 0;
    if (!keep_heading)
        ura_buf_reset(&b->heading);
}

/* Add text to the current passage, splitting it when it grows too long. */
static void add_text(builder *b, const char *z, size_t n, int page, int lang)
{
    while (n > 0) {
        if (b->text.n == 0)
            b->page = page;
        else if (b->text.n >= URA_PASSAGE_TARGET)
            flush(b, 1);
        if (b->text.n)
            ura_buf_addc(&b->text, '\n');
        else
            b->page = page;
        size_t room = URA_PASSAGE_TARGET + URA_PASSAGE_TARGET / 2;
        size_t take = n;
        if (n > room) {
            /* Cut one huge block at a space before `room`, on a character
             * boundary in any case. */
            take = room;
            while (take > room / 2 && z[take] != ' ' && z[take] != '\n')
                take--;
            if (take <= room / 2)
                for (take = room; take > 0 && ((unsigned char)z[take] & 0xC0) == 0x80;)
                    take--;
        }
        ura_buf_add(&b->text, z, take);
        count_lang(b, lang, take);
        z += take;
        n -= take;
        if (n > 0)
            flush(b, 1);
    }
}

void ura_passages_build(const ura_doc *d, ura_passage **out, size_t *n)
{
    builder b = {0};
    b.d = d;
    for (size_t i = 0; i < d->nblocks; i++) {
        const ura_block *bl = &d->blocks[i];
        const char *z = d->text.p + bl->off;
        size_t len = bl->len;
        /* Trim; skip blocks with nothing but spaces. */
        while (len && (*z == ' ' || *z == '\n' || *z == '\t'))
            z++, len--;
        while (len && (z[len - 1] == ' ' || z[len - 1] == '\n' || z[len - 1] == '\t'))
            len--;
        if (len == 0)
            continue;
        if (bl->kind == URA_NODE_HEADING) {
            flush(&b, 0);
            if (b.heading.n) {
                if (b.heading.n > 1024)
                    ura_buf_reset(&b.heading); /* a run of empty headings */
                else
                    ura_buf_adds(&b.heading, " — ");
            }
            size_t at = b.heading.n, take = len;
            if (take > 512) /* a "heading" this long is text; keep its start */
                for (take = 512; take > 0 && ((unsigned char)z[take] & 0xC0) == 0x80;)
                    take--;
            ura_buf_add(&b.heading, z, take);
            for (size_t k = at; k < b.heading.n; k++) /* headings are one line */
                if (b.heading.p[k] == '\n' || b.heading.p[k] == '\t')
                    b.heading.p[k] = ' ';
            if (!b.page)
                b.page = bl->page;
            count_lang(&b, bl->lang, len);
            continue;
        }
        add_text(&b, z, len, bl->page, bl->lang);
    }
    flush(&b, 0);
    if (b.heading.n && b.n == 0) {
        /* Headings only: keep them as the text. */
        ura_buf_add(&b.text, b.heading.p, b.heading.n);
        ura_buf_reset(&b.heading);
        flush(&b, 0);
    }
    if (b.n == 0) {
        const char *title = ura_doc_meta(d, "title");
        if (title && *title) {
            ura_buf_adds(&b.text, title);
            flush(&b, 0);
        }
    }
    ura_buf_free(&b.heading);
    ura_buf_free(&b.text);
    *out = b.v;
    *n = b.n;
}

void ura_passages_free(ura_passage *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].heading);
        free(p[i].text);
    }
    free(p);
}
