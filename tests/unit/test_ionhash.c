/*
 * test_ionhash.c - Ion Hash against the official ion-hash-test vectors
 * (shared/vectors/ion-hash/ion_hash_tests.ion, 167 cases), the derived
 * SHA-256 table (derived/ion_hash_tests.sha256.tsv, 164 rows) and the
 * worked examples of shared/docs/ion.md §1.3 on hand-built value trees.
 *
 * Each vector case is checked on three read paths:
 *   direct   the `ion` value as the text reader built it, or the '10n'
 *            bytes (which carry no version marker: the IVM is prepended)
 *            read by the binary reader;
 *   binary   the value written by the binary writer and read back;
 *   text     the value written by the text writer and read back;
 * so every case runs from text and from binary input. The expected result
 * is the LAST digest:: / final_digest:: of expect.identity (the whole
 * serialization) and of expect.md5 when given.
 *
 * The three $0 cases ($0, {$0:1}, $0::{}) run like the others for identity
 * (the spec gives $0 TQ 0x71 and no representation). The derived SHA-256
 * table has no row for them (the oracle cannot represent SID 0), so their
 * SHA-256 is checked against SHA-256 computed here from the upstream
 * identity bytes: for $0 and $0::{} the Ion Hash is sha256(identity
 * bytes); for {$0:1} it is sha256(0b d0 escape(sha256(field bytes)) 0e)
 * with the field bytes taken from the vector's per-field digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/testutil.h"
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/ionhash.h"
#include "verify/sha256.h"

#define VECTORS "vectors/ion-hash/ion_hash_tests.ion"
#define SHA_TSV "vectors/ion-hash/derived/ion_hash_tests.sha256.tsv"
#define N_CASES 167
#define N_IDENTITY_CASES 166 /* one case (Metrics) has only md5 */
#define N_MD5_CASES 5	     /* ion.md says 6: the sixth "md5:" is in the file's comment */
#define N_SHA_ROWS 164
#define N_SID0_CASES 3

/* --- Hand-built trees ----------------------------------------------------- */

static void hex_of(const struct buf *b, char *out)
{
	to_hex(b->data, b->len, out);
}

static void expect_algo(const char *algo, const struct ion_value *v, const char *hex)
{
	struct ionhash *h = ionhash_new(algo);
	assert_non_null(h);
	struct buf out = { 0 };
	struct ion_error err = { 0 };
	assert_int_equal(ionhash_value(h, v, &out, &err), 0);
	char got[2 * 1024 + 1];
	assert_true(out.len * 2 < sizeof got);
	hex_of(&out, got);
	assert_string_equal(got, hex);
	buf_free(&out);
	ionhash_free(h);
}

static void expect_identity(const struct ion_value *v, const char *hex)
{
	expect_algo("identity", v, hex);
}

static struct ion_value int_value(const uint8_t *mag, size_t len, bool neg)
{
	struct ion_value v = { .type = ION_TYPE_INT };
	v.u.i = (struct ion_bigint){ neg, mag, len };
	return v;
}

static struct ion_value sym_value(const char *text)
{
	struct ion_value v = { .type = ION_TYPE_SYMBOL };
	v.u.sym = (struct ion_symbol){ text, text ? strlen(text) : 0, 0 };
	return v;
}

static const uint8_t MAG[] = { 1, 2, 3 };

static void make_list_123(struct ion_value e[3], struct ion_value *list)
{
	for (int i = 0; i < 3; i++) {
		e[i] = int_value(&MAG[i], 1, false);
		e[i].next = i < 2 ? &e[i + 1] : NULL;
	}
	*list = (struct ion_value){ .type = ION_TYPE_LIST };
	list->u.c.first_child = &e[0];
	list->u.c.count = 3;
}

