/* view_common.c - freshness words, time formats, pane frames and rows (see
 * view_common.h). */
#include "tui/view_common.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "api/poller.h"
#include "api/resource.h"

void view_format_age(double secs, char *buf, size_t cap)
{
	long s = secs < 0 ? 0 : (long)floor(secs);
	if (s < 60)
		snprintf(buf, cap, "%lds", s);
	else if (s < 3600)
		snprintf(buf, cap, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, cap, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
	else
		snprintf(buf, cap, "%ldd%02ldh", s / 86400, (s % 86400) / 3600);
}

void view_format_time(double epoch, char *buf, size_t cap)
{
	time_t t = (time_t)floor(epoch);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, cap, "(time out of range)");
}

void view_freshness(const struct store_entry *e, const struct view_ctx *c, char *buf, size_t cap,
		    enum theme_role *role)
{
	char age[32];
	if (!e->present) {
		snprintf(buf, cap, "waiting for first poll...");
		*role = THEME_DIM;
		return;
	}
	if (e->error_status == API_ERR_NOT_READY && e->error[0]) {
		/* not called, by the resource's state: a wait, not a failure */
		if (e->ref) {
			view_format_age(c->now_mono - e->fetched_mono, age, sizeof age);
			snprintf(buf, cap, "last fetched %s ago; %s", age, e->error);
		} else {
			snprintf(buf, cap, "%s", e->error);
		}
		*role = THEME_WARN;
		return;
	}
	if (!e->ref) {
		char in[16] = "";
		if (e->next_attempt_mono > c->now_mono)
			view_format_age(e->next_attempt_mono - c->now_mono + 0.999, in, sizeof in);
		snprintf(buf, cap, "no data%s%s, last error: %s", in[0] ? ", next try in " : "", in,
			 e->error);
		*role = THEME_BAD;
		return;
	}
	double a = c->now_mono - e->fetched_mono;
	view_format_age(a, age, sizeof age);
	/* each kind has its own interval (api/poller.h): stale after two */
	const struct resource_desc *d = resource_for_kind(e->kind);
	double interval = d ? poller_interval(d, (double)c->interval_s / POLLER_INTERVAL_UNIT_S)
			    : c->interval_s;
	char next[32] = "";
	if (e->next_attempt_mono > c->now_mono) { /* the retry countdown */
		char in[16];
		view_format_age(e->next_attempt_mono - c->now_mono + 0.999, in, sizeof in);
		snprintf(next, sizeof next, ", next try in %s", in);
	}
	if (e->error[0] && e->status == STORE_STATUS_RETRYING) {
		snprintf(buf, cap, "stale %s, retrying %u of %u%s: %s", age, e->failures,
			 e->retry_max, next, e->error);
		*role = THEME_BAD;
	} else if (e->error[0]) {
		snprintf(buf, cap, "stale %s%s, last error: %s", age, next, e->error);
		*role = THEME_BAD;
	} else if (a > 2.0 * interval + 1.0) {
		snprintf(buf, cap, "stale %s (no answer since)", age);
		*role = THEME_WARN;
	} else {
		snprintf(buf, cap, "fetched %s ago", age);
		*role = THEME_NORMAL;
	}
}

struct box_style view_box_style(const struct view_ctx *c)
{
	return (struct box_style){ .border = theme_attr(THEME_BORDER),
				   .title = theme_attr(THEME_TITLE),
				   .ascii = c->ascii };
}

struct kv_row view_row_updated(const struct store_entry *e, const struct view_ctx *c, char *txt,
			       int max_rows)
{
	enum theme_role role;
	view_freshness(e, c, txt, VIEW_TEXT_MAX, &role);
	return (struct kv_row){ "Updated", txt, theme_attr(role), max_rows };
}

void view_draw_rows(WINDOW *w, const struct kv_row *rows, size_t n)
{
	int h, wd;
	getmaxyx(w, h, wd);
	struct kvtable_area a = { .y = 1,
				  .x = 2,
				  .width = wd - 4,
				  .height = h - 2,
				  .key_width = VIEW_KEY_WIDTH,
				  .key_attr = theme_attr(THEME_KEY) };
	kvtable_draw(w, &a, rows, n);
}
