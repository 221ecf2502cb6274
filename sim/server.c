/*
 * server.c - the endpoint's HTTP side on libmicrohttpd (see server.h):
 * binding (loopback by default, port 0 = ephemeral), collecting request
 * bodies up to SIM_BODY_MAX, SigV4 checking (sigv4.c), dispatch through
 * the QLDB route table (qldb_api.c) and writing AWS rest-json responses
 * (Content-Type, x-amzn-RequestId, x-amzn-ErrorType on errors).
 *
 * Threads: MHD's own thread pool calls on_request; handlers only read the
 * ledger registry and lock each journal, so no server-wide lock is needed.
 * The path and query reach us undecoded (an identity unescape callback):
 * SigV4 signs the wire form, and routing decodes per segment itself.
 * Nothing is logged, so secrets cannot leak and `--demo`'s screen stays
 * clean.
 */
#include "sim/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "sim/http.h"
#include "sim/cfn.h"
#include "sim/cloudwatch.h"
#include "sim/fail.h"
#include "sim/faults.h"
#include "sim/kinesis.h"
#include "sim/sts.h"
#include "sim/ledger.h"
#include "sim/recipe.h"
#include "sim/s3.h"
#include "sim/scenario_apply.h"
#include "sim/stream_delivery.h"
#include "sim/world.h"
#include "sim/qldb_api.h"
#include "sim/sigv4.h"
#include "verify/buf.h"

#define SERVER_THREADS 4 /* MHD pool: the dashboard polls a few resources at once */
/*
 * Slow and idle clients (issue 9). Each pool thread runs its own epoll (or
 * poll) loop, so an idle or trickling connection costs one descriptor and
 * a few KiB, never a thread, and no FD_SETSIZE ceiling applies (select()
 * would stop near 1000 descriptors). The limits:
 * - 1024 connections in all (MHD splits them over the pool threads): far
 *   more than the dashboards and CLIs of one team keep open, and within the
 *   2048 descriptors `serve` asks for (tui/cmd_serve.c).
 * - 256 per client address: one address cannot take the whole endpoint,
 *   yet loopback, where the dashboard, the CLI and the tests all come from,
 *   keeps room above the 200 idle sockets the hardening test holds open.
 * - 10 s without a byte closes a connection, at any stage: a client that
 *   opened a socket and sent nothing, or stopped half-way through its
 *   headers. (MHD's deadline is per inactivity: a client trickling a byte
 *   every few seconds keeps its slot, which the two caps above bound.)
 */
#define SERVER_CONNECTION_LIMIT 1024
#define SERVER_PER_IP_LIMIT 256
#define SERVER_TIMEOUT_S 10
#define SERVER_CONTENT_LENGTH_DIGITS 19 /* fits in uint64_t; longer is garbage */
#define SERVER_URL_MAX 96
#define SERVER_KEY_MAX 256	/* access key id and secret lengths */
#define SERVER_SERVICE "qldb"	/* SigV4 signing name of the control plane */
#define SERVER_DELIVERY_MS 200L /* journal streams move records this often */

struct sim_server {
	struct MHD_Daemon *daemon;
	char url[SERVER_URL_MAX];
	char key_id[SERVER_KEY_MAX];
	char secret[SERVER_KEY_MAX];
	struct sim_world *world;
	struct sim_qldb qldb;
	struct sim_kinesis *kinesis;
	struct sim_s3 *s3;
	struct sim_cloudwatch *cloudwatch;
	struct sim_cfn *cfn;	   /* CloudFormation: stacks made through the services above */
	struct sim_faults *faults; /* a running scenario, or NULL */
	/* the journal streams' delivery thread (sim/stream_delivery.h) */
	pthread_t delivery;
	bool delivery_started, delivery_stop;
	pthread_mutex_t delivery_mu;
	pthread_cond_t delivery_cv;
	atomic_uint_least64_t requests; /* request-id counter */
	uint64_t id_salt;
};

/* Per-request state: the body collected so far. */
struct conn_ctx {
	struct buf body;
	size_t body_max; /* the service's cap */
	bool too_large;
	bool answered; /* a response was queued early (413) */
};

