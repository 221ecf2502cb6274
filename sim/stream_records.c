/*
 * stream_records.c - journal stream records and KPL aggregation (see
 * stream_records.h). Each record is written as Ion text from the parsed
 * block's own values (verify/'s text writer), parsed back and written as
 * Ion binary, so the bytes are what the block holds.
 */
#include "sim/stream_records.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fail.h"
#include "sim/ion_fmt.h"
#include "verify/ion.h"
#include "verify/ion_write.h"

static const uint8_t KPL_MAGIC[4] = { 0xf3, 0x89, 0x9a, 0xc2 };

/* Ion text -> Ion binary, appended to out. */
static int to_binary(const struct buf *text, struct buf *out)
{
	struct ion_arena *a = NULL;
	const struct ion_value *v;
	char why[160];
	struct ion_error ie = { 0 };
	struct ion_binary_writer *w = ion_binary_writer_new();
	int rc = !w || ion_parse_one_alloc(text->data, text->len, NULL, &a, &v, why, sizeof why) ||
		 ion_binary_writer_add(w, v, &ie) || ion_binary_writer_finish(w, out, &ie);
	ion_binary_writer_free(w);
	ion_arena_free(a);
	return rc ? -1 : 0;
}

/* name:value, the value as verify/ writes it. */
static int field(struct buf *b, const char *name, const struct ion_value *v, bool comma)
{
	struct ion_error ie = { 0 };
	int rc = comma ? buf_append_byte(b, ',') : 0;
	rc = rc ? rc : sim_ion_field(b, name);
	return rc ? rc : ion_write_text(b, v, &ie);
}

static int record_head(struct buf *b, const char *arn, const char *type)
{
	int rc = buf_append_str(b, "{qldbStreamArn:");
	rc = rc ? rc : sim_ion_string(b, arn);
	rc = rc ? rc : buf_append_str(b, ",recordType:");
	rc = rc ? rc : sim_ion_string(b, type);
	return rc ? rc : buf_append_str(b, ",payload:");
}

int sim_stream_control_record(const char *stream_arn, const char *control_type, struct buf *out)
{
	struct buf t = { 0 };
	int rc = record_head(&t, stream_arn, "CONTROL");
	rc = rc ? rc : buf_append_str(&t, "{controlRecordType:");
	rc = rc ? rc : sim_ion_string(&t, control_type);
	rc = rc ? rc : buf_append_str(&t, "}}");
	rc = rc ? rc : to_binary(&t, out);
	buf_free(&t);
	return rc;
}

static bool name_is(const struct ion_value *v, const char *name)
{
	return v->field_name.text && v->field_name.len == strlen(name) &&
	       memcmp(v->field_name.text, name, v->field_name.len) == 0;
}

/* BLOCK_SUMMARY: every block field but revisions, then revisionSummaries. */
static int block_summary(struct buf *t, const char *arn, const struct ion_value *block)
{
	int rc = record_head(t, arn, "BLOCK_SUMMARY");
	rc = rc ? rc : buf_append_byte(t, '{');
	bool comma = false;
	const struct ion_value *revs = NULL;
	for (const struct ion_value *f = block->u.c.first_child; !rc && f; f = f->next) {
		if (name_is(f, "revisions")) {
			revs = f;
			continue;
		}
		char name[64];
		size_t n =
			f->field_name.len < sizeof name - 1 ? f->field_name.len : sizeof name - 1;
		memcpy(name, f->field_name.text ? f->field_name.text : "", n);
		name[n] = '\0';
		rc = field(t, name, f, comma);
		comma = true;
	}
	if (!rc && revs) {
		rc = buf_append_str(t, ",revisionSummaries:[");
		for (const struct ion_value *r = revs->u.c.first_child; !rc && r; r = r->next) {
			const struct ion_value *id =
				ion_struct_get(ion_struct_get(r, "metadata"), "id");
			rc = buf_append_str(t, r == revs->u.c.first_child ? "{" : ",{");
			if (!rc && id)
				rc = field(t, "documentId", id, false);
			rc = rc ? rc : field(t, "hash", ion_struct_get(r, "hash"), id != NULL);
			rc = rc ? rc : buf_append_byte(t, '}');
		}
		rc = rc ? rc : buf_append_byte(t, ']');
	}
	return rc ? rc : buf_append_str(t, "}}");
}

