/*
 * fuzz_sim_datalog.c - the durable log's start-up recovery (sim/datalog.c)
 * on arbitrary file contents: opening must end in a replay, a torn tail
 * cut, a creation started afresh, or a one-line refusal, never a crash, a
 * hang or an out-of-bounds read. What it leaves on disk is checked too: a
 * refused file is untouched, a torn tail cut leaves a prefix of the input
 * exactly truncated_bytes shorter, a fresh start leaves just a header; and
 * a log that opened must take an append and reopen with one more record.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/datalog.h"

static int count(void *ctx, uint32_t type, const uint8_t *data, size_t len, uint64_t offset,
		 char *err, size_t cap)
{
	(void)type, (void)data, (void)len, (void)offset, (void)err, (void)cap;
	(*(uint64_t *)ctx)++;
	return 0;
}

/* The file now, read whole into buf (at most cap bytes); its size or -1. */
static long slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, cap, f);
	int more = fgetc(f) != EOF;
	fclose(f);
	return more ? -1 : (long)n;
}

/* What recovery left on disk agrees with what it reported. */
static void check_left(const char *path, const uint8_t *in, size_t size, bool opened,
		       const struct sim_datalog_report *rep)
{
	static uint8_t now[(1 << 16) + 64]; /* run.sh caps inputs at 64 KiB */
	if (size > (1 << 16))
		return;
	long n = slurp(path, now, sizeof now);
	if (n < 0)
		abort();
	if (!opened || (!rep->note[0] && !rep->truncated_bytes)) {
		if ((size_t)n != size || memcmp(now, in, size)) /* untouched */
			abort();
	} else if (rep->truncated_bytes) {
		if ((uint64_t)n + rep->truncated_bytes != size || memcmp(now, in, (size_t)n))
			abort(); /* a prefix, cut by exactly what was reported */
	} else if (n != SIM_DATALOG_HEADER || rep->records) {
		abort(); /* started afresh: a header alone */
	}
	if (opened && (uint64_t)n != rep->bytes)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fuzz-datalog-%d.log", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	uint64_t n = 0, m = 0;
	char err[256];
	struct sim_datalog_report rep;
	struct sim_datalog *d = sim_datalog_open(path, count, &n, &rep, err, sizeof err);
	check_left(path, data, size, d != NULL, &rep);
	if (d) {
		if (rep.records != n)
			abort();
		if (sim_datalog_append(d, 7, "x", 1, NULL, err, sizeof err) == 0) {
			sim_datalog_close(d);
			d = sim_datalog_open(path, count, &m, &rep, err, sizeof err);
			if (!d || m != n + 1 || rep.truncated_bytes != 0 || rep.note[0])
				abort(); /* what we appended must read back whole */
		}
		sim_datalog_close(d);
	} else if (!memchr(err, '\0', sizeof err) || strchr(err, '\n')) {
		abort(); /* the refusal is one line */
	}
	unlink(path);
	return 0;
}
