/*
 * qldb_block.c - block and revision self-checks (see qldb_block.h and
 * shared/docs/qldb-verification.md §2.2-2.6).
 *
 * Failures never cascade by construction: the blockHash check uses the
 * published entriesHash and the revisions root uses the published revision
 * hashes, so a single changed field is reported once, at the check that
 * covers it.
 */
#include "qldb_block.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "ion_struct.h"
#include "ionhash.h"

static const char *const CHECK_NAMES[QLDB_CHECK_COUNT] = {
	[QLDB_CHECK_FORMAT] = "block-format",
	[QLDB_CHECK_REVISION_HASH] = "revision-hash",
	[QLDB_CHECK_REVISIONS_ROOT] = "revisions-root",
	[QLDB_CHECK_TRANSACTION_INFO] = "transaction-info",
	[QLDB_CHECK_REDACTION_INFO] = "redaction-info",
	[QLDB_CHECK_ENTRIES_HASH] = "entries-hash",
	[QLDB_CHECK_BLOCK_HASH] = "block-hash",
	[QLDB_CHECK_CHAIN_LINK] = "chain-link",
	[QLDB_CHECK_SEQUENCE] = "sequence",
	[QLDB_CHECK_RANGE] = "range",
	[QLDB_CHECK_TRUNCATED] = "truncated-object",
	[QLDB_CHECK_MISSING_OBJECT] = "missing-object",
	[QLDB_CHECK_ADDRESS] = "address",
	[QLDB_CHECK_PROOF] = "proof",
	[QLDB_CHECK_DIGEST] = "digest",
	[QLDB_CHECK_MANIFEST] = "manifest",
	[QLDB_CHECK_CONTENT] = "uncovered-content",
};

const char *qldb_check_name(enum qldb_check kind)
{
	return (unsigned)kind < QLDB_CHECK_COUNT ? CHECK_NAMES[kind] : "unknown";
}

struct qldb_checker {
	struct sha256 *sha;
	struct ionhash *ih;
	struct qldb_hash *leaves; /* scratch: revision hashes, then entries */
	size_t cap;
};

struct qldb_checker *qldb_checker_new(void)
{
	struct qldb_checker *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->sha = sha256_new();
	c->ih = ionhash_new("sha256");
	if (!c->sha || !c->ih) {
		qldb_checker_free(c);
		return NULL;
	}
	return c;
}

void qldb_checker_free(struct qldb_checker *c)
{
	if (!c)
		return;
	sha256_free(c->sha);
	ionhash_free(c->ih);
	free(c->leaves);
	free(c);
}

struct sha256 *qldb_checker_sha(struct qldb_checker *c)
{
	return c->sha;
}

static int checker_reserve(struct qldb_checker *c, size_t n)
{
	if (n <= c->cap)
		return 0;
	size_t cap = c->cap ? c->cap : 64;
	while (cap < n)
		cap *= 2;
	struct qldb_hash *p = realloc(c->leaves, cap * sizeof *p);
	if (!p)
		return -1;
	c->leaves = p;
	c->cap = cap;
	return 0;
}

const char *qldb_hash_b64(const struct qldb_hash *h, char out[QLDB_HASH_B64_LEN])
{
	if (h->len == 0) {
		snprintf(out, QLDB_HASH_B64_LEN, "(empty)");
		return out;
	}
	base64_encode(h->b, h->len, out);
	return out;
}

void qldb_report_fail(const struct qldb_report *rep, enum qldb_check kind, int64_t seq,
		      const char *fmt, ...)
{
	if (!rep || !rep->fail)
		return;
	struct qldb_failure f = { .kind = kind, .seq = seq };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof f.message, fmt, ap);
	va_end(ap);
	rep->fail(rep->ctx, &f);
}

