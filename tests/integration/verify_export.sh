#!/bin/sh
# verify_export.sh - `qldbtop verify-export` on exports written by the
# spec-based generator (tests/gen/export_gen.c, 10,000 blocks): clean
# ION_TEXT, ION_BINARY and JSON exports verify (JSON says chain-verified
# only); two exports with contiguous ranges verify as one chain; each single
# defect gives exit 1 and --json names the right block first; bad input
# gives exit 2 and one line; --jobs 1 and --jobs 2 print identical --json.
. tests/lib/tap.sh
GEN=${QLDBTOP_TOOLS:-build/tools}/export_gen
if [ ! -x "$GEN" ]; then
	not_ok "export_gen tool not built (make tools)"
	exit 1
fi
N=10000

# gen DIR ARGS...: generate; prints the generator's summary line
gen() { d=$1; shift; rm -rf "$d"; "$GEN" "$d" --blocks $N "$@"; }

for fmt in ion_text ion_binary json; do
	gen "$SCRATCH/$fmt" --format $fmt >/dev/null
	"$QLDBTOP_BIN" verify-export "$SCRATCH/$fmt/export0" --digest "$SCRATCH/$fmt/DIGEST.json" \
		>"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	if [ $fmt = json ]; then
		# chain only: the hashes match, but JSON loses Ion types (exit 3)
		if [ "$rc" -eq 3 ] && [ ! -s "$SCRATCH/err" ] && ! grep -qw VERIFIED "$SCRATCH/out" &&
			[ "$(tail -n 1 "$SCRATCH/out" | cut -c1-11)" = "UNVERIFIED:" ]; then
			ok "clean json export of $N blocks: exit 3, UNVERIFIED, nothing VERIFIED"
		else
			not_ok "clean json export: exit $rc"; sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err"
		fi
	elif [ "$rc" -eq 0 ] && [ ! -s "$SCRATCH/err" ] && grep -q "^digest: VERIFIED" "$SCRATCH/out" &&
		[ "$(tail -n 1 "$SCRATCH/out" | cut -c1-9)" = "VERIFIED:" ]; then
		ok "clean $fmt export of $N blocks verifies with its digest"
	else
		not_ok "clean $fmt export verifies (exit $rc)"; sed 's/^/#   /' "$SCRATCH/out" "$SCRATCH/err"
	fi
done
grep -q "chain-verified only: JSON loses Ion types" "$SCRATCH/out" &&
	ok "JSON export verdict says chain-verified only" ||
	not_ok "JSON export verdict says chain-verified only"
"$QLDBTOP_BIN" verify-export "$SCRATCH/json/export0" --digest "$SCRATCH/json/DIGEST.json" --json \
	>"$SCRATCH/j" 2>&1
[ $? -eq 3 ] && grep -q '"ok":false' "$SCRATCH/j" && grep -q '"status":"UNVERIFIED"' "$SCRATCH/j" &&
	! grep -q '"digest":"VERIFIED"' "$SCRATCH/j" && grep -q '"unproven":\["JSON: ' "$SCRATCH/j" &&
	ok "JSON export --json: exit 3, status UNVERIFIED, digest not VERIFIED, unproven names JSON" ||
	{ not_ok "JSON export --json"; sed 's/^/#   /' "$SCRATCH/j"; }
"$QLDBTOP_BIN" verify-export "$SCRATCH/ion_text/export0" --digest "$SCRATCH/ion_text/DIGEST.json" \
	--json >"$SCRATCH/j" 2>&1
[ $? -eq 0 ] && grep -q '"ok":true' "$SCRATCH/j" && grep -q '"status":"VERIFIED"' "$SCRATCH/j" &&
	grep -q '"digest":"VERIFIED"' "$SCRATCH/j" && grep -q '"unproven":\[\]' "$SCRATCH/j" &&
	grep -q '"blocks":10000' "$SCRATCH/j" &&
	ok "--json with --digest: exit 0, ok, status VERIFIED, 10000 blocks, nothing unproven" ||
	{ not_ok "--json fields with --digest"; sed 's/^/#   /' "$SCRATCH/j"; }
# without a digest nothing ties the export to the ledger: not proven
"$QLDBTOP_BIN" verify-export "$SCRATCH/ion_text/export0" --json >"$SCRATCH/j" 2>&1
[ $? -eq 3 ] && grep -q '"ok":false' "$SCRATCH/j" && grep -q '"status":"UNVERIFIED"' "$SCRATCH/j" &&
	grep -q '"digestChecked":false' "$SCRATCH/j" && grep -q '"digest":"NONE"' "$SCRATCH/j" &&
	ok "--json without --digest: exit 3, status UNVERIFIED, digest NONE" ||
	{ not_ok "--json fields without --digest"; sed 's/^/#   /' "$SCRATCH/j"; }

# --jobs 1 and --jobs 2 give identical output (also with failures)
gen "$SCRATCH/many" --format ion_text --per-object 300 --defect swap >/dev/null
for j in 1 2; do
	"$QLDBTOP_BIN" verify-export "$SCRATCH/many/export0" --digest "$SCRATCH/many/DIGEST.json" \
		--json --jobs $j >"$SCRATCH/jobs$j" 2>&1
done
cmp -s "$SCRATCH/jobs1" "$SCRATCH/jobs2" && grep -q '"ok":false' "$SCRATCH/jobs1" &&
	ok "--jobs 1 and --jobs 2 give identical --json" || not_ok "--jobs 1 and --jobs 2 give identical --json"

# two exports with contiguous ranges verify as one chain
gen "$SCRATCH/two" --format ion_text --exports 2 >/dev/null
"$QLDBTOP_BIN" verify-export "$SCRATCH/two/export0" "$SCRATCH/two/export1" \
	--digest "$SCRATCH/two/DIGEST.json" >"$SCRATCH/out" 2>&1
