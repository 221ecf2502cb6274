/*
 * workload.c - the sample financial workload (see workload.h). Phase 0
 * creates the tables (a block with statements and no revisions), then
 * accounts are opened two per block, then each block is one transfer: an
 * insert into Transfers, an update of both accounts and an AuditTrail
 * entry. Every SIM_WORKLOAD_VOID_EVERY-th step voids the last transfer
 * instead: its document is deleted (a revision with metadata and no data),
 * both balances are restored and the audit trail says so. Now and then
 * (SIM_WORKLOAD_REDACT_EVERY) a step redacts the last transfer's first
 * revision (redact_revision: its data becomes a dataHash). Revision trees
 * of 2 and 4 leaves, deleted-document revisions, redacted revisions and
 * blocks with redactionInfo all occur.
 *
 * The whole state (accounts, counters, the generator) is a few hundred
 * bytes, encoded into each block's aux so a durable journal resumes the
 * workload exactly where it stopped (sim_workload_resume).
 */
#include "sim/workload.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ion_fmt.h"
#include "verify/buf.h"

#define WORKLOAD_STATEMENT_MAX 512 /* longest PartiQL statement we compose */
#define WORKLOAD_MIN_TRANSFER 500  /* cents */
#define WORKLOAD_MAX_TRANSFER 25000
#define WORKLOAD_STATE_VERSION 1
#define WORKLOAD_WRITES 4 /* revisions of a transfer or a void */

/* Owners and opening balances (cents) of the sample accounts. */
static const struct {
	const char *owner;
	int64_t opening;
} ACCOUNTS[SIM_WORKLOAD_ACCOUNTS] = {
	{ "Alice Martin", 125000 }, { "Bob Okafor", 98050 },	 { "Chen Wei", 250000 },
	{ "Dana Kowalski", 43025 }, { "Emeka Obi", 175075 },	 { "Farah Haddad", 62000 },
	{ "Gustavo Lima", 310000 }, { "Hannah Schmidt", 80090 },
};

static const char *const MEMOS[] = { "invoice settlement", "rent",
				     "payroll advance",	   "refund",
				     "supplier payment",   "loan repayment" };

struct account {
	char account_id[16];
	char doc_id[SIM_ID_LEN + 1];
	int64_t balance; /* cents */
	int64_t version;
	int64_t transfers;
	int64_t opened_ms;
};

/* The last posted transfer, so a void can undo it. */
struct last_transfer {
	char doc_id[SIM_ID_LEN + 1];
	char transfer_id[24];
	uint64_t from, to;
	int64_t amount, version;
	int64_t live;	    /* 1 while it can still be voided */
	int64_t insert_seq; /* the block holding its version 0 */
	int64_t redacted;   /* 1 once version 0's data is redacted */
};

struct sim_workload {
	struct sim_journal *j;
	struct sim_rng rng;
	char accounts_table[SIM_ID_LEN + 1];
	char transfers_table[SIM_ID_LEN + 1];
	char audit_table[SIM_ID_LEN + 1];
	struct account acc[SIM_WORKLOAD_ACCOUNTS];
	uint64_t opened;	 /* accounts opened so far */
	uint64_t tables_created; /* phase 0 done */
	uint64_t next_transfer;
	uint64_t steps; /* transfers and voids so far */
	uint64_t next_audit;
	struct last_transfer last;
	struct buf data[WORKLOAD_WRITES]; /* Ion text of one transaction's documents */
	struct buf state;		  /* the encoded state (aux) */
};

struct sim_workload *sim_workload_new(struct sim_journal *j, uint64_t seed, char *err, size_t cap)
{
	struct sim_workload *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, cap, "workload: out of memory");
		return NULL;
	}
	w->j = j;
	sim_rng_seed(&w->rng, seed ^ 0x5eed5eed5eed5eedull);
	sim_rng_id(&w->rng, w->accounts_table);
	sim_rng_id(&w->rng, w->transfers_table);
	sim_rng_id(&w->rng, w->audit_table);
	w->next_transfer = 1;
	w->next_audit = 1;
	return w;
}