void qldb_report_pass(const struct qldb_report *rep, enum qldb_check kind, const char *fmt, ...)
{
	if (!rep || !rep->pass)
		return;
	char line[QLDB_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	rep->pass(rep->ctx, kind, line);
}

void qldb_report_note(const struct qldb_report *rep, const char *fmt, ...)
{
	if (!rep || !rep->note)
		return;
	char line[QLDB_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	rep->note(rep->ctx, line);
}

/* qldb_report_pass, without formatting (base64 of hashes) when nobody
 * listens: verify-export reports failures only, on its hot path. */
#define REPORT_PASS(rep, ...)                                                                      \
	do {                                                                                       \
		if ((rep) && (rep)->pass)                                                          \
			qldb_report_pass(rep, __VA_ARGS__);                                        \
	} while (0)

/* A field name a verifier reads, with its length (compared first). */
struct field_name {
	const char *name;
	size_t len;
};
#define FIELD(s)                                                                                   \
	{                                                                                          \
		s, sizeof s - 1                                                                    \
	}

/* The fields a revision may have, in the order of enum rev_field. */
static const struct field_name REV_FIELDS[] = {
	FIELD("blockAddress"), FIELD("hash"), FIELD("metadata"), FIELD("data"), FIELD("dataHash"),
};
enum rev_field { REV_ADDRESS, REV_HASH, REV_METADATA, REV_DATA, REV_DATA_HASH, REV_N };

/* One walk over a struct's fields (this is the only walk: the checks read
 * found[] instead of looking fields up again): each field must be one of
 * names[0..n), none twice, and the struct unannotated. found[i] is the
 * first field named names[i], NULL if none. Returns 0, or -1 with why
 * naming the first problem (found[] is still filled from the whole walk). */
static int fields_read(const struct ion_value *s, const struct field_name *names, int n,
		       const struct ion_value **found, const char *what, char *why, size_t cap)
{
	char nm[48];
	int rc = 0;
	for (int i = 0; i < n; i++)
		found[i] = NULL;
	if (s->n_annotations) {
		snprintf(why, cap, "the %s carries annotations, which no hash covers", what);
		rc = -1;
	}
	int at = 0; /* fields mostly come in table order: search from the last match */
	for (const struct ion_value *f = s->u.c.first_child; f; f = f->next) {
		const struct ion_symbol *fn = &f->field_name;
		int i = n;
		for (int k = 0; fn->text && k < n; k++) {
			int j = at + k < n ? at + k : at + k - n;
			if (fn->len == names[j].len && fn->text[0] == names[j].name[0] &&
			    memcmp(fn->text, names[j].name, fn->len) == 0) {
				i = j;
				at = j + 1 < n ? j + 1 : 0;
				break;
			}
		}
		if (i == n) {
			if (rc == 0)
				snprintf(why, cap, "the %s has a field '%s' that no hash covers",
					 what, ion_field_name_print(fn, nm, sizeof nm));
			rc = -1;
		} else if (found[i]) {
			if (rc == 0)
				snprintf(why, cap,
					 "the %s has a second '%s' field: only one is hashed, a "
					 "reader may take the other",
					 what, names[i].name);
			rc = -1;
		} else {
			found[i] = f;
		}
	}
	return rc;
}

/* A repeated field at the top of a struct that is hashed whole: refused
 * too, since a reader looking a field up by name sees only one of them. */
static int no_repeat(const struct ion_value *s, const char *what, char *why, size_t cap)
{
	const struct ion_value *d = ion_struct_duplicate(s);
	if (!d)
		return 0;
	char nm[48];
	snprintf(why, cap, "%s has a second '%s' field", what,
		 ion_field_name_print(&d->field_name, nm, sizeof nm));
	return -1;
}

int qldb_address_get(const struct ion_value *v, struct qldb_address *out, char *why, size_t cap)
{
	if (!v || v->type != ION_TYPE_STRUCT || v->is_null) {
		snprintf(why, cap, "address is not a struct");
		return -1;
	}
	/* exactly {strandId, sequenceNo}: an address is not hashed where it
	 * stands, so nothing beside the two fields may ride along */
	static const struct field_name NAMES[] = { FIELD("strandId"), FIELD("sequenceNo") };
	const struct ion_value *f[2];
	if (fields_read(v, NAMES, 2, f, "address", why, cap) < 0)
		return -1;
	const struct ion_value *s = f[0], *n = f[1];
	if (!s || s->is_null || s->type != ION_TYPE_STRING) {
		snprintf(why, cap, "address has no strandId string");
		return -1;
	}
	const uint8_t *text = s->u.bytes.data;
	size_t len = s->u.bytes.len;
	if (!text || len == 0 || len > QLDB_STRAND_MAX) {
		snprintf(why, cap, "address strandId has a bad length");
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'z') ||
		      (text[i] >= 'A' && text[i] <= 'Z'))) {
			snprintf(why, cap, "address strandId has a byte 0x%02x at %zu (not base62)",
				 text[i], i);
			return -1;
		}
	if (!n || n->is_null || n->type != ION_TYPE_INT || ion_int_to_i64(&n->u.i, &out->seq) ||
	    out->seq < 0) {
		snprintf(why, cap, "address has no non-negative sequenceNo int");
		return -1;
	}
	if (out->seq > QLDB_SEQUENCE_MAX) {
		snprintf(why, cap, "address sequenceNo %lld is over QLDB_SEQUENCE_MAX",
			 (long long)out->seq);
		return -1;
	}
	memcpy(out->strand, text, len);
	out->strand[len] = '\0';
	return 0;
}

