/* view_verdict.c - the auditor's word on a ledger (see view_verdict.h). */
#include "tui/view_verdict.h"

#include <inttypes.h>
#include <stdio.h>

#include "api/auditor.h"

const char *view_verdict_word(enum view_verdict v)
{
	static const char *const WORDS[] = { "UNVERIFIED", "VERIFIED", "FAILED" };
	return WORDS[v];
}

enum view_verdict view_verdict(const struct store_entry *audit, char *txt, size_t cap,
			       enum theme_role *role)
{
	const struct audit_summary *a = audit ? audit->data : NULL;
	*role = THEME_UNVERIFIED;
	if (!a) {
		snprintf(txt, cap, "UNVERIFIED (%s)",
			 audit && audit->error[0] ? audit->error : "not audited yet");
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
