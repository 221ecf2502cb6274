/*
 * test_export_badinput.c - malformed input to the export and proof parsers
 * (verify/export_manifest.c, qldb_block.c, export_object.c, qldb_proof.c,
 * base64.c): each gets a one-line error naming what and where, never a
 * crash, overflow or multi-line message. The first tests are regressions
 * for what tests/fuzz/fuzz_export.c found; the rest are hand-written
 * (truncated Ion, wrong field types, huge lengths and sequence numbers, bad
 * base64, empty files), and block order within an object (swapped blocks
 * are out of order, not missing; a real gap stays missing). Expected
 * messages follow the headers' contracts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/base64.h"
#include "verify/export_chain.h"
#include "verify/export_manifest.h"
#include "verify/export_object.h"
#include "verify/qldb_block.h"
#include "verify/qldb_proof.h"

#define WHY_MAX 600

/* A block with every required field well-typed (hashes need not match:
 * these tests look at the format errors before any hash check). */
#define H32 "{{AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}}"
#define BLOCK_FMT                                                                                  \
	"{blockAddress:{strandId:%s,sequenceNo:%s},blockHash:" H32 ",entriesHash:" H32             \
	",previousBlockHash:" H32 ",entriesHashList:[" H32 "]}"

/* s is one non-empty line with no control character. */
static void assert_one_line(const char *s)
{
	assert_true(s[0] != '\0');
	for (const char *p = s; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

struct tally {
	int fails, formats;
	struct qldb_failure last;
};

static void on_fail(void *ctx, const struct qldb_failure *f)
{
	struct tally *t = ctx;
	assert_one_line(f->message);
	t->fails++;
	t->formats += f->kind == QLDB_CHECK_FORMAT;
	t->last = *f;
}

static void on_line(void *ctx, enum qldb_check kind, const char *line)
{
	(void)ctx;
	(void)kind;
	assert_one_line(line);
}

static void on_note(void *ctx, const char *line)
{
	(void)ctx;
	assert_one_line(line);
}

/* Self-check the block BLOCK_FMT(strand, seq); returns qldb_block_check's
 * value with the tally in *t. */
static int check_block(const char *strand, const char *seq, struct tally *t)
{
	char text[1024];
	snprintf(text, sizeof text, BLOCK_FMT, strand, seq);
	struct ion_arena *a;
	const struct ion_value *v;
	char why[WHY_MAX];
	assert_int_equal(ion_parse_one_alloc((const uint8_t *)text, strlen(text), NULL, &a, &v, why,
					     sizeof why),
			 0);
	struct qldb_checker *c = qldb_checker_new();
	assert_non_null(c);
	struct qldb_report rep = { on_fail, on_line, on_note, t };
	struct qldb_block_result r;
	memset(t, 0, sizeof *t);
	int rc = qldb_block_check(c, v, QLDB_MODE_ION, &rep, &r);
	qldb_checker_free(c);
	ion_arena_free(a);
	return rc;
}

static int count_keys(void *ctx, const char *key, size_t len)
{
	(void)key;
	(void)len;
	(*(int *)ctx)++;
	return 0;
}

static int completed(const char *text, size_t len, char *why, int *keys)
{
	*keys = 0;
	why[0] = '\0';
	return export_completed_parse((const uint8_t *)text, len, count_keys, keys, why, WHY_MAX);
}

/* ---- regressions (fuzz_export findings) ----------------------------------- */

/* fuzz: a strandId holding a newline was copied into every message about
 * the block, so a one-line failure became two lines (or a terminal escape). */
static void test_block_strand_with_control_character_is_a_format_error(void **state)
{
	(void)state;
	struct tally t;
	assert_int_equal(check_block("\"KmA3ZZca7vA\\nIiJAK9S5Iwl\"", "100", &t), -1);
	assert_int_equal(t.fails, 1);
	assert_int_equal(t.last.kind, QLDB_CHECK_FORMAT);
	assert_string_equal(t.last.message,
			    "block-format: block ?: address strandId has a byte 0x0a at 11 "
			    "(not base62)");
	assert_int_equal(check_block("\"a\\x1b[2Jb\"", "1", &t), -1);
	assert_non_null(strstr(t.last.message, "byte 0x1b at 1"));
	/* the tip address of verify-proof goes through the same reader */
	struct qldb_address addr;
	char why[WHY_MAX];
	const char *tip = "{strandId:\"S\\r\",sequenceNo:1}";
	assert_int_equal(qldb_address_parse(tip, strlen(tip), &addr, why, sizeof why), -1);
	assert_string_equal(why, "address strandId has a byte 0x0d at 1 (not base62)");
}

/* fuzz: a block at sequenceNo INT64_MAX made the next expected sequence
 * number (seq + 1) overflow in export_object.c (UBSan). */
static void test_block_sequence_over_the_limit_is_a_format_error(void **state)
{
	(void)state;
	struct tally t;
	assert_int_equal(check_block("\"S\"", "9223372036854775807", &t), -1);
	assert_string_equal(t.last.message, "block-format: block ?: address sequenceNo "
					    "9223372036854775807 is over QLDB_SEQUENCE_MAX");
	assert_int_equal(check_block("\"S\"", "4611686018427387905", &t), -1);
	assert_int_equal(check_block("\"S\"", "4611686018427387904", &t), 0); /* the limit */
	assert_int_equal(check_block("\"S\"", "99999999999999999999999", &t), -1);
	assert_string_equal(t.last.message,
			    "block-format: block ?: address has no non-negative sequenceNo int");

	/* an object of two such blocks: no overflow, failures at sane positions */
	char text[2048];
	int n = snprintf(text, sizeof text, BLOCK_FMT BLOCK_FMT, "\"S\"", "9223372036854775807",
			 "\"S\"", "9223372036854775807");
	assert_true(n > 0 && (size_t)n < sizeof text);
	struct qldb_checker *c = qldb_checker_new();
	struct export_range r = { .strand = "S", .first = 0, .last = 1 };
	struct export_object o;
	export_object_init(&o, c, QLDB_MODE_ION, &r);
	struct ion_reader *rd = ion_reader_open_buffer((const uint8_t *)text, (size_t)n);
	const struct ion_value *v;
	struct ion_error err = { 0 };
	while (ion_reader_next(rd, &v, &err) == 1)
		export_object_block(&o, v);
	export_object_truncated(&o, "test");
	assert_int_equal(o.blocks, 0);
	assert_int_equal(o.n_failures, 3);
	assert_int_equal(o.failures[0].seq, 0);
	assert_int_equal(o.failures[1].seq, 1);
	assert_int_equal(o.failures[2].seq, 2);
	export_object_free(&o);
	ion_reader_free(rd);
	qldb_checker_free(c);
}

/* fuzz: a manifest key holding a newline or escape reached the failure
 * labels and the tui's "key ... does not end in" message verbatim. */
static void test_manifest_key_with_control_character_is_rejected(void **state)
{
	(void)state;
	char why[WHY_MAX];
	int keys;
	const char *m = "{keys:[\"a/S.1-2.ion\",\"a/S\\n.3-4.ion\"]}";
	assert_int_equal(completed(m, strlen(m), why, &keys), -1);
	assert_int_equal(keys, 1);
	assert_string_equal(why, "completed manifest: key 2 has a control character 0x0a at "
				 "byte 3");
	m = "{keys:[\"a/S.1-2\\0.ion\"]}";
	assert_int_equal(completed(m, strlen(m), why, &keys), -1);
	assert_string_equal(why, "completed manifest: key 1 has a control character 0x00 at "
				 "byte 7");
	struct export_range r;
	assert_int_equal(export_key_parse("a/S\x1b.1-2.ion", strlen("a/S\x1b.1-2.ion"), &r), -1);
	assert_int_equal(export_key_parse("a/S T.1-2.ion", 13, &r), -1);
}

/* ---- hand-written malformed input ----------------------------------------- */

static void test_empty_files_are_named_errors(void **state)
{
	(void)state;
	char why[WHY_MAX];
	int keys;
	enum export_format f;
	assert_int_equal(completed("", 0, why, &keys), -1);
	assert_non_null(strstr(why, "completed manifest: "));
	assert_one_line(why);
	assert_int_equal(export_started_parse((const uint8_t *)"", 0, &f, why, sizeof why), -1);
	assert_non_null(strstr(why, "started manifest: "));
	assert_one_line(why);
	struct qldb_hash proof[QLDB_PROOF_MAX];
	assert_int_equal(qldb_proof_parse("", 0, proof, QLDB_PROOF_MAX, why, sizeof why), -1);
	assert_non_null(strstr(why, "Proof IonText: "));
	assert_one_line(why);
	struct qldb_address a;
	assert_int_equal(qldb_address_parse("", 0, &a, why, sizeof why), -1);
	assert_one_line(why);
	assert_int_equal(export_format_detect((const uint8_t *)"", 0), EXPORT_FORMAT_ION_TEXT);
}

static void test_truncated_ion_is_a_named_error(void **state)
{
	(void)state;
	char why[WHY_MAX];
	int keys;
	const char *m = "{keys:[\"a/S.1-2.ion\",\"a/S.3-";
	assert_int_equal(completed(m, strlen(m), why, &keys), -1);
	assert_int_equal(keys, 0); /* nothing is handed out from a broken manifest */
	assert_non_null(strstr(why, "completed manifest: "));
	assert_one_line(why);
	/* binary: the version marker and a struct header promising 14 bytes */
	static const uint8_t bin[] = { 0xe0, 0x01, 0x00, 0xea, 0xde, 0x8e, 0x84 };
	enum export_format f;
	assert_int_equal(export_started_parse(bin, sizeof bin, &f, why, sizeof why), -1);
	assert_non_null(strstr(why, "started manifest: "));
	assert_one_line(why);
	const char *p = "[{{AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}},{{AAAA";
	struct qldb_hash proof[QLDB_PROOF_MAX];
	assert_int_equal(qldb_proof_parse(p, strlen(p), proof, QLDB_PROOF_MAX, why, sizeof why),
			 -1);
	assert_non_null(strstr(why, "Proof IonText: "));
	assert_one_line(why);
}

static void test_wrong_field_types_are_named(void **state)
{
	(void)state;
	char why[WHY_MAX];
	int keys;
	enum export_format f;
	const char *m = "{keys:\"a/S.1-2.ion\"}";
	assert_int_equal(completed(m, strlen(m), why, &keys), -1);
	assert_string_equal(why, "completed manifest: no keys list");
	m = "{keys:[\"a/S.1-2.ion\", {{AAAA}}]}";
	assert_int_equal(completed(m, strlen(m), why, &keys), -1);
	assert_string_equal(why, "completed manifest: key 2 is not a string of "
				 "1..EXPORT_KEY_MAX bytes");
	m = "[\"a/S.1-2.ion\"]";
	assert_int_equal(completed(m, strlen(m), why, &keys), -1);
	assert_string_equal(why, "completed manifest: not a struct");
	m = "{outputFormat:5}";
	assert_int_equal(export_started_parse((const uint8_t *)m, strlen(m), &f, why, sizeof why),
			 -1);
	assert_string_equal(why, "started manifest: unknown outputFormat");

	struct tally t;
	assert_int_equal(check_block("\"S\"", "\"100\"", &t), -1);
	assert_string_equal(t.last.message,
			    "block-format: block ?: address has no non-negative sequenceNo int");
	assert_int_equal(check_block("100", "1", &t), -1);
	assert_string_equal(t.last.message, "block-format: block ?: address has no strandId "
					    "string");
	assert_int_equal(check_block("\"S\"", "-1", &t), -1);
	/* a hash as a base64 string is JSON's form, not Ion's */
	struct ion_arena *a;
	const struct ion_value *v;
	const char *s = "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"";
	assert_int_equal(
		ion_parse_one_alloc((const uint8_t *)s, strlen(s), NULL, &a, &v, why, sizeof why),
		0);
	struct qldb_hash h;
	assert_int_equal(qldb_hash_get(v, QLDB_MODE_ION, false, &h), -1);
	assert_int_equal(qldb_hash_get(v, QLDB_MODE_JSON, false, &h), 0);
	ion_arena_free(a);

	const char *p = "[{{AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}},\"x\"]";
	struct qldb_hash proof[QLDB_PROOF_MAX];
	assert_int_equal(qldb_proof_parse(p, strlen(p), proof, QLDB_PROOF_MAX, why, sizeof why),
			 -1);
	assert_string_equal(why, "Proof element 2 is not a 32-byte blob");
	p = "{a:1}";
	assert_int_equal(qldb_proof_parse(p, strlen(p), proof, QLDB_PROOF_MAX, why, sizeof why),
			 -1);
	assert_string_equal(why, "Proof IonText is not an Ion list");
}

static void test_huge_lengths_and_numbers_are_rejected(void **state)
{
	(void)state;
	char why[WHY_MAX];
	struct export_range r;
	/* 19-digit block numbers: over what a key may name */
	const char *k = "S.1000000000000000000-1000000000000000001.ion";
	assert_int_equal(export_key_parse(k, strlen(k), &r), -1);
	k = "S.999999999999999998-999999999999999999.ion";
	assert_int_equal(export_key_parse(k, strlen(k), &r), 0);
	assert_true(r.last < QLDB_SEQUENCE_MAX);
	/* a strand over QLDB_STRAND_MAX and a key over EXPORT_KEY_MAX */
	char big[EXPORT_KEY_MAX + 64];
	memset(big, 'a', sizeof big);
	memcpy(big + 65, ".1-2.ion", 8);
	assert_int_equal(export_key_parse(big, 73, &r), -1);
	assert_int_equal(export_key_parse(big + 1, 72, &r), 0);
	memcpy(big + EXPORT_KEY_MAX - 7, ".1-2.ion", 8);
	assert_int_equal(export_key_parse(big, EXPORT_KEY_MAX + 1, &r), -1);
	char m[EXPORT_KEY_MAX + 64];
	int keys;
	int n = snprintf(m, sizeof m, "{keys:[\"%.*s\"]}", EXPORT_KEY_MAX + 1, big);
	assert_int_equal(completed(m, (size_t)n, why, &keys), -1);
	assert_string_equal(why, "completed manifest: key 1 is not a string of "
				 "1..EXPORT_KEY_MAX bytes");
	/* a proof longer than QLDB_PROOF_MAX */
	size_t cap = (QLDB_PROOF_MAX + 1) * 50 + 8;
	char *p = malloc(cap);
	assert_non_null(p);
	size_t at = 0;
	p[at++] = '[';
	for (int i = 0; i <= QLDB_PROOF_MAX; i++)
		at += (size_t)snprintf(p + at, cap - at, "%s" H32, i ? "," : "");
	p[at++] = ']';
	struct qldb_hash proof[QLDB_PROOF_MAX];
	assert_int_equal(qldb_proof_parse(p, at, proof, QLDB_PROOF_MAX, why, sizeof why), -1);
	assert_string_equal(why, "Proof has 129 hashes, over the limit of 128");
	free(p);
	/* a digest tip far beyond any ledger */
	struct qldb_address a;
	const char *tip = "{strandId:\"S\",sequenceNo:9223372036854775807}";
	assert_int_equal(qldb_address_parse(tip, strlen(tip), &a, why, sizeof why), -1);
	assert_string_equal(why,
			    "address sequenceNo 9223372036854775807 is over QLDB_SEQUENCE_MAX");
}

static void test_bad_base64_is_rejected(void **state)
{
	(void)state;
	uint8_t out[48];
	static const char *const BAD[] = {
		"AB=C",	 /* data after padding */
		"A===",	 /* three pads */
		"AAA",	 /* no padding */
		"AB==",	 /* leftover bits not zero */
		"AA=",	 /* short quad */
		"AA*A",	 /* not in the alphabet */
		"====",	 /* padding only */
		"AAAA=", /* a pad after a whole quad */
	};
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
		assert_int_equal(base64_decode(BAD[i], strlen(BAD[i]), out, sizeof out), -1);
	assert_int_equal(base64_decode("AAAA", 4, out, 2), -1); /* cap too small */
	assert_int_equal(base64_decode("AA==", 4, out, sizeof out), 1);
	assert_int_equal(base64_decode(" A A\nA=\t", 8, out, sizeof out), 2);
	assert_int_equal(base64_decode("", 0, out, sizeof out), 0);
	/* JSON-mode hashes: 31 bytes, over-long text and bad characters */
	char why[WHY_MAX];
	static const char *const JSON_BAD[] = {
		"\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"",
		("\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=                    "
		 "          \""), /* over 64 characters */
		"\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?=\"",
	};
	for (size_t i = 0; i < sizeof JSON_BAD / sizeof JSON_BAD[0]; i++) {
		struct ion_arena *a;
		const struct ion_value *v;
		struct qldb_hash h;
		assert_int_equal(ion_parse_one_alloc((const uint8_t *)JSON_BAD[i],
						     strlen(JSON_BAD[i]), NULL, &a, &v, why,
						     sizeof why),
				 0);
		assert_int_equal(qldb_hash_get(v, QLDB_MODE_JSON, false, &h), -1);
		ion_arena_free(a);
	}
}

/* verify-proof's input errors (rc -1) are one line naming the field. */
static void test_proof_input_errors_name_the_field(void **state)
{
	(void)state;
	struct qldb_checker *c = qldb_checker_new();
	assert_non_null(c);
	struct tally t = { 0 };
	struct qldb_report rep = { on_fail, on_line, on_note, &t };
	char why[WHY_MAX];
	struct qldb_proof_input in = { .digest = { .len = 32 } };
	const char *tip = "{strandId:\"S\",sequenceNo:5}", *proof = "[" H32 "]";
	in.tip_text = tip;
	in.tip_len = strlen(tip);
	in.proof_text = proof;
	in.proof_len = strlen(proof);
	in.block_text = "{blockAddress:";
	in.block_len = strlen(in.block_text);
	assert_int_equal(qldb_proof_verify(c, &in, &rep, why, sizeof why), -1);
	assert_non_null(strstr(why, "Block IonText: "));
	assert_one_line(why);
	char block[1024];
	snprintf(block, sizeof block, BLOCK_FMT, "\"S\\n\"", "1");
	in.block_text = block;
	in.block_len = strlen(block);
	assert_int_equal(qldb_proof_verify(c, &in, &rep, why, sizeof why), -1);
	assert_string_equal(why, "Block IonText: block-format: block ?: address strandId has a "
				 "byte 0x0a at 1 (not base62)");
	in.block_text = NULL;
	in.revision_text = "{blockAddress:{strandId:\"S\",sequenceNo:1},hash:\"x\"}";
	in.revision_len = strlen(in.revision_text);
	assert_int_equal(qldb_proof_verify(c, &in, &rep, why, sizeof why), -1);
	assert_string_equal(why, "Revision IonText: revision has no 32-byte hash");
	in.tip_text = "{strandId:\"S\"}";
	in.tip_len = strlen(in.tip_text);
	assert_int_equal(qldb_proof_verify(c, &in, &rep, why, sizeof why), -1);
	assert_string_equal(why,
			    "DigestTipAddress IonText: address has no non-negative sequenceNo int");
	assert_int_equal(t.fails, 0);
	qldb_checker_free(c);
}

/* ---- block order within an object ------------------------------------------ */

/* Feed blocks with these sequence numbers (range first..last, -1 ends the
 * list) through export_object; the sequence failures' messages, one per
 * line, into out. Returns how many there were. */
static int sequence_failures(const int *seqs, int64_t first, int64_t last, char *out, size_t cap)
{
	struct qldb_checker *c = qldb_checker_new();
	assert_non_null(c);
	struct export_range range = { .strand = "KmA3ZZca7vAIiJAK9S5Iwl",
				      .first = first,
				      .last = last };
	struct export_object o;
	export_object_init(&o, c, QLDB_MODE_ION, &range);
	for (const int *s = seqs; *s >= 0; s++) {
		char text[1024], seq[24];
		snprintf(seq, sizeof seq, "%d", *s);
		snprintf(text, sizeof text, BLOCK_FMT, "\"KmA3ZZca7vAIiJAK9S5Iwl\"", seq);
		struct ion_arena *a;
		const struct ion_value *v;
		char why[WHY_MAX];
		assert_int_equal(ion_parse_one_alloc((const uint8_t *)text, strlen(text), NULL, &a,
						     &v, why, sizeof why),
				 0);
		export_object_block(&o, v);
		ion_arena_free(a);
	}
	export_object_finish(&o);
	int n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < o.n_failures; i++) {
		const struct qldb_failure *f = &o.failures[i];
		assert_one_line(f->message);
		if (f->kind != QLDB_CHECK_SEQUENCE && f->kind != QLDB_CHECK_RANGE)
			continue; /* the made-up hashes fail block-hash: not looked at */
		snprintf(out + strlen(out), cap - strlen(out), "%s%lld %s", n ? "\n" : "",
			 (long long)f->seq, f->message);
		n++;
	}
	export_object_free(&o);
	qldb_checker_free(c);
	return n;
}

static void test_swapped_blocks_are_out_of_order_not_missing(void **state)
{
	(void)state;
	char got[2048];
	/* 3,5,4,6: block 4 came late; it was never missing */
	assert_int_equal(sequence_failures((const int[]){ 3, 5, 4, 6, -1 }, 3, 6, got, sizeof got),
			 1);
	assert_string_equal(got, "4 sequence: block 4 is out of order: it comes after block 5");
	/* two blocks late, in order */
	assert_int_equal(
		sequence_failures((const int[]){ 3, 6, 4, 5, 7, -1 }, 3, 7, got, sizeof got), 1);
	assert_string_equal(got,
			    "4 sequence: blocks 4-5 are out of order: they come after block 6");
	/* late by more than one block */
	assert_int_equal(
		sequence_failures((const int[]){ 3, 5, 6, 4, 7, -1 }, 3, 7, got, sizeof got), 1);
	assert_string_equal(got, "4 sequence: block 4 is out of order: it comes after block 5");
	/* two separate swaps */
	assert_int_equal(
		sequence_failures((const int[]){ 1, 3, 2, 4, 6, 5, 7, -1 }, 1, 7, got, sizeof got),
		2);
	assert_string_equal(got, "2 sequence: block 2 is out of order: it comes after block 3\n"
				 "5 sequence: block 5 is out of order: it comes after block 6");
}

static void test_a_real_gap_stays_missing(void **state)
{
	(void)state;
	char got[2048];
	assert_int_equal(sequence_failures((const int[]){ 3, 5, 6, -1 }, 3, 6, got, sizeof got), 1);
	assert_string_equal(got, "4 sequence: block 4 is missing: block 5 follows block 3");
	/* one of two came late, the other never did */
	assert_int_equal(sequence_failures((const int[]){ 3, 6, 4, 7, -1 }, 3, 7, got, sizeof got),
			 1);
	assert_string_equal(got, "4 sequence: block 5 is missing: block 6 follows block 3 (the "
				 "rest of blocks 4-5 are out of order, after it)");
	/* late blocks in any order fill the gap */
	assert_int_equal(
		sequence_failures((const int[]){ 3, 6, 5, 4, 7, -1 }, 3, 7, got, sizeof got), 1);
	assert_string_equal(got,
			    "4 sequence: blocks 4-5 are out of order: they come after block 6");
	/* missing blocks that are not one run are counted */
	assert_int_equal(sequence_failures((const int[]){ 1, 5, 3, 6, -1 }, 1, 6, got, sizeof got),
			 1);
	assert_string_equal(got, "2 sequence: 2 of blocks 2-4 are missing (the first 2): block 5 "
				 "follows block 1, the others came later, out of order");
	/* a block repeated is not a fill */
	assert_int_equal(sequence_failures((const int[]){ 3, 5, 4, 4, -1 }, 3, 5, got, sizeof got),
			 3);
	assert_string_equal(got, "4 sequence: block 4 is out of order: it comes after block 5\n"
				 "6 sequence: expected block 6 after block 5, found block 4 (out "
				 "of order or repeated)\n"
				 "5 range: the object ends at block 4, but its key says 5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_strand_with_control_character_is_a_format_error),
		cmocka_unit_test(test_block_sequence_over_the_limit_is_a_format_error),
		cmocka_unit_test(test_manifest_key_with_control_character_is_rejected),
		cmocka_unit_test(test_empty_files_are_named_errors),
		cmocka_unit_test(test_truncated_ion_is_a_named_error),
		cmocka_unit_test(test_wrong_field_types_are_named),
		cmocka_unit_test(test_huge_lengths_and_numbers_are_rejected),
		cmocka_unit_test(test_bad_base64_is_rejected),
		cmocka_unit_test(test_proof_input_errors_name_the_field),
		cmocka_unit_test(test_swapped_blocks_are_out_of_order_not_missing),
		cmocka_unit_test(test_a_real_gap_stays_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
