/* glyphs.c - the UTF-8 and ASCII glyph tables (see glyphs.h). */
#include "widgets/glyphs.h"

#include <langinfo.h>
#include <strings.h>

static const struct glyphs glyphs_utf8 = {
	.ascii = false,
	.hline = "\u2500",	  /* ─ */
	.vline = "\u2502",	  /* │ */
	.top_left = "\u250c",	  /* ┌ */
	.top_right = "\u2510",	  /* ┐ */
	.bottom_left = "\u2514",  /* └ */
	.bottom_right = "\u2518", /* ┘ */
	.tee_left = "\u251c",	  /* ├ */
	.tee_right = "\u2524",	  /* ┤ */
	.sort_up = "\u25b2",	  /* ▲ */
	.sort_down = "\u25bc",	  /* ▼ */
	.spark = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" },
	.gap = " ",
	.gauge_fill = "\u2588", /* █ */
	.gauge_empty = " ",
	.bullet = "\u2022",   /* • */
	.ellipsis = "\u2026", /* … */
	.ellipsis_cells = 1,
	.select = "\u25b6", /* ▶ */
	.check = "\u2713",  /* ✓ */
	.cross = "\u2717",  /* ✗ */
};

/* The lowest ASCII level is '_', not ' ': a zero must not look like a gap
 * (a missing value), which is drawn as a space. */
static const struct glyphs glyphs_ascii = {
	.ascii = true,
	.hline = "-",
	.vline = "|",
	.top_left = "+",
	.top_right = "+",
	.bottom_left = "+",
	.bottom_right = "+",
	.tee_left = "+",
	.tee_right = "+",
	.sort_up = "^",
	.sort_down = "v",
	.spark = { "_", ".", ":", "-", "=", "+", "*", "#" },
	.gap = " ",
	.gauge_fill = "#",
	.gauge_empty = " ",
	.bullet = "*",
	.ellipsis = "...",
	.ellipsis_cells = 3,
	.select = ">",
	.check = "+",
	.cross = "x",
};

const struct glyphs *glyphs_get(bool ascii)
{
	return ascii ? &glyphs_ascii : &glyphs_utf8;
}

bool glyphs_locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}
