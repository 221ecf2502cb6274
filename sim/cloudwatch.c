/*
 * cloudwatch.c - the endpoint's CloudWatch (see cloudwatch.h): protocol
 * dispatch, the answers of GetMetricData and ListMetrics in the query/XML
 * and JSON 1.0 forms, and the errors of both. Requests are read by
 * cloudwatch_request.c, the numbers come from cloudwatch_series.c.
 *
 * A request is JSON 1.0 when it carries X-Amz-Target
 * (GraniteServiceVersion20100801.<Operation>), else the query form. Errors
 * before dispatch (signature, size) cannot see the request: they take the
 * query shape, which the Debian CLI reads, with x-amzn-query-error set so
 * a JSON client still finds the code.
 */
#include "sim/cloudwatch.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/cloudwatch_request.h"
#include "sim/cloudwatch_series.h"
#include "sim/query_xml.h"
#include "verify/buf.h"

#define CW_XMLNS "http://monitoring.amazonaws.com/doc/2010-08-01/"
#define CW_TARGET_PREFIX "GraniteServiceVersion20100801."
#define CW_JSON_TYPE_PREFIX "com.amazonaws.cloudwatch#"
#define CW_REQUEST_ID_MAX 40

struct cw_summary {
	struct sim_journal *journal; /* borrowed from the registry */
	struct sim_cw_journal *sum;
};

struct sim_cloudwatch {
	struct sim_ledgers *ls;
	pthread_mutex_t mu; /* the summaries */
	struct cw_summary summaries[SIM_LEDGERS_RETAINED_MAX];
	size_t n_summaries;
	atomic_uint_least64_t requests;
};

struct sim_cloudwatch *sim_cloudwatch_new(struct sim_ledgers *ls)
{
	struct sim_cloudwatch *cw = calloc(1, sizeof *cw);
	if (!cw)
		return NULL;
	cw->ls = ls;
	pthread_mutex_init(&cw->mu, NULL);
	return cw;
}

void sim_cloudwatch_free(struct sim_cloudwatch *cw)
{
	if (!cw)
		return;
	for (size_t i = 0; i < cw->n_summaries; i++)
		sim_cw_journal_free(cw->summaries[i].sum);
	pthread_mutex_destroy(&cw->mu);
	free(cw);
}

/* A UUID-shaped id for <RequestId> (the x-amzn-RequestId header is the
 * server's own). */
static void cw_request_id(struct sim_cloudwatch *cw, char out[CW_REQUEST_ID_MAX])
{
	static atomic_uint_least64_t pre_dispatch;
	uint64_t n =
		(cw ? atomic_fetch_add(&cw->requests, 1) : atomic_fetch_add(&pre_dispatch, 1)) + 1;
	uint64_t z = n * 0x9e3779b97f4a7c15ull ^ (cw ? 0 : 0x5bd1e995u);
	z = (z ^ (z >> 29)) * 0xbf58476d1ce4e5b9ull;
	snprintf(out, CW_REQUEST_ID_MAX, "%08x-%04x-4%03x-b%03x-%012llx", (unsigned)(z >> 32),
		 (unsigned)(z >> 16) & 0xffff, (unsigned)z & 0xfff, (unsigned)(n >> 48) & 0xfff,
		 (unsigned long long)(n & 0xffffffffffffull));
}

/* --- output helpers ------------------------------------------------------- */

/* A double as CloudWatch prints it: shortest round-trip digits, integers
 * with ".0". */
static void format_double(double v, char out[40])
{
	snprintf(out, 40, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, 40, "%.17g", v);
	if (!strpbrk(out, ".eEn"))
		strcat(out, ".0");
}

static void respond_internal(struct sim_response *res)
{
	static const char body[] = "<ErrorResponse xmlns=\"" CW_XMLNS "\"><Error><Type>Receiver</"
				   "Type><Code>InternalServiceError</Code><Message>out of "
				   "memory</Message></Error></ErrorResponse>";
	sim_response_clear(res);
	res->status = 500;
	res->error_code = "InternalServiceError";
	res->content_type = "text/xml";
	res->body = strdup(body);
	res->body_len = res->body ? strlen(body) : 0;
}

