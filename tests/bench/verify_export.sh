#!/bin/sh
# verify_export.sh - verify-export throughput on a generated >= 1 GB
# ION_TEXT export (tests/gen/export_gen.c, in a temp dir removed after):
# MB/s, blocks/s and peak RSS with --jobs 1 and --jobs 2. Peak RSS comes
# from wait4's rusage (tests/gen/export_rss.c), since /usr/bin/time is not
# installed by default. Targets (issue 4): >= 100 MB/s per core, near-linear
# scaling, peak RSS <= 64 MB.
#   QLDBTOP_BENCH_BYTES  export size (default 1100000000)
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
status=0
for j in 1 2; do
	"$TOOLS/export_rss" "$BIN" verify-export "$T/x/export0" --digest "$T/x/DIGEST.json" \
		--jobs $j --json >"$T/out" 2>"$T/err"
	rc=$?
	rss=$(sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' "$T/err")
	wall=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' "$T/err")
	if [ "$rc" -ne 0 ] || ! grep -q '"digest":"VERIFIED"' "$T/out"; then
		echo "  --jobs $j: verify-export failed (exit $rc)"; head -c 500 "$T/out"; cat "$T/err"
		status=1
		continue
	fi
	awk -v j=$j -v b="$bytes" -v n="$blocks" -v w="$wall" -v r="$rss" 'BEGIN {
		printf "  --jobs %d: %.1f MB/s, %.0f blocks/s, %.2f s, peak RSS %.1f MB\n",
			j, b / 1e6 / w, n / w, w, r / 1024 }'
done
exit $status
