/*
 * ion_bench.c - Ion read + Ion Hash throughput on one core.
 *
 * usage: ion_bench [--runs N] [--parse-only] FILE...
 * Each file is read into memory first (outside the timed region). Then, N
 * times (default 3), ion_reader_open_buffer parses every top-level value
 * and ionhash_sha256 hashes it; the best run is reported as
 *   ion_bench: text|binary FILE: V values, B MB, best of N: X MB/s (digest D)
 * with MB = 10^6 bytes of input. D is the XOR of all value hashes: a text
 * file and its binary conversion must print the same D.
 * --parse-only skips the hashing (digest then all zero), to split the
 * time between the reader and Ion Hash.
 * When hashing, each run also times the reader alone on the same file
 * (every value visited, nothing hashed), interleaved with the hashing
 * passes so both see the same machine, and prints the bound it implies:
 *   ion_bench: text|binary FILE: parse alone: best of N: P s (X MB/s);
 *     limit: parse+hash at most Y MB/s, R of the SHA-256 ceiling
 * Parse+hash does at least the reader's work and the SHA-256 blocks on one
 * core, one after the other, so it takes at least P + S (S from the line
 * below), and its ratio to the ceiling is at most R = S / (P + S).
 * When hashing, a second line gives the floor that SHA-256 alone sets:
 *   ion_bench: text|binary FILE: SHA-256 alone: M messages, B blocks,
 *     best of N: S s, so at most X MB/s
 * M and B are what Ion Hash fed to SHA-256 in one pass (ionhash_get_stats);
 * the same number of messages of the same total block count are then
 * hashed by OpenSSL from the initial state, whole blocks at a time as
 * ionhash.c does, with nothing else: no parsing, serializing, sorting or
 * escaping. Ion Hash cannot run faster than that on this file.
 * ION_BENCH_CLOCK=cpu: time by the thread's CPU clock (see bench_clock).
 * Exit 2 on a read, parse or hash error.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_Update on a bare SHA256_CTX, as verify/ionhash.c */
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verify/ion.h"
#include "verify/ionhash.h"

#define BENCH_DEFAULT_RUNS 3
#define BENCH_MAX_RUNS 100

static uint8_t *bench_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0) {
		perror(path);
		if (f)
			fclose(f);
		return NULL;
	}
	long n = ftell(f);
	rewind(f);
	uint8_t *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "ion_bench: %s: cannot read\n", path);
		free(p);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

static bool bench_parse_only;

