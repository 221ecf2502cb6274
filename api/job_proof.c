/*
 * job_proof.c - JOB_DIGEST_PROOF (the tip block of the current digest,
 * proven to it) and JOB_BLOCK_DETAIL (block seq of the digest's strand:
 * its fields, every hash check of the self-check and the proof to the
 * digest). Both read GetDigest, then GetBlock with DigestTipAddress
 * (api/qldb_proofs.h), and check with verify/ as the auditor does
 * (qldb_block_check, qldb_proof_parse, qldb_proof_fold): nothing here
 * trusts the service's answer. The verdict is VERIFIED only when the
 * self-check recomputed everything and the proof folds to the digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/job_proof.h"
#include "api/qldb_proofs.h"
#include "verify/qldb_proof.h"

/* Lines each kind of self-check result may take, so that a block of many
 * revisions still leaves room in JOB_LINES_MAX for the fields, the proof
 * and the verdict; the rest are counted in one line. */
#define CHECK_PASS_LINES 40
#define CHECK_FAIL_LINES 12
#define CHECK_NOTE_LINES 8

/* What the self-check reported: failures and notes become lines. */
struct check_tally {
	struct job_ctx *c;
	bool passes; /* list passed checks (block detail) */
	size_t failures, notes, passed;
};

static void tally_fail(void *ctx, const struct qldb_failure *f)
{
	struct check_tally *t = ctx;
	if (t->failures++ < CHECK_FAIL_LINES)
		/* the message names the check, the block, expected and computed */
		job_line(t->c, JOB_LINE_BAD, "FAILED %s", f->message);
}

static void tally_pass(void *ctx, enum qldb_check kind, const char *line)
{
	struct check_tally *t = ctx;
	if (t->passes && t->passed++ < CHECK_PASS_LINES)
		job_line(t->c, JOB_LINE_GOOD, "ok %s: %s", qldb_check_name(kind), line);
}

static void tally_note(void *ctx, const char *line)
{
	struct check_tally *t = ctx;
	if (t->notes++ < CHECK_NOTE_LINES)
		job_line(t->c, JOB_LINE_UNVERIFIED, "%s", line);
}

/* "... and N more" lines for what the caps above left out. */
static void tally_more(const struct check_tally *t)
{
	if (t->failures > CHECK_FAIL_LINES)
		job_line(t->c, JOB_LINE_BAD, "... and %zu more failed checks",
			 t->failures - CHECK_FAIL_LINES);
	if (t->notes > CHECK_NOTE_LINES)
		job_line(t->c, JOB_LINE_UNVERIFIED, "... and %zu more not proven",
			 t->notes - CHECK_NOTE_LINES);
	if (t->passes && t->passed > CHECK_PASS_LINES)
		job_line(t->c, JOB_LINE_GOOD, "... and %zu more checks passed",
			 t->passed - CHECK_PASS_LINES);
}

/* The block's own fields, for the drill-down (no field is trusted here:
 * the self-check below decides). */
static void block_fields(struct job_ctx *c, const struct ion_value *v,
			 const struct qldb_block_result *r)
{
	char h[QLDB_HASH_B64_LEN];
	job_line(c, JOB_LINE_NORMAL, "address %s:%lld", r->addr.strand, (long long)r->addr.seq);
	const struct ion_value *tx = ion_struct_get(v, "transactionId");
	if (tx && tx->type == ION_TYPE_STRING && !tx->is_null)
		job_line(c, JOB_LINE_NORMAL, "transaction %.*s",
			 (int)(tx->u.bytes.len > 64 ? 64 : tx->u.bytes.len),
			 (const char *)tx->u.bytes.data);
	const struct ion_value *ts = ion_struct_get(v, "blockTimestamp");
	if (ts && ts->type == ION_TYPE_TIMESTAMP && !ts->is_null)
		job_line(c, JOB_LINE_NORMAL,
			 "time %04u-%02u-%02uT%02u:%02u:%02uZ (no hash covers it)", ts->u.ts.year,
			 ts->u.ts.month, ts->u.ts.day, ts->u.ts.hour, ts->u.ts.minute,
			 ts->u.ts.second);
	job_line(c, JOB_LINE_NORMAL, "previous hash %s", qldb_hash_b64(&r->previous_hash, h));
	job_line(c, JOB_LINE_NORMAL, "block hash %s", qldb_hash_b64(&r->block_hash, h));
	job_line(c, JOB_LINE_NORMAL, "revisions %zu: %zu recomputed, %zu hash-only, %zu unproven",
		 r->revisions, r->recomputed, r->hash_only, r->unproven);
}

/* Fold the proof from the block hash, a line per sibling and per
 * intermediate, and the computed root against the digest. Returns 1
 * proven, 0 not proven, -1 failed; out gets its length and root. */
