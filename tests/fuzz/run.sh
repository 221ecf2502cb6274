#!/bin/sh
# Run each libFuzzer target for FUZZ_SECONDS (the Ion readers, fuzz_ion_*)
# or FUZZ_SECONDS_OTHER (every other target; default FUZZ_SECONDS), so the
# smoke run in make test stays within 2 minutes in all. TAP output: one line
# per target with its coverage after the seeds and at the end (libFuzzer's
# cov: edges, so a target whose seeds reach nothing shows); any crash, leak,
# timeout or UBSan report is a failure, and the reproducer is kept in
# $FUZZ_FINDINGS/<name>/ (default build-fuzz/findings).
# Seeds (copied into a temp corpus, so nothing is committed):
#   fuzz_ion_text*    every .ion file of shared/vectors/ion-tests and the
#                     Ion Hash vectors file (their tree kept under the seeds)
#   fuzz_ion_binary*  every .10n file of shared/vectors/ion-tests
#   others            tests/fuzz/corpus/<name>/ when it exists
set -u
ion_secs=${FUZZ_SECONDS:-20}
other_secs=${FUZZ_SECONDS_OTHER:-$ion_secs}
shared=${QLDBTOP_SHARED:-../shared}
findings=${FUZZ_FINDINGS:-build-fuzz/findings}
status=0

# seed NAME DIR: copy the seed files for target NAME into DIR (flat names)
seed() {
	case $1 in
	fuzz_ion_text*) pattern='*.ion' ;;
	fuzz_ion_binary*) pattern='*.10n' ;;
	*)
		[ -d "tests/fuzz/corpus/$1" ] && cp -r "tests/fuzz/corpus/$1/." "$2/"
		return 0 ;;
	esac
	# one cp for all (libFuzzer reads corpus directories recursively): a
	# process per file took 26 s of a loaded 2-core machine per Ion target
	(cd "$shared" && find vectors/ion-tests vectors/ion-hash -type f -name "$pattern" \
		-print0 2>/dev/null | xargs -0 -r cp --parents -t "$2")
}

for bin in "$@"; do
	name=$(basename "$bin")
	case $name in
	fuzz_ion_*) secs=$ion_secs ;;
	*) secs=$other_secs ;;
	esac
	work=$(mktemp -d)
	mkdir -p "$work/corpus" "$work/seeds" "$work/out"
	seed "$name" "$work/seeds"
	nseeds=$(find "$work/seeds" -type f | wc -l)
	if "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/out/" \
		"$work/corpus" "$work/seeds" >"$work/log" 2>&1; then
		execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/log" | awk '{print $2}')
		cov0=$(grep -m1 'INITED cov: [0-9]*' "$work/log" | sed 's/.*INITED cov: \([0-9]*\).*/\1/')
		cov1=$(grep 'cov: [0-9]*' "$work/log" | tail -n 1 | sed 's/.*cov: \([0-9]*\).*/\1/')
		echo "ok - fuzz $name ($secs s, $nseeds seeds, cov ${cov0:-?} -> ${cov1:-?}," \
			"${execs:-?} execs, no findings)"
	else
		status=1
		echo "not ok - fuzz $name"
		mkdir -p "$findings/$name"
		cp "$work/out/"* "$findings/$name/" 2>/dev/null
		echo "# reproducers kept in $findings/$name/ (run: $bin FILE)"
		grep -v '^#\|^INFO\|^\s*$' "$work/log" | tail -n 40 | sed 's/^/# /'
	fi
	rm -rf "$work"
done
exit $status
