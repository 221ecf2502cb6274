/*
 * ion_reader.c - the Ion reader facade of ion.h: detects binary or text,
 * transcodes UTF-16/UTF-32 text to UTF-8, feeds a whole borrowed buffer or
 * a pull source to the parser of ion_internal.h one top-level value at a
 * time, and turns parser error offsets into absolute offsets and (for text)
 * line:column.
 *
 * Detection: input whose first byte is 0xE0 is binary (a valid binary
 * stream starts with the version marker E0 01 00 EA, and no valid Ion text
 * starts with that byte, so a bad marker gets a binary error naming it).
 * Anything else is text: a UTF-8 BOM is skipped; a UTF-32 or UTF-16 BOM
 * (LE or BE), or without a BOM zero bytes next to the first (ASCII)
 * character, make the reader transcode the input to UTF-8 (validating
 * surrogates and ranges). Offsets of transcoded input count bytes of its
 * UTF-8 form; errors in the encoding itself give the raw byte offset.
 *
 * Source mode: the reader owns a window buffer (RD_BUF_START bytes, grown
 * by doubling up to RD_BUF_MAX). The parser runs with at_eof=false; on
 * ION_NEED_MORE the consumed prefix is shifted out (values handed out by an
 * earlier call are dead by then: they live only until the next call), more
 * is read and the parse retried once the unparsed bytes have doubled (or at
 * end of source, or with the window full), so re-parsing a long value costs
 * O(n) overall. A value that does not fit in RD_BUF_MAX is an error.
 *
 * Line and column (text): lines end at LF; the column is 1-based and counts
 * characters (Unicode code points), not bytes. Lines of bytes shifted out
 * of the window are counted when they are shifted, so errors stay cheap.
 *
 * Errors are sticky: after one, every call returns the same error.
 * Ownership: the reader owns its arena, symbol table and window; values it
 * returns are borrowed until the next ion_reader_next or ion_reader_free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ion_internal.h"

#define RD_BUF_START (64u * 1024)
/* Room for one maximal value plus what may sit before it in the window. */
#define RD_BUF_SLACK (64u * 1024)
#define RD_BUF_MAX (ION_MAX_VALUE_BYTES + RD_BUF_SLACK)
/* Raw bytes read per call when transcoding UTF-16/32 through a bounce buffer. */
#define RD_XCODE_CHUNK (16u * 1024)

enum rd_enc { RD_UTF8, RD_UTF16LE, RD_UTF16BE, RD_UTF32LE, RD_UTF32BE };

static const char *const ENC_NAMES[] = { "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE" };

/* Incremental UTF-16/32 -> UTF-8 state. */
struct rd_xcode {
	enum rd_enc enc;
	uint32_t hi;	 /* pending high surrogate, 0 if none */
	size_t raw_off;	 /* absolute raw offset of the next unit */
	uint8_t pend[4]; /* bytes of an incomplete code unit */
	size_t npend;
};

struct ion_reader {
	/* window: data[0..len) holds the input from absolute offset base */
	const uint8_t *data;
	size_t len, pos, base;
	uint8_t *own; /* owned window (source mode, or transcoded buffer input) */
	size_t cap;
	ion_source_fn fn; /* NULL in buffer mode */
	void *ctx;
	bool src_eof;
	struct rd_xcode xc;
	/* An encoding error ends the usable text: the valid text before it is
	 * parsed first (so errors come in input order, whatever the read
	 * sizes), and xerr is reported when the parser needs more. */
	bool xbad;
	struct ion_error xerr;
	bool binary, done;
	struct ion_arena *arena;
	struct ion_symtab *st;
	int status; /* sticky error, 0 if none */
	struct ion_error err;
	/* text position of data[scan] (scan <= pos) */
	size_t scan, line, col;
};

/* Detect the input kind from its first bytes: binary, or text with the
 * encoding of its BOM; *bom gets the BOM length. */
