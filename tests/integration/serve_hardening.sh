#!/bin/sh
# serve_hardening.sh - issue 9, secrets and hardening of `qldbtop serve`:
# - under 200 idle and 20 slow-header connections from loopback, a signed
#   GetDigest is still answered within 1 s, and idle sockets are closed
#   after the 10 s inactivity deadline;
# - ambiguous body framing (two Content-Length, Content-Length with
#   Transfer-Encoding) is a 400 and the connection is closed after it;
# - the key pair from the environment or a 0600 --credentials-file (AWS
#   [default] form and KEY=VALUE form), with precedence flags > file > env;
#   the secret is on no output and not in /proc/PID/cmdline; unsafe files
#   (0644, missing, a FIFO, one half only) are one-line usage errors;
# - bad --seed, --rate and --data-dir values are one-line usage errors;
# - the default bind is loopback only.
. tests/lib/tap.sh

DEMO_ID=AKIDQLDBTOPDEMO00001
DEMO_SECRET=qldbtop-demo-secret-key-not-for-production
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

# now_ms: wall clock in milliseconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# start_serve OUTFILE ARGS...: serve in the background (PID), wait for its URL
start_serve() {
	o=$1; shift
	"$QLDBTOP_BIN" serve "$@" >"$o" 2>"$o.err" &
	PID=$!
	PIDS="$PIDS $PID"
	wait_for 10 grep -q '^endpoint: http://' "$o" || return 1
	URL=$(sed -n 's/^endpoint: //p' "$o")
	PORT=${URL##*:}
}

# stop_serve: SIGTERM the last server, wait for it
stop_serve() {
	kill -TERM "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
}

# digest_curl ID SECRET: a SigV4-signed GetDigest with curl; prints the status
digest_curl() {
	curl -s -o "$SCRATCH/digest.json" -w '%{http_code}' --max-time 5 \
		--aws-sigv4 "aws:amz:us-east-1:qldb" --user "$1:$2" \
		-X POST "$URL/ledgers/financial-ledger/digest"
}

AWS=$(debian_aws)
# aws_digest_ ID SECRET (a script, so that sh -c can run it too): GetDigest
# with the Debian AWS CLI against $URL; aws's exit status, its output in
# aws.out and aws.err
cat >"$SCRATCH/aws_digest_" <<EOF
#!/bin/sh
env AWS_ACCESS_KEY_ID="\$1" AWS_SECRET_ACCESS_KEY="\$2" AWS_DEFAULT_REGION=us-east-1 \\
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \\
	"$AWS" qldb get-digest --name financial-ledger --endpoint-url "\$URL" \\
	>"$SCRATCH/aws.out" 2>"$SCRATCH/aws.err"
EOF
chmod +x "$SCRATCH/aws_digest_"
PATH="$SCRATCH:$PATH"
export URL

# keys_work NAME ID SECRET: the pair is accepted, the demo pair is refused
keys_work() {
	if [ -z "$AWS" ]; then
		not_ok "$1: the Debian AWS CLI 2.x is installed (make deps)"
		return
	fi
	check "$1: the AWS CLI with these keys gets the digest" \
		sh -c 'aws_digest_ "$1" "$2" && grep -q "\"Digest\"" "$3"' - "$2" "$3" \
		"$SCRATCH/aws.out"
	aws_digest_ "$DEMO_ID" "$DEMO_SECRET"
	rc=$?
	check "$1: the demo pair gets 403 (UnrecognizedClientException)" \
		sh -c '[ "$1" -eq 254 ] && grep -q UnrecognizedClientException "$2"' - "$rc" \
		"$SCRATCH/aws.err"
}

# secret_hidden NAME SECRET: the secret is on no output of serve and not in
# its /proc/PID/cmdline
secret_hidden() {
	check "$1: stdout prints the secret as <redacted>" \
		grep -q '^secret access key: <redacted>$' "$SCRATCH/s"
	check "$1: the secret is on neither stdout nor stderr" \
		sh -c '! grep -qF -- "$1" "$2" "$2.err"' - "$2" "$SCRATCH/s"
	check "$1: /proc/PID/cmdline does not hold the secret" \
		sh -c 'tr "\0" " " <"/proc/$1/cmdline" >"$3" && ! grep -qF -- "$2" "$3"' - \
		"$PID" "$2" "$SCRATCH/cmdline"
}

# ---- slow and idle clients ------------------------------------------------
cat >"$SCRATCH/hold.py" <<'EOF'
# hold.py PORT IDLE SLOW READYFILE: open IDLE silent connections and SLOW
# ones that trickle a request line and headers a byte every 0.2 s without
# ever ending them; write the count to READYFILE; hold until killed.
import signal, socket, sys, time
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
port, idle, slow, ready = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(idle)]
slows = [socket.create_connection(("127.0.0.1", port)) for _ in range(slow)]
with open(ready, "w") as f:
    f.write("%d\n" % (len(held) + len(slows)))
