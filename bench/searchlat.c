/* bench/searchlat — search latencies for `make bench`.
 *
 *   searchlat lib INDEX QUERIES ROUNDS
 *       In process: one engine (ura_engine_new), then ROUNDS passes over
 *       the queries, each a ura_search() of the first 10 hits (snippets,
 *       citations and twins included, as `ura search` shows them) and
 *       ura_results_free().  Prints
 *         "lib p50_ms p99_ms mean_ms n failed cpu_p50 cpu_p99 engine_ms first_ms"
 *       where engine_ms is ura_engine_new() and first_ms the first search
 *       (it opens the index; it is also counted in the percentiles).
 *
 *   searchlat exec QUERIES ROUNDS CMD ARG... 
 *       Whole processes: ROUNDS passes over the queries, each running CMD
 *       with the argument "{}" replaced by the query, output to /dev/null,
 *       timed from fork() to waitpid().  Prints
 *         "exec p50_ms p99_ms mean_ms n failed cpu_p50 cpu_p99"
 *       (failed: runs that did not exit 0; cpu: the child's user+sys).
 *
 * Wall times move with the machine's load; the CPU times (of this process
 * during the call, or of the child) much less.
 *
 * QUERIES: one query a line; blank lines and lines starting with '#' are
 * skipped.  Percentiles are nearest-rank over all runs. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ura/ura.h"

static double clock_ms(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* The queries of the file at path; the array and its strings are malloc'd
 * and owned by the caller (never freed here: the process ends). */
static char **read_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char **q = NULL;
    size_t cap = 0;
    char line[4096];
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            q = realloc(q, cap * sizeof *q);
            if (!q) {
                perror("realloc");
                exit(2);
            }
        }
        q[(*n)++] = strdup(line);
    }
    fclose(f);
    if (*n == 0) {
        fprintf(stderr, "%s: no queries\n", path);
        exit(2);
    }
    return q;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, size_t n, double p)
{
    size_t k = (size_t)ceil(p * (double)n);
    return sorted[k ? k - 1 : 0];
}

/* Prints "kind p50 p99 mean n failed cpu_p50 cpu_p99" (t and cpu sorted
 * in place). */
static void summary(const char *kind, double *t, double *cpu, size_t n, size_t failed)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += t[i];
    qsort(t, n, sizeof *t, cmp_double);
    qsort(cpu, n, sizeof *cpu, cmp_double);
    printf("%s %.3f %.3f %.3f %zu %zu %.3f %.3f", kind, pct(t, n, .50), pct(t, n, .99),
           sum / (double)n, n, failed, pct(cpu, n, .50), pct(cpu, n, .99));
}

static int run_lib(const char *index, char **q, size_t nq, int rounds)
{
    ura_error err = {0};
    ura_engine *e = NULL;
    double t0 = now_ms();
    if (ura_engine_new(&e, &err) != URA_OK) {
        fprintf(stderr, "searchlat: %s\n", err.msg);
        return 2;
    }
    double engine_ms = now_ms() - t0, first_ms = 0;
    size_t n = 0, failed = 0;
    double *t = malloc((size_t)rounds * nq * sizeof *t);
    double *cpu = malloc((size_t)rounds * nq * sizeof *cpu);
    if (!t || !cpu)
        return 2;
    ura_search_opts opts = {.limit = 10};
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < nq; i++) {
            ura_results *res = NULL;
            double a = now_ms(), c = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
            int rc = ura_search(e, index, q[i], &opts, &res, &err);
            ura_results_free(res);
            t[n] = now_ms() - a;
            cpu[n] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c;
            if (n == 0)
                first_ms = t[0];
            n++;
            if (rc != URA_OK) {
                failed++;
                fprintf(stderr, "searchlat: %s: %s\n", q[i], err.msg);
            }
        }
    summary("lib", t, cpu, n, failed);
    printf(" %.3f %.3f\n", engine_ms, first_ms);
    free(t);
    free(cpu);
    ura_engine_free(e);
    return 0;
}

static int run_exec(char **q, size_t nq, int rounds, char **cmd, int ncmd)
{
    int slot = -1;
    for (int i = 0; i < ncmd; i++)
        if (strcmp(cmd[i], "{}") == 0)
            slot = i;
    if (slot < 0) {
        fprintf(stderr, "searchlat: the command has no {} for the query\n");
        return 2;
    }
    char **argv = calloc((size_t)ncmd + 1, sizeof *argv);
    double *t = malloc((size_t)rounds * nq * sizeof *t);
    double *cpu = malloc((size_t)rounds * nq * sizeof *cpu);
    if (!argv || !t || !cpu)
        return 2;
    memcpy(argv, cmd, (size_t)ncmd * sizeof *argv);
    size_t n = 0, failed = 0;
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < nq; i++) {
            argv[slot] = q[i];
            double a = now_ms();
            pid_t pid = fork();
            if (pid < 0) {
                perror("fork");
                return 2;
            }
            if (pid == 0) {
                int fd = open("/dev/null", O_WRONLY);
                if (fd >= 0) {
                    dup2(fd, 1);
                    dup2(fd, 2);
                }
                execvp(argv[0], argv);
                _exit(127);
            }
            int st = 0;
            struct rusage ru;
            while (wait4(pid, &st, 0, &ru) < 0)
                ;
            t[n] = now_ms() - a;
            cpu[n++] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                failed++;
        }
    summary("exec", t, cpu, n, failed);
    printf("\n");
    free(t);
    free(cpu);
    free(argv);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "lib") == 0) {
        size_t nq;
        char **q = read_queries(argv[3], &nq);
        return run_lib(argv[2], q, nq, atoi(argv[4]) > 0 ? atoi(argv[4]) : 1);
    }
    if (argc >= 5 && strcmp(argv[1], "exec") == 0) {
        size_t nq;
        char **q = read_queries(argv[2], &nq);
        return run_exec(q, nq, atoi(argv[3]) > 0 ? atoi(argv[3]) : 1, argv + 4,
                        argc - 4);
    }
    fprintf(stderr, "usage: searchlat lib INDEX QUERIES ROUNDS\n"
                    "       searchlat exec QUERIES ROUNDS CMD ARG... ({} is the query)\n");
    return 2;
}
