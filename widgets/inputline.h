/*
 * inputline.h - a one-line editor for the filter ("/") and command (":")
 * lines: a UTF-8 buffer with a fixed capacity and a cursor, edited by
 * curses key codes, drawn after its prompt with horizontal scrolling that
 * keeps the cursor in the field.
 *
 * Keys: printable characters insert (a UTF-8 character may arrive as
 * several bytes from getch; it is assembled and inserted whole), Left/Right
 * (Ctrl-B/Ctrl-F), Home/End (Ctrl-A/Ctrl-E), Backspace (^H, DEL), Delete
 * (Ctrl-D), Ctrl-U clears the line, Ctrl-W deletes the word before the
 * cursor, Enter accepts, Esc cancels. Only characters text.h draws as
 * themselves enter the buffer: no control bytes, no invalid UTF-8, no
 * bidi or wide characters. The buffer is always valid UTF-8 and the cursor
 * always on a character boundary.
 * Ownership: the struct is the caller's (no allocation); inputline_text
 * borrows the buffer until the next edit.
 */
#ifndef QLDBTOP_WIDGETS_INPUTLINE_H
#define QLDBTOP_WIDGETS_INPUTLINE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/* Bytes of text an input line holds, its NUL included. */
#define INPUTLINE_CAP 256

struct inputline {
	char buf[INPUTLINE_CAP];  /* NUL-terminated UTF-8 */
	size_t len;		  /* bytes in buf */
	size_t cursor;		  /* byte offset of the cursor */
	size_t first;		  /* byte offset of the first character shown */
	unsigned char pending[4]; /* a UTF-8 character arriving byte by byte */
	size_t npending, need;
};

enum inputline_result {
	INPUTLINE_IGNORED,   /* nothing changed (unknown key, full buffer) */
	INPUTLINE_CHANGED,   /* the text changed */
	INPUTLINE_MOVED,     /* only the cursor moved */
	INPUTLINE_ACCEPTED,  /* Enter */
	INPUTLINE_CANCELLED, /* Esc */
};

/* Start with text (NULL for empty), cursor at the end; characters that
 * may not enter the buffer are dropped, and the text is cut at the
 * capacity on a character boundary. */
void inputline_init(struct inputline *l, const char *text);
/* Apply one key from getch (a byte, or a KEY_* code). */
enum inputline_result inputline_key(struct inputline *l, int key);
/* The text (borrowed). */
const char *inputline_text(const struct inputline *l);

/* Draw prompt and the visible part of the text in cols cells at (y, x)
 * with attr, scrolling so the cursor shows. Returns the cursor's column
 * in w (for wmove), or -1 when the field has no room. */
int inputline_draw(WINDOW *w, int y, int x, int cols, const char *prompt, struct inputline *l,
		   attr_t attr, bool ascii);

#endif
