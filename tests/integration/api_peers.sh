#!/bin/sh
# api_peers.sh - qldbtop's own service clients against real third-party
# emulators from npm (tests/peers: kinesalite 3.3.3, s3rver 3.7.1; `make
# peers` installs them), each bound to 127.0.0.1 on a free port:
#   kinesalite: a stream made with the Debian AWS CLI; svc_probe's
#     DescribeStreamSummary and ListShards agree with the CLI's answers;
#     journal-shaped records put by the CLI are read back by the lag scan
#     (highest BLOCK_SUMMARY sequence number), a record that is not a
#     journal record is refused, a missing stream is one line;
#   s3rver: an export that `qldbtop serve` wrote is copied there with the
#     CLI (down from serve, up to s3rver), `qldbtop verify-export
#     s3://BUCKET/PREFIX/ --endpoint-url` proves it (exit 0), a tampered
#     data object fails it (exit 1), and the wrong keys are exit 2.
# And against `qldbtop serve` itself, compared with the Debian CLI: the
# journal stream and export list/describe calls, the lag scan of a
# journal stream (0 blocks behind the digest's tip once delivered), and
# CloudWatch GetMetricData for the six AWS/QLDB metrics.
# Without the npm packages the test fails and says why: never a pass.
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
PEERS=${QLDBTOP_PEERS:-$PWD/tests/peers}
AWS=$(debian_aws)
if [ -z "$AWS" ] || [ ! -x "$TOOLS/svc_probe" ]; then
	not_ok "the Debian AWS CLI 2.x and tools/svc_probe are there (make deps tools)"
	exit 1
fi
if ! command -v node >/dev/null 2>&1; then
	not_ok "node is installed (make deps)"
	exit 1
fi
if [ ! -d "$PEERS/node_modules/kinesalite" ] || [ ! -d "$PEERS/node_modules/s3rver" ]; then
	# one attempt to install them (the npm registry is reachable here)
	npm install --prefix "$PEERS" --no-audit --no-fund >"$SCRATCH/npm.log" 2>&1
	if [ ! -d "$PEERS/node_modules/kinesalite" ] || [ ! -d "$PEERS/node_modules/s3rver" ]; then
		not_ok "the npm peers kinesalite and s3rver are installed (make peers): npm failed"
		tail -n 5 "$SCRATCH/npm.log" | sed 's/^/#   /'
		exit 1
	fi
fi
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$SCRATCH"' EXIT

# ---- kinesalite ------------------------------------------------------------
# kinesalite binds every interface from its CLI; listen() in a wrapper keeps
# it on loopback, on a port the kernel picks (printed)
NODE_PATH="$PEERS/node_modules" node -e '
const s = require("kinesalite")({createStreamMs: 50});
s.listen(0, "127.0.0.1", () => { console.log("port: " + s.address().port); });
' >"$SCRATCH/k.out" 2>"$SCRATCH/k.err" &
PIDS="$PIDS $!"
kport() { grep -q '^port: ' "$SCRATCH/k.out"; }
check "kinesalite listens on 127.0.0.1 within 10 s" wait_for 10 kport
KURL=http://127.0.0.1:$(sed -n 's/^port: //p' "$SCRATCH/k.out")
# bound_loopback PORT: every listening socket on PORT is 127.0.0.1's (ss
# from iproute2 must be there: without it nothing is proven)
bound_loopback() {
	command -v ss >/dev/null 2>&1 || return 1
	ss -ltnH >"$SCRATCH/ss" || return 1
	awk -v p=":$1" '$4 ~ p"$"' "$SCRATCH/ss" >"$SCRATCH/ss.port"
	[ -s "$SCRATCH/ss.port" ] && ! awk '$4 !~ /^127\.0\.0\.1:/' "$SCRATCH/ss.port" | grep -q .
}
check "kinesalite is bound to 127.0.0.1 only (ss)" bound_loopback "${KURL##*:}"

