/*
 * journal.h - the endpoint's journal engine: one strand of QLDB blocks with
 * real hashes (shared/docs/qldb-verification.md §2, §3).
 *
 * Each committed transaction becomes one block:
 *   revision hash   = dot(IonHash(metadata), IonHash(data))
 *   revisionsRoot   = Merkle(revision hashes, in list order)
 *   statementDigest = IonHash(statement string)  (statements carry no parameters)
 *   entriesHashList = [internal, revisionsRoot, internal, IonHash(transactionInfo)]
 *                     (the real block 100 has this shape; the two "internal"
 *                     entries stand for QLDB's undocumented system hashes and
 *                     are pseudo-random; without revisions the list is
 *                     [internal, IonHash(transactionInfo)])
 *   entriesHash     = Merkle(entriesHashList)
 *   blockHash       = dot(entriesHash, previousBlockHash)
 *   digest(tip)     = Merkle(blockHash[0..tip])  (RFC 6962 shape, kept in a
 *                     stored tree: digests and proofs at any tip cost
 *                     O(log n), sim/merkle.h)
 * A deleted document's revision has metadata and no data; its hash is
 * dot(IonHash(metadata), empty) = IonHash(metadata), the formula the
 * verifier accepts for it (QLDB never published one).
 * Genesis (block 0) has no transactionInfo and no revisions; its
 * entriesHashList is one internal hash, and its previousBlockHash is the
 * empty blob {{}}, so by dot's empty rule blockHash = entriesHash. Real
 * QLDB's genesis is undocumented (§2.6 "open"); this is our choice.
 *
 * All hashing goes through verify/ (ionhash_sha256, qldb_dot,
 * qldb_merkle_root); values are written as Ion text and parsed back with
 * ion_parse_one before hashing, so the stored text is what was hashed.
 * Each block's compact Ion text (QLDB field order) is kept for GetBlock.
 *
 * Durable mode (sim_journal_open): every block is appended to a log
 * (sim/datalog.h, records in sim/journal_record.h) and fsync'd before it
 * is visible, so a digest never covers a block a crash can lose; the
 * start-up replay checks each block's link and hash.
 *
 * Deterministic: the same seed, genesis time and transactions give the
 * same bytes. Thread-safe: every function takes the journal's mutex.
 * Ownership: sim_journal_new allocates, sim_journal_free releases; strings
 * in a struct sim_txn are borrowed for the call; sim_journal_block_text
 * returns a malloc'd copy the caller frees.
 */
#ifndef QLDBTOP_SIM_JOURNAL_H
#define QLDBTOP_SIM_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sim/rng.h"
#include "verify/qldb_hash.h"

#define SIM_JOURNAL_MAX_BLOCKS (1u << 20) /* a demo journal, not a database */
#define SIM_TXN_MAX_STATEMENTS 16	  /* per transaction */
#define SIM_TXN_MAX_WRITES 64		  /* revisions per transaction */
#define SIM_TXN_MAX_TEXT (256u << 10)	  /* Ion text of one data value or statement */
#define SIM_ERR_MAX 256			  /* one-line error messages */

/* One document revision written by a transaction. */
struct sim_doc_write {
	const char *table_name;
	const char *table_id; /* 22 chars */
	const char *doc_id;   /* 22 chars */
	int64_t version;      /* 0 for an insert, +1 per update */
	const char *data_ion; /* Ion text of the document (a struct); NULL: deleted */
	size_t statement;     /* index of the statement that wrote it */
};

/* A redaction (QLDB's redact_revision): the revision of doc_id at version
 * in block seq loses its data, which is replaced by dataHash =
 * IonHash(data), so its revision hash and every block hash stay the same.
 * The redacting block carries redactionInfo {revisions:[{blockAddress,
 * tableId, documentId, version}]}, whose Ion Hash is in its
 * entriesHashList (shared/docs/qldb-verification.md §2.3). */
struct sim_redaction {
	int64_t seq;
	const char *table_id; /* 22 chars */
	const char *doc_id;   /* 22 chars */
	int64_t version;
};

struct sim_txn {
	int64_t commit_ms; /* block timestamp; revision txTime is a few ms earlier */
	const char *const *statements;
	size_t n_statements;
	const struct sim_doc_write *writes;
	size_t n_writes;
	/* Opaque bytes stored with the block in the durable log and returned
	 * by sim_journal_aux (the workload keeps its state here so a restart
	 * resumes it); not part of any hash. May be NULL. */
	const void *aux;
	size_t aux_len;
	const struct sim_redaction *redact; /* NULL, or one revision to redact */
};

