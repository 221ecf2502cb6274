/*
 * kinesis.c - the endpoint's Kinesis Data Streams (see kinesis.h): the
 * JSON 1.1 shell over sim/kinesis_store.c. One table maps X-Amz-Target
 * operations to handlers; each handler reads its members (type errors are
 * SerializationException, model constraints ValidationException, the
 * service's own rules InvalidArgumentException, as the real service
 * splits them), takes the mutex for the store, and answers. The settings
 * operations (retention, encryption, tags) are in kinesis_settings.c; what
 * both files share is kinesis_call.h.
 */
#include "sim/kinesis.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/kinesis_call.h"
#include "sim/kinesis_store.h"
#include "sim/ledger.h"
#include "sim/rng.h"
#include "verify/base64.h"

#define CONTENT_TYPE "application/x-amz-json-1.1"
#define TARGET_PREFIX "Kinesis_20131202."
#define MAC_BYTES 16	     /* 128 bits of HMAC-SHA256 */
#define SEALED_PLAIN_MAX 320 /* iterator text: name (128) + numbers + MAC */
#define SEALED_MAX 512	     /* ShardIterator: at most 512 characters (model) */
#define LIST_STREAMS_DEFAULT 100
#define LIST_SHARDS_DEFAULT 1000
#define DESCRIBE_SHARDS_DEFAULT 100
#define GET_RECORDS_DEFAULT 10000
#define PUT_RECORDS_MAX 500 /* entries per PutRecords (model) */

/* --- errors ----------------------------------------------------------------- */

static const struct {
	const char *code;
	unsigned status;
} KERR[] = {
	[KE_NOT_FOUND] = { "ResourceNotFoundException", 400 },
	[KE_IN_USE] = { "ResourceInUseException", 400 },
	[KE_INVALID_ARGUMENT] = { "InvalidArgumentException", 400 },
	[KE_VALIDATION] = { "ValidationException", 400 },
	[KE_SERIALIZATION] = { "SerializationException", 400 },
	[KE_UNKNOWN_OPERATION] = { "UnknownOperationException", 400 },
	[KE_LIMIT] = { "LimitExceededException", 400 },
	[KE_EXPIRED_ITERATOR] = { "ExpiredIteratorException", 400 },
	[KE_EXPIRED_TOKEN] = { "ExpiredNextTokenException", 400 },
	[KE_KMS_NOT_FOUND] = { "KMSNotFoundException", 400 },
	[KE_INTERNAL] = { "InternalFailure", 500 },
};

/* The error body Kinesis (and kinesalite) send; botocore reads __type. */
static void error_body(struct sim_response *res, unsigned status, const char *code, const char *msg)
{
	char clean[SIM_MESSAGE_MAX];
	snprintf(clean, sizeof clean, "%s", msg);
	sim_message_clean(clean);
	sim_response_clear(res);
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;
	if (o && cJSON_AddStringToObject(o, "__type", code) &&
	    cJSON_AddStringToObject(o, "message", clean))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	static const char OOM[] = "{\"__type\":\"InternalFailure\",\"message\":\"out of memory\"}";
	if (!text) {
		text = strdup(OOM);
		status = 500;
		code = "InternalFailure";
	}
	res->status = status;
	res->error_code = code;
	res->body = text;
	res->body_len = text ? strlen(text) : 0;
	res->content_type = CONTENT_TYPE;
}

void kinesis_err(struct sim_response *res, enum kinesis_error e, const char *fmt, ...)
{
	char msg[SIM_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	error_body(res, KERR[e].status, KERR[e].code, msg);
}

void sim_kinesis_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	error_body(res, sim_error_status(e), sim_error_code(e), msg);
}

void kinesis_respond(struct sim_response *res, cJSON *o)
{
	if (sim_response_json(res, o) == 0)
		res->content_type = CONTENT_TYPE;
	else
		kinesis_err(res, KE_INTERNAL, "out of memory");
}

/* --- life ------------------------------------------------------------------- */

