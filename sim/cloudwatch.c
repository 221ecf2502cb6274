/*
 * cloudwatch.c - the endpoint's CloudWatch (see cloudwatch.h). Not built
 * yet: every request answers an error.
 */
#include "sim/cloudwatch.h"

#include <stdlib.h>

struct sim_cloudwatch {
	struct sim_ledgers *ls;
};

struct sim_cloudwatch *sim_cloudwatch_new(struct sim_ledgers *ls)
{
	struct sim_cloudwatch *cw = calloc(1, sizeof *cw);
	if (cw)
		cw->ls = ls;
	return cw;
}

void sim_cloudwatch_free(struct sim_cloudwatch *cw)
{
	free(cw);
}

void sim_cloudwatch_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	sim_response_error(res, e, NULL, NULL, NULL, "%s", msg);
}

void sim_cloudwatch_handle(struct sim_cloudwatch *cw, const struct sim_request *req,
			   struct sim_response *res)
{
	(void)cw, (void)req;
	sim_cloudwatch_error(res, SIM_ERR_UNKNOWN_OPERATION, "CloudWatch is not served yet");
}
