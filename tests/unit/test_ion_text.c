/*
 * test_ion_text.c - the Ion 1.0 text parser (ion_text_next) against the
 * official ion-tests corpus (shared/vectors/ion-tests/iontestdata: every good
 * file parses, every bad file is rejected, also when fed one byte at a time)
 * and focused checks of the tricky rules, with expected values taken from
 * the Ion spec (amazon-ion/ion-docs) and shared/docs/ion.md §4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/lib/testutil.h"
#include "verify/buf.h"
#include "verify/ion_internal.h"

#define CORPUS "vectors/ion-tests/iontestdata"

/*
 * Good files this test does not parse, each with its reason. Every one of
 * them is covered elsewhere or fails outside the text parser.
 */
static const struct {
	const char *file;
	const char *reason;
} GOOD_EXCEPTIONS[] = {
	{ "good/utf16.ion", "UTF-16 input: transcoding to UTF-8 is the reader facade's job "
			    "(ion_reader.c), tested there" },
	{ "good/utf32.ion", "UTF-32 input: transcoding to UTF-8 is the reader facade's job "
			    "(ion_reader.c), tested there" },
};

static const char *good_exception(const char *rel)
{
	for (size_t i = 0; i < sizeof GOOD_EXCEPTIONS / sizeof GOOD_EXCEPTIONS[0]; i++)
		if (strcmp(rel, GOOD_EXCEPTIONS[i].file) == 0)
			return GOOD_EXCEPTIONS[i].reason;
	return NULL;
}

/* --- helpers ------------------------------------------------------------ */

struct parser {
	struct ion_arena *arena;
	struct ion_symtab *st;
	size_t pos;
	struct ion_error err;
};

static void parser_init(struct parser *p)
{
	p->arena = ion_arena_new();
	p->st = ion_symtab_new();
	assert_non_null(p->arena);
	assert_non_null(p->st);
	p->pos = 0;
	memset(&p->err, 0, sizeof p->err);
}

static void parser_fini(struct parser *p)
{
	ion_arena_free(p->arena);
	ion_symtab_free(p->st);
}

static int next(struct parser *p, const char *text, bool at_eof, struct ion_value **v)
{
	return ion_text_next((const uint8_t *)text, strlen(text), &p->pos, at_eof, p->arena, p->st,
			     v, &p->err);
}

/* Parse exactly one value from text (at end of input) and return it; the
 * parser stays open so the value remains valid. */
static struct ion_value *one(struct parser *p, const char *text)
{
	parser_init(p);
	struct ion_value *v = NULL;
	int rc = next(p, text, true, &v);
	if (rc != 1)
		fail_msg("'%s': rc %d (%s)", text, rc, p->err.msg);
	return v;
}

/* Expect text to be rejected (somewhere in its stream) with code. */
static void expect_error(const char *text, int code)
{
	struct parser p;
	parser_init(&p);
	struct ion_value *v;
	int rc;
	while ((rc = next(&p, text, true, &v)) == 1)
		ion_arena_reset(p.arena);
	if (rc != code)
		fail_msg("'%s': want %d, got %d (%s)", text, code, rc, p.err.msg);
	assert_true(p.err.msg[0] != '\0');
	assert_true(p.err.offset <= strlen(text));
	parser_fini(&p);
}

static void assert_mag(const struct ion_bigint *i, bool neg, const char *hex)
{
	size_t n = strlen(hex) / 2;
	assert_int_equal(i->neg, neg);
	assert_int_equal(i->len, n);
	for (size_t k = 0; k < n; k++) {
		char tmp[3] = { hex[2 * k], hex[2 * k + 1], 0 };
		assert_int_equal(i->mag[k], strtoul(tmp, NULL, 16));
	}
}

static void assert_bytes(const void *data, size_t len, const char *want, size_t want_len)
{
	assert_int_equal(len, want_len);
	if (len)
		assert_memory_equal(data, want, len);
}

static void assert_text(const void *data, size_t len, const char *want)
{
	assert_bytes(data, len, want, strlen(want));
}

/* A canonical dump of a value tree, to compare two parses of one input. */
static void dump_sym(struct buf *b, const struct ion_symbol *s)
{
	if (s->text) {
		buf_printf(b, "'%zu:", s->len);
		buf_append(b, s->text, s->len);
	} else {
		buf_printf(b, "$%u", s->sid);
	}
}

static void dump_bytes(struct buf *b, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%02x", p[i]);
}

