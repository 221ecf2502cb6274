#!/bin/sh
# aws_cli_s3.sh - the real Debian AWS CLI (2.9.19) against `qldbtop
# serve`'s S3, with signatures checked by S3's rules (path encoded once,
# x-amz-content-sha256 matched against the body): mb, ls (empty, buckets,
# a prefix, recursive), cp both ways of a small file and of a 9 MiB one
# (multipart upload, ranged parallel download; bytes identical), s3api
# list-objects-v2 --prefix with paging, get-object --range, head-object,
# sync both ways, rm, rb; each error (NoSuchBucket, a missing key's 404,
# BucketNotEmpty, BucketAlreadyOwnedByYou outside us-east-1); a wrong
# secret refused with 403 and a message; curl's own SigV4 signer as a
# second client.
. tests/lib/tap.sh

AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi

start_serve --rate 0
echo "# endpoint $URL"

# run_aws [VAR=VALUE...] -- ARGS...: the CLI with the demo keys, no config
# files, no pager; stdout in $SCRATCH/out, stderr in $SCRATCH/err, status in $rc
run_aws() {
	extra=
	while [ "$1" != "--" ]; do extra="$extra $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
		AWS_SESSION_TOKEN= $extra "$AWS" "$@" --endpoint-url "$URL" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err" | head -20
}
out_is() { test "$(cat "$SCRATCH/out")" = "$1"; }
err_has() { grep -q "$1" "$SCRATCH/err"; }
failed_with() { test "$rc" -eq 1 -o "$rc" -eq 254 && err_has "$1"; }

run_aws -- s3 ls
check "s3 ls with no bucket: exit 0, nothing listed" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' - "$rc" "$SCRATCH/out"
run_aws -- s3 mb s3://cli-bucket
check "s3 mb: exit 0" test "$rc" -eq 0
run_aws -- s3 ls
check "s3 ls lists the bucket" grep -Eq '^20[0-9-]+ [0-9:]+ cli-bucket$' "$SCRATCH/out"
run_aws -- s3 ls s3://cli-bucket
check "s3 ls of an empty bucket: exit 0, nothing listed" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' - "$rc" "$SCRATCH/out"

printf 'hello from qldbtop\n' >"$SCRATCH/small.txt"
head -c 9437184 /dev/urandom >"$SCRATCH/big.bin"
run_aws -- s3 cp "$SCRATCH/small.txt" s3://cli-bucket/exports/small.txt --no-progress
check "s3 cp up a small file: exit 0" test "$rc" -eq 0
run_aws -- s3 cp "$SCRATCH/big.bin" "s3://cli-bucket/exports/big file+9MiB.bin" --no-progress
check "s3 cp up a 9 MiB file (multipart): exit 0" test "$rc" -eq 0
run_aws -- s3 cp s3://cli-bucket/exports/small.txt "$SCRATCH/small.back" --no-progress
check "s3 cp down the small file: bytes identical" cmp "$SCRATCH/small.txt" "$SCRATCH/small.back"
run_aws -- s3 cp "s3://cli-bucket/exports/big file+9MiB.bin" "$SCRATCH/big.back" --no-progress
check "s3 cp down the 9 MiB file (ranged GETs): bytes identical" cmp "$SCRATCH/big.bin" "$SCRATCH/big.back"
run_aws -- s3 cp s3://cli-bucket/exports/small.txt -
check "s3 cp to stdout" out_is "hello from qldbtop"

run_aws -- s3 ls s3://cli-bucket
check "s3 ls of the bucket rolls exports/ up" grep -q 'PRE exports/' "$SCRATCH/out"
run_aws -- s3 ls s3://cli-bucket/exports/
check "s3 ls of a prefix lists both files with sizes" \
	sh -c 'grep -q " 9437184 big file+9MiB.bin$" "$1" && grep -q " 19 small.txt$" "$1"' - "$SCRATCH/out"

run_aws -- s3api head-object --bucket cli-bucket --key "exports/big file+9MiB.bin" \
	--query '[ContentLength,ETag]' --output text
