/*
 * kinesis.c - DescribeStreamSummary, ListShards, GetShardIterator and
 * GetRecords (see kinesis.h): strict parsers, the KPL de-aggregation and
 * journal record reading for the lag, and the calls (through api/http.c,
 * with X-Amz-Target as a signed header: s3_shim_perform in api/s3.h).
 *
 * KPL aggregate format (amazon-kinesis-producer aggregation-format.md):
 * magic F3 89 9A C2, a protobuf AggregatedRecord {1: partition key table,
 * 2: explicit hash key table, 3: Record {1: pk index, 2: ehk index,
 * 3: data, 4: tags}}, then the MD5 of the protobuf bytes. Written here from
 * that format, not from the endpoint's writer.
 */
#include "api/kinesis.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_strict.h"
#include "api/qldb_streams.h" /* struct jfield readers */
#include "api/s3.h"	      /* s3_shim_perform: one request through http.c */
#include "verify/base64.h"
#include "verify/ion.h"

#define KINESIS_TARGET "Kinesis_20131202."
#define KINESIS_CONTENT_TYPE "application/x-amz-json-1.1"
#define KPL_MAX_DEPTH_RECORDS 100000 /* records in one aggregate (1 MiB / 10 bytes) */

struct kinesis_client {
	struct s3_client *conn;
};

static const char *const STREAM_STATUS[] = { "CREATING", "DELETING", "ACTIVE", "UPDATING", NULL };
static const char *const STREAM_MODE[] = { "PROVISIONED", "ON_DEMAND", NULL };
static const char *const ENCRYPTION[] = { "NONE", "KMS", NULL };

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

static bool stream_name_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!name_char(s[n]))
			return false;
	return n >= 1 && n <= KINESIS_NAME_MAX;
}

static bool digits_ok(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n >= 1 && n <= max;
}

int kinesis_stream_name_from_arn(const char *arn, char *name, size_t cap, struct api_error *err)
{
	/* arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME */
	const char *p = arn;
	if (strncmp(p, "arn:", 4) != 0)
		goto bad;
	p += 4;
	for (int field = 0; field < 4; field++) { /* partition, service, region, account */
		const char *colon = strchr(p, ':');
		if (!colon)
			goto bad;
		if (field == 1 && (colon - p != 7 || strncmp(p, "kinesis", 7) != 0))
			goto bad;
		p = colon + 1;
	}
	if (strncmp(p, "stream/", 7) != 0)
		goto bad;
	p += 7;
	if (!stream_name_ok(p) || strlen(p) >= cap)
		goto bad;
	memcpy(name, p, strlen(p) + 1);
	return 0;
bad:
	if (cap)
		name[0] = '\0';
	return api_error_set(err, API_ERR_PARSE,
			     "'%.80s' is not a Kinesis stream ARN (arn:aws:kinesis:REGION:ACCOUNT:"
			     "stream/NAME)",
			     arn);
}

/* ---- parsers ------------------------------------------------------------ */

