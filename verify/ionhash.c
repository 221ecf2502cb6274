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
 *
 * Speed (one SHA-256 per struct field is the floor, so the rest must stay
 * small next to it): SHA-256 and MD5 digests have a fixed length, so a
 * struct keeps them back to back and sorts (first 8 bytes as a big-endian
 * key, pointer) pairs; only the identity hasher needs variable-length spans.
 * Escaping scans 16 bytes at a time with SSE2 where available.
 */
/* SHA256_CTX and SHA256_Update: deprecated in OpenSSL 3.0 but present; see
 * sha256_buf for why this file drives them itself. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "ionhash.h"

#include <math.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ion_encode.h"
#include "sha256.h" /* SHA256_LEN */

#define HASH_BEGIN 0x0B
#define HASH_END 0x0E
#define HASH_ESCAPE 0x0C
#define HASH_TQ_SYMBOL_SID0 0x71 /* $0: symbol with no text, no repr */
#define HASH_TQ_ANNOTATED 0xE0
#define HASH_MAX_DIGEST 32	   /* SHA-256; MD5 is 16 */
#define HASH_FAILED 1		   /* OpenSSL failed (positive: not an ion_status) */
#define HASH_INSERTION_SORT_MAX 32 /* fewer fields: insertion sort beats qsort */

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

/* One field "digest" of a struct under the identity hasher (the field's
 * own bytes, of any length): offset and length in the level's digests
 * buffer, resolved to a pointer once all are collected (the buffer may
 * move while it grows). */
struct ionhash_span {
	size_t off, len;
	const uint8_t *p;
};

/* One fixed-length field digest (SHA-256, MD5) being sorted: its first 8
 * bytes as a big-endian number, which decides nearly every comparison
 * with one integer compare, and the whole digest for ties. Sorting these
 * small records beats sorting the digests themselves or spans. */
struct ionhash_key {
	uint64_t key;
	const uint8_t *p;
};

struct ionhash_level {
	struct buf field;   /* s(name) || s(value) of the field being hashed */
	struct buf digests; /* this struct's field digests, back to back */
	struct buf spans;   /* struct ionhash_span[] (identity) or struct
			       ionhash_key[] (fixed-length digests) */
};

struct ionhash {
	enum ionhash_algo algo;
	size_t digest_len; /* 0 for identity (the digest is the input) */
	SHA256_CTX sha;	   /* reused for every SHA-256; see sha256_buf */
	struct ionhash_stats stats;
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

/* Make room for n more bytes: the common case is one compare, inline. */
static inline int ensure(struct buf *b, size_t n)
{
	return b->cap - b->len >= n ? 0 : buf_reserve(b, n);
}

/* Big-endian stores; a byte swap and one store on little-endian hosts
 * (the byte-by-byte form is not always merged by the compiler). */
static inline void store_be64(uint8_t *p, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
	memcpy(p, &x, sizeof x);
#else
	for (int k = 0; k < 8; k++)
		p[k] = (uint8_t)(x >> (56 - 8 * k));
#endif
}

/* out = the eight state words, big-endian: the digest. Once per message,
 * so with SSE2 it is two 16-byte swaps (16-bit halves, then the bytes of
 * each half) instead of eight scalar swaps and stores (~50 instructions,
 * a tenth of the non-SHA work per message, measured with callgrind). */
static inline void store_state_be(uint8_t out[32], const SHA_LONG st[8])
{
#if defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (int k = 0; k < 2; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(st + 4 * k));
		x = _mm_shufflehi_epi16(_mm_shufflelo_epi16(x, 0xB1), 0xB1);
		x = _mm_or_si128(_mm_slli_epi16(x, 8), _mm_srli_epi16(x, 8));
		_mm_storeu_si128((__m128i *)(void *)(out + 16 * k), x);
	}
#else
	for (int k = 0; k < 32; k++)
		out[k] = (uint8_t)(st[k / 4] >> (24 - 8 * (k % 4)));
#endif
}

