#!/bin/sh
# frame.sh - the time to draw one dashboard frame with 1,000-row tables
# (issue 12: goal <= 2 ms): build/tools/frame_bench draws the Streams and
# Exports panes with 1,000 items each through the real pane code, moving
# the selection between frames as a user scrolling does.
# With BENCH_TABLE set, a row "name|figure|goal|verdict" is appended.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOOLS=${QLDBTOP_TOOLS:-build/tools}
TABLE=${BENCH_TABLE:-/dev/null}
out=$("$TOOLS/frame_bench" 1000 1000) || { echo "frame bench: frame_bench failed"; exit 1; }
echo "$out"
mean=$(echo "$out" | sed -n 's/.*mean \([0-9.]*\) ms.*/\1/p')
[ -n "$mean" ] || { echo "frame bench: no figure in: $out"; exit 1; }
v=$(awk -v m="$mean" 'BEGIN { print (m <= 2.0 ? "MET" : "NOT MET") }')
echo "dashboard frame, 1,000-row tables|$mean ms mean ($(echo "$out" | sed -n 's/.*max \([0-9.]*\) ms.*/max \1 ms/p'))|<= 2 ms|$v" >>"$TABLE"
