#!/bin/sh
# Web: `ura serve` over loopback — options and exit statuses, the JSON API
# (the same JSON as `ura search --json`), malformed and hostile requests
# (bad parameters, oversized queries, bad ids, wrong Host, other methods,
# bodies, path tricks), the headers every reply carries, /api/file, and
# the limits on connections and idle time.  Traffic goes to 127.0.0.1 only.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/web/common.sh"

root=$(cd "$top_srcdir" && pwd -P)
IX="$TMP/index"
web_index "$IX"

# ---- options and exit statuses
run_rc "$URA" serve --help
check "serve --help exit status" "$rc" 0
check_contains "serve --help" "$out" "Usage: ura serve"
for bad in "--bogus" "--port 70000" "--port -1" "--port x" "--bind example.org" \
    "--max-connections 0" "--timeout 0" "extra-argument"; do
    # shellcheck disable=SC2086
    run_rc "$URA" serve --index "$IX" $bad
    check "serve $bad exit status (stderr: $err)" "$rc" 1
done
run_rc "$URA" serve --index "$IX" --allow-host 'a b'
check "serve --allow-host 'a b' exit status" "$rc" 1
run_rc "$URA" serve --index "$TMP/none" --port 0
check "serve without an index exit status" "$rc" 2
check_contains "serve without an index names it" "$err" "$TMP/none"

start_server "$IX"
check_contains "listens on 127.0.0.1 by default" "$(head -n 1 "$SERVE_ERR")" "http://127.0.0.1:"

# ---- health and stats
fetch /api/health
check "health status" "$code" 200
check "health says ok" "$("$JQ" -r '.status' "$body")" ok
fetch /api/stats
check "stats status" "$code" 200
check "stats equal ura stats (files)" "$("$JQ" -r '.files' "$body")" \
    "$("$URA" stats --index "$IX" | sed -n 's/^files *\([0-9]*\).*/\1/p')"

# ---- /api/search returns what `ura search --json` prints
same_as_cli() { # DESCRIPTION URL-PATH CLI-ARGS...
    _d=$1 _u=$2
    shift 2
    fetch "$_u"
    "$URA" search --index "$IX" --json "$@" >"$TMP/cli.json" 2>"$TMP/cli.err"
    if [ "$code" = 200 ] && cmp -s "$body" "$TMP/cli.json"; then
        ok
    else
        not_ok "$_d: HTTP $code; API and CLI differ:"
        diff "$TMP/cli.json" "$body" | head -n 10 >&2
    fi
}
same_as_cli "search = CLI" "/api/search?q=Strpce" Strpce
same_as_cli "search with limit, offset, passages = CLI" \
    "/api/search?q=Strpce&limit=3&offset=2&passages=1" --limit 3 --offset 2 --passages Strpce
same_as_cli "%-escapes and + decode (Štrpce gjuhë)" \
    "/api/search?q=%C5%A0trpce+gjuh%C3%AB" "Štrpce gjuhë"
same_as_cli "Cyrillic query" "/api/search?q=%D0%A8%D1%82%D1%80%D0%BF%D1%86%D0%B5" "Штрпце"
same_as_cli "a filter parameter becomes a query term" \
    "/api/search?q=Strpce&lang=sr" "(Strpce) lang:sr"
same_as_cli "a dangling OR cannot take the filter" \
    "/api/search?q=Strpce+OR+opstina&lang=sq&passages=1" --passages "(Strpce OR opstina) lang:sq"