check "head-object: length and a multipart ETag (-2)" grep -Eq '^9437184	"[0-9a-f]{32}-2"$' "$SCRATCH/out"
run_aws -- s3api head-object --bucket cli-bucket --key exports/small.txt --query ETag --output text
check "head-object: ETag is the quoted MD5" out_is "\"$(md5sum "$SCRATCH/small.txt" | cut -c1-32)\""
run_aws -- s3api get-object --bucket cli-bucket --key "exports/big file+9MiB.bin" \
	--range bytes=1000-1999 "$SCRATCH/range.bin" --query ContentRange --output text
check "get-object --range: Content-Range" out_is "bytes 1000-1999/9437184"
dd if="$SCRATCH/big.bin" of="$SCRATCH/range.want" bs=1000 skip=1 count=1 2>/dev/null
check "get-object --range: the bytes of that range" cmp "$SCRATCH/range.want" "$SCRATCH/range.bin"

# a folder to sync: nested, a space in a name
mkdir -p "$SCRATCH/tree/a/b" "$SCRATCH/back"
for f in one two "a/three 3" a/b/four a/b/five; do echo "$f" >"$SCRATCH/tree/$f"; done
run_aws -- s3 sync "$SCRATCH/tree" s3://cli-bucket/tree/ --no-progress
check "s3 sync up: exit 0, five uploads" sh -c '[ "$1" -eq 0 ] && [ "$(grep -c ^upload: "$2")" -eq 5 ]' - "$rc" "$SCRATCH/out"
run_aws -- s3 sync "$SCRATCH/tree" s3://cli-bucket/tree/ --no-progress
check "s3 sync again: nothing to do" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' - "$rc" "$SCRATCH/out"
run_aws -- s3 sync s3://cli-bucket/tree/ "$SCRATCH/back" --no-progress
check "s3 sync down: the same tree" diff -r "$SCRATCH/tree" "$SCRATCH/back"

run_aws -- s3api list-objects-v2 --bucket cli-bucket --prefix tree/a/ --query 'Contents[].Key' --output text
check "list-objects-v2 --prefix: the three keys under it" \
	out_is "$(printf 'tree/a/b/five\ttree/a/b/four\ttree/a/three 3')"
run_aws -- s3api list-objects-v2 --bucket cli-bucket --prefix tree/ --page-size 2 --query 'length(Contents)'
check "list-objects-v2 --page-size 2: the CLI follows the tokens to all five" out_is 5
run_aws -- s3api list-objects-v2 --bucket cli-bucket --prefix tree/ --max-items 2 --page-size 1 \
	--query NextToken --output text
TOKEN=$(tail -n 1 "$SCRATCH/out") # text output prints one line per page
check "list-objects-v2 --max-items 2: a NextToken" test -n "$TOKEN" -a "$TOKEN" != None
run_aws -- s3api list-objects-v2 --bucket cli-bucket --prefix tree/ --max-items 10 --page-size 1 \
	--starting-token "$TOKEN" --query 'Contents[].Key' --output text
check "list-objects-v2 --starting-token: the three keys after the first two" \
	test "$(tr '\t' '\n' <"$SCRATCH/out" | tr '\n' ,)" = "tree/a/three 3,tree/one,tree/two,"
run_aws -- s3api list-objects-v2 --bucket cli-bucket --delimiter / --prefix tree/ \
	--query 'CommonPrefixes[].Prefix' --output text
check "list-objects-v2 --delimiter: CommonPrefixes" out_is "tree/a/"

# errors
run_aws -- s3 ls s3://no-such-bucket
check "s3 ls of a missing bucket: NoSuchBucket" failed_with NoSuchBucket
run_aws -- s3api list-objects-v2 --bucket no-such-bucket
check "list-objects-v2 of a missing bucket: exit 254, NoSuchBucket" sh -c '[ "$1" -eq 254 ] && grep -q NoSuchBucket "$2"' - "$rc" "$SCRATCH/err"
run_aws -- s3api head-object --bucket cli-bucket --key exports/none
check "head-object of a missing key: 404" failed_with '(404)'
run_aws -- s3api get-object --bucket cli-bucket --key exports/none "$SCRATCH/none"
check "get-object of a missing key: NoSuchKey" failed_with NoSuchKey
run_aws -- s3 cp s3://cli-bucket/exports/none "$SCRATCH/none"
check "s3 cp of a missing key: 404" failed_with 404
run_aws -- s3api get-object --bucket cli-bucket --key exports/small.txt --range bytes=100-200 "$SCRATCH/none"
check "get-object past the end: InvalidRange" failed_with InvalidRange
run_aws -- s3 rb s3://cli-bucket
check "s3 rb of a full bucket: BucketNotEmpty" failed_with BucketNotEmpty
run_aws AWS_DEFAULT_REGION=eu-west-1 -- s3 mb s3://eu-bucket
check "s3 mb in eu-west-1: exit 0" test "$rc" -eq 0
run_aws AWS_DEFAULT_REGION=eu-west-1 -- s3 mb s3://eu-bucket
check "s3 mb again in eu-west-1: BucketAlreadyOwnedByYou" failed_with BucketAlreadyOwnedByYou
run_aws -- s3 mb s3://Not_Valid
check "s3 mb of an invalid name is refused" test "$rc" -ne 0

