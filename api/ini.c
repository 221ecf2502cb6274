/*
 * ini.c - the AWS config file format (see ini.h). The line loop follows
 * configparser.RawConfigParser._read step by step (strict mode, no inline
 * comments, empty lines kept inside values, universal newlines), because a
 * file the AWS CLI reads must read the same here and one it refuses must
 * be refused here too.
 */
#include "api/ini.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Python's str.strip() whitespace for ASCII. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* [*b, *e) stripped of surrounding whitespace. */
static void strip(const char **b, const char **e)
{
	while (*b < *e && is_space(**b))
		(*b)++;
	while (*e > *b && is_space((*e)[-1]))
		(*e)--;
}

static char *dup_range(const char *b, const char *e)
{
	size_t n = (size_t)(e - b);
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, b, n);
		s[n] = '\0';
	}
	return s;
}

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void section_free(struct ini_section *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->entries[i].key);
		wipe_free(s->entries[i].value);
	}
	free(s->entries);
	free(s->name);
}

void ini_free(struct ini_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		section_free(&f->sections[i]);
	free(f->sections);
	if (f->defaults) {
		section_free(f->defaults);
		free(f->defaults);
	}
	free(f->path);
	memset(f, 0, sizeof *f);
}

/* Parser state across lines, as configparser keeps it. */
struct ini_state {
	struct ini_file *f;
	const char *what;
	struct ini_section *cur; /* NULL before the first header */
	struct ini_entry *opt;	 /* the key continuation lines extend */
	size_t opt_len, opt_cap; /* its value's length and allocation */
	size_t indent_level;	 /* indent of the line that set cur/opt */
	bool opt_nested;	 /* opt's first line was empty: sub-settings follow */
	struct api_error *err;
	int line;
};

static int fail(struct ini_state *st, const char *reason, const char *name)
{
	return api_error_set(st->err, API_ERR_CONFIG, "%s line %d: %s%s%.60s%s", st->what, st->line,
			     reason, name ? " '" : "", name ? name : "", name ? "'" : "");
}

static int nomem(struct ini_state *st)
{
	return api_error_set(st->err, API_ERR_NOMEM, "%s: out of memory", st->what);
}

/* Append "\n" + text to the current key's value; the allocation grows
 * geometrically so a long run of continuation lines stays linear. */
static int opt_append(struct ini_state *st, const char *b, const char *e)
{
	size_t old = st->opt_len, add = (size_t)(e - b), need = old + 1 + add + 1;
	if (need > INI_VALUE_MAX)
		return fail(st, "a value over " INI_VALUE_MAX_TEXT " bytes under", st->opt->key);
	if (need > st->opt_cap) {
		size_t cap = st->opt_cap * 2 > need ? st->opt_cap * 2 : need;
		char *v = malloc(cap);
		if (!v)
			return nomem(st);
		memcpy(v, st->opt->value, old + 1);
		wipe_free(st->opt->value);
		st->opt->value = v;
		st->opt_cap = cap;
	}
	char *v = st->opt->value;
	v[old] = '\n';
	memcpy(v + old + 1, b, add);
	v[old + 1 + add] = '\0';
	st->opt_len = old + 1 + add;
	return 0;
}

static struct ini_section *section_find(struct ini_file *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->sections[i].name, name) == 0)
			return &f->sections[i];
	return NULL;
}

static int on_header(struct ini_state *st, const char *b, const char *e)
{
	char *name = dup_range(b, e);
	if (!name)
		return nomem(st);
	struct ini_file *f = st->f;
	st->opt = NULL;
	if (strcmp(name, "DEFAULT") == 0) {
		/* configparser lets [DEFAULT] reopen; its keys stay unique */
		if (!f->defaults) {
			f->defaults = calloc(1, sizeof *f->defaults);
			if (!f->defaults) {
				free(name);
				return nomem(st);
			}
			f->defaults->name = name;
			f->defaults->line = st->line;
		} else {
			free(name);
		}
		st->cur = f->defaults;
		return 0;
	}
	if (f->n >= INI_SECTIONS_MAX) {
		free(name);
		return fail(st, "more than " INI_SECTIONS_MAX_TEXT " sections", NULL);
	}
	if (section_find(f, name)) {
		int rc = fail(st, "section repeated in this file:", name);
		free(name);
		return rc;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct ini_section *s = realloc(f->sections, cap * sizeof *s);
		if (!s) {
			free(name);
			return nomem(st);
		}
		f->sections = s;
		f->cap = cap;
	}
	st->cur = &f->sections[f->n++];
	memset(st->cur, 0, sizeof *st->cur);
	st->cur->name = name;
	st->cur->line = st->line;
	return 0;
}