static int64_t wall_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A UUID-shaped request id, unique per server run. */
static void request_id(struct sim_server *s, char out[40])
{
	uint64_t n = atomic_fetch_add(&s->requests, 1) + 1;
	uint64_t z = (n + s->id_salt) * 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ull;
	snprintf(out, 40, "%08x-%04x-4%03x-a%03x-%012llx", (unsigned)(z >> 32),
		 (unsigned)(z >> 16) & 0xffff, (unsigned)z & 0xfff, (unsigned)(n >> 48) & 0xfff,
		 (unsigned long long)(n & 0xffffffffffffull));
}

static enum MHD_Result send_response(struct sim_server *s, struct MHD_Connection *c,
				     struct sim_response *res)
{
	char rid[40];
	request_id(s, rid);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(res->body_len, res->body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		sim_response_clear(res);
		return MHD_NO;
	}
	res->body = NULL; /* MHD frees it */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				res->content_type ? res->content_type : "application/json");
	MHD_add_response_header(r, "x-amzn-RequestId", rid);
	if (res->error_code)
		MHD_add_response_header(r, "x-amzn-ErrorType", res->error_code);
	for (size_t i = 0; i < res->n_headers; i++)
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	enum MHD_Result ok = MHD_queue_response(c, res->status, r);
	MHD_destroy_response(r);
	sim_response_clear(res);
	return ok;
}

struct service;
static const struct service *service_of(struct MHD_Connection *c);
static void service_error(const struct service *svc, struct sim_response *res, enum sim_error e,
			  const char *msg);

/* An error before dispatch, in the shape of the service the request is
 * signed for. */
static enum MHD_Result send_error(struct sim_server *s, struct MHD_Connection *c, enum sim_error e,
				  const char *msg)
{
	struct sim_response res = { 0 };
	service_error(service_of(c), &res, e, msg);
	return send_response(s, c, &res);
}

/* Query parameters as sent (raw) and decoded. */
struct query {
	struct sim_param raw[SIM_QUERY_MAX];
	struct sim_param dec[SIM_QUERY_MAX];
	size_t n;
	bool overflow, bad;
	char store[SIM_PATH_MAX * 2]; /* decoded copies */
	size_t used;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	struct query *q = cls;
	if (q->n == SIM_QUERY_MAX) {
		q->overflow = true;
		return MHD_NO;
	}
	if (!value)
		value = "";
	q->raw[q->n] = (struct sim_param){ key, value };
	const char *src[2] = { key, value };
	const char *dst[2];
	for (int i = 0; i < 2; i++) {
		long n = sim_percent_decode(src[i], strlen(src[i]), q->store + q->used,
					    sizeof q->store - q->used);
		if (n < 0) {
			q->bad = true;
			return MHD_NO;
		}
		dst[i] = q->store + q->used;
		q->used += (size_t)n + 1;
	}
	q->dec[q->n++] = (struct sim_param){ dst[0], dst[1] };
	return MHD_YES;
}

static const char *lookup_header(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, name);
}

/* The services the endpoint speaks, picked by the SigV4 credential
 * scope's service name (each AWS service signs with its own name): a
 * service is a table entry and a module of its own. The first entry
 * answers requests whose scope names no service here (its signature check
 * then says the scope is wrong). */
struct service {
	const char *signing_name;
	void (*handle)(struct sim_server *s, const struct sim_request *req,
		       struct sim_response *res);
	/* errors before dispatch (signature, size) in the service's shape;
	 * NULL: rest-json */
	void (*error)(struct sim_response *res, enum sim_error e, const char *msg);
	size_t body_max; /* request bodies beyond this get 413 */
};

static void serve_qldb(struct sim_server *s, const struct sim_request *req,
		       struct sim_response *res)
{
	sim_qldb_handle(&s->qldb, req, res);
}

static void serve_kinesis(struct sim_server *s, const struct sim_request *req,
			  struct sim_response *res)
{
	sim_kinesis_handle(s->kinesis, req, res);
}

static void serve_s3(struct sim_server *s, const struct sim_request *req, struct sim_response *res)
{
	sim_s3_handle(s->s3, req, res);
}

static void serve_cloudwatch(struct sim_server *s, const struct sim_request *req,
			     struct sim_response *res)
{
	sim_cloudwatch_handle(s->cloudwatch, req, res);
}

static void serve_cfn(struct sim_server *s, const struct sim_request *req, struct sim_response *res)
{
	sim_cfn_handle(s->cfn, req, res);
}

