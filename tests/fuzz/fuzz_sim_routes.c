/*
 * fuzz_sim_routes.c - libFuzzer target for the endpoint's S3, Kinesis and
 * STS request handling after SigV4 (sim/s3.c with sim/s3_store.c and
 * sim/s3_xml.c; sim/kinesis.c with sim/kinesis_store.c; sim/sts.c), called directly
 * as tests/unit/test_sim_s3.c and test_sim_kinesis.c call them: no socket,
 * a fresh in-memory S3 store and Kinesis registry per input (Kinesis on a
 * fake clock that advances 1 s per request, stream create/delete delays
 * 0), so an input is a deterministic session.
 *
 * Input: requests separated by lines "%%". Each request:
 *   SERVICE METHOD TARGET      service "s3", "kinesis" or "sts" (anything
 *                              else: s3); TARGET is the path with ?query, the
 *                              query split on '&' and the first '=' and
 *                              passed as is (the server hands it decoded)
 *   Name: value                header lines, up to an empty line
 *   body                       the rest, any bytes (no NUL added after it)
 * Anywhere in a request, "$ITER" becomes the last ShardIterator or
 * NextShardIterator Kinesis answered and "$UPLOAD" the last UploadId S3
 * answered, so a session can follow GetShardIterator with GetRecords and
 * a multipart upload through to its end.
 *
 * Checks besides crashes, leaks and UBSan (abort on a break): a status in
 * 100..599; an error status exactly when error_code is set (S3's 3xx/304
 * aside: none are produced); every S3 error body is the <Error> shape
 * whose Code api/aws_xml_error.c reads back as error_code, and every
 * ListObjects(V2) answer is XML api/xml.c accepts; every Kinesis answer
 * is a JSON object, an error one with __type equal to error_code and a
 * one-line message; every STS error is an <ErrorResponse> whose Code the
 * client reads back as error_code. (api/ is used here as the client's reader only; sim/
 * itself never includes it.)
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/aws_xml_error.h"
#include "api/xml.h"
#include "sim/http.h"
#include "sim/kinesis.h"
#include "sim/sts.h"
#include "sim/s3.h"

#define FUZZ_REQUESTS_MAX 16
#define FUZZ_HEADERS_MAX 12
#define FUZZ_QUERY_MAX 16

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_sim_routes: %s: %.300s\n", what, detail ? detail : "");
	abort();
}

struct fuzz_hdr {
	const char *name, *value;
};

static const char *fuzz_lookup(void *ctx, const char *name)
{
	for (const struct fuzz_hdr *h = ctx; h->name; h++)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

/* The last shard iterator Kinesis gave ("$ITER" in a request) and the
 * last UploadId S3 gave ("$UPLOAD"). */
static char fuzz_iter[1024];
static char fuzz_upload[256];
static int64_t fuzz_clock_ms;
static int64_t fuzz_now(void *ctx)
{
	(void)ctx;
	return fuzz_clock_ms;
}

/* Does the body hold a reference to a control character XML 1.0 cannot
 * carry (&#x1;)? S3 writes control bytes of keys that way, which XML 1.0
 * readers refuse (S3's documented behaviour; encoding-type=url is the
 * way around it), so such an answer is not held against the endpoint. */
static bool fuzz_control_ref(const char *b, size_t n)
{
	for (const char *p = b; (p = memmem(p, n - (size_t)(p - b), "&#x", 3)); p += 3) {
		unsigned long v = strtoul(p + 3, NULL, 16);
		if (v < 0x20 && v != 0x9 && v != 0xa && v != 0xd)
			return true;
	}
	return false;
}

