#!/bin/sh
# layering.sh - the folders keep to their layers (DESIGN.md, STYLE.md):
#   verify/   libc and libcrypto (openssl/) headers and its own, nothing else
#   widgets/  curses and libc headers and its own, nothing else
#   api/      never curses (curses.h, ncurses*, term.h, panel.h, ...) and
#             never tui/, widgets/ or sim/ headers
#   tui/      never libcurl (curl/*.h)
#   sim/      never api/ or tui/ headers
#   common/   libc and cJSON only (the strict JSON reader api/ and sim/ share)
# Every #include line of every .c/.h is parsed (also "#  include" with
# spaces, and quoted names without a folder, which are the file's own).
# The checker is then run on a temporary copy with one deliberately bad
# include per rule, each of which must be caught, so it cannot pass
# vacuously; and each folder must hold files.
. tests/lib/tap.sh

# C and POSIX headers of the C library (Debian 12's glibc), by name.
LIBC='assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h
limits.h locale.h math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h
stdbool.h stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h string.h tgmath.h
threads.h time.h uchar.h wchar.h wctype.h aio.h cpio.h dirent.h dlfcn.h
fcntl.h fmtmsg.h fnmatch.h ftw.h glob.h grp.h iconv.h langinfo.h libgen.h
monetary.h mqueue.h ndbm.h netdb.h nl_types.h poll.h pthread.h pwd.h regex.h
sched.h search.h semaphore.h spawn.h strings.h stropts.h syslog.h tar.h
termios.h trace.h ulimit.h unistd.h utime.h utmpx.h wordexp.h endian.h
err.h error.h getopt.h malloc.h memory.h paths.h byteswap.h features.h
ifaddrs.h'
# Folders of the C library's headers (sys/stat.h, arpa/inet.h, ...).
LIBC_DIRS='sys arpa net netinet linux bits'
# Compiler-provided intrinsics (SSE2 and friends): no library is linked,
# so a pure layer may use them.
INTRIN='emmintrin.h xmmintrin.h pmmintrin.h tmmintrin.h smmintrin.h
nmmintrin.h immintrin.h x86intrin.h arm_neon.h cpuid.h'

