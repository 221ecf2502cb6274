/*
 * s3.c - the endpoint's S3 (see s3.h). Not built yet: every request
 * answers NotImplemented in S3's XML error shape.
 */
#include "sim/s3.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim_s3 {
	int unused;
};

struct sim_s3 *sim_s3_new(const char *data_dir, char *err, size_t cap)
{
	(void)data_dir;
	struct sim_s3 *s = calloc(1, sizeof *s);
	if (!s)
		snprintf(err, cap, "s3: out of memory");
	return s;
}

void sim_s3_free(struct sim_s3 *s)
{
	free(s);
}

void sim_s3_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	char body[512];
	int n = snprintf(body, sizeof body,
			 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
			 "<Message>%s</Message></Error>",
			 sim_error_code(e), msg);
	sim_response_clear(res);
	res->status = sim_error_status(e);
	res->error_code = sim_error_code(e);
	res->content_type = "application/xml";
	res->body = malloc((size_t)n + 1);
	if (res->body) {
		memcpy(res->body, body, (size_t)n + 1);
		res->body_len = (size_t)n;
	}
}

void sim_s3_handle(struct sim_s3 *s, const struct sim_request *req, struct sim_response *res)
{
	(void)s, (void)req;
	sim_s3_error(res, SIM_ERR_UNKNOWN_OPERATION, "S3 is not served yet");
}

bool sim_s3_bucket_exists(struct sim_s3 *s, const char *bucket)
{
	(void)s, (void)bucket;
	return false;
}

int sim_s3_put(struct sim_s3 *s, const char *bucket, const char *key, const void *data, size_t len,
	       char *err, size_t cap)
{
	(void)s, (void)bucket, (void)key, (void)data, (void)len, (void)err, (void)cap;
	return 1;
}