static int on_option(struct ini_state *st, const char *b, const char *e)
{
	const char *d = b;
	while (d < e && *d != '=' && *d != ':')
		d++;
	if (d == e)
		return fail(st, "expected 'key = value', '[section]' or a comment", NULL);
	const char *kb = b, *ke = d, *vb = d + 1, *ve = e;
	strip(&kb, &ke);
	strip(&vb, &ve);
	if (kb == ke)
		return fail(st, "a setting without a key", NULL);
	char *key = dup_range(kb, ke);
	if (!key)
		return nomem(st);
	for (char *p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	struct ini_section *s = st->cur;
	if (s->n >= INI_KEYS_MAX) {
		free(key);
		return fail(st, "more than " INI_KEYS_MAX_TEXT " keys in a section", NULL);
	}
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->entries[i].key, key) == 0) {
			int rc = fail(st, "key repeated in this section:", key);
			free(key);
			return rc;
		}
	char *value = dup_range(vb, ve);
	if (!value) {
		free(key);
		return nomem(st);
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct ini_entry *n = realloc(s->entries, cap * sizeof *n);
		if (!n) {
			free(key);
			wipe_free(value);
			return nomem(st);
		}
		s->entries = n;
		s->cap = cap;
	}
	st->opt = &s->entries[s->n++];
	st->opt->key = key;
	st->opt->value = value;
	st->opt->line = st->line;
	st->opt_len = strlen(value);
	st->opt_cap = st->opt_len + 1;
	st->opt_nested = value[0] == '\0';
	return 0;
}

/* One physical line [b, e), without its line break. */
static int on_line(struct ini_state *st, const char *b, const char *e)
{
	const char *sb = b, *se = e;
	strip(&sb, &se);
	bool comment = sb < se && (*sb == '#' || *sb == ';');
	if (comment || sb == se) {
		/* an empty line (not a comment) is kept inside a value */
		if (!comment && st->cur && st->opt)
			return opt_append(st, sb, sb);
		return 0;
	}
	size_t indent = (size_t)(sb - b);
	if (st->cur && st->opt && indent > st->indent_level) {
		if (st->opt_nested && !memchr(sb, '=', (size_t)(se - sb)))
			return fail(st, "a sub-setting needs 'key = value' under", st->opt->key);
		return opt_append(st, sb, se);
	}
	st->indent_level = indent;
	if (*sb == '[') {
		const char *close = se - 1;
		while (close > sb && *close != ']')
			close--;
		if (close > sb + 1)
			return on_header(st, sb + 1, close);
	}
	if (!st->cur)
		return fail(st, "a setting before any [section]", NULL);
	return on_option(st, sb, se);
}

/* Right-strip every value, as configparser joins and rstrips at the end. */
static void finish_values(struct ini_section *s)
{
	for (size_t i = 0; s && i < s->n; i++) {
		char *v = s->entries[i].value;
		size_t n = strlen(v);
		while (n > 0 && is_space(v[n - 1]))
			v[--n] = '\0';
	}
}

int ini_parse(const char *text, size_t len, const char *what, struct ini_file *f,
	      struct api_error *err)
{
	memset(f, 0, sizeof *f);
	api_error_clear(err);
	f->path = strdup(what ? what : "");
	if (!f->path)
		return api_error_set(err, API_ERR_NOMEM, "config: out of memory");
	f->found = true;
	struct ini_state st = { .f = f, .what = f->path, .err = err };
	if (len > INI_FILE_MAX) {
		api_error_set(err, API_ERR_LIMIT, "%s: over %d bytes", f->path, INI_FILE_MAX);
		goto bad;
	}
	if (memchr(text, '\0', len)) {
		st.line = 1;
		for (const char *p = text; *p; p++)
			st.line += *p == '\n';
		fail(&st, "a NUL byte", NULL);
		goto bad;
	}
	/* universal newlines: \n, \r\n and a lone \r all end a line */
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *e = p;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		st.line++;
		if (on_line(&st, p, e))
			goto bad;
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		p = e + 1;
	}
	for (size_t i = 0; i < f->n; i++)
		finish_values(&f->sections[i]);
	finish_values(f->defaults);
	return 0;