static void serve_sts(struct sim_server *s, const struct sim_request *req, struct sim_response *res)
{
	sim_sts_handle(s->key_id, req, res);
}

static const struct service SERVICES[] = {
	{ SERVER_SERVICE, serve_qldb, NULL, SIM_BODY_MAX },
	{ "kinesis", serve_kinesis, sim_kinesis_error, SIM_BODY_MAX },
	{ "s3", serve_s3, sim_s3_error, SIM_S3_BODY_MAX },
	{ "monitoring", serve_cloudwatch, sim_cloudwatch_error, SIM_BODY_MAX },
	{ "cloudformation", serve_cfn, sim_cfn_error, SIM_BODY_MAX },
	{ "sts", serve_sts, sim_sts_error, SIM_BODY_MAX },
};

static void service_error(const struct service *svc, struct sim_response *res, enum sim_error e,
			  const char *msg)
{
	if (svc->error)
		svc->error(res, e, msg);
	else
		sim_response_error(res, e, NULL, NULL, NULL, "%s", msg);
}

static const struct service *service_of(struct MHD_Connection *c)
{
	char name[32];
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	if (sim_sigv4_scope_service(auth, name, sizeof name) == 0)
		for (size_t i = 0; i < sizeof SERVICES / sizeof SERVICES[0]; i++)
			if (strcmp(SERVICES[i].signing_name, name) == 0)
				return &SERVICES[i];
	return &SERVICES[0];
}

static enum MHD_Result reply(struct sim_server *s, struct MHD_Connection *c,
			     const struct service *svc, const struct sim_request *req,
			     struct sim_response *res, const struct sim_fault_decision *d);

/* The operation req is routed to, for per-operation faults (NULL: the
 * service has no per-operation faults, or req names none it serves). */
static const char *request_operation(const struct service *svc, const struct sim_request *req)
{
	if (svc->handle == serve_qldb)
		return sim_qldb_operation(req);
	if (svc->handle == serve_kinesis)
		return sim_kinesis_operation(req);
	return NULL;
}

/* The whole request is in: authenticate, route, answer. */
static enum MHD_Result answer(struct sim_server *s, struct MHD_Connection *c, const char *url,
			      const char *method, struct conn_ctx *ctx)
{
	if (ctx->too_large)
		return send_error(s, c, SIM_ERR_TOO_LARGE, "request body too large");
	struct query *q = calloc(1, sizeof *q);
	if (!q)
		return send_error(s, c, SIM_ERR_INTERNAL, "out of memory");
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, q);
	enum MHD_Result ok;
	if (q->overflow || q->bad) {
		ok = send_error(s, c, SIM_ERR_INVALID_PARAMETER,
				q->bad ? "malformed percent-encoding in the query string"
				       : "too many query parameters");
		free(q);
		return ok;
	}
	struct sim_sigv4_request sr = { .method = method,
					.raw_path = url,
					.raw_query = q->raw,
					.n_query = q->n,
					.header = lookup_header,
					.header_ctx = c,
					.body = ctx->body.data,
					.body_len = ctx->body.len,
					.now = time(NULL) };
	struct sim_sigv4_decoded decoded = { 0 };
	sr.decoded = &decoded;
	char region[SIM_SIGV4_REGION_MAX + 1] = "";
	sr.region_out = region;
	sr.region_cap = sizeof region;
	enum sim_error e;
	char msg[SIM_MESSAGE_MAX];
	const struct service *svc = service_of(c);
	if (sim_sigv4_check(&sr, s->key_id, s->secret, svc->signing_name, &e, msg, sizeof msg) !=
	    0) {
		free(q);
		buf_free(&decoded.body);
		return send_error(s, c, e, msg);
	}
	/* An aws-chunked upload: the handler sees the decoded payload. */
	if (decoded.used) {
		buf_free(&ctx->body);
		ctx->body = decoded.body;
	} else {
		buf_free(&decoded.body);
	}
	struct sim_request req = { .method = method,
				   .path = url,
				   .query = q->dec,
				   .n_query = q->n,
				   .body = (const char *)ctx->body.data,
				   .body_len = ctx->body.len,
				   .region = region,
				   .header = lookup_header,
				   .header_ctx = c };
	struct sim_response res = { 0 };
	struct sim_fault_decision d = { 0 };
	if (s->faults)
		sim_faults_decide(s->faults, svc->signing_name, request_operation(svc, &req),
				  wall_ms(), &d);
	enum MHD_Result sent = reply(s, c, svc, &req, &res, &d);
	free(q); /* req.query points into it until the answer is built */
	return sent;
}