env_k() {
	env AWS_ACCESS_KEY_ID=AKIDPEERS AWS_SECRET_ACCESS_KEY=peers-secret AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= AWS_MAX_ATTEMPTS=1 "$@"
}
awsk() { env_k "$AWS" "$@" --endpoint-url "$KURL" >"$SCRATCH/out" 2>"$SCRATCH/err"; rc=$?; }
probe_k() { env_k "$TOOLS/svc_probe" --endpoint-url "$KURL" "$@" >"$SCRATCH/p" 2>"$SCRATCH/pe"; prc=$?; }

awsk kinesis create-stream --stream-name journal-target --shard-count 3
check "aws kinesis create-stream on kinesalite" test "$rc" -eq 0
active() { awsk kinesis describe-stream-summary --stream-name journal-target \
	--query StreamDescriptionSummary.StreamStatus --output text && [ "$(cat "$SCRATCH/out")" = ACTIVE ]; }
check "the stream becomes ACTIVE (CLI)" wait_for 10 active
awsk kinesis describe-stream-summary --stream-name journal-target \
	--query 'StreamDescriptionSummary.[StreamARN,OpenShardCount,RetentionPeriodHours]' --output text
cli_summary=$(tr '\t' ' ' <"$SCRATCH/out")
probe_k kinesis-summary journal-target
check "svc_probe DescribeStreamSummary: exit 0" test "$prc" -eq 0
sed 's/^/#   /' "$SCRATCH/pe"
ours="$(sed -n 's/^arn: //p' "$SCRATCH/p") $(sed -n 's/^open shards: //p' "$SCRATCH/p") $(sed -n 's/^retention: //p' "$SCRATCH/p")"
check "  ARN, open shards and retention are the CLI's ($cli_summary)" test "$ours" = "$cli_summary"
check "  status ACTIVE" grep -qx 'status: ACTIVE' "$SCRATCH/p"
check "  kinesalite's account 000000000000 in the ARN" grep -q '^arn: arn:aws:kinesis:us-east-1:000000000000:stream/journal-target$' "$SCRATCH/p"
awsk kinesis list-shards --stream-name journal-target --query 'Shards[].ShardId' --output text
cli_shards=$(tr '\t' '\n' <"$SCRATCH/out" | sort | tr '\n' ' ')
probe_k kinesis-shards journal-target
our_shards=$(sed -n 's/^shard: \([^ ]*\) .*/\1/p' "$SCRATCH/p" | sort | tr '\n' ' ')
check "svc_probe ListShards: the CLI's three shards ($cli_shards)" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = "$3" ] && grep -qx "shards: 3" "$4"' - "$prc" "$our_shards" "$cli_shards" "$SCRATCH/p"
check "  every shard open, hash ranges decimal" sh -c '[ "$(grep -c "^shard: .* open [0-9]*\.\.[0-9]*$" "$1")" -eq 3 ]' - "$SCRATCH/p"
probe_k kinesis-scan journal-target
check "the lag scan of an empty stream: no block seen, complete" \
	sh -c '[ "$1" -eq 0 ] && grep -qx "max seq: -1" "$2" && grep -qx "complete: yes" "$2"' - "$prc" "$SCRATCH/p"

# journal-shaped records (Ion text), written by the CLI, not by qldbtop
put() { # SEQ TYPE KEY
	rec=$(printf '{qldbStreamArn:"arn:aws:qldb:us-east-1:000000000000:stream/financial-ledger/x",recordType:"%s",payload:{blockAddress:{strandId:"s71ZZmq5qENVhkKVqdR47A",sequenceNo:%s}}}' "$2" "$1" | base64 -w0)
	awsk kinesis put-record --stream-name journal-target --partition-key "$3" --data "$rec"
}
put 41 BLOCK_SUMMARY a && put 57 BLOCK_SUMMARY b && put 49 BLOCK_SUMMARY c && put 99 REVISION_DETAILS d
check "aws kinesis put-record: four journal records" test "$rc" -eq 0
probe_k kinesis-scan journal-target
check "the lag scan finds the highest BLOCK_SUMMARY, 57 (not the 99 of a REVISION_DETAILS)" \
	sh -c '[ "$1" -eq 0 ] && grep -qx "max seq: 57" "$2" && grep -qx "records: 4" "$2"' - "$prc" "$SCRATCH/p"
