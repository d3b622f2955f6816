# common.sh — start and stop `ura serve` for the web tests (sourced after
# tests/lib.sh).  The server listens on 127.0.0.1 only, on a port the
# kernel picks (--port 0), and every loop here is bounded.
#   URA_WRAP   a command to run the server under (e.g. valgrind), or empty
CURL=${CURL:-curl}
if ! command -v "$CURL" >/dev/null 2>&1; then
    echo "curl is needed by the web tests: apt-get install curl" >&2
    exit 99
fi
URA_WRAP=${URA_WRAP:-}
SERVER_PID=""
trap 'stop_all; rm -rf "$TMP"' EXIT

# The corpus index every web test searches.
web_index() { # DIR [PATH...]
    _ix=$1
    shift
    [ $# -gt 0 ] || set -- "$top_srcdir/corpora"
    if ! "$URA" index --quiet --index "$_ix" "$@" 2>"$TMP/index.err"; then
        cat "$TMP/index.err" >&2
        echo "FAIL: could not index $*" >&2
        exit 1
    fi
}

# start_server INDEX [ARGS...]: sets SERVER_PID, PORT, BASE and SERVE_ERR
# (the server's stderr).  The port is read from the server's first line
# ("ura serve: http://127.0.0.1:N/"), in a file of this start's own: a
# reused file could still show an earlier server's port before the new
# process has truncated it.
SERVE_N=0
start_server() {
    _ix=$1
    shift
    SERVE_N=$((SERVE_N + 1))
    SERVE_ERR="$TMP/serve.$SERVE_N.err"
    : >"$SERVE_ERR"
    # shellcheck disable=SC2086
    $URA_WRAP "$URA" serve --index "$_ix" --port 0 "$@" 2>>"$SERVE_ERR" &
    SERVER_PID=$!
    PORT=""
    _i=0
    while [ $_i -lt 300 ]; do # 30 s at most (valgrind is slow to start)
        PORT=$(sed -n 's|^ura serve: http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$SERVE_ERR")
        [ -n "$PORT" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    if [ -z "$PORT" ]; then
        cat "$SERVE_ERR" >&2
        echo "FAIL: ura serve did not start" >&2
        exit 1
    fi
    BASE="http://127.0.0.1:$PORT"
}

# stop_server: SIGTERM, then wait (bounded); sets server_rc.
stop_server() {
    server_rc=""
    [ -n "$SERVER_PID" ] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null
    _i=0
    while kill -0 "$SERVER_PID" 2>/dev/null && [ $_i -lt 300 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "FAIL: ura serve did not stop within 30 s of SIGTERM" >&2
        kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    wait "$SERVER_PID"
    server_rc=$?
    SERVER_PID=""
}

stop_all() {
    [ -z "$SERVER_PID" ] || kill -KILL "$SERVER_PID" 2>/dev/null
    [ -z "${WD_PID:-}" ] || kill -KILL "$WD_PID" 2>/dev/null
    return 0
}

# fetch URL-PATH [CURL-ARGS...]: GET $BASE$PATH; sets $code (HTTP status,
# 000 when no answer), $body (file) and $hdrs (file).
fetch() {
    _p=$1
    shift
    rm -f "$TMP/body" "$TMP/hdrs"
    code=$("$CURL" -s -m 20 -o "$TMP/body" -D "$TMP/hdrs" -w '%{http_code}' "$@" "$BASE$_p")
    body="$TMP/body"
    hdrs="$TMP/hdrs"
}

# header NAME: the value of a header in $hdrs (first one), without CR.
header() {
    tr -d '\r' <"$hdrs" | sed -n "s/^$1: //Ip" | head -n 1
}
