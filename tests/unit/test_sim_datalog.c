/*
 * test_sim_datalog.c - the endpoint's durable log (sim/datalog.c): records
 * of every size come back whole and in order, by replay and by offset; a
 * torn tail of any length is cut and reported; damage with valid records
 * after it is refused and the file left untouched; a foreign or newer file
 * is refused, a creation cut short started afresh; the lock refuses a
 * second opener; a failed append leaves nothing behind. CRC-32C is checked
 * against the published vectors (RFC 3720), and the file bytes against the
 * format the header documents, not only against our own reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/datalog.h"

#define MAX_SEEN 512 /* records a test replays at most */
#define ERR_CAP 512

struct fixture {
	char dir[256], path[300];
};

/* What a replay saw: types, lengths, offsets, and a copy of each datum. */
struct seen {
	size_t n;
	uint32_t type[MAX_SEEN];
	size_t len[MAX_SEEN];
	uint64_t off[MAX_SEEN];
	uint8_t *data[MAX_SEEN];
	size_t fail_at; /* make the callback fail at this record (0: never) */
	bool fail_silently;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/test_sim_datalog.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		fail_msg("mkdtemp %s", f->dir);
	snprintf(f->path, sizeof f->path, "%s/t.log", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *dir = opendir(f->dir);
	struct dirent *e;
	char p[600];
	while (dir && (e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
			unlink(p);
		}
	if (dir)
		closedir(dir);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->data[i]);
	s->n = 0;
}

static int collect(void *ctx, uint32_t type, const uint8_t *data, size_t len, uint64_t offset,
		   char *err, size_t cap)
{
	struct seen *s = ctx;
	if (s->fail_at && s->n + 1 == s->fail_at) {
		if (!s->fail_silently)
			snprintf(err, cap, "replay refused record %zu", s->n);
		return 1;
	}
	assert_true(s->n < MAX_SEEN);
	s->type[s->n] = type;
	s->len[s->n] = len;
	s->off[s->n] = offset;
	s->data[s->n] = malloc(len ? len : 1);
	memcpy(s->data[s->n], data, len);
	s->n++;
	return 0;
}

/* The k-th test record's bytes: varied, so a record read at the wrong
 * place or in the wrong order cannot match. */
static uint8_t *pattern(size_t k, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(k * 31 + i * 7 + (i >> 8));
	return p;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const void *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	fclose(fp);
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static struct sim_datalog *open_ok(struct fixture *f, struct seen *s,
				   struct sim_datalog_report *rep)
{
	char err[ERR_CAP] = "";
	struct sim_datalog *d =
		sim_datalog_open(f->path, s ? collect : NULL, s, rep, err, sizeof err);
	if (!d)
		fail_msg("open: %s", err);
	return d;
}

/* Open must fail; returns the message. */
static void open_refused(struct fixture *f, struct seen *s, char *err, size_t cap)
{
	struct sim_datalog_report rep;
	err[0] = '\0';
	struct sim_datalog *d = sim_datalog_open(f->path, s ? collect : NULL, s, &rep, err, cap);
	if (d)
		fail_msg("open of a damaged log succeeded (%zu records)", s ? s->n : 0);
	assert_true(err[0] != '\0');
	assert_null(strchr(err, '\n'));
}

/* Write n pattern records of the given sizes; their offsets and the end
 * of each go to off[] and end[] (either may be NULL). */
static void write_log(struct fixture *f, size_t n, const size_t *sizes, uint64_t *off,
		      uint64_t *end)
{
	char err[ERR_CAP];
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = pattern(k, sizes[k]);
		uint64_t at;
		if (sim_datalog_append(d, (uint32_t)(100 + k), p, sizes[k], &at, err, sizeof err))
			fail_msg("append: %s", err);
		if (off)
			off[k] = at;
		if (end)
			end[k] = sim_datalog_size(d);
		free(p);
	}
	sim_datalog_close(d);
}

/* The replay saw exactly records [0, n) of write_log. */
static void assert_pattern_records(const struct seen *s, size_t n, const size_t *sizes)
{
	assert_int_equal(s->n, n);
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = pattern(k, sizes[k]);
		assert_int_equal(s->type[k], 100 + k);
		assert_int_equal(s->len[k], sizes[k]);
		assert_memory_equal(s->data[k], p, sizes[k] ? sizes[k] : 0);
		free(p);
	}
}

