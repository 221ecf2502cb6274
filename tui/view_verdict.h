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

enum view_verdict { VERDICT_UNVERIFIED, VERDICT_VERIFIED, VERDICT_FAILED };

/* The verdict of a STORE_AUDIT entry (NULL or empty: UNVERIFIED), its
 * sentence in txt ("VERIFIED 12 checks at tip 40 (0 unverified)"), and
 * its role in *role. */
enum view_verdict view_verdict(const struct store_entry *audit, char *txt, size_t cap,
			       enum theme_role *role);
/* "VERIFIED", "FAILED", "UNVERIFIED". */
const char *view_verdict_word(enum view_verdict v);

#endif
