#!/bin/sh
# serve_scenario.sh - `serve --scenario`: each scripted fault and event is
# what a client sees (signed requests with curl, so no client retries hide
# them; the AWS CLI for the control plane):
#   throttle -> 400 ThrottlingException; error 503 -> 503
#   ServiceUnavailableException; latency -> the answer waits; drop -> no
#   answer at all; malformed -> a 200 that is not JSON; truncate -> a 200
#   cut short; kms-inaccessible -> KMS_KEY_INACCESSIBLE with
#   InaccessibleKmsKeyDateTime; impair-stream -> IMPAIRED with its
#   ErrorCause; fail-export -> CANCELLED; tamper-block -> that block's
#   proof fails verify-proof (exit 1); fork -> a block at the old tip no
#   longer proves against the digest published before (exit 1); faults end
#   when their time does. A bad scenario file is exit 2, one line naming
#   the file and line.
. tests/lib/tap.sh

AWS=$(debian_aws)
KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

start() { # NAME SCENARIO ARGS...
	name=$1 scn=$2; shift 2
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --scenario "$scn" "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &
	PID=$!
	PIDS="$PIDS $PID"
	i=0
	while ! grep -q '^endpoint: ' "$SCRATCH/$name.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && return 1; sleep 0.05
	done
	URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/$name.out")
	T0=$(date +%s%N)
}
# until MS: sleep until MS milliseconds after the start
until_ms() { now=$(( ($(date +%s%N) - T0) / 1000000 )); [ "$now" -lt "$1" ] && sleep "$(awk -v d=$(( $1 - now )) 'BEGIN{printf "%.3f", d/1000}')"; true; }
# digest: a signed GetDigest; status in $code, curl's exit in $crc, body in $SCRATCH/body
digest() {
	code=$(curl -s -o "$SCRATCH/body" -D "$SCRATCH/headers" -w '%{http_code}' --max-time 5 --aws-sigv4 "aws:amz:us-east-1:qldb" \
		--user "$KEY:$SECRET" -H 'Content-Type: application/json' -d '{}' \
		"$URL/ledgers/financial-ledger/digest")
	crc=$?
}
aws_() {
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		AWS_MAX_ATTEMPTS=1 "$AWS" "$@" --endpoint-url "$URL" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
}

cat >"$SCRATCH/faults.scn" <<'SCN'
# one window per fault, 1.5 s apart
at 0s     throttle qldb 1 for 1s
at 1500ms error qldb 503 1 for 1s
at 3s     latency qldb 800ms for 1s
at 4500ms drop qldb 1 for 1s
at 6s     malformed qldb 1 for 1s
at 7500ms truncate qldb 1 for 1s
at 9s     kms-inaccessible financial-ledger
at 9s     tamper-block financial-ledger 5
at 24s    impair-stream financial-ledger IAM_PERMISSION_REVOKED
at 24s    fail-export financial-ledger
SCN
start f "$SCRATCH/faults.scn" --rate 0
until_ms 200; digest
check "throttle: 400 ThrottlingException" sh -c '[ "$1" = 400 ] && grep -qi "^x-amzn-ErrorType: ThrottlingException" "$2"' - "$code" "$SCRATCH/headers"
until_ms 1700; digest
check "error 503: 503 ServiceUnavailableException" sh -c '[ "$1" = 503 ] && grep -qi "^x-amzn-ErrorType: ServiceUnavailableException" "$2"' - "$code" "$SCRATCH/headers"
until_ms 3200; a=$(date +%s%N); digest; b=$(date +%s%N)
check "latency 800ms: the answer (200) waits at least 800 ms" sh -c '[ "$1" = 200 ] && [ $(( ($3 - $2) / 1000000 )) -ge 800 ]' - "$code" "$a" "$b"
until_ms 4700; digest
check "drop: no answer at all (curl: empty reply)" sh -c '[ "$1" -eq 52 ]' - "$crc"
until_ms 6200; digest
check "malformed: a 200 whose body is not JSON" sh -c '[ "$1" = 200 ] && ! python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$2" 2>/dev/null' - "$code" "$SCRATCH/body"
until_ms 7700; digest
check "truncate: a 200 cut short (not JSON)" sh -c '[ "$1" = 200 ] && [ -s "$2" ] && ! python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$2" 2>/dev/null' - "$code" "$SCRATCH/body"
until_ms 9600; digest
check "after its window a fault ends: GetDigest answers 200 with JSON again" sh -c '[ "$1" = 200 ] && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$2"' - "$code" "$SCRATCH/body"
cp "$SCRATCH/body" "$SCRATCH/digest.json"
if [ -n "$AWS" ]; then
	aws_ qldb describe-ledger --name financial-ledger --query '[EncryptionDescription.EncryptionStatus, EncryptionDescription.InaccessibleKmsKeyDateTime!=null]' --output text
	check "kms-inaccessible: KMS_KEY_INACCESSIBLE with InaccessibleKmsKeyDateTime" test "$(cat "$SCRATCH/out")" = "$(printf 'KMS_KEY_INACCESSIBLE\tTrue')"
	aws_ qldb stream-journal-to-kinesis --ledger-name financial-ledger --stream-name s1 \
		--role-arn arn:aws:iam::123456789012:role/r --inclusive-start-time 2020-01-01T00:00:00Z \
		--kinesis-configuration StreamArn=arn:aws:kinesis:us-east-1:123456789012:stream/k1 --query StreamId --output text
	sid=$(cat "$SCRATCH/out")
	# the bucket exists: only the scripted event can cancel the export; the
	# events come at 24 s, well after the stream exists even under ASan
	aws_ s3 mb s3://bucket-one
	until_ms 24200
	revoked() {
		aws_ qldb describe-journal-kinesis-stream --ledger-name financial-ledger --stream-id "$sid" \
			--query '[Stream.Status, Stream.ErrorCause]' --output text &&
			[ "$(cat "$SCRATCH/out")" = "$(printf 'IMPAIRED\tIAM_PERMISSION_REVOKED')" ]
	}
	check "impair-stream: IMPAIRED with ErrorCause IAM_PERMISSION_REVOKED" wait_for 3 revoked
	printf '{"Bucket":"bucket-one","Prefix":"p/","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}\n' >"$SCRATCH/cfg.json"
	aws_ qldb export-journal-to-s3 --name financial-ledger --inclusive-start-time 2020-01-01T00:00:00Z \
		--exclusive-end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --role-arn arn:aws:iam::123456789012:role/r \
		--s3-export-configuration "file://$SCRATCH/cfg.json" --query ExportId --output text
	eid=$(cat "$SCRATCH/out")
	sed 's/^/# /' "$SCRATCH/err"
	aws_ qldb describe-journal-s3-export --name financial-ledger --export-id "$eid" --query ExportDescription.Status --output text
	check "fail-export: the next export is CANCELLED" test "$(cat "$SCRATCH/out")" = CANCELLED
	aws_ qldb export-journal-to-s3 --name financial-ledger --inclusive-start-time 2020-01-01T00:00:00Z \
		--exclusive-end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --role-arn arn:aws:iam::123456789012:role/r \
		--s3-export-configuration "file://$SCRATCH/cfg.json" --query ExportId --output text
	eid=$(cat "$SCRATCH/out")
	aws_ qldb describe-journal-s3-export --name financial-ledger --export-id "$eid" --query ExportDescription.Status --output text
	check "fail-export: only the next one; the export after it runs (IN_PROGRESS)" test "$(cat "$SCRATCH/out")" = IN_PROGRESS
