#!/bin/sh
# recipe_scripts.sh - the recipe's "Using Bash Scripts" deployment,
# assets/recipe/scripts/deploy.sh and destroy.sh, with the Debian AWS CLI
# against `qldbtop serve` without --recipe: deploy --yes prints the
# outputs and the ledger, stream and bucket exist; validate.sh passes on
# them; answers piped on stdin deploy, "n" and end of input abort with
# nothing made; a second deploy, a bad flag, a bad ledger name and a
# failing stack are clear errors; destroy keeps the export bucket unless
# --delete-bucket; destroying a missing stack is a clear error.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
OUT=$SCRATCH/serve.out
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 >"$OUT" 2>"$SCRATCH/serve.err" </dev/null &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
check "serve prints its endpoint within 20 s" wait_for 20 grep -q '^endpoint: http://' "$OUT"
URL=$(sed -n 's/^endpoint: //p' "$OUT")
export AWS_ACCESS_KEY_ID="$(sed -n 's/^access key id: //p' "$OUT")"
export AWS_SECRET_ACCESS_KEY="$(sed -n 's/^secret access key: //p' "$OUT")"
export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_PAGER= AWS ENDPOINT="$URL" WATCH_SECONDS=1
S=$PWD/assets/recipe/scripts
aws() { "$AWS" "$@" --endpoint-url "$URL"; }
# q ARGS...: aws with stdout in $SCRATCH/out, stderr in $SCRATCH/err
q() { aws "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"; }
# run NAME SCRIPT ARGS...: the script from another folder, stdout in
# $SCRATCH/NAME.out, stderr in $SCRATCH/NAME.err, exit status in RC
run() {
	n=$1; shift
	(cd "$SCRATCH" && "$@") >"$SCRATCH/$n.out" 2>"$SCRATCH/$n.err"
	RC=$?
}
show() { sed 's/^/# /' "$SCRATCH/$1.err" "$SCRATCH/$1.out"; }
one_line() { [ "$(wc -l <"$SCRATCH/$1.err")" -eq 1 ] && grep -q -- "$2" "$SCRATCH/$1.err"; }
stacks() { aws cloudformation list-stacks --query 'StackSummaries[?StackStatus!=`DELETE_COMPLETE`].StackName' --output text; }
ledgers() { aws qldb list-ledgers --query 'Ledgers[].Name' --output text; }

check "deploy.sh and destroy.sh are executable" test -x "$S/deploy.sh" -a -x "$S/destroy.sh"
if command -v shellcheck >/dev/null 2>&1; then
	check "shellcheck finds nothing in the scripts" \
		sh -c 'cd "$1" && shellcheck -x deploy.sh destroy.sh common.sh' _ "$S"
else
	skip "shellcheck finds nothing in the scripts" "shellcheck is not installed"
fi

# --- the command line -------------------------------------------------------
run help "$S/deploy.sh" --help
check "deploy.sh --help: usage on stdout, exit 0" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^usage: deploy.sh" "$2" && grep -q -- "--ledger-name" "$2"' _ "$RC" "$SCRATCH/help.out"
run bad "$S/deploy.sh" --bogus
check "deploy.sh --bogus: exit 2, one line naming it" sh -c '[ "$1" -eq 2 ]' _ "$RC"
check "... naming the flag" one_line bad "unknown argument '--bogus'"
run bad "$S/destroy.sh" --stack-name
check "destroy.sh --stack-name with no value: exit 2, one line" \
	sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ]' _ "$RC" "$SCRATCH/bad.err"
run bad "$S/deploy.sh" --yes --ledger-name Bad_Name
check "a ledger name S3 and QLDB refuse: exit 2 before anything" sh -c '[ "$1" -eq 2 ]' _ "$RC"
check "... one line saying why" one_line bad "ledger-name 'Bad_Name' may hold only lowercase"
run bad "$S/deploy.sh" --yes --environment staging
check "an environment outside dev, test, prod, production: exit 2" \
	sh -c '[ "$1" -eq 2 ] && grep -q "staging" "$2"' _ "$RC" "$SCRATCH/bad.err"
mkdir -p "$SCRATCH/v1"
printf '#!/bin/sh\necho "aws-cli/1.27.0 Python/3.11"\n' >"$SCRATCH/v1/aws"
chmod +x "$SCRATCH/v1/aws"
run v1 env AWS="$SCRATCH/v1/aws" "$S/deploy.sh" --yes
check "AWS pointing at a CLI v1: exit 1, one line" sh -c '[ "$1" -eq 1 ]' _ "$RC"
check "... saying it is not the v2" one_line v1 "not the AWS CLI v2"
check "nothing was made by the refused runs ($(stacks))" test -z "$(stacks)"