static void dump(struct buf *b, const struct ion_value *v)
{
	for (size_t i = 0; i < v->n_annotations; i++) {
		dump_sym(b, &v->annotations[i]);
		buf_append_str(b, "::");
	}
	buf_printf(b, "<%d%s>", v->type, v->is_null ? "null" : "");
	if (v->is_null)
		return;
	const struct ion_timestamp *ts = &v->u.ts;
	switch (v->type) {
	case ION_TYPE_BOOL:
		buf_printf(b, "%d", v->u.b);
		break;
	case ION_TYPE_INT:
		buf_printf(b, "%c", v->u.i.neg ? '-' : '+');
		dump_bytes(b, v->u.i.mag, v->u.i.len);
		break;
	case ION_TYPE_FLOAT: {
		uint64_t bits;
		memcpy(&bits, &v->u.f, 8);
		buf_printf(b, "%016llx", (unsigned long long)bits);
		break;
	}
	case ION_TYPE_DECIMAL:
		buf_printf(b, "%c", v->u.dec.coef.neg ? '-' : '+');
		dump_bytes(b, v->u.dec.coef.mag, v->u.dec.coef.len);
		buf_printf(b, "d%lld", (long long)v->u.dec.exponent);
		break;
	case ION_TYPE_TIMESTAMP:
		buf_printf(b, "%d/%d/%d/%d-%d-%dT%d:%d:%d", ts->precision, ts->offset_known,
			   ts->offset_min, ts->year, ts->month, ts->day, ts->hour, ts->minute,
			   ts->second);
		if (ts->precision == ION_TS_FRACTION) {
			buf_printf(b, ".%d:", ts->frac_exp);
			dump_bytes(b, ts->frac_coef.mag, ts->frac_coef.len);
		}
		break;
	case ION_TYPE_SYMBOL:
		dump_sym(b, &v->u.sym);
		break;
	case ION_TYPE_STRING:
	case ION_TYPE_CLOB:
	case ION_TYPE_BLOB:
		dump_bytes(b, v->u.bytes.data, v->u.bytes.len);
		break;
	default:
		buf_printf(b, "[%zu", v->u.c.count);
		for (const struct ion_value *c = v->u.c.first_child; c; c = c->next) {
			buf_append_str(b, " ");
			if (v->type == ION_TYPE_STRUCT) {
				dump_sym(b, &c->field_name);
				buf_append_str(b, ":");
			}
			dump(b, c);
		}
		buf_append_str(b, "]");
	}
}

/*
 * Parse data with the buffer growing one byte per ION_NEED_MORE (at_eof only
 * once all bytes are in). Appends the dump of every value to out. Returns
 * the final status (0 at clean end, < 0 on error).
 */
static int parse_stream(const uint8_t *data, size_t n, bool bytewise, struct buf *out,
			struct ion_error *err)
{
	struct ion_arena *a = ion_arena_new();
	struct ion_symtab *st = ion_symtab_new();
	size_t pos = 0, avail = bytewise ? 0 : n;
	int rc;
	for (;;) {
		struct ion_value *v;
		ion_arena_reset(a);
		size_t before = pos;
		rc = ion_text_next(data, avail, &pos, avail == n, a, st, &v, err);
		if (rc == ION_NEED_MORE) {
			assert_true(avail < n);
			assert_true(pos >= before && pos <= avail);
			avail++;
			continue;
		}
		if (rc != 1)
			break;
		assert_true(pos > before && pos <= avail);
		dump(out, v);
		buf_append_str(out, "\n");
	}
	ion_arena_free(a);
	ion_symtab_free(st);
	return rc;
}

/* Walk dir (relative to the corpus) recursively calling fn on *.ion files. */
typedef void (*file_fn)(const char *rel, const uint8_t *data, size_t n, void *ctx);

static void walk(const char *rel, file_fn fn, void *ctx)
{
	char path[4096];
	snprintf(path, sizeof path, "%s", shared_path(CORPUS));
	size_t base = strlen(path);
	snprintf(path + base, sizeof path - base, "/%s", rel);
	DIR *d = opendir(path);
	if (!d)
		fail_msg("cannot open %s (set QLDBTOP_SHARED?)", path);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096], full[4096];
		snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
		snprintf(full, sizeof full, "%s/%s", path, e->d_name);
		struct stat sb;
		assert_int_equal(stat(full, &sb), 0);
		if (S_ISDIR(sb.st_mode)) {
			walk(sub, fn, ctx);
			continue;
		}
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 4, ".ion") != 0)
			continue;
		size_t n;
		char *data = read_file(full, &n);
		assert_non_null(data);
		fn(sub, (const uint8_t *)data, n, ctx);
		free(data);
	}
	closedir(d);
}

/* --- the corpus ---------------------------------------------------------- */

struct counts {
	int files, skipped;
};

static void good_whole(const char *rel, const uint8_t *data, size_t n, void *ctx)
{
	struct counts *k = ctx;
	if (good_exception(rel)) {
		k->skipped++;
		return;
	}
	struct buf out = { 0 };
	struct ion_error err = { 0 };
	int rc = parse_stream(data, n, false, &out, &err);
	if (rc != 0)
		fail_msg("%s: rc %d at byte %zu: %s", rel, rc, err.offset, err.msg);
	buf_free(&out);
	k->files++;
}

static void test_good_files_parse(void **state)
{
	(void)state;
	struct counts k = { 0 };
	walk("good", good_whole, &k);
	/* 202 *.ion files in good/ at ion-tests commit 7214346 */
	assert_int_equal(k.files + k.skipped, 202);
	assert_int_equal(k.skipped, (int)(sizeof GOOD_EXCEPTIONS / sizeof GOOD_EXCEPTIONS[0]));
	print_message("# %d good files parsed, %d listed exceptions\n", k.files, k.skipped);
}

