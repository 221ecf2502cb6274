/*
 * cmd_ionhash.c - `qldbtop ionhash [FILE|-]`: the lowercase hex SHA-256
 * Ion Hash of every top-level user value of an Ion text or binary stream,
 * one per line (system values such as version markers and local symbol
 * tables are skipped by the reader). Users run it when a verification
 * fails, to see which value hashes to what.
 *
 * The file is streamed through ion_reader_open_source, so memory stays at
 * one top-level value whatever the file size. Exit 0 on success; 2 on a
 * usage error, an unreadable file or bad Ion (one line on stderr naming
 * the file and line:column, or byte offset for binary). The usage and help
 * are the "ionhash" entry of the command table (tui/cli.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tui/commands.h"
#include "verify/ion.h"
#include "verify/ionhash.h"

#define IONHASH_STDIN_NAME "<stdin>"

struct ionhash_source {
	FILE *f;
	int err_no; /* errno of a failed read, for the message */
};

/* ion_source_fn over stdio: bytes read, 0 at end, -1 on a read error. */
static ssize_t ionhash_read(void *ctx, uint8_t *buf, size_t cap)
{
	struct ionhash_source *s = ctx;
	size_t n = fread(buf, 1, cap, s->f);
	if (n == 0 && ferror(s->f)) {
		s->err_no = errno ? errno : EIO;
		return -1;
	}
	return (ssize_t)n;
}

/* Hash every value; returns the exit status. */
static int ionhash_stream(const char *name, struct ionhash_source *src)
{
	struct ion_reader *r = ion_reader_open_source(ionhash_read, src);
	struct ionhash *h = ionhash_new("sha256");
	if (!r || !h) {
		ion_reader_free(r);
		ionhash_free(h);
		fprintf(stderr, "qldbtop: ionhash: out of memory\n");
		return CLI_EXIT_USAGE;
	}
	int status = 0;
	size_t count = 0;
	for (;;) {
		const struct ion_value *v;
		struct ion_error err = { 0 };
		int rc = ion_reader_next(r, &v, &err);
		if (rc == 0)
			break;
		char msg[sizeof err.msg + 64];
		if (rc < 0) {
			if (rc == ION_ERR_IO && src->err_no)
				fprintf(stderr, "qldbtop: ionhash: %s: read error: %s\n", name,
					strerror(src->err_no));
			else {
				ion_error_format(&err, msg, sizeof msg);
				fprintf(stderr, "qldbtop: ionhash: %s:%s%s\n", name,
					err.line ? "" : " ", msg);
			}
			status = CLI_EXIT_USAGE;
			break;
		}
		count++;
		uint8_t d[32];
		if ((rc = ionhash_sha256(h, v, d, &err)) != 0) {
			fprintf(stderr,
				"qldbtop: ionhash: %s: value %zu (ending at byte %zu): %s\n", name,
				count, ion_reader_offset(r), err.msg);
			status = CLI_EXIT_USAGE;
			break;
		}
		static const char HEX[] = "0123456789abcdef";
		char hex[65];
		for (int i = 0; i < 32; i++) {
			hex[2 * i] = HEX[d[i] >> 4];
			hex[2 * i + 1] = HEX[d[i] & 15];
		}
		hex[64] = '\n';
		fwrite(hex, 1, sizeof hex, stdout);
	}
	ion_reader_free(r);
	ionhash_free(h);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "qldbtop: ionhash: writing output: %s\n", strerror(errno));
		status = CLI_EXIT_USAGE;
	}
	return status;
}

int cmd_ionhash(const struct cli_parsed *p)
{
	const char *path = p->n_args ? p->args[0] : NULL;
	struct ionhash_source src = { .f = stdin };
	const char *name = IONHASH_STDIN_NAME;
	if (path && strcmp(path, "-") != 0) {
		name = path;
		src.f = fopen(path, "rb");
		struct stat st;
		int e = 0;
		if (!src.f || fstat(fileno(src.f), &st) != 0)
			e = errno;
		else if (S_ISDIR(st.st_mode))
			e = EISDIR;
		if (e) {
			/* a pipe or device is fine (streamed); a directory is not */
			fprintf(stderr, "qldbtop: ionhash: %s: %s\n", path, strerror(e));
			if (src.f)
				fclose(src.f);
			return CLI_EXIT_USAGE;
		}
	}
	int status = ionhash_stream(name, &src);
	if (src.f != stdin)
		fclose(src.f);
	return status;
}
