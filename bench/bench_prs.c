/*
 * Pull-request fetching (ci/pr.h) against the loopback fixture server
 * (started by bench/prs.sh with a per-request latency, as a remote API has).
 *
 *   bench_prs URL REPO NUMBERS_FILE
 *
 * Fetches every PR number listed (one per line) with ci_prs_get() in batches
 * of 50 sharing one struct ci_pr_ctx, as ingestion does, once with the
 * default concurrency (8 in flight) and once one request at a time — the
 * sequential crawl it replaces, as the reference — and prints, for each, the
 * requests the server answered, requests per PR, comments fetched and the
 * wall time.
 */
#include "bench.h"
#include "ci/pr.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static void run(const char *base, const char *repo, const int64_t *numbers, size_t n, int conc)
{
	struct ci_provider *p = bench_open_github("bench_prs", base, conc);
	struct err e = ERR_INIT;
	struct ci_pr_req *reqs = xcalloc(n, sizeof(*reqs));
	for (size_t i = 0; i < n; i++)
		reqs[i].number = numbers[i];
	json_decref(bench_fixture_call(base, "/_fixture/reset", ""));
	int64_t t0 = mono_now();
	struct ci_pr_ctx ctx = CI_PR_CTX_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i += 50)
		rc = ci_prs_get(p, repo, reqs + i, n - i < 50 ? n - i : 50, &ctx, &e);
	ci_pr_ctx_release(&ctx);
	double secs = (mono_now() - t0) / 1e6;
	long requests = bench_fixture_stat(base, "requests");
	size_t ok = 0, comments = 0;
	for (size_t i = 0; i < n; i++) {
		ok += reqs[i].rc == 0;
		comments += reqs[i].pr.n_comments;
		ci_pr_release(&reqs[i].pr);
	}
	printf("  %-28s %5zu PRs (%zu found) %6zu comments  %6ld requests  %.2f per PR  %7.2f s%s\n",
	       conc > 1 ? "ci_prs_get x50, 8 in flight" : "reference: one at a time", n, ok, comments, requests,
	       (double)requests / (double)n, secs, rc ? "  (batch failed)" : "");
	free(reqs);
	ci_provider_free(p);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_prs URL REPO NUMBERS_FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[3], "r");
	if (!f) {
		fprintf(stderr, "bench_prs: cannot read %s\n", argv[3]);
		return 2;
	}
	int64_t *numbers = NULL;
	size_t n = 0, cap = 0;
	long long v;
	while (fscanf(f, "%lld", &v) == 1) {
		xgrow((void **)&numbers, &cap, n + 1, sizeof(*numbers));
		numbers[n++] = v;
	}
	fclose(f);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	printf("pull requests of %s (%zu PRs)\n", argv[2], n);
	run(argv[1], argv[2], numbers, n, 8);
	run(argv[1], argv[2], numbers, n, 1);
	free(numbers);
	curl_global_cleanup();
	return 0;
}
