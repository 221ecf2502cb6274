#!/bin/sh
# serve_exports.sh - QLDB journal exports written by the endpoint into its
# own S3 and proven with qldbtop verify-export, all through the Debian AWS
# CLI: `aws s3 mb`, `aws qldb export-journal-to-s3` in ION_TEXT, ION_BINARY
# and JSON, `aws s3 cp --recursive` down, then verify-export with the
# digest `aws qldb get-digest` printed: exit 0 for both Ion formats, 3 for
# JSON (chain only: JSON loses Ion types). An export to a bucket that does
# not exist is CANCELLED, as QLDB's failed.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
OUT=$SCRATCH/serve.out
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 >"$OUT" 2>"$SCRATCH/serve.err" &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
endpoint_printed() { grep -q '^endpoint: http://' "$OUT"; }
check "serve prints its endpoint within 10 s" wait_for 10 endpoint_printed
URL=$(sed -n 's/^endpoint: //p' "$OUT")
KEY=$(sed -n 's/^access key id: //p' "$OUT")
SECRET=$(sed -n 's/^secret access key: //p' "$OUT")

# aws SERVICE ARGS...: the CLI with the endpoint's keys; status in $rc
aws_() {
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$URL" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/err"
}

aws_ s3 mb s3://ledger-exports
check "aws s3 mb creates the export bucket" test "$rc" -eq 0
aws_ qldb get-digest --name financial-ledger
cp "$SCRATCH/out" "$SCRATCH/digest.json"
START=$(date -u -d '@0' +%Y-%m-%dT%H:%M:%SZ)
END=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for fmt in ION_TEXT ION_BINARY JSON; do
	printf '{"Bucket":"ledger-exports","Prefix":"%s/","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}\n' \
		"$fmt" >"$SCRATCH/cfg.json"
	aws_ qldb export-journal-to-s3 --name financial-ledger --inclusive-start-time "$START" \
		--exclusive-end-time "$END" --role-arn arn:aws:iam::123456789012:role/qldb-export \
		--s3-export-configuration "file://$SCRATCH/cfg.json" --output-format "$fmt" \
		--query ExportId --output text
	id=$(cat "$SCRATCH/out")
	check "export-journal-to-s3 $fmt: an export id" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -Eq "^[A-Za-z0-9]{22}$"' - "$rc" "$id"
	rm -rf "$SCRATCH/dl"
	aws_ s3 cp --recursive "s3://ledger-exports/$fmt/" "$SCRATCH/dl"
	check "aws s3 cp --recursive downloads the $fmt export (manifests and data objects)" \
		sh -c '[ "$1" -eq 0 ] && ls "$2"/*.started.manifest "$2"/*.completed.manifest >/dev/null &&
			find "$2" -name "*.*-*.*" -type f | grep -q .' - "$rc" "$SCRATCH/dl"
	"$QLDBTOP_BIN" verify-export "$SCRATCH/dl" --digest "$SCRATCH/digest.json" >"$SCRATCH/v" 2>&1
	vrc=$?
	want=0
	[ "$fmt" = JSON ] && want=3
	if [ "$vrc" -eq "$want" ]; then
		ok "verify-export of the $fmt export with the digest: exit $want ($(tail -n 1 "$SCRATCH/v"))"
	else
		not_ok "verify-export of the $fmt export with the digest: exit $vrc, want $want"
		sed 's/^/#   /' "$SCRATCH/v" | tail -n 20
	fi
done

printf '{"Bucket":"no-such-bucket","Prefix":"x/","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}\n' >"$SCRATCH/cfg.json"
aws_ qldb export-journal-to-s3 --name financial-ledger --inclusive-start-time "$START" \
	--exclusive-end-time "$END" --role-arn arn:aws:iam::123456789012:role/qldb-export \
	--s3-export-configuration "file://$SCRATCH/cfg.json" --query ExportId --output text
id=$(cat "$SCRATCH/out")
aws_ qldb describe-journal-s3-export --name financial-ledger --export-id "$id" \
	--query ExportDescription.Status --output text
check "an export to a bucket that does not exist is CANCELLED" test "$(cat "$SCRATCH/out")" = CANCELLED
exit 0
