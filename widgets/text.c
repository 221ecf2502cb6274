/* text.c - decoding, clipping and safe drawing of strings (see text.h). */
#include "widgets/text.h"

#include <stdlib.h>
#include <string.h>

/* A UTF-8 continuation byte (10xxxxxx) starts no character. */
static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * Strict UTF-8 (RFC 3629 table 3-7): the second byte's range depends on
 * the lead byte, which rules out overlong forms, surrogates and code
 * points above U+10FFFF.
 */
struct utf8_lead {
	unsigned char lo, hi;	  /* lead byte range */
	unsigned char len;	  /* bytes in the sequence */
	unsigned char min2, max2; /* range of the second byte */
};

static const struct utf8_lead utf8_leads[] = {
	{ 0xC2, 0xDF, 2, 0x80, 0xBF }, { 0xE0, 0xE0, 3, 0xA0, 0xBF }, { 0xE1, 0xEC, 3, 0x80, 0xBF },
	{ 0xED, 0xED, 3, 0x80, 0x9F }, { 0xEE, 0xEF, 3, 0x80, 0xBF }, { 0xF0, 0xF0, 4, 0x90, 0xBF },
	{ 0xF1, 0xF3, 4, 0x80, 0xBF }, { 0xF4, 0xF4, 4, 0x80, 0x8F },
};

