#!/bin/sh
# The command-line contract: help, version, exit statuses, one-line errors,
# incremental indexing (unchanged, touched, changed, removed, failed files).
. "$top_srcdir/tests/lib.sh"

# Help and version.
for c in index search extract plugins stats; do
    run_rc "$URA" "$c" --help
    check "ura $c --help exit status" "$rc" 0
    check_contains "ura $c --help" "$out" "Usage: ura $c"
done
run_rc "$URA" --help
check "ura --help" "$rc" 0
run_rc "$URA" --version
check_contains "ura --version" "$out" "ura "

# Usage errors: exit 1 with a message.
run_rc "$URA"
check "no command" "$rc" 1
run_rc "$URA" frobnicate
check "unknown command" "$rc" 1
check_contains "unknown command message" "$err" "unknown command 'frobnicate'"
run_rc "$URA" search --bogus x
check "unknown option" "$rc" 1
run_rc "$URA" search --limit lots x
check "bad --limit" "$rc" 1
check_contains "bad --limit message" "$err" "--limit must be a number"
run_rc "$URA" index
check "index without PATH" "$rc" 1
run_rc "$URA" index --index "$TMP/ix" "$TMP/does-not-exist"
check "index of a missing path" "$rc" 1
check_contains "missing path named" "$err" "$TMP/does-not-exist"

# Search without an index: runtime error, exit 2, one line.
run_rc "$URA" search --index "$TMP/none" Strpce
check "search without index" "$rc" 2
check "one-line error" "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1
check_contains "no index message" "$err" "$TMP/none"
run_rc "$URA" stats --index "$TMP/none"
check "stats without index" "$rc" 2