static char *contains(const char *hay, const char *needle)
{
	char *p = strstr(hay, needle);
	if (!p)
		fail_msg("\"%s\" does not say \"%s\"", hay, needle);
	return p;
}

/* ---- CRC-32C and format --------------------------------------------------- */

static void test_crc32c_matches_the_rfc3720_vectors(void **state)
{
	(void)state;
	uint8_t b[32];
	assert_int_equal(sim_crc32c(0, "123456789", 9), 0xe3069283u);
	memset(b, 0, sizeof b);
	assert_int_equal(sim_crc32c(0, b, 32), 0x8a9136aau);
	memset(b, 0xff, sizeof b);
	assert_int_equal(sim_crc32c(0, b, 32), 0x62a8ab43u);
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	assert_int_equal(sim_crc32c(0, b, 32), 0x46dd794eu);
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	assert_int_equal(sim_crc32c(0, b, 32), 0x113fdb5cu);
	assert_int_equal(sim_crc32c(0, NULL, 0), 0);
}

/* CRC-32C one bit at a time, straight from the definition: an oracle that
 * shares nothing with the module's table-driven code. */
static uint32_t crc32c_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
	}
	return ~c;
}

static void test_crc32c_agrees_with_the_bitwise_definition_at_any_split(void **state)
{
	(void)state;
	uint8_t *p = pattern(3, 300);
	for (size_t start = 0; start < 9; start++) /* unaligned starts */
		for (size_t n = 0; start + n <= 300; n += 1 + n / 8) {
			uint32_t want = crc32c_bitwise(p + start, n);
			assert_int_equal(sim_crc32c(0, p + start, n), want);
			size_t cut = n / 3; /* continued in two calls */
			assert_int_equal(
				sim_crc32c(sim_crc32c(0, p + start, cut), p + start + cut, n - cut),
				want);
		}
	free(p);
}

static void test_the_file_bytes_are_the_documented_format(void **state)
{
	struct fixture *f = *state;
	char err[ERR_CAP];
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	uint64_t at = 0;
	assert_int_equal(sim_datalog_append(d, 0x01020304u, "abc", 3, &at, err, sizeof err), 0);
	sim_datalog_close(d);
	size_t n;
	uint8_t *b = slurp(f->path, &n);
	assert_int_equal(n, 24 + 20 + 3);
	assert_int_equal(SIM_DATALOG_HEADER, 24);
	assert_int_equal(SIM_DATALOG_RECORD_HEADER, 20);
	assert_memory_equal(b, "QLDBTOP-LOG\n\1\0\0\0\0\0\0\0", 20);
	uint32_t hc = sim_crc32c(0, b, 20);
	const uint8_t hcb[4] = { (uint8_t)hc, (uint8_t)(hc >> 8), (uint8_t)(hc >> 16),
				 (uint8_t)(hc >> 24) };
	assert_memory_equal(b + 20, hcb, 4);
	assert_int_equal(at, 24);
	const uint8_t *r = b + 24;
	assert_memory_equal(r, "LTDR\4\3\2\1\3\0\0\0", 12);
	uint32_t dc = 0x364b3fb7u; /* CRC-32C("abc"), computed apart (Python, bitwise) */
	assert_int_equal(sim_crc32c(0, "abc", 3), dc);
	const uint8_t dcb[4] = { 0xb7, 0x3f, 0x4b, 0x36 };
	assert_memory_equal(r + 12, dcb, 4);
	uint32_t rc = sim_crc32c(0, r, 16);
	const uint8_t rcb[4] = { (uint8_t)rc, (uint8_t)(rc >> 8), (uint8_t)(rc >> 16),
				 (uint8_t)(rc >> 24) };
	assert_memory_equal(r + 16, rcb, 4);
	assert_memory_equal(r + 20, "abc", 3);
	free(b);
}

