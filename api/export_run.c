/*
 * export_run.c - plan and run `verify-export` (see export_run.h): folder
 * walk, manifest reading, key resolution, the job pool, in-order merge and
 * the progress bar. Data objects are streamed through
 * ion_reader_open_source with fread, so memory does not grow with the
 * export; at most EXPORT_WINDOW_PER_JOB objects per job are in flight.
 */
#include "api/export_run.h"

#include "api/s3.h"
#include "api/cli_io.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXPORT_WINDOW_PER_JOB 4 /* results waiting for the merge, per job */
#define EXPORT_READ_CHUNK (256u << 10)

/* ---- plan ------------------------------------------------------------ */

struct found {
	char **paths;
	size_t n, cap;
	struct export_plan *plan;	 /* for the folders that could not be searched */
	char why[EXPORT_PATH_MAX + 128]; /* why the walk stopped, if it did on purpose */
};

/* Files named like data objects (<strand>.<first>-<last>.<ext>), by real
 * path: one that no manifest key reaches is content nothing checked. */
struct objfiles {
	char **paths;
	size_t n, cap;
};
static struct objfiles g_objs; /* filled by the walk, one thread */

static int objfile_add(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	struct export_range r;
	if (export_key_parse(base, strlen(base), &r) != 0)
		return 0;
	char real[PATH_MAX];
	if (!realpath(path, real))
		return 0; /* the walk follows no link: a vanished file, not content */
	if (g_objs.n == g_objs.cap) {
		size_t cap = g_objs.cap ? g_objs.cap * 2 : 64;
		char **p = realloc(g_objs.paths, cap * sizeof *p);
		if (!p)
			return -1;
		g_objs.paths = p;
		g_objs.cap = cap;
	}
	return (g_objs.paths[g_objs.n++] = strdup(real)) ? 0 : -1;
}

static struct found g_found; /* nftw has no context pointer; used under one thread */

/* Note a folder that was not searched (unproven: a manifest may be in it). */
static int note_unsearched(const char *path, const char *why)
{
	struct export_plan *p = g_found.plan;
	if (p->n_unsearched >= EXPORT_MAX_UNSEARCHED) {
		p->more_unsearched++;
		return 0;
	}
	char *s = malloc(strlen(path) + strlen(why) + 3);
	if (!s)
		return -1;
	sprintf(s, "%s: %s", path, why);
	p->unsearched[p->n_unsearched++] = s;
	return 0;
}

static int on_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	if (type == FTW_DNR || type == FTW_NS)
		return note_unsearched(path, type == FTW_DNR ? "cannot be read"
							     : "cannot be examined") == 0
			       ? FTW_CONTINUE
			       : FTW_STOP;
	if (type == FTW_D && ftw->level >= EXPORT_WALK_MAX_DEPTH)
		return note_unsearched(path, "deeper than EXPORT_WALK_MAX_DEPTH folders") == 0
			       ? FTW_SKIP_SUBTREE
			       : FTW_STOP;
	if (type != FTW_F && type != FTW_SL)
		return FTW_CONTINUE;
	if (objfile_add(path) != 0)
		return FTW_STOP;
	size_t n = strlen(path);
	static const char SUFFIX[] = ".completed.manifest";
	if (n < sizeof SUFFIX || strcmp(path + n - (sizeof SUFFIX - 1), SUFFIX) != 0)
		return FTW_CONTINUE;
	if (type != FTW_F) {
		/* a manifest reached through a link could list anything from
		 * anywhere: refused, not skipped in silence */
		snprintf(g_found.why, sizeof g_found.why,
			 "%s: is a symbolic link (manifests are read from the export folder only)",
			 path);
		return FTW_STOP;
	}
	if (g_found.n == g_found.cap) {
		size_t cap = g_found.cap ? g_found.cap * 2 : 8;
		char **p = realloc(g_found.paths, cap * sizeof *p);
		if (!p)
			return FTW_STOP;
		g_found.paths = p;
		g_found.cap = cap;
	}
	g_found.paths[g_found.n] = strdup(path);
	return g_found.paths[g_found.n++] ? FTW_CONTINUE : FTW_STOP;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_small(const char *path, size_t *len, char *why, size_t cap)
{
	return cli_file_read(path, EXPORT_MANIFEST_MAX, "larger than EXPORT_MANIFEST_MAX", len, why,
			     cap);
}

struct s3_keys; /* an S3 root's listing, for keys resolved against it */

struct key_ctx {
	struct export_plan *plan;
	const struct s3_keys *s3; /* NULL: keys resolve to files */
	const char *root, *mdir, *manifest;
	const char *root_real; /* realpath of root: every file read must be under it */
	enum export_format format;
	char *why;
	size_t cap;
};

/* A key may not leave the folder by its own spelling: no absolute key, no
 * "." or ".." segment. Returns the offending segment or NULL. */
static const char *key_unsafe(const char *key)
{
	if (key[0] == '/')
		return "an absolute path";
	for (const char *s = key; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return n == 1 ? "a \".\" segment" : "a \"..\" segment";
		if (!e)
			break;
		s = e + 1;
	}
	return NULL;
}

