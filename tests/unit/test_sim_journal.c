/*
 * test_sim_journal.c - the structure of the endpoint's journal (sim/):
 * every block parses as Ion, chains to its predecessor, and its hashes
 * recompute from the block's own text with verify/ (revision hashes,
 * revisions root and IonHash(transactionInfo) in entriesHashList,
 * entriesHash, blockHash); the digest is the Merkle root over all block
 * hashes; the build is deterministic per seed. These checks use the same
 * verify/ code as the sim, so they are evidence of the sim's structure,
 * not of the hashing itself (that is the vector tests' job).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ion_fmt.h"
#include "sim/journal.h"
#include "sim/workload.h"
#include "verify/ion.h"
#include "verify/ionhash.h"
#include "verify/qldb_block.h"
#include "verify/qldb_hash.h"

#define SEED 42
#define GENESIS_MS 1700000000000LL
#define BLOCKS 40 /* workload blocks after genesis */
#define STEP_MS 20000

struct fixture {
	struct sim_journal *j;
	struct sha256 *sha;
	struct ionhash *ih;
	struct ion_arena *arena;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[SIM_ERR_MAX] = "";
	f->j = sim_workload_build(SEED, GENESIS_MS, BLOCKS, STEP_MS, err, sizeof err);
	if (!f->j)
		fail_msg("build: %s", err);
	f->sha = sha256_new();
	f->ih = ionhash_new("sha256");
	f->arena = ion_arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_journal_free(f->j);
	sha256_free(f->sha);
	ionhash_free(f->ih);
	ion_arena_free(f->arena);
	free(f);
	return 0;
}

static const struct ion_value *parse(struct fixture *f, const char *text)
{
	const struct ion_value *v = NULL;
	struct ion_error e = { 0 };
	if (ion_parse_one((const uint8_t *)text, strlen(text), f->arena, &v, &e) != 0)
		fail_msg("block text does not parse: %s", e.msg);
	return v;
}

static struct qldb_hash field_hash(const struct ion_value *s, const char *name, bool allow_empty)
{
	struct qldb_hash h;
	const struct ion_value *v = ion_struct_get(s, name);
	assert_non_null(v);
	assert_int_equal(qldb_hash_get(v, QLDB_MODE_ION, allow_empty, &h), 0);
	return h;
}

static struct qldb_hash ion_hash(struct fixture *f, const struct ion_value *v)
{
	struct qldb_hash h = { .len = 32 };
	struct ion_error e = { 0 };
	assert_int_equal(ionhash_sha256(f->ih, v, h.b, &e), 0);
	return h;
}

static bool list_contains(const struct qldb_hash *list, size_t n, const struct qldb_hash *h)
{
	for (size_t i = 0; i < n; i++)
		if (qldb_hash_equal(&list[i], h))
			return true;
	return false;
}

static int64_t int_field(const struct ion_value *s, const char *name)
{
	const struct ion_value *v = ion_struct_get(s, name);
	int64_t x = -1;
	assert_non_null(v);
	assert_int_equal(v->type, ION_TYPE_INT);
	assert_int_equal(ion_int_to_i64(&v->u.i, &x), 0);
	return x;
}

static bool string_field_is(const struct ion_value *s, const char *name, const char *want)
{
	const struct ion_value *v = ion_struct_get(s, name);
	return v && v->type == ION_TYPE_STRING && v->u.bytes.len == strlen(want) &&
	       memcmp(v->u.bytes.data, want, v->u.bytes.len) == 0;
}

