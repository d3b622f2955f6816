#!/bin/sh
# hostile.sh — an indexing run over good documents mixed with hostile
# inputs and misbehaving plugins.  Each hostile file must fail (or be
# indexed) with its expected reason; the run goes on; every good document
# is indexed and found as in an index of the good documents alone; a
# second run leaves the failed files quarantined; a changed file leaves
# quarantine; --retry-failed tries them all again.  Then the same with
# --jobs 1 and --jobs 3, and in-process (--jobs 0) for the inputs that do
# not crash a process.
#
# Inputs:
#   good/     corpora/ and the plugins' golden samples (NAME.json beside)
#   samples/  the plugins' hostile samples (NAME.err beside: the reason
#             contains its first line): XXE (file and network), billion
#             laughs, zip bombs (ratio, lying sizes), overlapping,
#             duplicate and too many entries, deep nesting, huge
#             attributes, encrypted and damaged PDFs, empty files, ...
#   made/     made here: XXE and billion laughs in HTML, deep nesting, a
#             huge attribute, huge text, a term too long, invalid UTF-8,
#             text that grows under NFKC, empty PDF/DOCX/ODT
#   bad/      one file per misbehaving plugin (tests/badplugins/runtime.c)
#   a-filler/ 220 small good files walked first, so that commits run
#             while the workers that crash are replaced
. "$top_srcdir/tests/lib.sh"

ASAN=
ldd "$URA" 2>/dev/null | grep -q libasan && ASAN=1
# Under AddressSanitizer ASan's own handler would report a segfault (to
# a stderr the worker may not write) and exit; with it off the worker's
# handler sees the signal, as in a normal build.
if [ -n "$ASAN" ]; then
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0:handle_sigbus=0:handle_abort=0"
    export ASAN_OPTIONS
fi
T=$TMP/tree
mkdir -p "$T/good" "$T/samples" "$T/made" "$T/bad" "$TMP/plugins"
EXPECT=$TMP/expect # path<TAB>pattern of the reason ("indexed": no failure)

cp -R "$top_srcdir/corpora/html" "$T/good/corpora"
for f in "$top_srcdir"/corpora/html/*.html; do
    printf '%s\tindexed\n' "$T/good/corpora/${f##*/}" >>"$EXPECT"
done
for fmt in pdf docx odt html; do
    for f in "$top_srcdir/tests/plugins/$fmt"/*; do
        case $f in *.json | *.err) continue ;; esac
        base=${f%.*}
        name=$fmt-${f##*/}
        if [ -f "$base.err" ]; then
            cp "$f" "$T/samples/$name"
            printf '%s\t*%s*\n' "$T/samples/$name" "$(head -n 1 "$base.err")" >>"$EXPECT"
        elif [ -f "$base.json" ]; then
            cp "$f" "$T/good/$name"
            printf '%s\tindexed\n' "$T/good/$name" >>"$EXPECT"
        fi
    done
done

M=$T/made
printf '<!DOCTYPE html [\n<!ENTITY file SYSTEM "file:///etc/passwd">\n<!ENTITY net SYSTEM "http://127.0.0.1:9/ura-xxe-probe">\n]>\n<html><head><title>Entities</title></head><body><p>before &file; &net; after</p></body></html>\n' >"$M/xxe.html"
{
    printf '<!DOCTYPE html [\n<!ENTITY a "ha ha ha ha ha ha ha ha ha ha">\n'
    prev=a
    for e in b c d e f g h i j; do
        printf '<!ENTITY %s "&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;">\n' \
            $e $prev $prev $prev $prev $prev $prev $prev $prev $prev $prev
        prev=$e
    done
    printf ']>\n<html><body><p>laughs &j;</p></body></html>\n'
} >"$M/laughs.html"
awk 'BEGIN { printf "<html><body>"; for (i = 0; i < 100000; i++) printf "<div>"; printf "deep";
             for (i = 0; i < 100000; i++) printf "</div>"; print "</body></html>" }' >"$M/deep.html"
awk 'BEGIN { printf "<html><body><p title=\""; for (i = 0; i < 200000; i++) printf "attribute";
             print "\">huge attribute</p></body></html>" }' >"$M/attribute.html"
