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
OUT=$SCRATCH/serve.out
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --recipe >"$OUT" 2>"$SCRATCH/serve.err" &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
endpoint_printed() { grep -q '^endpoint: http://' "$OUT"; }
check "serve --recipe prints its endpoint within 10 s" wait_for 10 endpoint_printed
check "serve --recipe names the resources it made" grep -q '^recipe: kinesis stream ' "$OUT"
URL=$(sed -n 's/^endpoint: //p' "$OUT")
KEY=$(sed -n 's/^access key id: //p' "$OUT")
SECRET=$(sed -n 's/^secret access key: //p' "$OUT")
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
run LEDGER=no-such-ledger
check "validate.sh fails for a ledger that is not there (exit 1, FAIL describe-ledger)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^FAIL describe-ledger" "$2"' - "$vrc" "$SCRATCH/v"
exit 0