static void good_bytewise(const char *rel, const uint8_t *data, size_t n, void *ctx)
{
	struct counts *k = ctx;
	if (good_exception(rel)) {
		k->skipped++;
		return;
	}
	struct buf whole = { 0 }, streamed = { 0 };
	struct ion_error err = { 0 };
	assert_int_equal(parse_stream(data, n, false, &whole, &err), 0);
	int rc = parse_stream(data, n, true, &streamed, &err);
	if (rc != 0)
		fail_msg("%s streamed: rc %d at byte %zu: %s", rel, rc, err.offset, err.msg);
	if (whole.len != streamed.len ||
	    (whole.len && memcmp(whole.data, streamed.data, whole.len) != 0))
		fail_msg("%s: streamed values differ from the whole-buffer parse", rel);
	buf_free(&whole);
	buf_free(&streamed);
	k->files++;
}

static void test_good_files_parse_the_same_fed_byte_by_byte(void **state)
{
	(void)state;
	struct counts k = { 0 };
	walk("good", good_bytewise, &k);
	assert_int_equal(k.files + k.skipped, 202);
}

static void bad_one(const char *rel, const uint8_t *data, size_t n, void *ctx)
{
	struct counts *k = ctx;
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		struct buf out = { 0 };
		struct ion_error err = { 0 };
		int rc = parse_stream(data, n, bytewise, &out, &err);
		if (rc >= 0 || rc == ION_NEED_MORE)
			fail_msg("%s%s: accepted (rc %d)", rel, bytewise ? " (bytewise)" : "", rc);
		assert_true(err.msg[0] != '\0');
		assert_true(err.offset <= n);
		assert_int_equal(err.line, 0);
		buf_free(&out);
	}
	k->files++;
}

static void test_bad_files_are_rejected(void **state)
{
	(void)state;
	struct counts k = { 0 };
	walk("bad", bad_one, &k);
	/* 400 *.ion files in bad/ at ion-tests commit 7214346; no exceptions */
	assert_int_equal(k.files, 400);
	print_message("# %d bad files rejected\n", k.files);
}

/* Every prefix of every good file, as complete input, must parse or fail
 * cleanly, and as a partial input must ask for more (this is also the
 * crash/overread check under ASan: each prefix is an exact-size copy). */
static void good_prefixes(const char *rel, const uint8_t *data, size_t n, void *ctx)
{
	(void)ctx;
	if (good_exception(rel) || n > 6000)
		return; /* the few large files add time, not coverage */
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *copy = malloc(cut + 1); /* exact size: ASan sees overreads */
		assert_non_null(copy);
		memcpy(copy, data, cut);
		struct buf out = { 0 };
		struct ion_error err = { 0 };
		int rc = parse_stream(copy, cut, false, &out, &err);
		assert_true(rc == 0 || (rc < 0 && rc != ION_NEED_MORE));
		buf_free(&out);
		/* the same prefix while more may come is never an error */
		struct ion_arena *a = ion_arena_new();
		struct ion_symtab *st = ion_symtab_new();
		size_t pos = 0;
		struct ion_value *v;
		while ((rc = ion_text_next(copy, cut, &pos, false, a, st, &v, &err)) == 1)
			ion_arena_reset(a);
		if (rc != ION_NEED_MORE)
			fail_msg("%s cut at %zu, more to come: rc %d (%s)", rel, cut, rc, err.msg);
		ion_arena_free(a);
		ion_symtab_free(st);
		free(copy);
	}
}

static void test_truncated_good_files_fail_cleanly(void **state)
{
	(void)state;
	walk("good", good_prefixes, NULL);
}

/* --- focused rules ------------------------------------------------------- */

static void test_negative_zero_decimal(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "-0.0");
	assert_int_equal(v->type, ION_TYPE_DECIMAL);
	assert_true(v->u.dec.coef.neg);
	assert_int_equal(v->u.dec.coef.len, 0);
	assert_int_equal(v->u.dec.exponent, -1);
	parser_fini(&p);

	v = one(&p, "-0d0");
	assert_true(v->u.dec.coef.neg);
	assert_int_equal(v->u.dec.exponent, 0);
	parser_fini(&p);

	v = one(&p, "-0.");
	assert_int_equal(v->type, ION_TYPE_DECIMAL);
	assert_true(v->u.dec.coef.neg);
	parser_fini(&p);

	v = one(&p, "0.00");
	assert_false(v->u.dec.coef.neg);
	assert_int_equal(v->u.dec.exponent, -2);
	parser_fini(&p);

	/* but -0 as an int is plain zero */
	v = one(&p, "-0");
	assert_int_equal(v->type, ION_TYPE_INT);
	assert_mag(&v->u.i, false, "");
	parser_fini(&p);
}

