#!/bin/sh
# snapshot_check.sh - the headless commands against `qldbtop serve`:
#   snapshot --json is exactly one JSON object with the ledger, its
#   DescribeLedger fields and a digest equal to what a signed GetDigest
#   (curl's own SigV4, not ours) returns; kinds not polled are listed as
#   unavailable, never as empty-and-fine; --ledger limits it; a failed call
#   is listed and exits 2; a ledger's tags (made by the Debian AWS CLI) are
#   its sorted key/value pairs;
#   check: OK (0) on a healthy endpoint with perfdata; CRITICAL (2) when
#   the KMS key is inaccessible or the ledger does not exist; WARNING (1)
#   when the digest is older than --max-digest-age (0: any digest held
#   is older); UNKNOWN (3) on a closed port and without credentials;
#   neither command ever starts curses (no terminal here at all);
#   with the auditor's proof calls (GetBlock, GetRevision) throttled, check
#   is UNKNOWN for integrity (exit 3), also on a second run whose vault
#   digest is unchanged (continuity alone proves no block), and snapshot
#   shows no block check VERIFIED;
#   a ledger still CREATING (serve --create-seconds 120, made by curl's
#   signed CreateLedger): snapshot does not call GetDigest, Kinesis lag or
#   the audit for it, lists them as "not polled" (not "errors") and exits
#   0, with no audit event of it (nothing VERIFIED); check says WARNING
#   for its state (exit 1) and UNKNOWN for its integrity, never OK.
. tests/lib/tap.sh

KEY=AKIDQLDBTOPDEMO00001
SECRET=qldbtop-demo-secret-key-not-for-production
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

start() { # NAME ARGS...
	name=$1; shift
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" </dev/null &
	PIDS="$PIDS $!"
	wait_for 20 grep -q '^endpoint: ' "$SCRATCH/$name.out" || return 1
	URL=$(sed -n 's/^endpoint: //p' "$SCRATCH/$name.out")
}
q() { # run qldbtop with the demo keys and no terminal; rc in $rc
	env -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET \
		AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null TERM=dumb \
		XDG_STATE_HOME="$SCRATCH/state" "$QLDBTOP_BIN" "$@" >"$SCRATCH/o" 2>"$SCRATCH/e" </dev/null
	rc=$?
}
show() { sed 's/^/#   /' "$SCRATCH/o" "$SCRATCH/e"; }
first_line() { head -n 1 "$SCRATCH/o"; }

start healthy || { not_ok "serve starts"; exit 1; }

# the digest from an independent signer
curl -s --max-time 5 --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" \
	-H 'Content-Type: application/json' -d '{}' "$URL/ledgers/financial-ledger/digest" >"$SCRATCH/digest.json"

q snapshot --json --endpoint-url "$URL"
cp "$SCRATCH/o" "$SCRATCH/snap.json"
check "snapshot --json: exit 0, nothing on stderr" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' - "$rc" "$SCRATCH/e" || show
check "snapshot --json: stdout is exactly one JSON object with the contract's fields" python3 - "$SCRATCH/snap.json" "$URL" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
obj, end = json.JSONDecoder().raw_decode(text)
assert text[end:].strip() == "", "data after the object"
assert isinstance(obj, dict)
for k in ("endpoint", "region", "fetched_at", "ledgers", "audit", "errors", "unavailable"):
    assert k in obj, k
