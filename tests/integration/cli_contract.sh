#!/bin/sh
# cli_contract.sh - the command line contract of DESIGN.md, for every
# command at once (one table in tui/cli.c drives them all): every command
# answers --help (exit 0, its name in the output), global options work
# before and after the command, --opt=value and --opt value alike, a
# secret's value is never echoed, a port in use and a missing terminal are
# environment errors (exit 2, one line), and every usage or input error of
# every command (unknown option, missing value, missing file, a directory
# where a file is expected, too many arguments) exits 2 with one line on
# stderr and nothing on stdout, never 1 (1 is an integrity failure only).
# The dashboard's config file and theme are checked before the terminal,
# so their errors show here too.
. tests/lib/tap.sh

# the user's own config file and theme choice stay out of these runs
export XDG_CONFIG_HOME="$SCRATCH/xdg"
unset QLDBTOP_CONFIG QLDBTOP_THEME

DIGEST=$SHARED/vectors/qldb/aws-cli-examples/get-digest.output.json
mkdir -p "$SCRATCH/dir" "$SCRATCH/empty"
printf '{}\n' >"$SCRATCH/r.json"

# run ARGS...: qldbtop ARGS with no terminal; $rc, $SCRATCH/o, $SCRATCH/e
run() {
	"$QLDBTOP_BIN" "$@" </dev/null >"$SCRATCH/o" 2>"$SCRATCH/e"
	rc=$?
}
# expect2 NAME ARGS...: exit 2, one line on stderr, nothing on stdout
expect2() {
	e2=$1; shift
	run "$@"
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$SCRATCH/e")" -eq 1 ] && [ ! -s "$SCRATCH/o" ]; then
		ok "$e2"
	else
		not_ok "$e2 (exit $rc)"; sed 's/^/#   /' "$SCRATCH/e" "$SCRATCH/o" | head -n 5
	fi
}
# no_secret NAME: TOPSECRET is in neither output
no_secret() {
	check "$1: the secret is not echoed" sh -c '! grep -q TOPSECRET "$1" "$2"' - \
		"$SCRATCH/o" "$SCRATCH/e"
}

# --- help ---------------------------------------------------------------
run --help
check "qldbtop --help: exit 0" test "$rc" -eq 0
for c in serve verify-export verify-proof ionhash dashboard help; do
	check "qldbtop --help lists $c" grep -q "qldbtop .*$c" "$SCRATCH/o"
done
for n in 0 1 2 3; do
	check "qldbtop --help states exit status $n" grep -q "^  $n  " "$SCRATCH/o"
done
for c in serve verify-export verify-proof ionhash dashboard help; do
	for h in --help -h; do
		run "$c" "$h"
		check "$c $h: exit 0, usage naming $c on stdout" \
			sh -c '[ "$1" -eq 0 ] && grep -q "^usage: qldbtop.*$2" "$3" &&
				grep -q "^exit status:" "$3" && [ ! -s "$4" ]' \
			- "$rc" "$c" "$SCRATCH/o" "$SCRATCH/e"
	done
	run help "$c"
	check "help $c: exit 0, usage naming $c" \
		sh -c '[ "$1" -eq 0 ] && grep -q "^usage: qldbtop.*$2" "$3"' - "$rc" "$c" "$SCRATCH/o"
done
run --demo --help
check "the dashboard's --help after its options: exit 0" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^usage: qldbtop \[dashboard\]" "$2"' - "$rc" "$SCRATCH/o"
run --version
check "--version: exit 0, the version" sh -c '[ "$1" -eq 0 ] && grep -q "^qldbtop [0-9]" "$2"' \
	- "$rc" "$SCRATCH/o"

# --- global options before and after the command -------------------------
run --region us-east-1 serve --help
check "--region before serve, then --help: exit 0, serve's help" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^usage: qldbtop serve" "$2"' - "$rc" "$SCRATCH/o"
run serve --region us-east-1 --help
check "--region after serve, then --help: exit 0, serve's help" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^usage: qldbtop serve" "$2"' - "$rc" "$SCRATCH/o"
: >"$SCRATCH/empty.ion"
run --region=us-east-1 ionhash --endpoint-url=http://127.0.0.1:1 --no-color "$SCRATCH/empty.ion"
check "globals on a command they do not act on: accepted and ignored (exit 0)" test "$rc" -eq 0

