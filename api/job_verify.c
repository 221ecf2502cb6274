/*
 * job_verify.c - JOB_VERIFY_EXPORT: the export's objects in S3 through
 * the engine `qldbtop verify-export s3://...` uses (api/export_run.h),
 * proven against the ledger's current digest (GetDigest). The verdict is
 * the CLI's: FAILED on any integrity failure, VERIFIED only when the
 * chain is proven up to the digest (the CLI's exit 0), else UNVERIFIED
 * with why. Progress is bytes of the export read.
 *
 * Against a live ledger the export ends before the digest's tip. Then,
 * when the export's chain is otherwise proven (verify/export_chain.h:
 * export_chain_tip_gap), its last block is proven into the digest with
 * GetBlock(last block, DigestTipAddress = the digest's tip)
 * (api/job_proof.h): the answer's blockHash must be the one the export's
 * chain computed and its proof must fold to the digest. Each blockHash
 * covers the previousBlockHash, so that pins every block of the export.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/export_run.h"
#include "api/job_proof.h"
#include "api/job_verify.h"
#include "api/jobs.h"
#include "verify/sha256.h"

#define VERIFY_JOBS_MAX 4 /* reader threads of one verify job */
#define VERIFY_FAILURE_LINES 8

static void progress(void *ctx, uint64_t bytes, uint64_t total, uint64_t blocks, double elapsed,
		     bool final)
{
	struct job_ctx *c = ctx;
	(void)blocks;
	(void)elapsed;
	c->st->done = bytes;
	c->st->total = total;
	job_publish(c, final);
}

/* The export's folder as an s3:// URI: its prefix when that names a
 * folder, else the folder holding the prefix. */
static void export_uri(const struct qldb_journal_export *e, char *out, size_t cap)
{
	size_t n = strlen(e->prefix);
	if (n == 0 || e->prefix[n - 1] == '/') {
		snprintf(out, cap, "s3://%s/%s", e->bucket, e->prefix);
		return;
	}
	const char *slash = strrchr(e->prefix, '/');
	snprintf(out, cap, "s3://%s/%.*s", e->bucket, slash ? (int)(slash - e->prefix + 1) : 0,
		 e->prefix);
}

/* What the tip proof did, for the verdict's lines. */
struct tip_note {
	int64_t last; /* the export's last block, -1 no tip proof tried */
	int hashes;   /* the proof's length */
	/* not fetched or not proven: why (empty when it was) */
	char why[JOB_LINE_MAX + API_ERROR_MSG_MAX];
};

static void tip_fail(struct export_chain *ch, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void tip_fail(struct export_chain *ch, int64_t seq, const char *fmt, ...)
{
	struct qldb_failure f = { .kind = QLDB_CHECK_DIGEST, .seq = seq };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof f.message, fmt, ap);
	va_end(ap);
	export_chain_fail(ch, &f, "");
}

void job_tip_apply(struct export_chain *ch, const struct job_block_proof *p, char *why, size_t cap)
{
	struct qldb_address last;
	struct qldb_hash mine;
	if (!export_chain_tip_gap(ch, &last, &mine))
		return;
	char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];
	if (p->read && (strcmp(p->addr.strand, last.strand) != 0 || p->addr.seq != last.seq ||
			!qldb_hash_equal(&p->block_hash, &mine)))
		/* another block, or this block with another hash: a failure
		 * naming the block, expected and computed */
		export_chain_tip_proven(ch, &p->addr, &p->block_hash);
	else if (p->proof != 0 && p->have_root && !qldb_hash_equal(&p->root, &ch->digest))
		/* a proof to another digest, whatever p->proof says */
		tip_fail(ch, last.seq,
			 "digest: the proof of block %s:%lld to the digest at tip %lld expected "
			 "%s computed %s",
			 last.strand, (long long)last.seq, (long long)ch->tip.seq,
			 qldb_hash_b64(&ch->digest, e), qldb_hash_b64(&p->root, g));
	else if (!p->read || p->proof < 0 || p->self < 0)
		tip_fail(ch, last.seq,
			 "digest: GetBlock %s:%lld with the digest's tip %lld: the ledger's answer "
			 "does not check (the lines above say where)",
			 last.strand, (long long)last.seq, (long long)ch->tip.seq);
	else if (p->proof == 0 || !p->have_root)
		snprintf(why, cap,
			 "the export ends at block %lld, before the digest tip %lld, and its last "
			 "block's proof was not read",
			 (long long)last.seq, (long long)ch->tip.seq);
	else
		export_chain_tip_proven(ch, &p->addr, &p->block_hash);
}

