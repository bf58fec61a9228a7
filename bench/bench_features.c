/*
 * Benchmark of the feature engine (issue 6, "Performance").
 *
 *   bench_features DIR [builds]
 *
 * DIR is a bare repository (bench/features.sh makes one with `bench_git gen`,
 * the git benchmark's generator: 20,000 commits, 50 authors, ~2,000 files).
 * The benchmark indexes it once (git/history.h), makes `builds` warehouse
 * builds spread over its commits (each starting ten minutes after its commit,
 * running 5-25 minutes, one in five failing, with a small log result), then
 * computes, oldest to newest in one session as the pipeline does, the
 * vectors of two plans and serialises each to JSON:
 *   git      dag_features ["git_*"]
 *   catalogue dag_features ["*"] minus ["log_*", "pr_*"]: everything except
 *             the build's own log features (the log parser has its own
 *             benchmark) and the pull-request features (they need the API)
 * and prints builds/s per plan (one thread), the index time, and peak memory
 * as key=value lines for bench/features.sh.
 */
#include "bench.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "features/engine.h"
#include "git/history.h"
#include "logs/logs.h"
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct world {
	struct git_history *h;
	struct feat_hist_build *hb;
	struct feat_build *b;
	char (*hex)[GIT_OID_HEXSZ + 1];
	size_t n;
	struct feat_history hist;
	struct logs_result log;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static int by_start(const void *a, const void *b)
{
	const struct feat_hist_build *x = a, *y = b;
	return x->started_at < y->started_at ? -1 : x->started_at > y->started_at ? 1 : (x->id > y->id) - (x->id < y->id);
}

/* Warehouse builds over n evenly spaced commits, sorted by start. */
static void make_builds(struct world *w, size_t nbuilds)
{
	uint32_t n = git_history_count(w->h);
	w->n = nbuilds;
	w->hb = xcalloc(nbuilds, sizeof(*w->hb));
	w->b = xcalloc(nbuilds, sizeof(*w->b));
	w->hex = xcalloc(nbuilds, sizeof(*w->hex));
	logs_result_init(&w->log);
	w->log.tests_recognised = 1;
	w->log.tests_ok = 120;
	w->log.tests_failed = 2;
	w->log.tests_run = 122;
	w->log.status = LOGS_STATUS_BROKEN;
	strvec_push(&w->log.frameworks, "pytest");
	for (size_t i = 0; i < nbuilds; i++) {
		uint32_t c = (uint32_t)(((uint64_t)i * n) / nbuilds + n / nbuilds / 2);
		const struct git_history_commit *cm = git_history_commit(w->h, c);
		git_oid_tostr(w->hex[i], GIT_OID_HEXSZ + 1, &cm->oid);
		uint64_t r = mix(i + 1);
		struct feat_hist_build *h = &w->hb[i];
		h->id = (int64_t)i + 1;
		h->commit_sha = w->hex[i];
		h->branch = "main";
		h->started_at = h->created_at = cm->commit_time + 600 * USEC_PER_SEC;
		h->completed_at = h->started_at + (int64_t)(300 + r % 1200) * USEC_PER_SEC;
		h->duration_sec = (double)(h->completed_at - h->started_at) / USEC_PER_SEC;
		h->conclusion = (r >> 20) % 5 == 0 ? "failure" : "success";
		h->author_email = git_history_ident(w->h, cm->author)->email;
		h->log = &w->log;
	}
	qsort(w->hb, nbuilds, sizeof(*w->hb), by_start);
	for (size_t i = 0; i < nbuilds; i++) {
		const struct feat_hist_build *h = &w->hb[i];
		struct feat_build *b = &w->b[i];
		b->id = h->id;
		b->ci_run_id = "run";
		b->build_number = h->id;
		b->commit_sha = h->commit_sha;
		b->branch = h->branch;
		b->event = "push";
		b->provider = "github_actions";
		b->author_email = h->author_email;
		b->status = "completed";
		b->conclusion = h->conclusion;
		b->created_at = b->started_at = h->started_at;
		b->completed_at = h->completed_at;
		b->duration_sec = h->duration_sec;
		b->run_attempt = 1;
		b->jobs_count = 1;
	}
	w->hist.builds = w->hb;
	w->hist.n = nbuilds;
}

static int run_plan(struct world *w, const char *label, const char *const *features, const char *const *exclude)
{
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	for (size_t i = 0; features[i]; i++)
		strvec_push(&pc.features, features[i]);
	for (size_t i = 0; exclude && exclude[i]; i++)
		strvec_push(&pc.exclude, exclude[i]);
	struct feat_plan *p = NULL;
	struct err e = ERR_INIT;
	if (feat_plan_new(&p, feat_catalogue_default(), &pc, &e) < 0) {
		fprintf(stderr, "bench_features: %s\n", e.msg);
		return 1;
	}
	feat_plan_config_release(&pc);
	struct feat_repo repo = { "bench/repo", "Python", "main", "github_actions" };
	struct feat_session *s = feat_session_new(p);
	size_t partial = 0, bytes = 0;
	double cpu0 = bench_cpu_seconds();
	int64_t t0 = mono_now();
	for (size_t i = 0; i < w->n; i++) {
		struct feat_input in = { .build = &w->b[i], .repo = &repo, .history = &w->hist, .git = w->h };
		struct feat_vector v = FEAT_VECTOR_INIT;
		if (feat_compute(&v, s, &in, &e) < 0) {
			fprintf(stderr, "bench_features: build %zu: %s\n", i, e.msg);
			return 1;
		}
		char *json = feat_vector_dumps(&v);
		bytes += strlen(json);
		partial += v.partial;
		free(json);
		feat_vector_release(&v);
	}
	double wall = (double)(mono_now() - t0) / 1e6, cpu = bench_cpu_seconds() - cpu0;
	printf("%s: %zu features (%zu nodes), %zu builds in %.3f s wall / %.3f s CPU = %.0f builds/s wall, %.0f "
	       "builds/s CPU (%.1f us per build); %zu partial; %.0f bytes of JSON per vector\n",
	       label, feat_plan_count(p), feat_plan_node_count(p), w->n, wall, cpu, w->n / wall, w->n / cpu,
	       wall * 1e6 / w->n, partial, (double)bytes / w->n);
	printf("  time per build by node:");
	for (size_t j = 0; j < feat_plan_node_count(p); j++)
		printf(" %s %.1f us%s", feat_plan_node_name(p, j), (double)feat_session_node_usec(s, j) / w->n,
		       j + 1 < feat_plan_node_count(p) ? "," : "\n");
	printf("%s_builds_per_second=%.0f\n", label, w->n / wall);
	printf("%s_builds_per_cpu_second=%.0f\n", label, w->n / cpu);
	feat_session_free(s);
	feat_plan_free(p);
	return partial ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_features DIR [builds]\n");
		return 2;
	}
	size_t nbuilds = argc > 2 ? (size_t)atol(argv[2]) : 5000;
	git_libgit2_init();
	git_repository *repo = NULL;
	if (git_repository_open_bare(&repo, argv[1]) < 0) {
		fprintf(stderr, "bench_features: cannot open %s\n", argv[1]);
		return 1;
	}
	struct world w;
	memset(&w, 0, sizeof(w));
	struct err e = ERR_INIT;
	struct git_history_update_stats st;
	double cpu0 = bench_cpu_seconds();
	if (git_history_new(&w.h, repo, &e) < 0 || git_history_update(w.h, &st, &e) < 0) {
		fprintf(stderr, "bench_features: %s\n", e.msg);
		return 1;
	}
	double icpu = bench_cpu_seconds() - cpu0;
	printf("index: %u commits, %u paths, %u identities in %.2f s wall / %.2f s CPU\n", git_history_count(w.h),
	       git_history_path_count(w.h), git_history_ident_count(w.h), (double)st.usec / 1e6, icpu);
	printf("index_seconds=%.3f\nindex_cpu_seconds=%.3f\n", (double)st.usec / 1e6, icpu);
	make_builds(&w, nbuilds);

	static const char *const git_only[] = { "git_*", NULL };
	static const char *const all[] = { "*", NULL };
	static const char *const not_log_pr[] = { "log_*", "pr_*", NULL };
	int rc = run_plan(&w, "git", git_only, NULL);
	if (!rc)
		rc = run_plan(&w, "catalogue", all, not_log_pr);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory: %.1f MiB\npeak_rss_mib=%.1f\n", ru.ru_maxrss / 1024.0, ru.ru_maxrss / 1024.0);
	logs_result_release(&w.log);
	free(w.hb);
	free(w.b);
	free(w.hex);
	git_history_free(w.h);
	git_repository_free(repo);
	return rc;
}
