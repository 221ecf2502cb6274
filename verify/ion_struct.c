/*
 * ion_struct.c - repeated field names in a struct (see ion_struct.h).
 */
#include "ion_struct.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRUCT_SMALL 16 /* up to here pairwise comparison is cheapest */

/* <0, 0, >0: by text (unknown text after known), then by SID. */
static int name_cmp(const struct ion_symbol *a, const struct ion_symbol *b)
{
	if (!a->text || !b->text) {
		if (a->text || b->text)
			return a->text ? -1 : 1;
		return a->sid < b->sid ? -1 : a->sid > b->sid;
	}
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->text, b->text, n) : 0;
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

struct field_at {
	const struct ion_value *v;
	size_t pos; /* index in the struct */
};

static int field_cmp(const void *x, const void *y)
{
	const struct field_at *a = x, *b = y;
	int c = name_cmp(&a->v->field_name, &b->v->field_name);
	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos; /* equal names in input order */
}

/* Same name: lengths first, so most pairs cost no memcmp. */
static bool name_eq(const struct ion_symbol *a, const struct ion_symbol *b)
{
	if (!a->text || !b->text)
		return !a->text && !b->text && a->sid == b->sid;
	return a->len == b->len &&
	       (a->len == 0 || (a->text[0] == b->text[0] && memcmp(a->text, b->text, a->len) == 0));
}

static const struct ion_value *dup_pairwise(const struct ion_value *s)
{
	for (const struct ion_value *c = s->u.c.first_child; c; c = c->next)
		for (const struct ion_value *p = s->u.c.first_child; p != c; p = p->next)
			if (name_eq(&p->field_name, &c->field_name))
				return c;
	return NULL;
}

const struct ion_value *ion_struct_duplicate(const struct ion_value *s)
{
	if (!s || s->type != ION_TYPE_STRUCT || s->is_null)
		return NULL;
	size_t n = s->u.c.count;
	if (n <= STRUCT_SMALL)
		return dup_pairwise(s);
	struct field_at *f = malloc(n * sizeof *f);
	if (!f)
		return dup_pairwise(s);
	size_t i = 0;
	for (const struct ion_value *c = s->u.c.first_child; c && i < n; c = c->next, i++)
		f[i] = (struct field_at){ c, i };
	qsort(f, i, sizeof *f, field_cmp);
	/* in a run of equal names every member after the first is a repeat;
	 * report the earliest repeat in input order, as the pairwise scan does */
	const struct ion_value *found = NULL;
	size_t found_pos = (size_t)-1;
	for (size_t k = 1; k < i; k++)
		if (name_cmp(&f[k - 1].v->field_name, &f[k].v->field_name) == 0 &&
		    f[k].pos < found_pos) {
			found_pos = f[k].pos;
			found = f[k].v;
		}
	free(f);
	return found;
}

const char *ion_field_name_print(const struct ion_symbol *name, char *out, size_t cap)
{
	if (cap == 0)
		return out;
	if (!name->text) {
		snprintf(out, cap, "$%u", name->sid);
		return out;
	}
	size_t n = name->len < cap - 1 ? name->len : cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name->text[i];
		out[i] = ch > 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	out[n] = '\0';
	return out;
}