static void fuzz_check_s3(const struct sim_response *res, const struct sim_request *req)
{
	if (res->status < 100 || res->status > 599)
		fuzz_fail("S3: a status out of 100..599", req->path);
	if ((res->status >= 300) != (res->error_code != NULL))
		fuzz_fail("S3: error status and error code disagree", req->path);
	if (res->error_code && res->body_len) {
		char code[64], msg[512];
		if ((aws_xml_error_parse(res->body, res->body_len, code, sizeof code, msg,
					 sizeof msg) != 0 ||
		     strcmp(code, res->error_code) != 0) &&
		    !fuzz_control_ref(res->body, res->body_len))
			fuzz_fail("S3: an error body the client cannot read back", res->error_code);
	}
	if (res->body && res->body_len) {
		const char *u = memmem(res->body, res->body_len, "<UploadId>", 10);
		const char *e =
			u ? memmem(u, res->body_len - (size_t)(u - res->body), "</", 2) : NULL;
		if (e && e - u - 10 < (long)sizeof fuzz_upload)
			snprintf(fuzz_upload, sizeof fuzz_upload, "%.*s", (int)(e - u - 10),
				 u + 10);
	}
	bool listing = strcmp(req->method, "GET") == 0 && res->status == 200 && res->content_type &&
		       strcmp(res->content_type, "application/xml") == 0 &&
		       (sim_request_query(req, "list-type") || !strchr(req->path + 1, '/'));
	if (listing && res->body_len) {
		struct api_error err;
		struct xml_doc *d = xml_parse(res->body, res->body_len, "S3 answer", &err);
		if (!d && !fuzz_control_ref(res->body, res->body_len))
			fuzz_fail("S3: an XML answer the client cannot parse", err.msg);
		xml_free(d);
	}
}

static void fuzz_check_kinesis(const struct sim_response *res)
{
	if (res->status < 100 || res->status > 599)
		fuzz_fail("Kinesis: a status out of 100..599", NULL);
	if ((res->status >= 300) != (res->error_code != NULL))
		fuzz_fail("Kinesis: error status and error code disagree", res->error_code);
	cJSON *o = cJSON_ParseWithLength(res->body, res->body_len);
	if (!cJSON_IsObject(o))
		fuzz_fail("Kinesis: an answer that is not a JSON object", NULL);
	if (res->error_code) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "__type");
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "message");
		if (!cJSON_IsString(t) || strcmp(t->valuestring, res->error_code) != 0)
			fuzz_fail("Kinesis: __type differs from the error code", res->error_code);
		if (!cJSON_IsString(m) || strpbrk(m->valuestring, "\r\n"))
			fuzz_fail("Kinesis: an error message that is not one line", NULL);
	}
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, "ShardIterator");
	if (!it)
		it = cJSON_GetObjectItemCaseSensitive(o, "NextShardIterator");
	if (cJSON_IsString(it))
		snprintf(fuzz_iter, sizeof fuzz_iter, "%s", it->valuestring);
	cJSON_Delete(o);
}

static void fuzz_check_sts(const struct sim_response *res)
{
	if (res->status < 100 || res->status > 599)
		fuzz_fail("STS: a status out of 100..599", NULL);
	if ((res->status >= 300) != (res->error_code != NULL))
		fuzz_fail("STS: error status and error code disagree", res->error_code);
	if (res->error_code) {
		char code[128], msg[512];
		if (aws_xml_error_parse(res->body, res->body_len, code, sizeof code, msg,
					sizeof msg) != 0 ||
		    strcmp(code, res->error_code) != 0)
			fuzz_fail("STS: an error body the client cannot read back",
				  res->error_code);
	}
}

/* One request block [p, p + n): parse, dispatch, check. */
/* p[0..n) with every "$ITER" and "$UPLOAD" replaced: malloc'd, NUL after
 * its *out_n bytes. */
static char *fuzz_subst(const char *p, size_t n, size_t *out_n)
{
	size_t il = strlen(fuzz_iter), ul = strlen(fuzz_upload);
	char *o = malloc(n * (il > ul ? il : ul) / 5 + n + 1);
	size_t w = 0;
	for (size_t i = 0; o && i < n;) {
		if (n - i >= 5 && memcmp(p + i, "$ITER", 5) == 0) {
			memcpy(o + w, fuzz_iter, il);
			w += il;
			i += 5;
		} else if (n - i >= 7 && memcmp(p + i, "$UPLOAD", 7) == 0) {
			memcpy(o + w, fuzz_upload, ul);
			w += ul;
			i += 7;
		} else {
			o[w++] = p[i++];
		}
	}
	if (o)
		o[w] = '\0';
	*out_n = w;
	return o;
}

