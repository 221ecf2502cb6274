/*
 * view_common.h - what every pane shares: the drawing context (clock,
 * interval, glyph choice) and the words for a value's freshness, computed
 * by the UI from fetched_at so a stuck worker cannot hide its staleness:
 *   "fetched 3s ago" | "stale 45s" | "stale 45s, last error: ..." |
 *   "no data, last error: ..." | "waiting for first poll..."
 * Formatting is pure; the one drawing helper here puts a pane's key/value
 * rows inside its frame, the same way for every pane (the panes themselves
 * live in view_ledger.c/view_digest.c).
 * Ownership: callers own every buffer; a returned kv_row borrows txt.
 */
#ifndef QLDBTOP_TUI_VIEW_COMMON_H
#define QLDBTOP_TUI_VIEW_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "api/store.h"
#include "tui/theme.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

#define VIEW_TEXT_MAX 320 /* one formatted cell, errors included */
#define VIEW_KEY_WIDTH 16 /* the longest key, "Deletion prot.", and a gap */

struct view_ctx {
	double now_mono;     /* CLOCK_MONOTONIC seconds */
	unsigned interval_s; /* the poll interval, for the stale threshold */
	bool ascii;
};

/* "3s", "2m05s", "1h02m", "3d04h". */
void view_format_age(double secs, char *buf, size_t cap);
/* "2023-11-14 22:13:20 UTC" from epoch seconds. */
void view_format_time(double epoch, char *buf, size_t cap);
/* The freshness line of an entry, and its role. Stale after twice the
 * interval plus a second of slack. */
void view_freshness(const struct store_entry *e, const struct view_ctx *c, char *buf, size_t cap,
		    enum theme_role *role);
/* The "Updated" row of a pane: e's freshness, written into txt (of
 * VIEW_TEXT_MAX bytes), in its role's colour, wrapped over up to max_rows. */
struct kv_row view_row_updated(const struct store_entry *e, const struct view_ctx *c, char *txt,
			       int max_rows);
/* Draw rows inside a pane's frame, keys VIEW_KEY_WIDTH cells wide. */
void view_draw_rows(WINDOW *w, const struct kv_row *rows, size_t n);
/* Box style from the theme. */
struct box_style view_box_style(const struct view_ctx *c);

#endif
