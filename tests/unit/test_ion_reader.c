/*
 * test_ion_reader.c - the reader facade (verify/ion_reader.c): source mode
 * (a callback delivering 1, 7 or 4096 bytes at a time) gives the same
 * values and the same errors as buffer mode, binary/text detection,
 * UTF-16/UTF-32 input (with and without a BOM), error positions (line and
 * column for text, byte offset for binary), sticky errors, the value size
 * limit, the memory budget per value (ION_MAX_ARENA_BYTES, lowered with
 * ion_reader_set_arena_limit / ion_arena_set_limit so the tests stay
 * small), source failures, ion_reader_offset and ion_parse_one.
 *
 * Text cases go through the text parser (verify/ion_text.c), so they test
 * the facade together with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/ion_compare.h"
#include "tests/lib/testutil.h"
#include "verify/ion.h"

/* ---- sources ------------------------------------------------------------ */

struct mem_src {
	const uint8_t *data;
	size_t len, pos, chunk;
	size_t fail_at; /* return -1 once pos reaches this (0: never) */
};

static ssize_t mem_read(void *ctx, uint8_t *buf, size_t cap)
{
	struct mem_src *s = ctx;
	if (s->fail_at && s->pos >= s->fail_at)
		return -1;
	size_t n = s->len - s->pos;
	if (n > s->chunk)
		n = s->chunk;
	if (n > cap)
		n = cap;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

/* A generated stream: head, then fill repeated n times, then tail. */
struct gen_src {
	const char *head, *tail;
	size_t head_len; /* 0: strlen(head) */
	char fill;
	size_t n, pos; /* pos over the whole stream */
};

static ssize_t gen_read(void *ctx, uint8_t *buf, size_t cap)
{
	struct gen_src *g = ctx;
	size_t hl = g->head_len ? g->head_len : strlen(g->head), tl = strlen(g->tail),
	       total = hl + g->n + tl, k = 0;
	while (k < cap && g->pos < total) {
		size_t p = g->pos;
		buf[k++] = (uint8_t)(p < hl	     ? g->head[p]
				     : p < hl + g->n ? g->fill
						     : g->tail[p - hl - g->n]);
		g->pos++;
	}
	return (ssize_t)k;
}

/* ---- buffer versus source ---------------------------------------------- */

/* Read data in buffer mode and in source mode (chunk bytes per read) in
 * lockstep: same values, same end, or the same error at the same place. */
static void check_same(const char *name, const uint8_t *data, size_t len, size_t chunk)
{
	struct mem_src s = { .data = data, .len = len, .chunk = chunk };
	struct ion_reader *rb = ion_reader_open_buffer(data, len);
	struct ion_reader *rs = ion_reader_open_source(mem_read, &s);
	assert_non_null(rb);
	assert_non_null(rs);
	assert_int_equal(ion_reader_is_binary(rb), ion_reader_is_binary(rs));
	for (size_t k = 0;; k++) {
		const struct ion_value *vb = NULL, *vs = NULL;
		struct ion_error eb = { 0 }, es = { 0 };
		int cb = ion_reader_next(rb, &vb, &eb);
		int cs = ion_reader_next(rs, &vs, &es);
		if (cb != cs)
			fail_msg("%s chunk %zu value %zu: buffer rc %d (%s), source rc %d (%s)",
				 name, chunk, k, cb, eb.msg, cs, es.msg);
		if (cb == 1) {
			if (!ion_test_equal(vb, vs))
				fail_msg("%s chunk %zu: value %zu differs", name, chunk, k);
			assert_int_equal(ion_reader_offset(rb), ion_reader_offset(rs));
			continue;
		}
		if (cb < 0) {
			if (eb.offset != es.offset || eb.line != es.line ||
			    eb.column != es.column || strcmp(eb.msg, es.msg) != 0)
				fail_msg("%s chunk %zu: buffer error %zu %zu:%zu %s, source %zu "
					 "%zu:%zu %s",
					 name, chunk, eb.offset, eb.line, eb.column, eb.msg,
					 es.offset, es.line, es.column, es.msg);
		}
		break;
	}
	ion_reader_free(rb);
	ion_reader_free(rs);
}

static void check_file_same(const char *rel, size_t chunk)
{
	char path[4096];
	snprintf(path, sizeof path, "%s", shared_path(rel));
	size_t len;
	char *d = read_file(path, &len);
	if (!d)
		fail_msg("cannot read %s", path);
	check_same(rel, (const uint8_t *)d, len, chunk);
	free(d);
}

static const char *const SAMPLE_FILES[] = {
	"vectors/ion-tests/iontestdata/good/item1.10n",
	"vectors/ion-tests/iontestdata/good/typecodes/T13.10n",
	"vectors/ion-tests/iontestdata/good/typecodes/T6-large.10n",
	"vectors/ion-tests/iontestdata/good/equivs/timestampFractions.10n",
	"vectors/ion-tests/iontestdata/good/structs.ion",
	"vectors/ion-tests/iontestdata/good/message2.ion",
	"vectors/ion-tests/iontestdata/good/strings.ion",
	"vectors/ion-tests/iontestdata/good/utf16.ion",
	"vectors/ion-tests/iontestdata/good/utf32.ion",
	"vectors/ion-tests/iontestdata/good/subfieldInt.ion",
};

static void test_source_mode_gives_the_values_of_buffer_mode(void **state)
{
	(void)state;
	static const size_t CHUNKS[] = { 1, 7, 4096 };
	for (size_t i = 0; i < sizeof SAMPLE_FILES / sizeof SAMPLE_FILES[0]; i++)
		for (size_t c = 0; c < 3; c++)
			check_file_same(SAMPLE_FILES[i], CHUNKS[c]);
}

/* Every ion-tests file, good or bad, text or binary: source mode with
 * 7-byte reads ends exactly as buffer mode does (values, or error and
 * position). */
static void test_every_ion_tests_file_reads_the_same_from_a_source(void **state)
{
	(void)state;
	static const char *const SUFFIXES[] = { ".ion", ".10n", NULL };
	struct file_list fl = { 0 };
	assert_true(file_list_collect(&fl, shared_path("vectors/ion-tests/iontestdata"), SUFFIXES) >
		    700);
	for (size_t i = 0; i < fl.n; i++) {
		size_t len;
		char *d = read_file(fl.paths[i], &len);
		assert_non_null(d);
		check_same(fl.paths[i], (const uint8_t *)d, len, 7);
		free(d);
	}
	file_list_free(&fl);
}

/* Append a VarUInt. */
static size_t put_varuint(uint8_t *p, size_t n)
{
	uint8_t t[10];
	size_t k = 0;
	t[k++] = (uint8_t)(0x80 | (n & 0x7F));
	for (n >>= 7; n; n >>= 7)
		t[k++] = (uint8_t)(n & 0x7F);
	for (size_t i = 0; i < k; i++)
		p[i] = t[k - 1 - i];
	return k;
}

/* A binary stream of about 300 KiB: many small structs naming local
 * symbols, a table append half-way, and one 150 KiB string that forces the
 * source window to grow. */
static uint8_t *make_binary_stream(size_t *len)
{
	size_t cap = 400 * 1024, n = 0;
	uint8_t *b = malloc(cap);
	assert_non_null(b);
	static const uint8_t head[] = { 0xE0, 0x01, 0x00, 0xEA,
					/* $ion_symbol_table::{symbols:["a"]} */
					0xE7, 0x81, 0x83, 0xD4, 0x87, 0xB2, 0x81, 'a' };
	memcpy(b, head, sizeof head);
	n = sizeof head;
	for (int i = 0; i < 20000; i++) {
		if (i == 10000) {
			/* append "bb": $11 */
			static const uint8_t app[] = { 0xEB, 0x81, 0x83, 0xD8, 0x86, 0x71,
						       0x03, 0x87, 0xB3, 0x82, 'b',  'b' };
			memcpy(b + n, app, sizeof app);
			n += sizeof app;
		}
		/* {a: i, (bb|a): "xy"} */
		uint8_t sid2 = i >= 10000 ? 0x8B : 0x8A;
		uint8_t v[] = { 0xD8, 0x8A, 0x22, (uint8_t)(i >> 8), (uint8_t)i, sid2,
				0x82, 'x',  'y' };
		memcpy(b + n, v, sizeof v);
		n += sizeof v;
		if (i == 15000) {
			size_t big = 150 * 1024;
			b[n++] = 0x8E;
			n += put_varuint(b + n, big);
			memset(b + n, 'z', big);
			n += big;
		}
	}
	assert_true(n <= cap);
	*len = n;
	return b;
}

/* The same data as text, one struct a line, with a long string. */
static char *make_text_stream(size_t *len)
{
	size_t cap = 2 << 20, n = 0; /* about 1.1 MiB is used */
	char *t = malloc(cap);
	assert_non_null(t);
	for (int i = 0; i < 20000; i++) {
		n += (size_t)snprintf(t + n, cap - n,
				      "{a:%d, b:\"xy\", c:2020-05-17T10:22:33.%03dZ}\n", i,
				      i % 1000);
		if (i == 15000) {
			t[n++] = '"';
			memset(t + n, 'z', 150 * 1024);
			n += 150 * 1024;
			t[n++] = '"';
			t[n++] = '\n';
		}
	}
	assert_true(n < cap);
	*len = n;
	return t;
}

static void test_source_mode_shifts_and_grows_its_window(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_binary_stream(&len);
	check_same("binary stream", b, len, 1);
	check_same("binary stream", b, len, 7);
	check_same("binary stream", b, len, 4096);
	check_same("binary stream", b, len, 1 << 20);
	free(b);
	char *t = make_text_stream(&len);
	check_same("text stream", (const uint8_t *)t, len, 7);
	check_same("text stream", (const uint8_t *)t, len, 4096);
	free(t);
}

/* U+FEFF is a BOM only at the very start: later it is a bad character,
 * also when a source window happens to start there. */
static void test_bom_bytes_after_the_start_are_an_error(void **state)
{
	(void)state;
	static const char *const CASES[] = { "1 2 \xEF\xBB\xBF 3", "\xEF\xBB\xBF\xEF\xBB\xBF 1",
					     "\xFF\xFE\x31\x00\x20\x00\xFF\xFE" };
	static const size_t LENS[] = { 11, 8, 8 };
	for (size_t i = 0; i < 3; i++) {
		for (size_t chunk = 1; chunk <= 5; chunk++)
			check_same("late BOM", (const uint8_t *)CASES[i], LENS[i], chunk);
		struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)CASES[i], LENS[i]);
		const struct ion_value *v;
		struct ion_error e;
		int rc;
		while ((rc = ion_reader_next(r, &v, &e)) == 1)
			;
		assert_int_equal(rc, ION_ERR_SYNTAX);
		ion_reader_free(r);
	}
}