static bool rd_detect(const uint8_t *p, size_t n, enum rd_enc *enc, size_t *bom)
{
	*enc = RD_UTF8;
	*bom = 0;
	if (n >= 1 && p[0] == 0xE0)
		return true;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		*bom = 3;
	else if (n >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0)
		*enc = RD_UTF32LE, *bom = 4;
	else if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)
		*enc = RD_UTF32BE, *bom = 4;
	else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		*enc = RD_UTF16LE, *bom = 2;
	else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		*enc = RD_UTF16BE, *bom = 2;
	/* No BOM: Ion text starts with an ASCII character and never with NUL,
	 * so zero bytes around the first one give the encoding away (as in
	 * RFC 4627 section 3; ion-tests good/utf16.ion and utf32.ion). */
	else if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] != 0)
		*enc = RD_UTF32BE;
	else if (n >= 4 && p[0] != 0 && p[1] == 0 && p[2] == 0 && p[3] == 0)
		*enc = RD_UTF32LE;
	else if (n >= 2 && p[0] == 0 && p[1] != 0)
		*enc = RD_UTF16BE;
	else if (n >= 2 && p[0] != 0 && p[1] == 0)
		*enc = RD_UTF16LE;
	return false;
}

static int rd_xfail(struct rd_xcode *x, size_t at, struct ion_error *e, const char *what)
{
	ion_error_set(e, ION_ERR_SYNTAX, "invalid %s text: %s", ENC_NAMES[x->enc], what);
	e->line = e->column = 0;
	e->offset = at;
	return ION_ERR_SYNTAX;
}

static size_t rd_put_utf8(uint8_t *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (uint8_t)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (uint8_t)(0xC0 | c >> 6);
		o[1] = (uint8_t)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (uint8_t)(0xE0 | c >> 12);
		o[1] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
		o[2] = (uint8_t)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (uint8_t)(0xF0 | c >> 18);
	o[1] = (uint8_t)(0x80 | (c >> 12 & 0x3F));
	o[2] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
	o[3] = (uint8_t)(0x80 | (c & 0x3F));
	return 4;
}

/* Transcode the whole code units of in[0..n) to UTF-8 at out (room for
 * RD_XCODE_OUT(n) bytes); an incomplete trailing unit is kept in x->pend
 * for the next call. final: no more input follows. On an encoding error
 * *out_len still gets the length of the valid text before it. */