# --- serve: both value forms, port in use, secrets -----------------------
# start_serve OUT ARGS...: serve in the background; waits for its URL
start_serve() {
	so=$1; shift
	"$QLDBTOP_BIN" serve "$@" >"$so" 2>"$so.err" &
	PID=$!
	wait_for 10 grep -q '^endpoint: http://' "$so"
}
start_serve "$SCRATCH/s1" --listen=127.0.0.1:0
check "serve --listen=127.0.0.1:0 starts" test $? -eq 0
S1=$PID
trap 'kill "$S1" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
check "serve --listen=127.0.0.1:0 serves on loopback" \
	grep -Eq '^endpoint: http://127\.0\.0\.1:[1-9][0-9]*$' "$SCRATCH/s1"
PORT=$(sed -n 's/^endpoint: http:\/\/127\.0\.0\.1://p' "$SCRATCH/s1")

expect2 "a second serve on a port in use: exit 2, one line" serve --listen "127.0.0.1:$PORT"
check "a port in use: the line names the port" grep -q "$PORT" "$SCRATCH/e"
expect2 "a port in use (= form): exit 2, one line" serve --listen="127.0.0.1:$PORT"

kill -TERM "$S1"
wait "$S1"
check "serve (= form) stops on SIGTERM with exit 0" test $? -eq 0

start_serve "$SCRATCH/s2" --listen 127.0.0.1:0
check "serve --listen 127.0.0.1:0 (separate form) starts" test $? -eq 0
S1=$PID
check "serve --listen 127.0.0.1:0 serves on loopback" \
	grep -Eq '^endpoint: http://127\.0\.0\.1:[1-9][0-9]*$' "$SCRATCH/s2"
kill -TERM "$S1"
wait "$S1"
check "serve (separate form) stops on SIGTERM with exit 0" test $? -eq 0

expect2 "serve --secret-acces-key=TOPSECRET (a typo): exit 2, one line" \
	serve --secret-acces-key=TOPSECRET
no_secret "a mistyped secret option (= form)"
check "a mistyped option is named" grep -q -- "'--secret-acces-key'" "$SCRATCH/e"
expect2 "serve --secret-acces-key TOPSECRET: exit 2, one line" serve --secret-acces-key TOPSECRET
no_secret "a mistyped secret option (separate form)"
expect2 "a secret with a bad --listen: exit 2, one line" \
	serve --access-key-id AKIDX --secret-access-key=TOPSECRET --listen bad
no_secret "a secret with a bad --listen"
expect2 "a secret given twice: exit 2, one line" \
	serve --secret-access-key=TOPSECRET --secret-access-key TOPSECRET --access-key-id A
no_secret "a secret given twice"
expect2 "a secret without its key id: exit 2, one line" serve --secret-access-key TOPSECRET
no_secret "a secret without its key id"
for c in serve verify-export verify-proof ionhash dashboard; do
	expect2 "$c: an unknown option's value is not echoed" "$c" --password=TOPSECRET
	no_secret "$c --password=TOPSECRET"
done

# --- the dashboard without a terminal --------------------------------------
expect2 "the dashboard without a terminal: exit 2, one line" --region us-east-1
check "no terminal: the line says so" grep -q terminal "$SCRATCH/e"
expect2 "the demo without a terminal: exit 2, one line" --demo

# --- the dashboard's config file and theme, before the terminal ----------
# expect_err NAME TEXT ARGS...: exit 2, one line on stderr holding TEXT
expect_err() {
	n=$1; want=$2; shift 2
	expect2 "$n" "$@"
	check "$n: the line says '$want'" grep -qF -- "$want" "$SCRATCH/e"
}
expect_err "--config of a missing file" "config /nonexistent: No such file or directory" \
	--config /nonexistent
expect_err "--config of a folder" "config $SCRATCH/dir: not a regular file" --config "$SCRATCH/dir"
printf 'theme = mono\n\n# the bell\nbell = maybe\n' >"$SCRATCH/bad.cfg"
expect_err "a bad config value names file:line:key" \
	"config $SCRATCH/bad.cfg:4: bell: expected true or false, got 'maybe'" \
	--config "$SCRATCH/bad.cfg"
