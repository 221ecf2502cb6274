#!/bin/sh
# serve_exports.sh - QLDB journal exports written by the endpoint into its
# own S3 and proven with qldbtop verify-export, all through the Debian AWS
# CLI: `aws s3 mb`, `aws qldb export-journal-to-s3` in ION_TEXT, ION_BINARY
# and JSON, `aws s3 cp --recursive` down, then verify-export with the
# digest `aws qldb get-digest` printed: exit 0 for both Ion formats, 3 for
# JSON (chain only: JSON loses Ion types). Also: IN_PROGRESS for
# --export-seconds, then COMPLETED; a third export while two run is
# LimitExceededException; an export to a bucket that does not exist is
# CANCELLED, as QLDB's failed; and under the tamper-block scenario the
# export and GetBlock's proof both fail at that block.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$SCRATCH"' EXIT

# serve_up TAG ARGS...: start serve with ARGS; sets URL, KEY, SECRET
serve_up() {
	tag=$1
	shift
	out=$SCRATCH/serve-$tag.out
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 "$@" >"$out" 2>"$SCRATCH/serve-$tag.err" &
	PIDS="$PIDS $!"
	printed() { grep -q '^endpoint: http://' "$out"; }
	check "serve ($tag) prints its endpoint within 10 s" wait_for 10 printed
	URL=$(sed -n 's/^endpoint: //p' "$out")
	KEY=$(sed -n 's/^access key id: //p' "$out")
	SECRET=$(sed -n 's/^secret access key: //p' "$out")
}

# aws_ ARGS...: the CLI with the endpoint's keys; output in $SCRATCH/out,
# status in $rc. One attempt: the CLI's standard mode retries
# LimitExceededException, which this test wants to see.
aws_() {
	env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$URL" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/err"
}

START=$(date -u -d '@0' +%Y-%m-%dT%H:%M:%SZ)
# export FORMAT BUCKET PREFIX: start an export of the whole journal; its id
# in $id (empty on failure, the error in $SCRATCH/err)
export_() {
	printf '{"Bucket":"%s","Prefix":"%s","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}\n' \
		"$2" "$3" >"$SCRATCH/cfg.json"
	aws_ qldb export-journal-to-s3 --name financial-ledger --inclusive-start-time "$START" \
		--exclusive-end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		--role-arn arn:aws:iam::123456789012:role/qldb-export \
		--s3-export-configuration "file://$SCRATCH/cfg.json" --output-format "$1" \
		--query ExportId --output text
	id=
	[ "$rc" -eq 0 ] && id=$(cat "$SCRATCH/out")
}
status_of() { # ID: the export's status into $SCRATCH/out
	aws_ qldb describe-journal-s3-export --name financial-ledger --export-id "$1" \
		--query ExportDescription.Status --output text
}
is_completed() { status_of "$1" && [ "$(cat "$SCRATCH/out")" = COMPLETED ]; }
is_export_id() { echo "$1" | grep -Eq '^[A-Za-z0-9]{22}$'; }

# download PREFIX: aws s3 cp --recursive into $SCRATCH/dl
download() {
	rm -rf "$SCRATCH/dl"
	aws_ s3 cp --recursive "s3://ledger-exports/$1" "$SCRATCH/dl"
	check "aws s3 cp --recursive downloads the $1 export (manifests and data objects)" \
		sh -c '[ "$1" -eq 0 ] && ls "$2"/*.started.manifest "$2"/*.completed.manifest \
			>/dev/null && find "$2" -name "*.*-*.*" -type f | grep -q .' - "$rc" "$SCRATCH/dl"
}

# verify WHAT WANT: verify-export of $SCRATCH/dl with the digest exits WANT
verify() {
	"$QLDBTOP_BIN" verify-export "$SCRATCH/dl" --digest "$SCRATCH/digest.json" >"$SCRATCH/v" 2>&1
	vrc=$?
	if [ "$vrc" -eq "$2" ]; then
		ok "verify-export of $1 with the digest: exit $2 ($(tail -n 1 "$SCRATCH/v"))"
	else
		not_ok "verify-export of $1 with the digest: exit $vrc, want $2"
		sed 's/^/#   /' "$SCRATCH/v" | tail -n 20
	fi
}

serve_up plain --export-seconds 30
aws_ s3 mb s3://ledger-exports
check "aws s3 mb creates the export bucket" test "$rc" -eq 0
aws_ qldb get-digest --name financial-ledger
cp "$SCRATCH/out" "$SCRATCH/digest.json"