static int64_t realtime_ms(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sim_kinesis *sim_kinesis_new(uint64_t seed, int64_t (*now_ms)(void *ctx), void *ctx)
{
	struct sim_kinesis *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	if (pthread_mutex_init(&k->mu, NULL) != 0) {
		free(k);
		return NULL;
	}
	sim_kinesis_store_init(&k->st, seed);
	struct sim_rng r;
	sim_rng_seed(&r, seed ^ 0x6b696e65736973ULL); /* "kinesis": not the ledgers' key */
	sim_rng_bytes(&r, k->key, sizeof k->key);
	k->now_ms = now_ms ? now_ms : realtime_ms;
	k->ctx = ctx;
	return k;
}

void sim_kinesis_free(struct sim_kinesis *k)
{
	if (!k)
		return;
	sim_kinesis_store_free(&k->st);
	pthread_mutex_destroy(&k->mu);
	free(k);
}

void sim_kinesis_set_delays(struct sim_kinesis *k, int64_t create_ms, int64_t delete_ms)
{
	pthread_mutex_lock(&k->mu);
	k->st.create_delay_ms = create_ms > 0 ? create_ms : 0;
	k->st.delete_delay_ms = delete_ms > 0 ? delete_ms : 0;
	pthread_mutex_unlock(&k->mu);
}

/* Lock and sweep; returns now. */
int64_t kinesis_lock(struct sim_kinesis *k)
{
	pthread_mutex_lock(&k->mu);
	int64_t now = k->now_ms(k->ctx);
	sim_kinesis_store_sweep(&k->st, now);
	return now;
}

void kinesis_unlock(struct sim_kinesis *k)
{
	pthread_mutex_unlock(&k->mu);
}

/* --- sealed iterators and tokens --------------------------------------------- */

static void seal_mac(const struct sim_kinesis *k, const char *plain, size_t n,
		     char hex[2 * MAC_BYTES + 1])
{
	uint8_t mac[32];
	unsigned len = 0;
	HMAC(EVP_sha256(), k->key, sizeof k->key, (const unsigned char *)plain, n, mac, &len);
	for (int i = 0; i < MAC_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
}

/* base64(plain "|" MAC) into out[SEALED_MAX + 1]; 0 or -1 when too long. */
static int seal(const struct sim_kinesis *k, const char *plain, char out[SEALED_MAX + 1])
{
	char text[SEALED_PLAIN_MAX + 2 * MAC_BYTES + 2];
	size_t n = strlen(plain);
	if (n > SEALED_PLAIN_MAX || BASE64_ENCODED_SIZE(n + 1 + 2 * MAC_BYTES) > SEALED_MAX + 1)
		return -1;
	memcpy(text, plain, n);
	text[n] = '|';
	seal_mac(k, plain, n, text + n + 1);
	base64_encode((const uint8_t *)text, n + 1 + 2 * MAC_BYTES, out);
	return 0;
}

/* The plain text of a sealed string into plain[SEALED_PLAIN_MAX + 1]; 0, or
 * -1 when it is not one of ours. */
static int unseal(const struct sim_kinesis *k, const char *sealed, char *plain)
{
	uint8_t text[SEALED_MAX];
	size_t n = strlen(sealed);
	if (n > SEALED_MAX)
		return -1;
	long len = base64_decode(sealed, n, text, sizeof text);
	if (len < 2 * MAC_BYTES + 2 || len - 2 * MAC_BYTES - 1 > SEALED_PLAIN_MAX ||
	    text[len - 2 * MAC_BYTES - 1] != '|')
		return -1;
	size_t body = (size_t)len - 2 * MAC_BYTES - 1;
	char hex[2 * MAC_BYTES + 1];
	seal_mac(k, (const char *)text, body, hex);
	if (CRYPTO_memcmp(hex, text + body + 1, 2 * MAC_BYTES) != 0 || memchr(text, '\0', body))
		return -1;
	memcpy(plain, text, body);
	plain[body] = '\0';
	return 0;
}

/* Iterators: "i1|SERIAL|SHARD|POSITION|ISSUED_MS|STREAM". */
struct iterator {
	uint64_t serial, pos;
	size_t shard;
	int64_t issued;
	char name[SIM_KINESIS_NAME_MAX + 1];
};

static int iterator_make(const struct sim_kinesis *k, const struct sim_kinesis_stream *s,
			 size_t shard, uint64_t pos, int64_t now, char out[SEALED_MAX + 1])
{
	char plain[SEALED_PLAIN_MAX + 1];
	snprintf(plain, sizeof plain, "i1|%" PRIu64 "|%zu|%" PRIu64 "|%" PRId64 "|%s", s->serial,
		 shard, pos, now, s->name);
	return seal(k, plain, out);
}

static int iterator_read(const struct sim_kinesis *k, const char *sealed, struct iterator *it)
{
	char plain[SEALED_PLAIN_MAX + 1];
	int off = 0;
	if (unseal(k, sealed, plain) != 0 ||
	    sscanf(plain, "i1|%" SCNu64 "|%zu|%" SCNu64 "|%" SCNd64 "|%n", &it->serial, &it->shard,
		   &it->pos, &it->issued, &off) != 4 ||
	    off == 0 || strlen(plain + off) > SIM_KINESIS_NAME_MAX)
		return -1;
	snprintf(it->name, sizeof it->name, "%s", plain + off);
	return 0;
}

/* --- reading members ---------------------------------------------------------- */

/* "StreamName" -> "streamName", as AWS's validation messages name members. */
static const char *camel(const char *member, char out[64])
{
	size_t n = strnlen(member, 63);
	memcpy(out, member, n);
	out[n] = '\0';
	if (out[0] >= 'A' && out[0] <= 'Z')
		out[0] = (char)(out[0] - 'A' + 'a');
	return out;
}

void kinesis_not_null(struct kinesis_call *c, const char *member)
{
	char m[64];
	kinesis_err(c->res, KE_VALIDATION,
		    "1 validation error detected: Value null at '%s' failed to satisfy constraint: "
		    "Member must not be null",
		    camel(member, m));
}

/* A string member: 1 and *out when present, 0 when absent, -1 after an
 * error (not a string). */
static int get_string(struct kinesis_call *c, const cJSON *obj, const char *member,
		      const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, member);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v)) {
		kinesis_err(c->res, KE_SERIALIZATION, "%s: expected a string", member);
		return -1;
	}
	*out = v->valuestring;
	return 1;
}

/* A string member with the model's length bounds (and, when pattern_chars
 * is given, every character among them); required or not. */
int kinesis_get_text(struct kinesis_call *c, const cJSON *obj, const char *member, bool required,
		     size_t min, size_t max, const char *pattern_chars, const char **out)
{
	/* a dotted member ("Records.1.Data") is looked up by its last part
	 * and named in full in messages */
	const char *dot = strrchr(member, '.');
	int rc = get_string(c, obj, dot ? dot + 1 : member, out);
	if (rc == 0 && required) {
		kinesis_not_null(c, member);
		return -1;
	}
	if (rc <= 0)
		return rc;
	char m[64];
	size_t n = strlen(*out);
	if (n < min || n > max) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value '%.140s' at '%s' failed to satisfy "
			    "constraint: Member must have length %s %zu",
			    *out, camel(member, m),
			    n < min ? "greater than or equal to" : "less than or equal to",
			    n < min ? min : max);
		return -1;
	}
	if (pattern_chars && strspn(*out, pattern_chars) != n) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value '%.140s' at '%s' failed to satisfy "
			    "constraint: Member must satisfy regular expression pattern: "
			    "[a-zA-Z0-9_.-]+",
			    *out, camel(member, m));
		return -1;
	}
	return 1;
}

/* An integer member in [min, max]: 1 and *out, 0 when absent, -1 after an
 * error. */
int kinesis_get_int(struct kinesis_call *c, const char *member, int64_t min, int64_t max,
		    int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->in, member);
	if (!v || cJSON_IsNull(v))
		return 0;
	double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
	if (!(d == floor(d)) || fabs(d) > 9e15) {
		kinesis_err(c->res, KE_SERIALIZATION, "%s: expected an integer", member);
		return -1;
	}
	char m[64];
	if (d < (double)min || d > (double)max) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value '%.0f' at '%s' failed to satisfy "
			    "constraint: Member must have value %s %" PRId64,
			    d, camel(member, m),
			    d < (double)min ? "greater than or equal to" : "less than or equal to",
			    d < (double)min ? min : max);
		return -1;
	}
	*out = (int64_t)d;
	return 1;
}

/* A timestamp member (epoch seconds, as the JSON protocol sends them) in
 * ms: 1, 0 when absent, -1 after an error. */
static int get_time(struct kinesis_call *c, const char *member, int64_t *ms)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->in, member);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || fabs(v->valuedouble) > 1e13) {
		kinesis_err(c->res, KE_SERIALIZATION, "%s: expected a timestamp (epoch seconds)",
			    member);
		return -1;
	}
	*ms = (int64_t)llround(v->valuedouble * 1000.0);
	return 1;
}

/* The stream name a request gives in StreamName or StreamARN (the two
 * must agree): 0 and *name (borrowed from the request), or -1 after an
 * error. */
