/*
 * fuzz_sim_request.c - libFuzzer target for the endpoint's request
 * handling that sim/sigv4.c and sim/http.c expose: SigV4 verification,
 * route matching with per-segment decoding, and the AWS error shapes.
 *
 * Input format (lines; a missing line is empty, an empty header line means
 * the header is absent; everything after line 11 is the body, any bytes):
 *   1 method   2 raw path   3 raw query (split on & and = as MHD does)
 *   4 Authorization   5 X-Amz-Date   6 X-Amz-Content-Sha256
 *   7 X-Amz-Security-Token   8 Host   9 Content-Type
 *  10 one more header "name:value"   11 "region skew" for the signed copy
 *
 * For each input:
 *   1. the request as given is checked against the demo key pair: it must
 *      be refused (the fuzzer cannot forge an HMAC, and no seed carries a
 *      valid signature), with an AWS error code and a one-line message
 *      without the secret;
 *   2. the harness signs the same request itself (its own SigV4 with
 *      OpenSSL, following the AWS rules, not sim/sigv4.c): it must be
 *      accepted whenever it is inside the documented limits (no session
 *      token, skew <= 900 s, decodable query, ...), and refused when
 *      signed with another secret, with one signature digit changed or one
 *      body byte more;
 *   3. the route table (the QLDB patterns plus two-capture ones) matches
 *      the path; captures are whole decoded segments; every response body
 *      is JSON whose message is one line, and status and code agree;
 *   4. sim_percent_decode and sim_sigv4_uri_encode agree with the
 *      harness's own decoder (round trip, caps respected), and
 *      sim_json_timestamp prints the exact decimal of an arbitrary int64.
 * Any crash, leak, UBSan report, hang, or a broken invariant (abort) is a
 * finding. Run through `make fuzz` / `make fuzz-smoke` (tests/fuzz/run.sh).
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sim/http.h"
#include "sim/server.h"
#include "sim/sigv4.h"
#include "verify/buf.h"

#define FUZZ_NOW 1700000000 /* 2023-11-14T22:13:20Z: the server's clock */
#define FUZZ_LINES 11
#define FUZZ_QUERY_MAX (SIM_QUERY_MAX + 4) /* a few beyond the limit */
#define FUZZ_HEADERS 12			   /* 6 named + extra + the signed copy's 3 */
#define FUZZ_SERVICE "qldb"
#define FUZZ_KEY SIM_DEFAULT_ACCESS_KEY_ID
#define FUZZ_SECRET SIM_DEFAULT_SECRET_ACCESS_KEY

/* A broken invariant: say which, then abort so libFuzzer saves the input. */
static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_sim_request: %s: %.300s\n", what, detail ? detail : "");
	abort();
}

struct fuzz_hdr {
	const char *name, *value;
};

