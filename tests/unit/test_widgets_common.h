/*
 * test_widgets_common.h - the off-screen terminal the widget tests draw
 * into: newterm on /dev/null in the C.UTF-8 locale, pads of a fixed size,
 * rows read back as text (mvwinnstr) and cells as chtype (mvwinch).
 * Included by each test_widgets_*.c; the helpers are static inline, so a
 * test that needs only some of them builds without unused warnings.
 */
#ifndef QLDBTOP_TEST_WIDGETS_COMMON_H
#define QLDBTOP_TEST_WIDGETS_COMMON_H

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static SCREEN *tw_screen;
static FILE *tw_out, *tw_in;

static inline int tw_setup(void **state)
{
	(void)state;
	/* the widgets draw UTF-8 only in a multibyte locale */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return -1;
	tw_out = fopen("/dev/null", "w");
	tw_in = fopen("/dev/null", "r");
	tw_screen = newterm("xterm", tw_out, tw_in);
	return tw_screen ? 0 : -1;
}

static inline int tw_teardown(void **state)
{
	(void)state;
	endwin();
	delscreen(tw_screen);
	fclose(tw_out);
	fclose(tw_in);
	return 0;
}

/* Row y of w as UTF-8 text, trailing blanks trimmed. */
static inline const char *tw_row(WINDOW *w, int y)
{
	static char buf[1024];
	int n = mvwinnstr(w, y, 0, buf, (int)sizeof buf - 1);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

/* Row y of w untrimmed (every cell). */
static inline const char *tw_row_full(WINDOW *w, int y)
{
	static char buf[1024];
	int n = mvwinnstr(w, y, 0, buf, (int)sizeof buf - 1);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* Whether any byte of every row of w is >= 0x80 or a control byte. */
static inline int tw_has_non_ascii(WINDOW *w)
{
	int h = getmaxy(w);
	for (int y = 0; y < h; y++)
		for (const unsigned char *p = (const unsigned char *)tw_row_full(w, y); *p; p++)
			if (*p >= 0x80 || *p < 0x20 || *p == 0x7f)
				return 1;
	return 0;
}

/* Attributes of cell (y, x), colour and character bits removed. */
static inline attr_t tw_attr(WINDOW *w, int y, int x)
{
	return (attr_t)(mvwinch(w, y, x) & A_ATTRIBUTES);
}

#endif