int qldb_hash_get(const struct ion_value *v, enum qldb_mode mode, bool allow_empty,
		  struct qldb_hash *out)
{
	if (!v || v->is_null)
		return -1;
	if (v->type == ION_TYPE_BLOB && mode == QLDB_MODE_ION) {
		if (v->u.bytes.len != 32 && !(allow_empty && v->u.bytes.len == 0))
			return -1;
		out->len = (uint8_t)v->u.bytes.len;
		memcpy(out->b, v->u.bytes.data, v->u.bytes.len);
		return 0;
	}
	if (mode == QLDB_MODE_JSON && v->type == ION_TYPE_STRING) {
		if (v->u.bytes.len == 0 && allow_empty) {
			out->len = 0;
			return 0;
		}
		/* 32 bytes are 44 base64 characters; allow a little whitespace */
		if (v->u.bytes.len > 64)
			return -1;
		uint8_t tmp[48];
		long n = base64_decode((const char *)v->u.bytes.data, v->u.bytes.len, tmp,
				       sizeof tmp);
		if (n != 32)
			return -1;
		out->len = 32;
		memcpy(out->b, tmp, 32);
		return 0;
	}
	return -1;
}

static int ion_hash_of(struct qldb_checker *c, const struct ion_value *v, struct qldb_hash *out,
		       char *why, size_t cap, const char *what)
{
	struct ion_error err = { 0 };
	if (ionhash_sha256(c->ih, v, out->b, &err) != 0) {
		snprintf(why, cap, "cannot Ion-hash %s: %s", what, err.msg);
		return -1;
	}
	out->len = 32;
	return 0;
}

/* qldb_revision_hash, with the revision's fields in f[REV_N] (see
 * fields_read) for the block check's agreement checks. */
static int revision_hash(struct qldb_checker *c, const struct ion_value *rev, enum qldb_mode mode,
			 struct qldb_hash *published, struct qldb_hash *computed,
			 const struct ion_value **f, char *why, size_t cap)
{
	for (int i = 0; i < REV_N; i++)
		f[i] = NULL;
	if (!rev || rev->type != ION_TYPE_STRUCT || rev->is_null) {
		snprintf(why, cap, "revision is not a struct");
		return QLDB_REV_ERR_FORMAT;
	}
	char w[QLDB_MESSAGE_MAX];
	int bad = fields_read(rev, REV_FIELDS, REV_N, f, "revision", w, sizeof w);
	if (qldb_hash_get(f[REV_HASH], mode, false, published)) {
		snprintf(why, cap, "revision has no 32-byte hash");
		return QLDB_REV_ERR_FORMAT;
	}
	*computed = *published;
	if (bad) {
		snprintf(why, cap, "%s", w);
		return QLDB_REV_ERR_CONTENT;
	}
	const struct ion_value *meta = f[REV_METADATA], *data = f[REV_DATA], *dh = f[REV_DATA_HASH];
	if (!meta && (data || dh)) {
		snprintf(why, cap,
			 "revision has %s but no metadata: the revision hash covers metadata and "
			 "data together, so this %s is not covered",
			 data ? "data" : "dataHash", data ? "data" : "dataHash");
		return QLDB_REV_ERR_CONTENT;
	}
	if (data && dh) {
		snprintf(why, cap, "revision has both data and dataHash: only one can be hashed");
		return QLDB_REV_ERR_CONTENT;
	}
	if (!meta)
		return QLDB_REV_HASH_ONLY; /* an internal system revision (§2.3) */
	if (meta->type == ION_TYPE_STRUCT && no_repeat(meta, "metadata", why, cap))
		return QLDB_REV_ERR_CONTENT;
	if (mode == QLDB_MODE_JSON) {
		snprintf(why, cap,
			 "its hash is used as given, not recomputed (JSON loses Ion types): its "
			 "content is UNVERIFIED");
		return QLDB_REV_UNPROVEN;
	}
	struct qldb_hash mh, d;
	if (ion_hash_of(c, meta, &mh, why, cap, "metadata"))
		return QLDB_REV_ERR_HASH;
	if (!data && !dh) {
		/* A deleted document's revision: metadata alone. QLDB does not
		 * publish its formula (§2.3); the one the algebra suggests is
		 * dot(IonHash(metadata), empty) = IonHash(metadata) (dot with an
		 * empty hash is the identity), so a match proves the revision.
		 * A mismatch is NOT a failure: with no public formula we cannot show
		 * that the hash is wrong, and exit 1 would claim an integrity
		 * failure we cannot prove. It is UNPROVEN: the caller notes that
		 * the metadata is UNVERIFIED (the commands exit 3). */
		if (qldb_hash_equal(&mh, published)) {
			*computed = mh;
			return QLDB_REV_DELETED;
		}
		snprintf(why, cap,
			 "deleted-document revision whose hash is not IonHash(metadata): its "
			 "metadata is UNVERIFIED");
		return QLDB_REV_UNPROVEN;
	}
	if (data) {
		if (ion_hash_of(c, data, &d, why, cap, "data"))
			return QLDB_REV_ERR_HASH;
	} else if (qldb_hash_get(dh, mode, false, &d)) {
		snprintf(why, cap, "redacted revision has no 32-byte dataHash");
		return QLDB_REV_ERR_HASH;
	}
	if (qldb_dot(c->sha, &mh, &d, computed)) {
		snprintf(why, cap, "SHA-256 failed");
		return QLDB_REV_ERR_HASH;
	}
	return data ? QLDB_REV_RECOMPUTED : QLDB_REV_REDACTED;
}