sed 's/^/#   /' "$SCRATCH/pe"
probe_k kinesis-scan journal-target 1
check "with a budget of 1 GetRecords call the scan says it is not complete" \
	sh -c '[ "$1" -eq 0 ] && grep -qx "complete: no" "$2"' - "$prc" "$SCRATCH/p"
awsk kinesis put-record --stream-name journal-target --partition-key e --data "$(printf 'not ion {' | base64 -w0)"
probe_k kinesis-scan journal-target
check "a record that is not a journal record: exit 2, one line naming it" \
	sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "journal record" "$2"' - "$prc" "$SCRATCH/pe"
probe_k kinesis-summary no-such-stream
check "a stream that does not exist: exit 2, ResourceNotFoundException in one line" \
	sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q ResourceNotFoundException "$2"' - "$prc" "$SCRATCH/pe"

# ---- s3rver -----------------------------------------------------------------
mkdir -p "$SCRATCH/s3data"
NODE_PATH="$PEERS/node_modules" node -e '
const S3rver = require("s3rver");
new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: process.argv[1] })
  .run().then((a) => console.log("port: " + a.port));
' "$SCRATCH/s3data" >"$SCRATCH/s.out" 2>"$SCRATCH/s.err" &
PIDS="$PIDS $!"
sport() { grep -q '^port: ' "$SCRATCH/s.out"; }
check "s3rver listens on 127.0.0.1 within 10 s" wait_for 10 sport
SURL=http://127.0.0.1:$(sed -n 's/^port: //p' "$SCRATCH/s.out")
check "s3rver is bound to 127.0.0.1 only (ss)" bound_loopback "${SURL##*:}"

# the export, from qldbtop serve
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 --export-seconds 0 >"$SCRATCH/serve.out" 2>"$SCRATCH/serve.err" &
PIDS="$PIDS $!"
served() { grep -q '^endpoint: http://' "$SCRATCH/serve.out"; }
check "serve prints its endpoint within 10 s" wait_for 10 served
URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/serve.out")
KEY=$(sed -n 's/^access key id: //p' "$SCRATCH/serve.out")
SECRET=$(sed -n 's/^secret access key: //p' "$SCRATCH/serve.out")
awsq() {
	env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$URL" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
}
awss() {
	env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$SURL" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
}
awsq s3 mb s3://ledger-exports
awsq qldb get-digest --name financial-ledger
cp "$SCRATCH/out" "$SCRATCH/digest.json"
printf '{"Bucket":"ledger-exports","Prefix":"ion/","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}\n' >"$SCRATCH/cfg.json"
awsq qldb export-journal-to-s3 --name financial-ledger --inclusive-start-time "$(date -u -d @0 +%Y-%m-%dT%H:%M:%SZ)" \
	--exclusive-end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --role-arn arn:aws:iam::123456789012:role/qldb-export \
	--s3-export-configuration "file://$SCRATCH/cfg.json" --output-format ION_TEXT --query ExportId --output text
check "serve exports its journal (ION_TEXT)" test "$rc" -eq 0
done_() { awsq qldb describe-journal-s3-export --name financial-ledger --export-id "$(cat "$SCRATCH/id")" \
	--query ExportDescription.Status --output text && [ "$(cat "$SCRATCH/out")" = COMPLETED ]; }
cp "$SCRATCH/out" "$SCRATCH/id"
check "the export is COMPLETED within 20 s" wait_for 20 done_
awsq s3 cp --recursive s3://ledger-exports/ion/ "$SCRATCH/dl"
check "aws s3 cp --recursive from serve" test "$rc" -eq 0
awss s3 mb s3://peer-exports
check "aws s3 mb on s3rver" test "$rc" -eq 0
awss s3 cp --recursive "$SCRATCH/dl" "s3://peer-exports/copied/ion/"
check "aws s3 cp --recursive up to s3rver" test "$rc" -eq 0

