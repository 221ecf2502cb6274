/*
 * ion_text.c - the Ion 1.0 text parser: ion_text_next() (contract in
 * ion_internal.h). Recursive descent over one top-level value at a time:
 * annotations, symbols (identifiers, quoted, $N, sexp operators), keywords
 * and typed nulls, lists, sexps and structs, plus the system values handled
 * here and never returned: the version marker $ion_1_0 (resets the symbol
 * table), other $ion_X_Y markers (errors), no-op $ion_1_0 symbols and local
 * symbol tables. Numbers live in ion_text_num.c, quoted text and lobs in
 * ion_text_str.c, the character classes in ion_text_lex.c.
 *
 * Streaming: when the buffer ends inside a value, or a token touches the end
 * and might continue, the parse is abandoned with ION_NEED_MORE and *pos
 * stays before the value; the caller appends bytes and calls again. Nodes
 * allocated by an abandoned attempt stay in the arena until it is reset.
 */
#include <math.h>
#include <string.h>

#include "ion_text_lex.h"

enum ctx { CTX_TOP, CTX_LIST, CTX_SEXP, CTX_STRUCT };

enum keyword { KW_NONE, KW_NULL, KW_TRUE, KW_FALSE, KW_NAN };

struct word {
	const char *text;
	size_t len;
	int value;
};
#define WORD(text, value)                                                                          \
	{                                                                                          \
		text, sizeof text - 1, value                                                       \
	}

static const struct word KEYWORDS[] = {
	WORD("null", KW_NULL),
	WORD("true", KW_TRUE),
	WORD("false", KW_FALSE),
	WORD("nan", KW_NAN),
};

/* The 13 typed nulls: null.<type>. */
static const struct word NULL_TYPES[] = {
	WORD("null", ION_TYPE_NULL),	   WORD("bool", ION_TYPE_BOOL),
	WORD("int", ION_TYPE_INT),	   WORD("float", ION_TYPE_FLOAT),
	WORD("decimal", ION_TYPE_DECIMAL), WORD("timestamp", ION_TYPE_TIMESTAMP),
	WORD("symbol", ION_TYPE_SYMBOL),   WORD("string", ION_TYPE_STRING),
	WORD("clob", ION_TYPE_CLOB),	   WORD("blob", ION_TYPE_BLOB),
	WORD("list", ION_TYPE_LIST),	   WORD("sexp", ION_TYPE_SEXP),
	WORD("struct", ION_TYPE_STRUCT),
};

static int word_find(const struct word *w, size_t n, const uint8_t *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].len == len && memcmp(w[i].text, s, len) == 0)
			return (int)i;
	return -1;
}

/* Keyword of an identifier; cheap rejection first (identifiers are hot). */
static int keyword_of(const uint8_t *s, size_t len)
{
	if (len < 3 || len > 5 || (s[0] != 'n' && s[0] != 't' && s[0] != 'f'))
		return KW_NONE;
	int i = word_find(KEYWORDS, sizeof KEYWORDS / sizeof KEYWORDS[0], s, len);
	return i < 0 ? KW_NONE : KEYWORDS[i].value;
}

static int fail_unexpected(struct ion_text_cur *c, const uint8_t *p, const char *where)
{
	if (*p > 0x20 && *p < 0x7f)
		return ion_text_fail(c, p, ION_ERR_SYNTAX, "unexpected '%c' %s", *p, where);
	return ion_text_fail(c, p, ION_ERR_SYNTAX, "unexpected byte 0x%02x %s", *p, where);
}

static struct ion_value *new_value(struct ion_text_cur *c, int *rc)
{
	/* copying a zero constant compiles to a few vector stores, where
	 * memset became a slow "rep stos" for this size */
	static const struct ion_value ZERO;
	struct ion_value *v = ion_text_alloc(c, sizeof *v, rc);
	if (v)
		*v = ZERO;
	return v;
}

/* End of the identifier starting at c->p; NULL with *rc = ION_NEED_MORE
 * when it touches the end of a buffer that may grow. */
static const uint8_t *ident_end(struct ion_text_cur *c, int *rc)
{
	const uint8_t *q = c->p + 1, *end = c->end;
	while (q < end && (ion_text_class[*q] & ITC_ID))
		q++;
	if (q == end && !c->at_eof) {
		*rc = ION_NEED_MORE;
		return NULL;
	}
	return q;
}

