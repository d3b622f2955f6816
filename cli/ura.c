/* ura.c — the `ura` command: index, search, extract, plugins, plugin-check,
 * stats.
 * It sees only the engine API (include/ura/ura.h).
 * Exit status: 0 ok, 1 usage error, 2 runtime error, 3 indexing finished
 * but some files failed. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ura/ura.h"

enum { EXIT_USAGE = 1, EXIT_RUNTIME = 2, EXIT_PARTIAL = 3, EXIT_LOCKED = 4 };

static const char *prog = "ura";

static void usage_main(FILE *f)
{
    fprintf(f,
            "Usage: ura COMMAND [OPTIONS] [ARGS]\n"
            "Search laws and policy documents in Albanian, Serbian (Latin and\n"
            "Cyrillic) and English, across scripts and diacritics.\n"
            "\n"
            "Commands:\n"
            "  index    [--index DIR] PATH...   add and update files; forget files gone\n"
            "  search   [--index DIR] QUERY     find passages (--json for machines)\n"
            "  extract  [--json] FILE           show what a plugin extracts from FILE\n"
            "  plugins                          list format plugins found and refused\n"
            "  plugin-check PLUGIN [FILE...]    check that a plugin keeps the plugin ABI\n"
            "  stats    [--index DIR]           what the index holds\n"
            "  cites    [--index DIR] ACT       which documents and articles cite ACT\n"
            "  serve    [--index DIR]           the search page and JSON API over HTTP\n"
            "\n"
            "Run `ura COMMAND --help` for a command's options.\n"
            "The index is DIR, else $URA_INDEX, else $XDG_DATA_HOME/ura/index\n"
            "(~/.local/share/ura/index).  Plugins are searched in $URA_PLUGIN_PATH,\n"
            "then in the installed plugin folder.\n"
            "\n"
            "  -h, --help     show this help\n"
            "  -V, --version  show the version\n");
}

/* One line on stderr, "ura: ...", with control characters from file names
 * or plugin messages shown as '?', so that one error stays one line and
 * cannot drive the terminal. */
static void say_error(const char *msg)
{
    fputs("ura: ", stderr);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
        fputc(*p < 0x20 || *p == 0x7F ? '?' : *p, stderr);
    fputc('\n', stderr);
}

static int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s%s%s: ", prog, cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry `ura %s%s--help`.\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

/* getopt_long with our error messages: returns the option, or -2 on a
 * usage error already reported. */
static int next_opt(const char *cmd, int argc, char **argv, const char *shortopts,
                    const struct option *longopts)
{
    opterr = 0;
    int c = getopt_long(argc, argv, shortopts, longopts, NULL);
    if (c == '?') {
        if (optopt)
            usage_error(cmd, "unknown or incomplete option '-%c'", optopt);
        else
            usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        return -2;
    }
    if (c == ':') {
        usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        return -2;
    }
    return c;
}

