/*
 * rng.h - the endpoint's deterministic pseudo-random source (splitmix64)
 * and QLDB-style unique ids (22 characters of base62, the API's UniqueId).
 * Determinism matters: the same seed builds the same journal, so tests are
 * repeatable. Not for anything secret. A struct sim_rng is a plain value;
 * the owner serialises access (the journal uses it under its mutex).
 */
#ifndef QLDBTOP_SIM_RNG_H
#define QLDBTOP_SIM_RNG_H

#include <stdint.h>

#define SIM_ID_LEN 22 /* QLDB UniqueId: exactly 22 base62 characters */

struct sim_rng {
	uint64_t state;
};

void sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t sim_rng_below(struct sim_rng *r, uint64_t n);
/* A 22-character base62 id, NUL-terminated. */
void sim_rng_id(struct sim_rng *r, char out[SIM_ID_LEN + 1]);
/* n pseudo-random bytes. */
void sim_rng_bytes(struct sim_rng *r, uint8_t *out, unsigned n);

#endif