/* $<digits>: resolve through the symbol table. */
static bool is_sid_literal(const uint8_t *s, size_t len)
{
	if (len < 2 || s[0] != '$')
		return false;
	for (size_t i = 1; i < len; i++)
		if (!(ion_text_class[s[i]] & ITC_DIGIT))
			return false;
	return true;
}

static int resolve_sid(struct ion_text_cur *c, const uint8_t *s, size_t len, struct ion_symbol *out)
{
	uint64_t sid = 0;
	for (size_t i = 1; i < len; i++) {
		sid = sid * 10 + (uint64_t)(s[i] - '0');
		if (sid > UINT32_MAX)
			break;
	}
	if (sid > UINT32_MAX || ion_symtab_lookup(c->st, (uint32_t)sid, out) != 0)
		return ion_text_fail(
			c, s, ION_ERR_SYMBOL, "symbol %.*s is not in the symbol table (max id %u)",
			(int)(len > 24 ? 24 : len), (const char *)s, ion_symtab_max_id(c->st));
	return 0;
}

/*
 * A symbol token that may turn out to be an annotation: identifier, keyword,
 * $N or quoted symbol. Long strings and typed nulls are not symbols and are
 * reported through t->kind so the caller handles them.
 */
enum symtok { TOK_IDENT, TOK_SID, TOK_QUOTED, TOK_KEYWORD, TOK_TYPED_NULL, TOK_LONG };

struct token {
	enum symtok kind;
	int keyword; /* TOK_KEYWORD */
	int type;    /* TOK_TYPED_NULL */
	const uint8_t *start;
	struct ion_symbol sym;
};

static int read_symbol_token(struct ion_text_cur *c, struct token *t)
{
	const uint8_t *p = c->p, *end = c->end;
	int rc = 0;
	t->start = p;
	if (*p == '\'') {
		if (p + 1 >= end)
			return ion_text_truncated(c, p, "quoted symbol");
		if (p[1] == '\'') {
			if (p + 2 >= end && !c->at_eof)
				return ION_NEED_MORE;
			if (p + 2 < end && p[2] == '\'') {
				t->kind = TOK_LONG;
				return 0;
			}
		}
		t->kind = TOK_QUOTED;
		const uint8_t *data;
		size_t len;
		if ((rc = ion_text_read_quoted(c, '\'', &data, &len)))
			return rc;
		t->sym = (struct ion_symbol){ (const char *)data, len, 0 };
		return 0;
	}
	const uint8_t *q = ident_end(c, &rc);
	if (!q)
		return rc;
	size_t len = (size_t)(q - p);
	t->keyword = keyword_of(p, len);
	c->p = q;
	if (t->keyword == KW_NULL && q < end && *q == '.') {
		/* typed null: null.<type> is one token, no spaces or comments */
		c->p = q + 1;
		const uint8_t *r = q + 1;
		if (r < end && (ion_text_class[*r] & ITC_IDSTART)) {
			if (!(r = ident_end(c, &rc)))
				return rc;
		} else if (r == end && !c->at_eof) {
			return ION_NEED_MORE;
		}
		int i = word_find(NULL_TYPES, sizeof NULL_TYPES / sizeof NULL_TYPES[0], q + 1,
				  (size_t)(r - q - 1));
		if (i < 0)
			return ion_text_fail(c, p, ION_ERR_SYNTAX, "invalid typed null '%.*s'",
					     (int)(r - p > 40 ? 40 : r - p), (const char *)p);
		t->kind = TOK_TYPED_NULL;
		t->type = NULL_TYPES[i].value;
		c->p = r;
		return 0;
	}
	if (t->keyword != KW_NONE) {
		t->kind = TOK_KEYWORD;
		t->sym = (struct ion_symbol){ (const char *)p, len, 0 };
		return 0;
	}
	if (is_sid_literal(p, len)) {
		t->kind = TOK_SID;
		return resolve_sid(c, p, len, &t->sym);
	}
	t->kind = TOK_IDENT;
	t->sym = (struct ion_symbol){ (const char *)p, len, 0 };
	return 0;
}

/* Does "::" follow (after whitespace and comments)? Leaves c->p past it if
 * so, otherwise where it was. */
