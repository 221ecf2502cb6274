#!/bin/sh
# terminal.sh - end to end: what the dashboard does with the terminal it is
# given, in private tmux servers: 40x12 is the too-small screen and
# resizing back restores the panes; NO_COLOR=1 (and --no-color) draw with
# no colour escape at all; LANG=C draws only ASCII; TERM=dumb and an
# unknown TERM give one line on stderr and exit 2. Captures are printed
# only when a check fails.
. tests/lib/tap.sh

T="tmux -L qldbtop-term-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$SCRATCH"' EXIT
if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (needed for the dashboard checks)"
	exit 1
fi
# a session that outlives the others: killing the last session makes the
# tmux server exit, and a new-session racing that exit fails ("server
# exited unexpectedly", seen under load in CI)
$T new-session -d -s keeper "exec sleep 900"
S=t
screen() { $T capture-pane -p -t $S 2>/dev/null; }
escapes() { $T capture-pane -e -p -t $S 2>/dev/null; } # with the SGR escapes
shows() { screen | grep -q -- "$1"; }
dump() { screen | grep -v '^ *$' | sed 's/^/# | /'; }
start() { # start ENV... [-- FLAGS]: the demo in a new session
	env= flags=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do env="$env $1"; shift; done
	[ "${1:-}" = -- ] && shift && flags="$*"
	$T kill-session -t $S 2>/dev/null
	$T new-session -d -s $S -x 80 -y 24 \
		"env $env XDG_STATE_HOME='$SCRATCH/state' '$QLDBTOP_BIN' --demo --scenario none $flags; exec sleep 60"
}

# --- colour as control: it is there by default, so the NO_COLOR check
# below cannot pass just because the capture has no escapes at all
start LANG=C.UTF-8
wait_for 8 shows 'Deletion prot.'
if escapes | grep -q "$(printf '\033')\[[0-9;]*3[0-7]m\|$(printf '\033')\[[0-9;]*38;5"; then
	ok "by default the dashboard draws in colour (control for NO_COLOR)"
else
	not_ok "by default the dashboard draws in colour (control for NO_COLOR)"
	escapes | head -5 | od -c | head -5 | sed 's/^/# /'
fi

$T resize-window -t $S -x 40 -y 12
if wait_for 5 shows 'terminal too small'; then ok "40x12 shows the too-small screen"; else
	not_ok "40x12 shows the too-small screen"; dump
fi
check "the too-small screen says the size it has" shows 'now 40x12'
$T resize-window -t $S -x 80 -y 24
if wait_for 5 shows 'Deletion prot.'; then ok "resizing back restores the panes"; else
	not_ok "resizing back restores the panes"; dump
fi

for how in NO_COLOR=1 --no-color; do
	case $how in
	--*) start LANG=C.UTF-8 -- "$how" ;;
	*) start LANG=C.UTF-8 "$how" ;;
	esac
	wait_for 8 shows 'Deletion prot.'
	$T send-keys -t $S 2 # another pane with state words in colour roles
	sleep 1
	if escapes | grep -q "$(printf '\033')\[[0-9;]*\(3[0-7]\|4[0-7]\|38;5\|48;5\|9[0-7]\)m"; then
		not_ok "$how: no colour escape in the capture"
		escapes | grep "$(printf '\033')" | head -3 | od -c | head -6 | sed 's/^/# /'
	else
		ok "$how: no colour escape in the capture"
	fi
	check "$how: meaning stays in words (ACTIVE, VERIFIED/UNVERIFIED)" sh -c "$T capture-pane -p -t $S | grep -q ACTIVE"
done

start LANG=C LC_ALL=C
if wait_for 8 shows 'Deletion prot.'; then
	$T send-keys -t $S 1
	sleep 2 # the sparklines fill
	if screen | LC_ALL=C grep -q '[^ -~]'; then
		not_ok "LANG=C: the capture is ASCII only"
		screen | LC_ALL=C grep '[^ -~]' | head -3 | sed 's/^/# | /'
	else
		ok "LANG=C: the capture is ASCII only"
	fi
	check "LANG=C: frames are drawn with ASCII" shows '+-'
else
	not_ok "LANG=C: the dashboard starts"
	dump
fi

# --- terminals that cannot be used: one line, exit 2 ----------------------
for term in dumb no-such-terminal-xyz; do
	S=bad
	$T new-session -d -s $S -x 80 -y 24 \
		"TERM=$term XDG_STATE_HOME='$SCRATCH/state' '$QLDBTOP_BIN' --demo --scenario none 2>'$SCRATCH/err.$term'; echo EXIT=\$? >'$SCRATCH/rc.$term'; exec sleep 30"
	if wait_for 10 test -s "$SCRATCH/rc.$term" && grep -qx 'EXIT=2' "$SCRATCH/rc.$term" &&
		[ "$(wc -l <"$SCRATCH/err.$term")" -eq 1 ]; then
		ok "TERM=$term: one line on stderr and exit 2 ($(cat "$SCRATCH/err.$term"))"
	else
		not_ok "TERM=$term: one line on stderr and exit 2"
		sed 's/^/# /' "$SCRATCH/rc.$term" "$SCRATCH/err.$term" 2>/dev/null
	fi
	$T kill-session -t $S 2>/dev/null
done
[ "$TAP_FAILED" -eq 0 ]
