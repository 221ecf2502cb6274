/*
 * cred_http.c - what the fetching credential sources share (see
 * cred_source.h): one unsigned libcurl call with tight limits, the
 * credentials JSON, and RFC 3339 times. Answers here carry secrets, so no
 * body, header or value is ever copied into a message.
 */
#include "api/cred_source.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json_strict.h"

struct sink {
	char *buf;
	size_t len;
	bool over;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t add = size * n;
	if (s->len + add > CRED_BODY_MAX) {
		s->over = true;
		return 0; /* aborts the transfer */
	}
	memcpy(s->buf + s->len, p, add);
	s->len += add;
	return add;
}

void cred_http_shown(const char *url, char *out, size_t cap)
{
	const char *scheme_end = strstr(url, "://");
	const char *host = scheme_end ? scheme_end + 3 : url;
	const char *at = strchr(host, '@'), *slash = strchr(host, '/');
	if (at && (!slash || at < slash))
		host = at + 1;
	size_t cut = strcspn(host, "?#");
	snprintf(out, cap, "%.*s%.*s", scheme_end ? (int)(scheme_end + 3 - url) : 0, url, (int)cut,
		 host);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == 0x7f)
			*p = '?';
}

int cred_http_call(const char *what, const char *method, const char *url, const char *shown,
		   const char *const *headers, long timeout_ms, long *status, char *body,
		   size_t *len, struct api_error *err)
{
	*status = 0;
	*len = 0;
	body[0] = '\0';
	CURL *h = curl_easy_init();
	if (!h)
		return api_error_set(err, API_ERR_NOMEM, "%s: cannot start libcurl", what);
	struct curl_slist *list = NULL;
	for (size_t i = 0; headers && headers[i]; i++) {
		struct curl_slist *n = curl_slist_append(list, headers[i]);
		if (!n) {
			curl_slist_free_all(list);
			curl_easy_cleanup(h);
			return api_error_set(err, API_ERR_NOMEM, "%s: out of memory", what);
		}
		list = n;
	}
	struct sink s = { .buf = body };
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "PUT") == 0) {
		/* an empty PUT body, without libcurl reading stdin */
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	/* credential endpoints are local; a proxy would see the token */
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	CURLcode rc = curl_easy_perform(h);
	long os_errno = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
	curl_slist_free_all(list);
	curl_easy_cleanup(h);
	*len = s.len;
	body[s.len] = '\0';
	if (s.over)
		return api_error_set(err, API_ERR_LIMIT, "%s: %s: answer over %d bytes", what,
				     shown, CRED_BODY_MAX);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return api_error_set(err, API_ERR_TRANSPORT, "%s: %s: no answer within %ld ms",
				     what, shown, timeout_ms);
	if (rc != CURLE_OK) {
		/* the OS reason ("Connection refused") is the useful part */
		const char *reason = errbuf[0] ? errbuf : curl_easy_strerror(rc);
		if (rc == CURLE_COULDNT_CONNECT && os_errno)
			reason = strerror((int)os_errno);
		return api_error_set(err, API_ERR_TRANSPORT, "%s: %s: %.100s", what, shown, reason);
	}
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), no time zone. */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char **p, int n, long *out)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int cred_time_parse(const char *s, double *epoch)
{
	long y, mo, d, h, mi, sec, oh = 0, om = 0;
	const char *p = s;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
	    digits(&p, 2, &sec))
		return -1;
	double frac = 0, scale = 0.1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	int sign = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			return -1;
	} else {
		return -1; /* no zone: local time would be a guess */
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		return -1;
	double t = (double)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec + frac;
	*epoch = t - sign * (oh * 3600 + om * 60);
	return 0;
}

void cred_time_format(double epoch, char *out, size_t cap)
{
	time_t t = (time_t)epoch;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, cap, "?");
}

/* A string member or NULL; *bad when present but not a string (null is
 * absent when null_ok). */
static const char *member(const cJSON *o, const char *name, bool null_ok, bool *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v || (null_ok && cJSON_IsNull(v)))
		return NULL;
	if (!cJSON_IsString(v)) {
		*bad = true;
		return NULL;
	}
	return v->valuestring;
}

static bool clean(const char *s, bool colon_ok)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || (!colon_ok && *s == ':'))
			return false;
	return true;
}

static int put(char *dst, size_t cap, const char *v, const char *what, const char *name,
	       bool colon_ok, struct api_error *err)
{
	if (!*v)
		return api_error_set(err, API_ERR_PARSE, "%s: %s is empty", what, name);
	if (strlen(v) >= cap)
		return api_error_set(err, API_ERR_LIMIT, "%s: %s is over %zu bytes", what, name,
				     cap - 1);
	if (!clean(v, colon_ok))
		return api_error_set(err, API_ERR_PARSE, "%s: %s holds %s", what, name,
				     colon_ok ? "control characters" : "':' or control characters");
	strcpy(dst, v);
	return 0;
}

int cred_json_take(const char *body, size_t len, const char *what, const char *token_key,
		   bool strict_aws, struct api_creds *out, struct api_error *err)
{
	char why[API_ERROR_MSG_MAX];
	cJSON *root = json_strict_parse(body, len, what, why, sizeof why);
	if (!root)
		return api_error_set(err, API_ERR_PARSE, "%s (the answer is not shown)", why);
	int rc = 0;
	if (!cJSON_IsObject(root)) {
		rc = api_error_set(err, API_ERR_PARSE, "%s: expected a JSON object, got %s", what,
				   json_type_name(root));
		goto out;
	}
	bool bad = false;
	const char *akid = member(root, "AccessKeyId", false, &bad);
	const char *secret = member(root, "SecretAccessKey", false, &bad);
	const char *token = member(root, token_key, !strict_aws, &bad);
	const char *exp = member(root, "Expiration", !strict_aws, &bad);
	const char *missing = !akid		     ? "AccessKeyId"
			      : !secret		     ? "SecretAccessKey"
			      : strict_aws && !token ? token_key
			      : strict_aws && !exp   ? "Expiration"
						     : NULL;
	if (bad) {
		rc = api_error_set(err, API_ERR_PARSE, "%s: a credential member is not a string",
				   what);
		goto out;
	}
	if (missing) {
		rc = api_error_set(err, API_ERR_PARSE, "%s: the answer has no %s", what, missing);
		goto out;
	}
	memset(out, 0, sizeof *out);
	if ((rc = put(out->access_key_id, sizeof out->access_key_id, akid, what, "AccessKeyId",
		      false, err)) ||
	    (rc = put(out->secret_access_key, sizeof out->secret_access_key, secret, what,
		      "SecretAccessKey", true, err)) ||
	    (token && (rc = put(out->session_token, sizeof out->session_token, token, what,
				token_key, true, err))))
		goto out;
	if (exp && cred_time_parse(exp, &out->expires)) {
		rc = api_error_set(err, API_ERR_PARSE,
				   "%s: Expiration is not an RFC 3339 time with a zone", what);
		goto out;
	}
out:
	if (rc)
		api_creds_wipe(out);
	/* the tree holds the secret: zero its strings before freeing */
	for (cJSON *c = root ? root->child : NULL; c; c = c->next)
		if (cJSON_IsString(c) && c->valuestring)
			explicit_bzero(c->valuestring, strlen(c->valuestring));
	cJSON_Delete(root);
	return rc;
}
