/*
 * cloudwatch_request.c - CloudWatch requests from the form or JSON 1.0
 * wire forms (see cloudwatch_request.h): the error table, strict form
 * decoding, the member readers of both forms, and the checks they share.
 */
#include "sim/cloudwatch_request.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cloudwatch_series.h"

static const struct sim_cw_error_info ERRORS[SIM_CW_ERR_COUNT] = {
	[SIM_CW_ERR_INVALID_PARAMETER_VALUE] = { "InvalidParameterValue",
						 "InvalidParameterValueException", 400, true },
	[SIM_CW_ERR_MISSING_PARAMETER] = { "MissingParameter", "MissingRequiredParameterException",
					   400, true },
	[SIM_CW_ERR_INVALID_PARAMETER_COMBINATION] = { "InvalidParameterCombination",
						       "InvalidParameterCombinationException", 400,
						       true },
	[SIM_CW_ERR_VALIDATION] = { "ValidationError", "ValidationException", 400, true },
	[SIM_CW_ERR_INVALID_ACTION] = { "InvalidAction", "InvalidAction", 400, true },
	[SIM_CW_ERR_MISSING_ACTION] = { "MissingAction", "MissingAction", 400, true },
	[SIM_CW_ERR_MALFORMED_QUERY] = { "MalformedQueryString", "MalformedQueryString", 400,
					 true },
	[SIM_CW_ERR_SERIALIZATION] = { "SerializationException", "SerializationException", 400,
				       true },
	[SIM_CW_ERR_UNKNOWN_OPERATION] = { "UnknownOperationException", "UnknownOperationException",
					   400, true },
	[SIM_CW_ERR_INTERNAL] = { "InternalServiceError", "InternalServiceFault", 500, false },
	[SIM_CW_ERR_SIGNATURE] = { "SignatureDoesNotMatch", "SignatureDoesNotMatch", 403, true },
	[SIM_CW_ERR_CLIENT_TOKEN] = { "InvalidClientTokenId", "InvalidClientTokenId", 403, true },
	[SIM_CW_ERR_INCOMPLETE_SIGNATURE] = { "IncompleteSignature", "IncompleteSignature", 400,
					      true },
	[SIM_CW_ERR_TOO_LARGE] = { "RequestEntityTooLarge", "RequestEntityTooLarge", 413, true },
	[SIM_CW_ERR_THROTTLING] = { "Throttling", "ThrottlingException", 400, true },
	[SIM_CW_ERR_UNAVAILABLE] = { "ServiceUnavailable", "ServiceUnavailableException", 503,
				     false },
	[SIM_CW_ERR_NOT_FOUND] = { "ResourceNotFound", "ResourceNotFoundException", 404, true },
	[SIM_CW_ERR_LIMIT_EXCEEDED] = { "LimitExceeded", "LimitExceededException", 400, true },
};

const struct sim_cw_error_info *sim_cw_error_info(enum sim_cw_error e)
{
	return &ERRORS[e < SIM_CW_ERR_COUNT ? e : SIM_CW_ERR_INTERNAL];
}

