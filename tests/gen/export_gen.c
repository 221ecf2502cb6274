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
 *                   [--attack NAME] [--attack-seq D] [--digest-extra K]
 *        export_gen --list-attacks
 * writes OUTDIR/export<e>/journalExport/{<id>.started.manifest,
 *   <id>.<strand>.completed.manifest, 2019/04/15/22/<strand>.<a>-<b>.ion}
 * and OUTDIR/DIGEST.json (as `aws qldb get-digest` prints, tip = last
 * block, or K blocks further with --digest-extra K: the ledger goes on,
 * and the root covers those blocks too), and prints
 * "blocks N objects M bytes B defect NAME seq S".
 * Defects (one at a time, at block D) break a hash: revision-data,
 * metadata, blockhash-flip, prev-hash, drop-entry, drop-block, swap,
 * truncate, digest-flip, manifest-key. The printed seq is the first block a
 * verifier must name.
 * Attacks (one at a time, ion_text or ion_binary; table ATTACKS below) keep
 * every hash valid and add content no hash covers, or lead the reader out
 * of the folder (intact copies go to OUTDIR/outside/). They print
 * "blocks N objects M bytes B attack NAME seq S key K": S is the block a
 * failure must name (-1: none), K the key or file an input error must name.
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
	const char *ann; /* one annotation, or NULL (attacks only: never hashed) */
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
	if (v->ann && !json)
		putf(b, "%s::", v->ann);
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
	if (v->ann)
		sym_id(v->ann);
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
	if (v->ann) { /* annotation wrapper: annot_length, annot, value */
		struct gv plain = *v;
		struct gbuf anns = { 0 };
		plain.ann = NULL;
		varuint(&anns, (uint64_t)sym_id(v->ann));
		varuint(&body, anns.n);
		put(&body, anns.p, anns.n);
		bin(&body, &plain);
		td(b, 0xE, body.n);
		put(b, body.p, body.n);
		free(anns.p);
		free(body.p);
		return;
	}
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
				/* deleted document: no public formula; this writes
				 * IonHash(metadata) (dot with the empty hash), which the
				 * verifier proves; the attack downgrade-deleted writes
				 * another hash, which it must list as unproven */
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

/* ---- attacks ------------------------------------------------------------- */

/*
 * An attack keeps every hash a verifier recomputes valid (block hashes, the
 * chain and the digest are the published ones) and adds content a reader
 * of the export would take that no hash covers, or leads the verifier to
 * read other bytes than the folder's own. Tree attacks change block D
 * before it is written; file attacks change the files around its object.
 * The printed seq is the block a verifier must name (-1: none, name the
 * file); the printed key is the key or file an input error must name.
 */
enum attack {
	A_NONE,
	A_DATA_NO_META,
	A_SECOND_DATA,
	A_SECOND_META,
	A_DATA_AND_DATAHASH,
	A_DATA_ANN,
	A_EXTRA_REV,
	A_EXTRA_BLOCK,
	A_DUP_REVISIONS,
	A_DUP_BLOCKHASH,
	A_REV_ADDRESS,
	A_TXID,
	A_BLOCK_ANN,
	A_DUP_BLOCK,
	A_STRAY_VALUE,
	A_JSON_MANIFEST,
	A_DOTDOT,
	A_ABSOLUTE,
	A_SYMLINK,
	A_FIFO,
	A_TRUNC,
	A_EMPTY,
	A_KEY_DIR,
	A_KEY_RANGE,
	A_EXTRA_KEY,
	A_SELF_KEY,
	A_MIXED,
	A_DUP_MANIFEST,
	A_OVERLAP,
	A_STARTED_ID,
	A_BLOCK_STRAND,
	A_REDACTION_INFO,
	A_TXINFO,
	A_DOWNGRADE_DELETED,
	A_SYMLINK_DIR,
	A_SYMLINK_STARTED,
	A_SYMLINK_MANIFEST,
	A_DIGEST_DUP,
	A_DIGEST_TRAILING,
	A_DIGEST_NUL,
	A_DIGEST_TIP_DUP,
	A_COUNT
};

struct attack_def {
	const char *name;
	bool copy; /* the attacked object has a second version (alt) */
};