static int parse_size(const char *cmd, const char *what, const char *s, size_t max,
                      size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || s[0] == '-' || v > max) {
        usage_error(cmd, "%s must be a number from 0 to %zu, not '%s'", what, max, s);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

static char *index_dir(const char *opt)
{
    if (opt)
        return strdup(opt);
    return ura_default_index_dir();
}

static int engine_or_die(ura_engine **e)
{
    ura_error err = {0};
    if (ura_engine_new(e, &err) != URA_OK) {
        say_error(err.msg);
        return EXIT_RUNTIME;
    }
    return 0;
}

/* ---- ura index ---- */

typedef struct progress_state {
    int tty;
    double last;
    size_t width;
} progress_state;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(void *ctx, const ura_progress *p)
{
    progress_state *st = ctx;
    if (!st->tty)
        return;
    double t = now_s();
    if (p->done != p->total && t - st->last < 0.1)
        return;
    st->last = t;
    double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
    double eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;
    fprintf(stderr, "\r\033[K[%zu/%zu] %.0f files/s, ETA %d:%02d, %zu indexed, %zu failed",
            p->done, p->total, rate, (int)eta / 60, (int)eta % 60, p->indexed, p->failed);
    if (p->done == p->total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void on_file_error(void *ctx, const char *path, const char *reason)
{
    progress_state *st = ctx;
    if (st->tty)
        fputs("\r\033[K", stderr);
    (void)path; /* the reason names the file */
    say_error(reason);
}

static int cmd_index(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"jobs", required_argument, 0, 'j'},
        {"retry-failed", no_argument, 0, 'r'},
        {"in-process", no_argument, 0, 'P'},
        {"timeout", required_argument, 0, 'T'},
        {"cpu-limit", required_argument, 0, 'C'},
        {"memory-limit", required_argument, 0, 'M'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *dir_opt = NULL;
    int quiet = 0;
    ura_index_opts io = {0};
    int c;
    size_t v;
    while ((c = next_opt("index", argc, argv, "+:i:j:qh", opts)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'j':
            if (parse_size("index", "--jobs", optarg, 256, &v))
                return EXIT_USAGE;
            io.jobs = (unsigned)v;
            io.in_process = v == 0;
            break;
        case 'P': io.in_process = 1; break;
        case 'T':
            if (parse_size("index", "--timeout", optarg, 86400, &v) || !v)
                return v ? EXIT_USAGE : usage_error("index", "--timeout must be at least 1");
            io.timeout = (double)v;
            break;
        case 'C':
            if (parse_size("index", "--cpu-limit", optarg, 86400, &v) || !v)
                return v ? EXIT_USAGE : usage_error("index", "--cpu-limit must be at least 1");
            io.cpu = (double)v;
            break;
        case 'M':
            if (parse_size("index", "--memory-limit", optarg, 1 << 20, &v))
                return EXIT_USAGE;
            io.memory = v ? v << 20 : SIZE_MAX;
            break;
        case 'r': io.retry_failed = 1; break;
        case 'q': quiet = 1; break;
        case 'h':
            printf("Usage: ura index [--index DIR] [--retry-failed] [--jobs N] PATH...\n"
                   "Add the files under each PATH to the index, re-index the ones that\n"
                   "changed, and forget indexed files under PATH that are gone.\n"
                   "Unchanged files are skipped.  Files that fail are named on stderr\n"
                   "with the reason, and are skipped on later runs until they change.\n"
                   "\n"
                   "Plugins read the files in worker processes that cannot use the\n"
                   "network, run programs or write files; a worker that crashes, hangs\n"
                   "or goes over a limit costs that one file (`ura stats` lists why).\n"
                   "\n"
                   "  -i, --index DIR        the index (default $URA_INDEX, else\n"
                   "                         $XDG_DATA_HOME/ura/index)\n"
                   "      --retry-failed     try files that failed before, even if unchanged\n"
                   "  -j, --jobs N           worker processes (default: one per CPU);\n"
                   "                         0 is --in-process\n"
                   "      --in-process       extract in this process, without limits (for\n"
                   "                         debugging: a crashing plugin ends the run)\n"
                   "      --timeout S        wall-clock seconds per file (default 60)\n"
                   "      --cpu-limit S      CPU seconds per file (default: the timeout)\n"
                   "      --memory-limit MB  address space per worker (default 1024;\n"
                   "                         0: no limit)\n"
                   "  -q, --quiet            no summary line\n"
                   "  -h, --help             show this help\n"
                   "\n"
                   "Exit status: 0 all indexed, 1 usage error, 2 the run failed,\n"
                   "3 the run finished but some files could not be indexed,\n"
                   "4 the index is locked by another `ura index` (its PID is named).\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("index", "no PATH given");

    ura_engine *e;
    int rc = engine_or_die(&e);
    if (rc)
        return rc;
    char *dir = index_dir(dir_opt);
    progress_state ps = {isatty(2), 0, 0};
    io.progress = on_progress;
    io.file_error = on_file_error;
    io.ctx = &ps;
    ura_index_report rep;
    ura_error err = {0};
    rc = ura_index_paths(e, dir, (const char *const *)argv + optind, (size_t)(argc - optind),
                         &io, &rep, &err);
    if (rc != URA_OK) {
        say_error(err.msg);
        free(dir);
        ura_engine_free(e);
        return rc == URA_ERR_USAGE ? EXIT_USAGE : rc == URA_ERR_LOCKED ? EXIT_LOCKED : EXIT_RUNTIME;
    }
    if (!quiet) {
        fprintf(stderr,
                "%s: %zu files: %zu indexed, %zu unchanged, %zu failed, %zu removed, "
                "%zu not supported; %zu passages in %.2f s\n",
                dir, rep.files, rep.indexed, rep.unchanged, rep.failed, rep.removed,
                rep.unsupported, rep.passages, rep.seconds);
        if (rep.still_failed)
            fprintf(stderr, "%zu files failed before and are unchanged: "
                            "`ura stats` lists them, `ura index --retry-failed` retries\n",
                    rep.still_failed);
    }
    free(dir);
    ura_engine_free(e);
    return rep.failed ? EXIT_PARTIAL : 0;
}

/* ---- ura search ---- */

static void print_marked(const char *s, const ura_hit *h, int tty)
{
    size_t at = 0;
    for (size_t i = 0; i < h->nmarks; i++) {
        size_t a = h->marks[i][0], b = h->marks[i][1];
        if (a < at || b < a)
            continue;
        fwrite(s + at, 1, a - at, stdout);
        fputs(tty ? "\033[1m" : "", stdout);
        fwrite(s + a, 1, b - a, stdout);
        fputs(tty ? "\033[0m" : "", stdout);
        at = b;
    }
    fputs(s + at, stdout);
}

static int search_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"json", no_argument, 0, 'j'},
        {"format", required_argument, 0, 'F'},
        {"limit", required_argument, 0, 'n'},
        {"offset", required_argument, 0, 'o'},
        {"passages", no_argument, 0, 'p'},
        {"facets", no_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *dir_opt = NULL;
    int json = 0;
    const char *format = NULL;  /* an export format, NULL for text or json */
    ura_search_opts so = {0, 10, 0, 0};
    int c;
    while ((c = next_opt("search", argc, argv, ":i:n:o:jpfh", opts)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'j': json = 1; format = NULL; break;
        case 'F':
            json = !strcmp(optarg, "json");
            format = NULL;
            if (!json && strcmp(optarg, "text")) {
                if (strcmp(optarg, "csl-json") && strcmp(optarg, "bibtex") &&
                    strcmp(optarg, "ris"))
                    return usage_error("search", "unknown --format '%s': text, json, "
                                                 "csl-json, bibtex or ris", optarg);
                format = optarg;
            }
            break;
        case 'n':
            if (parse_size("search", "--limit", optarg, 1000, &so.limit))
                return EXIT_USAGE;
            break;
        case 'o':
            if (parse_size("search", "--offset", optarg, 100000, &so.offset))
                return EXIT_USAGE;
            break;
        case 'p': so.passages = 1; break;
        case 'f': so.facets = 1; break;
        case 'h':
            printf("Usage: ura search [--index DIR] [--format F | --json] [--limit N]\n"
                   "                  [--offset N] [--passages] [--facets] QUERY...\n"
                   "Find the passages (sections under a heading) that match QUERY, in any\n"
                   "script, with or without diacritics: Štrpce, Strpce and Штрпце are the\n"
                   "same word.  A word also finds its inflected forms in the passage's\n"
                   "language (komunave finds komuna, opštinama opština), a place name its\n"
                   "name in the other language (Strpce finds Shtërpcë); exact forms rank\n"
                   "first.  In a query that mixes languages (Štrpce komuna gjuhët), words\n"
                   "of law and administration also find their equivalents in the query's\n"
                   "other languages (gjuhët finds jezik).  Each file is shown once, by its\n"
                   "best passage, unless\n"
                   "--passages is given.  The count of matching files (\"of N documents\",\n"
                   "JSON \"total\") is exact unless many more files than shown match:\n"
                   "then it is a lower bound (\"of at least N\", \"total_exact\": false);\n"
                   "--facets counts them all.\n"
                   "\n"
                   "Query syntax:\n"
                   "  word word         all words must match, in the same passage\n"
                   "  \"a phrase\"        these words in this order, in any inflected\n"
                   "                    form (as typed ranks first); \"word\": that\n"
                   "                    word as written\n"
                   "  a OR b            either (binds tighter than the implicit AND)\n"
                   "  -word, NOT word   exclude passages with this word in any form it\n"
                   "                    would find (inflected, the place's other names)\n"
                   "  ( ... )           group\n"
                   "  prefix*           any word starting with prefix\n"
                   "  03/L-047          a law number, as one term\n"
                   "  lang:sq           only passages in a language: sq, sr (sr-latn,\n"
                   "                    sr-cyrl), en\n"
                   "  format:html       only files of one format (see `ura plugins`)\n"
                   "  year:2019         only acts or documents of that year\n"
                   "  type:law          only one kind of act: law, instruction, regulation,\n"
                   "                    statute, decision, report, constitution, other\n"
                   "\n"
                   "  -i, --index DIR   the index (default $URA_INDEX, else\n"
                   "                    $XDG_DATA_HOME/ura/index)\n"
                   "  -j, --json        print one JSON object (--format json)\n"
                   "      --format F    text (default), json, or citations of the hits for\n"
                   "                    a reference manager: csl-json (Zotero, pandoc),\n"
                   "                    bibtex (biblatex, pandoc), ris\n"
                   "  -n, --limit N     hits to show (default 10, at most 1000)\n"
                   "  -o, --offset N    hits to skip\n"
                   "  -p, --passages    every matching passage, not the best per file\n"
                   "  -f, --facets      count the matches per language, format, year, type\n"
                   "  -h, --help        show this help\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("search", "no QUERY given");
    /* The words of the query may come as several arguments. */
    size_t qlen = 0;
    for (int i = optind; i < argc; i++)
        qlen += strlen(argv[i]) + 1;
    char *q = malloc(qlen + 1);
    if (!q)
        return EXIT_RUNTIME;
    q[0] = '\0';
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            strcat(q, " ");
        strcat(q, argv[i]);
    }

    ura_engine *e;
    int rc = engine_or_die(&e);
    if (rc) {
        free(q);
        return rc;
    }
    char *dir = index_dir(dir_opt);
    ura_results *r = NULL;
    ura_error err = {0};
    rc = ura_search(e, dir, q, &so, &r, &err);
    if (rc != URA_OK) {
        say_error(err.msg);
        rc = rc == URA_ERR_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    if (r->warning)
        fprintf(stderr, "ura: warning: %s\n", r->warning);
    if (format) {
        char *s = NULL;
        rc = ura_results_export(r, format, &s, &err);
        if (rc != URA_OK) {
            say_error(err.msg);
            rc = EXIT_USAGE;
            goto out;
        }
        fputs(s, stdout);
        free(s);
    } else if (json) {
        char *s = ura_results_json(r);
        fputs(s, stdout);
        free(s);
    } else {
        int tty = isatty(1);
        if (r->n == 0)
            printf("No %s match %s\n", so.passages ? "passages" : "documents", q);
        for (size_t i = 0; i < r->n; i++) {
            const ura_hit *h = &r->hits[i];
            printf("%d. %s%s%s\n", h->rank, tty ? "\033[1m" : "",
                   h->title && *h->title ? h->title : h->path, tty ? "\033[0m" : "");
            printf("   %s [%s, %s]", h->path, h->lang ? h->lang : "?", h->format);
            if (h->heading)
                printf(" %s", h->heading);
            if (h->page)
                printf(", p. %d", h->page);
            if (h->also)
                printf(" (+%u more passages)", h->also);
            if (h->partial)
                fputs(" (not all the words)", stdout);
            fputs("\n   ", stdout);
            print_marked(h->snippet, h, tty);
            if (h->citation && (h->law || h->article))
                printf("\n   Cite: %s", h->citation);
            fputs("\n\n", stdout);
        }
        if (r->n)
            printf("%zu-%zu of %s%llu %s\n", so.offset + 1, so.offset + r->n,
                   r->total_exact ? "" : "at least ", (unsigned long long)r->total,
                   so.passages ? "passages" : "documents");
        for (size_t f = 0; f < r->nfacets; f++) {
            printf("%-7s", r->facets[f].field);
            for (size_t k = 0; k < r->facets[f].n; k++)
                printf(" %s:%llu", r->facets[f].values[k].name,
                       (unsigned long long)r->facets[f].values[k].n);
            printf("\n");
        }
    }
    rc = 0;
out:
    ura_results_free(r);
    free(dir);
    free(q);
    ura_engine_free(e);
    return rc;
}

/* "-word" and "-lang:en" are query words, not options: every argument
 * that is not one of search's options goes behind a "--", so that getopt
 * leaves it alone. */
static int cmd_search(int argc, char **argv)
{
    char **args = malloc(((size_t)argc + 2) * sizeof *args);
    if (!args)
        return EXIT_RUNTIME;
    int na = 0, nq = 0;
    char **words = malloc(((size_t)argc + 1) * sizeof *words);
    if (!words) {
        free(args);
        return EXIT_RUNTIME;
    }
    args[na++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (++i < argc)
                words[nq++] = argv[i];
            break;
        }
        int takes_value = !strcmp(a, "-i") || !strcmp(a, "-n") || !strcmp(a, "-o") ||
                          !strcmp(a, "--index") || !strcmp(a, "--limit") ||
                          !strcmp(a, "--offset") || !strcmp(a, "--format");
        int is_opt = takes_value || (a[0] == '-' && a[1] == '-' && a[2]) ||
                     (a[0] == '-' && a[1] && !a[2] && strchr("jpfh", a[1]));
        if (is_opt) {
            args[na++] = argv[i];
            if (takes_value && i + 1 < argc)
                args[na++] = argv[++i];
        } else {
            words[nq++] = argv[i];
        }
    }
    args[na++] = "--";
    for (int i = 0; i < nq; i++)
        args[na++] = words[i];
    args[na] = NULL;
    free(words);
    int rc = search_main(na, args);
    free(args);
    return rc;
}

/* ---- ura extract ---- */

static int cmd_extract(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"passages", no_argument, 0, 'p'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int json = 0, passages = 0, c;
    while ((c = next_opt("extract", argc, argv, ":jph", opts)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'p': passages = 1; break;
        case 'h':
            printf("Usage: ura extract [--json | --passages] FILE\n"
                   "Show what the format plugin extracts from FILE: text with headings\n"
                   "marked by '#', or with --json the structure events and metadata.\n"
                   "\n"
                   "  -j, --json       print the events as one JSON object\n"
                   "  -p, --passages   print the passages the index would hold (articles,\n"
                   "                   act, pages, language) as JSON\n"
                   "  -h, --help       show this help\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return usage_error("extract", "give exactly one FILE");
    ura_engine *e;
    int rc = engine_or_die(&e);
    if (rc)
        return rc;
    ura_doc *d = NULL;
    ura_error err = {0};
    rc = ura_extract(e, argv[optind], &d, &err);
    if (rc == URA_WARN)
        fprintf(stderr, "ura: warning: %s\n", err.msg);
    if (d) {
        char *s = passages ? ura_doc_passages_json(e, d, &err)
                  : json   ? ura_doc_json(d)
                           : ura_doc_text(d);
        if (s)
            fputs(s, stdout);
        else
            say_error(err.msg);
        rc = s ? 0 : EXIT_RUNTIME;
        free(s);
        ura_doc_free(d);
    } else {
        say_error(err.msg);
        rc = EXIT_RUNTIME;
    }
    ura_engine_free(e);
    return rc;
}

/* ---- ura plugins ---- */

static int cmd_plugins(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = next_opt("plugins", argc, argv, ":h", opts)) != -1) {
        if (c == 'h') {
            printf("Usage: ura plugins\n"
                   "List the format plugins found in $URA_PLUGIN_PATH and the plugin\n"
                   "folder, and the ones refused, with the reason.\n");
            return 0;
        }
        return EXIT_USAGE;
    }
    if (optind != argc)
        return usage_error("plugins", "unexpected argument '%s'", argv[optind]);
    ura_engine *e;
    int rc = engine_or_die(&e);
    if (rc)
        return rc;
    const ura_plugin_info *list;
    size_t n = ura_engine_plugins(e, &list), loaded = 0;
    for (size_t i = 0; i < n; i++)
        if (!list[i].refused) {
            printf("%-8s %-6s %-22s %s\n         %s\n", list[i].name, list[i].version,
                   list[i].extensions, list[i].description, list[i].file);
            loaded++;
        }
    for (size_t i = 0; i < n; i++)
        if (list[i].refused)
            printf("refused  %s\n         %s\n", list[i].file, list[i].refused);
    if (loaded == 0)
        fprintf(stderr, "ura: no plugins loaded: set URA_PLUGIN_PATH or run `make install`\n");
    ura_engine_free(e);
    return 0;
}

/* ---- ura plugin-check ---- */

static void print_check(void *ctx, int verdict, const char *line)
{
    static const char *const tag[] = {"ok  ", "warn", "FAIL", "#   "};
    const int *quiet = ctx;
    if (*quiet && verdict == URA_CHECK_OK)
        return;
    printf("%s %s\n", tag[verdict >= 0 && verdict <= 3 ? verdict : 2], line);
}

static int cmd_plugin_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"timeout", required_argument, 0, 't'},
        {"seed", required_argument, 0, 's'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    ura_check_opts co = {0};
    size_t v;
    int c, quiet = 0;
    while ((c = next_opt("plugin-check", argc, argv, "+:t:s:qh", opts)) != -1) {
        switch (c) {
        case 't':
            if (parse_size("plugin-check", "--timeout", optarg, 3600, &v))
                return EXIT_USAGE;
            co.timeout = (unsigned)v;
            break;
        case 's':
            if (parse_size("plugin-check", "--seed", optarg, (size_t)-1, &v))
                return EXIT_USAGE;
            co.seed = v;
            break;
        case 'q': quiet = 1; break;
        case 'h':
            printf("Usage: ura plugin-check [--timeout S] [--seed N] [--quiet] PLUGIN\n"
                   "                        [FILE...]\n"
                   "Check that a format plugin keeps the plugin ABI (docs/PLUGINS.md):\n"
                   "its descriptor; probe() on nothing, garbage and each FILE's first\n"
                   "bytes; extract() on each FILE (twice, and once with a sink that says\n"
                   "stop halfway) and on garbage made from them: random bytes, truncated\n"
                   "and damaged copies, an empty and a zero-filled input.  The events it\n"
                   "sends must balance and nest, with valid node kinds, levels, increasing\n"
                   "pages and valid UTF-8, none after the sink said stop; it must return\n"
                   "a code of the ladder with a message, and never crash or hang.  Each\n"
                   "run is a child process with a time and a memory limit.\n"
                   "PLUGIN is the path of a plugin .so, or the name of one that\n"
                   "`ura plugins` loads.  FILEs are samples of its format.\n"
                   "\n"
                   "  -t, --timeout S   seconds for each run (default 20)\n"
                   "  -s, --seed N      another set of random garbage (default fixed)\n"
                   "  -q, --quiet       only the warn and FAIL lines, and the summary\n"
                   "  -h, --help        show this help\n"
                   "\n"
                   "Prints one line per check (ok, warn, FAIL) and a summary.\n"
                   "Exit status: 0 the plugin conforms, 1 usage error, 2 it does not\n"
                   "conform or cannot be loaded.\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("plugin-check", "no PLUGIN given");

    /* A bare name is a plugin that `ura plugins` loads; then the engine is
     * freed again, so that the plugin is loaded (and init()ed) once. */
    char *plugin = NULL;
    const char *arg = argv[optind];
    if (!strchr(arg, '/')) {
        ura_engine *e;
        int rc = engine_or_die(&e);
        if (rc)
            return rc;
        const ura_plugin_info *list;
        size_t n = ura_engine_plugins(e, &list);
        for (size_t i = 0; i < n && !plugin; i++)
            if (list[i].name && !strcmp(list[i].name, arg))
                plugin = strdup(list[i].file);
        ura_engine_free(e);
        if (!plugin) { /* a file in this folder */
            plugin = malloc(strlen(arg) + 3);
            if (plugin)
                sprintf(plugin, "./%s", arg);
        }
    } else {
        plugin = strdup(arg);
    }
    if (!plugin)
        return EXIT_RUNTIME;

    setvbuf(stdout, NULL, _IOLBF, 0);
    co.report = print_check;
    co.ctx = &quiet;
    ura_check_result res;
    ura_error err = {0};
    int rc = ura_plugin_check(plugin, (const char *const *)argv + optind + 1,
                              (size_t)(argc - optind - 1), &co, &res, &err);
    if (rc != URA_OK) {
        say_error(err.msg);
        free(plugin);
        return EXIT_RUNTIME;
    }
    const char *slash = strrchr(plugin, '/');
    printf("%s: %zu checks: %zu ok, %zu warn, %zu FAIL: %s\n",
           *res.name ? res.name : slash ? slash + 1 : plugin,
           res.ok + res.warned + res.failed, res.ok, res.warned, res.failed,
           res.failed ? "does not conform" : "conforms");
    free(plugin);
    return res.failed ? EXIT_RUNTIME : 0;
}

/* ---- ura stats ---- */

static void put_json_str(const char *z)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

/* How many failures share the reason of failures[i] (they are sorted). */
static size_t same_reason(const ura_stats *s, size_t i)
{
    size_t k = i;
    while (k < s->nfailures && strcmp(s->failures[k].reason, s->failures[i].reason) == 0)
        k++;
    return k - i;
}

#define STATS_PATHS 5 /* paths shown per reason */

static void stats_json(const ura_stats *s)
{
    printf("{\"index\": ");
    put_json_str(s->dir);
    printf(", \"analyser\": ");
    if (s->analyser)
        put_json_str(s->analyser);
    else
        printf("null");
    printf(", \"files\": %llu, \"failed\": %llu, \"passages\": %llu,\n \"formats\": {",
           (unsigned long long)s->files, (unsigned long long)s->failed,
           (unsigned long long)s->passages);
    for (size_t i = 0; i < s->nformats; i++) {
        printf("%s", i ? ", " : "");
        put_json_str(s->formats[i].name);
        printf(": %llu", (unsigned long long)s->formats[i].n);
    }
    printf("}, \"languages\": {");
    for (size_t i = 0; i < s->nlangs; i++) {
        printf("%s", i ? ", " : "");
        put_json_str(s->langs[i].name);
        printf(": %llu", (unsigned long long)s->langs[i].n);
    }
    printf("},\n \"reasons\": [");
    for (size_t i = 0, first = 1; i < s->nfailures; first = 0) {
        size_t n = same_reason(s, i);
        printf("%s\n  {\"reason\": ", first ? "" : ",");
        put_json_str(s->failures[i].reason);
        printf(", \"count\": %zu, \"paths\": [", n);
        for (size_t k = 0; k < n && k < STATS_PATHS; k++) {
            printf("%s", k ? ", " : "");
            put_json_str(s->failures[i + k].path);
        }
        printf("]}");
        i += n;
    }
    printf("],\n \"failures\": [");
    for (size_t i = 0; i < s->nfailures; i++) {
        printf("%s\n  {\"path\": ", i ? "," : "");
        put_json_str(s->failures[i].path);
        printf(", \"reason\": ");
        put_json_str(s->failures[i].reason);
        printf("}");
    }
    printf("]}\n");
}

static int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {{"index", required_argument, 0, 'i'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *dir_opt = NULL;
    int c, json = 0;
    while ((c = next_opt("stats", argc, argv, ":i:jh", opts)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'j': json = 1; break;
        case 'h':
            printf("Usage: ura stats [--index DIR] [--json]\n"
                   "Show what the index holds: files, passages, languages, formats,\n"
                   "and the files that failed, grouped by reason.  --json adds every\n"
                   "failed file with its reason.\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind != argc)
        return usage_error("stats", "unexpected argument '%s'", argv[optind]);
    char *dir = index_dir(dir_opt);
    ura_stats *s = NULL;
    ura_error err = {0};
    int rc = ura_stats_get(dir, &s, &err);
    free(dir);
    if (rc != URA_OK) {
        say_error(err.msg);
        return EXIT_RUNTIME;
    }
    if (json) {
        stats_json(s);
        ura_stats_free(s);
        return 0;
    }
    printf("index      %s\n", s->dir);
    printf("analyser   %s\n", s->analyser ? s->analyser : "?");
    printf("files      %llu (%llu failed)\n", (unsigned long long)s->files,
           (unsigned long long)s->failed);
    printf("passages   %llu\n", (unsigned long long)s->passages);
    printf("formats   ");
    for (size_t i = 0; i < s->nformats; i++)
        printf(" %s %llu", s->formats[i].name, (unsigned long long)s->formats[i].n);
    printf("\nlanguages ");
    for (size_t i = 0; i < s->nlangs; i++)
        printf(" %s %llu", s->langs[i].name, (unsigned long long)s->langs[i].n);
    printf("\n");
    if (s->nfailures) {
        printf("failed files, by reason:\n");
        for (size_t i = 0; i < s->nfailures;) {
            size_t n = same_reason(s, i);
            printf("  %zu  %s\n", n, s->failures[i].reason);
            for (size_t k = 0; k < n && k < STATS_PATHS; k++)
                printf("       %s\n", s->failures[i + k].path);
            if (n > STATS_PATHS)
                printf("       ... and %zu more (`ura stats --json` lists all)\n",
                       n - STATS_PATHS);
            i += n;
        }
    }
    ura_stats_free(s);
    return 0;
}

/* ---- ura cites ---- */

static int cmd_cites(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"json", no_argument, 0, 'j'},
        {"graph", no_argument, 0, 'g'},       {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *dir_opt = NULL;
    int json = 0, graph = 0, c;
    while ((c = next_opt("cites", argc, argv, ":i:jgh", opts)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'j': json = 1; break;
        case 'g': graph = 1; break;
        case 'h':
            printf("Usage: ura cites [--index DIR] [--json] ACT\n"
                   "       ura cites [--index DIR] --graph\n"
                   "List the documents and articles that cite ACT (a number such as\n"
                   "03/L-047 or 03/Л-047, 02/2019, or constitution), with their pages.\n"
                   "With --graph, print which acts cite which as a Graphviz graph\n"
                   "(ura cites --graph | dot -Tsvg > cites.svg).\n"
                   "\n"
                   "  -i, --index DIR  the index\n"
                   "  -j, --json       print the citing passages as search JSON\n"
                   "  -g, --graph      the whole citation graph in DOT\n"
                   "  -h, --help       show this help\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (graph ? optind != argc : optind + 1 != argc)
        return usage_error("cites", graph ? "--graph takes no ACT" : "give one ACT, e.g. 03/L-047");
    char *dir = index_dir(dir_opt);
    ura_error err = {0};
    int rc;
    if (graph) {
        char *dot = NULL;
        rc = ura_cites_graph(dir, &dot, &err);
        if (rc == URA_OK)
            fputs(dot, stdout);
        free(dot);
        free(dir);
        if (rc != URA_OK)
            say_error(err.msg);
        return rc == URA_OK ? 0 : EXIT_RUNTIME;
    }
    ura_engine *e;
    rc = engine_or_die(&e);
    if (rc) {
        free(dir);
        return rc;
    }
    size_t qn = strlen(argv[optind]) + 8;
    char *q = malloc(qn);
    ura_results *r = NULL;
    if (!q) {
        rc = EXIT_RUNTIME;
        goto out;
    }
    snprintf(q, qn, "cites:%s", argv[optind]);
    ura_search_opts so = {0, 1000, 1, 0};
    rc = ura_search(e, dir, q, &so, &r, &err);
    if (rc != URA_OK) {
        say_error(err.msg);
        rc = rc == URA_ERR_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    if (json) {
        char *s = ura_results_json(r);
        fputs(s, stdout);
        free(s);
    } else {
        if (r->n == 0)
            printf("Nothing in the index cites %s\n", argv[optind]);
        for (size_t i = 0; i < r->n; i++) {
            const ura_hit *h = &r->hits[i];
            printf("%s\n   %s [%s]", h->act_title ? h->act_title : h->title ? h->title : h->path,
                   h->path, h->lang ? h->lang : "?");
            if (h->article)
                printf(", article %s", h->article);
            if (h->page)
                printf(", p. %d", h->page);
            printf("\n");
        }
        if (r->n)
            printf("%zu passages cite %s\n", r->n, argv[optind]);
    }
    rc = 0;
out:
    ura_results_free(r);
    free(q);
    free(dir);
    ura_engine_free(e);
    return rc;
}

/* `ura serve` is its own program, ura-serve, so that libmicrohttpd and
 * GnuTLS (about 9 ms to load and initialise) are loaded only by the web
 * server and not by every `ura search`. It is found next to this program
 * (the build tree), else in the installed pkglibexecdir; it gets the same
 * arguments, argv[0] being "serve". Returns only on failure. */
static int cmd_serve(int argc, char **argv)
{
    char exe[PATH_MAX], path[PATH_MAX + 16];
    const char *found = NULL;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(path, sizeof path, "%s/ura-serve", exe);
            if (access(path, X_OK) == 0)
                found = path;
        }
    }
    if (!found)
        found = URA_PKGLIBEXECDIR "/ura-serve";
    (void)argc;
    fflush(stdout);
    execv(found, argv);
    fprintf(stderr, "ura: cannot run the web server %s: %s (is ura fully installed?)\n",
            found, strerror(errno));
    return EXIT_RUNTIME;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage_main(stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("ura %s (plugin ABI %u)\n", ura_version(), URA_PLUGIN_ABI_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"index", cmd_index},     {"search", cmd_search},
                {"extract", cmd_extract}, {"plugins", cmd_plugins},
                {"stats", cmd_stats},     {"cites", cmd_cites},     {"plugin-check", cmd_plugin_check},
                {"serve", cmd_serve}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(cmd, cmds[i].name)) {
            optind = 1;
            int rc = cmds[i].fn(argc - 1, argv + 1);
            /* Output that did not reach its file is a runtime error. */
            if (fflush(stdout) != 0 || ferror(stdout)) {
                say_error("cannot write the output (disk full or closed pipe?)");
                return EXIT_RUNTIME;
            }
            return rc;
        }
    fprintf(stderr, "ura: unknown command '%s'\nTry `ura --help`.\n", cmd);
    return EXIT_USAGE;
}
