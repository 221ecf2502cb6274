/*
 * ledger.h - the endpoint's ledgers: what DescribeLedger and ListLedgers
 * report, and each ledger's journal. The registry is filled before the
 * server starts and is read-only while it serves (requests read it from
 * many threads without a lock); each journal has its own mutex.
 * Ownership: the registry owns its ledgers and their journals;
 * sim_ledgers_free releases them. Pointers from sim_ledgers_find are
 * borrowed until then.
 */
#ifndef QLDBTOP_SIM_LEDGER_H
#define QLDBTOP_SIM_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/journal.h"

#define SIM_LEDGER_NAME_MAX 32 /* API LedgerName: 1..32 */
#define SIM_LEDGERS_MAX 16     /* a demo endpoint holds a handful */
#define SIM_ARN_MAX 128

/* The demo ledger (README): name, account, journal seed and size. */
#define SIM_DEMO_LEDGER "financial-ledger"
#define SIM_DEMO_ACCOUNT "123456789012"
#define SIM_DEMO_SEED 20190102u
#define SIM_DEMO_BLOCKS 21     /* workload blocks after genesis */
#define SIM_DEMO_STEP_MS 20000 /* about 20 s between blocks */
#define SIM_DEMO_AGE_MS 600123 /* the ledger was created ~10 min before start */

struct sim_ledger {
	char name[SIM_LEDGER_NAME_MAX + 1];
	char arn[SIM_ARN_MAX];
	const char *state;	      /* LedgerState: ACTIVE, ... (static strings) */
	const char *permissions_mode; /* ALLOW_ALL or STANDARD */
	bool deletion_protection;
	const char *kms_key_arn;       /* AWS_OWNED_KMS_KEY or a key ARN */
	const char *encryption_status; /* ENABLED, UPDATING, KMS_KEY_INACCESSIBLE */
	int64_t created_ms;	       /* CreationDateTime */
	struct sim_journal *journal;   /* owned */
};

struct sim_ledgers {
	struct sim_ledger v[SIM_LEDGERS_MAX];
	size_t n;
};

/* API LedgerName rule: 1..32 of [A-Za-z0-9-], not all digits, no leading,
 * trailing or double '-'. */
bool sim_ledger_name_valid(const char *name);
/* Add an ACTIVE, STANDARD ledger with deletion protection and AWS-owned
 * encryption; takes ownership of journal (also on failure). Returns 0 or -1. */
int sim_ledgers_add(struct sim_ledgers *ls, const char *name, const char *region,
		    int64_t created_ms, struct sim_journal *journal, char *err, size_t cap);
/* Add financial-ledger with the sample journal, created SIM_DEMO_AGE_MS
 * before now_ms; its blocks lie between creation and now. */
int sim_ledgers_add_demo(struct sim_ledgers *ls, const char *region, int64_t now_ms, char *err,
			 size_t cap);
const struct sim_ledger *sim_ledgers_find(const struct sim_ledgers *ls, const char *name);
void sim_ledgers_free(struct sim_ledgers *ls);

#endif
