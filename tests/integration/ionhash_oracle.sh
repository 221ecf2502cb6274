#!/bin/sh
# ionhash_oracle.sh - cross-check of our Ion readers and Ion Hash against the
# reference oracle (shared/tools/ionhash-oracle: ion-js 5.2.1 + ion-hash-js
# 2.1.0, see shared/docs/ion.md §2.3). A seeded random corpus of >= 10,000
# values from tests/gen/ion_gen.c (--oracle-safe: without the forms where
# the oracle is known to be wrong, listed in ion_gen.c) is hashed by
# `qldbtop ionhash` and by `node ionhash.js`, as text and as the binary that
# ion_tool writes; every line must be equal. On a mismatch the first
# differing value is shown, with the smallest differing sub-value.
#
# The oracle is copied to a cache folder (shared/ is read-only in CI) and
# installed there with npm once; a failing npm or a missing node is a
# failed check, never a pass.
#   QLDBTOP_TOOLS       where ion_gen / ion_tool are (default build/tools)
#   QLDBTOP_ORACLE_DIR  the oracle cache (default build/oracle)
#   QLDBTOP_ION_SEED    generator seed (default 1), QLDBTOP_ION_COUNT (10000)
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
ORACLE=${QLDBTOP_ORACLE_DIR:-build/oracle}
SEED=${QLDBTOP_ION_SEED:-1}
COUNT=${QLDBTOP_ION_COUNT:-10000}
# the oracle's own worked example (shared/docs/ion.md §1.3)
LIST123=30a581772b5bad8853a950f592603fb8dde67168b21fee82b5bab4ac4985dfdc

if [ ! -x "$TOOLS/ion_gen" ] || [ ! -x "$TOOLS/ion_tool" ]; then
	not_ok "ion_gen and ion_tool are built in $TOOLS (make tools)"
	exit 1
fi

# install_oracle: copy + npm install unless the cache already holds both
# pinned packages for the same package.json.
install_oracle() {
	src="$SHARED/tools/ionhash-oracle"
	[ -f "$src/ionhash.js" ] || { echo "# no oracle at $src"; return 1; }
	command -v node >/dev/null 2>&1 || { echo "# node is not installed"; return 1; }
	if [ -d "$ORACLE/node_modules/ion-js" ] && [ -d "$ORACLE/node_modules/ion-hash-js" ] &&
		cmp -s "$src/package.json" "$ORACLE/package.json" &&
		cmp -s "$src/ionhash.js" "$ORACLE/ionhash.js"; then
		return 0
	fi
	mkdir -p "$ORACLE" || return 1
	# shared/ files are read-only: make the copies writable for the next update
	chmod -R u+w "$ORACLE" 2>/dev/null
	cp -r "$src/." "$ORACLE/" && chmod -R u+w "$ORACLE" || return 1
	command -v npm >/dev/null 2>&1 || { echo "# npm is not installed"; return 1; }
	(cd "$ORACLE" && npm install --no-audit --no-fund >npm.log 2>&1) || {
		echo "# npm install failed:"
		tail -n 20 "$ORACLE/npm.log" | sed 's/^/#   /'
		return 1
	}
}

if install_oracle; then
	ok "oracle installed in $ORACLE"
else
	not_ok "oracle installed in $ORACLE"
	exit 1
fi
check "oracle hashes [1,2,3] as in ion.md" \
	test "$(echo '[1,2,3]' | node "$ORACLE/ionhash.js")" = "$LIST123"

C=$SCRATCH/corpus
"$TOOLS/ion_gen" --seed "$SEED" --count "$COUNT" --oracle-safe --index "$C.idx" "$C.ion"
n=$(wc -l <"$C.idx")
check "generated $n values (seed $SEED, >= 10000)" test "$n" -ge 10000
check "ion_tool converts the corpus to binary" "$TOOLS/ion_tool" to-binary "$C.ion" "$C.10n"

