/*
 * api_probe.c - one request through qldbtop's own transport (api/http.c:
 * our SigV4 signer, libcurl, the standard retry mode), for the
 * integration tests:
 *
 *   api_probe --endpoint URL --service qldb|kinesis|s3|monitoring
 *             [--region R] [--timeout-ms N] [--max-response N]
 *             [--max-attempts N] [--jitter F] [--expect-json] [--raw-path]
 *             [--stream] [--print-body] [--unsigned-payload]
 *             [-q NAME=VALUE]... [-H 'Name: value']... [-d BODY]
 *             [--content-type T] [--op NAME] METHOD PATH
 *
 * Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN. PATH is the wire path (already encoded) unless
 * --raw-path, which encodes it once per RFC 3986 with '/' kept (S3 keys).
 * -q takes decoded values (the transport encodes and sorts them).
 * --jitter F fixes the backoff draw to F (0..1) so waits are known.
 * --stream hands the body to a sink that counts it (GetObject style).
 *
 * Prints, one per line: "status: N", "attempts: N", "slept: S",
 * "result: ok|service|transport|limit|parse|config|stopped|nomem",
 * "code: C" and "error: LINE" on failure, "body-bytes: N", and with
 * --print-body "body: ..." (the body as received, last). Never a key.
 * Exit 0 on success, 1 on a failed request, 2 on a usage error.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/config.h"
#include "api/http.h"

#define PROBE_PAIRS_MAX 32

static double fixed_jitter(void *ctx)
{
	return *(double *)ctx;
}

static int count_sink(void *ctx, const char *data, size_t len)
{
	(void)data;
	*(unsigned long long *)ctx += len;
	return 0;
}

static int usage(const char *why)
{
	fprintf(stderr, "api_probe: %s\n", why);
	return 2;
}

static const char *result_name(int st)
{
	static const struct {
		int st;
		const char *name;
	} NAMES[] = { { API_OK, "ok" },
		      { API_ERR_CONFIG, "config" },
		      { API_ERR_TRANSPORT, "transport" },
		      { API_ERR_SERVICE, "service" },
		      { API_ERR_PARSE, "parse" },
		      { API_ERR_LIMIT, "limit" },
		      { API_ERR_NOMEM, "nomem" },
		      { API_ERR_STOPPED, "stopped" } };
	for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
		if (NAMES[i].st == st)
			return NAMES[i].name;
	return "unknown";
}

int main(int argc, char **argv)
{
	const char *endpoint = NULL, *service = NULL, *region = "us-east-1", *body = NULL;
	const char *ctype = NULL, *op = "Probe", *method = NULL, *path = NULL;
	long timeout_ms = 0;
	size_t max_response = 0;
	int max_attempts = 0;
	double jitter = -1;
	int expect_json = 0, raw_path = 0, stream = 0, print_body = 0, unsigned_payload = 0;
	struct sigv4_pair q[PROBE_PAIRS_MAX], h[PROBE_PAIRS_MAX];
	size_t nq = 0, nh = 0;
	char *owned[2 * PROBE_PAIRS_MAX];
	size_t nowned = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(name) (strcmp(a, name) == 0 && v && (i++, 1))
		if (TAKE("--endpoint"))
			endpoint = v;
		else if (TAKE("--service"))
			service = v;
		else if (TAKE("--region"))
			region = v;
		else if (TAKE("--timeout-ms"))
			timeout_ms = atol(v);
		else if (TAKE("--max-response"))
			max_response = (size_t)strtoull(v, NULL, 10);
		else if (TAKE("--max-attempts"))
			max_attempts = atoi(v);
		else if (TAKE("--jitter"))
			jitter = atof(v);
		else if (TAKE("--content-type"))
			ctype = v;
		else if (TAKE("--op"))
			op = v;
		else if (TAKE("-d"))
			body = v;
		else if (TAKE("-q")) {
			if (nq == PROBE_PAIRS_MAX)
				return usage("too many -q");
			char *s = strdup(v);
			owned[nowned++] = s;
			char *eq = strchr(s, '=');
			if (eq)
				*eq++ = '\0';
			q[nq++] = (struct sigv4_pair){ s, eq };
		} else if (TAKE("-H")) {
			if (nh == PROBE_PAIRS_MAX)
				return usage("too many -H");
			char *s = strdup(v);
			owned[nowned++] = s;
			char *colon = strchr(s, ':');
			if (!colon)
				return usage("-H wants 'Name: value'");
			*colon++ = '\0';
			while (*colon == ' ')
				colon++;
			h[nh++] = (struct sigv4_pair){ s, colon };
		} else if (strcmp(a, "--expect-json") == 0)
			expect_json = 1;
		else if (strcmp(a, "--raw-path") == 0)
			raw_path = 1;
		else if (strcmp(a, "--stream") == 0)
			stream = 1;
		else if (strcmp(a, "--print-body") == 0)
			print_body = 1;
		else if (strcmp(a, "--unsigned-payload") == 0)
			unsigned_payload = 1;
		else if (a[0] == '-' && a[1])
			return usage("unknown option (see the header of api_probe.c)");
		else if (!method)
			method = a;
		else if (!path)
			path = a;
		else
			return usage("too many arguments");
#undef TAKE
	}
	if (!endpoint || !service || !method || !path)
		return usage("need --endpoint, --service, METHOD and PATH");

	char encoded[HTTP_URL_MAX];
	if (raw_path) {
		if (sigv4_encode(path, strlen(path), 1, encoded, sizeof encoded) < 0)
			return usage("path too long");
		path = encoded;
	}

	struct api_config cfg;
	struct api_config_overrides ov = { .endpoint_url = endpoint, .region = region };
	struct api_error err;
	if (api_config_resolve(&cfg, &ov, NULL, &err)) {
		printf("result: %s\nerror: %s\n", result_name(err.status), err.msg);
		return 1;
	}
	if (http_global_init())
		return usage("curl_global_init failed");
	struct http_client_options o = { .cfg = &cfg,
					 .service = service,
					 .max_attempts = max_attempts };
	if (jitter >= 0) {
		o.rand01 = fixed_jitter;
		o.rand_ctx = &jitter;
	}
	struct http_client *c = http_client_open(&o, &err);
	int rc = 1;
	if (!c) {
		printf("result: %s\nerror: %s\n", result_name(err.status), err.msg);
		goto out;
	}
	unsigned long long streamed = 0;
	struct http_request req = {
		.op = op,
		.method = method,
		.path = path,
		.params = nq ? q : NULL,
		.n_params = nq,
		.headers = h,
		.n_headers = nh,
		.body = body,
		.body_len = body ? strlen(body) : 0,
		.content_type = ctype,
		.max_response = max_response,
		.timeout_ms = timeout_ms,
		.unsigned_payload = unsigned_payload,
		.sink = stream ? count_sink : NULL,
		.sink_ctx = &streamed,
	};
	struct http_response resp;
	int st = http_request_perform(c, &req, &resp, &err);
	if (st == 0 && expect_json) {
		cJSON *j = cJSON_ParseWithLength(resp.body ? resp.body : "", resp.len);
		if (!j)
			st = api_error_set(&err, API_ERR_PARSE, "%s: response is not JSON", op);
		cJSON_Delete(j);
	}
	printf("status: %ld\nattempts: %d\nslept: %.3f\nresult: %s\n", resp.status, resp.attempts,
	       resp.slept_s, result_name(st));
	if (st) {
		printf("code: %s\nerror: %s\n", err.code, err.msg);
	}
	printf("body-bytes: %llu\n", stream ? streamed : (unsigned long long)resp.len);
	if (resp.request_id[0])
		printf("request-id: %s\n", resp.request_id);
	if (print_body && resp.body) {
		fputs("body: ", stdout);
		fwrite(resp.body, 1, resp.len, stdout);
		fputc('\n', stdout);
	}
	http_response_free(&resp);
	http_client_free(c);
	rc = st ? 1 : 0;
out:
	api_config_wipe(&cfg);
	http_global_cleanup();
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	return rc;
}