static void test_every_block_chains_and_recomputes_from_its_text(void **state)
{
	struct fixture *f = *state;
	size_t n = sim_journal_block_count(f->j);
	assert_int_equal(n, BLOCKS + 1);
	struct qldb_hash prev = { .len = 0 };
	size_t max_revisions = 0, revisions_total = 0, odd_trees = 0;
	size_t deleted = 0, redacted = 0, redaction_infos = 0;
	for (size_t seq = 0; seq < n; seq++) {
		char *text = sim_journal_block_text(f->j, (int64_t)seq, NULL);
		assert_non_null(text);
		ion_arena_reset(f->arena);
		const struct ion_value *b = parse(f, text);
		assert_int_equal(b->type, ION_TYPE_STRUCT);

		const struct ion_value *addr = ion_struct_get(b, "blockAddress");
		assert_non_null(addr);
		assert_true(string_field_is(addr, "strandId", sim_journal_strand(f->j)));
		assert_int_equal(int_field(addr, "sequenceNo"), (int64_t)seq);

		struct qldb_hash block = field_hash(b, "blockHash", false);
		struct qldb_hash entries = field_hash(b, "entriesHash", false);
		struct qldb_hash previous = field_hash(b, "previousBlockHash", true);
		assert_true(qldb_hash_equal(&previous, &prev)); /* the chain link */

		const struct ion_value *list = ion_struct_get(b, "entriesHashList");
		assert_non_null(list);
		assert_int_equal(list->type, ION_TYPE_LIST);
		struct qldb_hash ehl[8];
		size_t ne = 0;
		for (const struct ion_value *c = list->u.c.first_child; c; c = c->next) {
			assert_true(ne < 8);
			assert_int_equal(qldb_hash_get(c, QLDB_MODE_ION, false, &ehl[ne++]), 0);
		}
		struct qldb_hash root, dotted;
		assert_int_equal(qldb_merkle_root(f->sha, ehl, ne, &root), 0);
		assert_true(qldb_hash_equal(&root, &entries));
		assert_int_equal(qldb_dot(f->sha, &entries, &previous, &dotted), 0);
		assert_true(qldb_hash_equal(&dotted, &block));

		const struct ion_value *ri = ion_struct_get(b, "redactionInfo");
		if (ri) {
			struct qldb_hash rih = ion_hash(f, ri);
			assert_true(list_contains(ehl, ne, &rih));
			redaction_infos++;
		}
		const struct ion_value *txinfo = ion_struct_get(b, "transactionInfo");
		const struct ion_value *revs = ion_struct_get(b, "revisions");
		if (seq == 0) {
			/* genesis: no transactionInfo, no revisions, empty previous hash,
			 * so blockHash = entriesHash by dot's empty rule */
			assert_null(txinfo);
			assert_null(revs);
			assert_int_equal(previous.len, 0);
			assert_true(qldb_hash_equal(&block, &entries));
		} else {
			assert_non_null(txinfo);
			struct qldb_hash th = ion_hash(f, txinfo);
			assert_true(list_contains(ehl, ne, &th));
			const struct ion_value *stmts = ion_struct_get(txinfo, "statements");
			assert_non_null(stmts);
			for (const struct ion_value *s = stmts->u.c.first_child; s; s = s->next) {
				struct qldb_hash want = field_hash(s, "statementDigest", false);
				struct qldb_hash got = ion_hash(f, ion_struct_get(s, "statement"));
				assert_true(qldb_hash_equal(&want, &got));
			}
		}
		if (revs) {
			const struct ion_value *txid = ion_struct_get(b, "transactionId");
			struct qldb_hash rh[SIM_TXN_MAX_WRITES];
			size_t nr = 0;
			for (const struct ion_value *r = revs->u.c.first_child; r; r = r->next) {
				const struct ion_value *meta = ion_struct_get(r, "metadata");
				const struct ion_value *data = ion_struct_get(r, "data");
				const struct ion_value *dhash = ion_struct_get(r, "dataHash");
				assert_non_null(meta);
				assert_false(data && dhash);
				/* data; or dataHash once redacted; or neither for a
				 * deleted document (hash = IonHash(metadata)) */
				struct qldb_hash mh = ion_hash(f, meta), dh = { .len = 0 };
				if (data)
					dh = ion_hash(f, data);
				else if (dhash)
					dh = field_hash(r, "dataHash", false);
				deleted += !data && !dhash;
				redacted += dhash != NULL;
				assert_int_equal(qldb_dot(f->sha, &mh, &dh, &rh[nr]), 0);
				struct qldb_hash published = field_hash(r, "hash", false);
				assert_true(qldb_hash_equal(&published, &rh[nr]));
				const struct ion_value *id = ion_struct_get(meta, "id");
				assert_int_equal(id->u.bytes.len, SIM_ID_LEN);
				const struct ion_value *mt = ion_struct_get(meta, "txId");
				assert_int_equal(mt->u.bytes.len, txid->u.bytes.len);
				assert_memory_equal(mt->u.bytes.data, txid->u.bytes.data,
						    txid->u.bytes.len);
				nr++;
			}
			assert_int_equal(qldb_merkle_root(f->sha, rh, nr, &root), 0);
			assert_true(list_contains(ehl, ne, &root));
			max_revisions = nr > max_revisions ? nr : max_revisions;
			odd_trees += nr % 2 == 1 && nr > 1;
			revisions_total += nr;
		}

		struct sim_block_info info;
		assert_int_equal(sim_journal_block_info(f->j, (int64_t)seq, &info), 0);
		assert_true(qldb_hash_equal(&info.block_hash, &block));
		prev = block;
		free(text);
	}
	assert_int_equal(max_revisions, 4); /* transfers and voids */
	assert_true(odd_trees >= 1);	    /* account openings: 3 revisions */
	assert_true(revisions_total >= 40);
	/* the workload's deletes and redactions happened, and each redaction
	 * block's redactionInfo hash is in its entriesHashList */
	assert_true(deleted >= 2);
	assert_true(redacted >= 2);
	assert_int_equal(redaction_infos, redacted);
}

