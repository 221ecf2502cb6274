/*
 * aws_xml_error.c - XML error bodies through expat (see aws_xml_error.h).
 * A streaming parse: only the element path and the two texts are kept.
 */
#include "api/aws_xml_error.h"

#include <expat.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#define TEXT_MAX 1024 /* kept of Code or Message; the caller's caps are smaller */

struct xml_ctx {
	XML_Parser p;
	int depth;
	const char *path[AWS_XML_ERROR_DEPTH]; /* static names of the levels we care about */
	bool bad;
	int in; /* 1 Code, 2 Message, 0 none */
	char code[TEXT_MAX], msg[TEXT_MAX];
	size_t code_len, msg_len;
	int code_seen, msg_seen;
};

static const char *local_name(const char *n)
{
	const char *c = strrchr(n, ':');
	return c ? c + 1 : n;
}

/* The name if it is one of the shape's, else "" (any other element). */
static const char *known(const char *n)
{
	static const char *const NAMES[] = { "Error", "ErrorResponse", "Code", "Message" };
	for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
		if (strcmp(n, NAMES[i]) == 0)
			return NAMES[i];
	return "";
}

static void stop(struct xml_ctx *x)
{
	x->bad = true;
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	(void)attrs;
	struct xml_ctx *x = ud;
	if (x->depth >= AWS_XML_ERROR_DEPTH) {
		stop(x);
		return;
	}
	const char *n = known(local_name(name));
	x->path[x->depth++] = n;
	x->in = 0;
	/* <Error><Code> (S3) or <ErrorResponse><Error><Code> (query) */
	bool s3 = x->depth == 2 && strcmp(x->path[0], "Error") == 0;
	bool query = x->depth == 3 && strcmp(x->path[0], "ErrorResponse") == 0 &&
		     strcmp(x->path[1], "Error") == 0;
	if (s3 || query) {
		if (strcmp(n, "Code") == 0 && !x->code_seen++)
			x->in = 1;
		else if (strcmp(n, "Message") == 0 && !x->msg_seen++)
			x->in = 2;
	}
	if (x->depth == 1 && strcmp(n, "Error") != 0 && strcmp(n, "ErrorResponse") != 0)
		stop(x); /* another root: not an error body */
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	(void)name;
	struct xml_ctx *x = ud;
	x->depth--;
	x->in = 0;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_ctx *x = ud;
	char *buf = x->in == 1 ? x->code : x->in == 2 ? x->msg : NULL;
	size_t *n = x->in == 1 ? &x->code_len : &x->msg_len;
	if (!buf || len <= 0)
		return;
	size_t room = TEXT_MAX - 1 - *n;
	size_t k = (size_t)len < room ? (size_t)len : room;
	memcpy(buf + *n, s, k);
	*n += k;
	buf[*n] = '\0';
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	stop(ud);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *value,
			      int vlen, const XML_Char *base, const XML_Char *sysid,
			      const XML_Char *pubid, const XML_Char *notation)
{
	(void)name, (void)pe, (void)value, (void)vlen, (void)base, (void)sysid, (void)pubid,
		(void)notation;
	stop(ud);
}

/* Copy trimmed, control characters replaced, truncated. */
static void out_copy(char *dst, size_t cap, const char *src)
{
	if (!cap)
		return;
	while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
		src++;
	size_t n = strlen(src);
	while (n && (src[n - 1] == ' ' || src[n - 1] == '\t' || src[n - 1] == '\n' ||
		     src[n - 1] == '\r'))
		n--;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	dst[n] = '\0';
}

int aws_xml_error_parse(const char *body, size_t len, char *code, size_t code_cap, char *msg,
			size_t msg_cap)
{
	if (code_cap)
		code[0] = '\0';
	if (msg_cap)
		msg[0] = '\0';
	if (!body || len == 0 || len > AWS_XML_ERROR_MAX)
		return -1;
	struct xml_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	x->p = XML_ParserCreate("UTF-8");
	if (!x->p) {
		free(x);
		return -1;
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	enum XML_Status st = XML_Parse(x->p, body, (int)len, XML_TRUE);
	int rc = -1;
	if (st == XML_STATUS_OK && !x->bad && x->code_len > 0) {
		out_copy(code, code_cap, x->code);
		out_copy(msg, msg_cap, x->msg);
		rc = code_cap && code[0] ? 0 : -1;
		if (rc) {
			if (msg_cap)
				msg[0] = '\0';
		}
	}
	XML_ParserFree(x->p);
	free(x);
	return rc;
}
