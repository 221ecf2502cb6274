/*
 * pane_jobs.h - the panes' on-demand actions, each a job (api/jobs.h)
 * that runs off the UI thread: prove the digest, check a block, verify an
 * export, start an export or a stream like the selected one, cancel a
 * stream. Mutating ones ask first (state_confirm.c); app.c has already
 * refused them under --readonly (ui_may_mutate).
 * Ownership: nothing kept; the views read the jobs list from ui->data.
 */
#ifndef QLDBTOP_TUI_PANE_JOBS_H
#define QLDBTOP_TUI_PANE_JOBS_H

#include <stdint.h>

#include "api/jobs.h"
#include "tui/ui.h"
#include "tui/ui_state.h"

/* The digest's proof for the selected ledger, in a live view. */
unsigned pane_jobs_digest_proof(struct ui *u);
/* Block seq's checks and proof, in a live view after the preface lines. */
unsigned pane_jobs_block(struct ui *u, int64_t seq, const struct drill_line *preface,
			 size_t n_preface);
/* Verify export x of the selected ledger, in a live view. */
unsigned pane_jobs_verify_export(struct ui *u, const struct qldb_journal_export *x);
/* Ask, then start an export like x (NULL: refused, naming why). */
unsigned pane_jobs_export_like(struct ui *u, const struct qldb_journal_export *x);
/* Ask, then cancel s (when live) or start a stream like it. */
unsigned pane_jobs_stream(struct ui *u, const struct qldb_journal_stream *s);

#endif
