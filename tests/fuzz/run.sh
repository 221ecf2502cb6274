#!/bin/sh
# Run each libFuzzer target for FUZZ_SECONDS, seeded from its corpus folder
# tests/fuzz/corpus/<name>/ (and ion-tests data when present). TAP output:
# one line per target; any crash, leak or UBSan report is a failure.
set -u
secs=${FUZZ_SECONDS:-20}
for bin in "$@"; do
	name=$(basename "$bin")
	seeds=tests/fuzz/corpus/$name
	work=$(mktemp -d)
	dirs="$work"
	[ -d "$seeds" ] && dirs="$dirs $seeds"
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/" $dirs >"$work/log" 2>&1; then
		echo "ok - fuzz $name ($secs s, $(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/log" | awk '{print $2}') execs)"
	else
		echo "not ok - fuzz $name"
		tail -n 40 "$work/log"
	fi
	rm -rf "$work"
done
