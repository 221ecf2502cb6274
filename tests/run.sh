#!/bin/sh
# Run every test suite and end with one line: "N passed, N failed".
# Every suite speaks TAP ("ok - name" / "not ok - name"); cmocka binaries
# do so through CMOCKA_MESSAGE_OUTPUT=TAP. A program that exits non-zero
# without reporting a failure counts as one failure, so a crash is never
# silently a pass. Logs of failing programs are printed; others are kept in
# build/test-logs.
#   QLDBTOP_SUITES   space-separated subset of: format clang unit integration e2e fuzz
#   QLDBTOP_TOOLS    where the test tools are (default build/tools)
#   QLDBTOP_BIN      the qldbtop binary under test (default ./qldbtop)
#   QLDBTOP_UNIT_DIR where the unit binaries are (default build/tests)
set -u
cd "$(dirname "$0")/.." || exit 2
SUITES=${QLDBTOP_SUITES:-"format clang unit integration e2e fuzz"}
export QLDBTOP_BIN="${QLDBTOP_BIN:-$PWD/qldbtop}"
case $QLDBTOP_BIN in /*) ;; *) QLDBTOP_BIN="$PWD/$QLDBTOP_BIN" ;; esac
UNIT_DIR=${QLDBTOP_UNIT_DIR:-build/tests}
export QLDBTOP_TOOLS="${QLDBTOP_TOOLS:-$PWD/build/tools}"
LOGS=build/test-logs
mkdir -p "$LOGS"
export QLDBTOP_TEST_LOGS="$PWD/$LOGS"
passed=0
failed=0

# run_one NAME COMMAND...: run, count its TAP lines, show its log on failure.
run_one() {
	name=$1; shift
	log="$LOGS/$(echo "$name" | tr '/ ' '__').log"
	start=$(date +%s)
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	secs=$(( $(date +%s) - start ))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name: $p passed, $f failed (${secs}s); log:"
		tail -n 60 "$log" | sed 's/^/    /'
	else
		echo "ok   $name: $p passed (${secs}s)"
	fi
}

for suite in $SUITES; do
	case $suite in
	format)
		run_one format sh tests/check-format.sh ;;
	clang)
		# the whole tree must also build warning-free with clang (-Werror)
		run_one clang-build sh -c 'make --no-print-directory -j2 BUILD=build-clang CC=clang \
			build-clang/qldbtop unit tools >/dev/null && echo "ok - clang -Werror build"' ;;
	unit)
		for t in "$UNIT_DIR"/test_*; do
			[ -x "$t" ] || continue
			case $t in *.d) continue ;; esac
			run_one "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
		done ;;
	integration|e2e)
		for t in tests/$suite/*.sh; do
			[ -f "$t" ] || continue
			run_one "$suite/$(basename "$t" .sh)" sh "$t"
		done ;;
	fuzz)
		# build first (clang, two jobs), so the smoke's time is fuzzing only
		run_one fuzz/build sh -c 'make --no-print-directory -j2 fuzz-build >/dev/null &&
			echo "ok - libFuzzer targets built"'
		run_one fuzz/smoke make --no-print-directory fuzz-smoke ;;
	*)
		echo "unknown suite $suite"; failed=$((failed + 1)) ;;
	esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
