/*
 * json_strict.c - strict JSON (see json_strict.h) in three passes:
 *
 *   1. a validating scan over the bytes: the RFC 8259 grammar, NUL bytes,
 *      escapes (\u0000, lone surrogates), UTF-8, depth, number length and
 *      trailing data. After it, cJSON can only read what the scan read.
 *   2. cJSON_ParseWithLengthOpts builds the tree (no NUL needed at len).
 *   3. a walk over the tree for repeated keys, comparing cJSON's decoded
 *      names with strcmp (exact, since \u0000 was refused). Keys are
 *      numbered in document order, the same order the scan meets them, so
 *      a second scan finds the repeated key's line and column.
 */
#include "common/json_strict.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_KEYS_PAIRWISE 16 /* objects up to this size: pairwise, no allocation */
#define JSON_KEY_SHOWN 40     /* bytes of a repeated key quoted in the message */

struct scan {
	const unsigned char *p;
	size_t n, i;
	size_t keys;	 /* object keys met so far, in document order */
	size_t want_key; /* when nonzero: record where key number want_key starts */
	size_t key_at;
	size_t err_at; /* byte offset of the error */
	char reason[128];
};

/* Record an error at byte offset at; returns false for the callers. */
static bool scan_fail(struct scan *s, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool scan_fail(struct scan *s, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof s->reason, fmt, ap);
	va_end(ap);
	s->err_at = at;
	return false;
}

/* A byte for a message: 'x' when visible ASCII, else byte 0x%02x. */
static const char *byte_name(unsigned char c, char out[16])
{
	if (c > 0x20 && c < 0x7f)
		snprintf(out, 16, "'%c'", c);
	else
		snprintf(out, 16, "byte 0x%02x", c);
	return out;
}

static bool scan_unexpected(struct scan *s, const char *expected)
{
	char b[16];
	if (s->i >= s->n)
		return scan_fail(s, s->i, "unexpected end of input, expected %s", expected);
	if (s->p[s->i] == 0)
		return scan_fail(s, s->i, "NUL byte, expected %s", expected);
	return scan_fail(s, s->i, "unexpected %s, expected %s", byte_name(s->p[s->i], b), expected);
}

static void scan_ws(struct scan *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\n' ||
			       s->p[s->i] == '\r'))
		s->i++;
}