int kinesis_stream_ident(struct kinesis_call *c, const char **name)
{
	const char *sn = NULL, *arn = NULL;
	int a = kinesis_get_text(c, c->in, "StreamName", false, 1, SIM_KINESIS_NAME_MAX,
				 KINESIS_NAME_CHARS, &sn);
	int b = a < 0 ? -1 : kinesis_get_text(c, c->in, "StreamARN", false, 1, 2048, NULL, &arn);
	if (a < 0 || b < 0)
		return -1;
	const char *tail = arn ? strstr(arn, ":stream/") : NULL;
	if (arn && (strncmp(arn, "arn:aws", 7) != 0 || !strstr(arn, ":kinesis:") || !tail ||
		    tail[8] == '\0' || strlen(tail + 8) > SIM_KINESIS_NAME_MAX ||
		    strspn(tail + 8, KINESIS_NAME_CHARS) != strlen(tail + 8))) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value '%.140s' at 'streamARN' failed to "
			    "satisfy "
			    "constraint: Member must satisfy regular expression pattern: "
			    "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+",
			    arn);
		return -1;
	}
	if (!sn && !arn) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "Either StreamName or StreamARN must be provided.");
		return -1;
	}
	if (sn && arn && strcmp(sn, tail + 8) != 0) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "StreamARN %.140s and StreamName %s name different streams.", arn, sn);
		return -1;
	}
	*name = sn ? sn : tail + 8;
	return 0;
}

static void not_found(struct kinesis_call *c, const char *name)
{
	kinesis_err(c->res, KE_NOT_FOUND, "Stream %s under account " KINESIS_ACCOUNT " not found.",
		    name);
}

struct sim_kinesis_stream *kinesis_find_stream(struct kinesis_call *c, const char *name)
{
	struct sim_kinesis_stream *s = sim_kinesis_store_find(&c->k->st, name);
	if (!s)
		not_found(c, name);
	return s;
}

/* The stream, which must be ACTIVE (reads and writes). */
static struct sim_kinesis_stream *find_active(struct kinesis_call *c, const char *name, int64_t now)
{
	struct sim_kinesis_stream *s = sim_kinesis_store_find(&c->k->st, name);
	if (!s || sim_kinesis_store_status(&c->k->st, s, now) != SIM_KINESIS_ACTIVE) {
		not_found(c, name);
		return NULL;
	}
	return s;
}

static void shard_id(size_t i, char out[32])
{
	snprintf(out, 32, "shardId-%012zu", i);
}

/* "shardId-000000000003" -> 3; -1 when it is no shard of s. */
static long shard_index(const struct sim_kinesis_stream *s, const char *id)
{
	const char *p = strncmp(id, "shardId-", 8) == 0 ? id + 8 : id;
	size_t n = strlen(p);
	if (n == 0 || n > 12 || strspn(p, "0123456789") != n)
		return -1;
	long i = strtol(p, NULL, 10);
	return (size_t)i < s->n_shards ? i : -1;
}

static void arn_of(const struct kinesis_call *c, const struct sim_kinesis_stream *s, char *out,
		   size_t cap)
{
	snprintf(out, cap, "arn:aws:kinesis:%s:" KINESIS_ACCOUNT ":stream/%s",
		 c->region ? c->region : "us-east-1", s->name);
}

/* --- describing ----------------------------------------------------------- */

static cJSON *mode_details(const struct sim_kinesis_stream *s)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "StreamMode", s->on_demand ? "ON_DEMAND" : "PROVISIONED");
	return m;
}

static cJSON *shard_json(const struct sim_kinesis_stream *s, size_t i)
{
	char id[32], start[40], end[40], seq[SIM_KINESIS_SEQ_LEN + 1];
	shard_id(i, id);
	sim_kinesis_u128_format(s->shards[i].start, start);
	sim_kinesis_u128_format(s->shards[i].end, end);
	sim_kinesis_seq_format(s, i, 0, seq);
	cJSON *o = cJSON_CreateObject(), *h = cJSON_CreateObject(), *r = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "ShardId", id);
	cJSON_AddStringToObject(h, "StartingHashKey", start);
	cJSON_AddStringToObject(h, "EndingHashKey", end);
	cJSON_AddItemToObject(o, "HashKeyRange", h);
	cJSON_AddStringToObject(r, "StartingSequenceNumber", seq); /* open: no ending */
	cJSON_AddItemToObject(o, "SequenceNumberRange", r);
	return o;
}

static const char *encryption_of(const struct sim_kinesis_stream *s)
{
	return s->key_id ? "KMS" : "NONE";
}

/* The members DescribeStream and DescribeStreamSummary share. */
static void describe_common(struct kinesis_call *c, cJSON *o, const struct sim_kinesis_stream *s,
			    int64_t now)
{
	char arn[256];
	arn_of(c, s, arn, sizeof arn);
	cJSON_AddStringToObject(o, "StreamName", s->name);
	cJSON_AddStringToObject(o, "StreamARN", arn);
	cJSON_AddStringToObject(
		o, "StreamStatus",
		sim_kinesis_status_name(sim_kinesis_store_status(&c->k->st, s, now)));
	cJSON_AddItemToObject(o, "StreamModeDetails", mode_details(s));
	cJSON_AddNumberToObject(o, "RetentionPeriodHours", s->retention_hours);
	cJSON_AddItemToObject(o, "StreamCreationTimestamp", sim_json_timestamp(s->created_ms));
	cJSON *em = cJSON_CreateArray(), *m = cJSON_CreateObject();
	cJSON_AddItemToObject(m, "ShardLevelMetrics", cJSON_CreateArray());
	cJSON_AddItemToArray(em, m);
	cJSON_AddItemToObject(o, "EnhancedMonitoring", em);
	cJSON_AddStringToObject(o, "EncryptionType", encryption_of(s));
	if (s->key_id)
		cJSON_AddStringToObject(o, "KeyId", s->key_id);
}

/* --- operations ------------------------------------------------------------ */

