/*
 * dash_config.c - the dashboard's settings from command line, environment,
 * config file and defaults (see dash_config.h). The file parser and the
 * key-spec and codeset rules are pure; dash_config_resolve is the shell
 * that reads the file and the theme.
 */
#include "tui/dash_config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "api/error.h"
#include "tui/keymap.h"
#include "tui/options.h"
#include "tui/theme_file.h"

#define DASH_ECHO_MAX 40 /* characters of a user's value in a message */
#define DASH_ECHO_CAP (DASH_ECHO_MAX + 8)
#define DASH_KEY_PREFIX "key."
#define DASH_NAME_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_-"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- key specs ----------------------------------------------------------- */

/* Named keys. Enter is '\r': the UI runs with nonl(), so Return reads as
 * '\r' (the keymap treats '\n' and KEY_ENTER alike). */
static const struct {
	const char *name;
	int key;
} KEY_NAMES[] = {
	{ "Enter", '\r' },     { "Return", '\r' },
	{ "Esc", 27 },	       { "Escape", 27 },
	{ "Tab", '\t' },       { "BackTab", KEY_BTAB },
	{ "S-Tab", KEY_BTAB }, { "Shift-Tab", KEY_BTAB },
	{ "Space", ' ' },      { "Backspace", KEY_BACKSPACE },
	{ "Up", KEY_UP },      { "Down", KEY_DOWN },
	{ "Left", KEY_LEFT },  { "Right", KEY_RIGHT },
	{ "Home", KEY_HOME },  { "End", KEY_END },
	{ "PgUp", KEY_PPAGE }, { "PageUp", KEY_PPAGE },
	{ "PgDn", KEY_NPAGE }, { "PageDown", KEY_NPAGE },
	{ "Insert", KEY_IC },  { "Delete", KEY_DC },
};

#define DASH_FKEYS 12 /* F1..F12: what every terminal sends */

int dash_key_parse(const char *spec, int *key)
{
	size_t n = spec ? strlen(spec) : 0;
	if (n == 1) {
		unsigned char c = (unsigned char)spec[0];
		if (c <= ' ' || c >= 0x7f)
			return -1;
		*key = c;
		return 0;
	}
	if (n == 2 && spec[0] == '^') {
		int c = toupper((unsigned char)spec[1]);
		if (c == '?') {
			*key = 0x7f;
			return 0;
		}
		if (c < 'A' || c > '_') /* ^@ (NUL) is no key */
			return -1;
		*key = c - '@';
		return 0;
	}
	if ((n == 2 || n == 3) && (spec[0] == 'F' || spec[0] == 'f') && spec[1] >= '1' &&
	    spec[1] <= '9') {
		int f = spec[1] - '0';
		if (n == 3) {
			if (spec[2] < '0' || spec[2] > '9')
				return -1;
			f = f * 10 + (spec[2] - '0');
		}
		if (f > DASH_FKEYS)
			return -1;
		*key = KEY_F(f);
		return 0;
	}
	for (size_t i = 0; n && i < N_OF(KEY_NAMES); i++)
		if (strcasecmp(spec, KEY_NAMES[i].name) == 0) {
			*key = KEY_NAMES[i].key;
			return 0;
		}
	return -1;
}

/* ---- small pure rules -------------------------------------------------- */

bool dash_ascii_for_codeset(const char *codeset)
{
	return !codeset || !(strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0);
}

static const char *dash_env(api_getenv_fn getenv_fn, const char *name)
{
	const char *v = getenv_fn ? getenv_fn(name) : getenv(name);
	return v && *v ? v : NULL;
}

bool dash_mouse_default(api_getenv_fn getenv_fn)
{
	return dash_env(getenv_fn, "SSH_CONNECTION") == NULL;
}

bool dash_config_readonly(const struct dash_config *c, const char *profile)
{
	if (c->readonly_forced)
		return true;
	for (size_t i = 0; profile && i < c->n_profiles; i++)
		if (strcmp(c->profiles[i].name, profile) == 0 && c->profiles[i].readonly_set)
			return c->profiles[i].readonly;
	return c->readonly;
}

static const struct dash_config *dash_current;

void dash_config_set(const struct dash_config *c)
{
	dash_current = c;
}

