/*
 * s3.h - the endpoint's S3 (rest-xml, signing name "s3"): buckets and
 * objects for `aws s3` and `aws s3api`, and the API exports write through.
 *
 * Operations (one table in s3.c): ListBuckets, CreateBucket, HeadBucket,
 * DeleteBucket, GetBucketLocation, ListObjects, ListObjectsV2 (prefix,
 * delimiter, max-keys, continuation-token, start-after, encoding-type=url),
 * PutObject, GetObject (one Range), HeadObject, DeleteObject,
 * DeleteObjects, CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload. Anything else answers
 * NotImplemented (501) or MethodNotAllowed (405). Errors are S3's XML shape:
 * <Error><Code/><Message/>[<BucketName/>|<Key/>|<UploadId/>]<RequestId/>
 * </Error>.
 *
 * Thread-safe (one mutex). Ownership: sim_s3_new allocates, sim_s3_free
 * releases; requests and data are borrowed.
 */
#ifndef QLDBTOP_SIM_S3_H
#define QLDBTOP_SIM_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/http.h"

#define SIM_S3_BODY_MAX (64u << 20) /* a PUT body: aws s3 cp goes multipart above 8 MiB */

struct sim_s3;
/* data_dir: where objects live (NULL: in memory, at most 1 GiB in all;
 * else DATA_DIR/s3/, see s3_store.h). NULL with err filled. */
struct sim_s3 *sim_s3_new(const char *data_dir, char *err, size_t cap);
/* The same with another cap on bytes held in memory (0: the default). */
struct sim_s3 *sim_s3_new_capped(const char *data_dir, uint64_t mem_cap, char *err, size_t cap);
void sim_s3_free(struct sim_s3 *s);
/* Answer one request (path style /bucket/key, or virtual-host style). */
void sim_s3_handle(struct sim_s3 *s, const struct sim_request *req, struct sim_response *res);
/* Pre-dispatch errors (signature, size) in S3's XML error shape. */
void sim_s3_error(struct sim_response *res, enum sim_error e, const char *msg);
/* The exports' API. put: 0, 1 when the bucket does not exist, -1 with
 * err (a one-line message: bucket, key, S3 code, why). create_bucket: 0
 * (also when it exists already), -1 with err (e.g. an invalid name). */
bool sim_s3_bucket_exists(struct sim_s3 *s, const char *bucket);
int sim_s3_create_bucket(struct sim_s3 *s, const char *bucket, char *err, size_t cap);
int sim_s3_put(struct sim_s3 *s, const char *bucket, const char *key, const void *data, size_t len,
	       char *err, size_t cap);

#endif
