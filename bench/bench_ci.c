/*
 * CI provider benchmarks against the loopback fixture server (started by
 * bench/ci_economy.sh).
 *
 *   bench_ci lookups URL FRACTION [UNKNOWN]
 *                                   validate a fraction of every repository's
 *                                   runs (repository + batch look-up), as the
 *                                   validation jobs do for an imported CSV;
 *                                   UNKNOWN (e.g. 0.05) adds that share of ids
 *                                   the repository does not have
 *   bench_ci logs URL N             download N job logs, 8 in flight
 *
 * Each prints the requests made and the wall time next to a reference run in
 * the same process: the very same request paths (recorded by the server)
 * replayed with bare libcurl at the same concurrency, without ciminer's
 * policy, JSON parsing or mapping — i.e. the server's own time to serve them.
 */
#include "bench.h"
#include "ci/provider.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replays the recorded paths with bare curl, `conc` at a time; returns seconds. */
static double replay(const char *base, int conc, long *count)
{
	json_t *paths = bench_fixture_call(base, "/_fixture/requests", NULL);
	size_t n = json_array_size(paths), next = 0, done = 0;
	CURLM *m = curl_multi_init();
	int running = 0;
	int64_t t0 = mono_now();
	if (conc == 1) {
		/* One kept-alive connection, one request after the other. */
		CURL *h = curl_easy_init();
		struct curl_slist *auth = curl_slist_append(NULL, "Authorization: Bearer bench-token");
		for (size_t i = 0; i < n; i++) {
			/* GETs are recorded as paths, POSTs (GraphQL) as {"path", "body"}. */
			json_t *rec = json_array_get(paths, i);
			const char *post = json_is_object(rec) ? core_json_str(rec, "body", "") : NULL;
			char *url = xasprintf("%s%s", base, post ? core_json_str(rec, "path", "") : json_string_value(rec));
			curl_easy_setopt(h, CURLOPT_URL, url);
			curl_easy_setopt(h, CURLOPT_HTTPHEADER, auth);
			if (post)
				curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
			else
				curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
			curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bench_sink);
			curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
			curl_easy_perform(h);
			free(url);
		}
		curl_slist_free_all(auth);
		curl_easy_cleanup(h);
		done = n;
	}
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)conc);
	while (done < n) {
		CURLMsg *msg;
		int q;
		while (running < conc && next < n) {
			const char *p = json_string_value(json_array_get(paths, next++));
			/* storage URLs were answered on the storage host; the same server serves both */
			char *url = xasprintf("%s%s", base, p);
			CURL *h = curl_easy_init();
			curl_easy_setopt(h, CURLOPT_URL, url);
			curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bench_sink);
			curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
			curl_easy_setopt(h, CURLOPT_PRIVATE, url);
			curl_multi_add_handle(m, h);
			running++;
		}
		curl_multi_perform(m, &q);
		while ((msg = curl_multi_info_read(m, &q))) {
			char *url;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &url);
			curl_multi_remove_handle(m, msg->easy_handle);
			curl_easy_cleanup(msg->easy_handle);
			free(url);
			running--;
			done++;
		}
		if (done < n)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	curl_multi_cleanup(m);
	json_decref(paths);
	*count = (long)n;
	return (mono_now() - t0) / 1e6;
}

/*
 * Appends about unknown * n ids that the repository does not have, as a CSV
 * with typos and other repositories' runs has: a third above its newest
 * run, a third below its oldest, a third between its runs (the id after a
 * chosen run: absent, or another repository's run).
 */
static size_t add_unknown(char **ids, size_t n, double unknown, long long newest, long long oldest, unsigned *seed)
{
	size_t u = (size_t)(n * unknown + 0.5), k = n;
	for (size_t i = 0; i < u && n; i++) {
		long long id;
		if (i % 3 == 0)
			id = newest + 1 + (long long)(rand_r(seed) % 100000);
		else if (i % 3 == 1)
			id = oldest - 1 - (long long)(rand_r(seed) % 100000);
		else
			id = atoll(ids[rand_r(seed) % n]) + 1;
		ids[k++] = xasprintf("%lld", id);
	}
	return k - n;
}