static void op_create_stream(struct kinesis_call *c)
{
	const char *name = NULL, *mode = "PROVISIONED";
	int64_t shards = 0;
	if (kinesis_get_text(c, c->in, "StreamName", true, 1, SIM_KINESIS_NAME_MAX,
			     KINESIS_NAME_CHARS, &name) < 0)
		return;
	int has_count = kinesis_get_int(c, "ShardCount", 1, INT32_MAX, &shards);
	if (has_count < 0)
		return;
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(c->in, "StreamModeDetails");
	if (md && !cJSON_IsNull(md)) {
		if (!cJSON_IsObject(md)) {
			kinesis_err(c->res, KE_SERIALIZATION,
				    "StreamModeDetails: expected an object");
			return;
		}
		if (get_string(c, md, "StreamMode", &mode) <= 0) {
			if (!c->res->error_code)
				kinesis_not_null(c, "StreamModeDetails.streamMode");
			return;
		}
		if (strcmp(mode, "PROVISIONED") != 0 && strcmp(mode, "ON_DEMAND") != 0) {
			kinesis_err(c->res, KE_VALIDATION,
				    "1 validation error detected: Value '%.40s' at "
				    "'streamModeDetails.streamMode' failed to satisfy constraint: "
				    "Member "
				    "must satisfy enum value set: [PROVISIONED, ON_DEMAND]",
				    mode);
			return;
		}
	}
	bool on_demand = strcmp(mode, "ON_DEMAND") == 0;
	if (!has_count && !on_demand) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "ShardCount is required for a PROVISIONED stream.");
		return;
	}
	if (!has_count)
		shards = SIM_KINESIS_ON_DEMAND_SHARDS;
	struct sim_kinesis *k = c->k;
	int64_t now = kinesis_lock(k);
	size_t open = sim_kinesis_store_open_shards(&k->st);
	enum sim_kinesis_rc rc =
		shards > SIM_KINESIS_SHARDS_MAX
			? SIM_KINESIS_LIMIT
			: sim_kinesis_store_create(&k->st, name, (size_t)shards, on_demand, now);
	size_t n_streams = k->st.n;
	kinesis_unlock(k);
	switch (rc) {
	case SIM_KINESIS_OK:
		kinesis_respond(c->res, cJSON_CreateObject());
		return;
	case SIM_KINESIS_EXISTS:
		kinesis_err(c->res, KE_IN_USE,
			    "Stream %s under account " KINESIS_ACCOUNT " already exists.", name);
		return;
	case SIM_KINESIS_LIMIT:
		if (n_streams == SIM_KINESIS_STREAMS_MAX)
			kinesis_err(c->res, KE_LIMIT,
				    "This request would exceed the limit of %d streams for "
				    "account " KINESIS_ACCOUNT " on this endpoint.",
				    SIM_KINESIS_STREAMS_MAX);
		else
			kinesis_err(c->res, KE_LIMIT,
				    "This request would exceed the shard limit for the "
				    "account " KINESIS_ACCOUNT " in %s. Current limit of shards is "
				    "%d (%zu open). Requested %" PRId64 ".",
				    c->region ? c->region : "us-east-1", SIM_KINESIS_SHARDS_MAX,
				    open, shards);
		return;
	default:
		kinesis_err(c->res, KE_INTERNAL, "out of memory");
	}
}

static void op_delete_stream(struct kinesis_call *c)
{
	const char *name;
	if (kinesis_stream_ident(c, &name) < 0)
		return;
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = kinesis_find_stream(c, name);
	if (s) {
		enum sim_kinesis_status st = sim_kinesis_store_status(&c->k->st, s, now);
		if (st != SIM_KINESIS_ACTIVE)
			kinesis_err(c->res, KE_IN_USE,
				    "Stream %s under account " KINESIS_ACCOUNT
				    " not ACTIVE, instead in state %s",
				    name, sim_kinesis_status_name(st));
		else
			sim_kinesis_store_delete(&c->k->st, s, now);
	}
	kinesis_unlock(c->k);
	if (!c->res->error_code)
		kinesis_respond(c->res, cJSON_CreateObject());
}

static void op_describe_stream(struct kinesis_call *c)
{
	const char *name, *start = NULL;
	int64_t limit = DESCRIBE_SHARDS_DEFAULT;
	if (kinesis_stream_ident(c, &name) < 0 ||
	    kinesis_get_int(c, "Limit", 1, 10000, &limit) < 0 ||
	    kinesis_get_text(c, c->in, "ExclusiveStartShardId", false, 1, 128, KINESIS_NAME_CHARS,
			     &start) < 0)
		return;
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = kinesis_find_stream(c, name);
	cJSON *out = NULL;
	if (s) {
		out = cJSON_CreateObject();
		cJSON *d = cJSON_AddObjectToObject(out, "StreamDescription");
		describe_common(c, d, s, now);
		/* Shards after the exclusive start (a name that is no shard of
		 * this stream starts at the beginning, as AWS) */
		long from = start ? shard_index(s, start) + 1 : 0;
		cJSON *shards = cJSON_AddArrayToObject(d, "Shards");
		size_t i = (size_t)from;
		for (; i < s->n_shards && (int64_t)(i - (size_t)from) < limit; i++)
			cJSON_AddItemToArray(shards, shard_json(s, i));
		cJSON_AddBoolToObject(d, "HasMoreShards", i < s->n_shards);
	}
	kinesis_unlock(c->k);
	if (out)
		kinesis_respond(c->res, out);
}

static void op_describe_stream_summary(struct kinesis_call *c)
{
	const char *name;
	if (kinesis_stream_ident(c, &name) < 0)
		return;
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = kinesis_find_stream(c, name);
	cJSON *out = NULL;
	if (s) {
		out = cJSON_CreateObject();
		cJSON *d = cJSON_AddObjectToObject(out, "StreamDescriptionSummary");
		describe_common(c, d, s, now);
		cJSON_AddNumberToObject(d, "OpenShardCount", (double)s->n_shards);
		cJSON_AddNumberToObject(d, "ConsumerCount", 0);
	}
	kinesis_unlock(c->k);
	if (out)
		kinesis_respond(c->res, out);
}

static void op_list_streams(struct kinesis_call *c)
{
	const char *start = NULL, *token = NULL;
	int64_t limit = LIST_STREAMS_DEFAULT;
	char after[SEALED_PLAIN_MAX + 1] = "";
	if (kinesis_get_int(c, "Limit", 1, 10000, &limit) < 0 ||
	    kinesis_get_text(c, c->in, "ExclusiveStartStreamName", false, 1, SIM_KINESIS_NAME_MAX,
			     KINESIS_NAME_CHARS, &start) < 0 ||
	    kinesis_get_text(c, c->in, "NextToken", false, 1, 1048576, NULL, &token) < 0)
		return;
	if (start && token) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "NextToken and ExclusiveStartStreamName cannot be provided together.");
		return;
	}
	if (token) {
		char plain[SEALED_PLAIN_MAX + 1];
		if (unseal(c->k, token, plain) != 0 || strncmp(plain, "l1|", 3) != 0) {
			kinesis_err(c->res, KE_INVALID_ARGUMENT, "Invalid NextToken.");
			return;
		}
		snprintf(after, sizeof after, "%s", plain + 3);
	} else if (start) {
		snprintf(after, sizeof after, "%s", start);
	}
	int64_t now = kinesis_lock(c->k);
	cJSON *out = cJSON_CreateObject();
	cJSON *names = cJSON_AddArrayToObject(out, "StreamNames");
	cJSON *sums = cJSON_CreateArray();
	const char *last = NULL;
	size_t i = 0, taken = 0;
	while (i < c->k->st.n && strcmp(c->k->st.streams[i]->name, after) <= 0)
		i++;
	for (; i < c->k->st.n && (int64_t)taken < limit; i++, taken++) {
		const struct sim_kinesis_stream *s = c->k->st.streams[i];
		char arn[256];
		arn_of(c, s, arn, sizeof arn);
		cJSON_AddItemToArray(names, cJSON_CreateString(s->name));
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "StreamName", s->name);
		cJSON_AddStringToObject(o, "StreamARN", arn);
		cJSON_AddStringToObject(
			o, "StreamStatus",
			sim_kinesis_status_name(sim_kinesis_store_status(&c->k->st, s, now)));
		cJSON_AddItemToObject(o, "StreamModeDetails", mode_details(s));
		cJSON_AddItemToObject(o, "StreamCreationTimestamp",
				      sim_json_timestamp(s->created_ms));
		cJSON_AddItemToArray(sums, o);
		last = s->name;
	}
	bool more = i < c->k->st.n;
	cJSON_AddBoolToObject(out, "HasMoreStreams", more);
	if (more && last) {
		char plain[SEALED_PLAIN_MAX + 1], sealed[SEALED_MAX + 1];
		snprintf(plain, sizeof plain, "l1|%s", last);
		if (seal(c->k, plain, sealed) == 0)
			cJSON_AddStringToObject(out, "NextToken", sealed);
	}
	cJSON_AddItemToObject(out, "StreamSummaries", sums);
	kinesis_unlock(c->k);
	kinesis_respond(c->res, out);
}

