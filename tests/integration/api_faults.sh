#!/bin/sh
# api_faults.sh - what the store shows when the endpoint misbehaves: the
# real pollers (api/poller.c on worker threads, through
# build/tools/poll_watch, one JSON line per slot change) against
# `qldbtop serve --scenario FILE` with per-operation faults:
#   throttling for a few seconds is retried (the slot reads retrying n of
#   5) and then the slot is ok again, while DescribeLedger, not hit, stays
#   ok throughout;
#   a permanent 503 goes retrying 1..5 of 5, then failed, with a one-line
#   error naming GetDigest and the 503;
#   latency beyond the client's 10 s timeout is a timeout error;
#   a closed port is a one-line connection error;
#   malformed and truncated answers leave an error status naming the
#   operation, never ok;
#   a wrong secret is failed at once (retrying cannot mend it), naming
#   InvalidSignatureException, and the
#   secret appears nowhere in the output;
#   the retry quota stops a retry storm: with the refresh key pressed every
#   0.1 s under a permanent 503, the GetDigest requests a counting proxy
#   sees are at most the polls plus what two clients' quotas (500 tokens,
#   14 a retry: reliability-perf.md 1.3) allow, far fewer than the 3 per
#   poll a client without a quota sends.
# Transport-level checks of single requests are api_transport.sh's; here
# the subject is the store. Every run is bounded by `timeout`; waits are
# loops on the output, so ASan and TSan slowness only makes them longer.
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
WATCH="$TOOLS/poll_watch"
KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

if [ ! -x "$WATCH" ]; then
	not_ok "poll_watch is built ($WATCH missing: make tools)"
	exit 1
fi

start() { # NAME SCENARIO-TEXT: serve with that scenario; URL set
	name=$1
	printf '%s\n' "$2" >"$SCRATCH/$name.scn"
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 --scenario "$SCRATCH/$name.scn" \
		>"$SCRATCH/$name.serve" 2>&1 </dev/null &
	PIDS="$PIDS $!"
	wait_for 30 grep -q '^endpoint: ' "$SCRATCH/$name.serve" || return 1
	URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/$name.serve")
}
pwatch() { # NAME SECONDS URL ARGS...: poll_watch in the background into NAME.jsonl
	name=$1 secs=$2 url=$3; shift 3
	env -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID=$KEY \
		AWS_SECRET_ACCESS_KEY="${WATCH_SECRET:-$SECRET}" AWS_CONFIG_FILE=/dev/null \
		AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_REGION=us-east-1 \
		timeout -k 5 $((secs + 60)) "$WATCH" --endpoint-url "$url" --seconds "$secs" "$@" \
		>"$SCRATCH/$name.jsonl" 2>"$SCRATCH/$name.err" </dev/null
	echo $? >"$SCRATCH/$name.rc"
}
finished() { [ -s "$SCRATCH/$1.rc" ]; }
show() { sed 's/^/#   /' "$SCRATCH/$1.jsonl" "$SCRATCH/$1.err" | cut -c1-300; }
# assert NAME PYTHON: run PYTHON with `rows` (every JSON line of NAME.jsonl),
# `final` ({(ledger, kind): last row}) and `rc` (poll_watch's exit status)
assert() {
	python3 - "$SCRATCH/$1.jsonl" "$SCRATCH/$1.rc" "$SCRATCH/$1.err" <<PY
import json, sys
lines = open(sys.argv[1]).read().splitlines()
rows = [json.loads(l) for l in lines]
rc = int(open(sys.argv[2]).read().strip() or -1)
err = open(sys.argv[3]).read()
final = {(r["ledger"], r["kind"]): r for r in rows if r.get("final")}
live = [r for r in rows if "kind" in r and not r.get("final")]
def of(kind): return [r for r in live if r["kind"] == kind]
def one_line(r): return r["error"] and "\n" not in r["error"] and "\r" not in r["error"]
assert rc == 0, "poll_watch exit %d (124: it hung; >128: a signal): %s" % (rc, err)
assert rows and rows[-1].get("end") is True, "no end line: it did not finish cleanly"
$2
PY
}

