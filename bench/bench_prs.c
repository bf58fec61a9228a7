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
#include "ci/pr.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return s * n;
}

static long server_requests(const char *base)
{
	char *url = xasprintf("%s/_fixture/stats", base), *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fwrite);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, mem);
	curl_easy_perform(h);
	curl_easy_cleanup(h);
	fclose(mem);
	json_t *j = json_loadb(text ? text : "", len, 0, NULL);
	long n = (long)json_integer_value(json_object_get(j, "requests"));
	json_decref(j);
	free(text);
	free(url);
	return n;
}

static void reset(const char *base)
{
	char *url = xasprintf("%s/_fixture/reset", base);
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_perform(h);
	curl_easy_cleanup(h);
	free(url);
}

static void run(const char *base, const char *repo, const int64_t *numbers, size_t n, int conc)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	ci_options_init(&o);
	o.api_url = base;
	o.tokens = "bench-token";
	o.http.max_in_flight = conc;
	if (ci_provider_open(&p, CI_GITHUB, &o, &e)) {
		fprintf(stderr, "bench_prs: %s\n", e.msg);
		exit(1);
	}
	struct ci_pr_req *reqs = xcalloc(n, sizeof(*reqs));
	for (size_t i = 0; i < n; i++)
		reqs[i].number = numbers[i];
	reset(base);
	int64_t t0 = mono_now();
	struct ci_pr_ctx ctx = CI_PR_CTX_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i += 50)
		rc = ci_prs_get(p, repo, reqs + i, n - i < 50 ? n - i : 50, &ctx, &e);
	ci_pr_ctx_release(&ctx);
	double secs = (mono_now() - t0) / 1e6;
	long requests = server_requests(base);
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
