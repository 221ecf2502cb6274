/*
 * theme.c - the colour-role table with its monochrome column (see theme.h).
 */
#include "tui/theme.h"

#include <stdlib.h>
#include <string.h>

struct theme_spec {
	enum theme_role role;
	short fg, bg; /* -1 = terminal default */
	attr_t color; /* extra attributes in colour */
	attr_t mono;  /* attributes in monochrome */
};

static const struct theme_spec THEME[THEME_ROLE_COUNT] = {
	{ THEME_NORMAL, -1, -1, A_NORMAL, A_NORMAL },
	{ THEME_BORDER, COLOR_BLUE, -1, A_NORMAL, A_NORMAL },
	{ THEME_TITLE, COLOR_CYAN, -1, A_BOLD, A_BOLD },
	{ THEME_KEY, -1, -1, A_DIM, A_NORMAL },
	{ THEME_GOOD, COLOR_GREEN, -1, A_BOLD, A_BOLD },
	{ THEME_WARN, COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE },
	{ THEME_BAD, COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
	{ THEME_UNVERIFIED, COLOR_YELLOW, -1, A_NORMAL, A_UNDERLINE },
	{ THEME_DIM, -1, -1, A_DIM, A_DIM },
	{ THEME_BAR, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	{ THEME_BAR_KEY, COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
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
	for (int i = 0; i < THEME_ROLE_COUNT; i++) {
		const struct theme_spec *t = &THEME[i];
		if (color && (t->fg >= 0 || t->bg >= 0) && i < COLOR_PAIRS) {
			init_pair((short)i, t->fg, t->bg);
			theme_attrs[t->role] = COLOR_PAIR(i) | t->color;
		} else {
			theme_attrs[t->role] = color ? t->color : t->mono;
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
