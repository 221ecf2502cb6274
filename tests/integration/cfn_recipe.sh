#!/bin/sh
# cfn_recipe.sh - the recipe's CloudFormation quick start, verbatim (plus
# --endpoint-url), with the Debian AWS CLI against `qldbtop serve` without
# --recipe (the stack makes the resources): create-stack, wait, the
# outputs, the settings the stack gave the stream (retention, KMS, tags)
# and the ledger (tags), the post-deployment stream-journal-to-kinesis with the
# StreamRoleArn output, assets/recipe/validate.sh, deletion protection
# refusing delete-stack, then delete-stack and wait. Then templates and
# parameters that must fail: a ValidationError, or CREATE_FAILED then
# ROLLBACK_COMPLETE naming the resource and the reason, nothing left.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
start_serve --rate 0
export AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET"
export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_PAGER=
# aws ARGS...: the recipe's commands, at the endpoint
aws() { "$AWS" "$@" --endpoint-url "$URL"; }
# q ARGS...: aws with stdout in $SCRATCH/out, stderr in $SCRATCH/err
q() { aws "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; }
has() { grep -q -- "$1" "$2"; }
cd assets/recipe || exit 1

# the demo ledger the stack adopts already has tags: one the template
# sets to another value, one it does not name
aws qldb tag-resource --resource-arn arn:aws:qldb:us-east-1:123456789012:ledger/financial-ledger \
	--tags Environment=dev,Owner=ops >/dev/null 2>&1

# --- Quick Start: Using CloudFormation (verbatim) ---
# Deploy the stack
aws cloudformation create-stack \
    --stack-name qldb-acid-database \
    --template-body file://cloudformation.yaml \
    --parameters ParameterKey=LedgerName,ParameterValue=financial-ledger \
                 ParameterKey=Environment,ParameterValue=production \
    --capabilities CAPABILITY_IAM >"$SCRATCH/create" 2>&1
check "create-stack answers a stack id" \
	grep -q '"StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/qldb-acid-database/' \
	"$SCRATCH/create"
# Monitor deployment progress
check "wait stack-create-complete succeeds" \
	aws cloudformation wait stack-create-complete \
	    --stack-name qldb-acid-database
# Get stack outputs
aws cloudformation describe-stacks \
    --stack-name qldb-acid-database \
    --query 'Stacks[0].Outputs' >"$SCRATCH/outputs"
sed 's/^/# /' "$SCRATCH/outputs"
# (one call for all outputs: each CLI start costs seconds on a busy machine)
aws cloudformation describe-stacks --stack-name qldb-acid-database \
	--query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text >"$SCRATCH/outputs.txt"
output() { awk -v k="$1" '$1 == k { print $2 }' "$SCRATCH/outputs.txt"; }
check "the stack has the six outputs" \
	test "$(grep -c '"OutputKey"' "$SCRATCH/outputs")" -eq 6
check "LedgerName output is financial-ledger" test "$(output LedgerName)" = financial-ledger
check "LedgerArn output is the ledger's ARN" \
	test "$(output LedgerArn)" = arn:aws:qldb:us-east-1:123456789012:ledger/financial-ledger
check "KinesisStreamName output" test "$(output KinesisStreamName)" = financial-ledger-journal
check "ExportBucketName output" \
	test "$(output ExportBucketName)" = financial-ledger-exports-123456789012
EXPORT_ROLE=$(output ExportRoleArn)
case $EXPORT_ROLE in
arn:aws:iam::123456789012:role/qldb-acid-database-QLDBExportRole-*) ok "ExportRoleArn output ($EXPORT_ROLE)" ;;
*) not_ok "ExportRoleArn output is a generated role ARN (got '$EXPORT_ROLE')" ;;
esac
q cloudformation describe-stacks --stack-name qldb-acid-database \
	--query 'Stacks[0].Parameters[?ParameterKey==`Environment`].ParameterValue' --output text
check "the stack's parameters: Environment=production" test "$(cat "$SCRATCH/out")" = production
q cloudformation describe-stack-resources --stack-name qldb-acid-database \
	--query 'StackResources[].[LogicalResourceId,ResourceType,ResourceStatus]' --output text
