/*
 * ion_symtab.c - Ion 1.0 symbol tables: the system table, local symbol
 * tables (LSTs) with appends, and shared-table imports without a catalog
 * (their SIDs exist but have unknown text; see shared/docs/ion.md §4).
 */
#include <stdlib.h>
#include <string.h>

#include "ion_internal.h"

#define POOL_CHUNK (16u * 1024)

static const char *const SYSTEM_SYMBOLS[] = {
	NULL,	   "$ion",    "$ion_1_0", "$ion_symbol_table",	      "name", "version",
	"imports", "symbols", "max_id",	  "$ion_shared_symbol_table",
};
#define SYSTEM_MAX_ID 9

struct pool_chunk {
	struct pool_chunk *next;
	size_t cap, used;
	char data[];
};

/* SIDs: 0..9 system, then `imported` SIDs of shared tables with unknown
 * text (kept as a count, not as entries: an import may declare billions),
 * then the local symbols. */
struct ion_symtab {
	struct ion_symbol *syms; /* system + local symbols */
	size_t count, cap;	 /* entries in syms */
	uint64_t imported;	 /* unknown-text SIDs right after the system table */
	struct pool_chunk *pool;
};

#define SID_LIMIT UINT32_MAX

static char *pool_copy(struct ion_symtab *st, const char *text, size_t len)
{
	struct pool_chunk *c = st->pool;
	if (!c || c->cap - c->used < len) {
		size_t cap = len > POOL_CHUNK ? len : POOL_CHUNK;
		struct pool_chunk *n = malloc(sizeof *n + cap);
		if (!n)
			return NULL;
		n->next = c;
		n->cap = cap;
		n->used = 0;
		st->pool = n;
		c = n;
	}
	char *p = c->data + c->used;
	memcpy(p, text, len);
	c->used += len;
	return p;
}

static void pool_free(struct ion_symtab *st)
{
	struct pool_chunk *c = st->pool;
	while (c) {
		struct pool_chunk *n = c->next;
		free(c);
		c = n;
	}
	st->pool = NULL;
}

void ion_symtab_reset(struct ion_symtab *st)
{
	pool_free(st);
	st->count = SYSTEM_MAX_ID + 1;
	st->imported = 0;
	for (uint32_t i = 0; i <= SYSTEM_MAX_ID; i++) {
		st->syms[i].text = SYSTEM_SYMBOLS[i];
		st->syms[i].len = SYSTEM_SYMBOLS[i] ? strlen(SYSTEM_SYMBOLS[i]) : 0;
		st->syms[i].sid = i;
	}
}

struct ion_symtab *ion_symtab_new(void)
{
	struct ion_symtab *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->cap = 64;
	st->syms = malloc(st->cap * sizeof *st->syms);
	if (!st->syms) {
		free(st);
		return NULL;
	}
	ion_symtab_reset(st);
	return st;
}

void ion_symtab_free(struct ion_symtab *st)
{
	if (!st)
		return;
	pool_free(st);
	free(st->syms);
	free(st);
}

uint32_t ion_symtab_max_id(const struct ion_symtab *st)
{
	return (uint32_t)(st->count - 1 + st->imported);
}

long ion_symtab_add(struct ion_symtab *st, const char *text, size_t len)
{
	if (st->count > ION_MAX_SYMBOLS || st->count + st->imported >= SID_LIMIT)
		return ION_ERR_LIMIT;
	if (st->count == st->cap) {
		size_t cap = st->cap * 2;
		struct ion_symbol *s = realloc(st->syms, cap * sizeof *s);
		if (!s)
			return ION_ERR_NOMEM;
		st->syms = s;
		st->cap = cap;
	}
	struct ion_symbol *s = &st->syms[st->count];
	s->sid = (uint32_t)(st->count + st->imported);
	s->len = len;
	s->text = NULL;
	if (text) {
		/* empty text still needs a non-NULL pointer: "" is known text */
		s->text = len ? pool_copy(st, text, len) : "";
		if (!s->text)
			return ION_ERR_NOMEM;
	}
	st->count++;
	return (long)s->sid;
}

