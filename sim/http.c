/*
 * http.c - requests, responses, AWS error shapes and route matching for the
 * endpoint (see http.h). No libmicrohttpd here: server.c adapts it.
 */
#include "sim/http.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Error code and HTTP status of each shape (aws-api.md §2.5 for the QLDB
 * shapes; the generic AWS codes for auth, routing and size). */
static const struct {
	const char *code;
	unsigned status;
} ERRORS[SIM_ERR_COUNT] = {
	[SIM_ERR_INVALID_PARAMETER] = { "InvalidParameterException", 400 },
	[SIM_ERR_RESOURCE_NOT_FOUND] = { "ResourceNotFoundException", 404 },
	[SIM_ERR_RESOURCE_PRECONDITION] = { "ResourcePreconditionNotMetException", 412 },
	[SIM_ERR_UNKNOWN_OPERATION] = { "UnknownOperationException", 404 },
	[SIM_ERR_UNRECOGNIZED_CLIENT] = { "UnrecognizedClientException", 403 },
	[SIM_ERR_INVALID_SIGNATURE] = { "InvalidSignatureException", 403 },
	[SIM_ERR_INCOMPLETE_SIGNATURE] = { "IncompleteSignatureException", 403 },
	[SIM_ERR_TOO_LARGE] = { "RequestEntityTooLargeException", 413 },
	[SIM_ERR_SERIALIZATION] = { "SerializationException", 400 },
	[SIM_ERR_INTERNAL] = { "InternalFailure", 500 },
	[SIM_ERR_RESOURCE_EXISTS] = { "ResourceAlreadyExistsException", 409 },
	[SIM_ERR_RESOURCE_IN_USE] = { "ResourceInUseException", 409 },
	[SIM_ERR_LIMIT_EXCEEDED] = { "LimitExceededException", 400 },
	[SIM_ERR_THROTTLING] = { "ThrottlingException", 400 },
	[SIM_ERR_SERVICE_UNAVAILABLE] = { "ServiceUnavailableException", 503 },
};

const char *sim_error_code(enum sim_error e)
{
	return (unsigned)e < SIM_ERR_COUNT ? ERRORS[e].code : ERRORS[SIM_ERR_INTERNAL].code;
}

unsigned sim_error_status(enum sim_error e)
{
	return (unsigned)e < SIM_ERR_COUNT ? ERRORS[e].status : 500;
}

const char *sim_request_query(const struct sim_request *r, const char *key)
{
	for (size_t i = 0; i < r->n_query; i++)
		if (strcmp(r->query[i].key, key) == 0)
			return r->query[i].value;
	return NULL;
}

const char *sim_request_header(const struct sim_request *r, const char *name)
{
	return r->header ? r->header(r->header_ctx, name) : NULL;
}

int sim_response_header(struct sim_response *res, const char *name, const char *fmt, ...)
{
	if (res->n_headers >= SIM_RESPONSE_HEADERS_MAX)
		return -1;
	struct sim_header *h = &res->headers[res->n_headers++];
	h->name = name;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->value, sizeof h->value, fmt, ap);
	va_end(ap);
	sim_message_clean(h->value); /* one printable line: no header injection */
	return 0;
}

void sim_response_clear(struct sim_response *res)
{
	free(res->body);
	memset(res, 0, sizeof *res);
}

/* A fixed 500 body for when even printing JSON failed (out of memory). */
static void response_internal(struct sim_response *res)
{
	static const char body[] = "{\"message\":\"internal failure\",\"Message\":\"internal "
				   "failure\"}";
	free(res->body);
	res->status = 500;
	res->error_code = ERRORS[SIM_ERR_INTERNAL].code;
	res->body = strdup(body);
	res->body_len = res->body ? strlen(res->body) : 0;
}

int sim_response_json(struct sim_response *res, void *cjson_obj)
{
	cJSON *obj = cjson_obj;
	char *text = obj ? cJSON_PrintUnformatted(obj) : NULL;
	cJSON_Delete(obj);
	if (!text) {
		response_internal(res);
		return -1;
	}
	free(res->body);
	res->status = 200;
	res->error_code = NULL;
	res->body = text;
	res->body_len = strlen(text);
	return 0;
}

/* Length of the valid UTF-8 sequence at s (strict: no overlongs,
 * surrogates or code points past U+10FFFF), or 0. */
static size_t utf8_sequence(const unsigned char *s)
{
	static const struct {
		unsigned char first_lo, first_hi, second_lo, second_hi;
		size_t len;
	} FORMS[] = {
		{ 0xc2, 0xdf, 0x80, 0xbf, 2 }, { 0xe0, 0xe0, 0xa0, 0xbf, 3 },
		{ 0xe1, 0xec, 0x80, 0xbf, 3 }, { 0xed, 0xed, 0x80, 0x9f, 3 },
		{ 0xee, 0xef, 0x80, 0xbf, 3 }, { 0xf0, 0xf0, 0x90, 0xbf, 4 },
		{ 0xf1, 0xf3, 0x80, 0xbf, 4 }, { 0xf4, 0xf4, 0x80, 0x8f, 4 },
	};
	for (size_t f = 0; f < sizeof FORMS / sizeof FORMS[0]; f++) {
		if (s[0] < FORMS[f].first_lo || s[0] > FORMS[f].first_hi)
			continue;
		if (s[1] < FORMS[f].second_lo || s[1] > FORMS[f].second_hi)
			return 0;
		for (size_t i = 2; i < FORMS[f].len; i++)
			if (s[i] < 0x80 || s[i] > 0xbf) /* also stops at the NUL */
				return 0;
		return FORMS[f].len;
	}
	return 0;
}