/* The tip proof (see the top). 0, or the api_status of a stopped job
 * (then in *stopped). */
static int prove_tip(struct job_ctx *c, struct export_chain *ch, const struct qldb_digest *d,
		     struct tip_note *note, struct api_error *stopped)
{
	struct qldb_address last;
	struct qldb_hash mine;
	if (!export_chain_tip_gap(ch, &last, &mine))
		return 0;
	note->last = last.seq;
	job_line(c, JOB_LINE_TITLE,
		 "tip proof: the export ends at block %lld, the digest's tip is %llu",
		 (long long)last.seq, (unsigned long long)d->sequence_no);
	struct job_block_proof p;
	struct api_error err;
	int rc = job_block_prove(c, d, last.seq, false, &p, &err);
	if (rc) {
		if (atomic_load(c->stop)) {
			*stopped = err;
			return rc;
		}
		snprintf(note->why, sizeof note->why,
			 "the export ends at block %lld, before the digest tip %llu, and its last "
			 "block's proof was not fetched: %s",
			 (long long)last.seq, (unsigned long long)d->sequence_no, err.msg);
		job_line(c, JOB_LINE_UNVERIFIED, "tip proof not fetched: %s", err.msg);
		return 0;
	}
	note->hashes = p.hashes;
	job_tip_apply(ch, &p, note->why, sizeof note->why);
	return 0;
}

/* What was read, before the tip proof's lines. */
static void report_head(struct job_ctx *c, const struct export_chain *ch,
			const struct export_plan *plan)
{
	struct job_status *st = c->st;
	job_line(c, JOB_LINE_TITLE, "export %s", st->target + strlen("export "));
	job_line(c, JOB_LINE_NORMAL, "%llu data objects from %zu manifest%s, blocks %lld-%lld",
		 (unsigned long long)ch->objects, plan->manifests, plan->manifests == 1 ? "" : "s",
		 (long long)ch->first_key_seq, (long long)ch->last_key_seq);
	job_line(c, JOB_LINE_NORMAL, "blocks read %llu, revisions %llu (%llu recomputed)",
		 (unsigned long long)ch->blocks, (unsigned long long)ch->revisions,
		 (unsigned long long)ch->recomputed);
}

static void report_chain(struct job_ctx *c, const struct export_chain *ch,
			 const struct tip_note *tip)
{
	struct job_status *st = c->st;
	for (size_t i = 0; i < ch->n_failures && i < VERIFY_FAILURE_LINES; i++) {
		const struct export_failure *f = &ch->failures[i];
		/* the message names the check, the block, expected and computed */
		job_line(c, JOB_LINE_BAD, "FAILED %s", f->f.message);
	}
	size_t nf = export_chain_failure_count(ch);
	if (nf > VERIFY_FAILURE_LINES)
		job_line(c, JOB_LINE_BAD, "... and %zu more failures", nf - VERIFY_FAILURE_LINES);
	for (size_t i = 0; i < ch->n_unproven && i < VERIFY_FAILURE_LINES; i++)
		job_line(c, JOB_LINE_UNVERIFIED, "not proven: %s", ch->unproven[i]);
	enum export_status s = export_chain_status(ch);
	if (s == EXPORT_STATUS_FAILED) {
		st->verdict = -1;
		job_line(c, JOB_LINE_BAD, "FAILED: %zu integrity failure%s", nf,
			 nf == 1 ? "" : "s");
		job_message(c, "FAILED: %zu integrity failure%s (first: seq %lld)", nf,
			    nf == 1 ? "" : "s",
			    ch->n_failures ? (long long)ch->failures[0].f.seq : -1LL);
	} else if (s == EXPORT_STATUS_VERIFIED && ch->digest_by_proof) {
		st->verdict = 1;
		job_line(c, JOB_LINE_GOOD,
			 "digest: VERIFIED: export ends at block %lld; block %lld proven into the "
			 "digest at tip %lld by a %d-hash proof",
			 (long long)tip->last, (long long)tip->last, (long long)ch->tip.seq,
			 tip->hashes);
		job_message(
			c,
			"VERIFIED: export intact; its last block %lld proven into the digest at "
			"tip %lld",
			(long long)tip->last, (long long)ch->tip.seq);
	} else if (s == EXPORT_STATUS_VERIFIED) {
		st->verdict = 1;
		job_line(c, JOB_LINE_GOOD, "digest: VERIFIED (Merkle root over blocks 0-%lld)",
			 (long long)ch->tip.seq);
		job_message(c, "VERIFIED: export intact and matches the digest");
	} else {
		st->verdict = 0;
		const char *why = tip->why[0]					 ? tip->why
				  : ch->digest_state == EXPORT_DIGEST_UNVERIFIED ? ch->digest_why
				  : ch->n_unproven				 ? ch->unproven[0]
						   : "not everything was proven";
		job_line(c, JOB_LINE_UNVERIFIED, "UNVERIFIED: %s", why);
		job_message(c, "UNVERIFIED: %s", why);
	}
}

