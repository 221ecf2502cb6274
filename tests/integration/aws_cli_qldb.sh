#!/bin/sh
# aws_cli_qldb.sh - the real Debian AWS CLI (2.9.19, which still has the
# qldb commands) against `qldbtop serve`: list-ledgers, describe-ledger
# and get-digest succeed with the shapes of the QLDB model; get-block with a
# digest tip, and get-revision, saved to files, prove with verify-proof; a missing
# ledger is ResourceNotFoundException (exit 254); SigV4 is really checked
# (the CLI's signatures pass, including a sorted query and a double-encoded
# path, and names . and .. whose dot segments botocore removes before
# signing; a wrong secret or key id fails with 403); oversized bodies get 413;
# SIGTERM stops the server with exit 0.
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

start_serve
echo "# endpoint $URL"
check "the endpoint is on loopback with a real port" \
	sh -c 'echo "$1" | grep -Eq "^http://127\.0\.0\.1:[1-9][0-9]*$"' - "$URL"
check "serve prints the documented demo key pair" \
	test "$KEY" = AKIDQLDBTOPDEMO00001 -a "$SECRET" = qldbtop-demo-secret-key-not-for-production
check "serve prints an example AWS CLI command with --endpoint-url" \
	grep -q "^example: .*aws qldb .*--endpoint-url $URL" "$OUT"

# run_aws [VAR=VALUE...] -- ARGS...: the CLI with the demo keys, no config
# files, no pager; stdout in $SCRATCH/out, stderr in $SCRATCH/err, status in $rc
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
	sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err"
}
out_is() { test "$(cat "$SCRATCH/out")" = "$1"; }

run_aws -- list-ledgers
check "list-ledgers: exit 0" test "$rc" -eq 0
run_aws -- list-ledgers --query 'Ledgers[?Name==`financial-ledger`].State' --output text
check "list-ledgers: financial-ledger is listed ACTIVE" out_is ACTIVE
run_aws -- list-ledgers --max-results 1 --query 'length(Ledgers)' --output text
check "list-ledgers --max-results 1: signed query accepted, one ledger" out_is 1

run_aws -- describe-ledger --name financial-ledger
check "describe-ledger: exit 0" test "$rc" -eq 0
run_aws -- describe-ledger --name financial-ledger --query \
	'[Name,State,PermissionsMode,DeletionProtection,EncryptionDescription.KmsKeyArn,EncryptionDescription.EncryptionStatus]' \
	--output text
check "describe-ledger: ACTIVE, STANDARD, deletion protection, AWS-owned key ENABLED" \
	out_is "$(printf 'financial-ledger\tACTIVE\tSTANDARD\tTrue\tAWS_OWNED_KMS_KEY\tENABLED')"
run_aws -- describe-ledger --name financial-ledger --query Arn --output text
check "describe-ledger: the ARN names the ledger" \
	out_is arn:aws:qldb:us-east-1:123456789012:ledger/financial-ledger
run_aws -- describe-ledger --name financial-ledger --query CreationDateTime --output text
check "describe-ledger: CreationDateTime reads as a timestamp" \
	grep -Eq '^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:.]+\+00:00$' "$SCRATCH/out"

run_aws -- get-digest --name financial-ledger
check "get-digest: exit 0" test "$rc" -eq 0
run_aws -- get-digest --name financial-ledger --query Digest --output text
DIGEST=$(cat "$SCRATCH/out")
check "get-digest: Digest is base64 of 32 bytes" \
	test "$(printf '%s' "$DIGEST" | base64 -d 2>/dev/null | wc -c)" -eq 32
run_aws -- get-digest --name financial-ledger --query DigestTipAddress.IonText --output text
TIP=$(cat "$SCRATCH/out")
check "get-digest: DigestTipAddress is {strandId:\"<22 base62>\",sequenceNo:N}" \
	sh -c 'printf "%s" "$1" | grep -Eq "^\{strandId:\"[A-Za-z0-9]{22}\",sequenceNo:[0-9]+\}$"' - "$TIP"
check "get-digest: DigestTipAddress parses as Ion (qldbtop ionhash)" \
	sh -c 'printf "%s" "$1" | "$2" ionhash - >/dev/null' - "$TIP" "$QLDBTOP_BIN"