static void test_decimals_keep_precision_and_exponent(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "1234.50");
	assert_mag(&v->u.dec.coef, false, "01e23a"); /* 123450 */
	assert_int_equal(v->u.dec.exponent, -2);
	parser_fini(&p);

	v = one(&p, "-0.12d4");
	assert_mag(&v->u.dec.coef, true, "0c");
	assert_int_equal(v->u.dec.exponent, 2);
	parser_fini(&p);

	v = one(&p, "5D300");
	assert_mag(&v->u.dec.coef, false, "05");
	assert_int_equal(v->u.dec.exponent, 300);
	parser_fini(&p);

	/* a 24-digit coefficient goes through the bigint path */
	v = one(&p, "1_234_567_890.12345678901234d-3");
	/* 123456789012345678901234 = 0x1a249b1f10a06c96aff2 */
	assert_mag(&v->u.dec.coef, false, "1a249b1f10a06c96aff2");
	assert_int_equal(v->u.dec.exponent, -17);
	parser_fini(&p);
}

static void test_floats(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "1_0.0_5e1");
	assert_int_equal(v->type, ION_TYPE_FLOAT);
	assert_true(v->u.f == 100.5);
	parser_fini(&p);

	v = one(&p, "-0e0");
	assert_true(v->u.f == 0 && signbit(v->u.f));
	parser_fini(&p);

	/* 2^53 + 1 rounds to even: 9007199254740992 */
	v = one(&p, "9007199254740993e0");
	assert_true(v->u.f == 9007199254740992.0);
	parser_fini(&p);

	v = one(&p, "[nan, +inf, -inf, 1.e2]");
	const struct ion_value *c = v->u.c.first_child;
	assert_true(isnan(c->u.f));
	assert_true(isinf(c->next->u.f) && c->next->u.f > 0);
	assert_true(isinf(c->next->next->u.f) && c->next->next->u.f < 0);
	assert_true(c->next->next->next->u.f == 100.0);
	parser_fini(&p);

	expect_error("1e", ION_ERR_SYNTAX);
	expect_error("1e1_0", ION_ERR_SYNTAX);
}

static void test_radix_ints_with_underscores(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "0xFA_CE");
	assert_mag(&v->u.i, false, "face");
	parser_fini(&p);

	v = one(&p, "-0b1010_1010");
	assert_mag(&v->u.i, true, "aa");
	parser_fini(&p);

	v = one(&p, "0B0000_0001_0000_0000");
	assert_mag(&v->u.i, false, "0100");
	parser_fini(&p);

	v = one(&p, "1_000_000");
	assert_mag(&v->u.i, false, "0f4240");
	parser_fini(&p);

	v = one(&p, "-0x0");
	assert_mag(&v->u.i, false, "");
	parser_fini(&p);

	expect_error("0x_1", ION_ERR_SYNTAX);
	expect_error("0x1__2", ION_ERR_SYNTAX);
	expect_error("0x1_", ION_ERR_SYNTAX);
	expect_error("0_x1", ION_ERR_SYNTAX);
	expect_error("-_1", ION_ERR_SYNTAX);
	expect_error("1__0", ION_ERR_SYNTAX);
	expect_error("007", ION_ERR_SYNTAX);
	expect_error("+1", ION_ERR_SYNTAX);
	expect_error("0b2", ION_ERR_SYNTAX);
}

static void test_int_of_512_bytes(void **state)
{
	(void)state;
	/* 0x followed by 1024 hex digits: a 512-byte magnitude */
	char text[2 + 1024 + 1];
	memcpy(text, "0x", 2);
	for (int i = 0; i < 1024; i++)
		text[2 + i] = "89abcdef"[i % 8];
	text[1026] = 0;
	struct parser p;
	struct ion_value *v = one(&p, text);
	assert_int_equal(v->u.i.len, 512);
	static const uint8_t PATTERN[] = { 0x89, 0xab, 0xcd, 0xef };
	for (int i = 0; i < 512; i++)
		assert_int_equal(v->u.i.mag[i], PATTERN[i % 4]);
	parser_fini(&p);

	/* 2^64 and 10^40 in decimal (values from Python) */
	v = one(&p, "-18446744073709551616");
	assert_mag(&v->u.i, true, "010000000000000000");
	parser_fini(&p);
	v = one(&p, "10000000000000000000000000000000000000000");
	assert_mag(&v->u.i, false, "1d6329f1c35ca4bfabb9f5610000000000");
	parser_fini(&p);
	/* 19 digits: still the fast path, 0x8ac7230489e7ffff */
	v = one(&p, "9999999999999999999");
	assert_mag(&v->u.i, false, "8ac7230489e7ffff");
	parser_fini(&p);
}

static void test_timestamp_unknown_offset_vs_z(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "2007-02-23T12:14-00:00");
	const struct ion_timestamp *ts = &v->u.ts;
	assert_int_equal(ts->precision, ION_TS_MINUTE);
	assert_false(ts->offset_known);
	assert_int_equal(ts->offset_min, 0);
	assert_int_equal(ts->hour, 12);
	assert_int_equal(ts->minute, 14);
	parser_fini(&p);

	v = one(&p, "2007-02-23T12:14Z");
	assert_true(v->u.ts.offset_known);
	assert_int_equal(v->u.ts.offset_min, 0);
	parser_fini(&p);

	v = one(&p, "2007-02-23T12:14+00:00");
	assert_true(v->u.ts.offset_known);
	parser_fini(&p);
}