enum sim_cw_error sim_cw_error_of(enum sim_error e)
{
	static const enum sim_cw_error MAP[SIM_ERR_COUNT] = {
		[SIM_ERR_INVALID_PARAMETER] = SIM_CW_ERR_INVALID_PARAMETER_VALUE,
		[SIM_ERR_RESOURCE_NOT_FOUND] = SIM_CW_ERR_NOT_FOUND,
		[SIM_ERR_RESOURCE_PRECONDITION] = SIM_CW_ERR_INVALID_PARAMETER_COMBINATION,
		[SIM_ERR_UNKNOWN_OPERATION] = SIM_CW_ERR_INVALID_ACTION,
		[SIM_ERR_UNRECOGNIZED_CLIENT] = SIM_CW_ERR_CLIENT_TOKEN,
		[SIM_ERR_INVALID_SIGNATURE] = SIM_CW_ERR_SIGNATURE,
		[SIM_ERR_INCOMPLETE_SIGNATURE] = SIM_CW_ERR_INCOMPLETE_SIGNATURE,
		[SIM_ERR_TOO_LARGE] = SIM_CW_ERR_TOO_LARGE,
		[SIM_ERR_SERIALIZATION] = SIM_CW_ERR_MALFORMED_QUERY,
		[SIM_ERR_INTERNAL] = SIM_CW_ERR_INTERNAL,
		[SIM_ERR_RESOURCE_EXISTS] = SIM_CW_ERR_INVALID_PARAMETER_VALUE,
		[SIM_ERR_RESOURCE_IN_USE] = SIM_CW_ERR_INVALID_PARAMETER_VALUE,
		[SIM_ERR_LIMIT_EXCEEDED] = SIM_CW_ERR_LIMIT_EXCEEDED,
		[SIM_ERR_THROTTLING] = SIM_CW_ERR_THROTTLING,
		[SIM_ERR_SERVICE_UNAVAILABLE] = SIM_CW_ERR_UNAVAILABLE,
	};
	return (unsigned)e < SIM_ERR_COUNT ? MAP[e] : SIM_CW_ERR_INTERNAL;
}

/* Fill msg and return e (as an int status for the parsers' returns). */
static int fail(enum sim_cw_error *out, enum sim_cw_error e, char *msg, size_t cap, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));
static int fail(enum sim_cw_error *out, enum sim_cw_error e, char *msg, size_t cap, const char *fmt,
		...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, cap, fmt, ap);
	va_end(ap);
	*out = e;
	return -1;
}

/* --- time ---------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* n decimal digits at s into *v. */
static bool digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int sim_cw_time_parse(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, se;
	if (!s[0])
		return -1;
	if (strlen(s) >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't') &&
	    s[13] == ':' && s[16] == ':') {
		if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
		    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se) ||
		    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
			return -1;
		const char *p = s + 19;
		int frac = 0, scale = 100;
		if (*p == '.') {
			if (p[1] < '0' || p[1] > '9')
				return -1;
			for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
				frac += scale * (*p - '0');
		}
		int64_t off = 0;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			int sign = *p == '-' ? -1 : 1;
			if (!digits(p + 1, 2, &oh))
				return -1;
			p += 3;
			if (*p == ':')
				p++;
			if (!digits(p, 2, &om) || oh > 23 || om > 59)
				return -1;
			p += 2;
			off = sign * ((int64_t)oh * 3600 + om * 60);
		}
		if (*p)
			return -1;
		int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
			       mi * 60 + se - off;
		*ms = secs * 1000 + frac;
		return 0;
	}
	/* epoch seconds */
	char *end;
	double v = strtod(s, &end);
	if (*end || !isfinite(v) || v < -1e13 || v > 1e13 || s[0] == ' ')
		return -1;
	*ms = (int64_t)llround(v * 1000);
	return 0;
}

void sim_cw_time_format(int64_t ms, char out[SIM_CW_TIME_MAX])
{
	int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400;
	/* civil from days (Hinnant) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(out, SIM_CW_TIME_MAX, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/* --- numbers and names ----------------------------------------------------- */

/* A strict decimal integer (optional '-', no leading '+' or spaces). */
static bool int_parse(const char *s, int64_t *v)
{
	const char *p = s + (*s == '-');
	if (!*p || strlen(p) > 18)
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	*v = strtoll(s, NULL, 10);
	return true;
}

/* A list index: 1.., decimal, no leading zero; *i is 0-based. -1 when
 * malformed, 1 when past max (still a number), 0 when fine. */
static int index_parse(const char **p, size_t max, size_t *i)
{
	const char *s = *p;
	if (*s < '1' || *s > '9')
		return -1;
	size_t v = 0;
	while (*s >= '0' && *s <= '9') {
		if (v > 1000000)
			return -1;
		v = v * 10 + (size_t)(*s++ - '0');
	}
	*p = s;
	*i = v - 1;
	return v > max ? 1 : 0;
}

/* --- the shared checks ----------------------------------------------------- */

/* ^[a-z][a-zA-Z0-9_]*$, at most SIM_CW_ID_MAX: CloudWatch's Id rule. */
static bool id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > SIM_CW_ID_MAX || id[0] < 'a' || id[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '_'))
			return false;
	return true;
}

