/* wordorder.c — does an extraction keep a known text's words, in order?
 *
 *   wordorder KNOWN EXTRACTED [PERCENT]
 *
 * Splits both files into words (runs of letters, runs of digits; case,
 * diacritics and ligatures folded, punctuation dropped) and finds the longest common
 * subsequence of the two word lists (Myers' O((N+M)D) diff).  Passes (exit
 * 0) when it holds at least PERCENT (default 99) of KNOWN's words; else
 * exit 1, naming the known words that are missing, with context.  Exit 2
 * on a usage or read error.  Words the extraction adds (page numbers,
 * running heads) cost nothing.  Used by tests/plugins/golden.sh, standalone
 * so that no scripting language is needed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct words {
    char *text;        /* the folded words, NUL-separated              */
    size_t *at;        /* word i starts at text + at[i]                */
    uint32_t *id;      /* word i's id: equal words, equal ids          */
    size_t n;
} words;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "wordorder: out of memory\n");
        exit(2);
    }
    return p;
}

/* Base letters of U+0100..U+017F (Latin Extended-A); '?' where the
 * letter folds to two (handled in fold()). */
static const char ext_a[129] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllll"
    "nnnnnnnnnoooooo??rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Append the folded form of code point cp to out (lowercase, without
 * diacritics); 0 when cp separates words, 1 when it is part of one, 2
 * when it is to be ignored (combining marks, soft hyphen). */
static int fold(uint32_t cp, char *out, size_t *n)
{
    static const char latin1[] = /* U+00C0..U+00FF; '?' two letters, '.' none */
        "aaaaaa?ceeeeiiiidnooooo.ouuuuy??aaaaaa?ceeeeiiiidnooooo.ouuuuy?y";
    const char *two = NULL;
    char one = 0;
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            one = (char)(cp + 32);
        else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            one = (char)cp;
        else
            return 0;
    } else if (cp == 0xAD || (cp >= 0x300 && cp <= 0x36F)) {
        return 2;
    } else if (cp < 0xC0) {
        return 0;
    } else if (cp <= 0xFF) {
        one = latin1[cp - 0xC0];
        if (one == '.')
            return 0;
        if (one == '?')
            two = cp == 0xC6 || cp == 0xE6 ? "ae" : cp == 0xDE || cp == 0xFE ? "th" : "ss";
    } else if (cp <= 0x17F) {
        one = ext_a[cp - 0x100];
        if (one == '?')
            two = cp <= 0x133 ? "ij" : "oe";
    } else if (cp >= 0x1C4 && cp <= 0x1CC) { /* DŽ Dž dž LJ Lj lj NJ Nj nj */
        two = cp <= 0x1C6 ? "dz" : cp <= 0x1C9 ? "lj" : "nj";
    } else if (cp >= 0x218 && cp <= 0x21B) { /* Ș ș Ț ț */
        one = cp <= 0x219 ? 's' : 't';
    } else if (cp >= 0xFB00 && cp <= 0xFB06) { /* ligatures */
        static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
        two = lig[cp - 0xFB00];
    } else if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
               (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF20) ||
               cp == 0xFEFF || cp == 0xFFFD) {
        return 0; /* punctuation, symbols, spaces */
    } else {
        if (cp >= 0x400 && cp <= 0x40F)
            cp += 0x50;
        else if (cp >= 0x410 && cp <= 0x42F)
            cp += 0x20;
        switch (cp) { /* Cyrillic letters with a diacritic */
        case 0x450: case 0x451: cp = 0x435; break;
        case 0x453: cp = 0x433; break;
        case 0x457: cp = 0x456; break;
        case 0x45C: cp = 0x43A; break;
        case 0x439: case 0x45D: cp = 0x438; break;
        case 0x45E: cp = 0x443; break;
        }
        if (cp < 0x800) {
            out[(*n)++] = (char)(0xC0 | (cp >> 6));
        } else if (cp < 0x10000) {
            out[(*n)++] = (char)(0xE0 | (cp >> 12));
            out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        } else {
            out[(*n)++] = (char)(0xF0 | (cp >> 18));
            out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        }
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
        return 1;
    }
    if (two) {
        memcpy(out + *n, two, strlen(two));
        *n += strlen(two);
    } else {
        out[(*n)++] = one;
    }
    return 1;
}

