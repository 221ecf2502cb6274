/*
 * ion_write_binary.c - the Ion binary writer of ion_write.h.
 *
 * Values are encoded as they are added, with symbol IDs from a table that
 * grows as new symbol text appears (the Ion 1.0 system symbols keep their
 * system IDs). ion_binary_writer_finish emits the version marker, one local
 * symbol table $ion_symbol_table::{symbols:[...]} naming every local symbol
 * in ID order, then the values, and resets the writer.
 *
 * Encodings are minimal: a container or annotation wrapper is encoded
 * first and its type descriptor and VarUInt length are inserted in front of
 * it afterwards (a memmove per container, cheap next to the work of
 * producing the contents). Symbols with unknown text cannot be given a
 * new ID: $0 is written as SID 0, any other is an ION_ERR_SYMBOL error.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ion_encode.h"
#include "ion_write.h"

#define BIN_IVM "\xE0\x01\x00\xEA"
#define BIN_SYSTEM_MAX_ID 9 /* $ion .. $ion_shared_symbol_table */
#define BIN_SID_ION_SYMBOL_TABLE 3
#define BIN_SID_SYMBOLS 7
#define BIN_TABLE_MIN 64  /* initial hash slots (a power of two) */
#define BIN_HEADER_MAX 11 /* descriptor + VarUInt of a 64-bit length */

static const char *const SYSTEM_SYMBOLS[BIN_SYSTEM_MAX_ID + 1] = {
	NULL,	   "$ion",    "$ion_1_0", "$ion_symbol_table",	      "name", "version",
	"imports", "symbols", "max_id",	  "$ion_shared_symbol_table",
};

/* A local symbol: its text in the pool. */
struct bin_sym {
	size_t off, len;
};

struct ion_binary_writer {
	struct buf values; /* encoded values since the last finish */
	struct buf pool;   /* local symbol text, back to back */
	struct buf syms;   /* struct bin_sym[], SID = BIN_SYSTEM_MAX_ID + 1 + index */
	uint32_t *slots;   /* open addressing: 0 empty, else syms index + 1 */
	size_t n_slots;
	size_t n_syms;
};

struct ion_binary_writer *ion_binary_writer_new(void)
{
	return calloc(1, sizeof(struct ion_binary_writer));
}

void ion_binary_writer_free(struct ion_binary_writer *w)
{
	if (!w)
		return;
	buf_free(&w->values);
	buf_free(&w->pool);
	buf_free(&w->syms);
	free(w->slots);
	free(w);
}

static void writer_reset(struct ion_binary_writer *w)
{
	buf_clear(&w->values);
	buf_clear(&w->pool);
	buf_clear(&w->syms);
	w->n_syms = 0;
	if (w->slots)
		memset(w->slots, 0, w->n_slots * sizeof *w->slots);
}

/* --- Symbol table ------------------------------------------------------ */

static uint32_t text_hash(const char *t, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)t[i]) * 16777619u;
	return h;
}

static const struct bin_sym *sym_at(const struct ion_binary_writer *w, size_t i)
{
	return (const struct bin_sym *)(const void *)w->syms.data + i;
}

static int table_grow(struct ion_binary_writer *w)
{
	size_t n = w->n_slots ? w->n_slots * 2 : BIN_TABLE_MIN;
	uint32_t *s = calloc(n, sizeof *s);
	if (!s)
		return ION_ERR_NOMEM;
	for (size_t i = 0; i < w->n_syms; i++) {
		const struct bin_sym *y = sym_at(w, i);
		size_t k = text_hash((const char *)w->pool.data + y->off, y->len) & (n - 1);
		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = (uint32_t)(i + 1);
	}
	free(w->slots);
	w->slots = s;
	w->n_slots = n;
	return 0;
}

