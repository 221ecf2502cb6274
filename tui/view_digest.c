/* view_digest.c - the Digest pane (see view_digest.h). */
#include "tui/view_digest.h"

#include <inttypes.h>
#include <stdio.h>

#include "api/auditor.h"
#include "api/qldb.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

#define DIGEST_ROWS_MAX 8

/* The auditor's word on this ledger: FAILED beats everything; VERIFIED
 * needs a proven tip and verified checks. */
static struct kv_row digest_verification_row(const struct store_entry *audit, char *txt)
{
	const struct audit_summary *a = audit ? audit->data : NULL;
	if (!a) {
		snprintf(txt, VIEW_TEXT_MAX, "UNVERIFIED (%s)",
			 audit && audit->error[0] ? audit->error : "not audited yet");
		return (struct kv_row){ "Verification", txt, theme_attr(THEME_UNVERIFIED), 1 };
	}
	if (a->counts[AUDIT_FAILED]) {
		snprintf(txt, VIEW_TEXT_MAX, "FAILED: %" PRIu64 " check%s (see the audit log)",
			 a->counts[AUDIT_FAILED], a->counts[AUDIT_FAILED] == 1 ? "" : "s");
		return (struct kv_row){ "Verification", txt, theme_attr(THEME_BAD) | A_BOLD, 1 };
	}
	if (a->has_tip && a->counts[AUDIT_VERIFIED] && !audit->error[0]) {
		snprintf(txt, VIEW_TEXT_MAX,
			 "VERIFIED %" PRIu64 " checks at tip %" PRId64 " (%" PRIu64 " unverified)",
			 a->counts[AUDIT_VERIFIED], a->tip_seq, a->counts[AUDIT_UNVERIFIED]);
		return (struct kv_row){ "Verification", txt, theme_attr(THEME_GOOD), 1 };
	}
	if (audit->error[0]) { /* the last round did not run: say so, not VERIFIED */
		snprintf(txt, VIEW_TEXT_MAX, "UNVERIFIED since tip %" PRId64 " (%s)", a->tip_seq,
			 audit->error);
		return (struct kv_row){ "Verification", txt, theme_attr(THEME_UNVERIFIED), 1 };
	}
	snprintf(txt, VIEW_TEXT_MAX, "UNVERIFIED (%" PRIu64 " checks not proven)",
		 a->counts[AUDIT_UNVERIFIED]);
	return (struct kv_row){ "Verification", txt, theme_attr(THEME_UNVERIFIED), 1 };
}

void view_digest_draw(WINDOW *w, const struct view_digest_model *m, const struct view_ctx *c)
{
	struct box_style bs = view_box_style(c);
	box_draw(w, "Digest", &bs);
	struct kv_row rows[DIGEST_ROWS_MAX];
	char txt[DIGEST_ROWS_MAX][VIEW_TEXT_MAX];
	size_t n = 0;
	attr_t normal = theme_attr(THEME_NORMAL), dim = theme_attr(THEME_DIM);
	if (!m->name) {
		rows[n++] = (struct kv_row){ "Digest", "no ledger selected", dim, 1 };
	} else {
		const struct qldb_digest *d = m->entry->data;
		if (d) {
			rows[n++] = (struct kv_row){ "Digest", d->digest_b64, normal, 1 };
			rows[n++] = (struct kv_row){ "Tip address", d->tip_ion, normal, 1 };
			snprintf(txt[n], VIEW_TEXT_MAX, "%" PRIu64 " (strand %s)", d->sequence_no,
				 d->strand_id);
			rows[n] = (struct kv_row){ "Tip block", txt[n], normal, 1 };
			n++;
		} else {
			rows[n++] = (struct kv_row){ "Digest", "none yet", dim, 1 };
		}
		rows[n] = digest_verification_row(m->audit, txt[n]);
		n++;
		rows[n] = view_row_updated(m->entry, c, txt[n], 4);
		n++;
	}
	view_draw_rows(w, rows, n);
}