static int check_dims(const struct sim_cw_dimension *d, size_t n, bool value_required,
		      const char *where, enum sim_cw_error *e, char *msg, size_t cap)
{
	for (size_t k = 0; k < n; k++) {
		if (!d[k].name)
			return fail(e, SIM_CW_ERR_MISSING_PARAMETER, msg, cap,
				    "The parameter %sDimensions.member.%zu.Name is required.",
				    where, k + 1);
		if (value_required && !d[k].value)
			return fail(e, SIM_CW_ERR_MISSING_PARAMETER, msg, cap,
				    "The parameter %sDimensions.member.%zu.Value is required.",
				    where, k + 1);
		for (size_t j = 0; j < k; j++)
			if (strcmp(d[j].name, d[k].name) == 0)
				return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
					    "The dimension %s is given twice in %sDimensions.",
					    d[k].name, where);
	}
	return 0;
}

static int check_get(const struct sim_cw_request *r, enum sim_cw_error *e, char *msg, size_t cap)
{
	if (!r->n_queries)
		return fail(e, SIM_CW_ERR_MISSING_PARAMETER, msg, cap,
			    "The parameter MetricDataQueries is required.");
	if (!r->has_start || !r->has_end)
		return fail(e, SIM_CW_ERR_MISSING_PARAMETER, msg, cap,
			    "The parameter %s is required.",
			    r->has_start ? "EndTime" : "StartTime");
	if (r->start_ms >= r->end_ms)
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The parameter StartTime must be less than the parameter EndTime.");
	if (r->max_datapoints <= 0)
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The parameter MaxDatapoints must be greater than 0.");
	/* Ids first: a duplicate is reported whatever else is wrong */
	for (size_t i = 0; i < r->n_queries; i++) {
		const struct sim_cw_query *q = &r->queries[i];
		char where[96];
		snprintf(where, sizeof where, "MetricDataQueries.member.%zu.", i + 1);
		if (!q->id)
			return fail(e, SIM_CW_ERR_MISSING_PARAMETER, msg, cap,
				    "The parameter %sId is required.", where);
		if (!id_valid(q->id))
			return fail(e, SIM_CW_ERR_VALIDATION, msg, cap,
				    "The value %.64s for parameter %sId must start with a "
				    "lowercase letter and hold only letters, digits and '_' "
				    "(at most %d characters).",
				    q->id, where, SIM_CW_ID_MAX);
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->queries[j].id, q->id) == 0)
				return fail(e, SIM_CW_ERR_VALIDATION, msg, cap,
					    "The value %s for field Id in MetricDataQueries must "
					    "be unique.",
					    q->id);
	}
	/* then each query's members */
	for (size_t i = 0; i < r->n_queries; i++) {
		const struct sim_cw_query *q = &r->queries[i];
		char where[96];
		snprintf(where, sizeof where, "MetricDataQueries.member.%zu.", i + 1);
		if (q->label && strlen(q->label) > SIM_CW_LABEL_MAX)
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The parameter %sLabel must be at most %d characters.", where,
				    SIM_CW_LABEL_MAX);
		if (!!q->expression == q->has_metric_stat)
			return fail(e, SIM_CW_ERR_VALIDATION, msg, cap,
				    "The query %s must have exactly one of MetricStat or "
				    "Expression.",
				    q->id);
		if (q->expression)
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The query %s: metric math expressions are not supported by "
				    "this endpoint.",
				    q->id);
		const char *missing = !q->ns		? "MetricStat.Metric.Namespace"
				      : !q->metric_name ? "MetricStat.Metric.MetricName"
				      : !q->has_period	? "MetricStat.Period"
				      : !q->stat	? "MetricStat.Stat"
							: NULL;
		if (missing)
			return fail(e, SIM_CW_ERR_MISSING_PARAMETER, msg, cap,
				    "The parameter %s%s is required.", where, missing);
		if (q->period <= 0 || q->period % 60 != 0)
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The parameter %sMetricStat.Period must be a positive multiple "
				    "of 60 (AWS/QLDB has one-minute resolution), not %lld.",
				    where, (long long)q->period);
		struct sim_cw_stat st;
		if (sim_cw_stat_parse(q->stat, &st) != 0)
			return fail(
				e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				"The parameter %sMetricStat.Stat must be Sum, Average, Minimum, "
				"Maximum, SampleCount or a percentile pNN, not '%.64s'.",
				where, q->stat);
		char dwhere[128];
		snprintf(dwhere, sizeof dwhere, "%sMetricStat.Metric.", where);
		if (check_dims(q->dims, q->n_dims, true, dwhere, e, msg, cap))
			return -1;
	}
	return 0;
}