bad:
	ini_free(f); /* err already names the file */
	return err->status;
}

int ini_load(const char *path, struct ini_file *f, struct api_error *err)
{
	memset(f, 0, sizeof *f);
	api_error_clear(err);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat sb;
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		goto absent;
	if (fd < 0)
		return api_error_set(err, API_ERR_CONFIG, "%.200s: cannot open: %s", path,
				     strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		goto absent;
	}
	if (sb.st_size > INI_FILE_MAX) {
		close(fd);
		return api_error_set(err, API_ERR_LIMIT, "%.200s: over %d bytes", path,
				     INI_FILE_MAX);
	}
	size_t cap = (size_t)sb.st_size + 1, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return api_error_set(err, API_ERR_NOMEM, "%.200s: out of memory", path);
	}
	for (;;) {
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			explicit_bzero(buf, len);
			free(buf);
			return api_error_set(err, API_ERR_CONFIG, "%.200s: cannot read: %s", path,
					     strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == cap) { /* the file grew: one more byte decides */
			close(fd);
			explicit_bzero(buf, len);
			free(buf);
			return api_error_set(err, API_ERR_LIMIT, "%.200s: changed while read",
					     path);
		}
	}
	close(fd);
	int rc = ini_parse(buf, len, path, f, err);
	explicit_bzero(buf, len);
	free(buf);
	return rc;
absent:
	f->path = strdup(path);
	if (!f->path)
		return api_error_set(err, API_ERR_NOMEM, "config: out of memory");
	return 0;
}

const struct ini_section *ini_section(const struct ini_file *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->sections[i].name, name) == 0)
			return &f->sections[i];
	return NULL;
}

static const char *entry_value(const struct ini_section *s, const char *key)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->entries[i].key, key) == 0)
			return s->entries[i].value;
	return NULL;
}

const char *ini_value(const struct ini_file *f, const struct ini_section *s, const char *key)
{
	if (!s)
		return NULL;
	const char *v = entry_value(s, key);
	return v ? v : entry_value(f->defaults, key);
}

bool ini_is_nested(const char *value)
{
	return value && value[0] == '\n';
}

bool ini_nested_value(const char *value, const char *sub, char *out, size_t cap)
{
	if (!ini_is_nested(value))
		return false;
	bool found = false;
	const char *p = value;
	while (*p) {
		const char *e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(e - p));
		if (eq) {
			const char *kb = p, *ke = eq, *vb = eq + 1, *ve = e;
			strip(&kb, &ke);
			strip(&vb, &ve);
			size_t kn = (size_t)(ke - kb), vn = (size_t)(ve - vb);
			if (kn == strlen(sub) && memcmp(kb, sub, kn) == 0) {
				found = vn < cap;
				if (found) {
					memcpy(out, vb, vn);
					out[vn] = '\0';
				}
			}
		}
		p = *e ? e + 1 : e;
	}
	return found;
}

int ini_shell_split(const char *s, char *buf, size_t cap, char **words, size_t max_words, size_t *n,
		    const char **why)
{
	size_t used = 0, count = 0;
	const char *p = s;
	*n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (count + 1 >= max_words) {
			*why = "too many words";
			return -1;
		}
		char *w = buf + used;
		/* a word runs to the next unquoted blank; quotes join it */
		while (*p && !(*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
			char c = *p++;
			char q = 0;
			if (c == '\'' || c == '"')
				q = c;
			if (!q && c == '\\') {
				if (!*p) {
					*why = "no escaped character";
					return -1;
				}
				c = *p++;
			} else if (q) {
				for (;;) {
					if (!*p) {
						*why = "no closing quotation";
						return -1;
					}
					c = *p++;
					if (c == q)
						break;
					if (q == '"' && c == '\\' && (*p == '"' || *p == '\\'))
						c = *p++;
					if (used + 1 >= cap) {
						*why = "too long";
						return -1;
					}
					buf[used++] = c;
				}
				continue;
			}
			if (used + 1 >= cap) {
				*why = "too long";
				return -1;
			}
			buf[used++] = c;
		}
		if (used + 1 >= cap) {
			*why = "too long";
			return -1;
		}
		buf[used++] = '\0';
		words[count++] = w;
	}
	words[count] = NULL;
	*n = count;
	return 0;
}