#define SHA256_BLOCK 64
static const uint32_t SHA256_IV[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/*
 * out = SHA-256(b->data[0..b->len)); b's spare capacity is used as scratch.
 *
 * Why not sha256.c: Ion Hash runs one SHA-256 per struct field, mostly of
 * one or two blocks, so the fixed cost per message counts. Here the message
 * is padded in place (FIPS 180-4 §5.1.1: 0x80, zeros, the bit length) and
 * handed to SHA256_Update as whole blocks, which go straight to the (SHA-NI)
 * block function; the state is then read from the public SHA256_CTX fields.
 * That skips SHA256_Final's buffering, padding and OPENSSL_cleanse and the
 * wrapper calls (about 10-15% per short message, measured; nothing here is
 * secret, so no cleansing is needed). SHA256_Transform per block was tried
 * too: no faster here.
 */
static int sha256_buf(struct ionhash *h, struct buf *b, uint8_t out[SHA256_LEN])
{
	size_t len = b->len;
	size_t total = (len + 1 + 8 + 63) & ~(size_t)63; /* 0x80, 64-bit length */
	/* room for a fixed-size zero fill (inlined, no memset call) */
	int rc = ensure(b, 1 + SHA256_BLOCK + 8);
	if (rc)
		return rc;
	uint8_t *p = b->data;
	p[len] = 0x80;
	memset(p + len + 1, 0, SHA256_BLOCK); /* covers every zero of the padding */
	store_be64(p + total - 8, (uint64_t)len * 8);
	SHA256_CTX *ctx = &h->sha;
	memcpy(ctx->h, SHA256_IV, sizeof SHA256_IV);
	ctx->Nl = ctx->Nh = 0;
	ctx->num = 0;
	if (SHA256_Update(ctx, p, total) != 1)
		return HASH_FAILED;
	h->stats.messages++;
	h->stats.blocks += total / SHA256_BLOCK;
	store_state_be(out, ctx->h);
	return 0;
}

/* out = h(b->data[0..b->len)) for the real hashes (not identity); b's
 * spare capacity may be overwritten. Returns 0, HASH_FAILED or a buffer
 * status. */
static int hash_buf(struct ionhash *h, struct buf *b, uint8_t *out)
{
	if (h->algo == IONHASH_SHA256)
		return sha256_buf(h, b, out);
	if (EVP_DigestInit_ex(h->md5_ctx, h->md5, NULL) != 1 ||
	    EVP_DigestUpdate(h->md5_ctx, b->data, b->len) != 1 ||
	    EVP_DigestFinal_ex(h->md5_ctx, out, NULL) != 1)
		return HASH_FAILED;
	return 0;
}

/* hash_buf for a caller with an error to fill. */
static int hash_buf_err(struct ionhash *h, struct buf *b, uint8_t *out, struct ion_error *err)
{
	int rc = hash_buf(h, b, out);
	if (rc == HASH_FAILED)
		return ion_error_set(err, ION_ERR_NOMEM, "hash function failed (OpenSSL)");
	if (rc)
		return ion_error_set(err, rc, "%s while hashing",
				     rc == ION_ERR_NOMEM ? "out of memory"
							 : "a size limit was exceeded");
	return 0;
}

/* --- Byte output ------------------------------------------------------- */

/* Escape n bytes one at a time. Branch-free: an ESC is always stored and
 * kept only for a marker, because markers are rare but random (about one
 * SHA-256 digest in three has one), so a branch here mispredicts. */
static inline uint8_t *escape_bytes(uint8_t *p, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		/* 0x0B, 0x0C, 0x0E: one range check, minus 0x0D */
		*p = HASH_ESCAPE;
		p += (uint8_t)(c - HASH_BEGIN) <= HASH_END - HASH_BEGIN && c != 0x0D;
		*p++ = c;
	}
	return p;
}

#if defined(__SSE2__)
/* Bit i set when byte i of x is a marker. */
static inline unsigned marker_mask16(__m128i x)
{
	__m128i m = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(HASH_BEGIN)),
				 _mm_cmpeq_epi8(x, _mm_set1_epi8(HASH_ESCAPE)));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8(HASH_END)));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Copy n bytes to p with every B, E and ESC byte preceded by ESC; returns
 * the end. p must have room for 2n bytes. Marker-free blocks (the usual
 * case: text, most digest halves) are copied whole; only an 8-byte half
 * that holds a marker goes through the byte loop. Short inputs (field
 * names, small values) are checked as two overlapping loads, so they skip
 * the byte loop too. */