static void test_timestamp_offset_rolls_over_year(void **state)
{
	(void)state;
	struct parser p;
	/* local 2000-01-01T00:30+01:00 is 1999-12-31T23:30 UTC */
	struct ion_value *v = one(&p, "2000-01-01T00:30:15+01:00");
	const struct ion_timestamp *ts = &v->u.ts;
	assert_int_equal(ts->precision, ION_TS_SECOND);
	assert_int_equal(ts->offset_min, 60);
	assert_int_equal(ts->year, 1999);
	assert_int_equal(ts->month, 12);
	assert_int_equal(ts->day, 31);
	assert_int_equal(ts->hour, 23);
	assert_int_equal(ts->minute, 30);
	assert_int_equal(ts->second, 15);
	parser_fini(&p);

	/* the other way, onto a leap day */
	v = one(&p, "2000-02-28T23:00-02:00");
	ts = &v->u.ts;
	assert_int_equal(ts->offset_min, -120);
	assert_int_equal(ts->month, 2);
	assert_int_equal(ts->day, 29);
	assert_int_equal(ts->hour, 1);
	parser_fini(&p);
}

static void test_timestamp_precisions_and_fractions(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int precision;
	} CASES[] = {
		{ "2007T", ION_TS_YEAR },
		{ "2007-02T", ION_TS_MONTH },
		{ "2007-02-23", ION_TS_DAY },
		{ "2007-02-23T", ION_TS_DAY },
		{ "2007-02-23T12:14Z", ION_TS_MINUTE },
		{ "2007-02-23T12:14:33Z", ION_TS_SECOND },
		{ "2007-02-23T12:14:33.5Z", ION_TS_FRACTION },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct parser p;
		struct ion_value *v = one(&p, CASES[i].text);
		assert_int_equal(v->type, ION_TYPE_TIMESTAMP);
		assert_int_equal(v->u.ts.precision, CASES[i].precision);
		if (CASES[i].precision <= ION_TS_DAY)
			assert_false(v->u.ts.offset_known);
		parser_fini(&p);
	}
	struct parser p;
	struct ion_value *v = one(&p, "2007-02-23T12:14:33.0790-08:00");
	assert_int_equal(v->u.ts.frac_exp, -4);
	assert_mag(&v->u.ts.frac_coef, false, "0316"); /* 790 */
	assert_int_equal(v->u.ts.hour, 20);
	parser_fini(&p);
	v = one(&p, "2007-02-23T12:14:33.000Z");
	assert_int_equal(v->u.ts.frac_exp, -3);
	assert_int_equal(v->u.ts.frac_coef.len, 0);
	parser_fini(&p);

	expect_error("2007-02-23T12:14", ION_ERR_SYNTAX); /* minute needs an offset */
	expect_error("2007-02", ION_ERR_SYNTAX);
	expect_error("2007-04-31", ION_ERR_SYNTAX);
	expect_error("2100-02-29", ION_ERR_SYNTAX);
	expect_error("2007-02-23T12:14+24:00", ION_ERR_SYNTAX);
	expect_error("2007-02-23T12:14:33.Z", ION_ERR_SYNTAX);
	expect_error("0001-01-01T00:00+00:01", ION_ERR_SYNTAX); /* year 0 in UTC */
	struct parser q;
	parser_init(&q);
	struct ion_value *w;
	assert_int_equal(next(&q, "2007-04-31", true, &w), ION_ERR_SYNTAX);
	assert_non_null(strstr(q.err.msg, "day 31 out of range for month 4"));
	assert_int_equal(q.err.offset, 8);
	parser_fini(&q);
}

static void test_long_strings_join_across_comments(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "'''foo''' /* c */ // d\n '''bar'''\n'''!'''");
	assert_int_equal(v->type, ION_TYPE_STRING);
	assert_text(v->u.bytes.data, v->u.bytes.len, "foobar!");
	parser_fini(&p);

	v = one(&p, "{'''a''' '''b''': 1, c: '''x''' /**/ '''y'''}");
	const struct ion_value *f = v->u.c.first_child;
	assert_text(f->field_name.text, f->field_name.len, "ab");
	assert_text(f->next->u.bytes.data, f->next->u.bytes.len, "xy");
	parser_fini(&p);

	v = one(&p, "('''a''' '''b''' \"c\" '''d''')");
	assert_int_equal(v->u.c.count, 3);
	parser_fini(&p);

	/* a quoted symbol after a long string is not joined */
	parser_init(&p);
	const char *text = "'''a''' '' 'b'";
	assert_int_equal(next(&p, text, true, &v), 1);
	assert_int_equal(v->type, ION_TYPE_STRING);
	assert_int_equal(next(&p, text, true, &v), 1);
	assert_int_equal(v->type, ION_TYPE_SYMBOL);
	assert_int_equal(v->u.sym.len, 0);
	parser_fini(&p);
}