static int annotation_follows(struct ion_text_cur *c, bool *yes)
{
	const uint8_t *after = c->p;
	int rc = ion_text_skip_ws(c);
	if (rc)
		return rc;
	const uint8_t *p = c->p;
	*yes = false;
	if (c->end - p >= 2 && p[0] == ':' && p[1] == ':') {
		c->p = p + 2;
		*yes = true;
		return 0;
	}
	if (!c->at_eof && (p == c->end || (p + 1 == c->end && *p == ':')))
		return ION_NEED_MORE; /* "::" may still arrive */
	c->p = after;
	return 0;
}

struct annots {
	struct ion_symbol *s;
	size_t n, cap;
};

static int annots_add(struct ion_text_cur *c, struct annots *a, const struct token *t)
{
	if (a->n == ION_MAX_ANNOTATIONS)
		return ion_text_fail(c, t->start, ION_ERR_LIMIT,
				     "more than %d annotations on one value", ION_MAX_ANNOTATIONS);
	if (a->n == a->cap) {
		int rc = 0;
		size_t cap = a->cap ? a->cap * 2 : 4;
		struct ion_symbol *s = ion_text_alloc(c, cap * sizeof *s, &rc);
		if (!s)
			return rc;
		if (a->n)
			memcpy(s, a->s, a->n * sizeof *s);
		a->s = s;
		a->cap = cap;
	}
	a->s[a->n++] = t->sym;
	return 0;
}

static int parse_value(struct ion_text_cur *c, enum ctx ctx, struct ion_value **out, bool *bare);

/* Open a container: depth limit. */
static int enter(struct ion_text_cur *c, const uint8_t *open)
{
	if (++c->depth > ION_MAX_DEPTH)
		return ion_text_fail(c, open, ION_ERR_LIMIT, "containers nested deeper than %d",
				     ION_MAX_DEPTH);
	c->p = open + 1;
	return 0;
}

/* Skip whitespace; the container opened at open must go on. */
static inline int container_ws(struct ion_text_cur *c, const uint8_t *open, const char *what)
{
	/* compact text (as QLDB writes it) has no whitespace between tokens */
	if (c->p < c->end && !(ion_text_class[*c->p] & ITC_WS) && *c->p != '/')
		return 0;
	int rc = ion_text_skip_ws(c);
	if (rc)
		return rc;
	if (c->p == c->end)
		return ion_text_truncated(c, open, what);
	return 0;
}

/* Close a container of count children: step over the closer, one level up. */
static inline void leave(struct ion_text_cur *c, struct ion_value *v, size_t count)
{
	c->p++;
	c->depth--;
	v->u.c.count = count;
}

/* Field name: identifier (not a keyword), $N, quoted symbol, string or
 * long string(s). */
static int read_field_name(struct ion_text_cur *c, struct ion_symbol *name)
{
	const uint8_t *p = c->p;
	int rc;
	if (*p == '"') {
		const uint8_t *data;
		size_t len;
		if ((rc = ion_text_read_quoted(c, '"', &data, &len)))
			return rc;
		*name = (struct ion_symbol){ (const char *)data, len, 0 };
		return 0;
	}
	if (*p != '\'' && !(ion_text_class[*p] & ITC_IDSTART))
		return fail_unexpected(c, p, "in struct (expected a field name)");
	/* hot path: a plain identifier (not $N, not a keyword), as nearly every
	 * field name is; it skips the general token reader's checks */
	if (*p != '$' && *p != '\'') {
		const uint8_t *q = ident_end(c, &rc);
		if (!q)
			return rc;
		if (keyword_of(p, (size_t)(q - p)) == KW_NONE) {
			c->p = q;
			*name = (struct ion_symbol){ (const char *)p, (size_t)(q - p), 0 };
			return 0;
		}
	}
	struct token t;
	if ((rc = read_symbol_token(c, &t)))
		return rc;
	if (t.kind == TOK_LONG) {
		const uint8_t *data;
		size_t len;
		if ((rc = ion_text_read_long(c, &data, &len)))
			return rc;
		*name = (struct ion_symbol){ (const char *)data, len, 0 };
		return 0;
	}
	if (t.kind == TOK_KEYWORD || t.kind == TOK_TYPED_NULL)
		return ion_text_fail(c, p, ION_ERR_SYNTAX,
				     "keyword '%.*s' cannot be a field name (quote it)",
				     (int)(c->p - p), (const char *)p);
	*name = t.sym;
	return 0;
}

/* How each container reads: the context its children parse in, its
 * closer, and where commas separate children, the errors for a missing
 * child and for a child not followed by ',' or the closer. */
