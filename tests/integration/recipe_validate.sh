#!/bin/sh
# recipe_validate.sh - assets/recipe/validate.sh (the recipe's validation
# commands, verbatim) passes against `qldbtop serve --recipe`, with the
# Debian AWS CLI; and a ledger that is not there makes it fail.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
start_serve --recipe
check "serve --recipe names the resources it made" grep -q '^recipe: kinesis stream ' "$OUT"
run() {
	env ENDPOINT="$URL" AWS="$AWS" AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" \
		AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		AWS_PAGER= "$@" sh assets/recipe/validate.sh >"$SCRATCH/v" 2>&1
	vrc=$?
	sed 's/^/# /' "$SCRATCH/v"
}
run
check "validate.sh passes against serve --recipe (exit 0, six PASS)" \
	sh -c '[ "$1" -eq 0 ] && [ "$(grep -c "^PASS" "$2")" -eq 6 ]' - "$vrc" "$SCRATCH/v"
# what validate.sh only listed must also be healthy: the journal stream
# ACTIVE (not IMPAIRED), and its export written into the recipe's bucket
BUCKET=$(sed -n 's/.*export bucket \([^,]*\),.*/\1/p' "$OUT")
aws_() {
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$URL" >"$SCRATCH/out" 2>"$SCRATCH/err"
}
aws_ qldb list-journal-kinesis-streams-for-ledger --ledger-name financial-ledger \
	--query 'Streams[].Status' --output text
check "the recipe's journal stream is ACTIVE ($(cat "$SCRATCH/out"))" test "$(cat "$SCRATCH/out")" = ACTIVE
aws_ s3 ls --recursive "s3://$BUCKET/validation/"
sed 's/^/# /' "$SCRATCH/out"
check "validate.sh's export is in the bucket (started and completed manifests, a data object)" \
	sh -c 'grep -q "\.started\.manifest$" "$1" && grep -q "\.completed\.manifest$" "$1" &&
		grep -q "/[A-Za-z0-9]*\.[0-9]*-[0-9]*\.ion$" "$1"' - "$SCRATCH/out"
run LEDGER=no-such-ledger
check "validate.sh fails for a ledger that is not there (exit 1, FAIL describe-ledger)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^FAIL describe-ledger" "$2"' - "$vrc" "$SCRATCH/v"
exit 0
