/*
 * test_export_chain.c - the export verdict (verify/export_chain.c): three
 * outcomes, never optimistic. VERIFIED needs a digest recomputed over every
 * block present; no digest, a digest the export does not reach, blocks
 * after the tip, JSON objects and revisions no formula covers are
 * UNVERIFIED with a line each; a started manifest that misnames the format,
 * or mixed formats, is a failure. The hash algebra itself is tested against
 * the real vectors elsewhere (test_qldb_hash.c); here it only builds a
 * matching digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/export_chain.h"

#define N_BLOCKS 8

struct fixture {
	struct qldb_checker *c;
	struct sha256 *sha;
	struct qldb_hash h[N_BLOCKS]; /* block hashes 0..N-1 */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->c = qldb_checker_new();
	f->sha = sha256_new();
	assert_non_null(f->c);
	assert_non_null(f->sha);
	for (int i = 0; i < N_BLOCKS; i++) {
		f->h[i].len = 32;
		memset(f->h[i].b, 0x11 * (i + 1), 32);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	qldb_checker_free(f->c);
	sha256_free(f->sha);
	free(f);
	return 0;
}

/* An object holding blocks first..last, chained, as export_object leaves it. */
static void object_of(struct fixture *f, struct export_object *o, int first, int last,
		      enum qldb_mode mode)
{
	struct export_range r = { .strand = "S", .first = first, .last = last };
	export_object_init(o, f->c, mode, &r);
	o->blocks = (size_t)(last - first + 1);
	o->first_seq = first;
	o->last_seq = last;
	o->first_prev = first ? f->h[first - 1] : (struct qldb_hash){ 0 };
	o->last_hash = f->h[last];
	o->have_last_hash = true;
	o->hashes = malloc(o->blocks * sizeof *o->hashes);
	assert_non_null(o->hashes);
	memcpy(o->hashes, &f->h[first], o->blocks * sizeof *o->hashes);
	o->n_hashes = o->cap_hashes = o->blocks;
}

/* Merge objects [0..3] and [4..7] into ch (digest over 0..tip if tip >= 0). */
static void run_chain(struct fixture *f, struct export_chain *ch, int tip, int last_block,
		      enum export_format found, enum export_format declared)
{
	struct qldb_hash digest;
	struct qldb_address a = { .strand = "S", .seq = tip };
	if (tip >= 0)
		assert_int_equal(qldb_merkle_root(f->sha, f->h, (size_t)tip + 1, &digest), 0);
	export_chain_init(ch, f->sha, tip >= 0 ? &digest : NULL, tip >= 0 ? &a : NULL);
	enum qldb_mode mode = found == EXPORT_FORMAT_JSON ? QLDB_MODE_JSON : QLDB_MODE_ION;
	struct export_object o;
	object_of(f, &o, 0, 3, mode);
	export_chain_format(ch, found, declared, 0, "a.0-3.ion");
	export_chain_add(ch, &o, "a.0-3.ion");
	export_object_free(&o);
	object_of(f, &o, 4, last_block, mode);
	export_chain_format(ch, found, declared, 4, "a.4-7.ion");
	export_chain_add(ch, &o, "a.4-7.ion");
	export_object_free(&o);
	export_chain_finish(ch);
}

static void test_digest_over_every_block_is_verified(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	run_chain(f, &ch, 7, 7, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_ION_TEXT);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_VERIFIED);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_VERIFIED);
	assert_int_equal(export_chain_unproven_count(&ch), 0);
	assert_string_equal(export_status_name(export_chain_status(&ch)), "VERIFIED");
	export_chain_free(&ch);
}

static void test_no_digest_is_unverified_not_verified(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	run_chain(f, &ch, -1, 7, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_UNKNOWN);
	assert_int_equal(export_chain_failure_count(&ch), 0);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	assert_int_equal(export_chain_unproven_count(&ch), 1);
	assert_non_null(strstr(ch.unproven[0], "digest: none given"));
	export_chain_free(&ch);
}

