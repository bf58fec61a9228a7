/*
 * The GitHub Actions provider against the fixture server: field mapping of
 * the real recorded answers (../shared/fixtures/github_api), the economical
 * batch look-up (request counts), jobs pagination, log downloads.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "ci/provider.h"
#include "core/utc.h"
#include "../fixture-server/fxserver.h"

static struct fx_server srv;

static void start(const char *const *args)
{
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
}

static void start_recorded(const char *config)
{
	static char rec[8192], bug[8192];
	const char *fx = fx_fixtures();
	if (!fx)
		cr_skip_test("../shared/fixtures is absent: the recorded GitHub answers are needed");
	snprintf(rec, sizeof(rec), "%s/github_api/pygithub", fx);
	snprintf(bug, sizeof(bug), "%s/github_api/bugswarm/orientechnologies-orientdb", fx);
	const char *args[] = { "--recorded", rec, "--bugswarm", bug, "--config", config ? config : "{}", NULL };
	start(args);
}

static struct ci_provider *open_github(const char *tokens)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	ci_options_init(&o);
	o.api_url = srv.url;
	o.tokens = tokens ? tokens : "";
	o.git_url = "https://git.example.org";
	o.http.backoff_base_ms = 10;
	o.http.reset_margin_ms = 50;
	o.http.token_reserve = 0;
	cr_assert_eq(ci_provider_open(&p, CI_GITHUB, &o, &e), 0, "%s", e.msg);
	return p;
}

static int64_t T(const char *s)
{
	int64_t t;
	struct err e = ERR_INIT;
	cr_assert_eq(utc_parse(&t, s, &e), 0);
	return t;
}

Test(github, maps_the_recorded_run_3881497935)
{
	start_recorded(NULL);
	struct ci_provider *p = open_github(NULL);
	struct ci_run r;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_run_get(p, &r, "PyGithub/PyGithub", "3881497935", &e), 0, "%s", e.msg);
	cr_assert_str_eq(r.ci_run_id, "3881497935");
	cr_assert_str_eq(r.repo_full_name, "PyGithub/PyGithub");
	cr_assert_eq(r.build_number, 930);
	cr_assert_str_eq(r.workflow_name, "CI");
	cr_assert_str_eq(r.status, "completed");
	cr_assert_str_eq(r.conclusion, "success");
	cr_assert_str_eq(r.commit_sha, "c6e5cac67a58a4eb11f1f28567a77a6e2cc8ee98");
	cr_assert_str_eq(r.branch, "feat/workflow-run");
	cr_assert_str_eq(r.event, "pull_request");
	cr_assert_str_eq(r.commit_message, "add attribute 'name' on WorkflowRun");
	cr_assert_str_eq(r.author_name, "Sasha Chung");
	cr_assert_str_eq(r.author_email, "sasha.chung@bucketplace.net");
	cr_assert_str_eq(r.actor_login, "nuang-ee");
	cr_assert_eq(r.actor_is_bot, 0);
	cr_assert_eq(r.n_pr, 0);
	cr_assert_eq(r.created_at, T("2023-01-10T08:24:19Z"));
	cr_assert_eq(r.started_at, T("2023-01-10T08:24:19Z"));
	cr_assert_eq(r.completed_at, T("2023-01-10T08:28:20Z"));
	cr_assert_eq(r.duration_usec, 241 * USEC_PER_SEC);
	cr_assert_str_eq(r.web_url, "https://github.com/PyGithub/PyGithub/actions/runs/3881497935");
	cr_assert_eq(r.run_attempt, 1);
	cr_assert(strstr(r.raw_json, "\"workflow_id\":1903133"), "raw payload kept");
	cr_assert(ci_run_is_labelled(&r));
	ci_run_release(&r);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, maps_the_recorded_repository_and_jobs)
{
	start_recorded(NULL);
	struct ci_provider *p = open_github(NULL);
	struct ci_repo repo;
	struct ci_job *jobs = NULL;
	size_t n = 0;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_repo_get(p, &repo, "PyGithub/PyGithub", &e), 0, "%s", e.msg);
	cr_assert_eq(repo.id, 3544490);
	cr_assert_str_eq(repo.full_name, "PyGithub/PyGithub");
	cr_assert_str_eq(repo.language, "Python");
	cr_assert_str_eq(repo.default_branch, "main");
	cr_assert_eq(repo.is_private, 0);
	cr_assert_str_eq(repo.git_url, "https://git.example.org/PyGithub/PyGithub.git");
	ci_repo_release(&repo);

	cr_assert_eq(ci_jobs_list(p, &jobs, &n, "PyGithub/PyGithub", "4205440316", &e), 0, "%s", e.msg);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(jobs[0].id, "11421878319");
	cr_assert_str_eq(jobs[0].run_id, "4205440316");
	cr_assert_str_eq(jobs[0].name, "test (Python 3.7)");
	cr_assert_str_eq(jobs[0].status, "completed");
	cr_assert_str_eq(jobs[0].conclusion, "success");
	cr_assert_str_eq(jobs[0].runner, "GitHub Actions 2");
	cr_assert_eq(jobs[0].started_at, T("2023-02-17T16:03:46Z"));
	cr_assert_eq(jobs[0].completed_at, T("2023-02-17T16:04:52Z"));
	cr_assert(jobs[0].steps_json && jobs[0].steps_json[0] == '[');
	ci_jobs_free(jobs, n);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, says_not_found_for_a_missing_repository_or_run)
{
	start_recorded(NULL);
	struct ci_provider *p = open_github(NULL);
	struct ci_repo repo;
	struct ci_run r;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_repo_get(p, &repo, "nobody/nothing", &e), CI_ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "nobody/nothing"), "%s", e.msg);
	cr_assert_eq(ci_run_get(p, &r, "orientechnologies/orientdb", "1234", &e), CI_ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "1234"), "%s", e.msg);
	/* A run of another repository is not found in this one. */
	cr_assert_eq(ci_run_get(p, &r, "PyGithub/PyGithub", "2581834940", &e), CI_ERR_NOT_FOUND);
	cr_assert_eq(ci_run_get(p, &r, "PyGithub/PyGithub", "12x", &e), ERR_INPUT);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, downloads_the_recorded_log_through_its_302)
{
	start_recorded("{\"big_logs\": {\"11421878319\": 5000}}");
	struct ci_provider *p = open_github("secret-token");
	struct buf log = BUF_INIT;
	struct ci_sink sink = ci_sink_buf(&log);
	size_t bytes = 0;
	int trunc = -1;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_log_fetch(p, "PyGithub/PyGithub", "11421878319", &sink, 0, &bytes, &trunc, &e), 0, "%s", e.msg);
	cr_assert_eq(bytes, 5000);
	cr_assert_eq(log.len, 5000);
	cr_assert_eq(trunc, 0);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"), 1);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /_storage/logs/{job_id}"), 1);
	buf_release(&log);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, looks_up_the_bugswarm_runs_in_one_listing)
{
	/* The ten runs of the two recorded pages, one repeated, and two absent from them
	 * (2565963915 has a recorded jobs answer but is not in the run list). */
	static const char *ids[] = { "2581834940", "2570117181", "2570117175", "2569818673", "2569818671",
				     "2566916244", "2565963911", "2565914884", "2565914882", "2557358222",
				     "2570117181", "2565963915", "2999999999" };
	enum { N = sizeof(ids) / sizeof(ids[0]) };
	start_recorded(NULL);
	struct ci_provider *p = open_github(NULL);
	struct ci_lookup items[N];
	struct err e = ERR_INIT;
	memset(items, 0, sizeof(items));
	for (size_t i = 0; i < N; i++)
		items[i].run_id = ids[i];
	cr_assert_eq(ci_runs_lookup(p, "orientechnologies/orientdb", items, N, &e), 0, "%s", e.msg);
	for (size_t i = 0; i < N - 2; i++) {
		cr_assert_eq(items[i].rc, 0, "%s: %s", ids[i], items[i].err.msg);
		cr_assert_str_eq(items[i].run.ci_run_id, ids[i]);
		cr_assert_str_eq(items[i].run.repo_full_name, "orientechnologies/orientdb");
	}
	cr_assert_eq(items[N - 2].rc, CI_ERR_NOT_FOUND, "an id that is not listed");
	cr_assert_eq(items[N - 1].rc, CI_ERR_NOT_FOUND, "an id that does not exist");
	cr_assert_str_eq(items[0].run.conclusion, "failure");
	cr_assert_str_eq(items[1].run.conclusion, "success");
	cr_assert_str_eq(items[5].run.event, "schedule");
	cr_assert_str_eq(items[6].run.event, "pull_request");
	cr_assert_str_eq(items[6].run.actor_login, "timw");
	/* Probes: 2999999999 (absent), 2581834940, 2557358222; one page; one single for 2565963915. */
	long reqs = fx_count(&srv, NULL, "requests");
	cr_assert_eq(reqs, 5, "12 distinct ids cost %ld requests", reqs);
	for (size_t i = 0; i < N; i++)
		ci_run_release(&items[i].run);
	ci_provider_free(p);
	fx_stop(&srv);
}

