/*
 * export_chain.c - merge checked data objects into one export verdict (see
 * export_chain.h).
 */
#include "export_chain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void export_chain_init(struct export_chain *ch, struct sha256 *sha, const struct qldb_hash *digest,
		       const struct qldb_address *tip)
{
	memset(ch, 0, sizeof *ch);
	ch->sha = sha;
	ch->last_block_seq = -1;
	ch->max_block_seq = -1;
	ch->first_unproven_seq = -1;
	ch->acc_ok = true;
	ch->digest_line = -1;
	if (digest && tip) {
		ch->want_digest = true;
		ch->digest = *digest;
		ch->tip = *tip;
		ch->digest_state = EXPORT_DIGEST_UNVERIFIED;
	}
}

void export_chain_unproven(struct export_chain *ch, const char *fmt, ...)
{
	if (ch->n_unproven >= EXPORT_MAX_UNPROVEN) {
		ch->more_unproven++;
		return;
	}
	if (!ch->unproven) {
		ch->unproven = malloc(EXPORT_MAX_UNPROVEN * sizeof *ch->unproven);
		if (!ch->unproven) {
			ch->more_unproven++; /* still counted: the verdict stays UNVERIFIED */
			return;
		}
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ch->unproven[ch->n_unproven++], EXPORT_WHY_MAX, fmt, ap);
	va_end(ap);
}

size_t export_chain_unproven_count(const struct export_chain *ch)
{
	return ch->n_unproven + ch->more_unproven;
}

enum export_status export_chain_status(const struct export_chain *ch)
{
	if (export_chain_failure_count(ch))
		return EXPORT_STATUS_FAILED;
	if (export_chain_unproven_count(ch))
		return EXPORT_STATUS_UNVERIFIED;
	return EXPORT_STATUS_VERIFIED;
}

const char *export_status_name(enum export_status s)
{
	static const char *const NAMES[] = {
		[EXPORT_STATUS_VERIFIED] = "VERIFIED",
		[EXPORT_STATUS_FAILED] = "FAILED",
		[EXPORT_STATUS_UNVERIFIED] = "UNVERIFIED",
	};
	return (unsigned)s <= EXPORT_STATUS_UNVERIFIED ? NAMES[s] : "UNVERIFIED";
}

void export_chain_fail(struct export_chain *ch, const struct qldb_failure *f, const char *file)
{
	if (ch->n_failures >= EXPORT_MAX_FAILURES) {
		ch->more_failures++;
		return;
	}
	if (!ch->failures) {
		ch->failures = malloc(EXPORT_MAX_FAILURES * sizeof *ch->failures);
		if (!ch->failures) {
			ch->more_failures++;
			return;
		}
	}
	struct export_failure *x = &ch->failures[ch->n_failures++];
	x->f = *f;
	snprintf(x->file, sizeof x->file, "%s", file ? file : "");
}

size_t export_chain_failure_count(const struct export_chain *ch)
{
	return ch->n_failures + ch->more_failures;
}

static void chain_failf(struct export_chain *ch, enum qldb_check kind, int64_t seq,
			const char *file, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void chain_failf(struct export_chain *ch, enum qldb_check kind, int64_t seq,
			const char *file, const char *fmt, ...)
{
	struct qldb_failure f = { .kind = kind, .seq = seq };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof f.message, fmt, ap);
	va_end(ap);
	export_chain_fail(ch, &f, file);
}

static void no_digest(struct export_chain *ch, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void no_digest(struct export_chain *ch, const char *fmt, ...)
{
	if (!ch->acc_ok)
		return;
	ch->acc_ok = false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ch->digest_why, sizeof ch->digest_why, fmt, ap);
	va_end(ap);
}

