#!/bin/sh
# ion_roundtrip.sh - our Ion writers against our readers and Ion Hash: for
# every value, the text and binary forms read back to the same Ion Hash and
# re-write to the same bytes, and whole streams converted to text and to
# binary hash value for value like the input (`ion_tool roundtrip`). Inputs:
# the random corpus of tests/gen/ion_gen.c with EVERY form, including those
# the oracle cannot check (digit underscores, 0b ints, $0, long strings
# joined across comments, raw CR/CRLF in long strings and clobs, zero
# fractions, huge decimal exponents), and every good/ file of the ion-tests
# conformance data (text and binary).
#   QLDBTOP_TOOLS  where ion_gen / ion_tool are (default build/tools)
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
GOOD=$SHARED/vectors/ion-tests/iontestdata/good
# item1.10n imports a shared symbol table that only the catalog defines: its
# symbols have unknown text, so it cannot be hashed or written as text (the
# reader tests check that it reads, and that hashing it is an error).
SKIP="item1.10n"

if [ ! -x "$TOOLS/ion_gen" ] || [ ! -x "$TOOLS/ion_tool" ]; then
	not_ok "ion_gen and ion_tool are built in $TOOLS (make tools)"
	exit 1
fi

# roundtrip NAME FILE: one TAP line; the tool's line names the failing value
roundtrip() {
	if out=$("$TOOLS/ion_tool" roundtrip "$2" 2>&1); then
		ok "roundtrip $1"
	else
		not_ok "roundtrip $1"
		echo "$out" | head -n 3 | sed 's/^/# /'
	fi
}

for seed in 1 2; do
	"$TOOLS/ion_gen" --seed "$seed" --count 10000 "$SCRATCH/gen$seed.ion"
	roundtrip "generated corpus, all forms (seed $seed, 10000 values)" "$SCRATCH/gen$seed.ion"
done
"$TOOLS/ion_gen" --seed 3 --count 2000 --max-depth 60 "$SCRATCH/deep.ion"
roundtrip "generated corpus nested to depth 60 (seed 3)" "$SCRATCH/deep.ion"

files=$(find "$GOOD" -type f \( -name '*.ion' -o -name '*.10n' \) | sort)
check "ion-tests good/ files found" test -n "$files"
for f in $files; do
	rel=${f#"$GOOD"/}
	case " $SKIP " in
	*" $(basename "$f") "*)
		echo "# skipped good/$rel: needs the shared-table catalog"
		continue ;;
	esac
	roundtrip "good/$rel" "$f"
done
[ "$TAP_FAILED" -eq 0 ]
