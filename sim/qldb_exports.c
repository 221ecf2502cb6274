/*
 * qldb_exports.c - journal exports to S3: ExportJournalToS3,
 * DescribeJournalS3Export, ListJournalS3ExportsForLedger and the
 * account-wide ListJournalS3Exports (qldb_api.h). ExportJournalToS3
 * writes the export into the endpoint's S3 at once (sim/export_writer.h);
 * it is IN_PROGRESS for the registry's export_ms, then COMPLETED, or
 * CANCELLED when its bucket does not exist. A ledger runs at most two at
 * once (LimitExceededException, as QLDB documents).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/export_writer.h"
#include "sim/qldb_api.h"
#include "sim/qldb_handlers.h"

#define LIST_KIND "ListExports"
#define LIST_LEDGER_KIND "ListLedgerExports"
#define BUCKET_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."

static const char *const ENCRYPTIONS[] = { "SSE_KMS", "SSE_S3", "NO_ENCRYPTION", NULL };
static const char *const FORMATS[] = { "ION_BINARY", "ION_TEXT", "JSON", NULL };
static const char *const STATUS[] = {
	[SIM_EXPORT_IN_PROGRESS] = "IN_PROGRESS",
	[SIM_EXPORT_COMPLETED] = "COMPLETED",
	[SIM_EXPORT_CANCELLED] = "CANCELLED",
};

/* JournalS3ExportDescription, members in the model's order. */
static cJSON *export_json(const struct sim_ledgers *ls, const char *ledger,
			  const struct sim_export *e, int64_t now)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "LedgerName", ledger);
	cJSON_AddStringToObject(o, "ExportId", e->id);
	cJSON_AddItemToObject(o, "ExportCreationTime", sim_json_timestamp(e->created_ms));
	cJSON_AddStringToObject(o, "Status", STATUS[sim_export_status(ls, e, now)]);
	cJSON_AddItemToObject(o, "InclusiveStartTime", sim_json_timestamp(e->start_ms));
	cJSON_AddItemToObject(o, "ExclusiveEndTime", sim_json_timestamp(e->end_ms));
	cJSON *c = cJSON_AddObjectToObject(o, "S3ExportConfiguration");
	cJSON_AddStringToObject(c, "Bucket", e->bucket);
	cJSON_AddStringToObject(c, "Prefix", e->prefix);
	cJSON *enc = cJSON_AddObjectToObject(c, "EncryptionConfiguration");
	cJSON_AddStringToObject(enc, "ObjectEncryptionType", e->encryption);
	if (e->kms_key_arn)
		cJSON_AddStringToObject(enc, "KmsKeyArn", e->kms_key_arn);
	cJSON_AddStringToObject(o, "RoleArn", e->role_arn);
	cJSON_AddStringToObject(o, "OutputFormat", e->format);
	return o;
}

struct export_req {
	int64_t start, end;
	const char *bucket, *prefix, *encryption, *kms, *role, *format;
};

static int invalid(struct sim_response *res, const char *param, const char *msg)
{
	sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, param, "%s", msg);
	return -1;
}

static int read_request(const cJSON *body, struct export_req *q, struct sim_response *res)
{
	const cJSON *cfg = NULL, *enc = NULL;
	q->format = "ION_TEXT"; /* the model's default */
	if (sim_qldb_time(body, "InclusiveStartTime", true, &q->start, res) < 0 ||
	    sim_qldb_time(body, "ExclusiveEndTime", true, &q->end, res) < 0 ||
	    sim_qldb_object(body, "S3ExportConfiguration", true, &cfg, res) < 0 ||
	    sim_qldb_str(cfg, "S3ExportConfiguration.Bucket", true, 3, 255, &q->bucket, res) < 0 ||
	    sim_qldb_str(cfg, "S3ExportConfiguration.Prefix", true, 0, 128, &q->prefix, res) < 0 ||
	    sim_qldb_object(cfg, "S3ExportConfiguration.EncryptionConfiguration", true, &enc, res) <
		    0 ||
	    sim_qldb_enum(enc, "S3ExportConfiguration.EncryptionConfiguration.ObjectEncryptionType",
			  true, ENCRYPTIONS, &q->encryption, res) < 0 ||
	    sim_qldb_str(enc, "S3ExportConfiguration.EncryptionConfiguration.KmsKeyArn", false, 20,
			 SIM_ARN_MAX, &q->kms, res) < 0 ||
	    sim_qldb_role_arn(body, "RoleArn", &q->role, res) < 0 ||
	    sim_qldb_enum(body, "OutputFormat", false, FORMATS, &q->format, res) < 0)
		return -1;
	if (strspn(q->bucket, BUCKET_CHARS) != strlen(q->bucket))
		return invalid(res, "S3ExportConfiguration.Bucket",
			       "S3ExportConfiguration.Bucket must be 3..255 of [A-Za-z0-9-_.]");
	const char *kms_param = "S3ExportConfiguration.EncryptionConfiguration.KmsKeyArn";
	if (strcmp(q->encryption, "SSE_KMS") == 0 && !q->kms)
		return invalid(res, kms_param, "KmsKeyArn is required with SSE_KMS");
	if (q->kms && !sim_qldb_s3_kms_arn_valid(q->kms))
		return invalid(res, kms_param, "KmsKeyArn must be a KMS key or alias ARN");
	if (q->end <= q->start)
		return invalid(res, "ExclusiveEndTime",
			       "ExclusiveEndTime must be after InclusiveStartTime");
	return 0;
}