static const char *const SHARD_FILTERS[] = { "AFTER_SHARD_ID",	  "AT_TRIM_HORIZON",
					     "FROM_TRIM_HORIZON", "AT_LATEST",
					     "AT_TIMESTAMP",	  "FROM_TIMESTAMP" };

static void op_list_shards(struct kinesis_call *c)
{
	const char *name = NULL, *token = NULL, *start = NULL;
	int64_t limit = LIST_SHARDS_DEFAULT;
	if (kinesis_get_text(c, c->in, "NextToken", false, 1, 1048576, NULL, &token) < 0 ||
	    kinesis_get_int(c, "MaxResults", 1, 10000, &limit) < 0 ||
	    kinesis_get_text(c, c->in, "ExclusiveStartShardId", false, 1, 128, KINESIS_NAME_CHARS,
			     &start) < 0)
		return;
	const cJSON *filter = cJSON_GetObjectItemCaseSensitive(c->in, "ShardFilter");
	if (filter && !cJSON_IsNull(filter)) {
		const char *type = NULL;
		if (!cJSON_IsObject(filter)) {
			kinesis_err(c->res, KE_SERIALIZATION, "ShardFilter: expected an object");
			return;
		}
		if (get_string(c, filter, "Type", &type) <= 0) {
			if (!c->res->error_code)
				kinesis_not_null(c, "ShardFilter.type");
			return;
		}
		size_t t = 0;
		while (t < 6 && strcmp(type, SHARD_FILTERS[t]) != 0)
			t++;
		if (t == 6) {
			kinesis_err(
				c->res, KE_VALIDATION,
				"1 validation error detected: Value '%.40s' at 'shardFilter.type' "
				"failed to satisfy constraint: Member must satisfy enum value set: "
				"[AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, "
				"AT_TIMESTAMP, FROM_TIMESTAMP]",
				type);
			return;
		}
		/* Every shard is open and as old as its stream: only
		 * AFTER_SHARD_ID changes what is listed. */
		if (t == 0 && kinesis_get_text(c, filter, "ShardId", false, 1, 128,
					       KINESIS_NAME_CHARS, &start) <= 0) {
			if (!c->res->error_code)
				kinesis_err(c->res, KE_INVALID_ARGUMENT,
					    "ShardFilter AFTER_SHARD_ID needs a ShardId.");
			return;
		}
	}
	uint64_t serial = 0;
	long after = -1;
	char token_name[SIM_KINESIS_NAME_MAX + 1] = "";
	int64_t issued = 0;
	if (token) {
		char plain[SEALED_PLAIN_MAX + 1];
		int off = 0;
		if (unseal(c->k, token, plain) != 0 ||
		    sscanf(plain, "s1|%" SCNu64 "|%ld|%" SCNd64 "|%n", &serial, &after, &issued,
			   &off) != 3 ||
		    off == 0 || strlen(plain + off) > SIM_KINESIS_NAME_MAX) {
			kinesis_err(c->res, KE_INVALID_ARGUMENT, "Invalid NextToken.");
			return;
		}
		snprintf(token_name, sizeof token_name, "%s", plain + off);
		if (start) {
			kinesis_err(
				c->res, KE_INVALID_ARGUMENT,
				"NextToken and ExclusiveStartShardId cannot be provided together.");
			return;
		}
		/* botocore's paginator sends the first page's StreamName with
		 * every NextToken; AWS documents the pair as refused, but the
		 * CLI must page, so a name that agrees with the token passes. */
		const char *sn = NULL;
		if (kinesis_get_text(c, c->in, "StreamName", false, 1, SIM_KINESIS_NAME_MAX,
				     KINESIS_NAME_CHARS, &sn) < 0)
			return;
		if (sn && strcmp(sn, token_name) != 0) {
			kinesis_err(c->res, KE_INVALID_ARGUMENT,
				    "NextToken was issued for another stream than %s.", sn);
			return;
		}
		name = token_name;
	} else if (kinesis_stream_ident(c, &name) < 0) {
		return;
	}
	int64_t now = kinesis_lock(c->k);
	if (token && now - issued > SIM_KINESIS_TOKEN_TTL_MS) {
		kinesis_unlock(c->k);
		kinesis_err(c->res, KE_EXPIRED_TOKEN,
			    "The timestamp of the NextToken (%" PRId64 " ms) is older than %d ms.",
			    issued, SIM_KINESIS_TOKEN_TTL_MS);
		return;
	}
	struct sim_kinesis_stream *s = kinesis_find_stream(c, name);
	cJSON *out = NULL;
	if (s && token && s->serial != serial) {
		not_found(c, name); /* the stream the token was for is gone */
	} else if (s && sim_kinesis_store_status(&c->k->st, s, now) == SIM_KINESIS_CREATING) {
		kinesis_err(c->res, KE_IN_USE,
			    "Stream %s under account " KINESIS_ACCOUNT " is in CREATING state.",
			    name);
	} else if (s) {
		if (start)
			after = shard_index(s, start);
		out = cJSON_CreateObject();
		cJSON *shards = cJSON_AddArrayToObject(out, "Shards");
		size_t i = (size_t)(after + 1);
		for (; i < s->n_shards && (int64_t)(i - (size_t)(after + 1)) < limit; i++)
			cJSON_AddItemToArray(shards, shard_json(s, i));
		if (i < s->n_shards) {
			char plain[SEALED_PLAIN_MAX + 1], sealed[SEALED_MAX + 1];
			snprintf(plain, sizeof plain, "s1|%" PRIu64 "|%zu|%" PRId64 "|%s",
				 s->serial, i - 1, now, s->name);
			if (seal(c->k, plain, sealed) == 0)
				cJSON_AddStringToObject(out, "NextToken", sealed);
		}
	}
	kinesis_unlock(c->k);
	if (out)
		kinesis_respond(c->res, out);
}

