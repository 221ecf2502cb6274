/*
 * cloudwatch.h - the endpoint's CloudWatch (signing name "monitoring"):
 * GetMetricData and ListMetrics for namespace AWS/QLDB from the emulated
 * activity, in the query/XML form the Debian AWS CLI sends and the JSON
 * 1.0 form newer SDKs send (shared/docs/aws-api.md §4). A request with
 * X-Amz-Target is JSON 1.0, any other is the query form (POST, form body).
 *
 * The metrics (WriteIOs, ReadIOs, JournalStorage, IndexedStorage,
 * CommandLatency, IsImpaired, dimension LedgerName) and their formulas are
 * in sim/cloudwatch_series.h; ReadIOs come from sim/metrics.h. A query
 * for another namespace, metric, dimension set or ledger has no data
 * (StatusCode Complete, no points), as CloudWatch answers.
 *
 * Errors: the query form answers <ErrorResponse><Error><Type>Sender|
 * Receiver</Type><Code>..</Code><Message>..</Message></Error><RequestId>
 * (text/xml); JSON 1.0 answers {"__type":"com.amazonaws.cloudwatch#..",
 * "message":".."}; both set x-amzn-query-error: Code;Sender (the header
 * awsQueryCompatible clients read). sim_cloudwatch_error (before dispatch:
 * signature, size, scripted faults) cannot see the request and always
 * answers the query shape: SignatureDoesNotMatch and InvalidClientTokenId
 * 403, RequestEntityTooLarge 413, Throttling 400, ... (cloudwatch_request.h).
 *
 * Thread-safe. Ownership: sim_cloudwatch_new allocates (the registry is
 * borrowed and outlives it), sim_cloudwatch_free releases; it keeps a
 * summary of each journal it was asked about (grown incrementally).
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
