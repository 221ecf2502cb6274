/*
 * cloudwatch_series.c - the AWS/QLDB metrics as data points (see
 * cloudwatch_series.h). A journal summary holds, per block, its time and
 * prefix sums (revisions, text bytes, indexed bytes) so that any minute's
 * sample costs two binary searches; indexed bytes need each document's
 * current size, kept in an open-addressing table of document ids.
 */
#include "sim/cloudwatch_series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fail.h"
#include "sim/metrics.h"
#include "verify/buf.h"
#include "verify/ion.h"
#include "verify/ion_write.h"

#define MINUTE_MS 60000

/* CommandLatency's synthetic formula (cloudwatch_series.h). */
#define LATENCY_BASE_MS 4.0
#define LATENCY_PER_REVISION_MS 1.5
#define LATENCY_PER_OPERATION_MS 0.1

static const struct {
	const char *name, *unit;
} METRICS[SIM_CW_METRIC_COUNT] = {
	[SIM_CW_WRITE_IOS] = { "WriteIOs", "Count" },
	[SIM_CW_READ_IOS] = { "ReadIOs", "Count" },
	[SIM_CW_JOURNAL_STORAGE] = { "JournalStorage", "Bytes" },
	[SIM_CW_INDEXED_STORAGE] = { "IndexedStorage", "Bytes" },
	[SIM_CW_COMMAND_LATENCY] = { "CommandLatency", "Milliseconds" },
	[SIM_CW_IS_IMPAIRED] = { "IsImpaired", "Count" },
};

const char *sim_cw_metric_name(enum sim_cw_metric m)
{
	return METRICS[m].name;
}

const char *sim_cw_metric_unit(enum sim_cw_metric m)
{
	return METRICS[m].unit;
}

int sim_cw_metric_find(const char *name)
{
	for (int i = 0; i < SIM_CW_METRIC_COUNT; i++)
		if (strcmp(METRICS[i].name, name) == 0)
			return i;
	return -1;
}

static const struct {
	const char *name;
	enum sim_cw_stat_kind kind;
} STATS[] = {
	{ "Sum", SIM_CW_SUM },
	{ "Average", SIM_CW_AVERAGE },
	{ "Minimum", SIM_CW_MINIMUM },
	{ "Maximum", SIM_CW_MAXIMUM },
	{ "SampleCount", SIM_CW_SAMPLE_COUNT },
};

