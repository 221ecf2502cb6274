/*
 * test_ion_binary.c - the Ion 1.0 binary parser (verify/ion_binary.c)
 * against ion-tests (shared/vectors/ion-tests/iontestdata: every good/
 * *.10n reads to the end, every bad/ *.10n is rejected, binary equivs
 * groups compare equal) and focused cases built by hand from the Ion
 * binary spec (docs/binary.md).
 *
 * Exceptions to "every bad file is rejected by ion_binary_next" (listed
 * in BAD_NOT_BINARY with the reason):
 *   bad/badMagic1015.10n: it does not start with byte E0, so the reader
 *   facade hands it to the text parser; test_ion_reader checks that the
 *   facade rejects it.
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
#include "verify/ion_internal.h"

#define MAX_VALUES 4096

static const char *const BAD_NOT_BINARY[] = { "bad/badMagic1015.10n" };

/* ---- file discovery --------------------------------------------------- */

static struct file_list g_list; /* the files of the latest list_10n */

/* All *.10n below iontestdata/<dir>, sorted; fails the test if none. */
static size_t list_10n(const char *dir)
{
	static const char *const SUFFIXES[] = { ".10n", NULL };
	file_list_free(&g_list);
	char rel[256];
	snprintf(rel, sizeof rel, "vectors/ion-tests/iontestdata/%s", dir);
	assert_true(file_list_collect(&g_list, shared_path(rel), SUFFIXES) > 0);
	return g_list.n;
}

/* ---- structural comparison -------------------------------------------- */

/* ---- parsing helpers --------------------------------------------------- */

struct parsed {
	struct ion_arena *a;
	struct ion_symtab *st;
	const struct ion_value *v[MAX_VALUES];
	size_t n;
	int rc; /* 0 at clean end, else the error status */
	struct ion_error err;
};

/* Parse a whole buffer (at_eof) with ion_binary_next, keeping every value
 * (the arena is not reset). */
static struct parsed *parse_all(const uint8_t *buf, size_t len)
{
	struct parsed *p = calloc(1, sizeof *p);
	assert_non_null(p);
	p->a = ion_arena_new();
	p->st = ion_symtab_new();
	size_t pos = 0;
	for (;;) {
		struct ion_value *v = NULL;
		int rc = ion_binary_next(buf, len, &pos, true, p->a, p->st, &v, &p->err);
		if (rc == 1) {
			assert_true(p->n < MAX_VALUES);
			assert_true(pos <= len);
			p->v[p->n++] = v;
			continue;
		}
		p->rc = rc;
		break;
	}
	return p;
}

static void parsed_free(struct parsed *p)
{
	ion_arena_free(p->a);
	ion_symtab_free(p->st);
	free(p);
}

/* Parse hand-made bytes that must yield exactly one value. */
#define ONE(p, ...)                                                                                \
	do {                                                                                       \
		static const uint8_t in_[] = { 0xE0, 0x01, 0x00, 0xEA, __VA_ARGS__ };              \
		p = parse_all(in_, sizeof in_);                                                    \
		if (p->rc)                                                                         \
			fail_msg("byte %zu: %s", p->err.offset, p->err.msg);                       \
		assert_int_equal(p->n, 1);                                                         \
	} while (0)

/* Parse hand-made bytes that must fail with code; returns the parse. */
#define BAD(p, code, ...)                                                                          \
	do {                                                                                       \
		static const uint8_t in_[] = { 0xE0, 0x01, 0x00, 0xEA, __VA_ARGS__ };              \
		p = parse_all(in_, sizeof in_);                                                    \
		assert_int_equal(p->rc, code);                                                     \
		assert_true(p->err.msg[0] != '\0');                                                \
		assert_true(p->err.offset < sizeof in_);                                           \
	} while (0)

static const uint8_t *mag_bytes(const struct ion_bigint *b)
{
	return b->mag;
}

/* ---- ion-tests ---------------------------------------------------------- */