# --- throttling for a while: retried, then ok again -------------------------
# 6 s covers a whole first poll (3 attempts, backoffs of at most 1 s and 2 s)
start throttle 'at 0s throttle qldb:GetDigest 1 for 6s' || not_ok "serve starts (throttle)"
pwatch throttle 40 "$URL" --ledger financial-ledger --kinds ledger,digest --interval 1 &
# --- a permanent 503 ----------------------------------------------------------
start e503 'at 0s error qldb:GetDigest 503 1' || not_ok "serve starts (503)"
pwatch e503 30 "$URL" --ledger financial-ledger --kinds ledger,digest --interval 1 &
# --- latency beyond the client's timeout (10 s an attempt, 3 attempts) -------
start slow 'at 0s latency qldb:GetDigest 12s' || not_ok "serve starts (latency)"
pwatch slow 60 "$URL" --ledger financial-ledger --kinds digest --interval 1 &
# --- malformed and truncated answers -----------------------------------------
start junk 'at 0s malformed qldb:GetDigest 1
at 0s truncate qldb:DescribeLedger 1' || not_ok "serve starts (malformed, truncate)"
pwatch junk 20 "$URL" --ledger financial-ledger --kinds ledger,digest --interval 1 &
# --- a closed port ------------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
pwatch refused 15 "http://127.0.0.1:$PORT" --kinds ledgers --interval 1 &
# --- a wrong secret -----------------------------------------------------------
BAD=qldbtop-WRONG-secret-9f8e7d6c5b4a
start authz '# no faults' || not_ok "serve starts (wrong secret)"
WATCH_SECRET=$BAD pwatch authz 20 "$URL" --kinds ledgers --interval 1 &

wait_for 120 finished throttle
assert throttle '
d = of("digest")
i = next((k for k, r in enumerate(d) if r["status"] == "retrying"), None)
assert i is not None, "the throttled GetDigest never read retrying"
r = d[i]
assert r["failures"] >= 1 and r["retry_max"] == 5 and one_line(r), r
assert "GetDigest" in r["error"] and "ThrottlingException" in r["error"], r
assert r["error_http"] == 400 and r["error_code"] == "ThrottlingException", r
later = [x for x in d[i:] if x["status"] == "ok"]
assert later and later[0]["failures"] == 0 and later[0]["error"] == "", d
assert final[("financial-ledger", "digest")]["status"] == "ok"
assert all(x["status"] == "ok" for x in of("ledger")), "DescribeLedger was hit: %r" % of("ledger")
' && ok "throttling for 6 s: digest reads retrying n of 5 (ThrottlingException, 400), then ok again; ledger never hit" \
	|| { not_ok "throttling for 6 s: retried, then ok again"; show throttle; }

wait_for 120 finished e503
assert e503 '
d = of("digest")
seq = [(r["status"], r["failures"]) for r in d]
assert all(r["retry_max"] == 5 for r in d), d
fails = [f for _, f in seq]
assert fails == sorted(fails) and fails[0] == 1, seq   # one more failure at a time
retrying = [f for s, f in seq if s == "retrying"]
assert retrying and max(retrying) == 5 and all(1 <= f <= 5 for f in retrying), seq
failed = [r for r in d if r["status"] == "failed"]
assert failed and failed[0]["failures"] == 6, seq      # 5 retries, then failed
assert all(s == "failed" for s, _ in seq[seq.index(("failed", 6)):]), seq
f = final[("financial-ledger", "digest")]
assert f["status"] == "failed" and one_line(f), f
assert f["error"].startswith("GetDigest:") and "503" in f["error"], f
assert f["error_http"] == 503 and f["error_code"] == "ServiceUnavailableException", f
assert all(x["status"] == "ok" for x in of("ledger")), of("ledger")
' && ok "permanent 503 on GetDigest: retrying 1..5 of 5, then failed (6), one line naming GetDigest and 503" \
	|| { not_ok "permanent 503: retrying n of m, then failed"; show e503; }

wait_for 120 finished junk
assert junk '
for kind, op in (("digest", "GetDigest"), ("ledger", "DescribeLedger")):
    rs = of(kind)
    assert rs and all(r["status"] in ("retrying", "failed") for r in rs), (kind, rs)
    f = final[("financial-ledger", kind)]
    assert f["status"] in ("retrying", "failed") and f["failures"] >= 2, f
    assert one_line(f) and f["error"].startswith(op + ":"), f
' && ok "malformed GetDigest and truncated DescribeLedger: never ok, errors naming the operation" \
	|| { not_ok "malformed and truncated answers leave an error status"; show junk; }

wait_for 120 finished refused
assert refused '
rs = of("ledgers")
assert rs and all(r["status"] in ("retrying", "failed") for r in rs), rs
f = final[("", "ledgers")]
assert one_line(f) and f["error"].startswith("ListLedgers:"), f
assert "connect" in f["error"].lower() or "refused" in f["error"].lower(), f
assert f["error_http"] == 0, f
' && ok "a closed port: ListLedgers never ok, a one-line connection error, no HTTP status" \
	|| { not_ok "a closed port: one-line error"; show refused; }

