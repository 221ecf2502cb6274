/*
 * cloudwatch.c - GetMetricData in the query protocol (see cloudwatch.h):
 * the form body, the XML answer read through api/xml.h, and the call.
 */
#include "api/cloudwatch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/qldb.h" /* qldb_name_is_valid */
#include "api/s3.h"   /* s3_encode: RFC 3986, also right for form values */
#include "api/xml.h"

const struct cw_metric_def CW_METRICS[CW_METRICS_N] = {
	[CW_READ_IOS] = { "ReadIOs", "Sum" },
	[CW_WRITE_IOS] = { "WriteIOs", "Sum" },
	[CW_JOURNAL_STORAGE] = { "JournalStorage", "Maximum" },
	[CW_INDEXED_STORAGE] = { "IndexedStorage", "Maximum" },
	[CW_COMMAND_LATENCY] = { "CommandLatency", "Average" },
	[CW_IS_IMPAIRED] = { "IsImpaired", "Maximum" },
};

static const char *const STATUS[] = { "Complete", "InternalError", "PartialData", "Forbidden",
				      NULL };

/* ISO 8601 of epoch seconds, whole seconds, UTC. */
static void iso_time(double t, char *buf, size_t cap)
{
	time_t s = (time_t)t;
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cloudwatch_query_body(const char *ledger, double start, double end, int period,
			  const char *next_token, char *body, size_t cap)
{
	if (!qldb_name_is_valid(ledger) || period < 60 || period % 60 != 0 || !(start < end) ||
	    start < 0 || !isfinite(end))
		return -1;
	char ts[32], te[32], tok[3 * 1024 + 1];
	iso_time(start, ts, sizeof ts);
	iso_time(end, te, sizeof te);
	size_t o = 0;
	int n = snprintf(body, cap, "Action=GetMetricData&Version=2010-08-01");
	if (n < 0 || (size_t)n >= cap)
		return -1;
	o = (size_t)n;
	for (int i = 0; i < CW_METRICS_N; i++) {
		n = snprintf(body + o, cap - o,
			     "&MetricDataQueries.member.%d.Id=m%d"
			     "&MetricDataQueries.member.%d.MetricStat.Metric.Namespace=AWS%%2FQLDB"
			     "&MetricDataQueries.member.%d.MetricStat.Metric.MetricName=%s"
			     "&MetricDataQueries.member.%d.MetricStat.Metric.Dimensions.member.1."
			     "Name=LedgerName"
			     "&MetricDataQueries.member.%d.MetricStat.Metric.Dimensions.member.1."
			     "Value=%s"
			     "&MetricDataQueries.member.%d.MetricStat.Period=%d"
			     "&MetricDataQueries.member.%d.MetricStat.Stat=%s",
			     i + 1, i, i + 1, i + 1, CW_METRICS[i].name, i + 1, i + 1, ledger,
			     i + 1, period, i + 1, CW_METRICS[i].stat);
		if (n < 0 || (size_t)n >= cap - o)
			return -1;
		o += (size_t)n;
	}
	/* ':' is encoded in form values */
	n = snprintf(body + o, cap - o, "&StartTime=%.4s-%.2s-%.2sT%.2s%%3A%.2s%%3A%.2sZ", ts,
		     ts + 5, ts + 8, ts + 11, ts + 14, ts + 17);
	if (n < 0 || (size_t)n >= cap - o)
		return -1;
	o += (size_t)n;
	n = snprintf(body + o, cap - o, "&EndTime=%.4s-%.2s-%.2sT%.2s%%3A%.2s%%3A%.2sZ", te, te + 5,
		     te + 8, te + 11, te + 14, te + 17);
	if (n < 0 || (size_t)n >= cap - o)
		return -1;
	o += (size_t)n;
	if (next_token && next_token[0]) {
		if (s3_encode(next_token, false, tok, sizeof tok) < 0)
			return -1;
		n = snprintf(body + o, cap - o, "&NextToken=%s", tok);
		if (n < 0 || (size_t)n >= cap - o)
			return -1;
		o += (size_t)n;
	}
	return (int)o;
}

/* Exactly n digits at s into *v. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int cloudwatch_parse_time(const char *s, double *out)
{
	int Y, M, D, h, m, sec;
	if (strlen(s) < 20 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) ||
	    s[7] != '-' || digits(s + 8, 2, &D) || s[10] != 'T' || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &m) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 59 || Y < 1970)
		return -1;
	const char *p = s + 19;
	double frac = 0, scale = 0.1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (int k = 0; *p >= '0' && *p <= '9'; p++, k++) {
			if (k >= 9)
				return -1;
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (p[0] != 'Z' || p[1] != '\0')
		return -1;
	struct tm tm = { .tm_year = Y - 1900,
			 .tm_mon = M - 1,
			 .tm_mday = D,
			 .tm_hour = h,
			 .tm_min = m,
			 .tm_sec = sec };
	time_t t = timegm(&tm);
	struct tm back;
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != D || back.tm_mon != M - 1)
		return -1; /* 2023-02-31 normalised to March: refused */
	*out = (double)t + frac;
	return 0;
}

