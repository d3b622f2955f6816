/* ura.c — the `ura` command: index, search, extract, plugins, stats.
 * It sees only the engine API (include/ura/ura.h).
 * Exit status: 0 ok, 1 usage error, 2 runtime error, 3 indexing finished
 * but some files failed. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ura/ura.h"

enum { EXIT_USAGE = 1, EXIT_RUNTIME = 2, EXIT_PARTIAL = 3 };

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
            "  stats    [--index DIR]           what the index holds\n"
            "\n"
            "Run `ura COMMAND --help` for a command's options.\n"
            "The index is DIR, else $URA_INDEX, else $XDG_DATA_HOME/ura/index\n"
            "(~/.local/share/ura/index).  Plugins are searched in $URA_PLUGIN_PATH,\n"
            "then in the installed plugin folder.\n"
            "\n"
            "  -h, --help     show this help\n"
            "  -V, --version  show the version\n");
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
        fprintf(stderr, "ura: %s\n", err.msg);
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
    fprintf(stderr, "ura: %s\n", reason);
}

static int cmd_index(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"jobs", required_argument, 0, 'j'},
        {"retry-failed", no_argument, 0, 'r'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *dir_opt = NULL;
    int quiet = 0;
    ura_index_opts io = {0};
    int c;
    size_t jobs;
    while ((c = next_opt("index", argc, argv, "+:i:j:qh", opts)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'j':
            if (parse_size("index", "--jobs", optarg, 256, &jobs))
                return EXIT_USAGE;
            break;
        case 'r': io.retry_failed = 1; break;
        case 'q': quiet = 1; break;
        case 'h':
            printf("Usage: ura index [--index DIR] [--retry-failed] PATH...\n"
                   "Add the files under each PATH to the index, re-index the ones that\n"
                   "changed, and forget indexed files under PATH that are gone.\n"
                   "Unchanged files are skipped.  Files that fail are named on stderr\n"
                   "with the reason, and are skipped on later runs until they change.\n"
                   "\n"
                   "  -i, --index DIR     the index (default $URA_INDEX, else\n"
                   "                      $XDG_DATA_HOME/ura/index)\n"
                   "      --retry-failed  try files that failed before, even if unchanged\n"
                   "  -j, --jobs N        accepted; extraction runs in this process for now\n"
                   "  -q, --quiet         no summary line\n"
                   "  -h, --help          show this help\n"
                   "\n"
                   "Exit status: 0 all indexed, 1 usage error, 2 the run failed,\n"
                   "3 the run finished but some files could not be indexed.\n");
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
        fprintf(stderr, "ura: %s\n", err.msg);
        free(dir);
        ura_engine_free(e);
        return rc == URA_ERR_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
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

static int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"json", no_argument, 0, 'j'},
        {"limit", required_argument, 0, 'n'},
        {"offset", required_argument, 0, 'o'},
        {"passages", no_argument, 0, 'p'},
        {"facets", no_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *dir_opt = NULL;
    int json = 0;
    ura_search_opts so = {0, 10, 0, 0};
    int c;
    while ((c = next_opt("search", argc, argv, ":i:n:o:jpfh", opts)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'j': json = 1; break;
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
            printf("Usage: ura search [--index DIR] [--json] [--limit N] [--offset N]\n"
                   "                  [--passages] [--facets] QUERY...\n"
                   "Find the passages (sections under a heading) that match QUERY, in any\n"
                   "script, with or without diacritics: Štrpce, Strpce and Штрпце are the\n"
                   "same word.  Each file is shown once, by its best passage, unless\n"
                   "--passages is given.\n"
                   "\n"
                   "Query syntax:\n"
                   "  word word         all words must match, in the same passage\n"
                   "  \"a phrase\"        these words in this order\n"
                   "  a OR b            either (binds tighter than the implicit AND)\n"
                   "  -word, NOT word   exclude passages with this word\n"
                   "  ( ... )           group\n"
                   "  prefix*           any word starting with prefix\n"
                   "  03/L-047          a law number, as one term\n"
                   "  lang:sq           only passages in a language: sq, sr (sr-latn,\n"
                   "                    sr-cyrl), en\n"
                   "  format:html       only files of one format (see `ura plugins`)\n"
                   "  year:2019         only acts or documents of that year\n"
                   "  type:law          only one kind of act: law, instruction, regulation,\n"
                   "                    decision, report, constitution, other\n"
                   "\n"
                   "  -i, --index DIR   the index (default $URA_INDEX, else\n"
                   "                    $XDG_DATA_HOME/ura/index)\n"
                   "  -j, --json        print one JSON object\n"
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
        fprintf(stderr, "ura: %s\n", err.msg);
        rc = rc == URA_ERR_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    if (r->warning)
        fprintf(stderr, "ura: warning: %s\n", r->warning);
    if (json) {
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
            fputs("\n   ", stdout);
            print_marked(h->snippet, h, tty);
            fputs("\n\n", stdout);
        }
        if (r->n)
            printf("%zu-%zu of %llu %s\n", so.offset + 1, so.offset + r->n,
                   (unsigned long long)r->total, so.passages ? "passages" : "documents");
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

/* ---- ura extract ---- */

static int cmd_extract(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int json = 0, c;
    while ((c = next_opt("extract", argc, argv, ":jh", opts)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h':
            printf("Usage: ura extract [--json] FILE\n"
                   "Show what the format plugin extracts from FILE: text with headings\n"
                   "marked by '#', or with --json the structure events and metadata.\n"
                   "\n"
                   "  -j, --json   print the events as one JSON object\n"
                   "  -h, --help   show this help\n");
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
        char *s = json ? ura_doc_json(d) : ura_doc_text(d);
        fputs(s, stdout);
        free(s);
        ura_doc_free(d);
        rc = 0;
    } else {
        fprintf(stderr, "ura: %s\n", err.msg);
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

/* ---- ura stats ---- */

static int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *dir_opt = NULL;
    int c;
    while ((c = next_opt("stats", argc, argv, ":i:h", opts)) != -1) {
        switch (c) {
        case 'i': dir_opt = optarg; break;
        case 'h':
            printf("Usage: ura stats [--index DIR]\n"
                   "Show what the index holds: files, passages, languages, formats,\n"
                   "and the files that failed with their reasons.\n");
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
        fprintf(stderr, "ura: %s\n", err.msg);
        return EXIT_RUNTIME;
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
        printf("failed files:\n");
        for (size_t i = 0; i < s->nfailures; i++)
            printf("  %s\n    %s\n", s->failures[i].path, s->failures[i].reason);
    }
    ura_stats_free(s);
    return 0;
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
                {"stats", cmd_stats}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(cmd, cmds[i].name)) {
            optind = 1;
            return cmds[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "ura: unknown command '%s'\nTry `ura --help`.\n", cmd);
    return EXIT_USAGE;
}