awk 'BEGIN { printf "<html><body><p>"; for (i = 0; i < 150000; i++) printf "tekst i madh %d ", i;
             print "</p></body></html>" }' >"$M/huge-text.html"
awk 'BEGIN { printf "<html><body><p>short "; for (i = 0; i < 100000; i++) printf "termtoolong";
             print " words</p></body></html>" }' >"$M/long-term.html"
printf '<html><head><meta charset="utf-8"></head><body><p>bad \377\376 bytes \300\200 and \355\240\200 surrogates</p></body></html>\n' >"$M/invalid-utf8.html"
# U+FDFA (3 bytes, 33 after NFKC) and U+FB03 (the ffi ligature)
awk 'BEGIN { printf "<html><body><p>"; for (i = 0; i < 100000; i++) printf "\357\267\272\357\254\203";
             print "</p></body></html>" }' >"$M/grows.html"
for f in xxe laughs deep attribute huge-text long-term invalid-utf8 grows; do
    printf '%s\tindexed\n' "$M/$f.html" >>"$EXPECT"
done
for f in empty.pdf empty.docx empty.odt; do
    : >"$M/$f"
    printf '%s\t*empty file*\n' "$M/$f" >>"$EXPECT"
done
NOCRASH=$TMP/expect-nocrash
cp "$EXPECT" "$NOCRASH"

# Small good files walked before the misbehaving plugins' (a-filler sorts
# before bad): the run commits every 100 files in a thread of its own, so
# the workers that crash below are replaced while a commit may be running.
mkdir -p "$T/a-filler"
awk -v d="$T/a-filler" 'BEGIN { for (i = 1; i <= 220; i++) {
    f = sprintf("%s/f%03d.html", d, i)
    printf "<html lang=\"en\"><body><h1>Notice %d</h1><p>The office of community affairs publishes notice %d.</p></body></html>\n", i, i > f
    close(f); printf "%s\tindexed\n", f } }' >>"$EXPECT"

# The misbehaving plugins and their files.  The memory limit cannot hold
# under AddressSanitizer (the worker then runs into the deadline or ASan's
# own out-of-memory abort instead).
for k in segv abort spin hang alloc flood exec net noend garbage write; do
    cp "$BADPLUGINS/bad-$k.so" "$TMP/plugins/" || not_ok "missing test plugin bad-$k.so"
    echo "for the $k plugin" >"$T/bad/x.$k"
done
{
    printf '%s\t%s\n' "$T/bad/x.segv" 'crash (SIGSEGV)'
    printf '%s\t%s\n' "$T/bad/x.abort" 'abort (SIGABRT)'
    printf '%s\t%s\n' "$T/bad/x.spin" 'cpu limit (*|timeout (wall *'
    printf '%s\t%s\n' "$T/bad/x.hang" 'timeout (wall 4 s)'
    if [ -n "$ASAN" ]; then
        # no address-space limit under ASan: allocating runs into the CPU
        # limit, the deadline or ASan's own allocator, whichever first
        printf '%s\t%s\n' "$T/bad/x.alloc" 'memory limit (*|abort (SIGABRT)|cpu limit (*|timeout (wall *'
    else
        printf '%s\t%s\n' "$T/bad/x.alloc" 'memory limit (256 MiB of address space)'
    fi
    if [ -n "$ASAN" ]; then # 64 MiB through the sink takes longer than the deadline
        printf '%s\t%s\n' "$T/bad/x.flood" 'output limit: *|cpu limit (*|timeout (wall *'
    else
        printf '%s\t%s\n' "$T/bad/x.flood" 'output limit: *'
    fi
    printf '%s\t%s\n' "$T/bad/x.exec" 'seccomp: forbidden system call * (execve)'
    printf '%s\t%s\n' "$T/bad/x.net" 'seccomp: forbidden system call * (socket)'
    printf '%s\t%s\n' "$T/bad/x.noend" 'no end event: *'
    printf '%s\t%s\n' "$T/bad/x.garbage" 'malformed frame: *'
    printf '%s\t%s\n' "$T/bad/x.write" 'create Operation not permitted, stderr Operation not permitted'
    # A worker taken over by its file sends a digest of its own making:
    # one that is not well-formed, or that names the indexer's own terms
    # (another file's passages, or its record), costs that file alone.
    d='malformed frame: digest:'
    printf '%s\t%s\n' "$T/bad/uid.forge" "$d term with a reserved prefix (\"Q0000*"
    printf '%s\t%s\n' "$T/bad/file.forge" "$d term with a reserved prefix (\"XP0000*"
    printf '%s\t%s\n' "$T/bad/format.forge" "$d term with a reserved prefix (\"XFpdf\")"
    printf '%s\t%s\n' "$T/bad/long.forge" "$d term length 300 over the limit 245"
    printf '%s\t%s\n' "$T/bad/count.forge" "$d passage count 2097152 over the limit 1048576"
    printf '%s\t%s\n' "$T/bad/order.forge" "$d terms not sorted or repeated"
    printf '%s\t%s\n' "$T/bad/utf8.forge" "$d text is not valid UTF-8 without NUL"
    printf '%s\t%s\n' "$T/bad/tail.forge" "$d bytes after the last passage"
    printf '%s\t%s\n' "$T/bad/part.forge" "$d unknown part"
} >>"$EXPECT"
cp "$BADPLUGINS/bad-forge.so" "$TMP/plugins/" || not_ok "missing test plugin bad-forge.so"
for k in uid file format long count order utf8 tail part; do
    echo "$k" >"$T/bad/$k.forge"