fetch "/api/search?q=Strpce&facets=1"
check "facets: the four fields" "$("$JQ" -r '.facets | keys | join(",")' "$body")" "format,lang,type,year"
check "facets: lang counts are numbers" "$("$JQ" -r '[.facets.lang[] | type == "number"] | all' "$body")" true
fetch "/api/search?q=Strpce"
check "no facets unless asked" "$("$JQ" -r 'has("facets")' "$body")" false
fetch "/api/search?lang=sq&limit=100"
check "a filter alone browses" "$code" 200
check "lang=sq gives Albanian only" "$("$JQ" -r '(.total > 0) and ([.hits[].lang == "sq"] | all)' "$body")" true
fetch "/api/search?q=Strpce&type=law&year=2008&passages=1&limit=100"
check "type and year filter" "$("$JQ" -r '(.total > 0) and ([.hits[] | .type == "law" and .year == 2008] | all)' "$body")" true
fetch "/api/search?q=Strpce&limit=1"
check "limit=1 gives one hit" "$("$JQ" -r '.hits | length' "$body")" 1
check "hits carry an id" "$("$JQ" -r '.hits[0].id | test("^[0-9a-f]{32}$")' "$body")" true
ID=$("$JQ" -r '.hits[0].id' "$body")
HITPATH=$("$JQ" -r '.hits[0].path' "$body")

# ---- bad requests: status, and a JSON error that says why
# 1024 bytes of query: 341 words "ab" and one "a"; in UTF-8, 204 words
# "šš" (5 bytes with the space) and one "šš".
q1024="$(printf 'ab+%.0s' $(seq 341))a"
q1025="${q1024}a"
s1024="$(printf '%%C5%%A1%%C5%%A1+%.0s' $(seq 204))%C5%A1%C5%A1"
expect() { # STATUS URL-PATH [CURL-ARGS...]
    _want=$1 _u=$2
    shift 2
    fetch "$_u" "$@"
    if [ "$code" != "$_want" ]; then
        not_ok "$_u: got HTTP $code, want $_want: $(head -c 300 "$body")"
    elif [ "$_want" -ge 400 ] && ! "$JQ" -e '.error | type == "string"' "$body" >/dev/null 2>&1; then
        not_ok "$_u: HTTP $code without a JSON error: $(head -c 300 "$body")"
    else
        ok
    fi
}
expect 400 "/api/search"
expect 400 "/api/search?q=%20%20"
expect 200 "/api/search?q=$q1024"
expect 200 "/api/search?q=$s1024"
expect 400 "/api/search?q=$q1025"
check_contains "an oversized query says so" "$(cat "$body")" "too long"
expect 400 "/api/search?q=$s1024%C5%A1"
for l in 0 101 abc -1 1e3 99999999999999999999999999 +5 " 5"; do
    expect 400 "/api/search?q=x&limit=$(printf '%s' "$l" | sed 's/ /%20/g; s/+/%2B/g')"
done
expect 200 "/api/search?q=x&limit=100&offset=10000"
expect 400 "/api/search?q=x&offset=10001"
expect 400 "/api/search?q=x&passages=maybe"
expect 400 "/api/search?q=x&facets=2"
for v in "a%20b" "x:y" "aaaaaaaaaaaaaaaaa" "sq%22" "%28sq" "s%2Aq"; do
    expect 400 "/api/search?q=x&lang=$v"
done
expect 400 "/api/search?q=x&year=20%2019"
expect 400 "/api/search?q=x&bogus=1"
check_contains "an unknown parameter is named" "$(cat "$body")" "bogus"
expect 400 "/api/search?q=x&q=y"
expect 400 "/api/search?q=%FF"
expect 400 "/api/search?q=%C0%AF"    # overlong '/'
expect 400 "/api/search?q=%ED%A0%80" # a UTF-16 surrogate
expect 400 "/api/search?q=a%00b"
expect 400 "/api/search?q=a+OR"
expect 400 "/api/search?q=$(printf '%040d' 0 | sed 's/0/(/g')x"
expect 400 "/api/search?q=foo:bar"

# ids: 32 lowercase hex digits, and known
for bad in "" "zz" "../../../../etc/passwd" "%2e%2e%2f%2e%2e%2fetc%2fpasswd" \
    "$(printf '%s' "$ID" | tr a-f A-F)" "${ID}0" "$(printf '%s' "$ID" | cut -c2-)" \
    "/etc/passwd" "$ID%00"; do
    for ep in doc file cite; do
        expect 400 "/api/$ep?id=$bad"
    done
