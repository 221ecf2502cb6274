/*
 * query_xml.h - the answers of AWS's query protocol (a form in, XML out)
 * as STS, CloudFormation and CloudWatch's query side give them: element
 * text escaped, an XML body handed to the response, the ErrorResponse
 * document with its x-amzn-query-error header, the codes of the endpoint's
 * own errors met before dispatch, and request ids shaped as AWS's.
 *
 * Ownership: writers append to the caller's struct buf and return 0 or
 * nonzero (out of memory); query_xml_respond takes the buffer's memory
 * into the response (the buffer is left empty).
 */
#ifndef QLDBTOP_SIM_QUERY_XML_H
#define QLDBTOP_SIM_QUERY_XML_H

#include "sim/http.h"
#include "verify/buf.h"

#define QUERY_XML_ID_MAX 40 /* a request id with its NUL */

/* One query-protocol service: what differs between them. */
struct query_xml_service {
	const char *xmlns;	       /* the documents' namespace */
	const char *id_prefix;	       /* the request ids' first group (8 hex digits) */
	const char *invalid_parameter; /* the code of a bad parameter ("ValidationError") */
};

/* Append s as element text: & < > " ' escaped, control bytes other than
 * tab and newline (which XML 1.0 cannot carry) as '?'. */
int query_xml_text(struct buf *b, const char *s);
/* <tag>text</tag>; nothing when text is NULL (an absent member). */
int query_xml_elem(struct buf *b, const char *tag, const char *text);
/* A request id unique within the process: prefix-NNNN-4000-8000-<time>. */
void query_xml_request_id(const char *prefix, char out[QUERY_XML_ID_MAX]);
/* Hand b to res as a text/xml body with status, in place of any body res
 * had (an empty b: out of memory, answered as a 500 InternalFailure). */
void query_xml_respond(struct sim_response *res, unsigned status, struct buf *b);
/* The ErrorResponse of code with msg (made one printable line), its type
 * Sender below 500 and Receiver from 500, request id rid (NULL: a new one
 * with svc's prefix), and the x-amzn-query-error header. */
void query_xml_error(struct sim_response *res, const struct query_xml_service *svc, unsigned status,
		     const char *code, const char *msg, const char *rid);
/* The endpoint's error e, met before dispatch (signature, size, a
 * scenario's throttle or 503), in svc's codes; any other e is a 500
 * InternalFailure. */
void query_xml_pre_error(struct sim_response *res, const struct query_xml_service *svc,
			 enum sim_error e, const char *msg);

#endif
