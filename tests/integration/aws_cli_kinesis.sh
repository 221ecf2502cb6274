#!/bin/sh
# aws_cli_kinesis.sh - the real Debian AWS CLI (2.9.19) against the
# endpoint's Kinesis: create-stream (CREATING, then ACTIVE), describe-stream,
# describe-stream-summary, list-streams (paged), list-shards (hash ranges
# that cover the 128-bit space), put-record and put-records, then
# get-shard-iterator (TRIM_HORIZON, AT_/AFTER_SEQUENCE_NUMBER, LATEST,
# AT_TIMESTAMP) and get-records give back exactly the bytes put, in order;
# retention, encryption and tags set and shown by describe-stream(-summary);
# delete-stream (DELETING, then gone). Errors as the CLI shows them: a
# missing stream is ResourceNotFoundException (exit 254), a forged
# iterator InvalidArgumentException, a bad shard count ValidationException,
# a wrong secret 403 with a message.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi

start_serve --rate 0

# k [VAR=VALUE...] -- ARGS...: `aws kinesis ARGS` with the demo keys, no
# config files, no pager; stdout in $SCRATCH/out, stderr in $SCRATCH/err
k() {
	extra=
	while [ "$1" != "--" ]; do extra="$extra $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		AWS_SESSION_TOKEN= $extra "$AWS" kinesis "$@" --endpoint-url "$URL" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/err"
}
# raw OPERATION JSON: the same request by curl's own SigV4 signer (an
# independent client, and fast enough to see CREATING); the body in
# $SCRATCH/raw, the HTTP status in $code
raw() {
	code=$(curl -s -o "$SCRATCH/raw" -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:kinesis \
		--user "$KEY:$SECRET" -H "X-Amz-Target: Kinesis_20131202.$1" \
		-H 'Content-Type: application/x-amz-json-1.1' --data-binary "$2" "$URL/")
	echo "# $1 -> $code $(cut -c1-200 "$SCRATCH/raw")"
}
raw_is() { [ "$code" = "$1" ] && grep -q "\"__type\":\"$2\"" "$SCRATCH/raw" && grep -Eq '"message":"[^"]+"' "$SCRATCH/raw"; }
out_is() { test "$(cat "$SCRATCH/out")" = "$1"; }
err_has() { grep -q "$1" "$SCRATCH/err"; }
status_is() {
	k -- describe-stream-summary --stream-name "$1" \
		--query StreamDescriptionSummary.StreamStatus --output text
	out_is "$2"
}
gone() {
	k -- describe-stream-summary --stream-name "$1"
	[ "$rc" -eq 254 ] && err_has ResourceNotFoundException
}

# --- create, describe, list -------------------------------------------------
k -- create-stream --stream-name orders --shard-count 3
check "create-stream orders (3 shards): exit 0" test "$rc" -eq 0
k -- create-stream --stream-name audit --stream-mode-details StreamMode=ON_DEMAND
check "create-stream audit (ON_DEMAND): exit 0" test "$rc" -eq 0
raw CreateStream '{"StreamName":"fresh","ShardCount":1}'
raw DescribeStreamSummary '{"StreamName":"fresh"}'
check "a new stream is CREATING at first (curl's signer)" grep -q '"StreamStatus":"CREATING"' "$SCRATCH/raw"
check "fresh becomes ACTIVE within 10 s" wait_for 10 status_is fresh ACTIVE
check "orders becomes ACTIVE within 10 s" wait_for 10 status_is orders ACTIVE
check "audit becomes ACTIVE within 10 s" wait_for 10 status_is audit ACTIVE

k -- create-stream --stream-name orders --shard-count 1
check "create-stream of an existing name: exit 254, ResourceInUseException" \
	sh -c '[ "$1" -eq 254 ] && grep -q ResourceInUseException "$2"' - "$rc" "$SCRATCH/err"
