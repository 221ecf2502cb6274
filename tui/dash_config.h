/*
 * dash_config.h - the dashboard's settings, resolved once before the
 * terminal is touched: command line over environment over the config
 * file over defaults. A bad file, value or theme is a one-line error and
 * the dashboard exits 2 before curses starts.
 *
 * Sources, for each setting (first that says something wins):
 *   theme     --theme NAME, QLDBTOP_THEME, `theme = NAME`, "default"
 *   interval  --interval S, `interval = S` (1..3600, the poll pace: each
 *             kind every base x S/5 s), the caller's default (5; 2 demo)
 *   bell      `bell = true|false`, false (ring on an integrity failure)
 *   readonly  --readonly; else the profile's `[profile NAME]` readonly;
 *             else `readonly = true|false`; else false
 *             (dash_config_readonly: the profile can change at run time)
 *   mouse     --no-mouse (off); `mouse = true|false`; off when
 *             SSH_CONNECTION is set and non-empty, else on
 *   ascii     --ascii (on); `ascii = true|false`; on when the locale's
 *             codeset is not UTF-8 (dash_ascii_for_codeset)
 *   no_color  --no-color or NO_COLOR non-empty (on); `no_color =
 *             true|false`; off (theme_wants_color still checks the
 *             terminal)
 *   keys      `key.ACTION = SPEC`, one key per action (it replaces the
 *             action's built-in keys: tui/keymap.h keymap_bind)
 *
 * The file: --config FILE, else QLDBTOP_CONFIG, else
 * $XDG_CONFIG_HOME/qldbtop/config (XDG_CONFIG_HOME absolute), else
 * $HOME/.config/qldbtop/config. A missing default file is no file; a
 * missing file named by --config or QLDBTOP_CONFIG is an error.
 *
 *   # comment (also ';'); blank lines skipped
 *   theme = high-contrast
 *   interval = 10
 *   bell = true
 *   key.refresh = R
 *   key.quit = F10
 *   [profile prod]
 *   readonly = true
 *
 * Top-level keys: theme, interval, bell, readonly, mouse, ascii, no_color,
 * key.ACTION. In `[profile NAME]`: readonly. Every other key or section,
 * a key given twice in a section, a profile given twice and a key spec
 * bound to two actions are errors: "config PATH:LINE: KEY: what" (values
 * echoed at most 40 characters, control characters as '?').
 *
 * Key specs (dash_key_parse): one printable ASCII character ("R", "+");
 * ^X for Ctrl-X (^@ .. ^_, letters either case; ^? is DEL); F1..F12;
 * names, any case: Enter, Esc, Tab, BackTab (Shift-Tab), Space,
 * Backspace, Up, Down, Left, Right, Home, End, PgUp, PgDn, Insert,
 * Delete. Action names are stored lower-cased ([a-z0-9_-]); the keymap
 * validates them when dash_config_apply_keys hands them over.
 *
 * Ownership: struct dash_config is plain data (fixed arrays, the theme
 * copied in); the caller owns it. dash_config_set/dash_config_get hand
 * one to the UI without a change to struct app_config: get borrows what
 * was set, for as long as the setter keeps it.
 */
#ifndef QLDBTOP_TUI_DASH_CONFIG_H
#define QLDBTOP_TUI_DASH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "api/config.h"
#include "tui/theme.h"

#define DASH_CONFIG_FILE_MAX (64 * 1024) /* real ones are a few lines */
#define DASH_CONFIG_LINE_MAX 1024
#define DASH_CONFIG_PATH_MAX 4096
#define DASH_CONFIG_ERR_MAX (DASH_CONFIG_PATH_MAX + 256)
#define DASH_KEYS_MAX 64     /* key bindings in one file */
#define DASH_PROFILES_MAX 64 /* [profile NAME] sections in one file */
#define DASH_ACTION_MAX 32   /* "next_ledger" */
#define DASH_KEYSPEC_MAX 16  /* "Backspace" */
#define DASH_PROFILE_MAX API_PROFILE_MAX