/* The answer to a signed request: a scripted fault's, or the service's. */
static enum MHD_Result reply(struct sim_server *s, struct MHD_Connection *c,
			     const struct service *svc, const struct sim_request *req,
			     struct sim_response *res, const struct sim_fault_decision *d)
{
	if (d->latency_ms > 0) /* this worker waits; the event loop does not */
		nanosleep(&(struct timespec){ .tv_sec = d->latency_ms / 1000,
					      .tv_nsec = (d->latency_ms % 1000) * 1000000L },
			  NULL);
	if (d->drop)
		return MHD_NO; /* MHD closes the connection without an answer */
	if (d->throttle || d->status) {
		enum sim_error e = d->throttle	      ? SIM_ERR_THROTTLING
				   : d->status == 503 ? SIM_ERR_SERVICE_UNAVAILABLE
						      : SIM_ERR_INTERNAL;
		service_error(svc, res, e,
			      d->throttle ? "Rate exceeded" : "scripted service error");
		if (d->status)
			res->status = d->status;
		return send_response(s, c, res);
	}
	if (d->malformed) {
		static const char junk[] = "<html><body>502 Bad Gateway (scripted)</body>";
		res->status = 200;
		res->body = strdup(junk);
		res->body_len = res->body ? strlen(junk) : 0;
		res->content_type = "text/html";
		return send_response(s, c, res);
	}
	svc->handle(s, req, res);
	if (d->truncate && res->body_len > 1)
		res->body_len /= 2; /* the real answer, cut short */
	return send_response(s, c, res);
}

/* The framing headers seen in one request. */
struct framing {
	unsigned content_length;    /* Content-Length headers */
	unsigned transfer_encoding; /* Transfer-Encoding headers */
	bool bad_length;	    /* a Content-Length that is not 1..19 digits */
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	struct framing *f = cls;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		f->content_length++;
		size_t n = value ? strspn(value, "0123456789") : 0;
		if (n == 0 || n > SERVER_CONTENT_LENGTH_DIGITS || value[n] != '\0')
			f->bad_length = true;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->transfer_encoding++;
	}
	return MHD_YES;
}

/*
 * Why a request's body framing is ambiguous, or NULL. Two Content-Length
 * headers, or Content-Length with Transfer-Encoding, let a proxy in front
 * and this server disagree on where the request ends (request smuggling,
 * RFC 9112 section 6.3); MHD 0.9.75 passes such a request on, so we
 * refuse such a request ourselves before it is dispatched.
 */
