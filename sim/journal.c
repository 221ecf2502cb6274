/*
 * journal.c - the journal engine (formulas and choices in journal.h).
 *
 * A commit writes every hashed value as Ion text, parses it back with the
 * verify/ reader and hashes the parsed value, then assembles the block text
 * from the very same pieces. Work happens under the journal's mutex with
 * one set of hashing contexts (sha256, ionhash, arena), which verify/
 * requires to be used by one thread at a time.
 */
#include "sim/journal.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fail.h"
#include "sim/datalog.h"
#include "sim/ion_fmt.h"
#include "sim/journal_record.h"
#include "sim/merkle.h"
#include "verify/buf.h"
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/ionhash.h"
#include "verify/qldb_block.h"

#define JOURNAL_INITIAL_BLOCKS 64
#define JOURNAL_TXTIME_LEAD_MS 3    /* revision txTime precedes the block timestamp */
#define JOURNAL_STATEMENT_STEP_MS 7 /* spacing of statement startTimes */
#define JOURNAL_MAX_ENTRIES 5	    /* entriesHashList length we build */

struct sim_block {
	char *text; /* compact Ion text of the whole block */
	size_t len;
	struct sim_block_info info;
};

struct sim_journal {
	pthread_mutex_t mu;
	struct sim_rng rng;
	uint64_t seed;
	char strand[SIM_ID_LEN + 1];
	struct sim_block *blocks;
	size_t n, cap;
	struct sim_merkle tree;	 /* over every block hash: digests and proofs */
	struct sim_datalog *log; /* durable mode: every block is appended here */
	uint8_t *aux;		 /* the last committed transaction's aux bytes */
	size_t aux_len;
	bool replaying; /* blocks come from the log: do not append them again */
	struct sha256 *sha;
	struct ionhash *ih;
	struct ion_arena *arena;
	struct buf piece; /* one value's text while it is hashed */
	struct buf text;  /* the block being assembled */
};

/* Parse text as one Ion value, optionally require a type, and hash it. */
static int hash_text(struct sim_journal *j, const uint8_t *text, size_t len, int want_type,
		     struct qldb_hash *out, const char *what, char *err, size_t cap)
{
	const struct ion_value *v;
	struct ion_error ie = { 0 };
	char where[160];
	ion_arena_reset(j->arena);
	if (ion_parse_one(text, len, j->arena, &v, &ie) != 0) {
		ion_error_format(&ie, where, sizeof where);
		return sim_fail(err, cap, "journal: %s: %s", what, where);
	}
	if (want_type >= 0 && (v->type != want_type || v->is_null))
		return sim_fail(err, cap, "journal: %s: expected an Ion %s, got %s", what,
				ion_type_name(want_type), ion_type_name(v->type));
	out->len = 32;
	if (ionhash_sha256(j->ih, v, out->b, &ie) != 0) {
		ion_error_format(&ie, where, sizeof where);
		return sim_fail(err, cap, "journal: Ion Hash of %s: %s", what, where);
	}
	return 0;
}

static int hash_piece(struct sim_journal *j, int want_type, struct qldb_hash *out, const char *what,
		      char *err, size_t cap)
{
	return hash_text(j, j->piece.data, j->piece.len, want_type, out, what, err, cap);
}

/* A pseudo-random 32-byte hash standing for one of QLDB's internal entries. */
static void internal_hash(struct sim_journal *j, struct qldb_hash *out)
{
	out->len = 32;
	sim_rng_bytes(&j->rng, out->b, 32);
}

static int redacted_text(struct sim_journal *j, int64_t seq, const char *doc_id, int64_t version,
			 char **out, size_t *out_len, char *err, size_t cap);
static void redaction_apply(struct sim_journal *j, int64_t seq, char *text, size_t len);

/* The durable copy of a block (durable mode): one log record, fsync'd. */
static int journal_log_block(struct sim_journal *j, const struct sim_block_info *info,
			     const char *text, size_t len, const void *aux, size_t aux_len,
			     const struct sim_redaction *redact, char *err, size_t cap)
{
	struct buf rec = { 0 };
	struct sim_journal_block_rec r = { .info = *info,
					   .rng_state = j->rng.state,
					   .text = text,
					   .text_len = len,
					   .aux = aux,
					   .aux_len = aux_len };
	if (redact) {
		r.has_redaction = 1;
		r.redact_seq = redact->seq;
		snprintf(r.redact_doc, sizeof r.redact_doc, "%s", redact->doc_id);
		r.redact_version = redact->version;
	}
	if (sim_journal_block_encode(&rec, &r) != 0) {
		buf_free(&rec);
		return sim_fail(err, cap, "journal: out of memory encoding block %lld",
				(long long)info->seq);
	}
	int rc = sim_datalog_append(j->log, SIM_JOURNAL_REC_BLOCK, rec.data, rec.len, NULL, err,
				    cap);
	buf_free(&rec);
	return rc;
}

/* Append the finished block (j->text) with its hashes; updates the tree.
 * In durable mode the block is in the log (fsync'd) before it is visible:
 * what a digest covers survives a crash. */