vs() { # WANT NAME ARGS...: verify-export on s3rver
	want=$1 name=$2
	shift 2
	env -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_S3 -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID="${VS_KEY:-S3RVER}" \
		AWS_SECRET_ACCESS_KEY="${VS_KEY:-S3RVER}" AWS_DEFAULT_REGION=us-east-1 \
		"$QLDBTOP_BIN" verify-export "$@" --endpoint-url "$SURL" >"$SCRATCH/v" 2>"$SCRATCH/ve"
	vrc=$?
	if [ "$vrc" -eq "$want" ]; then
		ok "$name: exit $want"
	else
		not_ok "$name: exit $vrc, want $want"
		sed 's/^/#   /' "$SCRATCH/v" "$SCRATCH/ve" | tail -n 15
	fi
}
vs 0 "verify-export s3://peer-exports/copied/ion/ on s3rver with the digest" \
	s3://peer-exports/copied/ion/ --digest "$SCRATCH/digest.json"
check "  it ends VERIFIED" sh -c 'tail -n 1 "$1" | grep -q "^VERIFIED"' - "$SCRATCH/v"
check "  blocks were read from s3rver" sh -c 'grep -q "^blocks read: [1-9]" "$1"' - "$SCRATCH/v"
VS_KEY=AKIDNOTS3RVER vs 2 "verify-export on s3rver with keys it does not accept" s3://peer-exports/copied/ion/
check "  one line naming InvalidAccessKeyId" \
	sh -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q InvalidAccessKeyId "$1"' - "$SCRATCH/ve"
