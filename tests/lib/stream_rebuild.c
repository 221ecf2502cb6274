/*
 * stream_rebuild.c - journal stream reader for tests (see
 * stream_rebuild.h). Everything is parsed once, on first use of the blocks.
 */
#include "tests/lib/stream_rebuild.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stream_records.h"
#include "verify/ion.h"
#include "verify/ion_write.h"

struct rec {
	uint8_t *data;
	size_t len;
	struct ion_arena *arena;
	const struct ion_value *v, *payload;
	char type[24];
};

struct stream_rebuild {
	struct rec *v;
	size_t n, cap;
	const struct ion_value **summaries; /* sorted, distinct */
	int64_t *seqs;
	size_t n_summaries;
	bool indexed;
};

struct stream_rebuild *stream_rebuild_new(void)
{
	return calloc(1, sizeof(struct stream_rebuild));
}

void stream_rebuild_free(struct stream_rebuild *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].data);
		ion_arena_free(r->v[i].arena);
	}
	free(r->v);
	free(r->summaries);
	free(r->seqs);
	free(r);
}

static bool text_of(const struct ion_value *v, char *out, size_t cap)
{
	if (!v || (v->type != ION_TYPE_STRING && v->type != ION_TYPE_SYMBOL) || v->is_null)
		return false;
	const char *p = v->type == ION_TYPE_STRING ? (const char *)v->u.bytes.data : v->u.sym.text;
	size_t n = v->type == ION_TYPE_STRING ? v->u.bytes.len : v->u.sym.len;
	if (!p || n >= cap)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* One Ion record. */
static int add_one(void *ctx, const uint8_t *data, size_t len)
{
	struct stream_rebuild *r = ctx;
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct rec *nv = realloc(r->v, ncap * sizeof *nv);
		if (!nv)
			return -1;
		r->v = nv;
		r->cap = ncap;
	}
	struct rec *x = &r->v[r->n];
	memset(x, 0, sizeof *x);
	x->data = malloc(len ? len : 1);
	if (!x->data)
		return -1;
	memcpy(x->data, data, len);
	x->len = len;
	char why[200];
	if (ion_parse_one_alloc(x->data, len, NULL, &x->arena, &x->v, why, sizeof why) ||
	    x->v->type != ION_TYPE_STRUCT ||
	    !text_of(ion_struct_get(x->v, "recordType"), x->type, sizeof x->type) ||
	    !(x->payload = ion_struct_get(x->v, "payload"))) {
		free(x->data);
		ion_arena_free(x->arena);
		return -1;
	}
	r->n++;
	r->indexed = false;
	return 0;
}

int stream_rebuild_add(struct stream_rebuild *r, const uint8_t *data, size_t len)
{
	long k = sim_kpl_deaggregate(data, len, add_one, r);
	if (k < 0)
		return -1;
	return k > 0 ? 0 : add_one(r, data, len);
}

size_t stream_rebuild_count(const struct stream_rebuild *r, const char *record_type)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += strcmp(r->v[i].type, record_type) == 0;
	return n;
}

static int64_t summary_seq(const struct ion_value *payload)
{
	const struct ion_value *s =
		ion_struct_get(ion_struct_get(payload, "blockAddress"), "sequenceNo");
	int64_t v = -1;
	if (s && s->type == ION_TYPE_INT && ion_int_to_i64(&s->u.i, &v) != 0)
		v = -1;
	return v;
}

/* Distinct summaries by sequence number, ascending (insertion sort:
 * test-sized inputs). */
