/*
 * test_ion_write.c - the Ion text and binary writers.
 *
 * Hand-built values check the exact text (QLDB's compact form, quoting,
 * escapes, number and timestamp forms) and exact binary bytes (derived by
 * hand from the Ion binary spec, amazon-ion/ion-docs docs/binary.md).
 * Round trips over every good/ file of ion-tests and over the ion-hash
 * vectors check that
 *   text  -> value -> text -> value  is stable (same text the second time),
 *   text <-> binary                  preserves the Ion Hash of every value.
 * Values holding symbols with unknown text (other than $0) cannot be
 * written to a fresh document: the binary writer must refuse them with
 * ION_ERR_SYMBOL; they are counted apart, never as passes.
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

#define GOOD_DIR "vectors/ion-tests/iontestdata/good"
#define HASH_VECTORS "vectors/ion-hash/ion_hash_tests.ion"

/* good/ files the reader may refuse, with the reason. They count as
 * exceptions (never as passes) only when reading fails with ION_ERR_LIMIT;
 * if they read, they are round-tripped like the others. None is needed now:
 * subfieldVarUInt*.ion (imports with max_id up to 2^31), once refused for
 * ION_MAX_SYMBOLS, read since the reader changed. */
static const struct {
	const char *file, *reason;
} EXCEPTIONS[] = {
	{ NULL, NULL },
};

/* --- Hand-built text ------------------------------------------------------ */

static void expect_text(const struct ion_value *v, const char *want)
{
	struct buf out = { 0 };
	struct ion_error err = { 0 };
	int rc = ion_write_text(&out, v, &err);
	if (rc)
		fprintf(stderr, "# write failed: %s\n", err.msg);
	assert_int_equal(rc, 0);
	buf_append_byte(&out, 0);
	assert_string_equal((const char *)out.data, want);
	buf_free(&out);
}

static struct ion_value str_value(const char *s)
{
	struct ion_value v = { .type = ION_TYPE_STRING };
	v.u.bytes.data = (const uint8_t *)s;
	v.u.bytes.len = strlen(s);
	return v;
}

static struct ion_value sym_value(const char *s)
{
	struct ion_value v = { .type = ION_TYPE_SYMBOL };
	v.u.sym = (struct ion_symbol){ s, s ? strlen(s) : 0, 0 };
	return v;
}

static struct ion_value int_value(const uint8_t *mag, size_t len, bool neg)
{
	struct ion_value v = { .type = ION_TYPE_INT };
	v.u.i = (struct ion_bigint){ neg, mag, len };
	return v;
}

static struct ion_value container(uint8_t type, struct ion_value *first, size_t n)
{
	struct ion_value v = { .type = type };
	v.u.c.first_child = first;
	v.u.c.count = n;
	return v;
}

static void field(struct ion_value *v, const char *name, struct ion_value *next)
{
	v->field_name = (struct ion_symbol){ name, strlen(name), 0 };
	v->next = next;
}

static void test_text_qldb_block_address_is_compact(void **state)
{
	(void)state;
	static const uint8_t SEQ[] = { 100 }, HASH[] = { 0, 1, 2 };
	struct ion_value strand = str_value("KmA3"), seq = int_value(SEQ, 1, false);
	field(&strand, "strandId", &seq);
	field(&seq, "sequenceNo", NULL);
	struct ion_value addr = container(ION_TYPE_STRUCT, &strand, 2);
	struct ion_value hash = { .type = ION_TYPE_BLOB };
	hash.u.bytes.data = HASH;
	hash.u.bytes.len = 3;
	field(&addr, "blockAddress", &hash);
	field(&hash, "hash", NULL);
	struct ion_value top = container(ION_TYPE_STRUCT, &addr, 2);
	expect_text(&top, "{blockAddress:{strandId:\"KmA3\",sequenceNo:100},hash:{{AAEC}}}");
}

