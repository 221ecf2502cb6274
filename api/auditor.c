/*
 * auditor.c - the checks of DESIGN.md §Verification over an ops table
 * (see auditor.h). Hashing is verify/'s: qldb_block_check for the
 * self-check, qldb_proof_parse and qldb_proof_fold for the proofs; this
 * file only decides what to fetch, what each answer proves, and what to
 * call it.
 *
 * What a GetBlock answer must be before it proves anything: strictly read
 * JSON (api/qldb.c), a Block (not a Revision) with a Proof, a block whose
 * blockAddress is exactly the one asked for (strand and sequenceNo), on
 * the digest tip's strand at or before the tip, whose published blockHash
 * folds through the Proof to the digest this process fetched. Anything in
 * the answer that claims to be a digest is ignored.
 */
#include "api/auditor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/vault.h"
#include "verify/qldb_proof.h"

struct walk {
	int64_t next; /* the next block to fetch */
	struct qldb_hash prev;
	bool has_prev; /* prev is the proven blockHash of block next - 1 */
	/* The sweep only: Merkle accumulator over blockHash 0..next-1, every
	 * one proven and linked. Proofs carry no left/right flags, so a proof
	 * shows a hash is in the tree but not at which leaf; recomputing the
	 * digest from the hashes in sequence order proves every position. */
	struct qldb_merkle_acc acc;
	bool acc_valid;
};

struct auditor {
	struct audit_config cfg;
	char ledger[QLDB_NAME_MAX + 1];
	struct qldb_checker *chk;
	bool started; /* the first round ran */
	bool has_anchor;
	struct qldb_digest anchor; /* the last proven (or starting) digest */
	bool has_kept;
	struct qldb_digest kept; /* the vault's last line */
	bool walks_started;
	struct walk fwd, sweep;
	unsigned calls; /* GetBlock calls this round */
	uint64_t rng;
	struct audit_summary sum;
};

static const char *const kind_names[AUDIT_KIND_COUNT] = {
	[AUDIT_CONTINUITY] = "continuity", [AUDIT_BLOCK_SELF_CHECK] = "block-self-check",
	[AUDIT_CHAIN] = "chain",	   [AUDIT_SAMPLE_PROOF] = "sample-proof",
	[AUDIT_VAULT] = "vault",
};
static const char *const result_names[AUDIT_RESULT_COUNT] = {
	[AUDIT_VERIFIED] = "VERIFIED",
	[AUDIT_FAILED] = "FAILED",
	[AUDIT_UNVERIFIED] = "UNVERIFIED",
};

const char *audit_kind_name(enum audit_kind k)
{
	return (unsigned)k < AUDIT_KIND_COUNT ? kind_names[k] : "?";
}

const char *audit_result_name(enum audit_result r)
{
	return (unsigned)r < AUDIT_RESULT_COUNT ? result_names[r] : "?";
}

static double clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: the default random source (sampling needs spread, not
 * secrecy: a server cannot see which block will be asked next anyway). */
