/* terms-test.c — ura_terms (core/terms.c) gives the term list a
 * Xapian::Document (ura_xdoc) gives for the same additions: the same
 * terms in the same order, wdf and positions, the same terms skipped. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "terms.h"
#include "util.h"
#include "xdb.h"

static void on_term(void *ctx, const char *t, size_t n, uint32_t wdf, const uint32_t *pos,
                    size_t npos)
{
    ura_buf *b = ctx;
    ura_buf_add(b, t, n); /* may hold NUL: compared with memcmp */
    ura_buf_printf(b, " %u:", (unsigned)wdf);
    for (size_t i = 0; i < npos; i++)
        ura_buf_printf(b, " %u", (unsigned)pos[i]);
    ura_buf_addc(b, '\n');
}

static unsigned long long rng = 88172645463325252ull;
static unsigned next(unsigned m)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % m);
}

/* One random list of additions applied to both; 1 when they agree. */
static int one_round(int round, ura_terms *t)
{
    static const char *const pool[] = {"a", "ab", "abc", "b", "Zsqab", "Zsqa", "Tab", "E\xc3\xab",
                                       "XGprizren", "XLsq", "b\0c", "\xff", "", "ab "};
    static const size_t lens[] = {1, 2, 3, 1, 5, 4, 3, 3, 9, 4, 3, 1, 0, 3};
    size_t np = sizeof pool / sizeof *pool;
    char longt[300];
    memset(longt, 'x', sizeof longt);
    ura_xdoc *x = ura_xdoc_new();
    ura_terms_reset(t);
    unsigned nops = 1 + next(200);
    uint32_t pos = 1;
    for (unsigned i = 0; i < nops; i++) {
        unsigned k = next((unsigned)np + 2);
        const char *z = k < np ? pool[k] : longt;
        size_t n = k < np ? lens[k] : k == np ? URA_XDB_TERM_MAX : URA_XDB_TERM_MAX + 1;
        switch (next(4)) {
        case 0: /* mostly increasing, sometimes back or the same */
            pos = next(8) ? pos + next(3) : 1 + next(pos + 1);
            ura_xdoc_add_posting(x, z, n, pos);
            ura_terms_add_posting(t, z, n, pos);
            break;
        case 1: {
            uint32_t inc = next(3);
            ura_xdoc_add_term(x, z, n, inc);
            ura_terms_add(t, z, n, inc);
            break;
        }
        case 2:
            ura_xdoc_add_boolean(x, z, n);
            ura_terms_add(t, z, n, 0);
            break;
        default:
            ura_xdoc_add_term(x, z, n, 1);
            ura_terms_add(t, z, n, 1);
        }
    }
    ura_buf a = {0}, b = {0};
    ura_error err = {0};
    CHECK(ura_xdoc_each_term(x, on_term, &a, &err) == URA_OK, "each_term: %s", err.msg);
    ura_terms_each(t, on_term, &b);
    int same = a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
    CHECK(same, "round %d: Xapian's list\n%.*s\nand ura_terms'\n%.*s\ndiffer", round,
          (int)a.n, a.p ? a.p : "", (int)b.n, b.p ? b.p : "");
    ura_buf_free(&a);
    ura_buf_free(&b);
    ura_xdoc_free(x);
    return same;
}

int main(void)
{
    ura_terms *t = ura_terms_new();
    CHECK(ura_terms_count(t) == 0, "a new list holds %zu terms", ura_terms_count(t));
    /* many terms: the table grows, order holds */
    char w[16];
    for (int i = 2999; i >= 0; i--) {
        snprintf(w, sizeof w, "w%d", i);
        ura_terms_add_posting(t, w, strlen(w), (uint32_t)(3000 - i));
        ura_terms_add_posting(t, w, strlen(w), (uint32_t)(6000 - i));
    }
    CHECK(ura_terms_count(t) == 3000, "3000 words gave %zu terms", ura_terms_count(t));
    for (int r = 0; r < 500; r++)
        if (!one_round(r, t))
            break; /* one listing is enough */
    ura_terms_free(t);
    return check_finish("terms-test");
}
