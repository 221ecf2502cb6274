/*
 * ion_write_text.c - the compact Ion text writer of ion_write.h, in the
 * form QLDB prints: {blockAddress:{strandId:"KmA3",sequenceNo:100},...}.
 *
 * Every value must read back as the same value (same Ion Hash, same
 * precision): symbols are quoted unless they are plain identifiers that
 * are not keywords or $N look-alikes, decimals keep every coefficient
 * digit, floats use the shortest text that strtod turns back into the same
 * double, timestamps go back to their local offset with exactly their
 * precision and fraction digits. Pure: appends to a caller-owned buf.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "ion_bigint.h"
#include "ion_time.h"
#include "ion_write.h"

/* Decimals with exponents in [-TEXT_MAX_POINT_ZEROS-digits, 0] are written
 * with a decimal point (90.25, 0.005); others as coefficient d exponent,
 * so a huge negative exponent cannot blow up into a line of zeros. */
#define TEXT_MAX_POINT_ZEROS 20
#define TEXT_FLOAT_MAX_DIGITS 17 /* enough for any double to round-trip */

struct text_ctx {
	struct buf *out;
	struct ion_error *err;
	struct buf digits; /* scratch for decimal digit strings */
};

static int put_str(struct buf *b, const char *s)
{
	return buf_append_str(b, s);
}

/* --- Escaped text ------------------------------------------------------ */

/* Short escapes for control characters; others become \xHH. */
static const char SHORT_ESCAPE[0x20] = {
	[0x00] = '0', [0x07] = 'a', [0x08] = 'b', [0x09] = 't',
	[0x0A] = 'n', [0x0B] = 'v', [0x0C] = 'f', [0x0D] = 'r',
};

/* Append p[0..n) between quote characters, escaping the quote, backslash
 * and control characters; non-ASCII bytes are kept as UTF-8 (strings,
 * symbols) or escaped as \xHH (clobs, which are ASCII in text). */
static int put_quoted(struct buf *b, const uint8_t *p, size_t n, char quote, bool ascii_only)
{
	int rc = buf_append_byte(b, (uint8_t)quote);
	size_t i = 0;
	while (!rc && i < n) {
		size_t j = i;
		while (j < n && p[j] >= 0x20 && p[j] != 0x7F && p[j] != (uint8_t)quote &&
		       p[j] != '\\' && !(ascii_only && p[j] >= 0x80))
			j++;
		rc = buf_append(b, p + i, j - i);
		if (rc || j == n)
			break;
		uint8_t c = p[j];
		if (c == (uint8_t)quote || c == '\\') {
			uint8_t e[2] = { '\\', c };
			rc = buf_append(b, e, 2);
		} else if (c < 0x20 && SHORT_ESCAPE[c]) {
			uint8_t e[2] = { '\\', (uint8_t)SHORT_ESCAPE[c] };
			rc = buf_append(b, e, 2);
		} else {
			rc = buf_printf(b, "\\x%02x", c);
		}
		i = j + 1;
	}
	return rc ? rc : buf_append_byte(b, (uint8_t)quote);
}

