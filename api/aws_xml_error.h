/*
 * aws_xml_error.h - the error bodies of AWS's XML protocols, read with a
 * real XML parser (expat): S3's <Error><Code/><Message/></Error> and the
 * query protocol's (CloudWatch, STS) <ErrorResponse><Error><Type/>
 * <Code/><Message/></Error><RequestId/></ErrorResponse>.
 *
 * Refused (the body then counts as "not an AWS error"): any DOCTYPE (so no
 * entity expansion), nesting deeper than AWS_XML_ERROR_DEPTH, malformed or
 * truncated XML, a body larger than AWS_XML_ERROR_MAX, any other root.
 * Namespace prefixes are ignored ("s3:Code" reads as "Code").
 *
 * Pure (no I/O, no globals). Ownership: writes into caller buffers only.
 */
#ifndef QLDBTOP_API_AWS_XML_ERROR_H
#define QLDBTOP_API_AWS_XML_ERROR_H

#include <stddef.h>

#define AWS_XML_ERROR_DEPTH 16	     /* the shapes nest 3 deep */
#define AWS_XML_ERROR_MAX (1u << 20) /* error bodies are a few hundred bytes */

/* Code and Message (each NUL-terminated, truncated to its cap, control
 * characters replaced with spaces) of an XML error body. Returns 0 when the
 * body is one of the two shapes with a non-empty Code, else -1 with code
 * and msg "". */
int aws_xml_error_parse(const char *body, size_t len, char *code, size_t code_cap, char *msg,
			size_t msg_cap);

#endif