/* Key-level ranges: contiguous, no gap, no overlap, one strand. */
static void check_range(struct export_chain *ch, const struct export_range *r, const char *file)
{
	if (!ch->started) {
		ch->started = true;
		snprintf(ch->strand, sizeof ch->strand, "%s", r->strand);
		ch->first_key_seq = r->first;
		ch->last_key_seq = r->last;
		return;
	}
	if (strcmp(ch->strand, r->strand) != 0)
		chain_failf(ch, QLDB_CHECK_RANGE, r->first, file,
			    "range: object on strand %s, but the export is strand %s", r->strand,
			    ch->strand);
	if (r->first > ch->last_key_seq + 1) {
		chain_failf(ch, QLDB_CHECK_RANGE, ch->last_key_seq + 1, file,
			    "range: blocks %lld-%lld are in no data object named by the manifests "
			    "(gap before this object)",
			    (long long)ch->last_key_seq + 1, (long long)r->first - 1);
		no_digest(ch, "blocks %lld-%lld are missing from the export",
			  (long long)ch->last_key_seq + 1, (long long)r->first - 1);
	} else if (r->first <= ch->last_key_seq) {
		chain_failf(ch, QLDB_CHECK_RANGE, r->first, file,
			    "range: blocks %lld-%lld overlap an earlier data object",
			    (long long)r->first,
			    (long long)(r->last < ch->last_key_seq ? r->last : ch->last_key_seq));
		no_digest(ch, "blocks %lld-%lld appear twice in the export", (long long)r->first,
			  (long long)ch->last_key_seq);
	}
	if (r->last > ch->last_key_seq)
		ch->last_key_seq = r->last;
}

void export_chain_format(struct export_chain *ch, enum export_format found,
			 enum export_format declared, int64_t first_seq, const char *file)
{
	if (found == EXPORT_FORMAT_JSON)
		ch->json_objects++;
	if (declared != EXPORT_FORMAT_UNKNOWN && declared != found)
		chain_failf(ch, QLDB_CHECK_MANIFEST, first_seq, file,
			    "manifest: the started manifest says %s, but this object is %s "
			    "(verified as %s)",
			    export_format_name(declared), export_format_name(found),
			    export_format_name(found));
	else if (ch->first_format != EXPORT_FORMAT_UNKNOWN && found != ch->first_format)
		chain_failf(ch, QLDB_CHECK_MANIFEST, first_seq, file,
			    "manifest: this object is %s, but the export's first object is %s "
			    "(QLDB writes one format per export; verified as %s)",
			    export_format_name(found), export_format_name(ch->first_format),
			    export_format_name(found));
	if (ch->first_format == EXPORT_FORMAT_UNKNOWN)
		ch->first_format = found;
}

void export_chain_missing(struct export_chain *ch, const struct export_range *r, const char *file)
{
	ch->objects++;
	check_range(ch, r, file);
	chain_failf(ch, QLDB_CHECK_MISSING_OBJECT, r->first, file,
		    "missing-object: the manifest names this object (blocks %lld-%lld) but it "
		    "is not in the export folder",
		    (long long)r->first, (long long)r->last);
	no_digest(ch, "blocks %lld-%lld are missing from the export", (long long)r->first,
		  (long long)r->last);
	ch->have_last_hash = false;
	ch->broken = true;
}