static void test_every_good_binary_file_reads_to_the_end(void **state)
{
	(void)state;
	size_t n = list_10n("good");
	assert_true(n >= 87); /* 87 *.10n at ion-tests 7214346 */
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *d = read_file(g_list.paths[i], &len);
		assert_non_null(d);
		struct parsed *p = parse_all((const uint8_t *)d, len);
		if (p->rc != 0)
			fail_msg("%s: byte %zu: %s", g_list.paths[i], p->err.offset, p->err.msg);
		parsed_free(p);
		free(d);
	}
}

static bool is_not_binary_exception(const char *path)
{
	for (size_t k = 0; k < sizeof BAD_NOT_BINARY / sizeof BAD_NOT_BINARY[0]; k++) {
		size_t n = strlen(path), m = strlen(BAD_NOT_BINARY[k]);
		if (n >= m && strcmp(path + n - m, BAD_NOT_BINARY[k]) == 0)
			return true;
	}
	return false;
}

static void test_every_bad_binary_file_is_rejected(void **state)
{
	(void)state;
	size_t n = list_10n("bad"), rejected = 0, skipped = 0;
	assert_true(n >= 96); /* 96 *.10n at ion-tests 7214346 */
	for (size_t i = 0; i < n; i++) {
		if (is_not_binary_exception(g_list.paths[i])) {
			skipped++;
			continue;
		}
		size_t len;
		char *d = read_file(g_list.paths[i], &len);
		assert_non_null(d);
		struct parsed *p = parse_all((const uint8_t *)d, len);
		if (p->rc >= 0)
			fail_msg("%s: accepted (%zu values)", g_list.paths[i], p->n);
		assert_true(p->err.msg[0] != '\0');
		assert_true(p->err.offset <= len);
		assert_int_equal(p->err.code, p->rc);
		rejected++;
		parsed_free(p);
		free(d);
	}
	assert_int_equal(skipped, 1);
	assert_int_equal(rejected + skipped, n);
}

/* good/equivs/ *.10n: each top-level sequence holds values that are all
 * equivalent in the Ion data model, so their canonical trees are equal. */
static void test_binary_equivs_groups_compare_equal(void **state)
{
	(void)state;
	size_t n = list_10n("good/equivs"), groups = 0;
	assert_true(n >= 11);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *d = read_file(g_list.paths[i], &len);
		struct parsed *p = parse_all((const uint8_t *)d, len);
		assert_int_equal(p->rc, 0);
		assert_true(p->n > 0);
		for (size_t k = 0; k < p->n; k++) {
			const struct ion_value *g = p->v[k];
			assert_true(g->type == ION_TYPE_SEXP || g->type == ION_TYPE_LIST);
			assert_true(g->u.c.count >= 2);
			for (const struct ion_value *x = g->u.c.first_child; x->next; x = x->next)
				if (!ion_test_equal(x, x->next))
					fail_msg("%s: group %zu: elements differ", g_list.paths[i],
						 k);
			groups++;
		}
		parsed_free(p);
		free(d);
	}
	assert_true(groups >= 11);
}

/* good/item1.10n imports shared tables "iopc" (max_id 10) and "iopg"
 * (max_id 14267) that no catalog provides: their SIDs exist with unknown
 * text, and local symbols come after them. */
static void test_shared_table_import_gives_unknown_text_symbols(void **state)
{
	(void)state;
	size_t len;
	char *d = read_file(shared_path("vectors/ion-tests/iontestdata/good/item1.10n"), &len);
	assert_non_null(d);
	struct parsed *p = parse_all((const uint8_t *)d, len);
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->n, 1);
	assert_true(ion_symtab_max_id(p->st) >= 9 + 10 + 14267);
	/* SIDs 10..14286 come from the imports: unknown text */
	struct ion_symbol s;
	assert_int_equal(ion_symtab_lookup(p->st, 10, &s), 0);
	assert_null(s.text);
	assert_int_equal(ion_symtab_lookup(p->st, 14286, &s), 0);
	assert_null(s.text);
	const struct ion_value *v = p->v[0];
	assert_int_equal(v->type, ION_TYPE_STRUCT);
	size_t unknown = 0;
	for (const struct ion_value *f = v->u.c.first_child; f; f = f->next)
		unknown += f->field_name.text == NULL && f->field_name.sid >= 10;
	assert_true(unknown > 0);
	parsed_free(p);
	free(d);
}