const struct dash_config *dash_config_get(void)
{
	return dash_current;
}

/* ---- the file ------------------------------------------------------------ */

/* A printable copy of a user's word for a message. */
static const char *dash_echo(const char *s, char *out)
{
	api_error_excerpt(s, strlen(s), DASH_ECHO_MAX, out, DASH_ECHO_CAP);
	return out;
}

enum dash_kind { DASH_BOOL, DASH_INTERVAL, DASH_THEME };

/* The top-level settings: key, how its value reads, where it goes. */
static const struct dash_setting {
	const char *key;
	enum dash_kind kind;
	size_t offset; /* of the bool in struct dash_config (DASH_BOOL) */
} SETTINGS[] = {
	{ "theme", DASH_THEME, 0 },
	{ "interval", DASH_INTERVAL, 0 },
	{ "bell", DASH_BOOL, offsetof(struct dash_config, bell) },
	{ "readonly", DASH_BOOL, offsetof(struct dash_config, readonly) },
	{ "mouse", DASH_BOOL, offsetof(struct dash_config, mouse) },
	{ "ascii", DASH_BOOL, offsetof(struct dash_config, ascii) },
	{ "no_color", DASH_BOOL, offsetof(struct dash_config, no_color) },
};

/* Parser state across lines. */
struct dash_parse {
	const char *what;
	int line;
	int set_on[N_OF(SETTINGS)];	      /* line a setting was given on; 0: not yet */
	struct dash_profile_setting *profile; /* inside [profile NAME], else NULL */
	int profile_readonly_on;
	char *err;
	size_t cap;
};