static void test_export_short_of_the_tip_is_unverified(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	/* the digest covers 0..7, the export stops at 6 */
	run_chain(f, &ch, 7, 6, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_UNKNOWN);
	assert_int_equal(export_chain_failure_count(&ch), 0);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_UNVERIFIED);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	assert_non_null(strstr(ch.unproven[0], "before the digest tip 7"));
	export_chain_free(&ch);
}

static void test_blocks_after_the_tip_are_unverified(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	/* the digest covers 0..5 and matches; blocks 6-7 are not covered */
	run_chain(f, &ch, 5, 7, EXPORT_FORMAT_ION_BINARY, EXPORT_FORMAT_UNKNOWN);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_VERIFIED);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	assert_int_equal(export_chain_unproven_count(&ch), 1);
	assert_non_null(strstr(ch.unproven[0], "blocks 6-7"));
	export_chain_free(&ch);
}

static void test_json_objects_are_unverified_even_with_a_matching_digest(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	run_chain(f, &ch, 7, 7, EXPORT_FORMAT_JSON, EXPORT_FORMAT_JSON);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_VERIFIED);
	assert_int_equal(ch.json_objects, 2);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	assert_non_null(strstr(ch.unproven[0], "JSON: 2 data objects chain-checked only"));
	export_chain_free(&ch);
}

static void test_manifest_that_misnames_the_format_fails(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	/* the started manifest says JSON (chain only) over Ion objects */
	run_chain(f, &ch, 7, 7, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_JSON);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	assert_int_equal(ch.failures[0].f.kind, QLDB_CHECK_MANIFEST);
	assert_int_equal(ch.failures[0].f.seq, 0);
	assert_non_null(strstr(ch.failures[0].f.message, "says JSON, but this object is ION_TEXT"));
	assert_int_equal(ch.json_objects, 0); /* verified as what it is */
	export_chain_free(&ch);
}

static void test_mixed_formats_fail_at_the_first_odd_object(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	struct qldb_hash digest;
	struct qldb_address a = { .strand = "S", .seq = 7 };
	assert_int_equal(qldb_merkle_root(f->sha, f->h, 8, &digest), 0);
	export_chain_init(&ch, f->sha, &digest, &a);
	struct export_object o;
	object_of(f, &o, 0, 3, QLDB_MODE_ION);
	export_chain_format(&ch, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_UNKNOWN, 0, "a.0-3.ion");
	export_chain_add(&ch, &o, "a.0-3.ion");
	export_object_free(&o);
	object_of(f, &o, 4, 7, QLDB_MODE_ION);
	export_chain_format(&ch, EXPORT_FORMAT_ION_BINARY, EXPORT_FORMAT_UNKNOWN, 4, "a.4-7.ion");
	export_chain_add(&ch, &o, "a.4-7.ion");
	export_object_free(&o);
	export_chain_finish(&ch);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	assert_int_equal(ch.failures[0].f.kind, QLDB_CHECK_MANIFEST);
	assert_int_equal(ch.failures[0].f.seq, 4);
	assert_string_equal(ch.failures[0].file, "a.4-7.ion");
	export_chain_free(&ch);
}

static void test_unproven_revisions_make_the_verdict_unverified(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	struct qldb_hash digest;
	struct qldb_address a = { .strand = "S", .seq = 3 };
	assert_int_equal(qldb_merkle_root(f->sha, f->h, 4, &digest), 0);
	export_chain_init(&ch, f->sha, &digest, &a);
	struct export_object o;
	object_of(f, &o, 0, 3, QLDB_MODE_ION);
	o.revisions = 5;
	o.unproven = 2; /* e.g. deleted-document revisions no formula covers */
	export_chain_format(&ch, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_UNKNOWN, 0, "a.0-3.ion");
	export_chain_add(&ch, &o, "a.0-3.ion");
	export_object_free(&o);
	export_chain_finish(&ch);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_VERIFIED);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	assert_non_null(strstr(ch.unproven[0], "revisions: 2 revisions"));
	export_chain_free(&ch);
}

