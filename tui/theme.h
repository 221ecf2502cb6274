/*
 * theme.h - colour roles: what a cell means, mapped to colour attributes
 * or, in monochrome, to bold/reverse/underline. Meaning is never carried
 * by colour alone: views also write the words (STALE, UNVERIFIED, error).
 * Monochrome when --no-color, NO_COLOR (non-empty) or a terminal without
 * colours. The palette is never redefined and the background stays the
 * user's (use_default_colors).
 * Ownership: one process-wide table, set up once on the UI thread.
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

/* Decide colour (after initscr/newterm): false when no_color, NO_COLOR set
 * and non-empty, or the terminal has no colours. */
bool theme_wants_color(bool no_color_flag);
/* Fill the attribute table for colour or monochrome. */
void theme_init(bool color);
attr_t theme_attr(enum theme_role role);
/* The role of a state word (ACTIVE -> GOOD, ...); NORMAL when unknown. */
enum theme_role theme_role_for_state(const char *word);

#endif