/* Is real (a realpath) root_real itself or below it? */
static bool path_within(const char *root_real, const char *real)
{
	size_t n = strlen(root_real);
	if (strncmp(real, root_real, n) != 0)
		return false;
	return real[n] == '\0' || real[n] == '/' || (n == 1 && root_real[0] == '/');
}

/* Resolve a key (rule in export_run.h). Returns 0 with *out a malloc'd real
 * path below the folder or NULL when nothing matches (a missing object), or
 * -1 with why when the match leaves the folder or cannot be resolved. */
static int resolve_key(const struct key_ctx *k, const char *key, char **out)
{
	char path[EXPORT_PATH_MAX], real[PATH_MAX], first[EXPORT_PATH_MAX] = "";
	struct stat st;
	*out = NULL;
	/* every candidate is looked at: two different files that both match
	 * the key would leave open which one a reader takes, so that is an
	 * input error rather than a choice */
	for (const char *s = key; s; s = strchr(s, '/') ? strchr(s, '/') + 1 : NULL) {
		if (*s == '\0')
			break;
		const char *bases[2] = { k->root, k->mdir };
		for (int b = 0; b < 2; b++) {
			if (snprintf(path, sizeof path, "%s/%s", bases[b], s) >= (int)sizeof path)
				continue;
			if (lstat(path, &st) != 0)
				continue;
			if (!realpath(path, real)) {
				snprintf(k->why, k->cap, "%s: key \"%.200s\": %s: %s", k->manifest,
					 key, path, strerror(errno));
				goto fail;
			}
			if (!path_within(k->root_real, real)) {
				snprintf(k->why, k->cap,
					 "%s: key \"%.200s\" resolves to %s, outside the export "
					 "folder %s",
					 k->manifest, key, real, k->root);
				goto fail;
			}
			if (*out && strcmp(*out, real) != 0) {
				snprintf(k->why, k->cap,
					 "%s: key \"%.200s\" matches two different files, %s and "
					 "%s: which one the export holds is not clear",
					 k->manifest, key, first, path);
				goto fail;
			}
			if (!*out) {
				snprintf(first, sizeof first, "%s", path);
				*out = strdup(real);
				if (!*out) {
					snprintf(k->why, k->cap, "out of memory");
					return -1;
				}
			}
		}
	}
	return 0;
fail:
	free(*out);
	*out = NULL;
	return -1;
}

static int resolve_key_s3(const struct key_ctx *k, const char *key, struct export_job *j);

static int on_key(void *ctx, const char *key, size_t len)
{
	struct key_ctx *k = ctx;
	struct export_plan *p = k->plan;
	char kbuf[EXPORT_KEY_MAX + 1];
	memcpy(kbuf, key, len);
	kbuf[len] = '\0';
	if (memchr(kbuf, '\0', len)) {
		snprintf(k->why, k->cap, "%s: a key holds a NUL byte", k->manifest);
		return 1;
	}
	const char *bad = key_unsafe(kbuf);
	if (bad) {
		snprintf(k->why, k->cap,
			 "%s: key \"%.200s\" has %s (keys are looked up inside the export "
			 "folder only)",
			 k->manifest, kbuf, bad);
		return 1;
	}
	struct export_range r;
	if (export_key_parse(kbuf, len, &r)) {
		snprintf(k->why, k->cap,
			 "%s: key \"%.200s\" does not end in <strandId>.<first>-<last>.<ext>",
			 k->manifest, kbuf);
		return 1;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct export_job *j = realloc(p->jobs, cap * sizeof *j);
		if (!j) {
			snprintf(k->why, k->cap, "out of memory");
			return 1;
		}
		p->jobs = j;
		p->cap = cap;
	}
	struct export_job *j = &p->jobs[p->n];
	memset(j, 0, sizeof *j);
	j->range = r;
	j->declared = k->format;
	if (k->s3 ? resolve_key_s3(k, kbuf, j) : resolve_key(k, kbuf, &j->path))
		return 1;
	j->label = strdup(kbuf);
	if (!j->label) {
		free(j->path);
		snprintf(k->why, k->cap, "out of memory");
		return 1;
	}
	struct stat st;
	if (!k->s3 && j->path && stat(j->path, &st) == 0 && S_ISREG(st.st_mode))
		j->size = (uint64_t)st.st_size;
	p->total_bytes += j->size;
	p->n++;
	return 0;
}

/* The started manifest's exportId, when it has one, must be the one in the
 * file names: otherwise it describes another export than the one whose
 * format and objects are checked. (The manifest parsed already; this reads
 * it once more for the one field.) Returns 0 or -1 with why. */
static int started_id_matches(const char *buf, size_t len, const char *id, size_t id_len, char *why,
			      size_t cap)
{
	struct ion_arena *a;
	const struct ion_value *v;
	int rc = -1;
	if (ion_parse_one_alloc((const uint8_t *)buf, len, "started manifest", &a, &v, why, cap))
		goto out;
	const struct ion_value *e = ion_struct_get(v, "exportId");
	rc = 0;
	if (!e)
		goto out;
	bool same = !e->is_null && e->type == ION_TYPE_STRING && e->u.bytes.len == id_len &&
		    memcmp(e->u.bytes.data, id, id_len) == 0;
	if (!same) {
		snprintf(why, cap,
			 "started manifest: its exportId is not %.*s, the export named by its file "
			 "name and by the completed manifest",
			 (int)(id_len > 64 ? 64 : id_len), id);
		rc = -1;
	}
out:
	ion_arena_free(a);
	return rc;
}