#define RD_XCODE_OUT(n) ((n) / 2 * 3 + 8)
static int rd_xcode(struct rd_xcode *x, const uint8_t *in, size_t n, bool final, uint8_t *out,
		    size_t *out_len, struct ion_error *e)
{
	size_t unit = x->enc == RD_UTF16LE || x->enc == RD_UTF16BE ? 2 : 4;
	bool le = x->enc == RD_UTF16LE || x->enc == RD_UTF32LE;
	size_t o = 0, i = 0;
	uint8_t u[4];
	*out_len = 0;
	while (true) {
		/* next unit: pending bytes first, then input */
		if (x->npend + (n - i) < unit)
			break;
		size_t k = 0;
		for (; k < x->npend; k++)
			u[k] = x->pend[k];
		for (; k < unit; k++)
			u[k] = in[i++];
		x->npend = 0;
		uint32_t c;
		if (unit == 2)
			c = le ? (uint32_t)u[0] | (uint32_t)u[1] << 8 : (uint32_t)u[0] << 8 | u[1];
		else
			c = le ? (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
					    (uint32_t)u[3] << 24
			       : (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 |
					    u[3];
		size_t at = x->raw_off;
		x->raw_off += unit;
		if (unit == 2) {
			if (x->hi) {
				if (c < 0xDC00 || c > 0xDFFF) {
					*out_len = o;
					return rd_xfail(x, at - 2, e, "unpaired high surrogate");
				}
				c = 0x10000 + ((x->hi - 0xD800) << 10) + (c - 0xDC00);
				x->hi = 0;
			} else if (c >= 0xD800 && c <= 0xDBFF) {
				x->hi = c;
				continue;
			} else if (c >= 0xDC00 && c <= 0xDFFF) {
				*out_len = o;
				return rd_xfail(x, at, e, "unpaired low surrogate");
			}
		} else if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
			*out_len = o;
			return rd_xfail(x, at, e, "code point out of range");
		}
		o += rd_put_utf8(out + o, c);
	}
	*out_len = o;
	for (; i < n; i++)
		x->pend[x->npend++] = in[i];
	if (final && (x->npend || x->hi))
		return rd_xfail(x, x->raw_off, e,
				x->hi ? "input ends after a high surrogate"
				      : "input ends inside a code unit");
	return 0;
}

/* Count lines and columns over data[from..to). */
static void rd_track(const uint8_t *p, size_t n, size_t *line, size_t *col)
{
	const uint8_t *end = p + n, *q;
	while ((q = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		(*line)++;
		*col = 0;
		p = q + 1;
	}
	for (; p < end; p++)
		*col += (*p & 0xC0) != 0x80;
}

/* Record err (an error at relative window offset e->offset unless it is
 * already absolute) as the sticky error and copy it out. */
static int rd_fail(struct ion_reader *r, int rc, struct ion_error *e, bool relative,
		   struct ion_error *err)
{
	e->code = rc;
	if (relative) {
		size_t off = e->offset > r->len ? r->len : e->offset;
		e->offset = r->base + off;
		e->line = e->column = 0;
		if (!r->binary) {
			size_t line = r->line, col = r->col;
			if (off > r->scan)
				rd_track(r->data + r->scan, off - r->scan, &line, &col);
			e->line = line;
			e->column = col + 1;
		}
	}
	r->status = rc;
	r->err = *e;
	if (err)
		*err = *e;
	return rc;
}

static struct ion_reader *rd_new(void)
{
	struct ion_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->arena = ion_arena_new();
	r->st = ion_symtab_new();
	if (!r->arena || !r->st) {
		ion_arena_free(r->arena);
		ion_symtab_free(r->st);
		free(r);
		return NULL;
	}
	r->line = 1;
	return r;
}

struct ion_reader *ion_reader_open_buffer(const uint8_t *buf, size_t len)
{
	struct ion_reader *r = rd_new();
	if (!r)
		return NULL;
	size_t bom;
	r->binary = rd_detect(buf, len, &r->xc.enc, &bom);
	r->data = buf;
	r->len = len;
	r->pos = r->scan = bom;
	if (r->xc.enc != RD_UTF8) {
		/* whole input to UTF-8 now; offsets then count UTF-8 bytes */
		r->xc.raw_off = bom;
		r->cap = RD_XCODE_OUT(len);
		r->own = malloc(r->cap);
		struct ion_error e = { 0 };
		size_t n = 0;
		if (!r->own) {
			ion_error_set(&e, ION_ERR_NOMEM, "out of memory transcoding %zu bytes",
				      len);
			rd_fail(r, ION_ERR_NOMEM, &e, false, NULL);
		} else if (rd_xcode(&r->xc, buf + bom, len - bom, true, r->own, &n, &e) != 0) {
			r->xbad = true;
			r->xerr = e;
		}
		r->data = r->own;
		r->len = n;
		r->pos = r->scan = 0;
	}
	return r;
}

/* Make room for at least one more byte in the window (grow by doubling up
 * to RD_BUF_MAX). Returns 0 or a status with e filled. */
static int rd_room(struct ion_reader *r, size_t need, struct ion_error *e)
{
	if (r->cap - r->len >= need)
		return 0;
	if (r->len + need > RD_BUF_MAX) {
		ion_error_set(e, ION_ERR_LIMIT, "value exceeds %u bytes", ION_MAX_VALUE_BYTES);
		e->offset = r->pos;
		return ION_ERR_LIMIT;
	}
	size_t cap = r->cap ? r->cap : RD_BUF_START;
	while (cap - r->len < need)
		cap *= 2;
	if (cap > RD_BUF_MAX)
		cap = RD_BUF_MAX;
	uint8_t *p = realloc(r->own, cap);
	if (!p) {
		ion_error_set(e, ION_ERR_NOMEM,
			      "out of memory growing the input window to %zu bytes", cap);
		e->offset = r->pos;
		return ION_ERR_NOMEM;
	}
	r->own = p;
	r->data = p;
	r->cap = cap;
	return 0;
}

/* One call of the source into dst; sets src_eof at its end. Returns the
 * bytes read, or -1 with e set (ION_ERR_IO, at a relative offset). */
static ssize_t rd_pull(struct ion_reader *r, uint8_t *dst, size_t cap, struct ion_error *e)
{
	ssize_t n = r->fn(r->ctx, dst, cap);
	if (n < 0) {
		ion_error_set(e, ION_ERR_IO, "read error from the input source");
		e->offset = r->len;
		return -1;
	}
	if (n == 0)
		r->src_eof = true;
	return n;
}

/* One read from the source into the window (through the transcoder if the
 * text is UTF-16/32). Sets src_eof at end, xbad on an encoding error.
 * Returns 0 or a status; errors carry a relative offset. */
static int rd_read(struct ion_reader *r, struct ion_error *e)
{
	if (r->xc.enc == RD_UTF8) {
		int rc = rd_room(r, 1, e);
		if (rc)
			return rc;
		ssize_t n = rd_pull(r, r->own + r->len, r->cap - r->len, e);
		if (n < 0)
			return ION_ERR_IO;
		r->len += (size_t)n;
		return 0;
	}
	uint8_t raw[RD_XCODE_CHUNK];
	int rc = rd_room(r, RD_XCODE_OUT(sizeof raw + 4), e);
	if (rc)
		return rc;
	ssize_t n = rd_pull(r, raw, sizeof raw, e);
	if (n < 0)
		return ION_ERR_IO;
	size_t out = 0;
	rc = rd_xcode(&r->xc, raw, (size_t)n, n == 0, r->own + r->len, &out, e);
	r->len += out;
	if (rc) {
		r->xbad = true;
		r->xerr = *e;
	}
	return 0;
}

struct ion_reader *ion_reader_open_source(ion_source_fn fn, void *ctx)
{
	struct ion_reader *r = rd_new();
	if (!r)
		return NULL;
	r->fn = fn;
	r->ctx = ctx;
	struct ion_error e = { 0 };
	/* Up to 4 bytes tell binary from text and name the encoding. */
	while (r->len < 4 && !r->src_eof) {
		int rc = rd_read(r, &e);
		if (rc) {
			rd_fail(r, rc, &e, false, NULL);
			return r;
		}
	}
	size_t bom;
	r->binary = rd_detect(r->data, r->len, &r->xc.enc, &bom);
	r->pos = r->scan = bom;
	if (r->xc.enc != RD_UTF8) {
		/* what was read raw goes through the transcoder */
		size_t n = r->len - bom;
		uint8_t *head = malloc(n ? n : 1);
		if (!head) {
			ion_error_set(&e, ION_ERR_NOMEM, "out of memory");
			rd_fail(r, ION_ERR_NOMEM, &e, false, NULL);
			return r;
		}
		memcpy(head, r->own + bom, n);
		r->len = r->pos = r->scan = 0;
		r->xc.raw_off = bom;
		size_t out = 0;
		int rc = rd_room(r, RD_XCODE_OUT(n), &e);
		if (rc) {
			free(head);
			rd_fail(r, rc, &e, true, NULL);
			return r;
		}
		if (rd_xcode(&r->xc, head, n, r->src_eof, r->own, &out, &e) != 0) {
			r->xbad = true;
			r->xerr = e;
		}
		free(head);
		r->len = out;
	}
	return r;
}

void ion_reader_free(struct ion_reader *r)
{
	if (!r)
		return;
	ion_arena_free(r->arena);
	ion_symtab_free(r->st);
	free(r->own);
	free(r);
}

bool ion_reader_is_binary(const struct ion_reader *r)
{
	return r->binary;
}

size_t ion_reader_offset(const struct ion_reader *r)
{
	return r->base + r->pos;
}

/* After ION_NEED_MORE: drop the consumed prefix, then read until the
 * unparsed bytes have doubled, the window is full or the source ends. */
static int rd_more(struct ion_reader *r, struct ion_error *e)
{
	size_t drop = r->pos;
	if (drop) {
		if (!r->binary) {
			if (r->scan < drop) {
				rd_track(r->data + r->scan, drop - r->scan, &r->line, &r->col);
				r->scan = drop;
			}
			r->scan -= drop;
		}
		memmove(r->own, r->own + drop, r->len - drop);
		r->base += drop;
		r->len -= drop;
		r->pos -= drop;
	}
	size_t target = r->len ? r->len * 2 : 1;
	if (target > RD_BUF_MAX)
		target = RD_BUF_MAX;
	if (r->len >= RD_BUF_MAX) {
		ion_error_set(e, ION_ERR_LIMIT, "value exceeds %u bytes", ION_MAX_VALUE_BYTES);
		e->offset = r->pos;
		return ION_ERR_LIMIT;
	}
	while (r->len < target && !r->src_eof && !r->xbad) {
		int rc = rd_read(r, e);
		if (rc)
			return rc;
	}
	return 0;
}

void ion_reader_set_arena_limit(struct ion_reader *r, size_t bytes)
{
	ion_arena_set_limit(r->arena, bytes);
}

/* An allocation refused for the arena budget is a named limit, not "out of
 * memory": rewrite the error so the message says which limit. */
static int rd_budget(const struct ion_arena *a, int rc, struct ion_error *e)
{
	if (rc != ION_ERR_NOMEM || !ion_arena_over_limit(a))
		return rc;
	size_t limit = ion_arena_limit(a);
	return ion_error_set(e, ION_ERR_LIMIT,
			     "the value needs more than %zu %s of memory (ION_MAX_ARENA_BYTES)",
			     limit >= (1u << 20) ? limit >> 20 : limit,
			     limit >= (1u << 20) ? "MiB" : "bytes");
}

int ion_reader_next(struct ion_reader *r, const struct ion_value **out, struct ion_error *err)
{
	if (r->status) {
		if (err)
			*err = r->err;
		return r->status;
	}
	if (r->done)
		return 0;
	for (;;) {
		ion_arena_reset(r->arena);
		struct ion_value *v = NULL;
		struct ion_error e = { 0 };
		bool eof = (!r->fn || r->src_eof) && !r->xbad;
		int rc = r->binary ? ion_binary_next(r->data, r->len, &r->pos, eof, r->arena, r->st,
						     &v, &e)
				   : ion_text_next(r->data, r->len, &r->pos, eof, r->arena, r->st,
						   &v, &e);
		if (rc == 1) {
			*out = v;
			return 1;
		}
		if (rc == 0) {
			r->done = true;
			return 0;
		}
		if (rc == ION_NEED_MORE) {
			if (r->xbad)
				return rd_fail(r, r->xerr.code, &r->xerr, false, err);
			if (eof) {
				ion_error_set(&e, ION_ERR_SYNTAX, "unexpected end of input");
				e.offset = r->len;
				return rd_fail(r, ION_ERR_SYNTAX, &e, true, err);
			}
			rc = rd_more(r, &e);
			if (rc == 0)
				continue;
			return rd_fail(r, rc, &e, true, err);
		}
		rc = rd_budget(r->arena, rc, &e);
		return rd_fail(r, rc, &e, true, err);
	}
}

/* Copy symbol text that lives in the symbol table (local symbols) into the
 * arena, so the value outlives the table. System symbols are static. */
static int rd_own_symbol(struct ion_arena *a, struct ion_symbol *s)
{
	if (!s->text || s->sid <= 9 || s->len == 0)
		return 0;
	char *t = ion_arena_alloc(a, s->len);
	if (!t)
		return ION_ERR_NOMEM;
	memcpy(t, s->text, s->len);
	s->text = t;
	return 0;
}

static int rd_own_symbols(struct ion_arena *a, struct ion_value *v)
{
	for (; v; v = v->next) {
		int rc = rd_own_symbol(a, &v->field_name);
		for (uint16_t i = 0; !rc && i < v->n_annotations; i++)
			rc = rd_own_symbol(a, (struct ion_symbol *)&v->annotations[i]);
		if (!rc && v->type == ION_TYPE_SYMBOL && !v->is_null)
			rc = rd_own_symbol(a, &v->u.sym);
		if (!rc && !v->is_null &&
		    (v->type == ION_TYPE_LIST || v->type == ION_TYPE_SEXP ||
		     v->type == ION_TYPE_STRUCT))
			rc = rd_own_symbols(a, v->u.c.first_child);
		if (rc)
			return rc;
	}
	return 0;
}

/* Set line:column of a text error at offset off of data (already known to
 * lie within it). */
static void rd_text_pos(const uint8_t *data, size_t scan, size_t off, struct ion_error *e)
{
	size_t line = 1, col = 0;
	if (off > scan)
		rd_track(data + scan, off - scan, &line, &col);
	e->line = line;
	e->column = col + 1;
	e->offset = off;
}

int ion_parse_one(const uint8_t *buf, size_t len, struct ion_arena *a, const struct ion_value **out,
		  struct ion_error *err)
{
	struct ion_error e = { 0 };
	enum rd_enc enc;
	size_t pos;
	bool binary = rd_detect(buf, len, &enc, &pos);
	const uint8_t *data = buf;
	bool xbad = false; /* text ends at an encoding error, reported in ex */
	struct ion_error ex = { 0 };
	if (enc != RD_UTF8) {
		struct rd_xcode x = { .enc = enc, .raw_off = pos };
		uint8_t *t = ion_arena_alloc(a, RD_XCODE_OUT(len));
		if (!t)
			return ion_error_set(err, ION_ERR_NOMEM, "out of memory");
		size_t n = 0;
		xbad = rd_xcode(&x, buf + pos, len - pos, true, t, &n, &ex) != 0;
		data = t;
		len = n;
		pos = 0;
	}
	size_t scan = pos;
	struct ion_symtab *st = ion_symtab_new();
	if (!st)
		return ion_error_set(err, ION_ERR_NOMEM, "out of memory");
	struct ion_value *v = NULL, *extra = NULL;
	int rc = binary ? ion_binary_next(data, len, &pos, !xbad, a, st, &v, &e)
			: ion_text_next(data, len, &pos, !xbad, a, st, &v, &e);
	if (rc == 0) {
		ion_error_set(&e, ION_ERR_SYNTAX, "no value in the input");
		e.offset = pos;
		rc = ION_ERR_SYNTAX;
	} else if (rc == 1) {
		/* before the next parse: a later symbol table may free this text */
		rc = rd_own_symbols(a, v);
		if (rc) {
			ion_error_set(&e, rc, "out of memory");
			e.offset = pos;
		} else {
			size_t at = pos;
			rc = binary ? ion_binary_next(data, len, &pos, !xbad, a, st, &extra, &e)
				    : ion_text_next(data, len, &pos, !xbad, a, st, &extra, &e);
			if (rc == 1) {
				ion_error_set(&e, ION_ERR_SYNTAX,
					      "more than one value in the input");
				e.offset = at;
				rc = ION_ERR_SYNTAX;
			}
		}
	}
	if (rc == ION_NEED_MORE && xbad) {
		ion_symtab_free(st);
		if (err)
			*err = ex;
		return ex.code;
	}
	if (rc == ION_NEED_MORE) {
		ion_error_set(&e, ION_ERR_SYNTAX, "unexpected end of input");
		e.offset = len;
		rc = ION_ERR_SYNTAX;
	}
	ion_symtab_free(st);
	if (rc < 0) {
		rc = rd_budget(a, rc, &e);
		e.code = rc;
		e.line = e.column = 0;
		if (e.offset > len)
			e.offset = len;
		if (!binary)
			rd_text_pos(data, scan, e.offset, &e);
		if (err)
			*err = e;
		return rc;
	}
	*out = v;
	return 0;
}

int ion_parse_one_alloc(const uint8_t *buf, size_t len, const char *what, struct ion_arena **a,
			const struct ion_value **out, char *why, size_t cap)
{
	struct ion_error err = { 0 };
	if (!(*a = ion_arena_new())) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	if (ion_parse_one(buf, len, *a, out, &err) != 0) {
		char m[ION_ERROR_FORMAT_MAX];
		ion_error_format(&err, m, sizeof m);
		snprintf(why, cap, "%s%s%s", what ? what : "", what ? ": " : "", m);
		return -1;
	}
	return 0;
}
