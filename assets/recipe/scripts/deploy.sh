#!/usr/bin/env bash
# deploy.sh - the recipe's "Using Bash Scripts" deployment: asks for the
# ledger name and the environment, shows what it will create, asks to
# confirm, then creates the CloudFormation stack from ../cloudformation.yaml
# (found beside this script, installed or not), follows its events until it
# settles, and prints the stack's outputs on stdout (everything else goes
# to stderr). Run with --help for the flags.
set -u
PROG=${0##*/}
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"
TEMPLATE=$(readlink -f "$HERE/../cloudformation.yaml")

usage() {
	cat <<EOF
usage: $PROG [--yes] [--stack-name NAME] [--ledger-name NAME] [--environment ENV]
             [--region REGION] [--endpoint-url URL]

Creates the QLDB ACID recipe's CloudFormation stack: a QLDB ledger
(deletion-protected), a Kinesis stream its journal streams to, an S3
bucket for journal exports (kept when the stack is deleted) and the IAM
roles QLDB uses for both. Asks for what is not given as a flag, shows
the plan and asks to confirm; then waits for the stack and prints its
outputs.

  -y, --yes             no prompts: the flags, else the defaults
  --stack-name NAME     the stack (default qldb-acid-database)
  --ledger-name NAME    the ledger (default financial-ledger); the export
                        bucket is NAME-exports-ACCOUNT, so lowercase only
  --environment ENV     dev, test, prod or production (default dev);
                        prod and production keep the stream 7 days
  --region REGION       the AWS region (else the AWS CLI's own)
  --endpoint-url URL    another endpoint, e.g. \`qldbtop serve\`
                        (else \$ENDPOINT when set)
  -h, --help            this help

Environment: AWS (the AWS CLI v2 to use), ENDPOINT, and the AWS CLI's
own AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID... Remove the stack with
destroy.sh.
EOF
}

YES=0 STACK=qldb-acid-database LEDGER='' ENVIRONMENT='' REGION='' ENDPOINT_URL=${ENDPOINT:-}
while [ $# -gt 0 ]; do
	case $1 in
	-y | --yes) YES=1 ;;
	-h | --help) usage; exit 0 ;;
	--stack-name | --stack-name=*) take_value "$@"; STACK=$VALUE ;;
	--ledger-name | --ledger-name=*) take_value "$@"; LEDGER=$VALUE ;;
	--environment | --environment=*) take_value "$@"; ENVIRONMENT=$VALUE ;;
	--region | --region=*) take_value "$@"; REGION=$VALUE ;;
	--endpoint-url | --endpoint-url=*) take_value "$@"; ENDPOINT_URL=$VALUE ;;
	*) usage_error "unknown argument '$1'" ;;
	esac
	case $1 in -y | --yes | --*=*) shift ;; *) shift 2 ;; esac
done

# ledger_problem NAME: why NAME cannot be this stack's ledger, or nothing.
# QLDB's rules (1-32 of A-Z a-z 0-9 -, no leading, trailing or double
# hyphen, not all digits) and S3's, as the bucket name is made from it:
# checked here so a bad name fails before anything exists (on AWS a
# rollback cannot delete a deletion-protected ledger it made).
ledger_problem() {
	case $1 in
	'') echo "is empty" ;;
	*[!a-z0-9-]*) echo "may hold only lowercase letters, digits and hyphens (the export bucket's name is made from it)" ;;
	-* | *-) echo "may not start or end with a hyphen" ;;
	*--*) echo "may not hold two hyphens in a row" ;;
	*[!0-9]*) [ ${#1} -le 32 ] || echo "is longer than 32 characters" ;;
	*) echo "may not be all digits" ;;
	esac
}
environment_ok() { case $1 in dev | test | prod | production) return 0 ;; esac; return 1; }

[ -r "$TEMPLATE" ] || die "the template is missing: $TEMPLATE"
if [ -n "$LEDGER" ] && [ -n "$(ledger_problem "$LEDGER")" ]; then
	usage_error "--ledger-name '$LEDGER' $(ledger_problem "$LEDGER")"
fi
if [ -n "$ENVIRONMENT" ] && ! environment_ok "$ENVIRONMENT"; then
	usage_error "--environment '$ENVIRONMENT' is not one of dev, test, prod, production"
fi
find_aws

stack_status "$STACK"
if [ -n "$STATUS" ]; then
	case $STATUS in
	ROLLBACK_COMPLETE | ROLLBACK_FAILED | CREATE_FAILED | DELETE_FAILED)
		die "stack $STACK already exists ($STATUS); remove it with destroy.sh --stack-name $STACK, or pick another --stack-name" ;;
	*) die "stack $STACK already exists ($STATUS); pick another --stack-name, or remove it with destroy.sh --stack-name $STACK" ;;
	esac
fi

# the questions: only for what no flag gave, and never with --yes
if [ "$YES" = 0 ] && [ -z "$LEDGER" ]; then
	while :; do
		ask "Ledger name" financial-ledger
		problem=$(ledger_problem "$ANSWER")
		[ -z "$problem" ] && break
		say "  the ledger name $problem"
	done
	LEDGER=$ANSWER
fi
if [ "$YES" = 0 ] && [ -z "$ENVIRONMENT" ]; then
	while :; do
		ask "Environment (dev, test, prod, production)" dev
		environment_ok "$ANSWER" && break
		say "  '$ANSWER' is not one of dev, test, prod, production"
	done
	ENVIRONMENT=$ANSWER
fi
LEDGER=${LEDGER:-financial-ledger}
ENVIRONMENT=${ENVIRONMENT:-dev}
case $ENVIRONMENT in prod | production) RETENTION="7 days" ;; *) RETENTION="24 hours" ;; esac

# the account names the bucket; the plan says so when it cannot be asked
ACCOUNT=$(aws sts get-caller-identity --query Account --output text 2>/dev/null) ||
	ACCOUNT='<account id>'
say "Stack $STACK in $(region_shown)${ENDPOINT_URL:+ at $ENDPOINT_URL} will create:"
say "  QLDB ledger      $LEDGER (STANDARD permissions, deletion protection on)"
say "  Kinesis stream   $LEDGER-journal (1 shard, KMS-encrypted, records kept $RETENTION)"
say "  QLDB stream      $LEDGER-stack-stream (the journal to that Kinesis stream)"
say "  S3 bucket        $LEDGER-exports-$ACCOUNT (versioned, AES256, private;"
say "                   kept when the stack is deleted: it holds the journal exports)"
say "  IAM roles        for QLDB to write to the Kinesis stream and to the bucket"
say "  tagged Environment=$ENVIRONMENT; template $TEMPLATE"
if [ "$YES" = 0 ] && ! confirm "Create it?"; then
	die "not confirmed; nothing was created"
fi

err=$(mktemp)
trap 'rm -f "$err"' EXIT
if ! STACK_ID=$(aws cloudformation create-stack --stack-name "$STACK" \
	--template-body "file://$TEMPLATE" \
	--parameters "ParameterKey=LedgerName,ParameterValue=$LEDGER" \
	"ParameterKey=Environment,ParameterValue=$ENVIRONMENT" \
	--capabilities CAPABILITY_IAM --query StackId --output text 2>"$err"); then
	die "create-stack failed: $(cli_error "$err")"
fi
say "Creating $STACK ($STACK_ID), times in UTC:"
trap 'rm -f "$err"; say ""; say "$PROG: interrupted; the stack goes on: aws cloudformation describe-stacks --stack-name $STACK"; exit 130' INT
stack_watch "$STACK_ID"
trap 'rm -f "$err"' INT
if [ "$STATUS" != CREATE_COMPLETE ]; then
	why=$(stack_failure "$STACK_ID")
	say "$PROG: stack $STACK is $STATUS: ${why:-no resource event says why}"
	die "nothing usable was created; remove the stack with: destroy.sh --stack-name $STACK"
fi
say "Stack $STACK is CREATE_COMPLETE. Outputs:"
aws cloudformation describe-stacks --stack-name "$STACK_ID" \
	--query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text 2>"$err" |
	awk -F'\t' '{ printf "%-18s %s\n", $1, $2 }'
[ "${PIPESTATUS[0]}" -eq 0 ] || die "describe-stacks failed: $(cli_error "$err")"
