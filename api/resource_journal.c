/*
 * resource_journal.c - the journal's outlets as resource kinds: its
 * journal streams to Kinesis (ListJournalKinesisStreamsForLedger, every
 * page) and its exports to S3 (ListJournalS3ExportsForLedger, every
 * page). Parsers and calls are api/qldb_streams.c's; this file only says
 * how often, into which slot, and how a value reads in JSON.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <time.h>

#include "api/qldb_streams.h"
#include "api/resource.h"

static void iso_time(cJSON *o, const char *key, double t, bool has)
{
	char buf[32];
	time_t s = (time_t)t;
	struct tm tm;
	if (has && gmtime_r(&s, &tm) && strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
		cJSON_AddStringToObject(o, key, buf);
	else
		cJSON_AddNullToObject(o, key);
}

static void str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* --- streams ------------------------------------------------------------ */

static int streams_fetch(struct http_client *c, const char *ledger, void **value,
			 struct api_error *err)
{
	struct qldb_stream_list *l = calloc(1, sizeof *l);
	if (!l)
		return api_error_set(err, API_ERR_NOMEM, "streams %s: out of memory", ledger);
	int rc = qldb_list_journal_streams(c, ledger, l, err);
	if (rc) {
		qldb_stream_list_free(l);
		free(l);
		return rc;
	}
	*value = l;
	return 0;
}

static void streams_free(void *v)
{
	qldb_stream_list_free(v);
	free(v);
}

static void streams_json(const void *v, cJSON *arr)
{
	const struct qldb_stream_list *l = v;
	for (size_t i = 0; i < l->n; i++) {
		const struct qldb_journal_stream *s = &l->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "stream_id", s->stream_id);
		cJSON_AddStringToObject(o, "name", s->stream_name);
		cJSON_AddStringToObject(o, "status", s->status);
		str_or_null(o, "error_cause", s->error_cause);
		cJSON_AddStringToObject(o, "kinesis_stream_arn", s->kinesis_arn);
		if (s->has_aggregation)
			cJSON_AddBoolToObject(o, "aggregation", s->aggregation);
		else
			cJSON_AddNullToObject(o, "aggregation");
		iso_time(o, "inclusive_start", s->start, s->has_start);
		iso_time(o, "exclusive_end", s->end, s->has_end);
		iso_time(o, "created", s->created, s->has_created);
		cJSON_AddItemToArray(arr, o);
	}
}

const struct resource_desc RESOURCE_STREAMS = {
	.name = "streams",
	.operation = "ListJournalKinesisStreamsForLedger",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 30,
	.kind = STORE_STREAMS,
	.fetch = streams_fetch,
	.free_value = streams_free,
	.to_json = streams_json,
};

/* --- exports ------------------------------------------------------------ */

static int exports_fetch(struct http_client *c, const char *ledger, void **value,
			 struct api_error *err)
{
	struct qldb_export_list *l = calloc(1, sizeof *l);
	if (!l)
		return api_error_set(err, API_ERR_NOMEM, "exports %s: out of memory", ledger);
	int rc = qldb_list_journal_exports(c, ledger, l, err);
	if (rc) {
		qldb_export_list_free(l);
		free(l);
		return rc;
	}
	*value = l;
	return 0;
}

static void exports_free(void *v)
{
	qldb_export_list_free(v);
	free(v);
}

static void exports_json(const void *v, cJSON *arr)
{
	const struct qldb_export_list *l = v;
	for (size_t i = 0; i < l->n; i++) {
		const struct qldb_journal_export *e = &l->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "export_id", e->export_id);
		cJSON_AddStringToObject(o, "status", e->status);
		cJSON_AddStringToObject(o, "bucket", e->bucket);
		cJSON_AddStringToObject(o, "prefix", e->prefix);
		cJSON_AddStringToObject(o, "encryption", e->encryption);
		/* absent means ION_TEXT (the model's default) */
		cJSON_AddStringToObject(o, "output_format",
					e->output_format[0] ? e->output_format : "ION_TEXT");
		iso_time(o, "inclusive_start", e->start, true);
		iso_time(o, "exclusive_end", e->end, true);
		iso_time(o, "created", e->created, true);
		cJSON_AddItemToArray(arr, o);
	}
}

const struct resource_desc RESOURCE_EXPORTS = {
	.name = "exports",
	.operation = "ListJournalS3ExportsForLedger",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 60,
	.kind = STORE_EXPORTS,
	.fetch = exports_fetch,
	.free_value = exports_free,
	.to_json = exports_json,
};