# --- deploy --yes --------------------------------------------------------------
run d1 "$S/deploy.sh" --yes
show d1
check "deploy.sh --yes succeeds" test "$RC" -eq 0
output() { awk -v k="$2" '$1 == k { print $2 }' "$SCRATCH/$1.out"; }
check "it prints the six outputs on stdout" test "$(wc -l <"$SCRATCH/d1.out")" -eq 6
check "LedgerName financial-ledger (the default)" test "$(output d1 LedgerName)" = financial-ledger
check "KinesisStreamName financial-ledger-journal" \
	test "$(output d1 KinesisStreamName)" = financial-ledger-journal
check "ExportBucketName financial-ledger-exports-123456789012" \
	test "$(output d1 ExportBucketName)" = financial-ledger-exports-123456789012
check "the stderr shows the plan and the stack's events" \
	sh -c 'grep -q "QLDB ledger *financial-ledger" "$1" && grep -q "QLDBLedger.*CREATE_COMPLETE" "$1"' _ "$SCRATCH/d1.err"
check "the plan names the bucket with the account STS gives" \
	grep -q "S3 bucket *financial-ledger-exports-123456789012 " "$SCRATCH/d1.err"
q cloudformation describe-stacks --stack-name qldb-acid-database \
	--query 'Stacks[0].[StackStatus,Parameters[?ParameterKey==`Environment`].ParameterValue|[0]]' --output text
check "the stack qldb-acid-database is CREATE_COMPLETE with Environment=dev" \
	test "$(tr -s '\t ' ' ' <"$SCRATCH/out")" = "CREATE_COMPLETE dev"
q qldb describe-ledger --name financial-ledger --query '[State,DeletionProtection]' --output text
check "the ledger is ACTIVE and deletion-protected" test "$(tr -s '\t ' ' ' <"$SCRATCH/out")" = "ACTIVE True"
q kinesis describe-stream --stream-name financial-ledger-journal --query StreamDescription.StreamStatus --output text
check "the Kinesis stream is ACTIVE" test "$(cat "$SCRATCH/out")" = ACTIVE
q s3api head-bucket --bucket financial-ledger-exports-123456789012
check "the export bucket exists" test $? -eq 0
env EXPORT_ROLE="$(output d1 ExportRoleArn)" sh assets/recipe/validate.sh >"$SCRATCH/v" 2>&1
vrc=$?
sed 's/^/# /' "$SCRATCH/v"
check "validate.sh passes against the deployed stack (exit 0, six PASS)" \
	sh -c '[ "$1" -eq 0 ] && [ "$(grep -c "^PASS" "$2")" -eq 6 ]' _ "$vrc" "$SCRATCH/v"

run again "$S/deploy.sh" --yes
check "deploying the same stack again: exit 1" test "$RC" -eq 1
check "... one line saying it already exists" one_line again "stack qldb-acid-database already exists (CREATE_COMPLETE)"
# a pip v1 first on PATH is passed over for the v2 behind it (here the
# run gets as far as the endpoint, which says the stack exists)
run v1path env -u AWS PATH="$SCRATCH/v1:$PATH" "$S/deploy.sh" --yes
check "a v1 first on PATH is passed over for the v2" one_line v1path "already exists"

# --- a custom ledger name, and a stack that fails -----------------------------
run d2 "$S/deploy.sh" --yes --stack-name custom --ledger-name audit-books --environment=production
check "deploy.sh --ledger-name audit-books --environment=production succeeds" test "$RC" -eq 0
check "... its outputs name audit-books" sh -c '[ "$(awk "\$1 == \"LedgerName\" { print \$2 }" "$1")" = audit-books ]' _ "$SCRATCH/d2.out"
q qldb describe-ledger --name audit-books --query State --output text
check "... and the ledger audit-books is ACTIVE" test "$(cat "$SCRATCH/out")" = ACTIVE
aws kinesis create-stream --stream-name taken-journal --shard-count 1 >/dev/null 2>&1
run fail "$S/deploy.sh" --yes --stack-name doomed --ledger-name taken
show fail
check "a stack whose Kinesis stream name is taken: exit 1" test "$RC" -eq 1
check "... naming the failing resource and its reason" \
	grep -q 'ROLLBACK_COMPLETE: JournalKinesisStream (AWS::Kinesis::Stream): .*already exists' "$SCRATCH/fail.err"
run fail "$S/destroy.sh" --yes --stack-name doomed
check "destroy.sh removes the rolled-back stack" test "$RC" -eq 0

# --- answers on stdin ------------------------------------------------------------
pipe() { # NAME INPUT ARGS...: deploy.sh reading INPUT
	n=$1 in=$2; shift 2
	(cd "$SCRATCH" && printf '%b' "$in" | "$S/deploy.sh" "$@") >"$SCRATCH/$n.out" 2>"$SCRATCH/$n.err"
	RC=$?
}
pipe no 'piped-no\ntest\nn\n' --stack-name piped
check "answering n: exit 1" test "$RC" -eq 1
check "... saying nothing was created" grep -q 'not confirmed; nothing was created' "$SCRATCH/no.err"
pipe empty 'piped-no\ntest\n\n' --stack-name piped
check "an empty answer is no: exit 1" test "$RC" -eq 1
pipe eof 'piped-no\n' --stack-name piped
check "end of input at a question: exit 1" test "$RC" -eq 1
check "... one line: no answer; pass --yes" \
	sh -c '[ "$(grep -c "deploy.sh: " "$1")" -eq 1 ] && grep -q "deploy.sh: no answer; pass --yes" "$1"' _ "$SCRATCH/eof.err"