static int proof_lines(struct job_ctx *c, struct qldb_checker *chk, const struct qldb_digest *d,
		       const struct qldb_block_result *r, const char *text, size_t len,
		       struct job_block_proof *out)
{
	char h[QLDB_HASH_B64_LEN], why[QLDB_MESSAGE_MAX];
	struct qldb_hash *proof = malloc(2 * QLDB_PROOF_MAX * sizeof *proof);
	if (!proof) {
		job_line(c, JOB_LINE_UNVERIFIED, "proof: out of memory");
		return 0;
	}
	struct qldb_hash *steps = proof + QLDB_PROOF_MAX;
	int verdict = 0;
	int n = qldb_proof_parse(text, len, proof, QLDB_PROOF_MAX, why, sizeof why);
	if (n < 0) {
		job_line(c, JOB_LINE_UNVERIFIED, "proof not read: %s", why);
		goto out;
	}
	out->hashes = n;
	if (strcmp(r->addr.strand, d->strand_id) != 0 || (uint64_t)r->addr.seq > d->sequence_no) {
		job_line(c, JOB_LINE_BAD,
			 "FAILED: block %s:%lld is not covered by the digest tip %s:%llu",
			 r->addr.strand, (long long)r->addr.seq, d->strand_id,
			 (unsigned long long)d->sequence_no);
		verdict = -1;
		goto out;
	}
	struct qldb_hash root;
	if (qldb_proof_fold(qldb_checker_sha(chk), &r->block_hash, proof, (size_t)n, steps,
			    &root)) {
		job_line(c, JOB_LINE_UNVERIFIED, "proof: SHA-256 failed");
		goto out;
	}
	job_line(c, JOB_LINE_TITLE, "proof: %d hashes from the block hash to the digest", n);
	job_line(c, JOB_LINE_NORMAL, "leaf (block hash) %s", qldb_hash_b64(&r->block_hash, h));
	for (int i = 0; i < n; i++) {
		job_line(c, JOB_LINE_NORMAL, "sibling %d %s", i + 1, qldb_hash_b64(&proof[i], h));
		job_line(c, JOB_LINE_NORMAL, "  = %s", qldb_hash_b64(&steps[i], h));
	}
	struct qldb_hash want = { .len = QLDB_DIGEST_BYTES };
	memcpy(want.b, d->digest, QLDB_DIGEST_BYTES);
	char g[QLDB_HASH_B64_LEN];
	qldb_hash_b64(&root, g);
	out->root = root;
	out->have_root = true;
	if (qldb_hash_equal(&root, &want)) {
		job_line(c, JOB_LINE_GOOD, "computed root %s = digest %s", g, d->digest_b64);
		verdict = 1;
	} else {
		job_line(c, JOB_LINE_BAD, "FAILED: computed root %s, digest %s (tip %s:%llu)", g,
			 d->digest_b64, d->strand_id, (unsigned long long)d->sequence_no);
		verdict = -1;
	}
out:
	free(proof);
	return verdict;
}

