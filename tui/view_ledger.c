/*
 * view_ledger.c - the Ledger pane (see view_ledger.h). Rows are built as
 * a table of key/value cells and drawn by widgets/kvtable.
 */
#include "tui/view_ledger.h"

#include <stdio.h>
#include <string.h>

#include "api/qldb.h"
#include "widgets/box.h"
#include "widgets/kvtable.h"

#define LEDGER_ROWS_MAX 10

/* Rows when no ledger is selected yet: why not. */
static size_t rows_without_ledger(const struct view_ledger_model *m, const struct view_ctx *c,
				  struct kv_row *rows, char (*txt)[VIEW_TEXT_MAX])
{
	enum theme_role role;
	const struct qldb_ledger_list *l = m->list->data;
	if (l && l->n == 0) {
		rows[0] = (struct kv_row){ "Ledgers", "none in this account and region",
					   theme_attr(THEME_WARN), 1 };
		rows[1] = view_row_updated(m->list, c, txt[0], 3);
		return 2;
	}
	view_freshness(m->list, c, txt[0], VIEW_TEXT_MAX, &role);
	rows[0] = (struct kv_row){ "Ledgers", txt[0], theme_attr(role), 6 };
	return 1;
}

void view_ledger_draw(WINDOW *w, const struct view_ledger_model *m, const struct view_ctx *c)
{
	char title[64];
	if (m->name && m->count > 1)
		snprintf(title, sizeof title, "Ledger %zu/%zu", m->index + 1, m->count);
	else
		snprintf(title, sizeof title, "Ledger");
	struct box_style bs = view_box_style(c);
	box_draw(w, title, &bs);

	struct kv_row rows[LEDGER_ROWS_MAX];
	char txt[LEDGER_ROWS_MAX][VIEW_TEXT_MAX];
	size_t n = 0;
	attr_t normal = theme_attr(THEME_NORMAL), dim = theme_attr(THEME_DIM);
	if (!m->name) {
		n = rows_without_ledger(m, c, rows, txt);
	} else {
		const struct qldb_ledger *l = m->entry->data;
		rows[n++] = (struct kv_row){ "Name", m->name, theme_attr(THEME_TITLE), 1 };
		if (l) {
			rows[n++] = (struct kv_row){ "ARN", l->arn[0] ? l->arn : "-", normal, 1 };
			rows[n++] =
				(struct kv_row){ "State", l->state[0] ? l->state : "-",
						 theme_attr(theme_role_for_state(l->state)), 1 };
			rows[n++] =
				(struct kv_row){ "Permissions",
						 l->permissions_mode[0] ? l->permissions_mode : "-",
						 normal, 1 };
			rows[n++] = (struct kv_row){ "Deletion prot.",
						     !l->has_deletion_protection ? "-"
						     : l->deletion_protection	 ? "on"
										 : "off",
						     normal, 1 };
			if (l->has_encryption)
				snprintf(txt[n], VIEW_TEXT_MAX, "%.31s, key %.200s",
					 l->encryption_status,
					 strcmp(l->kms_key_arn, "AWS_OWNED_KMS_KEY") == 0
						 ? "AWS owned"
						 : l->kms_key_arn);
			else
				snprintf(txt[n], VIEW_TEXT_MAX, "AWS owned key");
			rows[n] = (struct kv_row){ "Encryption", txt[n],
						   l->has_encryption
							   ? theme_attr(theme_role_for_state(
								     l->encryption_status))
							   : normal,
						   1 };
			n++;
			if (l->has_created)
				view_format_time(l->created, txt[n], VIEW_TEXT_MAX);
			else
				snprintf(txt[n], VIEW_TEXT_MAX, "-");
			rows[n] = (struct kv_row){ "Created", txt[n], normal, 1 };
			n++;
		} else {
			rows[n++] = (struct kv_row){ "State", "unknown (no answer yet)", dim, 1 };
		}
		rows[n] = view_row_updated(m->entry, c, txt[n], 3);
		n++;
	}
	view_draw_rows(w, rows, n);
}
