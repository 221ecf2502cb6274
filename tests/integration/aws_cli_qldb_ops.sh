#!/bin/sh
# aws_cli_qldb_ops.sh - the real Debian AWS CLI (2.9.19) runs all 20 `aws
# qldb` commands against `qldbtop serve`, every request SigV4-checked: a
# ledger's life (create -> CREATING -> ACTIVE, tag, untag, update deletion
# protection and KMS key, permissions mode, list with paging, describe in
# another region, stream, export, delete refused while protected, then
# DELETING, then gone), and each documented error of the model with exit
# 254 and its code on stderr. The script checks at the end that each of the
# model's 20 operations ran and succeeded at least once.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi

# exports stay IN_PROGRESS for 60 s: the limit checks below must not race a
# slow machine
start_serve --export-seconds 60
ACCOUNT=123456789012
ROLE=arn:aws:iam::$ACCOUNT:role/qldb-ops
KINESIS=arn:aws:kinesis:us-east-1:$ACCOUNT:stream/journal
: >"$SCRATCH/ran"

# run_aws [VAR=VALUE...] -- SUBCOMMAND ARGS...: the CLI with the demo keys in
# us-east-1, no config files, no pager; stdout in $SCRATCH/out, stderr in
# $SCRATCH/err, status in $rc; "SUBCOMMAND rc" appended to $SCRATCH/ran
run_aws() {
	extra=
	while [ "$1" != "--" ]; do extra="$extra $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		AWS_SESSION_TOKEN= $extra "$AWS" qldb "$@" --endpoint-url "$URL" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	echo "$1 $rc" >>"$SCRATCH/ran"
	sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err"
}
out_is() { test "$(cat "$SCRATCH/out")" = "$1"; }
# fails_with CODE NAME: the last command exited 254 naming CODE
fails_with() {
	if [ "$rc" -eq 254 ] && grep -q "An error occurred ($1)" "$SCRATCH/err"; then
		ok "$2: $1 (exit 254)"
	else
		not_ok "$2: want $1 with exit 254, got exit $rc"
	fi
}
state_is() {
	run_aws -- describe-ledger --name "$1" --query State --output text
	[ "$rc" -eq 0 ] && out_is "$2"
}
gone() {
	run_aws -- describe-ledger --name "$1"
	[ "$rc" -eq 254 ] && grep -q '(ResourceNotFoundException)' "$SCRATCH/err"
}

# --- create -------------------------------------------------------------------
run_aws -- create-ledger --name ops-ledger --permissions-mode STANDARD --tags team=ops \
	--no-deletion-protection --query '[Name,State,PermissionsMode,DeletionProtection,KmsKeyArn]' \
	--output text
check "create-ledger --no-deletion-protection: CREATING, STANDARD, unprotected, AWS-owned key" \
	out_is "$(printf 'ops-ledger\tCREATING\tSTANDARD\tFalse\tAWS_OWNED_KMS_KEY')"
run_aws -- get-digest --name ops-ledger
if [ "$rc" -eq 0 ]; then
	ok "get-digest right after create-ledger # SKIP the ledger was ACTIVE already"
else
	fails_with ResourcePreconditionNotMetException "get-digest of a CREATING ledger"
fi
run_aws -- create-ledger --name protected-ledger --permissions-mode ALLOW_ALL \
	--query DeletionProtection --output text
check "create-ledger without the flag: deletion protection on, as AWS" out_is True
check "ops-ledger becomes ACTIVE within 10 s (describe-ledger polling)" \
	wait_for 10 state_is ops-ledger ACTIVE
check "protected-ledger becomes ACTIVE within 10 s" wait_for 10 state_is protected-ledger ACTIVE
run_aws -- create-ledger --name ops-ledger --permissions-mode STANDARD
fails_with ResourceAlreadyExistsException "create-ledger of an existing name"
run_aws -- create-ledger --name bad--name --permissions-mode STANDARD
fails_with InvalidParameterException "create-ledger with a name breaking the pattern"
run_aws -- create-ledger --name fine-name --permissions-mode OPEN
fails_with InvalidParameterException "create-ledger with a PermissionsMode not in the enum"
run_aws -- create-ledger --name fine-name --permissions-mode STANDARD --kms-key not-a-key
fails_with InvalidParameterException "create-ledger with a KmsKey in no documented form"

