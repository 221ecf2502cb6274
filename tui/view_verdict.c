/* view_verdict.c - the auditor's word on a ledger (see view_verdict.h). */
#include "tui/view_verdict.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/auditor.h"

const char *view_verdict_word(enum view_verdict v)
{
	static const char *const WORDS[] = { "UNVERIFIED", "VERIFIED", "FAILED" };
	return WORDS[v];
}

/* FAILED events of the ledger in the UI's audit log. */
static uint64_t failed_in_log(const struct ui_data *d)
{
	uint64_t n = 0;
	for (size_t i = 0; i < d->events_n; i++)
		if (d->events[i].result == STORE_AUDIT_FAILED &&
		    strcmp(d->events[i].ledger, d->ledger) == 0)
			n++;
	return n;
}

enum view_verdict view_verdict(const struct ui_data *d, char *txt, size_t cap,
			       enum theme_role *role)
{
	const struct store_entry *audit = &d->kind[STORE_AUDIT];
	const struct audit_summary *a = audit->data;
	*role = THEME_UNVERIFIED;
	uint64_t logged = d->ledger[0] ? failed_in_log(d) : 0;
	if ((!a || !a->counts[AUDIT_FAILED]) && logged) {
		/* the round that found it has not ended yet (see the header) */
		snprintf(txt, cap, "FAILED: %" PRIu64 " check%s (see the audit log, 4)", logged,
			 logged == 1 ? "" : "s");
		*role = THEME_BAD;
		return VERDICT_FAILED;
	}
	if (!a) {
		snprintf(txt, cap, "UNVERIFIED (%s)",
			 audit->error[0] ? audit->error : "not audited yet");
		return VERDICT_UNVERIFIED;
	}
	if (a->counts[AUDIT_FAILED]) {
		snprintf(txt, cap, "FAILED: %" PRIu64 " check%s (see the audit log, 4)",
			 a->counts[AUDIT_FAILED], a->counts[AUDIT_FAILED] == 1 ? "" : "s");
		*role = THEME_BAD;
		return VERDICT_FAILED;
	}
	if (a->has_tip && a->counts[AUDIT_VERIFIED] && !audit->error[0]) {
		snprintf(txt, cap,
			 "VERIFIED %" PRIu64 " checks at tip %" PRId64 " (%" PRIu64 " unverified)",
			 a->counts[AUDIT_VERIFIED], a->tip_seq, a->counts[AUDIT_UNVERIFIED]);
		*role = THEME_GOOD;
		return VERDICT_VERIFIED;
	}
	if (audit->error[0]) /* the last round did not run: say so, not VERIFIED */
		snprintf(txt, cap, "UNVERIFIED since tip %" PRId64 " (%s)", a->tip_seq,
			 audit->error);
	else
		snprintf(txt, cap, "UNVERIFIED (%" PRIu64 " checks not proven)",
			 a->counts[AUDIT_UNVERIFIED]);
	return VERDICT_UNVERIFIED;
}