/* A finite decimal number, nothing else ("12.0", "-1e3"). */
static int parse_value(const char *s, double *out)
{
	if (!*s)
		return -1;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+' ||
		      *p == 'e' || *p == 'E'))
			return -1; /* no "nan", "inf", hex or spaces */
	char *end;
	double v = strtod(s, &end);
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* The one text child of n named name, NULL when absent; an element with
 * children is an error. */
static int leaf(const struct xml_node *n, const char *name, const char *path, const char **out,
		struct api_error *err)
{
	*out = NULL;
	const struct xml_node *c = xml_child(n, name);
	if (!c)
		return 0;
	if (xml_next(c, name) || xml_has_children(c))
		return api_error_set(err, API_ERR_PARSE, "GetMetricData: %s%s: %s", path, name,
				     xml_next(c, name) ? "appears twice" : "holds elements");
	*out = xml_text(c, NULL);
	return 0;
}

static int result_read(const struct xml_node *r, size_t i, struct cw_metrics *out,
		       struct api_error *err)
{
	char path[64];
	snprintf(path, sizeof path, "MetricDataResults[%zu].", i);
	const char *id, *label, *status;
	int rc;
	if ((rc = leaf(r, "Id", path, &id, err)) || (rc = leaf(r, "Label", path, &label, err)) ||
	    (rc = leaf(r, "StatusCode", path, &status, err)))
		return rc;
	if (!id)
		return api_error_set(err, API_ERR_PARSE, "GetMetricData: %sId is missing", path);
	int k = -1;
	if (id[0] == 'm' && id[1] >= '0' && id[1] < '0' + CW_METRICS_N && id[2] == '\0')
		k = id[1] - '0';
	if (k < 0)
		return api_error_set(err, API_ERR_PARSE,
				     "GetMetricData: %sId \"%.20s\" was not asked for", path, id);
	struct cw_series *s = &out->s[k];
	bool known = false;
	for (const char *const *st = STATUS; status && *st; st++)
		known |= strcmp(*st, status) == 0;
	if (!known)
		return api_error_set(err, API_ERR_PARSE, "GetMetricData: %sStatusCode is %s", path,
				     status ? "not a known value" : "missing");
	const struct xml_node *ts = xml_child(r, "Timestamps"), *vs = xml_child(r, "Values");
	if (!ts || !vs || xml_next(ts, "Timestamps") || xml_next(vs, "Values"))
		return api_error_set(err, API_ERR_PARSE,
				     "GetMetricData: %sTimestamps and Values: each once", path);
	size_t nt = xml_count(ts, NULL), nv = xml_count(vs, NULL);
	if (nt != nv || nt != xml_count(ts, "member") || nv != xml_count(vs, "member"))
		return api_error_set(err, API_ERR_PARSE,
				     "GetMetricData: %s%zu timestamps but %zu values", path, nt,
				     nv);
	if (nt > CW_POINTS_MAX - s->n)
		return api_error_set(err, API_ERR_LIMIT, "GetMetricData: %smore than %d points",
				     path, CW_POINTS_MAX);
	size_t base = s->n;
	const struct xml_node *t = xml_child(ts, "member"), *v = xml_child(vs, "member");
	for (size_t j = 0; j < nt; j++, t = xml_next(t, "member"), v = xml_next(v, "member")) {
		if (xml_has_children(t) || xml_has_children(v) ||
		    cloudwatch_parse_time(xml_text(t, NULL), &s->t[base + j]) ||
		    parse_value(xml_text(v, NULL), &s->v[base + j]))
			return api_error_set(
				err, API_ERR_PARSE,
				"GetMetricData: %spoint %zu: \"%.40s\" at \"%.40s\" is "
				"not a value at an ISO 8601 UTC time",
				path, j, xml_text(v, NULL), xml_text(t, NULL));
	}
	s->n += nt;
	s->present = true;
	snprintf(s->label, sizeof s->label, "%.*s", (int)sizeof s->label - 1, label ? label : "");
	for (char *c = s->label; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	snprintf(s->status, sizeof s->status, "%s", status);
	return 0;
}

int cloudwatch_parse_get_metric_data(const char *xml, size_t len, struct cw_metrics *out,
				     struct api_error *err)
{
	api_error_clear(err);
	out->next_token[0] = '\0';
	struct xml_doc *d = xml_parse(xml, len, "GetMetricData", err);
	if (!d)
		return err->status;
	struct cw_metrics saved = *out; /* a page is taken whole or not at all */
	const struct xml_node *root = xml_root(d), *res = NULL, *list = NULL;
	bool seen[CW_METRICS_N] = { false };
	int rc = 0;
	if (strcmp(xml_name(root), "GetMetricDataResponse") != 0) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "GetMetricData: the answer is <%.40s>, not "
				   "<GetMetricDataResponse>",
				   xml_name(root));
		goto out;
	}
	res = xml_child(root, "GetMetricDataResult");
	list = res ? xml_child(res, "MetricDataResults") : NULL;
	if (!res || !list || xml_next(res, "GetMetricDataResult") ||
	    xml_next(list, "MetricDataResults")) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "GetMetricData: GetMetricDataResult.MetricDataResults missing "
				   "or repeated");
		goto out;
	}
	size_t i = 0;
	for (const struct xml_node *r = xml_child(list, NULL); r; r = xml_next(r, NULL), i++) {
		if (strcmp(xml_name(r), "member") != 0) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "GetMetricData: <%.40s> in MetricDataResults",
					   xml_name(r));
			goto out;
		}
		if ((rc = result_read(r, i, out, err)))
			goto out;
		int k = xml_text(xml_child(r, "Id"), NULL)[1] - '0';
		if (seen[k]) {
			rc = api_error_set(err, API_ERR_PARSE,
					   "GetMetricData: Id m%d appears twice in one page", k);
			goto out;
		}
		seen[k] = true;
	}
	const char *tok;
	if ((rc = leaf(res, "NextToken", "", &tok, err)))
		goto out;
	if (tok && strlen(tok) >= sizeof out->next_token) {
		rc = api_error_set(err, API_ERR_LIMIT, "GetMetricData: NextToken too long");
		goto out;
	}
	snprintf(out->next_token, sizeof out->next_token, "%s", tok ? tok : "");
