/*
 * json_strict.h - strict reading of untrusted JSON (DESIGN.md, "Soundness
 * rule"): exactly one RFC 8259 value, and everything two readers could
 * take differently is an input error instead of a guess.
 *
 * Refused, each with a one-line message "<what>: line L column C: <reason>"
 * (lines and columns count from 1, columns in bytes; a bad byte is printed
 * as 0x%02x and a key with bytes outside visible ASCII as '?', so the
 * message is safe on a terminal):
 *   - empty input, a byte order mark, any grammar error (cJSON alone is
 *     lax: it skips every byte <= 0x20 as whitespace, reads numbers with
 *     strtod and ignores a byte order mark);
 *   - trailing data after the value (whitespace is fine);
 *   - a raw NUL byte anywhere, \u0000 in any string or key (cJSON's C
 *     strings would end there, so two readers would see different text);
 *   - raw control characters in strings, invalid UTF-8 (overlong forms,
 *     encoded surrogates, above U+10FFFF) and lone surrogate escapes;
 *   - a key that repeats an earlier key of the same object, at any depth,
 *     compared after decoding ("a" and "\u0061" are the same key); the
 *     position is the second occurrence;
 *   - nesting deeper than JSON_STRICT_MAX_DEPTH, a number longer than
 *     JSON_STRICT_NUMBER_MAX characters.
 *
 * Ownership: buf is borrowed for the call and need not be NUL-terminated;
 * the returned tree is the caller's, released with cJSON_Delete. Because
 * \u0000 is refused, every string in the tree is exactly its C string.
 */
#ifndef QLDBTOP_API_JSON_STRICT_H
#define QLDBTOP_API_JSON_STRICT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define JSON_STRICT_MAX_DEPTH 64  /* nested arrays and objects; AWS answers use 3 */
#define JSON_STRICT_NUMBER_MAX 63 /* cJSON 1.7 reads at most 63 characters of a number */

/* Parse buf[0..len) as one JSON value. Returns the tree, or NULL with why
 * filled (one line; what names the input, e.g. "GetDigest"; NULL: "JSON"). */
cJSON *json_strict_parse(const char *buf, size_t len, const char *what, char *why, size_t cap);

/* "object", "array", "string", "number", "boolean" or "null", for
 * messages like "Digest: expected a string, got number". */
const char *json_type_name(const cJSON *v);

#endif
