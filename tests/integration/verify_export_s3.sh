#!/bin/sh
# verify_export_s3.sh - `qldbtop verify-export s3://BUCKET/PREFIX/` against
# the endpoint's own S3 (`qldbtop serve`), nothing downloaded first: the
# endpoint exports its journal with `aws qldb export-journal-to-s3` (the
# Debian CLI), then qldbtop lists and reads the objects from S3 itself.
# ION_TEXT -> exit 0 with the digest; JSON -> exit 3 (chain only); the
# same export through --endpoint-url and through AWS_ENDPOINT_URL_S3; a
# bucket that does not exist, a wrong secret and a prefix with no manifest
# -> exit 2 with one line on stderr (never the secret); a data object
# replaced with a changed copy -> exit 1 naming it; an object that only
# the listing has (no manifest lists it) -> exit 3; a listing of more
# than one page is read whole (svc_probe, compared with the CLI's).
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
if [ ! -x "$TOOLS/svc_probe" ]; then
	not_ok "tools/svc_probe is built (make tools)"
	exit 1
fi

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi
PIDS=
trap 'kill $PIDS 2>/dev/null; rm -rf "$SCRATCH"' EXIT

out=$SCRATCH/serve.out
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 --export-seconds 0 >"$out" 2>"$SCRATCH/serve.err" &
PIDS="$PIDS $!"
printed() { grep -q '^endpoint: http://' "$out"; }
check "serve prints its endpoint within 10 s" wait_for 10 printed
URL=$(sed -n 's/^endpoint: //p' "$out")
KEY=$(sed -n 's/^access key id: //p' "$out")
SECRET=$(sed -n 's/^secret access key: //p' "$out")

aws_() {
	env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		"$AWS" "$@" --endpoint-url "$URL" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/err"
}
# vx WANT NAME ARGS...: qldbtop verify-export ARGS with the endpoint's keys
# exits WANT; output in $SCRATCH/v (stdout) and $SCRATCH/ve (stderr)
vx() {
	want=$1 name=$2
	shift 2
	env -u AWS_ENDPOINT_URL -u AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3="${VX_S3_URL:-}" AWS_ACCESS_KEY_ID="$KEY" \
		AWS_SECRET_ACCESS_KEY="${VX_SECRET:-$SECRET}" AWS_DEFAULT_REGION=us-east-1 \
		"$QLDBTOP_BIN" verify-export "$@" >"$SCRATCH/v" 2>"$SCRATCH/ve"
	vrc=$?
	if [ "$vrc" -eq "$want" ]; then
		ok "$name: exit $want ($(tail -n 1 "$SCRATCH/v" "$SCRATCH/ve" 2>/dev/null | grep -v '^==>' | grep . | tail -n 1))"
	else
		not_ok "$name: exit $vrc, want $want"
		sed 's/^/#   /' "$SCRATCH/v" "$SCRATCH/ve" | tail -n 20
	fi
}
one_line() { [ "$(wc -l <"$SCRATCH/ve")" -eq 1 ] && [ ! -s "$SCRATCH/v" ]; }

START=$(date -u -d '@0' +%Y-%m-%dT%H:%M:%SZ)
export_() { # FORMAT PREFIX: export the whole journal; id in $id
	printf '{"Bucket":"ledger-exports","Prefix":"%s","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}\n' \
		"$2" >"$SCRATCH/cfg.json"
	aws_ qldb export-journal-to-s3 --name financial-ledger --inclusive-start-time "$START" \
		--exclusive-end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		--role-arn arn:aws:iam::123456789012:role/qldb-export \
		--s3-export-configuration "file://$SCRATCH/cfg.json" --output-format "$1" \
		--query ExportId --output text
	id=
	[ "$rc" -eq 0 ] && id=$(cat "$SCRATCH/out")
}
is_completed() {
	aws_ qldb describe-journal-s3-export --name financial-ledger --export-id "$1" \
		--query ExportDescription.Status --output text && [ "$(cat "$SCRATCH/out")" = COMPLETED ]
}

