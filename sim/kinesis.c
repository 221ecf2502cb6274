/*
 * kinesis.c - the endpoint's Kinesis (see kinesis.h). Not built yet: every
 * operation answers UnknownOperationException in Kinesis's error shape.
 */
#include "sim/kinesis.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

struct sim_kinesis {
	uint64_t seed;
};

struct sim_kinesis *sim_kinesis_new(uint64_t seed, int64_t (*now_ms)(void *ctx), void *ctx)
{
	(void)now_ms, (void)ctx;
	struct sim_kinesis *k = calloc(1, sizeof *k);
	if (k)
		k->seed = seed;
	return k;
}

void sim_kinesis_free(struct sim_kinesis *k)
{
	free(k);
}

void sim_kinesis_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	sim_response_error(res, e, NULL, NULL, NULL, "%s", msg);
	res->content_type = "application/x-amz-json-1.1";
}

void sim_kinesis_handle(struct sim_kinesis *k, const struct sim_request *req,
			struct sim_response *res)
{
	(void)k, (void)req;
	sim_kinesis_error(res, SIM_ERR_UNKNOWN_OPERATION, "Kinesis is not served yet");
}

int sim_kinesis_put(struct sim_kinesis *k, const char *stream, const char *partition_key,
		    const void *data, size_t len, char *err, size_t cap)
{
	(void)k, (void)stream, (void)partition_key, (void)data, (void)len, (void)err, (void)cap;
	return 1;
}