static void test_reader_offset_is_past_the_last_value(void **state)
{
	(void)state;
	static const uint8_t in[] = { 0xE0, 0x01, 0x00, 0xEA, 0x21, 0x01, 0x00, /* pad */
				      0x83, 'a',  'b',	'c',  0xE0, 0x01, 0x00, 0xEA, 0x10 };
	struct ion_reader *r = ion_reader_open_buffer(in, sizeof in);
	const struct ion_value *v;
	struct ion_error e;
	assert_int_equal(ion_reader_offset(r), 0);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(ion_reader_offset(r), 6);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(v->type, ION_TYPE_STRING);
	assert_int_equal(ion_reader_offset(r), 11);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(v->type, ION_TYPE_BOOL);
	assert_int_equal(ion_reader_offset(r), sizeof in);
	assert_int_equal(ion_reader_next(r, &v, &e), 0);
	assert_int_equal(ion_reader_next(r, &v, &e), 0);
	ion_reader_free(r);
}

/* ---- detection and encodings ------------------------------------------- */

static void test_binary_is_detected_by_its_first_byte(void **state)
{
	(void)state;
	static const uint8_t bin[] = { 0xE0, 0x01, 0x00, 0xEA, 0x20 };
	static const uint8_t bad_ivm[] = { 0xE0, 0x01, 0x00, 0xE0, 0x0F };
	const char *txt = "{a:1}";
	struct ion_reader *r = ion_reader_open_buffer(bin, sizeof bin);
	assert_true(ion_reader_is_binary(r));
	ion_reader_free(r);
	r = ion_reader_open_buffer((const uint8_t *)txt, strlen(txt));
	assert_false(ion_reader_is_binary(r));
	ion_reader_free(r);
	struct mem_src s = { .data = bin, .len = sizeof bin, .chunk = 1 };
	r = ion_reader_open_source(mem_read, &s);
	assert_true(ion_reader_is_binary(r));
	const struct ion_value *v;
	struct ion_error e;
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(v->type, ION_TYPE_INT);
	ion_reader_free(r);
	/* a bad version marker is a binary error naming it, at byte 0 */
	r = ion_reader_open_buffer(bad_ivm, sizeof bad_ivm);
	assert_true(ion_reader_is_binary(r));
	assert_int_equal(ion_reader_next(r, &v, &e), ION_ERR_SYNTAX);
	assert_int_equal(e.offset, 0);
	assert_int_equal(e.line, 0);
	assert_non_null(strstr(e.msg, "version marker"));
	ion_reader_free(r);
	/* empty input: text with no values */
	r = ion_reader_open_buffer((const uint8_t *)"", 0);
	assert_false(ion_reader_is_binary(r));
	assert_int_equal(ion_reader_next(r, &v, &e), 0);
	ion_reader_free(r);
}

