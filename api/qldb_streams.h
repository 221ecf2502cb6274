/*
 * qldb_streams.h - the journal stream and export calls of the QLDB control
 * plane (rest-json, docs/aws-api.md §2.2-2.4): ListJournalKinesisStreams-
 * ForLedger, DescribeJournalKinesisStream, ListJournalS3ExportsForLedger
 * and DescribeJournalS3Export, with their strict parsers; and the three
 * actions ExportJournalToS3, StreamJournalToKinesis and
 * CancelJournalKinesisStream.
 *
 * Read as api/qldb.c reads: common/json_strict.h (duplicate keys, trailing
 * data, NUL, bad UTF-8 refused), every member type-checked, the model's
 * required members required, enums checked against the model's values
 * (QLDB is ended: its enums will not grow), ids exactly 22 base62
 * characters, names as qldb_name_is_valid, strings without control
 * characters (they reach the screen). Unknown extra members are allowed.
 * Errors name the operation and the member path: "ListJournalS3Exports-
 * ForLedger: JournalS3Exports[3].Status: unknown value \"DONE\"".
 *
 * The list calls follow NextToken to the end (at most
 * QLDB_STREAMS_MAX_PAGES pages, a token seen twice is an error, at most
 * QLDB_STREAMS_MAX_ITEMS items).
 *
 * Also here, shared with api/kinesis.c: the JSON member readers (struct
 * jfield); they belong with the ones in api/qldb.c, in one file, when the
 * integrator merges (api/qldb.c's are static today).
 *
 * Ownership: descriptions are plain values; lists own an items array
 * (free with qldb_stream_list_free / qldb_export_list_free; safe on a
 * zeroed list). Parsers append to a list, so pages accumulate. JSON
 * inputs are borrowed and must be NUL-terminated at json[len].
 */
#ifndef QLDBTOP_API_QLDB_STREAMS_H
#define QLDBTOP_API_QLDB_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/http.h"
#include "api/qldb.h"

#define QLDB_ID_LEN 22			     /* UniqueId: exactly 22 base62 chars (model) */
#define QLDB_BUCKET_MAX 255		     /* S3ExportConfiguration.Bucket: 3..255 */
#define QLDB_PREFIX_MAX 128		     /* S3ExportConfiguration.Prefix: 0..128 */
#define QLDB_TOKEN_MAX 1024		     /* NextToken: 4..1024 */
#define QLDB_STREAMS_MAX_PAGES 1000	     /* pages followed by one list call */
#define QLDB_STREAMS_MAX_ITEMS 10000	     /* items kept by one list call */
#define QLDB_STREAMS_RESPONSE_MAX (1u << 20) /* 100 descriptions of ~5 KiB */

struct qldb_journal_stream {
	char ledger[QLDB_NAME_MAX + 1];
	char role_arn[QLDB_ARN_MAX + 1];
	char stream_id[QLDB_ID_LEN + 1];
	char status[QLDB_ENUM_MAX];	    /* ACTIVE COMPLETED CANCELED FAILED IMPAIRED */
	char kinesis_arn[QLDB_ARN_MAX + 1]; /* KinesisConfiguration.StreamArn */
	bool aggregation, has_aggregation;  /* KinesisConfiguration.AggregationEnabled */
	char stream_name[QLDB_NAME_MAX + 1];
	char arn[QLDB_ARN_MAX + 1];	 /* "" when absent */
	char error_cause[QLDB_ENUM_MAX]; /* "" or KINESIS_STREAM_NOT_FOUND, IAM_PERMISSION_REVOKED
					  */
	double created, start,
		end; /* epoch s: CreationTime, InclusiveStartTime, ExclusiveEndTime */
	bool has_created, has_start, has_end;
};

struct qldb_journal_export {
	char ledger[QLDB_NAME_MAX + 1];
	char export_id[QLDB_ID_LEN + 1];
	double created, start, end; /* ExportCreationTime, InclusiveStartTime, ExclusiveEndTime */
	char status[QLDB_ENUM_MAX]; /* IN_PROGRESS COMPLETED CANCELLED */
	char bucket[QLDB_BUCKET_MAX + 1];
	char prefix[QLDB_PREFIX_MAX + 1];
	char encryption[QLDB_ENUM_MAX];	    /* SSE_KMS SSE_S3 NO_ENCRYPTION */
	char kms_key_arn[QLDB_ARN_MAX + 1]; /* "" when absent */
	char role_arn[QLDB_ARN_MAX + 1];
	char output_format[QLDB_ENUM_MAX]; /* "" (absent: ION_TEXT by default) or ION_BINARY ... */
};

struct qldb_stream_list {
	struct qldb_journal_stream *items;
	size_t n, cap;
	char next_token[QLDB_TOKEN_MAX + 1]; /* of the last page parsed; "" none */
};
struct qldb_export_list {
	struct qldb_journal_export *items;
	size_t n, cap;
	char next_token[QLDB_TOKEN_MAX + 1];
};
void qldb_stream_list_free(struct qldb_stream_list *l);
void qldb_export_list_free(struct qldb_export_list *l);