void sim_message_clean(char *msg)
{
	unsigned char *s = (unsigned char *)msg;
	while (*s) {
		if (*s < 0x20 || *s == 0x7f) {
			*s++ = '?';
		} else if (*s < 0x80) {
			s++;
		} else {
			size_t n = utf8_sequence(s);
			if (n)
				s += n;
			else
				*s++ = '?';
		}
	}
}

void sim_response_error(struct sim_response *res, enum sim_error e, const char *resource_type,
			const char *resource_name, const char *parameter_name, const char *fmt, ...)
{
	char msg[SIM_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sim_message_clean(msg);
	cJSON *o = cJSON_CreateObject();
	/* The CLI reads "message" or "Message"; the model's member is Message. */
	if (!o || !cJSON_AddStringToObject(o, "message", msg) ||
	    !cJSON_AddStringToObject(o, "Message", msg) ||
	    (resource_type && !cJSON_AddStringToObject(o, "ResourceType", resource_type)) ||
	    (resource_name && !cJSON_AddStringToObject(o, "ResourceName", resource_name)) ||
	    (parameter_name && !cJSON_AddStringToObject(o, "ParameterName", parameter_name))) {
		cJSON_Delete(o);
		response_internal(res);
		return;
	}
	if (sim_response_json(res, o) == 0) {
		res->status = sim_error_status(e);
		res->error_code = sim_error_code(e);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long sim_percent_decode(const char *src, size_t n, char *dst, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int h = hexval(src[i + 1]), l = hexval(src[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return -1;
			c = (char)(h * 16 + l);
			i += 2;
		}
		if (o + 1 >= cap)
			return -1;
		dst[o++] = c;
	}
	if (o >= cap)
		return -1;
	dst[o] = '\0';
	return (long)o;
}

enum sim_route_status sim_route_match(const struct sim_route *table, size_t n,
				      const struct sim_request *req, const struct sim_route **route,
				      struct sim_call *call, char *scratch)
{
	const char *path = req->path;
	if (path[0] != '/' || strlen(path) >= SIM_PATH_MAX)
		return SIM_ROUTE_BAD_PATH;
	/* Split the raw path into segments and decode each one into scratch. */
	const char *seg[SIM_PATH_MAX / 2];
	size_t nseg = 0, used = 0;
	for (const char *p = path + 1;;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (nseg == sizeof seg / sizeof seg[0])
			return SIM_ROUTE_BAD_PATH;
		long dl = sim_percent_decode(p, len, scratch + used, SIM_PATH_MAX - used);
		if (dl < 0)
			return SIM_ROUTE_BAD_PATH;
		seg[nseg++] = scratch + used;
		used += (size_t)dl + 1;
		if (!end)
			break;
		p = end + 1;
	}
	for (size_t r = 0; r < n; r++) {
		const struct sim_route *rt = &table[r];
		if (strcmp(rt->method, req->method) != 0)
			continue;
		size_t k = 0, np = 0;
		const char *params[SIM_ROUTE_MAX_PARAMS];
		const char *p = rt->pattern + 1;
		int ok = 1;
		for (;; k++) {
			const char *end = strchr(p, '/');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			if (k >= nseg) {
				ok = 0;
				break;
			}
			if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
				if (seg[k][0] == '\0' || np >= SIM_ROUTE_MAX_PARAMS) {
					ok = 0;
					break;
				}
				params[np++] = seg[k];
			} else if (strlen(seg[k]) != len || memcmp(seg[k], p, len) != 0) {
				ok = 0;
				break;
			}
			if (!end)
				break;
			p = end + 1;
		}
		if (!ok || k + 1 != nseg)
			continue;
		*route = rt;
		call->req = req;
		call->operation = rt->operation;
		call->n_params = np;
		memcpy(call->params, params, np * sizeof params[0]);
		return SIM_ROUTE_FOUND;
	}
	return SIM_ROUTE_NONE;
}

void sim_route_dispatch(const struct sim_route *table, size_t n, void *svc,
			const struct sim_request *req, struct sim_response *res)
{
	char scratch[SIM_PATH_MAX];
	const struct sim_route *rt = NULL;
	struct sim_call call = { 0 };
	switch (sim_route_match(table, n, req, &rt, &call, scratch)) {
	case SIM_ROUTE_FOUND:
		rt->handler(svc, &call, res);
		return;
	case SIM_ROUTE_BAD_PATH:
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, NULL,
				   "malformed request path (bad percent-encoding or over %d bytes)",
				   SIM_PATH_MAX);
		return;
	case SIM_ROUTE_NONE:
		break;
	}
	sim_response_error(res, SIM_ERR_UNKNOWN_OPERATION, NULL, NULL, NULL,
			   "the local endpoint has no operation for %.8s %.200s", req->method,
			   req->path);
}

void *sim_json_timestamp(int64_t ms)
{
	/* sign apart: ms % 1000 is negative for negative ms (and -999 ms has
	 * no integer part to carry the sign); the magnitude is taken unsigned
	 * so INT64_MIN works too */
	char num[32];
	uint64_t mag = ms < 0 ? 0 - (uint64_t)ms : (uint64_t)ms;
	snprintf(num, sizeof num, "%s%" PRIu64 ".%03" PRIu64, ms < 0 ? "-" : "", mag / 1000,
		 mag % 1000);
	return cJSON_CreateRaw(num);
}