int kinesis_parse_describe_stream_summary(const char *json, size_t len,
					  struct kinesis_stream_summary *out, struct api_error *err)
{
	struct jfield x = { "DescribeStreamSummary", err };
	memset(out, 0, sizeof *out);
	api_error_clear(err);
	cJSON *root = jfield_parse_object(&x, json, len);
	if (!root)
		return err->status;
	const char *P = "StreamDescriptionSummary.";
	const cJSON *s, *em, *md, *item;
	bool has;
	int rc;
	if ((rc = jfield_object(&x, root, "", "StreamDescriptionSummary", true, &s)) ||
	    (rc = jfield_string(&x, s, P, "StreamName", true, out->name, sizeof out->name)) ||
	    (rc = jfield_string(&x, s, P, "StreamARN", true, out->arn, sizeof out->arn)) ||
	    (rc = jfield_enum(&x, s, P, "StreamStatus", true, STREAM_STATUS, out->status,
			      sizeof out->status)) ||
	    (rc = jfield_uint(&x, s, P, "RetentionPeriodHours", true, 100000, &out->retention_hours,
			      &has)) ||
	    (rc = jfield_time(&x, s, P, "StreamCreationTimestamp", true, &out->created, &has)) ||
	    (rc = jfield_array(&x, s, P, "EnhancedMonitoring", true, &em)) ||
	    (rc = jfield_uint(&x, s, P, "OpenShardCount", true, 1000000, &out->open_shards,
			      &has)) ||
	    (rc = jfield_object(&x, s, P, "StreamModeDetails", false, &md)) ||
	    (md &&
	     (rc = jfield_enum(&x, md, "StreamDescriptionSummary.StreamModeDetails.", "StreamMode",
			       true, STREAM_MODE, out->mode, sizeof out->mode))) ||
	    (rc = jfield_enum(&x, s, P, "EncryptionType", false, ENCRYPTION, out->encryption,
			      sizeof out->encryption)) ||
	    (rc = jfield_uint(&x, s, P, "ConsumerCount", false, 1000000, &out->consumers,
			      &out->has_consumers)))
		goto out;
	if (!stream_name_ok(out->name)) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "DescribeStreamSummary: %sStreamName is not "
				   "a valid stream name",
				   P);
		goto out;
	}
	size_t i = 0;
	cJSON_ArrayForEach(item, em)
	{
		char path[80];
		snprintf(path, sizeof path, "%sEnhancedMonitoring[%zu].", P, i++);
		const cJSON *m;
		if (!cJSON_IsObject(item)) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "DescribeStreamSummary: %s expected an object, got %s",
					   path, json_type_name(item));
			goto out;
		}
		if ((rc = jfield_array(&x, item, path, "ShardLevelMetrics", false, &m)))
			goto out;
		out->enhanced_metrics += (size_t)cJSON_GetArraySize(m);
	}
out:
	if (rc)
		memset(out, 0, sizeof *out);
	cJSON_Delete(root);
	return rc;
}

void kinesis_shard_list_free(struct kinesis_shard_list *l)
{
	if (!l)
		return;
	free(l->items);
	free(l->next_token);
	memset(l, 0, sizeof *l);
}

static int shard_read(const struct jfield *x, const cJSON *o, const char *path,
		      struct kinesis_shard *s)
{
	memset(s, 0, sizeof *s);
	char hp[80], sp[80], adj[KINESIS_SHARD_ID_MAX + 1];
	snprintf(hp, sizeof hp, "%sHashKeyRange.", path);
	snprintf(sp, sizeof sp, "%sSequenceNumberRange.", path);
	const cJSON *h, *q;
	int rc;
	if ((rc = jfield_string(x, o, path, "ShardId", true, s->id, sizeof s->id)) ||
	    (rc = jfield_string(x, o, path, "ParentShardId", false, s->parent, sizeof s->parent)) ||
	    (rc = jfield_string(x, o, path, "AdjacentParentShardId", false, adj, sizeof adj)) ||
	    (rc = jfield_object(x, o, path, "HashKeyRange", true, &h)) ||
	    (rc = jfield_string(x, h, hp, "StartingHashKey", true, s->start_hash,
				sizeof s->start_hash)) ||
	    (rc = jfield_string(x, h, hp, "EndingHashKey", true, s->end_hash,
				sizeof s->end_hash)) ||
	    (rc = jfield_object(x, o, path, "SequenceNumberRange", true, &q)) ||
	    (rc = jfield_string(x, q, sp, "StartingSequenceNumber", true, s->start_seq,
				sizeof s->start_seq)) ||
	    (rc = jfield_string(x, q, sp, "EndingSequenceNumber", false, s->end_seq,
				sizeof s->end_seq)))
		return rc;
	if (!s->id[0])
		return api_error_set(x->err, API_ERR_PARSE, "%s: %sShardId is empty", x->op, path);
	if (!digits_ok(s->start_hash, 39) || !digits_ok(s->end_hash, 39))
		return api_error_set(x->err, API_ERR_PARSE, "%s: %sHashKeyRange: not decimal keys",
				     x->op, path);
	if (!digits_ok(s->start_seq, KINESIS_SEQ_MAX) ||
	    (s->end_seq[0] && !digits_ok(s->end_seq, KINESIS_SEQ_MAX)))
		return api_error_set(x->err, API_ERR_PARSE,
				     "%s: %sSequenceNumberRange: not decimal sequence numbers",
				     x->op, path);
	s->open = s->end_seq[0] == '\0';
	return 0;
}

