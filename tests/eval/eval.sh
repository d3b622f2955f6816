#!/bin/sh
# eval.sh — retrieval quality of ura on judged queries (`make eval`).
#
# Indexes a corpus (default corpora/) into a temporary index with the built
# `ura`, runs every judged query through `ura search --json --limit 10` (one
# process per query) and prints, per category and overall, the mean over
# queries of four figures.  ura returns one hit per document (its best
# passage), so a hit is a (document, article) pair.
#
# The judged queries file (default corpora/queries.tsv): `#` comments and
# blank lines are skipped; every other line is
#     ID<TAB>CATEGORY<TAB>QUERY<TAB>RELEVANT
# CATEGORY is one of exact nodiacritics script place inflection lawnumber
# syntax mixed; RELEVANT is a space-separated list of `PATH#ART,ART` (the
# document, relative to the source tree, and the article numbers as written
# in its headings: `4`, `12a`) or `PATH` (the whole document is relevant).
#
# Definitions, for one query with L listed documents and hits h1..hk
# (k <= 10, rank order):
#   rel(i)     1 when hi's document is listed and, if articles are listed
#              for it, hi's article is one of them (compared without case);
#              a document listed without articles is relevant whatever
#              passage comes up.  Else 0.  A document counts once.
#   recall@10  sum rel(i) / L        (relevant units = listed documents)
#   P@10       sum rel(i) / 10       (the standard definition: a query that
#              returns fewer than 10 hits is not rewarded for it)
#   nDCG@10    DCG / IDCG with binary gains: DCG = sum rel(i) / log2(i + 1),
#              IDCG = sum over i = 1..min(L, 10) of 1 / log2(i + 1)
#   MRR        1 / rank of the first relevant hit, 0 when none
# A category's figure, and the overall one, is the plain mean over its
# queries (macro average).  A query whose `ura search` fails counts as
# returning nothing (and is named on stderr).
#
# Options:
#   --queries FILE  the judged queries (default $top_srcdir/corpora/queries.tsv)
#   --corpus DIR    what to index (default $top_srcdir/corpora)
#   --index DIR     use (and keep) this index instead of a temporary one;
#                   `ura index` brings it up to date first
#   --verbose       list each query's misses: the relevant documents not hit
#                   correctly, and the hits that are not relevant ranked
#                   above them
#   --floors        exit 1 when a category's recall@10 < 0.95 or the overall
#                   nDCG@10 < 0.9, naming the category and the figure
#   --sweep         index once, then run the queries for each BM25 k1 and b
#                   of a grid (--k1 "LIST", --b "LIST") with
#                   URA_BM25="k1 0 1 b 0.5" and print one summary line each
#   --validate      only check the queries file
# Environment: URA (the ura binary; default ./ura, else `ura` on PATH),
# JQ (default jq), top_srcdir (default: two folders above this script).
# URA_BM25 and URA_WEIGHTS pass through to `ura search` untouched.
#
# Exit status: 0 done (floors met with --floors), 1 a floor not met,
# 2 usage or queries-file error, 3 ura failed to index.
set -u

me=eval
die() {
    printf '%s: %s\n' "$me" "$*" >&2
    exit 2
}

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
JQ=${JQ:-jq}
if [ -z "${URA:-}" ]; then
    if [ -x ./ura ]; then URA=$PWD/ura; else URA=ura; fi
fi

queries=""
corpus=""
index=""
verbose=0
floors=0
sweep=0
validate_only=0
k1_list="0.6 0.9 1.2 1.5 2.0"
b_list="0.3 0.5 0.75 0.9"
while [ $# -gt 0 ]; do
    case "$1" in
    --queries) [ $# -ge 2 ] || die "--queries needs a FILE"; queries=$2; shift ;;
    --corpus) [ $# -ge 2 ] || die "--corpus needs a DIR"; corpus=$2; shift ;;
    --index) [ $# -ge 2 ] || die "--index needs a DIR"; index=$2; shift ;;
    --k1) [ $# -ge 2 ] || die "--k1 needs a list"; k1_list=$2; shift ;;
    --b) [ $# -ge 2 ] || die "--b needs a list"; b_list=$2; shift ;;
    --verbose) verbose=1 ;;
    --floors) floors=1 ;;
    --sweep) sweep=1 ;;
    --validate) validate_only=1 ;;
    -h | --help)
        sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument [$1] (see --help)" ;;
    esac
    shift