assert obj["endpoint"] == sys.argv[2] and obj["region"] == "us-east-1"
assert obj["errors"] == []
# the auditor's round: a healthy ledger has proven blocks and no failure
audit = obj["audit"]
assert audit and all(a["result"] in ("VERIFIED", "UNVERIFIED") for a in audit), audit
assert any(a["kind"] == "block-self-check" and a["result"] == "VERIFIED" for a in audit)
assert any(a["kind"] == "continuity" for a in audit)
PY
check "snapshot --json: financial-ledger ACTIVE with its ARN, STANDARD, deletion protection, encryption" python3 - "$SCRATCH/snap.json" <<'PY'
import json, sys
obj = json.load(open(sys.argv[1]))
names = [l["name"] for l in obj["ledgers"]]
assert names == ["financial-ledger"], names
l = obj["ledgers"][0]
assert l["state"] == "ACTIVE"
assert l["arn"].startswith("arn:aws:qldb:us-east-1:") and l["arn"].endswith(":ledger/financial-ledger")
assert l["permissions_mode"] == "STANDARD" and l["deletion_protection"] is True
assert l["encryption"]["status"] == "ENABLED"
assert l["streams"] == [] and l["exports"] == [] and l["errors"] == []
PY
check "snapshot --json: the digest and tip are exactly what curl's signed GetDigest returned" python3 - "$SCRATCH/snap.json" "$SCRATCH/digest.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["ledgers"][0]["digest"]
ref = json.load(open(sys.argv[2]))
assert d["digest"] == ref["Digest"], (d, ref)
assert d["tip"] == ref["DigestTipAddress"]["IonText"]
assert str(d["sequence_no"]) in d["tip"] and d["fetched_at"].endswith("Z")
PY
check "snapshot --json: streams, exports, kinesis, metrics and tags are there; nothing unavailable" python3 - "$SCRATCH/snap.json" <<'PY'
import json, sys
obj = json.load(open(sys.argv[1]))
u = obj["unavailable"]
assert u == [], u
l = obj["ledgers"][0]
assert l["streams"] == [] and l["exports"] == [] and l["kinesis"] == [], l
assert l["tags"] == [], l["tags"]  # the demo ledger has none: an empty list, not null
# the six AWS/QLDB metrics from CloudWatch, each with its status; the
# journal's storage is a real, positive figure
m = {x["metric"]: x for x in l["metrics"]}
assert sorted(m) == sorted(["ReadIOs", "WriteIOs", "JournalStorage", "IndexedStorage",
                            "CommandLatency", "IsImpaired"]), m
assert all(x["status"] == "Complete" for x in m.values()), m
js = m["JournalStorage"]["points"]
assert js and all(t1 < t2 for (t1, _), (t2, _) in zip(js, js[1:])) and js[-1][1] > 0, js
PY

q snapshot --endpoint-url "$URL" --ledger financial-ledger
check "snapshot (text) --ledger: the ledger, its state and digest" sh -c '[ "$1" -eq 0 ] && grep -q "^financial-ledger$" "$2" && grep -q "state *ACTIVE" "$2" && grep -qF "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[\"Digest\"])" "$3")" "$2"' - "$rc" "$SCRATCH/o" "$SCRATCH/digest.json" || show

q snapshot --json --endpoint-url "$URL" --ledger no-such-ledger
check "snapshot --ledger of a missing ledger: exit 2, one line on stderr, the error in the JSON" python3 - "$rc" "$SCRATCH/o" "$SCRATCH/e" <<'PY'
import json, sys
assert sys.argv[1] == "2", sys.argv[1]
obj = json.load(open(sys.argv[2]))
errs = obj["ledgers"][0]["errors"]
assert any("ResourceNotFoundException" in e["message"] and e["operation"] == "DescribeLedger" for e in errs), errs
assert obj["ledgers"][0]["digest"] is None and obj["ledgers"][0]["state"] is None
assert len(open(sys.argv[3]).read().splitlines()) == 1
PY

q check --endpoint-url "$URL"
check "check on a healthy endpoint: QLDB OK first, perfdata, exit 0" sh -c '[ "$1" -eq 0 ] && head -n1 "$2" | grep -Eq "^QLDB OK - .*\|ledgers=1 financial-ledger_digest_age=[0-9.]+s;300;;0 financial-ledger_tip=[0-9]+$"' - "$rc" "$SCRATCH/o" || show
check "check: every rule ran (streams and exports included), none listed as not checked" \
	sh -c '! grep -q "^not checked" "$1" && grep -q "^OK financial-ledger streams: 0 streams" "$1" &&
		grep -q "^OK financial-ledger exports: 0 exports" "$1"' - "$SCRATCH/o"

