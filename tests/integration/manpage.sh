#!/bin/sh
# manpage.sh - assets/qldbtop.1 renders without a warning (groff -ww) and
# is checked against the program itself, not a copy of its lists:
#   every command of `qldbtop help` has a paragraph under COMMANDS;
#   every option of `qldbtop COMMAND --help` is a tagged paragraph in the
#   "COMMAND options" subsection (global options under "Global options");
#   every key of the dashboard's keymap (build/tools/keymap_dump) is the
#   tag of the paragraph naming its action, with exactly those keys;
#   every exit code of every command's help is a tag under EXIT STATUS.
# The same checks then run on damaged copies of the page (an option, a
# key, an exit code, a command removed), each of which must fail.
. tests/lib/tap.sh
PAGE=assets/qldbtop.1
TOOLS=${QLDBTOP_TOOLS:-build/tools}

if ! command -v groff >/dev/null; then
	not_ok "groff is installed (apt-get install groff-base)"
	exit 1
fi
groff -ww -man -Tutf8 "$PAGE" >/dev/null 2>"$SCRATCH/warn"
check "groff -ww renders the page without a warning" test ! -s "$SCRATCH/warn"
sed 's/^/#   /' "$SCRATCH/warn"
man -l "$PAGE" >/dev/null 2>"$SCRATCH/warn" </dev/null
check "man -l renders the page without a message" test ! -s "$SCRATCH/warn"

# What the program says. Commands: "  qldbtop NAME ..." usage lines.
"$QLDBTOP_BIN" help >"$SCRATCH/help" 2>&1
commands=$(sed -n 's/^  qldbtop \([a-z][a-z-]*\).*/\1/p' "$SCRATCH/help" | sort -u)
commands="dashboard $commands"
n=$(echo $commands | wc -w)
check "the help lists commands ($n)" test "$n" -ge 8
# options NAME FILE: the options of one --help block ("options:" or
# "global options", up to the blank line), one per line, without
# -h, --help (checked once, as a global option).
options() {
	awk -v want="$1" '
		/^$/ { inb = 0 }
		$0 ~ "^" want { inb = 1 }
		inb && /^  -/ && !/^  -h, --help/ { sub(/^  /, ""); sub(/[ ,].*/, ""); print }' "$2" | sort -u
}
: >"$SCRATCH/codes"
for c in $commands; do
	"$QLDBTOP_BIN" "$c" --help >"$SCRATCH/help.$c" 2>&1
	awk '/^exit status/ { e = 1; next } /^[^ ]/ { e = 0 }
		e && /^  [0-9]/ { print $1 }' "$SCRATCH/help.$c" >>"$SCRATCH/codes"
done
awk '/^exit status/ { e = 1; next } /^[^ ]/ { e = 0 }
	e && /^  [0-9]/ { print $1 }' "$SCRATCH/help" >>"$SCRATCH/codes"
codes=$(sort -u "$SCRATCH/codes")
check "the help lists exit codes ($(echo $codes))" test "$(echo $codes | wc -w)" -ge 4
globals=$(options "global options" "$SCRATCH/help")
check "the help lists global options ($(echo $globals | wc -w))" test "$(echo $globals | wc -w)" -ge 5
"$TOOLS/keymap_dump" >"$SCRATCH/keys"
check "keymap_dump lists the keymap ($(wc -l <"$SCRATCH/keys") actions)" test "$(wc -l <"$SCRATCH/keys")" -ge 30

# section TEXT TITLE: the lines of one section (or subsection) of the
# rendered TEXT, from its heading to the next heading of any level.
section() {
	awk -v t="$2" '
		/^[A-Z]/ || /^   [^ ]/ { inb = ($0 == t || $0 == "   " t); next }
		inb' "$1"
}
# tagged TEXT TITLE WORD: WORD starts a tagged paragraph in the section.
tagged() {
	section "$1" "$2" | grep -qE "^       (-h, )?$(printf '%s' "$3" | sed 's/[][+.^$*?]/\\&/g')(,| |$)"
}

# verify PAGE: every check above against one page; prints what is missing,
# status 0 only when nothing is.
verify() {
	groff -man -Tutf8 -P-cbou "$1" 2>/dev/null >"$SCRATCH/page.txt"
	t="$SCRATCH/page.txt"
	miss=0
	for c in $commands; do
		tagged "$t" COMMANDS "$c" || { echo "command $c"; miss=1; }
		opts=$(options options "$SCRATCH/help.$c")
		for o in $opts; do
			tagged "$t" "$c options" "$o" || { echo "option $c $o"; miss=1; }
		done
	done
	for o in $globals --help --version; do
		tagged "$t" "Global options" "$o" || { echo "global option $o"; miss=1; }
	done
	for code in $codes; do
		tagged "$t" "EXIT STATUS" "$code" || { echo "exit code $code"; miss=1; }
	done
	# keys: in the source, the .TP tag before the line naming "(ACTION)"
	sed 's/\\-/-/g' "$1" >"$SCRATCH/src"
	while IFS='	' read -r action keys help; do
		tag=$(awk -v a="($action)" 'index($0, a) && prev ~ /^\.BR? / { print prev; exit }
			{ prev = $0 }' "$SCRATCH/src" |
			sed -e 's/^\.BR* //' -e 's/ *", " */ /g')
		if [ "$(echo $tag)" != "$(echo $keys)" ]; then
			echo "keys of $action: want '$keys', page has '$tag'"; miss=1
		fi
		grep -qF "$help ($action)" "$SCRATCH/src" || { echo "help of $action"; miss=1; }
	done <"$SCRATCH/keys"
	return $miss
}

if verify "$PAGE" >"$SCRATCH/miss"; then
	ok "every command, option, key and exit code is in the page"
else
	not_ok "every command, option, key and exit code is in the page"
	sed 's/^/#   missing: /' "$SCRATCH/miss"
fi

# The check must fail on a page that lacks one thing of each kind.
damaged() { # damaged NAME SED-SCRIPT WANT
	sed "$2" "$PAGE" >"$SCRATCH/bad.1"
	if verify "$SCRATCH/bad.1" >"$SCRATCH/miss"; then
		not_ok "$1 (passed)"
	elif grep -qF "$3" "$SCRATCH/miss"; then
		ok "$1"
	else
		not_ok "$1 (not named)"; sed 's/^/#   /' "$SCRATCH/miss"
	fi
}
damaged "caught: an option missing" '/^\.BI \\-\\-jobs " N"$/d' "option verify-export --jobs"
damaged "caught: a global option missing" '/^\.BI \\-\\-profile " NAME"$/d' "global option --profile"
damaged "caught: a key missing" 's/^\.BR q ", " F10$/.B q/' "keys of quit"
damaged "caught: a key's action help changed" 's/^Quit (quit)\.$/Leave (quit)./' "help of quit"
damaged "caught: an exit code missing" '/^\.SH EXIT STATUS/,/^\.SH/{/^\.B 3$/d}' "exit code 3"
damaged "caught: a command missing" '/^\.B ionhash$/d' "command ionhash"
