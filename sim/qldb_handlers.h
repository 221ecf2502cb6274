/*
 * qldb_handlers.h - inside the QLDB control plane (qldb_api.h): the
 * handlers of each concern (qldb_ledgers.c, sim_qldb_tags.c, qldb_journal.c,
 * qldb_streams.c, qldb_exports.c), listed in one route table in
 * qldb_api.c, and the request readers they share.
 *
 * Reader convention: each reads one member of a JSON object (param is the
 * member's dotted path, e.g. "KinesisConfiguration.StreamArn", which is
 * also the error's ParameterName; the member's key is its last part) and
 * returns 1 when present (value out), 0 when absent and optional, or -1
 * after writing an InvalidParameterException into res (absent and
 * required, wrong JSON type, out of range, not an enum value).
 * Strings handed out are borrowed from the JSON tree.
 */
#ifndef QLDBTOP_SIM_QLDB_HANDLERS_H
#define QLDBTOP_SIM_QLDB_HANDLERS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/http.h"
#include "sim/ledger.h"

#define SIM_QLDB_DEFAULT_REGION "us-east-1" /* a request without a signed region */
#define SIM_QLDB_ARN_BUF (SIM_ARN_MAX + 1)

/* One handler per operation. */
void sim_qldb_create_ledger(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_describe_ledger(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_update_ledger(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_update_permissions_mode(void *svc, const struct sim_call *call,
				      struct sim_response *res);
void sim_qldb_delete_ledger(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_list_ledgers(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_tag_resource(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_untag_resource(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_list_tags(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_get_digest(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_get_block(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_get_revision(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_stream_journal(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_describe_stream(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_list_streams(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_cancel_stream(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_export_journal(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_describe_export(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_list_exports(void *svc, const struct sim_call *call, struct sim_response *res);
void sim_qldb_list_ledger_exports(void *svc, const struct sim_call *call, struct sim_response *res);

/* The registry of the service. */
struct sim_ledgers *sim_qldb_registry(void *svc);
/* The request's region (SIM_QLDB_DEFAULT_REGION when unsigned). */
const char *sim_qldb_region(const struct sim_call *call);

/* The ledger name in path parameter 0, checked by the LedgerName rule:
 * the name, or NULL after InvalidParameterException naming param. */
const char *sim_qldb_path_name(const struct sim_call *call, const char *param,
			       struct sim_response *res);
/* A 22-character id in path parameter i: the id or NULL after
 * InvalidParameterException naming param. */
const char *sim_qldb_path_id(const struct sim_call *call, size_t i, const char *param,
			     struct sim_response *res);
/* With the registry locked: the live ledger called name, or NULL after
 * ResourceNotFoundException. */
struct sim_ledger *sim_qldb_ledger_get(struct sim_ledgers *ls, const char *name,
				       struct sim_response *res);
/* ResourcePreconditionNotMetException unless l is ACTIVE at now: 0 or -1. */
int sim_qldb_ledger_active(const struct sim_ledger *l, int64_t now, const char *operation,
			   struct sim_response *res);
/* After a mutation, locked: the changed hook; 0, or -1 after a 500. */
int sim_qldb_changed(struct sim_ledgers *ls, struct sim_response *res);

/* The body as a JSON object (empty body: {}), strictly parsed; NULL after
 * SerializationException. The caller deletes it. */
cJSON *sim_qldb_body(const struct sim_call *call, struct sim_response *res);

/* Member readers (see the file comment). min/max count characters. */
int sim_qldb_str(const cJSON *o, const char *param, bool required, size_t min, size_t max,
		 const char **out, struct sim_response *res);
int sim_qldb_bool(const cJSON *o, const char *param, bool required, bool *out,
		  struct sim_response *res);
/* A timestamp: epoch seconds (a JSON number, fraction allowed) -> ms. */
int sim_qldb_time(const cJSON *o, const char *param, bool required, int64_t *ms,
		  struct sim_response *res);
/* One of values (NULL-terminated); *out is the table's static string. */
int sim_qldb_enum(const cJSON *o, const char *param, bool required, const char *const *values,
		  const char **out, struct sim_response *res);
int sim_qldb_object(const cJSON *o, const char *param, bool required, const cJSON **out,
		    struct sim_response *res);
/* A Tags map: string values (null reads as ""), keys 1..128 and values
 * 0..256 characters, at most 200 entries. */
int sim_qldb_tags(const cJSON *o, const char *param, bool required, const cJSON **out,
		  struct sim_response *res);
/* An IAM role ARN (RoleArn) in o; same return convention. */
int sim_qldb_role_arn(const cJSON *o, const char *param, const char **out,
		      struct sim_response *res);

/* List paging: max_results (1..100, default 100) and next_token (ours for
 * kind and scope). 0, or -1 after InvalidParameterException. */
int sim_qldb_page(const struct sim_ledgers *ls, const struct sim_call *call, const char *kind,
		  const char *scope, size_t *max, uint64_t *after, struct sim_response *res);
/* Add NextToken to o for (kind, scope, last). */
void sim_qldb_page_token(const struct sim_ledgers *ls, cJSON *o, const char *kind,
			 const char *scope, uint64_t last);

/* A Kinesis stream ARN: arn:aws:kinesis:REGION:ACCOUNT:stream/NAME. */
bool sim_qldb_kinesis_arn_valid(const char *s);
/* A KMS key or alias ARN (S3EncryptionConfiguration.KmsKeyArn). */
bool sim_qldb_s3_kms_arn_valid(const char *s);
/* A tag call's ResourceArn: our ledger or stream ARN in the request's
 * region. 0 with ledger (and stream, "" for a ledger) filled; -1 after
 * InvalidParameterException (not an ARN) or ResourceNotFoundException
 * (an ARN of something this region and account do not hold). */
int sim_qldb_resource_arn(const struct sim_call *call, const char *s,
			  char ledger[SIM_LEDGER_NAME_MAX + 1], char stream[SIM_ID_LEN + 1],
			  struct sim_response *res);

/* ARNs in the request's region and our account. */
void sim_qldb_ledger_arn(const struct sim_call *call, const char *name, char out[SIM_QLDB_ARN_BUF]);
void sim_qldb_stream_arn(const struct sim_call *call, const char *ledger, const char *id,
			 char out[SIM_QLDB_ARN_BUF]);
/* A KmsKey as the API accepts it: AWS_OWNED_KMS_KEY, a key id, a key or
 * alias ARN, or alias/NAME. */
bool sim_qldb_kms_key_valid(const char *key);
/* A ledger's KmsKeyArn: AWS_OWNED_KMS_KEY and ARNs as they are, a key id
 * or alias name as an ARN in the request's region. */
void sim_qldb_kms_key_arn(const struct sim_call *call, const char *key, char out[SIM_QLDB_ARN_BUF]);

#endif
