/*
 * fuzz_api_error.c - libFuzzer target for api/error.c: the AWS error
 * bodies and headers every service call reads on a non-2xx answer
 * (api_error_parse_response: x-amzn-query-error, x-amzn-ErrorType, JSON
 * __type / message / Message, XML bodies through api/aws_xml_error.c),
 * api_error_parse_aws, api_error_excerpt and api_error_set.
 *
 * Input (lines; a missing line is empty, an empty header line means the
 * header is absent; everything after line 4 is the body, any bytes):
 *   1 x-amzn-ErrorType   2 x-amzn-query-error   3 Content-Type
 *   4 the output caps, decimal "CODE MSG EXCERPT" (each taken modulo a
 *     bound; empty: the real API_ERROR_CODE_MAX / API_ERROR_MSG_MAX)
 * Outputs go into malloc'd buffers of exactly their cap, so a write one
 * byte past it is an ASan report.
 *
 * Invariants (abort on a break): every output is NUL-terminated within
 * its cap; a code holds only identifier characters ([A-Za-z0-9._-]); a
 * message has no control character (one line); an excerpt is at most its
 * max, printable ASCII only; api_error_set's message is one line and its
 * status the one given.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/error.h"

#define FUZZ_LINES 4

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_api_error: %s: %.300s\n", what, detail ? detail : "");
	abort();
}

static void fuzz_check_code(const char *code, size_t cap)
{
	if (!cap)
		return;
	size_t n = strnlen(code, cap);
	if (n == cap)
		fuzz_fail("code not NUL-terminated within its cap", NULL);
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!(c == '.' || c == '_' || c == '-' || (c >= '0' && c <= '9') ||
		      (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			fuzz_fail("code with a non-identifier character", code);
	}
}

static void fuzz_check_line(const char *msg, size_t cap, const char *what)
{
	if (!cap)
		return;
	size_t n = strnlen(msg, cap);
	if (n == cap)
		fuzz_fail("text not NUL-terminated within its cap", what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			fuzz_fail("text with a control character", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line[FUZZ_LINES] = { 0 };
	size_t pos = 0;
	for (int i = 0; i < FUZZ_LINES; i++) {
		const uint8_t *nl = pos < size ? memchr(data + pos, '\n', size - pos) : NULL;
		size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
		line[i] = strndup((const char *)data + pos, len);
		if (!line[i])
			goto out;
		pos += len + (nl ? 1 : 0);
	}
	size_t body_len = size - pos;
	/* the transport's contract: a NUL after the body */
	char *body = malloc(body_len + 1);
	if (!body)
		goto out;
	memcpy(body, data + pos, body_len);
	body[body_len] = '\0';

	size_t code_cap = API_ERROR_CODE_MAX, msg_cap = API_ERROR_MSG_MAX, ex_max = 120;
	unsigned a, b, c;
	if (sscanf(line[3], "%u %u %u", &a, &b, &c) == 3) {
		code_cap = a % (API_ERROR_CODE_MAX + 1);
		msg_cap = b % (API_ERROR_MSG_MAX + 1);
		ex_max = c % 300;
	}
	char *code = malloc(code_cap ? code_cap : 1), *msg = malloc(msg_cap ? msg_cap : 1);
	if (!code || !msg) {
		free(code);
		free(msg);
		free(body);
		goto out;
	}
	struct api_error_response r = { .http_status = 400,
					.error_type = line[0][0] ? line[0] : NULL,
					.query_error = line[1][0] ? line[1] : NULL,
					.content_type = line[2][0] ? line[2] : NULL,
					.body = body,
					.body_len = body_len };
	api_error_parse_response(&r, code, code_cap, msg, msg_cap);
	fuzz_check_code(code, code_cap);
	fuzz_check_line(msg, msg_cap, "api_error_parse_response message");

	api_error_parse_aws(r.error_type, body, body_len, code, code_cap, msg, msg_cap);
	fuzz_check_code(code, code_cap);
	fuzz_check_line(msg, msg_cap, "api_error_parse_aws message");

	/* no body at all, as after a transport that captured none */
	r.body = NULL;
	r.body_len = 0;
	api_error_parse_response(&r, code, code_cap, msg, msg_cap);
	fuzz_check_code(code, code_cap);

	size_t ex_cap = ex_max + 1;
	char *ex = malloc(ex_cap);
	if (ex) {
		api_error_excerpt(body, body_len, ex_max, ex, ex_cap);
		size_t n = strnlen(ex, ex_cap);
		if (n == ex_cap || n > ex_max)
			fuzz_fail("excerpt over its max", NULL);
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)ex[i] < 0x20 || (unsigned char)ex[i] >= 0x7f)
				fuzz_fail("excerpt with a byte that is not printable ASCII", ex);
		/* a cap smaller than max: the cap wins */
		api_error_excerpt(body, body_len, ex_max, ex, ex_cap / 2 ? ex_cap / 2 : 1);
		free(ex);
	}

	struct api_error e;
	api_error_clear(&e);
	if (api_error_set(&e, API_ERR_SERVICE, "GetDigest: %s: %s", line[0], body) !=
		    API_ERR_SERVICE ||
	    e.status != API_ERR_SERVICE)
		fuzz_fail("api_error_set lost the status", NULL);
	fuzz_check_line(e.msg, sizeof e.msg, "api_error_set message");

	free(code);
	free(msg);
	free(body);
out:
	for (int i = 0; i < FUZZ_LINES; i++)
		free(line[i]);
	return 0;
}