static const struct attack_def ATTACKS[A_COUNT] = {
	[A_NONE] = { "none", false },
	/* a revision's metadata removed, its data changed */
	[A_DATA_NO_META] = { "data-no-metadata", false },
	/* a second, changed data field right after the real one */
	[A_SECOND_DATA] = { "second-data", false },
	/* a second, changed metadata field after the real one */
	[A_SECOND_META] = { "second-metadata", false },
	/* data changed, and dataHash = IonHash(the original data) added */
	[A_DATA_AND_DATAHASH] = { "data-and-datahash", false },
	/* data annotated (Ion Hash covers annotations: the published hash is
	 * of the bare value, so a verifier that drops annotations passes) */
	[A_DATA_ANN] = { "data-annotation", false },
	/* an unknown field with content in a revision / in the block */
	[A_EXTRA_REV] = { "extra-field-revision", false },
	[A_EXTRA_BLOCK] = { "extra-field-block", false },
	/* a second revisions list, one revision's data changed: a reader
	 * taking the last field reads it */
	[A_DUP_REVISIONS] = { "dup-block-field", false },
	/* a second, changed blockHash after the real one */
	[A_DUP_BLOCKHASH] = { "dup-blockhash", false },
	/* a revision's blockAddress names block D-1 */
	[A_REV_ADDRESS] = { "revision-address", false },
	/* the block's transactionId is not its revisions' metadata.txId */
	[A_TXID] = { "txid", false },
	/* the block struct carries an annotation */
	[A_BLOCK_ANN] = { "block-annotation", false },
	/* block D written twice, the second copy's data changed */
	[A_DUP_BLOCK] = { "dup-block", false },
	/* a non-block top-level value {City:"Tampered"} just before block D */
	[A_STRAY_VALUE] = { "stray-value", false },
	/* started manifest says JSON (chain only), and block D's data changed */
	[A_JSON_MANIFEST] = { "json-manifest", false },
	/* the key is ../outside/<key> (an intact copy); the object in the
	 * folder has block D's data changed */
	[A_DOTDOT] = { "dotdot-key", true },
	/* the key is the absolute path of the intact copy outside */
	[A_ABSOLUTE] = { "absolute-key", true },
	/* the object is a symbolic link to the intact copy outside */
	[A_SYMLINK] = { "symlink-out", true },
	/* the object is a FIFO, and there is no started manifest */
	[A_FIFO] = { "fifo-object", false },
	/* the last object ends cleanly before block D; its key claims them */
	[A_TRUNC] = { "truncate-at-boundary", false },
	/* the object is an empty file */
	[A_EMPTY] = { "empty-object", false },
	/* the key names a directory */
	[A_KEY_DIR] = { "key-is-dir", false },
	/* the key's range ends one block before the object's last block */
	[A_KEY_RANGE] = { "key-range", false },
	/* an extra key after the real one: the same range in another folder
	 * (…/23/), block D's data changed there */
	[A_EXTRA_KEY] = { "extra-key", true },
	/* a key naming the completed manifest itself */
	[A_SELF_KEY] = { "manifest-self-key", false },
	/* the object in the other Ion encoding (intact), the started manifest
	 * naming the export's format */
	[A_MIXED] = { "mixed-formats", true },
	/* the completed manifest has keys twice; the second list names the
	 * changed copy (…/23/) instead of the real object */
	[A_DUP_MANIFEST] = { "dup-manifest-field", true },
	/* a second completed manifest lists only the changed copy (…/23/) */
	[A_OVERLAP] = { "overlap-manifests", true },
	/* the started manifest's exportId is not the one in its name */
	[A_STARTED_ID] = { "started-id-mismatch", false },
	/* the block's blockAddress names another strand (no hash covers it) */
	[A_BLOCK_STRAND] = { "block-strand", false },
	/* a redactionInfo whose IonHash is not in entriesHashList (an existing
	 * one changed, or a new one added) */
	[A_REDACTION_INFO] = { "redaction-info", false },
	/* transactionInfo's statement changed (its IonHash is in the list) */
	[A_TXINFO] = { "transaction-info", false },
	/* a revision's data removed: it reads as a deleted document, whose
	 * hash has no public formula (a downgrade to "not proven") */
	[A_DOWNGRADE_DELETED] = { "downgrade-deleted", false },
	/* the object's folder is a symbolic link to a folder outside that
	 * holds the intact object */
	[A_SYMLINK_DIR] = { "symlink-dir", true },
	/* the started manifest is a symbolic link to a copy outside */
	[A_SYMLINK_STARTED] = { "symlink-started", false },
	/* a second completed manifest is a symbolic link to one outside that
	 * lists a changed copy (…/23/) of the object */
	[A_SYMLINK_MANIFEST] = { "symlink-manifest", true },
	/* DIGEST.json: "Digest" twice (the real one first), trailing data
	 * after the object, a NUL escape after the digest's base64, and
	 * DigestTipAddress.IonText with sequenceNo twice (the real one first) */
	[A_DIGEST_DUP] = { "digest-dup-key", false },
	[A_DIGEST_TRAILING] = { "digest-trailing", false },
	[A_DIGEST_NUL] = { "digest-nul", false },
	[A_DIGEST_TIP_DUP] = { "digest-tip-dup", false },
};

