/*
 * ion_gen.c - a seeded random Ion 1.0 TEXT generator for cross-checks
 * (oracle comparison, round trips) and fuzz seeds. Deterministic for a
 * seed: its own PRNG (splitmix64), no libc rand, no locale-dependent
 * formatting except %.17g-style digits that are locale-proof ("C" is set).
 *
 * usage: ion_gen [--seed S] [--count N] [--oracle-safe] [--max-depth D]
 *                [--index FILE] [OUT|-]
 *
 * It writes N top-level user values covering every type: typed nulls,
 * bools, ints (small, negative, hundreds of digits, hex), floats (nan,
 * +-inf, -0e0, subnormals, 17-digit values), decimals (precision, d
 * exponents, negative zero), timestamps at every precision with Z, offsets
 * and -00:00 (leap days, offsets that roll the date), strings with escapes,
 * \u / \U and raw UTF-8 (BMP and astral), long strings, symbols (bare,
 * quoted, system SIDs), clobs, blobs, lists, sexps with operators, structs
 * (duplicate and quoted names, trailing commas), annotations, comments,
 * local symbol tables with $10.. references, and deep nesting up to
 * --max-depth (default 20, well below ION_MAX_DEPTH).
 *
 * --oracle-safe leaves out the forms where the reference oracle
 * (ion-js 5.2.1 + ion-hash-js 2.1.0) is known to be wrong or to reject
 * valid Ion (shared/docs/ion.md §2.3): digit underscores, 0b binary ints,
 * $0 (SID 0), long-string concatenation across comments, raw CR / CRLF
 * inside long strings and clobs. (NaN payloads cannot be written in text
 * at all.) Found while building this check, also left out there:
 * timestamp fractions of all zeros (ion-js hashes 50.0000 as second 49)
 * and a long-string piece starting with '' after another piece (ion-js
 * drops the piece), an empty long-string piece between others, and a
 * fraction on second 59 (ion-js hashes 59.99999Z as the next minute),
 * comments between sexp elements (two long strings there join across
 * them), and decimal exponents beyond 2^27 (ion-js reads binary VarInts of
 * at most 4 bytes). Without the flag every form
 * is used, for our own round trips.
 *
 * --index FILE writes "START END" byte offsets of every user value, one
 * line per value, so a mismatch at value i can be shown as text.
 */
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_DEFAULT_COUNT 10000
#define GEN_DEFAULT_DEPTH 20
#define GEN_MAX_DEPTH 90       /* stays below ION_MAX_DEPTH (100) */
#define GEN_MAX_BIG_DIGITS 400 /* "hundreds of digits" for big ints */
#define GEN_MAX_CHILDREN 8     /* per container, except the long ones */
#define GEN_LONG_CONTAINER 130 /* crosses the 127/128 binary length bound */
#define GEN_LST_SYMBOLS 6      /* symbols in one generated local table */

struct gen {
	uint64_t rng;
	bool safe;
	int max_depth;
	char *out;
	size_t len, cap;
	int lst_syms;	/* symbols of the current local table ($10..), 0 if none */
	int depth;	/* of the value being written (0 = top level) */
	bool annotated; /* the value being written has annotations */
};

/* --- output buffer and PRNG ------------------------------------------- */

