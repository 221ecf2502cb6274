/*
 * test_qldb_hash.c - dot, Merkle and proof folding against the real AWS CLI
 * vector (shared/vectors/qldb/aws-cli-examples) and RFC 6962 tree shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tests/lib/testutil.h"
#include "verify/qldb_hash.h"

static struct qldb_hash H(const char *b64) {
	struct qldb_hash h = { .len = 32 };
	assert_int_equal(b64_32(b64, h.b), 0);
	return h;
}

static const char *const BLOCK_HASH = "NoChM92yKRuJAb/jeLd1VnYn4DHiWIf071ACfic9uHc=";

static void test_compare_is_signed_from_byte_31_down(void **state)
{
	(void)state;
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	a[31] = 0x7f; /* +127 */
	b[31] = 0x80; /* -128 as a signed byte: smaller */
	assert_true(qldb_hash_compare(b, a) < 0);
	memset(b, 0, 32);
	b[0] = 0xff; /* byte 0 decides only when 1..31 tie */
	a[31] = 0;
	assert_true(qldb_hash_compare(b, a) < 0);
}

static void test_dot_empty_rule_returns_other_unhashed(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	struct qldb_hash e = { .len = 0 }, x = H(AWS_CLI_DIGEST), out;
	assert_int_equal(qldb_dot(s, &e, &x, &out), 0);
	assert_true(qldb_hash_equal(&out, &x));
	assert_int_equal(qldb_dot(s, &x, &e, &out), 0);
	assert_true(qldb_hash_equal(&out, &x));
	struct qldb_hash bad = { .len = 16 };
	assert_int_not_equal(qldb_dot(s, &bad, &x, &out), 0);
	sha256_free(s);
}

static void test_entries_hash_and_block_hash_of_real_block_100(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	struct qldb_hash ehl[4] = {
		H("eRSwnmAM7WWANWDd5iGOyK+T4tDXyzUq6HZ/0fgLHos="),
		H("mHVex/yjHAWjFPpwhBuH2GKXmKJjK2FBa9faqoUVNtg="),
		H("y5cCBr7pOAIUfsVQ1j0TqtE97b4b4oo1R0vnYyE5wWM="),
		H("TvTXygML1bMe6NvEZtGkX+KR+W/EJl4qD1mmV77KZQg="),
	};
	struct qldb_hash root, want = H("l05LOsiKV14SDbuaYnH7uwXzUvqzIwUiRLXGbTyj/nY=");
	assert_int_equal(qldb_merkle_root(s, ehl, 4, &root), 0);
	assert_true(qldb_hash_equal(&root, &want));
	struct qldb_hash prev = H("7kewBXhpdbClcZKxhVmpoMHpUGOJtWQD0iY2LPfZkYA="), bh;
	assert_int_equal(qldb_dot(s, &root, &prev, &bh), 0);
	struct qldb_hash want_bh = H(BLOCK_HASH);
	assert_true(qldb_hash_equal(&bh, &want_bh));
	sha256_free(s);
}

static void test_block_proof_folds_to_published_digest(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	struct qldb_hash proof[7], steps[7], out, start = H(BLOCK_HASH), want = H(AWS_CLI_DIGEST);
	for (int i = 0; i < 7; i++)
		proof[i] = H(AWS_CLI_BLOCK_PROOF[i]);
	assert_int_equal(qldb_proof_fold(s, &start, proof, 7, steps, &out), 0);
	assert_true(qldb_hash_equal(&out, &want));
	struct qldb_hash step0 = H("cr8ByjjYZTFe8fjp2Z0qCNr2vIApkOmpX42ZrulPKVQ=");
	assert_true(qldb_hash_equal(&steps[0], &step0));
	/* any single flipped bit in any element breaks the fold */
	for (int i = 0; i < 7; i++) {
		for (int bit = 0; bit < 256; bit += 37) {
			proof[i].b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_equal(qldb_proof_fold(s, &start, proof, 7, NULL, &out), 0);
			assert_false(qldb_hash_equal(&out, &want));
			proof[i].b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
	}
	sha256_free(s);
}

/* Leaves that make order visible: leaf i has byte 0 = i. */
static void make_leaves(struct qldb_hash *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&l[i], 0, sizeof l[i]);
		l[i].len = 32;
		l[i].b[0] = (uint8_t)i;
		l[i].b[1] = (uint8_t)(i >> 8);
		l[i].b[31] = (uint8_t)(i * 37);
	}
}

/* The AWS verifiers' loop: pair neighbours, carry an odd last node up. */
static void pairwise_root(struct sha256 *s, struct qldb_hash *l, size_t n, struct qldb_hash *out)
{
	while (n > 1) {
		size_t m = 0;
		for (size_t i = 0; i < n; i += 2) {
			if (i + 1 < n)
				qldb_dot(s, &l[i], &l[i + 1], &l[m]);
			else
				l[m] = l[i];
			m++;
		}
		n = m;
	}
	*out = l[0];
}

static void test_merkle_root_equals_pairwise_loop_and_streaming(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	struct qldb_hash l[130], tmp[130], a, b, c;
	make_leaves(l, 130);
	for (size_t n = 1; n <= 130; n++) {
		memcpy(tmp, l, sizeof tmp);
		pairwise_root(s, tmp, n, &a);
		assert_int_equal(qldb_merkle_root(s, l, n, &b), 0);
		struct qldb_merkle_acc acc = { 0 };
		for (size_t i = 0; i < n; i++)
			assert_int_equal(qldb_merkle_acc_push(s, &acc, &l[i]), 0);
		assert_int_equal(qldb_merkle_acc_root(s, &acc, &c), 0);
		assert_true(qldb_hash_equal(&a, &b));
		assert_true(qldb_hash_equal(&a, &c));
	}
	sha256_free(s);
}

static void test_audit_path_folds_to_root_for_every_leaf(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	struct qldb_hash l[47], root, path[16], out;
	make_leaves(l, 47);
	assert_int_equal(qldb_merkle_root(s, l, 47, &root), 0);
	for (size_t m = 0; m < 47; m++) {
		size_t n;
		assert_int_equal(qldb_merkle_path(s, l, 47, m, path, 16, &n), 0);
		assert_int_equal(qldb_proof_fold(s, &l[m], path, n, NULL, &out), 0);
		assert_true(qldb_hash_equal(&out, &root));
		if (m == 21) /* the KVS sample: leaf 21 of 47 has a 6-hash path */
			assert_int_equal(n, 6);
	}
	/* the AWS CLI vector: leaf 100 of 124 has a 7-hash path */
	struct qldb_hash big[124];
	size_t n;
	make_leaves(big, 124);
	assert_int_equal(qldb_merkle_path(s, big, 124, 100, path, 16, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(qldb_merkle_path(s, big, 124, 124, path, 16, &n), -1);
	sha256_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_is_signed_from_byte_31_down),
		cmocka_unit_test(test_dot_empty_rule_returns_other_unhashed),
		cmocka_unit_test(test_entries_hash_and_block_hash_of_real_block_100),
		cmocka_unit_test(test_block_proof_folds_to_published_digest),
		cmocka_unit_test(test_merkle_root_equals_pairwise_loop_and_streaming),
		cmocka_unit_test(test_audit_path_folds_to_root_for_every_leaf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
