/*
 * ion_text_str.c - Ion text strings, quoted symbols, long strings, blobs and
 * clobs.
 *
 * Quoted text is read in two passes. The first finds the closing quote,
 * validates UTF-8 and raw characters, and notes whether anything needs
 * rewriting (escapes, or CR / CRLF in long text, which become LF). Text that
 * needs none is returned as a pointer into the caller's buffer (the common
 * case: no copy). Otherwise the second pass decodes escapes into the arena;
 * decoded text is never longer than its source, so one allocation suffices.
 */
#include <string.h>

#include "base64.h"
#include "ion_text_lex.h"

/* Escape table: 0 = invalid, 1..256 = the byte value + 1, or one of: */
enum { ESC_X = 0x200, ESC_U4, ESC_U8, ESC_NL };
static const uint16_t ESCAPES[256] = {
	['a'] = 0x07 + 1, ['b'] = 0x08 + 1, ['t'] = 0x09 + 1,  ['n'] = 0x0a + 1, ['f'] = 0x0c + 1,
	['r'] = 0x0d + 1, ['v'] = 0x0b + 1, ['?'] = '?' + 1,   ['0'] = 0x00 + 1, ['\''] = '\'' + 1,
	['"'] = '"' + 1,  ['/'] = '/' + 1,  ['\\'] = '\\' + 1, ['x'] = ESC_X,	 ['u'] = ESC_U4,
	['U'] = ESC_U8,	  ['\n'] = ESC_NL,  ['\r'] = ESC_NL,
};

/* Kinds of quoted text: what is allowed raw and how escapes decode. */
struct text_kind {
	const char *name; /* for messages */
	bool is_long;	  /* '''…''': raw newlines allowed, CR normalised */
	bool clob;	  /* ASCII only, \x is a byte, no \u / \U */
};
static const struct text_kind KIND_STRING = { "string", false, false };
static const struct text_kind KIND_SYMBOL = { "quoted symbol", false, false };
static const struct text_kind KIND_LONG = { "long string", true, false };
static const struct text_kind KIND_CLOB = { "clob", false, true };
static const struct text_kind KIND_LONG_CLOB = { "clob", true, true };

struct range {
	const uint8_t *a, *b;
};

/* Ranges of a concatenated long string or clob: a few on the stack, more in
 * the arena (long strings split into many pieces are rare). */
#define RANGES_ON_STACK 8
struct ranges {
	struct range *r;
	size_t n, cap;
	struct range stack[RANGES_ON_STACK];
};

static int ranges_add(struct ion_text_cur *c, struct ranges *rs, const uint8_t *a, const uint8_t *b)
{
	if (rs->n == rs->cap) {
		int rc = 0;
		struct range *n = ion_text_alloc(c, rs->cap * 2 * sizeof *n, &rc);
		if (!n)
			return rc;
		memcpy(n, rs->r, rs->n * sizeof *n);
		rs->r = n;
		rs->cap *= 2;
	}
	rs->r[rs->n++] = (struct range){ a, b };
	return 0;
}

static int raw_char_error(struct ion_text_cur *c, const uint8_t *q, const struct text_kind *k)
{
	if (*q == '\n' || *q == '\r')
		return ion_text_fail(c, q, ION_ERR_SYNTAX,
				     "newline in %s (use \\n or a long string)", k->name);
	return ion_text_fail(c, q, ION_ERR_SYNTAX, "raw control character 0x%02x in %s", *q,
			     k->name);
}

/*
 * Pass one over quoted text whose body starts at q (open: the opening quote,
 * for messages). Sets *close to the closing quote ('"', '\'' or the first of
 * "'''") and *rewrite when the text needs decoding.
 */
