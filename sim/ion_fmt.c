/*
 * ion_fmt.c - compact Ion text pieces for the journal (see ion_fmt.h).
 */
#include "sim/ion_fmt.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "verify/base64.h"

int sim_ion_string(struct buf *b, const char *s)
{
	int rc = buf_append_byte(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; !rc && *p; p++) {
		if (*p == '"' || *p == '\\')
			rc = buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			rc = buf_append_str(b, "\\n");
		else if (*p < 0x20 || *p == 0x7f)
			rc = buf_printf(b, "\\x%02x", *p);
		else
			rc = buf_append_byte(b, *p);
	}
	return rc ? rc : buf_append_byte(b, '"');
}

/* Ion text keywords that cannot be bare field names. */
static const char *const ION_KEYWORDS[] = { "null", "true", "false", "nan" };

static int is_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == '$'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '$'))
			return 0;
	for (size_t i = 0; i < sizeof ION_KEYWORDS / sizeof ION_KEYWORDS[0]; i++)
		if (strcmp(s, ION_KEYWORDS[i]) == 0)
			return 0;
	/* $-prefixed digits would read as a symbol id */
	if (s[0] == '$' && s[1] >= '0' && s[1] <= '9')
		return 0;
	return 1;
}

int sim_ion_field(struct buf *b, const char *name)
{
	int rc;
	if (is_identifier(name))
		rc = buf_append_str(b, name);
	else /* ids and names used here never hold quotes or backslashes */
		rc = buf_printf(b, "'%s'", name);
	return rc ? rc : buf_append_byte(b, ':');
}

int sim_ion_timestamp_ms(struct buf *b, int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	if (!gmtime_r(&secs, &tm))
		return -1;
	return buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
			  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			  (int)(ms % 1000));
}

int sim_ion_decimal_cents(struct buf *b, int64_t cents)
{
	uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	return buf_printf(b, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", mag / 100,
			  mag % 100);
}

int sim_ion_blob(struct buf *b, const struct qldb_hash *h)
{
	char b64[BASE64_ENCODED_SIZE(32)];
	base64_encode(h->b, h->len, b64);
	return buf_printf(b, "{{%s}}", h->len ? b64 : "");
}

int sim_ion_address(struct buf *b, const char *strand, int64_t seq)
{
	return buf_printf(b, "{strandId:\"%s\",sequenceNo:%" PRId64 "}", strand, seq);
}
