/*
 * fuzz_sim_scenario.c - the scenario parser (sim/scenario.c) on any bytes:
 * it returns events or a one-line error naming the line, never crashes;
 * every event it returns has arguments in their documented ranges.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct sim_scenario *s =
		sim_scenario_parse((const char *)data, size, "f.scn", err, sizeof err);
	if (!s) {
		if (!memchr(err, '\0', sizeof err) || strchr(err, '\n') ||
		    strncmp(err, "f.scn:", 6))
			abort();
		return 0;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct sim_scenario_event *e = &s->v[i];
		if (e->kind >= SIM_FAULT_KIND_COUNT || !(e->share >= 0 && e->share <= 1) ||
		    e->for_ms < 0 || (e->at_ms < 0 && e->after_requests == 0) || e->seq < 0 ||
		    e->ms < 0 ||
		    (e->kind == SIM_FAULT_ERROR && (e->status < 500 || e->status > 599)))
			abort();
	}
	sim_scenario_free(s);
	return 0;
}