else
	not_ok "the Debian AWS CLI is installed (make deps)"
fi
S=$(sed -n 's/.*strandId:\\"\([A-Za-z0-9]*\)\\".*/\1/p' "$SCRATCH/digest.json")
T=$(sed -n 's/.*sequenceNo:\([0-9]*\).*/\1/p' "$SCRATCH/digest.json")
block() { # SEQ TIP OUT
	curl -s -f --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" -H 'Content-Type: application/json' \
		-d "{\"BlockAddress\":{\"IonText\":\"{strandId:\\\"$S\\\",sequenceNo:$1}\"},\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"$S\\\",sequenceNo:$2}\"}}" \
		-o "$3" "$URL/ledgers/financial-ledger/block"
}
block 5 "$T" "$SCRATCH/b5.json"
"$QLDBTOP_BIN" verify-proof "$SCRATCH/b5.json" --digest "$SCRATCH/digest.json" >"$SCRATCH/vp" 2>&1
check "tamper-block 5: its proof fails (verify-proof exit 1)" test $? -eq 1
block 6 "$T" "$SCRATCH/b6.json"
"$QLDBTOP_BIN" verify-proof "$SCRATCH/b6.json" --digest "$SCRATCH/digest.json" >"$SCRATCH/vp" 2>&1
check "tamper-block 5: block 6 still proves (exit 0)" test $? -eq 0

# fork: the digest published before no longer covers what is served
printf 'at 2s fork financial-ledger 12\n' >"$SCRATCH/fork.scn"
start k "$SCRATCH/fork.scn" --rate 20
digest; cp "$SCRATCH/body" "$SCRATCH/before.json"
S=$(sed -n 's/.*strandId:\\"\([A-Za-z0-9]*\)\\".*/\1/p' "$SCRATCH/before.json")
T=$(sed -n 's/.*sequenceNo:\([0-9]*\).*/\1/p' "$SCRATCH/before.json")
until_ms 2500 # the fork (at 2 s on serve's clock, which started first) is done
# then the rewritten journal grows back past the old tip (20 blocks/s; a
# loaded machine is slower, so wait for it rather than for a fixed time)
grown() {
	digest
	NT=$(sed -n 's/.*sequenceNo:\([0-9]*\).*/\1/p' "$SCRATCH/body")
	[ -n "$NT" ] && [ "$NT" -ge "$T" ]
}
if wait_for 30 grown; then
	block "$T" "$T" "$SCRATCH/bt.json"
	"$QLDBTOP_BIN" verify-proof "$SCRATCH/bt.json" --digest "$SCRATCH/before.json" >"$SCRATCH/vp" 2>&1
	check "fork: block $T (the old tip) no longer proves against the old digest (exit 1)" test $? -eq 1
else
	not_ok "fork: the journal grew back past the old tip $T (now $NT)"
fi

printf 'at 1s throttle qldb 0.5\nat 2s throttle qldb 1.5\n' >"$SCRATCH/bad.scn"
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --scenario "$SCRATCH/bad.scn" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err"
brc=$?
check "a bad scenario line: exit 2, one line naming file:line" \
	sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "bad.scn:2:" "$2"' - "$brc" "$SCRATCH/bad.err"
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --scenario no-such-scenario >/dev/null 2>"$SCRATCH/ns.err"
check "an unknown scenario name: exit 2, one line" sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ]' - "$?" "$SCRATCH/ns.err"
exit 0
