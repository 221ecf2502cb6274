#!/bin/sh
# log_secrets.sh - secret keys and session tokens never reach the --log
# file, stdout or stderr of snapshot and check, at the most verbose level:
#   - a key pair the endpoint accepts (its own, not the demo one), where
#     every call succeeds and the debug log has lines about them;
#   - the same pair with a session token, which this endpoint refuses
#     (it issues no tokens: 403 UnrecognizedClientException), so the
#     failing path, its retries and its error lines are logged;
#   - a wrong secret key (403 InvalidSignatureException).
# Each run first proves the log is not empty (a silent log would pass
# vacuously), then that neither secret appears anywhere, whole or as its
# first 16 characters.
. tests/lib/tap.sh

AKID=AKIDLOGSECRETS000001
SECRET=logsecrets-Secret-Key-5f2b9c1e7a4d8f3b6c0e
TOKEN=IQoJb3JpZ2luX2VjEJr-session-token-7c1d9e2f4a6b8c0d
WRONG=wrong-Secret-Key-0a9b8c7d6e5f4a3b2c1d0e9f
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

QLDBTOP_SERVE_ACCESS_KEY_ID=$AKID QLDBTOP_SERVE_SECRET_ACCESS_KEY=$SECRET \
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 >"$SCRATCH/serve.out" 2>"$SCRATCH/serve.err" </dev/null &
PIDS=$!
wait_for 20 grep -q '^endpoint: ' "$SCRATCH/serve.out" || { not_ok "serve starts"; exit 1; }
URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/serve.out")

run() { # NAME SECRET TOKEN CMD ARGS...: files $SCRATCH/NAME.{log,out,err}
	nm=$1 sec=$2 tok=$3; shift 3
	rm -f "$SCRATCH/$nm.log"
	env -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY="$sec" \
		${tok:+AWS_SESSION_TOKEN=$tok} QLDBTOP_LOG_LEVEL=debug \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		"$QLDBTOP_BIN" "$@" --endpoint-url "$URL" --log "$SCRATCH/$nm.log" \
		>"$SCRATCH/$nm.out" 2>"$SCRATCH/$nm.err" </dev/null
	rc=$?
}
nowhere() { # NAME VALUE...: none of the values (nor their first 16 chars) in any output
	nm=$1; shift
	for v in "$@"; do
		for f in log out err; do
			grep -qF "$v" "$SCRATCH/$nm.$f" && { echo "# found in $nm.$f"; return 1; }
			grep -qF "$(printf %s "$v" | cut -c1-16)" "$SCRATCH/$nm.$f" && { echo "# prefix found in $nm.$f"; return 1; }
		done
	done
	return 0
}

run ok_snap "$SECRET" "" snapshot --json
check "accepted keys: snapshot succeeds and the debug log records its calls" sh -c '[ "$1" -eq 0 ] && grep -q "GetDigest financial-ledger: ok" "$2" && grep -q "debug" "$2"' - "$rc" "$SCRATCH/ok_snap.log"
check "accepted keys: the secret key is in no log line, stdout or stderr" nowhere ok_snap "$SECRET"
run ok_check "$SECRET" "" check
check "accepted keys: check is OK and its log holds no secret" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' - "$rc" "$SCRATCH/ok_check.log"
check "accepted keys: check's outputs hold no secret" nowhere ok_check "$SECRET"

run tok_snap "$SECRET" "$TOKEN" snapshot --json
check "with a session token the endpoint refuses: snapshot exits 2 and logs the refusal" sh -c '[ "$1" -eq 2 ] && grep -q "UnrecognizedClientException" "$2" && grep -q "session token" "$2"' - "$rc" "$SCRATCH/tok_snap.log"
check "with a session token: neither the secret nor the token appears anywhere" nowhere tok_snap "$SECRET" "$TOKEN"
run tok_check "$SECRET" "$TOKEN" check
check "with a session token: check is UNKNOWN and logs it" sh -c '[ "$1" -eq 3 ] && grep -q "warn" "$2"' - "$rc" "$SCRATCH/tok_check.log"
check "with a session token: check's outputs hold neither secret" nowhere tok_check "$SECRET" "$TOKEN"

run bad "$WRONG" "" snapshot
check "a wrong secret: snapshot exits 2 and logs InvalidSignatureException" sh -c '[ "$1" -eq 2 ] && grep -q "InvalidSignatureException" "$2"' - "$rc" "$SCRATCH/bad.log"
check "a wrong secret: it appears nowhere (nor the right one)" nowhere bad "$WRONG" "$SECRET"
# a line that would carry the secret: an endpoint whose path is the
# secret (the log names the endpoint); redaction must act on it
env AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY="$SECRET" QLDBTOP_LOG_LEVEL=debug \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	"$QLDBTOP_BIN" check --endpoint-url "$URL/$SECRET" --log "$SCRATCH/path.log" \
	>"$SCRATCH/path.out" 2>"$SCRATCH/path.err" </dev/null
check "a secret inside a logged value is replaced by <redacted>" grep -qF "$URL/<redacted>" "$SCRATCH/path.log"
check "a secret inside a logged value appears nowhere" nowhere path "$SECRET"
check "the log file is created 0600" sh -c '[ "$(stat -c %a "$1")" = 600 ]' - "$SCRATCH/bad.log"
exit $TAP_FAILED