/* SID for symbol text, adding it to the local table when new. */
static int symbol_id(struct ion_binary_writer *w, const struct ion_symbol *s, uint32_t *sid,
		     struct ion_error *err)
{
	if (!s->text) {
		if (s->sid == 0) {
			*sid = 0;
			return 0;
		}
		return ion_error_set(err, ION_ERR_SYMBOL,
				     "symbol $%u has unknown text and cannot be written",
				     (unsigned)s->sid);
	}
	for (uint32_t k = 1; k <= BIN_SYSTEM_MAX_ID; k++)
		if (strlen(SYSTEM_SYMBOLS[k]) == s->len &&
		    memcmp(SYSTEM_SYMBOLS[k], s->text, s->len) == 0) {
			*sid = k;
			return 0;
		}
	if ((w->n_syms + 1) * 2 > w->n_slots && table_grow(w))
		return ion_error_set(err, ION_ERR_NOMEM, "out of memory in symbol table");
	size_t mask = w->n_slots - 1;
	size_t k = text_hash(s->text, s->len) & mask;
	for (; w->slots[k]; k = (k + 1) & mask) {
		const struct bin_sym *y = sym_at(w, w->slots[k] - 1);
		if (y->len == s->len && memcmp(w->pool.data + y->off, s->text, s->len) == 0) {
			*sid = BIN_SYSTEM_MAX_ID + w->slots[k];
			return 0;
		}
	}
	if (w->n_syms >= ION_MAX_SYMBOLS)
		return ion_error_set(err, ION_ERR_LIMIT, "more than ION_MAX_SYMBOLS (%u) symbols",
				     ION_MAX_SYMBOLS);
	struct bin_sym y = { w->pool.len, s->len };
	/* reserve one more byte so the pool is allocated even for '' */
	if (buf_reserve(&w->pool, s->len + 1) || buf_append(&w->pool, s->text, s->len) ||
	    buf_append(&w->syms, &y, sizeof y))
		return ion_error_set(err, ION_ERR_NOMEM, "out of memory in symbol table");
	w->slots[k] = (uint32_t)(++w->n_syms);
	*sid = BIN_SYSTEM_MAX_ID + (uint32_t)w->n_syms;
	return 0;
}

/* --- Primitive fields -------------------------------------------------- */

/* Length of a signed Int for a magnitude (0 for +0, which is omitted). */
static size_t int_len(const struct ion_bigint *i)
{
	if (i->len == 0)
		return i->neg ? 1 : 0;
	return i->len + ((i->mag[0] & 0x80) ? 1 : 0);
}

static int put_int_field(struct buf *b, const struct ion_bigint *i)
{
	if (i->len == 0)
		return i->neg ? buf_append_byte(b, 0x80) : 0;
	uint8_t sign = i->neg ? 0x80 : 0;
	int rc;
	if (i->mag[0] & 0x80)
		return (rc = buf_append_byte(b, sign)) ? rc : buf_append(b, i->mag, i->len);
	if ((rc = buf_append_byte(b, i->mag[0] | sign)))
		return rc;
	return buf_append(b, i->mag + 1, i->len - 1);
}

/* Type descriptor for a body of len bytes: T|L, or T|14 + VarUInt len. */
static size_t enc_header(uint8_t type, size_t len, uint8_t *p)
{
	if (len < 14) {
		p[0] = (uint8_t)(type << 4 | len);
		return 1;
	}
	p[0] = (uint8_t)(type << 4 | 14);
	return 1 + ion_encode_varuint(len, p + 1);
}

static int put_header(struct buf *b, uint8_t type, size_t len)
{
	uint8_t h[BIN_HEADER_MAX];
	return buf_append(b, h, enc_header(type, len, h));
}

/* Put a header for the len bytes that start at pos in front of them. */
static int insert_header(struct buf *b, size_t pos, const uint8_t *h, size_t hn)
{
	int rc = buf_reserve(b, hn);
	if (rc)
		return rc;
	memmove(b->data + pos + hn, b->data + pos, b->len - pos);
	memcpy(b->data + pos, h, hn);
	b->len += hn;
	return 0;
}

/* --- Values ------------------------------------------------------------ */

struct bin_ctx {
	struct ion_binary_writer *w;
	struct ion_error *err;
};

static int enc_value(struct bin_ctx *c, const struct ion_value *v, int depth, struct buf *b);

static int enc_timestamp(const struct ion_timestamp *t, struct buf *b)
{
	uint8_t r[ION_ENCODE_TS_FIELDS_MAX + ION_ENCODE_VAR_MAX]; /* fields + frac exp */
	size_t n = ion_encode_ts_fields(t, r);
	bool frac = t->precision == ION_TS_FRACTION;
	if (frac)
		n += ion_encode_varint64(t->frac_exp, r + n);
	/* a zero coefficient is implied when the Int is left out */
	struct ion_bigint coef = t->frac_coef;
	if (coef.len == 0)
		coef.neg = false;
	size_t cn = frac ? int_len(&coef) : 0;
	int rc = put_header(b, ION_TYPE_TIMESTAMP, n + cn);
	if (!rc)
		rc = buf_append(b, r, n);
	if (!rc && cn)
		rc = put_int_field(b, &coef);
	return rc;
}

