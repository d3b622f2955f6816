/* check.h — a minimal table-test helper: CHECK prints what differed and
 * counts failures; finish() prints the "N passed, N failed" line and gives
 * the exit status automake's harness expects. */
#ifndef URA_CHECK_H
#define URA_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (cond) {                                                   \
            check_passed++;                                           \
        } else {                                                      \
            check_failed++;                                           \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
        }                                                             \
    } while (0)

/* Compare two NUL-terminated strings, printing both when they differ. */
#define CHECK_STR(got, want, what)                                    \
    CHECK(strcmp((got), (want)) == 0, "%s: got \"%s\", want \"%s\"",  \
          (what), (got), (want))

static inline int check_finish(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