head = b"POST /ledgers/financial-ledger/digest HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
i = 0
while True:
    for s in slows:
        try:
            s.send(head[i:i + 1] if i < len(head) else b"a")
        except OSError:
            pass
    i += 1
    time.sleep(0.2)
EOF

cat >"$SCRATCH/idle.py" <<'EOF'
# idle.py PORT N: open N silent connections; print how many the server
# closed and after how many whole seconds the last one went (max 20 s).
import socket, sys, time, select
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
t0, closed, last = time.time(), 0, 0.0
while socks and time.time() - t0 < 20:
    r, _, _ = select.select(socks, [], [], 0.5)
    for s in r:
        try:
            data = s.recv(1)
        except OSError:
            data = b""
        if not data:
            socks.remove(s); s.close(); closed += 1; last = time.time() - t0
print(closed, int(last))
EOF

# sockets_of PID: count of the process's open sockets
sockets_of() { ls -l "/proc/$1/fd" 2>/dev/null | grep -c 'socket:'; }

start_serve "$SCRATCH/s" --listen 127.0.0.1:0
check "load: serve starts" test $? -eq 0
python3 "$SCRATCH/hold.py" "$PORT" 200 20 "$SCRATCH/ready" &
HOLD=$!
PIDS="$PIDS $HOLD"
wait_for 20 test -s "$SCRATCH/ready"
check "load: 200 idle and 20 slow-header connections are open" \
	test "$(cat "$SCRATCH/ready" 2>/dev/null)" = 220
# the server holds them (not refused at the door): listen socket + 220
check "load: the server holds all 220 connections" \
	wait_for 5 sh -c '[ "$(ls -l /proc/$1/fd | grep -c socket:)" -ge 221 ]' - "$PID"
sleep 1 # let the slow clients send part of their headers
t0=$(now_ms)
code=$(digest_curl "$DEMO_ID" "$DEMO_SECRET")
t1=$(now_ms)
check "load: a signed GetDigest is answered 200 (got $code)" \
	sh -c '[ "$1" = 200 ] && grep -q "\"Digest\"" "$2"' - "$code" "$SCRATCH/digest.json"
check "load: ... within 1 s ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 1000
if [ -n "$AWS" ]; then
	t0=$(now_ms)
	check "load: the AWS CLI's GetDigest is answered too" \
		sh -c 'aws_digest_ "$1" "$2" && grep -q "\"Digest\"" "$3"' - "$DEMO_ID" \
		"$DEMO_SECRET" "$SCRATCH/aws.out"
	echo "# aws qldb get-digest under load: $(($(now_ms) - t0)) ms (CLI start-up included)"
else
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
fi
kill "$HOLD" 2>/dev/null
wait "$HOLD" 2>/dev/null
check "load: the held connections are closed at the end" \
	wait_for 5 sh -c '[ "$(ls -l /proc/$1/fd | grep -c socket:)" -le 2 ]' - "$PID"

