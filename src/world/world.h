/*
 * The world generator: a realistic, reproducible CI world written as a
 * `local`-provider archive (docs/local-archive.md), for `ciminer demo`, the
 * end-to-end tests and the benchmarks. The generative model (who commits
 * what and when, which builds fail and why) is documented in docs/world.md.
 *
 * What it writes under opts.out_dir (see docs/world.md, "Archive layout"):
 *
 *   archive.json                    {"format": "ciminer-local-archive", "version": 1, "generator": {...}}
 *   repos.json                      GitHub repository objects, "git_url": "repos/<owner>/<name>.git"
 *   runs.jsonl                      GitHub workflow runs with their "jobs", in run-id (= time) order
 *   logs/<job id>.log[.zst]         GitHub Actions job logs (a few absent: expired)
 *   repos/<owner>/<name>.git        bare git repositories (one pack, packed refs), with
 *                                   refs/heads/..., refs/tags/... and refs/pull/<N>/head
 *   builds.csv                      build_id,repo_name,ci_provider — every run, ready for
 *                                   `ciminer source import`
 *
 * Determinism: the same options (seed, sizes, start) give byte-identical
 * files, git object ids included, on the same libgit2/zlib/zstd versions. No
 * wall clock is read; every time comes from the seeded simulation.
 *
 * Atomicity: everything is written into "<out_dir>.partial" and renamed to
 * out_dir at the end, so a crash never leaves a half-written archive at
 * out_dir. An existing out_dir is refused (ERR_INPUT) unless opts.overwrite.
 *
 * Threading: world_generate() initialises libgit2 (git/writer.h does) and
 * shuts it down again; it keeps no global state and may run in any thread.
 */
#ifndef WORLD_WORLD_H
#define WORLD_WORLD_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* Limits checked by world_generate() (ERR_INPUT beyond them). */
#define WORLD_MAX_REPOS 1000
#define WORLD_MAX_BUILDS 1000000
/* The demo's default size. */
#define WORLD_DEMO_REPOS 4
#define WORLD_DEMO_BUILDS 400

struct world_opts {
	const char *out_dir;  /* the archive folder to create (required) */
	int repos;            /* repositories, 1..WORLD_MAX_REPOS; languages alternate Python, Java */
	int builds;           /* total workflow runs, >= repos, spread over the repositories */
	uint64_t seed;        /* same seed, same world */
	int64_t start;        /* usec UTC of the first commit; 0: 2023-01-02T00:00:00Z */
	int compress_logs;    /* 1: logs/<id>.log.zst (zstd level 3) instead of plain .log */
	int overwrite;        /* 1: replace an existing out_dir */
	/* Called after each repository (may be NULL): done of total repositories. */
	void (*progress)(void *ctx, int done, int total);
	void *progress_ctx;
};
/* Demo size, seed 1, plain logs, no overwrite, no progress; out_dir NULL. */
void world_opts_init(struct world_opts *o);

struct world_summary {
	int repos;
	long long builds;        /* runs written (== opts.builds) */
	long long jobs;
	long long logs;          /* log files written */
	long long logs_expired;  /* jobs whose log is absent on purpose */
	long long commits;       /* commits in all repositories */
	long long pull_requests;
	long long authors;       /* distinct human authors, summed over repositories */
	long long success, failure, cancelled, timed_out;
	long long bot_builds;    /* runs triggered by a bot (dependabot[bot], ...) */
	long long test_failures; /* failed runs whose logs show failing tests */
	int64_t first_created, last_created; /* usec UTC, over all runs */
};

/*
 * Generates the world described by o into o->out_dir. Returns 0 and fills
 * *out (may be NULL), or a negative code with e filled: ERR_INPUT for bad
 * options or an existing out_dir (the message names the value and what to
 * do), ERR_IO for the disk, ERR_INTERNAL when libgit2 refuses something.
 * On failure nothing is left at out_dir (the .partial folder is removed).
 */
int world_generate(const struct world_opts *o, struct world_summary *out, struct err *e);

#endif