static void tamper_city(struct gv *data)
{
	struct gv *c = get(data, "City");
	c->s = (const uint8_t *)"Tampered";
	c->slen = 8;
}

static struct gv *gv_clone(const struct gv *v)
{
	struct gv *c = nv(v->t, v->name);
	*c = *v;
	c->kid = c->next = NULL;
	if (v->t == V_STR || v->t == V_BLOB) {
		uint8_t *p = palloc(v->slen + 1);
		memcpy(p, v->s, v->slen);
		c->s = p;
	}
	for (const struct gv *k = v->kid; k; k = k->next)
		add(c, gv_clone(k));
	return c;
}

static void insert_after(struct gv *at, struct gv *kid)
{
	kid->next = at->next;
	at->next = kid;
}

static void remove_kid(struct gv *c, const struct gv *kid)
{
	for (struct gv **pp = &c->kid; *pp; pp = &(*pp)->next)
		if (*pp == kid) {
			*pp = kid->next;
			return;
		}
}

/* Change the tree of block seq for a tree attack (others: no change). */
static void attack_tree(struct block_out *b, enum attack a, int64_t seq)
{
	struct gv *blk = b->block, *r = b->first_normal_rev, *x;
	struct gv *data = get(r, "data");
	switch (a) {
	case A_DATA_NO_META:
		remove_kid(r, get(r, "metadata"));
		tamper_city(data);
		break;
	case A_SECOND_DATA:
		x = gv_clone(data);
		tamper_city(x);
		insert_after(data, x);
		break;
	case A_SECOND_META:
		x = gv_clone(get(r, "metadata"));
		get(x, "version")->i += 1;
		insert_after(get(r, "metadata"), x);
		break;
	case A_DATA_AND_DATAHASH: {
		struct h32 dh = ionhash(data);
		insert_after(data, vblob("dataHash", &dh));
		tamper_city(data);
		break;
	}
	case A_DATA_ANN:
		data->ann = "tampered";
		break;
	case A_EXTRA_REV:
		x = add(r, nv(V_STRUCT, "corrections"));
		add(x, vstr("City", "Tampered"));
		break;
	case A_EXTRA_BLOCK:
		x = add(blk, nv(V_STRUCT, "extraInfo"));
		add(x, vstr("City", "Tampered"));
		break;
	case A_DUP_REVISIONS: {
		struct gv *revs = get(blk, "revisions");
		int idx = 0;
		for (struct gv *k = revs->kid; k != r; k = k->next)
			idx++;
		x = gv_clone(revs);
		struct gv *rr = x->kid;
		while (idx-- > 0)
			rr = rr->next;
		tamper_city(get(rr, "data"));
		insert_after(revs, x);
		break;
	}
	case A_DUP_BLOCKHASH: {
		x = gv_clone(get(blk, "blockHash"));
		((uint8_t *)x->s)[5] ^= 0x20;
		insert_after(get(blk, "blockHash"), x);
		break;
	}
	case A_REV_ADDRESS:
		get(get(r, "blockAddress"), "sequenceNo")->i = seq - 1;
		break;
	case A_TXID: {
		char t[23];
		base62(t, 22);
		x = get(blk, "transactionId");
		x->s = (const uint8_t *)pstr(t);
		x->slen = 22;
		break;
	}
	case A_BLOCK_ANN:
		blk->ann = "tampered";
		break;
	case A_JSON_MANIFEST:
		tamper_city(data);
		break;
	case A_BLOCK_STRAND: {
		char t[23];
		base62(t, 22);
		x = get(get(blk, "blockAddress"), "strandId");
		x->s = (const uint8_t *)pstr(t);
		x->slen = 22;
		break;
	}
	case A_REDACTION_INFO:
		x = get(blk, "redactionInfo");
		if (!x) {
			x = add(blk, nv(V_STRUCT, "redactionInfo"));
			struct gv *l = add(x, nv(V_LIST, "revisions"));
			struct gv *y = add(l, nv(V_STRUCT, NULL));
			add(y, address("blockAddress", seq - 1));
			add(y, vstr("tableId", "BFJKdXgzt9oF4wjMbuxy4G"));
			add(y, vstr("documentId", "Tampered"));
			add(y, vint("version", 0));
		} else {
			x = get(x->kid->kid, "documentId");
			x->s = (const uint8_t *)"Tampered";
			x->slen = 8;
		}
		break;
	case A_TXINFO:
		x = get(get(get(blk, "transactionInfo"), "statements")->kid, "statement");
		x->s = (const uint8_t *)"DELETE FROM VehicleRegistration";
		x->slen = strlen((const char *)x->s);
		break;
	case A_DOWNGRADE_DELETED:
		remove_kid(r, data);
		break;
	default:
		break;
	}
}

