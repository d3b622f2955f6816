#!/bin/sh
# Integration: `ura search --format csl-json|bibtex|ris` on the indexed
# corpora/.  Each export is read back by a tool that is not ura: the
# CSL-JSON is validated against csl-data.schema.json (python3-jsonschema),
# the BibTeX is parsed by pandoc and must give the same items, and the RIS
# is walked by awk (records TY … ER, tag lines, required tags, CR LF).
# Until every act is segmented some hits have no law or article: this
# checks validity and round trips, not particular articles (the unit test
# export-test checks the exact text).
. "$top_srcdir/tests/lib.sh"

SCHEMA="$top_srcdir/tests/integration/csl-data.schema.json"

# Debian's python3-jsonschema is for /usr/bin/python3; another python3
# first in PATH may have its own.  The library's validate() is used, not
# the `jsonschema` command, which newer releases deprecate.
PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import jsonschema' >/dev/null 2>&1; then
        PY=$p
        break
    fi
done
if [ -z "$PY" ] || ! command -v pandoc >/dev/null 2>&1; then
    echo "export.sh needs python3-jsonschema and pandoc: run scripts/deps" >&2
    exit 99
fi

# validate FILE: prints the schema errors, fails when there are any.
validate() {
    "$PY" - "$SCHEMA" "$1" <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
data = json.load(open(sys.argv[2], encoding="utf-8"))
errors = list(jsonschema.Draft7Validator(schema).iter_errors(data))
for e in errors:
    print("%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message))
sys.exit(1 if errors else 0)
EOF
}

# ris_check FILE: checks every line and record; prints ID TAB TI TAB
# number (M1 or SN) per record on stdout, what is wrong on stderr.
ris_check() {
    awk '
    function fail(msg) { printf "line %d: %s\n", NR, msg > "/dev/stderr"; bad = 1 }
    BEGIN { inrec = 0; n = 0; bad = 0 }
    {
        if (substr($0, length($0)) != "\r") fail("line does not end in CR LF")
        sub(/\r$/, "")
        if ($0 == "") {
            if (inrec) fail("blank line inside a record")
            next
        }
        if ($0 !~ /^[A-Z][A-Z0-9]  - /) { fail("not a tag line: " $0); next }
        tag = substr($0, 1, 2)
        val = substr($0, 7)
        if (tag == "TY") {
            if (inrec) fail("TY before the last record ended")
            if (val !~ /^(STAT|RPRT|GEN)$/) fail("unknown type " val)
            inrec = 1
            n++
            split("", seen)
            id = ""; ti = ""; num = ""
        } else if (!inrec) {
            fail(tag " outside a record")
        } else if (tag == "ER") {
            if (val != "") fail("ER with a value")
            if (!("ID" in seen)) fail("record " n " has no ID")
            if (!("TI" in seen)) fail("record " n " has no TI")
            printf "%s\t%s\t%s\n", id, ti, num
            inrec = 0
        } else {
            if (val == "" || val ~ /^ | $/) fail(tag " with an empty or unclean value")
            if (tag in seen) fail(tag " twice in record " n)
        }
        seen[tag] = 1
        if (tag == "ID") id = val
        if (tag == "TI") ti = val
        if (tag == "M1" || tag == "SN") num = val
    }
    END {
        if (inrec) { printf "the last record has no ER\n" > "/dev/stderr"; bad = 1 }
        exit bad
    }' "$1"
}

run_rc "$URA" index --index "$TMP/index" "$top_srcdir/corpora"
check "index exit status (stderr: $err)" "$rc" 0

# Queries across the languages and kinds of act.
for q in komuna Strpce Штрпце 03/L-047 opstina communities 'zajednica OR заједница'; do
    "$URA" search --index "$TMP/index" --passages --limit 1000 --json -- "$q" >"$TMP/hits.json" 2>"$TMP/err" ||
        not_ok "[$q] json: $(cat "$TMP/err")"
    nhits=$("$JQ" '.hits | length' <"$TMP/hits.json")
    [ "$nhits" -gt 0 ] && ok || not_ok "[$q] finds nothing"

    for f in csl-json bibtex ris; do
        if ! "$URA" search --index "$TMP/index" --passages --limit 1000 --format "$f" -- "$q" \
            >"$TMP/out.$f" 2>"$TMP/err"; then
            not_ok "[$q] --format $f failed: $(cat "$TMP/err")"
            continue
        fi
        check "[$q] --format $f writes nothing to stderr" "$(cat "$TMP/err")" ""
    done

    # CSL-JSON: the schema, one item per hit, unique ids, the hits' fields.
    if validate "$TMP/out.csl-json" >"$TMP/verr" 2>&1; then
        ok
    else
        not_ok "[$q] CSL-JSON fails the schema:"
        head -n 20 "$TMP/verr" >&2
    fi
    csl="$TMP/out.csl-json"
    check "[$q] CSL items = hits" "$("$JQ" length <"$csl")" "$nhits"
    check "[$q] CSL ids unique" "$("$JQ" '[.[].id] | unique | length' <"$csl")" "$nhits"
    # The title is the act's, as the citation names it (the act line, or
    # the document's title when that line is only the act's number).
    check "[$q] CSL number = law, title = start of citation, page, language, year" \
        "$("$JQ" -c '[.[] | [.number, .title, (.page // null), .language, .issued["date-parts"][0][0]]]' <"$csl")" \
        "$("$JQ" -c --slurpfile csl "$csl" '[.hits | to_entries[] | .key as $i | .value | [.law,
            (if (.citation | startswith($csl[0][$i].title)) then $csl[0][$i].title else "citation \(.citation) does not start with it" end),
            (if .page then (.page | tostring) else null end),
            (if .lang then .lang | split("-") | .[0] + (.[1:] | map("-" + (.[0:1] | ascii_upcase) + .[1:]) | join("")) else null end),
            .year]]' <"$TMP/hits.json")"
    check "[$q] CSL section = article" \
        "$("$JQ" -c '[.[] | .section // null]' <"$csl")" \
        "$("$JQ" -c '[.hits[] | if .article then "art. " + .article + (if .paragraph then "(" + .paragraph + ")" else "" end) else null end]' <"$TMP/hits.json")"

    # BibTeX, as pandoc reads it, gives back the same items.  pandoc turns
    # ' into ’ (as TeX prints it): compare with those made one.
    norm='[.[] | {id, title: (.title | gsub("’"; "\u0027")), number, page,
                  year: .issued["date-parts"][0][0],
                  type: (if .type == "document" or .type == "" or .type == null then "misc" else .type end)}]
          | sort_by(.id)'
    if pandoc -f bibtex -t csljson "$TMP/out.bibtex" >"$TMP/pandoc.json" 2>"$TMP/err"; then
        check "[$q] pandoc reads the BibTeX silently" "$(cat "$TMP/err")" ""
        check "[$q] BibTeX through pandoc = CSL-JSON" \
            "$("$JQ" -c "$norm" <"$TMP/pandoc.json")" "$("$JQ" -c "$norm" <"$csl")"
    else
        not_ok "[$q] pandoc cannot read the BibTeX: $(cat "$TMP/err")"
    fi
    check "[$q] BibTeX entries = hits" "$(grep -c '^@' "$TMP/out.bibtex")" "$nhits"

    # RIS: well formed, and the same ids, titles and numbers.
    if ris_check "$TMP/out.ris" >"$TMP/ris.tsv" 2>"$TMP/err"; then
        ok
    else
        not_ok "[$q] RIS is malformed:"
        head -n 20 "$TMP/err" >&2
    fi
    check "[$q] RIS records = CSL items" \
        "$(cat "$TMP/ris.tsv")" "$("$JQ" -r '.[] | [.id, .title, (.number // "")] | @tsv' <"$csl")"
