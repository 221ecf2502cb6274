#!/bin/sh
# Run each libFuzzer target for FUZZ_SECONDS (the Ion readers, fuzz_ion_*)
# or FUZZ_SECONDS_OTHER (every other target; default FUZZ_SECONDS), so the
# smoke run in make test stays within 60 s in all. TAP output: one line per
# target; any crash, leak, timeout or UBSan report is a failure, and the
# reproducer is kept in $FUZZ_FINDINGS/<name>/ (default build-fuzz/findings).
# Seeds (copied into a temp corpus, so nothing is committed):
#   fuzz_ion_text*    every .ion file of shared/vectors/ion-tests and the
#                     Ion Hash vectors file
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
	find "$shared/vectors/ion-tests" "$shared/vectors/ion-hash" -type f -name "$pattern" \
		2>/dev/null | while read -r f; do
		cp "$f" "$2/$(echo "${f#"$shared"/}" | tr '/' '_')"
	done
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
		echo "ok - fuzz $name ($secs s, $nseeds seeds, ${execs:-?} execs, no findings)"
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