done
if [ -z "$queries" ]; then
    queries=$top_srcdir/corpora/queries.tsv
fi
corpus=${corpus:-$top_srcdir/corpora}
[ -f "$queries" ] || die "no judged queries file at $queries"
[ -d "$corpus" ] || die "no corpus folder at $corpus"
command -v "$JQ" >/dev/null 2>&1 || die "jq is needed: apt-get install jq"
root=$(cd "$top_srcdir" && pwd -P) || die "top_srcdir $top_srcdir is not a folder"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ura-eval.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# ---- 1. the queries file: syntax, categories, paths ----
# valid lines go to $TMP/q as ID TAB CATEGORY TAB QUERY TAB RELEVANT (the
# relevant list with single spaces); every path to check to $TMP/paths as
# LINE TAB PATH.  Errors name the line.
LC_ALL=C awk -F'\t' -v file="$queries" -v q="$TMP/q" -v paths="$TMP/paths" '
function err(msg) { printf "%s:%d: %s\n", file, NR, msg > "/dev/stderr"; bad++ }
BEGIN {
    ncat = split("exact nodiacritics script place inflection lawnumber syntax mixed", c, " ")
    for (i = 1; i <= ncat; i++) known[c[i]] = 1
}
/^[ \t]*$/ || /^#/ { next }
{
    sub(/\r$/, "")
    if (NF != 4) {
        err(sprintf("expected 4 tab-separated fields (ID, CATEGORY, QUERY, RELEVANT), found %d", NF))
        next
    }
    id = $1; cat = $2; query = $3; rel = $4
    if (id == "" || id ~ /[ \t]/) { err("empty ID or ID with spaces [" id "]"); next }
    if (id in seen_id) { err("ID " id " already used on line " seen_id[id]); next }
    seen_id[id] = NR
    if (!(cat in known)) { err("unknown category [" cat "] (known: exact nodiacritics script place inflection lawnumber syntax mixed)"); next }
    if (query ~ /^[ ]*$/) { err(id ": empty QUERY"); next }
    n = split(rel, e, " ")
    out = ""; ok = 1; split("", docs)
    for (i = 1; i <= n; i++) {
        if (e[i] == "") continue
        p = e[i]; arts = ""
        if ((h = index(p, "#")) > 0) { arts = substr(p, h + 1); p = substr(p, 1, h - 1) }
        if (p == "" || p ~ /^\//) { err(id ": [" e[i] "] is not a path relative to the source tree"); ok = 0; continue }
        if (index(e[i], "#") && arts !~ /^[0-9A-Za-z]+(,[0-9A-Za-z]+)*$/) {
            err(id ": [" e[i] "]: articles must be PATH#ART,ART (e.g. #4,12a)"); ok = 0; continue
        }
        if (p in docs) { err(id ": document " p " listed twice"); ok = 0; continue }
        docs[p] = 1
        printf "%d\t%s\n", NR, p > paths
        out = out (out == "" ? "" : " ") e[i]
    }
    if (out == "" && ok) { err(id ": RELEVANT is empty"); next }
    if (ok) printf "%s\t%s\t%s\t%s\n", id, cat, query, out > q
}
END { exit bad > 0 }
' "$queries"
bad=$?
: >>"$TMP/q"
: >>"$TMP/paths"
tab=$(printf '\t')
while IFS="$tab" read -r line path; do
    [ -f "$root/$path" ] || {
        printf '%s:%s: %s is not an existing file under %s\n' "$queries" "$line" "$path" "$root" >&2
        bad=1
    }
done <"$TMP/paths"
[ "$bad" -eq 0 ] || die "$queries has errors (above)"
nq=$(wc -l <"$TMP/q" | tr -d ' ')
[ "$nq" -gt 0 ] || die "$queries holds no queries"
if [ "$validate_only" -eq 1 ]; then
    echo "$me: $queries: $nq queries, valid"
    exit 0
fi

# ---- 2. the index ----
if [ -n "$index" ]; then IX=$index; else IX=$TMP/index; fi
"$URA" index --quiet --index "$IX" "$corpus" 2>"$TMP/index.err"
rc=$?
case $rc in
0) ;;
3) printf '%s: some files of %s could not be indexed:\n' "$me" "$corpus" >&2
   sed 's/^/  /' "$TMP/index.err" >&2 ;;
