/*
 * xml.c - expat into a small element tree (see xml.h for what is refused
 * and why). During the parse nodes and strings live in growing arrays
 * addressed by index; once the document is complete the indexes become
 * pointers, so the tree is read without the doc at hand.
 */
#include "api/xml.h"

#include <expat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XML_NONE SIZE_MAX

struct xml_node {
	/* during the parse: offsets and indexes; after: pointers */
	size_t name_off, text_off, text_len;
	size_t first, last, next_i;
	const char *name, *text;
	const struct xml_node *child, *next;
};

struct xml_doc {
	struct xml_node *nodes;
	size_t n, cap;
	char *pool; /* names and texts, each NUL-terminated */
	size_t pool_len, pool_cap;
};

/* Parse state: the open elements and their text so far. */
struct xml_text_buf {
	char *b;
	size_t len, cap;
};

struct xml_state {
	XML_Parser p;
	struct xml_doc *d;
	const char *what;
	struct api_error *err;
	int status; /* set when a handler stopped the parser */
	size_t open[XML_MAX_DEPTH];
	struct xml_text_buf text[XML_MAX_DEPTH];
	size_t depth;
};

/* Stop the parse with a one-line reason at the current position. */
static void xml_stop(struct xml_state *s, int status, const char *why)
{
	if (s->status)
		return;
	s->status = status;
	api_error_set(s->err, status, "%s: line %lu column %lu: %s", s->what,
		      (unsigned long)XML_GetCurrentLineNumber(s->p),
		      (unsigned long)XML_GetCurrentColumnNumber(s->p) + 1, why);
	XML_StopParser(s->p, XML_FALSE);
}

static int pool_add(struct xml_doc *d, const char *s, size_t n, size_t *off)
{
	if (d->pool_len + n + 1 > d->pool_cap) {
		size_t cap = d->pool_cap ? d->pool_cap : 1024;
		while (cap < d->pool_len + n + 1)
			cap *= 2;
		char *p = realloc(d->pool, cap);
		if (!p)
			return -1;
		d->pool = p;
		d->pool_cap = cap;
	}
	memcpy(d->pool + d->pool_len, s, n);
	d->pool[d->pool_len + n] = '\0';
	*off = d->pool_len;
	d->pool_len += n + 1;
	return 0;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	(void)attrs;
	struct xml_state *s = ud;
	struct xml_doc *d = s->d;
	if (s->status)
		return;
	if (s->depth >= XML_MAX_DEPTH) {
		xml_stop(s, API_ERR_LIMIT, "nested deeper than XML_MAX_DEPTH elements");
		return;
	}
	if (d->n >= XML_MAX_NODES) {
		xml_stop(s, API_ERR_LIMIT, "more than XML_MAX_NODES elements");
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct xml_node *p = realloc(d->nodes, cap * sizeof *p);
		if (!p) {
			xml_stop(s, API_ERR_NOMEM, "out of memory");
			return;
		}
		d->nodes = p;
		d->cap = cap;
	}
	const char *local = strrchr(name, ':'); /* namespace prefix, if any */
	local = local ? local + 1 : name;
	if (!*local) {
		/* "<a:/>": no local name (not namespace-well-formed); an empty
		 * name would match no lookup and hide its subtree */
		xml_stop(s, API_ERR_PARSE, "an element name without a local part");
		return;
	}
	size_t i = d->n;
	struct xml_node *nd = &d->nodes[i];
	memset(nd, 0, sizeof *nd);
	nd->first = nd->last = nd->next_i = XML_NONE;
	if (pool_add(d, local, strlen(local), &nd->name_off)) {
		xml_stop(s, API_ERR_NOMEM, "out of memory");
		return;
	}
	d->n++;
	if (s->depth > 0) {
		struct xml_node *parent = &d->nodes[s->open[s->depth - 1]];
		if (parent->last == XML_NONE)
			parent->first = i;
		else
			d->nodes[parent->last].next_i = i;
		parent->last = i;
	}
	s->open[s->depth] = i;
	s->text[s->depth].len = 0;
	s->depth++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	(void)name;
	struct xml_state *s = ud;
	if (s->status || s->depth == 0)
		return;
	s->depth--;
	struct xml_text_buf *t = &s->text[s->depth];
	struct xml_node *nd = &s->d->nodes[s->open[s->depth]];
	if (pool_add(s->d, t->b ? t->b : "", t->len, &nd->text_off)) {
		xml_stop(s, API_ERR_NOMEM, "out of memory");
		return;
	}
	nd->text_len = t->len;
}

static void XMLCALL on_text(void *ud, const XML_Char *data, int len)
{
	struct xml_state *s = ud;
	if (s->status || s->depth == 0 || len <= 0)
		return;
	struct xml_text_buf *t = &s->text[s->depth - 1];
	size_t n = (size_t)len;
	if (memchr(data, '\0', n)) {
		xml_stop(s, API_ERR_PARSE, "a NUL character in text");
		return;
	}
	if (n > XML_MAX_TEXT - t->len) {
		xml_stop(s, API_ERR_LIMIT, "an element's text is longer than XML_MAX_TEXT bytes");
		return;
	}
	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + n)
			cap *= 2;
		char *p = realloc(t->b, cap);
		if (!p) {
			xml_stop(s, API_ERR_NOMEM, "out of memory");
			return;
		}
		t->b = p;
		t->cap = cap;
	}
	memcpy(t->b + t->len, data, n);
	t->len += n;
}

