/*
 * faults.h - a scenario (sim/scenario.h) running: which fault, if any, a
 * request meets now, and which ledger events have come due. Time is
 * measured from sim_faults_new; a fault triggered by a request count lasts
 * `for` from that request on. Shares are decided by a generator seeded
 * from the scenario, so a run is repeatable.
 *
 * Thread-safe (one mutex). Ownership: sim_faults_new takes the scenario,
 * sim_faults_free releases both.
 */
#ifndef QLDBTOP_SIM_FAULTS_H
#define QLDBTOP_SIM_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/scenario.h"

/* What a request meets. */
struct sim_fault_decision {
	int64_t latency_ms; /* wait first */
	bool drop;	    /* close the connection, no answer */
	bool throttle;	    /* 400 ThrottlingException */
	unsigned status;    /* a 5xx answer, 0: none */
	bool malformed;	    /* a 200 whose body is not what was asked */
	bool truncate;	    /* the real answer, cut short */
};

struct sim_faults;
struct sim_faults *sim_faults_new(struct sim_scenario *s, int64_t now_ms);
void sim_faults_free(struct sim_faults *f);
/* Count one request to service and decide its fault. operation is the
 * request's operation as the endpoint routes it (NULL: none known, then
 * only whole-service faults apply). */
void sim_faults_decide(struct sim_faults *f, const char *service, const char *operation,
		       int64_t now_ms, struct sim_fault_decision *d);
/* Call fn for each ledger event (kind >= SIM_EVENT_IMPAIR_STREAM) that has
 * come due and was not yet given, and for each whose `for` has run out
 * (ending true). */
void sim_faults_events(struct sim_faults *f, int64_t now_ms,
		       void (*fn)(void *ctx, const struct sim_scenario_event *e, bool ending),
		       void *ctx);

#endif
