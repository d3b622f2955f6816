#!/bin/sh
# Web: the search page in headless Chromium, driven through ChromeDriver's
# WebDriver protocol with curl and jq (Debian packages chromium and
# chromium-driver; nothing is downloaded).  A person's path through the
# page: type a query and press Enter, see highlighted results, apply a
# facet, copy a citation as text and as CSL-JSON, page through results,
# switch the interface language, use the keyboard, read it at phone
# width; and a hostile document whose text is HTML stays text.
# Chromium missing is a failure, not a skip: CI installs it.
#   URA_SCREENSHOTS=DIR  also save desktop.png and phone.png there
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/web/common.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
CHROMEDRIVER=${CHROMEDRIVER:-chromedriver}
if [ ! -x "$CHROMIUM" ] || ! command -v "$CHROMEDRIVER" >/dev/null 2>&1; then
    echo "FAIL: the browser test needs $CHROMIUM and $CHROMEDRIVER:" \
        "apt-get install chromium chromium-driver (scripts/deps installs them)" >&2
    exit 1
fi

# A corpus with one hostile document: its title and text are HTML that
# would run script if the page ever put document text in as HTML.
mkdir -p "$TMP/hostile"
cat >"$TMP/hostile/xss.html" <<'EOF'
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>&lt;img src=x onerror="window.__pwned=1"&gt; zzxssprobe title</title></head>
<body><h1>Article 1 &lt;script&gt;window.__pwned=2&lt;/script&gt;</h1>
<p>zzxssprobe &lt;img src=x onerror="window.__pwned=3"&gt; &lt;b&gt;bold?&lt;/b&gt; text.</p>
</body></html>
EOF
IX="$TMP/index"
web_index "$IX" "$top_srcdir/corpora" "$TMP/hostile"
start_server "$IX"

# ---- ChromeDriver on a port it picks, on loopback
"$CHROMEDRIVER" --port=0 >"$TMP/wd.out" 2>&1 &
WD_PID=$!
WDPORT=""
i=0
while [ $i -lt 100 ] && [ -z "$WDPORT" ]; do
    WDPORT=$(sed -n 's/.*started successfully on port \([0-9][0-9]*\).*/\1/p' "$TMP/wd.out")
    [ -n "$WDPORT" ] || sleep 0.1
    i=$((i + 1))
done
if [ -z "$WDPORT" ]; then
    cat "$TMP/wd.out" >&2
    echo "FAIL: chromedriver did not start" >&2
    exit 1
fi
WD="http://127.0.0.1:$WDPORT"

wd() { # METHOD PATH [JSON]: the reply's .value, as compact JSON
    if [ $# -ge 3 ]; then
        "$CURL" -s -m 60 -X "$1" -H 'Content-Type: application/json' --data-binary "$3" "$WD$2"
    else
        "$CURL" -s -m 60 -X "$1" "$WD$2"
    fi >"$TMP/wd.json"
    "$JQ" -c '.value' "$TMP/wd.json" 2>/dev/null
}

caps=$("$JQ" -n --arg bin "$CHROMIUM" --arg ud "$TMP/chrome" '{capabilities: {alwaysMatch: {
    browserName: "chrome", "goog:loggingPrefs": {browser: "ALL"},
    "goog:chromeOptions": {binary: $bin, args: ["--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--disable-dev-shm-usage", "--window-size=1280,900", ("--user-data-dir=" + $ud)]}}}}')
S=$(wd POST /session "$caps" | "$JQ" -r '.sessionId // empty')
if [ -z "$S" ]; then
    echo "FAIL: no WebDriver session: $(head -c 500 "$TMP/wd.json")" >&2
    exit 1
fi
SS="/session/$S"

