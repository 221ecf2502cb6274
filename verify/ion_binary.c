/*
 * ion_binary.c - the Ion 1.0 binary parser (amazon-ion/ion-docs binary.md),
 * implementing ion_binary_next() of ion_internal.h.
 *
 * One top-level value is parsed per call into a tree of struct ion_value in
 * the caller's arena. Scalars are not copied: ints, strings, clobs, blobs and
 * most decimal coefficients point into the input buffer; symbol text points
 * into the symbol table. The top-level value's length is checked against the
 * buffer before anything inside it is read, so ION_NEED_MORE can only happen
 * at the top level and nested code checks every length against its
 * enclosing container (lengths must nest exactly).
 *
 * System values: a top-level IVM (E0 01 00 EA) resets the symbol table; a
 * top-level struct annotated first with $ion_symbol_table is applied as a
 * local symbol table; an unannotated top-level symbol whose text is
 * $ion_1_0 is a no-op (the same rule as text, Ion symbols spec). None of
 * these is returned.
 *
 * Limits: ION_MAX_DEPTH container nesting (recursion is bounded by it),
 * ION_MAX_ANNOTATIONS per value, ION_MAX_VALUE_BYTES per top-level value,
 * BIN_MAX_FRACTION_BYTES for a timestamp's fraction coefficient.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ion_internal.h"
#include "ion_time.h"

/* Values are carved from arena blocks of this many values at most, so the
 * hot path does not call the allocator for every value. */
#define BIN_POOL_MIN 16
#define BIN_POOL_MAX 256
/* A fraction exponent below this is refused (ION_ERR_LIMIT): its text
 * form would hold that many digits, and a few bytes of binary would become
 * a value larger than the reader's own limit for one value (fuzz finding:
 * 10^-2^31 read back as 2 GB of zeros). A million digits is far beyond any
 * real timestamp and still reads back. */
#define BIN_MIN_FRACTION_EXPONENT (-1000000)

/* A fraction coefficient longer than this (about 150 decimal digits) is
 * rejected: no clock is that precise, and it keeps the "< 1" check cheap. */
#define BIN_MAX_FRACTION_BYTES 64

/* Internal status: the data ended before a field or value did. At the top
 * level this becomes ION_NEED_MORE (or an error at end of input); inside a
 * container it is a length error. */
#define BIN_TRUNC (-1000)

struct bin {
	const uint8_t *buf; /* the caller's buffer: error offsets are relative to it */
	struct ion_arena *a;
	struct ion_symtab *st;
	struct ion_error *err;
	struct ion_value *pool; /* carved values not yet handed out */
	size_t pool_left, pool_next;
};

/* A decoded type descriptor and its representation's bounds. */
struct bin_hdr {
	uint8_t t, l;		   /* high and low nibble */
	const uint8_t *start;	   /* the type descriptor */
	const uint8_t *body, *end; /* representation [body, end) */
	uint64_t len;		   /* representation length */
};

static const char *const TYPE_CODE_NAMES[16] = {
	"null/nop pad",	 "bool",      "int",	"negative int", "float",
	"decimal",	 "timestamp", "symbol", "string",	"clob",
	"blob",		 "list",      "sexp",	"struct",	"annotation wrapper",
	"reserved type",
};

