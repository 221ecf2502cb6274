/*
 * test_verify_proof.c - proving the real AWS CLI get-block and get-revision
 * outputs against get-digest (verify/qldb_proof.c), and failing on every
 * single-bit change of the digest and of every proof element; the KVS
 * sample (shared/vectors/qldb/kvs-nodejs/sampleLedgerInfo.json) must fail.
 * Soundness: a revision whose content no hash covers (data without
 * metadata, a second data field) fails as uncovered-content even though
 * its hash folds to the digest; what cannot be proven (a bare revision
 * hash, a deleted document's revision whose hash is not IonHash(metadata))
 * is a note, so the caller does not report it as VERIFIED; a hash-only
 * revision has no content, so nothing is noted.
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
#include "verify/qldb_proof.h"

struct tally {
	int fails[QLDB_CHECK_COUNT];
	int total, notes;
};
static void on_fail(void *ctx, const struct qldb_failure *f)
{
	struct tally *t = ctx;
	t->fails[f->kind]++;
	t->total++;
}
static void on_note(void *ctx, const char *line)
{
	(void)line;
	((struct tally *)ctx)->notes++;
}

/* obj.name.IonText of a vector file (malloc'd) or NULL. */
static char *ion_text(const char *file, const char *outer, const char *name)
{
	char *json = read_file(shared_path(file), NULL);
	assert_non_null(json);
	cJSON *j = cJSON_Parse(json);
	cJSON *o = outer ? cJSON_GetObjectItem(j, outer) : j;
	cJSON *t = cJSON_GetObjectItem(cJSON_GetObjectItem(o, name), "IonText");
	char *s = cJSON_IsString(t) ? strdup(t->valuestring) : NULL;
	cJSON_Delete(j);
	free(json);
	return s;
}

struct vec {
	char *block, *rev, *bproof, *rproof, *tip;
	struct qldb_hash digest;
};

static void vec_load(struct vec *v)
{
	const char *D = "vectors/qldb/aws-cli-examples/";
	char p[256];
	snprintf(p, sizeof p, "%sget-block.output.json", D);
	v->block = ion_text(p, NULL, "Block");
	v->bproof = ion_text(p, NULL, "Proof");
	snprintf(p, sizeof p, "%sget-revision.output.json", D);
	v->rev = ion_text(p, NULL, "Revision");
	v->rproof = ion_text(p, NULL, "Proof");
	snprintf(p, sizeof p, "%sget-digest.output.json", D);
	v->tip = ion_text(p, NULL, "DigestTipAddress");
	v->digest.len = 32;
	assert_int_equal(b64_32(AWS_CLI_DIGEST, v->digest.b), 0);
}

static void vec_free(struct vec *v)
{
	free(v->block);
	free(v->rev);
	free(v->bproof);
	free(v->rproof);
	free(v->tip);
}

static int run(struct qldb_checker *c, const struct vec *v, bool block, const char *proof,
	       struct tally *t)
{
	struct qldb_proof_input in = {
		.block_text = block ? v->block : NULL,
		.block_len = block ? strlen(v->block) : 0,
		.revision_text = block ? NULL : v->rev,
		.revision_len = block ? 0 : strlen(v->rev),
		.proof_text = proof,
		.proof_len = strlen(proof),
		.digest = v->digest,
		.tip_text = v->tip,
		.tip_len = strlen(v->tip),
	};
	struct qldb_report rep = { .fail = on_fail, .note = on_note, .ctx = t };
	char why[QLDB_MESSAGE_MAX];
	return qldb_proof_verify(c, &in, &rep, why, sizeof why);
}

