#!/bin/sh
# Loader tests: plugins found in $URA_PLUGIN_PATH and the build tree; broken
# ones refused with a reason that `ura plugins` shows.
. "$top_srcdir/tests/lib.sh"

# With no URA_PLUGIN_PATH, the build tree's plugins are found.
run_rc env URA_PLUGIN_PATH= "$URA" plugins
check "plugins exit status" "$rc" 0
check_contains "build-tree html plugin listed" "$out" "html "

# The broken plugins, a copy of a good one, and a file that is no plugin.
P="$TMP/plugins"
mkdir -p "$P/a" "$P/b"
for f in newer-abi too-small no-entry null-entry dup-name; do
    cp "$BADPLUGINS/$f.so" "$P/a/" || not_ok "missing test plugin $f.so"
done
cp "$BADPLUGINS/dup-name.so" "$P/b/dup-name-copy.so"
printf 'this is not an ELF file\n' >"$P/a/garbage.so"
: >"$P/a/empty.so"
printf 'not a .so: ignored\n' >"$P/a/README"

run_rc env URA_PLUGIN_PATH="$P/a:$P/b:/nonexistent" "$URA" plugins
check "plugins exit status with broken plugins" "$rc" 0
refused() {
    # the reason printed under "refused  FILE"
    printf '%s\n' "$out" | awk -v f="$1" '$1 == "refused" && $2 == f { getline; sub(/^ +/, ""); print; exit }'
}
check_contains "newer ABI refused" "$(refused "$P/a/newer-abi.so")" "built for plugin ABI 2, newer than this ura's ABI 1"
check_contains "small descriptor refused" "$(refused "$P/a/too-small.so")" "descriptor too small: 16 bytes"
check_contains "no entry point refused" "$(refused "$P/a/no-entry.so")" "not a ura plugin: it exports no ura_plugin_entry()"
check_contains "NULL descriptor refused" "$(refused "$P/a/null-entry.so")" "returned no descriptor"
check_contains "garbage refused" "$(refused "$P/a/garbage.so")" "not a loadable shared object"
check_contains "empty file refused" "$(refused "$P/a/empty.so")" "not a loadable shared object"
check_contains "duplicate name refused" "$(refused "$P/b/dup-name-copy.so")" "duplicate plugin name 'uratest': already loaded from $P/a/dup-name.so"
check_contains "good test plugin loaded" "$out" "uratest  1.0"
check_contains "html still loaded" "$out" "html "
case "$out" in *README*) not_ok "non-.so file considered: $out" ;; *) ok ;; esac

# The plugin from URA_PLUGIN_PATH is used for its files.
printf 'URATEST\nfirst line\nsecond line\n' >"$TMP/sample.uratest"
run_rc env URA_PLUGIN_PATH="$P/a" "$URA" extract --json "$TMP/sample.uratest"
check "extract with test plugin" "$rc" 0
check "test plugin paragraphs" "$(printf '%s' "$out" | "$JQ" -c '[.events[] | select(.text) | .text]')" '["URATEST","first line","second line"]'
check "plugin name in extract" "$(printf '%s' "$out" | "$JQ" -r .plugin)" uratest

# A file no plugin reads is a clean error naming it.
printf '\001\002\003binary' >"$TMP/blob.bin"
run_rc "$URA" extract "$TMP/blob.bin"
check "unsupported file exit status" "$rc" 2
check_contains "unsupported file message" "$err" "$TMP/blob.bin: no plugin reads this format"

finish loader
