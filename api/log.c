/*
 * log.c - the --log file: levels, timestamps, one mutex, and the redaction
 * every line goes through (see log.h).
 */
#include "api/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_SECRET_MAX 4096 /* a session token runs to ~2 KB (API_TOKEN_MAX) */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;
static enum log_level log_max = LOG_INFO;
static char *log_secrets[LOG_SECRETS_MAX];
static size_t log_n_secrets;

static const char *const LOG_LEVEL_NAMES[] = {
	[LOG_ERROR] = "error",
	[LOG_WARN] = "warn",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

/* What follows a pattern: the rest of the line, or one value after a
 * ':' or '=' (which key patterns require; "...=" patterns hold theirs). */
enum redact_value { REDACT_TO_EOL, REDACT_KEY_VALUE, REDACT_DIRECT };

static const struct {
	const char *pattern;
	enum redact_value value;
} LOG_PATTERNS[] = {
	{ "Authorization:", REDACT_TO_EOL },	   { "X-Amz-Security-Token", REDACT_KEY_VALUE },
	{ "X-Amz-Credential=", REDACT_DIRECT },	   { "X-Amz-Signature=", REDACT_DIRECT },
	{ "Signature=", REDACT_DIRECT },	   { "aws_secret_access_key", REDACT_KEY_VALUE },
	{ "aws_session_token", REDACT_KEY_VALUE }, { "SecretAccessKey", REDACT_KEY_VALUE },
	{ "SessionToken", REDACT_KEY_VALUE },
};

int log_level_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof LOG_LEVEL_NAMES / sizeof LOG_LEVEL_NAMES[0]; i++)
		if (strcasecmp(s, LOG_LEVEL_NAMES[i]) == 0)
			return (int)i;
	return -1;
}

const char *log_level_name(enum log_level l)
{
	return (unsigned)l <= LOG_DEBUG ? LOG_LEVEL_NAMES[l] : "?";
}

static bool value_end(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '&' || c == ';' || c == ',' || c == '"' ||
	       c == '\'' || c == '\n' || c == '\r';
}

/* Output cursor that never overflows and always leaves room for the NUL. */
struct redact_out {
	char *buf;
	size_t cap, n;
};