*) printf '%s: ura index %s failed (exit %s):\n' "$me" "$corpus" "$rc" >&2
   cat "$TMP/index.err" >&2
   exit 3 ;;
esac

# ---- 3. the queries: $TMP/hits gets ID TAB RANK TAB PATH TAB ARTICLE ----
run_queries() {
    : >"$TMP/hits"
    nerr=0
    while IFS="$tab" read -r id cat query rel; do
        if "$URA" search --index "$IX" --json --limit 10 -- "$query" >"$TMP/res" 2>"$TMP/serr"; then
            "$JQ" -r --arg root "$root/" --arg id "$id" \
                '.hits | to_entries[] | [$id, (.key + 1 | tostring), (.value.path | ltrimstr($root)), (.value.article // "")] | @tsv' \
                <"$TMP/res" >>"$TMP/hits" || {
                printf '%s: %s [%s]: the search output is not the JSON expected\n' "$me" "$id" "$query" >&2
                nerr=$((nerr + 1))
            }
        else
            printf '%s: %s [%s]: ura search failed: %s\n' "$me" "$id" "$query" "$(head -c 300 "$TMP/serr")" >&2
            nerr=$((nerr + 1))
        fi
    done <"$TMP/q"
}

# ---- 4. the figures ----
# score MODE: MODE table prints the table and the summary, summary only the
# summary line; with floors=1 exits 1 when a floor is not met.
score() {
    LC_ALL=C awk -F'\t' -v mode="$1" -v verbose="$verbose" -v floors="$floors" -v nerr="$nerr" '
function log2(x) { return log(x) / log(2) }
function lc(s) { return tolower(s) }
FNR == NR {                                   # the queries
    id = $1; nq++; qid[nq] = id; qcat[id] = $2; qtext[id] = $3
    n = split($4, e, " "); L[id] = 0
    for (i = 1; i <= n; i++) {
        p = e[i]; arts = ""
        if ((h = index(p, "#")) > 0) { arts = substr(p, h + 1); p = substr(p, 1, h - 1) }
        L[id]++; ldoc[id, L[id]] = p; listed[id, p] = 1; larts[id, p] = arts
        if (arts != "") {
            m = split(arts, a, ",")
            for (j = 1; j <= m; j++) okart[id, p, lc(a[j])] = 1
        }
    }
    next
}
{                                             # the hits, in rank order
    id = $1; r = $2 + 0
    if (r > 10) next
    nh[id] = r; hdoc[id, r] = $3; hart[id, r] = $4
}
END {
    split("exact nodiacritics script place inflection lawnumber syntax mixed", cats, " ")
    for (k = 1; k <= nq; k++) {
        id = qid[k]; c = qcat[id]
        rel = 0; dcg = 0; rr = 0; lowmiss = 0
        split("", used)
        for (r = 1; r <= nh[id]; r++) {
            d = hdoc[id, r]; isrel[r] = 0
            if ((id, d) in listed && !(d in used)) {
                used[d] = r
                if (larts[id, d] == "" || (id, d, lc(hart[id, r])) in okart) isrel[r] = 1
            }
            if (isrel[r]) {
                rel++; dcg += 1 / log2(r + 1)
                if (rr == 0) rr = 1 / r
            }
        }
        idcg = 0
        for (i = 1; i <= L[id] && i <= 10; i++) idcg += 1 / log2(i + 1)
        rec = rel / L[id]; p10 = rel / 10; nd = dcg / idcg
        cn[c]++; cr[c] += rec; cp[c] += p10; cd[c] += nd; cm[c] += rr
        tr += rec; tp += p10; td += nd; tm += rr
        if (verbose && rel < L[id]) {
            printf "%s %s [%s]: %d of %d relevant documents in the top 10\n", id, c, qtext[id], rel, L[id]
            for (i = 1; i <= L[id]; i++) {
                d = ldoc[id, i]; want = larts[id, d] == "" ? "" : "#" larts[id, d]
                if (d in used && isrel[used[d]]) continue
                if (d in used) {
                    r = used[d]
                    printf "  missed %s%s: at rank %d with article [%s]\n", d, want, r, hart[id, r]
                    if (r > lowmiss) lowmiss = r
                } else {
                    printf "  missed %s%s: not in the top 10\n", d, want
                    lowmiss = 11
                }
            }
            for (r = 1; r < lowmiss && r <= nh[id]; r++)
                if (!isrel[r])
                    printf "  above: %d. %s%s%s\n", r, hdoc[id, r], hart[id, r] == "" ? "" : " art. " hart[id, r], (id, hdoc[id, r]) in listed ? " (listed, other article)" : " (not judged relevant)"
        }
    }
    if (mode == "table") {
        printf "%-13s %4s %10s %7s %8s %6s\n", "category", "n", "recall@10", "P@10", "nDCG@10", "MRR"
        for (i = 1; i <= 8; i++) {
            c = cats[i]
            if (!cn[c]) continue
            printf "%-13s %4d %10.3f %7.3f %8.3f %6.3f\n", c, cn[c], cr[c] / cn[c], cp[c] / cn[c], cd[c] / cn[c], cm[c] / cn[c]
        }
        printf "%-13s %4d %10.3f %7.3f %8.3f %6.3f\n", "all", nq, tr / nq, tp / nq, td / nq, tm / nq
    }
    printf "eval: %d queries, recall@10 %.2f, P@10 %.2f, nDCG@10 %.2f, MRR %.2f%s\n", nq, tr / nq, tp / nq, td / nq, tm / nq, nerr ? sprintf(" (%d searches failed)", nerr) : ""
    fail = 0
    if (floors) {
        for (i = 1; i <= 8; i++) {
            c = cats[i]
            if (cn[c] && cr[c] / cn[c] < 0.95) {
                printf "eval: floor not met: recall@10 of category %s is %.3f (< 0.95)\n", c, cr[c] / cn[c] > "/dev/stderr"
                fail = 1
            }
        }
        if (td / nq < 0.9) {
            printf "eval: floor not met: overall nDCG@10 is %.3f (< 0.9)\n", td / nq > "/dev/stderr"
            fail = 1
        }
    }
    exit fail
}
' "$TMP/q" "$TMP/hits"
}

if [ "$sweep" -eq 1 ]; then
    status=0
    for k1 in $k1_list; do
        for b in $b_list; do
            URA_BM25="$k1 0 1 $b 0.5"
            export URA_BM25
            run_queries
            printf 'URA_BM25="%s"  ' "$URA_BM25"
            score summary || status=1
        done
    done
    exit $status
fi
[ -n "${URA_BM25:-}" ] && printf '%s: URA_BM25="%s"\n' "$me" "$URA_BM25" >&2
[ -n "${URA_WEIGHTS:-}" ] && printf '%s: URA_WEIGHTS="%s"\n' "$me" "$URA_WEIGHTS" >&2
run_queries
score table
