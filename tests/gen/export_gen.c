/*
 * export_gen.c - a QLDB S3 journal export generator written from the spec
 * (shared/docs/qldb-verification.md §2, §3, §5 and shared/docs/ion.md §1),
 * independent of sim/ and of verify/'s Ion code: it has its own tiny value
 * model, Ion text / Ion binary / JSON writers, Ion Hash (for the few types
 * it emits), dot and Merkle. So a verifier bug is not mirrored here.
 *
 * usage: export_gen OUTDIR [--format ion_text|ion_binary|json] [--blocks N]
 *                   [--target-bytes B] [--per-object K] [--exports E]
 *                   [--seed S] [--defect NAME] [--defect-seq D]
 * writes OUTDIR/export<e>/journalExport/{<id>.started.manifest,
 *   <id>.<strand>.completed.manifest, 2019/04/15/22/<strand>.<a>-<b>.ion}
 * and OUTDIR/DIGEST.json (as `aws qldb get-digest` prints, tip = last
 * block), and prints "blocks N objects M bytes B defect NAME seq S".
 * Defects (one at a time, at block D): revision-data, metadata,
 * blockhash-flip, prev-hash, drop-entry, drop-block, swap, truncate,
 * digest-flip, manifest-key. The printed seq is the first block a verifier
 * must name.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_REVS 9
#define MAX_NAME 64

/* ---- buffers, rng, sha -------------------------------------------------- */