int kinesis_parse_list_shards(const char *json, size_t len, struct kinesis_shard_list *out,
			      struct api_error *err)
{
	struct jfield x = { "ListShards", err };
	api_error_clear(err);
	free(out->next_token);
	out->next_token = NULL;
	cJSON *root = jfield_parse_object(&x, json, len);
	if (!root)
		return err->status;
	size_t first = out->n, i = 0;
	const cJSON *arr, *item, *tok;
	int rc = jfield_array(&x, root, "", "Shards", false, &arr);
	if (!rc)
		cJSON_ArrayForEach(item, arr)
		{
			char path[48];
			snprintf(path, sizeof path, "Shards[%zu].", i++);
			if (!cJSON_IsObject(item)) {
				rc = api_error_set(err, API_ERR_PARSE,
						   "ListShards: %s expected an object, got %s",
						   path, json_type_name(item));
				break;
			}
			if (out->n >= KINESIS_SHARDS_MAX) {
				rc = api_error_set(err, API_ERR_LIMIT,
						   "ListShards: more than %d shards",
						   KINESIS_SHARDS_MAX);
				break;
			}
			if (out->n == out->cap) {
				size_t cap = out->cap ? out->cap * 2 : 16;
				struct kinesis_shard *p = realloc(out->items, cap * sizeof *p);
				if (!p) {
					rc = api_error_set(err, API_ERR_NOMEM,
							   "ListShards: out of memory");
					break;
				}
				out->items = p;
				out->cap = cap;
			}
			if ((rc = shard_read(&x, item, path, &out->items[out->n])))
				break;
			out->n++;
		}
	if (!rc) {
		tok = cJSON_GetObjectItemCaseSensitive(root, "NextToken");
		if (tok && !cJSON_IsNull(tok)) {
			if (!cJSON_IsString(tok) || !tok->valuestring || !tok->valuestring[0])
				rc = api_error_set(err, API_ERR_PARSE,
						   "ListShards: NextToken: expected a non-empty "
						   "string");
			else if (strlen(tok->valuestring) > KINESIS_TOKEN_MAX)
				rc = api_error_set(err, API_ERR_LIMIT,
						   "ListShards: NextToken longer than %d bytes",
						   KINESIS_TOKEN_MAX);
			else if (!(out->next_token = strdup(tok->valuestring)))
				rc = api_error_set(err, API_ERR_NOMEM, "ListShards: out of memory");
		}
	}
	if (rc) {
		out->n = first;
		free(out->next_token);
		out->next_token = NULL;
	}
	cJSON_Delete(root);
	return rc;
}

int kinesis_parse_get_shard_iterator(const char *json, size_t len, char *iterator, size_t cap,
				     struct api_error *err)
{
	struct jfield x = { "GetShardIterator", err };
	api_error_clear(err);
	iterator[0] = '\0';
	cJSON *root = jfield_parse_object(&x, json, len);
	if (!root)
		return err->status;
	int rc = jfield_string(&x, root, "", "ShardIterator", true, iterator, cap);
	if (!rc && !iterator[0])
		rc = api_error_set(err, API_ERR_PARSE, "GetShardIterator: ShardIterator is empty");
	cJSON_Delete(root);
	return rc;
}