# --- describe, region ---------------------------------------------------------
run_aws -- describe-ledger --name ops-ledger --query \
	'[Name,Arn,State,PermissionsMode,DeletionProtection,EncryptionDescription.KmsKeyArn,EncryptionDescription.EncryptionStatus]' \
	--output text
check "describe-ledger: every member" \
	out_is "$(printf 'ops-ledger\tarn:aws:qldb:us-east-1:%s:ledger/ops-ledger\tACTIVE\tSTANDARD\tFalse\tAWS_OWNED_KMS_KEY\tENABLED' $ACCOUNT)"
run_aws -- describe-ledger --name ops-ledger --region eu-west-1 --query Arn --output text
check "describe-ledger --region eu-west-1: the ARN names eu-west-1 (the signed scope's region)" \
	out_is arn:aws:qldb:eu-west-1:$ACCOUNT:ledger/ops-ledger
run_aws -- describe-ledger --name no-such-ledger
fails_with ResourceNotFoundException "describe-ledger of a missing ledger"
run_aws -- describe-ledger --name 12345
fails_with InvalidParameterException "describe-ledger with an all-digit name"

# --- tags ----------------------------------------------------------------------
ARN=arn:aws:qldb:us-east-1:$ACCOUNT:ledger/ops-ledger
run_aws -- tag-resource --resource-arn "$ARN" --tags env=test,owner=qldbtop
check "tag-resource: exit 0" test "$rc" -eq 0
run_aws -- list-tags-for-resource --resource-arn "$ARN" --query 'Tags.[env,owner,team]' --output text
check "list-tags-for-resource: the create-time tag and the two added" \
	out_is "$(printf 'test\tqldbtop\tops')"
run_aws -- tag-resource --resource-arn "$ARN" --tags env=prod
fails_with InvalidParameterException "tag-resource with a key the ledger has (the model: fails)"
run_aws -- untag-resource --resource-arn "$ARN" --tag-keys env owner
check "untag-resource: exit 0" test "$rc" -eq 0
run_aws -- list-tags-for-resource --resource-arn "$ARN" --query 'keys(Tags)' --output text
check "list-tags-for-resource after untag: only team" out_is team
EU_ARN=arn:aws:qldb:eu-west-1:$ACCOUNT:ledger/ops-ledger
run_aws -- list-tags-for-resource --resource-arn "$EU_ARN"
fails_with ResourceNotFoundException "list-tags-for-resource of an eu-west-1 ARN asked in us-east-1"
run_aws -- list-tags-for-resource --resource-arn "$EU_ARN" --region eu-west-1 --query 'keys(Tags)' \
	--output text
check "list-tags-for-resource of the eu-west-1 ARN in eu-west-1: found" out_is team
run_aws -- tag-resource --resource-arn arn:aws:qldb:us-east-1:999999999999:ledger/ops-ledger --tags a=b
fails_with ResourceNotFoundException "tag-resource of another account's ARN"
run_aws -- untag-resource --resource-arn this-is-not-an-arn-at-all --tag-keys a
fails_with InvalidParameterException "untag-resource of a string that is not an ARN"

# --- update --------------------------------------------------------------------
run_aws -- update-ledger --name protected-ledger --kms-key 1234abcd-12ab-34cd-56ef-1234567890ab \
	--query '[DeletionProtection,EncryptionDescription.KmsKeyArn,EncryptionDescription.EncryptionStatus]' \
	--output text
check "update-ledger --kms-key KEYID: the key's ARN in this region, UPDATING for a moment" \
	out_is "$(printf 'True\tarn:aws:kms:us-east-1:%s:key/1234abcd-12ab-34cd-56ef-1234567890ab\tUPDATING' $ACCOUNT)"
run_aws -- update-ledger --name protected-ledger --kms-key bad-key
fails_with InvalidParameterException "update-ledger with a KmsKey in no documented form"
run_aws -- update-ledger --name no-such-ledger --no-deletion-protection
fails_with ResourceNotFoundException "update-ledger of a missing ledger"
run_aws -- update-ledger-permissions-mode --name ops-ledger --permissions-mode ALLOW_ALL \
	--query '[Name,Arn,PermissionsMode]' --output text
check "update-ledger-permissions-mode: Name, Arn, ALLOW_ALL" \
	out_is "$(printf 'ops-ledger\t%s\tALLOW_ALL' "$ARN")"
