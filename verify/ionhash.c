/*
 * ionhash.c - Ion Hash 1.0 (see ionhash.h; the rules are summarised in
 * shared/docs/ion.md §1).
 *
 *   s(scalar)  = B || TQ || escape(minimal repr) || E
 *   s(list)    = B || TQ || s(child)... || E                (no escaping)
 *   s(struct)  = B || D0 || escape(sorted field digests) || E
 *   s(annot)   = B || E0 || s(ann)... || s(value) || E
 *   H(field)   = h(s(name as symbol) || s(value)), a fresh hash per field
 *
 * Layout for speed: one hasher owns a level per container depth. A struct
 * at depth d serializes each field into levels[d].field (nested structs use
 * deeper levels, so nothing is overwritten), hashes it once, and keeps the
 * digests in levels[d].digests until it sorts and escapes them. The buffers
 * grow to the largest value seen and are reused, so steady-state hashing
 * does no allocation. Lists, sexps and annotation wrappers stream straight
 * into the enclosing buffer.
 */
#include "ionhash.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

#define HASH_BEGIN 0x0B
#define HASH_END 0x0E
#define HASH_ESCAPE 0x0C
#define HASH_TQ_SYMBOL_SID0 0x71 /* $0: symbol with no text, no repr */
#define HASH_TQ_ANNOTATED 0xE0
#define HASH_MAX_DIGEST 32	   /* SHA-256; MD5 is 16 */
#define HASH_INSERTION_SORT_MAX 16 /* fewer fields: insertion sort beats qsort */

enum ionhash_algo {
	IONHASH_SHA256,
	IONHASH_MD5,
	IONHASH_IDENTITY,
};

static const struct {
	const char *name;
	enum ionhash_algo algo;
} ALGOS[] = {
	{ "sha256", IONHASH_SHA256 },
	{ "md5", IONHASH_MD5 },
	{ "identity", IONHASH_IDENTITY },
};

/* One field digest of a struct being hashed: offset and length in the
 * level's digests buffer, resolved to a pointer once all are collected
 * (the buffer may move while it grows). */
struct ionhash_span {
	size_t off, len;
	const uint8_t *p;
};

struct ionhash_level {
	struct buf field;   /* s(name) || s(value) of the field being hashed */
	struct buf digests; /* this struct's field digests, back to back */
	struct buf spans;   /* struct ionhash_span[] over digests */
};

struct ionhash {
	enum ionhash_algo algo;
	size_t digest_len; /* 0 for identity (the digest is the input) */
	struct sha256 *sha;
	EVP_MD *md5;
	EVP_MD_CTX *md5_ctx;
	struct buf top; /* s(top-level value) for the real hashes */
	struct ionhash_level levels[ION_MAX_DEPTH + 1];
};

struct ionhash *ionhash_new(const char *algo)
{
	size_t i = 0;
	while (i < sizeof ALGOS / sizeof ALGOS[0] && strcmp(ALGOS[i].name, algo) != 0)
		i++;
	if (i == sizeof ALGOS / sizeof ALGOS[0])
		return NULL;
	struct ionhash *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->algo = ALGOS[i].algo;
	switch (h->algo) {
	case IONHASH_SHA256:
		h->digest_len = SHA256_LEN;
		h->sha = sha256_new();
		if (!h->sha)
			goto fail;
		break;
	case IONHASH_MD5:
		h->digest_len = 16;
		h->md5 = EVP_MD_fetch(NULL, "MD5", NULL);
		h->md5_ctx = EVP_MD_CTX_new();
		if (!h->md5 || !h->md5_ctx)
			goto fail;
		break;
	case IONHASH_IDENTITY:
		h->digest_len = 0;
		break;
	}
	return h;
fail:
	ionhash_free(h);
	return NULL;
}

void ionhash_free(struct ionhash *h)
{
	if (!h)
		return;
	sha256_free(h->sha);
	EVP_MD_CTX_free(h->md5_ctx);
	EVP_MD_free(h->md5);
	buf_free(&h->top);
	for (size_t i = 0; i < sizeof h->levels / sizeof h->levels[0]; i++) {
		buf_free(&h->levels[i].field);
		buf_free(&h->levels[i].digests);
		buf_free(&h->levels[i].spans);
	}
	free(h);
}

