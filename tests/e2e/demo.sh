#!/bin/sh
# demo.sh - end to end: `qldbtop --demo` in a private tmux server at 80x24.
# Waits (with deadlines, never fixed sleeps) for both panes to fill from the
# embedded endpoint, checks the too-small screen and its recovery, quits
# with `q`, and asserts exit status 0 and a restored terminal. Also: a bad
# flag exits 2 with exactly one line on stderr. Screen captures are printed
# only when a check fails.
. tests/lib/tap.sh

T="tmux -L qldbtop-e2e-$$ -f /dev/null"
cleanup() {
	$T kill-server 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

screen() { $T capture-pane -p -t e2e 2>/dev/null; }
shows() { screen | grep -q -- "$1"; }
# The Digests pane (4): the ledger with its state (header), a 32-byte
# digest in base64 and the verdict.
both_panes() {
	s=$(screen)
	echo "$s" | grep -q 'financial-ledger' &&
		echo "$s" | grep -q 'ACTIVE' &&
		echo "$s" | grep -Eq 'Digest +[A-Za-z0-9+/]{43}=' &&
		echo "$s" | grep -Eq 'Verification +(VERIFIED|UNVERIFIED|FAILED)'
}
dump() { screen | grep -v '^ *$' | sed 's/^/# | /'; }

# --- a bad flag: exit 2, one line, nothing on stdout -------------------------
"$QLDBTOP_BIN" --demo --no-such-flag >"$SCRATCH/out" 2>"$SCRATCH/err"
rc=$?
if [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && [ ! -s "$SCRATCH/out" ]; then
	ok "bad flag exits 2 with one line"
else
	not_ok "bad flag exits 2 with one line (rc=$rc)"
	sed 's/^/# /' "$SCRATCH/err"
fi

# --- the dashboard ----------------------------------------------------------
if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (needed for the dashboard checks)"
	exit 1
fi
EXITF=$SCRATCH/exit
$T new-session -d -s e2e -x 80 -y 24 \
	"LANG=C.UTF-8 XDG_STATE_HOME='$SCRATCH/state' '$QLDBTOP_BIN' --demo --scenario none; echo EXIT=\$? > '$EXITF'; echo restored-marker; exec sleep 60"

ledger_pane() { shows 'Deletion prot.' && shows 'STANDARD' && shows 'financial-ledger'; }
if wait_for 5 ledger_pane; then
	ok "demo opens on the Ledgers pane with deletion protection and permissions within 5 s"
else
	not_ok "demo opens on the Ledgers pane with deletion protection and permissions within 5 s"
	dump
fi
$T send-keys -t e2e 4
if wait_for 5 both_panes; then
	ok "key 4 shows the Digests pane: digest and verdict"
else
	not_ok "key 4 shows the Digests pane: digest and verdict"
	dump
fi
# the auditor proves the journal: VERIFIED only with the count of proven
# checks, never FAILED on an intact journal
proven() { screen | grep -Eq 'Verification +VERIFIED [1-9][0-9]* checks at tip'; }
if wait_for 15 proven && ! shows 'FAILED'; then
	ok "the auditor's verdict: VERIFIED with its count of proven checks, nothing FAILED"
else
	not_ok "the auditor's verdict: VERIFIED with its count of proven checks, nothing FAILED"
	dump
fi

# the embedded endpoint's workload writes a block every 2 s: the tip moves
tip_now() { screen | sed -n 's/.*Tip block *\([0-9]*\).*/\1/p' | head -n 1; }
TIP0=$(tip_now)
tip_moved() { t=$(tip_now); [ -n "$t" ] && [ -n "$TIP0" ] && [ "$t" -gt "$TIP0" ]; }
if wait_for 8 tip_moved; then
	ok "the demo ledger moves: the digest's tip block grows ($TIP0 -> $(tip_now))"
else
	not_ok "the demo ledger moves: the digest's tip block grows (stuck at $TIP0)"
	dump
fi

$T resize-window -t e2e -x 60 -y 20
if wait_for 5 shows 'terminal too small, need 80x24'; then
	ok "below 80x24 the screen says it is too small"
else
	not_ok "below 80x24 the screen says it is too small"
	dump
fi
$T resize-window -t e2e -x 80 -y 24
if wait_for 5 both_panes; then
	ok "back at 80x24 the panes return"
else
	not_ok "back at 80x24 the panes return"
	dump
fi

# a tampered block: the Digest pane says FAILED, loudly, within a few rounds
printf 'at 0s tamper-block financial-ledger 5\n' >"$SCRATCH/tamper.scn"
$T new-session -d -s e2e2 -x 80 -y 24 \
	"LANG=C.UTF-8 '$QLDBTOP_BIN' --demo --scenario '$SCRATCH/tamper.scn'; exec sleep 60"
failed_shown() {
	s=$($T capture-pane -p -t e2e2 2>/dev/null)
	echo "$s" | grep -Eq 'Verification +FAILED: [1-9]' &&
		echo "$s" | grep -q 'INTEGRITY FAILED  ledger financial-ledger' &&
		echo "$s" | grep -q 'sequenceNo:5' &&
		echo "$s" | grep -Eq 'expected [A-Za-z0-9+/]{43}=' && echo "$s" | grep -Eq 'computed [A-Za-z0-9+/]{43}='
}
if wait_for 20 failed_shown; then
	ok "with tamper-block 5: Verification FAILED and a banner naming block 5, expected and computed"
else
	not_ok "with tamper-block 5: Verification FAILED and a banner naming block 5, expected and computed"
	$T capture-pane -p -t e2e2 2>/dev/null | grep -v '^ *$' | sed 's/^/# | /'
fi
$T kill-session -t e2e2 2>/dev/null

$T send-keys -t e2e q
if wait_for 5 test -s "$EXITF" && grep -qx 'EXIT=0' "$EXITF"; then
	ok "q quits with status 0"
else
	not_ok "q quits with status 0 ($(cat "$EXITF" 2>/dev/null))"
	dump
fi
# The shell's line lands on the normal screen: curses has let go of it.
if wait_for 5 shows restored-marker && ! shows 'Digest'; then
	ok "the terminal is restored after q"
else
	not_ok "the terminal is restored after q"
	dump
fi
[ "$TAP_FAILED" -eq 0 ]