out:
	if (rc)
		*out = saved;
	xml_free(d);
	return rc;
}

static int cmp_point(const void *a, const void *b)
{
	const double *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

int cloudwatch_metrics_finish(struct cw_metrics *m, struct api_error *err)
{
	for (int k = 0; k < CW_METRICS_N; k++) {
		struct cw_series *s = &m->s[k];
		double(*pts)[2] = malloc((s->n ? s->n : 1) * sizeof *pts);
		if (!pts)
			return api_error_set(err, API_ERR_NOMEM, "GetMetricData: out of memory");
		for (size_t i = 0; i < s->n; i++) {
			pts[i][0] = s->t[i];
			pts[i][1] = s->v[i];
		}
		qsort(pts, s->n, sizeof *pts, cmp_point);
		for (size_t i = 0; i < s->n; i++) {
			if (i > 0 && pts[i][0] == pts[i - 1][0]) {
				free(pts);
				return api_error_set(err, API_ERR_PARSE,
						     "GetMetricData: %s has two values at one time",
						     CW_METRICS[k].name);
			}
			s->t[i] = pts[i][0];
			s->v[i] = pts[i][1];
		}
		free(pts);
	}
	return 0;
}

int cloudwatch_get_metric_data(struct http_client *c, const char *ledger, double start, double end,
			       int period, struct cw_metrics *out, struct api_error *err)
{
	memset(out, 0, sizeof *out);
	api_error_clear(err);
	char body[CW_BODY_MAX], prev[sizeof out->next_token] = "";
	for (int page = 0; page < CW_MAX_PAGES; page++) {
		int n = cloudwatch_query_body(ledger, start, end, period, out->next_token, body,
					      sizeof body);
		if (n < 0)
			return api_error_set(
				err, API_ERR_CONFIG,
				"GetMetricData: bad ledger name, period or time range");
		snprintf(prev, sizeof prev, "%s", out->next_token);
		struct http_request req = {
			.op = "GetMetricData",
			.method = "POST",
			.path = "/",
			.body = body,
			.body_len = (size_t)n,
			.content_type = "application/x-www-form-urlencoded; charset=utf-8",
			.max_response = CW_RESPONSE_MAX,
		};
		struct http_response resp;
		int rc = http_request_perform(c, &req, &resp, err);
		if (rc)
			return rc;
		rc = cloudwatch_parse_get_metric_data(resp.body ? resp.body : "", resp.len, out,
						      err);
		http_response_free(&resp);
		if (rc)
			return rc;
		if (!out->next_token[0])
			return cloudwatch_metrics_finish(out, err);
		if (strcmp(prev, out->next_token) == 0)
			return api_error_set(err, API_ERR_PARSE,
					     "GetMetricData: the service gave the same NextToken "
					     "twice");
	}
	return api_error_set(err, API_ERR_LIMIT, "GetMetricData: more than %d pages", CW_MAX_PAGES);
}