/* --- form decoding ----------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode src[0..n) ('+' is a space) to dst; the length or -1. */
static long form_decode(const char *src, size_t n, char *dst)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? hexval(src[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(src[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '\0') {
			return -1;
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return (long)o;
}

/* Split and decode the body into p->pairs. */
static int form_split(const struct sim_request *req, struct sim_cw_parse *p, enum sim_cw_error *e,
		      char *msg, size_t cap)
{
	size_t n = req->body_len;
	const char *b = req->body ? req->body : "";
	size_t pairs = n ? 1 : 0;
	for (size_t i = 0; i < n; i++)
		pairs += b[i] == '&';
	if (pairs > SIM_CW_FORM_PAIRS_MAX)
		return fail(e, SIM_CW_ERR_MALFORMED_QUERY, msg, cap,
			    "the request has more than %d parameters", SIM_CW_FORM_PAIRS_MAX);
	p->pairs = calloc(pairs ? pairs : 1, sizeof *p->pairs);
	p->store = malloc(n + 2 * pairs + 1);
	if (!p->pairs || !p->store)
		return fail(e, SIM_CW_ERR_INTERNAL, msg, cap, "out of memory");
	char *o = p->store;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && b[j] != '&')
			j++;
		const char *eq = memchr(b + i, '=', j - i);
		if (!eq || eq == b + i)
			return fail(e, SIM_CW_ERR_MALFORMED_QUERY, msg, cap,
				    "parameter %zu of the form is not KEY=VALUE", p->n_pairs + 1);
		long kl = form_decode(b + i, (size_t)(eq - (b + i)), o);
		if (kl < 0)
			return fail(e, SIM_CW_ERR_MALFORMED_QUERY, msg, cap,
				    "parameter %zu of the form has a malformed percent-escape",
				    p->n_pairs + 1);
		const char *key = o;
		o += kl + 1;
		long vl = form_decode(eq + 1, (size_t)(b + j - eq - 1), o);
		if (vl < 0)
			return fail(e, SIM_CW_ERR_MALFORMED_QUERY, msg, cap,
				    "the value of %.80s has a malformed percent-escape", key);
		for (size_t k = 0; k < p->n_pairs; k++)
			if (strcmp(p->pairs[k].key, key) == 0)
				return fail(e, SIM_CW_ERR_MALFORMED_QUERY, msg, cap,
					    "the parameter %.80s is given twice", key);
		p->pairs[p->n_pairs++] = (struct sim_param){ key, o };
		o += vl + 1;
		i = j + 1;
		if (j + 1 == n) /* a trailing '&' */
			return fail(e, SIM_CW_ERR_MALFORMED_QUERY, msg, cap,
				    "the form ends with '&'");
	}
	return 0;
}

/* A dimension member "member.N.Name|Value" at s into d[] (max, *n grows). */
static int form_dimension(const char *s, const char *value, struct sim_cw_dimension *d, size_t *n,
			  const char *key, enum sim_cw_error *e, char *msg, size_t cap)
{
	size_t i;
	if (strncmp(s, "member.", 7) != 0)
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The parameter %.100s is not known to CloudWatch.", key);
	s += 7;
	int rc = index_parse(&s, SIM_CW_DIMENSIONS_MAX, &i);
	if (rc > 0)
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The collection Dimensions must not have more than %d members.",
			    SIM_CW_DIMENSIONS_MAX);
	if (rc < 0 || (strcmp(s, ".Name") != 0 && strcmp(s, ".Value") != 0))
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The parameter %.100s is not known to CloudWatch.", key);
	if (s[1] == 'N')
		d[i].name = value;
	else
		d[i].value = value;
	if (i + 1 > *n)
		*n = i + 1;
	return 0;
}

