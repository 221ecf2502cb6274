/*
 * cloudwatch.h - the endpoint's CloudWatch (signing name "monitoring"):
 * GetMetricData for namespace AWS/QLDB from the emulated activity, in the
 * query/XML form the Debian AWS CLI sends and the JSON 1.0 form newer SDKs
 * send (shared/docs/aws-api.md §4).
 *
 * Thread-safe. Ownership: sim_cloudwatch_new allocates (the registry is
 * borrowed and outlives it), sim_cloudwatch_free releases.
 */
#ifndef QLDBTOP_SIM_CLOUDWATCH_H
#define QLDBTOP_SIM_CLOUDWATCH_H

#include "sim/http.h"
#include "sim/ledger.h"

struct sim_cloudwatch;
struct sim_cloudwatch *sim_cloudwatch_new(struct sim_ledgers *ls);
void sim_cloudwatch_free(struct sim_cloudwatch *cw);
void sim_cloudwatch_handle(struct sim_cloudwatch *cw, const struct sim_request *req,
			   struct sim_response *res);
/* Pre-dispatch errors (signature, size) in CloudWatch's error shape. */
void sim_cloudwatch_error(struct sim_response *res, enum sim_error e, const char *msg);

#endif