static void test_proof_parses_seven_blobs_in_order(void **state)
{
	(void)state;
	struct vec v;
	vec_load(&v);
	struct qldb_hash h[QLDB_PROOF_MAX];
	char why[200], b[QLDB_HASH_B64_LEN];
	assert_int_equal(
		qldb_proof_parse(v.bproof, strlen(v.bproof), h, QLDB_PROOF_MAX, why, sizeof why),
		7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(qldb_hash_b64(&h[i], b), AWS_CLI_BLOCK_PROOF[i]);
	assert_int_equal(qldb_proof_parse("[1]", 3, h, QLDB_PROOF_MAX, why, sizeof why), -1);
	assert_int_equal(qldb_proof_parse("{a:1}", 5, h, QLDB_PROOF_MAX, why, sizeof why), -1);
	assert_int_equal(qldb_proof_parse("[{{AAAA}}]", 10, h, QLDB_PROOF_MAX, why, sizeof why),
			 -1);
	vec_free(&v);
}

static void test_block_and_revision_prove_against_digest(void **state)
{
	(void)state;
	struct vec v;
	vec_load(&v);
	struct qldb_checker *c = qldb_checker_new();
	struct tally t = { 0 };
	assert_int_equal(run(c, &v, true, v.bproof, &t), 0);
	assert_int_equal(run(c, &v, false, v.rproof, &t), 0);
	assert_int_equal(t.total, 0);
	assert_int_equal(t.notes, 0);
	qldb_checker_free(c);
	vec_free(&v);
}

static void test_every_digest_bit_flip_fails_the_proof(void **state)
{
	(void)state;
	struct vec v;
	vec_load(&v);
	struct qldb_checker *c = qldb_checker_new();
	for (int bit = 0; bit < 256; bit++) {
		v.digest.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		for (int blk = 0; blk < 2; blk++) {
			struct tally t = { 0 };
			assert_int_equal(run(c, &v, blk, blk ? v.bproof : v.rproof, &t), 1);
			assert_int_equal(t.fails[QLDB_CHECK_PROOF], 1);
			assert_int_equal(t.total, 1);
		}
		v.digest.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	qldb_checker_free(c);
	vec_free(&v);
}

/* Rebuild a Proof IonText with one bit of element e flipped. */
static char *flipped_proof(const char *proof, int e, int bit)
{
	struct qldb_hash h[QLDB_PROOF_MAX];
	char why[200];
	int n = qldb_proof_parse(proof, strlen(proof), h, QLDB_PROOF_MAX, why, sizeof why);
	assert_true(n > e);
	h[e].b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	char *out = malloc((size_t)n * 50 + 3), *p = out;
	*p++ = '[';
	for (int i = 0; i < n; i++) {
		char b[QLDB_HASH_B64_LEN];
		p += sprintf(p, "%s{{%s}}", i ? "," : "", qldb_hash_b64(&h[i], b));
	}
	strcpy(p, "]");
	return out;
}

static void test_every_proof_element_bit_flip_fails(void **state)
{
	(void)state;
	struct vec v;
	vec_load(&v);
	struct qldb_checker *c = qldb_checker_new();
	for (int blk = 0; blk < 2; blk++) {
		const char *proof = blk ? v.bproof : v.rproof;
		int n = blk ? 7 : 10;
		for (int e = 0; e < n; e++)
			for (int bit = 0; bit < 256; bit += 7) {
				char *p = flipped_proof(proof, e, bit);
				struct tally t = { 0 };
				assert_int_equal(run(c, &v, blk, p, &t), 1);
				assert_int_equal(t.fails[QLDB_CHECK_PROOF], 1);
				free(p);
			}
	}
	qldb_checker_free(c);
	vec_free(&v);
}

static void test_kvs_sample_ledger_info_fails(void **state)
{
	(void)state;
	const char *f = "vectors/qldb/kvs-nodejs/sampleLedgerInfo.json";
	char *json = read_file(shared_path(f), NULL);
	assert_non_null(json);
	cJSON *j = cJSON_Parse(json);
	const char *rh = cJSON_GetObjectItem(j, "RevisionHash")->valuestring;
	const char *dg =
		cJSON_GetObjectItem(cJSON_GetObjectItem(j, "LedgerDigest"), "Digest")->valuestring;
	char *addr = ion_text(f, NULL, "BlockAddress");
	char *proof = ion_text(f, NULL, "Proof");
	char *tip = ion_text(f, "LedgerDigest", "DigestTipAddress");
	struct qldb_hash h = { .len = 32 }, d = { .len = 32 };
	assert_int_equal(b64_32(rh, h.b), 0);
	assert_int_equal(b64_32(dg, d.b), 0);
	struct qldb_proof_input in = {
		.revision_hash = &h,
		.address_text = addr,
		.address_len = strlen(addr),
		.proof_text = proof,
		.proof_len = strlen(proof),
		.digest = d,
		.tip_text = tip,
		.tip_len = strlen(tip),
	};
	struct tally t = { 0 };
	struct qldb_report rep = { .fail = on_fail, .ctx = &t };
	struct qldb_checker *c = qldb_checker_new();
	char why[QLDB_MESSAGE_MAX];
	assert_int_equal(qldb_proof_verify(c, &in, &rep, why, sizeof why), 1);
	assert_int_equal(t.fails[QLDB_CHECK_PROOF], 1);
	qldb_checker_free(c);
	free(addr);
	free(proof);
	free(tip);
	cJSON_Delete(j);
	free(json);
}

static void test_tip_before_block_fails_address(void **state)
{
	(void)state;
	struct vec v;
	vec_load(&v);
	free(v.tip);
	v.tip = strdup("{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:99}");
	struct qldb_checker *c = qldb_checker_new();
	struct tally t = { 0 };
	assert_int_equal(run(c, &v, true, v.bproof, &t), 1);
	assert_int_equal(t.fails[QLDB_CHECK_ADDRESS], 1);
	qldb_checker_free(c);
	vec_free(&v);
}

/* Replace the first occurrence of a in v->rev with b (or delete it). */
static void rev_edit(struct vec *v, const char *a, const char *b)
{
	char *p = strstr(v->rev, a);
	assert_non_null(p);
	size_t n = strlen(v->rev) - strlen(a) + strlen(b);
	char *o = malloc(n + 1);
	assert_non_null(o);
	memcpy(o, v->rev, (size_t)(p - v->rev));
	strcpy(o + (p - v->rev), b);
	strcat(o, p + strlen(a));
	free(v->rev);
	v->rev = o;
}

#define VEC_META                                                                                   \
	",metadata:{id:\"JUJgkIcNbhS2goq8RqLuZ4\",version:3,txTime:2019-09-16T19:37:05.344Z,"      \
	"txId:\"FnQeJBAicTX0Ah32ZnVtSX\"}"

static void test_revision_data_without_metadata_fails(void **state)
{
	(void)state;
	/* the hash still folds to the digest, but nothing covers this data:
	 * the old verifier noted it and a caller could read the data as proven */
	struct vec v;
	vec_load(&v);
	rev_edit(&v, VEC_META, "");
	rev_edit(&v, "City:\"Everett\"", "City:\"Seattle\"");
	struct qldb_checker *c = qldb_checker_new();
	struct tally t = { 0 };
	assert_int_equal(run(c, &v, false, v.rproof, &t), 1);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	assert_int_equal(t.total, 1);
	assert_int_equal(t.notes, 0);
	qldb_checker_free(c);
	vec_free(&v);
}

static void test_revision_with_a_second_data_field_fails(void **state)
{
	(void)state;
	struct vec v;
	vec_load(&v);
	rev_edit(&v, VEC_META, VEC_META ",data:{VIN:\"1N4AL11D75C109151\",City:\"Seattle\"}");
	struct qldb_checker *c = qldb_checker_new();
	struct tally t = { 0 };
	assert_int_equal(run(c, &v, false, v.rproof, &t), 1);
	assert_int_equal(t.fails[QLDB_CHECK_CONTENT], 1);
	qldb_checker_free(c);
	vec_free(&v);
}

static void test_unproven_revisions_are_notes_and_hash_only_is_not(void **state)
{
	(void)state;
	struct qldb_checker *c = qldb_checker_new();
	/* deleted document (metadata alone) whose hash is not IonHash(metadata):
	 * no failure, but a note (the caller must not say VERIFIED) */
	struct vec v;
	vec_load(&v);
	const char *d = strstr(v.rev, ",data:{");
	const char *m = strstr(v.rev, VEC_META);
	char *data = strndup(d, (size_t)(m - d));
	rev_edit(&v, data, "");
	free(data);
	struct tally t = { 0 };
	assert_int_equal(run(c, &v, false, v.rproof, &t), 0);
	assert_int_equal(t.total, 0);
	assert_int_equal(t.notes, 1);
	vec_free(&v);
	/* hash-only: no content, nothing unproven, nothing noted */
	vec_load(&v);
	free(v.rev);
	v.rev = strdup("{blockAddress:{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:100},"
		       "hash:{{mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg=}}}");
	memset(&t, 0, sizeof t);
	assert_int_equal(run(c, &v, false, v.rproof, &t), 0);
	assert_int_equal(t.total, 0);
	assert_int_equal(t.notes, 0);
	/* a bare revision hash without the revision: a note */
	struct qldb_hash h = { .len = 32 };
	assert_int_equal(b64_32("mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg=", h.b), 0);
	const char *addr = "{strandId:\"KmA3ZZca7vAIiJAK9S5Iwl\",sequenceNo:100}";
	struct qldb_proof_input in = {
		.revision_hash = &h,
		.address_text = addr,
		.address_len = strlen(addr),
		.proof_text = v.rproof,
		.proof_len = strlen(v.rproof),
		.digest = v.digest,
		.tip_text = v.tip,
		.tip_len = strlen(v.tip),
	};
	memset(&t, 0, sizeof t);
	struct qldb_report rep = { .fail = on_fail, .note = on_note, .ctx = &t };
	char why[QLDB_MESSAGE_MAX];
	assert_int_equal(qldb_proof_verify(c, &in, &rep, why, sizeof why), 0);
	assert_int_equal(t.total, 0);
	assert_int_equal(t.notes, 1);
	qldb_checker_free(c);
	vec_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proof_parses_seven_blobs_in_order),
		cmocka_unit_test(test_block_and_revision_prove_against_digest),
		cmocka_unit_test(test_every_digest_bit_flip_fails_the_proof),
		cmocka_unit_test(test_every_proof_element_bit_flip_fails),
		cmocka_unit_test(test_kvs_sample_ledger_info_fails),
		cmocka_unit_test(test_tip_before_block_fails_address),
		cmocka_unit_test(test_revision_data_without_metadata_fails),
		cmocka_unit_test(test_revision_with_a_second_data_field_fails),
		cmocka_unit_test(test_unproven_revisions_are_notes_and_hash_only_is_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