/* <dir>/<exportId>.started.manifest for a completed manifest path. The
 * completed manifest was found by a walk that follows no link, so only the
 * started manifest's own name can lead out: it must not be a link. */
static int read_started(const char *completed, enum export_format *fmt, char *why, size_t cap)
{
	char path[EXPORT_PATH_MAX];
	const char *base = strrchr(completed, '/');
	base = base ? base + 1 : completed;
	const char *dot = strchr(base, '.');
	if (!dot)
		return 0;
	int n = snprintf(path, sizeof path, "%.*s%.*s.started.manifest", (int)(base - completed),
			 completed, (int)(dot - base), base);
	if (n >= (int)sizeof path)
		return 0;
	struct stat st;
	if (lstat(path, &st) != 0)
		return 0; /* optional: outputFormat is then detected */
	if (S_ISLNK(st.st_mode)) {
		snprintf(why, cap,
			 "%s: is a symbolic link (manifests are read from the export "
			 "folder only)",
			 path);
		return -1;
	}
	size_t len;
	char *buf = read_small(path, &len, why, cap);
	if (!buf)
		return -1;
	char m[EXPORT_WHY_MAX];
	int rc = export_started_parse((const uint8_t *)buf, len, fmt, m, sizeof m);
	if (rc == 0)
		rc = started_id_matches(buf, len, base, (size_t)(dot - base), m, sizeof m);
	free(buf);
	if (rc)
		snprintf(why, cap, "%s: %s", path, m);
	return rc;
}

static int cmp_job(const void *a, const void *b)
{
	const struct export_job *x = a, *y = b;
	if (x->range.first != y->range.first)
		return x->range.first < y->range.first ? -1 : 1;
	if (x->range.last != y->range.last)
		return x->range.last < y->range.last ? -1 : 1;
	return strcmp(x->label, y->label);
}

static void objs_free(void)
{
	for (size_t i = 0; i < g_objs.n; i++)
		free(g_objs.paths[i]);
	free(g_objs.paths);
	memset(&g_objs, 0, sizeof g_objs);
}

/* Names of data objects (real paths, or S3 keys) that no key reached:
 * counted, the first named (unproven: a reader listing the folder would
 * take them as data). */
static void plan_unlisted(struct export_plan *plan, size_t from, char *const *names, size_t n)
{
	size_t nj = 0;
	char **jp = malloc((plan->n ? plan->n : 1) * sizeof *jp);
	if (!jp) {
		plan->unlisted += n; /* cannot tell: count them all */
		return;
	}
	for (size_t i = from; i < plan->n; i++)
		if (plan->jobs[i].path)
			jp[nj++] = plan->jobs[i].path;
	qsort(jp, nj, sizeof *jp, cmp_str);
	for (size_t i = 0; i < n; i++) {
		const char *f = names[i];
		if (nj && bsearch(&f, jp, nj, sizeof *jp, cmp_str))
			continue;
		if (plan->unlisted++ == 0)
			snprintf(plan->unlisted_first, sizeof plan->unlisted_first, "%s", f);
	}
	free(jp);
}