js() { # SCRIPT [ARGS-JSON]: run in the page, print the result as compact JSON
    wd POST "$SS/execute/sync" "$("$JQ" -n --arg s "$1" --argjson a "${2:-[]}" '{script: $s, args: $a}')"
}
js_raw() { # SCRIPT: the result as raw text
    js "$1" | "$JQ" -r '.'
}
# wait_for SCRIPT: until it returns true, 20 s at most; fails otherwise.
wait_for() {
    _n=0
    while [ $_n -lt 200 ]; do
        [ "$(js "$1")" = "true" ] && return 0
        sleep 0.1
        _n=$((_n + 1))
    done
    not_ok "timed out waiting for: $1"
    return 1
}
element() { # CSS: the element's WebDriver id
    wd POST "$SS/element" "$("$JQ" -n --arg c "$1" '{using: "css selector", value: $c}')" |
        "$JQ" -r '.["element-6066-11e4-a52e-4f735466cecf"] // empty'
}
click() { # CSS
    _e=$(element "$1")
    if [ -z "$_e" ]; then
        not_ok "no element $1 to click"
        return 1
    fi
    wd POST "$SS/element/$_e/click" '{}' >/dev/null
}
type_keys() { # CSS TEXT: type into the element, then press Enter
    _e=$(element "$1")
    wd POST "$SS/element/$_e/clear" '{}' >/dev/null
    wd POST "$SS/element/$_e/value" "$("$JQ" -n --arg t "$2" '{text: ($t + "\ue007")}')" >/dev/null
}
press() { # KEY: one key press on whatever has the focus
    wd POST "$SS/actions" "$("$JQ" -n --arg k "$1" '{actions: [{type: "key", id: "kb",
        actions: [{type: "keyDown", value: $k}, {type: "keyUp", value: $k}]}]}')" >/dev/null
}
clipboard() {
    wd POST "$SS/execute/async" '{"script": "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, (e) => done(\"ERROR \" + e));", "args": []}' |
        "$JQ" -r '.'
}
api() { # URL-PATH: GET from the server, the body
    "$CURL" -s -m 20 "$BASE$1"
}
hit_titles='return [...document.querySelectorAll("#hits .hit-title")].map((e) => e.textContent)'
screenshot() { # NAME
    [ -n "${URA_SCREENSHOTS:-}" ] || return 0
    mkdir -p "$URA_SCREENSHOTS"
    wd GET "$SS/screenshot" | "$JQ" -r '.' | base64 -d >"$URA_SCREENSHOTS/$1.png"
}

# Permissions are for the current origin: open the page first.
wd POST "$SS/url" "$("$JQ" -n --arg u "$BASE/" '{url: $u}')" >/dev/null
wd POST "$SS/permissions" '{"descriptor": {"name": "clipboard-read"}, "state": "granted"}' >/dev/null
wd POST "$SS/permissions" '{"descriptor": {"name": "clipboard-write"}, "state": "granted"}' >/dev/null

# ---- the start screen, and the interface text
wait_for 'return /[0-9]/.test(document.getElementById("status").textContent)'
check "every interface language has every key" \
    "$(js 'const T = window.URA_I18N.text, en = Object.keys(T.en).sort().join(); return Object.keys(T).filter((l) => Object.keys(T[l]).sort().join() !== en)')" "[]"

# ---- type a query and press Enter
type_keys "#q" "Strpce"
wait_for 'return document.querySelectorAll("#hits > li").length > 0'
api "/api/search?q=Strpce&limit=10&facets=1" >"$TMP/api.json"
check "the hits are the API's, in order" "$(js "$hit_titles")" "$("$JQ" -c '[.hits[] | (.act_title // .title)]' "$TMP/api.json")"
check "the address holds the query" "$(js_raw 'return location.search')" "?q=Strpce"
check "the status counts the hits" "$(js_raw 'return document.getElementById("status").textContent')" \
    "1–$("$JQ" '.hits | length' "$TMP/api.json") of $("$JQ" '.total' "$TMP/api.json")"
