#!/bin/sh
# verify_export_attack.sh - `qldbtop verify-export` against exports made by
# an attacker (tests/gen/export_gen.c --attack): every hash the verifier
# recomputes is valid, but the export holds content no hash covers, or its
# files lead out of the folder. The soundness rule (DESIGN.md) says such an
# export is a failure or an input error, never a pass. So each attack, in
# Ion text and Ion binary, verified with --digest, plain and with --json:
#   - ends in an exit its row below allows (never 0, never a crash or a
#     hang: every run is under `timeout`);
#   - prints no line starting with VERIFIED, and --json has "ok":false and
#     never "digest":"VERIFIED";
#   - exit 1: a failure names the attacked block (the generator's seq), or,
#     when no block is wrong (seq -1), the key or file;
#   - exit 2: exactly one line on stderr, naming the key or file, and
#     nothing on stdout;
#   - exit 3 (only where the row allows it): UNVERIFIED, and a "not proven"
#     entry names the block.
# Then the contract's non-attack cases: clean exports exit 0 with the same
# --json for --jobs 1 and 2; a JSON export, and an export that stops before
# the digest's tip, exit 3 (UNVERIFIED); a failure there still exits 1.
. tests/lib/tap.sh
GEN=${QLDBTOP_TOOLS:-build/tools}/export_gen
if [ ! -x "$GEN" ]; then
	not_ok "export_gen tool not built (make tools)"
	exit 1
fi
N=200   # blocks: 4 objects of 50, the attacked block (107) in the third
PER=50

# NAME  EXITS  FORMATS (t: ion_text, b: ion_binary). EXITS lists the exit
# statuses the contract allows: 12 content or input; 2 an input error by
# the contract's own words (a key or file leaving the folder, a non-regular
# file, untrusted JSON read strictly); 123 only for downgrade-deleted, whose
# revision hash has no public formula (qldb-verification.md §2.3), so
# "not proven" naming the block is the honest answer there.
ATTACKS='
data-no-metadata      12  tb
second-data           12  tb
second-metadata       12  tb
data-and-datahash     12  tb
data-annotation       12  tb
extra-field-revision  12  tb
extra-field-block     12  tb
dup-block-field       12  tb
dup-blockhash         12  tb
revision-address      12  tb
txid                  12  tb
block-annotation      12  tb
dup-block             12  tb
stray-value           12  tb
json-manifest         12  tb
dotdot-key            2   tb
absolute-key          2   tb
symlink-out           2   tb
fifo-object           2   tb
truncate-at-boundary  12  tb
empty-object          12  tb
key-is-dir            2   tb
key-range             12  tb
extra-key             12  tb
manifest-self-key     2   tb
mixed-formats         12  tb
dup-manifest-field    12  tb
overlap-manifests     12  tb
started-id-mismatch   12  tb
block-strand          12  tb
redaction-info        12  tb
transaction-info      12  tb
downgrade-deleted     123 tb
symlink-dir           2   tb
symlink-started       2   tb
symlink-manifest      2   tb
digest-dup-key        2   t
digest-trailing       2   t
digest-nul            2   t
digest-tip-dup        2   t
'

# every attack the generator knows has a row here
missing=
for a in $("$GEN" --list-attacks); do
	echo "$ATTACKS" | grep -q "^$a " || missing="$missing $a"
done
[ -z "$missing" ] && ok "every generator attack has a row in this test" ||
	not_ok "attacks without a row:$missing"

# show FILE: its first 600 bytes as TAP comment lines
show() { { head -c 600 "$1"; echo; } | sed 's/^/#   /'; }

