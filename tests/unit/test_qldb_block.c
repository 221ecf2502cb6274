/*
 * test_qldb_block.c - the block self-check (verify/qldb_block.c) on the real
 * AWS CLI vector (shared/vectors/qldb/aws-cli-examples/get-block.output.json,
 * intermediates in derived-expected.json): it passes as published, and a
 * single flipped bit in blockHash, a revision data value, an
 * entriesHashList element or transactionInfo fails the check that covers it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
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
	char *json =
		read_file(shared_path("vectors/qldb/aws-cli-examples/get-block.output.json"), NULL);
	assert_non_null(json);
	cJSON *j = cJSON_Parse(json);
	cJSON *t = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "Block"), "IonText");
	assert_true(cJSON_IsString(t));
	char *s = strdup(t->valuestring);
	cJSON_Delete(j);
	free(json);
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
	/* a hash-only revision with the same hash keeps every check intact */
	char *t1 = replace(t0, rest,
			   "revisions:[{hash:{{mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg=}}}]}");
	struct fixture f = { .text = t1 };
	load(&f, f.text);
	struct qldb_block_result r;
	struct tally t = check(&f, &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.revisions, 1);
	assert_int_equal(r.recomputed, 0);
	assert_int_equal(t.notes, 1); /* said, not claimed as proven */
	unload(&f);
	/* metadata without data or dataHash (deleted document): not recomputed */
	const char *dd = strstr(t0, "data:{");
	const char *m = strstr(t0, ",metadata:");
	char *data = strndup(dd, (size_t)(m - dd + 1));
	struct fixture g = { .text = replace(t0, data, "") };
	load(&g, g.text);
	t = check(&g, &r);
	assert_int_equal(t.total, 0);
	assert_int_equal(r.recomputed, 0);
	unload(&g);
	free(data);
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
		cmocka_unit_test(test_block_without_transaction_info_is_accepted),
		cmocka_unit_test(test_not_a_block_is_a_format_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