static const char *const ITERATOR_TYPES[] = { "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER",
					      "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP" };
enum { IT_AT, IT_AFTER, IT_TRIM, IT_LATEST, IT_TIME };

static void op_get_shard_iterator(struct kinesis_call *c)
{
	const char *name, *shard = NULL, *type = NULL, *seq = NULL;
	int64_t at_ms = 0;
	if (kinesis_stream_ident(c, &name) < 0 ||
	    kinesis_get_text(c, c->in, "ShardId", true, 1, 128, KINESIS_NAME_CHARS, &shard) < 0 ||
	    kinesis_get_text(c, c->in, "ShardIteratorType", true, 1, 64, NULL, &type) < 0 ||
	    kinesis_get_text(c, c->in, "StartingSequenceNumber", false, 1, 129, "0123456789",
			     &seq) < 0)
		return;
	int has_time = get_time(c, "Timestamp", &at_ms);
	if (has_time < 0)
		return;
	int t = 0;
	while (t < 5 && strcmp(type, ITERATOR_TYPES[t]) != 0)
		t++;
	if (t == 5) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value '%.40s' at 'shardIteratorType' "
			    "failed to "
			    "satisfy constraint: Member must satisfy enum value set: "
			    "[AFTER_SEQUENCE_NUMBER, "
			    "LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
			    type);
		return;
	}
	if ((t == IT_AT || t == IT_AFTER) && !seq) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "Must specify StartingSequenceNumber for %s shard iterator type.",
			    type);
		return;
	}
	if (t == IT_TIME && !has_time) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "Must specify timestampInMillis parameter for iterator of type "
			    "AT_TIMESTAMP.");
		return;
	}
	if ((t != IT_AT && t != IT_AFTER && seq) || (t != IT_TIME && has_time)) {
		kinesis_err(
			c->res, KE_INVALID_ARGUMENT,
			"Request made with %s for shard iterator type %s, which does not take it.",
			seq ? "StartingSequenceNumber" : "Timestamp", type);
		return;
	}
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = find_active(c, name, now);
	long i = s ? shard_index(s, shard) : -1;
	char sealed[SEALED_MAX + 1];
	uint64_t pos = 0;
	if (s && i < 0) {
		kinesis_err(c->res, KE_NOT_FOUND,
			    "Shard %.128s in stream %s under account " KINESIS_ACCOUNT
			    " does not exist",
			    shard, name);
	} else if (s) {
		const struct sim_kinesis_shard *sh = &s->shards[i];
		switch (t) {
		case IT_AT:
		case IT_AFTER:
			if (sim_kinesis_seq_parse(s, (size_t)i, seq, &pos) != 0 ||
			    pos >= sh->next) {
				char id[32];
				shard_id((size_t)i, id);
				kinesis_err(c->res, KE_INVALID_ARGUMENT,
					    "Invalid StartingSequenceNumber. It is not a sequence "
					    "number "
					    "of "
					    "%s in stream %s under account " KINESIS_ACCOUNT ".",
					    id, name);
				break;
			}
			pos += t == IT_AFTER;
			break;
		case IT_TRIM:
			pos = sh->first;
			break;
		case IT_LATEST:
			pos = sh->next;
			break;
		default:
			if (at_ms > now) {
				kinesis_err(c->res, KE_INVALID_ARGUMENT,
					    "The timestampInMillis parameter cannot be greater "
					    "than the "
					    "currentTimestampInMillis. timestampInMillis: %" PRId64
					    ", currentTimestampInMillis: %" PRId64,
					    at_ms, now);
				break;
			}
			pos = sim_kinesis_shard_seek_time(sh, at_ms);
		}
		if (!c->res->error_code && iterator_make(c->k, s, (size_t)i, pos, now, sealed) != 0)
			kinesis_err(c->res, KE_INTERNAL, "shard iterator too long");
	}
	kinesis_unlock(c->k);
	if (c->res->error_code)
		return;
	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "ShardIterator", sealed);
	kinesis_respond(c->res, out);
}

static cJSON *record_json(const struct sim_kinesis_stream *s, size_t shard, uint64_t index,
			  const struct sim_kinesis_record *r)
{
	char seq[SIM_KINESIS_SEQ_LEN + 1], key[SIM_KINESIS_KEY_MAX + 1];
	sim_kinesis_seq_format(s, shard, index, seq);
	memcpy(key, r->bytes, r->key_len);
	key[r->key_len] = '\0';
	char *data = malloc(BASE64_ENCODED_SIZE(r->len));
	cJSON *o = cJSON_CreateObject();
	if (!data || !o) {
		free(data);
		cJSON_Delete(o);
		return NULL;
	}
	base64_encode(r->bytes + r->key_len, r->len, data);
	cJSON_AddStringToObject(o, "SequenceNumber", seq);
	cJSON_AddItemToObject(o, "ApproximateArrivalTimestamp", sim_json_timestamp(r->arrival_ms));
	cJSON_AddStringToObject(o, "Data", data);
	cJSON_AddStringToObject(o, "PartitionKey", key);
	free(data);
	return o;
}

