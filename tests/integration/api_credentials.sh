#!/bin/sh
# api_credentials.sh - configuration and credentials resolved as qldbtop
# resolves them, through build/tools/creds_probe in a clean environment:
# env keys vs --profile vs AWS_PROFILE, shared files, credential_process,
# container credentials and IMDSv2 (tests/lib/metadata_server.py),
# per-service endpoints, one-line errors, and no secret in any output
# (the probe prints the first 16 hex digits of the secret's SHA-256, which
# the checks compute independently with sha256sum).
. tests/lib/tap.sh
TOOLS=${QLDBTOP_TOOLS:-build/tools}
PROBE=$TOOLS/creds_probe
[ -x "$PROBE" ] || { not_ok "creds_probe is built ($PROBE)"; exit 1; }

CFG=$SCRATCH/config
CRED=$SCRATCH/credentials
ALL=$SCRATCH/all-output # every output of the probe, searched for secrets

# probe NAME [VAR=VALUE...] -- ARGS...: run the probe in a clean environment
probe() {
	pn=$1; shift
	vars=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do vars="$vars $1"; shift; done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086
	env -i PATH="$PATH" HOME="$SCRATCH" AWS_CONFIG_FILE="$CFG" \
		AWS_SHARED_CREDENTIALS_FILE="$CRED" AWS_EC2_METADATA_DISABLED=true $vars \
		"$PROBE" "$@" >"$SCRATCH/$pn.out" 2>"$SCRATCH/$pn.err"
	rc=$?
	cat "$SCRATCH/$pn.out" "$SCRATCH/$pn.err" >>"$ALL"
	return $rc
}
# has NAME TEXT: the probe's stdout holds the line
has() { grep -qxF -- "$2" "$SCRATCH/$1.out" || { sed 's/^/#   /' "$SCRATCH/$1.out" "$SCRATCH/$1.err"; return 1; }; }
sha() { printf '%s' "$1" | sha256sum | cut -c1-16; }
# fails NAME TEXT: exit 1, one line on stderr holding TEXT, nothing on stdout
fails() {
	if [ "$rc" -eq 1 ] && [ "$(wc -l <"$SCRATCH/$1.err")" -eq 1 ] &&
		grep -qF -- "$2" "$SCRATCH/$1.err" && [ ! -s "$SCRATCH/$1.out" ]; then
		return 0
	fi
	echo "#   exit $rc"; sed 's/^/#   /' "$SCRATCH/$1.err" "$SCRATCH/$1.out"
	return 1
}

ENV_SECRET=env-secret-NEVER-printed-1
FILE_SECRET=file-secret-NEVER-printed-2
PROC_SECRET=proc-secret-NEVER-printed-3
PROC_TOKEN=proc-token-NEVER-printed-4

cat >"$CFG" <<EOF
[default]
region = eu-west-2
[profile dev]
region = ap-south-1
s3 =
  addressing_style = path
[profile proc]
region = ca-central-1
credential_process = "$SCRATCH/my helper" good
[profile broken]
credential_process = "$SCRATCH/my helper" fail
[profile local]
services = local-endpoints
endpoint_url = http://127.0.0.1:4566
[services local-endpoints]
cloudwatch =
  endpoint_url = http://127.0.0.1:4999
EOF
cat >"$CRED" <<EOF
[dev]
aws_access_key_id = AKIDDEVFROMFILE00001
aws_secret_access_key = $FILE_SECRET
EOF
cat >"$SCRATCH/my helper" <<EOF
#!/bin/sh
case \$1 in
good) printf '{"Version": 1, "AccessKeyId": "AKIDFROMPROCESS00001", "SecretAccessKey": "%s", "SessionToken": "%s", "Expiration": "2099-01-01T00:00:00Z"}' "$PROC_SECRET" "$PROC_TOKEN" ;;
fail) echo "helper: please log in" >&2; exit 1 ;;
esac
EOF
chmod +x "$SCRATCH/my helper"