int kinesis_parse_get_records(const char *json, size_t len,
			      int (*fn)(void *ctx, const uint8_t *data, size_t n), void *ctx,
			      size_t *records, char *next, size_t next_cap, int64_t *behind,
			      struct api_error *err)
{
	struct jfield x = { "GetRecords", err };
	api_error_clear(err);
	*records = 0;
	next[0] = '\0';
	*behind = -1;
	cJSON *root = jfield_parse_object(&x, json, len);
	if (!root)
		return err->status;
	const cJSON *arr, *item;
	uint64_t ms;
	bool has;
	uint8_t *data = NULL;
	int rc;
	if ((rc = jfield_array(&x, root, "", "Records", true, &arr)) ||
	    (rc = jfield_string(&x, root, "", "NextShardIterator", false, next, next_cap)) ||
	    (rc = jfield_uint(&x, root, "", "MillisBehindLatest", false, UINT64_C(1) << 52, &ms,
			      &has)))
		goto out;
	if (has)
		*behind = (int64_t)ms;
	if (!(data = malloc(KINESIS_RECORD_MAX))) {
		rc = api_error_set(err, API_ERR_NOMEM, "GetRecords: out of memory");
		goto out;
	}
	size_t i = 0;
	cJSON_ArrayForEach(item, arr)
	{
		char path[48], seq[KINESIS_SEQ_MAX + 1], pk[257];
		snprintf(path, sizeof path, "Records[%zu].", i++);
		const cJSON *d;
		if (!cJSON_IsObject(item)) {
			rc = api_error_set(err, API_ERR_PARSE, "GetRecords: %s expected an object",
					   path);
			goto out;
		}
		if ((rc = jfield_string(&x, item, path, "SequenceNumber", true, seq, sizeof seq)) ||
		    (rc = jfield_string(&x, item, path, "PartitionKey", true, pk, sizeof pk)))
			goto out;
		if (!digits_ok(seq, KINESIS_SEQ_MAX)) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "GetRecords: %sSequenceNumber is not decimal", path);
			goto out;
		}
		d = cJSON_GetObjectItemCaseSensitive(item, "Data");
		if (!cJSON_IsString(d) || !d->valuestring) {
			rc = api_error_set(err, API_ERR_PARSE, "GetRecords: %sData: %s", path,
					   d ? "expected a base64 string" : "missing");
			goto out;
		}
		size_t b64 = strlen(d->valuestring);
		if (b64 > BASE64_ENCODED_SIZE(KINESIS_RECORD_MAX)) {
			rc = api_error_set(err, API_ERR_LIMIT,
					   "GetRecords: %sData exceeds %u bytes", path,
					   KINESIS_RECORD_MAX);
			goto out;
		}
		long n = base64_decode(d->valuestring, b64, data, KINESIS_RECORD_MAX);
		if (n < 0) {
			rc = api_error_set(err, API_ERR_PARSE, "GetRecords: %sData is not base64",
					   path);
			goto out;
		}
		if (fn && fn(ctx, data, (size_t)n) != 0) {
			if (!err->status)
				api_error_set(err, API_ERR_PARSE, "GetRecords: %s refused", path);
			rc = err->status;
			goto out;
		}
		(*records)++;
	}
out:
	free(data);
	cJSON_Delete(root);
	return rc;
}

/* ---- journal records ---------------------------------------------------- */

struct pb {
	const uint8_t *p;
	size_t n, at;
};