q check --endpoint-url "$URL" --max-digest-age 0
check "check --max-digest-age 0: a digest held for any time at all is stale: WARNING, exit 1" sh -c '[ "$1" -eq 1 ] && head -n1 "$2" | grep -q "^QLDB WARNING - financial-ledger digest-age"' - "$rc" "$SCRATCH/o" || show
q check --endpoint-url "$URL" --max-digest-age 60
check "check --max-digest-age 60: the digest just fetched is fresh: exit 0" sh -c '[ "$1" -eq 0 ]' - "$rc" || show

q check --endpoint-url "$URL" --ledger no-such-ledger
check "check --ledger of a missing ledger: CRITICAL, exit 2" sh -c '[ "$1" -eq 2 ] && head -n1 "$2" | grep -q "^QLDB CRITICAL - no-such-ledger state: .*ResourceNotFoundException"' - "$rc" "$SCRATCH/o" || show

printf 'at 0s kms-inaccessible financial-ledger\n' >"$SCRATCH/kms.scn"
start kms --scenario "$SCRATCH/kms.scn" || not_ok "serve with the kms scenario starts"
# the endpoint applies scripted events from a thread: wait (curl's own
# DescribeLedger) until the event took effect, then ask once
kms_gone() {
	curl -s --max-time 5 --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" \
		"$URL/ledgers/financial-ledger" | grep -q KMS_KEY_INACCESSIBLE
}
wait_for 10 kms_gone || not_ok "the kms-inaccessible event takes effect within 10 s"
q check --endpoint-url "$URL"
check "check with kms-inaccessible: CRITICAL naming the KMS key, exit 2" sh -c '[ "$1" -eq 2 ] && head -n1 "$2" | grep -q "^QLDB CRITICAL - financial-ledger kms: KMS key inaccessible"' - "$rc" "$SCRATCH/o" || show
q snapshot --json --endpoint-url "$URL"
check "snapshot with kms-inaccessible: status and inaccessible_since in the JSON" python3 - "$SCRATCH/o" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["ledgers"][0]["encryption"]
assert e["status"] == "KMS_KEY_INACCESSIBLE" and e["inaccessible_since"].endswith("Z"), e
PY

# a port nothing listens on: take a free one and close it
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
q check --endpoint-url "http://127.0.0.1:$PORT"
check "check on a closed port: UNKNOWN, exit 3, one status line first" sh -c '[ "$1" -eq 3 ] && head -n1 "$2" | grep -q "^QLDB UNKNOWN - ledgers: ListLedgers: .*connect"' - "$rc" "$SCRATCH/o" || show
q snapshot --endpoint-url "http://127.0.0.1:$PORT"
check "snapshot on a closed port: exit 2, one line on stderr" sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ]' - "$rc" "$SCRATCH/e" || show

env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN AWS_CONFIG_FILE=/dev/null \
	AWS_SHARED_CREDENTIALS_FILE=/dev/null "$QLDBTOP_BIN" check --endpoint-url "$URL" >"$SCRATCH/o" 2>"$SCRATCH/e" </dev/null
rc=$?
check "check without credentials: UNKNOWN naming them, exit 3" sh -c '[ "$1" -eq 3 ] && head -n1 "$2" | grep -q "^QLDB UNKNOWN - .*no credentials"' - "$rc" "$SCRATCH/o" || show