void export_chain_add(struct export_chain *ch, const struct export_object *o, const char *file)
{
	ch->objects++;
	check_range(ch, &o->range, file);
	ch->blocks += o->blocks;
	ch->revisions += o->revisions;
	ch->recomputed += o->recomputed;
	ch->hash_only += o->hash_only;
	ch->redacted += o->redacted;
	ch->unproven_revisions += o->unproven;
	if (o->mode == QLDB_MODE_JSON)
		ch->json_revisions += o->unproven;
	else if (o->unproven && ch->first_unproven_seq < 0)
		ch->first_unproven_seq = o->first_unproven_seq;

	/* continuity for the tip proof: every block read, in order, each
	 * link into this object checked */
	bool linked = ch->last_block_seq < 0 ||
		      (ch->have_last_hash && o->first_seq == ch->last_block_seq + 1);
	if (o->blocks == 0 || !o->contiguous || !o->have_last_hash || !linked ||
	    o->first_seq != o->range.first || o->last_seq != o->range.last)
		ch->broken = true;

	/* the link into this object from the previous one */
	if (o->blocks > 0 && ch->have_last_hash && o->first_seq == ch->last_block_seq + 1 &&
	    !qldb_hash_equal(&o->first_prev, &ch->last_hash)) {
		char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];
		chain_failf(ch, QLDB_CHECK_CHAIN_LINK, o->first_seq, file,
			    "chain-link: block %s:%lld previousBlockHash expected %s (blockHash "
			    "of block %lld) computed %s",
			    o->range.strand, (long long)o->first_seq,
			    qldb_hash_b64(&ch->last_hash, e), (long long)ch->last_block_seq,
			    qldb_hash_b64(&o->first_prev, g));
	}
	for (size_t i = 0; i < o->n_failures; i++)
		export_chain_fail(ch, &o->failures[i], file);
	ch->more_failures += o->more_failures;

	/* the digest: every block hash from 0 up to the tip, in order */
	if (ch->want_digest && ch->acc_ok && ch->acc.count <= (uint64_t)ch->tip.seq) {
		if (o->blocks == 0) {
			no_digest(ch,
				  "blocks %lld-%lld are not in the export (their object holds no "
				  "block)",
				  (long long)o->range.first, (long long)o->range.last);
		} else if (ch->acc.count == 0 && o->first_seq != 0) {
			no_digest(ch, "the export starts at block %lld, not at block 0",
				  (long long)o->first_seq);
		} else if (!o->contiguous || o->n_hashes != o->blocks ||
			   (uint64_t)o->first_seq != ch->acc.count) {
			no_digest(ch, "blocks around %lld-%lld are missing or out of order",
				  (long long)ch->acc.count, (long long)o->range.last);
		} else {
			for (size_t i = 0;
			     i < o->n_hashes && ch->acc.count <= (uint64_t)ch->tip.seq; i++)
				if (qldb_merkle_acc_push(ch->sha, &ch->acc, &o->hashes[i])) {
					no_digest(ch, "hashing failed at block %lld",
						  (long long)ch->acc.count);
					break;
				}
		}
	}
	if (o->blocks > 0) {
		if (o->last_seq > ch->max_block_seq)
			ch->max_block_seq = o->last_seq;
		ch->last_block_seq = o->last_seq;
		ch->last_hash = o->last_hash;
		ch->have_last_hash = o->have_last_hash;
	} else {
		ch->have_last_hash = false;
	}
}

/* Decide the digest: VERIFIED, FAILED, or UNVERIFIED with digest_why. */
static void chain_digest(struct export_chain *ch)
{
	char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];
	if (ch->started && strcmp(ch->strand, ch->tip.strand) != 0) {
		snprintf(ch->digest_why, sizeof ch->digest_why,
			 "the digest tip is on strand %s, the export on strand %s", ch->tip.strand,
			 ch->strand);
		return;
	}
	if (!ch->acc_ok)
		return; /* digest_why says why */
	if (ch->acc.count < (uint64_t)ch->tip.seq + 1) {
		if (ch->acc.count == 0)
			snprintf(ch->digest_why, sizeof ch->digest_why,
				 "the export holds no block to check the digest tip %lld against",
				 (long long)ch->tip.seq);
		else
			snprintf(ch->digest_why, sizeof ch->digest_why,
				 "the export ends at block %lld, before the digest tip %lld",
				 (long long)ch->acc.count - 1, (long long)ch->tip.seq);
		return;
	}
	struct qldb_hash root;
	if (qldb_merkle_acc_root(ch->sha, &ch->acc, &root)) {
		snprintf(ch->digest_why, sizeof ch->digest_why, "hashing failed");
		return;
	}
	if (qldb_hash_equal(&root, &ch->digest)) {
		ch->digest_state = EXPORT_DIGEST_VERIFIED;
		return;
	}
	ch->digest_state = EXPORT_DIGEST_FAILED;
	chain_failf(ch, QLDB_CHECK_DIGEST, ch->tip.seq, "",
		    "digest: Merkle(blockHash[0..%lld]) expected %s computed %s",
		    (long long)ch->tip.seq, qldb_hash_b64(&ch->digest, e), qldb_hash_b64(&root, g));
}

