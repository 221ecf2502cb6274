/*
 * resource.h - the resource kinds the pollers iterate, as descriptors
 * (DESIGN.md "Panes and data kinds are registered, not wired"). The
 * poller, `qldbtop snapshot` and `qldbtop check` know no operation by
 * name: they walk RESOURCE_TABLE.
 *
 * A descriptor is: the kind's name, the AWS operation, its scope (once
 * per account, or once per ledger), the base interval, a fetch function
 * (one call, or several pages, on the worker's http_client; it parses
 * with the one parser in api/ and returns a heap value), the store slot
 * kind it fills, and the function that frees its value. Adding a kind
 * (streams, exports, Kinesis health, metrics, audit) is one new
 * resource_*.c file with a `const struct resource_desc` and one line in
 * the table in resource_table.c.
 *
 * Intervals: base_interval_s is the interval at the default scale; the
 * poller multiplies it by interval_s / POLLER_INTERVAL_UNIT_S (poller.h).
 *
 * Ownership: descriptors are static and const. fetch allocates *value on
 * success (freed by free_value, or by the store that takes it) and leaves
 * *value NULL on failure. Threads: fetch runs on a worker thread with that
 * worker's client; it must not keep state between calls.
 */
#ifndef QLDBTOP_API_RESOURCE_H
#define QLDBTOP_API_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"
#include "api/http.h"
#include "api/qldb.h"
#include "api/store.h"

#define RESOURCE_LEDGERS_MAX STORE_LEDGERS_MAX /* ledgers followed over all pages */
#define RESOURCE_PAGES_MAX 50		       /* ListLedgers pages per poll (100 each) */
#define RESOURCE_TOKEN_MAX 1024		       /* NextToken: 4..1024 chars (model) */

enum resource_scope {
	RESOURCE_SCOPE_ACCOUNT, /* key "": one per account (ListLedgers) */
	RESOURCE_SCOPE_LEDGER,	/* key ledger name: one per ledger */
};

struct cJSON;
struct resource_desc {
	const char *name;      /* "digest": messages, --help, JSON */
	const char *operation; /* "GetDigest" */
	enum resource_scope scope;
	unsigned base_interval_s; /* at the default --interval */
	enum store_kind kind;	  /* the slot it fills */
	/* GetDigest or what builds on it: QLDB answers only for an ACTIVE
	 * ledger, so the pollers do not call it while the ledger is known to be
	 * in another state (poller_not_ready) */
	bool needs_active;
	/* One poll. ledger is "" for RESOURCE_SCOPE_ACCOUNT. Returns 0 with *value
	 * set, or a negative api_status with err one line (no secrets). */
	int (*fetch)(struct http_client *c, const char *ledger, void **value,
		     struct api_error *err);
	void (*free_value)(void *value);
	/* How snapshot --json shows a value: its items appended to arr (a
	 * JSON array named after the kind in the ledger's object). NULL: the
	 * kind is shown by snapshot's own code (ledger, digest) or not at all. */
	void (*to_json)(const void *value, struct cJSON *arr);
};

/* The value of STORE_LEDGER_LIST: every ledger over all pages. */
struct resource_ledger_list {
	size_t n;
	bool truncated; /* more than RESOURCE_LEDGERS_MAX, or RESOURCE_PAGES_MAX pages */
	struct qldb_ledger_summary items[RESOURCE_LEDGERS_MAX];
};

/* The descriptors (resource_qldb.c). */
extern const struct resource_desc RESOURCE_LEDGERS; /* ListLedgers, every page */
extern const struct resource_desc RESOURCE_LEDGER;  /* DescribeLedger */
extern const struct resource_desc RESOURCE_DIGEST;  /* GetDigest */
/* the ledger's tags, ListTagsForResource on its ARN (resource_tags.c) */
extern const struct resource_desc RESOURCE_TAGS;
/* the auditor's rounds (resource_audit.c; needs resource_audit_setup) */
extern const struct resource_desc RESOURCE_AUDIT;
/* the journal's streams and exports (resource_journal.c) */
extern const struct resource_desc RESOURCE_STREAMS;
extern const struct resource_desc RESOURCE_EXPORTS;
/* each live journal stream's Kinesis target and lag (resource_kinesis.c) */
extern const struct resource_desc RESOURCE_KINESIS;
/* the ledger's AWS/QLDB CloudWatch metrics, last hour (resource_metrics.c) */
extern const struct resource_desc RESOURCE_METRICS;

/* Every descriptor, account scope first; the order is the poll order. */
extern const struct resource_desc *const RESOURCE_TABLE[];
extern const size_t RESOURCE_TABLE_N;

/* The descriptor that fills kind, or NULL when none does in this version
 * (snapshot says "not polled in this version" for those). */
const struct resource_desc *resource_for_kind(enum store_kind kind);

/* Pure pieces of the ListLedgers pager, exported for tests: the query of
 * page n (token NULL for the first): "max_results=100" or
 * "max_results=100&next_token=ENC" (RFC 3986 encoded, keys sorted), 0 or
 * API_ERR_LIMIT; and the NextToken of a page body ("" when none). */
int resource_ledgers_query(const char *token, char *out, size_t cap, struct api_error *err);
int resource_ledgers_next_token(const char *json, size_t len, char *token, size_t cap,
				struct api_error *err);
/* Append one parsed page to list (false and truncated set when full). */
bool resource_ledgers_append(struct resource_ledger_list *list,
			     const struct qldb_ledger_list *page);

#endif