/* Write block seq of the attacked object: obj is what goes in the folder
 * (format fmt), alt the object's other version (format afmt) when the
 * attack has one. */
static void attack_write(struct gbuf *obj, struct gbuf *alt, struct block_out *b, bool here,
			 enum attack a, int64_t seq, enum fmt fmt, enum fmt afmt)
{
	struct gv *data = b->first_normal_rev ? get(b->first_normal_rev, "data") : NULL;
	if (!here) {
		serialize(obj, b->block, fmt);
		if (ATTACKS[a].copy)
			serialize(alt, b->block, afmt);
		return;
	}
	switch (a) {
	case A_STRAY_VALUE: {
		struct gv *s = nv(V_STRUCT, NULL);
		add(s, vstr("City", "Tampered"));
		serialize(obj, s, fmt);
		serialize(obj, b->block, fmt);
		break;
	}
	case A_DUP_BLOCK:
		serialize(obj, b->block, fmt);
		tamper_city(data);
		serialize(obj, b->block, fmt);
		break;
	case A_DOTDOT:
	case A_ABSOLUTE:
	case A_SYMLINK:
	case A_SYMLINK_DIR: /* intact outside, changed inside */
		serialize(alt, b->block, afmt);
		tamper_city(data);
		serialize(obj, b->block, fmt);
		break;
	case A_EXTRA_KEY:
	case A_DUP_MANIFEST:
	case A_OVERLAP:
	case A_SYMLINK_MANIFEST: /* intact at the real key, changed in the copy */
		serialize(obj, b->block, fmt);
		tamper_city(data);
		serialize(alt, b->block, afmt);
		break;
	case A_MIXED:
		serialize(obj, b->block, fmt);
		serialize(alt, b->block, afmt);
		break;
	default:
		attack_tree(b, a, seq);
		serialize(obj, b->block, fmt);
		break;
	}
}

/* Append a key to a newline-separated key list. */
static void key_append(struct gbuf *keys, const char *key)
{
	if (keys->n)
		putc1(keys, '\n');
	puts_(keys, key);
}

/* Add a keys list to struct m from a newline-separated key list
 * (consumes the list: it is cut in place). */
static void key_list(struct gv *m, struct gbuf *keys)
{
	struct gv *l = add(m, nv(V_LIST, "keys"));
	putc1(keys, '\0');
	for (char *s = (char *)keys->p, *nl; s && *s; s = nl ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		add(l, vstr(NULL, s));
	}
}

static void write_at(const char *path, const struct gbuf *b)
{
	char dir[6144];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdirs(dir);
	}
	write_file(path, b->n ? b->p : (const uint8_t *)"", b->n);
}

/* Paths of the attacked object's files. */
struct attack_paths {
	char inside[8192];  /* where the object lives in export<e> */
	char outside[8192]; /* OUTDIR/outside/... */
};