/* REVISION_DETAILS of revision r, its table from transactionInfo. */
static int revision_details(struct buf *t, const char *arn, const struct ion_value *block,
			    const struct ion_value *r)
{
	const struct ion_value *meta = ion_struct_get(r, "metadata");
	const struct ion_value *id = ion_struct_get(meta, "id");
	const struct ion_value *docs =
		ion_struct_get(ion_struct_get(block, "transactionInfo"), "documents");
	const struct ion_value *doc = NULL;
	for (const struct ion_value *d = docs ? docs->u.c.first_child : NULL; d && id; d = d->next)
		if (d->field_name.text && d->field_name.len == id->u.bytes.len &&
		    memcmp(d->field_name.text, id->u.bytes.data, id->u.bytes.len) == 0)
			doc = d;
	const struct ion_value *tn = ion_struct_get(doc, "tableName");
	const struct ion_value *ti = ion_struct_get(doc, "tableId");
	int rc = record_head(t, arn, "REVISION_DETAILS");
	rc = rc ? rc : buf_append_str(t, "{tableInfo:{");
	if (!rc && tn && ti) {
		rc = field(t, "tableName", tn, false);
		rc = rc ? rc : field(t, "tableId", ti, true);
	}
	rc = rc ? rc : buf_append_str(t, "},revision:{");
	static const char *const FIELDS[] = { "blockAddress", "hash", "data", "dataHash",
					      "metadata" };
	bool comma = false;
	for (size_t i = 0; !rc && i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
		const struct ion_value *v = ion_struct_get(r, FIELDS[i]);
		if (!v)
			continue;
		rc = field(t, FIELDS[i], v, comma);
		comma = true;
	}
	return rc ? rc : buf_append_str(t, "}}}");
}

int sim_stream_block_records(const char *stream_arn, const char *block_text, size_t len,
			     struct buf *recs, size_t max, size_t *n, char *err, size_t cap)
{
	*n = 0;
	struct ion_arena *a = NULL;
	const struct ion_value *block;
	char why[160];
	struct buf t = { 0 };
	int rc = 0;
	if (ion_parse_one_alloc((const uint8_t *)block_text, len, "block", &a, &block, why,
				sizeof why) ||
	    block->type != ION_TYPE_STRUCT) {
		ion_arena_free(a);
		return sim_fail(err, cap, "stream: %s", why);
	}
	const struct ion_value *revs = ion_struct_get(block, "revisions");
	if (max < 1 || block_summary(&t, stream_arn, block) || to_binary(&t, &recs[(*n)++]))
		rc = sim_fail(err, cap, "stream: cannot write the block summary");
	for (const struct ion_value *r = revs ? revs->u.c.first_child : NULL; !rc && r;
	     r = r->next) {
		if (!ion_struct_get(r, "metadata"))
			continue; /* an internal, hash-only revision: no details */
		buf_clear(&t);
		if (*n >= max || revision_details(&t, stream_arn, block, r) ||
		    to_binary(&t, &recs[(*n)++]))
			rc = sim_fail(err, cap, "stream: cannot write a revision's details");
	}
	buf_free(&t);
	ion_arena_free(a);
	return rc;
}

/* ---- KPL ---------------------------------------------------------------- */

