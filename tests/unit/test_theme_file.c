/*
 * test_theme_file.c - themes as files (tui/theme_file.c, tui/theme.c):
 * the three shipped themes load with every role, the default file says
 * what the built-in theme says, the format's words mean the curses
 * attributes and colours they name, and every bad line is refused with
 * one line naming file and line. Run from the repository root (the
 * shipped themes are read from assets/themes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/theme.h"
#include "tui/theme_file.h"

#define THEMES_DIR "assets/themes"
#define ERR_CAP 512

static const char *const SHIPPED[] = { "default", "mono", "high-contrast" };

/* The role names as the format documents them, in enum order. */
static const char *const ROLE_WORDS[THEME_ROLE_COUNT] = {
	"normal", "border",	"title", "key", "good",	   "warn",
	"bad",	  "unverified", "dim",	 "bar", "bar_key",
};

/* A complete, valid theme text; tests break one line of it. */
static const char GOOD[] = "# comment\n"
			   "normal default default normal normal\n"
			   "border blue default normal normal\n"
			   "title cyan default bold bold\n"
			   "key default default dim normal\n"
			   "\n"
			   "good green default bold bold\n"
			   "warn yellow default bold underline\n"
			   "bad red default bold bold+reverse\n"
			   "unverified yellow default normal underline\n"
			   "dim default default dim dim\n"
			   "bar black cyan normal reverse\n"
			   "bar_key black cyan bold reverse+bold\n";

static int parse(const char *text, struct theme_def *t, char *err)
{
	return theme_file_parse(text, strlen(text), "t.theme", t, err, ERR_CAP);
}

static void assert_one_line(const char *err)
{
	assert_true(err[0] != '\0');
	assert_null(strchr(err, '\n'));
}

static void test_every_shipped_theme_loads_with_every_role(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof SHIPPED / sizeof SHIPPED[0]; i++) {
		char path[256], err[ERR_CAP] = "";
		struct theme_def t;
		snprintf(path, sizeof path, THEMES_DIR "/%s", SHIPPED[i]);
		if (theme_file_load(path, &t, err, sizeof err) != 0)
			fail_msg("%s: %s", path, err);
		/* and by name, through the folder */
		assert_int_equal(theme_file_find(SHIPPED[i], THEMES_DIR, &t, err, sizeof err), 0);
		assert_string_equal(t.name, SHIPPED[i]);
	}
}

static void test_the_default_file_is_the_builtin_theme(void **state)
{
	(void)state;
	struct theme_def t;
	char err[ERR_CAP];
	assert_int_equal(theme_file_load(THEMES_DIR "/default", &t, err, sizeof err), 0);
	const struct theme_def *b = theme_builtin();
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		assert_int_equal(t.role[r].fg, b->role[r].fg);
		assert_int_equal(t.role[r].bg, b->role[r].bg);
		assert_int_equal(t.role[r].color, b->role[r].color);
		assert_int_equal(t.role[r].mono, b->role[r].mono);
	}
	/* and the built-in one is what theme.c always drew (spot checks
	 * written from the old table, not from the code) */
	assert_int_equal(b->role[THEME_BAD].fg, COLOR_RED);
	assert_int_equal(b->role[THEME_BAD].mono, A_BOLD | A_REVERSE);
	assert_int_equal(b->role[THEME_BAR].bg, COLOR_CYAN);
	assert_int_equal(b->role[THEME_NORMAL].fg, -1);
}

static void test_mono_uses_no_colour_and_high_contrast_fills_failures(void **state)
{
	(void)state;
	struct theme_def t;
	char err[ERR_CAP];
	assert_int_equal(theme_file_find("mono", THEMES_DIR, &t, err, sizeof err), 0);
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		assert_int_equal(t.role[r].fg, -1);
		assert_int_equal(t.role[r].bg, -1);
		assert_int_equal(t.role[r].color, t.role[r].mono);
	}
	assert_int_equal(theme_file_find("high-contrast", THEMES_DIR, &t, err, sizeof err), 0);
	assert_int_equal(t.role[THEME_BAD].bg, COLOR_RED);
	assert_int_equal(t.role[THEME_BAD].mono, A_BOLD | A_REVERSE);
}

