#!/bin/sh
# cfn_cdk.sh - the recipe's CDK TypeScript app (assets/recipe/cdk-typescript)
# deployed by the endpoint's CloudFormation. Always: static checks of the
# app (exact version pins, the lock file, the YAML's parameters and outputs
# declared). With node, npm and the registry (make recipe-cdk): the app
# type-checks, `cdk synth` (into $SCRATCH) gives the YAML stack's
# parameters, resources and outputs, and that template, deployed with the
# Debian AWS CLI on one `qldbtop serve` while the YAML is deployed on
# another, gives the same outputs; assets/recipe/validate.sh passes against
# it; deletion protection off, delete-stack. Nothing is left in the repo.
. tests/lib/tap.sh

APP=assets/recipe/cdk-typescript
REPO=$(pwd)
trap 'for p in ${PIDS:-}; do kill "$p" 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT
has() { grep -q -- "$1" "$2"; }

# --- static: the app as committed ---
pins_exact() {
	for p in aws-cdk-lib constructs aws-cdk typescript tsx; do
		grep -Eq "\"$p\": \"[0-9]+\.[0-9]+\.[0-9]+\"" "$APP/package.json" || return 1
		grep -q "\"node_modules/$p\"" "$APP/package-lock.json" || return 1
	done
}
check "package.json pins aws-cdk-lib, constructs, aws-cdk, typescript, tsx exactly; the lock has them" \
	pins_exact
check "cdk.json runs bin/app.ts" has '"app": "npx tsx bin/app.ts"' "$APP/cdk.json"
check ".gitignore keeps node_modules/ and cdk.out/ out" \
	sh -c 'grep -qx "node_modules/" "$1" && grep -qx "cdk.out/" "$1"' - "$APP/.gitignore"