wait_for 120 finished authz
assert authz '
f = final[("", "ledgers")]
assert f["status"] == "failed", f
assert one_line(f) and f["error"].startswith("ListLedgers:"), f
assert f["error_code"] == "InvalidSignatureException" and f["error_http"] == 403, f
rs = of("ledgers")
assert all(r["status"] != "ok" for r in rs), rs
# retrying cannot mend a wrong key: failed from the first answer, never "retrying"
assert rs and all(r["status"] == "failed" for r in rs), rs
' && ok "a wrong secret: ledgers failed from the first answer (no retrying), naming InvalidSignatureException (403)" \
	|| { not_ok "a wrong secret: failed naming the auth failure"; show authz; }
check "a wrong secret: the secret is nowhere in the output" \
	sh -c '! grep -qF "$1" "$2" "$3"' - "$BAD" "$SCRATCH/authz.jsonl" "$SCRATCH/authz.err"

wait_for 120 finished slow
assert slow '
rs = of("digest")
assert rs and all(r["status"] != "ok" for r in rs), rs
r = rs[0]
assert r["status"] == "retrying" and one_line(r) and r["error"].startswith("GetDigest:"), r
assert "timed out" in r["error"].lower() or "timeout" in r["error"].lower(), r
assert r["error_http"] == 0, r
' && ok "latency 12 s beyond the 10 s client timeout: digest retrying with a one-line timeout error" \
	|| { not_ok "latency beyond the timeout: a timeout error"; show slow; }

# --- the retry quota against a storm -----------------------------------------
# A proxy between poll_watch and the endpoint counts the request lines it
# forwards: the count comes from the wire, not from the code under test.
cat >"$SCRATCH/proxy.py" <<'PY'
import re, socket, sys, threading
listen, target, out = socket.socket(), int(sys.argv[1]), sys.argv[2]
listen.bind(("127.0.0.1", 0)); listen.listen(64)
print(listen.getsockname()[1], flush=True)
lock, count = threading.Lock(), {}
REQ = re.compile(rb"(GET|POST|PUT|PATCH|DELETE|HEAD) (/\S*) HTTP/1\.[01]$")
def save():
    with open(out + ".tmp", "w") as f:
        for k, v in sorted(count.items()): f.write("%d %s\n" % (v, k))
    import os; os.replace(out + ".tmp", out)
def pump(a, b, counting):
    buf = b""
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
            if counting:
                buf += d
                *done, buf = buf.split(b"\r\n")
                for line in done:
                    m = REQ.search(line)
                    if m:
                        with lock:
                            k = m.group(1).decode() + " " + m.group(2).decode()
                            count[k] = count.get(k, 0) + 1
                            save()
    except OSError: pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
def serve(c):
    u = socket.create_connection(("127.0.0.1", target))
    threading.Thread(target=pump, args=(c, u, True), daemon=True).start()
    pump(u, c, False)
while True:
    c, _ = listen.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
start storm 'at 0s error qldb:GetDigest 503 1' || not_ok "serve starts (storm)"
SPORT=$(echo "$URL" | sed 's/.*://')
python3 "$SCRATCH/proxy.py" "$SPORT" "$SCRATCH/storm.count" >"$SCRATCH/proxy.port" &
PIDS="$PIDS $!"
wait_for 20 test -s "$SCRATCH/proxy.port" || not_ok "the counting proxy starts"
PPORT=$(cat "$SCRATCH/proxy.port")
pwatch storm 20 "http://127.0.0.1:$PPORT" --ledger financial-ledger --kinds digest --interval 1 --refresh-every 0.1
# bound: every poll sends one first attempt; retries cost 14 tokens each
# from a 500-token bucket per client (no success, so no refund), and the
# poller has POLLER_WORKERS = 2 clients: retries <= 2 * floor(500 / 14)
SERVED=$(sed -n 's|^\([0-9]*\) POST /ledgers/financial-ledger/digest$|\1|p' "$SCRATCH/storm.count" 2>/dev/null)
assert storm "
polls = final[('financial-ledger', 'digest')]['failures']
served = int('${SERVED:-0}')
retries = 2 * (500 // 14)
print('# polls %d, GetDigest requests on the wire %d, bound polls + %d = %d, without a quota %d'
      % (polls, served, retries, polls + retries, 3 * polls))
assert polls > retries // 2 + 5, 'too few polls (%d) for the bound to tell a quota from none' % polls
assert polls <= served <= polls + retries, (polls, served)
assert served < 3 * polls, (polls, served)
" && ok "retry quota: under a permanent 503 and a refresh every 0.1 s, requests <= polls + 2 x floor(500/14)" \
	|| { not_ok "retry quota stops the storm"; show storm; cat "$SCRATCH/storm.count" | sed 's/^/#   /'; }

exit $TAP_FAILED
