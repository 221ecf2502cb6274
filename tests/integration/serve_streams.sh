#!/bin/sh
# serve_streams.sh - QLDB journal streams into the endpoint's Kinesis,
# through the Debian AWS CLI: `aws kinesis create-stream`, `aws qldb
# stream-journal-to-kinesis` (aggregated, and not), then `aws kinesis
# get-records`; the records rebuild the journal's blocks and every
# revision hash recomputes (tools/stream_read, verify/'s own Ion Hash).
# Deleting the Kinesis stream makes the journal stream IMPAIRED with
# ErrorCause KINESIS_STREAM_NOT_FOUND; cancelling one makes it CANCELED.
. tests/lib/tap.sh

AWS=$(debian_aws)
TOOLS=${QLDBTOP_TOOLS:-build/tools}
if [ -z "$AWS" ] || [ ! -x "$TOOLS/stream_read" ]; then
	not_ok "the Debian AWS CLI and tools/stream_read are there (make deps tools)"
	exit 1
fi
start_serve --rate 10
aws_() {
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$URL" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/err"
}
stream_active() {
	aws_ kinesis describe-stream-summary --stream-name "$1" \
		--query StreamDescriptionSummary.StreamStatus --output text
	[ "$(cat "$SCRATCH/out")" = ACTIVE ]
}
journal_status() { # STREAM_ID -> "STATUS CAUSE"
	aws_ qldb describe-journal-kinesis-stream --ledger-name financial-ledger --stream-id "$1" \
		--query '[Stream.Status, Stream.ErrorCause]' --output text
	cat "$SCRATCH/out"
}
# read_all NAME FILE: every record of the stream's shard, as base64 Data
read_all() {
	aws_ kinesis list-shards --stream-name "$1" --query 'Shards[0].ShardId' --output text
	shard=$(cat "$SCRATCH/out")
	aws_ kinesis get-shard-iterator --stream-name "$1" --shard-id "$shard" \
		--shard-iterator-type TRIM_HORIZON --query ShardIterator --output text
	it=$(cat "$SCRATCH/out")
	aws_ kinesis get-records --shard-iterator "$it" --limit 10000 --query 'Records[].Data' \
		--output text
	cp "$SCRATCH/out" "$2"
}

for agg in true false; do
	kname=ledger-stream-$agg
	aws_ kinesis create-stream --stream-name "$kname" --shard-count 1
	check "kinesis create-stream $kname" test "$rc" -eq 0
	check "the Kinesis stream $kname becomes ACTIVE" wait_for 10 stream_active "$kname"
	aws_ qldb stream-journal-to-kinesis --ledger-name financial-ledger --stream-name "journal-$agg" \
		--role-arn arn:aws:iam::123456789012:role/qldb-stream \
		--inclusive-start-time 2020-01-01T00:00:00Z \
		--kinesis-configuration "StreamArn=arn:aws:kinesis:us-east-1:123456789012:stream/$kname,AggregationEnabled=$agg" \
		--query StreamId --output text
	id=$(cat "$SCRATCH/out")
	check "stream-journal-to-kinesis (aggregation $agg): a stream id" sh -c 'echo "$1" | grep -Eq "^[A-Za-z0-9]{22}$"' - "$id"
	sleep 2
	read_all "$kname" "$SCRATCH/data-$agg"
	"$TOOLS/stream_read" "$SCRATCH/data-$agg" >"$SCRATCH/read" 2>&1
	src=$?
	sed 's/^/# /' "$SCRATCH/read" | tail -n 5
	check "aggregation $agg: the records rebuild blocks from genesis on, every revision hash recomputes" \
		sh -c '[ "$1" -eq 0 ] && grep -Eq "blocks ([2-9][0-9]|[0-9]{3,}) first 0 " "$2" && grep -q "control 1 " "$2"' \
		- "$src" "$SCRATCH/read"
	check "aggregation $agg: the journal stream is ACTIVE" test "$(journal_status "$id" | cut -f1)" = ACTIVE
	eval "ID_$agg=$id"
done

aws_ kinesis delete-stream --stream-name ledger-stream-true
impaired() { [ "$(journal_status "$ID_true")" = "$(printf 'IMPAIRED\tKINESIS_STREAM_NOT_FOUND')" ]; }
check "deleting the Kinesis target makes the journal stream IMPAIRED (KINESIS_STREAM_NOT_FOUND)" wait_for 10 impaired
aws_ qldb cancel-journal-kinesis-stream --ledger-name financial-ledger --stream-id "$ID_false"
check "cancel-journal-kinesis-stream: CANCELED" test "$(journal_status "$ID_false" | cut -f1)" = CANCELED
exit 0