int sim_cw_stat_parse(const char *s, struct sim_cw_stat *out)
{
	for (size_t i = 0; i < sizeof STATS / sizeof STATS[0]; i++)
		if (strcmp(s, STATS[i].name) == 0) {
			*out = (struct sim_cw_stat){ .kind = STATS[i].kind };
			return 0;
		}
	/* pNN or pNN.NN: up to three integer digits, two decimals, 0..100 */
	if (s[0] != 'p')
		return -1;
	const char *p = s + 1;
	size_t digits = 0, decimals = 0;
	while (*p >= '0' && *p <= '9' && digits < 4)
		p++, digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && decimals < 3; p++)
			decimals++;
	if (*p || digits == 0 || digits > 3 || decimals > 2 || (p[-1] == '.'))
		return -1;
	double v = strtod(s + 1, NULL);
	if (v < 0 || v > 100)
		return -1;
	*out = (struct sim_cw_stat){ .kind = SIM_CW_PERCENTILE, .p = v };
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double sim_cw_stat_apply(const struct sim_cw_stat *st, double *v, size_t n)
{
	double sum = 0, lo = v[0], hi = v[0];
	for (size_t i = 0; i < n; i++) {
		sum += v[i];
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	switch (st->kind) {
	case SIM_CW_SUM:
		return sum;
	case SIM_CW_AVERAGE:
		return sum / (double)n;
	case SIM_CW_MINIMUM:
		return lo;
	case SIM_CW_MAXIMUM:
		return hi;
	case SIM_CW_SAMPLE_COUNT:
		return (double)n;
	case SIM_CW_PERCENTILE:
		break;
	}
	/* nearest rank: the smallest sample with at least p% at or below it */
	qsort(v, n, sizeof *v, cmp_double);
	size_t rank = (size_t)ceil(st->p / 100.0 * (double)n);
	return v[rank ? rank - 1 : 0];
}

/* --- journal summary ----------------------------------------------------- */

struct doc_size {
	char id[SIM_ID_LEN + 1]; /* "" : free slot */
	int64_t bytes;
};

struct sim_cw_journal {
	size_t n, cap;
	int64_t *time;	       /* n block times */
	uint64_t *revs;	       /* n + 1 prefix sums of revisions */
	uint64_t *bytes;       /* n + 1 prefix sums of block text bytes */
	int64_t *indexed;      /* n + 1: indexed bytes after blocks [0, i) */
	struct qldb_hash last; /* hash of block n - 1: a fork replaces it */
	struct doc_size *docs; /* open addressing, power-of-two size */
	size_t n_docs, cap_docs;
};

struct sim_cw_journal *sim_cw_journal_new(void)
{
	return calloc(1, sizeof(struct sim_cw_journal));
}

static void journal_clear(struct sim_cw_journal *c)
{
	free(c->time);
	free(c->revs);
	free(c->bytes);
	free(c->indexed);
	free(c->docs);
	memset(c, 0, sizeof *c);
}

void sim_cw_journal_free(struct sim_cw_journal *c)
{
	if (c)
		journal_clear(c);
	free(c);
}

size_t sim_cw_journal_blocks(const struct sim_cw_journal *c)
{
	return c->n;
}

static size_t doc_hash(const char *id)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *id; id++)
		h = (h ^ (uint8_t)*id) * 1099511628211ull;
	return (size_t)h;
}

/* The slot of id (found or free). The table is never full (grown first). */
static struct doc_size *doc_slot(struct doc_size *t, size_t cap, const char *id)
{
	for (size_t i = doc_hash(id) & (cap - 1);; i = (i + 1) & (cap - 1))
		if (!t[i].id[0] || strcmp(t[i].id, id) == 0)
			return &t[i];
}

/* Room for one more document: grow at 1/2 load. */
static int doc_reserve(struct sim_cw_journal *c)
{
	if (c->n_docs + 1 <= c->cap_docs / 2)
		return 0;
	size_t cap = c->cap_docs ? c->cap_docs * 2 : 64;
	struct doc_size *t = calloc(cap, sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < c->cap_docs; i++)
		if (c->docs[i].id[0])
			*doc_slot(t, cap, c->docs[i].id) = c->docs[i];
	free(c->docs);
	c->docs = t;
	c->cap_docs = cap;
	return 0;
}

static int grow(void **p, size_t cap, size_t size)
{
	void *q = realloc(*p, cap * size);
	if (!q)
		return -1;
	*p = q;
	return 0;
}

static int journal_reserve(struct sim_cw_journal *c)
{
	if (c->n + 1 < c->cap)
		return 0;
	size_t cap = c->cap ? c->cap * 2 : 256;
	if (grow((void **)&c->time, cap, sizeof *c->time) ||
	    grow((void **)&c->revs, cap + 1, sizeof *c->revs) ||
	    grow((void **)&c->bytes, cap + 1, sizeof *c->bytes) ||
	    grow((void **)&c->indexed, cap + 1, sizeof *c->indexed))
		return -1;
	c->cap = cap;
	return 0;
}

/* Revisions of a parsed block: count them, and move the indexed total by
 * each document's new size minus its old one. */
