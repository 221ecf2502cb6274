/*
 * cloudwatch.h - CloudWatch GetMetricData for a ledger's AWS/QLDB metrics
 * (docs/aws-api.md §4), the time series behind the Ledger pane's
 * sparklines. The query protocol is used (form POST, XML answer, SigV4
 * service "monitoring"): every CloudWatch model has it, the Debian CLI
 * speaks it, and it needs no X-Amz-Target, so api/http.c carries it as is.
 *
 * One call asks for every metric of the table (CW_METRICS) with dimension
 * LedgerName, ids m0..m5 in table order, follows NextToken, and returns
 * each series sorted by time, oldest first (CloudWatch answers newest
 * first by default).
 *
 * The parser is pure and strict: the root must be GetMetricDataResponse,
 * every result's Id one that was asked for and not repeated, as many
 * Values as Timestamps, timestamps ISO 8601 UTC ("2023-01-01T00:55:00Z",
 * optional fraction), values finite decimals, StatusCode one of Complete,
 * InternalError, PartialData, Forbidden; at most CW_POINTS_MAX points per
 * series. The XML reader (api/xml.h) refuses DOCTYPEs and entities.
 *
 * Ownership: plain values (fixed arrays); the form body is written into
 * the caller's buffer.
 */
#ifndef QLDBTOP_API_CLOUDWATCH_H
#define QLDBTOP_API_CLOUDWATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"
#include "api/http.h"

#define CW_POINTS_MAX 1440	   /* a day of one-minute points */
#define CW_LABEL_MAX 128	   /* labels are metric names here */
#define CW_RESPONSE_MAX (4u << 20) /* six series of 1440 points: ~500 KiB */
#define CW_BODY_MAX 8192	   /* the form body: ~2 KiB and a token of up to 3 KiB encoded */
#define CW_MAX_PAGES 20		   /* NextToken pages followed */
#define CW_NAMESPACE "AWS/QLDB"

enum cw_metric {
	CW_READ_IOS,
	CW_WRITE_IOS,
	CW_JOURNAL_STORAGE,
	CW_INDEXED_STORAGE,
	CW_COMMAND_LATENCY,
	CW_IS_IMPAIRED,
	CW_METRICS_N
};

struct cw_metric_def {
	const char *name; /* MetricName */
	const char *stat; /* the usual statistic (docs/aws-api.md §4.3) */
};
extern const struct cw_metric_def CW_METRICS[CW_METRICS_N];

struct cw_series {
	bool present; /* the answer had this Id */
	char label[CW_LABEL_MAX];
	char status[16]; /* Complete, InternalError, PartialData, Forbidden */
	size_t n;
	double t[CW_POINTS_MAX]; /* epoch s, ascending */
	double v[CW_POINTS_MAX];
};

struct cw_metrics {
	struct cw_series s[CW_METRICS_N];
	char next_token[1025]; /* of the last page parsed; "" none */
};

/* The query-form body for ledger over [start, end) (epoch s) with period
 * seconds (a multiple of 60); next_token NULL or "" for the first page.
 * Returns the length, or -1 when cap is too small or an input is bad. */
int cloudwatch_query_body(const char *ledger, double start, double end, int period,
			  const char *next_token, char *body, size_t cap);
/* An ISO 8601 UTC timestamp ("2023-01-01T00:55:00Z", "...00.123Z") into
 * epoch seconds. 0 or -1. */
int cloudwatch_parse_time(const char *s, double *out);

/* One GetMetricDataResponse page, merged into out (points appended, then
 * each series sorted by time when the last page is in: call with
 * last == true, or use cloudwatch_metrics_finish). */
int cloudwatch_parse_get_metric_data(const char *xml, size_t len, struct cw_metrics *out,
				     struct api_error *err);
/* Sort each series by time, oldest first (a repeated timestamp is an
 * error: which value is meant?). */
int cloudwatch_metrics_finish(struct cw_metrics *m, struct api_error *err);

/* The call: c must be an http_client for service "monitoring". out is
 * zeroed first. */
int cloudwatch_get_metric_data(struct http_client *c, const char *ledger, double start, double end,
			       int period, struct cw_metrics *out, struct api_error *err);

#endif