static void test_digest_is_merkle_root_over_all_block_hashes(void **state)
{
	struct fixture *f = *state;
	size_t n = sim_journal_block_count(f->j);
	struct qldb_hash leaves[BLOCKS + 1], want, got;
	for (size_t i = 0; i < n; i++) {
		struct sim_block_info info;
		assert_int_equal(sim_journal_block_info(f->j, (int64_t)i, &info), 0);
		leaves[i] = info.block_hash;
	}
	assert_int_equal(qldb_merkle_root(f->sha, leaves, n, &want), 0);
	int64_t tip = -1;
	assert_int_equal(sim_journal_digest(f->j, &got, &tip), 0);
	assert_int_equal(tip, (int64_t)n - 1);
	assert_int_equal(got.len, 32);
	assert_true(qldb_hash_equal(&got, &want));
	assert_int_equal(sim_journal_block_info(f->j, (int64_t)n, &(struct sim_block_info){ 0 }),
			 -1);
	assert_null(sim_journal_block_text(f->j, -1, NULL));
}

/* GetBlock's proof: for every block and every tip at or after it, folding
 * the blockHash with the path gives the Merkle root over blocks 0..tip (the
 * digest a ledger published at that tip); a block after the tip or a tip
 * past the journal has no proof. */
static void test_block_proof_folds_to_the_digest_at_every_tip(void **state)
{
	struct fixture *f = *state;
	size_t n = sim_journal_block_count(f->j);
	struct qldb_hash leaves[BLOCKS + 1], path[64], root, got;
	for (size_t i = 0; i < n; i++) {
		struct sim_block_info info;
		assert_int_equal(sim_journal_block_info(f->j, (int64_t)i, &info), 0);
		leaves[i] = info.block_hash;
	}
	for (size_t tip = 0; tip < n; tip++) {
		assert_int_equal(qldb_merkle_root(f->sha, leaves, tip + 1, &root), 0);
		for (size_t seq = 0; seq <= tip; seq++) {
			size_t count = 0;
			assert_int_equal(sim_journal_block_proof(f->j, (int64_t)seq, (int64_t)tip,
								 path, 64, &count),
					 0);
			assert_int_equal(
				qldb_proof_fold(f->sha, &leaves[seq], path, count, NULL, &got), 0);
			assert_true(qldb_hash_equal(&got, &root));
		}
	}
	size_t count;
	assert_int_equal(sim_journal_block_proof(f->j, 3, 2, path, 64, &count), -1);
	assert_int_equal(sim_journal_block_proof(f->j, 0, (int64_t)n, path, 64, &count), -1);
}

/* The verifier's own block self-check (verify/qldb_block.c) accepts every
 * block: the sim writes what the verifier reads. */
static void count_failure(void *ctx, const struct qldb_failure *fl)
{
	print_message("# block %lld: %s\n", (long long)fl->seq, fl->message);
	(*(int *)ctx)++;
}

static void test_verifier_self_check_passes_every_block(void **state)
{
	struct fixture *f = *state;
	struct qldb_checker *c = qldb_checker_new();
	int failures = 0;
	struct qldb_report rep = { .fail = count_failure, .ctx = &failures };
	size_t recomputed = 0, redacted = 0;
	for (size_t seq = 0; seq < sim_journal_block_count(f->j); seq++) {
		char *text = sim_journal_block_text(f->j, (int64_t)seq, NULL);
		ion_arena_reset(f->arena);
		struct qldb_block_result r;
		assert_int_equal(qldb_block_check(c, parse(f, text), QLDB_MODE_ION, &rep, &r), 0);
		recomputed += r.recomputed;
		redacted += r.redacted;
		assert_int_equal(r.unproven, 0); /* deleted revisions hash as IonHash(metadata) */
		free(text);
	}
	qldb_checker_free(c);
	assert_int_equal(failures, 0);
	assert_true(recomputed >= 40);
	assert_true(redacted >= 2); /* the verifier recomputed them via dataHash */
}

