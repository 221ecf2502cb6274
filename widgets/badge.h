/*
 * badge.h - a status word, "[FAILED]" in brackets or " FAILED " in
 * reverse video, in the attributes the caller chose for its role. The word
 * is always drawn, so meaning never rests on colour alone: when the room
 * is short the brackets or padding go first, then the word is cut (its
 * start kept).
 * Ownership: borrows the word for the call; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_BADGE_H
#define QLDBTOP_WIDGETS_BADGE_H

#include <curses.h>
#include <stdbool.h>

enum badge_kind {
	BADGE_BRACKETS, /* [VERIFIED] in attr */
	BADGE_REVERSE,	/* " VERIFIED " in attr | A_REVERSE */
};

/* Cells the badge takes with its decoration. Pure. */
int badge_width(const char *word, enum badge_kind kind);

/* Draw the badge at (y, x) within cols cells; returns the cells drawn. */
int badge_draw(WINDOW *w, int y, int x, int cols, const char *word, enum badge_kind kind,
	       attr_t attr, bool ascii);

#endif
