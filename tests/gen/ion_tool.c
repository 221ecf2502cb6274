/*
 * ion_tool.c - a small test tool over verify/'s Ion reader, writers and
 * Ion Hash, for the shell cross-checks (tests/integration/ionhash_oracle.sh,
 * ion_roundtrip.sh) and the benchmark.
 *
 *   ion_tool to-binary IN OUT    read IN (text or binary), write Ion binary
 *   ion_tool to-text IN OUT      write Ion text, one top-level value a line
 *   ion_tool roundtrip IN        every value: text and binary writes read
 *                                back to the same Ion Hash, and writing the
 *                                re-read value gives the same bytes again;
 *                                then the whole stream as one text and one
 *                                binary document hashes value for value
 *                                like IN. One result line; exit 1 on the
 *                                first mismatch, naming the value index.
 *   ion_tool hash [-a ALGO] IN   one lowercase hex digest per top-level
 *                                value, as `qldbtop ionhash` prints them
 *                                (ALGO sha256 by default, md5, identity)
 *   ion_tool explode IN          every value and every nested value, as
 *                                text, one a line (pre-order): to narrow a
 *                                hash mismatch down to a small sub-value
 *
 * IN / OUT may be "-" for stdin / stdout. Exit status: 0 success, 1 a
 * round-trip mismatch, 2 usage, I/O or Ion error (one line on stderr with
 * the value index and line:column or byte offset).
 * Value indexes are 0-based, as in the oracle's messages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/buf.h"
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/ionhash.h"

#define TOOL_EXIT_MISMATCH 1
#define TOOL_EXIT_ERROR 2
#define TOOL_READ_CHUNK (1u << 20)
#define TOOL_MAX_FILE ((size_t)8 << 30) /* 8 GiB: the benchmark files are ~100 MB */

/* Whole file (or stdin) into a malloc'd buffer of exactly its size. */
static uint8_t *tool_read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "ion_tool: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	uint8_t *p = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + TOOL_READ_CHUNK > cap) {
			cap = cap ? cap * 2 : TOOL_READ_CHUNK;
			uint8_t *q = cap <= TOOL_MAX_FILE ? realloc(p, cap) : NULL;
			if (!q) {
				fprintf(stderr, "ion_tool: %s: too large or out of memory\n", path);
				free(p);
				p = NULL;
				break;
			}
			p = q;
		}
		size_t got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				fprintf(stderr, "ion_tool: %s: read error\n", path);
				free(p);
				p = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return p;
}

static int tool_write_all(const char *path, const struct buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fflush(f) != 0 ||
	    (f != stdout && fclose(f) != 0)) {
		fprintf(stderr, "ion_tool: %s: %s\n", path, strerror(errno));
		return TOOL_EXIT_ERROR;
	}
	return 0;
}

static int tool_ion_fail(const char *name, size_t index, const char *what,
			 const struct ion_error *err)
{
	char msg[sizeof err->msg + 64];
	ion_error_format(err, msg, sizeof msg);
	fprintf(stderr, "ion_tool: %s: value %zu: %s: %s\n", name, index, what, msg);
	return TOOL_EXIT_ERROR;
}

/* --- to-binary / to-text ------------------------------------------------ */

static int tool_convert(const char *in, const char *out, bool binary)
{
	size_t len;
	uint8_t *data = tool_read_all(in, &len);
	if (!data)
		return TOOL_EXIT_ERROR;
	struct ion_reader *r = ion_reader_open_buffer(data, len);
	struct ion_binary_writer *w = binary ? ion_binary_writer_new() : NULL;
	struct buf b = { 0 };
	int status = 0;
	if (!r || (binary && !w)) {
		fprintf(stderr, "ion_tool: out of memory\n");
		status = TOOL_EXIT_ERROR;
	}
	for (size_t i = 0; status == 0; i++) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		int rc = ion_reader_next(r, &v, &err);
		if (rc == 0)
			break;
		if (rc < 0)
			status = tool_ion_fail(in, i, "read", &err);
		else if (binary && ion_binary_writer_add(w, v, &err) != 0)
			status = tool_ion_fail(in, i, "binary write", &err);
		else if (!binary &&
			 (ion_write_text(&b, v, &err) != 0 || buf_append_byte(&b, '\n') != 0))
			status = tool_ion_fail(in, i, "text write", &err);
	}
	if (status == 0 && binary) {
		struct ion_error err = { 0 };
		if (ion_binary_writer_finish(w, &b, &err) != 0)
			status = tool_ion_fail(in, 0, "binary finish", &err);
	}
	if (status == 0)
		status = tool_write_all(out, &b);
	buf_free(&b);
	ion_binary_writer_free(w);
	ion_reader_free(r);
	free(data);
	return status;
}

