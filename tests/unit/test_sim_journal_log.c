/*
 * test_sim_journal_log.c - the durable journal (sim_journal_open over
 * sim/datalog): a journal closed and reopened has the same strand, blocks,
 * digest and generator state, so a workload resumed from the log writes
 * exactly the blocks an uninterrupted run writes; a damaged log is refused
 * or its torn tail removed, never served as if whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/datalog.h"
#include "sim/journal.h"
#include "sim/workload.h"

#define SEED 99
#define GENESIS_MS 1767225600000LL
#define STEP_MS 20000

struct fixture {
	char dir[256], path[300];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/qldbtop-jlog-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/journal.log", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* n workload steps on j (continuing its virtual clock) through w. */
static void steps(struct sim_journal *j, struct sim_workload *w, size_t n)
{
	char err[SIM_ERR_MAX] = "";
	for (size_t i = 0; i < n; i++) {
		size_t count = sim_journal_block_count(j);
		struct sim_block_info last;
		assert_int_equal(sim_journal_block_info(j, (int64_t)count - 1, &last), 0);
		int64_t t = sim_workload_next_time(SEED, (int64_t)count, last.time_ms, STEP_MS);
		if (sim_workload_step(w, t, err, sizeof err) < 0)
			fail_msg("step: %s", err);
	}
}

static struct sim_journal *open_log(struct fixture *f, struct sim_datalog_report *rep)
{
	char err[SIM_ERR_MAX] = "";
	struct sim_journal *j = sim_journal_open(f->path, SEED, GENESIS_MS, rep, err, sizeof err);
	if (!j)
		fail_msg("open: %s", err);
	return j;
}