# the inactivity deadline (10 s): silent sockets are closed by the server
set -- $(python3 "$SCRATCH/idle.py" "$PORT" 5)
check "idle: the server closes 5 silent connections (closed $1)" test "${1:-0}" -eq 5
check "idle: ... after the 10 s deadline, not before and not much after (${2:-?} s)" \
	sh -c '[ "$1" -ge 9 ] && [ "$1" -le 14 ]' - "${2:-0}"

# ---- ambiguous framing ---------------------------------------------------
cat >"$SCRATCH/raw.py" <<'EOF'
# raw.py PORT: send stdin's bytes as is, print all the server answers
# until it closes (5 s at most)
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
s.sendall(sys.stdin.buffer.read())
data = b""
try:
    while True:
        c = s.recv(65536)
        if not c:
            break
        data += c
except OSError:
    pass
sys.stdout.buffer.write(data)
EOF
# raw NAME REQUEST: a request (printf format) followed by a pipelined GET;
# the answer is exactly one 400 and the connection is closed
raw() {
	printf "$2"'GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' |
		python3 "$SCRATCH/raw.py" "$PORT" >"$SCRATCH/raw.out"
	check "$1: 400" sh -c 'head -n 1 "$1" | grep -q "^HTTP/1.1 400 "' - "$SCRATCH/raw.out"
	check "$1: refused before the signature check (not 403) and named" \
		grep -q "$3" "$SCRATCH/raw.out"
	check "$1: one answer, then the connection is closed (the rest is never a request)" \
		test "$(grep -c '^HTTP/1.1 ' "$SCRATCH/raw.out")" -eq 1
}
REQ='POST /ledgers/financial-ledger/digest HTTP/1.1\r\nHost: 127.0.0.1\r\n'
raw "two Content-Length" "$REQ"'Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}' \
	'more than one Content-Length'
raw "two different Content-Length" "$REQ"'Content-Length: 2\r\ncontent-length: 40\r\n\r\n{}' \
	'more than one Content-Length'
raw "Content-Length with Transfer-Encoding" \
	"$REQ"'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n' \
	'both Content-Length and Transfer-Encoding'
# the control: one Content-Length is dispatched (unsigned: 403 from SigV4)
printf "$REQ"'Content-Length: 2\r\n\r\n{}' | python3 "$SCRATCH/raw.py" "$PORT" >"$SCRATCH/raw.out"
check "control: one Content-Length reaches the signature check (403)" \
	sh -c 'head -n 1 "$1" | grep -q "^HTTP/1.1 403 "' - "$SCRATCH/raw.out"
stop_serve

# ---- binding --------------------------------------------------------------
check "the default listen address is loopback" \
	sh -c '"$1" serve --help | grep -q "default 127.0.0.1:4580"' - "$QLDBTOP_BIN"
start_serve "$SCRATCH/s" --listen :0
check "--listen :0 binds 127.0.0.1" grep -Eq '^endpoint: http://127\.0\.0\.1:' "$SCRATCH/s"
OTHER=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -n 1)
if [ -n "$OTHER" ]; then
	check "a loopback server is not reachable on $OTHER" \
		sh -c '! curl -s --max-time 2 -o /dev/null "http://$1:$2/"' - "$OTHER" "$PORT"
	stop_serve
	start_serve "$SCRATCH/s" --listen "$OTHER:0"
	check "--listen $OTHER:0 serves there" \
		sh -c 'curl -s --max-time 2 -o /dev/null "$1/"' - "$URL"
else
	ok "# SKIP no non-loopback address on this host"
fi
stop_serve

# ---- keys from the command line: argv is scrubbed ---------------------------
FLAG_SECRET='flag-S3cret-0123456789'
start_serve "$SCRATCH/s" --listen 127.0.0.1:0 --access-key-id AKIDFLAGKEY000000001 \
	--secret-access-key "$FLAG_SECRET"