done
nbad=$(grep -vc '	indexed$' "$EXPECT")

LIMITS="--timeout 4 --cpu-limit 2 --memory-limit 256"

# check_reasons LABEL INDEX EXPECTFILE: every file's outcome as expected
check_reasons() {
    "$URA" stats --index "$2" --json >"$TMP/stats.json" 2>"$TMP/stats.err" ||
        { not_ok "$1: ura stats failed: $(cat "$TMP/stats.err")"; return; }
    "$JQ" -r '.failures[] | "\(.path)\t\(.reason)"' "$TMP/stats.json" >"$TMP/failures"
    while IFS='	' read -r path want; do
        got=$(awk -F '\t' -v p="$path" '$1 == p { print $2 }' "$TMP/failures")
        if [ "$want" = indexed ]; then
            check "$1: ${path#"$T"/} indexed" "$got" ""
            continue
        fi
        matched=
        # shellcheck disable=SC2254 # $pat is a pattern on purpose
        (
            IFS='|'
            for pat in $want; do
                case $got in $pat) exit 0 ;; esac
            done
            exit 1
        ) && matched=1
        if [ -n "$matched" ]; then ok; else not_ok "$1: ${path#"$T"/}: reason [$got], want [$want]"; fi
    done <"$2.expect"
}

# Searching: every good document is found as in an index of the good
# documents alone (same files for each judged query, and for words of the
# golden samples).
REF=$TMP/ref
"$URA" index -q --jobs 0 --index "$REF" "$T/good" 2>"$TMP/ref.err" ||
    not_ok "reference index of the good documents: $(cat "$TMP/ref.err")"
QUERIES=$TMP/queries
grep -v '^#' "$top_srcdir/tests/integration/judged.tsv" | cut -f 1 >"$QUERIES"
printf '%s\n' ligji zakon law neni član article komuna 'Републике' >>"$QUERIES"
check_search() {
    while IFS= read -r q; do
        a=$("$URA" search --json --limit 200 --index "$2" "$q" |
            "$JQ" -r --arg g "$T/good/" '[.hits[].path | select(startswith($g))] | sort | join(" ")')
        b=$("$URA" search --json --limit 200 --index "$REF" "$q" |
            "$JQ" -r '[.hits[].path] | sort | join(" ")')
        check "$1: files found for [$q]" "$a" "$b"
    done <"$QUERIES"
    n=$("$URA" search --json --index "$2" root | "$JQ" '[.hits[] | select(.path | endswith("xxe.html"))] | length')
    check "$1: nothing of /etc/passwd in xxe.html" "$n" 0
}

# run_index LABEL INDEX ARGS...: rc and summary of one run
run_index() {
    label=$1 ix=$2
    shift 2
    run_rc "$URA" index --index "$ix" "$@"
}