static bool is_ident_start(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$';
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* Words an unquoted symbol cannot be: they read back as other values. */
static const char *const KEYWORDS[] = { "null", "true", "false", "nan" };

/* Can this symbol text be written bare? */
static bool symbol_is_bare(const char *t, size_t n)
{
	if (n == 0 || !is_ident_start((uint8_t)t[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_ident_start((uint8_t)t[i]) && !is_digit((uint8_t)t[i]))
			return false;
	for (size_t k = 0; k < sizeof KEYWORDS / sizeof KEYWORDS[0]; k++)
		if (strlen(KEYWORDS[k]) == n && memcmp(KEYWORDS[k], t, n) == 0)
			return false;
	/* bare $ion_1_0 (and any $ion_<d>_<d>) at top level reads back as a
	 * version marker, not a symbol */
	if (n > 5 && memcmp(t, "$ion_", 5) == 0) {
		size_t i = 5, d1 = 0, d2 = 0;
		while (i < n && is_digit((uint8_t)t[i]))
			i++, d1++;
		if (i < n && t[i] == '_')
			for (i++; i < n && is_digit((uint8_t)t[i]); i++)
				d2++;
		if (i == n && d1 && d2)
			return false;
	}
	if (t[0] == '$') { /* $123 is a symbol ID, not text */
		size_t i = 1;
		while (i < n && is_digit((uint8_t)t[i]))
			i++;
		if (i == n && n > 1)
			return false;
	}
	return true;
}

/* A symbol as value, annotation or field name. */
static int put_symbol(struct buf *b, const struct ion_symbol *s)
{
	if (!s->text)
		return buf_printf(b, "$%" PRIu32, s->sid);
	if (symbol_is_bare(s->text, s->len))
		return buf_append(b, s->text, s->len);
	return put_quoted(b, (const uint8_t *)s->text, s->len, '\'', false);
}

/* --- Numbers ----------------------------------------------------------- */

/* Decimal digits of a big-endian magnitude ("0" for none) into out: a
 * printf for the common small case, ion_bigint.c for big ones. */
static int mag_to_decimal(const uint8_t *mag, size_t len, struct buf *out)
{
	if (len > 8)
		return ion_bigint_to_decimal(mag, len, out);
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++)
		v = v << 8 | mag[i];
	return buf_printf(out, "%" PRIu64, v);
}

static int put_int(struct text_ctx *c, const struct ion_bigint *i)
{
	if (i->neg && i->len) {
		int rc = buf_append_byte(c->out, '-');
		if (rc)
			return rc;
	}
	return mag_to_decimal(i->mag, i->len, c->out);
}

/* Shortest "%.Ne" text that strtod maps back to d, with the exponent
 * normalised to Ion's form (1.5e-7, 1e20). */
static int put_float(struct text_ctx *c, double d)
{
	if (isnan(d))
		return put_str(c->out, "nan");
	if (isinf(d))
		return put_str(c->out, d > 0 ? "+inf" : "-inf");
	if (d == 0)
		return put_str(c->out, signbit(d) ? "-0e0" : "0e0");
	char s[48];
	for (int prec = 1; prec <= TEXT_FLOAT_MAX_DIGITS; prec++) {
		snprintf(s, sizeof s, "%.*e", prec - 1, d);
		if (strtod(s, NULL) == d)
			break;
	}
	char *e = strchr(s, 'e');
	if (!e)
		return ion_error_set(c->err, ION_ERR_SYNTAX, "cannot format float %g", d);
	/* a locale may have put another decimal point: Ion needs '.' */
	for (char *p = s; p < e; p++)
		if (!is_digit((uint8_t)*p) && *p != '-')
			*p = '.';
	int exp = atoi(e + 1);
	*e = '\0';
	return buf_printf(c->out, "%se%d", s, exp);
}

static int put_decimal(struct text_ctx *c, const struct ion_decimal *d)
{
	struct buf *dig = &c->digits;
	buf_clear(dig);
	int rc = mag_to_decimal(d->coef.mag, d->coef.len, dig);
	if (rc)
		return rc;
	if (d->coef.neg && (rc = buf_append_byte(c->out, '-')))
		return rc;
	size_t n = dig->len;
	int64_t e = d->exponent;
	if (e >= 0 || (uint64_t)-e > n + TEXT_MAX_POINT_ZEROS) {
		if ((rc = buf_append(c->out, dig->data, n)))
			return rc;
		return buf_printf(c->out, "d%" PRId64, e);
	}
	size_t frac = (size_t)-e; /* digits after the point */
	if (n > frac) {
		rc = buf_append(c->out, dig->data, n - frac);
		if (!rc)
			rc = buf_append_byte(c->out, '.');
		return rc ? rc : buf_append(c->out, dig->data + n - frac, frac);
	}
	rc = put_str(c->out, "0.");
	for (size_t k = n; k < frac && !rc; k++)
		rc = buf_append_byte(c->out, '0');
	return rc ? rc : buf_append(c->out, dig->data, n);
}

static int put_timestamp(struct text_ctx *c, const struct ion_timestamp *t)
{
	struct ion_time_fields f = { t->year, t->month, t->day, t->hour, t->minute };
	bool has_time = t->precision >= ION_TS_MINUTE;
	if (has_time && t->offset_known && !ion_time_add_minutes(&f, t->offset_min))
		return ion_error_set(c->err, ION_ERR_SYNTAX,
				     "timestamp leaves years 1..9999 in its local offset");
	struct buf *o = c->out;
	switch (t->precision) {
	case ION_TS_YEAR:
		return buf_printf(o, "%04dT", f.year);
	case ION_TS_MONTH:
		return buf_printf(o, "%04d-%02dT", f.year, f.month);
	case ION_TS_DAY:
		return buf_printf(o, "%04d-%02d-%02d", f.year, f.month, f.day);
	default:
		break;
	}
	int rc =
		buf_printf(o, "%04d-%02d-%02dT%02d:%02d", f.year, f.month, f.day, f.hour, f.minute);
	if (!rc && t->precision >= ION_TS_SECOND)
		rc = buf_printf(o, ":%02d", t->second);
	/* a fraction with exponent >= 0 must be zero and equals no fraction */
	if (!rc && t->precision == ION_TS_FRACTION && t->frac_exp >= 0 && t->frac_coef.len)
		return ion_error_set(c->err, ION_ERR_SYNTAX,
				     "timestamp fraction with exponent %d is not below one second",
				     (int)t->frac_exp);
	if (!rc && t->precision == ION_TS_FRACTION && t->frac_exp < 0) {
		struct buf *dig = &c->digits;
		buf_clear(dig);
		if ((rc = mag_to_decimal(t->frac_coef.mag, t->frac_coef.len, dig)))
			return rc;
		size_t want = (size_t) - (int64_t)t->frac_exp;
		size_t n = t->frac_coef.len ? dig->len : 0;
		if (n > want)
			return ion_error_set(c->err, ION_ERR_SYNTAX,
					     "timestamp fraction is not below one second");
		rc = buf_append_byte(o, '.');
		for (size_t k = n; k < want && !rc; k++)
			rc = buf_append_byte(o, '0');
		if (!rc)
			rc = buf_append(o, dig->data, n);
	}
	if (rc)
		return rc;
	if (!t->offset_known)
		return put_str(o, "-00:00");
	if (t->offset_min == 0)
		return buf_append_byte(o, 'Z');
	int m = t->offset_min < 0 ? -t->offset_min : t->offset_min;
	return buf_printf(o, "%c%02d:%02d", t->offset_min < 0 ? '-' : '+', m / 60, m % 60);
}

/* --- Values ------------------------------------------------------------ */

static int put_value(struct text_ctx *c, const struct ion_value *v, int depth);

static int put_lob(struct text_ctx *c, const struct ion_value *v)
{
	struct buf *o = c->out;
	int rc = put_str(o, "{{");
	if (!rc && v->type == ION_TYPE_CLOB) {
		rc = put_quoted(o, v->u.bytes.data, v->u.bytes.len, '"', true);
	} else if (!rc) {
		size_t need = BASE64_ENCODED_SIZE(v->u.bytes.len);
		if (!(rc = buf_reserve(o, need)))
			o->len += base64_encode(v->u.bytes.data, v->u.bytes.len,
						(char *)o->data + o->len);
	}
	return rc ? rc : put_str(o, "}}");
}

static int put_container(struct text_ctx *c, const struct ion_value *v, int depth)
{
	static const char OPEN[] = {
		[ION_TYPE_LIST] = '[', [ION_TYPE_SEXP] = '(', [ION_TYPE_STRUCT] = '{'
	};
	static const char CLOSE[] = {
		[ION_TYPE_LIST] = ']', [ION_TYPE_SEXP] = ')', [ION_TYPE_STRUCT] = '}'
	};
	char sep = v->type == ION_TYPE_SEXP ? ' ' : ',';
	int rc = buf_append_byte(c->out, (uint8_t)OPEN[v->type]);
	for (const struct ion_value *k = v->u.c.first_child; k && !rc; k = k->next) {
		if (k != v->u.c.first_child && (rc = buf_append_byte(c->out, (uint8_t)sep)))
			break;
		if (v->type == ION_TYPE_STRUCT && ((rc = put_symbol(c->out, &k->field_name)) ||
						   (rc = buf_append_byte(c->out, ':'))))
			break;
		rc = put_value(c, k, depth + 1);
	}
	return rc ? rc : buf_append_byte(c->out, (uint8_t)CLOSE[v->type]);
}

static int put_value(struct text_ctx *c, const struct ion_value *v, int depth)
{
	if (depth > ION_MAX_DEPTH)
		return ion_error_set(c->err, ION_ERR_LIMIT,
				     "value nested deeper than ION_MAX_DEPTH (%d)", ION_MAX_DEPTH);
	int rc = 0;
	for (uint16_t i = 0; i < v->n_annotations && !rc; i++)
		if (!(rc = put_symbol(c->out, &v->annotations[i])))
			rc = put_str(c->out, "::");
	if (rc)
		return rc;
	if (v->type > ION_TYPE_STRUCT || v->type == 3)
		return ion_error_set(c->err, ION_ERR_SYNTAX, "value of unknown type code %u",
				     (unsigned)v->type);
	if (v->is_null) {
		if (v->type == ION_TYPE_NULL)
			return put_str(c->out, "null");
		return buf_printf(c->out, "null.%s", ion_type_name(v->type));
	}
	switch (v->type) {
	case ION_TYPE_NULL:
		return put_str(c->out, "null");
	case ION_TYPE_BOOL:
		return put_str(c->out, v->u.b ? "true" : "false");
	case ION_TYPE_INT:
		return put_int(c, &v->u.i);
	case ION_TYPE_FLOAT:
		return put_float(c, v->u.f);
	case ION_TYPE_DECIMAL:
		return put_decimal(c, &v->u.dec);
	case ION_TYPE_TIMESTAMP:
		return put_timestamp(c, &v->u.ts);
	case ION_TYPE_SYMBOL:
		return put_symbol(c->out, &v->u.sym);
	case ION_TYPE_STRING:
		return put_quoted(c->out, v->u.bytes.data, v->u.bytes.len, '"', false);
	case ION_TYPE_CLOB:
	case ION_TYPE_BLOB:
		return put_lob(c, v);
	default:
		return put_container(c, v, depth);
	}
}

int ion_write_text(struct buf *out, const struct ion_value *v, struct ion_error *err)
{
	struct text_ctx c = { .out = out, .err = err };
	size_t start = out->len;
	if (err)
		err->msg[0] = '\0';
	int rc = put_value(&c, v, 0);
	buf_free(&c.digits);
	if (rc) {
		out->len = start; /* no half-written value */
		if (err && !err->msg[0])
			ion_error_set(err, rc, "%s writing Ion text",
				      rc == ION_ERR_NOMEM ? "out of memory"
							  : "a size limit was exceeded");
	}
	return rc;
}