/* bad/badMagic1015.10n starts with 0x10, not E0: the facade reads it as
 * text, and the text parser must reject it. */
static void test_bad_magic_without_e0_is_rejected_as_text(void **state)
{
	(void)state;
	size_t len;
	char *d =
		read_file(shared_path("vectors/ion-tests/iontestdata/bad/badMagic1015.10n"), &len);
	assert_non_null(d);
	struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)d, len);
	assert_false(ion_reader_is_binary(r));
	const struct ion_value *v;
	struct ion_error e;
	int rc = ion_reader_next(r, &v, &e);
	assert_true(rc < 0);
	assert_int_not_equal(rc, ION_ERR_UNSUPPORTED);
	assert_int_equal(e.line, 1);
	ion_reader_free(r);
	free(d);
}

/* Encode UTF-8 s (valid) as UTF-16 or UTF-32, little or big endian, with
 * or without a BOM, into out; returns the length. */
static size_t encode(const char *s, int unit, bool le, bool bom, uint8_t *out)
{
	size_t n = 0;
	uint32_t cps[256];
	size_t k = 0;
	if (bom)
		cps[k++] = 0xFEFF;
	for (const uint8_t *p = (const uint8_t *)s; *p;) {
		uint32_t c;
		if (*p < 0x80) {
			c = *p++;
		} else if (*p < 0xE0) {
			c = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if (*p < 0xF0) {
			c = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
			    (p[2] & 0x3F);
			p += 3;
		} else {
			c = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
			    (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
			p += 4;
		}
		cps[k++] = c;
	}
	for (size_t i = 0; i < k; i++) {
		uint32_t units[2];
		size_t nu = 1;
		units[0] = cps[i];
		if (unit == 2 && cps[i] >= 0x10000) {
			uint32_t c = cps[i] - 0x10000;
			units[0] = 0xD800 | c >> 10;
			units[1] = 0xDC00 | (c & 0x3FF);
			nu = 2;
		}
		for (size_t u = 0; u < nu; u++)
			for (int b = 0; b < unit; b++) {
				int shift = le ? 8 * b : 8 * (unit - 1 - b);
				out[n++] = (uint8_t)(units[u] >> shift);
			}
	}
	return n;
}

static void test_utf16_and_utf32_read_like_utf8(void **state)
{
	(void)state;
	const char *text = "{'caf\xC3\xA9': \"\xE2\x82\xAC \xF0\x9F\x98\x80\", b:[1, 2.5, x]}\n"
			   "'\xC3\xA9t\xC3\xA9'::\"done\"";
	struct ion_arena *a = ion_arena_new();
	for (int unit = 2; unit <= 4; unit += 2)
		for (int le = 0; le <= 1; le++)
			for (int bom = 0; bom <= 1; bom++) {
				uint8_t enc[1024];
				size_t n = encode(text, unit, le, bom, enc);
				check_same("utf16/32", enc, n, 1);
				check_same("utf16/32", enc, n, 4096);
				struct ion_reader *r8 =
					ion_reader_open_buffer((const uint8_t *)text, strlen(text));
				struct ion_reader *rx = ion_reader_open_buffer(enc, n);
				const struct ion_value *v8, *vx;
				struct ion_error e;
				int k = 0, c8, cx;
				while ((c8 = ion_reader_next(r8, &v8, &e)) == 1) {
					cx = ion_reader_next(rx, &vx, &e);
					if (cx != 1)
						fail_msg("unit %d le %d bom %d: rc %d: %s", unit,
							 le, bom, cx, e.msg);
					assert_true(ion_test_equal(v8, vx));
					k++;
				}
				assert_int_equal(c8, 0);
				assert_int_equal(k, 2);
				assert_int_equal(ion_reader_next(rx, &vx, &e), 0);
				ion_reader_free(r8);
				ion_reader_free(rx);
				/* ion_parse_one copies the transcoding into the arena */
				const char *one = "{\"caf\xC3\xA9\": \"\xE2\x82\xAC\"}";
				n = encode(one, unit, le, bom, enc);
				const struct ion_value *v;
				assert_int_equal(ion_parse_one(enc, n, a, &v, &e), 0);
				memset(enc, 0, sizeof enc);
				assert_true(ion_symbol_eq(&v->u.c.first_child->field_name,
							  "caf\xC3\xA9"));
				assert_int_equal(v->u.c.first_child->u.bytes.len, 3);
				assert_memory_equal(v->u.c.first_child->u.bytes.data,
						    "\xE2\x82\xAC", 3);
			}
	ion_arena_free(a);
	/* ion-tests: UTF-16BE and UTF-32BE without a BOM */
	static const char *const FILES[] = { "vectors/ion-tests/iontestdata/good/utf16.ion",
					     "vectors/ion-tests/iontestdata/good/utf32.ion" };
	for (int i = 0; i < 2; i++) {
		size_t len;
		char *d = read_file(shared_path(FILES[i]), &len);
		assert_non_null(d);
		struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)d, len);
		const struct ion_value *v;
		struct ion_error e;
		assert_int_equal(ion_reader_next(r, &v, &e), 1);
		assert_int_equal(v->type, ION_TYPE_STRUCT);
		assert_true(ion_symbol_eq(&v->u.c.first_child->field_name, "foo"));
		assert_int_equal(v->u.c.first_child->u.bytes.len, 3);
		assert_memory_equal(v->u.c.first_child->u.bytes.data, "bar", 3);
		assert_int_equal(ion_reader_next(r, &v, &e), 0);
		ion_reader_free(r);
		free(d);
	}
}

