/* state_input.c - the shared one-line input (see state_input.h). */
#include "tui/state_input.h"

#include <string.h>

#define CTRL_KEY(c) ((c)&0x1f)

enum state_input_result state_input_key(struct state_input *in, int ch)
{
	if (ch == 27)
		return INPUT_CANCEL;
	if (ch == '\r' || ch == '\n' || ch == KEY_ENTER)
		return INPUT_ACCEPT;
	if (ch == KEY_BACKSPACE || ch == 127 || ch == CTRL_KEY('h')) {
		if (in->len)
			in->text[--in->len] = '\0';
	} else if (ch == CTRL_KEY('u')) {
		in->len = 0;
		in->text[0] = '\0';
	} else if (ch >= 32 && ch < 127 && in->len + 1 < sizeof in->text) {
		in->text[in->len++] = (char)ch;
		in->text[in->len] = '\0';
	}
	return INPUT_EDITING;
}

void state_input_draw(WINDOW *w, const char *prompt, const struct state_input *in, attr_t attr)
{
	int wd = getmaxx(w);
	int pl = (int)strlen(prompt);
	werase(w);
	wattrset(w, attr);
	mvwhline(w, 0, 0, ' ', wd);
	mvwaddnstr(w, 0, 0, prompt, wd);
	int room = wd - pl - 1;
	if (room < 1)
		return;
	const char *t = in->text;
	if ((int)in->len > room)
		t += in->len - (size_t)room; /* keep the end (the cursor) visible */
	mvwaddnstr(w, 0, pl, t, room);
	waddch(w, '_');
	wattrset(w, A_NORMAL);
}
