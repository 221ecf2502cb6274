/*
 * sts.c - the endpoint's STS GetCallerIdentity (see sts.h): read Action
 * (and Version) from the form or the query string, answer in STS's XML.
 */
#include "sim/sts.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ledger.h"
#include "sim/query_xml.h"
#include "verify/buf.h"

#define STS_XMLNS "https://sts.amazonaws.com/doc/2011-06-15/"
#define STS_VERSION "2011-06-15"
#define STS_FIELD_MAX 128 /* Action and Version values read (longer: no action we know) */

static const struct query_xml_service STS = { STS_XMLNS, "5715a1a7", "InvalidParameterValue" };

static void error_xml(struct sim_response *res, unsigned status, const char *code, const char *msg)
{
	query_xml_error(res, &STS, status, code, msg, NULL);
}

void sim_sts_error(struct sim_response *res, enum sim_error e, const char *msg)
{
	query_xml_pre_error(res, &STS, e, msg);
}

/* The value of key in the form body text[0..n) (percent-decoded, '+' a
 * space) into out; false when absent, malformed or too long. */
static bool form_value(const char *text, size_t n, const char *key, char out[STS_FIELD_MAX + 1])
{
	size_t klen = strlen(key);
	for (const char *p = text, *end = text + n; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		if ((size_t)(e - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
			long len = sim_percent_decode(p + klen + 1, (size_t)(e - p) - klen - 1, out,
						      STS_FIELD_MAX + 1);
			if (len < 0) /* malformed or too long: present, and no action we know */
				return snprintf(out, STS_FIELD_MAX + 1, "(unreadable)"), true;
			for (long i = 0; i < len; i++)
				if (out[i] == '+')
					out[i] = ' ';
			return len > 0;
		}
		p = e + 1;
	}
	return false;
}

/* The value of key in the request: its query string, else its form. */
static bool param(const struct sim_request *req, const char *key, char out[STS_FIELD_MAX + 1])
{
	for (size_t i = 0; i < req->n_query; i++)
		if (strcmp(req->query[i].key, key) == 0) {
			snprintf(out, STS_FIELD_MAX + 1, "%s", req->query[i].value);
			return out[0] != '\0';
		}
	return req->body && form_value(req->body, req->body_len, key, out);
}

/* "AIDA" and 17 characters of [A-Z2-7] from SHA-256 of the access key id:
 * the shape of an IAM user's unique id, stable per key and not the key. */
static void user_id(const char *key_id, char out[22])
{
	static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_Digest(key_id ? key_id : "", key_id ? strlen(key_id) : 0, md, &len, EVP_sha256(), NULL);
	memcpy(out, "AIDA", 4);
	for (int i = 0; i < 17; i++)
		out[4 + i] = B32[md[i] & 31];
	out[21] = '\0';
}

static void get_caller_identity(const char *key_id, struct sim_response *res)
{
	char uid[22], id[QUERY_XML_ID_MAX];
	user_id(key_id, uid);
	query_xml_request_id(STS.id_prefix, id);
	struct buf b = { 0 };
	buf_append_str(&b, "<GetCallerIdentityResponse xmlns=\"" STS_XMLNS
			   "\"><GetCallerIdentityResult>"
			   "<Arn>arn:aws:iam::" SIM_DEMO_ACCOUNT ":user/" SIM_STS_USER "</Arn>");
	query_xml_elem(&b, "UserId", uid);
	buf_printf(&b,
		   "<Account>" SIM_DEMO_ACCOUNT "</Account></GetCallerIdentityResult>"
		   "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>"
		   "</GetCallerIdentityResponse>",
		   id);
	query_xml_respond(res, 200, &b);
}

void sim_sts_handle(const char *key_id, const struct sim_request *req, struct sim_response *res)
{
	char action[STS_FIELD_MAX + 1] = "", version[STS_FIELD_MAX + 1] = "";
	if (!param(req, "Action", action)) {
		error_xml(res, 400, "MissingAction", "Missing Action");
		return;
	}
	bool versioned = param(req, "Version", version);
	if (strcmp(action, "GetCallerIdentity") != 0 ||
	    (versioned && strcmp(version, STS_VERSION) != 0)) {
		char msg[2 * STS_FIELD_MAX + 64];
		snprintf(msg, sizeof msg, "Could not find operation %s for version %s", action,
			 versioned ? version : "NO_VERSION_SPECIFIED");
		error_xml(res, 400, "InvalidAction", msg);
		return;
	}
	get_caller_identity(key_id, res);
}