static void test_text_symbols_quoted_only_when_needed(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} CASES[] = {
		{ "abc", "abc" },
		{ "$abc_1", "$abc_1" },
		{ "null", "'null'" },
		{ "true", "'true'" },
		{ "nan", "'nan'" },
		{ "$4", "'$4'" },
		{ "$", "$" },
		{ "a b", "'a b'" },
		{ "it's", "'it\\'s'" },
		{ "", "''" },
		{ "1a", "'1a'" },
		{ "a\nb", "'a\\nb'" },
		{ "\xc3\xa9t\xc3\xa9", "'\xc3\xa9t\xc3\xa9'" },
		{ "+", "'+'" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct ion_value v = sym_value(CASES[i].text);
		expect_text(&v, CASES[i].want);
	}
	struct ion_value u = sym_value(NULL);
	expect_text(&u, "$0");
	u.u.sym.sid = 12;
	expect_text(&u, "$12");
	struct ion_symbol anns[2] = { { "null", 4, 0 }, { "a", 1, 0 } };
	static const uint8_t FIVE[] = { 5 };
	struct ion_value a = int_value(FIVE, 1, false);
	a.annotations = anns;
	a.n_annotations = 2;
	expect_text(&a, "'null'::a::5");
	struct ion_value f = int_value(FIVE, 1, false);
	field(&f, "true", NULL);
	struct ion_value s = container(ION_TYPE_STRUCT, &f, 1);
	expect_text(&s, "{'true':5}");
}

static void test_text_strings_escape_controls_keep_utf8(void **state)
{
	(void)state;
	struct ion_value v = str_value("a\"b\\c\n\x01\x7f\xc3\xa9'");
	expect_text(&v, "\"a\\\"b\\\\c\\n\\x01\\x7f\xc3\xa9'\"");
	struct ion_value c = { .type = ION_TYPE_CLOB };
	c.u.bytes.data = (const uint8_t *)"a\0\xff\"";
	c.u.bytes.len = 4;
	expect_text(&c, "{{\"a\\0\\xff\\\"\"}}");
	struct ion_value b = { .type = ION_TYPE_BLOB };
	b.u.bytes.data = (const uint8_t *)"hello";
	b.u.bytes.len = 5;
	expect_text(&b, "{{aGVsbG8=}}");
}

static void test_text_numbers_keep_precision(void **state)
{
	(void)state;
	static const uint8_t C9025[] = { 0x23, 0x41 }, C5[] = { 5 }, C123[] = { 123 };
	static const struct {
		int64_t exp;
		bool neg;
		const uint8_t *mag;
		size_t len;
		const char *want;
	} DEC[] = {
		{ -2, false, C9025, 2, "90.25" }, { -3, false, C5, 1, "0.005" },
		{ 0, true, NULL, 0, "-0d0" },	  { -2, true, NULL, 0, "-0.00" },
		{ 2, false, C5, 1, "5d2" },	  { 0, false, C123, 1, "123d0" },
		{ -1, false, C123, 1, "12.3" },	  { -40, false, C5, 1, "5d-40" },
	};
	for (size_t i = 0; i < sizeof DEC / sizeof DEC[0]; i++) {
		struct ion_value v = { .type = ION_TYPE_DECIMAL };
		v.u.dec.exponent = DEC[i].exp;
		v.u.dec.coef = (struct ion_bigint){ DEC[i].neg, DEC[i].mag, DEC[i].len };
		expect_text(&v, DEC[i].want);
	}
	static const struct {
		double d;
		const char *want;
	} FLT[] = {
		{ 1.5, "1.5e0" },	  { 1e20, "1e20" },	  { 5e-324, "5e-324" },
		{ -0.0, "-0e0" },	  { 0.0, "0e0" },	  { 0.1, "1e-1" },
		{ 1.0 / 0.0, "+inf" },	  { -1.0 / 0.0, "-inf" }, { 0.0 / 0.0, "nan" },
		{ -123.25, "-1.2325e2" },
	};
	for (size_t i = 0; i < sizeof FLT / sizeof FLT[0]; i++) {
		struct ion_value v = { .type = ION_TYPE_FLOAT };
		v.u.f = FLT[i].d;
		expect_text(&v, FLT[i].want);
	}
	static const uint8_t BIG[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 }; /* 2^64 */
	struct ion_value i = int_value(BIG, 9, true);
	expect_text(&i, "-18446744073709551616");
	i = int_value(NULL, 0, false);
	expect_text(&i, "0");
}

