#!/bin/sh
# api_jobs.sh - the dashboard's on-demand jobs (api/jobs.h) against
# `qldbtop serve --recipe`, through tests/gen/job_run.c (one job, waited
# for, printed as JSON lines): an export starts and becomes COMPLETED, one
# "like the newest" starts too; verifying it is VERIFIED, as are the digest
# proof and a block's detail; a stream starts and cancels (its status
# changes); wrong ids fail with one line; under tamper-block 5 the tip's
# proof is still VERIFIED but block 5 and the export verify FAILED; and
# jobs_stop during a slow verify returns promptly. On a live ledger
# (--rate 5) the export ends before the digest's tip: VERIFIED by the tip
# proof of its last block; a GetBlock that cannot be read is UNVERIFIED
# with why; tamper-block 5 is still FAILED; after a fork the ledger's last
# block differs from the export's: FAILED, expected vs computed. No output
# holds the secret key.
. tests/lib/tap.sh

TOOL=${QLDBTOP_TOOLS:-$PWD/build/tools}/job_run
SECRET=qldbtop-demo-secret-key-not-for-production
export AWS_ACCESS_KEY_ID=AKIDQLDBTOPDEMO00001 AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1 \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
L=financial-ledger
BUCKET=financial-ledger-exports-123456789012
ROLE=arn:aws:iam::123456789012:role/qldb-acid-export-role
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

start() { # NAME ARGS...
	sname=$1; shift
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate "${RATE:-0}" --recipe --export-seconds 1 "$@" \
		>"$SCRATCH/$sname.out" 2>"$SCRATCH/$sname.err" &
	PIDS="$PIDS $!"
	i=0
	while ! grep -q "^endpoint: " "$SCRATCH/$sname.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && return 1; sleep 0.05
	done
	URL=$(sed -n "s/^endpoint: //p" "$SCRATCH/$sname.out")
}
# job OUT KIND ARGS...: run one job into $SCRATCH/OUT; its exit in $rc
job() {
	out=$1; shift
	timeout 60 "$TOOL" --endpoint-url "$URL" "$@" >"$SCRATCH/$out" 2>"$SCRATCH/$out.err"
	rc=$?
	sed 's/^/# /' "$SCRATCH/$out" | head -40
}
field() { head -1 "$SCRATCH/$1" | sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
status_is() { # KIND ID WANT
	s=$("$TOOL" --endpoint-url "$URL" "$1" "$L" "$2" 2>/dev/null)
	[ "$s" = "$3" ]
}

check "serve --recipe starts" start plain

job exp1 export-start "$L" --bucket "$BUCKET" --prefix jobs/ --role "$ROLE"
ID1=$(field exp1 target | sed 's/^export //')
check "export-start: DONE (exit 0) with \"export <id> started\"" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^{.*\"state\":\"DONE\".*\"message\":\"export [A-Za-z0-9]\{22\} started\"" "$2"' - "$rc" "$SCRATCH/exp1"
check "the export appears COMPLETED (DescribeJournalS3Export) within 10 s" \
	wait_for 10 status_is export-status "$ID1" COMPLETED
job exp2 export-start "$L"
ID2=$(field exp2 target | sed 's/^export //')
check "export-start without parameters copies the newest export (another id, its bucket)" \
	sh -c '[ "$1" -eq 0 ] && [ -n "$2" ] && [ "$2" != "$3" ] && grep -q "bucket $4, prefix jobs/" "$5"' - "$rc" "$ID2" "$ID1" "$BUCKET" "$SCRATCH/exp2"

job ver verify-export "$L" --id "$ID1"
check "verify-export of the completed export: VERIFIED (verdict 1), progress done = total > 0" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = 1 ] && [ "$3" -gt 0 ] && [ "$3" = "$4" ] && grep -q "\"message\":\"VERIFIED" "$5"' - \
	"$rc" "$(field ver verdict)" "$(field ver done)" "$(field ver total)" "$SCRATCH/ver"
check "verify-export lists the objects and blocks it checked" \
	sh -c 'grep -q "1 data objects from 1 manifest, blocks 0-" "$1" && grep -q "blocks read [1-9]" "$1"' - "$SCRATCH/ver"

job dig digest-proof "$L"
check "digest-proof: VERIFIED, with leaf, siblings and the computed root equal to the digest" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = 1 ] && grep -q "leaf (block hash)" "$3" && grep -q "sibling 1 " "$3" && grep -q "\"role\":\"good\",\"text\":\"computed root \(.*\) = digest \1\"" "$3"' - \
	"$rc" "$(field dig verdict)" "$SCRATCH/dig"

