/*
 * view_verdict.h - the auditor's word on a ledger, as every pane and the
 * header say it. Never optimistic: FAILED beats everything; VERIFIED needs
 * a proven tip, verified checks and a last round that ran; anything else
 * is UNVERIFIED with the reason (DESIGN.md: soundness rule).
 * Ownership: the caller's buffer.
 */
#ifndef QLDBTOP_TUI_VIEW_VERDICT_H
#define QLDBTOP_TUI_VIEW_VERDICT_H

#include <stddef.h>

#include "api/store.h"
#include "tui/theme.h"
#include "tui/ui.h"

enum view_verdict { VERDICT_UNVERIFIED, VERDICT_VERIFIED, VERDICT_FAILED };

/* The verdict on the selected ledger (d->ledger): its STORE_AUDIT entry
 * (NULL or empty: UNVERIFIED) and the audit log in d->events, its
 * sentence in txt ("VERIFIED 12 checks at tip 40 (0 unverified)"), and
 * its role in *role. A FAILED event of the ledger in the log makes it
 * FAILED even while the entry still holds the round before: the auditor
 * emits its events during a round and the summary only at its end, so
 * for a moment the banner would say FAILED above a VERIFIED line. */
enum view_verdict view_verdict(const struct ui_data *d, char *txt, size_t cap,
			       enum theme_role *role);
/* "VERIFIED", "FAILED", "UNVERIFIED". */
const char *view_verdict_word(enum view_verdict v);

#endif