__attribute__((format(printf, 4, 5))) static int bin_fail(struct bin *b, const uint8_t *at,
							  int code, const char *fmt, ...)
{
	if (b->err) {
		b->err->code = code;
		b->err->line = 0;
		b->err->column = 0;
		b->err->offset = (size_t)(at - b->buf);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(b->err->msg, sizeof b->err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Allocate a fresh value with an empty header (no annotations, no field
 * name, no sibling); the caller fills type and payload. */
static struct ion_value *bin_new_value(struct bin *b)
{
	if (b->pool_left == 0) {
		size_t n = b->pool_next;
		b->pool = ion_arena_alloc(b->a, n * sizeof *b->pool);
		if (!b->pool)
			return NULL;
		b->pool_left = n;
		if (n < BIN_POOL_MAX)
			b->pool_next = n * 2;
	}
	b->pool_left--;
	struct ion_value *v = b->pool++;
	v->is_null = false;
	v->n_annotations = 0;
	v->annotations = NULL;
	v->field_name.text = NULL;
	v->field_name.len = 0;
	v->field_name.sid = 0;
	v->next = NULL;
	return v;
}

/* VarUInt (7 bits a byte, the last byte has the high bit set). Returns 0,
 * BIN_TRUNC if it runs to end, or ION_ERR_SYNTAX if it overflows 64 bits. */
static inline int bin_varuint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	if (p >= end)
		return BIN_TRUNC;
	uint8_t c = *p++;
	uint64_t v = c & 0x7F;
	while (!(c & 0x80)) {
		if (p >= end)
			return BIN_TRUNC;
		if (v >> 57)
			return ION_ERR_SYNTAX;
		c = *p++;
		v = v << 7 | (c & 0x7F);
	}
	*pp = p;
	*out = v;
	return 0;
}

/* VarInt: like VarUInt with the sign in bit 6 of the first byte. Magnitudes
 * are limited to 63 bits. *negzero reports the "-0" encoding (0xC0 and its
 * padded forms), which timestamps use for an unknown offset. */
static inline int bin_varint(const uint8_t **pp, const uint8_t *end, int64_t *out, bool *negzero)
{
	const uint8_t *p = *pp;
	if (p >= end)
		return BIN_TRUNC;
	uint8_t c = *p++;
	bool neg = c & 0x40;
	uint64_t m = c & 0x3F;
	while (!(c & 0x80)) {
		if (p >= end)
			return BIN_TRUNC;
		if (m >> 56)
			return ION_ERR_SYNTAX;
		c = *p++;
		m = m << 7 | (c & 0x7F);
	}
	*pp = p;
	*out = neg ? -(int64_t)m : (int64_t)m;
	if (negzero)
		*negzero = neg && m == 0;
	return 0;
}

/* Report a failed VarUInt/VarInt read of the named field. */
static int bin_field_fail(struct bin *b, const uint8_t *at, int rc, const char *what)
{
	if (rc == BIN_TRUNC)
		return bin_fail(b, at, ION_ERR_SYNTAX, "%s runs past the end of its value", what);
	return bin_fail(b, at, ION_ERR_SYNTAX, "%s overflows 63 bits", what);
}

/* Strip leading zero bytes of a big-endian magnitude. */
static inline void bin_strip(const uint8_t **p, size_t *n)
{
	while (*n && **p == 0) {
		(*p)++;
		(*n)--;
	}
}

/* Signed Int (sign-and-magnitude, sign in the top bit of the first byte)
 * into a minimal bigint. Points into the buffer unless the first byte holds
 * both the sign and magnitude bits, which are then copied to the arena. */
static int bin_signed_int(struct bin *b, const uint8_t *p, size_t n, struct ion_bigint *out)
{
	out->neg = false;
	out->mag = p;
	out->len = 0;
	if (n == 0)
		return 0;
	out->neg = p[0] & 0x80;
	uint8_t first = p[0] & 0x7F;
	if (first == 0) {
		p++;
		n--;
		bin_strip(&p, &n);
		out->mag = p;
		out->len = n;
		return 0;
	}
	if (!out->neg) {
		out->len = n;
		return 0;
	}
	uint8_t *m = ion_arena_alloc(b->a, n);
	if (!m)
		return bin_fail(b, p, ION_ERR_NOMEM, "out of memory");
	memcpy(m, p, n);
	m[0] = first;
	out->mag = m;
	out->len = n;
	return 0;
}

/* Index of the first invalid UTF-8 byte in s[0..n), or n if valid.
 * Rejects overlongs, surrogates and code points above U+10FFFF. */
static size_t bin_utf8_check(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		uint8_t c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return i;
		}
		if (n - i <= k || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t j = 2; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return i;
		i += k + 1;
	}
	return n;
}

/* Resolve a SID through the symbol table; what names the role in errors. */
static inline int bin_symbol(struct bin *b, const uint8_t *at, uint64_t sid, const char *what,
			     struct ion_symbol *out)
{
	if (sid > UINT32_MAX || ion_symtab_lookup(b->st, (uint32_t)sid, out) != 0)
		return bin_fail(b, at, ION_ERR_SYMBOL, "%s%ssymbol $%llu is not defined",
				what ? what : "", what ? " " : "", (unsigned long long)sid);
	return 0;
}

/* Decode the type descriptor at p (p < end) and its length. Descriptors
 * that are illegal whatever follows are rejected here. Returns 0,
 * BIN_TRUNC when the length field or the representation runs past end
 * (h->len is valid when the length was readable), or an error. The IVM
 * (E0) is the caller's business and is rejected here. */
static int bin_header(struct bin *b, const uint8_t *p, const uint8_t *end, struct bin_hdr *h)
{
	const uint8_t *at = p;
	uint8_t td = *p++;
	uint8_t t = td >> 4, l = td & 15;
	uint64_t len = l;
	h->t = t;
	h->l = l;
	h->len = 0;
	h->start = at;
	if (t == 15)
		return bin_fail(b, at, ION_ERR_SYNTAX,
				"illegal type descriptor 0x%02X (reserved type)", td);
	if (l == 15) {
		if (t == 14)
			return bin_fail(b, at, ION_ERR_SYNTAX,
					"illegal type descriptor 0x%02X (null annotation wrapper)",
					td);
		len = 0;
	} else if (l == 14 || (t == 13 && l == 1)) {
		if (t == 1 || t == 4)
			return bin_fail(b, at, ION_ERR_SYNTAX,
					"illegal type descriptor 0x%02X (%s with a VarUInt length)",
					td, TYPE_CODE_NAMES[t]);
		int rc = bin_varuint(&p, end, &len);
		if (rc == ION_ERR_SYNTAX)
			return bin_fail(b, at, rc, "%s length overflows", TYPE_CODE_NAMES[t]);
		if (rc)
			return rc;
		if (t == 13 && l == 1 && len == 0)
			return bin_fail(b, at, ION_ERR_SYNTAX,
					"sorted struct (0xD1) has no fields");
	} else {
		switch (t) {
		case 1:
			if (l > 1)
				return bin_fail(b, at, ION_ERR_SYNTAX,
						"illegal type descriptor 0x%02X (bool length %u)",
						td, l);
			len = 0; /* L is the value */
			break;
		case 3:
			if (l == 0)
				return bin_fail(b, at, ION_ERR_SYNTAX,
						"illegal type descriptor 0x30 (negative int zero)");
			break;
		case 4:
			if (l != 0 && l != 4 && l != 8)
				return bin_fail(
					b, at, ION_ERR_SYNTAX,
					"illegal type descriptor 0x%02X (float of %u bytes)", td,
					l);
			break;
		case 6:
			if (l < 2)
				return bin_fail(
					b, at, ION_ERR_SYNTAX,
					"illegal type descriptor 0x%02X (timestamp of %u bytes)",
					td, l);
			break;
		case 14:
			if (l == 0)
				return bin_fail(b, at, ION_ERR_SYNTAX,
						"Ion version marker inside a container or wrapper");
			if (l < 3)
				return bin_fail(b, at, ION_ERR_SYNTAX,
						"illegal type descriptor 0x%02X (annotation "
						"wrapper of %u bytes)",
						td, l);
			break;
		default:
			break;
		}
	}
	h->len = len;
	if (len > (uint64_t)(end - p))
		return BIN_TRUNC;
	h->body = p;
	h->end = p + len;
	return 0;
}

/* The header of a value nested in a container (or wrapper) ending at end:
 * running past end is an error, not a reason to wait for more input. */
static int bin_header_in(struct bin *b, const uint8_t *p, const uint8_t *end, struct bin_hdr *h,
			 const char *container)
{
	int rc = bin_header(b, p, end, h);
	if (rc == BIN_TRUNC)
		return bin_fail(b, p, ION_ERR_SYNTAX,
				"%s length %llu runs past the end of its %s (%zu bytes left)",
				TYPE_CODE_NAMES[h->t], (unsigned long long)h->len, container,
				(size_t)(end - p));
	return rc;
}

static int bin_body(struct bin *b, const struct bin_hdr *h, struct ion_value *v, int depth);

/* Is fraction coefficient mag (len bytes) * 10^exp < 1, for exp < 0? */
static bool bin_fraction_below_one(const uint8_t *mag, size_t len, int64_t exp)
{
	uint64_t k = (uint64_t)(-exp);
	if (len == 0 || k >= 3 * (uint64_t)len)
		return true; /* 10^k >= 1000^len > 256^len > mag */
	if (len <= 8) {
		uint64_t m = 0, p10 = 1;
		for (size_t i = 0; i < len; i++)
			m = m << 8 | mag[i];
		if (k >= 20)
			return true;
		for (uint64_t i = 0; i < k; i++)
			p10 *= 10;
		return m < p10;
	}
	/* 10^k in little-endian bytes; k < 3 * len <= 192, so it fits easily */
	uint8_t pw[3 * BIN_MAX_FRACTION_BYTES];
	size_t n = 1;
	pw[0] = 1;
	for (uint64_t i = 0; i < k; i++) {
		unsigned carry = 0;
		for (size_t j = 0; j < n; j++) {
			unsigned x = pw[j] * 10u + carry;
			pw[j] = (uint8_t)x;
			carry = x >> 8;
		}
		if (carry)
			pw[n++] = (uint8_t)carry;
	}
	if (n != len)
		return len < n;
	for (size_t j = 0; j < len; j++) {
		uint8_t x = mag[j], y = pw[len - 1 - j];
		if (x != y)
			return x < y;
	}
	return false; /* equal: exactly 1 */
}

static int bin_timestamp(struct bin *b, const struct bin_hdr *h, struct ion_timestamp *ts)
{
	const uint8_t *p = h->body, *e = h->end;
	int64_t off;
	bool unknown;
	uint64_t f[6] = { 0 }; /* year, month, day, hour, minute, second */
	int rc = bin_varint(&p, e, &off, &unknown);
	if (rc)
		return bin_field_fail(b, p, rc, "timestamp offset");
	static const char *const FIELD[] = { "year", "month", "day", "hour", "minute", "second" };
	int n = 0;
	while (n < 6 && p < e) {
		rc = bin_varuint(&p, e, &f[n]);
		if (rc)
			return bin_field_fail(b, p, rc, FIELD[n]);
		n++;
	}
	if (n == 0)
		return bin_fail(b, h->start, ION_ERR_SYNTAX, "timestamp has no year");
	if (n == 4)
		return bin_fail(b, h->start, ION_ERR_SYNTAX, "timestamp has an hour but no minute");
	static const enum ion_ts_precision PREC[] = { 0, ION_TS_YEAR,	ION_TS_MONTH, ION_TS_DAY,
						      0, ION_TS_MINUTE, ION_TS_SECOND };
	ts->precision = PREC[n];
	ts->frac_exp = 0;
	ts->frac_coef.neg = false;
	ts->frac_coef.mag = NULL;
	ts->frac_coef.len = 0;
	if (p < e) {
		int64_t fexp;
		const uint8_t *at = p;
		rc = bin_varint(&p, e, &fexp, NULL);
		if (rc)
			return bin_field_fail(b, at, rc, "timestamp fraction exponent");
		struct ion_bigint coef;
		if (bin_signed_int(b, p, (size_t)(e - p), &coef))
			return ION_ERR_NOMEM;
		if (coef.len > BIN_MAX_FRACTION_BYTES)
			return bin_fail(b, p, ION_ERR_LIMIT,
					"timestamp fraction coefficient exceeds %d bytes",
					BIN_MAX_FRACTION_BYTES);
		if (coef.neg && coef.len)
			return bin_fail(b, at, ION_ERR_SYNTAX, "timestamp fraction is negative");
		coef.neg = false; /* -0 is 0 */
		if (fexp >= 0) {
			if (coef.len)
				return bin_fail(b, at, ION_ERR_SYNTAX,
						"timestamp fraction is not less than 1");
			/* 0d0 and the like: no fraction at all */
		} else {
			if (fexp < BIN_MIN_FRACTION_EXPONENT)
				return bin_fail(b, at, ION_ERR_LIMIT,
						"timestamp fraction exponent %lld is below %d",
						(long long)fexp, BIN_MIN_FRACTION_EXPONENT);
			if (!bin_fraction_below_one(coef.mag, coef.len, fexp))
				return bin_fail(b, at, ION_ERR_SYNTAX,
						"timestamp fraction is not less than 1");
			ts->precision = ION_TS_FRACTION;
			ts->frac_exp = (int32_t)fexp;
			ts->frac_coef = coef;
		}
	}
	/* Field ranges; the fields are UTC. */
	if (f[0] < 1 || f[0] > 9999)
		return bin_fail(b, h->start, ION_ERR_SYNTAX, "timestamp year %llu is out of range",
				(unsigned long long)f[0]);
	if (n >= 2 && (f[1] < 1 || f[1] > 12))
		return bin_fail(b, h->start, ION_ERR_SYNTAX, "timestamp month %llu is out of range",
				(unsigned long long)f[1]);
	if (n >= 3 && (f[2] < 1 || f[2] > (uint64_t)ion_time_days_in_month((int)f[0], (int)f[1])))
		return bin_fail(b, h->start, ION_ERR_SYNTAX,
				"timestamp day %llu is out of range for %04d-%02d",
				(unsigned long long)f[2], (int)f[0], (int)f[1]);
	if (n >= 5 && (f[3] > 23 || f[4] > 59))
		return bin_fail(b, h->start, ION_ERR_SYNTAX,
				"timestamp time %llu:%llu is out of range",
				(unsigned long long)f[3], (unsigned long long)f[4]);
	if (n >= 6 && f[5] > 59)
		return bin_fail(b, h->start, ION_ERR_SYNTAX,
				"timestamp second %llu is out of range", (unsigned long long)f[5]);
	ts->year = (uint16_t)f[0];
	ts->month = (uint8_t)(n >= 2 ? f[1] : 1);
	ts->day = (uint8_t)(n >= 3 ? f[2] : 1);
	ts->hour = (uint8_t)f[3];
	ts->minute = (uint8_t)f[4];
	ts->second = (uint8_t)f[5];
	ts->offset_known = false;
	ts->offset_min = 0;
	if (n >= 5) {
		/* a date-only timestamp has no offset: any stored one is ignored */
		if (off <= -24 * 60 || off >= 24 * 60)
			return bin_fail(b, h->start, ION_ERR_SYNTAX,
					"timestamp offset %lld minutes is out of range",
					(long long)off);
		if (!unknown) {
			ts->offset_known = true;
			ts->offset_min = (int16_t)off;
		}
		if (!unknown && off != 0) {
			struct ion_time_fields lt = { (int)f[0], (int)f[1], (int)f[2], (int)f[3],
						      (int)f[4] };
			if (!ion_time_add_minutes(&lt, (int)off))
				return bin_fail(b, h->start, ION_ERR_SYNTAX,
						"timestamp local time is outside years 1..9999");
		}
	}
	return 0;
}

/* Children of a list, sexp or struct: values, each field of a struct led by
 * its VarUInt name SID. NOP pads are skipped; in a struct a pad drops its
 * field name (usually $0, but any SID is allowed and not resolved). */
static int bin_children(struct bin *b, const struct bin_hdr *h, struct ion_value *v, int depth)
{
	const uint8_t *p = h->body, *e = h->end;
	struct ion_value **tail = &v->u.c.first_child;
	size_t count = 0;
	bool fields = h->t == 13;
	const char *what = fields ? "struct" : h->t == 11 ? "list" : "sexp";
	while (p < e) {
		const uint8_t *at = p;
		uint64_t sid = 0;
		int rc;
		if (fields) {
			if ((rc = bin_varuint(&p, e, &sid)))
				return bin_field_fail(b, at, rc, "struct field name");
			if (p >= e)
				return bin_fail(b, at, ION_ERR_SYNTAX,
						"struct field $%llu has no value",
						(unsigned long long)sid);
		}
		struct bin_hdr ch;
		if ((rc = bin_header_in(b, p, e, &ch, what)))
			return rc;
		if (ch.t == 0 && ch.l != 15) {
			p = ch.end; /* NOP pad */
			continue;
		}
		struct ion_value *c = bin_new_value(b);
		if (!c)
			return bin_fail(b, p, ION_ERR_NOMEM, "out of memory");
		if (fields && (rc = bin_symbol(b, at, sid, "field name", &c->field_name)))
			return rc;
		if ((rc = bin_body(b, &ch, c, depth + 1)))
			return rc;
		*tail = c;
		tail = &c->next;
		count++;
		p = ch.end;
	}
	*tail = NULL;
	v->u.c.count = count;
	return 0;
}

/* Annotation wrapper: annot_length, that many bytes of SIDs, then exactly
 * one value that fills the rest of the wrapper. */
static int bin_annotated(struct bin *b, const struct bin_hdr *h, struct ion_value *v, int depth)
{
	const uint8_t *p = h->body, *e = h->end;
	uint64_t alen;
	int rc = bin_varuint(&p, e, &alen);
	if (rc)
		return bin_field_fail(b, h->body, rc, "annotation length");
	if (alen == 0)
		return bin_fail(b, h->start, ION_ERR_SYNTAX,
				"annotation wrapper has no annotations");
	if (alen >= (uint64_t)(e - p))
		return bin_fail(b, h->start, ION_ERR_SYNTAX,
				"annotation length %llu leaves no room for a value in its wrapper",
				(unsigned long long)alen);
	const uint8_t *ae = p + alen;
	uint32_t sids[ION_MAX_ANNOTATIONS];
	size_t n = 0;
	while (p < ae) {
		const uint8_t *at = p;
		uint64_t sid;
		rc = bin_varuint(&p, ae, &sid);
		if (rc)
			return bin_field_fail(b, at, rc, "annotation symbol ID");
		if (n == ION_MAX_ANNOTATIONS)
			return bin_fail(b, at, ION_ERR_LIMIT, "value has more than %d annotations",
					ION_MAX_ANNOTATIONS);
		if (sid > UINT32_MAX)
			return bin_fail(b, at, ION_ERR_SYMBOL,
					"annotation symbol $%llu is not defined",
					(unsigned long long)sid);
		sids[n++] = (uint32_t)sid;
	}
	struct ion_symbol *ann = ion_arena_alloc(b->a, n * sizeof *ann);
	if (!ann)
		return bin_fail(b, h->start, ION_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		rc = bin_symbol(b, h->start, sids[i], "annotation", &ann[i]);
		if (rc)
			return rc;
	}
	uint8_t td = *p;
	if (td >> 4 == 14)
		return bin_fail(b, p, ION_ERR_SYNTAX,
				td == 0xE0 ? "Ion version marker inside an annotation wrapper"
					   : "annotation wrapper inside an annotation wrapper");
	if (td >> 4 == 0 && (td & 15) != 15)
		return bin_fail(b, p, ION_ERR_SYNTAX, "annotation wrapper around a NOP pad");
	struct bin_hdr vh;
	rc = bin_header_in(b, p, e, &vh, "annotation wrapper");
	if (rc)
		return rc;
	if (vh.end != e)
		return bin_fail(
			b, h->start, ION_ERR_SYNTAX,
			"annotation wrapper length does not match its value (%zu bytes left over)",
			(size_t)(e - vh.end));
	v->n_annotations = (uint16_t)n;
	v->annotations = ann;
	return bin_body(b, &vh, v, depth);
}

/* Parse the representation described by h into v (whose header fields are
 * already initialised). depth counts the containers around v. */
static int bin_body(struct bin *b, const struct bin_hdr *h, struct ion_value *v, int depth)
{
	const uint8_t *p = h->body;
	size_t n = (size_t)h->len;
	if (h->t == 14)
		return bin_annotated(b, h, v, depth);
	v->type = h->t == 3 ? ION_TYPE_INT : h->t;
	if (h->l == 15) {
		v->is_null = true;
		return 0;
	}
	switch (h->t) {
	case 1:
		v->u.b = h->l == 1;
		return 0;
	case 2:
	case 3:
		bin_strip(&p, &n);
		if (h->t == 3 && n == 0)
			return bin_fail(b, p - 1, ION_ERR_SYNTAX,
					"negative int with magnitude zero");
		v->u.i.neg = h->t == 3;
		v->u.i.mag = p;
		v->u.i.len = n;
		return 0;
	case 4:
		if (n == 0) {
			v->u.f = 0.0;
		} else if (n == 4) {
			uint32_t w = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				     (uint32_t)p[2] << 8 | p[3];
			float x;
			memcpy(&x, &w, 4);
			v->u.f = x;
		} else {
			uint64_t w = 0;
			for (int i = 0; i < 8; i++)
				w = w << 8 | p[i];
			memcpy(&v->u.f, &w, 8);
		}
		return 0;
	case 5: {
		v->u.dec.exponent = 0;
		v->u.dec.coef.neg = false;
		v->u.dec.coef.mag = p;
		v->u.dec.coef.len = 0;
		if (n == 0)
			return 0;
		int rc = bin_varint(&p, h->end, &v->u.dec.exponent, NULL);
		if (rc)
			return bin_field_fail(b, h->body, rc, "decimal exponent");
		if (v->u.dec.exponent > ION_MAX_DECIMAL_EXPONENT ||
		    v->u.dec.exponent < -ION_MAX_DECIMAL_EXPONENT)
			return bin_fail(b, h->body, ION_ERR_LIMIT,
					"decimal exponent %lld exceeds ION_MAX_DECIMAL_EXPONENT",
					(long long)v->u.dec.exponent);
		return bin_signed_int(b, p, (size_t)(h->end - p), &v->u.dec.coef);
	}
	case 6:
		return bin_timestamp(b, h, &v->u.ts);
	case 7: {
		bin_strip(&p, &n);
		if (n > 4)
			return bin_fail(b, h->body, ION_ERR_SYMBOL,
					"symbol ID of %zu bytes is too large", n);
		uint32_t sid = 0;
		for (size_t i = 0; i < n; i++)
			sid = sid << 8 | p[i];
		return bin_symbol(b, h->start, sid, NULL, &v->u.sym);
	}
	case 8: {
		size_t bad = bin_utf8_check(p, n);
		if (bad != n)
			return bin_fail(b, p + bad, ION_ERR_SYNTAX, "string is not valid UTF-8");
	}
		/* fall through */
	case 9:
	case 10:
		v->u.bytes.data = p;
		v->u.bytes.len = n;
		return 0;
	case 11:
	case 12:
	case 13:
		if (depth >= ION_MAX_DEPTH)
			return bin_fail(b, p, ION_ERR_LIMIT, "containers nest deeper than %d",
					ION_MAX_DEPTH);
		return bin_children(b, h, v, depth);
	default: /* T=0 L=15: plain null is handled above; pads never get here */
		return bin_fail(b, p, ION_ERR_SYNTAX, "unexpected type descriptor");
	}
}

/* Is v the no-op system symbol $ion_1_0 (unannotated, top level)? */
static bool bin_is_noop_symbol(const struct ion_value *v)
{
	return v->type == ION_TYPE_SYMBOL && !v->is_null && v->n_annotations == 0 &&
	       ion_symbol_eq(&v->u.sym, "$ion_1_0");
}

int ion_binary_next(const uint8_t *buf, size_t len, size_t *pos, bool at_eof, struct ion_arena *a,
		    struct ion_symtab *st, struct ion_value **out, struct ion_error *err)
{
	static const uint8_t EMPTY[1];
	if (!buf) /* an empty buffer may come as NULL; pointer arithmetic on it is UB */
		buf = EMPTY;
	struct bin b = { .buf = buf, .a = a, .st = st, .err = err, .pool_next = BIN_POOL_MIN };
	const uint8_t *end = buf + len;
	for (;;) {
		const uint8_t *p = buf + *pos;
		if (p >= end)
			return at_eof ? 0 : ION_NEED_MORE;
		if (*p == 0xE0) {
			if (end - p < 4) {
				if (!at_eof)
					return ION_NEED_MORE;
				return bin_fail(&b, p, ION_ERR_SYNTAX,
						"truncated Ion version marker");
			}
			if (p[1] == 0x01 && p[2] == 0x00 && p[3] == 0xEA) {
				ion_symtab_reset(st);
				*pos += 4;
				continue;
			}
			if (p[3] == 0xEA)
				return bin_fail(&b, p, ION_ERR_UNSUPPORTED,
						"unsupported Ion version %u.%u (only 1.0)", p[1],
						p[2]);
			return bin_fail(&b, p, ION_ERR_SYNTAX,
					"bad Ion version marker %02X %02X %02X %02X", p[0], p[1],
					p[2], p[3]);
		}
		struct bin_hdr h;
		int rc = bin_header(&b, p, end, &h);
		if (h.len > ION_MAX_VALUE_BYTES)
			return bin_fail(&b, p, ION_ERR_LIMIT,
					"value of %llu bytes exceeds %u bytes",
					(unsigned long long)h.len, ION_MAX_VALUE_BYTES);
		if (rc == BIN_TRUNC) {
			if (!at_eof)
				return ION_NEED_MORE;
			return bin_fail(&b, p, ION_ERR_SYNTAX,
					"%s runs past the end of the input (%zu bytes left)",
					TYPE_CODE_NAMES[h.t], (size_t)(end - p));
		}
		if (rc)
			return rc;
		if (h.t == 0 && h.l != 15) {
			*pos = (size_t)(h.end - buf); /* NOP pad */
			continue;
		}
		struct ion_value *v = bin_new_value(&b);
		if (!v)
			return bin_fail(&b, p, ION_ERR_NOMEM, "out of memory");
		rc = bin_body(&b, &h, v, 0);
		if (rc)
			return rc;
		if (ion_is_lst(v)) {
			rc = ion_symtab_apply_lst(st, v, err);
			if (rc) {
				if (err) {
					err->line = err->column = 0;
					err->offset = (size_t)(p - buf);
				}
				return rc;
			}
			*pos = (size_t)(h.end - buf);
			continue;
		}
		*pos = (size_t)(h.end - buf);
		if (bin_is_noop_symbol(v))
			continue;
		*out = v;
		return 1;
	}
}
