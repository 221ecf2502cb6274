#!/bin/sh
# soak_short.sh - the soak of tests/soak/soak.sh for 60 s, as a TAP test:
# the demo's events compressed into 36-second cycles (a fault every few
# seconds, each lasting at least 10 s so that they overlap and a poll
# meets one with near certainty), warm-up 10 s. One TAP line per check of
# soak.sh, then one for its verdict.
. tests/lib/tap.sh

SOAK_SECONDS=60 SOAK_CYCLE=36 SOAK_MIN_FOR=10 SOAK_WARMUP=10 SOAK_KEYS="- - -" QLDBTOP_BIN="$QLDBTOP_BIN" \
	sh tests/soak/soak.sh >"$SCRATCH/out" 2>"$SCRATCH/err"
rc=$?
checks=0
while IFS= read -r line; do
	case $line in
	"soak check: "*": ok "*)
		checks=$((checks + 1))
		ok "soak 60 s: ${line#soak check: }" ;;
	"soak check: "*)
		checks=$((checks + 1))
		not_ok "soak 60 s: ${line#soak check: }" ;;
	esac
done <"$SCRATCH/out"
verdict=$(grep '^soak: ' "$SCRATCH/out" | tail -n 1)
if [ "$rc" -eq 0 ] && [ "$checks" -ge 9 ] && [ "${verdict#soak: PASS}" != "$verdict" ]; then
	ok "$verdict"
else
	not_ok "soak 60 s verdict (exit $rc, $checks checks): ${verdict:-none}"
	sed 's/^/# /' "$SCRATCH/err"
fi