/* ---- focused cases -------------------------------------------------- */

static void test_negative_zero_decimal_is_neg_with_len_0(void **state)
{
	(void)state;
	struct parsed *p;
	ONE(p, 0x52, 0x80, 0x80); /* exponent 0, coefficient -0: "-0." */
	assert_int_equal(p->v[0]->type, ION_TYPE_DECIMAL);
	assert_int_equal(p->v[0]->u.dec.exponent, 0);
	assert_true(p->v[0]->u.dec.coef.neg);
	assert_int_equal(p->v[0]->u.dec.coef.len, 0);
	parsed_free(p);
	ONE(p, 0x52, 0xC1, 0x80); /* -0.0 */
	assert_int_equal(p->v[0]->u.dec.exponent, -1);
	assert_true(p->v[0]->u.dec.coef.neg);
	assert_int_equal(p->v[0]->u.dec.coef.len, 0);
	parsed_free(p);
	ONE(p, 0x50); /* 0d0, positive */
	assert_false(p->v[0]->u.dec.coef.neg);
	assert_int_equal(p->v[0]->u.dec.exponent, 0);
	parsed_free(p);
	ONE(p, 0x53, 0xC2, 0x80, 0x00); /* 0.00 with a padded, negative zero */
	assert_true(p->v[0]->u.dec.coef.neg);
	assert_int_equal(p->v[0]->u.dec.coef.len, 0);
	parsed_free(p);
}

static void test_decimal_coefficient_is_sign_and_magnitude(void **state)
{
	(void)state;
	struct parsed *p;
	ONE(p, 0x53, 0xC3, 0x84, 0xD2); /* -1234 * 10^-3 */
	assert_int_equal(p->v[0]->u.dec.exponent, -3);
	assert_true(p->v[0]->u.dec.coef.neg);
	assert_int_equal(p->v[0]->u.dec.coef.len, 2);
	assert_memory_equal(mag_bytes(&p->v[0]->u.dec.coef), "\x04\xD2", 2);
	parsed_free(p);
	ONE(p, 0x54, 0x81, 0x00, 0x00, 0xFF); /* 255d1 with padding */
	assert_int_equal(p->v[0]->u.dec.exponent, 1);
	assert_false(p->v[0]->u.dec.coef.neg);
	assert_int_equal(p->v[0]->u.dec.coef.len, 1);
	assert_int_equal(p->v[0]->u.dec.coef.mag[0], 0xFF);
	parsed_free(p);
}

static void test_ints_are_minimal_magnitudes(void **state)
{
	(void)state;
	struct parsed *p;
	ONE(p, 0x23, 0x00, 0x00, 0x05);
	assert_int_equal(p->v[0]->type, ION_TYPE_INT);
	assert_false(p->v[0]->u.i.neg);
	assert_int_equal(p->v[0]->u.i.len, 1);
	assert_int_equal(p->v[0]->u.i.mag[0], 5);
	parsed_free(p);
	ONE(p, 0x20);
	assert_int_equal(p->v[0]->u.i.len, 0);
	assert_false(p->v[0]->u.i.neg);
	parsed_free(p);
	ONE(p, 0x38, 0x80, 0, 0, 0, 0, 0, 0, 0); /* INT64_MIN */
	int64_t x;
	assert_int_equal(ion_int_to_i64(&p->v[0]->u.i, &x), 0);
	assert_true(x == INT64_MIN);
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x32, 0x00, 0x00); /* negative zero, padded */
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x30);
	parsed_free(p);
}