static void test_list_123_identity_sha256_md5_match_worked_example(void **state)
{
	(void)state;
	struct ion_value e[3], list;
	make_list_123(e, &list);
	expect_identity(&list, "0bb00b20010e0b20020e0b20030e0e");
	expect_algo("sha256", &list,
		    "30a581772b5bad8853a950f592603fb8dde67168b21fee82b5bab4ac4985dfdc");
	expect_algo("md5", &list, "8f3bf4b1935cf469c9c10c31524b2625");
	struct ionhash *h = ionhash_new("sha256");
	uint8_t d[32];
	char hex[65];
	assert_int_equal(ionhash_sha256(h, &list, d, NULL), 0);
	to_hex(d, 32, hex);
	assert_string_equal(hex,
			    "30a581772b5bad8853a950f592603fb8dde67168b21fee82b5bab4ac4985dfdc");
	ionhash_free(h);
}

static void test_struct_a1_sha256_is_sorted_escaped_field_digest(void **state)
{
	(void)state;
	struct ion_value one = int_value(MAG, 1, false);
	one.field_name = (struct ion_symbol){ "a", 1, 0 };
	struct ion_value s = { .type = ION_TYPE_STRUCT };
	s.u.c.first_child = &one;
	s.u.c.count = 1;
	expect_algo("sha256", &s,
		    "f5d2d95c18463b4e3b9e5cf7d8e167299e31627c82c15b5e0b822b83ddadc4eb");
	/* identity: the field digest is its own bytes, escaped */
	expect_identity(&s, "0bd00c0b70610c0e0c0b20010c0e0e");
}

/* What the hasher reports feeding SHA-256 (the benchmark's floor rests on
 * it), counted from the spec: one message per struct field plus one for
 * the top-level value. {a:1,b:{c:"x"}}: fields a, b and c; the messages
 * of a (0b70610e 0b20010e: 8 bytes) and c (11 bytes) take one block each
 * after padding (up to 55 bytes fit one); b's (4 + 3 + 32 to 64 escaped
 * digest bytes) one or two; the top-level s() holds two escaped digests
 * (3 + 64 to 128 bytes), so two or three: 5 to 7 blocks in all. */
static void test_stats_count_messages_and_blocks(void **state)
{
	(void)state;
	static const char TEXT[] = "{a:1,b:{c:\"x\"}}";
	struct ion_arena *a = NULL;
	const struct ion_value *v = NULL;
	char why[200];
	assert_int_equal(ion_parse_one_alloc((const uint8_t *)TEXT, strlen(TEXT), NULL, &a, &v, why,
					     sizeof why),
			 0);
	struct ionhash *h = ionhash_new("sha256");
	assert_non_null(h);
	struct ionhash_stats st;
	ionhash_get_stats(h, &st);
	assert_int_equal(st.messages, 0);
	assert_int_equal(st.blocks, 0);
	uint8_t d[32];
	struct ion_error err = { 0 };
	assert_int_equal(ionhash_sha256(h, v, d, &err), 0);
	ionhash_get_stats(h, &st);
	assert_int_equal(st.messages, 4);
	assert_in_range(st.blocks, 5, 7);
	/* counts accumulate over values */
	uint64_t blocks = st.blocks;
	assert_int_equal(ionhash_sha256(h, v, d, &err), 0);
	ionhash_get_stats(h, &st);
	assert_int_equal(st.messages, 8);
	assert_int_equal(st.blocks, 2 * blocks);
	ionhash_free(h);
	ion_arena_free(a);
}

static void test_top_level_field_name_is_not_hashed(void **state)
{
	(void)state;
	struct ion_value e[3], list;
	make_list_123(e, &list);
	list.field_name = (struct ion_symbol){ "data", 4, 0 };
	expect_identity(&list, "0bb00b20010e0b20020e0b20030e0e");
}

static void test_annotation_wraps_value(void **state)
{
	(void)state;
	struct ion_symbol ann = { "hello", 5, 0 };
	struct ion_value v = { .type = ION_TYPE_NULL, .is_null = true };
	v.n_annotations = 1;
	v.annotations = &ann;
	expect_identity(&v, "0be00b7068656c6c6f0e0b0f0e0e");
}

