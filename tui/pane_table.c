/* pane_table.c - every pane, in tab order (see pane.h): a new pane is a
 * file and a line here. */
#include "tui/pane.h"

const struct pane_ops *const PANE_TABLE[] = {
	&PANE_LEDGERS,
	&PANE_STREAMS,
	&PANE_EXPORTS,
	&PANE_DIGESTS,
};

const size_t PANE_TABLE_N = sizeof PANE_TABLE / sizeof PANE_TABLE[0];
