/*
 * test_ion_qldb_vector.c - Ion Hash on the one genuine public QLDB vector:
 * the AWS CLI examples in shared/vectors/qldb/aws-cli-examples
 * (get-revision and get-block output for block 100 of strand KmA3...).
 *
 * Checked against derived-expected.json and the block's own fields:
 *   IonHash(metadata), IonHash(data) of the revision (from get-revision
 *   and from the revision inside get-block),
 *   dot(those two) = the revision's own `hash` field,
 *   IonHash(transactionInfo) = derived value, and a member of the block's
 *   entriesHashList at index 3,
 *   IonHash(statement string) = the statement's own statementDigest.
 * Each check runs on the value as parsed from the IonText and again after
 * a binary write and read (the binary path).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/testutil.h"
#include "verify/base64.h"
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/ionhash.h"
#include "verify/qldb_hash.h"

#define DIR_CLI "vectors/qldb/aws-cli-examples/"

/* Parsed IonText of one AWS CLI output: Revision or Block. */
struct doc {
	char *json_text;
	cJSON *json;
	struct ion_arena *arena;
	const struct ion_value *value;
	struct buf bin; /* binary form, for the second path */
};

static void doc_load(struct doc *d, const char *file, const char *member, bool binary)
{
	memset(d, 0, sizeof *d);
	char rel[256];
	snprintf(rel, sizeof rel, DIR_CLI "%s", file);
	d->json_text = read_file(shared_path(rel), NULL);
	assert_non_null(d->json_text);
	d->json = cJSON_Parse(d->json_text);
	assert_non_null(d->json);
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(d->json, member);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "IonText");
	assert_true(cJSON_IsString(t));
	d->arena = ion_arena_new();
	struct ion_error err = { 0 };
	const char *s = t->valuestring;
	assert_int_equal(ion_parse_one((const uint8_t *)s, strlen(s), d->arena, &d->value, &err),
			 0);
	if (binary) {
		struct ion_binary_writer *w = ion_binary_writer_new();
		assert_int_equal(ion_binary_writer_add(w, d->value, &err), 0);
		assert_int_equal(ion_binary_writer_finish(w, &d->bin, &err), 0);
		ion_binary_writer_free(w);
		assert_int_equal(ion_parse_one(d->bin.data, d->bin.len, d->arena, &d->value, &err),
				 0);
	}
}

static void doc_free(struct doc *d)
{
	cJSON_Delete(d->json);
	free(d->json_text);
	ion_arena_free(d->arena);
	buf_free(&d->bin);
}

/* A base64 string member of derived-expected.json "checks". */
static void expected(const char *key, uint8_t out[32])
{
	char *text = read_file(shared_path(DIR_CLI "derived-expected.json"), NULL);
	assert_non_null(text);
	cJSON *j = cJSON_Parse(text);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "checks"), key);
	assert_true(cJSON_IsString(v));
	assert_int_equal(b64_32(v->valuestring, out), 0);
	cJSON_Delete(j);
	free(text);
}

static void ion_hash(const struct ion_value *v, uint8_t out[32])
{
	assert_non_null(v);
	struct ionhash *h = ionhash_new("sha256");
	struct ion_error err = { 0 };
	assert_int_equal(ionhash_sha256(h, v, out, &err), 0);
	ionhash_free(h);
}

/* A blob field (32 bytes) of a struct. */
static void blob32(const struct ion_value *s, const char *name, uint8_t out[32])
{
	const struct ion_value *b = ion_struct_get(s, name);
	assert_non_null(b);
	assert_int_equal(b->type, ION_TYPE_BLOB);
	assert_int_equal(b->u.bytes.len, 32);
	memcpy(out, b->u.bytes.data, 32);
}

static void check_revision(const struct ion_value *rev)
{
	uint8_t meta[32], data[32], want[32];
	ion_hash(ion_struct_get(rev, "metadata"), meta);
	expected("ionhash_revision_metadata", want);
	assert_memory_equal(meta, want, 32);
	ion_hash(ion_struct_get(rev, "data"), data);
	expected("ionhash_revision_data", want);
	assert_memory_equal(data, want, 32);
	/* revision hash = dot(IonHash(metadata), IonHash(data)) = its `hash` */
	struct sha256 *s = sha256_new();
	struct qldb_hash a = { .len = 32 }, b = { .len = 32 }, out;
	memcpy(a.b, meta, 32);
	memcpy(b.b, data, 32);
	assert_int_equal(qldb_dot(s, &a, &b, &out), 0);
	blob32(rev, "hash", want);
	assert_memory_equal(out.b, want, 32);
	sha256_free(s);
}

static void check_revision_output(bool binary)
{
	struct doc d;
	doc_load(&d, "get-revision.output.json", "Revision", binary);
	check_revision(d.value);
	doc_free(&d);
}

static void test_revision_metadata_and_data_hash_to_derived_values(void **state)
{
	(void)state;
	check_revision_output(false);
}

static void test_revision_hashes_survive_binary_round_trip(void **state)
{
	(void)state;
	check_revision_output(true);
}

static void check_block_output(bool binary)
{
	struct doc d;
	doc_load(&d, "get-block.output.json", "Block", binary);
	const struct ion_value *blk = d.value;
	uint8_t got[32], want[32];
	const struct ion_value *ti = ion_struct_get(blk, "transactionInfo");
	ion_hash(ti, got);
	expected("ionhash_transactionInfo", want);
	assert_memory_equal(got, want, 32);
	/* it is entriesHashList[3] */
	const struct ion_value *ehl = ion_struct_get(blk, "entriesHashList");
	assert_non_null(ehl);
	const struct ion_value *e = ehl->u.c.first_child;
	for (int i = 0; i < 3 && e; i++)
		e = e->next;
	assert_non_null(e);
	assert_int_equal(e->u.bytes.len, 32);
	assert_memory_equal(e->u.bytes.data, got, 32);
	/* statementDigest = IonHash of the statement string */
	const struct ion_value *stmts = ion_struct_get(ti, "statements");
	assert_non_null(stmts);
	int n = 0;
	for (const struct ion_value *st = stmts->u.c.first_child; st; st = st->next, n++) {
		ion_hash(ion_struct_get(st, "statement"), got);
		blob32(st, "statementDigest", want);
		assert_memory_equal(got, want, 32);
	}
	assert_int_equal(n, 1);
	/* the revision embedded in the block */
	const struct ion_value *revs = ion_struct_get(blk, "revisions");
	assert_non_null(revs);
	assert_non_null(revs->u.c.first_child);
	check_revision(revs->u.c.first_child);
	doc_free(&d);
}

static void test_block_transaction_info_and_statement_digest(void **state)
{
	(void)state;
	check_block_output(false);
}

static void test_block_hashes_survive_binary_round_trip(void **state)
{
	(void)state;
	check_block_output(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revision_metadata_and_data_hash_to_derived_values),
		cmocka_unit_test(test_revision_hashes_survive_binary_round_trip),
		cmocka_unit_test(test_block_transaction_info_and_statement_digest),
		cmocka_unit_test(test_block_hashes_survive_binary_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