static int scan_text(struct ion_text_cur *c, const uint8_t *open, const uint8_t *q, uint8_t quote,
		     const struct text_kind *k, const uint8_t **close, bool *rewrite)
{
	const uint8_t *end = c->end;
	for (;;) {
		while (q < end && (ion_text_class[*q] & ITC_PLAIN))
			q++;
		if (q >= end)
			return ion_text_truncated(c, open, k->name);
		uint8_t ch = *q;
		if (ch == quote) {
			if (!k->is_long)
				break;
			if (q + 1 >= end)
				return ion_text_truncated(c, open, k->name);
			if (q[1] != '\'') {
				q++;
				continue;
			}
			if (q + 2 >= end)
				return ion_text_truncated(c, open, k->name);
			if (q[2] == '\'')
				break;
			q += 2;
		} else if (ch == '"' || ch == '\'') {
			q++; /* the other quote */
		} else if (ch == '\\') {
			if (q + 1 >= end)
				return ion_text_truncated(c, open, k->name);
			*rewrite = true;
			/* a non-ASCII escaped character is invalid; let pass two
			 * say so after UTF-8 has been checked */
			if (q[1] == '\r') { /* backslash-CRLF is one escape */
				if (q + 2 >= end)
					return ion_text_truncated(c, open, k->name);
				q += q[2] == '\n' ? 3 : 2;
			} else {
				q += q[1] < 0x80 ? 2 : 1;
			}
		} else if (ch >= 0x80) {
			if (k->clob)
				return ion_text_fail(c, q, ION_ERR_SYNTAX,
						     "non-ASCII byte 0x%02x in clob", ch);
			int n = ion_text_utf8_len(q, end);
			if (n < 0)
				return ion_text_truncated(c, open, k->name);
			if (n == 0)
				return ion_text_fail(c, q, ION_ERR_SYNTAX, "invalid UTF-8 in %s",
						     k->name);
			q += n;
		} else if (ch == '\t' || ch == '\v' || ch == '\f') {
			q++;
		} else if (k->is_long && (ch == '\n' || ch == '\r')) {
			*rewrite |= ch == '\r';
			q++;
		} else {
			return raw_char_error(c, q, k);
		}
	}
	*close = q;
	return 0;
}

