/*
 * qldb_api.h - the QLDB control plane (rest-json, API 2019-01-02) as the
 * endpoint serves it: all 20 operations of the model
 * (shared/vectors/qldb/api/qldb-2019-01-02.service-2.json) with its paths,
 * members, member order, validation and error shapes (shared/docs/
 * aws-api.md §2). The route table SIM_QLDB_ROUTES in qldb_api.c is the one
 * list of operations; any other method + path answers 404
 * UnknownOperationException.
 *
 * Ledger states and what they allow (ledger.h has the lifecycle):
 *   CREATING: DescribeLedger, ListLedgers, UpdateLedger, permissions, tags,
 *     list/describe streams and exports work; GetDigest, GetBlock,
 *     GetRevision, StreamJournalToKinesis and ExportJournalToS3 answer 412
 *     ResourcePreconditionNotMetException (as QLDB did); DeleteLedger 409
 *     ResourceInUseException.
 *   DELETING: Describe and the lists show it; every mutation and journal
 *     read is 412 ResourcePreconditionNotMet, DeleteLedger and a
 *     CreateLedger of its name are 409 ResourceInUse.
 *   gone: 404 ResourceNotFoundException everywhere.
 * Region and account: ARNs are written per request with the region of its
 * SigV4 scope (struct sim_request.region) and account 123456789012; a tag
 * call with an ARN of another partition, region or account is 404, as a
 * resource elsewhere would be.
 *
 * Pure with respect to HTTP: handlers read a struct sim_request and fill a
 * struct sim_response, so they are tested without a socket. Thread-safe:
 * handlers hold the registry's lock while they touch metadata and read
 * journals (which lock themselves) after releasing it.
 * Ownership: the service borrows the registry.
 */
#ifndef QLDBTOP_SIM_QLDB_API_H
#define QLDBTOP_SIM_QLDB_API_H

#include "sim/http.h"
#include "sim/ledger.h"

#define SIM_LIST_MAX_RESULTS 100 /* MaxResults: 1..100 */

struct sim_s3;
struct sim_qldb {
	struct sim_ledgers *ledgers;
	struct sim_s3 *s3; /* where ExportJournalToS3 writes (NULL: records only) */
};

extern const struct sim_route SIM_QLDB_ROUTES[];
extern const size_t SIM_QLDB_ROUTE_COUNT;

/* The operation a request is routed to ("GetBlock"; a route table
 * string), or NULL when none matches. For per-operation faults. */
const char *sim_qldb_operation(const struct sim_request *req);
/* Does the route table name operation op? */
bool sim_qldb_knows(const char *op);

/* Route and answer one request. */
void sim_qldb_handle(struct sim_qldb *svc, const struct sim_request *req, struct sim_response *res);

#endif