static void test_newlines_normalise_in_long_strings_and_clobs(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "'''a\r\nb\rc\nd'''");
	assert_text(v->u.bytes.data, v->u.bytes.len, "a\nb\nc\nd");
	parser_fini(&p);
	v = one(&p, "{{'''a\r\nb''' '''\r'''}}");
	assert_int_equal(v->type, ION_TYPE_CLOB);
	assert_text(v->u.bytes.data, v->u.bytes.len, "a\nb\n");
	parser_fini(&p);
	v = one(&p, "\"a\\\r\nb\"");
	assert_text(v->u.bytes.data, v->u.bytes.len, "ab");
	parser_fini(&p);
	expect_error("\"a\nb\"", ION_ERR_SYNTAX);
}

static void test_sexp_operators(void **state)
{
	(void)state;
	static const char *const WANT[] = { "a", "==", "b", "&&", "c", "==", "d" };
	struct parser p;
	struct ion_value *v = one(&p, "(a==b&&c==d)");
	assert_int_equal(v->type, ION_TYPE_SEXP);
	assert_int_equal(v->u.c.count, 7);
	const struct ion_value *c = v->u.c.first_child;
	for (int i = 0; i < 7; i++, c = c->next) {
		assert_int_equal(c->type, ION_TYPE_SYMBOL);
		assert_text(c->u.sym.text, c->u.sym.len, WANT[i]);
	}
	parser_fini(&p);

	/* comments end an operator run; -1 and -inf are numbers */
	v = one(&p, "(x+/*c*/-//d\ny -1 -inf - 'q'::+)");
	assert_int_equal(v->u.c.count, 8);
	c = v->u.c.first_child->next;
	assert_text(c->u.sym.text, c->u.sym.len, "+");
	c = c->next;
	assert_text(c->u.sym.text, c->u.sym.len, "-");
	c = c->next->next;
	assert_int_equal(c->type, ION_TYPE_INT);
	assert_int_equal(c->next->type, ION_TYPE_FLOAT);
	c = c->next->next->next;
	assert_int_equal(c->n_annotations, 1);
	parser_fini(&p);

	expect_error("(a,b)", ION_ERR_SYNTAX);
	expect_error("[a==b]", ION_ERR_SYNTAX);
	expect_error("(+::a)", ION_ERR_SYNTAX);
}

static void test_sid_literals_resolve_after_lst(void **state)
{
	(void)state;
	const char *text = "$ion_symbol_table::{symbols:[\"foo\", 7, \"bar\"]}\n"
			   "$10 $11 $12 $0 $4\n"
			   "$ion_symbol_table::{imports:$ion_symbol_table, symbols:[\"baz\"]}\n"
			   "$13 $10\n"
			   "$ion_1_0 $10";
	struct parser p;
	parser_init(&p);
	struct ion_value *v;
	static const char *const WANT[] = { "foo", NULL, "bar", NULL, "name", "baz", "foo" };
	static const uint32_t SIDS[] = { 10, 11, 12, 0, 4, 13, 10 };
	for (int i = 0; i < 7; i++) {
		ion_arena_reset(p.arena);
		assert_int_equal(next(&p, text, true, &v), 1);
		assert_int_equal(v->type, ION_TYPE_SYMBOL);
		assert_int_equal(v->u.sym.sid, SIDS[i]);
		if (WANT[i])
			assert_text(v->u.sym.text, v->u.sym.len, WANT[i]);
		else
			assert_null(v->u.sym.text);
	}
	/* after the version marker the table is the system table again */
	assert_int_equal(next(&p, text, true, &v), ION_ERR_SYMBOL);
	assert_int_equal(p.err.offset, strlen(text) - 3);
	parser_fini(&p);
}

static void test_system_values_at_top_level(void **state)
{
	(void)state;
	struct parser p;
	parser_init(&p);
	struct ion_value *v;
	/* quoted '$ion_1_0' and $2 are no-ops; annotated ones are user values */
	const char *text = "'$ion_1_0' $2 a::$ion_1_0 ['$ion_1_0', $ion_1_0] $ion_1_0";
	assert_int_equal(next(&p, text, true, &v), 1);
	assert_int_equal(v->n_annotations, 1);
	assert_int_equal(next(&p, text, true, &v), 1);
	assert_int_equal(v->type, ION_TYPE_LIST);
	assert_int_equal(next(&p, text, true, &v), 0);
	parser_fini(&p);

	expect_error("$ion_1_1", ION_ERR_UNSUPPORTED);
	expect_error("$ion_2_0", ION_ERR_UNSUPPORTED);
	expect_error("$99", ION_ERR_SYMBOL);

	/* $ion_1_1 inside a container or annotated is an ordinary symbol */
	v = one(&p, "[$ion_1_1]");
	assert_int_equal(v->u.c.count, 1);
	parser_fini(&p);
}

