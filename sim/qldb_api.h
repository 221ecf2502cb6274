/*
 * qldb_api.h - the QLDB control plane (rest-json, API 2019-01-02) as the
 * endpoint serves it: the route table and handlers for ListLedgers,
 * DescribeLedger and GetDigest, with the JSON shapes of the model
 * (shared/vectors/qldb/api/qldb-2019-01-02.service-2.json) and
 * shared/docs/aws-api.md §2. Any other method + path answers 404
 * UnknownOperationException, which the AWS CLI prints as
 * "An error occurred (UnknownOperationException) ...".
 *
 * Pure with respect to HTTP: handlers read a struct sim_request and fill a
 * struct sim_response, so they are tested without a socket. Thread-safe:
 * the ledger registry is read-only while serving and journals lock.
 * Ownership: the service borrows the registry.
 */
#ifndef QLDBTOP_SIM_QLDB_API_H
#define QLDBTOP_SIM_QLDB_API_H

#include "sim/http.h"
#include "sim/ledger.h"

#define SIM_LIST_MAX_RESULTS 100 /* MaxResults: 1..100 */

struct sim_qldb {
	const struct sim_ledgers *ledgers;
};

extern const struct sim_route SIM_QLDB_ROUTES[];
extern const size_t SIM_QLDB_ROUTE_COUNT;

/* Route and answer one request. */
void sim_qldb_handle(struct sim_qldb *svc, const struct sim_request *req, struct sim_response *res);

#endif