/* Write the attacked object's files (obj: what the folder holds; alt: its
 * other version). Sets mkey (the key the manifest lists), akey (the key or
 * file an input error must name) and *expect (the block a verifier must
 * name). mkey and akey hold ATTACK_KEY_MAX bytes. */
#define ATTACK_KEY_MAX 8192
static void attack_object(enum attack a, const char *out_real, int e, const char *key,
			  const char *key2, const struct gbuf *obj, const struct gbuf *alt,
			  int64_t first, int64_t last, int64_t *expect, char *mkey, char *akey)
{
	struct attack_paths p;
	snprintf(p.inside, sizeof p.inside, "%s/export%d/%s", out_real, e, key);
	snprintf(p.outside, sizeof p.outside, "%s/outside/%s", out_real, key);
	snprintf(akey, ATTACK_KEY_MAX, "%s", key);
	switch (a) {
	case A_DOTDOT: /* the key leads to the intact copy outside */
	case A_ABSOLUTE:
		write_at(p.outside, alt);
		write_at(p.inside, obj);
		if (a == A_DOTDOT)
			snprintf(mkey, ATTACK_KEY_MAX, "../outside/%s", key);
		else
			snprintf(mkey, ATTACK_KEY_MAX, "%s", p.outside);
		snprintf(akey, ATTACK_KEY_MAX, "%s", mkey);
		break;
	case A_SYMLINK: /* the object is a link to the intact copy */
		write_at(p.outside, alt);
		write_at(p.inside, obj); /* makes the folders */
		if (unlink(p.inside) || symlink(p.outside, p.inside))
			die("%s: %s", p.inside, strerror(errno));
		*expect = first;
		break;
	case A_SYMLINK_DIR: { /* the object's folder is a link */
		write_at(p.outside, alt);
		char *slash = strrchr(p.inside, '/'), *oslash = strrchr(p.outside, '/');
		*slash = *oslash = '\0';
		char parent[8192];
		snprintf(parent, sizeof parent, "%s", p.inside);
		*strrchr(parent, '/') = '\0';
		mkdirs(parent);
		if (symlink(p.outside, p.inside))
			die("%s: %s", p.inside, strerror(errno));
		*expect = first;
		break;
	}
	case A_FIFO:
	case A_EMPTY:
	case A_KEY_DIR:
		write_at(p.inside, obj); /* makes the folders */
		if (unlink(p.inside) || (a == A_FIFO	  ? mkfifo(p.inside, 0644)
					 : a == A_KEY_DIR ? mkdir(p.inside, 0755)
							  : 0))
			die("%s: %s", p.inside, strerror(errno));
		if (a == A_EMPTY)
			write_file(p.inside, "", 0);
		*expect = first;
		break;
	case A_EXTRA_KEY: /* the changed copy at key2, inside */
	case A_DUP_MANIFEST:
	case A_OVERLAP:
	case A_SYMLINK_MANIFEST:
		write_at(p.inside, obj);
		snprintf(p.inside, sizeof p.inside, "%s/export%d/%s", out_real, e, key2);
		write_at(p.inside, alt);
		snprintf(akey, ATTACK_KEY_MAX, "%s", key2);
		break;
	case A_MIXED: /* the other encoding, intact */
		write_at(p.inside, alt);
		*expect = first;
		break;
	case A_KEY_RANGE:
		write_at(p.inside, obj);
		*expect = last; /* in the object, not in its key's range */
		break;
	default:
		write_at(p.inside, obj);
		break;
	}
}

/* Replace file path by a symbolic link to a copy of it under
 * OUTDIR/outside/; rel is path relative to export<e>. */
