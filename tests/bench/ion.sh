#!/bin/sh
# ion.sh - Ion read + Ion Hash (SHA-256) throughput on one core, text and
# binary, over a generated QLDB-like journal (tests/gen/ion_benchgen.c,
# >= 100 MB of text; its binary form written by ion_tool). Prints MB/s
# (best of 3, input bytes, file loaded before timing) against the targets
# of issue 3: >= 150 MB/s text, >= 300 MB/s binary. Exit 1 below a target
# or when text and binary do not hash alike. Temp files are deleted.
#   QLDBTOP_TOOLS  where the tools are (default build/tools)
#   ION_BENCH_MB   size of the text file in MB (default 100)
set -u
TOOLS=${QLDBTOP_TOOLS:-build/tools}
MB=${ION_BENCH_MB:-100}
TEXT_TARGET=150
BINARY_TARGET=300
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in ion_benchgen ion_tool ion_bench; do
	[ -x "$TOOLS/$t" ] || { echo "ion bench: $TOOLS/$t is not built (make tools)"; exit 1; }
done
"$TOOLS/ion_benchgen" "$tmp/journal.ion" --mb "$MB" >/dev/null || exit 1
"$TOOLS/ion_tool" to-binary "$tmp/journal.ion" "$tmp/journal.10n" || exit 1
# one core: pin when taskset is there (the reader is single-threaded anyway)
pin=
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
$pin "$TOOLS/ion_bench" "$tmp/journal.ion" "$tmp/journal.10n" >"$tmp/out" || exit 1
sed "s|$tmp/||" "$tmp/out"
status=0
[ "$(awk '{print $NF}' "$tmp/out" | sort -u | wc -l)" -eq 1 ] ||
	{ echo "ion bench: text and binary hash differently"; status=1; }
rate() { awk -v k="$1" '$2 == k { for (i = 1; i <= NF; i++) if ($(i + 1) == "MB/s") print int($i) }' "$tmp/out"; }
for kind in text binary; do
	r=$(rate "$kind")
	target=$TEXT_TARGET
	[ "$kind" = binary ] && target=$BINARY_TARGET
	if [ "${r:-0}" -ge "$target" ]; then
		echo "ion bench: $kind ${r} MB/s: target $target MB/s met"
	else
		echo "ion bench: $kind ${r:-?} MB/s: BELOW target $target MB/s"
		status=1
	fi
done
exit $status
