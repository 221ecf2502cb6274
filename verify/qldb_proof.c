/*
 * qldb_proof.c - verify a GetBlock/GetRevision proof against a digest
 * (see qldb_proof.h; formulas F10, F11 of shared/docs/qldb-verification.md).
 */
#include "qldb_proof.h"

#include <stdio.h>
#include <string.h>

int qldb_proof_parse(const char *text, size_t len, struct qldb_hash *out, size_t max, char *why,
		     size_t cap)
{
	struct ion_arena *a;
	const struct ion_value *v = NULL;
	int n = -1;
	if (ion_parse_one_alloc((const uint8_t *)text, len, "Proof IonText", &a, &v, why, cap)) {
		if (!a)
			snprintf(why, cap, "Proof: out of memory");
		goto out;
	}
	if (v->type != ION_TYPE_LIST || v->is_null) {
		snprintf(why, cap, "Proof IonText is not an Ion list");
		goto out;
	}
	if (v->u.c.count > max) {
		snprintf(why, cap, "Proof has %zu hashes, over the limit of %zu", v->u.c.count,
			 max);
		goto out;
	}
	size_t i = 0;
	for (const struct ion_value *e = v->u.c.first_child; e; e = e->next, i++)
		if (qldb_hash_get(e, QLDB_MODE_ION, false, &out[i])) {
			snprintf(why, cap, "Proof element %zu is not a 32-byte blob", i + 1);
			goto out;
		}
	n = (int)i;
out:
	ion_arena_free(a);
	return n;
}

int qldb_address_parse(const char *text, size_t len, struct qldb_address *out, char *why,
		       size_t cap)
{
	struct ion_arena *a;
	const struct ion_value *v = NULL;
	int rc = -1;
	if (!ion_parse_one_alloc((const uint8_t *)text, len, NULL, &a, &v, why, cap))
		rc = qldb_address_get(v, out, why, cap);
	ion_arena_free(a);
	return rc;
}

/* Forwards to the caller's report, remembering the first failure so that a
 * malformed block becomes an input error rather than an integrity failure. */
struct fwd {
	const struct qldb_report *rep;
	size_t failures, notes;
	struct qldb_failure first_format;
	bool has_format;
};

static void fwd_fail(void *ctx, const struct qldb_failure *f)
{
	struct fwd *w = ctx;
	if (f->kind == QLDB_CHECK_FORMAT) {
		if (!w->has_format)
			w->first_format = *f;
		w->has_format = true;
		return;
	}
	w->failures++;
	if (w->rep && w->rep->fail)
		w->rep->fail(w->rep->ctx, f);
}

static void fwd_pass(void *ctx, enum qldb_check kind, const char *line)
{
	struct fwd *w = ctx;
	if (w->rep && w->rep->pass)
		w->rep->pass(w->rep->ctx, kind, line);
}

static void fwd_note(void *ctx, const char *line)
{
	struct fwd *w = ctx;
	w->notes++;
	if (w->rep && w->rep->note)
		w->rep->note(w->rep->ctx, line);
}

/* The leaf the proof starts from, and the address it belongs to. */
struct leaf {
	struct qldb_hash h;
	struct qldb_address addr;
	const char *name;
};

static int leaf_from_block(struct qldb_checker *c, const struct qldb_proof_input *in, struct fwd *w,
			   const struct qldb_report *fw, struct leaf *lf, char *why, size_t cap)
{
	struct ion_arena *a;
	const struct ion_value *v = NULL;
	int rc = -1;
	if (ion_parse_one_alloc((const uint8_t *)in->block_text, in->block_len, "Block IonText", &a,
				&v, why, cap))
		goto out;
	struct qldb_block_result r;
	if (qldb_block_check(c, v, QLDB_MODE_ION, fw, &r) != 0 || w->has_format) {
		snprintf(why, cap, "Block IonText: %s", w->first_format.message);
		goto out;
	}
	lf->h = r.block_hash;
	lf->addr = r.addr;
	lf->name = "blockHash";
	rc = 0;
out:
	ion_arena_free(a);
	return rc;
}