# judge MODE RC EXITS SEQ KEY: why the run in $SCRATCH/o, $SCRATCH/e breaks
# the contract (empty: it keeps it)
judge() {
	mode=$1 rc=$2 exits=$3 seq=$4 key=$5
	case $rc in
	[0-9]) case $exits in *$rc*) ;; *) echo "exit $rc, want one of $exits"; return ;; esac ;;
	*) echo "exit $rc (crash or timeout), want one of $exits"; return ;;
	esac
	grep -q '^VERIFIED' "$SCRATCH/o" && { echo "a line starts with VERIFIED"; return; }
	if [ "$mode" = json ] && [ -s "$SCRATCH/o" ]; then
		grep -q '"ok":false' "$SCRATCH/o" || { echo 'no "ok":false'; return; }
		grep -q '"digest":"VERIFIED"' "$SCRATCH/o" && { echo '"digest":"VERIFIED"'; return; }
	fi
	# the block as a whole number: "seq":S, "FAILED seq S ", "…:S" or "block S"
	blk="(\"seq\":$seq,|seq $seq |[: ]$seq([^0-9]|\$))"
	case $rc in
	1)
		[ "$mode" = json ] && ! grep -q '"ok":false' "$SCRATCH/o" && { echo "no --json output"; return; }
		if [ "$seq" -ge 0 ]; then
			if [ "$mode" = json ]; then
				grep -o '"failures":\[.*' "$SCRATCH/o" | grep -q "\"seq\":$seq," ||
					{ echo "no failure at block $seq"; return; }
			else
				grep -q "^FAILED seq $seq " "$SCRATCH/o" || { echo "no FAILED seq $seq line"; return; }
			fi
		else
			grep -F "$key" "$SCRATCH/o" | grep -q -e '^FAILED' -e '"failures"' ||
				{ echo "no failure names $key"; return; }
		fi ;;
	2)
		[ "$(wc -l <"$SCRATCH/e")" -eq 1 ] || { echo "stderr has $(wc -l <"$SCRATCH/e") lines, want 1"; return; }
		grep -qF "$key" "$SCRATCH/e" || { echo "stderr does not name $key"; return; }
		[ -s "$SCRATCH/o" ] && { echo "exit 2 with output on stdout"; return; } ;;
	3)
		if [ "$mode" = json ]; then
			grep -q '"status":"UNVERIFIED"' "$SCRATCH/o" || { echo "exit 3 without UNVERIFIED"; return; }
			grep -o '"unproven":\[[^]]*\]' "$SCRATCH/o" | grep -Eq "$blk" ||
				{ echo "exit 3, but no unproven entry names block $seq"; return; }
		else
			grep '^not proven:' "$SCRATCH/o" | grep -Eq "$blk" ||
				{ echo "exit 3, but no 'not proven' line names block $seq"; return; }
		fi ;;
	esac
}

# attack FORMAT NAME EXITS: generate, verify plain and --json, judge both
attack() {
	fmt=$1 name=$2 exits=$3 d=$SCRATCH/x
	rm -rf "$d"
	if ! line=$("$GEN" "$d" --blocks $N --per-object $PER --format "$fmt" --attack "$name" 2>&1); then
		not_ok "$fmt $name: the generator failed: $line"
		return
	fi
	seq=$(echo "$line" | sed -n 's/.* attack [^ ]* seq \(-*[0-9]*\) key .*/\1/p')
	key=${line##* key }
	limit=20
	[ "$name" = fifo-object ] && limit=10 # must end at once, not wait for a writer
	for mode in plain json; do
		flag=
		[ $mode = json ] && flag=--json
		timeout $limit "$QLDBTOP_BIN" verify-export "$d/export0" --digest "$d/DIGEST.json" \
			$flag >"$SCRATCH/o" 2>"$SCRATCH/e"
		rc=$?
		why=$(judge $mode $rc "$exits" "$seq" "$key")
		if [ -z "$why" ]; then
			ok "$fmt attack $name ($mode): exit $rc"
		else
			not_ok "$fmt attack $name ($mode): $why"
			show "$SCRATCH/o"
			head -n 3 "$SCRATCH/e" | cut -c1-600 | sed 's/^/#   /'
		fi
	done
}

echo "$ATTACKS" | while read -r name exits formats; do
	[ -n "$name" ] || continue
	case $formats in *t*) attack ion_text "$name" "$exits" ;; esac
	case $formats in *b*) attack ion_binary "$name" "$exits" ;; esac
done >"$SCRATCH/attacks.tap"
cat "$SCRATCH/attacks.tap"
TAP_FAILED=$((TAP_FAILED + $(grep -c '^not ok' "$SCRATCH/attacks.tap")))
# at least two runs for each row: an empty table proves nothing
rows=$(echo "$ATTACKS" | grep -c '[a-z]')
runs=$(grep -c '^ok\|^not ok' "$SCRATCH/attacks.tap")
[ "$rows" -ge 40 ] && [ "$runs" -ge $((rows * 2)) ] &&
	ok "$rows attacks, $runs runs" || not_ok "only $rows attacks, $runs runs"