# One full round with N workers (searches compared with 2 only: the
# index does not depend on the number of workers, which the reasons and
# the unit of order, the file, already show).
round() {
    jobs=$1
    IX=$TMP/ix$jobs
    cp "$EXPECT" "$IX.expect"
    start=$(date +%s)
    URA_PLUGIN_PATH=$TMP/plugins run_index "jobs $jobs" "$IX" --jobs "$jobs" $LIMITS "$T"
    took=$(($(date +%s) - start))
    check "jobs $jobs: exit status (some files failed)" "$rc" 3
    check_contains "jobs $jobs: summary" "$err" " $nbad failed,"
    # A hanging plugin costs its deadline, not the run: the whole run
    # stays within a few deadlines however loaded the machine is.
    [ "$took" -lt 120 ] || not_ok "jobs $jobs: the run took $took s"
    check_reasons "jobs $jobs" "$IX"
    # reasons alone cannot show a file that was lost: the filler files,
    # written across several commits, must all be in the index
    n=$("$URA" search --json --limit 500 --index "$IX" publishes |
        "$JQ" --arg d "$T/a-filler/" '[.hits[] | select(.path | startswith($d))] | length')
    check "jobs $jobs: filler files found" "$n" 220
    [ "$jobs" -ne 2 ] || check_search "jobs $jobs" "$IX"
    [ -z "$(find "$T" -name '*.written')" ] || not_ok "jobs $jobs: a plugin created a file"

    # Quarantine: unchanged failed files are not tried again.
    URA_PLUGIN_PATH=$TMP/plugins run_index "jobs $jobs" "$IX" --jobs "$jobs" $LIMITS "$T"
    check "jobs $jobs, second run: exit status" "$rc" 0
    check_contains "jobs $jobs, second run" "$err" " 0 failed,"
    check_contains "jobs $jobs, second run" "$err" "$nbad files failed before and are unchanged"
    check_reasons "jobs $jobs, second run" "$IX"
}

round 2

# A file that changes leaves quarantine; --retry-failed retries them all.
IX=$TMP/ix2
printf '<html><body><p>now readable</p></body></html>\n' >"$M/empty.html.tmp"
mv "$M/empty.html.tmp" "$T/samples/html-empty.html"
sed "s|^$T/samples/html-empty.html	.*|$T/samples/html-empty.html	indexed|" "$EXPECT" >"$IX.expect"
URA_PLUGIN_PATH=$TMP/plugins run_index "changed" "$IX" --jobs 2 $LIMITS "$T"
check "a changed file: exit status" "$rc" 0
check_contains "a changed file: summary" "$err" "1 indexed"
check_reasons "a changed file" "$IX"
URA_PLUGIN_PATH=$TMP/plugins run_index "retry" "$IX" --jobs 2 --retry-failed $LIMITS "$T"
check "--retry-failed: exit status" "$rc" 3
check_contains "--retry-failed: summary" "$err" " $((nbad - 1)) failed,"
check_reasons "--retry-failed" "$IX"
: >"$T/samples/html-empty.html"

# `ura stats` lists the failures by reason.
run_rc "$URA" stats --index "$IX"
check_contains "stats by reason" "$out" "failed files, by reason:"
check_contains "stats by reason" "$out" "  1  crash (SIGSEGV)"
n=$("$JQ" '[.reasons[] | select(.reason == "empty file") | .count] | add' "$TMP/stats.json")
[ "$n" -ge 4 ] || not_ok "stats --json: $n files with reason 'empty file', want 4 or more"

round 1
round 3

# The CPU limit on its own (the rounds above may hit the wall clock
# first on a loaded machine).
mkdir -p "$TMP/spin"
cp "$T/bad/x.spin" "$TMP/spin/"
URA_PLUGIN_PATH=$TMP/plugins run_index "cpu" "$TMP/ixcpu" --jobs 1 --cpu-limit 1 --timeout 60 "$TMP/spin"
check "cpu limit: exit status" "$rc" 3
check_contains "cpu limit: reason" "$err" "x.spin: cpu limit (1 s)"

# In this process: the inputs that do not crash a process fail or pass
# the same way.
IX=$TMP/ix0
cp "$NOCRASH" "$IX.expect"
run_index "in-process" "$IX" --in-process "$T/good" "$T/samples" "$T/made"
check "in-process: exit status" "$rc" 3
check_reasons "in-process" "$IX"
check_search "in-process" "$IX"

finish hostile
