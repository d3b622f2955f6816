#!/bin/sh
# html-golden.sh — the HTML plugin against its golden files, then against
# hostile inputs made on the spot.
#
# Golden: each tests/plugins/html/NAME.html that has a NAME.json beside it
# must give exactly that JSON: `$URA extract --json` output without "path",
# keys sorted by `$JQ -S`; a file that fails must give
# {"error": "<message without the path>", "exit": <status>}.
# Hostile: deep nesting, huge attribute values, a tag with 200,000
# attributes, a text run over libxml2's 10 MB limit: each must end within
# 20 s with status ok or warn (exit 0) or a one-line error (exit 2).
#
# Environment (set by `make check`): URA, the ura binary; JQ, jq;
# top_srcdir, the source tree.  Regenerate one golden file with
#   $URA extract --json F.html | jq -S 'del(.path)' > F.json
# and read it before committing it.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${URA:=$top_srcdir/build/ura}"
: "${JQ:=jq}"
dir="$top_srcdir/tests/plugins/html"

if ! "$JQ" -n 1 >/dev/null 2>&1; then
    echo "html-golden: SKIP: jq not found (JQ='$JQ')"
    exit 77
fi
if [ ! -x "$URA" ]; then
    echo "html-golden: ERROR: ura binary not found (URA='$URA')"
    exit 99
fi

tmp=$(mktemp -d 2>/dev/null || { d="${TMPDIR:-/tmp}/html-golden.$$" && mkdir "$d" && echo "$d"; }) ||
    exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 20"
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1: $2"; }

# extract FILE: write the normalised result of `ura extract --json FILE`
# to $tmp/got and its exit status to $rc.
extract() {
    $limit "$URA" extract --json "$1" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        "$JQ" -S 'del(.path)' <"$tmp/out" >"$tmp/got" 2>&1
    else
        msg=$(sed -n 1p "$tmp/err")
        msg=${msg#ura: }
        msg=${msg#"$1": }
        "$JQ" -n -S --arg e "$msg" --argjson x "$rc" '{error: $e, exit: $x}' >"$tmp/got"
    fi
}

# ---- golden files
for html in "$dir"/*.html; do
    want=${html%.html}.json
    name=$(basename "$html")
    [ -f "$want" ] || continue
    extract "$html"
    if diff -u "$want" "$tmp/got" >"$tmp/diff"; then
        pass "$name"
    else
        fail "$name" "output differs from $(basename "$want") (- expected, + got):"
        cat "$tmp/diff"
    fi
done

# ---- hostile inputs, made here so that none is kept in the tree
gen() { # NAME AWK-PROGRAM: write $tmp/NAME.html
    awk "BEGIN { $2 }" </dev/null >"$tmp/$1.html"
}
big() { # N MiB of the letter x, no newline
    dd if=/dev/zero bs=1048576 count="$1" 2>/dev/null | tr '\0' x
}

gen deep-div 'n = 200000; printf "<html><body>";
    for (i = 0; i < n; i++) printf "<div>"; printf "Neni 1";
    for (i = 0; i < n; i++) printf "</div>"; printf "<p>pas</p></body></html>"'
gen deep-lang 'n = 200000; printf "<html><body>";
    for (i = 0; i < n; i++) printf "<div lang=\"sq\"><p>tekst ";
    printf "</body></html>"'
gen deep-list 'n = 50000; printf "<html><body>";
    for (i = 0; i < n; i++) printf "<ul><li>a<table><tr><td>b";
    printf "</body></html>"'
gen deep-close 'printf "<html><body><p>";
    for (i = 0; i < 250; i++) printf "<span>"; printf "x";
    for (i = 0; i < 500000; i++) printf "</b>"; printf "</p></body></html>"'
gen many-attrs 'printf "<html><body><p";
    for (i = 0; i < 200000; i++) printf " a%d=\"v\"", i;
    printf " lang=\"sq\">tekst</p></body></html>"'
gen long-text 'printf "<html><body><p>";
    for (i = 0; i < 1200000; i++) printf "abcdefghi ";
    printf "</p><p>pas</p></body></html>"'
{ printf '<html><body><p lang="'; big 50; printf '">tekst</p><p>pas</p></body></html>'; } \
    >"$tmp/huge-lang.html"
{ printf '<html><head><meta name="description" content="'; big 50
  printf '"></head><body><p>pas</p></body></html>'; } >"$tmp/huge-content.html"

for name in deep-div deep-lang deep-list deep-close many-attrs long-text huge-lang \
    huge-content; do
    extract "$tmp/$name.html"
    lines=$(wc -l <"$tmp/err")
    case $rc in
    0)
        status=$("$JQ" -r .status <"$tmp/got" 2>/dev/null)
        case $status in
        ok | warn) pass "$name (status $status)" ;;
        *) fail "$name" "exit 0 but status '$status'" ;;
        esac
        ;;
    2)
        if [ "$lines" -eq 1 ]; then
            pass "$name (error: $("$JQ" -r .error <"$tmp/got"))"
        else
            fail "$name" "exit 2 with $lines lines on stderr"
            cat "$tmp/err"
        fi
        ;;
    124) fail "$name" "still running after 20 s" ;;
    *)
        fail "$name" "exit status $rc"
        head -5 "$tmp/err"
        ;;
    esac
done

echo "html-golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