static void test_scalars_minimal_representations(void **state)
{
	(void)state;
	static const uint8_t FIVE[] = { 5 }, M128[] = { 0x80 };
	struct ion_value v = int_value(FIVE, 1, false);
	expect_identity(&v, "0b20050e");
	v = int_value(NULL, 0, true); /* -0 is int zero */
	expect_identity(&v, "0b200e");
	v = int_value(M128, 1, true);
	expect_identity(&v, "0b30800e");
	v = (struct ion_value){ .type = ION_TYPE_STRING };
	v.u.bytes.data = (const uint8_t *)"hello";
	v.u.bytes.len = 5;
	expect_identity(&v, "0b8068656c6c6f0e");
	v = sym_value("\x0b\x0c\x0e");
	expect_identity(&v, "0b700c0b0c0c0c0e0e");
	v = (struct ion_value){ .type = ION_TYPE_INT, .is_null = true };
	expect_identity(&v, "0b2f0e");
	v = (struct ion_value){ .type = ION_TYPE_BOOL };
	v.u.b = true;
	expect_identity(&v, "0b110e");
	v = (struct ion_value){ .type = ION_TYPE_BLOB };
	expect_identity(&v, "0ba00e");
}

static void test_floats_zero_negative_zero_and_canonical_nan(void **state)
{
	(void)state;
	struct ion_value v = { .type = ION_TYPE_FLOAT };
	v.u.f = 0.0;
	expect_identity(&v, "0b400e");
	v.u.f = -0.0;
	expect_identity(&v, "0b4080000000000000000e");
	uint64_t payload_nan = UINT64_C(0xfff0000000000123); /* negative NaN with payload */
	memcpy(&v.u.f, &payload_nan, 8);
	expect_identity(&v, "0b407ff80000000000000e");
	v.u.f = 1.0 / 0.0;
	expect_identity(&v, "0b407ff00000000000000e");
	v.u.f = 1.0; /* 3ff0... */
	expect_identity(&v, "0b403ff00000000000000e");
}

static void decimal(struct ion_value *v, int64_t exp, bool neg, const uint8_t *mag, size_t len)
{
	*v = (struct ion_value){ .type = ION_TYPE_DECIMAL };
	v->u.dec.exponent = exp;
	v->u.dec.coef = (struct ion_bigint){ neg, mag, len };
}

static void test_decimals_per_spec_table(void **state)
{
	(void)state;
	static const uint8_t C12345[] = { 0x30, 0x39 }, C5[] = { 5 }, C128[] = { 0x80 };
	struct ion_value v;
	decimal(&v, 0, false, NULL, 0); /* 0d0 */
	expect_identity(&v, "0b500e");
	decimal(&v, 0, true, NULL, 0); /* -0d0 */
	expect_identity(&v, "0b5080800e");
	decimal(&v, -1, false, NULL, 0); /* 0d-1 */
	expect_identity(&v, "0b50c10e");
	decimal(&v, -1, true, NULL, 0); /* -0d-1 */
	expect_identity(&v, "0b50c1800e");
	decimal(&v, -4, false, C12345, 2); /* 1.2345 */
	expect_identity(&v, "0b50c430390e");
	decimal(&v, 300, false, C5, 1); /* 5d300 */
	expect_identity(&v, "0b5002ac050e");
	decimal(&v, 0, false, C128, 1); /* 128: Int needs a sign byte */
	expect_identity(&v, "0b508000800e");
	decimal(&v, 0, true, C128, 1);
	expect_identity(&v, "0b508080800e");
}

static void timestamp(struct ion_value *v, enum ion_ts_precision p)
{
	*v = (struct ion_value){ .type = ION_TYPE_TIMESTAMP };
	v->u.ts.precision = p;
}

