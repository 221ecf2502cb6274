#!/bin/sh
# verify_export.sh - verify-export throughput on a generated >= 1 GB
# ION_TEXT export (tests/gen/export_gen.c, in a temp dir removed after):
# MB/s, blocks/s and peak RSS with --jobs 1 and --jobs 2. Peak RSS comes
# from wait4's rusage (tests/gen/export_rss.c), since /usr/bin/time is not
# installed by default. Targets (issue 4): >= 100 MB/s per core, near-linear
# scaling, peak RSS <= 64 MB; (issue 13) >= 250 MB/s with --jobs 2 and
# >= 30x the Node reference: tests/bench/node_revisions.js (ion-js +
# ion-hash-js, the packages of shared/tools/ionhash-oracle, installed once
# into QLDBTOP_ORACLE_DIR) recomputes the revision hashes of the same
# export's first files (at least one, up to QLDBTOP_BENCH_NODE_BYTES,
# default 4 MB: at well under 1 MB/s it would take hours on the whole
# export) in the same run; each hash is checked against the export's.
# With BENCH_TABLE set, rows "name|figure|goal|verdict" are appended to it.
# Each run's CPU time (wait4's user time) is kept with its wall time, so a
# loaded machine shows: "cores busy" = CPU / wall (near 2 for --jobs 2 when
# the workers got both cores), and MB per CPU-second, which load does not
# change. The limit per core is measured in the same run: the Ion reader
# alone (build/tools/ion_bench --parse-only) over the same export's files;
# verify-export reads every byte with that reader, so one job cannot go
# faster, nor --jobs 2 faster than twice that.
#   QLDBTOP_BENCH_BYTES     export size (default 1100000000)
#   QLDBTOP_BENCH_BASELINE  another qldbtop binary (e.g. built from an older
#                           commit): run on the same file in the same run,
#                           best of QLDBTOP_BENCH_RUNS (default 3) each,
#                           alternating, and the difference printed
#   QLDBTOP_ORACLE_DIR      the oracle's cache (default build/oracle)
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
ORACLE=${QLDBTOP_ORACLE_DIR:-build/oracle}
NODE_BYTES=${QLDBTOP_BENCH_NODE_BYTES:-4000000}
TABLE=${BENCH_TABLE:-/dev/null}
row() { echo "$1|$2|$3|$4" >>"$TABLE"; }
mbs2='' rss_max=0
BASE=${QLDBTOP_BENCH_BASELINE:-}
status=0
# run BIN JOBS: one timed run; prints "wall rss user", or nothing on failure
run() {
	"$TOOLS/export_rss" "$1" verify-export "$T/x/export0" --digest "$T/x/DIGEST.json" \
		--jobs "$2" --json >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q '"digest":"VERIFIED"' "$T/out"; then
		echo "  $1 --jobs $2: verify-export failed (exit $rc)" >&2
		head -c 500 "$T/out" >&2; cat "$T/err" >&2
		return 1
	fi
	echo "$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' "$T/err") $(sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' "$T/err")" \
		"$(sed -n 's/.*user_s=\([0-9.]*\).*/\1/p' "$T/err")"
}
# best LINES: of lines "wall rss user", the one with the least wall time
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
	m=$(echo "$b" | awk -v b="$bytes" '{ printf "%.1f", b / 1e6 / $1 }')
	bps=$(echo "$b" | awk -v n="$blocks" '{ printf "%.0f", n / $1 }')
	r=$(echo "$b" | awk '{ printf "%.1f", $2 / 1024 }')
	# CPU per MB and the cores the run got (user time / wall time)
	cpu=$(echo "$b" | awk -v b="$bytes" '$3 > 0 { printf "%.1f MB per CPU-second, %.2f cores busy", b / 1e6 / $3, $3 / $1 }')
	[ "$j" = 1 ] && cpu1=$(echo "$b" | awk -v b="$bytes" '$3 > 0 { printf "%.1f", b / 1e6 / $3 }')
	[ "$j" = 2 ] && mbs2=$m
	rss_max=$(awk -v a="$rss_max" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
	if [ "$j" = 2 ]; then
		v=NOT\ MET
		awk -v m="$m" 'BEGIN { exit !(m >= 250) }' && v=MET
		row "verify-export --jobs 2" "$m MB/s, $bps blocks/s ($cpu)" ">= 250 MB/s" "$v"
	else
		row "verify-export --jobs 1" "$m MB/s, $bps blocks/s ($cpu)" "" ""
	fi
	echo "$b" | awk -v j=$j -v b="$bytes" -v n="$blocks" '{
		printf "  --jobs %d: %.1f MB/s, %.0f blocks/s, %.2f s, peak RSS %.1f MB, CPU %.2f s\n",
			j, b / 1e6 / $1, n / $1, $1, $2 / 1024, $3 }'
	echo "    $cpu"
	if [ -n "$theirs" ]; then
		c=$(best "$theirs")
		printf '%s %s\n' "$b" "$c" | awk -v j=$j -v b="$bytes" '{
			printf "  --jobs %d baseline: %.1f MB/s; this build is %+.1f%% in MB/s\n",
				j, b / 1e6 / $3, ($3 / $1 - 1) * 100 }'
	fi
