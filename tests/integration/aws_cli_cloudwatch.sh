#!/bin/sh
# aws_cli_cloudwatch.sh - the real Debian AWS CLI (2.9.19, query/XML form)
# against `qldbtop serve`'s CloudWatch: `aws cloudwatch get-metric-data`
# for AWS/QLDB with signatures checked. WriteIOs Sum over the last ten
# minutes at Period 60 totals the revisions the journal gained in that
# window, counted independently (each block fetched with curl's own SigV4
# and its metadata entries counted); JournalStorage grows; ReadIOs counts
# the reads this script made; IsImpaired is 0; list-metrics names the six
# metrics; the JSON 1.0 form answers too; a wrong secret is 403 with a
# message, a bad Period 400 with a message.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
if ! command -v curl >/dev/null; then
	not_ok "curl is installed"
	exit 1
fi

start_serve --rate 1
LEDGER=financial-ledger
echo "# endpoint $URL"

# cw [VAR=VALUE...] -- ARGS...: `aws cloudwatch` with the demo keys;
# stdout in $SCRATCH/out, stderr in $SCRATCH/err, status in $rc
cw() {
	extra=
	while [ "$1" != "--" ]; do extra="$extra $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		AWS_SESSION_TOKEN= $extra "$AWS" cloudwatch "$@" --endpoint-url "$URL" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err" | head -20
}

# The independent path: QLDB journal reads signed by curl (not botocore).
# Each answered read is one ReadIO; $SCRATCH/reads gets a line per read
# (a file, since reads also happen in command substitutions).
: >"$SCRATCH/reads"
qldb_read() { # OPERATION BODY -> $SCRATCH/q
	code=$(curl -s -o "$SCRATCH/q" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:qldb" \
		--user "$KEY:$SECRET" -H 'Content-Type: application/json' -X POST \
		"$URL/ledgers/$LEDGER/$1" -d "$2")
	[ "$code" = 200 ] && echo "$1" >>"$SCRATCH/reads"
}
tip() { qldb_read digest '{}'; sed -n 's/.*sequenceNo:\([0-9]*\).*/\1/p' "$SCRATCH/q"; }
STRAND=$(qldb_read digest '{}'; sed -n 's/.*strandId:\\"\([^\\]*\)\\".*/\1/p' "$SCRATCH/q")
check "the journal's strand id is read" test -n "$STRAND"

# Let the workload (1 block/s) write, then fix the window's end in the
# past and wait for a block after it, so every block before it is in.
TIP0=$(tip)
grown() { [ "$(tip)" -ge $((TIP0 + 3)) ]; }
check "the workload adds blocks" wait_for 20 grown
T_END=$(($(date +%s) - 1))
TIP1=$(tip)
past_end() { [ "$(tip)" -gt "$TIP1" ]; }
check "a block is written after the window's end" wait_for 20 past_end
T_START=$((T_END / 60 * 60 - 600))
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# Count the revisions of the blocks timestamped in [T_START, T_END).
REVS=0
BLOCKS=0
seq=$(tip)
while [ "$seq" -ge 0 ]; do
	qldb_read block "{\"BlockAddress\":{\"IonText\":\"{strandId:\\\"$STRAND\\\",sequenceNo:$seq}\"}}"
	ts=$(sed -n 's/.*blockTimestamp:\([0-9T:.Z-]*\),.*/\1/p' "$SCRATCH/q")
	ms=$(date -u -d "$ts" +%s%3N)
	[ "$ms" -lt $((T_START * 1000)) ] && break
	if [ "$ms" -lt $((T_END * 1000)) ]; then
		n=$(grep -o 'metadata:{id:' "$SCRATCH/q" | wc -l)
		REVS=$((REVS + n))
		BLOCKS=$((BLOCKS + 1))
	fi
	seq=$((seq - 1))
done
echo "# $BLOCKS blocks with $REVS revisions in [$(iso $T_START), $(iso $T_END))"
check "the window holds blocks with revisions" test "$REVS" -gt 0

query() { # FILE METRIC STAT PERIOD
	cat >"$1" <<JSON
[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/QLDB","MetricName":"$2",
  "Dimensions":[{"Name":"LedgerName","Value":"$LEDGER"}]},"Period":$4,"Stat":"$3"}}]
