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

int qldb_address_get(const struct ion_value *v, struct qldb_address *out, char *why, size_t cap)
{
	if (!v || v->type != ION_TYPE_STRUCT || v->is_null) {
		snprintf(why, cap, "address is not a struct");
		return -1;
	}
	const struct ion_value *s = ion_struct_get(v, "strandId");
	const struct ion_value *n = ion_struct_get(v, "sequenceNo");
	if (!s || s->is_null || (s->type != ION_TYPE_STRING && s->type != ION_TYPE_SYMBOL)) {
		snprintf(why, cap, "address has no strandId string");
		return -1;
	}
	const uint8_t *text =
		s->type == ION_TYPE_STRING ? s->u.bytes.data : (const uint8_t *)s->u.sym.text;
	size_t len = s->type == ION_TYPE_STRING ? s->u.bytes.len : s->u.sym.len;
	if (!text || len == 0 || len > QLDB_STRAND_MAX) {
		snprintf(why, cap, "address strandId has a bad length");
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (text[i] <= 0x20 || text[i] >= 0x7f) {
			snprintf(why, cap,
				 "address strandId has a byte 0x%02x at %zu (not visible ASCII)",
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
	if (v->type == ION_TYPE_BLOB) {
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

int qldb_revision_hash(struct qldb_checker *c, const struct ion_value *rev, enum qldb_mode mode,
		       struct qldb_hash *published, struct qldb_hash *computed, char *why,
		       size_t cap)
{
	if (!rev || rev->type != ION_TYPE_STRUCT || rev->is_null) {
		snprintf(why, cap, "revision is not a struct");
		return -1;
	}
	if (qldb_hash_get(ion_struct_get(rev, "hash"), mode, false, published)) {
		snprintf(why, cap, "revision has no 32-byte hash");
		return -1;
	}
	*computed = *published;
	const struct ion_value *meta = ion_struct_get(rev, "metadata");
	const struct ion_value *data = ion_struct_get(rev, "data");
	const struct ion_value *dh = ion_struct_get(rev, "dataHash");
	/* JSON loses Ion types; hash-only and deleted-document revisions have
	 * nothing to recompute from (§2.3): the published hash is the leaf. */
	if (mode == QLDB_MODE_JSON || !meta || (!data && !dh))
		return 0;
	struct qldb_hash mh, d;
	if (ion_hash_of(c, meta, &mh, why, cap, "metadata"))
		return -1;
	if (data) {
		if (ion_hash_of(c, data, &d, why, cap, "data"))
			return -1;
	} else if (qldb_hash_get(dh, mode, false, &d)) {
		snprintf(why, cap, "redacted revision has no 32-byte dataHash");
		return -1;
	}
	if (qldb_dot(c->sha, &mh, &d, computed)) {
		snprintf(why, cap, "SHA-256 failed");
		return -1;
	}
	return 1;
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
	qldb_report_pass(rep, kind, "IonHash(%s) %s is entriesHashList[%ld]", name,
			 qldb_hash_b64(&h, b), at);
}

static int block_format(const struct qldb_report *rep, struct qldb_block_result *out,
			const char *addr, const char *what)
{
	out->failures++;
	qldb_report_fail(rep, QLDB_CHECK_FORMAT, out->addr.seq, "block-format: block %s: %s", addr,
			 what);
	return -1;
}

int qldb_block_check(struct qldb_checker *c, const struct ion_value *block, enum qldb_mode mode,
		     const struct qldb_report *rep, struct qldb_block_result *out)
{
	memset(out, 0, sizeof *out);
	out->addr.seq = -1;
	char addr[QLDB_STRAND_MAX + 32] = "?", why[QLDB_MESSAGE_MAX];
	char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];
	if (!block || block->type != ION_TYPE_STRUCT || block->is_null)
		return block_format(rep, out, addr, "top-level value is not a struct");
	if (qldb_address_get(ion_struct_get(block, "blockAddress"), &out->addr, why, sizeof why)) {
		out->addr.seq = -1;
		return block_format(rep, out, addr, why);
	}
	snprintf(addr, sizeof addr, "%s:%lld", out->addr.strand, (long long)out->addr.seq);
	struct qldb_hash entries_hash;
	if (qldb_hash_get(ion_struct_get(block, "blockHash"), mode, false, &out->block_hash))
		return block_format(rep, out, addr, "no 32-byte blockHash");
	if (qldb_hash_get(ion_struct_get(block, "entriesHash"), mode, true, &entries_hash))
		return block_format(rep, out, addr, "no entriesHash");
	/* the genesis block's previous hash may be empty (§2.6, open) */
	if (qldb_hash_get(ion_struct_get(block, "previousBlockHash"), mode, true,
			  &out->previous_hash))
		return block_format(rep, out, addr, "no previousBlockHash");
	const struct ion_value *ehl = ion_struct_get(block, "entriesHashList");
	if (!ehl || ehl->is_null || ehl->type != ION_TYPE_LIST)
		return block_format(rep, out, addr, "no entriesHashList list");
	const struct ion_value *revs = ion_struct_get(block, "revisions");
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
	for (const struct ion_value *r = revs ? revs->u.c.first_child : NULL; r; r = r->next, i++) {
		struct qldb_hash pub, got;
		int rc = qldb_revision_hash(c, r, mode, &pub, &got, why, sizeof why);
		if (rc < 0) {
			if (r->type == ION_TYPE_STRUCT &&
			    qldb_hash_get(ion_struct_get(r, "hash"), mode, false, &pub) == 0) {
				/* hash readable but content not hashable: a failed check */
				out->failures++;
				qldb_report_fail(rep, QLDB_CHECK_REVISION_HASH, out->addr.seq,
						 "revision-hash: block %s revision %zu: %s", addr,
						 i, why);
				rh[i] = pub;
				continue;
			}
			char w2[QLDB_MESSAGE_MAX + 32];
			snprintf(w2, sizeof w2, "revision %zu: %s", i, why);
			return block_format(rep, out, addr, w2);
		}
		rh[i] = pub;
		if (rc == 0) {
			qldb_report_note(rep,
					 "revision %zu hash %s used as given (not recomputed: "
					 "%s)",
					 i, qldb_hash_b64(&pub, g),
					 mode == QLDB_MODE_JSON ? "JSON loses Ion types"
								: "no data in the revision");
			continue;
		}
		out->recomputed++;
		if (!qldb_hash_equal(&pub, &got)) {
			out->failures++;
			qldb_report_fail(rep, QLDB_CHECK_REVISION_HASH, out->addr.seq,
					 "revision-hash: block %s revision %zu: expected %s "
					 "computed %s",
					 addr, i, qldb_hash_b64(&pub, e), qldb_hash_b64(&got, g));
		} else {
			qldb_report_pass(rep, QLDB_CHECK_REVISION_HASH,
					 "revision %zu hash recomputed: %s", i,
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
			qldb_report_pass(rep, QLDB_CHECK_REVISIONS_ROOT,
					 "revisions root %s is entriesHashList[%ld]",
					 qldb_hash_b64(&root, g), at);
		}
	}

	if (mode == QLDB_MODE_ION) {
		const struct ion_value *ti = ion_struct_get(block, "transactionInfo");
		const struct ion_value *ri = ion_struct_get(block, "redactionInfo");
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
		qldb_report_pass(rep, QLDB_CHECK_ENTRIES_HASH,
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
		qldb_report_pass(rep, QLDB_CHECK_BLOCK_HASH,
				 "blockHash = dot(entriesHash, previousBlockHash): %s",
				 qldb_hash_b64(&got, g));
	}
	return 0;
}
