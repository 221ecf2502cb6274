/*
 * resource_kinesis.h - the value of STORE_KINESIS (resource_kinesis.c):
 * each live journal stream's Kinesis target, its status and shards, and
 * the stream's lag in blocks behind the ledger's digest tip.
 * Ownership: one calloc'd struct kinesis_health_list per publish, freed
 * with free().
 */
#ifndef QLDBTOP_API_RESOURCE_KINESIS_H
#define QLDBTOP_API_RESOURCE_KINESIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/error.h"
#include "api/kinesis.h"
#include "api/qldb.h"
#include "api/qldb_streams.h"

#define KINESIS_HEALTH_MAX 8  /* streams looked at per ledger and poll */
#define KINESIS_SCAN_CALLS 10 /* GetRecords calls per stream and poll */
/* Records read from this far back (AT_TIMESTAMP), not from the trim
 * horizon: a day of a busy stream is gigabytes, and only the newest block
 * matters. A stream quiet for longer shows its lag as unknown (null). */
#define KINESIS_SCAN_WINDOW_S 600

struct kinesis_health {
	char stream_id[QLDB_ID_LEN + 1];
	char stream_name[QLDB_NAME_MAX + 1];
	char target[KINESIS_NAME_MAX + 1];
	char status[16];
	uint64_t open_shards, retention_hours;
	int64_t lag; /* blocks; -1 unknown */
	bool lag_complete;
	uint64_t records;
	char error[API_ERROR_MSG_MAX]; /* "" when the target was read */
};

struct kinesis_health_list {
	uint64_t tip;
	size_t n;
	bool truncated; /* more live streams than KINESIS_HEALTH_MAX */
	struct kinesis_health items[KINESIS_HEALTH_MAX];
};

#endif