JSON
}

query "$SCRATCH/w.json" WriteIOs Sum 60
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/w.json" \
	--start-time "$(iso $T_START)" --end-time "$(iso $T_END)"
check "get-metric-data WriteIOs: exit 0" test "$rc" -eq 0
check "get-metric-data WriteIOs: StatusCode Complete, label WriteIOs" \
	sh -c 'grep -q "\"StatusCode\": \"Complete\"" "$1" && grep -q "\"Label\": \"WriteIOs\"" "$1"' \
	- "$SCRATCH/out"
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/w.json" \
	--start-time "$(iso $T_START)" --end-time "$(iso $T_END)" \
	--query 'sum(MetricDataResults[0].Values)' --output text
check "WriteIOs Sum over 10 minutes = the $REVS revisions counted from the blocks" \
	test "$(cat "$SCRATCH/out")" = "$REVS.0"
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/w.json" \
	--start-time "$(iso $T_START)" --end-time "$(iso $T_END)" \
	--query 'MetricDataResults[0].Timestamps' --output text
tr '\t' '\n' <"$SCRATCH/out" >"$SCRATCH/ts"
check "WriteIOs timestamps are minutes, newest first, inside the window" \
	sh -c 'sort -r -c "$1" && ! grep -qv ":00+00:00$" "$1" &&
		[ "$(date -u -d "$(head -1 "$1")" +%s)" -lt "$2" ] &&
		[ "$(date -u -d "$(tail -1 "$1")" +%s)" -ge "$3" ]' - "$SCRATCH/ts" "$T_END" "$T_START"

query "$SCRATCH/j.json" JournalStorage Maximum 60
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/j.json" \
	--start-time "$(iso $T_START)" --end-time "$(iso $((T_END + 120)))" \
	--query 'MetricDataResults[0].Values' --output text
tr '\t' '\n' <"$SCRATCH/out" >"$SCRATCH/js"
check "JournalStorage grows: never smaller in a newer minute, newest > oldest" \
	sh -c 'sort -g -r -c "$1" && [ "$(head -1 "$1" | cut -d. -f1)" -gt "$(tail -1 "$1" | cut -d. -f1)" ]' \
	- "$SCRATCH/js"

# ReadIOs: a few get-digest calls through the CLI on top of curl's reads.
qldb_cli() {
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" qldb "$@" --endpoint-url "$URL" >/dev/null 2>&1
}
for i in 1 2 3; do qldb_cli get-digest --name "$LEDGER" && echo cli >>"$SCRATCH/reads"; done
READS=$(wc -l <"$SCRATCH/reads")
query "$SCRATCH/r.json" ReadIOs Sum 60
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/r.json" \
	--start-time "$(iso $((T_START - 600)))" --end-time "$(iso $(($(date +%s) + 120)))" \
	--query 'sum(MetricDataResults[0].Values)' --output text
check "ReadIOs Sum = the $READS journal reads this script made" test "$(cat "$SCRATCH/out")" = "$READS.0"

query "$SCRATCH/i.json" IsImpaired Maximum 300
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/i.json" \
	--start-time "$(iso $T_START)" --end-time "$(iso $T_END)" \
	--query 'max(MetricDataResults[0].Values)' --output text
check "IsImpaired: 0 (the ledger has no impaired journal stream)" test "$(cat "$SCRATCH/out")" = 0.0

cw -- list-metrics --namespace AWS/QLDB --dimensions "Name=LedgerName,Value=$LEDGER" \
	--query 'sort(Metrics[].MetricName)' --output text
check "list-metrics names the six AWS/QLDB metrics of the ledger" \
	test "$(cat "$SCRATCH/out")" = "$(printf 'CommandLatency\tIndexedStorage\tIsImpaired\tJournalStorage\tReadIOs\tWriteIOs')"