static int enc_decimal(const struct ion_decimal *d, struct buf *b)
{
	if (d->exponent == 0 && d->coef.len == 0 && !d->coef.neg)
		return buf_append_byte(b, 0x50); /* 0d0 */
	uint8_t e[ION_ENCODE_VAR_MAX];
	size_t en = ion_encode_varint64(d->exponent, e);
	size_t cn = int_len(&d->coef);
	int rc = put_header(b, ION_TYPE_DECIMAL, en + cn);
	if (!rc)
		rc = buf_append(b, e, en);
	return rc ? rc : put_int_field(b, &d->coef);
}

static int enc_float(double d, struct buf *b)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	if (bits == 0)
		return buf_append_byte(b, 0x40); /* +0e0 */
	uint8_t r[9] = { 0x48 };
	for (int k = 0; k < 8; k++)
		r[1 + k] = (uint8_t)(bits >> (56 - 8 * k));
	return buf_append(b, r, 9);
}

static int enc_sid(uint32_t sid, struct buf *b)
{
	uint8_t r[1 + 8];
	size_t n = ion_encode_uint(sid, r + 1);
	r[0] = (uint8_t)(ION_TYPE_SYMBOL << 4 | n);
	return buf_append(b, r, 1 + n);
}

static int enc_container(struct bin_ctx *c, const struct ion_value *v, int depth, struct buf *b)
{
	size_t pos = b->len;
	int rc = 0;
	for (const struct ion_value *k = v->u.c.first_child; k && !rc; k = k->next) {
		if (v->type == ION_TYPE_STRUCT) {
			uint32_t sid;
			uint8_t f[10];
			if ((rc = symbol_id(c->w, &k->field_name, &sid, c->err)) ||
			    (rc = buf_append(b, f, ion_encode_varuint(sid, f))))
				break;
		}
		rc = enc_value(c, k, depth + 1, b);
	}
	if (rc)
		return rc;
	size_t len = b->len - pos;
	uint8_t h[BIN_HEADER_MAX];
	size_t hn;
	if (v->type == ION_TYPE_STRUCT && len == 1) { /* L=1 would mean "sorted" */
		h[0] = 0xDE;
		hn = 1 + ion_encode_varuint(len, h + 1);
	} else {
		hn = enc_header(v->type, len, h);
	}
	return insert_header(b, pos, h, hn);
}

static int enc_bare(struct bin_ctx *c, const struct ion_value *v, int depth, struct buf *b)
{
	if (v->type > ION_TYPE_STRUCT || v->type == 3)
		return ion_error_set(c->err, ION_ERR_SYNTAX, "value of unknown type code %u",
				     (unsigned)v->type);
	if (v->is_null)
		return buf_append_byte(b, (uint8_t)(v->type << 4 | 0x0F));
	int rc;
	switch (v->type) {
	case ION_TYPE_NULL:
		return buf_append_byte(b, 0x0F);
	case ION_TYPE_BOOL:
		return buf_append_byte(b, v->u.b ? 0x11 : 0x10);
	case ION_TYPE_INT: {
		const struct ion_bigint *i = &v->u.i;
		uint8_t t = i->neg && i->len ? 3 : 2; /* negative ints are type 3 */
		if ((rc = put_header(b, t, i->len)))
			return rc;
		return buf_append(b, i->mag, i->len);
	}
	case ION_TYPE_FLOAT:
		return enc_float(v->u.f, b);
	case ION_TYPE_DECIMAL:
		return enc_decimal(&v->u.dec, b);
	case ION_TYPE_TIMESTAMP:
		return enc_timestamp(&v->u.ts, b);
	case ION_TYPE_SYMBOL: {
		uint32_t sid;
		if ((rc = symbol_id(c->w, &v->u.sym, &sid, c->err)))
			return rc;
		return enc_sid(sid, b);
	}
	case ION_TYPE_STRING:
	case ION_TYPE_CLOB:
	case ION_TYPE_BLOB:
		if ((rc = put_header(b, v->type, v->u.bytes.len)))
			return rc;
		return buf_append(b, v->u.bytes.data, v->u.bytes.len);
	default:
		return enc_container(c, v, depth, b);
	}
}

