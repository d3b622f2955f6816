#!/bin/sh
# golden.sh — every format plugin against its golden files, then against
# hostile inputs made on the spot, then the word order of text that
# LibreOffice exported.
#
# Golden: each tests/plugins/FMT/NAME.EXT (FMT is the plugin's name; any EXT
# but .json and .err) needs one expectation beside it:
#   NAME.json  `ura extract --json` prints exactly this, once the path is
#              removed and keys are sorted (`$JQ -S 'del(.path)'`), and
#              nothing on stderr but its own "ura: warning: FILE: " lines;
#   NAME.err   `ura extract` fails with exit status 2, its stderr is one
#              line, "ura: FILE: " and a reason that contains the first
#              line of NAME.err, within 256 MiB of
#              address space (not under the sanitizers).
# Make a golden file with
#   $URA extract --json F | jq -S 'del(.path)' > NAME.json
# and read it before committing it.  Every run has 30 s and must not crash.
# Hostile: deep nesting, huge attributes and text runs over libxml2's limits
# must end in time with status ok or warn, or with a one-line error.
# Word order: for tests/plugins/sources/NAME.txt, the words `ura extract`
# finds in pdf/NAME.pdf, docx/NAME.docx and odt/NAME.odt keep at least 99%
# of NAME.txt's words in order (tests/plugins/wordorder).
# A format whose plugin `ura plugins` does not load is skipped, and the
# test says so.
. "$top_srcdir/tests/lib.sh"

build=$(dirname "$URA")
ASAN=
ldd "$URA" 2>/dev/null | grep -q libasan && ASAN=1
WORDORDER=$build/tests/plugins/wordorder
LIMIT=
command -v timeout >/dev/null 2>&1 && LIMIT="timeout 30"
plugdir=$top_srcdir/tests/plugins
skipped=0

run_rc env URA_PLUGIN_PATH= "$URA" plugins
plugins_out=$out
# loaded NAME: whether `ura plugins` loads plugin NAME
loaded() {
    printf '%s\n' "$plugins_out" |
        awk -v n="$1" '$1 == "refused" { getline; next } /^ / { next } $1 == n { f = 1 } END { exit !f }'
}
skip() { # WHAT WHY
    skipped=$((skipped + 1))
    echo "SKIP: $1: $2"
}
# how FILE's run ended, when that is not an exit status of ura
died() { # RC
    case $1 in
    124) echo "still running after 30 s" ;;
    12[5-7]) echo "could not be run (exit status $1)" ;;
    *) echo "killed by signal $(($1 - 128))" ;;
    esac
}

