/*
 * vault.c - the digest vault file (see vault.h): path building with
 * checked components, a strict line reader, and appends under flock with
 * fsync.
 */
#include "api/vault.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/json_strict.h"

struct vault {
	char path[VAULT_PATH_MAX];
	int fd;
	bool has_last;
	struct vault_entry last;
	size_t entries;
	size_t n_problems;
	struct vault_problem problems[VAULT_PROBLEMS_MAX];
};

/* A path component we write under: [A-Za-z0-9._-], not "." or "..". */
static bool component_is_safe(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > VAULT_COMPONENT_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* "host" or "host_port" from scheme://[userinfo@]host[:port][/...]. */
static int host_component(const char *url, char *out, size_t cap, struct api_error *err)
{
	const char *p = strstr(url, "://");
	if (!p)
		return api_error_set(err, API_ERR_CONFIG, "vault: endpoint '%.80s' has no scheme",
				     url);
	p += 3;
	size_t auth = strcspn(p, "/?#");
	const char *at = memchr(p, '@', auth);
	if (at) { /* userinfo never goes into a path */
		auth -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	char host[VAULT_COMPONENT_MAX + 1], port[16] = "";
	size_t hn;
	const char *rest;
	if (*p == '[') { /* IPv6 literal */
		const char *close = memchr(p, ']', auth);
		if (!close)
			return api_error_set(err, API_ERR_CONFIG,
					     "vault: endpoint '%.80s': unterminated IPv6 host",
					     url);
		hn = (size_t)(close - p - 1);
		if (hn >= sizeof host)
			return api_error_set(err, API_ERR_LIMIT, "vault: endpoint host too long");
		memcpy(host, p + 1, hn);
		rest = close + 1;
	} else {
		const char *colon = memchr(p, ':', auth);
		hn = colon ? (size_t)(colon - p) : auth;
		if (hn >= sizeof host)
			return api_error_set(err, API_ERR_LIMIT, "vault: endpoint host too long");
		memcpy(host, p, hn);
		rest = p + hn;
	}
	host[hn] = '\0';
	if (!component_is_safe(host) && !memchr(host, ':', hn))
		return api_error_set(err, API_ERR_CONFIG,
				     "vault: endpoint host '%.80s' is not a safe directory name",
				     host);
	size_t end = (size_t)(p + auth - rest);
	if (end && *rest == ':') {
		if (end - 1 >= sizeof port || end == 1)
			return api_error_set(err, API_ERR_CONFIG,
					     "vault: endpoint '%.80s': bad port", url);
		memcpy(port, rest + 1, end - 1);
		port[end - 1] = '\0';
		for (const char *d = port; *d; d++)
			if (*d < '0' || *d > '9')
				return api_error_set(err, API_ERR_CONFIG,
						     "vault: endpoint '%.80s': bad port", url);
	} else if (end) {
		return api_error_set(err, API_ERR_CONFIG, "vault: endpoint '%.80s': bad host", url);
	}
	for (char *c = host; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
		else if (*c == ':')
			*c = '-';
	}
	int n = port[0] ? snprintf(out, cap, "%s_%s", host, port) : snprintf(out, cap, "%s", host);
	if (n < 0 || (size_t)n >= cap)
		return api_error_set(err, API_ERR_LIMIT, "vault: endpoint host too long");
	if (!component_is_safe(out))
		return api_error_set(err, API_ERR_CONFIG,
				     "vault: endpoint host '%.80s' is not a safe directory name",
				     out);
	return 0;
}

int vault_path(char *out, size_t cap, const char *root, const char *endpoint_url,
	       const char *region, const char *ledger, api_getenv_fn getenv_fn,
	       struct api_error *err)
{
	api_error_clear(err);
	if (!getenv_fn)
		getenv_fn = (api_getenv_fn)getenv;
	char host[VAULT_COMPONENT_MAX + 1], base[VAULT_PATH_MAX];
	int rc;
	if (!endpoint_url || !region || !ledger)
		return api_error_set(err, API_ERR_CONFIG,
				     "vault: endpoint, region and ledger "
				     "are required");
	if ((rc = host_component(endpoint_url, host, sizeof host, err)))
		return rc;
	if (!component_is_safe(region))
		return api_error_set(err, API_ERR_CONFIG,
				     "vault: region '%.64s' is not a safe directory name", region);
	if (!qldb_name_is_valid(ledger))
		return api_error_set(err, API_ERR_CONFIG,
				     "vault: '%.40s' is not a valid ledger name", ledger);
	if (root) {
		if (!root[0])
			return api_error_set(err, API_ERR_CONFIG, "vault: empty vault directory");
		snprintf(base, sizeof base, "%s", root);
	} else {
		const char *state = getenv_fn("XDG_STATE_HOME");
		const char *home = getenv_fn("HOME");
		/* the XDG spec: a relative XDG_STATE_HOME is invalid, ignore it */
		if (state && state[0] == '/')
			rc = snprintf(base, sizeof base, "%s/qldbtop/vault", state);
		else if (home && home[0] == '/')
			rc = snprintf(base, sizeof base, "%s/.local/state/qldbtop/vault", home);
		else
			return api_error_set(err, API_ERR_CONFIG,
					     "vault: neither XDG_STATE_HOME nor HOME is an "
					     "absolute path");
		if (rc < 0 || (size_t)rc >= sizeof base)
			return api_error_set(err, API_ERR_LIMIT, "vault: state directory too long");
	}
	int n = snprintf(out, cap, "%s/%s/%s/%s.jsonl", base, host, region, ledger);
	if (n < 0 || (size_t)n >= cap)
		return api_error_set(err, API_ERR_LIMIT, "vault: path longer than %zu bytes",
				     cap - 1);
	return 0;
}

/* mkdir -p of the directory holding path, new directories 0700. */
static int make_parents(const char *path, struct api_error *err)
{
	char dir[VAULT_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1;; p++) {
		bool last = *p == '\0';
		if (*p == '/' || last) {
			char keep = *p;
			*p = '\0';
			struct stat st;
			if (mkdir(dir, 0700) != 0 && errno != EEXIST)
				return api_error_set(err, API_ERR_CONFIG, "vault: mkdir %s: %s",
						     dir, strerror(errno));
			if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
				return api_error_set(err, API_ERR_CONFIG,
						     "vault: %s is not a directory", dir);
			*p = keep;
		}
		if (last)
			break;
	}
	return 0;
}

static int fsync_parent(const char *path)
{
	char dir[VAULT_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static void problem_add(struct vault *v, size_t line, const char *fmt, const char *why)
{
	if (v->n_problems < VAULT_PROBLEMS_MAX) {
		struct vault_problem *p = &v->problems[v->n_problems];
		p->line = line;
		struct api_error e;
		api_error_set(&e, API_ERR_PARSE, fmt, v->path, line, why);
		memcpy(p->message, e.msg, sizeof p->message);
	}
	v->n_problems++;
}

/* One line (without its newline, NUL-terminated): an entry or why not. */
static int line_read(const char *s, size_t len, struct vault_entry *out, char *why, size_t cap)
{
	cJSON *o = json_strict_parse(s, len, "entry", why, cap);
	if (!o)
		return -1;
	int rc = -1;
	struct api_error e;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "FetchedAt");
	if (!cJSON_IsObject(o))
		snprintf(why, cap, "not a JSON object");
	else if (qldb_digest_from_json(o, &out->digest, &e))
		snprintf(why, cap, "%s", e.msg);
	else if (!cJSON_IsNumber(t) || !isfinite(t->valuedouble) || t->valuedouble < 0)
		snprintf(why, cap, "FetchedAt is missing or not a time (epoch seconds)");
	else {
		out->fetched = t->valuedouble;
		rc = 0;
	}
	cJSON_Delete(o);
	return rc;
}

static int vault_load(struct vault *v, struct api_error *err)
{
	int fd2 = dup(v->fd);
	FILE *f = fd2 >= 0 ? fdopen(fd2, "r") : NULL;
	if (!f) {
		if (fd2 >= 0)
			close(fd2);
		return api_error_set(err, API_ERR_CONFIG, "vault: %s: %s", v->path,
				     strerror(errno));
	}
	if (flock(v->fd, LOCK_SH) != 0) {
		fclose(f);
		return api_error_set(err, API_ERR_CONFIG, "vault: %s: lock: %s", v->path,
				     strerror(errno));
	}
	rewind(f);
	char *line = NULL;
	size_t cap = 0, no = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) >= 0) {
		no++;
		bool nl = n > 0 && line[n - 1] == '\n';
		size_t len = (size_t)n - (nl ? 1 : 0);
		line[len] = '\0';
		char why[API_ERROR_MSG_MAX];
		struct vault_entry e = { .line = no };
		if (len > VAULT_LINE_MAX)
			problem_add(v, no, "vault %s line %zu: %s", "longer than the line limit");
		else if (!nl)
			problem_add(v, no, "vault %s line %zu: %s",
				    "truncated (no newline at the end: an interrupted write)");
		else if (memchr(line, '\0', len))
			problem_add(v, no, "vault %s line %zu: %s", "holds a NUL byte");
		else if (line_read(line, len, &e, why, sizeof why))
			problem_add(v, no, "vault %s line %zu: %s", why);
		else {
			v->last = e;
			v->has_last = true;
			v->entries++;
		}
	}
	free(line);
	int rerr = ferror(f);
	flock(v->fd, LOCK_UN);
	fclose(f);
	if (rerr)
		return api_error_set(err, API_ERR_CONFIG, "vault: %s: read error", v->path);
	return 0;
}

struct vault *vault_open(const char *root, const char *endpoint_url, const char *region,
			 const char *ledger, api_getenv_fn getenv_fn, struct api_error *err)
{
	struct vault *v = calloc(1, sizeof *v);
	if (!v) {
		api_error_set(err, API_ERR_NOMEM, "vault: out of memory");
		return NULL;
	}
	v->fd = -1;
	if (vault_path(v->path, sizeof v->path, root, endpoint_url, region, ledger, getenv_fn,
		       err) ||
	    make_parents(v->path, err))
		goto fail;
	bool created = true;
	/* O_NOFOLLOW: a link planted in the state directory is not followed */
	v->fd = open(v->path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (v->fd < 0 && errno == EEXIST) {
		created = false;
		v->fd = open(v->path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	}
	if (v->fd < 0) {
		api_error_set(err, API_ERR_CONFIG, "vault: open %s: %s", v->path, strerror(errno));
		goto fail;
	}
	struct stat st;
	if (fstat(v->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		api_error_set(err, API_ERR_CONFIG, "vault: %s is not a regular file", v->path);
		goto fail;
	}
	if (created && (fsync(v->fd) != 0 || fsync_parent(v->path) != 0)) {
		api_error_set(err, API_ERR_CONFIG, "vault: fsync %s: %s", v->path, strerror(errno));
		goto fail;
	}
	if (vault_load(v, err))
		goto fail;
	return v;
fail:
	vault_free(v);
	return NULL;
}

void vault_free(struct vault *v)
{
	if (!v)
		return;
	if (v->fd >= 0)
		close(v->fd);
	free(v);
}

const char *vault_file(const struct vault *v)
{
	return v->path;
}

bool vault_last(const struct vault *v, struct vault_entry *out)
{
	if (v->has_last)
		*out = v->last;
	return v->has_last;
}

size_t vault_entry_count(const struct vault *v)
{
	return v->entries;
}

size_t vault_problem_count(const struct vault *v)
{
	return v->n_problems;
}

const struct vault_problem *vault_problem_get(const struct vault *v, size_t i)
{
	return i < v->n_problems && i < VAULT_PROBLEMS_MAX ? &v->problems[i] : NULL;
}

/* Write all of buf (O_APPEND: each write lands at the end). */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int vault_append(struct vault *v, const struct qldb_digest *d, double fetched,
		 struct api_error *err)
{
	api_error_clear(err);
	cJSON *o = cJSON_CreateObject(), *tip = NULL;
	char *text = NULL;
	/* members in get-digest's order: Digest, DigestTipAddress */
	if (o && cJSON_AddStringToObject(o, "Digest", d->digest_b64) &&
	    (tip = cJSON_AddObjectToObject(o, "DigestTipAddress")) &&
	    cJSON_AddStringToObject(tip, "IonText", d->tip_ion) &&
	    cJSON_AddNumberToObject(o, "FetchedAt", fetched))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		return api_error_set(err, API_ERR_NOMEM, "vault: out of memory");
	size_t len = strlen(text);
	char *line = realloc(text, len + 2);
	if (!line) {
		free(text);
		return api_error_set(err, API_ERR_NOMEM, "vault: out of memory");
	}
	line[len++] = '\n';
	line[len] = '\0';
	int rc = 0;
	if (flock(v->fd, LOCK_EX) != 0) {
		free(line);
		return api_error_set(err, API_ERR_CONFIG, "vault: %s: lock: %s", v->path,
				     strerror(errno));
	}
	/* a torn last line (a crash mid-write) gets its newline first */
	struct stat st;
	char lastc = '\n';
	if (fstat(v->fd, &st) != 0 ||
	    (st.st_size > 0 && pread(v->fd, &lastc, 1, st.st_size - 1) != 1))
		rc = api_error_set(err, API_ERR_CONFIG, "vault: %s: %s", v->path, strerror(errno));
	else if ((lastc != '\n' && write_all(v->fd, "\n", 1)) || write_all(v->fd, line, len) ||
		 fsync(v->fd) != 0)
		rc = api_error_set(err, API_ERR_CONFIG, "vault: write %s: %s", v->path,
				   strerror(errno));
	flock(v->fd, LOCK_UN);
	free(line);
	return rc;
}
