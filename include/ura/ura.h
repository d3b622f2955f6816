/* ura/ura.h — the engine API: what the `ura` command (and any other
 * program) uses to extract, index, search and report.
 *
 * Ownership: every `ura_x **out` result is owned by the caller and freed
 * with the matching ura_x_free().  Strings passed in are borrowed for the
 * call.  Functions that can fail return 0 (URA_OK) or an error code and
 * fill a caller-provided ura_error (which may be NULL) with a one-line
 * message a user can act on. */
#ifndef URA_URA_H
#define URA_URA_H

#include <stddef.h>
#include <stdint.h>

#include "ura/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes of the engine (URA_OK is 0, from plugin.h). */
enum ura_err {
    URA_ERR_USAGE = 10,   /* the caller's input is wrong (query syntax)   */
    URA_ERR_RUNTIME = 11, /* something failed at run time                 */
    URA_ERR_NOINDEX = 12, /* no index at that place                       */
    URA_ERR_LOCKED = 13,  /* another process writes the index             */
    URA_ERR_FILE = 14,    /* one input file failed (others may not)       */
    URA_ERR_STALE = 15    /* the index was built by another analyser      */
};

typedef struct ura_error {
    int code;
    char msg[1024];
} ura_error;

const char *ura_version(void);

/* The engine: loaded plugins and an analyser.  Not thread-safe. */
typedef struct ura_engine ura_engine;

/* Loads plugins from $URA_PLUGIN_PATH, then the build tree (when running
 * from it) or the installed plugin folder.  Refused plugins are listed by
 * ura_engine_plugins(), not errors. */
int ura_engine_new(ura_engine **out, ura_error *err);
void ura_engine_free(ura_engine *e);

typedef struct ura_plugin_info {
    const char *file;        /* where it was found                          */
    const char *name;        /* NULL when refused before the name was known */
    const char *version;
    const char *description;
    const char *extensions;  /* "html htm xhtml"                            */
    const char *refused;     /* NULL when loaded, else why it was refused   */
} ura_plugin_info;

/* The plugins seen, loaded and refused, in search order.  The array and
 * its strings belong to the engine. */
size_t ura_engine_plugins(ura_engine *e, const ura_plugin_info **list);

/* ---- extraction ---- */

typedef struct ura_doc ura_doc;

/* Extract one file with the plugin that claims it.  On URA_OK or URA_WARN
 * *out holds the document (owned by the caller, ura_doc_free()); for WARN
 * err holds what was lost.  On failure *out is NULL and err says why,
 * naming the file. */
int ura_extract(ura_engine *e, const char *path, ura_doc **out, ura_error *err);
void ura_doc_free(ura_doc *d);
/* Malloc'd strings owned by the caller: the text (blocks separated by
 * blank lines, headings marked with '#'), or the structure as JSON. */
char *ura_doc_text(const ura_doc *d);
char *ura_doc_json(const ura_doc *d);
/* The passages the segmenter cuts d into (article, act, pages, language,
 * text), as JSON: what the index will hold.  Malloc'd, owned by the
 * caller; NULL when the analyser cannot be set up (err says why). */
char *ura_doc_passages_json(ura_engine *e, const ura_doc *d, ura_error *err);

/* ---- indexing ---- */

/* The index directory to use when none is given: $URA_INDEX, else
 * $XDG_DATA_HOME/ura/index, else ~/.local/share/ura/index.  Malloc'd. */
char *ura_default_index_dir(void);

typedef struct ura_progress {
    size_t done, total;     /* files considered so far, and in all        */
    size_t indexed, failed; /* so far                                      */
    double elapsed;         /* seconds                                     */
    const char *path;       /* the file just handled; borrowed             */
} ura_progress;

typedef struct ura_index_opts {
    int retry_failed;       /* re-extract files that failed before even if
                               unchanged                                   */
    /* Extraction: in `jobs` sandboxed worker processes (0: one per online
     * CPU), or in this process when in_process is set (for debugging: a
     * crashing plugin then stops the run).  Per file: at most `timeout`
     * wall seconds (0: 60), `cpu` CPU seconds (0: as timeout), `memory`
     * bytes of address space per worker (0: 1 GiB; SIZE_MAX: no limit). */
    unsigned jobs;
    int in_process;
    double timeout, cpu;
    size_t memory;
    /* Called after each file (may be NULL). */
    void (*progress)(void *ctx, const ura_progress *p);
    /* Called for each file that fails, with a one-line reason (may be
     * NULL), and once with path "" for a warning about the whole run
     * (language identification unavailable).  Both strings are borrowed
     * for the call. */
    void (*file_error)(void *ctx, const char *path, const char *reason);
    void *ctx;
} ura_index_opts;