static uint64_t default_rand(void *ctx)
{
	uint64_t *s = ctx;
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* printf into a fixed buffer, truncating (messages embed verify/'s). */
static void line_set(char *dst, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line_set(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
}

/* Emit one event (message printf-style, kept to one line) and count it. */
static void emit(struct auditor *a, enum audit_kind kind, enum audit_result result,
		 const char *strand, int64_t seq, int64_t seq_to, const char *expected,
		 const char *computed, const char *fmt, ...) __attribute__((format(printf, 9, 10)));
static void emit(struct auditor *a, enum audit_kind kind, enum audit_result result,
		 const char *strand, int64_t seq, int64_t seq_to, const char *expected,
		 const char *computed, const char *fmt, ...)
{
	struct audit_event e;
	memset(&e, 0, sizeof e);
	e.kind = kind;
	e.result = result;
	snprintf(e.ledger, sizeof e.ledger, "%s", a->ledger);
	snprintf(e.strand, sizeof e.strand, "%s", strand ? strand : "");
	e.seq = seq;
	e.seq_to = seq_to;
	snprintf(e.expected, sizeof e.expected, "%s", expected ? expected : "");
	snprintf(e.computed, sizeof e.computed, "%s", computed ? computed : "");
	e.time = a->cfg.now();
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	for (char *c = e.message; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	a->sum.counts[result]++;
	a->sum.kind_counts[kind][result]++;
	a->sum.last_event = e.time;
	if (a->cfg.emit)
		a->cfg.emit(a->cfg.emit_ctx, &e);
}

static void b64(const struct qldb_hash *h, char out[AUDIT_HASH_B64_MAX])
{
	char t[QLDB_HASH_B64_LEN];
	snprintf(out, AUDIT_HASH_B64_MAX, "%s", qldb_hash_b64(h, t));
}

static struct qldb_hash digest_hash(const struct qldb_digest *d)
{
	struct qldb_hash h = { .len = 32 };
	memcpy(h.b, d->digest, 32);
	return h;
}

/* "expected X computed Y" from a verify/ failure message, when there. */
static void evidence_from(const char *msg, char exp[AUDIT_HASH_B64_MAX],
			  char got[AUDIT_HASH_B64_MAX])
{
	static const char *const keys[2] = { "expected ", "computed " };
	char *outs[2] = { exp, got };
	for (int i = 0; i < 2; i++) {
		outs[i][0] = '\0';
		const char *p = strstr(msg, keys[i]);
		if (!p)
			continue;
		p += strlen(keys[i]);
		size_t n = strcspn(p, " ,;)");
		if (n && n < AUDIT_HASH_B64_MAX) {
			memcpy(outs[i], p, n);
			outs[i][n] = '\0';
		}
	}
}

/* What one GetBlock answer proved. */
struct blk {
	bool ok; /* fetched and read as a block; else why says what stopped it */
	char why[AUDIT_MESSAGE_MAX];
	struct qldb_address addr; /* as the block says */
	bool addr_match;	  /* exactly the block asked for */
	struct qldb_hash block_hash, prev_hash;
	enum audit_result self;
	char self_msg[AUDIT_MESSAGE_MAX];
	char self_exp[AUDIT_HASH_B64_MAX], self_got[AUDIT_HASH_B64_MAX];
	enum audit_result proof; /* the fold to the digest (and the tip's cover) */
	char proof_msg[AUDIT_MESSAGE_MAX];
	struct qldb_hash folded;
};

/* The self-check's report: the first failure and note, counted. */
struct tally {
	size_t failures, notes;
	struct qldb_failure first;
	char note[QLDB_MESSAGE_MAX];
};

static void tally_fail(void *ctx, const struct qldb_failure *f)
{
	struct tally *t = ctx;
	if (!t->failures++)
		t->first = *f;
}

static void tally_note(void *ctx, const char *line)
{
	struct tally *t = ctx;
	if (!t->notes++)
		line_set(t->note, sizeof t->note, "%s", line);
}

static void address_ion(char *out, size_t cap, const char *strand, int64_t seq)
{
	snprintf(out, cap, "{strandId:\"%s\",sequenceNo:%lld}", strand, (long long)seq);
}

/* Self-check the Block IonText of an answer into b. 0, or -1 (why) when
 * it is not a block at all. */
static int block_check(struct auditor *a, const char *text, size_t len, struct blk *b)
{
	struct ion_arena *arena;
	const struct ion_value *v = NULL;
	char why[QLDB_MESSAGE_MAX];
	if (ion_parse_one_alloc((const uint8_t *)text, len, "Block IonText", &arena, &v, why,
				sizeof why)) {
		ion_arena_free(arena);
		line_set(b->why, sizeof b->why, "%s", why);
		return -1;
	}
	struct tally t = { 0 };
	struct qldb_report rep = { .fail = tally_fail, .note = tally_note, .ctx = &t };
	struct qldb_block_result r;
	int rc = qldb_block_check(a->chk, v, QLDB_MODE_ION, &rep, &r);
	ion_arena_free(arena);
	if (rc != 0 || (t.failures && t.first.kind == QLDB_CHECK_FORMAT)) {
		line_set(b->why, sizeof b->why, "Block IonText is not a block: %s",
			 t.failures ? t.first.message : "unreadable");
		return -1;
	}
	b->addr = r.addr;
	b->block_hash = r.block_hash;
	b->prev_hash = r.previous_hash;
	if (t.failures) {
		b->self = AUDIT_FAILED;
		line_set(b->self_msg, sizeof b->self_msg, "%s%s", t.first.message,
			 t.failures > 1 ? " (and more checks failed)" : "");
		evidence_from(t.first.message, b->self_exp, b->self_got);
	} else if (t.notes) {
		b->self = AUDIT_UNVERIFIED;
		line_set(b->self_msg, sizeof b->self_msg, "not everything was recomputed: %s",
			 t.note);
	} else {
		b->self = AUDIT_VERIFIED;
		line_set(b->self_msg, sizeof b->self_msg,
			 "%zu revision%s recomputed, entriesHash and blockHash recomputed",
			 r.recomputed, r.recomputed == 1 ? "" : "s");
	}
	return 0;
}

/* GetBlock(strand:seq, tip of d) and everything it proves, into b. */
static void block_fetch(struct auditor *a, const char *strand, int64_t seq,
			const struct qldb_digest *d, struct blk *b)
{
	memset(b, 0, sizeof *b);
	b->self = b->proof = AUDIT_UNVERIFIED;
	a->calls++;
	char ion[QLDB_TIP_MAX];
	address_ion(ion, sizeof ion, strand, seq);
	char *json = NULL;
	size_t len = 0;
	struct api_error err;
	api_error_clear(&err);
	if (a->cfg.ops->get_block(a->cfg.ops_ctx, a->ledger, ion, d->tip_ion, &json, &len, &err)) {
		line_set(b->why, sizeof b->why, "%s", err.msg[0] ? err.msg : "GetBlock failed");
		free(json);
		return;
	}
	struct qldb_proof_response resp;
	if (!json || qldb_parse_proof_response(json, len, &resp, &err)) {
		line_set(b->why, sizeof b->why, "GetBlock %s:%lld: %s", strand, (long long)seq,
			 json ? err.msg : "no answer");
		free(json);
		return;
	}
	if (!resp.block_text || !resp.proof_text) {
		line_set(b->why, sizeof b->why, "GetBlock %s:%lld: the answer has no %s", strand,
			 (long long)seq, resp.block_text ? "Proof" : "Block");
		goto out;
	}
	if (block_check(a, resp.block_text, resp.block_len, b))
		goto out;
	b->ok = true;
	b->addr_match = strcmp(b->addr.strand, strand) == 0 && b->addr.seq == seq;

	/* the proof: the digest's tip covers the address, the fold gives it */
	struct qldb_hash proof[QLDB_PROOF_MAX];
	char why[QLDB_MESSAGE_MAX];
	int n = qldb_proof_parse(resp.proof_text, resp.proof_len, proof, QLDB_PROOF_MAX, why,
				 sizeof why);
	struct qldb_hash want = digest_hash(d);
	char e[AUDIT_HASH_B64_MAX], g[AUDIT_HASH_B64_MAX];
	if (n < 0) {
		line_set(b->proof_msg, sizeof b->proof_msg, "%s", why);
	} else if (strcmp(b->addr.strand, d->strand_id) != 0 ||
		   (uint64_t)b->addr.seq > d->sequence_no) {
		b->proof = AUDIT_FAILED;
		line_set(b->proof_msg, sizeof b->proof_msg,
			 "block %s:%lld is not covered by the digest tip %s:%llu", b->addr.strand,
			 (long long)b->addr.seq, d->strand_id, (unsigned long long)d->sequence_no);
	} else if (qldb_proof_fold(qldb_checker_sha(a->chk), &b->block_hash, proof, (size_t)n, NULL,
				   &b->folded)) {
		line_set(b->proof_msg, sizeof b->proof_msg, "SHA-256 failed");
	} else if (!qldb_hash_equal(&b->folded, &want)) {
		b->proof = AUDIT_FAILED;
		b64(&want, e);
		b64(&b->folded, g);
		line_set(b->proof_msg, sizeof b->proof_msg,
			 "folding %d proof hashes from blockHash gives %s, not the digest %s at "
			 "tip %s:%llu",
			 n, g, e, d->strand_id, (unsigned long long)d->sequence_no);
	} else {
		b->proof = AUDIT_VERIFIED;
		line_set(b->proof_msg, sizeof b->proof_msg,
			 "blockHash folds through %d proof hashes to the digest at tip %s:%llu", n,
			 d->strand_id, (unsigned long long)d->sequence_no);
	}
out:
	qldb_proof_response_free(&resp);
	free(json);
}

/* The block-self-check event of a block read from an answer. */
static void emit_self(struct auditor *a, const struct blk *b)
{
	emit(a, AUDIT_BLOCK_SELF_CHECK, b->self, b->addr.strand, b->addr.seq, -1, b->self_exp,
	     b->self_got, "block %s:%lld: %s", b->addr.strand, (long long)b->addr.seq, b->self_msg);
}

/* "asked for S:N, the answer is block S':N'" when they differ. */
static bool wrong_block(const struct blk *b, const char *strand, int64_t seq, char *msg, size_t cap)
{
	if (b->addr_match)
		return false;
	line_set(msg, cap, "GetBlock asked for block %s:%lld but the answer is block %s:%lld",
		 strand, (long long)seq, b->addr.strand, (long long)b->addr.seq);
	return true;
}

/* Check 1, from digest P (tip t1) to digest N (tip t2). origin prefixes
 * the message ("" or "vault FILE line L: "). *t1_hash gets block t1's
 * proven blockHash when the result is VERIFIED by two fetches. */
static enum audit_result continuity(struct auditor *a, const struct qldb_digest *p,
				    const struct qldb_digest *n, const char *origin,
				    const char *unproven, struct qldb_hash *t1_hash,
				    bool *has_t1_hash)
{
	const char *s = p->strand_id;
	int64_t t1 = (int64_t)p->sequence_no, t2 = (int64_t)n->sequence_no;
	char e[AUDIT_HASH_B64_MAX], g[AUDIT_HASH_B64_MAX], msg[AUDIT_MESSAGE_MAX];
	*has_t1_hash = false;
	if (strcmp(p->strand_id, n->strand_id) != 0) {
		emit(a, AUDIT_CONTINUITY, AUDIT_FAILED, s, t1, t2, p->digest_b64, n->digest_b64,
		     "%sthe digest tip moved from strand %s to strand %s", origin, p->strand_id,
		     n->strand_id);
		return AUDIT_FAILED;
	}
	if (t2 < t1) {
		emit(a, AUDIT_CONTINUITY, AUDIT_FAILED, s, t1, t2, p->digest_b64, n->digest_b64,
		     "%sthe digest tip went backwards from %s:%lld to %s:%lld", origin, s,
		     (long long)t1, s, (long long)t2);
		return AUDIT_FAILED;
	}
	if (t2 == t1) {
		bool same = memcmp(p->digest, n->digest, QLDB_DIGEST_BYTES) == 0;
		emit(a, AUDIT_CONTINUITY,
		     !same	? AUDIT_FAILED
		     : unproven ? AUDIT_UNVERIFIED
				: AUDIT_VERIFIED,
		     s, t1, t2, p->digest_b64, n->digest_b64,
		     same ? "%sthe tip %s:%lld did not move and the digest is the same%s%s"
			  : "%sthe same tip %s:%lld has a different digest%s%s",
		     origin, s, (long long)t1, same && unproven ? ", but " : "",
		     same && unproven ? unproven : "");
		return same ? AUDIT_VERIFIED : AUDIT_FAILED;
	}
	struct blk A, B; /* block t1 proven to N, and to P */
	block_fetch(a, s, t1, n, &A);
	block_fetch(a, s, t1, p, &B);
	if (A.ok)
		emit_self(a, &A);
	if (B.ok && (!A.ok || B.self != A.self || !qldb_hash_equal(&A.block_hash, &B.block_hash)))
		emit_self(a, &B);
	if (!A.ok || !B.ok) {
		emit(a, AUDIT_CONTINUITY, AUDIT_UNVERIFIED, s, t1, t2, NULL, NULL,
		     "%s%s:%lld -> %s:%lld not proven: %s", origin, s, (long long)t1, s,
		     (long long)t2, !A.ok ? A.why : B.why);
		return AUDIT_UNVERIFIED;
	}
	if (wrong_block(&A, s, t1, msg, sizeof msg) || wrong_block(&B, s, t1, msg, sizeof msg)) {
		emit(a, AUDIT_CONTINUITY, AUDIT_FAILED, s, t1, t2, NULL, NULL, "%s%s", origin, msg);
		return AUDIT_FAILED;
	}
	if (B.proof != AUDIT_VERIFIED) {
		b64(&B.folded, g);
		emit(a, AUDIT_CONTINUITY, B.proof, s, t1, t2, p->digest_b64,
		     B.proof == AUDIT_FAILED ? g : NULL,
		     "%sblock %s:%lld no longer proves against the earlier digest at tip %s:%lld "
		     "(%s)%s",
		     origin, s, (long long)t1, s, (long long)t1, B.proof_msg,
		     B.proof == AUDIT_FAILED ? ": the history up to it was rewritten" : "");
		return B.proof;
	}
	if (A.proof != AUDIT_VERIFIED) {
		b64(&A.folded, g);
		emit(a, AUDIT_CONTINUITY, A.proof, s, t1, t2, n->digest_b64,
		     A.proof == AUDIT_FAILED ? g : NULL,
		     "%sblock %s:%lld of the earlier digest does not prove against the new digest "
		     "at tip %s:%lld (%s)",
		     origin, s, (long long)t1, s, (long long)t2, A.proof_msg);
		return A.proof;
	}
	if (!qldb_hash_equal(&A.block_hash, &B.block_hash)) {
		b64(&B.block_hash, e);
		b64(&A.block_hash, g);
		emit(a, AUDIT_CONTINUITY, AUDIT_FAILED, s, t1, t2, e, g,
		     "%sblock %s:%lld has one blockHash under the tip %s:%lld and another under "
		     "%s:%lld",
		     origin, s, (long long)t1, s, (long long)t1, s, (long long)t2);
		return AUDIT_FAILED;
	}
	b64(&A.block_hash, g);
	emit(a, AUDIT_CONTINUITY, unproven ? AUDIT_UNVERIFIED : AUDIT_VERIFIED, s, t1, t2, g, g,
	     "%sblock %s:%lld (blockHash %s) proves against both digests%s%s", origin, s,
	     (long long)t1, g, unproven ? ", but " : "", unproven ? unproven : "");
	*t1_hash = A.block_hash;
	*has_t1_hash = true;
	return AUDIT_VERIFIED;
}

/* One step of a walk: fetch w->next proven to n, self-check, link.
 * Returns -1 when the fetch failed (the walk stops for this round). */
static int walk_step(struct auditor *a, struct walk *w, const struct qldb_digest *n,
		     const char *name)
{
	const char *s = n->strand_id;
	int64_t seq = w->next;
	struct blk b;
	char msg[AUDIT_MESSAGE_MAX], e[AUDIT_HASH_B64_MAX], g[AUDIT_HASH_B64_MAX];
	block_fetch(a, s, seq, n, &b);
	if (!b.ok) {
		emit(a, AUDIT_CHAIN, AUDIT_UNVERIFIED, s, seq, -1, NULL, NULL,
		     "%s: block %s:%lld not proven: %s", name, s, (long long)seq, b.why);
		return -1;
	}
	emit_self(a, &b);
	enum audit_result r = AUDIT_VERIFIED;
	if (wrong_block(&b, s, seq, msg, sizeof msg)) {
		r = AUDIT_FAILED;
		emit(a, AUDIT_CHAIN, r, s, seq, -1, NULL, NULL, "%s: %s", name, msg);
	} else if (b.proof != AUDIT_VERIFIED) {
		r = b.proof;
		b64(&b.folded, g);
		emit(a, AUDIT_CHAIN, r, s, seq, -1, n->digest_b64, r == AUDIT_FAILED ? g : NULL,
		     "%s: block %s:%lld: %s", name, s, (long long)seq, b.proof_msg);
	} else if (w->has_prev && !qldb_hash_equal(&w->prev, &b.prev_hash)) {
		r = AUDIT_FAILED;
		b64(&w->prev, e);
		b64(&b.prev_hash, g);
		emit(a, AUDIT_CHAIN, r, s, seq, -1, e, g,
		     "%s: block %s:%lld: previousBlockHash is not the blockHash of block %lld",
		     name, s, (long long)seq, (long long)(seq - 1));
	} else {
		emit(a, AUDIT_CHAIN, r, s, seq, -1, NULL, NULL, "%s: block %s:%lld: %s%s", name, s,
		     (long long)seq, b.proof_msg,
		     w->has_prev ? ", previousBlockHash links to the block before"
				 : " (first block of this walk: no link checked)");
	}
	w->has_prev = r == AUDIT_VERIFIED;
	if (w->has_prev)
		w->prev = b.block_hash;
	w->next = seq + 1;
	if (w->acc_valid &&
	    (r != AUDIT_VERIFIED || w->acc.count != (uint64_t)seq ||
	     qldb_merkle_acc_push(qldb_checker_sha(a->chk), &w->acc, &b.block_hash)))
		w->acc_valid = false;
	return 0;
}

/* A sweep that walked 0..t2 whole: Merkle(blockHash 0..t2) must be the
 * digest at t2 (F9), which proves each block's position in the tree. */
static void sweep_close(struct auditor *a, struct walk *w, const struct qldb_digest *n)
{
	int64_t t2 = (int64_t)n->sequence_no;
	if (!w->acc_valid || w->acc.count != (uint64_t)t2 + 1)
		return;
	w->acc_valid = false;
	struct qldb_hash root, want = digest_hash(n);
	char e[AUDIT_HASH_B64_MAX], g[AUDIT_HASH_B64_MAX];
	if (qldb_merkle_acc_root(qldb_checker_sha(a->chk), &w->acc, &root))
		return;
	b64(&want, e);
	b64(&root, g);
	bool same = qldb_hash_equal(&root, &want);
	emit(a, AUDIT_CHAIN, same ? AUDIT_VERIFIED : AUDIT_FAILED, n->strand_id, 0, t2, e, g,
	     same ? "sweep: Merkle(blockHash 0..%lld) of the walked blocks is the digest: every "
		    "block is at its position"
		  : "sweep: Merkle(blockHash 0..%lld) of the walked blocks is not the digest",
	     (long long)t2);
}

/* A random older block (at or before older_tip) proven against n. */
static void sample_one(struct auditor *a, const struct qldb_digest *n, int64_t older_tip)
{
	const char *s = n->strand_id;
	int64_t seq = (int64_t)(a->cfg.rand(a->cfg.rand_ctx) % (uint64_t)(older_tip + 1));
	struct blk b;
	char msg[AUDIT_MESSAGE_MAX], g[AUDIT_HASH_B64_MAX];
	block_fetch(a, s, seq, n, &b);
	if (!b.ok) {
		emit(a, AUDIT_SAMPLE_PROOF, AUDIT_UNVERIFIED, s, seq, -1, NULL, NULL,
		     "block %s:%lld not proven: %s", s, (long long)seq, b.why);
		return;
	}
	emit_self(a, &b);
	if (wrong_block(&b, s, seq, msg, sizeof msg)) {
		emit(a, AUDIT_SAMPLE_PROOF, AUDIT_FAILED, s, seq, -1, NULL, NULL, "%s", msg);
		return;
	}
	b64(&b.folded, g);
	emit(a, AUDIT_SAMPLE_PROOF, b.proof, s, seq, -1, n->digest_b64,
	     b.proof == AUDIT_UNVERIFIED ? NULL : g, "block %s:%lld: %s", s, (long long)seq,
	     b.proof_msg);
}

struct auditor *auditor_new(const struct audit_config *cfg, struct api_error *err)
{
	api_error_clear(err);
	if (!cfg || !cfg->ledger || !qldb_name_is_valid(cfg->ledger)) {
		api_error_set(err, API_ERR_CONFIG, "auditor: '%.40s' is not a valid ledger name",
			      cfg && cfg->ledger ? cfg->ledger : "");
		return NULL;
	}
	if (!cfg->ops || !cfg->ops->get_digest || !cfg->ops->get_block) {
		api_error_set(err, API_ERR_CONFIG, "auditor %s: no fetch functions", cfg->ledger);
		return NULL;
	}
	struct auditor *a = calloc(1, sizeof *a);
	if (!a || !(a->chk = qldb_checker_new())) {
		free(a);
		api_error_set(err, API_ERR_NOMEM, "auditor %s: out of memory", cfg->ledger);
		return NULL;
	}
	a->cfg = *cfg;
	snprintf(a->ledger, sizeof a->ledger, "%s", cfg->ledger);
	a->cfg.ledger = a->ledger;
	if (!a->cfg.budget)
		a->cfg.budget = AUDIT_DEFAULT_BUDGET;
	if (a->cfg.samples_off)
		a->cfg.samples = 0;
	else if (!a->cfg.samples)
		a->cfg.samples = AUDIT_DEFAULT_SAMPLES;
	if (!a->cfg.now)
		a->cfg.now = clock_now;
	if (!a->cfg.rand) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		a->rng = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
			 ((uint64_t)getpid() << 40);
		a->cfg.rand = default_rand;
		a->cfg.rand_ctx = &a->rng;
	}
	snprintf(a->sum.ledger, sizeof a->sum.ledger, "%s", a->ledger);
	a->sum.walked_to = -1;
	return a;
}

void auditor_free(struct auditor *a)
{
	if (!a)
		return;
	qldb_checker_free(a->chk);
	free(a);
}

/* The first round: the vault's problems, and its last digest as t1. */
static void vault_start(struct auditor *a, char *origin, size_t cap, size_t *bad_line)
{
	*bad_line = 0;
	if (!a->cfg.vault)
		return;
	struct vault *v = a->cfg.vault;
	size_t np = vault_problem_count(v);
	for (size_t i = 0; i < np && i < VAULT_PROBLEMS_MAX; i++) {
		const struct vault_problem *p = vault_problem_get(v, i);
		emit(a, AUDIT_VAULT, AUDIT_UNVERIFIED, NULL, -1, -1, NULL, NULL,
		     "%s: the vault's continuity is UNVERIFIED past this line", p->message);
		*bad_line = p->line > *bad_line ? p->line : *bad_line;
	}
	if (np > VAULT_PROBLEMS_MAX)
		emit(a, AUDIT_VAULT, AUDIT_UNVERIFIED, NULL, -1, -1, NULL, NULL,
		     "vault %s: %zu more lines do not read", vault_file(v),
		     np - VAULT_PROBLEMS_MAX);
	struct vault_entry last;
	if (vault_last(v, &last)) {
		a->anchor = last.digest;
		a->has_anchor = true;
		a->kept = last.digest;
		a->has_kept = true;
		snprintf(origin, cap, "vault %s line %zu: ", vault_file(v), last.line);
	}
}

void auditor_round_digest(struct auditor *a, const struct qldb_digest *d)
{
	const struct qldb_digest n = *d;
	const char *s = n.strand_id;
	int64_t t2 = (int64_t)n.sequence_no;
	char origin[VAULT_PATH_MAX + 64] = "";
	size_t bad_line = 0, anchor_line = 0;
	a->calls = 0;
	a->sum.rounds++;
	bool first = !a->started;
	a->started = true;
	if (first) {
		vault_start(a, origin, sizeof origin, &bad_line);
		struct vault_entry last;
		if (a->cfg.vault && vault_last(a->cfg.vault, &last))
			anchor_line = last.line;
	}
	/* older blocks for sampling: those before this round's new ones */
	int64_t older = a->has_anchor && strcmp(a->anchor.strand_id, s) == 0 &&
					(int64_t)a->anchor.sequence_no < t2
				? (int64_t)a->anchor.sequence_no
				: t2;

	int64_t t1_before = a->has_anchor ? (int64_t)a->anchor.sequence_no : -1;
	bool had_anchor = a->has_anchor;
	/* 1. continuity */
	enum audit_result cont = AUDIT_UNVERIFIED;
	struct qldb_hash t1_hash;
	bool has_t1_hash = false;
	if (a->has_anchor) {
		int64_t t1 = (int64_t)a->anchor.sequence_no;
		/* proven from the last good line, but a line after it is damaged:
		 * what the vault held there is unknown, so this is not VERIFIED
		 * (the proof still moves the anchor) */
		char unproven[96];
		snprintf(unproven, sizeof unproven,
			 "line %zu after it does not read: the vault's continuity past it is "
			 "UNVERIFIED",
			 bad_line);
		cont = continuity(a, &a->anchor, &n, origin,
				  first && bad_line > anchor_line ? unproven : NULL, &t1_hash,
				  &has_t1_hash);
		if (cont == AUDIT_VERIFIED) {
			if (a->walks_started && has_t1_hash && a->fwd.next == t1 + 1 &&
			    !a->fwd.has_prev) {
				a->fwd.prev = t1_hash;
				a->fwd.has_prev = true;
			}
			a->anchor = n;
		} else if (cont == AUDIT_FAILED) {
			/* the anchor stays (the last proven digest); walks restart */
			a->fwd.has_prev = a->sweep.has_prev = a->sweep.acc_valid = false;
		}
	} else {
		emit(a, AUDIT_CONTINUITY, AUDIT_UNVERIFIED, s, -1, t2, NULL, NULL,
		     "first digest (tip %s:%lld): no earlier digest to prove it continues%s", s,
		     (long long)t2, a->cfg.vault ? " (the vault is empty)" : " (no vault)");
		a->anchor = n;
		a->has_anchor = true;
	}
	/* The vault keeps the digests the auditor accepted: the first one, and
	 * each proven to continue the last. A digest that failed or could not
	 * be proven is not kept, so a restart proves again from the last good
	 * one (a fork stays FAILED across restarts); an unchanged digest is
	 * not written twice. */
	bool accept = cont == AUDIT_VERIFIED || !had_anchor;
	bool again = a->has_kept && memcmp(a->kept.digest, n.digest, QLDB_DIGEST_BYTES) == 0 &&
		     strcmp(a->kept.tip_ion, n.tip_ion) == 0;
	if (a->cfg.vault && accept && !again) {
		struct api_error err;
		if (!vault_append(a->cfg.vault, &n, a->cfg.now(), &err)) {
			a->kept = n;
			a->has_kept = true;
		} else
			emit(a, AUDIT_VAULT, AUDIT_UNVERIFIED, s, t2, -1, NULL, NULL,
			     "the digest at tip %s:%lld was not kept: %s", s, (long long)t2,
			     err.msg);
	}

	/* 3. walks within the budget: forward first, samples kept aside */
	if (!a->walks_started) {
		a->walks_started = true;
		a->sweep.next = 0;
		/* after a vault start, the blocks written while away come first */
		a->fwd.has_prev = cont == AUDIT_VERIFIED && has_t1_hash;
		a->fwd.next = a->fwd.has_prev ? t1_before + 1 : t2 + 1;
		if (a->fwd.has_prev)
			a->fwd.prev = t1_hash;
	}
	if (a->fwd.next > t2 + 1) { /* the tip is behind the walk: history changed */
		a->fwd.next = t2 + 1;
		a->fwd.has_prev = false;
	}
	unsigned budget = a->cfg.budget;
	unsigned left = budget > a->calls ? budget - a->calls : 0;
	unsigned nsamp = a->cfg.samples < left ? a->cfg.samples : left;
	unsigned fwd_limit = a->calls + (left - nsamp);
	while (a->fwd.next <= t2 && a->calls < fwd_limit)
		if (walk_step(a, &a->fwd, &n, "walk"))
			break;
	if (a->fwd.next <= t2)
		emit(a, AUDIT_CHAIN, AUDIT_UNVERIFIED, s, a->fwd.next, t2, NULL, NULL,
		     "walk: blocks %s:%lld..%lld not walked yet (%u GetBlock calls per digest); "
		     "they are walked on later rounds",
		     s, (long long)a->fwd.next, (long long)t2, budget);
	for (unsigned i = 0; i < nsamp && a->calls < budget; i++)
		sample_one(a, &n, older);
	/* the sweep: from genesis, cyclic, at most one pass per round */
	int64_t swept = 0;
	while (a->calls < budget && swept <= t2) {
		if (a->sweep.next > t2) {
			a->sweep.next = 0;
			a->sweep.has_prev = false;
		}
		if (a->sweep.next == 0) {
			memset(&a->sweep.acc, 0, sizeof a->sweep.acc);
			a->sweep.acc_valid = true;
		}
		swept++;
		if (walk_step(a, &a->sweep, &n, "sweep"))
			break;
		if (a->sweep.next == t2 + 1)
			sweep_close(a, &a->sweep, &n);
	}

	a->sum.has_tip = a->has_anchor;
	snprintf(a->sum.tip_strand, sizeof a->sum.tip_strand, "%s", a->anchor.strand_id);
	a->sum.tip_seq = (int64_t)a->anchor.sequence_no;
	snprintf(a->sum.digest_b64, sizeof a->sum.digest_b64, "%s", a->anchor.digest_b64);
	a->sum.walked_to = a->fwd.next - 1;
	a->sum.unwalked = t2 - a->fwd.next + 1 > 0 ? t2 - a->fwd.next + 1 : 0;
}

int auditor_round(struct auditor *a)
{
	struct qldb_digest d;
	struct api_error err;
	api_error_clear(&err);
	int rc = a->cfg.ops->get_digest(a->cfg.ops_ctx, a->ledger, &d, &err);
	if (rc) {
		a->sum.rounds++;
		emit(a, AUDIT_CONTINUITY, AUDIT_UNVERIFIED, NULL, -1, -1, NULL, NULL,
		     "no digest this round: %s", err.msg[0] ? err.msg : "GetDigest failed");
		return rc;
	}
	auditor_round_digest(a, &d);
	return 0;
}

void auditor_summary(const struct auditor *a, struct audit_summary *out)
{
	*out = a->sum;
}
