/*
 * qldb_streams.c - journal streams to Kinesis: StreamJournalToKinesis,
 * DescribeJournalKinesisStream, ListJournalKinesisStreamsForLedger,
 * CancelJournalKinesisStream (qldb_api.h). The records only: no data
 * moves to Kinesis yet. Status ACTIVE, COMPLETED once ExclusiveEndTime
 * has passed, CANCELED after a cancel (which needs ACTIVE, as QLDB).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/qldb_handlers.h"

#define LIST_KIND "ListStreams"

static const char *const STATUS[] = {
	[SIM_STREAM_ACTIVE] = "ACTIVE",
	[SIM_STREAM_COMPLETED] = "COMPLETED",
	[SIM_STREAM_CANCELED] = "CANCELED",
	[SIM_STREAM_IMPAIRED] = "IMPAIRED",
};

/* JournalKinesisStreamDescription, members in the model's order. */
static cJSON *stream_json(const struct sim_call *call, const char *ledger,
			  const struct sim_stream *s, int64_t now)
{
	char arn[SIM_QLDB_ARN_BUF];
	sim_qldb_stream_arn(call, ledger, s->id, arn);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "LedgerName", ledger);
	cJSON_AddItemToObject(o, "CreationTime", sim_json_timestamp(s->created_ms));
	cJSON_AddItemToObject(o, "InclusiveStartTime", sim_json_timestamp(s->start_ms));
	if (s->has_end)
		cJSON_AddItemToObject(o, "ExclusiveEndTime", sim_json_timestamp(s->end_ms));
	cJSON_AddStringToObject(o, "RoleArn", s->role_arn);
	cJSON_AddStringToObject(o, "StreamId", s->id);
	cJSON_AddStringToObject(o, "Arn", arn);
	cJSON_AddStringToObject(o, "Status", STATUS[sim_stream_status(s, now)]);
	cJSON *k = cJSON_AddObjectToObject(o, "KinesisConfiguration");
	cJSON_AddStringToObject(k, "StreamArn", s->kinesis_arn);
	cJSON_AddBoolToObject(k, "AggregationEnabled", s->aggregation);
	cJSON_AddStringToObject(o, "StreamName", s->name);
	if (sim_stream_status(s, now) == SIM_STREAM_IMPAIRED)
		cJSON_AddStringToObject(o, "ErrorCause", sim_stream_error_cause(s));
	return o;
}

/* The request's members, read and checked; 0 or -1 after the error. */
struct stream_req {
	const char *role, *name, *kinesis;
	const cJSON *tags;
	bool aggregation;
	int64_t start, end;
	int has_end;
};

static int read_request(const cJSON *body, struct stream_req *q, struct sim_response *res)
{
	const cJSON *kc = NULL;
	q->aggregation = true;
	if (sim_qldb_role_arn(body, "RoleArn", &q->role, res) < 0 ||
	    sim_qldb_tags(body, "Tags", false, &q->tags, res) < 0 ||
	    sim_qldb_time(body, "InclusiveStartTime", true, &q->start, res) < 0 ||
	    (q->has_end = sim_qldb_time(body, "ExclusiveEndTime", false, &q->end, res)) < 0 ||
	    sim_qldb_object(body, "KinesisConfiguration", true, &kc, res) < 0 ||
	    sim_qldb_str(kc, "KinesisConfiguration.StreamArn", true, 20, SIM_ARN_MAX, &q->kinesis,
			 res) < 0 ||
	    sim_qldb_bool(kc, "KinesisConfiguration.AggregationEnabled", false, &q->aggregation,
			  res) < 0 ||
	    sim_qldb_str(body, "StreamName", true, 1, SIM_LEDGER_NAME_MAX, &q->name, res) < 0)
		return -1;
	if (!sim_qldb_kinesis_arn_valid(q->kinesis)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL,
				   "KinesisConfiguration.StreamArn",
				   "KinesisConfiguration.StreamArn must be a Kinesis stream ARN "
				   "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
		return -1;
	}
	if (!sim_ledger_name_valid(q->name)) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "StreamName",
				   "invalid stream name '%.40s': 1..32 of [A-Za-z0-9-], not all "
				   "digits, no leading, trailing or double '-'",
				   q->name);
		return -1;
	}
	if (q->has_end && q->end <= q->start) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "ExclusiveEndTime",
				   "ExclusiveEndTime must be after InclusiveStartTime");
		return -1;
	}
	return 0;
}