/* Hand b to res as its body, NUL-terminated (b is emptied). */
static void respond(struct sim_response *res, unsigned status, const char *type, struct buf *b)
{
	if (buf_append_byte(b, 0) != 0) {
		buf_free(b);
		respond_internal(res);
		return;
	}
	b->len--;
	sim_response_clear(res);
	res->status = status;
	res->content_type = type;
	res->body = (char *)b->data;
	res->body_len = b->len;
	memset(b, 0, sizeof *b);
}

/* The error e in protocol proto. */
static void cw_error(struct sim_cloudwatch *cw, struct sim_response *res,
		     enum sim_cw_protocol proto, enum sim_cw_error e, const char *message)
{
	const struct sim_cw_error_info *info = sim_cw_error_info(e);
	char msg[SIM_MESSAGE_MAX];
	snprintf(msg, sizeof msg, "%s", message);
	sim_message_clean(msg);
	struct buf b = { 0 };
	int rc;
	if (proto == SIM_CW_JSON) {
		cJSON *o = cJSON_CreateObject();
		char type[96];
		snprintf(type, sizeof type, CW_JSON_TYPE_PREFIX "%s", info->json_type);
		char *text = NULL;
		if (o && cJSON_AddStringToObject(o, "__type", type) &&
		    cJSON_AddStringToObject(o, "message", msg))
			text = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		rc = text ? buf_append_str(&b, text) : -1;
		free(text);
	} else { /* the query protocol's ErrorResponse, with this service's request id */
		static const struct query_xml_service CW = { CW_XMLNS, "",
							     "InvalidParameterValue" };
		char rid[CW_REQUEST_ID_MAX];
		cw_request_id(cw, rid);
		query_xml_error(res, &CW, info->status, info->code, msg, rid);
		return;
	}
	if (rc) {
		buf_free(&b);
		respond_internal(res);
		return;
	}
	respond(res, info->status, proto == SIM_CW_JSON ? "application/x-amz-json-1.0" : "text/xml",
		&b);
	res->error_code = info->code;
	sim_response_header(res, "x-amzn-query-error", "%s;%s", info->code,
			    info->sender ? "Sender" : "Receiver");
}

void sim_cloudwatch_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	cw_error(NULL, res, SIM_CW_QUERY, sim_cw_error_of(e), msg);
}

/* --- GetMetricData -------------------------------------------------------- */

struct cw_result {
	const struct sim_cw_query *q;
	struct sim_cw_point *points; /* oldest first */
	size_t n;
	bool partial;
};

/* The summary of journal j, synced; NULL with err. Called with cw->mu. */
static struct sim_cw_journal *cw_summary(struct sim_cloudwatch *cw, struct sim_journal *j,
					 char *err, size_t cap)
{
	struct cw_summary *s = NULL;
	for (size_t i = 0; i < cw->n_summaries && !s; i++)
		if (cw->summaries[i].journal == j)
			s = &cw->summaries[i];
	if (!s) {
		if (cw->n_summaries == SIM_LEDGERS_RETAINED_MAX) {
			snprintf(err, cap, "CloudWatch: too many journals");
			return NULL;
		}
		struct sim_cw_journal *sum = sim_cw_journal_new();
		if (!sum) {
			snprintf(err, cap, "CloudWatch: out of memory");
			return NULL;
		}
		s = &cw->summaries[cw->n_summaries++];
		*s = (struct cw_summary){ j, sum };
	}
	return sim_cw_journal_sync(s->sum, j, err, cap) == 0 ? s->sum : NULL;
}

/* The ledger a query's metric describes: AWS/QLDB, a known metric, and
 * exactly the LedgerName dimension; NULL otherwise (no such metric: no
 * data, as CloudWatch answers). */
static const char *query_ledger(const struct sim_cw_query *q, int *metric)
{
	*metric = sim_cw_metric_find(q->metric_name);
	if (strcmp(q->ns, SIM_CW_NAMESPACE) != 0 || *metric < 0 || q->n_dims != 1 ||
	    strcmp(q->dims[0].name, SIM_CW_DIMENSION) != 0)
		return NULL;
	if (q->unit && strcmp(q->unit, sim_cw_metric_unit((enum sim_cw_metric) * metric)) != 0)
		return NULL; /* CloudWatch matches the unit it was published with */
	return q->dims[0].value;
}

