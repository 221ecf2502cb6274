/*
 * s3_store.c - buckets, objects and multipart uploads (see s3_store.h).
 *
 * Buckets are an array sorted by name, each with its objects in an array
 * sorted by key (strcmp: S3 lists keys in UTF-8 binary order), so a
 * listing is a binary search then a walk. In disk mode the index (keys and
 * metadata) is in memory and the bytes are read from NAME.obj on demand.
 */
#include "sim/s3_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S3_DIR_NAME "s3"
#define S3_BUCKET_META ".bucket"
#define S3_META_MAGIC "qldbtop-s3-object 1"
#define S3_META_MAX (2 * S3_KEY_MAX + 2 * S3_CTYPE_MAX + 256) /* a .meta file */
#define S3_DEFAULT_CTYPE "binary/octet-stream"

struct s3_obj {
	char *key;
	struct s3_object_info info;
	uint8_t *data; /* memory mode only */
};

struct s3_bucket {
	char name[S3_BUCKET_MAX + 1];
	int64_t created_ms;
	struct s3_obj *objs;
	size_t n, cap;
};

struct s3_part {
	unsigned number;
	uint8_t *data;
	size_t len;
	char etag[S3_ETAG_MAX];
};

struct s3_upload {
	char id[S3_UPLOAD_ID_LEN + 1];
	char bucket[S3_BUCKET_MAX + 1];
	char *key;
	char content_type[S3_CTYPE_MAX];
	struct s3_part *parts; /* sorted by number */
	size_t n, cap;
};

struct s3_store {
	pthread_mutex_t mu;
	char *dir; /* DATA_DIR/s3, or NULL in memory mode */
	uint64_t mem_cap, mem_used;
	struct s3_bucket *buckets;
	size_t n, cap;
	struct s3_upload *uploads;
	size_t n_uploads;
};

static _Thread_local char io_error[256];

const char *s3_store_io_error(void)
{
	return io_error;
}

static enum s3_status io_fail(const char *what, const char *path)
{
	snprintf(io_error, sizeof io_error, "%s %.160s: %s", what, path, strerror(errno));
	return S3_IO;
}

bool s3_bucket_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 3 || n > S3_BUCKET_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n)
		return false;
	if (name[0] == '.' || name[0] == '-' || name[n - 1] == '.' || name[n - 1] == '-' ||
	    strstr(name, ".."))
		return false;
	unsigned a, b, c, d;
	char tail;
	return sscanf(name, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4;
}

