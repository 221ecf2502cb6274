#!/bin/sh
# Run every test suite and end with one line: "N passed, N failed".
# The counts are of tests: every suite speaks TAP ("ok - name" /
# "not ok - name"); cmocka binaries do so through CMOCKA_MESSAGE_OUTPUT=TAP.
# `format` and `clang` are one check each (one ok or not ok, however many
# files were formatted or built). A program that exits non-zero without
# reporting a failure counts as one failure, so a crash is never silently a
# pass; a program that reports no test at all is a failure too, and so is a
# suite that finds no input (no unit binaries, no scripts, no fuzz targets).
# Logs of failing programs are printed; others are kept in build/test-logs.
# Each suite ends with its own totals line.
#   QLDBTOP_SUITES   space-separated subset of: format clang unit integration e2e fuzz
#   QLDBTOP_TOOLS    where the test tools are (default build/tools)
#   QLDBTOP_BIN      the qldbtop binary under test (default ./qldbtop)
#   QLDBTOP_UNIT_DIR where the unit binaries are (default build/tests)
#   QLDBTOP_ONLY     space-separated shell patterns: run only the unit
#                    binaries and scripts whose name (test_x, x.sh without
#                    .sh) matches one (the TSan run's threaded subset)
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
skipped=0
SKIPS=$LOGS/skipped
: >"$SKIPS"
suite_p=0
suite_f=0

# count P F: add to the suite's and the run's totals.
count() {
	passed=$((passed + $1)); failed=$((failed + $2))
	suite_p=$((suite_p + $1)); suite_f=$((suite_f + $2))
}

# report NAME LOG RC SECS P F: one line, and the log's tail on failure.
report() {
	count "$5" "$6"
	if [ "$6" -gt 0 ]; then
		echo "FAIL $1: $5 passed, $6 failed (${4}s); log:"
		tail -n 60 "$2" | sed 's/^/    /'
	else
		echo "ok   $1: $5 passed (${4}s)"
	fi
}

# run_one NAME COMMAND...: run, count its TAP lines, show its log on failure.
run_one() {
	name=$1; shift
	log="$LOGS/$(echo "$name" | tr '/ ' '__').log"
	start=$(date +%s)
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	# a skipped check ("# SKIP name: reason", tap.sh's skip) is neither
	sed -n "s|^# [Ss][Kk][Ii][Pp] |$name: |p" "$log" >>"$SKIPS"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name reported no test" >>"$log"
	fi
	report "$name" "$log" "$rc" $(( $(date +%s) - start )) "$p" "$f"
}

# run_single NAME COMMAND...: a check that is one test, whatever it prints:
# one pass when COMMAND exits 0 and prints no "not ok", else one failure.
run_single() {
	name=$1; shift
	log="$LOGS/$(echo "$name" | tr '/ ' '__').log"
	start=$(date +%s)
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q '^not ok ' "$log"; then
		report "$name" "$log" "$rc" $(( $(date +%s) - start )) 1 0
	else
		echo "not ok - $name (exit $rc)" >>"$log"
		report "$name" "$log" "$rc" $(( $(date +%s) - start )) 0 1
	fi
}

# selected NAME: whether QLDBTOP_ONLY (when set) names NAME.
selected() {
	[ -z "${QLDBTOP_ONLY:-}" ] && return 0
	set -f # the patterns are matched, not expanded against files here
	for pat in $QLDBTOP_ONLY; do
		# shellcheck disable=SC2254
		case $1 in $pat) set +f; return 0 ;; esac
	done
	set +f
	return 1
}

# no_input SUITE WHAT: a suite that found nothing to run fails.
no_input() {
	echo "FAIL $1: no $2 found"
	count 0 1
}

for suite in $SUITES; do
	suite_p=0; suite_f=0
	case $suite in
	format)
		# one check: every C file follows .clang-format (the log names files)
		run_single format sh -c 'out=$(sh tests/check-format.sh) || exit 1
			printf "%s\n" "$out"
			echo "$out" | grep -q "^ok " || { echo "no C files checked"; exit 1; }' ;;
	clang)
		# the whole tree must also build warning-free with clang (-Werror)
		run_single clang-build make --no-print-directory -j2 BUILD=build-clang CC=clang \
			build-clang/qldbtop unit tools ;;
	unit)
		n=0
		for t in "$UNIT_DIR"/test_*; do
			[ -x "$t" ] || continue
			case $t in *.d) continue ;; esac
			selected "$(basename "$t")" || continue
			n=$((n + 1))
			run_one "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
		done
		[ "$n" -gt 0 ] || no_input unit "unit test binaries in $UNIT_DIR" ;;
	integration|e2e)
		n=0
		for t in tests/$suite/*.sh; do
			[ -f "$t" ] || continue
			selected "$(basename "$t" .sh)" || continue
			n=$((n + 1))
			run_one "$suite/$(basename "$t" .sh)" sh "$t"
		done
		[ "$n" -gt 0 ] || no_input "$suite" "tests/$suite/*.sh scripts" ;;
	fuzz)
		if ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
			# build first (clang, two jobs), so the smoke's time is fuzzing only
			run_single fuzz/build make --no-print-directory -j2 fuzz-build
			run_one fuzz/smoke make --no-print-directory fuzz-smoke
		else
			no_input fuzz "tests/fuzz/fuzz_*.c targets"
		fi ;;
	*)
		echo "FAIL unknown suite $suite"; count 0 1 ;;
	esac
	echo "== $suite: $suite_p passed, $suite_f failed"
done

skipped=$(wc -l <"$SKIPS")
if [ "$skipped" -gt 0 ]; then
	echo "== $skipped checks skipped (not counted as passed):"
	sed 's/^/   /' "$SKIPS"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
