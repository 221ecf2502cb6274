/*
 * fuzz_sim_datalog.c - the durable log's start-up recovery (sim/datalog.c)
 * on arbitrary file contents: opening must end in a replay, a torn tail
 * cut, or a one-line refusal, never a crash, a hang or an out-of-bounds
 * read; a log that opened must take an append and reopen with one more
 * record.
 */
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
	if (d) {
		if (rep.records != n)
			abort();
		if (sim_datalog_append(d, 7, "x", 1, NULL, err, sizeof err) == 0) {
			sim_datalog_close(d);
			d = sim_datalog_open(path, count, &m, &rep, err, sizeof err);
			if (!d || m != n + 1 || rep.truncated_bytes != 0)
				abort(); /* what we appended must read back whole */
		}
		sim_datalog_close(d);
	} else if (!memchr(err, '\0', sizeof err) || strchr(err, '\n')) {
		abort(); /* the refusal is one line */
	}
	unlink(path);
	return 0;
}
