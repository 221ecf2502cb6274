#!/bin/sh
# dashboard_keys.sh - end to end: every interaction of the dashboard in a
# private tmux server at 80x24 on the embedded endpoint (--demo --scenario
# none): panes by number and Tab, the help overlay, the filter, the command
# line and its errors, pause and the interval, drill-down and back, and the
# integrity banner with a tampered block: it names the block, stays until
# `a`, and the FAILED verdict stays in the panes after it. Each step waits
# for what it expects (deadlines, not sleeps); a failed step prints the
# screen.
. tests/lib/tap.sh

T="tmux -L qldbtop-keys-$$ -f /dev/null"
cleanup() {
	$T kill-server 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

S=keys
screen() { $T capture-pane -p -t $S 2>/dev/null; }
shows() { screen | grep -q -- "$1"; }
hides() { ! screen | grep -q -- "$1"; }
dump() { screen | grep -v '^ *$' | sed 's/^/# | /'; }
key() { $T send-keys -t $S "$@"; }
# step NAME SECONDS COMMAND...: wait for COMMAND, ok or not_ok with the screen
step() {
	name=$1 secs=$2
	shift 2
	if wait_for "$secs" "$@"; then ok "$name"; else
		not_ok "$name"
		dump
	fi
}

if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (needed for the dashboard checks)"
	exit 1
fi
# a session that outlives the others: killing the last session makes the
# tmux server exit, and a new-session racing that exit fails ("server
# exited unexpectedly", seen under load in CI)
$T new-session -d -s keeper "exec sleep 900"
# S3 answers slowly, so an export's verification is slow enough to watch
printf 'at 0s latency s3 700ms\n' >"$SCRATCH/slow-s3.scn"
$T new-session -d -s $S -x 80 -y 24 \
	"LANG=C.UTF-8 XDG_STATE_HOME='$SCRATCH/state' '$QLDBTOP_BIN' --demo --scenario '$SCRATCH/slow-s3.scn'; exec sleep 120"
step "starts on the Ledgers pane" 5 shows 'Deletion prot.'
step "the header names the ledger and its state" 5 sh -c "$T capture-pane -p -t $S | head -n 1 | grep -q 'financial-ledger  ACTIVE'"
step "the tabs name every pane" 2 shows '1 Ledgers (1)   2 Streams'

key 2
step "2 shows the Streams pane" 3 shows 'Journal streams of financial-ledger'
key 3
step "3 shows the Exports pane" 3 shows 'Journal exports of financial-ledger'
key 4
step "4 shows the Digests pane" 3 shows 'Digest and audit of financial-ledger'
key Tab
step "Tab wraps to the Ledgers pane" 3 shows 'Deletion prot.'
key BTab
step "Shift-Tab goes back to Digests" 3 shows 'Digest and audit of'

key '?'
step "? opens the help overlay with every key" 3 sh -c "$T capture-pane -p -t $S | grep -q 'Help: keys' && $T capture-pane -p -t $S | grep -q 'Acknowledge integrity banner'"
key x
step "any other key closes the help" 3 hides 'Help: keys'

key 1 / z z z
step "/ types a filter in the footer" 3 shows 'filter /zzz'
step "the filter narrows the ledgers to none" 3 shows 'no ledger matches the filter'
key Enter
step "Enter keeps the filter, shown beside the tabs" 3 shows 'filter: zzz'
key Escape
step "Esc clears the filter" 3 sh -c "! $T capture-pane -p -t $S | grep -q 'filter: zzz' && $T capture-pane -p -t $S | grep -q 'Deletion prot.'"

key : p a n e ' ' 4 Enter
step ":pane 4 focuses the Digests pane" 3 shows 'Digest and audit of'
key : b o g u s Enter
step "an unknown command is a one-line message" 3 shows ':bogus: unknown command'
key : l e d g e r ' ' n o s u c h Enter
step ":ledger with an unknown name says so" 3 shows "no ledger 'nosuch'"

key p
step "p pauses polling, shown in the header" 3 shows 'PAUSED'
key p
step "p again resumes" 3 shows 'polling resumed'
key +
step "+ doubles the intervals" 3 shows 'digests every 8s'
key -
step "- halves them back" 3 shows 'digests every 4s'
key a
step "a with no failure says so" 3 shows 'no integrity failure to acknowledge'

key 4
step "the audit log fills" 15 shows 'block-self-check VERIFIED'
key Enter
step "Enter drills into an audit event's block, with a breadcrumb" 5 shows 'financial-ledger > block [0-9]'
step "the drill-down starts with the event's evidence" 3 sh -c "$T capture-pane -p -t $S | grep -q 'Audit event' && $T capture-pane -p -t $S | grep -q 'Computed'"
key Escape
step "Esc goes back to the pane" 3 shows 'Digest and audit of'

# --- actions, run as jobs off the UI thread -----------------------------------
key 4 v
step "v on Digests opens the digest's proof with a breadcrumb" 5 shows 'financial-ledger > digest > proof'
step "the proof lists leaf, siblings and the computed root, and is VERIFIED" 10 sh -c "$T capture-pane -p -t $S | grep -q 'leaf (block hash)' && $T capture-pane -p -t $S | grep -q 'computed root' && $T capture-pane -p -t $S | grep -q 'done, VERIFIED'"
key Escape g Enter
step "Enter on an audit event opens its block: each hash check" 10 sh -c "$T capture-pane -p -t $S | grep -q 'financial-ledger > block' && $T capture-pane -p -t $S | grep -q 'ok revision-hash'"
step "the block's verdict on an intact journal is VERIFIED" 10 shows 'block-detail block [0-9]*: done, VERIFIED'
key Escape 2 s
step "s on a live stream asks before cancelling it" 3 shows 'Cancel journal stream ledger-journal-stream of financial-ledger? \[y/N\]'
key n
step "anything but y cancels the question" 3 shows 'cancelled; nothing was changed'
key s y
step "y cancels the stream: the pane shows CANCELED at once" 10 shows 'CANCELED'
key 3 e
step "e asks before starting an export" 3 shows 'Export the last hour of financial-ledger'
key y
step "y starts the export: it appears in the Exports pane" 10 sh -c "$T capture-pane -p -t $S | grep -Eq 'IN_PROGRESS|COMPLETED'"
step "the export completes" 30 shows 'COMPLETED'
key v
step "v verifies the selected export in a live view" 5 shows 'financial-ledger > exports > .* > verify'
step "the verification shows a progress bar while it runs" 20 sh -c "$T capture-pane -p -t $S | grep -Eq 'running' && $T capture-pane -p -t $S | grep -Eq '[0-9]+%'"
step "the export's verification ends, never FAILED on an intact journal" 30 sh -c "$T capture-pane -p -t $S | grep -Eq 'verify-export export [A-Za-z0-9]+: done, (VERIFIED|UNVERIFIED)'"
key Escape

# the mouse (X10 reports, as tmux passes them): a click on the Streams tab
click() { key -H 1b 5b 4d 20 "$1" 22 && key -H 1b 5b 4d 23 "$1" 22; } # x as a hex byte
key 1
click 35 # column 21: the "2 Streams" tab
step "a click on a tab focuses its pane" 3 shows 'Journal streams of financial-ledger'

$T resize-window -t $S -x 60 -y 20
step "below 80x24 one screen says so" 5 shows 'terminal too small, need 80x24'
key q
if wait_for 5 sh -c "! $T has-session -t $S 2>/dev/null || $T capture-pane -p -t $S | grep -q -v 'too small'"; then
	ok "q quits from the too-small screen"
else
	not_ok "q quits from the too-small screen"
	dump
fi

# --- the mouse is off over SSH and with --no-mouse ---------------------------
for how in "SSH_CONNECTION='10.0.0.1 1 10.0.0.2 22'" "NO_MOUSE=--no-mouse"; do
	S=nomouse
	flag=
	case $how in NO_MOUSE=*) flag=--no-mouse ;; esac
	$T new-session -d -s $S -x 80 -y 24 \
		"$how LANG=C.UTF-8 XDG_STATE_HOME='$SCRATCH/state' '$QLDBTOP_BIN' --demo --scenario none $flag; exec sleep 60"
	wait_for 5 shows 'Deletion prot.'
	click 35
	sleep 1 # nothing is expected to change: give a wrong reaction time to show
	if shows 'Deletion prot.' && hides 'Journal streams of'; then
		ok "no mouse with ${how%%=*}: a click does nothing"
	else
		not_ok "no mouse with ${how%%=*}: a click does nothing"
		dump
	fi
	$T kill-session -t $S