static int verify_export_run(struct job_ctx *c, const struct job_request *r, struct api_error *err)
{
	struct job_status *st = c->st;
	snprintf(st->target, sizeof st->target, "export %.22s", r->id);
	struct qldb_journal_export e;
	int rc = qldb_describe_journal_export(c->qldb, r->ledger, r->id, &e, err);
	if (rc)
		return rc;
	if (strcmp(e.status, "COMPLETED") != 0)
		return api_error_set(err, API_ERR_CONFIG, "export %s is %s: nothing to verify yet",
				     r->id, e.status);
	struct qldb_digest d;
	if ((rc = qldb_get_digest(c->qldb, r->ledger, &d, err)))
		return rc;
	job_line(c, JOB_LINE_NORMAL, "digest %s at %s", d.digest_b64, d.tip_ion);
	char uri[16 + QLDB_BUCKET_MAX + QLDB_PREFIX_MAX];
	export_uri(&e, uri, sizeof uri);
	job_line(c, JOB_LINE_NORMAL, "objects under %s", uri);
	job_publish(c, true);
	char why[EXPORT_WHY_MAX + EXPORT_FILE_MAX + 64];
	struct export_plan plan;
	if (export_plan_build_s3_export(uri, r->id, c->stop, c->cfg, &plan, why, sizeof why))
		return api_error_set(err, API_ERR_SERVICE, "%s", why);
	st->total = plan.total_bytes;
	struct sha256 *sha = sha256_new();
	if (!sha) {
		export_plan_free(&plan);
		return api_error_set(err, API_ERR_NOMEM, "out of memory");
	}
	struct qldb_hash digest = { .len = 32 };
	memcpy(digest.b, d.digest, 32);
	struct qldb_address tip;
	snprintf(tip.strand, sizeof tip.strand, "%s", d.strand_id);
	tip.seq = (int64_t)d.sequence_no;
	struct export_chain ch;
	export_chain_init(&ch, sha, &digest, &tip);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = ncpu < 1 ? 1 : ncpu > VERIFY_JOBS_MAX ? VERIFY_JOBS_MAX : (int)ncpu;
	struct export_progress pr = { .fn = progress, .ctx = c, .stop = c->stop };
	if (export_run(&plan, jobs, &pr, &ch, why, sizeof why))
		rc = api_error_set(err, atomic_load(c->stop) ? API_ERR_STOPPED : API_ERR_SERVICE,
				   "%s", why);
	else {
		struct tip_note note = { .last = -1 };
		report_head(c, &ch, &plan);
		if ((rc = prove_tip(c, &ch, &d, &note, err)) == 0)
			report_chain(c, &ch, &note);
	}
	export_chain_free(&ch);
	sha256_free(sha);
	export_plan_free(&plan);
	return rc;
}

const struct job_type job_verify_export_type = {
	.kind = JOB_VERIFY_EXPORT,
	.name = "verify-export",
	.run = verify_export_run,
};
