/* fuzz-analyse.c — libFuzzer harness for the analyser (core/analyse.c).
 *
 * The input, valid UTF-8 or not, is analysed as document text, and its
 * first bytes folded as a wildcard prefix (ura_fold_word).  Checked: every
 * token lies inside the input, in order, with increasing positions; its
 * term and exact form are non-empty valid UTF-8 of at most URA_TERM_MAX
 * bytes without ASCII capitals.  The same tokens (offsets, positions,
 * kinds, terms, exact forms) and folded prefix come from an analyser with
 * its shortcuts off (ura_analyser_set_fast(a, 0): ICU alone). */
#include "config.h"

#include <string.h>

#include "analyse.h"
#include "fuzz.h"
#include "util.h"

static ura_analyser *analyser, *icu_only;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ura_error err = {0};
    FUZZ_CHECK(ura_analyser_new(&analyser, &err) == URA_OK, "analyser: %s", err.msg);
    FUZZ_CHECK(ura_analyser_new(&icu_only, &err) == URA_OK, "analyser: %s", err.msg);
    ura_analyser_set_fast(icu_only, 0);
    return 0;
}

struct state {
    size_t len;
    size_t last_start;
    uint32_t next;
    size_t ntok;
};

static void check_term(const char *what, const char *z, size_t n)
{
    FUZZ_CHECK(n > 0 && n <= URA_TERM_MAX, "%s of %zu bytes", what, n);
    for (size_t i = 0; i < n;) {
        size_t k = ura_utf8_seq((const unsigned char *)z + i, n - i);
        FUZZ_CHECK(k > 0, "%s not valid UTF-8 at byte %zu", what, i);
        FUZZ_CHECK(!(k == 1 && z[i] >= 'A' && z[i] <= 'Z'), "%s has a capital: %.*s",
                   what, (int)n, z);
        i += k;
    }
}

static int on_token(void *ctx, const ura_token *t)
{
    struct state *st = ctx;
    FUZZ_CHECK(t->start < t->end && t->end <= st->len, "token at %zu..%zu of %zu",
               t->start, t->end, st->len);
    FUZZ_CHECK(t->start >= st->last_start, "token at %zu after one at %zu", t->start,
               st->last_start);
    /* a dropped (too long) token still takes a position */
    FUZZ_CHECK(t->pos >= st->next, "position %u, expected %u or more", t->pos, st->next);
    FUZZ_CHECK(t->kind >= URA_TOKEN_WORD && t->kind <= URA_TOKEN_LAWNUM, "kind %d",
               (int)t->kind);
    check_term("term", t->term, t->term_len);
    check_term("exact form", t->exact, t->exact_len);
    st->last_start = t->start;
    st->next = t->pos + 1;
    st->ntok++;
    return URA_OK;
}

/* Every token as "start end pos kind term exact". */
static int flatten(void *ctx, const ura_token *t)
{
    ura_buf *b = ctx;
    ura_buf_printf(b, "%zu %zu %u %d ", t->start, t->end, t->pos, (int)t->kind);
    ura_buf_add(b, t->term, t->term_len);
    ura_buf_addc(b, ' ');
    ura_buf_add(b, t->exact, t->exact_len);
    ura_buf_addc(b, '\n');
    return URA_OK;
}

/* The shortcuts change nothing: the same tokens as ICU alone. */
static void check_shortcuts(const char *text, size_t size)
{
    ura_buf fast = {0}, slow = {0};
    uint32_t nf = 0, ns = 0;
    int rf = ura_analyse(analyser, text, size, 7, &nf, flatten, &fast, NULL);
    int rs = ura_analyse(icu_only, text, size, 7, &ns, flatten, &slow, NULL);
    FUZZ_CHECK(rf == rs && nf == ns, "shortcuts: rc %d, next %u; ICU alone: rc %d, next %u",
               rf, nf, rs, ns);
    size_t i = 0;
    while (i < fast.n && i < slow.n && fast.p[i] == slow.p[i])
        i++;
    FUZZ_CHECK(i == fast.n && i == slow.n,
               "shortcuts give other tokens than ICU alone from byte %zu: %.80s | %.80s", i,
               fast.p ? fast.p + i : "", slow.p ? slow.p + i : "");
    ura_buf_free(&fast);
    ura_buf_free(&slow);
    size_t n = size < 64 ? size : 64, lf = 0, ls = 0;
    char *ff = ura_fold_word(analyser, text, n, &lf);
    char *fs = ura_fold_word(icu_only, text, n, &ls);
    FUZZ_CHECK((!ff && !fs) || (ff && fs && lf == ls && !memcmp(ff, fs, lf)),
               "folded prefix with shortcuts differs from ICU alone");
    free(ff);
    free(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct state st = {size, 0, 7, 0};
    uint32_t next = 0;
    ura_error err = {0};
    int rc = ura_analyse(analyser, text, size, 7, &next, on_token, &st, &err);
    FUZZ_CHECK(rc == URA_OK, "ura_analyse: %d %s", rc, err.msg);
    FUZZ_CHECK(next >= st.next, "next position %u after %zu tokens, expected %u or more", next,
               st.ntok, st.next);

    size_t n = size < 64 ? size : 64;
    size_t flen = 0;
    char *f = ura_fold_word(analyser, text, n, &flen);
    if (f) {
        /* NUL-terminated; a NUL of the input may stay inside (the query
         * parser never hands one over) */
        FUZZ_CHECK(f[flen] == '\0', "folded prefix not NUL-terminated");
        if (flen)
            check_term("folded prefix", f, flen);
    }
    free(f);
    check_shortcuts(text, size);
    return 0;
}