static void test_float32_is_widened_to_double(void **state)
{
	(void)state;
	struct parsed *p;
	ONE(p, 0x44, 0x3D, 0xCC, 0xCC, 0xCD); /* 0.1f */
	assert_int_equal(p->v[0]->type, ION_TYPE_FLOAT);
	assert_true(p->v[0]->u.f == (double)0.1f);
	assert_true(p->v[0]->u.f != 0.1);
	parsed_free(p);
	ONE(p, 0x48, 0x3F, 0xB9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A); /* 0.1 */
	assert_true(p->v[0]->u.f == 0.1);
	parsed_free(p);
	ONE(p, 0x40);
	assert_true(p->v[0]->u.f == 0.0 && !signbit(p->v[0]->u.f));
	parsed_free(p);
	/* good/float32.10n: 0, -0, 4.2, -4.2, -inf, +inf, -max, max, nan */
	size_t len;
	char *d = read_file(shared_path("vectors/ion-tests/iontestdata/good/float32.10n"), &len);
	assert_non_null(d);
	p = parse_all((const uint8_t *)d, len);
	assert_int_equal(p->rc, 0);
	assert_int_equal(p->n, 9);
	assert_true(p->v[1]->u.f == 0.0 && signbit(p->v[1]->u.f));
	assert_true(p->v[2]->u.f == (double)4.2f);
	assert_true(isinf(p->v[4]->u.f) && p->v[4]->u.f < 0);
	assert_true(isnan(p->v[8]->u.f));
	assert_true(p->v[6]->u.f == -(double)3.40282346638528859811704183484516925440e+38f);
	assert_true(p->v[7]->u.f == (double)3.40282346638528859811704183484516925440e+38f);
	parsed_free(p);
	free(d);
}

static void test_timestamp_unknown_offset_c0(void **state)
{
	(void)state;
	struct parsed *p;
	/* 2000-01-01T00:00-00:00 */
	ONE(p, 0x67, 0xC0, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80);
	const struct ion_timestamp *t = &p->v[0]->u.ts;
	assert_int_equal(t->precision, ION_TS_MINUTE);
	assert_false(t->offset_known);
	assert_int_equal(t->year, 2000);
	parsed_free(p);
	/* same with +00:00: known offset 0 */
	ONE(p, 0x67, 0x80, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80);
	assert_true(p->v[0]->u.ts.offset_known);
	assert_int_equal(p->v[0]->u.ts.offset_min, 0);
	parsed_free(p);
}

static void test_timestamp_fields_offset_and_fraction(void **state)
{
	(void)state;
	struct parsed *p;
	/* 2011-02-20T19:30:59.100-08:00 stored as UTC 2011-02-21T03:30:59.100,
	 * offset -480 (VarInt 0x43 0xE0), fraction 100d-3 */
	ONE(p, 0x6B, 0x43, 0xE0, 0x0F, 0xDB, 0x82, 0x95, 0x83, 0x9E, 0xBB, 0xC3, 0x64);
	const struct ion_timestamp *t = &p->v[0]->u.ts;
	assert_int_equal(t->precision, ION_TS_FRACTION);
	assert_true(t->offset_known);
	assert_int_equal(t->offset_min, -480);
	assert_int_equal(t->year, 2011);
	assert_int_equal(t->month, 2);
	assert_int_equal(t->day, 21);
	assert_int_equal(t->hour, 3);
	assert_int_equal(t->minute, 30);
	assert_int_equal(t->second, 59);
	assert_int_equal(t->frac_exp, -3);
	assert_int_equal(t->frac_coef.len, 1);
	assert_int_equal(t->frac_coef.mag[0], 100);
	parsed_free(p);
	/* fraction 0d0: no fraction at all, precision second */
	ONE(p, 0x69, 0x80, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80, 0x80, 0x80);
	assert_int_equal(p->v[0]->u.ts.precision, ION_TS_SECOND);
	parsed_free(p);
	/* fraction 0d-2: precision fraction with coefficient zero */
	ONE(p, 0x69, 0x80, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80, 0x80, 0xC2);
	assert_int_equal(p->v[0]->u.ts.precision, ION_TS_FRACTION);
	assert_int_equal(p->v[0]->u.ts.frac_exp, -2);
	assert_int_equal(p->v[0]->u.ts.frac_coef.len, 0);
	parsed_free(p);
	/* 999d-3 is fine, 1000d-3 is not below 1 */
	ONE(p, 0x6B, 0x80, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80, 0x80, 0xC3, 0x03, 0xE7);
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x6B, 0x80, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80, 0x80, 0xC3, 0x03,
	    0xE8);
	parsed_free(p);
	/* 2000-02-29 is a leap day; 1900-02-29 is not */
	ONE(p, 0x65, 0x80, 0x0F, 0xD0, 0x82, 0x9D);
	assert_int_equal(p->v[0]->u.ts.precision, ION_TS_DAY);
	assert_false(p->v[0]->u.ts.offset_known);
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x65, 0x80, 0x0E, 0xEC, 0x82, 0x9D);
	parsed_free(p);
	/* UTC 0001-01-01T00:00 with offset -00:01 is local year 0: invalid */
	BAD(p, ION_ERR_SYNTAX, 0x66, 0xC1, 0x81, 0x81, 0x81, 0x80, 0x80);
	parsed_free(p);
	/* offsets must stay within +-23:59 */
	BAD(p, ION_ERR_SYNTAX, 0x68, 0x0B, 0xA0, 0x0F, 0xD0, 0x81, 0x81, 0x80, 0x80);
	parsed_free(p);
}

