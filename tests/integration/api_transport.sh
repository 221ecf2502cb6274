#!/bin/sh
# api_transport.sh - qldbtop's own transport (api/http.c: our SigV4 signer,
# libcurl, the AWS standard retry mode) against `qldbtop serve`, through
# build/tools/api_probe:
#   signed requests are accepted for QLDB (ListLedgers, GetDigest, a path
#   holding an encoded ARN), Kinesis (ListStreams), CloudWatch (ListMetrics
#   over query/XML, GetMetricData over JSON 1.0) and S3 (create bucket,
#   put, list, get and a streamed get of the key "a b/c+d=e");
#   a wrong secret is a 403 whose one-line error names the code and never
#   the secret;
#   faults from --scenario files: throttling for 2 s is retried and then
#   succeeds (3 attempts, within bounds); endless throttling fails after 3
#   attempts with ThrottlingException; endless 503 likewise; latency beyond
#   a short timeout is a timeout; a refused port is a quick transport
#   error; malformed and truncated answers are parse (or transport)
#   errors; dropped connections are transport errors; an answer beyond
#   --max-response is a limit error. Every call runs under a timeout.
# (The retry quota stopping a storm is a unit test: test_api_retry.)
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
PROBE="$TOOLS/api_probe"
KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

if [ ! -x "$PROBE" ]; then
	not_ok "api_probe is built ($PROBE missing: make tools)"
	exit 1
fi

