#!/bin/sh
# soak.sh - the dashboard left running against failing services: `qldbtop
# --demo` (the embedded endpoint) in a private tmux server at 100x30 with
# every event of assets/scenarios/demo repeating for SOAK_SECONDS. Every
# SOAK_SAMPLE seconds it reads the process's RSS (/proc/PID/status VmRSS)
# and CPU (/proc/PID/stat utime+stime), and captures the screen four times a
# second, rotating the Ledgers (1), Streams (2) and Digests (4) panes. It asserts:
#   - no crash: the process is alive to the end, then `q` exits 0 and the
#     terminal is restored (tmux is back on the normal screen);
#   - RSS growth: the last RSS minus the RSS after warm-up <= SOAK_RSS_MB;
#   - every injected failure kind surfaced on screen at least once:
#       transient  throttle/503/drop/malformed/truncate/latency: a freshness
#                  line reads "stale", "retrying" or "last error"
#       impaired   impair-stream: IMPAIRED on the Streams pane
#       kms        kms-inaccessible: KMS_KEY_INACCESSIBLE on the Ledgers pane
#       tamper     tamper-block: the INTEGRITY FAILED banner
#       verify     tamper-block/fork: the Verification line reads FAILED
#   - no false VERIFIED: once the banner or a FAILED Verification line was
#     seen, the Verification line never reads VERIFIED again (the tampered
#     block stays tampered: the endpoint keeps it in memory).
# Prints one line per check ("soak check: NAME: ok|FAIL ...") and a one-line
# verdict; exit 0 on PASS, 1 on FAIL, 2 when it cannot run.
#
# RSS bound: the reference is the RSS after warm-up, one cycle by default:
# by then every fault has been met once and the bounded histories (256
# audit events in the store and in the UI, sparklines, the job lines) have
# filled; measured, the RSS of `--demo` climbs about 6 MB over the first
# demo cycle, then stays flat within +-1 MB (the embedded endpoint's
# journal grows too: about 3 KB a block at a block every few seconds, under
# 1 MB in 10 minutes). 8 MB after warm-up is that 1 MB of legitimate growth
# with room for allocator noise, and still fails a leak of one 1 KB buffer
# per request at the few requests a second the dashboard makes (>= 3 MB in
# 10 minutes, more than the flat steady state; the growth over the second
# half is printed as the trend).
#
# The scenario: each cycle replays the demo's events with their times and
# durations scaled by SOAK_CYCLE / (the demo's last event + 10 s), one
# cycle after another until SOAK_SECONDS; `for` durations are at least
# SOAK_MIN_FOR seconds so a compressed fault still lasts several polls.
#   QLDBTOP_BIN     the program (default ./qldbtop)
#   SOAK_SECONDS    run time (default 600)
#   SOAK_CYCLE      seconds per cycle of the demo's events (default 180)
#   SOAK_MIN_FOR    shortest fault duration in seconds (default 0)
#   SOAK_WARMUP     seconds before the reference RSS (default: one cycle)
#   SOAK_SAMPLE     seconds between samples (default 2)
#   SOAK_RSS_MB     allowed RSS growth after warm-up in MB (default 8)
#   SOAK_KEYS       keys pressed once after start-up (e.g. "- -": poll more
#                   often, so a short soak meets more faults)
#   SOAK_KEEP       a folder to keep the scenario, samples and captures in
cd "$(dirname "$0")/../.." || exit 2
BIN=${QLDBTOP_BIN:-$PWD/qldbtop}
SECONDS_=${SOAK_SECONDS:-600}
CYCLE=${SOAK_CYCLE:-180}
MIN_FOR=${SOAK_MIN_FOR:-0}
WARMUP=${SOAK_WARMUP:-$CYCLE}
SAMPLE=${SOAK_SAMPLE:-2}
RSS_MB=${SOAK_RSS_MB:-8}
DEMO=assets/scenarios/demo