static void test_nop_pads_in_structs_are_skipped_with_their_field_name(void **state)
{
	(void)state;
	struct parsed *p;
	/* { $4: <2-byte pad>, $5: 1, $0: <1-byte pad> } */
	ONE(p, 0xD8, 0x84, 0x01, 0xFF, 0x85, 0x21, 0x01, 0x80, 0x00);
	const struct ion_value *v = p->v[0];
	assert_int_equal(v->type, ION_TYPE_STRUCT);
	assert_int_equal(v->u.c.count, 1);
	assert_true(ion_symbol_eq(&v->u.c.first_child->field_name, "version"));
	assert_null(v->u.c.first_child->next);
	parsed_free(p);
	/* a pad after a field name may use any SID, even an undefined one */
	ONE(p, 0xD2, 0xFF, 0x00);
	assert_int_equal(p->v[0]->u.c.count, 0);
	parsed_free(p);
	/* pads in lists and at top level vanish too */
	ONE(p, 0x00, 0xB4, 0x00, 0x21, 0x07, 0x00, 0x0E, 0x81, 0xAA);
	assert_int_equal(p->v[0]->u.c.count, 1);
	parsed_free(p);
}

static void test_sorted_struct_l1_has_a_varuint_length(void **state)
{
	(void)state;
	struct parsed *p;
	ONE(p, 0xD1, 0x86, 0x84, 0x21, 0x05, 0x85, 0x21, 0x06); /* {name:5, version:6} */
	const struct ion_value *v = p->v[0];
	assert_int_equal(v->type, ION_TYPE_STRUCT);
	assert_int_equal(v->u.c.count, 2);
	assert_true(ion_symbol_eq(&v->u.c.first_child->field_name, "name"));
	assert_true(ion_symbol_eq(&v->u.c.first_child->next->field_name, "version"));
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0xD1, 0x80); /* empty sorted struct */
	parsed_free(p);
}

static void test_annotation_wrapper_rules(void **state)
{
	(void)state;
	struct parsed *p;
	ONE(p, 0xE5, 0x82, 0x84, 0x85, 0x21, 0x01); /* name::version::1 */
	assert_int_equal(p->v[0]->n_annotations, 2);
	assert_true(ion_symbol_eq(&p->v[0]->annotations[0], "name"));
	assert_true(ion_symbol_eq(&p->v[0]->annotations[1], "version"));
	assert_int_equal(p->v[0]->type, ION_TYPE_INT);
	parsed_free(p);
	/* the wrapper says 5 bytes, its value ends after 4 */
	BAD(p, ION_ERR_SYNTAX, 0xE5, 0x81, 0x84, 0x21, 0x01, 0x0F);
	parsed_free(p);
	/* the wrapper says 3 bytes, its value needs 4 */
	BAD(p, ION_ERR_SYNTAX, 0xE3, 0x81, 0x84, 0x21, 0x01);
	parsed_free(p);
	/* annot_length runs past its wrapper */
	BAD(p, ION_ERR_SYNTAX, 0xE3, 0x83, 0x84, 0x21);
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0xE4, 0x81, 0x84, 0xE3, 0x81, 0x84); /* nested wrapper */
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0xE3, 0x81, 0x84, 0x00); /* wrapped NOP pad */
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0xE3, 0x80, 0x21, 0x01); /* no annotations */
	parsed_free(p);
}