static int pb_varint(struct pb *r, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->at >= r->n)
			return -1;
		uint8_t b = r->p[r->at++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* One field: number, wire type, and for length-delimited its bytes. */
static int pb_field(struct pb *r, unsigned *no, unsigned *type, const uint8_t **p, size_t *n)
{
	uint64_t key, v;
	if (pb_varint(r, &key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff)
		return -1;
	*no = (unsigned)(key >> 3);
	*type = (unsigned)(key & 7);
	*p = NULL;
	*n = 0;
	switch (*type) {
	case 0:
		return pb_varint(r, &v);
	case 1:
		if (r->n - r->at < 8)
			return -1;
		r->at += 8;
		return 0;
	case 5:
		if (r->n - r->at < 4)
			return -1;
		r->at += 4;
		return 0;
	case 2:
		if (pb_varint(r, &v) || v > r->n - r->at)
			return -1;
		*p = r->p + r->at;
		*n = (size_t)v;
		r->at += (size_t)v;
		return 0;
	default:
		return -1; /* groups are not in the format */
	}
}

static const uint8_t KPL_MAGIC[4] = { 0xf3, 0x89, 0x9a, 0xc2 };

/* fn over each user record of an aggregate: count >= 0, or -1 when data
 * starts with the magic but is not a valid aggregate. 0 records and not
 * an aggregate: *is_kpl false. */
static long kpl_each(const uint8_t *data, size_t len, bool *is_kpl,
		     int (*fn)(void *, const uint8_t *, size_t), void *ctx)
{
	*is_kpl = len >= 4 && memcmp(data, KPL_MAGIC, 4) == 0;
	if (!*is_kpl)
		return 0;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdn = 0;
	if (len < 20 || !EVP_Digest(data + 4, len - 20, md, &mdn, EVP_md5(), NULL) || mdn != 16 ||
	    memcmp(md, data + len - 16, 16) != 0)
		return -1;
	struct pb r = { data + 4, len - 20, 0 };
	long count = 0;
	while (r.at < r.n) {
		unsigned no, type;
		const uint8_t *p;
		size_t n;
		if (pb_field(&r, &no, &type, &p, &n))
			return -1;
		if (no != 3)
			continue; /* key tables */
		if (type != 2 || count >= KPL_MAX_DEPTH_RECORDS)
			return -1;
		struct pb in = { p, n, 0 };
		const uint8_t *rec = NULL;
		size_t rn = 0;
		while (in.at < in.n) {
			unsigned ino, itype;
			const uint8_t *ip;
			size_t in_n;
			if (pb_field(&in, &ino, &itype, &ip, &in_n))
				return -1;
			if (ino == 3) {
				if (itype != 2)
					return -1;
				rec = ip;
				rn = in_n;
			}
		}
		if (!rec || fn(ctx, rec, rn) != 0)
			return -1;
		count++;
	}
	return count;
}

struct journal_scan_ctx {
	int64_t max_seq;
	size_t count;
	char why[160];
};

/* One Ion journal record {qldbStreamArn, recordType, payload}. */
static int journal_one(void *ctx, const uint8_t *data, size_t len)
{
	struct journal_scan_ctx *s = ctx;
	struct ion_arena *a = NULL;
	const struct ion_value *v;
	char why[160];
	int rc = -1;
	if (ion_parse_one_alloc(data, len, "journal record", &a, &v, why, sizeof why)) {
		snprintf(s->why, sizeof s->why, "%s", why);
		goto out;
	}
	const struct ion_value *t = ion_struct_get(v, "recordType");
	const struct ion_value *pl = ion_struct_get(v, "payload");
	if (v->type != ION_TYPE_STRUCT || !t || t->is_null || !pl ||
	    (t->type != ION_TYPE_STRING && t->type != ION_TYPE_SYMBOL)) {
		snprintf(s->why, sizeof s->why,
			 "not a journal record (a struct with recordType and payload)");
		goto out;
	}
	const char *tp = t->type == ION_TYPE_STRING ? (const char *)t->u.bytes.data : t->u.sym.text;
	size_t tn = t->type == ION_TYPE_STRING ? t->u.bytes.len : t->u.sym.len;
	s->count++;
	rc = 0;
	if (!tp || tn != 13 || memcmp(tp, "BLOCK_SUMMARY", 13) != 0)
		goto out;
	const struct ion_value *seq =
		ion_struct_get(ion_struct_get(pl, "blockAddress"), "sequenceNo");
	int64_t n;
	if (!seq || seq->is_null || seq->type != ION_TYPE_INT || ion_int_to_i64(&seq->u.i, &n) ||
	    n < 0) {
		snprintf(s->why, sizeof s->why,
			 "a BLOCK_SUMMARY without a blockAddress.sequenceNo integer");
		rc = -1;
		goto out;
	}
	if (n > s->max_seq)
		s->max_seq = n;
out:
	ion_arena_free(a);
	return rc;
}

int kinesis_journal_record_scan(const uint8_t *data, size_t len, int64_t *max_seq, size_t *count,
				struct api_error *err)
{
	struct journal_scan_ctx s = { .max_seq = -1 };
	bool is_kpl;
	long k = kpl_each(data, len, &is_kpl, journal_one, &s);
	int rc = 0;
	if (k < 0)
		rc = api_error_set(err, API_ERR_PARSE, "journal record: %s",
				   s.why[0] ? s.why
					    : "a KPL aggregate that does not decode (MD5 or "
					      "protobuf)");
	else if (!is_kpl && journal_one(&s, data, len) != 0)
		rc = api_error_set(err, API_ERR_PARSE, "journal record: %s", s.why);
	*max_seq = rc ? -1 : s.max_seq;
	*count = rc ? 0 : s.count;
	return rc;
}

/* ---- calls ------------------------------------------------------------- */

struct kinesis_client *kinesis_client_new(const struct api_config *cfg, const atomic_int *stop,
					  struct api_error *err)
{
	struct kinesis_client *c = calloc(1, sizeof *c);
	if (!c) {
		api_error_set(err, API_ERR_NOMEM, "Kinesis client: out of memory");
		return NULL;
	}
	if (!(c->conn = s3_client_for(cfg, "kinesis", stop, err))) {
		free(c);
		return NULL;
	}
	return c;
}

struct kinesis_client *kinesis_client_beside(struct http_client *peer, struct api_error *err)
{
	struct kinesis_client *c = calloc(1, sizeof *c);
	if (!c) {
		api_error_set(err, API_ERR_NOMEM, "Kinesis client: out of memory");
		return NULL;
	}
	if (!(c->conn = s3_client_beside(peer, "kinesis", err))) {
		free(c);
		return NULL;
	}
	return c;
}

void kinesis_client_free(struct kinesis_client *c)
{
	if (!c)
		return;
	s3_client_free(c->conn);
	free(c);
}

/* POST one operation with body (a cJSON object, deleted here). */
static int kinesis_call(struct kinesis_client *c, const char *op, cJSON *body, size_t max,
			struct s3_body *out, struct api_error *err)
{
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (!text)
		return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", op);
	char target[64];
	snprintf(target, sizeof target, KINESIS_TARGET "%s", op);
	struct s3_shim_request req = { .what = op,
				       .method = "POST",
				       .path = "/",
				       .body = text,
				       .body_len = strlen(text),
				       .content_type = KINESIS_CONTENT_TYPE,
				       .target = target,
				       .max = max };
	int rc = s3_shim_perform(c->conn, &req, out, err);
	free(text);
	if (!rc && !out->buf) {
		rc = api_error_set(err, API_ERR_PARSE, "%s: empty response body", op);
	}
	return rc;
}

static int check_stream(const char *op, const char *stream, struct api_error *err)
{
	if (stream_name_ok(stream))
		return 0;
	return api_error_set(err, API_ERR_CONFIG, "%s: '%.60s' is not a valid stream name", op,
			     stream);
}

int kinesis_describe_stream_summary(struct kinesis_client *c, const char *stream,
				    struct kinesis_stream_summary *out, struct api_error *err)
{
	static const char OP[] = "DescribeStreamSummary";
	if (check_stream(OP, stream, err))
		return err->status;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "StreamName", stream);
	struct s3_body resp;
	int rc = kinesis_call(c, OP, b, 1u << 20, &resp, err);
	if (rc)
		return rc;
	rc = kinesis_parse_describe_stream_summary(resp.buf, resp.len, out, err);
	free(resp.buf);
	return rc;
}

int kinesis_list_shards(struct kinesis_client *c, const char *stream,
			struct kinesis_shard_list *out, struct api_error *err)
{
	static const char OP[] = "ListShards";
	if (check_stream(OP, stream, err))
		return err->status;
	for (unsigned page = 0; page < 1000; page++) {
		cJSON *b = cJSON_CreateObject();
		/* with NextToken, StreamName must not be sent (AWS docs) */
		if (page == 0)
			cJSON_AddStringToObject(b, "StreamName", stream);
		else
			cJSON_AddStringToObject(b, "NextToken", out->next_token);
		struct s3_body resp;
		int rc = kinesis_call(c, OP, b, 8u << 20, &resp, err);
		if (rc)
			return rc;
		char *prev = page ? out->next_token : NULL;
		out->next_token = NULL;
		rc = kinesis_parse_list_shards(resp.buf, resp.len, out, err);
		free(resp.buf);
		if (!rc && prev && out->next_token && strcmp(prev, out->next_token) == 0)
			rc = api_error_set(err, API_ERR_PARSE,
					   "ListShards: the service gave the same NextToken twice");
		free(prev);
		if (rc || !out->next_token)
			return rc;
	}
	return api_error_set(err, API_ERR_LIMIT, "ListShards: more than 1000 pages");
}

static int get_iterator(struct kinesis_client *c, const char *stream, const char *shard,
			double since, char *it, size_t cap, struct api_error *err)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "StreamName", stream);
	cJSON_AddStringToObject(b, "ShardId", shard);
	cJSON_AddStringToObject(b, "ShardIteratorType",
				since > 0 ? "AT_TIMESTAMP" : "TRIM_HORIZON");
	if (since > 0)
		cJSON_AddNumberToObject(b, "Timestamp", since);
	struct s3_body resp;
	int rc = kinesis_call(c, "GetShardIterator", b, 64u << 10, &resp, err);
	if (rc)
		return rc;
	rc = kinesis_parse_get_shard_iterator(resp.buf, resp.len, it, cap, err);
	free(resp.buf);
	return rc;
}