sed 's/^/# /' "$SCRATCH/out"
check "six resources, all CREATE_COMPLETE" \
	sh -c '[ "$(grep -c CREATE_COMPLETE "$1")" -eq 6 ] && [ "$(wc -l <"$1")" -eq 6 ]' - "$SCRATCH/out"
# what the stack made is real: the services answer for it
q qldb describe-ledger --name financial-ledger --query '[State,DeletionProtection]' --output text
check "the ledger is ACTIVE and deletion-protected (the template's default)" \
	test "$(tr -s '\t ' ' ' <"$SCRATCH/out")" = "ACTIVE True"
q kinesis describe-stream --stream-name financial-ledger-journal \
	--query 'StreamDescription.StreamStatus' --output text
check "the Kinesis stream is ACTIVE" test "$(cat "$SCRATCH/out")" = ACTIVE
# the template's settings are applied, not dropped
q kinesis describe-stream --stream-name financial-ledger-journal --output text \
	--query 'StreamDescription.[RetentionPeriodHours,EncryptionType,KeyId]'
check "the stream keeps 168 hours (production) and is KMS with alias/aws/kinesis" \
	test "$(tr -s '\t ' ' ' <"$SCRATCH/out")" = "168 KMS alias/aws/kinesis"
q kinesis list-tags-for-stream --stream-name financial-ledger-journal \
	--query 'Tags[].[Key,Value]' --output text
check "the stream is tagged Environment=production" \
	test "$(tr -s '\t ' ' ' <"$SCRATCH/out")" = "Environment production"
q qldb list-tags-for-resource \
	--resource-arn arn:aws:qldb:us-east-1:123456789012:ledger/financial-ledger \
	--query '[Tags.Environment,Tags.Purpose,Tags.Owner]' --output text
check "the adopted ledger has the template's tags (Environment dev -> production, Purpose), keeps Owner" \
	test "$(tr -s '\t' '|' <"$SCRATCH/out")" = "production|ACID-compliant ledger|ops"
q qldb list-journal-kinesis-streams-for-ledger --ledger-name financial-ledger \
	--query 'Streams[].[StreamName,Status]' --output text
check "the stack's journal stream is ACTIVE" grep -q '^financial-ledger-stack-stream.ACTIVE$' "$SCRATCH/out"

# --- Post-Deployment Configuration 2 (verbatim, with the names filled in;
# the CLI requires --inclusive-start-time, which the recipe leaves out) ---
ROLE_ARN=$(aws cloudformation describe-stacks \
    --stack-name qldb-acid-database \
    --query 'Stacks[0].Outputs[?OutputKey==`StreamRoleArn`].OutputValue' \
    --output text)
case $ROLE_ARN in
arn:aws:iam::123456789012:role/qldb-acid-database-QLDBStreamRole-*) ok "StreamRoleArn output ($ROLE_ARN)" ;;
*) not_ok "StreamRoleArn output is a generated role ARN (got '$ROLE_ARN')" ;;
esac
cat >"$SCRATCH/kinesis-config.json" <<JSON
{"StreamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/financial-ledger-journal",
 "AggregationEnabled": true}
JSON
aws qldb stream-journal-to-kinesis \
    --ledger-name financial-ledger \
    --role-arn $ROLE_ARN \
    --kinesis-configuration file://"$SCRATCH/kinesis-config.json" \
    --stream-name ledger-journal-stream \
    --inclusive-start-time "$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)" >"$SCRATCH/out" 2>&1
check "stream-journal-to-kinesis with the StreamRoleArn output answers a StreamId" \
	grep -q '"StreamId"' "$SCRATCH/out"

# --- Validation & Testing ---
env ENDPOINT="$URL" AWS="$AWS" EXPORT_ROLE="$EXPORT_ROLE" sh ./validate.sh >"$SCRATCH/v" 2>&1
vrc=$?
sed 's/^/# /' "$SCRATCH/v"
check "validate.sh passes against the stack (exit 0, six PASS)" \
	sh -c '[ "$1" -eq 0 ] && [ "$(grep -c "^PASS" "$2")" -eq 6 ]' - "$vrc" "$SCRATCH/v"