# The JSON 1.0 form (newer SDKs), signed by curl.
jq_body="{\"MetricDataQueries\":[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/QLDB\",\"MetricName\":\"WriteIOs\",\"Dimensions\":[{\"Name\":\"LedgerName\",\"Value\":\"$LEDGER\"}]},\"Period\":600,\"Stat\":\"SampleCount\"}}],\"StartTime\":$T_START,\"EndTime\":$T_END}"
code=$(curl -s -o "$SCRATCH/json" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:monitoring" \
	--user "$KEY:$SECRET" -H 'Content-Type: application/x-amz-json-1.0' \
	-H 'X-Amz-Target: GraniteServiceVersion20100801.GetMetricData' -X POST "$URL/" -d "$jq_body")
sed 's/^/# /' "$SCRATCH/json"; echo
check "JSON 1.0 GetMetricData: 200 with epoch-second timestamps" \
	sh -c '[ "$1" = 200 ] && grep -q "\"Timestamps\":\[[0-9,]*$2\]" "$3"' - "$code" "$T_START" "$SCRATCH/json"

# Refusals, with their status and a message.
cw AWS_SECRET_ACCESS_KEY=wrong-secret -- get-metric-data --metric-data-queries \
	"file://$SCRATCH/w.json" --start-time "$(iso $T_START)" --end-time "$(iso $T_END)"
check "wrong secret: exit 254, SignatureDoesNotMatch with a message" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(SignatureDoesNotMatch).*: .*signature" "$2"' - "$rc" "$SCRATCH/err"
code=$(curl -s -o "$SCRATCH/x" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:monitoring" \
	--user "$KEY:wrong-secret" -H 'Content-Type: application/x-www-form-urlencoded' \
	-X POST "$URL/" -d 'Action=ListMetrics&Version=2010-08-01')
sed 's/^/# /' "$SCRATCH/x"; echo
check "wrong secret: 403 with an ErrorResponse naming the code and a message" \
	sh -c '[ "$1" = 403 ] && grep -q "<Code>SignatureDoesNotMatch</Code><Message>[^<]" "$2"' - "$code" "$SCRATCH/x"

query "$SCRATCH/bad.json" WriteIOs Sum 90
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/bad.json" \
	--start-time "$(iso $T_START)" --end-time "$(iso $T_END)"
check "Period 90: exit 254, InvalidParameterValue naming the Period" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidParameterValue).*Period must be a positive multiple of 60" "$2"' \
	- "$rc" "$SCRATCH/err"
code=$(curl -s -o "$SCRATCH/x" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:monitoring" \
	--user "$KEY:$SECRET" -H 'Content-Type: application/x-www-form-urlencoded' -X POST "$URL/" \
	-d "Action=GetMetricData&Version=2010-08-01&MetricDataQueries.member.1.Id=m1&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FQLDB&MetricDataQueries.member.1.MetricStat.Metric.MetricName=WriteIOs&MetricDataQueries.member.1.MetricStat.Period=90&MetricDataQueries.member.1.MetricStat.Stat=Sum&StartTime=$T_START&EndTime=$T_END")
sed 's/^/# /' "$SCRATCH/x"; echo
check "Period 90: 400 with an ErrorResponse and a message" \
	sh -c '[ "$1" = 400 ] && grep -q "<Code>InvalidParameterValue</Code><Message>[^<]" "$2"' - "$code" "$SCRATCH/x"
cw -- get-metric-data --metric-data-queries "file://$SCRATCH/w.json" \
	--start-time "$(iso $T_END)" --end-time "$(iso $T_START)"
check "StartTime after EndTime: exit 254, InvalidParameterValue with a message" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidParameterValue).*StartTime must be less than" "$2"' \
	- "$rc" "$SCRATCH/err"

kill "$PID"
wait "$PID"
check "SIGTERM stops the server with exit 0" test $? -eq 0
[ "$TAP_FAILED" -eq 0 ]