/* --- hash ----------------------------------------------------------------- */

static void tool_put_hex(FILE *f, const uint8_t *p, size_t n)
{
	static const char HEX[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		fputc(HEX[p[i] >> 4], f);
		fputc(HEX[p[i] & 15], f);
	}
	fputc('\n', f);
}

static int tool_hash(const char *algo, const char *in)
{
	size_t len;
	uint8_t *data = tool_read_all(in, &len);
	if (!data)
		return TOOL_EXIT_ERROR;
	struct ion_reader *r = ion_reader_open_buffer(data, len);
	struct ionhash *h = ionhash_new(algo);
	struct buf d = { 0 };
	int status = 0;
	if (!r || !h) {
		fprintf(stderr, "ion_tool: unknown algorithm %s or out of memory\n", algo);
		status = TOOL_EXIT_ERROR;
	}
	for (size_t i = 0; status == 0; i++) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		int rc = ion_reader_next(r, &v, &err);
		if (rc == 0)
			break;
		buf_clear(&d);
		if (rc < 0)
			status = tool_ion_fail(in, i, "read", &err);
		else if (ionhash_value(h, v, &d, &err) != 0)
			status = tool_ion_fail(in, i, "hash", &err);
		else
			tool_put_hex(stdout, d.data, d.len);
	}
	if (fflush(stdout) != 0)
		status = TOOL_EXIT_ERROR;
	buf_free(&d);
	ionhash_free(h);
	ion_reader_free(r);
	free(data);
	return status;
}

/* --- roundtrip -------------------------------------------------------------- */

struct rt {
	const char *name;
	struct ionhash *h;
	struct ion_arena *arena; /* for re-read values */
	struct buf t1, t2, b1, b2;
	uint8_t (*hashes)[32]; /* of every value of IN, by index */
	size_t n, cap;
};

static int rt_mismatch(const struct rt *rt, size_t index, const char *what)
{
	printf("roundtrip: %s: FAIL value %zu: %s\n", rt->name, index, what);
	return TOOL_EXIT_MISMATCH;
}

/* Binary form of one value: IVM + LST + the value. */
static int rt_binary(const struct ion_value *v, struct buf *out, struct ion_error *err)
{
	struct ion_binary_writer *w = ion_binary_writer_new();
	if (!w)
		return ION_ERR_NOMEM;
	buf_clear(out);
	int rc = ion_binary_writer_add(w, v, err);
	if (rc == 0)
		rc = ion_binary_writer_finish(w, out, err);
	ion_binary_writer_free(w);
	return rc;
}

/* Per value: hash, text and binary writes re-read to the same hash and
 * re-write to the same bytes. */