static int leaf_from_revision(struct qldb_checker *c, const struct qldb_proof_input *in,
			      struct fwd *w, const struct qldb_report *fw, struct leaf *lf,
			      char *why, size_t cap)
{
	struct ion_arena *a;
	const struct ion_value *v = NULL;
	char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN], m[260];
	int rc = -1;
	if (ion_parse_one_alloc((const uint8_t *)in->revision_text, in->revision_len,
				"Revision IonText", &a, &v, why, cap))
		goto out;
	if (v->type != ION_TYPE_STRUCT ||
	    qldb_address_get(ion_struct_get(v, "blockAddress"), &lf->addr, m, sizeof m)) {
		snprintf(why, cap, "Revision IonText: no blockAddress");
		goto out;
	}
	struct qldb_hash pub, got;
	int r = qldb_revision_hash(c, v, QLDB_MODE_ION, &pub, &got, m, sizeof m);
	if (r == QLDB_REV_ERR_FORMAT) {
		snprintf(why, cap, "Revision IonText: %s", m);
		goto out;
	}
	lf->h = pub;
	lf->name = "revision hash";
	if (r == QLDB_REV_ERR_CONTENT || r == QLDB_REV_ERR_HASH) {
		enum qldb_check k =
			r == QLDB_REV_ERR_CONTENT ? QLDB_CHECK_CONTENT : QLDB_CHECK_REVISION_HASH;
		struct qldb_failure f = { .kind = k, .seq = lf->addr.seq };
		snprintf(f.message, sizeof f.message, "%s: block %s:%lld: %s", qldb_check_name(k),
			 lf->addr.strand, (long long)lf->addr.seq, m);
		fwd_fail(w, &f);
	} else if (r == QLDB_REV_HASH_ONLY) {
		/* as in exports: no content, so nothing unproven; the hash is the leaf */
		qldb_report_pass(fw, QLDB_CHECK_REVISION_HASH,
				 "the revision is hash-only (no content): its hash %s is the leaf",
				 qldb_hash_b64(&pub, g));
	} else if (r == QLDB_REV_UNPROVEN) {
		qldb_report_note(fw, "the revision: %s", m);
	} else if (!qldb_hash_equal(&pub, &got)) {
		struct qldb_failure f = { .kind = QLDB_CHECK_REVISION_HASH, .seq = lf->addr.seq };
		snprintf(f.message, sizeof f.message,
			 "revision-hash: block %s:%lld: dot(IonHash(metadata), IonHash(%s)) "
			 "expected %s computed %s",
			 lf->addr.strand, (long long)lf->addr.seq,
			 r == QLDB_REV_REDACTED	 ? "dataHash"
			 : r == QLDB_REV_DELETED ? "nothing"
						 : "data",
			 qldb_hash_b64(&pub, e), qldb_hash_b64(&got, g));
		fwd_fail(w, &f);
	} else {
		qldb_report_pass(fw, QLDB_CHECK_REVISION_HASH, "revision hash recomputed: %s = %s",
				 r == QLDB_REV_REDACTED	 ? "dot(IonHash(metadata), dataHash)"
				 : r == QLDB_REV_DELETED ? "IonHash(metadata) (a deleted document)"
							 : "dot(IonHash(metadata), IonHash(data))",
				 qldb_hash_b64(&got, g));
	}
	rc = 0;
out:
	ion_arena_free(a);
	return rc;
}

