/*
 * resource_table.c - the table of resource descriptors the pollers walk
 * (see resource.h). One line per kind; the integrator adds streams,
 * exports, Kinesis health, metrics and audit here as their files land,
 * with the base intervals of issue 11: streams 30 s (STORE_STREAMS),
 * exports 60 s (STORE_EXPORTS), Kinesis health 30 s (STORE_KINESIS),
 * metrics 60 s (STORE_METRICS); the auditor publishes STORE_AUDIT itself.
 * A kind with no entry here is reported "not polled in this version" by
 * snapshot and "not checked" by check, so nothing claims data it lacks.
 */
#include "api/resource.h"

/* one kind per line */
// clang-format off
const struct resource_desc *const RESOURCE_TABLE[] = {
	&RESOURCE_LEDGERS,
	&RESOURCE_LEDGER,
	&RESOURCE_DIGEST,
	&RESOURCE_TAGS,
	&RESOURCE_STREAMS,
	&RESOURCE_EXPORTS,
	&RESOURCE_KINESIS,
	&RESOURCE_METRICS,
	&RESOURCE_AUDIT,
};
// clang-format on
const size_t RESOURCE_TABLE_N = sizeof RESOURCE_TABLE / sizeof RESOURCE_TABLE[0];

const struct resource_desc *resource_for_kind(enum store_kind kind)
{
	for (size_t i = 0; i < RESOURCE_TABLE_N; i++)
		if (RESOURCE_TABLE[i]->kind == kind)
			return RESOURCE_TABLE[i];
	return NULL;
}
