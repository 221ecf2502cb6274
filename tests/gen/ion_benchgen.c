/*
 * ion_benchgen.c - writes a QLDB-like Ion TEXT journal for the Ion
 * benchmark (tests/bench/ion.sh): one block per line, shaped like the real
 * block in shared/vectors/qldb/aws-cli-examples/get-block.output.json
 * (blockAddress, 32-byte hashes as blobs, entriesHashList, transactionInfo
 * with statements and documents, revisions with data structs of strings,
 * decimals, timestamps and ints, and metadata), in QLDB's compact form.
 * Deterministic for a seed; its own PRNG.
 *
 * usage: ion_benchgen OUT [--mb N] [--seed S]   (default 100 MB, seed 1)
 * Prints "blocks N bytes B".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_DEFAULT_MB 100
#define BENCH_MAX_REVISIONS 4
#define BENCH_MAX_STATEMENTS 3
#define BENCH_ID_LEN 22 /* QLDB ids are 22 base62 characters */

static uint64_t bench_rng = 1;

static uint64_t bench_next(void)
{
	uint64_t z = (bench_rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned bench_below(unsigned n)
{
	return (unsigned)(bench_next() % n);
}

/* A QLDB-style id: 22 base62 characters (static buffer, one per slot). */
static const char *bench_id(int slot)
{
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	static char ids[4][BENCH_ID_LEN + 1];
	char *p = ids[slot & 3];
	for (int i = 0; i < BENCH_ID_LEN; i++)
		p[i] = b62[bench_below(62)];
	p[BENCH_ID_LEN] = '\0';
	return p;
}

/* {{base64 of 32 random bytes}} */
static void bench_hash(FILE *f)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t b[33];
	for (int i = 0; i < 32; i += 8) {
		uint64_t r = bench_next();
		memcpy(b + i, &r, 8);
	}
	b[32] = 0;
	char out[45];
	int o = 0;
	for (int i = 0; i < 33; i += 3) {
		uint32_t v = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	out[43] = '='; /* 32 bytes: 43 characters and one pad */
	out[44] = '\0';
	fprintf(f, "{{%s}}", out);
}

static void bench_time(FILE *f, long t)
{
	/* 2019-2023, millisecond precision, UTC, as QLDB writes them */
	fprintf(f, "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%03ldZ", 2019 + t / 400000000 % 5,
		1 + t / 30000000 % 12, 1 + t / 1000000 % 28, t / 40000 % 24, t / 600 % 60, t % 60,
		t % 1000);
}

static void bench_revision_data(FILE *f)
{
	static const char *const cities[] = { "Everett", "Seattle", "Tacoma", "Spokane",
					      "Bellevue" };
	static const char *const states[] = { "WA", "OR", "CA", "ID" };
	fprintf(f,
		"{VIN:\"1N4AL11D75C%06u\",LicensePlateNumber:\"LEWISR%03u\",State:\"%s\","
		"PendingPenaltyTicketAmount:%u.%02u,ValidFromDate:%04u-%02u-%02u,"
		"ValidToDate:%04u-%02u-%02u,Mileage:%u,Owners:{PrimaryOwner:{PersonId:\"%s\"},"
		"SecondaryOwners:[",
		bench_below(1000000), bench_below(1000), states[bench_below(4)], bench_below(1000),
		bench_below(100), 2010 + bench_below(10), 1 + bench_below(12), 1 + bench_below(28),
		2020 + bench_below(10), 1 + bench_below(12), 1 + bench_below(28),
		bench_below(300000), bench_id(0));
	for (unsigned i = 0, n = bench_below(3); i < n; i++)
		fprintf(f, "%s{PersonId:\"%s\"}", i ? "," : "", bench_id(1));
	fprintf(f, "]},City:\"%s\"}", cities[bench_below(5)]);
}

static void bench_block(FILE *f, const char *strand, unsigned long seq)
{
	long t = (long)(seq * 977 % 2000000000);
	const char *tx = bench_id(2);
	char txid[BENCH_ID_LEN + 1];
	memcpy(txid, tx, sizeof txid);
	fprintf(f,
		"{blockAddress:{strandId:\"%s\",sequenceNo:%lu},transactionId:\"%s\","
		"blockTimestamp:",
		strand, seq, txid);
	bench_time(f, t);
	fputs(",blockHash:", f);
	bench_hash(f);
	fputs(",entriesHash:", f);
	bench_hash(f);
	fputs(",previousBlockHash:", f);
	bench_hash(f);
	unsigned nrev = 1 + bench_below(BENCH_MAX_REVISIONS);
	unsigned nst = 1 + bench_below(BENCH_MAX_STATEMENTS);
	fputs(",entriesHashList:[", f);
	for (unsigned i = 0; i < nrev + 1; i++) {
		if (i)
			fputc(',', f);
		bench_hash(f);
	}
	fputs("],transactionInfo:{statements:[", f);
	for (unsigned i = 0; i < nst; i++) {
		fprintf(f,
			"%s{statement:\"UPDATE VehicleRegistration AS r \\nSET r.Mileage = %u\\n"
			"WHERE r.VIN = '1N4AL11D75C%06u'\",startTime:",
			i ? "," : "", bench_below(300000), bench_below(1000000));
		bench_time(f, t);
		fputs(",statementDigest:", f);
		bench_hash(f);
		fputc('}', f);
	}
	fputs("],documents:{", f);
	for (unsigned i = 0; i < nrev; i++) {
		/* a document id is a field name: quoted when it starts with a digit */
		const char *id = bench_id(0);
		const char *q = id[0] >= '0' && id[0] <= '9' ? "'" : "";
		fprintf(f,
			"%s%s%s%s:{tableName:\"VehicleRegistration\",tableId:\"%s\",statements:[%u]"
			"}",
			i ? "," : "", q, id, q, bench_id(1), bench_below(nst));
	}
	fputs("}},revisions:[", f);
	for (unsigned i = 0; i < nrev; i++) {
		fprintf(f, "%s{blockAddress:{strandId:\"%s\",sequenceNo:%lu},hash:", i ? "," : "",
			strand, seq);
		bench_hash(f);
		fputs(",data:", f);
		bench_revision_data(f);
		fprintf(f, ",metadata:{id:\"%s\",version:%u,txTime:", bench_id(0), bench_below(20));
		bench_time(f, t);
		fprintf(f, ",txId:\"%s\"}}", txid);
	}
	fputs("]}\n", f);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	long mb = BENCH_DEFAULT_MB;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc)
			mb = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			bench_rng = strtoull(argv[++i], NULL, 0);
		else if (argv[i][0] != '-' && !out)
			out = argv[i];
		else
			out = NULL, mb = -1;
	}
	if (!out || mb <= 0) {
		fprintf(stderr, "usage: ion_benchgen OUT [--mb N] [--seed S]\n");
		return 2;
	}
	FILE *f = fopen(out, "wb");
	if (!f) {
		perror(out);
		return 2;
	}
	static char iobuf[1 << 20];
	setvbuf(f, iobuf, _IOFBF, sizeof iobuf);
	char strand[BENCH_ID_LEN + 1];
	memcpy(strand, bench_id(3), sizeof strand);
	unsigned long blocks = 0;
	long target = mb * 1000000L;
	while (ftell(f) < target)
		bench_block(f, strand, ++blocks);
	long bytes = ftell(f);
	if (fclose(f) != 0) {
		perror(out);
		return 2;
	}
	printf("blocks %lu bytes %ld\n", blocks, bytes);
	return 0;
}