static void fuzz_one(struct sim_s3 *s3, struct sim_kinesis *k, const char *p, size_t n)
{
	char *copy = fuzz_subst(p, n, &n);
	if (!copy)
		return;
	/* the body starts after the first empty line (as bytes: it may hold NULs) */
	size_t head_len = n;
	const char *body = copy + n;
	for (size_t i = 0; i + 1 < n; i++)
		if (copy[i] == '\n' && copy[i + 1] == '\n') {
			head_len = i;
			body = copy + i + 2;
			break;
		}
	size_t body_len = (size_t)(copy + n - body);
	char *body_copy = malloc(body_len ? body_len : 1);
	if (!body_copy) {
		free(copy);
		return;
	}
	memcpy(body_copy, body, body_len);
	copy[head_len] = '\0';

	char *save = NULL, *line = strtok_r(copy, "\n", &save);
	char *svc = NULL, *method = NULL, *target = NULL;
	if (line) {
		svc = strtok(line, " ");
		method = strtok(NULL, " ");
		target = strtok(NULL, " ");
	}
	struct fuzz_hdr hdr[FUZZ_HEADERS_MAX + 1];
	size_t nh = 0;
	while ((line = strtok_r(NULL, "\n", &save)) && nh < FUZZ_HEADERS_MAX) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ')
			v++;
		hdr[nh++] = (struct fuzz_hdr){ line, v };
	}
	hdr[nh] = (struct fuzz_hdr){ NULL, NULL };
	struct sim_param q[FUZZ_QUERY_MAX];
	size_t nq = 0;
	char *path = target ? target : "/";
	char *qs = strchr(path, '?');
	if (qs) {
		*qs++ = '\0';
		for (char *kv = strtok(qs, "&"); kv && nq < FUZZ_QUERY_MAX;
		     kv = strtok(NULL, "&")) {
			char *eq = strchr(kv, '=');
			if (eq)
				*eq = '\0';
			q[nq++] = (struct sim_param){ kv, eq ? eq + 1 : "" };
		}
	}
	struct sim_request req = { .method = method ? method : "GET",
				   .path = path,
				   .query = q,
				   .n_query = nq,
				   .body = body_copy,
				   .body_len = body_len,
				   .region = "us-east-1",
				   .header = fuzz_lookup,
				   .header_ctx = hdr };
	struct sim_response res;
	memset(&res, 0, sizeof res);
	fuzz_clock_ms += 1000;
	if (svc && strcmp(svc, "kinesis") == 0) {
		sim_kinesis_handle(k, &req, &res);
		fuzz_check_kinesis(&res);
	} else if (svc && strcmp(svc, "sts") == 0) {
		sim_sts_handle("AKIDEXAMPLE", &req, &res);
		fuzz_check_sts(&res);
	} else {
		sim_s3_handle(s3, &req, &res);
		fuzz_check_s3(&res, &req);
	}
	/* FUZZ_TRACE=1: each request's answer, to check that seeds get through */
	static int trace = -1;
	if (trace < 0)
		trace = getenv("FUZZ_TRACE") != NULL;
	if (trace)
		fprintf(stderr, "%s %s %s: %u %.*s\n", svc ? svc : "s3", req.method, path,
			res.status, (int)(res.body_len < 160 ? res.body_len : 160),
			res.body ? res.body : "");
	sim_response_clear(&res);
	free(body_copy);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct sim_s3 *s3 = sim_s3_new(NULL, err, sizeof err);
	fuzz_clock_ms = 1700000000000;
	struct sim_kinesis *k = sim_kinesis_new(7, fuzz_now, NULL);
	if (!s3 || !k)
		fuzz_fail("cannot make the services", err);
	sim_kinesis_set_delays(k, 0, 0);
	fuzz_iter[0] = fuzz_upload[0] = '\0';
	const char *p = (const char *)data, *end = p + size;
	for (int i = 0; i < FUZZ_REQUESTS_MAX && p < end; i++) {
		/* the next "\n%%\n" ends this request */
		const char *sep = NULL;
		for (const char *c = p; c + 4 <= end; c++)
			if (memcmp(c, "\n%%\n", 4) == 0) {
				sep = c;
				break;
			}
		size_t n = sep ? (size_t)(sep - p) : (size_t)(end - p);
		fuzz_one(s3, k, p, n);
		p = sep ? sep + 4 : end;
	}
	sim_kinesis_free(k);
	sim_s3_free(s3);
	return 0;
}
