#!/bin/sh
# Crash safety of `ura index` (issue 6): SIGKILL at random moments, many
# times, while the corpus keeps changing.  After every kill the index must
# pass xapian-check, and `ura stats` and `ura search` must work on it; at
# the end a run that is not killed must leave exactly what a fresh index of
# the same files holds: the same files, each with the same number of
# passages (nothing lost, nothing twice), and no file recorded as failed.
# The random moments and changes come from a seed, printed first:
#   URA_CRASH_SEED=N reproduces a run; URA_CRASH_KILLS sets the number of
#   kills (default 20).
. "$top_srcdir/tests/lib.sh"

if ! command -v xapian-check >/dev/null 2>&1; then
    echo "crash: xapian-check is needed: apt-get install xapian-tools" >&2
    exit 99
fi
SEED=${URA_CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
KILLS=${URA_CRASH_KILLS:-20}
start=$(date +%s)
echo "crash: seed $SEED (rerun with URA_CRASH_SEED=$SEED), $KILLS kills"

C="$TMP/corpus"
IX="$TMP/index"
mkdir -p "$C"
C=$(cd "$C" && pwd -P)

# ---- the corpus: the sample laws four times, the plugin samples that
# index cleanly (those with a golden .json) twice, and generated acts, each
# with a word of its own and a number of articles that changes with its
# version.
for i in 1 2 3 4; do
    mkdir -p "$C/html-$i"
    cp "$top_srcdir"/corpora/html/*.html "$C/html-$i/"
done
for i in 1 2; do
    mkdir -p "$C/samples-$i"
    for f in "$top_srcdir"/tests/plugins/pdf/*.pdf "$top_srcdir"/tests/plugins/docx/*.docx \
        "$top_srcdir"/tests/plugins/odt/*.odt "$top_srcdir"/tests/plugins/html/*.html; do
        [ -f "${f%.*}.json" ] && cp "$f" "$C/samples-$i/"
    done
done
mkdir -p "$C/gen"
# gen VERSION N...: writes gen/act-N.html for each N, with the word
# zquniq<N in letters>x that no other file has (the x ends every word, so
# that no stemmer takes zquniqbi or zquniqbu for an inflection of zquniqb)
# and 1 + (VERSION + N) % 4
# articles.
GEN_AWK='
function word(n,    w) { w = ""; do { w = sprintf("%c", 97 + n % 26) w; n = int(n / 26) } while (n > 0); return "zquniq" w "x" }
{
    f = dir "/act-" $1 ".html"; v = ver + $1; w = word($1)
    printf "<!DOCTYPE html>\n<html lang=\"sq\"><head><meta charset=\"utf-8\"><title>Rregullore Nr. %s/2024</title></head><body>\n", $1 > f
    printf "<h1>Rregullore Nr. %s/2024 për zyrën komunale, versioni %s</h1>\n", $1, v > f
    for (a = 1; a <= 1 + v % 4; a++)
        printf "<h3>Neni %d</h3>\n<p>Zyra komunale %s shqyrton kërkesat e banorëve brenda tridhjetë ditëve (versioni %s, neni %d).</p>\n", a, w, v, a > f
    printf "</body></html>\n" > f
    close(f)
}'
gen() {
    v=$1
    shift
    printf '%s\n' "$@" | awk -v dir="$C/gen" -v ver="$v" "$GEN_AWK"
}
word() { printf '%s\n' "$1" | awk '{ n = $1; w = ""; do { w = sprintf("%c", 97 + n % 26) w; n = int(n / 26) } while (n > 0); print "zquniq" w "x" }'; }
gen 0 $(seq 1 60)
next_gen=61
nfiles=$(find "$C" -type f | wc -l | tr -d ' ')

# ---- the time of a run like those killed below: a full run on a fresh
# index, then (timed) a run after every file changed, as each killed run
# finds them.  Timed on the fresh run instead, about half the runs ended
# before their kill once indexing got faster.
run_rc "$URA" index --quiet --index "$TMP/measure" "$C"
check "a full run on a fresh index (stderr: $err)" "$rc" 0
for f in "$C"/html-*/*.html; do echo "<!-- measure -->" >>"$f"; done
gen 1000 $(ls "$C/gen" | sed 's/^act-//; s/\.html$//')
t0=$(date +%s.%N)
run_rc "$URA" index --quiet --index "$TMP/measure" "$C"
t1=$(date +%s.%N)
check "a run after every file changed (stderr: $err)" "$rc" 0
T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
rm -rf "$TMP/measure"
echo "crash: $nfiles files, a run that re-indexes them all takes $T s"

# ---- in process (--in-process, where the crash marker applies): a kill
# while a plugin extracts: the crash marker names the file, and
# the next run must index it (a kill is not a crash of the plugin).
mkdir -p "$TMP/big"
awk 'BEGIN { print "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Big</title></head><body>"
             for (i = 1; i <= 40000; i++) printf "<p>Paragraph %d of a long act on municipal offices for communities and returns.</p>\n", i
             print "</body></html>" }' >"$TMP/big/big.html"