# ---- the contract's non-attack cases --------------------------------------
# verify DIR ARGS...: run verify-export on DIR/export0 with DIR's digest
verify() {
	d=$1; shift
	timeout 20 "$QLDBTOP_BIN" verify-export "$d/export0" --digest "$d/DIGEST.json" "$@" \
		>"$SCRATCH/o" 2>"$SCRATCH/e"
}
for fmt in ion_text ion_binary; do
	d=$SCRATCH/clean_$fmt
	"$GEN" "$d" --blocks $N --per-object $PER --format $fmt >/dev/null
	verify "$d"
	rc=$?
	[ $rc -eq 0 ] && [ "$(tail -n 1 "$SCRATCH/o" | cut -c1-9)" = "VERIFIED:" ] &&
		ok "clean $fmt export: exit 0, VERIFIED" ||
		{ not_ok "clean $fmt export: exit $rc"; sed 's/^/#   /' "$SCRATCH/o" "$SCRATCH/e"; }
	verify "$d" --json --jobs 1 && cp "$SCRATCH/o" "$SCRATCH/j1"
	verify "$d" --json --jobs 2
	rc=$?
	[ $rc -eq 0 ] && cmp -s "$SCRATCH/j1" "$SCRATCH/o" && grep -q '"ok":true' "$SCRATCH/o" &&
		grep -q '"status":"VERIFIED"' "$SCRATCH/o" && grep -q '"digest":"VERIFIED"' "$SCRATCH/o" &&
		ok "clean $fmt export: exit 0, identical --json for --jobs 1 and 2, ok, VERIFIED" ||
		{ not_ok "clean $fmt export --json --jobs 1/2 (exit $rc)"; show "$SCRATCH/o"; }
done

# a JSON export: chain only, not proven (exit 3)
d=$SCRATCH/json
"$GEN" "$d" --blocks $N --per-object $PER --format json >/dev/null
verify "$d" --json
rc=$?
[ $rc -eq 3 ] && grep -q '"ok":false' "$SCRATCH/o" && grep -q '"status":"UNVERIFIED"' "$SCRATCH/o" &&
	! grep -q '"digest":"VERIFIED"' "$SCRATCH/o" &&
	ok "JSON export: exit 3, status UNVERIFIED, digest not VERIFIED" ||
	{ not_ok "JSON export: exit $rc"; show "$SCRATCH/o"; }

# an export that stops 5 blocks before the digest's tip (the digest is the
# real Merkle root over those blocks too): not proven (exit 3), and a
# failure in it still exits 1
d=$SCRATCH/short
"$GEN" "$d" --blocks $N --per-object $PER --digest-extra 5 >/dev/null
grep -q "sequenceNo:$((N + 4))}" "$d/DIGEST.json" &&
	ok "--digest-extra 5: the digest's tip is block $((N + 4))" ||
	not_ok "--digest-extra 5: the digest's tip is block $((N + 4))"
verify "$d" --json
rc=$?
[ $rc -eq 3 ] && grep -q '"ok":false' "$SCRATCH/o" && grep -q '"status":"UNVERIFIED"' "$SCRATCH/o" &&
	! grep -q '"digest":"VERIFIED"' "$SCRATCH/o" && ! grep -q '"unproven":\[\]' "$SCRATCH/o" &&
	ok "export short of the digest's tip: exit 3, UNVERIFIED, says what is unproven" ||
	{ not_ok "export short of the digest's tip: exit $rc"; show "$SCRATCH/o"; }
verify "$d"
rc=$?
[ $rc -eq 3 ] && ! grep -q '^VERIFIED' "$SCRATCH/o" && grep -q '^not proven:' "$SCRATCH/o" &&
	ok "export short of the digest's tip, plain: exit 3, a 'not proven' line" ||
	{ not_ok "export short of the digest's tip, plain: exit $rc"; sed 's/^/#   /' "$SCRATCH/o"; }
rm -rf "$d"
line=$("$GEN" "$d" --blocks $N --per-object $PER --digest-extra 5 --defect revision-data)
seq=${line##* seq }
verify "$d" --json
rc=$?
[ $rc -eq 1 ] && grep -q "\"seq\":$seq," "$SCRATCH/o" &&
	ok "short export with a changed revision: exit 1 (a failure outranks not proven)" ||
	{ not_ok "short export with a changed revision: exit $rc"; show "$SCRATCH/o"; }
[ "$TAP_FAILED" -eq 0 ]
