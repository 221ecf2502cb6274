/*
 * ion_text_num.c - Ion text numbers: ints (decimal, 0x hex, 0b binary, with
 * single underscores between digits), decimals (d exponents, negative zero),
 * floats (e exponents, correctly rounded by strtod in the C locale) and
 * timestamps (every precision; local time converted to UTC, offset kept).
 *
 * A number is first delimited as a run of characters that can occur in any
 * numeric token ([0-9A-Za-z_.:+-]); the run is then parsed strictly and must
 * be consumed exactly, and what follows it must be a numeric stop character.
 * Magnitudes of up to 19 digits are built in a uint64_t; longer ones go
 * through ion_bigint_from_digits.
 */
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ion_bigint.h"
#include "ion_text_lex.h"
#include "ion_time.h"

#define FLOAT_STACK_CHARS 128 /* longer float texts use the heap */

static bool is_digit(uint8_t ch)
{
	return ch >= '0' && ch <= '9';
}

static int hex_value(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static bool is_base_digit(uint8_t ch, int base)
{
	if (base == 2)
		return ch == '0' || ch == '1';
	if (base == 16)
		return hex_value(ch) >= 0;
	return is_digit(ch);
}

/* Skip digits of base with single underscores between digits; q is just past
 * a digit. */
static const uint8_t *skip_digits(const uint8_t *q, const uint8_t *t, int base)
{
	while (q < t) {
		if (is_base_digit(*q, base))
			q++;
		else if (*q == '_' && q + 1 < t && is_base_digit(q[1], base))
			q += 2;
		else
			break;
	}
	return q;
}

static int bad_char(struct ion_text_cur *c, const uint8_t *q, const char *what)
{
	if (*q == '_')
		return ion_text_fail(c, q, ION_ERR_SYNTAX, "misplaced underscore in %s", what);
	if (*q > 0x20 && *q < 0x7f)
		return ion_text_fail(c, q, ION_ERR_SYNTAX, "invalid character '%c' in %s", *q,
				     what);
	return ion_text_fail(c, q, ION_ERR_SYNTAX, "invalid byte 0x%02x in %s", *q, what);
}

/* Minimal big-endian magnitude of a uint64_t, in the arena. */
static int mag_from_u64(struct ion_text_cur *c, uint64_t m, struct ion_bigint *out)
{
	out->len = 0;
	out->mag = NULL;
	if (m == 0)
		return 0;
	size_t n = 0;
	for (uint64_t t = m; t; t >>= 8)
		n++;
	int rc = 0;
	uint8_t *p = ion_text_alloc(c, n, &rc);
	if (!p)
		return rc;
	for (size_t k = n; k-- > 0; m >>= 8)
		p[k] = (uint8_t)m;
	out->mag = p;
	out->len = n;
	return 0;
}

/*
 * Magnitude of the digits of base in up to two ranges (integer and fraction
 * part of a decimal), skipping underscores. Small values are accumulated in
 * place; long ones are copied out and handed to ion_bigint_from_digits.
 */
static int mag_from_ranges(struct ion_text_cur *c, const uint8_t *const r[4], int base,
			   struct ion_bigint *out)
{
	unsigned bits = base == 16 ? 4 : base == 2 ? 1 : 0;
	uint64_t acc = 0;
	size_t sig = 0, total = 0;
	for (int k = 0; k < 4; k += 2) {
		for (const uint8_t *q = r[k]; q < r[k + 1]; q++) {
			if (*q == '_')
				continue;
			total++;
			unsigned d = (unsigned)hex_value(*q);
			if (sig == 0 && d == 0)
				continue; /* leading zeros add nothing */
			sig++;
			acc = bits ? acc << bits | d : acc * 10 + d;
		}
	}
	/* 19 decimal digits, 16 hex digits or 64 bits always fit */
	if (bits ? sig * bits <= 64 : sig <= 19)
		return mag_from_u64(c, acc, out);

	char *digits = malloc(total);
	if (!digits)
		return ion_text_fail(c, r[0], ION_ERR_NOMEM, "out of memory");
	size_t n = 0;
	for (int k = 0; k < 4; k += 2)
		for (const uint8_t *q = r[k]; q < r[k + 1]; q++)
			if (*q != '_')
				digits[n++] = (char)*q;
	struct buf b = { 0 };
	int rc = ion_bigint_from_digits(digits, n, base, &b);
	free(digits);
	if (rc == 0) {
		uint8_t *p = ion_text_alloc(c, b.len, &rc);
		if (p) {
			memcpy(p, b.data, b.len);
			out->mag = p;
			out->len = b.len;
		}
	} else if (rc == ION_ERR_LIMIT) {
		rc = ion_text_fail(c, r[0], rc, "number has too many digits (%zu)", n);
	} else {
		rc = ion_text_fail(c, r[0], rc, "cannot convert number");
	}
	buf_free(&b);
	return rc;
}

/* 0x / 0b ints: s is the first character after the prefix. */
static int read_radix(struct ion_text_cur *c, const uint8_t *s, const uint8_t *t, bool neg,
		      int base, struct ion_value *v)
{
	const char *what = base == 16 ? "hex int" : "binary int";
	if (s == t || !is_base_digit(*s, base))
		return s == t ? ion_text_fail(c, s, ION_ERR_SYNTAX, "missing digits in %s", what)
			      : bad_char(c, s, what);
	const uint8_t *q = skip_digits(s + 1, t, base);
	if (q != t)
		return bad_char(c, q, what);
	v->type = ION_TYPE_INT;
	const uint8_t *r[4] = { s, t, t, t };
	int rc = mag_from_ranges(c, r, base, &v->u.i);
	v->u.i.neg = neg && v->u.i.len > 0;
	return rc;
}

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale; /* written once, then read-only */

static void c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Float text [s, t) without underscores, correctly rounded. */
static int read_float(struct ion_text_cur *c, const uint8_t *s, const uint8_t *t, double *out)
{
	pthread_once(&c_locale_once, c_locale_init);
	if (!c_locale)
		return ion_text_fail(c, s, ION_ERR_NOMEM, "cannot create the C locale");
	size_t n = (size_t)(t - s);
	char stack[FLOAT_STACK_CHARS];
	char *text = n < sizeof stack ? stack : malloc(n + 1);
	if (!text)
		return ion_text_fail(c, s, ION_ERR_NOMEM, "out of memory");
	size_t k = 0;
	for (const uint8_t *q = s; q < t; q++)
		if (*q != '_')
			text[k++] = (char)*q;
	text[k] = '\0';
	char *endp;
	*out = strtod_l(text, &endp, c_locale);
	bool ok = endp == text + k;
	if (text != stack)
		free(text);
	if (!ok)
		return ion_text_fail(c, s, ION_ERR_SYNTAX, "invalid float");
	return 0;
}

/* Decimal ints, decimals and floats: s is the first digit (after any '-'). */
static int read_decimal(struct ion_text_cur *c, const uint8_t *start, const uint8_t *s,
			const uint8_t *t, bool neg, struct ion_value *v)
{
	const uint8_t *q = s;
	if (*q == '0') {
		q++;
		if (q < t && is_digit(*q))
			return ion_text_fail(c, s, ION_ERR_SYNTAX, "leading zero in number");
	} else {
		q = skip_digits(q + 1, t, 10);
	}
	const uint8_t *int_end = q;
	const uint8_t *frac = q, *frac_end = q;
	bool dot = false;
	if (q < t && *q == '.') {
		dot = true;
		frac = ++q;
		if (q < t && is_digit(*q))
			q = skip_digits(q + 1, t, 10);
		frac_end = q;
	}
	uint8_t exp_kind = 0;
	int64_t exp = 0;
	if (q < t && ((*q | 0x20) == 'e' || (*q | 0x20) == 'd')) {
		exp_kind = *q | 0x20;
		const uint8_t *e = ++q;
		bool eneg = false;
		if (q < t && (*q == '+' || *q == '-'))
			eneg = *q++ == '-';
		if (q == t || !is_digit(*q))
			return ion_text_fail(c, e, ION_ERR_SYNTAX, "missing exponent digits");
		for (; q < t && is_digit(*q); q++) {
			exp = exp * 10 + (*q - '0');
			if (exp > ION_MAX_DECIMAL_EXPONENT)
				return ion_text_fail(c, e, ION_ERR_LIMIT, "exponent out of range");
		}
		if (eneg)
			exp = -exp;
	}
	if (q != t)
		return bad_char(c, q, "number");

	if (exp_kind == 'e') {
		v->type = ION_TYPE_FLOAT;
		return read_float(c, start, t, &v->u.f);
	}
	if (!dot && !exp_kind) {
		v->type = ION_TYPE_INT;
		/* hot path: short ints without underscores */
		if (int_end - s <= 18) {
			uint64_t m = 0;
			const uint8_t *p = s;
			for (; p < int_end && *p != '_'; p++)
				m = m * 10 + (uint64_t)(*p - '0');
			if (p == int_end) {
				int rc = mag_from_u64(c, m, &v->u.i);
				v->u.i.neg = neg && m != 0;
				return rc;
			}
		}
		const uint8_t *r[4] = { s, int_end, t, t };
		int rc = mag_from_ranges(c, r, 10, &v->u.i);
		v->u.i.neg = neg && v->u.i.len > 0;
		return rc;
	}
	v->type = ION_TYPE_DECIMAL;
	const uint8_t *r[4] = { s, int_end, frac, frac_end };
	int rc = mag_from_ranges(c, r, 10, &v->u.dec.coef);
	if (rc)
		return rc;
	size_t nfrac = 0;
	for (const uint8_t *p = frac; p < frac_end; p++)
		nfrac += *p != '_';
	v->u.dec.exponent = exp - (int64_t)nfrac;
	if (v->u.dec.exponent < -ION_MAX_DECIMAL_EXPONENT) /* the binary reader's limit too */
		return ion_text_fail(c, s, ION_ERR_LIMIT, "decimal exponent out of range");
	v->u.dec.coef.neg = neg; /* -0. and -0d0 are negative zero */
	return 0;
}

static bool digits_at(const uint8_t *q, const uint8_t *t, int n)
{
	if (t - q < n)
		return false;
	for (int k = 0; k < n; k++)
		if (!is_digit(q[k]))
			return false;
	return true;
}

static int two_digits(const uint8_t *q)
{
	return (q[0] - '0') * 10 + (q[1] - '0');
}

/* Read a 2-digit field at *q into *out, checking lo..hi. */
static int ts_field(struct ion_text_cur *c, const uint8_t **q, const uint8_t *t, const char *name,
		    int lo, int hi, int *out)
{
	if (!digits_at(*q, t, 2))
		return ion_text_fail(c, *q, ION_ERR_SYNTAX, "timestamp %s must be two digits",
				     name);
	*out = two_digits(*q);
	if (*out < lo || *out > hi)
		return ion_text_fail(c, *q, ION_ERR_SYNTAX, "timestamp %s %d out of range", name,
				     *out);
	*q += 2;
	return 0;
}

static int ts_expect(struct ion_text_cur *c, const uint8_t **q, const uint8_t *t, uint8_t ch,
		     const char *where)
{
	if (*q < t && **q == ch) {
		(*q)++;
		return 0;
	}
	if (*q == t)
		return ion_text_fail(c, *q, ION_ERR_SYNTAX,
				     "timestamp ends early: expected '%c' %s", ch, where);
	return bad_char(c, *q, "timestamp");
}

/* Timestamp text [s, t): s holds four digits and then '-' or 'T'. */
static int read_timestamp(struct ion_text_cur *c, const uint8_t *s, const uint8_t *t,
			  struct ion_value *v)
{
	struct ion_timestamp *ts = &v->u.ts;
	const uint8_t *q = s + 4;
	int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + two_digits(s + 2);
	int month = 1, day = 1, hour = 0, minute = 0, second = 0, rc;
	if (year == 0)
		return ion_text_fail(c, s, ION_ERR_SYNTAX, "timestamp year 0000 out of range");
	v->type = ION_TYPE_TIMESTAMP;
	ts->precision = ION_TS_YEAR;
	if (*q == 'T') {
		q++;
		goto date_only;
	}
	q++; /* '-' */
	if ((rc = ts_field(c, &q, t, "month", 1, 12, &month)))
		return rc;
	ts->precision = ION_TS_MONTH;
	if (q < t && *q == 'T') {
		q++;
		goto date_only;
	}
	if ((rc = ts_expect(c, &q, t, '-', "or 'T' after the month")))
		return rc;
	const uint8_t *dq = q;
	if ((rc = ts_field(c, &q, t, "day", 1, 31, &day)))
		return rc;
	if (day > ion_time_days_in_month(year, month))
		return ion_text_fail(c, dq, ION_ERR_SYNTAX,
				     "timestamp day %d out of range for month %d of %04d", day,
				     month, year);
	ts->precision = ION_TS_DAY;
	if (q == t)
		goto date_only;
	if (*q != 'T')
		return bad_char(c, q, "timestamp");
	if (++q == t)
		goto date_only;

	if ((rc = ts_field(c, &q, t, "hour", 0, 23, &hour)) ||
	    (rc = ts_expect(c, &q, t, ':', "between hour and minute")) ||
	    (rc = ts_field(c, &q, t, "minute", 0, 59, &minute)))
		return rc;
	ts->precision = ION_TS_MINUTE;
	if (q < t && *q == ':') {
		q++;
		if ((rc = ts_field(c, &q, t, "second", 0, 59, &second)))
			return rc;
		ts->precision = ION_TS_SECOND;
		if (q < t && *q == '.') {
			const uint8_t *f = ++q;
			while (q < t && is_digit(*q))
				q++;
			if (q == f)
				return ion_text_fail(c, f, ION_ERR_SYNTAX,
						     "timestamp fraction needs a digit after '.'");
			if (q - f > INT32_MAX)
				return ion_text_fail(c, f, ION_ERR_LIMIT,
						     "timestamp fraction too long");
			ts->precision = ION_TS_FRACTION;
			ts->frac_exp = -(int32_t)(q - f);
			const uint8_t *r[4] = { f, q, q, q };
			if ((rc = mag_from_ranges(c, r, 10, &ts->frac_coef)))
				return rc;
		}
	}
	/* offset: required once there is a time */
	int offset = 0;
	if (q < t && *q == 'Z') {
		q++;
		ts->offset_known = true;
	} else if (q < t && (*q == '+' || *q == '-')) {
		bool oneg = *q++ == '-';
		int oh, om;
		if ((rc = ts_field(c, &q, t, "offset hour", 0, 23, &oh)) ||
		    (rc = ts_expect(c, &q, t, ':', "in the offset")) ||
		    (rc = ts_field(c, &q, t, "offset minute", 0, 59, &om)))
			return rc;
		offset = (oneg ? -1 : 1) * (oh * 60 + om);
		ts->offset_known = !(oneg && offset == 0); /* -00:00: unknown offset */
	} else {
		if (q == t)
			return ion_text_fail(c, q, ION_ERR_SYNTAX,
					     "timestamp with a time needs an offset (Z or +hh:mm)");
		return bad_char(c, q, "timestamp offset");
	}
	if (q != t)
		return bad_char(c, q, "timestamp");
	ts->offset_min = (int16_t)offset;
	struct ion_time_fields f = { year, month, day, hour, minute };
	if (offset != 0 && !ion_time_add_minutes(&f, -offset))
		return ion_text_fail(c, s, ION_ERR_SYNTAX, "timestamp leaves years 1..9999 in UTC");
	ts->year = (uint16_t)f.year;
	ts->month = (uint8_t)f.month;
	ts->day = (uint8_t)f.day;
	ts->hour = (uint8_t)f.hour;
	ts->minute = (uint8_t)f.minute;
	ts->second = (uint8_t)second;
	return 0;

date_only:
	if (q != t)
		return bad_char(c, q, "timestamp");
	ts->offset_known = false;
	ts->year = (uint16_t)year;
	ts->month = (uint8_t)month;
	ts->day = (uint8_t)day;
	return 0;
}

int ion_text_read_number(struct ion_text_cur *c, struct ion_value *v)
{
	const uint8_t *start = c->p, *end = c->end;
	const uint8_t *t = start + 1;
	while (t < end && (ion_text_class[*t] & ITC_NUMTOK))
		t++;
	if (t == end && !c->at_eof)
		return ION_NEED_MORE; /* the number may go on */
	const uint8_t *s = start;
	bool neg = *s == '-';
	s += neg;
	int rc;
	if (!neg && t - s >= 5 && digits_at(s, t, 4) && (s[4] == '-' || s[4] == 'T'))
		rc = read_timestamp(c, s, t, v);
	else if (s[0] == '0' && t - s >= 2 && (s[1] | 0x20) == 'x')
		rc = read_radix(c, s + 2, t, neg, 16, v);
	else if (s[0] == '0' && t - s >= 2 && (s[1] | 0x20) == 'b')
		rc = read_radix(c, s + 2, t, neg, 2, v);
	else
		rc = read_decimal(c, start, s, t, neg, v);
	if (rc)
		return rc;
	c->p = t;
	return ion_text_check_stop(c, v->type == ION_TYPE_TIMESTAMP ? "timestamp" : "number");
}