TIPSEQ0=$(printf '%s' "$TIP" | sed 's/.*sequenceNo:\([0-9]*\).*/\1/')
# serve's workload adds a block every 2 s (the default --rate 0.5)
sleep 2.5
run_aws -- get-digest --name financial-ledger --query DigestTipAddress.IonText --output text
check "get-digest: the journal grows (the tip moves on, the strand stays)" \
	sh -c '[ "$(sed "s/.*sequenceNo:\([0-9]*\).*/\1/" "$1")" -gt "$2" ] &&
		[ "$(sed "s/,.*//" "$1")" = "$(printf "%s" "$3" | sed "s/,.*//")" ]' - "$SCRATCH/out" "$TIPSEQ0" "$TIP"

# The README walkthrough: get-digest and get-block saved to files, proven by
# verify-proof (block 0, a middle block and the tip itself), while the
# journal grows: the proofs are to the saved digest's tip.
run_aws -- get-digest --name financial-ledger
cp "$SCRATCH/out" "$SCRATCH/digest.json"
TIP=$(sed -n 's/.*"IonText": "\(.*\)".*/\1/p' "$SCRATCH/digest.json" | sed 's/\\"/"/g')
STRAND=$(printf '%s' "$TIP" | sed 's/.*strandId:"\([^"]*\)".*/\1/')
TIPSEQ=$(printf '%s' "$TIP" | sed 's/.*sequenceNo:\([0-9]*\).*/\1/')
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:%s}"}\n' "$STRAND" "$TIPSEQ" >"$SCRATCH/tip.json"
for seq in 0 7 "$TIPSEQ"; do
	printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:%s}"}\n' "$STRAND" "$seq" >"$SCRATCH/addr.json"
	run_aws -- get-block --name financial-ledger --block-address "file://$SCRATCH/addr.json" \
		--digest-tip-address "file://$SCRATCH/tip.json"
	cp "$SCRATCH/out" "$SCRATCH/block.json"
	"$QLDBTOP_BIN" verify-proof "$SCRATCH/block.json" --digest "$SCRATCH/digest.json" \
		>"$SCRATCH/vp" 2>&1
	vrc=$?
	if [ "$rc" -eq 0 ] && [ "$vrc" -eq 0 ] && tail -n 1 "$SCRATCH/vp" | grep -q '^VERIFIED'; then
		ok "get-block $seq at tip $TIPSEQ, saved, proves with verify-proof"
	else
		not_ok "get-block $seq: aws exit $rc, verify-proof exit $vrc"; sed 's/^/#   /' "$SCRATCH/vp"
	fi
done
# get-revision: every revision of block 7 (several, so the revision tree's
# path is exercised), saved, proves with verify-proof
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:7}"}\n' "$STRAND" >"$SCRATCH/addr.json"
run_aws -- get-block --name financial-ledger --block-address "file://$SCRATCH/addr.json"
DOCS=$(grep -o 'metadata:{id:\\"[A-Za-z0-9]*' "$SCRATCH/out" | sed 's/.*"//')
check "block 7 has more than one revision" test "$(echo "$DOCS" | wc -l)" -gt 1
for doc in $DOCS; do
	run_aws -- get-revision --name financial-ledger --block-address "file://$SCRATCH/addr.json" \
		--document-id "$doc" --digest-tip-address "file://$SCRATCH/tip.json"
	cp "$SCRATCH/out" "$SCRATCH/rev.json"
	"$QLDBTOP_BIN" verify-proof "$SCRATCH/rev.json" --digest "$SCRATCH/digest.json" \
		>"$SCRATCH/vp" 2>&1
	vrc=$?
	if [ "$rc" -eq 0 ] && [ "$vrc" -eq 0 ] && grep -q 'revision hash recomputed' "$SCRATCH/vp"; then
		ok "get-revision of $doc in block 7, saved, proves with verify-proof"
	else
		not_ok "get-revision of $doc: aws exit $rc, verify-proof exit $vrc"; sed 's/^/#   /' "$SCRATCH/vp"
	fi
done
run_aws -- get-revision --name financial-ledger --block-address "file://$SCRATCH/addr.json" \
	--document-id AAAAAAAAAAAAAAAAAAAAAA --digest-tip-address "file://$SCRATCH/tip.json"
check "get-revision of a document not in the block: InvalidParameterException (exit 254)" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidParameterException)" "$2"' - "$rc" "$SCRATCH/err"
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:%s}"}\n' "$STRAND" "$TIPSEQ" >"$SCRATCH/addr.json"
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:3}"}\n' "$STRAND" >"$SCRATCH/early.json"
run_aws -- get-block --name financial-ledger --block-address "file://$SCRATCH/addr.json" \
	--digest-tip-address "file://$SCRATCH/early.json"