raw CreateStream '{"StreamName":"bad","ShardCount":0}'
check "ShardCount 0: 400 ValidationException with a message" raw_is 400 ValidationException
raw CreateStream '{"StreamName":"bad name","ShardCount":1}'
check "a stream name outside [a-zA-Z0-9_.-]: ValidationException" raw_is 400 ValidationException
raw CreateStream '{"StreamName":"bad","ShardCount":"1"}'
check "ShardCount as a string: SerializationException" raw_is 400 SerializationException
raw ListStreams '{"Limit":'
check "a body that is not JSON: SerializationException" raw_is 400 SerializationException
raw MergeShards '{}'
check "an operation the endpoint does not have: UnknownOperationException" raw_is 400 UnknownOperationException
raw CreateStream '{"StreamName":"bad"}'
check "PROVISIONED without ShardCount: InvalidArgumentException" raw_is 400 InvalidArgumentException
raw CreateStream '{"StreamName":"huge","ShardCount":100000}'
check "more shards than the account may have: LimitExceededException" raw_is 400 LimitExceededException
k -- delete-stream --stream-name fresh
check "delete-stream fresh: exit 0, and it is gone within 10 s" wait_for 10 gone fresh

k -- describe-stream --stream-name orders --query \
	'[StreamDescription.StreamName,StreamDescription.StreamStatus,StreamDescription.StreamARN,StreamDescription.RetentionPeriodHours,length(StreamDescription.Shards)]' \
	--output text
check "describe-stream: name, ACTIVE, ARN, 24 h, 3 shards" \
	out_is "$(printf 'orders\tACTIVE\tarn:aws:kinesis:us-east-1:123456789012:stream/orders\t24\t3')"
k -- describe-stream --stream-name orders --query StreamDescription.StreamCreationTimestamp --output text
check "describe-stream: StreamCreationTimestamp reads as a timestamp" \
	grep -Eq '^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:.]+\+00:00$' "$SCRATCH/out"
k -- describe-stream --stream-name orders --page-size 1 --query 'StreamDescription.Shards[].ShardId' --output text
check "describe-stream --page-size 1: the CLI pages by ExclusiveStartShardId to all three" \
	out_is "$(printf 'shardId-000000000000\nshardId-000000000001\nshardId-000000000002')"
k -- describe-stream-summary --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/audit \
	--query '[StreamDescriptionSummary.OpenShardCount,StreamDescriptionSummary.StreamModeDetails.StreamMode,StreamDescriptionSummary.EncryptionType]' \
	--output text
check "describe-stream-summary by ARN: 4 open shards, ON_DEMAND, no encryption" \
	out_is "$(printf '4\tON_DEMAND\tNONE')"

k -- list-streams --query StreamNames --output text
check "list-streams: both, by name" out_is "$(printf 'audit\torders')"
k -- list-streams --page-size 1 --query 'StreamSummaries[].[StreamName,StreamStatus]' --output text
check "list-streams --page-size 1: the CLI follows NextToken to both summaries" \
	out_is "$(printf 'audit\tACTIVE\norders\tACTIVE')"

k -- list-shards --stream-name orders --page-size 2 \
	--query 'Shards[].[ShardId,HashKeyRange.StartingHashKey,HashKeyRange.EndingHashKey]' --output text