static const char *fuzz_lookup(void *ctx, const char *name)
{
	for (const struct fuzz_hdr *h = ctx; h->name; h++)
		if (h->value && strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

/* ---- the harness's own SigV4 (AWS rules, independent of sim/sigv4.c) ---- */

static int fuzz_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode into a malloc'd string; NULL when malformed or %00. */
static char *fuzz_decode(const char *s, size_t *out_len)
{
	size_t n = strlen(s), o = 0;
	char *d = malloc(n + 1);
	for (size_t i = 0; d && i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int h = i + 1 < n ? fuzz_hex(s[i + 1]) : -1;
			int l = i + 2 < n ? fuzz_hex(s[i + 2]) : -1;
			if (h < 0 || l < 0 || h * 16 + l == 0) {
				free(d);
				return NULL;
			}
			c = h * 16 + l;
			i += 2;
		}
		d[o++] = (char)c;
	}
	if (d)
		d[o] = '\0';
	if (out_len)
		*out_len = o;
	return d;
}

static bool fuzz_unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

static void fuzz_encode(struct buf *b, const char *s, bool keep_slash)
{
	for (; *s; s++) {
		int c = (unsigned char)*s;
		if (fuzz_unreserved(c) || (keep_slash && c == '/'))
			buf_append_byte(b, (uint8_t)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* RFC 3986 dot-segment removal with empty segments dropped, as the AWS
 * SDKs normalise a non-S3 path before signing. */
static void fuzz_normalize(struct buf *b, const char *path)
{
	size_t n = strlen(path);
	const char **keep = malloc((n + 1) * sizeof *keep);
	size_t *klen = malloc((n + 1) * sizeof *klen), nk = 0;
	for (const char *p = path; keep && klen && *p;) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (nk)
				nk--;
		} else if (len && !(len == 1 && p[0] == '.')) {
			keep[nk] = p;
			klen[nk++] = len;
		}
		p = e ? e + 1 : p + len;
	}
	size_t start = b->len;
	if (n && path[0] == '/')
		buf_append_byte(b, '/');
	for (size_t i = 0; i < nk; i++) {
		if (i)
			buf_append_byte(b, '/');
		buf_append(b, keep[i], klen[i]);
	}
	if (n && path[n - 1] == '/' && nk)
		buf_append_byte(b, '/');
	if (b->len == start)
		buf_append_byte(b, '/');
	free(keep);
	free(klen);
}

struct fuzz_pair {
	char *k, *v;
};

static int fuzz_pair_cmp(const void *a, const void *b)
{
	const struct fuzz_pair *x = a, *y = b;
	int c = strcmp(x->k, y->k);
	return c ? c : strcmp(x->v, y->v);
}

/* Canonical query; false when a parameter does not decode. */
static bool fuzz_canonical_query(struct buf *b, const struct sim_param *q, size_t n)
{
	struct fuzz_pair p[FUZZ_QUERY_MAX];
	bool ok = true;
	size_t i;
	for (i = 0; i < n; i++) {
		char *k = fuzz_decode(q[i].key, NULL), *v = fuzz_decode(q[i].value, NULL);
		struct buf kb = { 0 }, vb = { 0 };
		if (!k || !v)
			ok = false;
		else {
			fuzz_encode(&kb, k, false);
			fuzz_encode(&vb, v, false);
		}
		buf_append_byte(&kb, 0);
		buf_append_byte(&vb, 0);
		free(k);
		free(v);
		p[i].k = (char *)kb.data;
		p[i].v = (char *)vb.data;
	}
	if (ok) {
		qsort(p, n, sizeof p[0], fuzz_pair_cmp);
		for (i = 0; i < n; i++)
			buf_printf(b, "%s%s=%s", i ? "&" : "", p[i].k, p[i].v);
	}
	for (i = 0; i < n; i++) {
		free(p[i].k);
		free(p[i].v);
	}
	return ok;
}

static void fuzz_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char d[32];
	unsigned int dl = 0;
	EVP_Digest(p, n, d, &dl, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void fuzz_hmac(const void *key, size_t kl, const char *msg, unsigned char out[32])
{
	unsigned int ol = 0;
	HMAC(EVP_sha256(), key, (int)kl, (const unsigned char *)msg, strlen(msg), out, &ol);
}

static int fuzz_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is every byte a header-value byte (VCHAR, obs-text, SP, HTAB)? */
static bool fuzz_field_ok(const char *v)
{
	for (; *v; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			return false;
	return true;
}

/* Is name an HTTP token of at most SIM_SIGV4_MAX_HEADER_NAME bytes? */
static bool fuzz_token_ok(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > SIM_SIGV4_MAX_HEADER_NAME)
		return false;
	for (; *name; name++)
		if (!fuzz_unreserved((unsigned char)*name) && !strchr("!#$%&'*+^`|", *name))
			return false;
	return true;
}

struct fuzz_req {
	const char *method, *path;
	struct sim_param query[FUZZ_QUERY_MAX];
	size_t n_query;
	bool query_over; /* more parameters than FUZZ_QUERY_MAX were sent */
	struct fuzz_hdr hdr[FUZZ_HEADERS];
	const uint8_t *body;
	size_t body_len;
};

/* Sign r (every present header but Authorization) into auth; date is the
 * X-Amz-Date. Returns false when the request is outside what a signer can
 * express (a query that does not decode). */
static bool fuzz_sign(const struct fuzz_req *r, const char *secret, const char *date,
		      const char *region, struct buf *auth)
{
	struct buf creq = { 0 }, names = { 0 }, sts = { 0 };
	const char *sorted[FUZZ_HEADERS];
	size_t ns = 0;
	char *lower[FUZZ_HEADERS] = { 0 };
	bool ok;
	buf_printf(&creq, "%s\n", r->method);
	struct buf norm = { 0 };
	fuzz_normalize(&norm, r->path);
	buf_append_byte(&norm, 0);
	fuzz_encode(&creq, (const char *)norm.data, true);
	buf_free(&norm);
	buf_append_byte(&creq, '\n');
	ok = fuzz_canonical_query(&creq, r->query, r->n_query);
	buf_append_byte(&creq, '\n');
	for (const struct fuzz_hdr *h = r->hdr; h->name; h++) {
		if (!h->value || strcasecmp(h->name, "authorization") == 0)
			continue;
		lower[ns] = strdup(h->name);
		for (char *c = lower[ns]; c && *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		sorted[ns] = lower[ns];
		ns++;
	}
	qsort(sorted, ns, sizeof sorted[0], fuzz_name_cmp);
	for (size_t i = 0; i < ns; i++) {
		const char *v = fuzz_lookup((void *)r->hdr, sorted[i]);
		/* trimmed, runs of blanks collapsed to one space */
		while (*v == ' ' || *v == '\t')
			v++;
		buf_printf(&creq, "%s:", sorted[i]);
		bool blank = false;
		for (; *v; v++) {
			if (*v == ' ' || *v == '\t') {
				blank = true;
				continue;
			}
			if (blank)
				buf_append_byte(&creq, ' ');
			blank = false;
			buf_append_byte(&creq, (uint8_t)*v);
		}
		buf_append_byte(&creq, '\n');
		buf_printf(&names, "%s%s", i ? ";" : "", sorted[i]);
	}
	buf_append_byte(&names, 0);
	char hex[65];
	fuzz_sha256_hex(r->body_len ? (const void *)r->body : "", r->body_len, hex);
	buf_printf(&creq, "\n%s\n%s", (const char *)names.data, hex);
	fuzz_sha256_hex(creq.data, creq.len, hex);
	buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%.8s/%s/%s/aws4_request\n%s", date, date, region,
		   FUZZ_SERVICE, hex);
	buf_append_byte(&sts, 0);
	unsigned char k[32], k2[32];
	char day[9];
	struct buf ks = { 0 };
	buf_printf(&ks, "AWS4%s", secret);
	snprintf(day, sizeof day, "%.8s", date);
	fuzz_hmac(ks.data, ks.len, day, k);
	fuzz_hmac(k, 32, region, k2);
	fuzz_hmac(k2, 32, FUZZ_SERVICE, k);
	fuzz_hmac(k, 32, "aws4_request", k2);
	fuzz_hmac(k2, 32, (const char *)sts.data, k);
	buf_printf(auth, "AWS4-HMAC-SHA256 Credential=%s/%.8s/%s/%s/aws4_request, ", FUZZ_KEY, date,
		   region, FUZZ_SERVICE);
	buf_printf(auth, "SignedHeaders=%s, Signature=", (const char *)names.data);
	for (int i = 0; i < 32; i++)
		buf_printf(auth, "%02x", k[i]);
	buf_append_byte(auth, 0);
	for (size_t i = 0; i < ns; i++)
		free(lower[i]);
	buf_free(&ks);
	buf_free(&creq);
	buf_free(&names);
	buf_free(&sts);
	return ok;
}

/* ---- invariants on what the endpoint says ---- */

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static bool fuzz_utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t more = c < 0x80		       ? 0
			      : c >= 0xc2 && c <= 0xdf ? 1
			      : c >= 0xe0 && c <= 0xef ? 2
			      : c >= 0xf0 && c <= 0xf4 ? 3
						       : 9;
		if (more == 9 || i + more >= n)
			return false;
		unsigned lo = 0x80, hi = 0xbf;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		for (size_t j = 1; j <= more; j++) {
			unsigned d = s[i + j];
			if (d < (j == 1 ? lo : 0x80) || d > (j == 1 ? hi : 0xbf))
				return false;
		}
		i += more + 1;
	}
	return true;
}

/* A message: one line, printable (no control bytes), valid UTF-8, no
 * secret (unless the input itself carried it). */
static void fuzz_check_message(const char *msg, size_t cap, bool input_has_secret,
			       const char *where)
{
	size_t n = strnlen(msg, cap);
	if (n == cap)
		fuzz_fail("message not NUL-terminated within its buffer", where);
	if (n == 0)
		fuzz_fail("empty error message", where);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			fuzz_fail("message has a control byte (not one printable line)", msg);
	if (!fuzz_utf8_ok((const unsigned char *)msg, n))
		fuzz_fail("message is not valid UTF-8", msg);
	if (!input_has_secret && strstr(msg, FUZZ_SECRET))
		fuzz_fail("message contains the secret", where);
}

static void fuzz_check_response(const struct sim_response *res, bool input_has_secret,
				const char *where)
{
	if (!res->body || res->body_len != strlen(res->body))
		fuzz_fail("response body missing or of the wrong length", where);
	cJSON *o = cJSON_Parse(res->body);
	if (!o)
		fuzz_fail("response body is not JSON", res->body);
	if (res->error_code) {
		bool known = false;
		for (int e = 0; e < SIM_ERR_COUNT; e++)
			if (strcmp(sim_error_code((enum sim_error)e), res->error_code) == 0) {
				known = true;
				if (sim_error_status((enum sim_error)e) != res->status)
					fuzz_fail("status does not match the error code", where);
			}
		if (!known)
			fuzz_fail("unknown error code", res->error_code);
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "message");
		const cJSON *m2 = cJSON_GetObjectItemCaseSensitive(o, "Message");
		if (!cJSON_IsString(m) || !cJSON_IsString(m2) ||
		    strcmp(m->valuestring, m2->valuestring) != 0)
			fuzz_fail("error body lacks message/Message", res->body);
		fuzz_check_message(m->valuestring, SIM_MESSAGE_MAX, input_has_secret, where);
	} else if (res->status != 200) {
		fuzz_fail("non-200 response without an error code", where);
	}
	cJSON_Delete(o);
}

