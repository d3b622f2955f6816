#!/bin/sh
# `ura plugin-check`: every plugin that `ura plugins` loads from the build
# tree conforms, checked with its samples from tests/plugins/NAME/; the
# checker catches the plugins in tests/badplugins that misbehave on
# purpose; and the example plugin of docs/PLUGINS.md compiles from the page
# and conforms.
. "$top_srcdir/tests/lib.sh"

build=$(dirname "$URA")

# ---- the command line
run_rc "$URA" plugin-check --help
check "plugin-check --help exit status" "$rc" 0
check_contains "plugin-check --help" "$out" "Usage: ura plugin-check"
run_rc "$URA" plugin-check
check "plugin-check without PLUGIN" "$rc" 1
run_rc "$URA" plugin-check --timeout soon x.so
check "plugin-check --timeout soon" "$rc" 1
run_rc "$URA" plugin-check "$TMP/nothing-here.so"
check "plugin-check of a missing file" "$rc" 2
check_contains "missing plugin refused" "$out" "FAIL load $TMP/nothing-here.so: refused: not a loadable shared object"
check_contains "missing plugin summary" "$out" "does not conform"

# ---- every plugin the build tree has: loaded ones must conform
run_rc env URA_PLUGIN_PATH= "$URA" plugins
plugins_out=$out
# "NAME<tab>FILE" for each loaded plugin
loaded=$(printf '%s\n' "$plugins_out" |
    awk '$1 == "refused" { getline; next } /^ / { sub(/^ +/, ""); print name "\t" $0; next } { name = $1 }')
nchecked=0
for so in "$build"/plugins/.libs/*.so; do
    [ -e "$so" ] || continue
    name=$(printf '%s\n' "$loaded" | awk -F '\t' -v f="$so" '$2 == f { print $1; exit }')
    if [ -z "$name" ]; then
        why=$(printf '%s\n' "$plugins_out" |
            awk -v f="$so" '$1 == "refused" && $2 == f { getline; sub(/^ +/, ""); print; exit }')
        echo "note: $(basename "$so") not checked: \`ura plugins\` refuses it: ${why:-not listed}"
        continue
    fi
    samples=
    for f in "$top_srcdir/tests/plugins/$name"/*; do
        case $f in *.json | *.err | */\*) continue ;; esac
        [ -f "$f" ] && samples="$samples $f"
    done
    [ -n "$samples" ] || echo "note: no samples in tests/plugins/$name: $name checked on garbage only"
    # shellcheck disable=SC2086 # sample paths have no spaces
    run_rc "$URA" plugin-check --quiet "$so" $samples
    printf '%s\n' "$out"
    if [ "$rc" -eq 0 ]; then
        ok
    else
        not_ok "plugin '$name' ($so) does not conform (exit $rc): see the FAIL lines above${err:+; stderr: $err}"
    fi
    nchecked=$((nchecked + 1))
done
[ "$nchecked" -gt 0 ] || not_ok "no plugin of the build tree is loaded: $plugins_out"

# ---- plugins the loader refuses: the refusal is the failure
refusal() { # FILE REASON
    run_rc "$URA" plugin-check "$BADPLUGINS/$1.so"
    check "plugin-check $1 exit status" "$rc" 2
    check_contains "plugin-check $1" "$out" "FAIL load $BADPLUGINS/$1.so: refused: $2"
}
refusal newer-abi "built for plugin ABI 2, newer than this ura's ABI 1"
refusal too-small "descriptor too small: 16 bytes"
refusal no-entry "not a ura plugin: it exports no ura_plugin_entry()"
refusal null-entry "ura_plugin_entry() returned no descriptor"

# ---- a plugin that breaks the event rules
printf 'URAUNBAL\nsample\n' >"$TMP/sample.unbalanced"
printf 'OPEN\n' >"$TMP/open.unbalanced"
run_rc "$URA" plugin-check "$BADPLUGINS/unbalanced.so" "$TMP/sample.unbalanced" "$TMP/open.unbalanced"
check "plugin-check unbalanced exit status" "$rc" 2
u="FAIL extract $TMP/sample.unbalanced: "
check_contains "unbalanced: end() not matching" "$out" "${u}event 10: end(paragraph) does not match begin(heading)"
check_contains "unbalanced: invalid UTF-8 text" "$out" "${u}event 4: text is not valid UTF-8 (1 byte replaced by U+FFFD), at byte 3: \"caf\\xe9 au lait\""
check_contains "unbalanced: invalid UTF-8 metadata" "$out" "${u}event 1: metadata \"title\" is not valid UTF-8"
check_contains "unbalanced: pages backwards" "$out" "${u}event 7: pages go backwards: page 1 after page 2"
check_contains "unbalanced: events after stop" "$out" "${u}event 11: begin() called after the sink returned EFILE at event 10"
check_contains "unbalanced: wrong return code" "$out" "${u}returned OK after the sink returned EFILE at event 10"
check_contains "unbalanced: nodes left open" "$out" "FAIL extract $TMP/open.unbalanced: returned OK with 2 nodes open (section, paragraph)"
check_contains "unbalanced: garbage checked too" "$out" "FAIL extract garbage input 1 (empty): event 10: end(paragraph) does not match"
check_contains "unbalanced: summary" "$out" "unbalanced: "
check_contains "unbalanced: verdict" "$out" "does not conform"

