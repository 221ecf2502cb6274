#!/bin/sh
# verify_export.sh - verify-export throughput on a generated >= 1 GB
# ION_TEXT export (tests/gen/export_gen.c, in a temp dir removed after):
# MB/s, blocks/s and peak RSS with --jobs 1 and --jobs 2. Peak RSS comes
# from wait4's rusage (tests/gen/export_rss.c), since /usr/bin/time is not
# installed by default. Targets (issue 4): >= 100 MB/s per core, near-linear
# scaling, peak RSS <= 64 MB.
#   QLDBTOP_BENCH_BYTES     export size (default 1100000000)
#   QLDBTOP_BENCH_BASELINE  another qldbtop binary (e.g. built from an older
#                           commit): run on the same file in the same run,
#                           best of QLDBTOP_BENCH_RUNS (default 3) each,
#                           alternating, and the difference printed
cd "$(dirname "$0")/../.." || exit 2
BIN=${QLDBTOP_BIN:-$PWD/qldbtop}
TOOLS=${QLDBTOP_TOOLS:-build/tools}
BYTES=${QLDBTOP_BENCH_BYTES:-1100000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "generating a ${BYTES}-byte ION_TEXT export..."
line=$("$TOOLS/export_gen" "$T/x" --format ion_text --target-bytes "$BYTES" --per-object 2000) || exit 1
echo "  $line"
blocks=$(echo "$line" | awk '{print $2}')
bytes=$(echo "$line" | awk '{print $6}')
RUNS=${QLDBTOP_BENCH_RUNS:-3}
BASE=${QLDBTOP_BENCH_BASELINE:-}
status=0
# run BIN JOBS: one timed run; prints "wall rss", or nothing on failure
run() {
	"$TOOLS/export_rss" "$1" verify-export "$T/x/export0" --digest "$T/x/DIGEST.json" \
		--jobs "$2" --json >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q '"digest":"VERIFIED"' "$T/out"; then
		echo "  $1 --jobs $2: verify-export failed (exit $rc)" >&2
		head -c 500 "$T/out" >&2; cat "$T/err" >&2
		return 1
	fi
	echo "$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' "$T/err") $(sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' "$T/err")"
}
# best LINES: of lines "wall rss", the one with the least wall time
best() { printf '%s\n' "$1" | sed '/^$/d' | sort -n | head -n 1; }
for j in 1 2; do
	ours="" theirs=""
	for r in $(seq "$RUNS"); do
		x=$(run "$BIN" $j) || { status=1; break; }
		ours="$ours
$x"
		if [ -n "$BASE" ]; then
			y=$(run "$BASE" $j) || { status=1; break; }
			theirs="$theirs
$y"
		fi
	done
	[ -n "$ours" ] || continue
	b=$(best "$ours")
	echo "$b" | awk -v j=$j -v b="$bytes" -v n="$blocks" '{
		printf "  --jobs %d: %.1f MB/s, %.0f blocks/s, %.2f s, peak RSS %.1f MB\n",
			j, b / 1e6 / $1, n / $1, $1, $2 / 1024 }'
	if [ -n "$theirs" ]; then
		c=$(best "$theirs")
		printf '%s %s\n' "$b" "$c" | awk -v j=$j -v b="$bytes" '{
			printf "  --jobs %d baseline: %.1f MB/s; this build is %+.1f%% in MB/s\n",
				j, b / 1e6 / $3, ($3 / $1 - 1) * 100 }'
	fi
done
exit $status