in_list() { # in_list WORD LIST
	for w in $2; do [ "$w" = "$1" ] && return 0; done
	return 1
}
is_libc() {
	in_list "$1" "$LIBC" && return 0
	case $1 in */*) in_list "${1%%/*}" "$LIBC_DIRS" && return 0 ;; esac
	return 1
}
is_curses() {
	case $1 in
	curses.h | ncurses.h | ncursesw/* | ncurses/* | term.h | panel.h | menu.h | form.h) return 0 ;;
	esac
	return 1
}

# includes ROOT DIR: "FILE<TAB>KIND<TAB>NAME" per #include line, KIND is
# "sys" for <...> and "own" for "..."; a quoted name without a folder is
# made DIR/NAME (the file's own folder).
includes() {
	for f in "$1/$2"/*.c "$1/$2"/*.h; do
		[ -f "$f" ] || continue
		sed -n 's/^[ \t]*#[ \t]*include[ \t]*\([<"]\)\([^>"]*\)[>"].*/\1\t\2/p' "$f" |
		while IFS='	' read -r q name; do
			if [ "$q" = '<' ]; then
				printf '%s\tsys\t%s\n' "${f#"$1"/}" "$name"
			else
				case $name in */*) ;; *) name="$2/$name" ;; esac
				printf '%s\town\t%s\n' "${f#"$1"/}" "$name"
			fi
		done
	done
}

# allowed DIR KIND NAME: 0 when DIR may include NAME.
allowed() {
	d=$1 kind=$2 name=$3
	case $d in
	verify)
		[ "$kind" = own ] && { case $name in verify/*) return 0 ;; *) return 1 ;; esac; }
		is_libc "$name" && return 0
		case $name in openssl/*) return 0 ;; esac
		in_list "$name" "$INTRIN" && return 0
		return 1 ;;
	widgets)
		[ "$kind" = own ] && { case $name in widgets/*) return 0 ;; *) return 1 ;; esac; }
		is_libc "$name" || is_curses "$name"
		return ;;
	api)
		[ "$kind" = sys ] && { is_curses "$name" && return 1; return 0; }
		case $name in tui/* | widgets/* | sim/*) return 1 ;; esac
		return 0 ;;
	tui)
		case $name in curl/*) return 1 ;; esac
		return 0 ;;
	sim)
		[ "$kind" = sys ] && return 0
		case $name in api/* | tui/*) return 1 ;; esac
		return 0 ;;
	common)
		# shared by api/ and sim/: libc and cJSON only
		[ "$kind" = own ] && { case $name in common/*) return 0 ;; *) return 1 ;; esac; }
		is_libc "$name" && return 0
		[ "$name" = cjson/cJSON.h ]
		return ;;
	esac
	return 1
}

# violations ROOT: one line per bad include, "FILE includes NAME"; the
# status is 0 only when every folder has files and nothing is bad.
violations() {
	bad=0
	for d in common verify widgets api tui sim; do
		n=$(ls "$1/$d"/*.c "$1/$d"/*.h 2>/dev/null | wc -l)
		if [ "$n" -eq 0 ]; then
			echo "$d/ has no .c or .h files"
			bad=1
			continue
		fi
		out=$(includes "$1" "$d" | while IFS='	' read -r f kind name; do
			allowed "$d" "$kind" "$name" || echo "$f includes $name"
		done)
		[ -n "$out" ] && { echo "$out"; bad=1; }
	done
	return $bad
}

# The real tree: one check per folder, so a report names the layer.
for d in common verify widgets api tui sim; do
	mkdir -p "$SCRATCH/one/$d"
	n=$(ls $d/*.c $d/*.h 2>/dev/null | wc -l)
	if [ "$n" -eq 0 ]; then not_ok "$d/ holds .c/.h files"; continue; fi
	out=$(includes . "$d" | while IFS='	' read -r f kind name; do
		allowed "$d" "$kind" "$name" || echo "$f includes $name"
	done)
	if [ -z "$out" ]; then
		ok "$d/ keeps to its layer ($n files)"
	else
		not_ok "$d/ keeps to its layer"
		echo "$out" | sed 's/^/#   /'
	fi
done

# The checker itself: a copy of the tree must pass or fail as the real one
# does; each planted bad include must then be caught by name.
copy() {
	rm -rf "$SCRATCH/t"
	mkdir -p "$SCRATCH/t"
	for d in common verify widgets api tui sim; do cp -r "$d" "$SCRATCH/t/"; done
}
plant() { # plant DIR LINE: a new file in the copy with that include line
	copy
	printf '%s\nint planted;\n' "$2" >"$SCRATCH/t/$1/zz_planted.c"
}
caught() { # caught NAME DIR LINE WANT: the copy's report names WANT
	plant "$2" "$3"
	if violations "$SCRATCH/t" >"$SCRATCH/v" 2>&1; then
		not_ok "$1 (checker passed)"
	elif grep -qF "zz_planted.c includes $4" "$SCRATCH/v"; then
		ok "$1"
	else
		not_ok "$1 (not named)"; sed 's/^/#   /' "$SCRATCH/v"
	fi
}
caught "caught: verify/ including curl" verify '#include <curl/curl.h>' curl/curl.h
caught "caught: verify/ including api/" verify '#include "api/error.h"' api/error.h
caught "caught: verify/ including curses (spaced #  include)" verify '  #  include   <curses.h>' curses.h
caught "caught: widgets/ including cJSON" widgets '#include <cjson/cJSON.h>' cjson/cJSON.h
caught "caught: widgets/ including tui/" widgets '#include "tui/keymap.h"' tui/keymap.h
caught "caught: api/ including curses" api '#include <curses.h>' curses.h
caught "caught: api/ including ncursesw" api '#include <ncursesw/ncurses.h>' ncursesw/ncurses.h
caught "caught: api/ including term.h" api '#include <term.h>' term.h
caught "caught: api/ including widgets/" api '#include "widgets/box.h"' widgets/box.h
caught "caught: api/ including tui/" api '#include "tui/app.h"' tui/app.h
caught "caught: tui/ including libcurl" tui '#include <curl/curl.h>' curl/curl.h
caught "caught: tui/ including libcurl (tabbed)" tui '	#	include	<curl/easy.h>' curl/easy.h
caught "caught: sim/ including api/" sim '#include "api/http.h"' api/http.h
caught "caught: sim/ including tui/" sim '#include "tui/cli.h"' tui/cli.h
caught "caught: common/ including api/" common '#include "api/error.h"' api/error.h
caught "caught: common/ including curl" common '#include <curl/curl.h>' curl/curl.h
# a relative path out of the folder is not the folder's own
caught "caught: verify/ including ../api/ by relative path" verify '#include "../api/error.h"' ../api/error.h

# allowed includes in the copy are not reported (no false alarms)
copy
printf '#include <openssl/sha.h>\n#include <sys/stat.h>\n#include "buf.h"\n' >"$SCRATCH/t/verify/zz_fine.c"
printf '#include <curses.h>\n#include <stdio.h>\n' >"$SCRATCH/t/widgets/zz_fine.c"
violations "$SCRATCH/t" >"$SCRATCH/v" 2>&1
check "allowed includes are not reported" sh -c '! grep -q zz_fine "$1"' _ "$SCRATCH/v"

# an empty folder fails: the checker cannot pass on nothing
copy
rm -f "$SCRATCH/t/widgets"/*
if violations "$SCRATCH/t" >"$SCRATCH/v" 2>&1; then
	not_ok "a folder with no files fails"
else
	check "a folder with no files fails" grep -q 'widgets/ has no' "$SCRATCH/v"
fi