big=$(cd "$TMP/big" && pwd -P)/big.html
"$URA" index --in-process --quiet --index "$TMP/bigix" "$TMP/big" >/dev/null 2>&1 &
pid=$!
w=0
while [ "$w" -lt 1000 ] && [ "$(cat "$TMP/bigix/extracting" 2>/dev/null)" != "$big" ]; do
    sleep 0.02
    w=$((w + 1))
done
kill -9 "$pid" 2>/dev/null
wait "$pid"
check "the run was killed while extracting big.html" "$(cat "$TMP/bigix/extracting" 2>/dev/null)" "$big"
run_rc "$URA" index --index "$TMP/bigix" "$TMP/big"
check "the run after a kill in extraction (stderr: $err)" "$rc" 0
check_contains "the file being extracted at the kill is indexed" "$("$URA" stats --index "$TMP/bigix")" "files      1 (0 failed)"
rm -rf "$TMP/bigix" "$TMP/big"

# ---- a plugin that dies while extracting (SIGSEGV, exit()): that file is
# recorded failed with the reason, and the next run does not stop on it.
mkdir -p "$TMP/bad"
printf 'SEGV now\n' >"$TMP/bad/segv.uracrash"
printf 'EXIT now\n' >"$TMP/bad/exit.uracrash"
printf 'URACRASH\nhello\n' >"$TMP/bad/good.uracrash"
bad=$(cd "$TMP/bad" && pwd -P)
for n in 1 2 3; do
    URA_PLUGIN_PATH="$BADPLUGINS" "$URA" index --in-process --quiet --index "$TMP/badix" "$bad" >/dev/null 2>&1
done
run_rc env URA_PLUGIN_PATH="$BADPLUGINS" "$URA" index --in-process --index "$TMP/badix" "$bad"
check "a run after the plugin crashes (stderr: $err)" "$rc" 0
check_contains "both crashing files are recorded as failed" "$err" "2 files failed before and are unchanged"
run_rc "$URA" stats --index "$TMP/badix"
check_contains "both files are failed with the reason" "$out" "  2  ura died while extracting it (the plugin crashed or exited)"
check_contains "the SIGSEGV file is listed under it" "$out" "       $bad/segv.uracrash"
check_contains "the exit() file is listed under it" "$out" "       $bad/exit.uracrash"
check_contains "the good file is indexed" "$out" "files      3 (2 failed)"
rm -rf "$TMP/badix" "$TMP/bad"

# Random numbers for kill i: its moment (fraction of T) and the changes.
# A run that ends before its kill does not count: up to twice as many runs.
awk -v s="$SEED" -v n="$((2 * KILLS))" 'BEGIN { srand(s); for (i = 1; i <= n; i++) print rand(), int(rand() * 1000000) }' >"$TMP/rand"