int job_block_prove(struct job_ctx *c, const struct qldb_digest *d, int64_t seq, bool detail,
		    struct job_block_proof *out, struct api_error *err)
{
	*out = (struct job_block_proof){ 0 };
	char ion[QLDB_TIP_MAX];
	snprintf(ion, sizeof ion, "{strandId:\"%s\",sequenceNo:%lld}", d->strand_id,
		 (long long)seq);
	char *json = NULL;
	size_t len = 0;
	int rc = qldb_get_block(c->qldb, c->st->ledger, ion, d->tip_ion, &json, &len, err);
	if (rc)
		return rc;
	struct qldb_proof_response resp;
	if ((rc = qldb_parse_proof_response(json, len, &resp, err))) {
		free(json);
		return rc;
	}
	struct qldb_checker *chk = qldb_checker_new();
	struct ion_arena *arena = NULL;
	const struct ion_value *v = NULL;
	char why[QLDB_MESSAGE_MAX];
	if (!resp.block_text || !resp.proof_text) {
		rc = api_error_set(err, API_ERR_PARSE, "GetBlock %s:%lld: the answer has no %s",
				   d->strand_id, (long long)seq,
				   resp.block_text ? "Proof" : "Block");
		goto out;
	}
	if (!chk) {
		rc = api_error_set(err, API_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (ion_parse_one_alloc((const uint8_t *)resp.block_text, resp.block_len, "Block IonText",
				&arena, &v, why, sizeof why)) {
		rc = api_error_set(err, API_ERR_PARSE, "GetBlock %s:%lld: %s", d->strand_id,
				   (long long)seq, why);
		goto out;
	}
	struct check_tally t = { .c = c, .passes = detail };
	struct qldb_report rep = {
		.fail = tally_fail, .pass = tally_pass, .note = tally_note, .ctx = &t
	};
	struct qldb_block_result r;
	job_line(c, JOB_LINE_TITLE, "block %s:%lld", d->strand_id, (long long)seq);
	int bc = qldb_block_check(chk, v, QLDB_MODE_ION, &rep, &r);
	tally_more(&t);
	if (bc == 0 && detail)
		block_fields(c, v, &r);
	out->self = bc != 0 || t.failures ? -1 : t.notes ? 0 : 1;
	if (bc == 0 && (strcmp(r.addr.strand, d->strand_id) != 0 || r.addr.seq != seq)) {
		job_line(c, JOB_LINE_BAD,
			 "FAILED: asked for block %s:%lld, the answer is block %s:%lld",
			 d->strand_id, (long long)seq, r.addr.strand, (long long)r.addr.seq);
		out->self = -1;
	}
	if (out->self == 1)
		job_line(c, JOB_LINE_GOOD,
			 "block self-check: %zu revision%s, entries hash and block hash recomputed",
			 r.recomputed, r.recomputed == 1 ? "" : "s");
	if (bc == 0) {
		out->read = true;
		out->addr = r.addr;
		out->block_hash = r.block_hash;
		out->proof = proof_lines(c, chk, d, &r, resp.proof_text, resp.proof_len, out);
	}
out:
	ion_arena_free(arena);
	qldb_checker_free(chk);
	qldb_proof_response_free(&resp);
	free(json);
	return rc;
}

/* Block seq proven to the digest d, the job's verdict and message set
 * from it. 0, or an api_status (the block could not be read: the job
 * fails). */
static int block_prove(struct job_ctx *c, const struct qldb_digest *d, int64_t seq, bool detail,
		       struct api_error *err)
{
	struct job_block_proof p;
	int rc = job_block_prove(c, d, seq, detail, &p, err);
	if (rc)
		return rc;
	int verdict = p.self < 0 || p.proof < 0 ? -1 : p.self == 1 && p.proof == 1 ? 1 : 0;
	c->st->verdict = verdict;
	static const char *const WORDS[] = { "FAILED", "UNVERIFIED", "VERIFIED" };
	job_line(c,
		 verdict > 0   ? JOB_LINE_GOOD
		 : verdict < 0 ? JOB_LINE_BAD
			       : JOB_LINE_UNVERIFIED,
		 "%s", WORDS[verdict + 1]);
	job_message(c, "block %s:%lld %s (self-check %s, proof to the digest %s)", d->strand_id,
		    (long long)seq, WORDS[verdict + 1], WORDS[p.self + 1], WORDS[p.proof + 1]);
	return 0;
}

static int digest_proof_run(struct job_ctx *c, const struct job_request *r, struct api_error *err)
{
	struct qldb_digest d;
	int rc = qldb_get_digest(c->qldb, r->ledger, &d, err);
	if (rc)
		return rc;
	snprintf(c->st->target, sizeof c->st->target, "digest at block %llu",
		 (unsigned long long)d.sequence_no);
	job_line(c, JOB_LINE_NORMAL, "digest %s at %s", d.digest_b64, d.tip_ion);
	return block_prove(c, &d, (int64_t)d.sequence_no, false, err);
}

static int block_detail_run(struct job_ctx *c, const struct job_request *r, struct api_error *err)
{
	snprintf(c->st->target, sizeof c->st->target, "block %lld", (long long)r->seq);
	if (r->seq < 0 || r->seq > QLDB_SEQUENCE_MAX)
		return api_error_set(err, API_ERR_CONFIG, "block %lld: not a sequence number",
				     (long long)r->seq);
	struct qldb_digest d;
	int rc = qldb_get_digest(c->qldb, r->ledger, &d, err);
	if (rc)
		return rc;
	if ((uint64_t)r->seq > d.sequence_no)
		return api_error_set(
			err, API_ERR_CONFIG, "block %lld is beyond the digest's tip %s:%llu",
			(long long)r->seq, d.strand_id, (unsigned long long)d.sequence_no);
	job_line(c, JOB_LINE_NORMAL, "digest %s at %s", d.digest_b64, d.tip_ion);
	return block_prove(c, &d, r->seq, true, err);
}

const struct job_type job_digest_proof_type = {
	.kind = JOB_DIGEST_PROOF,
	.name = "digest-proof",
	.run = digest_proof_run,
};

const struct job_type job_block_detail_type = {
	.kind = JOB_BLOCK_DETAIL,
	.name = "block-detail",
	.run = block_detail_run,
};