static void test_timestamps_utc_fields_offset_and_fraction(void **state)
{
	(void)state;
	static const uint8_t C[] = { 0x07, 0x5b, 0xcd, 0x15 }; /* 123456789 */
	struct ion_value v;
	/* 2001-02-03T04:05:06.123456789-12:34 is 16:39 UTC */
	timestamp(&v, ION_TS_FRACTION);
	struct ion_timestamp *t = &v.u.ts;
	t->offset_known = true;
	t->offset_min = -(12 * 60 + 34);
	t->year = 2001, t->month = 2, t->day = 3, t->hour = 16, t->minute = 39, t->second = 6;
	t->frac_exp = -9;
	t->frac_coef = (struct ion_bigint){ false, C, 4 };
	expect_identity(&v, "0b6045f20fd1828390a786c9075bcd150e");
	/* 2017T: unknown offset, year only */
	timestamp(&v, ION_TS_YEAR);
	v.u.ts.year = 2017;
	expect_identity(&v, "0b60c00fe10e");
	/* .000: a zero coefficient is not written, the exponent is */
	timestamp(&v, ION_TS_FRACTION);
	t->offset_known = true;
	t->year = 2017, t->month = 1, t->day = 1;
	t->frac_exp = -3;
	expect_identity(&v, "0b60800fe18181808080c30e");
	/* zero fraction with exponent >= 0 is dropped entirely */
	t->frac_exp = 1;
	expect_identity(&v, "0b60800fe181818080800e");
	/* -00:00 is the negative-zero VarInt */
	t->offset_known = false;
	expect_identity(&v, "0b60c00fe181818080800e");
}

static void test_sid0_and_unknown_symbols(void **state)
{
	(void)state;
	struct ion_value v = sym_value(NULL);
	expect_identity(&v, "0b710e");
	v.u.sym.sid = 12;
	struct ionhash *h = ionhash_new("sha256");
	uint8_t d[32];
	struct ion_error err = { 0 };
	assert_int_equal(ionhash_sha256(h, &v, d, &err), ION_ERR_SYMBOL);
	assert_non_null(strstr(err.msg, "$12"));
	ionhash_free(h);
	/* {$0:1} from the vectors */
	static const uint8_t ONE[] = { 1 };
	struct ion_value f = int_value(ONE, 1, false);
	struct ion_value s = { .type = ION_TYPE_STRUCT };
	s.u.c.first_child = &f;
	s.u.c.count = 1;
	expect_identity(&s, "0bd00c0b710c0e0c0b20010c0e0e");
}

static void test_struct_sorts_digests_unsigned_shorter_first(void **state)
{
	(void)state;
	/* identity digests compare unescaped: a:1 "0b 70 61 0e 0b 20 01 0e"
	 * < a:0 "0b 70 61 0e 0b 20 0e" (0x01 < 0x0e) < b:1 "0b 70 62 ..";
	 * then each is escaped. (A whole s() is never a proper prefix of
	 * another, so shorter-first cannot show up here.) */
	static const uint8_t ONE[] = { 1 };
	struct ion_value f[3];
	f[0] = int_value(ONE, 1, false);
	f[0].field_name = (struct ion_symbol){ "b", 1, 0 };
	f[1] = int_value(ONE, 1, false);
	f[1].field_name = (struct ion_symbol){ "a", 1, 0 };
	f[2] = int_value(NULL, 0, false);
	f[2].field_name = (struct ion_symbol){ "a", 1, 0 };
	f[0].next = &f[1];
	f[1].next = &f[2];
	struct ion_value s = { .type = ION_TYPE_STRUCT };
	s.u.c.first_child = &f[0];
	s.u.c.count = 3;
	expect_identity(&s, "0bd0"
			    "0c0b70610c0e0c0b20010c0e"
			    "0c0b70610c0e0c0b200c0e"
			    "0c0b70620c0e0c0b20010c0e"
			    "0e");
}

static void test_unknown_algorithm_is_refused(void **state)
{
	(void)state;
	assert_null(ionhash_new("sha1"));
	struct ionhash *h = ionhash_new("md5");
	struct ion_value v = { .type = ION_TYPE_NULL, .is_null = true };
	uint8_t d[32];
	assert_int_not_equal(ionhash_sha256(h, &v, d, NULL), 0);
	ionhash_free(h);
}