/* MD5 of p[0..n) as lower-case hex (33 bytes). */
static int md5_hex(const void *p, size_t n, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	if (EVP_Digest(p, n, md, &len, EVP_md5(), NULL) != 1 || len != 16)
		return -1;
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static void hex_of(const void *p, size_t n, char *out)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* out[0..n) from 2n hex digits; -1 if s is not exactly that. */
static int unhex(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* ---- the sorted arrays ---- */

/* Index of the first bucket with name >= name. */
static size_t bucket_lower(const struct s3_store *st, const char *name)
{
	size_t lo = 0, hi = st->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(st->buckets[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct s3_bucket *bucket_find(struct s3_store *st, const char *name)
{
	size_t i = bucket_lower(st, name);
	return i < st->n && strcmp(st->buckets[i].name, name) == 0 ? &st->buckets[i] : NULL;
}

static size_t obj_lower(const struct s3_bucket *b, const char *key)
{
	size_t lo = 0, hi = b->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(b->objs[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct s3_obj *obj_find(struct s3_bucket *b, const char *key)
{
	size_t i = obj_lower(b, key);
	return i < b->n && strcmp(b->objs[i].key, key) == 0 ? &b->objs[i] : NULL;
}

/* Insert a bucket (name not present). */
static enum s3_status bucket_insert(struct s3_store *st, const char *name, int64_t ms)
{
	if (st->n == S3_STORE_BUCKETS_MAX)
		return S3_LIMIT;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 8;
		struct s3_bucket *v = realloc(st->buckets, cap * sizeof *v);
		if (!v)
			return S3_NOMEM;
		st->buckets = v;
		st->cap = cap;
	}
	size_t i = bucket_lower(st, name);
	memmove(&st->buckets[i + 1], &st->buckets[i], (st->n - i) * sizeof st->buckets[0]);
	memset(&st->buckets[i], 0, sizeof st->buckets[i]);
	snprintf(st->buckets[i].name, sizeof st->buckets[i].name, "%s", name);
	st->buckets[i].created_ms = ms;
	st->n++;
	return S3_OK;
}

/* The slot for key in b, created empty (key copied) when absent. */
static enum s3_status obj_slot(struct s3_bucket *b, const char *key, struct s3_obj **out)
{
	size_t i = obj_lower(b, key);
	if (i < b->n && strcmp(b->objs[i].key, key) == 0) {
		*out = &b->objs[i];
		return S3_OK;
	}
	if (b->n == S3_STORE_OBJECTS_MAX)
		return S3_LIMIT;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct s3_obj *v = realloc(b->objs, cap * sizeof *v);
		if (!v)
			return S3_NOMEM;
		b->objs = v;
		b->cap = cap;
	}
	char *k = strdup(key);
	if (!k)
		return S3_NOMEM;
	memmove(&b->objs[i + 1], &b->objs[i], (b->n - i) * sizeof b->objs[0]);
	memset(&b->objs[i], 0, sizeof b->objs[i]);
	b->objs[i].key = k;
	b->n++;
	*out = &b->objs[i];
	return S3_OK;
}

static void obj_remove(struct s3_bucket *b, struct s3_obj *o)
{
	size_t i = (size_t)(o - b->objs);
	free(o->key);
	free(o->data);
	memmove(&b->objs[i], &b->objs[i + 1], (b->n - i - 1) * sizeof b->objs[0]);
	b->n--;
}

/* ---- disk layout ---- */

/* DATA_DIR/s3/BUCKET/SHA256(key).SUFFIX into out (PATH_MAX-ish). */
static int obj_path(const struct s3_store *st, const char *bucket, const char *key,
		    const char *suffix, char *out, size_t cap)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	char hex[65];
	if (EVP_Digest(key, strlen(key), md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return -1;
	hex_of(md, 32, hex);
	int n = snprintf(out, cap, "%s/%s/%s%s", st->dir, bucket, hex, suffix);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Write p[0..n) to path through path.tmp and a rename. */
static enum s3_status write_atomic(const char *path, const void *p, size_t n)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return io_fail("cannot create", tmp);
	const uint8_t *b = p;
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, b + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			enum s3_status s = io_fail("cannot write", tmp);
			close(fd);
			unlink(tmp);
			return s;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		enum s3_status s = io_fail("cannot store", path);
		unlink(tmp);
		return s;
	}
	return S3_OK;
}

static enum s3_status write_meta(const struct s3_store *st, const char *bucket,
				 const struct s3_obj *o)
{
	char path[4096];
	char keyhex[2 * S3_KEY_MAX + 1], cthex[2 * S3_CTYPE_MAX + 1];
	char meta[S3_META_MAX];
	if (obj_path(st, bucket, o->key, ".meta", path, sizeof path) != 0)
		return S3_BAD_KEY;
	hex_of(o->key, strlen(o->key), keyhex);
	hex_of(o->info.content_type, strlen(o->info.content_type), cthex);
	int n = snprintf(meta, sizeof meta,
			 S3_META_MAGIC "\nkey %s\nsize %llu\nmtime %lld\netag %s\nctype %s\n",
			 keyhex, (unsigned long long)o->info.size, (long long)o->info.mtime_ms,
			 o->info.etag, cthex);
	return write_atomic(path, meta, (size_t)n);
}

/* Read one .meta file into o (key malloc'd). 0 or -1 when malformed. */
static int read_meta(const char *path, struct s3_obj *o)
{
	char buf[S3_META_MAX + 1];
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, S3_META_MAX, f);
	fclose(f);
	buf[n] = '\0';
	char keyhex[2 * S3_KEY_MAX + 2], cthex[2 * S3_CTYPE_MAX + 2], etag[S3_ETAG_MAX];
	unsigned long long size;
	long long mtime;
	cthex[0] = '\0';
	if (sscanf(buf, S3_META_MAGIC "\nkey %2049s\nsize %llu\nmtime %lld\netag %47s\nctype %257s",
		   keyhex, &size, &mtime, etag, cthex) < 4)
		return -1;
	size_t kl = strlen(keyhex) / 2, cl = strlen(cthex) / 2;
	if (kl == 0 || kl > S3_KEY_MAX || cl >= S3_CTYPE_MAX)
		return -1;
	memset(o, 0, sizeof *o);
	o->key = calloc(1, kl + 1);
	if (!o->key || unhex(keyhex, (uint8_t *)o->key, kl) != 0 || strlen(o->key) != kl ||
	    unhex(cthex, (uint8_t *)o->info.content_type, cl) != 0) {
		free(o->key);
		return -1;
	}
	o->info.size = size;
	o->info.mtime_ms = mtime;
	snprintf(o->info.etag, sizeof o->info.etag, "%s", etag);
	if (!o->info.content_type[0])
		snprintf(o->info.content_type, sizeof o->info.content_type, S3_DEFAULT_CTYPE);
	return 0;
}

/* Load one bucket folder: its .bucket file and every object whose .meta
 * and .obj agree (name from the key's hash, size from the file). */
static enum s3_status load_bucket(struct s3_store *st, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s/" S3_BUCKET_META, st->dir, name);
	FILE *f = fopen(path, "re");
	if (!f)
		return S3_OK; /* not a bucket folder */
	long long created = 0;
	if (fscanf(f, "created %lld", &created) != 1)
		created = 0;
	fclose(f);
	enum s3_status s = bucket_insert(st, name, created);
	if (s)
		return s;
	struct s3_bucket *b = bucket_find(st, name);
	snprintf(path, sizeof path, "%s/%s", st->dir, name);
	DIR *d = opendir(path);
	if (!d)
		return io_fail("cannot read", path);
	struct dirent *e;
	while (s == S3_OK && (e = readdir(d))) {
		size_t nl = strlen(e->d_name);
		if (nl != 64 + 5 || strcmp(e->d_name + 64, ".meta") != 0)
			continue;
		struct s3_obj o;
		char meta[4096], want[4096];
		struct stat sb;
		snprintf(meta, sizeof meta, "%s/%s/%s", st->dir, name, e->d_name);
		if (read_meta(meta, &o) != 0)
			continue;
		if (obj_path(st, name, o.key, ".meta", want, sizeof want) != 0 ||
		    strcmp(want, meta) != 0 ||
		    obj_path(st, name, o.key, ".obj", want, sizeof want) != 0 ||
		    stat(want, &sb) != 0 || (uint64_t)sb.st_size != o.info.size) {
			free(o.key);
			continue;
		}
		struct s3_obj *slot;
		s = obj_slot(b, o.key, &slot);
		if (s == S3_OK) {
			char *k = slot->key;
			*slot = o;
			slot->key = k;
		}
		free(o.key);
	}
	closedir(d);
	return s;
}

static enum s3_status load_all(struct s3_store *st)
{
	DIR *d = opendir(st->dir);
	if (!d)
		return io_fail("cannot read", st->dir);
	struct dirent *e;
	enum s3_status s = S3_OK;
	while (s == S3_OK && (e = readdir(d)))
		if (s3_bucket_name_ok(e->d_name))
			s = load_bucket(st, e->d_name);
	closedir(d);
	return s;
}

/* ---- open / close ---- */

static const char *const STATUS_TEXT[S3_STATUS_COUNT] = {
	[S3_OK] = "ok",
	[S3_LIMIT] = "too many buckets or objects",
	[S3_NOMEM] = "out of memory",
	[S3_IO] = "disk error",
};

struct s3_store *s3_store_open(const char *data_dir, uint64_t mem_cap, char *err, size_t cap)
{
	struct s3_store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, cap, "s3: out of memory");
		return NULL;
	}
	pthread_mutex_init(&st->mu, NULL);
	st->mem_cap = mem_cap ? mem_cap : S3_STORE_MEM_CAP;
	if (data_dir) {
		size_t n = strlen(data_dir) + sizeof "/" S3_DIR_NAME;
		st->dir = malloc(n);
		if (!st->dir) {
			s3_store_close(st);
			snprintf(err, cap, "s3: out of memory");
			return NULL;
		}
		snprintf(st->dir, n, "%s/" S3_DIR_NAME, data_dir);
		if (mkdir(st->dir, 0755) != 0 && errno != EEXIST) {
			snprintf(err, cap, "s3: cannot create %.200s: %s", st->dir,
				 strerror(errno));
			s3_store_close(st);
			return NULL;
		}
		enum s3_status s = load_all(st);
		if (s) {
			snprintf(err, cap, "s3: loading %.200s: %s", st->dir,
				 s == S3_IO	  ? io_error
				 : STATUS_TEXT[s] ? STATUS_TEXT[s]
						  : "failed");
			s3_store_close(st);
			return NULL;
		}
	}
	return st;
}

static void upload_free(struct s3_upload *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->parts[i].data);
	free(u->parts);
	free(u->key);
}

void s3_store_close(struct s3_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++) {
		for (size_t j = 0; j < st->buckets[i].n; j++) {
			free(st->buckets[i].objs[j].key);
			free(st->buckets[i].objs[j].data);
		}
		free(st->buckets[i].objs);
	}
	free(st->buckets);
	for (size_t i = 0; i < st->n_uploads; i++)
		upload_free(&st->uploads[i]);
	free(st->uploads);
	free(st->dir);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

/* ---- buckets ---- */

enum s3_status s3_store_bucket_create(struct s3_store *st, const char *bucket, int64_t now_ms)
{
	if (!s3_bucket_name_ok(bucket))
		return S3_BAD_BUCKET_NAME;
	pthread_mutex_lock(&st->mu);
	enum s3_status s = bucket_find(st, bucket) ? S3_BUCKET_EXISTS : S3_OK;
	if (!s && st->n == S3_STORE_BUCKETS_MAX)
		s = S3_LIMIT;
	if (!s && st->dir) {
		char path[4096], meta[64];
		snprintf(path, sizeof path, "%s/%s", st->dir, bucket);
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			s = io_fail("cannot create", path);
		snprintf(path, sizeof path, "%s/%s/" S3_BUCKET_META, st->dir, bucket);
		int n = snprintf(meta, sizeof meta, "created %lld\n", (long long)now_ms);
		s = s ? s : write_atomic(path, meta, (size_t)n);
	}
	s = s ? s : bucket_insert(st, bucket, now_ms);
	pthread_mutex_unlock(&st->mu);
	return s;
}

enum s3_status s3_store_bucket_delete(struct s3_store *st, const char *bucket)
{
	pthread_mutex_lock(&st->mu);
	struct s3_bucket *b = bucket_find(st, bucket);
	enum s3_status s = !b ? S3_NO_BUCKET : b->n ? S3_BUCKET_NOT_EMPTY : S3_OK;
	if (!s && st->dir) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s/" S3_BUCKET_META, st->dir, bucket);
		if (unlink(path) != 0 && errno != ENOENT)
			s = io_fail("cannot remove", path);
		snprintf(path, sizeof path, "%s/%s", st->dir, bucket);
		if (!s)
			rmdir(path); /* stray files keep the folder; the bucket is gone */
	}
	if (!s) {
		size_t i = (size_t)(b - st->buckets);
		free(b->objs);
		memmove(&st->buckets[i], &st->buckets[i + 1],
			(st->n - i - 1) * sizeof st->buckets[0]);
		st->n--;
	}
	pthread_mutex_unlock(&st->mu);
	return s;
}

bool s3_store_bucket_exists(struct s3_store *st, const char *bucket)
{
	pthread_mutex_lock(&st->mu);
	bool yes = bucket_find(st, bucket) != NULL;
	pthread_mutex_unlock(&st->mu);
	return yes;
}

void s3_store_buckets(struct s3_store *st, void (*fn)(void *ctx, const char *name, int64_t ms),
		      void *ctx)
{
	pthread_mutex_lock(&st->mu);
	for (size_t i = 0; i < st->n; i++)
		fn(ctx, st->buckets[i].name, st->buckets[i].created_ms);
	pthread_mutex_unlock(&st->mu);
}

/* ---- objects ---- */

static bool key_ok(const char *key)
{
	size_t n = strlen(key);
	return n >= 1 && n <= S3_KEY_MAX;
}

/* Store data as b/key with the given ETag; the lock is held. Takes
 * ownership of data when owned (memory mode keeps it). */
static enum s3_status put_locked(struct s3_store *st, struct s3_bucket *b, const char *key,
				 uint8_t *data, size_t len, bool owned, const char *etag,
				 const char *content_type, int64_t now_ms,
				 struct s3_object_info *info)
{
	struct s3_obj *o = obj_find(b, key);
	uint64_t old = o && !st->dir ? o->info.size : 0;
	enum s3_status s = S3_OK;
	if (len > S3_STORE_OBJECT_MAX)
		s = S3_TOO_LARGE;
	else if (!st->dir && st->mem_used - old + len > st->mem_cap)
		s = S3_FULL;
	uint8_t *copy = NULL;
	if (!s && !st->dir && !owned) {
		copy = malloc(len ? len : 1);
		if (!copy)
			s = S3_NOMEM;
		else if (len) /* an empty body may come as NULL */
			memcpy(copy, data, len);
	}
	if (!s && st->dir) {
		char path[4096];
		if (obj_path(st, b->name, key, ".obj", path, sizeof path) != 0)
			s = S3_BAD_KEY;
		s = s ? s : write_atomic(path, data, len);
	}
	s = s ? s : obj_slot(b, key, &o);
	if (s) {
		free(copy);
		if (owned)
			free(data);
		return s;
	}
	if (!st->dir) {
		free(o->data);
		o->data = owned ? data : copy;
		st->mem_used = st->mem_used - old + len;
	} else if (owned) {
		free(data);
	}
	o->info.size = len;
	o->info.mtime_ms = now_ms;
	snprintf(o->info.etag, sizeof o->info.etag, "%s", etag);
	snprintf(o->info.content_type, sizeof o->info.content_type, "%s",
		 content_type && *content_type ? content_type : S3_DEFAULT_CTYPE);
	if (st->dir && (s = write_meta(st, b->name, o)) != S3_OK)
		return s;
	if (info)
		*info = o->info;
	return S3_OK;
}

enum s3_status s3_store_put(struct s3_store *st, const char *bucket, const char *key,
			    const void *data, size_t len, const char *content_type, int64_t now_ms,
			    struct s3_object_info *info)
{
	char md5[33], etag[S3_ETAG_MAX];
	if (!key_ok(key))
		return S3_BAD_KEY;
	if (md5_hex(data ? data : "", len, md5) != 0)
		return S3_NOMEM;
	snprintf(etag, sizeof etag, "\"%s\"", md5);
	pthread_mutex_lock(&st->mu);
	struct s3_bucket *b = bucket_find(st, bucket);
	enum s3_status s = b ? put_locked(st, b, key, (uint8_t *)data, len, false, etag,
					  content_type, now_ms, info)
			     : S3_NO_BUCKET;
	pthread_mutex_unlock(&st->mu);
	return s;
}

/* Read [off, off+len) of path into out. */
static enum s3_status read_range(const char *path, uint64_t off, size_t len, char *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return io_fail("cannot open", path);
	for (size_t done = 0; done < len;) {
		ssize_t r = pread(fd, out + done, len - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO; /* shorter than its metadata says */
			enum s3_status s = io_fail("cannot read", path);
			close(fd);
			return s;
		}
		done += (size_t)r;
	}
	close(fd);
	return S3_OK;
}

enum s3_status s3_store_get(struct s3_store *st, const char *bucket, const char *key,
			    struct s3_object_info *info, uint64_t off, uint64_t len, char **data,
			    size_t *data_len)
{
	pthread_mutex_lock(&st->mu);
	struct s3_bucket *b = bucket_find(st, bucket);
	struct s3_obj *o = b ? obj_find(b, key) : NULL;
	enum s3_status s = !b ? S3_NO_BUCKET : !o ? S3_NO_KEY : S3_OK;
	if (!s && info)
		*info = o->info;
	if (!s && data) {
		uint64_t size = o->info.size;
		uint64_t n = off >= size ? 0 : size - off < len ? size - off : len;
		*data = malloc(n ? (size_t)n : 1);
		*data_len = (size_t)n;
		if (!*data) {
			s = S3_NOMEM;
		} else if (!st->dir) {
			if (n)
				memcpy(*data, o->data + off, (size_t)n);
		} else if (n) {
			char path[4096];
			s = obj_path(st, bucket, key, ".obj", path, sizeof path) != 0
				    ? S3_BAD_KEY
				    : read_range(path, off, (size_t)n, *data);
		}
		if (s) {
			free(*data);
			*data = NULL;
		}
	}
	pthread_mutex_unlock(&st->mu);
	return s;
}

enum s3_status s3_store_delete(struct s3_store *st, const char *bucket, const char *key)
{
	pthread_mutex_lock(&st->mu);
	struct s3_bucket *b = bucket_find(st, bucket);
	struct s3_obj *o = b ? obj_find(b, key) : NULL;
	enum s3_status s = b ? S3_OK : S3_NO_BUCKET;
	if (o && st->dir) {
		char path[4096];
		/* the .meta first: without it the loader ignores the .obj */
		if (obj_path(st, bucket, key, ".meta", path, sizeof path) == 0 &&
		    unlink(path) != 0 && errno != ENOENT)
			s = io_fail("cannot remove", path);
		if (!s && obj_path(st, bucket, key, ".obj", path, sizeof path) == 0)
			unlink(path);
	}
	if (o && !s) {
		if (!st->dir)
			st->mem_used -= o->info.size;
		obj_remove(b, o);
	}
	pthread_mutex_unlock(&st->mu);
	return s;
}

/* ---- listing ---- */

static enum s3_status list_add(struct s3_list *l, size_t *cap, const char *key, size_t n,
			       bool is_prefix, const struct s3_object_info *info)
{
	if (l->n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct s3_list_entry *v = realloc(l->v, c * sizeof *v);
		if (!v)
			return S3_NOMEM;
		l->v = v;
		*cap = c;
	}
	struct s3_list_entry *e = &l->v[l->n];
	memset(e, 0, sizeof *e);
	e->key = strndup(key, n);
	if (!e->key)
		return S3_NOMEM;
	e->is_prefix = is_prefix;
	if (info)
		e->info = *info;
	l->n++;
	return S3_OK;
}

enum s3_status s3_store_list(struct s3_store *st, const char *bucket, const struct s3_list_query *q,
			     struct s3_list *out)
{
	memset(out, 0, sizeof *out);
	const char *prefix = q->prefix ? q->prefix : "";
	const char *delim = q->delimiter && *q->delimiter ? q->delimiter : NULL;
	const char *marker = q->marker && *q->marker ? q->marker : NULL;
	size_t pl = strlen(prefix), dl = delim ? strlen(delim) : 0, cap = 0;
	pthread_mutex_lock(&st->mu);
	struct s3_bucket *b = bucket_find(st, bucket);
	enum s3_status s = b ? S3_OK : S3_NO_BUCKET;
	size_t i = b ? obj_lower(b, marker && strcmp(marker, prefix) > 0 ? marker : prefix) : 0;
	for (; !s && b && i < b->n; i++) {
		const char *key = b->objs[i].key;
		if (strncmp(key, prefix, pl) != 0)
			break; /* sorted: past the prefix's range */
		const char *d = delim ? strstr(key + pl, delim) : NULL;
		size_t len = d ? (size_t)(d - key) + dl : strlen(key);
		/* an entry (key or common prefix) at or before the marker was
		 * listed on an earlier page */
		if (marker) {
			int c = strncmp(key, marker, len);
			if (c < 0 || (c == 0 && strlen(marker) >= len))
				continue;
		}
		if (d && out->n && out->v[out->n - 1].is_prefix &&
		    strlen(out->v[out->n - 1].key) == len &&
		    memcmp(out->v[out->n - 1].key, key, len) == 0)
			continue; /* same common prefix as the last entry */
		if (out->n == q->max) {
			out->truncated = true;
			break;
		}
		s = list_add(out, &cap, key, len, d != NULL, d ? NULL : &b->objs[i].info);
	}
	pthread_mutex_unlock(&st->mu);
	if (s)
		s3_list_free(out);
	return s;
}

void s3_list_free(struct s3_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].key);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ---- multipart uploads ---- */

