#!/bin/sh
# serve_durable.sh - the endpoint's journal is deterministic by seed and
# durable with --data-dir, checked from the outside with signed requests
# (curl --aws-sigv4) and `qldbtop verify-proof`:
#  - two starts with the same --seed publish the same digest at the same
#    tip, and the same blocks while the workload runs; another seed differs;
#  - a restart on the same --data-dir keeps the strand and continues the
#    journal, and the new digest's proof covers the old tip;
#  - crash test: under the live workload the endpoint is killed with SIGKILL
#    at random moments, 20 times; after each restart the block at every
#    tip a GetDigest acknowledged proves against that old digest (so blocks
#    0..tip are exactly what was acknowledged) and against the new one;
#  - a torn tail (a record cut short, or trailing zeros) is reported on
#    stderr and removed; a flipped byte in the middle of the log refuses
#    the start (exit 2, one line naming the file and the byte offset).
. tests/lib/tap.sh

if ! command -v curl >/dev/null; then
	not_ok "curl is installed"
	exit 1
fi
KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
LEDGER=financial-ledger
PIDS=
trap 'for p in $PIDS; do kill -9 "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

# start NAME ARGS...: serve on a free port; sets URL and PID; output in
# $SCRATCH/NAME.out and .err
start() {
	name=$1; shift
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &
	PID=$!
	PIDS="$PIDS $PID"
	i=0
	while ! grep -q '^endpoint: ' "$SCRATCH/$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 400 ] || ! kill -0 "$PID" 2>/dev/null; then
			URL=
			not_ok "serve $name starts within 20 s"
			sed 's/^/# /' "$SCRATCH/$name.err"
			return 1
		fi
		sleep 0.05
	done
	URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/$name.out")
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# settles PID OUT: wait up to 30 s until PID has exited or printed an endpoint
settles() {
	i=0
	while kill -0 "$1" 2>/dev/null && ! grep -q '^endpoint:' "$2" 2>/dev/null && [ $i -lt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

# qldb URL PATH BODY OUT: a signed POST; the body goes to OUT
qldb() {
	curl -s -f --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" \
		-H 'Content-Type: application/json' -d "$3" -o "$4" "$1/ledgers/$LEDGER/$2"
}
digest() { qldb "$1" digest '{}' "$2"; }
tip_of() { sed -n 's/.*sequenceNo:\([0-9]*\).*/\1/p' "$1"; }
strand_of() { sed -n 's/.*strandId:\\"\([A-Za-z0-9]*\)\\".*/\1/p' "$1"; }
digest_b64() { sed -n 's/.*"Digest":"\([^"]*\)".*/\1/p' "$1"; }
# block URL STRAND SEQ TIP OUT: GetBlock of SEQ with the proof to TIP
block() {
	qldb "$1" block "{\"BlockAddress\":{\"IonText\":\"{strandId:\\\"$2\\\",sequenceNo:$3}\"},\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"$2\\\",sequenceNo:$4}\"}}" "$5"
}
proves() { "$QLDBTOP_BIN" verify-proof "$1" --digest "$2" >"$SCRATCH/vp.out" 2>&1; }
tip_at_least() { digest "$1" "$SCRATCH/t.json" && [ "$(tip_of "$SCRATCH/t.json")" -ge "$2" ]; }

# ---- the same seed, the same journal --------------------------------------
start a --seed 7 --rate 0 && A=$URL && PA=$PID
start b --seed 7 --rate 0 && B=$URL && PB=$PID
start c --seed 8 --rate 0 && C=$URL && PC=$PID
digest "$A" "$SCRATCH/da.json"; digest "$B" "$SCRATCH/db.json"; digest "$C" "$SCRATCH/dc.json"
check "--seed 7 twice: the same digest and tip address" cmp -s "$SCRATCH/da.json" "$SCRATCH/db.json"
check "--seed 8: another digest and strand" \
	test "$(digest_b64 "$SCRATCH/da.json")" != "$(digest_b64 "$SCRATCH/dc.json")" -a \
	"$(strand_of "$SCRATCH/da.json")" != "$(strand_of "$SCRATCH/dc.json")"
stop "$PA"; stop "$PB"; stop "$PC"

start a --seed 7 --rate 40 && A=$URL && PA=$PID
start b --seed 7 --rate 40 && B=$URL && PB=$PID
# generous: under TSan on a shared machine 40 blocks/s is far slower (it
# returns as soon as both are there)
both_grew() { wait_for 90 tip_at_least "$A" 60 && wait_for 90 tip_at_least "$B" 60; }
check "the live workload grows both journals past block 60" both_grew
S=$(strand_of "$SCRATCH/t.json")
same=0
for seq in 22 35 47 60; do
	block "$A" "$S" $seq $seq "$SCRATCH/ba.json" && block "$B" "$S" $seq $seq "$SCRATCH/bb.json" &&
		cmp -s "$SCRATCH/ba.json" "$SCRATCH/bb.json" && same=$((same + 1))
done
check "live blocks 22, 35, 47, 60 (and their proofs) are identical under the same seed" test $same -eq 4
grep -q 'sequenceNo:60' "$SCRATCH/ba.json" && grep -q 'DELETE FROM Transfers' "$SCRATCH/ba.json" >/dev/null
voids=0
for seq in $(seq 22 60); do
	block "$A" "$S" "$seq" 60 "$SCRATCH/bv.json" && grep -q 'DELETE FROM Transfers' "$SCRATCH/bv.json" &&
		voids=$((voids + 1))
done
check "the workload deletes documents now and then (voided transfers)" test $voids -ge 3
# a redaction: its block names the revision; that revision now has a
# dataHash instead of data, and still proves against the digest
red_ok=0
for seq in $(seq 22 60); do
	block "$A" "$S" "$seq" 60 "$SCRATCH/br.json" || continue
	line=$(grep -o "EXEC redact_revision '{strandId:[^}]*sequenceNo:[0-9]*}', '[A-Za-z0-9]*', '[A-Za-z0-9]*'" "$SCRATCH/br.json" | head -n 1)
	[ -n "$line" ] || continue
	tseq=$(echo "$line" | sed 's/.*sequenceNo:\([0-9]*\).*/\1/')
	doc=$(echo "$line" | sed "s/.*, '\([A-Za-z0-9]*\)'\$/\1/")
	digest "$A" "$SCRATCH/dr.json"
	dtip=$(tip_of "$SCRATCH/dr.json")
	qldb "$A" revision "{\"BlockAddress\":{\"IonText\":\"{strandId:\\\"$S\\\",sequenceNo:$tseq}\"},\"DocumentId\":\"$doc\",\"DigestTipAddress\":{\"IonText\":\"{strandId:\\\"$S\\\",sequenceNo:$dtip}\"}}" "$SCRATCH/rr.json" &&
		grep -q 'dataHash:' "$SCRATCH/rr.json" && ! grep -q ',data:' "$SCRATCH/rr.json" &&
		proves "$SCRATCH/rr.json" "$SCRATCH/dr.json" && grep -q 'dataHash' "$SCRATCH/vp.out" &&
		red_ok=$((red_ok + 1))
done
check "redactions happen, and a redacted revision (dataHash, no data) still proves" test $red_ok -ge 2
stop "$PA"; stop "$PB"

# ---- restart on a data dir --------------------------------------------------
D=$SCRATCH/data
start r1 --data-dir "$D" --seed 5 --rate 50 && P=$PID
check "a durable endpoint grows past block 40" wait_for 90 tip_at_least "$URL" 40
digest "$URL" "$SCRATCH/old.json"
OLD_TIP=$(tip_of "$SCRATCH/old.json")
S=$(strand_of "$SCRATCH/old.json")
block "$URL" "$S" "$OLD_TIP" "$OLD_TIP" "$SCRATCH/oldblock.json"
# the control plane's state too: a created ledger with tags and an export
api() { # METHOD PATH BODY OUT
	curl -s -f -X "$1" --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" \
		-H 'Content-Type: application/json' ${3:+-d "$3"} -o "$4" "$URL$2"
}
api POST /ledgers '{"Name":"durable-two","PermissionsMode":"ALLOW_ALL","DeletionProtection":false,"Tags":{"team":"audit"}}' "$SCRATCH/cl.json"
api POST /ledgers/financial-ledger/journal-s3-exports '{"InclusiveStartTime":1767225600,"ExclusiveEndTime":1767225700,"RoleArn":"arn:aws:iam::123456789012:role/export","S3ExportConfiguration":{"Bucket":"exports-bucket","Prefix":"fl/","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}}' "$SCRATCH/ex.json"
EXPORT_ID=$(sed -n 's/.*"ExportId":"\([A-Za-z0-9]*\)".*/\1/p' "$SCRATCH/ex.json")
stop "$P"
start r2 --data-dir "$D" --seed 5 --rate 50 && P=$PID
api GET /ledgers/durable-two "" "$SCRATCH/dl.json"
# (curl mis-signs an encoded path: the Debian AWS CLI asks for the tags)
env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
	"$(debian_aws)" qldb list-tags-for-resource --output json --endpoint-url "$URL" \
	--resource-arn arn:aws:qldb:us-east-1:123456789012:ledger/durable-two \
	| tr -d ' \n' >"$SCRATCH/tags.json"
check "a ledger created before the restart is there after it, with its settings and tags" \
	sh -c 'grep -q "\"PermissionsMode\":\"ALLOW_ALL\"" "$1" && grep -q "\"DeletionProtection\":false" "$1" &&
		grep -q "\"team\":\"audit\"" "$2"' - "$SCRATCH/dl.json" "$SCRATCH/tags.json"
api GET "/ledgers/financial-ledger/journal-s3-exports/$EXPORT_ID" "" "$SCRATCH/dx.json"
check "an export created before the restart is described after it" \
	sh -c 'test -n "$1" && grep -q "\"Bucket\":\"exports-bucket\"" "$2"' - "$EXPORT_ID" "$SCRATCH/dx.json"
check "the restarted endpoint continues the journal" wait_for 90 tip_at_least "$URL" $((OLD_TIP + 10))
digest "$URL" "$SCRATCH/new.json"
NEW_TIP=$(tip_of "$SCRATCH/new.json")
check "the strand id survives the restart" test "$(strand_of "$SCRATCH/new.json")" = "$S"
block "$URL" "$S" "$OLD_TIP" "$NEW_TIP" "$SCRATCH/b.json"
check "the new digest's proof covers the old tip (verify-proof exit 0)" proves "$SCRATCH/b.json" "$SCRATCH/new.json"
block "$URL" "$S" "$OLD_TIP" "$OLD_TIP" "$SCRATCH/b2.json"
check "the old tip's block and proof are unchanged after the restart" cmp -s "$SCRATCH/b2.json" "$SCRATCH/oldblock.json"
stop "$P"

# ---- crash test: kill -9 at random moments -----------------------------------
K=$SCRATCH/crash
start k0 --data-dir "$K" --rate 200 && P=$PID
lost=0 unproven=0 restarts=0 acked=0
for i in $(seq 1 22); do
	# a random moment: 50..500 ms of writing since the last check
	sleep "0.$(printf '%03d' $(( ($(od -An -N2 -tu2 /dev/urandom) % 450) + 50 )))"
	digest "$URL" "$SCRATCH/ack.json" || { unproven=$((unproven + 1)); continue; }
	ACK=$(tip_of "$SCRATCH/ack.json")
	S=$(strand_of "$SCRATCH/ack.json")
	kill -9 "$P"; wait "$P" 2>/dev/null
	start "k$i" --data-dir "$K" --rate 200 || { lost=$((lost + 1)); break; }
	P=$PID
	restarts=$((restarts + 1))
	digest "$URL" "$SCRATCH/after.json" || { lost=$((lost + 1)); continue; }
	NOW=$(tip_of "$SCRATCH/after.json")
	[ "$NOW" -ge "$ACK" ] || { lost=$((lost + 1)); echo "# tip $NOW after acknowledging $ACK"; continue; }
	block "$URL" "$S" "$ACK" "$ACK" "$SCRATCH/ab.json" && proves "$SCRATCH/ab.json" "$SCRATCH/ack.json" ||
		{ lost=$((lost + 1)); echo "# block $ACK does not prove against the acknowledged digest"; sed 's/^/#   /' "$SCRATCH/vp.out"; continue; }
	block "$URL" "$S" "$ACK" "$NOW" "$SCRATCH/nb.json" && proves "$SCRATCH/nb.json" "$SCRATCH/after.json" ||
		{ lost=$((lost + 1)); echo "# block $ACK does not prove against the new digest"; continue; }
	acked=$ACK
done
torn=$(cat "$SCRATCH"/k*.err | grep -c 'torn tail')
echo "# $restarts restarts after SIGKILL; $torn found a torn tail; last acknowledged tip $acked"
check "20+ SIGKILLs under load: every acknowledged tip proves against its digest and the new one" \
	test "$restarts" -ge 20 -a "$lost" -eq 0 -a "$unproven" -eq 0
stop "$P"

# ---- damaged logs -------------------------------------------------------------
LOG=$K/ledger-$LEDGER.log
SIZE=$(stat -c %s "$LOG")
start t1 --data-dir "$K" --rate 0 && digest "$URL" "$SCRATCH/before.json" && stop "$PID"
printf 'QLDBTOP-garbage-cut-short' >>"$LOG"
start t2 --data-dir "$K" --rate 0 && P=$PID
check "a torn tail is reported on stderr at start" grep -q 'torn tail' "$SCRATCH/t2.err"
check "the torn tail is removed: the log is its old size again" test "$(stat -c %s "$LOG")" -eq "$SIZE"
digest "$URL" "$SCRATCH/t2.json"
check "after a torn tail the digest is the same as before" cmp -s "$SCRATCH/t2.json" "$SCRATCH/before.json"
stop "$P"
head -c 4096 /dev/zero >>"$LOG"
start t3 --data-dir "$K" --rate 0 && P=$PID
check "trailing zeros are a torn tail too, reported and removed" \
	sh -c 'grep -q "torn tail" "$1" && test "$(stat -c %s "$2")" -eq "$3"' - "$SCRATCH/t3.err" "$LOG" "$SIZE"
stop "$P"
# a flipped byte in the middle of the log: refused, file untouched
cp "$LOG" "$SCRATCH/log.bak"
MID=$((SIZE / 2))
printf '\377' | dd of="$LOG" bs=1 seek=$MID count=1 conv=notrunc 2>/dev/null
cp "$LOG" "$SCRATCH/log.flipped"
"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --data-dir "$K" --rate 0 >"$SCRATCH/t4.out" 2>"$SCRATCH/t4.err" &
P4=$!
PIDS="$PIDS $P4"
# it must exit (recovery reads the whole log first: seconds under ASan), and
# must never print an endpoint
settles "$P4" "$SCRATCH/t4.out"
if kill -0 "$P4" 2>/dev/null; then
	not_ok "a corrupted block in the middle refuses the start"
	kill -9 "$P4"
else
	wait "$P4"; rc=$?
	check "a corrupted block in the middle refuses the start: exit 2" test "$rc" -eq 2
	check "the refusal is one line naming the log and a byte offset" \
		sh -c 'test "$(wc -l <"$1")" -eq 1 && grep -q "ledger-financial-ledger.log" "$1" && grep -Eq "byte [0-9]+" "$1"' - "$SCRATCH/t4.err"
	check "nothing was served from the damaged log" sh -c '! grep -q "^endpoint:" "$1"' - "$SCRATCH/t4.out"
fi
check "the damaged log is left as it was (never truncated or rewritten)" cmp -s "$LOG" "$SCRATCH/log.flipped"

# a data dir that lost a file: never a silent fresh start over history
refuses() { # NAME DIR: serve exits 2 at once with one line naming what is missing
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --data-dir "$2" --rate 0 >"$SCRATCH/$1.out" 2>"$SCRATCH/$1.err" &
	p=$!
	PIDS="$PIDS $p"
	settles "$p" "$SCRATCH/$1.out"
	if kill -0 "$p" 2>/dev/null; then kill -9 "$p"; return 1; fi
	wait "$p"
	[ $? -eq 2 ] && [ "$(wc -l <"$SCRATCH/$1.err")" -eq 1 ] && ! grep -q '^endpoint:' "$SCRATCH/$1.out"
}
cp "$SCRATCH/log.bak" "$LOG"
mv "$K/ledgers.log" "$SCRATCH/ledgers.log.bak"
check "ledger logs without ledgers.log: refused (exit 2, one line)" refuses m1 "$K"
mv "$SCRATCH/ledgers.log.bak" "$K/ledgers.log"
mv "$LOG" "$SCRATCH/journal.bak"
check "ledgers.log listing a ledger whose log is missing: refused (exit 2, one line)" refuses m2 "$K"
mv "$SCRATCH/journal.bak" "$LOG"
start m3 --data-dir "$K" --rate 0 && digest "$URL" "$SCRATCH/m3.json"
check "with both files back, the same journal serves again" cmp -s "$SCRATCH/m3.json" "$SCRATCH/before.json"
stop "$PID"
exit 0
