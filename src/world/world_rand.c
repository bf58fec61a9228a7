/*
 * Seeded random helpers and the name tables of the world generator. Only
 * core/rng.c (xoshiro256**) is used, never rand(), so a seed gives the same
 * world with every C library.
 */
#include "world/world_internal.h"
#include <math.h>

double wr_unit(struct rng *r)
{
	return rng_double(r);
}

int wr_range(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)rng_below(r, (uint64_t)(hi - lo + 1));
}

int wr_chance(struct rng *r, double p)
{
	return rng_double(r) < p;
}

double wr_normal(struct rng *r)
{
	/* Box-Muller; 1 - u keeps log() away from 0. */
	double u = 1.0 - rng_double(r), v = rng_double(r);
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

double wr_exp(struct rng *r, double mean)
{
	return -mean * log(1.0 - rng_double(r));
}

const char *wr_pick(struct rng *r, const char *const *v, size_t n)
{
	return v[rng_below(r, n)];
}

double wr_sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

const char *const world_first_names[] = {
	"Ana", "Bruno", "Chen", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Liam",
	"Maya", "Nikolai", "Olga", "Pedro", "Quinn", "Rosa", "Samir", "Tomasz", "Uma", "Victor", "Wen",
	"Ximena", "Yusuf", "Zoe", "Aisha", "Bjorn", "Carla", "Dmitri", "Emeka", "Fatima", "Gustavo", "Hana",
	"Ivan", "Julia", "Kenji", "Lucia", "Marek", "Noor",
};
const size_t world_n_first_names = sizeof(world_first_names) / sizeof(world_first_names[0]);

const char *const world_last_names[] = {
	"Almeida", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen",
	"Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka",
	"Urban", "Varga", "Wagner", "Xu", "Yilmaz", "Zhang", "Novak", "Silva", "Khan", "Lindqvist",
};
const size_t world_n_last_names = sizeof(world_last_names) / sizeof(world_last_names[0]);

const char *const world_words[] = {
	"parse", "load", "save", "merge", "split", "render", "validate", "normalize", "encode", "decode",
	"resolve", "fetch", "store", "index", "filter", "sort", "group", "compute", "format", "convert",
	"schedule", "retry", "flush", "refresh", "lookup", "register", "dispatch", "serialize", "compare",
	"aggregate", "export", "import", "sanitize", "hash", "cache", "expire", "notify", "sync", "build",
	"clean",
};
const size_t world_n_words = sizeof(world_words) / sizeof(world_words[0]);