struct container_kind {
	enum ctx ctx;
	uint8_t close;
	const char *what;
	const char *missing; /* NULL: no commas (sexp) */
	const char *expected;
};

static const struct container_kind CONTAINER_LIST = {
	CTX_LIST,
	']',
	"list",
	"unexpected ',' in list (missing value)",
	"in list (expected ',' or ']')",
};
static const struct container_kind CONTAINER_SEXP = { CTX_SEXP, ')', "sexp", NULL, NULL };
static const struct container_kind CONTAINER_STRUCT = {
	CTX_STRUCT,
	'}',
	"struct",
	"unexpected ',' in struct (missing field)",
	"in struct (expected ',' or '}')",
};

/* Before a child: whitespace, then *done at the closer; with commas, a ','
 * here means a child was left out. */
static inline int container_next(struct ion_text_cur *c, const uint8_t *open,
				 const struct container_kind *k, bool *done)
{
	int rc = container_ws(c, open, k->what);
	if (rc)
		return rc;
	*done = *c->p == k->close;
	if (!*done && k->missing && *c->p == ',')
		return ion_text_fail(c, c->p, ION_ERR_SYNTAX, "%s", k->missing);
	return 0;
}

/* After a child (with commas): ',' means another follows (*more), the
 * closer ends the container (leave steps over it), anything else is an
 * error. */
static inline int container_after(struct ion_text_cur *c, const uint8_t *open,
				  const struct container_kind *k, bool *more)
{
	int rc = container_ws(c, open, k->what);
	if (rc)
		return rc;
	*more = *c->p == ',';
	if (*more) {
		c->p++;
		return 0;
	}
	if (*c->p != k->close)
		return fail_unexpected(c, c->p, k->expected);
	return 0;
}

/* A struct field's name and the ':' after it, whitespace around both. */
static int read_field_head(struct ion_text_cur *c, const uint8_t *open, struct ion_symbol *name)
{
	int rc;
	if ((rc = read_field_name(c, name)) || (rc = container_ws(c, open, "struct")))
		return rc;
	if (*c->p != ':')
		return fail_unexpected(c, c->p, "after field name (expected ':')");
	c->p++;
	return container_ws(c, open, "struct");
}

static int parse_container(struct ion_text_cur *c, struct ion_value *v,
			   const struct container_kind *k)
{
	const uint8_t *open = c->p;
	int rc = enter(c, open);
	if (rc)
		return rc;
	struct ion_value **tail = &v->u.c.first_child;
	size_t count = 0;
	for (;;) {
		bool done, more = true;
		if ((rc = container_next(c, open, k, &done)))
			return rc;
		if (done)
			break;
		struct ion_symbol name = { 0 };
		if (k->ctx == CTX_STRUCT && (rc = read_field_head(c, open, &name)))
			return rc;
		struct ion_value *child;
		if ((rc = parse_value(c, k->ctx, &child, NULL)))
			return rc;
		if (k->ctx == CTX_STRUCT)
			child->field_name = name;
		*tail = child;
		tail = &child->next;
		count++;
		if (k->missing && (rc = container_after(c, open, k, &more)))
			return rc;
		if (!more)
			break;
	}
	leave(c, v, count);
	return 0;
}

/* +inf / -inf at c->p? *rc = ION_NEED_MORE when the buffer cuts it. */
static bool special_inf(struct ion_text_cur *c, int *rc)
{
	const uint8_t *p = c->p, *end = c->end;
	static const char INF[] = "inf";
	size_t avail = (size_t)(end - p - 1);
	if (avail < 4) {
		size_t k = avail < 3 ? avail : 3;
		if (memcmp(p + 1, INF, k) != 0)
			return false;
		if (!c->at_eof) {
			*rc = ION_NEED_MORE;
			return false;
		}
		return avail == 3;
	}
	return memcmp(p + 1, INF, 3) == 0 && !(ion_text_class[p[4]] & ITC_ID);
}

/* Sexp operator: a maximal run of operator characters, stopping before a
 * comment. */
static int read_operator(struct ion_text_cur *c, struct ion_value *v)
{
	const uint8_t *p = c->p, *q = p, *end = c->end;
	while (q < end && (ion_text_class[*q] & ITC_OP)) {
		if (*q == '/' && q + 1 < end && (q[1] == '/' || q[1] == '*'))
			break;
		q++;
	}
	if (q == end && !c->at_eof)
		return ION_NEED_MORE;
	v->type = ION_TYPE_SYMBOL;
	v->u.sym = (struct ion_symbol){ (const char *)p, (size_t)(q - p), 0 };
	c->p = q;
	return 0;
}

