/* inputline.c - a one-line UTF-8 editor (see inputline.h). */
#include "widgets/inputline.h"

#include <string.h>

#include "widgets/text.h"

/* Control keys, as getch returns them. */
#define CTRL(c) ((c)&0x1f)
#define KEY_ESC 27
#define KEY_DEL 127

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Characters in buf[a..b) (the buffer is valid UTF-8). */
static int cells_between(const struct inputline *l, size_t a, size_t b)
{
	int n = 0;
	for (size_t i = a; i < b; i++)
		if (!is_cont((unsigned char)l->buf[i]))
			n++;
	return n;
}

static size_t prev_char(const struct inputline *l, size_t at)
{
	if (at == 0)
		return 0;
	do
		at--;
	while (at > 0 && is_cont((unsigned char)l->buf[at]));
	return at;
}

static size_t next_char(const struct inputline *l, size_t at)
{
	if (at >= l->len)
		return l->len;
	do
		at++;
	while (at < l->len && is_cont((unsigned char)l->buf[at]));
	return at;
}

/* Insert the k bytes of one character at the cursor, if they fit. */
static enum inputline_result insert_bytes(struct inputline *l, const char *s, size_t k)
{
	if (l->len + k >= INPUTLINE_CAP)
		return INPUTLINE_IGNORED; /* full: the NUL needs its byte */
	memmove(l->buf + l->cursor + k, l->buf + l->cursor, l->len - l->cursor + 1);
	memcpy(l->buf + l->cursor, s, k);
	l->len += k;
	l->cursor += k;
	return INPUTLINE_CHANGED;
}

/* Remove buf[a..b). */
static enum inputline_result remove_range(struct inputline *l, size_t a, size_t b)
{
	if (a >= b)
		return INPUTLINE_IGNORED;
	memmove(l->buf + a, l->buf + b, l->len - b + 1);
	l->len -= b - a;
	if (l->cursor >= b)
		l->cursor -= b - a;
	else if (l->cursor > a)
		l->cursor = a;
	return INPUTLINE_CHANGED;
}

void inputline_init(struct inputline *l, const char *text)
{
	memset(l, 0, sizeof *l);
	if (!text)
		return;
	uint32_t cp;
	size_t k;
	while ((k = text_next(text, &cp)) > 0) {
		if (text_cp_safe(cp) && insert_bytes(l, text, k) != INPUTLINE_CHANGED)
			break; /* full */
		text += k;
	}
}

const char *inputline_text(const struct inputline *l)
{
	return l->buf;
}

static enum inputline_result move_to(struct inputline *l, size_t at)
{
	if (at == l->cursor)
		return INPUTLINE_IGNORED;
	l->cursor = at;
	return INPUTLINE_MOVED;
}

static enum inputline_result do_left(struct inputline *l)
{
	return move_to(l, prev_char(l, l->cursor));
}

static enum inputline_result do_right(struct inputline *l)
{
	return move_to(l, next_char(l, l->cursor));
}

static enum inputline_result do_home(struct inputline *l)
{
	return move_to(l, 0);
}

static enum inputline_result do_end(struct inputline *l)
{
	return move_to(l, l->len);
}

static enum inputline_result do_backspace(struct inputline *l)
{
	return remove_range(l, prev_char(l, l->cursor), l->cursor);
}

static enum inputline_result do_delete(struct inputline *l)
{
	return remove_range(l, l->cursor, next_char(l, l->cursor));
}

static enum inputline_result do_clear(struct inputline *l)
{
	return remove_range(l, 0, l->len);
}

/* Ctrl-W: the spaces before the cursor, then the word before them. */
static enum inputline_result do_delete_word(struct inputline *l)
{
	size_t a = l->cursor;
	while (a > 0 && l->buf[a - 1] == ' ')
		a--;
	while (a > 0 && l->buf[a - 1] != ' ')
		a--;
	return remove_range(l, a, l->cursor);
}

static enum inputline_result do_accept(struct inputline *l)
{
	(void)l;
	return INPUTLINE_ACCEPTED;
}

