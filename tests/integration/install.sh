#!/bin/sh
# install.sh - `make install DESTDIR=...` puts the program, the man page
# and the assets where PREFIX says, the installed program finds its assets
# from any folder (scenarios for serve, themes for the dashboard), and
# `make uninstall` with the same DESTDIR leaves no file behind.
# The installed program runs from a folder with no assets/ and without
# QLDBTOP_ASSETS; with its share/qldbtop moved away it must fail, so the
# checks cannot pass on assets found some other way.
. tests/lib/tap.sh
D="$SCRATCH/x"
P="$D/usr/local"
elsewhere="$SCRATCH/elsewhere"
mkdir -p "$elsewhere"

if [ -e /usr/local/share/qldbtop ]; then
	# the compiled-in DATADIR would find them whatever the install did
	not_ok "/usr/local/share/qldbtop is absent (a real install hides what this tests)"
	exit 1
fi
if make --no-print-directory install DESTDIR="$D" >"$SCRATCH/install.log" 2>&1; then
	ok "make install DESTDIR=... succeeds"
else
	not_ok "make install DESTDIR=... succeeds"; sed 's/^/#   /' "$SCRATCH/install.log"
fi
check "the program is at PREFIX/bin/qldbtop, executable" test -x "$P/bin/qldbtop"
check "the man page is at PREFIX/share/man/man1/qldbtop.1" \
	cmp -s assets/qldbtop.1 "$P/share/man/man1/qldbtop.1"
for f in themes/default themes/high-contrast themes/mono themes/README \
		scenarios/demo scenarios/README recipe/validate.sh; do
	check "asset $f is at PREFIX/share/qldbtop/$f" cmp -s "assets/$f" "$P/share/qldbtop/$f"
done
check "the recipe's script stays executable" test -x "$P/share/qldbtop/recipe/validate.sh"
for f in deploy.sh destroy.sh common.sh; do
	check "asset recipe/scripts/$f is at PREFIX/share/qldbtop/recipe/scripts/$f" \
		cmp -s "assets/recipe/scripts/$f" "$P/share/qldbtop/recipe/scripts/$f"
done
# the installed scripts find their template beside them, from any folder
for f in deploy.sh destroy.sh; do
	(cd "$elsewhere" && "$P/share/qldbtop/recipe/scripts/$f" --help) >"$SCRATCH/h" 2>&1
	check "the installed recipe/scripts/$f is executable and runs --help" \
		sh -c '[ "$1" -eq 0 ] && grep -q "^usage: $2" "$3"' _ $? "$f" "$SCRATCH/h"
done
(cd "$elsewhere" && env -u ENDPOINT AWS=/nonexistent "$P/share/qldbtop/recipe/scripts/deploy.sh" --yes) \
	>"$SCRATCH/h" 2>&1
check "the installed deploy.sh finds the installed template (it gets as far as the CLI)" \
	grep -q 'AWS=/nonexistent: no such command' "$SCRATCH/h"
check "nothing lands outside DESTDIR/usr/local" \
	sh -c '[ -z "$(cd "$1" && find . -mindepth 1 -maxdepth 1 ! -name usr)" ] &&
		[ -z "$(cd "$1/usr" && find . -mindepth 1 -maxdepth 1 ! -name local)" ]' _ "$D"

installed() { (cd "$elsewhere" && env -u QLDBTOP_ASSETS "$P/bin/qldbtop" "$@"); }
installed --version >"$SCRATCH/v" 2>&1
check "the installed qldbtop --version prints the version" grep -q '^qldbtop [0-9]' "$SCRATCH/v"
man -l "$P/share/man/man1/qldbtop.1" 2>/dev/null </dev/null | grep -q 'verify-export'
check "the installed man page renders" test $? -eq 0

# serve_demo NAME: start the installed serve with the demo scenario from
# another folder; 0 when it prints its endpoint, 1 when it exits first.
serve_demo() {
	(cd "$elsewhere" && exec env -u QLDBTOP_ASSETS "$P/bin/qldbtop" serve --listen 127.0.0.1:0 \
		--rate 0 --scenario demo) >"$SCRATCH/serve.out" 2>"$SCRATCH/serve.err" </dev/null &
	pid=$!
	wait_for 20 sh -c 'grep -q "^endpoint: " "$1" || ! kill -0 "$2" 2>/dev/null' _ \
		"$SCRATCH/serve.out" "$pid"
	if grep -q '^endpoint: http://127.0.0.1:' "$SCRATCH/serve.out"; then
		kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
		return 0
	fi
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	return 1
}
check "the installed serve finds --scenario demo from another folder" serve_demo
sed 's/^/#   /' "$SCRATCH/serve.err" | head -3
installed --theme nosuch >"$SCRATCH/o" 2>"$SCRATCH/e"
check "the installed dashboard lists the installed themes" \
	grep -q "unknown theme 'nosuch' (available: default, high-contrast, mono)" "$SCRATCH/e"
installed --theme high-contrast >"$SCRATCH/o" 2>"$SCRATCH/e"
check "the installed dashboard accepts --theme high-contrast (then wants a terminal)" \
	sh -c '! grep -q "unknown theme" "$1" && [ -s "$1" ]' _ "$SCRATCH/e"

# The same runs without the installed assets must fail.
mv "$P/share/qldbtop" "$SCRATCH/moved"
if serve_demo; then not_ok "without share/qldbtop, serve --scenario demo fails"
else ok "without share/qldbtop, serve --scenario demo fails"; fi
installed --theme nosuch >"$SCRATCH/o" 2>"$SCRATCH/e"
check "without share/qldbtop, only the built-in theme is listed" \
	grep -q "(available: default)" "$SCRATCH/e"
mv "$SCRATCH/moved" "$P/share/qldbtop"

if make --no-print-directory uninstall DESTDIR="$D" >"$SCRATCH/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR=... succeeds"
else
	not_ok "make uninstall DESTDIR=... succeeds"; sed 's/^/#   /' "$SCRATCH/uninstall.log"
fi
left=$(find "$D" -type f -o -type l)
if [ -z "$left" ]; then ok "make uninstall leaves no file"
else not_ok "make uninstall leaves no file"; echo "$left" | sed 's/^/#   /'; fi
check "make uninstall removes share/qldbtop" test ! -e "$P/share/qldbtop"

# PREFIX moves everything, and uninstall with the same PREFIX removes it
D2="$SCRATCH/y"
make --no-print-directory install DESTDIR="$D2" PREFIX=/opt/q >/dev/null 2>&1
check "PREFIX=/opt/q installs under it" sh -c 'test -x "$1/opt/q/bin/qldbtop" &&
	test -f "$1/opt/q/share/man/man1/qldbtop.1" && test -f "$1/opt/q/share/qldbtop/scenarios/demo" &&
	test ! -e "$1/usr"' _ "$D2"
make --no-print-directory uninstall DESTDIR="$D2" PREFIX=/opt/q >/dev/null 2>&1
check "uninstall with PREFIX=/opt/q leaves no file" test -z "$(find "$D2" -type f -o -type l)"
