#!/bin/sh
# Run every benchmark script in tests/bench/ and print its figures.
cd "$(dirname "$0")/../.." || exit 2
status=0
for b in tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || status=1
done
exit $status
