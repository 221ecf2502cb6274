/*
 * test_dash_config.c - the dashboard's settings (tui/dash_config.c):
 * command line over environment over config file over defaults for every
 * setting, the SSH mouse default, ASCII from the locale's codeset, readonly
 * per profile, key specs, where the file is looked for, and one-line
 * errors naming file, line and key. The environment is fake (fake_env);
 * config files are written to a temporary folder; themes are read from
 * assets/themes (run from the repository root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/fake_env.h"
#include "tui/dash_config.h"
#include "tui/keymap.h"

#define THEMES_DIR "assets/themes"
#define UTF8 "UTF-8"

static char tmpdir[64];
static char cfg_path[128]; /* tmpdir/config */
static struct dash_config c;
static char err[DASH_CONFIG_ERR_MAX];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/qldbtop-dashcfg-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(cfg_path, sizeof cfg_path, "%s/config", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[256];
	static const char *const FILES[] = { "config", "xdg/qldbtop/config",
					     "home/.config/qldbtop/config", NULL };
	for (size_t i = 0; FILES[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", tmpdir, FILES[i]);
		unlink(p);
	}
	static const char *const DIRS[] = {
		"xdg/qldbtop", "xdg", "home/.config/qldbtop", "home/.config", "home", "dir", NULL
	};
	for (size_t i = 0; DIRS[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", tmpdir, DIRS[i]);
		rmdir(p);
	}
	rmdir(tmpdir);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Resolve with the config file holding text (NULL: no --config, no
 * file), the fake environment env (NAME, VALUE pairs, NULL-ended) and cli.
 * Returns dash_config_resolve's status; c and err hold the result. */
static int resolve_with(const char *text, const char *const *env, struct dash_cli cli,
			const char *codeset)
{
	fake_env_set(env, NULL);
	if (text) {
		write_file(cfg_path, text);
		if (!cli.config_path)
			cli.config_path = cfg_path;
	}
	if (!cli.interval_s)
		cli.interval_s = 5;
	err[0] = '\0';
	return dash_config_resolve(&cli, fake_env_get, codeset, THEMES_DIR, &c, err, sizeof err);
}

static void resolve_ok(const char *text, const char *const *env, struct dash_cli cli)
{
	if (resolve_with(text, env, cli, UTF8) != 0)
		fail_msg("resolve failed: %s", err);
}

/* ---- defaults and precedence ------------------------------------------- */

static void test_defaults_without_any_file(void **state)
{
	(void)state;
	static const char *const ENV[] = { NULL };
	resolve_ok(NULL, ENV, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "default");
	assert_int_equal(c.interval_s, 5);
	assert_false(c.bell);
	assert_false(c.readonly);
	assert_false(dash_config_readonly(&c, "default"));
	assert_true(c.mouse);
	assert_false(c.ascii);
	assert_false(c.no_color);
	assert_int_equal(c.n_keys, 0);
	assert_false(c.file_found);
	assert_string_equal(c.path, "");
}

static void test_theme_cli_over_env_over_file_over_default(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	static const char *const ENV[] = { "QLDBTOP_THEME", "high-contrast", NULL };
	static const char *const EMPTY[] = { "QLDBTOP_THEME", "", NULL };
	resolve_ok("theme = mono\n", NONE, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "mono");
	assert_int_equal(c.theme.role[THEME_BAR].bg, -1); /* mono's content, not only its name */
	resolve_ok("theme = mono\n", ENV, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "high-contrast");
	assert_int_equal(c.theme.role[THEME_BAD].bg, COLOR_RED);
	resolve_ok("theme = mono\n", ENV, (struct dash_cli){ .theme = "default" });
	assert_string_equal(c.theme.name, "default");
	resolve_ok(NULL, ENV, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "high-contrast");
	/* an empty variable says nothing */
	resolve_ok("theme = mono\n", EMPTY, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "mono");
}

static void test_interval_cli_over_file_over_default(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	resolve_ok("interval = 30\n", NONE, (struct dash_cli){ .interval_s = 2 });
	assert_int_equal(c.interval_s, 30);
	resolve_ok("interval = 30\n", NONE,
		   (struct dash_cli){ .interval_s = 9, .interval_given = true });
	assert_int_equal(c.interval_s, 9);
	/* the caller's default (the demo's 2 s) when nobody says */
	resolve_ok("bell = true\n", NONE, (struct dash_cli){ .interval_s = 2 });
	assert_int_equal(c.interval_s, 2);
	resolve_ok("interval = 1\n", NONE, (struct dash_cli){ 0 });
	assert_int_equal(c.interval_s, 1);
	resolve_ok("interval = 3600\n", NONE, (struct dash_cli){ 0 });
	assert_int_equal(c.interval_s, 3600);
}

static void test_mouse_default_is_off_over_ssh_and_file_and_flag_win(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	static const char *const SSH[] = { "SSH_CONNECTION", "10.0.0.1 5022 10.0.0.2 22", NULL };
	static const char *const SSH_EMPTY[] = { "SSH_CONNECTION", "", NULL };
	resolve_ok(NULL, NONE, (struct dash_cli){ 0 });
	assert_true(c.mouse);
	resolve_ok(NULL, SSH, (struct dash_cli){ 0 });
	assert_false(c.mouse);
	resolve_ok(NULL, SSH_EMPTY, (struct dash_cli){ 0 });
	assert_true(c.mouse);
	resolve_ok("mouse = true\n", SSH, (struct dash_cli){ 0 }); /* file over default */
	assert_true(c.mouse);
	resolve_ok("mouse = false\n", NONE, (struct dash_cli){ 0 });
	assert_false(c.mouse);
	resolve_ok("mouse = true\n", NONE, (struct dash_cli){ .no_mouse = true });
	assert_false(c.mouse);
	fake_env_set(SSH, NULL);
	assert_false(dash_mouse_default(fake_env_get));
	fake_env_set(NONE, NULL);
	assert_true(dash_mouse_default(fake_env_get));
}

static void test_ascii_is_a_function_of_the_codeset(void **state)
{
	(void)state;
	static const struct {
		const char *codeset;
		bool ascii;
	} CASES[] = {
		{ "UTF-8", false },	 { "utf-8", false },	     { "UTF8", false },
		{ "utf8", false },	 { "ANSI_X3.4-1968", true }, { "ISO-8859-1", true },
		{ "ISO-8859-15", true }, { "UTF-16", true },	     { "", true },
		{ NULL, true },		 { "UTF-8x", true },	     { "KOI8-R", true },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
		if (dash_ascii_for_codeset(CASES[i].codeset) != CASES[i].ascii)
			fail_msg("codeset '%s'", CASES[i].codeset ? CASES[i].codeset : "(null)");
}

static void test_ascii_flag_over_file_over_locale(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	fake_env_set(NONE, NULL);
	struct dash_cli none = { .interval_s = 5 }, flag = { .interval_s = 5, .ascii = true };
	assert_int_equal(resolve_with(NULL, NONE, none, "ANSI_X3.4-1968"), 0);
	assert_true(c.ascii);
	assert_int_equal(resolve_with(NULL, NONE, none, UTF8), 0);
	assert_false(c.ascii);
	assert_int_equal(resolve_with(NULL, NONE, flag, UTF8), 0);
	assert_true(c.ascii);
	assert_int_equal(resolve_with("ascii = true\n", NONE, none, UTF8), 0);
	assert_true(c.ascii);
	assert_int_equal(resolve_with("ascii = false\n", NONE, none, "ANSI_X3.4-1968"), 0);
	assert_false(c.ascii);
	assert_int_equal(resolve_with("ascii = false\n", NONE, flag, UTF8), 0);
	assert_true(c.ascii);
}

static void test_no_color_flag_and_env_over_file(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	static const char *const NC[] = { "NO_COLOR", "1", NULL };
	static const char *const NC_EMPTY[] = { "NO_COLOR", "", NULL };
	resolve_ok(NULL, NONE, (struct dash_cli){ 0 });
	assert_false(c.no_color);
	resolve_ok(NULL, NC, (struct dash_cli){ 0 });
	assert_true(c.no_color);
	resolve_ok(NULL, NC_EMPTY, (struct dash_cli){ 0 }); /* no-color.org: non-empty */
	assert_false(c.no_color);
	resolve_ok("no_color = true\n", NONE, (struct dash_cli){ 0 });
	assert_true(c.no_color);
	resolve_ok("no_color = false\n", NC, (struct dash_cli){ 0 });
	assert_true(c.no_color);
	resolve_ok("no_color = false\n", NONE, (struct dash_cli){ .no_color = true });
	assert_true(c.no_color);
}

static void test_bell_comes_from_the_file(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	resolve_ok("bell = true\n", NONE, (struct dash_cli){ 0 });
	assert_true(c.bell);
	resolve_ok("bell = false\n", NONE, (struct dash_cli){ 0 });
	assert_false(c.bell);
}

static void test_readonly_global_per_profile_and_forced(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	static const char FILE1[] = "[profile prod]\n"
				    "readonly = true\n"
				    "[profile dev]\n"
				    "readonly = false\n"
				    "[profile other]\n";
	resolve_ok(FILE1, NONE, (struct dash_cli){ 0 });
	assert_false(c.readonly);
	assert_true(dash_config_readonly(&c, "prod"));
	assert_false(dash_config_readonly(&c, "dev"));
	assert_false(dash_config_readonly(&c, "other"));
	assert_false(dash_config_readonly(&c, "default"));
	assert_false(dash_config_readonly(&c, "PROD")); /* names are case-sensitive */
	assert_false(dash_config_readonly(&c, NULL));
	/* top-level readonly: every profile unless its own section lifts it */
	static const char FILE2[] = "readonly = true\n"
				    "[profile dev]\n"
				    "readonly = false\n"
				    "[profile other]\n";
	resolve_ok(FILE2, NONE, (struct dash_cli){ 0 });
	assert_true(c.readonly);
	assert_false(dash_config_readonly(&c, "dev"));
	assert_true(dash_config_readonly(&c, "other"));
	assert_true(dash_config_readonly(&c, "default"));
	assert_true(dash_config_readonly(&c, NULL));
	/* --readonly: nothing lifts it */
	resolve_ok(FILE2, NONE, (struct dash_cli){ .readonly = true });
	assert_true(c.readonly);
	assert_true(dash_config_readonly(&c, "dev"));
	resolve_ok(NULL, NONE, (struct dash_cli){ .readonly = true });
	assert_true(dash_config_readonly(&c, "any"));
}

static void test_key_bindings_are_stored_in_order(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	resolve_ok("# keys\n"
		   "key.refresh = R\n"
		   "key.quit = F10\n"
		   "Key.Next_Ledger = ^Q\n"
		   "key.pane-next = Tab\n"
		   "key.command = :\n"
		   "key.filter = =\n",
		   NONE, (struct dash_cli){ 0 });
	assert_int_equal(c.n_keys, 6);
	static const struct {
		const char *action, *spec;
		int key, line;
	} WANT[] = {
		{ "refresh", "R", 'R', 2 },	{ "quit", "F10", KEY_F(10), 3 },
		{ "next_ledger", "^Q", 17, 4 }, { "pane-next", "Tab", '\t', 5 },
		{ "command", ":", ':', 6 },	{ "filter", "=", '=', 7 },
	};
	for (size_t i = 0; i < c.n_keys; i++) {
		assert_string_equal(c.keys[i].action, WANT[i].action);
		assert_string_equal(c.keys[i].spec, WANT[i].spec);
		assert_int_equal(c.keys[i].key, WANT[i].key);
		assert_int_equal(c.keys[i].line, WANT[i].line);
	}
}

/* ---- key specs ------------------------------------------------------------ */

static void test_key_specs_map_to_curses_codes(void **state)
{
	(void)state;
	static const struct {
		const char *spec;
		int key;
	} GOOD[] = {
		{ "R", 'R' },
		{ "F", 'F' },
		{ "r", 'r' },
		{ "+", '+' },
		{ "~", '~' },
		{ "^", '^' },
		{ "^Q", 0x11 },
		{ "^q", 0x11 },
		{ "^A", 0x01 },
		{ "^[", 0x1b },
		{ "^_", 0x1f },
		{ "^?", 0x7f },
		{ "F1", KEY_F(1) },
		{ "f5", KEY_F(5) },
		{ "F10", KEY_F(10) },
		{ "F12", KEY_F(12) },
		{ "Enter", '\r' },
		{ "enter", '\r' },
		{ "Esc", 0x1b },
		{ "ESC", 0x1b },
		{ "Tab", '\t' },
		{ "BackTab", KEY_BTAB },
		{ "S-Tab", KEY_BTAB },
		{ "Space", ' ' },
		{ "Backspace", KEY_BACKSPACE },
		{ "Up", KEY_UP },
		{ "Down", KEY_DOWN },
		{ "Left", KEY_LEFT },
		{ "Right", KEY_RIGHT },
		{ "Home", KEY_HOME },
		{ "End", KEY_END },
		{ "PgUp", KEY_PPAGE },
		{ "PgDn", KEY_NPAGE },
		{ "Insert", KEY_IC },
		{ "Delete", KEY_DC },
	};
	for (size_t i = 0; i < sizeof GOOD / sizeof GOOD[0]; i++) {
		int key = -12345;
		if (dash_key_parse(GOOD[i].spec, &key) != 0 || key != GOOD[i].key)
			fail_msg("'%s': got %d, want %d", GOOD[i].spec, key, GOOD[i].key);
	}
	static const char *const BAD[] = { "",	  " ",	"\t",	"F0",	"F13",	  "F01",    "F1x",
					   "FF",  "^1", "^@",	"^ab",	"ab",	  "Ctrl-X", "C-x",
					   "Upp", "é",	"\x01", "\x7f", "Enter ", "PgUpX" };
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		int key = -12345;
		if (dash_key_parse(BAD[i], &key) != -1)
			fail_msg("'%s' was accepted as %d", BAD[i], key);
		assert_int_equal(key, -12345);
	}
	int key;
	assert_int_equal(dash_key_parse(NULL, &key), -1);
}

/* ---- errors --------------------------------------------------------------- */

/* Every bad file is one line: "config PATH:LINE: KEY: what". */
static void test_every_error_names_file_line_and_key(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	static const struct {
		const char *text, *want; /* want follows "config PATH:" */
	} CASES[] = {
		{ "theme = mono\n\n# x\n\n\n\nbell = maybe\n",
		  "7: bell: expected true or false, got 'maybe'" },
		{ "bell = True\n", "1: bell: expected true or false, got 'True'" },
		{ "bell = 1\n", "1: bell: expected true or false, got '1'" },
		{ "mouse = yes\n", "1: mouse: expected true or false, got 'yes'" },
		{ "ascii = \n", "1: ascii: no value" },
		{ "no_color = nope\n", "1: no_color: expected true or false, got 'nope'" },
		{ "readonly = on\n", "1: readonly: expected true or false, got 'on'" },
		{ "interval = 0\n", "1: interval: expected whole seconds 1..3600, got '0'" },
		{ "interval = 3601\n", "1: interval: expected whole seconds 1..3600, got '3601'" },
		{ "interval = 5s\n", "1: interval: expected whole seconds 1..3600, got '5s'" },
		{ "interval = -5\n", "1: interval: expected whole seconds 1..3600, got '-5'" },
		{ "interval = 99999999999999999999\n", "1: interval: expected whole seconds" },
		{ "colour = red\n", "1: colour: unknown setting" },
		{ "bell = true\nbell = false\n", "2: bell: set twice (first on line 1)" },
		{ "theme = ../mono\n", "1: theme: '../mono' is not a theme name" },
		{ "theme = nosuch\n", "1: theme: unknown theme 'nosuch' (available: default, "
				      "high-contrast, mono)" },
		{ "key.quit = F13\n", "1: key.quit: 'F13' is not a key" },
		{ "key.quit = q F10\n", "1: key.quit: one key per action, got 'q F10'" },
		{ "key.quit = Ctrl-Q\n", "1: key.quit: 'Ctrl-Q' is not a key" },
		{ "key.quit = q\nkey.refresh = q\n",
		  "2: key.refresh: q is already bound to key.quit on line 1" },
		{ "key.quit = q\nkey.quit = x\n", "2: key.quit: set twice (first on line 1)" },
		{ "key.quit = \n", "1: key.quit: no value" },
		{ "key. = q\n", "1: 'key.' is not a key binding" },
		{ "key.a b = q\n", "1: 'key.a b' is not a key binding" },
		{ "just words\n", "1: expected 'key = value', '[profile NAME]' or a comment" },
		{ "= true\n", "1: a value without a key" },
		{ "[profile prod\n", "1: a section needs a closing ']'" },
		{ "[default]\n", "1: unknown section '[default]' (only [profile NAME])" },
		{ "[profile]\n", "1: unknown section '[profile]'" },
		{ "[profile  ]\n", "1: unknown section" },
		{ "[profile a]\n[profile a]\n", "2: [profile a] given twice (first on line 1)" },
		{ "[profile a]\ntheme = mono\n",
		  "2: theme: not a [profile] setting (only readonly)" },
		{ "[profile a]\nreadonly = maybe\n",
		  "2: readonly: expected true or false, got 'maybe'" },
		{ "[profile a]\nreadonly = true\nreadonly = false\n",
		  "3: readonly: set twice (first on line 2)" },
		{ "bell = \x1b[31mred\n", "1: bell: expected true or false, got '?[31mred'" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		char want[512];
		snprintf(want, sizeof want, "config %s:%s", cfg_path, CASES[i].want);
		if (resolve_with(CASES[i].text, NONE, (struct dash_cli){ 0 }, UTF8) != -1)
			fail_msg("case %zu accepted: %s", i, CASES[i].text);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err, want);
		assert_null(strchr(err, '\n'));
		assert_null(strchr(err, '\x1b'));
	}
}

static void test_long_values_are_cut_in_messages(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	char text[600];
	char value[400];
	memset(value, 'x', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	snprintf(text, sizeof text, "bell = %s\n", value);
	assert_int_equal(resolve_with(text, NONE, (struct dash_cli){ 0 }, UTF8), -1);
	assert_non_null(strstr(err, "bell: expected true or false"));
	assert_true(strlen(err) < strlen(cfg_path) + 120);
}

static void test_oversized_files_and_lines_are_refused(void **state)
{
	(void)state;
	char *big = malloc(DASH_CONFIG_FILE_MAX + 2);
	assert_non_null(big);
	memset(big, '#', DASH_CONFIG_FILE_MAX + 1);
	big[DASH_CONFIG_FILE_MAX + 1] = '\0';
	memset(&c, 0, sizeof c);
	assert_int_equal(dash_config_parse(big, DASH_CONFIG_FILE_MAX + 1, "f", &c, err, sizeof err),
			 -1);
	assert_string_equal(err, "config f: over 65536 bytes");
	big[DASH_CONFIG_LINE_MAX + 1] = '\n';
	memset(&c, 0, sizeof c);
	assert_int_equal(dash_config_parse(big, DASH_CONFIG_LINE_MAX + 2, "f", &c, err, sizeof err),
			 -1);
	assert_string_equal(err, "config f:1: line over 1024 bytes");
	free(big);
	static const char nul[] = "bell = true\nbell\0 = x\n";
	memset(&c, 0, sizeof c);
	assert_int_equal(dash_config_parse(nul, sizeof nul - 1, "f", &c, err, sizeof err), -1);
	assert_string_equal(err, "config f:2: a NUL byte");
}

static void test_comments_blank_lines_and_crlf_are_fine(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	resolve_ok("# comment\r\n; also a comment\r\n\r\n   \r\n  bell   =   true  \r\n"
		   "\ttheme\t=\tmono\r\n",
		   NONE, (struct dash_cli){ 0 });
	assert_true(c.bell);
	assert_string_equal(c.theme.name, "mono");
	assert_true(c.file_found);
	assert_string_equal(c.path, cfg_path);
}

/* ---- where the file is -------------------------------------------------- */

static void test_file_is_found_by_flag_env_xdg_then_home(void **state)
{
	(void)state;
	char xdg[128], home[128], p[256], other[128];
	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	snprintf(home, sizeof home, "%s/home", tmpdir);
	snprintf(other, sizeof other, "%s/config", tmpdir);
	snprintf(p, sizeof p, "%s/xdg", tmpdir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/xdg/qldbtop", tmpdir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/xdg/qldbtop/config", tmpdir);
	write_file(p, "theme = mono\n");
	snprintf(p, sizeof p, "%s/home", tmpdir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/home/.config", tmpdir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/home/.config/qldbtop", tmpdir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/home/.config/qldbtop/config", tmpdir);
	write_file(p, "theme = high-contrast\n");
	write_file(other, "theme = default\nbell = true\n");

	const char *const BOTH[] = { "XDG_CONFIG_HOME", xdg, "HOME", home, NULL };
	const char *const HOME_ONLY[] = { "HOME", home, NULL };
	const char *const REL_XDG[] = { "XDG_CONFIG_HOME", "xdg", "HOME", home, NULL };
	const char *const ENV_PATH[] = { "QLDBTOP_CONFIG", other, "XDG_CONFIG_HOME", xdg, NULL };
	resolve_ok(NULL, BOTH, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "mono");
	resolve_ok(NULL, HOME_ONLY, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "high-contrast");
	resolve_ok(NULL, REL_XDG, (struct dash_cli){ 0 }); /* relative XDG: ignored */
	assert_string_equal(c.theme.name, "high-contrast");
	resolve_ok(NULL, ENV_PATH, (struct dash_cli){ 0 });
	assert_string_equal(c.theme.name, "default");
	assert_true(c.bell);
	/* --config over QLDBTOP_CONFIG */
	snprintf(p, sizeof p, "%s/xdg/qldbtop/config", tmpdir);
	resolve_ok(NULL, ENV_PATH, (struct dash_cli){ .config_path = p });
	assert_string_equal(c.theme.name, "mono");
	assert_false(c.bell);
}

static void test_missing_default_file_is_fine_named_one_is_not(void **state)
{
	(void)state;
	char nowhere[128], dir[128];
	snprintf(nowhere, sizeof nowhere, "%s/nowhere", tmpdir);
	snprintf(dir, sizeof dir, "%s/dir", tmpdir);
	mkdir(dir, 0700);
	const char *const XDG_EMPTY[] = { "XDG_CONFIG_HOME", nowhere, NULL };
	const char *const NO_HOME[] = { NULL };
	const char *const ENV_MISSING[] = { "QLDBTOP_CONFIG", nowhere, NULL };
	resolve_ok(NULL, XDG_EMPTY, (struct dash_cli){ 0 });
	assert_false(c.file_found);
	resolve_ok(NULL, NO_HOME, (struct dash_cli){ 0 });
	assert_false(c.file_found);

	char want[256];
	snprintf(want, sizeof want, "config %s: No such file or directory", nowhere);
	assert_int_equal(
		resolve_with(NULL, NO_HOME, (struct dash_cli){ .config_path = nowhere }, UTF8), -1);
	assert_string_equal(err, want);
	assert_int_equal(resolve_with(NULL, ENV_MISSING, (struct dash_cli){ 0 }, UTF8), -1);
	assert_string_equal(err, want);
	snprintf(want, sizeof want, "config %s: not a regular file", dir);
	assert_int_equal(resolve_with(NULL, NO_HOME, (struct dash_cli){ .config_path = dir }, UTF8),
			 -1);
	assert_string_equal(err, want);
}

static void test_unknown_theme_names_its_source(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	static const char *const ENV[] = { "QLDBTOP_THEME", "nosuch", NULL };
	static const char LIST[] = "(available: default, high-contrast, mono)";
	assert_int_equal(resolve_with(NULL, NONE, (struct dash_cli){ .theme = "nosuch" }, UTF8),
			 -1);
	assert_true(strncmp(err, "--theme: unknown theme 'nosuch' ", 32) == 0);
	assert_non_null(strstr(err, LIST));
	assert_int_equal(resolve_with(NULL, ENV, (struct dash_cli){ 0 }, UTF8), -1);
	assert_true(strncmp(err, "QLDBTOP_THEME: unknown theme 'nosuch' ", 38) == 0);
	/* a bad name in the file is not reached when the flag overrides it */
	resolve_ok("theme = nosuch\n", NONE, (struct dash_cli){ .theme = "mono" });
	assert_string_equal(c.theme.name, "mono");
	assert_int_equal(
		resolve_with(NULL, NONE, (struct dash_cli){ .theme = "../../etc/passwd" }, UTF8),
		-1);
	assert_non_null(strstr(err, LIST));
}

/* The file's keys reach the keymap; an unknown action or a key another
 * action keeps is the file's error, with its line. */
static void test_keys_are_handed_to_the_keymap(void **state)
{
	(void)state;
	static const char *const NONE[] = { NULL };
	char text[64];
	keymap_reset();
	resolve_ok("bell = true\nkey.refresh = F7\n", NONE, (struct dash_cli){ 0 });
	assert_int_equal(dash_config_apply_keys(&c, err, sizeof err), 0);
	assert_int_equal(keymap_lookup(KEY_F(7)), ACTION_REFRESH);
	keymap_keys_text(ACTION_REFRESH, text, sizeof text);
	assert_string_equal(text, "F7"); /* the built-in keys are replaced */
	keymap_reset();

	char want[256];
	resolve_ok("\nkey.frobnicate = x\n", NONE, (struct dash_cli){ 0 });
	assert_int_equal(dash_config_apply_keys(&c, err, sizeof err), -1);
	snprintf(want, sizeof want, "config %s:2: key.frobnicate: no action called 'frobnicate'",
		 cfg_path);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got '%s'", err);
	keymap_reset();

	/* F7 is nobody's; give it to quit, then refresh takes quit's old key */
	int qkey = -1;
	for (int k = '!'; k < 0x7f && qkey < 0; k++)
		if (keymap_lookup(k) == ACTION_QUIT)
			qkey = k;
	assert_true(qkey > 0); /* quit has a plain key (q) */
	snprintf(text, sizeof text, "key.refresh = %c\n", qkey);
	resolve_ok(text, NONE, (struct dash_cli){ 0 });
	assert_int_equal(dash_config_apply_keys(&c, err, sizeof err), -1);
	snprintf(want, sizeof want, "config %s:1: key.refresh: key %c is bound to both", cfg_path,
		 qkey);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got '%s', want '%s'", err, want);
	keymap_reset();
	/* moving a key is fine in either order */
	char text2[96];
	snprintf(text2, sizeof text2, "key.refresh = %c\nkey.quit = F7\n", qkey);
	resolve_ok(text2, NONE, (struct dash_cli){ 0 });
	if (dash_config_apply_keys(&c, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(keymap_lookup(qkey), ACTION_REFRESH);
	assert_int_equal(keymap_lookup(KEY_F(7)), ACTION_QUIT);
	keymap_reset();
}

static void test_set_and_get_hand_the_settings_over(void **state)
{
	(void)state;
	assert_null(dash_config_get());
	dash_config_set(&c);
	assert_ptr_equal(dash_config_get(), &c);
	dash_config_set(NULL);
	assert_null(dash_config_get());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_get_hand_the_settings_over),
		cmocka_unit_test(test_defaults_without_any_file),
		cmocka_unit_test(test_theme_cli_over_env_over_file_over_default),
		cmocka_unit_test(test_interval_cli_over_file_over_default),
		cmocka_unit_test(test_mouse_default_is_off_over_ssh_and_file_and_flag_win),
		cmocka_unit_test(test_ascii_is_a_function_of_the_codeset),
		cmocka_unit_test(test_ascii_flag_over_file_over_locale),
		cmocka_unit_test(test_no_color_flag_and_env_over_file),
		cmocka_unit_test(test_bell_comes_from_the_file),
		cmocka_unit_test(test_readonly_global_per_profile_and_forced),
		cmocka_unit_test(test_key_bindings_are_stored_in_order),
		cmocka_unit_test(test_key_specs_map_to_curses_codes),
		cmocka_unit_test(test_every_error_names_file_line_and_key),
		cmocka_unit_test(test_long_values_are_cut_in_messages),
		cmocka_unit_test(test_oversized_files_and_lines_are_refused),
		cmocka_unit_test(test_comments_blank_lines_and_crlf_are_fine),
		cmocka_unit_test(test_file_is_found_by_flag_env_xdg_then_home),
		cmocka_unit_test(test_missing_default_file_is_fine_named_one_is_not),
		cmocka_unit_test(test_unknown_theme_names_its_source),
		cmocka_unit_test(test_keys_are_handed_to_the_keymap),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