static int varint(struct buf *b, uint64_t v)
{
	int rc = 0;
	while (!rc && v >= 0x80) {
		rc = buf_append_byte(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	return rc ? rc : buf_append_byte(b, (uint8_t)v);
}

/* A length-delimited protobuf field. */
static int pb_bytes(struct buf *b, unsigned field_no, const void *p, size_t n)
{
	int rc = varint(b, ((uint64_t)field_no << 3) | 2);
	rc = rc ? rc : varint(b, n);
	return rc ? rc : buf_append(b, p, n);
}

static int md5(const uint8_t *p, size_t n, uint8_t out[16])
{
	unsigned len = 0;
	return EVP_Digest(p, n, out, &len, EVP_md5(), NULL) == 1 && len == 16 ? 0 : -1;
}

int sim_kpl_aggregate(struct buf *out, const char *partition_key, const struct buf *recs, size_t n)
{
	struct buf pb = { 0 }, rec = { 0 };
	/* AggregatedRecord: partition_key_table = 1, records = 3; Record:
	 * partition_key_index = 1 (varint), data = 3 */
	int rc = pb_bytes(&pb, 1, partition_key, strlen(partition_key));
	for (size_t i = 0; !rc && i < n; i++) {
		buf_clear(&rec);
		rc = varint(&rec, 1 << 3 | 0) || varint(&rec, 0) ||
		     pb_bytes(&rec, 3, recs[i].data, recs[i].len) ||
		     pb_bytes(&pb, 3, rec.data, rec.len);
	}
	uint8_t digest[16];
	rc = rc ? rc : md5(pb.data, pb.len, digest);
	rc = rc ? rc : buf_append(out, KPL_MAGIC, 4);
	rc = rc ? rc : buf_append(out, pb.data, pb.len);
	rc = rc ? rc : buf_append(out, digest, 16);
	buf_free(&pb);
	buf_free(&rec);
	return rc ? -1 : 0;
}

/* ---- reading KPL ------------------------------------------------------- */

struct pb {
	const uint8_t *p;
	size_t n, at;
};

static int read_varint(struct pb *r, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->at >= r->n)
			return -1;
		uint8_t c = r->p[r->at++];
		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -1;
}

/* The next field: its number, wire type, and for type 2 its bytes. */
static int read_field(struct pb *r, unsigned *no, unsigned *type, const uint8_t **p, size_t *n)
{
	uint64_t key, v;
	if (read_varint(r, &key))
		return -1;
	*no = (unsigned)(key >> 3);
	*type = (unsigned)(key & 7);
	if (*type == 0)
		return read_varint(r, &v);
	if (*type != 2 || read_varint(r, &v) || v > r->n - r->at)
		return -1;
	*p = r->p + r->at;
	*n = (size_t)v;
	r->at += (size_t)v;
	return 0;
}

long sim_kpl_deaggregate(const uint8_t *data, size_t len,
			 int (*fn)(void *ctx, const uint8_t *rec, size_t n), void *ctx)
{
	if (len < 4 || memcmp(data, KPL_MAGIC, 4) != 0)
		return 0;
	uint8_t digest[16];
	if (len < 20 || md5(data + 4, len - 20, digest) || memcmp(digest, data + len - 16, 16))
		return -1;
	struct pb r = { data + 4, len - 20, 0 };
	long count = 0;
	while (r.at < r.n) {
		unsigned no, type;
		const uint8_t *p = NULL;
		size_t n = 0;
		if (read_field(&r, &no, &type, &p, &n))
			return -1;
		if (no != 3 || type != 2)
			continue; /* partition keys, hash keys */
		struct pb in = { p, n, 0 };
		const uint8_t *rec = NULL;
		size_t rn = 0;
		while (in.at < in.n) {
			unsigned ino, itype;
			const uint8_t *ip = NULL;
			size_t in_n = 0;
			if (read_field(&in, &ino, &itype, &ip, &in_n))
				return -1;
			if (ino == 3 && itype == 2) {
				rec = ip;
				rn = in_n;
			}
		}
		if (!rec || fn(ctx, rec, rn) != 0)
			return -1;
		count++;
	}
	return count;
}