done

# Keys are stable: the same hits get the same keys with a smaller page.
"$URA" search --index "$TMP/index" --passages --limit 1000 --format csl-json komuna >"$TMP/all"
"$URA" search --index "$TMP/index" --passages --limit 5 --format csl-json komuna >"$TMP/five"
check "keys do not depend on --limit" "$("$JQ" -c '[.[].id]' <"$TMP/five")" \
    "$("$JQ" -c '[.[:5][].id]' <"$TMP/all")"

# At least one item of each script, and acts known as legislation.
"$URA" search --index "$TMP/index" --passages --limit 1000 --format csl-json \
    'zajednica OR заједница OR komuniteteve OR communities' >"$TMP/all"
for l in sq sr-Latn sr-Cyrl en; do
    check "an item in $l" "$("$JQ" --arg l "$l" '[.[] | select(.language == $l)] | length > 0' <"$TMP/all")" true
done
check "laws are legislation" \
    "$("$JQ" '[.[] | select(.number // "" | test("^[0-9]{2}/L-")) | .type == "legislation"] | all' <"$TMP/all")" true

# The options: json is --json, text is the default, others are refused.
check "--format json = --json" "$("$URA" search --index "$TMP/index" --format json Strpce)" \
    "$("$URA" search --index "$TMP/index" --json Strpce)"
check "--format text = default" "$("$URA" search --index "$TMP/index" --format text Strpce)" \
    "$("$URA" search --index "$TMP/index" Strpce)"
check "the last of --json and --format wins" \
    "$("$URA" search --index "$TMP/index" --json --format ris Strpce | head -n 1 | cut -c1-6)" "TY  - "
run_rc "$URA" search --index "$TMP/index" --format xml Strpce
check "--format xml exit status" "$rc" 1
check_contains "--format xml says what there is" "$err" "csl-json, bibtex or ris"

# No hits: an empty array, empty BibTeX and RIS, exit 0.
for f in csl-json bibtex ris; do
    run_rc "$URA" search --index "$TMP/index" --format "$f" zzzznothing
    check "no hits, $f: exit status" "$rc" 0
    case $f in
    csl-json) check "no hits, csl-json" "$out" "[]" ;;
    *) check "no hits, $f" "$out" "" ;;
    esac
done

finish export