/* The points of one query. Returns 0 or -1 with err. */
static int cw_compute(struct sim_cloudwatch *cw, const struct sim_cw_request *r,
		      struct cw_result *out, char *err, size_t cap)
{
	const struct sim_cw_query *q = out->q;
	int metric;
	const char *name = query_ledger(q, &metric);
	if (!name)
		return 0;
	struct sim_cw_source src = { .ledger = name };
	struct sim_journal *j = NULL;
	src.now_ms = sim_ledgers_lock(cw->ls);
	const struct sim_ledger *l = sim_ledgers_get(cw->ls, name);
	if (l) {
		j = l->journal;
		src.created_ms = l->created_ms;
		for (size_t i = 0; i < l->n_streams; i++)
			if (sim_stream_status(l->streams[i], src.now_ms) == SIM_STREAM_IMPAIRED)
				src.impaired = true;
	}
	sim_ledgers_unlock(cw->ls);
	if (!j)
		return 0; /* no such ledger: no data */
	struct sim_cw_stat st;
	sim_cw_stat_parse(q->stat, &st); /* checked by the parser */
	pthread_mutex_lock(&cw->mu);
	src.journal = cw_summary(cw, j, err, cap);
	int rc = src.journal ? sim_cw_series(&src, (enum sim_cw_metric)metric, q->period * 1000,
					     &st, r->start_ms, r->end_ms, &out->points, &out->n)
			     : -1;
	pthread_mutex_unlock(&cw->mu);
	if (rc && src.journal)
		snprintf(err, cap, "CloudWatch: out of memory");
	return rc;
}

/* The k-th point of a result in the requested order. */
static const struct sim_cw_point *point_at(const struct sim_cw_request *r,
					   const struct cw_result *x, size_t k)
{
	return &x->points[r->ascending ? k : x->n - 1 - k];
}

static const char *result_label(const struct cw_result *x)
{
	return x->q->label ? x->q->label : x->q->metric_name;
}

static int render_xml(struct sim_cloudwatch *cw, const struct sim_cw_request *r,
		      const struct cw_result *res, size_t n, struct buf *b)
{
	int rc = buf_append_str(b, "<GetMetricDataResponse xmlns=\"" CW_XMLNS "\">"
				   "<GetMetricDataResult><MetricDataResults>");
	for (size_t i = 0; i < n && !rc; i++) {
		const struct cw_result *x = &res[i];
		rc = buf_append_str(b, "<member>") || query_xml_elem(b, "Id", x->q->id) ||
		     query_xml_elem(b, "Label", result_label(x)) ||
		     buf_append_str(b, x->n ? "<Timestamps>" : "<Timestamps/>");
		char t[SIM_CW_TIME_MAX], v[40];
		for (size_t k = 0; k < x->n && !rc; k++) {
			sim_cw_time_format(point_at(r, x, k)->ms, t);
			rc = buf_printf(b, "<member>%s</member>", t);
		}
		rc = rc || buf_append_str(b, x->n ? "</Timestamps><Values>" : "<Values/>");
		for (size_t k = 0; k < x->n && !rc; k++) {
			format_double(point_at(r, x, k)->value, v);
			rc = buf_printf(b, "<member>%s</member>", v);
		}
		rc = rc ||
		     buf_printf(b, "%s<StatusCode>%s</StatusCode></member>",
				x->n ? "</Values>" : "", x->partial ? "PartialData" : "Complete");
	}
	char rid[CW_REQUEST_ID_MAX];
	cw_request_id(cw, rid);
	return rc || buf_printf(b,
				"</MetricDataResults><Messages/></GetMetricDataResult>"
				"<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>"
				"</GetMetricDataResponse>",
				rid);
}

