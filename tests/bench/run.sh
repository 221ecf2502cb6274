#!/bin/sh
# Run every benchmark script in tests/bench/ and print its figures, then one
# table of them (rows the scripts append to $BENCH_TABLE as
# "name|figure|goal|verdict"): each goal MET or NOT MET with its figure.
# A goal not met is reported, not an exit status; exit 1 only when a
# script fails to measure. The load average is printed with the table:
# the figures are only as good as the machine was quiet.
cd "$(dirname "$0")/../.." || exit 2
BENCH_TABLE=$(mktemp)
export BENCH_TABLE
trap 'rm -f "$BENCH_TABLE"' EXIT
status=0
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for b in tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || { status=1; echo "$(basename "$b" .sh)|FAILED to measure (exit status)||" >>"$BENCH_TABLE"; }
done
echo
echo "== qldbtop benchmark table ($(nproc) cores; load average $load0 at start, $(cut -d' ' -f1-3 /proc/loadavg) at end)"
awk -F'|' '
	{ n++; a[n] = $1; b[n] = $2; c[n] = $3; d[n] = $4
	  if (length($1) > w1) w1 = length($1); if (length($2) > w2) w2 = length($2); if (length($3) > w3) w3 = length($3) }
	END {
		printf "%-*s  %-*s  %-*s  %s\n", w1, "measure", w2, "figure", w3, "goal", "verdict"
		for (i = 1; i <= n; i++) printf "%-*s  %-*s  %-*s  %s\n", w1, a[i], w2, b[i], w3, c[i], d[i]
	}' "$BENCH_TABLE"
exit $status
