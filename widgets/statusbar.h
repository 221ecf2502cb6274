/*
 * statusbar.h - a one-line bar: key hints on the left ("q Quit  r Refresh")
 * and a message on the right, clipped so the right text wins the space it
 * needs and hints drop off whole. Used for the header and the footer.
 * curses only. Ownership: borrows; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_STATUSBAR_H
#define QLDBTOP_WIDGETS_STATUSBAR_H

#include <curses.h>
#include <stddef.h>

struct statusbar_hint {
	const char *key;   /* "q" */
	const char *label; /* "Quit" */
};

struct statusbar_style {
	attr_t bar;   /* the whole line */
	attr_t key;   /* the key of each hint */
	attr_t right; /* the right-hand message */
};

/* Fill row y of w; left may be NULL (then hints), hints may be empty. */
void statusbar_draw(WINDOW *w, int y, const char *left, const struct statusbar_hint *hints,
		    size_t n, const char *right, const struct statusbar_style *st);

#endif