void export_chain_finish(struct export_chain *ch)
{
	if (!ch->want_digest)
		/* self-consistent hashes prove nothing by themselves: anyone can
		 * write an export whose hashes agree; only a digest kept outside
		 * the ledger ties it to the journal */
		export_chain_unproven(ch, "digest: none given, so nothing ties the export to the "
					  "ledger (give --digest with a saved get-digest output)");
	else {
		chain_digest(ch);
		if (ch->digest_state == EXPORT_DIGEST_UNVERIFIED) {
			size_t kept = ch->n_unproven, counted = ch->more_unproven;
			export_chain_unproven(ch, "digest: not checked: %s", ch->digest_why);
			ch->digest_line = ch->n_unproven > kept		? (long)kept
					  : ch->more_unproven > counted ? -2
									: -1;
		} else if (ch->digest_state == EXPORT_DIGEST_VERIFIED &&
			   ch->max_block_seq > ch->tip.seq)
			/* a later digest would cover them; this one cannot */
			export_chain_unproven(ch,
					      "blocks %lld-%lld: after the digest tip %lld, so "
					      "not covered by the digest (chain-checked only)",
					      (long long)ch->tip.seq + 1,
					      (long long)ch->max_block_seq, (long long)ch->tip.seq);
	}
	if (ch->json_objects)
		export_chain_unproven(ch,
				      "JSON: %llu data object%s chain-checked only: JSON loses Ion "
				      "types, so revision content and transactionInfo cannot be "
				      "recomputed",
				      (unsigned long long)ch->json_objects,
				      ch->json_objects == 1 ? "" : "s");
	if (ch->unproven_revisions > ch->json_revisions) {
		uint64_t n = ch->unproven_revisions - ch->json_revisions;
		export_chain_unproven(ch,
				      "revisions: %llu revision%s whose content no known formula "
				      "covers, the first in block %lld (deleted-document revisions "
				      "whose hash is not IonHash(metadata))",
				      (unsigned long long)n, n == 1 ? "" : "s",
				      (long long)ch->first_unproven_seq);
	}
}

bool export_chain_tip_gap(const struct export_chain *ch, struct qldb_address *last,
			  struct qldb_hash *hash)
{
	if (!ch->want_digest || ch->digest_state != EXPORT_DIGEST_UNVERIFIED ||
	    ch->digest_line == -1 || !ch->started || ch->broken || !ch->have_last_hash ||
	    export_chain_failure_count(ch) || strcmp(ch->strand, ch->tip.strand) != 0 ||
	    ch->last_block_seq < 0 || ch->last_block_seq != ch->last_key_seq ||
	    ch->last_block_seq != ch->max_block_seq || ch->last_block_seq >= ch->tip.seq)
		return false;
	snprintf(last->strand, sizeof last->strand, "%s", ch->strand);
	last->seq = ch->last_block_seq;
	*hash = ch->last_hash;
	return true;
}

/* Drop the "digest: not checked" line: the digest is decided. */
static void drop_digest_line(struct export_chain *ch)
{
	if (ch->digest_line >= 0 && (size_t)ch->digest_line < ch->n_unproven) {
		size_t i = (size_t)ch->digest_line;
		memmove(ch->unproven[i], ch->unproven[i + 1],
			(ch->n_unproven - i - 1) * sizeof *ch->unproven);
		ch->n_unproven--;
	} else if (ch->digest_line == -2 && ch->more_unproven) {
		ch->more_unproven--;
	}
	ch->digest_line = -1;
}

void export_chain_tip_proven(struct export_chain *ch, const struct qldb_address *addr,
			     const struct qldb_hash *hash)
{
	struct qldb_address last;
	struct qldb_hash mine;
	if (!export_chain_tip_gap(ch, &last, &mine))
		return;
	drop_digest_line(ch);
	char e[QLDB_HASH_B64_LEN], g[QLDB_HASH_B64_LEN];
	if (strcmp(addr->strand, last.strand) != 0 || addr->seq != last.seq) {
		ch->digest_state = EXPORT_DIGEST_FAILED;
		chain_failf(ch, QLDB_CHECK_DIGEST, last.seq, "",
			    "digest: the tip proof is for block %s:%lld, but the export ends at "
			    "block %s:%lld",
			    addr->strand, (long long)addr->seq, last.strand, (long long)last.seq);
		return;
	}
	if (!qldb_hash_equal(hash, &mine)) {
		ch->digest_state = EXPORT_DIGEST_FAILED;
		chain_failf(ch, QLDB_CHECK_DIGEST, last.seq, "",
			    "digest: block %s:%lld blockHash expected %s (proven into the digest "
			    "at tip %lld) computed %s (the export's)",
			    last.strand, (long long)last.seq, qldb_hash_b64(hash, e),
			    (long long)ch->tip.seq, qldb_hash_b64(&mine, g));
		return;
	}
	ch->digest_state = EXPORT_DIGEST_VERIFIED;
	ch->digest_by_proof = true;
}

void export_chain_free(struct export_chain *ch)
{
	free(ch->failures);
	free(ch->unproven);
	ch->failures = NULL;
	ch->unproven = NULL;
}