job blk block-detail "$L" --seq 5
check "block-detail 5: VERIFIED, with its fields, revision hash checks and the proof" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = 1 ] && grep -q "address .*:5\"" "$3" && grep -q "transaction " "$3" && grep -q "ok revision-hash" "$3" && grep -q "computed root" "$3"' - \
	"$rc" "$(field blk verdict)" "$SCRATCH/blk"

job sst stream-start "$L"
SID=$(field sst target | sed 's/^stream //')
check "stream-start (like the recipe's stream): DONE, the new stream ACTIVE" \
	sh -c '[ "$1" -eq 0 ] && "$2" --endpoint-url "$3" stream-status "$4" "$5" | grep -qx ACTIVE' - \
	"$rc" "$TOOL" "$URL" "$L" "$SID"
job scn stream-cancel "$L" --id "$SID"
check "stream-cancel: DONE, the stream CANCELED" \
	sh -c '[ "$1" -eq 0 ] && "$2" --endpoint-url "$3" stream-status "$4" "$5" | grep -qx CANCELED' - \
	"$rc" "$TOOL" "$URL" "$L" "$SID"

# wrong ids and values: FAILED, one line, no crash
for args in "verify-export $L --id AAAAAAAAAAAAAAAAAAAAAA" "verify-export $L --id nope" \
	"stream-cancel $L --id AAAAAAAAAAAAAAAAAAAAAA" "block-detail $L --seq 999999" \
	"digest-proof no-such-ledger" "verify-export $L --id $SID"; do
	# shellcheck disable=SC2086
	job bad $args
	check "$args: FAILED (exit 1) with a one-line message" \
		sh -c '[ "$1" -eq 1 ] && grep -q "^{.*\"state\":\"FAILED\".*\"message\":\"[^\"]\{8,\}\"" "$2"' - "$rc" "$SCRATCH/bad"
done

# (serve's own output prints the demo pair: only the jobs' output counts)
check "no job output holds the secret key" sh -c '! grep -q "$1" "$2"/exp1 "$2"/exp2 "$2"/ver "$2"/dig "$2"/blk "$2"/sst "$2"/scn "$2"/bad*' - "$SECRET" "$SCRATCH"

# tamper-block 5: the export holds the changed bytes
printf 'at 0s tamper-block financial-ledger 5\n' >"$SCRATCH/tamper.scn"
check "serve --scenario tamper-block starts" start tamper --scenario "$SCRATCH/tamper.scn"
tampered5() { "$TOOL" --endpoint-url "$URL" block-detail "$L" --seq 5 2>/dev/null | head -1 | grep -q '"verdict":-1'; }
check "tampered: block-detail 5 turns FAILED within 5 s (the event is in effect)" wait_for 5 tampered5
job tblk block-detail "$L" --seq 5
check "tampered: block-detail 5 is FAILED (verdict -1) with a bad line naming the block, expected vs computed" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = -1 ] && grep -q "\"role\":\"bad\",\"text\":\"FAILED [a-z-]*: .*:5.*[A-Za-z0-9+/]\{43\}=.*[A-Za-z0-9+/]\{43\}=" "$3"' - "$rc" "$(field tblk verdict)" "$SCRATCH/tblk"
check "tampered: block 5's proof to the digest still holds (only its content changed)" \
	grep -q '"message":"block .*:5 FAILED (self-check FAILED, proof to the digest VERIFIED)"' "$SCRATCH/tblk"
