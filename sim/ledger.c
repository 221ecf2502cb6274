/*
 * ledger.c - the ledger registry and the demo ledger (see ledger.h).
 */
#include "sim/ledger.h"

#include <stdio.h>
#include <string.h>

#include "sim/workload.h"

bool sim_ledger_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > SIM_LEDGER_NAME_MAX || name[0] == '-' || name[n - 1] == '-')
		return false;
	bool all_digits = true;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alnum =
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && c != '-')
			return false;
		if (c == '-' && name[i + 1] == '-')
			return false;
		if (c < '0' || c > '9')
			all_digits = false;
	}
	return !all_digits;
}

int sim_ledgers_add(struct sim_ledgers *ls, const char *name, const char *region,
		    int64_t created_ms, struct sim_journal *journal, char *err, size_t cap)
{
	if (!sim_ledger_name_valid(name) || sim_ledgers_find(ls, name) ||
	    ls->n >= SIM_LEDGERS_MAX) {
		snprintf(err, cap, "ledger %.40s: invalid, duplicate or over the limit of %d", name,
			 SIM_LEDGERS_MAX);
		sim_journal_free(journal);
		return -1;
	}
	struct sim_ledger *l = &ls->v[ls->n++];
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", name);
	snprintf(l->arn, sizeof l->arn, "arn:aws:qldb:%.20s:%s:ledger/%s", region, SIM_DEMO_ACCOUNT,
		 name);
	l->state = "ACTIVE";
	l->permissions_mode = "STANDARD";
	l->deletion_protection = true;
	l->kms_key_arn = "AWS_OWNED_KMS_KEY";
	l->encryption_status = "ENABLED";
	l->created_ms = created_ms;
	l->journal = journal;
	return 0;
}

int sim_ledgers_add_demo(struct sim_ledgers *ls, const char *region, int64_t now_ms, char *err,
			 size_t cap)
{
	int64_t created = now_ms - SIM_DEMO_AGE_MS;
	struct sim_journal *j = sim_workload_build(SIM_DEMO_SEED, created, SIM_DEMO_BLOCKS,
						   SIM_DEMO_STEP_MS, err, cap);
	if (!j)
		return -1;
	return sim_ledgers_add(ls, SIM_DEMO_LEDGER, region, created, j, err, cap);
}

const struct sim_ledger *sim_ledgers_find(const struct sim_ledgers *ls, const char *name)
{
	for (size_t i = 0; i < ls->n; i++)
		if (strcmp(ls->v[i].name, name) == 0)
			return &ls->v[i];
	return NULL;
}

void sim_ledgers_free(struct sim_ledgers *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		sim_journal_free(ls->v[i].journal);
	ls->n = 0;
}