command -v tmux >/dev/null 2>&1 || { echo "soak: FAIL tmux is not installed"; exit 2; }
[ -x "$BIN" ] || { echo "soak: FAIL $BIN is not built (make)"; exit 2; }
[ -f "$DEMO" ] || { echo "soak: FAIL no $DEMO"; exit 2; }
W=${SOAK_KEEP:-$(mktemp -d)}
mkdir -p "$W" || exit 2
T="tmux -L qldbtop-soak-$$ -f /dev/null"
cleanup() {
	$T kill-server 2>/dev/null
	[ -n "${SOAK_KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the scenario: the demo's events, scaled, once per cycle --------------
# ms N: N seconds as a whole number of milliseconds
awk -v total="$SECONDS_" -v cycle="$CYCLE" -v minfor="$MIN_FOR" '
function secs(s) { # "20s" "2m" "500ms" -> seconds
	if (s ~ /ms$/) return substr(s, 1, length(s) - 2) / 1000
	if (s ~ /s$/) return substr(s, 1, length(s) - 1) + 0
	if (s ~ /m$/) return substr(s, 1, length(s) - 1) * 60
	return -1
}
{ sub(/#.*/, "") }
NF == 0 { next }
$1 != "at" { print "soak: the demo has a trigger this script does not scale: " $0 > "/dev/stderr"; bad = 1; next }
{
	n++; at[n] = secs($2); line[n] = ""; dur[n] = -1
	for (i = 3; i <= NF; i++) {
		if ($i == "for" && i == NF - 1) { dur[n] = secs($NF); break }
		line[n] = line[n] (line[n] == "" ? "" : " ") $i
	}
	if (at[n] > last) last = at[n]
}
END {
	if (bad || n == 0) exit 1
	scale = cycle / (last + 10)
	for (c = 0; c * cycle < total; c++)
		for (k = 1; k <= n; k++) {
			t = int((c * cycle + at[k] * scale) * 1000 + 0.5)
			if (t >= total * 1000) continue
			out = "at " t "ms " line[k]
			if (dur[k] >= 0) {
				d = dur[k] * scale
				if (d < minfor) d = minfor
				out = out " for " int(d * 1000 + 0.5) "ms"
			}
			print out
		}
}' "$DEMO" >"$W/scenario" || { echo "soak: FAIL cannot build the scenario from $DEMO"; exit 2; }

# --- start ------------------------------------------------------------------
# a shell in the pane runs the dashboard and keeps its exit status (tmux
# 3.3 gives none for a death by signal)
cat >"$W/run" <<EOS
"$BIN" --demo --scenario "$W/scenario"
echo \$? >"$W/exit"
EOS
$T new-session -d -s soak -x 100 -y 30 \
	"exec env LANG=C.UTF-8 XDG_STATE_HOME='$W/state' sh '$W/run'" || exit 2
$T set-option -t soak remain-on-exit on >/dev/null
SH=$($T display -p -t soak '#{pane_pid}')
PID=
i=0
while [ -z "$PID" ] && [ $i -lt 100 ]; do
	PID=$(pgrep -P "$SH" | head -n 1)
	[ -n "$PID" ] || sleep 0.1
	i=$((i + 1))
done
[ -n "$PID" ] || { echo "soak: FAIL the dashboard did not start"; exit 1; }
screen() { $T capture-pane -p -t soak 2>/dev/null; }
key() { $T send-keys -t soak "$@"; }
# wait_screen SECS TEXT: poll the screen for TEXT (deadline, not a sleep)
wait_screen() {
	end=$(($(date +%s) + $1))
	while :; do
		screen | grep -q -- "$2" && return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
}
wait_screen 15 'Deletion prot.' || {
	echo "soak: FAIL the dashboard did not start"; screen; exit 1
}
for k in ${SOAK_KEYS:-}; do
	key "$k"
	sleep 0.3
done
HZ=$(getconf CLK_TCK)
# ticks: utime + stime of PID (fields 14 and 15, after the "(comm)" field)
ticks() { sed 's/.*) //' "/proc/$PID/stat" | awk '{ print $12 + $13 }'; }
rss() { sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$PID/status"; }

# look: capture the screen once and note what it shows
look() {
	n=$((n + 1))
	screen >"$W/cap"
	[ -n "${SOAK_KEEP:-}" ] && cp "$W/cap" "$W/cap.$n.$(($(date +%s) - start)).p$pane"
	grep -q 'stale\|retrying\|last error' "$W/cap" && seen_transient=$((seen_transient + 1))
	grep -q 'KMS_KEY_INACCESSIBLE' "$W/cap" && seen_kms=$((seen_kms + 1))
	[ "$pane" = 2 ] && grep -q 'IMPAIRED' "$W/cap" && seen_impaired=$((seen_impaired + 1))
	if grep -q 'INTEGRITY FAILED' "$W/cap"; then
		seen_tamper=$((seen_tamper + 1))
		[ -n "$failed_at" ] || failed_at=$(($(date +%s) - start))
		cp "$W/cap" "$W/cap.banner"
		key a # acknowledge, so a later failure can raise it again
		acks=$((acks + 1))
	fi
	vline=$(grep -o 'Verification  *[A-Z]*' "$W/cap" | awk '{ print $2 }')
	case "$vline" in
	FAILED)
		seen_verify=$((seen_verify + 1))
		[ -n "$failed_at" ] || failed_at=$(($(date +%s) - start)) ;;
	VERIFIED)
		if [ -n "$failed_at" ]; then
			false_verified=$((false_verified + 1))
			cp "$W/cap" "$W/cap.false-verified.$false_verified"
			echo "soak: VERIFIED at $(($(date +%s) - start)) s after a failure at $failed_at s" >&2
		fi ;;
	esac
}

# --- sample -----------------------------------------------------------------
start=$(date +%s)
alive=1 pane=1 n=0 warm_rss='' warm_t='' warm_ticks='' half_rss=''
seen_transient=0 seen_impaired=0 seen_kms=0 seen_tamper=0 seen_verify=0
failed_at='' false_verified=0 acks=0
: >"$W/samples"
while :; do
	now=$(date +%s)
	el=$((now - start))
	[ "$el" -ge "$SECONDS_" ] && break
	if ! kill -0 "$PID" 2>/dev/null; then
		alive=0
		echo "soak: the dashboard died after $el s" >&2
		break
	fi
	r=$(rss) t=$(ticks)
	echo "$el $r $t" >>"$W/samples"
	if [ -z "$warm_rss" ] && [ "$el" -ge "$WARMUP" ]; then
		warm_rss=$r warm_t=$el warm_ticks=$t
	fi
	[ -z "$half_rss" ] && [ "$el" -ge $((SECONDS_ / 2)) ] && half_rss=$r
	# look at the screen four times a second until the next sample
	i=0
	while [ $i -lt $((SAMPLE * 4)) ]; do
		look
		sleep 0.25
		i=$((i + 1))
	done
	# rotate the panes: 1 Ledgers, 2 Streams, 4 Digests (each has its
	# freshness line), back to 1
	case $pane in
	1) key 2; wait_screen 5 'Journal streams of' && pane=2 ;;
	2) key 4; wait_screen 5 'Digest and audit of' && pane=4 ;;
	*) key 1; wait_screen 5 'Deletion prot.' && pane=1 ;;
	esac