static int store_block(struct sim_journal *j, const struct sim_block_info *info, const void *aux,
		       size_t aux_len, const struct sim_redaction *redact, char *err, size_t cap)
{
	if (j->n == j->cap) {
		size_t ncap = j->cap ? j->cap * 2 : JOURNAL_INITIAL_BLOCKS;
		struct sim_block *nb = realloc(j->blocks, ncap * sizeof *nb);
		if (!nb)
			return sim_fail(err, cap, "journal: out of memory at block %zu", j->n);
		j->blocks = nb;
		j->cap = ncap;
	}
	char *copy = malloc(j->text.len + 1);
	uint8_t *aux_copy = aux_len ? malloc(aux_len) : NULL;
	if (!copy || (aux_len && !aux_copy)) {
		free(copy);
		free(aux_copy);
		return sim_fail(err, cap, "journal: out of memory at block %zu", j->n);
	}
	memcpy(copy, j->text.data, j->text.len);
	copy[j->text.len] = '\0';
	if (aux_len)
		memcpy(aux_copy, aux, aux_len);
	if (sim_merkle_append(j->sha, &j->tree, &info->block_hash) != 0) {
		free(copy);
		free(aux_copy);
		return sim_fail(err, cap, "journal: ledger tree out of memory at block %zu", j->n);
	}
	if (j->log && !j->replaying &&
	    journal_log_block(j, info, copy, j->text.len, aux, aux_len, redact, err, cap) != 0) {
		sim_merkle_truncate(&j->tree, j->n);
		free(copy);
		free(aux_copy);
		return -1;
	}
	j->blocks[j->n] = (struct sim_block){ .text = copy, .len = j->text.len, .info = *info };
	j->n++;
	if (aux_len) {
		free(j->aux);
		j->aux = aux_copy;
		j->aux_len = aux_len;
	}
	return 0;
}

/* blockAddress, transactionId, blockTimestamp, blockHash, entriesHash,
 * previousBlockHash, entriesHashList: the head every block shares. */
static int write_block_head(struct sim_journal *j, const struct sim_block_info *info,
			    const char *txid, const struct qldb_hash *entries, size_t n_entries)
{
	struct buf *b = &j->text;
	int rc = buf_append_str(b, "{blockAddress:");
	rc = rc ? rc : sim_ion_address(b, j->strand, info->seq);
	rc = rc ? rc : buf_append_str(b, ",transactionId:");
	rc = rc ? rc : sim_ion_string(b, txid);
	rc = rc ? rc : buf_append_str(b, ",blockTimestamp:");
	rc = rc ? rc : sim_ion_timestamp_ms(b, info->time_ms);
	rc = rc ? rc : buf_append_str(b, ",blockHash:");
	rc = rc ? rc : sim_ion_blob(b, &info->block_hash);
	rc = rc ? rc : buf_append_str(b, ",entriesHash:");
	rc = rc ? rc : sim_ion_blob(b, &info->entries_hash);
	rc = rc ? rc : buf_append_str(b, ",previousBlockHash:");
	rc = rc ? rc : sim_ion_blob(b, &info->previous_hash);
	rc = rc ? rc : buf_append_str(b, ",entriesHashList:[");
	for (size_t i = 0; !rc && i < n_entries; i++) {
		if (i)
			rc = buf_append_byte(b, ',');
		rc = rc ? rc : sim_ion_blob(b, &entries[i]);
	}
	return rc ? rc : buf_append_byte(b, ']');
}

static int make_genesis(struct sim_journal *j, int64_t genesis_ms, char *err, size_t cap)
{
	char txid[SIM_ID_LEN + 1];
	sim_rng_id(&j->rng, txid);
	struct qldb_hash entry;
	internal_hash(j, &entry);
	struct sim_block_info info = { .seq = 0, .time_ms = genesis_ms };
	if (qldb_merkle_root(j->sha, &entry, 1, &info.entries_hash) != 0 ||
	    qldb_dot(j->sha, &info.entries_hash, &info.previous_hash, &info.block_hash) != 0)
		return sim_fail(err, cap, "journal: hashing the genesis block failed");
	buf_clear(&j->text);
	if (write_block_head(j, &info, txid, &entry, 1) || buf_append_byte(&j->text, '}'))
		return sim_fail(err, cap, "journal: out of memory writing the genesis block");
	return store_block(j, &info, NULL, 0, NULL, err, cap);
}

/* A journal with its strand id and hashing contexts, and no blocks yet. */
static struct sim_journal *journal_alloc(uint64_t seed, char *err, size_t cap)
{
	struct sim_journal *j = calloc(1, sizeof *j);
	if (!j) {
		sim_fail(err, cap, "journal: out of memory");
		return NULL;
	}
	pthread_mutex_init(&j->mu, NULL);
	j->seed = seed;
	sim_rng_seed(&j->rng, seed);
	sim_rng_id(&j->rng, j->strand);
	j->sha = sha256_new();
	j->ih = ionhash_new("sha256");
	j->arena = ion_arena_new();
	if (!j->sha || !j->ih || !j->arena) {
		sim_fail(err, cap, "journal: cannot create hashing contexts");
		sim_journal_free(j);
		return NULL;
	}
	return j;
}

struct sim_journal *sim_journal_new(uint64_t seed, int64_t genesis_ms, char *err, size_t cap)
{
	struct sim_journal *j = journal_alloc(seed, err, cap);
	if (j && make_genesis(j, genesis_ms, err, cap) != 0) {
		sim_journal_free(j);
		return NULL;
	}
	return j;
}

