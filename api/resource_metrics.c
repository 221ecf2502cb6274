/*
 * resource_metrics.c - the ledger's CloudWatch metrics (namespace
 * AWS/QLDB: ReadIOs, WriteIOs, JournalStorage, IndexedStorage,
 * CommandLatency, IsImpaired) as a resource kind (STORE_METRICS): the last
 * hour at one-minute points, for the dashboard's sparklines and
 * snapshot --json. GetMetricData goes to the monitoring endpoint on a
 * client beside the worker's (same keys, stop flag and quota).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <time.h>

#include "api/cloudwatch.h"
#include "api/resource.h"

#define METRICS_WINDOW_S 3600 /* the last hour */
#define METRICS_PERIOD_S 60   /* one-minute points */

static int metrics_fetch(struct http_client *c, const char *ledger, void **value,
			 struct api_error *err)
{
	struct cw_metrics *m = calloc(1, sizeof *m);
	if (!m)
		return api_error_set(err, API_ERR_NOMEM, "metrics %s: out of memory", ledger);
	struct http_client *cw = http_client_beside(c, "monitoring", err);
	double end = (double)(time(NULL) / METRICS_PERIOD_S * METRICS_PERIOD_S);
	int rc = cw ? cloudwatch_get_metric_data(cw, ledger, end - METRICS_WINDOW_S, end,
						 METRICS_PERIOD_S, m, err)
		    : err->status;
	http_client_free(cw);
	if (rc) {
		free(m);
		return rc;
	}
	*value = m;
	return 0;
}

/* One object per metric: its status and the points, oldest first; a
 * metric the answer lacked is null (not an empty series). */
static void metrics_json(const void *v, cJSON *arr)
{
	const struct cw_metrics *m = v;
	for (int i = 0; i < CW_METRICS_N; i++) {
		const struct cw_series *s = &m->s[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "metric", CW_METRICS[i].name);
		cJSON_AddStringToObject(o, "stat", CW_METRICS[i].stat);
		if (!s->present) {
			cJSON_AddNullToObject(o, "status");
			cJSON_AddNullToObject(o, "points");
		} else {
			cJSON_AddStringToObject(o, "status", s->status);
			cJSON *pts = cJSON_AddArrayToObject(o, "points");
			for (size_t k = 0; k < s->n; k++) {
				cJSON *p = cJSON_CreateArray();
				cJSON_AddItemToArray(p, cJSON_CreateNumber(s->t[k]));
				cJSON_AddItemToArray(p, cJSON_CreateNumber(s->v[k]));
				cJSON_AddItemToArray(pts, p);
			}
		}
		cJSON_AddItemToArray(arr, o);
	}
}

const struct resource_desc RESOURCE_METRICS = {
	.name = "metrics",
	.operation = "GetMetricData",
	.scope = RESOURCE_SCOPE_LEDGER,
	.base_interval_s = 60,
	.kind = STORE_METRICS,
	.fetch = metrics_fetch,
	.free_value = free,
	.to_json = metrics_json,
};