static void expect_encoding_error(const uint8_t *in, size_t n, size_t offset)
{
	for (int mode = 0; mode < 2; mode++) {
		struct mem_src s = { .data = in, .len = n, .chunk = 3 };
		struct ion_reader *r =
			mode ? ion_reader_open_source(mem_read, &s) : ion_reader_open_buffer(in, n);
		const struct ion_value *v;
		struct ion_error e = { 0 };
		int rc;
		while ((rc = ion_reader_next(r, &v, &e)) == 1)
			;
		assert_int_equal(rc, ION_ERR_SYNTAX);
		assert_non_null(strstr(e.msg, "UTF-"));
		assert_int_equal(e.line, 0);
		if (e.offset != offset)
			fail_msg("mode %d: offset %zu, want %zu (%s)", mode, e.offset, offset,
				 e.msg);
		ion_reader_free(r);
	}
}

static void test_bad_utf16_and_utf32_are_rejected_with_their_byte_offset(void **state)
{
	(void)state;
	/* UTF-16LE: BOM, "1 ", lone high surrogate, "2" */
	static const uint8_t hi[] = { 0xFF, 0xFE, '1', 0, ' ', 0, 0x00, 0xD8, '2', 0 };
	expect_encoding_error(hi, sizeof hi, 6);
	/* UTF-16BE: lone low surrogate */
	static const uint8_t lo[] = { 0xFE, 0xFF, 0, '1', 0, ' ', 0xDC, 0x00 };
	expect_encoding_error(lo, sizeof lo, 6);
	/* UTF-16BE without a BOM, odd length */
	static const uint8_t odd[] = { 0, '1', 0, ' ', 0 };
	expect_encoding_error(odd, sizeof odd, 4);
	/* UTF-32LE: code point above U+10FFFF */
	static const uint8_t big[] = { 0xFF, 0xFE, 0, 0, '1', 0, 0, 0, 0, 0, 0x11, 0 };
	expect_encoding_error(big, sizeof big, 8);
	/* UTF-32BE: surrogate code point */
	static const uint8_t sur[] = { 0, 0, 0, '1', 0, 0, 0xD8, 0x00 };
	expect_encoding_error(sur, sizeof sur, 4);
	/* UTF-16LE ending after a high surrogate */
	static const uint8_t end[] = { '1', 0, 0x3D, 0xD8 };
	expect_encoding_error(end, sizeof end, 4);
}