static const char *framing_problem(struct MHD_Connection *c)
{
	struct framing f = { 0 };
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	if (f.content_length > 1)
		return "the request has more than one Content-Length header";
	if (f.content_length && f.transfer_encoding)
		return "the request has both Content-Length and Transfer-Encoding headers";
	if (f.transfer_encoding > 1)
		return "the request has more than one Transfer-Encoding header";
	if (f.bad_length)
		return "the request's Content-Length is not a decimal number";
	return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct sim_server *s = cls;
	struct conn_ctx *ctx = *con_cls;
	if (!ctx) {
		ctx = calloc(1, sizeof *ctx);
		if (!ctx)
			return MHD_NO;
		*con_cls = ctx;
		/* Ambiguous framing is refused before any byte of the body is
		 * read; a response queued this early also makes MHD close the
		 * connection after it, so what follows is never read as a
		 * request. */
		const char *why = framing_problem(c);
		if (why) {
			ctx->answered = true;
			return send_error(s, c, SIM_ERR_INVALID_PARAMETER, why);
		}
		/* A declared oversized body is refused before it is read. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		ctx->body_max = service_of(c)->body_max;
		if (cl && strtoull(cl, NULL, 10) > ctx->body_max) {
			ctx->answered = true;
			return send_error(s, c, SIM_ERR_TOO_LARGE, "request body too large");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!ctx->too_large && ctx->body.len + *upload_size <= ctx->body_max) {
			if (buf_append(&ctx->body, upload_data, *upload_size) != 0)
				ctx->too_large = true;
		} else {
			ctx->too_large = true; /* keep draining, answer 413 at the end */
			buf_free(&ctx->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (ctx->answered)
		return MHD_YES;
	ctx->answered = true;
	return answer(s, c, url, method, ctx);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	struct conn_ctx *ctx = *con_cls;
	if (ctx) {
		buf_free(&ctx->body);
		free(ctx);
		*con_cls = NULL;
	}
}

/* Keep the path and query exactly as sent (see the file comment). */
static size_t unescape_identity(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	return strlen(s);
}

/* Resolve host (numeric or a name such as localhost) to a socket address. */
static int resolve(const char *host, uint16_t port, struct sockaddr_storage *ss, socklen_t *len,
		   char *numeric, size_t ncap, char *err, size_t cap)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE },
			*ai = NULL;
	int rc = getaddrinfo(host, NULL, &hints, &ai);
	if (rc != 0 || !ai) {
		snprintf(err, cap, "cannot resolve listen host '%.64s': %s", host,
			 gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (ss->ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_port = htons(port);
		inet_ntop(AF_INET, &in->sin_addr, numeric, (socklen_t)ncap);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_port = htons(port);
		inet_ntop(AF_INET6, &in6->sin6_addr, numeric, (socklen_t)ncap);
	}
	return 0;
}

static int copy_key(char *dst, const char *src, const char *what, char *err, size_t cap)
{
	if (!src || !*src || strlen(src) >= SERVER_KEY_MAX) {
		snprintf(err, cap, "%s must be 1..%d characters", what, SERVER_KEY_MAX - 1);
		return -1;
	}
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* Every SERVER_DELIVERY_MS, a scenario's due ledger events happen and the
 * journal streams' new records go to Kinesis; a stop wakes the thread at
 * once. */
static void *delivery_main(void *arg)
{
	struct sim_server *s = arg;
	pthread_mutex_lock(&s->delivery_mu);
	while (!s->delivery_stop) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += SERVER_DELIVERY_MS * 1000000L;
		t.tv_sec += t.tv_nsec / 1000000000L;
		t.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&s->delivery_cv, &s->delivery_mu, &t);
		if (s->delivery_stop)
			break;
		pthread_mutex_unlock(&s->delivery_mu);
		if (s->faults)
			sim_faults_events(s->faults, wall_ms(), sim_scenario_apply,
					  s->qldb.ledgers);
		sim_streams_deliver(s->qldb.ledgers, s->kinesis);
		pthread_mutex_lock(&s->delivery_mu);
	}
	pthread_mutex_unlock(&s->delivery_mu);
	return NULL;
}

static int start_delivery(struct sim_server *s, char *err, size_t cap)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->delivery_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&s->delivery_mu, NULL);
	if (pthread_create(&s->delivery, NULL, delivery_main, s) != 0)
		return sim_fail(err, cap, "cannot start the stream delivery thread");
	s->delivery_started = true;
	return 0;
}

static void stop_delivery(struct sim_server *s)
{
	if (!s->delivery_started)
		return;
	pthread_mutex_lock(&s->delivery_mu);
	s->delivery_stop = true;
	pthread_cond_signal(&s->delivery_cv);
	pthread_mutex_unlock(&s->delivery_mu);
	pthread_join(s->delivery, NULL);
	pthread_cond_destroy(&s->delivery_cv);
	pthread_mutex_destroy(&s->delivery_mu);
}

