/*
 * scenario_apply.c - ledger events of a scenario (see scenario_apply.h).
 */
#include "sim/scenario_apply.h"

#include <string.h>

/* The cause as a static string (streams keep a pointer). */
static const char *cause_of(const char *c)
{
	return strcmp(c, "IAM_PERMISSION_REVOKED") == 0 ? "IAM_PERMISSION_REVOKED"
							: "KINESIS_STREAM_NOT_FOUND";
}

void sim_scenario_apply(void *ctx, const struct sim_scenario_event *e, bool ending)
{
	struct sim_ledgers *ls = ctx;
	char err[160];
	int64_t now = sim_ledgers_lock(ls);
	struct sim_ledger *l = sim_ledgers_get(ls, e->ledger);
	if (!l) {
		sim_ledgers_unlock(ls);
		return;
	}
	switch (e->kind) {
	case SIM_EVENT_IMPAIR_STREAM:
		for (size_t i = 0; i < l->n_streams; i++)
			l->streams[i]->forced_cause = ending ? NULL : cause_of(e->cause);
		break;
	case SIM_EVENT_FAIL_EXPORT:
		l->fail_next_export = !ending;
		break;
	case SIM_EVENT_KMS_INACCESSIBLE:
		l->kms_inaccessible_ms = ending ? 0 : now;
		break;
	case SIM_EVENT_TAMPER_BLOCK:
		if (!ending)
			sim_journal_tamper(l->journal, e->seq, err, sizeof err);
		break;
	case SIM_EVENT_FORK:
		if (!ending)
			sim_journal_fork(l->journal, e->seq, err, sizeof err);
		break;
	default:
		break;
	}
	sim_ledgers_unlock(ls);
}
