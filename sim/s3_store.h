/*
 * s3_store.h - the endpoint's S3 data: buckets, objects and multipart
 * uploads, in memory (data_dir NULL) or under DATA_DIR/s3/ (one folder
 * per bucket, named for the bucket, whose names are checked to be safe
 * path components; two files per object named by the SHA-256 of the key,
 * since keys are untrusted bytes: NAME.obj holds the data, NAME.meta the
 * real key and the metadata; both written to a temporary name then
 * renamed). Multipart parts stay in memory in both modes.
 *
 * Bounded: S3_STORE_MEM_CAP bytes held in memory (objects in memory mode,
 * parts in both), S3_STORE_OBJECT_MAX per object, S3_STORE_BUCKETS_MAX
 * buckets, S3_STORE_OBJECTS_MAX objects per bucket, S3_STORE_UPLOADS_MAX
 * uploads in flight, S3_STORE_PARTS_MAX parts each. Beyond them: S3_FULL
 * or S3_LIMIT.
 *
 * Thread-safe: one mutex around every call. Ownership: s3_store_open
 * allocates, s3_store_close releases; inputs are borrowed; outputs
 * (s3_store_get's data, s3_list) are the caller's to free as stated.
 */
#ifndef QLDBTOP_SIM_S3_STORE_H
#define QLDBTOP_SIM_S3_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define S3_STORE_MEM_CAP ((uint64_t)1 << 30)	/* 1 GiB in memory */
#define S3_STORE_OBJECT_MAX ((uint64_t)1 << 30) /* one object: 1 GiB */
#define S3_STORE_BUCKETS_MAX 1000		/* S3's default quota is 100 */
#define S3_STORE_OBJECTS_MAX 1000000		/* per bucket */
#define S3_STORE_UPLOADS_MAX 1000		/* multipart uploads in flight */
#define S3_STORE_PARTS_MAX 10000		/* S3's own limit */
#define S3_STORE_PART_MIN (5u << 20)		/* every part but the last: 5 MiB */
#define S3_KEY_MAX 1024				/* bytes of a key, as S3 */
#define S3_BUCKET_MAX 63			/* a bucket name: 3..63 */
#define S3_ETAG_MAX 48				/* "32 hex" or "32 hex-NNNNN", quoted */
#define S3_CTYPE_MAX 128			/* a stored Content-Type */
#define S3_UPLOAD_ID_LEN 32			/* hex digits */

/* Outcomes (s3.c maps each to S3's error code and status). */
enum s3_status {
	S3_OK = 0,
	S3_NO_BUCKET,	     /* NoSuchBucket */
	S3_NO_KEY,	     /* NoSuchKey */
	S3_BUCKET_EXISTS,    /* BucketAlreadyOwnedByYou */
	S3_BUCKET_NOT_EMPTY, /* BucketNotEmpty */
	S3_BAD_BUCKET_NAME,  /* InvalidBucketName */
	S3_BAD_KEY,	     /* KeyTooLongError / empty key */
	S3_NO_UPLOAD,	     /* NoSuchUpload */
	S3_INVALID_PART,     /* InvalidPart: missing or ETag differs */
	S3_INVALID_ORDER,    /* InvalidPartOrder */
	S3_ENTITY_TOO_SMALL, /* EntityTooSmall: a part under 5 MiB */
	S3_TOO_LARGE,	     /* EntityTooLarge: object over the cap */
	S3_FULL,	     /* the memory cap would be passed */
	S3_LIMIT,	     /* too many buckets, objects, uploads or parts */
	S3_IO,		     /* the disk failed (errno in the message) */
	S3_NOMEM,	     /* malloc failed */
	S3_STATUS_COUNT
};

struct s3_store;

/* Object metadata as returned. */
struct s3_object_info {
	uint64_t size;
	int64_t mtime_ms;
	char etag[S3_ETAG_MAX]; /* with its quotes */
	char content_type[S3_CTYPE_MAX];
};