/* The record's copies of the request's strings; NULL when out of memory. */
static struct sim_export *export_copy(const struct export_req *q)
{
	struct sim_export *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->bucket = strdup(q->bucket);
	e->prefix = strdup(q->prefix);
	e->role_arn = strdup(q->role);
	e->kms_key_arn = q->kms ? strdup(q->kms) : NULL;
	if (!e->bucket || !e->prefix || !e->role_arn || (q->kms && !e->kms_key_arn)) {
		free(e->bucket);
		free(e->prefix);
		free(e->role_arn);
		free(e->kms_key_arn);
		free(e);
		return NULL;
	}
	return e;
}

/* The export's objects, into S3 now; a missing bucket cancels it (as
 * QLDB's export failed). Without an S3 (handler tests) only the record
 * exists. 0, or -1 after a 500. */
static int write_export(struct sim_s3 *s3, const char *ledger, struct sim_ledger *l,
			struct sim_export *e, struct sim_response *res)
{
	struct sim_export_spec spec = { .ledger = ledger,
					.export_id = e->id,
					.bucket = e->bucket,
					.prefix = e->prefix,
					.format = e->format,
					.encryption = e->encryption,
					.start_ms = e->start_ms,
					.end_ms = e->end_ms };
	char err[SIM_MESSAGE_MAX] = "";
	if (l->fail_next_export) { /* a scenario's fail-export */
		l->fail_next_export = false;
		e->cancelled = true;
		return 0;
	}
	if (!s3)
		return 0;
	int rc = sim_export_write(l->journal, s3, &spec, err, sizeof err);
	if (rc < 0) {
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL, "ExportJournalToS3: %s",
				   err);
		return -1;
	}
	e->cancelled = rc == 1;
	return 0;
}

void sim_qldb_export_journal(void *svc, const struct sim_call *call, struct sim_response *res)
{
	const char *name = sim_qldb_path_name(call, "Name", res);
	cJSON *body = name ? sim_qldb_body(call, res) : NULL;
	struct export_req q = { 0 };
	if (!body || read_request(body, &q, res) != 0) {
		cJSON_Delete(body);
		return;
	}
	struct sim_export *copy = export_copy(&q);
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now = sim_ledgers_lock(ls);
	struct sim_ledger *l = copy ? sim_qldb_ledger_get(ls, name, res) : NULL;
	bool ok = l && sim_qldb_ledger_active(l, now, call->operation, res) == 0;
	if (!copy)
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL, "out of memory");
	if (ok && q.end > now)
		ok = invalid(res, "ExclusiveEndTime", "ExclusiveEndTime is in the future") == 0;
	/* QLDB: a start before the ledger's creation means its creation */
	int64_t start = l && q.start < l->created_ms ? l->created_ms : q.start;
	if (ok && start >= q.end)
		ok = invalid(res, "ExclusiveEndTime",
			     "the time range ends before the ledger was created") == 0;
	size_t running = 0;
	for (size_t i = 0; ok && i < l->n_exports; i++)
		running += sim_export_status(ls, l->exports[i], now) == SIM_EXPORT_IN_PROGRESS;
	if (ok && running >= SIM_EXPORTS_IN_PROGRESS_MAX) {
		sim_response_error(res, SIM_ERR_LIMIT_EXCEEDED, "EXPORT", NULL, NULL,
				   "ledger '%s' already runs %d journal exports", name,
				   SIM_EXPORTS_IN_PROGRESS_MAX);
		ok = false;
	}
	struct sim_export *e = ok ? sim_ledger_export_new(ls, l) : NULL;
	if (ok && !e)
		sim_response_error(res, SIM_ERR_LIMIT_EXCEEDED, "EXPORT", NULL, NULL,
				   "ledger '%s' holds at most %d journal exports", name,
				   SIM_EXPORTS_MAX);
	if (e) {
		e->bucket = copy->bucket;
		e->prefix = copy->prefix;
		e->role_arn = copy->role_arn;
		e->kms_key_arn = copy->kms_key_arn;
		free(copy);
		copy = NULL;
		e->encryption = q.encryption;
		e->format = q.format;
		e->created_ms = now;
		e->start_ms = start;
		e->end_ms = q.end;
		ok = write_export(((struct sim_qldb *)svc)->s3, name, l, e, res) == 0;
		if (ok && sim_qldb_changed(ls, res) == 0) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "ExportId", e->id);
			sim_response_json(res, o);
		}
	}
	sim_ledgers_unlock(ls);
	if (copy) {
		free(copy->bucket);
		free(copy->prefix);
		free(copy->role_arn);
		free(copy->kms_key_arn);
		free(copy);
	}
	cJSON_Delete(body);
}