done

# --- read-only: mutating keys refused through one check -------------------------
S=ro
$T new-session -d -s $S -x 80 -y 24 \
	"LANG=C.UTF-8 XDG_STATE_HOME='$SCRATCH/state' '$QLDBTOP_BIN' --demo --scenario none --readonly; exec sleep 60"
step "--readonly says so in the footer" 5 shows 'read-only'
key 3 e
step "e under --readonly is refused, naming the action" 3 shows 'read-only: Start a journal export is disabled'
key 2 s
step "s under --readonly is refused too" 3 shows 'read-only: Start or cancel a stream is disabled'
$T kill-session -t $S

# --- :profile and :region against a served endpoint ---------------------------
# Two profiles with the endpoint's keys, one marked readonly in qldbtop's
# config: switching re-resolves credentials, restarts polling and applies
# the profile's readonly; a wrong name leaves everything as it was.
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 >"$SCRATCH/serve.out" 2>&1 </dev/null &
SERVE_PID=$!
trap 'kill $SERVE_PID 2>/dev/null; cleanup' EXIT
wait_for 20 grep -q '^endpoint: ' "$SCRATCH/serve.out"
URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/serve.out")
mkdir -p "$SCRATCH/cfg/qldbtop"
cat >"$SCRATCH/creds" <<CREDS
[default]
aws_access_key_id = AKIDQLDBTOPDEMO00001
aws_secret_access_key = qldbtop-demo-secret-key-not-for-production
[ops]
aws_access_key_id = AKIDQLDBTOPDEMO00001
aws_secret_access_key = qldbtop-demo-secret-key-not-for-production
CREDS
printf '[default]\nregion = us-east-1\n[profile ops]\nregion = us-east-1\n' >"$SCRATCH/awscfg"
printf '[profile ops]\nreadonly = true\n' >"$SCRATCH/cfg/qldbtop/config"
S=prof
$T new-session -d -s $S -x 100 -y 24 \
	"env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE AWS_SHARED_CREDENTIALS_FILE='$SCRATCH/creds' AWS_CONFIG_FILE='$SCRATCH/awscfg' XDG_CONFIG_HOME='$SCRATCH/cfg' XDG_STATE_HOME='$SCRATCH/state' LANG=C.UTF-8 '$QLDBTOP_BIN' --endpoint-url '$URL'; exec sleep 60"