done
# --- the limit per core: the Ion reader alone over the same files ---------
# ion_bench prints "... V values, B MB, best of N: X MB/s ..." per file: the
# time over the export is the sum of B / X.
if [ -x "$TOOLS/ion_bench" ]; then
	# shellcheck disable=SC2046
	if lim=$("$TOOLS/ion_bench" --runs "$RUNS" --parse-only $(find "$T/x/export0" -name '*.ion') |
		awk '{ for (i = 1; i < NF; i++) { if ($(i + 1) == "MB,") mb = $i; if ($(i + 1) == "MB/s") r = $i }
			if (r > 0) { t += mb / r; b += mb } } END { if (t > 0) printf "%.1f", b / t }') && [ -n "$lim" ]; then
		echo "  Ion reader alone over the export (one core): $lim MB/s; verify-export:" \
			"${cpu1:-?} MB per CPU-second"
		row "verify-export limit (Ion reader alone, one core)" \
			"$lim MB/s; verify-export ${cpu1:-?} MB per CPU-second" \
			"--jobs 2 at most $(awk -v l="$lim" 'BEGIN { printf "%.0f", 2 * l }') MB/s" \
			"$(awk -v c="${cpu1:-0}" 'BEGIN { print (2 * c >= 250 ? "250 MB/s in reach on 2 idle cores" : "250 MB/s OUT OF REACH on 2 cores") }')"
	else
		row "verify-export limit (Ion reader alone)" "failed" "" "NOT MEASURED"
		status=1
	fi
fi
[ "$rss_max" != 0 ] && row "verify-export peak RSS" "$rss_max MB" "<= 64 MB" \
	"$(awk -v r="$rss_max" 'BEGIN { print (r <= 64 ? "MET" : "NOT MET") }')"

# --- the Node reference on the same export ---------------------------------
# install_oracle: copy the oracle and npm install it, unless the cache holds
# both pinned packages for the same package.json
install_oracle() {
	src=$(cd .. && pwd)/shared/tools/ionhash-oracle
	[ -n "${QLDBTOP_SHARED:-}" ] && src=$QLDBTOP_SHARED/tools/ionhash-oracle
	[ -f "$src/package.json" ] || { echo "  node: no oracle at $src"; return 1; }
	command -v node >/dev/null 2>&1 || { echo "  node: not installed"; return 1; }
	if [ -d "$ORACLE/node_modules/ion-js" ] && [ -d "$ORACLE/node_modules/ion-hash-js" ] &&
		cmp -s "$src/package.json" "$ORACLE/package.json"; then
		return 0
	fi
	mkdir -p "$ORACLE" && chmod -R u+w "$ORACLE" 2>/dev/null
	cp -r "$src/." "$ORACLE/" && chmod -R u+w "$ORACLE" || return 1
	(cd "$ORACLE" && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
		{ echo "  node: npm install in $ORACLE failed"; return 1; }
}
if install_oracle; then
	# the export's first files (by block range), up to NODE_BYTES
	files=$(find "$T/x/export0" -name '*.ion' | awk -F/ '{ n = $NF; sub(/^[^.]*\./, "", n); sub(/-.*/, "", n); print n, $0 }' |
		sort -n | cut -d' ' -f2-)
	list="" sum=0
	for f in $files; do
		list="$list $f"
		sum=$((sum + $(wc -c <"$f")))
		[ "$sum" -ge "$NODE_BYTES" ] && break
	done
	# shellcheck disable=SC2086
	if out=$(node tests/bench/node_revisions.js "$ORACLE" $list 2>&1); then
		echo "  node reference (ion-js + ion-hash-js): $out"
		nm=$(echo "$out" | awk '{ printf "%.2f", $2 / 1e6 / $NF }')
		row "node reference (same export)" "$nm MB/s ($(echo "$out" | awk '{ print $4 }') revisions)" "" ""
		if [ -n "$mbs2" ]; then
			x=$(awk -v a="$mbs2" -v b="$nm" 'BEGIN { printf "%.0f", a / b }')
			row "verify-export --jobs 2 / node" "${x}x" ">= 30x" \
				"$(awk -v x="$x" 'BEGIN { print (x >= 30 ? "MET" : "NOT MET") }')"
		fi
	else
		echo "  node reference failed: $out"
		row "node reference (same export)" "failed" "" ""
		status=1
	fi
else
	row "node reference (same export)" "not run (no node or oracle)" ">= 30x" "NOT MEASURED"
fi
exit $status
