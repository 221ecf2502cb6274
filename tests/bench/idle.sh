#!/bin/sh
# idle.sh - the dashboard's idle CPU next to htop's, in the same run: both
# in one private tmux server (100x30), started together, nothing pressed,
# data unchanged (the dashboard watches `qldbtop serve --rate 0`, no
# scenario, a separate process, at its default intervals). After a warm-up,
# CPU = (utime + stime) over IDLE_SECONDS, from /proc/PID/stat. Goal (issue
# 13): the dashboard's idle CPU not above htop's (`make deps` installs
# htop; without it the line says so and no figure is printed). Also the
# dashboard's peak RSS (VmHWM) over the run: goal <= 16 MB (issue 12).
# With BENCH_TABLE set, rows "name|figure|goal|verdict" are appended to it.
#   QLDBTOP_BIN    the program (default ./qldbtop)
#   IDLE_SECONDS   measured time (default 60), IDLE_WARMUP (default 10)
set -u
cd "$(dirname "$0")/../.." || exit 2
BIN=${QLDBTOP_BIN:-$PWD/qldbtop}
SECS=${IDLE_SECONDS:-60}
WARM=${IDLE_WARMUP:-10}
TABLE=${BENCH_TABLE:-/dev/null}
KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
tmp=$(mktemp -d)
T="tmux -L qldbtop-idle-$$ -f /dev/null"
SPID=
trap '$T kill-server 2>/dev/null; [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$tmp"' EXIT
command -v tmux >/dev/null 2>&1 || { echo "idle bench: tmux is not installed"; exit 1; }

"$BIN" serve --listen 127.0.0.1:0 --rate 0 >"$tmp/out" 2>"$tmp/err" &
SPID=$!
i=0
until grep -q '^endpoint: ' "$tmp/out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "idle bench: serve did not start"; cat "$tmp/err"; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/^endpoint: //p' "$tmp/out")
$T new-session -d -s q -x 100 -y 30 \
	"exec env LANG=C.UTF-8 XDG_STATE_HOME='$tmp/state' XDG_CONFIG_HOME='$tmp/config' HOME='$tmp' \
	AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1 AWS_ENDPOINT_URL='$url' '$BIN'" || exit 1
QPID=$($T display -p -t q '#{pane_pid}')
HPID=
if command -v htop >/dev/null 2>&1; then
	$T new-session -d -s h -x 100 -y 30 "exec env HOME='$tmp' htop"
	HPID=$($T display -p -t h '#{pane_pid}')
fi
# ticks PID: utime + stime (fields 14 and 15, after the "(comm)" field)
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
sleep "$WARM"
$T capture-pane -p -t q | grep -q 'Deletion prot.' ||
	{ echo "idle bench: the dashboard does not show the ledger:"; $T capture-pane -p -t q; exit 1; }
q0=$(ticks "$QPID")
[ -n "$HPID" ] && h0=$(ticks "$HPID")
sleep "$SECS"
kill -0 "$QPID" 2>/dev/null || { echo "idle bench: the dashboard died"; exit 1; }
q1=$(ticks "$QPID")
HZ=$(getconf CLK_TCK)
pct() { awk -v t="$1" -v hz="$HZ" -v s="$SECS" 'BEGIN { printf "%.2f", t / hz / s * 100 }'; }
qc=$(pct $((q1 - q0)))
echo "dashboard idle: $((q1 - q0)) ticks in $SECS s = $qc % of one core"
# the dashboard's peak RSS over the run (VmHWM), goal <= 16 MB (issue 12)
hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$QPID/status")
echo "dashboard peak RSS: $hwm MB"
v=$(awk -v m="$hwm" 'BEGIN { print (m <= 16 ? "MET" : "NOT MET") }')
echo "dashboard peak RSS (${SECS} s on serve)|$hwm MB|<= 16 MB|$v" >>"$TABLE"
if [ -n "$HPID" ]; then
	h1=$(ticks "$HPID")
	hc=$(pct $((h1 - h0)))
	echo "htop idle:      $((h1 - h0)) ticks in $SECS s = $hc % of one core"
	v=$(awk -v a="$qc" -v b="$hc" 'BEGIN { print (a <= b ? "MET" : "NOT MET") }')
	echo "dashboard idle CPU (${SECS} s)|$qc % (htop $hc %)|<= htop's|$v" >>"$TABLE"
else
	echo "htop: not installed"
	echo "dashboard idle CPU (${SECS} s)|$qc % (htop: not installed)|<= htop's|NOT MEASURED" >>"$TABLE"
fi