/* ---- routes: the QLDB patterns plus multi-capture ones ---- */

static void fuzz_handler(void *svc, const struct sim_call *call, struct sim_response *res)
{
	(void)svc;
	size_t want = 0;
	for (const char *p = call->operation; *p; p++)
		want += *p == '#';
	if (call->n_params != want || call->n_params > SIM_ROUTE_MAX_PARAMS)
		fuzz_fail("route captured the wrong number of parameters", call->operation);
	for (size_t i = 0; i < call->n_params; i++)
		if (!call->params[i][0] || strlen(call->params[i]) >= SIM_PATH_MAX)
			fuzz_fail("route capture empty or too long", call->operation);
	if (call->n_params) {
		sim_response_error(res, SIM_ERR_RESOURCE_NOT_FOUND, "LEDGER", call->params[0], NULL,
				   "Ledger %s does not exist", call->params[0]);
		return;
	}
	const char *mr = sim_request_query(call->req, "max_results");
	if (mr) {
		sim_response_error(res, SIM_ERR_INVALID_PARAMETER, NULL, NULL, "MaxResults",
				   "max_results %.40s is not 1..100", mr);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "Ledgers", cJSON_CreateArray());
	sim_response_json(res, o);
}

/* The operation name carries one '#' per capture, for the handler's check. */
static const struct sim_route FUZZ_ROUTES[] = {
	{ "GET", "/ledgers", "ListLedgers", fuzz_handler },
	{ "GET", "/ledgers/{name}", "DescribeLedger#", fuzz_handler },
	{ "POST", "/ledgers/{name}/digest", "GetDigest#", fuzz_handler },
	{ "GET", "/tags/{resourceArn}", "ListTagsForResource#", fuzz_handler },
	{ "GET", "/ledgers/{name}/journal-kinesis-streams/{streamId}", "DescribeStream##",
	  fuzz_handler },
	{ "PUT", "/{a}/{b}/{c}/{d}", "Four####", fuzz_handler },
};