static void test_a_failure_wins_over_unproven(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	export_chain_init(&ch, f->sha, NULL, NULL);
	struct qldb_failure fl = { .kind = QLDB_CHECK_BLOCK_HASH, .seq = 2 };
	export_chain_fail(&ch, &fl, "x");
	export_chain_finish(&ch);
	assert_int_equal(export_chain_unproven_count(&ch), 1);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	export_chain_free(&ch);
}

/* --- the tip proof: an export that ends before the digest's tip --- */

/* The digest covers 0..7; the export's objects are [first..3] and
 * [4..last]. */
static void short_chain(struct fixture *f, struct export_chain *ch, int first, int last)
{
	struct qldb_hash digest;
	struct qldb_address a = { .strand = "S", .seq = 7 };
	assert_int_equal(qldb_merkle_root(f->sha, f->h, 8, &digest), 0);
	export_chain_init(ch, f->sha, &digest, &a);
	struct export_object o;
	object_of(f, &o, first, 3, QLDB_MODE_ION);
	export_chain_add(ch, &o, "a.ion");
	export_object_free(&o);
	object_of(f, &o, 4, last, QLDB_MODE_ION);
	export_chain_add(ch, &o, "b.ion");
	export_object_free(&o);
	export_chain_finish(ch);
}

static void test_tip_gap_names_the_last_block_and_its_hash(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	short_chain(f, &ch, 0, 5);
	struct qldb_address last;
	struct qldb_hash h;
	assert_true(export_chain_tip_gap(&ch, &last, &h));
	assert_string_equal(last.strand, "S");
	assert_int_equal(last.seq, 5);
	assert_true(qldb_hash_equal(&h, &f->h[5]));
	export_chain_free(&ch);
}

static void test_tip_proof_of_the_last_block_verifies(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	short_chain(f, &ch, 0, 5);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	struct qldb_address a = { .strand = "S", .seq = 5 };
	export_chain_tip_proven(&ch, &a, &f->h[5]);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_VERIFIED);
	assert_true(ch.digest_by_proof);
	assert_int_equal(export_chain_unproven_count(&ch), 0);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_VERIFIED);
	/* a second call changes nothing: the gap is closed */
	struct qldb_address b = { .strand = "S", .seq = 4 };
	export_chain_tip_proven(&ch, &b, &f->h[4]);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_VERIFIED);
	export_chain_free(&ch);
}

static void test_tip_proof_from_a_later_start_verifies(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	short_chain(f, &ch, 2, 6); /* blocks 2..6: from its start to its end */
	struct qldb_address last;
	struct qldb_hash h;
	assert_true(export_chain_tip_gap(&ch, &last, &h));
	assert_int_equal(last.seq, 6);
	export_chain_tip_proven(&ch, &last, &f->h[6]);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_VERIFIED);
	export_chain_free(&ch);
}

static void test_tip_proof_for_another_block_fails(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	short_chain(f, &ch, 0, 5);
	/* a genuine proof, but of block 4 (or of block 5 on another strand) */
	struct qldb_address a = { .strand = "S", .seq = 4 };
	export_chain_tip_proven(&ch, &a, &f->h[4]);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_FAILED);
	assert_non_null(strstr(ch.failures[0].f.message, "block S:4"));
	assert_non_null(strstr(ch.failures[0].f.message, "ends at block S:5"));
	export_chain_free(&ch);

	short_chain(f, &ch, 0, 5);
	struct qldb_address o = { .strand = "T", .seq = 5 };
	export_chain_tip_proven(&ch, &o, &f->h[5]);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	export_chain_free(&ch);
}