static void attack_link_out(const char *out_real, int e, const char *rel)
{
	char in[8192], outp[8192];
	snprintf(in, sizeof in, "%s/export%d/%s", out_real, e, rel);
	snprintf(outp, sizeof outp, "%s/outside/%s", out_real, rel);
	FILE *f = fopen(in, "rb");
	struct gbuf b = { 0 };
	uint8_t tmp[4096];
	size_t n;
	if (!f)
		die("%s: %s", in, strerror(errno));
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		put(&b, tmp, n);
	fclose(f);
	write_at(outp, &b);
	free(b.p);
	if (unlink(in) || symlink(outp, in))
		die("%s: %s", in, strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list-attacks") == 0) {
		for (int k = 1; k < A_COUNT; k++)
			printf("%s\n", ATTACKS[k].name);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-')
		die("usage: export_gen OUTDIR [--format ion_text|ion_binary|json] [--blocks N] "
		    "[--target-bytes B] [--per-object K] [--exports E] [--seed S] [--defect "
		    "NAME] [--defect-seq D] [--attack NAME] [--attack-seq D] [--digest-extra K] | "
		    "export_gen --list-attacks");
	const char *out = argv[1];
	enum fmt fmt = F_TEXT;
	int64_t nblocks = 10000, per_obj = 500, dseq = -1, digest_extra = 0;
	uint64_t target = 0;
	int exports = 1;
	enum defect defect = D_NONE;
	enum attack attack = A_NONE;
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
		else if (strcmp(a, "--defect-seq") == 0 || strcmp(a, "--attack-seq") == 0)
			dseq = atoll(v);
		else if (strcmp(a, "--digest-extra") == 0)
			digest_extra = atoll(v);
		else if (strcmp(a, "--defect") == 0) {
			size_t k = 0;
			while (k < sizeof DEFECTS / sizeof DEFECTS[0] && strcmp(DEFECTS[k], v))
				k++;
			if (k == sizeof DEFECTS / sizeof DEFECTS[0])
				die("unknown defect %s", v);
			defect = (enum defect)k;
		} else if (strcmp(a, "--attack") == 0) {
			int k = 1;
			while (k < A_COUNT && strcmp(ATTACKS[k].name, v))
				k++;
			if (k == A_COUNT)
				die("unknown attack %s (see --list-attacks)", v);
			attack = (enum attack)k;
		} else
			die("unknown option %s", a);
	}
	if (nblocks < 4 || per_obj < 4 || exports < 1 || exports > 8 || digest_extra < 0)
		die("need --blocks >= 4, --per-object >= 4, 1 <= --exports <= 8, --digest-extra "
		    ">= 0");
	if (attack && (defect || target || fmt == F_JSON))
		die("--attack takes --format ion_text or ion_binary, and no --defect or "
		    "--target-bytes");
	bool seq_given = dseq >= 0;
	if (target)
		nblocks = INT64_MAX / 4;
	if (dseq < 0)
		dseq = target ? 5000 : nblocks / 2 + 7;
	if (dseq % per_obj == per_obj - 1) /* keep D and D+1 in one object (swap) */
		dseq--;
	if (dseq < 1)
		dseq = 1;
	int64_t last_first = (nblocks - 1) / per_obj * per_obj; /* the last object's first */
	if (attack == A_TRUNC) {
		/* the last object loses blocks D.. (at least one, not all) */
		if (!seq_given)
			dseq = nblocks - 3 > last_first ? nblocks - 3 : last_first + 1;
		if (dseq <= last_first || dseq >= nblocks)
			die("truncate-at-boundary: the block must be in the last object, after its "
			    "first block");
	}
	if (attack && dseq >= nblocks)
		die("--attack-seq must be below --blocks");
	if (attack == A_KEY_RANGE && dseq >= last_first)
		die("key-range: the attacked object must not be the last");
	md_ctx = EVP_MD_CTX_new();
	md_sha = EVP_sha256();
	pool = malloc(pool_cap);
	if (!md_ctx || !pool)
		die("out of memory");
	base62(strand, 22);
	mkdirs(out);
	char out_real[4096];
	if (!realpath(out, out_real))
		die("%s: %s", out, strerror(errno));

	const char *ext = fmt == F_JSON ? "json" : "ion";
	/* the other Ion encoding, for mixed-formats */
	enum fmt afmt = attack == A_MIXED ? (fmt == F_BIN ? F_TEXT : F_BIN) : fmt;
	struct gbuf obj = { 0 }, alt = { 0 }, keys_text = { 0 }, keys2_text = { 0 };
	char path[4096], dir[2048], key[512], key2[512], mkey[ATTACK_KEY_MAX],
		akey[ATTACK_KEY_MAX] = "", export_id[23];
	struct h32 prev = { .len = 0 }; /* genesis: empty previous hash (open, §2.6) */
	int64_t seq = 0, expect_seq = dseq, objects = 0;
	uint64_t bytes = 0;
	int64_t objs_total = target ? INT64_MAX : (nblocks + per_obj - 1) / per_obj;
	int64_t objs_per_export = target ? INT64_MAX : (objs_total + exports - 1) / exports;
	struct gv *manifest = NULL;
	bool done = false;
	for (int e = 0; e < exports && !done; e++) {
		bool att_here = false; /* this export holds the attacked object */
		base62(export_id, 22);
		snprintf(dir, sizeof dir, "%s/export%d/journalExport", out, e);
		mkdirs(dir);
		pool_used = 0;
		/* keys accumulate in a malloc'd text list (the pool is per block) */
		keys_text.n = 0;
		keys2_text.n = 0;
		for (int64_t oi = 0; oi < objs_per_export && !done; oi++) {
			int64_t first = seq, last = seq + per_obj - 1;
			if (!target && last >= nblocks - 1) {
				last = nblocks - 1;
				done = true;
			}
			bool att = attack && first <= dseq && dseq <= last;
			att_here |= att;
			snprintf(key, sizeof key, "journalExport/2019/04/15/%s/%s.%lld-%lld.%s",
				 att && attack == A_SYMLINK_DIR ? "linked" : "22", strand,
				 (long long)first,
				 (long long)(att && attack == A_KEY_RANGE ? last - 1 : last), ext);
			/* the same range in another folder, for the changed copy */
			snprintf(key2, sizeof key2, "journalExport/2019/04/15/23/%s.%lld-%lld.%s",
				 strand, (long long)first, (long long)last, ext);
			obj.n = 0;
			alt.n = 0;
			if (fmt == F_BIN)
				put(&obj, "\xE0\x01\x00\xEA", 4);
			if (att && ATTACKS[attack].copy && afmt == F_BIN)
				put(&alt, "\xE0\x01\x00\xEA", 4);
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
				if (attack == A_TRUNC && seq >= dseq)
					continue;
				if (att)
					attack_write(&obj, &alt, &b, seq == dseq, attack, seq, fmt,
						     afmt);
				else
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
			snprintf(mkey, sizeof mkey, "%s", key);
			if (att)
				attack_object(attack, out_real, e, key, key2, &obj, &alt, first,
					      last, &expect_seq, mkey, akey);
			else
				write_at(path, &obj);
			bytes += obj.n;
			objects++;
			if (defect == D_MANIFEST && dseq >= first && dseq <= last) {
				expect_seq = first;
				continue; /* the key is left out of the manifest */
			}
			key_append(&keys_text, mkey);
			if (att && attack == A_EXTRA_KEY)
				key_append(&keys_text, key2);
			if (attack == A_DUP_MANIFEST)
				key_append(&keys2_text, att ? key2 : mkey);
			if (target && bytes >= target)
				done = true;
		}
		/* manifests: rebuild the keys list in the pool from the text */
		pool_used = 0;
		char self_key[256];
		snprintf(self_key, sizeof self_key, "journalExport/%s.%s.completed.manifest",
			 export_id, strand);
		if (attack == A_SELF_KEY && att_here) {
			key_append(&keys_text, self_key);
			snprintf(akey, sizeof akey, "%s", self_key);
			expect_seq = -1;
		}
		manifest = nv(V_STRUCT, NULL);
		key_list(manifest, &keys_text);
		if (attack == A_DUP_MANIFEST && att_here) {
			key_list(manifest, &keys2_text); /* a second keys field */
			snprintf(akey, sizeof akey, "%s", self_key);
		}
		snprintf(path, sizeof path, "%s/%s.%s.completed.manifest", dir, export_id, strand);
		write_manifest(path, manifest, fmt);
		if ((attack == A_OVERLAP || attack == A_SYMLINK_MANIFEST) && att_here) {
			/* a second manifest listing the changed copy only */
			char id2[23], rel[128];
			base62(id2, 22);
			struct gv *m2 = nv(V_STRUCT, NULL);
			struct gv *l2 = add(m2, nv(V_LIST, "keys"));
			add(l2, vstr(NULL, akey));
			snprintf(rel, sizeof rel, "journalExport/%s.%s.completed.manifest", id2,
				 strand);
			snprintf(path, sizeof path, "%s/export%d/%s", out, e, rel);
			write_manifest(path, m2, fmt);
			if (attack == A_SYMLINK_MANIFEST) {
				attack_link_out(out_real, e, rel);
				snprintf(akey, sizeof akey, "%s", rel);
			}
		}
		if (attack == A_FIFO && att_here)
			continue; /* no started manifest: the format must come from the bytes */
		struct gv *sm = nv(V_STRUCT, NULL);
		char other_id[23];
		if (attack == A_STARTED_ID)
			base62(other_id, 22);
		add(sm, vstr("ledgerName", "vehicle-registration"));
		add(sm,
		    vstr("exportId", attack == A_STARTED_ID && att_here ? other_id : export_id));
		add(sm, vstr("bucket", "qldbtop-test-exports"));
		add(sm, vstr("prefix", "journalExport/"));
		add(sm, vstr("objectEncryptionType", "NO_ENCRYPTION"));
		add(sm, vstr("outputFormat", attack == A_JSON_MANIFEST ? "JSON"
					     : fmt == F_BIN	       ? "ION_BINARY"
					     : fmt == F_JSON	       ? "JSON"
								       : "ION_TEXT"));
		snprintf(path, sizeof path, "%s/%s.started.manifest", dir, export_id);
		write_manifest(path, sm, fmt);
		if ((attack == A_STARTED_ID || attack == A_SYMLINK_STARTED) && att_here) {
			snprintf(akey, sizeof akey, "journalExport/%s.started.manifest", export_id);
			expect_seq = -1;
			if (attack == A_SYMLINK_STARTED)
				attack_link_out(out_real, e, akey);
		}
	}
	int64_t total = seq;
	/* --digest-extra: the ledger goes on past the export's last block */
	for (int64_t k = 0; k < digest_extra; k++, seq++) {
		pool_used = 0;
		struct block_out b = make_block(seq, prev, false);
		digest_push(b.hash);
		prev = b.hash;
	}
	/* DIGEST.json as `aws qldb get-digest` prints it */
	struct h32 d = digest_root();
	if (defect == D_DIGEST) {
		d.b[11] ^= 0x04;
		expect_seq = seq - 1;
	}
	/* the digest attacks: a second value a lenient reader may take */
	struct h32 d2 = d;
	d2.b[0] ^= 0x01;
	struct gbuf dj = { 0 };
	puts_(&dj, "{\n    \"Digest\": \"");
	b64(&dj, d.b, 32);
	if (attack == A_DIGEST_NUL) {
		puts_(&dj, "\\u0000");
		b64(&dj, d2.b, 32);
	}
	if (attack == A_DIGEST_DUP) {
		puts_(&dj, "\",\n    \"Digest\": \"");
		b64(&dj, d2.b, 32);
	}
	putf(&dj,
	     "\",\n    \"DigestTipAddress\": {\n        \"IonText\": "
	     "\"{strandId:\\\"%s\\\",sequenceNo:%lld",
	     strand, (long long)seq - 1);
	if (attack == A_DIGEST_TIP_DUP)
		putf(&dj, ",sequenceNo:%lld", (long long)(seq - 1) / 2);
	puts_(&dj, "}\"\n    }\n}\n");
	if (attack == A_DIGEST_TRAILING) {
		puts_(&dj, "{\"Digest\": \"");
		b64(&dj, d2.b, 32);
		puts_(&dj, "\"}\n");
	}
	if (attack >= A_DIGEST_DUP && attack <= A_DIGEST_TIP_DUP) {
		snprintf(akey, sizeof akey, "DIGEST.json");
		expect_seq = -1;
	}
	snprintf(path, sizeof path, "%s/DIGEST.json", out);
	write_file(path, dj.p, dj.n);
	if (attack)
		printf("blocks %lld objects %lld bytes %llu attack %s seq %lld key %s\n",
		       (long long)total, (long long)objects, (unsigned long long)bytes,
		       ATTACKS[attack].name, (long long)expect_seq, akey);
	else
		printf("blocks %lld objects %lld bytes %llu defect %s seq %lld\n", (long long)total,
		       (long long)objects, (unsigned long long)bytes, DEFECTS[defect],
		       (long long)(defect == D_NONE ? -1 : expect_seq));
	free(dj.p);
	free(obj.p);
	free(alt.p);
	free(keys_text.p);
	free(keys2_text.p);
	free(pool);
	EVP_MD_CTX_free(md_ctx);
	return 0;
}