# ---- golden files
for dir in "$plugdir"/*/; do
    fmt=$(basename "$dir")
    [ "$fmt" = sources ] && continue
    on=1
    loaded "$fmt" || on=0
    [ "$on" -eq 1 ] || skip "tests/plugins/$fmt" "plugin '$fmt' is not loaded (see \`ura plugins\`): its samples are not extracted"
    for f in "$dir"*; do
        [ -f "$f" ] || continue
        name=$(basename "$f")
        base=${f%.*}
        case $f in
        *.json | *.err)
            # an expectation must have its sample
            set -- "$base".*
            n=0
            for s in "$@"; do
                case $s in *.json | *.err) ;; *) [ -f "$s" ] && n=$((n + 1)) ;; esac
            done
            [ "$n" -gt 0 ] || not_ok "$fmt/$name: no sample $(basename "$base").* to go with it"
            continue
            ;;
        esac
        if [ -f "$base.json" ] && [ -f "$base.err" ]; then
            not_ok "$fmt/$name: both $(basename "$base").json and .err: keep one"
            continue
        elif [ -f "$base.json" ]; then
            [ "$on" -eq 1 ] || continue
            $LIMIT "$URA" extract --json "$f" >"$TMP/out" 2>"$TMP/err"
            rc=$?
            if [ "$rc" -ne 0 ]; then
                hint=
                "$JQ" -e 'has("error")' "$base.json" >/dev/null 2>&1 &&
                    hint=" (an expected failure goes in $(basename "$base").err)"
                if [ "$rc" -gt 2 ]; then
                    not_ok "$fmt/$name: $(died "$rc"): $(head -n 3 "$TMP/err")"
                else
                    not_ok "$fmt/$name: exit status $rc, want 0 and the output in $(basename "$base").json$hint: $(head -n 3 "$TMP/err")"
                fi
                continue
            fi
            # warnings only, each "ura: warning: FILE: reason": no line a
            # library printed by itself
            awk -v p="ura: warning: $f: " 'index($0, p) != 1' "$TMP/err" >"$TMP/stray"
            if [ -s "$TMP/stray" ]; then
                not_ok "$fmt/$name: stderr has lines that are not ura's warnings: $(head -n 3 "$TMP/stray" | tr '\n' '|')"
            else
                ok
            fi
            if ! "$JQ" -S 'del(.path)' <"$TMP/out" >"$TMP/got" 2>"$TMP/jq.err"; then
                not_ok "$fmt/$name: output is not JSON: $(cat "$TMP/jq.err")"
                continue
            fi
            if ! "$JQ" -S . <"$base.json" >"$TMP/want" 2>"$TMP/jq.err"; then
                not_ok "$fmt/$(basename "$base").json is not JSON: $(cat "$TMP/jq.err")"
                continue
            fi
            if diff -u "$TMP/want" "$TMP/got" >"$TMP/diff"; then
                ok
            else
                not_ok "$fmt/$name: output differs from $(basename "$base").json (- expected, + got):"
                cat "$TMP/diff" >&2
            fi
        elif [ -f "$base.err" ]; then
            [ "$on" -eq 1 ] || continue
            want=$(sed -n 1p "$base.err")
            # A file that must fail, fails within 256 MiB of address
            # space (more than its memory use); sanitizer builds reserve
            # terabytes of shadow memory, so there only the time is bounded.
            ( [ -z "$ASAN" ] && ulimit -v 262144
              exec $LIMIT "$URA" extract "$f" ) >/dev/null 2>"$TMP/err"
            rc=$?
            got=$(cat "$TMP/err")
            if [ -z "$want" ]; then
                not_ok "$fmt/$(basename "$base").err: its first line is empty"
            elif [ "$rc" -gt 2 ]; then
                not_ok "$fmt/$name: $(died "$rc"), want exit status 2 and [$want]: $got"
            elif [ "$rc" -ne 2 ]; then
                not_ok "$fmt/$name: exit status $rc, want 2 and [$want]: $got"
            else
                check_contains "$fmt/$name: error message" "$got" "$want"
                # the reason alone: no line a library printed by itself
                case $got in
                "ura: $f: "*) [ "$(printf '%s\n' "$got" | wc -l)" -eq 1 ] && ok ||
                    not_ok "$fmt/$name: stderr has more than the one-line reason: $got" ;;
                *) not_ok "$fmt/$name: stderr does not start with 'ura: $f: ': $got" ;;
                esac
            fi
        else
            not_ok "$fmt/$name: no expectation: add $(basename "$base").json (the expected output) or $(basename "$base").err (the expected error)"
        fi
    done
done

# ---- hostile HTML, made here so that none is kept in the tree
hostile() { # NAME: extract $TMP/NAME.html; ok or warn, or one error line
    name=$1
    $LIMIT "$URA" extract --json "$TMP/$name.html" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    lines=$(wc -l <"$TMP/err" | tr -d ' ')
    case $rc in
    0)
        status=$("$JQ" -r .status <"$TMP/out" 2>/dev/null)
        case $status in
        ok | warn) ok ;;
        *) not_ok "hostile $name: exit status 0 but status '$status'" ;;
        esac
        ;;
    2)
        if [ "$lines" -eq 1 ]; then ok; else not_ok "hostile $name: exit status 2 with $lines lines on stderr: $(head -n 5 "$TMP/err")"; fi
        ;;
    1) not_ok "hostile $name: exit status 1: $(head -n 5 "$TMP/err")" ;;
    *) not_ok "hostile $name: $(died "$rc"): $(head -n 5 "$TMP/err")" ;;
    esac
    rm -f "$TMP/$name.html"
}
gen() { # NAME AWK-PROGRAM: write $TMP/NAME.html
    awk "BEGIN { $2 }" </dev/null >"$TMP/$1.html"
}
big() { # N MiB of the letter x, no newline
    dd if=/dev/zero bs=1048576 count="$1" 2>/dev/null | tr '\0' x
}
if loaded html; then
    gen deep-div 'n = 200000; printf "<html><body>";
        for (i = 0; i < n; i++) printf "<div>"; printf "Neni 1";
        for (i = 0; i < n; i++) printf "</div>"; printf "<p>pas</p></body></html>"'
    hostile deep-div
    gen deep-lang 'n = 200000; printf "<html><body>";
        for (i = 0; i < n; i++) printf "<div lang=\"sq\"><p>tekst ";
        printf "</body></html>"'
    hostile deep-lang
    gen deep-list 'n = 50000; printf "<html><body>";
        for (i = 0; i < n; i++) printf "<ul><li>a<table><tr><td>b";
        printf "</body></html>"'
    hostile deep-list
    gen deep-close 'printf "<html><body><p>";
        for (i = 0; i < 250; i++) printf "<span>"; printf "x";
        for (i = 0; i < 500000; i++) printf "</b>"; printf "</p></body></html>"'
    hostile deep-close
    gen many-attrs 'printf "<html><body><p";
        for (i = 0; i < 200000; i++) printf " a%d=\"v\"", i;
        printf " lang=\"sq\">tekst</p></body></html>"'
    hostile many-attrs
    gen long-text 'printf "<html><body><p>";
        for (i = 0; i < 1200000; i++) printf "abcdefghi ";
        printf "</p><p>pas</p></body></html>"'
    hostile long-text
    { printf '<html><body><p lang="'; big 50; printf '">tekst</p><p>pas</p></body></html>'; } \
        >"$TMP/huge-lang.html"
    hostile huge-lang
    { printf '<html><head><meta name="description" content="'; big 50
      printf '"></head><body><p>pas</p></body></html>'; } >"$TMP/huge-content.html"
    hostile huge-content
else
    skip "hostile HTML" "plugin 'html' is not loaded"
fi

# ---- word order of the LibreOffice exports
if [ ! -x "$WORDORDER" ]; then
    not_ok "$WORDORDER is not built (make check builds it)"
else
    for src in "$plugdir"/sources/*.txt; do
        [ -f "$src" ] || continue
        name=$(basename "$src" .txt)
        n=0
        for fmt in pdf docx odt; do
            f=$plugdir/$fmt/$name.$fmt
            [ -f "$f" ] || continue
            n=$((n + 1))
            if ! loaded "$fmt"; then
                skip "word order of $fmt/$name.$fmt" "plugin '$fmt' is not loaded"
                continue
            fi
            $LIMIT "$URA" extract "$f" >"$TMP/text" 2>"$TMP/err"
            rc=$?
            if [ "$rc" -ne 0 ]; then
                not_ok "word order of $fmt/$name.$fmt: ura extract: exit status $rc: $(head -n 3 "$TMP/err")"
                continue
            fi
            if "$WORDORDER" "$src" "$TMP/text" 99 >"$TMP/wo" 2>&1; then
                ok
                echo "word order of $fmt/$name.$fmt: $(head -n 1 "$TMP/wo")"
            else
                not_ok "word order of $fmt/$name.$fmt against sources/$name.txt: $(cat "$TMP/wo")"
            fi
        done
        [ "$n" -gt 0 ] || not_ok "sources/$name.txt: no pdf/$name.pdf, docx/$name.docx or odt/$name.odt to check it against"
    done
fi

[ "$skipped" -eq 0 ] || echo "golden: $skipped skipped because their plugin is not loaded"
finish golden