static void out_put(struct redact_out *o, const char *s, size_t len)
{
	for (size_t i = 0; i < len && o->n + 1 < o->cap; i++) {
		unsigned char c = (unsigned char)s[i];
		o->buf[o->n++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
}

/* At in[i] a pattern matched: copy its separators, redact its value;
 * returns the index after the value. */
static size_t redact_pattern(const char *in, size_t i, size_t plen, enum redact_value how,
			     struct redact_out *o)
{
	size_t j = i + plen;
	out_put(o, in + i, plen);
	if (how == REDACT_TO_EOL) {
		while (in[j] == ' ' || in[j] == '\t')
			out_put(o, in + j++, 1);
		if (in[j] && in[j] != '\n') {
			out_put(o, LOG_REDACTED, strlen(LOG_REDACTED));
			while (in[j] && in[j] != '\n' && in[j] != '\r')
				j++;
		}
		return j;
	}
	if (how == REDACT_KEY_VALUE) {
		size_t k = j;
		while (in[k] == ' ' || in[k] == '\t' || in[k] == '"' || in[k] == '\'')
			k++;
		if (in[k] != ':' && in[k] != '=')
			return j; /* the word alone, not a key with a value */
		k++;
		while (in[k] == ' ' || in[k] == '\t' || in[k] == '"' || in[k] == '\'')
			k++;
		out_put(o, in + j, k - j);
		j = k;
	}
	if (!value_end(in[j]))
		out_put(o, LOG_REDACTED, strlen(LOG_REDACTED));
	while (!value_end(in[j]))
		j++;
	return j;
}

char *log_redact_with(const char *in, char *out, size_t cap, const char *const *secrets,
		      size_t n_secrets)
{
	struct redact_out o = { .buf = out, .cap = cap, .n = 0 };
	if (!cap)
		return out;
	size_t i = 0;
	while (in && in[i] && o.n + 1 < cap) {
		size_t best = 0;
		for (size_t s = 0; s < n_secrets; s++) {
			size_t l = secrets[s] ? strlen(secrets[s]) : 0;
			if (l >= LOG_SECRET_MIN && l > best && strncmp(in + i, secrets[s], l) == 0)
				best = l;
		}
		if (best) {
			out_put(&o, LOG_REDACTED, strlen(LOG_REDACTED));
			i += best;
			continue;
		}
		bool matched = false;
		for (size_t p = 0; p < sizeof LOG_PATTERNS / sizeof LOG_PATTERNS[0]; p++) {
			size_t pl = strlen(LOG_PATTERNS[p].pattern);
			if (strncasecmp(in + i, LOG_PATTERNS[p].pattern, pl) == 0) {
				i = redact_pattern(in, i, pl, LOG_PATTERNS[p].value, &o);
				matched = true;
				break;
			}
		}
		if (!matched)
			out_put(&o, in + i++, 1);
	}
	out[o.n] = '\0';
	return out;
}

char *log_redact(const char *in, char *out, size_t cap)
{
	pthread_mutex_lock(&log_lock);
	log_redact_with(in, out, cap, (const char *const *)log_secrets, log_n_secrets);
	pthread_mutex_unlock(&log_lock);
	return out;
}

void log_add_secret(const char *value)
{
	size_t l = value ? strnlen(value, LOG_SECRET_MAX + 1) : 0;
	if (l < LOG_SECRET_MIN || l > LOG_SECRET_MAX)
		return;
	pthread_mutex_lock(&log_lock);
	bool known = false;
	for (size_t i = 0; i < log_n_secrets; i++)
		known |= strcmp(log_secrets[i], value) == 0;
	if (!known && log_n_secrets < LOG_SECRETS_MAX) {
		char *copy = strdup(value);
		if (copy)
			log_secrets[log_n_secrets++] = copy;
	}
	pthread_mutex_unlock(&log_lock);
}

int log_open(const char *path, const char *level_env, char *err, size_t cap)
{
	if (level_env && *level_env) {
		int lv = log_level_parse(level_env);
		if (lv < 0) {
			snprintf(err, cap,
				 "QLDBTOP_LOG_LEVEL '%.20s' is not one of error, warn, info, debug",
				 level_env);
			return -1;
		}
		log_max = (enum log_level)lv;
	}
	if (!path)
		return 0;
	/* non-blocking open: a FIFO without a reader fails at once */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
		      0600);
	struct stat st;
	const char *why = NULL;
	FILE *f = NULL;
	if (fd < 0)
		why = strerror(errno);
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (fcntl(fd, F_SETFL, O_APPEND) != 0 || !(f = fdopen(fd, "a")))
		why = strerror(errno);
	if (why) {
		snprintf(err, cap, "--log %.200s: cannot open for appending: %s", path, why);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	pthread_mutex_lock(&log_lock);
	log_file = f;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	for (size_t i = 0; i < log_n_secrets; i++) {
		explicit_bzero(log_secrets[i], strlen(log_secrets[i]));
		free(log_secrets[i]);
		log_secrets[i] = NULL;
	}
	log_n_secrets = 0;
	pthread_mutex_unlock(&log_lock);
}

bool log_enabled(enum log_level l)
{
	pthread_mutex_lock(&log_lock);
	bool on = log_file && l <= log_max;
	pthread_mutex_unlock(&log_lock);
	return on;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	if (!log_enabled(l))
		return;
	char raw[LOG_LINE_MAX], line[LOG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[40];
	size_t w = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + w, sizeof when - w, ".%03ldZ", ts.tv_nsec / 1000000);

	pthread_mutex_lock(&log_lock);
	if (log_file) {
		log_redact_with(raw, line, sizeof line, (const char *const *)log_secrets,
				log_n_secrets);
		fprintf(log_file, "%s %-5s %s\n", when, LOG_LEVEL_NAMES[l], line);
		fflush(log_file);
	}
	pthread_mutex_unlock(&log_lock);
}
