/* ion_compare.c - see ion_compare.h. */
#include "tests/lib/ion_compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool sym_eq(const struct ion_symbol *a, const struct ion_symbol *b)
{
	if (!a->text || !b->text)
		return !a->text && !b->text && a->sid == b->sid;
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static bool big_eq(const struct ion_bigint *a, const struct ion_bigint *b)
{
	return a->neg == b->neg && a->len == b->len &&
	       (a->len == 0 || memcmp(a->mag, b->mag, a->len) == 0);
}

static bool ts_eq(const struct ion_timestamp *a, const struct ion_timestamp *b)
{
	if (a->precision != b->precision || a->offset_known != b->offset_known)
		return false;
	if (a->offset_known && a->offset_min != b->offset_min)
		return false;
	int p = a->precision;
	return a->year == b->year && (p < ION_TS_MONTH || a->month == b->month) &&
	       (p < ION_TS_DAY || a->day == b->day) &&
	       (p < ION_TS_MINUTE || (a->hour == b->hour && a->minute == b->minute)) &&
	       (p < ION_TS_SECOND || a->second == b->second) &&
	       (p < ION_TS_FRACTION ||
		(a->frac_exp == b->frac_exp && big_eq(&a->frac_coef, &b->frac_coef)));
}

/* Struct fields as a multiset: each field of a matches a distinct one of b. */
static bool struct_eq(const struct ion_value *a, const struct ion_value *b)
{
	if (a->u.c.count != b->u.c.count)
		return false;
	bool *used = calloc(b->u.c.count + 1, 1);
	bool ok = true;
	for (const struct ion_value *x = a->u.c.first_child; ok && x; x = x->next) {
		size_t i = 0;
		const struct ion_value *y = b->u.c.first_child;
		for (; y; y = y->next, i++)
			if (!used[i] && sym_eq(&x->field_name, &y->field_name) &&
			    ion_test_equal(x, y))
				break;
		if (y)
			used[i] = true;
		else
			ok = false;
	}
	free(used);
	return ok;
}

bool ion_test_equal(const struct ion_value *a, const struct ion_value *b)
{
	if (a->type != b->type || a->is_null != b->is_null || a->n_annotations != b->n_annotations)
		return false;
	for (uint16_t i = 0; i < a->n_annotations; i++)
		if (!sym_eq(&a->annotations[i], &b->annotations[i]))
			return false;
	if (a->is_null)
		return true;
	switch (a->type) {
	case ION_TYPE_NULL:
		return true;
	case ION_TYPE_BOOL:
		return a->u.b == b->u.b;
	case ION_TYPE_INT:
		return big_eq(&a->u.i, &b->u.i);
	case ION_TYPE_FLOAT:
		return (isnan(a->u.f) && isnan(b->u.f)) || memcmp(&a->u.f, &b->u.f, 8) == 0;
	case ION_TYPE_DECIMAL:
		return a->u.dec.exponent == b->u.dec.exponent &&
		       big_eq(&a->u.dec.coef, &b->u.dec.coef);
	case ION_TYPE_TIMESTAMP:
		return ts_eq(&a->u.ts, &b->u.ts);
	case ION_TYPE_SYMBOL:
		return sym_eq(&a->u.sym, &b->u.sym);
	case ION_TYPE_STRING:
	case ION_TYPE_CLOB:
	case ION_TYPE_BLOB:
		return a->u.bytes.len == b->u.bytes.len &&
		       (a->u.bytes.len == 0 ||
			memcmp(a->u.bytes.data, b->u.bytes.data, a->u.bytes.len) == 0);
	case ION_TYPE_STRUCT:
		return struct_eq(a, b);
	default: {
		if (a->u.c.count != b->u.c.count)
			return false;
		const struct ion_value *x = a->u.c.first_child, *y = b->u.c.first_child;
		for (; x && y; x = x->next, y = y->next)
			if (!ion_test_equal(x, y))
				return false;
		return !x && !y;
	}
	}
}