job tdig digest-proof "$L"
check "tampered: the tip's digest proof is still VERIFIED" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = 1 ]' - "$rc" "$(field tdig verdict)"
job texp export-start "$L" --bucket "$BUCKET" --prefix t/ --role "$ROLE"
TID=$(field texp target | sed 's/^export //')
check "tampered: the export is COMPLETED" wait_for 10 status_is export-status "$TID" COMPLETED
job tver verify-export "$L" --id "$TID"
check "tampered: verify-export is FAILED (verdict -1), first failure at block 5" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = -1 ] && grep -q "\"message\":\"FAILED: .*first: seq 5)" "$3"' - "$rc" "$(field tver verdict)" "$SCRATCH/tver"
check "tampered: verify-export's failure line names block 5, expected and computed" \
	grep -q '"role":"bad","text":"FAILED [a-z-]*: block [A-Za-z0-9]*:5 .*expected [A-Za-z0-9+/]\{43\}= computed [A-Za-z0-9+/]\{43\}=' "$SCRATCH/tver"

# A live ledger (--rate 5: blocks keep coming): the export ends before
# the digest's tip, and its last block is proven into the digest by
# GetBlock with the digest's tip (api/job_verify.c, the tip proof).
# export_end OUT: the export's last block, from its "blocks 0-N" line
export_end() { sed -n 's/.*data objects from .*, blocks [0-9]*-\([0-9]*\)".*/\1/p' "$SCRATCH/$1"; }
RATE=5
check "serve --rate 5 starts" start live
job lexp export-start "$L" --bucket "$BUCKET" --prefix live/ --role "$ROLE"
LID=$(field lexp target | sed 's/^export //')
check "live: the export is COMPLETED" wait_for 10 status_is export-status "$LID" COMPLETED
job lver verify-export "$L" --id "$LID"
N=$(export_end lver)
M=$(sed -n 's/.*"text":"digest: VERIFIED: export ends at block [0-9]*; block [0-9]* proven into the digest at tip \([0-9]*\) by a [1-9][0-9]*-hash proof".*/\1/p' "$SCRATCH/lver")
check "live: verify-export is VERIFIED (verdict 1) by the tip proof of its last block $N into the digest at tip $M" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = 1 ] && [ -n "$3" ] && [ -n "$4" ] && [ "$4" -gt "$3" ] &&
		grep -q "\"text\":\"digest: VERIFIED: export ends at block $3; block $3 proven into the digest at tip $4 by a [1-9][0-9]*-hash proof\"" "$5" &&
		grep -q "\"message\":\"VERIFIED: export intact; its last block $3 proven into the digest at tip $4\"" "$5"' - \
	"$rc" "$(field lver verdict)" "$N" "$M" "$SCRATCH/lver"
check "live: the tip proof asked for block $N and folded to the digest" \
	sh -c 'grep -q "\"role\":\"title\",\"text\":\"block [A-Za-z0-9]*:$1\"" "$2" && grep -q "\"role\":\"good\",\"text\":\"computed root \(.*\) = digest \1\"" "$2"' - "$N" "$SCRATCH/lver"

# a GetBlock that cannot be read leaves the export UNVERIFIED, with why
printf 'at 0s malformed qldb:GetBlock 1\n' >"$SCRATCH/malblock.scn"
check "serve --rate 5 --scenario malformed qldb:GetBlock starts" start malblock --scenario "$SCRATCH/malblock.scn"
job mexp export-start "$L" --bucket "$BUCKET" --prefix live/ --role "$ROLE"
MID=$(field mexp target | sed 's/^export //')
check "malformed GetBlock: the export is COMPLETED" wait_for 10 status_is export-status "$MID" COMPLETED
job mver verify-export "$L" --id "$MID"
check "malformed GetBlock: verify-export is UNVERIFIED (verdict 0) saying the last block's proof was not fetched" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = 0 ] && grep -q "\"message\":\"UNVERIFIED: the export ends at block [0-9]*, before the digest tip [0-9]*, and its last block.s proof was not fetched: ." "$3"' - \
	"$rc" "$(field mver verdict)" "$SCRATCH/mver"