static int block_revisions(struct sim_cw_journal *c, const struct ion_value *block, uint64_t *revs,
			   int64_t *indexed)
{
	const struct ion_value *list = ion_struct_get(block, "revisions");
	if (!list || list->is_null || list->type != ION_TYPE_LIST)
		return 0;
	struct buf text = { 0 };
	int rc = 0;
	for (const struct ion_value *r = list->u.c.first_child; r && !rc; r = r->next) {
		(*revs)++;
		const struct ion_value *id = ion_struct_get(ion_struct_get(r, "metadata"), "id");
		if (!id || id->type != ION_TYPE_STRING || id->u.bytes.len != SIM_ID_LEN)
			continue;
		char key[SIM_ID_LEN + 1];
		memcpy(key, id->u.bytes.data, SIM_ID_LEN);
		key[SIM_ID_LEN] = '\0';
		const struct ion_value *data = ion_struct_get(r, "data");
		int64_t size = 0;
		struct ion_error err = { 0 };
		buf_clear(&text);
		if (data && ion_write_text(&text, data, &err) == 0)
			size = (int64_t)text.len;
		if (doc_reserve(c) != 0) {
			rc = -1;
			break;
		}
		struct doc_size *d = doc_slot(c->docs, c->cap_docs, key);
		if (!d->id[0]) {
			memcpy(d->id, key, sizeof key);
			c->n_docs++;
		}
		*indexed += size - d->bytes;
		d->bytes = size;
	}
	buf_free(&text);
	return rc;
}

/* Append block seq of j. */
static int journal_add(struct sim_cw_journal *c, struct sim_journal *j, int64_t seq, char *err,
		       size_t cap)
{
	struct sim_block_info info;
	size_t len = 0;
	char *text = sim_journal_block_text(j, seq, &len);
	if (!text || sim_journal_block_info(j, seq, &info) != 0) {
		free(text);
		return sim_fail(err, cap, "CloudWatch: block %lld could not be read",
				(long long)seq);
	}
	if (journal_reserve(c) != 0) {
		free(text);
		return sim_fail(err, cap, "CloudWatch: out of memory summarising the journal");
	}
	uint64_t revs = 0;
	int64_t indexed = c->indexed[c->n];
	struct ion_arena *a = NULL;
	const struct ion_value *block;
	char why[128];
	int rc = 0;
	/* a block that does not parse (a scenario's tampering keeps it
	 * parseable; anything else is a bug) still counts its bytes */
	if (ion_parse_one_alloc((const uint8_t *)text, len, NULL, &a, &block, why, sizeof why) == 0)
		rc = block_revisions(c, block, &revs, &indexed);
	ion_arena_free(a);
	free(text);
	if (rc)
		return sim_fail(err, cap, "CloudWatch: out of memory summarising the journal");
	c->time[c->n] = info.time_ms;
	c->revs[c->n + 1] = c->revs[c->n] + revs;
	c->bytes[c->n + 1] = c->bytes[c->n] + len;
	c->indexed[c->n + 1] = indexed;
	c->last = info.block_hash;
	c->n++;
	return 0;
}

int sim_cw_journal_sync(struct sim_cw_journal *c, struct sim_journal *j, char *err, size_t cap)
{
	size_t count = sim_journal_block_count(j);
	struct sim_block_info info;
	if (c->n && (count < c->n || sim_journal_block_info(j, (int64_t)c->n - 1, &info) != 0 ||
		     !qldb_hash_equal(&info.block_hash, &c->last)))
		journal_clear(c); /* history rewritten: start again */
	if (!c->revs) {
		if (journal_reserve(c) != 0)
			return sim_fail(err, cap,
					"CloudWatch: out of memory summarising the journal");
		c->revs[0] = c->bytes[0] = 0;
		c->indexed[0] = 0;
	}
	for (size_t seq = c->n; seq < count; seq++)
		if (journal_add(c, j, (int64_t)seq, err, cap) != 0)
			return -1;
	return 0;
}