static void test_tip_proof_of_another_hash_fails_with_expected_and_computed(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	short_chain(f, &ch, 0, 5);
	/* the ledger's block 5 is not the export's block 5 */
	struct qldb_address a = { .strand = "S", .seq = 5 };
	export_chain_tip_proven(&ch, &a, &f->h[6]);
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN], want[400];
	snprintf(want, sizeof want, "block S:5 blockHash expected %s", qldb_hash_b64(&f->h[6], e));
	assert_non_null(strstr(ch.failures[0].f.message, want));
	snprintf(want, sizeof want, "computed %s", qldb_hash_b64(&f->h[5], g));
	assert_non_null(strstr(ch.failures[0].f.message, want));
	export_chain_free(&ch);
}

static void test_altered_earlier_block_still_fails_with_a_good_last_block(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	struct qldb_hash digest;
	struct qldb_address tip = { .strand = "S", .seq = 7 };
	assert_int_equal(qldb_merkle_root(f->sha, f->h, 8, &digest), 0);
	export_chain_init(&ch, f->sha, &digest, &tip);
	struct export_object o;
	object_of(f, &o, 0, 3, QLDB_MODE_ION);
	o.last_hash.b[0] ^= 1; /* block 3 changed: its hash no longer links */
	export_chain_add(&ch, &o, "a.ion");
	export_object_free(&o);
	object_of(f, &o, 4, 5, QLDB_MODE_ION);
	export_chain_add(&ch, &o, "b.ion");
	export_object_free(&o);
	export_chain_finish(&ch);
	struct qldb_address last;
	struct qldb_hash h;
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	struct qldb_address a = { .strand = "S", .seq = 5 };
	export_chain_tip_proven(&ch, &a, &f->h[5]); /* ignored */
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_FAILED);
	assert_int_not_equal(ch.digest_state, EXPORT_DIGEST_VERIFIED);
	export_chain_free(&ch);
}

static void test_no_tip_gap_without_a_continuous_chain(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	struct qldb_address last;
	struct qldb_hash h;
	struct qldb_hash digest;
	struct qldb_address tip = { .strand = "S", .seq = 7 };
	assert_int_equal(qldb_merkle_root(f->sha, f->h, 8, &digest), 0);

	/* an unreadable block inside an object: nothing failed here (the
	 * object reports its own failure), but the chain has a hole */
	export_chain_init(&ch, f->sha, &digest, &tip);
	struct export_object o;
	object_of(f, &o, 0, 5, QLDB_MODE_ION);
	o.contiguous = false;
	export_chain_add(&ch, &o, "a.ion");
	export_object_free(&o);
	export_chain_finish(&ch);
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	export_chain_free(&ch);

	/* the last object's last hash unknown */
	export_chain_init(&ch, f->sha, &digest, &tip);
	object_of(f, &o, 0, 5, QLDB_MODE_ION);
	o.have_last_hash = false;
	export_chain_add(&ch, &o, "a.ion");
	export_object_free(&o);
	export_chain_finish(&ch);
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	export_chain_free(&ch);

	/* an object that holds fewer blocks than its key names */
	export_chain_init(&ch, f->sha, &digest, &tip);
	object_of(f, &o, 0, 5, QLDB_MODE_ION);
	o.range.last = 6;
	export_chain_add(&ch, &o, "a.ion");
	export_object_free(&o);
	export_chain_finish(&ch);
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	export_chain_free(&ch);

	/* a missing object */
	export_chain_init(&ch, f->sha, &digest, &tip);
	object_of(f, &o, 0, 3, QLDB_MODE_ION);
	export_chain_add(&ch, &o, "a.ion");
	export_object_free(&o);
	struct export_range r = { .strand = "S", .first = 4, .last = 5 };
	export_chain_missing(&ch, &r, "b.ion");
	export_chain_finish(&ch);
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	export_chain_free(&ch);

	/* no digest given: nothing to prove into */
	run_chain(f, &ch, -1, 5, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_UNKNOWN);
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	export_chain_free(&ch);

	/* the export reaches the tip: the Merkle root decides, not a proof */
	run_chain(f, &ch, 7, 7, EXPORT_FORMAT_ION_TEXT, EXPORT_FORMAT_UNKNOWN);
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	export_chain_free(&ch);
}

