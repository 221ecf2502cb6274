/*
 * error.c - one-line api errors and the AWS error-shape reader (see error.h).
 * The shape rules come from docs/aws-api.md §2.1 (what the AWS CLI reads).
 */
#include "api/error.h"

#include "api/aws_xml_error.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void api_error_clear(struct api_error *e)
{
	memset(e, 0, sizeof *e);
}

/* Replace control characters so a message is always exactly one line. */
static void text_flatten(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

int api_error_set(struct api_error *e, int status, const char *fmt, ...)
{
	if (!e)
		return status;
	va_list ap;
	va_start(ap, fmt);
	e->status = status;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	text_flatten(e->msg);
	return status;
}

/* Copy at most n bytes of src into dst (cap bytes), NUL-terminated. */
static void copy_bounded(char *dst, size_t cap, const char *src, size_t n)
{
	if (cap == 0)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	text_flatten(dst);
}

/* The identifier part of an AWS code: letters, digits, '.', '_' and '-'.
 * Anything else ends it, so a hostile header cannot smuggle text in. */
static size_t code_span(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n &&
	       (s[i] == '.' || s[i] == '_' || s[i] == '-' || (s[i] >= '0' && s[i] <= '9') ||
		(s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
		i++;
	return i;
}

void api_error_parse_aws(const char *error_type, const char *body, size_t body_len, char *code,
			 size_t code_cap, char *msg, size_t msg_cap)
{
	if (code_cap)
		code[0] = '\0';
	if (msg_cap)
		msg[0] = '\0';
	if (error_type) {
		/* "ResourceNotFoundException:http://internal.amazon.com/..." */
		while (*error_type == ' ')
			error_type++;
		const char *colon = strchr(error_type, ':');
		size_t n = colon ? (size_t)(colon - error_type) : strlen(error_type);
		copy_bounded(code, code_cap, error_type, code_span(error_type, n));
	}
	if (!body || body_len == 0)
		return;
	cJSON *root = cJSON_ParseWithLength(body, body_len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return;
	}
	if (code_cap && code[0] == '\0') {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "__type");
		if (cJSON_IsString(t) && t->valuestring) {
			/* "aws.protocoltests#ResourceNotFoundException" */
			const char *s = strrchr(t->valuestring, '#');
			s = s ? s + 1 : t->valuestring;
			copy_bounded(code, code_cap, s, code_span(s, strlen(s)));
		}
	}
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (!cJSON_IsString(m))
		m = cJSON_GetObjectItemCaseSensitive(root, "Message");
	if (cJSON_IsString(m) && m->valuestring)
		copy_bounded(msg, msg_cap, m->valuestring, strlen(m->valuestring));
	cJSON_Delete(root);
}

void api_error_parse_response(const struct api_error_response *r, char *code, size_t code_cap,
			      char *msg, size_t msg_cap)
{
	if (code_cap)
		code[0] = '\0';
	if (msg_cap)
		msg[0] = '\0';
	const char *b = r->body;
	size_t n = b ? r->body_len : 0, i = 0;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i < n && b[i] == '<') {
		char c[API_ERROR_CODE_MAX];
		if (aws_xml_error_parse(b, n, c, sizeof c, msg, msg_cap) == 0)
			copy_bounded(code, code_cap, c, code_span(c, strlen(c)));
		if (code_cap && !code[0] && msg_cap)
			msg[0] = '\0';
		if (r->error_type && code_cap && !code[0]) {
			const char *t = r->error_type;
			while (*t == ' ')
				t++;
			copy_bounded(code, code_cap, t, code_span(t, strlen(t)));
		}
	} else {
		api_error_parse_aws(r->error_type, b, n, code, code_cap, msg, msg_cap);
	}
	if (r->query_error && *r->query_error && code_cap) {
		/* "InvalidParameterValue;Sender" */
		const char *q = r->query_error;
		while (*q == ' ')
			q++;
		size_t k = code_span(q, strlen(q));
		if (k > 0)
			copy_bounded(code, code_cap, q, k);
	}
}

void api_error_excerpt(const char *body, size_t len, size_t max, char *out, size_t cap)
{
	if (cap == 0)
		return;
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; body && i < len && o < max && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)body[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < cap && o + 1 < max)
			out[o++] = ' ';
		space = false;
		out[o++] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	out[o] = '\0';
}