# --- Cleanup ---
# deletion protection holds, as on AWS: DELETE_FAILED naming the ledger
aws cloudformation delete-stack --stack-name qldb-acid-database
q cloudformation describe-stacks --stack-name qldb-acid-database \
	--query 'Stacks[0].[StackStatus,StackStatusReason]' --output text
check "delete-stack with deletion protection on: DELETE_FAILED naming QLDBLedger" \
	grep -q '^DELETE_FAILED.*\[QLDBLedger\]' "$SCRATCH/out"
q cloudformation describe-stack-events --stack-name qldb-acid-database \
	--query 'StackEvents[?LogicalResourceId==`QLDBLedger`&&ResourceStatus==`DELETE_FAILED`].ResourceStatusReason' \
	--output text
check "the ledger's DELETE_FAILED event gives the reason (deletion protection)" \
	has 'deletion protection' "$SCRATCH/out"
q qldb describe-ledger --name financial-ledger --query State --output text
check "the protected ledger is still ACTIVE" test "$(cat "$SCRATCH/out")" = ACTIVE
q qldb update-ledger --name financial-ledger --no-deletion-protection
check "update-ledger --no-deletion-protection" test $? -eq 0
# Delete the stack
aws cloudformation delete-stack --stack-name qldb-acid-database
# Wait for deletion to complete
check "wait stack-delete-complete succeeds" \
	aws cloudformation wait stack-delete-complete \
	    --stack-name qldb-acid-database
q cloudformation describe-stacks --stack-name qldb-acid-database
check "describe-stacks of the deleted stack: ValidationError, does not exist" \
	sh -c 'grep -q ValidationError "$1" && grep -q "does not exist" "$1"' - "$SCRATCH/err"
q qldb describe-ledger --name financial-ledger --query State --output text
check "the ledger is deleted (DELETING or gone: $(cat "$SCRATCH/out"))" \
	sh -c '[ "$(cat "$1")" = DELETING ] || grep -q ResourceNotFound "$2"' - "$SCRATCH/out" "$SCRATCH/err"
q kinesis describe-stream --stream-name financial-ledger-journal \
	--query 'StreamDescription.StreamStatus' --output text
check "the Kinesis stream is deleted (DELETING or gone)" \
	sh -c '[ "$(cat "$1")" = DELETING ] || grep -q ResourceNotFound "$2"' - "$SCRATCH/out" "$SCRATCH/err"
q s3 ls
check "the export bucket is kept (DeletionPolicy Retain)" \
	has financial-ledger-exports-123456789012 "$SCRATCH/out"
q cloudformation list-stacks --query 'StackSummaries[].[StackName,StackStatus]' --output text
check "list-stacks: the stack is DELETE_COMPLETE" \
	grep -q '^qldb-acid-database.DELETE_COMPLETE$' "$SCRATCH/out"

# --- what must fail ---
# fails_validation NAME PATTERN ARGS...: create-stack exits non-zero with
# a ValidationError matching PATTERN, and leaves no stack named cfn-bad
fails_validation() {
	name=$1 pat=$2; shift 2
	q cloudformation create-stack --stack-name cfn-bad "$@"
	rc=$?
	sed 's/^/# /' "$SCRATCH/err"
	if [ $rc -ne 0 ] && grep -q "$pat" "$SCRATCH/err" &&
		! aws cloudformation describe-stacks --stack-name cfn-bad >/dev/null 2>&1; then
		ok "$name"
	else
		not_ok "$name"
	fi
}
printf 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: {}\n' >"$SCRATCH/bad.yaml"
fails_validation "malformed YAML: ValidationError with the line" \
	'ValidationError.*YAML line [0-9]' --template-body "file://$SCRATCH/bad.yaml"
fails_validation "a parameter outside AllowedValues: ValidationError naming it" \
	"ValidationError.*Parameter 'Environment' must be one of AllowedValues" \
	--template-body file://cloudformation.yaml --capabilities CAPABILITY_IAM \
	--parameters ParameterKey=Environment,ParameterValue=staging
fails_validation "a parameter the template lacks: ValidationError" \
	'ValidationError.*Nope.*do not exist' --template-body file://cloudformation.yaml \
	--capabilities CAPABILITY_IAM --parameters ParameterKey=Nope,ParameterValue=x
