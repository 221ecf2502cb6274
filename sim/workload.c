/*
 * workload.c - the sample financial workload (see workload.h). Phase 0
 * creates the tables (a block with statements and no revisions), then
 * accounts are opened two per block, then each block is one transfer: an
 * insert into Transfers and an update of both accounts (three statements,
 * three revisions, so revision trees with an odd leaf count occur).
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

struct sim_workload {
	struct sim_journal *j;
	struct sim_rng rng;
	char accounts_table[SIM_ID_LEN + 1];
	char transfers_table[SIM_ID_LEN + 1];
	struct account acc[SIM_WORKLOAD_ACCOUNTS];
	size_t opened;	    /* accounts opened so far */
	int tables_created; /* phase 0 done */
	uint64_t next_transfer;
	struct buf data[3]; /* Ion text of the documents of one transaction */
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
	w->next_transfer = 1;
	return w;
}

void sim_workload_free(struct sim_workload *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < sizeof w->data / sizeof w->data[0]; i++)
		buf_free(&w->data[i]);
	free(w);
}

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

static int64_t step_create_tables(struct sim_workload *w, int64_t now, char *err, size_t cap)
{
	static const char *const stmts[] = { "CREATE TABLE Accounts", "CREATE TABLE Transfers",
					     "CREATE INDEX ON Accounts (accountId)" };
	struct sim_txn t = { .commit_ms = now, .statements = stmts, .n_statements = 3 };
	int64_t seq = sim_journal_commit(w->j, &t, err, cap);
	if (seq >= 0)
		w->tables_created = 1;
	return seq;
}

static int64_t step_open_accounts(struct sim_workload *w, int64_t now, char *err, size_t cap)
{
	char stmt_buf[SIM_WORKLOAD_OPEN_PER_BLOCK][WORKLOAD_STATEMENT_MAX];
	const char *stmts[SIM_WORKLOAD_OPEN_PER_BLOCK];
	struct sim_doc_write writes[SIM_WORKLOAD_OPEN_PER_BLOCK];
	size_t n = 0;
	for (; n < SIM_WORKLOAD_OPEN_PER_BLOCK && w->opened + n < SIM_WORKLOAD_ACCOUNTS; n++) {
		size_t k = w->opened + n;
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
	int64_t seq = sim_journal_commit(w->j, &t, err, cap);
	if (seq >= 0)
		w->opened += n;
	return seq;
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
	char transfer_id[24], transfer_doc[SIM_ID_LEN + 1];
	snprintf(transfer_id, sizeof transfer_id, "TRF-%06" PRIu64, w->next_transfer);
	sim_journal_new_id(w->j, transfer_doc);

	/* new state of both accounts */
	a->balance -= amount;
	b->balance += amount;
	a->version++, b->version++;
	a->transfers++, b->transfers++;

	char amt[32], bal_a[32], bal_b[32];
	cents_text(amt, sizeof amt, amount);
	cents_text(bal_a, sizeof bal_a, a->balance);
	cents_text(bal_b, sizeof bal_b, b->balance);
	char s0[WORKLOAD_STATEMENT_MAX], s1[WORKLOAD_STATEMENT_MAX], s2[WORKLOAD_STATEMENT_MAX];
	snprintf(s0, sizeof s0,
		 "INSERT INTO Transfers VALUE {'transferId': '%s', 'fromAccount': '%s', "
		 "'toAccount': '%s', 'amount': %s, 'memo': '%s'}",
		 transfer_id, a->account_id, b->account_id, amt, memo);
	snprintf(s1, sizeof s1, "UPDATE Accounts AS a SET a.balance = %s WHERE a.accountId = '%s'",
		 bal_a, a->account_id);
	snprintf(s2, sizeof s2, "UPDATE Accounts AS a SET a.balance = %s WHERE a.accountId = '%s'",
		 bal_b, b->account_id);
	const char *stmts[3] = { s0, s1, s2 };

	struct buf *d = w->data;
	buf_clear(&d[0]);
	int rc = buf_append_str(&d[0], "{transferId:");
	rc = rc ? rc : sim_ion_string(&d[0], transfer_id);
	rc = rc ? rc : buf_append_str(&d[0], ",fromAccount:");
	rc = rc ? rc : sim_ion_string(&d[0], a->account_id);
	rc = rc ? rc : buf_append_str(&d[0], ",toAccount:");
	rc = rc ? rc : sim_ion_string(&d[0], b->account_id);
	rc = rc ? rc : buf_append_str(&d[0], ",amount:");
	rc = rc ? rc : sim_ion_decimal_cents(&d[0], amount);
	rc = rc ? rc : buf_append_str(&d[0], ",currency:\"USD\",postedAt:");
	rc = rc ? rc : sim_ion_timestamp_ms(&d[0], now);
	rc = rc ? rc : buf_append_str(&d[0], ",memo:");
	rc = rc ? rc : sim_ion_string(&d[0], memo);
	rc = rc ? rc : buf_append_byte(&d[0], '}');
	rc = rc ? rc : account_ion(&d[1], a, ACCOUNTS[from].owner, now);
	rc = rc ? rc : account_ion(&d[2], b, ACCOUNTS[to].owner, now);
	const char *text[3] = { NULL, NULL, NULL };
	for (int i = 0; !rc && i < 3; i++)
		rc = (text[i] = buf_cstr(&d[i])) ? 0 : -1;
	if (rc) {
		snprintf(err, cap, "workload: out of memory");
		return -1;
	}
	struct sim_doc_write writes[3] = {
		{ "Transfers", w->transfers_table, transfer_doc, 0, text[0], 0 },
		{ "Accounts", w->accounts_table, a->doc_id, a->version, text[1], 1 },
		{ "Accounts", w->accounts_table, b->doc_id, b->version, text[2], 2 },
	};
	struct sim_txn t = { .commit_ms = now,
			     .statements = stmts,
			     .n_statements = 3,
			     .writes = writes,
			     .n_writes = 3 };
	int64_t seq = sim_journal_commit(w->j, &t, err, cap);
	if (seq >= 0)
		w->next_transfer++;
	return seq;
}

int64_t sim_workload_step(struct sim_workload *w, int64_t commit_ms, char *err, size_t cap)
{
	if (!w->tables_created)
		return step_create_tables(w, commit_ms, err, cap);
	if (w->opened < SIM_WORKLOAD_ACCOUNTS)
		return step_open_accounts(w, commit_ms, err, cap);
	return step_transfer(w, commit_ms, err, cap);
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
	struct sim_rng jitter;
	sim_rng_seed(&jitter, seed + 1);
	for (size_t i = 0; i < n_blocks; i++) {
		now += step_ms +
		       (step_ms >= 4 ? (int64_t)sim_rng_below(&jitter, (uint64_t)step_ms / 4) : 0);
		if (sim_workload_step(w, now, err, cap) < 0) {
			sim_workload_free(w);
			sim_journal_free(j);
			return NULL;
		}
	}
	sim_workload_free(w);
	return j;
}