void sim_qldb_stream_journal(void *svc, const struct sim_call *call, struct sim_response *res)
{
	const char *name = sim_qldb_path_name(call, "LedgerName", res);
	cJSON *body = name ? sim_qldb_body(call, res) : NULL;
	struct stream_req q = { 0 };
	if (!body || read_request(body, &q, res) != 0) {
		cJSON_Delete(body);
		return;
	}
	/* copies first, so the record is whole or absent */
	char *role = strdup(q.role), *kinesis = strdup(q.kinesis);
	struct sim_tags tags = { 0 };
	bool oom = !role || !kinesis;
	const cJSON *kv;
	if (q.tags)
		cJSON_ArrayForEach(kv, q.tags)
		{
			const char *v = cJSON_IsString(kv) ? kv->valuestring : "";
			oom = oom || sim_tags_set(&tags, kv->string, v) != 0;
		}
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now = sim_ledgers_lock(ls);
	struct sim_ledger *l = oom ? NULL : sim_qldb_ledger_get(ls, name, res);
	struct sim_stream *s = NULL;
	bool ok = l && sim_qldb_ledger_active(l, now, call->operation, res) == 0;
	if (oom)
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL, "out of memory");
	if (ok && q.start > now) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "InclusiveStartTime",
				   "InclusiveStartTime is in the future");
		ok = false;
	}
	if (ok && !(s = sim_ledger_stream_new(ls, l)))
		sim_response_error(res, SIM_ERR_LIMIT_EXCEEDED, "STREAM", NULL, NULL,
				   "ledger '%s' holds at most %d journal streams", name,
				   SIM_STREAMS_MAX);
	if (s) {
		snprintf(s->name, sizeof s->name, "%s", q.name);
		s->role_arn = role;
		s->kinesis_arn = kinesis;
		s->tags = tags;
		role = kinesis = NULL;
		tags = (struct sim_tags){ 0 };
		s->aggregation = q.aggregation;
		s->created_ms = now;
		/* QLDB: a start before the ledger's creation means its creation */
		s->start_ms = q.start < l->created_ms ? l->created_ms : q.start;
		s->has_end = q.has_end;
		s->end_ms = q.end;
		if (sim_qldb_changed(ls, res) == 0) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "StreamId", s->id);
			sim_response_json(res, o);
		}
	}
	sim_ledgers_unlock(ls);
	free(role);
	free(kinesis);
	sim_tags_free(&tags);
	cJSON_Delete(body);
}

/* The path's ledger and stream, locked (*now set); NULL after an error
 * (the registry is then unlocked). */
static struct sim_stream *stream_of(struct sim_ledgers *ls, const struct sim_call *call,
				    int64_t *now, struct sim_ledger **lp, struct sim_response *res)
{
	const char *name = sim_qldb_path_name(call, "LedgerName", res);
	const char *id = name ? sim_qldb_path_id(call, 1, "StreamId", res) : NULL;
	if (!id)
		return NULL;
	*now = sim_ledgers_lock(ls);
	struct sim_ledger *l = sim_qldb_ledger_get(ls, name, res);
	struct sim_stream *s = l ? sim_ledger_stream_find(l, id) : NULL;
	if (l && !s)
		sim_response_error(res, SIM_ERR_RESOURCE_NOT_FOUND, "STREAM", id, NULL,
				   "ledger '%s' has no journal stream %s", name, id);
	if (!s)
		sim_ledgers_unlock(ls);
	*lp = l;
	return s;
}

void sim_qldb_describe_stream(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	struct sim_ledger *l;
	int64_t now;
	struct sim_stream *s = stream_of(ls, call, &now, &l, res);
	if (!s)
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "Stream", stream_json(call, l->name, s, now));
	sim_ledgers_unlock(ls);
	sim_response_json(res, o);
}

void sim_qldb_cancel_stream(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	struct sim_ledger *l;
	int64_t now;
	struct sim_stream *s = stream_of(ls, call, &now, &l, res);
	if (!s)
		return;
	enum sim_stream_status st = sim_stream_status(s, now);
	if (st != SIM_STREAM_ACTIVE && st != SIM_STREAM_IMPAIRED) {
		sim_response_error(res, SIM_ERR_RESOURCE_PRECONDITION, "STREAM", s->id, NULL,
				   "journal stream %s is %s; only an ACTIVE or IMPAIRED stream can "
				   "be canceled",
				   s->id, STATUS[st]);
	} else {
		s->canceled_ms = now > 0 ? now : 1;
		if (sim_qldb_changed(ls, res) == 0) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "StreamId", s->id);
			sim_response_json(res, o);
		}
	}
	sim_ledgers_unlock(ls);
}

void sim_qldb_list_streams(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	const char *name = sim_qldb_path_name(call, "LedgerName", res);
	size_t max;
	uint64_t after;
	if (!name || sim_qldb_page(ls, call, LIST_KIND, name, &max, &after, res) != 0)
		return;
	int64_t now = sim_ledgers_lock(ls);
	const struct sim_ledger *l = sim_qldb_ledger_get(ls, name, res);
	if (l) {
		cJSON *o = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(o, "Streams");
		size_t n = 0;
		uint64_t last = 0;
		for (size_t i = 0; i < l->n_streams; i++) {
			const struct sim_stream *s = l->streams[i];
			if (s->seq <= after)
				continue;
			if (n == max) {
				sim_qldb_page_token(ls, o, LIST_KIND, name, last);
				break;
			}
			cJSON_AddItemToArray(list, stream_json(call, l->name, s, now));
			last = s->seq;
			n++;
		}
		sim_response_json(res, o);
	}
	sim_ledgers_unlock(ls);
}
