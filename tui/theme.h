/*
 * theme.h - colour roles: what a cell means, mapped to colour attributes
 * or, in monochrome, to bold/reverse/underline. Meaning is never carried
 * by colour alone: views also write the words (STALE, UNVERIFIED, error).
 * Monochrome when --no-color, NO_COLOR (non-empty) or a terminal without
 * colours. The palette is never redefined and the background stays the
 * user's (use_default_colors).
 *
 * The table comes from a theme (struct theme_def): the built-in one below,
 * or one loaded from assets/themes/NAME (tui/theme_file.h) and chosen with
 * theme_select before theme_init. Each role has a colour (fg, bg, extra
 * attributes) and a monochrome column (attributes only), so the mono
 * rendering of every role is chosen by the theme, never derived.
 *
 * Ownership: one process-wide table, set up once on the UI thread;
 * theme_select copies the definition (the caller keeps its own).
 */
#ifndef QLDBTOP_TUI_THEME_H
#define QLDBTOP_TUI_THEME_H

#include <curses.h>
#include <stdbool.h>

enum theme_role {
	THEME_NORMAL,
	THEME_BORDER,
	THEME_TITLE,
	THEME_KEY,	  /* keys of key/value rows */
	THEME_GOOD,	  /* ACTIVE, ENABLED */
	THEME_WARN,	  /* stale, CREATING, UPDATING */
	THEME_BAD,	  /* errors, DELETING, KMS_KEY_INACCESSIBLE */
	THEME_UNVERIFIED, /* nothing proven yet */
	THEME_DIM,	  /* waiting, absent */
	THEME_BAR,	  /* header and footer */
	THEME_BAR_KEY,	  /* key names in the footer */
	THEME_ROLE_COUNT,
};

#define THEME_NAME_MAX 64 /* "high-contrast"; names are [a-z0-9_-] */

/* One role's look: fg/bg are COLOR_* or -1 (the terminal's default). */
struct theme_style {
	short fg, bg;
	attr_t color; /* extra attributes with colour */
	attr_t mono;  /* the attributes without colour (the monochrome column) */
};

struct theme_def {
	char name[THEME_NAME_MAX];
	struct theme_style role[THEME_ROLE_COUNT];
};

/* The compiled-in default theme (used when assets/themes is missing). */
const struct theme_def *theme_builtin(void);
/* Use def (copied) at the next theme_init; NULL: the built-in theme. */
void theme_select(const struct theme_def *def);
/* The lower-case name of a role ("bar_key"), or NULL when out of range. */
const char *theme_role_name(enum theme_role role);
/* The role named name, or -1. */
int theme_role_from_name(const char *name);

/* Decide colour (after initscr/newterm): false when no_color, NO_COLOR set
 * and non-empty, or the terminal has no colours. */
bool theme_wants_color(bool no_color_flag);
/* Fill the attribute table for colour or monochrome from the selected
 * theme (theme_select; the built-in one by default). */
void theme_init(bool color);
attr_t theme_attr(enum theme_role role);
/* The role of a state word (ACTIVE -> GOOD, ...); NORMAL when unknown. */
enum theme_role theme_role_for_state(const char *word);

#endif
