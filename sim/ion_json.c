/*
 * ion_json.c - Ion to JSON down-conversion (see ion_json.h). Scalars that
 * JSON spells like Ion (ints, floats, decimals after d -> e) go through
 * verify/'s Ion text writer, so there is one printer of numbers and
 * timestamps.
 */
#include "sim/ion_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fail.h"
#include "verify/base64.h"
#include "verify/ion_write.h"

static int json_string(struct buf *b, const uint8_t *s, size_t n)
{
	int rc = buf_append_byte(b, '"');
	for (size_t i = 0; !rc && i < n; i++) {
		uint8_t c = s[i];
		if (c == '"' || c == '\\')
			rc = buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			rc = buf_printf(b, "\\u%04x", c);
		else
			rc = buf_append_byte(b, c);
	}
	return rc ? rc : buf_append_byte(b, '"');
}

/* The Ion text of a scalar, without annotations. */
static int scalar_text(struct buf *t, const struct ion_value *v)
{
	struct ion_value bare = *v;
	struct ion_error ie = { 0 };
	bare.n_annotations = 0;
	bare.annotations = NULL;
	bare.next = NULL;
	buf_clear(t);
	return ion_write_text(t, &bare, &ie);
}

/* A decimal's Ion text as a JSON number: 1.5d2 -> 1.5e2, 5. -> 5.0,
 * -0. -> -0.0. */
static int decimal_json(struct buf *b, const struct buf *t)
{
	for (size_t i = 0; i < t->len; i++) {
		uint8_t c = t->data[i];
		int rc = buf_append_byte(b, c == 'd' || c == 'D' ? 'e' : c);
		if (!rc && c == '.' &&
		    (i + 1 == t->len || t->data[i + 1] == 'd' || t->data[i + 1] == 'D'))
			rc = buf_append_byte(b, '0');
		if (rc)
			return rc;
	}
	return 0;
}

static int convert(struct buf *b, struct buf *t, const struct ion_value *v, int depth)
{
	if (depth > 100)
		return -1;
	if (v->is_null || v->type == ION_TYPE_NULL)
		return buf_append_str(b, "null");
	switch (v->type) {
	case ION_TYPE_BOOL:
		return buf_append_str(b, v->u.b ? "true" : "false");
	case ION_TYPE_FLOAT:
		if (isnan(v->u.f) || isinf(v->u.f))
			return buf_append_str(b, "null");
		return scalar_text(t, v) ? -1 : buf_append(b, t->data, t->len);
	case ION_TYPE_INT:
		return scalar_text(t, v) ? -1 : buf_append(b, t->data, t->len);
	case ION_TYPE_DECIMAL:
		return scalar_text(t, v) ? -1 : decimal_json(b, t);
	case ION_TYPE_TIMESTAMP:
		return scalar_text(t, v) ? -1 : json_string(b, t->data, t->len);
	case ION_TYPE_SYMBOL:
		return v->u.sym.text ? json_string(b, (const uint8_t *)v->u.sym.text, v->u.sym.len)
				     : buf_append_str(b, "null");
	case ION_TYPE_STRING:
		return json_string(b, v->u.bytes.data, v->u.bytes.len);
	case ION_TYPE_CLOB:
	case ION_TYPE_BLOB: {
		size_t n = BASE64_ENCODED_SIZE(v->u.bytes.len);
		char *enc = malloc(n);
		if (!enc)
			return -1;
		base64_encode(v->u.bytes.data, v->u.bytes.len, enc);
		int rc = json_string(b, (const uint8_t *)enc, strlen(enc));
		free(enc);
		return rc;
	}
	case ION_TYPE_LIST:
	case ION_TYPE_SEXP:
	case ION_TYPE_STRUCT: {
		bool obj = v->type == ION_TYPE_STRUCT;
		int rc = buf_append_byte(b, obj ? '{' : '[');
		for (const struct ion_value *c = v->u.c.first_child; !rc && c; c = c->next) {
			if (c != v->u.c.first_child)
				rc = buf_append_byte(b, ',');
			if (!rc && obj) {
				const struct ion_symbol *f = &c->field_name;
				rc = f->text ? json_string(b, (const uint8_t *)f->text, f->len)
					     : buf_printf(b, "\"$%u\"", (unsigned)f->sid);
				rc = rc ? rc : buf_append_byte(b, ':');
			}
			rc = rc ? rc : convert(b, t, c, depth + 1);
		}
		return rc ? rc : buf_append_byte(b, obj ? '}' : ']');
	}
	default:
		return -1;
	}
}

int sim_ion_to_json(struct buf *out, const struct ion_value *v, char *err, size_t cap)
{
	struct buf t = { 0 };
	int rc = convert(out, &t, v, 0);
	buf_free(&t);
	return rc ? sim_fail(err, cap, "JSON down-conversion failed (out of memory or too deep)")
		  : 0;
}
