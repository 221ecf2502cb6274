/*
 * journal_record.h - how a journal is written to its durable log
 * (sim/datalog.h): the bytes of each record type, encoded and decoded
 * field by field (little-endian, no struct dumps), so a log written on one
 * build reads on another.
 *
 *   HEADER  (once, first): seed u64, strand id (22 bytes)
 *   BLOCK   (one per block): seq u64, time_ms i64, rng state u64 after the
 *           block, blockHash 32, entriesHash 32, previousBlockHash length
 *           u8 (0 or 32) and bytes, text length u32 and the block's Ion
 *           text, aux length u32 and aux bytes (the committer's state, e.g.
 *           the workload's, not hashed), then a redaction flag u8 and,
 *           when 1, the redacted revision: block seq u64, document id (22
 *           bytes), version u64 (replay redacts it again)
 *
 * The log's own checksums catch damaged bytes; the journal also checks on
 * replay that each block links to the one before (previousBlockHash) and
 * that blockHash = dot(entriesHash, previousBlockHash).
 * Pure. Decoded records borrow the input bytes.
 */
#ifndef QLDBTOP_SIM_JOURNAL_RECORD_H
#define QLDBTOP_SIM_JOURNAL_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "sim/journal.h"
#include "verify/buf.h"

enum sim_journal_record_type {
	SIM_JOURNAL_REC_HEADER = 1,
	SIM_JOURNAL_REC_BLOCK = 2,
};

struct sim_journal_header_rec {
	uint64_t seed;
	char strand[SIM_ID_LEN + 1];
};

struct sim_journal_block_rec {
	struct sim_block_info info;
	uint64_t rng_state;
	const char *text; /* borrowed; not NUL-terminated */
	size_t text_len;
	const uint8_t *aux; /* borrowed */
	size_t aux_len;
	int has_redaction;
	int64_t redact_seq;
	char redact_doc[SIM_ID_LEN + 1];
	int64_t redact_version;
};

int sim_journal_header_encode(struct buf *b, const struct sim_journal_header_rec *h);
/* 0, or -1 with why filled (what is wrong). */
int sim_journal_header_decode(const uint8_t *p, size_t n, struct sim_journal_header_rec *h,
			      char *why, size_t cap);
int sim_journal_block_encode(struct buf *b, const struct sim_journal_block_rec *r);
int sim_journal_block_decode(const uint8_t *p, size_t n, struct sim_journal_block_rec *r, char *why,
			     size_t cap);

#endif