static void op_get_records(struct kinesis_call *c)
{
	const char *sealed = NULL;
	int64_t limit = GET_RECORDS_DEFAULT;
	struct iterator it;
	if (kinesis_get_text(c, c->in, "ShardIterator", true, 1, SEALED_MAX, NULL, &sealed) < 0 ||
	    kinesis_get_int(c, "Limit", 1, 10000, &limit) < 0)
		return;
	if (iterator_read(c->k, sealed, &it) != 0) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT, "Invalid ShardIterator.");
		return;
	}
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = sim_kinesis_store_find(&c->k->st, it.name);
	char id[32];
	shard_id(it.shard, id);
	cJSON *out = NULL;
	if (now - it.issued > SIM_KINESIS_ITERATOR_TTL_MS) {
		kinesis_err(c->res, KE_EXPIRED_ITERATOR,
			    "Iterator expired. The iterator was created at time %" PRId64
			    " ms while right now it is %" PRId64
			    " ms which is further in the future than the tolerated delay of %d "
			    "milliseconds.",
			    it.issued, now, SIM_KINESIS_ITERATOR_TTL_MS);
	} else if (!s || s->serial != it.serial || it.shard >= s->n_shards ||
		   sim_kinesis_store_status(&c->k->st, s, now) != SIM_KINESIS_ACTIVE) {
		kinesis_err(c->res, KE_NOT_FOUND,
			    "Shard %s in stream %s under account " KINESIS_ACCOUNT
			    " does not exist",
			    id, it.name);
	} else {
		const struct sim_kinesis_shard *sh = &s->shards[it.shard];
		uint64_t pos = it.pos < sh->first ? sh->first : it.pos; /* trimmed: skip on */
		size_t bytes = 0;
		out = cJSON_CreateObject();
		cJSON *recs = cJSON_AddArrayToObject(out, "Records");
		for (int64_t n = 0; n < limit && pos < sh->next; n++, pos++) {
			const struct sim_kinesis_record *r = sim_kinesis_shard_get(sh, pos);
			if (n > 0 && bytes + r->len > SIM_KINESIS_GET_BYTES_MAX)
				break;
			cJSON *o = record_json(s, it.shard, pos, r);
			if (!o)
				break;
			bytes += r->len;
			cJSON_AddItemToArray(recs, o);
		}
		char next[SEALED_MAX + 1];
		if (iterator_make(c->k, s, it.shard, pos, now, next) == 0)
			cJSON_AddStringToObject(out, "NextShardIterator", next);
		const struct sim_kinesis_record *behind = sim_kinesis_shard_get(sh, pos);
		int64_t millis = behind && now > behind->arrival_ms ? now - behind->arrival_ms : 0;
		cJSON_AddNumberToObject(out, "MillisBehindLatest", (double)millis);
	}
	kinesis_unlock(c->k);
	if (out)
		kinesis_respond(c->res, out);
}

/* One record to put, read from a PutRecord request or a PutRecords entry. */
struct put {
	const char *key;
	uint8_t *data;
	long len;
	bool explicit_hash;
	unsigned __int128 hash;
};

static int put_read(struct kinesis_call *c, const cJSON *obj, struct put *p, const char *where)
{
	const char *data = NULL, *ehk = NULL;
	char m[96];
	snprintf(m, sizeof m, "%sPartitionKey", where);
	if (kinesis_get_text(c, obj, m, true, 1, SIM_KINESIS_KEY_MAX, NULL, &p->key) < 0)
		return -1;
	snprintf(m, sizeof m, "%sData", where);
	int rc = get_string(c, obj, "Data", &data);
	if (rc == 0)
		kinesis_not_null(c, m);
	if (rc <= 0)
		return -1;
	size_t n = strlen(data);
	if (n / 4 * 3 > SIM_KINESIS_DATA_MAX + 3) {
		kinesis_err(
			c->res, KE_VALIDATION,
			"1 validation error detected: Value at '%s' failed to satisfy constraint: "
			"Member must have length less than or equal to %u",
			camel(m, (char[64]){ 0 }), SIM_KINESIS_DATA_MAX);
		return -1;
	}
	p->data = malloc(n / 4 * 3 + 3);
	if (!p->data) {
		kinesis_err(c->res, KE_INTERNAL, "out of memory");
		return -1;
	}
	p->len = base64_decode(data, n, p->data, n / 4 * 3 + 3);
	if (p->len < 0) {
		kinesis_err(c->res, KE_SERIALIZATION, "%s: not valid base64", m);
		return -1;
	}
	if ((size_t)p->len + strlen(p->key) > SIM_KINESIS_DATA_MAX) {
		kinesis_err(
			c->res, KE_VALIDATION,
			"1 validation error detected: Value at '%s' failed to satisfy constraint: "
			"Member must have length less than or equal to %u (data and partition key)",
			camel(m, (char[64]){ 0 }), SIM_KINESIS_DATA_MAX);
		return -1;
	}
	snprintf(m, sizeof m, "%sExplicitHashKey", where);
	rc = get_string(c, obj, "ExplicitHashKey", &ehk);
	if (rc < 0)
		return -1;
	if (rc > 0 && sim_kinesis_u128_parse(ehk, &p->hash) != 0) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, "
			    "2^128-1]. "
			    "Specified value was %.60s",
			    ehk);
		return -1;
	}
	p->explicit_hash = rc > 0;
	return 0;
}

/* Append p to s; fills the result's ShardId and SequenceNumber. */
static enum sim_kinesis_rc put_one(struct sim_kinesis_stream *s, const struct put *p, int64_t now,
				   char id[32], char seq[SIM_KINESIS_SEQ_LEN + 1])
{
	size_t klen = strlen(p->key);
	size_t i = sim_kinesis_shard_of(s, p->explicit_hash ? p->hash
							    : sim_kinesis_hash_key(p->key, klen));
	uint64_t index;
	enum sim_kinesis_rc rc = sim_kinesis_shard_append(&s->shards[i], p->key, klen, p->data,
							  (size_t)p->len, now, &index);
	if (rc == SIM_KINESIS_OK) {
		shard_id(i, id);
		sim_kinesis_seq_format(s, i, index, seq);
	}
	return rc;
}

static void op_put_record(struct kinesis_call *c)
{
	const char *name;
	struct put p = { 0 };
	if (kinesis_stream_ident(c, &name) < 0 || put_read(c, c->in, &p, "") < 0) {
		free(p.data);
		return;
	}
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = find_active(c, name, now);
	char id[32], seq[SIM_KINESIS_SEQ_LEN + 1];
	const char *encryption = s ? encryption_of(s) : "NONE"; /* a literal */
	if (s && put_one(s, &p, now, id, seq) != SIM_KINESIS_OK)
		kinesis_err(c->res, KE_INTERNAL, "out of memory");
	kinesis_unlock(c->k);
	free(p.data);
	if (c->res->error_code)
		return;
	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "ShardId", id);
	cJSON_AddStringToObject(out, "SequenceNumber", seq);
	cJSON_AddStringToObject(out, "EncryptionType", encryption);
	kinesis_respond(c->res, out);
}