int ion_symtab_lookup(const struct ion_symtab *st, uint32_t sid, struct ion_symbol *out)
{
	if (sid <= SYSTEM_MAX_ID) {
		*out = st->syms[sid];
		return 0;
	}
	if (sid - (SYSTEM_MAX_ID + 1) < st->imported) {
		out->text = NULL; /* a shared table's symbol: no catalog, no text */
		out->len = 0;
		out->sid = sid;
		return 0;
	}
	uint64_t local = (uint64_t)sid - st->imported;
	if (local >= st->count)
		return ION_ERR_SYMBOL;
	*out = st->syms[local];
	return 0;
}

bool ion_is_lst(const struct ion_value *v)
{
	return v->type == ION_TYPE_STRUCT && v->n_annotations > 0 &&
	       ion_symbol_eq(&v->annotations[0], "$ion_symbol_table");
}

/* Reserve the SIDs of one shared-table import (no catalog: unknown text). */
static int apply_import(struct ion_symtab *st, const struct ion_value *imp, struct ion_error *err)
{
	if (imp->type != ION_TYPE_STRUCT || imp->is_null)
		return 0; /* non-struct entries are ignored (Ion symbols spec) */
	const struct ion_value *name = ion_struct_get(imp, "name");
	if (!name || name->type != ION_TYPE_STRING || name->is_null || name->u.bytes.len == 0)
		return 0; /* an import without a name is ignored */
	if (name->u.bytes.len == 4 && memcmp(name->u.bytes.data, "$ion", 4) == 0)
		return 0; /* the system table is always imported */
	const struct ion_value *max = ion_struct_get(imp, "max_id");
	int64_t n;
	if (!max || max->type != ION_TYPE_INT || max->is_null || max->u.i.neg ||
	    ion_int_to_i64(&max->u.i, &n) != 0)
		return ion_error_set(err, ION_ERR_SYMBOL,
				     "import of shared symbol table '%.*s' has no valid max_id and "
				     "no catalog is available",
				     (int)name->u.bytes.len, (const char *)name->u.bytes.data);
	/* imports come before any local symbol of the same table */
	if (st->count != SYSTEM_MAX_ID + 1 || (uint64_t)n + st->imported + st->count >= SID_LIMIT)
		return ion_error_set(err, ION_ERR_LIMIT, "import max_id %lld exceeds the SID space",
				     (long long)n);
	st->imported += (uint64_t)n;
	return 0;
}

int ion_symtab_apply_lst(struct ion_symtab *st, const struct ion_value *lst, struct ion_error *err)
{
	const struct ion_value *imports = NULL, *symbols = NULL;
	if (!lst->is_null) {
		for (const struct ion_value *f = lst->u.c.first_child; f; f = f->next) {
			if (ion_symbol_eq(&f->field_name, "imports")) {
				if (imports)
					return ion_error_set(
						err, ION_ERR_SYNTAX,
						"local symbol table has two imports fields");
				imports = f;
			} else if (ion_symbol_eq(&f->field_name, "symbols")) {
				if (symbols)
					return ion_error_set(
						err, ION_ERR_SYNTAX,
						"local symbol table has two symbols fields");
				symbols = f;
			}
		}
	}
	bool append = imports && imports->type == ION_TYPE_SYMBOL && !imports->is_null &&
		      imports->n_annotations == 0 &&
		      ion_symbol_eq(&imports->u.sym, "$ion_symbol_table");
	if (!append) {
		ion_symtab_reset(st);
		if (imports && imports->type == ION_TYPE_LIST && !imports->is_null) {
			for (const struct ion_value *i = imports->u.c.first_child; i; i = i->next) {
				int rc = apply_import(st, i, err);
				if (rc)
					return rc;
			}
		}
	}
	if (symbols && symbols->type == ION_TYPE_LIST && !symbols->is_null) {
		for (const struct ion_value *s = symbols->u.c.first_child; s; s = s->next) {
			bool text = s->type == ION_TYPE_STRING && !s->is_null;
			long rc = ion_symtab_add(st, text ? (const char *)s->u.bytes.data : NULL,
						 text ? s->u.bytes.len : 0);
			if (rc < 0)
				return ion_error_set(err, (int)rc,
						     "symbol table exceeds %u symbols",
						     ION_MAX_SYMBOLS);
		}
	}
	return 0;
}