/* Replay state of sim_journal_open. */
struct replay {
	struct sim_journal *j;
	bool header;
	struct qldb_checker *check; /* every replayed block is verified */
	char why[QLDB_MESSAGE_MAX]; /* the first failure of the block being checked */
};

static void replay_failure(void *ctx, const struct qldb_failure *f)
{
	struct replay *r = ctx;
	if (!r->why[0])
		snprintf(r->why, sizeof r->why, "%s", f->message);
}

/* A log's checksums catch damaged bytes, not a record rewritten with new
 * checksums: each block's text must also verify as QLDB's verifier checks
 * it (every hash recomputed, nothing uncovered) and carry the record's
 * address and hashes, so the endpoint never serves a block that does not
 * prove. */
static int replay_verify(struct replay *r, const struct sim_journal_block_rec *b, char *err,
			 size_t cap)
{
	struct ion_arena *a = NULL;
	const struct ion_value *v;
	char why[QLDB_MESSAGE_MAX];
	struct qldb_block_result res;
	struct qldb_report rep = { .fail = replay_failure, .ctx = r };
	r->why[0] = '\0';
	int rc = -1;
	if (ion_parse_one_alloc((const uint8_t *)b->text, b->text_len, NULL, &a, &v, why,
				sizeof why) != 0)
		sim_fail(err, cap, "journal log: block %lld: %s", (long long)b->info.seq, why);
	else if (qldb_block_check(r->check, v, QLDB_MODE_ION, &rep, &res) != 0 || res.failures ||
		 res.unproven)
		sim_fail(err, cap, "journal log: block %lld does not verify: %s",
			 (long long)b->info.seq, r->why[0] ? r->why : "unproven content");
	else if (res.addr.seq != b->info.seq || strcmp(res.addr.strand, r->j->strand) != 0 ||
		 !qldb_hash_equal(&res.block_hash, &b->info.block_hash) ||
		 !qldb_hash_equal(&res.previous_hash, &b->info.previous_hash))
		sim_fail(err, cap, "journal log: block %lld: its text and its record disagree",
			 (long long)b->info.seq);
	else
		rc = 0;
	ion_arena_free(a);
	return rc;
}

static int replay_header(struct replay *r, const uint8_t *data, size_t len, char *err, size_t cap)
{
	struct sim_journal_header_rec h;
	char why[160], strand[SIM_ID_LEN + 1];
	if (r->header || r->j->n)
		return sim_fail(err, cap, "journal log: a second header record");
	if (sim_journal_header_decode(data, len, &h, why, sizeof why) != 0)
		return sim_fail(err, cap, "journal log: %s", why);
	/* the strand is the seed's first id: a header that disagrees is damage */
	sim_rng_seed(&r->j->rng, h.seed);
	sim_rng_id(&r->j->rng, strand);
	if (strcmp(strand, h.strand) != 0)
		return sim_fail(err, cap, "journal log: strand %s does not belong to seed %llu",
				h.strand, (unsigned long long)h.seed);
	memcpy(r->j->strand, strand, sizeof strand);
	r->j->seed = h.seed;
	r->header = true;
	return 0;
}

static int replay_block(struct replay *r, const uint8_t *data, size_t len, char *err, size_t cap)
{
	struct sim_journal *j = r->j;
	struct sim_journal_block_rec b;
	char why[160];
	if (!r->header)
		return sim_fail(err, cap, "journal log: a block before the header");
	if (sim_journal_block_decode(data, len, &b, why, sizeof why) != 0)
		return sim_fail(err, cap, "journal log: block %zu: %s", j->n, why);
	struct qldb_hash h;
	const struct qldb_hash *prev = j->n ? &j->blocks[j->n - 1].info.block_hash : NULL;
	if (b.info.seq != (int64_t)j->n)
		return sim_fail(err, cap, "journal log: block %lld where block %zu belongs",
				(long long)b.info.seq, j->n);
	if (prev ? !qldb_hash_equal(prev, &b.info.previous_hash) : b.info.previous_hash.len != 0)
		return sim_fail(err, cap, "journal log: block %zu does not link to block %zu", j->n,
				j->n - 1);
	if (qldb_dot(j->sha, &b.info.entries_hash, &b.info.previous_hash, &h) != 0 ||
	    !qldb_hash_equal(&h, &b.info.block_hash))
		return sim_fail(err, cap,
				"journal log: block %zu: blockHash is not "
				"dot(entriesHash, previousBlockHash)",
				j->n);
	if (memchr(b.text, '\0', b.text_len))
		return sim_fail(err, cap, "journal log: block %zu: text holds a NUL byte", j->n);
	if (replay_verify(r, &b, err, cap) != 0)
		return -1;
	buf_clear(&j->text);
	if (buf_append(&j->text, b.text, b.text_len) != 0)
		return sim_fail(err, cap, "journal: out of memory replaying block %zu", j->n);
	j->rng.state = b.rng_state;
	if (store_block(j, &b.info, b.aux, b.aux_len, NULL, err, cap) != 0)
		return -1;
	if (!b.has_redaction)
		return 0;
	char *text = NULL;
	size_t tl = 0;
	if (redacted_text(j, b.redact_seq, b.redact_doc, b.redact_version, &text, &tl, err, cap))
		return -1;
	redaction_apply(j, b.redact_seq, text, tl);
	return 0;
}