static void fuzz_routes(const struct fuzz_req *fr, const struct sim_param *dec, size_t ndec,
			bool has_secret)
{
	struct sim_request req = { .method = fr->method,
				   .path = fr->path,
				   .query = dec,
				   .n_query = ndec,
				   .body = (const char *)fr->body,
				   .body_len = fr->body_len };
	char *scratch = malloc(SIM_PATH_MAX);
	const struct sim_route *rt = NULL;
	struct sim_call call;
	if (!scratch)
		return;
	enum sim_route_status st = sim_route_match(
		FUZZ_ROUTES, sizeof FUZZ_ROUTES / sizeof FUZZ_ROUTES[0], &req, &rt, &call, scratch);
	if (st == SIM_ROUTE_FOUND) {
		if (!rt || strcmp(rt->method, fr->method) != 0)
			fuzz_fail("route found for another method", fr->method);
		/* every capture is a whole segment: re-count the path's segments */
		size_t segs = 1;
		for (const char *p = fr->path + 1; *p; p++)
			segs += *p == '/';
		size_t pat = 0;
		for (const char *p = rt->pattern; *p; p++)
			pat += *p == '/';
		if (segs != pat)
			fuzz_fail("route matched a path with another number of segments", fr->path);
		/* each capture is its segment decoded, each literal its segment */
		const char *seg = fr->path + 1, *lit = rt->pattern + 1;
		size_t np = 0;
		for (size_t i = 0; i < segs; i++) {
			const char *se = strchr(seg, '/'), *le = strchr(lit, '/');
			size_t sl = se ? (size_t)(se - seg) : strlen(seg);
			size_t ll = le ? (size_t)(le - lit) : strlen(lit);
			char *raw = strndup(seg, sl), *d = raw ? fuzz_decode(raw, NULL) : NULL;
			if (!d)
				fuzz_fail("route matched a segment that does not decode", fr->path);
			if (lit[0] == '{' ? strcmp(call.params[np++], d) != 0
					  : strlen(d) != ll || memcmp(d, lit, ll) != 0)
				fuzz_fail("route capture or literal differs from the segment",
					  fr->path);
			free(raw);
			free(d);
			seg = se ? se + 1 : seg + sl;
			lit = le ? le + 1 : lit + ll;
		}
		if (np != call.n_params)
			fuzz_fail("route captured another number of parameters", fr->path);
	} else if (st != SIM_ROUTE_NONE && st != SIM_ROUTE_BAD_PATH) {
		fuzz_fail("unknown route status", fr->path);
	}
	free(scratch);
	struct sim_response res = { 0 };
	sim_route_dispatch(FUZZ_ROUTES, sizeof FUZZ_ROUTES / sizeof FUZZ_ROUTES[0], NULL, &req,
			   &res);
	fuzz_check_response(&res, has_secret, "route dispatch");
	sim_response_clear(&res);
}

