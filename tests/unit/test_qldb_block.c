/*
 * test_qldb_block.c - the block self-check (verify/qldb_block.c) on the real
 * AWS CLI vector (shared/vectors/qldb/aws-cli-examples/get-block.output.json,
 * intermediates in derived-expected.json): it passes as published, and a
 * single flipped bit in blockHash, a revision data value, an
 * entriesHashList element or transactionInfo fails the check that covers it.
 * Soundness: content no recomputed hash covers (data without metadata, a
 * second field in a revision, block, metadata, transactionInfo or
 * redactionInfo, unknown fields, annotations, data with dataHash, a revision
 * address or transactionId that disagrees with what is hashed) fails as
 * uncovered-content, each starting from the vector edited as text; hash-only
 * revisions count as such with no note; a deleted-document revision is
 * proven when its hash is IonHash(metadata), else unproven (a note, not a
 * failure); in JSON mode content is unproven, and a block read in the wrong
 * mode fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/testutil.h"
#include "verify/ion.h"
#include "verify/qldb_block.h"

struct tally {
	int fails[QLDB_CHECK_COUNT];
	int total, passes, notes;
};
static void on_fail(void *ctx, const struct qldb_failure *f)
{
	struct tally *t = ctx;
	t->fails[f->kind]++;
	t->total++;
}
static void on_pass(void *ctx, enum qldb_check k, const char *line)
{
	(void)k;
	(void)line;
	((struct tally *)ctx)->passes++;
}
static void on_note(void *ctx, const char *line)
{
	(void)line;
	((struct tally *)ctx)->notes++;
}

/* The Block IonText of the vector (malloc'd). */
static char *block_text(void)
{
	char *s = vector_ion_text("vectors/qldb/aws-cli-examples/get-block.output.json", "Block");
	assert_non_null(s);
	return s;
}

struct fixture {
	char *text;
	struct ion_arena *arena;
	const struct ion_value *block;
	struct qldb_checker *c;
};

static void load(struct fixture *f, const char *text)
{
	struct ion_error err = { 0 };
	f->arena = ion_arena_new();
	f->c = qldb_checker_new();
	assert_non_null(f->c);
	assert_int_equal(
		ion_parse_one((const uint8_t *)text, strlen(text), f->arena, &f->block, &err), 0);
}

static void unload(struct fixture *f)
{
	ion_arena_free(f->arena);
	qldb_checker_free(f->c);
	free(f->text);
}

static struct tally check(struct fixture *f, struct qldb_block_result *r)
{
	struct tally t = { 0 };
	struct qldb_report rep = { .fail = on_fail, .pass = on_pass, .note = on_note, .ctx = &t };
	assert_int_equal(qldb_block_check(f->c, f->block, QLDB_MODE_ION, &rep, r), 0);
	return t;
}

/* Mutable bytes of a blob/string field (the arena owns them). */
static uint8_t *bytes_of(const struct ion_value *v)
{
	return (uint8_t *)(uintptr_t)v->u.bytes.data;
}

static void test_real_block_100_passes_every_check(void **state)
{
	(void)state;
	struct fixture f = { .text = block_text() };
	load(&f, f.text);
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.failures, 0);
	assert_int_equal(r.revisions, 1);
	assert_int_equal(r.recomputed, 1);
	assert_int_equal(r.redacted, 0);
	assert_int_equal(r.hash_only, 0);
	assert_int_equal(r.unproven, 0);
	assert_int_equal(t.notes, 0);
	assert_int_equal(r.addr.seq, 100);
	assert_string_equal(r.addr.strand, "KmA3ZZca7vAIiJAK9S5Iwl");
	char b[QLDB_HASH_B64_LEN];
	assert_string_equal(qldb_hash_b64(&r.block_hash, b),
			    "NoChM92yKRuJAb/jeLd1VnYn4DHiWIf071ACfic9uHc=");
	/* revision, revisions root, transactionInfo, entriesHash, blockHash */
	assert_int_equal(t.passes, 5);
	unload(&f);
}

