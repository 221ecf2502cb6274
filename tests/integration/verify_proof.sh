#!/bin/sh
# verify_proof.sh - `qldbtop verify-proof` on the real AWS CLI vector
# (shared/vectors/qldb/aws-cli-examples): both outputs prove against
# get-digest; a single flipped bit in the digest, in any proof element, in
# blockHash or in a revision data value gives exit 1 naming the failed check;
# the KVS sample fails; bad input gives exit 2 and one line on stderr.
. tests/lib/tap.sh
V=$SHARED/vectors/qldb/aws-cli-examples
BLOCK=$V/get-block.output.json
REV=$V/get-revision.output.json
DIGEST=$V/get-digest.output.json

# flip_b64 STRING POS: flip the lowest bit of the base64 character at POS
# (1-based), i.e. one bit of the decoded bytes (POS must not be the last
# character before '=' padding).
flip_b64() {
	c=$(printf '%s' "$1" | cut -c"$2" | tr \
		'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/' \
		'BADCFEHGJILKNMPORQTSVUXWZYbadcfehgjilknmporqtsvuxwzy1032547698/+')
	head=
	[ "$2" -gt 1 ] && head=$(printf '%s' "$1" | cut -c1-$(($2 - 1)))
	printf '%s%s%s' "$head" "$c" "$(printf '%s' "$1" | cut -c$(($2 + 1))-)"
}
# tamper FILE OLD NEW OUT: copy FILE with the first OLD replaced by NEW
tamper() { sed "s|$2|$3|" "$1" >"$4"; }

# expect_fail NAME RESPONSE DIGEST CHECK: exit 1 and the output names CHECK
expect_fail() {
	"$QLDBTOP_BIN" verify-proof "$2" --digest "$3" >"$SCRATCH/out" 2>&1
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q "FAILED $4" "$SCRATCH/out" && ! grep -q '^VERIFIED' "$SCRATCH/out"; then
		ok "$1"
	else
		not_ok "$1 (exit $rc)"; sed 's/^/#   /' "$SCRATCH/out"
	fi
}
# expect_usage NAME ARGS...: exit 2, exactly one line on stderr, nothing on stdout
expect_usage() { expect_usage_of verify-proof "$@"; }

for r in "$BLOCK" "$REV"; do
	n=$(basename "$r" .output.json)
	"$QLDBTOP_BIN" verify-proof "$r" --digest "$DIGEST" >"$SCRATCH/out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && tail -n 1 "$SCRATCH/out" | grep -q '^VERIFIED' &&
		grep -q 'digest matches 6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=' "$SCRATCH/out"; then
		ok "$n proves against get-digest"
	else
		not_ok "$n proves against get-digest (exit $rc)"; sed 's/^/#   /' "$SCRATCH/out"
	fi
done
grep -q 'revision hash recomputed' "$SCRATCH/out" && ok "get-revision: revision hash recomputed" ||
	not_ok "get-revision: revision hash recomputed"

# digest: flip a bit at several positions
D=6m6BMXobbJKpMhahwVthAEsN6awgnHK62Qq5McGP1Gk=
for pos in 1 17 30 42; do
	tamper "$DIGEST" "$D" "$(flip_b64 "$D" $pos)" "$SCRATCH/digest.json"
	expect_fail "digest bit flip at char $pos fails the proof (block)" "$BLOCK" "$SCRATCH/digest.json" proof
	expect_fail "digest bit flip at char $pos fails the proof (revision)" "$REV" "$SCRATCH/digest.json" proof
done

# every proof element of both responses
for r in "$BLOCK" "$REV"; do
	n=$(basename "$r" .output.json)
	i=0
	proof=$(grep '"IonText": "\[' "$r" | grep -o '{{[^}]*}}' | tr -d '{}')
	for h in $proof; do
		i=$((i + 1))
		# only on the Proof line: the same hash may appear in the block
		sed "/\"IonText\": \"\[/ s|$h|$(flip_b64 "$h" 9)|" "$r" >"$SCRATCH/resp.json"
		expect_fail "$n: proof element $i bit flip fails" "$SCRATCH/resp.json" "$DIGEST" proof
	done