ENVKEYS="AWS_ACCESS_KEY_ID=AKIDFROMENVIRONMENT1 AWS_SECRET_ACCESS_KEY=$ENV_SECRET"

probe envkeys $ENVKEYS --
check "env keys: source environment" has envkeys "source: environment"
check "env keys: the env key id" has envkeys "key id: AKIDFROMENVIRONMENT1"
check "env keys: the env secret (by digest)" has envkeys "secret: sha256:$(sha "$ENV_SECRET")"
check "default profile's region" has envkeys "region: eu-west-2 (profile)"
check "default endpoints per service" sh -c "grep -qxF 'endpoint qldb: https://qldb.eu-west-2.amazonaws.com (default)' '$SCRATCH/envkeys.out' &&
	grep -qxF 'endpoint monitoring: https://monitoring.eu-west-2.amazonaws.com (default)' '$SCRATCH/envkeys.out' &&
	grep -qxF 'endpoint kinesis: https://kinesis.eu-west-2.amazonaws.com (default)' '$SCRATCH/envkeys.out' &&
	grep -qxF 'endpoint s3: https://s3.eu-west-2.amazonaws.com (default)' '$SCRATCH/envkeys.out'"

probe envprofile $ENVKEYS AWS_PROFILE=dev --
check "env keys win over AWS_PROFILE" has envprofile "source: environment"
check "AWS_PROFILE still picks the region" has envprofile "region: ap-south-1 (profile)"

probe flagprofile $ENVKEYS AWS_PROFILE=proc -- --profile dev
check "--profile drops env keys: the credentials file's" has flagprofile "key id: AKIDDEVFROMFILE00001"
check "--profile: the file's secret (by digest)" has flagprofile "secret: sha256:$(sha "$FILE_SECRET")"
check "--profile wins over AWS_PROFILE" has flagprofile "profile: dev"

probe proc -- --profile proc --region us-west-1
check "credential_process: source" has proc "source: credential_process (profile proc)"
check "credential_process: key id" has proc "key id: AKIDFROMPROCESS00001"
check "credential_process: token (by digest)" has proc "token: sha256:$(sha "$PROC_TOKEN")"
check "--region over the profile's" has proc "region: us-west-1 (--region)"

probe broken -- --profile broken
check "credential_process exit 1: one line naming profile and exit" fails broken \
	"creds_probe: credential_process for profile broken exited 1: helper: please log in"

probe nope -- --profile nope
check "a missing profile: one line naming it and the files" fails nope \
	"profile nope: no such profile in $CFG or $CRED"

probe none --
check "no credentials: every source named" fails none \
	"no credentials: tried environment, profile default (shared files), container (not set), instance metadata (disabled)"

probe local $ENVKEYS AWS_PROFILE=local AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:4567 --
check "AWS_ENDPOINT_URL_KINESIS for kinesis" has local "endpoint kinesis: http://127.0.0.1:4567 (AWS_ENDPOINT_URL_KINESIS)"
check "services section for cloudwatch" has local "endpoint monitoring: http://127.0.0.1:4999 (profile services section)"
check "profile endpoint_url for the rest" has local "endpoint qldb: http://127.0.0.1:4566 (profile endpoint_url)"

probe flagurl $ENVKEYS AWS_ENDPOINT_URL=http://127.0.0.1:1 -- --endpoint-url http://127.0.0.1:8443/
check "--endpoint-url for every service" sh -c "[ \$(grep -c '^endpoint .*: http://127.0.0.1:8443 (--endpoint-url)\$' '$SCRATCH/flagurl.out') -eq 5 ]"

probe ignore $ENVKEYS AWS_ENDPOINT_URL=http://127.0.0.1:1 AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true --
check "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: default hosts" has ignore "endpoint qldb: https://qldb.eu-west-2.amazonaws.com (default)"