/* A MetricDataQueries member's key after "MetricDataQueries.member.N.". */
static int form_query_member(struct sim_cw_query *q, const char *s, const char *value,
			     const char *key, enum sim_cw_error *e, char *msg, size_t cap)
{
	int64_t v;
	if (strcmp(s, "Id") == 0)
		q->id = value;
	else if (strcmp(s, "Label") == 0)
		q->label = value;
	else if (strcmp(s, "Expression") == 0)
		q->expression = value;
	else if (strcmp(s, "AccountId") == 0)
		; /* one account here */
	else if (strcmp(s, "ReturnData") == 0) {
		if (strcmp(value, "true") && strcmp(value, "false"))
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The parameter %.100s must be true or false.", key);
		q->return_data = value[0] == 't';
	} else if (strcmp(s, "Period") == 0) {
		if (!int_parse(value, &v))
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The parameter %.100s must be an integer.", key);
	} else if (strncmp(s, "MetricStat.", 11) == 0) {
		q->has_metric_stat = true;
		s += 11;
		if (strcmp(s, "Period") == 0) {
			if (!int_parse(value, &q->period))
				return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
					    "The parameter %.100s must be an integer, not "
					    "'%.32s'.",
					    key, value);
			q->has_period = true;
		} else if (strcmp(s, "Stat") == 0) {
			q->stat = value;
		} else if (strcmp(s, "Unit") == 0) {
			q->unit = value;
		} else if (strcmp(s, "Metric.Namespace") == 0) {
			q->ns = value;
		} else if (strcmp(s, "Metric.MetricName") == 0) {
			q->metric_name = value;
		} else if (strncmp(s, "Metric.Dimensions.", 18) == 0) {
			return form_dimension(s + 18, value, q->dims, &q->n_dims, key, e, msg, cap);
		} else {
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The parameter %.100s is not known to CloudWatch.", key);
		}
	} else {
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The parameter %.100s is not known to CloudWatch.", key);
	}
	return 0;
}

static int form_time(const char *key, const char *value, int64_t *ms, bool *has,
		     enum sim_cw_error *e, char *msg, size_t cap)
{
	if (sim_cw_time_parse(value, ms) != 0)
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The parameter %s must be an ISO 8601 timestamp, not '%.40s'.", key,
			    value);
	*has = true;
	return 0;
}

static int form_get(struct sim_cw_parse *p, enum sim_cw_error *e, char *msg, size_t cap)
{
	struct sim_cw_request *r = &p->req;
	r->queries = calloc(SIM_CW_QUERIES_MAX, sizeof *r->queries);
	if (!r->queries)
		return fail(e, SIM_CW_ERR_INTERNAL, msg, cap, "out of memory");
	for (size_t k = 0; k < p->n_pairs; k++) {
		const char *key = p->pairs[k].key, *value = p->pairs[k].value;
		static const char Q[] = "MetricDataQueries.member.";
		if (!strcmp(key, "Action") || !strcmp(key, "Version") ||
		    !strcmp(key, "LabelOptions.Timezone"))
			continue; /* labels carry no times here */
		if (!strcmp(key, "StartTime")) {
			if (form_time(key, value, &r->start_ms, &r->has_start, e, msg, cap))
				return -1;
		} else if (!strcmp(key, "EndTime")) {
			if (form_time(key, value, &r->end_ms, &r->has_end, e, msg, cap))
				return -1;
		} else if (!strcmp(key, "ScanBy")) {
			if (strcmp(value, "TimestampDescending") &&
			    strcmp(value, "TimestampAscending"))
				return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
					    "The parameter ScanBy must be TimestampDescending or "
					    "TimestampAscending.");
			r->ascending = value[9] == 'A';
		} else if (!strcmp(key, "MaxDatapoints")) {
			if (!int_parse(value, &r->max_datapoints))
				return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
					    "The parameter MaxDatapoints must be an integer.");
		} else if (!strcmp(key, "NextToken")) {
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The NextToken was not issued by this endpoint (it returns "
				    "every point at once).");
		} else if (!strncmp(key, Q, sizeof Q - 1)) {
			const char *s = key + sizeof Q - 1;
			size_t i;
			int rc = index_parse(&s, SIM_CW_QUERIES_MAX, &i);
			if (rc > 0)
				return fail(e, SIM_CW_ERR_VALIDATION, msg, cap,
					    "The collection MetricDataQueries must not have more "
					    "than %d members.",
					    SIM_CW_QUERIES_MAX);
			if (rc < 0 || *s != '.')
				return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
					    "The parameter %.100s is not known to CloudWatch.",
					    key);
			struct sim_cw_query *q = &r->queries[i];
			if (!q->present)
				q->return_data = true;
			q->present = true;
			if (i + 1 > r->n_queries)
				r->n_queries = i + 1;
			if (form_query_member(q, s + 1, value, key, e, msg, cap))
				return -1;
		} else {
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The parameter %.100s is not known to CloudWatch.", key);
		}
	}
	for (size_t i = 0; i < r->n_queries; i++)
		if (!r->queries[i].present)
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "MetricDataQueries.member.%zu is missing (members are numbered "
				    "from 1 without gaps).",
				    i + 1);
	return check_get(r, e, msg, cap);
}