aws_ s3 mb s3://ledger-exports
check "aws s3 mb creates the export bucket" test "$rc" -eq 0
aws_ qldb get-digest --name financial-ledger
cp "$SCRATCH/out" "$SCRATCH/digest.json"
check "get-digest answers" test -s "$SCRATCH/digest.json"
export_ ION_TEXT "ion text/"
text_id=$id
check "the ION_TEXT export (a prefix with a space) is COMPLETED within 20 s" wait_for 20 is_completed "$text_id"
export_ JSON json/
json_id=$id
check "the JSON export is COMPLETED within 20 s" wait_for 20 is_completed "$json_id"

vx 0 "verify-export s3://ledger-exports/ion text/ with the digest" \
	"s3://ledger-exports/ion text/" --endpoint-url "$URL" --digest "$SCRATCH/digest.json"
check "it ends VERIFIED" sh -c 'tail -n 1 "$1" | grep -q "^VERIFIED"' - "$SCRATCH/v"
blocks=$(sed -n 's/^blocks read: \([0-9]*\);.*/\1/p' "$SCRATCH/v")
check "it read blocks from S3 (blocks read: $blocks)" test "${blocks:-0}" -gt 0
# the same through AWS_ENDPOINT_URL_S3, --jobs 1, the prefix without its
# trailing slash, and --json
VX_S3_URL=$URL vx 0 "the same with AWS_ENDPOINT_URL_S3, --jobs 1 and no trailing slash" \
	"s3://ledger-exports/ion text" --digest "$SCRATCH/digest.json" --jobs 1 --json
check "--json says ok and VERIFIED" grep -q '"ok":true,"status":"VERIFIED"' "$SCRATCH/v"
# the folder verifier over the CLI's download agrees block for block
aws_ s3 cp --recursive "s3://ledger-exports/ion text/" "$SCRATCH/dl"
"$QLDBTOP_BIN" verify-export "$SCRATCH/dl" --digest "$SCRATCH/digest.json" --json >"$SCRATCH/local" 2>&1
check "the downloaded folder gives the same verdict and counts" \
	sh -c 'sed "s/\"manifests\".*\"blocks\"/X/" "$1" >"$1.a"; sed "s/\"manifests\".*\"blocks\"/X/" "$2" >"$2.a"; cmp -s "$1.a" "$2.a"' \
	- "$SCRATCH/v" "$SCRATCH/local"

vx 3 "verify-export of the JSON export (chain-verified only)" \
	s3://ledger-exports/json/ --endpoint-url "$URL" --digest "$SCRATCH/digest.json"

vx 2 "a bucket that does not exist" s3://no-such-bucket/x/ --endpoint-url "$URL"
check "  one line on stderr, nothing on stdout, naming NoSuchBucket" \
	sh -c '[ "$(wc -l <"$1")" -eq 1 ] && [ ! -s "$2" ] && grep -q NoSuchBucket "$1"' - "$SCRATCH/ve" "$SCRATCH/v"
VX_SECRET=wrong-secret-$$-do-not-print vx 2 "a wrong secret" "s3://ledger-exports/ion text/" --endpoint-url "$URL"
check "  one line, naming SignatureDoesNotMatch, without the secret" \
	sh -c 'one() { [ "$(wc -l <"$1")" -eq 1 ]; }; one "$1" && grep -q SignatureDoesNotMatch "$1" && ! grep -q "do-not-print" "$1" "$2"' \
	- "$SCRATCH/ve" "$SCRATCH/v"
check "  and never the right secret either" sh -c '! grep -qF "$1" "$2" "$3"' - "$SECRET" "$SCRATCH/ve" "$SCRATCH/v"
vx 2 "a prefix with no manifest" s3://ledger-exports/nothing-here/ --endpoint-url "$URL"
check "  one line naming the missing manifest" sh -c 'one_line() { [ "$(wc -l <"$1")" -eq 1 ]; }; one_line "$1" && grep -q "manifest" "$1"' - "$SCRATCH/ve"
vx 2 "a closed port (network error)" "s3://ledger-exports/ion text/" --endpoint-url http://127.0.0.1:1
check "  one line" one_line
vx 2 "mixing a folder and an s3:// URI" "s3://ledger-exports/ion text/" "$SCRATCH/dl" --endpoint-url "$URL"
vx 2 "an s3:// URI with a bad bucket name" "s3://a/x/" --endpoint-url "$URL"