printf '[default]\nregion = eu-west-1\nthis is not a setting\n' >"$SCRATCH/bad-config"
probe badfile $ENVKEYS AWS_CONFIG_FILE="$SCRATCH/bad-config" --
check "a malformed config file: file and line" fails badfile "$SCRATCH/bad-config line 3:"

# ---- container and instance metadata through the local server ----
if ! command -v python3 >/dev/null; then
	not_ok "python3 for metadata_server.py"
	exit 1
fi
python3 tests/lib/metadata_server.py --container-token "auth-NEVER-printed" >"$SCRATCH/server.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$SCRATCH"' EXIT
if wait_for 10 grep -q '^port: ' "$SCRATCH/server.out"; then
	PORT=$(sed -n 's/^port: //p' "$SCRATCH/server.out")
	ok "metadata_server.py listens"
else
	not_ok "metadata_server.py listens"; cat "$SCRATCH/server.out"; exit 1
fi
stat_of() {
	python3 -c "import json,sys,urllib.request; print(json.load(urllib.request.urlopen('http://127.0.0.1:$PORT/_stats'))[sys.argv[1]])" "$1"
}
control() {
	python3 -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:$PORT/_control?$1', method='POST'))"
}

probe container AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$PORT/container/creds" \
	AWS_CONTAINER_AUTHORIZATION_TOKEN=auth-NEVER-printed --
check "container: source" has container "source: container credentials http://127.0.0.1:$PORT/container/creds"
check "container: key id" has container "key id: ASIAMETADATATEST0001"
check "container: token (by digest)" has container "token: sha256:$(sha metadata-token-never-printed)"

probe container401 AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$PORT/container/creds" \
	AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong-NEVER-printed --
check "container: a wrong token is HTTP 401, one line" fails container401 \
	"container credentials: http://127.0.0.1:$PORT/container/creds: HTTP 401"

probe containerhost AWS_CONTAINER_CREDENTIALS_FULL_URI=http://192.0.2.1/creds --
check "container: a host outside the allow-list" fails containerhost "host '192.0.2.1' is not allowed"

probe imds AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$PORT" --
check "IMDSv2: source names the role" has imds "source: instance metadata (role qldbtop-test-role, http://127.0.0.1:$PORT)"
check "IMDSv2: key id" has imds "key id: ASIAMETADATATEST0001"
check "IMDSv2: a token was asked for first" test "$(stat_of token)" -eq 1
check "IMDSv2: no request without a token" test "$(stat_of refused)" -eq 0

control "expire_in=120"
probe imdsrefresh AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$PORT" -- --gets 2
check "IMDSv2: keys expiring within 5 minutes are refreshed on each get" test "$(stat_of token)" -eq 5
check "IMDSv2: refreshed gets succeed" sh -c "grep -c '^get [12]: ASIAMETADATATEST0001 ' '$SCRATCH/imdsrefresh.out' | grep -qx 2"
control "expire_in=3600"

control "slow=3"
start=$(date +%s%N)
probe imdsslow AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$PORT" --
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "IMDSv2: a slow service times out after 1 s, one attempt" fails imdsslow "instance metadata (http://127.0.0.1:$PORT: no answer within 1000 ms)"
check "IMDSv2: ... and the probe returns within 3 s ($ms ms)" test "$ms" -lt 3000
control "slow=0"

before=$(stat_of token)
probe imdsoff AWS_EC2_METADATA_DISABLED=true AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$PORT" --
check "IMDS disabled: named in the error" fails imdsoff "instance metadata (disabled)"
check "IMDS disabled: not one request" test "$(stat_of token)" -eq "$before"

# ---- secrets ----
i=0
for s in "$ENV_SECRET" "$FILE_SECRET" "$PROC_SECRET" "$PROC_TOKEN" metadata-secret-never-printed \
	metadata-token-never-printed auth-NEVER-printed wrong-NEVER-printed; do
	i=$((i + 1))
	check "no output holds secret $i" sh -c "! grep -qF -- '$s' '$ALL'"
done
check "the outputs were collected" test -s "$ALL"
exit "$TAP_FAILED"