struct sim_block_info {
	int64_t seq;
	int64_t time_ms;
	struct qldb_hash block_hash, entries_hash, previous_hash;
};

struct sim_journal;
/* A journal holding its genesis block. NULL with err filled on failure. */
struct sim_journal *sim_journal_new(uint64_t seed, int64_t genesis_ms, char *err, size_t cap);
/* The durable journal in the log at path (sim/datalog.h): replays it
 * (strand, blocks, generator state) or, for a new log, writes its header
 * and the genesis block at genesis_ms. An existing log keeps its own seed.
 * rep (may be NULL) says what recovery did (a torn tail removed). NULL
 * with err filled when the log is damaged, locked or unreadable. */
struct sim_datalog_report;
struct sim_journal *sim_journal_open(const char *path, uint64_t seed, int64_t genesis_ms,
				     struct sim_datalog_report *rep, char *err, size_t cap);
void sim_journal_free(struct sim_journal *j);
uint64_t sim_journal_seed(const struct sim_journal *j);
/* A malloc'd copy of the aux bytes of the last block that had some (*out
 * NULL and 0 when none). */
size_t sim_journal_aux(struct sim_journal *j, uint8_t **out);

/* Commit one transaction as a new block. Returns its sequence number, or
 * -1 with err filled (bad Ion in data_ion, a limit, Ion Hash failure). */
int64_t sim_journal_commit(struct sim_journal *j, const struct sim_txn *t, char *err, size_t cap);

/* A fresh 22-char id from the journal's generator (table and document ids). */
void sim_journal_new_id(struct sim_journal *j, char out[SIM_ID_LEN + 1]);
/* The strand id (immutable, valid until sim_journal_free). */
const char *sim_journal_strand(const struct sim_journal *j);
size_t sim_journal_block_count(struct sim_journal *j);
/* Digest over blocks 0..tip of the current tip. Returns 0 or -1. */
int sim_journal_digest(struct sim_journal *j, struct qldb_hash *digest, int64_t *tip);
/* Digest over blocks 0..tip for an earlier tip. Returns 0 or -1. */
int sim_journal_digest_at(struct sim_journal *j, int64_t tip, struct qldb_hash *digest);
/* Hashes and time of block seq. Returns 0, or -1 if there is no such block. */
int sim_journal_block_info(struct sim_journal *j, int64_t seq, struct sim_block_info *out);
/* The audit path of block seq in the ledger tree over blocks 0..tip,
 * siblings bottom-up (what GetBlock returns as Proof: folding blockHash
 * with each by dot gives the digest at tip). At most max hashes. Returns 0,
 * or -1 when seq > tip, tip is past the last block, or out of memory. */
int sim_journal_block_proof(struct sim_journal *j, int64_t seq, int64_t tip, struct qldb_hash *path,
			    size_t max, size_t *count);
/* GetRevision: the revision of document doc_id in block seq, as Ion text
 * (*text, malloc'd, the caller frees), and its proof to the digest at tip:
 * its path in the block's revisions tree, the revisions root's path in the
 * entries tree, the previous block hash, then the block's ledger path (as
 * the real AWS CLI vector's get-revision Proof is laid out). Returns 0, 1
 * when the block holds no revision of doc_id, or -1 (bad seq or tip, out
 * of memory). */
int sim_journal_revision(struct sim_journal *j, int64_t seq, int64_t tip, const char *doc_id,
			 char **text, struct qldb_hash *path, size_t max, size_t *count);
/* Scenario tampering (sim/scenario.h), in memory only (a durable log keeps
 * the true bytes): tamper changes one digit of block seq's stored text (a
 * revision's data, else a statement) and keeps its hashes, so the block no
 * longer proves; fork drops every block after seq and perturbs the
 * generator, so the history written from there differs and new digests do
 * not contain the old tip (refused for a durable journal). 0 or -1 with
 * err. */
int sim_journal_tamper(struct sim_journal *j, int64_t seq, char *err, size_t cap);
int sim_journal_fork(struct sim_journal *j, int64_t seq, char *err, size_t cap);
/* Copy of block seq's Ion text (NUL-terminated, malloc'd); NULL if absent. */
char *sim_journal_block_text(struct sim_journal *j, int64_t seq, size_t *len);

#endif