/* ION_BENCH_CLOCK=cpu times with the thread's CPU clock instead of the
 * wall clock: steadier for A/B comparisons on a loaded machine, where a
 * wall-clock pass also counts the time other work held the core. */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double bench_now(void)
{
	struct timespec ts;
	clock_gettime(bench_clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One timed pass, hashing every value with h, or only reading them when h
 * is NULL; returns seconds, or < 0 on error. */
static double bench_pass(struct ionhash *h, const uint8_t *data, size_t len, const char *name,
			 size_t *values, uint8_t xor [32], bool *binary)
{
	double t0 = bench_now();
	struct ion_reader *r = ion_reader_open_buffer(data, len);
	if (!r)
		return -1;
	*values = 0;
	memset(xor, 0, 32);
	for (;;) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		uint8_t d[32];
		int rc = ion_reader_next(r, &v, &err);
		if (rc == 0)
			break;
		memset(d, 0, sizeof d);
		if (rc < 0 || (h && ionhash_sha256(h, v, d, &err) != 0)) {
			char msg[sizeof err.msg + 64];
			ion_error_format(&err, msg, sizeof msg);
			fprintf(stderr, "ion_bench: %s: value %zu: %s\n", name, *values, msg);
			ion_reader_free(r);
			return -1;
		}
		for (int i = 0; i < 32; i++)
			xor[i] ^= d[i];
		(*values)++;
	}
	*binary = ion_reader_is_binary(r);
	ion_reader_free(r);
	return bench_now() - t0;
}

/* Seconds for SHA-256 of `messages` messages of `blocks` 64-byte blocks in
 * all (the remainder spread one block each over the first messages), from
 * the initial state as ionhash.c's sha256_buf; the best of runs passes.
 * Returns < 0 when there is nothing to time. */
static double bench_sha_floor(uint64_t messages, uint64_t blocks, int runs)
{
	if (messages == 0 || blocks < messages || blocks / messages >= 64)
		return -1;	 /* nothing to time, or messages longer than the pool's tail */
	enum { POOL = 1 << 16 }; /* varied input, in L2 like the real field buffers */
	static uint8_t pool[POOL + 64 * 64];
	for (size_t i = 0; i < sizeof pool; i++)
		pool[i] = (uint8_t)(i * 2654435761u >> 13);
	static const uint32_t IV[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	uint64_t per = blocks / messages, extra = blocks % messages;
	double best = -1;
	for (int r = 0; r < runs; r++) {
		double t0 = bench_now();
		size_t off = 0;
		for (uint64_t m = 0; m < messages; m++) {
			SHA256_CTX c;
			memcpy(c.h, IV, sizeof IV); /* as sha256_buf: no SHA256_Init call */
			c.Nl = c.Nh = 0;
			c.num = 0;
			uint64_t n = per + (m < extra);
			SHA256_Update(&c, pool + off, 64 * n); /* a library call: not elided */
			off = (off + 64 * 7) & (POOL - 1);
		}
		double t = bench_now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	int runs = BENCH_DEFAULT_RUNS, status = 0;
	const char *clk = getenv("ION_BENCH_CLOCK");
	if (clk && strcmp(clk, "cpu") == 0)
		bench_clock = CLOCK_THREAD_CPUTIME_ID;
	int first = 1;
	for (;;) {
		if (first + 1 < argc && strcmp(argv[first], "--runs") == 0) {
			runs = atoi(argv[first + 1]);
			first += 2;
		} else if (first < argc && strcmp(argv[first], "--parse-only") == 0) {
			bench_parse_only = true;
			first++;
		} else {
			break;
		}
	}
	if (first >= argc || runs < 1 || runs > BENCH_MAX_RUNS) {
		fprintf(stderr, "usage: ion_bench [--runs N] [--parse-only] FILE...\n");
		return 2;
	}
	struct ionhash *h = ionhash_new("sha256");
	if (!h)
		return 2;
	for (int a = first; a < argc; a++) {
		size_t len, values = 0;
		uint8_t *data = bench_read(argv[a], &len);
		if (!data) {
			status = 2;
			continue;
		}
		double best = -1, best_parse = -1;
		struct ionhash_stats before, after;
		ionhash_get_stats(h, &before);
		uint8_t xor [32];
		bool binary = false;
		for (int i = 0; i < runs; i++) {
			double tp = -1;
			if (!bench_parse_only) {
				/* the reader alone, interleaved with the hashing runs */
				uint8_t x0[32];
				size_t v0;
				tp = bench_pass(NULL, data, len, argv[a], &v0, x0, &binary);
			}
			double t = bench_pass(bench_parse_only ? NULL : h, data, len, argv[a],
					      &values, xor, &binary);
			if (t < 0 || (!bench_parse_only && tp < 0)) {
				status = 2;
				best = -1;
				break;
			}
			if (best < 0 || t < best)
				best = t;
			if (tp > 0 && (best_parse < 0 || tp < best_parse))
				best_parse = tp;
		}
		if (best > 0) {
			static const char HEX[] = "0123456789abcdef";
			char hex[65];
			for (int i = 0; i < 32; i++) {
				hex[2 * i] = HEX[xor[i] >> 4];
				hex[2 * i + 1] = HEX[xor[i] & 15];
			}
			hex[64] = '\0';
			printf("ion_bench: %s%s %s: %zu values, %.1f MB, best of %d: %.1f MB/s "
			       "(digest "
			       "%s)\n",
			       binary ? "binary" : "text", bench_parse_only ? " (parse only)" : "",
			       argv[a], values, (double)len / 1e6, runs, (double)len / 1e6 / best,
			       hex);
			ionhash_get_stats(h, &after);
			uint64_t msgs = (after.messages - before.messages) / (uint64_t)runs;
			uint64_t blocks = (after.blocks - before.blocks) / (uint64_t)runs;
			double floor = bench_parse_only ? -1 : bench_sha_floor(msgs, blocks, runs);
			if (floor > 0)
				printf("ion_bench: %s %s: SHA-256 alone: %llu messages, %llu "
				       "blocks, "
				       "best of %d: %.3f s, so at most %.1f MB/s\n",
				       binary ? "binary" : "text", argv[a],
				       (unsigned long long)msgs, (unsigned long long)blocks, runs,
				       floor, (double)len / 1e6 / floor);
			if (floor > 0 && best_parse > 0)
				printf("ion_bench: %s %s: parse alone: best of %d: %.3f s (%.1f "
				       "MB/s); limit: parse+hash at most %.1f MB/s, %.2f of the "
				       "SHA-256 ceiling\n",
				       binary ? "binary" : "text", argv[a], runs, best_parse,
				       (double)len / 1e6 / best_parse,
				       (double)len / 1e6 / (best_parse + floor),
				       floor / (best_parse + floor));
		}
		free(data);
	}
	ionhash_free(h);
	return status;
}
