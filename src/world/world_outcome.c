/*
 * Whether a generated build fails, and how. The failure probability is a
 * logistic model of the features that real studies of CI outcomes find
 * predictive (docs/world.md, "Outcomes", lists the weights): source churn,
 * the previous build's outcome on the same branch, the author's experience,
 * test and dependency changes, pull requests from forks, late-night work.
 * On top of it come flaky failures (a few percent, independent of
 * everything), cancellations and timeouts, and re-runs of flaky failures.
 *
 * Why a model and not coin flips: the demo's dataset must let a classifier
 * beat the majority and previous-outcome baselines, as real data does.
 */
#include "world/world_internal.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>

/* The weights (log-odds); docs/world.md shows the same table. */
#define W_BASE (-5.4)
#define W_CHURN 1.2        /* per doubling of (1 + src_churn / 15) */
#define W_PREV_FAILED 1.6
#define W_REPO_PREV_FAILED 0.35
#define W_NEW_AUTHOR 1.4    /* fewer than 3 earlier commits */
#define W_JUNIOR 0.5        /* fewer than 8 */
#define W_TESTS_CHANGED 0.6
#define W_DEPS_CHANGED 0.8
#define W_FORK 0.6
#define W_LATE 0.45         /* committed between 22:00 and 06:00 local time */
#define W_WEEKEND 0.2
#define W_BOT (-0.6)
#define W_MERGE (-0.4)
#define P_FLAKY 0.02
#define P_CANCELLED 0.025
#define P_TIMED_OUT 0.008

static double logit(const struct wfeat *f)
{
	double x = W_BASE + f->repo_base + f->skill;
	x += W_CHURN * log2(1.0 + f->src_churn / 15.0);
	x += f->prev_failed ? W_PREV_FAILED : f->repo_prev_failed ? W_REPO_PREV_FAILED : 0;
	if (!f->bot)
		x += f->author_commits < 3 ? W_NEW_AUTHOR : f->author_commits < 8 ? W_JUNIOR : 0;
	x += f->tests_changed ? W_TESTS_CHANGED : 0;
	x += f->deps_changed ? W_DEPS_CHANGED : 0;
	x += f->fork ? W_FORK : 0;
	x += (f->local_hour >= 22 || f->local_hour < 6) ? W_LATE : 0;
	x += f->weekend ? W_WEEKEND : 0;
	x += f->bot ? W_BOT : 0;
	x += f->merge ? W_MERGE : 0;
	return x;
}

/* Picks up to n failing tests, preferring the test files of the modules the change touched. */
static int pick_failing(struct wrepo *r, const struct wmodel *m, const struct wchange *ch, int n,
			struct wtest *out)
{
	struct wtest *tests = NULL, *pool;
	size_t nt = world_code_tests(r, m, &tests), npool = 0;
	int k = 0;
	pool = xcalloc(nt ? nt : 1, sizeof(*pool));
	for (size_t i = 0; i < nt; i++) {
		int mod = r->paths[tests[i].file].module, hit = 0;
		for (int q = 0; q < ch->n_modules; q++)
			hit |= ch->modules[q] == mod;
		if (hit && !tests[i].skip)
			pool[npool++] = tests[i];
	}
	if (!npool)
		for (size_t i = 0; i < nt; i++)
			if (!tests[i].skip)
				pool[npool++] = tests[i];
	while (k < n && npool) {
		size_t at = (size_t)rng_below(&r->rng, npool);
		out[k++] = pool[at];
		pool[at] = pool[--npool];
	}
	free(pool);
	free(tests);
	return k;
}

static enum wfail failure_kind(struct wrepo *r, const struct wfeat *f)
{
	double x = wr_unit(&r->rng);
	if (f->deps_changed && wr_chance(&r->rng, 0.55))
		return WFAIL_INSTALL;
	if (r->lang == WL_PYTHON)
		return x < 0.82 ? WFAIL_TESTS : x < 0.93 ? WFAIL_LINT : WFAIL_INSTALL;
	return x < 0.74 ? WFAIL_TESTS : x < 0.94 ? WFAIL_COMPILE : WFAIL_INSTALL;
}

void world_outcome_draw(struct wrepo *r, const struct wfeat *f, const struct wmodel *m, const struct wchange *ch,
			int n_jobs, struct woutcome *out)
{
	struct rng *g = &r->rng;
	int flaky = wr_chance(g, P_FLAKY);
	*out = (struct woutcome){ "success", WFAIL_NONE, 0, -1, { { 0 } }, 0, 1, 0 };
	out->p_fail = P_FLAKY + (1 - P_FLAKY) * wr_sigmoid(logit(f));
	if (flaky || wr_chance(g, wr_sigmoid(logit(f)))) {
		out->conclusion = "failure";
		out->flaky = flaky;
		out->fail = flaky ? WFAIL_TESTS : failure_kind(r, f);
		if (out->fail == WFAIL_TESTS) {
			int want = flaky ? 1 : wr_chance(g, 0.6) ? 1 : wr_chance(g, 0.75) ? wr_range(g, 2, 3) : wr_range(g, 4, 6);
			out->n_failing = pick_failing(r, m, ch, want, out->failing);
			if (!out->n_failing) /* no test to fail: the build breaks earlier */
				out->fail = r->lang == WL_PYTHON ? WFAIL_LINT : WFAIL_COMPILE;
		}
		/* Flaky and version-specific failures hit one job of the matrix. */
		if (n_jobs > 1 && out->fail == WFAIL_TESTS && (flaky ? wr_chance(g, 0.8) : wr_chance(g, 0.12)))
			out->only_job = wr_range(g, 0, n_jobs - 1);
		/* Half of the flaky failures were re-run and passed: the run shows attempt 2. */
		if (flaky && wr_chance(g, 0.5)) {
			*out = (struct woutcome){ "success", WFAIL_NONE, 1, -1, { { 0 } }, 0, 2, out->p_fail };
			return;
		}
	}
	if (wr_chance(g, P_TIMED_OUT)) {
		out->conclusion = "timed_out";
		out->fail = WFAIL_NONE;
	} else if (wr_chance(g, P_CANCELLED * (f->merge ? 0.5 : 1.5))) {
		out->conclusion = "cancelled";
		out->fail = WFAIL_NONE;
	}
}
