/* badge.c - a status word with brackets or in reverse video (see badge.h). */
#include "widgets/badge.h"

#include <string.h>

#include "widgets/text.h"

/* The decoration around the word, per kind: left, right. */
static const struct {
	const char *left, *right;
	attr_t extra;
} badge_kinds[] = {
	[BADGE_BRACKETS] = { "[", "]", A_NORMAL },
	[BADGE_REVERSE] = { " ", " ", A_REVERSE },
};

int badge_width(const char *word, enum badge_kind kind)
{
	(void)kind; /* both decorations take one cell each side */
	return text_cells(word) + 2;
}

int badge_draw(WINDOW *w, int y, int x, int cols, const char *word, enum badge_kind kind,
	       attr_t attr, bool ascii)
{
	if (cols <= 0 || !word)
		return 0;
	if ((unsigned)kind >= sizeof badge_kinds / sizeof badge_kinds[0])
		kind = BADGE_BRACKETS;
	attr_t a = attr | badge_kinds[kind].extra;
	int wc = text_cells(word);
	if (wc + 2 > cols) /* no room for the decoration: the word alone */
		return text_put(w, y, x, cols, word, strlen(word), a, ascii);
	int n = text_put(w, y, x, 1, badge_kinds[kind].left, 1, a, ascii);
	n += text_put(w, y, x + n, wc, word, strlen(word), a, ascii);
	n += text_put(w, y, x + n, 1, badge_kinds[kind].right, 1, a, ascii);
	return n;
}
