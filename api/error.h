/*
 * error.h - the error value every api/ call fills: a status code, the HTTP
 * status and AWS error code when there was a response, and a one-line human
 * message naming what failed and where ("DescribeLedger financial-ledger:
 * ResourceNotFoundException: ledger not found").
 *
 * Messages never contain secrets: callers build them from operation names,
 * ledger names, HTTP statuses, AWS error codes and server messages only,
 * never from request headers or credentials.
 *
 * Ownership: plain value type, fixed-size buffers, no allocation.
 */
#ifndef QLDBTOP_API_ERROR_H
#define QLDBTOP_API_ERROR_H

#include <stddef.h>

/* Status codes (negative returns; 0 is success). */
enum api_status {
	API_OK = 0,
	API_ERR_CONFIG = -1,	/* missing or bad configuration */
	API_ERR_TRANSPORT = -2, /* connect, TLS, timeout, reset */
	API_ERR_SERVICE = -3,	/* the service answered with an error */
	API_ERR_PARSE = -4,	/* a response did not have the expected shape */
	API_ERR_LIMIT = -5,	/* a named limit was exceeded */
	API_ERR_NOMEM = -6,
	API_ERR_STOPPED = -7, /* the caller asked us to stop */
	/* not called: the resource's state rules the call out (GetDigest of a
	 * ledger that is CREATING); not a failure, and not news */
	API_ERR_NOT_READY = -8,
};

#define API_ERROR_CODE_MAX 64 /* AWS error codes are short identifiers */
#define API_ERROR_MSG_MAX 256 /* one line on an 80-column screen, with room */

struct api_error {
	int status;		       /* enum api_status */
	long http_status;	       /* 0 when no response arrived */
	char code[API_ERROR_CODE_MAX]; /* AWS error code, "" when none */
	char msg[API_ERROR_MSG_MAX];   /* one line, no newline */
};

/* Reset to "no error". */
void api_error_clear(struct api_error *e);
/* Fill e printf-style (newlines and control characters are replaced with
 * spaces so the message stays one line); returns status. */
int api_error_set(struct api_error *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Extract the AWS error code and message from an error response, as the
 * AWS CLI does: the code from the x-amzn-ErrorType header (text before the
 * first ':'), else from the body's __type (text after the last '#'); the
 * message from the body's "message" or "Message". error_type may be NULL;
 * body must have a NUL at body[body_len] and need not be JSON (then the
 * message is empty). Writes into code and
 * msg (each NUL-terminated, truncated to its cap). Pure. */
void api_error_parse_aws(const char *error_type, const char *body, size_t body_len, char *code,
			 size_t code_cap, char *msg, size_t msg_cap);

/* Everything an error response carries, as the transport captured it.
 * Borrowed pointers; body has a NUL at body[body_len] (or is NULL). */
struct api_error_response {
	long http_status;
	const char *error_type;	  /* x-amzn-ErrorType, or NULL */
	const char *query_error;  /* x-amzn-query-error ("Code;Sender"), or NULL */
	const char *content_type; /* or NULL */
	const char *body;
	size_t body_len;
};

/* Code and message from any AWS error shape, in this order: the
 * x-amzn-query-error code (CloudWatch's JSON answers carry the query-style
 * code there, as the AWS CLI reads it), then the JSON rules of
 * api_error_parse_aws; a body that starts with '<' is read as XML:
 * <Error><Code/><Message/></Error> (S3) or <ErrorResponse><Error>..
 * </Error></ErrorResponse> (query protocol, CloudWatch). A code keeps only
 * identifier characters. HTML or garbage gives "" and "". Pure. */
void api_error_parse_response(const struct api_error_response *r, char *code, size_t code_cap,
			      char *msg, size_t msg_cap);

/* A printable excerpt of a body no rule could read, for a one-line
 * message: at most max bytes, whitespace runs collapsed, control
 * characters and non-ASCII bytes replaced with '?'; "" for an empty body. */
void api_error_excerpt(const char *body, size_t len, size_t max, char *out, size_t cap);

#endif
