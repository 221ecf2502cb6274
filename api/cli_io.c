/*
 * cli_io.c - opening and reading input files for the subcommands (see
 * cli_io.h).
 */
#include "api/cli_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_file_open(const char *path, int flags, uint64_t *size, char *why, size_t cap)
{
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);
	if (fd < 0) {
		snprintf(why, cap, "%s: %s", path,
			 errno == ELOOP ? "is a symbolic link" : strerror(errno));
		return -1;
	}
	struct stat st;
	memset(&st, 0, sizeof st);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, cap, "%s: %s", path,
			 S_ISDIR(st.st_mode) ? "is a folder, not a file" : "not a regular file");
		close(fd);
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (size)
		*size = (uint64_t)st.st_size;
	return fd;
}

char *cli_file_read(const char *path, size_t max, const char *too_large, size_t *len, char *why,
		    size_t cap)
{
	uint64_t size;
	int fd = cli_file_open(path, 0, &size, why, cap);
	if (fd < 0)
		return NULL;
	if (size > max) {
		close(fd);
		snprintf(why, cap, "%s: %s", path, too_large);
		return NULL;
	}
	char *p = malloc((size_t)size + 1);
	if (!p) {
		close(fd);
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	/* read what is there, at most size bytes (a file that grows meanwhile
	 * is read as it was) */
	size_t n = 0;
	while (n < size) {
		ssize_t r = read(fd, p + n, (size_t)size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(p);
			close(fd);
			snprintf(why, cap, "%s: cannot read: %s", path, strerror(errno));
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*len = n;
	return p;
}