/* Meaning never by colour alone: in every shipped theme, failures and
 * warnings look different from normal text without colour. */
static void test_shipped_mono_column_sets_failures_apart(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof SHIPPED / sizeof SHIPPED[0]; i++) {
		struct theme_def t;
		char err[ERR_CAP];
		assert_int_equal(theme_file_find(SHIPPED[i], THEMES_DIR, &t, err, sizeof err), 0);
		attr_t normal = t.role[THEME_NORMAL].mono;
		assert_true(t.role[THEME_BAD].mono != normal);
		assert_true(t.role[THEME_WARN].mono != normal);
		assert_true(t.role[THEME_UNVERIFIED].mono != normal);
		assert_true(t.role[THEME_BAR].mono != normal);
	}
}

static void test_words_mean_the_curses_values(void **state)
{
	(void)state;
	struct theme_def t;
	char err[ERR_CAP];
	char text[sizeof GOOD + 200];
	/* replace the bad line with every colour and attribute word */
	static const struct {
		const char *line;
		short fg, bg;
		attr_t color, mono;
	} CASES[] = {
		{ "bad black white standout dim", COLOR_BLACK, COLOR_WHITE, A_STANDOUT, A_DIM },
		{ "bad magenta green underline+bold standout", COLOR_MAGENTA, COLOR_GREEN,
		  A_UNDERLINE | A_BOLD, A_STANDOUT },
		{ "bad yellow blue normal reverse", COLOR_YELLOW, COLOR_BLUE, A_NORMAL, A_REVERSE },
		{ "bad cyan red bold+dim+reverse normal", COLOR_CYAN, COLOR_RED,
		  A_BOLD | A_DIM | A_REVERSE, A_NORMAL },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		const char *at = strstr(GOOD, "bad red");
		const char *eol = strchr(at, '\n');
		snprintf(text, sizeof text, "%.*s%s%s", (int)(at - GOOD), GOOD, CASES[i].line, eol);
		if (parse(text, &t, err))
			fail_msg("%s: %s", CASES[i].line, err);
		assert_int_equal(t.role[THEME_BAD].fg, CASES[i].fg);
		assert_int_equal(t.role[THEME_BAD].bg, CASES[i].bg);
		assert_int_equal(t.role[THEME_BAD].color, CASES[i].color);
		assert_int_equal(t.role[THEME_BAD].mono, CASES[i].mono);
	}
}

static void test_role_names_are_the_documented_words(void **state)
{
	(void)state;
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		assert_string_equal(theme_role_name((enum theme_role)r), ROLE_WORDS[r]);
		assert_int_equal(theme_role_from_name(ROLE_WORDS[r]), r);
	}
	assert_null(theme_role_name(THEME_ROLE_COUNT));
	assert_int_equal(theme_role_from_name("BAD"), -1);
	assert_int_equal(theme_role_from_name("bar-key"), -1);
	assert_int_equal(theme_role_from_name(NULL), -1);
}

/* Every role is needed: dropping any one line names that role. */
static void test_a_missing_role_is_an_error_naming_it(void **state)
{
	(void)state;
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		char text[sizeof GOOD], want[64], err[ERR_CAP];
		struct theme_def t;
		size_t n = 0;
		size_t wl = strlen(ROLE_WORDS[r]);
		for (const char *p = GOOD; *p;) {
			const char *eol = strchr(p, '\n');
			size_t len = (size_t)(eol - p) + 1;
			if (!(strncmp(p, ROLE_WORDS[r], wl) == 0 && p[wl] == ' ')) {
				memcpy(text + n, p, len);
				n += len;
			}
			p += len;
		}
		text[n] = '\0';
		assert_int_equal(parse(text, &t, err), -1);
		assert_one_line(err);
		snprintf(want, sizeof want, "t.theme: role '%s' is missing", ROLE_WORDS[r]);
		if (!strstr(err, want))
			fail_msg("dropping %s: %s", ROLE_WORDS[r], err);
	}
	char err[ERR_CAP];
	struct theme_def t;
	assert_int_equal(parse("", &t, err), -1);
	assert_non_null(strstr(err, "role 'normal' is missing"));
}

