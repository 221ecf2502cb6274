#!/bin/sh
# api_audit.sh - the auditor (api/auditor.h) against `qldbtop serve`,
# driven by build/tools/audit_probe (one line per audit event, exit 1 on
# any FAILED):
#   a clean journal growing at 5 blocks/s: VERIFIED or UNVERIFIED, never
#   FAILED; `tamper-block financial-ledger 5` at 4 s: FAILED naming block 5
#   within two digest rounds after the tamper; `fork financial-ledger 10`
#   at 4 s: continuity FAILED; across a restart with a vault directory: the
#   same history restarted proves continuity from the vault, another
#   history on the same port fails it.
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
PROBE=$TOOLS/audit_probe
KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

if [ ! -x "$PROBE" ]; then
	not_ok "audit_probe is built ($PROBE; run make tools)"
	exit 1
fi

start() { # NAME LISTEN ARGS...: serve in the background; $URL, $PID
	name=$1 listen=$2; shift 2
	"$QLDBTOP_BIN" serve --listen "$listen" "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &
	PID=$!
	PIDS="$PIDS $PID"
	wait_for 20 grep -q '^endpoint: ' "$SCRATCH/$name.out" || return 1
	URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/$name.out")
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
probe() { # NAME ARGS...: audit_probe on $URL; output in $SCRATCH/NAME.log, exit in $rc
	name=$1; shift
	env AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_CONFIG_FILE=/dev/null \
		AWS_SHARED_CREDENTIALS_FILE=/dev/null "$PROBE" --endpoint "$URL" \
		--ledger financial-ledger "$@" >"$SCRATCH/$name.log" 2>"$SCRATCH/$name.err"
	rc=$?
}
show() { sed 's/^/#   /' "$SCRATCH/$1.log" "$SCRATCH/$1.err" | head -40; }
tip() { # the digest tip's sequenceNo of $URL, by a signed GetDigest
	curl -s --max-time 5 --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" \
		-H 'Content-Type: application/json' -d '{}' "$URL/ledgers/financial-ledger/digest" |
		sed -n 's/.*sequenceNo:\([0-9]*\).*/\1/p'
}
tip_above() { t=$(tip); [ -n "$t" ] && [ "$t" -gt "$1" ]; }
tip_below() { t=$(tip); [ -n "$t" ] && [ "$t" -lt "$1" ]; }

# 1. clean rounds
start clean 127.0.0.1:0 --rate 5 || not_ok "serve (clean) starts"
probe clean --rounds 4 --interval-ms 500
check "clean: audit_probe exits 0" [ "$rc" -eq 0 ] || show clean
check "clean: no event is FAILED" sh -c '! grep -q "^FAILED" "$1"' - "$SCRATCH/clean.log"
check "clean: continuity VERIFIED in every round after the first (3)" \
	[ "$(grep -c '^VERIFIED continuity ' "$SCRATCH/clean.log")" -eq 3 ]
check "clean: the first digest's continuity is UNVERIFIED (nothing before it), not VERIFIED" \
	grep -q '^UNVERIFIED continuity -> .*first digest' "$SCRATCH/clean.log"
check "clean: blocks are self-checked, walked and sampled (VERIFIED each)" sh -c \
	'grep -q "^VERIFIED block-self-check " "$1" && grep -q "^VERIFIED chain " "$1" && grep -q "^VERIFIED sample-proof " "$1"' - "$SCRATCH/clean.log"
check "clean: every event line is RESULT kind ..." sh -c \
	'! grep -v -E "^(round [0-9]+ at [0-9]+ ms|summary |(VERIFIED|FAILED|UNVERIFIED) (continuity|block-self-check|chain|sample-proof|vault)[ :])" "$1"' - "$SCRATCH/clean.log"
stop "$PID"

# 2. a tampered block: FAILED naming block 5 within two rounds after it.
# The scenario's clock is serve's; the probe's rounds are timed from its
# own start, LAG ms later (measured here: under load it can be seconds),
# so a round's time on serve's clock is at least its probe time + LAG.
now_ms() { date +%s%3N; }
TAMPER_MS=4000
printf 'at %ss tamper-block financial-ledger 5\n' $((TAMPER_MS / 1000)) >"$SCRATCH/tamper.scn"
t0=$(now_ms)
start tamper 127.0.0.1:0 --rate 5 --scenario "$SCRATCH/tamper.scn" || not_ok "serve (tamper) starts"
LAG=$(( $(now_ms) - t0 ))
probe tamper --rounds 7 --interval-ms 1000 --budget 40
check "tamper: audit_probe exits 1" [ "$rc" -eq 1 ] || show tamper
check "tamper: FAILED block-self-check names block 5 with its evidence" \
	grep -q -E '^FAILED block-self-check [A-Za-z0-9]+:5 expected [A-Za-z0-9+/=]+ computed [A-Za-z0-9+/=]+: ' "$SCRATCH/tamper.log"
# the first round that started after the tamper on serve's clock (the
# probe started at least LAG ms after serve, a bound that errs late)
after=$(awk -v lag="$LAG" -v t="$TAMPER_MS" '/^round [0-9]+ at/ { if ($4 + lag >= t) { print $2; exit } }' "$SCRATCH/tamper.log")
found=$(awk '/^round [0-9]+ at/ { r = $2 } /^FAILED block-self-check [A-Za-z0-9]+:5 / { print r; exit }' "$SCRATCH/tamper.log")
check "tamper: reported within two rounds after the tamper (round $after or the next; was ${found:-never}; lag ${LAG} ms)" \
	sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$2" -le $(($1 + 1)) ]' - "$after" "$found"
# rounds that surely ended before the tamper: started a round's interval
# before it, on serve's clock (the probe's own lag makes the bound safe)
clean=$(awk -v lag="$LAG" -v t="$TAMPER_MS" '/^round [0-9]+ at/ { if ($4 + lag + 1000 < t) n++ } END { print n + 0 }' "$SCRATCH/tamper.log")
if [ "$clean" -gt 0 ]; then
	check "tamper: no FAILED in the $clean round(s) that ended before the tamper" sh -c \
		'awk -v lag="$2" -v t="$3" "/^round [0-9]+ at/ { early = (\$4 + lag + 1000 < t) } /^FAILED/ && early { bad = 1 } END { exit bad }" "$1"' - "$SCRATCH/tamper.log" "$LAG" "$TAMPER_MS"
else
	echo "# skip tamper: no round ended before the tamper (serve took ${LAG} ms to start): not counted"
fi
check "tamper: continuity stays VERIFIED (the hashes did not change, the content did)" sh -c \
	'! grep -q "^FAILED continuity" "$1"' - "$SCRATCH/tamper.log"
stop "$PID"

# 3. a fork: continuity FAILED (clocks as in 2)
FORK_MS=4000
printf 'at %ss fork financial-ledger 10\n' $((FORK_MS / 1000)) >"$SCRATCH/fork.scn"
t0=$(now_ms)
start fork 127.0.0.1:0 --rate 5 --scenario "$SCRATCH/fork.scn" || not_ok "serve (fork) starts"
LAG=$(( $(now_ms) - t0 ))
probe fork --rounds 7 --interval-ms 1000
check "fork: audit_probe exits 1" [ "$rc" -eq 1 ] || show fork
check "fork: FAILED continuity with its evidence" \
	grep -q -E '^FAILED continuity [A-Za-z0-9]+:[0-9]+ -> [A-Za-z0-9]+:[0-9]+ expected [A-Za-z0-9+/=]+ computed ' "$SCRATCH/fork.log"
clean=$(awk -v lag="$LAG" -v t="$FORK_MS" '/^round [0-9]+ at/ { if ($4 + lag + 1000 < t) n++ } END { print n + 0 }' "$SCRATCH/fork.log")
if [ "$clean" -gt 0 ]; then
	check "fork: no continuity FAILED in the $clean round(s) that ended before the fork" sh -c \
		'awk -v lag="$2" -v t="$3" "/^round [0-9]+ at/ { early = (\$4 + lag + 1000 < t) } /^FAILED continuity/ && early { bad = 1 } END { exit bad }" "$1"' - "$SCRATCH/fork.log" "$LAG" "$FORK_MS"
else
	echo "# skip fork: no round ended before the fork (serve took ${LAG} ms to start): not counted"
fi
stop "$PID"

# 4. across a restart, with a vault: same history VERIFIED, another FAILED
V=$SCRATCH/vault
start a1 127.0.0.1:0 --seed 1 --rate 0 || not_ok "serve A starts"
PORT=${URL##*:}
probe a1 --rounds 2 --interval-ms 200 --vault-dir "$V"
check "vault: the first run exits 0" [ "$rc" -eq 0 ] || show a1
check "sweep: walked 0..21 whole over two rounds, Merkle(blockHash 0..21) is the digest" \
	grep -q '^VERIFIED chain [A-Za-z0-9]*:0 -> [A-Za-z0-9]*:21: sweep: Merkle(blockHash 0..21)' "$SCRATCH/a1.log"
f=$(find "$V" -name 'financial-ledger.jsonl' | head -1)
check "vault: the file is VAULT/127.0.0.1_PORT/us-east-1/financial-ledger.jsonl" \
	[ "$f" = "$V/127.0.0.1_$PORT/us-east-1/financial-ledger.jsonl" ]
check "vault: the file is 0600 and its directories 0700" sh -c \
	'[ "$(stat -c %a "$1")" = 600 ] && [ "$(stat -c %a "$(dirname "$1")")" = 700 ] && [ "$(stat -c %a "$(dirname "$(dirname "$1")")")" = 700 ]' - "$f"
check "vault: one JSON line, the unchanged digest of round 2 is not written twice" [ "$(wc -l <"$f")" -eq 1 ]
stop "$PID"
start a2 "127.0.0.1:$PORT" --seed 1 --rate 0 || not_ok "serve A again on port $PORT"
probe a2 --rounds 1 --interval-ms 0 --vault-dir "$V"
check "vault: the same history restarted: exit 0" [ "$rc" -eq 0 ] || show a2
check "vault: continuity from the vault's last line is VERIFIED" \
	grep -q '^VERIFIED continuity .*: vault .*line 1: ' "$SCRATCH/a2.log"
stop "$PID"
printf 'at 1s fork financial-ledger 10\n' >"$SCRATCH/refork.scn"
start b "127.0.0.1:$PORT" --seed 1 --rate 5 --scenario "$SCRATCH/refork.scn" || not_ok "serve B on port $PORT"
# B rewrites history from block 11 at 1 s; wait until it is past the vault's tip
wait_for 20 tip_below 21 && wait_for 20 tip_above 22 ||
	{ not_ok "serve B forks and grows past the vault's tip (tip $(tip))"; sed "s/^/#   /" "$SCRATCH/b.err"; }
probe b --rounds 1 --interval-ms 0 --vault-dir "$V"
check "vault: another history on the same endpoint: exit 1" [ "$rc" -eq 1 ] || show b
check "vault: continuity from the vault FAILED, the earlier digest no longer proves" \
	grep -q '^FAILED continuity .* expected .*: vault .*line 1: block .* no longer proves against the earlier digest' "$SCRATCH/b.log" || show b
check "vault: the digest that failed is not kept (a restart fails again)" [ "$(wc -l <"$f")" -eq 1 ]
stop "$PID"

# 5. a corrupt vault line: reported with file and line, continuity not VERIFIED past it
V2=$SCRATCH/vault2
start c1 "127.0.0.1:$PORT" --seed 1 --rate 0 || not_ok "serve C on port $PORT"
probe c1 --rounds 1 --interval-ms 0 --vault-dir "$V2"
f2=$V2/127.0.0.1_$PORT/us-east-1/financial-ledger.jsonl
printf 'this is not JSON\n' >>"$f2"
stop "$PID"
start c2 "127.0.0.1:$PORT" --seed 1 --rate 0 || not_ok "serve C again on port $PORT"
probe c2 --rounds 2 --interval-ms 0 --vault-dir "$V2"
check "vault: a corrupt line is reported naming the file and the line" \
	grep -q "^UNVERIFIED vault: vault $f2 line 2: " "$SCRATCH/c2.log" || show c2
check "vault: continuity from line 1 is UNVERIFIED (line 2 is corrupt), never VERIFIED" \
	grep -q "^UNVERIFIED continuity .*: vault .*line 1: .*line 2 after it does not read" "$SCRATCH/c2.log"
check "vault: the next round proves continuity again (VERIFIED)" \
	[ "$(grep -c '^VERIFIED continuity' "$SCRATCH/c2.log")" -eq 1 ]
check "vault: the corrupt line stays where it was (never rewritten or dropped)" \
	[ "$(sed -n 2p "$f2")" = "this is not JSON" ]
stop "$PID"

exit $TAP_FAILED