# value_text I: the generated text of value I (0-based), shortened
value_text() {
	line=$(sed -n "$(($1 + 1))p" "$C.idx")
	start=${line% *}
	end=${line#* }
	tail -c +"$((start + 1))" "$C.ion" | head -c "$((end - start))" | head -c 400
	echo
}

# narrow I: the smallest sub-value of value I (as our writer prints it)
# whose hashes differ between us and the oracle
narrow() {
	"$TOOLS/ion_tool" to-text "$C.ion" "$SCRATCH/all.txt" 2>/dev/null || return
	sed -n "$(($1 + 1))p" "$SCRATCH/all.txt" >"$SCRATCH/one.ion"
	"$TOOLS/ion_tool" explode "$SCRATCH/one.ion" >"$SCRATCH/subs.ion" 2>/dev/null || return
	"$TOOLS/ion_tool" hash "$SCRATCH/subs.ion" >"$SCRATCH/subs.ours" 2>/dev/null
	node "$ORACLE/ionhash.js" "$SCRATCH/subs.ion" >"$SCRATCH/subs.oracle" 2>/dev/null
	paste -d ' ' "$SCRATCH/subs.ours" "$SCRATCH/subs.oracle" |
		awk '$1 != $2 { print NR }' | while read -r k; do
		s=$(sed -n "${k}p" "$SCRATCH/subs.ion")
		echo "${#s} $s"
	done | sort -n | head -n 1 | cut -d ' ' -f 2- | head -c 400
	echo
}

# compare FORM FILE: our hashes and the oracle's for FILE, line by line
compare() {
	form=$1
	file=$2
	"$QLDBTOP_BIN" ionhash "$file" >"$SCRATCH/ours.$form" 2>"$SCRATCH/ours.$form.err"
	ours_rc=$?
	node "$ORACLE/ionhash.js" "$file" >"$SCRATCH/oracle.$form" 2>"$SCRATCH/oracle.$form.err"
	oracle_rc=$?
	check "$form: qldbtop ionhash exits 0" test "$ours_rc" -eq 0
	[ "$ours_rc" -eq 0 ] || head -n 3 "$SCRATCH/ours.$form.err" | sed 's/^/# /'
	check "$form: oracle exits 0" test "$oracle_rc" -eq 0
	[ "$oracle_rc" -eq 0 ] || grep -m 3 ERROR "$SCRATCH/oracle.$form" | sed 's/^/# /'
	total=$(wc -l <"$SCRATCH/oracle.$form")
	first=$(paste -d ' ' "$SCRATCH/ours.$form" "$SCRATCH/oracle.$form" |
		awk '$1 != $2 { print NR - 1; exit }')
	same=$(paste -d ' ' "$SCRATCH/ours.$form" "$SCRATCH/oracle.$form" |
		awk '$1 == $2 && $1 != "" { n++ } END { print n + 0 }')
	if [ -z "$first" ] && [ "$same" -eq "$n" ] && [ "$total" -eq "$n" ]; then
		ok "$form: all $same of $n hashes equal the oracle's"
	else
		not_ok "$form: $same of $n hashes equal the oracle's (ours $(wc -l <"$SCRATCH/ours.$form") lines, oracle $total)"
		if [ -n "$first" ]; then
			echo "# first differing value: index $first (seed $SEED)"
			echo "#   ours:   $(sed -n "$((first + 1))p" "$SCRATCH/ours.$form")"
			echo "#   oracle: $(sed -n "$((first + 1))p" "$SCRATCH/oracle.$form")"
			echo "#   text:   $(value_text "$first" | tr '\n' ' ')"
			echo "#   smallest differing sub-value: $(narrow "$first" | tr '\n' ' ')"
		fi
	fi
}

compare text "$C.ion"
compare binary "$C.10n"
# text and binary must also agree with each other on our side
check "our text and binary hashes are equal" cmp -s "$SCRATCH/ours.text" "$SCRATCH/ours.binary"
[ "$TAP_FAILED" -eq 0 ]
