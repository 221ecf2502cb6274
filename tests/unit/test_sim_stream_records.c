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
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/qldb_block.h"

#define ARN "arn:aws:qldb:us-east-1:123456789012:stream/financial-ledger/AbCdEfGhIjKlMnOpQrStUv"

struct collected {
	struct buf recs[SIM_STREAM_RECORDS_MAX];
	size_t n;
};

static int collect(void *ctx, const uint8_t *rec, size_t n)
{
	struct collected *c = ctx;
	if (c->n >= SIM_STREAM_RECORDS_MAX)
		return -1;
	buf_clear(&c->recs[c->n]);
	return buf_append(&c->recs[c->n++], rec, n);
}

static bool str_is(const struct ion_value *v, const char *s)
{
	return v && (v->type == ION_TYPE_STRING || v->type == ION_TYPE_SYMBOL) &&
	       v->u.bytes.len == strlen(s) && memcmp(v->u.bytes.data, s, strlen(s)) == 0;
}

/* The block rebuilt from its records, as Ion text into out. */
static void rebuild(struct collected *c, struct buf *out)
{
	struct ion_arena *a[SIM_STREAM_RECORDS_MAX];
	const struct ion_value *rec[SIM_STREAM_RECORDS_MAX], *summary = NULL;
	char why[200];
	struct ion_error ie = { 0 };
	for (size_t i = 0; i < c->n; i++) {
		assert_int_equal(ion_parse_one_alloc(c->recs[i].data, c->recs[i].len, NULL, &a[i],
						     &rec[i], why, sizeof why),
				 0);
		assert_true(str_is(ion_struct_get(rec[i], "qldbStreamArn"), ARN));
		if (str_is(ion_struct_get(rec[i], "recordType"), "BLOCK_SUMMARY"))
			summary = ion_struct_get(rec[i], "payload");
	}
	assert_non_null(summary);
	buf_clear(out);
	assert_int_equal(buf_append_byte(out, '{'), 0);
	bool comma = false;
	for (const struct ion_value *f = summary->u.c.first_child; f; f = f->next) {
		if (f->field_name.len == 17 &&
		    memcmp(f->field_name.text, "revisionSummaries", 17) == 0)
			continue;
		if (comma)
			buf_append_byte(out, ',');
		buf_append(out, f->field_name.text, f->field_name.len);
		buf_append_byte(out, ':');
		assert_int_equal(ion_write_text(out, f, &ie), 0);
		comma = true;
	}
	const struct ion_value *sums = ion_struct_get(summary, "revisionSummaries");
	if (sums) {
		buf_append_str(out, ",revisions:[");
		for (const struct ion_value *s = sums->u.c.first_child; s; s = s->next) {
			const struct ion_value *h = ion_struct_get(s, "hash"), *found = NULL;
			for (size_t i = 0; i < c->n && !found; i++) {
				const struct ion_value *r = ion_struct_get(
					ion_struct_get(rec[i], "payload"), "revision");
				const struct ion_value *rh = ion_struct_get(r, "hash");
				if (rh && rh->u.bytes.len == h->u.bytes.len &&
				    memcmp(rh->u.bytes.data, h->u.bytes.data, h->u.bytes.len) == 0)
					found = r;
			}
			if (s != sums->u.c.first_child)
				buf_append_byte(out, ',');
			if (found) {
				assert_int_equal(ion_write_text(out, found, &ie), 0);
			} else {
				buf_append_str(out, "{hash:");
				assert_int_equal(ion_write_text(out, h, &ie), 0);
				buf_append_byte(out, '}');
			}
		}
		buf_append_byte(out, ']');
	}
	buf_append_byte(out, '}');
	for (size_t i = 0; i < c->n; i++)
		ion_arena_free(a[i]);
}

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

static void test_every_block_rebuilds_from_its_records(void **state)
{
	(void)state;
	char err[SIM_ERR_MAX] = "";
	struct sim_journal *j = sim_workload_build(11, 1767225600000LL, 40, 20000, err, sizeof err);
	assert_non_null(j);
	struct qldb_checker *chk = qldb_checker_new();
	struct collected c = { 0 };
	struct buf text = { 0 }, agg = { 0 };
	size_t recomputed = 0, redacted_blocks = 0;
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
		/* plain records */
		c.n = 0;
		for (size_t i = 0; i < n; i++)
			assert_int_equal(collect(&c, recs[i].data, recs[i].len), 0);
		rebuild(&c, &text);
		recomputed += check(chk, &text, &info, true);
		/* KPL-aggregated, then taken apart */
		buf_clear(&agg);
		assert_int_equal(sim_kpl_aggregate(&agg, "42", recs, n), 0);
		c.n = 0;
		assert_int_equal(sim_kpl_deaggregate(agg.data, agg.len, collect, &c), (long)n);
		rebuild(&c, &text);
		check(chk, &text, &info, true);
		/* a changed byte in a revision's data is caught */
		if (n > 1) {
			c.n = 0;
			for (size_t i = 0; i < n; i++)
				collect(&c, recs[i].data, recs[i].len);
			uint8_t *p = memmem(c.recs[1].data, c.recs[1].len, "ACC-", 4);
			if (p) {
				p[4] ^= 1;
				rebuild(&c, &text);
				check(chk, &text, &info, false);
			}
		}
		for (size_t i = 0; i < SIM_STREAM_RECORDS_MAX; i++)
			buf_free(&recs[i]);
		free(bt);
	}
	assert_true(recomputed >= 100);
	assert_true(redacted_blocks >= 2); /* redactions travel as dataHash */
	/* a KPL record whose MD5 does not match is refused */
	agg.data[agg.len - 1] ^= 1;
	c.n = 0;
	assert_int_equal(sim_kpl_deaggregate(agg.data, agg.len, collect, &c), -1);
	/* a CONTROL record parses */
	struct buf ctl = { 0 };
	assert_int_equal(sim_stream_control_record(ARN, "CREATED", &ctl), 0);
	assert_true(ctl.len > 4);
	buf_free(&ctl);
	for (size_t i = 0; i < SIM_STREAM_RECORDS_MAX; i++)
		buf_free(&c.recs[i]);
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
