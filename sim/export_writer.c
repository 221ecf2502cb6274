/*
 * export_writer.c - QLDB journal exports into the endpoint's S3 (see
 * export_writer.h). Every piece is first Ion text (the journal's own block
 * text, or a manifest written here), parsed back with verify/'s reader and
 * then written in the export's format, so the three formats hold the same
 * values.
 */
#include "sim/export_writer.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/fail.h"
#include "sim/ion_fmt.h"
#include "sim/ion_json.h"
#include "verify/ion_write.h"

#define EXPORT_KEY_MAX 1200

enum export_format { FMT_TEXT, FMT_BINARY, FMT_JSON };

/* One data object or manifest being encoded. */
struct encoder {
	enum export_format fmt;
	struct buf out;
	struct ion_binary_writer *bin;
};

/* Append one top-level value, given as Ion text, in the encoder's format
 * (text and JSON one value per line, as QLDB's objects are). */
static int encode_value(struct encoder *e, const char *text, size_t len, char *err, size_t cap)
{
	if (e->fmt == FMT_TEXT)
		return buf_append(&e->out, text, len) || buf_append_byte(&e->out, '\n')
			       ? sim_fail(err, cap, "export: out of memory")
			       : 0;
	struct ion_arena *a = NULL;
	const struct ion_value *v;
	char why[200];
	struct ion_error ie = { 0 };
	int rc = ion_parse_one_alloc((const uint8_t *)text, len, "export value", &a, &v, why,
				     sizeof why);
	if (rc)
		rc = sim_fail(err, cap, "export: %s", why);
	else if (e->fmt == FMT_BINARY)
		rc = ion_binary_writer_add(e->bin, v, &ie)
			     ? sim_fail(err, cap, "export: Ion binary writer failed")
			     : 0;
	else
		rc = sim_ion_to_json(&e->out, v, err, cap) || buf_append_byte(&e->out, '\n') ? -1
											     : 0;
	ion_arena_free(a);
	return rc;
}

/* The encoded bytes of everything added (binary: IVM, symbols, values). */
static int encode_finish(struct encoder *e, char *err, size_t cap)
{
	struct ion_error ie = { 0 };
	if (e->fmt == FMT_BINARY && ion_binary_writer_finish(e->bin, &e->out, &ie))
		return sim_fail(err, cap, "export: Ion binary writer failed");
	return 0;
}

static int put_object(struct sim_s3 *s3, const struct sim_export_spec *sp, const char *key,
		      struct encoder *e, char *err, size_t cap)
{
	if (encode_finish(e, err, cap))
		return -1;
	int rc = sim_s3_put(s3, sp->bucket, key, e->out.data, e->out.len, err, cap);
	buf_clear(&e->out);
	return rc;
}

/* The started manifest's Ion text. */
static int started_manifest(struct buf *b, const struct sim_export_spec *sp)
{
	int rc = buf_append_str(b, "{ledgerName:");
	rc = rc ? rc : sim_ion_string(b, sp->ledger);
	rc = rc ? rc : buf_append_str(b, ",exportId:");
	rc = rc ? rc : sim_ion_string(b, sp->export_id);
	rc = rc ? rc : buf_append_str(b, ",inclusiveStartTime:");
	rc = rc ? rc : sim_ion_timestamp_ms(b, sp->start_ms);
	rc = rc ? rc : buf_append_str(b, ",exclusiveEndTime:");
	rc = rc ? rc : sim_ion_timestamp_ms(b, sp->end_ms);
	rc = rc ? rc : buf_append_str(b, ",bucket:");
	rc = rc ? rc : sim_ion_string(b, sp->bucket);
	rc = rc ? rc : buf_append_str(b, ",prefix:");
	rc = rc ? rc : sim_ion_string(b, sp->prefix);
	rc = rc ? rc : buf_append_str(b, ",objectEncryptionType:");
	rc = rc ? rc : sim_ion_string(b, sp->encryption);
	rc = rc ? rc : buf_append_str(b, ",outputFormat:");
	rc = rc ? rc : sim_ion_string(b, sp->format);
	return rc ? rc : buf_append_byte(b, '}');
}