run_aws -- update-ledger-permissions-mode --name ops-ledger --permissions-mode EVERYTHING
fails_with InvalidParameterException "update-ledger-permissions-mode with a mode not in the enum"
run_aws -- update-ledger-permissions-mode --name no-such-ledger --permissions-mode STANDARD
fails_with ResourceNotFoundException "update-ledger-permissions-mode of a missing ledger"

# --- list with paging ----------------------------------------------------------
run_aws -- list-ledgers --query 'Ledgers[].Name' --output text
ALL=$(tr '\t' '\n' <"$SCRATCH/out" | sort)
PAGED=
TOKEN=
pages=0
while :; do
	if [ -n "$TOKEN" ]; then
		run_aws -- list-ledgers --max-results 1 --next-token "$TOKEN"
	else
		run_aws -- list-ledgers --max-results 1
	fi
	[ "$rc" -eq 0 ] || break
	pages=$((pages + 1))
	PAGED="$PAGED $(sed -n 's/.*"Name": "\([^"]*\)".*/\1/p' "$SCRATCH/out")"
	TOKEN=$(sed -n 's/.*"NextToken": "\([^"]*\)".*/\1/p' "$SCRATCH/out")
	[ -n "$TOKEN" ] && [ "$pages" -lt 20 ] || break
done
check "list-ledgers --max-results 1 pages through every ledger once ($pages pages)" \
	test "$(echo $PAGED | tr ' ' '\n' | sort)" = "$ALL" -a "$pages" -eq 3
run_aws -- list-ledgers --next-token cWxkYnRvcC1sZWRnZXJzOjE=
fails_with InvalidParameterException "list-ledgers with a NextToken the endpoint never issued"

# --- journal reads on the new ledger ---------------------------------------------
run_aws -- get-digest --name ops-ledger --query DigestTipAddress.IonText --output text
TIP=$(cat "$SCRATCH/out")
check "get-digest of the new ledger: its tip is the genesis block" \
	sh -c 'printf "%s" "$1" | grep -Eq "^\{strandId:\"[A-Za-z0-9]{22}\",sequenceNo:0\}$"' - "$TIP"
printf '{"IonText": "%s"}\n' "$(printf '%s' "$TIP" | sed 's/"/\\"/g')" >"$SCRATCH/tip.json"
run_aws -- get-block --name ops-ledger --block-address "file://$SCRATCH/tip.json" \
	--digest-tip-address "file://$SCRATCH/tip.json" --query Block.IonText --output text
check "get-block of the genesis block: exit 0" test "$rc" -eq 0
run_aws -- get-revision --name ops-ledger --block-address "file://$SCRATCH/tip.json" \
	--document-id AAAAAAAAAAAAAAAAAAAAAA --digest-tip-address "file://$SCRATCH/tip.json"
fails_with InvalidParameterException "get-revision in the genesis block (it holds no revision)"
run_aws -- get-digest --name financial-ledger --query DigestTipAddress.IonText --output text
FTIP=$(cat "$SCRATCH/out")
STRAND=$(printf '%s' "$FTIP" | sed 's/.*strandId:"\([^"]*\)".*/\1/')
printf '{"IonText": "%s"}\n' "$(printf '%s' "$FTIP" | sed 's/"/\\"/g')" >"$SCRATCH/ftip.json"
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:2}"}\n' "$STRAND" >"$SCRATCH/addr.json"
run_aws -- get-block --name financial-ledger --block-address "file://$SCRATCH/addr.json"
DOC=$(grep -o 'metadata:{id:\\"[A-Za-z0-9]*' "$SCRATCH/out" | sed 's/.*"//' | head -n 1)
run_aws -- get-revision --name financial-ledger --block-address "file://$SCRATCH/addr.json" \
	--document-id "$DOC" --digest-tip-address "file://$SCRATCH/ftip.json" --query Revision.IonText \
	--output text
check "get-revision of a document of financial-ledger's block 2: exit 0" test "$rc" -eq 0
run_aws -- get-block --name no-such-ledger --block-address "file://$SCRATCH/addr.json"
fails_with ResourceNotFoundException "get-block of a missing ledger"

# --- streams -----------------------------------------------------------------------
# the journal stream's Kinesis target, so that delivery keeps it ACTIVE
kinesis_() {
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" kinesis "$@" --endpoint-url "$URL" >"$SCRATCH/kout" 2>&1
}
kinesis_ create-stream --stream-name journal --shard-count 1
journal_active() {
	kinesis_ describe-stream-summary --stream-name journal \
		--query StreamDescriptionSummary.StreamStatus --output text && grep -qx ACTIVE "$SCRATCH/kout"
}
check "the Kinesis stream the journal streams go to is ACTIVE" wait_for 10 journal_active
run_aws -- stream-journal-to-kinesis --ledger-name ops-ledger --role-arn "$ROLE" \
	--inclusive-start-time 2020-01-01T00:00:00Z --stream-name ops-stream --tags kind=stream \
	--kinesis-configuration "StreamArn=$KINESIS,AggregationEnabled=false" \
	--query StreamId --output text
SID=$(cat "$SCRATCH/out")
check "stream-journal-to-kinesis: a 22-character StreamId" \
	sh -c 'printf "%s" "$1" | grep -Eq "^[A-Za-z0-9]{22}$"' - "$SID"
run_aws -- describe-journal-kinesis-stream --ledger-name ops-ledger --stream-id "$SID" --query \
	'Stream.[LedgerName,StreamId,Status,StreamName,RoleArn,KinesisConfiguration.StreamArn,KinesisConfiguration.AggregationEnabled,Arn]' \
	--output text
check "describe-journal-kinesis-stream: ACTIVE (its Kinesis target exists), every member, the stream ARN" \
	out_is "$(printf 'ops-ledger\t%s\tACTIVE\tops-stream\t%s\t%s\tFalse\tarn:aws:qldb:us-east-1:%s:stream/ops-ledger/%s' "$SID" "$ROLE" "$KINESIS" $ACCOUNT "$SID")"
run_aws -- list-tags-for-resource --resource-arn "arn:aws:qldb:us-east-1:$ACCOUNT:stream/ops-ledger/$SID" \
	--query Tags.kind --output text
check "list-tags-for-resource of the stream's ARN: its create-time tag" out_is stream
run_aws -- stream-journal-to-kinesis --ledger-name ops-ledger --role-arn "$ROLE" \
	--inclusive-start-time 2020-01-01T00:00:00Z --exclusive-end-time 2099-01-01T00:00:00Z \
	--stream-name second --kinesis-configuration "StreamArn=$KINESIS" --query StreamId --output text
SID2=$(cat "$SCRATCH/out")
run_aws -- list-journal-kinesis-streams-for-ledger --ledger-name ops-ledger --max-results 1 \
	--query 'Streams[0].StreamId' --output text
check "list-journal-kinesis-streams-for-ledger --max-results 1: the first stream" out_is "$SID"
run_aws -- list-journal-kinesis-streams-for-ledger --ledger-name ops-ledger --max-results 1 \
	--query NextToken --output text
STOKEN=$(cat "$SCRATCH/out")
run_aws -- list-journal-kinesis-streams-for-ledger --ledger-name ops-ledger --next-token "$STOKEN" \
	--query 'Streams[].StreamId' --output text
check "list-journal-kinesis-streams-for-ledger --next-token: the second stream" out_is "$SID2"
run_aws -- list-journal-kinesis-streams-for-ledger --ledger-name protected-ledger --next-token "$STOKEN"
fails_with InvalidParameterException "a stream list's NextToken used for another ledger"
run_aws -- cancel-journal-kinesis-stream --ledger-name ops-ledger --stream-id "$SID" \
	--query StreamId --output text
check "cancel-journal-kinesis-stream: answers the StreamId" out_is "$SID"
run_aws -- describe-journal-kinesis-stream --ledger-name ops-ledger --stream-id "$SID" \
	--query Stream.Status --output text
check "describe-journal-kinesis-stream after cancel: CANCELED" out_is CANCELED
run_aws -- cancel-journal-kinesis-stream --ledger-name ops-ledger --stream-id "$SID"
fails_with ResourcePreconditionNotMetException "cancel-journal-kinesis-stream of a canceled stream"
run_aws -- describe-journal-kinesis-stream --ledger-name ops-ledger --stream-id AAAAAAAAAAAAAAAAAAAAAA
fails_with ResourceNotFoundException "describe-journal-kinesis-stream of an unknown id"
run_aws -- describe-journal-kinesis-stream --ledger-name ops-ledger --stream-id AAAAAAAAAAAAAAAAAAAAA_
fails_with InvalidParameterException "describe-journal-kinesis-stream of an id outside [A-Za-z0-9-]"
run_aws -- list-journal-kinesis-streams-for-ledger --ledger-name no-such-ledger
fails_with ResourceNotFoundException "list-journal-kinesis-streams-for-ledger of a missing ledger"
FUTURE=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
run_aws -- stream-journal-to-kinesis --ledger-name ops-ledger --role-arn "$ROLE" \
	--inclusive-start-time "$FUTURE" --stream-name s --kinesis-configuration "StreamArn=$KINESIS"
fails_with InvalidParameterException "stream-journal-to-kinesis starting in the future"
run_aws -- stream-journal-to-kinesis --ledger-name ops-ledger --role-arn "$ROLE" \
	--inclusive-start-time 2020-01-01T00:00:00Z --stream-name s \
	--kinesis-configuration StreamArn=arn:aws:sqs:us-east-1:$ACCOUNT:queue
fails_with InvalidParameterException "stream-journal-to-kinesis to an ARN that is not a Kinesis stream"
run_aws -- stream-journal-to-kinesis --ledger-name ops-ledger --role-arn "$ROLE" \
	--inclusive-start-time 2020-01-01T00:00:00Z --stream-name=-bad \
	--kinesis-configuration "StreamArn=$KINESIS"
fails_with InvalidParameterException "stream-journal-to-kinesis with a StreamName breaking the pattern"
run_aws -- stream-journal-to-kinesis --ledger-name no-such-ledger --role-arn "$ROLE" \
	--inclusive-start-time 2020-01-01T00:00:00Z --stream-name s --kinesis-configuration "StreamArn=$KINESIS"
fails_with ResourceNotFoundException "stream-journal-to-kinesis of a missing ledger"

# --- exports -------------------------------------------------------------------------
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
S3CFG='Bucket=qldb-exports,Prefix=ops/,EncryptionConfiguration={ObjectEncryptionType=SSE_S3}'
export_once() {
	run_aws -- export-journal-to-s3 --name ops-ledger --inclusive-start-time 2020-01-01T00:00:00Z \
		--exclusive-end-time "$NOW" --role-arn "$ROLE" --s3-export-configuration "$S3CFG" \
		--output-format JSON --query ExportId --output text
}
# the bucket must exist: an export to a missing one is CANCELLED (as QLDB's failed)
env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	"$AWS" s3 mb s3://qldb-exports --endpoint-url "$URL" >/dev/null 2>"$SCRATCH/err"
check "s3 mb s3://qldb-exports (the export target)" test $? -eq 0
export_once
EID=$(cat "$SCRATCH/out")
check "export-journal-to-s3: a 22-character ExportId" \
	sh -c 'printf "%s" "$1" | grep -Eq "^[A-Za-z0-9]{22}$"' - "$EID"
export_once
EID2=$(cat "$SCRATCH/out")
export_once
fails_with LimitExceededException "a third concurrent export-journal-to-s3 of one ledger"
run_aws -- describe-journal-s3-export --name ops-ledger --export-id "$EID" --query \
	'ExportDescription.[LedgerName,ExportId,Status,S3ExportConfiguration.Bucket,S3ExportConfiguration.Prefix,S3ExportConfiguration.EncryptionConfiguration.ObjectEncryptionType,RoleArn,OutputFormat]' \
	--output text
check "describe-journal-s3-export: IN_PROGRESS, every member" \
	out_is "$(printf 'ops-ledger\t%s\tIN_PROGRESS\tqldb-exports\tops/\tSSE_S3\t%s\tJSON' "$EID" "$ROLE")"
run_aws -- list-journal-s3-exports-for-ledger --name ops-ledger --query 'JournalS3Exports[].ExportId' \
	--output text
check "list-journal-s3-exports-for-ledger: both exports in order" \
	out_is "$(printf '%s\t%s' "$EID" "$EID2")"
run_aws -- list-journal-s3-exports --max-results 1 --query 'JournalS3Exports[].ExportId' --output text
check "list-journal-s3-exports --max-results 1: the first export of the account" out_is "$EID"
run_aws -- list-journal-s3-exports --max-results 1 --query NextToken --output text
run_aws -- list-journal-s3-exports --next-token "$(cat "$SCRATCH/out")" \
	--query 'JournalS3Exports[].ExportId' --output text
check "list-journal-s3-exports --next-token: the second" out_is "$EID2"
run_aws -- describe-journal-s3-export --name ops-ledger --export-id AAAAAAAAAAAAAAAAAAAAAA
fails_with ResourceNotFoundException "describe-journal-s3-export of an unknown id"
run_aws -- export-journal-to-s3 --name no-such-ledger --inclusive-start-time 2020-01-01T00:00:00Z \
	--exclusive-end-time "$NOW" --role-arn "$ROLE" --s3-export-configuration "$S3CFG"
fails_with ResourceNotFoundException "export-journal-to-s3 of a missing ledger"
run_aws -- export-journal-to-s3 --name protected-ledger --inclusive-start-time 2020-01-01T00:00:00Z \
	--exclusive-end-time "$FUTURE" --role-arn "$ROLE" --s3-export-configuration "$S3CFG"
fails_with InvalidParameterException "export-journal-to-s3 ending in the future"
run_aws -- export-journal-to-s3 --name protected-ledger --inclusive-start-time 2020-01-01T00:00:00Z \
	--exclusive-end-time "$NOW" --role-arn "$ROLE" \
	--s3-export-configuration 'Bucket=qldb-exports,Prefix=p,EncryptionConfiguration={ObjectEncryptionType=SSE_KMS}'
fails_with InvalidParameterException "export-journal-to-s3 with SSE_KMS and no KmsKeyArn"
run_aws -- list-journal-s3-exports-for-ledger --name no-such-ledger
fails_with ResourceNotFoundException "list-journal-s3-exports-for-ledger of a missing ledger"

# --- delete ----------------------------------------------------------------------------
run_aws -- delete-ledger --name protected-ledger
fails_with ResourcePreconditionNotMetException "delete-ledger of a protected ledger"
run_aws -- update-ledger --name protected-ledger --no-deletion-protection \
	--query DeletionProtection --output text
check "update-ledger --no-deletion-protection: off" out_is False
# DELETING lasts 10 s (SIM_DEFAULT_DELETE_DELAY_MS): the state is read first,
# then the two calls it refuses
run_aws -- delete-ledger --name protected-ledger
check "delete-ledger once protection is off: exit 0" test "$rc" -eq 0
run_aws -- describe-ledger --name protected-ledger --query State --output text
check "describe-ledger right after delete-ledger: DELETING" out_is DELETING
run_aws -- create-ledger --name protected-ledger --permissions-mode STANDARD
fails_with ResourceInUseException "create-ledger of the name of a ledger being deleted"
run_aws -- delete-ledger --name protected-ledger
fails_with ResourceInUseException "delete-ledger of a ledger being deleted"
check "the deleted ledger is gone (404) within 20 s" wait_for 20 gone protected-ledger
run_aws -- list-ledgers --query 'Ledgers[?Name==`protected-ledger`] | length(@)' --output text
check "list-ledgers no longer lists it" out_is 0
run_aws -- delete-ledger --name protected-ledger
fails_with ResourceNotFoundException "delete-ledger of a gone ledger"
run_aws -- delete-ledger --name=-x
fails_with InvalidParameterException "delete-ledger with a name breaking the pattern"
run_aws -- delete-ledger --name ops-ledger
check "delete-ledger of the ledger created without protection: exit 0" test "$rc" -eq 0

# --- the ledger limit ------------------------------------------------------------------
i=0
while [ "$i" -lt 12 ]; do
	run_aws -- create-ledger --name "filler-$i" --permissions-mode STANDARD --no-deletion-protection
	[ "$rc" -eq 0 ] || break
	i=$((i + 1))
done
fails_with LimitExceededException "create-ledger past the ledger limit (after $i more)"

# --- every operation ran, and succeeded at least once ----------------------------------
MODEL=$SHARED/vectors/qldb/api/qldb-2019-01-02.service-2.json
if [ -r "$MODEL" ]; then
	OPS=$(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["operations"]))' "$MODEL")
	n=0
	for op in $OPS; do
		cmd=$(echo "$op" | sed 's/\([a-z0-9]\)\([A-Z]\)/\1-\2/g' | tr 'A-Z' 'a-z')
		n=$((n + 1))
		check "aws qldb $cmd ($op) ran and succeeded at least once" grep -q "^$cmd 0$" "$SCRATCH/ran"
	done
	check "the model lists 20 operations" test "$n" -eq 20
else
	not_ok "the QLDB model is readable at $MODEL"
fi

kill -TERM "$PID"
wait "$PID"
rc=$?
check "SIGTERM stops serve with exit 0" test "$rc" -eq 0
check "serve wrote nothing to stderr" test ! -s "$SCRATCH/serve.err"
exit 0