done

# blockHash of the block
BH=NoChM92yKRuJAb/jeLd1VnYn4DHiWIf071ACfic9uHc=
tamper "$BLOCK" "blockHash:{{$BH" "blockHash:{{$(flip_b64 "$BH" 20)" "$SCRATCH/bh.json"
expect_fail "blockHash bit flip fails the block self-check" "$SCRATCH/bh.json" "$DIGEST" block-hash

# a revision data value: "Everett" -> "Everetu" (0x74 ^ 0x01)
tamper "$BLOCK" 'City:\\"Everett\\"' 'City:\\"Everetu\\"' "$SCRATCH/data-b.json"
expect_fail "revision data bit flip fails (get-block)" "$SCRATCH/data-b.json" "$DIGEST" revision-hash
tamper "$REV" 'City:\\"Everett\\"' 'City:\\"Everetu\\"' "$SCRATCH/data-r.json"
expect_fail "revision data bit flip fails (get-revision)" "$SCRATCH/data-r.json" "$DIGEST" revision-hash
# metadata version 3 -> 2 (one bit)
tamper "$REV" 'version:3' 'version:2' "$SCRATCH/meta.json"
expect_fail "revision metadata bit flip fails" "$SCRATCH/meta.json" "$DIGEST" revision-hash

# a digest for a tip before the block cannot cover it
sed 's/sequenceNo:123/sequenceNo:99/' "$DIGEST" >"$SCRATCH/early.json"
expect_fail "digest tip before the block fails the address check" "$BLOCK" "$SCRATCH/early.json" address

# soundness: content no recomputed hash covers is a failure, never a pass
# data without metadata (the old verifier used the hash "as given")
sed 's|,metadata:{id:[^}]*}}"|}"|; s|City:\\"Everett\\"|City:\\"Seattle\\"|' "$REV" >"$SCRATCH/nometa.json"
grep -q 'metadata' "$SCRATCH/nometa.json" && not_ok "nometa fixture lost its metadata"
expect_fail "get-revision: changed data without metadata fails" "$SCRATCH/nometa.json" "$DIGEST" uncovered-content
# a second, changed data field after the real one (only the first is hashed)
sed 's|,metadata:{id:|,data:{City:\\"Seattle\\"},metadata:{id:|' "$REV" >"$SCRATCH/data2.json"
expect_fail "get-revision: a second data field fails" "$SCRATCH/data2.json" "$DIGEST" uncovered-content
sed 's|,metadata:{id:|,data:{City:\\"Seattle\\"},metadata:{id:|' "$BLOCK" >"$SCRATCH/data2b.json"
expect_fail "get-block: a second data field in a revision fails" "$SCRATCH/data2b.json" "$DIGEST" uncovered-content
# an unknown field in the block
sed 's|,transactionInfo:{|,approvedBy:\\"CFO\\",transactionInfo:{|' "$BLOCK" >"$SCRATCH/extra.json"
expect_fail "get-block: an unknown block field fails" "$SCRATCH/extra.json" "$DIGEST" uncovered-content
# a bare revision hash with its address (the KVS shape): the hash may be
# proven, the content it stands for is not: UNVERIFIED, exit 3
RH=mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg=
RP=$(grep -A1 '"Proof"' "$REV" | grep -o '"IonText": "[^"]*"')
printf '{"RevisionHash": "%s", "BlockAddress": {"IonText": "{strandId:\\"KmA3ZZca7vAIiJAK9S5Iwl\\",sequenceNo:100}"}, "Proof": {%s}}\n' \
	"$RH" "$RP" >"$SCRATCH/hashonly.json"