static void test_need_more_then_complete(void **state)
{
	(void)state;
	struct parser p;
	parser_init(&p);
	struct ion_value *v;
	const char *full = "$ion_1_0 {a: 1, b: \"x\"} 123";
	char part[64];
	/* cut inside the struct: the version marker is committed, not the struct */
	snprintf(part, sizeof part, "%.*s", 17, full);
	assert_int_equal(next(&p, part, false, &v), ION_NEED_MORE);
	assert_int_equal(p.pos, 9);
	assert_int_equal(next(&p, full, false, &v), 1);
	assert_int_equal(v->type, ION_TYPE_STRUCT);
	assert_int_equal(v->u.c.count, 2);
	/* 123 touches the end: it might go on (1234...) */
	assert_int_equal(next(&p, full, false, &v), ION_NEED_MORE);
	assert_int_equal(next(&p, full, true, &v), 1);
	assert_mag(&v->u.i, false, "7b");
	assert_int_equal(next(&p, full, true, &v), 0);
	parser_fini(&p);

	/* a symbol at the end might be an annotation ("a::b") */
	parser_init(&p);
	assert_int_equal(next(&p, "abc ", false, &v), ION_NEED_MORE);
	assert_int_equal(next(&p, "abc ::d", false, &v), ION_NEED_MORE);
	assert_int_equal(next(&p, "abc ::d []", false, &v), 1);
	assert_int_equal(v->n_annotations, 1);
	parser_fini(&p);

	/* at end of input, truncation is a syntax error naming the construct */
	parser_init(&p);
	assert_int_equal(next(&p, "  {a:1", true, &v), ION_ERR_SYNTAX);
	assert_int_equal(p.err.offset, 2);
	assert_non_null(strstr(p.err.msg, "struct"));
	parser_fini(&p);
	expect_error("\"abc", ION_ERR_SYNTAX);
	expect_error("{{aGVsbG8=", ION_ERR_SYNTAX);
	expect_error("/* never closed", ION_ERR_SYNTAX);
}

static void test_strings_escapes_and_zero_copy(void **state)
{
	(void)state;
	struct parser p;
	const char *text = "\"plain text\"";
	parser_init(&p);
	struct ion_value *v;
	assert_int_equal(next(&p, text, true, &v), 1);
	assert_ptr_equal(v->u.bytes.data, (const uint8_t *)text + 1); /* no copy */
	parser_fini(&p);

	v = one(&p, "\"\\u00e9\\U0001F600\\xe9\\0\\ud83d\\ude00\\t\\/\"");
	static const char WANT[] = "\xc3\xa9\xf0\x9f\x98\x80\xc3\xa9\0\xf0\x9f\x98\x80\t/";
	assert_bytes(v->u.bytes.data, v->u.bytes.len, WANT, sizeof WANT - 1);
	parser_fini(&p);

	v = one(&p, "'it''s'");
	assert_int_equal(v->type, ION_TYPE_SYMBOL);
	assert_text(v->u.sym.text, v->u.sym.len, "it");
	parser_fini(&p);

	expect_error("\"\\ud800\"", ION_ERR_SYNTAX);	      /* lone high surrogate */
	expect_error("\"\\udc00\"", ION_ERR_SYNTAX);	      /* lone low surrogate */
	expect_error("\"\\U00110000\"", ION_ERR_SYNTAX);      /* beyond U+10FFFF */
	expect_error("\"\\q\"", ION_ERR_SYNTAX);	      /* unknown escape */
	expect_error("\"\xc0\xaf\"", ION_ERR_SYNTAX);	      /* overlong */
	expect_error("\"\xed\xa0\x80\"", ION_ERR_SYNTAX);     /* encoded surrogate */
	expect_error("\"\xf4\x90\x80\x80\"", ION_ERR_SYNTAX); /* beyond U+10FFFF */
	expect_error("\"\x01\"", ION_ERR_SYNTAX);	      /* raw control character */
	expect_error("abc \xc3\xa9", ION_ERR_SYNTAX);	      /* non-ASCII outside text */
}

static void test_blobs_and_clobs(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "{{ aGVs bG8= }}");
	assert_int_equal(v->type, ION_TYPE_BLOB);
	assert_text(v->u.bytes.data, v->u.bytes.len, "hello");
	parser_fini(&p);

	v = one(&p, "{{YQ==}}");
	assert_text(v->u.bytes.data, v->u.bytes.len, "a");
	parser_fini(&p);
	v = one(&p, "{{YWI=}}");
	assert_text(v->u.bytes.data, v->u.bytes.len, "ab");
	parser_fini(&p);

	v = one(&p, "{{}}");
	assert_int_equal(v->type, ION_TYPE_BLOB);
	assert_int_equal(v->u.bytes.len, 0);
	parser_fini(&p);

	v = one(&p, "{{ \"a\\x00\\xff\\\"\" }}");
	assert_int_equal(v->type, ION_TYPE_CLOB);
	assert_bytes(v->u.bytes.data, v->u.bytes.len, "a\0\xff\"", 4);
	parser_fini(&p);

	expect_error("{{aGVsbG8}}", ION_ERR_SYNTAX); /* bad padding */
	expect_error("{{aGVsbG8==}}", ION_ERR_SYNTAX);
	expect_error("{{aGVsbG9=}}", ION_ERR_SYNTAX); /* nonzero bits dropped by '=' */
	expect_error("{{YR==}}", ION_ERR_SYNTAX);
	expect_error("{{ YR== }}", ION_ERR_SYNTAX); /* same, general path */
	expect_error("{{YQ===}}", ION_ERR_SYNTAX);
	expect_error("{{Y===}}", ION_ERR_SYNTAX);
	expect_error("{{=}}", ION_ERR_SYNTAX);
	expect_error("{{\"\\u0041\"}}", ION_ERR_SYNTAX);  /* no \u in clobs */
	expect_error("{{\"\xc3\xa9\"}}", ION_ERR_SYNTAX); /* ASCII only */
	expect_error("{{ /**/ \"a\"}}", ION_ERR_SYNTAX);  /* no comments */
	expect_error("{{\"a\" \"b\"}}", ION_ERR_SYNTAX);
}