/* ---- round trip ------------------------------------------------------------ */

static void test_a_new_log_is_created_private_and_reopens_quietly(void **state)
{
	struct fixture *f = *state;
	struct sim_datalog_report rep;
	struct sim_datalog *d = open_ok(f, NULL, &rep);
	assert_string_equal(rep.note, "");
	assert_int_equal(rep.records, 0);
	assert_int_equal(rep.bytes, SIM_DATALOG_HEADER);
	assert_int_equal(sim_datalog_size(d), SIM_DATALOG_HEADER);
	sim_datalog_close(d);
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a log with no records yet is whole: nothing to recover, nothing said */
	size_t n1, n2;
	uint8_t *before = slurp(f->path, &n1);
	d = open_ok(f, NULL, &rep);
	assert_string_equal(rep.note, "");
	assert_int_equal(rep.truncated_bytes, 0);
	sim_datalog_close(d);
	uint8_t *after = slurp(f->path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

static const size_t varied[] = { 0, 1, 2, 19, 20, 21, 1000, 65536, 1u << 20, 3, 0, 7 };
#define NVARIED (sizeof varied / sizeof varied[0])

static void test_records_of_every_size_replay_in_order_and_read_back(void **state)
{
	struct fixture *f = *state;
	uint64_t off[NVARIED], end[NVARIED];
	write_log(f, NVARIED, varied, off, end);
	struct seen s = { 0 };
	struct sim_datalog_report rep;
	struct sim_datalog *d = open_ok(f, &s, &rep);
	assert_pattern_records(&s, NVARIED, varied);
	assert_int_equal(rep.records, NVARIED);
	assert_int_equal(rep.bytes, end[NVARIED - 1]);
	assert_int_equal(rep.bytes, file_size(f->path));
	assert_int_equal(rep.truncated_bytes, 0);
	assert_string_equal(rep.note, "");
	char err[ERR_CAP];
	for (size_t k = 0; k < NVARIED; k++) {
		assert_int_equal(s.off[k], off[k]); /* replay and append agree */
		uint32_t type;
		uint8_t *data;
		size_t len;
		assert_int_equal(sim_datalog_read(d, s.off[k], &type, &data, &len, err, sizeof err),
				 0);
		assert_non_null(data);
		assert_int_equal(type, s.type[k]);
		assert_int_equal(len, s.len[k]);
		assert_memory_equal(data, s.data[k], len ? len : 0);
		free(data);
	}
	seen_free(&s);
	sim_datalog_close(d);
}

static void test_a_record_of_the_limit_is_taken_and_one_byte_more_refused(void **state)
{
	struct fixture *f = *state;
	char err[ERR_CAP] = "";
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	uint8_t *big = pattern(9, SIM_DATALOG_MAX_RECORD + 1);
	assert_int_equal(
		sim_datalog_append(d, 1, big, SIM_DATALOG_MAX_RECORD + 1, NULL, err, sizeof err),
		-1);
	contains(err, f->path);
	contains(err, "exceeds");
	assert_int_equal(sim_datalog_size(d), SIM_DATALOG_HEADER);
	assert_int_equal(file_size(f->path), SIM_DATALOG_HEADER);
	uint64_t at;
	assert_int_equal(
		sim_datalog_append(d, 2, big, SIM_DATALOG_MAX_RECORD, &at, err, sizeof err), 0);
	sim_datalog_close(d);
	struct seen s = { 0 };
	d = open_ok(f, &s, NULL);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.len[0], SIM_DATALOG_MAX_RECORD);
	assert_memory_equal(s.data[0], big, SIM_DATALOG_MAX_RECORD);
	seen_free(&s);
	sim_datalog_close(d);
	free(big);
}

static void test_read_refuses_offsets_that_are_not_records(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 10, 10 };
	uint64_t off[2], end[2];
	write_log(f, 2, sizes, off, end);
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	const uint64_t bad[] = {
		0, 1, off[0] + 1, off[1] - 1, end[1], end[1] + 100, UINT64_MAX, UINT64_MAX - 5
	};
	char err[ERR_CAP];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t type;
		uint8_t *data = (uint8_t *)1;
		size_t len = 99;
		err[0] = '\0';
		assert_int_equal(sim_datalog_read(d, bad[i], &type, &data, &len, err, sizeof err),
				 -1);
		assert_null(data);
		assert_int_equal(len, 0);
		contains(err, "byte");
	}
	sim_datalog_close(d);
}

