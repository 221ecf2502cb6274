/*
 * fuzz_tui_config.c - the dashboard's own file parsers on any bytes: the
 * config file (tui/dash_config.c, then its key bindings handed to the
 * keymap) when the first byte is even, a theme file (tui/theme_file.c)
 * when it is odd. Each returns a result or one line naming the file,
 * never crashes; a file the parser accepts gives a keymap with no key
 * bound twice or a one-line error naming the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/dash_config.h"
#include "tui/keymap.h"
#include "tui/theme_file.h"

/* err must be one NUL-terminated line starting with prefix */
static void one_line(const char *err, size_t cap, const char *prefix)
{
	if (!memchr(err, '\0', cap) || strchr(err, '\n') || strncmp(err, prefix, strlen(prefix))) {
		fprintf(stderr, "not one line: '%.*s'\n", (int)cap, err);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	char err[DASH_CONFIG_ERR_MAX] = "";
	if ((data[0] & 1) == 0) {
		static struct dash_config c; /* large: not on the stack */
		memset(&c, 0, sizeof c);
		if (dash_config_parse(text, len, "f.conf", &c, err, sizeof err) != 0) {
			one_line(err, sizeof err, "config f.conf");
			return 0;
		}
		/* the file's name for messages; dash_config_resolve sets it */
		snprintf(c.path, sizeof c.path, "f.conf");
		keymap_reset();
		err[0] = '\0';
		if (dash_config_apply_keys(&c, err, sizeof err) != 0)
			one_line(err, sizeof err, "config f.conf");
		else if (keymap_check(err, sizeof err) != 0)
			abort(); /* accepted bindings must leave no key bound twice */
		keymap_reset();
		return 0;
	}
	struct theme_def t;
	memset(&t, 0, sizeof t);
	if (theme_file_parse(text, len, "f.theme", &t, err, sizeof err) != 0)
		one_line(err, sizeof err, "f.theme");
	return 0;
}