static enum inputline_result do_cancel(struct inputline *l)
{
	(void)l;
	return INPUTLINE_CANCELLED;
}

static const struct {
	int key;
	enum inputline_result (*fn)(struct inputline *);
} inputline_keys[] = {
	{ KEY_LEFT, do_left },	   { CTRL('b'), do_left },	{ KEY_RIGHT, do_right },
	{ CTRL('f'), do_right },   { KEY_HOME, do_home },	{ CTRL('a'), do_home },
	{ KEY_END, do_end },	   { CTRL('e'), do_end },	{ KEY_BACKSPACE, do_backspace },
	{ KEY_DEL, do_backspace }, { CTRL('h'), do_backspace }, { KEY_DC, do_delete },
	{ CTRL('d'), do_delete },  { CTRL('u'), do_clear },	{ CTRL('w'), do_delete_word },
	{ '\n', do_accept },	   { '\r', do_accept },		{ KEY_ENTER, do_accept },
	{ KEY_ESC, do_cancel },
};

/* Bytes of the UTF-8 character a lead byte starts (0: not a lead). */
static size_t utf8_length(unsigned char c)
{
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* One byte >= 0x80 of a character arriving from getch. */
static enum inputline_result take_byte(struct inputline *l, unsigned char c)
{
	if (l->npending > 0 && is_cont(c)) {
		l->pending[l->npending++] = c;
		if (l->npending < l->need)
			return INPUTLINE_IGNORED;
		char s[5];
		uint32_t cp;
		memcpy(s, l->pending, l->need);
		s[l->need] = '\0';
		size_t k = l->need;
		l->npending = l->need = 0;
		if (text_next(s, &cp) != k || !text_cp_safe(cp))
			return INPUTLINE_IGNORED; /* invalid or not drawable */
		return insert_bytes(l, s, k);
	}
	/* a new lead byte (an unfinished character before it is dropped) */
	l->npending = l->need = 0;
	size_t n = utf8_length(c);
	if (n == 0)
		return INPUTLINE_IGNORED;
	l->pending[0] = c;
	l->npending = 1;
	l->need = n;
	return INPUTLINE_IGNORED;
}

enum inputline_result inputline_key(struct inputline *l, int key)
{
	if (key >= 0x80 && key <= 0xFF)
		return take_byte(l, (unsigned char)key);
	l->npending = l->need = 0;
	for (size_t i = 0; i < sizeof inputline_keys / sizeof inputline_keys[0]; i++)
		if (inputline_keys[i].key == key)
			return inputline_keys[i].fn(l);
	if (key >= 0x20 && key < 0x7F) {
		char c = (char)key;
		return insert_bytes(l, &c, 1);
	}
	return INPUTLINE_IGNORED; /* other controls and function keys */
}

/* Scroll so the cursor has a cell in a field of `field` cells, and no
 * cell is wasted on the left while text is hidden there. */
static void scroll_to_cursor(struct inputline *l, int field)
{
	if (l->first > l->cursor)
		l->first = l->cursor;
	while (l->first < l->cursor && cells_between(l, l->first, l->cursor) + 1 > field)
		l->first = next_char(l, l->first);
	while (l->first > 0) {
		size_t p = prev_char(l, l->first);
		if (cells_between(l, p, l->len) + 1 > field)
			break;
		l->first = p;
	}
}

int inputline_draw(WINDOW *w, int y, int x, int cols, const char *prompt, struct inputline *l,
		   attr_t attr, bool ascii)
{
	if (cols <= 0)
		return -1;
	text_fill(w, y, x, cols, attr);
	int pc = text_put_fit(w, y, x, cols, prompt ? prompt : "", attr, NULL, TEXT_CUT_END, ascii);
	int field = cols - pc;
	if (field <= 0)
		return -1;
	scroll_to_cursor(l, field);
	text_put(w, y, x + pc, field, l->buf + l->first, l->len - l->first, attr, ascii);
	return x + pc + cells_between(l, l->first, l->cursor);
}