/* ---- torn tails -------------------------------------------------------- */

static void test_a_torn_last_record_of_any_length_is_cut_and_reported(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 5, 0, 40, 300 };
	const size_t n = 4;
	uint64_t end[4];
	write_log(f, n, sizes, NULL, end);
	size_t whole_len;
	uint8_t *whole = slurp(f->path, &whole_len);
	char err[ERR_CAP];
	for (uint64_t cut = end[n - 2] + 1; cut < whole_len; cut++) {
		spit(f->path, whole, cut);
		struct seen s = { 0 };
		struct sim_datalog_report rep;
		struct sim_datalog *d = open_ok(f, &s, &rep);
		assert_pattern_records(&s, n - 1, sizes);
		assert_int_equal(rep.records, n - 1);
		assert_int_equal(rep.truncated_bytes, cut - end[n - 2]);
		assert_int_equal(rep.bytes, end[n - 2]);
		contains(rep.note, "torn tail");
		assert_int_equal(file_size(f->path), end[n - 2]);
		/* appends go where the torn record was */
		uint64_t at;
		uint8_t *p = pattern(n - 1, sizes[n - 1]);
		assert_int_equal(sim_datalog_append(d, 100 + (uint32_t)(n - 1), p, sizes[n - 1],
						    &at, err, sizeof err),
				 0);
		assert_int_equal(at, end[n - 2]);
		free(p);
		sim_datalog_close(d);
		seen_free(&s);
		d = open_ok(f, &s, &rep);
		assert_pattern_records(&s, n, sizes);
		assert_int_equal(rep.truncated_bytes, 0);
		assert_string_equal(rep.note, "");
		seen_free(&s);
		sim_datalog_close(d);
	}
	free(whole);
}

static void test_a_torn_first_record_is_a_torn_tail_not_a_new_log(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 50 };
	write_log(f, 1, sizes, NULL, NULL);
	assert_int_equal(truncate(f->path, SIM_DATALOG_HEADER + 30), 0);
	struct sim_datalog_report rep;
	struct sim_datalog *d = open_ok(f, NULL, &rep);
	assert_int_equal(rep.records, 0);
	assert_int_equal(rep.truncated_bytes, 30);
	contains(rep.note, "torn tail of 30 bytes at byte 24");
	sim_datalog_close(d);
}

static void test_each_flipped_bit_of_the_last_record_is_a_torn_tail(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 3, 17, 9 };
	uint64_t off[3], end[3];
	write_log(f, 3, sizes, off, end);
	size_t len;
	uint8_t *whole = slurp(f->path, &len);
	char at[64];
	snprintf(at, sizeof at, "at byte %llu", (unsigned long long)off[2]);
	for (uint64_t i = off[2]; i < len; i++)
		for (int bit = 0; bit < 8; bit++) {
			whole[i] ^= (uint8_t)(1u << bit);
			spit(f->path, whole, len);
			whole[i] ^= (uint8_t)(1u << bit);
			struct seen s = { 0 };
			struct sim_datalog_report rep;
			struct sim_datalog *d = open_ok(f, &s, &rep);
			assert_pattern_records(&s, 2, sizes);
			assert_int_equal(rep.truncated_bytes, len - off[2]);
			contains(rep.note, "torn tail");
			contains(rep.note, at);
			assert_int_equal(file_size(f->path), end[1]);
			seen_free(&s);
			sim_datalog_close(d);
		}
	free(whole);
}

static void test_trailing_zeros_are_a_torn_tail(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 8, 8 };
	uint64_t end[2];
	write_log(f, 2, sizes, NULL, end);
	assert_int_equal(truncate(f->path, (off_t)end[1] + 4096), 0); /* extended, never written */
	struct seen s = { 0 };
	struct sim_datalog_report rep;
	struct sim_datalog *d = open_ok(f, &s, &rep);
	assert_pattern_records(&s, 2, sizes);
	assert_int_equal(rep.truncated_bytes, 4096);
	contains(rep.note, "torn tail of 4096 bytes");
	assert_int_equal(file_size(f->path), end[1]);
	seen_free(&s);
	sim_datalog_close(d);
}