killed=0
finished=0
i=0
while [ "$killed" -lt "$KILLS" ] && read -r frac r; do
    i=$((i + 1))
    # Change the corpus: every copy of the sample laws changes its bytes,
    # every generated act gets a new version (and another number of
    # articles), one act goes and one comes: each run re-extracts about
    # as much as a full run, so a kill at a random moment of T lands in
    # the middle of the work.
    for f in "$C"/html-*/*.html; do echo "<!-- $i -->" >>"$f"; done
    gen "$i" $(ls "$C/gen" | sed 's/^act-//; s/\.html$//')
    rm -f "$C/gen/act-$((r % (next_gen - 1) + 1)).html"
    gen "$i" "$next_gen"
    next_gen=$((next_gen + 1))

    t0=$(date +%s.%N)
    "$URA" index --quiet --index "$IX" "$C" >/dev/null 2>"$TMP/run.err" &
    pid=$!
    # the kill comes from a helper, so that the end of a run that is
    # quicker than its moment is seen when it comes (the shell reports
    # each kill as "Killed")
    (
        sleep "$(awk -v f="$frac" -v t="$T" 'BEGIN { printf "%.3f", f * t }')"
        kill -9 "$pid" 2>/dev/null
    ) &
    killer=$!
    wait "$pid"
    st=$?
    t1=$(date +%s.%N)
    kill "$killer" 2>/dev/null
    wait "$killer" 2>/dev/null
    case $st in
    137) killed=$((killed + 1)) ;;
    0)
        # Ended before its kill: runs take less time than measured (the
        # measure ran beside other tests, or indexing got faster); the next
        # moments are drawn from this run's time.
        finished=$((finished + 1))
        T=$(awk -v a="$t0" -v b="$t1" -v t="$T" 'BEGIN { d = b - a; printf "%.2f", d < t ? d : t }')
        ;;
    *) not_ok "kill $i: the run ended by itself with exit status $st: $(cat "$TMP/run.err")" ;;
    esac

    if [ ! -f "$IX/iamglass" ]; then
        # Killed before Xapian created the database: no index yet, and
        # ura says so.
        run_rc "$URA" stats --index "$IX"
        check_contains "kill $i at $frac of the run: no database yet, stats says so" "$err" "no index at"
        continue
    fi
    xapian-check "$IX" >"$TMP/check.out" 2>&1 && ok ||
        not_ok "kill $i at $frac of the run: xapian-check fails: $(tail -3 "$TMP/check.out")"
    run_rc "$URA" stats --index "$IX"
    check "kill $i: ura stats exit status (stderr: $err)" "$rc" 0
    run_rc "$URA" search --index "$IX" --json "$(word 1) OR Strpce"
    check "kill $i: ura search exit status (stderr: $err)" "$rc" 0
    printf '%s' "$out" | "$JQ" -e '.hits | type == "array"' >/dev/null 2>&1 && ok ||
        not_ok "kill $i: ura search output is not the JSON expected: $out"
done <"$TMP/rand"
echo "crash: $killed runs killed, $finished finished before their kill (moments drawn at last from $T s)"
[ "$killed" -ge "$KILLS" ] && ok || not_ok "only $killed of $i runs were killed, not $KILLS: the test does not test"

# ---- a run to the end, then the same files indexed in one go
run_rc "$URA" index --index "$IX" "$C"
check "the run after the kills (stderr: $err)" "$rc" 0
run_rc "$URA" index --quiet --index "$TMP/fresh" "$C"
check "the fresh index (stderr: $err)" "$rc" 0
xapian-check "$IX" >/dev/null 2>&1 && ok || not_ok "xapian-check fails on the final index"

files_of() { "$URA" stats --index "$1" | awk '$1 == "files" { print $2, $3, $4 }'; }
want=$(files_of "$TMP/fresh")
check "files in the index after the kills = in a fresh index" "$(files_of "$IX")" "$want"
check "a fresh index of the corpus has no failed file" "$want" "$(find "$C" -type f | wc -l | tr -d ' ') (0 failed)"
# Passages per file: the term XP<path key> is on every passage of a file.
xapian-delve -A XP -v -1 "$IX" | grep '^XP' >"$TMP/got"
xapian-delve -A XP -v -1 "$TMP/fresh" | grep '^XP' >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then
    ok
else
    not_ok "passages per file differ from a fresh index (path key, passages; < after kills, > fresh):
$(diff "$TMP/got" "$TMP/want" | head -20)"
fi
check "passages in all" "$("$URA" stats --index "$IX" | grep '^passages')" \
    "$("$URA" stats --index "$TMP/fresh" | grep '^passages')"
# Every tenth generated act is found by its own word, in that file only,
# with as many passages as in the fresh index.  The word is quoted: a
# phrase matches the word as written, where a plain word would also find
# the words that stem like it (zquniqbu, zquniqb).
for f in $(ls "$C"/gen/act-*.html | awk 'NR % 10 == 1'); do
    g=${f##*/act-}
    g=${g%.html}
    w=$(word "$g")
    "$URA" search --index "$IX" --json --passages --limit 100 "\"$w\"" >"$TMP/res"
    a=$("$JQ" -r '[.hits[].path] | unique | join(" ")' <"$TMP/res")
    b=$("$JQ" -r '.hits | length' <"$TMP/res")
    c=$("$URA" search --index "$TMP/fresh" --json --passages --limit 100 "\"$w\"" | "$JQ" -r '.hits | length')
    if [ "$a" = "$f" ] && [ "$b" = "$c" ]; then ok; else
        not_ok "$w: found in [$a] with $b passages, want [$f] with $c"
    fi
done
[ -e "$IX/extracting" ] && not_ok "the crash marker is left after a complete run" || ok

# A writer killed while Xapian was creating the database leaves some of
# its tables and no iamglass: the next run must still index.
mkdir -p "$TMP/half"
: >"$TMP/half/postlist.glass"
: >"$TMP/half/termlist.glass"
echo 1 >"$TMP/half/ura.lock"
run_rc "$URA" index --quiet --index "$TMP/half" "$top_srcdir/corpora/html"
check "a run on a half-created index (stderr: $err)" "$rc" 0
check_contains "the half-created index holds the files" "$("$URA" stats --index "$TMP/half")" "(0 failed)"

echo "crash: $(($(date +%s) - start)) s"
finish crash
