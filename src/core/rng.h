/*
 * A small seeded pseudo-random generator (dataset splits, the world
 * generator), so that the same seed gives the same splits and the same world
 * on every machine and libc (rand() differs
 * between C libraries and is global state). xoshiro256** seeded through
 * splitmix64, as its authors recommend; the state lives in the caller's struct.
 */
#ifndef CORE_RNG_H
#define CORE_RNG_H
#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* One splitmix64 step: a good 64-bit mixer for deriving seeds from keys. */
uint64_t rng_mix(uint64_t x);
void rng_init(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double rng_double(struct rng *r);
/* Fisher-Yates shuffle of n uint32 values. */
void rng_shuffle(struct rng *r, uint32_t *v, size_t n);

#endif