typedef struct ura_index_report {
    size_t files;        /* regular files found under the paths            */
    size_t indexed;      /* extracted and indexed in this run              */
    size_t unchanged;    /* skipped: same as in the index                  */
    size_t failed;       /* failed in this run                             */
    size_t still_failed; /* failed before, unchanged, not retried          */
    size_t unsupported;  /* no plugin claims them                          */
    size_t removed;      /* gone from the paths, removed from the index    */
    size_t passages;     /* passages written in this run                   */
    double seconds;
} ura_index_report;

/* Bring the index at `dir` up to date with `paths` (files or folders):
 * add new files, re-index changed ones, forget files that were indexed
 * under one of these paths and are gone.  A failing file does not stop
 * the run: it is reported through opts->file_error and counted.  Returns
 * URA_OK when the run completed (check report->failed), or an error when
 * the run itself could not be done (index locked, path missing). */
int ura_index_paths(ura_engine *e, const char *dir, const char *const *paths,
                    size_t npaths, const ura_index_opts *opts,
                    ura_index_report *report, ura_error *err);

/* ---- searching ---- */

typedef struct ura_count {
    char *name;
    uint64_t n;
} ura_count;

typedef struct ura_search_opts {
    size_t offset;
    size_t limit;       /* 0 means the default, 10                         */
    int passages;       /* 1: every matching passage; 0: best one per file */
    int facets;         /* 1: count the values of lang, format, year and
                           type over all matches (ura_results.facets)      */
} ura_search_opts;

/* The same article in another language (a trilingual act, or separate
 * files of one law), linked by law number and article number. */
typedef struct ura_twin {
    char *id, *path, *lang;
    char *article;
    int page;           /* 0 when unknown                                  */
} ura_twin;

typedef struct ura_hit {
    int rank;           /* 1-based, counting the offset                    */
    double score;
    char *id;           /* the file's id (32 hex digits), for ura_file_*   */
    char *path, *title, *lang, *format;
    char *heading;      /* the passage's heading, or NULL                  */
    int page;           /* 0 when unknown                                  */
    char *article;      /* NULL when unknown                               */
    char *law;          /* the act's number, "03/L-047"; NULL when unknown */
    char *paragraph;    /* numbered paragraph of the matching text ("2"),
                           NULL when unknown                               */
    int page_end;       /* last page of the passage, 0 when unknown        */
    char *act_title;    /* the act's title in the passage's language, e.g.
                           "Ligji Nr. 03/L-047 për …"; NULL when unknown    */
    char *part;         /* "title" (the act's title page) or "preamble" for
                           text before its first article; else NULL         */
    size_t ntwins;
    ura_twin *twins;    /* the same article in other languages             */
    char *type;         /* kind of act: law, instruction, regulation,
                           decision, report, constitution, other          */
    int year;           /* year of the act or document, 0 when unknown    */
    char *snippet;      /* a window of the passage's text                  */
    size_t nmarks;      /* highlighted words in the snippet: byte ranges   */
    size_t (*marks)[2];
    char *citation;
    uint32_t also;      /* other matching passages of the same file        */
    int partial;        /* 1: no passage of the file has every word of the
                           query; it has some (listed after the files that
                           have them all, when those are fewer than asked) */
} ura_hit;

/* Counts of one field's values over all matching passages (or files, when
 * hits are files), most frequent first. */
typedef struct ura_facet {
    const char *field;  /* "lang", "format", "year", "type": static        */
    size_t n;
    struct ura_count *values;
} ura_facet;

typedef struct ura_results {
    char *query;
    uint64_t total;     /* files (or passages with opts.passages) with every
                           word of the query: partial hits not counted    */
    int total_exact;    /* 1: total is exact; 0: a lower bound, when many
                           files beyond the page match (counting them all
                           would cost more than the search itself); with
                           opts.facets always exact                       */
    size_t n;
    ura_hit *hits;
    char *warning;      /* e.g. stale analyser; NULL if none                */
    size_t nfacets;     /* 4 when opts.facets was set, else 0              */
    ura_facet *facets;
} ura_results;

/* Search the index at dir.  Query syntax errors give URA_ERR_USAGE. */
int ura_search(ura_engine *e, const char *dir, const char *query,
               const ura_search_opts *opts, ura_results **out, ura_error *err);
void ura_results_free(ura_results *r);
/* The contract JSON (DESIGN.md); malloc'd, owned by the caller. */
char *ura_results_json(const ura_results *r);

/* A citation of the hit ready for a report, in the passage's language
 * (sq, sr-latn, sr-cyrl; English for any other): "Ligji Nr. 03/L-047 për
 * …, neni 4, paragrafi 2, f. 3", "Закон бр. 03/L-047 о …, члан 4, став 2,
 * стр. 3", "Law No. 03/L-047 on …, Article 4, paragraph 2, p. 3".  Built
 * from act_title (else title), law, type, article, paragraph and page
 * (the first page of the matching text); what is unknown is left out,
 * and the number is not repeated when the title holds it.  Malloc'd,
 * owned by the caller; never NULL. */
