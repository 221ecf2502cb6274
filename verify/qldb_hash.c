/*
 * qldb_hash.c - dot, Merkle trees and proofs as QLDB computes them.
 * The tree shape is RFC 6962 (left subtree = largest power of two below n),
 * which equals the "pair neighbours, carry the odd node up" loop of the AWS
 * verifiers (shared/docs/qldb-verification.md §2.4).
 */
#include "qldb_hash.h"

#include <stdlib.h>
#include <string.h>

int qldb_hash_compare(const uint8_t a[32], const uint8_t b[32])
{
	for (int i = 31; i >= 0; i--) {
		int d = (int)(int8_t)a[i] - (int)(int8_t)b[i];
		if (d)
			return d;
	}
	return 0;
}

bool qldb_hash_equal(const struct qldb_hash *a, const struct qldb_hash *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

int qldb_dot(struct sha256 *s, const struct qldb_hash *a, const struct qldb_hash *b,
	     struct qldb_hash *out)
{
	if ((a->len != 0 && a->len != 32) || (b->len != 0 && b->len != 32))
		return -1;
	if (a->len == 0) {
		*out = *b;
		return 0;
	}
	if (b->len == 0) {
		*out = *a;
		return 0;
	}
	uint8_t cat[64];
	const struct qldb_hash *lo = a, *hi = b;
	if (qldb_hash_compare(a->b, b->b) >= 0) {
		lo = b;
		hi = a;
	}
	memcpy(cat, lo->b, 32);
	memcpy(cat + 32, hi->b, 32);
	out->len = 32;
	return sha256_once(s, cat, 64, out->b);
}

static size_t split_point(size_t n)
{
	size_t k = 1;
	while (k * 2 < n)
		k *= 2;
	return k; /* largest power of two strictly below n (n >= 2) */
}

int qldb_merkle_root(struct sha256 *s, const struct qldb_hash *leaves, size_t n,
		     struct qldb_hash *out)
{
	if (n == 0) {
		out->len = 0;
		return 0;
	}
	if (n == 1) {
		*out = leaves[0];
		return 0;
	}
	size_t k = split_point(n);
	struct qldb_hash l, r;
	if (qldb_merkle_root(s, leaves, k, &l) || qldb_merkle_root(s, leaves + k, n - k, &r))
		return -1;
	return qldb_dot(s, &l, &r, out);
}

int qldb_merkle_path(struct sha256 *s, const struct qldb_hash *leaves, size_t n, size_t m,
		     struct qldb_hash *path, size_t max, size_t *count)
{
	*count = 0;
	if (m >= n)
		return -1;
	/* Walk top-down collecting siblings, then reverse to bottom-up order. */
	size_t lo = 0, len = n;
	while (len > 1) {
		size_t k = split_point(len);
		struct qldb_hash sib;
		int rc;
		if (m - lo < k) {
			rc = qldb_merkle_root(s, leaves + lo + k, len - k, &sib);
			len = k;
		} else {
			rc = qldb_merkle_root(s, leaves + lo, k, &sib);
			lo += k;
			len -= k;
		}
		if (rc || *count >= max)
			return -1;
		path[(*count)++] = sib;
	}
	for (size_t i = 0; i < *count / 2; i++) {
		struct qldb_hash t = path[i];
		path[i] = path[*count - 1 - i];
		path[*count - 1 - i] = t;
	}
	return 0;
}

int qldb_proof_fold(struct sha256 *s, const struct qldb_hash *start, const struct qldb_hash *proof,
		    size_t n, struct qldb_hash *steps, struct qldb_hash *out)
{
	struct qldb_hash acc = *start;
	for (size_t i = 0; i < n; i++) {
		if (qldb_dot(s, &acc, &proof[i], &acc))
			return -1;
		if (steps)
			steps[i] = acc;
	}
	*out = acc;
	return 0;
}

int qldb_merkle_acc_push(struct sha256 *s, struct qldb_merkle_acc *acc,
			 const struct qldb_hash *leaf)
{
	struct qldb_hash cur = *leaf;
	uint8_t h = 0;
	/* merge equal-height complete subtrees, like a binary counter */
	while (acc->depth > 0 && acc->height[acc->depth - 1] == h) {
		if (qldb_dot(s, &acc->stack[acc->depth - 1], &cur, &cur))
			return -1;
		acc->depth--;
		h++;
	}
	if (acc->depth >= QLDB_MERKLE_MAX_HEIGHT)
		return -1;
	acc->stack[acc->depth] = cur;
	acc->height[acc->depth] = h;
	acc->depth++;
	acc->count++;
	return 0;
}

int qldb_merkle_acc_root(struct sha256 *s, const struct qldb_merkle_acc *acc, struct qldb_hash *out)
{
	if (acc->depth == 0) {
		out->len = 0;
		return 0;
	}
	struct qldb_hash r = acc->stack[acc->depth - 1];
	for (size_t i = acc->depth - 1; i-- > 0;)
		if (qldb_dot(s, &acc->stack[i], &r, &r))
			return -1;
	*out = r;
	return 0;
}