expect_usage_of check "check --max-digest-age -1 is a usage error" --max-digest-age -1
expect_usage_of snapshot "snapshot --ledger 'bad name' is a usage error" --ledger "bad name"
# --profile: keys, region and endpoint all from the AWS CLI's files, as a
# user with a named profile has them (no env keys at all)
start profiled || not_ok "serve starts (profile checks)"
cat >"$SCRATCH/config" <<CFG
[profile local]
region = us-east-1
endpoint_url = $URL
CFG
cat >"$SCRATCH/credentials" <<CFG
[local]
aws_access_key_id = $KEY
aws_secret_access_key = $SECRET
CFG
chmod 600 "$SCRATCH/credentials"
pq() { # qldbtop with only the profile files
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
		-u AWS_ENDPOINT_URL -u AWS_REGION -u AWS_DEFAULT_REGION \
		AWS_CONFIG_FILE="$SCRATCH/config" AWS_SHARED_CREDENTIALS_FILE="$SCRATCH/credentials" \
		TERM=dumb XDG_STATE_HOME="$SCRATCH/state" "$QLDBTOP_BIN" "$@" >"$SCRATCH/o" 2>"$SCRATCH/e" </dev/null
	rc=$?
}
pq check --profile local
check "check --profile local: keys and endpoint from the profile files, OK (exit 0)" \
	sh -c '[ "$1" -eq 0 ] && head -n1 "$2" | grep -q "^QLDB OK"' - "$rc" "$SCRATCH/o"
pq check --profile nosuch
check "check --profile nosuch: a usage error (2, as every command's) naming the profile" \
	sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "profile nosuch" "$2"' - "$rc" "$SCRATCH/e"
pq check
check "check without a profile or keys: not OK (the default profile has no keys)" \
	sh -c '[ "$1" -ne 0 ]' - "$rc"
# integrity: the auditor's round in check. A tampered block is CRITICAL
# naming the block; the digest vault catches a history rewritten between
# two runs (a restart of the endpoint on the same address with another
# history), which no single run could see.
printf 'at 0s tamper-block financial-ledger 5\n' >"$SCRATCH/tamper.scn"
start tampered --scenario "$SCRATCH/tamper.scn" || not_ok "serve starts (tamper)"
tamper_applied() { # the scenario's event took effect (the delivery thread applies it)
	q check --endpoint-url "$URL" && false
	head -n1 "$SCRATCH/o" | grep -q "integrity"
}
wait_for 5 tamper_applied
check "check with tamper-block 5: CRITICAL integrity naming block 5 (exit 2)" \
	sh -c '[ "$1" -eq 2 ] && head -n1 "$2" | grep -q "^QLDB CRITICAL - financial-ledger integrity: .*FAILED.*sequenceNo:5}"' - "$rc" "$SCRATCH/o"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$QLDBTOP_BIN" serve --listen "127.0.0.1:$PORT" --rate 0 --seed 1 >"$SCRATCH/a.out" 2>&1 </dev/null &
PA=$!
PIDS="$PIDS $PA"
wait_for 20 grep -q '^endpoint: ' "$SCRATCH/a.out"
rm -rf "$SCRATCH/state"
q check --endpoint-url "http://127.0.0.1:$PORT"
check "check against history A: OK, its digest kept in the vault" \
	sh -c '[ "$1" -eq 0 ] && ls "$2"/qldbtop/vault/127.0.0.1_*/us-east-1/financial-ledger.jsonl >/dev/null' - "$rc" "$SCRATCH/state"
check "check of an intact ledger: integrity OK with the count of checks VERIFIED" \
	grep -q "^OK financial-ledger integrity: [1-9][0-9]* checks VERIFIED" "$SCRATCH/o"
kill "$PA"; wait "$PA" 2>/dev/null
"$QLDBTOP_BIN" serve --listen "127.0.0.1:$PORT" --rate 0 --seed 2 >"$SCRATCH/b.out" 2>&1 </dev/null &
PIDS="$PIDS $!"
wait_for 20 grep -q '^endpoint: ' "$SCRATCH/b.out"
q check --endpoint-url "http://127.0.0.1:$PORT"
check "the same address now serving another history: CRITICAL continuity from the vault (exit 2)" \
	sh -c '[ "$1" -eq 2 ] && grep -q "^CRITICAL financial-ledger integrity: .*continuity" "$2"' - "$rc" "$SCRATCH/o"
