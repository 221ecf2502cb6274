# common.sh - what deploy.sh and destroy.sh share (sourced, never run):
# messages and exits, the AWS CLI v2 and the endpoint, the prompts, and
# watching a stack's events until it settles. Each script sets PROG before
# sourcing it, and STACK, REGION, ENDPOINT_URL, YES from its flags.
# shellcheck shell=bash disable=SC2034 # VALUE, STACK_ID...: set for the caller

# die MESSAGE: one line on stderr, exit 1 (nothing after it runs)
die() {
	printf '%s: %s\n' "$PROG" "$1" >&2
	exit 1
}
# usage_error MESSAGE: a bad command line, exit 2
usage_error() {
	printf '%s: %s (see %s --help)\n' "$PROG" "$1" "$PROG" >&2
	exit 2
}
# say MESSAGE...: progress for the person running the script (stderr:
# stdout carries only the results)
say() { printf '%s\n' "$*" >&2; }

# take_value FLAG NEXT: the value of a flag given as "--flag VALUE" (the
# caller shifts 2) or as "--flag=VALUE" (the caller shifts 1), in VALUE
take_value() {
	case $1 in
	--*=*) VALUE=${1#*=} ;;
	*)
		if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi
		VALUE=$2
		;;
	esac
}

# find_aws: AWS, the AWS CLI v2. $AWS when set; else the first aws on
# PATH (or /usr/bin/aws, Debian's) that says aws-cli/2: a pip install of
# v1 may come first on PATH, and v1 lacks what the recipe needs.
find_aws() {
	local a v first=
	if [ -n "${AWS:-}" ]; then
		command -v "$AWS" >/dev/null 2>&1 || die "AWS=$AWS: no such command"
		v=$("$AWS" --version 2>&1)
		case $v in aws-cli/2.*) return 0 ;; esac
		die "AWS=$AWS is not the AWS CLI v2 (it says: ${v%% *}); point AWS at an aws-cli/2"
	fi
	for a in $(type -ap aws) /usr/bin/aws; do
		[ -x "$a" ] || continue
		first=${first:-$a}
		v=$("$a" --version 2>&1)
		case $v in aws-cli/2.*)
			AWS=$a
			return 0
			;;
		esac
	done
	[ -n "$first" ] || die "the AWS CLI v2 is not installed (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html); or set AWS=/path/to/aws"
	die "$first is the AWS CLI v1 (${v%% *}); install the AWS CLI v2, or set AWS=/path/to/aws-v2"
}

# aws ARGS...: the CLI at the chosen region and endpoint (the AWS CLI v2
# before 2.13 ignores AWS_ENDPOINT_URL, so it is passed as a flag), with
# no pager: nothing waits on a keypress
aws() {
	local extra=()
	[ -n "${REGION:-}" ] && extra+=(--region "$REGION")
	[ -n "${ENDPOINT_URL:-}" ] && extra+=(--endpoint-url "$ENDPOINT_URL")
	AWS_PAGER='' "$AWS" "$@" "${extra[@]}"
}

