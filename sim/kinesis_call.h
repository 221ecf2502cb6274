/*
 * kinesis_call.h - what the endpoint's Kinesis operation files share
 * (kinesis.c: streams, shards, records and the dispatch table;
 * kinesis_settings.c: retention, encryption, tags): the service's state,
 * the request an operation answers, its errors in Kinesis's JSON shape,
 * and the member readers that word validation errors as AWS does.
 * Internal to sim/: sim/kinesis.h is the interface the server sees.
 *
 * Every reader either returns what it read or has answered the request
 * with the error (then the operation returns at once). Threads: an
 * operation takes the service's mutex with kinesis_lock around the store.
 */
#ifndef QLDBTOP_SIM_KINESIS_CALL_H
#define QLDBTOP_SIM_KINESIS_CALL_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/http.h"
#include "sim/kinesis.h"
#include "sim/kinesis_store.h"
#include "sim/ledger.h"

#define KINESIS_ACCOUNT SIM_DEMO_ACCOUNT
#define KINESIS_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

/* The service: its streams and the key that seals iterators and tokens. */
struct sim_kinesis {
	pthread_mutex_t mu;
	struct sim_kinesis_store st;
	uint8_t key[32]; /* seals iterators and tokens */
	int64_t (*now_ms)(void *ctx);
	void *ctx;
};

/* Kinesis's error codes (kinesis.c has their names and statuses). */
enum kinesis_error {
	KE_NOT_FOUND,
	KE_IN_USE,
	KE_INVALID_ARGUMENT,
	KE_VALIDATION,
	KE_SERIALIZATION,
	KE_UNKNOWN_OPERATION,
	KE_LIMIT,
	KE_EXPIRED_ITERATOR,
	KE_EXPIRED_TOKEN,
	KE_KMS_NOT_FOUND,
	KE_INTERNAL,
};

/* One request being answered. */
struct kinesis_call {
	struct sim_kinesis *k;
	const cJSON *in;
	const char *region;
	struct sim_response *res;
};

/* Answer res with error e and a message (one printable line). */
void kinesis_err(struct sim_response *res, enum kinesis_error e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Answer res with o (taken), or a 500 when it cannot be printed. */
void kinesis_respond(struct sim_response *res, cJSON *o);
/* Take the mutex and sweep deleted streams; returns now (ms). */
int64_t kinesis_lock(struct sim_kinesis *k);
void kinesis_unlock(struct sim_kinesis *k);

/* "Value null at 'member' ... must not be null". */
void kinesis_not_null(struct kinesis_call *c, const char *member);
/* A string member of obj within [min, max] characters (and, with
 * pattern_chars, only those): 1 and *out (borrowed), 0 when absent and
 * not required, -1 after an error. */
int kinesis_get_text(struct kinesis_call *c, const cJSON *obj, const char *member, bool required,
		     size_t min, size_t max, const char *pattern_chars, const char **out);
/* An integer member in [min, max]: 1 and *out, 0 when absent, -1 after an
 * error. */
int kinesis_get_int(struct kinesis_call *c, const char *member, int64_t min, int64_t max,
		    int64_t *out);
/* The stream StreamName or StreamARN names (they must agree): 0 and *name
 * (borrowed from the request), or -1 after an error. */
int kinesis_stream_ident(struct kinesis_call *c, const char **name);
/* The stream, or NULL after ResourceNotFoundException. Under the mutex. */
struct sim_kinesis_stream *kinesis_find_stream(struct kinesis_call *c, const char *name);

/* The settings operations (kinesis_settings.c), in kinesis.c's table. */
void kinesis_op_increase_retention(struct kinesis_call *c);
void kinesis_op_decrease_retention(struct kinesis_call *c);
void kinesis_op_start_encryption(struct kinesis_call *c);
void kinesis_op_stop_encryption(struct kinesis_call *c);
void kinesis_op_add_tags(struct kinesis_call *c);
void kinesis_op_list_tags(struct kinesis_call *c);
void kinesis_op_remove_tags(struct kinesis_call *c);

#endif
