/*
 * glyphs.h - the one table of glyphs every widget draws with, in a UTF-8
 * and an ASCII variant, chosen by a bool: `--ascii`, or automatically when
 * the locale is not UTF-8 (glyphs_locale_is_utf8). Nothing in the ASCII
 * table has a byte >= 0x80, so an ASCII screen stays ASCII; nothing in
 * either table needs a special font. Each glyph is one cell (the ellipsis
 * excepted: "..." is three, see ellipsis_cells).
 * Ownership: the tables are static and constant; pointers stay valid for
 * the life of the process.
 */
#ifndef QLDBTOP_WIDGETS_GLYPHS_H
#define QLDBTOP_WIDGETS_GLYPHS_H

#include <stdbool.h>

/* Levels of the sparkline ramp, lowest first. */
#define GLYPHS_SPARK_LEVELS 8

struct glyphs {
	bool ascii; /* this is the ASCII table: widgets draw data non-ASCII as '?' */
	/* frame parts */
	const char *hline, *vline;
	const char *top_left, *top_right, *bottom_left, *bottom_right;
	const char *tee_left, *tee_right; /* ├ and ┤: a rule meeting a frame */
	/* sort direction on a table header */
	const char *sort_up, *sort_down;
	/* sparkline ramp, lowest to highest; a gap (no value) is gap */
	const char *spark[GLYPHS_SPARK_LEVELS];
	const char *gap;
	/* gauge */
	const char *gauge_fill, *gauge_empty;
	/* marks */
	const char *bullet;
	const char *ellipsis;
	int ellipsis_cells;
	const char *select; /* before the selected row */
	const char *check, *cross;
};

/* The ASCII table when ascii, else the UTF-8 table. */
const struct glyphs *glyphs_get(bool ascii);
/* Whether the current LC_CTYPE codeset is UTF-8 (nl_langinfo(CODESET));
 * call after setlocale. The caller picks glyphs_get(!glyphs_locale_is_utf8()
 * || ascii_flag). */
bool glyphs_locale_is_utf8(void);

#endif