run eof0 "$S/deploy.sh" --stack-name piped </dev/null
check "stdin at end of input from the start: exit 1, no answer" \
	sh -c '[ "$1" -eq 1 ] && grep -q "no answer; pass --yes" "$2"' _ "$RC" "$SCRATCH/eof0.err"
check "nothing was created by the refused runs" \
	sh -c '! printf "%s\n" "$1" | grep -q piped && ! printf "%s\n" "$2" | grep -q piped-no' _ "$(stacks)" "$(ledgers)"
pipe yes 'piped-books\nprod\ny\n' --stack-name piped
show yes
check "answers piped on stdin (ledger name, environment, y) deploy" test "$RC" -eq 0
check "... the ledger answered" grep -q 'LedgerName *piped-books' "$SCRATCH/yes.out"
q cloudformation describe-stacks --stack-name piped \
	--query 'Stacks[0].Parameters[?ParameterKey==`Environment`].ParameterValue' --output text
check "... the environment answered" test "$(cat "$SCRATCH/out")" = prod

# --- destroy -------------------------------------------------------------------
run dno sh -c 'printf "n\n" | "$1"' _ "$S/destroy.sh"
check "destroy.sh answered n: exit 1, nothing deleted" \
	sh -c '[ "$1" -eq 1 ] && grep -q "nothing was deleted" "$2"' _ "$RC" "$SCRATCH/dno.err"
run deof "$S/destroy.sh" </dev/null
check "destroy.sh at end of input: exit 1, no answer" \
	sh -c '[ "$1" -eq 1 ] && grep -q "no answer; pass --yes" "$2"' _ "$RC" "$SCRATCH/deof.err"
run deof2 sh -c 'printf "y\n" | "$1"' _ "$S/destroy.sh"
check "destroy.sh with no answer to the bucket question: exit 1" test "$RC" -eq 1
q qldb describe-ledger --name financial-ledger --query '[State,DeletionProtection]' --output text
check "... the ledger is still ACTIVE and protected" test "$(tr -s '\t ' ' ' <"$SCRATCH/out")" = "ACTIVE True"

run x1 "$S/destroy.sh" --yes
show x1
check "destroy.sh --yes succeeds" test "$RC" -eq 0
check "... saying it turns off deletion protection" \
	grep -q 'Turning off deletion protection on ledger financial-ledger' "$SCRATCH/x1.err"
check "... and that the export bucket was kept" \
	grep -q 'Kept the export bucket financial-ledger-exports-123456789012' "$SCRATCH/x1.err"
q cloudformation describe-stacks --stack-name qldb-acid-database
check "the stack is gone" grep -q 'does not exist' "$SCRATCH/err"
q qldb describe-ledger --name financial-ledger --query State --output text
check "the ledger is deleted (DELETING or gone)" \
	sh -c '[ "$(cat "$1")" = DELETING ] || grep -q ResourceNotFound "$2"' _ "$SCRATCH/out" "$SCRATCH/err"
q s3api head-bucket --bucket financial-ledger-exports-123456789012
check "the export bucket is kept, with validate.sh's export in it" \
	sh -c '[ "$1" -eq 0 ] && "$2" s3 ls --recursive s3://financial-ledger-exports-123456789012/ --endpoint-url "$3" | grep validation/ >/dev/null' \
	_ $? "$AWS" "$URL"

run x2 sh -c 'printf "y\ny\n" | "$1" --stack-name custom' _ "$S/destroy.sh"
check "destroy.sh answering y to both questions succeeds" test "$RC" -eq 0
q s3api head-bucket --bucket audit-books-exports-123456789012
check "... and deletes the export bucket" test $? -ne 0
run x3 "$S/destroy.sh" --yes --delete-bucket --stack-name piped
check "destroy.sh --yes --delete-bucket succeeds" test "$RC" -eq 0
q s3api head-bucket --bucket piped-books-exports-123456789012
check "... and deletes the export bucket" test $? -ne 0
check "... saying so" grep -q 'Bucket piped-books-exports-123456789012 is deleted' "$SCRATCH/x3.err"
check "no stack is left ($(stacks))" test -z "$(stacks)"

run gone "$S/destroy.sh" --yes
check "destroying a missing stack: exit 1" test "$RC" -eq 1
check "... one line saying it does not exist" one_line gone "stack qldb-acid-database does not exist"
exit "$((TAP_FAILED > 0))"