/* ---- errors ------------------------------------------------------------- */

static void expect_text_error(const char *text, size_t line, size_t column, size_t offset)
{
	static const size_t CHUNKS[] = { 0, 1, 7, 4096 }; /* 0: buffer mode */
	for (size_t c = 0; c < 4; c++) {
		struct mem_src s = { .data = (const uint8_t *)text,
				     .len = strlen(text),
				     .chunk = CHUNKS[c] };
		struct ion_reader *r = c ? ion_reader_open_source(mem_read, &s)
					 : ion_reader_open_buffer(s.data, s.len);
		const struct ion_value *v;
		struct ion_error e = { 0 };
		int rc;
		while ((rc = ion_reader_next(r, &v, &e)) == 1)
			;
		assert_true(rc < 0);
		if (e.line != line || e.column != column || e.offset != offset)
			fail_msg("chunk %zu: got %zu:%zu byte %zu (%s), want %zu:%zu byte %zu",
				 CHUNKS[c], e.line, e.column, e.offset, e.msg, line, column,
				 offset);
		char msg[300];
		ion_error_format(&e, msg, sizeof msg);
		char want[32];
		snprintf(want, sizeof want, "%zu:%zu: ", line, column);
		assert_true(strncmp(msg, want, strlen(want)) == 0);
		ion_reader_free(r);
	}
}

static void test_text_errors_name_line_and_column(void **state)
{
	(void)state;
	/* a stray '}' at line 3 column 5 */
	expect_text_error("{a:1}\n[b, c]\n  x }\n", 3, 5, 17);
	/* columns count characters: two 2-byte characters before the error */
	expect_text_error("1\n2\n\"\xC3\xA9\xC3\xA9\" }", 3, 6, 11);
	/* after a BOM (not counted) */
	expect_text_error("\xEF\xBB\xBF"
			  "a }",
			  1, 3, 5);
	/* far into a long input, through many window shifts */
	size_t n = 30000, cap = n * 8 + 64, k = 0;
	char *t = malloc(cap);
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(t + k, cap - k, "%zu\n", i % 10000);
	size_t at = k + 3;
	snprintf(t + k, cap - k, "ab ]");
	expect_text_error(t, n + 1, 4, at);
	free(t);
}

static void test_binary_errors_name_the_byte_offset(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_binary_stream(&len);
	uint8_t *c = malloc(len + 2);
	memcpy(c, b, len);
	c[len] = 0x71; /* symbol $99: not defined */
	c[len + 1] = 0x63;
	static const size_t CHUNKS[] = { 0, 1, 7, 4096 };
	for (size_t k = 0; k < 4; k++) {
		struct mem_src s = { .data = c, .len = len + 2, .chunk = CHUNKS[k] };
		struct ion_reader *r = k ? ion_reader_open_source(mem_read, &s)
					 : ion_reader_open_buffer(c, len + 2);
		const struct ion_value *v;
		struct ion_error e = { 0 };
		int rc;
		size_t values = 0;
		while ((rc = ion_reader_next(r, &v, &e)) == 1)
			values++;
		assert_int_equal(values, 20001);
		assert_int_equal(rc, ION_ERR_SYMBOL);
		assert_int_equal(e.line, 0);
		assert_int_equal(e.offset, len);
		char msg[300], want[300];
		ion_error_format(&e, msg, sizeof msg);
		snprintf(want, sizeof want, "byte %zu: symbol $99 is not defined", len);
		assert_string_equal(msg, want);
		ion_reader_free(r);
	}
	free(c);
	free(b);
}