int qldb_revision_hash(struct qldb_checker *c, const struct ion_value *rev, enum qldb_mode mode,
		       struct qldb_hash *published, struct qldb_hash *computed, char *why,
		       size_t cap)
{
	const struct ion_value *f[REV_N];
	return revision_hash(c, rev, mode, published, computed, f, why, cap);
}

/* Index of h in list[0..n), or -1. */
static long hash_index(const struct qldb_hash *list, size_t n, const struct qldb_hash *h)
{
	for (size_t i = 0; i < n; i++)
		if (qldb_hash_equal(&list[i], h))
			return (long)i;
	return -1;
}

/* Check that IonHash(field) is a member of entries (transactionInfo,
 * redactionInfo). */
static void check_member(struct qldb_checker *c, const struct ion_value *field,
			 enum qldb_check kind, const char *name, const struct qldb_hash *entries,
			 size_t n, const struct qldb_report *rep, struct qldb_block_result *out,
			 const char *addr)
{
	struct qldb_hash h;
	char why[QLDB_MESSAGE_MAX], b[QLDB_HASH_B64_LEN];
	if (ion_hash_of(c, field, &h, why, sizeof why, name)) {
		out->failures++;
		qldb_report_fail(rep, kind, out->addr.seq, "%s: block %s: %s",
				 qldb_check_name(kind), addr, why);
		return;
	}
	long at = hash_index(entries, n, &h);
	if (at < 0) {
		out->failures++;
		qldb_report_fail(rep, kind, out->addr.seq,
				 "%s: block %s: IonHash(%s) computed %s is not in entriesHashList "
				 "(expected a member)",
				 qldb_check_name(kind), addr, name, qldb_hash_b64(&h, b));
		return;
	}
	REPORT_PASS(rep, kind, "IonHash(%s) %s is entriesHashList[%ld]", name, qldb_hash_b64(&h, b),
		    at);
}

static int block_format(const struct qldb_report *rep, struct qldb_block_result *out,
			const char *addr, const char *what)
{
	out->failures++;
	qldb_report_fail(rep, QLDB_CHECK_FORMAT, out->addr.seq, "block-format: block %s: %s", addr,
			 what);
	return -1;
}

/* Same text: two non-null strings, or two symbols with known text. */
static bool same_text(const struct ion_value *a, const struct ion_value *b)
{
	if (a->type != b->type || a->is_null || b->is_null)
		return false;
	if (a->type == ION_TYPE_STRING)
		return a->u.bytes.len == b->u.bytes.len &&
		       memcmp(a->u.bytes.data, b->u.bytes.data, a->u.bytes.len) == 0;
	return a->type == ION_TYPE_SYMBOL && a->u.sym.text && b->u.sym.text &&
	       a->u.sym.len == b->u.sym.len &&
	       memcmp(a->u.sym.text, b->u.sym.text, a->u.sym.len) == 0;
}