#if defined(__SSE2__)
static inline uint8_t *escape_to(uint8_t *p, const uint8_t *s, size_t n)
{
	for (; n >= 16; s += 16, n -= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		unsigned m = marker_mask16(x);
		if (!m) {
			_mm_storeu_si128((__m128i *)(void *)p, x);
			p += 16;
			continue;
		}
		for (int half = 0; half < 2; half++, m >>= 8) {
			if (m & 0xFF) {
				p = escape_bytes(p, s + 8 * half, 8);
			} else {
				memcpy(p, s + 8 * half, 8);
				p += 8;
			}
		}
	}
	if (n >= 4) {
		/* the first and the last 8 (or 4) bytes, overlapping */
		__m128i x;
		if (n >= 8)
			x = _mm_unpacklo_epi64(
				_mm_loadl_epi64((const __m128i *)(const void *)s),
				_mm_loadl_epi64((const __m128i *)(const void *)(s + n - 8)));
		else {
			int32_t a, b;
			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
			x = _mm_unpacklo_epi32(_mm_cvtsi32_si128(a), _mm_cvtsi32_si128(b));
		}
		if (!marker_mask16(x)) {
			size_t w = n >= 8 ? 8 : 4;
			memcpy(p, s, w);
			memcpy(p + n - w, s + n - w, w);
			return p + n;
		}
	}
	return escape_bytes(p, s, n);
}
#else
#define BYTES8(b) ((uint64_t)(b)*UINT64_C(0x0101010101010101))

/* Does any of the 8 bytes of x equal a marker (B, E or ESC)? The classic
 * exact zero-byte test (x - 0x01..) & ~x & 0x80.. applied to x ^ marker. */
static inline bool word_has_marker(uint64_t x)
{
	static const uint64_t LO = BYTES8(0x01), HI = BYTES8(0x80);
	uint64_t b = x ^ BYTES8(HASH_BEGIN), e = x ^ BYTES8(HASH_END), c = x ^ BYTES8(HASH_ESCAPE);
	return (((b - LO) & ~b) | ((e - LO) & ~e) | ((c - LO) & ~c)) & HI;
}

static inline uint8_t *escape_to(uint8_t *p, const uint8_t *s, size_t n)
{
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t x;
		memcpy(&x, s, 8);
		if (word_has_marker(x)) {
			p = escape_bytes(p, s, 8);
		} else {
			memcpy(p, &x, 8);
			p += 8;
		}
	}
	return escape_bytes(p, s, n);
}
#endif

/* escape_to for one field digest: a SHA-256 digest with no marker (two in
 * three) is two loads and two stores, without the call and the loops. */
static inline uint8_t *escape_digest(uint8_t *p, const uint8_t *s, size_t n)
{
#if defined(__SSE2__)
	if (n == SHA256_LEN) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
		if (!(marker_mask16(x) | marker_mask16(y))) {
			_mm_storeu_si128((__m128i *)(void *)p, x);
			_mm_storeu_si128((__m128i *)(void *)(p + 16), y);
			return p + SHA256_LEN;
		}
	}
#endif
	return escape_to(p, s, n);
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
static inline int put_scalar(struct buf *b, uint8_t tq, const uint8_t *repr, size_t n)
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
static inline int ser_symbol_text(struct ser_ctx *c, const struct ion_symbol *s, struct buf *out)
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
	store_be64(be, bits);
	return put_scalar(out, 0x40, be, 8);
}