__attribute__((format(printf, 3, 4))) static int dash_fail(struct dash_parse *ps, const char *key,
							   const char *fmt, ...)
{
	char msg[DASH_CONFIG_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (key)
		snprintf(ps->err, ps->cap, "config %s:%d: %s: %s", ps->what, ps->line, key, msg);
	else
		snprintf(ps->err, ps->cap, "config %s:%d: %s", ps->what, ps->line, msg);
	return -1;
}

static int dash_bool_parse(struct dash_parse *ps, const char *key, const char *v, bool *out)
{
	char echo[DASH_ECHO_CAP];
	if (strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0)
		*out = false;
	else
		return dash_fail(ps, key, "expected true or false, got '%s'", dash_echo(v, echo));
	return 0;
}

static int dash_interval_parse(struct dash_parse *ps, const char *key, const char *v, unsigned *out)
{
	char echo[DASH_ECHO_CAP];
	size_t n = strlen(v);
	unsigned long x = 0;
	bool ok = n > 0 && n <= 4 && strspn(v, "0123456789") == n;
	if (ok)
		x = strtoul(v, NULL, 10);
	if (!ok || x < OPTIONS_INTERVAL_MIN_S || x > OPTIONS_INTERVAL_MAX_S)
		return dash_fail(ps, key, "expected whole seconds %d..%d, got '%s'",
				 OPTIONS_INTERVAL_MIN_S, OPTIONS_INTERVAL_MAX_S,
				 dash_echo(v, echo));
	*out = (unsigned)x;
	return 0;
}

/* key.ACTION = SPEC: one key per action (keymap_bind replaces every key
 * of an action with one). */
static int dash_keys_parse(struct dash_parse *ps, const char *key, char *v, struct dash_config *c)
{
	char echo[DASH_ECHO_CAP];
	const char *action = key + strlen(DASH_KEY_PREFIX);
	size_t an = strlen(action);
	if (an == 0 || an >= DASH_ACTION_MAX || strspn(action, DASH_NAME_CHARS) != an)
		return dash_fail(ps, NULL,
				 "'%s' is not a key binding (key.ACTION, ACTION of a-z 0-9 _ -)",
				 dash_echo(key, echo));
	for (size_t i = 0; i < c->n_keys; i++)
		if (strcmp(c->keys[i].action, action) == 0)
			return dash_fail(ps, key, "set twice (first on line %d)", c->keys[i].line);
	if (v[strcspn(v, " \t")])
		return dash_fail(ps, key, "one key per action, got '%s'", dash_echo(v, echo));
	int code;
	if (strlen(v) >= DASH_KEYSPEC_MAX || dash_key_parse(v, &code))
		return dash_fail(ps, key,
				 "'%s' is not a key (a character, ^X, F1..F12, Enter, Esc, Tab, "
				 "BackTab, Space, Backspace, Up, Down, Left, Right, Home, End, "
				 "PgUp, PgDn, Insert, Delete)",
				 dash_echo(v, echo));
	for (size_t i = 0; i < c->n_keys; i++)
		if (c->keys[i].key == code)
			return dash_fail(ps, key, "%s is already bound to key.%s on line %d", v,
					 c->keys[i].action, c->keys[i].line);
	if (c->n_keys == DASH_KEYS_MAX)
		return dash_fail(ps, key, "more than %d key bindings", DASH_KEYS_MAX);
	struct dash_key_binding *b = &c->keys[c->n_keys++];
	snprintf(b->action, sizeof b->action, "%s", action);
	snprintf(b->spec, sizeof b->spec, "%s", v);
	b->key = code;
	b->line = ps->line;
	return 0;
}

/* A top-level `key = value`. */
static int dash_setting_apply(struct dash_parse *ps, const char *key, char *v,
			      struct dash_config *c)
{
	char echo[DASH_ECHO_CAP];
	if (strncmp(key, DASH_KEY_PREFIX, strlen(DASH_KEY_PREFIX)) == 0)
		return dash_keys_parse(ps, key, v, c);
	size_t i = 0;
	while (i < N_OF(SETTINGS) && strcmp(key, SETTINGS[i].key) != 0)
		i++;
	if (i == N_OF(SETTINGS))
		return dash_fail(ps, key,
				 "unknown setting (theme, interval, bell, readonly, mouse, "
				 "ascii, no_color, key.ACTION)");
	if (ps->set_on[i])
		return dash_fail(ps, key, "set twice (first on line %d)", ps->set_on[i]);
	ps->set_on[i] = ps->line;
	switch (SETTINGS[i].kind) {
	case DASH_BOOL:
		return dash_bool_parse(ps, key, v, (bool *)((char *)c + SETTINGS[i].offset));
	case DASH_INTERVAL:
		return dash_interval_parse(ps, key, v, &c->interval_s);
	case DASH_THEME:
		if (!theme_file_name_ok(v))
			return dash_fail(ps, key, "'%s' is not a theme name (a-z 0-9 _ -)",
					 dash_echo(v, echo));
		snprintf(c->theme.name, sizeof c->theme.name, "%s", v);
		c->theme_line = ps->line;
		return 0;
	}
	return dash_fail(ps, key, "unknown setting");
}

/* `[profile NAME]` (line stripped, starts with '['). */
static int dash_section_open(struct dash_parse *ps, char *line, struct dash_config *c)
{
	char echo[DASH_ECHO_CAP];
	size_t n = strlen(line);
	if (line[n - 1] != ']')
		return dash_fail(ps, NULL, "a section needs a closing ']'");
	line[n - 1] = '\0';
	char *in = line + 1;
	in += strspn(in, " \t");
	for (size_t e = strlen(in); e && (in[e - 1] == ' ' || in[e - 1] == '\t');)
		in[--e] = '\0';
	if (strncmp(in, "profile", 7) != 0 || (in[7] != ' ' && in[7] != '\t'))
		return dash_fail(ps, NULL, "unknown section '[%s]' (only [profile NAME])",
				 dash_echo(in, echo));
	char *name = in + 7 + strspn(in + 7, " \t");
	if (!*name || strlen(name) >= DASH_PROFILE_MAX)
		return dash_fail(ps, NULL, "[profile NAME]: a name of 1..%d characters",
				 DASH_PROFILE_MAX - 1);
	for (size_t i = 0; i < c->n_profiles; i++)
		if (strcmp(c->profiles[i].name, name) == 0)
			return dash_fail(ps, NULL, "[profile %s] given twice (first on line %d)",
					 dash_echo(name, echo), c->profiles[i].line);
	if (c->n_profiles == DASH_PROFILES_MAX)
		return dash_fail(ps, NULL, "more than %d profiles", DASH_PROFILES_MAX);
	ps->profile = &c->profiles[c->n_profiles++];
	memset(ps->profile, 0, sizeof *ps->profile);
	snprintf(ps->profile->name, sizeof ps->profile->name, "%s", name);
	ps->profile->line = ps->line;
	/* until it sets readonly, the top-level value applies to it */
	ps->profile_readonly_on = 0;
	return 0;
}

/* One stripped, non-empty, non-comment line. */
static int dash_line_parse(struct dash_parse *ps, char *line, struct dash_config *c)
{
	if (line[0] == '[')
		return dash_section_open(ps, line, c);
	char *eq = strchr(line, '=');
	if (!eq)
		return dash_fail(ps, NULL, "expected 'key = value', '[profile NAME]' or a comment");
	*eq = '\0';
	char *key = line, *v = eq + 1;
	for (size_t e = strlen(key); e && (key[e - 1] == ' ' || key[e - 1] == '\t');)
		key[--e] = '\0';
	v += strspn(v, " \t");
	if (!*key)
		return dash_fail(ps, NULL, "a value without a key");
	for (char *k = key; *k; k++)
		*k = (char)tolower((unsigned char)*k);
	if (!*v)
		return dash_fail(ps, key, "no value");
	if (!ps->profile)
		return dash_setting_apply(ps, key, v, c);
	if (strcmp(key, "readonly") != 0)
		return dash_fail(ps, key, "not a [profile] setting (only readonly)");
	if (ps->profile_readonly_on)
		return dash_fail(ps, key, "set twice (first on line %d)", ps->profile_readonly_on);
	ps->profile_readonly_on = ps->line;
	ps->profile->readonly_set = true;
	return dash_bool_parse(ps, key, v, &ps->profile->readonly);
}

int dash_config_parse(const char *text, size_t len, const char *what, struct dash_config *out,
		      char *err, size_t cap)
{
	struct dash_parse ps = { .what = what, .err = err, .cap = cap };
	char line[DASH_CONFIG_LINE_MAX + 1];
	err[0] = '\0';
	if (len > DASH_CONFIG_FILE_MAX) {
		snprintf(err, cap, "config %s: over %d bytes", what, DASH_CONFIG_FILE_MAX);
		return -1;
	}
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
		ps.line++;
		if (n > DASH_CONFIG_LINE_MAX)
			return dash_fail(&ps, NULL, "line over %d bytes", DASH_CONFIG_LINE_MAX);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (strlen(line) != n)
			return dash_fail(&ps, NULL, "a NUL byte");
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#' || *p == ';')
			continue;
		if (dash_line_parse(&ps, p, out))
			return -1;
	}
	return 0;
}