struct scan_state {
	struct kinesis_journal_scan *out;
	struct api_error *err;
};

static int scan_record(void *ctx, const uint8_t *data, size_t n)
{
	struct scan_state *s = ctx;
	int64_t seq;
	size_t count;
	if (kinesis_journal_record_scan(data, n, &seq, &count, s->err))
		return -1;
	s->out->records += count;
	if (seq > s->out->max_seq)
		s->out->max_seq = seq;
	return 0;
}

int kinesis_journal_scan(struct kinesis_client *c, const char *stream, double since,
			 unsigned max_calls, struct kinesis_journal_scan *out,
			 struct api_error *err)
{
	memset(out, 0, sizeof *out);
	out->max_seq = -1;
	struct kinesis_shard_list shards = { 0 };
	int rc = kinesis_list_shards(c, stream, &shards, err);
	if (rc)
		return rc;
	bool complete = true;
	char it[KINESIS_ITERATOR_MAX + 1], next[KINESIS_ITERATOR_MAX + 1];
	for (size_t i = 0; i < shards.n && !rc; i++) {
		if (out->calls >= max_calls) {
			complete = false;
			break;
		}
		if ((rc = get_iterator(c, stream, shards.items[i].id, since, it, sizeof it, err)))
			break;
		for (;;) {
			if (out->calls >= max_calls) {
				complete = false;
				break;
			}
			cJSON *b = cJSON_CreateObject();
			cJSON_AddStringToObject(b, "ShardIterator", it);
			cJSON_AddNumberToObject(b, "Limit", KINESIS_RECORDS_LIMIT);
			struct s3_body resp;
			out->calls++;
			if ((rc = kinesis_call(c, "GetRecords", b, KINESIS_RESPONSE_MAX, &resp,
					       err)))
				break;
			struct scan_state st = { out, err };
			size_t got;
			int64_t behind;
			rc = kinesis_parse_get_records(resp.buf, resp.len, scan_record, &st, &got,
						       next, sizeof next, &behind, err);
			free(resp.buf);
			if (rc)
				break;
			/* the shard's end: closed and read out, or at its latest
			 * record now (MillisBehindLatest 0), or nothing more and no
			 * lag reported */
			if (!next[0] || behind == 0 || (behind < 0 && got == 0))
				break;
			memcpy(it, next, sizeof it);
		}
	}
	out->complete = complete && !rc;
	kinesis_shard_list_free(&shards);
	return rc;
}

int64_t kinesis_lag_blocks(uint64_t tip_seq, const struct kinesis_journal_scan *s)
{
	if (s->max_seq < 0)
		return -1;
	if ((uint64_t)s->max_seq >= tip_seq)
		return 0;
	return (int64_t)(tip_seq - (uint64_t)s->max_seq);
}
