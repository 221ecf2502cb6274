#!/bin/sh
# verify_memory.sh - the verifiers' memory stays bounded on hostile input:
# one huge top-level Ion value (a 60 MB list of small ints, under the 64 MiB
# value window but whose tree would far exceed the arena budget), given to
# `ionhash`, to `verify-export` as a data object (one job, and two such
# objects with --jobs 2), and, as a 16 MB Block.IonText, to `verify-proof`
# (its limit is 16 MiB a file). Each run must end by itself (exit 0 or 2;
# never a crash, never the OOM killer) with a peak RSS under the bound.
. tests/lib/tap.sh

# The bounds the lead states: per reader a 256 MiB arena budget
# (ION_MAX_ARENA_BYTES) plus a 64 MiB input window (ION_MAX_VALUE_BYTES),
# with room for the program and its buffers: 400 MB for one job, and twice
# that for `verify-export --jobs 2`.
RSS_MAX_ONE_KB=$((400 * 1000))
RSS_MAX_TWO_KB=$((800 * 1000))
BIG_MB=60    # MiB of Ion text in the huge list
PROOF_MB=16  # MiB of the get-block output for verify-proof (PROOF_FILE_MAX)

RSS=${QLDBTOP_TOOLS:-build/tools}/export_rss
if [ ! -x "$RSS" ]; then
	not_ok "export_rss tool not built (make tools)"
	exit 1
fi

# A 1 MiB chunk "0,1,...,9,0,..." (single digits: 2 bytes an int), and
# the list "[" chunk x BIG_MB "0]".
awk 'BEGIN { for (i = 0; i < 524288; i++) printf "%d,", i % 10 }' >"$SCRATCH/chunk"
{
	printf '['
	i=0
	while [ $i -lt $BIG_MB ]; do cat "$SCRATCH/chunk"; i=$((i + 1)); done
	printf '0]'
} >"$SCRATCH/big.ion"
size=$(wc -c <"$SCRATCH/big.ion")
[ "$size" -gt $((BIG_MB * 1048576)) ] && [ "$size" -lt $((64 * 1048576)) ] &&
	ok "a $size-byte Ion list (under the 64 MiB value window)" ||
	not_ok "the big list is $size bytes"

# measure NAME BOUND_KB COMMAND...: run under export_rss and a timeout;
# the exit must be 0 or 2 (2 with one line on stderr), the peak RSS under
# BOUND_KB.
measure() {
	name=$1 bound=$2; shift 2
	timeout 300 "$RSS" "$@" >"$SCRATCH/o" 2>"$SCRATCH/e"
	rc=$?
	kb=$(sed -n 's/^rss_kb=\([0-9]*\) .*/\1/p' "$SCRATCH/e" | tail -n 1)
	grep -v '^rss_kb=' "$SCRATCH/e" >"$SCRATCH/e2"
	lines=$(wc -l <"$SCRATCH/e2")
	if [ -z "$kb" ]; then
		not_ok "$name: no rss figure (exit $rc)"; sed 's/^/#   /' "$SCRATCH/e"
	elif [ -n "${QLDBTOP_SANITIZER:-}" ] &&
		{ [ "$rc" -eq 0 ] || { [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ]; }; }; then
		# a sanitizer's shadow memory and redzones are not the program's:
		# under one, only the exit is checked (the bound is checked in the
		# plain build, which make test runs)
		ok "$name: exit $rc under $QLDBTOP_SANITIZER (peak RSS $((kb / 1024)) MiB, not bounded)"
	elif { [ "$rc" -eq 0 ] || { [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ]; }; } &&
		[ "$kb" -lt "$bound" ]; then
		ok "$name: exit $rc, peak RSS $((kb / 1024)) MiB (bound $((bound / 1000)) MB)"
	else
		not_ok "$name: exit $rc, $lines stderr lines, peak RSS $((kb / 1024)) MiB (bound $((bound / 1000)) MB)"
		head -n 3 "$SCRATCH/e2" | cut -c1-300 | sed 's/^/#   /'
	fi
}

measure "ionhash of a $BIG_MB MiB list" $RSS_MAX_ONE_KB "$QLDBTOP_BIN" ionhash "$SCRATCH/big.ion"

# an export folder whose completed manifest lists the list as a data object
mkdir -p "$SCRATCH/one" "$SCRATCH/two"
cp "$SCRATCH/big.ion" "$SCRATCH/one/strand.0-0.ion"
printf '{keys:["strand.0-0.ion"]}\n' >"$SCRATCH/one/x.strand.completed.manifest"
measure "verify-export of a $BIG_MB MiB list object" $RSS_MAX_ONE_KB \
	"$QLDBTOP_BIN" verify-export "$SCRATCH/one" --jobs 1

mv "$SCRATCH/one/strand.0-0.ion" "$SCRATCH/two/strand.0-0.ion"
cp "$SCRATCH/two/strand.0-0.ion" "$SCRATCH/two/strand.1-1.ion"
printf '{keys:["strand.0-0.ion","strand.1-1.ion"]}\n' >"$SCRATCH/two/x.strand.completed.manifest"
measure "verify-export --jobs 2 of two $BIG_MB MiB list objects" $RSS_MAX_TWO_KB \
	"$QLDBTOP_BIN" verify-export "$SCRATCH/two" --jobs 2
rm -rf "$SCRATCH/two"

# a get-block output just under PROOF_FILE_MAX whose Block.IonText is a list
strand=ABCDEFGHIJKLMNOPQRSTUV
head='{"Block":{"IonText":"['
tail='0]"},"Proof":{"IonText":"[]"}}'
# the list body: "d," pairs from the big list, an even count of bytes
body=$((PROOF_MB * 1048576 - ${#head} - ${#tail} - 64))
body=$((body - body % 2))
{
	printf '%s' "$head"
	tail -c +2 "$SCRATCH/big.ion" | head -c $body
	printf '%s\n' "$tail"
} >"$SCRATCH/block.json"
rm -f "$SCRATCH/big.ion"
printf '{"Digest":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","DigestTipAddress":{"IonText":"{strandId:\\"%s\\",sequenceNo:0}"}}\n' \
	$strand >"$SCRATCH/digest.json"
size=$(wc -c <"$SCRATCH/block.json")
[ "$size" -gt $(((PROOF_MB - 1) * 1048576)) ] && [ "$size" -le $((PROOF_MB * 1048576)) ] &&
	ok "a $size-byte get-block output (at most $PROOF_MB MiB)" ||
	not_ok "the get-block output is $size bytes"
measure "verify-proof of a $PROOF_MB MiB Block.IonText list" $RSS_MAX_ONE_KB \
	"$QLDBTOP_BIN" verify-proof "$SCRATCH/block.json" --digest "$SCRATCH/digest.json"
[ "$TAP_FAILED" -eq 0 ]
