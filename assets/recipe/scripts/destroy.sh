#!/usr/bin/env bash
# destroy.sh - the recipe's "Using Bash Scripts" cleanup: shows what the
# stack holds, asks to confirm, turns off the ledger's deletion protection
# (the stack cannot delete a protected ledger), deletes the stack and
# follows its events until it is gone. The export bucket holds the journal
# exports, the audit archive: the template retains it, and so does this
# script unless asked (a second question, or --delete-bucket).
# Run with --help for the flags.
set -u
PROG=${0##*/}
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

usage() {
	cat <<EOF
usage: $PROG [--yes] [--delete-bucket] [--stack-name NAME] [--region REGION]
             [--endpoint-url URL]

Deletes the QLDB ACID recipe's CloudFormation stack made by deploy.sh:
turns off the ledger's deletion protection, deletes the stack and waits.
The ledger's journal and the Kinesis stream's records are lost. The S3
export bucket (the journal exports: the audit archive) is kept unless
you answer yes to the second question or pass --delete-bucket.

  -y, --yes             no prompts (the bucket is kept without --delete-bucket)
  --delete-bucket       delete the export bucket and every export in it too
  --stack-name NAME     the stack (default qldb-acid-database)
  --region REGION       the AWS region (else the AWS CLI's own)
  --endpoint-url URL    another endpoint, e.g. \`qldbtop serve\`
                        (else \$ENDPOINT when set)
  -h, --help            this help

Environment: AWS (the AWS CLI v2 to use), ENDPOINT, and the AWS CLI's
own AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID...
EOF
}

YES=0 DELETE_BUCKET=0 STACK=qldb-acid-database REGION='' ENDPOINT_URL=${ENDPOINT:-}
while [ $# -gt 0 ]; do
	case $1 in
	-y | --yes) YES=1 ;;
	--delete-bucket) DELETE_BUCKET=1 ;;
	-h | --help) usage; exit 0 ;;
	--stack-name | --stack-name=*) take_value "$@"; STACK=$VALUE ;;
	--region | --region=*) take_value "$@"; REGION=$VALUE ;;
	--endpoint-url | --endpoint-url=*) take_value "$@"; ENDPOINT_URL=$VALUE ;;
	*) usage_error "unknown argument '$1'" ;;
	esac
	case $1 in -y | --yes | --delete-bucket | --*=*) shift ;; *) shift 2 ;; esac
done
find_aws

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stack_status "$STACK"
[ -n "$STATUS" ] || die "stack $STACK does not exist in $(region_shown)${ENDPOINT_URL:+ at $ENDPOINT_URL}; nothing to delete"

# what the stack holds now: TYPE -> physical id of each live resource
aws cloudformation describe-stack-resources --stack-name "$STACK_ID" \
	--query 'StackResources[].[ResourceType,PhysicalResourceId,ResourceStatus]' \
	--output text >"$tmp/res" 2>"$tmp/err" || die "cannot list the stack's resources: $(cli_error "$tmp/err")"
live() { awk -F'\t' -v t="$1" '$1 == t && $3 != "DELETE_COMPLETE" && $2 != "None" && $2 != "" { print $2; exit }' "$tmp/res"; }
LEDGER=$(live AWS::QLDB::Ledger)
STREAM=$(live AWS::Kinesis::Stream)
BUCKET=$(live AWS::S3::Bucket)

say "Stack $STACK ($STATUS) in $(region_shown)${ENDPOINT_URL:+ at $ENDPOINT_URL} will be deleted:"
[ -n "$LEDGER" ] && say "  QLDB ledger      $LEDGER and its journal (deletion protection turned off first)"
[ -n "$STREAM" ] && say "  Kinesis stream   $STREAM and its records"
if [ -n "$(live AWS::IAM::Role)$(live AWS::QLDB::Stream)" ]; then
	say "  IAM roles and the QLDB journal stream"
elif [ -z "$LEDGER$STREAM$BUCKET" ]; then
	say "  only the stack's record: it holds no resources"
fi
if [ -n "$BUCKET" ]; then
	if [ "$DELETE_BUCKET" = 1 ]; then
		say "  S3 bucket        $BUCKET and every journal export in it (--delete-bucket)"
	else
		say "  S3 bucket        $BUCKET is kept (the journal exports: the audit archive)"
	fi
fi
if [ "$YES" = 0 ]; then
	confirm "Delete stack $STACK?" || die "not confirmed; nothing was deleted"
	# asked now, before anything goes, so no answer means nothing deleted
	if [ -n "$BUCKET" ] && [ "$DELETE_BUCKET" = 0 ] &&
		confirm "Also delete the export bucket $BUCKET and every journal export in it?"; then
		DELETE_BUCKET=1
	fi
fi

if [ -n "$LEDGER" ]; then
	protected=$(aws qldb describe-ledger --name "$LEDGER" --query DeletionProtection \
		--output text 2>"$tmp/err")
	if [ "$protected" = True ]; then
		say "Turning off deletion protection on ledger $LEDGER (the stack cannot delete it otherwise)"
		aws qldb update-ledger --name "$LEDGER" --no-deletion-protection >/dev/null 2>"$tmp/err" ||
			die "cannot turn off deletion protection on $LEDGER: $(cli_error "$tmp/err")"
	fi
fi

stack_event_ids "$STACK_ID" >"$tmp/before"
case $STATUS in
DELETE_IN_PROGRESS) say "Stack $STACK is already being deleted:" ;;
*)
	aws cloudformation delete-stack --stack-name "$STACK_ID" 2>"$tmp/err" ||
		die "delete-stack failed: $(cli_error "$tmp/err")"
	say "Deleting $STACK, times in UTC:"
	;;
esac
trap 'rm -rf "$tmp"; say ""; say "$PROG: interrupted; the deletion goes on: aws cloudformation describe-stacks --stack-name $STACK_ID"; exit 130' INT
stack_watch "$STACK_ID" "$tmp/before"
trap 'rm -rf "$tmp"' INT
if [ "$STATUS" != DELETE_COMPLETE ]; then
	why=$(stack_failure "$STACK_ID")
	die "stack $STACK is $STATUS: ${why:-no resource event says why}"
fi
say "Stack $STACK is deleted."

# empty_bucket NAME: delete every object, and on a versioned bucket every
# version and delete marker (500 a round, below DeleteObjects' 1000;
# bounded, as a bucket that never empties must not loop forever)
empty_bucket() {
	aws s3 rm "s3://$1" --recursive --only-show-errors 2>"$tmp/err" ||
		die "cannot empty bucket $1: $(cli_error "$tmp/err")"
	local round
	for round in $(seq 1 2000); do
		# shellcheck disable=SC2016 # JMESPath literals, not shell
		if ! aws s3api list-object-versions --bucket "$1" --max-items 500 \
			--query '{Objects: [Versions || `[]`, DeleteMarkers || `[]`][].{Key: Key, VersionId: VersionId}, Quiet: `true`}' \
			--output json >"$tmp/versions" 2>"$tmp/err"; then
			# an endpoint without object versions: the objects are gone
			grep -q NotImplemented "$tmp/err" && return 0
			die "cannot list the versions in bucket $1: $(cli_error "$tmp/err")"
		fi
		grep -q '"Key"' "$tmp/versions" || return 0
		aws s3api delete-objects --bucket "$1" --delete "file://$tmp/versions" \
			--output text >"$tmp/out" 2>"$tmp/err" ||
			die "cannot delete the versions in bucket $1: $(cli_error "$tmp/err")"
		[ -s "$tmp/out" ] && die "cannot delete the versions in bucket $1: $(head -n 1 "$tmp/out")"
	done
	die "bucket $1 still holds versions after $round rounds"
}

if [ -n "$BUCKET" ] && [ "$DELETE_BUCKET" = 1 ]; then
	say "Deleting the export bucket $BUCKET and its journal exports"
	empty_bucket "$BUCKET"
	aws s3api delete-bucket --bucket "$BUCKET" 2>"$tmp/err" ||
		die "cannot delete bucket $BUCKET: $(cli_error "$tmp/err")"
	say "Bucket $BUCKET is deleted."
elif [ -n "$BUCKET" ]; then
	say "Kept the export bucket $BUCKET: it holds the journal exports (the audit archive)."
	say "When it is no longer needed, delete its object versions, then: aws s3 rb s3://$BUCKET --force"
fi