static void test_sid_out_of_range_is_an_error(void **state)
{
	(void)state;
	struct parsed *p;
	BAD(p, ION_ERR_SYMBOL, 0x71, 0x0A);
	assert_string_equal(p->err.msg, "symbol $10 is not defined");
	assert_int_equal(p->err.offset, 4);
	parsed_free(p);
	BAD(p, ION_ERR_SYMBOL, 0xD2, 0x8A, 0x0F); /* field name $10 */
	parsed_free(p);
	BAD(p, ION_ERR_SYMBOL, 0x75, 0x01, 0x00, 0x00, 0x00, 0x00); /* SID > 32 bits */
	parsed_free(p);
	ONE(p, 0x70); /* $0: defined, unknown text */
	assert_null(p->v[0]->u.sym.text);
	assert_int_equal(p->v[0]->u.sym.sid, 0);
	parsed_free(p);
}

static void test_lst_append_and_replace(void **state)
{
	(void)state;
	static const uint8_t in[] = {
		0xE0, 0x01, 0x00, 0xEA,
		/* $ion_symbol_table::{symbols:["a"]} -> $10 = a */
		0xE7, 0x81, 0x83, 0xD4, 0x87, 0xB2, 0x81, 'a',
		/* $ion_symbol_table::{imports:$ion_symbol_table, symbols:["b"]} */
		0xEA, 0x81, 0x83, 0xD7, 0x86, 0x71, 0x03, 0x87, 0xB2, 0x81, 'b', 0x71, 0x0A, 0x71,
		0x0B, /* a b */
		/* a new table without the append import replaces: $10 = c */
		0xE7, 0x81, 0x83, 0xD4, 0x87, 0xB2, 0x81, 'c', 0x71, 0x0A,
		/* an IVM resets to the system table */
		0xE0, 0x01, 0x00, 0xEA, 0x71, 0x04, 0x71, 0x0A
	};
	/* check each value before the next call: a later table frees old text */
	static const char *const WANT[] = { "a", "b", "c", "name" };
	struct ion_arena *a = ion_arena_new();
	struct ion_symtab *st = ion_symtab_new();
	size_t pos = 0;
	struct ion_value *v;
	struct ion_error e;
	for (size_t k = 0; k < 4; k++) {
		assert_int_equal(ion_binary_next(in, sizeof in, &pos, true, a, st, &v, &e), 1);
		assert_true(ion_symbol_eq(&v->u.sym, WANT[k]));
	}
	/* $10 after the IVM is undefined again */
	assert_int_equal(ion_binary_next(in, sizeof in, &pos, true, a, st, &v, &e), ION_ERR_SYMBOL);
	assert_int_equal(e.offset, sizeof in - 2);
	ion_arena_free(a);
	ion_symtab_free(st);
}

static void test_version_markers_and_noop_symbols(void **state)
{
	(void)state;
	struct parsed *p;
	BAD(p, ION_ERR_UNSUPPORTED, 0xE0, 0x02, 0x00, 0xEA);
	assert_int_equal(p->err.offset, 4);
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0xB4, 0xE0, 0x01, 0x00, 0xEA); /* IVM in a list */
	parsed_free(p);
	/* unannotated top-level $ion_1_0 ($2) is a no-op; annotated it is data */
	ONE(p, 0x71, 0x02, 0xE4, 0x81, 0x84, 0x71, 0x02);
	assert_int_equal(p->v[0]->n_annotations, 1);
	assert_true(ion_symbol_eq(&p->v[0]->u.sym, "$ion_1_0"));
	parsed_free(p);
}

static void test_strings_must_be_utf8(void **state)
{
	(void)state;
	struct parsed *p;
	ONE(p, 0x8A, 'a', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80);
	assert_int_equal(p->v[0]->u.bytes.len, 10);
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x82, 0xC0, 0x80); /* overlong */
	assert_int_equal(p->err.offset, 5);
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x83, 0xED, 0xA0, 0x80); /* surrogate */
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x84, 0xF4, 0x90, 0x80, 0x80); /* > U+10FFFF */
	parsed_free(p);
	BAD(p, ION_ERR_SYNTAX, 0x82, 0xE2, 0x82); /* truncated sequence */
	parsed_free(p);
	ONE(p, 0x92, 0xFF, 0xFE); /* clobs are bytes */
	parsed_free(p);
}