static void test_depth_limit_is_an_error(void **state)
{
	(void)state;
	enum { N = ION_MAX_DEPTH + 2 };
	struct ion_value *v = calloc(N, sizeof *v);
	for (int i = 0; i < N; i++) {
		v[i].type = ION_TYPE_LIST;
		if (i + 1 < N) {
			v[i].u.c.first_child = &v[i + 1];
			v[i].u.c.count = 1;
		}
	}
	struct ionhash *h = ionhash_new("sha256");
	uint8_t d[32];
	struct ion_error err = { 0 };
	assert_int_equal(ionhash_sha256(h, &v[0], d, &err), ION_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "ION_MAX_DEPTH"));
	assert_int_equal(ionhash_sha256(h, &v[2], d, &err), 0);
	ionhash_free(h);
	free(v);
}

/* --- The official vectors ------------------------------------------------- */

enum vec_path { PATH_DIRECT, PATH_BINARY, PATH_TEXT };
static const char *const PATH_NAMES[] = { "direct", "binary round trip", "text round trip" };

/* Bytes of a sexp of ints (the vectors' byte lists). */
static int sexp_bytes(const struct ion_value *s, struct buf *out)
{
	if (!s || (s->type != ION_TYPE_SEXP && s->type != ION_TYPE_LIST) || s->is_null)
		return -1;
	for (const struct ion_value *k = s->u.c.first_child; k; k = k->next) {
		int64_t b;
		if (k->type != ION_TYPE_INT || k->is_null || ion_int_to_i64(&k->u.i, &b) || b < 0 ||
		    b > 255)
			return -1;
		buf_append_byte(out, (uint8_t)b);
	}
	return 0;
}

/* The final expected digest of an expect.<algo> sexp: the last element
 * annotated digest or final_digest. */
static int final_digest(const struct ion_value *seq, struct buf *out)
{
	const struct ion_value *last = NULL;
	if (!seq || seq->is_null || seq->type != ION_TYPE_SEXP)
		return -1;
	for (const struct ion_value *k = seq->u.c.first_child; k; k = k->next)
		if (k->n_annotations && (ion_symbol_eq(&k->annotations[0], "digest") ||
					 ion_symbol_eq(&k->annotations[0], "final_digest")))
			last = k;
	return last ? sexp_bytes(last, out) : -1;
}

/* The first digest:: in expect.identity (a struct's first field digest). */
static int first_digest(const struct ion_value *seq, struct buf *out)
{
	for (const struct ion_value *k = seq->u.c.first_child; k; k = k->next)
		if (k->n_annotations && ion_symbol_eq(&k->annotations[0], "digest"))
			return sexp_bytes(k, out);
	return -1;
}

/* $0, {$0:1} or $0::{}: a symbol, field name or annotation without text. */
static bool is_sid0_case(const struct ion_value *v)
{
	if (v->n_annotations && !v->annotations[0].text)
		return true;
	if (v->is_null)
		return false;
	if (v->type == ION_TYPE_SYMBOL)
		return !v->u.sym.text;
	return v->type == ION_TYPE_STRUCT && v->u.c.first_child &&
	       !v->u.c.first_child->field_name.text;
}

struct vec_stats {
	int cases, identity_ok, identity_bad, md5_ok, md5_bad, sid0;
	int text_inputs, binary_inputs;
};

/* Hash v with algo into out (cleared first). */
static int hash_with(struct ionhash *h, const struct ion_value *v, struct buf *out,
		     struct ion_error *err)
{
	buf_clear(out);
	return ionhash_value(h, v, out, err);
}

/* Bring v to the requested read path: returns the value to hash, which
 * lives in arena a (or is v itself for the direct path). */
static const struct ion_value *via_path(enum vec_path p, const struct ion_value *v,
					struct ion_arena *a, struct buf *scratch,
					struct ion_error *err)
{
	if (p == PATH_DIRECT)
		return v;
	buf_clear(scratch);
	if (p == PATH_BINARY) {
		struct ion_binary_writer *w = ion_binary_writer_new();
		int rc = ion_binary_writer_add(w, v, err);
		if (!rc)
			rc = ion_binary_writer_finish(w, scratch, err);
		ion_binary_writer_free(w);
		if (rc)
			return NULL;
	} else if (ion_write_text(scratch, v, err)) {
		return NULL;
	}
	const struct ion_value *back = NULL;
	if (ion_parse_one(scratch->data, scratch->len, a, &back, err))
		return NULL;
	return back;
}

