/* text.c - clipping strings to cells (see text.h). */
#include "widgets/text.h"

/* A UTF-8 continuation byte (10xxxxxx) starts no character. */
static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

int text_cells(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (!is_cont((unsigned char)*s))
			n++;
	return n;
}

size_t text_fit(const char *s, int cols)
{
	size_t i = 0;
	int used = 0;
	if (cols <= 0)
		return 0;
	while (s[i]) {
		if (!is_cont((unsigned char)s[i])) {
			if (used == cols)
				break;
			used++;
		}
		i++;
	}
	return i;
}