static void test_depth_limit(void **state)
{
	(void)state;
	for (int n = ION_MAX_DEPTH; n <= ION_MAX_DEPTH + 1; n++) {
		/* n nested lists, lengths computed from the inside out */
		uint8_t body[1024];
		size_t bl = 1;
		body[0] = 0xB0;
		for (int i = 1; i < n; i++) {
			uint8_t hdr[4];
			size_t hl = 0;
			if (bl < 14) {
				hdr[hl++] = (uint8_t)(0xB0 | bl);
			} else {
				hdr[hl++] = 0xBE;
				if (bl >= 128)
					hdr[hl++] = (uint8_t)(bl >> 7);
				hdr[hl++] = (uint8_t)(0x80 | (bl & 0x7F));
			}
			memmove(body + hl, body, bl);
			memcpy(body, hdr, hl);
			bl += hl;
		}
		uint8_t full[1100];
		memcpy(full, "\xE0\x01\x00\xEA", 4);
		memcpy(full + 4, body, bl);
		struct parsed *p = parse_all(full, 4 + bl);
		if (n <= ION_MAX_DEPTH) {
			assert_int_equal(p->rc, 0);
			assert_int_equal(p->n, 1);
		} else {
			assert_int_equal(p->rc, ION_ERR_LIMIT);
		}
		parsed_free(p);
	}
}

/* Every prefix of a good file, parsed with at_eof=false, gives only
 * values of the full parse and then ION_NEED_MORE, never an error; with
 * at_eof=true a prefix that cuts a value is an error. */
static void check_prefixes(const char *rel)
{
	size_t len;
	char *d = read_file(shared_path(rel), &len);
	assert_non_null(d);
	struct parsed *full = parse_all((const uint8_t *)d, len);
	assert_int_equal(full->rc, 0);
	for (size_t k = 0; k <= len; k++) {
		struct ion_arena *a = ion_arena_new();
		struct ion_symtab *st = ion_symtab_new();
		size_t pos = 0, n = 0;
		int rc;
		struct ion_error e;
		struct ion_value *v;
		while ((rc = ion_binary_next((const uint8_t *)d, k, &pos, false, a, st, &v, &e)) ==
		       1) {
			assert_true(n < full->n);
			assert_true(ion_test_equal(v, full->v[n]));
			n++;
		}
		if (rc != ION_NEED_MORE)
			fail_msg("%s prefix %zu: rc %d (%s)", rel, k, rc, e.msg);
		assert_true(pos <= k);
		/* the same prefix as the whole input: a clean end, or an error
		 * because a value is cut */
		rc = ion_binary_next((const uint8_t *)d, k, &pos, true, a, st, &v, &e);
		if (pos == k)
			assert_int_equal(rc, 0);
		else
			assert_true(rc < 0);
		ion_arena_free(a);
		ion_symtab_free(st);
	}
	parsed_free(full);
	free(d);
}

static void test_truncated_input_returns_need_more(void **state)
{
	(void)state;
	check_prefixes("vectors/ion-tests/iontestdata/good/item1.10n");
	check_prefixes("vectors/ion-tests/iontestdata/good/typecodes/T13.10n");
	check_prefixes("vectors/ion-tests/iontestdata/good/typecodes/T0.10n");
	check_prefixes("vectors/ion-tests/iontestdata/good/equivs/timestampFractions.10n");
	/* a cut inside a value at end of input is an error naming its start */
	static const uint8_t in[] = { 0xE0, 0x01, 0x00, 0xEA, 0x21, 0x01, 0x83, 'a', 'b' };
	struct ion_arena *a = ion_arena_new();
	struct ion_symtab *st = ion_symtab_new();
	size_t pos = 0;
	struct ion_value *v;
	struct ion_error e;
	assert_int_equal(ion_binary_next(in, sizeof in, &pos, false, a, st, &v, &e), 1);
	assert_int_equal(pos, 6);
	assert_int_equal(ion_binary_next(in, sizeof in, &pos, false, a, st, &v, &e), ION_NEED_MORE);
	assert_int_equal(pos, 6);
	assert_int_equal(ion_binary_next(in, sizeof in, &pos, true, a, st, &v, &e), ION_ERR_SYNTAX);
	assert_int_equal(e.offset, 6);
	ion_arena_free(a);
	ion_symtab_free(st);
}