struct gbuf {
	uint8_t *p;
	size_t n, cap;
};

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("export_gen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void put(struct gbuf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->n + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			die("out of memory");
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void putc1(struct gbuf *b, uint8_t c)
{
	put(b, &c, 1);
}

static void puts_(struct gbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(struct gbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct gbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(b, tmp, (size_t)n);
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}
static int rnd_in(int lo, int hi)
{
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static EVP_MD_CTX *md_ctx;
static const EVP_MD *md_sha;
static void sha256(const void *p, size_t n, uint8_t out[32])
{
	unsigned int len = 32;
	if (!EVP_DigestInit_ex(md_ctx, md_sha, NULL) || !EVP_DigestUpdate(md_ctx, p, n) ||
	    !EVP_DigestFinal_ex(md_ctx, out, &len))
		die("sha256 failed");
}

/* ---- QLDB dot and Merkle (F1, F8), written from the spec ----------------- */

struct h32 {
	int len; /* 0 or 32 */
	uint8_t b[32];
};

static struct h32 dot(struct h32 a, struct h32 b)
{
	if (a.len == 0)
		return b;
	if (b.len == 0)
		return a;
	int c = 0;
	for (int i = 31; i >= 0 && c == 0; i--)
		c = (int)(int8_t)a.b[i] - (int)(int8_t)b.b[i];
	uint8_t cat[64];
	memcpy(cat, c < 0 ? a.b : b.b, 32);
	memcpy(cat + 32, c < 0 ? b.b : a.b, 32);
	struct h32 r = { .len = 32 };
	sha256(cat, 64, r.b);
	return r;
}

/* Pairwise levels, odd node carried up (Java calculateMerkleTreeRootHash). */
static struct h32 merkle(const struct h32 *leaves, size_t n)
{
	struct h32 lv[64];
	struct h32 *tmp = n > 64 ? malloc(n * sizeof *tmp) : lv;
	if (!tmp)
		die("out of memory");
	memcpy(tmp, leaves, n * sizeof *tmp);
	struct h32 r = { .len = 0 };
	while (n > 1) {
		size_t m = 0;
		for (size_t i = 0; i < n; i += 2)
			tmp[m++] = i + 1 < n ? dot(tmp[i], tmp[i + 1]) : tmp[i];
		n = m;
	}
	if (n == 1)
		r = tmp[0];
	if (tmp != lv)
		free(tmp);
	return r;
}

/* The digest over all block hashes: keep every block hash on disk would be
 * big, so collect complete subtrees like a binary counter (same tree). */
static struct h32 dstack[64];
static int dheight[64], ddepth;
static void digest_push(struct h32 h)
{
	int ht = 0;
	while (ddepth > 0 && dheight[ddepth - 1] == ht) {
		h = dot(dstack[--ddepth], h);
		ht++;
	}
	dstack[ddepth] = h;
	dheight[ddepth++] = ht;
}
static struct h32 digest_root(void)
{
	struct h32 r = dstack[ddepth - 1];
	for (int i = ddepth - 2; i >= 0; i--)
		r = dot(dstack[i], r);
	return r;
}

/* ---- a tiny Ion value model ---------------------------------------------- */

enum vt { V_STR, V_INT, V_BOOL, V_DEC, V_TS, V_BLOB, V_LIST, V_STRUCT };

struct ts {
	int y, mo, d, h, mi, s, ms; /* UTC, millisecond precision, ms in 1..999 */
};

struct gv {
	enum vt t;
	const char *name; /* field name in a struct */
	int64_t i;	  /* int; decimal coefficient */
	int exp;	  /* decimal exponent */
	bool b;
	struct ts ts;
	const uint8_t *s; /* string / blob bytes */
	size_t slen;
	struct gv *kid, *next;
};

/* per-block bump pool */
static uint8_t *pool;
static size_t pool_used, pool_cap = 8u << 20;
static void *palloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (pool_used + n > pool_cap)
		die("block pool exhausted");
	void *p = pool + pool_used;
	pool_used += n;
	memset(p, 0, n);
	return p;
}
static struct gv *nv(enum vt t, const char *name)
{
	struct gv *v = palloc(sizeof *v);
	v->t = t;
	v->name = name;
	return v;
}
static char *pstr(const char *s)
{
	size_t n = strlen(s);
	char *p = palloc(n + 1);
	memcpy(p, s, n + 1);
	return p;
}
static struct gv *vstr(const char *name, const char *s)
{
	struct gv *v = nv(V_STR, name);
	v->s = (const uint8_t *)pstr(s);
	v->slen = strlen(s);
	return v;
}
static struct gv *vint(const char *name, int64_t i)
{
	struct gv *v = nv(V_INT, name);
	v->i = i;
	return v;
}
static struct gv *vblob(const char *name, const struct h32 *h)
{
	struct gv *v = nv(V_BLOB, name);
	uint8_t *p = palloc(32);
	memcpy(p, h->b, (size_t)h->len);
	v->s = p;
	v->slen = (size_t)h->len;
	return v;
}
static struct gv *vts(const char *name, struct ts t)
{
	struct gv *v = nv(V_TS, name);
	v->ts = t;
	return v;
}
/* Append kid to container c (keeps order). */
static struct gv *add(struct gv *c, struct gv *kid)
{
	struct gv **pp = &c->kid;
	while (*pp)
		pp = &(*pp)->next;
	*pp = kid;
	return kid;
}
static struct gv *get(struct gv *c, const char *name)
{
	for (struct gv *k = c->kid; k; k = k->next)
		if (k->name && strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

/* ---- binary representations (shared by the binary writer and Ion Hash) -- */

static void varuint(struct gbuf *b, uint64_t v)
{
	uint8_t tmp[10];
	int n = 0;
	do {
		tmp[n++] = v & 0x7f;
		v >>= 7;
	} while (v);
	for (int i = n - 1; i >= 0; i--)
		putc1(b, (uint8_t)(tmp[i] | (i == 0 ? 0x80 : 0)));
}
static void varint(struct gbuf *b, int64_t v)
{
	uint64_t m = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
	uint8_t tmp[10];
	int n = 0;
	/* 7-bit groups, least significant first; the most significant byte
	 * has room for only 6 magnitude bits next to the sign bit */
	uint64_t x = m;
	tmp[n++] = x & 0x7f;
	x >>= 7;
	while (x) {
		tmp[n++] = x & 0x7f;
		x >>= 7;
	}
	if (tmp[n - 1] & 0x40) /* no room for the sign bit */
		tmp[n++] = 0;
	if (v < 0)
		tmp[n - 1] |= 0x40;
	for (int i = n - 1; i >= 0; i--)
		putc1(b, (uint8_t)(tmp[i] | (i == 0 ? 0x80 : 0)));
}
static void uint_be(struct gbuf *b, uint64_t m)
{
	uint8_t tmp[8];
	int n = 0;
	while (m) {
		tmp[n++] = m & 0xff;
		m >>= 8;
	}
	for (int i = n - 1; i >= 0; i--)
		putc1(b, tmp[i]);
}
/* Signed-magnitude Int; zero gives no bytes. */
static void int_sm(struct gbuf *b, int64_t v)
{
	if (v == 0)
		return;
	uint64_t m = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
	uint8_t tmp[9];
	int n = 0;
	while (m) {
		tmp[n++] = m & 0xff;
		m >>= 8;
	}
	if (tmp[n - 1] & 0x80)
		tmp[n++] = 0;
	if (v < 0)
		tmp[n - 1] |= 0x80;
	for (int i = n - 1; i >= 0; i--)
		putc1(b, tmp[i]);
}

/* Type code and representation of a scalar. */
static uint8_t repr(struct gbuf *b, const struct gv *v)
{
	switch (v->t) {
	case V_STR:
		put(b, v->s, v->slen);
		return 0x8;
	case V_BLOB:
		put(b, v->s, v->slen);
		return 0xA;
	case V_INT:
		uint_be(b, v->i < 0 ? (uint64_t)(-v->i) : (uint64_t)v->i);
		return v->i < 0 ? 0x3 : 0x2;
	case V_BOOL:
		return 0x1;
	case V_DEC:
		if (v->i == 0 && v->exp == 0)
			return 0x5;
		varint(b, v->exp);
		int_sm(b, v->i);
		return 0x5;
	case V_TS:
		putc1(b, 0x80); /* offset +00:00 (Z) */
		varuint(b, (uint64_t)v->ts.y);
		varuint(b, (uint64_t)v->ts.mo);
		varuint(b, (uint64_t)v->ts.d);
		varuint(b, (uint64_t)v->ts.h);
		varuint(b, (uint64_t)v->ts.mi);
		varuint(b, (uint64_t)v->ts.s);
		varint(b, -3);
		int_sm(b, v->ts.ms);
		return 0x6;
	default:
		die("repr of a container");
	}
	return 0;
}

/* ---- Ion Hash (ion.md §1.1) ---------------------------------------------- */

static void escape_into(struct gbuf *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0x0B || p[i] == 0x0E || p[i] == 0x0C)
			putc1(out, 0x0C);
		putc1(out, p[i]);
	}
}

static int cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

static void ser(struct gbuf *out, const struct gv *v);

static void ser_name(struct gbuf *out, const char *name)
{
	putc1(out, 0x0B);
	putc1(out, 0x70);
	escape_into(out, (const uint8_t *)name, strlen(name));
	putc1(out, 0x0E);
}

static void ser(struct gbuf *out, const struct gv *v)
{
	putc1(out, 0x0B);
	if (v->t == V_LIST) {
		putc1(out, 0xB0);
		for (const struct gv *k = v->kid; k; k = k->next)
			ser(out, k);
	} else if (v->t == V_STRUCT) {
		putc1(out, 0xD0);
		size_t n = 0;
		for (const struct gv *k = v->kid; k; k = k->next)
			n++;
		uint8_t *hs = malloc(n * 32 + 1);
		struct gbuf f = { 0 };
		size_t i = 0;
		for (const struct gv *k = v->kid; k; k = k->next, i++) {
			f.n = 0;
			ser_name(&f, k->name);
			ser(&f, k);
			sha256(f.p, f.n, hs + 32 * i);
		}
		free(f.p);
		qsort(hs, n, 32, cmp32);
		escape_into(out, hs, n * 32);
		free(hs);
	} else if (v->t == V_BOOL) {
		putc1(out, v->b ? 0x11 : 0x10);
	} else {
		struct gbuf r = { 0 };
		uint8_t t = repr(&r, v);
		putc1(out, (uint8_t)(t == 0x3 ? 0x30 : t << 4));
		escape_into(out, r.p, r.n);
		free(r.p);
	}
	putc1(out, 0x0E);
}

static struct h32 ionhash(const struct gv *v)
{
	static struct gbuf b;
	b.n = 0;
	ser(&b, v);
	struct h32 h = { .len = 32 };
	sha256(b.p, b.n, h.b);
	return h;
}

/* ---- writers ------------------------------------------------------------- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static void b64(struct gbuf *b, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		uint32_t x = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			x |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			x |= p[i + 2];
		putc1(b, (uint8_t)B64[(x >> 18) & 63]);
		putc1(b, (uint8_t)B64[(x >> 12) & 63]);
		putc1(b, i + 1 < n ? (uint8_t)B64[(x >> 6) & 63] : '=');
		putc1(b, i + 2 < n ? (uint8_t)B64[x & 63] : '=');
	}
}

static void text_str(struct gbuf *b, const uint8_t *s, size_t n)
{
	putc1(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			putc1(b, '\\');
		putc1(b, s[i]);
	}
	putc1(b, '"');
}

static void text_dec(struct gbuf *b, int64_t coef, int exp)
{
	/* exp is -2 here: write digits with a decimal point, valid Ion and JSON */
	char d[32];
	uint64_t m = coef < 0 ? (uint64_t)(-coef) : (uint64_t)coef;
	int n = snprintf(d, sizeof d, "%0*llu", -exp + 1, (unsigned long long)m);
	if (coef < 0)
		putc1(b, '-');
	put(b, d, (size_t)(n + exp));
	putc1(b, '.');
	put(b, d + n + exp, (size_t)(-exp));
}

static void text(struct gbuf *b, const struct gv *v, bool json)
{
	switch (v->t) {
	case V_STR:
		text_str(b, v->s, v->slen);
		break;
	case V_INT:
		putf(b, "%lld", (long long)v->i);
		break;
	case V_BOOL:
		puts_(b, v->b ? "true" : "false");
		break;
	case V_DEC:
		text_dec(b, v->i, v->exp);
		break;
	case V_TS:
		putf(b, "%s%04d-%02d-%02dT%02d:%02d:%02d.%03dZ%s", json ? "\"" : "", v->ts.y,
		     v->ts.mo, v->ts.d, v->ts.h, v->ts.mi, v->ts.s, v->ts.ms, json ? "\"" : "");
		break;
	case V_BLOB:
		puts_(b, json ? "\"" : "{{");
		b64(b, v->s, v->slen);
		puts_(b, json ? "\"" : "}}");
		break;
	case V_LIST:
		putc1(b, '[');
		for (const struct gv *k = v->kid; k; k = k->next) {
			text(b, k, json);
			if (k->next)
				putc1(b, ',');
		}
		putc1(b, ']');
		break;
	case V_STRUCT:
		putc1(b, '{');
		for (const struct gv *k = v->kid; k; k = k->next) {
			if (json)
				putf(b, "\"%s\":", k->name);
			else if ((k->name[0] >= 'a' && k->name[0] <= 'z') ||
				 (k->name[0] >= 'A' && k->name[0] <= 'Z') || k->name[0] == '_')
				putf(b, "%s:", k->name);
			else
				putf(b, "'%s':", k->name);
			text(b, k, json);
			if (k->next)
				putc1(b, ',');
		}
		putc1(b, '}');
		break;
	}
}

/* Binary: symbol table of field names, rebuilt per block. */
#define MAX_SYMS 4096
static const char *syms[MAX_SYMS];
static int nsyms;
static int sym_id(const char *name)
{
	for (int i = 0; i < nsyms; i++)
		if (strcmp(syms[i], name) == 0)
			return 10 + i; /* after the 9 system symbols */
	if (nsyms == MAX_SYMS)
		die("too many symbols");
	syms[nsyms] = name;
	return 10 + nsyms++;
}
static void collect_syms(const struct gv *v)
{
	for (const struct gv *k = v->kid; k; k = k->next) {
		if (v->t == V_STRUCT)
			sym_id(k->name);
		collect_syms(k);
	}
}

static void td(struct gbuf *b, uint8_t t, size_t len)
{
	if (len < 14) {
		putc1(b, (uint8_t)(t << 4 | len));
	} else {
		putc1(b, (uint8_t)(t << 4 | 14));
		varuint(b, len);
	}
}

static void bin(struct gbuf *b, const struct gv *v)
{
	struct gbuf body = { 0 };
	uint8_t t;
	if (v->t == V_BOOL) {
		putc1(b, v->b ? 0x11 : 0x10);
		return;
	}
	if (v->t == V_LIST || v->t == V_STRUCT) {
		t = v->t == V_LIST ? 0xB : 0xD;
		for (const struct gv *k = v->kid; k; k = k->next) {
			if (t == 0xD)
				varuint(&body, (uint64_t)sym_id(k->name));
			bin(&body, k);
		}
	} else {
		t = repr(&body, v);
	}
	td(b, t, body.n);
	put(b, body.p, body.n);
	free(body.p);
}

/* $ion_symbol_table::{symbols:[...]} for the current symbols. */
static void bin_lst(struct gbuf *b)
{
	struct gbuf list = { 0 }, st = { 0 }, ann = { 0 };
	for (int i = 0; i < nsyms; i++) {
		td(&list, 0x8, strlen(syms[i]));
		puts_(&list, syms[i]);
	}
	varuint(&st, 7); /* symbols */
	td(&st, 0xB, list.n);
	put(&st, list.p, list.n);
	struct gbuf stv = { 0 };
	td(&stv, 0xD, st.n);
	put(&stv, st.p, st.n);
	varuint(&ann, 1);
	varuint(&ann, 3); /* $ion_symbol_table */
	put(&ann, stv.p, stv.n);
	td(b, 0xE, ann.n);
	put(b, ann.p, ann.n);
	free(list.p);
	free(st.p);
	free(stv.p);
	free(ann.p);
}

/* ---- the journal --------------------------------------------------------- */

enum fmt { F_TEXT, F_BIN, F_JSON };
static const char *const DEFECTS[] = { "none",		 "revision-data", "metadata",
				       "blockhash-flip", "prev-hash",	  "drop-entry",
				       "drop-block",	 "swap",	  "truncate",
				       "digest-flip",	 "manifest-key" };
enum defect {
	D_NONE,
	D_DATA,
	D_META,
	D_BHFLIP,
	D_PREV,
	D_DROPENT,
	D_DROPBLK,
	D_SWAP,
	D_TRUNC,
	D_DIGEST,
	D_MANIFEST
};

static char strand[23];
static void base62(char *out, int n)
{
	static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	out[0] = A[rnd() % 52]; /* start with a letter: bare Ion field name */
	for (int i = 1; i < n; i++)
		out[i] = A[rnd() % 62];
	out[n] = '\0';
}

static struct ts ts_of(int64_t seq)
{
	int64_t s = 1568662625 + seq; /* 2019-09-16T19:37:05Z + seq seconds */
	struct ts t = { 0 };
	int64_t days = s / 86400, rem = s % 86400;
	t.h = (int)(rem / 3600);
	t.mi = (int)(rem % 3600 / 60);
	t.s = (int)(rem % 60);
	t.ms = 1 + (int)(seq % 999);
	/* civil from days (Howard Hinnant) */
	days += 719468;
	int64_t era = days / 146097, doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	t.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	t.mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	t.y = (int)(yoe + era * 400 + (t.mo <= 2));
	return t;
}

static struct gv *address(const char *name, int64_t seq)
{
	struct gv *a = nv(V_STRUCT, name);
	add(a, vstr("strandId", strand));
	add(a, vint("sequenceNo", seq));
	return a;
}

static struct h32 random_hash(void)
{
	struct h32 h = { .len = 32 };
	for (int i = 0; i < 32; i += 8) {
		uint64_t x = rnd();
		memcpy(h.b + i, &x, 8);
	}
	return h;
}

static const char *const WORDS[] = { "Everett", "Seattle", "Tacoma", "Spokane",	 "Olympia",
				     "Renton",	"Kent",	   "Yakima", "Bellevue", "Redmond" };

static struct gv *make_data(int64_t seq, int k)
{
	struct gv *d = nv(V_STRUCT, "data");
	char vin[18];
	base62(vin, 17);
	add(d, vstr("VIN", vin));
	add(d, vstr("City", WORDS[rnd() % 10]));
	struct gv *amt = add(d, nv(V_DEC, "PendingPenaltyTicketAmount"));
	amt->i = rnd_in(-50000, 99999);
	amt->exp = -2;
	add(d, vint("Count", (int64_t)(rnd() % 100000) - 5000));
	struct gv *b = add(d, nv(V_BOOL, "Active"));
	b->b = rnd() & 1;
	add(d, vts("ValidFromDate", ts_of(seq * 7 + k)));
	struct gv *owners = add(d, nv(V_STRUCT, "Owners"));
	struct gv *po = add(owners, nv(V_STRUCT, "PrimaryOwner"));
	char pid[23];
	base62(pid, 22);
	add(po, vstr("PersonId", pid));
	struct gv *so = add(owners, nv(V_LIST, "SecondaryOwners"));
	for (int i = rnd_in(0, 2); i > 0; i--) {
		struct gv *o = add(so, nv(V_STRUCT, NULL));
		base62(pid, 22);
		add(o, vstr("PersonId", pid));
	}
	return d;
}

enum rkind { R_NORMAL, R_REDACTED, R_HASHONLY, R_DELETED };

struct block_out {
	struct gv *block;
	struct h32 hash;
	struct gv *first_normal_rev; /* for the data / metadata defects */
};

/* Build block seq chained to prev; returns it with its true blockHash. */
static struct block_out make_block(int64_t seq, struct h32 prev, bool force_normal)
{
	struct block_out o = { 0 };
	struct gv *blk = nv(V_STRUCT, NULL);
	char txid[23];
	base62(txid, 22);
	add(blk, address("blockAddress", seq));
	add(blk, vstr("transactionId", txid));
	add(blk, vts("blockTimestamp", ts_of(seq)));
	struct gv *bh = add(blk, nv(V_BLOB, "blockHash"));
	struct gv *eh = add(blk, nv(V_BLOB, "entriesHash"));
	add(blk, vblob("previousBlockHash", &prev));
	struct gv *ehl = add(blk, nv(V_LIST, "entriesHashList"));

	bool genesis = seq == 0;
	bool system = !genesis && !force_normal && rnd() % 100 < 3;
	struct h32 entries[8];
	int ne = 0;
	if (genesis) {
		entries[ne++] = random_hash();
	} else {
		struct gv *ti = NULL, *ri = NULL;
		if (!system) {
			ti = nv(V_STRUCT, "transactionInfo");
			struct gv *sts = add(ti, nv(V_LIST, "statements"));
			struct gv *st = add(sts, nv(V_STRUCT, NULL));
			add(st,
			    vstr("statement", "UPDATE VehicleRegistration AS r SET r.City = ?"));
			add(st, vts("startTime", ts_of(seq)));
			struct gv *sd = vstr("x", "UPDATE VehicleRegistration AS r SET r.City = ?");
			struct h32 sdh = ionhash(sd);
			add(st, vblob("statementDigest", &sdh));
		}
		struct gv *revs = nv(V_LIST, "revisions");
		int nr = system ? rnd_in(1, 2) : rnd_in(1, MAX_REVS);
		struct h32 rh[MAX_REVS];
		struct gv *docs = ti ? add(ti, nv(V_STRUCT, "documents")) : NULL;
		for (int k = 0; k < nr; k++) {
			int roll = (int)(rnd() % 100);
			enum rkind kind = system		   ? R_HASHONLY
					  : force_normal && k == 0 ? R_NORMAL
					  : roll < 5		   ? R_REDACTED
					  : roll < 8		   ? R_HASHONLY
					  : roll < 10		   ? R_DELETED
								   : R_NORMAL;
			struct gv *r = add(revs, nv(V_STRUCT, NULL));
			if (kind == R_HASHONLY) {
				rh[k] = random_hash();
				add(r, vblob("hash", &rh[k]));
				continue;
			}
			char docid[23];
			base62(docid, 22);
			add(r, address("blockAddress", seq));
			struct gv *hv = add(r, nv(V_BLOB, "hash"));
			struct gv *meta = nv(V_STRUCT, "metadata");
			add(meta, vstr("id", docid));
			add(meta, vint("version", rnd_in(0, 40)));
			add(meta, vts("txTime", ts_of(seq)));
			add(meta, vstr("txId", txid));
			struct h32 mh = ionhash(meta);
			if (kind == R_NORMAL) {
				struct gv *data = make_data(seq, k);
				add(r, data);
				rh[k] = dot(mh, ionhash(data));
				if (!o.first_normal_rev)
					o.first_normal_rev = r;
			} else if (kind == R_REDACTED) {
				struct h32 dh = ionhash(make_data(seq, k));
				add(r, vblob("dataHash", &dh));
				rh[k] = dot(mh, dh);
			} else {
				/* deleted document: no public formula; the verifier
				 * must use the published hash as given */
				rh[k] = mh;
			}
			add(r, meta);
			hv->s = palloc(32);
			memcpy((uint8_t *)hv->s, rh[k].b, 32);
			hv->slen = 32;
			if (docs) {
				struct gv *di = add(docs, nv(V_STRUCT, pstr(docid)));
				add(di, vstr("tableName", "VehicleRegistration"));
				add(di, vstr("tableId", "BFJKdXgzt9oF4wjMbuxy4G"));
				struct gv *idx = add(di, nv(V_LIST, "statements"));
				add(idx, vint(NULL, 0));
			}
			if (kind == R_REDACTED && rnd() % 2) {
				ri = nv(V_STRUCT, "redactionInfo");
				struct gv *rl = add(ri, nv(V_LIST, "revisions"));
				struct gv *x = add(rl, nv(V_STRUCT, NULL));
				add(x, address("blockAddress", seq > 1 ? seq - 1 : seq));
				add(x, vstr("tableId", "BFJKdXgzt9oF4wjMbuxy4G"));
				add(x, vstr("documentId", docid));
				add(x, vint("version", 0));
			}
		}
		/* entriesHashList: internal hashes around the known members,
		 * in varying positions (§2.5: order is not documented) */
		if (rnd() % 2)
			entries[ne++] = random_hash();
		entries[ne++] = merkle(rh, (size_t)nr);
		if (rnd() % 2)
			entries[ne++] = random_hash();
		if (ti)
			entries[ne++] = ionhash(ti);
		if (ri)
			entries[ne++] = ionhash(ri);
		if (ti)
			add(blk, ti);
		if (ri)
			add(blk, ri);
		add(blk, revs);
	}
	for (int i = 0; i < ne; i++)
		add(ehl, vblob(NULL, &entries[i]));
	struct h32 e = merkle(entries, (size_t)ne);
	o.hash = dot(e, prev);
	eh->s = palloc(32);
	memcpy((uint8_t *)eh->s, e.b, 32);
	eh->slen = 32;
	bh->s = palloc(32);
	memcpy((uint8_t *)bh->s, o.hash.b, 32);
	bh->slen = 32;
	o.block = blk;
	return o;
}

/* ---- output -------------------------------------------------------------- */

static void mkdirs(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
}

static void serialize(struct gbuf *b, const struct gv *v, enum fmt fmt)
{
	if (fmt == F_BIN) {
		nsyms = 0;
		collect_syms(v);
		bin_lst(b);
		bin(b, v);
	} else {
		text(b, v, fmt == F_JSON);
		putc1(b, '\n');
	}
}

/* A manifest value: {keys:[...]} or the started manifest. */
static void write_manifest(const char *path, struct gv *v, enum fmt fmt)
{
	struct gbuf b = { 0 };
	if (fmt == F_BIN) {
		put(&b, "\xE0\x01\x00\xEA", 4);
		serialize(&b, v, fmt);
	} else {
		serialize(&b, v, fmt);
	}
	write_file(path, b.p, b.n);
	free(b.p);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-')
		die("usage: export_gen OUTDIR [--format ion_text|ion_binary|json] [--blocks N] "
		    "[--target-bytes B] [--per-object K] [--exports E] [--seed S] [--defect "
		    "NAME] [--defect-seq D]");
	const char *out = argv[1];
	enum fmt fmt = F_TEXT;
	int64_t nblocks = 10000, per_obj = 500, dseq = -1;
	uint64_t target = 0;
	int exports = 1;
	enum defect defect = D_NONE;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			die("%s needs a value", a);
		i++;
		if (strcmp(a, "--format") == 0)
			fmt = strcmp(v, "ion_binary") == 0 ? F_BIN
			      : strcmp(v, "json") == 0	   ? F_JSON
			      : strcmp(v, "ion_text") == 0 ? F_TEXT
							   : (die("bad format %s", v), F_TEXT);
		else if (strcmp(a, "--blocks") == 0)
			nblocks = atoll(v);
		else if (strcmp(a, "--target-bytes") == 0)
			target = strtoull(v, NULL, 10);
		else if (strcmp(a, "--per-object") == 0)
			per_obj = atoll(v);
		else if (strcmp(a, "--exports") == 0)
			exports = atoi(v);
		else if (strcmp(a, "--seed") == 0)
			rng_state ^= strtoull(v, NULL, 10) * 0x9E3779B97F4A7C15ull;
		else if (strcmp(a, "--defect-seq") == 0)
			dseq = atoll(v);
		else if (strcmp(a, "--defect") == 0) {
			size_t k = 0;
			while (k < sizeof DEFECTS / sizeof DEFECTS[0] && strcmp(DEFECTS[k], v))
				k++;
			if (k == sizeof DEFECTS / sizeof DEFECTS[0])
				die("unknown defect %s", v);
			defect = (enum defect)k;
		} else
			die("unknown option %s", a);
	}
	if (nblocks < 4 || per_obj < 4 || exports < 1 || exports > 8)
		die("need --blocks >= 4, --per-object >= 4, 1 <= --exports <= 8");
	if (target)
		nblocks = INT64_MAX / 4;
	if (dseq < 0)
		dseq = target ? 5000 : nblocks / 2 + 7;
	if (dseq % per_obj == per_obj - 1) /* keep D and D+1 in one object (swap) */
		dseq--;
	if (dseq < 1)
		dseq = 1;
	md_ctx = EVP_MD_CTX_new();
	md_sha = EVP_sha256();
	pool = malloc(pool_cap);
	if (!md_ctx || !pool)
		die("out of memory");
	base62(strand, 22);

	const char *ext = fmt == F_JSON ? "json" : "ion";
	struct gbuf obj = { 0 }, keys_text = { 0 };
	char path[4096], dir[2048], key[512], export_id[23];
	struct h32 prev = { .len = 0 }; /* genesis: empty previous hash (open, §2.6) */
	int64_t seq = 0, expect_seq = dseq, objects = 0;
	uint64_t bytes = 0;
	int64_t objs_total = target ? INT64_MAX : (nblocks + per_obj - 1) / per_obj;
	int64_t objs_per_export = target ? INT64_MAX : (objs_total + exports - 1) / exports;
	struct gv *keys = NULL, *manifest = NULL;
	bool done = false;
	for (int e = 0; e < exports && !done; e++) {
		base62(export_id, 22);
		snprintf(dir, sizeof dir, "%s/export%d/journalExport", out, e);
		mkdirs(dir);
		pool_used = 0;
		/* keys accumulate in a malloc'd text list (the pool is per block) */
		keys_text.n = 0;
		for (int64_t oi = 0; oi < objs_per_export && !done; oi++) {
			int64_t first = seq, last = seq + per_obj - 1;
			if (!target && last >= nblocks - 1) {
				last = nblocks - 1;
				done = true;
			}
			snprintf(key, sizeof key, "journalExport/2019/04/15/22/%s.%lld-%lld.%s",
				 strand, (long long)first, (long long)last, ext);
			obj.n = 0;
			if (fmt == F_BIN)
				put(&obj, "\xE0\x01\x00\xEA", 4);
			size_t trunc_at = 0;
			struct gbuf held = { 0 };
			for (; seq <= last; seq++) {
				pool_used = 0;
				struct block_out b = make_block(seq, prev, seq == dseq);
				struct h32 truth = b.hash;
				if (seq == dseq) {
					struct gv *r = b.first_normal_rev;
					struct gv *blob;
					switch (defect) {
					case D_DATA:
						get(get(r, "data"), "City")->s =
							(const uint8_t *)"Tampered";
						get(get(r, "data"), "City")->slen = 8;
						break;
					case D_META:
						get(get(r, "metadata"), "version")->i += 1;
						break;
					case D_BHFLIP:
						blob = get(b.block, "blockHash");
						((uint8_t *)blob->s)[7] ^= 0x10;
						break;
					case D_PREV:
						blob = get(b.block, "previousBlockHash");
						((uint8_t *)blob->s)[3] ^= 0x01;
						break;
					case D_DROPENT: {
						struct gv *l = get(b.block, "entriesHashList");
						l->kid = l->kid->next; /* drop the first */
						break;
					}
					default:
						break;
					}
				}
				digest_push(truth);
				prev = truth;
				size_t start = obj.n;
				if (defect == D_DROPBLK && seq == dseq)
					continue;
				if (defect == D_SWAP && seq == dseq) {
					serialize(&held, b.block, fmt); /* written after D+1 */
					continue;
				}
				serialize(&obj, b.block, fmt);
				if (defect == D_SWAP && seq == dseq + 1) {
					put(&obj, held.p, held.n);
					held.n = 0;
				}
				if (defect == D_TRUNC && seq == dseq)
					trunc_at = start + (obj.n - start) / 2;
				if (target && bytes + obj.n >= target && seq == last)
					done = true;
			}
			free(held.p);
			if (trunc_at)
				obj.n = trunc_at;
			snprintf(path, sizeof path, "%s/export%d/%s", out, e, key);
			char *slash = strrchr(path, '/');
			*slash = '\0';
			mkdirs(path);
			*slash = '/';
			write_file(path, obj.p, obj.n);
			bytes += obj.n;
			objects++;
			if (defect == D_MANIFEST && dseq >= first && dseq <= last) {
				expect_seq = first;
				continue; /* the key is left out of the manifest */
			}
			if (keys_text.n)
				putc1(&keys_text, '\n');
			puts_(&keys_text, key);
			if (target && bytes >= target)
				done = true;
		}
		/* manifests: rebuild the keys list in the pool from the text */
		pool_used = 0;
		manifest = nv(V_STRUCT, NULL);
		keys = add(manifest, nv(V_LIST, "keys"));
		putc1(&keys_text, '\0');
		for (char *s = (char *)keys_text.p, *nl; s && *s; s = nl ? nl + 1 : NULL) {
			nl = strchr(s, '\n');
			if (nl)
				*nl = '\0';
			add(keys, vstr(NULL, s));
		}
		snprintf(path, sizeof path, "%s/%s.%s.completed.manifest", dir, export_id, strand);
		write_manifest(path, manifest, fmt);
		struct gv *sm = nv(V_STRUCT, NULL);
		add(sm, vstr("ledgerName", "vehicle-registration"));
		add(sm, vstr("exportId", export_id));
		add(sm, vstr("bucket", "qldbtop-test-exports"));
		add(sm, vstr("prefix", "journalExport/"));
		add(sm, vstr("objectEncryptionType", "NO_ENCRYPTION"));
		add(sm, vstr("outputFormat", fmt == F_BIN    ? "ION_BINARY"
					     : fmt == F_JSON ? "JSON"
							     : "ION_TEXT"));
		snprintf(path, sizeof path, "%s/%s.started.manifest", dir, export_id);
		write_manifest(path, sm, fmt);
	}
	int64_t total = seq;
	/* DIGEST.json as `aws qldb get-digest` prints it; tip = last block */
	struct h32 d = digest_root();
	if (defect == D_DIGEST) {
		d.b[11] ^= 0x04;
		expect_seq = total - 1;
	}
	struct gbuf dj = { 0 };
	puts_(&dj, "{\n    \"Digest\": \"");
	b64(&dj, d.b, 32);
	putf(&dj,
	     "\",\n    \"DigestTipAddress\": {\n        \"IonText\": "
	     "\"{strandId:\\\"%s\\\",sequenceNo:%lld}\"\n    }\n}\n",
	     strand, (long long)total - 1);
	snprintf(path, sizeof path, "%s/DIGEST.json", out);
	write_file(path, dj.p, dj.n);
	printf("blocks %lld objects %lld bytes %llu defect %s seq %lld\n", (long long)total,
	       (long long)objects, (unsigned long long)bytes, DEFECTS[defect],
	       (long long)(defect == D_NONE ? -1 : expect_seq));
	free(dj.p);
	free(obj.p);
	free(keys_text.p);
	free(pool);
	EVP_MD_CTX_free(md_ctx);
	return 0;
}