void sim_workload_free(struct sim_workload *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < sizeof w->data / sizeof w->data[0]; i++)
		buf_free(&w->data[i]);
	buf_free(&w->state);
	free(w);
}

/* ---- the state, as aux bytes ------------------------------------------ */

static int put_u64(struct buf *b, uint64_t v)
{
	uint8_t x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	return buf_append(b, x, 8);
}

/* Fixed-size text fields are stored whole, NUL padding included. */
static int put_text(struct buf *b, const char *s, size_t size)
{
	return buf_append(b, s, size);
}

static int workload_encode(const struct sim_workload *w, struct buf *b)
{
	buf_clear(b);
	int rc = put_u64(b, WORKLOAD_STATE_VERSION);
	rc = rc ? rc : put_u64(b, w->rng.state);
	rc = rc ? rc : put_text(b, w->accounts_table, sizeof w->accounts_table);
	rc = rc ? rc : put_text(b, w->transfers_table, sizeof w->transfers_table);
	rc = rc ? rc : put_text(b, w->audit_table, sizeof w->audit_table);
	rc = rc ? rc : put_u64(b, w->opened);
	rc = rc ? rc : put_u64(b, w->tables_created);
	rc = rc ? rc : put_u64(b, w->next_transfer);
	rc = rc ? rc : put_u64(b, w->steps);
	rc = rc ? rc : put_u64(b, w->next_audit);
	for (size_t i = 0; !rc && i < SIM_WORKLOAD_ACCOUNTS; i++) {
		const struct account *a = &w->acc[i];
		rc = put_text(b, a->account_id, sizeof a->account_id);
		rc = rc ? rc : put_text(b, a->doc_id, sizeof a->doc_id);
		rc = rc ? rc : put_u64(b, (uint64_t)a->balance);
		rc = rc ? rc : put_u64(b, (uint64_t)a->version);
		rc = rc ? rc : put_u64(b, (uint64_t)a->transfers);
		rc = rc ? rc : put_u64(b, (uint64_t)a->opened_ms);
	}
	const struct last_transfer *l = &w->last;
	rc = rc ? rc : put_text(b, l->doc_id, sizeof l->doc_id);
	rc = rc ? rc : put_text(b, l->transfer_id, sizeof l->transfer_id);
	rc = rc ? rc : put_u64(b, l->from);
	rc = rc ? rc : put_u64(b, l->to);
	rc = rc ? rc : put_u64(b, (uint64_t)l->amount);
	rc = rc ? rc : put_u64(b, (uint64_t)l->version);
	rc = rc ? rc : put_u64(b, (uint64_t)l->live);
	rc = rc ? rc : put_u64(b, (uint64_t)l->insert_seq);
	return rc ? rc : put_u64(b, (uint64_t)l->redacted);
}

struct reader {
	const uint8_t *p;
	size_t n, at;
	int bad;
};

static uint64_t get_u64(struct reader *r)
{
	uint64_t v = 0;
	if (r->bad || r->n - r->at < 8) {
		r->bad = 1;
		return 0;
	}
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | r->p[r->at + (size_t)i];
	r->at += 8;
	return v;
}

/* A fixed-size text field: NUL-terminated within its size. */
static void get_text(struct reader *r, char *out, size_t size)
{
	if (r->bad || r->n - r->at < size || !memchr(r->p + r->at, '\0', size)) {
		r->bad = 1;
		return;
	}
	memcpy(out, r->p + r->at, size);
	r->at += size;
}