static void op_put_records(struct kinesis_call *c)
{
	const char *name;
	if (kinesis_stream_ident(c, &name) < 0)
		return;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(c->in, "Records");
	if (!list || cJSON_IsNull(list)) {
		kinesis_not_null(c, "Records");
		return;
	}
	if (!cJSON_IsArray(list)) {
		kinesis_err(c->res, KE_SERIALIZATION, "Records: expected a list");
		return;
	}
	int n = cJSON_GetArraySize(list);
	if (n < 1 || n > PUT_RECORDS_MAX) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value at 'records' failed to satisfy "
			    "constraint: "
			    "Member must have length %s %d",
			    n < 1 ? "greater than or equal to" : "less than or equal to",
			    n < 1 ? 1 : PUT_RECORDS_MAX);
		return;
	}
	struct put *ps = calloc((size_t)n, sizeof *ps);
	if (!ps) {
		kinesis_err(c->res, KE_INTERNAL, "out of memory");
		return;
	}
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, list)
	{
		char where[32];
		snprintf(where, sizeof where, "Records.%d.", i + 1);
		if (!cJSON_IsObject(e)) {
			kinesis_err(c->res, KE_SERIALIZATION, "Records.%d: expected an object",
				    i + 1);
			break;
		}
		if (put_read(c, e, &ps[i++], where) < 0)
			break;
	}
	cJSON *out = NULL;
	if (!c->res->error_code) {
		int64_t now = kinesis_lock(c->k);
		struct sim_kinesis_stream *s = find_active(c, name, now);
		if (s) {
			out = cJSON_CreateObject();
			cJSON_AddNumberToObject(out, "FailedRecordCount", 0);
			cJSON *recs = cJSON_AddArrayToObject(out, "Records");
			for (int j = 0; j < n; j++) {
				char id[32], seq[SIM_KINESIS_SEQ_LEN + 1];
				cJSON *r = cJSON_CreateObject();
				if (put_one(s, &ps[j], now, id, seq) == SIM_KINESIS_OK) {
					cJSON_AddStringToObject(r, "SequenceNumber", seq);
					cJSON_AddStringToObject(r, "ShardId", id);
				} else {
					cJSON_AddStringToObject(r, "ErrorCode", "InternalFailure");
					cJSON_AddStringToObject(r, "ErrorMessage", "out of memory");
					cJSON_SetNumberValue(
						cJSON_GetObjectItem(out, "FailedRecordCount"),
						cJSON_GetObjectItem(out, "FailedRecordCount")
								->valuedouble +
							1);
				}
				cJSON_AddItemToArray(recs, r);
			}
			cJSON_AddStringToObject(out, "EncryptionType", encryption_of(s));
		}
		kinesis_unlock(c->k);
	}
	for (int j = 0; j < n; j++)
		free(ps[j].data);
	free(ps);
	if (out)
		kinesis_respond(c->res, out);
}

/* --- dispatch --------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(struct kinesis_call *c);
} OPS[] = {
	{ "CreateStream", op_create_stream },
	{ "DeleteStream", op_delete_stream },
	{ "DescribeStream", op_describe_stream },
	{ "DescribeStreamSummary", op_describe_stream_summary },
	{ "ListStreams", op_list_streams },
	{ "ListShards", op_list_shards },
	{ "GetShardIterator", op_get_shard_iterator },
	{ "GetRecords", op_get_records },
	{ "PutRecord", op_put_record },
	{ "PutRecords", op_put_records },
	{ "IncreaseStreamRetentionPeriod", kinesis_op_increase_retention },
	{ "DecreaseStreamRetentionPeriod", kinesis_op_decrease_retention },
	{ "StartStreamEncryption", kinesis_op_start_encryption },
	{ "StopStreamEncryption", kinesis_op_stop_encryption },
	{ "AddTagsToStream", kinesis_op_add_tags },
	{ "ListTagsForStream", kinesis_op_list_tags },
	{ "RemoveTagsFromStream", kinesis_op_remove_tags },
};

bool sim_kinesis_knows(const char *op)
{
	for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
		if (strcmp(op, OPS[i].name) == 0)
			return true;
	return false;
}

const char *sim_kinesis_operation(const struct sim_request *req)
{
	const char *target = sim_request_header(req, "X-Amz-Target");
	if (!target || strncmp(target, TARGET_PREFIX, strlen(TARGET_PREFIX)) != 0)
		return NULL;
	for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
		if (strcmp(target + strlen(TARGET_PREFIX), OPS[i].name) == 0)
			return OPS[i].name;
	return NULL;
}

void sim_kinesis_handle(struct sim_kinesis *k, const struct sim_request *req,
			struct sim_response *res)
{
	const char *target = sim_request_header(req, "X-Amz-Target");
	if (strcmp(req->method, "POST") != 0 || strcmp(req->path, "/") != 0 || !target ||
	    strncmp(target, TARGET_PREFIX, strlen(TARGET_PREFIX)) != 0) {
		kinesis_err(res, KE_UNKNOWN_OPERATION,
			    "Kinesis takes POST / with X-Amz-Target: " TARGET_PREFIX "<Operation>");
		return;
	}
	const char *op = target + strlen(TARGET_PREFIX);
	size_t i = 0;
	while (i < sizeof OPS / sizeof OPS[0] && strcmp(op, OPS[i].name) != 0)
		i++;
	if (i == sizeof OPS / sizeof OPS[0]) {
		kinesis_err(res, KE_UNKNOWN_OPERATION,
			    "The local endpoint has no Kinesis operation %.64s", op);
		return;
	}
	cJSON *in = req->body_len ? cJSON_ParseWithLength(req->body, req->body_len)
				  : cJSON_CreateObject();
	if (!in || !cJSON_IsObject(in)) {
		cJSON_Delete(in);
		kinesis_err(res, KE_SERIALIZATION, "The request body is not a JSON object.");
		return;
	}
	struct kinesis_call c = { .k = k, .in = in, .region = req->region, .res = res };
	OPS[i].fn(&c);
	cJSON_Delete(in);
}

int sim_kinesis_put(struct sim_kinesis *k, const char *stream, const char *partition_key,
		    const void *data, size_t len, char *err, size_t cap)
{
	size_t klen = strlen(partition_key);
	if (!err)
		cap = 0;
	if (klen == 0 || klen > SIM_KINESIS_KEY_MAX || len + klen > SIM_KINESIS_DATA_MAX) {
		snprintf(err, cap, "Kinesis %s: record of %zu bytes with a %zu-byte key is refused",
			 stream, len, klen);
		return -1;
	}
	int64_t now = kinesis_lock(k);
	struct sim_kinesis_stream *s = sim_kinesis_store_find(&k->st, stream);
	int rc = 1;
	if (s && sim_kinesis_store_status(&k->st, s, now) == SIM_KINESIS_ACTIVE) {
		struct put p = { .key = partition_key, .data = (uint8_t *)data, .len = (long)len };
		char id[32], seq[SIM_KINESIS_SEQ_LEN + 1];
		rc = put_one(s, &p, now, id, seq) == SIM_KINESIS_OK ? 0 : -1;
		if (rc)
			snprintf(err, cap, "Kinesis %s: out of memory", stream);
	} else {
		snprintf(err, cap, "Kinesis stream %s: %s", stream, s ? "not ACTIVE" : "not found");
	}
	kinesis_unlock(k);
	return rc;
}

bool sim_kinesis_stream_active(struct sim_kinesis *k, const char *stream)
{
	int64_t now = kinesis_lock(k);
	struct sim_kinesis_stream *s = sim_kinesis_store_find(&k->st, stream);
	bool active = s && sim_kinesis_store_status(&k->st, s, now) == SIM_KINESIS_ACTIVE;
	kinesis_unlock(k);
	return active;
}
