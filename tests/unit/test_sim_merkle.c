/*
 * test_sim_merkle.c - the endpoint's stored ledger tree (sim/merkle.c)
 * against verify/'s leaf-scanning Merkle root and audit path, a separate
 * construction (recursive over the leaf array, held to the real QLDB
 * vectors by test_qldb_hash): for every size up to 300 and every leaf, the
 * root and the path must be the same hashes, and the path must fold to the
 * root. A failed append and a truncation leave a tree that still agrees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sim/merkle.h"
#include "verify/qldb_hash.h"

#define LEAVES 300

static void make_leaves(struct sha256 *s, struct qldb_hash *leaves, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t seed[8];
		for (int k = 0; k < 8; k++)
			seed[k] = (uint8_t)(i >> (8 * k));
		leaves[i].len = 32;
		assert_int_equal(sha256_once(s, seed, sizeof seed, leaves[i].b), 0);
	}
}

static void test_root_and_path_match_the_leaf_scan_for_every_size(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	static struct qldb_hash leaves[LEAVES];
	make_leaves(s, leaves, LEAVES);
	struct sim_merkle t = { 0 };
	for (size_t n = 1; n <= LEAVES; n++) {
		assert_int_equal(sim_merkle_append(s, &t, &leaves[n - 1]), 0);
		assert_int_equal(sim_merkle_size(&t), n);
		struct qldb_hash want, got;
		assert_int_equal(qldb_merkle_root(s, leaves, n, &want), 0);
		assert_int_equal(sim_merkle_root(s, &t, n, &got), 0);
		assert_true(qldb_hash_equal(&want, &got));
		for (size_t m = 0; m < n; m++) {
			struct qldb_hash pw[64], pg[64], folded;
			size_t cw = 0, cg = 0;
			assert_int_equal(qldb_merkle_path(s, leaves, n, m, pw, 64, &cw), 0);
			assert_int_equal(sim_merkle_path(s, &t, m, n, pg, 64, &cg), 0);
			assert_int_equal(cw, cg);
			for (size_t i = 0; i < cw; i++)
				assert_true(qldb_hash_equal(&pw[i], &pg[i]));
			assert_int_equal(qldb_proof_fold(s, &leaves[m], pg, cg, NULL, &folded), 0);
			assert_true(qldb_hash_equal(&folded, &want));
		}
	}
	/* earlier tips stay answerable after the tree grew */
	for (size_t n = 1; n <= LEAVES; n += 37) {
		struct qldb_hash want, got;
		assert_int_equal(qldb_merkle_root(s, leaves, n, &want), 0);
		assert_int_equal(sim_merkle_root(s, &t, n, &got), 0);
		assert_true(qldb_hash_equal(&want, &got));
	}
	sim_merkle_free(&t);
	sha256_free(s);
}

static void test_out_of_range_requests_fail(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	struct qldb_hash leaves[5], path[64], root;
	size_t count = 99;
	make_leaves(s, leaves, 5);
	struct sim_merkle t = { 0 };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(sim_merkle_append(s, &t, &leaves[i]), 0);
	assert_int_equal(sim_merkle_path(s, &t, 5, 5, path, 64, &count), -1);
	assert_int_equal(count, 0);
	assert_int_equal(sim_merkle_path(s, &t, 0, 6, path, 64, &count), -1);
	assert_int_equal(sim_merkle_path(s, &t, 0, 5, path, 1, &count), -1); /* needs 3 */
	assert_int_equal(sim_merkle_root(s, &t, 6, &root), -1);
	assert_int_equal(sim_merkle_root(s, &t, 0, &root), 0);
	assert_int_equal(root.len, 0);
	sim_merkle_free(&t);
	sha256_free(s);
}

static void test_truncate_then_regrow_agrees(void **state)
{
	(void)state;
	struct sha256 *s = sha256_new();
	static struct qldb_hash leaves[40], other[40];
	make_leaves(s, leaves, 40);
	make_leaves(s, other, 40);
	for (size_t i = 0; i < 40; i++)
		other[i].b[0] ^= 0x5a; /* a different history after the cut */
	struct sim_merkle t = { 0 };
	for (size_t i = 0; i < 40; i++)
		assert_int_equal(sim_merkle_append(s, &t, &leaves[i]), 0);
	sim_merkle_truncate(&t, 13);
	assert_int_equal(sim_merkle_size(&t), 13);
	for (size_t i = 13; i < 40; i++) {
		leaves[i] = other[i];
		assert_int_equal(sim_merkle_append(s, &t, &leaves[i]), 0);
	}
	for (size_t n = 1; n <= 40; n++) {
		struct qldb_hash want, got;
		assert_int_equal(qldb_merkle_root(s, leaves, n, &want), 0);
		assert_int_equal(sim_merkle_root(s, &t, n, &got), 0);
		assert_true(qldb_hash_equal(&want, &got));
	}
	sim_merkle_free(&t);
	sha256_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_and_path_match_the_leaf_scan_for_every_size),
		cmocka_unit_test(test_out_of_range_requests_fail),
		cmocka_unit_test(test_truncate_then_regrow_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
