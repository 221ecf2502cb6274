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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ion_fmt.h"
#include "verify/buf.h"
#include "verify/ion.h"
#include "verify/ion_write.h"
#include "verify/ionhash.h"
#include "verify/qldb_block.h"

#define JOURNAL_INITIAL_BLOCKS 64
#define JOURNAL_TXTIME_LEAD_MS 3    /* revision txTime precedes the block timestamp */
#define JOURNAL_STATEMENT_STEP_MS 7 /* spacing of statement startTimes */
#define JOURNAL_MAX_ENTRIES 4	    /* entriesHashList length we build */

struct sim_block {
	char *text; /* compact Ion text of the whole block */
	size_t len;
	struct sim_block_info info;
};

struct sim_journal {
	pthread_mutex_t mu;
	struct sim_rng rng;
	char strand[SIM_ID_LEN + 1];
	struct sim_block *blocks;
	size_t n, cap;
	struct qldb_merkle_acc acc; /* digest over every block hash so far */
	struct sha256 *sha;
	struct ionhash *ih;
	struct ion_arena *arena;
	struct buf piece; /* one value's text while it is hashed */
	struct buf text;  /* the block being assembled */
};

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...)
{
	if (err && cap) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, cap, fmt, ap);
		va_end(ap);
	}
	return -1;
}

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
		return fail(err, cap, "journal: %s: %s", what, where);
	}
	if (want_type >= 0 && (v->type != want_type || v->is_null))
		return fail(err, cap, "journal: %s: expected an Ion %s, got %s", what,
			    ion_type_name(want_type), ion_type_name(v->type));
	out->len = 32;
	if (ionhash_sha256(j->ih, v, out->b, &ie) != 0) {
		ion_error_format(&ie, where, sizeof where);
		return fail(err, cap, "journal: Ion Hash of %s: %s", what, where);
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

/* Append the finished block (j->text) with its hashes; updates the digest. */
static int store_block(struct sim_journal *j, const struct sim_block_info *info, char *err,
		       size_t cap)
{
	if (j->n == j->cap) {
		size_t ncap = j->cap ? j->cap * 2 : JOURNAL_INITIAL_BLOCKS;
		struct sim_block *nb = realloc(j->blocks, ncap * sizeof *nb);
		if (!nb)
			return fail(err, cap, "journal: out of memory at block %zu", j->n);
		j->blocks = nb;
		j->cap = ncap;
	}
	char *copy = malloc(j->text.len + 1);
	if (!copy)
		return fail(err, cap, "journal: out of memory at block %zu", j->n);
	memcpy(copy, j->text.data, j->text.len);
	copy[j->text.len] = '\0';
	if (qldb_merkle_acc_push(j->sha, &j->acc, &info->block_hash) != 0) {
		free(copy);
		return fail(err, cap, "journal: digest accumulator failed at block %zu", j->n);
	}
	j->blocks[j->n] = (struct sim_block){ .text = copy, .len = j->text.len, .info = *info };
	j->n++;
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
		return fail(err, cap, "journal: hashing the genesis block failed");
	buf_clear(&j->text);
	if (write_block_head(j, &info, txid, &entry, 1) || buf_append_byte(&j->text, '}'))
		return fail(err, cap, "journal: out of memory writing the genesis block");
	return store_block(j, &info, err, cap);
}

struct sim_journal *sim_journal_new(uint64_t seed, int64_t genesis_ms, char *err, size_t cap)
{
	struct sim_journal *j = calloc(1, sizeof *j);
	if (!j) {
		fail(err, cap, "journal: out of memory");
		return NULL;
	}
	pthread_mutex_init(&j->mu, NULL);
	sim_rng_seed(&j->rng, seed);
	sim_rng_id(&j->rng, j->strand);
	j->sha = sha256_new();
	j->ih = ionhash_new("sha256");
	j->arena = ion_arena_new();
	if (!j->sha || !j->ih || !j->arena) {
		fail(err, cap, "journal: cannot create hashing contexts");
		sim_journal_free(j);
		return NULL;
	}
	if (make_genesis(j, genesis_ms, err, cap) != 0) {
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
		return fail(err, cap, "journal: a transaction needs 1..%d statements, got %zu",
			    SIM_TXN_MAX_STATEMENTS, t->n_statements);
	if (t->n_writes > SIM_TXN_MAX_WRITES)
		return fail(err, cap,
			    "journal: %zu revisions exceed the limit of %d per transaction",
			    t->n_writes, SIM_TXN_MAX_WRITES);
	for (size_t i = 0; i < t->n_statements; i++)
		if (strlen(t->statements[i]) > SIM_TXN_MAX_TEXT)
			return fail(err, cap, "journal: statement %zu exceeds %u bytes", i,
				    SIM_TXN_MAX_TEXT);
	for (size_t i = 0; i < t->n_writes; i++) {
		const struct sim_doc_write *w = &t->writes[i];
		if (strlen(w->doc_id) != SIM_ID_LEN || strlen(w->table_id) != SIM_ID_LEN)
			return fail(err, cap, "journal: revision %zu: ids must be %d characters", i,
				    SIM_ID_LEN);
		if (w->statement >= t->n_statements || w->version < 0)
			return fail(err, cap,
				    "journal: revision %zu: bad statement index or version", i);
		if (strlen(w->data_ion) > SIM_TXN_MAX_TEXT)
			return fail(err, cap, "journal: revision %zu: data exceeds %u bytes", i,
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
		return fail(err, cap, "journal: the limit of %u blocks is reached",
			    SIM_JOURNAL_MAX_BLOCKS);
	sim_rng_id(&j->rng, txid);

	for (size_t i = 0; i < t->n_writes; i++) {
		const struct sim_doc_write *w = &t->writes[i];
		buf_clear(&j->piece);
		if (write_metadata(&j->piece, w, tx_ms, txid))
			return fail(err, cap, "journal: out of memory");
		if (hash_piece(j, ION_TYPE_STRUCT, &meta, "revision metadata", err, cap) ||
		    hash_text(j, (const uint8_t *)w->data_ion, strlen(w->data_ion), ION_TYPE_STRUCT,
			      &data, "revision data", err, cap) ||
		    qldb_dot(j->sha, &meta, &data, &rev[i]) != 0)
			return -1;
	}
	for (size_t i = 0; i < t->n_statements; i++) {
		buf_clear(&j->piece);
		if (sim_ion_string(&j->piece, t->statements[i]))
			return fail(err, cap, "journal: out of memory");
		if (hash_piece(j, ION_TYPE_STRING, &digests[i], "statement", err, cap))
			return -1;
	}
	buf_clear(&j->piece);
	if (write_transaction_info(&j->piece, t, digests))
		return fail(err, cap, "journal: out of memory");
	if (hash_piece(j, ION_TYPE_STRUCT, &txinfo, "transactionInfo", err, cap))
		return -1;

	size_t n_entries = 0;
	internal_hash(j, &entries[n_entries++]);
	if (t->n_writes) {
		if (qldb_merkle_root(j->sha, rev, t->n_writes, &root) != 0)
			return fail(err, cap, "journal: revisions root failed");
		entries[n_entries++] = root;
		internal_hash(j, &entries[n_entries++]);
	}
	entries[n_entries++] = txinfo;
	info.previous_hash = j->blocks[j->n - 1].info.block_hash;
	if (qldb_merkle_root(j->sha, entries, n_entries, &info.entries_hash) != 0 ||
	    qldb_dot(j->sha, &info.entries_hash, &info.previous_hash, &info.block_hash) != 0)
		return fail(err, cap, "journal: block hash failed");

	/* The block text: head, transactionInfo (already in j->piece), revisions. */
	struct buf *b = &j->text;
	buf_clear(b);
	int rc = write_block_head(j, &info, txid, entries, n_entries);
	rc = rc ? rc : buf_append_str(b, ",transactionInfo:");
	rc = rc ? rc : buf_append(b, j->piece.data, j->piece.len);
	if (t->n_writes)
		rc = rc ? rc : buf_append_str(b, ",revisions:[");
	for (size_t i = 0; !rc && i < t->n_writes; i++) {
		rc = buf_append_str(b, i ? ",{blockAddress:" : "{blockAddress:");
		rc = rc ? rc : sim_ion_address(b, j->strand, info.seq);
		rc = rc ? rc : buf_append_str(b, ",hash:");
		rc = rc ? rc : sim_ion_blob(b, &rev[i]);
		rc = rc ? rc : buf_append_str(b, ",data:");
		rc = rc ? rc : buf_append_str(b, t->writes[i].data_ion);
		rc = rc ? rc : buf_append_str(b, ",metadata:");
		rc = rc ? rc : write_metadata(b, &t->writes[i], tx_ms, txid);
		rc = rc ? rc : buf_append_byte(b, '}');
	}
	if (t->n_writes)
		rc = rc ? rc : buf_append_byte(b, ']');
	rc = rc ? rc : buf_append_byte(b, '}');
	if (rc)
		return fail(err, cap, "journal: out of memory writing block %zu", j->n);
	return store_block(j, &info, err, cap);
}

int64_t sim_journal_commit(struct sim_journal *j, const struct sim_txn *t, char *err, size_t cap)
{
	if (check_txn(t, err, cap) != 0)
		return -1;
	pthread_mutex_lock(&j->mu);
	int64_t seq = commit_locked(j, t, err, cap) == 0 ? (int64_t)j->n - 1 : -1;
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
	int rc = qldb_merkle_acc_root(j->sha, &j->acc, digest);
	*tip = (int64_t)j->n - 1;
	pthread_mutex_unlock(&j->mu);
	return rc == 0 ? 0 : -1;
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
	if (seq >= 0 && seq <= tip && tip >= 0 && (size_t)tip < j->n) {
		/* the leaves: every block hash up to the tip (O(tip) per call,
		 * fine for a demo journal) */
		size_t n = (size_t)tip + 1;
		struct qldb_hash *leaves = malloc(n * sizeof *leaves);
		if (leaves) {
			for (size_t i = 0; i < n; i++)
				leaves[i] = j->blocks[i].info.block_hash;
			rc = qldb_merkle_path(j->sha, leaves, n, (size_t)seq, path, max, count);
			free(leaves);
		}
	}
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
