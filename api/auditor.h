/*
 * auditor.h - the ledger auditor: for each new digest, the checks of
 * DESIGN.md §Verification, reported as audit events with their evidence.
 *
 *   continuity        D(t1) -> D(t2): GetBlock(t1, tip t2) folds to D(t2),
 *                     GetBlock(t1, tip t1) folds to D(t1), same blockHash,
 *                     both answers are block t1 exactly. t2 == t1 needs
 *                     equal digests; t2 < t1 or another strand is FAILED.
 *                     The first round starts from the vault's last digest
 *                     when there is one (a history rewritten while qldbtop
 *                     was not running is caught).
 *   block-self-check  every block fetched: verify/'s qldb_block_check.
 *   chain             new blocks since t1 walked forward, each proven
 *                     against the newest digest and linked by
 *                     previousBlockHash; a sweep from genesis spends what
 *                     budget is left (cyclic, so a small journal is walked
 *                     whole every round or two); a sweep that walked
 *                     0..tip whole recomputes Merkle(blockHash 0..tip) and
 *                     compares it with the digest, proving every block's
 *                     position (proofs alone carry no left/right flags).
 *                     What the budget did not reach is one UNVERIFIED
 *                     event and is walked later.
 *   sample-proof      a few random older blocks proven against the newest
 *                     digest (random source injectable).
 *   vault             the vault's own problems (a corrupt line, a failed
 *                     append). The vault keeps the digests the auditor
 *                     accepted (the first, then each proven to continue
 *                     the last; an unchanged one once), so after a FAILED
 *                     round a restart proves from the last good digest
 *                     and fails again.
 *
 * Results: VERIFIED only for what was proven; FAILED only for an
 * integrity failure shown with its evidence; anything not proven,
 * including every check a fetch error stopped (transport, throttling,
 * a service error, an answer that does not parse), is UNVERIFIED.
 *
 * Fetches go through struct audit_ops, so tests plug in the sim journal
 * and production uses qldb_proofs_audit_ops (api/qldb_proofs.h).
 *
 * Threads: an auditor is used by one thread; events are plain values
 * (fixed buffers) that the emit callback may copy anywhere. Ownership:
 * auditor_new copies cfg (the ops table, contexts and vault are borrowed
 * and must outlive the auditor); auditor_free releases it.
 */
#ifndef QLDBTOP_API_AUDITOR_H
#define QLDBTOP_API_AUDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/qldb.h"

#define AUDIT_MESSAGE_MAX 320	/* one line */
#define AUDIT_DEFAULT_BUDGET 20 /* GetBlock calls per digest round */
#define AUDIT_DEFAULT_SAMPLES 3 /* random older blocks proven per round */
#define AUDIT_HASH_B64_MAX 48	/* base64 of 32 bytes (44) and its NUL */

enum audit_kind {
	AUDIT_CONTINUITY,
	AUDIT_BLOCK_SELF_CHECK,
	AUDIT_CHAIN,
	AUDIT_SAMPLE_PROOF,
	AUDIT_VAULT,
	AUDIT_KIND_COUNT
};
enum audit_result { AUDIT_VERIFIED, AUDIT_FAILED, AUDIT_UNVERIFIED, AUDIT_RESULT_COUNT };

/* "continuity", "block-self-check", "chain", "sample-proof", "vault". */
const char *audit_kind_name(enum audit_kind k);
/* "VERIFIED", "FAILED", "UNVERIFIED". */
const char *audit_result_name(enum audit_result r);

struct audit_event {
	enum audit_kind kind;
	enum audit_result result;
	char ledger[QLDB_NAME_MAX + 1];
	char strand[QLDB_STRAND_MAX + 1];  /* "" when no block is named */
	int64_t seq;			   /* block sequence number; -1 when none */
	int64_t seq_to;			   /* continuity: the new tip (seq is the old); else -1 */
	char expected[AUDIT_HASH_B64_MAX]; /* base64, "" when not applicable */
	char computed[AUDIT_HASH_B64_MAX];
	double time; /* epoch seconds */
	char message[AUDIT_MESSAGE_MAX];
};

/* The fetches. Each returns 0 or a negative api_status with err filled.
 * get_block returns the raw GetBlock answer JSON (malloc'd, NUL at
 * (*json)[*len], freed by the auditor with free()); tip_ion may be NULL. */
struct audit_ops {
	int (*get_digest)(void *ctx, const char *ledger, struct qldb_digest *out,
			  struct api_error *err);
	int (*get_block)(void *ctx, const char *ledger, const char *block_ion, const char *tip_ion,
			 char **json, size_t *len, struct api_error *err);
};

struct vault;
struct audit_config {
	const char *ledger; /* copied */
	const struct audit_ops *ops;
	void *ops_ctx;
	void (*emit)(void *ctx, const struct audit_event *e); /* may be NULL */
	void *emit_ctx;
	unsigned budget;  /* GetBlock calls per round; 0 = AUDIT_DEFAULT_BUDGET */
	unsigned samples; /* 0 = AUDIT_DEFAULT_SAMPLES; samples_off for none */
	bool samples_off;
	uint64_t (*rand)(void *ctx); /* NULL: a generator seeded from the clock */
	void *rand_ctx;
	double (*now)(void); /* epoch seconds; NULL: the wall clock */
	struct vault *vault; /* NULL: no vault */
};

/* Per ledger, for the dashboard. */
struct audit_summary {
	char ledger[QLDB_NAME_MAX + 1];
	bool has_tip;			      /* a digest has been proven (or taken as the start) */
	char tip_strand[QLDB_STRAND_MAX + 1]; /* the last proven tip */
	int64_t tip_seq;
	char digest_b64[AUDIT_HASH_B64_MAX];
	uint64_t rounds;
	uint64_t counts[AUDIT_RESULT_COUNT];			    /* events by result */
	uint64_t kind_counts[AUDIT_KIND_COUNT][AUDIT_RESULT_COUNT]; /* by kind and result */
	int64_t walked_to; /* the forward walk reached this block; -1 before any */
	int64_t unwalked;  /* blocks up to the newest tip not walked yet */
	double last_event; /* epoch seconds; 0 before any */
};

struct auditor;
/* NULL with err filled (no ledger, a bad name, no ops, out of memory). */
struct auditor *auditor_new(const struct audit_config *cfg, struct api_error *err);
void auditor_free(struct auditor *a);

/* One round: GetDigest, then every check. Returns 0, or the GetDigest
 * status when no digest came (one UNVERIFIED continuity event says so). */
int auditor_round(struct auditor *a);
/* One round on a digest the caller already fetched (the digest poller). */
void auditor_round_digest(struct auditor *a, const struct qldb_digest *d);

void auditor_summary(const struct auditor *a, struct audit_summary *out);

#endif
