/*
 * cloudwatch_request.h - inside sim/cloudwatch.c: the two CloudWatch
 * operations read from either wire form into one request (query/form
 * encoding, shared/docs/aws-api.md §4.1, or AWS JSON 1.0, §4.2), and the
 * CloudWatch error codes. Pure: no registry, no clock.
 *
 * Form decoding is strict: every pair is KEY=VALUE, percent escapes are
 * two hex digits ('+' is a space), no encoded NUL, no repeated key, list
 * indexes are decimal from 1 without leading zeros, and a key this
 * endpoint does not know is refused by name.
 *
 * Ownership: strings in a request are borrowed from the parse state
 * (struct sim_cw_parse), which owns the decoded form or the JSON tree and
 * the query array; sim_cw_parse_free releases all of it.
 */
#ifndef QLDBTOP_SIM_CLOUDWATCH_REQUEST_H
#define QLDBTOP_SIM_CLOUDWATCH_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/http.h"

#define SIM_CW_QUERIES_MAX 500 /* GetMetricData: MetricDataQueries */
#define SIM_CW_DIMENSIONS_MAX 30
#define SIM_CW_FORM_PAIRS_MAX 16384 /* 500 queries x ~12 members, with room */
#define SIM_CW_ID_MAX 255
#define SIM_CW_LABEL_MAX 1024
#define SIM_CW_DEFAULT_MAX_DATAPOINTS 100800

/* The CloudWatch errors: query code, JSON type, status, fault side. */
enum sim_cw_error {
	SIM_CW_ERR_INVALID_PARAMETER_VALUE,
	SIM_CW_ERR_MISSING_PARAMETER,
	SIM_CW_ERR_INVALID_PARAMETER_COMBINATION,
	SIM_CW_ERR_VALIDATION,
	SIM_CW_ERR_INVALID_ACTION,
	SIM_CW_ERR_MISSING_ACTION,
	SIM_CW_ERR_MALFORMED_QUERY,
	SIM_CW_ERR_SERIALIZATION,
	SIM_CW_ERR_UNKNOWN_OPERATION,
	SIM_CW_ERR_INTERNAL,
	SIM_CW_ERR_SIGNATURE,
	SIM_CW_ERR_CLIENT_TOKEN,
	SIM_CW_ERR_INCOMPLETE_SIGNATURE,
	SIM_CW_ERR_TOO_LARGE,
	SIM_CW_ERR_THROTTLING,
	SIM_CW_ERR_UNAVAILABLE,
	SIM_CW_ERR_NOT_FOUND,
	SIM_CW_ERR_LIMIT_EXCEEDED,
	SIM_CW_ERR_COUNT
};
struct sim_cw_error_info {
	const char *code;      /* query form: <Code>, x-amzn-query-error */
	const char *json_type; /* JSON form: __type after "com.amazonaws.cloudwatch#" */
	unsigned status;
	bool sender; /* <Type>Sender</Type>, else Receiver */
};
const struct sim_cw_error_info *sim_cw_error_info(enum sim_cw_error e);
/* The CloudWatch error a pre-dispatch endpoint error becomes. */
enum sim_cw_error sim_cw_error_of(enum sim_error e);

enum sim_cw_protocol { SIM_CW_QUERY, SIM_CW_JSON };
enum sim_cw_action { SIM_CW_GET_METRIC_DATA, SIM_CW_LIST_METRICS };

struct sim_cw_dimension {
	const char *name, *value; /* value NULL: absent (a ListMetrics filter) */
};

struct sim_cw_query {
	const char *id, *label, *expression;
	bool has_metric_stat;
	const char *ns, *metric_name, *stat, *unit; /* NULL: absent */
	struct sim_cw_dimension dims[SIM_CW_DIMENSIONS_MAX];
	size_t n_dims;
	bool has_period;
	int64_t period; /* MetricStat.Period, seconds */
	bool return_data;
	bool present; /* the form named this index */
};

struct sim_cw_request {
	enum sim_cw_action action;
	/* GetMetricData */
	struct sim_cw_query *queries; /* n_queries, malloc'd by the parser */
	size_t n_queries;
	bool has_start, has_end;
	int64_t start_ms, end_ms;
	bool ascending;		/* ScanBy TimestampAscending */
	int64_t max_datapoints; /* SIM_CW_DEFAULT_MAX_DATAPOINTS when absent */
	/* ListMetrics filters */
	const char *ns, *metric_name;
	struct sim_cw_dimension dims[SIM_CW_DIMENSIONS_MAX];
	size_t n_dims;
};

struct sim_cw_parse {
	struct sim_param *pairs; /* decoded form */
	size_t n_pairs;
	char *store;
	void *json; /* cJSON * */
	struct sim_cw_request req;
};

/* Read req into p->req in protocol proto (the action from the form's
 * Action or the target's operation, given as action). Returns 0, or the
 * error with msg filled (the caller still calls sim_cw_parse_free). */
int sim_cw_parse_query(const struct sim_request *req, struct sim_cw_parse *p, enum sim_cw_error *e,
		       char *msg, size_t cap);
int sim_cw_parse_json(const struct sim_request *req, const char *operation, struct sim_cw_parse *p,
		      enum sim_cw_error *e, char *msg, size_t cap);
void sim_cw_parse_free(struct sim_cw_parse *p);

/* ISO 8601 (2023-01-01T00:00:00[.fff](Z|+hh:mm)) or epoch seconds (a
 * decimal, fraction allowed) into epoch ms. Returns 0 or -1. */
int sim_cw_time_parse(const char *s, int64_t *ms);
#define SIM_CW_TIME_MAX 64
/* Epoch ms as 2023-01-01T00:55:00Z (seconds precision, as CloudWatch
 * prints period starts). */
void sim_cw_time_format(int64_t ms, char out[SIM_CW_TIME_MAX]);

#endif