# cli_error FILE: the one line of the CLI's error output that says what
# went wrong ("An error occurred (X) when calling Y: ..." or the last line)
cli_error() {
	local line
	line=$(grep -m1 -E 'error occurred|Unable to locate credentials|Could not connect|You must specify a region' "$1")
	[ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' "$1" | tail -n 1)
	printf '%s' "${line:-the AWS CLI failed with no message}"
}

# region_shown: the region the CLI will use, for the summaries
region_shown() {
	if [ -n "${REGION:-}" ]; then
		printf '%s' "$REGION"
	elif [ -n "${AWS_REGION:-${AWS_DEFAULT_REGION:-}}" ]; then
		printf '%s' "${AWS_REGION:-$AWS_DEFAULT_REGION}"
	else
		AWS_PAGER='' "$AWS" configure get region 2>/dev/null || printf '(none set)'
	fi
}

# ask PROMPT DEFAULT: the answer in ANSWER (DEFAULT when the line is
# empty). At end of input nobody is answering: refuse, before anything
# is made or deleted.
ask() {
	local line
	# the prompt goes to stderr even when the answers are piped in
	if [ -n "$2" ]; then printf '%s [%s]: ' "$1" "$2" >&2; else printf '%s ' "$1" >&2; fi
	if ! IFS= read -r line; then
		printf '\n' >&2
		die "no answer; pass --yes to run without prompts"
	fi
	line=${line#"${line%%[![:space:]]*}"}
	line=${line%"${line##*[![:space:]]}"}
	ANSWER=${line:-$2}
}

# confirm PROMPT: 0 for y or yes, 1 for anything else (the default is no)
confirm() {
	ask "$1 [y/N]" ""
	case $ANSWER in [yY] | [yY][eE][sS]) return 0 ;; esac
	return 1
}

# stack_status NAME: the stack's status, or nothing when there is no such
# stack; any other failure (credentials, network) is fatal
stack_status() {
	local err
	err=$(mktemp)
	if STATUS=$(aws cloudformation describe-stacks --stack-name "$1" \
		--query 'Stacks[0].[StackStatus,StackId]' --output text 2>"$err"); then
		rm -f "$err"
		STACK_ID=${STATUS#*[[:space:]]}
		STATUS=${STATUS%%[[:space:]]*}
		return 0
	fi
	if grep -q 'does not exist' "$err"; then
		rm -f "$err"
		STATUS='' STACK_ID=''
		return 0
	fi
	local msg
	msg=$(cli_error "$err")
	rm -f "$err"
	die "cannot read stack $1: $msg"
}

# WATCH_SECONDS: how often a settling stack is polled; WATCH_LIMIT: how
# long before giving up (QLDB ledgers take minutes to create and delete)
WATCH_SECONDS=${WATCH_SECONDS:-3}
WATCH_LIMIT=${WATCH_LIMIT:-3600}

# stack_watch STACK_ID [SINCE]: print each new event of the stack until
# the stack's own status leaves *_IN_PROGRESS; the final status in STATUS.
# With SINCE (a file of event ids, from stack_event_ids), those events are
# old news and not printed. Events are read by stack id, which still
# answers once a stack is deleted; a stack gone before its last event was
# read counts as deleted.
stack_watch() {
	local seen events err deadline
	seen=$(mktemp) events=$(mktemp) err=$(mktemp)
	[ -n "${2:-}" ] && cat "$2" >"$seen"
	deadline=$((SECONDS + WATCH_LIMIT))
	STATUS=
	while :; do
		if aws cloudformation describe-stack-events --stack-name "$1" \
			--query 'StackEvents[].[EventId,Timestamp,LogicalResourceId,ResourceType,ResourceStatus,ResourceStatusReason]' \
			--output text >"$events" 2>"$err"; then
			# newest first from the API: print the unseen ones oldest first
			tac "$events" | while IFS=$'\t' read -r id ts logical type status reason; do
				grep -qxF -- "$id" "$seen" && continue
				printf '%s\n' "$id" >>"$seen"
				[ "$reason" = None ] && reason=
				printf '  %s  %-22s %-28s %s%s\n' "${ts:11:8}" "$logical" "$type" "$status" \
					"${reason:+  $reason}" >&2
			done
			STATUS=$(awk -F'\t' '$4 == "AWS::CloudFormation::Stack" { print $5; exit }' "$events")
		elif grep -q 'does not exist' "$err"; then
			STATUS=DELETE_COMPLETE
		else
			say "  (could not read the stack's events: $(cli_error "$err"); retrying)"
		fi
		case $STATUS in *_IN_PROGRESS | '') ;; *) break ;; esac
		if [ "$SECONDS" -ge "$deadline" ]; then
			rm -f "$seen" "$events" "$err"
			die "stack is still ${STATUS:-settling} after ${WATCH_LIMIT}s; watch it with: aws cloudformation describe-stack-events --stack-name $1"
		fi
		sleep "$WATCH_SECONDS"
	done
	rm -f "$seen" "$events" "$err"
}

# stack_event_ids STACK_ID: the ids of the stack's events so far
stack_event_ids() {
	aws cloudformation describe-stack-events --stack-name "$1" \
		--query 'StackEvents[].EventId' --output text 2>/dev/null | tr '\t' '\n'
}

# stack_failure STACK_ID: the first resource that failed, with its reason
# (the root cause: later failures are cancellations it caused)
stack_failure() {
	# shellcheck disable=SC2016 # JMESPath literals, not shell
	aws cloudformation describe-stack-events --stack-name "$1" \
		--query 'StackEvents[?ends_with(ResourceStatus, `_FAILED`) && ResourceType != `AWS::CloudFormation::Stack`].[LogicalResourceId,ResourceType,ResourceStatusReason]' \
		--output text 2>/dev/null | tail -n 1 | awk -F'\t' '{ printf "%s (%s): %s", $1, $2, $3 }'
}