static int workload_decode(struct sim_workload *w, const uint8_t *p, size_t n)
{
	struct reader r = { p, n, 0, 0 };
	if (get_u64(&r) != WORKLOAD_STATE_VERSION)
		return -1;
	struct sim_workload t = *w; /* decoded into a copy: all or nothing */
	t.rng.state = get_u64(&r);
	get_text(&r, t.accounts_table, sizeof t.accounts_table);
	get_text(&r, t.transfers_table, sizeof t.transfers_table);
	get_text(&r, t.audit_table, sizeof t.audit_table);
	t.opened = get_u64(&r);
	t.tables_created = get_u64(&r);
	t.next_transfer = get_u64(&r);
	t.steps = get_u64(&r);
	t.next_audit = get_u64(&r);
	for (size_t i = 0; i < SIM_WORKLOAD_ACCOUNTS; i++) {
		struct account *a = &t.acc[i];
		get_text(&r, a->account_id, sizeof a->account_id);
		get_text(&r, a->doc_id, sizeof a->doc_id);
		a->balance = (int64_t)get_u64(&r);
		a->version = (int64_t)get_u64(&r);
		a->transfers = (int64_t)get_u64(&r);
		a->opened_ms = (int64_t)get_u64(&r);
	}
	struct last_transfer *l = &t.last;
	get_text(&r, l->doc_id, sizeof l->doc_id);
	get_text(&r, l->transfer_id, sizeof l->transfer_id);
	l->from = get_u64(&r);
	l->to = get_u64(&r);
	l->amount = (int64_t)get_u64(&r);
	l->version = (int64_t)get_u64(&r);
	l->live = (int64_t)get_u64(&r);
	l->insert_seq = (int64_t)get_u64(&r);
	l->redacted = (int64_t)get_u64(&r);
	if (r.bad || r.at != n || t.opened > SIM_WORKLOAD_ACCOUNTS ||
	    l->from >= SIM_WORKLOAD_ACCOUNTS || l->to >= SIM_WORKLOAD_ACCOUNTS)
		return -1;
	*w = t;
	return 0;
}

struct sim_workload *sim_workload_resume(struct sim_journal *j, uint64_t seed, char *err,
					 size_t cap)
{
	struct sim_workload *w = sim_workload_new(j, seed, err, cap);
	uint8_t *aux = NULL;
	size_t n = w ? sim_journal_aux(j, &aux) : 0;
	if (w && n && workload_decode(w, aux, n) != 0) {
		snprintf(err, cap, "workload: the journal's saved workload state is not valid");
		sim_workload_free(w);
		w = NULL;
	} else if (w && !n && sim_journal_block_count(j) > 1) {
		snprintf(err, cap, "workload: the journal has blocks but no saved workload state");
		sim_workload_free(w);
		w = NULL;
	}
	free(aux);
	return w;
}

/* ---- documents and steps ------------------------------------------------ */

/* The Ion text of an account document. */
static int account_ion(struct buf *b, const struct account *a, const char *owner, int64_t now_ms)
{
	buf_clear(b);
	int rc = buf_append_str(b, "{accountId:");
	rc = rc ? rc : sim_ion_string(b, a->account_id);
	rc = rc ? rc : buf_append_str(b, ",owner:");
	rc = rc ? rc : sim_ion_string(b, owner);
	rc = rc ? rc : buf_append_str(b, ",currency:\"USD\",balance:");
	rc = rc ? rc : sim_ion_decimal_cents(b, a->balance);
	rc = rc ? rc : buf_append_str(b, ",status:\"OPEN\",openedAt:");
	rc = rc ? rc : sim_ion_timestamp_ms(b, a->opened_ms);
	rc = rc ? rc : buf_append_str(b, ",updatedAt:");
	rc = rc ? rc : sim_ion_timestamp_ms(b, now_ms);
	rc = rc ? rc : buf_printf(b, ",transferCount:%" PRId64 "}", a->transfers);
	return rc;
}