# the YAML's sections' names: Parameters, Resources, Outputs (two-space keys)
yaml_keys() { awk -v s="$1:" '$0 == s { on = 1; next } /^[A-Za-z]/ { on = 0 }
	on && /^  [A-Za-z0-9]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' assets/recipe/cloudformation.yaml | sort; }
declared() {
	for k in $(yaml_keys "$1"); do
		grep -Eq "$2'$k'" "$APP/lib/qldb-acid-stack.ts" || { echo "# missing $k"; return 1; }
	done
}
check "the stack declares the YAML's parameters" declared Parameters 'CfnParameter\(this, '
check "the stack declares the YAML's resources" declared Resources '\(this, '
check "the stack declares the YAML's outputs" declared Outputs '(output\(|^ +)'

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	skip "cdk synth and deploy" "node or npm is not installed"
	exit "$((TAP_FAILED > 0))"
fi
t0=$(date +%s)
if ! make -s recipe-cdk >"$SCRATCH/npm" 2>&1; then
	sed 's/^/# /' "$SCRATCH/npm" | tail -5
	skip "cdk synth and deploy" "make recipe-cdk failed (no npm registry?)"
	exit "$((TAP_FAILED > 0))"
fi
t1=$(date +%s)
echo "# make recipe-cdk: $((t1 - t0)) s"
AWS=$(debian_aws)
if [ -z "$AWS" ]; then
	not_ok "the Debian AWS CLI 2.x is installed (make deps)"
	exit 1
fi

# --- synth, out of the repo ---
export CDK_DISABLE_CLI_TELEMETRY=true
check "the app type-checks (tsc --noEmit)" sh -c 'cd "$1" && npx tsc -p . >"$2" 2>&1' - \
	"$APP" "$SCRATCH/tsc"
sed 's/^/# /' "$SCRATCH/tsc"
t0=$(date +%s)
(cd "$APP" && npx cdk synth --no-notices --quiet -o "$SCRATCH/synth.out") >"$SCRATCH/synth" 2>&1
rc=$?
t1=$(date +%s)
echo "# cdk synth: $((t1 - t0)) s"
TEMPLATE=$SCRATCH/synth.out/QldbAcidStack.template.json
check "cdk synth writes QldbAcidStack.template.json (exit $rc)" test "$rc" -eq 0 -a -s "$TEMPLATE"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$SCRATCH/synth"
# keys SECTION: the template's names in SECTION, sorted
keys() { node -e 'const t = require(process.argv[1]);
	console.log(Object.keys(t[process.argv[2]] || {}).sort().join("\n"))' "$TEMPLATE" "$1"; }
for s in Parameters Resources Outputs; do
	keys "$s" | grep -vx CDKMetadata >"$SCRATCH/cdk.$s"
	yaml_keys "$s" >"$SCRATCH/yaml.$s"
	check "the template's $s are the YAML's ($(tr '\n' ' ' <"$SCRATCH/cdk.$s"))" \
		cmp -s "$SCRATCH/cdk.$s" "$SCRATCH/yaml.$s"
done
keys Conditions >"$SCRATCH/cdk.Conditions"
check "the conditions: the YAML's two and CDKMetadataAvailable" \
	test "$(tr '\n' ' ' <"$SCRATCH/cdk.Conditions")" = "CDKMetadataAvailable IsProduction ProtectLedger "
check "no BootstrapVersion parameter, no Rules (generateBootstrapVersionRule: false)" \
	sh -c '! grep -q "BootstrapVersion\|\"Rules\"" "$1"' - "$TEMPLATE"
prop() { node -e 'const t = require(process.argv[1]); const r = t.Resources[process.argv[2]];
	console.log(JSON.stringify(process.argv[3].split(".").reduce((o, k) => o && o[k], r)))' \
	"$TEMPLATE" "$@"; }
check "ExportBucket: DeletionPolicy Retain" test "$(prop ExportBucket DeletionPolicy)" = '"Retain"'
check "ExportBucket: AES256" has AES256 "$TEMPLATE"
check "ExportBucket: versioning Enabled" \
	test "$(prop ExportBucket Properties.VersioningConfiguration.Status)" = '"Enabled"'
check "JournalKinesisStream: KMS encryption" \
	test "$(prop JournalKinesisStream Properties.StreamEncryption.EncryptionType)" = '"KMS"'
check "LedgerJournalStream DependsOn QLDBStreamRole" \
	test "$(prop LedgerJournalStream DependsOn)" = '["QLDBStreamRole"]'

# --- deploy: the YAML on one endpoint, the CDK template on another ---
# serve NAME: start `qldbtop serve`, set URL_NAME
serve() {
	"$QLDBTOP_BIN" serve --listen 127.0.0.1:0 --rate 0 >"$SCRATCH/serve-$1.out" 2>"$SCRATCH/serve-$1.err" &
	PIDS="${PIDS:-} $!"
	check "serve ($1) prints its endpoint within 10 s" \
		wait_for 10 grep -q '^endpoint: http://' "$SCRATCH/serve-$1.out"
	eval "URL_$1=\$(sed -n 's/^endpoint: //p' \"\$SCRATCH/serve-\$1.out\")"
}
serve yaml
serve cdk
# one set of keys for both: each endpoint prints the same demo keys
check "the two endpoints' keys are the same" sh -c \
	'[ "$(grep "^access key id: .\|^secret access key: ." "$1" | sort)" = "$(grep "^access key id: .\|^secret access key: ." "$2" | sort)" ]' \
	- "$SCRATCH/serve-yaml.out" "$SCRATCH/serve-cdk.out"
export AWS_ACCESS_KEY_ID="$(sed -n 's/^access key id: //p' "$SCRATCH/serve-cdk.out")"
export AWS_SECRET_ACCESS_KEY="$(sed -n 's/^secret access key: //p' "$SCRATCH/serve-cdk.out")"
export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_PAGER=
# at URL ARGS...: the CLI at one endpoint
at() { u=$1; shift; "$AWS" "$@" --endpoint-url "$u"; }
# deploy URL TEMPLATE: create-stack, wait; the outputs (key, value) sorted
# in $SCRATCH/TAG.outputs
deploy() {
	at "$1" cloudformation create-stack --stack-name qldb-acid-database \
		--template-body "file://$2" \
		--parameters ParameterKey=LedgerName,ParameterValue=financial-ledger \
		--capabilities CAPABILITY_IAM >"$SCRATCH/$3.create" 2>&1 &&
		at "$1" cloudformation wait stack-create-complete --stack-name qldb-acid-database &&
		at "$1" cloudformation describe-stacks --stack-name qldb-acid-database \
			--query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text |
		sort >"$SCRATCH/$3.outputs"
}
check "the YAML stack deploys (reference)" deploy "$URL_yaml" "$REPO/assets/recipe/cloudformation.yaml" yaml
t0=$(date +%s)
check "the CDK template deploys: create-stack, wait stack-create-complete" \
	deploy "$URL_cdk" "$TEMPLATE" cdk
echo "# create-stack + wait: $(( $(date +%s) - t0 )) s"
sed 's/^/# /' "$SCRATCH/cdk.create" "$SCRATCH/cdk.outputs"
at "$URL_cdk" cloudformation describe-stack-resources --stack-name qldb-acid-database \
	--query 'StackResources[].[LogicalResourceId,ResourceType,ResourceStatus]' --output text \
	>"$SCRATCH/res" 2>&1
sed 's/^/# /' "$SCRATCH/res"
check "seven resources (the YAML's six and CDKMetadata), all CREATE_COMPLETE" \
	sh -c '[ "$(grep -c CREATE_COMPLETE "$1")" -eq 7 ] && [ "$(wc -l <"$1")" -eq 7 ] &&
		grep -q "^CDKMetadata.AWS::CDK::Metadata" "$1"' - "$SCRATCH/res"
# role ARNs end in a random suffix: compared without it
check "the outputs equal the YAML stack's (keys, ledger, stream, bucket, ARNs)" \
	sh -c '[ -s "$1" ] && [ "$(wc -l <"$1")" -eq 6 ] &&
		[ "$(sed "s/-[A-Z0-9]\{12\}\$//" "$1")" = "$(sed "s/-[A-Z0-9]\{12\}\$//" "$2")" ]' \
	- "$SCRATCH/cdk.outputs" "$SCRATCH/yaml.outputs"
output() { awk -v k="$1" '$1 == k { print $2 }' "$SCRATCH/cdk.outputs"; }
check "LedgerName output is financial-ledger" test "$(output LedgerName)" = financial-ledger

# --- the recipe's validation against the CDK stack, with its outputs ---
(cd assets/recipe && env ENDPOINT="$URL_cdk" AWS="$AWS" LEDGER="$(output LedgerName)" \
	KINESIS_STREAM="$(output KinesisStreamName)" EXPORT_BUCKET="$(output ExportBucketName)" \
	EXPORT_ROLE="$(output ExportRoleArn)" sh ./validate.sh) >"$SCRATCH/v" 2>&1
vrc=$?
sed 's/^/# /' "$SCRATCH/v"
check "validate.sh passes against the CDK stack (exit 0, six PASS)" \
	sh -c '[ "$1" -eq 0 ] && [ "$(grep -c "^PASS" "$2")" -eq 6 ]' - "$vrc" "$SCRATCH/v"

# --- cleanup: deletion protection off, delete-stack ---
at "$URL_cdk" qldb update-ledger --name financial-ledger --no-deletion-protection \
	>"$SCRATCH/upd" 2>&1
check "update-ledger --no-deletion-protection" has '"DeletionProtection": false' "$SCRATCH/upd"
at "$URL_cdk" cloudformation delete-stack --stack-name qldb-acid-database
check "wait stack-delete-complete succeeds" \
	at "$URL_cdk" cloudformation wait stack-delete-complete --stack-name qldb-acid-database
at "$URL_cdk" s3 ls >"$SCRATCH/ls" 2>&1
check "the export bucket is kept (DeletionPolicy Retain)" \
	has financial-ledger-exports-123456789012 "$SCRATCH/ls"

# --- nothing left in the repo: cdk.out and tsc output went to $SCRATCH ---
git status --porcelain --ignored -- "$APP" | grep -v '^!! assets/recipe/cdk-typescript/node_modules/$' \
	>"$SCRATCH/left"
sed 's/^/# /' "$SCRATCH/left"
check "no files left in $APP (only node_modules)" test ! -s "$SCRATCH/left"
exit "$((TAP_FAILED > 0))"
