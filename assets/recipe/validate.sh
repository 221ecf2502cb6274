#!/bin/sh
# validate.sh - the "Validation & Testing" commands of the QLDB ACID recipe
# (../shared/seed/qldb-acid-recipe-iac-README.md), verbatim, against an
# endpoint: the real AWS, or `qldbtop serve --recipe` with
#   ENDPOINT=http://127.0.0.1:4580 sh assets/recipe/validate.sh
# The names default to what `serve --recipe` makes; override them for
# your own stack. Credentials and region come from the usual AWS_*
# variables. Prints PASS or FAIL per step; exits 1 when any step fails.
#   LEDGER          your-ledger-name              (financial-ledger)
#   KINESIS_STREAM  your-kinesis-stream-name      (financial-ledger-journal)
#   EXPORT_BUCKET   your-export-bucket-name       (financial-ledger-exports-123456789012)
#   EXPORT_ROLE     your-role-arn                 (arn:aws:iam::123456789012:role/qldb-acid-export-role)
#   AWS             the AWS CLI v2                (aws)
LEDGER=${LEDGER:-financial-ledger}
KINESIS_STREAM=${KINESIS_STREAM:-financial-ledger-journal}
EXPORT_BUCKET=${EXPORT_BUCKET:-financial-ledger-exports-123456789012}
EXPORT_ROLE=${EXPORT_ROLE:-arn:aws:iam::123456789012:role/qldb-acid-export-role}
AWS=${AWS:-aws}
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# aws ARGS...: the CLI, at ENDPOINT when it is set (the AWS CLI v2 ignores
# AWS_ENDPOINT_URL, so it is passed as --endpoint-url)
aws() {
	if [ -n "${ENDPOINT:-}" ]; then
		"$AWS" "$@" --endpoint-url "$ENDPOINT"
	else
		"$AWS" "$@"
	fi
}
step() { # NAME COMMAND...
	name=$1; shift
	if "$@" >"$tmp/out" 2>"$tmp/err"; then
		echo "PASS $name"
	else
		echo "FAIL $name"; sed 's/^/    /' "$tmp/err"; failed=1
	fi
}

# s3-export-config.json, as the recipe's export command reads it
cat >"$tmp/s3-export-config.json" <<JSON
{"Bucket": "$EXPORT_BUCKET", "Prefix": "validation/",
 "EncryptionConfiguration": {"ObjectEncryptionType": "SSE_S3"}}
JSON

# Verify QLDB Ledger
step "describe-ledger" aws qldb describe-ledger --name "$LEDGER"
step "get-digest" aws qldb get-digest --name "$LEDGER"
# Test Journal Streaming
step "kinesis describe-stream" aws kinesis describe-stream --stream-name "$KINESIS_STREAM"
step "list-journal-kinesis-streams-for-ledger" aws qldb list-journal-kinesis-streams-for-ledger \
	--ledger-name "$LEDGER"
# Verify S3 Export Capability
step "s3 ls" aws s3 ls "s3://$EXPORT_BUCKET/"
step "export-journal-to-s3" aws qldb export-journal-to-s3 \
	--name "$LEDGER" \
	--inclusive-start-time "$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)" \
	--exclusive-end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--role-arn "$EXPORT_ROLE" \
	--s3-export-configuration "file://$tmp/s3-export-config.json"
exit $failed