static int form_list(struct sim_cw_parse *p, enum sim_cw_error *e, char *msg, size_t cap)
{
	struct sim_cw_request *r = &p->req;
	for (size_t k = 0; k < p->n_pairs; k++) {
		const char *key = p->pairs[k].key, *value = p->pairs[k].value;
		if (!strcmp(key, "Action") || !strcmp(key, "Version") ||
		    !strcmp(key, "RecentlyActive") || !strcmp(key, "IncludeLinkedAccounts") ||
		    !strcmp(key, "OwningAccount"))
			continue; /* every metric here is recent and our own */
		if (!strcmp(key, "Namespace"))
			r->ns = value;
		else if (!strcmp(key, "MetricName"))
			r->metric_name = value;
		else if (!strcmp(key, "NextToken"))
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The NextToken was not issued by this endpoint.");
		else if (!strncmp(key, "Dimensions.", 11)) {
			if (form_dimension(key + 11, value, r->dims, &r->n_dims, key, e, msg, cap))
				return -1;
		} else
			return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
				    "The parameter %.100s is not known to CloudWatch.", key);
	}
	return check_dims(r->dims, r->n_dims, false, "", e, msg, cap);
}

static const char *form_get_value(const struct sim_cw_parse *p, const char *key)
{
	for (size_t k = 0; k < p->n_pairs; k++)
		if (strcmp(p->pairs[k].key, key) == 0)
			return p->pairs[k].value;
	return NULL;
}

int sim_cw_parse_query(const struct sim_request *req, struct sim_cw_parse *p, enum sim_cw_error *e,
		       char *msg, size_t cap)
{
	memset(p, 0, sizeof *p);
	p->req.max_datapoints = SIM_CW_DEFAULT_MAX_DATAPOINTS;
	if (form_split(req, p, e, msg, cap))
		return -1;
	const char *action = form_get_value(p, "Action");
	const char *version = form_get_value(p, "Version");
	if (!action)
		return fail(e, SIM_CW_ERR_MISSING_ACTION, msg, cap, "The request has no Action.");
	if (version && strcmp(version, "2010-08-01") != 0)
		return fail(e, SIM_CW_ERR_INVALID_ACTION, msg, cap,
			    "Could not find operation %.64s for version %.32s.", action, version);
	if (!strcmp(action, "GetMetricData")) {
		p->req.action = SIM_CW_GET_METRIC_DATA;
		return form_get(p, e, msg, cap);
	}
	if (!strcmp(action, "ListMetrics")) {
		p->req.action = SIM_CW_LIST_METRICS;
		return form_list(p, e, msg, cap);
	}
	return fail(e, SIM_CW_ERR_INVALID_ACTION, msg, cap,
		    "Could not find operation %.64s for version 2010-08-01 (this endpoint "
		    "serves GetMetricData and ListMetrics).",
		    action);
}

