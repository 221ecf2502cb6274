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
 * Exit 2 on a read, parse or hash error.
 */
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

static double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One timed pass; returns seconds, or < 0 on error. */
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
		if (rc < 0 || (!bench_parse_only && ionhash_sha256(h, v, d, &err) != 0)) {
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

int main(int argc, char **argv)
{
	int runs = BENCH_DEFAULT_RUNS, status = 0;
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
		double best = -1;
		uint8_t xor [32];
		bool binary = false;
		for (int i = 0; i < runs; i++) {
			double t = bench_pass(h, data, len, argv[a], &values, xor, &binary);
			if (t < 0) {
				status = 2;
				best = -1;
				break;
			}
			if (best < 0 || t < best)
				best = t;
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
		}
		free(data);
	}
	ionhash_free(h);
	return status;
}