size_t text_next(const char *str, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (!s[0]) {
		*cp = 0;
		return 0;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	for (size_t i = 0; i < sizeof utf8_leads / sizeof utf8_leads[0]; i++) {
		const struct utf8_lead *l = &utf8_leads[i];
		if (s[0] < l->lo || s[0] > l->hi)
			continue;
		if (s[1] < l->min2 || s[1] > l->max2)
			break;
		uint32_t c = s[0] & (0xFF >> (l->len + 1));
		for (size_t k = 1; k < l->len; k++) {
			if (!is_cont(s[k]))
				goto bad; /* also stops at the NUL */
			c = (c << 6) | (s[k] & 0x3F);
		}
		*cp = c;
		return l->len;
	}
bad:
	*cp = TEXT_BAD;
	return 1;
}

/*
 * Code points not drawn as themselves: controls, and characters whose
 * width is not one cell or which reorder or hide text (combining marks,
 * zero-width and bidi controls, East Asian wide and emoji blocks). The
 * wide ranges are the main blocks of Unicode's EastAsianWidth W/F, enough
 * to keep the cell count honest for names and messages.
 */
static const struct {
	uint32_t lo, hi;
} unsafe_ranges[] = {
	{ 0x0000, 0x001F },   { 0x007F, 0x009F },   { 0x00AD, 0x00AD },	   { 0x0300, 0x036F },
	{ 0x0483, 0x0489 },   { 0x0591, 0x05BD },   { 0x0610, 0x061A },	   { 0x061C, 0x061C },
	{ 0x064B, 0x065F },   { 0x1100, 0x115F },   { 0x1AB0, 0x1AFF },	   { 0x1DC0, 0x1DFF },
	{ 0x200B, 0x200F },   { 0x2028, 0x202E },   { 0x2060, 0x206F },	   { 0x20D0, 0x20FF },
	{ 0x231A, 0x231B },   { 0x2329, 0x232A },   { 0x23E9, 0x23F3 },	   { 0x25FD, 0x25FE },
	{ 0x2614, 0x2615 },   { 0x2648, 0x2653 },   { 0x26AA, 0x26AB },	   { 0x26BD, 0x26FF },
	{ 0x2705, 0x2705 },   { 0x270A, 0x270B },   { 0x2728, 0x2728 },	   { 0x274C, 0x274C },
	{ 0x2753, 0x2757 },   { 0x2795, 0x2797 },   { 0x27B0, 0x27B0 },	   { 0x27BF, 0x27BF },
	{ 0x2B1B, 0x2B1C },   { 0x2B50, 0x2B55 },   { 0x2E80, 0x303E },	   { 0x3040, 0xA4CF },
	{ 0xA960, 0xA97F },   { 0xAC00, 0xD7A3 },   { 0xD800, 0xDFFF },	   { 0xE000, 0xF8FF },
	{ 0xF900, 0xFAFF },   { 0xFE00, 0xFE0F },   { 0xFE10, 0xFE19 },	   { 0xFE20, 0xFE6F },
	{ 0xFEFF, 0xFEFF },   { 0xFF00, 0xFF60 },   { 0xFFE0, 0xFFE6 },	   { 0xFFF0, 0xFFFF },
	{ 0x1F000, 0x1FAFF }, { 0x20000, 0x3FFFF }, { 0xE0000, 0x10FFFF },
};

bool text_cp_safe(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return true; /* printable ASCII: the common case, no table walk */
	if (cp == TEXT_BAD)
		return false;
	for (size_t i = 0; i < sizeof unsafe_ranges / sizeof unsafe_ranges[0]; i++)
		if (cp >= unsafe_ranges[i].lo && cp <= unsafe_ranges[i].hi)
			return false;
	return true;
}

int text_cells(const char *s)
{
	int n = 0;
	uint32_t cp;
	size_t k;
	if (!s)
		return 0;
	while ((k = text_next(s, &cp)) > 0) {
		s += k;
		n++;
	}
	return n;
}

size_t text_fit(const char *s, int cols)
{
	size_t i = 0, k;
	uint32_t cp;
	if (!s || cols <= 0)
		return 0;
	for (int used = 0; used < cols && (k = text_next(s + i, &cp)) > 0; used++)
		i += k;
	return i;
}

size_t text_tail(const char *s, int cells)
{
	int total = text_cells(s);
	if (cells <= 0)
		return s ? strlen(s) : 0;
	return cells >= total ? 0 : text_fit(s, total - cells);
}

size_t text_wrap(const char *s, int cols)
{
	size_t b = text_fit(s, cols);
	if (!s || !s[b])
		return b; /* the rest fits */
	if (s[b] == ' ')
		return b; /* the cut falls on a space */
	for (size_t k = b; k > b / 3; k--)
		if (s[k - 1] == ' ')
			return k;
	return b;
}

/* Whether the locale can draw non-ASCII characters at all. */
static bool locale_multibyte(void)
{
	return MB_CUR_MAX > 1;
}

int text_put(WINDOW *w, int y, int x, int cols, const char *s, size_t len, attr_t attr, bool ascii)
{
	int maxy, maxx;
	if (!w || !s || y < 0 || x < 0)
		return 0;
	getmaxyx(w, maxy, maxx);
	if (y >= maxy || x >= maxx)
		return 0;
	if (cols > maxx - x)
		cols = maxx - x; /* never wrap onto the next row */
	bool wide_ok = !ascii && locale_multibyte();
	wattrset(w, attr);
	wmove(w, y, x);
	int used = 0;
	size_t i = 0, run = 0; /* start of the run of safe bytes not yet written */
	while (used < cols && i < len) {
		uint32_t cp;
		size_t k = text_next(s + i, &cp);
		if (k == 0 || i + k > len)
			break;
		bool drawn = text_cp_safe(cp) && (cp < 0x80 || wide_ok);
		if (!drawn) {
			if (i > run)
				waddnstr(w, s + run, (int)(i - run));
			waddch(w, TEXT_REPLACEMENT);
			run = i + k;
		}
		i += k;
		used++;
	}
	if (i > run)
		waddnstr(w, s + run, (int)(i - run));
	wattrset(w, A_NORMAL);
	return used;
}

int text_put_fit(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr,
		 const char *ellipsis, enum text_cut cut, bool ascii)
{
	if (!s || cols <= 0)
		return 0;
	int cells = text_cells(s);
	if (cells <= cols)
		return text_put(w, y, x, cols, s, strlen(s), attr, ascii);
	int ec = ellipsis ? text_cells(ellipsis) : 0;
	if (ec >= cols)
		return text_put(w, y, x, cols, s, text_fit(s, cols), attr, ascii);
	int room = cols - ec;
	if (cut == TEXT_CUT_MIDDLE) {
		/* keep the start and the end; the end holds the resource name */
		int head = (room + 1) / 2, tail = room - head;
		int n = text_put(w, y, x, head, s, text_fit(s, head), attr, ascii);
		n += text_put(w, y, x + n, ec, ellipsis, strlen(ellipsis), attr, ascii);
		size_t t = text_tail(s, tail);
		n += text_put(w, y, x + n, tail, s + t, strlen(s + t), attr, ascii);
		return n;
	}
	int n = text_put(w, y, x, room, s, text_fit(s, room), attr, ascii);
	n += text_put(w, y, x + n, ec, ellipsis, strlen(ellipsis), attr, ascii);
	return n;
}

void text_fill(WINDOW *w, int y, int x, int cols, attr_t attr)
{
	int maxy, maxx;
	if (!w || y < 0 || x < 0)
		return;
	getmaxyx(w, maxy, maxx);
	if (y >= maxy || x >= maxx)
		return;
	if (cols > maxx - x)
		cols = maxx - x;
	wattrset(w, attr);
	wmove(w, y, x);
	for (int i = 0; i < cols; i++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
}