/* out = h(p[0..n)) for the real hashes (not identity). */
static int hash_bytes(struct ionhash *h, const uint8_t *p, size_t n, uint8_t *out)
{
	if (h->algo == IONHASH_SHA256)
		return sha256_once(h->sha, p, n, out);
	if (EVP_DigestInit_ex(h->md5_ctx, h->md5, NULL) != 1 ||
	    EVP_DigestUpdate(h->md5_ctx, p, n) != 1 ||
	    EVP_DigestFinal_ex(h->md5_ctx, out, NULL) != 1)
		return -1;
	return 0;
}

/* --- Byte output ------------------------------------------------------- */

/* Make room for n more bytes: the common case is one compare, inline. */
static inline int ensure(struct buf *b, size_t n)
{
	return b->cap - b->len >= n ? 0 : buf_reserve(b, n);
}

#define BYTES8(b) ((uint64_t)(b)*UINT64_C(0x0101010101010101))

/* Does any of the 8 bytes of x equal a marker (B, E or ESC)? The classic
 * exact zero-byte test (x - 0x01..) & ~x & 0x80.. applied to x ^ marker. */
static inline bool word_has_marker(uint64_t x)
{
	static const uint64_t LO = BYTES8(0x01), HI = BYTES8(0x80);
	uint64_t b = x ^ BYTES8(HASH_BEGIN), e = x ^ BYTES8(HASH_END), c = x ^ BYTES8(HASH_ESCAPE);
	return (((b - LO) & ~b) | ((e - LO) & ~e) | ((c - LO) & ~c)) & HI;
}

/* Copy n bytes to p with every B, E and ESC byte preceded by ESC; returns
 * the end. p must have room for 2n bytes. Eight bytes at a time while no
 * marker is among them (the usual case: text, SHA-256 digests). */
static inline uint8_t *escape_to(uint8_t *p, const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (n - i >= 8) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			if (!word_has_marker(x)) {
				memcpy(p, &x, 8);
				p += 8;
				i += 8;
				continue;
			}
		}
		size_t end = n - i >= 8 ? i + 8 : n;
		for (; i < end; i++) {
			uint8_t c = s[i];
			/* 0x0B, 0x0C, 0x0E: one range check, minus 0x0D */
			if ((uint8_t)(c - HASH_BEGIN) <= HASH_END - HASH_BEGIN && c != 0x0D)
				*p++ = HASH_ESCAPE;
			*p++ = c;
		}
	}
	return p;
}

/* Append p[0..n) escaped. */
static int put_escaped(struct buf *b, const uint8_t *p, size_t n)
{
	if (n > (BUF_MAX_BYTES >> 1))
		return ION_ERR_LIMIT;
	int rc = ensure(b, 2 * n);
	if (rc)
		return rc;
	b->len = (size_t)(escape_to(b->data + b->len, p, n) - b->data);
	return 0;
}

/* Scalar with a representation: B TQ escape(repr) E, one reservation. */
static int put_scalar(struct buf *b, uint8_t tq, const uint8_t *repr, size_t n)
{
	if (n > (BUF_MAX_BYTES >> 1))
		return ION_ERR_LIMIT;
	int rc = ensure(b, 2 * n + 3);
	if (rc)
		return rc;
	uint8_t *p = b->data + b->len;
	*p++ = HASH_BEGIN;
	*p++ = tq;
	p = escape_to(p, repr, n);
	*p++ = HASH_END;
	b->len = (size_t)(p - b->data);
	return 0;
}

/* Minimal VarUInt into p (at most 10 bytes); returns its length. */
static size_t enc_varuint(uint64_t m, uint8_t *p)
{
	size_t n = 1;
	while (n < 10 && (m >> (7 * n)) != 0)
		n++;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((m >> (7 * (n - 1 - i))) & 0x7F);
	p[n - 1] |= 0x80;
	return n;
}

/* Minimal VarInt (sign in bit 6 of the first byte); neg with m == 0 gives
 * negative zero (0xC0), which timestamps use for an unknown offset. */
static size_t enc_varint(bool neg, uint64_t m, uint8_t *p)
{
	size_t n = 1; /* the first byte holds 6 bits, the rest 7 each */
	while (n < 10 && (m >> (6 + 7 * (n - 1))) != 0)
		n++;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((m >> (7 * (n - 1 - i))) & 0x7F);
	p[0] &= 0x3F;
	if (neg)
		p[0] |= 0x40;
	p[n - 1] |= 0x80;
	return n;
}

static size_t enc_varint64(int64_t v, uint8_t *p)
{
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	return enc_varint(v < 0, m, p);
}

