/*
 * fuzz_api_xml.c - libFuzzer target for the XML readers of the client
 * layer: api/xml.c (the tree S3's ListObjectsV2 and CloudWatch's query
 * answers are read through) and api/aws_xml_error.c (S3 <Error> and the
 * query protocol's <ErrorResponse>).
 *
 * The whole input is one body. For a parsed document the harness walks
 * every node with every accessor and aborts when the tree breaks what
 * xml.h promises: depth over XML_MAX_DEPTH, more than XML_MAX_NODES
 * elements, a text whose length differs from its C string (a NUL hidden
 * inside) or is over XML_MAX_TEXT, an empty or prefixed name, xml_count
 * or xml_child / xml_next disagreeing with the walk. A refusal must carry
 * an api_status and a one-line message. aws_xml_error_parse must give a
 * non-empty code exactly when it returns 0, "" and "" otherwise, and
 * flattened (control-free) texts within their caps (exact-size buffers,
 * so one byte over is an ASan report).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/aws_xml_error.h"
#include "api/xml.h"

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_api_xml: %s: %.300s\n", what, detail ? detail : "");
	abort();
}

static size_t fuzz_walk(const struct xml_node *n, unsigned depth)
{
	if (depth > XML_MAX_DEPTH)
		fuzz_fail("a tree deeper than XML_MAX_DEPTH", NULL);
	const char *name = xml_name(n);
	if (!name || !name[0] || strchr(name, ':'))
		fuzz_fail("an element name that is empty or keeps its prefix", name);
	size_t len = 0;
	const char *text = xml_text(n, &len);
	if (!text || strlen(text) != len || len > XML_MAX_TEXT)
		fuzz_fail("a text whose length is not its C string's", name);
	size_t nodes = 1, kids = 0, named = 0;
	for (const struct xml_node *c = xml_child(n, NULL); c; c = xml_next(c, NULL)) {
		kids++;
		if (strcmp(xml_name(c), name) == 0)
			named++;
		nodes += fuzz_walk(c, depth + 1);
	}
	if (xml_count(n, NULL) != kids || xml_has_children(n) != (kids > 0))
		fuzz_fail("xml_count or xml_has_children disagrees with the walk", name);
	/* the children named like n, through the by-name accessors */
	size_t by_name = 0;
	for (const struct xml_node *c = xml_child(n, name); c; c = xml_next(c, name)) {
		if (strcmp(xml_name(c), name) != 0)
			fuzz_fail("xml_child/xml_next returned another name", name);
		by_name++;
	}
	if (by_name != named || xml_count(n, name) != named)
		fuzz_fail("the by-name accessors disagree with the walk", name);
	return nodes;
}

static void fuzz_check_text(const char *s, size_t cap, const char *what)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		fuzz_fail("not NUL-terminated within its cap", what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			fuzz_fail("a control character", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly the bytes, no NUL after them: the reader takes a length */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct api_error err;
	api_error_clear(&err);
	struct xml_doc *d = xml_parse(buf, size, "fuzz", &err);
	if (d) {
		if (memchr(data, 0, size))
			fuzz_fail("accepted a document with a NUL byte", NULL);
		if (fuzz_walk(xml_root(d), 1) > XML_MAX_NODES)
			fuzz_fail("more elements than XML_MAX_NODES", NULL);
		xml_free(d);
	} else {
		if (err.status >= 0 || !err.msg[0])
			fuzz_fail("a refusal without status or message", NULL);
		fuzz_check_text(err.msg, sizeof err.msg, "xml_parse message");
	}

	/* small caps too: the first byte picks them */
	size_t code_cap = 64, msg_cap = 256;
	if (size && data[0] == ' ') {
		code_cap = 1 + size % 8;
		msg_cap = 1 + size % 16;
	}
	char *code = malloc(code_cap), *msg = malloc(msg_cap);
	if (code && msg) {
		int rc = aws_xml_error_parse(buf, size, code, code_cap, msg, msg_cap);
		fuzz_check_text(code, code_cap, "aws_xml_error_parse code");
		fuzz_check_text(msg, msg_cap, "aws_xml_error_parse message");
		if (rc == 0 && !code[0])
			fuzz_fail("an XML error without a code", NULL);
		if (rc != 0 && (rc != -1 || code[0] || msg[0]))
			fuzz_fail("a refused XML error left a code or message", NULL);
	}
	free(code);
	free(msg);
	free(buf);
	return 0;
}
