/*
 * stream_read.c - read a QLDB journal stream as a consumer would, from the
 * Data of Kinesis records (base64, whitespace-separated, as
 * `aws kinesis get-records --query 'Records[].Data' --output text` prints
 * them), rebuild the blocks (tests/lib/stream_rebuild.h) and check each
 * with verify/ (every revision hash recomputed) and the chain between
 * consecutive blocks.
 *
 *   stream_read FILE
 *
 * Prints "records R control C blocks N first A last B recomputed K
 * failures F" and exits 0 only when there are blocks and no failure; 2 on
 * bad input (a token that is not base64 or not a stream record).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/stream_rebuild.h"
#include "tests/lib/testutil.h"
#include "verify/base64.h"
#include "verify/ion.h"
#include "verify/qldb_block.h"

static size_t failures;
static void on_fail(void *ctx, const struct qldb_failure *f)
{
	(void)ctx;
	fprintf(stderr, "stream_read: block %lld: %s\n", (long long)f->seq, f->message);
	failures++;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: stream_read FILE\n");
		return 2;
	}
	size_t len = 0;
	char *text = read_file(argv[1], &len);
	if (!text) {
		fprintf(stderr, "stream_read: %s: cannot read\n", argv[1]);
		return 2;
	}
	struct stream_rebuild *r = stream_rebuild_new();
	size_t records = 0;
	for (char *tok = strtok(text, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
		if (strcmp(tok, "None") == 0)
			continue;
		size_t n = strlen(tok);
		uint8_t *dec = malloc(n);
		long dl = dec ? base64_decode(tok, n, dec, n) : -1;
		if (dl < 0 || stream_rebuild_add(r, dec, (size_t)dl) != 0) {
			fprintf(stderr, "stream_read: record %zu is not a journal stream record\n",
				records + 1);
			return 2;
		}
		free(dec);
		records++;
	}
	struct qldb_checker *chk = qldb_checker_new();
	struct qldb_report rep = { .fail = on_fail };
	struct buf block = { 0 };
	struct qldb_hash prev = { 0 };
	int64_t first = -1, last = -1, prev_seq = -2;
	size_t recomputed = 0, nb = stream_rebuild_blocks(r);
	for (size_t i = 0; i < nb; i++) {
		int64_t seq;
		struct ion_arena *a = NULL;
		const struct ion_value *v;
		char why[200];
		struct qldb_block_result res;
		if (stream_rebuild_block(r, i, &seq, &block) ||
		    ion_parse_one_alloc(block.data, block.len, NULL, &a, &v, why, sizeof why) ||
		    qldb_block_check(chk, v, QLDB_MODE_ION, &rep, &res) != 0) {
			fprintf(stderr, "stream_read: block %lld cannot be rebuilt\n",
				(long long)seq);
			failures++;
		} else {
			recomputed += res.recomputed;
			if (seq == prev_seq + 1 && !qldb_hash_equal(&prev, &res.previous_hash)) {
				fprintf(stderr,
					"stream_read: block %lld does not link to block %lld\n",
					(long long)seq, (long long)prev_seq);
				failures++;
			}
			prev = res.block_hash;
			prev_seq = seq;
		}
		ion_arena_free(a);
		first = i == 0 ? seq : first;
		last = seq;
	}
	printf("records %zu control %zu blocks %zu first %lld last %lld recomputed %zu failures "
	       "%zu\n",
	       records, stream_rebuild_count(r, "CONTROL"), nb, (long long)first, (long long)last,
	       recomputed, failures);
	buf_free(&block);
	qldb_checker_free(chk);
	stream_rebuild_free(r);
	free(text);
	return nb > 0 && failures == 0 ? 0 : 1;
}
