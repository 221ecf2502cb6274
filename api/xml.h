/*
 * xml.h - a small, strict reader of the XML bodies S3 and CloudWatch's
 * query protocol answer with (rest-xml, docs/aws-api.md §4.1 and §6),
 * built on expat: the document becomes a read-only tree of elements with
 * their decoded text, which the service parsers walk by element name.
 *
 * Refused, each a one-line "<what>: line L column C: <reason>":
 *   - any DOCTYPE (so no entity declaration, no external entity and no
 *     entity expansion attack: "billion laughs" never starts);
 *   - malformed or truncated XML, an undefined entity, text outside the
 *     root element (expat's own errors); an element name without a local
 *     part after its prefix ("<a:/>");
 *   - nesting deeper than XML_MAX_DEPTH, more than XML_MAX_NODES elements,
 *     an element's text longer than XML_MAX_TEXT bytes, a NUL byte.
 * Predefined entities (&amp; &lt; ...) and character references are
 * decoded by expat; the input is read as UTF-8 whatever the declaration
 * says. Namespaces are ignored: a name is its local part after any prefix.
 * Attributes are not kept (the AWS answers carry nothing in them).
 *
 * Ownership: xml_parse copies nothing of buf after it returns; the tree is
 * the caller's, released with xml_free. Node pointers and texts borrow
 * from the tree until then. Pure: no I/O, no globals.
 */
#ifndef QLDBTOP_API_XML_H
#define QLDBTOP_API_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"

#define XML_MAX_DEPTH 32	  /* AWS answers nest 5 deep */
#define XML_MAX_NODES 200000u	  /* a ListObjectsV2 page of 1000 keys has ~7000 */
#define XML_MAX_TEXT (64u << 10)  /* one element's text; S3 keys are <= 1024 bytes */
#define XML_MAX_INPUT (32u << 20) /* the whole document */

struct xml_doc;
struct xml_node;

/* Parse buf[0..len) (what names it in messages: "ListObjectsV2").
 * Returns the tree, or NULL with err filled (API_ERR_PARSE, or
 * API_ERR_LIMIT for the limits above, API_ERR_NOMEM). */
struct xml_doc *xml_parse(const char *buf, size_t len, const char *what, struct api_error *err);
void xml_free(struct xml_doc *d);

/* The root element (never NULL for a parsed document). */
const struct xml_node *xml_root(const struct xml_doc *d);
/* The element's local name ("Key" for <s3:Key>). */
const char *xml_name(const struct xml_node *n);
/* The element's own character data, decoded and NUL-terminated ("" when
 * none); *len (may be NULL) gets its length, which can hide no NUL. */
const char *xml_text(const struct xml_node *n, size_t *len);
/* The first child named name (NULL: any name), or NULL. */
const struct xml_node *xml_child(const struct xml_node *n, const char *name);
/* The next sibling after n named name (NULL: any name), or NULL. */
const struct xml_node *xml_next(const struct xml_node *n, const char *name);
/* How many children named name (NULL: all). */
size_t xml_count(const struct xml_node *n, const char *name);
/* Has the element child elements? (Then its text is formatting only.) */
bool xml_has_children(const struct xml_node *n);

#endif