static void test_text_timestamps_local_offset_and_precision(void **state)
{
	(void)state;
	static const uint8_t C[] = { 0x07, 0x5b, 0xcd, 0x15 }, C5[] = { 5 };
	struct ion_value v = { .type = ION_TYPE_TIMESTAMP };
	struct ion_timestamp *t = &v.u.ts;
	*t = (struct ion_timestamp){ .precision = ION_TS_FRACTION,
				     .offset_known = true,
				     .offset_min = -(12 * 60 + 34),
				     .year = 2001,
				     .month = 2,
				     .day = 3,
				     .hour = 16,
				     .minute = 39,
				     .second = 6,
				     .frac_exp = -9,
				     .frac_coef = { false, C, 4 } };
	expect_text(&v, "2001-02-03T04:05:06.123456789-12:34");
	/* crossing a year boundary back to local time */
	*t = (struct ion_timestamp){ .precision = ION_TS_MINUTE,
				     .offset_known = true,
				     .offset_min = 90,
				     .year = 2000,
				     .month = 12,
				     .day = 31,
				     .hour = 23,
				     .minute = 0 };
	expect_text(&v, "2001-01-01T00:30+01:30");
	t->offset_known = false;
	expect_text(&v, "2000-12-31T23:00-00:00");
	t->offset_known = true;
	t->offset_min = 0;
	t->precision = ION_TS_SECOND;
	expect_text(&v, "2000-12-31T23:00:00Z");
	t->precision = ION_TS_FRACTION;
	t->frac_exp = -3;
	t->frac_coef = (struct ion_bigint){ false, C5, 1 };
	expect_text(&v, "2000-12-31T23:00:00.005Z");
	t->frac_coef = (struct ion_bigint){ false, NULL, 0 };
	expect_text(&v, "2000-12-31T23:00:00.000Z");
	t->precision = ION_TS_DAY;
	t->offset_known = false;
	expect_text(&v, "2000-12-31");
	t->precision = ION_TS_MONTH;
	expect_text(&v, "2000-12T");
	t->precision = ION_TS_YEAR;
	expect_text(&v, "2000T");
}

static void test_text_nulls_and_containers(void **state)
{
	(void)state;
	struct ion_value n = { .type = ION_TYPE_NULL, .is_null = true };
	expect_text(&n, "null");
	n.type = ION_TYPE_TIMESTAMP;
	expect_text(&n, "null.timestamp");
	n.type = ION_TYPE_STRUCT;
	expect_text(&n, "null.struct");
	struct ion_value a = sym_value("a"), b = sym_value("+");
	a.next = &b;
	struct ion_value s = container(ION_TYPE_SEXP, &a, 2);
	expect_text(&s, "(a '+')");
	struct ion_value t = { .type = ION_TYPE_BOOL };
	struct ion_value l0 = container(ION_TYPE_LIST, NULL, 0);
	t.next = &l0;
	struct ion_value l = container(ION_TYPE_LIST, &t, 2);
	expect_text(&l, "[false,[]]");
	struct ion_value e = container(ION_TYPE_STRUCT, NULL, 0);
	expect_text(&e, "{}");
}

/* --- Hand-built binary ---------------------------------------------------- */

static void expect_binary(const struct ion_value *v, const char *hex)
{
	struct ion_binary_writer *w = ion_binary_writer_new();
	struct buf out = { 0 };
	struct ion_error err = { 0 };
	assert_int_equal(ion_binary_writer_add(w, v, &err), 0);
	assert_int_equal(ion_binary_writer_finish(w, &out, &err), 0);
	char got[1024];
	assert_true(out.len * 2 < sizeof got);
	to_hex(out.data, out.len, got);
	assert_string_equal(got, hex);
	buf_free(&out);
	ion_binary_writer_free(w);
}