int export_plan_build(char *const *paths, int n, struct export_plan *plan, char *why, size_t cap)
{
	memset(plan, 0, sizeof *plan);
	objs_free();
	char root_real[PATH_MAX];
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0) {
			snprintf(why, cap, "%s: %s", paths[i], strerror(errno));
			export_plan_free(plan);
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(why, cap, "%s: not an export folder", paths[i]);
			export_plan_free(plan);
			return -1;
		}
		if (!realpath(paths[i], root_real)) {
			snprintf(why, cap, "%s: %s", paths[i], strerror(errno));
			export_plan_free(plan);
			return -1;
		}
		/* a folder given twice, or one inside another, would read the same
		 * manifests twice: a usage error, not overlapping ranges */
		for (int k = 0; k < i; k++) {
			char other[PATH_MAX];
			if (realpath(paths[k], other) &&
			    (path_within(other, root_real) || path_within(root_real, other))) {
				snprintf(why, cap,
					 "%s and %s are the same folder or one holds the other: "
					 "give "
					 "each export folder once",
					 paths[k], paths[i]);
				export_plan_free(plan);
				return -1;
			}
		}
		memset(&g_found, 0, sizeof g_found);
		g_found.plan = plan;
		if (nftw(paths[i], on_entry, 16, FTW_PHYS | FTW_ACTIONRETVAL) != 0) {
			if (g_found.why[0])
				snprintf(why, cap, "%s", g_found.why);
			else
				snprintf(why, cap, "%s: cannot walk the folder", paths[i]);
			goto fail_found;
		}
		if (g_found.n == 0) {
			snprintf(
				why, cap,
				"%s: no <exportId>.<strandId>.completed.manifest (missing manifest "
				"or empty folder)",
				paths[i]);
			goto fail_found;
		}
		qsort(g_found.paths, g_found.n, sizeof *g_found.paths, cmp_str);
		for (size_t m = 0; m < g_found.n; m++) {
			const char *mp = g_found.paths[m];
			char mdir[EXPORT_PATH_MAX];
			const char *slash = strrchr(mp, '/');
			snprintf(mdir, sizeof mdir, "%.*s", slash ? (int)(slash - mp) : 1,
				 slash ? mp : ".");
			enum export_format fmt = EXPORT_FORMAT_UNKNOWN;
			if (read_started(mp, &fmt, why, cap))
				goto fail_found;
			size_t len;
			char *buf = read_small(mp, &len, why, cap);
			if (!buf)
				goto fail_found;
			char m2[EXPORT_WHY_MAX];
			struct key_ctx k = { .plan = plan,
					     .root = paths[i],
					     .mdir = mdir,
					     .root_real = root_real,
					     .manifest = mp,
					     .format = fmt,
					     .why = why,
					     .cap = cap };
			size_t first = plan->n;
			int rc = export_completed_parse((const uint8_t *)buf, len, on_key, &k, m2,
							sizeof m2);
			free(buf);
			if (rc < 0)
				snprintf(why, cap, "%s: %s", mp, m2);
			if (rc) /* > 0: on_key has set why */
				goto fail_found;
			if (plan->n == first) {
				snprintf(why, cap, "%s: the manifest lists no data object", mp);
				goto fail_found;
			}
			plan->manifests++;
		}
		for (size_t m = 0; m < g_found.n; m++)
			free(g_found.paths[m]);
		free(g_found.paths);
		memset(&g_found, 0, sizeof g_found);
	}
	qsort(plan->jobs, plan->n, sizeof *plan->jobs, cmp_job);
	plan_unlisted(plan, 0, g_objs.paths, g_objs.n);
	objs_free();
	return 0;
fail_found:
	objs_free();
	for (size_t m = 0; m < g_found.n; m++)
		free(g_found.paths[m]);
	free(g_found.paths);
	memset(&g_found, 0, sizeof g_found);
	export_plan_free(plan);
	return -1;
}

void export_plan_free(struct export_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		free(plan->jobs[i].path);
		free(plan->jobs[i].label);
	}
	for (size_t i = 0; i < plan->n_unsearched; i++)
		free(plan->unsearched[i]);
	for (size_t i = 0; i < plan->n_buckets; i++)
		free(plan->buckets[i]);
	free(plan->buckets);
	free(plan->jobs);
	memset(plan, 0, sizeof *plan);
}

/* ---- plan from S3 ---------------------------------------------------- */

/* One s3:// root: its listing (sorted by key, each key once: the parser
 * checked the order) and where keys resolve. */
struct s3_keys {
	struct s3_client *client;
	const char *bucket;
	const char *root; /* the prefix as a folder: "" or ending in '/' */
	const char *mdir; /* the current manifest's folder: "" or ending in '/' */
	struct s3_listing list;
	unsigned index; /* in plan->buckets */
};

static const struct s3_object *s3_keys_find(const struct s3_keys *ks, const char *key)
{
	size_t lo = 0, hi = ks->list.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ks->list.items[mid].key, key);
		if (c == 0)
			return &ks->list.items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The rule of resolve_key over the listing: for each suffix of the key at
 * a '/' boundary, longest first, ROOT+suffix and MDIR+suffix; two
 * different matches are an input error. Every candidate starts with the
 * root, so nothing outside the prefix is ever read. */
static int resolve_key_s3(const struct key_ctx *k, const char *key, struct export_job *j)
{
	const struct s3_keys *ks = k->s3;
	const struct s3_object *found = NULL;
	char cand[2 * EXPORT_PATH_MAX];
	j->path = NULL;
	for (const char *s = key; s && *s; s = strchr(s, '/') ? strchr(s, '/') + 1 : NULL) {
		const char *bases[2] = { ks->root, ks->mdir };
		for (int b = 0; b < 2; b++) {
			if (snprintf(cand, sizeof cand, "%s%s", bases[b], s) >= (int)sizeof cand)
				continue;
			const struct s3_object *o = s3_keys_find(ks, cand);
			if (!o)
				continue;
			if (found && found != o) {
				snprintf(k->why, k->cap,
					 "%s: key \"%.200s\" matches two different objects, "
					 "s3://%s/%.200s and s3://%s/%.200s: which one the export "
					 "holds is not clear",
					 k->manifest, key, ks->bucket, found->key, ks->bucket,
					 o->key);
				return -1;
			}
			found = o;
		}
	}
	if (!found)
		return 0;
	if (!(j->path = strdup(found->key))) {
		snprintf(k->why, k->cap, "out of memory");
		return -1;
	}
	j->size = found->size;
	j->root = ks->index;
	return 0;
}

static const char COMPLETED_SUFFIX[] = ".completed.manifest";

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* One manifest of an S3 root: its started manifest when listed, then its
 * keys into the plan. Returns 0 or -1 with why. */