void sim_qldb_describe_export(void *svc, const struct sim_call *call, struct sim_response *res)
{
	const char *name = sim_qldb_path_name(call, "Name", res);
	const char *id = name ? sim_qldb_path_id(call, 1, "ExportId", res) : NULL;
	if (!id)
		return;
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	int64_t now = sim_ledgers_lock(ls);
	const struct sim_ledger *l = sim_qldb_ledger_get(ls, name, res);
	const struct sim_export *e = l ? sim_ledger_export_find(l, id) : NULL;
	if (l && !e)
		sim_response_error(res, SIM_ERR_RESOURCE_NOT_FOUND, "EXPORT", id, NULL,
				   "ledger '%s' has no journal export %s", name, id);
	if (e) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "ExportDescription", export_json(ls, l->name, e, now));
		sim_response_json(res, o);
	}
	sim_ledgers_unlock(ls);
}

void sim_qldb_list_ledger_exports(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	const char *name = sim_qldb_path_name(call, "Name", res);
	size_t max;
	uint64_t after;
	if (!name || sim_qldb_page(ls, call, LIST_LEDGER_KIND, name, &max, &after, res) != 0)
		return;
	int64_t now = sim_ledgers_lock(ls);
	const struct sim_ledger *l = sim_qldb_ledger_get(ls, name, res);
	if (l) {
		cJSON *o = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(o, "JournalS3Exports");
		size_t n = 0;
		uint64_t last = 0;
		for (size_t i = 0; i < l->n_exports; i++) {
			const struct sim_export *e = l->exports[i];
			if (e->seq <= after)
				continue;
			if (n == max) {
				sim_qldb_page_token(ls, o, LIST_LEDGER_KIND, name, last);
				break;
			}
			cJSON_AddItemToArray(list, export_json(ls, l->name, e, now));
			last = e->seq;
			n++;
		}
		sim_response_json(res, o);
	}
	sim_ledgers_unlock(ls);
}

/* An export and its ledger, for the account-wide list. */
struct entry {
	const struct sim_ledger *l;
	const struct sim_export *e;
};

static int by_seq(const void *a, const void *b)
{
	uint64_t x = ((const struct entry *)a)->e->seq, y = ((const struct entry *)b)->e->seq;
	return x < y ? -1 : x > y;
}

void sim_qldb_list_exports(void *svc, const struct sim_call *call, struct sim_response *res)
{
	struct sim_ledgers *ls = sim_qldb_registry(svc);
	size_t max;
	uint64_t after;
	if (sim_qldb_page(ls, call, LIST_KIND, "", &max, &after, res) != 0)
		return;
	int64_t now = sim_ledgers_lock(ls);
	size_t total = 0, n = 0;
	for (size_t i = 0; i < ls->n; i++)
		total += ls->v[i]->gone ? 0 : ls->v[i]->n_exports;
	struct entry *all = calloc(total ? total : 1, sizeof *all);
	if (!all) {
		sim_ledgers_unlock(ls);
		sim_response_error(res, SIM_ERR_INTERNAL, NULL, NULL, NULL, "out of memory");
		return;
	}
	for (size_t i = 0; i < ls->n; i++)
		for (size_t k = 0; !ls->v[i]->gone && k < ls->v[i]->n_exports; k++)
			if (ls->v[i]->exports[k]->seq > after)
				all[n++] = (struct entry){ ls->v[i], ls->v[i]->exports[k] };
	qsort(all, n, sizeof *all, by_seq);
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "JournalS3Exports");
	size_t shown = n < max ? n : max;
	for (size_t i = 0; i < shown; i++)
		cJSON_AddItemToArray(list, export_json(ls, all[i].l->name, all[i].e, now));
	if (shown < n)
		sim_qldb_page_token(ls, o, LIST_KIND, "", all[shown - 1].e->seq);
	sim_ledgers_unlock(ls);
	free(all);
	sim_response_json(res, o);
}
