#!/bin/sh
# The evaluation tool itself (tests/eval/eval.sh): the figures on a small
# case worked out by hand, the per-query misses, the floors, the checks of
# the queries file, and the sweep passing URA_BM25 to `ura search`.  The
# hits come from a scripted stand-in for `ura` (fixed answers per query) so
# that the arithmetic is checked on known input; eval-floors.sh runs the
# tool on the real engine and corpus.
. "$top_srcdir/tests/lib.sh"

EVAL="$top_srcdir/tests/eval/eval.sh"
SRC="$TMP/src"
mkdir -p "$SRC/docs"
for d in a b c d; do echo "$d" >"$SRC/docs/$d.txt"; done
SRC=$(cd "$SRC" && pwd -P)

# The stand-in: `index` makes the folder, `search` answers from a table and
# logs URA_BM25.
cat >"$TMP/fake-ura" <<EOF
#!/bin/sh
case "\$1" in
index) shift; while [ \$# -gt 1 ]; do case "\$1" in --index) mkdir -p "\$2"; shift ;; esac; shift; done; exit 0 ;;
search) ;;
*) exit 1 ;;
esac
eval "q=\\\${\$#}"
echo "\${URA_BM25-unset}" >>"$TMP/bm25.log"
hit() { printf '{"rank": %d, "path": "$SRC/docs/%s.txt", "article": %s}' "\$1" "\$2" "\$3"; }
case "\$q" in
alpha) h="\$(hit 1 c '"1"'), \$(hit 2 a '"4"'), \$(hit 3 b '"9"')" ;;
beta) h="\$(hit 1 a '"7"'), \$(hit 2 d null)" ;;
gamma) h="\$(hit 1 d null)" ;;
broken) echo "ura: search: syntax error" >&2; exit 1 ;;
*) h="" ;;
esac
printf '{"query": "%s", "total": 3, "hits": [%s]}\n' "\$q" "\$h"
EOF
chmod +x "$TMP/fake-ura"

tab=$(printf '\t')
cat >"$TMP/q.tsv" <<EOF
# a comment, then a blank line

q1${tab}exact${tab}alpha${tab}docs/a.txt#4 docs/b.txt
q2${tab}place${tab}beta${tab}docs/a.txt#4,5 docs/c.txt
q3${tab}place${tab}gamma${tab}docs/d.txt
EOF

ev() { URA="$TMP/fake-ura" top_srcdir="$SRC" run_rc sh "$EVAL" --corpus "$SRC/docs" "$@"; }

# q1: hits at ranks 2 and 3 relevant: recall 1, P 0.2,
#     nDCG (1/log2 3 + 1/log2 4) / (1 + 1/log2 3) = 0.693, RR 0.5.
# q2: a at rank 1 has article 7, not 4 or 5; c not returned: all 0.
# q3: d listed without articles, rank 1: recall 1, P 0.1, nDCG 1, RR 1.
ev --queries "$TMP/q.tsv"
check "exit status on the worked case (stderr: $err)" "$rc" 0
check_contains "exact row" "$out" "exact            1      1.000   0.200    0.693  0.500"
check_contains "place row" "$out" "place            2      0.500   0.050    0.500  0.500"
check_contains "overall row" "$out" "all              3      0.667   0.100    0.564  0.500"
check_contains "summary line" "$out" "eval: 3 queries, recall@10 0.67, P@10 0.10, nDCG@10 0.56, MRR 0.50"
case "$out" in *missed*) not_ok "misses listed without --verbose: $out" ;; *) ok ;; esac

ev --queries "$TMP/q.tsv" --verbose
check_contains "verbose names the query" "$out" "q2 place [beta]: 0 of 2 relevant documents in the top 10"
check_contains "verbose: listed document at the wrong article" "$out" "missed docs/a.txt#4,5: at rank 1 with article [7]"
check_contains "verbose: listed document not returned" "$out" "missed docs/c.txt: not in the top 10"
check_contains "verbose: hit above the misses, listed" "$out" "above: 1. docs/a.txt art. 7 (listed, other article)"
check_contains "verbose: hit above the misses, unjudged" "$out" "above: 2. docs/d.txt (not judged relevant)"
case "$out" in *"q1 exact"* | *"q3 place"*) not_ok "verbose lists queries without misses: $out" ;; *) ok ;; esac

