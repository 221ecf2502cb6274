/* ion_error.c - error formatting and the small pure accessors of ion.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ion.h"

int ion_error_set(struct ion_error *err, int code, const char *fmt, ...)
{
	if (err) {
		err->code = code;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void ion_error_format(const struct ion_error *err, char *buf, size_t cap)
{
	if (err->line)
		snprintf(buf, cap, "%zu:%zu: %s", err->line, err->column, err->msg);
	else
		snprintf(buf, cap, "byte %zu: %s", err->offset, err->msg);
}

const struct ion_value *ion_struct_get(const struct ion_value *v, const char *name)
{
	if (!v || v->type != ION_TYPE_STRUCT || v->is_null)
		return NULL;
	for (const struct ion_value *c = v->u.c.first_child; c; c = c->next)
		if (ion_symbol_eq(&c->field_name, name))
			return c;
	return NULL;
}

int ion_int_to_i64(const struct ion_bigint *i, int64_t *out)
{
	if (i->len > 8)
		return ION_ERR_LIMIT;
	uint64_t m = 0;
	for (size_t k = 0; k < i->len; k++)
		m = m << 8 | i->mag[k];
	if (!i->neg) {
		if (m > (uint64_t)INT64_MAX)
			return ION_ERR_LIMIT;
		*out = (int64_t)m;
	} else {
		if (m > (uint64_t)INT64_MAX + 1)
			return ION_ERR_LIMIT;
		*out = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	}
	return 0;
}

bool ion_symbol_eq(const struct ion_symbol *s, const char *text)
{
	size_t n = strlen(text);
	return s->text && s->len == n && memcmp(s->text, text, n) == 0;
}

static const char *const TYPE_NAMES[] = {
	[ION_TYPE_NULL] = "null",	[ION_TYPE_BOOL] = "bool",
	[ION_TYPE_INT] = "int",		[ION_TYPE_FLOAT] = "float",
	[ION_TYPE_DECIMAL] = "decimal", [ION_TYPE_TIMESTAMP] = "timestamp",
	[ION_TYPE_SYMBOL] = "symbol",	[ION_TYPE_STRING] = "string",
	[ION_TYPE_CLOB] = "clob",	[ION_TYPE_BLOB] = "blob",
	[ION_TYPE_LIST] = "list",	[ION_TYPE_SEXP] = "sexp",
	[ION_TYPE_STRUCT] = "struct",
};

const char *ion_type_name(enum ion_type t)
{
	if ((unsigned)t < sizeof TYPE_NAMES / sizeof TYPE_NAMES[0] && TYPE_NAMES[t])
		return TYPE_NAMES[t];
	return "?";
}
