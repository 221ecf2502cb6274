/*
 * ini.h - the AWS shared `config` and `credentials` file format, read the
 * way botocore reads it (botocore.configloader.raw_config_parse, which is
 * Python's configparser.RawConfigParser with its defaults):
 *
 *   - `[name]` opens a section; the name is everything between the first
 *     '[' and the last ']' of the stripped line, kept as written (section
 *     names are case-sensitive). `[DEFAULT]` is special: its keys are seen
 *     by every section of the same file.
 *   - `key = value` or `key : value` (the first '=' or ':' splits); keys are
 *     lower-cased, key and value are stripped of whitespace. There are no
 *     inline comments: `k = v # x` has the value "v # x".
 *   - A line whose first non-blank character is '#' or ';' is a comment.
 *   - A line indented deeper than the line that started the current key
 *     continues its value (joined with '\n'). A key with an empty value
 *     followed by indented `sub = value` lines is a nested setting (`s3 =`,
 *     the `[services x]` entries); every such line must hold '='.
 *   - Refused, each with one line "PATH line N: reason": a key before any
 *     section, a line that is neither section, key nor comment, an empty
 *     key, a key repeated in a section, a section repeated in a file
 *     (configparser is strict: it refuses these too), a NUL byte, a file
 *     over INI_FILE_MAX bytes, more than INI_SECTIONS_MAX sections,
 *     INI_KEYS_MAX keys in a section or INI_VALUE_MAX bytes in a value.
 *
 * ini_shell_split is the word splitting botocore applies to
 * `credential_process` and to `[profile NAME]` headers (Python's
 * shlex.split in POSIX mode, no comments).
 *
 * Ownership: struct ini_file owns every string in it; ini_free wipes the
 * values (they may be secrets) and frees them. Lookups borrow until then.
 */
#ifndef QLDBTOP_API_INI_H
#define QLDBTOP_API_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"

#define INI_FILE_MAX (1024 * 1024) /* real config files are a few KB */
#define INI_WORDS_MAX 64	   /* arguments of a credential_process */
/* Bounds that keep a hostile file linear (duplicate checks are O(n^2)
 * within their bound); real files have a few dozen of each. */
#define INI_SECTIONS_MAX 4096
#define INI_SECTIONS_MAX_TEXT "4096"
#define INI_KEYS_MAX 1024 /* per section */
#define INI_KEYS_MAX_TEXT "1024"
#define INI_VALUE_MAX (64 * 1024) /* a value with its continuation lines */
#define INI_VALUE_MAX_TEXT "65536"

struct ini_entry {
	char *key;   /* lower-cased */
	char *value; /* continuation lines joined with '\n', right-stripped */
	int line;
};

struct ini_section {
	char *name; /* as written between the brackets */
	int line;
	struct ini_entry *entries;
	size_t n, cap;
};

struct ini_file {
	char *path;		      /* what messages name; "" for text parsed from memory */
	bool found;		      /* false: the file does not exist (not an error) */
	struct ini_section *sections; /* in the order they first appear */
	size_t n, cap;
	struct ini_section *defaults; /* [DEFAULT], or NULL */
};

/* Parse text[0..len) (need not be NUL-terminated); what names it in
 * messages. 0, or a negative api_status with err one line. On error f is
 * left empty (nothing to free beyond ini_free, which is still safe). */
int ini_parse(const char *text, size_t len, const char *what, struct ini_file *f,
	      struct api_error *err);

/* Read and parse path. A missing file (ENOENT, or not a regular file, as
 * botocore's os.path.isfile) gives an empty f with found false and 0; an
 * unreadable one is an error naming it. */
int ini_load(const char *path, struct ini_file *f, struct api_error *err);

void ini_free(struct ini_file *f);

/* The section named exactly name, or NULL. */
const struct ini_section *ini_section(const struct ini_file *f, const char *name);

/* key's value in s (key lower-case), else in the file's [DEFAULT], else
 * NULL. s may be NULL (then NULL). */
const char *ini_value(const struct ini_file *f, const struct ini_section *s, const char *key);

/* True when value is a nested setting (began on the next line). */
bool ini_is_nested(const char *value);

/* Sub-key sub of a nested value ("\nendpoint_url = http://x"), as
 * botocore's _parse_nested: split on the first '=', both sides stripped,
 * sub-keys compared as written, the last one wins. Copies into out;
 * returns true when found and it fits. */
bool ini_nested_value(const char *value, const char *sub, char *out, size_t cap);

/* Split s into words as shlex.split(s) (POSIX): blanks separate words;
 * '...' is literal; inside "..." a backslash escapes only '"' and '\\';
 * outside quotes a backslash escapes any character. Words are copied into
 * buf (cap bytes) and pointed to from words[0..*n), words[*n] = NULL.
 * Returns 0, or -1 with why set ("no closing quotation", "no escaped
 * character", "too many words", "too long"). */
int ini_shell_split(const char *s, char *buf, size_t cap, char **words, size_t max_words, size_t *n,
		    const char **why);

#endif