/* Looks up ids[0..n) in org0/project-0 of a generated world; returns the server's request count. */
static long lookup_count(struct ci_provider *p, char **ids, size_t n, size_t *found)
{
	struct ci_lookup *items = calloc(n, sizeof(*items));
	struct err e = ERR_INIT;
	for (size_t i = 0; i < n; i++)
		items[i].run_id = ids[i];
	fx_reset(&srv);
	cr_assert_eq(ci_runs_lookup(p, "org0/project-0", items, n, &e), 0, "%s", e.msg);
	*found = 0;
	for (size_t i = 0; i < n; i++) {
		if (items[i].rc == 0) {
			(*found)++;
			cr_assert_str_eq(items[i].run.ci_run_id, ids[i]);
			cr_assert_not_null(items[i].run.commit_sha);
		} else {
			cr_assert_eq(items[i].rc, CI_ERR_NOT_FOUND, "%s", items[i].err.msg);
		}
		ci_run_release(&items[i].run);
	}
	free(items);
	return fx_count(&srv, NULL, "requests");
}

/* All run ids of a repository (newest first) from the server itself. */
static size_t repo_ids(const char *repo, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (int page = 1;; page++) {
		char path[160];
		snprintf(path, sizeof(path), "/repos/%s/actions/runs?per_page=100&page=%d", repo, page);
		json_t *j = fx_call(&srv, path, NULL), *r;
		size_t i, before = n;
		json_array_foreach(json_object_get(j, "workflow_runs"), i, r) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				*out = realloc(*out, cap * sizeof(**out));
			}
			char s[32];
			snprintf(s, sizeof(s), "%lld", (long long)json_integer_value(json_object_get(r, "id")));
			(*out)[n++] = strdup(s);
		}
		json_decref(j);
		if (n == before)
			break;
	}
	return n;
}

