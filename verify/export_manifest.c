/*
 * export_manifest.c - manifests and data-object keys of a journal export
 * (see export_manifest.h).
 */
#include "export_manifest.h"

#include "ion_struct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const FORMAT_NAMES[] = {
	[EXPORT_FORMAT_UNKNOWN] = "UNKNOWN",
	[EXPORT_FORMAT_ION_TEXT] = "ION_TEXT",
	[EXPORT_FORMAT_ION_BINARY] = "ION_BINARY",
	[EXPORT_FORMAT_JSON] = "JSON",
};

const char *export_format_name(enum export_format f)
{
	return (unsigned)f <= EXPORT_FORMAT_JSON ? FORMAT_NAMES[f] : "UNKNOWN";
}

/* Parse a decimal int64 from p[0..n); 0 or -1. */
static int parse_i64(const char *p, size_t n, int64_t *out)
{
	if (n == 0 || n > 18)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

int export_key_parse(const char *key, size_t len, struct export_range *out)
{
	if (len == 0 || len > EXPORT_KEY_MAX)
		return -1;
	size_t b = len;
	while (b > 0 && key[b - 1] != '/')
		b--;
	const char *base = key + b;
	size_t n = len - b;
	/* drop the final extension */
	size_t dot = n;
	while (dot > 0 && base[dot - 1] != '.')
		dot--;
	if (dot == 0)
		return -1;
	n = dot - 1; /* "<strand>.<first>-<last>" */
	size_t t = n;
	while (t > 0 && base[t - 1] != '.')
		t--;
	if (t == 0 || t - 1 > QLDB_STRAND_MAX || t - 1 == 0)
		return -1;
	for (size_t i = 0; i + 1 < t; i++) /* as qldb_address_get: visible ASCII */
		if ((unsigned char)base[i] <= 0x20 || (unsigned char)base[i] >= 0x7f)
			return -1;
	const char *tok = base + t;
	size_t tlen = n - t;
	const char *dash = memchr(tok, '-', tlen);
	if (!dash)
		return -1;
	if (parse_i64(tok, (size_t)(dash - tok), &out->first) ||
	    parse_i64(dash + 1, tlen - (size_t)(dash - tok) - 1, &out->last) ||
	    out->last < out->first)
		return -1;
	memcpy(out->strand, base, t - 1);
	out->strand[t - 1] = '\0';
	return 0;
}

/* A manifest's top-level struct, in a new arena *a (see ion_parse_one_alloc). */
static int parse_top(const uint8_t *buf, size_t len, struct ion_arena **a,
		     const struct ion_value **v, const char *what, char *why, size_t cap)
{
	if (ion_parse_one_alloc(buf, len, what, a, v, why, cap))
		return -1;
	if ((*v)->type != ION_TYPE_STRUCT || (*v)->is_null) {
		snprintf(why, cap, "%s: not a struct", what);
		return -1;
	}
	/* a second keys list or outputFormat: a reader could take either */
	const struct ion_value *d = ion_struct_duplicate(*v);
	if (d) {
		char nm[48];
		snprintf(why, cap, "%s: the field '%s' appears twice", what,
			 ion_field_name_print(&d->field_name, nm, sizeof nm));
		return -1;
	}
	return 0;
}

/* Text of a string or symbol value, or NULL. */
static const char *text_of(const struct ion_value *v, size_t *len)
{
	if (!v || v->is_null)
		return NULL;
	if (v->type == ION_TYPE_STRING) {
		*len = v->u.bytes.len;
		return (const char *)v->u.bytes.data;
	}
	if (v->type == ION_TYPE_SYMBOL && v->u.sym.text) {
		*len = v->u.sym.len;
		return v->u.sym.text;
	}
	return NULL;
}

int export_started_parse(const uint8_t *buf, size_t len, enum export_format *out, char *why,
			 size_t cap)
{
	struct ion_arena *a;
	const struct ion_value *v;
	int rc = -1;
	*out = EXPORT_FORMAT_UNKNOWN;
	if (parse_top(buf, len, &a, &v, "started manifest", why, cap))
		goto out;
	size_t n = 0;
	const struct ion_value *f = ion_struct_get(v, "outputFormat");
	const char *t = text_of(f, &n);
	rc = 0;
	if (!f)
		goto out;
	for (int i = EXPORT_FORMAT_ION_TEXT; i <= EXPORT_FORMAT_JSON; i++)
		if (t && strlen(FORMAT_NAMES[i]) == n && memcmp(t, FORMAT_NAMES[i], n) == 0)
			*out = (enum export_format)i;
	if (*out == EXPORT_FORMAT_UNKNOWN) {
		snprintf(why, cap, "started manifest: unknown outputFormat");
		rc = -1;
	}
out:
	ion_arena_free(a);
	return rc;
}

int export_completed_parse(const uint8_t *buf, size_t len,
			   int (*fn)(void *ctx, const char *key, size_t len), void *ctx, char *why,
			   size_t cap)
{
	struct ion_arena *a;
	const struct ion_value *v;
	int rc = -1;
	if (parse_top(buf, len, &a, &v, "completed manifest", why, cap))
		goto out;
	const struct ion_value *keys = ion_struct_get(v, "keys");
	if (!keys || keys->is_null || keys->type != ION_TYPE_LIST) {
		snprintf(why, cap, "completed manifest: no keys list");
		goto out;
	}
	if (keys->u.c.count > EXPORT_MAX_KEYS) {
		snprintf(why, cap, "completed manifest: more than EXPORT_MAX_KEYS keys");
		goto out;
	}
	size_t i = 0;
	rc = 0;
	for (const struct ion_value *k = keys->u.c.first_child; k && rc == 0; k = k->next, i++) {
		size_t n = 0;
		const char *t = text_of(k, &n);
		if (!t || n == 0 || n > EXPORT_KEY_MAX) {
			snprintf(why, cap,
				 "completed manifest: key %zu is not a string of 1..EXPORT_KEY_MAX "
				 "bytes",
				 i + 1);
			rc = -1;
			break;
		}
		/* keys label failures on one line: no control characters (or NUL) */
		size_t j = 0;
		while (j < n && (unsigned char)t[j] >= 0x20 && t[j] != 0x7f)
			j++;
		if (j < n) {
			snprintf(why, cap,
				 "completed manifest: key %zu has a control character 0x%02x at "
				 "byte %zu",
				 i + 1, (unsigned char)t[j], j);
			rc = -1;
			break;
		}
		rc = fn(ctx, t, n);
	}
out:
	ion_arena_free(a);
	return rc;
}

enum export_format export_format_detect(const uint8_t *head, size_t n)
{
	if (n >= 4 && head[0] == 0xE0 && head[1] == 0x01 && head[2] == 0x00 && head[3] == 0xEA)
		return EXPORT_FORMAT_ION_BINARY;
	size_t i = 0;
	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	if (i < n && head[i] == '{') {
		i++;
		while (i < n &&
		       (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
			i++;
		/* JSON quotes every field name; QLDB's Ion text never does */
		if (i < n && head[i] == '"')
			return EXPORT_FORMAT_JSON;
	}
	return EXPORT_FORMAT_ION_TEXT;
}