/* ---- damage in the middle ---------------------------------------------- */

/* Flip every byte of record 2 of 5 in turn (header and data): each open is
 * refused naming the record's offset, the replay saw only records 0 and 1,
 * and the file is byte for byte what it was. */
static void test_a_flipped_byte_in_a_middle_record_is_refused_untouched(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 11, 30, 25, 0, 12 };
	uint64_t off[5], end[5];
	write_log(f, 5, sizes, off, end);
	size_t len, got;
	uint8_t *whole = slurp(f->path, &len);
	char want[64], err[ERR_CAP];
	snprintf(want, sizeof want, "corrupt record at byte %llu", (unsigned long long)off[2]);
	for (uint64_t i = off[2]; i < end[2]; i++) {
		whole[i] ^= 0x5a;
		spit(f->path, whole, len);
		struct seen s = { 0 };
		open_refused(f, &s, err, sizeof err);
		contains(err, f->path);
		contains(err, want);
		contains(err, "refusing");
		assert_pattern_records(&s, 2, sizes);
		uint8_t *after = slurp(f->path, &got);
		assert_int_equal(got, len);
		assert_memory_equal(after, whole, len);
		free(after);
		seen_free(&s);
		whole[i] ^= 0x5a;
	}
	free(whole);
}

static void test_a_zeroed_block_in_the_middle_is_refused(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 100, 100, 100 };
	uint64_t off[3], end[3];
	write_log(f, 3, sizes, off, end);
	size_t len;
	uint8_t *whole = slurp(f->path, &len);
	memset(whole + off[1], 0, end[1] - off[1]); /* a lost write under a later one */
	spit(f->path, whole, len);
	char err[ERR_CAP], want[64];
	open_refused(f, NULL, err, sizeof err);
	snprintf(want, sizeof want, "at byte %llu", (unsigned long long)off[1]);
	contains(err, want);
	snprintf(want, sizeof want, "follows at byte %llu", (unsigned long long)off[2]);
	contains(err, want);
	assert_int_equal(file_size(f->path), len);
	free(whole);
}

/* ---- the file header ----------------------------------------------------- */

static void assert_refused_untouched(struct fixture *f, const void *bytes, size_t n,
				     const char *says)
{
	spit(f->path, bytes, n);
	char err[ERR_CAP];
	open_refused(f, NULL, err, sizeof err);
	contains(err, f->path);
	contains(err, says);
	size_t got;
	uint8_t *after = slurp(f->path, &got);
	assert_int_equal(got, n);
	assert_memory_equal(after, bytes, n);
	free(after);
}

static void test_a_file_that_is_not_a_log_is_refused_untouched(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "ledger,name\nvehicle-registration,prod\n";
	assert_refused_untouched(f, text, sizeof text - 1, "not a qldbtop data log");
	assert_refused_untouched(f, "#!/bin/sh\n", 10, "not a qldbtop data log"); /* short */
	/* another format version, with a valid header checksum */
	const size_t sizes[] = { 4 };
	unlink(f->path);
	write_log(f, 1, sizes, NULL, NULL);
	size_t len;
	uint8_t *b = slurp(f->path, &len);
	b[12] = 2;
	uint32_t c = sim_crc32c(0, b, 20);
	for (int i = 0; i < 4; i++)
		b[20 + i] = (uint8_t)(c >> (8 * i));
	assert_refused_untouched(f, b, len, "not a qldbtop data log");
	/* our magic, damaged header: refused, not started afresh */
	b[12] = 1;
	b[16] = 0x40;
	assert_refused_untouched(f, b, len, "corrupt file header");
	free(b);
}