/* Four hex digits at p, or -1. */
static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int k = 0; k < 4; k++) {
		int c = p[k];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* One UTF-8 sequence at s->i (lead byte >= 0x80), by the table of well-formed
 * sequences (Unicode 15, table 3-7): shortest form, no surrogates, at most
 * U+10FFFF. The second byte's range depends on the lead byte. */
static bool scan_utf8(struct scan *s)
{
	static const struct {
		unsigned char lo, hi; /* lead byte range */
		unsigned char len, second_lo, second_hi;
	} SEQ[] = {
		{ 0xC2, 0xDF, 2, 0x80, 0xBF }, { 0xE0, 0xE0, 3, 0xA0, 0xBF },
		{ 0xE1, 0xEC, 3, 0x80, 0xBF }, { 0xED, 0xED, 3, 0x80, 0x9F },
		{ 0xEE, 0xEF, 3, 0x80, 0xBF }, { 0xF0, 0xF0, 4, 0x90, 0xBF },
		{ 0xF1, 0xF3, 4, 0x80, 0xBF }, { 0xF4, 0xF4, 4, 0x80, 0x8F },
	};
	unsigned char c = s->p[s->i];
	for (size_t k = 0; k < sizeof SEQ / sizeof SEQ[0]; k++) {
		if (c < SEQ[k].lo || c > SEQ[k].hi)
			continue;
		for (size_t j = 1; j < SEQ[k].len; j++) {
			size_t at = s->i + j;
			unsigned char lo = j == 1 ? SEQ[k].second_lo : 0x80;
			unsigned char hi = j == 1 ? SEQ[k].second_hi : 0xBF;
			if (at >= s->n)
				return scan_fail(s, s->i, "invalid UTF-8: sequence cut at the end");
			if (s->p[at] < lo || s->p[at] > hi)
				return scan_fail(s, at,
						 "invalid UTF-8: byte 0x%02x after lead 0x%02x",
						 s->p[at], c);
		}
		s->i += SEQ[k].len;
		return true;
	}
	return scan_fail(s, s->i, "invalid UTF-8: byte 0x%02x cannot start a character", c);
}

/* An escape at s->i (the backslash). */
static bool scan_escape(struct scan *s, const char *kind)
{
	size_t at = s->i;
	if (at + 1 >= s->n)
		return scan_fail(s, at, "unterminated %s", kind);
	unsigned char e = s->p[at + 1];
	if (e != 'u') {
		char b[16];
		if (!e || !strchr("\"\\/bfnrt", e))
			return scan_fail(s, at, "invalid escape: backslash then %s",
					 byte_name(e, b));
		s->i += 2;
		return true;
	}
	long u = at + 6 <= s->n ? hex4(s->p + at + 2) : -1;
	if (u < 0)
		return scan_fail(s, at, "invalid \\u escape (needs four hex digits)");
	if (u == 0)
		return scan_fail(s, at, "\\u0000 in a %s: a NUL character is refused", kind);
	if (u >= 0xDC00 && u <= 0xDFFF)
		return scan_fail(s, at, "lone surrogate \\u%04lX in a %s", u, kind);
	if (u >= 0xD800 && u <= 0xDBFF) {
		long lo = at + 12 <= s->n && s->p[at + 6] == '\\' && s->p[at + 7] == 'u'
				  ? hex4(s->p + at + 8)
				  : -1;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return scan_fail(s, at, "lone surrogate \\u%04lX in a %s", u, kind);
		s->i += 6;
	}
	s->i += 6;
	return true;
}

/* A string at s->i (the opening quote); kind is "string" or "key". */
static bool scan_string(struct scan *s, const char *kind)
{
	size_t start = s->i++;
	while (s->i < s->n) {
		unsigned char c = s->p[s->i];
		if (c == '"') {
			s->i++;
			return true;
		}
		if (c == '\\') {
			if (!scan_escape(s, kind))
				return false;
		} else if (c == 0) {
			return scan_fail(s, s->i, "NUL byte in a %s", kind);
		} else if (c < 0x20) {
			return scan_fail(s, s->i, "control byte 0x%02x in a %s (must be escaped)",
					 c, kind);
		} else if (c >= 0x80) {
			if (!scan_utf8(s))
				return false;
		} else {
			s->i++;
		}
	}
	return scan_fail(s, start, "unterminated %s", kind);
}

static bool is_digit(const struct scan *s, size_t i)
{
	return i < s->n && s->p[i] >= '0' && s->p[i] <= '9';
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool scan_number(struct scan *s)
{
	size_t start = s->i, i = s->i;
	if (i < s->n && s->p[i] == '-')
		i++;
	if (!is_digit(s, i)) {
		s->i = i;
		return scan_unexpected(s, "a digit");
	}
	if (s->p[i] == '0')
		i++;
	else
		while (is_digit(s, i))
			i++;
	if (i < s->n && s->p[i] == '.') {
		if (!is_digit(s, ++i)) {
			s->i = i;
			return scan_unexpected(s, "a digit after '.'");
		}
		while (is_digit(s, i))
			i++;
	}
	if (i < s->n && (s->p[i] == 'e' || s->p[i] == 'E')) {
		i++;
		if (i < s->n && (s->p[i] == '+' || s->p[i] == '-'))
			i++;
		if (!is_digit(s, i)) {
			s->i = i;
			return scan_unexpected(s, "a digit in the exponent");
		}
		while (is_digit(s, i))
			i++;
	}
	if (i - start > JSON_STRICT_NUMBER_MAX)
		return scan_fail(s, start, "number longer than %d characters",
				 JSON_STRICT_NUMBER_MAX);
	s->i = i;
	return true;
}

static bool scan_literal(struct scan *s, const char *word)
{
	size_t k = strlen(word);
	for (size_t j = 0; j < k; j++, s->i++)
		if (s->i >= s->n || s->p[s->i] != (unsigned char)word[j]) {
			char want[16];
			snprintf(want, sizeof want, "'%s'", word);
			return scan_unexpected(s, want);
		}
	return true;
}

static bool scan_value(struct scan *s, int depth);

/* An object or array at s->i; depth counts the containers around it. */
static bool scan_container(struct scan *s, int depth)
{
	bool object = s->p[s->i] == '{';
	char close = object ? '}' : ']';
	if (depth >= JSON_STRICT_MAX_DEPTH)
		return scan_fail(s, s->i, "nested deeper than %d (JSON_STRICT_MAX_DEPTH)",
				 JSON_STRICT_MAX_DEPTH);
	s->i++;
	scan_ws(s);
	if (s->i < s->n && s->p[s->i] == close) {
		s->i++;
		return true;
	}
	for (;;) {
		if (object) {
			scan_ws(s);
			if (s->i >= s->n || s->p[s->i] != '"')
				return scan_unexpected(s, "a key string");
			if (++s->keys == s->want_key)
				s->key_at = s->i;
			if (!scan_string(s, "key"))
				return false;
			scan_ws(s);
			if (s->i >= s->n || s->p[s->i] != ':')
				return scan_unexpected(s, "':'");
			s->i++;
		}
		if (!scan_value(s, depth + 1))
			return false;
		scan_ws(s);
		if (s->i < s->n && s->p[s->i] == ',') {
			s->i++;
			continue;
		}
		if (s->i < s->n && s->p[s->i] == close) {
			s->i++;
			return true;
		}
		return scan_unexpected(s, object ? "',' or '}'" : "',' or ']'");
	}
}

static bool scan_value(struct scan *s, int depth)
{
	scan_ws(s);
	if (s->i >= s->n)
		return scan_unexpected(s, "a value");
	switch (s->p[s->i]) {
	case '{':
	case '[':
		return scan_container(s, depth);
	case '"':
		return scan_string(s, "string");
	case 't':
		return scan_literal(s, "true");
	case 'f':
		return scan_literal(s, "false");
	case 'n':
		return scan_literal(s, "null");
	default:
		if (s->p[s->i] == '-' || is_digit(s, s->i))
			return scan_number(s);
		return scan_unexpected(s, "a value");
	}
}

/* The whole input: one value between optional whitespace. */
static bool scan_document(struct scan *s)
{
	if (s->n >= 3 && s->p[0] == 0xEF && s->p[1] == 0xBB && s->p[2] == 0xBF)
		return scan_fail(s, 0, "byte order mark (U+FEFF) before the value");
	if (!scan_value(s, 0))
		return false;
	scan_ws(s);
	if (s->i < s->n) {
		char b[16];
		if (s->p[s->i] == 0)
			return scan_fail(s, s->i, "NUL byte after the value");
		return scan_fail(s, s->i, "trailing data after the value (%s)",
				 byte_name(s->p[s->i], b));
	}
	return true;
}

/* "<what>: line L column C: <reason>" for byte offset at. */
static void scan_message(const struct scan *s, size_t at, const char *what, const char *reason,
			 char *why, size_t cap)
{
	size_t line = 1, line_start = 0;
	for (size_t k = 0; k < at && k < s->n; k++)
		if (s->p[k] == '\n') {
			line++;
			line_start = k + 1;
		}
	snprintf(why, cap, "%s: line %zu column %zu: %s", what, line, at - line_start + 1, reason);
}

struct key_ord {
	const char *name;
	size_t ord; /* number of the key in document order, from 1 */
};

static int key_ord_cmp(const void *a, const void *b)
{
	const struct key_ord *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->ord > y->ord) - (x->ord < y->ord);
}

struct walk {
	size_t ord;	    /* keys numbered so far */
	size_t repeat;	    /* number of the first repeated key found, 0 if none */
	const char *name;   /* its name (borrowed from the tree) */
	bool out_of_memory; /* a large object's sort array could not be allocated */
};

/* Number every key in document order and find, per object, the earliest
 * key whose name an earlier key of the same object has. Pairwise for small
 * objects; sorted for large ones (an untrusted file may hold a million keys
 * in one object). Returns false when one is found or memory ran out. The
 * scan bounded the depth, so the recursion is bounded too. */
static bool walk_keys(struct walk *w, const cJSON *v)
{
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return true;
	if (cJSON_IsArray(v)) {
		for (const cJSON *c = v->child; c; c = c->next)
			if (!walk_keys(w, c))
				return false;
		return true;
	}
	size_t n = 0;
	for (const cJSON *c = v->child; c; c = c->next)
		n++;
	struct key_ord small[JSON_KEYS_PAIRWISE], *k = small;
	if (n > JSON_KEYS_PAIRWISE && !(k = malloc(n * sizeof *k))) {
		w->out_of_memory = true;
		return false;
	}
	bool ok = true;
	size_t i = 0;
	for (const cJSON *c = v->child; c && ok; c = c->next, i++) {
		k[i].name = c->string ? c->string : "";
		k[i].ord = ++w->ord;
		ok = walk_keys(w, c);
	}
	const struct key_ord *rep = NULL;
	if (ok && n <= JSON_KEYS_PAIRWISE) {
		/* the first j with an equal earlier name has the smallest number */
		for (size_t j = 1; j < n && !rep; j++)
			for (size_t a = 0; a < j && !rep; a++)
				if (strcmp(k[a].name, k[j].name) == 0)
					rep = &k[j];
	} else if (ok) {
		/* sorted by name then number: each entry equal to the one before
		 * it is a repeat; keep the one earliest in the document */
		qsort(k, n, sizeof *k, key_ord_cmp);
		for (size_t j = 1; j < n; j++)
			if (strcmp(k[j - 1].name, k[j].name) == 0 && (!rep || k[j].ord < rep->ord))
				rep = &k[j];
	}
	if (rep) {
		w->repeat = rep->ord;
		w->name = rep->name;
		ok = false;
	}
	if (k != small)
		free(k);
	return ok;
}

/* The key for a message: visible ASCII kept, other bytes as '?', cut. */
static void key_printable(const char *name, char *out, size_t cap)
{
	size_t k = 0, len = strlen(name);
	for (; k < len && k + 4 < cap && k < JSON_KEY_SHOWN; k++)
		out[k] = (unsigned char)name[k] >= 0x20 && (unsigned char)name[k] < 0x7f ? name[k]
											 : '?';
	if (k < len) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

cJSON *json_strict_parse(const char *buf, size_t len, const char *what, char *why, size_t cap)
{
	char spare[1];
	if (!why || cap == 0) {
		why = spare;
		cap = sizeof spare;
	}
	if (!what)
		what = "JSON";
	struct scan s = { .p = (const unsigned char *)buf, .n = buf ? len : 0 };
	scan_ws(&s);
	if (s.i == s.n) {
		snprintf(why, cap, "%s: empty input", what);
		return NULL;
	}
	s.i = 0;
	if (!scan_document(&s)) {
		scan_message(&s, s.err_at, what, s.reason, why, cap);
		return NULL;
	}
	/* the scan read exactly one value, so cJSON reads exactly it; a NULL
	 * here can only be an allocation failure */
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!root) {
		snprintf(why, cap, "%s: out of memory building the JSON tree", what);
		return NULL;
	}
	struct walk w = { 0 };
	if (walk_keys(&w, root))
		return root;
	if (w.out_of_memory) {
		snprintf(why, cap, "%s: out of memory checking for repeated keys", what);
	} else {
		/* scan again, this time noting where key number w.repeat starts */
		struct scan again = { .p = s.p, .n = s.n, .want_key = w.repeat };
		scan_document(&again);
		char key[JSON_KEY_SHOWN + 4], reason[sizeof key + 64];
		key_printable(w.name, key, sizeof key);
		snprintf(reason, sizeof reason, "duplicate key \"%s\" (a reader may take either)",
			 key);
		scan_message(&again, again.key_at, what, reason, why, cap);
	}
	cJSON_Delete(root);
	return NULL;
}

const char *json_type_name(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "object";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsNumber(v))
		return "number";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNull(v))
		return "null";
	return "nothing";
}