/* Is s exactly 22 base62 characters (a StreamId or ExportId)? */
bool qldb_id_is_valid(const char *s);

/* Parsers: 0, or API_ERR_PARSE / API_ERR_LIMIT / API_ERR_NOMEM with err.
 * The list parsers append one page's items and set next_token. */
int qldb_parse_list_journal_streams(const char *json, size_t len, struct qldb_stream_list *out,
				    struct api_error *err);
int qldb_parse_describe_journal_stream(const char *json, size_t len,
				       struct qldb_journal_stream *out, struct api_error *err);
int qldb_parse_list_journal_exports(const char *json, size_t len, struct qldb_export_list *out,
				    struct api_error *err);
int qldb_parse_describe_journal_export(const char *json, size_t len,
				       struct qldb_journal_export *out, struct api_error *err);

/* The calls (ledger checked with qldb_name_is_valid, ids with
 * qldb_id_is_valid: they go into the path). 0 or a negative api_status. */
int qldb_list_journal_streams(struct http_client *c, const char *ledger,
			      struct qldb_stream_list *out, struct api_error *err);
int qldb_describe_journal_stream(struct http_client *c, const char *ledger, const char *stream_id,
				 struct qldb_journal_stream *out, struct api_error *err);
int qldb_list_journal_exports(struct http_client *c, const char *ledger,
			      struct qldb_export_list *out, struct api_error *err);
int qldb_describe_journal_export(struct http_client *c, const char *ledger, const char *export_id,
				 struct qldb_journal_export *out, struct api_error *err);

/* ---- the mutating calls (api/jobs.h runs them off the UI thread) ----
 * Each is sent once (never retried: a retry could start a second export
 * or stream) and returns 0 with the new id, or a negative api_status. */
struct qldb_export_request {
	double start, end; /* epoch s: InclusiveStartTime, ExclusiveEndTime */
	char bucket[QLDB_BUCKET_MAX + 1];
	char prefix[QLDB_PREFIX_MAX + 1];
	char encryption[QLDB_ENUM_MAX];	    /* "" means SSE_S3 */
	char kms_key_arn[QLDB_ARN_MAX + 1]; /* "" when none */
	char role_arn[QLDB_ARN_MAX + 1];
	char output_format[QLDB_ENUM_MAX]; /* "" leaves the service's default (ION_TEXT) */
};
struct qldb_stream_request {
	double start; /* InclusiveStartTime, epoch s */
	char stream_name[QLDB_NAME_MAX + 1];
	char role_arn[QLDB_ARN_MAX + 1];
	char kinesis_arn[QLDB_ARN_MAX + 1];
	bool aggregation;
};
/* ExportJournalToS3 -> ExportId. */
int qldb_export_journal_to_s3(struct http_client *c, const char *ledger,
			      const struct qldb_export_request *r, char export_id[QLDB_ID_LEN + 1],
			      struct api_error *err);
/* StreamJournalToKinesis -> StreamId. */
int qldb_stream_journal_to_kinesis(struct http_client *c, const char *ledger,
				   const struct qldb_stream_request *r,
				   char stream_id[QLDB_ID_LEN + 1], struct api_error *err);
/* CancelJournalKinesisStream of stream_id. */
int qldb_cancel_journal_stream(struct http_client *c, const char *ledger, const char *stream_id,
			       struct api_error *err);

/* ---- JSON member readers (shared with api/kinesis.c) ----------------- */
struct cJSON;
struct jfield {
	const char *op;	       /* names the call in messages */
	struct api_error *err; /* filled on error */
};
/* The whole buffer strictly as one JSON object (json[len] must be NUL). */
struct cJSON *jfield_parse_object(const struct jfield *x, const char *json, size_t len);
/* Members of obj; path prefixes the key in messages ("Streams[2]."). A
 * missing required member is an error; JSON null counts as absent; an
 * optional absent member leaves dst "" / *has false. 0 or a status. */
int jfield_string(const struct jfield *x, const struct cJSON *obj, const char *path,
		  const char *key, bool required, char *dst, size_t cap);
/* A string member that must be one of the NULL-terminated values. */
int jfield_enum(const struct jfield *x, const struct cJSON *obj, const char *path, const char *key,
		bool required, const char *const *values, char *dst, size_t cap);
int jfield_time(const struct jfield *x, const struct cJSON *obj, const char *path, const char *key,
		bool required, double *out, bool *has);
int jfield_bool(const struct jfield *x, const struct cJSON *obj, const char *path, const char *key,
		bool required, bool *out, bool *has);
/* A non-negative integer number at most max (exactly integral). */
int jfield_uint(const struct jfield *x, const struct cJSON *obj, const char *path, const char *key,
		bool required, uint64_t max, uint64_t *out, bool *has);
/* An object or array member (NULL when absent and optional). */
int jfield_object(const struct jfield *x, const struct cJSON *obj, const char *path,
		  const char *key, bool required, const struct cJSON **out);
int jfield_array(const struct jfield *x, const struct cJSON *obj, const char *path, const char *key,
		 bool required, const struct cJSON **out);

#endif
