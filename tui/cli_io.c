/*
 * cli_io.c - whole-file reads for the subcommands (see cli_io.h).
 */
#include "tui/cli_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *cli_file_read(const char *path, size_t max, const char *too_large, size_t *len, char *why,
		    size_t cap)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(why, cap, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, cap, "%s: not a regular file", path);
		return NULL;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(why, cap, "%s: %s", path, too_large);
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, cap, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *p = malloc((size_t)st.st_size + 1);
	if (!p) {
		fclose(f);
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	size_t n = fread(p, 1, (size_t)st.st_size, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(p);
		snprintf(why, cap, "%s: cannot read", path);
		return NULL;
	}
	p[n] = '\0';
	*len = n;
	return p;
}