static size_t world_ids(char ***out)
{
	return repo_ids("org0/project-0", out);
}

static void free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/*
 * Issue 13's budget: unknown ids anywhere (above the newest run, below the
 * oldest, between; other repositories' runs) cost about one request each on
 * top of one per 20 found builds, never a fall-back to one request per build.
 */
Test(github, unknown_ids_at_either_end_or_between_cost_one_request_each)
{
	const char *args[] = { "--generate", "repos=2,runs=800,seed=11", NULL };
	start(args);
	struct ci_provider *p = open_github(NULL);
	char **all, **other, **want, above[5][24], below[5][24];
	size_t n = repo_ids("org0/project-0", &all), no = repo_ids("org1/project-1", &other), found = 0;
	cr_assert_gt(n, 300);
	want = calloc(n + 20, sizeof(*want));
	long newest = atol(all[0]), oldest = atol(all[n - 1]);
	cr_assert_gt(oldest, 5, "the generated ids leave room below the oldest");
	for (int i = 0; i < 5; i++) {
		snprintf(above[i], sizeof(above[i]), "%ld", newest + 1000 + i * 7);
		snprintf(below[i], sizeof(below[i]), "%d", 1 + i);
	}
	/* Runs of the other repository whose ids lie inside this one's range. */
	char *between[5];
	size_t nb = 0;
	for (size_t i = 0; i < no && nb < 5; i++)
		if (atol(other[i]) < newest && atol(other[i]) > oldest)
			between[nb++] = other[i];
	cr_assert_eq(nb, 5, "the two repositories' ids interleave");
	const char *where[] = { "above the newest", "below the oldest", "between", "everywhere" };
	for (int c = 0; c < 4; c++) {
		size_t k = 0, unknown = 0;
		for (int i = 0; i < 5; i++) {
			if (c == 0 || c == 3)
				want[k++] = above[i], unknown++;
			if (c == 1 || c == 3)
				want[k++] = below[i], unknown++;
		}
		for (size_t i = 0; i < n; i++) {
			want[k++] = all[i];
			if ((c == 2 || c == 3) && i % 60 == 30 && i / 60 < nb)
				want[k++] = between[i / 60], unknown++;
		}
		long reqs = lookup_count(p, want, k, &found);
		cr_assert_eq(found, n, "%s: %zu of %zu runs found", where[c], found, n);
		long budget = (long)(found + 19) / 20 + (long)unknown + 2;
		cr_assert_leq(reqs, budget, "unknown ids %s: %zu found and %zu unknown cost %ld requests (budget %ld)",
			      where[c], found, unknown, reqs, budget);
	}
	/* Every id names another repository's run: one request per id plus the repository check. */
	long reqs = lookup_count(p, other, 40, &found);
	cr_assert_eq(found, 0);
	cr_assert_leq(reqs, 41, "40 ids of another repository cost %ld requests", reqs);
	free_ids(all, n);
	free_ids(other, no);
	free(want);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, validates_many_builds_with_one_request_per_twenty_or_less)
{
	const char *args[] = { "--generate", "repos=1,runs=600,seed=5", NULL };
	start(args);
	struct ci_provider *p = open_github(NULL);
	char **all, *want[320];
	size_t n = world_ids(&all), found = 0, k = 0;
	cr_assert_eq(n, 600);
	for (size_t i = 0; i < n; i += 2)
		want[k++] = all[i];
	want[k++] = "4999999999";
	want[k++] = "1";
	long reqs = lookup_count(p, want, k, &found);
	cr_assert_eq(found, 300);
	cr_assert_leq(reqs * 20, (long)k, "%zu builds cost %ld requests", k, reqs);
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, pages_past_githubs_1000_result_cap_of_a_filtered_list)
{
	const char *args[] = { "--generate", "repos=1,runs=2500,seed=6", NULL };
	start(args);
	struct ci_provider *p = open_github(NULL);
	char **all, **want = calloc(2500, sizeof(*want));
	size_t n = world_ids(&all), found = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		if (i % 5)
			want[k++] = all[i];
	long reqs = lookup_count(p, want, k, &found);
	cr_assert_eq(found, k, "every id was found (%zu of %zu)", found, k);
	cr_assert_leq(reqs, 32, "2000 of 2500 runs cost %ld requests", reqs);

	/* A few ids spread over the whole history: single look-ups are cheaper than listing. */
	want[0] = all[0];
	want[1] = all[800];
	want[2] = all[1600];
	want[3] = all[2400];
	want[4] = all[2499];
	reqs = lookup_count(p, want, 5, &found);
	cr_assert_eq(found, 5);
	cr_assert_leq(reqs, 6, "5 sparse ids cost %ld requests", reqs);
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	free(want);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, probes_past_absent_oldest_ids_to_the_oldest_real_run)
{
	const char *args[] = { "--generate", "repos=1,runs=300,seed=10", NULL };
	start(args);
	struct ci_provider *p = open_github(NULL);
	char **all, *want[304];
	size_t n = world_ids(&all), found = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		want[k++] = all[i];
	want[k++] = "1";
	want[k++] = "2";
	want[k++] = "3";
	long reqs = lookup_count(p, want, k, &found);
	cr_assert_eq(found, 300);
	/* 1 probe from the newest end, 3 absent and the oldest real one from the other end, 3 pages. */
	cr_assert_eq(reqs, 8, "%ld requests", reqs);
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, a_missing_repository_costs_a_few_requests_not_one_per_id)
{
	const char *args[] = { "--generate", "repos=1,runs=5,seed=4", NULL };
	start(args);
	struct ci_provider *p = open_github(NULL);
	enum { N = 200 };
	struct ci_lookup items[N];
	char ids[N][16];
	struct err e = ERR_INIT;
	memset(items, 0, sizeof(items));
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%d", 1000 + i);
		items[i].run_id = ids[i];
	}
	cr_assert_eq(ci_runs_lookup(p, "gone/away", items, N, &e), 0, "%s", e.msg);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(items[i].rc, CI_ERR_NOT_FOUND);
		ci_run_release(&items[i].run);
	}
	cr_assert(strstr(items[100].err.msg, "repository gone/away does not exist"), "%s", items[100].err.msg);
	/* 3 probes from the newest end, then the repository itself. */
	cr_assert_eq(fx_count(&srv, NULL, "requests"), 4);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, a_batch_lookup_fails_as_a_whole_when_rate_limited)
{
	const char *args[] = { "--generate", "repos=1,runs=30,seed=2", "--config",
			       "{\"tokens\": {\"t\": {\"limit\": 2}}, \"reset_in\": 3600}", NULL };
	start(args);
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	ci_options_init(&o);
	o.api_url = srv.url;
	o.tokens = "t";
	o.http.token_reserve = 0;
	o.http.max_rate_wait_ms = 500;
	cr_assert_eq(ci_provider_open(&p, CI_GITHUB, &o, &e), 0);
	char **all;
	size_t n = world_ids(&all);
	struct ci_lookup items[10];
	memset(items, 0, sizeof(items));
	for (size_t i = 0; i < 10; i++)
		items[i].run_id = all[i * 3 % n];
	int rc = ci_runs_lookup(p, "org0/project-0", items, 10, &e);
	cr_assert_eq(rc, CI_ERR_RATE_LIMITED, "%s", e.msg);
	int limited = 0;
	for (size_t i = 0; i < 10; i++) {
		limited += items[i].rc == CI_ERR_RATE_LIMITED;
		cr_assert(items[i].rc == 0 || ci_err_is_transient(items[i].rc), "item %zu: %d", i, items[i].rc);
		ci_run_release(&items[i].run);
	}
	cr_assert_geq(limited, 8);
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, lists_every_job_of_a_run_across_pages)
{
	const char *args[] = { "--generate", "repos=1,runs=2,jobs_per_run=130,seed=7", NULL };
	start(args);
	struct ci_provider *p = open_github(NULL);
	char **all;
	size_t n = world_ids(&all), nj = 0;
	struct ci_job *jobs = NULL;
	struct err e = ERR_INIT;
	fx_reset(&srv);
	cr_assert_eq(ci_jobs_list(p, &jobs, &nj, "org0/project-0", all[0], &e), 0, "%s", e.msg);
	cr_assert_eq(nj, 130);
	long reqs = fx_count(&srv, NULL, "requests");
	cr_assert_eq(reqs, 2, "two pages of 100, not %ld", reqs);
	for (size_t i = 0; i < nj; i++)
		cr_assert_str_eq(jobs[i].run_id, all[0]);
	cr_assert_str_neq(jobs[0].id, jobs[129].id);
	ci_jobs_free(jobs, nj);
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, downloads_a_batch_of_logs_with_expired_failing_and_oversized_ones)
{
	const char *args[] = { "--generate", "repos=1,runs=8,seed=8", NULL };
	start(args);
	struct ci_provider *p = open_github("tok");
	char **all;
	size_t n = world_ids(&all), nl = 0;
	char *jobids[16];
	struct err e = ERR_INIT;
	for (size_t i = 0; i < n; i++) {
		struct ci_job *jobs;
		size_t nj;
		cr_assert_eq(ci_jobs_list(p, &jobs, &nj, "org0/project-0", all[i], &e), 0, "%s", e.msg);
		for (size_t k = 0; k < nj; k++)
			jobids[nl++] = strdup(jobs[k].id);
		ci_jobs_free(jobs, nj);
	}
	cr_assert_eq(nl, 16);
	char cfg[512];
	snprintf(cfg, sizeof(cfg),
		 "{\"gone_logs\": [\"%s\"], \"missing_logs\": [\"%s\"], \"big_logs\": {\"%s\": 400000},"
		 " \"faults\": [{\"path\": \"/_storage/logs/%s\", \"status\": 500, \"times\": 2}], \"latency_ms\": 20}",
		 jobids[1], jobids[2], jobids[3], jobids[4]);
	cr_assert_eq(fx_config(&srv, cfg), 0);
	fx_reset(&srv);
	struct buf logs[16];
	struct ci_log_req reqs[16];
	memset(reqs, 0, sizeof(reqs));
	for (size_t i = 0; i < nl; i++) {
		buf_init(&logs[i], 0);
		reqs[i].job_id = jobids[i];
		reqs[i].sink = ci_sink_buf(&logs[i]);
	}
	cr_assert_eq(ci_logs_fetch(p, "org0/project-0", reqs, nl, 100000, &e), 0);
	cr_assert_eq(reqs[1].rc, CI_ERR_GONE, "%s", reqs[1].err.msg);
	cr_assert(ci_err_is_missing(reqs[1].rc));
	cr_assert_eq(reqs[2].rc, CI_ERR_NOT_FOUND);
	cr_assert_eq(reqs[3].rc, 0);
	cr_assert_eq(reqs[3].truncated, 1);
	cr_assert_eq(reqs[3].bytes, 100000);
	cr_assert_eq(reqs[4].rc, 0, "failed twice then succeeded: %s", reqs[4].err.msg);
	cr_assert_gt(reqs[4].bytes, 0);
	for (size_t i = 0; i < nl; i++) {
		if (i >= 1 && i <= 3)
			continue;
		cr_assert_eq(reqs[i].rc, 0, "log %zu: %s", i, reqs[i].err.msg);
		cr_assert_eq(reqs[i].bytes, logs[i].len);
		cr_assert_eq(reqs[i].truncated, 0);
		cr_assert(strstr(buf_cstr(&logs[i]), "step 0"), "log %zu has content", i);
	}
	/* The bound is the client's own count (the server may still be finishing an
	 * answer the client already has); the server shows that downloads overlapped. */
	struct ci_http_stats st;
	ci_http_stats_get(ci_provider_http(p), &st);
	cr_assert_eq(st.max_in_flight_seen, 8);
	cr_assert_gt(fx_count(&srv, NULL, "max_concurrent"), 1, "downloads overlapped");
	for (size_t i = 0; i < nl; i++) {
		buf_release(&logs[i]);
		free(jobids[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github, takes_its_base_url_and_tokens_from_the_environment)
{
	const char *args[] = { "--generate", "repos=1,runs=3,seed=9", NULL };
	start(args);
	setenv("CIMINER_GITHUB_API_URL", srv.url, 1);
	setenv("CIMINER_GITHUB_TOKENS", "envtok1,envtok2", 1);
	struct ci_provider *p = NULL;
	struct ci_repo repo;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_provider_open(&p, CI_GITHUB, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(ci_repo_get(p, &repo, "org0/project-0", &e), 0, "%s", e.msg);
	cr_assert_eq(fx_count(&srv, "by_token", "envtok1"), 1);
	ci_repo_release(&repo);
	ci_provider_free(p);
	setenv("CIMINER_GITHUB_API_URL", "ftp:/nope", 1);
	cr_assert_eq(ci_provider_open(&p, CI_GITHUB, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "ftp:/nope"), "%s", e.msg);
	unsetenv("CIMINER_GITHUB_API_URL");
	unsetenv("CIMINER_GITHUB_TOKENS");
	fx_stop(&srv);
}