check "get-block with a tip before the block: InvalidParameterException (exit 254)" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidParameterException)" "$2"' - "$rc" "$SCRATCH/err"
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:%s}"}\n' "$STRAND" "$((TIPSEQ + 1000000))" >"$SCRATCH/addr.json"
run_aws -- get-block --name financial-ledger --block-address "file://$SCRATCH/addr.json"
check "get-block of a block past the tip: InvalidParameterException (exit 254)" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidParameterException)" "$2"' - "$rc" "$SCRATCH/err"
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:5}"}\n' "$STRAND" >"$SCRATCH/addr.json"
run_aws -- get-block --name financial-ledger --block-address "file://$SCRATCH/addr.json" --query Proof --output text
check "get-block without a digest tip: the block, no proof" out_is None

run_aws -- describe-ledger --name no-such-ledger
check "describe-ledger of a missing ledger: exit 254" test "$rc" -eq 254
check "describe-ledger of a missing ledger: ResourceNotFoundException" \
	grep -q 'An error occurred (ResourceNotFoundException) when calling the DescribeLedger operation' "$SCRATCH/err"

# The canonical URI is the wire path encoded again: the CLI's ARN path
# (%3A, %2F) passes the signature check and reaches routing.
run_aws -- list-tags-for-resource --resource-arn arn:aws:qldb:us-east-1:123456789012:ledger/financial-ledger \
	--query 'length(keys(Tags))' --output text
check "an encoded ARN path passes SigV4 and reaches ListTagsForResource (no tags)" \
	sh -c '[ "$1" -eq 0 ] && [ "$(cat "$2")" = 0 ]' - "$rc" "$SCRATCH/out"

# botocore removes dot segments before it signs (/ledgers/. is signed as
# /ledgers/): such a path must pass SigV4 and get an answer about the name.
for name in . ..; do
	run_aws -- describe-ledger --name "$name"
	check "describe-ledger --name $name: passes SigV4, then exit 254 with a name error" \
		sh -c '[ "$1" -eq 254 ] && ! grep -q "Signature" "$2" &&
			grep -Eq "\((InvalidParameter|ResourceNotFound)Exception\)" "$2"' \
		- "$rc" "$SCRATCH/err"
done

run_aws AWS_SECRET_ACCESS_KEY=wrong-secret -- list-ledgers
check "wrong secret: exit 254 with InvalidSignatureException" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(InvalidSignatureException)" "$2"' - "$rc" "$SCRATCH/err"
check "wrong secret: the secret is not echoed" sh -c '! grep -q wrong-secret "$1"' - "$SCRATCH/err"
run_aws AWS_ACCESS_KEY_ID=AKIDNOTTHEDEMOKEY01 -- list-ledgers
check "wrong access key id: exit 254 with UnrecognizedClientException" \
	sh -c '[ "$1" -eq 254 ] && grep -q "(UnrecognizedClientException)" "$2"' - "$rc" "$SCRATCH/err"

# Raw HTTP: status codes and headers
status() { curl -s -o "$SCRATCH/body" -D "$SCRATCH/headers" -w '%{http_code}' "$@"; }
check "unsigned request: 403" test "$(status "$URL/ledgers")" = 403
check "unsigned request: x-amzn-ErrorType UnrecognizedClientException" \
	grep -qi '^x-amzn-ErrorType: UnrecognizedClientException' "$SCRATCH/headers"
check "error body carries message" grep -q '"message":' "$SCRATCH/body"
check "every response has x-amzn-RequestId and JSON content type" \
	sh -c 'grep -qi "^x-amzn-RequestId: ." "$1" && grep -qi "^Content-Type: application/json" "$1"' - "$SCRATCH/headers"
AUTH="AWS4-HMAC-SHA256 Credential=AKIDWRONG/20250101/us-east-1/qldb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000"
check "a foreign key id: 403" test "$(status -H "Authorization: $AUTH" "$URL/ledgers")" = 403
head -c 2097152 /dev/zero >"$SCRATCH/big"
check "a 2 MiB body: 413" \
	test "$(status -X POST --data-binary @"$SCRATCH/big" "$URL/ledgers/financial-ledger/digest")" = 413
check "a 2 MiB body: RequestEntityTooLargeException" \
	grep -qi '^x-amzn-ErrorType: RequestEntityTooLargeException' "$SCRATCH/headers"

kill -TERM "$PID"
wait "$PID"
rc=$?
check "SIGTERM stops serve with exit 0" test "$rc" -eq 0
check "serve wrote nothing to stderr" test ! -s "$SCRATCH/serve.err"
exit 0