fails_validation "KinesisShardCount above MaxValue: ValidationError" \
	"ValidationError.*KinesisShardCount.*not greater than 10" \
	--template-body file://cloudformation.yaml --capabilities CAPABILITY_IAM \
	--parameters ParameterKey=KinesisShardCount,ParameterValue=11
fails_validation "IAM roles without CAPABILITY_IAM: InsufficientCapabilities" \
	'InsufficientCapabilities.*CAPABILITY_IAM' --template-body file://cloudformation.yaml
cat >"$SCRATCH/cycle.yaml" <<'YAML'
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref B
  B:
    Type: AWS::S3::Bucket
    DependsOn: A
YAML
fails_validation "a dependency cycle: ValidationError" 'ValidationError.*Circular dependency' \
	--template-body "file://$SCRATCH/cycle.yaml"
printf 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Missing\n' \
	>"$SCRATCH/dangling.yaml"
fails_validation "a Ref to nothing: ValidationError naming it" 'ValidationError.*Missing' \
	--template-body "file://$SCRATCH/dangling.yaml"
fails_validation "a resource type that is not AWS's: ValidationError" \
	'ValidationError.*Unrecognized resource types' --template-body \
	'{"Resources":{"X":{"Type":"Acme::Thing"}}}'

# rolled_back STACK LOGICAL PATTERN: the stack is ROLLBACK_COMPLETE and
# LOGICAL's CREATE_FAILED event matches PATTERN
rolled_back() {
	aws cloudformation wait stack-create-complete --stack-name "$1" >/dev/null 2>&1
	q cloudformation describe-stacks --stack-name "$1" --query 'Stacks[0].StackStatus' \
		--output text
	st=$(cat "$SCRATCH/out")
	q cloudformation describe-stack-events --stack-name "$1" \
		--query "StackEvents[?LogicalResourceId==\`$2\`&&ResourceStatus==\`CREATE_FAILED\`].ResourceStatusReason" \
		--output text
	sed 's/^/# /' "$SCRATCH/out"
	[ "$st" = ROLLBACK_COMPLETE ] && grep -q "$3" "$SCRATCH/out"
}
# a ledger name that breaks the pattern: made by nothing, CREATE_FAILED
aws cloudformation create-stack --stack-name cfn-badname --template-body file://cloudformation.yaml \
	--capabilities CAPABILITY_IAM --parameters ParameterKey=LedgerName,ParameterValue=bad--name \
	>/dev/null 2>&1
check "a ledger name that breaks the pattern: CREATE_FAILED on QLDBLedger, ROLLBACK_COMPLETE" \
	rolled_back cfn-badname QLDBLedger 'QLDB CreateLedger'
q qldb list-ledgers --query 'Ledgers[].Name' --output text
check "... and no such ledger ($(cat "$SCRATCH/out"))" sh -c '! grep -q "bad--name" "$1"' - "$SCRATCH/out"
# a failure after the ledger, the stream and the journal stream exist:
# all of them rolled back (the protected ledger too)
aws cloudformation create-stack --stack-name cfn-late --template-body file://cloudformation.yaml \
	--capabilities CAPABILITY_IAM --parameters ParameterKey=LedgerName,ParameterValue=cfn-late-ledger \
	ParameterKey=S3BucketPrefix,ParameterValue=Bad_Prefix >/dev/null 2>&1
check "an invalid bucket name: CREATE_FAILED on ExportBucket, ROLLBACK_COMPLETE" \
	rolled_back cfn-late ExportBucket 'S3 CreateBucket'
q cloudformation describe-stack-resources --stack-name cfn-late \
	--query 'StackResources[?ResourceStatus!=`DELETE_COMPLETE`&&ResourceStatus!=`CREATE_FAILED`].LogicalResourceId' \
	--output text
check "... every resource it made is DELETE_COMPLETE ($(cat "$SCRATCH/out"))" \
	test -z "$(tr -d '[:space:]' <"$SCRATCH/out")"
