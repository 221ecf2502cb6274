/*
 * query_xml.c - the answers of AWS's query protocol (see query_xml.h).
 */
#include "sim/query_xml.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The five markup characters and their entities. */
static const char *const ENTITIES[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&apos;",
};

int query_xml_text(struct buf *b, const char *s)
{
	int rc = 0;
	for (; s && *s && !rc; s++) {
		unsigned char c = (unsigned char)*s;
		if (ENTITIES[c])
			rc = buf_append_str(b, ENTITIES[c]);
		else
			rc = buf_append_byte(b, c < 0x20 && c != '\t' && c != '\n' ? '?' : c);
	}
	return rc;
}

int query_xml_elem(struct buf *b, const char *tag, const char *text)
{
	if (!text)
		return 0;
	return buf_printf(b, "<%s>", tag) || query_xml_text(b, text) || buf_printf(b, "</%s>", tag);
}

void query_xml_request_id(const char *prefix, char out[QUERY_XML_ID_MAX])
{
	static atomic_ulong n;
	unsigned long k = atomic_fetch_add(&n, 1) + 1;
	snprintf(out, QUERY_XML_ID_MAX, "%.8s-%04lx-4000-8000-%012llx", prefix, k & 0xffff,
		 (unsigned long long)time(NULL));
}

void query_xml_respond(struct sim_response *res, unsigned status, struct buf *b)
{
	static const char OOM[] = "<ErrorResponse><Error><Type>Receiver</Type><Code>"
				  "InternalFailure</Code><Message>out of memory</Message>"
				  "</Error></ErrorResponse>";
	free(res->body); /* a body written before (an answer replaced by an error) */
	res->body = NULL;
	res->content_type = "text/xml";
	if (!b->data || buf_append_byte(b, 0) != 0) { /* NUL-terminated for the logs */
		buf_free(b);
		res->status = 500;
		res->error_code = "InternalFailure";
		res->body = strdup(OOM);
		res->body_len = res->body ? sizeof OOM - 1 : 0;
		return;
	}
	res->status = status;
	res->body = (char *)b->data;
	res->body_len = b->len - 1;
	memset(b, 0, sizeof *b);
}

void query_xml_error(struct sim_response *res, const struct query_xml_service *svc, unsigned status,
		     const char *code, const char *msg, const char *rid)
{
	const char *type = status >= 500 ? "Receiver" : "Sender";
	char id[QUERY_XML_ID_MAX], m[SIM_MESSAGE_MAX + 200];
	snprintf(m, sizeof m, "%s", msg);
	sim_message_clean(m);
	if (!rid) {
		query_xml_request_id(svc->id_prefix, id);
		rid = id;
	}
	struct buf b = { 0 };
	if (buf_printf(&b, "<ErrorResponse xmlns=\"%s\"><Error><Type>%s</Type>", svc->xmlns,
		       type) ||
	    query_xml_elem(&b, "Code", code) || query_xml_elem(&b, "Message", m) ||
	    buf_printf(&b, "</Error><RequestId>%s</RequestId></ErrorResponse>", rid))
		buf_free(&b);
	query_xml_respond(res, status, &b);
	if (res->status == status) {
		res->error_code = code;
		sim_response_header(res, "x-amzn-query-error", "%s;%s", code, type);
	}
}

/* The query-protocol code of each endpoint error met before dispatch;
 * a bad parameter's code is the service's own. */
static const struct {
	enum sim_error e;
	const char *code; /* NULL: the service's invalid_parameter */
	unsigned status;
} PRE_ERRORS[] = {
	{ SIM_ERR_INVALID_SIGNATURE, "SignatureDoesNotMatch", 403 },
	{ SIM_ERR_UNRECOGNIZED_CLIENT, "InvalidClientTokenId", 403 },
	{ SIM_ERR_INCOMPLETE_SIGNATURE, "IncompleteSignature", 403 },
	{ SIM_ERR_TOO_LARGE, "RequestEntityTooLarge", 413 },
	{ SIM_ERR_THROTTLING, "Throttling", 400 },
	{ SIM_ERR_SERVICE_UNAVAILABLE, "ServiceUnavailable", 503 },
	{ SIM_ERR_INVALID_PARAMETER, NULL, 400 },
};

void query_xml_pre_error(struct sim_response *res, const struct query_xml_service *svc,
			 enum sim_error e, const char *msg)
{
	for (size_t i = 0; i < sizeof PRE_ERRORS / sizeof PRE_ERRORS[0]; i++)
		if (PRE_ERRORS[i].e == e) {
			query_xml_error(res, svc, PRE_ERRORS[i].status,
					PRE_ERRORS[i].code ? PRE_ERRORS[i].code
							   : svc->invalid_parameter,
					msg, NULL);
			return;
		}
	query_xml_error(res, svc, 500, "InternalFailure", msg, NULL);
}