[ $? -eq 0 ] && grep -q "^digest: VERIFIED" "$SCRATCH/out" &&
	ok "two contiguous exports verify as one chain" ||
	{ not_ok "two contiguous exports verify as one chain"; sed 's/^/#   /' "$SCRATCH/out"; }
"$QLDBTOP_BIN" verify-export "$SCRATCH/two/export1" --digest "$SCRATCH/two/DIGEST.json" >"$SCRATCH/out" 2>&1
[ $? -eq 3 ] && grep -q "^digest: UNVERIFIED (the export starts at block" "$SCRATCH/out" &&
	ok "an export not starting at block 0: exit 3, says why the digest is unchecked" ||
	{ not_ok "digest unchecked reason"; sed 's/^/#   /' "$SCRATCH/out"; }

# each single defect: exit 1, and the first failure names the right block
for fmt in ion_text ion_binary; do
	for d in revision-data metadata blockhash-flip prev-hash drop-entry drop-block swap \
		truncate digest-flip manifest-key; do
		[ $fmt = ion_binary ] && case $d in revision-data | truncate | swap) ;; *) continue ;; esac
		line=$(gen "$SCRATCH/d" --format $fmt --defect $d)
		seq=${line##* seq }
		"$QLDBTOP_BIN" verify-export "$SCRATCH/d/export0" --digest "$SCRATCH/d/DIGEST.json" \
			--json >"$SCRATCH/j" 2>"$SCRATCH/err"
		rc=$?
		first=$(grep -o '"failures":\[{"seq":[0-9-]*' "$SCRATCH/j" | grep -o '[0-9-]*$')
		if [ "$rc" -eq 1 ] && [ "$first" = "$seq" ] && grep -q '"ok":false' "$SCRATCH/j"; then
			ok "$fmt defect $d: exit 1, first failure at block $seq"
		else
			not_ok "$fmt defect $d: exit $rc, first failure '$first', want $seq"
			head -c 2000 "$SCRATCH/j" | sed 's/^/#   /'; sed 's/^/#   /' "$SCRATCH/err"
		fi
	done
done
# a failed export never reads as verified in the plain output, even where
# the published block hashes do match the digest
gen "$SCRATCH/d" --format ion_text --defect revision-data >/dev/null
"$QLDBTOP_BIN" verify-export "$SCRATCH/d/export0" --digest "$SCRATCH/d/DIGEST.json" \
	>"$SCRATCH/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && ! grep -qw "VERIFIED" "$SCRATCH/out" &&
	grep -q "^digest: matches the published block hashes.*NOT proven" "$SCRATCH/out"; then
	ok "changed revision data: nothing printed as VERIFIED"
else
	not_ok "changed revision data: exit $rc, plain output claims VERIFIED"
	sed 's/^/#   /' "$SCRATCH/out"
fi
# JSON export: a structural defect is still found
gen "$SCRATCH/dj" --format json --defect blockhash-flip >"$SCRATCH/line"
seq=$(sed 's/.* seq //' "$SCRATCH/line")
"$QLDBTOP_BIN" verify-export "$SCRATCH/dj/export0" --json >"$SCRATCH/j" 2>&1
[ $? -eq 1 ] && grep -q "\"failures\":\[{\"seq\":$seq," "$SCRATCH/j" &&
	ok "json defect blockhash-flip: exit 1 at block $seq" || not_ok "json defect blockhash-flip"

# bad input: exit 2, one line on stderr naming the file, nothing on stdout
expect_usage() { expect_usage_of verify-export "$@"; }
E=$SCRATCH/ion_text/export0
OBJ=$(ls "$E"/journalExport/2019/04/15/22/*.ion | head -n 1)
mkdir -p "$SCRATCH/empty"
expect_usage "empty folder" "$SCRATCH/empty"
cp -r "$E" "$SCRATCH/nomanifest"; rm "$SCRATCH"/nomanifest/journalExport/*.completed.manifest
expect_usage "missing manifest" "$SCRATCH/nomanifest"
cp -r "$E" "$SCRATCH/nonion"
N1=$(ls "$SCRATCH"/nonion/journalExport/2019/04/15/22/*.ion | head -n 1)
printf '\001\002 this is { not Ion "\n' >"$N1"
expect_usage "non-Ion data object" "$SCRATCH/nonion"
grep -q "$(basename "$N1")" "$SCRATCH/e" && ok "non-Ion error names the file" || not_ok "non-Ion error names the file"
cp -r "$E" "$SCRATCH/unread"
U=$(ls "$SCRATCH"/unread/journalExport/2019/04/15/22/*.ion | head -n 1)
rm "$U"; mkdir "$U" # a directory where a file is expected (CI runs as root: no chmod 000)
expect_usage "unreadable data object (a directory)" "$SCRATCH/unread"
rmdir "$U"; ln -s "$SCRATCH/does-not-exist" "$U"
expect_usage "unreadable data object (dangling symlink)" "$SCRATCH/unread"
echo '{"Digest": "6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk="}' >"$SCRATCH/wrong.json"
expect_usage "digest file of the wrong shape" "$E" --digest "$SCRATCH/wrong.json"
expect_usage "digest file missing" "$E" --digest "$SCRATCH/nope.json"
expect_usage "folder missing" "$SCRATCH/nope"
expect_usage "no folder" --json
expect_usage "bad --jobs" "$E" --jobs 0
printf '{keys:[1,2]}' >"$SCRATCH/nomanifest/journalExport/x.y.completed.manifest"
expect_usage "manifest keys not strings" "$SCRATCH/nomanifest"
[ -s "$OBJ" ] || not_ok "sample object exists"
exit 0