secret_hidden "flags" "$FLAG_SECRET"
check "flags: key source is printed" grep -q '^key source: flags$' "$SCRATCH/s"
stop_serve

# ---- keys from the environment ----------------------------------------------
ENV_ID=AKIDENVKEY0000000001
ENV_SECRET='env-S3cret-abcdefghij'
QLDBTOP_SERVE_ACCESS_KEY_ID=$ENV_ID QLDBTOP_SERVE_SECRET_ACCESS_KEY=$ENV_SECRET \
	start_serve "$SCRATCH/s" --listen 127.0.0.1:0
check "env: serve starts" test $? -eq 0
check "env: the key id is printed" grep -q "^access key id: $ENV_ID\$" "$SCRATCH/s"
check "env: key source is printed" grep -q '^key source: environment$' "$SCRATCH/s"
secret_hidden "env" "$ENV_SECRET"
keys_work "env" "$ENV_ID" "$ENV_SECRET"
stop_serve
QLDBTOP_SERVE_ACCESS_KEY_ID=$ENV_ID expect_usage_of serve "env: only the key id set: exit 2" \
	--listen 127.0.0.1:0
check "env: ... the message names the missing variable" \
	grep -q 'QLDBTOP_SERVE_SECRET_ACCESS_KEY is not' "$SCRATCH/e"
QLDBTOP_SERVE_SECRET_ACCESS_KEY=$ENV_SECRET expect_usage_of serve \
	"env: only the secret set: exit 2" --listen 127.0.0.1:0
check "env: ... the message holds no secret" sh -c '! grep -qF -- "$1" "$2"' - "$ENV_SECRET" \
	"$SCRATCH/e"

# ---- keys from --credentials-file -------------------------------------------
FILE_ID=AKIDFILEKEY000000001
FILE_SECRET='file-S3cret-klmnopqrst'
CRED=$SCRATCH/credentials
umask 077
cat >"$CRED" <<EOF
# a shared credentials file: other profiles are skipped
[other]
aws_access_key_id = AKIDOTHER00000000001
aws_secret_access_key = other-secret

[default]
aws_access_key_id = $FILE_ID
aws_secret_access_key=$FILE_SECRET
region = us-east-1
EOF
# the file wins over the environment
QLDBTOP_SERVE_ACCESS_KEY_ID=$ENV_ID QLDBTOP_SERVE_SECRET_ACCESS_KEY=$ENV_SECRET \
	start_serve "$SCRATCH/s" --listen 127.0.0.1:0 --credentials-file "$CRED"
check "file: serve starts with a 0600 file" test $? -eq 0
check "file: its key id is used, not the environment's" \
	grep -q "^access key id: $FILE_ID\$" "$SCRATCH/s"
check "file: key source names the file" grep -q "^key source: file $CRED\$" "$SCRATCH/s"
secret_hidden "file" "$FILE_SECRET"
keys_work "file" "$FILE_ID" "$FILE_SECRET"
stop_serve
# the flags win over the file
start_serve "$SCRATCH/s" --listen 127.0.0.1:0 --credentials-file "$CRED" \
	--access-key-id AKIDFLAGKEY000000001 --secret-access-key "$FLAG_SECRET"
check "flags win over --credentials-file" \
	grep -q '^access key id: AKIDFLAGKEY000000001$' "$SCRATCH/s"
stop_serve
# the KEY=VALUE form
printf '# systemd EnvironmentFile style\nQLDBTOP_SERVE_ACCESS_KEY_ID=%s\nQLDBTOP_SERVE_SECRET_ACCESS_KEY = %s\n' \
	"$FILE_ID" "$FILE_SECRET" >"$SCRATCH/cred.env"
start_serve "$SCRATCH/s" --listen 127.0.0.1:0 --credentials-file="$SCRATCH/cred.env"
check "file (KEY=VALUE form): its key id is used" \
	grep -q "^access key id: $FILE_ID\$" "$SCRATCH/s"
