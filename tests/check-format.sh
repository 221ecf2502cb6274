#!/bin/sh
# Check that C sources follow .clang-format (TAP: one line per file).
cd "$(dirname "$0")/.." || exit 2
command -v clang-format >/dev/null || { echo "not ok - clang-format is not installed"; exit 1; }
for f in $(ls tui/*.c tui/*.h widgets/*.[ch] api/*.[ch] verify/*.[ch] common/*.[ch] sim/*.[ch] \
		tests/unit/*.c tests/lib/*.[ch] tests/gen/*.c tests/fuzz/*.[ch] 2>/dev/null); do
	if clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "ok - format $f"
	else
		echo "not ok - format $f (run: make format)"
	fi
done