static void test_every_blockhash_bit_flip_fails_block_hash(void **state)
{
	(void)state;
	struct fixture f = { .text = block_text() };
	load(&f, f.text);
	uint8_t *bh = bytes_of(ion_struct_get(f.block, "blockHash"));
	for (int bit = 0; bit < 256; bit++) {
		bh[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		struct qldb_block_result r;
		struct tally t = check(&f, &r);
		assert_int_equal(t.total, 1);
		assert_int_equal(t.fails[QLDB_CHECK_BLOCK_HASH], 1);
		bh[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	unload(&f);
}

static void test_every_revision_data_bit_flip_fails_revision_hash(void **state)
{
	(void)state;
	struct fixture f = { .text = block_text() };
	load(&f, f.text);
	const struct ion_value *rev = ion_struct_get(f.block, "revisions")->u.c.first_child;
	const struct ion_value *city = ion_struct_get(ion_struct_get(rev, "data"), "City");
	uint8_t *s = bytes_of(city);
	for (size_t i = 0; i < city->u.bytes.len; i++)
		for (int bit = 0; bit < 7; bit++) { /* stay ASCII */
			s[i] ^= (uint8_t)(1u << bit);
			struct qldb_block_result r;
			struct tally t = check(&f, &r);
			assert_int_equal(t.total, 1);
			assert_int_equal(t.fails[QLDB_CHECK_REVISION_HASH], 1);
			s[i] ^= (uint8_t)(1u << bit);
		}
	unload(&f);
}

static void test_entries_hash_list_flip_fails_entries_hash(void **state)
{
	(void)state;
	struct fixture f = { .text = block_text() };
	load(&f, f.text);
	const struct ion_value *e = ion_struct_get(f.block, "entriesHashList")->u.c.first_child;
	for (int i = 0; e; e = e->next, i++) {
		uint8_t *p = bytes_of(e);
		p[31] ^= 0x80;
		struct qldb_block_result r;
		struct tally t = check(&f, &r);
		assert_int_equal(t.fails[QLDB_CHECK_ENTRIES_HASH], 1);
		/* entries 1 and 3 are the revisions root and IonHash(transactionInfo) */
		assert_int_equal(t.fails[QLDB_CHECK_REVISIONS_ROOT], i == 1);
		assert_int_equal(t.fails[QLDB_CHECK_TRANSACTION_INFO], i == 3);
		p[31] ^= 0x80;
	}
	unload(&f);
}

static void test_transaction_info_change_fails_membership(void **state)
{
	(void)state;
	struct fixture f = { .text = block_text() };
	load(&f, f.text);
	const struct ion_value *ti = ion_struct_get(f.block, "transactionInfo");
	const struct ion_value *st = ion_struct_get(ti, "statements")->u.c.first_child;
	uint8_t *s = bytes_of(ion_struct_get(st, "statement"));
	s[0] ^= 0x01;
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.total, 1);
	assert_int_equal(t.fails[QLDB_CHECK_TRANSACTION_INFO], 1);
	unload(&f);
}

/* Replace the first occurrence of a with b in s (malloc'd result). */
static char *replace(const char *s, const char *a, const char *b)
{
	const char *p = strstr(s, a);
	assert_non_null(p);
	size_t n = strlen(s) - strlen(a) + strlen(b);
	char *o = malloc(n + 1);
	memcpy(o, s, (size_t)(p - s));
	strcpy(o + (p - s), b);
	strcat(o, p + strlen(a));
	return o;
}

static void test_redacted_revision_uses_data_hash(void **state)
{
	(void)state;
	char *t0 = block_text();
	/* IonHash(data) from derived-expected.json replaces the data */
	const char *d = strstr(t0, "data:{");
	const char *m = strstr(t0, ",metadata:");
	char *data = strndup(d, (size_t)(m - d));
	struct fixture f = { .text = replace(
				     t0, data,
				     "dataHash:{{ykAB8EB0tXxIGmJ9Y9mwppjP1Z9S3Iw+vKN1L9ZXW3A=}}") };
	load(&f, f.text);
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.recomputed, 1);
	assert_int_equal(r.redacted, 1);
	assert_int_equal(r.unproven, 0);
	assert_int_equal(t.notes, 0);
	unload(&f);
	free(data);
	free(t0);
}

static void test_hash_only_and_deleted_revisions_are_not_recomputed(void **state)
{
	(void)state;
	char *t0 = block_text();
	const char *d = strstr(t0, "revisions:[{");
	char *rest = strdup(d);
	/* a hash-only revision (no content) with the same hash keeps every check
	 * intact; it is counted as such, and nothing is left unproven */
	char *t1 = replace(t0, rest,
			   "revisions:[{hash:{{mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg=}}}]}");
	struct fixture f = { .text = t1 };
	load(&f, f.text);
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.revisions, 1);
	assert_int_equal(r.recomputed, 0);
	assert_int_equal(r.hash_only, 1);
	assert_int_equal(r.unproven, 0);
	assert_int_equal(t.notes, 0);
	unload(&f);
	/* metadata without data or dataHash (deleted document) whose hash is not
	 * IonHash(metadata): not recomputed, noted as unproven, not a failure */
	const char *dd = strstr(t0, "data:{");
	const char *m = strstr(t0, ",metadata:");
	char *data = strndup(dd, (size_t)(m - dd + 1));
	struct fixture g = { .text = replace(t0, data, "") };
	load(&g, g.text);
	t = check(&g, &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.recomputed, 0);
	assert_int_equal(r.unproven, 1);
	assert_int_equal(t.notes, 1);
	unload(&g);
	free(data);
	free(rest);
	free(t0);
}