static void case_name(const struct ion_value *c, const struct ion_value *ion, int idx, char *name,
		      size_t cap)
{
	if (c->n_annotations && c->annotations[0].text) {
		snprintf(name, cap, "#%d %.*s", idx, (int)c->annotations[0].len,
			 c->annotations[0].text);
		return;
	}
	struct buf t = { 0 };
	if (ion && ion_write_text(&t, ion, NULL) == 0)
		snprintf(name, cap, "#%d %.*s", idx, (int)(t.len > 80 ? 80 : t.len),
			 (const char *)t.data);
	else
		snprintf(name, cap, "#%d (10n)", idx);
	buf_free(&t);
}

static void report(const char *path, const char *name, const char *what, const struct buf *want,
		   const struct buf *got, const struct ion_error *err)
{
	char w[2 * 1200 + 1] = "", g[2 * 1200 + 1] = "";
	if (want->len <= 1200)
		to_hex(want->data, want->len, w);
	if (got && got->len <= 1200)
		to_hex(got->data, got->len, g);
	fprintf(stderr, "# FAIL [%s] %s %s: want %s got %s %s\n", path, name, what, w,
		got ? g : "-", err && err->msg[0] ? err->msg : "");
}

static void run_vectors(enum vec_path path, struct vec_stats *st)
{
	size_t len;
	char *text = read_file(shared_path(VECTORS), &len);
	assert_non_null(text);
	struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)text, len);
	assert_non_null(r);
	struct ionhash *id = ionhash_new("identity"), *md5 = ionhash_new("md5");
	struct ion_arena *a = ion_arena_new();
	struct buf want = { 0 }, got = { 0 }, bin = { 0 }, scratch = { 0 };
	const struct ion_value *c;
	struct ion_error err = { 0 };
	int rc;
	memset(st, 0, sizeof *st);
	while ((rc = ion_reader_next(r, &c, &err)) == 1) {
		int idx = ++st->cases;
		ion_arena_reset(a);
		const struct ion_value *ion = ion_struct_get(c, "ion");
		const struct ion_value *ten = ion_struct_get(c, "10n");
		const struct ion_value *expect = ion_struct_get(c, "expect");
		char name[160];
		case_name(c, ion, idx, name, sizeof name);
		const struct ion_value *v = ion;
		if (!ion) {
			st->binary_inputs++;
			buf_clear(&bin);
			buf_append(&bin, "\xE0\x01\x00\xEA", 4); /* '10n' has no IVM */
			if (sexp_bytes(ten, &bin) ||
			    ion_parse_one(bin.data, bin.len, a, &v, &err)) {
				fprintf(stderr, "# FAIL %s: 10n input does not parse: %s\n", name,
					err.msg);
				st->identity_bad++;
				continue;
			}
		} else {
			st->text_inputs++;
		}
		if (is_sid0_case(v))
			st->sid0++;
		const struct ion_value *pv = via_path(path, v, a, &scratch, &err);
		const struct ion_value *exp_id = ion_struct_get(expect, "identity");
		const struct ion_value *exp_md5 = ion_struct_get(expect, "md5");
		if (exp_id) {
			buf_clear(&want);
			assert_int_equal(final_digest(exp_id, &want), 0);
			if (!pv || hash_with(id, pv, &got, &err) || want.len != got.len ||
			    memcmp(want.data, got.data, want.len) != 0) {
				report(PATH_NAMES[path], name, "identity", &want, pv ? &got : NULL,
				       &err);
				st->identity_bad++;
			} else {
				st->identity_ok++;
			}
		}
		if (exp_md5) {
			buf_clear(&want);
			assert_int_equal(final_digest(exp_md5, &want), 0);
			if (!pv || hash_with(md5, pv, &got, &err) || want.len != got.len ||
			    memcmp(want.data, got.data, want.len) != 0) {
				report(PATH_NAMES[path], name, "md5", &want, pv ? &got : NULL,
				       &err);
				st->md5_bad++;
			} else {
				st->md5_ok++;
			}
		}
	}
	if (rc < 0) {
		char m[300];
		ion_error_format(&err, m, sizeof m);
		fprintf(stderr, "# reading %s: %s\n", VECTORS, m);
	}
	assert_int_equal(rc, 0);
	buf_free(&want);
	buf_free(&got);
	buf_free(&bin);
	buf_free(&scratch);
	ion_arena_free(a);
	ionhash_free(id);
	ionhash_free(md5);
	ion_reader_free(r);
	free(text);
}