/* ---- resolution ---------------------------------------------------------- */

/* Which file, and whether it must exist. false: no file to read. */
static bool dash_config_path(const struct dash_cli *cli, api_getenv_fn getenv_fn, char *out,
			     size_t cap, bool *must_exist)
{
	const char *v;
	*must_exist = true;
	if (cli->config_path) {
		snprintf(out, cap, "%s", cli->config_path);
		return true;
	}
	if ((v = dash_env(getenv_fn, "QLDBTOP_CONFIG"))) {
		snprintf(out, cap, "%s", v);
		return true;
	}
	*must_exist = false;
	/* XDG: a relative XDG_CONFIG_HOME is invalid and ignored */
	if ((v = dash_env(getenv_fn, "XDG_CONFIG_HOME")) && v[0] == '/') {
		snprintf(out, cap, "%s/qldbtop/config", v);
		return true;
	}
	if ((v = dash_env(getenv_fn, "HOME"))) {
		snprintf(out, cap, "%s/.config/qldbtop/config", v);
		return true;
	}
	return false;
}

/* Read path into a malloc'd buffer. 1: read; 0: missing and may be;
 * -1: error in err. */
static int dash_file_read(const char *path, bool must_exist, char **buf, size_t *len, char *err,
			  size_t cap)
{
	struct stat st;
	*buf = NULL;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(err, cap, "config %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, cap, "config %s: not a regular file", path);
		return -1;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, cap, "config %s: %s", path, strerror(errno));
		return -1;
	}
	*buf = malloc(DASH_CONFIG_FILE_MAX + 1);
	if (!*buf) {
		fclose(f);
		snprintf(err, cap, "config %s: out of memory", path);
		return -1;
	}
	*len = fread(*buf, 1, DASH_CONFIG_FILE_MAX + 1, f);
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		free(*buf);
		*buf = NULL;
		snprintf(err, cap, "config %s: cannot read", path);
		return -1;
	}
	return 1;
}