# Highlights are byte ranges into UTF-8: each <mark> must hold the whole
# matched word, in Latin or Cyrillic.
marks=$(js 'return [...document.querySelectorAll("#hits mark")].map((m) => m.textContent.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase())')
check "there are highlights" "$(printf '%s' "$marks" | "$JQ" 'length > 0')" true
check "each highlight is the word Štrpce (any script): $marks" \
    "$(printf '%s' "$marks" | "$JQ" '[.[] | test("^(strpce|штрпце|shterpce)$")] | all')" true
screenshot desktop

# ---- apply a facet: the first language not applied
value=$(js_raw 'const b = document.querySelector("[data-field=lang][aria-pressed=false]"); return b ? b.dataset.value : ""')
count=$(js_raw 'const b = document.querySelector("[data-field=lang][aria-pressed=false] .count"); return b ? b.textContent : ""')
[ -n "$value" ] && ok || not_ok "no language facet to apply"
click "[data-field=lang][data-value=\"$value\"]"
wait_for "return location.search.includes('lang=$value') && document.querySelector('[data-field=lang][data-value=\"$value\"]')?.getAttribute('aria-pressed') === 'true' && document.querySelectorAll('#hits > li').length > 0"
api "/api/search?q=Strpce&limit=10&lang=$value" >"$TMP/api-lang.json"
check "the facet's hits are the filtered API's" "$(js "$hit_titles")" "$("$JQ" -c '[.hits[] | (.act_title // .title)]' "$TMP/api-lang.json")"
# The count against the filtered documents themselves (all of them, at most 100, not
# .total of a 10-hit page: with file collapsing that is Xapian's estimate,
# which is not exact on the whole corpus).
check "the facet's count was the filtered number of files" "$count" \
    "$(api "/api/search?q=Strpce&limit=100&lang=$value" | "$JQ" '.hits | length')"
check "the focus stays on the facet" "$(js_raw 'return document.activeElement.dataset.value || document.activeElement.id')" "$value"
check "the filter shows as a chip" "$(js 'return document.querySelectorAll("#active-filters .chip").length')" 1

# ---- copy a citation, as text and as CSL-JSON
click "#hits > li:first-child .copy-text"
wait_for 'return document.getElementById("toast").classList.contains("show")'
check "copied citation = the hit's citation" "$(clipboard)" "$("$JQ" -r '.hits[0].citation' "$TMP/api-lang.json")"
click "#hits > li:first-child .copy-csl"
wait_for 'return document.getElementById("toast").textContent.includes("CSL")'
clipboard >"$TMP/csl-page.json"
api "/api/cite?q=Strpce&limit=1&lang=$value" >"$TMP/csl-api.json"
if "$JQ" -S . "$TMP/csl-page.json" >"$TMP/a" 2>/dev/null && "$JQ" -S . "$TMP/csl-api.json" >"$TMP/b" &&
    cmp -s "$TMP/a" "$TMP/b"; then
    ok
else
    not_ok "the page's CSL-JSON differs from /api/cite's: $(diff "$TMP/a" "$TMP/b" | head -n 10)"
fi
check "CSL-JSON type" "$("$JQ" -r '.[0].type' "$TMP/csl-page.json")" legislation

# ---- remove the filter with the keyboard: focus its chip, press Enter
js 'document.querySelector("#active-filters .chip").focus(); return true' >/dev/null
press "$(printf '\356\200\207')" # Enter (U+E007)
wait_for 'return !location.search.includes("lang=") && document.querySelectorAll("#active-filters .chip").length === 0'

# ---- every passage of the document
click "#hits > li:first-child .show-doc"
wait_for 'return document.querySelectorAll("#hits > li:first-child .doc-passages > li").length > 0'
first_id=$("$JQ" -r '.hits[0].id' "$TMP/api.json")
check "all passages = /api/doc" "$(js 'return document.querySelectorAll("#hits > li:first-child .doc-passages > li").length')" \
    "$(api "/api/doc?id=$first_id" | "$JQ" '.hits | length')"
check "the toggle says it is open" "$(js_raw 'return document.querySelector("#hits > li:first-child .show-doc").getAttribute("aria-expanded")')" true