static int rt_value(struct rt *rt, size_t i, const struct ion_value *v)
{
	struct ion_error err = { 0 };
	uint8_t h0[32], h1[32];
	const struct ion_value *v1;
	if (ionhash_sha256(rt->h, v, h0, &err) != 0)
		return tool_ion_fail(rt->name, i, "hash", &err);
	if (rt->n == rt->cap) {
		size_t cap = rt->cap ? rt->cap * 2 : 1024;
		void *p = realloc(rt->hashes, cap * sizeof rt->hashes[0]);
		if (!p)
			return TOOL_EXIT_ERROR;
		rt->hashes = p;
		rt->cap = cap;
	}
	memcpy(rt->hashes[rt->n++], h0, 32);

	/* text */
	buf_clear(&rt->t1);
	buf_clear(&rt->t2);
	if (ion_write_text(&rt->t1, v, &err) != 0)
		return tool_ion_fail(rt->name, i, "text write", &err);
	ion_arena_reset(rt->arena);
	if (ion_parse_one(rt->t1.data, rt->t1.len, rt->arena, &v1, &err) != 0)
		return tool_ion_fail(rt->name, i, "re-reading its text form", &err);
	if (ionhash_sha256(rt->h, v1, h1, &err) != 0)
		return tool_ion_fail(rt->name, i, "hash of the text form", &err);
	if (memcmp(h0, h1, 32) != 0)
		return rt_mismatch(rt, i, "text form hashes differently");
	if (ion_write_text(&rt->t2, v1, &err) != 0)
		return tool_ion_fail(rt->name, i, "text re-write", &err);
	if (rt->t1.len != rt->t2.len || memcmp(rt->t1.data, rt->t2.data, rt->t1.len) != 0)
		return rt_mismatch(rt, i, "text write -> read -> write is not stable");

	/* binary */
	if (rt_binary(v, &rt->b1, &err) != 0)
		return tool_ion_fail(rt->name, i, "binary write", &err);
	ion_arena_reset(rt->arena);
	if (ion_parse_one(rt->b1.data, rt->b1.len, rt->arena, &v1, &err) != 0)
		return tool_ion_fail(rt->name, i, "re-reading its binary form", &err);
	if (ionhash_sha256(rt->h, v1, h1, &err) != 0)
		return tool_ion_fail(rt->name, i, "hash of the binary form", &err);
	if (memcmp(h0, h1, 32) != 0)
		return rt_mismatch(rt, i, "binary form hashes differently");
	if (rt_binary(v1, &rt->b2, &err) != 0)
		return tool_ion_fail(rt->name, i, "binary re-write", &err);
	if (rt->b1.len != rt->b2.len || memcmp(rt->b1.data, rt->b2.data, rt->b1.len) != 0)
		return rt_mismatch(rt, i, "binary write -> read -> write is not stable");
	buf_clear(&rt->t2);
	if (ion_write_text(&rt->t2, v1, &err) != 0)
		return tool_ion_fail(rt->name, i, "text write of the binary form", &err);
	if (rt->t1.len != rt->t2.len || memcmp(rt->t1.data, rt->t2.data, rt->t1.len) != 0)
		return rt_mismatch(rt, i, "binary form writes different text");
	return 0;
}

/* The whole stream re-read from doc hashes value for value like IN. */
static int rt_stream(struct rt *rt, const struct buf *doc, const char *form)
{
	struct ion_reader *r = ion_reader_open_buffer(doc->data, doc->len);
	if (!r)
		return TOOL_EXIT_ERROR;
	int status = 0;
	size_t i = 0;
	char what[96];
	for (;; i++) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		uint8_t h[32];
		int rc = ion_reader_next(r, &v, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			snprintf(what, sizeof what, "re-reading the whole %s stream", form);
			status = tool_ion_fail(rt->name, i, what, &err);
			break;
		}
		if (ionhash_sha256(rt->h, v, h, &err) != 0) {
			status = tool_ion_fail(rt->name, i, "hash", &err);
			break;
		}
		if (i >= rt->n || memcmp(h, rt->hashes[i], 32) != 0) {
			snprintf(what, sizeof what, "whole %s stream hashes differently", form);
			status = rt_mismatch(rt, i, what);
			break;
		}
	}
	if (status == 0 && i != rt->n) {
		snprintf(what, sizeof what, "whole %s stream has %zu values, not %zu", form, i,
			 rt->n);
		status = rt_mismatch(rt, i, what);
	}
	ion_reader_free(r);
	return status;
}

