/*
 * scenario.h - scripted faults and tampering for demos and tests
 * (`serve --scenario NAME|FILE`). A scenario is a text file, one event per
 * line, '#' to the end of a line is a comment:
 *
 *   WHEN ACTION ARGS... [for DURATION]
 *
 *   WHEN      at 30s | at 2m | at 500ms      time since the endpoint started
 *             after 40 requests              the 40th request since start
 *   DURATION  30s | 2m | 500ms               how long a fault lasts
 *                                            (default: to the end)
 * Faults, on a SERVICE (qldb, kinesis, s3, monitoring or all), or on one
 * operation of it, SERVICE:Operation as the endpoint routes it (qldb and
 * kinesis: qldb:GetBlock, kinesis:GetRecords; an unknown one is an error):
 *   throttle SERVICE SHARE        SHARE (0..1) of requests answer 400
 *                                 ThrottlingException
 *   error SERVICE STATUS SHARE    answer STATUS (500..599) InternalFailure /
 *                                 ServiceUnavailable
 *   latency SERVICE MS            every answer waits MS milliseconds
 *   drop SERVICE SHARE            the connection closes without an answer
 *   malformed SERVICE SHARE       a 200 whose body is not what was asked
 *   truncate SERVICE SHARE        a 200 whose body is cut short
 * Events on a ledger (permanent unless `for`):
 *   impair-stream LEDGER CAUSE    its journal streams are IMPAIRED with
 *                                 CAUSE: KINESIS_STREAM_NOT_FOUND or
 *                                 IAM_PERMISSION_REVOKED
 *   fail-export LEDGER            its next export is CANCELLED
 *   kms-inaccessible LEDGER       EncryptionStatus KMS_KEY_INACCESSIBLE,
 *                                 with InaccessibleKmsKeyDateTime
 *   tamper-block LEDGER SEQ       block SEQ's stored text changes, its hashes
 *                                 do not: it no longer proves
 *   fork LEDGER SEQ               history is rewritten from block SEQ: new
 *                                 digests do not contain the old tip
 * Shares are decided by a generator seeded from the scenario, so a run is
 * repeatable. NAME is a file of assets/scenarios/ (e.g. demo).
 *
 * Pure (parsing). Ownership: sim_scenario_parse allocates, _free releases.
 */
#ifndef QLDBTOP_SIM_SCENARIO_H
#define QLDBTOP_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_SCENARIO_EVENTS_MAX 256
#define SIM_SCENARIO_LINE_MAX 512
#define SIM_SCENARIO_ARG_MAX 64

enum sim_fault_kind {
	SIM_FAULT_THROTTLE,
	SIM_FAULT_ERROR,
	SIM_FAULT_LATENCY,
	SIM_FAULT_DROP,
	SIM_FAULT_MALFORMED,
	SIM_FAULT_TRUNCATE,
	SIM_EVENT_IMPAIR_STREAM,
	SIM_EVENT_FAIL_EXPORT,
	SIM_EVENT_KMS_INACCESSIBLE,
	SIM_EVENT_TAMPER_BLOCK,
	SIM_EVENT_FORK,
	SIM_FAULT_KIND_COUNT
};

struct sim_scenario_event {
	enum sim_fault_kind kind;
	int64_t at_ms;		 /* -1 when triggered by a request count */
	uint64_t after_requests; /* with at_ms -1 */
	int64_t for_ms;		 /* 0: to the end (faults) / permanent (events) */
	char service[16];	 /* faults: qldb, kinesis, s3, monitoring, all */
	char operation[48];	 /* faults: one operation of service, "": all */
	char ledger[40];	 /* events */
	char cause[SIM_SCENARIO_ARG_MAX];
	double share;	 /* 0..1 */
	unsigned status; /* error */
	int64_t ms;	 /* latency */
	int64_t seq;	 /* tamper-block, fork */
	unsigned line;
};

struct sim_scenario {
	struct sim_scenario_event v[SIM_SCENARIO_EVENTS_MAX];
	size_t n;
	uint64_t seed; /* from the file's bytes */
};

/* Parse text (len bytes; name is for messages). NULL with err "NAME:LINE:
 * what" (one line) on the first error. */
struct sim_scenario *sim_scenario_parse(const char *text, size_t len, const char *name, char *err,
					size_t cap);
/* Read NAME (a file under dir) or FILE (a path with a '/', or an existing
 * file), then parse. */
struct sim_scenario *sim_scenario_load(const char *name_or_file, const char *dir, char *err,
				       size_t cap);
void sim_scenario_free(struct sim_scenario *s);
/* The action's name in the file ("throttle", ...). */
const char *sim_fault_name(enum sim_fault_kind k);

#endif
