/*
 * box.h - a framed pane with a title in its top border:
 *   +- Ledger ---------------+
 * Draws into the WINDOW it is given, which is the whole pane; content goes
 * inside (rows 1..h-2, columns 1..w-2). ASCII or the terminal's line
 * glyphs, as the caller chooses. curses only, no QLDB knowledge.
 * Ownership: borrows everything; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_BOX_H
#define QLDBTOP_WIDGETS_BOX_H

#include <curses.h>
#include <stdbool.h>

struct box_style {
	attr_t border; /* attributes of the frame */
	attr_t title;  /* attributes of the title text */
	bool ascii;    /* +-| instead of the terminal's line drawing */
};

/* Erase w and draw the frame and title; a window under 2x2 is left blank. */
void box_draw(WINDOW *w, const char *title, const struct box_style *style);

#endif
