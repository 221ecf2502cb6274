/*
 * http.h - what the endpoint's handlers see of HTTP, independent of
 * libmicrohttpd: a request (method, raw path, decoded query, body), a
 * response (status, error code, JSON body), the route table that maps
 * method + path pattern to a handler, and the AWS error shapes.
 *
 * Errors follow the rest-json protocol (shared/docs/aws-api.md §2.1): the
 * HTTP status comes from the error shape, the code goes in the
 * x-amzn-ErrorType header, and the body is {"message": "...", "Message":
 * "..."} plus the shape's members (ResourceType, ResourceName, ...).
 *
 * Ownership: a request borrows everything; a response owns its body
 * (malloc'd, released by sim_response_clear or handed to the server).
 */
#ifndef QLDBTOP_SIM_HTTP_H
#define QLDBTOP_SIM_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define SIM_BODY_MAX (1u << 20) /* request bodies beyond 1 MiB get 413 */
#define SIM_PATH_MAX 2048	/* request paths */
#define SIM_QUERY_MAX 32	/* query parameters per request */
#define SIM_ROUTE_MAX_PARAMS 4	/* {name} captures per pattern */
#define SIM_MESSAGE_MAX 300	/* error messages */

struct sim_param {
	const char *key, *value; /* value "" when absent */
};

struct sim_request {
	const char *method;
	const char *path;	       /* as sent: percent-encoded, without the query */
	const struct sim_param *query; /* decoded */
	size_t n_query;
	const char *body;
	size_t body_len;
	/* The region of the SigV4 credential scope (server.c fills it after
	 * the signature check); ARNs in answers name it. NULL: us-east-1. */
	const char *region;
	/* Request headers by name, case-insensitive; NULL when absent (or
	 * when header is NULL: tests may leave it out). */
	const char *(*header)(void *ctx, const char *name);
	void *header_ctx;
};

/* A request header's value, or NULL. */
const char *sim_request_header(const struct sim_request *r, const char *name);

/* First value of a decoded query parameter, or NULL. */
const char *sim_request_query(const struct sim_request *r, const char *key);

/* The error shapes the endpoint returns; sim_error_code/status give the
 * x-amzn-ErrorType code and HTTP status (one table). */
enum sim_error {
	SIM_ERR_INVALID_PARAMETER,     /* 400 InvalidParameterException */
	SIM_ERR_RESOURCE_NOT_FOUND,    /* 404 ResourceNotFoundException */
	SIM_ERR_RESOURCE_PRECONDITION, /* 412 ResourcePreconditionNotMetException */
	SIM_ERR_UNKNOWN_OPERATION,     /* 404 UnknownOperationException: no route */
	SIM_ERR_UNRECOGNIZED_CLIENT,   /* 403 UnrecognizedClientException: key missing/unknown */
	SIM_ERR_INVALID_SIGNATURE,     /* 403 InvalidSignatureException */
	SIM_ERR_INCOMPLETE_SIGNATURE,  /* 403 IncompleteSignatureException: malformed header */
	SIM_ERR_TOO_LARGE,	       /* 413 RequestEntityTooLargeException */
	SIM_ERR_SERIALIZATION,	       /* 400 SerializationException: body is not JSON */
	SIM_ERR_INTERNAL,	       /* 500 InternalFailure */
	SIM_ERR_RESOURCE_EXISTS,       /* 409 ResourceAlreadyExistsException */
	SIM_ERR_RESOURCE_IN_USE,       /* 409 ResourceInUseException */
	SIM_ERR_LIMIT_EXCEEDED,	       /* 400 LimitExceededException */
	SIM_ERR_THROTTLING,	       /* 400 ThrottlingException (a scenario's throttle) */
	SIM_ERR_SERVICE_UNAVAILABLE,   /* 503 ServiceUnavailableException */
	SIM_ERR_COUNT
};
const char *sim_error_code(enum sim_error e);
unsigned sim_error_status(enum sim_error e);