/* A value that is not a symbol token: c->p is at its first character. */
static int parse_plain(struct ion_text_cur *c, enum ctx ctx, struct ion_value *v)
{
	const uint8_t *p = c->p, *end = c->end;
	uint8_t ch = *p;
	int rc = 0;
	switch (ch) {
	case '{':
		if (p + 1 == end)
			return ion_text_truncated(c, p, "struct");
		if (p[1] == '{')
			return ion_text_read_lob(c, v);
		v->type = ION_TYPE_STRUCT;
		return parse_container(c, v, &CONTAINER_STRUCT);
	case '[':
		v->type = ION_TYPE_LIST;
		return parse_container(c, v, &CONTAINER_LIST);
	case '(':
		v->type = ION_TYPE_SEXP;
		return parse_container(c, v, &CONTAINER_SEXP);
	case '"':
		v->type = ION_TYPE_STRING;
		return ion_text_read_quoted(c, '"', &v->u.bytes.data, &v->u.bytes.len);
	case '\'':
		v->type = ION_TYPE_STRING;
		return ion_text_read_long(c, &v->u.bytes.data, &v->u.bytes.len);
	default:
		break;
	}
	if (ion_text_class[ch] & ITC_DIGIT)
		return ion_text_read_number(c, v);
	if (ch == '-' || ch == '+') {
		if (p + 1 == end && !c->at_eof)
			return ION_NEED_MORE;
		if (ch == '-' && p + 1 < end && (ion_text_class[p[1]] & ITC_DIGIT))
			return ion_text_read_number(c, v);
		if (special_inf(c, &rc)) {
			v->type = ION_TYPE_FLOAT;
			v->u.f = ch == '-' ? -INFINITY : INFINITY;
			c->p = p + 4;
			return 0;
		}
		if (rc)
			return rc;
	}
	if (ctx == CTX_SEXP && (ion_text_class[ch] & ITC_OP))
		return read_operator(c, v);
	if (ion_text_class[ch] & ITC_OP)
		return fail_unexpected(c, p, "(operators are only allowed in a sexp)");
	return fail_unexpected(c, p, "(expected a value)");
}

static void set_keyword(struct ion_value *v, int kw)
{
	switch (kw) {
	case KW_NULL:
		v->type = ION_TYPE_NULL;
		v->is_null = true;
		break;
	case KW_TRUE:
	case KW_FALSE:
		v->type = ION_TYPE_BOOL;
		v->u.b = kw == KW_TRUE;
		break;
	default: /* KW_NAN */
		v->type = ION_TYPE_FLOAT;
		v->u.f = NAN;
		break;
	}
}

/*
 * annotation* value. *bare (if non-NULL) is set when the value is an
 * unannotated identifier symbol (the only form a version marker takes).
 */
static int parse_value(struct ion_text_cur *c, enum ctx ctx, struct ion_value **out, bool *bare)
{
	struct annots ann = { 0 };
	struct ion_value *v;
	int rc = 0;
	for (;;) {
		const uint8_t *p = c->p;
		if (p == c->end)
			return ion_text_truncated(c, p, "value after annotation");
		if (*p != '\'' && !(ion_text_class[*p] & ITC_IDSTART)) {
			if (!(v = new_value(c, &rc)) || (rc = parse_plain(c, ctx, v)))
				return rc;
			break;
		}
		struct token t;
		if ((rc = read_symbol_token(c, &t)))
			return rc;
		if (t.kind == TOK_LONG) {
			if (!(v = new_value(c, &rc)) || (rc = parse_plain(c, ctx, v)))
				return rc;
			break;
		}
		if (t.kind == TOK_TYPED_NULL) {
			if (!(v = new_value(c, &rc)))
				return rc;
			v->type = (uint8_t)t.type;
			v->is_null = true;
			break;
		}
		bool is_ann;
		if ((rc = annotation_follows(c, &is_ann)))
			return rc;
		if (is_ann) {
			if (t.kind == TOK_KEYWORD)
				return ion_text_fail(
					c, t.start, ION_ERR_SYNTAX,
					"keyword '%.*s' cannot be an annotation (quote it)",
					(int)t.sym.len, t.sym.text);
			if ((rc = annots_add(c, &ann, &t)) || (rc = ion_text_skip_ws(c)))
				return rc;
			continue;
		}
		if (!(v = new_value(c, &rc)))
			return rc;
		if (t.kind == TOK_KEYWORD) {
			set_keyword(v, t.keyword);
		} else {
			v->type = ION_TYPE_SYMBOL;
			v->u.sym = t.sym;
			if (bare && t.kind == TOK_IDENT && ann.n == 0)
				*bare = true;
		}
		break;
	}
	v->n_annotations = (uint16_t)ann.n;
	v->annotations = ann.s;
	*out = v;
	return 0;
}