static int ser_decimal(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	(void)c, (void)depth;
	const struct ion_decimal *d = &v->u.dec;
	int rc = put_begin(out, 0x50);
	/* 0d0 (positive zero, exponent 0) is the one decimal with no repr */
	if (!rc && !(d->exponent == 0 && d->coef.len == 0 && !d->coef.neg)) {
		uint8_t e[ION_ENCODE_VAR_MAX];
		size_t n = ion_encode_varint64(d->exponent, e);
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
	uint8_t r[ION_ENCODE_TS_FIELDS_MAX + ION_ENCODE_VAR_MAX]; /* fields + frac exp */
	size_t n = ion_encode_ts_fields(t, r);
	bool frac = t->precision >= ION_TS_FRACTION;
	bool coef_zero = t->frac_coef.len == 0;
	/* a zero fraction with exponent >= 0 adds nothing: dropped entirely */
	if (frac && coef_zero && t->frac_exp >= 0)
		frac = false;
	if (frac)
		n += ion_encode_varint64(t->frac_exp, r + n);
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

static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t x;
	memcpy(&x, p, sizeof x);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
#elif !defined(__BYTE_ORDER__)
	x = 0; /* unknown host order: shifts are right everywhere */
	for (int i = 0; i < 8; i++)
		x = x << 8 | p[i];
#endif
	return x;
}

/* --- Identity hasher: variable-length field "digests" ----------------- */

static bool span_less(const struct ionhash_span *a, const struct ionhash_span *b)
{
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

static int ser_struct_identity(struct ser_ctx *c, const struct ion_value *v, int depth,
			       struct buf *out)
{
	struct ionhash_level *L = &c->h->levels[depth];
	buf_clear(&L->digests);
	buf_clear(&L->spans);
	int rc = 0;
	size_t n = 0, total = 0;
	for (const struct ion_value *k = v->u.c.first_child; k; k = k->next, n++) {
		buf_clear(&L->field);
		if ((rc = ser_symbol_text(c, &k->field_name, &L->field)) ||
		    (rc = ser_value(c, k, depth + 1, &L->field)))
			return rc;
		struct ionhash_span sp = { .off = L->digests.len, .len = L->field.len };
		if ((rc = buf_append(&L->digests, L->field.data, sp.len)) ||
		    (rc = buf_append(&L->spans, &sp, sizeof sp)))
			return rc;
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

/* --- SHA-256 and MD5: fixed-length field digests ---------------------- */

static inline bool key_less(const struct ionhash_key *a, const struct ionhash_key *b, size_t len)
{
	if (a->key != b->key)
		return a->key < b->key;
	return memcmp(a->p + 8, b->p + 8, len - 8) < 0;
}

/* qsort comparator for big structs: the keys only (the digest length is
 * not at hand here); ser_struct settles ties afterwards. */
static int key_cmp(const void *x, const void *y)
{
	const struct ionhash_key *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return 0;
}

static int ser_struct(struct ser_ctx *c, const struct ion_value *v, int depth, struct buf *out)
{
	struct ionhash *h = c->h;
	size_t dl = h->digest_len;
	if (dl == 0)
		return ser_struct_identity(c, v, depth, out);
	struct ionhash_level *L = &h->levels[depth];
	L->digests.len = 0;
	int rc;
	for (const struct ion_value *k = v->u.c.first_child; k; k = k->next) {
		L->field.len = 0;
		if ((rc = ser_symbol_text(c, &k->field_name, &L->field)) ||
		    (rc = ser_value(c, k, depth + 1, &L->field)) ||
		    (rc = ensure(&L->digests, dl)) ||
		    (rc = hash_buf_err(h, &L->field, L->digests.data + L->digests.len, c->err)))
			return rc;
		L->digests.len += dl;
	}
	size_t n = L->digests.len / dl;
	L->spans.len = 0;
	if ((rc = ensure(&L->spans, n * sizeof(struct ionhash_key))))
		return rc;
	struct ionhash_key *keys = (struct ionhash_key *)(void *)L->spans.data;
	/* insertion sort while building the keys: structs are small */
	for (size_t i = 0; i < n; i++) {
		struct ionhash_key x = { load_be64(L->digests.data + i * dl),
					 L->digests.data + i * dl };
		size_t j = i;
		if (n <= HASH_INSERTION_SORT_MAX)
			for (; j > 0 && key_less(&x, &keys[j - 1], dl); j--)
				keys[j] = keys[j - 1];
		keys[j] = x;
	}
	if (n > HASH_INSERTION_SORT_MAX) {
		/* qsort orders by key; runs of equal keys (practically only
		 * duplicate fields, whose digests are equal) are then put in
		 * full order by an insertion pass, which costs nothing when
		 * they are already in order */
		qsort(keys, n, sizeof *keys, key_cmp);
		for (size_t i = 1; i < n; i++) {
			struct ionhash_key x = keys[i];
			size_t j = i;
			for (; j > 0 && key_less(&x, &keys[j - 1], dl); j--)
				keys[j] = keys[j - 1];
			keys[j] = x;
		}
	}
	if (n * dl > (BUF_MAX_BYTES >> 1))
		return ION_ERR_LIMIT;
	if ((rc = ensure(out, 2 * n * dl + 3)))
		return rc;
	uint8_t *p = out->data + out->len;
	*p++ = HASH_BEGIN;
	*p++ = 0xD0;
	for (size_t i = 0; i < n; i++)
		p = escape_digest(p, keys[i].p, dl);
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
	/* the commonest scalars bypass the table: a direct call can be
	 * inlined, and this runs for nearly every struct field */
	switch (v->type) {
	case ION_TYPE_STRING:
	case ION_TYPE_BLOB:
		return put_scalar(out, (uint8_t)(v->type << 4), v->u.bytes.data, v->u.bytes.len);
	case ION_TYPE_SYMBOL:
		return ser_symbol_text(c, &v->u.sym, out);
	case ION_TYPE_INT:
		return ser_int(c, v, depth, out);
	default:
		return SER[v->type](c, v, depth, out);
	}
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
	if ((rc = hash_buf_err(h, &h->top, d, err)))
		return rc;
	return buf_append(out, d, h->digest_len);
}

void ionhash_get_stats(const struct ionhash *h, struct ionhash_stats *out)
{
	*out = h->stats;
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
	return hash_buf_err(h, &h->top, out, err);
}