static void test_typed_nulls_and_keywords(void **state)
{
	(void)state;
	const char *text = "[null, null.null, null.bool, null.int, null.float, null.decimal, "
			   "null.timestamp, null.symbol, null.string, null.clob, null.blob, "
			   "null.list, null.sexp, null.struct, true, false, 'null'::'true']";
	static const int TYPES[] = { 0, 0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 };
	struct parser p;
	struct ion_value *v = one(&p, text);
	assert_int_equal(v->u.c.count, 17);
	const struct ion_value *c = v->u.c.first_child;
	for (int i = 0; i < 14; i++, c = c->next) {
		assert_true(c->is_null);
		assert_int_equal(c->type, TYPES[i]);
	}
	assert_true(c->u.b);
	assert_false(c->next->u.b);
	c = c->next->next;
	assert_int_equal(c->type, ION_TYPE_SYMBOL);
	assert_text(c->annotations[0].text, c->annotations[0].len, "null");
	parser_fini(&p);

	expect_error("null.foo", ION_ERR_SYNTAX);
	expect_error("null.", ION_ERR_SYNTAX);
	expect_error("null::a", ION_ERR_SYNTAX);
	expect_error("{true: 1}", ION_ERR_SYNTAX);
	expect_error("a.b", ION_ERR_SYNTAX);
}

static void test_commas_and_annotations(void **state)
{
	(void)state;
	struct parser p;
	struct ion_value *v = one(&p, "{a: 1, b: x :: /**/ y::[2,],}");
	assert_int_equal(v->u.c.count, 2);
	const struct ion_value *b = v->u.c.first_child->next;
	assert_int_equal(b->n_annotations, 2);
	assert_text(b->annotations[1].text, b->annotations[1].len, "y");
	assert_int_equal(b->u.c.count, 1);
	parser_fini(&p);

	expect_error("[,]", ION_ERR_SYNTAX);
	expect_error("[1,,2]", ION_ERR_SYNTAX);
	expect_error("{,a:1}", ION_ERR_SYNTAX);
	expect_error("[a::]", ION_ERR_SYNTAX);
	expect_error("a : : b", ION_ERR_SYNTAX);
	expect_error("\"s\"::a", ION_ERR_SYNTAX);
}

static void test_limits(void **state)
{
	(void)state;
	char deep[2 * ION_MAX_DEPTH + 8];
	int n = ION_MAX_DEPTH;
	memset(deep, '[', (size_t)n);
	memset(deep + n, ']', (size_t)n);
	deep[2 * n] = 0;
	struct parser p;
	struct ion_value *v = one(&p, deep); /* exactly the limit is fine */
	assert_int_equal(v->type, ION_TYPE_LIST);
	parser_fini(&p);
	n = ION_MAX_DEPTH + 1;
	memset(deep, '[', (size_t)n);
	memset(deep + n, ']', (size_t)n);
	deep[2 * n] = 0;
	expect_error(deep, ION_ERR_LIMIT);

	struct buf b = { 0 };
	for (int i = 0; i < ION_MAX_ANNOTATIONS + 1; i++)
		buf_append_str(&b, "a::");
	buf_append_str(&b, "1");
	buf_append_byte(&b, 0);
	expect_error((const char *)b.data, ION_ERR_LIMIT);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_files_parse),
		cmocka_unit_test(test_good_files_parse_the_same_fed_byte_by_byte),
		cmocka_unit_test(test_bad_files_are_rejected),
		cmocka_unit_test(test_truncated_good_files_fail_cleanly),
		cmocka_unit_test(test_negative_zero_decimal),
		cmocka_unit_test(test_decimals_keep_precision_and_exponent),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_radix_ints_with_underscores),
		cmocka_unit_test(test_int_of_512_bytes),
		cmocka_unit_test(test_timestamp_unknown_offset_vs_z),
		cmocka_unit_test(test_timestamp_offset_rolls_over_year),
		cmocka_unit_test(test_timestamp_precisions_and_fractions),
		cmocka_unit_test(test_long_strings_join_across_comments),
		cmocka_unit_test(test_newlines_normalise_in_long_strings_and_clobs),
		cmocka_unit_test(test_sexp_operators),
		cmocka_unit_test(test_sid_literals_resolve_after_lst),
		cmocka_unit_test(test_system_values_at_top_level),
		cmocka_unit_test(test_need_more_then_complete),
		cmocka_unit_test(test_strings_escapes_and_zero_copy),
		cmocka_unit_test(test_blobs_and_clobs),
		cmocka_unit_test(test_typed_nulls_and_keywords),
		cmocka_unit_test(test_commas_and_annotations),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