done
for ep in doc file cite; do
    expect 404 "/api/$ep?id=00000000000000000000000000000000"
done
expect 400 "/api/file?path=/etc/passwd"

# ---- /api/doc: the file's passages in order
fetch "/api/doc?id=$ID"
check "doc status" "$code" 200
check "doc passages belong to the file" "$("$JQ" -r --arg p "$HITPATH" '[.hits[].path == $p] | all' "$body")" true
check "doc passages are ranked 1..n" "$("$JQ" -r '[.hits | to_entries[] | .value.rank == .key + 1] | all' "$body")" true
npass=$("$JQ" -r '.hits | length' "$body")
[ "$npass" -gt 1 ] && ok || not_ok "doc has $npass passages"

# ---- /api/cite: the engine's exports, for one passage, a file, or a search
fetch "/api/cite?id=$ID&passage=1&as=text"
check "cite text status" "$code" 200
check "cite text type" "$(header Content-Type)" "text/plain; charset=utf-8"
check "cite text = the passage's citation" "$(cat "$body")" \
    "$("$CURL" -s "$BASE/api/doc?id=$ID" | "$JQ" -r '.hits[0].citation')"
fetch "/api/cite?id=$ID&passage=1"
check "cite CSL status" "$code" 200
check "cite CSL type" "$(header Content-Type)" "application/vnd.citationstyles.csl+json; charset=utf-8"
check "cite CSL: one item with an id, a type and a title" \
    "$("$JQ" -r 'length == 1 and (.[0].id | length > 0) and (.[0].type | length > 0) and (.[0].title | length > 0)' "$body")" true
fetch "/api/cite?id=$ID"
check "cite of a whole file: one item a passage" "$("$JQ" -r 'length' "$body")" "$npass"
check "cite ids are unique" "$("$JQ" -r '[.[].id] | length == (unique | length)' "$body")" true
fetch "/api/cite?q=Strpce&limit=5&lang=sr"
check "cite of a search: its hits" "$("$JQ" -r 'length' "$body")" \
    "$("$CURL" -s "$BASE/api/search?q=Strpce&limit=5&lang=sr" | "$JQ" -r '.hits | length')"
fetch "/api/cite?q=Strpce&limit=3&as=text"
check "cite text: a line a hit" "$(wc -l <"$body" | tr -d ' ')" 3
fetch "/api/cite?q=Strpce&limit=3&as=bibtex"
check "cite BibTeX type" "$(header Content-Type)" "application/x-bibtex; charset=utf-8"
check "cite BibTeX: three entries" "$(grep -c '^@' "$body")" 3
fetch "/api/cite?q=Strpce&limit=3&as=ris"
check "cite RIS type" "$(header Content-Type)" "application/x-research-info-systems; charset=utf-8"
check "cite RIS: three records" "$(grep -c '^TY  - ' "$body")" 3
expect 400 "/api/cite?id=$ID&as=docx"
expect 400 "/api/cite?q=Strpce&facets=1"
expect 400 "/api/cite?id=$ID&q=Strpce"
expect 400 "/api/cite?passage=1"
expect 400 "/api/cite?id=$ID&passage=0"
expect 404 "/api/cite?id=$ID&passage=100000"
expect 400 "/api/cite"

# ---- /api/file: the indexed file, by id only.  An HTML hit, whichever
# document ranks first for Strpce in the corpus.
fetch "/api/search?q=Strpce+format%3Ahtml&limit=1"
check "an HTML hit for Strpce" "$("$JQ" -r '.hits[0].format' "$body")" html
HID=$("$JQ" -r '.hits[0].id' "$body")
HPATH=$("$JQ" -r '.hits[0].path' "$body")
fetch "/api/file?id=$HID"
check "file status" "$code" 200
check "file type" "$(header Content-Type)" "text/html"
if cmp -s "$body" "$HPATH"; then ok; else not_ok "/api/file body differs from $HPATH"; fi
check_contains "an indexed HTML file is sandboxed" "$(header Content-Security-Policy)" "sandbox"
check_contains "file disposition" "$(header Content-Disposition)" "inline; filename*=UTF-8''"