/* $ion_<digits>_<digits>: the shape of a version marker. */
static bool is_version_marker(const struct ion_symbol *s)
{
	const uint8_t *p = (const uint8_t *)s->text, *e = p + s->len;
	if (s->len < 8 || memcmp(p, "$ion_", 5) != 0)
		return false;
	p += 5;
	const uint8_t *d = p;
	while (p < e && (ion_text_class[*p] & ITC_DIGIT))
		p++;
	if (p == d || p == e || *p != '_')
		return false;
	d = ++p;
	while (p < e && (ion_text_class[*p] & ITC_DIGIT))
		p++;
	return p != d && p == e;
}

int ion_text_next(const uint8_t *buf, size_t len, size_t *pos, bool at_eof, struct ion_arena *a,
		  struct ion_symtab *st, struct ion_value **out, struct ion_error *err)
{
	static const uint8_t EMPTY[1];
	if (!buf) /* an empty buffer may come as NULL; pointer arithmetic on it is UB */
		buf = EMPTY;
	struct ion_text_cur c = {
		.buf = buf,
		.p = buf + (*pos <= len ? *pos : len),
		.end = buf + len,
		.at_eof = at_eof,
		.arena = a,
		.st = st,
		.err = err,
	};
	if (*pos > len)
		return ion_text_fail(&c, buf + len, ION_ERR_SYNTAX, "position %zu beyond %zu bytes",
				     *pos, len);
	/* byte-order marks are the reader facade's business (ion_reader.c):
	 * here a window may start anywhere in the stream */
	for (;;) {
		int rc = ion_text_skip_ws(&c);
		if (rc)
			return rc;
		*pos = (size_t)(c.p - buf); /* whitespace and comments are committed */
		if (c.p == c.end)
			return at_eof ? 0 : ION_NEED_MORE;
		const uint8_t *start = c.p;
		struct ion_value *v;
		bool bare = false;
		c.depth = 0;
		rc = parse_value(&c, CTX_TOP, &v, &bare);
		if (rc == ION_NEED_MORE && (size_t)(c.end - start) > ION_MAX_VALUE_BYTES)
			return ion_text_fail(&c, start, ION_ERR_LIMIT,
					     "top-level value larger than %u bytes",
					     ION_MAX_VALUE_BYTES);
		if (rc)
			return rc;
		if ((size_t)(c.p - start) > ION_MAX_VALUE_BYTES)
			return ion_text_fail(&c, start, ION_ERR_LIMIT,
					     "top-level value larger than %u bytes",
					     ION_MAX_VALUE_BYTES);
		if (v->type == ION_TYPE_SYMBOL && v->n_annotations == 0 && v->u.sym.text) {
			if (bare && is_version_marker(&v->u.sym)) {
				if (!ion_symbol_eq(&v->u.sym, "$ion_1_0"))
					return ion_text_fail(
						&c, start, ION_ERR_UNSUPPORTED,
						"unsupported Ion version marker %.*s",
						(int)(v->u.sym.len > 40 ? 40 : v->u.sym.len),
						v->u.sym.text);
				ion_symtab_reset(st);
				*pos = (size_t)(c.p - buf);
				continue;
			}
			if (ion_symbol_eq(&v->u.sym, "$ion_1_0")) { /* no-op system value */
				*pos = (size_t)(c.p - buf);
				continue;
			}
		}
		if (ion_is_lst(v)) {
			struct ion_error lst_err = { 0 };
			if ((rc = ion_symtab_apply_lst(st, v, &lst_err)))
				return ion_text_fail(&c, start, rc, "%s", lst_err.msg);
			*pos = (size_t)(c.p - buf);
			continue;
		}
		*pos = (size_t)(c.p - buf);
		*out = v;
		return 1;
	}
}
