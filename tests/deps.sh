#!/bin/sh
# Install the Debian packages qldbtop needs, only those that are missing.
# Each entry: package name, then a probe that succeeds when it is present.
# nodejs may come from another repository that bundles npm, so npm is
# probed as a command, not as a package.
set -u
missing=""
probe() { # package probe-command...
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
pc() { pkg-config --exists "$1"; }
have() { command -v "$1"; }
deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

probe pkg-config have pkg-config
probe libncurses-dev pc ncursesw
probe libcurl4-openssl-dev pc libcurl
probe libcjson-dev pc libcjson
probe libmicrohttpd-dev pc libmicrohttpd
probe libssl-dev pc libcrypto
probe libexpat1-dev pc expat
probe libyaml-dev pc yaml-0.1
probe libcmocka-dev pc cmocka
probe tmux have tmux
probe groff-base have groff   # manpage.sh: groff -ww renders the man page
probe man-db have man
probe htop have htop   # make bench: the idle CPU figure is against htop's
probe awscli test -x /usr/bin/aws
probe nodejs have node
probe npm have npm
probe clang have clang
probe libclang-rt-14-dev deb libclang-rt-14-dev
probe make have make

[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq </dev/null || exit 1
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing </dev/null || exit 1