static void gen_put(struct gen *g, const char *s, size_t n)
{
	if (g->len + n + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 1 << 16;
		while (g->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(g->out, cap);
		if (!p) {
			fprintf(stderr, "ion_gen: out of memory\n");
			exit(2);
		}
		g->out = p;
		g->cap = cap;
	}
	memcpy(g->out + g->len, s, n);
	g->len += n;
}

static void gen_puts(struct gen *g, const char *s)
{
	gen_put(g, s, strlen(s));
}

static void gen_putc(struct gen *g, char c)
{
	gen_put(g, &c, 1);
}

static void gen_printf(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void gen_printf(struct gen *g, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	gen_put(g, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static uint64_t gen_next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t gen_below(struct gen *g, uint32_t n)
{
	return n ? (uint32_t)(gen_next(g) % n) : 0;
}

/* True with probability 1/n. */
static bool gen_one_in(struct gen *g, uint32_t n)
{
	return gen_below(g, n) == 0;
}

static const char *gen_pick(struct gen *g, const char *const *list, size_t n)
{
	return list[gen_below(g, (uint32_t)n)];
}
#define GEN_PICK(g, arr) gen_pick((g), (arr), sizeof(arr) / sizeof((arr)[0]))

/* --- whitespace and comments between tokens ------------------------------ */

static void gen_space(struct gen *g)
{
	static const char *const ws[] = { " ", " ", " ", "\n", "\t", "  ", " /* c */ ", " // c\n" };
	if (gen_one_in(g, 3))
		gen_puts(g, GEN_PICK(g, ws));
}

/* A separator that is always at least one whitespace (for sexps). Two
 * long strings in a row concatenate, so in the oracle corpus (ion-js does
 * not join them across comments) there are no comments here. */
static void gen_sep(struct gen *g)
{
	static const char *const ws[] = { " ", " ", "\n", "\t", " /**/ ", " // x\n" };
	gen_puts(g, ws[gen_below(g, g->safe ? 4 : 6)]);
}

/* --- digits --------------------------------------------------------------- */

/* n random decimal digits, first non-zero when nz; underscores between
 * digits (not oracle-safe) now and then. */
static void gen_digits(struct gen *g, int n, bool nz, bool underscores)
{
	for (int i = 0; i < n; i++) {
		char d = (char)('0' + gen_below(g, 10));
		if (i == 0 && nz && d == '0')
			d = (char)('1' + gen_below(g, 9));
		if (i > 0 && underscores && gen_one_in(g, 4))
			gen_putc(g, '_');
		gen_putc(g, d);
	}
}

static bool gen_underscores(struct gen *g)
{
	return !g->safe && gen_one_in(g, 5);
}

/* --- scalars -------------------------------------------------------------- */

static void gen_null(struct gen *g)
{
	static const char *const nulls[] = {
		"null",		"null.null",	  "null.bool",	 "null.int",	"null.float",
		"null.decimal", "null.timestamp", "null.symbol", "null.string", "null.clob",
		"null.blob",	"null.list",	  "null.sexp",	 "null.struct",
	};
	gen_puts(g, GEN_PICK(g, nulls));
}

static void gen_bool(struct gen *g)
{
	gen_puts(g, gen_one_in(g, 2) ? "true" : "false");
}

static void gen_int(struct gen *g)
{
	bool neg = gen_one_in(g, 2);
	switch (gen_below(g, 8)) {
	case 0: /* zero and negative zero */
		gen_puts(g, neg ? "-0" : "0");
		return;
	case 1: /* hex */
		if (neg)
			gen_putc(g, '-');
		gen_puts(g, gen_one_in(g, 2) ? "0x" : "0X");
		for (int i = 0, n = 1 + (int)gen_below(g, 24); i < n; i++) {
			static const char hex[] = "0123456789abcdefABCDEF";
			if (i > 0 && gen_underscores(g))
				gen_putc(g, '_');
			gen_putc(g, hex[gen_below(g, sizeof hex - 1)]);
		}
		return;
	case 2: /* binary: ion-js rejects 0b */
		if (g->safe)
			break;
		if (neg)
			gen_putc(g, '-');
		gen_puts(g, gen_one_in(g, 2) ? "0b" : "0B");
		for (int i = 0, n = 1 + (int)gen_below(g, 70); i < n; i++) {
			if (i > 0 && gen_underscores(g))
				gen_putc(g, '_');
			gen_putc(g, (char)('0' + gen_below(g, 2)));
		}
		return;
	case 3: /* big: up to hundreds of digits */
		if (neg)
			gen_putc(g, '-');
		gen_digits(g, 19 + (int)gen_below(g, gen_one_in(g, 4) ? GEN_MAX_BIG_DIGITS : 40),
			   true, gen_underscores(g));
		return;
	case 4: { /* around the 64-bit boundaries */
		static const char *const edges[] = {
			"9223372036854775807",
			"9223372036854775808",
			"-9223372036854775808",
			"-9223372036854775809",
			"18446744073709551615",
			"18446744073709551616",
			"127",
			"128",
			"-128",
			"255",
			"256",
			"-256",
			"65535",
			"4294967296",
		};
		gen_puts(g, GEN_PICK(g, edges));
		return;
	}
	default:
		break;
	}
	if (neg)
		gen_putc(g, '-');
	gen_digits(g, 1 + (int)gen_below(g, 12), true, gen_underscores(g));
}

/* Shortest "%.*e" that reads back as the same double, written the Ion way
 * (mantissa, 'e', exponent without '+' or leading zeros). */
static void gen_double_text(struct gen *g, double d)
{
	char tmp[64];
	for (int prec = 0; prec <= 16; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec, d);
		if (strtod(tmp, NULL) == d || prec == 16)
			break;
	}
	char *e = strchr(tmp, 'e');
	if (!e)
		return;
	*e = '\0';
	int ex = atoi(e + 1);
	gen_puts(g, tmp);
	gen_printf(g, "%c%d", gen_one_in(g, 4) ? 'E' : 'e', ex);
}

static void gen_float(struct gen *g)
{
	static const char *const specials[] = {
		"nan",
		"+inf",
		"-inf",
		"0e0",
		"-0e0",
		"0.0e0",
		"-0.0E-5",
		"1e0",
		"1.5e0",
		"-2.5e-3",
		"1.7976931348623157e308",
		"2.2250738585072014e-308",
		"5e-324",
		"-5e-324",
		"4.9406564584124654e-324",
		"2.2250738585072009e-308",
		"0.1e0",
		"1e22",
		"123456789012345678901234567890e-10",
	};
	uint64_t bits;
	double d;
	switch (gen_below(g, 5)) {
	case 0:
		gen_puts(g, GEN_PICK(g, specials));
		return;
	case 1: /* subnormal */
		bits = gen_next(g) & 0x000fffffffffffffULL;
		if (gen_one_in(g, 2))
			bits |= 0x8000000000000000ULL;
		break;
	case 2: /* "nice" value with few digits */
		d = (double)(int)gen_below(g, 100000) / (double)(1 + gen_below(g, 1000));
		if (gen_one_in(g, 2))
			d = -d;
		gen_double_text(g, d);
		return;
	default: /* any finite bit pattern: usually needs 16-17 digits */
		do {
			bits = gen_next(g);
		} while (((bits >> 52) & 0x7ff) == 0x7ff);
		break;
	}
	memcpy(&d, &bits, sizeof d);
	if (d == 0 && bits != 0) /* -0 from the subnormal branch */
		d = -0.0;
	gen_double_text(g, d);
}

static void gen_decimal(struct gen *g)
{
	static const char *const specials[] = {
		"0.",	 "-0.",	  "0d0",   "-0d0",	    "0d-0",
		"-0d-1", "0.000", "-0.0",  "1.0",	    "1.00",
		"1.",	 "5d300", "-1.28", "1d-2147483648", "0.00000000000000000001",
	};
	if (gen_one_in(g, 6)) {
		/* ion-js reads binary VarInts of 4 bytes at most: exponents
		 * beyond 2^27 only outside the oracle corpus */
		const char *d = GEN_PICK(g, specials);
		gen_puts(g, g->safe && strcmp(d, "1d-2147483648") == 0 ? "1d-99999999" : d);
		return;
	}
	if (gen_one_in(g, 2))
		gen_putc(g, '-');
	bool u = gen_underscores(g);
	int ndig = 1 + (int)gen_below(g, gen_one_in(g, 8) ? 120 : 20);
	int before = (int)gen_below(g, (uint32_t)ndig + 1);
	if (before == 0)
		gen_putc(g, '0');
	else
		gen_digits(g, before, true, u);
	gen_putc(g, '.');
	gen_digits(g, ndig - before, false, u);
	if (gen_one_in(g, 2)) {
		gen_putc(g, gen_one_in(g, 2) ? 'd' : 'D');
		int ex = (int)gen_below(g, 600) - 300;
		if (ex >= 0 && gen_one_in(g, 3))
			gen_putc(g, '+');
		gen_printf(g, "%d", ex);
	}
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static void gen_timestamp(struct gen *g)
{
	/* Years 2..9998 so an offset never rolls the UTC date out of 0001..9999. */
	int y = gen_one_in(g, 4) ? 2 + (int)gen_below(g, 9997) : 1900 + (int)gen_below(g, 200);
	int mo = 1 + (int)gen_below(g, 12);
	int d;
	switch (gen_below(g, 6)) {
	case 0: /* Feb 29 of a leap year */
		y = y - y % 4;
		if (!is_leap(y) || y < 4)
			y = 2000;
		mo = 2;
		d = 29;
		break;
	case 1: /* month ends and year ends: offsets roll the date */
		mo = gen_one_in(g, 2) ? 12 : mo;
		d = days_in(y, mo);
		break;
	case 2:
		d = 1;
		break;
	default:
		d = 1 + (int)gen_below(g, (uint32_t)days_in(y, mo));
		break;
	}
	int prec = (int)gen_below(g, 6); /* 0 year .. 5 fraction */
	gen_printf(g, "%04d", y);
	if (prec == 0) {
		gen_putc(g, 'T');
		return;
	}
	gen_printf(g, "-%02d", mo);
	if (prec == 1) {
		gen_putc(g, 'T');
		return;
	}
	gen_printf(g, "-%02d", d);
	if (prec == 2) {
		if (gen_one_in(g, 2))
			gen_putc(g, 'T');
		return;
	}
	int hh = (int)gen_below(g, 24), mm = (int)gen_below(g, 60);
	if (gen_one_in(g, 3)) { /* late or early: rolls the day with an offset */
		hh = gen_one_in(g, 2) ? 23 : 0;
		mm = gen_one_in(g, 2) ? 59 : 0;
	}
	gen_printf(g, "T%02d:%02d", hh, mm);
	/* ion-js 5.2.1 rolls xx:59.9999… into the next minute when hashing, so
	 * the oracle corpus keeps fractions off second 59 */
	if (prec >= 4)
		gen_printf(g, ":%02d", (int)gen_below(g, g->safe && prec == 5 ? 59 : 60));
	if (prec == 5) {
		gen_putc(g, '.');
		int n = 1 + (int)gen_below(g, gen_one_in(g, 5) ? 24 : 9);
		/* all-zero fraction (.000): ion-js 5.2.1 hashes SS.000 as
		 * second SS-1, so not in the oracle corpus */
		if (!g->safe && gen_one_in(g, 6))
			for (int i = 0; i < n; i++)
				gen_putc(g, '0');
		else
			gen_digits(g, n, false, false);
	}
	switch (gen_below(g, 4)) {
	case 0:
		gen_putc(g, 'Z');
		break;
	case 1:
		gen_puts(g, gen_one_in(g, 2) ? "-00:00" : "+00:00");
		break;
	default:
		gen_printf(g, "%c%02d:%02d", gen_one_in(g, 2) ? '+' : '-', (int)gen_below(g, 24),
			   (int)gen_below(g, 60));
		break;
	}
}

/* One code point as raw UTF-8. */
static void gen_utf8(struct gen *g, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	gen_put(g, b, n);
}

/* A random Unicode scalar value (no surrogates), biased to interesting
 * ranges. */
static uint32_t gen_codepoint(struct gen *g)
{
	switch (gen_below(g, 6)) {
	case 0:
		return 0x80 + gen_below(g, 0x780); /* 2-byte */
	case 1:
		return 0x800 + gen_below(g, 0xd800 - 0x800); /* 3-byte below surrogates */
	case 2:
		return 0xe000 + gen_below(g, 0x2000); /* private use .. BMP end */
	case 3:
		return 0x10000 + gen_below(g, 0x100000); /* astral */
	case 4: {
		static const uint32_t edges[] = { 0x7f,	  0x80,	   0x7ff,   0x800,    0xfffd,
						  0xffff, 0x10000, 0x1f600, 0x10ffff, 0xfeff };
		return edges[gen_below(g, sizeof edges / sizeof edges[0])];
	}
	default:
		return 0x20 + gen_below(g, 0x5f); /* printable ASCII */
	}
}

/* A code point that is never a quote or backslash (safe raw in any
 * quoted form). */
static uint32_t gen_text_codepoint(struct gen *g)
{
	uint32_t cp = gen_codepoint(g);
	return cp == '\'' || cp == '"' || cp == '\\' ? 'y' : cp;
}

/* Body of a quoted string/symbol, delimited by quote q ('"' or '\''). */
static void gen_string_body(struct gen *g, char q, int maxlen)
{
	static const char *const esc[] = { "\\0",  "\\a",   "\\b",   "\\t",   "\\n",  "\\v",
					   "\\f",  "\\r",   "\\\"",  "\\'",   "\\/",  "\\?",
					   "\\\\", "\\x7f", "\\x00", "\\xe9", "\\xFF" };
	int n = (int)gen_below(g, (uint32_t)maxlen + 1);
	for (int i = 0; i < n; i++) {
		switch (gen_below(g, 8)) {
		case 0:
			gen_puts(g, GEN_PICK(g, esc));
			break;
		case 1: { /* \u BMP (no surrogates) */
			uint32_t cp = gen_codepoint(g);
			if (cp > 0xffff)
				gen_printf(g, "\\U%08X", cp);
			else
				gen_printf(g, gen_one_in(g, 2) ? "\\u%04x" : "\\u%04X", cp);
			break;
		}
		case 2: /* raw UTF-8 */
			gen_utf8(g, gen_text_codepoint(g));
			break;
		default: { /* printable ASCII except the quote and backslash */
			char c = (char)(0x20 + gen_below(g, 0x5f));
			if (c == q || c == '\\')
				c = 'x';
			gen_putc(g, c);
			break;
		}
		}
	}
}

/* A long string: '''…''' pieces, concatenated; raw newlines inside;
 * CR / CRLF and comments between pieces only when not oracle-safe. */
static void gen_long_string(struct gen *g, bool in_clob)
{
	int pieces = 1 + (gen_one_in(g, 3) ? (int)gen_below(g, 3) : 0);
	for (int p = 0; p < pieces; p++) {
		if (p > 0) {
			if (!g->safe && !in_clob && gen_one_in(g, 2))
				gen_puts(g, gen_one_in(g, 2) ? " /* between */ " : " // between\n");
			else
				gen_puts(g, gen_one_in(g, 2) ? " " : "\n ");
		}
		gen_puts(g, "'''");
		/* ion-js reads '''a''' '''''' '''b''' as "a ": no empty pieces
		 * between others in the oracle corpus */
		int n = (int)gen_below(g, 12);
		if (g->safe && pieces > 1 && n == 0)
			n = 1;
		for (int i = 0; i < n; i++) {
			switch (gen_below(g, 7)) {
			case 0:
				gen_putc(g, '\n');
				break;
			case 1:
				if (!g->safe)
					gen_puts(g, gen_one_in(g, 2) ? "\r\n" : "\r");
				else
					gen_puts(g, "\\r\\n");
				break;
			case 2:
				gen_puts(g, in_clob ? "\\x01" : "\\u00e9");
				break;
			case 3:
				/* quotes inside, not a terminator; ion-js drops a
				 * piece that starts with them after another piece */
				gen_puts(g, g->safe && i == 0 ? "q'' " : "'' ");
				break;
			case 4:
				if (!in_clob) {
					gen_utf8(g, gen_text_codepoint(g));
					break;
				}
				/* fall through */
			default: {
				char c = (char)(0x20 + gen_below(g, 0x5f));
				if (c == '\'' || c == '\\')
					c = 'q';
				gen_putc(g, c);
				break;
			}
			}
		}
		gen_puts(g, "'''");
	}
}

static void gen_string(struct gen *g)
{
	int kind = (int)gen_below(g, 6);
	/* Two top-level long strings in a row would concatenate into one value,
	 * so a bare top-level string is never a long string. */
	if (kind == 0 && g->depth == 0 && !g->annotated)
		kind = 2;
	if (kind == 0) {
		gen_long_string(g, false);
		return;
	}
	gen_putc(g, '"');
	if (kind == 1) { /* long short-string: crosses binary length bounds */
		int n = 100 + (int)gen_below(g, 300);
		for (int i = 0; i < n; i++)
			gen_putc(g, (char)('a' + i % 26));
	} else {
		gen_string_body(g, '"', 24);
	}
	gen_putc(g, '"');
}

static bool is_keyword(const char *s, size_t n)
{
	static const char *const kw[] = { "null", "true", "false", "nan" };
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
		if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0)
			return true;
	return false;
}

/* A bare identifier that is not a keyword and not a $digits SID literal. */
static void gen_identifier(struct gen *g)
{
	static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
	static const char rest[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$0123456789";
	static const char *const words[] = {
		"inf",		"nul",	    "nulls",	  "trueish", "ion",
		"$ion",		"name",	    "symbols",	  "imports", "$ion_shared_symbol_table",
		"blockAddress", "strandId", "sequenceNo", "_",	     "$"
	};
	if (gen_one_in(g, 4)) {
		gen_puts(g, GEN_PICK(g, words));
		return;
	}
	char id[24];
	size_t n = 1 + gen_below(g, 12);
	id[0] = first[gen_below(g, sizeof first - 1)];
	for (size_t i = 1; i < n; i++)
		id[i] = rest[gen_below(g, sizeof rest - 1)];
	if (id[0] == '$' && n > 1) /* $digits would be a SID literal */
		id[1] = 'x';
	if (is_keyword(id, n))
		id[0] = 'k';
	gen_put(g, id, n);
}

/* A symbol in any written form. */
static void gen_symbol(struct gen *g)
{
	static const char *const quoted[] = { "''",	    "'null'", "'true'", "'nan'", "'+inf'",
					      "'$ion_1_0'", "'$4'",   "'a b'",	"'\\n'", "'{}'",
					      "'::'",	    "'\"'",   "'\\''" };
	/* At top level '$ion_1_0' and $2 are no-op system values, not user values. */
	switch (gen_below(g, 7)) {
	case 0: {
		const char *q = GEN_PICK(g, quoted);
		gen_puts(g, g->depth == 0 && strcmp(q, "'$ion_1_0'") == 0 ? "'$ion_1_1'" : q);
		return;
	}
	case 1:
		gen_putc(g, '\'');
		gen_string_body(g, '\'', 12);
		gen_putc(g, '\'');
		return;
	case 2: /* system SIDs $1..$9, local $10.., $0 (not oracle-safe) */
		if (g->lst_syms > 0 && gen_one_in(g, 2)) {
			gen_printf(g, "$%d", 10 + (int)gen_below(g, (uint32_t)g->lst_syms));
			return;
		}
		if (!g->safe && gen_one_in(g, 3)) {
			gen_puts(g, "$0");
			return;
		}
		int sid = 1 + (int)gen_below(g, 9);
		gen_printf(g, "$%d", g->depth == 0 && sid == 2 ? 4 : sid);
		return;
	default:
		gen_identifier(g);
		return;
	}
}

static void gen_annotations(struct gen *g)
{
	int n = gen_one_in(g, 6) ? 1 + (int)gen_below(g, 3) : 0;
	g->annotated = n > 0;
	for (int i = 0; i < n; i++) {
		switch (gen_below(g, 4)) {
		case 0:
			gen_putc(g, '\'');
			gen_string_body(g, '\'', 8);
			gen_putc(g, '\'');
			break;
		case 1:
			gen_puts(g, gen_one_in(g, 2) ? "'null'" : "'true'");
			break;
		default:
			gen_identifier(g);
			break;
		}
		gen_puts(g, gen_one_in(g, 4) ? " :: " : "::");
	}
}

static void gen_clob(struct gen *g)
{
	gen_puts(g, gen_one_in(g, 2) ? "{{" : "{{ ");
	if (gen_one_in(g, 3)) {
		gen_long_string(g, true);
	} else {
		static const char *const esc[] = { "\\x00", "\\xff", "\\x7F", "\\n", "\\t", "\\\"",
						   "\\\\",  "\\0",   "\\'",   "\\/", "\\?" };
		gen_putc(g, '"');
		for (int i = 0, n = (int)gen_below(g, 20); i < n; i++) {
			if (gen_one_in(g, 4)) {
				gen_puts(g, GEN_PICK(g, esc));
			} else {
				char c = (char)(0x20 + gen_below(g, 0x5f));
				if (c == '"' || c == '\\')
					c = 'c';
				gen_putc(g, c);
			}
		}
		gen_putc(g, '"');
	}
	gen_puts(g, gen_one_in(g, 2) ? "}}" : " }}");
}

static void gen_blob(struct gen *g)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = gen_one_in(g, 5) ? 32 : gen_below(g, 40);
	uint8_t bytes[64];
	for (size_t i = 0; i < n; i++)
		bytes[i] = (uint8_t)gen_next(g);
	gen_puts(g, gen_one_in(g, 2) ? "{{" : "{{ ");
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)bytes[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)bytes[i + 1] << 8;
		if (i + 2 < n)
			v |= bytes[i + 2];
		gen_putc(g, b64[(v >> 18) & 63]);
		gen_putc(g, b64[(v >> 12) & 63]);
		gen_putc(g, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		gen_putc(g, i + 2 < n ? b64[v & 63] : '=');
		if (gen_one_in(g, 6))
			gen_puts(g, gen_one_in(g, 2) ? " " : "\n");
	}
	gen_puts(g, gen_one_in(g, 2) ? "}}" : " }}");
}

/* --- containers ---------------------------------------------------------- */

static void gen_value(struct gen *g, int depth);

static int gen_child_count(struct gen *g)
{
	/* rare, below top level, and of scalars only (see gen_child_depth), to
	 * keep the corpus small */
	if (gen_one_in(g, 150) && g->depth >= 1)
		return GEN_LONG_CONTAINER;
	return (int)gen_below(g, GEN_MAX_CHILDREN);
}

/* Depth passed to the children: a long container holds scalars only. */
static int gen_child_depth(const struct gen *g, int n, int depth)
{
	return n == GEN_LONG_CONTAINER ? g->max_depth : depth + 1;
}

static void gen_list(struct gen *g, int depth)
{
	gen_putc(g, '[');
	int n = gen_child_count(g);
	for (int i = 0; i < n; i++) {
		gen_space(g);
		gen_value(g, gen_child_depth(g, n, depth));
		gen_space(g);
		if (i + 1 < n || gen_one_in(g, 5))
			gen_putc(g, ',');
	}
	gen_putc(g, ']');
}

static void gen_operator(struct gen *g)
{
	static const char ops[] = "!#%&*+-./;<=>?@^`|~";
	char op[8];
	size_t n = 1 + gen_below(g, 4);
	for (size_t i = 0; i < n; i++) {
		op[i] = ops[gen_below(g, sizeof ops - 1)];
		/* a slash then a slash or star would open a comment */
		if (i > 0 && op[i - 1] == '/' && (op[i] == '/' || op[i] == '*'))
			op[i] = '+';
	}
	gen_put(g, op, n);
}

static void gen_sexp(struct gen *g, int depth)
{
	gen_putc(g, '(');
	int n = gen_child_count(g);
	for (int i = 0; i < n; i++) {
		if (i > 0)
			gen_sep(g);
		else
			gen_space(g);
		if (gen_one_in(g, 3))
			gen_operator(g);
		else
			gen_value(g, gen_child_depth(g, n, depth));
	}
	if (n > 0)
		gen_space(g);
	gen_putc(g, ')');
}

static void gen_field_name(struct gen *g)
{
	static const char *const names[] = { "a",      "b",    "name",	   "'a'",
					     "\"a\"",  "''",   "\"\"",	   "'null'",
					     "'true'", "data", "metadata", "\"a b\"" };
	switch (gen_below(g, 5)) {
	case 0:
		gen_puts(g, GEN_PICK(g, names)); /* duplicates are likely */
		return;
	case 1:
		gen_putc(g, '"');
		gen_string_body(g, '"', 10);
		gen_putc(g, '"');
		return;
	case 2:
		if (g->lst_syms > 0 && gen_one_in(g, 2)) {
			gen_printf(g, "$%d", 10 + (int)gen_below(g, (uint32_t)g->lst_syms));
			return;
		}
		gen_putc(g, '\'');
		gen_string_body(g, '\'', 10);
		gen_putc(g, '\'');
		return;
	default:
		gen_identifier(g);
		return;
	}
}

static void gen_struct(struct gen *g, int depth)
{
	gen_putc(g, '{');
	int n = gen_child_count(g);
	for (int i = 0; i < n; i++) {
		gen_space(g);
		gen_field_name(g);
		gen_space(g);
		gen_putc(g, ':');
		gen_space(g);
		gen_value(g, gen_child_depth(g, n, depth));
		gen_space(g);
		if (i + 1 < n || gen_one_in(g, 5))
			gen_putc(g, ',');
	}
	gen_putc(g, '}');
}

/* A chain of nested containers down to depth max_depth. */
static void gen_deep(struct gen *g, int depth)
{
	static const char open[] = "[({", close[] = "])}";
	int levels = g->max_depth - depth;
	char stack[GEN_MAX_DEPTH];
	for (int i = 0; i < levels; i++) {
		int k = (int)gen_below(g, 3);
		stack[i] = close[k];
		gen_putc(g, open[k]);
		if (k == 2)
			gen_puts(g, "d:");
		else if (gen_one_in(g, 2)) {
			gen_puts(g, "1");
			gen_puts(g, k == 0 ? "," : " ");
		}
	}
	gen_puts(g, "\"bottom\"");
	for (int i = levels - 1; i >= 0; i--)
		gen_putc(g, stack[i]);
}

typedef void (*gen_scalar_fn)(struct gen *g);
static const gen_scalar_fn GEN_SCALARS[] = {
	gen_null,    gen_bool,	  gen_int,	 gen_int,	gen_float,  gen_float,
	gen_decimal, gen_decimal, gen_timestamp, gen_timestamp, gen_string, gen_string,
	gen_symbol,  gen_symbol,  gen_clob,	 gen_blob,
};

static void gen_value(struct gen *g, int depth)
{
	g->depth = depth;
	gen_annotations(g);
	uint32_t n_scalar = sizeof GEN_SCALARS / sizeof GEN_SCALARS[0];
	/* containers get rarer with depth so values stay small */
	uint32_t pick = gen_below(g, n_scalar + (depth < g->max_depth ? 6 : 0));
	if (pick < n_scalar) {
		GEN_SCALARS[pick](g);
		return;
	}
	if (depth + 2 > g->max_depth / 3 && !gen_one_in(g, 4)) {
		GEN_SCALARS[gen_below(g, n_scalar)](g);
		return;
	}
	switch (pick - n_scalar) {
	case 0:
	case 1:
		gen_list(g, depth);
		break;
	case 2:
	case 3:
		gen_struct(g, depth);
		break;
	case 4:
		gen_sexp(g, depth);
		break;
	default:
		if (gen_one_in(g, 8))
			gen_deep(g, depth);
		else
			gen_struct(g, depth);
		break;
	}
}

/* A local symbol table (a system value, not counted): $10.. refer to it. */
static void gen_lst(struct gen *g)
{
	g->lst_syms = 1 + (int)gen_below(g, GEN_LST_SYMBOLS);
	gen_puts(g, "$ion_symbol_table::{symbols:[");
	for (int i = 0; i < g->lst_syms; i++) {
		gen_printf(g, "%s\"lst_%d_", i ? "," : "", i);
		gen_string_body(g, '"', 4);
		gen_putc(g, '"');
	}
	gen_puts(g, "]}\n");
}

int main(int argc, char **argv)
{
	struct gen g = { .rng = 1, .max_depth = GEN_DEFAULT_DEPTH };
	long count = GEN_DEFAULT_COUNT;
	const char *out = "-", *index = NULL;
	setlocale(LC_ALL, "C");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (strcmp(a, "--seed") == 0 && has)
			g.rng = strtoull(argv[++i], NULL, 0);
		else if (strcmp(a, "--count") == 0 && has)
			count = strtol(argv[++i], NULL, 10);
		else if (strcmp(a, "--max-depth") == 0 && has)
			g.max_depth = atoi(argv[++i]);
		else if (strcmp(a, "--index") == 0 && has)
			index = argv[++i];
		else if (strcmp(a, "--oracle-safe") == 0)
			g.safe = true;
		else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "usage: ion_gen [--seed S] [--count N] [--oracle-safe] "
					"[--max-depth D] [--index FILE] [OUT|-]\n");
			return 2;
		} else
			out = a;
	}
	if (count < 0 || g.max_depth < 1 || g.max_depth > GEN_MAX_DEPTH) {
		fprintf(stderr, "ion_gen: --count must be >= 0 and --max-depth 1..%d\n",
			GEN_MAX_DEPTH);
		return 2;
	}
	FILE *idx = NULL;
	if (index && !(idx = fopen(index, "w"))) {
		perror(index);
		return 2;
	}
	gen_puts(&g, "$ion_1_0\n");
	for (long i = 0; i < count; i++) {
		/* system values now and then: version markers reset $10.. */
		if (gen_one_in(&g, 200)) {
			gen_puts(&g, "$ion_1_0\n");
			g.lst_syms = 0;
		}
		if (gen_one_in(&g, 100))
			gen_lst(&g);
		if (gen_one_in(&g, 40))
			gen_puts(&g, gen_one_in(&g, 2) ? "// comment\n" : "/* comment */ ");
		size_t start = g.len;
		if (gen_one_in(&g, 150))
			gen_deep(&g, 0);
		else
			gen_value(&g, 0);
		if (idx)
			fprintf(idx, "%zu %zu\n", start, g.len);
		gen_putc(&g, '\n');
	}
	FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
	if (!f || fwrite(g.out, 1, g.len, f) != g.len || (f != stdout && fclose(f) != 0)) {
		perror(out);
		return 2;
	}
	if (idx && fclose(idx) != 0) {
		perror(index);
		return 2;
	}
	free(g.out);
	return 0;
}