static struct s3_upload *upload_find(struct s3_store *st, const char *bucket, const char *key,
				     const char *id)
{
	for (size_t i = 0; i < st->n_uploads; i++) {
		struct s3_upload *u = &st->uploads[i];
		if (strcmp(u->id, id) == 0 && strcmp(u->bucket, bucket) == 0 &&
		    strcmp(u->key, key) == 0)
			return u;
	}
	return NULL;
}

static void upload_remove(struct s3_store *st, struct s3_upload *u)
{
	for (size_t i = 0; i < u->n; i++)
		st->mem_used -= u->parts[i].len;
	upload_free(u);
	size_t i = (size_t)(u - st->uploads);
	memmove(&st->uploads[i], &st->uploads[i + 1], (st->n_uploads - i - 1) * sizeof *u);
	st->n_uploads--;
}

enum s3_status s3_store_upload_create(struct s3_store *st, const char *bucket, const char *key,
				      const char *content_type, char id[S3_UPLOAD_ID_LEN + 1])
{
	uint8_t rnd[S3_UPLOAD_ID_LEN / 2];
	if (!key_ok(key))
		return S3_BAD_KEY;
	if (RAND_bytes(rnd, sizeof rnd) != 1)
		return S3_NOMEM;
	hex_of(rnd, sizeof rnd, id);
	pthread_mutex_lock(&st->mu);
	enum s3_status s = !bucket_find(st, bucket)		   ? S3_NO_BUCKET
			   : st->n_uploads == S3_STORE_UPLOADS_MAX ? S3_LIMIT
								   : S3_OK;
	struct s3_upload *v = NULL;
	if (!s) {
		v = realloc(st->uploads, (st->n_uploads + 1) * sizeof *v);
		s = v ? S3_OK : S3_NOMEM;
	}
	if (!s) {
		st->uploads = v;
		struct s3_upload *u = &v[st->n_uploads];
		memset(u, 0, sizeof *u);
		memcpy(u->id, id, sizeof u->id);
		snprintf(u->bucket, sizeof u->bucket, "%s", bucket);
		snprintf(u->content_type, sizeof u->content_type, "%s",
			 content_type ? content_type : "");
		u->key = strdup(key);
		if (u->key)
			st->n_uploads++;
		else
			s = S3_NOMEM;
	}
	pthread_mutex_unlock(&st->mu);
	return s;
}

