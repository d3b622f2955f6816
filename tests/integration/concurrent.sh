#!/bin/sh
# One writer, many readers (issue 6): while `ura index` runs on a big tree,
# searches in a loop all succeed with valid JSON, and a second `ura index`
# on the same index is refused with "locked by PID N" naming the running
# one (exit status 4); a lock file left by a killed writer blocks nothing.
. "$top_srcdir/tests/lib.sh"

C="$TMP/corpus"
IX="$TMP/index"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    mkdir -p "$C/c$i"
    cp "$top_srcdir"/corpora/html/*.html "$C/c$i/"
done
# How many files the writer must index: what was copied, not a fixed count.
nfiles=$(find "$C" -type f -name '*.html' | wc -l | tr -d ' ')
# A first small index, so that searches have something from the start.
run_rc "$URA" index --quiet --index "$IX" "$C/c1"
check "first index (stderr: $err)" "$rc" 0

# The writer, in a subshell that leaves its exit status in w.rc when done.
("$URA" index --quiet --index "$IX" "$C" >"$TMP/w.out" 2>"$TMP/w.err"; echo $? >"$TMP/w.rc") &
sub=$!
# Wait until the writer holds the lock (its PID is in the lock file).
w=0
writer=""
while [ "$w" -lt 500 ] && [ ! -f "$TMP/w.rc" ]; do
    writer=$(cat "$IX/ura.lock" 2>/dev/null)
    case "$writer" in '' | *[!0-9]*) ;; *) [ -e "/proc/$writer" ] && [ "$writer" != "$$" ] && break ;; esac
    sleep 0.02
    w=$((w + 1))
done
check_contains "the lock file names the running ura index" "$(tr '\0' ' ' <"/proc/$writer/cmdline" 2>/dev/null)" " index --quiet --index $IX $C"
run_rc "$URA" index --index "$IX" "$C/c1"
if [ ! -f "$TMP/w.rc" ]; then
    check "second writer exit status" "$rc" 4
    check_contains "second writer names the running one" "$err" \
        "ura: index $IX is locked by PID $writer (another ura index is running)"
else
    not_ok "the writer finished before the second writer tried: the corpus is too small"
fi

# Searches while the writer runs.
n=0
bad=0
while [ ! -f "$TMP/w.rc" ] || [ "$n" -lt 5 ]; do
    n=$((n + 1))
    if "$URA" search --index "$IX" --json --limit 5 'Strpce OR komuna' >"$TMP/s.out" 2>"$TMP/s.err" &&
        "$JQ" -e '.hits | type == "array"' <"$TMP/s.out" >/dev/null 2>&1; then
        :
    else
        bad=$((bad + 1))
        printf 'search %d: exit/JSON failure: %s\n' "$n" "$(head -c 300 "$TMP/s.err")" >&2
    fi
    [ "$n" -ge 1000 ] && break
done
wait "$sub"
wrc=$(cat "$TMP/w.rc")
check "the writer's exit status (stderr: $(cat "$TMP/w.err"))" "$wrc" 0
check "searches that failed while indexing ran (of $n)" "$bad" 0
echo "concurrent: $n searches while indexing"

# After the run: everything is there, and the lock is free again.
check_contains "all files indexed" "$("$URA" stats --index "$IX")" "files      $nfiles (0 failed)"
run_rc "$URA" index --index "$IX" "$C"
check "a writer after the first one finished (stderr: $err)" "$rc" 0

# A writer killed with SIGKILL leaves ura.lock with its PID: no matter.
"$URA" index --quiet --index "$TMP/ix2" "$C" >/dev/null 2>&1 &
pid=$!
w=0
while [ "$w" -lt 500 ] && [ "$(cat "$TMP/ix2/ura.lock" 2>/dev/null)" != "$pid" ]; do
    sleep 0.02
    w=$((w + 1))
done
kill -9 "$pid" 2>/dev/null
wait "$pid"
check "the killed writer's PID stays in the lock file" "$(cat "$TMP/ix2/ura.lock" 2>/dev/null)" "$pid"
run_rc "$URA" index --index "$TMP/ix2" "$C"
check "a writer after a killed one (stderr: $err)" "$rc" 0
run_rc "$URA" index --help
check_contains "--help documents exit status 4" "$out" "4 the index is locked by another \`ura index\`"

finish concurrent