static int lookups(const char *base, double fraction, double unknown)
{
	json_t *repos = bench_fixture_call(base, "/_fixture/world", NULL), *r;
	struct ci_provider *p = bench_open_github("bench_ci", base, 8);
	size_t i, builds = 0, found = 0, labelled = 0, jobs = 0, jobs_expected = 0, absent = 0, real = 0;
	size_t nrepos = json_array_size(json_object_get(repos, "repos"));
	struct ci_http_stats st;
	unsigned seed = 42;
	/* The "CSV": a fraction of every repository's runs, chosen before timing. */
	struct { const char *name; char **ids; size_t n; } *work = xcalloc(nrepos + 1, sizeof(*work));
	json_array_foreach(json_object_get(repos, "repos"), i, r) {
		char *path = xasprintf("/_fixture/world?repo=%s", json_string_value(r));
		json_t *w = bench_fixture_call(base, path, NULL), *run;
		size_t k;
		work[i].name = json_string_value(r);
		json_t *runs = json_object_get(w, "runs");
		size_t nr = json_array_size(runs);
		work[i].ids = xcalloc(nr + (size_t)(nr * unknown) + 2, sizeof(char *));
		json_array_foreach(runs, k, run)
			if ((double)rand_r(&seed) / RAND_MAX < fraction) {
				work[i].ids[work[i].n++] = xasprintf("%lld", (long long)json_integer_value(json_object_get(run, "id")));
				jobs_expected += json_array_size(json_object_get(run, "jobs"));
			}
		real += work[i].n;
		if (nr && unknown > 0)
			work[i].n += add_unknown(work[i].ids, work[i].n, unknown,
						 (long long)json_integer_value(json_object_get(json_array_get(runs, 0), "id")),
						 (long long)json_integer_value(json_object_get(json_array_get(runs, nr - 1), "id")),
						 &seed);
		builds += work[i].n;
		json_decref(w);
		free(path);
	}
	json_decref(bench_fixture_call(base, "/_fixture/config", "{\"record\": true}"));
	json_decref(bench_fixture_call(base, "/_fixture/reset", ""));

	int64_t t0 = mono_now();
	double c0 = bench_cpu_seconds();
	for (i = 0; i < nrepos; i++) {
		struct ci_repo repo;
		struct ci_lookup *items = xcalloc(work[i].n + 1, sizeof(*items));
		struct err e = ERR_INIT;
		if (ci_repo_get(p, &repo, work[i].name, &e)) {
			fprintf(stderr, "bench_ci: %s\n", e.msg);
			return 1;
		}
		ci_repo_release(&repo);
		for (size_t k = 0; k < work[i].n; k++)
			items[k].run_id = work[i].ids[k];
		if (ci_runs_lookup(p, work[i].name, items, work[i].n, &e)) {
			fprintf(stderr, "bench_ci: %s\n", e.msg);
			return 1;
		}
		/* Every found run's jobs, as validation stores them. */
		struct ci_run **runs = xcalloc(work[i].n + 1, sizeof(*runs));
		size_t nruns = 0;
		for (size_t k = 0; k < work[i].n; k++)
			if (items[k].rc == 0)
				runs[nruns++] = &items[k].run;
		if (ci_jobs_fill(p, work[i].name, runs, nruns, &e)) {
			fprintf(stderr, "bench_ci: %s\n", e.msg);
			return 1;
		}
		free(runs);
		for (size_t k = 0; k < work[i].n; k++) {
			absent += items[k].rc == CI_ERR_NOT_FOUND;
			jobs += items[k].run.n_jobs;
			found += items[k].rc == 0;
			labelled += items[k].rc == 0 && ci_run_is_labelled(&items[k].run);
			ci_run_release(&items[k].run);
		}
		free(items);
	}
	double took = (mono_now() - t0) / 1e6, cpu = bench_cpu_seconds() - c0;
	ci_http_stats_get(ci_provider_http(p), &st);
	long served = bench_fixture_stat(base, "requests"), replayed = 0;
	long served_usec = bench_fixture_stat(base, "served_usec");
	double ref = replay(base, 1, &replayed);
	printf("ci lookups: %zu builds over %zu repositories (%.0f%% of their runs, plus %.0f%% unknown ids): %zu found,"
	       " %zu labelled, %zu not found\n", builds, nrepos, fraction * 100, unknown * 100, found, labelled, absent);
	printf("  jobs: %zu listed with their runs, %zu in the fixture world for these builds\n", jobs, jobs_expected);
	printf("  requests: %llu by the client, %ld answered by the server = %.1f builds per request (target >= 20)\n",
	       (unsigned long long)st.requests, served, (double)builds / (double)(st.requests ? st.requests : 1));
	if (unknown > 0)
		printf("  budget (issue 13): one request per 20 found builds plus one per unknown id = %zu; used %llu\n",
		       (found + 19) / 20 + absent, (unsigned long long)st.requests);
	printf("  time: %.3f s ciminer (%.0f builds/s, client CPU %.3f s); reference: the same %ld requests replayed"
	       " with bare curl %.3f s (ratio %.2f); server handler time %.3f s\n",
	       took, builds / took, cpu, replayed, ref, took / ref, served_usec / 1e6);
	json_decref(bench_fixture_call(base, "/_fixture/config", "{\"record\": false}"));
	for (i = 0; i < nrepos; i++) {
		for (size_t k = 0; k < work[i].n; k++)
			free(work[i].ids[k]);
		free(work[i].ids);
	}
	free(work);
	json_decref(repos);
	ci_provider_free(p);
	return found == real && found + absent == builds && jobs == jobs_expected ? 0 : 1;
}

