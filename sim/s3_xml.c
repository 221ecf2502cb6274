/*
 * s3_xml.c - S3's XML writing and the small reader (see s3_xml.h).
 */
#include "sim/s3_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verify/ion_text_lex.h"

int s3_xml_escape(struct buf *b, const char *s, size_t n)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&':
			rc = buf_append_str(b, "&amp;");
			break;
		case '<':
			rc = buf_append_str(b, "&lt;");
			break;
		case '>':
			rc = buf_append_str(b, "&gt;");
			break;
		case '"':
			rc = buf_append_str(b, "&quot;");
			break;
		case '\'':
			rc = buf_append_str(b, "&apos;");
			break;
		default:
			if (c >= 0x80) {
				/* a valid UTF-8 sequence as is; any other byte (a
				 * bucket name or key echoed from a request) as
				 * U+FFFD, so the document stays well-formed */
				int len = ion_text_utf8_len((const uint8_t *)s + i,
							    (const uint8_t *)s + n);
				if (len > 0) {
					rc = buf_append(b, s + i, (size_t)len);
					i += (size_t)len - 1;
				} else {
					rc = buf_append_str(b, "\xEF\xBF\xBD");
				}
				break;
			}
			/* control bytes as references (S3 does the same), so a
			 * CR or tab in a key survives the parser's normalising */
			rc = c < 0x20 || c == 0x7f ? buf_printf(b, "&#x%X;", c)
						   : buf_append_byte(b, c);
		}
	}
	return rc;
}

int s3_xml_elem(struct buf *b, const char *name, const char *text)
{
	int rc = buf_printf(b, "<%s>", name);
	rc = rc ? rc : s3_xml_escape(b, text, strlen(text));
	return rc ? rc : buf_printf(b, "</%s>", name);
}

int s3_xml_elem_u64(struct buf *b, const char *name, uint64_t v)
{
	return buf_printf(b, "<%s>%llu</%s>", name, (unsigned long long)v, name);
}

void s3_xml_time_iso(int64_t ms, char out[S3_XML_TIME_MAX])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, S3_XML_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

void s3_xml_time_http(int64_t ms, char out[S3_XML_TIME_MAX])
{
	static const char DAYS[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char MONTHS[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, S3_XML_TIME_MAX, "%s, %02d %s %04d %02d:%02d:%02d GMT", DAYS[tm.tm_wday],
		 tm.tm_mday, MONTHS[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

const char *s3_xml_next(const char *doc, size_t n, size_t *at, const char *tag, size_t *len)
{
	size_t tl = strlen(tag);
	for (size_t i = *at; i + tl + 2 <= n; i++) {
		if (doc[i] != '<' || memcmp(doc + i + 1, tag, tl) != 0 ||
		    (doc[i + 1 + tl] != '>' && doc[i + 1 + tl] != ' '))
			continue;
		const char *open_end = memchr(doc + i, '>', n - i);
		if (!open_end)
			return NULL;
		size_t start = (size_t)(open_end - doc) + 1;
		if (open_end[-1] == '/') { /* <tag/>: empty */
			*len = 0;
			*at = start;
			return doc + start;
		}
		for (size_t j = start; j + tl + 3 <= n; j++)
			if (doc[j] == '<' && doc[j + 1] == '/' &&
			    memcmp(doc + j + 2, tag, tl) == 0 && doc[j + 2 + tl] == '>') {
				*len = j - start;
				*at = j + tl + 3;
				return doc + start;
			}
		return NULL;
	}
	return NULL;
}

/* The code point of a character reference body ("#65", "#x41"), or -1. */
static long char_ref(const char *s, size_t n)
{
	if (n < 2 || s[0] != '#')
		return -1;
	int hex = s[1] == 'x' || s[1] == 'X';
	size_t i = hex ? 2 : 1;
	long v = 0;
	if (i >= n || n - i > 8)
		return -1;
	for (; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'	      ? c - '0'
			: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
			: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
						      : -1;
		if (d < 0)
			return -1;
		v = v * (hex ? 16 : 10) + d;
	}
	return v > 0 && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff) ? v : -1;
}

char *s3_xml_unescape(const char *s, size_t n)
{
	static const struct {
		const char *name;
		char c;
	} ENTITIES[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' }
	};
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			if (s[i] == '\0')
				goto bad;
			*o++ = s[i];
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i);
		if (!semi)
			goto bad;
		size_t len = (size_t)(semi - s) - i - 1;
		const char *name = s + i + 1;
		int done = 0;
		for (size_t e = 0; !done && e < sizeof ENTITIES / sizeof ENTITIES[0]; e++)
			if (strlen(ENTITIES[e].name) == len &&
			    memcmp(name, ENTITIES[e].name, len) == 0) {
				*o++ = ENTITIES[e].c;
				done = 1;
			}
		if (!done) {
			long cp = char_ref(name, len);
			if (cp < 0) /* a reference is never longer than what it encodes */
				goto bad;
			if (cp < 0x80) {
				*o++ = (char)cp;
			} else if (cp < 0x800) {
				*o++ = (char)(0xc0 | (cp >> 6));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				*o++ = (char)(0xe0 | (cp >> 12));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else {
				*o++ = (char)(0xf0 | (cp >> 18));
				*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			}
		}
		i = (size_t)(semi - s);
	}
	*o = '\0';
	return out;
bad:
	free(out);
	return NULL;
}