/* Escaped signed Int (sign-and-magnitude): a leading byte is added when the
 * magnitude's top bit is taken. Zero is written as 0x80 only when neg. */
static int put_int_escaped(struct buf *b, const struct ion_bigint *i)
{
	if (i->len == 0)
		return i->neg ? put_escaped(b, (const uint8_t[]){ 0x80 }, 1) : 0;
	uint8_t sign = i->neg ? 0x80 : 0;
	int rc;
	if (i->mag[0] & 0x80)
		return (rc = put_escaped(b, &sign, 1)) ? rc : put_escaped(b, i->mag, i->len);
	uint8_t first = i->mag[0] | sign;
	if ((rc = put_escaped(b, &first, 1)))
		return rc;
	return put_escaped(b, i->mag + 1, i->len - 1);
}

static int put_begin(struct buf *b, uint8_t tq)
{
	int rc = ensure(b, 2);
	if (rc)
		return rc;
	b->data[b->len++] = HASH_BEGIN;
	b->data[b->len++] = tq;
	return 0;
}

/* A value with no representation: B TQ E. */
static int put_empty(struct buf *b, uint8_t tq)
{
	int rc = ensure(b, 3);
	if (rc)
		return rc;
	uint8_t *p = b->data + b->len;
	p[0] = HASH_BEGIN;
	p[1] = tq;
	p[2] = HASH_END;
	b->len += 3;
	return 0;
}

static int put_end(struct buf *b)
{
	int rc = ensure(b, 1);
	if (rc)
		return rc;
	b->data[b->len++] = HASH_END;
	return 0;
}

/* --- Per type --------------------------------------------------------- */

struct ser_ctx {
	struct ionhash *h;
	struct ion_error *err;
};

typedef int (*ser_fn)(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out);

static int ser_value(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out);

/* A symbol (value, annotation or field name): text, or $0, else error. */
static int ser_symbol_text(struct ser_ctx *c, const struct ion_symbol *s, struct buf *out)
{
	if (s->text)
		return put_scalar(out, 0x70, (const uint8_t *)s->text, s->len);
	if (s->sid == 0) {
		return put_empty(out, HASH_TQ_SYMBOL_SID0);
	}
	return ion_error_set(c->err, ION_ERR_SYMBOL,
			     "symbol $%u has unknown text and cannot be hashed", (unsigned)s->sid);
}

static int ser_null(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)v, (void)depth;
	return put_empty(out, 0x0F);
}

static int ser_bool(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)depth;
	return put_empty(out, v->u.b ? 0x11 : 0x10);
}

static int ser_int(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)depth;
	const struct ion_bigint *i = &v->u.i;
	return put_scalar(out, i->neg && i->len ? 0x30 : 0x20, i->mag, i->len);
}

static int ser_float(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)depth;
	uint64_t bits;
	double d = v->u.f;
	memcpy(&bits, &d, sizeof bits);
	if (isnan(d))
		bits = UINT64_C(0x7ff8000000000000); /* one NaN, whatever the payload */
	if (bits == 0)
		return put_scalar(out, 0x40, NULL, 0); /* +0e0 has no representation */
	uint8_t be[8];
	for (int k = 0; k < 8; k++)
		be[k] = (uint8_t)(bits >> (56 - 8 * k));
	return put_scalar(out, 0x40, be, 8);
}

static int ser_decimal(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)depth;
	const struct ion_decimal *d = &v->u.dec;
	int rc = put_begin(out, 0x50);
	/* 0d0 (positive zero, exponent 0) is the one decimal with no repr */
	if (!rc && !(d->exponent == 0 && d->coef.len == 0 && !d->coef.neg)) {
		uint8_t e[10];
		size_t n = enc_varint64(d->exponent, e);
		rc = put_escaped(out, e, n);
		if (!rc)
			rc = put_int_escaped(out, &d->coef);
	}
	return rc ? rc : put_end(out);
}