int qldb_proof_verify(struct qldb_checker *c, const struct qldb_proof_input *in,
		      const struct qldb_report *rep, char *why, size_t cap)
{
	struct fwd w = { .rep = rep };
	struct qldb_report fw = { .fail = fwd_fail, .pass = fwd_pass, .note = fwd_note, .ctx = &w };
	struct qldb_address tip;
	struct qldb_hash proof[QLDB_PROOF_MAX], steps[QLDB_PROOF_MAX];
	struct leaf lf = { 0 };
	char m[QLDB_MESSAGE_MAX], e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];

	if (in->digest.len != 32) {
		snprintf(why, cap, "Digest is not 32 bytes");
		return -1;
	}
	if (!in->tip_text || qldb_address_parse(in->tip_text, in->tip_len, &tip, m, sizeof m)) {
		snprintf(why, cap, "DigestTipAddress IonText: %s", in->tip_text ? m : "missing");
		return -1;
	}
	if (!in->proof_text) {
		snprintf(why, cap,
			 "no Proof (call get-block/get-revision with "
			 "--digest-tip-address)");
		return -1;
	}
	int n = qldb_proof_parse(in->proof_text, in->proof_len, proof, QLDB_PROOF_MAX, why, cap);
	if (n < 0)
		return -1;

	if (in->block_text) {
		if (leaf_from_block(c, in, &w, &fw, &lf, why, cap))
			return -1;
	} else if (in->revision_text) {
		if (leaf_from_revision(c, in, &w, &fw, &lf, why, cap))
			return -1;
	} else if (in->revision_hash && in->address_text) {
		if (qldb_address_parse(in->address_text, in->address_len, &lf.addr, m, sizeof m)) {
			snprintf(why, cap, "BlockAddress IonText: %s", m);
			return -1;
		}
		lf.h = *in->revision_hash;
		lf.name = "revision hash";
		qldb_report_note(&fw, "revision hash given without the revision: its content is "
				      "UNVERIFIED");
	} else {
		snprintf(why, cap, "no Block or Revision to prove");
		return -1;
	}

	/* the digest covers the address only on its strand, up to its tip */
	if (strcmp(lf.addr.strand, tip.strand) != 0) {
		struct qldb_failure f = { .kind = QLDB_CHECK_ADDRESS, .seq = lf.addr.seq };
		snprintf(f.message, sizeof f.message,
			 "address: block strand %s is not the digest tip strand %s", lf.addr.strand,
			 tip.strand);
		fwd_fail(&w, &f);
	} else if (lf.addr.seq > tip.seq) {
		struct qldb_failure f = { .kind = QLDB_CHECK_ADDRESS, .seq = lf.addr.seq };
		snprintf(f.message, sizeof f.message,
			 "address: block sequenceNo %lld is after the digest tip %lld, so the "
			 "digest cannot cover it",
			 (long long)lf.addr.seq, (long long)tip.seq);
		fwd_fail(&w, &f);
	} else {
		qldb_report_pass(&fw, QLDB_CHECK_ADDRESS,
				 "address %s:%lld is covered by the digest tip %s:%lld",
				 lf.addr.strand, (long long)lf.addr.seq, tip.strand,
				 (long long)tip.seq);
	}

	struct qldb_hash acc;
	if (qldb_proof_fold(qldb_checker_sha(c), &lf.h, proof, (size_t)n, steps, &acc)) {
		snprintf(why, cap, "SHA-256 failed");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char p[QLDB_HASH_B64_LEN];
		qldb_hash_b64(&proof[i], p);
		qldb_report_pass(&fw, QLDB_CHECK_PROOF, "proof step %d/%d: dot(%s, %s) = %s", i + 1,
				 n, i == 0 ? lf.name : "previous", p, qldb_hash_b64(&steps[i], g));
	}
	if (!qldb_hash_equal(&acc, &in->digest)) {
		struct qldb_failure f = { .kind = QLDB_CHECK_PROOF, .seq = lf.addr.seq };
		snprintf(f.message, sizeof f.message,
			 "proof: folding %d proof hashes from the %s of block %s:%lld gives %s; "
			 "digest expected %s computed %s",
			 n, lf.name, lf.addr.strand, (long long)lf.addr.seq, qldb_hash_b64(&acc, g),
			 qldb_hash_b64(&in->digest, e), g);
		fwd_fail(&w, &f);
	} else {
		qldb_report_pass(
			&fw, QLDB_CHECK_DIGEST, "digest matches %s: %s", qldb_hash_b64(&acc, g),
			w.failures ? "the proof folds, but an earlier check FAILED"
			: w.notes  ? "the proof folds, but not everything was proven (UNVERIFIED "
				     "above)"
				   : "VERIFIED");
	}
	return w.failures ? 1 : 0;
}
