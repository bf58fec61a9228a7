/*
 * A small seeded pseudo-random generator for the dataset layer, so that the
 * same seed gives the same splits on every machine and libc (rand() differs
 * between C libraries and is global state). xoshiro256** seeded through
 * splitmix64, as its authors recommend; the state lives in the caller's struct.
 */
#ifndef DATASET_RNG_H
#define DATASET_RNG_H
#include <stddef.h>
#include <stdint.h>

struct dataset_rng {
	uint64_t s[4];
};

/* One splitmix64 step: a good 64-bit mixer for deriving seeds from keys. */
uint64_t dataset_rng_mix(uint64_t x);
void dataset_rng_init(struct dataset_rng *r, uint64_t seed);
uint64_t dataset_rng_next(struct dataset_rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t dataset_rng_below(struct dataset_rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double dataset_rng_double(struct dataset_rng *r);
/* Fisher-Yates shuffle of n uint32 values. */
void dataset_rng_shuffle(struct dataset_rng *r, uint32_t *v, size_t n);

#endif