/* Whether v is exactly {strandId, sequenceNo} naming address a (already
 * read and checked by qldb_address_get): the common case, without reading
 * the address again. */
static bool address_is(const struct ion_value *v, const struct qldb_address *a)
{
	static const struct field_name NAMES[] = { FIELD("strandId"), FIELD("sequenceNo") };
	const struct ion_value *f[2];
	char why[8];
	int64_t seq;
	if (v->type != ION_TYPE_STRUCT || v->is_null ||
	    fields_read(v, NAMES, 2, f, "address", why, sizeof why) || !f[0] || !f[1])
		return false;
	const struct ion_value *s = f[0], *n = f[1];
	size_t len = strlen(a->strand);
	return s->type == ION_TYPE_STRING && !s->is_null && s->u.bytes.len == len &&
	       memcmp(s->u.bytes.data, a->strand, len) == 0 && n->type == ION_TYPE_INT &&
	       !n->is_null && ion_int_to_i64(&n->u.i, &seq) == 0 && seq == a->seq;
}

/* A revision's unhashed parts must agree with what is hashed: its
 * blockAddress (f[REV_ADDRESS]) with the block's, the block's
 * transactionId with its metadata.txId. Returns 0, or 1 after reporting a
 * failure. */
static int revision_agrees(const struct ion_value **f, struct qldb_block_result *out,
			   const struct ion_value *txid, const char *addr, size_t i,
			   const struct qldb_report *rep)
{
	char why[QLDB_MESSAGE_MAX];
	const struct ion_value *ra = f[REV_ADDRESS];
	struct qldb_address a;
	if (ra && !address_is(ra, &out->addr)) {
		bool ok = qldb_address_get(ra, &a, why, sizeof why) == 0;
		if (!ok || strcmp(a.strand, out->addr.strand) != 0 || a.seq != out->addr.seq) {
			if (ok)
				snprintf(why, sizeof why, "it is %s:%lld", a.strand,
					 (long long)a.seq);
			out->failures++;
			qldb_report_fail(
				rep, QLDB_CHECK_CONTENT, out->addr.seq,
				"uncovered-content: block %s revision %zu: its blockAddress "
				"is not the block's (%s), and no hash covers it",
				addr, i, why);
			return 1;
		}
	}
	const struct ion_value *m = ion_struct_get(f[REV_METADATA], "txId");
	if (!m || !txid || same_text(m, txid))
		return 0;
	out->failures++;
	qldb_report_fail(rep, QLDB_CHECK_CONTENT, out->addr.seq,
			 "uncovered-content: block %s: transactionId is not revision %zu's "
			 "metadata.txId (which its hash covers), and no hash covers transactionId",
			 addr, i);
	return 1;
}

/* The fields a block may have (shared/docs/qldb-verification.md §2), in
 * the order of enum block_field. */
static const struct field_name BLOCK_FIELDS[] = {
	FIELD("blockAddress"),	  FIELD("transactionId"),   FIELD("blockTimestamp"),
	FIELD("blockHash"),	  FIELD("entriesHash"),	    FIELD("previousBlockHash"),
	FIELD("entriesHashList"), FIELD("transactionInfo"), FIELD("revisions"),
	FIELD("redactionInfo"),
};
enum block_field {
	BLK_ADDRESS,
	BLK_TXID,
	BLK_TIMESTAMP,
	BLK_HASH,
	BLK_ENTRIES_HASH,
	BLK_PREVIOUS,
	BLK_ENTRIES,
	BLK_TXINFO,
	BLK_REVISIONS,
	BLK_REDACTION,
	BLK_N
};