char *ura_citation_text(const ura_hit *h);

/* The hits of r as a bibliography in `format`: "csl-json" (an array of
 * CSL 1.0.2 items, for Zotero and pandoc), "bibtex" (biblatex entry
 * types, @legislation for acts) or "ris" (TY  - STAT for acts, CRLF
 * lines).  Each hit is one entry whose key is stable across runs and
 * unique in the output.  On URA_OK *out is malloc'd and owned by the
 * caller; on URA_ERR_USAGE (another format name) it is NULL and err
 * lists the formats. */
int ura_results_export(const ura_results *r, const char *format, char **out,
                       ura_error *err);

/* All passages of the file with this id, in document order, as results
 * (query "", snippets are the passages' whole text).  URA_ERR_USAGE when
 * the id is malformed, URA_ERR_NOINDEX when no such file is indexed. */
int ura_file_passages(ura_engine *e, const char *dir, const char *id,
                      ura_results **out, ura_error *err);

/* The path and format (plugin name) of the indexed file with this id;
 * both malloc'd, owned by the caller.  Errors as ura_file_passages(). */
int ura_file_lookup(const char *dir, const char *id, char **path, char **format,
                    ura_error *err);

/* ---- checking a plugin (`ura plugin-check`) ---- */

enum ura_check_verdict {
    URA_CHECK_OK = 0,   /* the check passed                                */
    URA_CHECK_WARN = 1, /* allowed, but probably not what the author meant */
    URA_CHECK_FAIL = 2, /* the plugin breaks the contract of plugin.h      */
    URA_CHECK_NOTE = 3  /* no check: a note on what is being run           */
};

typedef struct ura_check_opts {
    unsigned timeout;   /* seconds for each probe or extract run; 0: 20    */
    size_t mem_limit;   /* address space each run may add, in bytes;
                           0: 512 MiB; SIZE_MAX: no limit.  Not applied
                           under AddressSanitizer, which needs far more   */
    uint64_t seed;      /* for the generated garbage; 0: a fixed seed, so
                           that two runs test the same inputs             */
    /* Called once per check, in order, with its verdict and a one-line
     * description ("extract crashed on garbage input 3 (random bytes,
     * 4096 bytes): signal 11 (Segmentation fault)"), or URA_CHECK_NOTE
     * and a note; the line is borrowed for the call.  May be NULL. */
    void (*report)(void *ctx, int verdict, const char *line);
    void *ctx;
} ura_check_opts;

typedef struct ura_check_result {
    char name[64];      /* the plugin's name, or "" when it was refused    */
    size_t ok, warned, failed; /* checks by verdict                        */
} ura_check_result;

/* Check that the plugin file `plugin` (a path to a .so) keeps the contract
 * of plugin.h: load it on its own (as the loader would, init() included),
 * check its descriptor, run probe() on empty, garbage and each file's
 * first bytes, and extract() on each of `files` (borrowed; samples of the
 * plugin's format) and on garbage generated from them (random bytes,
 * truncated and damaged copies, an empty and a zero-filled input).  Every
 * probe() and extract() runs in a child process with a time limit and a
 * memory limit, so a crash or hang is reported, not suffered; the events
 * extract() sends are checked for balance, node kinds, levels, pages,
 * UTF-8, calls after the sink said stop, the return code and the message.
 *
 * Returns URA_OK when the checks ran, whatever they found: the plugin
 * conforms when res->failed is 0 (a refused plugin is one failed check).
 * Returns an error, with nothing checked, when one of `files` cannot be
 * read (URA_ERR_FILE, err names it) or a child process cannot be started
 * (URA_ERR_RUNTIME). */
int ura_plugin_check(const char *plugin, const char *const *files, size_t nfiles,
                     const ura_check_opts *opts, ura_check_result *res,
                     ura_error *err);

/* The citation graph as Graphviz DOT: an edge from each citing act (its
 * number, else its title) to each act it cites, labelled with the number
 * of passages.  *dot is malloc'd, owned by the caller. */
int ura_cites_graph(const char *dir, char **dot, ura_error *err);

/* ---- statistics ---- */

typedef struct ura_failure {
    char *path;
    char *reason;
} ura_failure;

typedef struct ura_stats {
    char *dir;
    char *analyser;         /* analyser version the index was built with   */
    uint64_t files, failed, passages;
    size_t nlangs, nformats, nfailures;
    ura_count *langs;       /* passages per language                       */
    ura_count *formats;     /* files per format                            */
    ura_failure *failures;  /* failed files with their reasons, sorted by
                               reason, then path                           */
} ura_stats;

int ura_stats_get(const char *dir, ura_stats **out, ura_error *err);
void ura_stats_free(ura_stats *s);

#ifdef __cplusplus
}
#endif

#endif