static void test_a_torn_header_with_records_after_it_is_refused(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 4, 4 };
	write_log(f, 2, sizes, NULL, NULL);
	size_t len;
	uint8_t *b = slurp(f->path, &len);
	memset(b, 0, SIM_DATALOG_HEADER); /* not a creation cut short: records follow */
	assert_refused_untouched(f, b, len, "not a qldbtop data log");
	free(b);
}

static void test_an_empty_file_is_started_afresh_and_reported(void **state)
{
	struct fixture *f = *state;
	spit(f->path, "", 0);
	struct sim_datalog_report rep;
	struct sim_datalog *d = open_ok(f, NULL, &rep);
	contains(rep.note, f->path);
	contains(rep.note, "cut short");
	assert_int_equal(rep.bytes, SIM_DATALOG_HEADER);
	assert_int_equal(file_size(f->path), SIM_DATALOG_HEADER);
	sim_datalog_close(d);
}

/* Every prefix of a real header, alone or followed by zeros up to a full
 * header or a page: a crash while the file was created. */
static void test_a_half_written_header_is_started_afresh(void **state)
{
	struct fixture *f = *state;
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	sim_datalog_close(d);
	size_t len;
	uint8_t *hdr = slurp(f->path, &len);
	assert_int_equal(len, SIM_DATALOG_HEADER);
	uint8_t buf[4096];
	const size_t totals[] = { 0, SIM_DATALOG_HEADER, sizeof buf };
	char err[ERR_CAP];
	for (size_t k = 0; k < SIM_DATALOG_HEADER; k++)
		for (size_t t = 0; t < 3; t++) {
			size_t n = totals[t] > k ? totals[t] : k;
			memset(buf, 0, sizeof buf);
			memcpy(buf, hdr, k);
			spit(f->path, buf, n);
			struct sim_datalog_report rep;
			d = open_ok(f, NULL, &rep);
			if (n > 0 || k > 0)
				contains(rep.note, "creation was cut short");
			assert_int_equal(rep.records, 0);
			assert_int_equal(file_size(f->path), SIM_DATALOG_HEADER);
			assert_int_equal(sim_datalog_append(d, 1, "z", 1, NULL, err, sizeof err),
					 0);
			sim_datalog_close(d);
			uint8_t *now = slurp(f->path, &len);
			assert_memory_equal(now, hdr, SIM_DATALOG_HEADER);
			free(now);
		}
	free(hdr);
}

/* ---- lock, callback, failed appends ---------------------------------------- */

static void test_a_second_open_while_the_first_is_open_is_refused(void **state)
{
	struct fixture *f = *state;
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	char err[ERR_CAP];
	open_refused(f, NULL, err, sizeof err);
	contains(err, f->path);
	contains(err, "in use");
	sim_datalog_close(d);
	d = open_ok(f, NULL, NULL); /* the lock went with the close */
	sim_datalog_close(d);
}