cp "$SCRATCH/out" "$SCRATCH/shards"
check "list-shards --page-size 2: three shards through NextToken" test "$(wc -l <"$SCRATCH/shards")" -eq 3
check "list-shards: the ranges split 0..2^128-1 evenly and meet" python3 - "$SCRATCH/shards" <<'EOF'
import sys
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
top = 2**128
want = [(top * i // 3, top * (i + 1) // 3 - 1) for i in range(3)]
got = [(int(r[1]), int(r[2])) for r in rows]
sys.exit(0 if got == want and [r[0] for r in rows] == ['shardId-%012d' % i for i in range(3)] else 1)
EOF

# --- write, read back ----------------------------------------------------------
printf 'first record \001\377 binary' >"$SCRATCH/d1"
k -- put-record --stream-name orders --partition-key p1 --data "fileb://$SCRATCH/d1" \
	--query '[ShardId,SequenceNumber]' --output text
check "put-record: a shard id and a 56-digit sequence number" \
	grep -Eq '^shardId-00000000000[0-2]	[1-9][0-9]{55}$' "$SCRATCH/out"
SHARD=$(cut -f1 "$SCRATCH/out")
SEQ1=$(cut -f2 "$SCRATCH/out")
check "put-record: p1 goes to the shard whose range holds MD5(p1)" python3 - "$SCRATCH/shards" "$SHARD" <<'EOF'
import hashlib, sys
h = int.from_bytes(hashlib.md5(b'p1').digest(), 'big')
for l in open(sys.argv[1]):
    sid, lo, hi = l.split()
    if int(lo) <= h <= int(hi):
        sys.exit(0 if sid == sys.argv[2] else 1)
sys.exit(1)
EOF
printf 'second' >"$SCRATCH/d2"
k -- put-record --stream-name orders --partition-key p1 --data "fileb://$SCRATCH/d2" \
	--query SequenceNumber --output text
SEQ2=$(cat "$SCRATCH/out")
check "put-record: sequence numbers increase" python3 -c "import sys; sys.exit(0 if int('$SEQ2') > int('$SEQ1') else 1)"
k -- put-records --stream-name orders --records \
	"Data=$(printf third | base64),PartitionKey=p1" "Data=$(printf fourth | base64),PartitionKey=p1" \
	--cli-binary-format base64 --query '[FailedRecordCount,length(Records)]' --output text
check "put-records: two written, none failed" out_is "$(printf '0\t2')"

k -- get-shard-iterator --stream-name orders --shard-id "$SHARD" --shard-iterator-type TRIM_HORIZON \
	--query ShardIterator --output text
IT=$(cat "$SCRATCH/out")
check "get-shard-iterator TRIM_HORIZON: an opaque iterator" sh -c '[ "$1" -eq 0 ] && [ ${#2} -gt 20 ]' - "$rc" "$IT"
k -- get-records --shard-iterator "$IT" --query 'Records[].Data' --output text
printf '%s\t%s\t%s\t%s' "$(base64 <"$SCRATCH/d1")" "$(base64 <"$SCRATCH/d2")" \
	"$(printf third | base64)" "$(printf fourth | base64)" >"$SCRATCH/want"
check "get-records: the four records, in order, byte for byte" out_is "$(cat "$SCRATCH/want")"
k -- get-records --shard-iterator "$IT" --limit 1 --query 'Records[0].Data' --output text
base64 -d "$SCRATCH/out" >"$SCRATCH/got1" 2>/dev/null
check "get-records --limit 1: the binary first record decodes to what was put" cmp -s "$SCRATCH/got1" "$SCRATCH/d1"
k -- get-records --shard-iterator "$IT" --limit 1 \
	--query '[Records[0].PartitionKey,Records[0].SequenceNumber,MillisBehindLatest >= `0`]' --output text
check "get-records: partition key, sequence number, MillisBehindLatest" \
	out_is "$(printf 'p1\t%s\tTrue' "$SEQ1")"
k -- get-records --shard-iterator "$IT" --limit 1 --query Records[0].ApproximateArrivalTimestamp --output text
check "get-records: ApproximateArrivalTimestamp reads as a timestamp" \
	grep -Eq '^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:.]+\+00:00$' "$SCRATCH/out"
k -- get-records --shard-iterator "$IT" --limit 2 --query NextShardIterator --output text
NEXT=$(cat "$SCRATCH/out")
k -- get-records --shard-iterator "$NEXT" --query 'Records[].Data' --output text
check "NextShardIterator continues after the records read" \
	out_is "$(printf '%s\t%s' "$(printf third | base64)" "$(printf fourth | base64)")"

k -- get-shard-iterator --stream-name orders --shard-id "$SHARD" \
	--shard-iterator-type AFTER_SEQUENCE_NUMBER --starting-sequence-number "$SEQ1" \
	--query ShardIterator --output text
k -- get-records --shard-iterator "$(cat "$SCRATCH/out")" --limit 1 --query 'Records[0].SequenceNumber' --output text
check "AFTER_SEQUENCE_NUMBER: the next record" out_is "$SEQ2"
k -- get-shard-iterator --stream-name orders --shard-id "$SHARD" \
	--shard-iterator-type AT_SEQUENCE_NUMBER --starting-sequence-number "$SEQ2" \
	--query ShardIterator --output text
k -- get-records --shard-iterator "$(cat "$SCRATCH/out")" --limit 1 --query 'Records[0].SequenceNumber' --output text
check "AT_SEQUENCE_NUMBER: that record" out_is "$SEQ2"
k -- get-shard-iterator --stream-name orders --shard-id "$SHARD" \
	--shard-iterator-type AT_TIMESTAMP --timestamp 2020-01-01T00:00:00Z --query ShardIterator --output text
k -- get-records --shard-iterator "$(cat "$SCRATCH/out")" --query 'length(Records)' --output text
check "AT_TIMESTAMP before the first record: all four" out_is 4
k -- get-shard-iterator --stream-name orders --shard-id "$SHARD" --shard-iterator-type LATEST \
	--query ShardIterator --output text
LATEST=$(cat "$SCRATCH/out")
k -- get-records --shard-iterator "$LATEST" --query 'length(Records)' --output text
check "LATEST: nothing yet" out_is 0
k -- put-record --stream-name orders --partition-key p1 --data "$(printf fifth | base64)" --cli-binary-format base64
k -- get-records --shard-iterator "$LATEST" --query 'Records[].Data' --output text
check "LATEST: then the record put after it" out_is "$(printf fifth | base64)"

# --- errors ------------------------------------------------------------------------
k -- describe-stream --stream-name missing
check "describe-stream of a missing stream: exit 254" test "$rc" -eq 254
check "describe-stream of a missing stream: ResourceNotFoundException naming it" \
	grep -q 'ResourceNotFoundException.*Stream missing under account 123456789012 not found' "$SCRATCH/err"
k -- describe-stream-summary --stream-name missing
check "describe-stream-summary of a missing stream: ResourceNotFoundException" \
	sh -c '[ "$1" -eq 254 ] && grep -q ResourceNotFoundException "$2"' - "$rc" "$SCRATCH/err"
FORGED=$(printf '%s' "$IT" | base64 -d | sed 's/|0|/|1|/' | base64 -w0)
k -- get-records --shard-iterator "$FORGED"
check "get-records with an edited iterator: exit 254, InvalidArgumentException" \
	sh -c '[ "$1" -eq 254 ] && grep -q "InvalidArgumentException.*Invalid ShardIterator" "$2"' - "$rc" "$SCRATCH/err"
k -- get-records --shard-iterator not-an-iterator
check "get-records with garbage: InvalidArgumentException" err_has InvalidArgumentException
k -- get-shard-iterator --stream-name orders --shard-id shardId-000000000009 --shard-iterator-type LATEST
check "get-shard-iterator on a missing shard: ResourceNotFoundException" err_has ResourceNotFoundException
k -- get-shard-iterator --stream-name orders --shard-id "$SHARD" \
	--shard-iterator-type AT_SEQUENCE_NUMBER --starting-sequence-number 12345
check "get-shard-iterator with a foreign sequence number: InvalidArgumentException" \
	err_has InvalidArgumentException
k -- put-record --stream-name missing --partition-key p --data "$(printf x | base64)" --cli-binary-format base64
check "put-record to a missing stream: ResourceNotFoundException" err_has ResourceNotFoundException

# --- settings: retention, encryption, tags --------------------------------------------
k -- increase-stream-retention-period --stream-name orders --retention-period-hours 168
check "increase-stream-retention-period to 168: exit 0" test "$rc" -eq 0
k -- increase-stream-retention-period --stream-name orders --retention-period-hours 48
check "increase-stream-retention-period to less than 168: InvalidArgumentException" \
	sh -c '[ "$1" -eq 254 ] && grep -q "InvalidArgumentException.*can not be shorter" "$2"' - "$rc" "$SCRATCH/err"
k -- start-stream-encryption --stream-name orders --encryption-type KMS --key-id alias/aws/kinesis
check "start-stream-encryption KMS alias/aws/kinesis: exit 0" test "$rc" -eq 0
k -- add-tags-to-stream --stream-name orders --tags Environment=production,Purpose=journal
check "add-tags-to-stream: exit 0" test "$rc" -eq 0
k -- list-tags-for-stream --stream-name orders --query 'Tags[].[Key,Value]' --output text
check "list-tags-for-stream: both tags, sorted by key" \
	out_is "$(printf 'Environment\tproduction\nPurpose\tjournal')"
k -- describe-stream-summary --stream-name orders --output text \
	--query 'StreamDescriptionSummary.[RetentionPeriodHours,EncryptionType,KeyId,StreamStatus]'
check "describe-stream-summary: 168 hours, KMS with the key, ACTIVE" \
	out_is "$(printf '168\tKMS\talias/aws/kinesis\tACTIVE')"
k -- remove-tags-from-stream --stream-name orders --tag-keys Purpose
k -- list-tags-for-stream --stream-name orders --query 'Tags[].Key' --output text
check "remove-tags-from-stream: only Environment is left" out_is Environment
k -- stop-stream-encryption --stream-name orders --encryption-type KMS --key-id alias/aws/kinesis
k -- decrease-stream-retention-period --stream-name orders --retention-period-hours 24
k -- describe-stream --stream-name orders --output text \
	--query 'StreamDescription.[RetentionPeriodHours,EncryptionType]'
check "stop-stream-encryption and decrease-stream-retention-period: 24 NONE" \
	out_is "$(printf '24\tNONE')"

k AWS_SECRET_ACCESS_KEY=wrong-secret -- describe-stream --stream-name orders
check "a wrong secret: refused (exit 254) with a message" \
	sh -c '[ "$1" -eq 254 ] && grep -Eq "\((InvalidSignatureException|UnrecognizedClientException|AccessDenied[A-Za-z]*)\).*[a-z]" "$2"' - "$rc" "$SCRATCH/err"
code=$(curl -s -o "$SCRATCH/body" -w '%{http_code}' -X POST "$URL/" \
	-H 'X-Amz-Target: Kinesis_20131202.ListStreams' -H 'Content-Type: application/x-amz-json-1.1' \
	-H "X-Amz-Date: 20240101T000000Z" \
	-H "Authorization: AWS4-HMAC-SHA256 Credential=$KEY/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000" \
	-d '{}')
echo "# status $code: $(cat "$SCRATCH/body")"
check "a bad signature: HTTP 403 with __type and a message" \
	sh -c '[ "$1" = 403 ] && grep -q "\"__type\"" "$2" && grep -Eq "\"message\":\"[^\"]+\"" "$2"' - "$code" "$SCRATCH/body"

# --- delete ---------------------------------------------------------------------------
k -- delete-stream --stream-name orders
check "delete-stream: exit 0" test "$rc" -eq 0
k -- get-records --shard-iterator "$NEXT"
check "get-records on a deleted stream: ResourceNotFoundException" err_has ResourceNotFoundException
check "the deleted stream is gone within 10 s" wait_for 10 gone orders
k -- list-streams --query StreamNames --output text
check "list-streams: only audit is left" out_is audit
exit 0