static void test_same_seed_same_journal_other_seed_differs(void **state)
{
	struct fixture *f = *state;
	char err[SIM_ERR_MAX];
	struct sim_journal *a =
		sim_workload_build(SEED, GENESIS_MS, BLOCKS, STEP_MS, err, sizeof err);
	struct sim_journal *b =
		sim_workload_build(SEED + 1, GENESIS_MS, BLOCKS, STEP_MS, err, sizeof err);
	assert_non_null(a);
	assert_non_null(b);
	for (int64_t seq = 0; seq <= BLOCKS; seq++) {
		char *x = sim_journal_block_text(f->j, seq, NULL);
		char *y = sim_journal_block_text(a, seq, NULL);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	struct qldb_hash da, db;
	int64_t ta, tb;
	assert_int_equal(sim_journal_digest(a, &da, &ta), 0);
	assert_int_equal(sim_journal_digest(b, &db, &tb), 0);
	assert_int_equal(ta, tb);
	assert_false(qldb_hash_equal(&da, &db));
	assert_string_not_equal(sim_journal_strand(a), sim_journal_strand(b));
	sim_journal_free(a);
	sim_journal_free(b);
}

static void test_commit_rejects_bad_data_and_leaves_journal_unchanged(void **state)
{
	(void)state;
	char err[SIM_ERR_MAX] = "";
	struct sim_journal *j = sim_journal_new(7, GENESIS_MS, err, sizeof err);
	assert_non_null(j);
	const char *stmts[] = { "INSERT INTO T VALUE {'a': 1}" };
	char doc[SIM_ID_LEN + 1], table[SIM_ID_LEN + 1];
	sim_journal_new_id(j, doc);
	sim_journal_new_id(j, table);
	struct sim_doc_write w = { "T", table, doc, 0, "{a:1", 0 };
	struct sim_txn t = { .commit_ms = GENESIS_MS + 1000,
			     .statements = stmts,
			     .n_statements = 1,
			     .writes = &w,
			     .n_writes = 1 };
	assert_int_equal(sim_journal_commit(j, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "revision data"));
	w.data_ion = "[1,2]"; /* a document must be a struct */
	assert_int_equal(sim_journal_commit(j, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "struct"));
	t.n_statements = 0;
	assert_int_equal(sim_journal_commit(j, &t, err, sizeof err), -1);
	assert_int_equal(sim_journal_block_count(j), 1);
	t.n_statements = 1;
	w.data_ion = "{a:1}";
	assert_int_equal(sim_journal_commit(j, &t, err, sizeof err), 1);
	sim_journal_free(j);
}

static void test_ion_fmt_pieces_read_back(void **state)
{
	struct fixture *f = *state;
	struct buf b = { 0 };
	/* a field name that is not an identifier (ids may start with a digit) */
	assert_int_equal(buf_append_byte(&b, '{'), 0);
	assert_int_equal(sim_ion_field(&b, "1abc"), 0);
	assert_int_equal(sim_ion_string(&b, "say \"hi\"\\\n\x01"), 0);
	assert_int_equal(buf_append_str(&b, ",t:"), 0);
	assert_int_equal(sim_ion_timestamp_ms(&b, 1568662625344LL), 0);
	assert_int_equal(buf_append_str(&b, ",d:"), 0);
	assert_int_equal(sim_ion_decimal_cents(&b, 9025), 0);
	assert_int_equal(buf_append_str(&b, ",n:"), 0);
	assert_int_equal(sim_ion_decimal_cents(&b, -5), 0);
	assert_int_equal(buf_append_byte(&b, ','), 0);
	assert_int_equal(sim_ion_field(&b, "null"), 0); /* a keyword must be quoted */
	assert_int_equal(buf_append_str(&b, "1}"), 0);
	assert_int_equal(buf_append_byte(&b, 0), 0);
	assert_string_equal((char *)b.data, "{'1abc':\"say \\\"hi\\\"\\\\\\n\\x01\","
					    "t:2019-09-16T19:37:05.344Z,d:90.25,n:-0.05,'null':1}");
	ion_arena_reset(f->arena);
	const struct ion_value *v = parse(f, (char *)b.data);
	assert_true(string_field_is(v, "1abc", "say \"hi\"\\\n\x01"));
	const struct ion_value *t = ion_struct_get(v, "t");
	assert_int_equal(t->type, ION_TYPE_TIMESTAMP);
	assert_int_equal(t->u.ts.precision, ION_TS_FRACTION);
	assert_int_equal(t->u.ts.frac_exp, -3);
	const struct ion_value *d = ion_struct_get(v, "d");
	assert_int_equal(d->type, ION_TYPE_DECIMAL);
	assert_int_equal(d->u.dec.exponent, -2);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_block_chains_and_recomputes_from_its_text),
		cmocka_unit_test(test_digest_is_merkle_root_over_all_block_hashes),
		cmocka_unit_test(test_block_proof_folds_to_the_digest_at_every_tip),
		cmocka_unit_test(test_verifier_self_check_passes_every_block),
		cmocka_unit_test(test_same_seed_same_journal_other_seed_differs),
		cmocka_unit_test(test_commit_rejects_bad_data_and_leaves_journal_unchanged),
		cmocka_unit_test(test_ion_fmt_pieces_read_back),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