static void test_a_callback_error_aborts_the_open_with_its_message(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 1, 2, 3, 4 };
	write_log(f, 4, sizes, NULL, NULL);
	size_t n1, n2;
	uint8_t *before = slurp(f->path, &n1);
	char err[ERR_CAP];
	struct seen s = { .fail_at = 3 };
	open_refused(f, &s, err, sizeof err);
	assert_string_equal(err, "replay refused record 2");
	assert_int_equal(s.n, 2);
	seen_free(&s);
	/* a callback that fails without a word still gets a message */
	s = (struct seen){ .fail_at = 1, .fail_silently = true };
	open_refused(f, &s, err, sizeof err);
	contains(err, f->path);
	contains(err, "byte 24");
	uint8_t *after = slurp(f->path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

/* RLIMIT_FSIZE makes the kernel cut the write short (and then fail it with
 * EFBIG), as a full disk would: the append fails and no byte of it stays. */
static void test_a_failed_append_leaves_nothing_partial(void **state)
{
	struct fixture *f = *state;
	const size_t sizes[] = { 10 };
	uint64_t end[1];
	write_log(f, 1, sizes, NULL, end);
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = (rlim_t)end[0] + 30; /* the header fits, the data does not */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	uint8_t *p = pattern(1, 100);
	char err[ERR_CAP] = "";
	int rc = sim_datalog_append(d, 7, p, 100, NULL, err, sizeof err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_int_equal(rc, -1);
	contains(err, "cannot append at byte");
	assert_int_equal(file_size(f->path), end[0]);
	assert_int_equal(sim_datalog_size(d), end[0]);
	/* and the log goes on */
	uint64_t at;
	assert_int_equal(sim_datalog_append(d, 101, p, 100, &at, err, sizeof err), 0);
	assert_int_equal(at, end[0]);
	sim_datalog_close(d);
	struct seen s = { 0 };
	const size_t both[] = { 10, 100 };
	d = open_ok(f, &s, NULL);
	assert_pattern_records(&s, 2, both);
	seen_free(&s);
	sim_datalog_close(d);
	free(p);
}

/* ---- threads ---------------------------------------------------------- */

#define THREADS 4
#define PER_THREAD 40

struct writer {
	struct sim_datalog *d;
	uint32_t id;
	int failures;
};

static void *writer_run(void *arg)
{
	struct writer *w = arg;
	char err[ERR_CAP];
	for (uint32_t i = 0; i < PER_THREAD; i++) {
		uint8_t rec[8] = { (uint8_t)w->id, (uint8_t)i };
		memset(rec + 2, (int)(w->id * 16 + i), sizeof rec - 2);
		uint64_t at;
		uint32_t type;
		uint8_t *back;
		size_t len;
		if (sim_datalog_append(w->d, w->id, rec, 2 + i % 7, &at, err, sizeof err) ||
		    sim_datalog_read(w->d, at, &type, &back, &len, err, sizeof err) ||
		    type != w->id || len != 2 + i % 7 || memcmp(back, rec, len))
			w->failures++;
		else
			free(back);
	}
	return NULL;
}

static void test_appends_from_threads_all_land_whole_and_in_order(void **state)
{
	struct fixture *f = *state;
	struct sim_datalog *d = open_ok(f, NULL, NULL);
	pthread_t t[THREADS];
	struct writer w[THREADS];
	for (uint32_t i = 0; i < THREADS; i++) {
		w[i] = (struct writer){ .d = d, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, writer_run, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	sim_datalog_close(d);
	struct seen s = { 0 };
	d = open_ok(f, &s, NULL);
	assert_int_equal(s.n, THREADS * PER_THREAD);
	uint32_t next[THREADS] = { 0 };
	for (size_t k = 0; k < s.n; k++) {
		uint32_t id = s.type[k];
		assert_true(id < THREADS);
		assert_int_equal(s.data[k][1], next[id]); /* each writer's records in its order */
		next[id]++;
	}
	seen_free(&s);
	sim_datalog_close(d);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_crc32c_matches_the_rfc3720_vectors),
		T(test_crc32c_agrees_with_the_bitwise_definition_at_any_split),
		T(test_the_file_bytes_are_the_documented_format),
		T(test_a_new_log_is_created_private_and_reopens_quietly),
		T(test_records_of_every_size_replay_in_order_and_read_back),
		T(test_a_record_of_the_limit_is_taken_and_one_byte_more_refused),
		T(test_read_refuses_offsets_that_are_not_records),
		T(test_a_torn_last_record_of_any_length_is_cut_and_reported),
		T(test_a_torn_first_record_is_a_torn_tail_not_a_new_log),
		T(test_each_flipped_bit_of_the_last_record_is_a_torn_tail),
		T(test_trailing_zeros_are_a_torn_tail),
		T(test_a_flipped_byte_in_a_middle_record_is_refused_untouched),
		T(test_a_zeroed_block_in_the_middle_is_refused),
		T(test_a_file_that_is_not_a_log_is_refused_untouched),
		T(test_a_torn_header_with_records_after_it_is_refused),
		T(test_an_empty_file_is_started_afresh_and_reported),
		T(test_a_half_written_header_is_started_afresh),
		T(test_a_second_open_while_the_first_is_open_is_refused),
		T(test_a_callback_error_aborts_the_open_with_its_message),
		T(test_a_failed_append_leaves_nothing_partial),
		T(test_appends_from_threads_all_land_whole_and_in_order),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