# tamper-block 5 on a live ledger: the chain check still catches it (the
# export's last block is genuine, so the tip proof alone would pass)
check "serve --rate 5 --scenario tamper-block starts" start livetamper --scenario "$SCRATCH/tamper.scn"
check "live tampered: block-detail 5 turns FAILED within 5 s" wait_for 5 tampered5
job ltexp export-start "$L" --bucket "$BUCKET" --prefix t/ --role "$ROLE"
LTID=$(field ltexp target | sed 's/^export //')
check "live tampered: the export is COMPLETED" wait_for 10 status_is export-status "$LTID" COMPLETED
job ltver verify-export "$L" --id "$LTID"
check "live tampered: verify-export is FAILED (verdict -1), first failure at block 5, no tip proof tried" \
	sh -c '[ "$1" -eq 0 ] && [ "$2" = -1 ] && grep -q "\"message\":\"FAILED: .*first: seq 5)" "$3" && ! grep -q "tip proof" "$3"' - \
	"$rc" "$(field ltver verdict)" "$SCRATCH/ltver"

# fork after block 5, once the export is written: the ledger's block N is
# no longer the export's, though its proof to the new digest is genuine
printf 'at 3s fork financial-ledger 5\n' >"$SCRATCH/fork.scn"
check "serve --rate 5 --scenario fork starts" start fork --scenario "$SCRATCH/fork.scn"
job fexp export-start "$L" --bucket "$BUCKET" --prefix f/ --role "$ROLE"
FID=$(field fexp target | sed 's/^export //')
check "fork: the export is COMPLETED" wait_for 10 status_is export-status "$FID" COMPLETED
# digest_tip: the current digest's tip, from digest-proof's target
digest_tip() { "$TOOL" --endpoint-url "$URL" digest-proof "$L" 2>/dev/null | head -1 | sed -n 's/.*"target":"digest at block \([0-9]*\)".*/\1/p'; }
T0=$(digest_tip)
tip_below() { t=$(digest_tip); [ -n "$t" ] && [ "$t" -lt "$1" ]; }
check "fork: within 10 s the digest's tip falls below $T0 (the fork is in effect)" wait_for 10 tip_below "$T0"
forked_tip() { # the new history reaches past the export's end: the tip proof runs
	"$TOOL" --endpoint-url "$URL" verify-export "$L" --id "$FID" >"$SCRATCH/fver" 2>&1
	grep -q '"text":"tip proof: ' "$SCRATCH/fver"
}
check "fork: within 15 s the new history passes the export's end" wait_for 15 forked_tip
sed 's/^/# /' "$SCRATCH/fver" | grep -v '"normal"' | head -20
FN=$(export_end fver)
check "fork: verify-export is FAILED (verdict -1): block $FN's hash expected (the ledger's, proven) vs computed (the export's)" \
	sh -c '[ "$(head -1 "$2" | sed -n "s/.*\"verdict\":\([-0-9]*\).*/\1/p")" = -1 ] &&
		grep -q "\"role\":\"bad\",\"text\":\"FAILED digest: block [A-Za-z0-9]*:$1 blockHash expected [A-Za-z0-9+/]\{43\}= (proven into the digest at tip [0-9]*) computed [A-Za-z0-9+/]\{43\}= (the export.s)\"" "$2"' - \
	"$FN" "$SCRATCH/fver"
check "no live job output holds the secret key" sh -c '! grep -q "$1" "$2"/lexp "$2"/lver "$2"/mver "$2"/ltver "$2"/fver' - "$SECRET" "$SCRATCH"
RATE=0

# jobs_stop during a slow verify (every S3 answer waits 3 s)
printf 'at 0s latency s3 3s\n' >"$SCRATCH/slow.scn"
check "serve --scenario latency s3 starts" start slow --scenario "$SCRATCH/slow.scn"
job sexp export-start "$L" --bucket "$BUCKET" --prefix s/ --role "$ROLE"
SXID=$(field sexp target | sed 's/^export //')
check "slow: the export is COMPLETED" wait_for 10 status_is export-status "$SXID" COMPLETED
job stop verify-export "$L" --id "$SXID" --stop-after 1
secs=$(sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p' "$SCRATCH/stop")
check "jobs_stop during a verify waiting on S3 returns within 1 s ($secs s)" \
	sh -c '[ "$1" -eq 0 ] && [ -n "$2" ] && awk -v s="$2" "BEGIN{exit !(s < 1.0)}"' - "$rc" "$secs"

