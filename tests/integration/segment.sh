#!/bin/sh
# Segmentation golden files: for each document in tests/segment/list, the
# passages `ura extract --passages` gives (act, article, pages, language,
# text) must equal tests/segment/<name>.json.  Regenerate one after a
# deliberate change with:
#   ura extract --passages FILE | jq -S 'del(.path)' > tests/segment/NAME.json
. "$top_srcdir/tests/lib.sh"

while read -r rel; do
    case "$rel" in '' | '#'*) continue ;; esac
    name=$(basename "$rel")
    want="$top_srcdir/tests/segment/$name.json"
    if [ ! -f "$want" ]; then
        not_ok "$rel: no golden file $want"
        continue
    fi
    if ! "$URA" extract --passages "$top_srcdir/$rel" >"$TMP/raw" 2>"$TMP/err"; then
        not_ok "$rel: ura extract --passages failed: $(cat "$TMP/err")"
        continue
    fi
    "$JQ" -S 'del(.path)' <"$TMP/raw" >"$TMP/got"
    if diff -u "$want" "$TMP/got" >"$TMP/diff"; then
        ok
    else
        not_ok "$rel: passages differ from $want:"
        head -n 40 "$TMP/diff" >&2
    fi
done <"$top_srcdir/tests/segment/list"

# What the goldens must show, checked directly too.
P="$TMP/p.json"
"$URA" extract --passages "$top_srcdir/tests/plugins/pdf/pdf-ligji-sq.pdf" >"$P"
check "a PDF article runs over a page break" \
    "$("$JQ" -r '[.passages[] | select(.article != null and .page_end > .page)] | length > 0' <"$P")" true
check "PDF act number" "$("$JQ" -r '[.passages[].law] | map(select(. != null)) | unique | join(",")' <"$P")" "03/L-047"
"$URA" extract --passages "$top_srcdir/corpora/html/tri-ligji-03-L-041-kufijte-administrative-te-komunave.html" >"$P"
check "trilingual act: article 3 in three languages" \
    "$("$JQ" -r '[.passages[] | select(.article == "3") | .lang] | join(",")' <"$P")" "sq,en,sr-latn"
check "trilingual act: each part has its own title" \
    "$("$JQ" -r '[.passages[] | select(.article == "1") | .act_title[0:9]] | join("|")' <"$P")" "Ligji Nr.|Law No. 0|Zakon br."

# Language per block.
"$URA" extract --passages "$top_srcdir/tests/segment/tri-vendim-shterpce-pa-tituj.pdf" >"$P"
check "a run-on trilingual decision is cut at each language change" \
    "$("$JQ" -r '[.passages[].lang] | join(",")' <"$P")" "sq,en,sr-cyrl"
check "the Albanian part keeps its article, the others do not claim it" \
    "$("$JQ" -r '[.passages[] | .article // "-"] | join(",")' <"$P")" "1,-,-"
"$URA" extract --passages "$top_srcdir/tests/segment/en-note-prizren-serbian-paragraph.html" >"$P"
check "a Serbian paragraph in an English page (lang=en) is its own Serbian passage" \
    "$("$JQ" -r '[.passages[].lang] | join(",")' <"$P")" "en,sr-latn,en"
"$URA" extract --passages "$top_srcdir/tests/plugins/pdf/pdf-zakon-sr.pdf" >"$P"
check "a Latin chapter in a Cyrillic act is sr-latn" \
    "$("$JQ" -r '[.passages[] | select(.heading == "POGLAVLJE II") | .lang] | join(",")' <"$P")" "sr-latn"

# Where an act starts (tests/segment/sources/tri-ligji-nenshkrime-dhe-referenca.txt).
"$URA" extract --passages "$top_srcdir/tests/segment/tri-ligji-nenshkrime-dhe-referenca.pdf" >"$P"
check "every passage, the title pages too, is in the act itself (not the amended act, not one a sentence names)" \
    "$("$JQ" -r '[.passages[].law] | unique | join(",")' <"$P")" "08/L-201"
check "each language part's title page and articles carry that part's own act line" \
    "$("$JQ" -r '[.passages[] | "\(.lang):\(.article // "-"):\(.act_title)"] | join("|")' <"$P")" \
    "sq:-:LIGJI Nr. 08/L-201|sq:-:LIGJI Nr. 08/L-201|sq:1:LIGJI Nr. 08/L-201|sq:2:LIGJI Nr. 08/L-201|sq:3:LIGJI Nr. 08/L-201|en:-:LAW No. 08/L-201|en:-:LAW No. 08/L-201|en:1:LAW No. 08/L-201|en:2:LAW No. 08/L-201|en:3:LAW No. 08/L-201|en:-:LAW No. 08/L-201"
check "a sentence starting with another act's number stays in its article's text" \
    "$("$JQ" -r '[.passages[] | select(.article == "2") | .text | test("^Law No. 02/L-37|\nLaw No. 02/L-37|\nLigji Nr. 02/L-37")] | join(",")' <"$P")" "true,true"
check "a signature line starting with the act word and number stays with the last article" \
    "$("$JQ" -r '[.passages[] | select(.article == "3") | .text | test("\n(Ligji Nr|Law No)\\. 08/L-201 / 15")] | join(",")' <"$P")" "true,true"
check "no passage ends on page 0 or before its first page" \
    "$("$JQ" -r '[.passages[] | select(.page_end == 0 or .page_end < .page)] | length' <"$P")" 0
check "what comes before each part's article 1 is its preamble and title page; the annex after the articles is neither" \
    "$("$JQ" -r '[.passages[] | select(.article == null) | "\(.lang):\(.part)"] | join(",")' <"$P")" \
    "sq:preamble,sq:title,en:preamble,en:title,en:null"

# A title page is its own passage; a sentence cut by a page break runs on.
"$URA" extract --passages "$top_srcdir/corpora/pdf/sr-latn-izvestaj-zvecan-kulturno-nasledje-2022.pdf" >"$P"
check "the first section of a report does not take the title page's lines as its heading" \
    "$("$JQ" -r '[.passages[0:2][] | "\(.page):\(.heading // "-")"] | join("|")' <"$P")" "1:-|2:1. UVOD"
check "the title page passage holds the title page's lines and the act" \
    "$("$JQ" -r '.passages[0] | "\(.law) \(.text | test("IZVEŠTAJ O STANJU KULTURNOG NASLEĐA"))"' <"$P")" "02/2023 true"
"$URA" extract --passages "$top_srcdir/corpora/pdf/sr-latn-zakon-03-L-068-obrazovanje-u-opstinama.pdf" >"$P"
check "a sentence a page break cuts runs on with a space, not a line break" \
    "$("$JQ" -r '[.passages[] | select(.page_end > .page and (.text | test("[a-zčćšžđ,]\n[a-zčćšžđ]")))] | length' <"$P")" 0
check "... and the article that runs over the page break is still one passage" \
    "$("$JQ" -r '[.passages[] | select(.article == "11") | "\(.page)-\(.page_end) \(.text | test("saveta za zajednice"))"] | join(",")' <"$P")" "4-5 true"

finish segment