done
end_el=$(($(date +%s) - start))

# --- quit -------------------------------------------------------------------
quit_ok=0 quit_detail="the dashboard died"
if [ "$alive" = 1 ]; then
	final_rss=$(rss) final_ticks=$(ticks)
	key q
	i=0
	while [ "$($T display -p -t soak '#{pane_dead}')" != 1 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	st=$($T display -p -t soak '#{pane_dead} #{alternate_on}')
	code=$(cat "$W/exit" 2>/dev/null)
	if [ "$st" = "1 0" ] && [ "$code" = 0 ] && ! screen | grep -q 'Deletion prot.\|Journal streams of'; then
		quit_ok=1 quit_detail="q exits 0, normal screen back"
	fi
fi
if [ "$quit_ok" = 0 ]; then
	code=$(cat "$W/exit" 2>/dev/null)
	sig=""
	[ "${code:-0}" -gt 128 ] && sig=" = signal $((code - 128))"
	[ "$alive" = 1 ] && {
		quit_detail="after q: exit status ${code:-none}$sig; pane dead, alternate screen = $st"
	}
	[ "$alive" = 0 ] && quit_detail="the dashboard died: exit status ${code:-none}$sig"
	screen | grep -v '^ *$' | tail -n 5 | sed 's/^/soak: at the end: /' >&2
fi

# --- verdict ----------------------------------------------------------------
fails=0
# report NAME OK DETAIL
report() {
	if [ "$2" = 1 ]; then echo "soak check: $1: ok ($3)"; else
		echo "soak check: $1: FAIL ($3)"
		fails=$((fails + 1))
	fi
}
report "alive for the whole run" "$alive" "$end_el s of $SECONDS_ s"
report "q quits cleanly" "$quit_ok" "$quit_detail"
if [ "$alive" = 1 ] && [ -n "$warm_rss" ]; then
	figs=$(awk -v a="$warm_rss" -v b="$final_rss" -v h="${half_rss:-$warm_rss}" \
		-v t0="$warm_ticks" -v t1="$final_ticks" -v hz="$HZ" -v s="$((end_el - warm_t))" -v lim="$RSS_MB" 'BEGIN {
		g = (b - a) / 1024
		printf "%.1f %.1f %+.1f %.2f %+.1f %d", a / 1024, b / 1024, g, (s > 0 ? (t1 - t0) / hz / s * 100 : 0),
			(b - h) / 1024, (g <= lim) }')
	# shellcheck disable=SC2086 # six words
	set -- $figs
	rss_from=$1 rss_to=$2 rss_growth=$3 cpu=$4 trend=$5
	report "RSS growth after warm-up <= $RSS_MB MB" "$6" "$rss_from -> $rss_to MB ($rss_growth), second half $trend MB"
else
	rss_from='?' rss_to='?' rss_growth='?' cpu='?'
	report "RSS growth after warm-up <= $RSS_MB MB" 0 "no figure: the run ended before the warm-up"
fi
kinds=0
for k in transient:$seen_transient impaired:$seen_impaired kms:$seen_kms tamper:$seen_tamper verify:$seen_verify; do
	c=${k#*:}
	[ "$c" -gt 0 ] && kinds=$((kinds + 1))
	report "failure surfaced: ${k%%:*}" "$([ "$c" -gt 0 ] && echo 1 || echo 0)" "seen in $c of $n screens"
done
report "no false VERIFIED after a failure" "$([ "$false_verified" -eq 0 ] && [ -n "$failed_at" ] && echo 1 || echo 0)" \
	"$false_verified VERIFIED captures after the first failure at ${failed_at:-never} s"
load=$(cut -d' ' -f1-3 /proc/loadavg)
verdict=PASS
[ "$fails" -eq 0 ] || verdict=FAIL
echo "soak: $verdict $end_el s, RSS $rss_from -> $rss_to MB ($rss_growth), CPU $cpu %, $kinds/5 failure kinds surfaced, $false_verified false VERIFIED (load $load)"
[ "$fails" -eq 0 ]