printf 'colour = red\n' >"$SCRATCH/unknown.cfg"
expect_err "an unknown config key names file:line:key" \
	"config $SCRATCH/unknown.cfg:1: colour: unknown setting" --config="$SCRATCH/unknown.cfg"
printf 'key.quit = F13\n' >"$SCRATCH/key.cfg"
expect_err "a bad key spec names file:line:key" \
	"config $SCRATCH/key.cfg:1: key.quit: 'F13' is not a key" --config "$SCRATCH/key.cfg"
printf '# keys\nkey.frobnicate = x\n' >"$SCRATCH/action.cfg"
expect_err "an unknown action names file:line:key" \
	"config $SCRATCH/action.cfg:2: key.frobnicate: no action called 'frobnicate'" \
	--config "$SCRATCH/action.cfg"
expect_err "--theme nosuch lists the themes" \
	"unknown theme 'nosuch' (available: default, high-contrast, mono)" --theme nosuch
expect_err "--theme is a name, never a path" "unknown theme '../../etc/passwd'" \
	--theme ../../etc/passwd
run --demo --theme nosuch
check "--demo --theme nosuch: exit 2 before the endpoint starts" \
	sh -c '[ "$1" -eq 2 ] && grep -q "unknown theme" "$2"' - "$rc" "$SCRATCH/e"
mkdir -p "$SCRATCH/xdg/qldbtop"
printf '[profile prod]\nreadonly = yes\n' >"$SCRATCH/xdg/qldbtop/config"
expect_err "the default file (XDG_CONFIG_HOME) is read and checked" \
	"config $SCRATCH/xdg/qldbtop/config:2: readonly: expected true or false, got 'yes'"
expect_err "--config over the default file" "config /nonexistent:" --config /nonexistent
# run_env NAME=VALUE ARGS...: run with one more variable in the environment
run_env() {
	v=$1; shift
	env "$v" "$QLDBTOP_BIN" "$@" </dev/null >"$SCRATCH/o" 2>"$SCRATCH/e"
	rc=$?
}
run_env QLDBTOP_CONFIG=/nonexistent
check "QLDBTOP_CONFIG of a missing file: exit 2 naming it" \
	sh -c '[ "$1" -eq 2 ] && grep -q "config /nonexistent:" "$2"' - "$rc" "$SCRATCH/e"
run_env QLDBTOP_THEME=nosuch --config "$SCRATCH/key.cfg"
check "QLDBTOP_THEME: the file is checked first, then the theme" \
	sh -c '[ "$1" -eq 2 ] && grep -q "key.cfg:1:" "$2"' - "$rc" "$SCRATCH/e"
printf 'theme = high-contrast\nbell = true\n' >"$SCRATCH/good.cfg"
run_env QLDBTOP_THEME=nosuch --config "$SCRATCH/good.cfg"
check "QLDBTOP_THEME over the file's theme, named in the error" \
	sh -c '[ "$1" -eq 2 ] && grep -q "^qldbtop: QLDBTOP_THEME: unknown theme .nosuch." "$2"' \
	- "$rc" "$SCRATCH/e"
rm "$SCRATCH/xdg/qldbtop/config"
for t in default mono high-contrast; do
	run --config "$SCRATCH/good.cfg" --theme "$t" --readonly --no-mouse --ascii
	check "a good config file and --theme $t reach the terminal check" \
		sh -c '[ "$1" -eq 2 ] && grep -q terminal "$2"' - "$rc" "$SCRATCH/e"
done
mkdir -p "$SCRATCH/assets/themes"
printf 'normal default default normal\n' >"$SCRATCH/assets/themes/broken"
run_env QLDBTOP_ASSETS="$SCRATCH/assets" --theme broken
check "a broken theme file names its file:line" \
	sh -c '[ "$1" -eq 2 ] && grep -qF "$3/assets/themes/broken:1: expected" "$2"' \
	- "$rc" "$SCRATCH/e" "$SCRATCH"
run_env QLDBTOP_ASSETS="$SCRATCH/nowhere"
check "without the theme assets the built-in default still runs" \
	sh -c '[ "$1" -eq 2 ] && grep -q terminal "$2"' - "$rc" "$SCRATCH/e"

expect2 "an unknown command: exit 2, one line" frobnicate
expect2 "help for an unknown command: exit 2, one line" help frobnicate

