/*
 * text.h - fitting text into terminal cells, for every widget.
 * Widgets get strings that may come from the network: they are clipped to
 * the space given, on UTF-8 character boundaries, and marked when cut.
 *
 * One rule for every widget: a string is read as a sequence of characters,
 * each drawn in exactly one cell. A valid UTF-8 character that is printable
 * and one cell wide is drawn as itself; everything else (control bytes,
 * C1 controls, invalid or overlong UTF-8, surrogates, bidi overrides,
 * zero-width, combining and double-width characters) is drawn as one '?'.
 * So a control byte from the network never reaches the terminal raw, and
 * text_cells() is exactly what text_put() draws. In ASCII mode, or when the
 * locale is not multibyte, every non-ASCII character is drawn as '?' too.
 *
 * The counting functions are pure; text_put* draw into a curses window.
 * Ownership: borrows the strings for the call; keeps nothing.
 */
#ifndef QLDBTOP_WIDGETS_TEXT_H
#define QLDBTOP_WIDGETS_TEXT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The code point reported for a byte that starts no valid character. */
#define TEXT_BAD 0xFFFFFFFFu
/* What an unsafe character is drawn as. */
#define TEXT_REPLACEMENT '?'

/* Where a string too long for its cells is cut. */
enum text_cut {
	TEXT_CUT_END,	 /* "financial-led..."                     */
	TEXT_CUT_MIDDLE, /* "arn:aws:qldb:us...ledger/x" (for ARNs) */
};

/* Decode the character at s: returns its bytes (0 at the terminating NUL)
 * and sets *cp to its code point, or TEXT_BAD for an invalid byte (then 1
 * byte is consumed). */
size_t text_next(const char *s, uint32_t *cp);
/* Whether cp is drawn as itself: printable and one cell wide. */
bool text_cp_safe(uint32_t cp);
/* Cells s takes when drawn (one per character, invalid bytes included). */
int text_cells(const char *s);
/* Bytes of s that fit in cols cells, ending on a character boundary. */
size_t text_fit(const char *s, int cols);
/* Byte offset where the last `cells` cells of s start. */
size_t text_tail(const char *s, int cells);
/* Bytes of s for the next wrapped row of cols cells: breaks after the last
 * space of the row when it is not too far back, else cuts the word. */
size_t text_wrap(const char *s, int cols);

/* Draw at most len bytes of s (clipped further to cols cells and to the
 * window's right edge) at (y, x) with attr, as the rule above says. Returns
 * the cells drawn. */
int text_put(WINDOW *w, int y, int x, int cols, const char *s, size_t len, attr_t attr, bool ascii);
/* Draw s in cols cells at (y, x), cut with `ellipsis` where `cut` says
 * when it does not fit (an ellipsis wider than the room is left out).
 * Returns the cells drawn. */
int text_put_fit(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr,
		 const char *ellipsis, enum text_cut cut, bool ascii);
/* Fill cols cells at (y, x) with spaces in attr (clipped to the window). */
void text_fill(WINDOW *w, int y, int x, int cols, attr_t attr);

#endif