static int hex_digits(const uint8_t *p, const uint8_t *to, int n, uint32_t *out)
{
	if (to - p < n)
		return -1;
	uint32_t v = 0;
	for (int k = 0; k < n; k++) {
		uint8_t ch = p[k];
		int d = ch >= '0' && ch <= '9'			   ? ch - '0'
			: (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10
								   : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static size_t utf8_put(uint32_t cp, uint8_t *o)
{
	if (cp < 0x80) {
		o[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (uint8_t)(0xc0 | cp >> 6);
		o[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (uint8_t)(0xe0 | cp >> 12);
		o[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (uint8_t)(0xf0 | cp >> 18);
	o[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

static int bad_escape(struct ion_text_cur *c, const uint8_t *esc, const struct text_kind *k)
{
	uint8_t ch = esc[1];
	if (ch > 0x20 && ch < 0x7f)
		return ion_text_fail(c, esc, ION_ERR_SYNTAX, "invalid escape \\%c in %s", ch,
				     k->name);
	return ion_text_fail(c, esc, ION_ERR_SYNTAX, "invalid escape \\ + byte 0x%02x in %s", ch,
			     k->name);
}

/* Pass two: decode [p, to) (already scanned) into o; returns bytes written
 * through *n. */
static int decode_text(struct ion_text_cur *c, const uint8_t *p, const uint8_t *to, uint8_t *o,
		       size_t *n, const struct text_kind *k)
{
	uint8_t *o0 = o;
	while (p < to) {
		uint8_t ch = *p;
		if (ch != '\\') {
			if (ch == '\r') { /* CR and CRLF become LF */
				*o++ = '\n';
				p += p + 1 < to && p[1] == '\n' ? 2 : 1;
				continue;
			}
			*o++ = ch;
			p++;
			continue;
		}
		const uint8_t *esc = p;
		unsigned e = ESCAPES[p[1]];
		p += 2;
		if (e == 0)
			return bad_escape(c, esc, k);
		if (e <= 256) {
			*o++ = (uint8_t)(e - 1);
			continue;
		}
		if (e == ESC_NL) { /* backslash-newline: nothing */
			if (p[-1] == '\r' && p < to && *p == '\n')
				p++;
			continue;
		}
		uint32_t cp;
		if (e == ESC_X) {
			if (hex_digits(p, to, 2, &cp))
				return ion_text_fail(c, esc, ION_ERR_SYNTAX,
						     "\\x needs two hex digits in %s", k->name);
			p += 2;
			if (k->clob) {
				*o++ = (uint8_t)cp;
				continue;
			}
		} else if (k->clob) {
			return ion_text_fail(c, esc, ION_ERR_SYNTAX,
					     "\\%c escape not allowed in clob (ASCII only)",
					     esc[1]);
		} else if (e == ESC_U4) {
			if (hex_digits(p, to, 4, &cp))
				return ion_text_fail(c, esc, ION_ERR_SYNTAX,
						     "\\u needs four hex digits in %s", k->name);
			p += 4;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return ion_text_fail(c, esc, ION_ERR_SYNTAX,
						     "unpaired low surrogate \\u%04X in %s", cp,
						     k->name);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				uint32_t lo;
				if (to - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    hex_digits(p + 2, to, 4, &lo) || lo < 0xdc00 || lo > 0xdfff)
					return ion_text_fail(
						c, esc, ION_ERR_SYNTAX,
						"unpaired high surrogate \\u%04X in %s", cp,
						k->name);
				p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
		} else {
			if (hex_digits(p, to, 8, &cp))
				return ion_text_fail(c, esc, ION_ERR_SYNTAX,
						     "\\U needs eight hex digits in %s", k->name);
			p += 8;
			if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return ion_text_fail(c, esc, ION_ERR_SYNTAX,
						     "\\U%08X is not a Unicode scalar value in %s",
						     cp, k->name);
		}
		o += utf8_put(cp, o);
	}
	*n = (size_t)(o - o0);
	return 0;
}

/* Decode every range into one arena block (or borrow a single clean one). */
static int join_ranges(struct ion_text_cur *c, const struct ranges *rs, bool rewrite,
		       const struct text_kind *k, const uint8_t **data, size_t *len)
{
	if (rs->n == 1 && !rewrite) {
		*data = rs->r[0].a;
		*len = (size_t)(rs->r[0].b - rs->r[0].a);
		return 0;
	}
	size_t total = 0;
	for (size_t i = 0; i < rs->n; i++)
		total += (size_t)(rs->r[i].b - rs->r[i].a);
	int rc = 0;
	uint8_t *out = ion_text_alloc(c, total, &rc);
	if (!out)
		return rc;
	size_t o = 0;
	for (size_t i = 0; i < rs->n; i++) {
		size_t n;
		if (!rewrite) {
			n = (size_t)(rs->r[i].b - rs->r[i].a);
			memcpy(out + o, rs->r[i].a, n);
		} else if ((rc = decode_text(c, rs->r[i].a, rs->r[i].b, out + o, &n, k))) {
			return rc;
		}
		o += n;
	}
	*data = out;
	*len = o;
	return 0;
}

int ion_text_read_quoted(struct ion_text_cur *c, uint8_t quote, const uint8_t **data, size_t *len)
{
	const struct text_kind *k = quote == '"' ? &KIND_STRING : &KIND_SYMBOL;
	const uint8_t *open = c->p, *close;
	bool rewrite = false;
	int rc = scan_text(c, open, open + 1, quote, k, &close, &rewrite);
	if (rc)
		return rc;
	c->p = close + 1;
	if (!rewrite) {
		*data = open + 1;
		*len = (size_t)(close - open - 1);
		return 0;
	}
	uint8_t *out = ion_text_alloc(c, (size_t)(close - open - 1), &rc);
	if (!out)
		return rc;
	*data = out;
	return decode_text(c, open + 1, close, out, len, k);
}

static bool long_quote_at(const uint8_t *p, const uint8_t *end)
{
	return end - p >= 3 && p[0] == '\'' && p[1] == '\'' && p[2] == '\'';
}

int ion_text_read_long(struct ion_text_cur *c, const uint8_t **data, size_t *len)
{
	struct ranges rs = { .cap = RANGES_ON_STACK };
	rs.r = rs.stack;
	bool rewrite = false;
	const uint8_t *after;
	for (;;) {
		const uint8_t *open = c->p, *close;
		int rc = scan_text(c, open, open + 3, '\'', &KIND_LONG, &close, &rewrite);
		if (rc || (rc = ranges_add(c, &rs, open + 3, close)))
			return rc;
		after = close + 3;
		/* another long string after whitespace or comments joins this one */
		c->p = after;
		if ((rc = ion_text_skip_ws(c)))
			return rc;
		if (long_quote_at(c->p, c->end))
			continue;
		if (!c->at_eof) {
			size_t left = (size_t)(c->end - c->p);
			if (left == 0 ||
			    (left <= 2 && c->p[0] == '\'' && (left == 1 || c->p[1] == '\'')))
				return ION_NEED_MORE; /* could still become ''' */
		}
		break;
	}
	c->p = after;
	return join_ranges(c, &rs, rewrite, &KIND_LONG, data, len);
}

/* Base64 digit values (RFC 4648), -1 for anything else, as a constant table
 * so the blob loops need no per-character branches. */
#define B64_VALUE(ch)                                                                              \
	((ch) >= 'A' && (ch) <= 'Z'   ? (ch) - 'A'                                                 \
	 : (ch) >= 'a' && (ch) <= 'z' ? (ch) - 'a' + 26                                            \
	 : (ch) >= '0' && (ch) <= '9' ? (ch) - '0' + 52                                            \
	 : (ch) == '+'		      ? 62                                                         \
	 : (ch) == '/'		      ? 63                                                         \
				      : -1)
/* explicit casts: clang checks the range of every branch, taken or not */
#define B64_ENTRY(ch) (int8_t)(B64_VALUE(ch))
#define B4(i) B64_ENTRY(i), B64_ENTRY((i) + 1), B64_ENTRY((i) + 2), B64_ENTRY((i) + 3)
#define B16(i) B4(i), B4((i) + 4), B4((i) + 8), B4((i) + 12)
#define B64R(i) B16(i), B16((i) + 16), B16((i) + 32), B16((i) + 48)
static const int8_t BASE64_DIGIT[256] = { B64R(0), B64R(64), B64R(128), B64R(192) };

static bool is_base64(uint8_t ch)
{
	return BASE64_DIGIT[ch] >= 0 || ch == '=';
}

static const uint8_t *skip_plain_ws(const uint8_t *q, const uint8_t *end)
{
	while (q < end && (ion_text_class[*q] & ITC_WS))
		q++;
	return q;
}

/* Expect "}}" at q (after optional whitespace); sets c->p past it. */
static int lob_close(struct ion_text_cur *c, const uint8_t *open, const uint8_t *q,
		     const char *what)
{
	q = skip_plain_ws(q, c->end);
	if (q + 1 >= c->end)
		return ion_text_truncated(c, open, what);
	if (q[0] != '}' || q[1] != '}')
		return ion_text_fail(c, q, ION_ERR_SYNTAX, "expected }} to close %s", what);
	c->p = q + 2;
	return 0;
}

/*
 * The common blob: digits, up to two '=' and "}}" with no whitespace (every
 * QLDB hash). Decodes in place with the table, with the same strictness as
 * base64_decode. Returns false (nothing consumed) for anything else.
 */
static bool read_blob_fast(struct ion_text_cur *c, const uint8_t *open, struct ion_value *v,
			   int *rc)
{
	const uint8_t *s = open + 2, *q = s, *end = c->end;
	while (q < end && BASE64_DIGIT[*q] >= 0)
		q++;
	const uint8_t *digits_end = q;
	while (q < end && *q == '=' && q - digits_end < 2)
		q++;
	size_t ndig = (size_t)(digits_end - s), npad = (size_t)(q - digits_end);
	if (end - q < 2 || q[0] != '}' || q[1] != '}' || (ndig + npad) % 4 != 0 ||
	    (npad && ndig % 4 != 4 - npad))
		return false;
	uint8_t *out = ion_text_alloc(c, ndig / 4 * 3 + 3, rc);
	if (!out)
		return true;
	uint8_t *o = out;
	const uint8_t *p = s;
	for (; digits_end - p >= 4; p += 4) {
		uint32_t w = (uint32_t)BASE64_DIGIT[p[0]] << 18 |
			     (uint32_t)BASE64_DIGIT[p[1]] << 12 |
			     (uint32_t)BASE64_DIGIT[p[2]] << 6 | (uint32_t)BASE64_DIGIT[p[3]];
		o[0] = (uint8_t)(w >> 16);
		o[1] = (uint8_t)(w >> 8);
		o[2] = (uint8_t)w;
		o += 3;
	}
	if (npad) {
		uint32_t w = (uint32_t)BASE64_DIGIT[p[0]] << 18 | (uint32_t)BASE64_DIGIT[p[1]]
									  << 12;
		if (npad == 1)
			w |= (uint32_t)BASE64_DIGIT[p[2]] << 6;
		/* the bits the padding drops must be zero (strict, as base64_decode) */
		if (w & (npad == 1 ? 0xffu : 0xffffu)) {
			*rc = ion_text_fail(c, open, ION_ERR_SYNTAX,
					    "invalid base64 in blob (nonzero bits before padding)");
			return true;
		}
		*o++ = (uint8_t)(w >> 16);
		if (npad == 1)
			*o++ = (uint8_t)(w >> 8);
	}
	v->type = ION_TYPE_BLOB;
	v->u.bytes.data = out;
	v->u.bytes.len = (size_t)(o - out);
	c->p = q + 2;
	return true;
}

static int read_blob(struct ion_text_cur *c, const uint8_t *open, struct ion_value *v)
{
	int rc = 0;
	if (read_blob_fast(c, open, v, &rc))
		return rc;
	/* general case (whitespace inside): validate, then base64_decode */
	const uint8_t *q = open + 2, *end = c->end;
	for (;;) {
		while (q < end && (is_base64(*q) || (ion_text_class[*q] & ITC_WS)))
			q++;
		if (q + 1 >= end)
			return ion_text_truncated(c, open, "blob");
		if (q[0] == '}' && q[1] == '}')
			break;
		if (q[0] == '}')
			return ion_text_fail(c, q, ION_ERR_SYNTAX, "expected }} to close blob");
		if (*q > 0x20 && *q < 0x7f)
			return ion_text_fail(c, q, ION_ERR_SYNTAX, "invalid character '%c' in blob",
					     *q);
		return ion_text_fail(c, q, ION_ERR_SYNTAX, "invalid byte 0x%02x in blob", *q);
	}
	size_t raw = (size_t)(q - open - 2);
	uint8_t *out = ion_text_alloc(c, raw / 4 * 3 + 3, &rc);
	if (!out)
		return rc;
	long n = base64_decode((const char *)open + 2, raw, out, raw / 4 * 3 + 3);
	if (n < 0)
		return ion_text_fail(c, open, ION_ERR_SYNTAX,
				     "invalid base64 in blob (length or padding)");
	v->type = ION_TYPE_BLOB;
	v->u.bytes.data = out;
	v->u.bytes.len = (size_t)n;
	c->p = q + 2;
	return 0;
}

/* Clob body at q ('"' or '''): short, or long pieces joined across plain
 * whitespace (comments are not allowed inside the braces). */
static int read_clob(struct ion_text_cur *c, const uint8_t *open, const uint8_t *q,
		     struct ion_value *v)
{
	struct ranges rs = { .cap = RANGES_ON_STACK };
	rs.r = rs.stack;
	bool rewrite = false;
	const struct text_kind *k;
	int rc;
	const uint8_t *close, *end = c->end;
	if (*q == '"') {
		k = &KIND_CLOB;
		if ((rc = scan_text(c, open, q + 1, '"', k, &close, &rewrite)) ||
		    (rc = ranges_add(c, &rs, q + 1, close)))
			return rc;
		q = close + 1;
	} else {
		k = &KIND_LONG_CLOB;
		for (;;) {
			if (end - q < 3 && !c->at_eof)
				return ION_NEED_MORE;
			if (!long_quote_at(q, end))
				return ion_text_fail(c, q, ION_ERR_SYNTAX,
						     "clob needs \"…\" or '''…''' inside {{ }}");
			if ((rc = scan_text(c, open, q + 3, '\'', k, &close, &rewrite)) ||
			    (rc = ranges_add(c, &rs, q + 3, close)))
				return rc;
			q = skip_plain_ws(close + 3, end);
			if (q == end)
				return ion_text_truncated(c, open, "clob");
			if (*q != '\'')
				break;
		}
	}
	if ((rc = lob_close(c, open, q, "clob")))
		return rc;
	v->type = ION_TYPE_CLOB;
	return join_ranges(c, &rs, rewrite, k, &v->u.bytes.data, &v->u.bytes.len);
}

int ion_text_read_lob(struct ion_text_cur *c, struct ion_value *v)
{
	const uint8_t *open = c->p;
	const uint8_t *q = skip_plain_ws(open + 2, c->end);
	if (q == c->end)
		return ion_text_truncated(c, open, "blob or clob");
	if (*q == '"' || *q == '\'')
		return read_clob(c, open, q, v);
	return read_blob(c, open, v);
}