static void expect_all_vectors_pass(enum vec_path path)
{
	struct vec_stats st;
	run_vectors(path, &st);
	fprintf(stderr,
		"# %s: %d cases (%d text, %d 10n), identity %d ok %d bad, md5 %d ok %d bad\n",
		PATH_NAMES[path], st.cases, st.text_inputs, st.binary_inputs, st.identity_ok,
		st.identity_bad, st.md5_ok, st.md5_bad);
	assert_int_equal(st.cases, N_CASES);
	assert_int_equal(st.sid0, N_SID0_CASES);
	assert_int_equal(st.identity_bad, 0);
	assert_int_equal(st.md5_bad, 0);
	assert_int_equal(st.identity_ok, N_IDENTITY_CASES);
	assert_int_equal(st.md5_ok, N_MD5_CASES);
}

static void test_vectors_identity_and_md5_as_read(void **state)
{
	(void)state;
	expect_all_vectors_pass(PATH_DIRECT);
}

static void test_vectors_identity_and_md5_through_binary(void **state)
{
	(void)state;
	expect_all_vectors_pass(PATH_BINARY);
}

static void test_vectors_identity_and_md5_through_text(void **state)
{
	(void)state;
	expect_all_vectors_pass(PATH_TEXT);
}

/* Parse a tsv input column: Ion text, or hex of a binary stream. */
static int parse_tsv_input(const char *form, const char *in, struct buf *bytes, struct ion_arena *a,
			   const struct ion_value **v, struct ion_error *err)
{
	buf_clear(bytes);
	if (strcmp(form, "10n") == 0) {
		size_t n = strlen(in);
		for (size_t i = 0; i + 1 < n; i += 2) {
			unsigned b;
			if (sscanf(in + i, "%2x", &b) != 1)
				return -1;
			buf_append_byte(bytes, (uint8_t)b);
		}
	} else {
		buf_append_str(bytes, in);
	}
	return ion_parse_one(bytes->data, bytes->len, a, v, err);
}

static void test_sha256_matches_derived_table_from_text_and_binary(void **state)
{
	(void)state;
	size_t len;
	char *tsv = read_file(shared_path(SHA_TSV), &len);
	assert_non_null(tsv);
	struct ionhash *h = ionhash_new("sha256");
	struct ion_arena *a = ion_arena_new();
	struct buf bytes = { 0 }, scratch = { 0 };
	int rows = 0, ok = 0;
	char *save = NULL;
	for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4];
		char *s2 = NULL;
		int nf = 0;
		for (char *p = strtok_r(line, "\t", &s2); p && nf < 4;
		     p = strtok_r(NULL, "\t", &s2))
			f[nf++] = p;
		assert_int_equal(nf, 4);
		rows++;
		ion_arena_reset(a);
		const struct ion_value *v;
		struct ion_error err = { 0 };
		bool good = parse_tsv_input(f[1], f[2], &bytes, a, &v, &err) == 0;
		for (int p = PATH_DIRECT; good && p <= PATH_TEXT; p++) {
			const struct ion_value *pv = via_path(p, v, a, &scratch, &err);
			uint8_t d[32];
			char hex[65];
			if (!pv || ionhash_sha256(h, pv, d, &err)) {
				good = false;
				break;
			}
			to_hex(d, 32, hex);
			if (strcmp(hex, f[3]) != 0) {
				fprintf(stderr, "# FAIL sha256 [%s] %s: want %s got %s\n",
					PATH_NAMES[p], f[0], f[3], hex);
				good = false;
			}
		}
		if (!good && err.msg[0])
			fprintf(stderr, "# FAIL sha256 %s: %s\n", f[0], err.msg);
		ok += good;
	}
	fprintf(stderr, "# sha256 table: %d rows, %d ok\n", rows, ok);
	assert_int_equal(rows, N_SHA_ROWS);
	assert_int_equal(ok, N_SHA_ROWS);
	buf_free(&bytes);
	buf_free(&scratch);
	ion_arena_free(a);
	ionhash_free(h);
	free(tsv);
}