static int tool_roundtrip(const char *in)
{
	size_t len;
	uint8_t *data = tool_read_all(in, &len);
	if (!data)
		return TOOL_EXIT_ERROR;
	struct rt rt = { .name = in, .h = ionhash_new("sha256"), .arena = ion_arena_new() };
	struct ion_reader *r = ion_reader_open_buffer(data, len);
	struct ion_binary_writer *w = ion_binary_writer_new();
	struct buf text = { 0 }, bin = { 0 };
	int status = 0;
	if (!rt.h || !rt.arena || !r || !w) {
		fprintf(stderr, "ion_tool: out of memory\n");
		status = TOOL_EXIT_ERROR;
	}
	size_t i = 0;
	for (; status == 0; i++) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		int rc = ion_reader_next(r, &v, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			status = tool_ion_fail(in, i, "read", &err);
			break;
		}
		status = rt_value(&rt, i, v);
		if (status == 0 && ion_binary_writer_add(w, v, &err) != 0)
			status = tool_ion_fail(in, i, "binary write", &err);
		if (status == 0 &&
		    (ion_write_text(&text, v, &err) != 0 || buf_append_byte(&text, '\n') != 0))
			status = tool_ion_fail(in, i, "text write", &err);
	}
	if (status == 0) {
		struct ion_error err = { 0 };
		if (ion_binary_writer_finish(w, &bin, &err) != 0)
			status = tool_ion_fail(in, i, "binary finish", &err);
	}
	if (status == 0)
		status = rt_stream(&rt, &text, "text");
	if (status == 0)
		status = rt_stream(&rt, &bin, "binary");
	if (status == 0)
		printf("roundtrip: %s: %zu values ok (text and binary, per value and whole "
		       "stream)\n",
		       in, rt.n);
	buf_free(&text);
	buf_free(&bin);
	buf_free(&rt.t1);
	buf_free(&rt.t2);
	buf_free(&rt.b1);
	buf_free(&rt.b2);
	free(rt.hashes);
	ion_binary_writer_free(w);
	ion_reader_free(r);
	ion_arena_free(rt.arena);
	ionhash_free(rt.h);
	free(data);
	return status;
}

/* --- explode: every nested value on its own line -------------------------- */

static int tool_explode_value(struct buf *b, const struct ion_value *v, struct ion_error *err)
{
	if (ion_write_text(b, v, err) != 0 || buf_append_byte(b, '\n') != 0)
		return -1;
	if (v->is_null ||
	    (v->type != ION_TYPE_LIST && v->type != ION_TYPE_SEXP && v->type != ION_TYPE_STRUCT))
		return 0;
	for (const struct ion_value *c = v->u.c.first_child; c; c = c->next)
		if (tool_explode_value(b, c, err) != 0)
			return -1;
	return 0;
}

/* Every value and, recursively, every child (pre-order) as one text line:
 * hashing these lines with two implementations narrows a mismatch down to
 * the smallest differing sub-value. */
static int tool_explode(const char *in)
{
	size_t len;
	uint8_t *data = tool_read_all(in, &len);
	if (!data)
		return TOOL_EXIT_ERROR;
	struct ion_reader *r = ion_reader_open_buffer(data, len);
	struct buf b = { 0 };
	int status = r ? 0 : TOOL_EXIT_ERROR;
	for (size_t i = 0; status == 0; i++) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		int rc = ion_reader_next(r, &v, &err);
		if (rc == 0)
			break;
		if (rc < 0)
			status = tool_ion_fail(in, i, "read", &err);
		else if (tool_explode_value(&b, v, &err) != 0)
			status = tool_ion_fail(in, i, "text write", &err);
	}
	if (status == 0)
		status = tool_write_all("-", &b);
	buf_free(&b);
	ion_reader_free(r);
	free(data);
	return status;
}

static int tool_usage(void)
{
	fprintf(stderr, "usage: ion_tool to-binary IN OUT | to-text IN OUT | roundtrip IN |"
			" hash [-a ALGO] IN | explode IN\n");
	return TOOL_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "to-binary") == 0)
		return tool_convert(argv[2], argv[3], true);
	if (argc == 4 && strcmp(argv[1], "to-text") == 0)
		return tool_convert(argv[2], argv[3], false);
	if (argc == 3 && strcmp(argv[1], "roundtrip") == 0)
		return tool_roundtrip(argv[2]);
	if (argc == 3 && strcmp(argv[1], "explode") == 0)
		return tool_explode(argv[2]);
	if (argc == 3 && strcmp(argv[1], "hash") == 0)
		return tool_hash("sha256", argv[2]);
	if (argc == 5 && strcmp(argv[1], "hash") == 0 && strcmp(argv[2], "-a") == 0)
		return tool_hash(argv[3], argv[4]);
	return tool_usage();
}
