/*
 * ion_text_lex.c - the lexical layer of the Ion text parser (see
 * ion_text_lex.h): the character-class table that keeps hot loops free of
 * per-character calls, whitespace and comments, UTF-8 validation and the
 * numeric stop rule.
 */
#include <stdarg.h>
#include <stdio.h>

#include "ion_text_lex.h"

#define IS_WS(ch)                                                                                  \
	((ch) == ' ' || (ch) == '\t' || (ch) == '\n' || (ch) == '\r' || (ch) == '\v' ||            \
	 (ch) == '\f')
#define IS_DIGIT(ch) ((ch) >= '0' && (ch) <= '9')
#define IS_ALPHA(ch) (((ch) >= 'a' && (ch) <= 'z') || ((ch) >= 'A' && (ch) <= 'Z'))
#define IS_OP(ch)                                                                                  \
	((ch) == '!' || (ch) == '#' || (ch) == '%' || (ch) == '&' || (ch) == '*' || (ch) == '+' || \
	 (ch) == '-' || (ch) == '.' || (ch) == '/' || (ch) == ';' || (ch) == '<' || (ch) == '=' || \
	 (ch) == '>' || (ch) == '?' || (ch) == '@' || (ch) == '^' || (ch) == '`' || (ch) == '|' || \
	 (ch) == '~')
#define IS_STOP(ch)                                                                                \
	(IS_WS(ch) || (ch) == '{' || (ch) == '}' || (ch) == '[' || (ch) == ']' || (ch) == '(' ||   \
	 (ch) == ')' || (ch) == ',' || (ch) == '"' || (ch) == '\'')
#define IS_PLAIN(ch) ((ch) >= 0x20 && (ch) <= 0x7f && (ch) != '"' && (ch) != '\'' && (ch) != '\\')

/* The class byte of one character, as a constant expression. */
#define CLS(ch)                                                                                    \
	((IS_WS(ch) ? ITC_WS : 0) | (IS_STOP(ch) ? ITC_STOP : 0) |                                 \
	 (IS_ALPHA(ch) || IS_DIGIT(ch) || (ch) == '_' || (ch) == '$' ? ITC_ID : 0) |               \
	 (IS_ALPHA(ch) || (ch) == '_' || (ch) == '$' ? ITC_IDSTART : 0) |                          \
	 (IS_OP(ch) ? ITC_OP : 0) | (IS_DIGIT(ch) ? ITC_DIGIT : 0) |                               \
	 (IS_PLAIN(ch) ? ITC_PLAIN : 0) |                                                          \
	 (IS_ALPHA(ch) || IS_DIGIT(ch) || (ch) == '_' || (ch) == '.' || (ch) == ':' ||             \
			  (ch) == '+' || (ch) == '-'                                               \
		  ? ITC_NUMTOK                                                                     \
		  : 0))
#define R4(i) CLS(i), CLS((i) + 1), CLS((i) + 2), CLS((i) + 3)
#define R16(i) R4(i), R4((i) + 4), R4((i) + 8), R4((i) + 12)
#define R64(i) R16(i), R16((i) + 16), R16((i) + 32), R16((i) + 48)

const uint8_t ion_text_class[256] = { R64(0), R64(64), R64(128), R64(192) };

