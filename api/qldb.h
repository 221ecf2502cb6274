/*
 * qldb.h - the QLDB control-plane calls the dashboard makes (rest-json,
 * docs/aws-api.md §2) and the parsers for their responses.
 *
 * The parsers are pure (JSON text in, plain structs out) so tests feed
 * them the exact shapes of the service model; the call functions add the
 * HTTP request. Every field is type-checked: a wrong type, a missing
 * required member, or a digest that is not 32 bytes is an error naming the
 * operation and the field. Timestamps are epoch seconds as double.
 *
 * Ownership: all result structs are plain values with fixed-size buffers
 * (no pointers), so they can be copied whole and freed with free() when
 * heap-allocated. JSON inputs are borrowed and must be NUL-terminated at
 * json[len].
 */
#ifndef QLDBTOP_API_QLDB_H
#define QLDBTOP_API_QLDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/http.h"

#define QLDB_NAME_MAX 32	      /* LedgerName: 1..32 chars (model) */
#define QLDB_ENUM_MAX 32	      /* longest enum value is KMS_KEY_INACCESSIBLE */
#define QLDB_ARN_MAX 1600	      /* Arn shape max (model) */
#define QLDB_LIST_MAX 100	      /* ListLedgers MaxResults upper bound (model) */
#define QLDB_DIGEST_BYTES 32	      /* Digest blob: exactly 32 bytes (model) */
#define QLDB_TIP_MAX 256	      /* an address is {strandId:"22 chars",sequenceNo:N} */
#define QLDB_STRAND_MAX 64	      /* strand ids are 22 base62 chars */
#define QLDB_RESPONSE_MAX (64u << 10) /* these three answers are tiny */

struct qldb_ledger_summary {
	char name[QLDB_NAME_MAX + 1];
	char state[QLDB_ENUM_MAX]; /* "" when absent */
	double created;		   /* epoch seconds; valid when has_created */
	bool has_created;
};

struct qldb_ledger_list {
	size_t n;
	struct qldb_ledger_summary items[QLDB_LIST_MAX];
	bool more; /* the service returned a NextToken (not followed yet) */
};

struct qldb_ledger {
	char name[QLDB_NAME_MAX + 1];
	char arn[QLDB_ARN_MAX + 1];
	char state[QLDB_ENUM_MAX];
	char permissions_mode[QLDB_ENUM_MAX];
	bool deletion_protection, has_deletion_protection;
	double created;
	bool has_created;
	/* EncryptionDescription; absent means an AWS owned key */
	bool has_encryption;
	char kms_key_arn[QLDB_ARN_MAX + 1];
	char encryption_status[QLDB_ENUM_MAX];
	double kms_inaccessible_since;
	bool has_kms_inaccessible_since;
};

struct qldb_digest {
	uint8_t digest[QLDB_DIGEST_BYTES];
	char digest_b64[48];	    /* as received (44 chars for 32 bytes) */
	char tip_ion[QLDB_TIP_MAX]; /* DigestTipAddress.IonText, verbatim */
	char strand_id[QLDB_STRAND_MAX];
	uint64_t sequence_no;
};

/* LedgerName rule: 1..32 of [A-Za-z0-9-]. (The model's finer rules are
 * the service's to enforce; this is what makes a name safe in a path.) */
bool qldb_name_is_valid(const char *name);

/* Response parsers: 0 or API_ERR_PARSE / API_ERR_LIMIT with err filled. */
int qldb_parse_list_ledgers(const char *json, size_t len, struct qldb_ledger_list *out,
			    struct api_error *err);
int qldb_parse_describe_ledger(const char *json, size_t len, struct qldb_ledger *out,
			       struct api_error *err);
int qldb_parse_get_digest(const char *json, size_t len, struct qldb_digest *out,
			  struct api_error *err);

/* A block address in Ion text, {strandId:"...",sequenceNo:N}: strict
 * reader for exactly these two fields (any order, names bare or quoted).
 * Returns 0 or API_ERR_PARSE naming the byte offset. */
int qldb_parse_block_address(const char *ion, char *strand, size_t strand_cap, uint64_t *seq,
			     struct api_error *err);

/* The calls. Each returns 0 or a negative api_status with err filled. */
int qldb_list_ledgers(struct http_client *c, struct qldb_ledger_list *out, struct api_error *err);
int qldb_describe_ledger(struct http_client *c, const char *name, struct qldb_ledger *out,
			 struct api_error *err);
int qldb_get_digest(struct http_client *c, const char *name, struct qldb_digest *out,
		    struct api_error *err);

#endif