# A file that changed into something else after indexing is not served.
mkdir -p "$TMP/docs"
cp "$top_srcdir/corpora/html/en-law-03-L-047-rights-of-communities.html" "$TMP/docs/gone.html"
cp "$top_srcdir/corpora/html/en-law-03-L-047-rights-of-communities.html" "$TMP/docs/fifo.html"
IX2="$TMP/index2"
web_index "$IX2" "$TMP/docs"
id_of() { "$URA" search --index "$IX2" --json --limit 10 Communities | "$JQ" -r --arg p "$1" '.hits[] | select(.path | endswith($p)) | .id'; }
GONE=$(id_of /gone.html)
FIFO=$(id_of /fifo.html)
stop_server
check "SIGTERM stops the server with status 0" "$server_rc" 0
check_contains "it says it stops" "$(cat "$SERVE_ERR")" "stopping"
start_server "$IX2" --timeout 2 --max-connections 3
rm "$TMP/docs/gone.html"
rm "$TMP/docs/fifo.html"
mkfifo "$TMP/docs/fifo.html"
expect 404 "/api/file?id=$GONE"
expect 404 "/api/file?id=$FIFO" # and does not hang on the FIFO
expect 200 "/api/health"

# ---- methods, bodies, Host
for m in POST PUT DELETE OPTIONS PATCH; do
    fetch /api/search?q=x -X "$m"
    check "$m is refused" "$code" 405
    check "$m: Allow" "$(header Allow)" "GET, HEAD"
done
fetch /api/health -I
check "HEAD works" "$code" 200
fetch "/api/search?q=x" -X GET --data-binary 'body'
check "a GET with a body is refused" "$code" 413
for h in "evil.example" "evil.example:$PORT" "127.0.0.1:1" "localhost" "localhost.evil:$PORT" \
    "127.0.0.1:${PORT}0" "[::2]:$PORT" "127.0.0.1:$PORT:$PORT" "[::1:$PORT"; do
    fetch /api/health -H "Host: $h"
    check "Host: $h is refused" "$code" 421
done
for h in "localhost:$PORT" "LOCALHOST:$PORT" "127.0.0.1:$PORT" "[::1]:$PORT"; do
    fetch /api/health -H "Host: $h"
    check "Host: $h is accepted" "$code" 200
done
fetch /api/health --http1.0 -H "Host:"
check "no Host at all is refused" "$code" 400

# ---- the page: from memory, with the headers that keep it safe
for f in index.html app.js app.css i18n.js favicon.svg; do
    fetch "/$f"
    check "/$f status" "$code" 200
    if cmp -s "$body" "$top_srcdir/web/page/$f"; then ok; else not_ok "/$f differs from web/page/$f"; fi
done
fetch /
check "/ is the page" "$(header Content-Type)" "text/html; charset=utf-8"
csp=$(header Content-Security-Policy)
check_contains "CSP: scripts only from the server" "$csp" "script-src 'self'"
case "$csp" in *unsafe-inline* | *unsafe-eval*) not_ok "CSP allows inline script: $csp" ;; *) ok ;; esac
check "nosniff" "$(header X-Content-Type-Options)" nosniff
etag=$(header ETag)
fetch / -H "If-None-Match: $etag"
check "ETag gives 304" "$code" 304
fetch /app.js
check "JS type" "$(header Content-Type)" "text/javascript; charset=utf-8"
fetch "/api/search?q=x"
check_contains "API replies carry the CSP too" "$(header Content-Security-Policy)" "default-src 'none'"
check "API replies are not cached" "$(header Cache-Control)" "no-store"
for p in "/../../../../etc/passwd" "/%2e%2e/%2e%2e/%2e%2e/etc/passwd" "/index.html/../../etc/passwd" \
    "/..%2f..%2f..%2fetc%2fpasswd" "/web/page/app.js" "/tests/lib.sh" "//etc/passwd" "/api/../../etc/passwd"; do
    fetch "$p" --path-as-is
    check "$p is not served" "$code" 404
    if grep -q 'root:' "$body"; then not_ok "$p served /etc/passwd"; else ok; fi
