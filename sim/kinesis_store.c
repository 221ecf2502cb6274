/*
 * kinesis_store.c - streams, shards, records and sequence numbers (see
 * kinesis_store.h).
 */
#include "sim/kinesis_store.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

#define SEQ_PREFIX "49"
#define NONCE_MOD 1000000000000000000ULL /* 10^18: the nonce's 18 digits */
#define TIME_MOD 10000000000LL		 /* 10^10: the creation seconds' 10 digits */

void sim_kinesis_store_init(struct sim_kinesis_store *st, uint64_t seed)
{
	memset(st, 0, sizeof *st);
	st->seed = seed;
	st->create_delay_ms = 500; /* kinesalite's default CREATING time */
	st->delete_delay_ms = 500;
}

static void shard_free(struct sim_kinesis_shard *sh)
{
	for (size_t i = 0; i < sh->n; i++)
		free(sh->ring[(sh->head + i) % sh->cap].bytes);
	free(sh->ring);
}

static void stream_free(struct sim_kinesis_stream *s)
{
	for (size_t i = 0; i < s->n_shards; i++)
		shard_free(&s->shards[i]);
	free(s->shards);
	free(s->key_id);
	free(s->tags);
	free(s);
}

void sim_kinesis_store_free(struct sim_kinesis_store *st)
{
	for (size_t i = 0; i < st->n; i++)
		stream_free(st->streams[i]);
	st->n = 0;
}

void sim_kinesis_store_sweep(struct sim_kinesis_store *st, int64_t now)
{
	size_t o = 0;
	for (size_t i = 0; i < st->n; i++) {
		struct sim_kinesis_stream *s = st->streams[i];
		if (s->deleted_ms && now - s->deleted_ms >= st->delete_delay_ms)
			stream_free(s);
		else
			st->streams[o++] = s;
	}
	st->n = o;
}

size_t sim_kinesis_store_open_shards(const struct sim_kinesis_store *st)
{
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++)
		n += st->streams[i]->n_shards;
	return n;
}

enum sim_kinesis_rc sim_kinesis_store_create(struct sim_kinesis_store *st, const char *name,
					     size_t n_shards, bool on_demand, int64_t now)
{
	size_t at = 0;
	while (at < st->n && strcmp(st->streams[at]->name, name) < 0)
		at++;
	if (at < st->n && strcmp(st->streams[at]->name, name) == 0)
		return SIM_KINESIS_EXISTS;
	if (st->n == SIM_KINESIS_STREAMS_MAX || n_shards == 0 ||
	    n_shards > SIM_KINESIS_SHARDS_MAX - sim_kinesis_store_open_shards(st))
		return SIM_KINESIS_LIMIT;
	struct sim_kinesis_stream *s = calloc(1, sizeof *s);
	if (!s || !(s->shards = calloc(n_shards, sizeof *s->shards))) {
		free(s);
		return SIM_KINESIS_NOMEM;
	}
	snprintf(s->name, sizeof s->name, "%s", name);
	s->serial = ++st->serials;
	struct sim_rng r;
	sim_rng_seed(&r, st->seed ^ (s->serial * 0x9E3779B97F4A7C15ULL));
	s->nonce = sim_rng_next(&r) % NONCE_MOD;
	s->created_ms = now;
	s->on_demand = on_demand;
	s->retention_hours = SIM_KINESIS_RETENTION_MIN;
	s->n_shards = n_shards;
	/* Even split of [0, 2^128): shard i starts at floor(2^128 * i / n);
	 * computed as i * (2^128 / n) plus the spread remainder so the last
	 * shard ends exactly at 2^128 - 1. */
	unsigned __int128 max = ~(unsigned __int128)0, q = max / n_shards,
			  rem = max % n_shards + 1; /* 2^128 = q*n + rem */
	if (rem == n_shards) {
		q++;
		rem = 0;
	}
	for (size_t i = 0; i < n_shards; i++) {
		s->shards[i].start = q * i + (rem * i) / n_shards;
		s->shards[i].end =
			i + 1 == n_shards ? max : q * (i + 1) + (rem * (i + 1)) / n_shards - 1;
	}
	memmove(&st->streams[at + 1], &st->streams[at], (st->n - at) * sizeof st->streams[0]);
	st->streams[at] = s;
	st->n++;
	return SIM_KINESIS_OK;
}

struct sim_kinesis_stream *sim_kinesis_store_find(struct sim_kinesis_store *st, const char *name)
{
	const char *arn = strncmp(name, "arn:", 4) == 0 ? strstr(name, ":stream/") : NULL;
	if (arn)
		name = arn + strlen(":stream/");
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->streams[i]->name, name) == 0)
			return st->streams[i];
	return NULL;
}