static void test_binary_minimal_encodings(void **state)
{
	(void)state;
	static const uint8_t M[] = { 1, 2, 3 };
	struct ion_value e[3];
	for (int i = 0; i < 3; i++) {
		e[i] = int_value(&M[i], 1, false);
		e[i].next = i < 2 ? &e[i + 1] : NULL;
	}
	struct ion_value list = container(ION_TYPE_LIST, e, 3);
	expect_binary(&list, "e00100ea"
			     "b6210121022103");
	/* {a:1}: LST $ion_symbol_table::{symbols:["a"]} then {$10:1} */
	struct ion_value one = int_value(M, 1, false);
	field(&one, "a", NULL);
	struct ion_value s = container(ION_TYPE_STRUCT, &one, 1);
	expect_binary(&s, "e00100ea"
			  "e78183d487b28161"
			  "d38a2101");
	struct ion_value v = { .type = ION_TYPE_DECIMAL };
	v.u.dec.coef.neg = true; /* -0d0 */
	expect_binary(&v, "e00100ea"
			  "528080");
	v = (struct ion_value){ .type = ION_TYPE_DECIMAL };
	expect_binary(&v, "e00100ea"
			  "50");
	v = int_value(M + 2, 1, true);
	expect_binary(&v, "e00100ea"
			  "3103");
	v = int_value(NULL, 0, true); /* -0 is 0 */
	expect_binary(&v, "e00100ea"
			  "20");
	v = (struct ion_value){ .type = ION_TYPE_TIMESTAMP };
	v.u.ts.precision = ION_TS_YEAR;
	v.u.ts.year = 2017;
	expect_binary(&v, "e00100ea"
			  "63c00fe1");
	v = (struct ion_value){ .type = ION_TYPE_FLOAT };
	expect_binary(&v, "e00100ea"
			  "40");
	v.u.f = 1.0;
	expect_binary(&v, "e00100ea"
			  "483ff0000000000000");
	v = str_value("abcdefghijklmn"); /* 14 bytes: VarUInt length */
	expect_binary(&v, "e00100ea"
			  "8e8e6162636465666768696a6b6c6d6e");
	v = sym_value(NULL); /* $0 */
	expect_binary(&v, "e00100ea"
			  "70");
	v = sym_value("name"); /* system symbol: no LST needed */
	expect_binary(&v, "e00100ea"
			  "7104");
	struct ion_symbol ann = { "hello", 5, 0 };
	v = (struct ion_value){ .type = ION_TYPE_NULL, .is_null = true };
	v.annotations = &ann;
	v.n_annotations = 1;
	expect_binary(&v, "e00100ea"
			  "eb8183d887b68568656c6c6f"
			  "e3818a0f");
	v = (struct ion_value){ .type = ION_TYPE_INT, .is_null = true };
	expect_binary(&v, "e00100ea"
			  "2f");
}

static void test_binary_refuses_unknown_symbol_text(void **state)
{
	(void)state;
	struct ion_binary_writer *w = ion_binary_writer_new();
	struct ion_value v = sym_value(NULL);
	v.u.sym.sid = 15;
	struct ion_error err = { 0 };
	assert_int_equal(ion_binary_writer_add(w, &v, &err), ION_ERR_SYMBOL);
	assert_non_null(strstr(err.msg, "$15"));
	struct buf out = { 0 };
	assert_int_equal(ion_binary_writer_finish(w, &out, &err), 0);
	assert_int_equal(out.len, 4); /* nothing half-written */
	buf_free(&out);
	ion_binary_writer_free(w);
}

/* --- Round trips over the corpora ----------------------------------------- */

struct rt_stats {
	int files, values, stable, hash_text, hash_binary, unknown_text, failures, exceptions;
};

static bool is_exception(const char *label)
{
	for (size_t i = 0; EXCEPTIONS[i].file; i++)
		if (strcmp(EXCEPTIONS[i].file, label) == 0)
			return true;
	return false;
}