vs 2 "verify-export of a bucket s3rver does not have" s3://no-such-bucket/x/
obj=$(find "$SCRATCH/dl" -name '*.*-*.ion' -type f | head -n 1)
rel=${obj#"$SCRATCH/dl/"}
sed 's/CREATE TABLE Accounts/CREATE TABLE Acc0unts/' "$obj" >"$SCRATCH/tampered.ion"
check "the tampered copy differs from the data object" sh -c '! cmp -s "$1" "$2"' - "$obj" "$SCRATCH/tampered.ion"
awss s3 cp "$SCRATCH/tampered.ion" "s3://peer-exports/copied/ion/$rel"
check "aws s3 cp replaces the object on s3rver" test "$rc" -eq 0
vs 1 "verify-export of the tampered copy on s3rver" s3://peer-exports/copied/ion/ --digest "$SCRATCH/digest.json"
check "  a FAILED line names the object" grep -q "^FAILED seq .*$(basename "$rel")" "$SCRATCH/v"

# svc_probe's listing and ranged reads agree with the CLI byte for byte
env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER "$TOOLS/svc_probe" --endpoint-url "$SURL" \
	s3-get "s3://peer-exports/copied/ion/$rel" >"$SCRATCH/got" 2>"$SCRATCH/pe"
check "svc_probe s3-get (ranged GetObject) returns the object the CLI put" cmp -s "$SCRATCH/got" "$SCRATCH/tampered.ion"

# ---- serve: streams, exports, lag, metrics -----------------------------------
probe_q() {
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" "$TOOLS/svc_probe" --endpoint-url "$URL" \
		"$@" >"$SCRATCH/p" 2>"$SCRATCH/pe"
	prc=$?
}
export_id=$(cat "$SCRATCH/id")
probe_q exports financial-ledger
check "svc_probe ListJournalS3ExportsForLedger on serve: the CLI's export, COMPLETED, ION_TEXT, SSE_S3" \
	grep -q "^export: $export_id status COMPLETED bucket ledger-exports prefix \"ion/\" encryption SSE_S3 format ION_TEXT" "$SCRATCH/p"
probe_q export financial-ledger "$export_id"
check "svc_probe DescribeJournalS3Export: the same" grep -q "^export: $export_id status COMPLETED" "$SCRATCH/p"
probe_q export financial-ledger AAAAAAAAAAAAAAAAAAAAAA
check "DescribeJournalS3Export of an unknown id: exit 2, ResourceNotFoundException" \
	sh -c '[ "$1" -eq 2 ] && grep -q ResourceNotFoundException "$2"' - "$prc" "$SCRATCH/pe"
awsq kinesis create-stream --stream-name lag-target --shard-count 2
kactive() { awsq kinesis describe-stream-summary --stream-name lag-target \
	--query StreamDescriptionSummary.StreamStatus --output text && [ "$(cat "$SCRATCH/out")" = ACTIVE ]; }
check "serve's Kinesis stream becomes ACTIVE" wait_for 10 kactive
awsq qldb stream-journal-to-kinesis --ledger-name financial-ledger --stream-name lag-journal \
	--role-arn arn:aws:iam::123456789012:role/qldb-stream --inclusive-start-time "$(date -u -d @0 +%Y-%m-%dT%H:%M:%SZ)" \
	--kinesis-configuration "StreamArn=arn:aws:kinesis:us-east-1:123456789012:stream/lag-target,AggregationEnabled=true" \
	--query StreamId --output text
stream_id=$(cat "$SCRATCH/out")
check "aws qldb stream-journal-to-kinesis: a stream id" sh -c 'echo "$1" | grep -Eq "^[A-Za-z0-9]{22}$"' - "$stream_id"
probe_q streams financial-ledger
check "svc_probe ListJournalKinesisStreamsForLedger: the CLI's stream, ACTIVE, aggregated, its Kinesis ARN" \
	grep -q "^stream: $stream_id name lag-journal status ACTIVE kinesis arn:aws:kinesis:us-east-1:123456789012:stream/lag-target aggregation true error -" "$SCRATCH/p"
probe_q stream financial-ledger "$stream_id"
check "svc_probe DescribeJournalKinesisStream: the same" grep -q "^stream: $stream_id name lag-journal status ACTIVE" "$SCRATCH/p"
awsq qldb get-digest --name financial-ledger --query DigestTipAddress.IonText --output text
tip=$(sed -n 's/.*sequenceNo: *\([0-9]*\).*/\1/p' "$SCRATCH/out")
caught_up() { probe_q kinesis-scan lag-target 1000 "$tip" && grep -qx "lag: 0" "$SCRATCH/p"; }
check "the lag scan reaches the digest's tip ($tip) within 10 s: lag 0 blocks" wait_for 10 caught_up
check "  the highest block seen is the tip itself, every shard read" \
	sh -c 'grep -qx "max seq: $1" "$2" && grep -qx "complete: yes" "$2"' - "$tip" "$SCRATCH/p"
probe_q kinesis-scan lag-target 1000 "$((tip + 5))"
check "  against a tip 5 blocks further on, the lag is 5" grep -qx "lag: 5" "$SCRATCH/p"
probe_q kinesis-arn arn:aws:kinesis:us-east-1:123456789012:stream/lag-target
check "the stream name from the journal stream's ARN" grep -qx "name: lag-target" "$SCRATCH/p"
probe_q cloudwatch financial-ledger 3600
check "svc_probe GetMetricData on serve: six metrics, each Complete" \
	sh -c '[ "$1" -eq 0 ] && [ "$(grep -c "^metric: .* status Complete points" "$2")" -eq 6 ]' - "$prc" "$SCRATCH/p"
sed 's/^/#   /' "$SCRATCH/p" "$SCRATCH/pe"
check "  JournalStorage has points" grep -q "^metric: JournalStorage status Complete points [1-9]" "$SCRATCH/p"
probe_q cloudwatch no-such-ledger 3600
check "  a ledger with no data: Complete and no points (as CloudWatch answers)" \
	sh -c '[ "$(grep -c "status Complete points 0$" "$1")" -eq 6 ]' - "$SCRATCH/p"
env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY=wrong-secret-do-not-print "$TOOLS/svc_probe" --endpoint-url "$URL" \
	cloudwatch financial-ledger 600 >"$SCRATCH/p" 2>"$SCRATCH/pe"
check "  a wrong secret: exit 2, one line, the code named, the secret not" \
	sh -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q "SignatureDoesNotMatch" "$1" && ! grep -q do-not-print "$1"' - "$SCRATCH/pe"
exit 0