static void test_bad_lines_are_refused_naming_file_and_line(void **state)
{
	(void)state;
	static const struct {
		const char *bad_line, *want;
	} CASES[] = {
		{ "bad red default bold",
		  "t.theme:9: expected 'role fg bg attrs mono-attrs', got 4" },
		{ "bad red default bold bold x",
		  "t.theme:9: expected 'role fg bg attrs mono-attrs'" },
		{ "bda red default bold bold", "t.theme:9: unknown role 'bda'" },
		{ "BAD red default bold bold", "t.theme:9: unknown role 'BAD'" },
		{ "bad rouge default bold bold",
		  "t.theme:9: bad: unknown foreground colour 'rouge'" },
		{ "bad red Default bold bold",
		  "t.theme:9: bad: unknown background colour 'Default'" },
		{ "bad red default blink bold", "t.theme:9: bad: unknown attribute 'blink'" },
		{ "bad red default bold bold+", "t.theme:9: bad: unknown attribute 'bold+'" },
		{ "bad red default +bold bold", "t.theme:9: bad: unknown attribute '+bold'" },
		{ "bad red default bold bold++reverse", "t.theme:9: bad: unknown attribute" },
		{ "good red default bold bold", "t.theme:9: role 'good' given twice" },
		{ "bad 1 default bold bold", "t.theme:9: bad: unknown foreground colour '1'" },
		{ "bad red default bold bold\x1b[2J",
		  "t.theme:9: bad: unknown attribute 'bold?[2J'" },
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		char text[sizeof GOOD + 100], err[ERR_CAP] = "";
		struct theme_def t;
		const char *at = strstr(GOOD, "bad red");
		const char *eol = strchr(at, '\n');
		snprintf(text, sizeof text, "%.*s%s%s", (int)(at - GOOD), GOOD, CASES[i].bad_line,
			 eol);
		if (parse(text, &t, err) != -1)
			fail_msg("'%s' was accepted", CASES[i].bad_line);
		assert_one_line(err);
		if (!strstr(err, CASES[i].want))
			fail_msg("'%s': got '%s', want '%s'", CASES[i].bad_line, err,
				 CASES[i].want);
		assert_null(strchr(err, '\x1b'));
	}
	/* the good text itself passes (so the cases above fail for their line) */
	char err[ERR_CAP];
	struct theme_def t;
	assert_int_equal(parse(GOOD, &t, err), 0);
}

static void test_oversized_input_is_refused(void **state)
{
	(void)state;
	char err[ERR_CAP];
	struct theme_def t;
	char *big = malloc(THEME_FILE_MAX + 2);
	assert_non_null(big);
	memset(big, '#', THEME_FILE_MAX + 1);
	big[THEME_FILE_MAX + 1] = '\0';
	assert_int_equal(theme_file_parse(big, THEME_FILE_MAX + 1, "big", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "big: over"));
	free(big);
	char line[THEME_LINE_MAX + 10];
	memset(line, '#', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	assert_int_equal(parse(line, &t, err), -1);
	assert_non_null(strstr(err, "t.theme:1: line over"));
	static const char nul[] = "# a\nnormal default\0default normal normal\n";
	assert_int_equal(theme_file_parse(nul, sizeof nul - 1, "n", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "n:2: a NUL byte"));
}

static void test_crlf_lines_and_tabs_are_accepted(void **state)
{
	(void)state;
	char text[sizeof GOOD * 2], err[ERR_CAP];
	size_t n = 0;
	for (const char *p = GOOD; *p; p++) {
		if (*p == '\n')
			text[n++] = '\r';
		text[n++] = *p == ' ' ? '\t' : *p;
	}
	text[n] = '\0';
	struct theme_def t;
	if (parse(text, &t, err))
		fail_msg("%s", err);
	assert_int_equal(t.role[THEME_BAR_KEY].mono, A_REVERSE | A_BOLD);
}

static void test_unknown_names_list_the_available_themes(void **state)
{
	(void)state;
	char err[ERR_CAP];
	struct theme_def t;
	static const char *const BAD[] = { "nosuch", "../themes/mono", "Mono",
					   "",	     "mono/",	       "/etc/passwd" };
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		assert_int_equal(theme_file_find(BAD[i], THEMES_DIR, &t, err, sizeof err), -1);
		assert_non_null(strstr(err, "unknown theme '"));
		assert_non_null(strstr(err, "(available: default, high-contrast, mono)"));
		assert_one_line(err);
	}
	char list[256];
	assert_int_equal(theme_file_list(THEMES_DIR, list, sizeof list), 3);
	assert_string_equal(list, "default, high-contrast, mono");
}