static int identity_of(struct ionhash *h, const struct ion_value *v, struct buf *out,
		       struct ion_error *err)
{
	buf_clear(out);
	return ionhash_value(h, v, out, err);
}

static bool same(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Round-trip every value of one document. */
static void round_trip_document(const char *label, const uint8_t *data, size_t len,
				struct rt_stats *st)
{
	struct ion_reader *r = ion_reader_open_buffer(data, len);
	struct ionhash *h = ionhash_new("identity");
	struct ion_arena *a = ion_arena_new();
	struct buf h0 = { 0 }, h1 = { 0 }, t1 = { 0 }, t2 = { 0 }, bin = { 0 };
	const struct ion_value *v;
	struct ion_error err = { 0 };
	int rc, idx = 0;
	while ((rc = ion_reader_next(r, &v, &err)) == 1) {
		idx++;
		st->values++;
		ion_arena_reset(a);
		struct ion_error e2 = { 0 };
		int hr = identity_of(h, v, &h0, &e2);
		if (hr == ION_ERR_SYMBOL) {
			/* unknown symbol text: no fresh document can hold it */
			struct ion_binary_writer *w = ion_binary_writer_new();
			if (ion_binary_writer_add(w, v, &e2) != ION_ERR_SYMBOL) {
				fprintf(stderr, "# FAIL %s value %d: unknown text written\n", label,
					idx);
				st->failures++;
			} else {
				st->unknown_text++;
			}
			ion_binary_writer_free(w);
			continue;
		}
		const struct ion_value *v1 = NULL, *v2 = NULL, *vb = NULL;
		buf_clear(&t1);
		buf_clear(&t2);
		buf_clear(&bin);
		const char *stage = "hash";
		if (hr)
			goto fail;
		stage = "write text";
		if (ion_write_text(&t1, v, &e2))
			goto fail;
		stage = "read text back";
		if (ion_parse_one(t1.data, t1.len, a, &v1, &e2))
			goto fail;
		stage = "write text again";
		if (ion_write_text(&t2, v1, &e2))
			goto fail;
		stage = "text stable";
		if (!same(&t1, &t2))
			goto fail;
		stage = "read text again";
		if (ion_parse_one(t2.data, t2.len, a, &v2, &e2))
			goto fail;
		st->stable++;
		stage = "hash after text";
		if (identity_of(h, v2, &h1, &e2) || !same(&h0, &h1))
			goto fail;
		st->hash_text++;
		{
			struct ion_binary_writer *w = ion_binary_writer_new();
			int wr = ion_binary_writer_add(w, v, &e2);
			if (!wr)
				wr = ion_binary_writer_finish(w, &bin, &e2);
			ion_binary_writer_free(w);
			stage = "write binary";
			if (wr)
				goto fail;
		}
		stage = "read binary back";
		if (ion_parse_one(bin.data, bin.len, a, &vb, &e2))
			goto fail;
		stage = "hash after binary";
		if (identity_of(h, vb, &h1, &e2) || !same(&h0, &h1))
			goto fail;
		st->hash_binary++;
		continue;
	fail:
		st->failures++;
		buf_append_byte(&t1, 0);
		fprintf(stderr, "# FAIL %s value %d: %s: %s [text %.120s]\n", label, idx, stage,
			e2.msg, (const char *)t1.data);
	}
	if (rc < 0) {
		char m[300];
		ion_error_format(&err, m, sizeof m);
		bool excused = rc == ION_ERR_LIMIT && is_exception(label);
		fprintf(stderr, "# %s %s: does not read: %s\n", excused ? "EXCEPTION" : "FAIL",
			label, m);
		if (excused)
			st->exceptions++;
		else
			st->failures++;
	}
	buf_free(&h0);
	buf_free(&h1);
	buf_free(&t1);
	buf_free(&t2);
	buf_free(&bin);
	ion_arena_free(a);
	ionhash_free(h);
	ion_reader_free(r);
}

static void test_round_trips_over_every_good_file(void **state)
{
	(void)state;
	char root[4096];
	snprintf(root, sizeof root, "%s", shared_path(GOOD_DIR));
	static const char *const SUFFIXES[] = { ".ion", ".10n", NULL };
	struct file_list fl = { 0 };
	int n = (int)file_list_collect(&fl, root, SUFFIXES);
	char **files = fl.paths;
	struct rt_stats st = { 0 };
	for (int i = 0; i < n; i++) {
		size_t len;
		char *data = read_file(files[i], &len);
		assert_non_null(data);
		st.files++;
		round_trip_document(files[i] + strlen(root) + 1, (const uint8_t *)data, len, &st);
		free(data);
	}
	file_list_free(&fl);
	fprintf(stderr,
		"# good/: %d files, %d values: %d text-stable, %d hash kept via text, %d via "
		"binary, %d with unknown symbol text (refused by the binary writer), %d "
		"listed exceptions, %d failures\n",
		st.files, st.values, st.stable, st.hash_text, st.hash_binary, st.unknown_text,
		st.exceptions, st.failures);
	assert_true(st.files >= 280);
	assert_int_equal(st.failures, 0);
	assert_int_equal(st.hash_binary + st.unknown_text, st.values);
}

static void test_round_trips_over_ion_hash_vectors(void **state)
{
	(void)state;
	size_t len;
	char *data = read_file(shared_path(HASH_VECTORS), &len);
	assert_non_null(data);
	struct rt_stats st = { 0 };
	round_trip_document("ion_hash_tests.ion", (const uint8_t *)data, len, &st);
	free(data);
	fprintf(stderr, "# ion_hash_tests.ion: %d values, %d failures\n", st.values, st.failures);
	assert_int_equal(st.values, 167);
	assert_int_equal(st.failures, 0);
	assert_int_equal(st.hash_binary, 167);
}

static void test_binary_writer_keeps_several_values_and_resets(void **state)
{
	(void)state;
	static const uint8_t M[] = { 7 };
	struct ion_value a = sym_value("zeta"), b = int_value(M, 1, false);
	struct ion_binary_writer *w = ion_binary_writer_new();
	struct buf out = { 0 };
	assert_int_equal(ion_binary_writer_add(w, &a, NULL), 0);
	assert_int_equal(ion_binary_writer_add(w, &b, NULL), 0);
	assert_int_equal(ion_binary_writer_add(w, &a, NULL), 0);
	assert_int_equal(ion_binary_writer_finish(w, &out, NULL), 0);
	/* IVM, LST with "zeta" as $10, then $10, 7, $10 */
	char hex[256];
	to_hex(out.data, out.len, hex);
	assert_string_equal(hex, "e00100ea"
				 "ea8183d787b5847a657461"
				 "710a"
				 "2107"
				 "710a");
	buf_clear(&out);
	assert_int_equal(ion_binary_writer_add(w, &b, NULL), 0);
	assert_int_equal(ion_binary_writer_finish(w, &out, NULL), 0);
	to_hex(out.data, out.len, hex);
	assert_string_equal(hex, "e00100ea2107");
	buf_free(&out);
	ion_binary_writer_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_qldb_block_address_is_compact),
		cmocka_unit_test(test_text_symbols_quoted_only_when_needed),
		cmocka_unit_test(test_text_strings_escape_controls_keep_utf8),
		cmocka_unit_test(test_text_numbers_keep_precision),
		cmocka_unit_test(test_text_timestamps_local_offset_and_precision),
		cmocka_unit_test(test_text_nulls_and_containers),
		cmocka_unit_test(test_binary_minimal_encodings),
		cmocka_unit_test(test_binary_refuses_unknown_symbol_text),
		cmocka_unit_test(test_binary_writer_keeps_several_values_and_resets),
		cmocka_unit_test(test_round_trips_over_every_good_file),
		cmocka_unit_test(test_round_trips_over_ion_hash_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