static int render_json(const struct sim_cw_request *r, const struct cw_result *res, size_t n,
		       struct buf *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(o, "MetricDataResults");
	bool ok = o && list && cJSON_AddArrayToObject(o, "Messages");
	for (size_t i = 0; i < n && ok; i++) {
		const struct cw_result *x = &res[i];
		cJSON *m = cJSON_CreateObject(), *ts, *vs;
		ok = m && cJSON_AddItemToArray(list, m) &&
		     cJSON_AddStringToObject(m, "Id", x->q->id) &&
		     cJSON_AddStringToObject(m, "Label", result_label(x)) &&
		     (ts = cJSON_AddArrayToObject(m, "Timestamps")) &&
		     (vs = cJSON_AddArrayToObject(m, "Values"));
		for (size_t k = 0; k < x->n && ok; k++) {
			const struct sim_cw_point *p = point_at(r, x, k);
			ok = cJSON_AddItemToArray(ts, cJSON_CreateNumber((double)(p->ms / 1000))) &&
			     cJSON_AddItemToArray(vs, cJSON_CreateNumber(p->value));
		}
		ok = ok && cJSON_AddStringToObject(m, "StatusCode",
						   x->partial ? "PartialData" : "Complete");
	}
	char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	int rc = text ? buf_append_str(b, text) : -1;
	free(text);
	return rc;
}

static void get_metric_data(struct sim_cloudwatch *cw, enum sim_cw_protocol proto,
			    const struct sim_cw_request *r, struct sim_response *res)
{
	struct cw_result *out = calloc(r->n_queries, sizeof *out);
	size_t n = 0;
	char err[SIM_MESSAGE_MAX] = "";
	int rc = out ? 0 : -1;
	int64_t budget = r->max_datapoints;
	for (size_t i = 0; i < r->n_queries && !rc; i++) {
		if (!r->queries[i].return_data)
			continue;
		struct cw_result *x = &out[n++];
		x->q = &r->queries[i];
		rc = cw_compute(cw, r, x, err, sizeof err);
		/* MaxDatapoints: keep the points nearest the scan's start */
		if ((int64_t)x->n > budget) {
			size_t keep = (size_t)(budget > 0 ? budget : 0);
			if (!r->ascending)
				memmove(x->points, x->points + (x->n - keep),
					keep * sizeof *x->points);
			x->n = keep;
			x->partial = true;
		}
		budget -= (int64_t)x->n;
	}
	struct buf b = { 0 };
	if (!rc)
		rc = proto == SIM_CW_JSON ? render_json(r, out, n, &b)
					  : render_xml(cw, r, out, n, &b);
	for (size_t i = 0; i < n; i++)
		free(out[i].points);
	free(out);
	if (rc) {
		buf_free(&b);
		cw_error(cw, res, proto, SIM_CW_ERR_INTERNAL, err[0] ? err : "out of memory");
		return;
	}
	respond(res, 200, proto == SIM_CW_JSON ? "application/x-amz-json-1.0" : "text/xml", &b);
}

/* --- ListMetrics ----------------------------------------------------------- */

/* Whether metric m of ledger matches r's filters. */
static bool list_match(const struct sim_cw_request *r, int m, const char *ledger)
{
	if ((r->ns && strcmp(r->ns, SIM_CW_NAMESPACE) != 0) ||
	    (r->metric_name && strcmp(r->metric_name, sim_cw_metric_name(m)) != 0))
		return false;
	for (size_t i = 0; i < r->n_dims; i++)
		if (strcmp(r->dims[i].name, SIM_CW_DIMENSION) != 0 ||
		    (r->dims[i].value && strcmp(r->dims[i].value, ledger) != 0))
			return false;
	return true;
}

