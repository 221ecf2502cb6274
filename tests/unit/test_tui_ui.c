/*
 * test_tui_ui.c - the dashboard's model without a terminal: the key table
 * (no key bound twice, rebinding by action name, unknown actions refused,
 * names of keys), the filter (case-insensitive substring), the command
 * line (:pane, :ledger, unknown commands and missing arguments as one-line
 * messages), ledger selection following the list, the read-only check,
 * the integrity banner (raised by a FAILED audit event, kept until
 * acknowledged, raised again by the next failure, never by VERIFIED), the
 * verdict (a FAILED event in the log beats a summary still VERIFIED), the
 * state stack, and the list rows (filter, numeric sort, selection kept in
 * range). Expected values are written out here, not derived from the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/resource.h"
#include "tui/keymap.h"
#include "tui/pane.h"
#include "tui/pane_rows.h"
#include "tui/ui.h"
#include "tui/ui_state.h"
#include "tui/view_common.h"
#include "tui/view_verdict.h"
#include "api/auditor.h"

/* --- keymap -------------------------------------------------------------- */

static void test_keymap_builtin_has_no_duplicates(void **state)
{
	(void)state;
	char err[160];
	keymap_reset();
	assert_int_equal(keymap_check(err, sizeof err), 0);
	assert_int_equal(keymap_lookup('q'), ACTION_QUIT);
	assert_int_equal(keymap_lookup(KEY_F(10)), ACTION_QUIT);
	assert_int_equal(keymap_lookup('?'), ACTION_HELP);
	assert_int_equal(keymap_lookup('j'), ACTION_DOWN);
	assert_int_equal(keymap_lookup(KEY_DOWN), ACTION_DOWN);
	assert_int_equal(keymap_lookup('G'), ACTION_BOTTOM);
	assert_int_equal(keymap_lookup('1'), ACTION_PANE_1);
	assert_int_equal(keymap_lookup('4'), ACTION_PANE_4);
	assert_int_equal(keymap_lookup('/'), ACTION_FILTER);
	assert_int_equal(keymap_lookup(':'), ACTION_COMMAND);
	assert_int_equal(keymap_lookup('a'), ACTION_ACK);
	assert_int_equal(keymap_lookup('e'), ACTION_EXPORT);
	assert_int_equal(keymap_lookup('Z'), ACTION_NONE);
	/* every action has a name, help and at least one key */
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		const struct keymap_info *i = keymap_info((enum keymap_action)a);
		assert_non_null(i);
		assert_non_null(i->name);
		assert_non_null(i->help);
		assert_int_equal(keymap_by_name(i->name), a);
		char keys[64];
		keymap_keys_text((enum keymap_action)a, keys, sizeof keys);
		assert_true(keys[0] != '\0');
	}
	assert_true(keymap_info(ACTION_EXPORT)->mutating);
	assert_true(keymap_info(ACTION_STREAM)->mutating);
	assert_false(keymap_info(ACTION_VERIFY)->mutating);
	assert_false(keymap_info(ACTION_REFRESH)->mutating);
}

static void test_keymap_rebinding(void **state)
{
	(void)state;
	char err[160];
	keymap_reset();
	assert_int_equal(keymap_bind("refresh", 'R', err, sizeof err), 0);
	assert_int_equal(keymap_lookup('R'), ACTION_REFRESH);
	assert_int_equal(keymap_lookup('r'), ACTION_NONE); /* the old key is gone */
	assert_int_equal(keymap_check(err, sizeof err), 0);
	/* binding a key another action has is caught by the check */
	assert_int_equal(keymap_bind("pause", 'q', err, sizeof err), 0);
	assert_int_equal(keymap_check(err, sizeof err), -1);
	assert_non_null(strstr(err, "key q is bound to both"));
	assert_non_null(strstr(err, "quit"));
	assert_non_null(strstr(err, "pause"));
	assert_int_equal(keymap_bind("no-such-action", 'x', err, sizeof err), -1);
	assert_non_null(strstr(err, "no-such-action"));
	keymap_reset();
	assert_int_equal(keymap_lookup('r'), ACTION_REFRESH);
}