static void test_errors_are_sticky(void **state)
{
	(void)state;
	static const uint8_t in[] = { 0xE0, 0x01, 0x00, 0xEA, 0x21, 0x01, 0xF0, 0x21, 0x02 };
	for (int mode = 0; mode < 2; mode++) {
		struct mem_src s = { .data = in, .len = sizeof in, .chunk = 2 };
		struct ion_reader *r = mode ? ion_reader_open_source(mem_read, &s)
					    : ion_reader_open_buffer(in, sizeof in);
		const struct ion_value *v;
		struct ion_error e1, e2;
		assert_int_equal(ion_reader_next(r, &v, &e1), 1);
		assert_int_equal(ion_reader_next(r, &v, &e1), ION_ERR_SYNTAX);
		assert_int_equal(e1.offset, 6);
		for (int i = 0; i < 3; i++) {
			memset(&e2, 0, sizeof e2);
			assert_int_equal(ion_reader_next(r, &v, &e2), ION_ERR_SYNTAX);
			assert_int_equal(e2.offset, e1.offset);
			assert_string_equal(e2.msg, e1.msg);
		}
		ion_reader_free(r);
	}
	/* text too */
	const char *t = "1 2 ]] 3";
	struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)t, strlen(t));
	const struct ion_value *v;
	struct ion_error e1, e2;
	int rc;
	while ((rc = ion_reader_next(r, &v, &e1)) == 1)
		;
	assert_true(rc < 0);
	assert_int_equal(ion_reader_next(r, &v, &e2), rc);
	assert_int_equal(e2.column, e1.column);
	assert_string_equal(e2.msg, e1.msg);
	ion_reader_free(r);
}

static void test_source_failure_is_an_io_error(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_binary_stream(&len);
	struct mem_src s = { .data = b, .len = len, .chunk = 4096, .fail_at = 100000 };
	struct ion_reader *r = ion_reader_open_source(mem_read, &s);
	const struct ion_value *v;
	struct ion_error e;
	int rc;
	while ((rc = ion_reader_next(r, &v, &e)) == 1)
		;
	assert_int_equal(rc, ION_ERR_IO);
	assert_int_equal(ion_reader_next(r, &v, &e), ION_ERR_IO);
	ion_reader_free(r);
	free(b);
}

static ssize_t fail_read(void *ctx, uint8_t *buf, size_t cap)
{
	(void)ctx;
	(void)buf;
	(void)cap;
	return -1;
}

static void test_source_failing_at_once_is_an_io_error(void **state)
{
	(void)state;
	struct ion_reader *r = ion_reader_open_source(fail_read, NULL);
	assert_non_null(r);
	const struct ion_value *v;
	struct ion_error e;
	assert_int_equal(ion_reader_next(r, &v, &e), ION_ERR_IO);
	assert_non_null(strstr(e.msg, "read error"));
	ion_reader_free(r);
}

static void test_value_over_the_size_limit_is_rejected(void **state)
{
	(void)state;
	/* binary: a string header claiming 65 MiB is rejected before its bytes
	 * are read */
	struct gen_src g = { .head = "\xE0\x01\x00\xEA\x8E\x20\x20\x00\x80",
			     .head_len = 9,
			     .tail = "",
			     .fill = 'a',
			     .n = 65u << 20 };
	struct ion_reader *r = ion_reader_open_source(gen_read, &g);
	const struct ion_value *v;
	struct ion_error e;
	assert_int_equal(ion_reader_next(r, &v, &e), ION_ERR_LIMIT);
	assert_int_equal(e.offset, 4);
	assert_true(g.pos < (1u << 20));
	ion_reader_free(r);
	/* text: a 65 MiB string grows the window to its limit, then fails */
	struct gen_src t = { .head = "1 \"", .tail = "\" 2", .fill = 'a', .n = 65u << 20 };
	r = ion_reader_open_source(gen_read, &t);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	int rc = ion_reader_next(r, &v, &e);
	assert_int_equal(rc, ION_ERR_LIMIT);
	/* the text parser or the window limit may notice first; either names
	 * the limit and the value's place */
	char want[64];
	snprintf(want, sizeof want, "%u bytes", ION_MAX_VALUE_BYTES);
	assert_non_null(strstr(e.msg, want));
	assert_int_equal(e.line, 1);
	assert_int_equal(e.column, 3);
	assert_int_equal(ion_reader_next(r, &v, &e), ION_ERR_LIMIT);
	ion_reader_free(r);
	/* a 65 MiB comment is no value, so the text parser cannot commit it:
	 * the facade's window limit stops it */
	struct gen_src c = { .head = "1 /*", .tail = "*/ 2", .fill = 'c', .n = 65u << 20 };
	r = ion_reader_open_source(gen_read, &c);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(ion_reader_next(r, &v, &e), ION_ERR_LIMIT);
	snprintf(want, sizeof want, "value exceeds %u bytes", ION_MAX_VALUE_BYTES);
	assert_string_equal(e.msg, want);
	assert_int_equal(e.offset, 1);
	ion_reader_free(r);
	/* a value just under the limit still reads */
	struct gen_src ok = { .head = "\"", .tail = "\"", .fill = 'b', .n = 8u << 20 };
	r = ion_reader_open_source(gen_read, &ok);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(v->u.bytes.len, 8u << 20);
	assert_int_equal(ion_reader_next(r, &v, &e), 0);
	ion_reader_free(r);
}

/* ---- memory budget per top-level value (ION_MAX_ARENA_BYTES) ------------ */

#define BUDGET_SMALL (64u << 10)
#define BUDGET_INTS 20000 /* small ints: far more than 64 KiB of tree */