/* <prefix>yyyy/mm/dd/hh/<strand>.<a>-<b>.<ext>, the hour of block a. */
static void object_key(char *key, size_t cap, const struct sim_export_spec *sp, const char *strand,
		       int64_t a, int64_t b, int64_t time_ms, bool json)
{
	time_t t = (time_t)(time_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(key, cap, "%s%04d/%02d/%02d/%02d/%s.%" PRId64 "-%" PRId64 ".%s", sp->prefix,
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, strand, a, b,
		 json ? "json" : "ion");
}

/* The data objects: runs of blocks in the time range. Their keys go to
 * keys (an Ion list's text). */
static int write_objects(struct sim_journal *j, struct sim_s3 *s3, const struct sim_export_spec *sp,
			 struct encoder *e, struct buf *keys, char *err, size_t cap)
{
	size_t per = sp->blocks_per_object ? sp->blocks_per_object : SIM_EXPORT_BLOCKS_PER_OBJECT;
	size_t n = sim_journal_block_count(j), in_object = 0;
	int64_t first = -1, first_ms = 0;
	char key[EXPORT_KEY_MAX];
	for (size_t seq = 0; seq <= n; seq++) {
		struct sim_block_info info;
		bool in = seq < n && sim_journal_block_info(j, (int64_t)seq, &info) == 0 &&
			  info.time_ms >= sp->start_ms && info.time_ms < sp->end_ms;
		/* an object ends when it is full or the range does */
		if (in_object && (!in || in_object == per)) {
			object_key(key, sizeof key, sp, sim_journal_strand(j), first,
				   (int64_t)seq - 1, first_ms, e->fmt == FMT_JSON);
			if (put_object(s3, sp, key, e, err, cap) != 0)
				return -1;
			if ((keys->len > 1 && buf_append_byte(keys, ',')) ||
			    sim_ion_string(keys, key))
				return sim_fail(err, cap, "export: out of memory");
			in_object = 0;
		}
		if (!in)
			continue;
		size_t len = 0;
		char *text = sim_journal_block_text(j, (int64_t)seq, &len);
		if (!text)
			return sim_fail(err, cap, "export: block %zu cannot be read", seq);
		int rc = encode_value(e, text, len, err, cap);
		free(text);
		if (rc)
			return -1;
		if (in_object++ == 0) {
			first = (int64_t)seq;
			first_ms = info.time_ms;
		}
	}
	return 0;
}

int sim_export_write(struct sim_journal *j, struct sim_s3 *s3, const struct sim_export_spec *sp,
		     char *err, size_t cap)
{
	if (!sim_s3_bucket_exists(s3, sp->bucket))
		return 1;
	struct encoder e = { .fmt = strcmp(sp->format, "ION_BINARY") == 0 ? FMT_BINARY
				    : strcmp(sp->format, "JSON") == 0	  ? FMT_JSON
									  : FMT_TEXT };
	struct buf text = { 0 }, keys = { 0 };
	char key[EXPORT_KEY_MAX];
	int rc = 0;
	if (e.fmt == FMT_BINARY && !(e.bin = ion_binary_writer_new()))
		return sim_fail(err, cap, "export: out of memory");
	/* the started manifest first: QLDB wrote it when it accepted the request */
	rc = started_manifest(&text, sp) ? sim_fail(err, cap, "export: out of memory") : 0;
	snprintf(key, sizeof key, "%s%s.started.manifest", sp->prefix, sp->export_id);
	rc = rc ? rc : encode_value(&e, (const char *)text.data, text.len, err, cap);
	rc = rc ? rc : put_object(s3, sp, key, &e, err, cap);
	rc = rc ? rc
		: (buf_append_byte(&keys, '[') ? sim_fail(err, cap, "export: out of memory") : 0);
	rc = rc ? rc : write_objects(j, s3, sp, &e, &keys, err, cap);
	/* the completed manifest: the keys, in order */
	buf_clear(&text);
	if (!rc && (buf_append_str(&text, "{keys:") || buf_append(&text, keys.data, keys.len) ||
		    buf_append_str(&text, "]}")))
		rc = sim_fail(err, cap, "export: out of memory");
	snprintf(key, sizeof key, "%s%s.%s.completed.manifest", sp->prefix, sp->export_id,
		 sim_journal_strand(j));
	rc = rc ? rc : encode_value(&e, (const char *)text.data, text.len, err, cap);
	rc = rc ? rc : put_object(s3, sp, key, &e, err, cap);
	buf_free(&text);
	buf_free(&keys);
	buf_free(&e.out);
	ion_binary_writer_free(e.bin);
	return rc < 0 ? -1 : rc;
}