static int ser_timestamp(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)depth;
	const struct ion_timestamp *t = &v->u.ts;
	uint8_t r[64]; /* offset 3 + year 2 + 5 one-byte fields + frac exp 5 */
	size_t n = 0;
	if (t->offset_known && t->precision >= ION_TS_MINUTE)
		n += enc_varint64(t->offset_min, r + n);
	else
		r[n++] = 0xC0; /* unknown offset: negative zero */
	n += enc_varuint(t->year, r + n);
	if (t->precision >= ION_TS_MONTH)
		n += enc_varuint(t->month, r + n);
	if (t->precision >= ION_TS_DAY)
		n += enc_varuint(t->day, r + n);
	if (t->precision >= ION_TS_MINUTE) {
		n += enc_varuint(t->hour, r + n);
		n += enc_varuint(t->minute, r + n);
	}
	if (t->precision >= ION_TS_SECOND)
		n += enc_varuint(t->second, r + n);
	bool frac = t->precision >= ION_TS_FRACTION;
	bool coef_zero = t->frac_coef.len == 0;
	/* a zero fraction with exponent >= 0 adds nothing: dropped entirely */
	if (frac && coef_zero && t->frac_exp >= 0)
		frac = false;
	if (frac)
		n += enc_varint64(t->frac_exp, r + n);
	int rc = put_begin(out, 0x60);
	if (!rc)
		rc = put_escaped(out, r, n);
	if (!rc && frac && !coef_zero)
		rc = put_int_escaped(out, &t->frac_coef);
	return rc ? rc : put_end(out);
}

static int ser_symbol(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)depth;
	return ser_symbol_text(c, &v->u.sym, out);
}

/* string, clob, blob: TQ is the type code, the bytes are the repr */
static int ser_bytes(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)depth;
	return put_scalar(out, (uint8_t)(v->type << 4), v->u.bytes.data, v->u.bytes.len);
}

static int ser_sequence(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	int rc = put_begin(out, (uint8_t)(v->type << 4));
	for (const struct ion_value *k = v->u.c.first_child; k && !rc; k = k->next)
		rc = ser_value(c, k, depth + 1, out);
	return rc ? rc : put_end(out);
}

