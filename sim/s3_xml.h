/*
 * s3_xml.h - the little XML S3 speaks (rest-xml): writing elements with
 * their text escaped, S3's timestamp forms, and reading the few request
 * bodies S3 takes (DeleteObjects, CompleteMultipartUpload): find an
 * element's text, unescape it. Not a general XML parser: no attributes,
 * CDATA or comments are understood inside the elements read, which is all
 * the AWS CLI sends.
 *
 * Pure. Writers append to a caller's struct buf and return 0 or nonzero
 * (out of memory); readers borrow the document.
 */
#ifndef QLDBTOP_SIM_S3_XML_H
#define QLDBTOP_SIM_S3_XML_H

#include <stddef.h>
#include <stdint.h>

#include "verify/buf.h"

#define S3_XML_NS "http://s3.amazonaws.com/doc/2006-03-01/"
#define S3_XML_TIME_MAX 80 /* room for any int year gcc can imagine */
#define S3_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* Append s[0..n) escaped as element text: & < > " ' and control bytes as
 * character references (so a key cannot open an element); a byte that is
 * not part of valid UTF-8 as U+FFFD (so the document stays UTF-8). */
int s3_xml_escape(struct buf *b, const char *s, size_t n);
/* <name>escaped text</name> */
int s3_xml_elem(struct buf *b, const char *name, const char *text);
/* <name>%llu</name> */
int s3_xml_elem_u64(struct buf *b, const char *name, uint64_t v);

/* Epoch ms as 2006-02-03T16:45:09.000Z (XML bodies) into out. */
void s3_xml_time_iso(int64_t ms, char out[S3_XML_TIME_MAX]);
/* Epoch ms as Fri, 03 Feb 2006 16:45:09 GMT (Last-Modified) into out. */
void s3_xml_time_http(int64_t ms, char out[S3_XML_TIME_MAX]);

/* The text of the first <tag>...</tag> in doc[*at..n), still escaped:
 * returns its start and sets *len, and moves *at past the closing tag;
 * NULL when there is none. An element with attributes (<tag a="b">)
 * matches too. */
const char *s3_xml_next(const char *doc, size_t n, size_t *at, const char *tag, size_t *len);
/* Unescape s[0..n) (the five entities and &#N; / &#xN;) into a malloc'd
 * NUL-terminated string; NULL on a malformed reference, an encoded NUL or
 * out of memory. */
char *s3_xml_unescape(const char *s, size_t n);

#endif