static int s3_manifest(struct export_plan *plan, struct s3_keys *ks, const char *mkey, char *why,
		       size_t cap)
{
	struct api_error err;
	char label[EXPORT_PATH_MAX], mdir[EXPORT_PATH_MAX], started[EXPORT_PATH_MAX];
	snprintf(label, sizeof label, "s3://%s/%s", ks->bucket, mkey);
	const char *slash = strrchr(mkey, '/');
	const char *base = slash ? slash + 1 : mkey;
	snprintf(mdir, sizeof mdir, "%.*s", (int)(base - mkey), mkey);
	ks->mdir = mdir;
	enum export_format fmt = EXPORT_FORMAT_UNKNOWN;
	const char *dot = strchr(base, '.');
	if (dot &&
	    snprintf(started, sizeof started, "%s%.*s.started.manifest", mdir, (int)(dot - base),
		     base) < (int)sizeof started &&
	    s3_keys_find(ks, started)) {
		char *buf;
		size_t len;
		if (s3_get_object(ks->client, ks->bucket, started, EXPORT_MANIFEST_MAX, &buf, &len,
				  &err)) {
			snprintf(why, cap, "%s", err.msg);
			return -1;
		}
		char m[EXPORT_WHY_MAX];
		int rc = export_started_parse((const uint8_t *)buf, len, &fmt, m, sizeof m);
		if (rc == 0)
			rc = started_id_matches(buf, len, base, (size_t)(dot - base), m, sizeof m);
		free(buf);
		if (rc) {
			snprintf(why, cap, "s3://%s/%s: %s", ks->bucket, started, m);
			return -1;
		}
	}
	char *buf;
	size_t len;
	if (s3_get_object(ks->client, ks->bucket, mkey, EXPORT_MANIFEST_MAX, &buf, &len, &err)) {
		snprintf(why, cap, "%s", err.msg);
		return -1;
	}
	char m2[EXPORT_WHY_MAX];
	struct key_ctx k = { .plan = plan,
			     .s3 = ks,
			     .root = ks->root,
			     .mdir = mdir,
			     .manifest = label,
			     .format = fmt,
			     .why = why,
			     .cap = cap };
	size_t first = plan->n;
	int rc = export_completed_parse((const uint8_t *)buf, len, on_key, &k, m2, sizeof m2);
	free(buf);
	if (rc < 0)
		snprintf(why, cap, "%s: %s", label, m2);
	if (rc)
		return -1;
	if (plan->n == first) {
		snprintf(why, cap, "%s: the manifest lists no data object", label);
		return -1;
	}
	plan->manifests++;
	return 0;
}

bool export_run_s3_uri(const char *arg)
{
	return strncmp(arg, "s3://", 5) == 0;
}

/* Does the manifest key name export id (<id>.<strand>.completed.manifest)? */
static bool manifest_of(const char *key, const char *id)
{
	const char *base = strrchr(key, '/');
	base = base ? base + 1 : key;
	size_t n = strlen(id);
	return strncmp(base, id, n) == 0 && base[n] == '.';
}

static int plan_build_s3(char *const *uris, int n, const char *only_id, const atomic_int *stop,
			 const struct api_config *cfg, struct export_plan *plan, char *why,
			 size_t cap)
{
	memset(plan, 0, sizeof *plan);
	plan->s3_cfg = cfg;
	struct api_error err;
	struct s3_client *client = s3_client_new(cfg, stop, &err);
	char(*roots)[2][S3_KEY_MAX + 2] = calloc((size_t)n, sizeof *roots);
	plan->buckets = calloc((size_t)n, sizeof *plan->buckets);
	char **unl = NULL; /* keys named like data objects, for plan_unlisted */
	size_t n_unl = 0, cap_unl = 0;
	struct s3_keys ks = { 0 };
	if (!client || !roots || !plan->buckets) {
		snprintf(why, cap, "%s", client ? "out of memory" : err.msg);
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		char *bucket = roots[i][0], *prefix = roots[i][1];
		if (s3_uri_parse(uris[i], bucket, S3_BUCKET_MAX + 1, prefix, S3_KEY_MAX, &err)) {
			snprintf(why, cap, "%s", err.msg);
			goto fail;
		}
		size_t pl = strlen(prefix);
		if (pl && prefix[pl - 1] != '/')
			strcpy(prefix + pl, "/"); /* a folder: "p" lists p/..., not p2/... */
		for (int k = 0; k < i; k++)
			if (strcmp(roots[k][0], bucket) == 0 &&
			    (strncmp(roots[k][1], prefix, strlen(roots[k][1])) == 0 ||
			     strncmp(prefix, roots[k][1], strlen(prefix)) == 0)) {
				snprintf(why, cap,
					 "%s and %s are the same prefix or one holds the other: "
					 "give each export once",
					 uris[k], uris[i]);
				goto fail;
			}
		if (!(plan->buckets[i] = strdup(bucket))) {
			snprintf(why, cap, "out of memory");
			goto fail;
		}
		plan->n_buckets++;
		ks = (struct s3_keys){ .client = client,
				       .bucket = plan->buckets[i],
				       .root = prefix,
				       .index = (unsigned)i };
		if (s3_list_objects(client, bucket, prefix, &ks.list, &err)) {
			snprintf(why, cap, "%s", err.msg);
			goto fail;
		}
		size_t manifests = 0, first_job = plan->n;
		for (size_t m = 0; m < ks.list.n; m++) {
			const char *key = ks.list.items[m].key;
			if (ends_with(key, COMPLETED_SUFFIX)) {
				if (only_id && !manifest_of(key, only_id))
					continue;
				if (s3_manifest(plan, &ks, key, why, cap))
					goto fail;
				manifests++;
				continue;
			}
			const char *base = strrchr(key, '/');
			base = base ? base + 1 : key;
			struct export_range r;
			/* one export of several under the prefix: the others'
			 * objects are theirs, not unlisted */
			if (only_id || export_key_parse(base, strlen(base), &r) != 0)
				continue;
			if (n_unl == cap_unl) {
				size_t c2 = cap_unl ? cap_unl * 2 : 64;
				char **p = realloc(unl, c2 * sizeof *p);
				if (!p) {
					snprintf(why, cap, "out of memory");
					goto fail;
				}
				unl = p;
				cap_unl = c2;
			}
			/* the listing's keys are distinct: a key reached by a job
			 * is found by name */
			if (!(unl[n_unl] = strdup(key))) {
				snprintf(why, cap, "out of memory");
				goto fail;
			}
			n_unl++;
		}
		if (manifests == 0) {
			snprintf(why, cap,
				 "%s: no %s%s<strandId>.completed.manifest under the prefix "
				 "(missing manifest or empty prefix)",
				 uris[i], only_id ? only_id : "<exportId>", only_id ? "." : ".");
			goto fail;
		}
		/* per root: the same key may exist in another bucket */
		plan_unlisted(plan, first_job, unl, n_unl);
		for (size_t u = 0; u < n_unl; u++)
			free(unl[u]);
		n_unl = 0;
		s3_listing_free(&ks.list);
	}
	qsort(plan->jobs, plan->n, sizeof *plan->jobs, cmp_job);
	free(unl);
	free(roots);
	s3_client_free(client);
	return 0;
fail:
	s3_listing_free(&ks.list);
	for (size_t i = 0; i < n_unl; i++)
		free(unl[i]);
	free(unl);
	free(roots);
	s3_client_free(client);
	export_plan_free(plan);
	return -1;
}