void sim_kinesis_store_delete(struct sim_kinesis_store *st, struct sim_kinesis_stream *s,
			      int64_t now)
{
	(void)st;
	s->deleted_ms = now > 0 ? now : 1;
}

enum sim_kinesis_status sim_kinesis_store_status(const struct sim_kinesis_store *st,
						 const struct sim_kinesis_stream *s, int64_t now)
{
	if (s->deleted_ms)
		return SIM_KINESIS_DELETING;
	return now - s->created_ms >= st->create_delay_ms ? SIM_KINESIS_ACTIVE
							  : SIM_KINESIS_CREATING;
}

const char *sim_kinesis_status_name(enum sim_kinesis_status status)
{
	static const char *const NAMES[] = { "CREATING", "ACTIVE", "DELETING" };
	return NAMES[status];
}

size_t sim_kinesis_shard_of(const struct sim_kinesis_stream *s, unsigned __int128 hash)
{
	for (size_t i = 0; i < s->n_shards; i++)
		if (hash >= s->shards[i].start && hash <= s->shards[i].end)
			return i;
	return s->n_shards - 1; /* unreachable: the ranges cover the space */
}

unsigned __int128 sim_kinesis_hash_key(const char *key, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	unsigned __int128 v = 0;
	if (EVP_Digest(key, len, md, &n, EVP_md5(), NULL) != 1 || n != 16)
		return 0;
	for (unsigned i = 0; i < 16; i++)
		v = v << 8 | md[i];
	return v;
}

