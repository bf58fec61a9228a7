/*
 * Helpers shared by the world generator's tests (test_world.c,
 * test_world_outcomes.c): generate a world into a temporary folder and read
 * its runs.jsonl back.
 *
 * Header-only (static functions) because tests/tests.cmake builds each
 * tests/<layer>/test_*.c as one executable without extra sources.
 */
#ifndef TESTS_WORLD_WORLD_TEST_H
#define TESTS_WORLD_WORLD_TEST_H
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/fs.h"
#include "world/world.h"
#include "testsupport.h"

/* Generates a world of repos x builds from seed into a new temporary folder; returns its path (caller frees). */
static inline char *wt_generate(const char *tag, int repos, int builds, uint64_t seed, struct world_summary *sum)
{
	char *dir = ts_tempdir(tag), *out = fs_join(dir, "world");
	struct world_opts o;
	struct err e = ERR_INIT;
	world_opts_init(&o);
	o.out_dir = out;
	o.repos = repos;
	o.builds = builds;
	o.seed = seed;
	cr_assert_eq(world_generate(&o, sum, &e), 0, "%s", e.msg);
	free(dir);
	return out;
}

/* Every run of dir/runs.jsonl, in file order, as one JSON array (caller decrefs); fails on a line that is not JSON. */
static inline json_t *wt_load_runs(const char *dir)
{
	char *path = fs_join(dir, "runs.jsonl");
	FILE *f = fopen(path, "r");
	json_t *all = json_array();
	char *line = NULL;
	size_t cap = 0;
	cr_assert(f, "%s missing", path);
	while (getline(&line, &cap, f) > 0) {
		json_error_t je;
		json_t *run = json_loads(line, 0, &je);
		cr_assert(run, "runs.jsonl line is not JSON: %s", je.text);
		json_array_append_new(all, run);
	}
	free(line);
	fclose(f);
	free(path);
	return all;
}

#endif
