/*
 * theme.c - the colour-role table with its monochrome column (see theme.h):
 * the built-in theme, the selected one, and the attributes curses uses.
 */
#include "tui/theme.h"

#include <stdlib.h>
#include <string.h>

/* The built-in theme; assets/themes/default repeats it (a unit test
 * checks that they agree). */
static const struct theme_def THEME_BUILTIN = {
	.name = "default",
	.role = {
		[THEME_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
		[THEME_BORDER] = { COLOR_BLUE, -1, A_NORMAL, A_NORMAL },
		[THEME_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
		[THEME_KEY] = { -1, -1, A_DIM, A_NORMAL },
		[THEME_GOOD] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
		[THEME_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
		[THEME_BAD] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
		[THEME_UNVERIFIED] = { COLOR_YELLOW, -1, A_NORMAL, A_UNDERLINE },
		[THEME_DIM] = { -1, -1, A_DIM, A_DIM },
		[THEME_BAR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
		[THEME_BAR_KEY] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	},
};

/* Role names as theme files spell them, indexed by role. */
static const char *const ROLE_NAMES[THEME_ROLE_COUNT] = {
	[THEME_NORMAL] = "normal",   [THEME_BORDER] = "border",
	[THEME_TITLE] = "title",     [THEME_KEY] = "key",
	[THEME_GOOD] = "good",	     [THEME_WARN] = "warn",
	[THEME_BAD] = "bad",	     [THEME_UNVERIFIED] = "unverified",
	[THEME_DIM] = "dim",	     [THEME_BAR] = "bar",
	[THEME_BAR_KEY] = "bar_key",
};

/* State words and their roles; unknown words stay NORMAL. */
static const struct {
	const char *word;
	enum theme_role role;
} STATE_ROLES[] = {
	{ "ACTIVE", THEME_GOOD },
	{ "ENABLED", THEME_GOOD },
	{ "CREATING", THEME_WARN },
	{ "UPDATING", THEME_WARN },
	{ "DELETING", THEME_BAD },
	{ "DELETED", THEME_BAD },
	{ "KMS_KEY_INACCESSIBLE", THEME_BAD },
};

static attr_t theme_attrs[THEME_ROLE_COUNT];
static struct theme_def theme_selected;
static bool theme_has_selected;

const struct theme_def *theme_builtin(void)
{
	return &THEME_BUILTIN;
}

void theme_select(const struct theme_def *def)
{
	theme_has_selected = def != NULL;
	if (def)
		theme_selected = *def;
}

const char *theme_role_name(enum theme_role role)
{
	return (unsigned)role < THEME_ROLE_COUNT ? ROLE_NAMES[role] : NULL;
}

int theme_role_from_name(const char *name)
{
	for (int i = 0; name && i < THEME_ROLE_COUNT; i++)
		if (strcmp(name, ROLE_NAMES[i]) == 0)
			return i;
	return -1;
}

bool theme_wants_color(bool no_color_flag)
{
	const char *nc = getenv("NO_COLOR");
	if (no_color_flag || (nc && *nc))
		return false;
	return has_colors();
}

void theme_init(bool color)
{
	if (color) {
		start_color();
		use_default_colors();
	}
	const struct theme_def *def = theme_has_selected ? &theme_selected : &THEME_BUILTIN;
	for (int i = 0; i < THEME_ROLE_COUNT; i++) {
		const struct theme_style *t = &def->role[i];
		/* pair 0 is the terminal's own; role i uses pair i + 1 */
		if (color && (t->fg >= 0 || t->bg >= 0) && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1), t->fg, t->bg);
			theme_attrs[i] = COLOR_PAIR(i + 1) | t->color;
		} else {
			theme_attrs[i] = color ? t->color : t->mono;
		}
	}
}

attr_t theme_attr(enum theme_role role)
{
	return (unsigned)role < THEME_ROLE_COUNT ? theme_attrs[role] : A_NORMAL;
}

enum theme_role theme_role_for_state(const char *word)
{
	for (size_t i = 0; word && i < sizeof STATE_ROLES / sizeof STATE_ROLES[0]; i++)
		if (strcmp(word, STATE_ROLES[i].word) == 0)
			return STATE_ROLES[i].role;
	return THEME_NORMAL;
}