/* "[0,1,...,9,0,...]" of BUDGET_INTS ints, then " {a:1}" (malloc'd). */
static char *int_list_text(size_t *len)
{
	size_t cap = BUDGET_INTS * 2 + 16, n = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	t[n++] = '[';
	for (int i = 0; i < BUDGET_INTS; i++)
		n += (size_t)snprintf(t + n, cap - n, "%d,", i % 10);
	n += (size_t)snprintf(t + n, cap - n, "] {a:1}");
	*len = n;
	return t;
}

/* The same list in Ion binary: BVM, list header, 0x21 0x0N per int. */
static uint8_t *int_list_binary(size_t *len)
{
	size_t body = (size_t)BUDGET_INTS * 2, n = 0;
	uint8_t *b = malloc(body + 16);
	assert_non_null(b);
	static const uint8_t bvm[] = { 0xE0, 0x01, 0x00, 0xEA, 0xBE };
	memcpy(b, bvm, sizeof bvm);
	n = sizeof bvm;
	n += put_varuint(b + n, body);
	for (int i = 0; i < BUDGET_INTS; i++) {
		b[n++] = 0x21;
		b[n++] = (uint8_t)(1 + i % 9);
	}
	*len = n;
	return b;
}

/* The budget error: ION_ERR_LIMIT, one line naming the limit and budget. */
static void expect_budget_error(int rc, const struct ion_error *e, const char *budget)
{
	assert_int_equal(rc, ION_ERR_LIMIT);
	char want[128];
	snprintf(want, sizeof want, "the value needs more than %s of memory (ION_MAX_ARENA_BYTES)",
		 budget);
	assert_string_equal(e->msg, want);
}

static void test_value_over_the_memory_budget_names_the_limit(void **state)
{
	(void)state;
	size_t len;
	char *t = int_list_text(&len);
	const struct ion_value *v;
	struct ion_error e = { 0 };
	/* buffer and source mode, text */
	struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)t, len);
	ion_reader_set_arena_limit(r, BUDGET_SMALL);
	expect_budget_error(ion_reader_next(r, &v, &e), &e, "65536 bytes");
	assert_int_equal(e.line, 1); /* placed in the list */
	/* sticky, like every reader error */
	expect_budget_error(ion_reader_next(r, &v, &e), &e, "65536 bytes");
	ion_reader_free(r);
	struct mem_src m = { .data = (const uint8_t *)t, .len = len, .chunk = 4096 };
	r = ion_reader_open_source(mem_read, &m);
	ion_reader_set_arena_limit(r, BUDGET_SMALL);
	expect_budget_error(ion_reader_next(r, &v, &e), &e, "65536 bytes");
	ion_reader_free(r);
	/* binary */
	size_t blen;
	uint8_t *b = int_list_binary(&blen);
	r = ion_reader_open_buffer(b, blen);
	ion_reader_set_arena_limit(r, BUDGET_SMALL);
	expect_budget_error(ion_reader_next(r, &v, &e), &e, "65536 bytes");
	ion_reader_free(r);
	/* a budget of whole MiB is named in MiB (a node is ~100 bytes) */
	r = ion_reader_open_buffer((const uint8_t *)t, len);
	ion_reader_set_arena_limit(r, 1u << 20);
	expect_budget_error(ion_reader_next(r, &v, &e), &e, "1 MiB");
	ion_reader_free(r);
	r = ion_reader_open_buffer((const uint8_t *)t, len);
	ion_reader_set_arena_limit(r, 8u << 20);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	ion_reader_free(r);
	free(b);
	free(t);
}

static void test_values_within_the_budget_read_and_the_budget_is_per_value(void **state)
{
	(void)state;
	size_t len;
	char *t = int_list_text(&len);
	const struct ion_value *v;
	struct ion_error e = { 0 };
	/* the default budget (ION_MAX_ARENA_BYTES) reads the list */
	struct ion_reader *r = ion_reader_open_buffer((const uint8_t *)t, len);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(v->u.c.count, BUDGET_INTS);
	assert_int_equal(ion_reader_next(r, &v, &e), 1);
	assert_int_equal(v->type, ION_TYPE_STRUCT);
	ion_reader_free(r);
	/* many values that each fit: the arena is reset between them, so a
	 * stream far larger than the budget reads */
	size_t cap = 200000, n = 0;
	char *many = malloc(cap);
	assert_non_null(many);
	for (int i = 0; i < 10000; i++)
		n += (size_t)snprintf(many + n, cap - n, "[%d,%d,%d] ", i, i, i);
	r = ion_reader_open_buffer((const uint8_t *)many, n);
	ion_reader_set_arena_limit(r, BUDGET_SMALL);
	int count = 0, rc;
	while ((rc = ion_reader_next(r, &v, &e)) == 1)
		count++;
	assert_int_equal(rc, 0);
	assert_int_equal(count, 10000);
	ion_reader_free(r);
	free(many);
	free(t);
}