static int replay_record(void *ctx, uint32_t type, const uint8_t *data, size_t len, uint64_t offset,
			 char *err, size_t cap)
{
	(void)offset;
	struct replay *r = ctx;
	if (type == SIM_JOURNAL_REC_HEADER)
		return replay_header(r, data, len, err, cap);
	if (type == SIM_JOURNAL_REC_BLOCK)
		return replay_block(r, data, len, err, cap);
	return sim_fail(err, cap, "journal log: unknown record type %u", (unsigned)type);
}

struct sim_journal *sim_journal_open(const char *path, uint64_t seed, int64_t genesis_ms,
				     struct sim_datalog_report *rep, char *err, size_t cap)
{
	struct sim_journal *j = journal_alloc(seed, err, cap);
	if (!j)
		return NULL;
	struct replay r = { .j = j, .check = qldb_checker_new() };
	if (!r.check) {
		sim_fail(err, cap, "journal: cannot create a block checker");
		sim_journal_free(j);
		return NULL;
	}
	j->replaying = true;
	j->log = sim_datalog_open(path, replay_record, &r, rep, err, cap);
	j->replaying = false;
	qldb_checker_free(r.check);
	if (!j->log) {
		sim_journal_free(j);
		return NULL;
	}
	int rc = 0;
	if (!r.header) {
		/* a new log: its header, then the genesis block */
		struct sim_journal_header_rec h = { .seed = seed };
		struct buf b = { 0 };
		memcpy(h.strand, j->strand, sizeof h.strand);
		rc = sim_journal_header_encode(&b, &h);
		rc = rc ? sim_fail(err, cap, "journal: out of memory")
			: sim_datalog_append(j->log, SIM_JOURNAL_REC_HEADER, b.data, b.len, NULL,
					     err, cap);
		buf_free(&b);
	}
	/* a crash between the header and the genesis block leaves no blocks */
	if (!rc && j->n == 0)
		rc = make_genesis(j, genesis_ms, err, cap);
	if (rc) {
		sim_journal_free(j);
		return NULL;
	}
	return j;
}