int qldb_block_check(struct qldb_checker *c, const struct ion_value *block, enum qldb_mode mode,
		     const struct qldb_report *rep, struct qldb_block_result *out)
{
	memset(out, 0, sizeof *out);
	out->addr.seq = -1;
	char addr[QLDB_STRAND_MAX + 32] = "?", why[QLDB_MESSAGE_MAX], w2[QLDB_MESSAGE_MAX];
	char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];
	if (!block || block->type != ION_TYPE_STRUCT || block->is_null)
		return block_format(rep, out, addr, "top-level value is not a struct");
	const struct ion_value *f[BLK_N];
	int bad = fields_read(block, BLOCK_FIELDS, BLK_N, f, "block", w2, sizeof w2);
	if (qldb_address_get(f[BLK_ADDRESS], &out->addr, why, sizeof why)) {
		out->addr.seq = -1;
		return block_format(rep, out, addr, why);
	}
	snprintf(addr, sizeof addr, "%s:%lld", out->addr.strand, (long long)out->addr.seq);
	/* content no hash covers: reported, and the block is checked on.
	 * blockTimestamp is the one field left alone: QLDB's format hashes it
	 * nowhere and nothing hashed repeats it, so it cannot be checked. */
	if (bad || no_repeat(f[BLK_TXINFO], "transactionInfo", w2, sizeof w2) ||
	    no_repeat(f[BLK_REDACTION], "redactionInfo", w2, sizeof w2)) {
		out->failures++;
		qldb_report_fail(rep, QLDB_CHECK_CONTENT, out->addr.seq,
				 "uncovered-content: block %s: %s", addr, w2);
	}
	struct qldb_hash entries_hash;
	if (qldb_hash_get(f[BLK_HASH], mode, false, &out->block_hash))
		return block_format(rep, out, addr, "no 32-byte blockHash");
	if (qldb_hash_get(f[BLK_ENTRIES_HASH], mode, true, &entries_hash))
		return block_format(rep, out, addr, "no entriesHash");
	/* the genesis block's previous hash may be empty (§2.6, open) */
	if (qldb_hash_get(f[BLK_PREVIOUS], mode, true, &out->previous_hash))
		return block_format(rep, out, addr, "no previousBlockHash");
	const struct ion_value *ehl = f[BLK_ENTRIES];
	if (!ehl || ehl->is_null || ehl->type != ION_TYPE_LIST)
		return block_format(rep, out, addr, "no entriesHashList list");
	const struct ion_value *revs = f[BLK_REVISIONS];
	if (revs && (revs->type != ION_TYPE_LIST || revs->is_null))
		return block_format(rep, out, addr, "revisions is not a list");
	size_t n_ent = ehl->u.c.count, n_rev = revs ? revs->u.c.count : 0;
	if (n_ent > QLDB_BLOCK_MAX_ENTRIES || n_rev > QLDB_BLOCK_MAX_REVISIONS)
		return block_format(rep, out, addr,
				    "entriesHashList or revisions over QLDB_BLOCK_MAX_*");
	/* scratch: entries first, then revision hashes after them */
	if (checker_reserve(c, n_ent + n_rev + 1))
		return block_format(rep, out, addr, "out of memory");
	struct qldb_hash *entries = c->leaves, *rh = c->leaves + n_ent;
	size_t i = 0;
	for (const struct ion_value *v = ehl->u.c.first_child; v; v = v->next, i++)
		if (qldb_hash_get(v, mode, false, &entries[i])) {
			snprintf(why, sizeof why, "entriesHashList[%zu] is not a 32-byte hash", i);
			return block_format(rep, out, addr, why);
		}

	/* revisions: recompute each hash, then the root must be an entry */
	out->revisions = n_rev;
	i = 0;
	const struct ion_value *txid = f[BLK_TXID];
	for (const struct ion_value *r = revs ? revs->u.c.first_child : NULL; r; r = r->next, i++) {
		struct qldb_hash pub, got;
		const struct ion_value *rf[REV_N];
		int rc = revision_hash(c, r, mode, &pub, &got, rf, why, sizeof why);
		if (rc == QLDB_REV_ERR_FORMAT) {
			char rw[QLDB_MESSAGE_MAX + 32];
			snprintf(rw, sizeof rw, "revision %zu: %s", i, why);
			return block_format(rep, out, addr, rw);
		}
		rh[i] = pub; /* the published hash is the leaf whatever else is found */
		if (rc == QLDB_REV_ERR_CONTENT || rc == QLDB_REV_ERR_HASH) {
			enum qldb_check k = rc == QLDB_REV_ERR_CONTENT ? QLDB_CHECK_CONTENT
								       : QLDB_CHECK_REVISION_HASH;
			out->failures++;
			qldb_report_fail(rep, k, out->addr.seq, "%s: block %s revision %zu: %s",
					 qldb_check_name(k), addr, i, why);
			continue;
		}
		if (revision_agrees(rf, out, txid, addr, i, rep))
			continue;
		if (rc == QLDB_REV_HASH_ONLY) {
			out->hash_only++;
			REPORT_PASS(rep, QLDB_CHECK_REVISION_HASH,
				    "revision %zu is hash-only (an internal system revision: no "
				    "content; its hash %s is a leaf as given)",
				    i, qldb_hash_b64(&pub, g));
			continue;
		}
		if (rc == QLDB_REV_UNPROVEN) {
			out->unproven++;
			qldb_report_note(rep, "block %s revision %zu: %s", addr, i, why);
			continue;
		}
		out->recomputed++;
		if (rc == QLDB_REV_REDACTED)
			out->redacted++;
		if (!qldb_hash_equal(&pub, &got)) {
			out->failures++;
			qldb_report_fail(rep, QLDB_CHECK_REVISION_HASH, out->addr.seq,
					 "revision-hash: block %s revision %zu: expected %s "
					 "computed %s",
					 addr, i, qldb_hash_b64(&pub, e), qldb_hash_b64(&got, g));
		} else {
			REPORT_PASS(rep, QLDB_CHECK_REVISION_HASH,
				    "revision %zu hash recomputed%s: %s", i,
				    rc == QLDB_REV_REDACTED ? " (redacted: via dataHash)"
				    : rc == QLDB_REV_DELETED
					    ? " (deleted document: IonHash(metadata))"
					    : "",
				    qldb_hash_b64(&got, g));
		}
	}
	if (n_rev > 0) {
		struct qldb_hash root;
		if (qldb_merkle_root(c->sha, rh, n_rev, &root))
			return block_format(rep, out, addr, "SHA-256 failed");
		long at = hash_index(entries, n_ent, &root);
		if (at < 0) {
			out->failures++;
			qldb_report_fail(
				rep, QLDB_CHECK_REVISIONS_ROOT, out->addr.seq,
				"revisions-root: block %s: Merkle(revision hashes) "
				"computed %s is not in entriesHashList (expected a member)",
				addr, qldb_hash_b64(&root, g));
		} else {
			REPORT_PASS(rep, QLDB_CHECK_REVISIONS_ROOT,
				    "revisions root %s is entriesHashList[%ld]",
				    qldb_hash_b64(&root, g), at);
		}
	}

	if (mode == QLDB_MODE_ION) {
		const struct ion_value *ti = f[BLK_TXINFO], *ri = f[BLK_REDACTION];
		if (ti) /* optional: some system blocks have none (§2.5) */
			check_member(c, ti, QLDB_CHECK_TRANSACTION_INFO, "transactionInfo", entries,
				     n_ent, rep, out, addr);
		if (ri)
			check_member(c, ri, QLDB_CHECK_REDACTION_INFO, "redactionInfo", entries,
				     n_ent, rep, out, addr);
	}

	struct qldb_hash got;
	if (qldb_merkle_root(c->sha, entries, n_ent, &got))
		return block_format(rep, out, addr, "SHA-256 failed");
	if (!qldb_hash_equal(&got, &entries_hash)) {
		out->failures++;
		qldb_report_fail(rep, QLDB_CHECK_ENTRIES_HASH, out->addr.seq,
				 "entries-hash: block %s: Merkle(entriesHashList) expected %s "
				 "computed %s",
				 addr, qldb_hash_b64(&entries_hash, e), qldb_hash_b64(&got, g));
	} else {
		REPORT_PASS(rep, QLDB_CHECK_ENTRIES_HASH,
			    "entriesHash = Merkle(entriesHashList of %zu): %s", n_ent,
			    qldb_hash_b64(&got, g));
	}
	if (qldb_dot(c->sha, &entries_hash, &out->previous_hash, &got))
		return block_format(rep, out, addr, "SHA-256 failed");
	if (!qldb_hash_equal(&got, &out->block_hash)) {
		out->failures++;
		qldb_report_fail(rep, QLDB_CHECK_BLOCK_HASH, out->addr.seq,
				 "block-hash: block %s: dot(entriesHash, previousBlockHash) "
				 "expected %s computed %s",
				 addr, qldb_hash_b64(&out->block_hash, e), qldb_hash_b64(&got, g));
	} else {
		REPORT_PASS(rep, QLDB_CHECK_BLOCK_HASH,
			    "blockHash = dot(entriesHash, previousBlockHash): %s",
			    qldb_hash_b64(&got, g));
	}
	return 0;
}