int export_plan_build_s3(char *const *uris, int n, const struct api_config *cfg,
			 struct export_plan *plan, char *why, size_t cap)
{
	return plan_build_s3(uris, n, NULL, NULL, cfg, plan, why, cap);
}

int export_plan_build_s3_export(const char *uri, const char *export_id, const atomic_int *stop,
				const struct api_config *cfg, struct export_plan *plan, char *why,
				size_t cap)
{
	char *const uris[1] = { (char *)uri };
	return plan_build_s3(uris, 1, export_id, stop, cfg, plan, why, cap);
}

/* ---- pool ------------------------------------------------------------ */

struct result {
	bool done;
	bool input_error;
	enum export_format found; /* from the bytes; UNKNOWN for an empty object */
	char why[EXPORT_WHY_MAX + EXPORT_FILE_MAX];
	struct export_object obj;
};

struct pool {
	struct export_plan *plan;
	struct result *res;
	size_t next, merged, window;
	bool abort;
	const atomic_int *stop; /* the caller's stop flag, or NULL */
	pthread_mutex_t mu;
	pthread_cond_t job_cv, done_cv;
	/* progress counters (atomics) */
	uint64_t bytes, blocks;
};

/* One object's bytes: a file, or an S3 object by ranges. */
struct src {
	FILE *f;
	struct s3_reader *s3;
	struct pool *pool;
	bool failed;
};

static ssize_t src_read(void *ctx, uint8_t *buf, size_t cap)
{
	struct src *s = ctx;
	if (s->s3) {
		ssize_t got = s3_reader_read(s->s3, buf, cap);
		if (got < 0) {
			s->failed = true;
			return -1;
		}
		__atomic_fetch_add(&s->pool->bytes, (uint64_t)got, __ATOMIC_RELAXED);
		return got;
	}
	size_t n = fread(buf, 1, cap, s->f);
	if (n == 0 && ferror(s->f)) {
		s->failed = true;
		return -1;
	}
	__atomic_fetch_add(&s->pool->bytes, n, __ATOMIC_RELAXED);
	return (ssize_t)n;
}

/* The format of an object from its bytes: the Ion binary version marker,
 * else the type of the first block's blockHash (a blob in Ion text, a
 * base64 string in QLDB's JSON down-conversion). Never from the manifest. */
static enum export_format format_of(const struct ion_reader *rd, const struct ion_value *first)
{
	if (ion_reader_is_binary(rd))
		return EXPORT_FORMAT_ION_BINARY;
	const struct ion_value *bh = ion_struct_get(first, "blockHash");
	return bh && bh->type == ION_TYPE_STRING ? EXPORT_FORMAT_JSON : EXPORT_FORMAT_ION_TEXT;
}