step "the dashboard polls a served endpoint with the default profile" 10 shows 'Deletion prot.'
step "the footer names the profile" 3 shows 'profile default'
key : p r o f i l e ' ' n o s u c h Enter
step ":profile with an unknown name is one line naming it" 3 shows 'nosuch'
step "... and polling goes on with the old profile (once the message goes)" 8 shows 'profile default'
key : p r o f i l e ' ' o p s Enter
step ":profile ops switches" 5 shows 'now on ops'
step "the footer names the new profile" 8 shows 'profile ops'
step "the new profile polls again" 10 shows 'Deletion prot.'
key e
step "ops is read-only by the config: e is refused" 3 shows 'read-only: Start a journal export is disabled'
key : r e g i o n ' ' e u - w e s t - 1 Enter
step ":region switches the region" 10 shows 'eu-west-1 profile ops'
$T kill-session -t $S
kill $SERVE_PID 2>/dev/null

# --- the integrity banner ----------------------------------------------------
S=tamper
printf 'at 0s tamper-block financial-ledger 5\n' >"$SCRATCH/tamper.scn"
$T new-session -d -s $S -x 100 -y 30 \
	"LANG=C.UTF-8 '$QLDBTOP_BIN' --demo --scenario '$SCRATCH/tamper.scn'; exec sleep 60"
step "a tampered block raises the banner naming it" 25 sh -c "$T capture-pane -p -t $S | grep -q 'INTEGRITY FAILED  ledger financial-ledger' && $T capture-pane -p -t $S | grep -q 'sequenceNo:5'"
step "the header says integrity FAILED" 3 sh -c "$T capture-pane -p -t $S | head -n 1 | grep -q 'integrity FAILED'"
key 2
step "the banner stays on other panes" 3 sh -c "$T capture-pane -p -t $S | grep -q 'INTEGRITY FAILED' && $T capture-pane -p -t $S | grep -q 'Journal streams of'"
key a
step "a acknowledges: the banner goes" 3 hides 'INTEGRITY FAILED'
key 1
step "the FAILED verdict stays in the panes after acknowledging" 5 shows 'Verification    FAILED'
key 4 / F A I L E D Enter
step "the filter finds the FAILED audit events" 5 shows 'FAILED.*seq 5'
key Enter
step "Enter on the failure opens block 5's checks: FAILED with the failing hash check" 15 sh -c "$T capture-pane -p -t $S | grep -q 'block-detail block 5: done, FAILED' && $T capture-pane -p -t $S | grep -Eiq 'fail.*revision-hash|revision-hash.*(FAIL|differs|mismatch)'"
key q

[ "$TAP_FAILED" -eq 0 ]
