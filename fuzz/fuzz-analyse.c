/* fuzz-analyse.c — libFuzzer harness for the analyser (core/analyse.c).
 *
 * The input, valid UTF-8 or not, is analysed as document text, and its
 * first bytes folded as a wildcard prefix (ura_fold_word).  Checked: every
 * token lies inside the input, in order, with increasing positions; its
 * term and exact form are non-empty valid UTF-8 of at most URA_TERM_MAX
 * bytes without ASCII capitals. */
#include "config.h"

#include <string.h>

#include "analyse.h"
#include "fuzz.h"
#include "util.h"

static ura_analyser *analyser;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ura_error err = {0};
    FUZZ_CHECK(ura_analyser_new(&analyser, &err) == URA_OK, "analyser: %s", err.msg);
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
    return 0;
}