q qldb describe-ledger --name cfn-late-ledger --query State --output text
check "... its ledger is deleted (DELETING or gone)" \
	sh -c '[ "$(cat "$1")" = DELETING ] || grep -q ResourceNotFound "$2"' - "$SCRATCH/out" "$SCRATCH/err"
q kinesis describe-stream --stream-name cfn-late-ledger-journal \
	--query 'StreamDescription.StreamStatus' --output text
check "... its Kinesis stream is deleted (DELETING or gone)" \
	sh -c '[ "$(cat "$1")" = DELETING ] || grep -q ResourceNotFound "$2"' - "$SCRATCH/out" "$SCRATCH/err"
aws cloudformation create-stack --stack-name cfn-sqs \
	--template-body '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}' >/dev/null 2>&1
check "a resource type the endpoint lacks: CREATE_FAILED naming it, ROLLBACK_COMPLETE" \
	rolled_back cfn-sqs Q 'AWS::SQS::Queue is not supported'
aws cloudformation create-stack --stack-name cfn-prop \
	--template-body '{"Resources":{"K":{"Type":"AWS::Kinesis::Stream","Properties":{"Shards":1}}}}' \
	>/dev/null 2>&1
check "an unknown property: CREATE_FAILED naming it" rolled_back cfn-prop K 'unsupported property Shards'
# a ledger made fresh (not the demo one) gets its Tags too
aws cloudformation create-stack --stack-name cfn-tags --template-body \
	'{"Resources":{"L":{"Type":"AWS::QLDB::Ledger","Properties":{"Name":"cfn-tags-ledger","PermissionsMode":"STANDARD","DeletionProtection":false,"Tags":[{"Key":"Team","Value":"ops"}]}}}}' \
	>/dev/null 2>&1
check "a stack with a fresh tagged ledger: CREATE_COMPLETE" \
	aws cloudformation wait stack-create-complete --stack-name cfn-tags
q qldb list-tags-for-resource --resource-arn arn:aws:qldb:us-east-1:123456789012:ledger/cfn-tags-ledger \
	--query Tags.Team --output text
check "... and the ledger has its Tags (Team=ops)" test "$(cat "$SCRATCH/out")" = ops
aws cloudformation delete-stack --stack-name cfn-tags
# a stream setting Kinesis refuses: CREATE_FAILED with Kinesis's reason
aws cloudformation create-stack --stack-name cfn-retention --template-body \
	'{"Resources":{"K":{"Type":"AWS::Kinesis::Stream","Properties":{"ShardCount":1,"RetentionPeriodHours":9000}}}}' \
	>/dev/null 2>&1
check "RetentionPeriodHours 9000: CREATE_FAILED naming the stream and the limit" \
	rolled_back cfn-retention K 'IncreaseStreamRetentionPeriod.*Maximum allowed retention period'
# a JSON template, conditions choosing its values
cat >"$SCRATCH/t.json" <<'JSON'
{"Parameters": {"Env": {"Type": "String", "Default": "dev"}},
 "Conditions": {"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
 "Resources": {"B": {"Type": "AWS::S3::Bucket",
   "Properties": {"BucketName": {"Fn::Join": ["-", ["cfn-json", {"Fn::If": ["Prod", "p", "d"]}]]}}}},
 "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["B", "Arn"]}}}}
JSON
aws cloudformation create-stack --stack-name cfn-json --template-body "file://$SCRATCH/t.json" \
	--parameters ParameterKey=Env,ParameterValue=prod >/dev/null 2>&1
aws cloudformation wait stack-create-complete --stack-name cfn-json
q cloudformation describe-stacks --stack-name cfn-json --query 'Stacks[0].Outputs[0].OutputValue' \
	--output text
check "a JSON template: Fn::If on a condition, Fn::Join, Fn::GetAtt" \
	test "$(cat "$SCRATCH/out")" = arn:aws:s3:::cfn-json-p
q s3 ls
check "... and its bucket exists" has cfn-json-p "$SCRATCH/out"
aws cloudformation delete-stack --stack-name cfn-json
aws cloudformation wait stack-delete-complete --stack-name cfn-json
q s3 ls
check "... and delete-stack removes it" sh -c '! grep -q cfn-json-p "$1"' - "$SCRATCH/out"
exit "$((TAP_FAILED > 0))"