/* The next code point of s[*i..n), or U+FFFD for a byte that starts none. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
    uint32_t c = s[(*i)++];
    size_t k = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : 0;
    if (c < 0x80 || k == 0 || c > 0xF4)
        return c < 0x80 ? c : 0xFFFD;
    if (n - *i < k)
        return 0xFFFD;
    uint32_t cp = c & (0x3Fu >> k);
    for (size_t j = 0; j < k; j++) {
        if ((s[*i + j] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = cp << 6 | (s[*i + j] & 0x3F);
    }
    *i += k;
    return cp;
}

/* Equal words get equal ids: a small open-addressing table. */
typedef struct table {
    uint32_t *slot; /* id + 1, or 0 */
    size_t cap;
    const char **word;
    size_t n;
} table;

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static uint32_t intern(table *t, const char *w)
{
    if (2 * (t->n + 1) > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        uint32_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            exit(2);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i]) {
                size_t j = hash(t->word[t->slot[i] - 1]) & (cap - 1);
                while (slot[j])
                    j = (j + 1) & (cap - 1);
                slot[j] = t->slot[i];
            }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t j = hash(w) & (t->cap - 1);
    while (t->slot[j]) {
        if (strcmp(t->word[t->slot[j] - 1], w) == 0)
            return t->slot[j] - 1;
        j = (j + 1) & (t->cap - 1);
    }
    t->word = xrealloc(t->word, (t->n + 1) * sizeof *t->word);
    t->word[t->n] = w;
    t->slot[j] = (uint32_t)++t->n;
    return (uint32_t)(t->n - 1);
}

static int read_words(const char *path, table *t, words *w)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t len = 0, cap = 0;
    unsigned char *s = NULL;
    for (;;) {
        if (len == cap)
            s = xrealloc(s, cap = cap ? cap * 2 : 65536);
        size_t r = fread(s + len, 1, cap - len, f);
        if (r == 0)
            break;
        len += r;
    }
    fclose(f);
    /* Folding at most triples a letter (U+FB03 "ffi"): 4 bytes a byte. */
    w->text = xrealloc(NULL, 4 * len + 2);
    size_t out = 0, i = 0, start = 0, nat = 0;
    int inword = 0, last_digit = 0;
    w->n = 0;
    w->at = NULL;
    for (;;) {
        char one[16];
        size_t n1 = 0;
        uint32_t cp = i < len ? next_cp(s, len, &i) : ' ';
        int kind = fold(cp, one, &n1), digit = cp >= '0' && cp <= '9';
        if (kind == 2)
            continue;
        /* A word ends at a separator, and where letters meet digits: a
         * footnote mark glued to its word ("ligj1") is a word of its own. */
        if (inword && (kind == 0 || digit != last_digit)) {
            w->text[out++] = '\0';
            if (w->n == nat)
                w->at = xrealloc(w->at, (nat = nat ? nat * 2 : 1024) * sizeof *w->at);
            w->at[w->n++] = start;
            inword = 0;
        }
        if (kind == 1) {
            if (!inword)
                start = out;
            inword = 1;
            last_digit = digit;
            memcpy(w->text + out, one, n1);
            out += n1;
        }
        if (i >= len && !inword)
            break;
    }
    free(s);
    w->id = xrealloc(NULL, w->n * sizeof *w->id);
    for (size_t k = 0; k < w->n; k++)
        w->id[k] = intern(t, w->text + w->at[k]);
    return 0;
}

/* Myers: the length of the shortest edit script from a to b; with `keep`
 * (not NULL) also marks keep[x] = 1 for each word of a in the LCS, when
 * the script is short enough to trace. */