static uint64_t load_be64(const uint8_t *p)
{
	uint64_t x = 0; /* shifts, not a byte swap: right on any host order */
	for (int i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

static bool span_less(const struct ionhash_span *a, const struct ionhash_span *b)
{
	/* SHA-256 digests nearly always differ in their first 8 bytes */
	if (a->len >= 8 && b->len >= 8) {
		uint64_t x = load_be64(a->p), y = load_be64(b->p);
		if (x != y)
			return x < y;
	}
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(a->p, b->p, n);
	return d < 0 || (d == 0 && a->len < b->len);
}

static int span_cmp(const void *x, const void *y)
{
	const struct ionhash_span *a = x, *b = y;
	return span_less(a, b) ? -1 : span_less(b, a) ? 1 : 0;
}

/* Sort field digests as unsigned byte strings (shorter first on a common
 * prefix, which only the identity hasher can produce). */
static void sort_spans(struct ionhash_span *s, size_t n)
{
	if (n > HASH_INSERTION_SORT_MAX) {
		qsort(s, n, sizeof *s, span_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct ionhash_span x = s[i];
		size_t j = i;
		while (j > 0 && span_less(&x, &s[j - 1])) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = x;
	}
}

static int ser_struct(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	struct ionhash *h = c->h;
	struct ionhash_level *L = &h->levels[depth];
	buf_clear(&L->digests);
	buf_clear(&L->spans);
	int rc = 0;
	size_t n = 0, total = 0;
	for (const struct ion_value *k = v->u.c.first_child; k; k = k->next, n++) {
		buf_clear(&L->field);
		if ((rc = ser_symbol_text(c, &k->field_name, &L->field)) ||
		    (rc = ser_value(c, k, depth + 1, &L->field)))
			return rc;
		struct ionhash_span sp = { .off = L->digests.len };
		sp.len = h->digest_len ? h->digest_len : L->field.len; /* identity: the bytes */
		if ((rc = ensure(&L->digests, sp.len)) || (rc = ensure(&L->spans, sizeof sp)))
			return rc;
		uint8_t *d = L->digests.data + L->digests.len;
		if (h->digest_len == 0)
			memcpy(d, L->field.data, sp.len);
		else if (hash_bytes(h, L->field.data, L->field.len, d))
			return ion_error_set(c->err, ION_ERR_NOMEM,
					     "hash function failed (OpenSSL)");
		L->digests.len += sp.len;
		memcpy(L->spans.data + L->spans.len, &sp, sizeof sp);
		L->spans.len += sizeof sp;
		total += sp.len;
	}
	struct ionhash_span *s = (struct ionhash_span *)(void *)L->spans.data;
	for (size_t i = 0; i < n; i++)
		s[i].p = L->digests.data + s[i].off;
	sort_spans(s, n);
	if (total > (BUF_MAX_BYTES >> 1))
		return ION_ERR_LIMIT;
	if ((rc = ensure(out, 2 * total + 3)))
		return rc;
	uint8_t *p = out->data + out->len;
	*p++ = HASH_BEGIN;
	*p++ = 0xD0;
	for (size_t i = 0; i < n; i++)
		p = escape_to(p, s[i].p, s[i].len);
	*p++ = HASH_END;
	out->len = (size_t)(p - out->data);
	return 0;
}

static const ser_fn SER[] = {
	[ION_TYPE_NULL] = ser_null,	  [ION_TYPE_BOOL] = ser_bool,
	[ION_TYPE_INT] = ser_int,	  [ION_TYPE_FLOAT] = ser_float,
	[ION_TYPE_DECIMAL] = ser_decimal, [ION_TYPE_TIMESTAMP] = ser_timestamp,
	[ION_TYPE_SYMBOL] = ser_symbol,	  [ION_TYPE_STRING] = ser_bytes,
	[ION_TYPE_CLOB] = ser_bytes,	  [ION_TYPE_BLOB] = ser_bytes,
	[ION_TYPE_LIST] = ser_sequence,	  [ION_TYPE_SEXP] = ser_sequence,
	[ION_TYPE_STRUCT] = ser_struct,
};

/* The value without its annotations. */
static int ser_bare(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	if (v->type >= sizeof SER / sizeof SER[0] || !SER[v->type])
		return ion_error_set(c->err, ION_ERR_SYNTAX, "value of unknown type code %u",
				     (unsigned)v->type);
	if (v->is_null) {
		return put_empty(out, (uint8_t)(v->type << 4 | 0x0F));
	}
	return SER[v->type](c, v, depth, out);
}

static int ser_value(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	if (depth > ION_MAX_DEPTH)
		return ion_error_set(c->err, ION_ERR_LIMIT,
				     "value nested deeper than ION_MAX_DEPTH (%d)", ION_MAX_DEPTH);
	if (v->n_annotations == 0)
		return ser_bare(c, v, depth, out);
	int rc = put_begin(out, HASH_TQ_ANNOTATED);
	for (uint16_t i = 0; i < v->n_annotations && !rc; i++)
		rc = ser_symbol_text(c, &v->annotations[i], out);
	if (!rc)
		rc = ser_bare(c, v, depth, out);
	return rc ? rc : put_end(out);
}

/* --- Public ------------------------------------------------------------ */

static int ionhash_run(struct ionhash *h, const struct ion_value *v, struct buf *out,
		       struct ion_error *err)
{
	if (err) {
		err->line = err->column = err->offset = 0;
		err->code = 0;
		err->msg[0] = '\0';
	}
	struct ser_ctx c = { .h = h, .err = err };
	int rc = ser_value(&c, v, 0, out);
	if (rc && err && err->msg[0] == '\0')
		ion_error_set(err, rc, "%s while hashing",
			      rc == ION_ERR_NOMEM ? "out of memory" : "a size limit was exceeded");
	return rc;
}

int ionhash_value(struct ionhash *h, const struct ion_value *v, struct buf *out,
		  struct ion_error *err)
{
	if (h->algo == IONHASH_IDENTITY)
		return ionhash_run(h, v, out, err);
	buf_clear(&h->top);
	int rc = ionhash_run(h, v, &h->top, err);
	if (rc)
		return rc;
	uint8_t d[HASH_MAX_DIGEST];
	if (hash_bytes(h, h->top.data, h->top.len, d))
		return ion_error_set(err, ION_ERR_NOMEM, "hash function failed (OpenSSL)");
	return buf_append(out, d, h->digest_len);
}

int ionhash_sha256(struct ionhash *h, const struct ion_value *v, uint8_t out[32],
		   struct ion_error *err)
{
	if (h->algo != IONHASH_SHA256)
		return ion_error_set(err, ION_ERR_UNSUPPORTED,
				     "ionhash_sha256 called on a hasher that is not sha256");
	buf_clear(&h->top);
	int rc = ionhash_run(h, v, &h->top, err);
	if (rc)
		return rc;
	if (sha256_once(h->sha, h->top.data, h->top.len, out))
		return ion_error_set(err, ION_ERR_NOMEM, "hash function failed (OpenSSL)");
	return 0;
}
