# tap.sh - shell helpers for integration and end-to-end tests (source it).
# Each check prints one TAP line; tests/run.sh counts them.
#   ok NAME / not_ok NAME          report a result
#   skip NAME REASON               a check not run, with why: never a pass
#                                  (tests/run.sh lists and counts it apart)
#   check NAME COMMAND...          run COMMAND, report by its exit status
#   wait_for SECONDS COMMAND...    poll COMMAND every 0.1 s until it succeeds
#                                  or the deadline passes (never a fixed sleep)
#   debian_aws                     path of the Debian AWS CLI (2.x), which
#                                  has the qldb commands (a pip v1 may shadow it)
#   scratch                        a temp dir removed at exit ($SCRATCH)
#   expect_usage_of CMD NAME ARGS...  `qldbtop CMD ARGS` exits 2 with exactly
#                                  one line on stderr and nothing on stdout
#   start_serve ARGS...            `qldbtop serve --listen 127.0.0.1:0 ARGS` in
#                                  the background, killed at exit; checks it
#                                  prints its endpoint within 10 s; sets OUT
#                                  (its stdout), PID, URL, KEY and SECRET
TAP_FAILED=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; TAP_FAILED=$((TAP_FAILED + 1)); }
skip() { echo "# SKIP $1: $2"; }
check() {
	name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
wait_for() {
	deadline=$(( $(date +%s%N) / 1000000 + $1 * 1000 )); shift
	while :; do
		"$@" && return 0
		[ $(( $(date +%s%N) / 1000000 )) -ge "$deadline" ] && return 1
		sleep 0.1
	done
}
debian_aws() {
	for a in /usr/bin/aws $(command -v -a aws 2>/dev/null); do
		if [ -x "$a" ] && "$a" --version 2>&1 | grep -q '^aws-cli/2'; then echo "$a"; return 0; fi
	done
	return 1
}
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
QLDBTOP_BIN=${QLDBTOP_BIN:-$PWD/qldbtop}
SHARED=${QLDBTOP_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
expect_usage_of() {
	cmd=$1 name=$2; shift 2
	"$QLDBTOP_BIN" "$cmd" "$@" >"$SCRATCH/o" 2>"$SCRATCH/e"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/e")" -eq 1 ] && [ ! -s "$SCRATCH/o" ]; then
		ok "$name"
	else
		not_ok "$name (exit $rc)"; sed 's/^/#   /' "$SCRATCH/e" "$SCRATCH/o"
	fi
}
start_serve() {
	OUT=$SCRATCH/serve.out
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 "$@" >"$OUT" 2>"$SCRATCH/serve.err" &
	PID=$!
	trap 'kill "$PID" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
	check "serve${1:+ $*} prints its endpoint within 10 s" \
		wait_for 10 grep -q '^endpoint: http://' "$OUT"
	URL=$(sed -n 's/^endpoint: //p' "$OUT")
	KEY=$(sed -n 's/^access key id: //p' "$OUT")
	SECRET=$(sed -n 's/^secret access key: //p' "$OUT")
}