static int index_summaries(struct stream_rebuild *r)
{
	if (r->indexed)
		return 0;
	free(r->summaries);
	free(r->seqs);
	r->summaries = calloc(r->n ? r->n : 1, sizeof *r->summaries);
	r->seqs = calloc(r->n ? r->n : 1, sizeof *r->seqs);
	r->n_summaries = 0;
	if (!r->summaries || !r->seqs)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->v[i].type, "BLOCK_SUMMARY") != 0)
			continue;
		int64_t seq = summary_seq(r->v[i].payload);
		if (seq < 0)
			return -1;
		size_t at = r->n_summaries;
		bool dup = false;
		for (size_t k = 0; k < r->n_summaries; k++)
			dup |= r->seqs[k] == seq;
		if (dup)
			continue;
		while (at > 0 && r->seqs[at - 1] > seq) {
			r->seqs[at] = r->seqs[at - 1];
			r->summaries[at] = r->summaries[at - 1];
			at--;
		}
		r->seqs[at] = seq;
		r->summaries[at] = r->v[i].payload;
		r->n_summaries++;
	}
	r->indexed = true;
	return 0;
}

size_t stream_rebuild_blocks(struct stream_rebuild *r)
{
	return index_summaries(r) == 0 ? r->n_summaries : 0;
}

static bool same_blob(const struct ion_value *a, const struct ion_value *b)
{
	return a && b && a->type == ION_TYPE_BLOB && b->type == ION_TYPE_BLOB &&
	       a->u.bytes.len == b->u.bytes.len &&
	       memcmp(a->u.bytes.data, b->u.bytes.data, a->u.bytes.len) == 0;
}

/* The REVISION_DETAILS revision whose hash is h, or NULL. */
static const struct ion_value *details_for(const struct stream_rebuild *r,
					   const struct ion_value *h)
{
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->v[i].type, "REVISION_DETAILS") != 0)
			continue;
		const struct ion_value *rev = ion_struct_get(r->v[i].payload, "revision");
		if (same_blob(ion_struct_get(rev, "hash"), h))
			return rev;
	}
	return NULL;
}

static int write_field(struct buf *out, const struct ion_value *f)
{
	struct ion_error ie = { 0 };
	int rc = buf_append_byte(out, '\'');
	rc = rc ? rc : buf_append(out, f->field_name.text, f->field_name.len);
	rc = rc ? rc : buf_append_str(out, "':");
	return rc ? rc : ion_write_text(out, f, &ie);
}

int stream_rebuild_block(struct stream_rebuild *r, size_t i, int64_t *seq, struct buf *out)
{
	if (index_summaries(r) || i >= r->n_summaries)
		return -1;
	const struct ion_value *sum = r->summaries[i];
	struct ion_error ie = { 0 };
	*seq = r->seqs[i];
	buf_clear(out);
	int rc = buf_append_byte(out, '{');
	bool comma = false;
	for (const struct ion_value *f = sum->u.c.first_child; !rc && f; f = f->next) {
		if (!f->field_name.text ||
		    (f->field_name.len == 17 &&
		     memcmp(f->field_name.text, "revisionSummaries", 17) == 0))
			continue;
		rc = comma ? buf_append_byte(out, ',') : 0;
		rc = rc ? rc : write_field(out, f);
		comma = true;
	}
	const struct ion_value *sums = ion_struct_get(sum, "revisionSummaries");
	if (!rc && sums) {
		rc = buf_append_str(out, ",revisions:[");
		for (const struct ion_value *s = sums->u.c.first_child; !rc && s; s = s->next) {
			const struct ion_value *h = ion_struct_get(s, "hash");
			const struct ion_value *rev = details_for(r, h);
			rc = s != sums->u.c.first_child ? buf_append_byte(out, ',') : 0;
			if (rev) {
				rc = rc ? rc : ion_write_text(out, rev, &ie);
			} else if (h) {
				rc = rc ? rc : buf_append_str(out, "{hash:");
				rc = rc ? rc : ion_write_text(out, h, &ie);
				rc = rc ? rc : buf_append_byte(out, '}');
			} else {
				rc = -1;
			}
		}
		rc = rc ? rc : buf_append_byte(out, ']');
	}
	rc = rc ? rc : buf_append_byte(out, '}');
	return rc ? -1 : 0;
}