static void test_no_tip_gap_on_another_strand(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	struct qldb_hash digest;
	struct qldb_address tip = { .strand = "T", .seq = 7 };
	assert_int_equal(qldb_merkle_root(f->sha, f->h, 8, &digest), 0);
	export_chain_init(&ch, f->sha, &digest, &tip);
	struct export_object o;
	object_of(f, &o, 0, 5, QLDB_MODE_ION);
	export_chain_add(&ch, &o, "a.ion");
	export_object_free(&o);
	export_chain_finish(&ch);
	struct qldb_address last;
	struct qldb_hash h;
	assert_false(export_chain_tip_gap(&ch, &last, &h));
	export_chain_free(&ch);
}

static void test_tip_proof_leaves_other_unproven_lines(void **state)
{
	struct fixture *f = *state;
	struct export_chain ch;
	struct qldb_hash digest;
	struct qldb_address tip = { .strand = "S", .seq = 7 };
	assert_int_equal(qldb_merkle_root(f->sha, f->h, 8, &digest), 0);
	export_chain_init(&ch, f->sha, &digest, &tip);
	export_chain_unproven(&ch, "a folder was not searched");
	struct export_object o;
	object_of(f, &o, 0, 5, QLDB_MODE_JSON);
	export_chain_format(&ch, EXPORT_FORMAT_JSON, EXPORT_FORMAT_UNKNOWN, 0, "a.json");
	export_chain_add(&ch, &o, "a.json");
	export_object_free(&o);
	export_chain_finish(&ch);
	assert_int_equal(export_chain_unproven_count(&ch), 3);
	struct qldb_address a = { .strand = "S", .seq = 5 };
	export_chain_tip_proven(&ch, &a, &f->h[5]);
	assert_int_equal(ch.digest_state, EXPORT_DIGEST_VERIFIED);
	/* only the digest line goes: the others still hold */
	assert_int_equal(export_chain_unproven_count(&ch), 2);
	assert_string_equal(ch.unproven[0], "a folder was not searched");
	assert_non_null(strstr(ch.unproven[1], "JSON: 1 data object"));
	assert_int_equal(export_chain_status(&ch), EXPORT_STATUS_UNVERIFIED);
	export_chain_free(&ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_over_every_block_is_verified),
		cmocka_unit_test(test_no_digest_is_unverified_not_verified),
		cmocka_unit_test(test_export_short_of_the_tip_is_unverified),
		cmocka_unit_test(test_blocks_after_the_tip_are_unverified),
		cmocka_unit_test(test_json_objects_are_unverified_even_with_a_matching_digest),
		cmocka_unit_test(test_manifest_that_misnames_the_format_fails),
		cmocka_unit_test(test_mixed_formats_fail_at_the_first_odd_object),
		cmocka_unit_test(test_unproven_revisions_make_the_verdict_unverified),
		cmocka_unit_test(test_a_failure_wins_over_unproven),
		cmocka_unit_test(test_tip_gap_names_the_last_block_and_its_hash),
		cmocka_unit_test(test_tip_proof_of_the_last_block_verifies),
		cmocka_unit_test(test_tip_proof_from_a_later_start_verifies),
		cmocka_unit_test(test_tip_proof_for_another_block_fails),
		cmocka_unit_test(test_tip_proof_of_another_hash_fails_with_expected_and_computed),
		cmocka_unit_test(test_altered_earlier_block_still_fails_with_a_good_last_block),
		cmocka_unit_test(test_no_tip_gap_without_a_continuous_chain),
		cmocka_unit_test(test_no_tip_gap_on_another_strand),
		cmocka_unit_test(test_tip_proof_leaves_other_unproven_lines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
