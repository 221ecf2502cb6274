/*
 * theme_file.c - reading themes from assets/themes (see theme_file.h).
 * Pure parsing over a buffer; the file and folder reads are thin shells.
 */
#include "tui/theme_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/error.h"

#define THEME_FIELDS 5	  /* role fg bg colour-attrs mono-attrs */
#define THEME_ECHO_MAX 40 /* characters of a user's word in a message */
#define THEME_PATH_MAX 4096

static const struct {
	const char *name;
	short color;
} COLOR_NAMES[] = {
	{ "default", -1 },
	{ "black", COLOR_BLACK },
	{ "red", COLOR_RED },
	{ "green", COLOR_GREEN },
	{ "yellow", COLOR_YELLOW },
	{ "blue", COLOR_BLUE },
	{ "magenta", COLOR_MAGENTA },
	{ "cyan", COLOR_CYAN },
	{ "white", COLOR_WHITE },
};

static const struct {
	const char *name;
	attr_t attr;
} ATTR_NAMES[] = {
	{ "normal", A_NORMAL },	  { "bold", A_BOLD },		{ "dim", A_DIM },
	{ "reverse", A_REVERSE }, { "underline", A_UNDERLINE }, { "standout", A_STANDOUT },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A printable copy of a user's word for a message. */
static const char *theme_echo(const char *s, char *out, size_t cap)
{
	api_error_excerpt(s, strlen(s), THEME_ECHO_MAX, out, cap);
	return out;
}

static int theme_color_parse(const char *word, short *out)
{
	for (size_t i = 0; i < N_OF(COLOR_NAMES); i++)
		if (strcmp(word, COLOR_NAMES[i].name) == 0) {
			*out = COLOR_NAMES[i].color;
			return 0;
		}
	return -1;
}

/* "bold+reverse" into attributes; the bad part into *bad on error. */
static int theme_attrs_parse(char *word, attr_t *out, const char **bad)
{
	*out = A_NORMAL;
	char *save = NULL;
	/* strtok would skip the empty parts of "bold++dim" and "+bold" */
	if (!*word || word[strlen(word) - 1] == '+' || word[0] == '+' || strstr(word, "++")) {
		*bad = word;
		return -1;
	}
	for (char *p = strtok_r(word, "+", &save); p; p = strtok_r(NULL, "+", &save)) {
		size_t i = 0;
		while (i < N_OF(ATTR_NAMES) && strcmp(p, ATTR_NAMES[i].name) != 0)
			i++;
		if (i == N_OF(ATTR_NAMES)) {
			*bad = p;
			return -1;
		}
		*out |= ATTR_NAMES[i].attr;
	}
	return 0;
}

/* One non-comment line (NUL-terminated, writable) into out. */
static int theme_line_parse(char *line, const char *what, int lineno, bool *seen,
			    struct theme_def *out, char *err, size_t cap)
{
	char *f[THEME_FIELDS + 1], *save = NULL, echo[THEME_ECHO_MAX + 8];
	size_t n = 0;
	for (char *p = strtok_r(line, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (n == THEME_FIELDS + 1)
			break;
		f[n++] = p;
	}
	if (n != THEME_FIELDS) {
		snprintf(err, cap,
			 "%s:%d: expected 'role fg bg attrs mono-attrs', got %s%zu fields", what,
			 lineno, n > THEME_FIELDS ? "more than " : "",
			 n > THEME_FIELDS ? (size_t)THEME_FIELDS : n);
		return -1;
	}
	int role = theme_role_from_name(f[0]);
	if (role < 0) {
		snprintf(err, cap, "%s:%d: unknown role '%s'", what, lineno,
			 theme_echo(f[0], echo, sizeof echo));
		return -1;
	}
	if (seen[role]) {
		snprintf(err, cap, "%s:%d: role '%s' given twice", what, lineno, f[0]);
		return -1;
	}
	struct theme_style *st = &out->role[role];
	for (int i = 1; i <= 2; i++)
		if (theme_color_parse(f[i], i == 1 ? &st->fg : &st->bg)) {
			snprintf(err, cap,
				 "%s:%d: %s: unknown %s colour '%s' (default, black, red, green, "
				 "yellow, blue, magenta, cyan, white)",
				 what, lineno, f[0], i == 1 ? "foreground" : "background",
				 theme_echo(f[i], echo, sizeof echo));
			return -1;
		}
	for (int i = 3; i <= 4; i++) {
		const char *bad = "";
		if (theme_attrs_parse(f[i], i == 3 ? &st->color : &st->mono, &bad)) {
			snprintf(err, cap,
				 "%s:%d: %s: unknown attribute '%s' (normal, bold, dim, reverse, "
				 "underline, standout, joined with '+')",
				 what, lineno, f[0], theme_echo(bad, echo, sizeof echo));
			return -1;
		}
	}
	seen[role] = true;
	return 0;
}

int theme_file_parse(const char *text, size_t len, const char *what, struct theme_def *out,
		     char *err, size_t cap)
{
	bool seen[THEME_ROLE_COUNT] = { false };
	char line[THEME_LINE_MAX + 1];
	memset(out, 0, sizeof *out);
	err[0] = '\0';
	if (len > THEME_FILE_MAX) {
		snprintf(err, cap, "%s: over %d bytes", what, THEME_FILE_MAX);
		return -1;
	}
	int lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - pos;
		lineno++;
		if (n > THEME_LINE_MAX) {
			snprintf(err, cap, "%s:%d: line over %d bytes", what, lineno,
				 THEME_LINE_MAX);
			return -1;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (memchr(line, '\0', n)) {
			snprintf(err, cap, "%s:%d: a NUL byte", what, lineno);
			return -1;
		}
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		const char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		if (theme_line_parse(line, what, lineno, seen, out, err, cap))
			return -1;
	}
	for (int r = 0; r < THEME_ROLE_COUNT; r++)
		if (!seen[r]) {
			snprintf(err, cap, "%s: role '%s' is missing (every role needs a line)",
				 what, theme_role_name((enum theme_role)r));
			return -1;
		}
	return 0;
}

int theme_file_load(const char *path, struct theme_def *out, char *err, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, cap, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = malloc(THEME_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, cap, "%s: out of memory", path);
		return -1;
	}
	size_t n = fread(buf, 1, THEME_FILE_MAX + 1, f);
	int rerr = ferror(f);
	fclose(f);
	int rc;
	if (rerr) {
		snprintf(err, cap, "%s: cannot read (is it a folder?)", path);
		rc = -1;
	} else {
		rc = theme_file_parse(buf, n, path, out, err, cap);
	}
	free(buf);
	return rc;
}

bool theme_file_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n >= THEME_NAME_MAX)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int theme_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t theme_file_list(const char *dir, char *out, size_t cap)
{
	char names[THEME_LIST_MAX][THEME_NAME_MAX];
	char *sorted[THEME_LIST_MAX];
	size_t n = 0;
	snprintf(names[n++], THEME_NAME_MAX, "default");
	DIR *d = dir ? opendir(dir) : NULL;
	for (struct dirent *e; d && (e = readdir(d)) && n < THEME_LIST_MAX;)
		if (theme_file_name_ok(e->d_name) && strcmp(e->d_name, "default") != 0)
			snprintf(names[n++], THEME_NAME_MAX, "%s", e->d_name);
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		sorted[i] = names[i];
	qsort(sorted, n, sizeof sorted[0], theme_name_cmp);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++) {
		int w = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", sorted[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return n;
}

int theme_file_find(const char *name, const char *dir, struct theme_def *out, char *err, size_t cap)
{
	char path[THEME_PATH_MAX], echo[THEME_ECHO_MAX + 8];
	if (theme_file_name_ok(name)) {
		snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", name);
		FILE *probe = dir ? fopen(path, "rb") : NULL;
		if (probe) {
			fclose(probe);
			if (theme_file_load(path, out, err, cap))
				return -1;
			snprintf(out->name, sizeof out->name, "%s", name);
			return 0;
		}
		if (strcmp(name, "default") == 0) {
			*out = *theme_builtin();
			return 0;
		}
	}
	char avail[THEME_LIST_MAX * (THEME_NAME_MAX + 2)];
	theme_file_list(dir, avail, sizeof avail);
	snprintf(err, cap, "unknown theme '%s' (available: %s)",
		 theme_echo(name ? name : "", echo, sizeof echo), avail);
	return -1;
}
