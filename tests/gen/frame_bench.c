/*
 * frame_bench.c - the time to draw one dashboard frame with 1,000-row
 * tables (issue 12's goal: <= 2 ms): the Streams and Exports panes, each
 * with N items in the store, drawn by the real pane code into a 100x30
 * window of a terminal opened on /dev/null, then flushed (wnoutrefresh +
 * doupdate), FRAMES times; prints the mean and worst milliseconds per
 * frame, the line the bench table reads:
 *   frame_bench: 1000 rows, 200 frames: mean 0.41 ms, max 0.90 ms
 * Usage: frame_bench [ROWS [FRAMES]]
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/qldb_streams.h"
#include "api/resource.h"
#include "api/store.h"
#include "tui/pane.h"
#include "tui/theme.h"
#include "tui/ui.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void streams_free(void *p)
{
	qldb_stream_list_free(p);
	free(p);
}

static void exports_free(void *p)
{
	qldb_export_list_free(p);
	free(p);
}

int main(int argc, char **argv)
{
	size_t rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	int frames = argc > 2 ? atoi(argv[2]) : 200;
	if (rows == 0 || frames <= 0) {
		fprintf(stderr, "usage: frame_bench [ROWS [FRAMES]]\n");
		return 2;
	}
	struct store *st = store_new();
	struct resource_ledger_list *ll = calloc(1, sizeof *ll);
	struct qldb_stream_list *sl = calloc(1, sizeof *sl);
	struct qldb_export_list *xl = calloc(1, sizeof *xl);
	if (!st || !ll || !sl || !xl)
		return 2;
	sl->items = calloc(rows, sizeof *sl->items);
	xl->items = calloc(rows, sizeof *xl->items);
	if (!sl->items || !xl->items)
		return 2;
	snprintf(ll->items[0].name, sizeof ll->items[0].name, "financial-ledger");
	ll->n = 1;
	for (size_t i = 0; i < rows; i++) {
		struct qldb_journal_stream *s = &sl->items[i];
		snprintf(s->stream_name, sizeof s->stream_name, "stream-%05zu", i);
		snprintf(s->stream_id, sizeof s->stream_id, "S%021zu", i);
		snprintf(s->status, sizeof s->status, "%s", i % 7 ? "ACTIVE" : "IMPAIRED");
		struct qldb_journal_export *x = &xl->items[i];
		snprintf(x->export_id, sizeof x->export_id, "X%021zu", i);
		snprintf(x->status, sizeof x->status, "%s", i % 5 ? "COMPLETED" : "IN_PROGRESS");
		snprintf(x->bucket, sizeof x->bucket, "financial-ledger-exports");
		snprintf(x->prefix, sizeof x->prefix, "run-%zu/", i);
		x->created = 1.7e9 + (double)i;
	}
	sl->n = xl->n = rows;
	store_publish(st, "", STORE_LEDGER_LIST, ll, NULL);
	store_publish(st, "financial-ledger", STORE_STREAMS, sl, streams_free);
	store_publish(st, "financial-ledger", STORE_EXPORTS, xl, exports_free);

	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = out && in ? newterm("xterm-256color", out, in) : NULL;
	if (!scr) {
		fprintf(stderr, "frame_bench: cannot open a terminal on /dev/null\n");
		return 2;
	}
	theme_init(true);
	WINDOW *w = newwin(30, 100, 0, 0);
	struct ui u;
	struct ui_settings set = { .interval_s = 5, .where = "bench" };
	if (!w || ui_init(&u, &set, st, NULL, PANE_TABLE, PANE_TABLE_N))
		return 2;
	ui_data_refresh(&u);
	const struct pane_ops *panes[] = { &PANE_STREAMS, &PANE_EXPORTS };
	double sum = 0, worst = 0;
	for (int f = 0; f < frames; f++) {
		size_t k = (size_t)f % 2, idx = k + 1; /* PANE_TABLE order: 1 streams, 2 exports */
		double t0 = now_ms();
		panes[k]->draw(w, u.pane_state[idx], &u);
		wnoutrefresh(w);
		doupdate();
		double dt = now_ms() - t0;
		sum += dt;
		if (dt > worst)
			worst = dt;
		/* move the selection, as a user scrolling the table does */
		panes[k]->action(u.pane_state[idx], ACTION_DOWN, &u);
	}
	ui_free(&u);
	delwin(w);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	store_free(st);
	printf("frame_bench: %zu rows, %d frames: mean %.2f ms, max %.2f ms\n", rows, frames,
	       sum / frames, worst);
	return 0;
}
