#!/bin/sh
# Laws as laws, end to end: a search for a law number finds, in each citing
# document, the citing article with its page; `ura cites` and the cites:
# filter list the citing passages; twins link the languages of one
# article; citations name act, article, paragraph and page.
. "$top_srcdir/tests/lib.sh"

IX="$TMP/index"
run_rc "$URA" index --index "$IX" "$top_srcdir/corpora" \
    "$top_srcdir/tests/plugins/pdf/pdf-ligji-sq.pdf" \
    "$top_srcdir/tests/plugins/pdf/pdf-law-en.pdf" \
    "$top_srcdir/tests/plugins/pdf/pdf-zakon-sr.pdf"
check "index exit status ($err)" "$rc" 0

# A law number: each citing passage comes with its article and page.
"$URA" search --index "$IX" --json --passages --limit 200 'cites:02/L-37' >"$TMP/res"
check "cites:02/L-37 finds citing passages" "$("$JQ" -r '.total > 3' <"$TMP/res")" true
check "no act cites itself" \
    "$("$JQ" -r '[.hits[] | .law != "02/L-37"] | all' <"$TMP/res")" true
check "citing PDF passages carry their page" \
    "$("$JQ" -r '[.hits[] | select(.format == "pdf") | .page != null] | length > 0 and all' <"$TMP/res")" true
check "citing passages under articles carry the article" \
    "$("$JQ" -r '[.hits[] | select(.heading != null and (.heading | test("^(Neni|Article|Član|Члан) "))) | .article != null] | length > 0 and all' <"$TMP/res")" true

# ura cites says the same.
run_rc "$URA" cites --index "$IX" 02/Л-37
check "ura cites exit status" "$rc" 0
check_contains "ura cites names the Serbian law on local self-government" "$out" "Zakon br. 03/L-040"
check_contains "ura cites counts" "$out" "passages cite 02/Л-37"
run_rc "$URA" cites --index "$IX" --graph
check_contains "graph is DOT" "$out" "digraph cites {"
check_contains "graph edge 03/L-047 -> 02/L-37" "$out" '"03/L-047" -> "02/L-37"'
run_rc "$URA" cites --index "$IX" not-a-law
check "bad act number is a usage error" "$rc" 1

# Article, paragraph and page of the matching text in a PDF whose article
# runs over a page break.
"$URA" search --index "$IX" --json --passages 'dosjen taksë' >"$TMP/res"
check "hit in the second page of article 2" \
    "$("$JQ" -r '.hits[0] | "\(.law) \(.article) \(.paragraph) \(.page) \(.lang)"' <"$TMP/res")" \
    "03/L-047 2 2 2 sq"
check_contains "Albanian citation" "$("$JQ" -r '.hits[0].citation' <"$TMP/res")" ", neni 2, paragrafi 2, f. 2"

# Twins: the same article of a trilingual act in the other languages.
"$URA" search --index "$IX" --json --passages 'Municipality Štrpce lang:en' >"$TMP/res"
check "English article 3 has Albanian and Serbian twins" \
    "$("$JQ" -r '[.hits[] | select(.law == "03/L-041" and .article == "3") | .twins[] | "\(.lang):\(.article)"] | sort | join(" ")' <"$TMP/res")" \
    "sq:3 sr-latn:3"
# The kind of act from its title's first words, in each language.
mkdir "$TMP/statute"
printf '%s\n' '<!doctype html><html lang="sq"><meta charset="utf-8"><title>Statuti i Komunës së Rahovecit</title>' \
    '<h1>Statuti i Komunës së Rahovecit</h1><h2>Neni 1</h2><p>Komuna ka stemën e saj.</p></html>' \
    >"$TMP/statute/statuti.html"
run_rc "$URA" index --index "$IX" "$top_srcdir/corpora" \
    "$top_srcdir/tests/plugins/pdf/pdf-ligji-sq.pdf" \
    "$top_srcdir/tests/plugins/pdf/pdf-law-en.pdf" \
    "$top_srcdir/tests/plugins/pdf/pdf-zakon-sr.pdf" "$TMP/statute"
"$URA" search --index "$IX" --json --limit 100 'type:statute' >"$TMP/tw"
check "type:statute finds the statute and nothing else" \
    "$("$JQ" -r '[.hits[].path | sub(".*/"; "")] | join(" ")' <"$TMP/tw")" "statuti.html"

# Numbers of other acts repeat from issuer to issuer (the Gjilan regulation
# and the MAPL instruction are both 02/2021): their twins are in the same
# file only; an Assembly law's (03/L-047) are in any file.
"$URA" search --index "$IX" --json --passages 'Language Desk' >"$TMP/tw"
check "a municipal act has no twins in another issuer's act of the same number" \
    "$("$JQ" -r '[.hits[] | select(.law == "02/2021") | .twins | length] | unique | join(",")' <"$TMP/tw")" "0"
"$URA" search --index "$IX" --json --passages 'tabela dygjuhëshe lang:sq' >"$TMP/tw"
check "a trilingual instruction's article 4 has its English and Serbian twins in its file" \
    "$("$JQ" -r '[.hits[] | select(.law == "03/2022" and .article == "4") | .twins[] | "\(.lang):\(.article):\(.path == (.path | sub("tri-ua-mapl-03-2022"; "")) | not)"] | sort | join(" ")' <"$TMP/tw")" \
    "en:4:true sr-latn:4:true"
"$URA" search --index "$IX" --json --passages '03/L-047 lang:en' >"$TMP/tw"
check "an Assembly law's article has twins in other files" \
    "$("$JQ" -r '[.hits[] | select(.law == "03/L-047" and .article == "11") | .twins[] | .lang] | sort | join(" ")' <"$TMP/tw")" \
    "sq sr-cyrl"
check_contains "English citation" \
    "$("$JQ" -r '[.hits[] | select(.law == "03/L-041" and .article == "3")][0].citation' <"$TMP/res")" \
    "Law No. 03/L-041 on Administrative Municipal Boundaries, Article 3"

finish cites