start() { # NAME [SERVE ARGS...]: endpoint in $URL
	name=$1; shift
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 "$@" >"$SCRATCH/$name.serve" 2>"$SCRATCH/$name.err" &
	PID=$!
	PIDS="$PIDS $PID"
	wait_for 10 grep -q '^endpoint: ' "$SCRATCH/$name.serve" || return 1
	URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/$name.serve")
}
stop() { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
# probe NAME ARGS...: api_probe's output in $SCRATCH/NAME.out, exit in $rc,
# wall time in $ms
probe() {
	name=$1; shift
	t0=$(date +%s%N)
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SESSION_TOKEN="${PROBE_TOKEN:-}" AWS_SECRET_ACCESS_KEY="${PROBE_SECRET:-$SECRET}" \
		timeout 30 "$PROBE" --endpoint "$URL" --region us-east-1 "$@" \
		>"$SCRATCH/$name.out" 2>"$SCRATCH/$name.stderr"
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
field() { sed -n "s/^$2: //p" "$SCRATCH/$1.out" | head -n 1; }
# expect NAME RESULT ATTEMPTS [CODE]: exit status, result, attempts (and code)
expect() {
	want_rc=1; [ "$2" = ok ] && want_rc=0
	[ "$rc" -eq "$want_rc" ] && [ "$(field "$1" result)" = "$2" ] &&
		[ "$(field "$1" attempts)" = "$3" ] && { [ -z "$4" ] || [ "$(field "$1" code)" = "$4" ]; }
}
show() { sed 's/^/#   /' "$SCRATCH/$1.out" "$SCRATCH/$1.stderr"; echo "#   rc=$rc ms=$ms"; }
verdict() { # NAME CHECK-NAME: report the last command's status, with the output on failure
	if [ "$?" -eq 0 ]; then ok "$2"; else not_ok "$2"; show "$1"; fi
}

# --- signed requests accepted, one service after another --------------------
start main || { not_ok "serve starts"; exit 1; }

probe ledgers --service qldb --op ListLedgers --expect-json GET /ledgers
expect ledgers ok 1 && [ "$(field ledgers status)" = 200 ]
verdict ledgers "QLDB ListLedgers: signed GET accepted (200, JSON, 1 attempt)"

probe digest --service qldb --op GetDigest --print-body POST /ledgers/financial-ledger/digest
expect digest ok 1 && grep -q '^body: {"Digest":"' "$SCRATCH/digest.out"
verdict digest "QLDB GetDigest: signed POST with an empty body accepted"

probe describe --service qldb --print-body GET /ledgers/financial-ledger
ARN=$(sed -n 's/.*"Arn":"\([^"]*\)".*/\1/p' "$SCRATCH/describe.out")
ENC=$(printf '%s' "$ARN" | sed 's/:/%3A/g; s|/|%2F|g')
probe tags --service qldb --op ListTagsForResource --expect-json GET "/tags/$ENC"
expect tags ok 1 && [ -n "$ARN" ]
verdict tags "QLDB ListTagsForResource: a path holding an encoded ARN is signed (double encoding) and accepted"

probe pages --service qldb -q 'next_token=ab+c/=' -q max_results=1 GET /ledgers
[ "$(field pages code)" = InvalidParameterException ] && [ "$(field pages status)" = 400 ]
verdict pages "QLDB: a query with + / = and out of order is signed right (the service judges the token, not the signature)"

probe kinesis --service kinesis -H 'X-Amz-Target: Kinesis_20131202.ListStreams' \
	--content-type application/x-amz-json-1.1 -d '{}' --expect-json --print-body POST /
expect kinesis ok 1 && grep -q '"StreamNames"' "$SCRATCH/kinesis.out"
verdict kinesis "Kinesis ListStreams (JSON 1.1, X-Amz-Target signed) accepted"

probe cwq --service monitoring --content-type 'application/x-www-form-urlencoded; charset=utf-8' \
	-d 'Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FQLDB' --print-body POST /
expect cwq ok 1 && grep -q '<ListMetricsResponse' "$SCRATCH/cwq.out"
verdict cwq "CloudWatch ListMetrics (query protocol, XML reply) accepted"

NOW=$(date +%s)
probe cwj --service monitoring --content-type application/x-amz-json-1.0 \
	-H 'X-Amz-Target: GraniteServiceVersion20100801.GetMetricData' -H 'x-amzn-query-mode: true' \
	-d '{"MetricDataQueries":[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/QLDB","MetricName":"ReadIOs","Dimensions":[{"Name":"LedgerName","Value":"financial-ledger"}]},"Period":60,"Stat":"Sum"}}],"StartTime":'$((NOW - 600))',"EndTime":'"$NOW"'}' \
	--expect-json --print-body POST /
expect cwj ok 1 && grep -q '"MetricDataResults"' "$SCRATCH/cwj.out"
verdict cwj "CloudWatch GetMetricData (JSON 1.0) accepted"

probe mb --service s3 PUT /transport-bkt
expect mb ok 1
verdict mb "S3 CreateBucket accepted (x-amz-content-sha256 sent and signed)"

probe put --service s3 --raw-path --content-type application/octet-stream -d 'hello s3' PUT '/transport-bkt/a b/c+d=e'
expect put ok 1
verdict put "S3 PutObject of key 'a b/c+d=e' (path encoded once) accepted"

probe list --service s3 -q list-type=2 -q 'prefix=a b/' --print-body GET /transport-bkt
expect list ok 1 && grep -q '<Key>a b/c+d=e</Key>' "$SCRATCH/list.out"
verdict list "S3 ListObjectsV2 with an encoded prefix lists the key"

probe get --service s3 --raw-path --print-body GET '/transport-bkt/a b/c+d=e'
expect get ok 1 && [ "$(field get body)" = 'hello s3' ]
verdict get "S3 GetObject of 'a b/c+d=e' returns the bytes put"

probe gets --service s3 --raw-path --stream GET '/transport-bkt/a b/c+d=e'
expect gets ok 1 && [ "$(field gets body-bytes)" = 8 ]
verdict gets "S3 GetObject streamed through a sink: 8 bytes, none buffered"

probe nokey --service s3 --raw-path GET '/transport-bkt/a b/none'
expect nokey service 1 NoSuchKey && [ "$(field nokey status)" = 404 ]
verdict nokey "S3 NoSuchKey: the XML error is read (code, 404, not retried)"

PROBE_SECRET=wrong-secret-0123456789 probe bad --service qldb GET /ledgers
expect bad service 1 InvalidSignatureException && [ "$(field bad status)" = 403 ] &&
	[ "$(grep -c '^error: ' "$SCRATCH/bad.out")" = 1 ] &&
	grep -q '^error: Probe: InvalidSignatureException: .* (HTTP 403)$' "$SCRATCH/bad.out" &&
	! grep -q 'wrong-secret\|qldbtop-demo-secret' "$SCRATCH/bad.out" "$SCRATCH/bad.stderr"
verdict bad "a wrong secret: 403, one line with the code, no secret, not retried"

PROBE_SECRET=wrong-secret-0123456789 probe bads3 --service s3 GET /transport-bkt
expect bads3 service 1 SignatureDoesNotMatch && ! grep -q 'wrong-secret' "$SCRATCH/bads3.out"
verdict bads3 "S3 with a wrong secret: SignatureDoesNotMatch, one line, no secret"

PROBE_TOKEN=tok-SECRET-0123456789 probe tok --service qldb GET /ledgers
expect tok service 1 UnrecognizedClientException &&
	! grep -q 'tok-SECRET' "$SCRATCH/tok.out" "$SCRATCH/tok.stderr"
verdict tok "a session token the endpoint does not know: one line, no token, retried only if a refresh gave new keys"

probe big --service qldb --max-response 16 GET /ledgers
expect big limit 1 && grep -q '^error: Probe: response exceeds 16 bytes$' "$SCRATCH/big.out"
verdict big "an answer beyond --max-response is a limit error (transfer aborted)"
stop

# --- faults -------------------------------------------------------------------
scenario() { # NAME LINE: a server whose scenario is that one line
	printf '%s\n' "$2" >"$SCRATCH/$1.scn"
	start "$1" --scenario "$SCRATCH/$1.scn"
}

scenario thr2 'at 0s throttle qldb 1 for 2s' || not_ok "serve starts with a scenario"
probe thr2 --service qldb --jitter 0.999 GET /ledgers
expect thr2 ok 3 && [ "$ms" -ge 2000 ] && [ "$ms" -lt 8000 ]
verdict thr2 "throttled for 2 s: retried with backoff (~1 s, ~2 s), then 200 on attempt 3 within 2..8 s"
stop

scenario thr 'at 0s throttle qldb 1'
probe thr --service qldb GET /ledgers
expect thr service 3 ThrottlingException && [ "$ms" -lt 6000 ] &&
	grep -q '^error: Probe: ThrottlingException: .*(HTTP 400) after 3 attempts$' "$SCRATCH/thr.out"
verdict thr "endless throttling: ThrottlingException after 3 attempts, within 6 s"
stop

scenario e503 'at 0s error qldb 503 1'
probe e503 --service qldb GET /ledgers
expect e503 service 3 ServiceUnavailableException && [ "$(field e503 status)" = 503 ] && [ "$ms" -lt 3000 ]
verdict e503 "endless 503: retried, then ServiceUnavailableException after 3 attempts"
stop

scenario lat 'at 0s latency qldb 2s'
probe lat --service qldb --timeout-ms 300 GET /ledgers
expect lat transport 3 && grep -qi 'timed out' "$SCRATCH/lat.out" && [ "$ms" -lt 3000 ]
verdict lat "latency 2 s against a 300 ms timeout: a timeout error after 3 attempts, bounded"
stop

scenario drop 'at 0s drop qldb 1'
probe drop --service qldb GET /ledgers
expect drop transport 3 && [ "$ms" -lt 5000 ]
verdict drop "dropped connections: a transport error after 3 attempts"
stop

scenario mal 'at 0s malformed qldb 1'
probe mal --service qldb --expect-json GET /ledgers
[ "$rc" -eq 1 ] && [ "$(field mal result)" = parse ] && [ "$(field mal status)" = 200 ]
verdict mal "malformed 200: a parse error, not a success"
stop

scenario trunc 'at 0s truncate qldb 1'
probe trunc --service qldb --expect-json GET /ledgers
[ "$rc" -eq 1 ] && case $(field trunc result) in parse | transport) true ;; *) false ;; esac
verdict trunc "truncated answer: a parse or transport error, not a success"
stop

URL=http://127.0.0.1:1
probe refused --service qldb GET /ledgers
expect refused transport 3 && [ "$ms" -lt 3000 ] && grep -q '^error: Probe: transport: ' "$SCRATCH/refused.out"
verdict refused "a refused connection: a transport error within 3 s"

[ "$TAP_FAILED" -eq 0 ]