static int enc_value(struct bin_ctx *c, const struct ion_value *v, int depth, struct buf *b)
{
	if (depth > ION_MAX_DEPTH)
		return ion_error_set(c->err, ION_ERR_LIMIT,
				     "value nested deeper than ION_MAX_DEPTH (%d)", ION_MAX_DEPTH);
	if (v->n_annotations == 0)
		return enc_bare(c, v, depth, b);
	/* E L annot_length annot... value */
	size_t pos = b->len;
	int rc = 0;
	for (uint16_t i = 0; i < v->n_annotations && !rc; i++) {
		uint32_t sid;
		uint8_t f[10];
		if (!(rc = symbol_id(c->w, &v->annotations[i], &sid, c->err)))
			rc = buf_append(b, f, ion_encode_varuint(sid, f));
	}
	if (rc)
		return rc;
	size_t alen = b->len - pos;
	if ((rc = enc_bare(c, v, depth, b)))
		return rc;
	uint8_t h[2 * BIN_HEADER_MAX];
	uint8_t al[10];
	size_t aln = ion_encode_varuint(alen, al);
	size_t hn = enc_header(0x0E, b->len - pos + aln, h);
	memcpy(h + hn, al, aln);
	return insert_header(b, pos, h, hn + aln);
}

/* --- Public ------------------------------------------------------------ */

int ion_binary_writer_add(struct ion_binary_writer *w, const struct ion_value *v,
			  struct ion_error *err)
{
	struct bin_ctx c = { .w = w, .err = err };
	size_t start = w->values.len;
	if (err)
		err->msg[0] = '\0';
	int rc = enc_value(&c, v, 0, &w->values);
	if (rc) {
		w->values.len = start; /* symbols it added stay: harmless */
		if (err && !err->msg[0])
			ion_error_set(err, rc, "%s writing Ion binary",
				      rc == ION_ERR_NOMEM ? "out of memory"
							  : "a size limit was exceeded");
	}
	return rc;
}

/* $ion_symbol_table::{symbols:["...", ...]} for the local symbols. */
static int put_lst(const struct ion_binary_writer *w, struct buf *out)
{
	size_t pos = out->len;
	int rc = 0;
	for (size_t i = 0; i < w->n_syms && !rc; i++) {
		const struct bin_sym *y = sym_at(w, i);
		if (!(rc = put_header(out, ION_TYPE_STRING, y->len)))
			rc = buf_append(out, w->pool.data + y->off, y->len);
	}
	uint8_t h[BIN_HEADER_MAX + 1];
	size_t hn;
	if (rc)
		return rc;
	/* list header, then the struct field name (SID 7, "symbols") */
	hn = enc_header(ION_TYPE_LIST, out->len - pos, h);
	if ((rc = insert_header(out, pos, h, hn)))
		return rc;
	uint8_t field = 0x80 | BIN_SID_SYMBOLS;
	if ((rc = insert_header(out, pos, &field, 1)))
		return rc;
	hn = enc_header(ION_TYPE_STRUCT, out->len - pos, h);
	if ((rc = insert_header(out, pos, h, hn)))
		return rc;
	/* annotation wrapper: annot_length 1, annotation SID 3 */
	uint8_t ann[2] = { 0x81, 0x80 | BIN_SID_ION_SYMBOL_TABLE };
	hn = enc_header(0x0E, out->len - pos + 2, h);
	memcpy(h + hn, ann, 2);
	return insert_header(out, pos, h, hn + 2);
}

int ion_binary_writer_finish(struct ion_binary_writer *w, struct buf *out, struct ion_error *err)
{
	size_t start = out->len;
	int rc = buf_append(out, BIN_IVM, 4);
	if (!rc && w->n_syms)
		rc = put_lst(w, out);
	if (!rc)
		rc = buf_append(out, w->values.data, w->values.len);
	if (rc) {
		out->len = start;
		return ion_error_set(err, rc, "out of memory writing Ion binary");
	}
	writer_reset(w);
	return 0;
}
