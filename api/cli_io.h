/*
 * cli_io.h - opening and reading the input files of a subcommand (a
 * get-digest or get-block output, an export manifest or data object), with
 * a one-line reason naming the file when it cannot be read. It lives in
 * api/ because api/export_run.c (shared by the subcommand and the
 * dashboard's verify job) reads files with it; tui/ includes it from here.
 *
 * Only regular files are read, and that is checked with fstat on the opened
 * descriptor: the open itself is non-blocking, so a FIFO or a device in
 * place of a file is refused at once instead of blocking the command.
 *
 * Ownership: cli_file_open returns a descriptor the caller closes;
 * cli_file_read returns a malloc'd, NUL-terminated copy of the file that the
 * caller frees; why is caller-owned.
 */
#ifndef QLDBTOP_API_CLI_IO_H
#define QLDBTOP_API_CLI_IO_H

#include <stddef.h>
#include <stdint.h>

/* Open the regular file at path for reading (O_NONBLOCK, then blocking
 * again; flags are added to the open, e.g. O_NOFOLLOW). Returns the
 * descriptor and its size in *size (may be NULL), or -1 with why:
 * "PATH: <strerror>" or "PATH: not a regular file". */
int cli_file_open(const char *path, int flags, uint64_t *size, char *why, size_t cap);

/* The whole regular file at path (*len bytes, NUL added), or NULL with a
 * reason in why: as cli_file_open, or "PATH: <too_large>" when it has more
 * than max bytes, "PATH: cannot read", or "out of memory". */
char *cli_file_read(const char *path, size_t max, const char *too_large, size_t *len, char *why,
		    size_t cap);

#endif
