# lib.sh — shared helpers for the shell tests (sourced).  The harness sets
# URA (the ura binary), JQ, BADPLUGINS and top_srcdir (Makefile.am).
set -u
: "${URA:?URA must name the ura binary (run through make check)}"
: "${top_srcdir:?top_srcdir must be set (run through make check)}"
JQ=${JQ:-jq}
if ! command -v "$JQ" >/dev/null 2>&1; then
    echo "jq is needed by the tests: apt-get install jq" >&2
    exit 99
fi
passed=0
failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ura-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export URA_INDEX="$TMP/default-index"   # never touch the user's own index
export HOME="$TMP/home"

ok() { passed=$((passed + 1)); }
not_ok() {
    failed=$((failed + 1))
    printf 'FAIL: %s\n' "$*" >&2
}
# check DESCRIPTION GOT WANT
check() {
    if [ "$2" = "$3" ]; then ok; else not_ok "$1: got [$2], want [$3]"; fi
}
# check_contains DESCRIPTION HAYSTACK NEEDLE
check_contains() {
    case "$2" in
    *"$3"*) ok ;;
    *) not_ok "$1: [$3] not found in: $2" ;;
    esac
}
# run_rc CMD...: runs, sets $out (stdout), $err (stderr) and $rc
run_rc() {
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
}
finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