/* SHA-256 of the $0 cases, derived from their upstream identity bytes. */
static void test_sha256_of_sid0_cases_follows_from_identity_bytes(void **state)
{
	(void)state;
	size_t len;
	char *text = read_file(shared_path(VECTORS), &len);
	assert_non_null(text);
	struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)text, len);
	struct ionhash *h = ionhash_new("sha256");
	struct sha256 *s = sha256_new();
	const struct ion_value *c;
	struct ion_error err = { 0 };
	int seen = 0;
	while (ion_reader_next(r, &c, &err) == 1) {
		const struct ion_value *v = ion_struct_get(c, "ion");
		if (!v)
			continue;
		if (!is_sid0_case(v))
			continue;
		bool field0 = v->n_annotations == 0 && v->type == ION_TYPE_STRUCT;
		seen++;
		const struct ion_value *idseq =
			ion_struct_get(ion_struct_get(c, "expect"), "identity");
		struct buf ident = { 0 }, ser = { 0 };
		uint8_t want[32], got[32];
		if (field0) {
			/* 0b d0 escape(sha256(field bytes)) 0e */
			uint8_t fd[32];
			assert_int_equal(first_digest(idseq, &ident), 0);
			sha256_once(s, ident.data, ident.len, fd);
			buf_append(&ser, "\x0b\xd0", 2);
			for (int i = 0; i < 32; i++) {
				if (fd[i] == 0x0b || fd[i] == 0x0c || fd[i] == 0x0e)
					buf_append_byte(&ser, 0x0c);
				buf_append_byte(&ser, fd[i]);
			}
			buf_append_byte(&ser, 0x0e);
			sha256_once(s, ser.data, ser.len, want);
		} else {
			assert_int_equal(final_digest(idseq, &ident), 0);
			sha256_once(s, ident.data, ident.len, want);
		}
		assert_int_equal(ionhash_sha256(h, v, got, &err), 0);
		assert_memory_equal(want, got, 32);
		buf_free(&ident);
		buf_free(&ser);
	}
	assert_int_equal(seen, N_SID0_CASES);
	sha256_free(s);
	ionhash_free(h);
	ion_reader_free(r);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_123_identity_sha256_md5_match_worked_example),
		cmocka_unit_test(test_struct_a1_sha256_is_sorted_escaped_field_digest),
		cmocka_unit_test(test_stats_count_messages_and_blocks),
		cmocka_unit_test(test_top_level_field_name_is_not_hashed),
		cmocka_unit_test(test_annotation_wraps_value),
		cmocka_unit_test(test_scalars_minimal_representations),
		cmocka_unit_test(test_floats_zero_negative_zero_and_canonical_nan),
		cmocka_unit_test(test_decimals_per_spec_table),
		cmocka_unit_test(test_timestamps_utc_fields_offset_and_fraction),
		cmocka_unit_test(test_sid0_and_unknown_symbols),
		cmocka_unit_test(test_struct_sorts_digests_unsigned_shorter_first),
		cmocka_unit_test(test_unknown_algorithm_is_refused),
		cmocka_unit_test(test_depth_limit_is_an_error),
		cmocka_unit_test(test_vectors_identity_and_md5_as_read),
		cmocka_unit_test(test_vectors_identity_and_md5_through_binary),
		cmocka_unit_test(test_vectors_identity_and_md5_through_text),
		cmocka_unit_test(test_sha256_matches_derived_table_from_text_and_binary),
		cmocka_unit_test(test_sha256_of_sid0_cases_follows_from_identity_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