# signatures
run_aws AWS_SECRET_ACCESS_KEY=wrong-secret -- s3 ls
check "a wrong secret: SignatureDoesNotMatch with its message" \
	sh -c '[ "$1" -ne 0 ] && grep -q "SignatureDoesNotMatch.*signature we calculated does not match" "$2"' - "$rc" "$SCRATCH/err"
run_aws AWS_ACCESS_KEY_ID=AKIDNOTOURS -- s3 ls
check "an unknown key id: InvalidAccessKeyId" failed_with InvalidAccessKeyId
if command -v curl >/dev/null; then
	# curl 7.88.1's own signer (it signs x-amz-content-sha256 when given)
	sig() {
		curl -s -o "$SCRATCH/body" -D "$SCRATCH/headers" -w '%{http_code}' \
			--aws-sigv4 aws:amz:us-east-1:s3 -H "x-amz-content-sha256: $2" "$@" 2>/dev/null
	}
	status=$(curl -s -o "$SCRATCH/body" -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 \
		--user "$KEY:$SECRET" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$URL/")
	check "curl --aws-sigv4 (UNSIGNED-PAYLOAD): 200 and the bucket list" \
		sh -c '[ "$1" = 200 ] && grep -q "<Name>cli-bucket</Name>" "$2"' - "$status" "$SCRATCH/body"
	status=$(curl -s -o "$SCRATCH/body" -D "$SCRATCH/headers" -w '%{http_code}' \
		--aws-sigv4 aws:amz:us-east-1:s3 --user "$KEY:wrong-secret" \
		-H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$URL/")
	check "a wrong secret: 403" test "$status" = 403
	check "a wrong secret: S3's XML error with a message" \
		sh -c 'grep -q "<Code>SignatureDoesNotMatch</Code><Message>The request signature" "$1" && grep -qi "^Content-Type: application/xml" "$2"' - "$SCRATCH/body" "$SCRATCH/headers"
	status=$(curl -s -o "$SCRATCH/body" -w '%{http_code}' -X PUT --data-binary 'abc' \
		--aws-sigv4 aws:amz:us-east-1:s3 --user "$KEY:$SECRET" \
		-H "x-amz-content-sha256: $(printf 'abd' | sha256sum | cut -c1-64)" "$URL/cli-bucket/k")
	check "a body that does not match x-amz-content-sha256: 400 XAmzContentSHA256Mismatch" \
		sh -c '[ "$1" = 400 ] && grep -q XAmzContentSHA256Mismatch "$2"' - "$status" "$SCRATCH/body"
	status=$(curl -s -o "$SCRATCH/body" -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 \
		--user "$KEY:$SECRET" "$URL/cli-bucket")
	check "no x-amz-content-sha256: 400" test "$status" = 400
fi

# an aws-chunked upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), signed by a
# few lines of Python with hashlib only. The CLI never sends one over
# http, SDKs do.
if command -v python3 >/dev/null; then
	cat >"$SCRATCH/chunked.py" <<'PY'
# An aws-chunked PUT (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), signed here with
# hashlib/hmac only: seed signature over the headers, then each chunk
# chained from it. argv: endpoint key secret bucket/key [tamper]
import sys, hashlib, hmac, datetime, urllib.request, urllib.error
url, key, secret, path = sys.argv[1:5]
tamper = len(sys.argv) > 5 and sys.argv[5] == 'tamper'
data = bytes(range(256)) * 300
now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
parts = [data[i:i + 65536] for i in range(0, len(data), 65536)] + [b'']
enc_len = sum(len('%x;chunk-signature=' % len(p)) + 64 + 4 + len(p) for p in parts)
host = url.split('//', 1)[1]
h = {'content-encoding': 'aws-chunked', 'content-length': str(enc_len), 'host': host,
     'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-date': now,
     'x-amz-decoded-content-length': str(len(data))}
signed = ';'.join(sorted(h))
creq = '\n'.join(['PUT', '/' + path, '', ''.join('%s:%s\n' % (k, h[k]) for k in sorted(h)), signed,
                  h['x-amz-content-sha256']])
scope = now[:8] + '/us-east-1/s3/aws4_request'
k = ('AWS4' + secret).encode()
for m in (now[:8], 'us-east-1', 's3', 'aws4_request'):
    k = hmac.new(k, m.encode(), hashlib.sha256).digest()
sign = lambda s: hmac.new(k, s.encode(), hashlib.sha256).hexdigest()
prev = sign('\n'.join(['AWS4-HMAC-SHA256', now, scope, hashlib.sha256(creq.encode()).hexdigest()]))
auth = 'AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s' % (key, scope, signed, prev)
body = b''
for p in parts:
    prev = sign('\n'.join(['AWS4-HMAC-SHA256-PAYLOAD', now, scope, prev,
                           hashlib.sha256(b'').hexdigest(), hashlib.sha256(p).hexdigest()]))
    body += b'%x;chunk-signature=%s\r\n' % (len(p), prev.encode()) + (p[::-1] if tamper else p) + b'\r\n'
hdrs = {k2: v for k2, v in h.items() if k2 not in ('host', 'content-length')}
hdrs['Authorization'] = auth
r = urllib.request.Request(url + '/' + path, data=body, method='PUT', headers=hdrs)
try:
    print(urllib.request.urlopen(r).status)
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode().replace('\n', ' '))
if len(sys.argv) > 6:
    open(sys.argv[6], 'wb').write(data)
PY
	run_aws -- s3 mb s3://chunked-bucket
	python3 "$SCRATCH/chunked.py" "$URL" "$KEY" "$SECRET" chunked-bucket/obj.bin - \
		"$SCRATCH/chunked.want" >"$SCRATCH/chunked.out" 2>&1
	sed 's/^/# /' "$SCRATCH/chunked.out"
	check "aws-chunked upload: 200" test "$(cat "$SCRATCH/chunked.out")" = 200
	run_aws -- s3 cp s3://chunked-bucket/obj.bin "$SCRATCH/chunked.got" --no-progress
	check "aws-chunked upload: the decoded bytes are stored" \
		cmp "$SCRATCH/chunked.want" "$SCRATCH/chunked.got"
	python3 "$SCRATCH/chunked.py" "$URL" "$KEY" "$SECRET" chunked-bucket/bad.bin tamper \
		>"$SCRATCH/chunked.out" 2>&1
	check "aws-chunked upload with a changed chunk: 403 SignatureDoesNotMatch" \
		grep -q '^403 .*SignatureDoesNotMatch.*chunk 1' "$SCRATCH/chunked.out"
	run_aws -- s3 rb --force s3://chunked-bucket
fi

# removal
run_aws -- s3 rm s3://cli-bucket/exports/small.txt
check "s3 rm: exit 0" test "$rc" -eq 0
run_aws -- s3 rm --recursive s3://cli-bucket/
check "s3 rm --recursive: exit 0" test "$rc" -eq 0
run_aws -- s3 ls --recursive s3://cli-bucket
check "the bucket is empty afterwards" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' - "$rc" "$SCRATCH/out"
run_aws -- s3 rb s3://cli-bucket
check "s3 rb: exit 0" test "$rc" -eq 0
run_aws -- s3 ls
check "s3 ls no longer lists it" sh -c '! grep -q cli-bucket "$1"' - "$SCRATCH/out"

kill -TERM "$PID"
wait "$PID"
rc=$?
check "SIGTERM stops serve with exit 0" test "$rc" -eq 0
check "serve wrote nothing to stderr" test ! -s "$SCRATCH/serve.err"
exit 0