# --- every usage or input error of every command: exit 2 -----------------
# serve reads no file, so it has no missing-file or directory case.
expect2 "serve: unknown option" serve --bogus
expect2 "serve: missing value" serve --listen
expect2 "serve: missing value (next is an option)" serve --listen --region r
expect2 "serve: a flag given a value" serve --no-color=yes
expect2 "serve: too many arguments" serve extra

expect2 "verify-export: unknown option" verify-export "$SCRATCH/empty" --bogus
expect2 "verify-export: missing value" verify-export "$SCRATCH/empty" --digest
expect2 "verify-export: --opt=value bad number" verify-export "$SCRATCH/empty" --jobs=0
expect2 "verify-export: nonexistent folder" verify-export "$SCRATCH/nope"
expect2 "verify-export: missing digest file" verify-export "$SCRATCH/empty" --digest "$SCRATCH/nope.json"
expect2 "verify-export: a directory as the digest file" \
	verify-export "$SCRATCH/empty" --digest="$SCRATCH/dir"
expect2 "verify-export: a file as the folder" verify-export "$SCRATCH/r.json"
expect2 "verify-export: no folder" verify-export --json
# CLI_ARGS_MAX (1024) folders at most
expect2 "verify-export: too many arguments" verify-export $(seq -f "$SCRATCH/d%g" 1 1025)

expect2 "verify-proof: unknown option" verify-proof "$SCRATCH/r.json" --digest "$DIGEST" --bogus
expect2 "verify-proof: missing value" verify-proof "$SCRATCH/r.json" --digest
expect2 "verify-proof: missing --digest" verify-proof "$SCRATCH/r.json"
expect2 "verify-proof: missing response file" verify-proof "$SCRATCH/nope.json" --digest "$DIGEST"
expect2 "verify-proof: missing digest file" verify-proof "$SCRATCH/r.json" --digest=/nonexistent/d.json
expect2 "verify-proof: a directory as the response" verify-proof "$SCRATCH/dir" --digest "$DIGEST"
expect2 "verify-proof: a directory as the digest" verify-proof "$SCRATCH/r.json" --digest "$SCRATCH/dir"
expect2 "verify-proof: too many arguments" verify-proof a b --digest "$DIGEST"

expect2 "ionhash: unknown option" ionhash --bogus
expect2 "ionhash: missing value (a global's)" ionhash --region
expect2 "ionhash: missing file" ionhash "$SCRATCH/nope.ion"
expect2 "ionhash: a directory as the file" ionhash "$SCRATCH/dir"
expect2 "ionhash: too many arguments" ionhash a b

expect2 "dashboard: unknown option" --bogus
expect2 "dashboard: unknown option (named)" dashboard --bogus
expect2 "dashboard: missing value" --ledger
expect2 "dashboard: bad --interval" --interval=0
expect2 "dashboard: --log in a missing folder" --log "$SCRATCH/nope/log"
expect2 "dashboard: a directory as --log" --log "$SCRATCH/dir"
expect2 "dashboard: too many arguments" extra
expect2 "dashboard: options that did nothing are gone (--profile)" --profile p
expect2 "dashboard: an unknown --theme" --theme t
expect2 "dashboard: a --scenario that is neither a name nor a file" --demo --scenario s

# --- no usage error exits 1, whatever the words ----------------------------
bad=0
for c in serve verify-export verify-proof ionhash dashboard help ""; do
	for args in "--" "-" "---x" "--=x" "-=" "=" "--help=1" "--version=x" "--digest" \
		"--jobs -1" "--listen ::" "--log" "--region= " "-- -x -y" "x y z"; do
		# `serve --` is a valid line: it would serve on the default port
		[ "$c $args" = "serve --" ] && continue
		# shellcheck disable=SC2086 # split args on purpose
		timeout 10 "$QLDBTOP_BIN" $c $args </dev/null >/dev/null 2>&1
		r=$?
		if [ "$r" -eq 1 ] || [ "$r" -ge 124 ]; then
			echo "# qldbtop $c $args: exit $r"
			bad=$((bad + 1))
		fi
	done
done
check "no usage error of any command exits 1 (or crashes)" test "$bad" -eq 0

[ "$TAP_FAILED" -eq 0 ]
