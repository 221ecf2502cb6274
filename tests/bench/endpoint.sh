#!/bin/sh
# endpoint.sh - the local endpoint (`qldbtop serve`) under load, at 1 k and
# 1 M blocks: GetDigest and GetBlock-with-proof requests per second and
# latency (4 client threads with keep-alive, every request signed and
# checked by the endpoint; tests/gen/endpoint_load.c), and memory per block
# (the serve process's RSS difference between the two journal sizes).
# The 1 M journal is built at start-up by the workload (about a minute).
# Goal (issue 9): GetBlock-with-proof p50 latency at 1 M blocks within 2x of
# 1 k blocks (proofs are O(log n): sim/merkle.h), printed MET or NOT MET;
# exit 1 when a request fails. With BENCH_TABLE set, rows
# "name|figure|goal|verdict" are appended to it.
#   QLDBTOP_TOOLS   where the tools are (default build/tools)
#   QLDBTOP_BIN     the program (default ./qldbtop)
#   ENDPOINT_BENCH_BIG  blocks of the big journal (default 1000000)
set -u
TOOLS=${QLDBTOP_TOOLS:-build/tools}
BIN=${QLDBTOP_BIN:-./qldbtop}
BIG=${ENDPOINT_BENCH_BIG:-1000000}
KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
REQS=2000 # per thread
TABLE=${BENCH_TABLE:-/dev/null}
THREADS=4
tmp=$(mktemp -d)
PID=
trap 'kill "$PID" 2>/dev/null; rm -rf "$tmp"' EXIT
[ -x "$TOOLS/endpoint_load" ] || { echo "endpoint bench: $TOOLS/endpoint_load is not built (make tools)"; exit 1; }

# run N: serve with N demo blocks, measure; prints figures, sets P50_BLOCK, RSS_KB
run() {
	n=$1
	"$BIN" serve --listen 127.0.0.1:0 --blocks "$n" --rate 0 >"$tmp/out" 2>"$tmp/err" &
	PID=$!
	i=0
	while ! grep -q '^endpoint: ' "$tmp/out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 6000 ] || ! kill -0 "$PID" 2>/dev/null; then
			echo "endpoint bench: serve --blocks $n did not start"; cat "$tmp/err"; exit 1
		fi
		sleep 0.1
	done
	url=$(sed -n 's/^endpoint: //p' "$tmp/out")
	curl -s --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" -H 'Content-Type: application/json' \
		-d '{}' "$url/ledgers/financial-ledger/digest" >"$tmp/digest.json"
	tip=$(sed -n 's/.*sequenceNo:\([0-9]*\).*/\1/p' "$tmp/digest.json")
	strand=$(sed -n 's/.*strandId:\\"\([A-Za-z0-9]*\)\\".*/\1/p' "$tmp/digest.json")
	seq=$((tip / 3 + 1))
	body="{\"BlockAddress\":{\"IonText\":\"{strandId:\\\"$strand\\\",sequenceNo:$seq}\"},\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"$strand\\\",sequenceNo:$tip}\"}}"
	RSS_KB=$(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$PID/status")
	d=$("$TOOLS/endpoint_load" "$url/ledgers/financial-ledger/digest" '{}' $REQS $THREADS "$KEY" "$SECRET") ||
		{ echo "endpoint bench: GetDigest load failed"; exit 1; }
	b=$("$TOOLS/endpoint_load" "$url/ledgers/financial-ledger/block" "$body" $REQS $THREADS "$KEY" "$SECRET") ||
		{ echo "endpoint bench: GetBlock load failed"; exit 1; }
	echo "blocks $((tip + 1)), serve RSS $((RSS_KB / 1024)) MiB"
	echo "  GetDigest:            $d"
	echo "  GetBlock with proof:  $b (block $seq, tip $tip)"
	short() { echo "$1" | awk '{ for (i = 1; i < NF; i++) { if ($i == "req/s") r = $(i + 1); if ($i == "p50") p = $(i + 1); if ($i == "p99") q = $(i + 1) }
		printf "%s req/s, p50 %s us, p99 %s us", r, p, q }'; }
	echo "endpoint GetDigest, $((tip + 1)) blocks|$(short "$d")||" >>"$TABLE"
	echo "endpoint GetBlock+proof, $((tip + 1)) blocks|$(short "$b")||" >>"$TABLE"
	P50_BLOCK=$(echo "$b" | sed -n 's/.*p50 \([0-9]*\).*/\1/p')
	kill "$PID"; wait "$PID" 2>/dev/null; PID=
}

run 1000
small_p50=$P50_BLOCK small_rss=$RSS_KB
run "$BIG"
big_p50=$P50_BLOCK big_rss=$RSS_KB
per_block=$(( (big_rss - small_rss) * 1024 / (BIG - 1000) ))
echo "memory per block: $per_block bytes (RSS difference / block difference)"
ratio=$(awk -v a="$big_p50" -v b="$small_p50" 'BEGIN { printf "%.2f", a / b }')
echo "GetBlock-with-proof p50 at $BIG blocks / at 1000 blocks: $ratio (goal <= 2)"
v="NOT MET"
awk -v r="$ratio" 'BEGIN { exit !(r <= 2.0) }' && v=MET
[ "$v" = MET ] || echo "endpoint bench: proof latency grows with the journal"
echo "endpoint proof p50 $BIG / 1000 blocks|$ratio|<= 2|$v" >>"$TABLE"
echo "endpoint memory per block|$per_block bytes||" >>"$TABLE"
