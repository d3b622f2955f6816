#!/bin/sh
# Web: a small, bounded load on loopback — 1,000 requests, 16 at a time,
# to /api/search (with facets), /api/doc, /api/cite and the page, through
# curl's own parallel transfers.  It asserts only that every request was
# answered 200 and that the server is well afterwards; the latencies
# (p50, p95, p99, max) and the rate are reported, never asserted (timing
# depends on the machine: see DESIGN.md, "Tests").
#   LOAD_REQUESTS (default 1000), LOAD_CONCURRENCY (default 16)
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/web/common.sh"

N=${LOAD_REQUESTS:-1000}
C=${LOAD_CONCURRENCY:-16}
case "$N$C" in *[!0-9]*) echo "LOAD_REQUESTS and LOAD_CONCURRENCY are numbers" >&2; exit 99 ;; esac
[ "$N" -le 100000 ] && [ "$C" -le 64 ] || { echo "at most 100000 requests, 64 at a time" >&2; exit 99; }

IX="$TMP/index"
web_index "$IX"
start_server "$IX" --max-connections 64
if ! "$CURL" --help all 2>/dev/null | grep -q -- '--parallel-max'; then
    echo "FAIL: this curl has no --parallel (curl 7.66 or later is needed)" >&2
    exit 1
fi

ID=$("$CURL" -s "$BASE/api/search?q=Strpce&limit=1" | "$JQ" -r '.hits[0].id')
set -- "api/search?q=Strpce&facets=1" "api/search?q=opstina+OR+komunave&passages=1&limit=20" \
    "api/search?q=%D0%A8%D1%82%D1%80%D0%BF%D1%86%D0%B5&lang=sr" "api/search?q=%2203%2FL-047%22" \
    "api/search?q=gjuh%C3%AB+zyrtare&facets=1&offset=0" "api/search?lang=sq&limit=50" \
    "api/doc?id=$ID" "api/cite?q=Strpce&limit=5" "api/health" "app.js" ""
nurls=$#

# A curl config: one url and one output per request, cycling the list.
i=0
: >"$TMP/load.cfg"
while [ $i -lt "$N" ]; do
    k=$((i % nurls + 1))
    eval "u=\${$k}"
    printf 'url = "%s/%s"\noutput = "/dev/null"\n' "$BASE" "$u" >>"$TMP/load.cfg"
    i=$((i + 1))
done

start=$(date +%s.%N)
"$CURL" -s --parallel --parallel-max "$C" --max-time 30 -K "$TMP/load.cfg" \
    -w '%{http_code} %{time_total}\n' >"$TMP/load.out" 2>"$TMP/load.err"
end=$(date +%s.%N)

total=$(wc -l <"$TMP/load.out" | tr -d ' ')
check "every request was answered" "$total" "$N"
bad=$(awk '$1 != "200"' "$TMP/load.out" | sort | uniq -c | head -n 5)
check "every answer was 200" "$bad" ""
sort -n -k2 "$TMP/load.out" | awk -v n="$total" -v t0="$start" -v t1="$end" -v c="$C" '
    { t[NR] = $2 }
    END {
        if (n == 0) exit
        printf "load: %d requests, %d at a time, %.1f s, %.0f requests/s; latency ms: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f\n",
            n, c, t1 - t0, n / (t1 - t0), t[int(n * 0.50 + 0.5)] * 1000, t[int(n * 0.95 + 0.5)] * 1000,
            t[int(n * 0.99 + 0.5)] * 1000, t[n] * 1000
    }'

fetch /api/health
check "the server is well after the load" "$code" 200
stop_server
check "and stops cleanly" "$server_rc" 0
finish web-load
