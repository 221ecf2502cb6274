#!/bin/sh
# aws_cli_sts.sh - the real Debian AWS CLI against the endpoint's STS:
# get-caller-identity (the first command users run to check their keys,
# and what tools call to learn the account) prints the demo account, the
# caller's ARN and a UserId; a wrong secret is SignatureDoesNotMatch (exit
# 254); an action STS has but the endpoint does not serve is InvalidAction
# in STS's XML error shape; no Action is MissingAction.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi

start_serve --rate 0

# sts [VAR=VALUE...] -- ARGS...: `aws sts ARGS` with the demo keys; stdout
# in $SCRATCH/out, stderr in $SCRATCH/err, exit status in $rc
sts() {
	extra=
	while [ "$1" != "--" ]; do extra="$extra $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		AWS_SESSION_TOKEN= $extra "$AWS" sts "$@" --endpoint-url "$URL" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/err"
}
out_is() { test "$(cat "$SCRATCH/out")" = "$1"; }

sts -- get-caller-identity
sed 's/^/# /' "$SCRATCH/out"
check "get-caller-identity: exit 0" test "$rc" -eq 0
check "... prints Account 123456789012" grep -q '"Account": "123456789012"' "$SCRATCH/out"
sts -- get-caller-identity --query '[Account,Arn]' --output text
check "... Account and the caller's IAM ARN" \
	out_is "$(printf '123456789012\tarn:aws:iam::123456789012:user/qldbtop')"
sts -- get-caller-identity --query UserId --output text
check "... a UserId shaped as an IAM user's (AIDA and 17 more)" \
	grep -Eq '^AIDA[A-Z2-7]{17}$' "$SCRATCH/out"
sts AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 -- get-caller-identity --query Account --output text
check "... also signed for another region" out_is 123456789012

sts AWS_SECRET_ACCESS_KEY=wrong-secret -- get-caller-identity
check "a wrong secret: SignatureDoesNotMatch (exit 254) with a message" \
	sh -c '[ "$1" -eq 254 ] && grep -Eq "\(SignatureDoesNotMatch\).*GetCallerIdentity.*: [A-Za-z]" "$2"' - "$rc" "$SCRATCH/err"
sts AWS_ACCESS_KEY_ID=AKIAOTHERKEY0000000 -- get-caller-identity
check "an unknown access key: InvalidClientTokenId (exit 254)" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidClientTokenId)" "$2"' - "$rc" "$SCRATCH/err"
sts -- assume-role --role-arn arn:aws:iam::123456789012:role/r --role-session-name demo-session
check "assume-role (not served): InvalidAction naming it (exit 254)" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidAction).*Could not find operation AssumeRole" "$2"' - "$rc" "$SCRATCH/err"

# raw FORM: the request by curl's own SigV4 signer; body in $SCRATCH/raw
raw() {
	code=$(curl -s -o "$SCRATCH/raw" -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:sts \
		--user "$KEY:$SECRET" -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' \
		--data-binary "$1" "$URL/")
	echo "# $1 -> $code $(cut -c1-300 "$SCRATCH/raw")"
}
raw 'Action=GetCallerIdentity&Version=2011-06-15'
check "the XML: GetCallerIdentityResult with Arn, UserId, Account, and a RequestId" \
	sh -c '[ "$1" = 200 ] && grep -q "^<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/qldbtop</Arn><UserId>AIDA[A-Z2-7]*</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]*</RequestId></ResponseMetadata></GetCallerIdentityResponse>$" "$2"' - "$code" "$SCRATCH/raw"
raw 'Action=GetSessionToken&Version=2011-06-15'
check "another action: 400 ErrorResponse Sender InvalidAction with a message" \
	sh -c '[ "$1" = 400 ] && grep -q "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation GetSessionToken for version 2011-06-15</Message></Error><RequestId>" "$2"' - "$code" "$SCRATCH/raw"
raw 'Version=2011-06-15'
check "no Action: 400 MissingAction" \
	sh -c '[ "$1" = 400 ] && grep -q "<Code>MissingAction</Code>" "$2"' - "$code" "$SCRATCH/raw"
raw 'Action=%3Cscript%3E&Version=2011-06-15'
check "an action with markup is escaped in the error, not echoed raw" \
	sh -c '[ "$1" = 400 ] && grep -q "operation &lt;script&gt; for" "$2"' - "$code" "$SCRATCH/raw"
exit "$((TAP_FAILED > 0))"
