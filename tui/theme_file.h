/*
 * theme_file.h - themes as files: assets/themes/NAME, one line per colour
 * role of tui/theme.h:
 *
 *   # role      fg       bg       colour-attrs   mono-attrs
 *   normal      default  default  normal         normal
 *   bad         red      default  bold           bold+reverse
 *
 * - ROLE is a role's lower-case name (theme_role_name: normal, border,
 *   title, key, good, warn, bad, unverified, dim, bar, bar_key); every
 *   role appears exactly once.
 * - FG and BG: default (the terminal's own), black, red, green, yellow,
 *   blue, magenta, cyan, white.
 * - The two attribute columns are '+'-joined lists of normal, bold, dim,
 *   reverse, underline, standout: the first is added to the colours, the
 *   second is the whole look without colour (the monochrome column, so
 *   that meaning never rests on colour alone).
 * - '#' starts a comment line; blank lines are skipped.
 * Errors are one line naming "PATH:LINE: what" (or "PATH: role 'x' is
 * missing"); a file over THEME_FILE_MAX bytes or a line over
 * THEME_LINE_MAX is refused.
 *
 * Theme names are [a-z0-9_-]+, never a path: `--theme ../x` is an unknown
 * theme, not a file read.
 *
 * Ownership: callers own the struct theme_def they pass; nothing is
 * allocated beyond the call.
 */
#ifndef QLDBTOP_TUI_THEME_FILE_H
#define QLDBTOP_TUI_THEME_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/theme.h"

#define THEME_FILE_MAX (16 * 1024) /* the shipped ones are under 1 KB */
#define THEME_LINE_MAX 256
#define THEME_LIST_MAX 32 /* themes listed in an "available:" message */

/* Parse text[0..len); what names it in messages. 0, or -1 with err. */
int theme_file_parse(const char *text, size_t len, const char *what, struct theme_def *out,
		     char *err, size_t cap);

/* Read and parse path. 0, or -1 with err (a missing file is an error). */
int theme_file_load(const char *path, struct theme_def *out, char *err, size_t cap);

/* True when name is a valid theme name ([a-z0-9_-], 1..THEME_NAME_MAX-1). */
bool theme_file_name_ok(const char *name);

/* The theme names in dir, sorted and joined with ", " into out; always
 * includes "default" (built in). Returns the number of names. */
size_t theme_file_list(const char *dir, char *out, size_t cap);

/* The theme called name from dir ("default" falls back to the built-in
 * theme when dir has no such file). 0, or -1 with err: "unknown theme
 * 'x' (available: default, high-contrast, mono)" or the file's error. */
int theme_file_find(const char *name, const char *dir, struct theme_def *out, char *err,
		    size_t cap);

#endif
