/*
 * merkle.c - the stored ledger tree (see merkle.h).
 */
#include "sim/merkle.h"

#include <stdlib.h>

#define MERKLE_INITIAL 64

static int level_push(struct sim_merkle *t, size_t h, const struct qldb_hash *node)
{
	if (t->len[h] == t->cap[h]) {
		size_t ncap = t->cap[h] ? t->cap[h] * 2 : MERKLE_INITIAL;
		struct qldb_hash *nl = realloc(t->level[h], ncap * sizeof *nl);
		if (!nl)
			return -1;
		t->level[h] = nl;
		t->cap[h] = ncap;
	}
	t->level[h][t->len[h]++] = *node;
	return 0;
}

size_t sim_merkle_size(const struct sim_merkle *t)
{
	return t->len[0];
}

void sim_merkle_truncate(struct sim_merkle *t, size_t n)
{
	for (size_t h = 0; h < SIM_MERKLE_LEVELS; h++, n >>= 1)
		if (t->len[h] > n)
			t->len[h] = n;
}

int sim_merkle_append(struct sha256 *s, struct sim_merkle *t, const struct qldb_hash *leaf)
{
	size_t n = t->len[0];
	if (level_push(t, 0, leaf) != 0)
		return -1;
	/* each level where the new node is a right child completes its parent */
	size_t i = n;
	for (size_t h = 0; h + 1 < SIM_MERKLE_LEVELS && (i & 1); h++, i >>= 1) {
		struct qldb_hash parent;
		if (qldb_dot(s, &t->level[h][i - 1], &t->level[h][i], &parent) != 0 ||
		    level_push(t, h + 1, &parent) != 0) {
			sim_merkle_truncate(t, n);
			return -1;
		}
	}
	return 0;
}

/* Largest power of two strictly below n (n >= 2). */
static size_t split_point(size_t n)
{
	size_t k = 1;
	while (k * 2 < n)
		k *= 2;
	return k;
}

/* log2 of a power of two. */
static size_t log2_exact(size_t k)
{
	size_t h = 0;
	while (k > 1)
		k >>= 1, h++;
	return h;
}

/* Root of leaves [a, b): a is a multiple of the largest power of two not
 * above b - a, as every range of the RFC 6962 recursion from 0 is. */
static int range_root(struct sha256 *s, const struct sim_merkle *t, size_t a, size_t b,
		      struct qldb_hash *out)
{
	size_t n = b - a;
	if ((n & (n - 1)) == 0) {
		size_t h = log2_exact(n);
		*out = t->level[h][a >> h];
		return 0;
	}
	size_t k = split_point(n);
	struct qldb_hash right;
	if (range_root(s, t, a + k, b, &right) != 0)
		return -1;
	size_t h = log2_exact(k);
	return qldb_dot(s, &t->level[h][a >> h], &right, out);
}

int sim_merkle_root(struct sha256 *s, const struct sim_merkle *t, size_t n, struct qldb_hash *out)
{
	if (n > t->len[0])
		return -1;
	if (n == 0) {
		out->len = 0; /* the empty list's root */
		return 0;
	}
	return range_root(s, t, 0, n, out);
}

int sim_merkle_path(struct sha256 *s, const struct sim_merkle *t, size_t m, size_t n,
		    struct qldb_hash *path, size_t max, size_t *count)
{
	*count = 0;
	if (m >= n || n > t->len[0])
		return -1;
	/* top-down, as the recursion splits; reversed to bottom-up at the end */
	size_t a = 0, b = n;
	while (b - a > 1) {
		size_t k = split_point(b - a);
		struct qldb_hash sib;
		int rc;
		if (m < a + k) {
			rc = range_root(s, t, a + k, b, &sib);
			b = a + k;
		} else {
			rc = range_root(s, t, a, a + k, &sib);
			a += k;
		}
		if (rc != 0 || *count >= max)
			return -1;
		path[(*count)++] = sib;
	}
	for (size_t i = 0; i < *count / 2; i++) {
		struct qldb_hash x = path[i];
		path[i] = path[*count - 1 - i];
		path[*count - 1 - i] = x;
	}
	return 0;
}

void sim_merkle_free(struct sim_merkle *t)
{
	for (size_t h = 0; h < SIM_MERKLE_LEVELS; h++)
		free(t->level[h]);
	*t = (struct sim_merkle){ 0 };
}
