#!/bin/sh
# serve_cli.sh - `qldbtop serve` flags: bad flags give one line on stderr
# and exit 2; --help exits 0; a user-supplied key pair is the one accepted
# and its secret is printed as <redacted>; a port in use is a one-line
# error with exit 2; SIGINT stops the server with exit 0.
. tests/lib/tap.sh

# bad_flags NAME ARGS...: exit 2, exactly one line on stderr, nothing on stdout
bad_flags() {
	bf=$1; shift # not "name": check() uses that variable
	"$QLDBTOP_BIN" serve "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	check "$bf: exit 2" test "$rc" -eq 2
	check "$bf: one line on stderr" test "$(wc -l <"$SCRATCH/err")" -eq 1
	check "$bf: nothing on stdout" test ! -s "$SCRATCH/out"
}
bad_flags "unknown flag" --bogus
bad_flags "--listen without a value" --listen
bad_flags "--listen without a port" --listen 127.0.0.1
bad_flags "--listen with port 99999" --listen 127.0.0.1:99999
bad_flags "--listen with a bare IPv6 address" --listen ::1:80
bad_flags "--access-key-id without a secret" --access-key-id AKIDX
bad_flags "--secret-access-key without a key id" --secret-access-key s
bad_flags "a stray argument" extra
check "a bad flag's message names it" grep -q 'extra' "$SCRATCH/err"

"$QLDBTOP_BIN" serve --help >"$SCRATCH/out" 2>"$SCRATCH/err"
rc=$?
check "serve --help: exit 0" test "$rc" -eq 0
check "serve --help: usage names --listen" grep -q -- '--listen' "$SCRATCH/out"

# start_serve OUTFILE ARGS...: run serve in the background, wait for its URL
start_serve() {
	o=$1; shift
	"$QLDBTOP_BIN" serve "$@" >"$o" 2>"$o.err" &
	PID=$!
	wait_for 10 grep -q '^endpoint: http://' "$o"
}

start_serve "$SCRATCH/s1" --listen 127.0.0.1:0 --access-key-id AKIDCUSTOMKEY0000001 \
	--secret-access-key 'custom-S3cret-value'
check "custom keys: serve starts" test $? -eq 0
S1=$PID
trap 'kill "$S1" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/s1")
check "custom keys: the key id is printed" grep -q '^access key id: AKIDCUSTOMKEY0000001$' "$SCRATCH/s1"
check "custom keys: the secret is printed as <redacted>" \
	grep -q '^secret access key: <redacted>$' "$SCRATCH/s1"
check "custom keys: the secret appears nowhere in the output" \
	sh -c '! grep -q custom-S3cret-value "$1" "$1.err"' - "$SCRATCH/s1"

AWS=$(debian_aws)
if [ -n "$AWS" ]; then
	aws_as() {
		env AWS_ACCESS_KEY_ID="$1" AWS_SECRET_ACCESS_KEY="$2" AWS_DEFAULT_REGION=us-east-1 \
			AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
			"$AWS" qldb list-ledgers --endpoint-url "$URL" >/dev/null 2>"$SCRATCH/aws.err"
	}
	check "custom keys: the CLI with them is accepted" \
		aws_as AKIDCUSTOMKEY0000001 custom-S3cret-value
	aws_as AKIDQLDBTOPDEMO00001 qldbtop-demo-secret-key-not-for-production
	rc=$?
	check "custom keys: the demo pair is refused" \
		sh -c '[ "$1" -eq 254 ] && grep -q UnrecognizedClientException "$2"' - "$rc" "$SCRATCH/aws.err"
else
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
fi

PORT=${URL##*:}
"$QLDBTOP_BIN" serve --listen "127.0.0.1:$PORT" >"$SCRATCH/s2" 2>"$SCRATCH/s2.err"
rc=$?
check "a port in use (an environment error): exit 2" test "$rc" -eq 2
check "a port in use: one line on stderr naming the port" \
	sh -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q "$2" "$1"' - "$SCRATCH/s2.err" "$PORT"

kill -INT "$S1"
wait "$S1"
rc=$?
check "SIGINT stops serve with exit 0" test "$rc" -eq 0

start_serve "$SCRATCH/s3" --listen=:0
check "--listen=:0 (default host, = form) serves on loopback" \
	grep -Eq '^endpoint: http://127\.0\.0\.1:[1-9][0-9]*$' "$SCRATCH/s3"
S1=$PID
kill -TERM "$S1"
wait "$S1"
check "SIGTERM stops serve with exit 0" test $? -eq 0
exit 0