"$QLDBTOP_BIN" verify-proof "$SCRATCH/hashonly.json" --digest "$DIGEST" >"$SCRATCH/out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && tail -n 1 "$SCRATCH/out" | grep -q '^UNVERIFIED' && ! grep -q '^VERIFIED' "$SCRATCH/out"; then
	ok "a bare revision hash: exit 3, UNVERIFIED, nothing VERIFIED"
else
	not_ok "a bare revision hash: exit $rc"; sed 's/^/#   /' "$SCRATCH/out"
fi

# the KVS sample does not verify (shared/vectors/qldb/README.md)
K=$SHARED/vectors/qldb/kvs-nodejs/sampleLedgerInfo.json
expect_fail "KVS sampleLedgerInfo.json fails" "$K" "$K" proof

# bad input
expect_usage "no arguments" 
expect_usage "no --digest" "$BLOCK"
expect_usage "missing response file" "$SCRATCH/nope.json" --digest "$DIGEST"
echo 'not json' >"$SCRATCH/bad.json"
expect_usage "response not JSON" "$SCRATCH/bad.json" --digest "$DIGEST"
echo '{"Digest": "abc"}' >"$SCRATCH/shape.json"
expect_usage "digest of the wrong shape" "$BLOCK" --digest "$SCRATCH/shape.json"
sed 's|"IonText": "\[|"IonText": "{|' "$BLOCK" >"$SCRATCH/noproof.json"
expect_usage "proof not an Ion list" "$SCRATCH/noproof.json" --digest "$DIGEST"
echo '{"Block": {"IonText": "{blockAddress:"}, "Proof": {"IonText": "[]"}}' >"$SCRATCH/trunc.json"
expect_usage "block IonText not Ion" "$SCRATCH/trunc.json" --digest "$DIGEST"
mkdir "$SCRATCH/dir.json"
expect_usage "a directory for the response" "$SCRATCH/dir.json" --digest "$DIGEST"
expect_usage "unknown option" "$BLOCK" --digest "$DIGEST" --bogus
# untrusted JSON is read strictly: a second, changed "Block" key (a reader
# taking the last one sees another block), data after the value, \u0000
sed '$d' "$BLOCK" >"$SCRATCH/two.json"
printf ', "Block": {"IonText": "{}"}\n}\n' >>"$SCRATCH/two.json"
expect_usage "a second Block key" "$SCRATCH/two.json" --digest "$DIGEST"
grep -q 'Block' "$SCRATCH/e" && ok "the second-key error names the key" || not_ok "the second-key error names the key"
{ cat "$BLOCK"; echo '{}'; } >"$SCRATCH/trail.json"
expect_usage "data after the response" "$SCRATCH/trail.json" --digest "$DIGEST"
sed 's|"IonText": "{blockAddress|"IonText": "\\u0000{blockAddress|' "$BLOCK" >"$SCRATCH/nul.json"
expect_usage "NUL escape in the response" "$SCRATCH/nul.json" --digest "$DIGEST"
# the real digest first (plain cJSON takes it), a changed one second
sed "s|\"Digest\": \"$D\"|\"Digest\": \"$D\", \"Digest\": \"$(flip_b64 "$D" 5)\"|" "$DIGEST" >"$SCRATCH/dupd.json"
grep -q "$(flip_b64 "$D" 5)" "$SCRATCH/dupd.json" || not_ok "the fixture holds both digests"
expect_usage "a second, changed Digest key" "$BLOCK" --digest "$SCRATCH/dupd.json"
mkfifo "$SCRATCH/fifo.json"
if timeout 10 "$QLDBTOP_BIN" verify-proof "$SCRATCH/fifo.json" --digest "$DIGEST" >/dev/null 2>&1; then
	not_ok "a FIFO for the response"
else
	[ $? -eq 2 ] && ok "a FIFO for the response: exit 2 at once" || not_ok "a FIFO for the response (hung or wrong exit)"
fi
exit 0