# ---- pages
type_keys "#q" "komunave OR opstina OR Strpce OR communities"
wait_for 'return document.querySelector("#pager a[rel=next]") !== null'
click "#pager a[rel=next]"
wait_for 'return location.search.includes("page=2") && document.getElementById("hits").getAttribute("start") === "11"'
check "page 2 = the API at offset 10" "$(js "$hit_titles")" \
    "$(api "/api/search?q=komunave+OR+opstina+OR+Strpce+OR+communities&limit=10&offset=10" | "$JQ" -c '[.hits[] | (.act_title // .title)]')"
check "the current page is marked" "$(js_raw 'return document.querySelector("#pager [aria-current=page]").textContent')" 2
wd POST "$SS/back" '{}' >/dev/null
wait_for 'return !location.search.includes("page=") && document.getElementById("hits").getAttribute("start") === "1"'

# ---- the keyboard: "/" jumps to the box; Tab reaches the button
js 'document.activeElement.blur(); return true' >/dev/null
press "/"
check "/ focuses the search box" "$(js_raw 'return document.activeElement.id')" q
press "$(printf '\356\200\204')" # Tab (U+E004)
check "Tab from the box reaches Search" "$(js_raw 'return document.activeElement.type')" submit

# ---- the interface language
click '[data-lang="sq"]'
check "Albanian label" "$(js_raw 'return document.querySelector("label[for=q]").textContent')" "Kërko ligje dhe dokumente"
check "html lang follows" "$(js_raw 'return document.documentElement.lang')" sq
check "results stay" "$(js 'return document.querySelectorAll("#hits > li").length > 0')" true
click '[data-lang="sr-Cyrl"]'
check "Serbian Cyrillic label" "$(js_raw 'return document.querySelector("label[for=q]").textContent')" "Претражи законе и документе"
click '[data-lang="sr-Latn"]'
check "Serbian Latin button" "$(js_raw 'return document.querySelector("button[type=submit]").textContent')" "Traži"
click '[data-lang="en"]'
check "back to English" "$(js_raw 'return document.querySelector("button[type=submit]").textContent')" "Search"

# ---- a hostile document's HTML stays text
type_keys "#q" "zzxssprobe"
wait_for 'return document.querySelectorAll("#hits > li").length === 1'
check "the hostile title is shown as text" \
    "$(js 'return document.querySelector("#hits .hit-title").textContent.includes("<img src=x onerror=")')" true
check "no script ran" "$(js 'return typeof window.__pwned')" '"undefined"'
check "no element came from document text" "$(js 'return document.querySelectorAll("#hits img, #hits script, #hits b").length')" 0

# ---- an error is shown, not swallowed
type_keys "#q" "a OR"
wait_for 'return document.getElementById("status").textContent.includes("OR")'

# ---- phone width: one column, nothing wider than the screen
type_keys "#q" "Strpce"
wait_for 'return document.querySelectorAll("#hits > li").length > 0'
wd POST "$SS/window/rect" '{"width": 390, "height": 844}' >/dev/null
wait_for 'return window.innerWidth <= 400'
check "no sideways scrolling at phone width" \
    "$(js 'return document.documentElement.scrollWidth <= window.innerWidth')" true
check "the filters fold away" "$(js 'return getComputedStyle(document.querySelector(".layout")).gridTemplateColumns.split(" ").length')" 1
screenshot phone

# ---- the browser saw no errors (CSP violations would be here)
log=$(wd POST "$SS/se/log" '{"type": "browser"}')
errors=$(printf '%s' "$log" | "$JQ" -c '[.[]? | select(.level == "SEVERE") | .message | select(test("status of 400") | not)]')
check "no errors in the browser console" "$errors" "[]"

wd DELETE "$SS" >/dev/null
kill "$WD_PID" 2>/dev/null
wait "$WD_PID" 2>/dev/null
WD_PID=""
stop_server
check "the server stops cleanly" "$server_rc" 0
finish web-browser