# ---- a plugin that crashes, hangs, exits and returns nonsense
printf 'URACRASH\nhello\n' >"$TMP/good.uracrash"
printf 'EXIT now\n' >"$TMP/exit.uracrash"
run_rc "$URA" plugin-check --timeout 2 "$BADPLUGINS/crash.so" "$TMP/good.uracrash" "$TMP/exit.uracrash"
check "plugin-check crash exit status" "$rc" 2
check_contains "crash: its own sample is fine" "$out" "ok   extract $TMP/good.uracrash: OK: 3 events"
check_contains "crash: probe out of range" "$out" "FAIL probe 0 bytes: returned -1 for the first 0 bytes"
check_contains "crash: probe claims zeros" "$out" "warn probe 4 KiB of zero bytes: claims it (score 60)"
check_contains "crash: hang" "$out" "FAIL extract timed out on garbage input 1 (empty) after 2 s"
check_contains "crash: over-read" "$out" "FAIL extract crashed on garbage input 2 (64 KiB of zero bytes): "
check_contains "crash: no message" "$out" "FAIL extract garbage input 3 (16 random bytes): returned EFILE without a NUL-terminated message"
check_contains "crash: invalid code" "$out" "FAIL extract garbage input 4 (4 KiB of random bytes): returned 7, not a code of enum ura_rc"
check_contains "crash: exit()" "$out" "FAIL extract ended the process on $TMP/exit.uracrash with exit status 3"
check_contains "crash: repeats summed up" "$out" "more runs (not shown): returned 7"

# ---- the example of docs/PLUGINS.md, as printed there
CC=${CC:-cc}
awk '/<!-- plugin-example/ { f = 1; next } f && /^```c$/ { g = 1; next } g && /^```$/ { exit } g { print }' \
    "$top_srcdir/docs/PLUGINS.md" >"$TMP/markdown.c"
check "example found in docs/PLUGINS.md" "$(grep -c URA_PLUGIN_DECLARE "$TMP/markdown.c")" 1
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "note: the example of docs/PLUGINS.md not compiled: no C compiler ($CC)"
elif ! "$CC" -std=c99 -pedantic -Wall -Wextra -Werror -shared -fPIC -I"$top_srcdir/include" \
    "$TMP/markdown.c" -o "$TMP/markdown.so" 2>"$TMP/cc.err"; then
    not_ok "the example of docs/PLUGINS.md does not compile: $(cat "$TMP/cc.err")"
else
    ok
    printf '# Ligji për gjuhët\n\nNeni 1\nQëllimi i këtij ligji.\n\n## Neni 2\nTekst.\n' >"$TMP/law.md"
    run_rc "$URA" plugin-check --quiet "$TMP/markdown.so" "$TMP/law.md"
    printf '%s\n' "$out"
    check "docs example conforms (exit status)" "$rc" 0
    check_contains "docs example conforms" "$out" "markdown: "
    run_rc env URA_PLUGIN_PATH="$TMP" "$URA" extract --json "$TMP/law.md"
    check "docs example extract" "$rc" 0
    check "docs example events" "$(printf '%s' "$out" | "$JQ" -c '[.events[] | .begin // .text // empty]')" \
        '["heading","Ligji për gjuhët","paragraph","Neni 1\nQëllimi i këtij ligji.","heading","Neni 2","paragraph","Tekst."]'
    check "docs example title" "$(printf '%s' "$out" | "$JQ" -r .meta.title)" "Ligji për gjuhët"
    printf '\377\376 binary\n' >"$TMP/binary.md"
    run_rc env URA_PLUGIN_PATH="$TMP" "$URA" extract "$TMP/binary.md"
    check "docs example refuses binary" "$rc" 2
    check_contains "docs example says why" "$err" "$TMP/binary.md: not UTF-8 text"
fi

finish check
