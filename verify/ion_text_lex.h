/*
 * ion_text_lex.h - shared state of the Ion 1.0 text parser: the cursor, the
 * character-class table and the small helpers every part uses. The parser is
 * split by concern:
 *   ion_text.c      ion_text_next(): values, annotations, containers and
 *                   system values (version markers, local symbol tables)
 *   ion_text_lex.c  character classes, whitespace and comments, UTF-8
 *   ion_text_num.c  ints, decimals, floats and timestamps
 *   ion_text_str.c  strings, quoted symbols, long strings, blobs and clobs
 * Internal to verify/. Everything a parser part builds lives in the cursor's
 * arena or points into the caller's buffer.
 *
 * Return convention of every ion_text_* function below: 0 on success,
 * ION_NEED_MORE when the buffer ended where more input could still arrive
 * (only when !at_eof), or a negative enum ion_status with the error filled.
 */
#ifndef QLDBTOP_VERIFY_ION_TEXT_LEX_H
#define QLDBTOP_VERIFY_ION_TEXT_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ion_internal.h"

struct ion_text_cur {
	const uint8_t *buf; /* start of the caller's buffer: error offsets */
	const uint8_t *p;   /* next byte to read */
	const uint8_t *end; /* one past the last byte available */
	bool at_eof;	    /* no bytes will follow end */
	struct ion_arena *arena;
	struct ion_symtab *st;
	struct ion_error *err;
	int depth; /* open containers, at most ION_MAX_DEPTH */
	/* small allocations are carved from slabs taken from the arena, so the
	 * hot path is a pointer bump instead of a call per node */
	uint8_t *slab, *slab_end;
	size_t slab_next; /* size of the next slab: grows from 512 to 16 KB */
};

/* Character classes (bits of ion_text_class[]). */
enum {
	ITC_WS = 1,	  /* space \t \n \r \v \f */
	ITC_STOP = 2,	  /* numeric stop: {}[](),"' and whitespace */
	ITC_ID = 4,	  /* [A-Za-z0-9_$] */
	ITC_IDSTART = 8,  /* [A-Za-z_$] */
	ITC_OP = 16,	  /* sexp operator characters !#%&*+-./;<=>?@^`|~ */
	ITC_DIGIT = 32,	  /* [0-9] */
	ITC_PLAIN = 64,	  /* copied as-is in quoted text: 0x20..0x7f but ' " \ */
	ITC_NUMTOK = 128, /* may appear in a number or timestamp: [0-9A-Za-z_.:+-] */
};
extern const uint8_t ion_text_class[256];

static inline bool ion_text_is(uint8_t ch, unsigned cls)
{
	return (ion_text_class[ch] & cls) != 0;
}

/* Fill the error with the byte offset of at (line/column stay 0: the reader
 * facade derives them from the offset). Returns code. */
int ion_text_fail(struct ion_text_cur *c, const uint8_t *at, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The input ended inside what started at at: ION_NEED_MORE, or at end of
 * input the error "unterminated <what>". */
int ion_text_truncated(struct ion_text_cur *c, const uint8_t *at, const char *what);
/* Arena allocation (8-byte aligned, never NULL for n == 0) that reports
 * ION_ERR_NOMEM through *rc. */
void *ion_text_alloc_slow(struct ion_text_cur *c, size_t n, int *rc);

static inline void *ion_text_alloc(struct ion_text_cur *c, size_t n, int *rc)
{
	n = n ? (n + 7) & ~(size_t)7 : 8;
	if ((size_t)(c->slab_end - c->slab) >= n) {
		void *p = c->slab;
		c->slab += n;
		return p;
	}
	return ion_text_alloc_slow(c, n, rc);
}

/* Skip whitespace and comments (slow path: comments). */
int ion_text_skip_ws_slow(struct ion_text_cur *c);

/* Skip whitespace and comments; c->p ends at the next token or at end. A '/'
 * that does not start a comment is left in place (an operator in a sexp). */
static inline int ion_text_skip_ws(struct ion_text_cur *c)
{
	const uint8_t *p = c->p, *end = c->end;
	while (p < end && (ion_text_class[*p] & ITC_WS))
		p++;
	c->p = p;
	if (p < end && *p == '/')
		return ion_text_skip_ws_slow(c);
	return 0;
}

/* Length of the valid UTF-8 sequence at p (2..4), 0 if invalid (overlong,
 * surrogate, beyond U+10FFFF, bad continuation), -1 if it is cut by end. */
int ion_text_utf8_len(const uint8_t *p, const uint8_t *end);

/* Check what follows a number, timestamp or special float at c->p: end of
 * input, a numeric stop character or a comment. */
int ion_text_check_stop(struct ion_text_cur *c, const char *what);

/* Parsers of one token each, starting at c->p and leaving c->p just past it.
 * Numbers: c->p is at a digit or at '-' followed by a digit; fills v's type
 * and payload (int, decimal, float or timestamp). */
int ion_text_read_number(struct ion_text_cur *c, struct ion_value *v);
/* "…" (quote '"') or '…' (quote '\''): decoded UTF-8 text. */
int ion_text_read_quoted(struct ion_text_cur *c, uint8_t quote, const uint8_t **data, size_t *len);
/* One or more long strings '''…''' joined across whitespace and comments. */
int ion_text_read_long(struct ion_text_cur *c, const uint8_t **data, size_t *len);
/* Blob {{base64}} or clob {{"…"}} / {{'''…'''}}: sets type and bytes. */
int ion_text_read_lob(struct ion_text_cur *c, struct ion_value *v);

#endif
