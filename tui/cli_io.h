/*
 * cli_io.h - reading a small input file whole for a subcommand (a get-digest
 * or get-block output, an export manifest), with a one-line reason naming
 * the file when it cannot be read.
 *
 * Ownership: cli_file_read returns a malloc'd, NUL-terminated copy of the
 * file that the caller frees; why is caller-owned.
 */
#ifndef QLDBTOP_TUI_CLI_IO_H
#define QLDBTOP_TUI_CLI_IO_H

#include <stddef.h>

/* The whole regular file at path (*len bytes, NUL added), or NULL with a
 * reason in why: "PATH: <strerror>", "PATH: not a regular file",
 * "PATH: <too_large>" when it has more than max bytes, "PATH: cannot read",
 * or "out of memory". */
char *cli_file_read(const char *path, size_t max, const char *too_large, size_t *len, char *why,
		    size_t cap);

#endif
