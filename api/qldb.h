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
 * Every JSON text is read strictly (common/json_strict.h): a duplicate key at
 * any depth, data after the value, a NUL character, invalid UTF-8 or a
 * wrong type is an error, in a service answer as in a file a user saved.
 * Unknown extra members are allowed (forward compatible).
 *
 * Ownership: the result structs are plain values with fixed-size buffers
 * (no pointers), so they can be copied whole and freed with free() when
 * heap-allocated; the one exception is struct qldb_proof_response, which
 * owns its parsed tree (see there). JSON inputs are borrowed for the call
 * and must be NUL-terminated at json[len].
 */
#ifndef QLDBTOP_API_QLDB_H
#define QLDBTOP_API_QLDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/http.h"
#include "verify/qldb_block.h" /* struct qldb_hash, QLDB_STRAND_MAX */

#define QLDB_NAME_MAX 32	      /* LedgerName: 1..32 chars (model) */
#define QLDB_ENUM_MAX 32	      /* longest enum value is KMS_KEY_INACCESSIBLE */
#define QLDB_ARN_MAX 1600	      /* Arn shape max (model) */
#define QLDB_LIST_MAX 100	      /* ListLedgers MaxResults upper bound (model) */
#define QLDB_DIGEST_BYTES 32	      /* Digest blob: exactly 32 bytes (model) */
#define QLDB_TIP_MAX 256	      /* an address is {strandId:"22 chars",sequenceNo:N} */
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
	char digest_b64[48];		     /* as received (44 chars for 32 bytes) */
	char tip_ion[QLDB_TIP_MAX];	     /* DigestTipAddress.IonText, verbatim */
	char strand_id[QLDB_STRAND_MAX + 1]; /* as qldb_address_parse reads it */
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

/* The one GetDigest reader. Required: Digest, a string of canonical base64
 * (no whitespace, exact padding, unused bits zero) of exactly 32 bytes, and
 * DigestTipAddress, an object with an IonText string that
 * qldb_parse_block_address reads (strand_id, sequence_no). Errors name the
 * field: "GetDigest: Digest decodes to 31 bytes, expected 32".
 * qldb_digest_from_json reads an object already parsed with
 * json_strict_parse (obj is borrowed for the call); the others parse. */
struct cJSON;
int qldb_digest_from_json(const struct cJSON *obj, struct qldb_digest *out, struct api_error *err);
/* A GetDigest response body. */
int qldb_parse_get_digest(const char *json, size_t len, struct qldb_digest *out,
			  struct api_error *err);
/* A digest file (verify-proof --digest, verify-export --digest): exactly
 * the `aws qldb get-digest` output, or an object holding it as
 * "LedgerDigest" (the KVS sample's shape; then a top-level Digest or
 * DigestTipAddress as well is an error: which digest is meant?). */
int qldb_parse_digest_file(const char *json, size_t len, struct qldb_digest *out,
			   struct api_error *err);

/* A saved `aws qldb get-block` or `get-revision` output, or the KVS
 * sample's shape (RevisionHash with BlockAddress), for verify-proof.
 * Each member, when present (JSON null counts as absent), has its type:
 * Block, Revision, Proof and BlockAddress objects with an IonText string,
 * RevisionHash canonical base64 of 32 bytes. Refused: Block and Revision
 * together; RevisionHash or BlockAddress beside Block or Revision (a second
 * leaf or address that nothing would verify); RevisionHash without
 * BlockAddress; none of Block, Revision and RevisionHash. Proof may be
 * absent (qldb_proof_verify says what to call).
 *
 * Ownership: out owns root; the *_text pointers borrow from it (each text
 * is a C string of exactly *_len bytes) until qldb_proof_response_free,
 * which releases root and zeroes out. On error out is already released;
 * _free is safe on it, and on a zeroed struct. */
struct qldb_proof_response {
	struct cJSON *root;	/* owned: the strictly parsed response */
	const char *block_text; /* Block.IonText, or NULL */
	size_t block_len;
	const char *revision_text; /* Revision.IonText, or NULL */
	size_t revision_len;
	const char *proof_text; /* Proof.IonText, or NULL */
	size_t proof_len;
	const char *address_text; /* BlockAddress.IonText, or NULL */
	size_t address_len;
	struct qldb_hash revision_hash; /* RevisionHash, len 32, when has_revision_hash */
	bool has_revision_hash;
};
int qldb_parse_proof_response(const char *json, size_t len, struct qldb_proof_response *out,
			      struct api_error *err);
void qldb_proof_response_free(struct qldb_proof_response *r);

/* A block address in Ion text, {strandId:"...",sequenceNo:N}, read by the
 * one address reader, verify's qldb_address_parse (qldb_block.h has its
 * rules: exactly the two fields, strandId base62, sequenceNo in
 * 0..QLDB_SEQUENCE_MAX; one Ion value). ion is NUL-terminated. Returns 0,
 * API_ERR_PARSE ("block address: <reason>") or API_ERR_LIMIT when the
 * strand does not fit strand_cap. */
int qldb_parse_block_address(const char *ion, char *strand, size_t strand_cap, uint64_t *seq,
			     struct api_error *err);

/* ListTagsForResource: the tags of a ledger (or stream) ARN, sorted by
 * key. The model's limits are checked: at most QLDB_TAGS_MAX tags, keys
 * 1..128 and values 0..256 characters (UTF-8 code points), every value a
 * string; an absent or null Tags is no tags.
 * Ownership: keys and values are heap strings owned by out;
 * qldb_tags_free releases them (safe on a zeroed struct, and after an
 * error, when the parser has already released what it built). */
#define QLDB_TAGS_MAX 200		    /* tags on one resource (the service quota) */
#define QLDB_TAG_KEY_CHARS 128		    /* TagKey: 1..128 (model) */
#define QLDB_TAG_VALUE_CHARS 256	    /* TagValue: 0..256 (model) */
#define QLDB_TAGS_RESPONSE_MAX (512u << 10) /* 200 tags at most 4 bytes a char */
struct qldb_tag {
	char *key;
	char *value;
};
struct qldb_tags {
	size_t n;
	struct qldb_tag *items;
};
int qldb_parse_list_tags(const char *json, size_t len, struct qldb_tags *out,
			 struct api_error *err);
void qldb_tags_free(struct qldb_tags *t);

/* The calls. Each returns 0 or a negative api_status with err filled. */
int qldb_list_ledgers(struct http_client *c, struct qldb_ledger_list *out, struct api_error *err);
int qldb_describe_ledger(struct http_client *c, const char *name, struct qldb_ledger *out,
			 struct api_error *err);
int qldb_get_digest(struct http_client *c, const char *name, struct qldb_digest *out,
		    struct api_error *err);
/* GET /tags/{arn} (the ARN one encoded path segment). */
int qldb_list_tags(struct http_client *c, const char *arn, struct qldb_tags *out,
		   struct api_error *err);

#endif