/* The vector with its one revision replaced by rev (and the revision hash
 * that entriesHashList holds kept): checks and tally. */
static struct tally check_revision(const char *rev, struct qldb_block_result *r)
{
	char *t0 = block_text();
	const char *d = strstr(t0, "revisions:[{");
	char *rest = strdup(d);
	char want[4096];
	snprintf(want, sizeof want, "revisions:[%s]}", rev);
	struct fixture f = { .text = replace(t0, rest, want) };
	load(&f, f.text);
	struct tally t = check(&f, r);
	unload(&f);
	free(rest);
	free(t0);
	return t;
}

#define REV_HASH "hash:{{mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg=}}"
#define REV_ADDR "blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:100}"
#define REV_META                                                                                   \
	"metadata:{id:\"JUJgkIcNbhS2goq8RqLuZ4\",version:3,txTime:2019-09-16T19:37:05.344Z,"       \
	"txId:\"FnQeJBAicTX0Ah32ZnVtSX\"}"
#define REV_DATA                                                                                   \
	"data:{VIN:\"1N4AL11D75C109151\",LicensePlateNumber:\"LEWISR261LL\",State:\"WA\","         \
	"PendingPenaltyTicketAmount:90.25,ValidFromDate:2017-08-21,ValidToDate:2020-05-11,"        \
	"Owners:{PrimaryOwner:{PersonId:\"BFJKdXhnLRT27sXBnojNGW\"},SecondaryOwners:[{"            \
	"PersonId:\"CMVdR77XP8zAglmmFDGTvt\"}]},City:\"Everett\"}"
#define REV_DATA_CHANGED "data:{VIN:\"1N4AL11D75C109151\",City:\"Seattle\"}"