int ion_text_fail(struct ion_text_cur *c, const uint8_t *at, int code, const char *fmt, ...)
{
	struct ion_error *err = c->err;
	if (err) {
		err->code = code;
		err->line = err->column = 0;
		err->offset = (size_t)(at - c->buf);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

int ion_text_truncated(struct ion_text_cur *c, const uint8_t *at, const char *what)
{
	if (!c->at_eof)
		return ION_NEED_MORE;
	return ion_text_fail(c, at, ION_ERR_SYNTAX, "unterminated %s", what);
}

#define SLAB_FIRST 512u	      /* first slab of a call: tiny values waste little */
#define SLAB_MAX (16u * 1024) /* slabs stop growing here; bigger requests go direct */

void *ion_text_alloc_slow(struct ion_text_cur *c, size_t n, int *rc)
{
	if (n > SLAB_MAX / 4) {
		void *p = ion_arena_alloc(c->arena, n);
		if (!p)
			*rc = ion_text_fail(c, c->p, ION_ERR_NOMEM, "out of memory (%zu bytes)", n);
		return p;
	}
	size_t size = c->slab_next ? c->slab_next : SLAB_FIRST;
	c->slab_next = size < SLAB_MAX ? size * 2 : SLAB_MAX;
	uint8_t *slab = ion_arena_alloc(c->arena, size);
	if (!slab) {
		*rc = ion_text_fail(c, c->p, ION_ERR_NOMEM, "out of memory (%zu bytes)", size);
		return NULL;
	}
	c->slab = slab + n;
	c->slab_end = slab + size;
	return slab;
}

int ion_text_utf8_len(const uint8_t *p, const uint8_t *end)
{
	uint8_t b = p[0];
	int n;
	uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
	if (b >= 0xc2 && b <= 0xdf) {
		n = 2;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3;
		if (b == 0xe0)
			lo = 0xa0; /* overlong */
		else if (b == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4;
		if (b == 0xf0)
			lo = 0x90; /* overlong */
		else if (b == 0xf4)
			hi = 0x8f; /* beyond U+10FFFF */
	} else {
		return 0;
	}
	for (int k = 1; k < n; k++) {
		if (p + k >= end)
			return -1;
		uint8_t cb = p[k];
		if (k == 1 ? (cb < lo || cb > hi) : (cb & 0xc0) != 0x80)
			return 0;
	}
	return n;
}

/* Skip non-newline comment text and validate its UTF-8; stops at the first
 * newline or at end. */
static int skip_line(struct ion_text_cur *c, const uint8_t *start)
{
	const uint8_t *p = c->p, *end = c->end;
	while (p < end && *p != '\n' && *p != '\r') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		int n = ion_text_utf8_len(p, end);
		if (n < 0)
			return ion_text_truncated(c, start, "comment");
		if (n == 0)
			return ion_text_fail(c, p, ION_ERR_SYNTAX, "invalid UTF-8 in comment");
		p += n;
	}
	if (p == end && !c->at_eof)
		return ION_NEED_MORE; /* the comment may go on */
	c->p = p;
	return 0;
}

static int skip_block(struct ion_text_cur *c, const uint8_t *start)
{
	const uint8_t *p = c->p, *end = c->end;
	for (;;) {
		if (p >= end)
			return ion_text_truncated(c, start, "block comment");
		if (*p == '*' && p + 1 < end && p[1] == '/') {
			c->p = p + 2;
			return 0;
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		int n = ion_text_utf8_len(p, end);
		if (n < 0)
			return ion_text_truncated(c, start, "block comment");
		if (n == 0)
			return ion_text_fail(c, p, ION_ERR_SYNTAX, "invalid UTF-8 in comment");
		p += n;
	}
}

int ion_text_skip_ws_slow(struct ion_text_cur *c)
{
	for (;;) {
		const uint8_t *p = c->p, *end = c->end;
		while (p < end && (ion_text_class[*p] & ITC_WS))
			p++;
		c->p = p;
		if (p == end || *p != '/')
			return 0;
		if (p + 1 == end)
			return c->at_eof ? 0 : ION_NEED_MORE; /* a comment or not: unknown */
		int rc;
		if (p[1] == '/') {
			c->p = p + 2;
			rc = skip_line(c, p);
		} else if (p[1] == '*') {
			c->p = p + 2;
			rc = skip_block(c, p);
		} else {
			return 0; /* a '/' operator */
		}
		if (rc) {
			c->p = p;
			return rc;
		}
	}
}

int ion_text_check_stop(struct ion_text_cur *c, const char *what)
{
	const uint8_t *p = c->p;
	if (p == c->end)
		return c->at_eof ? 0 : ION_NEED_MORE;
	if (ion_text_class[*p] & ITC_STOP)
		return 0;
	if (*p == '/') {
		if (p + 1 == c->end)
			return c->at_eof ? ion_text_fail(c, p, ION_ERR_SYNTAX,
							 "invalid character '/' after %s", what)
					 : ION_NEED_MORE;
		if (p[1] == '/' || p[1] == '*')
			return 0;
	}
	if (*p >= 0x21 && *p < 0x7f)
		return ion_text_fail(c, p, ION_ERR_SYNTAX, "invalid character '%c' after %s", *p,
				     what);
	return ion_text_fail(c, p, ION_ERR_SYNTAX, "invalid byte 0x%02x after %s", *p, what);
}