/* Blocks with time < t. Block times never decrease along the strand. */
static size_t blocks_before(const struct sim_cw_journal *c, int64_t t)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->time[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* --- series -------------------------------------------------------------- */

static int64_t floor_minute(int64_t ms)
{
	int64_t r = ms % MINUTE_MS;
	return ms - (r < 0 ? r + MINUTE_MS : r);
}

/* The sample of metric m for minute [a, b) (b - a <= 60 s); false: none. */
static bool minute_sample(const struct sim_cw_source *src, enum sim_cw_metric m, int64_t a,
			  int64_t b, double *out)
{
	const struct sim_cw_journal *c = src->journal;
	size_t ia = blocks_before(c, a), ib = blocks_before(c, b);
	double blocks = (double)(ib - ia), writes = (double)(c->revs[ib] - c->revs[ia]);
	double reads = 0;
	if (m == SIM_CW_READ_IOS || m == SIM_CW_COMMAND_LATENCY)
		reads = (double)sim_metrics_reads(src->ledger, a / MINUTE_MS);
	switch (m) {
	case SIM_CW_WRITE_IOS:
		*out = writes;
		return blocks > 0;
	case SIM_CW_READ_IOS:
		*out = reads;
		return reads > 0;
	case SIM_CW_JOURNAL_STORAGE:
		*out = (double)c->bytes[ib];
		return true;
	case SIM_CW_INDEXED_STORAGE:
		*out = (double)c->indexed[ib];
		return true;
	case SIM_CW_COMMAND_LATENCY:
		*out = LATENCY_BASE_MS +
		       LATENCY_PER_REVISION_MS * (blocks > 0 ? writes / blocks : 0) +
		       LATENCY_PER_OPERATION_MS * (blocks + reads);
		return blocks + reads > 0;
	case SIM_CW_IS_IMPAIRED:
		*out = src->impaired ? 1 : 0;
		return true;
	case SIM_CW_METRIC_COUNT:
		break;
	}
	return false;
}

int sim_cw_series(const struct sim_cw_source *src, enum sim_cw_metric m, int64_t period_ms,
		  const struct sim_cw_stat *stat, int64_t start_ms, int64_t end_ms,
		  struct sim_cw_point **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t s0 = floor_minute(start_ms);
	int64_t now_min = floor_minute(src->now_ms);
	/* the minutes that can have a sample: the ledger's life, retained */
	int64_t life_lo = floor_minute(src->created_ms);
	int64_t kept_lo = now_min - (int64_t)(SIM_CW_RETENTION_MINUTES - 1) * MINUTE_MS;
	life_lo = life_lo > kept_lo ? life_lo : kept_lo;
	int64_t hi = end_ms < now_min + MINUTE_MS ? end_ms : now_min + MINUTE_MS;
	if (period_ms < MINUTE_MS || hi <= life_lo || hi <= s0)
		return 0;
	int64_t k0 = life_lo > s0 ? (life_lo - s0) / period_ms : 0;
	int64_t per_period = period_ms / MINUTE_MS;
	size_t cap_v = per_period < SIM_CW_RETENTION_MINUTES ? (size_t)per_period
							     : SIM_CW_RETENTION_MINUTES;
	size_t max_points = (size_t)((hi - (s0 + k0 * period_ms)) / period_ms) + 1;
	double *v = malloc(cap_v * sizeof *v);
	struct sim_cw_point *pts = malloc(max_points * sizeof *pts);
	if (!v || !pts) {
		free(v);
		free(pts);
		return -1;
	}
	size_t np = 0;
	for (int64_t ps = s0 + k0 * period_ms; ps < hi && np < max_points; ps += period_ms) {
		int64_t pe = ps + period_ms < end_ms ? ps + period_ms : end_ms;
		int64_t lo = ps > life_lo ? ps : life_lo, top = pe < hi ? pe : hi;
		size_t nv = 0;
		for (int64_t mm = lo; mm < top && nv < cap_v; mm += MINUTE_MS) {
			int64_t b = mm + MINUTE_MS < pe ? mm + MINUTE_MS : pe;
			if (minute_sample(src, m, mm, b, &v[nv]))
				nv++;
		}
		if (nv)
			pts[np++] = (struct sim_cw_point){ ps, sim_cw_stat_apply(stat, v, nv) };
	}
	free(v);
	if (!np) {
		free(pts);
		return 0;
	}
	*out = pts;
	*n = np;
	return 0;
}