static void list_metrics(struct sim_cloudwatch *cw, enum sim_cw_protocol proto,
			 const struct sim_cw_request *r, struct sim_response *res)
{
	struct buf b = { 0 };
	cJSON *o = NULL, *list = NULL;
	int rc = 0;
	if (proto == SIM_CW_JSON) {
		o = cJSON_CreateObject();
		list = o ? cJSON_AddArrayToObject(o, "Metrics") : NULL;
		rc = list ? 0 : -1;
	} else {
		rc = buf_append_str(&b, "<ListMetricsResponse xmlns=\"" CW_XMLNS "\">"
					"<ListMetricsResult><Metrics>");
	}
	int64_t now = sim_ledgers_lock(cw->ls);
	(void)now;
	for (size_t i = 0; i < cw->ls->n && !rc; i++) {
		const struct sim_ledger *l = cw->ls->v[i];
		if (l->gone)
			continue;
		for (int m = 0; m < SIM_CW_METRIC_COUNT && !rc; m++) {
			if (!list_match(r, m, l->name))
				continue;
			if (proto == SIM_CW_JSON) {
				/* each item joins its parent at once, so o owns it */
				cJSON *x = cJSON_CreateObject(), *ds, *d;
				if (x && !cJSON_AddItemToArray(list, x)) {
					cJSON_Delete(x);
					x = NULL;
				}
				rc = !(x &&
				       cJSON_AddStringToObject(x, "Namespace", SIM_CW_NAMESPACE) &&
				       cJSON_AddStringToObject(x, "MetricName",
							       sim_cw_metric_name(m)) &&
				       (ds = cJSON_AddArrayToObject(x, "Dimensions")) &&
				       (d = cJSON_CreateObject()) && cJSON_AddItemToArray(ds, d) &&
				       cJSON_AddStringToObject(d, "Name", SIM_CW_DIMENSION) &&
				       cJSON_AddStringToObject(d, "Value", l->name));
			} else {
				rc = buf_printf(&b,
						"<member><Namespace>%s</Namespace><MetricName>%s"
						"</MetricName><Dimensions><member><Name>%s</Name>",
						SIM_CW_NAMESPACE, sim_cw_metric_name(m),
						SIM_CW_DIMENSION) ||
				     query_xml_elem(&b, "Value", l->name) ||
				     buf_append_str(&b, "</member></Dimensions></member>");
			}
		}
	}
	sim_ledgers_unlock(cw->ls);
	if (!rc && proto == SIM_CW_JSON) {
		char *text = cJSON_PrintUnformatted(o);
		rc = text ? buf_append_str(&b, text) : -1;
		free(text);
	} else if (!rc) {
		char rid[CW_REQUEST_ID_MAX];
		cw_request_id(cw, rid);
		rc = buf_printf(&b,
				"</Metrics></ListMetricsResult><ResponseMetadata><RequestId>%s"
				"</RequestId></ResponseMetadata></ListMetricsResponse>",
				rid);
	}
	cJSON_Delete(o);
	if (rc) {
		buf_free(&b);
		cw_error(cw, res, proto, SIM_CW_ERR_INTERNAL, "out of memory");
		return;
	}
	respond(res, 200, proto == SIM_CW_JSON ? "application/x-amz-json-1.0" : "text/xml", &b);
}

/* --- dispatch -------------------------------------------------------------- */

void sim_cloudwatch_handle(struct sim_cloudwatch *cw, const struct sim_request *req,
			   struct sim_response *res)
{
	const char *target = sim_request_header(req, "X-Amz-Target");
	enum sim_cw_protocol proto = target ? SIM_CW_JSON : SIM_CW_QUERY;
	struct sim_cw_parse p;
	enum sim_cw_error e = SIM_CW_ERR_INTERNAL;
	char msg[SIM_MESSAGE_MAX] = "";
	int rc;
	if (strcmp(req->method, "POST") != 0) {
		memset(&p, 0, sizeof p);
		e = SIM_CW_ERR_MALFORMED_QUERY;
		snprintf(msg, sizeof msg,
			 "CloudWatch takes POST / with a form or JSON body, not %s", req->method);
		rc = -1;
	} else if (proto == SIM_CW_JSON) {
		size_t n = strlen(CW_TARGET_PREFIX);
		if (strncmp(target, CW_TARGET_PREFIX, n) != 0) {
			memset(&p, 0, sizeof p);
			e = SIM_CW_ERR_UNKNOWN_OPERATION;
			snprintf(msg, sizeof msg, "Unknown X-Amz-Target %.100s", target);
			rc = -1;
		} else {
			rc = sim_cw_parse_json(req, target + n, &p, &e, msg, sizeof msg);
		}
	} else {
		rc = sim_cw_parse_query(req, &p, &e, msg, sizeof msg);
	}
	if (rc == 0 && p.req.action == SIM_CW_GET_METRIC_DATA)
		get_metric_data(cw, proto, &p.req, res);
	else if (rc == 0)
		list_metrics(cw, proto, &p.req, res);
	else
		cw_error(cw, res, proto, e, msg);
	sim_cw_parse_free(&p);
}
