/*
 * scenario_apply.h - a scenario's ledger events (sim/scenario.h) made
 * true in the registry and journals: impair-stream, fail-export,
 * kms-inaccessible (each undone when its `for` runs out), tamper-block and
 * fork (permanent). An event on a ledger that does not exist does nothing.
 * Thread-safe (takes the registry's lock).
 */
#ifndef QLDBTOP_SIM_SCENARIO_APPLY_H
#define QLDBTOP_SIM_SCENARIO_APPLY_H

#include <stdbool.h>

#include "sim/ledger.h"
#include "sim/scenario.h"

/* ctx is the struct sim_ledgers *; the signature fits sim_faults_events. */
void sim_scenario_apply(void *ctx, const struct sim_scenario_event *e, bool ending);

#endif
