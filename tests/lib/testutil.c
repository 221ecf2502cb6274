/* testutil.c - see testutil.h. */
#include "tests/lib/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/base64.h"

const char *shared_path(const char *rel)
{
	static char path[4096];
	const char *root = getenv("QLDBTOP_SHARED");
	snprintf(path, sizeof path, "%s/%s", root ? root : "../shared", rel);
	return path;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap + 1);
	size_t got;
	while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			char *q = realloc(p, cap + 1);
			if (!q) {
				free(p);
				p = NULL;
			}
			p = q;
		}
	}
	fclose(f);
	if (!p)
		return NULL;
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

int b64_32(const char *b64, uint8_t out[32])
{
	return base64_decode(b64, strlen(b64), out, 32) == 32 ? 0 : -1;
}

void to_hex(const uint8_t *p, size_t n, char *out)
{
	static const char HEX[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = HEX[p[i] >> 4];
		out[2 * i + 1] = HEX[p[i] & 15];
	}
	out[2 * n] = '\0';
}
