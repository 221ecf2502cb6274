/*
 * qldb_proofs.h - the QLDB journal reads the auditor makes: GetBlock and
 * GetRevision (rest-json, docs/aws-api.md §2), returning the raw response
 * JSON. Reading it is api/qldb.h's qldb_parse_proof_response and verify/'s
 * checks; nothing here trusts or interprets the answer.
 *
 * Addresses are passed as Ion text ({strandId:"…",sequenceNo:N}) and are
 * checked with the one address reader (qldb_parse_block_address) before
 * they go into a request, so a request never carries a value the service
 * model would refuse.
 *
 * Ownership: *json is malloc'd, NUL-terminated at (*json)[*len]; the
 * caller frees it with free(). On error *json is NULL. The http client is
 * borrowed (one per thread, api/http.h).
 */
#ifndef QLDBTOP_API_QLDB_PROOFS_H
#define QLDBTOP_API_QLDB_PROOFS_H

#include <stddef.h>

#include "api/error.h"
#include "api/http.h"

#define QLDB_DOCUMENT_ID_LEN 22 /* DocumentId: exactly 22 characters (model) */

/* GetBlock of block_ion; with tip_ion (may be NULL) the answer carries the
 * Proof to the digest at that tip. 0 or a negative api_status. */
int qldb_get_block(struct http_client *c, const char *ledger, const char *block_ion,
		   const char *tip_ion, char **json, size_t *len, struct api_error *err);
/* GetRevision of document_id in block_ion, proven to the digest at tip_ion
 * (required by the model). 0 or a negative api_status. */
int qldb_get_revision(struct http_client *c, const char *ledger, const char *block_ion,
		      const char *document_id, const char *tip_ion, char **json, size_t *len,
		      struct api_error *err);

/* The auditor's production fetches (api/auditor.h struct audit_ops): ctx
 * is the struct http_client of the auditor's thread. */
struct audit_ops;
extern const struct audit_ops qldb_proofs_audit_ops;

#endif