/* What the endpoint serves: the world of cfg (seed, rate, data dir). */
static int open_world(struct sim_server *s, const struct sim_config *cfg, int64_t now_ms, char *err,
		      size_t cap)
{
	struct sim_world_config wc = { .seed = cfg ? cfg->seed : 0,
				       .seed_set = cfg && cfg->seed_set,
				       .rate = cfg ? cfg->rate : 0,
				       .data_dir = cfg ? cfg->data_dir : NULL,
				       .now_ms = now_ms,
				       .export_ms = cfg ? cfg->export_ms : 0,
				       .create_ms = cfg ? cfg->create_ms : 0,
				       .demo_blocks = cfg && cfg->demo_blocks_set
							      ? cfg->demo_blocks
							      : SIM_DEMO_BLOCKS };
	s->world = sim_world_open(&wc, err, cap);
	if (!s->world)
		return -1;
	s->qldb.ledgers = sim_world_ledgers(s->world);
	s->kinesis = sim_kinesis_new(wc.seed, NULL, NULL);
	if (!s->kinesis)
		return sim_fail(err, cap, "out of memory");
	s->cloudwatch = sim_cloudwatch_new(s->qldb.ledgers);
	if (!s->cloudwatch)
		return sim_fail(err, cap, "out of memory");
	s->s3 = sim_s3_new(wc.data_dir, err, cap);
	if (s->s3 && cfg && cfg->recipe &&
	    sim_recipe_setup(&s->qldb, s->kinesis, s->s3, SIM_DEFAULT_REGION, err, cap) != 0)
		return -1;
	s->qldb.s3 = s->s3; /* ExportJournalToS3 writes into the served store */
	if (s->s3 && !(s->cfn = sim_cfn_new(&s->qldb, s->kinesis, s->s3)))
		return sim_fail(err, cap, "out of memory");
	return s->s3 ? start_delivery(s, err, cap) : -1;
}

const char *sim_server_notes(const struct sim_server *s)
{
	return sim_world_notes(s->world);
}

struct sim_server *sim_server_start(const struct sim_config *cfg, char *err, size_t errcap)
{
	struct sim_server *s = calloc(1, sizeof *s);
	if (!s) {
		sim_scenario_free(cfg ? cfg->scenario : NULL);
		sim_fail(err, errcap, "out of memory");
		return NULL;
	}
	if (cfg && cfg->scenario && !(s->faults = sim_faults_new(cfg->scenario, wall_ms()))) {
		free(s);
		sim_fail(err, errcap, "out of memory");
		return NULL;
	}
	const char *host = cfg && cfg->host ? cfg->host : "127.0.0.1";
	uint16_t port = cfg ? cfg->port : 0;
	const char *kid =
		cfg && cfg->access_key_id ? cfg->access_key_id : SIM_DEFAULT_ACCESS_KEY_ID;
	const char *sec = cfg && cfg->secret_access_key ? cfg->secret_access_key
							: SIM_DEFAULT_SECRET_ACCESS_KEY;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	s->id_salt = (uint64_t)now.tv_nsec ^ ((uint64_t)now.tv_sec << 20);

	struct sockaddr_storage ss;
	socklen_t sslen;
	char numeric[INET6_ADDRSTRLEN];
	if (copy_key(s->key_id, kid, "access key id", err, errcap) != 0 ||
	    copy_key(s->secret, sec, "secret access key", err, errcap) != 0 ||
	    resolve(host, port, &ss, &sslen, numeric, sizeof numeric, err, errcap) != 0 ||
	    open_world(s, cfg, now_ms, err, errcap) != 0) {
		sim_server_stop(s);
		return NULL;
	}
	/* epoll where MHD has it (Linux), else poll: never select() (see the
	 * limits at the top) */
	unsigned flags = MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES
				 ? MHD_USE_EPOLL_INTERNAL_THREAD
				 : MHD_USE_POLL_INTERNAL_THREAD;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
		flags, port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVER_THREADS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVER_CONNECTION_LIMIT,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVER_PER_IP_LIMIT,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_TIMEOUT_S,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_UNESCAPE_CALLBACK,
		unescape_identity, NULL, MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errcap, "cannot listen on %.64s:%u (address in use or not local?)",
			 host, (unsigned)port);
		sim_server_stop(s);
		return NULL;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	unsigned bound = info ? info->port : port;
	snprintf(s->url, sizeof s->url,
		 ss.ss_family == AF_INET6 ? "http://[%s]:%u" : "http://%s:%u", numeric, bound);
	return s;
}

const char *sim_server_url(const struct sim_server *s)
{
	return s->url;
}

void sim_server_stop(struct sim_server *s)
{
	if (!s)
		return;
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	stop_delivery(s);
	sim_faults_free(s->faults);
	sim_s3_free(s->s3);
	sim_cfn_free(s->cfn);
	sim_cloudwatch_free(s->cloudwatch);
	sim_kinesis_free(s->kinesis);
	sim_world_close(s->world);
	/* scrub the secret before the memory is reused */
	volatile char *p = s->secret;
	for (size_t i = 0; i < sizeof s->secret; i++)
		p[i] = 0;
	free(s);
}