# streams and exports: serve --recipe has a journal stream into Kinesis
# and an export bucket; an impaired stream is CRITICAL, a cancelled export
# a WARNING
cat >"$SCRATCH/outlets.scn" <<'SCN'
at 6s impair-stream financial-ledger IAM_PERMISSION_REVOKED
at 0s fail-export financial-ledger
SCN
start recipe --recipe --scenario "$SCRATCH/outlets.scn" || not_ok "serve --recipe starts"
# the stream's first records reach Kinesis within a delivery round; until
# then the lag is unknown (null), never 0
lag_known() {
	q snapshot --json --endpoint-url "$URL"
	grep -q '"lag_blocks":[0-9]' "$SCRATCH/o"
}
wait_for 10 lag_known
check "snapshot --json under --recipe: the journal stream, ACTIVE, with its Kinesis target" python3 - "$SCRATCH/o" <<'PY'
import json, sys
obj = json.load(open(sys.argv[1]))
s = obj["ledgers"][0]["streams"]
assert len(s) == 1 and s[0]["status"] == "ACTIVE" and s[0]["error_cause"] is None, s
assert s[0]["kinesis_stream_arn"].startswith("arn:aws:kinesis:") and len(s[0]["stream_id"]) == 22, s
# its Kinesis target's health and the lag in blocks behind the digest tip
k = obj["ledgers"][0]["kinesis"]
assert len(k) == 1 and k[0]["stream_id"] == s[0]["stream_id"], k
assert k[0]["status"] == "ACTIVE" and k[0]["open_shards"] >= 1 and k[0]["error"] is None, k
assert k[0]["kinesis_stream"] == s[0]["kinesis_stream_arn"].rsplit("/", 1)[1], k
assert isinstance(k[0]["lag_blocks"], int) and 0 <= k[0]["lag_blocks"] <= k[0]["tip"], k
PY
BUCKET=$(sed -n 's/.*export bucket \([^,]*\),.*/\1/p' "$SCRATCH/recipe.out")
printf '{"Bucket":"%s","Prefix":"c/","EncryptionConfiguration":{"ObjectEncryptionType":"SSE_S3"}}' "$BUCKET" >"$SCRATCH/cfg.json"
curl -s --max-time 5 --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" -H 'Content-Type: application/json' \
	-d "{\"InclusiveStartTime\":0,\"ExclusiveEndTime\":$(date +%s),\"RoleArn\":\"arn:aws:iam::123456789012:role/r\",\"S3ExportConfiguration\":$(cat "$SCRATCH/cfg.json")}" \
	"$URL/ledgers/financial-ledger/journal-s3-exports" >"$SCRATCH/exp.json"
q check --endpoint-url "$URL"
check "check with a cancelled export: WARNING (exit 1) naming it" \
	sh -c '[ "$1" -eq 1 ] && head -n1 "$2" | grep -q "^QLDB WARNING - financial-ledger exports: 1 export CANCELLED"' - "$rc" "$SCRATCH/o"
impaired() { q check --endpoint-url "$URL"; [ "$rc" -eq 2 ]; }
wait_for 10 impaired
check "check with an impaired journal stream: CRITICAL (exit 2) naming its ErrorCause" \
	sh -c '[ "$1" -eq 2 ] && grep -q "^CRITICAL financial-ledger streams: 1 stream not healthy: .* IMPAIRED IAM_PERMISSION_REVOKED" "$2"' - "$rc" "$SCRATCH/o"
printf 'at 0s throttle qldb:GetBlock 1\nat 0s throttle qldb:GetRevision 1\n' >"$SCRATCH/noproof.scn"
# tags: a ledger made with tags by the Debian AWS CLI, one more added;
# snapshot shows exactly its pairs, sorted by key
AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI (2.x) is installed (tags checks)"
else
	start tags || not_ok "serve starts (tags)"
	aws_q() {
		env AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_DEFAULT_REGION=us-east-1 \
			AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
			AWS_SESSION_TOKEN= timeout 60 "$AWS" qldb "$@" --endpoint-url "$URL" >"$SCRATCH/aws.out" 2>&1
	}
	aws_q create-ledger --name tagged-ledger --permissions-mode STANDARD --tags team=ops,env=prod,Zone=a \
		--query Arn --output text || sed 's/^/#   /' "$SCRATCH/aws.out"
	TARN=$(cat "$SCRATCH/aws.out")
	aws_q tag-resource --resource-arn "$TARN" --tags 'note=a b/c=d' || sed 's/^/#   /' "$SCRATCH/aws.out"
	# a new ledger is CREATING for 1 s, when its digest cannot be read (a
	# fast CLI got here within it): the tags are checked once it is ACTIVE
	snap_tagged() { q snapshot --json --endpoint-url "$URL" --ledger tagged-ledger; [ "$rc" -eq 0 ]; }
	wait_for 15 snap_tagged
	check "snapshot --json --ledger tagged-ledger: its tags, as the AWS CLI set them, sorted by key" python3 - "$rc" "$SCRATCH/o" <<'PY'
import json, sys
assert sys.argv[1] == "0", sys.argv[1]
l = json.load(open(sys.argv[2]))["ledgers"][0]
assert l["name"] == "tagged-ledger", l["name"]
assert l["tags"] == [{"key": "Zone", "value": "a"}, {"key": "env", "value": "prod"},
                     {"key": "note", "value": "a b/c=d"}, {"key": "team", "value": "ops"}], l["tags"]
PY
	q snapshot --json --endpoint-url "$URL" --ledger financial-ledger
	check "snapshot --json --ledger financial-ledger: another ledger's tags are not its own" python3 - "$SCRATCH/o" <<'PY'
import json, sys
assert json.load(open(sys.argv[1]))["ledgers"][0]["tags"] == []
PY
fi

# integrity with the auditor's proof calls throttled: nothing is proven,
# so check must not say OK, neither on a first run (empty vault) nor on a
# second (the vault's digest unchanged: continuity holds, but no block
# was read, and a tampered block keeps its hashes)
start noproof --scenario "$SCRATCH/noproof.scn" || not_ok "serve starts (proofs throttled)"
rm -rf "$SCRATCH/state"
q check --endpoint-url "$URL" --ledger financial-ledger
check "check, GetBlock and GetRevision throttled, empty vault: UNKNOWN integrity, exit 3" \
	sh -c '[ "$1" -eq 3 ] && head -n1 "$2" | grep -q "^QLDB UNKNOWN - financial-ledger integrity: nothing proven" &&
		grep -q "^UNKNOWN financial-ledger integrity: " "$2" && ! grep -q "^OK financial-ledger integrity" "$2" &&
		grep -q "^OK financial-ledger state: ACTIVE" "$2"' - "$rc" "$SCRATCH/o" || show
q check --endpoint-url "$URL" --ledger financial-ledger
check "check again, the vault's digest unchanged: still UNKNOWN (no block proven), exit 3" \
	sh -c '[ "$1" -eq 3 ] && grep -q "^UNKNOWN financial-ledger integrity: no block proven" "$2" &&
		! grep -q "^OK financial-ledger integrity" "$2"' - "$rc" "$SCRATCH/o" || show
q snapshot --json --endpoint-url "$URL" --ledger financial-ledger
check "snapshot --json with proofs throttled: no block check VERIFIED, each block check UNVERIFIED naming GetBlock" python3 - "$SCRATCH/o" <<'PY'
import json, sys
audit = json.load(open(sys.argv[1]))["audit"]
blocks = [a for a in audit if a["kind"] in ("block-self-check", "chain", "sample-proof")]
assert blocks, audit
assert all(a["result"] == "UNVERIFIED" for a in blocks), blocks
assert all("GetBlock" in a["message"] or "GetRevision" in a["message"] for a in blocks), blocks
assert not any(a["result"] == "VERIFIED" and a["kind"] != "continuity" for a in audit), audit
PY
rm -rf "$SCRATCH/state"
q snapshot --json --endpoint-url "$URL" --ledger financial-ledger
check "snapshot --json with proofs throttled, empty vault: nothing at all VERIFIED" python3 - "$SCRATCH/o" <<'PY'
import json, sys
audit = json.load(open(sys.argv[1]))["audit"]
assert audit and not any(a["result"] == "VERIFIED" for a in audit), audit
PY

# a ledger still CREATING: the calls its state rules out are not made
start creating --create-seconds 120 || not_ok "serve starts (--create-seconds 120)"
curl -s --max-time 5 --aws-sigv4 "aws:amz:us-east-1:qldb" --user "$KEY:$SECRET" \
	-H 'Content-Type: application/json' -d '{"Name":"slow-ledger","PermissionsMode":"STANDARD"}' \
	"$URL/ledgers" >"$SCRATCH/create.json"
check "curl's CreateLedger: slow-ledger is CREATING" grep -q '"State":"CREATING"' "$SCRATCH/create.json" ||
	sed 's/^/#   /' "$SCRATCH/create.json"
q snapshot --endpoint-url "$URL" --ledger slow-ledger
check "snapshot of a CREATING ledger: exit 0, its state, 3 calls not polled, no error line" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^  state         CREATING" "$2" &&
		[ "$(grep -c "^  not polled    .*not called: ledger .slow-ledger. is CREATING" "$2")" -eq 3 ] &&
		! grep -q "^  error" "$2" && [ ! -s "$3" ]' - "$rc" "$SCRATCH/o" "$SCRATCH/e" || show
q snapshot --json --endpoint-url "$URL"
check "snapshot --json: slow-ledger's not_polled are digest, kinesis and audit; no errors; financial-ledger polled in full" python3 - "$rc" "$SCRATCH/o" <<'PY'
import json, sys
assert sys.argv[1] == "0", sys.argv[1]
led = {l["name"]: l for l in json.load(open(sys.argv[2]))["ledgers"]}
s = led["slow-ledger"]
assert s["state"] == "CREATING" and s["digest"] is None and s["errors"] == [], s
assert sorted(n["kind"] for n in s["not_polled"]) == ["audit", "digest", "kinesis"], s["not_polled"]
assert all(n["operation"] and "CREATING" in n["message"] for n in s["not_polled"])
f = led["financial-ledger"]
assert f["state"] == "ACTIVE" and f["digest"] and f["not_polled"] == [] and f["errors"] == [], f
PY
check "... and nothing of slow-ledger is VERIFIED: no audit event of it at all" python3 - "$SCRATCH/o" <<'PY'
import json, sys
audit = json.load(open(sys.argv[1]))["audit"]
assert not [a for a in audit if a["ledger"] == "slow-ledger"], audit
assert any(a["ledger"] == "financial-ledger" for a in audit), audit
PY
q check --endpoint-url "$URL" --ledger slow-ledger
check "check of a CREATING ledger: WARNING for its state (exit 1), integrity UNKNOWN, never OK" \
	sh -c '[ "$1" -eq 1 ] && head -n1 "$2" | grep -q "^QLDB WARNING - " &&
		grep -q "^WARNING slow-ledger state: CREATING" "$2" && ! grep -q "^CRITICAL" "$2" &&
		grep -q "^UNKNOWN slow-ledger integrity: " "$2" && ! grep -q "^OK slow-ledger integrity" "$2"' \
	- "$rc" "$SCRATCH/o" || show
exit $TAP_FAILED
