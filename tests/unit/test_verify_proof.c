/*
 * test_verify_proof.c - proving the real AWS CLI get-block and get-revision
 * outputs against get-digest (verify/qldb_proof.c), and failing on every
 * single-bit change of the digest and of every proof element; the KVS
 * sample (shared/vectors/qldb/kvs-nodejs/sampleLedgerInfo.json) must fail.
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
	int total;
};
static void on_fail(void *ctx, const struct qldb_failure *f)
{
	struct tally *t = ctx;
	t->fails[f->kind]++;
	t->total++;
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
	struct qldb_report rep = { .fail = on_fail, .ctx = t };
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proof_parses_seven_blobs_in_order),
		cmocka_unit_test(test_block_and_revision_prove_against_digest),
		cmocka_unit_test(test_every_digest_bit_flip_fails_the_proof),
		cmocka_unit_test(test_every_proof_element_bit_flip_fails),
		cmocka_unit_test(test_kvs_sample_ledger_info_fails),
		cmocka_unit_test(test_tip_before_block_fails_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