static void test_rebuilt_revision_passes(void **state)
{
	(void)state;
	/* the helper itself: the vector's revision, rebuilt, passes */
	struct qldb_block_result r;
	struct tally t =
		check_revision("{" REV_ADDR "," REV_HASH "," REV_DATA "," REV_META "}", &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(t.notes, 0);
	assert_int_equal(r.recomputed, 1);
}

static void test_data_without_metadata_fails_uncovered_content(void **state)
{
	(void)state;
	/* the old verifier used the hash "as given" and passed changed data */
	struct qldb_block_result r;
	struct tally t = check_revision("{" REV_ADDR "," REV_HASH "," REV_DATA_CHANGED "}", &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	assert_int_equal(t.total, 1);
	assert_int_equal(r.recomputed, 0);
	assert_int_equal(r.hash_only, 0);
	assert_int_equal(t.passes, 4); /* root, transactionInfo, entries, block */
}

static void test_second_data_field_fails_uncovered_content(void **state)
{
	(void)state;
	/* the first data is hashed, a reader taking the last sees the second */
	struct qldb_block_result r;
	struct tally t = check_revision(
		"{" REV_ADDR "," REV_HASH "," REV_DATA "," REV_META "," REV_DATA_CHANGED "}", &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	assert_int_equal(r.recomputed, 0);
}

static void test_unknown_revision_field_fails(void **state)
{
	(void)state;
	struct qldb_block_result r;
	struct tally t = check_revision("{" REV_ADDR "," REV_HASH "," REV_DATA "," REV_META
					",note:\"transfer approved\"}",
					&r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	t = check_revision(
		"{" REV_ADDR "," REV_HASH ",data:x::{VIN:\"1N4AL11D75C109151\"}," REV_META "}", &r);
	assert_int_equal(t.total, 1); /* annotations on data change its Ion Hash */
	assert_int_equal(t.fails[QLDB_CHECK_REVISION_HASH], 1);
	t = check_revision("audit::{" REV_ADDR "," REV_HASH "," REV_DATA "," REV_META "}", &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1); /* on the revision: no hash */
}

static void test_data_with_data_hash_fails(void **state)
{
	(void)state;
	struct qldb_block_result r;
	struct tally t =
		check_revision("{" REV_ADDR "," REV_HASH "," REV_DATA "," REV_META
			       ",dataHash:{{ykAB8EB0tXxIGmJ9Y9mwppjP1Z9S3Iw+vKN1L9ZXW3A=}}}",
			       &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	t = check_revision(
		"{" REV_HASH ",dataHash:{{ykAB8EB0tXxIGmJ9Y9mwppjP1Z9S3Iw+vKN1L9ZXW3A=}}}", &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1); /* dataHash without metadata */
}

static void test_revision_address_other_than_the_block_fails(void **state)
{
	(void)state;
	struct qldb_block_result r;
	struct tally t = check_revision(
		"{blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:7}," REV_HASH
		"," REV_DATA "," REV_META "}",
		&r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	assert_int_equal(t.total, 1);
	/* the same address with something riding along is not the same */
	static const char *const OTHER[] = {
		"blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:100,note:1}",
		"blockAddress:x::{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:100}",
		"blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwm\",sequenceNo:100}",
		"blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:100,sequenceNo:7}",
		"blockAddress:\"KmA3ZZca7vAIiJAK9S5Iwl:100\"",
	};
	for (size_t i = 0; i < sizeof OTHER / sizeof OTHER[0]; i++) {
		char rev[2048];
		snprintf(rev, sizeof rev, "{%s," REV_HASH "," REV_DATA "," REV_META "}", OTHER[i]);
		t = check_revision(rev, &r);
		assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
		assert_int_equal(t.total, 1);
	}
}

static void test_changed_transaction_id_fails(void **state)
{
	(void)state;
	char *t0 = block_text();
	struct fixture f = { .text = replace(t0, "transactionId:\"FnQeJBAicTX0Ah32ZnVtSX\"",
					     "transactionId:\"AAAAAAAAAAAAAAAAAAAAAA\"") };
	load(&f, f.text);
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	assert_int_equal(t.total, 1);
	unload(&f);
	free(t0);
}

static void test_unknown_or_repeated_block_field_fails(void **state)
{
	(void)state;
	static const char *const EXTRA[] = {
		/* unknown field with content */
		",approvedBy:\"CFO\"",
		/* a second blockHash: the first is checked, a reader may take this */
		",blockHash:{{AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=}}",
		/* a second revisions list */
		",revisions:[{" REV_HASH "}]",
	};
	for (size_t i = 0; i < sizeof EXTRA / sizeof EXTRA[0]; i++) {
		char *t0 = block_text();
		size_t n = strlen(t0);
		assert_true(n > 0 && t0[n - 1] == '}');
		char *t1 = malloc(n + strlen(EXTRA[i]) + 1);
		memcpy(t1, t0, n - 1);
		strcpy(t1 + n - 1, EXTRA[i]);
		strcat(t1, "}");
		struct fixture f = { .text = t1 };
		load(&f, f.text);
		struct qldb_block_result r;
		struct tally t = check(&f, &r);
		assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
		assert_int_equal(t.total, 1);
		/* the block is still checked as far as possible */
		assert_int_equal(t.passes, 5);
		unload(&f);
		free(t0);
	}
	char *t0 = block_text();
	char *t1 = malloc(strlen(t0) + 8);
	sprintf(t1, "x::%s", t0);
	struct fixture f = { .text = t1 };
	load(&f, f.text);
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1); /* annotations on the block */
	unload(&f);
	free(t0);
}

static void test_deleted_revision_with_metadata_hash_is_recomputed(void **state)
{
	(void)state;
	/* hash = IonHash(metadata) (derived-expected.json): proven */
	struct qldb_block_result r;
	char *t0 = block_text();
	char *t1 = replace(t0, "revisions:[{",
			   "revisions:[{" REV_ADDR "," REV_META
			   ",hash:{{vNbkf63AqIvow6E3VraH1FfPrZxyU0OkJucmJGWte1s=}}},{");
	struct fixture f = { .text = t1 };
	load(&f, f.text);
	struct tally t = check(&f, &r);
	/* the revisions root changes (two leaves), so only that check fails */
	assert_int_equal(t.total, 1);
	assert_int_equal(t.fails[QLDB_CHECK_REVISIONS_ROOT], 1);
	assert_int_equal(r.recomputed, 2);
	assert_int_equal(r.unproven, 0);
	unload(&f);
	free(t0);
}

static void test_hash_only_revision_with_its_address_is_hash_only(void **state)
{
	(void)state;
	struct qldb_block_result r;
	struct tally t = check_revision("{" REV_ADDR "," REV_HASH "}", &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(t.notes, 0);
	assert_int_equal(r.hash_only, 1);
	assert_int_equal(r.recomputed, 0);
	assert_int_equal(r.unproven, 0);
	/* hash-only, root, transactionInfo, entries, block */
	assert_int_equal(t.passes, 5);
}

static void test_repeated_field_in_metadata_fails(void **state)
{
	(void)state;
	/* IonHash covers both txIds, but a reader looking txId up sees one */
	struct qldb_block_result r;
	struct tally t =
		check_revision("{" REV_ADDR "," REV_HASH "," REV_DATA
			       ",metadata:{id:\"JUJgkIcNbhS2goq8RqLuZ4\",version:3,"
			       "txTime:2019-09-16T19:37:05.344Z,txId:\"FnQeJBAicTX0Ah32ZnVtSX\","
			       "txId:\"AAAAAAAAAAAAAAAAAAAAAA\"}}",
			       &r);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	assert_int_equal(r.recomputed, 0);
}

static void test_repeated_field_in_transaction_or_redaction_info_fails(void **state)
{
	(void)state;
	static const char *const EDIT[][2] = {
		/* a second statements list at the top of transactionInfo */
		{ "transactionInfo:{", "transactionInfo:{statements:[]," },
		/* redactionInfo with a repeated field */
		{ "revisions:[", "redactionInfo:{tableId:\"a\",tableId:\"b\"},revisions:[" },
	};
	for (size_t i = 0; i < sizeof EDIT / sizeof EDIT[0]; i++) {
		char *t0 = block_text();
		struct fixture f = { .text = replace(t0, EDIT[i][0], EDIT[i][1]) };
		load(&f, f.text);
		struct qldb_block_result r;
		struct tally t = check(&f, &r);
		assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
		/* both are hashed whole, so the membership check fails too, and
		 * the rest of the block is still checked */
		assert_int_equal(t.total, 2);
		assert_int_equal(
			t.fails[i == 0 ? QLDB_CHECK_TRANSACTION_INFO : QLDB_CHECK_REDACTION_INFO],
			1);
		assert_int_equal(t.passes, i == 0 ? 4 : 5);
		unload(&f);
		free(t0);
	}
}

/* The vector as its JSON down-conversion would carry it: every blob
 * {{base64}} becomes the string "base64" (malloc'd). */
static char *blobs_to_strings(const char *s)
{
	char *o = malloc(strlen(s) + 1), *q = o;
	assert_non_null(o);
	while (*s) {
		if (s[0] == '{' && s[1] == '{') {
			const char *end = strstr(s, "}}");
			assert_non_null(end);
			*q++ = '"';
			memcpy(q, s + 2, (size_t)(end - s - 2));
			q += end - s - 2;
			*q++ = '"';
			s = end + 2;
		} else {
			*q++ = *s++;
		}
	}
	*q = '\0';
	return o;
}

static void test_json_mode_content_is_unproven_and_hash_only_is_not(void **state)
{
	(void)state;
	char *t0 = block_text();
	struct fixture f = { .text = blobs_to_strings(t0) };
	load(&f, f.text);
	struct tally t = { 0 };
	struct qldb_report rep = { .fail = on_fail, .pass = on_pass, .note = on_note, .ctx = &t };
	struct qldb_block_result r;
	assert_int_equal(qldb_block_check(f.c, f.block, QLDB_MODE_JSON, &rep, &r), 0);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.unproven, 1);
	assert_int_equal(t.notes, 1);
	assert_int_equal(r.recomputed, 0);
	/* read in the wrong mode a block fails, never passes (so a format
	 * guessed wrong, export_format_detect, cannot prove anything) */
	memset(&t, 0, sizeof t);
	assert_int_equal(qldb_block_check(f.c, f.block, QLDB_MODE_ION, &rep, &r), -1);
	assert_int_equal(t.fails[QLDB_CHECK_FORMAT], 1);
	unload(&f);
	struct fixture w = { .text = strdup(t0) };
	load(&w, w.text);
	memset(&t, 0, sizeof t);
	assert_int_equal(qldb_block_check(w.c, w.block, QLDB_MODE_JSON, &rep, &r), -1);
	assert_int_equal(t.fails[QLDB_CHECK_FORMAT], 1);
	unload(&w);
	/* a hash-only revision has nothing to prove, in JSON too */
	const char *d = strstr(t0, "revisions:[{");
	char *rest = strdup(d);
	char *t1 = replace(t0, rest, "revisions:[{" REV_ADDR "," REV_HASH "}]}");
	struct fixture g = { .text = blobs_to_strings(t1) };
	load(&g, g.text);
	memset(&t, 0, sizeof t);
	assert_int_equal(qldb_block_check(g.c, g.block, QLDB_MODE_JSON, &rep, &r), 0);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.hash_only, 1);
	assert_int_equal(r.unproven, 0);
	assert_int_equal(t.notes, 0);
	unload(&g);
	/* data without metadata fails in JSON mode as in Ion mode */
	free(t1);
	t1 = replace(t0, rest, "revisions:[{" REV_ADDR "," REV_HASH "," REV_DATA_CHANGED "}]}");
	struct fixture h = { .text = blobs_to_strings(t1) };
	load(&h, h.text);
	memset(&t, 0, sizeof t);
	assert_int_equal(qldb_block_check(h.c, h.block, QLDB_MODE_JSON, &rep, &r), 0);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	assert_int_equal(r.unproven, 0);
	unload(&h);
	free(t1);
	free(rest);
	free(t0);
}

static void test_block_without_transaction_info_is_accepted(void **state)
{
	(void)state;
	char *t0 = block_text();
	const char *a = strstr(t0, "transactionInfo:{");
	const char *b = strstr(t0, "revisions:[");
	char *ti = strndup(a, (size_t)(b - a));
	struct fixture f = { .text = replace(t0, ti, "") };
	load(&f, f.text);
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.total, 0);
	unload(&f);
	free(ti);
	free(t0);
}

static void test_not_a_block_is_a_format_failure(void **state)
{
	(void)state;
	struct fixture f = { .text = strdup("{blockAddress:{strandId:\"x\",sequenceNo:1}}") };
	load(&f, f.text);
	struct tally t = { 0 };
	struct qldb_report rep = { .fail = on_fail, .ctx = &t };
	struct qldb_block_result r;
	assert_int_equal(qldb_block_check(f.c, f.block, QLDB_MODE_ION, &rep, &r), -1);
	assert_int_equal(t.fails[QLDB_CHECK_FORMAT], 1);
	unload(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_block_100_passes_every_check),
		cmocka_unit_test(test_every_blockhash_bit_flip_fails_block_hash),
		cmocka_unit_test(test_every_revision_data_bit_flip_fails_revision_hash),
		cmocka_unit_test(test_entries_hash_list_flip_fails_entries_hash),
		cmocka_unit_test(test_transaction_info_change_fails_membership),
		cmocka_unit_test(test_redacted_revision_uses_data_hash),
		cmocka_unit_test(test_hash_only_and_deleted_revisions_are_not_recomputed),
		cmocka_unit_test(test_rebuilt_revision_passes),
		cmocka_unit_test(test_data_without_metadata_fails_uncovered_content),
		cmocka_unit_test(test_second_data_field_fails_uncovered_content),
		cmocka_unit_test(test_unknown_revision_field_fails),
		cmocka_unit_test(test_data_with_data_hash_fails),
		cmocka_unit_test(test_revision_address_other_than_the_block_fails),
		cmocka_unit_test(test_changed_transaction_id_fails),
		cmocka_unit_test(test_unknown_or_repeated_block_field_fails),
		cmocka_unit_test(test_deleted_revision_with_metadata_hash_is_recomputed),
		cmocka_unit_test(test_hash_only_revision_with_its_address_is_hash_only),
		cmocka_unit_test(test_repeated_field_in_metadata_fails),
		cmocka_unit_test(test_repeated_field_in_transaction_or_redaction_info_fails),
		cmocka_unit_test(test_json_mode_content_is_unproven_and_hash_only_is_not),
		cmocka_unit_test(test_block_without_transaction_info_is_accepted),
		cmocka_unit_test(test_not_a_block_is_a_format_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