/* --- JSON 1.0 ------------------------------------------------------------------ */

/* Member name of o, or NULL when absent; -1 (error) when not a string. */
static int json_string(const cJSON *o, const char *name, const char **out, const char *where,
		       enum sim_cw_error *e, char *msg, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap, "%s%s must be a string", where,
			    name);
	*out = v->valuestring;
	return 0;
}

static int json_int(const cJSON *o, const char *name, int64_t *out, bool *has, const char *where,
		    enum sim_cw_error *e, char *msg, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    fabs(v->valuedouble) > 9e15)
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap, "%s%s must be an integer", where,
			    name);
	*out = (int64_t)v->valuedouble;
	if (has)
		*has = true;
	return 0;
}

static int json_time(const cJSON *o, const char *name, int64_t *out, bool *has,
		     enum sim_cw_error *e, char *msg, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && fabs(v->valuedouble) < 1e13)
		*out = (int64_t)llround(v->valuedouble * 1000);
	else if (!cJSON_IsString(v) || sim_cw_time_parse(v->valuestring, out) != 0)
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap,
			    "%s must be a timestamp (epoch seconds or ISO 8601)", name);
	*has = true;
	return 0;
}

static int json_dims(const cJSON *o, struct sim_cw_dimension *d, size_t *n, const char *where,
		     enum sim_cw_error *e, char *msg, size_t cap)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "Dimensions");
	if (!a || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap, "%sDimensions must be a list",
			    where);
	if (cJSON_GetArraySize(a) > SIM_CW_DIMENSIONS_MAX)
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The collection Dimensions must not have more than %d members.",
			    SIM_CW_DIMENSIONS_MAX);
	const cJSON *x;
	cJSON_ArrayForEach(x, a)
	{
		if (!cJSON_IsObject(x))
			return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap,
				    "%sDimensions members must be objects", where);
		if (json_string(x, "Name", &d[*n].name, where, e, msg, cap) ||
		    json_string(x, "Value", &d[*n].value, where, e, msg, cap))
			return -1;
		(*n)++;
	}
	return 0;
}

static int json_query(const cJSON *o, struct sim_cw_query *q, size_t i, enum sim_cw_error *e,
		      char *msg, size_t cap)
{
	char where[96];
	snprintf(where, sizeof where, "MetricDataQueries[%zu].", i);
	if (!cJSON_IsObject(o))
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap,
			    "MetricDataQueries[%zu] must be "
			    "an object",
			    i);
	q->present = q->return_data = true;
	int64_t unused;
	const cJSON *rd = cJSON_GetObjectItemCaseSensitive(o, "ReturnData");
	if (rd && !cJSON_IsNull(rd)) {
		if (!cJSON_IsBool(rd))
			return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap,
				    "%sReturnData must be a boolean", where);
		q->return_data = cJSON_IsTrue(rd);
	}
	if (json_string(o, "Id", &q->id, where, e, msg, cap) ||
	    json_string(o, "Label", &q->label, where, e, msg, cap) ||
	    json_string(o, "Expression", &q->expression, where, e, msg, cap) ||
	    json_int(o, "Period", &unused, NULL, where, e, msg, cap))
		return -1;
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(o, "MetricStat");
	if (!ms || cJSON_IsNull(ms))
		return 0;
	if (!cJSON_IsObject(ms))
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap, "%sMetricStat must be an object",
			    where);
	q->has_metric_stat = true;
	snprintf(where, sizeof where, "MetricDataQueries[%zu].MetricStat.", i);
	if (json_int(ms, "Period", &q->period, &q->has_period, where, e, msg, cap) ||
	    json_string(ms, "Stat", &q->stat, where, e, msg, cap) ||
	    json_string(ms, "Unit", &q->unit, where, e, msg, cap))
		return -1;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(ms, "Metric");
	if (!m || cJSON_IsNull(m))
		return 0;
	if (!cJSON_IsObject(m))
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap, "%sMetric must be an object",
			    where);
	snprintf(where, sizeof where, "MetricDataQueries[%zu].MetricStat.Metric.", i);
	return json_string(m, "Namespace", &q->ns, where, e, msg, cap) ||
			       json_string(m, "MetricName", &q->metric_name, where, e, msg, cap) ||
			       json_dims(m, q->dims, &q->n_dims, where, e, msg, cap)
		       ? -1
		       : 0;
}

