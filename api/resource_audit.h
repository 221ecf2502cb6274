/*
 * resource_audit.h - the audit kind (RESOURCE_AUDIT in resource.h): one
 * auditor per ledger (api/auditor.h), kept across polls, run by the
 * pollers at the digest's pace on the worker's own client. Each round's
 * events go into the store's audit ring; the ledger's STORE_AUDIT slot
 * gets its struct audit_summary.
 *
 * The auditors are state a descriptor cannot hold (descriptors are const
 * and their fetch keeps nothing), so they live here, set up once per
 * process by whoever starts the pollers (the dashboard, snapshot, check)
 * and torn down after the pollers stop. Without the set-up the audit kind
 * fails with a one-line error, so nothing is claimed.
 *
 * Vault: with use_vault every ledger's digests go to its vault file
 * (api/vault.h, under vault_root or $XDG_STATE_HOME), and the first round
 * proves continuity from the vault's last entry: a history rewritten
 * between two runs of `qldbtop check` is caught. A vault that cannot be
 * opened makes that ledger's audit fail with the reason (never silently
 * vault-less).
 *
 * Threads: fetch may run on any worker; one ledger's rounds are
 * serialised by its own lock. Ownership: the set-up copies cfg (secrets
 * wiped at teardown) and borrows store until teardown.
 */
#ifndef QLDBTOP_API_RESOURCE_AUDIT_H
#define QLDBTOP_API_RESOURCE_AUDIT_H

#include <stdbool.h>

#include "api/config.h"
#include "api/error.h"
#include "api/store.h"

#define RESOURCE_AUDIT_LEDGERS_MAX 64 /* auditors kept; more ledgers fail audit */

/* 0, or a negative api_status with err (out of memory). vault_root NULL:
 * the XDG default. */
int resource_audit_setup(struct store *store, const struct api_config *cfg, bool use_vault,
			 const char *vault_root, struct api_error *err);
/* After every poller has stopped. Safe without a set-up. */
void resource_audit_teardown(void);

#endif
