#!/bin/sh
# ion_bench_tool.sh - the Ion benchmark's tools on a small journal, so that
# `make bench` cannot quietly break: ion_benchgen writes QLDB-like text,
# ion_tool converts it to binary, and ion_bench reads and hashes both. The
# text and its binary form must give the same digest (XOR of the value
# hashes) as `qldbtop ionhash` gives, and the same SHA-256 work (messages
# and blocks: the same values need the same field hashes, whatever the
# encoding), with at least one message per value; the ceiling line must be
# printed for each file.
#   QLDBTOP_TOOLS  where ion_benchgen / ion_tool / ion_bench are (default build/tools)
. tests/lib/tap.sh

TOOLS=${QLDBTOP_TOOLS:-build/tools}
for t in ion_benchgen ion_tool ion_bench; do
	if [ ! -x "$TOOLS/$t" ]; then
		not_ok "$TOOLS/$t is built (make tools)"
		exit 1
	fi
done

check "ion_benchgen writes a 2 MB journal" \
	sh -c '"$1" "$2" --mb 2 --seed 7 >/dev/null' - "$TOOLS/ion_benchgen" "$SCRATCH/j.ion"
check "ion_tool converts it to binary" \
	"$TOOLS/ion_tool" to-binary "$SCRATCH/j.ion" "$SCRATCH/j.10n"
check "ion_bench reads and hashes both" \
	sh -c '"$1" --runs 1 "$2" "$3" >"$4"' - "$TOOLS/ion_bench" "$SCRATCH/j.ion" "$SCRATCH/j.10n" \
	"$SCRATCH/out"
sed 's/^/# /' "$SCRATCH/out"

# digest KIND: the digest ion_bench printed for text|binary
digest() { awk -v k="$1" '$2 == k && /digest/ { sub(/\)$/, "", $NF); print $NF }' "$SCRATCH/out"; }
# work KIND N: field N (6 messages, 8 blocks) of the "SHA-256 alone" line
work() { awk -v k="$1" -v n="$2" '$2 == k && /SHA-256 alone/ { print $n }' "$SCRATCH/out"; }
digest_text=$(digest text)
digest_binary=$(digest binary)
check "text and binary give the same digest" \
	sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' - "$digest_text" "$digest_binary"

# the XOR of qldbtop ionhash's lines, independently of ion_bench's loop
"$QLDBTOP_BIN" ionhash "$SCRATCH/j.ion" >"$SCRATCH/hashes" 2>"$SCRATCH/err"
# hex_xor FILE: XOR of the 64-hex-digit lines, 32 bits at a time (sh
# arithmetic, no other tool)
hex_xor() {
	a0=0 a1=0 a2=0 a3=0 a4=0 a5=0 a6=0 a7=0
	while read -r line; do
		rest=$line
		for i in 0 1 2 3 4 5 6 7; do
			word=${rest%"${rest#????????}"}
			rest=${rest#????????}
			eval "a$i=\$((a$i ^ 0x$word))"
		done
	done <"$1"
	printf '%08x%08x%08x%08x%08x%08x%08x%08x\n' "$a0" "$a1" "$a2" "$a3" "$a4" "$a5" "$a6" "$a7"
}
xor=$(hex_xor "$SCRATCH/hashes")
check "the digest is the XOR of qldbtop ionhash's hashes" test "$xor" = "$digest_text"

values=$(wc -l <"$SCRATCH/hashes")
msgs_text=$(work text 6)
msgs_binary=$(work binary 6)
blocks_text=$(work text 8)
blocks_binary=$(work binary 8)
check "the ceiling line is printed for text and for binary" \
	sh -c '[ -n "$1" ] && [ -n "$2" ]' - "$msgs_text" "$msgs_binary"
check "text and binary need the same SHA-256 messages and blocks" \
	sh -c '[ "$1" = "$2" ] && [ "$3" = "$4" ]' - "$msgs_text" "$msgs_binary" \
	"$blocks_text" "$blocks_binary"
check "at least one message per value and one block per message" \
	sh -c '[ "$1" -gt 0 ] && [ "$2" -ge "$1" ] && [ "$3" -ge "$2" ]' - "$values" \
	"${msgs_text:-0}" "${blocks_text:-0}"

# the measured limit (issue 13): "parse alone: best of N: P s (X MB/s);
# limit: parse+hash at most Y MB/s, R of the SHA-256 ceiling", with the
# bound below the reader alone and R = S / (P + S) in (0, 1)
# limit KIND: "X Y R" from that line
limit() { awk -v k="$1" '$2 == k && /parse alone/ { for (i = 1; i <= NF; i++) {
	if ($(i + 1) == "MB/s);") x = $i; if ($(i + 1) == "MB/s,") y = $i; if ($(i + 1) == "of") r = $i }
	sub(/^\(/, "", x); print x, y, r }' "$SCRATCH/out"; }
for kind in text binary; do
	# shellcheck disable=SC2046
	check "the $kind limit line gives a bound under parse alone and a ratio in (0, 1)" \
		sh -c '[ $# -eq 3 ] && awk -v x="$1" -v y="$2" -v r="$3" "BEGIN { exit !(x > 0 && y > 0 && y < x && r > 0 && r < 1) }"' \
		- $(limit "$kind")
done
"$TOOLS/ion_bench" --runs 1 --parse-only "$SCRATCH/j.ion" >"$SCRATCH/out2"
check "--parse-only prints no ceiling and no limit line" \
	sh -c '[ "$(grep -c "parse only" "$1")" = 1 ] && ! grep -q "SHA-256 alone\|parse alone" "$1"' - "$SCRATCH/out2"
[ "$TAP_FAILED" -eq 0 ]