static void test_parse_one_obeys_the_arena_budget(void **state)
{
	(void)state;
	size_t len;
	char *t = int_list_text(&len);
	len -= strlen(" {a:1}"); /* just the list */
	const struct ion_value *v;
	struct ion_error e = { 0 };
	struct ion_arena *a = ion_arena_new();
	assert_non_null(a);
	assert_true(ion_arena_limit(a) == ION_MAX_ARENA_BYTES);
	ion_arena_set_limit(a, BUDGET_SMALL);
	expect_budget_error(ion_parse_one((const uint8_t *)t, len, a, &v, &e), &e, "65536 bytes");
	assert_true(ion_arena_over_limit(a));
	ion_arena_reset(a); /* clears the flag; the budget stays */
	assert_false(ion_arena_over_limit(a));
	assert_true(ion_arena_limit(a) == BUDGET_SMALL);
	assert_int_equal(ion_parse_one((const uint8_t *)"[1,2]", 5, a, &v, &e), 0);
	ion_arena_set_limit(a, ION_MAX_ARENA_BYTES);
	ion_arena_reset(a);
	assert_int_equal(ion_parse_one((const uint8_t *)t, len, a, &v, &e), 0);
	assert_int_equal(v->u.c.count, BUDGET_INTS);
	ion_arena_free(a);
	free(t);
}

/* ---- ion_parse_one ------------------------------------------------------ */

static void test_parse_one_wants_exactly_one_value(void **state)
{
	(void)state;
	struct ion_arena *a = ion_arena_new();
	const struct ion_value *v;
	struct ion_error e;
	static const uint8_t one[] = { 0xE0, 0x01, 0x00, 0xEA, 0x00, 0x21, 0x05 };
	assert_int_equal(ion_parse_one(one, sizeof one, a, &v, &e), 0);
	assert_int_equal(v->type, ION_TYPE_INT);
	static const uint8_t two[] = { 0xE0, 0x01, 0x00, 0xEA, 0x21, 0x05, 0x20 };
	assert_int_equal(ion_parse_one(two, sizeof two, a, &v, &e), ION_ERR_SYNTAX);
	assert_int_equal(e.offset, 6);
	static const uint8_t none[] = { 0xE0, 0x01, 0x00, 0xEA, 0x71, 0x02 };
	assert_int_equal(ion_parse_one(none, sizeof none, a, &v, &e), ION_ERR_SYNTAX);
	/* a local symbol's text outlives the symbol table, even when a later
	 * table replaces it */
	static const uint8_t lst[] = { 0xE0, 0x01, 0x00, 0xEA, 0xE7, 0x81, 0x83, 0xD4,
				       0x87, 0xB2, 0x81, 'q',  0x71, 0x0A, 0xE7, 0x81,
				       0x83, 0xD4, 0x87, 0xB2, 0x81, 'r' };
	assert_int_equal(ion_parse_one(lst, sizeof lst, a, &v, &e), 0);
	assert_true(ion_symbol_eq(&v->u.sym, "q"));
	/* text */
	const char *t = "$ion_symbol_table::{symbols:[\"loc\"]} {$10: [1, loc]}";
	assert_int_equal(ion_parse_one((const uint8_t *)t, strlen(t), a, &v, &e), 0);
	assert_true(ion_symbol_eq(&v->u.c.first_child->field_name, "loc"));
	t = "1\n 2"; /* the error is placed just after the first value */
	assert_int_equal(ion_parse_one((const uint8_t *)t, strlen(t), a, &v, &e), ION_ERR_SYNTAX);
	assert_int_equal(e.line, 1);
	assert_int_equal(e.column, 2);
	t = "  // nothing\n";
	assert_int_equal(ion_parse_one((const uint8_t *)t, strlen(t), a, &v, &e), ION_ERR_SYNTAX);
	t = "[1,\n 2,\n (]";
	assert_true(ion_parse_one((const uint8_t *)t, strlen(t), a, &v, &e) < 0);
	assert_int_equal(e.line, 3);
	ion_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_mode_gives_the_values_of_buffer_mode),
		cmocka_unit_test(test_every_ion_tests_file_reads_the_same_from_a_source),
		cmocka_unit_test(test_source_mode_shifts_and_grows_its_window),
		cmocka_unit_test(test_bom_bytes_after_the_start_are_an_error),
		cmocka_unit_test(test_reader_offset_is_past_the_last_value),
		cmocka_unit_test(test_binary_is_detected_by_its_first_byte),
		cmocka_unit_test(test_bad_magic_without_e0_is_rejected_as_text),
		cmocka_unit_test(test_utf16_and_utf32_read_like_utf8),
		cmocka_unit_test(test_bad_utf16_and_utf32_are_rejected_with_their_byte_offset),
		cmocka_unit_test(test_text_errors_name_line_and_column),
		cmocka_unit_test(test_binary_errors_name_the_byte_offset),
		cmocka_unit_test(test_errors_are_sticky),
		cmocka_unit_test(test_source_failure_is_an_io_error),
		cmocka_unit_test(test_source_failing_at_once_is_an_io_error),
		cmocka_unit_test(test_value_over_the_size_limit_is_rejected),
		cmocka_unit_test(test_value_over_the_memory_budget_names_the_limit),
		cmocka_unit_test(test_values_within_the_budget_read_and_the_budget_is_per_value),
		cmocka_unit_test(test_parse_one_obeys_the_arena_budget),
		cmocka_unit_test(test_parse_one_wants_exactly_one_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