/* An installed program without its assets still has the default theme,
 * and only that one. */
static void test_default_falls_back_to_builtin_without_assets(void **state)
{
	(void)state;
	char err[ERR_CAP];
	struct theme_def t;
	assert_int_equal(theme_file_find("default", "/nonexistent/themes", &t, err, sizeof err), 0);
	assert_memory_equal(&t, theme_builtin(), sizeof t);
	assert_int_equal(theme_file_find("mono", "/nonexistent/themes", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "(available: default)"));
}

/* A broken theme file is its error, not "unknown". */
static void test_a_broken_theme_file_names_its_line(void **state)
{
	(void)state;
	char dir[] = "/tmp/qldbtop-theme-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], err[ERR_CAP];
	snprintf(path, sizeof path, "%s/broken", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("normal default default normal\n", f);
	fclose(f);
	struct theme_def t;
	assert_int_equal(theme_file_find("broken", dir, &t, err, sizeof err), -1);
	char want[160];
	snprintf(want, sizeof want, "%s:1: expected", path);
	assert_non_null(strstr(err, want));
	assert_int_equal(theme_file_load("/nonexistent/x", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/x: No such file"));
	unlink(path);
	rmdir(dir);
}

/* theme_init draws with the selected theme; without colour it takes the
 * monochrome column (no terminal needed: no curses call then). */
static void test_theme_init_uses_the_selected_theme(void **state)
{
	(void)state;
	struct theme_def t;
	char err[ERR_CAP];
	const char *at = strstr(GOOD, "bad red");
	const char *eol = strchr(at, '\n');
	char text[sizeof GOOD + 64];
	snprintf(text, sizeof text, "%.*s%s%s", (int)(at - GOOD), GOOD,
		 "bad red default bold underline+standout", eol);
	assert_int_equal(parse(text, &t, err), 0);
	theme_select(&t);
	memset(&t, 0, sizeof t); /* theme_select copied it */
	theme_init(false);
	assert_int_equal(theme_attr(THEME_BAD), A_UNDERLINE | A_STANDOUT);
	assert_int_equal(theme_attr(THEME_BAR_KEY), A_REVERSE | A_BOLD);
	theme_select(NULL);
	theme_init(false);
	assert_int_equal(theme_attr(THEME_BAD), A_BOLD | A_REVERSE);
	assert_int_equal(theme_attr(THEME_WARN), A_UNDERLINE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_shipped_theme_loads_with_every_role),
		cmocka_unit_test(test_the_default_file_is_the_builtin_theme),
		cmocka_unit_test(test_mono_uses_no_colour_and_high_contrast_fills_failures),
		cmocka_unit_test(test_shipped_mono_column_sets_failures_apart),
		cmocka_unit_test(test_words_mean_the_curses_values),
		cmocka_unit_test(test_role_names_are_the_documented_words),
		cmocka_unit_test(test_a_missing_role_is_an_error_naming_it),
		cmocka_unit_test(test_bad_lines_are_refused_naming_file_and_line),
		cmocka_unit_test(test_oversized_input_is_refused),
		cmocka_unit_test(test_crlf_lines_and_tabs_are_accepted),
		cmocka_unit_test(test_unknown_names_list_the_available_themes),
		cmocka_unit_test(test_default_falls_back_to_builtin_without_assets),
		cmocka_unit_test(test_a_broken_theme_file_names_its_line),
		cmocka_unit_test(test_theme_init_uses_the_selected_theme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