void sim_journal_free(struct sim_journal *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		free(j->blocks[i].text);
	free(j->blocks);
	free(j->aux);
	sim_merkle_free(&j->tree);
	sim_datalog_close(j->log);
	sha256_free(j->sha);
	ionhash_free(j->ih);
	ion_arena_free(j->arena);
	buf_free(&j->piece);
	buf_free(&j->text);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static int check_txn(const struct sim_txn *t, char *err, size_t cap)
{
	if (t->n_statements == 0 || t->n_statements > SIM_TXN_MAX_STATEMENTS)
		return sim_fail(err, cap, "journal: a transaction needs 1..%d statements, got %zu",
				SIM_TXN_MAX_STATEMENTS, t->n_statements);
	if (t->n_writes > SIM_TXN_MAX_WRITES)
		return sim_fail(err, cap,
				"journal: %zu revisions exceed the limit of %d per transaction",
				t->n_writes, SIM_TXN_MAX_WRITES);
	if (t->redact && (strlen(t->redact->doc_id) != SIM_ID_LEN ||
			  strlen(t->redact->table_id) != SIM_ID_LEN || t->redact->version < 0))
		return sim_fail(err, cap,
				"journal: a redaction needs 22-character ids and a version");
	for (size_t i = 0; i < t->n_statements; i++)
		if (strlen(t->statements[i]) > SIM_TXN_MAX_TEXT)
			return sim_fail(err, cap, "journal: statement %zu exceeds %u bytes", i,
					SIM_TXN_MAX_TEXT);
	for (size_t i = 0; i < t->n_writes; i++) {
		const struct sim_doc_write *w = &t->writes[i];
		if (strlen(w->doc_id) != SIM_ID_LEN || strlen(w->table_id) != SIM_ID_LEN)
			return sim_fail(err, cap,
					"journal: revision %zu: ids must be %d characters", i,
					SIM_ID_LEN);
		if (w->statement >= t->n_statements || w->version < 0)
			return sim_fail(err, cap,
					"journal: revision %zu: bad statement index or version", i);
		if (w->data_ion && strlen(w->data_ion) > SIM_TXN_MAX_TEXT)
			return sim_fail(err, cap, "journal: revision %zu: data exceeds %u bytes", i,
					SIM_TXN_MAX_TEXT);
	}
	return 0;
}

/* {id:"…",version:N,txTime:…,txId:"…"} into b */
static int write_metadata(struct buf *b, const struct sim_doc_write *w, int64_t tx_ms,
			  const char *txid)
{
	int rc = buf_append_str(b, "{id:");
	rc = rc ? rc : sim_ion_string(b, w->doc_id);
	rc = rc ? rc : buf_printf(b, ",version:%lld,txTime:", (long long)w->version);
	rc = rc ? rc : sim_ion_timestamp_ms(b, tx_ms);
	rc = rc ? rc : buf_append_str(b, ",txId:");
	rc = rc ? rc : sim_ion_string(b, txid);
	return rc ? rc : buf_append_byte(b, '}');
}

/* transactionInfo text into b: statements with their digests, and for each
 * document (in order of first write) its table and statement indexes. */
static int write_transaction_info(struct buf *b, const struct sim_txn *t,
				  const struct qldb_hash *digests)
{
	int rc = buf_append_str(b, "{statements:[");
	for (size_t i = 0; !rc && i < t->n_statements; i++) {
		int64_t start = t->commit_ms - JOURNAL_TXTIME_LEAD_MS -
				(int64_t)(t->n_statements - i) * JOURNAL_STATEMENT_STEP_MS;
		rc = buf_append_str(b, i ? ",{statement:" : "{statement:");
		rc = rc ? rc : sim_ion_string(b, t->statements[i]);
		rc = rc ? rc : buf_append_str(b, ",startTime:");
		rc = rc ? rc : sim_ion_timestamp_ms(b, start);
		rc = rc ? rc : buf_append_str(b, ",statementDigest:");
		rc = rc ? rc : sim_ion_blob(b, &digests[i]);
		rc = rc ? rc : buf_append_byte(b, '}');
	}
	rc = rc ? rc : buf_append_str(b, "],documents:{");
	int first_doc = 1;
	for (size_t i = 0; !rc && i < t->n_writes; i++) {
		const struct sim_doc_write *w = &t->writes[i];
		int seen = 0;
		for (size_t k = 0; k < i; k++)
			seen |= strcmp(t->writes[k].doc_id, w->doc_id) == 0;
		if (seen)
			continue;
		rc = first_doc ? 0 : buf_append_byte(b, ',');
		first_doc = 0;
		rc = rc ? rc : sim_ion_field(b, w->doc_id);
		rc = rc ? rc : buf_append_str(b, "{tableName:");
		rc = rc ? rc : sim_ion_string(b, w->table_name);
		rc = rc ? rc : buf_append_str(b, ",tableId:");
		rc = rc ? rc : sim_ion_string(b, w->table_id);
		rc = rc ? rc : buf_append_str(b, ",statements:[");
		/* statement indexes of every write to this document, ascending */
		int sep = 0;
		for (size_t s = 0; !rc && s < t->n_statements; s++) {
			int used = 0;
			for (size_t k = i; k < t->n_writes; k++)
				used |= strcmp(t->writes[k].doc_id, w->doc_id) == 0 &&
					t->writes[k].statement == s;
			if (!used)
				continue;
			rc = buf_printf(b, sep ? ",%zu" : "%zu", s);
			sep = 1;
		}
		rc = rc ? rc : buf_append_str(b, "]}");
	}
	return rc ? rc : buf_append_str(b, "}}");
}

/* The text of block seq with the revision (doc_id, version) redacted:
 * ",data:<value>" becomes ",dataHash:{{IonHash(value)}}". The block text
 * is ours, so the revision is found by its metadata's opening, and its data
 * is what lies between its hash blob and that metadata. *out is malloc'd.
 * Called with the lock held. */
static int redacted_text(struct sim_journal *j, int64_t seq, const char *doc_id, int64_t version,
			 char **out, size_t *out_len, char *err, size_t cap)
{
	if (seq < 0 || (size_t)seq >= j->n)
		return sim_fail(err, cap, "journal: redaction of block %lld, which does not exist",
				(long long)seq);
	const struct sim_block *blk = &j->blocks[seq];
	char key[96];
	snprintf(key, sizeof key, ",metadata:{id:\"%s\",version:%lld,", doc_id, (long long)version);
	const char *meta = strstr(blk->text, key);
	const char *data = NULL;
	for (const char *p = blk->text; meta && (p = strstr(p, "}},data:")) && p < meta; p++)
		data = p + 2;
	if (!meta || !data)
		return sim_fail(err, cap,
				"journal: block %lld has no revision of %s version %lld with data",
				(long long)seq, doc_id, (long long)version);
	const char *value = data + strlen(",data:");
	struct qldb_hash h;
	if (hash_text(j, (const uint8_t *)value, (size_t)(meta - value), ION_TYPE_STRUCT, &h,
		      "redacted data", err, cap) != 0)
		return -1;
	struct buf b = { 0 };
	int rc = buf_append(&b, blk->text, (size_t)(data - blk->text));
	rc = rc ? rc : buf_append_str(&b, ",dataHash:");
	rc = rc ? rc : sim_ion_blob(&b, &h);
	rc = rc ? rc : buf_append_str(&b, meta);
	rc = rc ? rc : buf_append_byte(&b, '\0');
	if (rc) {
		buf_free(&b);
		return sim_fail(err, cap, "journal: out of memory redacting block %lld",
				(long long)seq);
	}
	*out = (char *)b.data;
	*out_len = b.len - 1;
	return 0;
}

/* Put a redacted text in place of block seq's. */
static void redaction_apply(struct sim_journal *j, int64_t seq, char *text, size_t len)
{
	free(j->blocks[seq].text);
	j->blocks[seq].text = text;
	j->blocks[seq].len = len;
}

/* redactionInfo {revisions:[{blockAddress, tableId, documentId, version}]} */
static int write_redaction_info(struct sim_journal *j, struct buf *b, const struct sim_redaction *r)
{
	buf_clear(b);
	int rc = buf_append_str(b, "{revisions:[{blockAddress:");
	rc = rc ? rc : sim_ion_address(b, j->strand, r->seq);
	rc = rc ? rc : buf_append_str(b, ",tableId:");
	rc = rc ? rc : sim_ion_string(b, r->table_id);
	rc = rc ? rc : buf_append_str(b, ",documentId:");
	rc = rc ? rc : sim_ion_string(b, r->doc_id);
	return rc ? rc : buf_printf(b, ",version:%lld}]}", (long long)r->version);
}

/* The block's hashes from its revisions and transactionInfo; fills the
 * entries list. Called with the lock held. */
static int commit_locked(struct sim_journal *j, const struct sim_txn *t, char *err, size_t cap)
{
	char txid[SIM_ID_LEN + 1];
	struct qldb_hash rev[SIM_TXN_MAX_WRITES], digests[SIM_TXN_MAX_STATEMENTS];
	struct qldb_hash entries[JOURNAL_MAX_ENTRIES], txinfo, meta, data, root;
	struct sim_block_info info = { .seq = (int64_t)j->n, .time_ms = t->commit_ms };
	int64_t tx_ms = t->commit_ms - JOURNAL_TXTIME_LEAD_MS;

	if (j->n >= SIM_JOURNAL_MAX_BLOCKS)
		return sim_fail(err, cap, "journal: the limit of %u blocks is reached",
				SIM_JOURNAL_MAX_BLOCKS);
	sim_rng_id(&j->rng, txid);

	for (size_t i = 0; i < t->n_writes; i++) {
		const struct sim_doc_write *w = &t->writes[i];
		buf_clear(&j->piece);
		if (write_metadata(&j->piece, w, tx_ms, txid))
			return sim_fail(err, cap, "journal: out of memory");
		if (hash_piece(j, ION_TYPE_STRUCT, &meta, "revision metadata", err, cap))
			return -1;
		/* a deleted document's revision is its metadata alone, hashed as
		 * dot(IonHash(metadata), empty) = IonHash(metadata) (journal.h) */
		data.len = 0;
		if ((w->data_ion && hash_text(j, (const uint8_t *)w->data_ion, strlen(w->data_ion),
					      ION_TYPE_STRUCT, &data, "revision data", err, cap)) ||
		    qldb_dot(j->sha, &meta, &data, &rev[i]) != 0)
			return -1;
	}
	for (size_t i = 0; i < t->n_statements; i++) {
		buf_clear(&j->piece);
		if (sim_ion_string(&j->piece, t->statements[i]))
			return sim_fail(err, cap, "journal: out of memory");
		if (hash_piece(j, ION_TYPE_STRING, &digests[i], "statement", err, cap))
			return -1;
	}
	buf_clear(&j->piece);
	if (write_transaction_info(&j->piece, t, digests))
		return sim_fail(err, cap, "journal: out of memory");
	if (hash_piece(j, ION_TYPE_STRUCT, &txinfo, "transactionInfo", err, cap))
		return -1;
	/* a redaction: the rewritten target, and redactionInfo's hash */
	struct qldb_hash redaction_hash;
	struct buf ri = { 0 };
	char *redacted = NULL;
	size_t redacted_len = 0;
	if (t->redact && (redacted_text(j, t->redact->seq, t->redact->doc_id, t->redact->version,
					&redacted, &redacted_len, err, cap) != 0 ||
			  write_redaction_info(j, &ri, t->redact) != 0 ||
			  hash_text(j, ri.data, ri.len, ION_TYPE_STRUCT, &redaction_hash,
				    "redactionInfo", err, cap) != 0)) {
		free(redacted);
		buf_free(&ri);
		return err[0] ? -1 : sim_fail(err, cap, "journal: out of memory");
	}

	size_t n_entries = 0;
	internal_hash(j, &entries[n_entries++]);
	if (t->n_writes) {
		if (qldb_merkle_root(j->sha, rev, t->n_writes, &root) != 0)
			return sim_fail(err, cap, "journal: revisions root failed");
		entries[n_entries++] = root;
		internal_hash(j, &entries[n_entries++]);
	}
	entries[n_entries++] = txinfo;
	if (t->redact)
		entries[n_entries++] = redaction_hash;
	info.previous_hash = j->blocks[j->n - 1].info.block_hash;
	if (qldb_merkle_root(j->sha, entries, n_entries, &info.entries_hash) != 0 ||
	    qldb_dot(j->sha, &info.entries_hash, &info.previous_hash, &info.block_hash) != 0) {
		free(redacted);
		buf_free(&ri);
		return sim_fail(err, cap, "journal: block hash failed");
	}

	/* The block text: head, transactionInfo (already in j->piece), revisions. */
	struct buf *b = &j->text;
	buf_clear(b);
	int rc = write_block_head(j, &info, txid, entries, n_entries);
	rc = rc ? rc : buf_append_str(b, ",transactionInfo:");
	rc = rc ? rc : buf_append(b, j->piece.data, j->piece.len);
	if (t->redact) {
		rc = rc ? rc : buf_append_str(b, ",redactionInfo:");
		rc = rc ? rc : buf_append(b, ri.data, ri.len);
	}
	buf_free(&ri);
	if (t->n_writes)
		rc = rc ? rc : buf_append_str(b, ",revisions:[");
	for (size_t i = 0; !rc && i < t->n_writes; i++) {
		rc = buf_append_str(b, i ? ",{blockAddress:" : "{blockAddress:");
		rc = rc ? rc : sim_ion_address(b, j->strand, info.seq);
		rc = rc ? rc : buf_append_str(b, ",hash:");
		rc = rc ? rc : sim_ion_blob(b, &rev[i]);
		if (t->writes[i].data_ion) {
			rc = rc ? rc : buf_append_str(b, ",data:");
			rc = rc ? rc : buf_append_str(b, t->writes[i].data_ion);
		}
		rc = rc ? rc : buf_append_str(b, ",metadata:");
		rc = rc ? rc : write_metadata(b, &t->writes[i], tx_ms, txid);
		rc = rc ? rc : buf_append_byte(b, '}');
	}
	if (t->n_writes)
		rc = rc ? rc : buf_append_byte(b, ']');
	rc = rc ? rc : buf_append_byte(b, '}');
	if (rc || store_block(j, &info, t->aux, t->aux_len, t->redact, err, cap) != 0) {
		free(redacted);
		return rc ? sim_fail(err, cap, "journal: out of memory writing block %zu", j->n)
			  : -1;
	}
	if (t->redact)
		redaction_apply(j, t->redact->seq, redacted, redacted_len);
	return 0;
}

int64_t sim_journal_commit(struct sim_journal *j, const struct sim_txn *t, char *err, size_t cap)
{
	if (check_txn(t, err, cap) != 0)
		return -1;
	pthread_mutex_lock(&j->mu);
	struct sim_rng before = j->rng; /* a failed commit draws nothing */
	int64_t seq = commit_locked(j, t, err, cap) == 0 ? (int64_t)j->n - 1 : -1;
	if (seq < 0)
		j->rng = before;
	pthread_mutex_unlock(&j->mu);
	return seq;
}

void sim_journal_new_id(struct sim_journal *j, char out[SIM_ID_LEN + 1])
{
	pthread_mutex_lock(&j->mu);
	sim_rng_id(&j->rng, out);
	pthread_mutex_unlock(&j->mu);
}

const char *sim_journal_strand(const struct sim_journal *j)
{
	return j->strand;
}

size_t sim_journal_block_count(struct sim_journal *j)
{
	pthread_mutex_lock(&j->mu);
	size_t n = j->n;
	pthread_mutex_unlock(&j->mu);
	return n;
}

int sim_journal_digest(struct sim_journal *j, struct qldb_hash *digest, int64_t *tip)
{
	pthread_mutex_lock(&j->mu);
	int rc = sim_merkle_root(j->sha, &j->tree, j->n, digest);
	*tip = (int64_t)j->n - 1;
	pthread_mutex_unlock(&j->mu);
	return rc == 0 ? 0 : -1;
}

int sim_journal_digest_at(struct sim_journal *j, int64_t tip, struct qldb_hash *digest)
{
	int rc = -1;
	pthread_mutex_lock(&j->mu);
	if (tip >= 0 && (size_t)tip < j->n)
		rc = sim_merkle_root(j->sha, &j->tree, (size_t)tip + 1, digest);
	pthread_mutex_unlock(&j->mu);
	return rc == 0 ? 0 : -1;
}

uint64_t sim_journal_seed(const struct sim_journal *j)
{
	return j->seed;
}

size_t sim_journal_aux(struct sim_journal *j, uint8_t **out)
{
	pthread_mutex_lock(&j->mu);
	size_t n = j->aux_len;
	*out = n ? malloc(n) : NULL;
	if (*out)
		memcpy(*out, j->aux, n);
	else
		n = 0;
	pthread_mutex_unlock(&j->mu);
	return n;
}

int sim_journal_block_info(struct sim_journal *j, int64_t seq, struct sim_block_info *out)
{
	int rc = -1;
	pthread_mutex_lock(&j->mu);
	if (seq >= 0 && (size_t)seq < j->n) {
		*out = j->blocks[seq].info;
		rc = 0;
	}
	pthread_mutex_unlock(&j->mu);
	return rc;
}

int sim_journal_block_proof(struct sim_journal *j, int64_t seq, int64_t tip, struct qldb_hash *path,
			    size_t max, size_t *count)
{
	int rc = -1;
	*count = 0;
	pthread_mutex_lock(&j->mu);
	if (seq >= 0 && seq <= tip && (size_t)tip < j->n)
		rc = sim_merkle_path(j->sha, &j->tree, (size_t)seq, (size_t)tip + 1, path, max,
				     count);
	pthread_mutex_unlock(&j->mu);
	return rc;
}

/* Index of h in list[0..n), or -1. */
static long journal_index(const struct qldb_hash *list, size_t n, const struct qldb_hash *h)
{
	for (size_t i = 0; i < n; i++)
		if (qldb_hash_equal(&list[i], h))
			return (long)i;
	return -1;
}

/* The proof of revision k of a parsed block: its path in the revisions
 * tree, the revisions root's path in the entries tree, the previous block
 * hash, then the block's path in the ledger tree (caller, after). */
static int revision_path(struct sim_journal *j, const struct ion_value *block, size_t k,
			 struct qldb_hash *path, size_t max, size_t *count)
{
	const struct ion_value *revs = ion_struct_get(block, "revisions");
	const struct ion_value *ehl = ion_struct_get(block, "entriesHashList");
	size_t nr = revs->u.c.count, ne = ehl ? ehl->u.c.count : 0;
	struct qldb_hash *leaves = malloc((nr + ne) * sizeof *leaves), root, prev;
	if (!leaves)
		return -1;
	struct qldb_hash *ent = leaves + nr;
	size_t i = 0, a = 0, b = 0;
	int rc = -1;
	for (const struct ion_value *r = revs->u.c.first_child; r; r = r->next)
		if (qldb_hash_get(ion_struct_get(r, "hash"), QLDB_MODE_ION, false, &leaves[i++]))
			goto out;
	i = 0;
	for (const struct ion_value *e = ehl ? ehl->u.c.first_child : NULL; e; e = e->next)
		if (qldb_hash_get(e, QLDB_MODE_ION, false, &ent[i++]))
			goto out;
	if (qldb_merkle_root(j->sha, leaves, nr, &root) ||
	    qldb_hash_get(ion_struct_get(block, "previousBlockHash"), QLDB_MODE_ION, true, &prev))
		goto out;
	long at = journal_index(ent, ne, &root);
	if (at < 0 || qldb_merkle_path(j->sha, leaves, nr, k, path, max, &a) ||
	    qldb_merkle_path(j->sha, ent, ne, (size_t)at, path + a, max - a, &b) || a + b >= max)
		goto out;
	path[a + b] = prev;
	*count = a + b + 1;
	rc = 0;
out:
	free(leaves);
	return rc;
}

int sim_journal_revision(struct sim_journal *j, int64_t seq, int64_t tip, const char *doc_id,
			 char **text, struct qldb_hash *path, size_t max, size_t *count)
{
	*text = NULL;
	*count = 0;
	size_t len = 0, n = 0;
	char *bt = sim_journal_block_text(j, seq, &len);
	struct ion_arena *a = NULL;
	const struct ion_value *block;
	char why[QLDB_MESSAGE_MAX];
	int rc = -1;
	if (!bt || ion_parse_one_alloc((const uint8_t *)bt, len, NULL, &a, &block, why, sizeof why))
		goto out;
	const struct ion_value *revs = ion_struct_get(block, "revisions");
	size_t k = 0;
	const struct ion_value *r = revs ? revs->u.c.first_child : NULL;
	for (; r; r = r->next, k++) {
		const struct ion_value *id = ion_struct_get(ion_struct_get(r, "metadata"), "id");
		if (id && id->type == ION_TYPE_STRING && id->u.bytes.len == strlen(doc_id) &&
		    memcmp(id->u.bytes.data, doc_id, id->u.bytes.len) == 0)
			break;
	}
	if (!r) {
		rc = 1; /* no revision of that document in this block */
		goto out;
	}
	struct buf out = { 0 };
	struct ion_error err = { 0 };
	pthread_mutex_lock(&j->mu);
	int prc = revision_path(j, block, k, path, max, &n);
	pthread_mutex_unlock(&j->mu);
	size_t m = 0;
	if (prc || sim_journal_block_proof(j, seq, tip, path + n, max - n, &m) ||
	    ion_write_text(&out, r, &err) || buf_append_byte(&out, 0)) {
		buf_free(&out);
		goto out;
	}
	*text = (char *)out.data;
	*count = n + m;
	rc = 0;
out:
	ion_arena_free(a);
	free(bt);
	return rc;
}

char *sim_journal_block_text(struct sim_journal *j, int64_t seq, size_t *len)
{
	char *copy = NULL;
	pthread_mutex_lock(&j->mu);
	if (seq >= 0 && (size_t)seq < j->n) {
		const struct sim_block *blk = &j->blocks[seq];
		copy = malloc(blk->len + 1);
		if (copy) {
			memcpy(copy, blk->text, blk->len + 1);
			if (len)
				*len = blk->len;
		}
	}
	pthread_mutex_unlock(&j->mu);
	return copy;
}

int sim_journal_tamper(struct sim_journal *j, int64_t seq, char *err, size_t cap)
{
	int rc = -1;
	pthread_mutex_lock(&j->mu);
	if (seq < 0 || (size_t)seq >= j->n) {
		sim_fail(err, cap, "journal: no block %lld to tamper with", (long long)seq);
	} else {
		char *t = j->blocks[seq].text;
		char *at = strstr(t, ",data:{");
		at = at ? at : strstr(t, "statements:[");
		/* a digit inside the value: still valid Ion, another value */
		for (char *p = at; p && *p; p++)
			if (*p >= '0' && *p <= '9') {
				*p = *p == '9' ? '1' : (char)(*p + 1);
				rc = 0;
				break;
			}
		if (rc)
			sim_fail(err, cap, "journal: block %lld has nothing to tamper with",
				 (long long)seq);
	}
	pthread_mutex_unlock(&j->mu);
	return rc;
}

int sim_journal_fork(struct sim_journal *j, int64_t seq, char *err, size_t cap)
{
	int rc = -1;
	pthread_mutex_lock(&j->mu);
	if (j->log)
		sim_fail(err, cap, "journal: a durable journal is not forked");
	else if (seq < 0 || (size_t)seq >= j->n)
		sim_fail(err, cap, "journal: no block %lld to fork at", (long long)seq);
	else {
		for (size_t i = (size_t)seq + 1; i < j->n; i++)
			free(j->blocks[i].text);
		j->n = (size_t)seq + 1;
		sim_merkle_truncate(&j->tree, j->n);
		j->rng.state ^= 0x5ca1ab1e0ddba11ull; /* another history from here */
		rc = 0;
	}
	pthread_mutex_unlock(&j->mu);
	return rc;
}