export_ ION_TEXT ledger-exports ION_TEXT/
text_id=$id
check "export-journal-to-s3 ION_TEXT: an export id" is_export_id "$text_id"
export_ ION_BINARY ledger-exports ION_BINARY/
binary_id=$id
check "export-journal-to-s3 ION_BINARY: an export id" is_export_id "$binary_id"
status_of "$text_id"
check "a fresh export is IN_PROGRESS" test "$(cat "$SCRATCH/out")" = IN_PROGRESS
export_ JSON ledger-exports JSON/
check "a third export while two are IN_PROGRESS: LimitExceededException" \
	sh -c '[ -z "$1" ] && grep -q "LimitExceededException" "$2"' - "$id" "$SCRATCH/err"
check "the ION_TEXT export is COMPLETED within 60 s" wait_for 60 is_completed "$text_id"
check "the ION_BINARY export is COMPLETED within 60 s" wait_for 60 is_completed "$binary_id"
export_ JSON ledger-exports JSON/
check "export-journal-to-s3 JSON once one finished: an export id" is_export_id "$id"

for fmt in ION_TEXT ION_BINARY JSON; do
	download "$fmt/"
	want=0
	[ "$fmt" = JSON ] && want=3
	verify "the $fmt export" "$want"
done

# the digest is of a later tip than the export's end: an export that
# stops early still proves, a digest of a tip past it is the verifier's
# business (UNVERIFIED, exit 3); here the tip did not move (--rate 0)

export_ ION_TEXT no-such-bucket x/
missing_id=$id
check "an export to a bucket that does not exist still gets an id" is_export_id "$missing_id"
status_of "$missing_id"
check "an export to a bucket that does not exist is CANCELLED" test "$(cat "$SCRATCH/out")" = CANCELLED
aws_ s3 ls s3://ledger-exports/x/
check "nothing of it lands anywhere else" test ! -s "$SCRATCH/out"

# --- the tamper-block scenario: block 5's stored bytes change, its hashes
# do not; the export carries the changed bytes and fails there, and so
# does GetBlock's proof
printf '# tamper with block 5 at once\nat 0s tamper-block financial-ledger 5\n' >"$SCRATCH/tamper"
serve_up tamper --export-seconds 0 --scenario "$SCRATCH/tamper"
tampered() { aws_ qldb get-digest --name financial-ledger && [ -s "$SCRATCH/out" ] && sleep 0.5; }
check "the tampered endpoint answers get-digest" wait_for 5 tampered
cp "$SCRATCH/out" "$SCRATCH/digest.json"
sleep 1 # the delivery thread applies scripted events every 200 ms
aws_ s3 mb s3://ledger-exports
export_ ION_TEXT ledger-exports tampered/
check "export-journal-to-s3 under tamper-block: an export id" is_export_id "$id"
download tampered/
verify "the export of a tampered journal" 1
check "verify-export names block 5 as the failure" grep -q '^FAILED seq 5 ' "$SCRATCH/v"
aws_ qldb get-digest --name financial-ledger --query DigestTipAddress.IonText --output text
tip=$(cat "$SCRATCH/out")
strand=$(printf '%s' "$tip" | sed 's/.*strandId: *"\([^"]*\)".*/\1/')
printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:%s}"}\n' "$strand" \
	"$(printf '%s' "$tip" | sed 's/.*sequenceNo: *\([0-9]*\).*/\1/')" >"$SCRATCH/tip.json"
# prove SEQ: get-block SEQ against the digest's tip, then verify-proof; its
# status in $prc
prove() {
	printf '{"IonText": "{strandId:\\"%s\\",sequenceNo:%s}"}\n' "$strand" "$1" >"$SCRATCH/addr.json"
	aws_ qldb get-block --name financial-ledger --block-address "file://$SCRATCH/addr.json" \
		--digest-tip-address "file://$SCRATCH/tip.json"
	cp "$SCRATCH/out" "$SCRATCH/block.json"
	"$QLDBTOP_BIN" verify-proof "$SCRATCH/block.json" --digest "$SCRATCH/digest.json" >"$SCRATCH/p" 2>&1
	prc=$?
	sed 's/^/#   /' "$SCRATCH/p" | tail -n 3
}
prove 5
check "verify-proof of tampered block 5 fails (exit 1)" test "$prc" -eq 1
prove 4
check "verify-proof of untouched block 4 still proves (exit 0)" test "$prc" -eq 0
exit 0
