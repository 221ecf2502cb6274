#!/bin/sh
# ionhash_cli.sh - `qldbtop ionhash [FILE|-]` end to end: hex SHA-256 Ion
# Hashes of text, binary and stdin input against independent values (the
# worked examples of shared/docs/ion.md §1.3 and the oracle's table
# shared/vectors/ion-hash/derived/ion_hash_tests.sha256.tsv), system values
# skipped, and one-line errors with exit 2 on bad input, missing files and
# bad arguments.
. tests/lib/tap.sh

TSV="$SHARED/vectors/ion-hash/derived/ion_hash_tests.sha256.tsv"
LIST123=30a581772b5bad8853a950f592603fb8dde67168b21fee82b5bab4ac4985dfdc
STRUCT_A1=f5d2d95c18463b4e3b9e5cf7d8e167299e31627c82c15b5e0b822b83ddadc4eb
# tsv_hash FORM INPUT: the oracle's SHA-256 for that input
tsv_hash() { awk -F'\t' -v f="$1" -v i="$2" '$2 == f && $3 == i { print $4; exit }' "$TSV"; }
SYM_HELLO=$(tsv_hash text hello)
STR_HELLO=$(tsv_hash text '"hello"')
check "oracle table has the rows this test uses" test -n "$SYM_HELLO" -a -n "$STR_HELLO"

# run_ionhash ARGS...: stdout to $SCRATCH/out, stderr to $SCRATCH/err, status in $rc
run_ionhash() {
	"$QLDBTOP_BIN" ionhash "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
}
# one_line_error PATTERN: stderr is exactly one line matching PATTERN (ERE)
one_line_error() {
	[ "$(wc -l <"$SCRATCH/err")" -eq 1 ] && grep -Eq "$1" "$SCRATCH/err"
}

printf '[1,2,3]\n{a:1}\n"hello"\n' >"$SCRATCH/small.ion"
run_ionhash "$SCRATCH/small.ion"
printf '%s\n%s\n%s\n' "$LIST123" "$STRUCT_A1" "$STR_HELLO" >"$SCRATCH/want"
check "text file: one hash per value, exit 0" test "$rc" -eq 0
check "text file: hashes match ion.md and the oracle table" cmp -s "$SCRATCH/out" "$SCRATCH/want"
check "text file: nothing on stderr" test ! -s "$SCRATCH/err"

run_ionhash - <"$SCRATCH/small.ion"
check "stdin via '-': same hashes" cmp -s "$SCRATCH/out" "$SCRATCH/want"
run_ionhash <"$SCRATCH/small.ion"
check "stdin without FILE: same hashes" cmp -s "$SCRATCH/out" "$SCRATCH/want"

# [1,2,3] in Ion binary: IVM e0 01 00 ea, list b6 21 01 21 02 21 03
printf '\340\001\000\352\266\041\001\041\002\041\003' >"$SCRATCH/list.10n"
run_ionhash "$SCRATCH/list.10n"
check "binary file: [1,2,3] hash, exit 0" test "$rc" -eq 0 -a "$(cat "$SCRATCH/out")" = "$LIST123"
run_ionhash <"$SCRATCH/list.10n"
check "binary on stdin: [1,2,3] hash" test "$(cat "$SCRATCH/out")" = "$LIST123"

# system values (version marker, local symbol table) are not hashed
printf '$ion_1_0 $ion_symbol_table::{symbols:["hello"]} $10\n' >"$SCRATCH/lst.ion"
run_ionhash "$SCRATCH/lst.ion"
check "system values skipped; \$10 resolves to hello" \
	test "$rc" -eq 0 -a "$(cat "$SCRATCH/out")" = "$SYM_HELLO"

: >"$SCRATCH/empty.ion"
run_ionhash "$SCRATCH/empty.ion"
check "empty file: no output, exit 0" test "$rc" -eq 0 -a ! -s "$SCRATCH/out"

printf '[1,2,3]\n{a:1,\n  b:[1,2}\n' >"$SCRATCH/bad.ion"
run_ionhash "$SCRATCH/bad.ion"
check "bad text: exit 2" test "$rc" -eq 2
check "bad text: one line naming file:line:column" \
	one_line_error "^qldbtop: ionhash: $SCRATCH/bad.ion:[0-9]+:[0-9]+: "
check "bad text: values before the error are printed" \
	test "$(head -n 1 "$SCRATCH/out")" = "$LIST123"

run_ionhash - <"$SCRATCH/bad.ion"
check "bad text on stdin: exit 2, one line" test "$rc" -eq 2
check "bad text on stdin: names <stdin>:line:column" \
	one_line_error '^qldbtop: ionhash: <stdin>:[0-9]+:[0-9]+: '

# binary list whose length runs past the end of the input
printf '\340\001\000\352\266\041\001' >"$SCRATCH/trunc.10n"
run_ionhash "$SCRATCH/trunc.10n"
check "truncated binary: exit 2 with one line" test "$rc" -eq 2
check "truncated binary: names the byte offset" one_line_error "^qldbtop: ionhash: $SCRATCH/trunc.10n: byte [0-9]+: "

# a shared-table import without a catalog leaves $10 without text
printf '$ion_symbol_table::{imports:[{name:"x",version:1,max_id:1}]}\n$10\n' >"$SCRATCH/unknown.ion"
run_ionhash "$SCRATCH/unknown.ion"
check "symbol with unknown text: exit 2, one line" test "$rc" -eq 2 -a "$(wc -l <"$SCRATCH/err")" -eq 1

run_ionhash "$SCRATCH/does-not-exist.ion"
check "missing file: exit 2" test "$rc" -eq 2
check "missing file: one line naming it" one_line_error "does-not-exist.ion: No such file"

run_ionhash "$SCRATCH/small.ion" "$SCRATCH/small.ion"
check "two files: usage error, exit 2" test "$rc" -eq 2 -a "$(wc -l <"$SCRATCH/err")" -eq 1
run_ionhash --frobnicate
check "unknown option: usage error, exit 2" test "$rc" -eq 2 -a "$(wc -l <"$SCRATCH/err")" -eq 1
run_ionhash --help
check "--help: usage on stdout, exit 0" test "$rc" -eq 0
check "--help: mentions the synopsis" grep -q "qldbtop ionhash \[FILE|-\]" "$SCRATCH/out"

[ "$TAP_FAILED" -eq 0 ]