static void test_value_over_the_size_limit_is_rejected_early(void **state)
{
	(void)state;
	/* a string header claiming 65 MiB: rejected before its bytes arrive */
	static const uint8_t in[] = { 0xE0, 0x01, 0x00, 0xEA, 0x8E, 0x20, 0x20, 0x00, 0x80 };
	struct ion_arena *a = ion_arena_new();
	struct ion_symtab *st = ion_symtab_new();
	size_t pos = 0;
	struct ion_value *v;
	struct ion_error e;
	assert_int_equal(ion_binary_next(in, sizeof in, &pos, false, a, st, &v, &e), ION_ERR_LIMIT);
	assert_int_equal(e.offset, 4);
	ion_arena_free(a);
	ion_symtab_free(st);
}

/* A few bytes must not become gigabytes: a timestamp fraction exponent of
 * -1000001 is refused (its text would hold a million zeros; a fuzz finding
 * read back 10^-2^31), while -1000000 still reads. */
static void test_huge_fraction_exponent_is_a_limit(void **state)
{
	(void)state;
	/* IVM, timestamp: offset 0, 2026-01-01T00:00:00, exponent, coefficient 1 */
	static const uint8_t too_small[] = { 0xe0, 0x01, 0x00, 0xea, 0x6c, 0x80, 0x0f, 0xea, 0x81,
					     0x81, 0x80, 0x80, 0x80, 0x7d, 0x04, 0xc1, 0x01 };
	static const uint8_t at_limit[] = { 0xe0, 0x01, 0x00, 0xea, 0x6c, 0x80, 0x0f, 0xea, 0x81,
					    0x81, 0x80, 0x80, 0x80, 0x7d, 0x04, 0xc0, 0x01 };
	struct ion_arena *a = NULL;
	const struct ion_value *v;
	char why[200];
	assert_int_equal(
		ion_parse_one_alloc(too_small, sizeof too_small, NULL, &a, &v, why, sizeof why),
		-1);
	assert_non_null(strstr(why, "fraction exponent"));
	ion_arena_free(a);
	a = NULL;
	assert_int_equal(
		ion_parse_one_alloc(at_limit, sizeof at_limit, NULL, &a, &v, why, sizeof why), 0);
	assert_int_equal(v->type, ION_TYPE_TIMESTAMP);
	assert_int_equal(v->u.ts.frac_exp, -1000000);
	ion_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huge_fraction_exponent_is_a_limit),
		cmocka_unit_test(test_every_good_binary_file_reads_to_the_end),
		cmocka_unit_test(test_every_bad_binary_file_is_rejected),
		cmocka_unit_test(test_binary_equivs_groups_compare_equal),
		cmocka_unit_test(test_shared_table_import_gives_unknown_text_symbols),
		cmocka_unit_test(test_negative_zero_decimal_is_neg_with_len_0),
		cmocka_unit_test(test_decimal_coefficient_is_sign_and_magnitude),
		cmocka_unit_test(test_ints_are_minimal_magnitudes),
		cmocka_unit_test(test_float32_is_widened_to_double),
		cmocka_unit_test(test_timestamp_unknown_offset_c0),
		cmocka_unit_test(test_timestamp_fields_offset_and_fraction),
		cmocka_unit_test(test_nop_pads_in_structs_are_skipped_with_their_field_name),
		cmocka_unit_test(test_sorted_struct_l1_has_a_varuint_length),
		cmocka_unit_test(test_annotation_wrapper_rules),
		cmocka_unit_test(test_sid_out_of_range_is_an_error),
		cmocka_unit_test(test_lst_append_and_replace),
		cmocka_unit_test(test_version_markers_and_noop_symbols),
		cmocka_unit_test(test_strings_must_be_utf8),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_truncated_input_returns_need_more),
		cmocka_unit_test(test_value_over_the_size_limit_is_rejected_early),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	file_list_free(&g_list);
	return rc;
}
