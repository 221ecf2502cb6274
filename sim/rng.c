/*
 * rng.c - splitmix64 (Steele, Lea, Flood 2014): tiny, fast and good enough
 * to make journal contents look random while staying reproducible.
 */
#include "sim/rng.h"

static const char BASE62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
	/* Rejection sampling keeps the distribution uniform for any n. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = sim_rng_next(r);
	while (x >= limit);
	return x % n;
}

void sim_rng_id(struct sim_rng *r, char out[SIM_ID_LEN + 1])
{
	for (int i = 0; i < SIM_ID_LEN; i++)
		out[i] = BASE62[sim_rng_below(r, 62)];
	out[SIM_ID_LEN] = '\0';
}

void sim_rng_bytes(struct sim_rng *r, uint8_t *out, unsigned n)
{
	for (unsigned i = 0; i < n; i += 8) {
		uint64_t x = sim_rng_next(r);
		for (unsigned k = 0; k < 8 && i + k < n; k++)
			out[i + k] = (uint8_t)(x >> (8 * k));
	}
}