#define SIM_RESPONSE_HEADERS_MAX 8 /* extra headers per response */
#define SIM_HEADER_VALUE_MAX 256

struct sim_header {
	const char *name; /* static string */
	char value[SIM_HEADER_VALUE_MAX];
};

struct sim_response {
	unsigned status;
	const char *error_code; /* NULL on success; static string */
	char *body;		/* JSON (or the content_type's bytes), malloc'd */
	size_t body_len;
	/* NULL: application/json (rest-json); services with other protocols
	 * (Kinesis JSON 1.1, S3 and CloudWatch XML) set theirs. Static. */
	const char *content_type;
	struct sim_header headers[SIM_RESPONSE_HEADERS_MAX]; /* ETag, Content-Range, ... */
	size_t n_headers;
};

/* Add a response header (name static, value printf'd, cut at
 * SIM_HEADER_VALUE_MAX). Returns 0, or -1 when the table is full. */
int sim_response_header(struct sim_response *res, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* 200 with the printed JSON of obj (a cJSON *, deleted here). Returns 0,
 * or -1 after turning the response into a 500. */
int sim_response_json(struct sim_response *res, void *cjson_obj);
/* An error response; resource_type/resource_name/parameter_name may be NULL
 * and are added as the shape's members when given. */
void sim_response_error(struct sim_response *res, enum sim_error e, const char *resource_type,
			const char *resource_name, const char *parameter_name, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void sim_response_clear(struct sim_response *res);

/* Route table. A pattern is a path of literal segments and {captures}; a
 * capture matches one whole segment, percent-decoded (so %2F inside a
 * segment stays inside it). */
struct sim_call {
	const struct sim_request *req;
	const char *operation; /* the route's operation name */
	const char *params[SIM_ROUTE_MAX_PARAMS];
	size_t n_params;
};
typedef void (*sim_handler_fn)(void *svc, const struct sim_call *call, struct sim_response *res);
struct sim_route {
	const char *method;
	const char *pattern;   /* "/ledgers/{name}/digest" */
	const char *operation; /* "GetDigest" */
	sim_handler_fn handler;
};

enum sim_route_status {
	SIM_ROUTE_FOUND = 0,
	SIM_ROUTE_NONE = -1,	 /* no pattern matches method + path */
	SIM_ROUTE_BAD_PATH = -2, /* malformed percent-encoding or too long */
};
/* Match req->method and req->path against table[0..n). On FOUND sets
 * *route and fills call (captures are decoded into scratch, which must
 * hold at least SIM_PATH_MAX bytes and outlive call). */
enum sim_route_status sim_route_match(const struct sim_route *table, size_t n,
				      const struct sim_request *req, const struct sim_route **route,
				      struct sim_call *call, char *scratch);
/* Dispatch: match and call the handler, or answer the routing error. */
void sim_route_dispatch(const struct sim_route *table, size_t n, void *svc,
			const struct sim_request *req, struct sim_response *res);

/* Make msg (NUL-terminated, edited in place) one printable line: control
 * bytes and bytes that are not part of valid UTF-8 (including a sequence
 * cut short by truncation) become '?'. Every message that echoes request
 * data passes through here, so a raw path or header cannot break a log
 * line or the JSON consumer's text. */
void sim_message_clean(char *msg);

/* Percent-decode src[0..n) into dst (NUL-terminated, cap bytes). '+' is
 * kept (rest-json encodes spaces as %20). Returns the length or -1 on a
 * malformed escape, an encoded NUL or overflow. */
long sim_percent_decode(const char *src, size_t n, char *dst, size_t cap);

/* Epoch milliseconds as a JSON number with three fraction digits
 * (1700000000.123, -0.001): AWS rest-json timestamps. Returns a cJSON *
 * (raw). */
void *sim_json_timestamp(int64_t ms);

#endif