static void run_job(struct pool *pl, struct qldb_checker *c, struct s3_client *s3, size_t i)
{
	struct export_job *j = &pl->plan->jobs[i];
	struct result *r = &pl->res[i % pl->window];
	export_object_init(&r->obj, c, QLDB_MODE_ION, &j->range);
	r->found = EXPORT_FORMAT_UNKNOWN;
	if (!j->path)
		return; /* missing: merged as such */
	struct s3_reader sr;
	struct src s = { .pool = pl };
	const char *name = j->path;
	char s3name[EXPORT_PATH_MAX];
	if (pl->plan->s3_cfg) {
		snprintf(s3name, sizeof s3name, "s3://%s/%s", pl->plan->buckets[j->root], j->path);
		name = s3name;
		s3_reader_init(&sr, s3, pl->plan->buckets[j->root], j->path, j->size);
		s.s3 = &sr;
	} else {
		/* j->path is a real path inside the folder: no link may replace it */
		int fd = cli_file_open(j->path, O_NOFOLLOW, NULL, r->why, sizeof r->why);
		s.f = fd >= 0 ? fdopen(fd, "rb") : NULL;
		if (!s.f) {
			if (fd >= 0) {
				close(fd);
				snprintf(r->why, sizeof r->why, "%s: out of memory", j->path);
			}
			r->input_error = true;
			return;
		}
	}
	struct ion_reader *rd = ion_reader_open_source(src_read, &s);
	if (!rd) {
		if (s.f)
			fclose(s.f);
		r->input_error = true;
		snprintf(r->why, sizeof r->why, "%.500s: out of memory", name);
		return;
	}
	const struct ion_value *v;
	struct ion_error err = { 0 };
	int rc;
	while ((rc = ion_reader_next(rd, &v, &err)) == 1) {
		if (r->found == EXPORT_FORMAT_UNKNOWN) {
			if (v->type != ION_TYPE_STRUCT) {
				r->input_error = true;
				snprintf(r->why, sizeof r->why,
					 "%.500s: not an export data object (first value is a %s, "
					 "not "
					 "a block struct)",
					 name, ion_type_name((enum ion_type)v->type));
				break;
			}
			r->found = format_of(rd, v);
			r->obj.mode =
				r->found == EXPORT_FORMAT_JSON ? QLDB_MODE_JSON : QLDB_MODE_ION;
		}
		export_object_block(&r->obj, v);
		__atomic_fetch_add(&pl->blocks, 1, __ATOMIC_RELAXED);
		if (__atomic_load_n(&pl->abort, __ATOMIC_RELAXED) ||
		    (pl->stop && atomic_load_explicit(pl->stop, memory_order_relaxed)))
			break;
	}
	if (!r->input_error) {
		char m[300];
		ion_error_format(&err, m, sizeof m);
		if (rc < 0 && (s.failed || err.code == ION_ERR_IO)) {
			r->input_error = true;
			if (s.s3)
				snprintf(r->why, sizeof r->why, "%s", sr.err.msg);
			else
				snprintf(r->why, sizeof r->why, "%.500s: read error", name);
		} else if (rc < 0 && (err.code == ION_ERR_NOMEM || err.code == ION_ERR_LIMIT)) {
			/* a resource limit, not a sign of tampering: the command cannot go on */
			r->input_error = true;
			snprintf(r->why, sizeof r->why, "%.500s: %s", name, m);
		} else if (rc < 0 && r->obj.blocks == 0 && r->obj.last_seq < 0) {
			r->input_error = true;
			snprintf(r->why, sizeof r->why, "%.500s: not Ion: %s", name, m);
		} else if (rc < 0) {
			export_object_truncated(&r->obj, m);
		} else {
			export_object_finish(&r->obj);
		}
	}
	ion_reader_free(rd);
	if (s.s3)
		s3_reader_free(&sr);
	else
		fclose(s.f);
}

static void *worker(void *arg)
{
	struct pool *pl = arg;
	struct qldb_checker *c = qldb_checker_new();
	/* an S3 plan: one connection per worker (api/s3.h) */
	struct api_error err;
	struct s3_client *s3 =
		pl->plan->s3_cfg ? s3_client_new(pl->plan->s3_cfg, pl->stop, &err) : NULL;
	if (pl->plan->s3_cfg && !s3) {
		qldb_checker_free(c);
		c = NULL;
	}
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->abort && pl->next < pl->plan->n && pl->next >= pl->merged + pl->window)
			pthread_cond_wait(&pl->job_cv, &pl->mu);
		if (pl->abort || pl->next >= pl->plan->n)
			break;
		size_t i = pl->next++;
		pthread_mutex_unlock(&pl->mu);
		if (c) {
			run_job(pl, c, s3, i);
		} else {
			pl->res[i % pl->window].input_error = true;
			snprintf(pl->res[i % pl->window].why, sizeof pl->res[i % pl->window].why,
				 "out of memory");
		}
		pthread_mutex_lock(&pl->mu);
		pl->res[i % pl->window].done = true;
		pthread_cond_broadcast(&pl->done_cv);
	}
	pthread_mutex_unlock(&pl->mu);
	qldb_checker_free(c);
	s3_client_free(s3);
	return NULL;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Tell the caller's callback how far the run is. */