int dash_config_resolve(const struct dash_cli *cli, api_getenv_fn getenv_fn, const char *codeset,
			const char *themes_dir, struct dash_config *out, char *err, size_t cap)
{
	memset(out, 0, sizeof *out);
	err[0] = '\0';
	/* defaults */
	snprintf(out->theme.name, sizeof out->theme.name, "default");
	out->interval_s = cli->interval_s;
	out->mouse = dash_mouse_default(getenv_fn);
	out->ascii = dash_ascii_for_codeset(codeset);

	/* the file */
	bool must_exist;
	char path[DASH_CONFIG_PATH_MAX];
	if (dash_config_path(cli, getenv_fn, path, sizeof path, &must_exist)) {
		char *buf;
		size_t len = 0;
		int r = dash_file_read(path, must_exist, &buf, &len, err, cap);
		if (r < 0)
			return -1;
		if (r > 0) {
			snprintf(out->path, sizeof out->path, "%s", path);
			out->file_found = true;
			r = dash_config_parse(buf, len, path, out, err, cap);
			free(buf);
			if (r)
				return -1;
		}
	}

	/* the environment, then the command line */
	char file_theme[THEME_NAME_MAX], where[DASH_CONFIG_PATH_MAX + 32];
	snprintf(file_theme, sizeof file_theme, "%s", out->theme.name);
	const char *theme = file_theme, *theme_from = NULL; /* message prefix */
	if (out->theme_line) {
		snprintf(where, sizeof where, "config %s:%d: theme", out->path, out->theme_line);
		theme_from = where;
	}
	const char *v;
	if ((v = dash_env(getenv_fn, "QLDBTOP_THEME"))) {
		theme = v;
		theme_from = "QLDBTOP_THEME";
	}
	if (dash_env(getenv_fn, "NO_COLOR"))
		out->no_color = true;
	if (cli->theme) {
		theme = cli->theme;
		theme_from = "--theme";
	}
	if (cli->interval_given)
		out->interval_s = cli->interval_s;
	if (cli->no_mouse)
		out->mouse = false;
	if (cli->ascii)
		out->ascii = true;
	if (cli->no_color)
		out->no_color = true;
	if (cli->readonly)
		out->readonly = out->readonly_forced = true;

	char terr[DASH_CONFIG_ERR_MAX];
	if (theme_file_find(theme, themes_dir, &out->theme, terr, sizeof terr)) {
		snprintf(err, cap, "%s%s%s", theme_from ? theme_from : "", theme_from ? ": " : "",
			 terr);
		return -1;
	}
	return 0;
}

/* ---- handing the keys to the keymap -------------------------------------- */

int dash_config_apply_keys(const struct dash_config *c, char *err, size_t cap)
{
	char kerr[DASH_CONFIG_ERR_MAX];
	err[0] = '\0';
	for (size_t i = 0; i < c->n_keys; i++) {
		const struct dash_key_binding *b = &c->keys[i];
		if (keymap_bind(b->action, b->key, kerr, sizeof kerr)) {
			snprintf(err, cap, "config %s:%d: key.%s: %s", c->path, b->line, b->action,
				 kerr);
			return -1;
		}
	}
	if (keymap_check(kerr, sizeof kerr) == 0)
		return 0;
	/* A rebinding took a key another action keeps: name the last binding
	 * whose action the keymap's message names ("... 'quit' and 'refresh'"). */
	for (size_t i = c->n_keys; i-- > 0;) {
		char quoted[DASH_ACTION_MAX + 2];
		snprintf(quoted, sizeof quoted, "'%s'", c->keys[i].action);
		if (strstr(kerr, quoted)) {
			snprintf(err, cap, "config %s:%d: key.%s: %s", c->path, c->keys[i].line,
				 c->keys[i].action, kerr);
			return -1;
		}
	}
	if (c->path[0])
		snprintf(err, cap, "config %s: %s", c->path, kerr);
	else
		snprintf(err, cap, "%s", kerr);
	return -1;
}