static size_t diff(const words *a, const words *b, unsigned char *keep, int *traced)
{
    size_t n = a->n, m = b->n, max = n + m;
    long *v = calloc(2 * max + 3, sizeof *v);
    if (!v)
        exit(2);
    long off = (long)max + 1;
    long **trace = NULL;
    size_t ntrace = 0, trace_cap = keep ? 1500 : 0; /* ~18 MB of trace */
    v[off + 1] = 0;
    size_t d;
    for (d = 0; d <= max; d++) {
        if (d < trace_cap) {
            trace = xrealloc(trace, (d + 1) * sizeof *trace);
            trace[d] = xrealloc(NULL, (2 * d + 3) * sizeof **trace);
            /* V before this round, for k in -d-1..d+1 */
            for (long k = -(long)d - 1; k <= (long)d + 1; k++)
                trace[d][k + (long)d + 1] = (k >= -(long)max - 1 && k <= (long)max + 1)
                                                ? v[off + k] : 0;
            ntrace = d + 1;
        }
        int done = 0;
        for (long k = -(long)d; k <= (long)d; k += 2) {
            long x;
            if (k == -(long)d || (k != (long)d && v[off + k - 1] < v[off + k + 1]))
                x = v[off + k + 1];
            else
                x = v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && a->id[x] == b->id[y]) {
                x++;
                y++;
            }
            v[off + k] = x;
            if (x >= (long)n && y >= (long)m) {
                done = 1;
                break;
            }
        }
        if (done)
            break;
    }
    *traced = 0;
    if (keep && d < trace_cap) {
        /* Walk back from (n, m), one edit a round. */
        long x = (long)n, y = (long)m;
        for (long dd = (long)d; dd >= 0; dd--) {
            long *tv = trace[dd];
            long k = x - y;
#define TV(kk) tv[(kk) + dd + 1]
            long prev_k, prev_x;
            if (dd == 0) {
                prev_k = 0;
                prev_x = 0;
            } else {
                if (k == -dd || (k != dd && TV(k - 1) < TV(k + 1)))
                    prev_k = k + 1;
                else
                    prev_k = k - 1;
                prev_x = TV(prev_k);
            }
#undef TV
            long prev_y = prev_x - prev_k;
            long sx = dd == 0 ? 0 : (prev_k == k + 1 ? prev_x : prev_x + 1);
            /* the snake from (sx, sx - k) to (x, y) is common */
            for (long i = sx; i < x; i++)
                keep[i] = 1;
            x = prev_x;
            y = prev_y;
        }
        *traced = 1;
    }
    for (size_t i = 0; i < ntrace; i++)
        free(trace[i]);
    free(trace);
    free(v);
    return d;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: wordorder KNOWN EXTRACTED [PERCENT]\n");
        return 2;
    }
    double pct = argc == 4 ? atof(argv[3]) : 99.0;
    table t = {0};
    words a = {0}, b = {0};
    if (read_words(argv[1], &t, &a) || read_words(argv[2], &t, &b))
        return 2;
    unsigned char *keep = calloc(a.n + 1, 1);
    int traced = 0;
    size_t d = diff(&a, &b, keep, &traced);
    size_t lcs = (a.n + b.n - d) / 2;
    double got = a.n ? 100.0 * (double)lcs / (double)a.n : 100.0;
    int ok = (double)lcs * 100.0 >= pct * (double)a.n;
    printf("%zu of %zu known words in order (%.2f%%, %s %.2f%%), %zu more words extracted\n",
           lcs, a.n, got, ok ? "at least" : "below", pct, b.n - lcs);
    if (!ok && traced) {
        size_t shown = 0;
        for (size_t i = 0; i < a.n && shown < 8; i++) {
            if (keep[i])
                continue;
            size_t j = i;
            while (j < a.n && !keep[j])
                j++;
            printf("  missing word%s %zu", j - i > 1 ? "s" : "", i + 1);
            if (j - i > 1)
                printf("..%zu", j);
            printf(" of the known text: ...");
            for (size_t c = i >= 4 ? i - 4 : 0; c < i; c++)
                printf(" %s", a.text + a.at[c]);
            printf(" [");
            for (size_t c = i; c < j && c < i + 12; c++)
                printf("%s%s", c > i ? " " : "", a.text + a.at[c]);
            printf("%s]", j > i + 12 ? " ..." : "");
            for (size_t c = j; c < a.n && c < j + 4; c++)
                printf(" %s", a.text + a.at[c]);
            printf(" ...\n");
            shown++;
            i = j;
        }
    }
    free(keep);
    free(a.text);
    free(a.at);
    free(a.id);
    free(b.text);
    free(b.at);
    free(b.id);
    free(t.slot);
    free(t.word);
    return ok ? 0 : 1;
}