# a listing of more than one page (S3 gives at most 1000 keys a page):
# qldbtop's client follows the continuation tokens to the same keys the
# CLI lists, keys with '&', '<', '+', '%' and UTF-8 among them
mkdir -p "$SCRATCH/many/d"
i=0
while [ $i -lt 1003 ]; do
	: >"$SCRATCH/many/d/k$i"
	i=$((i + 1))
done
for odd in 'a&b' 'c<d>' 'e+f' 'g%20h' 'caf\303\251' 'sp ace'; do
	: >"$SCRATCH/many/$(printf '%b' "$odd")"
done
aws_ s3 sync "$SCRATCH/many" "s3://ledger-exports/many/"
check "aws s3 sync puts 1009 keys under many/" test "$rc" -eq 0
aws_ s3api list-objects-v2 --bucket ledger-exports --prefix many/ --query 'Contents[].Key' --output json
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$SCRATCH/out" >"$SCRATCH/cli_keys"
env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" "$TOOLS/svc_probe" --endpoint-url "$URL" \
	s3-list s3://ledger-exports/many/ >"$SCRATCH/ours" 2>"$SCRATCH/ours.err"
sed -n 's/^key: \(.*\) 0$/\1/p' "$SCRATCH/ours" >"$SCRATCH/our_keys"
check "the listing over two pages has the CLI's 1009 keys, in the same order" \
	sh -c '[ "$(wc -l <"$1")" -eq 1009 ] && cmp -s "$1" "$2" && grep -qx "keys: 1009" "$3"' \
	- "$SCRATCH/cli_keys" "$SCRATCH/our_keys" "$SCRATCH/ours"
aws_ s3 rm --recursive "s3://ledger-exports/many/"

# an object that no manifest lists, beside the export: not proven
obj=$(find "$SCRATCH/dl" -name '*.*-*.ion' -type f | head -n 1)
rel=${obj#"$SCRATCH/dl/"}
dir=$(dirname "$rel")
aws_ s3 cp "$obj" "s3://ledger-exports/ion text/$dir/Zstray.0-0.ion"
vx 3 "an extra object named like data that no manifest lists" \
	"s3://ledger-exports/ion text/" --endpoint-url "$URL" --digest "$SCRATCH/digest.json"
check "  it is listed as not proven" grep -q 'not proven: .*listed by no manifest' "$SCRATCH/v"
aws_ s3 rm "s3://ledger-exports/ion text/$dir/Zstray.0-0.ion"

# a tampered data object: one letter of a statement in block 1's
# transactionInfo changed (still valid Ion, same length)
sed 's/CREATE TABLE Accounts/CREATE TABLE Acc0unts/' "$obj" >"$SCRATCH/tampered.ion"
check "the tampered copy differs" sh -c '! cmp -s "$1" "$2"' - "$obj" "$SCRATCH/tampered.ion"
aws_ s3 cp "$SCRATCH/tampered.ion" "s3://ledger-exports/ion text/$rel"
vx 1 "the export with a tampered data object" \
	"s3://ledger-exports/ion text/" --endpoint-url "$URL" --digest "$SCRATCH/digest.json"
check "  a FAILED line names the object" grep -q "^FAILED seq .*$(basename "$rel")" "$SCRATCH/v"

# a missing data object (the manifest lists it): an integrity failure
aws_ s3 rm "s3://ledger-exports/ion text/$rel"
vx 1 "the export with a data object deleted" \
	"s3://ledger-exports/ion text/" --endpoint-url "$URL" --digest "$SCRATCH/digest.json"
exit 0
