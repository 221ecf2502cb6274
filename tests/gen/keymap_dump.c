/*
 * keymap_dump.c - print the dashboard's built-in key table, for
 * tests/integration/manpage.sh (every key there must be in the man page).
 * One line per action: NAME TAB KEYS TAB HELP, where KEYS is
 * keymap_keys_text's space-separated list ("q F10"). Exit 0, or 1 when
 * the table is empty (a dump of nothing must not pass a check).
 */
#include <stdio.h>

#include "tui/keymap.h"

int main(void)
{
	int n = 0;
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		const struct keymap_info *info = keymap_info((enum keymap_action)a);
		if (!info || !info->name)
			continue;
		char keys[128];
		keymap_keys_text((enum keymap_action)a, keys, sizeof keys);
		printf("%s\t%s\t%s\n", info->name, keys, info->help);
		n++;
	}
	return n > 0 ? 0 : 1;
}
