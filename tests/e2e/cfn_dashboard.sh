#!/bin/sh
# cfn_dashboard.sh - end to end: what a CloudFormation stack of the recipe
# made shows in the dashboard. `qldbtop serve` without --recipe; the
# recipe's template deployed with the Debian AWS CLI; one journal export
# with the stack's ExportRoleArn, waited for until COMPLETED; then the
# dashboard in a private tmux server given only what a user would give it
# (the endpoint, the keys, the region): the Ledgers pane shows the stack's
# ledger ACTIVE, the Streams pane the stack's QLDB stream ACTIVE with its
# Kinesis target, the Exports pane the export COMPLETED. Each step waits
# for what it expects (deadlines, not sleeps); a failed step prints the
# screen.
. tests/lib/tap.sh

T="tmux -L qldbtop-cfn-$$ -f /dev/null"
AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (needed for the dashboard checks)"
	exit 1
fi
OUT=$SCRATCH/serve.out
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 >"$OUT" 2>"$SCRATCH/serve.err" </dev/null &
PID=$!
cleanup() {
	$T kill-server 2>/dev/null
	kill "$PID" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
check "serve prints its endpoint within 20 s" wait_for 20 grep -q '^endpoint: http://' "$OUT"
URL=$(sed -n 's/^endpoint: //p' "$OUT")
KEY_ID=$(sed -n 's/^access key id: //p' "$OUT")
SECRET=$(sed -n 's/^secret access key: //p' "$OUT")
aws() {
	AWS_ACCESS_KEY_ID=$KEY_ID AWS_SECRET_ACCESS_KEY=$SECRET AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$URL"
}

# what the endpoint has before the stack: no journal stream, no export
# (so what the panes show below can only come from the stack and the export)
aws qldb list-journal-kinesis-streams-for-ledger --ledger-name financial-ledger \
	--query 'Streams[].StreamName' --output text >"$SCRATCH/before" 2>&1
aws qldb list-journal-s3-exports --query 'JournalS3Exports[].ExportId' --output text \
	>>"$SCRATCH/before" 2>&1
check "before the stack: no journal stream and no export" test -z "$(tr -d '[:space:]' <"$SCRATCH/before")"

aws cloudformation create-stack --stack-name qldb-acid-database \
	--template-body file://assets/recipe/cloudformation.yaml \
	--parameters ParameterKey=LedgerName,ParameterValue=financial-ledger \
	ParameterKey=Environment,ParameterValue=production \
	--capabilities CAPABILITY_IAM >/dev/null 2>"$SCRATCH/err"
check "wait stack-create-complete succeeds" \
	aws cloudformation wait stack-create-complete --stack-name qldb-acid-database
EXPORT_ROLE=$(aws cloudformation describe-stacks --stack-name qldb-acid-database \
	--query 'Stacks[0].Outputs[?OutputKey==`ExportRoleArn`].OutputValue' --output text)
BUCKET=$(aws cloudformation describe-stacks --stack-name qldb-acid-database \
	--query 'Stacks[0].Outputs[?OutputKey==`ExportBucketName`].OutputValue' --output text)
printf '{"Bucket": "%s", "Prefix": "dashboard/", "EncryptionConfiguration": {"ObjectEncryptionType": "SSE_S3"}}\n' \
	"$BUCKET" >"$SCRATCH/s3.json"
EXPORT_ID=$(aws qldb export-journal-to-s3 --name financial-ledger \
	--inclusive-start-time "$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)" \
	--exclusive-end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--role-arn "$EXPORT_ROLE" --s3-export-configuration "file://$SCRATCH/s3.json" \
	--query ExportId --output text 2>"$SCRATCH/err")
case $EXPORT_ID in
'' | *[!A-Za-z0-9]*) not_ok "export-journal-to-s3 with the stack's ExportRoleArn answers an ExportId"; sed 's/^/# /' "$SCRATCH/err" ;;
*) ok "export-journal-to-s3 with the stack's ExportRoleArn answers an ExportId ($EXPORT_ID)" ;;
esac
export_done() {
	[ "$(aws qldb describe-journal-s3-export --name financial-ledger --export-id "$EXPORT_ID" \
		--query ExportDescription.Status --output text 2>/dev/null)" = COMPLETED ]
}
check "the export completes within 120 s" wait_for 120 export_done

# --- the dashboard, given only the endpoint, the keys and the region -------
S=cfn
screen() { $T capture-pane -p -t $S 2>/dev/null; }
shows() { screen | grep -q -- "$1"; }
dump() { screen | grep -v '^ *$' | sed 's/^/# | /'; }
key() { $T send-keys -t $S "$@"; }
step() { # NAME SECONDS COMMAND...: wait for COMMAND, else print the screen
	name=$1 secs=$2
	shift 2
	if wait_for "$secs" "$@"; then ok "$name"; else
		not_ok "$name"
		dump
	fi
}
row() { screen | grep -- "$1" | grep -q -- "$2"; } # a line with both
$T new-session -d -s $S -x 120 -y 30 \
	"env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID='$KEY_ID' AWS_SECRET_ACCESS_KEY='$SECRET' AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null XDG_CONFIG_HOME='$SCRATCH/cfg' XDG_STATE_HOME='$SCRATCH/state' LANG=C.UTF-8 '$QLDBTOP_BIN' --endpoint-url '$URL' --region us-east-1; exec sleep 120"
step "the Ledgers pane shows the stack's ledger" 20 shows 'Deletion prot.'
step "... financial-ledger, ACTIVE" 10 row 'State  ' ACTIVE
step "... deletion-protected, as the template says" 5 row 'Deletion prot.' ' on'
key 2
step "2: the Streams pane of financial-ledger" 10 shows 'Journal streams of financial-ledger'
step "... the stack's QLDB stream financial-ledger-stack-stream, ACTIVE" 20 \
	row financial-ledger-stack-stream ACTIVE
step "... with its Kinesis target, the stack's financial-ledger-journal" 10 \
	row 'Kinesis stream' 'stream/financial-ledger-journal$\|stream/financial-ledger-journal '
step "... and the stack's stream role" 5 row 'Role  ' 'role/qldb-acid-database-QLDBStreamRole-'
key 3
step "3: the Exports pane of financial-ledger" 10 shows 'Journal exports of financial-ledger'
step "... the export, COMPLETED" 20 row "$EXPORT_ID" COMPLETED
step "... into the stack's export bucket" 5 row 'Destination' "s3://$BUCKET/dashboard/"
step "... with the stack's export role" 5 row 'Role  ' 'role/qldb-acid-database-QLDBExportRole-'
key q
exit "$((TAP_FAILED > 0))"