struct dash_key_binding {
	char action[DASH_ACTION_MAX]; /* as written after "key." */
	char spec[DASH_KEYSPEC_MAX];  /* as written ("F10"), for help and messages */
	int key;		      /* curses key code (KEY_F(10), 'R', 17 for ^Q) */
	int line;		      /* of the file, for the keymap's own messages */
};

struct dash_profile_setting {
	char name[DASH_PROFILE_MAX];
	bool readonly;
	bool readonly_set; /* false: the top-level readonly applies */
	int line;
};

/* What the command line said (tui/options.c fills it). */
struct dash_cli {
	const char *config_path; /* --config FILE or NULL */
	const char *theme;	 /* --theme NAME or NULL */
	unsigned interval_s;	 /* --interval, or the default when not given */
	bool interval_given;
	bool no_mouse, readonly, ascii, no_color;
};

/* The resolved settings: what app.c consumes. */
struct dash_config {
	char path[DASH_CONFIG_PATH_MAX]; /* the config file read; "" when none */
	bool file_found;
	struct theme_def theme; /* loaded; theme.name is its name */
	int theme_line;		/* the file's line that named the theme; 0: not the file */
	unsigned interval_s;	/* base pace S, OPTIONS_INTERVAL_MIN_S..MAX_S */
	bool bell;		/* beep() when the integrity banner rises */
	bool readonly;		/* --readonly or the file's top-level readonly */
	bool readonly_forced;	/* --readonly: no profile may lift it */
	bool mouse;		/* mousemask() wanted */
	bool ascii;		/* ASCII glyphs */
	bool no_color;		/* monochrome column */
	struct dash_key_binding keys[DASH_KEYS_MAX];
	size_t n_keys;
	struct dash_profile_setting profiles[DASH_PROFILES_MAX];
	size_t n_profiles;
	/* the AWS profile in use at start (api/config's resolution), filled by
	 * cmd_dashboard after dash_config_resolve; "" until then. Read-only
	 * now: dash_config_readonly(c, c->profile). */
	char profile[DASH_PROFILE_MAX];
};

/* Resolve everything: find and parse the file, apply env and cli, load
 * the theme from themes_dir (assets_dir("themes")). getenv_fn NULL means
 * getenv; codeset is nl_langinfo(CODESET) after setlocale(LC_CTYPE, "")
 * (NULL: not UTF-8). 0, or -1 with one line in err (no "qldbtop:"). */
int dash_config_resolve(const struct dash_cli *cli, api_getenv_fn getenv_fn, const char *codeset,
			const char *themes_dir, struct dash_config *out, char *err, size_t cap);

/* Apply a config file's text over out (which holds defaults); what is the
 * path named in messages. The pure core of dash_config_resolve; the theme
 * name is left in out->theme.name, not loaded. 0, or -1 with err. */
int dash_config_parse(const char *text, size_t len, const char *what, struct dash_config *out,
		      char *err, size_t cap);

/* Rebind the keymap (tui/keymap.h) with c's keys, then check it for a key
 * bound twice; before the UI starts. 0, or -1 with err naming the file,
 * line and key ("config P:3: key.frob: no action called 'frob' ..."). */
int dash_config_apply_keys(const struct dash_config *c, char *err, size_t cap);

/* Whether profile runs read-only: --readonly, else its [profile] setting,
 * else the top-level one. profile NULL: the top-level setting. */
bool dash_config_readonly(const struct dash_config *c, const char *profile);

/* A key spec into a curses key code. 0, or -1 (not a key spec). */
int dash_key_parse(const char *spec, int *key);

/* True when the codeset is not UTF-8 ("UTF-8", "utf8", any case). */
bool dash_ascii_for_codeset(const char *codeset);

/* The mouse default: off when SSH_CONNECTION is set and non-empty. */
bool dash_mouse_default(api_getenv_fn getenv_fn);

/* Hand the resolved settings to the UI (see Ownership). */
void dash_config_set(const struct dash_config *c);
const struct dash_config *dash_config_get(void); /* NULL until set */

#endif
