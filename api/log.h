/*
 * log.h - the process's one log: `--log FILE`, one line per event,
 * "2026-12-05T17:30:00.123Z LEVEL [thread] message", appended under a
 * mutex so lines from worker threads never interleave. Nothing goes to the
 * terminal: with no file open, log_msg does nothing (curses owns the
 * screen while the dashboard runs).
 *
 * Level: QLDBTOP_LOG_LEVEL in the environment (error, warn, info, debug;
 * default info), read by log_open. A bad value is an error there.
 *
 * Redaction: every line passes through log_redact before it is written.
 * It replaces with "<redacted>" each registered secret value (the secret
 * key and session token in use: log_add_secret) wherever it occurs, and
 * the value after these patterns, case-insensitively:
 *   "Authorization:"         the rest of the line
 *   "X-Amz-Security-Token"   then ':' or '=', the value (to blank, '&', ';', ',', '"')
 *   "X-Amz-Signature=", "Signature="  the value
 *   "aws_secret_access_key", "aws_session_token"  then '=' or ':', the value
 * store.c applies the same function to every error it keeps, so a
 * server message that echoes a header cannot carry a secret to the UI.
 *
 * Ownership: log_open copies nothing of path; log_add_secret copies the
 * value (at most LOG_SECRETS_MAX values, wiped by log_close). Threads:
 * every function is safe from any thread; log_open and log_close are
 * meant for main before threads start and after they stop.
 */
#ifndef QLDBTOP_API_LOG_H
#define QLDBTOP_API_LOG_H

#include <stdbool.h>
#include <stddef.h>

#define LOG_LINE_MAX 1024 /* one logged line, after redaction */
#define LOG_SECRETS_MAX 8 /* secret key, session token, with room */
#define LOG_SECRET_MIN 4  /* shorter values are not registered (would redact words) */
#define LOG_REDACTED "<redacted>"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* "error", "warn", "info", "debug" -> level; -1 when unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level l);

/* Open path for appending (regular file only, created 0600, O_NOFOLLOW).
 * path NULL: no log (lines are dropped). level_env: the value of
 * QLDBTOP_LOG_LEVEL or NULL. Returns 0, or -1 with one line in err. */
int log_open(const char *path, const char *level_env, char *err, size_t cap);
void log_close(void);
bool log_enabled(enum log_level l);

/* Remember a secret value to redact everywhere (empty/short ones ignored). */
void log_add_secret(const char *value);

void log_msg(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Redact in into out (cap bytes, always NUL-terminated, control
 * characters become spaces so a line stays one line) using the registered
 * secrets and the patterns above. Pure apart from reading the registered
 * secrets. Returns out. */
char *log_redact(const char *in, char *out, size_t cap);
/* Same with an explicit secret list (for tests and callers with their own). */
char *log_redact_with(const char *in, char *out, size_t cap, const char *const *secrets,
		      size_t n_secrets);

#endif