done

# The page's sources: no inline script, no inline handlers, no HTML from
# strings (the CSP would block the first two anyway).
page="$top_srcdir/web/page"
if grep -Eiq '<script( [^>]*)?>[^<]' "$page/index.html" || grep -Eiq '<script>' "$page/index.html"; then
    not_ok "index.html has an inline script"
else ok; fi
if grep -Eiq '[[:space:]]on[a-z]+=' "$page/index.html"; then not_ok "index.html has an inline handler"; else ok; fi
if grep -Enq 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function' "$page/app.js" "$page/i18n.js"; then
    not_ok "the page's JS builds HTML from strings: $(grep -En 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function' "$page/app.js" "$page/i18n.js")"
else ok; fi

# ---- malformed requests and limits (raw sockets through bash)
raw() { # BYTES: send them on a new connection, print what comes back (5 s at most)
    timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 9; printf "%b" "$2" >&3; cat <&3' \
        raw "$PORT" "$1" 2>/dev/null | head -c 2000
}
out=$(raw 'GARBAGE\r\n\r\n')
case "$out" in "" | HTTP/1.?\ 400*) ok ;; *) not_ok "garbage request line: $out" ;; esac
out=$(raw 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:'"$PORT"'\r\nBad Header Without Colon\r\n\r\n')
case "$out" in "" | HTTP/1.?\ 400*) ok ;; *) not_ok "bad header line: $(printf '%s' "$out" | head -n 1)" ;; esac
out=$(raw 'GET /api/health HTTP/9.9\r\nHost: 127.0.0.1:'"$PORT"'\r\n\r\n')
case "$out" in "" | HTTP/1.?\ 4* | HTTP/1.?\ 505*) ok ;; *) not_ok "HTTP/9.9: $(printf '%s' "$out" | head -n 1)" ;; esac
big=$(printf '%040000d' 0)
fetch /api/health -H "X-Big: $big"
case "$code" in 431 | 413 | 400 | 000) ok ;; *) not_ok "a 40 KB header: HTTP $code" ;; esac
fetch "/api/search?q=$(printf '%0100000d' 0)"
case "$code" in 414 | 431 | 400 | 000) ok ;; *) not_ok "a 100 KB URL: HTTP $code" ;; esac
expect 200 "/api/health"

# Idle connections are closed after --timeout (2 s here).
start=$(date +%s)
out=$(timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && cat <&3' raw "$PORT" 2>/dev/null)
took=$(($(date +%s) - start))
[ "$took" -le 6 ] && ok || not_ok "an idle connection stayed open ${took}s (timeout 2 s)"

# At most --max-connections (3) at once: while three idle ones are open,
# a fourth waits unanswered (in the kernel's queue); once they close, it
# is served.  (The server's --timeout of 2 s would close them at 2 s.)
rm -f "$TMP/held"
timeout 8 bash -c 'for i in 3 4 5; do eval "exec $i<>/dev/tcp/127.0.0.1/$1"; done; : >"$2"; sleep 1.6' \
    raw "$PORT" "$TMP/held" &
holder=$!
i=0
while [ ! -e "$TMP/held" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
fetch /api/health -m 1
check "a connection over the limit gets no answer" "$code" 000
wait "$holder"
sleep 0.2
expect 200 "/api/health"

# A second server on the same port fails cleanly.
run_rc timeout 20 "$URA" serve --index "$IX" --port "$PORT"
check "a port in use: exit status 2 (stderr: $err)" "$rc" 2

stop_server
check "the server stops cleanly at the end" "$server_rc" 0
if cat "$TMP"/serve.*.err | grep -qiE 'AddressSanitizer|runtime error|LeakSanitizer'; then
    not_ok "sanitizer report: $(cat "$TMP"/serve.*.err | grep -iE 'AddressSanitizer|runtime error|LeakSanitizer' | head -n 3)"
else ok; fi
finish web-api