/* Open (loading what DATA_DIR/s3/ holds) or create the store. mem_cap 0
 * means S3_STORE_MEM_CAP. NULL with err filled. */
struct s3_store *s3_store_open(const char *data_dir, uint64_t mem_cap, char *err, size_t cap);
void s3_store_close(struct s3_store *st);

/* Is name a bucket name S3 accepts (3..63 of [a-z0-9.-], starting and
 * ending with a letter or digit, no "..", not an IPv4 address)? */
bool s3_bucket_name_ok(const char *name);

enum s3_status s3_store_bucket_create(struct s3_store *st, const char *bucket, int64_t now_ms);
enum s3_status s3_store_bucket_delete(struct s3_store *st, const char *bucket);
bool s3_store_bucket_exists(struct s3_store *st, const char *bucket);
/* Every bucket, by name: calls fn for each (under the lock: fn must not
 * call back into the store). */
void s3_store_buckets(struct s3_store *st, void (*fn)(void *ctx, const char *name, int64_t ms),
		      void *ctx);

/* Store an object (replacing any). content_type NULL: binary/octet-stream.
 * info (may be NULL) gets its metadata. */
enum s3_status s3_store_put(struct s3_store *st, const char *bucket, const char *key,
			    const void *data, size_t len, const char *content_type, int64_t now_ms,
			    struct s3_object_info *info);
/* Metadata, and when data is not NULL the bytes [off, off+len) (clamped
 * to the object) into *data (malloc'd, caller frees; *data_len set). */
enum s3_status s3_store_get(struct s3_store *st, const char *bucket, const char *key,
			    struct s3_object_info *info, uint64_t off, uint64_t len, char **data,
			    size_t *data_len);
/* Delete (S3_OK when the key was absent too, as S3). */
enum s3_status s3_store_delete(struct s3_store *st, const char *bucket, const char *key);

/* A listing: keys under prefix after marker, rolled up at delimiter. */
struct s3_list_query {
	const char *prefix;    /* "" for all */
	const char *delimiter; /* NULL or "" for none */
	const char *marker;    /* list entries after this (key or common prefix) */
	size_t max;	       /* entries (keys + common prefixes) to return */
};
struct s3_list_entry {
	char *key; /* the key, or the common prefix when is_prefix */
	bool is_prefix;
	struct s3_object_info info; /* keys only */
};
struct s3_list {
	struct s3_list_entry *v;
	size_t n;
	bool truncated; /* more entries follow the last one */
};
enum s3_status s3_store_list(struct s3_store *st, const char *bucket, const struct s3_list_query *q,
			     struct s3_list *out);
void s3_list_free(struct s3_list *l);

/* Multipart uploads. id gets S3_UPLOAD_ID_LEN hex digits + NUL. */
enum s3_status s3_store_upload_create(struct s3_store *st, const char *bucket, const char *key,
				      const char *content_type, char id[S3_UPLOAD_ID_LEN + 1]);
enum s3_status s3_store_upload_part(struct s3_store *st, const char *bucket, const char *key,
				    const char *id, unsigned part, const void *data, size_t len,
				    char etag[S3_ETAG_MAX]);
struct s3_part_ref {
	unsigned number;
	const char *etag; /* quoted or not */
};
/* Join the listed parts (ascending numbers, ETags matching) into the
 * object; the upload ends. info gets the object's metadata. */
enum s3_status s3_store_upload_complete(struct s3_store *st, const char *bucket, const char *key,
					const char *id, const struct s3_part_ref *parts, size_t n,
					int64_t now_ms, struct s3_object_info *info);
enum s3_status s3_store_upload_abort(struct s3_store *st, const char *bucket, const char *key,
				     const char *id);

/* The message of the last S3_IO failure (thread-local, one line). */
const char *s3_store_io_error(void);

#endif