int sim_kinesis_u128_parse(const char *s, unsigned __int128 *out)
{
	unsigned __int128 v = 0, max = ~(unsigned __int128)0;
	size_t n = strlen(s);
	if (n == 0 || n > 39 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

void sim_kinesis_u128_format(unsigned __int128 v, char out[40])
{
	char tmp[40];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static struct sim_kinesis_record *ring_at(const struct sim_kinesis_shard *sh, size_t i)
{
	return &sh->ring[(sh->head + i) % sh->cap];
}

static void shard_trim_oldest(struct sim_kinesis_shard *sh)
{
	struct sim_kinesis_record *r = ring_at(sh, 0);
	sh->bytes -= r->len + r->key_len;
	free(r->bytes);
	r->bytes = NULL;
	sh->head = (sh->head + 1) % sh->cap;
	sh->n--;
	sh->first++;
}

/* Room for one more record: grow the ring by doubling up to the cap. */
static int shard_reserve(struct sim_kinesis_shard *sh)
{
	if (sh->n < sh->cap)
		return 0;
	if (sh->cap == SIM_KINESIS_SHARD_RECORDS_MAX) {
		shard_trim_oldest(sh);
		return 0;
	}
	size_t cap = sh->cap ? sh->cap * 2 : 64;
	if (cap > SIM_KINESIS_SHARD_RECORDS_MAX)
		cap = SIM_KINESIS_SHARD_RECORDS_MAX;
	struct sim_kinesis_record *ring = malloc(cap * sizeof *ring);
	if (!ring)
		return -1;
	for (size_t i = 0; i < sh->n; i++)
		ring[i] = *ring_at(sh, i);
	free(sh->ring);
	sh->ring = ring;
	sh->cap = cap;
	sh->head = 0;
	return 0;
}

enum sim_kinesis_rc sim_kinesis_shard_append(struct sim_kinesis_shard *sh, const char *key,
					     size_t key_len, const void *data, size_t len,
					     int64_t now, uint64_t *index)
{
	if (key_len > SIM_KINESIS_KEY_MAX || len + key_len > SIM_KINESIS_DATA_MAX)
		return SIM_KINESIS_TOO_LARGE;
	uint8_t *bytes = malloc(key_len + len + 1);
	if (!bytes)
		return SIM_KINESIS_NOMEM;
	memcpy(bytes, key, key_len);
	if (len)
		memcpy(bytes + key_len, data, len);
	while (sh->n && sh->bytes + key_len + len > SIM_KINESIS_SHARD_BYTES_MAX)
		shard_trim_oldest(sh);
	if (shard_reserve(sh) != 0) {
		free(bytes);
		return SIM_KINESIS_NOMEM;
	}
	int64_t last = sh->n ? ring_at(sh, sh->n - 1)->arrival_ms : INT64_MIN;
	struct sim_kinesis_record *r = &sh->ring[(sh->head + sh->n) % sh->cap];
	*r = (struct sim_kinesis_record){ .arrival_ms = now > last ? now : last,
					  .len = (uint32_t)len,
					  .key_len = (uint16_t)key_len,
					  .bytes = bytes };
	sh->n++;
	sh->bytes += key_len + len;
	*index = sh->next++;
	return SIM_KINESIS_OK;
}

const struct sim_kinesis_record *sim_kinesis_shard_get(const struct sim_kinesis_shard *sh,
						       uint64_t index)
{
	if (index < sh->first || index >= sh->next)
		return NULL;
	return ring_at(sh, (size_t)(index - sh->first));
}

uint64_t sim_kinesis_shard_seek_time(const struct sim_kinesis_shard *sh, int64_t at_ms)
{
	size_t lo = 0, hi = sh->n; /* arrival times are non-decreasing */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ring_at(sh, mid)->arrival_ms < at_ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	return sh->first + lo;
}

/* The 36 digits before the index: "49", creation seconds, nonce, shard. */
static void seq_prefix(const struct sim_kinesis_stream *s, size_t shard, char out[37])
{
	int64_t secs = s->created_ms / 1000;
	secs = ((secs % TIME_MOD) + TIME_MOD) % TIME_MOD;
	snprintf(out, 37, SEQ_PREFIX "%010" PRId64 "%018" PRIu64 "%06zu", secs, s->nonce,
		 shard % 1000000);
}

void sim_kinesis_seq_format(const struct sim_kinesis_stream *s, size_t shard, uint64_t index,
			    char out[SIM_KINESIS_SEQ_LEN + 1])
{
	char prefix[37];
	seq_prefix(s, shard, prefix);
	snprintf(out, SIM_KINESIS_SEQ_LEN + 1, "%s%020" PRIu64, prefix, index);
}

int sim_kinesis_seq_parse(const struct sim_kinesis_stream *s, size_t shard, const char *seq,
			  uint64_t *index)
{
	char prefix[37];
	seq_prefix(s, shard, prefix);
	if (strlen(seq) != SIM_KINESIS_SEQ_LEN || strncmp(seq, prefix, 36) != 0)
		return -1;
	uint64_t v = 0;
	for (const char *p = seq + 36; *p; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*index = v;
	return 0;
}

/* --- settings: encryption and tags -------------------------------------------- */

enum sim_kinesis_rc sim_kinesis_stream_encrypt(struct sim_kinesis_stream *s, const char *key_id)
{
	char *copy = NULL;
	if (key_id && !(copy = strdup(key_id)))
		return SIM_KINESIS_NOMEM;
	free(s->key_id);
	s->key_id = copy;
	return SIM_KINESIS_OK;
}

/* Where key is in s->tags, or where it would go (*found says which). */
static size_t tag_slot(const struct sim_kinesis_stream *s, const char *key, bool *found)
{
	size_t i = 0;
	while (i < s->n_tags && strcmp(s->tags[i].key, key) < 0)
		i++;
	*found = i < s->n_tags && strcmp(s->tags[i].key, key) == 0;
	return i;
}

const struct sim_kinesis_tag *sim_kinesis_stream_tag_find(const struct sim_kinesis_stream *s,
							  const char *key)
{
	bool found;
	size_t i = tag_slot(s, key, &found);
	return found ? &s->tags[i] : NULL;
}

enum sim_kinesis_rc sim_kinesis_stream_tag(struct sim_kinesis_stream *s, const char *key,
					   const char *value)
{
	bool found;
	size_t i = tag_slot(s, key, &found);
	if (!found) {
		if (s->n_tags == SIM_KINESIS_TAGS_MAX)
			return SIM_KINESIS_LIMIT;
		/* the array grows one tag at a time: at most 50 of ~390 bytes */
		struct sim_kinesis_tag *t = realloc(s->tags, (s->n_tags + 1) * sizeof *t);
		if (!t)
			return SIM_KINESIS_NOMEM;
		s->tags = t;
		memmove(&t[i + 1], &t[i], (s->n_tags - i) * sizeof *t);
		s->n_tags++;
		snprintf(t[i].key, sizeof t[i].key, "%s", key);
	}
	snprintf(s->tags[i].value, sizeof s->tags[i].value, "%s", value);
	return SIM_KINESIS_OK;
}

void sim_kinesis_stream_untag(struct sim_kinesis_stream *s, const char *key)
{
	bool found;
	size_t i = tag_slot(s, key, &found);
	if (!found)
		return;
	memmove(&s->tags[i], &s->tags[i + 1], (s->n_tags - i - 1) * sizeof *s->tags);
	s->n_tags--;
}