static void test_reopen_resumes_exactly_as_an_uninterrupted_run(void **state)
{
	struct fixture *f = *state;
	char err[SIM_ERR_MAX] = "";
	/* uninterrupted, in memory: 40 steps */
	struct sim_journal *mem = sim_journal_new(SEED, GENESIS_MS, err, sizeof err);
	struct sim_workload *wm = sim_workload_new(mem, SEED, err, sizeof err);
	steps(mem, wm, 40);
	/* durable: 17 steps, close, reopen, resume, 23 more */
	struct sim_datalog_report rep = { 0 };
	struct sim_journal *j = open_log(f, &rep);
	struct sim_workload *w = sim_workload_resume(j, SEED, err, sizeof err);
	assert_non_null(w);
	steps(j, w, 17);
	char strand[SIM_ID_LEN + 1];
	snprintf(strand, sizeof strand, "%s", sim_journal_strand(j));
	struct qldb_hash d17;
	int64_t tip17;
	assert_int_equal(sim_journal_digest(j, &d17, &tip17), 0);
	sim_workload_free(w);
	sim_journal_free(j);

	j = open_log(f, &rep);
	assert_string_equal(sim_journal_strand(j), strand);
	assert_int_equal(rep.truncated_bytes, 0);
	struct qldb_hash again;
	assert_int_equal(sim_journal_digest_at(j, tip17, &again), 0);
	assert_true(qldb_hash_equal(&again, &d17));
	w = sim_workload_resume(j, SEED, err, sizeof err);
	assert_non_null(w);
	steps(j, w, 23);

	struct qldb_hash dm, dj;
	int64_t tm, tj;
	assert_int_equal(sim_journal_digest(mem, &dm, &tm), 0);
	assert_int_equal(sim_journal_digest(j, &dj, &tj), 0);
	assert_int_equal(tm, 40);
	assert_int_equal(tj, 40);
	assert_true(qldb_hash_equal(&dm, &dj));
	assert_string_equal(sim_journal_strand(j), sim_journal_strand(mem));
	for (int64_t s = 0; s <= 40; s++) {
		char *a = sim_journal_block_text(mem, s, NULL),
		     *b = sim_journal_block_text(j, s, NULL);
		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	sim_workload_free(w);
	sim_workload_free(wm);
	sim_journal_free(j);
	sim_journal_free(mem);
}

static long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void test_torn_tail_loses_only_the_unfinished_block(void **state)
{
	struct fixture *f = *state;
	char err[SIM_ERR_MAX] = "";
	struct sim_datalog_report rep = { 0 };
	struct sim_journal *j = open_log(f, &rep);
	struct sim_workload *w = sim_workload_resume(j, SEED, err, sizeof err);
	steps(j, w, 10);
	long whole = file_size(f->path);
	struct qldb_hash d10;
	int64_t tip;
	assert_int_equal(sim_journal_digest(j, &d10, &tip), 0);
	steps(j, w, 1);
	long eleven = file_size(f->path);
	sim_workload_free(w);
	sim_journal_free(j);
	/* a crash halfway through writing block 11 */
	assert_int_equal(truncate(f->path, whole + (eleven - whole) / 2), 0);
	j = open_log(f, &rep);
	assert_true(rep.truncated_bytes > 0);
	assert_true(rep.note[0] != '\0');
	assert_int_equal(file_size(f->path), whole);
	struct qldb_hash d;
	assert_int_equal(sim_journal_digest(j, &d, &tip), 0);
	assert_int_equal(tip, 10);
	assert_true(qldb_hash_equal(&d, &d10));
	/* and it goes on from there */
	w = sim_workload_resume(j, SEED, err, sizeof err);
	assert_non_null(w);
	steps(j, w, 2);
	assert_int_equal(sim_journal_block_count(j), 13);
	sim_workload_free(w);
	sim_journal_free(j);
}

static void test_damage_in_the_middle_is_refused(void **state)
{
	struct fixture *f = *state;
	char err[SIM_ERR_MAX] = "";
	struct sim_datalog_report rep = { 0 };
	struct sim_journal *j = open_log(f, &rep);
	struct sim_workload *w = sim_workload_resume(j, SEED, err, sizeof err);
	steps(j, w, 12);
	sim_workload_free(w);
	sim_journal_free(j);
	long size = file_size(f->path);
	FILE *fp = fopen(f->path, "r+b");
	assert_non_null(fp);
	fseek(fp, size / 2, SEEK_SET);
	int c = fgetc(fp);
	fseek(fp, size / 2, SEEK_SET);
	fputc(c ^ 0x20, fp);
	fclose(fp);
	err[0] = '\0';
	j = sim_journal_open(f->path, SEED, GENESIS_MS, &rep, err, sizeof err);
	assert_null(j);
	assert_non_null(strstr(err, "byte"));
	assert_int_equal(file_size(f->path), size);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Tampering that the log's checksums cannot see: a block record whose text
 * was changed and whose CRCs were recomputed. The replay verifies every
 * block as the verifier does, so the log is refused, not served. */
static void test_a_rewritten_block_with_fresh_checksums_is_refused(void **state)
{
	struct fixture *f = *state;
	char err[SIM_ERR_MAX] = "";
	struct sim_datalog_report rep = { 0 };
	struct sim_journal *j = open_log(f, &rep);
	struct sim_workload *w = sim_workload_resume(j, SEED, err, sizeof err);
	steps(j, w, 12);
	sim_workload_free(w);
	sim_journal_free(j);

	long size = file_size(f->path);
	uint8_t *buf = malloc((size_t)size);
	FILE *fp = fopen(f->path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
	/* the 8th record (a transfer block): raise a balance inside its data */
	size_t off = SIM_DATALOG_HEADER;
	for (int k = 0; k < 8; k++)
		off += SIM_DATALOG_RECORD_HEADER + rd32(buf + off + 8);
	uint8_t *h = buf + off, *data = h + SIM_DATALOG_RECORD_HEADER;
	uint32_t len = rd32(h + 8);
	char *bal = memmem(data, len, "balance:", 8);
	assert_non_null(bal);
	bal[8] = bal[8] == '9' ? '1' : (char)(bal[8] + 1);
	wr32(h + 12, sim_crc32c(0, data, len));
	wr32(h + 16, sim_crc32c(0, h, 16));
	fseek(fp, 0, SEEK_SET);
	assert_int_equal(fwrite(buf, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	free(buf);

	err[0] = '\0';
	j = sim_journal_open(f->path, SEED, GENESIS_MS, &rep, err, sizeof err);
	assert_null(j);
	assert_non_null(strstr(err, "does not verify"));
}

static void test_a_second_opener_is_refused(void **state)
{
	struct fixture *f = *state;
	char err[SIM_ERR_MAX] = "";
	struct sim_datalog_report rep = { 0 };
	struct sim_journal *j = open_log(f, &rep);
	struct sim_journal *k = sim_journal_open(f->path, SEED, GENESIS_MS, &rep, err, sizeof err);
	assert_null(k);
	assert_true(err[0] != '\0');
	sim_journal_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reopen_resumes_exactly_as_an_uninterrupted_run,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_loses_only_the_unfinished_block,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_damage_in_the_middle_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_a_rewritten_block_with_fresh_checksums_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_second_opener_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
