/*
 * resource_kinesis.c - the health of each journal stream's Kinesis target,
 * as a resource kind (STORE_KINESIS): the target's DescribeStreamSummary
 * (status, open shards, retention) and the stream's lag in blocks, the
 * ledger's digest tip minus the highest block the stream's records carry
 * (api/kinesis.h: kinesis_journal_scan within a budget of GetRecords; an
 * incomplete scan gives an upper bound and says so).
 *
 * One fetch lists the ledger's journal streams and takes a digest on the
 * worker's QLDB client, then asks Kinesis on a client beside it (the same
 * keys and stop flag). A target that cannot be read is that item's error,
 * not the whole kind's: the other streams still report.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/kinesis.h"
#include "api/qldb_streams.h"
#include "api/resource.h"
#include "api/resource_kinesis.h"

/* One live stream's target, into h (errors stay in h->error). */
static void health_read(struct kinesis_client *k, const struct qldb_journal_stream *s, uint64_t tip,
			struct kinesis_health *h)
{
	struct api_error err;
	api_error_clear(&err);
	snprintf(h->stream_id, sizeof h->stream_id, "%s", s->stream_id);
	snprintf(h->stream_name, sizeof h->stream_name, "%s", s->stream_name);
	h->lag = -1;
	struct kinesis_stream_summary sum;
	struct kinesis_journal_scan scan;
	if (kinesis_stream_name_from_arn(s->kinesis_arn, h->target, sizeof h->target, &err) ||
	    kinesis_describe_stream_summary(k, h->target, &sum, &err)) {
		snprintf(h->error, sizeof h->error, "%s", err.msg);
		return;
	}
	snprintf(h->status, sizeof h->status, "%s", sum.status);
	h->open_shards = sum.open_shards;
	h->retention_hours = sum.retention_hours;
	double since = (double)time(NULL) - KINESIS_SCAN_WINDOW_S;
	if (kinesis_journal_scan(k, h->target, since, KINESIS_SCAN_CALLS, &scan, &err)) {
		snprintf(h->error, sizeof h->error, "%s", err.msg);
		return;
	}
	h->lag = kinesis_lag_blocks(tip, &scan);
	h->lag_complete = scan.complete;
	h->records = scan.records;
}

static int kinesis_fetch(struct http_client *c, const char *ledger, void **value,
			 struct api_error *err)
{
	struct qldb_stream_list streams = { 0 };
	struct qldb_digest d;
	int rc = qldb_list_journal_streams(c, ledger, &streams, err);
	rc = rc ? rc : qldb_get_digest(c, ledger, &d, err);
	struct kinesis_health_list *out = rc ? NULL : calloc(1, sizeof *out);
	if (!rc && !out)
		rc = api_error_set(err, API_ERR_NOMEM, "kinesis %s: out of memory", ledger);
	struct kinesis_client *k = NULL;
	for (size_t i = 0; !rc && i < streams.n; i++) {
		const struct qldb_journal_stream *s = &streams.items[i];
		/* a finished stream delivers nothing more: its target is not its health */
		if (strcmp(s->status, "ACTIVE") != 0 && strcmp(s->status, "IMPAIRED") != 0)
			continue;
		if (out->n == KINESIS_HEALTH_MAX) {
			out->truncated = true;
			break;
		}
		if (!k && !(k = kinesis_client_beside(c, err)))
			rc = err->status;
		else
			health_read(k, s, d.sequence_no, &out->items[out->n++]);
	}
	kinesis_client_free(k);
	qldb_stream_list_free(&streams);
	if (rc) {
		free(out);
		return rc;
	}
	out->tip = d.sequence_no;
	*value = out;
	return 0;
}

static void kinesis_json(const void *v, cJSON *arr)
{
	const struct kinesis_health_list *l = v;
	for (size_t i = 0; i < l->n; i++) {
		const struct kinesis_health *h = &l->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "stream_id", h->stream_id);
		cJSON_AddStringToObject(o, "stream_name", h->stream_name);
		cJSON_AddStringToObject(o, "kinesis_stream", h->target);
		if (h->error[0]) {
			cJSON_AddNullToObject(o, "status");
			cJSON_AddNullToObject(o, "lag_blocks");
			cJSON_AddStringToObject(o, "error", h->error);
		} else {
			cJSON_AddStringToObject(o, "status", h->status);
			cJSON_AddNumberToObject(o, "open_shards", (double)h->open_shards);
			cJSON_AddNumberToObject(o, "retention_hours", (double)h->retention_hours);
			if (h->lag >= 0)
				cJSON_AddNumberToObject(o, "lag_blocks", (double)h->lag);
			else
				cJSON_AddNullToObject(o, "lag_blocks"); /* no block seen: unknown */
			/* incomplete: the lag is an upper bound */
			cJSON_AddBoolToObject(o, "lag_exact", h->lag_complete);
			cJSON_AddNumberToObject(o, "tip", (double)l->tip);
			cJSON_AddNullToObject(o, "error");
		}
		cJSON_AddItemToArray(arr, o);
	}
}

const struct resource_desc RESOURCE_KINESIS = {
	.name = "kinesis",
	.operation = "DescribeStreamSummary+GetRecords",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 30,
	.kind = STORE_KINESIS,
	.needs_active = true,
	.fetch = kinesis_fetch,
	.free_value = free,
	.to_json = kinesis_json,
};