# A small tree to change.
D="$TMP/docs"
mkdir -p "$D/sub"
cp "$top_srcdir"/corpora/html/sq-*.html "$D/"
cp "$top_srcdir"/corpora/html/en-*.html "$D/sub/"
printf 'plain notes, no plugin reads this\n' >"$D/notes.txt"
mkdir -p "$D/.hidden" && cp "$top_srcdir"/corpora/html/en-*.html "$D/.hidden/"
nfiles=$(ls "$D"/*.html "$D"/sub/*.html | wc -l | tr -d ' ')
IX="$TMP/ix"

run_rc "$URA" index --index "$IX" "$D"
check "index exit status" "$rc" 0
check_contains "all indexed" "$err" "$nfiles indexed, 0 unchanged, 0 failed"
check_contains "unsupported counted" "$err" "1 not supported"

# Bad query syntax: exit 1, one clear line.
run_rc "$URA" search --index "$IX" '"unbalanced'
check "bad query exit status" "$rc" 1
check "bad query one line" "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1
run_rc "$URA" search --index "$IX" 'xyzzyplugh'
check "no hits is success" "$rc" 0

# Nothing changed: nothing re-indexed.
run_rc "$URA" index --index "$IX" "$D"
check_contains "unchanged run" "$err" "0 indexed, $nfiles unchanged"
# Touched, same content: still unchanged.
touch "$D"/sq-*.html
run_rc "$URA" index --index "$IX" "$D"
check_contains "touched files are unchanged" "$err" "0 indexed, $nfiles unchanged"

# A changed file is re-indexed, and its new words are found, old ones gone.
f=$(ls "$D"/sub/en-*.html | head -n 1)
sed 's/<\/body>/<p>zzfreshword appears here<\/p><\/body>/' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
run_rc "$URA" index --index "$IX" "$D"
check_contains "changed file re-indexed" "$err" "1 indexed, $((nfiles - 1)) unchanged"
run_rc "$URA" search --index "$IX" --json zzfreshword
check "new word found in changed file" "$(printf '%s' "$out" | "$JQ" -r '.hits[0].path')" "$(cd "$(dirname "$f")" && pwd -P)/$(basename "$f")"
check "changed file not duplicated" "$(printf '%s' "$out" | "$JQ" -r '.total')" 1

# A removed file is forgotten.
rm "$f"
run_rc "$URA" index --index "$IX" "$D"
check_contains "removed file forgotten" "$err" "1 removed"
run_rc "$URA" search --index "$IX" --json zzfreshword
check "removed file no longer found" "$(printf '%s' "$out" | "$JQ" -r '.total')" 0

# Indexing a sub-folder does not forget files elsewhere.
run_rc "$URA" index --index "$IX" "$D/sub"
check_contains "sub-folder run removes nothing" "$err" "0 removed"

# A failing file: named on stderr with its reason, exit 3, others indexed,
# skipped while unchanged, retried on request.
: >"$D/empty.html"
run_rc "$URA" index --index "$IX" "$D"
check "run with a failed file exits 3" "$rc" 3
check_contains "failed file named with reason" "$err" "$(cd "$D" && pwd -P)/empty.html: empty file"
run_rc "$URA" stats --index "$IX"
check_contains "stats lists the failure" "$out" "empty.html"
run_rc "$URA" index --index "$IX" "$D"
check "unchanged failed file is not retried" "$rc" 0
check_contains "still-failed note" "$err" "1 files failed before"
run_rc "$URA" index --index "$IX" --retry-failed "$D"
check "retried failed file fails again" "$rc" 3

# A file that cannot be read now (here: replaced by a FIFO) keeps what the
# index has of it, and the run says so.
g=$(ls "$D"/sq-*.html | head -n 1)
before=$("$URA" search --index "$IX" --json --limit 100 Shtërpcë | "$JQ" -r '.total')
mv "$g" "$g.away" && mkfifo "$g"
run_rc timeout 60 "$URA" index --index "$IX" "$D" "$g"
check "unreadable file: exit 3" "$rc" 3
check_contains "unreadable file named" "$err" "$(basename "$g"): not a regular file"
check "unreadable file: index keeps it" \
    "$("$URA" search --index "$IX" --json --limit 100 Shtërpcë | "$JQ" -r '.total')" "$before"
rm "$g" && mv "$g.away" "$g"

# A FIFO named like a document is refused, not waited on.
mkfifo "$TMP/pipe.html"
run_rc timeout 20 "$URA" extract "$TMP/pipe.html"
check "FIFO refused" "$rc" 2
check_contains "FIFO reason" "$err" "not a regular file"

# Without any plugin nothing is indexed, and nothing is forgotten.
n_before=$("$URA" stats --index "$IX" | awk '/^files/ {print $2}')
cp "$URA" "$TMP/ura-alone" # outside the build tree: no plugins found
run_rc env URA_PLUGIN_PATH= "$TMP/ura-alone" index --index "$IX" "$D"
check "index with no plugins exits 2" "$rc" 2
check_contains "no plugins message" "$err" "no format plugins loaded"
check "no file forgotten without plugins" "$("$URA" stats --index "$IX" | awk '/^files/ {print $2}')" "$n_before"

# Output that cannot be written is an error.
if [ -w /dev/full ]; then
    run_rc "$URA" search --index "$IX" --json Strpce
    "$URA" search --index "$IX" --json Strpce >/dev/full 2>"$TMP/err"
    check "write error exits 2" "$?" 2
fi

# JSON stays UTF-8 whatever the file name.
bad=$(printf '%s/bad\377name.html' "$D")
cp "$top_srcdir/corpora/html/en-law-03-L-047-rights-of-communities.html" "$bad"
"$URA" index --index "$IX" "$D" >/dev/null 2>&1
"$URA" search --index "$IX" --json --limit 100 'Consultative' >"$TMP/res"
check "JSON with a non-UTF-8 file name parses" "$("$JQ" -r '.total > 0' <"$TMP/res")" true
rm -f "$bad"

# Query words that start with '-' are not options.
run_rc "$URA" search --index "$IX" --json Strpce -lang:en
check "-lang:en is a query word" "$rc" 0

# stats
run_rc "$URA" stats --index "$IX"
check "stats exit status" "$rc" 0
check_contains "stats shows the analyser" "$out" "analyser"
check_contains "stats shows formats" "$out" "html"

# extract, text and JSON
run_rc "$URA" extract "$top_srcdir/corpora/html/tri-ligji-03-L-041-kufijte-administrative-te-komunave.html"
check "extract text" "$rc" 0
check_contains "extract shows a heading" "$out" "# "
run_rc "$URA" extract --json "$top_srcdir/corpora/html/tri-ligji-03-L-041-kufijte-administrative-te-komunave.html"
check "extract --json is JSON" "$(printf '%s' "$out" | "$JQ" -r '.plugin')" html
run_rc "$URA" extract "$TMP/nothing-here.html"
check "extract of a missing file" "$rc" 2
check_contains "missing file named" "$err" "$TMP/nothing-here.html"

# The default index comes from $URA_INDEX.
run_rc "$URA" index "$D/sub"
check "index into \$URA_INDEX" "$rc" 0
[ -d "$URA_INDEX" ] && ok || not_ok "URA_INDEX=$URA_INDEX not created"

finish cli