enum s3_status s3_store_upload_part(struct s3_store *st, const char *bucket, const char *key,
				    const char *id, unsigned part, const void *data, size_t len,
				    char etag[S3_ETAG_MAX])
{
	char md5[33];
	if (part < 1 || part > S3_STORE_PARTS_MAX)
		return S3_LIMIT;
	if (md5_hex(data ? data : "", len, md5) != 0)
		return S3_NOMEM;
	snprintf(etag, S3_ETAG_MAX, "\"%s\"", md5);
	pthread_mutex_lock(&st->mu);
	struct s3_upload *u = upload_find(st, bucket, key, id);
	enum s3_status s = !bucket_find(st, bucket) ? S3_NO_BUCKET : !u ? S3_NO_UPLOAD : S3_OK;
	size_t i = 0;
	if (!s) {
		while (i < u->n && u->parts[i].number < part)
			i++;
		bool replace = i < u->n && u->parts[i].number == part;
		uint64_t old = replace ? u->parts[i].len : 0;
		if (st->mem_used - old + len > st->mem_cap)
			s = S3_FULL;
		uint8_t *copy = s ? NULL : malloc(len ? len : 1);
		if (!s && !copy)
			s = S3_NOMEM;
		if (!s && !replace && u->n == u->cap) {
			size_t cap = u->cap ? u->cap * 2 : 8;
			struct s3_part *v = realloc(u->parts, cap * sizeof *v);
			if (!v)
				s = S3_NOMEM;
			else
				u->parts = v, u->cap = cap;
		}
		if (s) {
			free(copy);
		} else {
			if (len) /* an empty part may come as NULL */
				memcpy(copy, data, len);
			if (replace) {
				free(u->parts[i].data);
			} else {
				memmove(&u->parts[i + 1], &u->parts[i],
					(u->n - i) * sizeof u->parts[0]);
				u->n++;
			}
			u->parts[i].number = part;
			u->parts[i].data = copy;
			u->parts[i].len = len;
			snprintf(u->parts[i].etag, sizeof u->parts[i].etag, "%s", etag);
			st->mem_used = st->mem_used - old + len;
		}
	}
	pthread_mutex_unlock(&st->mu);
	return s;
}