static void test_keymap_key_names(void **state)
{
	(void)state;
	char b[16];
	keymap_key_name('q', b, sizeof b);
	assert_string_equal(b, "q");
	keymap_key_name(12, b, sizeof b);
	assert_string_equal(b, "^L");
	keymap_key_name(KEY_F(10), b, sizeof b);
	assert_string_equal(b, "F10");
	keymap_key_name('\t', b, sizeof b);
	assert_string_equal(b, "Tab");
	keymap_key_name(27, b, sizeof b);
	assert_string_equal(b, "Esc");
}

/* --- the model ----------------------------------------------------------- */

struct fixture {
	struct store *store;
	struct ui ui;
};

static void publish_ledgers(struct store *s, const char *const *names, size_t n)
{
	struct resource_ledger_list *l = calloc(1, sizeof *l);
	assert_non_null(l);
	for (size_t i = 0; i < n; i++) {
		snprintf(l->items[i].name, sizeof l->items[i].name, "%s", names[i]);
		snprintf(l->items[i].state, sizeof l->items[i].state, "ACTIVE");
	}
	l->n = n;
	assert_int_equal(store_publish(s, "", STORE_LEDGER_LIST, l, NULL), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->store = store_new();
	struct ui_settings set = { .interval_s = 5, .where = "test" };
	if (!f->store || ui_init(&f->ui, &set, f->store, NULL, PANE_TABLE, PANE_TABLE_N))
		return -1;
	keymap_reset();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ui_free(&f->ui);
	store_free(f->store);
	free(f);
	return 0;
}

static void test_filter_matches_case_insensitive_substrings(void **state)
{
	struct fixture *f = *state;
	ui_set_filter(&f->ui, "");
	assert_true(ui_filter_match(&f->ui, "anything"));
	ui_set_filter(&f->ui, "LEDG");
	assert_true(ui_filter_match(&f->ui, "financial-ledger"));
	assert_false(ui_filter_match(&f->ui, "financial"));
	assert_false(ui_filter_match(&f->ui, ""));
	ui_set_filter(&f->ui, "r-x");
	assert_false(ui_filter_match(&f->ui, "ledger"));
	ui_set_filter(&f->ui, "ger");
	assert_true(ui_filter_match(&f->ui, "ledger"));
}

static void test_ledger_selection_follows_the_list(void **state)
{
	struct fixture *f = *state;
	const char *names[] = { "alpha", "beta", "gamma" };
	publish_ledgers(f->store, names, 3);
	ui_data_refresh(&f->ui);
	assert_string_equal(f->ui.data.ledger, "alpha");
	assert_int_equal(f->ui.data.ledger_count, 3);
	ui_step_ledger(&f->ui, 1);
	assert_string_equal(f->ui.data.ledger, "beta");
	ui_step_ledger(&f->ui, -1);
	ui_step_ledger(&f->ui, -1); /* wraps */
	assert_string_equal(f->ui.data.ledger, "gamma");
	/* the list reorders: the selection stays on gamma */
	const char *reordered[] = { "gamma", "alpha", "beta" };
	publish_ledgers(f->store, reordered, 3);
	ui_data_refresh(&f->ui);
	assert_string_equal(f->ui.data.ledger, "gamma");
	assert_int_equal(f->ui.data.ledger_index, 0);
	/* gamma is deleted: a ledger at the same place is selected */
	const char *fewer[] = { "alpha", "beta" };
	publish_ledgers(f->store, fewer, 2);
	ui_data_refresh(&f->ui);
	assert_string_equal(f->ui.data.ledger, "alpha");
	assert_false(ui_select_ledger(&f->ui, "gamma"));
	assert_non_null(strstr(f->ui.message, "no ledger 'gamma'"));
	assert_true(ui_select_ledger(&f->ui, "beta"));
	assert_string_equal(f->ui.data.ledger, "beta");
}

static void test_command_line(void **state)
{
	struct fixture *f = *state;
	const char *names[] = { "alpha", "beta" };
	publish_ledgers(f->store, names, 2);
	ui_data_refresh(&f->ui);
	state_command_run(&f->ui, "pane 3");
	assert_int_equal(f->ui.pane, 2);
	state_command_run(&f->ui, "  pane   digests  ");
	assert_int_equal(f->ui.pane, 3);
	state_command_run(&f->ui, "pane nosuch");
	assert_int_equal(f->ui.pane, 3);
	assert_non_null(strstr(f->ui.message, "no such pane"));
	assert_true(f->ui.message_bad);
	state_command_run(&f->ui, "ledger beta");
	assert_string_equal(f->ui.data.ledger, "beta");
	state_command_run(&f->ui, "ledger");
	assert_non_null(strstr(f->ui.message, ":ledger needs an argument"));
	state_command_run(&f->ui, "frobnicate now");
	assert_non_null(strstr(f->ui.message, ":frobnicate: unknown command"));
	state_command_run(&f->ui, "filter bet");
	assert_string_equal(f->ui.filter, "bet");
	state_command_run(&f->ui, "filter");
	assert_string_equal(f->ui.filter, "");
	state_command_run(&f->ui, "region eu-west-1"); /* no reconfigure offered */
	assert_non_null(strstr(f->ui.message, "not available"));
	assert_false(f->ui.quit);
	state_command_run(&f->ui, "quit");
	assert_true(f->ui.quit);
}

static void test_readonly_refuses_mutations(void **state)
{
	struct fixture *f = *state;
	assert_true(ui_may_mutate(&f->ui, "Start a journal export"));
	f->ui.set.readonly = true;
	assert_false(ui_may_mutate(&f->ui, "Start a journal export"));
	assert_non_null(strstr(f->ui.message, "read-only"));
	assert_non_null(strstr(f->ui.message, "Start a journal export"));
}

static void audit(struct store *s, const char *ledger, enum store_audit_result r, const char *addr)
{
	struct store_audit_event ev;
	memset(&ev, 0, sizeof ev);
	snprintf(ev.ledger, sizeof ev.ledger, "%s", ledger);
	snprintf(ev.kind, sizeof ev.kind, "block-self-check");
	snprintf(ev.block_address, sizeof ev.block_address, "%s", addr);
	snprintf(ev.expected_b64, sizeof ev.expected_b64, "AAAA");
	snprintf(ev.computed_b64, sizeof ev.computed_b64, "BBBB");
	ev.result = r;
	assert_int_equal(store_audit_append(s, &ev), 0);
}

static void test_banner_until_acknowledged(void **state)
{
	struct fixture *f = *state;
	audit(f->store, "alpha", STORE_AUDIT_VERIFIED, "{sequenceNo:1}");
	audit(f->store, "alpha", STORE_AUDIT_UNVERIFIED, "{sequenceNo:2}");
	ui_data_refresh(&f->ui);
	assert_false(f->ui.banner.active); /* only FAILED raises it */
	assert_int_equal(f->ui.data.events_n, 2);
	audit(f->store, "alpha", STORE_AUDIT_FAILED, "{sequenceNo:5}");
	ui_data_refresh(&f->ui);
	assert_true(f->ui.banner.active);
	assert_string_equal(f->ui.banner.ev.block_address, "{sequenceNo:5}");
	assert_true(f->ui.dirty & UI_DIRTY_LAYOUT);
	/* it stays: refreshes, ticks and other keys do not clear it */
	ui_data_refresh(&f->ui);
	ui_tick(&f->ui);
	ui_global_action(&f->ui, ACTION_REFRESH);
	ui_global_action(&f->ui, ACTION_PANE_NEXT);
	assert_true(f->ui.banner.active);
	ui_global_action(&f->ui, ACTION_ACK);
	assert_false(f->ui.banner.active);
	/* the next failure raises it again, with its own evidence */
	audit(f->store, "beta", STORE_AUDIT_FAILED, "{sequenceNo:9}");
	ui_data_refresh(&f->ui);
	assert_true(f->ui.banner.active);
	assert_string_equal(f->ui.banner.ev.ledger, "beta");
	assert_int_equal(f->ui.banner.failures, 1);
}

/* The auditor emits its events during a round and its summary at the end:
 * between the two, the log has the FAILED event and the summary is the
 * last round's VERIFIED. The verdict must already be FAILED (the soak once
 * caught a VERIFIED line under the INTEGRITY FAILED banner). */
static void test_verdict_failed_event_beats_lagging_summary(void **state)
{
	(void)state;
	static struct ui_data d;
	memset(&d, 0, sizeof d);
	snprintf(d.ledger, sizeof d.ledger, "alpha");
	struct audit_summary sum = { .has_tip = true, .tip_seq = 40 };
	sum.counts[AUDIT_VERIFIED] = 12;
	d.kind[STORE_AUDIT].data = &sum;
	char txt[VIEW_TEXT_MAX];
	enum theme_role role;
	assert_int_equal(view_verdict(&d, txt, sizeof txt, &role), VERDICT_VERIFIED);
	assert_string_equal(txt, "VERIFIED 12 checks at tip 40 (0 unverified)");
	assert_int_equal(role, THEME_GOOD);
	/* another ledger's failure does not touch alpha's verdict */
	d.events[d.events_n++] =
		(struct store_audit_event){ .ledger = "beta", .result = STORE_AUDIT_FAILED };
	d.events[d.events_n++] =
		(struct store_audit_event){ .ledger = "alpha", .result = STORE_AUDIT_VERIFIED };
	assert_int_equal(view_verdict(&d, txt, sizeof txt, &role), VERDICT_VERIFIED);
	/* alpha's FAILED event, the summary not yet updated */
	d.events[d.events_n++] =
		(struct store_audit_event){ .ledger = "alpha", .result = STORE_AUDIT_FAILED };
	assert_int_equal(view_verdict(&d, txt, sizeof txt, &role), VERDICT_FAILED);
	assert_string_equal(txt, "FAILED: 1 check (see the audit log, 4)");
	assert_int_equal(role, THEME_BAD);
	/* also before any summary came */
	d.kind[STORE_AUDIT].data = NULL;
	assert_int_equal(view_verdict(&d, txt, sizeof txt, &role), VERDICT_FAILED);
	/* the summary's own count, once it has it, is the one said */
	sum.counts[AUDIT_FAILED] = 3;
	d.kind[STORE_AUDIT].data = &sum;
	assert_int_equal(view_verdict(&d, txt, sizeof txt, &role), VERDICT_FAILED);
	assert_string_equal(txt, "FAILED: 3 checks (see the audit log, 4)");
	/* no ledger selected, no summary: UNVERIFIED, with the reason */
	d.ledger[0] = '\0';
	d.kind[STORE_AUDIT].data = NULL;
	assert_int_equal(view_verdict(&d, txt, sizeof txt, &role), VERDICT_UNVERIFIED);
	assert_string_equal(txt, "UNVERIFIED (not audited yet)");
}

static void test_state_stack_and_focus(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(f->ui.depth, 0);
	ui_global_action(&f->ui, ACTION_HELP);
	assert_int_equal(f->ui.depth, 1);
	assert_ptr_equal(f->ui.states[0], &STATE_HELP);
	struct state_drill_arg *d = drill_new("x > y");
	drill_add(d, THEME_BAD, "line %d", 1);
	assert_true(drill_push(&f->ui, d));
	assert_int_equal(f->ui.depth, 2);
	/* switching panes leaves every overlay */
	ui_global_action(&f->ui, ACTION_PANE_2);
	assert_int_equal(f->ui.depth, 0);
	assert_int_equal(f->ui.pane, 1);
	ui_global_action(&f->ui, ACTION_PANE_PREV);
	assert_int_equal(f->ui.pane, 0);
	ui_global_action(&f->ui, ACTION_PANE_PREV); /* wraps to the last */
	assert_int_equal(f->ui.pane, PANE_TABLE_N - 1);
	/* the stack is bounded; pushing past it frees and refuses */
	for (int i = 0; i < UI_STATES_MAX; i++)
		assert_true(drill_push(&f->ui, drill_new("d")));
	assert_false(drill_push(&f->ui, drill_new("one too many")));
	assert_int_equal(f->ui.depth, UI_STATES_MAX);
}

static void test_rows_filter_sort_and_selection(void **state)
{
	struct fixture *f = *state;
	struct pane_rows r = { 0 };
	struct view_sel s = { 0 };
	const char *names[] = { "b10", "b9", "a" };
	const char *nums[] = { "10", "9", "100" };
	ui_set_filter(&f->ui, "");
	pane_rows_begin(&r, 2);
	for (size_t i = 0; i < 3; i++) {
		struct view_cell c[2];
		pane_cell(&c[0], THEME_NORMAL, "%s", names[i]);
		pane_cell(&c[1], THEME_NORMAL, "%s", nums[i]);
		pane_rows_add(&r, &f->ui, i, c);
	}
	assert_int_equal(r.n, 3);
	s.sort = 1; /* numbers as numbers: 9 < 10 < 100 */
	pane_rows_sort(&r, &s);
	assert_string_equal(pane_rows_cell(&r, 0, 1)->text, "9");
	assert_string_equal(pane_rows_cell(&r, 1, 1)->text, "10");
	assert_string_equal(pane_rows_cell(&r, 2, 1)->text, "100");
	assert_int_equal(pane_rows_item(&r, 0), 1);
	s.sort_desc = true;
	pane_rows_sort(&r, &s);
	assert_string_equal(pane_rows_cell(&r, 0, 1)->text, "100");
	/* movement stays in range */
	assert_true(pane_rows_action(&r, &s, ACTION_BOTTOM, 2));
	assert_int_equal(s.st.selected, 2);
	assert_true(s.st.top <= s.st.selected && s.st.selected < s.st.top + 2);
	assert_true(pane_rows_action(&r, &s, ACTION_DOWN, 2));
	assert_int_equal(s.st.selected, 2);
	assert_true(pane_rows_action(&r, &s, ACTION_TOP, 2));
	assert_int_equal(s.st.selected, 0);
	assert_false(pane_rows_action(&r, &s, ACTION_QUIT, 2));
	/* the filter drops rows none of whose cells match */
	ui_set_filter(&f->ui, "B1");
	pane_rows_begin(&r, 2);
	for (size_t i = 0; i < 3; i++) {
		struct view_cell c[2];
		pane_cell(&c[0], THEME_NORMAL, "%s", names[i]);
		pane_cell(&c[1], THEME_NORMAL, "%s", nums[i]);
		pane_rows_add(&r, &f->ui, i, c);
	}
	assert_int_equal(r.n, 1);
	assert_int_equal(pane_rows_item(&r, 0), 0);
	/* the selection left past the end is clamped */
	s.st.selected = 5;
	view_sel_clamp(&s, r.n, 3);
	assert_int_equal(s.st.selected, 0);
	view_sel_clamp(&s, 0, 3);
	assert_int_equal(s.st.selected, 0);
	assert_int_equal(pane_rows_selected(&r, &s), 0);
	pane_rows_begin(&r, 2);
	assert_true(pane_rows_selected(&r, &s) == (size_t)-1);
	pane_rows_free(&r);
}

/* Build rows of (name, number) pairs, items in the given order. */
static void rows_of(struct pane_rows *r, struct ui *u, const char *const *names,
		    const char *const *nums, size_t n)
{
	pane_rows_begin(r, 2);
	for (size_t i = 0; i < n; i++) {
		struct view_cell c[2];
		pane_cell(&c[0], THEME_NORMAL, "%s", names[i]);
		pane_cell(&c[1], THEME_NORMAL, "%s", nums[i]);
		pane_rows_add(r, u, i, c);
	}
}

/* n audit-log rows of one time text, event i sorting by -i (newest first). */
static void log_rows(struct pane_rows *r, struct ui *u, int n)
{
	pane_rows_begin(r, 1);
	for (int i = 0; i < n; i++) {
		struct view_cell c;
		pane_cell(&c, THEME_NORMAL, "12:00:00");
		c.num = -(double)i;
		c.has_num = true;
		pane_rows_add(r, u, (size_t)i, &c);
	}
}

/* The selection follows its item when the rows reorder (a new lag sorts
 * a stream elsewhere, the service lists jobs in another order), so that
 * the next action lands on the row the operator chose. */
static void test_rows_selection_follows_its_item(void **state)
{
	struct fixture *f = *state;
	struct pane_rows r = { 0 };
	struct view_sel s = { .sort = 1 }; /* by the number */
	ui_set_filter(&f->ui, "");
	const char *names[] = { "alpha", "beta", "gamma" };
	const char *nums1[] = { "1", "2", "3" };
	rows_of(&r, &f->ui, names, nums1, 3);
	pane_rows_sort(&r, &s);
	assert_true(pane_rows_action(&r, &s, ACTION_DOWN, 5)); /* on beta */
	assert_string_equal(pane_rows_cell(&r, s.st.selected, 0)->text, "beta");
	/* beta's number grows: it sorts last; the selection goes with it */
	const char *nums2[] = { "1", "9", "3" };
	rows_of(&r, &f->ui, names, nums2, 3);
	pane_rows_sort(&r, &s);
	assert_int_equal(s.st.selected, 2);
	assert_int_equal(pane_rows_selected(&r, &s), 1);
	/* the service lists the items in another order: still beta */
	const char *names3[] = { "gamma", "beta", "alpha" };
	const char *nums3[] = { "0", "5", "7" };
	rows_of(&r, &f->ui, names3, nums3, 3);
	pane_rows_sort(&r, &s);
	assert_int_equal(s.st.selected, 1);
	assert_string_equal(pane_rows_cell(&r, s.st.selected, 0)->text, "beta");
	/* a new sort column: beta stays selected */
	s.sort = 0;
	pane_rows_sort(&r, &s);
	assert_string_equal(pane_rows_cell(&r, s.st.selected, 0)->text, "beta");
	assert_int_equal(s.st.selected, 1);
	/* beta gone: the place is kept (clamped) and its new row followed */
	const char *names4[] = { "alpha", "gamma" };
	rows_of(&r, &f->ui, names4, nums3, 2);
	pane_rows_sort(&r, &s);
	assert_int_equal(s.st.selected, 1);
	assert_string_equal(pane_rows_cell(&r, s.st.selected, 0)->text, "gamma");
	rows_of(&r, &f->ui, names, nums1, 3); /* gamma is followed now, not beta */
	pane_rows_sort(&r, &s);
	assert_string_equal(pane_rows_cell(&r, s.st.selected, 0)->text, "gamma");
	/* the same text with another number (the audit log's times) is another item */
	struct view_sel e = { 0 };
	/* never moved: the selection keeps its place, the top row of a
	 * newest-first log (a newer event on top is the one selected) */
	for (int n = 3; n <= 4; n++) {
		log_rows(&r, &f->ui, n);
		pane_rows_sort(&r, &e);
		assert_int_equal(e.st.selected, 0);
		assert_int_equal(pane_rows_selected(&r, &e), (size_t)n - 1);
	}
	log_rows(&r, &f->ui, 3);
	pane_rows_sort(&r, &e); /* by num: seq 2, 1, 0 */
	assert_true(pane_rows_action(&r, &e, ACTION_DOWN, 5));
	assert_int_equal(pane_rows_selected(&r, &e), 1);
	log_rows(&r, &f->ui, 4); /* a newer event on top */
	pane_rows_sort(&r, &e);
	assert_int_equal(e.st.selected, 2);
	assert_int_equal(pane_rows_selected(&r, &e), 1);
	/* two streams of one name: their own ids tell them apart */
	struct view_sel d = { .sort = 1 };
	const char *dup[] = { "feed", "feed" }, *ids[] = { "id-A", "id-B" };
	const char *lag1[] = { "1", "2" }, *lag2[] = { "9", "2" };
	for (int round = 0; round < 2; round++) {
		pane_rows_begin(&r, 2);
		for (size_t i = 0; i < 2; i++) {
			struct view_cell c[2];
			pane_cell(&c[0], THEME_NORMAL, "%s", dup[i]);
			pane_cell(&c[1], THEME_NORMAL, "%s", round ? lag2[i] : lag1[i]);
			pane_rows_add(&r, &f->ui, i, c);
			pane_rows_set_id(&r, i, ids[i]);
		}
		pane_rows_sort(&r, &d);
		if (round == 0) { /* id-A first (lag 1); the operator selects it */
			assert_true(pane_rows_action(&r, &d, ACTION_TOP, 5));
			assert_int_equal(pane_rows_selected(&r, &d), 0);
		}
	}
	/* id-A's lag grew past id-B's: it sorts second, still selected */
	assert_int_equal(d.st.selected, 1);
	assert_int_equal(pane_rows_selected(&r, &d), 0);
	/* chosen from outside the pane (the ledger ] picked): followed too */
	pane_rows_select(&r, &d, 0); /* id-B */
	d.sort_desc = true;	     /* a new order: id-A (9) first */
	pane_rows_sort(&r, &d);
	assert_int_equal(d.st.selected, 1);
	assert_int_equal(pane_rows_selected(&r, &d), 1);
	pane_rows_free(&r);
}

/* The freshness words: age, stale after twice the kind's interval,
 * the error with the retry count and the countdown to the next try. */
static void test_freshness_words(void **state)
{
	(void)state;
	char buf[VIEW_TEXT_MAX];
	enum theme_role role;
	struct view_ctx c = { .now_mono = 1000.0, .interval_s = 5 };
	struct store_entry e;
	memset(&e, 0, sizeof e);
	e.kind = STORE_DIGEST; /* 10 s at --interval 5: stale after 21 s */
	view_freshness(&e, &c, buf, sizeof buf, &role);
	assert_string_equal(buf, "waiting for first poll...");
	e.present = true;
	snprintf(e.error, sizeof e.error, "GetDigest: 503 ServiceUnavailableException");
	e.next_attempt_mono = 1003.2;
	view_freshness(&e, &c, buf, sizeof buf, &role);
	assert_string_equal(buf, "no data, next try in 4s, last error: GetDigest: 503 "
				 "ServiceUnavailableException");
	assert_int_equal(role, THEME_BAD);
	e.ref = (struct store_value *)&e; /* any value: only its presence is read */
	e.fetched_mono = 970.0;
	e.status = STORE_STATUS_RETRYING;
	e.failures = 2;
	e.retry_max = 5;
	view_freshness(&e, &c, buf, sizeof buf, &role);
	assert_string_equal(buf, "stale 30s, retrying 2 of 5, next try in 4s: GetDigest: 503 "
				 "ServiceUnavailableException");
	e.error[0] = '\0';
	e.status = STORE_STATUS_OK;
	e.next_attempt_mono = 0;
	view_freshness(&e, &c, buf, sizeof buf, &role);
	assert_string_equal(buf, "stale 30s (no answer since)");
	assert_int_equal(role, THEME_WARN);
	e.fetched_mono = 990.0;
	view_freshness(&e, &c, buf, sizeof buf, &role);
	assert_string_equal(buf, "fetched 10s ago");
	assert_int_equal(role, THEME_NORMAL);
	/* a call the ledger's state ruled out: a wait, said as such, not red */
	e.error_status = API_ERR_NOT_READY;
	snprintf(e.error, sizeof e.error, "GetDigest: not called: ledger 'a' is DELETING");
	view_freshness(&e, &c, buf, sizeof buf, &role);
	assert_string_equal(buf, "last fetched 10s ago; GetDigest: not called: ledger 'a' is "
				 "DELETING");
	assert_int_equal(role, THEME_WARN);
	e.ref = NULL;
	view_freshness(&e, &c, buf, sizeof buf, &role);
	assert_string_equal(buf, "GetDigest: not called: ledger 'a' is DELETING");
	assert_int_equal(role, THEME_WARN);
}

/* Rows are rebuilt when anything they come from changes, and only then. */
static void test_rows_cache_key(void **state)
{
	struct fixture *f = *state;
	struct pane_rows r = { 0 };
	struct view_sel s = { 0 };
	struct pane_rows_key k;
	pane_rows_key_make(&k, &f->ui, &s, 7, 0, 0);
	assert_false(pane_rows_cached(&r, &k)); /* never built */
	assert_true(pane_rows_cached(&r, &k));
	pane_rows_key_make(&k, &f->ui, &s, 8, 0, 0); /* new data */
	assert_false(pane_rows_cached(&r, &k));
	ui_set_filter(&f->ui, "x"); /* new filter */
	pane_rows_key_make(&k, &f->ui, &s, 8, 0, 0);
	assert_false(pane_rows_cached(&r, &k));
	s.sort = 1; /* another column */
	pane_rows_key_make(&k, &f->ui, &s, 8, 0, 0);
	assert_false(pane_rows_cached(&r, &k));
	pane_rows_key_make(&k, &f->ui, &s, 8, 0, 1); /* the next second */
	assert_false(pane_rows_cached(&r, &k));
	f->ui.epoch++; /* another store (:profile): same numbers, other data */
	pane_rows_key_make(&k, &f->ui, &s, 8, 0, 1);
	assert_false(pane_rows_cached(&r, &k));
	assert_true(pane_rows_cached(&r, &k));
	pane_rows_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keymap_builtin_has_no_duplicates),
		cmocka_unit_test(test_keymap_rebinding),
		cmocka_unit_test(test_keymap_key_names),
		cmocka_unit_test(test_freshness_words),
		cmocka_unit_test_setup_teardown(test_filter_matches_case_insensitive_substrings,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_selection_follows_the_list, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_command_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_refuses_mutations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_banner_until_acknowledged, setup, teardown),
		cmocka_unit_test(test_verdict_failed_event_beats_lagging_summary),
		cmocka_unit_test_setup_teardown(test_state_stack_and_focus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_filter_sort_and_selection, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rows_selection_follows_its_item, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rows_cache_key, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