/* A DOCTYPE is where entities are declared: none is accepted, so neither
 * an expansion bomb nor an external entity can start. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	xml_stop(ud, API_ERR_PARSE, "a DOCTYPE is not accepted (no entity declarations)");
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
				   const XML_Char *value, int value_len, const XML_Char *base,
				   const XML_Char *sysid, const XML_Char *pubid,
				   const XML_Char *notation)
{
	(void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid;
	(void)pubid, (void)notation;
	xml_stop(ud, API_ERR_PARSE, "an entity declaration is not accepted");
}

/* Indexes to pointers, once the tree will not move any more. */
static void xml_link(struct xml_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct xml_node *nd = &d->nodes[i];
		nd->name = d->pool + nd->name_off;
		nd->text = d->pool + nd->text_off;
		nd->child = nd->first == XML_NONE ? NULL : &d->nodes[nd->first];
		nd->next = nd->next_i == XML_NONE ? NULL : &d->nodes[nd->next_i];
	}
}

struct xml_doc *xml_parse(const char *buf, size_t len, const char *what, struct api_error *err)
{
	api_error_clear(err);
	if (len > XML_MAX_INPUT) {
		api_error_set(err, API_ERR_LIMIT, "%s: XML body of %zu bytes exceeds XML_MAX_INPUT",
			      what, len);
		return NULL;
	}
	if (len == 0) {
		api_error_set(err, API_ERR_PARSE, "%s: empty XML body", what);
		return NULL;
	}
	if (memchr(buf, '\0', len)) {
		api_error_set(err, API_ERR_PARSE, "%s: a NUL byte in the XML body", what);
		return NULL;
	}
	struct xml_doc *d = calloc(1, sizeof *d);
	XML_Parser p = d ? XML_ParserCreate("UTF-8") : NULL;
	if (!p) {
		free(d);
		api_error_set(err, API_ERR_NOMEM, "%s: out of memory", what);
		return NULL;
	}
	struct xml_state s = { .p = p, .d = d, .what = what, .err = err };
	XML_SetUserData(p, &s);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetEntityDeclHandler(p, on_entity_decl);
	/* external entities are never loaded: no handler is set, and no
	 * DOCTYPE gets far enough to name one */
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	enum XML_Status st = XML_STATUS_OK;
	for (size_t off = 0; off < len && st == XML_STATUS_OK && !s.status;) {
		size_t n = len - off > (1u << 20) ? (1u << 20) : len - off; /* expat takes an int */
		st = XML_Parse(p, buf + off, (int)n, 0);
		off += n;
	}
	if (st == XML_STATUS_OK && !s.status)
		st = XML_Parse(p, "", 0, 1);
	if (!s.status && st != XML_STATUS_OK)
		api_error_set(err, API_ERR_PARSE, "%s: line %lu column %lu: %s", what,
			      (unsigned long)XML_GetCurrentLineNumber(p),
			      (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
			      XML_ErrorString(XML_GetErrorCode(p)));
	int failed = s.status || st != XML_STATUS_OK || d->n == 0;
	if (!failed)
		xml_link(d);
	for (size_t i = 0; i < XML_MAX_DEPTH; i++)
		free(s.text[i].b);
	XML_ParserFree(p);
	if (failed) {
		if (!err->status)
			api_error_set(err, API_ERR_PARSE, "%s: no root element", what);
		xml_free(d);
		return NULL;
	}
	return d;
}

void xml_free(struct xml_doc *d)
{
	if (!d)
		return;
	free(d->nodes);
	free(d->pool);
	free(d);
}

const struct xml_node *xml_root(const struct xml_doc *d)
{
	return &d->nodes[0];
}

const char *xml_name(const struct xml_node *n)
{
	return n->name;
}

const char *xml_text(const struct xml_node *n, size_t *len)
{
	if (len)
		*len = n->text_len;
	return n->text;
}

static bool name_is(const struct xml_node *n, const char *name)
{
	return !name || strcmp(n->name, name) == 0;
}

const struct xml_node *xml_child(const struct xml_node *n, const char *name)
{
	const struct xml_node *c = n->child;
	while (c && !name_is(c, name))
		c = c->next;
	return c;
}

const struct xml_node *xml_next(const struct xml_node *n, const char *name)
{
	const struct xml_node *c = n->next;
	while (c && !name_is(c, name))
		c = c->next;
	return c;
}

size_t xml_count(const struct xml_node *n, const char *name)
{
	size_t k = 0;
	for (const struct xml_node *c = xml_child(n, name); c; c = xml_next(c, name))
		k++;
	return k;
}

bool xml_has_children(const struct xml_node *n)
{
	return n->child != NULL;
}