int sim_cw_parse_json(const struct sim_request *req, const char *operation, struct sim_cw_parse *p,
		      enum sim_cw_error *e, char *msg, size_t cap)
{
	memset(p, 0, sizeof *p);
	struct sim_cw_request *r = &p->req;
	r->max_datapoints = SIM_CW_DEFAULT_MAX_DATAPOINTS;
	bool get = strcmp(operation, "GetMetricData") == 0;
	if (!get && strcmp(operation, "ListMetrics") != 0)
		return fail(e, SIM_CW_ERR_UNKNOWN_OPERATION, msg, cap,
			    "Unknown operation %.64s (this endpoint serves GetMetricData and "
			    "ListMetrics).",
			    operation);
	r->action = get ? SIM_CW_GET_METRIC_DATA : SIM_CW_LIST_METRICS;
	cJSON *o = cJSON_ParseWithLength(req->body ? req->body : "", req->body_len);
	p->json = o;
	if (!cJSON_IsObject(o))
		return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap,
			    "the request body is not a JSON object");
	if (cJSON_GetObjectItemCaseSensitive(o, "NextToken"))
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The NextToken was not issued by this endpoint.");
	if (!get) {
		if (json_string(o, "Namespace", &r->ns, "", e, msg, cap) ||
		    json_string(o, "MetricName", &r->metric_name, "", e, msg, cap) ||
		    json_dims(o, r->dims, &r->n_dims, "", e, msg, cap))
			return -1;
		return check_dims(r->dims, r->n_dims, false, "", e, msg, cap);
	}
	const char *scan = NULL;
	if (json_time(o, "StartTime", &r->start_ms, &r->has_start, e, msg, cap) ||
	    json_time(o, "EndTime", &r->end_ms, &r->has_end, e, msg, cap) ||
	    json_int(o, "MaxDatapoints", &r->max_datapoints, NULL, "", e, msg, cap) ||
	    json_string(o, "ScanBy", &scan, "", e, msg, cap))
		return -1;
	if (scan && strcmp(scan, "TimestampDescending") && strcmp(scan, "TimestampAscending"))
		return fail(e, SIM_CW_ERR_INVALID_PARAMETER_VALUE, msg, cap,
			    "The parameter ScanBy must be TimestampDescending or "
			    "TimestampAscending.");
	r->ascending = scan && scan[9] == 'A';
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "MetricDataQueries");
	if (a && !cJSON_IsNull(a)) {
		if (!cJSON_IsArray(a))
			return fail(e, SIM_CW_ERR_SERIALIZATION, msg, cap,
				    "MetricDataQueries must be a list");
		int n = cJSON_GetArraySize(a);
		if (n > SIM_CW_QUERIES_MAX)
			return fail(e, SIM_CW_ERR_VALIDATION, msg, cap,
				    "The collection MetricDataQueries must not have more than %d "
				    "members.",
				    SIM_CW_QUERIES_MAX);
		r->queries = calloc(n ? (size_t)n : 1, sizeof *r->queries);
		if (!r->queries)
			return fail(e, SIM_CW_ERR_INTERNAL, msg, cap, "out of memory");
		const cJSON *x;
		cJSON_ArrayForEach(x, a)
		{
			if (json_query(x, &r->queries[r->n_queries], r->n_queries, e, msg, cap))
				return -1;
			r->n_queries++;
		}
	}
	return check_get(r, e, msg, cap);
}

void sim_cw_parse_free(struct sim_cw_parse *p)
{
	free(p->pairs);
	free(p->store);
	cJSON_Delete(p->json);
	free(p->req.queries);
	memset(p, 0, sizeof *p);
}