/* ---- helpers of step 4 ---- */

static void fuzz_codecs(const char *s, const uint8_t *body, size_t body_len)
{
	size_t n = strlen(s), want_len = 0;
	char *want = fuzz_decode(s, &want_len);
	/* every cap from 0 to n + 1: -1 exactly when malformed or too small */
	size_t caps[3] = { 0, want_len + 1, want_len };
	for (int i = 0; i < 3; i++) {
		char *dst = malloc(caps[i] ? caps[i] : 1);
		long got = sim_percent_decode(s, n, dst, caps[i]);
		bool fits = want && want_len + 1 <= caps[i];
		if (fits != (got >= 0))
			fuzz_fail("sim_percent_decode disagrees on success", s);
		if (fits && ((size_t)got != want_len || memcmp(dst, want, want_len + 1) != 0))
			fuzz_fail("sim_percent_decode decodes differently", s);
		free(dst);
	}
	for (int slash = 0; slash < 2; slash++) {
		struct buf b = { 0 };
		if (sim_sigv4_uri_encode(&b, s, n, slash) != 0 || buf_append_byte(&b, 0) != 0) {
			buf_free(&b);
			continue;
		}
		for (const char *p = (const char *)b.data; *p; p++)
			if (!fuzz_unreserved((unsigned char)*p) && *p != '%' &&
			    !(slash && *p == '/'))
				fuzz_fail("uri_encode left a reserved byte", s);
		size_t rl = 0;
		char *back = fuzz_decode((const char *)b.data, &rl);
		/* %00 cannot appear: s is a C string */
		if (!back || rl != n || memcmp(back, s, n) != 0)
			fuzz_fail("uri_encode does not round-trip", s);
		free(back);
		buf_free(&b);
	}
	free(want);
	if (body_len >= 8) {
		uint64_t u = 0;
		memcpy(&u, body, 8);
		int64_t ms = (int64_t)u;
		uint64_t mag = ms < 0 ? 0 - u : u;
		char exp[40];
		snprintf(exp, sizeof exp, "%s%" PRIu64 ".%03" PRIu64, ms < 0 ? "-" : "", mag / 1000,
			 mag % 1000);
		cJSON *t = sim_json_timestamp(ms);
		if (t && (!cJSON_IsRaw(t) || strcmp(t->valuestring, exp) != 0))
			fuzz_fail("sim_json_timestamp is not the exact decimal", exp);
		cJSON_Delete(t);
	}
}