/* An AuditTrail document: what happened, to which transfer, when. */
static int audit_ion(struct buf *b, const char *audit_id, const char *event, const char *ref,
		     int64_t amount, int64_t now_ms)
{
	buf_clear(b);
	int rc = buf_append_str(b, "{auditId:");
	rc = rc ? rc : sim_ion_string(b, audit_id);
	rc = rc ? rc : buf_append_str(b, ",event:");
	rc = rc ? rc : sim_ion_string(b, event);
	rc = rc ? rc : buf_append_str(b, ",transferId:");
	rc = rc ? rc : sim_ion_string(b, ref);
	rc = rc ? rc : buf_append_str(b, ",amount:");
	rc = rc ? rc : sim_ion_decimal_cents(b, amount);
	rc = rc ? rc : buf_append_str(b, ",actor:\"ledger-service\",at:");
	rc = rc ? rc : sim_ion_timestamp_ms(b, now_ms);
	return rc ? rc : buf_append_byte(b, '}');
}

/* NUL-terminate a buffer's text (not counted in len); NULL on OOM. */
static const char *buf_cstr(struct buf *b)
{
	if (buf_append_byte(b, '\0') != 0)
		return NULL;
	b->len--;
	return (const char *)b->data;
}

static void cents_text(char *out, size_t cap, int64_t cents)
{
	snprintf(out, cap, "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
}

/* Commit t with the workload's state (already advanced) as its aux. */
static int64_t commit(struct sim_workload *w, struct sim_txn *t, char *err, size_t cap)
{
	if (workload_encode(w, &w->state) != 0) {
		snprintf(err, cap, "workload: out of memory");
		return -1;
	}
	t->aux = w->state.data;
	t->aux_len = w->state.len;
	return sim_journal_commit(w->j, t, err, cap);
}

static int64_t step_create_tables(struct sim_workload *w, int64_t now, char *err, size_t cap)
{
	static const char *const stmts[] = { "CREATE TABLE Accounts", "CREATE TABLE Transfers",
					     "CREATE TABLE AuditTrail",
					     "CREATE INDEX ON Accounts (accountId)" };
	struct sim_txn t = { .commit_ms = now, .statements = stmts, .n_statements = 4 };
	w->tables_created = 1;
	return commit(w, &t, err, cap);
}

static int64_t step_open_accounts(struct sim_workload *w, int64_t now, char *err, size_t cap)
{
	char stmt_buf[SIM_WORKLOAD_OPEN_PER_BLOCK][WORKLOAD_STATEMENT_MAX];
	const char *stmts[SIM_WORKLOAD_OPEN_PER_BLOCK];
	struct sim_doc_write writes[SIM_WORKLOAD_OPEN_PER_BLOCK];
	size_t n = 0;
	for (; n < SIM_WORKLOAD_OPEN_PER_BLOCK && w->opened + n < SIM_WORKLOAD_ACCOUNTS; n++) {
		size_t k = (size_t)w->opened + n;
		struct account *a = &w->acc[k];
		snprintf(a->account_id, sizeof a->account_id, "ACC-%04zu", 1001 + k);
		sim_journal_new_id(w->j, a->doc_id);
		a->balance = ACCOUNTS[k].opening;
		a->opened_ms = now;
		char amount[32];
		cents_text(amount, sizeof amount, a->balance);
		snprintf(stmt_buf[n], sizeof stmt_buf[n],
			 "INSERT INTO Accounts VALUE {'accountId': '%s', 'owner': '%s', "
			 "'currency': 'USD', 'balance': %s}",
			 a->account_id, ACCOUNTS[k].owner, amount);
		stmts[n] = stmt_buf[n];
		if (account_ion(&w->data[n], a, ACCOUNTS[k].owner, now)) {
			snprintf(err, cap, "workload: out of memory");
			return -1;
		}
		writes[n] = (struct sim_doc_write){ .table_name = "Accounts",
						    .table_id = w->accounts_table,
						    .doc_id = a->doc_id,
						    .version = 0,
						    .statement = n };
	}
	for (size_t i = 0; i < n; i++)
		if (!(writes[i].data_ion = buf_cstr(&w->data[i]))) {
			snprintf(err, cap, "workload: out of memory");
			return -1;
		}
	struct sim_txn t = { .commit_ms = now,
			     .statements = stmts,
			     .n_statements = n,
			     .writes = writes,
			     .n_writes = n };
	w->opened += n;
	return commit(w, &t, err, cap);
}

/* The two account updates and the audit entry that a transfer and a void
 * share: documents in w->data[1..3], statements s[1..3]. */
static int balances_and_audit(struct sim_workload *w, const char *event, int64_t amount,
			      int64_t now, char s[][WORKLOAD_STATEMENT_MAX], char *audit_doc)
{
	struct account *a = &w->acc[w->last.from], *b = &w->acc[w->last.to];
	char bal_a[32], bal_b[32], amt[32], audit_id[24];
	cents_text(bal_a, sizeof bal_a, a->balance);
	cents_text(bal_b, sizeof bal_b, b->balance);
	cents_text(amt, sizeof amt, amount);
	snprintf(audit_id, sizeof audit_id, "AUD-%06" PRIu64, w->next_audit++);
	snprintf(s[1], WORKLOAD_STATEMENT_MAX,
		 "UPDATE Accounts AS a SET a.balance = %s WHERE a.accountId = '%s'", bal_a,
		 a->account_id);
	snprintf(s[2], WORKLOAD_STATEMENT_MAX,
		 "UPDATE Accounts AS a SET a.balance = %s WHERE a.accountId = '%s'", bal_b,
		 b->account_id);
	snprintf(s[3], WORKLOAD_STATEMENT_MAX,
		 "INSERT INTO AuditTrail VALUE {'auditId': '%s', 'event': '%s', "
		 "'transferId': '%s', 'amount': %s}",
		 audit_id, event, w->last.transfer_id, amt);
	sim_journal_new_id(w->j, audit_doc);
	int rc = account_ion(&w->data[1], a, ACCOUNTS[w->last.from].owner, now);
	rc = rc ? rc : account_ion(&w->data[2], b, ACCOUNTS[w->last.to].owner, now);
	return rc ? rc : audit_ion(&w->data[3], audit_id, event, w->last.transfer_id, amount, now);
}

/* Commit the four writes of a transfer or a void (data[0] NULL: deleted). */
static int64_t commit_four(struct sim_workload *w, int64_t now, char s[][WORKLOAD_STATEMENT_MAX],
			   const char *doc0, int64_t version0, int deleted, const char *audit_doc,
			   char *err, size_t cap)
{
	const char *text[WORKLOAD_WRITES] = { NULL, NULL, NULL, NULL };
	for (int i = deleted ? 1 : 0; i < WORKLOAD_WRITES; i++)
		if (!(text[i] = buf_cstr(&w->data[i]))) {
			snprintf(err, cap, "workload: out of memory");
			return -1;
		}
	const struct account *a = &w->acc[w->last.from], *b = &w->acc[w->last.to];
	struct sim_doc_write writes[WORKLOAD_WRITES] = {
		{ "Transfers", w->transfers_table, doc0, version0, text[0], 0 },
		{ "Accounts", w->accounts_table, a->doc_id, a->version, text[1], 1 },
		{ "Accounts", w->accounts_table, b->doc_id, b->version, text[2], 2 },
		{ "AuditTrail", w->audit_table, audit_doc, 0, text[3], 3 },
	};
	const char *stmts[WORKLOAD_WRITES] = { s[0], s[1], s[2], s[3] };
	struct sim_txn t = { .commit_ms = now,
			     .statements = stmts,
			     .n_statements = WORKLOAD_WRITES,
			     .writes = writes,
			     .n_writes = WORKLOAD_WRITES };
	return commit(w, &t, err, cap);
}

static int64_t step_transfer(struct sim_workload *w, int64_t now, char *err, size_t cap)
{
	size_t from = (size_t)sim_rng_below(&w->rng, SIM_WORKLOAD_ACCOUNTS);
	size_t to = (from + 1 + (size_t)sim_rng_below(&w->rng, SIM_WORKLOAD_ACCOUNTS - 1)) %
		    SIM_WORKLOAD_ACCOUNTS;
	struct account *a = &w->acc[from], *b = &w->acc[to];
	int64_t amount =
		WORKLOAD_MIN_TRANSFER +
		(int64_t)sim_rng_below(&w->rng, WORKLOAD_MAX_TRANSFER - WORKLOAD_MIN_TRANSFER);
	if (amount > a->balance)
		amount = a->balance / 2; /* never overdraw */
	const char *memo = MEMOS[sim_rng_below(&w->rng, sizeof MEMOS / sizeof MEMOS[0])];
	struct last_transfer *l = &w->last;
	/* the workload is its journal's only writer: the next block is ours */
	*l = (struct last_transfer){ .from = from,
				     .to = to,
				     .amount = amount,
				     .live = 1,
				     .insert_seq = (int64_t)sim_journal_block_count(w->j) };
	snprintf(l->transfer_id, sizeof l->transfer_id, "TRF-%06" PRIu64, w->next_transfer++);
	sim_journal_new_id(w->j, l->doc_id);
	a->balance -= amount;
	b->balance += amount;
	a->version++, b->version++;
	a->transfers++, b->transfers++;

	char s[WORKLOAD_WRITES][WORKLOAD_STATEMENT_MAX], amt[32], audit_doc[SIM_ID_LEN + 1];
	cents_text(amt, sizeof amt, amount);
	snprintf(s[0], sizeof s[0],
		 "INSERT INTO Transfers VALUE {'transferId': '%s', 'fromAccount': '%s', "
		 "'toAccount': '%s', 'amount': %s, 'memo': '%s'}",
		 l->transfer_id, a->account_id, b->account_id, amt, memo);
	struct buf *d = &w->data[0];
	buf_clear(d);
	int rc = buf_append_str(d, "{transferId:");
	rc = rc ? rc : sim_ion_string(d, l->transfer_id);
	rc = rc ? rc : buf_append_str(d, ",fromAccount:");
	rc = rc ? rc : sim_ion_string(d, a->account_id);
	rc = rc ? rc : buf_append_str(d, ",toAccount:");
	rc = rc ? rc : sim_ion_string(d, b->account_id);
	rc = rc ? rc : buf_append_str(d, ",amount:");
	rc = rc ? rc : sim_ion_decimal_cents(d, amount);
	rc = rc ? rc : buf_append_str(d, ",currency:\"USD\",postedAt:");
	rc = rc ? rc : sim_ion_timestamp_ms(d, now);
	rc = rc ? rc : buf_append_str(d, ",memo:");
	rc = rc ? rc : sim_ion_string(d, memo);
	rc = rc ? rc : buf_append_byte(d, '}');
	rc = rc ? rc : balances_and_audit(w, "TRANSFER_POSTED", amount, now, s, audit_doc);
	if (rc) {
		snprintf(err, cap, "workload: out of memory");
		return -1;
	}
	return commit_four(w, now, s, l->doc_id, 0, 0, audit_doc, err, cap);
}

/* Void the last transfer: delete its document, give the money back. */
static int64_t step_void(struct sim_workload *w, int64_t now, char *err, size_t cap)
{
	struct last_transfer *l = &w->last;
	struct account *a = &w->acc[l->from], *b = &w->acc[l->to];
	a->balance += l->amount;
	b->balance -= l->amount;
	a->version++, b->version++;
	l->version++;
	l->live = 0;
	char s[WORKLOAD_WRITES][WORKLOAD_STATEMENT_MAX], audit_doc[SIM_ID_LEN + 1];
	snprintf(s[0], sizeof s[0], "DELETE FROM Transfers AS t WHERE t.transferId = '%s'",
		 l->transfer_id);
	if (balances_and_audit(w, "TRANSFER_VOIDED", l->amount, now, s, audit_doc)) {
		snprintf(err, cap, "workload: out of memory");
		return -1;
	}
	return commit_four(w, now, s, l->doc_id, l->version, 1, audit_doc, err, cap);
}

/* Redact the last transfer's memo and amounts (version 0's data), as an
 * operator would after a data-protection request. */
static int64_t step_redact(struct sim_workload *w, int64_t now, char *err, size_t cap)
{
	struct last_transfer *l = &w->last;
	char stmt[WORKLOAD_STATEMENT_MAX];
	snprintf(stmt, sizeof stmt,
		 "EXEC redact_revision '{strandId:\"%s\",sequenceNo:%" PRId64 "}', '%s', '%s'",
		 sim_journal_strand(w->j), l->insert_seq, w->transfers_table, l->doc_id);
	const char *stmts[1] = { stmt };
	struct sim_redaction r = { .seq = l->insert_seq,
				   .table_id = w->transfers_table,
				   .doc_id = l->doc_id,
				   .version = 0 };
	struct sim_txn t = {
		.commit_ms = now, .statements = stmts, .n_statements = 1, .redact = &r
	};
	l->redacted = 1;
	return commit(w, &t, err, cap);
}

static int64_t step_next(struct sim_workload *w, int64_t commit_ms, char *err, size_t cap)
{
	if (!w->tables_created)
		return step_create_tables(w, commit_ms, err, cap);
	if (w->opened < SIM_WORKLOAD_ACCOUNTS)
		return step_open_accounts(w, commit_ms, err, cap);
	w->steps++;
	if (w->steps % SIM_WORKLOAD_REDACT_EVERY == SIM_WORKLOAD_REDACT_EVERY / 2 && w->last.live &&
	    !w->last.redacted)
		return step_redact(w, commit_ms, err, cap);
	if (w->steps % SIM_WORKLOAD_VOID_EVERY == 0 && w->last.live &&
	    w->acc[w->last.to].balance >= w->last.amount)
		return step_void(w, commit_ms, err, cap);
	return step_transfer(w, commit_ms, err, cap);
}

int64_t sim_workload_step(struct sim_workload *w, int64_t commit_ms, char *err, size_t cap)
{
	struct buf before = { 0 };
	if (workload_encode(w, &before) != 0) {
		buf_free(&before);
		snprintf(err, cap, "workload: out of memory");
		return -1;
	}
	int64_t seq = step_next(w, commit_ms, err, cap);
	if (seq < 0 && workload_decode(w, before.data, before.len) != 0)
		snprintf(err, cap, "workload: cannot restore the state after a failed commit");
	buf_free(&before);
	return seq;
}

struct sim_journal *sim_workload_build(uint64_t seed, int64_t genesis_ms, size_t n_blocks,
				       int64_t step_ms, char *err, size_t cap)
{
	struct sim_journal *j = sim_journal_new(seed, genesis_ms, err, cap);
	struct sim_workload *w = j ? sim_workload_new(j, seed, err, cap) : NULL;
	if (!w) {
		sim_journal_free(j);
		return NULL;
	}
	int64_t now = genesis_ms;
	for (size_t i = 0; i < n_blocks; i++) {
		now = sim_workload_next_time(seed, (int64_t)i + 1, now, step_ms);
		if (sim_workload_step(w, now, err, cap) < 0) {
			sim_workload_free(w);
			sim_journal_free(j);
			return NULL;
		}
	}
	sim_workload_free(w);
	return j;
}

int64_t sim_workload_next_time(uint64_t seed, int64_t seq, int64_t prev_ms, int64_t step_ms)
{
	struct sim_rng r;
	sim_rng_seed(&r, seed ^ ((uint64_t)seq * 0x9e3779b97f4a7c15ull));
	int64_t jitter = step_ms >= 4 ? (int64_t)sim_rng_below(&r, (uint64_t)step_ms / 4) : 0;
	return prev_ms + step_ms + jitter;
}
