#!/bin/sh
# readme_examples.sh - the README's examples are true. Every ```sh block of
# README.md must be preceded by a marker line:
#   <!-- test -->              the block is run here (sh, `qldbtop` on PATH
#                              is the program under test, `aws` the Debian
#                              AWS CLI); it must exit 0
#   <!-- test: skip REASON --> not run, for the stated reason; reported as
#                              a "# skip" comment, never counted as passed
# and a ``` block marked <!-- test: usage --> is the usage summary: every
# --option on a `qldbtop COMMAND` line (and its continuation lines) must be
# accepted by that command, i.e. appear in `qldbtop COMMAND --help`.
# An unmarked sh block fails, so a new example cannot go untested silently.
. tests/lib/tap.sh
README=${README:-README.md}

# blocks: "LINE<TAB>MARKER<TAB>LANG" for every fenced block, MARKER being
# the marker line before it ("-" when none; a tab run would collapse).
awk '
	/^```/ {
		if (inb) { inb = 0; next }
		inb = 1; lang = substr($0, 4)
		m = (prev ~ /^<!-- test/) ? prev : "-"
		printf "%d\t%s\t%s\n", NR, m, lang
		next
	}
	!inb { prev = $0 }' "$README" >"$SCRATCH/blocks"
# body LINE: the lines of the block opened at LINE
body() { awk -v s="$1" 'NR > s { if (/^```/) exit; print }' "$README"; }

mkdir -p "$SCRATCH/bin"
ln -s "$(cd "$(dirname "$QLDBTOP_BIN")" && pwd)/$(basename "$QLDBTOP_BIN")" "$SCRATCH/bin/qldbtop" # absolute: the link is elsewhere
AWS=$(debian_aws) && ln -s "$AWS" "$SCRATCH/bin/aws"

ran=0
while IFS='	' read -r line marker lang; do
	case $marker in
	'<!-- test -->')
		ran=$((ran + 1))
		body "$line" >"$SCRATCH/block$line.sh"
		if [ -z "$AWS" ] && grep -q '^aws ' "$SCRATCH/block$line.sh"; then
			not_ok "README line $line: the Debian AWS CLI 2.x is installed"
			continue
		fi
		# a fixed port of the README may be taken by a parallel run: the
		# one rewrite is 4580 -> a free port
		port=$(( 20000 + $$ % 20000 ))
		# the background job started by the block is stopped after it
		{ sed "s/:4580/:$port/g" "$SCRATCH/block$line.sh"
		  printf 'rc=$?\nkill $! 2>/dev/null\nwait $! 2>/dev/null\nexit $rc\n'; } >"$SCRATCH/run$line.sh"
		if (cd "$SCRATCH" && PATH="$SCRATCH/bin:$PATH" HOME="$SCRATCH" \
			AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
			timeout 60 sh "$SCRATCH/run$line.sh") >"$SCRATCH/out$line" 2>&1 </dev/null; then
			: 
			ok "README line $line: the example runs ($(head -1 "$SCRATCH/block$line.sh"))"
		else
			not_ok "README line $line: the example runs"
			sed 's/^/#   /' "$SCRATCH/out$line" | tail -15
		fi ;;
	'<!-- test: usage -->')
		ran=$((ran + 1))
		body "$line" | awk '
			/^qldbtop / { cmd = ($2 ~ /^[a-z]/ && $2 != "help") ? $2 : "dashboard"
				if ($2 ~ /^\[dashboard/) cmd = "dashboard" }
			/^qldbtop help/ { cmd = "" }
			/^global options/ { cmd = "dashboard" }
			cmd != "" { while (match($0, /--[a-z][a-z-]*/)) {
				print cmd, substr($0, RSTART, RLENGTH); $0 = substr($0, RSTART + RLENGTH) } }' |
			sort -u >"$SCRATCH/usage"
		n=$(wc -l <"$SCRATCH/usage")
		bad=0
		while read -r cmd opt; do
			"$QLDBTOP_BIN" "$cmd" --help 2>&1 | grep -qE -- "(^|[ ,[])$opt([ ,=]|$)" ||
				{ echo "#   qldbtop $cmd --help does not know $opt"; bad=1; }
		done <"$SCRATCH/usage"
		if [ "$n" -ge 20 ] && [ "$bad" -eq 0 ]; then
			ok "README line $line: every option of the usage summary is real ($n)"
		else
			not_ok "README line $line: every option of the usage summary is real ($n found)"
		fi ;;
	'<!-- test: skip '*)
		reason=${marker#'<!-- test: skip '}; reason=${reason%' -->'}
		echo "# skip README line $line: $reason" ;;
	*)
		case $lang in
		sh | bash | shell) not_ok "README line $line: a $lang block without a test marker" ;;
		esac ;;
	esac
done <"$SCRATCH/blocks"
check "some README examples were run ($ran)" test "$ran" -ge 2

# The checker fails on a false example and on an unmarked block.
[ "${1:-}" = --inner ] && exit 0
printf '<!-- test -->\n```sh\nqldbtop no-such-command\n```\n\n```sh\necho unmarked\n```\n' >"$SCRATCH/bad.md"
README="$SCRATCH/bad.md" QLDBTOP_BIN="$QLDBTOP_BIN" sh "$0" --inner >"$SCRATCH/bad.out" 2>&1
check "caught: a failing example" grep -q '^not ok - README line 2: the example runs' "$SCRATCH/bad.out"
check "caught: an unmarked sh block" grep -q '^not ok - README line 6: a sh block without' "$SCRATCH/bad.out"