/* ---- one input ---- */

/* Split MHD-style: '&' separates, the first '=' splits key and value. */
static void fuzz_split_query(struct fuzz_req *r, char *q)
{
	for (char *p = q; *p;) {
		char *amp = strchr(p, '&');
		if (amp)
			*amp = '\0';
		if (*p) {
			if (r->n_query == FUZZ_QUERY_MAX) {
				r->query_over = true;
				return;
			}
			char *eq = strchr(p, '=');
			if (eq)
				*eq = '\0';
			r->query[r->n_query++] = (struct sim_param){ p, eq ? eq + 1 : "" };
		}
		if (!amp)
			break;
		p = amp + 1;
	}
}

static void fuzz_check(const struct fuzz_req *r, const char *key, const char *secret,
		       bool input_has_secret, enum sim_error *e, int *rc, const char *where)
{
	struct sim_sigv4_request sr = { .method = r->method,
					.raw_path = r->path,
					.raw_query = r->query,
					.n_query = r->n_query,
					.header = fuzz_lookup,
					.header_ctx = (void *)r->hdr,
					.body = r->body,
					.body_len = r->body_len,
					.now = FUZZ_NOW };
	char *msg = malloc(SIM_MESSAGE_MAX);
	if (!msg)
		abort();
	memset(msg, 'x', SIM_MESSAGE_MAX);
	*e = SIM_ERR_COUNT;
	*rc = sim_sigv4_check(&sr, key, secret, FUZZ_SERVICE, e, msg, SIM_MESSAGE_MAX);
	if (*rc != 0) {
		if (*rc != -1 || (unsigned)*e >= SIM_ERR_COUNT)
			fuzz_fail("refusal without an error code", where);
		if (*e == SIM_ERR_INTERNAL)
			fuzz_fail("InternalFailure on a request (not out of memory)", msg);
		fuzz_check_message(msg, SIM_MESSAGE_MAX, input_has_secret, where);
	}
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the lines, each a malloc'd C string of exactly its length (a NUL
	 * inside a line ends the string there, as it would in C) */
	char *line[FUZZ_LINES] = { 0 };
	size_t pos = 0;
	for (int i = 0; i < FUZZ_LINES; i++) {
		const uint8_t *nl = pos < size ? memchr(data + pos, '\n', size - pos) : NULL;
		size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
		line[i] = malloc(len + 1);
		if (!line[i])
			goto out;
		memcpy(line[i], data + pos, len);
		line[i][len] = '\0';
		pos += len + (nl ? 1 : 0);
	}
	size_t body_len = size - pos;
	uint8_t *body = malloc(body_len ? body_len : 1);
	if (!body)
		goto out;
	memcpy(body, data + pos, body_len);
	bool has_secret = false;
	for (size_t i = 0; i + strlen(FUZZ_SECRET) <= size && !has_secret; i++)
		has_secret = memcmp(data + i, FUZZ_SECRET, strlen(FUZZ_SECRET)) == 0;

	struct fuzz_req r = {
		.method = line[0], .path = line[1], .body = body, .body_len = body_len
	};
	char *qcopy = strdup(line[2]);
	if (qcopy)
		fuzz_split_query(&r, qcopy);
	static const char *const names[] = {
		"Authorization",	"X-Amz-Date", "X-Amz-Content-Sha256",
		"X-Amz-Security-Token", "Host",	      "Content-Type"
	};
	size_t nh = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (line[3 + i][0])
			r.hdr[nh++] = (struct fuzz_hdr){ names[i], line[3 + i] };
	char *extra = line[9], *colon = strchr(extra, ':');
	if (colon) {
		*colon = '\0';
		r.hdr[nh++] = (struct fuzz_hdr){ extra, colon + 1 };
	}

	/* 1. as given: never accepted */
	enum sim_error e;
	int rc;
	fuzz_check(&r, FUZZ_KEY, FUZZ_SECRET, has_secret, &e, &rc, "request as given");
	if (rc == 0)
		fuzz_fail("accepted a request the harness did not sign", line[3]);
	if (!fuzz_lookup(r.hdr, "authorization") && e != SIM_ERR_UNRECOGNIZED_CLIENT)
		fuzz_fail("no Authorization header but not UnrecognizedClient", NULL);

	/* 2. signed by the harness */
	char *region = line[10], *sp = strchr(region, ' ');
	long skew = 0;
	if (sp) {
		*sp = '\0';
		skew = strtol(sp + 1, NULL, 10) % 100000;
	}
	if (!region[0])
		region = SIM_DEFAULT_REGION;
	char date[32];
	time_t t = FUZZ_NOW + skew;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
	/* the signed copy: X-Amz-Date replaced, Host present, Authorization last */
	struct fuzz_req s = r;
	size_t sn = 0;
	for (size_t i = 0; i < nh; i++)
		if (strcasecmp(r.hdr[i].name, "authorization") != 0 &&
		    strcasecmp(r.hdr[i].name, "x-amz-date") != 0)
			s.hdr[sn++] = r.hdr[i];
	s.hdr[sn++] = (struct fuzz_hdr){ "X-Amz-Date", date };
	if (!fuzz_lookup(s.hdr, "host"))
		s.hdr[sn++] = (struct fuzz_hdr){ "Host", "127.0.0.1:9" };
	s.hdr[sn] = (struct fuzz_hdr){ NULL, NULL };
	struct buf auth = { 0 };
	bool signable = fuzz_sign(&s, FUZZ_SECRET, date, region, &auth);
	s.hdr[sn] = (struct fuzz_hdr){ "Authorization", (const char *)auth.data };
	s.hdr[sn + 1] = (struct fuzz_hdr){ NULL, NULL };

	/* inside the limits a correctly signed request must pass */
	/* Credential=KEY/DATE/REGION/qldb/aws4_request within the documented cap */
	size_t cred_len =
		strlen(FUZZ_KEY "/20231114//" FUZZ_SERVICE "/aws4_request") + strlen(region);
	/* a region the endpoint can name in an ARN: 1..32 of [a-z0-9-] */
	size_t rl = strlen(region);
	bool region_ok = rl >= 1 && rl <= SIM_SIGV4_REGION_MAX &&
			 strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") == rl;
	bool regular =
		cred_len <= SIM_SIGV4_MAX_CREDENTIAL && !strpbrk(region, "/, =;\t") && region_ok;
	bool names_ok = true;
	for (size_t i = 0; i < sn; i++) {
		const struct fuzz_hdr *h = &s.hdr[i];
		names_ok = names_ok && fuzz_token_ok(h->name) && fuzz_field_ok(h->value) &&
			   fuzz_lookup(s.hdr, h->name) == h->value; /* no duplicates */
	}
	bool expect_ok = signable && regular && names_ok && !r.query_over &&
			 r.n_query <= SIM_QUERY_MAX && skew >= -SIM_SIGV4_MAX_SKEW &&
			 skew <= SIM_SIGV4_MAX_SKEW &&
			 !fuzz_lookup(s.hdr, "x-amz-security-token") && fuzz_field_ok(region);
	fuzz_check(&s, FUZZ_KEY, FUZZ_SECRET, has_secret, &e, &rc, "signed request");
	if (expect_ok && rc != 0) {
		fprintf(stderr, "fuzz_sim_request: error %s\n", sim_error_code(e));
		fuzz_fail("a correctly signed request was refused", (const char *)auth.data);
	}
	if (rc == 0 && !region_ok)
		fuzz_fail("accepted a scope region that ARNs cannot name", (const char *)auth.data);
	if (rc == 0 && fuzz_lookup(s.hdr, "x-amz-security-token"))
		fuzz_fail("accepted a session token (the endpoint issues none)", NULL);
	if (rc == 0 && (skew < -SIM_SIGV4_MAX_SKEW || skew > SIM_SIGV4_MAX_SKEW))
		fuzz_fail("accepted an X-Amz-Date more than 15 minutes off", date);
	if (rc == 0) {
		/* the same request under another secret / one digit changed /
		 * one more body byte: all refused */
		struct buf other = { 0 };
		fuzz_sign(&s, "not-the-secret", date, region, &other);
		s.hdr[sn].value = (const char *)other.data;
		fuzz_check(&s, FUZZ_KEY, FUZZ_SECRET, has_secret, &e, &rc, "wrong secret");
		if (rc == 0)
			fuzz_fail("accepted a request signed with another secret", NULL);
		char *flip = (char *)auth.data + auth.len - 2;
		*flip = *flip == '0' ? '1' : '0';
		s.hdr[sn].value = (const char *)auth.data;
		fuzz_check(&s, FUZZ_KEY, FUZZ_SECRET, has_secret, &e, &rc, "flipped digit");
		if (rc == 0)
			fuzz_fail("accepted a signature with one digit changed", NULL);
		*flip = *flip == '0' ? '1' : '0';
		uint8_t *longer = malloc(body_len + 1);
		if (longer) {
			memcpy(longer, body, body_len);
			longer[body_len] = 'x';
			s.body = longer;
			s.body_len = body_len + 1;
			fuzz_check(&s, FUZZ_KEY, FUZZ_SECRET, has_secret, &e, &rc, "longer body");
			if (rc == 0)
				fuzz_fail("accepted a body the signature does not cover", NULL);
			free(longer);
		}
		buf_free(&other);
	}
	buf_free(&auth);

	/* 3. routes on the decoded query */
	struct sim_param dec[FUZZ_QUERY_MAX];
	char *store[FUZZ_QUERY_MAX][2] = { { 0 } };
	size_t nd = 0;
	for (size_t i = 0; i < r.n_query && i < SIM_QUERY_MAX; i++) {
		store[i][0] = fuzz_decode(r.query[i].key, NULL);
		store[i][1] = fuzz_decode(r.query[i].value, NULL);
		if (!store[i][0] || !store[i][1]) {
			free(store[i][0]);
			free(store[i][1]);
			break;
		}
		dec[nd++] = (struct sim_param){ store[i][0], store[i][1] };
	}
	fuzz_routes(&r, dec, nd, has_secret);
	for (size_t i = 0; i < nd; i++) {
		free(store[i][0]);
		free(store[i][1]);
	}

	/* 4. codecs and error shapes on raw fields */
	fuzz_codecs(line[1], body, body_len);
	fuzz_codecs(line[2], body, 0);
	struct sim_response res = { 0 };
	sim_response_error(&res, (enum sim_error)(body_len % (SIM_ERR_COUNT + 2)), line[0], line[1],
			   line[2], "bad input: %s", line[9]);
	fuzz_check_response(&res, has_secret, "sim_response_error");
	sim_response_clear(&res);

	free(qcopy);
	free(body);
out:
	for (int i = 0; i < FUZZ_LINES; i++)
		free(line[i]);
	return 0;
}