static int count_write(void *ctx, const void *data, size_t n)
{
	(void)data;
	*(size_t *)ctx += n;
	return 0;
}

static void count_reset(void *ctx)
{
	*(size_t *)ctx = 0;
}

static int logs(const char *base, size_t want)
{
	json_t *repos = bench_fixture_call(base, "/_fixture/world", NULL), *r;
	struct ci_provider *p = bench_open_github("bench_ci", base, 8);
	size_t i, total = 0, nrepos = json_array_size(json_object_get(repos, "repos")), failed = 0, bytes = 0;
	size_t per = (want + nrepos - 1) / (nrepos ? nrepos : 1);
	struct ci_http_stats st;
	long replayed = 0;
	/* Pick the job ids first (control calls, not timed): per repository, its newest jobs. */
	struct { const char *name; char **ids; size_t n; } *work = xcalloc(nrepos + 1, sizeof(*work));
	json_array_foreach(json_object_get(repos, "repos"), i, r) {
		char *path = xasprintf("/_fixture/world?repo=%s", json_string_value(r));
		json_t *w = bench_fixture_call(base, path, NULL), *run, *job;
		size_t k, kk;
		work[i].name = json_string_value(r);
		work[i].ids = xcalloc(per + 1, sizeof(char *));
		json_array_foreach(json_object_get(w, "runs"), k, run)
			json_array_foreach(json_object_get(run, "jobs"), kk, job)
				if (work[i].n < per && total < want) {
					work[i].ids[work[i].n++] = xasprintf("%lld", (long long)json_integer_value(job));
					total++;
				}
		json_decref(w);
		free(path);
	}
	json_decref(bench_fixture_call(base, "/_fixture/config", "{\"record\": true}"));
	json_decref(bench_fixture_call(base, "/_fixture/reset", ""));
	int64_t t0 = mono_now();
	for (i = 0; i < nrepos; i++) {
		size_t n = work[i].n;
		struct ci_log_req *reqs = xcalloc(n + 1, sizeof(*reqs));
		size_t *counts = xcalloc(n + 1, sizeof(*counts));
		struct err e = ERR_INIT;
		for (size_t k = 0; k < n; k++) {
			reqs[k].job_id = work[i].ids[k];
			reqs[k].sink.write = count_write;
			reqs[k].sink.reset = count_reset;
			reqs[k].sink.ctx = &counts[k];
		}
		ci_logs_fetch(p, work[i].name, reqs, n, 64u << 20, &e);
		for (size_t k = 0; k < n; k++) {
			failed += reqs[k].rc != 0;
			bytes += counts[k];
			free(work[i].ids[k]);
		}
		free(work[i].ids);
		free(reqs);
		free(counts);
	}
	double took = (mono_now() - t0) / 1e6;
	ci_http_stats_get(ci_provider_http(p), &st);
	long maxc = bench_fixture_stat(base, "max_concurrent");
	double ref = replay(base, 8, &replayed);
	printf("ci logs: %zu logs (%zu failed), %.1f MB, %llu requests (302 + storage), at most %d in flight"
	       " (server saw %ld)\n", total, failed, bytes / 1e6, (unsigned long long)st.requests,
	       st.max_in_flight_seen, maxc);
	printf("  time: %.3f s ciminer (%.0f logs/s, %.1f MB/s); reference: the same %ld requests replayed with bare"
	       " curl, 8 in flight, %.3f s (ratio %.2f)\n", took, total / took, bytes / 1e6 / took, replayed, ref,
	       took / ref);
	json_decref(bench_fixture_call(base, "/_fixture/config", "{\"record\": false}"));
	free(work);
	json_decref(repos);
	ci_provider_free(p);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[1], "lookups") && strcmp(argv[1], "logs"))) {
		fprintf(stderr, "usage: bench_ci lookups URL FRACTION [UNKNOWN] | bench_ci logs URL N\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!strcmp(argv[1], "lookups"))
		return lookups(argv[2], atof(argv[3]), argc > 4 ? atof(argv[4]) : 0);
	return logs(argv[2], (size_t)atol(argv[3]));
}
