/*
 * test_sim_stream_records.c - a journal stream's records (sim/
 * stream_records.c) carry the journal faithfully: for every block of a
 * workload journal (transfers, deletes, redactions), the block rebuilt
 * from its BLOCK_SUMMARY and REVISION_DETAILS records, as a stream reader
 * does (summaries matched to details by hash), passes verify/'s block
 * check with every revision hash recomputed and has the journal's
 * blockHash; through KPL aggregation and without. A changed byte in a
 * record's data is caught; a KPL record whose MD5 does not match is
 * refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sim/journal.h"
#include "sim/stream_records.h"
#include "sim/workload.h"
#include "tests/lib/stream_rebuild.h"
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/qldb_block.h"

#define ARN "arn:aws:qldb:us-east-1:123456789012:stream/financial-ledger/AbCdEfGhIjKlMnOpQrStUv"

static int failures;
static bool quiet; /* a failure is what the check expects */
static void count_failure(void *ctx, const struct qldb_failure *f)
{
	(void)ctx;
	if (!quiet)
		print_message("# block %lld: %s\n", (long long)f->seq, f->message);
	failures++;
}

/* Check the rebuilt block; returns recomputed revisions. */
static size_t check(struct qldb_checker *chk, const struct buf *text,
		    const struct sim_block_info *info, bool expect_ok)
{
	struct ion_arena *a = NULL;
	const struct ion_value *v;
	char why[200];
	assert_int_equal(ion_parse_one_alloc(text->data, text->len, NULL, &a, &v, why, sizeof why),
			 0);
	struct qldb_report rep = { .fail = count_failure };
	struct qldb_block_result r;
	failures = 0;
	quiet = !expect_ok;
	assert_int_equal(qldb_block_check(chk, v, QLDB_MODE_ION, &rep, &r), 0);
	if (expect_ok) {
		assert_int_equal(failures, 0);
		assert_true(qldb_hash_equal(&r.block_hash, &info->block_hash));
		assert_int_equal(r.unproven, 0);
	} else {
		assert_true(failures > 0);
	}
	ion_arena_free(a);
	return r.recomputed;
}

/* The block rebuilt from records[0..n) by the stream reader. */
static void rebuild(const struct buf *recs, size_t n, bool aggregate, struct buf *text)
{
	struct stream_rebuild *r = stream_rebuild_new();
	struct buf agg = { 0 };
	if (aggregate) {
		assert_int_equal(sim_kpl_aggregate(&agg, "42", recs, n), 0);
		assert_int_equal(stream_rebuild_add(r, agg.data, agg.len), 0);
	} else {
		for (size_t i = 0; i < n; i++)
			assert_int_equal(stream_rebuild_add(r, recs[i].data, recs[i].len), 0);
	}
	assert_int_equal(stream_rebuild_count(r, "BLOCK_SUMMARY"), 1);
	assert_int_equal(stream_rebuild_count(r, "REVISION_DETAILS"), n - 1);
	assert_int_equal(stream_rebuild_blocks(r), 1);
	int64_t seq;
	assert_int_equal(stream_rebuild_block(r, 0, &seq, text), 0);
	buf_free(&agg);
	stream_rebuild_free(r);
}

static void test_every_block_rebuilds_from_its_records(void **state)
{
	(void)state;
	char err[SIM_ERR_MAX] = "";
	struct sim_journal *j = sim_workload_build(11, 1767225600000LL, 40, 20000, err, sizeof err);
	assert_non_null(j);
	struct qldb_checker *chk = qldb_checker_new();
	struct buf text = { 0 }, agg = { 0 };
	size_t recomputed = 0, redacted_blocks = 0, tampered = 0;
	for (int64_t seq = 0; seq < (int64_t)sim_journal_block_count(j); seq++) {
		size_t len = 0, n = 0;
		char *bt = sim_journal_block_text(j, seq, &len);
		struct sim_block_info info;
		assert_int_equal(sim_journal_block_info(j, seq, &info), 0);
		struct buf recs[SIM_STREAM_RECORDS_MAX];
		memset(recs, 0, sizeof recs);
		assert_int_equal(sim_stream_block_records(ARN, bt, len, recs,
							  SIM_STREAM_RECORDS_MAX, &n, err,
							  sizeof err),
				 0);
		redacted_blocks += strstr(bt, "dataHash:") != NULL;
		rebuild(recs, n, false, &text);
		recomputed += check(chk, &text, &info, true);
		rebuild(recs, n, true, &text);
		check(chk, &text, &info, true);
		/* a changed byte in a revision's data is caught */
		uint8_t *p = n > 1 ? memmem(recs[1].data, recs[1].len, "ACC-", 4) : NULL;
		if (p) {
			p[4] ^= 1;
			rebuild(recs, n, false, &text);
			check(chk, &text, &info, false);
			tampered++;
		}
		for (size_t i = 0; i < SIM_STREAM_RECORDS_MAX; i++)
			buf_free(&recs[i]);
		free(bt);
	}
	assert_true(recomputed >= 100);
	assert_true(redacted_blocks >= 2); /* redactions travel as dataHash */
	assert_true(tampered >= 20);
	/* a KPL record whose MD5 does not match is refused */
	struct buf one = { 0 };
	assert_int_equal(sim_stream_control_record(ARN, "CREATED", &one), 0);
	assert_int_equal(sim_kpl_aggregate(&agg, "k", &one, 1), 0);
	struct stream_rebuild *r = stream_rebuild_new();
	assert_int_equal(stream_rebuild_add(r, agg.data, agg.len), 0);
	assert_int_equal(stream_rebuild_count(r, "CONTROL"), 1);
	agg.data[agg.len - 1] ^= 1;
	assert_int_equal(stream_rebuild_add(r, agg.data, agg.len), -1);
	assert_int_equal(stream_rebuild_add(r, (const uint8_t *)"junk", 4), -1);
	stream_rebuild_free(r);
	buf_free(&one);
	buf_free(&text);
	buf_free(&agg);
	qldb_checker_free(chk);
	sim_journal_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_block_rebuilds_from_its_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
