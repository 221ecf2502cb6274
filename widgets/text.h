/*
 * text.h - fitting text into terminal cells, for every widget.
 * Widgets get strings that may come from the network: they are clipped to
 * the space given, on UTF-8 character boundaries, and marked when cut.
 * Counting one cell per code point is right for the ASCII and Latin text
 * we show (names, enums, ARNs, base64); wide glyphs are a later concern.
 * Pure functions; no allocation.
 */
#ifndef QLDBTOP_WIDGETS_TEXT_H
#define QLDBTOP_WIDGETS_TEXT_H

#include <stddef.h>

/* Cells s would take (code points; continuation bytes do not count). */
int text_cells(const char *s);
/* Bytes of s that fit in cols cells, ending on a character boundary. */
size_t text_fit(const char *s, int cols);

#endif