keys_work "file (KEY=VALUE form)" "$FILE_ID" "$FILE_SECRET"
stop_serve

cp "$CRED" "$SCRATCH/cred644"
chmod 644 "$SCRATCH/cred644"
expect_usage_of serve "file: mode 0644 is refused: exit 2, one line" \
	--listen 127.0.0.1:0 --credentials-file "$SCRATCH/cred644"
check "file: ... the message names the mode" grep -q 'mode 0644' "$SCRATCH/e"
check "file: ... and holds no secret" sh -c '! grep -qF -- "$1" "$2"' - "$FILE_SECRET" \
	"$SCRATCH/e"
cp "$CRED" "$SCRATCH/cred640"
chmod 640 "$SCRATCH/cred640"
expect_usage_of serve "file: mode 0640 (group-readable) is refused" \
	--listen 127.0.0.1:0 --credentials-file "$SCRATCH/cred640"
expect_usage_of serve "file: a missing file: exit 2, one line" \
	--listen 127.0.0.1:0 --credentials-file "$SCRATCH/nope"
mkfifo "$SCRATCH/fifo"
chmod 600 "$SCRATCH/fifo"
t0=$(now_ms)
timeout 5 "$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --credentials-file "$SCRATCH/fifo" \
	>"$SCRATCH/o" 2>"$SCRATCH/e"
rc=$?
check "file: a FIFO is refused at once (exit $rc, $(($(now_ms) - t0)) ms)" \
	sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "not a regular file" "$2"' \
	- "$rc" "$SCRATCH/e"
printf '[default]\naws_access_key_id = %s\n' "$FILE_ID" >"$SCRATCH/half"
expect_usage_of serve "file: only the key id: exit 2" \
	--listen 127.0.0.1:0 --credentials-file "$SCRATCH/half"
check "file: ... the message names the missing half" grep -q 'no secret access key' "$SCRATCH/e"
printf '[default]\naws_access_key_id = a\naws_secret_access_key = b\n[default]\naws_secret_access_key = c\n' \
	>"$SCRATCH/twice"
expect_usage_of serve "file: a half given twice: exit 2" \
	--listen 127.0.0.1:0 --credentials-file "$SCRATCH/twice"
expect_usage_of serve "file: --access-key-id alone does not mix with a file" \
	--listen 127.0.0.1:0 --credentials-file "$CRED" --access-key-id AKIDX

# ---- --seed, --rate, --data-dir ---------------------------------------------
expect_usage_of serve "--seed -1" --seed -1
expect_usage_of serve "--seed 2^64" --seed 18446744073709551616
expect_usage_of serve "--seed 0x10" --seed 0x10
expect_usage_of serve "--seed 12abc" --seed 12abc
expect_usage_of serve "--rate 1001" --rate 1001
expect_usage_of serve "--rate -1" --rate -1
expect_usage_of serve "--rate nan" --rate nan
expect_usage_of serve "--rate inf" --rate inf
expect_usage_of serve "--rate 1e2" --rate 1e2
expect_usage_of serve "--rate 0x1p3" --rate 0x1p3
expect_usage_of serve "--rate without a value" --rate
touch "$SCRATCH/afile"
umask 022 # so a folder created wider than 0700 would show
expect_usage_of serve "--data-dir naming a file" --data-dir "$SCRATCH/afile"
expect_usage_of serve "--data-dir under a missing folder" --data-dir "$SCRATCH/no/such"
start_serve "$SCRATCH/s" --listen 127.0.0.1:0 --seed 18446744073709551615 --rate 0 \
	--data-dir "$SCRATCH/data"
check "good --seed, --rate 0 and a new --data-dir: serve starts" test $? -eq 0
check "--data-dir is created with mode 0700" \
	sh -c '[ "$(stat -c %a "$1")" = 700 ]' - "$SCRATCH/data"
stop_serve
exit 0