/* Do two ETags name the same hex, quotes aside? */
static bool etag_eq(const char *stored, const char *given)
{
	size_t gl = strlen(given);
	if (gl >= 2 && given[0] == '"' && given[gl - 1] == '"')
		given++, gl -= 2;
	return strlen(stored) == gl + 2 && strncmp(stored + 1, given, gl) == 0;
}

enum s3_status s3_store_upload_complete(struct s3_store *st, const char *bucket, const char *key,
					const char *id, const struct s3_part_ref *parts, size_t n,
					int64_t now_ms, struct s3_object_info *info)
{
	pthread_mutex_lock(&st->mu);
	struct s3_bucket *b = bucket_find(st, bucket);
	struct s3_upload *u = upload_find(st, bucket, key, id);
	enum s3_status s = !b ? S3_NO_BUCKET : !u ? S3_NO_UPLOAD : n == 0 ? S3_INVALID_PART : S3_OK;
	const struct s3_part **use = s ? NULL : calloc(n, sizeof *use);
	if (!s && !use)
		s = S3_NOMEM;
	uint64_t total = 0;
	for (size_t i = 1; !s && i < n; i++)
		if (parts[i].number <= parts[i - 1].number)
			s = S3_INVALID_ORDER;
	for (size_t i = 0; !s && i < n; i++) {
		const struct s3_part *p = NULL;
		for (size_t j = 0; j < u->n && !p; j++)
			if (u->parts[j].number == parts[i].number)
				p = &u->parts[j];
		if (!p || !parts[i].etag || !etag_eq(p->etag, parts[i].etag))
			s = S3_INVALID_PART;
		else if (i + 1 < n && p->len < S3_STORE_PART_MIN)
			s = S3_ENTITY_TOO_SMALL;
		use[i] = p;
		total += p ? p->len : 0;
	}
	if (!s && total > S3_STORE_OBJECT_MAX)
		s = S3_TOO_LARGE;
	/* the parts' bytes are released as the object takes them */
	uint8_t *joined = NULL;
	if (!s) {
		joined = malloc(total ? (size_t)total : 1);
		s = joined ? S3_OK : S3_NOMEM;
	}
	/* ETag: MD5 of the parts' binary MD5s, then "-" and the count */
	EVP_MD_CTX *md = s ? NULL : EVP_MD_CTX_new();
	if (!s && (!md || EVP_DigestInit_ex(md, EVP_md5(), NULL) != 1))
		s = S3_NOMEM;
	size_t at = 0;
	for (size_t i = 0; !s && i < n; i++) {
		uint8_t bin[16];
		char hex[33];
		snprintf(hex, sizeof hex, "%.32s", use[i]->etag + 1);
		if (unhex(hex, bin, 16) != 0 || EVP_DigestUpdate(md, bin, 16) != 1)
			s = S3_NOMEM;
		if (use[i]->len)
			memcpy(joined + at, use[i]->data, use[i]->len);
		at += use[i]->len;
	}
	char etag[S3_ETAG_MAX];
	if (!s) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned dl = 0;
		char hex[33];
		if (EVP_DigestFinal_ex(md, d, &dl) != 1 || dl != 16)
			s = S3_NOMEM;
		hex_of(d, 16, hex);
		snprintf(etag, sizeof etag, "\"%s-%u\"", hex, (unsigned)n);
	}
	EVP_MD_CTX_free(md);
	free(use);
	if (!s) {
		char ctype[S3_CTYPE_MAX];
		snprintf(ctype, sizeof ctype, "%s", u->content_type);
		upload_remove(st, u); /* frees its parts and their share of the cap */
		s = put_locked(st, b, key, joined, (size_t)total, true, etag, ctype, now_ms, info);
	} else {
		free(joined);
	}
	pthread_mutex_unlock(&st->mu);
	return s;
}

enum s3_status s3_store_upload_abort(struct s3_store *st, const char *bucket, const char *key,
				     const char *id)
{
	pthread_mutex_lock(&st->mu);
	struct s3_upload *u = upload_find(st, bucket, key, id);
	enum s3_status s = !bucket_find(st, bucket) ? S3_NO_BUCKET : !u ? S3_NO_UPLOAD : S3_OK;
	if (!s)
		upload_remove(st, u);
	pthread_mutex_unlock(&st->mu);
	return s;
}