static void progress_report(struct pool *pl, const struct export_progress *pr, double t0,
			    bool final)
{
	if (!pr || !pr->fn)
		return;
	pr->fn(pr->ctx, __atomic_load_n(&pl->bytes, __ATOMIC_RELAXED), pl->plan->total_bytes,
	       __atomic_load_n(&pl->blocks, __ATOMIC_RELAXED), now_s() - t0, final);
}

/* Has the caller asked the run to stop? */
static bool stop_asked(const struct export_progress *pr)
{
	return pr && pr->stop && atomic_load_explicit(pr->stop, memory_order_relaxed);
}

int export_run(struct export_plan *plan, int jobs, const struct export_progress *progress,
	       struct export_chain *ch, char *why, size_t cap)
{
	if (jobs < 1)
		jobs = 1;
	if (jobs > EXPORT_MAX_JOBS)
		jobs = EXPORT_MAX_JOBS;
	if ((size_t)jobs > plan->n && plan->n > 0)
		jobs = (int)plan->n;
	struct pool pl = { .plan = plan,
			   .window = (size_t)jobs * EXPORT_WINDOW_PER_JOB,
			   .stop = progress ? progress->stop : NULL };
	/* a ring of results: job i uses slot i % window, free once merged */
	pl.res = calloc(pl.window, sizeof *pl.res);
	if (!pl.res) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.job_cv, NULL);
	pthread_cond_init(&pl.done_cv, NULL);
	pthread_t th[EXPORT_MAX_JOBS];
	int started = 0;
	for (; started < jobs; started++)
		if (pthread_create(&th[started], NULL, worker, &pl) != 0)
			break;
	int status = 0;
	double t0 = now_s(), last = 0;
	if (started == 0) {
		snprintf(why, cap, "cannot start a thread");
		status = -1;
		pl.abort = true;
	}
	for (size_t i = 0; i < plan->n && status == 0; i++) {
		pthread_mutex_lock(&pl.mu);
		struct result *r = &pl.res[i % pl.window];
		while (!r->done) {
			struct timespec dl;
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_nsec += 200 * 1000 * 1000; /* progress refresh */
			if (dl.tv_nsec >= 1000000000L) {
				dl.tv_sec++;
				dl.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&pl.done_cv, &pl.mu, &dl);
			if (now_s() - last > EXPORT_PROGRESS_SECONDS) {
				last = now_s();
				pthread_mutex_unlock(&pl.mu);
				progress_report(&pl, progress, t0, false);
				pthread_mutex_lock(&pl.mu);
			}
			if (stop_asked(progress))
				break;
		}
		if (!r->done) {
			/* stopped: a worker may still be filling r, so leave it to
			 * the cleanup after the join */
			pl.abort = true;
			pthread_cond_broadcast(&pl.job_cv);
			pthread_mutex_unlock(&pl.mu);
			snprintf(why, cap, "stopped");
			status = -1;
			break;
		}
		pthread_mutex_unlock(&pl.mu);
		if (stop_asked(progress)) {
			snprintf(why, cap, "stopped");
			status = -1;
		} else if (r->input_error) {
			snprintf(why, cap, "%s", r->why);
			status = -1;
		} else if (!plan->jobs[i].path) {
			export_chain_missing(ch, &plan->jobs[i].range, plan->jobs[i].label);
		} else {
			if (r->found != EXPORT_FORMAT_UNKNOWN)
				export_chain_format(ch, r->found, plan->jobs[i].declared,
						    plan->jobs[i].range.first, plan->jobs[i].label);
			export_chain_add(ch, &r->obj, plan->jobs[i].label);
		}
		export_object_free(&r->obj);
		pthread_mutex_lock(&pl.mu);
		memset(r, 0, sizeof *r);
		pl.merged = i + 1;
		if (status)
			pl.abort = true;
		pthread_cond_broadcast(&pl.job_cv);
		pthread_mutex_unlock(&pl.mu);
	}
	pthread_mutex_lock(&pl.mu);
	pl.abort = true;
	pthread_cond_broadcast(&pl.job_cv);
	pthread_mutex_unlock(&pl.mu);
	for (int t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	progress_report(&pl, progress, t0, true);
	for (size_t i = 0; i < pl.window; i++)
		export_object_free(&pl.res[i].obj);
	pthread_mutex_destroy(&pl.mu);
	pthread_cond_destroy(&pl.job_cv);
	pthread_cond_destroy(&pl.done_cv);
	free(pl.res);
	if (status == 0) {
		for (size_t i = 0; i < plan->n_unsearched; i++)
			export_chain_unproven(ch,
					      "folder %s, so a manifest in it may have been "
					      "missed",
					      plan->unsearched[i]);
		if (plan->more_unsearched)
			export_chain_unproven(ch, "%zu more folders were not searched",
					      plan->more_unsearched);
		if (plan->unlisted)
			export_chain_unproven(ch,
					      "%zu file%s named like data objects %s listed by no "
					      "manifest, so nothing checked %s (first: %s)",
					      plan->unlisted, plan->unlisted == 1 ? "" : "s",
					      plan->unlisted == 1 ? "is" : "are",
					      plan->unlisted == 1 ? "it" : "them",
					      plan->unlisted_first);
		export_chain_finish(ch);
	}
	return status;
}
