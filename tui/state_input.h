/*
 * state_input.h - the one-line input the filter (/) and the command line
 * (:) share: a prompt, an editable buffer, Enter accepts, Esc cancels.
 * Ownership: the caller's struct; nothing allocated.
 */
#ifndef QLDBTOP_TUI_STATE_INPUT_H
#define QLDBTOP_TUI_STATE_INPUT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#define STATE_INPUT_MAX 128

enum state_input_result { INPUT_EDITING, INPUT_ACCEPT, INPUT_CANCEL };

struct state_input {
	char text[STATE_INPUT_MAX];
	size_t len;
};

/* Apply a key: printable ASCII inserts, BS/^H deletes, ^U clears, Enter
 * accepts, Esc cancels; other keys are ignored. */
enum state_input_result state_input_key(struct state_input *in, int ch);
/* Draw "<prompt><text>_" on row 0 of w, the end kept visible. */
void state_input_draw(WINDOW *w, const char *prompt, const struct state_input *in, attr_t attr);

#endif