ev --queries "$TMP/q.tsv" --floors
check "--floors exit status with place recall 0.5" "$rc" 1
check_contains "--floors names the category" "$err" "recall@10 of category place is 0.500 (< 0.95)"
check_contains "--floors names overall nDCG" "$err" "overall nDCG@10 is 0.564 (< 0.9)"
case "$err" in *"category exact"*) not_ok "exact (recall 1) named as below the floor: $err" ;; *) ok ;; esac

printf 'q4\texact\tgamma\tdocs/d.txt\n' >"$TMP/good.tsv"
ev --queries "$TMP/good.tsv" --floors
check "--floors exit status when every floor is met (stderr: $err)" "$rc" 0

# A search that fails counts as no hits and is named.
printf 'q5\tsyntax\tbroken\tdocs/a.txt\nq6\texact\tgamma\tdocs/d.txt\n' >"$TMP/broken.tsv"
ev --queries "$TMP/broken.tsv"
check "exit status with a failing search" "$rc" 0
check_contains "the failing search is named" "$err" "q5 [broken]: ura search failed: ura: search: syntax error"
check_contains "the summary counts it" "$out" "recall@10 0.50, P@10 0.05, nDCG@10 0.50, MRR 0.50 (1 searches failed)"

# The queries file is checked line by line.
cat >"$TMP/bad.tsv" <<EOF
# bad lines
b1${tab}exact${tab}alpha${tab}docs/a.txt
b2${tab}spelling${tab}alpha${tab}docs/a.txt
b3${tab}exact alpha docs/a.txt
b4${tab}exact${tab}alpha${tab}docs/nothere.txt
b5${tab}exact${tab}alpha${tab}
b1${tab}exact${tab}alpha${tab}docs/b.txt
b7${tab}exact${tab}alpha${tab}docs/a.txt#4;5
b8${tab}exact${tab}alpha${tab}docs/a.txt docs/a.txt#3
EOF
ev --queries "$TMP/bad.tsv"
check "exit status on a bad queries file" "$rc" 2
check_contains "unknown category" "$err" "bad.tsv:3: unknown category [spelling]"
check_contains "missing tab" "$err" "bad.tsv:4: expected 4 tab-separated fields (ID, CATEGORY, QUERY, RELEVANT), found 2"
check_contains "missing file" "$err" "bad.tsv:5: docs/nothere.txt is not an existing file"
check_contains "empty RELEVANT" "$err" "bad.tsv:6: b5: RELEVANT is empty"
check_contains "duplicate ID" "$err" "bad.tsv:7: ID b1 already used on line 2"
check_contains "bad article list" "$err" "bad.tsv:8: b7: [docs/a.txt#4;5]: articles must be PATH#ART,ART"
check_contains "document twice" "$err" "bad.tsv:9: b8: document docs/a.txt listed twice"
case "$out" in *eval:*queries*) not_ok "figures printed for a bad file: $out" ;; *) ok ;; esac

# The judged set is valid: syntax, categories, existing paths, IDs.
run_rc sh "$EVAL" --validate --queries "$top_srcdir/corpora/queries.tsv"
check "corpora/queries.tsv is valid (stderr: $err)" "$rc" 0

# --sweep: one summary per grid point, URA_BM25 set for each search.
: >"$TMP/bm25.log"
URA_WEIGHTS="1 2 3" ev --queries "$TMP/good.tsv" --sweep --k1 "1.2 2" --b "0.75"
check "--sweep exit status (stderr: $err)" "$rc" 0
check "--sweep prints a line per grid point" "$(printf '%s\n' "$out" | grep -c '^URA_BM25="[0-9.]* 0 1 [0-9.]* 0.5"  eval: 1 queries')" 2
check "--sweep sets URA_BM25 for every search" "$(sort -u "$TMP/bm25.log" | tr '\n' '|')" "1.2 0 1 0.75 0.5|2 0 1 0.75 0.5|"

finish eval
